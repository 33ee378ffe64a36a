/* Unit tests of the driver (src/build.c) and of what joins the stages: the page sink the
 * formatter hands pages to, the document information it returns as data, the format cache
 * shared by several documents. */
#include "workbook/build.h"

#include <check.h>
#include <libxml/parser.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <glib.h>

#include "unit/support.h"

static const char fo_doc[] =
    "<fo:root xmlns:fo='http://www.w3.org/1999/XSL/Format' xml:lang='fr'>"
    "<fo:layout-master-set><fo:simple-page-master master-name='p' page-width='200pt' page-height='200pt'"
    " margin='20pt'><fo:region-body/></fo:simple-page-master></fo:layout-master-set>"
    "<fo:bookmark-tree>"
    "<fo:bookmark internal-destination='one'><fo:bookmark-title>One</fo:bookmark-title>"
    "<fo:bookmark internal-destination='two' starting-state='hide'><fo:bookmark-title>Two</fo:bookmark-title></fo:bookmark>"
    "</fo:bookmark>"
    "<fo:bookmark internal-destination='nowhere'><fo:bookmark-title>Lost</fo:bookmark-title></fo:bookmark>"
    "</fo:bookmark-tree>"
    "<fo:page-sequence master-reference='p'><fo:title>Le titre</fo:title><fo:flow flow-name='xsl-region-body'>"
    "<fo:block id='one'>Premier</fo:block>"
    "<fo:block break-before='page' id='two'>Deuxième</fo:block>"
    "<fo:block break-before='page'>Troisième</fo:block>"
    "</fo:flow></fo:page-sequence></fo:root>";

static xmlDocPtr fo_parse(void)
{
    xmlDocPtr doc = xmlReadMemory(fo_doc, (int)sizeof fo_doc - 1, "t.fo", NULL, 0);
    ck_assert_ptr_nonnull(doc);
    return doc;
}

typedef struct pages_seen {
    int count;
    int indexes[16];
    int fail_at; /* 1-based page whose hand-over fails; 0: none */
    wb_ctx *ctx;
} pages_seen;

static wb_status count_page(void *data, const wb_page *page)
{
    pages_seen *s = data;
    if (s->count < 16)
        s->indexes[s->count] = page->index;
    s->count++;
    if (s->fail_at && s->count == s->fail_at) {
        wb_error(s->ctx, WB_ERR_IO, "sink", 0, 0, "the sink failed");
        return WB_ERR_IO;
    }
    return WB_OK;
}

START_TEST(test_sink_gets_every_page_in_order)
{
    wb_ctx *ctx = wb_ctx_new();
    wb_ctx_set_quiet(ctx, true);
    xmlDocPtr doc = fo_parse();
    pages_seen seen = {.ctx = ctx};
    wb_page_sink sink = {count_page, &seen};
    wb_format_options opts = {.file = "t.fo"};
    ck_assert_int_eq(wb_format(ctx, doc, &opts, &sink, NULL), WB_OK);
    ck_assert_int_eq(seen.count, 3);
    for (int i = 0; i < 3; i++)
        ck_assert_int_eq(seen.indexes[i], i);
    xmlFreeDoc(doc);
    wb_ctx_free(ctx);
}
END_TEST

START_TEST(test_docinfo_as_data)
{
    wb_ctx *ctx = wb_ctx_new();
    xmlDocPtr doc = fo_parse();
    pages_seen seen = {.ctx = ctx};
    wb_page_sink sink = {count_page, &seen};
    wb_format_options opts = {.file = "t.fo"};
    wb_docinfo info = {0};
    ck_assert_int_eq(wb_format(ctx, doc, &opts, &sink, &info), WB_OK);
    ck_assert_str_eq(info.title, "Le titre");
    ck_assert_str_eq(info.lang, "fr");
    /* the bookmark to a missing id is left out, with a warning naming it */
    ck_assert_uint_eq(info.outline_count, 1);
    ck_assert_str_eq(info.outline[0].title, "One");
    ck_assert_str_eq(info.outline[0].dest, "one");
    ck_assert(info.outline[0].open);
    ck_assert_uint_eq(info.outline[0].count, 1);
    ck_assert_str_eq(info.outline[0].children[0].title, "Two");
    ck_assert(!info.outline[0].children[0].open);
    ck_assert_int_eq(test_count_diags(ctx, WB_SEV_WARNING, "\"nowhere\"", NULL), 1);
    wb_docinfo_clear(&info);
    ck_assert_ptr_null(info.outline);
    wb_docinfo_clear(&info); /* cleared twice is fine */
    xmlFreeDoc(doc);
    wb_ctx_free(ctx);
}
END_TEST

