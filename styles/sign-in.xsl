<?xml version="1.0" encoding="UTF-8"?>
<!--
  sign-in.xsl: the sign-in sheet of a session.

  The course, the session's date, place and trainer (lines to fill in, or the parameters
  session-date, session-place and trainer), and numbered rows for each participant's name,
  organisation and signatures, morning and afternoon.  A course of several days (by the
  timing plan of schedule.xsl: start, day-end, breaks, lunch) gets a sheet per day.

  Parameters: lang, paper, brand (see common.xsl); rows: how many rows (default 14 on A4
  and letter, 10 on A5); session-date, session-place, trainer.
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:fo="http://www.w3.org/1999/XSL/Format">

  <xsl:import href="handout.xsl"/>

  <xsl:variable name="edition" select="'sign-in'"/>
  <xsl:param name="rows" select="''"/>
  <xsl:variable name="row-count">
    <xsl:choose>
      <xsl:when test="number($rows) > 0"><xsl:value-of select="floor(number($rows))"/></xsl:when>
      <xsl:when test="$small">10</xsl:when>
      <xsl:otherwise>14</xsl:otherwise>
    </xsl:choose>
  </xsl:variable>
  <xsl:variable name="day-count">
    <xsl:choose>
      <xsl:when test="$days > 1"><xsl:value-of select="$days"/></xsl:when>
      <xsl:otherwise>1</xsl:otherwise>
    </xsl:choose>
  </xsl:variable>

  <xsl:template name="handout-body">
    <xsl:call-template name="day-sheet"/>
  </xsl:template>

  <xsl:template name="day-sheet">
    <xsl:param name="day" select="1"/>
    <fo:block>
      <xsl:if test="$day > 1"><xsl:attribute name="break-before">page</xsl:attribute></xsl:if>
      <xsl:call-template name="handout-title">
        <xsl:with-param name="suffix">
          <xsl:if test="$day-count > 1">
            <xsl:call-template name="gentext-format">
              <xsl:with-param name="key" select="'day-n'"/>
              <xsl:with-param name="p1" select="$day"/>
            </xsl:call-template>
          </xsl:if>
        </xsl:with-param>
      </xsl:call-template>
      <xsl:call-template name="session-facts"/>
      <fo:block xsl:use-attribute-sets="sans" font-size="{$small-size}pt" color="{$muted-color}" text-align="start"
                space-after="2mm">
        <xsl:call-template name="gentext"><xsl:with-param name="key" select="'sign-in-intro'"/></xsl:call-template>
      </fo:block>
      <fo:table width="100%" border-top="{concat('0.8pt solid ', $primary)}">
        <xsl:call-template name="table-layout"/>
        <fo:table-column column-width="9mm"/>
        <fo:table-column column-width="proportional-column-width(3)"/>
        <fo:table-column column-width="proportional-column-width(2)"/>
        <fo:table-column column-width="proportional-column-width(2)"/>
        <fo:table-column column-width="proportional-column-width(2)"/>
        <fo:table-header start-indent="0pt" end-indent="0pt">
          <fo:table-row>
            <xsl:call-template name="head-cell"><xsl:with-param name="key" select="'number-col'"/></xsl:call-template>
            <xsl:call-template name="head-cell"><xsl:with-param name="key" select="'name'"/></xsl:call-template>
            <xsl:call-template name="head-cell"><xsl:with-param name="key" select="'organisation'"/></xsl:call-template>
            <xsl:call-template name="head-cell"><xsl:with-param name="key" select="'morning'"/></xsl:call-template>
            <xsl:call-template name="head-cell"><xsl:with-param name="key" select="'afternoon'"/></xsl:call-template>
          </fo:table-row>
        </fo:table-header>
        <fo:table-body start-indent="0pt" end-indent="0pt">
          <xsl:call-template name="sign-rows"/>
        </fo:table-body>
      </fo:table>
    </fo:block>
    <xsl:if test="$day &lt; $day-count">
      <xsl:call-template name="day-sheet"><xsl:with-param name="day" select="$day + 1"/></xsl:call-template>
    </xsl:if>
  </xsl:template>

  <xsl:template name="sign-rows">
    <xsl:param name="n" select="1"/>
    <xsl:if test="$n &lt;= $row-count">
      <fo:table-row keep-together.within-page="always" height="{$write-line}">
        <xsl:variable name="rule" select="concat('0.4pt solid ', $line-color)"/>
        <fo:table-cell xsl:use-attribute-sets="table-cell" border-bottom="{$rule}" display-align="after">
          <fo:block xsl:use-attribute-sets="sans" color="{$muted-color}" line-height="{$write-line}"><xsl:value-of select="$n"/></fo:block>
        </fo:table-cell>
        <fo:table-cell xsl:use-attribute-sets="table-cell" border-bottom="{$rule}" border-left="{$rule}"><fo:block line-height="{$write-line}">&#160;</fo:block></fo:table-cell>
        <fo:table-cell xsl:use-attribute-sets="table-cell" border-bottom="{$rule}" border-left="{$rule}"><fo:block>&#160;</fo:block></fo:table-cell>
        <fo:table-cell xsl:use-attribute-sets="table-cell" border-bottom="{$rule}" border-left="{$rule}"><fo:block>&#160;</fo:block></fo:table-cell>
        <fo:table-cell xsl:use-attribute-sets="table-cell" border-bottom="{$rule}" border-left="{$rule}"><fo:block>&#160;</fo:block></fo:table-cell>
      </fo:table-row>
      <xsl:call-template name="sign-rows"><xsl:with-param name="n" select="$n + 1"/></xsl:call-template>
    </xsl:if>
  </xsl:template>

</xsl:stylesheet>
