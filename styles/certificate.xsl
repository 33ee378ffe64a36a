<?xml version="1.0" encoding="UTF-8"?>
<!--
  certificate.xsl: a one-page certificate of attendance for a participant of a session.

  Landscape on the paper asked for, framed in the brand's colour: the organisation, the
  title ("Certificate of attendance" in the language), the participant's name and
  organisation, the course's title, its duration, the session's date, place and trainer, and
  a line for the trainer's signature.  Every generated word comes from strings/LANG.xml.

  Input:  a course after loading (any edition's profile: only <meta> is read).
  Parameters: lang, paper, brand (see common.xsl) and participant (required), organisation,
  session-date (YYYY-MM-DD is written out in the language), session-place, trainer.
  workbook batch sets them from a roster (README, "Rosters").
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:fo="http://www.w3.org/1999/XSL/Format">

  <xsl:import href="common.xsl"/>

  <xsl:variable name="edition" select="'certificate'"/>
  <xsl:variable name="show-answers" select="false()"/>
  <xsl:variable name="show-trainer" select="false()"/>
  <xsl:variable name="mirror" select="false()"/>

  <!-- the page is the paper turned on its side; the frame fills it inside 12 mm margins -->
  <xsl:variable name="frame-height" select="$page-width - 24 - 20 - 2"/>

  <xsl:variable name="fact-duration" select="normalize-space($meta/duration[1])"/>
  <xsl:variable name="fact-place" select="normalize-space($session-place)"/>
  <xsl:variable name="fact-trainer" select="normalize-space($trainer)"/>
  <xsl:variable name="fact-date">
    <xsl:if test="normalize-space($session-date) != ''">
      <xsl:call-template name="format-date"><xsl:with-param name="value" select="$session-date"/></xsl:call-template>
    </xsl:if>
  </xsl:variable>
  <xsl:variable name="fact-count" select="number($fact-duration != '') + number(string($fact-date) != '')
                                          + number($fact-place != '') + number($fact-trainer != '')"/>

  <xsl:template match="/">
    <xsl:call-template name="check-parameters"/>
    <xsl:if test="not($personal)">
      <xsl:message terminate="yes">workbook styles: a certificate needs the participant's name (parameter participant)</xsl:message>
    </xsl:if>
    <fo:root xml:lang="{$language}" language="{$language}"
             font-family="{$font-serif}" font-size="{$body-size + 1}pt" line-height="{$line-height}"
             color="{$text-color}" hyphenate="false">
      <xsl:if test="$pdfa = 'yes'">
        <xsl:attribute name="wb:pdfa" namespace="urn:x-workbook:xslt">yes</xsl:attribute>
      </xsl:if>
      <fo:layout-master-set>
        <fo:simple-page-master master-name="wb-certificate" page-width="{$page-height}mm" page-height="{$page-width}mm"
            margin-top="12mm" margin-bottom="12mm" margin-left="12mm" margin-right="12mm">
          <xsl:call-template name="print-attributes"/>
          <fo:region-body/>
        </fo:simple-page-master>
      </fo:layout-master-set>
      <xsl:call-template name="declarations"/>
      <fo:page-sequence master-reference="wb-certificate">
        <fo:title><xsl:value-of select="$edition-name"/></fo:title>
        <fo:flow flow-name="xsl-region-body">
          <fo:block-container height="{$frame-height}mm" padding="10mm" display-align="center"
                              margin-left="0pt" margin-right="0pt"
                              border="{concat('2pt solid ', $primary)}">
            <xsl:call-template name="certificate-text"/>
            <xsl:call-template name="certificate-facts"/>
            <xsl:call-template name="certificate-signature"/>
          </fo:block-container>
        </fo:flow>
      </fo:page-sequence>
    </fo:root>
  </xsl:template>

  <!-- the organisation, the title, who attended what -->
  <xsl:template name="certificate-text">
    <fo:block text-align="center" start-indent="0pt" end-indent="0pt">
      <fo:block xsl:use-attribute-sets="sans" font-size="{$small-size + 1}pt" font-weight="bold" color="{$accent}"
                letter-spacing="0.6pt">
        <xsl:choose>
          <xsl:when test="normalize-space($brand-entry/@name) != ''"><xsl:value-of select="$brand-entry/@name"/></xsl:when>
          <xsl:otherwise><xsl:value-of select="normalize-space($meta/organisation[1])"/></xsl:otherwise>
        </xsl:choose>
      </fo:block>
      <fo:block xsl:use-attribute-sets="sans" font-size="{$title-size - 4}pt" line-height="1.15" font-weight="bold"
                color="{$primary}" space-before="6mm">
        <xsl:value-of select="$edition-name"/>
      </fo:block>
      <fo:block space-before="3mm" line-height="1">
        <fo:leader leader-pattern="rule" leader-length="32mm" rule-thickness="2pt" color="{$accent}"/>
      </fo:block>
      <fo:block space-before="7mm" color="{$muted-color}">
        <xsl:call-template name="gentext"><xsl:with-param name="key" select="'certificate-intro'"/></xsl:call-template>
      </fo:block>
      <fo:block xsl:use-attribute-sets="sans" font-size="{$title-size - 8}pt" line-height="1.2" font-weight="bold"
                space-before="3mm">
        <xsl:value-of select="normalize-space($participant)"/>
      </fo:block>
      <xsl:if test="normalize-space($organisation) != ''">
        <fo:block color="{$muted-color}" space-before="1mm"><xsl:value-of select="normalize-space($organisation)"/></fo:block>
      </xsl:if>
      <fo:block space-before="5mm" color="{$muted-color}">
        <xsl:call-template name="gentext"><xsl:with-param name="key" select="'certificate-attended'"/></xsl:call-template>
      </fo:block>
      <fo:block xsl:use-attribute-sets="sans" font-size="{$subtitle-size + 2}pt" line-height="1.2" font-weight="bold"
                color="{$primary}" space-before="3mm">
        <xsl:apply-templates select="$course-title" mode="title"/>
      </fo:block>
      <xsl:if test="$course-subtitle">
        <fo:block font-size="{$body-size}pt" color="{$muted-color}" space-before="1.5mm">
          <xsl:apply-templates select="$course-subtitle" mode="title"/>
        </fo:block>
      </xsl:if>
    </fo:block>
  </xsl:template>

  <!-- duration, date, place, trainer: a column each, for those there are -->
  <xsl:template name="certificate-facts">
    <xsl:if test="$fact-count > 0">
      <fo:table space-before="9mm" start-indent="0pt" end-indent="0pt" width="100%">
        <xsl:call-template name="fact-columns"><xsl:with-param name="n" select="$fact-count"/></xsl:call-template>
        <fo:table-body>
          <fo:table-row>
            <xsl:if test="$fact-duration != ''">
              <xsl:call-template name="fact"><xsl:with-param name="key" select="'duration'"/><xsl:with-param name="value" select="$fact-duration"/></xsl:call-template>
            </xsl:if>
            <xsl:if test="string($fact-date) != ''">
              <xsl:call-template name="fact"><xsl:with-param name="key" select="'date'"/><xsl:with-param name="value" select="string($fact-date)"/></xsl:call-template>
            </xsl:if>
            <xsl:if test="$fact-place != ''">
              <xsl:call-template name="fact"><xsl:with-param name="key" select="'place'"/><xsl:with-param name="value" select="$fact-place"/></xsl:call-template>
            </xsl:if>
            <xsl:if test="$fact-trainer != ''">
              <xsl:call-template name="fact"><xsl:with-param name="key" select="'trainer'"/><xsl:with-param name="value" select="$fact-trainer"/></xsl:call-template>
            </xsl:if>
          </fo:table-row>
        </fo:table-body>
      </fo:table>
    </xsl:if>
  </xsl:template>

  <xsl:template name="fact-columns">
    <xsl:param name="n"/>
    <xsl:if test="$n > 0">
      <fo:table-column column-width="proportional-column-width(1)"/>
      <xsl:call-template name="fact-columns"><xsl:with-param name="n" select="$n - 1"/></xsl:call-template>
    </xsl:if>
  </xsl:template>

  <xsl:template name="fact">
    <xsl:param name="key"/>
    <xsl:param name="value"/>
    <fo:table-cell padding-left="2mm" padding-right="2mm">
      <fo:block xsl:use-attribute-sets="sans" text-align="center" font-size="{$tiny-size}pt" color="{$muted-color}"
                letter-spacing="0.4pt">
        <xsl:call-template name="gentext"><xsl:with-param name="key" select="$key"/></xsl:call-template>
      </fo:block>
      <fo:block text-align="center" space-before="1mm"><xsl:value-of select="$value"/></fo:block>
    </fo:table-cell>
  </xsl:template>

  <!-- the trainer's signature, on a line at the right -->
  <xsl:template name="certificate-signature">
    <fo:block space-before="12mm" margin-left="{round(($page-height - 24 - 20) * 0.6)}mm" margin-right="0pt"
              text-align="center" keep-together.within-page="always">
      <fo:block line-height="1">
        <fo:leader leader-pattern="rule" leader-length="100%" rule-thickness="0.5pt" color="{$line-color}"/>
      </fo:block>
      <fo:block xsl:use-attribute-sets="sans" font-size="{$small-size}pt" color="{$muted-color}" space-before="1mm">
        <xsl:call-template name="gentext"><xsl:with-param name="key" select="'signature'"/></xsl:call-template>
        <xsl:if test="$fact-trainer != ''">
          <xsl:call-template name="gentext"><xsl:with-param name="key" select="'meta-separator'"/></xsl:call-template>
          <xsl:value-of select="$fact-trainer"/>
        </xsl:if>
      </fo:block>
    </fo:block>
  </xsl:template>

</xsl:stylesheet>
