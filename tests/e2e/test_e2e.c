/* End-to-end tests: the command line builds real PDFs, which poppler-utils and qpdf inspect.
 *
 * - every shipped language of the course builds; fonts are all embedded; qpdf --check is
 *   clean; the document's title and language are in the PDF; the outline lists the modules;
 * - the text pdftotext extracts holds every paragraph of the source, in reading order;
 * - no word lies outside the page's text area (pdftotext -bbox against the page masters);
 * - the page count printed in the footer ("Page N of M") is the real page count;
 * - bad input gives the documented message and exit status and leaves an existing output
 *   file untouched. */
#include <check.h>
#include <glib.h>
#include <libxml/parser.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "unit/support.h"
#include "fo/fo.h"
#include "workbook.h"

#define COURSE "courses/fruitful-client-relations/course.xml"

static char *tmp;

static void setup(void) { tmp = wb_test_tmpdir(); }

static void teardown(void)
{
    wb_test_rmtree(tmp);
    free(tmp);
}

/* Runs a command; fails the test unless it exits 0; returns its output. */
#define run(...) wb_test_run_ok(false, __VA_ARGS__)

static char *build(const char *lang, const char *edition, const char *fmt)
{
    char *pdf = g_strdup_printf("%s/%s-%s.%s", tmp, lang, edition, fmt);
    char *out = run("'%s' build '%s' --lang %s --edition %s -q -o '%s'", wb_test_bin(),
                    wb_test_path(COURSE), lang, edition, pdf);
    free(out);
    return pdf;
}

static int pdf_pages(const char *pdf)
{
    char *out = run("pdfinfo '%s'", pdf);
    const char *p = strstr(out, "Pages:");
    ck_assert_ptr_nonnull(p);
    int n = atoi(p + 6);
    free(out);
    return n;
}

/* NFKC, no white space, no hyphens: line breaks and hyphenation do not count. */
static char *normalise(const char *s)
{
    char *n = g_utf8_normalize(s, -1, G_NORMALIZE_ALL_COMPOSE);
    GString *o = g_string_new(NULL);
    for (const char *p = n; p && *p; p = g_utf8_next_char(p)) {
        gunichar c = g_utf8_get_char(p);
        if (g_unichar_isspace(c) || c == 0xAD || c == '-' || c == 0x2010 || c == 0x2011 || c == 0x200B ||
            c == 0xA0 || c == 0x202F || c == 0x2009 || c == 0xFFFC)
            continue;
        g_string_append_unichar(o, c);
    }
    g_free(n);
    return g_string_free(o, FALSE);
}

static bool inside(xmlNodePtr n, const char *const *names)
{
    for (; n && n->type == XML_ELEMENT_NODE; n = n->parent)
        for (int i = 0; names[i]; i++)
            if (!strcmp((const char *)n->name, names[i]))
                return true;
    return false;
}

/* Text fragments of the course that the participant workbook prints: paragraph text nodes
 * outside trainer-only elements and role-play briefs (those are on the role cards of the
 * exercise sheets only). */
static GPtrArray *source_fragments(const char *lang)
{
    wb_ctx *ctx = wb_ctx_new();
    wb_profile prof = {.lang = lang, .edition = "participant"};
    xmlDocPtr doc = wb_load_course(ctx, wb_test_path(COURSE), &prof, wb_test_path("styles/course.rng"));
    ck_assert_msg(doc != NULL, "course does not load");
    static const char *const hidden[] = {"trainer-note", "model-answer", "explanation", "timing", "meta", "debrief", "brief", NULL};
    GPtrArray *frags = g_ptr_array_new_with_free_func(g_free);
    xmlXPathContextPtr xp = xmlXPathNewContext(doc);
    xmlXPathObjectPtr res = xmlXPathEvalExpression(BAD_CAST "//para//text()[not(ancestor::q) and not(ancestor::xref)]", xp);
    for (int i = 0; res->nodesetval && i < res->nodesetval->nodeNr; i++) {
        xmlNodePtr t = res->nodesetval->nodeTab[i];
        if (inside(t->parent, hidden))
            continue;
        char *n = normalise((const char *)t->content);
        if (g_utf8_strlen(n, -1) >= 12)
            g_ptr_array_add(frags, n);
        else
            g_free(n);
    }
    xmlXPathFreeObject(res);
    xmlXPathFreeContext(xp);
    xmlFreeDoc(doc);
    wb_ctx_free(ctx);
    return frags;
}

