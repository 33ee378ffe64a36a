<?xml version="1.0" encoding="UTF-8"?>
<!--
  exercises.xsl: exercise sheets, ready to photocopy.

  Each exercise starts on a new page headed by its module and a "Name / Date" line; no answers,
  no trainer material.  Pages are not mirrored (they are copied one-sided).  A discussion prints
  the case it discusses on its own sheet, and the briefs of a role-play and its observer sheet
  each start a page of their own, so that they can be handed out separately (a debrief is
  trainer material and is left out).

  Parameters: lang, paper, brand, date (see common.xsl).
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:fo="http://www.w3.org/1999/XSL/Format">

  <xsl:import href="common.xsl"/>

  <xsl:variable name="edition" select="'exercises'"/>
  <xsl:variable name="show-answers" select="false()"/>
  <xsl:variable name="show-trainer" select="false()"/>
  <xsl:variable name="mirror" select="false()"/>

  <xsl:template name="toc-entries">
    <xsl:call-template name="toc-exercise-entries"/>
  </xsl:template>

  <xsl:template name="bookmark-entries">
    <xsl:call-template name="bookmark-exercise-entries"/>
  </xsl:template>

  <xsl:template name="body-content">
    <xsl:for-each select="$modules[.//exercise]">
      <xsl:for-each select=".//exercise">
        <fo:block break-before="page">
          <!-- the module's id goes on its first sheet -->
          <xsl:if test="position() = 1">
            <xsl:attribute name="id">
              <xsl:call-template name="object-id"><xsl:with-param name="node" select="ancestor::module[1]"/></xsl:call-template>
            </xsl:attribute>
          </xsl:if>
          <xsl:call-template name="sheet-head"/>
          <xsl:apply-templates select="."/>
        </fo:block>
      </xsl:for-each>
    </xsl:for-each>
  </xsl:template>

  <!-- "Module 2 · Client or customer?" and a line for the name and the date -->
  <xsl:template name="sheet-head">
    <fo:block xsl:use-attribute-sets="sans" font-size="{$small-size + 1}pt" font-weight="bold" color="{$primary}"
              text-align="start" hyphenate="false" keep-with-next.within-page="always">
      <xsl:call-template name="module-marker"/>
      <xsl:call-template name="label"><xsl:with-param name="node" select="ancestor::module[1]"/></xsl:call-template>
      <fo:inline color="{$text-color}">
        <xsl:call-template name="gentext"><xsl:with-param name="key" select="'meta-separator'"/></xsl:call-template>
        <xsl:apply-templates select="ancestor::module[1]/title[1]" mode="title"/>
      </fo:inline>
    </fo:block>
    <xsl:call-template name="name-date-line"/>
  </xsl:template>

  <!-- the discussed case, printed in full on the sheet (its id on its first printing only) -->
  <xsl:template match="discussion" mode="case-reference">
    <xsl:variable name="case" select="key('by-id', @case)[1]"/>
    <xsl:variable name="first" select="not(preceding::discussion[@case = current()/@case])"/>
    <xsl:apply-templates select="$case">
      <xsl:with-param name="with-id" select="$first"/>
    </xsl:apply-templates>
  </xsl:template>

  <!-- A role-play: the situation on the exercise's sheet, then each role brief and the
       observer sheet on a page of its own, framed and named like the exercise. -->
  <xsl:template match="exercise[role-play]">
    <fo:block xsl:use-attribute-sets="exercise-box">
      <xsl:call-template name="id-attribute"/>
      <xsl:call-template name="source-attribute"/>
      <xsl:call-template name="exercise-head"/>
      <xsl:apply-templates select="instructions"/>
      <fo:block>
        <xsl:copy-of select="role-play/@id"/>
        <xsl:apply-templates select="role-play/situation"/>
      </fo:block>
    </fo:block>
    <xsl:for-each select="role-play/role | role-play/observer-sheet">
      <xsl:variable name="suffix">
        <xsl:choose>
          <xsl:when test="self::role">
            <xsl:call-template name="gentext-format">
              <xsl:with-param name="key" select="'role-name'"/>
              <xsl:with-param name="p1" select="string(@name)"/>
            </xsl:call-template>
          </xsl:when>
          <xsl:otherwise>
            <xsl:call-template name="gentext"><xsl:with-param name="key" select="'observer-sheet'"/></xsl:call-template>
          </xsl:otherwise>
        </xsl:choose>
      </xsl:variable>
      <fo:block break-before="page">
        <xsl:for-each select="ancestor::exercise[1]">
          <xsl:call-template name="sheet-head"/>
        </xsl:for-each>
        <fo:block xsl:use-attribute-sets="exercise-box">
          <xsl:for-each select="ancestor::exercise[1]">
            <xsl:call-template name="exercise-head"><xsl:with-param name="suffix" select="$suffix"/></xsl:call-template>
          </xsl:for-each>
          <xsl:choose>
            <xsl:when test="self::role">
              <fo:block xsl:use-attribute-sets="write-area" padding-top="2mm">
                <xsl:copy-of select="@id"/>
                <xsl:apply-templates select="brief"/>
              </fo:block>
            </xsl:when>
            <xsl:otherwise><xsl:apply-templates select="."/></xsl:otherwise>
          </xsl:choose>
        </fo:block>
      </fo:block>
    </xsl:for-each>
  </xsl:template>

</xsl:stylesheet>
