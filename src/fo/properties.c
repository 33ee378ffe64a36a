/* Properties: the table of the attributes the engine knows, and applying one attribute to
 * the style being computed (its value parsed, shorthands spread over their sides, invalid
 * values and unsupported properties reported).  Hands fo_property_* to style.c. */
#include "fo/fo-private.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

/* ------------------------------------------------------------------ enumerations */

/* Every enumerated member of wb_style is an int in size, so set_enum writes them alike. */
_Static_assert(sizeof(wb_align) == sizeof(int) && sizeof(wb_break) == sizeof(int) &&
               sizeof(wb_display_align) == sizeof(int) && sizeof(wb_linefeed) == sizeof(int) &&
               sizeof(wb_ws_treatment) == sizeof(int) && sizeof(wb_leader_pattern) == sizeof(int) &&
               sizeof(wb_border_style) == sizeof(int) && sizeof(wb_bg_repeat) == sizeof(int),
               "enumerated style members are written as int");

static void store_enum(fo_cascade *c, const prop_desc *d, int value)
{
    memcpy(fo_field(c, d), &value, sizeof value);
}

/* ------------------------------------------------------------------ generic setters */

/* A wb_len member ("auto" allowed, percentages kept). */
static void set_length(fo_cascade *c, const prop_desc *d, const char *name, const char *v)
{
    fo_length(c, name, v, fo_field(c, d), c->fo->style->font_size);
}

/* A double member in points (a percentage has no reference here and counts as nothing).
 * "auto" is invalid too; a value fo_length_pt reported already is said once, as the context
 * drops a message repeated at the same place. */
static void set_length_pt(fo_cascade *c, const prop_desc *d, const char *name, const char *v)
{
    if (!fo_length_pt(c, name, v, fo_field(c, d), c->fo->style->font_size, 0))
        fo_report_invalid(c, name, v);
}

/* The most a count may be (columns, spans, lines): a table of two thousand million columns
 * would take the machine's memory before anything is laid out. */
#define FO_MAX_COUNT 10000

/* A count of at least 1 and at most FO_MAX_COUNT, from the digits v starts with; a larger one
 * is reported and taken as the most. */
static int bounded_count(fo_cascade *c, const char *name, const char *v)
{
    long n = strtol(v, NULL, 10);
    if (n > FO_MAX_COUNT) {
        wb_fo_warning(c->ctx, c->tree, c->fo, "fo:%s: %s=\"%s\" is more than %d: %d is used",
                      wb_fo_kind_name(c->fo->kind), name, v, FO_MAX_COUNT, FO_MAX_COUNT);
        n = FO_MAX_COUNT;
    }
    return (int)MAX(1, n);
}

/* An int member of at least 1 (counts of lines, columns, characters). */
static void set_positive_int(fo_cascade *c, const prop_desc *d, const char *name, const char *v)
{
    *(int *)fo_field(c, d) = bounded_count(c, name, v);
}

/* number-columns-repeated stays an attribute, which the formatter reads: one past the most
 * is written back as the most. */
static void set_columns_repeated(fo_cascade *c, const prop_desc *d, const char *name, const char *v)
{
    long n = strtol(v, NULL, 10);
    if (n > FO_MAX_COUNT) {
        char most[16];
        snprintf(most, sizeof most, "%d", bounded_count(c, name, v));
        fo_set_attr(c->tree, c->fo, name, most);
    }
}

static void set_color(fo_cascade *c, const prop_desc *d, const char *name, const char *v)
{
    if (!wb_parse_color(v, fo_field(c, d)))
        fo_report_invalid(c, name, v);
}

/* An enumerated member, from d->words. */
static void set_enum(fo_cascade *c, const prop_desc *d, const char *name, const char *v)
{
    int k;
    if (fo_keyword(d->words, v, &k))
        store_enum(c, d, k);
    else
        fo_report_invalid(c, name, v);
}

/* A bool member, from d->words. */
static void set_flag(fo_cascade *c, const prop_desc *d, const char *name, const char *v)
{
    int k;
    if (fo_keyword(d->words, v, &k))
        *(bool *)fo_field(c, d) = k;
    else
        fo_report_invalid(c, name, v);
}

/* A bool member that one keyword (d->words) sets; every other value gives d->arg. */
static void set_switch(fo_cascade *c, const prop_desc *d, const char *name, const char *v)
{
    int k;
    *(bool *)fo_field(c, d) = fo_keyword(d->words, v, &k) ? k : d->arg;
}

/* A property the engine does not support (font, and every name it does not know): said once
 * per name. */
