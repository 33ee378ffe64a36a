/* The editions as a trainer hands them out, on the course of tests/data/editions (four
 * languages; tokens in capitals mark what is looked for), read back with pdftotext -bbox:
 *
 * - pages: no short exercise split over two pages (each has a start and an end token), no
 *   first or last bullet of a list and no last observer-sheet row alone at a page break, on
 *   A4 and A5;
 * - a long exercise repeats its title with "(continued)", in the edition's language, in the
 *   head of each page it goes on over, and no other page says so;
 * - running heads on one line, here and in the shipped courses: the long module title cut
 *   with an ellipsis, the module with a <short-title> shown by it;
 * - role-play briefs only on their own role cards (one a page, the role's name in large
 *   type) and in the trainer guide, never in the participant workbook;
 * - a reference to what the edition leaves out names the edition that has it; a generated
 *   instruction only where the author wrote none;
 * - no English generated word in the French, Russian and Bulgarian editions;
 * - the sign-in sheet and the feedback form, built alone and from a catalogue; the trainer's
 *   timing plan in clock times. */
#include <check.h>
#include <glib.h>
#include <libxml/parser.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unit/support.h"

#define COURSE "tests/data/editions/course.xml"

static const char *const langs[] = {"en", "fr", "ru", "bg"};

/* where the body starts, from the top of the page (pt): common.xsl's margin-top + body-top */
static double body_top(const char *paper)
{
    return (strcmp(paper, "A5") == 0 ? 9 + 13 : 12 + 17) * 72 / 25.4;
}

typedef struct word {
    int page;
    double x0, y0, x1, y1;
    char *text;
} word;

typedef struct pdf_words {
    GArray *words; /* word */
    int pages;
} pdf_words;

static char *tmp;

static void setup(void) { tmp = wb_test_tmpdir(); }

static void teardown(void)
{
    wb_test_rmtree(tmp);
    free(tmp);
}

/* Runs a command; fails the test unless it exits 0; returns its output. */
#define run(...) wb_test_run_ok(false, __VA_ARGS__)

/* Builds an edition of the test course; returns the PDF's path (g_free). */
static char *build(const char *lang, const char *edition, const char *paper, const char *extra)
{
    char *pdf = g_strdup_printf("%s/%s-%s-%s.pdf", tmp, lang, edition, paper);
    char *out = run("'%s' build '%s' --lang %s --edition %s --paper %s %s -q -o '%s' 2>&1", wb_test_bin(),
                    wb_test_path(COURSE), lang, edition, paper, extra ? extra : "", pdf);
    free(out);
    return pdf;
}

static char *unescape(const char *s, size_t n)
{
    GString *g = g_string_new(NULL);
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '&') {
            const char *e[][2] = {{"&amp;", "&"}, {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&apos;", "'"}};
            bool done = false;
            for (size_t k = 0; k < G_N_ELEMENTS(e) && !done; k++)
                if (!strncmp(s + i, e[k][0], strlen(e[k][0]))) {
                    g_string_append(g, e[k][1]);
                    i += strlen(e[k][0]) - 1;
                    done = true;
                }
            if (done)
                continue;
        }
        g_string_append_c(g, s[i]);
    }
    return g_string_free(g, FALSE);
}

static pdf_words *read_words(const char *pdf)
{
    char *html = run("pdftotext -bbox '%s' -", pdf);
    pdf_words *pw = g_new0(pdf_words, 1);
    pw->words = g_array_new(FALSE, FALSE, sizeof(word));
    const char *next_page = strstr(html, "<page ");
    for (const char *p = html; (p = strstr(p, "<word ")) != NULL; p++) {
        while (next_page && next_page < p) {
            pw->pages++;
            next_page = strstr(next_page + 1, "<page ");
        }
        word w = {.page = pw->pages};
        ck_assert(sscanf(p, "<word xMin=\"%lf\" yMin=\"%lf\" xMax=\"%lf\" yMax=\"%lf\"", &w.x0, &w.y0, &w.x1, &w.y1) == 4);
        const char *t = strchr(p, '>') + 1;
        const char *e = strstr(t, "</word>");
        w.text = unescape(t, (size_t)(e - t));
        g_array_append_val(pw->words, w);
    }
    while (next_page) {
        pw->pages++;
        next_page = strstr(next_page + 1, "<page ");
    }
    free(html);
    return pw;
}

