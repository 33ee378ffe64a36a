<!-- An extension function nobody registered -->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform" xmlns:x="urn:x-nothing">
  <xsl:template match="/"><r><xsl:value-of select="x:read('/etc/passwd')"/></r></xsl:template>
</xsl:stylesheet>
