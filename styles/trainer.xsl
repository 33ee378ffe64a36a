<?xml version="1.0" encoding="UTF-8"?>
<!--
  trainer.xsl: the trainer guide.

  Everything of the participant workbook, and for the trainer: a timing overview of the day
  (modules and exercises with mode, minutes and page), module durations, timing plans, trainer
  notes in their own tinted boxes, and every answer in the accent colour: model answers in place
  of the write-in lines, ticked right answers with their explanations, the letters of matching
  pairs, the positions of steps, the words of the gaps, role-play debriefs.

  Parameters: lang, paper, brand, date (see common.xsl).
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:fo="http://www.w3.org/1999/XSL/Format">

  <xsl:import href="common.xsl"/>

  <xsl:variable name="edition" select="'trainer'"/>
  <xsl:variable name="show-answers" select="true()"/>
  <xsl:variable name="show-trainer" select="true()"/>
  <!-- mirrored pages and blank versos, unless printed one-sided (duplex=no) -->
  <xsl:variable name="mirror" select="$duplex != 'no'"/>

</xsl:stylesheet>