static void free_words(pdf_words *pw)
{
    for (guint i = 0; i < pw->words->len; i++)
        g_free(g_array_index(pw->words, word, i).text);
    g_array_free(pw->words, TRUE);
    g_free(pw);
}

static word *word_at(pdf_words *pw, guint i) { return &g_array_index(pw->words, word, i); }

/* The first (or last) page with a word holding `token`; 0 when none. */
static int page_of(pdf_words *pw, const char *token, bool last)
{
    int found = 0;
    for (guint i = 0; i < pw->words->len; i++)
        if (strstr(word_at(pw, i)->text, token)) {
            found = word_at(pw, i)->page;
            if (!last)
                break;
        }
    return found;
}

/* The words of a page between y0 and y1 (pt from the top), one space between; g_free. */
static char *band_text(pdf_words *pw, int page, double y0, double y1)
{
    GString *g = g_string_new(NULL);
    for (guint i = 0; i < pw->words->len; i++) {
        word *w = word_at(pw, i);
        if (w->page == page && w->y0 >= y0 && w->y1 <= y1) {
            if (g->len)
                g_string_append_c(g, ' ');
            g_string_append(g, w->text);
        }
    }
    return g_string_free(g, FALSE);
}

/* Text with runs of white space made one space and no soft hyphens; g_free. */
static char *squeeze(const char *s)
{
    GString *g = g_string_new(NULL);
    bool space = false;
    for (; *s; s++) {
        if (*s == ' ' || *s == '\n' || *s == '\t' || *s == '\f' || (unsigned char)*s == 0xC2 /* nbsp */) {
            if ((unsigned char)*s == 0xC2 && (unsigned char)s[1] == 0xA0)
                s++;
            space = g->len > 0;
            continue;
        }
        if (space)
            g_string_append_c(g, ' ');
        space = false;
        g_string_append_c(g, *s);
    }
    return g_string_free(g, FALSE);
}

static char *all_text(const char *pdf)
{
    char *raw = run("pdftotext '%s' -", pdf);
    char *s = squeeze(raw);
    free(raw);
    return s;
}

/* A generated word of the styles in a language (g_free). */
static char *gen(const char *lang, const char *key)
{
    char *path = g_strdup_printf("styles/strings/%s.xml", lang);
    xmlDocPtr doc = xmlReadFile(wb_test_path(path), NULL, XML_PARSE_NONET);
    ck_assert_ptr_nonnull(doc);
    char *value = NULL;
    for (xmlNodePtr n = xmlDocGetRootElement(doc)->children; n && !value; n = n->next) {
        xmlChar *k = n->type == XML_ELEMENT_NODE ? xmlGetProp(n, BAD_CAST "key") : NULL;
        if (k && !strcmp((const char *)k, key)) {
            xmlChar *c = xmlNodeGetContent(n);
            value = squeeze((const char *)c);
            xmlFree(c);
        }
        xmlFree(k);
    }
    xmlFreeDoc(doc);
    g_free(path);
    ck_assert_msg(value != NULL, "no string %s in %s", key, lang);
    return value;
}

static int count_of(const char *text, const char *needle)
{
    int n = 0;
    for (const char *p = text; (p = strstr(p, needle)) != NULL; p += strlen(needle))
        n++;
    return n;
}

/* ---------------------------------------------------------------- pages */