START_TEST(test_sink_failure_is_an_error)
{
    wb_ctx *ctx = wb_ctx_new();
    wb_ctx_set_quiet(ctx, true);
    xmlDocPtr doc = fo_parse();
    pages_seen seen = {.ctx = ctx, .fail_at = 2};
    wb_page_sink sink = {count_page, &seen};
    wb_format_options opts = {.file = "t.fo"};
    wb_docinfo info = {0};
    ck_assert_int_eq(wb_format(ctx, doc, &opts, &sink, &info), WB_ERR_IO);
    ck_assert_ptr_null(info.title); /* no document information for a failed document */
    xmlFreeDoc(doc);
    wb_ctx_free(ctx);
}
END_TEST

static wb_status dump_page(void *data, const wb_page *page)
{
    wb_page_dump(page, data);
    return WB_OK;
}

/* A document whose page numbers settle only in the third pass: 150 citations of the last
 * block fill more lines while their number is unknown ("00") than once it is known, so the
 * cited block moves from page 2 (pass 1) to page 1 (pass 2), which the third pass confirms. */
static char *unsettled_fo(int citations)
{
    GString *g = g_string_new("<fo:root xmlns:fo='http://www.w3.org/1999/XSL/Format'>"
                              "<fo:layout-master-set><fo:simple-page-master master-name='p' page-width='300pt'"
                              " page-height='200pt' margin='10pt'><fo:region-body/></fo:simple-page-master>"
                              "</fo:layout-master-set><fo:page-sequence master-reference='p'>"
                              "<fo:flow flow-name='xsl-region-body' font-family='DejaVu Sans' font-size='12pt'"
                              " line-height='14pt'><fo:block>");
    for (int i = 0; i < citations; i++)
        g_string_append(g, "<fo:page-number-citation ref-id='x'/> ");
    g_string_append(g, "</fo:block><fo:block>Filler</fo:block><fo:block id='x'>Target</fo:block>"
                       "</fo:flow></fo:page-sequence></fo:root>");
    return g_string_free(g, FALSE);
}

/* A dump sink that may restart: what it holds is the dump of the pages since the last
 * restart. */
typedef struct restarting {
    GString *dump;
    int pages, restarts;
} restarting;

static wb_status restarting_page(void *data, const wb_page *page)
{
    restarting *r = data;
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    wb_page_dump(page, out);
    fclose(out);
    g_string_append_len(r->dump, buf, (gssize)len);
    free(buf);
    r->pages++;
    return WB_OK;
}

static wb_status restarting_restart(void *data)
{
    restarting *r = data;
    g_string_truncate(r->dump, 0);
    r->pages = 0;
    r->restarts++;
    return WB_OK;
}

/* The dump of `fo` through a sink without restart (pages only from the pass known last)
 * and through one with it; *restarts: how often the second restarted. */
static void dumps_both_ways(const char *fo, char **plain, char **speculative, int *restarts, int *pages)
{
    for (int way = 0; way < 2; way++) {
        wb_ctx *ctx = wb_ctx_new();
        wb_ctx_set_quiet(ctx, true);
        xmlDocPtr doc = xmlReadMemory(fo, (int)strlen(fo), "u.fo", NULL, 0);
        ck_assert_ptr_nonnull(doc);
        restarting r = {.dump = g_string_new(NULL)};
        wb_page_sink sink = {restarting_page, &r, way ? restarting_restart : NULL};
        wb_format_options opts = {.file = "u.fo"};
        ck_assert_int_eq(wb_format(ctx, doc, &opts, &sink, NULL), WB_OK);
        if (way) {
            *restarts = r.restarts;
            *pages = r.pages;
        }
        *(way ? speculative : plain) = g_string_free(r.dump, FALSE);
        xmlFreeDoc(doc);
        wb_ctx_free(ctx);
    }
}

