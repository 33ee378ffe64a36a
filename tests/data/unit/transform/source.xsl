<?xml version="1.0"?>
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:wb="urn:x-workbook:xslt" exclude-result-prefixes="wb">
  <xsl:template match="/">
    <out>
      <xsl:for-each select="//item">
        <pos id="{@id}" here="{wb:source()}"><xsl:value-of select="wb:source(.)"/></pos>
      </xsl:for-each>
      <target-pos><xsl:value-of select="wb:source(//target)"/></target-pos>
      <empty><xsl:value-of select="wb:source(/nothing)"/></empty>
    </out>
  </xsl:template>
</xsl:stylesheet>