static void check_pages(const char *lang, const char *paper)
{
    char *pdf = build(lang, "participant", paper, NULL);
    pdf_words *pw = read_words(pdf);
    for (int k = 0; k < 12; k++) {
        char s[32], e[32];
        snprintf(s, sizeof s, "S%dSTART", k);
        snprintf(e, sizeof e, "S%dEND", k);
        int ps = page_of(pw, s, false), pe = page_of(pw, e, false);
        ck_assert_msg(ps > 0 && pe > 0, "%s %s: %s or %s not found", lang, paper, s, e);
        ck_assert_msg(ps == pe, "%s %s: the short exercise %s starts on page %d and ends on page %d", lang, paper, s, ps,
                      pe);
        for (int b = 0; b < 4; b += 2) {
            char b0[16], b1[16];
            snprintf(b0, sizeof b0, "L%dB%d", k, b ? 2 : 0);
            snprintf(b1, sizeof b1, "L%dB%d", k, b ? 3 : 1);
            ck_assert_msg(page_of(pw, b0, false) == page_of(pw, b1, false),
                          "%s %s: bullet %s is on page %d, %s on page %d: a bullet alone at a page break", lang,
                          paper, b0, page_of(pw, b0, false), b1, page_of(pw, b1, false));
        }
    }
    ck_assert_msg(page_of(pw, "OBS8", false) == page_of(pw, "OBS7", false),
                  "%s %s: the last observer-sheet row is alone on its page", lang, paper);

    /* the long exercise: "(continued)" on each page it goes on over, and nowhere else */
    char *cont = gen(lang, "continued");
    char *marker = g_strdup_printf("(%s)", cont);
    int first = page_of(pw, "LONGX", false), last = page_of(pw, "LQ13", false);
    int role_first = page_of(pw, "ROLEX", false), role_last = page_of(pw, "OBS8", false);
    ck_assert_msg(last > first, "%s %s: the long exercise fits on page %d: the test needs it longer", lang, paper, first);
    double top = body_top(paper);
    int continued_pages = 0;
    for (int p = 1; p <= pw->pages; p++) {
        char *head = band_text(pw, p, 0, top);
        bool says = strstr(head, marker) != NULL;
        bool long_goes_on = p > first && p <= last;
        bool role_goes_on = p > role_first && p <= role_last;
        if (long_goes_on)
            ck_assert_msg(says && strstr(head, "LONGX"), "%s %s: page %d goes on with the long exercise, its head is \"%s\"",
                          lang, paper, p, head);
        else if (role_goes_on)
            ck_assert_msg(says && strstr(head, "ROLEX"), "%s %s: page %d goes on with the role-play, its head is \"%s\"",
                          lang, paper, p, head);
        else
            ck_assert_msg(!says, "%s %s: page %d says \"%s\" in its head \"%s\"", lang, paper, p, marker, head);
        continued_pages += says;

        /* the running head on one line (and the line of the continuation below it) */
        GArray *lines = g_array_new(FALSE, FALSE, sizeof(double));
        for (guint i = 0; i < pw->words->len; i++) {
            word *w = word_at(pw, i);
            if (w->page != p || w->y1 > top)
                continue;
            bool known = false;
            for (guint l = 0; l < lines->len; l++)
                known |= fabs(g_array_index(lines, double, l) - w->y1) < 2;
            if (!known)
                g_array_append_val(lines, w->y1);
        }
        ck_assert_msg(lines->len <= 1 + (guint)says, "%s %s: the head of page %d takes %u lines: \"%s\"", lang, paper,
                      p, lines->len, head);
        g_array_free(lines, TRUE);
        g_free(head);
    }
    ck_assert_int_ge(continued_pages, 1);

    /* the long title cut with an ellipsis; the short title where there is one */
    bool ellipsis = false, short_head = false;
    for (int p = 1; p <= pw->pages; p++) {
        char *head = band_text(pw, p, 0, top);
        ellipsis |= strstr(head, "…") != NULL;
        short_head |= strstr(head, "SHORTHEAD") != NULL;
        g_free(head);
    }
    ck_assert_msg(ellipsis, "%s %s: no running head cuts the long module title", lang, paper);
    ck_assert_msg(short_head, "%s %s: no running head shows the <short-title>", lang, paper);
    g_free(marker);
    g_free(cont);
    free_words(pw);
    g_free(pdf);
}