static void text_area(const char *fo_path, double *left, double *right, double *top, double *bottom, double *pw, double *ph);
static void body_band(const char *fo_path, double *top, double *bottom, double *pw);

/* The text of the body regions only, in the order it was drawn (running heads would cut
 * paragraphs that go on over a page). */
static void check_text_order(const char *pdf, const char *fo, const char *lang)
{
    double top = 0, bottom = 0, pw = 0;
    body_band(fo, &top, &bottom, &pw);
    char *text = run("pdftotext -raw -enc UTF-8 -x 0 -y %d -W %d -H %d '%s' -", (int)top, (int)pw + 1,
                     (int)(bottom - top), pdf);
    char *norm = normalise(text);
    free(text);
    GPtrArray *frags = source_fragments(lang);
    ck_assert_msg(frags->len > 100, "%s: only %u fragments in the source", lang, frags->len);
    const char *at = norm;
    for (guint i = 0; i < frags->len; i++) {
        const char *f = g_ptr_array_index(frags, i);
        const char *hit = strstr(at, f);
        if (!hit) {
            const char *anywhere = strstr(norm, f);
            ck_abort_msg("%s: fragment %u %s in the PDF text: \"%s\"", lang, i,
                         anywhere ? "out of reading order" : "missing", f);
        }
        at = hit + strlen(f);
    }
    g_ptr_array_free(frags, TRUE);
    g_free(norm);
}

/* The widest text area of the document's page masters, as [left, right] in points. */
static void text_area(const char *fo_path, double *left, double *right, double *top, double *bottom, double *pw, double *ph)
{
    xmlDocPtr doc = xmlReadFile(fo_path, NULL, XML_PARSE_NONET);
    ck_assert_ptr_nonnull(doc);
    xmlXPathContextPtr xp = xmlXPathNewContext(doc);
    xmlXPathRegisterNs(xp, BAD_CAST "fo", BAD_CAST "http://www.w3.org/1999/XSL/Format");
    xmlXPathObjectPtr res = xmlXPathEvalExpression(BAD_CAST "//fo:simple-page-master", xp);
    *left = 1e9;
    *right = -1e9;
    *top = 1e9;
    *bottom = -1e9;
    for (int i = 0; res->nodesetval && i < res->nodesetval->nodeNr; i++) {
        xmlNodePtr m = res->nodesetval->nodeTab[i];
        wb_len l;
        double v[6] = {0};
        const char *names[6] = {"page-width", "page-height", "margin-left", "margin-right", "margin-top", "margin-bottom"};
        for (int k = 0; k < 6; k++) {
            xmlChar *a = xmlGetProp(m, BAD_CAST names[k]);
            if (!a && k >= 2)
                a = xmlGetProp(m, BAD_CAST "margin");
            if (a && wb_parse_length((const char *)a, 12, &l))
                v[k] = l.pt;
            xmlFree(a);
        }
        *pw = v[0];
        *ph = v[1];
        if (v[2] < *left) *left = v[2];
        if (v[0] - v[3] > *right) *right = v[0] - v[3];
        if (v[4] < *top) *top = v[4];
        if (v[1] - v[5] > *bottom) *bottom = v[1] - v[5];
    }
    ck_assert_msg(res->nodesetval && res->nodesetval->nodeNr > 0, "no page master");
    xmlXPathFreeObject(res);
    xmlXPathFreeContext(xp);
    xmlFreeDoc(doc);
}

