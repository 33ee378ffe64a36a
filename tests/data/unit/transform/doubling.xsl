<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
  <!-- a string that doubles at each call -->
  <xsl:template match="/"><r><xsl:call-template name="d"><xsl:with-param name="s" select="'xxxxxxxxxxxxxxxx'"/></xsl:call-template></r></xsl:template>
  <xsl:template name="d"><xsl:param name="s"/><xsl:call-template name="d"><xsl:with-param name="s" select="concat($s, $s)"/></xsl:call-template></xsl:template>
</xsl:stylesheet>
