<?xml version="1.0"?>
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
  <xsl:param name="greeting" select="'default greeting'"/>
  <xsl:param name="count" select="'0'"/>
  <xsl:template match="/">
    <out count="{$count}"><xsl:value-of select="$greeting"/></out>
  </xsl:template>
</xsl:stylesheet>
