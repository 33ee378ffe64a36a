/* Unit tests of src/fo: length expressions, colours, the property table, and the FO tree
 * with computed properties (inheritance, em, corresponding margins and indents, shorthands,
 * keeps) and its diagnostics. */
#include "fo/fo.h"
#include "fo/fo-private.h"

#include <check.h>
#include <glob.h>

#include "unit/support.h"
#include <libxml/parser.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "workbook/context.h"
#include "workbook/load.h"

#define EPS 1e-6
#define MM (72.0 / 25.4)

/* ---- helpers ---- */

#define ck_assert_near(a, b) ck_assert_msg(fabs((double)(a) - (double)(b)) < 1e-3, "%s = %g, want %g", #a, (double)(a), (double)(b))

/* An FO document around `body` (the content of the flow), parsed from memory. */
#define FO_HEAD                                                                                 \
    "<?xml version='1.0'?>\n"                                                                   \
    "<fo:root xmlns:fo='http://www.w3.org/1999/XSL/Format'>\n"                                  \
    "<fo:layout-master-set><fo:simple-page-master master-name='p' page-width='200pt' "          \
    "page-height='300pt'><fo:region-body/></fo:simple-page-master></fo:layout-master-set>\n"    \
    "<fo:page-sequence master-reference='p'><fo:flow flow-name='xsl-region-body'>\n"
#define FO_TAIL "</fo:flow></fo:page-sequence></fo:root>\n"

typedef struct test_fo {
    wb_ctx *ctx;
    xmlDocPtr doc;
    wb_fo_tree *tree;
} test_fo;

static test_fo test_build(const char *text)
{
    test_fo t = {wb_ctx_new(), NULL, NULL};
    t.doc = xmlReadMemory(text, (int)strlen(text), "mem.fo", NULL, 0);
    ck_assert_ptr_nonnull(t.doc);
    t.tree = wb_fo_tree_new(t.ctx, t.doc, "mem.fo");
    return t;
}

static test_fo test_build_flow(const char *flow)
{
    char *text = NULL;
    ck_assert_int_ge(asprintf(&text, "%s%s%s", FO_HEAD, flow, FO_TAIL), 0);
    test_fo t = test_build(text);
    free(text);
    char *diags = test_diags_text(t.ctx);
    ck_assert_msg(t.tree != NULL, "%s", diags);
    free(diags);
    return t;
}

static void test_free(test_fo *t)
{
    wb_fo_tree_free(t->tree);
    xmlFreeDoc(t->doc);
    wb_ctx_free(t->ctx);
}

static const wb_fo *test_by_id_in(const wb_fo *fo, const char *id)
{
    for (; fo; fo = fo->next) {
        if (fo->id && !strcmp(fo->id, id))
            return fo;
        const wb_fo *r = test_by_id_in(fo->first, id);
        if (r)
            return r;
    }
    return NULL;
}

static const wb_style *test_style(const test_fo *t, const char *id)
{
    const wb_fo *fo = test_by_id_in(t->tree->root, id);
    ck_assert_msg(fo != NULL, "no object with id %s", id);
    ck_assert_ptr_nonnull(fo->style);
    return fo->style;
}

/* The line of the first line of text holding needle. */
static int test_line_of(const char *text, const char *needle)
{
    const char *p = strstr(text, needle);
    ck_assert_ptr_nonnull(p);
    int line = 1;
    for (const char *q = text; q < p; q++)
        if (*q == '\n')
            line++;
    return line;
}

/* ---- lengths ---- */

static double test_len(const char *s, double font_size)
{
    wb_len l = {-1, -1, true};
    ck_assert_msg(wb_parse_length(s, font_size, &l), "\"%s\" not parsed", s);
    ck_assert_msg(!l.is_auto, "\"%s\" is auto", s);
    ck_assert_msg(fabs(l.pct) < EPS, "\"%s\" has a percentage %g", s, l.pct);
    return l.pt;
}

START_TEST(test_length_units)
{
    ck_assert_near(test_len("10pt", 12), 10);
    ck_assert_near(test_len("1in", 12), 72);
    ck_assert_near(test_len("2.54cm", 12), 72);
    ck_assert_near(test_len("25.4mm", 12), 72);
    ck_assert_near(test_len("12pc", 12), 144);
    ck_assert_near(test_len("96px", 12), 72);
    ck_assert_near(test_len("1.5em", 10), 15);
    ck_assert_near(test_len("2em", 7.5), 15);
    ck_assert_near(test_len("0", 12), 0);
    ck_assert_near(test_len("-3pt", 12), -3);
    ck_assert_near(test_len(".5in", 12), 36);
    ck_assert_near(test_len("  10pt  ", 12), 10);
}
END_TEST

START_TEST(test_length_percent)
{
    wb_len l = {0};
    ck_assert(wb_parse_length("50%", 12, &l));
    ck_assert_near(l.pct, 50);
    ck_assert_near(l.pt, 0);
    ck_assert(!l.is_auto);
    ck_assert_near(wb_len_resolve(l, 300), 150);
    ck_assert(wb_parse_length("100% - 2pt", 12, &l));
    ck_assert_near(l.pct, 100);
    ck_assert_near(l.pt, -2);
    ck_assert_near(wb_len_resolve(l, 200), 198);
}
END_TEST

