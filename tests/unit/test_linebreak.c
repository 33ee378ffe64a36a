/* Unit tests of the line breaker (total fit over pango-shaped words) and, end to end
 * through the formatter, of the stress case: the three raw seed texts justified and
 * hyphenated in their language in a 60 mm column. */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <pango/pangocairo.h>

#include "format/linebreak.h"
#include "unit/support.h"

static PangoFontMap *fontmap;
static PangoContext *pc;
static lb_cache *cache;

static void setup(void)
{
    fontmap = pango_cairo_font_map_new();
    pc = pango_font_map_create_context(fontmap);
    pango_cairo_context_set_resolution(pc, 72);
    cache = lb_cache_new();
}

static void teardown(void)
{
    lb_cache_free(cache);
    g_object_unref(pc);
    g_object_unref(fontmap);
}

static PangoAttrList *font(const char *desc)
{
    PangoAttrList *attrs = pango_attr_list_new();
    PangoFontDescription *fd = pango_font_description_from_string(desc);
    pango_attr_list_insert(attrs, pango_attr_font_desc_new(fd));
    pango_font_description_free(fd);
    return attrs;
}

static GArray *break_text(const char *text, double width, wb_align align, bool wrap)
{
    PangoAttrList *attrs = font("PT Serif 10");
    GArray *lines = g_array_new(FALSE, TRUE, sizeof(lb_line));
    lb_params pp = {.width = width, .align = align, .align_last = align == ALIGN_JUSTIFY ? ALIGN_START : align,
                    .wrap = wrap, .lang = "fr"};
    lb_break(pc, cache, text, (int)strlen(text), attrs, &pp, lines);
    pango_attr_list_unref(attrs);
    return lines;
}

static void free_lines(GArray *lines)
{
    for (guint i = 0; i < lines->len; i++)
        wb_line_unref(g_array_index(lines, lb_line, i).line);
    g_array_free(lines, TRUE);
}

static const char *const para =
    "Un client entretient avec l\xE2\x80\x99" "entreprise une relation durable et personnelle, fond\xC3\xA9" "e sur "
    "la confiance. Un acheteur, lui, passe une fois, ach\xC3\xA8te et repart. La diff\xC3\xA9rence para\xC3\xAEt "
    "subtile, mais elle change tout dans la mani\xC3\xA8re de tra\xC2\xADvail\xC2\xADler : perdre un client co\xC3\xBBte "
    "beau\xC2\xAD" "coup plus cher que perdre un ache\xC2\xADteur de pas\xC2\xADsage.";

START_TEST(justified_lines_fill_the_measure)
{
    GArray *lines = break_text(para, 170, ALIGN_JUSTIFY, true);
    ck_assert_uint_ge(lines->len, 3);
    for (guint i = 0; i + 1 < lines->len; i++) {
        lb_line *l = &g_array_index(lines, lb_line, i);
        ck_assert_msg(fabs(l->line->width - 170) < 0.05, "line %u is %.2f wide", i, l->line->width);
    }
    /* the last line keeps its natural spacing: the same text set ragged is as wide */
    lb_line *last = &g_array_index(lines, lb_line, lines->len - 1);
    char *tail = g_strndup(para + last->start, (gsize)(last->end - last->start));
    GArray *alone = break_text(tail, 1000, ALIGN_START, false);
    ck_assert_uint_eq(alone->len, 1);
    ck_assert_msg(fabs(g_array_index(alone, lb_line, 0).line->width - last->line->width) < 0.05,
                  "last line %.2f, natural %.2f", last->line->width, g_array_index(alone, lb_line, 0).line->width);
    free_lines(alone);
    g_free(tail);
    free_lines(lines);
}
END_TEST

START_TEST(nothing_lost_or_doubled)
{
    GArray *lines = break_text(para, 120, ALIGN_START, true);
    /* the lines' ranges cover the paragraph, each break dropping only its space */
    int at = 0;
    for (guint i = 0; i < lines->len; i++) {
        lb_line *l = &g_array_index(lines, lb_line, i);
        ck_assert_int_ge(l->start, at);
        ck_assert_int_le(l->start - at, 1);
        ck_assert_msg(l->line->width <= 120.05, "line %u is %.2f wide", i, l->line->width);
        at = l->end;
    }
    ck_assert_int_ge(at, (int)strlen(para) - 1);
    free_lines(lines);
}
END_TEST

START_TEST(soft_hyphen_gives_a_visible_hyphen)
{
    /* a measure that makes "travailler" break at its soft hyphen */
    bool seen = false;
    for (double w = 90; w < 200 && !seen; w += 1) {
        GArray *lines = break_text(para, w, ALIGN_JUSTIFY, true);
        for (guint i = 0; i + 1 < lines->len; i++) {
            const wb_line *l = g_array_index(lines, lb_line, i).line;
            size_t n = strlen(l->text);
            if (n && l->text[n - 1] == '-') {
                seen = true;
                ck_assert_msg(fabs(l->width - w) < 0.05, "hyphenated line %.2f wide in %.0f", l->width, w);
            }
        }
        free_lines(lines);
    }
    ck_assert(seen);
}
END_TEST