START_TEST(test_sink_restarts_when_numbers_move)
{
    char *fo = unsettled_fo(150), *plain, *spec;
    int restarts = -1, pages = 0;
    dumps_both_ways(fo, &plain, &spec, &restarts, &pages);
    ck_assert_int_eq(restarts, 1); /* pass 2 went out, then pass 3 again */
    ck_assert_int_eq(pages, 1);
    ck_assert_str_eq(spec, plain);
    ck_assert_ptr_nonnull(strstr(spec, "Target"));
    g_free(fo);
    g_free(plain);
    g_free(spec);
}
END_TEST

START_TEST(test_sink_without_restart_when_numbers_settle)
{
    char *fo = unsettled_fo(20), *plain, *spec;
    int restarts = -1, pages = 0;
    dumps_both_ways(fo, &plain, &spec, &restarts, &pages);
    ck_assert_int_eq(restarts, 0); /* the second pass was the last */
    ck_assert_int_eq(pages, 1);
    ck_assert_str_eq(spec, plain);
    g_free(fo);
    g_free(plain);
    g_free(spec);
}
END_TEST

/* The page dump of the test document, formatted with `cache` (NULL: one of its own). */
static char *dump_with(wb_format_cache *cache)
{
    wb_ctx *ctx = wb_ctx_new();
    wb_ctx_set_quiet(ctx, true);
    xmlDocPtr doc = fo_parse();
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    ck_assert_ptr_nonnull(out);
    wb_format_options opts = {.file = "t.fo", .cache = cache};
    wb_page_sink sink = {dump_page, out};
    ck_assert_int_eq(wb_format(ctx, doc, &opts, &sink, NULL), WB_OK);
    fclose(out);
    xmlFreeDoc(doc);
    wb_ctx_free(ctx);
    return buf;
}

START_TEST(test_cache_shared_by_documents)
{
    wb_format_cache *cache = wb_format_cache_new();
    char *alone = dump_with(NULL);
    char *first = dump_with(cache);
    char *second = dump_with(cache);
    ck_assert_str_eq(alone, first);
    ck_assert_str_eq(first, second);
    free(alone);
    free(first);
    free(second);
    wb_format_cache_free(cache);
    wb_format_cache_free(NULL);
}
END_TEST

static wb_build_options course_options(const char *out, wb_build_format format)
{
    static char styles[4096], course[4096];
    snprintf(styles, sizeof styles, "%s", wb_test_path("styles"));
    snprintf(course, sizeof course, "%s", wb_test_path("tests/data/unit/course/valid.xml"));
    return (wb_build_options){.input = course, .output = out, .format = format, .styles_dir = styles};
}

START_TEST(test_build_pdf_and_fo)
{
    char *dir = wb_test_tmpdir();
    char *pdf = g_strdup_printf("%s/book.pdf", dir), *fo = g_strdup_printf("%s/book.fo", dir);
    wb_ctx *ctx = wb_ctx_new();
    wb_ctx_set_quiet(ctx, true);
    wb_build_options o = course_options(pdf, WB_BUILD_PDF);
    ck_assert_msg(wb_build(ctx, &o) == WB_OK, "%s", test_diags_text(ctx));
    long len = 0;
    char *bytes = wb_test_read(pdf, &len);
    ck_assert_ptr_nonnull(bytes);
    ck_assert(len > 1000 && !memcmp(bytes, "%PDF-", 5));
    free(bytes);
    o = course_options(fo, WB_BUILD_FO);
    o.profile.edition = "trainer";
    ck_assert_int_eq(wb_build(ctx, &o), WB_OK);
    char *text = wb_test_read(fo, NULL);
    ck_assert_ptr_nonnull(text);
    ck_assert_ptr_nonnull(strstr(text, "http://www.w3.org/1999/XSL/Format"));
    free(text);
    wb_ctx_free(ctx);
    char *cmd = g_strdup_printf("rm -rf '%s'", dir);
    ck_assert_int_eq(wb_test_run(cmd, NULL, false), 0);
    g_free(cmd);
    g_free(pdf);
    g_free(fo);
    free(dir);
}
END_TEST

/* Without SOURCE_DATE_EPOCH, a course's PDF is dated by its <date>: the same bytes each time,
 * whenever it is built; a course without a date keeps the time of the build. */