START_TEST(pages_a4)
{
    check_pages(langs[_i], "A4");
}
END_TEST

START_TEST(pages_a5)
{
    check_pages(langs[_i], "A5");
}
END_TEST

/* The shipped courses' running heads, on the smallest paper: each on one line, with at most
 * the line of a continuation below it. */
START_TEST(shipped_heads_on_one_line)
{
    const char *lang = langs[_i % 4];
    const char *course = _i < 4 ? "courses/fruitful-client-relations/course.xml" : "courses/keeping-promises/course.xml";
    char *pdf = g_strdup_printf("%s/shipped-%d.pdf", tmp, _i);
    free(run("'%s' build '%s' --lang %s --paper A5 -q -o '%s' 2>&1", wb_test_bin(), wb_test_path(course), lang, pdf));
    pdf_words *pw = read_words(pdf);
    char *cont = gen(lang, "continued");
    double top = body_top("A5");
    for (int p = 1; p <= pw->pages; p++) {
        char *head = band_text(pw, p, 0, top);
        GArray *lines = g_array_new(FALSE, FALSE, sizeof(double));
        for (guint i = 0; i < pw->words->len; i++) {
            word *w = word_at(pw, i);
            bool known = false;
            for (guint l = 0; w->page == p && w->y1 <= top && l < lines->len; l++)
                known |= fabs(g_array_index(lines, double, l) - w->y1) < 2;
            if (w->page == p && w->y1 <= top && !known)
                g_array_append_val(lines, w->y1);
        }
        ck_assert_msg(lines->len <= 1 + (guint)(strstr(head, cont) != NULL), "%s %s: the head of page %d takes %u lines: \"%s\"",
                      course, lang, p, lines->len, head);
        g_array_free(lines, TRUE);
        g_free(head);
    }
    g_free(cont);
    free_words(pw);
    g_free(pdf);
}
END_TEST

/* ---------------------------------------------------------------- role-plays */

START_TEST(role_briefs_for_their_players)
{
    const char *lang = langs[_i];
    char *pdf = build(lang, "participant", "A4", NULL);
    char *text = all_text(pdf);
    ck_assert_msg(strstr(text, "SITUTOKEN") && strstr(text, "ROLEONE") && strstr(text, "ROLETWO"),
                  "%s: the workbook lacks the situation or the roles' names", lang);
    ck_assert_msg(!strstr(text, "ZANZIBAR") && !strstr(text, "QUOKKA"), "%s: the workbook prints a role's brief", lang);
    g_free(text);
    g_free(pdf);

    pdf = build(lang, "exercises", "A4", NULL);
    pdf_words *pw = read_words(pdf);
    int p1 = page_of(pw, "ZANZIBAR", false), p2 = page_of(pw, "QUOKKA", false);
    ck_assert_msg(p1 > 0 && p2 > 0 && p1 != p2, "%s: the role cards are not one a page (%d, %d)", lang, p1, p2);
    ck_assert_int_eq(page_of(pw, "ZANZIBARLIST", true), p1);
    ck_assert_int_eq(page_of(pw, "QUOKKA", true), p2);
    double name_height = 0;
    for (guint i = 0; i < pw->words->len; i++)
        if (word_at(pw, i)->page == p1 && !strcmp(word_at(pw, i)->text, "ROLEONE"))
            name_height = MAX(name_height, word_at(pw, i)->y1 - word_at(pw, i)->y0);
    ck_assert_msg(name_height >= 18, "%s: the role's name on its card is %.1fpt high, not large", lang, name_height);
    free_words(pw);
    g_free(pdf);

    pdf = build(lang, "trainer", "A4", NULL);
    text = all_text(pdf);
    ck_assert_msg(strstr(text, "ZANZIBAR") && strstr(text, "QUOKKA"), "%s: the trainer guide lacks a brief", lang);
    g_free(text);
    g_free(pdf);
}
END_TEST