START_TEST(test_length_expressions)
{
    ck_assert_near(test_len("10pt + 2mm", 12), 10 + 2 * MM);
    ck_assert_near(test_len("(1cm - 2mm) * 2", 12), 16 * MM);
    ck_assert_near(test_len("2 * 3pt", 12), 6);
    ck_assert_near(test_len("10pt div 4", 12), 2.5);
    ck_assert_near(test_len("10pt / 4", 12), 2.5);
    ck_assert_near(test_len("1em + 1pt", 10), 11);
    ck_assert_near(test_len("-(2pt + 1pt)", 10), -3);
    ck_assert_near(test_len("1pt+1pt*2", 10), 3); /* precedence */
}
END_TEST

START_TEST(test_length_invalid)
{
    const char *bad[] = {"abc", "", "10", "10 pt + ", "10qq", "(10pt", "10pt * 2pt",
                         "10pt / 0", "10pt / 2pt", "10pt 5pt", "pt", "#10pt", "auto"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        wb_len l = {0};
        ck_assert_msg(!wb_parse_length(bad[i], 12, &l), "\"%s\" accepted", bad[i]);
    }
}
END_TEST

/* ---- colours ---- */

static void check_color(const char *s, double r, double g, double b, double a)
{
    wb_rgba c = {-1, -1, -1, -1};
    ck_assert_msg(wb_parse_color(s, &c), "\"%s\" not parsed", s);
    ck_assert_msg(fabs(c.r - r) < EPS && fabs(c.g - g) < EPS && fabs(c.b - b) < EPS && fabs(c.a - a) < EPS,
                  "\"%s\" = (%g %g %g %g)", s, c.r, c.g, c.b, c.a);
}

START_TEST(test_colors)
{
    check_color("#abc", 0xaa / 255.0, 0xbb / 255.0, 0xcc / 255.0, 1);
    check_color("#ABC", 0xaa / 255.0, 0xbb / 255.0, 0xcc / 255.0, 1);
    check_color("#1f4e79", 0x1f / 255.0, 0x4e / 255.0, 0x79 / 255.0, 1);
    check_color("red", 1, 0, 0, 1);
    check_color("navy", 0, 0, 128 / 255.0, 1);
    check_color("rgb(10,20,30)", 10 / 255.0, 20 / 255.0, 30 / 255.0, 1);
    check_color("rgb(10, 20, 30)", 10 / 255.0, 20 / 255.0, 30 / 255.0, 1);
    check_color("transparent", 0, 0, 0, 0);
    /* the names of CSS 3 and SVG, as FOP takes them */
    check_color("lightgreen", 0x90 / 255.0, 0xee / 255.0, 0x90 / 255.0, 1);
    check_color("LightSteelBlue", 0xb0 / 255.0, 0xc4 / 255.0, 0xde / 255.0, 1);
}
END_TEST

START_TEST(test_colors_invalid)
{
    const char *bad[] = {"#12", "#12345", "#ggg", "#1f4e79x", "reddish", "", "rgb(1,2)", "rgb 1 2 3",
                         "12"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        wb_rgba c = {0};
        ck_assert_msg(!wb_parse_color(bad[i], &c), "\"%s\" accepted", bad[i]);
    }
}
END_TEST

/* ---- the tree ---- */

START_TEST(test_inheritance)
{
    test_fo t = test_build_flow(
        "<fo:block id='outer' font-size='14pt' font-family='PT Sans' color='#1f4e79' "
        "background-color='yellow' font-weight='bold'>"
        "  <fo:block id='inner'>text<fo:inline id='in' font-style='italic'>x</fo:inline></fo:block>"
        "  <fo:block id='other' font-family=\"'PT Serif', serif\" font-weight='normal'>y</fo:block>"
        "</fo:block>");
    const wb_style *outer = test_style(&t, "outer"), *inner = test_style(&t, "inner"),
                   *in = test_style(&t, "in"), *other = test_style(&t, "other");
    ck_assert_near(outer->font_size, 14);
    ck_assert_near(inner->font_size, 14);
    ck_assert_near(in->font_size, 14);
    ck_assert_str_eq(inner->font_family, "PT Sans");
    ck_assert_str_eq(in->font_family, "PT Sans");
    ck_assert_int_eq(inner->font_weight, 700);
    ck_assert_int_eq(other->font_weight, 400);
    ck_assert(in->italic);
    ck_assert(!inner->italic);
    /* quotes are XSL's, the family list is pango's */
    ck_assert_str_eq(other->font_family, "PT Serif, serif");
    ck_assert_near(inner->color.b, 0x79 / 255.0);
    /* background is not inherited */
    ck_assert(outer->background.a > 0);
    ck_assert_near(inner->background.a, 0);
    test_free(&t);
}
END_TEST

