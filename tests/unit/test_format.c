/* Unit tests of the format stage (src/format): line breaking within the region, pagination
 * (breaks, keeps, widows and orphans, spaces at the top of a page), static content with page
 * numbers, citations, leaders and images.  The FO documents are the .fo files of tests/data/unit/fo; the
 * tests read the text dump of wb_format_dump (format: src/page.c, wb_page_dump). */
#include "workbook/format.h"

#include <cairo.h>
#include <check.h>
#include <libxml/parser.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "format/blobkey.h"
#include "format/blocks.h"
#include "format/format-private.h"
#include "unit/support.h"

/* pango loads fontconfig, which keeps its configuration for the life of the process; when
 * LeakSanitizer runs (tests/run-tests.sh turns it off, a hand-built test does not) only that
 * is excused, not leaks of the engine. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
    return "leak:libfontconfig.so\n";
}
const char *__lsan_default_options(void);
const char *__lsan_default_options(void)
{
    return "print_suppressions=0";
}

/* All test documents: page 200x300pt, margins 20pt, so the body is x 20..180, y 20..280. */
#define BODY_LEFT 20.0
#define BODY_RIGHT 180.0
#define BODY_TOP 20.0
#define BODY_BOTTOM 280.0

/* ---- the dump, parsed ---- */

typedef struct d_area {
    char kind[8];
    double x, y, w, h;
    double tw;       /* text: width of the line */
    char text[512];  /* text: its characters; link/dest: the name */
} d_area;

typedef struct d_page {
    int index;
    char num[32];
    double pw, ph;
    d_area *areas;
    int n;
} d_page;

typedef struct d_doc {
    d_page *pages;
    int n;
    char *raw;
    wb_ctx *ctx;
    wb_status status;
} d_doc;

static void test_parse_dump(d_doc *doc, const char *raw)
{
    const char *p = raw;
    while (*p) {
        const char *e = strchr(p, '\n');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        char line[1024];
        snprintf(line, sizeof line, "%.*s", (int)len, p);
        p += len + (e ? 1 : 0);
        if (!strncmp(line, "page ", 5)) {
            doc->pages = realloc(doc->pages, (size_t)(doc->n + 1) * sizeof *doc->pages);
            d_page *pg = &doc->pages[doc->n++];
            memset(pg, 0, sizeof *pg);
            int got = sscanf(line, "page %d (%31[^)]) %lfx%lf", &pg->index, pg->num, &pg->pw, &pg->ph);
            if (got < 4) {
                pg->num[0] = 0;
                got = sscanf(line, "page %d () %lfx%lf", &pg->index, &pg->pw, &pg->ph) + 1;
            }
            ck_assert_msg(got == 4, "bad page line: %s", line);
            continue;
        }
        if (strncmp(line, "  ", 2) != 0 || doc->n == 0)
            continue;
        d_page *pg = &doc->pages[doc->n - 1];
        pg->areas = realloc(pg->areas, (size_t)(pg->n + 1) * sizeof *pg->areas);
        d_area *a = &pg->areas[pg->n++];
        memset(a, 0, sizeof *a);
        int used = 0;
        ck_assert_msg(sscanf(line, " %7s %lf %lf %lf %lf%n", a->kind, &a->x, &a->y, &a->w, &a->h, &used) == 5,
                      "bad area line: %s", line);
        const char *rest = line + used;
        if (!strcmp(a->kind, "text")) {
            ck_assert_msg(sscanf(rest, " w=%lf", &a->tw) == 1, "bad text line: %s", line);
            const char *q1 = strchr(rest, '"'), *q2 = strrchr(rest, '"');
            if (q1 && q2 > q1)
                snprintf(a->text, sizeof a->text, "%.*s", (int)(q2 - q1 - 1), q1 + 1);
        } else if (*rest == ' ') {
            snprintf(a->text, sizeof a->text, "%s", rest + 1);
        }
    }
}

/* Formats tests/data/unit/fo/<name> and parses the dump. */
static d_doc test_format_file(const char *name, const char *base_dir)
{
    char rel[PATH_MAX];
    snprintf(rel, sizeof rel, "tests/data/unit/fo/%s", name);
    char *path = strdup(wb_test_path(rel));
    d_doc doc = {0};
    doc.ctx = wb_ctx_new();
    xmlDocPtr fo = xmlReadFile(path, NULL, XML_PARSE_NONET);
    ck_assert_msg(fo != NULL, "cannot parse %s", path);
    size_t len = 0;
    FILE *out = open_memstream(&doc.raw, &len);
    doc.status = wb_format_dump(doc.ctx, fo, name, base_dir, out);
    fclose(out);
    xmlFreeDoc(fo);
    free(path);
    test_parse_dump(&doc, doc.raw);
    return doc;
}

static void test_doc_free(d_doc *doc)
{
    for (int i = 0; i < doc->n; i++)
        free(doc->pages[i].areas);
    free(doc->pages);
    free(doc->raw);
    wb_ctx_free(doc->ctx);
}

/* The page (0-based) of the first text area containing needle, -1 if none; *area gets it. */
static int test_find_text(const d_doc *doc, const char *needle, const d_area **area)
{
    for (int i = 0; i < doc->n; i++)
        for (int k = 0; k < doc->pages[i].n; k++) {
            const d_area *a = &doc->pages[i].areas[k];
            if (!strcmp(a->kind, "text") && strstr(a->text, needle)) {
                if (area)
                    *area = a;
                return i;
            }
        }
    return -1;
}

static int test_count_kind(const d_page *pg, const char *kind, const char *needle)
{
    int c = 0;
    for (int k = 0; k < pg->n; k++)
        if (!strcmp(pg->areas[k].kind, kind) && (!needle || strstr(pg->areas[k].text, needle)))
            c++;
    return c;
}

