<?xml version="1.0" encoding="UTF-8"?>
<!--
  participant.xsl: the participant workbook.

  The course content and every exercise with room to answer: ruled lines to write on, boxes to
  tick, blank boxes for letters and numbers.  No answers, no explanations, no trainer notes, no
  timing plans, no module durations.  A "Name" line on the title page.

  Parameters: lang, paper, brand, date (see common.xsl).
  Usage: xsltproc, with the string parameters above, e.g. lang=fr paper=A5.
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:fo="http://www.w3.org/1999/XSL/Format">

  <xsl:import href="common.xsl"/>

  <xsl:variable name="edition" select="'participant'"/>
  <xsl:variable name="show-answers" select="false()"/>
  <xsl:variable name="show-trainer" select="false()"/>
  <!-- mirrored pages and blank versos, unless printed one-sided (duplex=no) -->
  <xsl:variable name="mirror" select="$duplex != 'no'"/>

</xsl:stylesheet>
