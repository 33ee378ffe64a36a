<!-- A recursion of two calls per level, forty levels deep: no depth limit stops it, the time limit does -->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
  <xsl:template match="/"><r><xsl:call-template name="f"><xsl:with-param name="n" select="40"/></xsl:call-template></r></xsl:template>
  <xsl:template name="f"><xsl:param name="n"/><xsl:if test="$n &gt; 1"><xsl:call-template name="f"><xsl:with-param name="n" select="$n - 1"/></xsl:call-template><xsl:call-template name="f"><xsl:with-param name="n" select="$n - 2"/></xsl:call-template></xsl:if></xsl:template>
</xsl:stylesheet>
