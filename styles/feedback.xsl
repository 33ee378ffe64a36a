<?xml version="1.0" encoding="UTF-8"?>
<!--
  feedback.xsl: the end-of-course feedback form.

  The course and the session, a rating from 1 to 5 of each module (by its <short-title>, else
  its title), of the course as a whole and of the trainer, then open questions with lines to
  write on.  Anonymous: no name line.

  Parameters: lang, paper, brand (see common.xsl); session-date, session-place, trainer.
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:fo="http://www.w3.org/1999/XSL/Format">

  <xsl:import href="handout.xsl"/>

  <xsl:variable name="edition" select="'feedback'"/>

  <xsl:template name="handout-body">
    <xsl:call-template name="handout-title"/>
    <xsl:call-template name="session-facts"/>
    <fo:block xsl:use-attribute-sets="para" space-after="3mm">
      <xsl:call-template name="gentext"><xsl:with-param name="key" select="'feedback-intro'"/></xsl:call-template>
    </fo:block>
    <xsl:call-template name="small-heading"><xsl:with-param name="key" select="'feedback-ratings'"/></xsl:call-template>
    <fo:block xsl:use-attribute-sets="sans" font-size="{$small-size}pt" color="{$muted-color}" text-align="end"
              keep-with-next.within-page="always">
      <fo:inline font-weight="bold">1</fo:inline>&#160;=&#160;<xsl:call-template name="gentext"><xsl:with-param name="key" select="'feedback-low'"/></xsl:call-template>
      <xsl:call-template name="gentext"><xsl:with-param name="key" select="'meta-separator'"/></xsl:call-template>
      <fo:inline font-weight="bold">5</fo:inline>&#160;=&#160;<xsl:call-template name="gentext"><xsl:with-param name="key" select="'feedback-high'"/></xsl:call-template>
    </fo:block>
    <fo:table width="100%" space-before="1mm" space-after="2mm">
      <xsl:call-template name="table-layout"/>
      <fo:table-column column-width="proportional-column-width(1)"/>
      <xsl:call-template name="scale-columns">
        <xsl:with-param name="from" select="1"/>
        <xsl:with-param name="to" select="5"/>
        <xsl:with-param name="width" select="'9mm'"/>
      </xsl:call-template>
      <fo:table-body start-indent="0pt" end-indent="0pt" background-color="#FFFFFF">
        <xsl:for-each select="$modules">
          <xsl:call-template name="rating-row">
            <xsl:with-param name="label">
              <xsl:call-template name="label"/>
              <xsl:call-template name="gentext"><xsl:with-param name="key" select="'meta-separator'"/></xsl:call-template>
              <xsl:apply-templates select="(short-title | title)[last() = 1 or self::short-title][1]" mode="plain"/>
            </xsl:with-param>
          </xsl:call-template>
        </xsl:for-each>
        <xsl:call-template name="rating-row">
          <xsl:with-param name="label"><xsl:call-template name="gentext"><xsl:with-param name="key" select="'feedback-course'"/></xsl:call-template></xsl:with-param>
          <xsl:with-param name="strong" select="true()"/>
        </xsl:call-template>
        <xsl:call-template name="rating-row">
          <xsl:with-param name="label"><xsl:call-template name="gentext"><xsl:with-param name="key" select="'feedback-trainer'"/></xsl:call-template></xsl:with-param>
          <xsl:with-param name="strong" select="true()"/>
        </xsl:call-template>
      </fo:table-body>
    </fo:table>
    <xsl:for-each select="$strings/s[starts-with(@key, 'feedback-q')]">
      <fo:block keep-together.within-page="always" space-before="1mm">
        <fo:block text-align="start" keep-with-next.within-page="always">
          <fo:inline xsl:use-attribute-sets="sans" font-weight="bold" color="{$primary}"><xsl:value-of select="position()"/>.&#160;</fo:inline>
          <xsl:value-of select="."/>
        </fo:block>
        <xsl:call-template name="write-in-lines"><xsl:with-param name="count" select="2"/></xsl:call-template>
      </fo:block>
    </xsl:for-each>
    <fo:block xsl:use-attribute-sets="sans" font-weight="bold" color="{$primary}" text-align="end" space-before="1mm"
              keep-with-previous.within-page="always">
      <xsl:call-template name="gentext"><xsl:with-param name="key" select="'thank-you'"/></xsl:call-template>
    </fo:block>
  </xsl:template>

  <xsl:template name="rating-row">
    <xsl:param name="label"/>
    <xsl:param name="strong" select="false()"/>
    <fo:table-row keep-together.within-page="always">
      <fo:table-cell xsl:use-attribute-sets="table-cell">
        <fo:block xsl:use-attribute-sets="sans" text-align="start">
          <xsl:if test="$strong"><xsl:attribute name="font-weight">bold</xsl:attribute></xsl:if>
          <xsl:copy-of select="$label"/>
        </fo:block>
      </fo:table-cell>
      <xsl:call-template name="scale-cells">
        <xsl:with-param name="from" select="1"/>
        <xsl:with-param name="to" select="5"/>
      </xsl:call-template>
    </fo:table-row>
  </xsl:template>

</xsl:stylesheet>
