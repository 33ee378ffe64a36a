<!DOCTYPE xsl:stylesheet [
<!ENTITY x SYSTEM "/etc/passwd">
]>
<!-- The stylesheet itself with an external entity: never expanded, the run goes on without it -->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
  <xsl:template match="/"><r>&x;</r></xsl:template>
</xsl:stylesheet>