/* ---------------------------------------------------------------- words */

START_TEST(references_and_generated_instructions)
{
    const char *lang = langs[_i];
    char *pdf = build(lang, "exercises", "A4", NULL);
    char *text = all_text(pdf);
    char *where = gen(lang, "where-participant");
    ck_assert_msg(strstr(text, "CASETOKEN") && strstr(text, where),
                  "%s: the reference to the case, which the sheets leave out, does not say \"%s\"", lang, where);
    g_free(where);
    g_free(text);
    g_free(pdf);

    pdf = build(lang, "participant", "A4", NULL);
    text = all_text(pdf);
    char *hint = gen(lang, "choose-one");
    /* exercise S2 has no instructions of its own; S5, S8 and S11, of the same kind, have */
    ck_assert_msg(count_of(text, hint) == 1, "%s: \"%s\" printed %d times, want once", lang, hint, count_of(text, hint));
    g_free(hint);
    g_free(text);
    g_free(pdf);
}
END_TEST

/* Keys whose English words may stand in another language's text (names, signs, numbers). */
static bool key_skipped(const char *key, const char *en)
{
    static const char *const skip[] = {"letters-upper", "letters-lower", "quote-open", "quote-close", "quote-open-inner",
                                       "quote-close-inner", "list-separator", "meta-separator", "date-format",
                                       "day-first", NULL};
    for (int i = 0; skip[i]; i++)
        if (!strcmp(key, skip[i]))
            return true;
    return strchr(en, '{') != NULL || strlen(en) < 4 || !strncmp(key, "month-", 6);
}

START_TEST(no_english_generated_words)
{
    const char *lang = langs[_i + 1];
    const char *editions[] = {"participant", "trainer", "exercises", "answers", "sign-in", "feedback"};
    GString *all = g_string_new(NULL);
    for (size_t e = 0; e < G_N_ELEMENTS(editions); e++) {
        char *pdf = build(lang, editions[e], "A4", NULL);
        char *text = all_text(pdf);
        g_string_append_printf(all, "\n%s", text);
        g_free(text);
        g_free(pdf);
    }
    xmlDocPtr doc = xmlReadFile(wb_test_path("styles/strings/en.xml"), NULL, XML_PARSE_NONET);
    int checked = 0;
    for (xmlNodePtr n = xmlDocGetRootElement(doc)->children; n; n = n->next) {
        xmlChar *k = n->type == XML_ELEMENT_NODE ? xmlGetProp(n, BAD_CAST "key") : NULL;
        xmlChar *c = k && !strcmp((const char *)n->name, "s") ? xmlNodeGetContent(n) : NULL;
        if (c) {
            char *en = squeeze((const char *)c);
            char *theirs = gen(lang, (const char *)k);
            if (!key_skipped((const char *)k, en) && strcmp(en, theirs) != 0) {
                ck_assert_msg(!strstr(all->str, en), "%s: the English \"%s\" (%s) is in the editions", lang, en, k);
                checked++;
            }
            g_free(theirs);
            g_free(en);
        }
        xmlFree(c);
        xmlFree(k);
    }
    ck_assert_int_gt(checked, 60);
    xmlFreeDoc(doc);
    g_string_free(all, TRUE);
}
END_TEST

/* ---------------------------------------------------------------- handouts and timing */

