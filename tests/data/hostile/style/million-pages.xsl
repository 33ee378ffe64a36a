<!-- An FO asking for a million pages through the same recursion: the node limit stops it first -->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform" xmlns:fo="http://www.w3.org/1999/XSL/Format">
  <xsl:template match="/">
    <fo:root><fo:layout-master-set><fo:simple-page-master master-name="p" page-width="50mm" page-height="50mm"><fo:region-body/></fo:simple-page-master></fo:layout-master-set>
    <fo:page-sequence master-reference="p"><fo:flow flow-name="xsl-region-body"><xsl:call-template name="pages"><xsl:with-param name="n" select="1000000"/></xsl:call-template></fo:flow></fo:page-sequence></fo:root>
  </xsl:template>
  <xsl:template name="pages"><xsl:param name="n"/><xsl:choose><xsl:when test="$n &lt;= 1"><fo:block break-before="page">page</fo:block></xsl:when><xsl:otherwise><xsl:call-template name="pages"><xsl:with-param name="n" select="floor($n div 2)"/></xsl:call-template><xsl:call-template name="pages"><xsl:with-param name="n" select="$n - floor($n div 2)"/></xsl:call-template></xsl:otherwise></xsl:choose></xsl:template>
</xsl:stylesheet>
