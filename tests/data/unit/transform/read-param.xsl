<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
  <!-- document() of the file the parameter names; the root element's name comes out -->
  <xsl:param name="file"/>
  <xsl:template match="/">
    <r><xsl:value-of select="name(document($file)/*)"/></r>
  </xsl:template>
</xsl:stylesheet>