START_TEST(test_em_relative_to_parent)
{
    test_fo t = test_build_flow(
        "<fo:block id='p' font-size='10pt'>"
        "  <fo:block id='c' font-size='1.5em' space-before='1em' text-indent='2em'>"
        "    <fo:block id='g' font-size='150%'>x</fo:block>"
        "    <fo:block id='s' font-size='smaller' >x</fo:block>"
        "  </fo:block>"
        "</fo:block>");
    const wb_style *c = test_style(&t, "c"), *g = test_style(&t, "g");
    ck_assert_near(c->font_size, 15);           /* 1.5 x the parent's 10pt */
    ck_assert_near(c->space_before.opt, 15);    /* other properties: the object's own size */
    ck_assert_near(c->text_indent.pt, 30);
    ck_assert_near(g->font_size, 22.5);         /* 150% of 15 */
    ck_assert(test_style(&t, "s")->font_size < 15);
    test_free(&t);
}
END_TEST

START_TEST(test_line_height_and_language_inherit)
{
    /* a number inherits as a number (times the child's size), a percentage or length as the
     * length computed on the parent */
    test_fo t = test_build_flow(
        "<fo:block id='num' font-size='10pt' line-height='1.5' xml:lang='fr'>"
        "  <fo:block id='num-c' font-size='20pt'>x</fo:block>"
        "</fo:block>"
        "<fo:block id='pct' font-size='10pt' line-height='150%' language='ru'>"
        "  <fo:block id='pct-c' font-size='20pt'>x</fo:block>"
        "</fo:block>");
    const wb_style *nc = test_style(&t, "num-c"), *pc = test_style(&t, "pct-c");
    double nlh = nc->line_height_factor > 0 ? nc->line_height_factor * nc->font_size : nc->line_height;
    double plh = pc->line_height_factor > 0 ? pc->line_height_factor * pc->font_size : pc->line_height;
    ck_assert_near(nlh, 30);
    ck_assert_near(plh, 15);
    ck_assert_str_eq(nc->lang, "fr");
    ck_assert_str_eq(pc->lang, "ru");
    test_free(&t);
}
END_TEST

START_TEST(test_start_indent_from_margin_padding_border)
{
    /* XSL 5.3.2: start-indent = inherited start-indent + margin + padding + border width */
    test_fo t = test_build_flow(
        "<fo:block id='p' start-indent='10pt' end-indent='4pt'>"
        "  <fo:block id='c' margin-left='5pt' padding-left='3pt' border-left='2pt solid black'"
        "            margin-right='1pt' padding-right='2pt'>"
        "    <fo:block id='g'>x</fo:block>"
        "  </fo:block>"
        "  <fo:block id='plain'>x</fo:block>"
        "  <fo:block id='explicit' start-indent='1pt' margin-left='50pt'>x</fo:block>"
        "  <fo:block id='pad' padding='2pt'>x</fo:block>"
        "</fo:block>");
    const wb_style *c = test_style(&t, "c");
    ck_assert_near(c->start_indent.pt, 10 + 5 + 3 + 2);
    ck_assert_near(c->end_indent.pt, 4 + 1 + 2);
    /* start-indent is inherited as a value */
    ck_assert_near(test_style(&t, "g")->start_indent.pt, 20);
    ck_assert_near(test_style(&t, "plain")->start_indent.pt, 10);
    /* a start-indent given beats the margin */
    ck_assert_near(test_style(&t, "explicit")->start_indent.pt, 1);
    /* padding alone does not move the content: without a margin the indent is inherited
     * and the padding lies outside (XSL 5.3.2, as FOP does) */
    ck_assert_near(test_style(&t, "pad")->start_indent.pt, 10);
    ck_assert_near(test_style(&t, "pad")->end_indent.pt, 4);
    test_free(&t);
}
END_TEST

START_TEST(test_space_from_margin)
{
    test_fo t = test_build_flow(
        "<fo:block id='m' margin-top='6pt' margin-bottom='4pt'>x</fo:block>"
        "<fo:block id='both' margin-top='6pt' space-before='2pt'>x</fo:block>"
        "<fo:block id='short' margin='1pt 2pt 3pt 4pt'>x</fo:block>"
        "<fo:block id='sp' space-before.optimum='5pt' space-before.minimum='3pt' "
        "          space-before.maximum='8pt' space-before.conditionality='retain'>x</fo:block>");
    const wb_style *m = test_style(&t, "m");
    ck_assert_near(m->space_before.opt, 6);
    ck_assert_near(m->space_before.min, 6);
    ck_assert_near(m->space_before.max, 6);
    ck_assert_near(m->space_after.opt, 4);
    ck_assert(!m->space_before.retain);
    ck_assert_near(test_style(&t, "both")->space_before.opt, 2);
    /* CSS order: top right bottom left */
    const wb_style *s = test_style(&t, "short");
    ck_assert_near(s->space_before.opt, 1);
    ck_assert_near(s->space_after.opt, 3);
    ck_assert_near(s->start_indent.pt, 4);
    ck_assert_near(s->end_indent.pt, 2);
    const wb_style *sp = test_style(&t, "sp");
    ck_assert_near(sp->space_before.opt, 5);
    ck_assert_near(sp->space_before.min, 3);
    ck_assert_near(sp->space_before.max, 8);
    ck_assert(sp->space_before.retain);
    test_free(&t);
}
END_TEST