START_TEST(token_too_long_is_broken_and_reported)
{
    const char *t = "Voici supercalifragilisticexpialidociouxetencoreplusloinquecela une fin.";
    GArray *lines = break_text(t, 80, ALIGN_START, true);
    bool emergency = false;
    for (guint i = 0; i < lines->len; i++) {
        lb_line *l = &g_array_index(lines, lb_line, i);
        ck_assert_msg(l->line->width <= 80.05, "line %u is %.2f wide: %s", i, l->line->width, l->line->text);
        emergency = emergency || l->emergency;
    }
    ck_assert(emergency);
    free_lines(lines);
}
END_TEST

START_TEST(no_wrap_keeps_one_line)
{
    GArray *lines = break_text("une ligne de code qui ne doit jamais passer \xC3\xA0 la ligne", 50, ALIGN_START, false);
    ck_assert_uint_eq(lines->len, 1);
    ck_assert(g_array_index(lines, lb_line, 0).line->width > 50);
    free_lines(lines);
}
END_TEST

/* text-align inside / outside: toward or away from the binding, which changes side from odd
 * to even pages */
START_TEST(inside_and_outside_mirror)
{
    PangoAttrList *attrs = font("PT Serif 10");
    GArray *lines = g_array_new(FALSE, TRUE, sizeof(lb_line));
    lb_params pp = {.width = 200, .align = ALIGN_OUTSIDE, .align_last = ALIGN_OUTSIDE, .wrap = true, .lang = "en"};
    lb_break(pc, cache, "Short line", 10, attrs, &pp, lines);
    lb_line *l = &g_array_index(lines, lb_line, 0);
    ck_assert_msg(fabs(l->x + l->line->width - 200) < 0.05, "outside, odd page: flush right");
    ck_assert_msg(fabs(l->x_even) < 0.05, "outside, even page: flush left");
    free_lines(lines);
    lines = g_array_new(FALSE, TRUE, sizeof(lb_line));
    pp.align = pp.align_last = ALIGN_INSIDE;
    lb_break(pc, cache, "Short line", 10, attrs, &pp, lines);
    l = &g_array_index(lines, lb_line, 0);
    ck_assert(fabs(l->x) < 0.05 && fabs(l->x_even + l->line->width - 200) < 0.05);
    free_lines(lines);
    pango_attr_list_unref(attrs);
}
END_TEST

START_TEST(x_ranges_follow_the_glyphs)
{
    GArray *lines = break_text("abc def ghi", 1000, ALIGN_START, false);
    const wb_line *l = g_array_index(lines, lb_line, 0).line;
    double r[8];
    int n = lb_x_ranges(l, 4, 7, r, 4); /* "def" */
    ck_assert_int_eq(n, 1);
    ck_assert(r[0] > 5 && r[1] > r[0] && r[1] < l->width - 5);
    free_lines(lines);
}
END_TEST

/* Spans (phrases in another language): no glyph run crosses their ends, even inside a word and
 * where pango would not split (no language attribute here), the runs inside carry the span's
 * node, and the lines are the same as without spans. */