/* The band of the page that the body regions of all page masters share, top to bottom. */
static void body_band(const char *fo_path, double *top, double *bottom, double *pw)
{
    xmlDocPtr doc = xmlReadFile(fo_path, NULL, XML_PARSE_NONET);
    ck_assert_ptr_nonnull(doc);
    xmlXPathContextPtr xp = xmlXPathNewContext(doc);
    xmlXPathRegisterNs(xp, BAD_CAST "fo", BAD_CAST "http://www.w3.org/1999/XSL/Format");
    xmlXPathObjectPtr res = xmlXPathEvalExpression(BAD_CAST "//fo:simple-page-master", xp);
    *top = 1e9;
    *bottom = -1e9;
    for (int i = 0; res->nodesetval && i < res->nodesetval->nodeNr; i++) {
        xmlNodePtr m = res->nodesetval->nodeTab[i];
        xmlNodePtr body = NULL;
        for (xmlNodePtr c = m->children; c; c = c->next)
            if (c->type == XML_ELEMENT_NODE && !strcmp((const char *)c->name, "region-body"))
                body = c;
        double v[4] = {0};
        const char *names[4] = {"page-height", "margin-top", "margin-bottom", "page-width"};
        for (int k = 0; k < 4; k++) {
            xmlChar *a = xmlGetProp(m, BAD_CAST names[k]);
            if (!a && (k == 1 || k == 2))
                a = xmlGetProp(m, BAD_CAST "margin");
            wb_len l;
            if (a && wb_parse_length((const char *)a, 12, &l))
                v[k] = l.pt;
            xmlFree(a);
        }
        double bt = 0, bb = 0;
        for (int k = 0; body && k < 2; k++) {
            xmlChar *a = xmlGetProp(body, BAD_CAST (k ? "margin-bottom" : "margin-top"));
            if (!a)
                a = xmlGetProp(body, BAD_CAST "margin");
            wb_len l;
            if (a && wb_parse_length((const char *)a, 12, &l))
                *(k ? &bb : &bt) = l.pt;
            xmlFree(a);
        }
        *pw = v[3];
        /* the band every master's body covers: running heads of any master lie outside */
        if (v[1] + bt > *top || *top > 1e8) *top = v[1] + bt;
        if (v[0] - v[2] - bb < *bottom || *bottom < -1e8) *bottom = v[0] - v[2] - bb;
    }
    xmlXPathFreeObject(res);
    xmlXPathFreeContext(xp);
    xmlFreeDoc(doc);
}

static void check_bbox(const char *pdf, const char *fo)
{
    double left, right, top, bottom, pw, ph;
    text_area(fo, &left, &right, &top, &bottom, &pw, &ph);
    char *html = run("pdftotext -bbox '%s' -", pdf);
    int words = 0;
    for (const char *p = html; (p = strstr(p, "<word ")) != NULL; p++) {
        double x0, y0, x1, y1;
        ck_assert(sscanf(p, "<word xMin=\"%lf\" yMin=\"%lf\" xMax=\"%lf\" yMax=\"%lf\"", &x0, &y0, &x1, &y1) == 4);
        const char *w = strchr(p, '>') + 1;
        const char *e = strstr(w, "</word>");
        ck_assert_msg(x0 >= left - 1 && x1 <= right + 1 && y0 >= top - 1 && y1 <= bottom + 1,
                      "%s: word \"%.*s\" at [%.1f %.1f %.1f %.1f] lies outside the text area [%.1f %.1f %.1f %.1f]",
                      pdf, (int)(e - w), w, x0, y0, x1, y1, left, top, right, bottom);
        words++;
    }
    ck_assert_int_gt(words, 1000);
    free(html);
}

static const char *const langs[] = {"en", "fr", "ru", "bg"};
static const char *const titles[] = {"Fruitful client relations", "Des relations client fructueuses",
                                     "Плодотворные отношения с клиентами", "Ползотворни отношения с клиентите"};