START_TEST(test_border_shorthand_and_side)
{
    test_fo t = test_build_flow(
        "<fo:block id='b' border-top-color='blue' border='1pt solid red'>x</fo:block>"
        "<fo:block id='p' padding='1pt 2pt 3pt 4pt' border-bottom='thick dashed'>x</fo:block>");
    const wb_style *b = test_style(&t, "b");
    /* the side property wins over the shorthand whatever the attribute order */
    ck_assert_near(b->border[SIDE_BEFORE].color.b, 1);
    ck_assert_near(b->border[SIDE_BEFORE].color.r, 0);
    for (int side = 0; side < 4; side++) {
        ck_assert_near(b->border[side].width, 1);
        ck_assert_int_eq(b->border[side].style, BORDER_SOLID);
        if (side != SIDE_BEFORE) {
            ck_assert_near(b->border[side].color.r, 1);
            ck_assert_near(b->border[side].color.b, 0);
        }
    }
    const wb_style *p = test_style(&t, "p");
    ck_assert_near(p->padding[SIDE_BEFORE], 1);
    ck_assert_near(p->padding[SIDE_END], 2);
    ck_assert_near(p->padding[SIDE_AFTER], 3);
    ck_assert_near(p->padding[SIDE_START], 4);
    ck_assert_int_eq(p->border[SIDE_AFTER].style, BORDER_DASHED);
    ck_assert_near(p->border[SIDE_AFTER].width, 2);
    ck_assert_int_eq(p->border[SIDE_BEFORE].style, BORDER_NONE);
    test_free(&t);
}
END_TEST

START_TEST(test_conditionality_of_padding_and_border)
{
    /* .conditionality of padding and border widths: retain or discard, the length kept */
    test_fo t = test_build_flow(
        "<fo:block id='r' padding='5pt' border='1pt solid red' padding-after.conditionality='retain'"
        " border-before-width.conditionality='retain' padding-before.length='7pt'>x"
        "<fo:block id='c'>y</fo:block></fo:block>");
    const wb_style *r = test_style(&t, "r");
    ck_assert(r->padding_retain[SIDE_AFTER]);
    ck_assert(!r->padding_retain[SIDE_BEFORE]);
    ck_assert_near(r->padding[SIDE_AFTER], 5);
    ck_assert_near(r->padding[SIDE_BEFORE], 7);
    ck_assert(r->border[SIDE_BEFORE].retain);
    ck_assert(!r->border[SIDE_AFTER].retain);
    ck_assert_near(r->border[SIDE_BEFORE].width, 1);
    ck_assert_int_eq(r->border[SIDE_BEFORE].style, BORDER_SOLID);
    /* not inherited */
    const wb_style *c = test_style(&t, "c");
    ck_assert(!c->padding_retain[SIDE_AFTER]);
    ck_assert(!c->border[SIDE_BEFORE].retain);
    size_t n = 0;
    wb_ctx_diagnostics(t.ctx, &n);
    ck_assert_int_eq(n, 0); /* no "invalid value" for the components */
    test_free(&t);
}
END_TEST

START_TEST(test_precise_shorthand_wins_in_any_order)
{
    /* XSL 5.2: of two shorthands, the more precise one wins (border-top over border,
     * border-width over border); the order of attributes means nothing in XML */
    test_fo t = test_build_flow(
        "<fo:block id='a' border='1pt solid red' border-top='2pt solid blue'>x</fo:block>"
        "<fo:block id='b' border-top='2pt solid blue' border='1pt solid red'>x</fo:block>"
        "<fo:block id='c' border-width='3pt' border='1pt solid red'>x</fo:block>");
    const char *ids[] = {"a", "b"};
    for (int i = 0; i < 2; i++) {
        const wb_style *s = test_style(&t, ids[i]);
        ck_assert_msg(fabs(s->border[SIDE_BEFORE].width - 2) < 1e-6 && s->border[SIDE_BEFORE].color.b > 0.99,
                      "block %s: border-before %gpt, blue %g", ids[i], s->border[SIDE_BEFORE].width,
                      s->border[SIDE_BEFORE].color.b);
        ck_assert_near(s->border[SIDE_AFTER].width, 1);
        ck_assert_near(s->border[SIDE_AFTER].color.r, 1);
    }
    const wb_style *c = test_style(&t, "c");
    for (int side = 0; side < 4; side++) {
        ck_assert_msg(fabs(c->border[side].width - 3) < 1e-6, "block c: side %d is %gpt", side, c->border[side].width);
        ck_assert_int_eq(c->border[side].style, BORDER_SOLID);
    }
    test_free(&t);
}
END_TEST

