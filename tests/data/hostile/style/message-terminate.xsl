<!-- xsl:message terminate="yes": its words are the error -->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
  <xsl:template match="/"><xsl:message terminate="yes">HOSTILE-STOP: no such course</xsl:message></xsl:template>
</xsl:stylesheet>