START_TEST(test_build_dated_by_the_course)
{
    unsetenv("SOURCE_DATE_EPOCH");
    char *dir = wb_test_tmpdir();
    char *one = g_strdup_printf("%s/one.pdf", dir), *two = g_strdup_printf("%s/two.pdf", dir);
    wb_ctx *ctx = wb_ctx_new();
    wb_ctx_set_quiet(ctx, true);
    ck_assert_int_eq(wb_ctx_date(ctx), 0);
    wb_build_options o = course_options(one, WB_BUILD_PDF);
    o.input = wb_test_path("tests/data/batch/course/course.xml");
    ck_assert_msg(wb_build(ctx, &o) == WB_OK, "%s", test_diags_text(ctx));
    ck_assert_int_eq(wb_ctx_date(ctx), 0); /* the context's own date is left as it was */
    g_usleep(1100000);
    o.output = two;
    ck_assert_int_eq(wb_build(ctx, &o), WB_OK);
    char *cmd = g_strdup_printf("cmp '%s' '%s' && pdfinfo '%s' | grep -q 'CreationDate: *Thu Jan 15 00:00:00 2026'",
                                one, two, one);
    ck_assert_msg(wb_test_run(cmd, NULL, false) == 0, "%s", cmd);
    g_free(cmd);
    xmlDocPtr doc = wb_load_xml(ctx, o.input);
    ck_assert_int_eq(wb_course_date(doc), 1768435200); /* 2026-01-15T00:00:00Z */
    xmlFreeDoc(doc);
    ck_assert_int_eq(wb_course_date(NULL), 0);
    wb_ctx_free(ctx);
    cmd = g_strdup_printf("rm -rf '%s'", dir);
    ck_assert_int_eq(wb_test_run(cmd, NULL, false), 0);
    g_free(cmd);
    g_free(one);
    g_free(two);
    free(dir);
}
END_TEST

START_TEST(test_build_bad_course_writes_nothing)
{
    char *dir = wb_test_tmpdir();
    char *pdf = g_strdup_printf("%s/book.pdf", dir);
    wb_ctx *ctx = wb_ctx_new();
    wb_build_options o = course_options(pdf, WB_BUILD_PDF);
    char bad[4096];
    snprintf(bad, sizeof bad, "%s", wb_test_path("tests/data/invalid/02-unknown-element.xml"));
    o.input = bad;
    ck_assert_int_eq(wb_build(ctx, &o), WB_ERR_INPUT);
    ck_assert(access(pdf, F_OK) != 0);
    /* an unknown edition's stylesheet is an error too, not a crash */
    wb_ctx_clear(ctx);
    o = course_options(pdf, WB_BUILD_PDF);
    o.profile.edition = "nosuch";
    ck_assert_int_ne(wb_build(ctx, &o), WB_OK);
    ck_assert(access(pdf, F_OK) != 0);
    wb_ctx_free(ctx);
    rmdir(dir);
    g_free(pdf);
    free(dir);
}
END_TEST

START_TEST(test_render_fo_png)
{
    char *dir = wb_test_tmpdir();
    char *png = g_strdup_printf("%s/p.png", dir);
    wb_ctx *ctx = wb_ctx_new();
    wb_ctx_set_quiet(ctx, true);
    xmlDocPtr doc = fo_parse();
    ck_assert_int_eq(wb_render_fo(ctx, doc, "t.fo", NULL, WB_BUILD_PNG, png, 30, NULL, false), WB_OK);
    for (int i = 1; i <= 3; i++) {
        char *page = g_strdup_printf("%s/p-%d.png", dir, i);
        ck_assert_msg(access(page, F_OK) == 0, "%s", page);
        unlink(page);
        g_free(page);
    }
    xmlFreeDoc(doc);
    wb_ctx_free(ctx);
    rmdir(dir);
    g_free(png);
    free(dir);
}
END_TEST

/* A missing image: an error for the formatter by default (a course's edition), a warning
 * that leaves its place when an FO file of another tool is rendered (as FOP does). */
