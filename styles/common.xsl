<?xml version="1.0" encoding="UTF-8"?>
<!--
  common.xsl: what every edition of a workbook shares.

  Input:  a course document after loading: XInclude resolved, one language and one edition kept
          (profiling), valid against styles/course.rnc.  The root is <course>, or a lone
          <module> that is styled as a one-module course.
  Output: XSL-FO, within the subset the workbook engine formats (shared/DESIGN.md).

  The edition stylesheets (participant.xsl, trainer.xsl, exercises.xsl, answers.xsl) import this
  file and set the variables $edition, $show-answers, $show-trainer and $mirror; exercises.xsl and
  answers.xsl also replace the templates "body-content", "toc-entries" and "bookmark-entries".

  Parameters (all editions):
    lang    en | fr | ru | bg     default: the course's xml:lang, else en
    paper   A4 | A5 | letter      default: A4
    brand   an id of brands.xml   default: default
    brand-file, brand-dir: a brand kit (styles/brand.rnc): the absolute path of its
            brand.xml and its folder ending in "/"; the engine sets them for a kit, and
            the kit then stands in for the brand table
    date    printed on the title page (YYYY-MM-DD is written out in the language);
            default: the course's <meta><date>, else no date
    fop     yes | no (default): add table-layout="fixed" to tables, for Apache FOP
  Printing (all default to off):
    duplex  yes (default) | no: no: printed one-sided, so no blank versos and no mirrored
            margins in the workbook and the trainer guide
    bleed   a length (3mm, 8.5pt, 0.125in): the pages are set for a print shop, with that
            bleed, crop marks beyond it and the PDF's TrimBox and BleedBox (fox:bleed and
            fox:crop-offset on every page master, as Apache FOP reads them)
    draft   yes | no (default): "Draft", in the edition's language, across every page
  Personalised copies (workbook batch sets them from a roster; all default to empty):
    participant    the participant's name: on the title page in place of the "Name" line,
                   and in every page footer
    organisation   the participant's organisation, beside the name
    session-date   the session's date (YYYY-MM-DD is written out in the language),
    session-place  its place and
    trainer        its trainer: a line at the foot of the title page

  Generated words come from strings/LANG.xml, colours and the footer name from brands.xml.
  Fonts: PT Serif (text), PT Sans (headings, exercise furniture), PT Mono (code); each family is
  followed by a DejaVu fallback for the few characters PT lacks (U+202F, arrows).

  Source positions: when the engine provides the extension function wb:source(node)
  (namespace urn:x-workbook:xslt), the blocks made for modules, sections, paragraphs, list items,
  exercises, cases, figures and tables carry wb:source="file:line:col", so layout problems can be
  reported at the course file and the preview can name the source of what is clicked.
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:fo="http://www.w3.org/1999/XSL/Format"
    xmlns:wb="urn:x-workbook:xslt"
    xmlns:x="adobe:ns:meta/"
    xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:xmp="http://ns.adobe.com/xap/1.0/"
    exclude-result-prefixes="wb x rdf dc xmp">

  <xsl:output method="xml" encoding="UTF-8" indent="no"/>

  <xsl:include href="schedule.xsl"/>

  <!-- Elements that never hold text of their own: their whitespace is layout of the source. -->
  <xsl:strip-space elements="course meta authors objectives module section list keypoints
      quotation example case questions question figure table columns header row glossary entry
      trainer-note timing exercise instructions model-answer open true-false single-choice
      multiple-choice matching left right sequencing fill-in word-bank checklist rating-scale
      role-play situation role brief observer-sheet debrief discussion interpretation
      description"/>

  <!-- ============================================================ parameters -->

  <xsl:param name="lang" select="''"/>
  <xsl:param name="paper" select="'A4'"/>
  <xsl:param name="brand" select="'default'"/>
  <xsl:param name="brand-file" select="''"/>
  <xsl:param name="brand-dir" select="''"/>
  <xsl:param name="date" select="''"/>
  <!-- yes: add table-layout="fixed" to every table, as Apache FOP and the XSL spec want for
       proportional-column-width(); the workbook engine lays tables out fixed anyway and keeps
       table-layout out of its subset, so its editions leave this at no. -->
  <xsl:param name="fop" select="'no'"/>
  <!-- printing: see above -->
  <xsl:param name="duplex" select="'yes'"/>
  <xsl:param name="bleed" select="''"/>
  <xsl:param name="draft" select="'no'"/>
  <!-- a personalised copy: the participant and the session (see above) -->
  <xsl:param name="participant" select="''"/>
  <xsl:param name="organisation" select="''"/>
  <xsl:param name="session-date" select="''"/>
  <xsl:param name="session-place" select="''"/>
  <xsl:param name="trainer" select="''"/>
  <xsl:variable name="personal" select="normalize-space($participant) != ''"/>
  <!-- yes: a fillable workbook; every place a participant writes or ticks is marked for the
       engine (template "field"), which makes it a form field at its printed frame.  The
       printed look does not change.  Editions that show the answers have nothing to fill. -->
  <xsl:param name="fillable" select="'no'"/>
  <!-- yes: an archival PDF/A-2b (the engine adds XMP metadata and an sRGB output intent) -->
  <xsl:param name="pdfa" select="'no'"/>

  <!-- Set by each edition stylesheet. -->
  <xsl:variable name="edition" select="'participant'"/>
  <xsl:variable name="show-answers" select="false()"/>
  <xsl:variable name="show-trainer" select="false()"/>
  <xsl:variable name="mirror" select="true()"/>

  <xsl:variable name="lower" select="'abcdefghijklmnopqrstuvwxyz'"/>
  <xsl:variable name="upper" select="'ABCDEFGHIJKLMNOPQRSTUVWXYZ'"/>

  <!-- The language: the parameter, else the document's own xml:lang, else English. -->
  <xsl:variable name="lang-asked">
    <xsl:choose>
      <xsl:when test="normalize-space($lang) != ''">
        <xsl:value-of select="normalize-space($lang)"/>
      </xsl:when>
      <xsl:when test="/*/@xml:lang">
        <xsl:value-of select="/*/@xml:lang"/>
      </xsl:when>
      <xsl:when test="/course/module/@xml:lang">
        <xsl:value-of select="/course/module[@xml:lang][1]/@xml:lang"/>
      </xsl:when>
      <xsl:when test="/course/meta//*/@xml:lang">
        <xsl:value-of select="(/course/meta//*[@xml:lang])[1]/@xml:lang"/>
      </xsl:when>
      <xsl:otherwise>en</xsl:otherwise>
    </xsl:choose>
  </xsl:variable>
  <!-- "en-GB" is English: the primary subtag chooses the strings. -->
  <xsl:variable name="language">
    <xsl:choose>
      <xsl:when test="contains($lang-asked, '-')">
        <xsl:value-of select="translate(substring-before($lang-asked, '-'), $upper, $lower)"/>
      </xsl:when>
      <xsl:otherwise>
        <xsl:value-of select="translate($lang-asked, $upper, $lower)"/>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:variable>
  <xsl:variable name="languages" select="' en fr ru bg '"/>

  <xsl:variable name="language-known" select="contains($languages, concat(' ', $language, ' ')) and $language != ''"/>
  <!-- an unknown language is reported by check-parameters; meanwhile English stands in -->
  <xsl:variable name="strings-file">
    <xsl:choose>
      <xsl:when test="$language-known"><xsl:value-of select="concat('strings/', $language, '.xml')"/></xsl:when>
      <xsl:otherwise>strings/en.xml</xsl:otherwise>
    </xsl:choose>
  </xsl:variable>
  <xsl:variable name="strings" select="document($strings-file)/strings"/>

  <xsl:variable name="brands" select="document('brands.xml')/brands"/>
  <!-- a brand kit's brand.xml (document('') is this file, which has no <brand>) -->
  <xsl:variable name="brand-kit" select="document($brand-file)/brand"/>
  <xsl:variable name="brand-entry" select="$brand-kit | $brands/brand[@id = $brand][not($brand-kit)]"/>

  <xsl:variable name="paper-name" select="translate(normalize-space($paper), $upper, $lower)"/>

  <xsl:key name="by-id" match="*[@id]" use="@id"/>

  <!-- ============================================================ the course -->

  <xsl:variable name="modules" select="/course/module | /module"/>
  <xsl:variable name="meta" select="/course/meta"/>

  <!-- The title element of the whole book. -->
  <xsl:variable name="course-title" select="(/course/meta/title | /module/title)[1]"/>
  <xsl:variable name="course-subtitle" select="(/course/meta/subtitle | /module/subtitle)[1]"/>
  <xsl:variable name="course-title-text">
    <xsl:apply-templates select="$course-title" mode="plain"/>
  </xsl:variable>

  <!-- ============================================================ look -->

  <!-- a brand's own families come first, the shipped ones stand in for what they lack -->
  <xsl:variable name="font-serif" select="concat(substring(concat($brand-entry/@body-font, ', '), 1 div boolean($brand-entry/@body-font)), 'PT Serif, DejaVu Serif')"/>
  <xsl:variable name="font-sans" select="concat(substring(concat($brand-entry/@heading-font, ', '), 1 div boolean($brand-entry/@heading-font)), 'PT Sans, DejaVu Sans')"/>
  <xsl:variable name="font-mono" select="'PT Mono, DejaVu Sans Mono'"/>

  <xsl:variable name="primary" select="string($brand-entry/@primary)"/>
  <xsl:variable name="accent" select="string($brand-entry/@accent)"/>
  <!-- a brand kit may leave out the pale colours: its own, 92% white -->
  <xsl:variable name="tint">
    <xsl:call-template name="pale"><xsl:with-param name="given" select="$brand-entry/@tint"/><xsl:with-param name="colour" select="$primary"/></xsl:call-template>
  </xsl:variable>
  <xsl:variable name="note-tint">
    <xsl:call-template name="pale"><xsl:with-param name="given" select="$brand-entry/@note"/><xsl:with-param name="colour" select="$accent"/></xsl:call-template>
  </xsl:variable>
  <xsl:variable name="text-color" select="'#222222'"/>
  <xsl:variable name="muted-color" select="'#5F6368'"/>
  <xsl:variable name="rule-color" select="'#C8CDD2'"/>
  <xsl:variable name="line-color" select="'#8C8C8C'"/>
  <xsl:variable name="box-color" select="'#4A4A4A'"/>
  <!-- answers are shown in the accent colour, like a trainer's pen -->
  <xsl:variable name="answer-color" select="$accent"/>

  <xsl:template name="pale">
    <xsl:param name="given"/>
    <xsl:param name="colour"/>
    <xsl:variable name="hex" select="'0123456789ABCDEF'"/>
    <xsl:variable name="c" select="translate($colour, 'abcdef', 'ABCDEF')"/>
    <xsl:choose>
      <xsl:when test="$given"><xsl:value-of select="$given"/></xsl:when>
      <xsl:otherwise>
        <xsl:text>#</xsl:text>
        <xsl:for-each select="(document('')//*)[position() &lt;= 3]">
          <xsl:variable name="i" select="2 * position()"/>
          <xsl:variable name="d" select="16 * string-length(substring-before($hex, substring($c, $i, 1))) + string-length(substring-before($hex, substring($c, $i + 1, 1)))"/>
          <xsl:variable name="p" select="round(255 - (255 - $d) * 0.08)"/>
          <xsl:value-of select="concat(substring($hex, floor($p div 16) + 1, 1), substring($hex, $p mod 16 + 1, 1))"/>
        </xsl:for-each>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- Paper: sizes in mm (letter: 8.5in x 11in). A4 and letter share the margins; A5 is tighter
       and its type a little smaller.  Mirrored pages put the wider margin on the binding side. -->
  <xsl:variable name="page-width">
    <xsl:choose>
      <xsl:when test="$paper-name = 'a5'">148</xsl:when>
      <xsl:when test="$paper-name = 'letter'">215.9</xsl:when>
      <xsl:otherwise>210</xsl:otherwise>
    </xsl:choose>
  </xsl:variable>
  <xsl:variable name="page-height">
    <xsl:choose>
      <xsl:when test="$paper-name = 'a5'">210</xsl:when>
      <xsl:when test="$paper-name = 'letter'">279.4</xsl:when>
      <xsl:otherwise>297</xsl:otherwise>
    </xsl:choose>
  </xsl:variable>
  <xsl:variable name="small" select="$paper-name = 'a5'"/>
  <!-- margins of the page (mm) -->
  <xsl:variable name="margin-top"><xsl:choose><xsl:when test="$small">9</xsl:when><xsl:otherwise>12</xsl:otherwise></xsl:choose></xsl:variable>
  <xsl:variable name="margin-bottom"><xsl:choose><xsl:when test="$small">8</xsl:when><xsl:otherwise>11</xsl:otherwise></xsl:choose></xsl:variable>
  <xsl:variable name="margin-inner"><xsl:choose><xsl:when test="$small">18</xsl:when><xsl:otherwise>25</xsl:otherwise></xsl:choose></xsl:variable>
  <xsl:variable name="margin-outer"><xsl:choose><xsl:when test="$small">14</xsl:when><xsl:otherwise>21</xsl:otherwise></xsl:choose></xsl:variable>
  <!-- room of the running head and foot inside the page margins (mm) -->
  <xsl:variable name="head-extent"><xsl:choose><xsl:when test="$small">10</xsl:when><xsl:otherwise>11</xsl:otherwise></xsl:choose></xsl:variable>
  <xsl:variable name="body-top"><xsl:choose><xsl:when test="$small">13</xsl:when><xsl:otherwise>17</xsl:otherwise></xsl:choose></xsl:variable>
  <xsl:variable name="foot-extent"><xsl:choose><xsl:when test="$small">8</xsl:when><xsl:otherwise>10</xsl:otherwise></xsl:choose></xsl:variable>
  <xsl:variable name="body-bottom"><xsl:choose><xsl:when test="$small">12</xsl:when><xsl:otherwise>15</xsl:otherwise></xsl:choose></xsl:variable>

  <!-- type sizes (pt) -->
  <xsl:variable name="body-size"><xsl:choose><xsl:when test="$small">10</xsl:when><xsl:otherwise>10.5</xsl:otherwise></xsl:choose></xsl:variable>
  <xsl:variable name="small-size"><xsl:choose><xsl:when test="$small">8.5</xsl:when><xsl:otherwise>9</xsl:otherwise></xsl:choose></xsl:variable>
  <xsl:variable name="tiny-size"><xsl:choose><xsl:when test="$small">7.5</xsl:when><xsl:otherwise>8</xsl:otherwise></xsl:choose></xsl:variable>
  <xsl:variable name="module-title-size"><xsl:choose><xsl:when test="$small">20</xsl:when><xsl:otherwise>24</xsl:otherwise></xsl:choose></xsl:variable>
  <xsl:variable name="h1-size"><xsl:choose><xsl:when test="$small">13.5</xsl:when><xsl:otherwise>15</xsl:otherwise></xsl:choose></xsl:variable>
  <xsl:variable name="h2-size"><xsl:choose><xsl:when test="$small">11.5</xsl:when><xsl:otherwise>12.5</xsl:otherwise></xsl:choose></xsl:variable>
  <xsl:variable name="h3-size"><xsl:choose><xsl:when test="$small">10.5</xsl:when><xsl:otherwise>11</xsl:otherwise></xsl:choose></xsl:variable>
  <xsl:variable name="exercise-title-size"><xsl:choose><xsl:when test="$small">11.5</xsl:when><xsl:otherwise>13</xsl:otherwise></xsl:choose></xsl:variable>
  <xsl:variable name="title-size"><xsl:choose><xsl:when test="$small">24</xsl:when><xsl:otherwise>32</xsl:otherwise></xsl:choose></xsl:variable>
  <xsl:variable name="subtitle-size"><xsl:choose><xsl:when test="$small">13</xsl:when><xsl:otherwise>16</xsl:otherwise></xsl:choose></xsl:variable>
  <xsl:variable name="line-height" select="'1.4'"/>
  <!-- height of one ruled write-in line, width of a fill-in gap -->
  <xsl:variable name="write-line"><xsl:choose><xsl:when test="$small">7mm</xsl:when><xsl:otherwise>8mm</xsl:otherwise></xsl:choose></xsl:variable>
  <xsl:variable name="gap-length"><xsl:choose><xsl:when test="$small">22mm</xsl:when><xsl:otherwise>28mm</xsl:otherwise></xsl:choose></xsl:variable>
  <xsl:variable name="box-inset" select="'3.5mm'"/>
  <!-- width of the running text (mm) -->
  <xsl:variable name="text-width-mm" select="$page-width - $margin-inner - $margin-outer"/>

  <!-- ============================================================ attribute sets -->

  <xsl:attribute-set name="para">
    <xsl:attribute name="space-after">0.55em</xsl:attribute>
    <xsl:attribute name="text-align">justify</xsl:attribute>
    <xsl:attribute name="hyphenate">true</xsl:attribute>
  </xsl:attribute-set>

  <xsl:attribute-set name="sans">
    <xsl:attribute name="font-family"><xsl:value-of select="$font-sans"/></xsl:attribute>
  </xsl:attribute-set>

  <xsl:attribute-set name="heading" use-attribute-sets="sans">
    <xsl:attribute name="font-weight">bold</xsl:attribute>
    <xsl:attribute name="color"><xsl:value-of select="$primary"/></xsl:attribute>
    <xsl:attribute name="text-align">start</xsl:attribute>
    <xsl:attribute name="hyphenate">false</xsl:attribute>
    <xsl:attribute name="line-height">1.2</xsl:attribute>
    <xsl:attribute name="keep-with-next.within-page">always</xsl:attribute>
  </xsl:attribute-set>

  <!-- a framed block: margins given so that border and padding sit inside the indents -->
  <xsl:attribute-set name="box">
    <xsl:attribute name="margin-left">0pt</xsl:attribute>
    <xsl:attribute name="margin-right">0pt</xsl:attribute>
    <xsl:attribute name="padding-left"><xsl:value-of select="$box-inset"/></xsl:attribute>
    <xsl:attribute name="padding-right"><xsl:value-of select="$box-inset"/></xsl:attribute>
    <xsl:attribute name="padding-top">2.5mm</xsl:attribute>
    <xsl:attribute name="padding-bottom">2.5mm</xsl:attribute>
    <xsl:attribute name="space-before">1em</xsl:attribute>
    <xsl:attribute name="space-after">1em</xsl:attribute>
  </xsl:attribute-set>

  <xsl:attribute-set name="exercise-box" use-attribute-sets="box">
    <xsl:attribute name="background-color"><xsl:value-of select="$tint"/></xsl:attribute>
    <xsl:attribute name="border-top"><xsl:value-of select="concat('2pt solid ', $primary)"/></xsl:attribute>
    <xsl:attribute name="padding-top">3mm</xsl:attribute>
    <xsl:attribute name="padding-bottom">3.5mm</xsl:attribute>
    <xsl:attribute name="space-before">1.4em</xsl:attribute>
    <xsl:attribute name="space-after">1.4em</xsl:attribute>
  </xsl:attribute-set>

  <xsl:attribute-set name="trainer-box" use-attribute-sets="box sans">
    <xsl:attribute name="background-color"><xsl:value-of select="$note-tint"/></xsl:attribute>
    <xsl:attribute name="border-left"><xsl:value-of select="concat('3pt solid ', $accent)"/></xsl:attribute>
    <xsl:attribute name="font-size"><xsl:value-of select="$small-size"/>pt</xsl:attribute>
  </xsl:attribute-set>

  <xsl:attribute-set name="answer-box" use-attribute-sets="box">
    <xsl:attribute name="background-color"><xsl:value-of select="$note-tint"/></xsl:attribute>
    <xsl:attribute name="border-left"><xsl:value-of select="concat('2pt solid ', $accent)"/></xsl:attribute>
    <xsl:attribute name="padding-top">1.5mm</xsl:attribute>
    <xsl:attribute name="padding-bottom">1.5mm</xsl:attribute>
    <xsl:attribute name="space-before">1.5mm</xsl:attribute>
    <xsl:attribute name="space-after">1mm</xsl:attribute>
  </xsl:attribute-set>

  <!-- the white area inside an exercise where participants write or tick -->
  <xsl:attribute-set name="write-area">
    <xsl:attribute name="background-color">#FFFFFF</xsl:attribute>
    <xsl:attribute name="margin-left">0pt</xsl:attribute>
    <xsl:attribute name="margin-right">0pt</xsl:attribute>
    <xsl:attribute name="padding-left">2.5mm</xsl:attribute>
    <xsl:attribute name="padding-right">2.5mm</xsl:attribute>
    <xsl:attribute name="padding-top">1mm</xsl:attribute>
    <xsl:attribute name="padding-bottom">2mm</xsl:attribute>
    <xsl:attribute name="space-before">1.5mm</xsl:attribute>
    <xsl:attribute name="space-after">1mm</xsl:attribute>
  </xsl:attribute-set>

  <xsl:attribute-set name="label" use-attribute-sets="sans">
    <xsl:attribute name="font-size"><xsl:value-of select="$tiny-size"/>pt</xsl:attribute>
    <xsl:attribute name="font-weight">bold</xsl:attribute>
    <xsl:attribute name="keep-with-next.within-page">always</xsl:attribute>
    <xsl:attribute name="text-align">start</xsl:attribute>
    <xsl:attribute name="hyphenate">false</xsl:attribute>
  </xsl:attribute-set>

  <xsl:attribute-set name="table-cell">
    <xsl:attribute name="padding-left">1.5mm</xsl:attribute>
    <xsl:attribute name="padding-right">1.5mm</xsl:attribute>
    <xsl:attribute name="padding-top">1.2mm</xsl:attribute>
    <xsl:attribute name="padding-bottom">1.2mm</xsl:attribute>
    <xsl:attribute name="border-bottom"><xsl:value-of select="concat('0.5pt solid ', $rule-color)"/></xsl:attribute>
  </xsl:attribute-set>

  <xsl:attribute-set name="table-head-cell" use-attribute-sets="table-cell sans">
    <xsl:attribute name="font-weight">bold</xsl:attribute>
    <xsl:attribute name="font-size"><xsl:value-of select="$small-size"/>pt</xsl:attribute>
    <xsl:attribute name="color"><xsl:value-of select="$primary"/></xsl:attribute>
    <xsl:attribute name="background-color"><xsl:value-of select="$tint"/></xsl:attribute>
    <xsl:attribute name="border-bottom"><xsl:value-of select="concat('0.8pt solid ', $primary)"/></xsl:attribute>
    <xsl:attribute name="display-align">after</xsl:attribute>
  </xsl:attribute-set>

  <!-- ============================================================ the document -->

  <xsl:template match="/">
    <xsl:call-template name="check-parameters"/>
    <fo:root xml:lang="{$language}" language="{$language}"
             font-family="{$font-serif}" font-size="{$body-size}pt" line-height="{$line-height}"
             color="{$text-color}" hyphenate="true">
      <xsl:if test="function-available('wb:source')">
        <!-- declare the prefix once, on the root, for the wb:source attributes below -->
        <xsl:copy-of select="document('')/*/namespace::wb"/>
      </xsl:if>
      <xsl:if test="$pdfa = 'yes'">
        <xsl:attribute name="wb:pdfa" namespace="urn:x-workbook:xslt">yes</xsl:attribute>
      </xsl:if>
      <xsl:call-template name="layout-master-set"/>
      <xsl:call-template name="declarations"/>
      <xsl:choose>
        <xsl:when test="($edition = 'exercises' or $edition = 'answers') and not($modules//exercise)">
          <xsl:call-template name="nothing-to-print"/>
        </xsl:when>
        <xsl:otherwise>
          <xsl:call-template name="bookmark-tree"/>
          <xsl:call-template name="title-page-sequence"/>
          <xsl:call-template name="toc-page-sequence"/>
          <xsl:call-template name="body-page-sequence"/>
        </xsl:otherwise>
      </xsl:choose>
    </fo:root>
  </xsl:template>

  <!-- Exercise sheets or an answer key of a course without exercises: one page that says so,
       rather than a title page and an empty contents page (validation warns as well). -->
  <xsl:template name="nothing-to-print">
    <fo:page-sequence master-reference="wb-title">
      <fo:flow flow-name="xsl-region-body">
        <fo:block xsl:use-attribute-sets="heading" font-size="{$h1-size}pt" space-after="2mm">
          <xsl:apply-templates select="$course-title" mode="title"/>
        </fo:block>
        <fo:block xsl:use-attribute-sets="sans" color="{$muted-color}" space-after="12mm">
          <xsl:value-of select="$edition-name"/>
        </fo:block>
        <fo:block xsl:use-attribute-sets="box sans" border="{concat('1pt solid ', $primary)}" background-color="{$tint}"
                  text-align="start">
          <xsl:call-template name="gentext"><xsl:with-param name="key" select="concat('nothing-', $edition)"/></xsl:call-template>
        </fo:block>
      </fo:flow>
    </fo:page-sequence>
  </xsl:template>

  <xsl:template name="check-parameters">
    <xsl:if test="not(/course or /module)">
      <xsl:message terminate="yes">workbook styles: the document is neither a course nor a module (root element: <xsl:value-of select="name(/*)"/>)</xsl:message>
    </xsl:if>
    <xsl:if test="not($language-known)">
      <xsl:message terminate="yes">workbook styles: unknown language "<xsl:value-of select="$lang-asked"/>" (parameter lang): use en, fr, ru or bg</xsl:message>
    </xsl:if>
    <xsl:if test="not($strings)">
      <xsl:message terminate="yes">workbook styles: cannot read the generated text of language "<xsl:value-of select="$language"/>" (styles/strings/<xsl:value-of select="$language"/>.xml)</xsl:message>
    </xsl:if>
    <xsl:if test="not($paper-name = 'a4' or $paper-name = 'a5' or $paper-name = 'letter')">
      <xsl:message terminate="yes">workbook styles: unknown paper "<xsl:value-of select="$paper"/>" (parameter paper): use A4, A5 or letter</xsl:message>
    </xsl:if>
    <xsl:if test="not($brands)">
      <xsl:message terminate="yes">workbook styles: cannot read the brand table styles/brands.xml</xsl:message>
    </xsl:if>
    <xsl:if test="not($brand-entry)">
      <xsl:message terminate="yes">workbook styles: unknown brand "<xsl:value-of select="$brand"/>" (parameter brand): use one of<xsl:for-each select="$brands/brand"><xsl:text> </xsl:text><xsl:value-of select="@id"/></xsl:for-each></xsl:message>
    </xsl:if>
  </xsl:template>

  <!-- ============================================================ page masters -->

  <xsl:template name="layout-master-set">
    <xsl:variable name="w" select="concat($page-width, 'mm')"/>
    <xsl:variable name="h" select="concat($page-height, 'mm')"/>
    <!-- without mirroring both sides get the mean margin -->
    <xsl:variable name="odd-left">
      <xsl:choose>
        <xsl:when test="$mirror"><xsl:value-of select="$margin-inner"/></xsl:when>
        <xsl:otherwise><xsl:value-of select="($margin-inner + $margin-outer) div 2"/></xsl:otherwise>
      </xsl:choose>
    </xsl:variable>
    <xsl:variable name="odd-right">
      <xsl:choose>
        <xsl:when test="$mirror"><xsl:value-of select="$margin-outer"/></xsl:when>
        <xsl:otherwise><xsl:value-of select="($margin-inner + $margin-outer) div 2"/></xsl:otherwise>
      </xsl:choose>
    </xsl:variable>
    <fo:layout-master-set>
      <fo:simple-page-master master-name="wb-title" page-width="{$w}" page-height="{$h}"
          margin-top="{$margin-top + 6}mm" margin-bottom="{$margin-bottom + 4}mm"
          margin-left="{$odd-left}mm" margin-right="{$odd-right}mm">
        <xsl:call-template name="print-attributes"/>
        <fo:region-body/>
      </fo:simple-page-master>
      <fo:simple-page-master master-name="wb-blank" page-width="{$w}" page-height="{$h}"
          margin-top="{$margin-top}mm" margin-bottom="{$margin-bottom}mm"
          margin-left="{$odd-right}mm" margin-right="{$odd-left}mm">
        <xsl:call-template name="print-attributes"/>
        <fo:region-body/>
      </fo:simple-page-master>
      <fo:simple-page-master master-name="wb-odd" page-width="{$w}" page-height="{$h}"
          margin-top="{$margin-top}mm" margin-bottom="{$margin-bottom}mm"
          margin-left="{$odd-left}mm" margin-right="{$odd-right}mm">
        <xsl:call-template name="print-attributes"/>
        <fo:region-body margin-top="{$body-top}mm" margin-bottom="{$body-bottom}mm"/>
        <fo:region-before region-name="wb-head-odd" extent="{$head-extent}mm" display-align="after"/>
        <fo:region-after region-name="wb-foot-odd" extent="{$foot-extent}mm" display-align="after"/>
      </fo:simple-page-master>
      <fo:simple-page-master master-name="wb-even" page-width="{$w}" page-height="{$h}"
          margin-top="{$margin-top}mm" margin-bottom="{$margin-bottom}mm"
          margin-left="{$odd-right}mm" margin-right="{$odd-left}mm">
        <xsl:call-template name="print-attributes"/>
        <fo:region-body margin-top="{$body-top}mm" margin-bottom="{$body-bottom}mm"/>
        <fo:region-before region-name="wb-head-even" extent="{$head-extent}mm" display-align="after"/>
        <fo:region-after region-name="wb-foot-even" extent="{$foot-extent}mm" display-align="after"/>
      </fo:simple-page-master>

      <fo:page-sequence-master master-name="wb-title-pages">
        <fo:repeatable-page-master-alternatives>
          <fo:conditional-page-master-reference master-reference="wb-blank" blank-or-not-blank="blank"/>
          <fo:conditional-page-master-reference master-reference="wb-title"/>
        </fo:repeatable-page-master-alternatives>
      </fo:page-sequence-master>
      <fo:page-sequence-master master-name="wb-pages">
        <fo:repeatable-page-master-alternatives>
          <fo:conditional-page-master-reference master-reference="wb-blank" blank-or-not-blank="blank"/>
          <fo:conditional-page-master-reference master-reference="wb-odd" odd-or-even="odd"/>
          <fo:conditional-page-master-reference master-reference="wb-even" odd-or-even="even"/>
        </fo:repeatable-page-master-alternatives>
      </fo:page-sequence-master>
    </fo:layout-master-set>
  </xsl:template>

  <!-- ============================================================ printing -->

  <!-- the bleed in mm, from a length in mm, pt or in; NaN when it is none of these -->
  <xsl:variable name="bleed-mm">
    <xsl:variable name="b" select="translate(normalize-space($bleed), $upper, $lower)"/>
    <xsl:choose>
      <xsl:when test="substring($b, string-length($b) - 1) = 'mm'"><xsl:value-of select="number(substring($b, 1, string-length($b) - 2))"/></xsl:when>
      <xsl:when test="substring($b, string-length($b) - 1) = 'pt'"><xsl:value-of select="number(substring($b, 1, string-length($b) - 2)) * 25.4 div 72"/></xsl:when>
      <xsl:when test="substring($b, string-length($b) - 1) = 'in'"><xsl:value-of select="number(substring($b, 1, string-length($b) - 2)) * 25.4"/></xsl:when>
      <xsl:otherwise>NaN</xsl:otherwise>
    </xsl:choose>
  </xsl:variable>

  <!-- On every simple-page-master: the bleed with 6 mm beyond it for the crop marks, and the
       draft watermark (attributes in the FOP and workbook extension namespaces; the engine
       draws the marks and sets the PDF's page boxes). -->
  <xsl:template name="print-attributes">
    <xsl:if test="normalize-space($bleed) != ''">
      <xsl:if test="not(number($bleed-mm) >= 0 and number($bleed-mm) &lt;= 25)">
        <xsl:message terminate="yes">workbook styles: bleed "<xsl:value-of select="$bleed"/>" (parameter bleed): use a length from 0 to 25mm, such as 3mm, 9pt or 0.125in</xsl:message>
      </xsl:if>
      <xsl:attribute name="fox:bleed" namespace="http://xmlgraphics.apache.org/fop/extensions"><xsl:value-of select="$bleed-mm"/>mm</xsl:attribute>
      <xsl:attribute name="fox:crop-offset" namespace="http://xmlgraphics.apache.org/fop/extensions"><xsl:value-of select="$bleed-mm + 6"/>mm</xsl:attribute>
    </xsl:if>
    <xsl:if test="$draft = 'yes'">
      <xsl:attribute name="wb:watermark" namespace="urn:x-workbook:xslt">
        <xsl:call-template name="gentext"><xsl:with-param name="key" select="'draft'"/></xsl:call-template>
      </xsl:attribute>
    </xsl:if>
  </xsl:template>

  <!-- Printed double-sided, front matter ends on an even page so that page 1 is a right page. -->
  <xsl:variable name="front-page-count">
    <xsl:choose>
      <xsl:when test="$mirror">even</xsl:when>
      <xsl:otherwise>no-force</xsl:otherwise>
    </xsl:choose>
  </xsl:variable>

  <!-- ============================================================ metadata -->

  <xsl:variable name="edition-name">
    <xsl:call-template name="gentext">
      <xsl:with-param name="key" select="concat('edition-', $edition)"/>
    </xsl:call-template>
  </xsl:variable>

  <xsl:template name="declarations">
    <xsl:variable name="creators">
      <xsl:for-each select="$meta/authors/author">
        <xsl:if test="position() > 1">, </xsl:if>
        <xsl:value-of select="normalize-space(.)"/>
      </xsl:for-each>
      <xsl:if test="not($meta/authors/author)">
        <xsl:value-of select="normalize-space($meta/organisation[1])"/>
      </xsl:if>
    </xsl:variable>
    <fo:declarations>
      <x:xmpmeta xmlns:x="adobe:ns:meta/">
        <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
          <rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">
            <dc:title><xsl:value-of select="concat(normalize-space($course-title-text), ' — ', $edition-name)"/></dc:title>
            <xsl:if test="normalize-space($creators) != ''">
              <dc:creator><xsl:value-of select="normalize-space($creators)"/></dc:creator>
            </xsl:if>
            <xsl:if test="$course-subtitle">
              <dc:description>
                <xsl:variable name="s"><xsl:apply-templates select="$course-subtitle" mode="plain"/></xsl:variable>
                <xsl:value-of select="normalize-space($s)"/>
              </dc:description>
            </xsl:if>
            <dc:language><xsl:value-of select="$language"/></dc:language>
          </rdf:Description>
          <rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/">
            <xmp:CreatorTool>workbook engine</xmp:CreatorTool>
          </rdf:Description>
        </rdf:RDF>
      </x:xmpmeta>
    </fo:declarations>
  </xsl:template>

  <!-- ============================================================ generated text -->

  <!-- The word or phrase of a key in the edition's language. -->
  <xsl:template name="gentext">
    <xsl:param name="key"/>
    <xsl:variable name="s" select="$strings/s[@key = $key]"/>
    <xsl:choose>
      <xsl:when test="$s">
        <xsl:value-of select="$s"/>
      </xsl:when>
      <xsl:otherwise>
        <xsl:message terminate="yes">workbook styles: no generated text "<xsl:value-of select="$key"/>" in styles/strings/<xsl:value-of select="$language"/>.xml</xsl:message>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- A phrase with {1} and {2} filled in by p1 and p2 (strings or result fragments). -->
  <xsl:template name="gentext-format">
    <xsl:param name="key"/>
    <xsl:param name="p1"/>
    <xsl:param name="p2"/>
    <xsl:variable name="pattern">
      <xsl:call-template name="gentext">
        <xsl:with-param name="key" select="$key"/>
      </xsl:call-template>
    </xsl:variable>
    <xsl:call-template name="fill-pattern">
      <xsl:with-param name="pattern" select="string($pattern)"/>
      <xsl:with-param name="p1" select="$p1"/>
      <xsl:with-param name="p2" select="$p2"/>
    </xsl:call-template>
  </xsl:template>

  <xsl:template name="fill-pattern">
    <xsl:param name="pattern"/>
    <xsl:param name="p1"/>
    <xsl:param name="p2"/>
    <xsl:choose>
      <xsl:when test="contains($pattern, '{')">
        <xsl:value-of select="substring-before($pattern, '{')"/>
        <xsl:variable name="rest" select="substring-after($pattern, '{')"/>
        <xsl:choose>
          <xsl:when test="starts-with($rest, '1}')"><xsl:copy-of select="$p1"/></xsl:when>
          <xsl:when test="starts-with($rest, '2}')"><xsl:copy-of select="$p2"/></xsl:when>
          <xsl:otherwise>{<xsl:value-of select="substring($rest, 1, 2)"/></xsl:otherwise>
        </xsl:choose>
        <xsl:call-template name="fill-pattern">
          <xsl:with-param name="pattern" select="substring($rest, 3)"/>
          <xsl:with-param name="p1" select="$p1"/>
          <xsl:with-param name="p2" select="$p2"/>
        </xsl:call-template>
      </xsl:when>
      <xsl:otherwise>
        <xsl:value-of select="$pattern"/>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- The plural category of a number in the edition's language (CLDR rules, integers). -->
  <xsl:template name="plural-category">
    <xsl:param name="n"/>
    <xsl:choose>
      <xsl:when test="$language = 'ru'">
        <xsl:choose>
          <xsl:when test="$n mod 10 = 1 and $n mod 100 != 11">one</xsl:when>
          <xsl:when test="$n mod 10 >= 2 and $n mod 10 &lt;= 4 and not($n mod 100 >= 12 and $n mod 100 &lt;= 14)">few</xsl:when>
          <xsl:otherwise>many</xsl:otherwise>
        </xsl:choose>
      </xsl:when>
      <xsl:when test="$language = 'fr'">
        <xsl:choose>
          <xsl:when test="$n = 0 or $n = 1">one</xsl:when>
          <xsl:otherwise>other</xsl:otherwise>
        </xsl:choose>
      </xsl:when>
      <xsl:otherwise>
        <xsl:choose>
          <xsl:when test="$n = 1">one</xsl:when>
          <xsl:otherwise>other</xsl:otherwise>
        </xsl:choose>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- "10 minutes": the number, a no-break space and the word in the right plural form. -->
  <xsl:template name="count-words">
    <xsl:param name="key"/>
    <xsl:param name="n"/>
    <xsl:param name="with-number" select="true()"/>
    <xsl:variable name="p" select="$strings/p[@key = $key]"/>
    <xsl:if test="not($p)">
      <xsl:message terminate="yes">workbook styles: no plural "<xsl:value-of select="$key"/>" in styles/strings/<xsl:value-of select="$language"/>.xml</xsl:message>
    </xsl:if>
    <xsl:variable name="category">
      <xsl:call-template name="plural-category">
        <xsl:with-param name="n" select="$n"/>
      </xsl:call-template>
    </xsl:variable>
    <xsl:if test="$with-number">
      <xsl:value-of select="$n"/>
      <xsl:text>&#160;</xsl:text>
    </xsl:if>
    <xsl:choose>
      <xsl:when test="$p/@*[local-name() = $category]">
        <xsl:value-of select="$p/@*[local-name() = $category]"/>
      </xsl:when>
      <xsl:when test="$p/@other"><xsl:value-of select="$p/@other"/></xsl:when>
      <xsl:otherwise><xsl:value-of select="$p/@many"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template name="minutes">
    <xsl:param name="n"/>
    <xsl:call-template name="count-words">
      <xsl:with-param name="key" select="'minutes'"/>
      <xsl:with-param name="n" select="$n"/>
    </xsl:call-template>
  </xsl:template>

  <!-- Letter number n (1 = A) from the language's alphabet. -->
  <xsl:template name="letter">
    <xsl:param name="n"/>
    <xsl:param name="case" select="'upper'"/>
    <xsl:variable name="alphabet">
      <xsl:call-template name="gentext">
        <xsl:with-param name="key" select="concat('letters-', $case)"/>
      </xsl:call-template>
    </xsl:variable>
    <xsl:choose>
      <xsl:when test="$n &lt;= string-length($alphabet)">
        <xsl:value-of select="substring($alphabet, $n, 1)"/>
      </xsl:when>
      <xsl:otherwise><xsl:value-of select="$n"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- A date: YYYY-MM-DD written out in the language, anything else as given. -->
  <xsl:template name="format-date">
    <xsl:param name="value"/>
    <xsl:variable name="v" select="normalize-space($value)"/>
    <xsl:choose>
      <xsl:when test="string-length($v) = 10 and substring($v, 5, 1) = '-' and substring($v, 8, 1) = '-'
                      and number(substring($v, 6, 2)) >= 1 and number(substring($v, 6, 2)) &lt;= 12
                      and number(substring($v, 9, 2)) >= 1 and number(substring($v, 1, 4)) = number(substring($v, 1, 4))">
        <xsl:variable name="d" select="number(substring($v, 9, 2))"/>
        <xsl:variable name="day">
          <xsl:choose>
            <xsl:when test="$d = 1">
              <xsl:call-template name="gentext"><xsl:with-param name="key" select="'day-first'"/></xsl:call-template>
            </xsl:when>
            <xsl:otherwise><xsl:value-of select="$d"/></xsl:otherwise>
          </xsl:choose>
        </xsl:variable>
        <xsl:variable name="month">
          <xsl:call-template name="gentext">
            <xsl:with-param name="key" select="concat('month-', number(substring($v, 6, 2)))"/>
          </xsl:call-template>
        </xsl:variable>
        <xsl:variable name="pattern">
          <xsl:call-template name="gentext"><xsl:with-param name="key" select="'date-format'"/></xsl:call-template>
        </xsl:variable>
        <!-- {d} {m} {y} with no-break spaces -->
        <xsl:call-template name="replace">
          <xsl:with-param name="text">
            <xsl:call-template name="replace">
              <xsl:with-param name="text">
                <xsl:call-template name="replace">
                  <xsl:with-param name="text" select="translate($pattern, ' ', '&#160;')"/>
                  <xsl:with-param name="from" select="'{d}'"/>
                  <xsl:with-param name="to" select="$day"/>
                </xsl:call-template>
              </xsl:with-param>
              <xsl:with-param name="from" select="'{m}'"/>
              <xsl:with-param name="to" select="$month"/>
            </xsl:call-template>
          </xsl:with-param>
          <xsl:with-param name="from" select="'{y}'"/>
          <xsl:with-param name="to" select="substring($v, 1, 4)"/>
        </xsl:call-template>
      </xsl:when>
      <xsl:otherwise><xsl:value-of select="$v"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template name="replace">
    <xsl:param name="text"/>
    <xsl:param name="from"/>
    <xsl:param name="to"/>
    <xsl:choose>
      <xsl:when test="contains($text, $from)">
        <xsl:value-of select="substring-before($text, $from)"/>
        <xsl:value-of select="$to"/>
        <xsl:call-template name="replace">
          <xsl:with-param name="text" select="substring-after($text, $from)"/>
          <xsl:with-param name="from" select="$from"/>
          <xsl:with-param name="to" select="$to"/>
        </xsl:call-template>
      </xsl:when>
      <xsl:otherwise><xsl:value-of select="$text"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- h:mm from minutes -->
  <xsl:template name="clock">
    <xsl:param name="minutes"/>
    <xsl:value-of select="concat(floor($minutes div 60), ':', format-number($minutes mod 60, '00'))"/>
  </xsl:template>

  <!-- ============================================================ numbers, labels, ids -->

  <!-- The id an element has on the FO: its own, or a generated one for the table of contents. -->
  <xsl:template name="object-id">
    <xsl:param name="node" select="."/>
    <xsl:choose>
      <xsl:when test="$node/@id"><xsl:value-of select="$node/@id"/></xsl:when>
      <xsl:otherwise><xsl:value-of select="concat('wb-', generate-id($node))"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template name="id-attribute">
    <xsl:attribute name="id">
      <xsl:call-template name="object-id"/>
    </xsl:attribute>
  </xsl:template>

  <!-- The course position of the element, where the engine can tell it. -->
  <xsl:template name="source-attribute">
    <xsl:if test="function-available('wb:source')">
      <xsl:attribute name="wb:source" namespace="urn:x-workbook:xslt">
        <xsl:value-of select="wb:source(.)"/>
      </xsl:attribute>
    </xsl:if>
  </xsl:template>

  <xsl:template name="module-number">
    <xsl:param name="node" select="."/>
    <xsl:for-each select="$node/ancestor-or-self::module[1]">
      <xsl:value-of select="count(preceding-sibling::module) + 1"/>
    </xsl:for-each>
  </xsl:template>

  <!-- "2.3": the number of a section, exercise, figure or table inside its module. -->
  <xsl:template name="number">
    <xsl:param name="node" select="."/>
    <xsl:for-each select="$node">
      <xsl:choose>
        <xsl:when test="self::module">
          <xsl:call-template name="module-number"/>
        </xsl:when>
        <xsl:otherwise>
          <xsl:call-template name="module-number"/>
          <xsl:text>.</xsl:text>
          <xsl:choose>
            <xsl:when test="self::section"><xsl:number level="multiple" count="section" format="1.1"/></xsl:when>
            <xsl:when test="self::exercise"><xsl:number level="any" count="exercise" from="module"/></xsl:when>
            <xsl:when test="self::figure"><xsl:number level="any" count="figure" from="module"/></xsl:when>
            <xsl:when test="self::table"><xsl:number level="any" count="table" from="module"/></xsl:when>
            <xsl:when test="self::case"><xsl:number level="any" count="case" from="module"/></xsl:when>
          </xsl:choose>
        </xsl:otherwise>
      </xsl:choose>
    </xsl:for-each>
  </xsl:template>

  <!-- "Exercise 2.3": the word and number of a numbered element. -->
  <xsl:template name="label">
    <xsl:param name="node" select="."/>
    <xsl:variable name="key">
      <xsl:for-each select="$node">
        <xsl:choose>
          <xsl:when test="self::module">module</xsl:when>
          <xsl:when test="self::section">section</xsl:when>
          <xsl:when test="self::exercise">exercise</xsl:when>
          <xsl:when test="self::figure">figure</xsl:when>
          <xsl:when test="self::table">table</xsl:when>
        </xsl:choose>
      </xsl:for-each>
    </xsl:variable>
    <xsl:if test="$key != ''">
      <xsl:call-template name="gentext"><xsl:with-param name="key" select="$key"/></xsl:call-template>
      <xsl:text>&#160;</xsl:text>
      <xsl:call-template name="number"><xsl:with-param name="node" select="$node"/></xsl:call-template>
    </xsl:if>
  </xsl:template>

  <xsl:template name="quote-open">
    <xsl:param name="inner" select="false()"/>
    <xsl:call-template name="gentext">
      <xsl:with-param name="key" select="concat('quote-open', substring('-inner', 1, 6 * number(boolean($inner))))"/>
    </xsl:call-template>
  </xsl:template>
  <xsl:template name="quote-close">
    <xsl:param name="inner" select="false()"/>
    <xsl:call-template name="gentext">
      <xsl:with-param name="key" select="concat('quote-close', substring('-inner', 1, 6 * number(boolean($inner))))"/>
    </xsl:call-template>
  </xsl:template>

  <xsl:template name="mode-words">
    <xsl:param name="mode" select="@mode"/>
    <xsl:call-template name="gentext">
      <xsl:with-param name="key" select="concat('mode-', $mode)"/>
    </xsl:call-template>
  </xsl:template>

  <!-- "In pairs · 10 minutes" -->
  <xsl:template name="exercise-meta">
    <xsl:call-template name="mode-words"/>
    <xsl:call-template name="gentext"><xsl:with-param name="key" select="'meta-separator'"/></xsl:call-template>
    <xsl:call-template name="minutes"><xsl:with-param name="n" select="@minutes"/></xsl:call-template>
  </xsl:template>

  <!-- Whether the element is printed, with its id, in this edition: cross-references to
       elements that are not get their words but no link and no page number. -->
  <xsl:template name="is-rendered">
    <xsl:param name="node"/>
    <xsl:for-each select="$node">
      <xsl:choose>
        <xsl:when test="not($show-trainer) and ancestor-or-self::*[self::trainer-note or self::timing]"/>
        <xsl:when test="not($show-answers) and ancestor-or-self::*[self::model-answer or self::explanation or self::debrief]"/>
        <xsl:when test="$edition = 'exercises'">
          <xsl:if test="ancestor-or-self::exercise or self::module[.//exercise]
                        or ancestor-or-self::case[@id = /descendant::discussion/@case]">yes</xsl:if>
        </xsl:when>
        <xsl:when test="$edition = 'answers'">
          <xsl:if test="self::exercise or self::module[.//exercise]">yes</xsl:if>
        </xsl:when>
        <xsl:otherwise>yes</xsl:otherwise>
      </xsl:choose>
    </xsl:for-each>
  </xsl:template>

  <!-- ============================================================ plain and title text -->

  <!-- mode plain: the text of a title, for bookmarks and metadata -->
  <xsl:template match="*" mode="plain">
    <xsl:apply-templates mode="plain"/>
  </xsl:template>
  <xsl:template match="text()" mode="plain">
    <xsl:value-of select="."/>
  </xsl:template>
  <xsl:template match="br" mode="plain">
    <xsl:text> </xsl:text>
  </xsl:template>
  <xsl:template match="q" mode="plain">
    <xsl:call-template name="quote-open"><xsl:with-param name="inner" select="count(ancestor::q) mod 2 = 1"/></xsl:call-template>
    <xsl:apply-templates mode="plain"/>
    <xsl:call-template name="quote-close"><xsl:with-param name="inner" select="count(ancestor::q) mod 2 = 1"/></xsl:call-template>
  </xsl:template>
  <xsl:template match="xref" mode="plain">
    <xsl:variable name="target" select="key('by-id', @ref)[1]"/>
    <xsl:choose>
      <xsl:when test="$target/title">
        <xsl:apply-templates select="$target/title[1]" mode="plain"/>
      </xsl:when>
      <xsl:otherwise>
        <xsl:call-template name="label"><xsl:with-param name="node" select="$target"/></xsl:call-template>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>
  <xsl:template match="gap" mode="plain">
    <xsl:text>…</xsl:text>
  </xsl:template>

  <!-- mode title: inline content repeated in contents, running heads and references:
       styled like the original, but without ids and links -->
  <xsl:template match="*" mode="title">
    <xsl:apply-templates mode="title"/>
  </xsl:template>
  <xsl:template match="em" mode="title">
    <fo:inline>
      <xsl:call-template name="em-style"/>
      <xsl:apply-templates mode="title"/>
    </fo:inline>
  </xsl:template>
  <xsl:template match="strong" mode="title">
    <fo:inline font-weight="bold"><xsl:apply-templates mode="title"/></fo:inline>
  </xsl:template>
  <xsl:template match="term" mode="title">
    <fo:inline>
      <xsl:call-template name="em-style"/>
      <xsl:apply-templates mode="title"/>
    </fo:inline>
  </xsl:template>
  <xsl:template match="q" mode="title">
    <xsl:apply-templates select="." mode="plain"/>
  </xsl:template>
  <xsl:template match="foreign" mode="title">
    <fo:inline xml:lang="{@lang}"><xsl:apply-templates mode="title"/></fo:inline>
  </xsl:template>
  <xsl:template match="xref | gap" mode="title">
    <xsl:apply-templates select="." mode="plain"/>
  </xsl:template>
  <xsl:template match="br" mode="title">
    <xsl:text> </xsl:text>
  </xsl:template>

  <!-- ============================================================ title page -->

  <xsl:template name="title-page-sequence">
    <fo:page-sequence master-reference="wb-title-pages" format="i" force-page-count="{$front-page-count}">
      <fo:title><xsl:value-of select="normalize-space($course-title-text)"/></fo:title>
      <fo:flow flow-name="xsl-region-body">
        <xsl:call-template name="title-page"/>
      </fo:flow>
    </fo:page-sequence>
  </xsl:template>

  <xsl:template name="title-page">
    <xsl:variable name="height" select="$page-height - $margin-top - $margin-bottom - 10"/>
    <!-- the course's own id marks the title page -->
    <fo:block id="{concat(/course/@id, substring('wb-title', 1, 8 * number(not(/course/@id))))}"
              xsl:use-attribute-sets="sans" text-align="start" hyphenate="false"
              border-top="{concat('4pt solid ', $primary)}" padding-top="3mm" margin-left="0pt" margin-right="0pt">
      <xsl:if test="$brand-entry/@logo">
        <fo:block space-after="5mm" line-height="1">
          <fo:external-graphic src="url('{concat($brand-dir, $brand-entry/@logo)}')" content-height="16mm"/>
        </fo:block>
      </xsl:if>
      <fo:block font-size="{$small-size + 1}pt" color="{$accent}" font-weight="bold" letter-spacing="0.6pt">
        <xsl:choose>
          <xsl:when test="$meta/organisation">
            <xsl:value-of select="$meta/organisation[1]"/>
          </xsl:when>
          <xsl:otherwise><xsl:value-of select="$brand-entry/@name"/></xsl:otherwise>
        </xsl:choose>
      </fo:block>
    </fo:block>
    <!-- the title stands a third down the page -->
    <fo:block-container height="{round($height * 0.42)}mm" display-align="after">
      <fo:block xsl:use-attribute-sets="sans" start-indent="0pt" end-indent="0pt" text-align="start" hyphenate="false">
        <fo:block font-size="{$title-size}pt" line-height="1.1" font-weight="bold" color="{$primary}">
          <xsl:apply-templates select="$course-title" mode="title"/>
        </fo:block>
        <xsl:if test="$course-subtitle">
          <fo:block font-size="{$subtitle-size}pt" line-height="1.25" color="{$muted-color}" space-before="4mm">
            <xsl:apply-templates select="$course-subtitle" mode="title"/>
          </fo:block>
        </xsl:if>
      </fo:block>
    </fo:block-container>
    <fo:block space-before="7mm" line-height="1">
      <fo:leader leader-pattern="rule" leader-length="32mm" rule-thickness="2.5pt" color="{$accent}"/>
    </fo:block>
    <fo:block xsl:use-attribute-sets="sans" font-size="{$subtitle-size}pt" color="{$primary}" space-before="5mm"
              text-align="start" hyphenate="false">
      <xsl:value-of select="$edition-name"/>
    </fo:block>
    <xsl:choose>
      <xsl:when test="$personal">
        <!-- a personalised copy: the participant's name where the line to write it would be -->
        <fo:block xsl:use-attribute-sets="sans" font-size="{$body-size}pt" space-before="14mm" text-align="start"
                  hyphenate="false">
          <xsl:call-template name="gentext"><xsl:with-param name="key" select="'name-field'"/></xsl:call-template>
          <xsl:text>&#160;</xsl:text>
          <fo:inline font-weight="bold" font-size="{$body-size + 2}pt" color="{$primary}">
            <xsl:value-of select="normalize-space($participant)"/>
          </fo:inline>
          <xsl:if test="normalize-space($organisation) != ''">
            <xsl:call-template name="gentext"><xsl:with-param name="key" select="'meta-separator'"/></xsl:call-template>
            <xsl:value-of select="normalize-space($organisation)"/>
          </xsl:if>
        </fo:block>
      </xsl:when>
      <xsl:when test="$edition = 'participant'">
        <fo:block xsl:use-attribute-sets="sans" font-size="{$body-size}pt" space-before="14mm" text-align="start">
          <xsl:call-template name="gentext"><xsl:with-param name="key" select="'name-field'"/></xsl:call-template>
          <xsl:text>&#160;</xsl:text>
          <fo:leader leader-pattern="rule" leader-length="75%" rule-thickness="0.5pt" color="{$line-color}"/>
        </fo:block>
      </xsl:when>
    </xsl:choose>
    <xsl:call-template name="title-page-facts"/>
  </xsl:template>

  <!-- version, date and authors, at the foot of the title page -->
  <xsl:template name="title-page-facts">
    <xsl:variable name="the-date">
      <xsl:choose>
        <xsl:when test="normalize-space($date) != ''"><xsl:value-of select="$date"/></xsl:when>
        <xsl:otherwise><xsl:value-of select="$meta/date"/></xsl:otherwise>
      </xsl:choose>
    </xsl:variable>
    <fo:block xsl:use-attribute-sets="sans" font-size="{$small-size}pt" color="{$muted-color}"
              space-before="{round(($page-height - $margin-top - $margin-bottom) * 0.12)}mm"
              text-align="start" hyphenate="false" keep-together.within-page="always">
      <xsl:if test="$meta/authors/author">
        <fo:block font-weight="bold" color="{$text-color}">
          <xsl:for-each select="$meta/authors/author">
            <xsl:if test="position() > 1">
              <xsl:call-template name="gentext"><xsl:with-param name="key" select="'list-separator'"/></xsl:call-template>
            </xsl:if>
            <xsl:value-of select="normalize-space(.)"/>
            <xsl:if test="@role">
              <fo:inline font-weight="normal"> (<xsl:value-of select="@role"/>)</fo:inline>
            </xsl:if>
          </xsl:for-each>
        </fo:block>
      </xsl:if>
      <xsl:for-each select="$meta/organisation[position() > 1]">
        <fo:block><xsl:value-of select="."/></fo:block>
      </xsl:for-each>
      <fo:block space-before="1mm">
        <xsl:if test="$meta/version">
          <xsl:call-template name="gentext-format">
            <xsl:with-param name="key" select="'version'"/>
            <xsl:with-param name="p1" select="normalize-space($meta/version)"/>
          </xsl:call-template>
        </xsl:if>
        <xsl:if test="$meta/version and normalize-space($the-date) != ''">
          <xsl:call-template name="gentext"><xsl:with-param name="key" select="'meta-separator'"/></xsl:call-template>
        </xsl:if>
        <xsl:if test="normalize-space($the-date) != ''">
          <xsl:call-template name="format-date">
            <xsl:with-param name="value" select="$the-date"/>
          </xsl:call-template>
        </xsl:if>
      </fo:block>
      <xsl:call-template name="session-line"/>
      <xsl:if test="normalize-space($brand-entry/@name) != ''">
        <fo:block space-before="3mm" font-weight="bold" color="{$primary}">
          <xsl:value-of select="$brand-entry/@name"/>
        </fo:block>
      </xsl:if>
    </fo:block>
  </xsl:template>

  <!-- a personalised copy's session: "Session: 17 March 2026 · Lyon · Trainer: Claire Martin" -->
  <xsl:template name="session-line">
    <xsl:if test="normalize-space(concat($session-date, $session-place, $trainer)) != ''">
      <fo:block space-before="1mm">
        <xsl:call-template name="gentext"><xsl:with-param name="key" select="'session-field'"/></xsl:call-template>
        <xsl:text> </xsl:text>
        <xsl:if test="normalize-space($session-date) != ''">
          <xsl:call-template name="format-date"><xsl:with-param name="value" select="$session-date"/></xsl:call-template>
        </xsl:if>
        <xsl:if test="normalize-space($session-date) != '' and normalize-space($session-place) != ''">
          <xsl:call-template name="gentext"><xsl:with-param name="key" select="'meta-separator'"/></xsl:call-template>
        </xsl:if>
        <xsl:value-of select="normalize-space($session-place)"/>
        <xsl:if test="normalize-space($trainer) != ''">
          <xsl:if test="normalize-space(concat($session-date, $session-place)) != ''">
            <xsl:call-template name="gentext"><xsl:with-param name="key" select="'meta-separator'"/></xsl:call-template>
          </xsl:if>
          <xsl:call-template name="gentext"><xsl:with-param name="key" select="'trainer-field'"/></xsl:call-template>
          <xsl:text> </xsl:text>
          <xsl:value-of select="normalize-space($trainer)"/>
        </xsl:if>
      </fo:block>
    </xsl:if>
  </xsl:template>

  <!-- ============================================================ running heads and feet -->

  <!-- the brand's name, else the course's organisation; and a personalised copy's owner -->
  <xsl:variable name="footer-name">
    <xsl:choose>
      <xsl:when test="normalize-space($brand-entry/@name) != ''"><xsl:value-of select="$brand-entry/@name"/></xsl:when>
      <xsl:otherwise><xsl:value-of select="normalize-space($meta/organisation[1])"/></xsl:otherwise>
    </xsl:choose>
    <xsl:if test="$personal">
      <xsl:call-template name="gentext"><xsl:with-param name="key" select="'meta-separator'"/></xsl:call-template>
      <xsl:value-of select="normalize-space($participant)"/>
    </xsl:if>
  </xsl:variable>

  <xsl:attribute-set name="running" use-attribute-sets="sans">
    <xsl:attribute name="font-size"><xsl:value-of select="$tiny-size"/>pt</xsl:attribute>
    <xsl:attribute name="color"><xsl:value-of select="$muted-color"/></xsl:attribute>
    <xsl:attribute name="text-align">start</xsl:attribute>
    <xsl:attribute name="text-align-last">justify</xsl:attribute>
    <xsl:attribute name="hyphenate">false</xsl:attribute>
    <xsl:attribute name="line-height">1.2</xsl:attribute>
  </xsl:attribute-set>

  <!-- side: odd | even; body: page numbers "Page N of M" (else the front matter's plain number) -->
  <xsl:template name="running-head">
    <xsl:param name="side"/>
    <xsl:param name="body" select="true()"/>
    <fo:static-content flow-name="wb-head-{$side}">
      <fo:block xsl:use-attribute-sets="running" border-bottom="{concat('0.5pt solid ', $primary)}" padding-bottom="1.2mm">
        <xsl:choose>
          <xsl:when test="not($body)">
            <xsl:call-template name="head-title"><xsl:with-param name="node" select="$course-title/.."/><xsl:with-param name="room" select="$course-head-room"/></xsl:call-template>
            <fo:leader leader-pattern="space"/>
            <xsl:value-of select="$edition-name"/>
          </xsl:when>
          <xsl:when test="$side = 'even' and $mirror">
            <fo:inline font-weight="bold" color="{$primary}"><xsl:call-template name="head-title"><xsl:with-param name="node" select="$course-title/.."/><xsl:with-param name="room" select="$course-head-room"/></xsl:call-template></fo:inline>
            <fo:leader leader-pattern="space"/>
            <xsl:value-of select="$edition-name"/>
          </xsl:when>
          <xsl:when test="$mirror">
            <xsl:value-of select="$edition-name"/>
            <fo:leader leader-pattern="space"/>
            <fo:inline font-weight="bold" color="{$primary}">
              <fo:retrieve-marker retrieve-class-name="wb-module" retrieve-position="first-including-carryover"
                                  retrieve-boundary="page-sequence"/>
            </fo:inline>
          </xsl:when>
          <xsl:otherwise>
            <fo:inline font-weight="bold" color="{$primary}"><xsl:call-template name="head-title"><xsl:with-param name="node" select="$course-title/.."/><xsl:with-param name="room" select="$course-head-room"/></xsl:call-template></fo:inline>
            <fo:leader leader-pattern="space"/>
            <fo:retrieve-marker retrieve-class-name="wb-module" retrieve-position="first-including-carryover"
                                retrieve-boundary="page-sequence"/>
          </xsl:otherwise>
        </xsl:choose>
      </fo:block>
      <!-- "Exercise 2.3 · Title (continued)" on a page an exercise goes on over; the line is
           kept on every page so that the head stands at the same height on all -->
      <fo:block xsl:use-attribute-sets="sans" font-size="{$small-size}pt" font-weight="bold" color="{$primary}"
                text-align="start" hyphenate="false" line-height="1.2" space-before="0.8mm">
        <fo:retrieve-marker retrieve-class-name="wb-continued" retrieve-position="first-including-carryover"
                            retrieve-boundary="page"/>
        <xsl:text>&#160;</xsl:text>
      </fo:block>
    </fo:static-content>
  </xsl:template>

  <!-- How many letters a running head holds on one line beside the edition's name (an
       estimate on the generous side: Cyrillic letters are wider). -->
  <xsl:variable name="head-letter-mm">
    <xsl:choose>
      <xsl:when test="$language = 'ru' or $language = 'bg'"><xsl:value-of select="$tiny-size * 0.54 * 0.3528"/></xsl:when>
      <xsl:otherwise><xsl:value-of select="$tiny-size * 0.5 * 0.3528"/></xsl:otherwise>
    </xsl:choose>
  </xsl:variable>
  <xsl:variable name="head-full" select="floor(($text-width-mm - 6) div $head-letter-mm)"/>
  <xsl:variable name="head-letters" select="$head-full - string-length($edition-name) - 3"/>
  <!-- the longest module head, "Module 2 · Title" -->
  <xsl:variable name="longest-module-head">
    <xsl:for-each select="$modules">
      <xsl:sort select="string-length(normalize-space((short-title | title)[last() = 1 or self::short-title][1]))"
                data-type="number" order="descending"/>
      <xsl:if test="position() = 1">
        <xsl:value-of select="string-length(normalize-space((short-title | title)[last() = 1 or self::short-title][1])) + 12"/>
      </xsl:if>
    </xsl:for-each>
  </xsl:variable>
  <!-- Mirrored pages set the course and the module each beside the edition's name; sheets
       and answer keys set them side by side, the course giving way to the module. -->
  <xsl:variable name="course-head-room">
    <xsl:variable name="beside-module"
                  select="$head-full - 3 - $longest-module-head * number($longest-module-head &lt; $head-full div 2)
                          - floor($head-full div 2) * number($longest-module-head >= $head-full div 2)"/>
    <xsl:choose>
      <xsl:when test="$mirror"><xsl:value-of select="$head-letters"/></xsl:when>
      <xsl:when test="$beside-module > $head-letters"><xsl:value-of select="$head-letters"/></xsl:when>
      <xsl:otherwise><xsl:value-of select="$beside-module"/></xsl:otherwise>
    </xsl:choose>
  </xsl:variable>
  <xsl:variable name="course-head-length">
    <xsl:variable name="l" select="string-length(normalize-space((/course/meta/short-title | $course-title)[last() = 1 or self::short-title][1]))"/>
    <xsl:choose>
      <xsl:when test="$l > $course-head-room"><xsl:value-of select="$course-head-room"/></xsl:when>
      <xsl:otherwise><xsl:value-of select="$l"/></xsl:otherwise>
    </xsl:choose>
  </xsl:variable>
  <xsl:variable name="module-head-room">
    <xsl:choose>
      <xsl:when test="$mirror"><xsl:value-of select="$head-letters"/></xsl:when>
      <xsl:otherwise><xsl:value-of select="$head-full - 3 - $course-head-length"/></xsl:otherwise>
    </xsl:choose>
  </xsl:variable>

  <!-- A text of at most `max` letters: cut after the last whole word that fits, with an
       ellipsis. -->
  <xsl:template name="short-text">
    <xsl:param name="text"/>
    <xsl:param name="max"/>
    <xsl:variable name="t" select="normalize-space($text)"/>
    <xsl:choose>
      <xsl:when test="string-length($t) &lt;= $max"><xsl:value-of select="$t"/></xsl:when>
      <xsl:otherwise>
        <xsl:variable name="head" select="substring($t, 1, $max - 1)"/>
        <xsl:variable name="words">
          <xsl:call-template name="up-to-last-space"><xsl:with-param name="text" select="$head"/></xsl:call-template>
        </xsl:variable>
        <xsl:variable name="cut">
          <xsl:choose>
            <xsl:when test="string-length($words) > $max div 2"><xsl:value-of select="$words"/></xsl:when>
            <xsl:otherwise><xsl:value-of select="$head"/></xsl:otherwise>
          </xsl:choose>
        </xsl:variable>
        <!-- no comma, colon or dash before the ellipsis -->
        <xsl:variable name="last" select="substring($cut, string-length($cut))"/>
        <xsl:choose>
          <xsl:when test="contains(',;:–—-', $last)"><xsl:value-of select="substring($cut, 1, string-length($cut) - 1)"/></xsl:when>
          <xsl:otherwise><xsl:value-of select="$cut"/></xsl:otherwise>
        </xsl:choose>
        <xsl:text>…</xsl:text>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- the text before its last space (the whole text when it has none) -->
  <xsl:template name="up-to-last-space">
    <xsl:param name="text"/>
    <xsl:param name="done" select="''"/>
    <xsl:choose>
      <xsl:when test="contains($text, ' ')">
        <xsl:call-template name="up-to-last-space">
          <xsl:with-param name="text" select="substring-after($text, ' ')"/>
          <xsl:with-param name="done" select="concat($done, substring-before($text, ' '), ' ')"/>
        </xsl:call-template>
      </xsl:when>
      <xsl:when test="$done != ''"><xsl:value-of select="normalize-space($done)"/></xsl:when>
      <xsl:otherwise><xsl:value-of select="$text"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- The title of the course or of a module as a running head shows it: its <short-title>,
       else its title, cut to what one line holds. -->
  <xsl:template name="head-title">
    <xsl:param name="node"/>
    <xsl:param name="room" select="$head-letters"/>
    <xsl:call-template name="short-text">
      <xsl:with-param name="text"><xsl:apply-templates select="($node/short-title | $node/title)[last() = 1 or self::short-title][1]" mode="plain"/></xsl:with-param>
      <xsl:with-param name="max" select="$room"/>
    </xsl:call-template>
  </xsl:template>

  <xsl:template name="running-foot">
    <xsl:param name="side"/>
    <xsl:param name="body" select="true()"/>
    <xsl:variable name="page">
      <xsl:choose>
        <xsl:when test="$body">
          <xsl:call-template name="gentext-format">
            <xsl:with-param name="key" select="'page-of'"/>
            <xsl:with-param name="p1"><fo:page-number/></xsl:with-param>
            <xsl:with-param name="p2"><fo:page-number-citation-last ref-id="wb-body"/></xsl:with-param>
          </xsl:call-template>
        </xsl:when>
        <xsl:otherwise><fo:page-number/></xsl:otherwise>
      </xsl:choose>
    </xsl:variable>
    <fo:static-content flow-name="wb-foot-{$side}">
      <fo:block xsl:use-attribute-sets="running">
        <xsl:choose>
          <xsl:when test="$side = 'even' and $mirror">
            <xsl:copy-of select="$page"/>
            <fo:leader leader-pattern="space"/>
            <xsl:value-of select="$footer-name"/>
          </xsl:when>
          <xsl:otherwise>
            <xsl:value-of select="$footer-name"/>
            <fo:leader leader-pattern="space"/>
            <xsl:copy-of select="$page"/>
          </xsl:otherwise>
        </xsl:choose>
      </fo:block>
    </fo:static-content>
  </xsl:template>

  <xsl:template name="static-contents">
    <xsl:param name="body" select="true()"/>
    <xsl:call-template name="running-head"><xsl:with-param name="side" select="'odd'"/><xsl:with-param name="body" select="$body"/></xsl:call-template>
    <xsl:call-template name="running-head"><xsl:with-param name="side" select="'even'"/><xsl:with-param name="body" select="$body"/></xsl:call-template>
    <xsl:call-template name="running-foot"><xsl:with-param name="side" select="'odd'"/><xsl:with-param name="body" select="$body"/></xsl:call-template>
    <xsl:call-template name="running-foot"><xsl:with-param name="side" select="'even'"/><xsl:with-param name="body" select="$body"/></xsl:call-template>
  </xsl:template>

  <!-- the running head of the module: set at the start of each module or sheet -->
  <xsl:template name="module-marker">
    <xsl:param name="module" select="ancestor-or-self::module[1]"/>
    <xsl:variable name="label">
      <xsl:call-template name="label"><xsl:with-param name="node" select="$module"/></xsl:call-template>
      <xsl:call-template name="gentext"><xsl:with-param name="key" select="'meta-separator'"/></xsl:call-template>
    </xsl:variable>
    <xsl:variable name="head">
      <xsl:call-template name="head-title">
        <xsl:with-param name="node" select="$module"/>
        <xsl:with-param name="room" select="$module-head-room - string-length($label)"/>
      </xsl:call-template>
    </xsl:variable>
    <!-- a title cut in the heads is said at the title, in the course file -->
    <xsl:if test="function-available('wb:source') and substring($head, string-length($head)) = '…'
                  and $module/title">
      <xsl:message><xsl:value-of select="wb:source($module/title[1])"/>: warning: the title of module <xsl:call-template name="module-number"><xsl:with-param name="node" select="$module"/></xsl:call-template> is too long for the running heads, which show "<xsl:value-of select="$head"/>"<xsl:if test="not($module/short-title)">; a &lt;short-title&gt; says what they show</xsl:if></xsl:message>
    </xsl:if>
    <fo:marker marker-class-name="wb-module">
      <xsl:value-of select="$label"/>
      <xsl:value-of select="$head"/>
    </fo:marker>
  </xsl:template>

  <!-- ============================================================ contents -->

  <xsl:template name="toc-page-sequence">
    <fo:page-sequence master-reference="wb-pages" format="i" force-page-count="{$front-page-count}">
      <xsl:for-each select="/*"><xsl:call-template name="source-attribute"/></xsl:for-each>
      <fo:title>
        <xsl:call-template name="gentext"><xsl:with-param name="key" select="'contents'"/></xsl:call-template>
      </fo:title>
      <xsl:call-template name="static-contents"><xsl:with-param name="body" select="false()"/></xsl:call-template>
      <fo:flow flow-name="xsl-region-body" hyphenate="false">
        <fo:block id="wb-toc" xsl:use-attribute-sets="heading" font-size="{$module-title-size}pt"
                  space-after="8mm" padding-bottom="2mm" margin-left="0pt" margin-right="0pt"
                  border-bottom="{concat('1pt solid ', $primary)}">
          <xsl:call-template name="gentext"><xsl:with-param name="key" select="'contents'"/></xsl:call-template>
        </fo:block>
        <xsl:call-template name="toc-entries"/>
      </fo:flow>
    </fo:page-sequence>
  </xsl:template>

  <!-- participant workbook and trainer guide: modules and two levels of sections -->
  <xsl:template name="toc-entries">
    <xsl:if test="$has-about">
      <xsl:call-template name="toc-line">
        <xsl:with-param name="level" select="1"/>
        <xsl:with-param name="ref" select="'wb-about'"/>
        <xsl:with-param name="title">
          <xsl:call-template name="gentext"><xsl:with-param name="key" select="'about-course'"/></xsl:call-template>
        </xsl:with-param>
      </xsl:call-template>
    </xsl:if>
    <xsl:if test="$edition = 'trainer'">
      <xsl:call-template name="toc-line">
        <xsl:with-param name="level" select="1"/>
        <xsl:with-param name="ref" select="'wb-timing'"/>
        <xsl:with-param name="title">
          <xsl:call-template name="gentext"><xsl:with-param name="key" select="'timing-overview'"/></xsl:call-template>
        </xsl:with-param>
      </xsl:call-template>
    </xsl:if>
    <xsl:for-each select="$modules">
      <xsl:call-template name="toc-module"/>
      <xsl:for-each select="section | section/section">
        <xsl:call-template name="toc-line">
          <xsl:with-param name="level" select="count(ancestor::section) + 2"/>
          <xsl:with-param name="ref"><xsl:call-template name="object-id"/></xsl:with-param>
          <xsl:with-param name="label"><xsl:call-template name="number"/></xsl:with-param>
          <xsl:with-param name="title"><xsl:apply-templates select="(short-title | title)[last() = 1 or self::short-title][1]" mode="title"/></xsl:with-param>
        </xsl:call-template>
      </xsl:for-each>
    </xsl:for-each>
  </xsl:template>

  <xsl:template name="toc-module">
    <xsl:call-template name="toc-line">
      <xsl:with-param name="level" select="1"/>
      <xsl:with-param name="ref"><xsl:call-template name="object-id"/></xsl:with-param>
      <xsl:with-param name="label"><xsl:call-template name="label"/></xsl:with-param>
      <xsl:with-param name="title"><xsl:apply-templates select="(short-title | title)[last() = 1 or self::short-title][1]" mode="title"/></xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <!-- one line of the contents: level 1 (modules) in PT Sans, deeper levels indented -->
  <xsl:template name="toc-line">
    <xsl:param name="level" select="1"/>
    <xsl:param name="ref"/>
    <xsl:param name="label"/>
    <xsl:param name="title"/>
    <xsl:variable name="indent">
      <xsl:choose>
        <xsl:when test="$level = 1">0</xsl:when>
        <xsl:when test="$level = 2">8</xsl:when>
        <xsl:otherwise>18</xsl:otherwise>
      </xsl:choose>
    </xsl:variable>
    <fo:block text-align="start" text-align-last="justify" start-indent="{$indent}mm" end-indent="8mm"
              hyphenate="false">
      <xsl:choose>
        <xsl:when test="$level = 1">
          <xsl:attribute name="font-family"><xsl:value-of select="$font-sans"/></xsl:attribute>
          <xsl:attribute name="font-weight">bold</xsl:attribute>
          <xsl:attribute name="space-before">4mm</xsl:attribute>
          <xsl:attribute name="keep-with-next.within-page">always</xsl:attribute>
        </xsl:when>
        <xsl:otherwise>
          <xsl:attribute name="space-before">1mm</xsl:attribute>
        </xsl:otherwise>
      </xsl:choose>
      <fo:basic-link internal-destination="{$ref}">
        <xsl:if test="string($label) != ''">
          <fo:inline color="{$primary}"><xsl:copy-of select="$label"/></fo:inline>
          <xsl:text>&#160;&#160; </xsl:text>
        </xsl:if>
        <xsl:copy-of select="$title"/>
      </fo:basic-link>
      <fo:inline>
        <xsl:text> </xsl:text>
        <fo:leader leader-pattern="dots" color="{$muted-color}"/>
        <xsl:text> </xsl:text>
        <fo:basic-link internal-destination="{$ref}">
          <fo:page-number-citation ref-id="{$ref}"/>
        </fo:basic-link>
      </fo:inline>
    </fo:block>
  </xsl:template>

  <!-- exercise sheets and answer key: the modules that have exercises, and their exercises -->
  <xsl:template name="toc-exercise-entries">
    <xsl:for-each select="$modules[.//exercise]">
      <xsl:call-template name="toc-module"/>
      <xsl:for-each select=".//exercise">
        <xsl:call-template name="toc-line">
          <xsl:with-param name="level" select="2"/>
          <xsl:with-param name="ref"><xsl:call-template name="object-id"/></xsl:with-param>
          <xsl:with-param name="label"><xsl:call-template name="number"/></xsl:with-param>
          <xsl:with-param name="title"><xsl:apply-templates select="title[1]" mode="title"/></xsl:with-param>
        </xsl:call-template>
      </xsl:for-each>
    </xsl:for-each>
  </xsl:template>

  <!-- ============================================================ bookmarks -->

  <xsl:template name="bookmark-tree">
    <fo:bookmark-tree>
      <fo:bookmark internal-destination="wb-toc">
        <fo:bookmark-title>
          <xsl:call-template name="gentext"><xsl:with-param name="key" select="'contents'"/></xsl:call-template>
        </fo:bookmark-title>
      </fo:bookmark>
      <xsl:call-template name="bookmark-entries"/>
    </fo:bookmark-tree>
  </xsl:template>

  <xsl:template name="bookmark-entries">
    <xsl:if test="$has-about">
      <fo:bookmark internal-destination="wb-about">
        <fo:bookmark-title>
          <xsl:call-template name="gentext"><xsl:with-param name="key" select="'about-course'"/></xsl:call-template>
        </fo:bookmark-title>
      </fo:bookmark>
    </xsl:if>
    <xsl:if test="$edition = 'trainer'">
      <fo:bookmark internal-destination="wb-timing">
        <fo:bookmark-title>
          <xsl:call-template name="gentext"><xsl:with-param name="key" select="'timing-overview'"/></xsl:call-template>
        </fo:bookmark-title>
      </fo:bookmark>
    </xsl:if>
    <xsl:apply-templates select="$modules" mode="bookmark"/>
  </xsl:template>

  <xsl:template name="bookmark-exercise-entries">
    <xsl:for-each select="$modules[.//exercise]">
      <fo:bookmark>
        <xsl:attribute name="internal-destination"><xsl:call-template name="object-id"/></xsl:attribute>
        <fo:bookmark-title>
          <xsl:variable name="text">
            <xsl:call-template name="label"/>
            <xsl:text> </xsl:text>
            <xsl:apply-templates select="title[1]" mode="plain"/>
          </xsl:variable>
          <xsl:value-of select="normalize-space($text)"/>
        </fo:bookmark-title>
        <xsl:apply-templates select=".//exercise" mode="bookmark"/>
      </fo:bookmark>
    </xsl:for-each>
  </xsl:template>

  <xsl:template match="module | section | exercise" mode="bookmark">
    <fo:bookmark>
      <xsl:attribute name="internal-destination"><xsl:call-template name="object-id"/></xsl:attribute>
      <fo:bookmark-title>
        <xsl:variable name="text">
          <xsl:choose>
            <xsl:when test="self::section and count(ancestor-or-self::section) &lt;= 2"><xsl:call-template name="number"/></xsl:when>
            <xsl:when test="self::section"/>
            <xsl:otherwise><xsl:call-template name="label"/></xsl:otherwise>
          </xsl:choose>
          <xsl:text> </xsl:text>
          <xsl:apply-templates select="title[1]" mode="plain"/>
        </xsl:variable>
        <xsl:value-of select="normalize-space($text)"/>
      </fo:bookmark-title>
      <xsl:apply-templates select="section | exercise" mode="bookmark"/>
    </fo:bookmark>
  </xsl:template>

  <!-- ============================================================ the body -->

  <xsl:template name="body-page-sequence">
    <fo:page-sequence master-reference="wb-pages" id="wb-body" initial-page-number="1" format="1">
      <!-- what the styles make of no element in particular (heads, the timing overview) is
           placed at the course's root element -->
      <xsl:for-each select="/*"><xsl:call-template name="source-attribute"/></xsl:for-each>
      <fo:title><xsl:value-of select="normalize-space($course-title-text)"/></fo:title>
      <xsl:call-template name="static-contents"/>
      <fo:flow flow-name="xsl-region-body" widows="2" orphans="2">
        <xsl:call-template name="body-content"/>
      </fo:flow>
    </fo:page-sequence>
  </xsl:template>

  <!-- participant workbook and trainer guide: about the course, then every module -->
  <xsl:template name="body-content">
    <xsl:call-template name="about-course"/>
    <xsl:if test="$edition = 'trainer'">
      <xsl:call-template name="timing-overview"/>
    </xsl:if>
    <xsl:apply-templates select="$modules"/>
  </xsl:template>

  <xsl:variable name="has-about" select="boolean(/course/meta/description or /course/objectives or /course/meta/audience)"/>

  <xsl:template name="about-course">
    <xsl:if test="$has-about">
      <fo:block id="wb-about">
        <fo:block xsl:use-attribute-sets="heading" font-size="{$module-title-size}pt" space-after="6mm"
                  padding-bottom="2mm" margin-left="0pt" margin-right="0pt"
                  border-bottom="{concat('1pt solid ', $primary)}">
          <fo:marker marker-class-name="wb-module">
            <xsl:call-template name="gentext"><xsl:with-param name="key" select="'about-course'"/></xsl:call-template>
          </fo:marker>
          <xsl:call-template name="gentext"><xsl:with-param name="key" select="'about-course'"/></xsl:call-template>
        </fo:block>
        <xsl:apply-templates select="$meta/description/para"/>
        <xsl:call-template name="course-facts"/>
        <xsl:apply-templates select="/course/objectives"/>
      </fo:block>
    </xsl:if>
  </xsl:template>

  <!-- audience and duration as a small two-column table -->
  <xsl:template name="course-facts">
    <xsl:if test="$meta/audience or $meta/duration">
      <fo:table width="100%" space-before="4mm" space-after="4mm">
        <xsl:call-template name="table-layout"/>
        <fo:table-column column-width="38mm"/>
        <fo:table-column column-width="proportional-column-width(1)"/>
        <fo:table-body start-indent="0pt" end-indent="0pt">
          <xsl:for-each select="$meta/audience">
            <xsl:call-template name="fact-row">
              <xsl:with-param name="key" select="'audience'"/>
              <xsl:with-param name="value"><xsl:apply-templates/></xsl:with-param>
            </xsl:call-template>
          </xsl:for-each>
          <xsl:for-each select="$meta/duration">
            <xsl:call-template name="fact-row">
              <xsl:with-param name="key" select="'duration'"/>
              <xsl:with-param name="value">
                <xsl:value-of select="normalize-space(.)"/>
                <xsl:if test="$show-trainer and @minutes">
                  <xsl:text> (</xsl:text>
                  <xsl:call-template name="minutes"><xsl:with-param name="n" select="@minutes"/></xsl:call-template>
                  <xsl:text>)</xsl:text>
                </xsl:if>
              </xsl:with-param>
            </xsl:call-template>
          </xsl:for-each>
        </fo:table-body>
      </fo:table>
    </xsl:if>
  </xsl:template>

  <xsl:template name="fact-row">
    <xsl:param name="key"/>
    <xsl:param name="value"/>
    <fo:table-row>
      <fo:table-cell xsl:use-attribute-sets="table-cell" padding-left="0pt">
        <fo:block xsl:use-attribute-sets="sans" font-weight="bold" color="{$primary}" font-size="{$small-size}pt">
          <xsl:call-template name="gentext"><xsl:with-param name="key" select="$key"/></xsl:call-template>
        </fo:block>
      </fo:table-cell>
      <fo:table-cell xsl:use-attribute-sets="table-cell">
        <fo:block text-align="start"><xsl:copy-of select="$value"/></fo:block>
      </fo:table-cell>
    </fo:table-row>
  </xsl:template>

  <!-- ============================================================ timing overview (trainer) -->

  <!-- The day at a glance: each module at its clock time (see schedule.xsl), with its
       exercises, the breaks and lunch, and the days of a longer course.  One type size on
       every row, so that the cells of a row share their baseline; the number columns are as
       narrow as their contents, the rest goes to the titles (on A5 above all). -->
  <xsl:template name="timing-overview">
    <xsl:variable name="cell">padding-top="0.8mm" padding-bottom="0.8mm"</xsl:variable>
    <xsl:variable name="module-rule" select="concat('0.5pt solid ', $primary)"/>
    <fo:block id="wb-timing" break-before="page">
      <fo:block xsl:use-attribute-sets="heading" font-size="{$module-title-size}pt" space-after="6mm"
                padding-bottom="2mm" margin-left="0pt" margin-right="0pt"
                border-bottom="{concat('1pt solid ', $primary)}">
        <fo:marker marker-class-name="wb-module">
          <xsl:call-template name="gentext"><xsl:with-param name="key" select="'timing-overview'"/></xsl:call-template>
        </fo:marker>
        <xsl:call-template name="gentext"><xsl:with-param name="key" select="'timing-overview'"/></xsl:call-template>
      </fo:block>
      <fo:table width="100%" font-size="{$small-size}pt" line-height="1.3">
        <xsl:call-template name="table-layout"/>
        <xsl:choose>
          <xsl:when test="$small">
            <fo:table-column column-width="13mm"/>
            <fo:table-column column-width="proportional-column-width(1)"/>
            <fo:table-column column-width="24mm"/>
            <fo:table-column column-width="10mm"/>
            <fo:table-column column-width="10mm"/>
          </xsl:when>
          <xsl:otherwise>
            <fo:table-column column-width="15mm"/>
            <fo:table-column column-width="proportional-column-width(1)"/>
            <fo:table-column column-width="27mm"/>
            <fo:table-column column-width="14mm"/>
            <fo:table-column column-width="14mm"/>
          </xsl:otherwise>
        </xsl:choose>
        <fo:table-header start-indent="0pt" end-indent="0pt">
          <fo:table-row>
            <xsl:call-template name="head-cell"><xsl:with-param name="key" select="'start'"/></xsl:call-template>
            <xsl:call-template name="head-cell"><xsl:with-param name="key" select="'module'"/></xsl:call-template>
            <xsl:call-template name="head-cell"><xsl:with-param name="key" select="'mode'"/></xsl:call-template>
            <xsl:call-template name="head-cell"><xsl:with-param name="key" select="'minutes-abbr'"/><xsl:with-param name="align" select="'end'"/></xsl:call-template>
            <xsl:call-template name="head-cell"><xsl:with-param name="key" select="'page-abbr'"/><xsl:with-param name="align" select="'end'"/></xsl:call-template>
          </fo:table-row>
        </fo:table-header>
        <fo:table-body start-indent="0pt" end-indent="0pt">
          <xsl:for-each select="$modules">
            <xsl:variable name="id"><xsl:call-template name="object-id"/></xsl:variable>
            <xsl:variable name="first"><xsl:call-template name="first-activity-id"><xsl:with-param name="module" select="."/></xsl:call-template></xsl:variable>
            <xsl:call-template name="pause-rows">
              <xsl:with-param name="id" select="$first"/>
              <xsl:with-param name="columns" select="5"/>
              <xsl:with-param name="after" select="1"/>
              <xsl:with-param name="pad" select="'1.5mm'"/>
              <xsl:with-param name="unit" select="false()"/>
            </xsl:call-template>
            <fo:table-row keep-with-next.within-page="always">
              <fo:table-cell xsl:use-attribute-sets="table-cell" padding-top="0.8mm" padding-bottom="0.8mm" border-bottom="{$module-rule}">
                <fo:block xsl:use-attribute-sets="sans" font-weight="bold">
                  <xsl:call-template name="start-of">
                    <xsl:with-param name="node" select="(timing/step | self::*[not(timing/step)])[1]"/>
                  </xsl:call-template>
                </fo:block>
              </fo:table-cell>
              <fo:table-cell xsl:use-attribute-sets="table-cell" padding-top="0.8mm" padding-bottom="0.8mm" border-bottom="{$module-rule}" number-columns-spanned="2">
                <fo:block xsl:use-attribute-sets="sans" font-weight="bold" color="{$primary}" text-align="start">
                  <xsl:call-template name="label"/>
                  <xsl:text>  </xsl:text>
                  <xsl:apply-templates select="(short-title | title)[last() = 1 or self::short-title][1]" mode="title"/>
                </fo:block>
              </fo:table-cell>
              <fo:table-cell xsl:use-attribute-sets="table-cell" padding-top="0.8mm" padding-bottom="0.8mm" border-bottom="{$module-rule}">
                <fo:block xsl:use-attribute-sets="sans" font-weight="bold" text-align="end">
                  <xsl:value-of select="duration/@minutes"/>
                </fo:block>
              </fo:table-cell>
              <fo:table-cell xsl:use-attribute-sets="table-cell" padding-top="0.8mm" padding-bottom="0.8mm" border-bottom="{$module-rule}">
                <fo:block xsl:use-attribute-sets="sans" text-align="end"><fo:page-number-citation ref-id="{$id}"/></fo:block>
              </fo:table-cell>
            </fo:table-row>
            <xsl:for-each select=".//exercise">
              <xsl:variable name="eid"><xsl:call-template name="object-id"/></xsl:variable>
              <fo:table-row>
                <fo:table-cell xsl:use-attribute-sets="table-cell" padding-top="0.8mm" padding-bottom="0.8mm"><fo:block/></fo:table-cell>
                <fo:table-cell xsl:use-attribute-sets="table-cell" padding-top="0.8mm" padding-bottom="0.8mm">
                  <fo:block xsl:use-attribute-sets="sans" text-align="start" start-indent="3mm">
                    <fo:inline color="{$primary}"><xsl:call-template name="label"/></fo:inline>
                    <xsl:text>  </xsl:text>
                    <xsl:apply-templates select="title[1]" mode="title"/>
                  </fo:block>
                </fo:table-cell>
                <fo:table-cell xsl:use-attribute-sets="table-cell" padding-top="0.8mm" padding-bottom="0.8mm">
                  <fo:block xsl:use-attribute-sets="sans" text-align="start"><xsl:call-template name="mode-words"/></fo:block>
                </fo:table-cell>
                <fo:table-cell xsl:use-attribute-sets="table-cell" padding-top="0.8mm" padding-bottom="0.8mm">
                  <fo:block xsl:use-attribute-sets="sans" text-align="end"><xsl:value-of select="@minutes"/></fo:block>
                </fo:table-cell>
                <fo:table-cell xsl:use-attribute-sets="table-cell" padding-top="0.8mm" padding-bottom="0.8mm">
                  <fo:block xsl:use-attribute-sets="sans" text-align="end"><fo:page-number-citation ref-id="{$eid}"/></fo:block>
                </fo:table-cell>
              </fo:table-row>
            </xsl:for-each>
            <!-- the breaks taken during the module -->
            <xsl:for-each select="timing/step[position() > 1]">
              <xsl:call-template name="pause-rows">
                <xsl:with-param name="id" select="generate-id()"/>
                <xsl:with-param name="columns" select="5"/>
                <xsl:with-param name="after" select="1"/>
                <xsl:with-param name="pad" select="'1.5mm'"/>
                <xsl:with-param name="unit" select="false()"/>
              </xsl:call-template>
            </xsl:for-each>
          </xsl:for-each>
          <fo:table-row>
            <fo:table-cell xsl:use-attribute-sets="table-cell" padding-top="0.8mm" padding-bottom="0.8mm">
              <fo:block xsl:use-attribute-sets="sans" font-weight="bold">
                <xsl:variable name="end">
                  <xsl:call-template name="schedule-field"><xsl:with-param name="key" select="';E'"/></xsl:call-template>
                </xsl:variable>
                <xsl:if test="$end != ''">
                  <xsl:call-template name="clock-time"><xsl:with-param name="minutes" select="number($end)"/></xsl:call-template>
                </xsl:if>
              </fo:block>
            </fo:table-cell>
            <fo:table-cell xsl:use-attribute-sets="table-cell" padding-top="0.8mm" padding-bottom="0.8mm" number-columns-spanned="2">
              <fo:block xsl:use-attribute-sets="sans" font-weight="bold" text-align="start">
                <xsl:call-template name="gentext"><xsl:with-param name="key" select="'end'"/></xsl:call-template>
                <xsl:call-template name="gentext"><xsl:with-param name="key" select="'meta-separator'"/></xsl:call-template>
                <xsl:call-template name="gentext"><xsl:with-param name="key" select="'total'"/></xsl:call-template>
              </fo:block>
            </fo:table-cell>
            <fo:table-cell xsl:use-attribute-sets="table-cell" padding-top="0.8mm" padding-bottom="0.8mm">
              <fo:block xsl:use-attribute-sets="sans" font-weight="bold" text-align="end">
                <xsl:value-of select="sum($modules/duration/@minutes)"/>
              </fo:block>
            </fo:table-cell>
            <fo:table-cell><fo:block/></fo:table-cell>
          </fo:table-row>
        </fo:table-body>
      </fo:table>
    </fo:block>
  </xsl:template>

  <xsl:template name="head-cell">
    <xsl:param name="key"/>
    <xsl:param name="align" select="'start'"/>
    <xsl:param name="span" select="1"/>
    <fo:table-cell xsl:use-attribute-sets="table-head-cell">
      <xsl:if test="$span > 1">
        <xsl:attribute name="number-columns-spanned"><xsl:value-of select="$span"/></xsl:attribute>
      </xsl:if>
      <fo:block text-align="{$align}" hyphenate="false">
        <xsl:if test="$key != ''">
          <xsl:call-template name="gentext"><xsl:with-param name="key" select="$key"/></xsl:call-template>
        </xsl:if>
      </fo:block>
    </fo:table-cell>
  </xsl:template>

  <!-- ============================================================ modules and sections -->

  <xsl:template match="module">
    <fo:block break-before="page">
      <xsl:call-template name="role"><xsl:with-param name="role" select="'Sect'"/></xsl:call-template>
      <xsl:call-template name="id-attribute"/>
      <xsl:call-template name="source-attribute"/>
      <xsl:call-template name="module-opening"/>
      <xsl:apply-templates select="*[not(self::title or self::subtitle or self::duration)]"/>
    </fo:block>
  </xsl:template>

  <!-- "Module 2", the title, the subtitle (and, for the trainer, the duration) over a rule -->
  <xsl:template name="module-opening">
    <fo:block xsl:use-attribute-sets="sans" text-align="start" hyphenate="false"
              margin-left="0pt" margin-right="0pt" padding-bottom="3mm" space-after="6mm"
              border-bottom="{concat('1pt solid ', $primary)}" keep-with-next.within-page="always">
      <fo:block font-size="{$small-size + 2}pt" color="{$accent}" font-weight="bold">
        <xsl:call-template name="module-marker"/>
        <!-- no letter-spacing on labels followed by an inline: Apache FOP 2.8 then drops the
             no-break space that starts the inline -->
        <fo:inline><xsl:call-template name="label"/></fo:inline>
        <xsl:if test="$show-trainer and duration/@minutes">
          <fo:inline font-weight="normal" color="{$muted-color}">
            <xsl:call-template name="gentext"><xsl:with-param name="key" select="'meta-separator'"/></xsl:call-template>
            <xsl:call-template name="minutes"><xsl:with-param name="n" select="duration/@minutes"/></xsl:call-template>
          </fo:inline>
        </xsl:if>
      </fo:block>
      <fo:block font-size="{$module-title-size}pt" line-height="1.15" font-weight="bold" color="{$primary}" space-before="2mm">
        <xsl:call-template name="role"><xsl:with-param name="role" select="'H1'"/></xsl:call-template>
        <xsl:apply-templates select="title[1]"/>
      </fo:block>
      <xsl:for-each select="subtitle">
        <fo:block font-size="{$h2-size}pt" line-height="1.25" color="{$muted-color}" space-before="2mm">
          <xsl:copy-of select="@id"/>
          <xsl:apply-templates/>
        </fo:block>
      </xsl:for-each>
    </fo:block>
  </xsl:template>

  <!-- a title's own content (and its id, when it has one) -->
  <!-- a <short-title> is for running heads, contents and the timing overview only -->
  <xsl:template match="short-title"/>

  <xsl:template match="title">
    <xsl:choose>
      <xsl:when test="@id">
        <fo:inline id="{@id}"><xsl:apply-templates/></fo:inline>
      </xsl:when>
      <xsl:otherwise><xsl:apply-templates/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="section">
    <xsl:variable name="depth" select="count(ancestor-or-self::section)"/>
    <fo:block>
      <xsl:call-template name="role"><xsl:with-param name="role" select="'Sect'"/></xsl:call-template>
      <xsl:call-template name="id-attribute"/>
      <xsl:call-template name="source-attribute"/>
      <fo:block xsl:use-attribute-sets="heading">
        <xsl:call-template name="role">
          <xsl:with-param name="role" select="concat('H', substring('23456', $depth, 1))"/>
        </xsl:call-template>
        <xsl:choose>
          <xsl:when test="$depth = 1">
            <xsl:attribute name="font-size"><xsl:value-of select="$h1-size"/>pt</xsl:attribute>
            <xsl:attribute name="space-before">1.3em</xsl:attribute>
            <xsl:attribute name="space-after">0.6em</xsl:attribute>
          </xsl:when>
          <xsl:when test="$depth = 2">
            <xsl:attribute name="font-size"><xsl:value-of select="$h2-size"/>pt</xsl:attribute>
            <xsl:attribute name="space-before">1.1em</xsl:attribute>
            <xsl:attribute name="space-after">0.5em</xsl:attribute>
          </xsl:when>
          <xsl:otherwise>
            <xsl:attribute name="font-size"><xsl:value-of select="$h3-size"/>pt</xsl:attribute>
            <xsl:attribute name="color"><xsl:value-of select="$text-color"/></xsl:attribute>
            <xsl:attribute name="space-before">1em</xsl:attribute>
            <xsl:attribute name="space-after">0.4em</xsl:attribute>
          </xsl:otherwise>
        </xsl:choose>
        <xsl:if test="$depth &lt;= 2">
          <fo:inline color="{$accent}"><xsl:call-template name="number"/></fo:inline>
          <xsl:text>&#160;&#160; </xsl:text>
        </xsl:if>
        <xsl:apply-templates select="title[1]"/>
      </fo:block>
      <xsl:apply-templates select="*[not(self::title)]"/>
    </fo:block>
  </xsl:template>

  <!-- a small heading inside a box or before a block: "Key points", "Questions"... -->
  <xsl:template name="small-heading">
    <xsl:param name="key"/>
    <xsl:param name="title" select="/.."/>
    <xsl:param name="color" select="$primary"/>
    <fo:block xsl:use-attribute-sets="label" font-size="{$small-size}pt" color="{$color}" space-after="1.5mm">
      <xsl:choose>
        <xsl:when test="$title"><xsl:apply-templates select="$title"/></xsl:when>
        <xsl:otherwise>
          <xsl:call-template name="gentext"><xsl:with-param name="key" select="$key"/></xsl:call-template>
        </xsl:otherwise>
      </xsl:choose>
    </fo:block>
  </xsl:template>

  <!-- ============================================================ objectives -->

  <xsl:template match="objectives">
    <fo:block xsl:use-attribute-sets="box" border-left="{concat('3pt solid ', $primary)}"
              background-color="{$tint}" keep-together.within-page="always">
      <xsl:copy-of select="@id"/>
      <xsl:call-template name="small-heading"><xsl:with-param name="key" select="'objectives'"/></xsl:call-template>
      <xsl:for-each select="intro">
        <fo:block xsl:use-attribute-sets="para" space-after="1mm"><xsl:copy-of select="@id"/><xsl:apply-templates/></fo:block>
      </xsl:for-each>
      <fo:list-block provisional-distance-between-starts="5mm">
        <xsl:for-each select="objective">
          <fo:list-item space-before="1mm">
            <xsl:copy-of select="@id"/>
            <fo:list-item-label end-indent="label-end()">
              <fo:block color="{$primary}" font-weight="bold">•</fo:block>
            </fo:list-item-label>
            <fo:list-item-body start-indent="body-start()">
              <fo:block text-align="start"><xsl:apply-templates/></fo:block>
            </fo:list-item-body>
          </fo:list-item>
        </xsl:for-each>
      </fo:list-block>
    </fo:block>
  </xsl:template>

  <!-- ============================================================ text blocks -->

  <xsl:template match="para">
    <fo:block xsl:use-attribute-sets="para">
      <xsl:copy-of select="@id"/>
      <xsl:call-template name="source-attribute"/>
      <xsl:apply-templates/>
    </fo:block>
  </xsl:template>

  <!-- in narrow places text is set ragged right -->
  <xsl:template match="cell/para | item/para | brief/para | role/para | model-answer/para | trainer-note/para
                       | debrief/para | interpretation/para | instructions/para | fill-in/para">
    <fo:block xsl:use-attribute-sets="para" space-after="0.4em">
      <xsl:if test="parent::cell or parent::item or parent::fill-in">
        <xsl:attribute name="text-align">start</xsl:attribute>
      </xsl:if>
      <xsl:copy-of select="@id"/>
      <xsl:call-template name="source-attribute"/>
      <xsl:apply-templates/>
    </fo:block>
  </xsl:template>

  <xsl:template match="list">
    <xsl:variable name="depth" select="count(ancestor::list)"/>
    <fo:list-block space-before="0.3em" space-after="0.6em">
      <xsl:attribute name="provisional-distance-between-starts">
        <xsl:choose>
          <xsl:when test="@type = 'numbered' and count(item) >= 10">8.5mm</xsl:when>
          <xsl:when test="@type = 'numbered'">6.5mm</xsl:when>
          <xsl:otherwise>5mm</xsl:otherwise>
        </xsl:choose>
      </xsl:attribute>
      <xsl:if test="$depth > 0">
        <xsl:attribute name="space-before">0.2em</xsl:attribute>
        <xsl:attribute name="space-after">0.2em</xsl:attribute>
      </xsl:if>
      <xsl:copy-of select="@id"/>
      <xsl:apply-templates select="item"/>
    </fo:list-block>
  </xsl:template>

  <xsl:template match="list/item">
    <xsl:variable name="depth" select="count(ancestor::list)"/>
    <fo:list-item space-before="0.25em">
      <xsl:copy-of select="@id"/>
      <xsl:call-template name="source-attribute"/>
      <!-- no bullet alone at the foot or the top of a page -->
      <xsl:if test="count(../item) > 1 and not(following-sibling::item)">
        <xsl:attribute name="keep-with-previous.within-page">always</xsl:attribute>
      </xsl:if>
      <xsl:if test="count(../item) > 1 and not(preceding-sibling::item)">
        <xsl:attribute name="keep-with-next.within-page">always</xsl:attribute>
      </xsl:if>
      <fo:list-item-label end-indent="label-end()">
        <fo:block text-align="end">
          <xsl:choose>
            <xsl:when test="../@type = 'numbered' and $depth mod 2 = 1"><xsl:number format="1."/></xsl:when>
            <xsl:when test="../@type = 'numbered'">
              <xsl:call-template name="letter">
                <xsl:with-param name="n" select="count(preceding-sibling::item) + 1"/>
                <xsl:with-param name="case" select="'lower'"/>
              </xsl:call-template>
              <xsl:text>)</xsl:text>
            </xsl:when>
            <xsl:when test="$depth mod 2 = 1"><fo:inline color="{$primary}">•</fo:inline></xsl:when>
            <xsl:otherwise><fo:inline color="{$primary}">–</fo:inline></xsl:otherwise>
          </xsl:choose>
        </fo:block>
      </fo:list-item-label>
      <fo:list-item-body start-indent="body-start()">
        <xsl:call-template name="mixed-content"/>
      </fo:list-item-body>
    </fo:list-item>
  </xsl:template>

  <!-- content that is either inline text or paragraphs and lists -->
  <xsl:template name="mixed-content">
    <xsl:param name="align" select="'start'"/>
    <xsl:choose>
      <xsl:when test="para or list">
        <xsl:apply-templates select="para | list"/>
      </xsl:when>
      <xsl:otherwise>
        <fo:block text-align="{$align}" hyphenate="true"><xsl:apply-templates/></fo:block>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="keypoints">
    <fo:block xsl:use-attribute-sets="box" border-left="{concat('3pt solid ', $primary)}"
              border-top="{concat('0.5pt solid ', $rule-color)}" border-bottom="{concat('0.5pt solid ', $rule-color)}"
              border-right="{concat('0.5pt solid ', $rule-color)}" keep-together.within-page="always">
      <xsl:copy-of select="@id"/>
      <xsl:call-template name="small-heading">
        <xsl:with-param name="key" select="'keypoints'"/>
        <xsl:with-param name="title" select="title[1]"/>
      </xsl:call-template>
      <fo:list-block provisional-distance-between-starts="5mm">
        <xsl:for-each select="point">
          <fo:list-item space-before="1mm">
            <xsl:copy-of select="@id"/>
            <fo:list-item-label end-indent="label-end()">
              <fo:block color="{$accent}" font-weight="bold">•</fo:block>
            </fo:list-item-label>
            <fo:list-item-body start-indent="body-start()">
              <fo:block text-align="start"><xsl:apply-templates/></fo:block>
            </fo:list-item-body>
          </fo:list-item>
        </xsl:for-each>
      </fo:list-block>
    </fo:block>
  </xsl:template>

  <xsl:template match="quotation">
    <fo:block margin-left="8mm" margin-right="8mm" space-before="1em" space-after="1em"
              padding-left="4mm" border-left="{concat('1.5pt solid ', $accent)}"
              font-style="italic" keep-together.within-page="always">
      <xsl:copy-of select="@id"/>
      <xsl:apply-templates select="para"/>
      <xsl:for-each select="source">
        <fo:block xsl:use-attribute-sets="sans" font-style="normal" font-size="{$small-size}pt"
                  color="{$muted-color}" text-align="end" hyphenate="false">
          <xsl:copy-of select="@id"/>
          <xsl:text>— </xsl:text>
          <xsl:apply-templates/>
        </fo:block>
      </xsl:for-each>
    </fo:block>
  </xsl:template>

  <xsl:template match="example">
    <fo:block margin-left="0pt" margin-right="0pt" padding-left="4mm" space-before="1em" space-after="1em"
              border-left="{concat('1.5pt solid ', $primary)}">
      <xsl:copy-of select="@id"/>
      <fo:block xsl:use-attribute-sets="label" font-size="{$small-size}pt" color="{$primary}" space-after="1mm">
        <fo:inline><xsl:call-template name="gentext"><xsl:with-param name="key" select="'example'"/></xsl:call-template></fo:inline>
        <xsl:if test="title">
          <fo:inline color="{$text-color}">
            <xsl:call-template name="gentext"><xsl:with-param name="key" select="'meta-separator'"/></xsl:call-template>
            <xsl:apply-templates select="title[1]"/>
          </fo:inline>
        </xsl:if>
      </fo:block>
      <xsl:apply-templates select="para | list | quotation"/>
    </fo:block>
  </xsl:template>

  <xsl:template match="case">
    <xsl:param name="with-id" select="true()"/>
    <fo:block xsl:use-attribute-sets="box" background-color="#F6F6F4"
              border-top="{concat('2pt solid ', $accent)}">
      <xsl:if test="$with-id"><xsl:call-template name="id-attribute"/></xsl:if>
      <xsl:call-template name="source-attribute"/>
      <fo:block xsl:use-attribute-sets="label" font-size="{$small-size}pt" color="{$accent}">
        <xsl:call-template name="gentext"><xsl:with-param name="key" select="'case-study'"/></xsl:call-template>
      </fo:block>
      <fo:block xsl:use-attribute-sets="heading" font-size="{$h2-size}pt" color="{$text-color}" space-before="1mm" space-after="2mm">
        <xsl:apply-templates select="title[1]"/>
      </fo:block>
      <xsl:apply-templates select="para | list | quotation"/>
      <xsl:for-each select="questions">
        <fo:block space-before="3mm">
          <xsl:copy-of select="@id"/>
          <xsl:call-template name="small-heading"><xsl:with-param name="key" select="'questions'"/></xsl:call-template>
          <xsl:call-template name="questions"/>
        </fo:block>
      </xsl:for-each>
    </fo:block>
  </xsl:template>

  <!-- ============================================================ figures and tables -->

  <xsl:template match="figure">
    <fo:block space-before="1.2em" space-after="1.2em" keep-together.within-page="always" text-align="center">
      <xsl:copy-of select="@id"/>
      <xsl:call-template name="source-attribute"/>
      <xsl:apply-templates select="image"/>
      <fo:block xsl:use-attribute-sets="sans" font-size="{$small-size}pt" space-before="2mm"
                text-align="center" hyphenate="false">
        <fo:inline font-weight="bold" color="{$primary}"><xsl:call-template name="label"/></fo:inline>
        <xsl:if test="title">
          <xsl:text>&#160;&#160; </xsl:text>
          <xsl:apply-templates select="title[1]"/>
        </xsl:if>
      </fo:block>
      <xsl:for-each select="caption">
        <fo:block font-size="{$small-size}pt" font-style="italic" color="{$muted-color}" text-align="center" space-before="1mm">
          <xsl:copy-of select="@id"/>
          <xsl:apply-templates/>
        </fo:block>
      </xsl:for-each>
    </fo:block>
  </xsl:template>

  <!-- the image's src is kept as written: the engine resolves it against the course folder -->
  <!-- An absolute width wider than the text (120mm on A5) shrinks to the text width. -->
  <xsl:template match="image">
    <xsl:variable name="width-mm">
      <xsl:call-template name="length-in-mm"><xsl:with-param name="length" select="normalize-space(@width)"/></xsl:call-template>
    </xsl:variable>
    <fo:block text-align="center" line-height="1">
      <fo:external-graphic src="url('{@src}')">
        <xsl:copy-of select="@id"/>
        <!-- the figure's alternative text in tagged PDF -->
        <xsl:if test="normalize-space(@alt) != ''">
          <xsl:attribute name="wb:alt" namespace="urn:x-workbook:xslt"><xsl:value-of select="normalize-space(@alt)"/></xsl:attribute>
        </xsl:if>
        <xsl:choose>
          <xsl:when test="contains(@width, '%')">
            <xsl:attribute name="width"><xsl:value-of select="@width"/></xsl:attribute>
            <xsl:attribute name="content-width">scale-to-fit</xsl:attribute>
            <xsl:attribute name="content-height">100%</xsl:attribute>
            <xsl:attribute name="scaling">uniform</xsl:attribute>
          </xsl:when>
          <xsl:when test="@width and $width-mm &lt;= $text-width-mm">
            <xsl:attribute name="content-width"><xsl:value-of select="@width"/></xsl:attribute>
            <xsl:attribute name="scaling">uniform</xsl:attribute>
          </xsl:when>
          <xsl:otherwise>
            <xsl:attribute name="width">100%</xsl:attribute>
            <xsl:attribute name="content-width">scale-down-to-fit</xsl:attribute>
            <xsl:attribute name="content-height">100%</xsl:attribute>
            <xsl:attribute name="scaling">uniform</xsl:attribute>
          </xsl:otherwise>
        </xsl:choose>
      </fo:external-graphic>
    </fo:block>
  </xsl:template>

  <!-- a length in mm, cm, in, pt or pc as a number of millimetres (0 when not absolute) -->
  <xsl:template name="length-in-mm">
    <xsl:param name="length"/>
    <xsl:variable name="unit" select="substring($length, string-length($length) - 1)"/>
    <xsl:variable name="n" select="number(substring($length, 1, string-length($length) - 2))"/>
    <xsl:choose>
      <xsl:when test="string($n) = 'NaN'">0</xsl:when>
      <xsl:when test="$unit = 'mm'"><xsl:value-of select="$n"/></xsl:when>
      <xsl:when test="$unit = 'cm'"><xsl:value-of select="$n * 10"/></xsl:when>
      <xsl:when test="$unit = 'in'"><xsl:value-of select="$n * 25.4"/></xsl:when>
      <xsl:when test="$unit = 'pt'"><xsl:value-of select="$n * 25.4 div 72"/></xsl:when>
      <xsl:when test="$unit = 'pc'"><xsl:value-of select="$n * 25.4 div 6"/></xsl:when>
      <xsl:otherwise>0</xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="table">
    <xsl:variable name="first-row" select="(header/row | row)[1]"/>
    <xsl:variable name="column-count">
      <xsl:choose>
        <xsl:when test="columns/column"><xsl:value-of select="count(columns/column)"/></xsl:when>
        <xsl:otherwise><xsl:value-of select="count($first-row/cell[not(@colspan)]) + sum($first-row/cell/@colspan)"/></xsl:otherwise>
      </xsl:choose>
    </xsl:variable>
    <fo:block space-before="1.2em" space-after="1.2em">
      <xsl:copy-of select="@id"/>
      <xsl:call-template name="source-attribute"/>
      <fo:block xsl:use-attribute-sets="label" font-size="{$small-size}pt" space-after="1.5mm">
        <fo:inline color="{$primary}"><xsl:call-template name="label"/></fo:inline>
        <xsl:if test="title">
          <xsl:text>&#160;&#160; </xsl:text>
          <xsl:apply-templates select="title[1]"/>
        </xsl:if>
      </fo:block>
      <fo:table width="100%" border-collapse="collapse" border-top="{concat('0.8pt solid ', $primary)}"
                font-size="{$body-size - 0.5}pt" line-height="1.3">
        <xsl:call-template name="table-layout"/>
        <xsl:choose>
          <xsl:when test="columns/column">
            <xsl:for-each select="columns/column">
              <fo:table-column>
                <xsl:copy-of select="@id"/>
                <xsl:attribute name="column-width">
                  <xsl:call-template name="column-width"><xsl:with-param name="w" select="normalize-space(@width)"/></xsl:call-template>
                </xsl:attribute>
              </fo:table-column>
            </xsl:for-each>
          </xsl:when>
          <xsl:otherwise>
            <xsl:call-template name="equal-columns"><xsl:with-param name="n" select="$column-count"/></xsl:call-template>
          </xsl:otherwise>
        </xsl:choose>
        <xsl:if test="header/row">
          <fo:table-header start-indent="0pt" end-indent="0pt">
            <xsl:copy-of select="header/@id"/>
            <xsl:apply-templates select="header/row"/>
          </fo:table-header>
        </xsl:if>
        <fo:table-body start-indent="0pt" end-indent="0pt">
          <xsl:apply-templates select="row"/>
        </fo:table-body>
      </fo:table>
      <xsl:for-each select="caption">
        <fo:block font-size="{$small-size}pt" font-style="italic" color="{$muted-color}" space-before="1.5mm" text-align="start">
          <xsl:copy-of select="@id"/>
          <xsl:apply-templates/>
        </fo:block>
      </xsl:for-each>
    </fo:block>
  </xsl:template>

  <!-- "2*" or "2": proportional; "30mm", "25%": as written; nothing: one share -->
  <xsl:template name="column-width">
    <xsl:param name="w"/>
    <xsl:choose>
      <xsl:when test="$w = ''">proportional-column-width(1)</xsl:when>
      <xsl:when test="substring($w, string-length($w)) = '*'">
        <xsl:value-of select="concat('proportional-column-width(', substring($w, 1, string-length($w) - 1), ')')"/>
      </xsl:when>
      <xsl:when test="string(number($w)) != 'NaN'">
        <xsl:value-of select="concat('proportional-column-width(', $w, ')')"/>
      </xsl:when>
      <xsl:otherwise><xsl:value-of select="$w"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template name="table-layout">
    <xsl:if test="$fop = 'yes'">
      <xsl:attribute name="table-layout">fixed</xsl:attribute>
    </xsl:if>
  </xsl:template>

  <xsl:template name="equal-columns">
    <xsl:param name="n"/>
    <xsl:if test="$n > 0">
      <fo:table-column column-width="proportional-column-width(1)"/>
      <xsl:call-template name="equal-columns"><xsl:with-param name="n" select="$n - 1"/></xsl:call-template>
    </xsl:if>
  </xsl:template>

  <xsl:template match="row">
    <fo:table-row keep-together.within-page="always">
      <xsl:copy-of select="@id"/>
      <xsl:call-template name="source-attribute"/>
      <xsl:apply-templates select="cell"/>
    </fo:table-row>
  </xsl:template>

  <xsl:template match="cell">
    <xsl:variable name="head" select="boolean(parent::row/parent::header)"/>
    <fo:table-cell>
      <xsl:choose>
        <xsl:when test="$head">
          <xsl:attribute name="font-family"><xsl:value-of select="$font-sans"/></xsl:attribute>
          <xsl:attribute name="font-weight">bold</xsl:attribute>
          <xsl:attribute name="font-size"><xsl:value-of select="$small-size"/>pt</xsl:attribute>
          <xsl:attribute name="color"><xsl:value-of select="$primary"/></xsl:attribute>
          <xsl:attribute name="background-color"><xsl:value-of select="$tint"/></xsl:attribute>
          <xsl:attribute name="border-bottom"><xsl:value-of select="concat('0.8pt solid ', $primary)"/></xsl:attribute>
          <xsl:attribute name="display-align">after</xsl:attribute>
        </xsl:when>
        <xsl:otherwise>
          <xsl:attribute name="border-bottom"><xsl:value-of select="concat('0.5pt solid ', $rule-color)"/></xsl:attribute>
        </xsl:otherwise>
      </xsl:choose>
      <xsl:attribute name="padding-left">1.5mm</xsl:attribute>
      <xsl:attribute name="padding-right">1.5mm</xsl:attribute>
      <xsl:attribute name="padding-top">1.2mm</xsl:attribute>
      <xsl:attribute name="padding-bottom">1.2mm</xsl:attribute>
      <xsl:copy-of select="@id"/>
      <xsl:if test="@colspan > 1">
        <xsl:attribute name="number-columns-spanned"><xsl:value-of select="@colspan"/></xsl:attribute>
      </xsl:if>
      <xsl:if test="@rowspan > 1">
        <xsl:attribute name="number-rows-spanned"><xsl:value-of select="@rowspan"/></xsl:attribute>
      </xsl:if>
      <xsl:call-template name="mixed-content"/>
    </fo:table-cell>
  </xsl:template>

  <xsl:template match="glossary">
    <xsl:variable name="depth" select="count(ancestor::section) + 1"/>
    <fo:block space-before="1em" space-after="1em">
      <xsl:copy-of select="@id"/>
      <fo:block xsl:use-attribute-sets="heading" space-before="0.6em" space-after="0.5em">
        <xsl:attribute name="font-size">
          <xsl:choose>
            <xsl:when test="$depth = 1"><xsl:value-of select="$h1-size"/>pt</xsl:when>
            <xsl:when test="$depth = 2"><xsl:value-of select="$h2-size"/>pt</xsl:when>
            <xsl:otherwise><xsl:value-of select="$h3-size"/>pt</xsl:otherwise>
          </xsl:choose>
        </xsl:attribute>
        <xsl:choose>
          <xsl:when test="title"><xsl:apply-templates select="title[1]"/></xsl:when>
          <xsl:otherwise>
            <xsl:call-template name="gentext"><xsl:with-param name="key" select="'glossary'"/></xsl:call-template>
          </xsl:otherwise>
        </xsl:choose>
      </fo:block>
      <fo:table width="100%" border-top="{concat('0.8pt solid ', $primary)}">
        <xsl:call-template name="table-layout"/>
        <fo:table-column column-width="proportional-column-width(3)"/>
        <fo:table-column column-width="proportional-column-width(7)"/>
        <fo:table-body start-indent="0pt" end-indent="0pt">
          <xsl:for-each select="entry">
            <fo:table-row keep-together.within-page="always">
              <xsl:copy-of select="@id"/>
              <fo:table-cell xsl:use-attribute-sets="table-cell" padding-left="0pt">
                <xsl:for-each select="term">
                  <fo:block xsl:use-attribute-sets="sans" font-weight="bold" color="{$primary}" text-align="start" hyphenate="false">
                    <xsl:copy-of select="@id"/>
                    <xsl:apply-templates/>
                  </fo:block>
                </xsl:for-each>
              </fo:table-cell>
              <fo:table-cell xsl:use-attribute-sets="table-cell">
                <xsl:for-each select="definition">
                  <fo:block text-align="start" hyphenate="true">
                    <xsl:copy-of select="@id"/>
                    <xsl:if test="count(../definition) > 1">
                      <fo:inline font-weight="bold"><xsl:value-of select="position()"/>. </fo:inline>
                    </xsl:if>
                    <xsl:apply-templates/>
                  </fo:block>
                </xsl:for-each>
              </fo:table-cell>
            </fo:table-row>
          </xsl:for-each>
        </fo:table-body>
      </fo:table>
    </fo:block>
  </xsl:template>

  <!-- ============================================================ trainer material -->

  <xsl:template match="trainer-note">
    <xsl:if test="$show-trainer">
      <fo:block xsl:use-attribute-sets="trainer-box">
        <xsl:copy-of select="@id"/>
        <fo:block xsl:use-attribute-sets="label" color="{$accent}" space-after="1mm">
          <fo:inline><xsl:call-template name="gentext"><xsl:with-param name="key" select="'trainer-note'"/></xsl:call-template></fo:inline>
          <xsl:if test="@minutes">
            <fo:inline font-weight="normal" color="{$muted-color}">
              <xsl:call-template name="gentext"><xsl:with-param name="key" select="'meta-separator'"/></xsl:call-template>
              <xsl:call-template name="minutes"><xsl:with-param name="n" select="@minutes"/></xsl:call-template>
            </fo:inline>
          </xsl:if>
        </fo:block>
        <xsl:apply-templates select="para | list"/>
      </fo:block>
    </xsl:if>
  </xsl:template>

  <xsl:template match="timing">
    <xsl:if test="$show-trainer">
      <fo:block xsl:use-attribute-sets="trainer-box" keep-together.within-page="always">
        <xsl:copy-of select="@id"/>
        <fo:block xsl:use-attribute-sets="label" color="{$accent}" space-after="1.5mm">
          <fo:inline><xsl:call-template name="gentext"><xsl:with-param name="key" select="'timing'"/></xsl:call-template></fo:inline>
          <fo:inline font-weight="normal" color="{$muted-color}">
            <xsl:call-template name="gentext"><xsl:with-param name="key" select="'meta-separator'"/></xsl:call-template>
            <xsl:call-template name="minutes"><xsl:with-param name="n" select="sum(step/@minutes)"/></xsl:call-template>
          </fo:inline>
        </fo:block>
        <fo:table width="100%">
        <xsl:call-template name="table-layout"/>
          <fo:table-column column-width="14mm"/>
          <fo:table-column column-width="proportional-column-width(1)"/>
          <fo:table-column column-width="16mm"/>
          <fo:table-body start-indent="0pt" end-indent="0pt">
            <xsl:for-each select="step">
              <!-- the clock time of the session (schedule.xsl) where the plan is a module's,
                   with the breaks and days before the step; else the time since its start -->
              <xsl:variable name="at"><xsl:call-template name="start-of"/></xsl:variable>
              <xsl:call-template name="pause-rows"><xsl:with-param name="id" select="generate-id()"/></xsl:call-template>
              <fo:table-row>
                <xsl:copy-of select="@id"/>
                <fo:table-cell padding-top="0.8mm" padding-bottom="0.8mm" border-bottom="{concat('0.4pt solid ', $rule-color)}">
                  <fo:block color="{$muted-color}">
                    <xsl:choose>
                      <xsl:when test="$at != ''"><xsl:value-of select="$at"/></xsl:when>
                      <xsl:otherwise>
                        <xsl:call-template name="clock"><xsl:with-param name="minutes" select="sum(preceding-sibling::step/@minutes)"/></xsl:call-template>
                      </xsl:otherwise>
                    </xsl:choose>
                  </fo:block>
                </fo:table-cell>
                <fo:table-cell padding-top="0.8mm" padding-bottom="0.8mm" border-bottom="{concat('0.4pt solid ', $rule-color)}">
                  <fo:block text-align="start"><xsl:apply-templates/></fo:block>
                </fo:table-cell>
                <fo:table-cell padding-top="0.8mm" padding-bottom="0.8mm" border-bottom="{concat('0.4pt solid ', $rule-color)}">
                  <fo:block text-align="end">
                    <xsl:value-of select="@minutes"/>
                    <xsl:text>&#160;</xsl:text>
                    <xsl:call-template name="gentext"><xsl:with-param name="key" select="'minutes-abbr'"/></xsl:call-template>
                  </fo:block>
                </fo:table-cell>
              </fo:table-row>
            </xsl:for-each>
          </fo:table-body>
        </fo:table>
      </fo:block>
    </xsl:if>
  </xsl:template>

  <!-- ============================================================ inline content -->

  <xsl:template name="em-style">
    <xsl:attribute name="font-style">
      <xsl:choose>
        <xsl:when test="count(ancestor::*[self::em or self::term or self::instructions or self::explanation
                                          or self::para[parent::quotation]]) mod 2 = 1">normal</xsl:when>
        <xsl:otherwise>italic</xsl:otherwise>
      </xsl:choose>
    </xsl:attribute>
  </xsl:template>

  <xsl:template match="em">
    <fo:inline>
      <xsl:call-template name="em-style"/>
      <xsl:copy-of select="@id"/>
      <xsl:apply-templates/>
    </fo:inline>
  </xsl:template>

  <xsl:template match="strong">
    <fo:inline font-weight="bold">
      <xsl:copy-of select="@id"/>
      <xsl:apply-templates/>
    </fo:inline>
  </xsl:template>

  <xsl:template match="term">
    <fo:inline color="{$primary}">
      <xsl:call-template name="em-style"/>
      <xsl:copy-of select="@id"/>
      <xsl:apply-templates/>
    </fo:inline>
  </xsl:template>

  <xsl:template match="q">
    <xsl:variable name="inner" select="count(ancestor::q) mod 2 = 1"/>
    <fo:inline>
      <xsl:copy-of select="@id"/>
      <xsl:call-template name="quote-open"><xsl:with-param name="inner" select="$inner"/></xsl:call-template>
      <xsl:apply-templates/>
      <xsl:call-template name="quote-close"><xsl:with-param name="inner" select="$inner"/></xsl:call-template>
    </fo:inline>
  </xsl:template>

  <!-- a phrase in another language: hyphenated in it, and tagged with it (tagged PDF) -->
  <xsl:template match="foreign">
    <fo:inline xml:lang="{@lang}">
      <xsl:copy-of select="@id"/>
      <xsl:apply-templates/>
    </fo:inline>
  </xsl:template>

  <!-- a link prints its address too, for the reader of paper -->
  <xsl:template match="link">
    <xsl:variable name="shown">
      <xsl:choose>
        <xsl:when test="starts-with(@href, 'mailto:')"><xsl:value-of select="substring-after(@href, 'mailto:')"/></xsl:when>
        <xsl:otherwise><xsl:value-of select="@href"/></xsl:otherwise>
      </xsl:choose>
    </xsl:variable>
    <fo:basic-link external-destination="url('{@href}')" color="{$primary}">
      <xsl:copy-of select="@id"/>
      <xsl:choose>
        <xsl:when test="normalize-space(.) = ''"><xsl:value-of select="$shown"/></xsl:when>
        <xsl:otherwise><xsl:apply-templates/></xsl:otherwise>
      </xsl:choose>
    </fo:basic-link>
    <xsl:if test="normalize-space(.) != '' and normalize-space(.) != $shown">
      <fo:inline font-size="0.85em" color="{$muted-color}">
        <xsl:text> (</xsl:text>
        <xsl:value-of select="$shown"/>
        <xsl:text>)</xsl:text>
      </fo:inline>
    </xsl:if>
  </xsl:template>

  <!-- An xref prints the label and title of its target and the page: Exercise 2.3 “Title”, page 12.
       Targets that this edition does not print keep their words, without link or page. -->
  <xsl:template match="xref">
    <xsl:variable name="target" select="key('by-id', @ref)[1]"/>
    <xsl:variable name="rendered">
      <xsl:call-template name="is-rendered"><xsl:with-param name="node" select="$target"/></xsl:call-template>
    </xsl:variable>
    <xsl:variable name="words">
      <xsl:call-template name="xref-words"><xsl:with-param name="target" select="$target"/></xsl:call-template>
    </xsl:variable>
    <xsl:choose>
      <xsl:when test="not($target)">
        <xsl:message>workbook styles: cross-reference to "<xsl:value-of select="@ref"/>", which is not in this edition</xsl:message>
        <fo:inline><xsl:copy-of select="@id"/>[<xsl:value-of select="@ref"/>]</fo:inline>
      </xsl:when>
      <xsl:when test="$rendered = 'yes'">
        <fo:basic-link internal-destination="{@ref}" color="{$primary}">
          <xsl:copy-of select="@id"/>
          <xsl:choose>
            <xsl:when test="string($words) != ''">
              <xsl:call-template name="gentext-format">
                <xsl:with-param name="key" select="'xref-page'"/>
                <xsl:with-param name="p1" select="$words"/>
                <xsl:with-param name="p2"><fo:page-number-citation ref-id="{@ref}"/></xsl:with-param>
              </xsl:call-template>
            </xsl:when>
            <xsl:otherwise>
              <xsl:call-template name="gentext-format">
                <xsl:with-param name="key" select="'page-ref'"/>
                <xsl:with-param name="p1"><fo:page-number-citation ref-id="{@ref}"/></xsl:with-param>
              </xsl:call-template>
            </xsl:otherwise>
          </xsl:choose>
        </fo:basic-link>
      </xsl:when>
      <xsl:otherwise>
        <fo:inline><xsl:copy-of select="@id"/><xsl:call-template name="words-elsewhere"><xsl:with-param name="target" select="$target"/><xsl:with-param name="words" select="$words"/></xsl:call-template></fo:inline>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- A reference to what this edition does not print: its words, and the edition that has
       it ("Case study “Sam” (in the participant workbook)"), never a page of this one. -->
  <xsl:template name="words-elsewhere">
    <xsl:param name="target"/>
    <xsl:param name="words"/>
    <xsl:variable name="home">
      <xsl:for-each select="$target">
        <xsl:choose>
          <xsl:when test="ancestor-or-self::*[self::trainer-note or self::timing]">trainer</xsl:when>
          <xsl:when test="ancestor-or-self::*[self::model-answer or self::explanation or self::debrief]">answers</xsl:when>
          <xsl:otherwise>participant</xsl:otherwise>
        </xsl:choose>
      </xsl:for-each>
    </xsl:variable>
    <xsl:call-template name="gentext-format">
      <xsl:with-param name="key" select="'xref-elsewhere'"/>
      <xsl:with-param name="p1" select="$words"/>
      <xsl:with-param name="p2">
        <xsl:call-template name="gentext"><xsl:with-param name="key" select="concat('where-', $home)"/></xsl:call-template>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <!-- Module 2 “Client or customer?” -->
  <xsl:template name="xref-words">
    <xsl:param name="target"/>
    <xsl:variable name="label">
      <xsl:choose>
        <xsl:when test="$target/self::case">
          <xsl:call-template name="gentext"><xsl:with-param name="key" select="'case-study'"/></xsl:call-template>
        </xsl:when>
        <xsl:otherwise>
          <xsl:call-template name="label"><xsl:with-param name="node" select="$target"/></xsl:call-template>
        </xsl:otherwise>
      </xsl:choose>
    </xsl:variable>
    <xsl:value-of select="$label"/>
    <xsl:if test="$target/title">
      <xsl:if test="$label != ''"><xsl:text> </xsl:text></xsl:if>
      <xsl:call-template name="quote-open"/>
      <xsl:apply-templates select="$target/title[1]" mode="title"/>
      <xsl:call-template name="quote-close"/>
    </xsl:if>
  </xsl:template>

  <xsl:template match="br">
    <fo:block/>
  </xsl:template>

  <!-- a gap of a fill-in exercise: a numbered blank, or the answer in the trainer's editions -->
  <xsl:template match="gap">
    <xsl:variable name="n"><xsl:number level="any" count="gap" from="fill-in"/></xsl:variable>
    <fo:inline>
      <xsl:copy-of select="@id"/>
      <fo:inline xsl:use-attribute-sets="sans" font-size="0.65em" baseline-shift="super" color="{$muted-color}">
        <xsl:value-of select="$n"/>
      </fo:inline>
      <xsl:choose>
        <xsl:when test="$show-answers">
          <fo:inline font-weight="bold" color="{$answer-color}" border-bottom="{concat('0.6pt solid ', $answer-color)}">
            <xsl:text>&#160;</xsl:text>
            <xsl:value-of select="@answer"/>
            <xsl:text>&#160;</xsl:text>
          </fo:inline>
        </xsl:when>
        <xsl:otherwise>
          <fo:inline border-bottom="{concat('0.6pt solid ', $box-color)}">
            <xsl:call-template name="field">
              <xsl:with-param name="kind" select="'text'"/>
              <xsl:with-param name="name" select="concat('gap', $n)"/>
            </xsl:call-template>
            <fo:leader leader-pattern="space" leader-length="{$gap-length}"/>
          </fo:inline>
        </xsl:otherwise>
      </xsl:choose>
    </fo:inline>
  </xsl:template>

  <xsl:template match="text()">
    <xsl:value-of select="."/>
  </xsl:template>

  <!-- anything the styles do not know is reported, never silently printed -->
  <xsl:template match="*">
    <xsl:message>workbook styles: no style for element &lt;<xsl:value-of select="name()"/>&gt; in &lt;<xsl:value-of select="name(..)"/>&gt;</xsl:message>
  </xsl:template>

  <!-- ============================================================ exercise furniture -->

  <!-- Marks the FO element being made as a form field of a fillable workbook: wb:field (text,
       multiline, check, radio), wb:field-name, the exercise's "ex-1.2/" and the given name,
       stable and readable ("ex-1.2/q3"), and wb:field-value, a radio button's export value
       (radio buttons of one name are one group).  Call it before the element's children.
       Extension attributes in the engine's namespace, as wb:source: they change nothing
       printed, and other formatters ignore them. -->
  <xsl:template name="field">
    <xsl:param name="kind"/>
    <xsl:param name="name"/>
    <xsl:param name="value" select="''"/>
    <xsl:if test="$fillable = 'yes' and not($show-answers)">
      <xsl:attribute name="wb:field" namespace="urn:x-workbook:xslt"><xsl:value-of select="$kind"/></xsl:attribute>
      <xsl:attribute name="wb:field-name" namespace="urn:x-workbook:xslt">
        <xsl:for-each select="ancestor-or-self::exercise[1]">
          <xsl:text>ex-</xsl:text>
          <xsl:call-template name="number"/>
          <xsl:text>/</xsl:text>
        </xsl:for-each>
        <xsl:value-of select="$name"/>
      </xsl:attribute>
      <xsl:if test="$value != ''">
        <xsl:attribute name="wb:field-value" namespace="urn:x-workbook:xslt"><xsl:value-of select="$value"/></xsl:attribute>
      </xsl:if>
    </xsl:if>
  </xsl:template>

  <!-- The structure element of tagged PDF the FO element being made stands for, where the FO
       cannot say it (wb:role: Sect, H1-H6...): lists, tables, figures and paragraphs the engine
       knows from the FO.  Call it before the element's children. -->
  <xsl:template name="role">
    <xsl:param name="role"/>
    <xsl:attribute name="wb:role" namespace="urn:x-workbook:xslt"><xsl:value-of select="$role"/></xsl:attribute>
  </xsl:template>

  <!-- a box to tick, its foot on the baseline of the text beside it (a 7pt inline sits its
       descent lower: raised by as much); filled in the accent colour when it is the right
       answer and answers show; field-name: its form field's (a check box; a radio button when
       field-value is given) -->
  <xsl:template name="tick-box">
    <xsl:param name="checked" select="false()"/>
    <xsl:param name="field-name" select="''"/>
    <xsl:param name="field-value" select="''"/>
    <fo:inline font-size="7pt" line-height="1" border="{concat('0.7pt solid ', $box-color)}" baseline-shift="2pt">
      <xsl:if test="$field-name != ''">
        <xsl:call-template name="field">
          <xsl:with-param name="kind"><xsl:choose><xsl:when test="$field-value != ''">radio</xsl:when><xsl:otherwise>check</xsl:otherwise></xsl:choose></xsl:with-param>
          <xsl:with-param name="name" select="$field-name"/>
          <xsl:with-param name="value" select="$field-value"/>
        </xsl:call-template>
      </xsl:if>
      <xsl:if test="$checked and $show-answers">
        <xsl:attribute name="background-color"><xsl:value-of select="$answer-color"/></xsl:attribute>
        <xsl:attribute name="border"><xsl:value-of select="concat('0.7pt solid ', $answer-color)"/></xsl:attribute>
      </xsl:if>
      <fo:leader leader-pattern="space" leader-length="7.5pt"/>
    </fo:inline>
  </xsl:template>

  <!-- a box to write a number or a letter in; shows the answer when answers show -->
  <xsl:template name="write-box">
    <xsl:param name="answer" select="''"/>
    <xsl:param name="width" select="'16pt'"/>
    <xsl:param name="field-name" select="''"/>
    <fo:inline xsl:use-attribute-sets="sans" border="{concat('0.7pt solid ', $box-color)}" font-weight="bold"
               padding-top="1pt" padding-bottom="1pt" background-color="#FFFFFF">
      <xsl:if test="$field-name != ''">
        <xsl:call-template name="field">
          <xsl:with-param name="kind" select="'text'"/>
          <xsl:with-param name="name" select="$field-name"/>
        </xsl:call-template>
      </xsl:if>
      <xsl:choose>
        <xsl:when test="$show-answers and string($answer) != ''">
          <xsl:attribute name="color"><xsl:value-of select="$answer-color"/></xsl:attribute>
          <xsl:attribute name="border"><xsl:value-of select="concat('0.7pt solid ', $answer-color)"/></xsl:attribute>
          <xsl:text>&#160;&#160;</xsl:text>
          <xsl:value-of select="$answer"/>
          <xsl:text>&#160;&#160;</xsl:text>
        </xsl:when>
        <xsl:otherwise>
          <fo:leader leader-pattern="space" leader-length="{$width}"/>
        </xsl:otherwise>
      </xsl:choose>
    </fo:inline>
  </xsl:template>

  <!-- ruled lines to write on -->
  <xsl:template name="write-in-lines">
    <xsl:param name="count" select="4"/>
    <xsl:param name="field-name" select="''"/>
    <xsl:if test="$count > 0">
      <fo:block xsl:use-attribute-sets="write-area">
        <xsl:if test="$field-name != ''">
          <xsl:call-template name="field">
            <xsl:with-param name="kind" select="'multiline'"/>
            <xsl:with-param name="name" select="$field-name"/>
          </xsl:call-template>
        </xsl:if>
        <xsl:if test="$count &lt;= 10">
          <xsl:attribute name="keep-together.within-page">always</xsl:attribute>
        </xsl:if>
        <xsl:call-template name="ruled-lines"><xsl:with-param name="count" select="$count"/></xsl:call-template>
      </fo:block>
    </xsl:if>
  </xsl:template>

  <xsl:template name="ruled-lines">
    <xsl:param name="count"/>
    <xsl:if test="$count > 0">
      <fo:block line-height="{$write-line}" border-bottom="{concat('0.4pt solid ', $line-color)}">&#160;</fo:block>
      <xsl:call-template name="ruled-lines"><xsl:with-param name="count" select="$count - 1"/></xsl:call-template>
    </xsl:if>
  </xsl:template>

  <!-- "Name: ______  Date: ______" at the top of a sheet -->
  <xsl:template name="name-date-line">
    <fo:block xsl:use-attribute-sets="sans" font-size="{$small-size}pt" text-align="start" text-align-last="justify"
              space-before="2mm" space-after="5mm" hyphenate="false">
      <xsl:call-template name="gentext"><xsl:with-param name="key" select="'name-field'"/></xsl:call-template>
      <xsl:text> </xsl:text>
      <fo:leader leader-pattern="rule" leader-length="52%" rule-thickness="0.4pt" color="{$line-color}">
        <xsl:call-template name="field"><xsl:with-param name="kind" select="'text'"/><xsl:with-param name="name" select="'name'"/></xsl:call-template>
      </fo:leader>
      <xsl:text>   </xsl:text>
      <fo:leader leader-pattern="space"/>
      <xsl:call-template name="gentext"><xsl:with-param name="key" select="'date-field'"/></xsl:call-template>
      <xsl:text> </xsl:text>
      <fo:leader leader-pattern="rule" leader-length="25%" rule-thickness="0.4pt" color="{$line-color}">
        <xsl:call-template name="field"><xsl:with-param name="kind" select="'text'"/><xsl:with-param name="name" select="'date'"/></xsl:call-template>
      </fo:leader>
    </fo:block>
  </xsl:template>

  <!-- ============================================================ exercises -->

  <xsl:variable name="exercise-kinds" select="'|open|true-false|single-choice|multiple-choice|matching|sequencing|fill-in|checklist|rating-scale|role-play|discussion|'"/>

  <xsl:template match="exercise">
    <fo:block xsl:use-attribute-sets="exercise-box">
      <xsl:call-template name="role"><xsl:with-param name="role" select="'Sect'"/></xsl:call-template>
      <xsl:call-template name="id-attribute"/>
      <xsl:call-template name="source-attribute"/>
      <xsl:call-template name="keep-if-short"/>
      <xsl:call-template name="exercise-head"/>
      <fo:block>
        <xsl:call-template name="continued-marker"/>
        <xsl:apply-templates select="instructions"/>
        <xsl:call-template name="generated-instructions"/>
        <xsl:apply-templates select="*[contains($exercise-kinds, concat('|', local-name(), '|'))]"/>
      </fo:block>
    </fo:block>
  </xsl:template>

  <!-- Pages: an exercise shorter than about a third of the text area is never split (a
       3-item matching on two pages cannot be drawn); a longer one breaks only between its
       items, each of which keeps together.  XSLT cannot measure, so the height is estimated
       from the text, the items and the write-in lines, on the generous side. -->
  <xsl:variable name="body-height-mm" select="$page-height - $margin-top - $margin-bottom - $body-top - $body-bottom"/>
  <!-- mm of an average letter of running text, and of a line of it -->
  <xsl:variable name="letter-mm" select="$body-size * 0.52 * 0.3528"/>
  <xsl:variable name="line-mm" select="$body-size * $line-height * 0.3528"/>

  <xsl:template name="estimated-height">
    <xsl:param name="node" select="."/>
    <xsl:variable name="letters" select="string-length(normalize-space($node))"/>
    <xsl:variable name="per-line" select="floor(($text-width-mm - 14) div $letter-mm)"/>
    <xsl:variable name="items" select="count($node//question | $node//statement | $node//choice | $node//item
                                             | $node//step | $node//criterion | $node//band | $node//para
                                             | $node//role | $node//prompt)"/>
    <xsl:variable name="written" select="$node//question[not($show-answers)]"/>
    <xsl:variable name="lines" select="sum($written/@lines) + 4 * count($written[not(@lines)])"/>
    <!-- each choice is a line of its own -->
    <xsl:value-of select="24 + ceiling($letters div $per-line) * $line-mm + $items * 3.5 + count($node//choice) * 2
                          + $lines * number(translate($write-line, 'm', ''))"/>
  </xsl:template>

  <xsl:template name="keep-if-short">
    <xsl:variable name="height"><xsl:call-template name="estimated-height"/></xsl:variable>
    <!-- "about a third": the estimate errs high, and a 2-question quiz on A5 is short -->
    <xsl:if test="number($height) &lt;= $body-height-mm * 0.45">
      <xsl:attribute name="keep-together.within-page">always</xsl:attribute>
    </xsl:if>
  </xsl:template>

  <!-- On a page that an exercise goes on over, the head repeats its label and title with
       "(continued)": the marker sits on the exercise's body, and an empty one of the same
       class on its head, so the page where the exercise starts shows nothing. -->
  <xsl:template name="continued-marker">
    <fo:marker marker-class-name="wb-continued">
      <xsl:for-each select="ancestor-or-self::exercise[1]">
        <xsl:call-template name="label"/>
        <xsl:call-template name="gentext"><xsl:with-param name="key" select="'meta-separator'"/></xsl:call-template>
        <!-- the line holds letters of the continuation's size: the label and "(continued)"
             first, the title in what is left -->
        <xsl:variable name="label"><xsl:call-template name="label"/></xsl:variable>
        <xsl:variable name="cont"><xsl:call-template name="gentext"><xsl:with-param name="key" select="'continued'"/></xsl:call-template></xsl:variable>
        <fo:inline font-weight="normal" color="{$text-color}">
          <xsl:call-template name="short-text">
            <xsl:with-param name="text"><xsl:apply-templates select="title[1]" mode="plain"/></xsl:with-param>
            <xsl:with-param name="max" select="floor($head-full * $tiny-size div $small-size) - string-length($label)
                                               - string-length($cont) - 8"/>
          </xsl:call-template>
          <xsl:text> (</xsl:text>
          <xsl:call-template name="gentext"><xsl:with-param name="key" select="'continued'"/></xsl:call-template>
          <xsl:text>)</xsl:text>
        </fo:inline>
      </xsl:for-each>
    </fo:marker>
  </xsl:template>

  <!-- the last row of a table of items goes over a page with the one before it -->
  <xsl:template name="keep-last-row">
    <xsl:if test="position() = last() and last() > 1">
      <xsl:attribute name="keep-with-previous.within-page">always</xsl:attribute>
    </xsl:if>
  </xsl:template>

  <!-- "Exercise 2.3 ........ In pairs · 10 minutes", then the title -->
  <xsl:template name="exercise-head">
    <xsl:param name="suffix" select="''"/>
    <fo:block keep-with-next.within-page="always">
      <fo:marker marker-class-name="wb-continued"/>
      <fo:block xsl:use-attribute-sets="label" color="{$primary}" text-align-last="justify">
        <xsl:call-template name="label"/>
        <fo:leader leader-pattern="space"/>
        <fo:inline font-weight="normal" color="{$muted-color}">
          <xsl:call-template name="exercise-meta"/>
        </fo:inline>
      </fo:block>
      <fo:block xsl:use-attribute-sets="heading" color="{$text-color}" font-size="{$exercise-title-size}pt"
                space-before="1mm" space-after="2mm">
        <xsl:call-template name="role">
          <xsl:with-param name="role" select="concat('H', substring('23456', count(ancestor::section) + 1, 1))"/>
        </xsl:call-template>
        <fo:inline><xsl:apply-templates select="title[1]"/></fo:inline>
        <xsl:if test="$suffix != ''">
          <fo:inline font-weight="normal" color="{$muted-color}">
            <xsl:call-template name="gentext"><xsl:with-param name="key" select="'meta-separator'"/></xsl:call-template>
            <xsl:value-of select="$suffix"/>
          </fo:inline>
        </xsl:if>
      </fo:block>
    </fo:block>
  </xsl:template>

  <xsl:template match="instructions">
    <fo:block font-style="italic" space-after="2mm" keep-with-next.within-page="always">
      <xsl:copy-of select="@id"/>
      <xsl:apply-templates select="para | list"/>
    </fo:block>
  </xsl:template>

  <!-- What to do, for an exercise whose author wrote no <instructions>: "Tick one answer for
       each question."  The author's own words are never doubled by these. -->
  <xsl:template name="generated-instructions">
    <xsl:variable name="kind" select="local-name(*[contains($exercise-kinds, concat('|', local-name(), '|'))][1])"/>
    <xsl:variable name="key">
      <xsl:choose>
        <xsl:when test="$kind = 'single-choice'">choose-one</xsl:when>
        <xsl:when test="$kind = 'multiple-choice'">choose-several</xsl:when>
        <xsl:when test="$kind = 'role-play' or $kind = 'discussion'"/>
        <xsl:otherwise><xsl:value-of select="concat('hint-', $kind)"/></xsl:otherwise>
      </xsl:choose>
    </xsl:variable>
    <xsl:if test="not(instructions) and $key != ''">
      <xsl:call-template name="hint"><xsl:with-param name="key" select="$key"/></xsl:call-template>
    </xsl:if>
  </xsl:template>

  <!-- a line of guidance in PT Sans: "Tick one answer for each question." -->
  <xsl:template name="hint">
    <xsl:param name="key"/>
    <fo:block xsl:use-attribute-sets="sans" font-size="{$small-size}pt" color="{$muted-color}" space-after="1.5mm"
              text-align="start" keep-with-next.within-page="always">
      <xsl:call-template name="gentext"><xsl:with-param name="key" select="$key"/></xsl:call-template>
    </fo:block>
  </xsl:template>

  <!-- ~~~~~~~~~~~~~~~~~~ open questions, discussions, case questions -->

  <xsl:template match="open">
    <fo:block>
      <xsl:copy-of select="@id"/>
      <xsl:call-template name="questions"/>
    </fo:block>
  </xsl:template>

  <xsl:template match="discussion">
    <fo:block>
      <xsl:copy-of select="@id"/>
      <xsl:apply-templates select="." mode="case-reference"/>
      <xsl:call-template name="questions"/>
    </fo:block>
  </xsl:template>

  <!-- the discussed case: a reference to where it is printed -->
  <xsl:template match="discussion" mode="case-reference">
    <xsl:variable name="case" select="key('by-id', @case)[1]"/>
    <xsl:if test="$case">
      <fo:block xsl:use-attribute-sets="sans" font-size="{$small-size}pt" space-after="2mm" text-align="start">
        <fo:inline font-weight="bold" color="{$accent}">→&#160;</fo:inline>
        <xsl:variable name="rendered">
          <xsl:call-template name="is-rendered"><xsl:with-param name="node" select="$case"/></xsl:call-template>
        </xsl:variable>
        <xsl:variable name="words">
          <xsl:call-template name="xref-words"><xsl:with-param name="target" select="$case"/></xsl:call-template>
        </xsl:variable>
        <xsl:choose>
          <xsl:when test="$rendered = 'yes'">
            <fo:basic-link internal-destination="{@case}" color="{$primary}">
              <xsl:call-template name="gentext-format">
                <xsl:with-param name="key" select="'xref-page'"/>
                <xsl:with-param name="p1" select="$words"/>
                <xsl:with-param name="p2"><fo:page-number-citation ref-id="{@case}"/></xsl:with-param>
              </xsl:call-template>
            </fo:basic-link>
          </xsl:when>
          <xsl:otherwise>
            <xsl:call-template name="words-elsewhere"><xsl:with-param name="target" select="$case"/><xsl:with-param name="words" select="$words"/></xsl:call-template>
          </xsl:otherwise>
        </xsl:choose>
      </fo:block>
    </xsl:if>
  </xsl:template>

  <!-- the questions of the context node, numbered when there are several -->
  <xsl:template name="questions">
    <xsl:choose>
      <xsl:when test="count(question) = 1">
        <xsl:apply-templates select="question" mode="body"/>
      </xsl:when>
      <xsl:otherwise>
        <fo:list-block provisional-distance-between-starts="{7 + 2 * number(count(question) >= 10)}mm">
          <xsl:for-each select="question">
            <fo:list-item space-before="2.5mm">
              <xsl:copy-of select="@id"/>
              <xsl:if test="not(@lines > 10)">
                <xsl:attribute name="keep-together.within-page">always</xsl:attribute>
              </xsl:if>
              <fo:list-item-label end-indent="label-end()">
                <fo:block xsl:use-attribute-sets="sans" font-weight="bold" color="{$primary}">
                  <xsl:value-of select="position()"/>.
                </fo:block>
              </fo:list-item-label>
              <fo:list-item-body start-indent="body-start()">
                <xsl:apply-templates select="." mode="body">
                  <xsl:with-param name="with-id" select="false()"/>
                </xsl:apply-templates>
              </fo:list-item-body>
            </fo:list-item>
          </xsl:for-each>
        </fo:list-block>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="question" mode="body">
    <xsl:param name="with-id" select="true()"/>
    <fo:block>
      <xsl:if test="$with-id"><xsl:copy-of select="@id"/></xsl:if>
      <xsl:for-each select="prompt">
        <fo:block text-align="start" hyphenate="true" keep-with-next.within-page="always">
          <xsl:copy-of select="@id"/>
          <xsl:apply-templates/>
        </fo:block>
      </xsl:for-each>
      <xsl:choose>
        <xsl:when test="$show-answers">
          <xsl:apply-templates select="model-answer"/>
        </xsl:when>
        <xsl:otherwise>
          <xsl:call-template name="write-in-lines">
            <xsl:with-param name="field-name" select="concat('q', count(preceding-sibling::question) + 1)"/>
            <xsl:with-param name="count">
              <xsl:choose>
                <xsl:when test="@lines"><xsl:value-of select="@lines"/></xsl:when>
                <xsl:otherwise>4</xsl:otherwise>
              </xsl:choose>
            </xsl:with-param>
          </xsl:call-template>
        </xsl:otherwise>
      </xsl:choose>
    </fo:block>
  </xsl:template>

  <xsl:template match="model-answer">
    <xsl:if test="$show-answers">
      <fo:block xsl:use-attribute-sets="answer-box">
        <xsl:copy-of select="@id"/>
        <fo:block xsl:use-attribute-sets="label" color="{$answer-color}" space-after="0.5mm">
          <xsl:call-template name="gentext"><xsl:with-param name="key" select="'model-answer'"/></xsl:call-template>
        </fo:block>
        <xsl:apply-templates select="para | list"/>
      </fo:block>
    </xsl:if>
  </xsl:template>

  <!-- an explanation of a statement or a choice: answers only -->
  <xsl:template match="explanation">
    <xsl:if test="$show-answers">
      <fo:block font-size="{$small-size}pt" font-style="italic" color="{$answer-color}" text-align="start"
                space-before="0.5mm">
        <xsl:copy-of select="@id"/>
        <xsl:apply-templates/>
      </fo:block>
    </xsl:if>
  </xsl:template>

  <!-- ~~~~~~~~~~~~~~~~~~ true or false -->

  <xsl:template match="true-false">
    <fo:table width="100%" space-before="1mm">
        <xsl:call-template name="table-layout"/>
      <xsl:copy-of select="@id"/>
      <fo:table-column column-width="7mm"/>
      <fo:table-column column-width="proportional-column-width(1)"/>
      <fo:table-column column-width="18mm"/>
      <fo:table-column column-width="18mm"/>
      <fo:table-header start-indent="0pt" end-indent="0pt">
        <fo:table-row>
          <xsl:call-template name="head-cell"><xsl:with-param name="key" select="''"/></xsl:call-template>
          <xsl:call-template name="head-cell"><xsl:with-param name="key" select="''"/></xsl:call-template>
          <xsl:call-template name="head-cell"><xsl:with-param name="key" select="'true'"/><xsl:with-param name="align" select="'center'"/></xsl:call-template>
          <xsl:call-template name="head-cell"><xsl:with-param name="key" select="'false'"/><xsl:with-param name="align" select="'center'"/></xsl:call-template>
        </fo:table-row>
      </fo:table-header>
      <fo:table-body start-indent="0pt" end-indent="0pt" background-color="#FFFFFF">
        <xsl:for-each select="statement">
          <fo:table-row keep-together.within-page="always">
            <xsl:call-template name="keep-last-row"/>
            <xsl:copy-of select="@id"/>
            <fo:table-cell xsl:use-attribute-sets="table-cell">
              <fo:block xsl:use-attribute-sets="sans" font-weight="bold" color="{$primary}"><xsl:value-of select="position()"/>.</fo:block>
            </fo:table-cell>
            <fo:table-cell xsl:use-attribute-sets="table-cell">
              <fo:block text-align="start"><xsl:apply-templates select="node()[not(self::explanation)]"/></fo:block>
              <xsl:apply-templates select="explanation"/>
            </fo:table-cell>
            <fo:table-cell xsl:use-attribute-sets="table-cell">
              <fo:block text-align="center">
                <xsl:call-template name="tick-box">
                  <xsl:with-param name="checked" select="@answer = 'true'"/>
                  <xsl:with-param name="field-name" select="concat('s', position())"/>
                  <xsl:with-param name="field-value" select="'true'"/>
                </xsl:call-template>
              </fo:block>
            </fo:table-cell>
            <fo:table-cell xsl:use-attribute-sets="table-cell">
              <fo:block text-align="center">
                <xsl:call-template name="tick-box">
                  <xsl:with-param name="checked" select="@answer = 'false'"/>
                  <xsl:with-param name="field-name" select="concat('s', position())"/>
                  <xsl:with-param name="field-value" select="'false'"/>
                </xsl:call-template>
              </fo:block>
            </fo:table-cell>
          </fo:table-row>
        </xsl:for-each>
      </fo:table-body>
    </fo:table>
  </xsl:template>

  <!-- ~~~~~~~~~~~~~~~~~~ single and multiple choice -->

  <xsl:template match="single-choice | multiple-choice">
    <fo:block>
      <xsl:copy-of select="@id"/>
      <fo:list-block provisional-distance-between-starts="7mm">
        <xsl:for-each select="item">
          <fo:list-item space-before="2mm" keep-together.within-page="always">
            <xsl:copy-of select="@id"/>
            <fo:list-item-label end-indent="label-end()">
              <fo:block xsl:use-attribute-sets="sans" font-weight="bold" color="{$primary}"><xsl:value-of select="position()"/>.</fo:block>
            </fo:list-item-label>
            <fo:list-item-body start-indent="body-start()">
              <xsl:for-each select="prompt">
                <fo:block text-align="start" keep-with-next.within-page="always">
                  <xsl:copy-of select="@id"/>
                  <xsl:apply-templates/>
                </fo:block>
              </xsl:for-each>
              <fo:block xsl:use-attribute-sets="write-area">
                <fo:list-block provisional-distance-between-starts="12.5mm">
                  <xsl:for-each select="choice">
                    <fo:list-item space-before="0.8mm">
                      <xsl:copy-of select="@id"/>
                      <fo:list-item-label end-indent="label-end()">
                        <fo:block>
                          <xsl:variable name="letter">
                            <xsl:call-template name="letter">
                              <xsl:with-param name="n" select="position()"/>
                              <xsl:with-param name="case" select="'lower'"/>
                            </xsl:call-template>
                          </xsl:variable>
                          <xsl:variable name="question" select="concat('q', count(../preceding-sibling::item) + 1)"/>
                          <!-- single choice: one radio group per question; multiple: a check box each -->
                          <xsl:call-template name="tick-box">
                            <xsl:with-param name="checked" select="@correct = 'true'"/>
                            <xsl:with-param name="field-name">
                              <xsl:choose>
                                <xsl:when test="ancestor::single-choice"><xsl:value-of select="$question"/></xsl:when>
                                <xsl:otherwise><xsl:value-of select="concat($question, $letter)"/></xsl:otherwise>
                              </xsl:choose>
                            </xsl:with-param>
                            <xsl:with-param name="field-value">
                              <xsl:if test="ancestor::single-choice"><xsl:value-of select="$letter"/></xsl:if>
                            </xsl:with-param>
                          </xsl:call-template>
                          <fo:inline xsl:use-attribute-sets="sans" color="{$muted-color}">
                            <xsl:text>&#160;&#160;</xsl:text>
                            <xsl:call-template name="letter">
                              <xsl:with-param name="n" select="position()"/>
                              <xsl:with-param name="case" select="'lower'"/>
                            </xsl:call-template>
                            <xsl:text>)</xsl:text>
                          </fo:inline>
                        </fo:block>
                      </fo:list-item-label>
                      <fo:list-item-body start-indent="body-start()">
                        <fo:block text-align="start">
                          <xsl:if test="$show-answers and @correct = 'true'">
                            <xsl:attribute name="font-weight">bold</xsl:attribute>
                          </xsl:if>
                          <xsl:apply-templates select="node()[not(self::explanation)]"/>
                        </fo:block>
                        <xsl:apply-templates select="explanation"/>
                      </fo:list-item-body>
                    </fo:list-item>
                  </xsl:for-each>
                </fo:list-block>
              </fo:block>
            </fo:list-item-body>
          </fo:list-item>
        </xsl:for-each>
      </fo:list-block>
    </fo:block>
  </xsl:template>

  <!-- ~~~~~~~~~~~~~~~~~~ matching -->

  <!-- the letter of the right-hand item a left-hand item is matched with -->
  <xsl:template name="match-letter">
    <xsl:param name="item" select="."/>
    <xsl:variable name="partner" select="$item/../../right/item[@id = $item/@match]"/>
    <xsl:if test="$partner">
      <xsl:call-template name="letter">
        <xsl:with-param name="n" select="count($partner/preceding-sibling::item) + 1"/>
      </xsl:call-template>
    </xsl:if>
  </xsl:template>

  <xsl:template match="matching">
    <xsl:variable name="rows" select="left/item[count(../item) >= count(../../right/item)]
                                      | right/item[count(../item) > count(../../left/item)]"/>
    <xsl:variable name="left" select="left/item"/>
    <xsl:variable name="right" select="right/item"/>
    <fo:table width="100%" space-before="1mm">
        <xsl:call-template name="table-layout"/>
      <xsl:copy-of select="@id"/>
      <fo:table-column column-width="7mm"/>
      <fo:table-column column-width="proportional-column-width(1)"/>
      <fo:table-column column-width="13mm"/>
      <fo:table-column column-width="5mm"/>
      <fo:table-column column-width="7mm"/>
      <fo:table-column column-width="proportional-column-width(1)"/>
      <xsl:if test="left/heading or right/heading">
        <fo:table-header start-indent="0pt" end-indent="0pt">
          <fo:table-row>
            <fo:table-cell xsl:use-attribute-sets="table-head-cell" number-columns-spanned="3">
              <fo:block text-align="start"><xsl:copy-of select="left/heading/@id"/><xsl:apply-templates select="left/heading/node()"/></fo:block>
            </fo:table-cell>
            <fo:table-cell><fo:block/></fo:table-cell>
            <fo:table-cell xsl:use-attribute-sets="table-head-cell" number-columns-spanned="2">
              <fo:block text-align="start"><xsl:copy-of select="right/heading/@id"/><xsl:apply-templates select="right/heading/node()"/></fo:block>
            </fo:table-cell>
          </fo:table-row>
        </fo:table-header>
      </xsl:if>
      <fo:table-body start-indent="0pt" end-indent="0pt">
        <xsl:for-each select="$rows">
          <xsl:variable name="i" select="position()"/>
          <xsl:variable name="l" select="$left[$i]"/>
          <xsl:variable name="r" select="$right[$i]"/>
          <fo:table-row keep-together.within-page="always">
            <xsl:call-template name="keep-last-row"/>
            <fo:table-cell xsl:use-attribute-sets="table-cell" background-color="#FFFFFF">
              <fo:block xsl:use-attribute-sets="sans" font-weight="bold" color="{$primary}">
                <xsl:if test="$l"><xsl:value-of select="$i"/>.</xsl:if>
              </fo:block>
            </fo:table-cell>
            <fo:table-cell xsl:use-attribute-sets="table-cell" background-color="#FFFFFF">
              <fo:block text-align="start"><xsl:copy-of select="$l/@id"/><xsl:apply-templates select="$l/node()"/></fo:block>
            </fo:table-cell>
            <fo:table-cell xsl:use-attribute-sets="table-cell" background-color="#FFFFFF">
              <fo:block text-align="center">
                <xsl:if test="$l">
                  <xsl:call-template name="write-box">
                    <xsl:with-param name="answer"><xsl:call-template name="match-letter"><xsl:with-param name="item" select="$l"/></xsl:call-template></xsl:with-param>
                    <xsl:with-param name="width" select="'14pt'"/>
                    <xsl:with-param name="field-name" select="concat('m', $i)"/>
                  </xsl:call-template>
                </xsl:if>
              </fo:block>
            </fo:table-cell>
            <fo:table-cell><fo:block/></fo:table-cell>
            <fo:table-cell xsl:use-attribute-sets="table-cell" background-color="#FFFFFF">
              <fo:block xsl:use-attribute-sets="sans" font-weight="bold" color="{$primary}">
                <xsl:if test="$r">
                  <xsl:call-template name="letter"><xsl:with-param name="n" select="$i"/></xsl:call-template>
                </xsl:if>
              </fo:block>
            </fo:table-cell>
            <fo:table-cell xsl:use-attribute-sets="table-cell" background-color="#FFFFFF">
              <fo:block text-align="start"><xsl:copy-of select="$r/@id"/><xsl:apply-templates select="$r/node()"/></fo:block>
            </fo:table-cell>
          </fo:table-row>
        </xsl:for-each>
      </fo:table-body>
    </fo:table>
  </xsl:template>

  <!-- ~~~~~~~~~~~~~~~~~~ sequencing -->

  <xsl:template match="sequencing">
    <fo:table width="100%" space-before="1mm">
        <xsl:call-template name="table-layout"/>
      <xsl:copy-of select="@id"/>
      <fo:table-column column-width="14mm"/>
      <fo:table-column column-width="proportional-column-width(1)"/>
      <fo:table-body start-indent="0pt" end-indent="0pt" background-color="#FFFFFF">
        <xsl:for-each select="step">
          <fo:table-row keep-together.within-page="always">
            <xsl:call-template name="keep-last-row"/>
            <xsl:copy-of select="@id"/>
            <fo:table-cell xsl:use-attribute-sets="table-cell" display-align="center">
              <fo:block text-align="center">
                <xsl:call-template name="write-box">
                  <xsl:with-param name="answer" select="@position"/>
                  <xsl:with-param name="field-name" select="concat('step', position())"/>
                </xsl:call-template>
              </fo:block>
            </fo:table-cell>
            <fo:table-cell xsl:use-attribute-sets="table-cell" display-align="center">
              <fo:block text-align="start"><xsl:apply-templates/></fo:block>
            </fo:table-cell>
          </fo:table-row>
        </xsl:for-each>
      </fo:table-body>
    </fo:table>
  </xsl:template>

  <!-- ~~~~~~~~~~~~~~~~~~ fill in the blanks -->

  <xsl:template match="fill-in">
    <fo:block>
      <xsl:copy-of select="@id"/>
      <xsl:apply-templates select="word-bank"/>
      <fo:block xsl:use-attribute-sets="write-area" padding-top="2mm" line-height="2">
        <xsl:for-each select="para">
          <fo:block keep-together.within-page="always"><xsl:apply-templates select="."/></fo:block>
        </xsl:for-each>
      </fo:block>
    </fo:block>
  </xsl:template>

  <xsl:template match="word-bank">
    <fo:block xsl:use-attribute-sets="sans" margin-left="0pt" margin-right="0pt" space-after="2mm"
              padding-left="2.5mm" padding-right="2.5mm" padding-top="1.5mm" padding-bottom="1.5mm"
              border="{concat('0.6pt solid ', $primary)}" text-align="center" hyphenate="false">
      <xsl:copy-of select="@id"/>
      <fo:block xsl:use-attribute-sets="label" color="{$primary}" text-align="center" space-after="0.5mm">
        <xsl:call-template name="gentext"><xsl:with-param name="key" select="'word-bank'"/></xsl:call-template>
      </fo:block>
      <fo:block text-align="center">
        <xsl:for-each select="word">
          <xsl:if test="position() > 1">
            <fo:inline color="{$muted-color}"> &#160;·&#160; </fo:inline>
          </xsl:if>
          <fo:inline><xsl:copy-of select="@id"/><xsl:value-of select="translate(normalize-space(.), ' ', '&#160;')"/></fo:inline>
        </xsl:for-each>
      </fo:block>
    </fo:block>
  </xsl:template>

  <!-- ~~~~~~~~~~~~~~~~~~ scored checklist -->

  <xsl:template match="checklist">
    <xsl:variable name="points" select="boolean(item[@points and @points != 1])"/>
    <fo:block>
      <xsl:copy-of select="@id"/>
      <fo:table width="100%" space-before="1mm">
        <xsl:call-template name="table-layout"/>
        <fo:table-column column-width="9mm"/>
        <fo:table-column column-width="proportional-column-width(1)"/>
        <xsl:if test="$points"><fo:table-column column-width="16mm"/></xsl:if>
        <xsl:if test="$points">
          <fo:table-header start-indent="0pt" end-indent="0pt">
            <fo:table-row>
              <xsl:call-template name="head-cell"><xsl:with-param name="key" select="''"/></xsl:call-template>
              <xsl:call-template name="head-cell"><xsl:with-param name="key" select="''"/></xsl:call-template>
              <xsl:call-template name="head-cell"><xsl:with-param name="key" select="'points-col'"/><xsl:with-param name="align" select="'center'"/></xsl:call-template>
            </fo:table-row>
          </fo:table-header>
        </xsl:if>
        <fo:table-body start-indent="0pt" end-indent="0pt" background-color="#FFFFFF">
          <xsl:for-each select="item">
            <fo:table-row keep-together.within-page="always">
              <xsl:call-template name="keep-last-row"/>
              <xsl:copy-of select="@id"/>
              <fo:table-cell xsl:use-attribute-sets="table-cell">
                <fo:block text-align="center">
                  <xsl:call-template name="tick-box"><xsl:with-param name="field-name" select="concat('item', position())"/></xsl:call-template>
                </fo:block>
              </fo:table-cell>
              <fo:table-cell xsl:use-attribute-sets="table-cell">
                <fo:block text-align="start"><xsl:apply-templates/></fo:block>
              </fo:table-cell>
              <xsl:if test="$points">
                <fo:table-cell xsl:use-attribute-sets="table-cell">
                  <fo:block xsl:use-attribute-sets="sans" text-align="center" color="{$muted-color}">
                    <xsl:choose>
                      <xsl:when test="@points"><xsl:value-of select="@points"/></xsl:when>
                      <xsl:otherwise>1</xsl:otherwise>
                    </xsl:choose>
                  </fo:block>
                </fo:table-cell>
              </xsl:if>
            </fo:table-row>
          </xsl:for-each>
        </fo:table-body>
      </fo:table>
      <fo:block xsl:use-attribute-sets="sans" font-weight="bold" text-align="end" space-before="2.5mm"
                space-after="2mm" keep-with-next.within-page="always" keep-with-previous.within-page="always">
        <xsl:call-template name="gentext"><xsl:with-param name="key" select="'your-score'"/></xsl:call-template>
        <xsl:text>&#160;&#160;</xsl:text>
        <xsl:call-template name="write-box">
          <xsl:with-param name="width" select="'36pt'"/>
          <xsl:with-param name="field-name" select="'score'"/>
        </xsl:call-template>
      </fo:block>
      <xsl:call-template name="bands"/>
    </fo:block>
  </xsl:template>

  <!-- what each band of scores means -->
  <xsl:template name="bands">
    <xsl:call-template name="small-heading"><xsl:with-param name="key" select="'score-meaning'"/></xsl:call-template>
    <fo:table width="100%" keep-together.within-page="always">
        <xsl:call-template name="table-layout"/>
      <fo:table-column column-width="26mm"/>
      <fo:table-column column-width="proportional-column-width(1)"/>
      <fo:table-body start-indent="0pt" end-indent="0pt">
        <xsl:for-each select="band">
          <fo:table-row>
            <xsl:copy-of select="@id"/>
            <fo:table-cell xsl:use-attribute-sets="table-cell" padding-left="0pt">
              <fo:block xsl:use-attribute-sets="sans" font-weight="bold" color="{$primary}" text-align="start">
                <xsl:value-of select="@min"/>–<xsl:value-of select="@max"/>
                <xsl:text>&#160;</xsl:text>
                <xsl:call-template name="count-words">
                  <xsl:with-param name="key" select="'points'"/>
                  <xsl:with-param name="n" select="@max"/>
                  <xsl:with-param name="with-number" select="false()"/>
                </xsl:call-template>
              </fo:block>
            </fo:table-cell>
            <fo:table-cell xsl:use-attribute-sets="table-cell">
              <fo:block text-align="start"><xsl:apply-templates/></fo:block>
            </fo:table-cell>
          </fo:table-row>
        </xsl:for-each>
      </fo:table-body>
    </fo:table>
  </xsl:template>

  <!-- ~~~~~~~~~~~~~~~~~~ rating scale -->

  <xsl:template match="rating-scale">
    <xsl:variable name="n" select="@max - @min + 1"/>
    <xsl:variable name="cell-width">
      <xsl:choose>
        <xsl:when test="$n > 7">7mm</xsl:when>
        <xsl:otherwise>9mm</xsl:otherwise>
      </xsl:choose>
    </xsl:variable>
    <fo:block>
      <xsl:copy-of select="@id"/>
      <!-- the meaning of the ends of the scale: "1 = not at all · 5 = completely" -->
      <xsl:if test="@low-label or @high-label">
        <fo:block xsl:use-attribute-sets="sans" font-size="{$small-size}pt" color="{$muted-color}"
                  text-align="end" hyphenate="false" keep-with-next.within-page="always">
          <xsl:if test="@low-label">
            <fo:inline>
              <fo:inline font-weight="bold"><xsl:value-of select="@min"/></fo:inline>
              <xsl:text>&#160;=&#160;</xsl:text>
              <xsl:value-of select="@low-label"/>
            </fo:inline>
          </xsl:if>
          <xsl:if test="@low-label and @high-label">
            <xsl:call-template name="gentext"><xsl:with-param name="key" select="'meta-separator'"/></xsl:call-template>
          </xsl:if>
          <xsl:if test="@high-label">
            <fo:inline>
              <fo:inline font-weight="bold"><xsl:value-of select="@max"/></fo:inline>
              <xsl:text>&#160;=&#160;</xsl:text>
              <xsl:value-of select="@high-label"/>
            </fo:inline>
          </xsl:if>
        </fo:block>
      </xsl:if>
      <fo:table width="100%" space-before="1mm">
        <xsl:call-template name="table-layout"/>
        <fo:table-column column-width="proportional-column-width(1)"/>
        <xsl:call-template name="scale-columns">
          <xsl:with-param name="from" select="@min"/>
          <xsl:with-param name="to" select="@max"/>
          <xsl:with-param name="width" select="$cell-width"/>
        </xsl:call-template>
        <fo:table-header start-indent="0pt" end-indent="0pt">
          <fo:table-row>
            <xsl:call-template name="head-cell"><xsl:with-param name="key" select="'criterion'"/></xsl:call-template>
            <xsl:call-template name="head-cell">
              <xsl:with-param name="key" select="''"/>
              <xsl:with-param name="span" select="$n"/>
            </xsl:call-template>
          </fo:table-row>
        </fo:table-header>
        <fo:table-body start-indent="0pt" end-indent="0pt" background-color="#FFFFFF">
          <xsl:for-each select="criterion">
            <fo:table-row keep-together.within-page="always">
              <xsl:call-template name="keep-last-row"/>
              <xsl:copy-of select="@id"/>
              <fo:table-cell xsl:use-attribute-sets="table-cell">
                <fo:block text-align="start"><xsl:apply-templates/></fo:block>
              </fo:table-cell>
              <xsl:call-template name="scale-cells">
                <xsl:with-param name="from" select="../@min"/>
                <xsl:with-param name="to" select="../@max"/>
              </xsl:call-template>
            </fo:table-row>
          </xsl:for-each>
        </fo:table-body>
      </fo:table>
      <xsl:for-each select="interpretation">
        <fo:block space-before="3mm">
          <xsl:copy-of select="@id"/>
          <xsl:call-template name="small-heading"><xsl:with-param name="key" select="'score-meaning'"/></xsl:call-template>
          <xsl:apply-templates select="para | list"/>
        </fo:block>
      </xsl:for-each>
    </fo:block>
  </xsl:template>

  <xsl:template name="scale-columns">
    <xsl:param name="from"/>
    <xsl:param name="to"/>
    <xsl:param name="width"/>
    <xsl:if test="$from &lt;= $to">
      <fo:table-column column-width="{$width}"/>
      <xsl:call-template name="scale-columns">
        <xsl:with-param name="from" select="$from + 1"/>
        <xsl:with-param name="to" select="$to"/>
        <xsl:with-param name="width" select="$width"/>
      </xsl:call-template>
    </xsl:if>
  </xsl:template>

  <xsl:template name="scale-cells">
    <xsl:param name="from"/>
    <xsl:param name="to"/>
    <xsl:if test="$from &lt;= $to">
      <fo:table-cell xsl:use-attribute-sets="table-cell" padding-left="0pt" padding-right="0pt" display-align="center">
        <!-- the value in a box: it can be ticked, crossed or circled -->
        <fo:block text-align="center">
          <fo:inline xsl:use-attribute-sets="sans" font-size="{$small-size}pt" color="{$muted-color}"
                     border="{concat('0.6pt solid ', $box-color)}" padding-left="3pt" padding-right="3pt"
                     padding-top="1pt" padding-bottom="0.5pt">
            <!-- a radio group per criterion -->
            <xsl:call-template name="field">
              <xsl:with-param name="kind" select="'radio'"/>
              <xsl:with-param name="name" select="concat('c', count(preceding-sibling::criterion) + 1)"/>
              <xsl:with-param name="value" select="$from"/>
            </xsl:call-template>
            <xsl:value-of select="$from"/>
          </fo:inline>
        </fo:block>
      </fo:table-cell>
      <xsl:call-template name="scale-cells">
        <xsl:with-param name="from" select="$from + 1"/>
        <xsl:with-param name="to" select="$to"/>
      </xsl:call-template>
    </xsl:if>
  </xsl:template>

  <!-- ~~~~~~~~~~~~~~~~~~ role play -->

  <!-- The participant workbook shows the situation and names the roles: each brief is for
       its player alone (hidden motives included), on its card in the exercise sheets; the
       trainer guide and the answer key show every brief. -->
  <xsl:template match="role-play">
    <fo:block>
      <xsl:copy-of select="@id"/>
      <xsl:apply-templates select="situation"/>
      <xsl:choose>
        <xsl:when test="$edition = 'participant'">
          <fo:block xsl:use-attribute-sets="sans" font-size="{$small-size}pt" text-align="start" space-before="1mm"
                    space-after="2mm">
            <xsl:call-template name="gentext-format">
              <xsl:with-param name="key" select="'role-cards'"/>
              <xsl:with-param name="p1">
                <xsl:for-each select="role">
                  <xsl:if test="position() > 1">
                    <xsl:call-template name="gentext"><xsl:with-param name="key" select="'list-separator'"/></xsl:call-template>
                  </xsl:if>
                  <fo:inline font-weight="bold" color="{$primary}"><xsl:value-of select="@name"/></fo:inline>
                </xsl:for-each>
              </xsl:with-param>
            </xsl:call-template>
          </fo:block>
        </xsl:when>
        <xsl:otherwise><xsl:apply-templates select="role"/></xsl:otherwise>
      </xsl:choose>
      <xsl:apply-templates select="observer-sheet"/>
      <xsl:apply-templates select="debrief"/>
    </fo:block>
  </xsl:template>

  <xsl:template match="situation">
    <fo:block space-after="2mm">
      <xsl:copy-of select="@id"/>
      <xsl:call-template name="small-heading"><xsl:with-param name="key" select="'situation'"/></xsl:call-template>
      <xsl:apply-templates select="para"/>
    </fo:block>
  </xsl:template>

  <xsl:template match="role">
    <fo:block xsl:use-attribute-sets="write-area" border-left="{concat('2pt solid ', $primary)}"
              padding-top="2mm" space-before="2mm">
      <xsl:copy-of select="@id"/>
      <xsl:call-template name="role-heading"/>
      <xsl:apply-templates select="brief"/>
    </fo:block>
  </xsl:template>

  <xsl:template name="role-heading">
    <fo:block xsl:use-attribute-sets="label" font-size="{$small-size}pt" color="{$primary}" space-after="1mm">
      <xsl:call-template name="gentext-format">
        <xsl:with-param name="key" select="'role-name'"/>
        <xsl:with-param name="p1" select="string(@name)"/>
      </xsl:call-template>
    </fo:block>
  </xsl:template>

  <xsl:template match="brief">
    <fo:block>
      <xsl:copy-of select="@id"/>
      <xsl:apply-templates select="para | list"/>
    </fo:block>
  </xsl:template>

  <xsl:template match="observer-sheet">
    <fo:block space-before="4mm">
      <xsl:copy-of select="@id"/>
      <xsl:call-template name="small-heading"><xsl:with-param name="key" select="'observer-sheet'"/></xsl:call-template>
      <fo:table width="100%">
        <xsl:call-template name="table-layout"/>
        <fo:table-column column-width="proportional-column-width(2)"/>
        <fo:table-column column-width="proportional-column-width(3)"/>
        <fo:table-header start-indent="0pt" end-indent="0pt">
          <fo:table-row>
            <xsl:call-template name="head-cell"><xsl:with-param name="key" select="'criterion'"/></xsl:call-template>
            <xsl:call-template name="head-cell"><xsl:with-param name="key" select="'observations'"/></xsl:call-template>
          </fo:table-row>
        </fo:table-header>
        <fo:table-body start-indent="0pt" end-indent="0pt" background-color="#FFFFFF">
          <xsl:for-each select="criterion">
            <fo:table-row keep-together.within-page="always">
              <xsl:call-template name="keep-last-row"/>
              <xsl:copy-of select="@id"/>
              <fo:table-cell xsl:use-attribute-sets="table-cell" border-right="{concat('0.5pt solid ', $rule-color)}">
                <fo:block text-align="start"><xsl:apply-templates/></fo:block>
              </fo:table-cell>
              <fo:table-cell xsl:use-attribute-sets="table-cell">
                <fo:block>
                  <xsl:call-template name="field">
                    <xsl:with-param name="kind" select="'multiline'"/>
                    <xsl:with-param name="name" select="concat('observer/c', position())"/>
                  </xsl:call-template>
                  <fo:block line-height="{$write-line}">&#160;</fo:block>
                  <fo:block line-height="{$write-line}">&#160;</fo:block>
                </fo:block>
              </fo:table-cell>
            </fo:table-row>
          </xsl:for-each>
        </fo:table-body>
      </fo:table>
    </fo:block>
  </xsl:template>

  <xsl:template match="debrief">
    <xsl:if test="$show-answers">
      <fo:block xsl:use-attribute-sets="answer-box" space-before="3mm">
        <xsl:copy-of select="@id"/>
        <fo:block xsl:use-attribute-sets="label" color="{$answer-color}" space-after="0.5mm">
          <xsl:call-template name="gentext"><xsl:with-param name="key" select="'debrief'"/></xsl:call-template>
        </fo:block>
        <xsl:apply-templates select="para | list"/>
      </fo:block>
    </xsl:if>
  </xsl:template>

</xsl:stylesheet>
