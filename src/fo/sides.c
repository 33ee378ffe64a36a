/* The properties of the four sides of an area: margins and the indents they give, spaces,
 * padding and borders, with their shorthands (margin, border-top...) and components
 * (.conditionality...).  Hands their setters to the property table (properties.c). */
#include "fo/fo-private.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

/* ------------------------------------------------------------------ border values */

const prop_keyword fo_border_style_words[] = {
    {"none", BORDER_NONE},    {"solid", BORDER_SOLID}, {"dashed", BORDER_DASHED},
    {"dotted", BORDER_DOTTED}, {"double", BORDER_DOUBLE}, {"hidden", BORDER_NONE},
    /* the 3D styles are drawn solid */
    {"groove", BORDER_SOLID}, {"ridge", BORDER_SOLID}, {"inset", BORDER_SOLID},
    {"outset", BORDER_SOLID}, {NULL, 0}};

static bool border_style_of(const char *v, wb_border_style *out)
{
    int k;
    if (!fo_keyword(fo_border_style_words, v, &k))
        return false;
    *out = (wb_border_style)k;
    return true;
}

static bool border_width_of(fo_cascade *c, const char *v, double *out)
{
    if (!strcmp(v, "thin")) *out = 0.5;
    else if (!strcmp(v, "medium")) *out = 1;
    else if (!strcmp(v, "thick")) *out = 2;
    else {
        wb_len l;
        if (!wb_parse_length(v, c->fo->style->font_size, &l))
            return false;
        *out = l.pt;
    }
    return true;
}

/* ------------------------------------------------------------------ margins, spaces, padding */

/* start-indent and end-indent (side d->arg), remembered as given: a margin then does not
 * change them. */
void fo_set_indent(fo_cascade *c, const prop_desc *d, const char *name, const char *v)
{
    if (fo_length(c, name, v, fo_field(c, d), c->fo->style->font_size))
        c->indent_given[d->arg] = true;
}

void fo_set_margins(fo_cascade *c, const prop_desc *d, const char *name, const char *v)
{
    char *parts[4];
    if (fo_split_sides(v, parts) != 4) {
        fo_report_invalid(c, name, v);
        return;
    }
    for (int i = 0; i < 4; i++) {
        if (fo_length(c, name, parts[i], &c->fo->style->margin[i], c->fo->style->font_size))
            c->margin_given[i] = true;
        g_free(parts[i]);
    }
}

/* The family margin-SIDE. */
void fo_set_margin_side(fo_cascade *c, const prop_desc *d, const char *name, const char *v)
{
    const char *rest = name + strlen(d->name);
    int side = rest[0] == '-' ? fo_side(rest + 1, strlen(rest + 1)) : -1;
    if (side < 0)
        fo_report_invalid(c, name, v);
    else if (fo_length(c, name, v, &c->fo->style->margin[side], c->fo->style->font_size))
        c->margin_given[side] = true;
}

/* One component of a space specifier (sub: "minimum"...), or all its lengths (sub NULL). */
static void set_space_component(fo_cascade *c, const char *name, const char *sub, const char *v,
                                wb_space *sp)
{
    double fs = c->fo->style->font_size;
    wb_len l;
    if (!sub) {
        if (fo_length(c, name, v, &l, fs))
            sp->min = sp->opt = sp->max = l.pt;
        return;
    }
    if (!strcmp(sub, "conditionality")) {
        sp->retain = !strcmp(v, "retain");
        return;
    }
    if (!strcmp(sub, "precedence")) {
        sp->precedence = !strcmp(v, "force") ? INT_MAX : atoi(v);
        return;
    }
    if (!fo_length(c, name, v, &l, fs))
        return;
    if (!strcmp(sub, "minimum")) sp->min = l.pt;
    else if (!strcmp(sub, "optimum")) sp->opt = l.pt;
    else if (!strcmp(sub, "maximum")) sp->max = l.pt;
    else fo_report_invalid(c, name, v);
}

/* The families space-before and space-after (side d->arg), with their .components. */
void fo_set_space(fo_cascade *c, const prop_desc *d, const char *name, const char *v)
{
    const char *rest = name + strlen(d->name);
    if (*rest && *rest != '.') {
        fo_report_invalid(c, name, v);
        return;
    }
    set_space_component(c, name, *rest ? rest + 1 : NULL, v, fo_field(c, d));
    c->space_given[d->arg] = true;
}

void fo_set_paddings(fo_cascade *c, const prop_desc *d, const char *name, const char *v)
{
    char *parts[4];
    if (fo_split_sides(v, parts) != 4) {
        fo_report_invalid(c, name, v);
        return;
    }
    for (int i = 0; i < 4; i++) {
        fo_length_pt(c, name, parts[i], &c->fo->style->padding[i], c->fo->style->font_size, 0);
        g_free(parts[i]);
    }
}

/* The family padding-SIDE[.component]: of the components only the length matters here. */
void fo_set_padding_side(fo_cascade *c, const prop_desc *d, const char *name, const char *v)
{
    const char *rest = name + strlen(d->name);
    size_t n = strcspn(rest, ".");
    int side = fo_side(rest, n);
    if (side < 0)
        fo_report_invalid(c, name, v);
    else if (!rest[n] || !strcmp(rest + n + 1, "length"))
        fo_length_pt(c, name, v, &c->fo->style->padding[side], c->fo->style->font_size, 0);
    else if (!strcmp(rest + n + 1, "conditionality") && (!strcmp(v, "retain") || !strcmp(v, "discard")))
        c->fo->style->padding_retain[side] = !strcmp(v, "retain");
    else
        fo_report_invalid(c, name, v);
}