static void set_unsupported(fo_cascade *c, const prop_desc *d, const char *name, const char *v)
{
    char key[160];
    snprintf(key, sizeof key, "prop:%s", name);
    wb_fo_warning_once(c->ctx, c->tree, c->fo, key, "fo:%s: property %s is not supported (ignored)",
                       wb_fo_kind_name(c->fo->kind), name);
}

/* ------------------------------------------------------------------ fonts and text */

static void set_font_size(fo_cascade *c, const prop_desc *d, const char *name, const char *v)
{
    static const struct {
        const char *k;
        double pt;
    } sizes[] = {{"xx-small", 7}, {"x-small", 8},  {"small", 10},   {"medium", 12},
                 {"large", 14},   {"x-large", 17}, {"xx-large", 20}};
    wb_style *s = c->fo->style;
    const wb_style *p = c->parent;
    for (size_t i = 0; i < G_N_ELEMENTS(sizes); i++)
        if (!strcmp(v, sizes[i].k)) {
            s->font_size = sizes[i].pt;
            return;
        }
    if (!strcmp(v, "larger")) s->font_size = p->font_size * 1.2;
    else if (!strcmp(v, "smaller")) s->font_size = p->font_size / 1.2;
    else {
        double x;
        if (fo_length_pt(c, name, v, &x, p->font_size, p->font_size) && x > 0)
            s->font_size = x;
    }
}

static void set_font_family(fo_cascade *c, const prop_desc *d, const char *name, const char *v)
{
    /* pango takes a comma-separated family list; quotes are XSL's, not pango's */
    GString *f = g_string_new(NULL);
    for (const char *ch = v; *ch; ch++)
        if (*ch != '\'' && *ch != '"')
            g_string_append_c(f, *ch);
    c->fo->style->font_family = g_string_chunk_insert_const(c->tree->pool->strings, f->str);
    g_string_free(f, TRUE);
}

static void set_font_weight(fo_cascade *c, const prop_desc *d, const char *name, const char *v)
{
    wb_style *s = c->fo->style;
    const wb_style *p = c->parent;
    if (!strcmp(v, "normal")) s->font_weight = 400;
    else if (!strcmp(v, "bold")) s->font_weight = 700;
    else if (!strcmp(v, "bolder")) s->font_weight = MIN(900, p->font_weight + 300);
    else if (!strcmp(v, "lighter")) s->font_weight = MAX(100, p->font_weight - 300);
    else if (atoi(v) >= 100 && atoi(v) <= 900) s->font_weight = atoi(v);
    else fo_report_invalid(c, name, v);
}

static void set_line_height(fo_cascade *c, const prop_desc *d, const char *name, const char *v)
{
    wb_style *s = c->fo->style;
    double fs = s->font_size;
    if (!strcmp(v, "normal")) {
        s->line_height_factor = 1.2;
        return;
    }
    fo_value x;
    if (!fo_eval(v, fs, NULL, &x, NULL)) {
        fo_report_invalid(c, name, v);
    } else if (x.is_length) {
        s->line_height = x.pt + x.pct * fs / 100;
        s->line_height_factor = 0;
    } else {
        s->line_height_factor = x.pt; /* a number inherits as a number */
    }
}

/* text-align and text-align-last: an invalid value is reported and leaves "start". */
static void set_align(fo_cascade *c, const prop_desc *d, const char *name, const char *v)
{
    int k;
    bool ok = fo_keyword(d->words, v, &k);
    store_enum(c, d, ok ? k : ALIGN_START);
    if (!ok)
        fo_report_invalid(c, name, v);
}

static void set_language(fo_cascade *c, const prop_desc *d, const char *name, const char *v)
{
    if (strcmp(v, "none"))
        c->fo->style->lang = g_string_chunk_insert_const(c->tree->pool->strings, v);
}

/* letter-spacing and word-spacing, and their components (a family): the engine uses the
 * optimum only.  Invalid as in set_length_pt. */
static void set_spacing(fo_cascade *c, const prop_desc *d, const char *name, const char *v)
{
    double *dst = fo_field(c, d);
    const char *dot = strchr(name, '.');
    if (dot && strcmp(dot, ".optimum"))
        return;
    if (!strcmp(v, "normal"))
        *dst = 0;
    else if (!fo_length_pt(c, name, v, dst, c->fo->style->font_size, 0))
        fo_report_invalid(c, name, v);
}