START_TEST(test_background_image_properties)
{
    /* XSL 1.1 §7.8.3-§7.8.7 and the shorthand of §7.31.2: keywords are percentages (left 0%,
     * center 50%, right 100%), either order for keywords, one value centres the other axis,
     * the longhands win over the shorthand; nothing inherits */
    test_fo t = test_build_flow(
        "<fo:block id='a' background-image=\"url('tile.png')\" background-repeat='repeat-x'"
        " background-position='top right'>x<fo:block id='a1'>y</fo:block></fo:block>"
        "<fo:block id='b' background-image='none' background-position='20pt'>x</fo:block>"
        "<fo:block id='c' background-position-vertical='bottom' background-position='10% 3pt'"
        " background-repeat='no-repeat'>x</fo:block>"
        "<fo:block id='d' background-position='bottom'>x</fo:block>"
        "<fo:block id='e' background-position='top bottom' background-repeat='sideways'>x</fo:block>");
    const wb_style *a = test_style(&t, "a");
    ck_assert_str_eq(a->background_image, "url('tile.png')");
    ck_assert_int_eq(a->background_repeat, BG_REPEAT_X);
    ck_assert_near(a->background_pos[0].pct, 100);
    ck_assert_near(a->background_pos[1].pct, 0);
    const wb_style *a1 = test_style(&t, "a1");
    ck_assert_ptr_null(a1->background_image);
    ck_assert_int_eq(a1->background_repeat, BG_REPEAT);
    ck_assert_near(a1->background_pos[0].pct, 0);
    const wb_style *b = test_style(&t, "b");
    ck_assert_ptr_null(b->background_image);
    ck_assert_near(b->background_pos[0].pt, 20);
    ck_assert_near(b->background_pos[1].pct, 50);
    const wb_style *c = test_style(&t, "c");
    ck_assert_int_eq(c->background_repeat, BG_NO_REPEAT);
    ck_assert_near(c->background_pos[0].pct, 10);
    ck_assert_near(c->background_pos[1].pct, 100); /* the longhand, given first, wins */
    ck_assert_near(c->background_pos[1].pt, 0);
    const wb_style *d = test_style(&t, "d");
    ck_assert_near(d->background_pos[0].pct, 50);
    ck_assert_near(d->background_pos[1].pct, 100);
    /* two vertical keywords and an unknown repeat: said, and ignored */
    const wb_style *e = test_style(&t, "e");
    ck_assert_near(e->background_pos[0].pct, 0);
    ck_assert_near(e->background_pos[1].pct, 0);
    ck_assert_int_eq(e->background_repeat, BG_REPEAT);
    char *diags = test_diags_text(t.ctx);
    ck_assert_msg(test_count_diags(t.ctx, WB_SEV_WARNING, "top bottom", NULL) == 1, "%s", diags);
    ck_assert_msg(test_count_diags(t.ctx, WB_SEV_WARNING, "sideways", NULL) == 1, "%s", diags);
    free(diags);
    test_free(&t);
}
END_TEST

START_TEST(test_keeps_and_breaks)
{
    test_fo t = test_build_flow(
        "<fo:block id='k' keep-with-next='always' keep-together.within-page='always'>x</fo:block>"
        "<fo:block id='k2' keep-with-next.within-page='always' keep-with-previous='5'>x</fo:block>"
        "<fo:block id='n' break-before='page' break-after='odd-page' widows='3' orphans='4'>x</fo:block>"
        "<fo:block id='plain'>x</fo:block>");
    const wb_style *k = test_style(&t, "k");
    ck_assert_int_eq(k->keep_with_next, WB_KEEP_ALWAYS);
    ck_assert_int_eq(k->keep_together, WB_KEEP_ALWAYS);
    const wb_style *k2 = test_style(&t, "k2");
    ck_assert_int_eq(k2->keep_with_next, WB_KEEP_ALWAYS);
    ck_assert_int_eq(k2->keep_with_previous, 5);
    const wb_style *n = test_style(&t, "n");
    ck_assert_int_eq(n->break_before, BREAK_PAGE);
    ck_assert_int_eq(n->break_after, BREAK_ODD_PAGE);
    ck_assert_int_eq(n->widows, 3);
    ck_assert_int_eq(n->orphans, 4);
    const wb_style *plain = test_style(&t, "plain");
    ck_assert_int_eq(plain->keep_with_next, WB_KEEP_AUTO);
    ck_assert_int_eq(plain->break_before, BREAK_AUTO);
    ck_assert_int_eq(plain->widows, 2);
    test_free(&t);
}
END_TEST

/* The table is searched by bisection, and ranks the shorthands: the broadest first. */
START_TEST(test_property_table)
{
    ck_assert(fo_property_table_is_sorted());
    ck_assert_int_eq(fo_property_pass(fo_property_find("border"), "border"), PASS_WHOLE);
    ck_assert_int_eq(fo_property_pass(fo_property_find("border-width"), "border-width"), PASS_ASPECT);
    ck_assert_int_eq(fo_property_pass(fo_property_find("border-top"), "border-top"), PASS_SIDE);
    ck_assert_int_eq(fo_property_pass(fo_property_find("border-top-width"), "border-top-width"),
                     PASS_PROPERTY);
    ck_assert_int_eq(fo_property_pass(fo_property_find("border-separation.block-progression-direction"),
                                      "border-separation.block-progression-direction"),
                     PASS_PROPERTY);
    ck_assert_ptr_nonnull(fo_property_find("space-before.conditionality"));
    ck_assert_ptr_nonnull(fo_property_find("master-name"));
    ck_assert_ptr_null(fo_property_find("frobnication"));
}
END_TEST

/* ---- diagnostics ---- */