START_TEST(sign_in_and_feedback)
{
    const char *lang = langs[_i];
    char *pdf = build(lang, "sign-in", "A4", "-p session-place=Lyon");
    char *text = all_text(pdf);
    char *name = gen(lang, "edition-sign-in"), *morning = gen(lang, "morning");
    ck_assert_msg(strstr(text, name) && strstr(text, morning) && strstr(text, "Lyon") && strstr(text, " 14"),
                  "%s: the sign-in sheet lacks its name, its columns, the place or 14 rows:\n%s", lang, text);
    g_free(name);
    g_free(morning);
    g_free(text);
    char *out = run("pdfinfo '%s'", pdf);
    ck_assert_msg(strstr(out, "Pages:           1\n") != NULL, "%s: the sign-in sheet is not one page", lang);
    free(out);
    g_free(pdf);

    pdf = build(lang, "feedback", "A4", NULL);
    text = all_text(pdf);
    char *q = gen(lang, "feedback-q1"), *tr = gen(lang, "feedback-trainer");
    ck_assert_msg(strstr(text, q) && strstr(text, tr) && strstr(text, "SHORTHEAD"),
                  "%s: the feedback form lacks a question, the trainer's rating or a module's:\n%s", lang, text);
    g_free(q);
    g_free(tr);
    g_free(text);
    g_free(pdf);
}
END_TEST

/* A catalogue lists the handouts like any edition, in each of its languages. */
START_TEST(handouts_in_a_catalogue)
{
    char *cat = g_strdup_printf("%s/catalogue.xml", tmp);
    char *xml = g_strdup_printf("<catalogue editions=\"sign-in feedback\" languages=\"en fr ru bg\">\n"
                                "  <course href=\"%s\"/>\n</catalogue>\n", wb_test_path(COURSE));
    ck_assert(g_file_set_contents(cat, xml, -1, NULL));
    free(run("'%s' batch '%s' --out '%s/out' -j 1 2>&1", wb_test_bin(), cat, tmp));
    for (int i = 0; i < 4; i++) {
        char *pdf = g_strdup_printf("%s/out/editions/editions-%s-sign-in.pdf", tmp, langs[i]);
        char *text = all_text(pdf);
        char *name = gen(langs[i], "edition-sign-in");
        ck_assert_msg(strstr(text, name) != NULL, "%s: the catalogue's sign-in sheet lacks \"%s\"", langs[i], name);
        g_free(name);
        g_free(text);
        g_free(pdf);
        pdf = g_strdup_printf("%s/out/editions/editions-%s-feedback.pdf", tmp, langs[i]);
        text = all_text(pdf);
        name = gen(langs[i], "feedback-q1");
        ck_assert_msg(strstr(text, name) != NULL, "%s: the catalogue's feedback form lacks \"%s\"", langs[i], name);
        g_free(name);
        g_free(text);
        g_free(pdf);
    }
    g_free(xml);
    g_free(cat);
}
END_TEST

START_TEST(timing_plan_in_clock_times)
{
    const char *lang = langs[_i];
    char *pdf = build(lang, "trainer", "A4", "-p start=08:30");
    char *text = all_text(pdf);
    char *brk = gen(lang, "break");
    char *want = g_strdup_printf("10:30 %s", brk);
    /* 08:30 the module's first step, 09:30 its second, then the 10:30 break before module 2 */
    ck_assert_msg(strstr(text, "08:30") && strstr(text, "09:30 STEPTWO") && strstr(text, want),
                  "%s: the timing plan lacks 08:30, 09:30 or \"%s\"", lang, want);
    g_free(want);
    g_free(brk);
    g_free(text);
    g_free(pdf);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("editions");
    TCase *tc = tcase_create("pages");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 300);
    tcase_add_loop_test(tc, pages_a4, 0, 4);
    tcase_add_loop_test(tc, pages_a5, 0, 4);
    tcase_add_loop_test(tc, shipped_heads_on_one_line, 0, 8);
    suite_add_tcase(s, tc);
    tc = tcase_create("editions");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 300);
    tcase_add_loop_test(tc, role_briefs_for_their_players, 0, 4);
    tcase_add_loop_test(tc, references_and_generated_instructions, 0, 4);
    tcase_add_loop_test(tc, no_english_generated_words, 0, 3);
    tcase_add_loop_test(tc, sign_in_and_feedback, 0, 4);
    tcase_add_loop_test(tc, timing_plan_in_clock_times, 0, 4);
    tcase_add_test(tc, handouts_in_a_catalogue);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return wb_test_main(suite());
}
