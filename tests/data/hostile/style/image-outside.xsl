<?xml version="1.0"?>
<!-- FO naming a picture beyond the input's, the styles' and the stylesheet's folders: the
     formatter refuses to read it -->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform" xmlns:fo="http://www.w3.org/1999/XSL/Format">
  <xsl:template match="/">
    <fo:root><fo:layout-master-set><fo:simple-page-master master-name="p" page-width="100mm" page-height="100mm"><fo:region-body/></fo:simple-page-master></fo:layout-master-set>
      <fo:page-sequence master-reference="p"><fo:flow flow-name="xsl-region-body"><fo:block>A picture: <fo:external-graphic src="../../outside/real.png"/></fo:block></fo:flow></fo:page-sequence></fo:root>
  </xsl:template>
</xsl:stylesheet>