START_TEST(workbook_in_each_language)
{
    const char *lang = langs[_i];
    char *pdf = build(lang, "participant", "pdf");
    char *fo = build(lang, "participant", "fo");

    /* qpdf: a sound file */
    free(run("qpdf --check '%s' >/dev/null", pdf));

    /* every font embedded */
    char *fonts = run("pdffonts '%s'", pdf);
    char **lines = g_strsplit(fonts, "\n", -1);
    int nfonts = 0;
    for (int i = 2; lines[i]; i++) {
        if (!*lines[i])
            continue;
        nfonts++;
        /* columns: name type encoding emb sub uni object ID; emb is the 4th from the end */
        char **cols = g_strsplit_set(lines[i], " ", -1);
        GPtrArray *v = g_ptr_array_new();
        for (int k = 0; cols[k]; k++)
            if (*cols[k])
                g_ptr_array_add(v, cols[k]);
        ck_assert_msg(v->len >= 7, "pdffonts line: %s", lines[i]);
        const char *emb = g_ptr_array_index(v, v->len - 5);
        ck_assert_msg(!strcmp(emb, "yes"), "%s: font not embedded: %s", lang, lines[i]);
        g_ptr_array_free(v, TRUE);
        g_strfreev(cols);
    }
    g_strfreev(lines);
    free(fonts);
    ck_assert_int_gt(nfonts, 1);

    /* metadata: title and language */
    char *info = run("pdfinfo '%s'", pdf);
    ck_assert_msg(strstr(info, titles[_i]), "%s: title missing from pdfinfo:\n%s", lang, info);
    free(info);
    char *cat = run("qpdf --show-object=trailer '%s'; qpdf --json --json-key=qpdf '%s' | grep -c '\"/Lang\": \"u:%s\"'", pdf, pdf, lang);
    free(cat);

    /* the outline lists the modules */
    char *outl = run("qpdf --json --json-key=outlines '%s' | grep -c '\"title\"'", pdf);
    ck_assert_msg(atoi(outl) >= 5, "%s: %d outline entries", lang, atoi(outl));
    free(outl);

    /* text in reading order, words inside the text area */
    check_text_order(pdf, fo, lang);
    check_bbox(pdf, fo);

    /* the footers' "Page N of M" count the pages that really are there */
    int pages = pdf_pages(pdf);
    ck_assert_int_gt(pages, 20);
    GRegex *re = g_regex_new("(\\d+)\\s+(of|sur|из|от)\\s+(\\d+)\\s*$", G_REGEX_MULTILINE, 0, NULL);
    int footers = 0, first_n = 0, last_n = 0, total = -1;
    for (int p = 1; p <= pages; p++) {
        char *t = run("pdftotext -f %d -l %d '%s' -", p, p, pdf);
        GMatchInfo *mi;
        if (g_regex_match(re, t, 0, &mi)) {
            char *n = g_match_info_fetch(mi, 1), *m = g_match_info_fetch(mi, 3);
            int ni = atoi(n), mv = atoi(m);
            if (footers == 0)
                first_n = ni;
            else
                ck_assert_msg(ni == last_n + 1, "%s: page %d says %d after %d", lang, p, ni, last_n);
            ck_assert_msg(total < 0 || mv == total, "%s: page %d says \"of %d\", an earlier one \"of %d\"", lang, p, mv, total);
            total = mv;
            last_n = ni;
            footers++;
            g_free(n);
            g_free(m);
        }
        g_match_info_free(mi);
        free(t);
    }
    g_regex_unref(re);
    ck_assert_msg(footers > 20, "%s: only %d pages with a page X of Y footer", lang, footers);
    ck_assert_msg(last_n == total, "%s: the last numbered page is %d of %d", lang, last_n, total);
    ck_assert_msg(total - first_n + 1 <= pages, "%s: %d numbered pages but the PDF has %d", lang, total - first_n + 1, pages);
    g_free(pdf);
    g_free(fo);
}
END_TEST

START_TEST(every_edition_builds)
{
    static const char *const editions[] = {"trainer", "exercises", "answers"};
    for (int i = 0; i < 3; i++) {
        char *pdf = build("ru", editions[i], "pdf");
        free(run("qpdf --check '%s' >/dev/null", pdf));
        ck_assert_int_gt(pdf_pages(pdf), 1);
        g_free(pdf);
    }
}
END_TEST

