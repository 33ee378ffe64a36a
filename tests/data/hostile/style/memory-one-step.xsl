<!-- A string of 16 MB, then 64 copies of it in one XPath call -->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
  <xsl:template match="/"><r><xsl:call-template name="d"><xsl:with-param name="s" select="'xxxxxxxxxxxxxxxx'"/><xsl:with-param name="n" select="0"/></xsl:call-template></r></xsl:template>
  <xsl:template name="d"><xsl:param name="s"/><xsl:param name="n"/><xsl:choose><xsl:when test="$n &lt; 20"><xsl:call-template name="d"><xsl:with-param name="s" select="concat($s, $s)"/><xsl:with-param name="n" select="$n + 1"/></xsl:call-template></xsl:when><xsl:otherwise><xsl:value-of select="string-length(concat($s,$s,$s,$s,$s,$s,$s,$s,$s,$s,$s,$s,$s,$s,$s,$s,$s,$s,$s,$s,$s,$s,$s,$s,$s,$s,$s,$s,$s,$s,$s,$s,$s,$s,$s,$s,$s,$s,$s,$s,$s,$s,$s,$s,$s,$s,$s,$s,$s,$s,$s,$s,$s,$s,$s,$s,$s,$s,$s,$s,$s,$s,$s,$s))"/></xsl:otherwise></xsl:choose></xsl:template>
</xsl:stylesheet>
