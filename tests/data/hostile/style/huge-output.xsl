<!-- Two to the thirtieth elements out of a binary recursion -->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
  <xsl:template match="/"><r><xsl:call-template name="f"><xsl:with-param name="n" select="30"/></xsl:call-template></r></xsl:template>
  <xsl:template name="f"><xsl:param name="n"/><x/><xsl:if test="$n &gt; 1"><xsl:call-template name="f"><xsl:with-param name="n" select="$n - 1"/></xsl:call-template><xsl:call-template name="f"><xsl:with-param name="n" select="$n - 1"/></xsl:call-template></xsl:if></xsl:template>
</xsl:stylesheet>