static void set_white_space(fo_cascade *c, const prop_desc *d, const char *name, const char *v)
{
    wb_style *s = c->fo->style;
    if (!strcmp(v, "pre")) {
        s->ws_collapse = false;
        s->linefeed = LF_PRESERVE;
        s->ws_treatment = WST_PRESERVE;
        s->wrap = false;
    } else if (!strcmp(v, "nowrap")) {
        s->wrap = false;
    } else if (!strcmp(v, "pre-wrap")) {
        s->ws_collapse = false;
        s->linefeed = LF_PRESERVE;
        s->ws_treatment = WST_PRESERVE;
    }
}

static void set_text_decoration(fo_cascade *c, const prop_desc *d, const char *name, const char *v)
{
    wb_style *s = c->fo->style;
    bool ok = true;
    gchar **tok = g_strsplit(v, " ", -1);
    for (int i = 0; tok[i]; i++) {
        if (!strcmp(tok[i], "underline")) s->underline = true;
        else if (!strcmp(tok[i], "no-underline")) s->underline = false;
        else if (!strcmp(tok[i], "overline")) s->overline = true;
        else if (!strcmp(tok[i], "line-through")) s->line_through = true;
        else if (!strcmp(tok[i], "none")) s->underline = s->overline = s->line_through = false;
        else if (*tok[i] && strcmp(tok[i], "no-overline") && strcmp(tok[i], "no-line-through") &&
                 strcmp(tok[i], "blink") && strcmp(tok[i], "no-blink")) ok = false;
    }
    g_strfreev(tok);
    if (!ok)
        fo_report_invalid(c, name, v);
}

/* baseline-shift and vertical-align: percentages are of the parent's line height.  Invalid
 * as in set_length_pt. */
static void set_baseline_shift(fo_cascade *c, const prop_desc *d, const char *name, const char *v)
{
    wb_style *s = c->fo->style;
    const wb_style *p = c->parent;
    if (!strcmp(v, "super")) s->baseline_shift = p->font_size * 0.33;
    else if (!strcmp(v, "sub")) s->baseline_shift = -p->font_size * 0.2;
    else if (!strcmp(v, "baseline") || !strcmp(v, "middle") || !strcmp(v, "top") ||
             !strcmp(v, "bottom") || !strcmp(v, "text-top") || !strcmp(v, "text-bottom"))
        s->baseline_shift = 0;
    else {
        double line = p->line_height_factor > 0 ? p->font_size * p->line_height_factor
                                                : p->line_height;
        double x;
        if (fo_length_pt(c, name, v, &x, s->font_size, line))
            s->baseline_shift = x;
        else
            fo_report_invalid(c, name, v);
    }
}

/* ------------------------------------------------------------------ keeps */

/* WB_KEEP_AUTO, WB_KEEP_ALWAYS or an integer strength (at most 999); -1 when invalid. */
static int keep_value(const char *v)
{
    if (!strcmp(v, "auto")) return WB_KEEP_AUTO;
    if (!strcmp(v, "always")) return WB_KEEP_ALWAYS;
    char *end;
    long n = strtol(v, &end, 10);
    if (*end || n < 0)
        return -1;
    return n > 999 ? 999 : (int)n;
}

/* How a keep-together row changes the strength: keep-together sets it, .within-page and
 * .within-column only raise it, .within-line is checked but not kept by this engine. */
enum { KEEP_SETS, KEEP_RAISES, KEEP_LINE };

static void set_keep_together(fo_cascade *c, const prop_desc *d, const char *name, const char *v)
{
    wb_style *s = c->fo->style;
    int k = keep_value(v);
    if (k < 0)
        fo_report_invalid(c, name, v);
    else if (d->arg != KEEP_LINE)
        s->keep_together = MAX(k, d->arg == KEEP_RAISES ? s->keep_together : 0);
}

/* The families keep-with-next and keep-with-previous: every component but .within-line
 * raises the strength. */
static void set_keep(fo_cascade *c, const prop_desc *d, const char *name, const char *v)
{
    int *strength = fo_field(c, d);
    int k = keep_value(v);
    if (k < 0)
        fo_report_invalid(c, name, v);
    else if (strcmp(name + strlen(d->name), ".within-line"))
        *strength = MAX(k, *strength);
}

/* ------------------------------------------------------------------ areas, tables, leaders */

/* content-width and content-height: a length, or scaled to fit the viewport (width, height). */
static void set_content_size(fo_cascade *c, const prop_desc *d, const char *name, const char *v)
{
    wb_style *s = c->fo->style;
    bool *fit = d->field == FIELD(content_width) ? &s->content_width_fit : &s->content_height_fit;
    if (!strcmp(v, "scale-to-fit") || !strcmp(v, "scale-down-to-fit") ||
        !strcmp(v, "scale-up-to-fit"))
        *fit = true;
    else
        fo_length(c, name, v, fo_field(c, d), s->font_size);
}

