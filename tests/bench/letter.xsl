<?xml version="1.0" encoding="UTF-8"?>
<!-- The mail merge of make bench: letters.xml (tests/bench/letters.awk) to XSL-FO, one page
     per letter, each letter a page sequence in its language (justified and hyphenated),
     the logo (logo.svg, beside letters.xml) and the sender in the letterhead.
       workbook build letters.xml -s tests/bench/letter.xsl -o letters.pdf
       fop -xml letters.xml -xsl tests/bench/letter.xsl -pdf letters.pdf
     tests/bench/letter.typ is the same letter in Typst. -->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
                xmlns:fo="http://www.w3.org/1999/XSL/Format">
  <xsl:output method="xml" encoding="UTF-8"/>

  <xsl:variable name="sender" select="/letters/sender"/>

  <xsl:template match="/letters">
    <fo:root font-family="PT Serif" font-size="11pt" line-height="1.4" color="#222222">
      <fo:layout-master-set>
        <fo:simple-page-master master-name="letter" page-width="210mm" page-height="297mm"
            margin-top="15mm" margin-bottom="12mm" margin-left="25mm" margin-right="20mm">
          <fo:region-body margin-top="30mm" margin-bottom="15mm"/>
          <fo:region-before extent="24mm"/>
          <fo:region-after extent="10mm" display-align="after"/>
        </fo:simple-page-master>
      </fo:layout-master-set>
      <xsl:apply-templates select="letter"/>
    </fo:root>
  </xsl:template>

  <xsl:template match="letter">
    <fo:page-sequence master-reference="letter" language="{@xml:lang}"
        initial-page-number="1" force-page-count="no-force">
      <fo:static-content flow-name="xsl-region-before">
        <fo:block text-align="end" line-height="1"><fo:external-graphic src="logo.svg"
            content-width="40mm" content-height="16mm"/></fo:block>
        <fo:block font-family="PT Sans" font-weight="bold" font-size="10pt" color="#1B4F72"
            line-height="1.2" space-before="1mm" text-align="end"><xsl:value-of select="$sender/name"/></fo:block>
      </fo:static-content>
      <fo:static-content flow-name="xsl-region-after">
        <fo:block font-family="PT Sans" font-size="8pt" color="#5F6368" line-height="1.3" text-align="center"
            border-top="0.5pt solid #C8CDD2" padding-top="1.5mm">
          <xsl:value-of select="$sender/address"/>
          <fo:block><xsl:value-of select="$sender/contact"/></fo:block>
        </fo:block>
      </fo:static-content>
      <fo:flow flow-name="xsl-region-body" hyphenate="true">
        <fo:block space-after="14mm" line-height="1.3">
          <xsl:for-each select="recipient/*">
            <fo:block><xsl:value-of select="."/></fo:block>
          </xsl:for-each>
        </fo:block>
        <fo:block text-align="end" space-after="8mm"><xsl:value-of select="date"/></fo:block>
        <fo:block font-weight="bold" space-after="6mm" hyphenate="false"><xsl:value-of select="subject"/></fo:block>
        <fo:block space-after="3mm"><xsl:value-of select="greeting"/></fo:block>
        <xsl:for-each select="p">
          <fo:block text-align="justify" space-after="3mm"><xsl:value-of select="."/></fo:block>
        </xsl:for-each>
        <fo:block space-before="3mm" keep-with-next.within-page="always"><xsl:value-of select="closing"/></fo:block>
        <fo:block space-before="12mm" font-weight="bold"><xsl:value-of select="$sender/signatory"/></fo:block>
        <fo:block><xsl:value-of select="$sender/name"/></fo:block>
      </fo:flow>
    </fo:page-sequence>
  </xsl:template>
</xsl:stylesheet>