/* The table of contents prints, for each entry, the page its heading landed on. */
START_TEST(contents_page_numbers_are_right)
{
    char *pdf = build("fr", "participant", "pdf");
    int pages = pdf_pages(pdf);
    /* the printed number of each page, from its footer */
    GRegex *foot = g_regex_new("Page (\\d+) sur \\d+", 0, 0, NULL);
    int *printed = g_new0(int, pages + 1);
    char **texts = g_new0(char *, pages + 1);
    for (int p = 1; p <= pages; p++) {
        texts[p] = run("pdftotext -f %d -l %d '%s' -", p, p, pdf);
        GMatchInfo *mi;
        if (g_regex_match(foot, texts[p], 0, &mi)) {
            char *n = g_match_info_fetch(mi, 1);
            printed[p] = atoi(n);
            g_free(n);
        }
        g_match_info_free(mi);
    }
    /* the titles that the contents give by a <short-title> */
    GHashTable *shorts = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    {
        wb_ctx *ctx = wb_ctx_new();
        wb_profile prof = {.lang = "fr", .edition = "participant"};
        xmlDocPtr doc = wb_load_course(ctx, wb_test_path(COURSE), &prof, wb_test_path("styles/course.rng"));
        ck_assert_ptr_nonnull(doc);
        xmlXPathContextPtr xp = xmlXPathNewContext(doc);
        xmlXPathObjectPtr res = xmlXPathEvalExpression(BAD_CAST "//short-title", xp);
        for (int i = 0; res->nodesetval && i < res->nodesetval->nodeNr; i++) {
            xmlNodePtr st = res->nodesetval->nodeTab[i], t = st->parent->children;
            while (t && !(t->type == XML_ELEMENT_NODE && !strcmp((const char *)t->name, "title")))
                t = t->next;
            xmlChar *a = xmlNodeGetContent(st), *b = t ? xmlNodeGetContent(t) : NULL;
            if (a && b)
                g_hash_table_insert(shorts, normalise((const char *)a), normalise((const char *)b));
            xmlFree(a);
            xmlFree(b);
        }
        xmlXPathFreeObject(res);
        xmlXPathFreeContext(xp);
        xmlFreeDoc(doc);
        wb_ctx_free(ctx);
    }
    /* the entries: a title, a dotted leader, a number */
    char *toc = run("pdftotext -layout -f 1 -l 4 '%s' -", pdf);
    GRegex *entry = g_regex_new("^\\s*(?:Module \\d+\\s+|\\d+\\.\\d+\\s+)?(.+?)\\s*(?:\\. ){3,}\\.?\\s*(\\d+)\\s*$",
                                G_REGEX_MULTILINE, 0, NULL);
    GMatchInfo *mi;
    int checked = 0;
    g_regex_match(entry, toc, 0, &mi);
    while (g_match_info_matches(mi)) {
        char *title = g_match_info_fetch(mi, 1), *num = g_match_info_fetch(mi, 2);
        int n = atoi(num);
        char *want = normalise(title);
        /* an entry by its <short-title>: its heading shows the full title */
        const char *full = g_hash_table_lookup(shorts, want);
        int found = 0;
        for (int p = 1; p <= pages; p++)
            if (printed[p] == n) {
                char *t = normalise(texts[p]);
                found = strstr(t, want) != NULL || (full && strstr(t, full) != NULL);
                g_free(t);
                break;
            }
        ck_assert_msg(found, "contents: \"%s\" is not on the page printed %d", title, n);
        checked++;
        g_free(want);
        g_free(title);
        g_free(num);
        g_match_info_next(mi, NULL);
    }
    g_match_info_free(mi);
    ck_assert_int_ge(checked, 15);
    g_regex_unref(entry);
    g_regex_unref(foot);
    g_hash_table_destroy(shorts);
    for (int p = 1; p <= pages; p++)
        free(texts[p]);
    g_free(texts);
    g_free(printed);
    free(toc);
    g_free(pdf);
}
END_TEST

/* A Russian or Bulgarian edition has no word of Latin script left in it, generated words
 * included (page numbers in roman figures excepted). */
START_TEST(no_latin_in_cyrillic_editions)
{
    static const char *const cyr[] = {"ru", "bg"};
    static const char *const eds[] = {"participant", "trainer", "answers"};
    GRegex *latin = g_regex_new("\\b[A-Za-z]{2,}\\b", 0, 0, NULL);
    GRegex *roman = g_regex_new("^[ivxlcdm]+$", G_REGEX_CASELESS, 0, NULL);
    for (int l = 0; l < 2; l++)
        for (int e = 0; e < 3; e++) {
            char *pdf = build(cyr[l], eds[e], "pdf");
            char *text = run("pdftotext '%s' -", pdf);
            GMatchInfo *mi;
            g_regex_match(latin, text, 0, &mi);
            while (g_match_info_matches(mi)) {
                char *w = g_match_info_fetch(mi, 0);
                ck_assert_msg(g_regex_match(roman, w, 0, NULL), "%s %s: Latin word \"%s\"", cyr[l], eds[e], w);
                g_free(w);
                g_match_info_next(mi, NULL);
            }
            g_match_info_free(mi);
            free(text);
            g_free(pdf);
        }
    g_regex_unref(latin);
    g_regex_unref(roman);
}
END_TEST