static void set_span(fo_cascade *c, const prop_desc *d, const char *name, const char *v)
{
    c->fo->style->span_all = !strcmp(v, "all");
}

/* A table column's width: a length, or proportional-column-width(n) that the table layout
 * resolves. */
static void set_column_width(fo_cascade *c, const prop_desc *d, const char *name, const char *v)
{
    wb_style *s = c->fo->style;
    fo_value x;
    double prop = 0;
    if (fo_eval(v, s->font_size, c, &x, &prop)) {
        s->column_width_proportional = prop;
        s->column_width = (wb_len){x.pt, x.pct, false};
    } else {
        fo_report_invalid(c, name, v);
    }
}

/* width and the family inline-progression-dimension[.minimum|.optimum|.maximum] (XSL 1.1
 * §7.15.6): a length range.  width, and inline-progression-dimension itself (whose row
 * comes first: its pass), set the optimum; a component sets itself.  The minimum and
 * maximum stay open unless given (XSL has a single length set all three; FOP reads only
 * the optimum, and a minimum of "100%" would keep a table from fitting between its
 * indents).  Where both are given, width wins (§5.3.3: the absolute property is converted
 * into the relative one; FOP does the same): inline-progression-dimension beside it is
 * ignored. */
static void set_ipd(fo_cascade *c, const prop_desc *d, const char *name, const char *v)
{
    wb_style *s = c->fo->style;
    bool whole = !strcmp(name, "width") || !strcmp(name, "inline-progression-dimension");
    if (strcmp(name, "width") && wb_fo_attr(c->fo, "width"))
        return;
    const char *rest = name + strlen(d->name);
    wb_len l;
    if (!whole && strcmp(rest, ".minimum") && strcmp(rest, ".optimum") && strcmp(rest, ".maximum")) {
        set_unsupported(c, d, name, v);
        return;
    }
    if (!fo_length(c, name, v, &l, s->font_size))
        return;
    if (whole) s->width = l;
    else if (!strcmp(rest, ".minimum")) s->width_min = l;
    else if (!strcmp(rest, ".optimum")) s->width = l;
    else s->width_max = l;
}

/* The family leader-length[.minimum|.optimum|.maximum]. */
static void set_leader_length(fo_cascade *c, const prop_desc *d, const char *name, const char *v)
{
    wb_style *s = c->fo->style;
    const char *rest = name + strlen(d->name);
    wb_len l;
    if (!fo_length(c, name, v, &l, s->font_size))
        return;
    if (!*rest) s->leader_length_min = s->leader_length_opt = s->leader_length_max = l;
    else if (!strcmp(rest, ".minimum")) s->leader_length_min = l;
    else if (!strcmp(rest, ".optimum")) s->leader_length_opt = l;
    else if (!strcmp(rest, ".maximum")) s->leader_length_max = l;
    else fo_report_invalid(c, name, v);
}

static void set_leader_pattern_width(fo_cascade *c, const prop_desc *d, const char *name,
                                     const char *v)
{
    if (strcmp(v, "use-font-metrics"))
        fo_length_pt(c, name, v, &c->fo->style->leader_pattern_width, c->fo->style->font_size, 0);
}

/* ------------------------------------------------------------------ the table */

static const prop_keyword align_words[] = {
    {"start", ALIGN_START}, {"center", ALIGN_CENTER},  {"end", ALIGN_END},
    {"justify", ALIGN_JUSTIFY}, {"inside", ALIGN_INSIDE}, {"outside", ALIGN_OUTSIDE},
    {"left", ALIGN_START},  {"right", ALIGN_END},      {"centered", ALIGN_CENTER}, {NULL, 0}};
static const prop_keyword align_last_words[] = {
    {"relative", -1}, /* text-align's value, but start for justify (the formatter decides) */
    {"start", ALIGN_START}, {"center", ALIGN_CENTER},  {"end", ALIGN_END},
    {"justify", ALIGN_JUSTIFY}, {"inside", ALIGN_INSIDE}, {"outside", ALIGN_OUTSIDE},
    {"left", ALIGN_START},  {"right", ALIGN_END},      {"centered", ALIGN_CENTER}, {NULL, 0}};
static const prop_keyword break_words[] = {
    {"auto", BREAK_AUTO}, {"column", BREAK_COLUMN}, {"page", BREAK_PAGE},
    {"even-page", BREAK_EVEN_PAGE}, {"odd-page", BREAK_ODD_PAGE},
    {"always", BREAK_PAGE}, /* page-break-before="always", the CSS form */
    {NULL, 0}};