START_TEST(test_unknown_property_warned_once)
{
    char *text = NULL;
    ck_assert_int_ge(asprintf(&text, "%s%s%s", FO_HEAD,
                              "<fo:block id='a'>x</fo:block>\n"
                              "<fo:block id='b' frobnication='3'>x</fo:block>\n"
                              "<fo:block id='c' frobnication='4'>x</fo:block>\n",
                              FO_TAIL),
                     0);
    test_fo t = test_build(text);
    ck_assert_ptr_nonnull(t.tree);
    char *diags = test_diags_text(t.ctx);
    const wb_diagnostic *d = NULL;
    ck_assert_msg(test_count_diags(t.ctx, WB_SEV_WARNING, "frobnication", &d) == 1, "%s", diags);
    ck_assert_int_eq(d->line, test_line_of(text, "frobnication='3'"));
    ck_assert_str_eq(d->file, "mem.fo");
    /* a warning is not an error */
    ck_assert_int_eq(wb_ctx_status(t.ctx), WB_OK);
    free(diags);
    free(text);
    test_free(&t);
}
END_TEST

START_TEST(test_invalid_value_warned)
{
    char *text = NULL;
    ck_assert_int_ge(asprintf(&text, "%s%s%s", FO_HEAD,
                              "<fo:block id='a'>x</fo:block>\n"
                              "<fo:block id='b' font-weight='heavy' space-before='lots'>x</fo:block>\n",
                              FO_TAIL),
                     0);
    test_fo t = test_build(text);
    ck_assert_ptr_nonnull(t.tree);
    char *diags = test_diags_text(t.ctx);
    const wb_diagnostic *d = NULL;
    ck_assert_msg(test_count_diags(t.ctx, WB_SEV_WARNING, "heavy", &d) == 1, "%s", diags);
    ck_assert_int_eq(d->line, test_line_of(text, "heavy"));
    ck_assert_msg(test_count_diags(t.ctx, WB_SEV_WARNING, "lots", NULL) == 1, "%s", diags);
    /* the invalid value is ignored: the initial value stays */
    ck_assert_int_eq(test_style(&t, "b")->font_weight, 400);
    ck_assert_near(test_style(&t, "b")->space_before.opt, 0);
    free(diags);
    free(text);
    test_free(&t);
}
END_TEST

START_TEST(test_unknown_fo_element_warned)
{
    char *text = NULL;
    ck_assert_int_ge(asprintf(&text, "%s%s%s", FO_HEAD,
                              "<fo:block id='a'>x</fo:block>\n"
                              "<fo:frobnicator id='f'><fo:block id='lost'>y</fo:block></fo:frobnicator>\n"
                              "<fo:block id='z'>x</fo:block>\n",
                              FO_TAIL),
                     0);
    test_fo t = test_build(text);
    ck_assert_ptr_nonnull(t.tree);
    char *diags = test_diags_text(t.ctx);
    const wb_diagnostic *d = NULL;
    ck_assert_msg(test_count_diags(t.ctx, WB_SEV_WARNING, "frobnicator", &d) == 1, "%s", diags);
    ck_assert_int_eq(d->line, test_line_of(text, "<fo:frobnicator"));
    ck_assert_int_eq(wb_ctx_status(t.ctx), WB_OK);
    /* the siblings are still there */
    ck_assert_ptr_nonnull(test_by_id_in(t.tree->root, "z"));
    free(diags);
    free(text);
    test_free(&t);
}
END_TEST

START_TEST(test_foreign_element_warned)
{
    char *text = NULL;
    ck_assert_int_ge(asprintf(&text, "%s%s%s", FO_HEAD,
                              "<fo:block id='a'>x <h:b xmlns:h='urn:html'>bold</h:b></fo:block>\n",
                              FO_TAIL),
                     0);
    test_fo t = test_build(text);
    ck_assert_ptr_nonnull(t.tree);
    char *diags = test_diags_text(t.ctx);
    ck_assert_msg(test_count_diags(t.ctx, WB_SEV_WARNING, "h:b", NULL) == 1, "%s", diags);
    free(diags);
    free(text);
    test_free(&t);
}
END_TEST

START_TEST(test_source_position_of_warning)
{
    /* a style may copy the course position onto the FO: warnings point there */
    test_fo t = test_build_flow(
        "<fo:block xmlns:wb='urn:x-workbook:xslt' wb:source='course.xml:12:5'>"
        "  <fo:block id='c' mystery-property='1'>x</fo:block>"
        "</fo:block>");
    char *diags = test_diags_text(t.ctx);
    const wb_diagnostic *d = NULL;
    ck_assert_msg(test_count_diags(t.ctx, WB_SEV_WARNING, "mystery-property", &d) == 1, "%s", diags);
    ck_assert_str_eq(d->file, "course.xml");
    ck_assert_int_eq(d->line, 12);
    ck_assert_int_eq(d->col, 5);
    free(diags);
    test_free(&t);
}
END_TEST

