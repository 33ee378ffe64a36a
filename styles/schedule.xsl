<?xml version="1.0" encoding="UTF-8"?>
<!--
  schedule.xsl: the trainer's day, in clock times.  Included by common.xsl.

  The activities of the course, in order, are the steps of each module's <timing> (a module
  without one counts as one activity of its <duration>).  From the session's start they are
  laid out on the clock: a break or lunch is taken at the first gap between activities at or
  after its time, and an activity that would end after the end of the day starts the next
  day at the start time.  Validation warns when a module's steps do not add up to its
  duration.

  Parameters (clock times HH:MM; a catalogue gives them with <param>, a build with
  (param start=08:30 and so on):
    start           when the session starts                          default 09:00
    day-end         when a day ends at the latest                    default 17:30
    breaks          the times of the short breaks, space-separated   default "10:30 15:30"
    break-minutes   how long a short break lasts                     default 15
    lunch           when lunch is; empty for none                    default 12:30
    lunch-minutes   how long lunch lasts                             default 60

  The schedule is computed once, as a string of entries (XSLT 1.0 has no node-set of its
  own making without an extension):
    ;S<id>,<clock>,<day>        an activity (id: generate-id of a step or module) starts
    ;B<id>,<clock>,<minutes>    a break before that activity
    ;L<id>,<clock>,<minutes>    lunch before it
    ;D<id>,<day>                a new day starts with it
    ;E,<clock>,<day>            the end of the last day
  Clock values are minutes after midnight.
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:fo="http://www.w3.org/1999/XSL/Format">

  <xsl:param name="start" select="'09:00'"/>
  <xsl:param name="day-end" select="'17:30'"/>
  <xsl:param name="breaks" select="'10:30 15:30'"/>
  <xsl:param name="break-minutes" select="15"/>
  <xsl:param name="lunch" select="'12:30'"/>
  <xsl:param name="lunch-minutes" select="60"/>

  <!-- "09:30" as minutes after midnight; NaN when it is not a time -->
  <xsl:template name="clock-minutes">
    <xsl:param name="hhmm"/>
    <xsl:variable name="t" select="normalize-space($hhmm)"/>
    <xsl:choose>
      <xsl:when test="contains($t, ':')">
        <xsl:value-of select="number(substring-before($t, ':')) * 60 + number(substring-after($t, ':'))"/>
      </xsl:when>
      <xsl:when test="contains($t, 'h')">
        <xsl:value-of select="number(substring-before($t, 'h')) * 60 + number(concat('0', substring-after($t, 'h')))"/>
      </xsl:when>
      <xsl:otherwise>NaN</xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- minutes after midnight as "09:30" -->
  <xsl:template name="clock-time">
    <xsl:param name="minutes"/>
    <xsl:value-of select="concat(format-number(floor($minutes div 60) mod 24, '00'), ':', format-number($minutes mod 60, '00'))"/>
  </xsl:template>

  <xsl:variable name="start-minutes">
    <xsl:call-template name="clock-minutes"><xsl:with-param name="hhmm" select="$start"/></xsl:call-template>
  </xsl:variable>
  <xsl:variable name="day-end-minutes">
    <xsl:call-template name="clock-minutes"><xsl:with-param name="hhmm" select="$day-end"/></xsl:call-template>
  </xsl:variable>

  <!-- the breaks and lunch as " B630 B930 L750 " -->
  <xsl:variable name="pauses">
    <xsl:text> </xsl:text>
    <xsl:call-template name="pause-tokens"><xsl:with-param name="list" select="normalize-space($breaks)"/><xsl:with-param name="kind" select="'B'"/></xsl:call-template>
    <xsl:call-template name="pause-tokens"><xsl:with-param name="list" select="normalize-space($lunch)"/><xsl:with-param name="kind" select="'L'"/></xsl:call-template>
  </xsl:variable>

  <xsl:template name="pause-tokens">
    <xsl:param name="list"/>
    <xsl:param name="kind"/>
    <xsl:if test="$list != ''">
      <xsl:variable name="first">
        <xsl:choose>
          <xsl:when test="contains($list, ' ')"><xsl:value-of select="substring-before($list, ' ')"/></xsl:when>
          <xsl:otherwise><xsl:value-of select="$list"/></xsl:otherwise>
        </xsl:choose>
      </xsl:variable>
      <xsl:variable name="m">
        <xsl:call-template name="clock-minutes"><xsl:with-param name="hhmm" select="$first"/></xsl:call-template>
      </xsl:variable>
      <xsl:if test="string(number($m)) != 'NaN'">
        <xsl:value-of select="concat($kind, $m, ' ')"/>
      </xsl:if>
      <xsl:call-template name="pause-tokens">
        <xsl:with-param name="list" select="substring-after($list, ' ')"/>
        <xsl:with-param name="kind" select="$kind"/>
      </xsl:call-template>
    </xsl:if>
  </xsl:template>

  <!-- The earliest pause of `list` due at `clock` and not yet `taken`: "B630", or "". -->
  <xsl:template name="due-pause">
    <xsl:param name="list" select="normalize-space($pauses)"/>
    <xsl:param name="clock"/>
    <xsl:param name="taken"/>
    <xsl:param name="best" select="''"/>
    <xsl:choose>
      <xsl:when test="$list = ''"><xsl:value-of select="$best"/></xsl:when>
      <xsl:otherwise>
        <xsl:variable name="token">
          <xsl:choose>
            <xsl:when test="contains($list, ' ')"><xsl:value-of select="substring-before($list, ' ')"/></xsl:when>
            <xsl:otherwise><xsl:value-of select="$list"/></xsl:otherwise>
          </xsl:choose>
        </xsl:variable>
        <xsl:variable name="t" select="number(substring($token, 2))"/>
        <xsl:variable name="due" select="$t &lt;= $clock and $t >= $start-minutes and not(contains($taken, concat(' ', $token, ' ')))
                                         and ($best = '' or $t &lt; number(substring($best, 2)))"/>
        <xsl:call-template name="due-pause">
          <xsl:with-param name="list" select="substring-after($list, ' ')"/>
          <xsl:with-param name="clock" select="$clock"/>
          <xsl:with-param name="taken" select="$taken"/>
          <xsl:with-param name="best">
            <xsl:choose>
              <xsl:when test="$due"><xsl:value-of select="$token"/></xsl:when>
              <xsl:otherwise><xsl:value-of select="$best"/></xsl:otherwise>
            </xsl:choose>
          </xsl:with-param>
        </xsl:call-template>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:variable name="activities" select="$modules/timing/step | $modules[not(timing/step)]"/>

  <xsl:template name="activity-minutes">
    <xsl:param name="a"/>
    <xsl:choose>
      <xsl:when test="$a/self::step"><xsl:value-of select="number(concat('0', $a/@minutes))"/></xsl:when>
      <xsl:otherwise><xsl:value-of select="number(concat('0', $a/duration/@minutes))"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template name="schedule-from">
    <xsl:param name="i" select="1"/>
    <xsl:param name="clock" select="$start-minutes"/>
    <xsl:param name="day" select="1"/>
    <xsl:param name="taken" select="' '"/>
    <xsl:variable name="a" select="$activities[$i]"/>
    <xsl:choose>
      <xsl:when test="not($a)">
        <xsl:value-of select="concat(';E,', $clock, ',', $day)"/>
      </xsl:when>
      <xsl:otherwise>
        <xsl:variable name="id" select="generate-id($a)"/>
        <xsl:if test="$i = 1 and $day = 1 and $clock = $start-minutes">
          <xsl:value-of select="concat(';D', $id, ',1')"/>
        </xsl:if>
        <xsl:variable name="m"><xsl:call-template name="activity-minutes"><xsl:with-param name="a" select="$a"/></xsl:call-template></xsl:variable>
        <xsl:variable name="pause">
          <xsl:call-template name="due-pause">
            <xsl:with-param name="clock" select="$clock"/>
            <xsl:with-param name="taken" select="$taken"/>
          </xsl:call-template>
        </xsl:variable>
        <xsl:choose>
          <!-- the day is over: the activity starts the next one -->
          <xsl:when test="$clock + $m > $day-end-minutes and $clock > $start-minutes">
            <xsl:value-of select="concat(';D', $id, ',', $day + 1)"/>
            <xsl:call-template name="schedule-from">
              <xsl:with-param name="i" select="$i"/>
              <xsl:with-param name="clock" select="$start-minutes"/>
              <xsl:with-param name="day" select="$day + 1"/>
              <xsl:with-param name="taken" select="' '"/>
            </xsl:call-template>
          </xsl:when>
          <!-- a break or lunch whose time has come -->
          <xsl:when test="$pause != ''">
            <xsl:variable name="length">
              <xsl:choose>
                <xsl:when test="starts-with($pause, 'L')"><xsl:value-of select="number($lunch-minutes)"/></xsl:when>
                <xsl:otherwise><xsl:value-of select="number($break-minutes)"/></xsl:otherwise>
              </xsl:choose>
            </xsl:variable>
            <xsl:value-of select="concat(';', substring($pause, 1, 1), $id, ',', $clock, ',', $length)"/>
            <xsl:call-template name="schedule-from">
              <xsl:with-param name="i" select="$i"/>
              <xsl:with-param name="clock" select="$clock + $length"/>
              <xsl:with-param name="day" select="$day"/>
              <xsl:with-param name="taken" select="concat($taken, $pause, ' ')"/>
            </xsl:call-template>
          </xsl:when>
          <xsl:otherwise>
            <xsl:value-of select="concat(';S', $id, ',', $clock, ',', $day)"/>
            <xsl:call-template name="schedule-from">
              <xsl:with-param name="i" select="$i + 1"/>
              <xsl:with-param name="clock" select="$clock + $m"/>
              <xsl:with-param name="day" select="$day"/>
              <xsl:with-param name="taken" select="$taken"/>
            </xsl:call-template>
          </xsl:otherwise>
        </xsl:choose>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:variable name="schedule">
    <xsl:if test="string(number($start-minutes)) != 'NaN' and string(number($day-end-minutes)) != 'NaN'">
      <xsl:call-template name="schedule-from"/>
    </xsl:if>
    <xsl:text>;</xsl:text>
  </xsl:variable>
  <xsl:variable name="days" select="number(substring-before(substring-after(substring-after($schedule, ';E,'), ','), ';'))"/>

  <!-- The field `n` (1-based) of the entry that starts with `key` (";S" + id...), or "". -->
  <xsl:template name="schedule-field">
    <xsl:param name="key"/>
    <xsl:param name="n" select="1"/>
    <xsl:if test="contains($schedule, concat($key, ','))">
      <xsl:variable name="rest" select="substring-before(concat(substring-after($schedule, concat($key, ',')), ';'), ';')"/>
      <xsl:choose>
        <xsl:when test="$n = 1"><xsl:value-of select="substring-before(concat($rest, ','), ',')"/></xsl:when>
        <xsl:otherwise><xsl:value-of select="substring-after($rest, ',')"/></xsl:otherwise>
      </xsl:choose>
    </xsl:if>
  </xsl:template>

  <!-- The clock time an activity (a step, or a module without steps) starts at: "09:45". -->
  <xsl:template name="start-of">
    <xsl:param name="node" select="."/>
    <xsl:variable name="c">
      <xsl:call-template name="schedule-field"><xsl:with-param name="key" select="concat(';S', generate-id($node))"/></xsl:call-template>
    </xsl:variable>
    <xsl:if test="$c != ''">
      <xsl:call-template name="clock-time"><xsl:with-param name="minutes" select="number($c)"/></xsl:call-template>
    </xsl:if>
  </xsl:template>

  <!-- The first activity of a module. -->
  <xsl:template name="first-activity-id">
    <xsl:param name="module"/>
    <xsl:choose>
      <xsl:when test="$module/timing/step"><xsl:value-of select="generate-id($module/timing/step[1])"/></xsl:when>
      <xsl:otherwise><xsl:value-of select="generate-id($module)"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- The day, break and lunch rows the schedule puts before activity `id`, as table rows
       of `columns` columns (the first the time, the second the words, the last the minutes). -->
  <xsl:template name="pause-rows">
    <xsl:param name="id"/>
    <xsl:param name="columns" select="3"/>
    <xsl:param name="after" select="0"/>
    <xsl:param name="pad" select="'0pt'"/>
    <xsl:param name="unit" select="true()"/>
    <xsl:if test="$days > 1 and contains($schedule, concat(';D', $id, ','))">
      <fo:table-row keep-with-next.within-page="always">
        <fo:table-cell number-columns-spanned="{$columns}" padding-top="2.5mm" padding-bottom="0.8mm" padding-left="{$pad}"
                       border-bottom="{concat('0.8pt solid ', $primary)}">
          <fo:block xsl:use-attribute-sets="sans" font-weight="bold" color="{$primary}" text-align="start">
            <xsl:call-template name="gentext-format">
              <xsl:with-param name="key" select="'day-n'"/>
              <xsl:with-param name="p1">
                <xsl:call-template name="schedule-field"><xsl:with-param name="key" select="concat(';D', $id)"/></xsl:call-template>
              </xsl:with-param>
            </xsl:call-template>
          </fo:block>
        </fo:table-cell>
      </fo:table-row>
    </xsl:if>
    <xsl:for-each select="$strings/s[@key = 'break' or @key = 'lunch']">
      <xsl:variable name="kind">
        <xsl:choose>
          <xsl:when test="@key = 'break'">B</xsl:when>
          <xsl:otherwise>L</xsl:otherwise>
        </xsl:choose>
      </xsl:variable>
      <xsl:if test="contains($schedule, concat(';', $kind, $id, ','))">
        <xsl:variable name="at">
          <xsl:call-template name="schedule-field"><xsl:with-param name="key" select="concat(';', $kind, $id)"/></xsl:call-template>
        </xsl:variable>
        <fo:table-row keep-together.within-page="always">
          <fo:table-cell padding-top="0.8mm" padding-bottom="0.8mm" padding-left="{$pad}" padding-right="{$pad}" border-bottom="{concat('0.4pt solid ', $rule-color)}">
            <fo:block xsl:use-attribute-sets="sans" font-size="{$small-size}pt" color="{$muted-color}">
              <xsl:call-template name="clock-time"><xsl:with-param name="minutes" select="number($at)"/></xsl:call-template>
            </fo:block>
          </fo:table-cell>
          <fo:table-cell number-columns-spanned="{$columns - 2 - $after}" padding-top="0.8mm" padding-bottom="0.8mm" padding-left="{$pad}" padding-right="{$pad}"
                         border-bottom="{concat('0.4pt solid ', $rule-color)}">
            <fo:block xsl:use-attribute-sets="sans" font-size="{$small-size}pt" font-style="italic" color="{$muted-color}"
                      text-align="start">
              <xsl:value-of select="."/>
            </fo:block>
          </fo:table-cell>
          <fo:table-cell padding-top="0.8mm" padding-bottom="0.8mm" padding-left="{$pad}" padding-right="{$pad}" border-bottom="{concat('0.4pt solid ', $rule-color)}">
            <fo:block xsl:use-attribute-sets="sans" font-size="{$small-size}pt" color="{$muted-color}" text-align="end">
              <xsl:call-template name="schedule-field">
                <xsl:with-param name="key" select="concat(';', $kind, $id)"/>
                <xsl:with-param name="n" select="2"/>
              </xsl:call-template>
              <xsl:if test="$unit">
                <xsl:text>&#160;</xsl:text>
                <xsl:call-template name="gentext"><xsl:with-param name="key" select="'minutes-abbr'"/></xsl:call-template>
              </xsl:if>
            </fo:block>
          </fo:table-cell>
          <xsl:if test="$after > 0">
            <fo:table-cell number-columns-spanned="{$after}"><fo:block/></fo:table-cell>
          </xsl:if>
        </fo:table-row>
      </xsl:if>
    </xsl:for-each>
  </xsl:template>

</xsl:stylesheet>