#define ck_assert_near(a, b, tol) \
    ck_assert_msg(fabs((double)(a) - (double)(b)) <= (tol), "%s = %.2f, want %.2f", #a, (double)(a), (double)(b))

/* ---- line breaking ---- */

START_TEST(test_paragraph_wraps_within_region)
{
    d_doc doc = test_format_file("wrap.fo", NULL);
    char *diags = test_diags_text(doc.ctx);
    ck_assert_msg(doc.status == WB_OK, "%s", diags);
    ck_assert_int_eq(doc.n, 1);
    /* lines of each block, by the destination that opens it */
    const char *blocks[] = {"ragged", "justified", "indented", "long-word"};
    int lines[4] = {0};
    double left[4] = {BODY_LEFT, BODY_LEFT, BODY_LEFT + 30, BODY_LEFT};
    double right[4] = {BODY_RIGHT, BODY_RIGHT, BODY_RIGHT - 20, BODY_RIGHT};
    char ragged[2048] = "";
    int cur = -1;
    const d_page *pg = &doc.pages[0];
    for (int k = 0; k < pg->n; k++) {
        const d_area *a = &pg->areas[k];
        if (!strcmp(a->kind, "dest")) {
            for (int b = 0; b < 4; b++)
                if (!strcmp(a->text, blocks[b]))
                    cur = b;
            continue;
        }
        if (strcmp(a->kind, "text") != 0)
            continue;
        ck_assert_int_ge(cur, 0);
        lines[cur]++;
        ck_assert_msg(a->x >= left[cur] - 0.5, "%s: line \"%s\" starts at %.1f", blocks[cur], a->text, a->x);
        ck_assert_msg(a->x + a->tw <= right[cur] + 0.5, "%s: line \"%s\" ends at %.1f > %.1f", blocks[cur],
                      a->text, a->x + a->tw, right[cur]);
        if (cur == 0) {
            /* the space a line breaks at belongs to no line */
            if (*ragged)
                strncat(ragged, " ", sizeof ragged - strlen(ragged) - 1);
            strncat(ragged, a->text, sizeof ragged - strlen(ragged) - 1);
        }
    }
    for (int b = 0; b < 4; b++)
        ck_assert_msg(lines[b] >= 2, "%s: %d lines", blocks[b], lines[b]);
    /* nothing lost or doubled at the breaks */
    ck_assert_str_eq(ragged, "Nous partirons d’une distinction simple en apparence : tous ceux qui vous "
                             "achètent quelque chose ne sont pas des clients au sens plein du terme.");
    free(diags);
    test_doc_free(&doc);
}
END_TEST

START_TEST(test_justified_lines_fill_the_width)
{
    d_doc doc = test_format_file("wrap.fo", NULL);
    const d_page *pg = &doc.pages[0];
    bool in = false;
    int n = 0;
    double widths[16];
    for (int k = 0; k < pg->n; k++) {
        const d_area *a = &pg->areas[k];
        if (!strcmp(a->kind, "dest"))
            in = !strcmp(a->text, "justified");
        else if (in && !strcmp(a->kind, "text") && n < 16)
            widths[n++] = a->tw;
    }
    ck_assert_int_ge(n, 3);
    for (int i = 0; i < n - 1; i++)
        ck_assert_near(widths[i], BODY_RIGHT - BODY_LEFT, 0.6);
    /* the last line is set at its natural width (test_linebreak checks it is not stretched);
     * total fit may well make that the full width */
    ck_assert(widths[n - 1] <= BODY_RIGHT - BODY_LEFT + 0.6);
    test_doc_free(&doc);
}
END_TEST

/* ---- pagination ---- */

START_TEST(test_page_count_long_text)
{
    d_doc doc = test_format_file("pages.fo", NULL);
    char *diags = test_diags_text(doc.ctx);
    ck_assert_msg(doc.status == WB_OK, "%s", diags);
    /* 50 lines of 12pt, 21 to a 260pt body */
    ck_assert_int_eq(doc.n, 3);
    int expect = 1;
    for (int i = 0; i < doc.n; i++) {
        const d_page *pg = &doc.pages[i];
        ck_assert_int_eq(pg->index, i + 1);
        ck_assert_near(pg->pw, 200, 0.05);
        ck_assert_near(pg->ph, 300, 0.05);
        ck_assert_int_le(test_count_kind(pg, "text", NULL), 21);
        double prev = -1;
        for (int k = 0; k < pg->n; k++) {
            const d_area *a = &pg->areas[k];
            if (strcmp(a->kind, "text"))
                continue;
            char want[32];
            snprintf(want, sizeof want, "Line %d", expect++);
            ck_assert_str_eq(a->text, want);
            ck_assert(a->y > BODY_TOP && a->y < BODY_BOTTOM);
            if (prev >= 0)
                ck_assert_near(a->y - prev, 12, 0.05);
            prev = a->y;
        }
    }
    ck_assert_int_eq(expect, 51);
    free(diags);
    test_doc_free(&doc);
}
END_TEST

START_TEST(test_break_before_and_after_page)
{
    d_doc doc = test_format_file("break.fo", NULL);
    ck_assert_int_eq(doc.status, WB_OK);
    ck_assert_int_eq(doc.n, 3);
    ck_assert_int_eq(test_find_text(&doc, "First block", NULL), 0);
    ck_assert_int_eq(test_find_text(&doc, "Second block", NULL), 1);
    ck_assert_int_eq(test_find_text(&doc, "Third block", NULL), 1);
    ck_assert_int_eq(test_find_text(&doc, "Fourth block", NULL), 1);
    ck_assert_int_eq(test_find_text(&doc, "Fifth block", NULL), 2);
    /* the block after a break starts at the top of its page */
    const d_area *a;
    test_find_text(&doc, "Second block", &a);
    const d_area *first;
    test_find_text(&doc, "First block", &first);
    ck_assert_near(a->y, first->y, 0.05);
    test_doc_free(&doc);
}
END_TEST

START_TEST(test_keep_with_next)
{
    /* without the keep the heading is the last line of page 1 (the test's premise) */
    d_doc plain = test_format_file("nokeep.fo", NULL);
    ck_assert_int_eq(test_find_text(&plain, "HEADING", NULL), 0);
    ck_assert_int_eq(test_find_text(&plain, "BODY", NULL), 1);
    test_doc_free(&plain);
    /* with it, the heading goes over with its paragraph */
    d_doc doc = test_format_file("keep.fo", NULL);
    ck_assert_int_eq(doc.status, WB_OK);
    int h = test_find_text(&doc, "HEADING", NULL), b = test_find_text(&doc, "BODY", NULL);
    ck_assert_int_ge(h, 0);
    ck_assert_int_eq(h, b);
    ck_assert_int_eq(doc.n, 2);
    ck_assert_int_eq(test_count_kind(&doc.pages[0], "text", "Filler"), 20);
    test_doc_free(&doc);
}
END_TEST

static void check_no_lonely_line(const char *file)
{
    d_doc doc = test_format_file(file, NULL);
    char *diags = test_diags_text(doc.ctx);
    ck_assert_msg(doc.status == WB_OK, "%s", diags);
    ck_assert_int_eq(doc.n, 2);
    int total = 0;
    for (int i = 0; i < doc.n; i++) {
        int c = test_count_kind(&doc.pages[i], "text", "PARA-");
        total += c;
        /* two lines at least wherever the paragraph is cut (widows = orphans = 2) */
        ck_assert_msg(c == 0 || c >= 2, "%s: page %d has %d line(s) of the paragraph:\n%s", file, i + 1, c,
                      doc.raw);
    }
    ck_assert_int_eq(total, 5);
    /* the last page never starts with a single line of the paragraph */
    const d_page *last = &doc.pages[doc.n - 1];
    ck_assert_int_ne(test_count_kind(last, "text", "PARA-"), 1);
    /* and the lines stay in order */
    ck_assert_int_ge(test_find_text(&doc, "PARA-4", NULL), test_find_text(&doc, "PARA-3", NULL));
    ck_assert_int_ge(test_find_text(&doc, "PARA-5", NULL), test_find_text(&doc, "PARA-4", NULL));
    free(diags);
    test_doc_free(&doc);
}

START_TEST(test_widows)
{
    check_no_lonely_line("widows.fo");
}
END_TEST

START_TEST(test_orphans)
{
    check_no_lonely_line("orphans.fo");
}
END_TEST

START_TEST(test_space_before_discarded_at_page_top)
{
    d_doc doc = test_format_file("space.fo", NULL);
    char *diags = test_diags_text(doc.ctx);
    ck_assert_msg(doc.status == WB_OK, "%s", diags);
    const d_area *top1, *mid1, *top2, *top3, *top5;
    ck_assert_int_eq(test_find_text(&doc, "TOP-1", &top1), 0);
    ck_assert_int_eq(test_find_text(&doc, "MID-1", &mid1), 0);
    ck_assert_int_eq(test_find_text(&doc, "TOP-2", &top2), 1);
    ck_assert_int_eq(test_find_text(&doc, "TOP-3", &top3), 2);
    int p5 = test_find_text(&doc, "TOP-5", &top5);
    /* between blocks the space is there */
    ck_assert_near(mid1->y, top1->y + 12 + 30, 0.05);
    /* at the top of a page after a forced break it is discarded */
    ck_assert_near(top2->y, top1->y, 0.05);
    /* unless retained */
    ck_assert_near(top3->y, top1->y + 30, 0.05);
    /* and after a natural break too */
    ck_assert_int_eq(p5, 4);
    ck_assert_near(top5->y, top1->y, 0.05);
    free(diags);
    test_doc_free(&doc);
}
END_TEST

START_TEST(test_table_columns_and_header)
{
    d_doc doc = test_format_file("table.fo", NULL);
    char *diags = test_diags_text(doc.ctx);
    ck_assert_msg(doc.status == WB_OK, "%s", diags);
    ck_assert_int_eq(doc.n, 2);
    /* columns of 30% and 70% of 160pt */
    const d_area *a, *b;
    ck_assert_int_eq(test_find_text(&doc, "Row 1", &a), 0);
    ck_assert_int_eq(test_find_text(&doc, "Cell 1", &b), 0);
    ck_assert_near(a->x, BODY_LEFT, 0.05);
    ck_assert_near(b->x, BODY_LEFT + 48, 0.05);
    ck_assert_near(a->y, b->y, 0.05);
    /* every row once, in order */
    int rows = 0;
    for (int i = 0; i < doc.n; i++)
        rows += test_count_kind(&doc.pages[i], "text", "Row ");
    ck_assert_int_eq(rows, 30);
    /* the header opens the table on every page it is on */
    for (int i = 0; i < doc.n; i++) {
        const d_page *pg = &doc.pages[i];
        ck_assert_msg(test_count_kind(pg, "text", "HEAD-A") == 1, "page %d of %d has no table header", i + 1, doc.n);
        double head_y = 0, first_row_y = 1e9;
        for (int k = 0; k < pg->n; k++) {
            const d_area *x = &pg->areas[k];
            if (!strcmp(x->kind, "text") && !strcmp(x->text, "HEAD-A"))
                head_y = x->y;
            if (!strcmp(x->kind, "text") && !strncmp(x->text, "Row ", 4) && x->y < first_row_y)
                first_row_y = x->y;
        }
        ck_assert(head_y < first_row_y);
    }
    free(diags);
    test_doc_free(&doc);
}
END_TEST

/* ---- page numbers ---- */

START_TEST(test_page_number_in_static_content)
{
    d_doc doc = test_format_file("page-number.fo", NULL);
    char *diags = test_diags_text(doc.ctx);
    ck_assert_msg(doc.status == WB_OK, "%s", diags);
    /* the next sequence starts at 1, an odd number: force-page-count="auto" ends this one
     * on an even page, so a blank page 4 comes in (XSL 7.27.6) */
    ck_assert_int_eq(doc.n, 6);
    const char *nums[] = {"1", "2", "3", "4", "i", "ii"};
    for (int i = 0; i < 6; i++) {
        const d_page *pg = &doc.pages[i];
        ck_assert_int_eq(pg->index, i + 1);
        ck_assert_str_eq(pg->num, nums[i]);
        char want[32];
        snprintf(want, sizeof want, "Page %s", nums[i]);
        int found = 0;
        for (int k = 0; k < pg->n; k++) {
            const d_area *a = &pg->areas[k];
            if (strcmp(a->kind, "text"))
                continue;
            if (!strcmp(a->text, want)) {
                found++;
                /* in region-before: 20..40 */
                ck_assert(a->y > 20 && a->y < 40);
            }
            if (!strncmp(a->text, "Footer", 6) && i < 3) {
                char fw[32];
                snprintf(fw, sizeof fw, "Footer %s", nums[i]);
                ck_assert_str_eq(a->text, fw);
                ck_assert(a->y > 260 && a->y < 280);
                ck_assert_near(a->x + a->tw, BODY_RIGHT, 0.5); /* text-align end */
            }
        }
        ck_assert_msg(found == 1, "page %d: \"%s\" found %d times:\n%s", i + 1, want, found, doc.raw);
    }
    free(diags);
    test_doc_free(&doc);
}
END_TEST

START_TEST(test_format_page_number_function)
{
    static const struct {
        int n;
        const char *format, *want;
    } cases[] = {
        {1, "1", "1"},      {12, "1", "12"},      {7, "01", "07"},   {123, "01", "123"},
        {1, "i", "i"},      {2, "i", "ii"},       {4, "i", "iv"},    {9, "i", "ix"},
        {14, "i", "xiv"},   {1994, "I", "MCMXCIV"}, {1, "a", "a"},   {26, "a", "z"},
        {27, "a", "aa"},    {28, "A", "AB"},      {5, NULL, "5"},    {5, "", "5"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char *s = format_page_number(cases[i].n, cases[i].format);
        ck_assert_msg(s && !strcmp(s, cases[i].want), "%d in \"%s\": \"%s\", want \"%s\"", cases[i].n,
                      cases[i].format ? cases[i].format : "(null)", s ? s : "(null)", cases[i].want);
        g_free(s);
    }
}
END_TEST

START_TEST(test_page_number_citation)
{
    d_doc doc = test_format_file("citation.fo", NULL);
    char *diags = test_diags_text(doc.ctx);
    ck_assert_msg(doc.status == WB_OK, "%s", diags);
    ck_assert_int_eq(doc.n, 3);
    ck_assert_int_eq(test_find_text(&doc, "The answer is here.", NULL), 2);
    ck_assert_msg(test_find_text(&doc, "See page 3 for the answer.", NULL) == 0, "%s", doc.raw);
    ck_assert_msg(test_find_text(&doc, "Span ends on page 3.", NULL) == 0, "%s", doc.raw);
    /* an id nowhere: a warning with the citation's line, and no number */
    const wb_diagnostic *d = NULL;
    ck_assert_msg(test_count_diags(doc.ctx, WB_SEV_WARNING, "nowhere", &d) == 1, "%s", diags);
    ck_assert_int_eq(d->line, 13);
    const d_area *a;
    ck_assert_int_eq(test_find_text(&doc, "Missing:", &a), 0);
    ck_assert_ptr_null(strpbrk(a->text, "0123456789"));
    free(diags);
    test_doc_free(&doc);
}
END_TEST

/* ---- leaders and images ---- */

START_TEST(test_leader_dots)
{
    d_doc doc = test_format_file("leader.fo", NULL);
    ck_assert_int_eq(doc.status, WB_OK);
    ck_assert_int_eq(doc.n, 1);
    const d_page *pg = &doc.pages[0];
    const d_area *toc;
    ck_assert_int_eq(test_find_text(&doc, "Chapter one", &toc), 0);
    const d_area *dots = NULL, *rule = NULL;
    for (int k = 0; k < pg->n; k++) {
        if (!strcmp(pg->areas[k].kind, "dots") && !dots)
            dots = &pg->areas[k];
        if (!strcmp(pg->areas[k].kind, "rule") && !rule)
            rule = &pg->areas[k];
    }
    ck_assert_msg(dots != NULL, "no dots area:\n%s", doc.raw);
    /* the dots fill the gap between "Chapter one" and "5", on the line's baseline */
    ck_assert(dots->w > 60);
    ck_assert(dots->x > BODY_LEFT + 40);
    ck_assert(dots->x + dots->w <= BODY_RIGHT + 0.5);
    ck_assert_near(dots->y, toc->y, 0.05);
    /* the TOC line reaches the right edge (the page number is set flush right) */
    ck_assert_near(toc->x + toc->tw, BODY_RIGHT, 0.5);
    /* the rule leader has its fixed length */
    ck_assert_msg(rule != NULL, "no rule area:\n%s", doc.raw);
    ck_assert_near(rule->w, 50, 0.05);
    test_doc_free(&doc);
}
END_TEST

/* Writes a PNG of w x h pixels and an SVG of 40x20pt into dir. */
static void test_write_images(const char *dir)
{
    char path[PATH_MAX];
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 96, 48);
    cairo_t *cr = cairo_create(s);
    cairo_set_source_rgb(cr, 0.12, 0.3, 0.47);
    cairo_paint(cr);
    cairo_destroy(cr);
    snprintf(path, sizeof path, "%s/unit-test.png", dir);
    ck_assert_int_eq(cairo_surface_write_to_png(s, path), CAIRO_STATUS_SUCCESS);
    cairo_surface_destroy(s);
    snprintf(path, sizeof path, "%s/unit-test.svg", dir);
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs("<svg xmlns='http://www.w3.org/2000/svg' width='40pt' height='20pt' viewBox='0 0 40 20'>"
          "<rect width='40' height='20' fill='#1f4e79'/></svg>\n",
          f);
    ck_assert_int_eq(fclose(f), 0);
}

static void test_rmtree(const char *dir)
{
    char *cmd = NULL;
    ck_assert_int_ge(asprintf(&cmd, "rm -rf '%s'", dir), 0);
    ck_assert_int_eq(system(cmd), 0);
    free(cmd);
}

START_TEST(test_external_graphic)
{
    char *dir = wb_test_tmpdir();
    ck_assert_ptr_nonnull(dir);
    test_write_images(dir);
    d_doc doc = test_format_file("image.fo", dir);
    char *diags = test_diags_text(doc.ctx);
    ck_assert_msg(doc.status == WB_OK, "%s", diags);
    ck_assert_int_eq(doc.n, 1);
    const d_page *pg = &doc.pages[0];
    /* content-width 50pt of a 96x48-pixel PNG (no resolution in the file: 72 dpi, as FOP
     * assumes, so 96x48pt); 80pt of a 40x20pt SVG; the PNG as it is; the SVG 10pt high */
    const double want[4][2] = {{50, 25}, {80, 40}, {96, 48}, {20, 10}};
    int n = 0;
    double prev_y = 0;
    for (int k = 0; k < pg->n; k++) {
        const d_area *a = &pg->areas[k];
        if (strcmp(a->kind, "image"))
            continue;
        ck_assert_int_lt(n, 4);
        ck_assert_msg(fabs(a->w - want[n][0]) < 0.15 && fabs(a->h - want[n][1]) < 0.15,
                      "image %d is %.1fx%.1f, want %.1fx%.1f", n + 1, a->w, a->h, want[n][0], want[n][1]);
        ck_assert(a->x >= BODY_LEFT - 0.05 && a->x + a->w <= BODY_RIGHT + 0.05);
        ck_assert(a->y >= prev_y - 0.05);
        prev_y = a->y + a->h;
        n++;
    }
    ck_assert_msg(n == 4, "%d images:\n%s", n, doc.raw);
    ck_assert(prev_y <= BODY_BOTTOM);
    free(diags);
    test_doc_free(&doc);
    test_rmtree(dir);
    free(dir);
}
END_TEST

/* A missing image in FO rendered on its own: a warning at its line, its place left empty
 * (as Apache FOP does), the page made. */
START_TEST(test_external_graphic_missing)
{
    d_doc doc = test_format_file("image-missing.fo", NULL);
    char *diags = test_diags_text(doc.ctx);
    ck_assert_msg(doc.status == WB_OK, "%s", diags);
    ck_assert_int_eq(doc.n, 1);
    const wb_diagnostic *d = NULL;
    ck_assert_msg(test_count_diags(doc.ctx, WB_SEV_WARNING, "no-such-image.png", &d) == 1, "%s", diags);
    ck_assert_int_eq(d->line, 12);
    ck_assert_int_eq(test_count_diags(doc.ctx, WB_SEV_ERROR, "", NULL), 0);
    free(diags);
    test_doc_free(&doc);
}
END_TEST

/* A flow named for no region: a warning at its line, its content set in the body (FOP's
 * relaxed validation goes on the same way). */
START_TEST(test_flow_name_unmapped)
{
    d_doc doc = test_format_file("flow-unmapped.fo", NULL);
    char *diags = test_diags_text(doc.ctx);
    ck_assert_msg(doc.status == WB_OK, "%s", diags);
    ck_assert_int_eq(doc.n, 1);
    const wb_diagnostic *d = NULL;
    ck_assert_msg(test_count_diags(doc.ctx, WB_SEV_WARNING, "my-body", &d) == 1, "%s", diags);
    ck_assert_int_eq(d->line, 10);
    ck_assert_int_eq(test_count_kind(&doc.pages[0], "text", "Set all the same"), 1);
    free(diags);
    test_doc_free(&doc);
}
END_TEST

/* ---- links ---- */

START_TEST(test_basic_link_destinations)
{
    /* external-destination is a uri-specification: the link goes to the address inside
     * url(...), as styles/common.xsl writes it, not to the text "url('...')" */
    d_doc doc = test_format_file("link.fo", NULL);
    char *diags = test_diags_text(doc.ctx);
    ck_assert_msg(doc.status == WB_OK, "%s", diags);
    ck_assert_int_eq(doc.n, 1);
    const d_page *pg = &doc.pages[0];
    const char *want[] = {"https://example.org/a?b=1", "https://example.org/plain", "https://example.org/raw",
                          "tgt"};
    const char *words[] = {"quoted", "bare", "raw", "internal"};
    int n = 0;
    for (int k = 0; k < pg->n; k++) {
        const d_area *a = &pg->areas[k];
        if (strcmp(a->kind, "link"))
            continue;
        ck_assert_int_lt(n, 4);
        ck_assert_msg(!strcmp(a->text, want[n]), "link %d goes to \"%s\", want \"%s\"", n + 1, a->text, want[n]);
        /* the link covers its text */
        const d_area *t;
        ck_assert_int_eq(test_find_text(&doc, words[n], &t), 0);
        ck_assert_near(a->x, t->x, 0.05);
        ck_assert_near(a->w, t->tw, 0.1);
        ck_assert(a->y <= t->y && a->y + a->h >= t->y);
        n++;
    }
    ck_assert_int_eq(n, 4);
    free(diags);
    test_doc_free(&doc);
}
END_TEST

/* ---- diagnostics ---- */

START_TEST(test_unsupported_reported_once)
{
    /* several passes (a citation), several pages: each thing once, at its first line */
    d_doc doc = test_format_file("unsupported.fo", NULL);
    char *diags = test_diags_text(doc.ctx);
    ck_assert_msg(doc.status == WB_OK, "%s", diags);
    ck_assert_int_eq(doc.n, 3);
    const wb_diagnostic *d = NULL;
    ck_assert_msg(test_count_diags(doc.ctx, WB_SEV_WARNING, "frobnicate", &d) == 1, "%s", diags);
    ck_assert_int_eq(d->line, 13);
    ck_assert_msg(test_count_diags(doc.ctx, WB_SEV_WARNING, "float", &d) == 1, "%s", diags);
    ck_assert_int_eq(d->line, 14);
    /* two columns are supported: nothing to say about them */
    ck_assert_msg(test_count_diags(doc.ctx, WB_SEV_WARNING, "column", &d) == 0, "%s", diags);
    ck_assert_msg(test_find_text(&doc, "See page 3.", NULL) == 0, "%s", doc.raw);
    free(diags);
    test_doc_free(&doc);
}
END_TEST

START_TEST(test_not_fo_document)
{
    wb_ctx *ctx = wb_ctx_new();
    xmlDocPtr doc = xmlReadMemory("<html/>", 7, "x.html", NULL, 0);
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    ck_assert_int_eq(wb_format_dump(ctx, doc, "x.html", NULL, out), WB_ERR_INPUT);
    fclose(out);
    ck_assert_ptr_null(strstr(buf, "page "));
    ck_assert_int_eq(wb_ctx_status(ctx), WB_ERR_INPUT);
    free(buf);
    xmlFreeDoc(doc);
    wb_ctx_free(ctx);
}
END_TEST

/* ---- para_layout ---- */

START_TEST(test_para_layout_lines)
{
    static const char src[] =
        "<fo:root xmlns:fo='http://www.w3.org/1999/XSL/Format'><fo:layout-master-set>"
        "<fo:simple-page-master master-name='p'><fo:region-body/></fo:simple-page-master>"
        "</fo:layout-master-set><fo:page-sequence master-reference='p'><fo:flow flow-name='xsl-region-body'>"
        "<fo:block id='b' font-family='PT Serif' font-size='10pt' line-height='13pt' text-indent='15pt'>"
        "Toute la journée tourne autour d’une question : comment faire de vos acheteurs des "
        "clients qui restent, qui acceptent le juste prix et qui parlent de vous en bien ?</fo:block>"
        "<fo:block id='blank'>   \n  </fo:block>"
        "</fo:flow></fo:page-sequence></fo:root>";
    wb_ctx *ctx = wb_ctx_new();
    xmlDocPtr doc = xmlReadMemory(src, (int)sizeof src - 1, "p.fo", NULL, 0);
    wb_fo_tree *tree = wb_fo_tree_new(ctx, doc, "p.fo");
    ck_assert_ptr_nonnull(tree);
    const wb_fo *flow = wb_fo_child(wb_fo_child(tree->root, FO_PAGE_SEQUENCE), FO_FLOW);
    const wb_fo *block = wb_fo_child(flow, FO_BLOCK);
    ck_assert_str_eq(block->id, "b");
    PangoFontMap *fm = pango_cairo_font_map_new();
    PangoContext *pc = pango_font_map_create_context(fm);
    pango_cairo_context_set_resolution(pc, 72);
    formatter f = {.ctx = ctx, .file = "p.fo", .tree = tree, .pango = pc};
    f.images = g_hash_table_new(g_str_hash, g_str_equal);
    f.shapes = lb_cache_new();
    f.font_extents = g_hash_table_new_full(blob_key_hash, blob_key_equal, g_free, g_free);
    f.strings = g_string_chunk_new(256);
    f.id_first = g_hash_table_new(g_str_hash, g_str_equal);
    f.id_last = g_hash_table_new(g_str_hash, g_str_equal);
    font_sets_start(&f);
    const double width = 120;
    para *p = para_layout(&f, block, block->first, NULL, width, true, true);
    ck_assert_ptr_nonnull(p);
    ck_assert_uint_ge(p->lines->len, 3);
    for (guint i = 0; i < p->lines->len; i++) {
        para_line *pl = &g_array_index(p->lines, para_line, i);
        double w = pl->line->width;
        ck_assert_msg(pl->x + w <= width + 0.5, "line %u ends at %.1f", i, pl->x + w);
        ck_assert_near(pl->height, 13, 0.01);
        ck_assert(pl->baseline > 0 && pl->baseline < pl->height);
        /* text-indent on the first line only */
        if (i == 0)
            ck_assert_near(pl->x, 15, 0.01);
        else
            ck_assert_near(pl->x, 0, 0.01);
    }
    para_free(p);
    /* white space only: no paragraph at all */
    const wb_fo *blank = block->next;
    while (blank && blank->kind != FO_BLOCK)
        blank = blank->next;
    ck_assert_ptr_nonnull(blank);
    ck_assert_ptr_null(para_layout(&f, blank, blank->first, NULL, width, true, true));
    g_hash_table_destroy(f.images);
    lb_cache_free(f.shapes);
    g_hash_table_destroy(f.font_extents);
    g_string_chunk_free(f.strings);
    g_hash_table_destroy(f.id_first);
    g_hash_table_destroy(f.id_last);
    font_sets_free(&f);
    g_object_unref(pc);
    g_object_unref(fm);
    wb_fo_tree_free(tree);
    xmlFreeDoc(doc);
    wb_ctx_free(ctx);
}
END_TEST

/* ---- boxes cut where a page ends inside them (table row groups) ---- */

static int rule_at(const area_list *l, double y)
{
    int n = 0;
    for (guint i = 0; l && i < l->len; i++) {
        const wb_area *a = &g_array_index(l, wb_area, i);
        if (a->kind == WB_AREA_RULE && a->h == 0 && fabs(a->y - y) < 0.01)
            n++;
    }
    return n;
}

START_TEST(test_split_box_moves_areas_cuts_and_notes)
{
    /* a 40pt box: a background over all of it, rules at 5 and 20, cuts at 14 and 28,
     * a note cited at 2 and one at 30; one frame retaining 3pt after and 4pt before */
    vlist *vl = vlist_new();
    vitem v = {.kind = VI_BOX, .h = 40, .pen = 7};
    wb_border solid = {.width = 1, .style = BORDER_SOLID, .retain = true};
    area_push(&v.areas, (wb_area){.kind = WB_AREA_FILL, .x = 0, .y = 0, .w = 50, .h = 40, .color = {0, 0, 0, 1}});
    area_rule(&v.areas, 0, 5, 50, 0, &solid);
    area_rule(&v.areas, 0, 20, 50, 0, &solid);
    v.cuts = g_new0(box_cuts, 1);
    v.cuts->at = g_array_new(FALSE, FALSE, sizeof(box_cut));
    v.cuts->note_y = g_array_new(FALSE, FALSE, sizeof(double));
    v.cuts->frames = g_array_new(FALSE, FALSE, sizeof(box_frame));
    box_cut c1 = {.y = 14, .pen = 100, .after = 3, .before = 4}, c2 = {.y = 28, .pen = 200};
    g_array_append_val(v.cuts->at, c1);
    g_array_append_val(v.cuts->at, c2);
    box_frame fr = {.x = 0, .w = 50, .y0 = 0, .y1 = 40, .bg = {1, 1, 1, 1}};
    fr.border[SIDE_BEFORE] = fr.border[SIDE_AFTER] = solid;
    g_array_append_val(v.cuts->frames, fr);
    v.notes = g_ptr_array_new();
    static int note_a, note_b; /* stand-ins: the notes are only carried */
    g_ptr_array_add(v.notes, &note_a);
    g_ptr_array_add(v.notes, &note_b);
    double ys[2] = {2, 30};
    g_array_append_vals(v.cuts->note_y, ys, 2);
    vlist_push(vl, v);

    vlist_split_box(vl, 0, 0);
    ck_assert_uint_eq(vl->items->len, 2);
    const vitem *above = &g_array_index(vl->items, vitem, 0), *below = &g_array_index(vl->items, vitem, 1);
    ck_assert_near(above->h, 14 + 3, 0.001);       /* the cut and what is retained after it */
    ck_assert_near(below->h, 40 - 14 + 4, 0.001);  /* the rest and what is retained before it */
    ck_assert_int_eq(above->pen, 7);
    ck_assert_int_eq(below->pen, 100);             /* a break there costs the cut's penalty */
    ck_assert_int_eq(rule_at(above->areas, 5), 1); /* each rule with its part, moved */
    ck_assert_int_eq(rule_at(above->areas, 20), 0);
    ck_assert_int_eq(rule_at(below->areas, 20 - 14 + 4), 1);
    ck_assert_int_eq(rule_at(above->areas, 17 - 0.5), 1); /* the retained after border */
    ck_assert_int_eq(rule_at(below->areas, 0.5), 1);      /* the retained before border */
    /* the later cut, moved; the notes each with its part */
    ck_assert_uint_eq(above->cuts->at->len, 0);
    ck_assert_uint_eq(below->cuts->at->len, 1);
    ck_assert_near(g_array_index(below->cuts->at, box_cut, 0).y, 28 - 14 + 4, 0.001);
    ck_assert_uint_eq(above->notes->len, 1);
    ck_assert_ptr_eq(g_ptr_array_index(above->notes, 0), &note_a);
    ck_assert_uint_eq(below->notes->len, 1);
    ck_assert_ptr_eq(g_ptr_array_index(below->notes, 0), &note_b);
    ck_assert_near(g_array_index(below->cuts->note_y, double, 0), 30 - 14 + 4, 0.001);
    /* the part below cut again at its remaining cut */
    vlist_split_box(vl, 1, 0);
    ck_assert_uint_eq(vl->items->len, 3);
    ck_assert_near(g_array_index(vl->items, vitem, 1).h, 4 + 28 - 14, 0.001); /* its retained top, to the cut */
    ck_assert_near(g_array_index(vl->items, vitem, 2).h, 40 - 28, 0.001);
    ck_assert_int_eq(g_array_index(vl->items, vitem, 2).pen, 200);
    vlist_free(vl);
}
END_TEST

/* The baseline of the first text area of page pg containing needle, -1 when none. */
static double text_y_on(const d_page *pg, const char *needle)
{
    for (int k = 0; k < pg->n; k++)
        if (!strcmp(pg->areas[k].kind, "text") && strstr(pg->areas[k].text, needle))
            return pg->areas[k].y;
    return -1;
}

START_TEST(test_footnotes_in_columns)
{
    d_doc doc = test_format_file("footnotes-columns-split.fo", NULL);
    char *diags = test_diags_text(doc.ctx);
    ck_assert_msg(doc.status == WB_OK, "%s", diags);
    ck_assert_int_eq(doc.n, 4);
    /* every page's flow lines lie above its notes, which go across the body at its foot */
    for (int i = 0; i < doc.n; i++) {
        const d_page *pg = &doc.pages[i];
        double note_top = 1e9, line_bottom = 0;
        for (int k = 0; k < pg->n; k++) {
            const d_area *a = &pg->areas[k];
            if (strcmp(a->kind, "text"))
                continue;
            if (strstr(a->text, "note line")) {
                note_top = MIN(note_top, a->y);
                ck_assert_near(a->x, 28.3, 0.1); /* at the body's left, whatever the column */
            } else if (strstr(a->text, "Line")) {
                line_bottom = MAX(line_bottom, a->y);
            }
        }
        ck_assert_msg(note_top < 1e9, "page %d has no notes", i + 1);
        ck_assert_msg(line_bottom + 8 < note_top, "page %d: a line at %.1f, notes from %.1f", i + 1, line_bottom, note_top);
    }
    const d_area *a;
    /* note a, cited in the second column of page 1, on page 1; the first column, which
     * cites nothing, shortened for it: line 15 heads the second column */
    ck_assert_int_eq(test_find_text(&doc, "a note line 2", NULL), 0);
    ck_assert_int_eq(test_find_text(&doc, "Line 15", &a), 0);
    ck_assert_near(a->x, 119.1, 0.1);
    ck_assert_near(a->y, 39.1, 0.1);
    /* note b does not fit under page 1's columns: line 28 moves with it */
    ck_assert_int_eq(test_find_text(&doc, "Line 28", &a), 1);
    ck_assert_near(a->y, 39.3, 0.2);
    ck_assert_int_eq(test_find_text(&doc, "b note line 6", NULL), 1);
    /* note c, taller than the body: its first lines with line 50, on a page that ends
     * there, the rest on the next page under lines 51-60 */
    ck_assert_int_eq(test_find_text(&doc, "Line 50", NULL), 2);
    ck_assert_int_eq(test_count_kind(&doc.pages[2], "text", "Line"), 1);
    ck_assert_int_eq(test_find_text(&doc, "c note line 1", NULL), 2);
    ck_assert_int_eq(test_find_text(&doc, "c note line 30", NULL), 3);
    ck_assert_int_eq(test_find_text(&doc, "Line 51", NULL), 3);
    ck_assert_int_eq(test_find_text(&doc, "Line 60", NULL), 3);
    ck_assert_int_eq(test_count_kind(&doc.pages[2], "text", "c note line") +
                         test_count_kind(&doc.pages[3], "text", "c note line"), 30);
    ck_assert(text_y_on(&doc.pages[3], "c note line 30") > text_y_on(&doc.pages[3], "c note line 21"));
    free(diags);
    test_doc_free(&doc);
}
END_TEST

START_TEST(test_footnotes_in_columns_table_header)
{
    d_doc doc = test_format_file("footnotes-columns-header.fo", NULL);
    char *diags = test_diags_text(doc.ctx);
    ck_assert_msg(doc.status == WB_OK, "%s", diags);
    /* the header cites its note in both columns of page 1: the note is there once */
    ck_assert_int_eq(test_count_kind(&doc.pages[0], "text", "Header note"), 1);
    /* both columns the same height: the last rows of each on one baseline */
    const d_area *a, *b;
    ck_assert_int_eq(test_find_text(&doc, "Row 14", &a), 0);
    ck_assert_int_eq(test_find_text(&doc, "Row 28", &b), 0);
    ck_assert_near(a->y, b->y, 0.2);
    ck_assert(b->x > a->x + 50);
    free(diags);
    test_doc_free(&doc);
}
END_TEST

/* The family pango sets each character of `text` in, with font_attrs for `family`: one
 * name per character, joined by "|" (caller frees). */
static char *families_of(const char *family, const char *text)
{
    PangoFontMap *fm = pango_cairo_font_map_new();
    PangoContext *pc = pango_font_map_create_context(fm);
    formatter f = {.pango = pc};
    font_sets_start(&f);
    wb_style st = {.font_family = family, .font_size = 10, .font_weight = 400};
    PangoAttrList *attrs = pango_attr_list_new();
    font_attrs(&f, attrs, text, 0, (int)strlen(text), &st);
    GList *items = pango_itemize(pc, text, 0, (int)strlen(text), attrs, NULL);
    GString *out = g_string_new(NULL);
    for (GList *l = items; l; l = l->next) {
        PangoItem *it = l->data;
        PangoFontDescription *d = pango_font_describe(it->analysis.font);
        for (int i = 0; i < it->num_chars; i++)
            g_string_append_printf(out, "%s%s", out->len ? "|" : "", pango_font_description_get_family(d));
        pango_font_description_free(d);
    }
    g_list_free_full(items, (GDestroyNotify)pango_item_free);
    pango_attr_list_unref(attrs);
    font_sets_free(&f);
    g_object_unref(pc);
    g_object_unref(fm);
    return g_string_free(out, FALSE);
}

/* A family list is a fallback list: the first family that has a character takes it, a
 * generic or base-14 name stands for an installed font of the same widths, and a symbol
 * font is never taken for letters. */
START_TEST(test_font_family_fallback)
{
    char *s = families_of("serif,Symbol,ZapfDingbats", "Ab\xC2\xA0" "c");
    ck_assert_str_eq(s, "Liberation Serif|Liberation Serif|Liberation Serif|Liberation Serif");
    g_free(s);
    s = families_of("Symbol,sans-serif", "Ab");
    ck_assert_str_eq(s, "Liberation Sans|Liberation Sans");
    g_free(s);
    s = families_of("NoSuchFont, Helvetica", "A");
    ck_assert_str_eq(s, "Liberation Sans");
    g_free(s);
    s = families_of("Courier", "A");
    ck_assert_str_eq(s, "Liberation Mono");
    g_free(s);
    /* an installed family named explicitly stays itself */
    s = families_of("PT Serif, serif", "A");
    ck_assert_str_eq(s, "PT Serif");
    g_free(s);
}
END_TEST

static Suite *format_suite(void)
{
    Suite *s = suite_create("format");
    TCase *tc = tcase_create("lines");
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, test_paragraph_wraps_within_region);
    tcase_add_test(tc, test_justified_lines_fill_the_width);
    tcase_add_test(tc, test_para_layout_lines);
    tcase_add_test(tc, test_font_family_fallback);
    suite_add_tcase(s, tc);
    tc = tcase_create("pages");
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, test_page_count_long_text);
    tcase_add_test(tc, test_break_before_and_after_page);
    tcase_add_test(tc, test_keep_with_next);
    tcase_add_test(tc, test_widows);
    tcase_add_test(tc, test_orphans);
    tcase_add_test(tc, test_space_before_discarded_at_page_top);
    tcase_add_test(tc, test_table_columns_and_header);
    tcase_add_test(tc, test_footnotes_in_columns);
    tcase_add_test(tc, test_footnotes_in_columns_table_header);
    tcase_add_test(tc, test_split_box_moves_areas_cuts_and_notes);
    suite_add_tcase(s, tc);
    tc = tcase_create("numbers");
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, test_page_number_in_static_content);
    tcase_add_test(tc, test_format_page_number_function);
    tcase_add_test(tc, test_page_number_citation);
    suite_add_tcase(s, tc);
    tc = tcase_create("objects");
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, test_leader_dots);
    tcase_add_test(tc, test_external_graphic);
    tcase_add_test(tc, test_external_graphic_missing);
    tcase_add_test(tc, test_flow_name_unmapped);
    tcase_add_test(tc, test_basic_link_destinations);
    tcase_add_test(tc, test_unsupported_reported_once);
    tcase_add_test(tc, test_not_fo_document);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return wb_test_main(format_suite()); }