static const prop_keyword display_align_words[] = {
    {"auto", DISPLAY_AUTO}, {"before", DISPLAY_BEFORE}, {"center", DISPLAY_CENTER},
    {"after", DISPLAY_AFTER}, {NULL, 0}};
static const prop_keyword font_style_words[] = {
    {"italic", true}, {"oblique", true}, {"normal", false}, {NULL, 0}};
static const prop_keyword font_variant_words[] = {
    {"small-caps", true}, {"normal", false}, {NULL, 0}};
static const prop_keyword leader_pattern_words[] = {
    {"space", LEADER_SPACE}, {"rule", LEADER_RULE}, {"dots", LEADER_DOTS},
    {"use-content", LEADER_USE_CONTENT}, {NULL, 0}};
static const prop_keyword linefeed_words[] = {
    {"treat-as-space", LF_TREAT_AS_SPACE}, {"preserve", LF_PRESERVE}, {"ignore", LF_IGNORE},
    {"treat-as-zero-width-space", LF_TREAT_AS_ZWSP}, {NULL, 0}};
static const prop_keyword ws_treatment_words[] = {
    {"ignore-if-surrounding-linefeed", WST_IGNORE_IF_SURROUNDING_LF}, {"preserve", WST_PRESERVE},
    {"ignore", WST_IGNORE}, {"ignore-if-before-linefeed", WST_IGNORE_BEFORE_LF},
    {"ignore-if-after-linefeed", WST_IGNORE_AFTER_LF}, {NULL, 0}};
/* set_switch: the one keyword that gives the other value */
static const prop_keyword true_word[] = {{"true", true}, {NULL, 0}};
static const prop_keyword false_word[] = {{"false", false}, {NULL, 0}};
static const prop_keyword no_wrap_word[] = {{"no-wrap", false}, {NULL, 0}};
static const prop_keyword separate_word[] = {{"separate", false}, {NULL, 0}};

static const prop_keyword position_words[] = {
    {"auto", POSITION_AUTO}, {"absolute", POSITION_ABSOLUTE}, {"fixed", POSITION_FIXED}, {NULL, 0}};

/* position, CSS's shorthand (XSL 1.1 §7.31.21): absolute and fixed set absolute-position;
 * static and relative leave it auto (relative-position is not supported). */
static void set_position(fo_cascade *c, const prop_desc *d, const char *name, const char *v)
{
    static const prop_keyword words[] = {{"static", POSITION_AUTO}, {"relative", POSITION_AUTO},
                                         {"absolute", POSITION_ABSOLUTE}, {"fixed", POSITION_FIXED}, {NULL, 0}};
    int k;
    if (fo_keyword(words, v, &k))
        c->fo->style->position = (wb_position)k;
    else
        fo_report_invalid(c, name, v);
}

/* reference-orientation: a multiple of 90 degrees from -270 to 270, kept as 0..270. */
static void set_reference_orientation(fo_cascade *c, const prop_desc *d, const char *name, const char *v)
{
    char *end = NULL;
    long n = strtol(v, &end, 10);
    while (end && *end == ' ')
        end++;
    if (!end || end == v || *end || n % 90 != 0 || n < -270 || n > 270) {
        fo_report_invalid(c, name, v);
        return;
    }
    c->fo->style->reference_orientation = (int)((n + 360) % 360);
}

/* ------------------------------------------------------------------ backgrounds */

static const prop_keyword bg_repeat_words[] = {
    {"repeat", BG_REPEAT}, {"repeat-x", BG_REPEAT_X}, {"repeat-y", BG_REPEAT_Y},
    {"no-repeat", BG_NO_REPEAT}, {NULL, 0}};

/* background-image: "none" or a uri-specification, resolved when the formatter loads it. */
static void set_background_image(fo_cascade *c, const prop_desc *d, const char *name, const char *v)
{
    c->fo->style->background_image = !strcmp(v, "none") || !*v ? NULL : g_string_chunk_insert_const(c->tree->pool->strings, v);
}

/* What one word of background-position is: a keyword of the horizontal axis (left, right:
 * 'h'), of the vertical one (top, bottom: 'v'), center ('c'), or a length or percentage
 * ('l'); its value in *out.  0 when it is none of them. */
static char bg_position_word(fo_cascade *c, const char *w, wb_len *out)
{
    static const struct {
        const char *word;
        char axis;
        double pct;
    } words[] = {{"left", 'h', 0}, {"right", 'h', 100}, {"top", 'v', 0}, {"bottom", 'v', 100}, {"center", 'c', 50}};
    for (size_t i = 0; i < G_N_ELEMENTS(words); i++)
        if (!strcmp(w, words[i].word)) {
            *out = (wb_len){0, words[i].pct, false};
            return words[i].axis;
        }
    if (strcmp(w, "auto") && wb_parse_length(w, c->fo->style->font_size, out))
        return 'l';
    return 0;
}