/* The second course, in each of its languages and editions. */
START_TEST(second_course_builds)
{
    static const char *const langs4[] = {"en", "fr", "ru", "bg"};
    for (int l = 0; l < 4; l++) {
        char *pdf = g_strdup_printf("%s/kp-%s.pdf", tmp, langs4[l]);
        free(run("'%s' build '%s' --lang %s -q -o '%s'", wb_test_bin(),
                 wb_test_path("courses/keeping-promises/course.xml"), langs4[l], pdf));
        free(run("qpdf --check '%s' >/dev/null", pdf));
        ck_assert_int_gt(pdf_pages(pdf), 2);
        g_free(pdf);
    }
}
END_TEST

/* Nothing sticks out of the body region, in any paper size. */
START_TEST(nothing_overflows_the_page)
{
    static const char *const runs[][3] = {{"bg", "participant", "A5"}, {"fr", "exercises", "letter"},
                                          {"ru", "trainer", "A5"}, {"bg", "trainer", "letter"},
                                          {"en", "answers", "A5"}};
    for (size_t i = 0; i < G_N_ELEMENTS(runs); i++) {
        char *pdf = g_strdup_printf("%s/o-%zu.pdf", tmp, i);
        char *cmd = g_strdup_printf("'%s' build '%s' --lang %s --edition %s --paper %s -o '%s'", wb_test_bin(),
                                    wb_test_path(COURSE), runs[i][0], runs[i][1], runs[i][2], pdf);
        char *out = NULL;
        ck_assert_int_eq(wb_test_run(cmd, &out, true), 0);
        ck_assert_msg(!strstr(out, "taller than"), "%s %s %s:\n%s", runs[i][0], runs[i][1], runs[i][2], out);
        ck_assert_msg(!strstr(out, "too long for its line"), "%s %s %s:\n%s", runs[i][0], runs[i][1], runs[i][2], out);
        free(out);
        g_free(cmd);
        g_free(pdf);
    }
}
END_TEST

/* The empty strips a box cut by a page break once left (its closing padding and border, or
 * its background alone, at the top of the next page): a filled area under 25pt tall with no
 * line of text in it, on any page of the shipped editions (page areas from render --dump). */
static int empty_strips(const char *dump, GString *where)
{
    int found = 0;
    gchar **lines = g_strsplit(dump, "\n", -1);
    for (int start = 0; lines[start];) {
        int end = start + 1;
        while (lines[end] && !g_str_has_prefix(lines[end], "page "))
            end++;
        for (int i = start; i < end; i++) {
            double x, y, w, h;
            if (sscanf(lines[i], "  fill %lf %lf %lf %lf", &x, &y, &w, &h) != 4 || h >= 25)
                continue;
            bool text = false;
            for (int k = start; k < end && !text; k++) {
                double tx, ty;
                text = sscanf(lines[k], "  text %lf %lf", &tx, &ty) == 2 && ty >= y && ty <= y + h + 3;
            }
            if (!text) {
                found++;
                g_string_append_printf(where, "%s: %.1fpt at y %.1f\n", lines[start], h, y);
            }
        }
        start = end;
    }
    g_strfreev(lines);
    return found;
}

START_TEST(no_empty_strip_at_page_breaks)
{
    static const char *const langs[] = {"en", "fr", "ru", "bg"};
    static const char *const editions[] = {"participant", "trainer", "exercises", "answers"};
    static const char *const papers[] = {"A4", "A5"};
    for (size_t p = 0; p < G_N_ELEMENTS(papers); p++)
        for (size_t e = 0; e < G_N_ELEMENTS(editions); e++) {
            const char *lang = langs[(p * 4 + e) % 4];
            char *fo = g_strdup_printf("%s/strip.fo", tmp);
            char *cmd = g_strdup_printf("'%s' build '%s' --lang %s --edition %s --paper %s -q -f fo -o '%s' && '%s' render '%s' "
                                        "--dump -q",
                                        wb_test_bin(), wb_test_path(COURSE), lang, editions[e], papers[p], fo,
                                        wb_test_bin(), fo);
            char *out = NULL;
            ck_assert_int_eq(wb_test_run(cmd, &out, false), 0);
            GString *where = g_string_new(NULL);
            int n = empty_strips(out, where);
            ck_assert_msg(n == 0, "%s %s %s: %d empty strips:\n%s", lang, editions[e], papers[p], n, where->str);
            g_string_free(where, TRUE);
            free(out);
            g_free(cmd);
            g_free(fo);
        }
}
END_TEST

