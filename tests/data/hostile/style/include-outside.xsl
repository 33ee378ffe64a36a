<!-- xsl:include of a stylesheet outside (the test puts outside/x.xsl beside the corpus) -->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
  <xsl:include href="../../outside/x.xsl"/>
  <xsl:template match="/"><r/></xsl:template>
</xsl:stylesheet>