/* background-position-horizontal (d->arg 0) and -vertical (1): a length, a percentage, or
 * the keywords of that axis and center (XSL 1.1 §7.8.6, §7.8.7). */
static void set_bg_position_axis(fo_cascade *c, const prop_desc *d, const char *name, const char *v)
{
    wb_len l;
    char k = bg_position_word(c, v, &l);
    if (k == 'l' || k == 'c' || k == (d->arg ? 'v' : 'h'))
        c->fo->style->background_pos[d->arg] = l;
    else
        fo_report_invalid(c, name, v);
}

/* background-position, CSS2's shorthand (XSL 1.1 §7.31.2): one or two words; lengths and
 * percentages give horizontal then vertical, keywords say their axis in either order, and a
 * single value leaves the other axis centred. */
static void set_bg_position(fo_cascade *c, const prop_desc *d, const char *name, const char *v)
{
    char **w = g_strsplit_set(v, " \t\n\r", -1);
    wb_len l[2];
    char k[2];
    int n = 0;
    bool ok = true;
    for (int i = 0; w[i] && ok; i++) {
        if (!*w[i])
            continue;
        if (n == 2 || !(k[n] = bg_position_word(c, w[i], &l[n])))
            ok = false;
        else
            n++;
    }
    g_strfreev(w);
    if (!ok || n == 0) {
        fo_report_invalid(c, name, v);
        return;
    }
    wb_len *pos = c->fo->style->background_pos;
    wb_len centre = {0, 50, false};
    if (n == 1) {
        pos[0] = k[0] == 'v' ? centre : l[0];
        pos[1] = k[0] == 'v' ? l[0] : centre;
        return;
    }
    if (k[0] == 'v' || k[1] == 'h') { /* "top left": the vertical word first */
        if (k[0] == 'h' || k[1] == 'v' || k[0] == 'l' || k[1] == 'l') {
            fo_report_invalid(c, name, v);
            return;
        }
        pos[0] = l[1];
        pos[1] = l[0];
    } else {
        pos[0] = l[0];
        pos[1] = l[1];
    }
}

#define P PASS_PROPERTY

