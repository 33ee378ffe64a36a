<?xml version="1.0" encoding="UTF-8"?>
<!--
  answers.xsl: the answer key.

  For each module that has exercises, its title; for each exercise, its number, title, mode and
  duration, then its answers only: model answers (with the question they answer, small), true or
  false with the explanation, the right choices, the matching pairs, the right order, the
  completed text of a fill-in, the score bands of a checklist, the interpretation of a rating
  scale, the debrief of a role-play.  Pages are not mirrored.

  Parameters: lang, paper, brand, date (see common.xsl).
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:fo="http://www.w3.org/1999/XSL/Format">

  <xsl:import href="common.xsl"/>

  <xsl:variable name="edition" select="'answers'"/>
  <xsl:variable name="show-answers" select="true()"/>
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
      <fo:block>
        <xsl:if test="position() > 1">
          <xsl:attribute name="break-before">page</xsl:attribute>
        </xsl:if>
        <xsl:call-template name="id-attribute"/>
        <fo:block xsl:use-attribute-sets="heading" font-size="{$h1-size + 2}pt" space-after="2mm"
                  margin-left="0pt" margin-right="0pt" padding-bottom="2mm"
                  border-bottom="{concat('1pt solid ', $primary)}">
          <xsl:call-template name="module-marker"/>
          <fo:inline color="{$accent}"><xsl:call-template name="label"/></fo:inline>
          <xsl:text>&#160;&#160; </xsl:text>
          <xsl:apply-templates select="title[1]" mode="title"/>
        </fo:block>
        <xsl:apply-templates select=".//exercise" mode="answer-key"/>
      </fo:block>
    </xsl:for-each>
  </xsl:template>

  <xsl:template match="exercise" mode="answer-key">
    <fo:block space-before="5mm" padding-top="2mm" margin-left="0pt" margin-right="0pt">
      <xsl:if test="position() > 1">
        <xsl:attribute name="border-top"><xsl:value-of select="concat('0.5pt solid ', $rule-color)"/></xsl:attribute>
      </xsl:if>
      <xsl:call-template name="id-attribute"/>
      <xsl:call-template name="source-attribute"/>
      <xsl:call-template name="exercise-head"/>
      <xsl:apply-templates select="*[contains($exercise-kinds, concat('|', local-name(), '|'))]" mode="answer-key"/>
    </fo:block>
  </xsl:template>

  <!-- a numbered list of answers: label, then the body given -->
  <xsl:template name="key-item">
    <xsl:param name="number"/>
    <xsl:param name="body"/>
    <fo:list-item space-before="1.8mm" keep-together.within-page="always">
      <xsl:copy-of select="@id"/>
      <fo:list-item-label end-indent="label-end()">
        <fo:block xsl:use-attribute-sets="sans" font-weight="bold" color="{$primary}"><xsl:value-of select="$number"/>.</fo:block>
      </fo:list-item-label>
      <fo:list-item-body start-indent="body-start()">
        <xsl:copy-of select="$body"/>
      </fo:list-item-body>
    </fo:list-item>
  </xsl:template>

  <!-- what was asked, small and grey, so the answer can be found -->
  <xsl:template name="key-context">
    <xsl:param name="nodes"/>
    <fo:block font-size="{$small-size}pt" color="{$muted-color}" text-align="start" keep-with-next.within-page="always">
      <xsl:apply-templates select="$nodes"/>
    </fo:block>
  </xsl:template>

  <xsl:template name="no-answer">
    <fo:block font-style="italic" color="{$muted-color}" text-align="start">
      <xsl:call-template name="gentext"><xsl:with-param name="key" select="'no-answer'"/></xsl:call-template>
    </fo:block>
  </xsl:template>

  <xsl:template name="answer-word">
    <xsl:param name="key"/>
    <fo:inline xsl:use-attribute-sets="sans" font-weight="bold" color="{$answer-color}">
      <xsl:call-template name="gentext"><xsl:with-param name="key" select="$key"/></xsl:call-template>
    </fo:inline>
  </xsl:template>

  <!-- open questions and discussions: the model answers -->
  <xsl:template match="open | discussion" mode="answer-key">
    <fo:list-block provisional-distance-between-starts="7mm">
      <xsl:copy-of select="@id"/>
      <xsl:for-each select="question">
        <xsl:call-template name="key-item">
          <xsl:with-param name="number" select="position()"/>
          <xsl:with-param name="body">
            <xsl:for-each select="prompt">
              <xsl:call-template name="key-context"><xsl:with-param name="nodes" select="node()"/></xsl:call-template>
            </xsl:for-each>
            <xsl:choose>
              <xsl:when test="model-answer">
                <fo:block space-before="0.8mm">
                  <xsl:copy-of select="model-answer/@id"/>
                  <xsl:apply-templates select="model-answer/para | model-answer/list"/>
                </fo:block>
              </xsl:when>
              <xsl:otherwise><xsl:call-template name="no-answer"/></xsl:otherwise>
            </xsl:choose>
          </xsl:with-param>
        </xsl:call-template>
      </xsl:for-each>
    </fo:list-block>
  </xsl:template>

  <!-- true or false: the word, the statement, the explanation -->
  <xsl:template match="true-false" mode="answer-key">
    <fo:list-block provisional-distance-between-starts="7mm">
      <xsl:copy-of select="@id"/>
      <xsl:for-each select="statement">
        <xsl:call-template name="key-item">
          <xsl:with-param name="number" select="position()"/>
          <xsl:with-param name="body">
            <fo:block text-align="start">
              <xsl:call-template name="answer-word"><xsl:with-param name="key" select="string(@answer)"/></xsl:call-template>
              <fo:inline font-size="{$small-size}pt" color="{$muted-color}">
                <xsl:call-template name="gentext"><xsl:with-param name="key" select="'meta-separator'"/></xsl:call-template>
                <xsl:apply-templates select="node()[not(self::explanation)]"/>
              </fo:inline>
            </fo:block>
            <xsl:apply-templates select="explanation"/>
          </xsl:with-param>
        </xsl:call-template>
      </xsl:for-each>
    </fo:list-block>
  </xsl:template>

  <!-- choices: the right ones, with their letters and explanations -->
  <xsl:template match="single-choice | multiple-choice" mode="answer-key">
    <fo:list-block provisional-distance-between-starts="7mm">
      <xsl:copy-of select="@id"/>
      <xsl:for-each select="item">
        <xsl:call-template name="key-item">
          <xsl:with-param name="number" select="position()"/>
          <xsl:with-param name="body">
            <xsl:call-template name="key-context"><xsl:with-param name="nodes" select="prompt/node()"/></xsl:call-template>
            <xsl:for-each select="choice">
              <xsl:if test="@correct = 'true'">
                <fo:block text-align="start" space-before="0.5mm">
                  <xsl:copy-of select="@id"/>
                  <fo:inline xsl:use-attribute-sets="sans" font-weight="bold" color="{$answer-color}">
                    <xsl:call-template name="letter">
                      <xsl:with-param name="n" select="position()"/>
                      <xsl:with-param name="case" select="'lower'"/>
                    </xsl:call-template>
                    <xsl:text>)&#160;</xsl:text>
                  </fo:inline>
                  <fo:inline font-weight="bold"><xsl:apply-templates select="node()[not(self::explanation)]"/></fo:inline>
                </fo:block>
                <xsl:apply-templates select="explanation"/>
              </xsl:if>
            </xsl:for-each>
          </xsl:with-param>
        </xsl:call-template>
      </xsl:for-each>
    </fo:list-block>
  </xsl:template>

  <!-- matching: number, letter, and both texts -->
  <xsl:template match="matching" mode="answer-key">
    <fo:list-block provisional-distance-between-starts="7mm">
      <xsl:copy-of select="@id"/>
      <xsl:for-each select="left/item">
        <xsl:variable name="partner" select="../../right/item[@id = current()/@match]"/>
        <xsl:call-template name="key-item">
          <xsl:with-param name="number" select="position()"/>
          <xsl:with-param name="body">
            <fo:block text-align="start">
              <fo:inline xsl:use-attribute-sets="sans" font-weight="bold" color="{$answer-color}">
                <xsl:call-template name="match-letter"/>
                <xsl:text>&#160;&#160;</xsl:text>
              </fo:inline>
              <xsl:apply-templates/>
              <fo:inline color="{$muted-color}"> → </fo:inline>
              <xsl:apply-templates select="$partner/node()"/>
            </fo:block>
          </xsl:with-param>
        </xsl:call-template>
      </xsl:for-each>
    </fo:list-block>
  </xsl:template>

  <!-- sequencing: the steps in their right order -->
  <xsl:template match="sequencing" mode="answer-key">
    <fo:block>
      <xsl:copy-of select="@id"/>
      <xsl:call-template name="small-heading">
        <xsl:with-param name="key" select="'correct-order'"/>
        <xsl:with-param name="color" select="$answer-color"/>
      </xsl:call-template>
      <fo:list-block provisional-distance-between-starts="7mm">
        <xsl:for-each select="step">
          <xsl:sort select="@position" data-type="number"/>
          <xsl:call-template name="key-item">
            <xsl:with-param name="number" select="@position"/>
            <xsl:with-param name="body">
              <fo:block text-align="start"><xsl:apply-templates/></fo:block>
            </xsl:with-param>
          </xsl:call-template>
        </xsl:for-each>
      </fo:list-block>
    </fo:block>
  </xsl:template>

  <!-- fill-in: the text with its gaps filled -->
  <xsl:template match="fill-in" mode="answer-key">
    <fo:block>
      <xsl:copy-of select="@id"/>
      <xsl:apply-templates select="para"/>
    </fo:block>
  </xsl:template>

  <!-- checklist: what the scores mean -->
  <xsl:template match="checklist" mode="answer-key">
    <fo:block>
      <xsl:copy-of select="@id"/>
      <xsl:call-template name="bands"/>
    </fo:block>
  </xsl:template>

  <xsl:template match="rating-scale" mode="answer-key">
    <fo:block>
      <xsl:copy-of select="@id"/>
      <xsl:choose>
        <xsl:when test="interpretation">
          <xsl:for-each select="interpretation">
            <fo:block>
              <xsl:copy-of select="@id"/>
              <xsl:apply-templates select="para | list"/>
            </fo:block>
          </xsl:for-each>
        </xsl:when>
        <xsl:otherwise><xsl:call-template name="no-answer"/></xsl:otherwise>
      </xsl:choose>
    </fo:block>
  </xsl:template>

  <xsl:template match="role-play" mode="answer-key">
    <fo:block>
      <xsl:copy-of select="@id"/>
      <xsl:choose>
        <xsl:when test="debrief">
          <xsl:apply-templates select="debrief"/>
        </xsl:when>
        <xsl:otherwise><xsl:call-template name="no-answer"/></xsl:otherwise>
      </xsl:choose>
    </fo:block>
  </xsl:template>

</xsl:stylesheet>