START_TEST(test_missing_image_error_or_warning)
{
    static const char src[] =
        "<fo:root xmlns:fo='http://www.w3.org/1999/XSL/Format'><fo:layout-master-set>"
        "<fo:simple-page-master master-name='p' page-width='200pt' page-height='200pt'><fo:region-body/>"
        "</fo:simple-page-master></fo:layout-master-set><fo:page-sequence master-reference='p'>"
        "<fo:flow flow-name='xsl-region-body'><fo:block>A</fo:block>\n"
        "<fo:block><fo:external-graphic src='url(file:no-such-picture.gif)' width='30pt' height='20pt'/></fo:block>"
        "</fo:flow></fo:page-sequence></fo:root>";
    char *dir = wb_test_tmpdir();
    char *pdf = g_strdup_printf("%s/m.pdf", dir);
    xmlDocPtr doc = xmlReadMemory(src, (int)sizeof src - 1, "m.fo", NULL, 0);
    wb_ctx *ctx = wb_ctx_new();
    wb_ctx_set_quiet(ctx, true);
    pages_seen seen = {.ctx = ctx};
    wb_page_sink sink = {count_page, &seen};
    wb_format_options opts = {.file = "m.fo", .base_dir = dir};
    ck_assert_int_eq(wb_format(ctx, doc, &opts, &sink, NULL), WB_ERR_INPUT);
    ck_assert_int_eq(test_count_diags(ctx, WB_SEV_ERROR, "no-such-picture.gif", NULL), 1);
    wb_ctx_free(ctx);
    ctx = wb_ctx_new(); /* not quiet: the warning is what is looked for */
    ck_assert_int_eq(wb_render_fo(ctx, doc, "m.fo", dir, WB_BUILD_PDF, pdf, 0, NULL, false), WB_OK);
    const wb_diagnostic *d = NULL;
    ck_assert_int_eq(test_count_diags(ctx, WB_SEV_WARNING, "no-such-picture.gif", &d), 1);
    ck_assert_int_eq(d->line, 2);
    ck_assert_int_eq(access(pdf, F_OK), 0);
    unlink(pdf);
    wb_ctx_free(ctx);
    xmlFreeDoc(doc);
    rmdir(dir);
    g_free(pdf);
    free(dir);
}
END_TEST

START_TEST(test_stats_by_stage)
{
    char *dir = wb_test_tmpdir();
    char *pdf = g_strdup_printf("%s/book.pdf", dir);
    wb_ctx *ctx = wb_ctx_new();
    wb_ctx_set_quiet(ctx, true);
    wb_ctx_set_stats(ctx, true);
    ck_assert(wb_ctx_stats(ctx));
    wb_build_options o = course_options(pdf, WB_BUILD_PDF);
    ck_assert_int_eq(wb_build(ctx, &o), WB_OK);
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    wb_ctx_report_stats(ctx, out);
    fclose(out);
    const char *stages[] = {"load ", "transform ", "format: pass 1", "render ", "pdf post-pass", "total "};
    for (size_t i = 0; i < G_N_ELEMENTS(stages); i++)
        ck_assert_msg(strstr(buf, stages[i]), "no \"%s\" in:\n%s", stages[i], buf);
    /* the stages come in the order they ran */
    ck_assert(strstr(buf, "load ") < strstr(buf, "transform ") && strstr(buf, "transform ") < strstr(buf, "render "));
    free(buf);
    /* off: nothing is gathered or printed */
    wb_ctx_set_stats(ctx, false);
    wb_ctx_stat_add(ctx, "load", 1);
    buf = NULL;
    out = open_memstream(&buf, &len);
    wb_ctx_report_stats(ctx, out);
    fclose(out);
    ck_assert_uint_eq(len, 0);
    free(buf);
    wb_ctx_free(ctx);
    unlink(pdf);
    rmdir(dir);
    g_free(pdf);
    free(dir);
}
END_TEST

static Suite *build_suite(void)
{
    Suite *s = suite_create("build");
    TCase *tc = tcase_create("build");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_sink_gets_every_page_in_order);
    tcase_add_test(tc, test_docinfo_as_data);
    tcase_add_test(tc, test_sink_failure_is_an_error);
    tcase_add_test(tc, test_sink_restarts_when_numbers_move);
    tcase_add_test(tc, test_sink_without_restart_when_numbers_settle);
    tcase_add_test(tc, test_cache_shared_by_documents);
    tcase_add_test(tc, test_build_pdf_and_fo);
    tcase_add_test(tc, test_build_dated_by_the_course);
    tcase_add_test(tc, test_build_bad_course_writes_nothing);
    tcase_add_test(tc, test_render_fo_png);
    tcase_add_test(tc, test_missing_image_error_or_warning);
    tcase_add_test(tc, test_stats_by_stage);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return wb_test_main(build_suite()); }
