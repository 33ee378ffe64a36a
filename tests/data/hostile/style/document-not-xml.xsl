<!-- document() of a file in the folder that is not XML: the message quotes none of it -->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
  <xsl:template match="/">
    <r><xsl:value-of select="document('secret.txt')"/></r>
  </xsl:template>
</xsl:stylesheet>
