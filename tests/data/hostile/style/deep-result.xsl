<!-- A result 400 elements deep -->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
  <xsl:template match="/"><xsl:call-template name="d"><xsl:with-param name="n" select="400"/></xsl:call-template></xsl:template>
  <xsl:template name="d"><xsl:param name="n"/><e><xsl:if test="$n &gt; 0"><xsl:call-template name="d"><xsl:with-param name="n" select="$n - 1"/></xsl:call-template></xsl:if></e></xsl:template>
</xsl:stylesheet>