START_TEST(test_not_fo)
{
    const char *docs[] = {
        "<html><body/></html>",
        "<root xmlns='urn:not-fo'/>",
        "<fo:block xmlns:fo='http://www.w3.org/1999/XSL/Format'/>",
        /* an fo:root without masters or page sequence is no document either */
        "<fo:root xmlns:fo='http://www.w3.org/1999/XSL/Format'><fo:layout-master-set/></fo:root>",
    };
    for (size_t i = 0; i < sizeof docs / sizeof *docs; i++) {
        test_fo t = test_build(docs[i]);
        ck_assert_msg(t.tree == NULL, "accepted: %s", docs[i]);
        ck_assert_int_eq(wb_ctx_status(t.ctx), WB_ERR_INPUT);
        size_t n = 0;
        const wb_diagnostic *d = wb_ctx_diagnostics(t.ctx, &n);
        ck_assert_uint_ge(n, 1);
        ck_assert_int_eq(d[0].severity, WB_SEV_ERROR);
        test_free(&t);
    }
}
END_TEST

START_TEST(test_tree_shape)
{
    test_fo t = test_build_flow("<fo:block id='b'>Hello <fo:inline id='i'>big</fo:inline> world</fo:block>");
    ck_assert_int_eq(t.tree->root->kind, FO_ROOT);
    ck_assert_ptr_nonnull(wb_fo_child(t.tree->root, FO_LAYOUT_MASTER_SET));
    const wb_fo *seq = wb_fo_child(t.tree->root, FO_PAGE_SEQUENCE);
    ck_assert_ptr_nonnull(seq);
    ck_assert_str_eq(wb_fo_attr(seq, "master-reference"), "p");
    ck_assert_ptr_null(wb_fo_attr(seq, "no-such-attribute"));
    const wb_fo *b = test_by_id_in(t.tree->root, "b");
    ck_assert_int_eq(b->kind, FO_BLOCK);
    ck_assert_str_eq(wb_fo_kind_name(b->kind), "block");
    /* text, inline, text */
    ck_assert_int_eq(b->first->kind, FO_TEXT);
    ck_assert_str_eq(b->first->text, "Hello ");
    ck_assert_int_eq(b->first->next->kind, FO_INLINE);
    ck_assert_ptr_eq(b->first->next->parent, b);
    ck_assert_int_eq(b->last->kind, FO_TEXT);
    ck_assert_str_eq(b->last->text, " world");
    test_free(&t);
}
END_TEST

/* An element with more attributes than one of the tree's blocks holds keeps them all. */
START_TEST(test_thousands_of_attributes)
{
    GString *g = g_string_new("<fo:block xmlns:e='urn:x-test'");
    for (int i = 1; i <= 3000; i++)
        g_string_append_printf(g, " e:a%d='v%d'", i, i);
    g_string_append(g, ">x</fo:block>");
    test_fo t = test_build_flow(g->str);
    g_string_free(g, TRUE);
    const wb_fo *flow = wb_fo_child(wb_fo_child(t.tree->root, FO_PAGE_SEQUENCE), FO_FLOW);
    const wb_fo *b = wb_fo_child(flow, FO_BLOCK);
    ck_assert_uint_eq(b->attribute_count, 3000);
    ck_assert_str_eq(wb_fo_attr_ns(b, "urn:x-test", "a1"), "v1");
    ck_assert_str_eq(wb_fo_attr_ns(b, "urn:x-test", "a3000"), "v3000");
    ck_assert_str_eq(b->first->text, "x");
    test_free(&t);
}
END_TEST

/* ---- the tree built as a parser reads the file ---- */

/* The tree as text: every object's kind, line, attributes, text, foreign content and the
 * main properties of its style, depth first. */
static void tree_text(GString *g, const wb_fo *fo, int depth)
{
    for (; fo; fo = fo->next) {
        g_string_append_printf(g, "%*s%s@%d", depth, "", wb_fo_kind_name(fo->kind), fo->line);
        if (fo->id)
            g_string_append_printf(g, " #%s", fo->id);
        for (unsigned i = 0; i < fo->attribute_count; i++)
            g_string_append_printf(g, " {%s}%s=%s", fo->attributes[i].ns ? fo->attributes[i].ns : "",
                                   fo->attributes[i].name, fo->attributes[i].value ? fo->attributes[i].value : "(none)");
        if (fo->text)
            g_string_append_printf(g, " \"%s\"", fo->text);
        if (fo->foreign)
            g_string_append_printf(g, " <%s> with %lu children", (const char *)fo->foreign->name,
                                   xmlChildElementCount(fo->foreign));
        if (fo->style)
            g_string_append_printf(g, " [%s %g %d %s %g %g %g]", fo->style->font_family ? fo->style->font_family : "-",
                                   fo->style->font_size, fo->style->font_weight, fo->style->lang ? fo->style->lang : "-",
                                   fo->style->start_indent.pt, fo->style->space_before.opt, fo->style->line_height);
        g_string_append_c(g, '\n');
        tree_text(g, fo->first, depth + 1);
    }
}

static bool stream_streams(void *b, xmlNodePtr e) { return wb_fo_builder_streams(b, e); }
static bool stream_start(void *b, xmlNodePtr e) { return wb_fo_builder_start(b, e); }
static bool stream_node(void *b, xmlNodePtr n) { return wb_fo_builder_node(b, n); }
static bool stream_end(void *b) { return wb_fo_builder_end(b); }

