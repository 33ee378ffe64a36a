<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
  <!-- two calls per level, $n levels: no depth limit stops it, and it makes an element per call -->
  <xsl:param name="n" select="40"/>
  <xsl:template match="/"><r><xsl:call-template name="f"><xsl:with-param name="n" select="$n"/></xsl:call-template></r></xsl:template>
  <xsl:template name="f">
    <xsl:param name="n"/>
    <x/>
    <xsl:if test="$n &gt; 1">
      <xsl:call-template name="f"><xsl:with-param name="n" select="$n - 1"/></xsl:call-template>
      <xsl:call-template name="f"><xsl:with-param name="n" select="$n - 1"/></xsl:call-template>
    </xsl:if>
  </xsl:template>
</xsl:stylesheet>