/* The properties of the style, sorted by name (strcmp) for bsearch. */
static const prop_desc prop_table[] = {
    {"absolute-position", P, set_enum, FIELD(position), 0, position_words},
    {"background-color", P, set_color, FIELD(background)},
    {"background-image", P, set_background_image},
    {"background-position", PASS_WHOLE, set_bg_position},
    {"background-position-horizontal", P, set_bg_position_axis, 0, 0},
    {"background-position-vertical", P, set_bg_position_axis, 0, 1},
    {"background-repeat", P, set_enum, FIELD(background_repeat), 0, bg_repeat_words},
    {"baseline-shift", P, set_baseline_shift},
    {"block-progression-dimension", P, set_length, FIELD(height)},
    {"block-progression-dimension.minimum", P, set_length, FIELD(height)},
    {"block-progression-dimension.optimum", P, set_length, FIELD(height)},
    {"border", PASS_WHOLE, fo_set_border},
    {"border-collapse", P, set_switch, FIELD(border_collapse), true, separate_word},
    {"border-color", PASS_ASPECT, fo_set_border_aspects, 0, ASPECT_COLOR},
    {"border-spacing", P, fo_set_border_separation},
    {"border-style", PASS_ASPECT, fo_set_border_aspects, 0, ASPECT_STYLE},
    {"border-width", PASS_ASPECT, fo_set_border_aspects, 0, ASPECT_WIDTH},
    {"bottom", P, set_length, FIELD(offset[SIDE_AFTER])},
    {"break-after", P, set_enum, FIELD(break_after), 0, break_words},
    {"break-before", P, set_enum, FIELD(break_before), 0, break_words},
    {"color", P, set_color, FIELD(color)},
    {"column-count", P, set_positive_int, FIELD(column_count)},
    {"column-gap", P, set_length_pt, FIELD(column_gap)},
    {"column-width", P, set_column_width},
    {"content-height", P, set_content_size, FIELD(content_height)},
    {"content-width", P, set_content_size, FIELD(content_width)},
    {"display-align", P, set_enum, FIELD(display_align), 0, display_align_words},
    {"end-indent", P, fo_set_indent, FIELD(end_indent), SIDE_END},
    {"font", PASS_WHOLE, set_unsupported},
    {"font-family", P, set_font_family},
    {"font-size", P, set_font_size},
    {"font-style", P, set_flag, FIELD(italic), 0, font_style_words},
    {"font-variant", P, set_flag, FIELD(small_caps), 0, font_variant_words},
    {"font-weight", P, set_font_weight},
    {"height", P, set_length, FIELD(height)},
    {"hyphenate", P, set_switch, FIELD(hyphenate), false, true_word},
    {"hyphenation-push-character-count", P, set_positive_int, FIELD(hyph_push)},
    {"hyphenation-remain-character-count", P, set_positive_int, FIELD(hyph_remain)},
    {"inline-progression-dimension", PASS_WHOLE, set_ipd},
    {"keep-together", P, set_keep_together, 0, KEEP_SETS},
    {"keep-together.within-column", P, set_keep_together, 0, KEEP_RAISES},
    {"keep-together.within-line", P, set_keep_together, 0, KEEP_LINE},
    {"keep-together.within-page", P, set_keep_together, 0, KEEP_RAISES},
    {"language", P, set_language},
    {"last-line-end-indent", P, set_length, FIELD(last_line_end_indent)},
    {"leader-alignment", P, NULL}, /* dots are aligned to a grid anyway */
    {"leader-pattern", P, set_enum, FIELD(leader_pattern), 0, leader_pattern_words},
    {"leader-pattern-width", P, set_leader_pattern_width},
    {"left", P, set_length, FIELD(offset[SIDE_START])},
    {"line-height", P, set_line_height},
    {"linefeed-treatment", P, set_enum, FIELD(linefeed), 0, linefeed_words},
    {"margin", PASS_WHOLE, fo_set_margins},
    {"number-columns-repeated", P, set_columns_repeated},
    {"number-columns-spanned", P, set_positive_int, FIELD(number_columns_spanned)},
    {"number-rows-spanned", P, set_positive_int, FIELD(number_rows_spanned)},
    {"orphans", P, set_positive_int, FIELD(orphans)},
    {"padding", PASS_WHOLE, fo_set_paddings},
    {"page-break-after", P, set_enum, FIELD(break_after), 0, break_words},
    {"page-break-before", P, set_enum, FIELD(break_before), 0, break_words},
    {"position", PASS_WHOLE, set_position},
    {"provisional-distance-between-starts", P, set_length, FIELD(prov_distance)},
    {"provisional-label-separation", P, set_length, FIELD(prov_separation)},
    {"reference-orientation", P, set_reference_orientation},
    {"right", P, set_length, FIELD(offset[SIDE_END])},
    {"rule-style", P, set_enum, FIELD(rule_style), 0, fo_border_style_words},
    {"rule-thickness", P, set_length_pt, FIELD(rule_thickness)},
    {"span", P, set_span},
    {"start-indent", P, fo_set_indent, FIELD(start_indent), SIDE_START},
    {"text-align", P, set_align, FIELD(text_align), 0, align_words},
    {"text-align-last", P, set_align, FIELD(text_align_last), 0, align_last_words},
    {"text-decoration", P, set_text_decoration},
    {"text-indent", P, set_length, FIELD(text_indent)},
    {"top", P, set_length, FIELD(offset[SIDE_BEFORE])},
    {"vertical-align", P, set_baseline_shift},
    {"white-space", P, set_white_space},
    {"white-space-collapse", P, set_switch, FIELD(ws_collapse), true, false_word},
    {"white-space-treatment", P, set_enum, FIELD(ws_treatment), 0, ws_treatment_words},
    {"widows", P, set_positive_int, FIELD(widows)},
    {"width", P, set_ipd},
    {"wrap-option", P, set_switch, FIELD(wrap), true, no_wrap_word},
};

/* Families: every name that begins with the prefix, the longest prefix winning; the setter
 * reads the side, aspect or component from the rest of the name. */
static const prop_desc prop_families[] = {
    {"border-", PASS_BY_NAME, fo_set_border_side},
    {"border-separation", PASS_BY_NAME, fo_set_border_separation},
    {"inline-progression-dimension", P, set_ipd},
    {"keep-with-next", P, set_keep, FIELD(keep_with_next)},
    {"keep-with-previous", P, set_keep, FIELD(keep_with_previous)},
    {"leader-length", P, set_leader_length},
    {"letter-spacing", P, set_spacing, FIELD(letter_spacing)},
    {"margin", P, fo_set_margin_side},
    {"padding-", P, fo_set_padding_side},
    {"space-after", P, fo_set_space, FIELD(space_after), SIDE_AFTER},
    {"space-before", P, fo_set_space, FIELD(space_before), SIDE_BEFORE},
    {"word-spacing", P, set_spacing, FIELD(word_spacing)},
};

