<?xml version="1.0" encoding="UTF-8"?>
<!--
  handout.xsl: what the one-session handouts (sign-in.xsl, feedback.xsl) share: a document of
  one page sequence without title page or contents, headed by the course and the handout's
  name, with lines for the session's date, place and trainer (filled in from the parameters
  session-date, session-place and trainer when given).  Imports common.xsl; an importing
  stylesheet sets $edition and writes the template "handout-body".
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:fo="http://www.w3.org/1999/XSL/Format">

  <xsl:import href="common.xsl"/>

  <xsl:variable name="show-answers" select="false()"/>
  <xsl:variable name="show-trainer" select="false()"/>
  <xsl:variable name="mirror" select="false()"/>

  <xsl:template match="/">
    <xsl:call-template name="check-parameters"/>
    <fo:root xml:lang="{$language}" language="{$language}"
             font-family="{$font-serif}" font-size="{$body-size}pt" line-height="{$line-height}"
             color="{$text-color}" hyphenate="true">
      <xsl:call-template name="layout-master-set"/>
      <xsl:call-template name="declarations"/>
      <fo:page-sequence master-reference="wb-pages" id="wb-body" initial-page-number="1" format="1">
        <xsl:for-each select="/*"><xsl:call-template name="source-attribute"/></xsl:for-each>
        <fo:title><xsl:value-of select="normalize-space($course-title-text)"/></fo:title>
        <xsl:call-template name="static-contents"/>
        <fo:flow flow-name="xsl-region-body">
          <xsl:call-template name="handout-body"/>
        </fo:flow>
      </fo:page-sequence>
    </fo:root>
  </xsl:template>

  <xsl:template name="handout-body"/>

  <!-- "Sign-in sheet", the course's title and subtitle -->
  <xsl:template name="handout-title">
    <xsl:param name="suffix" select="''"/>
    <fo:block xsl:use-attribute-sets="label" color="{$primary}" font-size="{$small-size}pt">
      <xsl:value-of select="$edition-name"/>
      <xsl:if test="$suffix != ''">
        <xsl:call-template name="gentext"><xsl:with-param name="key" select="'meta-separator'"/></xsl:call-template>
        <xsl:value-of select="$suffix"/>
      </xsl:if>
    </fo:block>
    <fo:block xsl:use-attribute-sets="heading" font-size="{$h1-size + 3}pt" space-before="1mm" space-after="1mm">
      <xsl:apply-templates select="$course-title" mode="title"/>
    </fo:block>
    <xsl:if test="$course-subtitle">
      <fo:block xsl:use-attribute-sets="sans" color="{$muted-color}" text-align="start">
        <xsl:apply-templates select="$course-subtitle" mode="title"/>
      </fo:block>
    </xsl:if>
  </xsl:template>

  <!-- "Date: ____  Place: ____  Trainer: ____", the parameters written in when given -->
  <xsl:template name="session-facts">
    <fo:table width="100%" space-before="5mm" space-after="4mm">
      <xsl:call-template name="table-layout"/>
      <fo:table-column column-width="proportional-column-width(1)"/>
      <fo:table-column column-width="proportional-column-width(1)"/>
      <fo:table-column column-width="proportional-column-width(1)"/>
      <fo:table-body start-indent="0pt" end-indent="0pt">
        <fo:table-row>
          <xsl:call-template name="fact-cell">
            <xsl:with-param name="key" select="'date'"/>
            <xsl:with-param name="value">
              <xsl:if test="normalize-space($session-date) != ''">
                <xsl:call-template name="format-date"><xsl:with-param name="value" select="$session-date"/></xsl:call-template>
              </xsl:if>
            </xsl:with-param>
          </xsl:call-template>
          <xsl:call-template name="fact-cell">
            <xsl:with-param name="key" select="'place'"/>
            <xsl:with-param name="value" select="normalize-space($session-place)"/>
          </xsl:call-template>
          <xsl:call-template name="fact-cell">
            <xsl:with-param name="key" select="'trainer'"/>
            <xsl:with-param name="value" select="normalize-space($trainer)"/>
          </xsl:call-template>
        </fo:table-row>
      </fo:table-body>
    </fo:table>
  </xsl:template>

  <xsl:template name="fact-cell">
    <xsl:param name="key"/>
    <xsl:param name="value"/>
    <fo:table-cell padding-right="4mm">
      <fo:block xsl:use-attribute-sets="label" color="{$muted-color}">
        <xsl:call-template name="gentext"><xsl:with-param name="key" select="$key"/></xsl:call-template>
      </fo:block>
      <fo:block xsl:use-attribute-sets="sans" text-align="start" border-bottom="{concat('0.4pt solid ', $line-color)}"
                line-height="{$write-line}">
        <xsl:value-of select="$value"/>
        <xsl:text>&#160;</xsl:text>
      </fo:block>
    </fo:table-cell>
  </xsl:template>

</xsl:stylesheet>