START_TEST(runs_follow_the_spans)
{
    const char *text = "Before the service the chef reminds everyone that la mise en place est la cl\xC3\xA9 of a calm "
                       "evening, and half-words like sub\xC2\xADpre\xC2\xADparation too.";
    int fr = (int)(strstr(text, "la mise") - text), fr_end = (int)(strstr(text, " of a") - text);
    int half = (int)(strstr(text, "pre") - text);
    lb_span spans[] = {{fr, fr_end, 7}, {half, half + 3, 9}};
    PangoAttrList *attrs = font("PT Serif 10");
    lb_params pp = {.width = 120, .align = ALIGN_JUSTIFY, .align_last = ALIGN_START, .wrap = true, .lang = "en"};
    GArray *plain = g_array_new(FALSE, TRUE, sizeof(lb_line)), *lines = g_array_new(FALSE, TRUE, sizeof(lb_line));
    lb_break(pc, cache, text, (int)strlen(text), attrs, &pp, plain);
    pp.spans = spans;
    pp.span_count = 2;
    lb_break(pc, cache, text, (int)strlen(text), attrs, &pp, lines);
    ck_assert_uint_eq(lines->len, plain->len);
    ck_assert_uint_ge(lines->len, 3);
    GString *in7 = g_string_new(NULL);
    int seen9 = 0;
    for (guint i = 0; i < lines->len; i++) {
        const lb_line *l = &g_array_index(lines, lb_line, i), *p = &g_array_index(plain, lb_line, i);
        ck_assert_int_eq(l->start, p->start);
        ck_assert_int_eq(l->end, p->end);
        ck_assert_msg(fabs(l->line->width - p->line->width) < 0.01, "line %u: %.2f, without spans %.2f", i,
                      l->line->width, p->line->width);
        for (size_t r = 0; r < l->line->count; r++) {
            const wb_glyph_run *run = &l->line->runs[r];
            int s = l->line->text_start + run->glyphs->item->offset, e = s + run->glyphs->item->length;
            if (e > (int)strlen(text) || strncmp(text + s, l->line->text + run->glyphs->item->offset, (size_t)(e - s)))
                continue; /* a hyphen added at the line's end */
            int want = s >= fr && e <= fr_end ? 7 : s >= half && e <= half + 3 ? 9 : 0;
            ck_assert_msg(want || e <= fr || s >= fr_end, "run [%d, %d) crosses the span [%d, %d)", s, e, fr, fr_end);
            ck_assert_msg(want || e <= half || s >= half + 3, "run [%d, %d) crosses [%d, %d)", s, e, half, half + 3);
            ck_assert_int_eq(run->node, want);
            if (want == 7)
                g_string_append_len(in7, text + s, e - s);
            seen9 += want == 9;
        }
    }
    ck_assert_int_eq(seen9, 1);
    /* the phrase whole (the line break takes a space) */
    char *phrase = g_strndup(text + fr, (gsize)(fr_end - fr));
    char **words = g_strsplit(phrase, " ", -1), *joined = g_strjoinv("", words);
    char **got_words = g_strsplit(in7->str, " ", -1), *got = g_strjoinv("", got_words);
    ck_assert_str_eq(got, joined);
    g_free(got);
    g_strfreev(got_words);
    g_free(joined);
    g_strfreev(words);
    g_free(phrase);
    g_string_free(in7, TRUE);
    free_lines(plain);
    free_lines(lines);
    pango_attr_list_unref(attrs);
}
END_TEST

/* The stress case, through the command line: no word outside the 60 mm column, hyphens at
 * line ends, and every word of the source text present. */
START_TEST(seed_texts_in_a_narrow_column)
{
    static const char *const langs[] = {"fr", "ru", "bg"};
    const char *lang = langs[_i];
    char *cmd = g_strdup_printf("'%s' render '%s' --dump", wb_test_bin(),
                                wb_test_path(g_strdup_printf("tests/data/seeds/seed-%s.fo", lang)));
    char *out = NULL;
    ck_assert_int_eq(wb_test_run(cmd, &out, false), 0);
    /* the column: 20 mm from the left of a 100 mm page, 60 mm wide */
    double left = 20 * 72 / 25.4, right = 80 * 72 / 25.4;
    int lines = 0, hyphenated = 0, consecutive = 0;
    bool prev_h = false;
    for (char *p = out; (p = strstr(p, "\n  text ")) != NULL; p++) {
        double x, y, w;
        ck_assert(sscanf(p, "\n  text %lf %lf %*f %*f w=%lf", &x, &y, &w) == 3);
        ck_assert_msg(x >= left - 0.05 && x + w <= right + 0.05, "%s: a line from %.1f to %.1f", lang, x, x + w);
        char *eol = strchr(p + 1, '\n');
        bool h = eol && eol[-1] == '"' && eol[-2] == '-';
        hyphenated += h;
        consecutive += h && prev_h;
        prev_h = h;
        lines++;
    }
    ck_assert_int_gt(lines, 100);
    ck_assert_msg(hyphenated >= lines / 20, "%s: %d of %d lines hyphenated", lang, hyphenated, lines);
    /* consecutive hyphens are discouraged, not forbidden */
    ck_assert_msg(consecutive * 3 <= hyphenated, "%s: %d consecutive of %d hyphenated", lang, consecutive, hyphenated);
    free(out);
    g_free(cmd);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("linebreak");
    TCase *tc = tcase_create("lines");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, justified_lines_fill_the_measure);
    tcase_add_test(tc, nothing_lost_or_doubled);
    tcase_add_test(tc, soft_hyphen_gives_a_visible_hyphen);
    tcase_add_test(tc, token_too_long_is_broken_and_reported);
    tcase_add_test(tc, no_wrap_keeps_one_line);
    tcase_add_test(tc, x_ranges_follow_the_glyphs);
    tcase_add_test(tc, inside_and_outside_mirror);
    tcase_add_test(tc, runs_follow_the_spans);
    tcase_set_timeout(tc, 120);
    tcase_add_loop_test(tc, seed_texts_in_a_narrow_column, 0, 3);
    suite_add_tcase(s, tc);
    int failed = wb_test_run_suite(s);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
