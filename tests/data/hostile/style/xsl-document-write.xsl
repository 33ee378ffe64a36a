<!-- xsl:document (XSLT 1.1) writing a file -->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
  <xsl:template match="/"><xsl:document href="written.txt" method="text">x</xsl:document><r/></xsl:template>
</xsl:stylesheet>