/* ------------------------------------------------------------------ borders */

static bool set_border_aspect(fo_cascade *c, int side, int aspect, const char *v)
{
    wb_border *b = &c->fo->style->border[side];
    if (aspect == ASPECT_WIDTH)
        return border_width_of(c, v, &b->width);
    if (aspect == ASPECT_STYLE)
        return border_style_of(v, &b->style);
    return wb_parse_color(v, &b->color);
}

/* "border: 0.5pt solid #888" and friends, for the sides in side_mask: tokens in any order;
 * what is not given takes its initial value (no style, 1pt, the text's colour). */
static void border_shorthand(fo_cascade *c, const char *name, const char *v, int side_mask)
{
    wb_style *s = c->fo->style;
    double width = -1;
    wb_border_style style = BORDER_NONE;
    bool have_style = false;
    wb_rgba color = s->color;
    gchar **tok = g_strsplit_set(v, " \t\n", -1);
    bool ok = true;
    for (int i = 0; tok[i]; i++) {
        if (!*tok[i])
            continue;
        wb_border_style bs;
        double w;
        wb_rgba col;
        if (border_style_of(tok[i], &bs)) {
            style = bs;
            have_style = true;
        } else if (border_width_of(c, tok[i], &w)) {
            width = w;
        } else if (wb_parse_color(tok[i], &col)) {
            color = col;
        } else {
            ok = false;
        }
    }
    g_strfreev(tok);
    if (!ok) {
        fo_report_invalid(c, name, v);
        return;
    }
    for (int side = 0; side < 4; side++) {
        if (!(side_mask & (1 << side)))
            continue;
        s->border[side].style = have_style ? style : BORDER_NONE;
        s->border[side].width = width >= 0 ? width : 1;
        s->border[side].color = color;
    }
}

void fo_set_border(fo_cascade *c, const prop_desc *d, const char *name, const char *v)
{
    border_shorthand(c, name, v, 15);
}

/* border-width, border-style, border-color (aspect d->arg): 1-4 values, as for margin. */
void fo_set_border_aspects(fo_cascade *c, const prop_desc *d, const char *name, const char *v)
{
    char *parts[4];
    if (fo_split_sides(v, parts) != 4) {
        fo_report_invalid(c, name, v);
        return;
    }
    bool ok = true;
    for (int i = 0; i < 4; i++) {
        if (!set_border_aspect(c, i, d->arg, parts[i]))
            ok = false;
        g_free(parts[i]);
    }
    if (!ok)
        fo_report_invalid(c, name, v);
}

/* The family border-SIDE (a shorthand) and border-SIDE-ASPECT[.component]. */
void fo_set_border_side(fo_cascade *c, const prop_desc *d, const char *name, const char *v)
{
    static const prop_keyword aspects[] = {
        {"width", ASPECT_WIDTH}, {"style", ASPECT_STYLE}, {"color", ASPECT_COLOR}, {NULL, 0}};
    const char *rest = name + strlen(d->name);
    size_t n = strcspn(rest, "-");
    int side = fo_side(rest, n);
    if (side < 0) {
        fo_report_invalid(c, name, v);
        return;
    }
    if (!rest[n]) {
        border_shorthand(c, name, v, 1 << side);
        return;
    }
    /* the aspect, without its component: border-before-width.length is the width;
     * .conditionality says whether the border is drawn where a page break cuts the area */
    char *aspect_name = g_strndup(rest + n + 1, strcspn(rest + n + 1, "."));
    const char *comp = strchr(rest + n + 1, '.');
    int aspect;
    if (comp && !strcmp(comp, ".conditionality") && !strcmp(aspect_name, "width") &&
        (!strcmp(v, "retain") || !strcmp(v, "discard")))
        c->fo->style->border[side].retain = !strcmp(v, "retain");
    else if (!fo_keyword(aspects, aspect_name, &aspect) || !set_border_aspect(c, side, aspect, v))
        fo_report_invalid(c, name, v);
    g_free(aspect_name);
}

/* The family border-separation[.component], and border-spacing: one length for both
 * directions, or the inline one then the block one. */
void fo_set_border_separation(fo_cascade *c, const prop_desc *d, const char *name,
                              const char *v)
{
    wb_style *s = c->fo->style;
    const char *sub = strchr(name, '.');
    gchar **tok = g_strsplit_set(v, " \t", -1);
    double vals[2] = {0, 0};
    int n = 0;
    for (int i = 0; tok[i] && n < 2; i++)
        if (*tok[i] && fo_length_pt(c, name, tok[i], &vals[n], s->font_size, 0))
            n++;
    g_strfreev(tok);
    if (n == 0) {
        fo_report_invalid(c, name, v);
    } else if (sub && !strncmp(sub + 1, "inline", 6)) {
        s->sep_inline = vals[0];
    } else if (sub && !strncmp(sub + 1, "block", 5)) {
        s->sep_block = vals[0];
    } else {
        s->sep_inline = vals[0];
        s->sep_block = n > 1 ? vals[1] : vals[0];
    }
}
