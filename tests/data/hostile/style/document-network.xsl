<!-- document() from the network -->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
  <xsl:template match="/">
    <r><xsl:value-of select="document('http://127.0.0.1:9/doc.xml')"/></r>
  </xsl:template>
</xsl:stylesheet>