#undef P

/* Attributes that are no part of the style, sorted by name: read by the formatter from the
 * element itself (master names, references, numbering...), or properties without effect in
 * this engine that are harmless to ignore silently, the formatter's default being what
 * styles expect. */
static const char *const element_attributes[] = {
    "alignment-adjust", "alignment-baseline", "auto-restore", "background-attachment",
    "blank-or-not-blank", "character", "clear", "clip", "column-number", "content-type", "country",
    "destination-placement-offset", "direction", "dominant-baseline", "empty-cells", "ends-row",
    "extent", "external-destination", "float", "flow-name", "font-selection-strategy",
    "font-size-adjust", "font-stretch", "force-page-count", "format", "fox:alt-text",
    "glyph-orientation-horizontal", "glyph-orientation-vertical", "grouping-separator",
    "grouping-size", "hyphenation-character", "hyphenation-keep", "hyphenation-ladder-count",
    "id", "indicate-destination", "initial-page-number", "internal-destination",
    "intrusion-displace", "letter-value", "line-height-shift-adjustment",
    "line-stacking-strategy", "marker-class-name", "master-name", "master-reference",
    "maximum-repeats", "odd-or-even", "overflow",
    "page-break-inside", "page-height", "page-position", "page-width", "precedence", "ref-id",
    "region-name", "relative-position", "retrieve-boundary",
    "retrieve-class-name", "retrieve-position", "role", "scaling", "scaling-method", "script",
    "show-destination", "source-document", "src", "starting-state", "starts-row",
    "table-layout", "table-omit-footer-at-break", "table-omit-header-at-break",
    "target-presentation-context", "target-processing-context", "target-stylesheet",
    "text-altitude", "text-depth", "text-shadow", "text-transform", "unicode-bidi",
    "visibility", "writing-mode", "z-index",
};

/* The row every element attribute is found as. */
static const prop_desc element_attribute = {"(element attribute)", PASS_PROPERTY, NULL};

static int compare_row_name(const void *key, const void *row)
{
    return strcmp(key, ((const prop_desc *)row)->name);
}

static int compare_name(const void *key, const void *name)
{
    return strcmp(key, *(const char *const *)name);
}

const prop_desc *fo_property_find(const char *name)
{
    const prop_desc *d = bsearch(name, prop_table, G_N_ELEMENTS(prop_table), sizeof *prop_table,
                                 compare_row_name);
    if (d)
        return d;
    size_t longest = 0;
    for (size_t i = 0; i < G_N_ELEMENTS(prop_families); i++) {
        size_t n = strlen(prop_families[i].name);
        if (n > longest && !strncmp(name, prop_families[i].name, n)) {
            d = &prop_families[i];
            longest = n;
        }
    }
    if (d)
        return d;
    if (bsearch(name, element_attributes, G_N_ELEMENTS(element_attributes),
                sizeof *element_attributes, compare_name))
        return &element_attribute;
    return NULL;
}

prop_pass fo_property_pass(const prop_desc *d, const char *name)
{
    if (!d)
        return PASS_PROPERTY;
    if (d->pass != PASS_BY_NAME)
        return d->pass;
    /* the border families: border-top-width, one aspect of one side, is a property... */
    if (g_str_has_suffix(name, "-width") || g_str_has_suffix(name, "-style") ||
        g_str_has_suffix(name, "-color"))
        return PASS_PROPERTY;
    /* ...and so are border-separation and its components; a name that only begins with it
     * is neither that nor a side, and is ignored */
    if (!strncmp(name, "border-separation", 17))
        return !name[17] || name[17] == '.' ? PASS_PROPERTY : PASS_NEVER;
    /* ...and border-top a shorthand for one side */
    return PASS_SIDE;
}

void fo_property_apply(fo_cascade *c, const prop_desc *d, const char *name, const char *value)
{
    if (!strcmp(value, "inherit"))
        return; /* inherited values are already there; non-inherited ones are rare */
    if (!d)
        set_unsupported(c, d, name, value);
    else if (d->set)
        d->set(c, d, name, value);
}

bool fo_property_table_is_sorted(void)
{
    for (size_t i = 1; i < G_N_ELEMENTS(prop_table); i++)
        if (strcmp(prop_table[i - 1].name, prop_table[i].name) >= 0)
            return false;
    for (size_t i = 1; i < G_N_ELEMENTS(element_attributes); i++)
        if (strcmp(element_attributes[i - 1], element_attributes[i]) >= 0)
            return false;
    return true;
}