/* The tree of a built tree as text (NULL for none), freeing the tree. */
static char *tree_text_of(wb_fo_tree *tree)
{
    if (!tree)
        return NULL;
    GString *g = g_string_new(NULL);
    tree_text(g, tree->root, 0);
    wb_fo_tree_free(tree);
    return g_string_free(g, FALSE);
}

/* The messages without their columns: the streaming parser places some of its errors a few
 * characters on. */
static char *without_columns(char *diags)
{
    GRegex *re = g_regex_new(":([0-9]+):[0-9]+ ", 0, 0, NULL);
    char *out = g_regex_replace(re, diags, -1, 0, ":\\1 ", 0, NULL);
    g_regex_unref(re);
    free(diags);
    return out;
}

/* The tree of `path` read whole and read as a stream, as text, with the messages of each
 * (without columns). */
static void both_ways(const char *path, char **whole, char **streamed, char **diags_whole, char **diags_streamed)
{
    wb_ctx *ctx = wb_ctx_new();
    xmlDocPtr doc = wb_load_xml(ctx, path);
    wb_fo_tree *tree = doc && wb_check_tree(ctx, doc) ? wb_fo_tree_new(ctx, doc, path) : NULL;
    xmlFreeDoc(doc); /* the tree keeps nothing of it */
    *whole = tree_text_of(tree);
    *diags_whole = without_columns(test_diags_text(ctx));
    wb_ctx_free(ctx);

    ctx = wb_ctx_new();
    wb_fo_builder *b = wb_fo_builder_new(ctx, path);
    wb_xml_stream s = {stream_streams, stream_start, stream_node, stream_end, b};
    wb_load_xml_stream(ctx, path, &s);
    *streamed = tree_text_of(wb_fo_builder_finish(b));
    *diags_streamed = without_columns(test_diags_text(ctx));
    wb_ctx_free(ctx);
}

/* Every FO file of the tests, the hostile ones too, gives the same tree and the same
 * messages whether read whole or as a stream. */
START_TEST(test_streamed_tree_is_the_whole_tree)
{
    const char *globs[] = {"tests/fo/*.fo", "tests/data/e2e/*.fo", "tests/data/hostile/fo/*.fo"};
    int files = 0;
    for (size_t gi = 0; gi < G_N_ELEMENTS(globs); gi++) {
        glob_t gl;
        if (glob(wb_test_path(globs[gi]), 0, NULL, &gl) != 0)
            continue;
        for (size_t i = 0; i < gl.gl_pathc; i++) {
            char *whole, *streamed, *dw, *ds;
            both_ways(gl.gl_pathv[i], &whole, &streamed, &dw, &ds);
            ck_assert_msg((!whole && !streamed) || (whole && streamed && !strcmp(whole, streamed)),
                          "%s: the trees differ:\n--- whole\n%.3000s\n--- streamed\n%.3000s", gl.gl_pathv[i],
                          whole ? whole : "(none)", streamed ? streamed : "(none)");
            ck_assert_msg(!strcmp(dw, ds), "%s: the messages differ:\n--- whole\n%s\n--- streamed\n%s",
                          gl.gl_pathv[i], dw, ds);
            files++;
            g_free(whole);
            g_free(streamed);
            g_free(dw);
            g_free(ds);
        }
        globfree(&gl);
    }
    ck_assert_int_ge(files, 100);
}
END_TEST

static Suite *fo_suite(void)
{
    Suite *s = suite_create("fo");
    TCase *tc = tcase_create("values");
    tcase_add_test(tc, test_thousands_of_attributes);
    tcase_add_test(tc, test_streamed_tree_is_the_whole_tree);
    tcase_add_test(tc, test_length_units);
    tcase_add_test(tc, test_length_percent);
    tcase_add_test(tc, test_length_expressions);
    tcase_add_test(tc, test_length_invalid);
    tcase_add_test(tc, test_colors);
    tcase_add_test(tc, test_colors_invalid);
    suite_add_tcase(s, tc);
    tc = tcase_create("tree");
    tcase_add_test(tc, test_inheritance);
    tcase_add_test(tc, test_em_relative_to_parent);
    tcase_add_test(tc, test_line_height_and_language_inherit);
    tcase_add_test(tc, test_start_indent_from_margin_padding_border);
    tcase_add_test(tc, test_space_from_margin);
    tcase_add_test(tc, test_border_shorthand_and_side);
    tcase_add_test(tc, test_precise_shorthand_wins_in_any_order);
    tcase_add_test(tc, test_conditionality_of_padding_and_border);
    tcase_add_test(tc, test_background_image_properties);
    tcase_add_test(tc, test_keeps_and_breaks);
    tcase_add_test(tc, test_property_table);
    tcase_add_test(tc, test_tree_shape);
    suite_add_tcase(s, tc);
    tc = tcase_create("diagnostics");
    tcase_add_test(tc, test_unknown_property_warned_once);
    tcase_add_test(tc, test_invalid_value_warned);
    tcase_add_test(tc, test_unknown_fo_element_warned);
    tcase_add_test(tc, test_foreign_element_warned);
    tcase_add_test(tc, test_source_position_of_warning);
    tcase_add_test(tc, test_not_fo);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return wb_test_main(fo_suite()); }
