<?xml version="1.0" encoding="UTF-8"?>
<!--
  exercises.xsl: exercise sheets, ready to photocopy.

  Each exercise starts on a new page headed by its module and a "Name / Date" line; no answers,
  no trainer material.  Pages are not mirrored (they are copied one-sided).  A discussion prints
  the case it discusses on its own sheet.  A role-play's situation is on its sheet, each role
  brief is a role card of its own page (a dashed line to cut along, the role's name in large
  type) and the observer sheet starts a page too, so that they can be handed out separately
  (a debrief is trainer material and is left out).  A course without exercises gives one
  page that says there is nothing to print.

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
  <!-- A role card: one a page, inside a dashed line to cut along, the role's name in large
       type above its brief, the exercise named small so that cards of several role-plays do
       not mix.  Only the player of the role reads it. -->
  <xsl:template match="role" mode="card">
    <fo:block break-before="page">
      <xsl:call-template name="module-marker"/>
      <fo:block xsl:use-attribute-sets="sans" font-size="{$small-size}pt" color="{$muted-color}" text-align="start"
                space-after="1mm" font-family="DejaVu Sans">&#x2702;</fo:block>
      <fo:block margin-left="0pt" margin-right="0pt" padding="7mm" keep-together.within-page="always"
                border="{concat('0.8pt dashed ', $line-color)}">
        <xsl:copy-of select="@id"/>
        <xsl:call-template name="source-attribute"/>
        <fo:block xsl:use-attribute-sets="label" color="{$muted-color}" text-align-last="justify">
          <xsl:call-template name="gentext"><xsl:with-param name="key" select="'role-card'"/></xsl:call-template>
          <fo:leader leader-pattern="space"/>
          <xsl:for-each select="ancestor::exercise[1]">
            <xsl:call-template name="label"/>
            <xsl:call-template name="gentext"><xsl:with-param name="key" select="'meta-separator'"/></xsl:call-template>
            <xsl:apply-templates select="title[1]" mode="plain"/>
          </xsl:for-each>
        </fo:block>
        <fo:block xsl:use-attribute-sets="heading" font-size="{$title-size * 0.75}pt" space-before="5mm"
                  space-after="5mm" padding-bottom="2mm" border-bottom="{concat('1pt solid ', $primary)}">
          <xsl:value-of select="@name"/>
        </fo:block>
        <xsl:apply-templates select="brief"/>
      </fo:block>
    </fo:block>
  </xsl:template>

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
    <xsl:apply-templates select="role-play/role" mode="card"/>
    <xsl:for-each select="role-play/observer-sheet">
      <fo:block break-before="page">
        <xsl:for-each select="ancestor::exercise[1]">
          <xsl:call-template name="sheet-head"/>
        </xsl:for-each>
        <fo:block xsl:use-attribute-sets="exercise-box">
          <xsl:for-each select="ancestor::exercise[1]">
            <xsl:call-template name="exercise-head">
              <xsl:with-param name="suffix">
                <xsl:call-template name="gentext"><xsl:with-param name="key" select="'observer-sheet'"/></xsl:call-template>
              </xsl:with-param>
            </xsl:call-template>
          </xsl:for-each>
          <xsl:apply-templates select="."/>
        </fo:block>
      </fo:block>
    </xsl:for-each>
  </xsl:template>

</xsl:stylesheet>