START_TEST(reproducible_output)
{
    char *a = g_strdup_printf("%s/a.pdf", tmp), *b = g_strdup_printf("%s/b.pdf", tmp);
    for (int i = 0; i < 2; i++)
        free(run("SOURCE_DATE_EPOCH=1700000000 '%s' build '%s' --lang bg -q -o '%s'", wb_test_bin(),
                 wb_test_path(COURSE), i ? b : a));
    free(run("cmp '%s' '%s'", a, b));
    g_free(a);
    g_free(b);
}
END_TEST

START_TEST(png_pages)
{
    char *png = g_strdup_printf("%s/page.png", tmp);
    free(run("'%s' render '%s' --dpi 30 -o '%s'", wb_test_bin(), wb_test_path("tests/data/e2e/three-pages.fo"), png));
    for (int i = 1; i <= 3; i++) {
        char *p = g_strdup_printf("%s/page-%d.png", tmp, i);
        long len = 0;
        char *data = wb_test_read(p, &len);
        ck_assert_msg(data && len > 8 && !memcmp(data, "\x89PNG", 4), "%s is not a PNG", p);
        free(data);
        g_free(p);
    }
    char *p4 = g_strdup_printf("%s/page-4.png", tmp);
    ck_assert_int_ne(access(p4, F_OK), 0);
    g_free(p4);
    g_free(png);
}
END_TEST

/* Bad input: the message, the exit status, and the old output untouched. */
typedef struct bad_case {
    const char *args;    /* after the program name; %s is the output file */
    int status;
    const char *message; /* a part of the message on stderr */
} bad_case;

static const bad_case bad_cases[] = {
    {"build tests/data/e2e/malformed.xml -o %s", 1, "tests/data/e2e/malformed.xml:5:"},
    {"build tests/data/e2e/no-such-file.xml -o %s", 1, "no-such-file.xml: error: cannot read file"},
    {"build " COURSE " --edition poster -o %s", 2, "unknown edition \"poster\""},
    {"build " COURSE " --lang de -o %s", 1, "language \"de\" is not one of this course's languages"},
    {"build tests/data/e2e/invalid-course.xml -o %s", 1, "invalid-course.xml:8:"},
    {"render tests/data/e2e/not-fo.xml -o %s", 1, "not an XSL-FO document"},
    {"build " COURSE " --format doc -o %s", 2, "unknown format"},
    {"frobnicate -o %s", 2, "unknown command"},
};

START_TEST(bad_input)
{
    const bad_case *c = &bad_cases[_i];
    char *outp = g_strdup_printf("%s/existing.pdf", tmp);
    FILE *f = fopen(outp, "w");
    fputs("precious old content\n", f);
    fclose(f);
    char *args = g_strdup_printf(c->args, outp);
    char *cmd = g_strdup_printf("cd '%s' && '%s' %s", wb_test_path(""), wb_test_bin(), args);
    char *out = NULL;
    int rc = wb_test_run(cmd, &out, true);
    ck_assert_msg(rc == c->status, "%s: exit %d, want %d\n%s", args, rc, c->status, out);
    ck_assert_msg(strstr(out, c->message), "%s: message lacks \"%s\":\n%s", args, c->message, out);
    long len;
    char *data = wb_test_read(outp, &len);
    ck_assert_msg(data && !strcmp(data, "precious old content\n"), "%s: the old output changed", args);
    free(data);
    /* no temporary file left beside it */
    char *ls = NULL;
    char *lscmd = g_strdup_printf("ls -A '%s'", tmp);
    wb_test_run(lscmd, &ls, false);
    ck_assert_msg(!strcmp(ls, "existing.pdf\n"), "%s: files left: %s", args, ls);
    free(ls);
    g_free(lscmd);
    free(out);
    g_free(cmd);
    g_free(args);
    g_free(outp);
}
END_TEST

/* FO from another tool with a missing image: rendered, as FOP does, with a warning at the
 * image's line; the page is made. */
