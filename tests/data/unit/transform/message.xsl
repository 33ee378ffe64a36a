<?xml version="1.0"?>
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
  <xsl:template match="/">
    <xsl:message>JUST-A-NOTE about <xsl:value-of select="name(*)"/></xsl:message>
    <out>done</out>
  </xsl:template>
</xsl:stylesheet>