START_TEST(render_missing_image_warns)
{
    char *pdf = g_strdup_printf("%s/missing.pdf", tmp);
    char *cmd = g_strdup_printf("cd '%s' && '%s' render tests/data/e2e/missing-image.fo -o '%s'", wb_test_path(""),
                                wb_test_bin(), pdf);
    char *out = NULL;
    int rc = wb_test_run(cmd, &out, true);
    ck_assert_msg(rc == 0, "exit %d:\n%s", rc, out);
    ck_assert_msg(strstr(out, "missing-image.fo:9:") && strstr(out, "warning") && strstr(out, "no-such-image.png"),
                  "%s", out);
    ck_assert_int_eq(pdf_pages(pdf), 1);
    free(out);
    g_free(cmd);
    g_free(pdf);
}
END_TEST

START_TEST(help_and_usage)
{
    char *out = NULL;
    char *cmd = g_strdup_printf("'%s' build --help", wb_test_bin());
    ck_assert_int_eq(wb_test_run(cmd, &out, false), 0);
    ck_assert_ptr_nonnull(strstr(out, "--edition"));
    free(out);
    g_free(cmd);
    cmd = g_strdup_printf("'%s'", wb_test_bin());
    ck_assert_int_eq(wb_test_run(cmd, &out, true), 2);
    free(out);
    g_free(cmd);
}
END_TEST

/* validate --all compares the languages too: both shipped courses pass it, silently. */
START_TEST(shipped_courses_agree_across_languages)
{
    static const char *const courses[] = {COURSE, "courses/keeping-promises/course.xml"};
    for (size_t i = 0; i < G_N_ELEMENTS(courses); i++) {
        char *cmd = g_strdup_printf("'%s' validate '%s' --all", wb_test_bin(), wb_test_path(courses[i]));
        char *out = NULL;
        int rc = wb_test_run(cmd, &out, true);
        ck_assert_msg(rc == 0 && !*out, "%s: exit %d\n%.2000s", courses[i], rc, out);
        free(out);
        g_free(cmd);
    }
}
END_TEST

/* ... and a difference between two languages is an error at file:line:col naming both. */
START_TEST(languages_that_differ_fail_validation)
{
    char *cmd = g_strdup_printf("cd '%s' && '%s' validate tests/data/unit/consistency/differ.xml --all",
                                wb_test_path(""), wb_test_bin());
    char *out = NULL;
    int rc = wb_test_run(cmd, &out, true);
    ck_assert_msg(rc == 1, "exit %d\n%s", rc, out);
    ck_assert_msg(strstr(out, "consistency/modules/m.fr.xml:16:7: error: ex-tf item 2: false in en "
                              "(modules/m.en.xml:15) but true in fr (modules/m.fr.xml:16)"),
                  "%s", out);
    free(out);
    g_free(cmd);
    /* without --all, one language alone is valid */
    cmd = g_strdup_printf("'%s' validate '%s' --lang fr", wb_test_bin(),
                          wb_test_path("tests/data/unit/consistency/differ.xml"));
    ck_assert_int_eq(wb_test_run(cmd, &out, true), 0);
    free(out);
    g_free(cmd);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("e2e");
    TCase *tc = tcase_create("workbooks");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 900);
    tcase_add_loop_test(tc, workbook_in_each_language, 0, 4);
    tcase_add_test(tc, every_edition_builds);
    tcase_add_test(tc, contents_page_numbers_are_right);
    tcase_add_test(tc, no_latin_in_cyrillic_editions);
    tcase_add_test(tc, second_course_builds);
    tcase_add_test(tc, nothing_overflows_the_page);
    tcase_add_test(tc, no_empty_strip_at_page_breaks);
    tcase_add_test(tc, reproducible_output);
    tcase_add_test(tc, png_pages);
    tcase_add_loop_test(tc, bad_input, 0, (int)G_N_ELEMENTS(bad_cases));
    tcase_add_test(tc, render_missing_image_warns);
    tcase_add_test(tc, help_and_usage);
    suite_add_tcase(s, tc);
    tc = tcase_create("languages");
    tcase_add_test(tc, shipped_courses_agree_across_languages);
    tcase_add_test(tc, languages_that_differ_fail_validation);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return wb_test_main(suite()); }
