/* Unit tests of src/transform.c: parameters, xsl:message, the security preferences, the
 * wb:source() extension function, the folders a stylesheet may read (links resolved, the
 * refusal at the instruction without quoting the file) and the limits that stop a run (time,
 * nodes, memory; libxslt's recursion limit said in one line).  Stylesheets live in
 * tests/data/unit/transform. */
#include "workbook/transform.h"

#include <check.h>
#include <glib.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "unit/support.h"
#include "workbook/load.h"

/* ---- helpers ---- */

/* The first diagnostic of a severity (-1: any) containing needle, or NULL. */
static const wb_diagnostic *test_find_diag(const wb_ctx *ctx, int severity, const char *needle)
{
    size_t n = 0;
    const wb_diagnostic *d = wb_ctx_diagnostics(ctx, &n);
    for (size_t i = 0; i < n; i++)
        if ((severity < 0 || (int)d[i].severity == severity) && strstr(d[i].message, needle))
            return &d[i];
    return NULL;
}

static xmlDocPtr test_input(void)
{
    static const char src[] = "<doc><item id='a'>x</item></doc>";
    xmlDocPtr doc = xmlReadMemory(src, (int)sizeof src - 1, "input.xml", NULL, 0);
    ck_assert_ptr_nonnull(doc);
    return doc;
}

static char *test_root_text(xmlDocPtr doc)
{
    xmlChar *c = xmlNodeGetContent(xmlDocGetRootElement(doc));
    char *s = strdup((const char *)c);
    xmlFree(c);
    return s;
}

static char *test_attr(xmlNodePtr n, const char *name)
{
    xmlChar *v = xmlGetProp(n, BAD_CAST name);
    char *s = v ? strdup((const char *)v) : NULL;
    xmlFree(v);
    return s;
}

static xmlNodePtr test_child(xmlNodePtr n, const char *name, int nth)
{
    for (xmlNodePtr c = n->children; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE && xmlStrEqual(c->name, BAD_CAST name) && nth-- == 0)
            return c;
    return NULL;
}

static void test_rmtree(const char *dir)
{
    char *cmd = NULL;
    ck_assert_int_ge(asprintf(&cmd, "rm -rf '%s'", dir), 0);
    ck_assert_int_eq(system(cmd), 0);
    free(cmd);
}

/* Line and column (1-based) of the first occurrence of needle in a file. */
static void test_position_of(const char *path, const char *needle, int *line, int *col)
{
    FILE *f = fopen(path, "rb");
    ck_assert_ptr_nonnull(f);
    char buf[4096];
    int ln = 0;
    while (fgets(buf, sizeof buf, f)) {
        ln++;
        char *p = strstr(buf, needle);
        if (p) {
            *line = ln;
            *col = (int)(p - buf) + 1;
            fclose(f);
            return;
        }
    }
    fclose(f);
    ck_abort_msg("%s not in %s", needle, path);
}

/* ---- parameters ---- */

START_TEST(test_param_quoted)
{
    char *xsl = test_data("transform/param.xsl");
    const char *value = "Don't say \"never\" & <never> 'ever'";
    const char *params[] = {"greeting", value, "count", "3", NULL};
    wb_ctx *ctx = wb_ctx_new();
    xmlDocPtr in = test_input();
    xmlDocPtr out = wb_transform(ctx, in, xsl, params);
    char *diags = test_diags_text(ctx);
    ck_assert_msg(out != NULL, "%s", diags);
    ck_assert_int_eq(wb_ctx_status(ctx), WB_OK);
    char *text = test_root_text(out);
    ck_assert_str_eq(text, value);
    char *count = test_attr(xmlDocGetRootElement(out), "count");
    ck_assert_str_eq(count, "3");
    free(count);
    free(text);
    free(diags);
    xmlFreeDoc(out);
    xmlFreeDoc(in);
    wb_ctx_free(ctx);
    free(xsl);
}
END_TEST

START_TEST(test_param_plain_values)
{
    /* values are strings, never XPath: "1+1" stays "1+1", "/doc" is not a node-set */
    char *xsl = test_data("transform/param.xsl");
    const char *values[] = {"1+1", "/doc", "only 'single'", "only \"double\"", "", "Плод"};
    for (size_t i = 0; i < sizeof values / sizeof *values; i++) {
        const char *params[] = {"greeting", values[i], NULL};
        wb_ctx *ctx = wb_ctx_new();
        xmlDocPtr in = test_input();
        xmlDocPtr out = wb_transform(ctx, in, xsl, params);
        char *diags = test_diags_text(ctx);
        ck_assert_msg(out != NULL, "value [%s]: %s", values[i], diags);
        char *text = test_root_text(out);
        ck_assert_str_eq(text, values[i]);
        free(text);
        free(diags);
        xmlFreeDoc(out);
        xmlFreeDoc(in);
        wb_ctx_free(ctx);
    }
    free(xsl);
}
END_TEST

START_TEST(test_param_default)
{
    char *xsl = test_data("transform/param.xsl");
    wb_ctx *ctx = wb_ctx_new();
    xmlDocPtr in = test_input();
    xmlDocPtr out = wb_transform(ctx, in, xsl, NULL);
    ck_assert_ptr_nonnull(out);
    char *text = test_root_text(out);
    ck_assert_str_eq(text, "default greeting");
    free(text);
    xmlFreeDoc(out);
    xmlFreeDoc(in);
    wb_ctx_free(ctx);
    free(xsl);
}
END_TEST

/* ---- messages ---- */

START_TEST(test_message_terminate)
{
    char *xsl = test_data("transform/terminate.xsl");
    wb_ctx *ctx = wb_ctx_new();
    xmlDocPtr in = test_input();
    xmlDocPtr out = wb_transform(ctx, in, xsl, NULL);
    char *diags = test_diags_text(ctx);
    ck_assert_msg(out == NULL, "%s", diags);
    ck_assert_int_ne(wb_ctx_status(ctx), WB_OK);
    ck_assert_ptr_nonnull(test_find_diag(ctx, WB_SEV_ERROR, ""));
    /* the stylesheet's own words reach the user */
    ck_assert_msg(test_find_diag(ctx, -1, "STOP-THE-RUN: no module") != NULL, "%s", diags);
    free(diags);
    xmlFreeDoc(in);
    wb_ctx_free(ctx);
    free(xsl);
}
END_TEST

START_TEST(test_message_is_a_note)
{
    char *xsl = test_data("transform/message.xsl");
    wb_ctx *ctx = wb_ctx_new();
    xmlDocPtr in = test_input();
    xmlDocPtr out = wb_transform(ctx, in, xsl, NULL);
    char *diags = test_diags_text(ctx);
    ck_assert_msg(out != NULL, "%s", diags);
    ck_assert_int_eq(wb_ctx_status(ctx), WB_OK);
    const wb_diagnostic *d = test_find_diag(ctx, -1, "JUST-A-NOTE about doc");
    ck_assert_msg(d != NULL, "%s", diags);
    /* transform.h: "xsl:message output becomes a note on the context" */
    ck_assert_msg(d->severity == WB_SEV_NOTE, "severity %d, want a note: %s", d->severity, diags);
    free(diags);
    xmlFreeDoc(out);
    xmlFreeDoc(in);
    wb_ctx_free(ctx);
    free(xsl);
}
END_TEST

/* ---- errors ---- */

START_TEST(test_stylesheet_errors)
{
    const char *cases[] = {"transform/broken.xsl", "transform/no-such.xsl", "transform/empty-result.xsl"};
    for (int i = 0; i < 3; i++) {
        char *xsl = test_data(cases[i]);
        wb_ctx *ctx = wb_ctx_new();
        xmlDocPtr in = test_input();
        xmlDocPtr out = wb_transform(ctx, in, xsl, NULL);
        char *diags = test_diags_text(ctx);
        ck_assert_msg(out == NULL, "%s: %s", cases[i], diags);
        ck_assert_int_eq(wb_ctx_status(ctx), WB_ERR_INPUT);
        ck_assert_ptr_nonnull(test_find_diag(ctx, WB_SEV_ERROR, ""));
        free(diags);
        xmlFreeDoc(in);
        wb_ctx_free(ctx);
        free(xsl);
    }
}
END_TEST

START_TEST(test_context_reusable_after_failure)
{
    /* a failed run leaves no global handler behind: the next run on a new context works and
     * reports nothing from the old one */
    char *bad = test_data("transform/broken.xsl");
    char *good = test_data("transform/param.xsl");
    wb_ctx *ctx = wb_ctx_new();
    xmlDocPtr in = test_input();
    ck_assert_ptr_null(wb_transform(ctx, in, bad, NULL));
    wb_ctx_free(ctx);
    ctx = wb_ctx_new();
    xmlDocPtr out = wb_transform(ctx, in, good, NULL);
    ck_assert_ptr_nonnull(out);
    size_t n = 0;
    wb_ctx_diagnostics(ctx, &n);
    ck_assert_uint_eq(n, 0);
    /* libxml2 errors after the run do not land on a freed context (ASan would see it) */
    xmlDocPtr junk = xmlReadMemory("<a><b></a>", 10, "junk.xml", NULL, XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    xmlFreeDoc(junk);
    xmlFreeDoc(out);
    xmlFreeDoc(in);
    wb_ctx_free(ctx);
    free(good);
    free(bad);
}
END_TEST

/* ---- security ---- */

static void check_write_refused(const char *stylesheet)
{
    char *dir = wb_test_tmpdir();
    ck_assert_ptr_nonnull(dir);
    char *target = NULL, *subdir = NULL, *subtarget = NULL;
    ck_assert_int_ge(asprintf(&target, "%s/written.txt", dir), 0);
    ck_assert_int_ge(asprintf(&subdir, "%s/newdir", dir), 0);
    ck_assert_int_ge(asprintf(&subtarget, "%s/newdir/written.txt", dir), 0);
    char *xsl = test_data(stylesheet);
    const char *paths[] = {target, subtarget};
    for (int i = 0; i < 2; i++) {
        const char *params[] = {"target", paths[i], NULL};
        wb_ctx *ctx = wb_ctx_new();
        xmlDocPtr in = test_input();
        xmlDocPtr out = wb_transform(ctx, in, xsl, params);
        char *diags = test_diags_text(ctx);
        struct stat st;
        ck_assert_msg(stat(paths[i], &st) != 0, "%s wrote %s", stylesheet, paths[i]);
        ck_assert_msg(stat(subdir, &st) != 0, "%s made the folder %s", stylesheet, subdir);
        /* refused: an error, no result */
        ck_assert_msg(out == NULL, "%s: a result despite the refused write: %s", stylesheet, diags);
        ck_assert_int_ne(wb_ctx_status(ctx), WB_OK);
        free(diags);
        xmlFreeDoc(out);
        xmlFreeDoc(in);
        wb_ctx_free(ctx);
    }
    free(xsl);
    test_rmtree(dir);
    free(subtarget);
    free(subdir);
    free(target);
    free(dir);
}

START_TEST(test_exsl_document_refused)
{
    check_write_refused("transform/exsl-document.xsl");
}
END_TEST

START_TEST(test_xsl_document_refused)
{
    check_write_refused("transform/xsl-document.xsl");
}
END_TEST

/* ---- wb:source ---- */

START_TEST(test_source_function)
{
    char *src = test_data("transform/source.xml");
    char *xsl = test_data("transform/source.xsl");
    wb_ctx *ctx = wb_ctx_new();
    xmlDocPtr in = wb_load_xml(ctx, src);
    ck_assert_ptr_nonnull(in);
    xmlDocPtr out = wb_transform(ctx, in, xsl, NULL);
    char *diags = test_diags_text(ctx);
    ck_assert_msg(out != NULL, "%s", diags);
    xmlNodePtr root = xmlDocGetRootElement(out);
    const char *needles[] = {"<item id=\"first\"", "<item id=\"second\""};
    for (int i = 0; i < 2; i++) {
        xmlNodePtr pos = test_child(root, "pos", i);
        ck_assert_ptr_nonnull(pos);
        int line, col;
        test_position_of(src, needles[i], &line, &col);
        char want[PATH_MAX + 64];
        snprintf(want, sizeof want, "%s:%d:%d", src, line, col);
        xmlChar *got = xmlNodeGetContent(pos);
        ck_assert_str_eq((const char *)got, want);
        xmlFree(got);
        /* without an argument: the context node */
        char *here = test_attr(pos, "here");
        ck_assert_str_eq(here, want);
        free(here);
    }
    /* an empty node-set gives an empty string */
    xmlChar *empty = xmlNodeGetContent(test_child(root, "empty", 0));
    ck_assert_str_eq((const char *)empty, "");
    xmlFree(empty);
    free(diags);
    xmlFreeDoc(out);
    xmlFreeDoc(in);
    wb_ctx_free(ctx);
    free(xsl);
    free(src);
}
END_TEST

START_TEST(test_source_function_in_included_file)
{
    char *src = test_data("xinclude/main.xml");
    char *part = test_data("xinclude/sub/part.xml");
    char *xsl = test_data("transform/source.xsl");
    wb_ctx *ctx = wb_ctx_new();
    xmlDocPtr in = wb_load_xml(ctx, src);
    ck_assert_ptr_nonnull(in);
    ck_assert_int_eq(wb_xinclude(ctx, in, NULL), 0);
    xmlDocPtr out = wb_transform(ctx, in, xsl, NULL);
    char *diags = test_diags_text(ctx);
    ck_assert_msg(out != NULL, "%s", diags);
    int line, col;
    test_position_of(part, "<target", &line, &col);
    xmlChar *got = xmlNodeGetContent(test_child(xmlDocGetRootElement(out), "target-pos", 0));
    /* "file:line:col" with the file of the included part */
    char *s = (char *)got;
    char *c2 = strrchr(s, ':');
    ck_assert_ptr_nonnull(c2);
    *c2 = 0;
    char *c1 = strrchr(s, ':');
    ck_assert_ptr_nonnull(c1);
    *c1 = 0;
    char real_got[PATH_MAX], real_want[PATH_MAX];
    ck_assert_msg(realpath(s, real_got) != NULL, "not a file: %s", s);
    ck_assert_ptr_nonnull(realpath(part, real_want));
    ck_assert_str_eq(real_got, real_want);
    ck_assert_int_eq(atoi(c1 + 1), line);
    ck_assert_int_eq(atoi(c2 + 1), col);
    xmlFree(got);
    free(diags);
    xmlFreeDoc(out);
    xmlFreeDoc(in);
    wb_ctx_free(ctx);
    free(xsl);
    free(part);
    free(src);
}
END_TEST

/* ---- confinement and limits ---- */

/* An input document whose folder is `dir` (the folder a stylesheet may read besides its own). */
static xmlDocPtr test_input_in(const char *dir)
{
    static const char src[] = "<doc><item id='a'>x</item></doc>";
    char *url = NULL;
    ck_assert_int_ge(asprintf(&url, "%s/input.xml", dir), 0);
    xmlDocPtr doc = xmlReadMemory(src, (int)sizeof src - 1, url, NULL, 0);
    free(url);
    ck_assert_ptr_nonnull(doc);
    return doc;
}

/* No diagnostic quotes /etc/passwd. */
static void check_quotes_nothing(const wb_ctx *ctx)
{
    size_t n = 0;
    const wb_diagnostic *d = wb_ctx_diagnostics(ctx, &n);
    for (size_t i = 0; i < n; i++)
        ck_assert_msg(!strstr(d[i].message, "root:x:"), "a message quotes /etc/passwd: %s", d[i].message);
}

START_TEST(test_document_outside_refused)
{
    char *xsl = test_data("transform/read-passwd.xsl");
    char *dir = wb_test_tmpdir();
    wb_ctx *ctx = wb_ctx_new();
    xmlDocPtr in = test_input_in(dir);
    xmlDocPtr out = wb_transform(ctx, in, xsl, NULL);
    char *diags = test_diags_text(ctx);
    ck_assert_msg(out == NULL, "%s", diags);
    ck_assert_int_eq(wb_ctx_status(ctx), WB_ERR_INPUT);
    const wb_diagnostic *d = test_find_diag(ctx, WB_SEV_ERROR, "document('/etc/passwd') is outside the folders a stylesheet may read");
    ck_assert_msg(d != NULL, "%s", diags);
    /* at the instruction, in its template */
    int line, col;
    test_position_of(xsl, "<xsl:value-of", &line, &col);
    ck_assert_str_eq(d->file, xsl);
    ck_assert_int_eq(d->line, line);
    ck_assert_int_eq(d->col, col);
    ck_assert_msg(strstr(d->message, "(in template match=\"/\")") != NULL, "%s", d->message);
    check_quotes_nothing(ctx);
    size_t n = 0;
    wb_ctx_diagnostics(ctx, &n);
    ck_assert_msg(n <= 2, "%zu messages: %s", n, diags);
    free(diags);
    xmlFreeDoc(in);
    wb_ctx_free(ctx);
    test_rmtree(dir);
    free(dir);
    free(xsl);
}
END_TEST

START_TEST(test_read_folders)
{
    /* a file in a folder of its own: refused, then read once the context allows the folder */
    char *xsl = test_data("transform/read-param.xsl");
    char *course = wb_test_tmpdir(), *other = wb_test_tmpdir();
    char *file = NULL, *link = NULL;
    ck_assert_int_ge(asprintf(&file, "%s/data.xml", other), 0);
    ck_assert_int_ge(asprintf(&link, "%s/link.xml", course), 0);
    FILE *f = fopen(file, "w");
    ck_assert_ptr_nonnull(f);
    fputs("<elsewhere/>", f);
    fclose(f);
    ck_assert_int_eq(symlink(file, link), 0);
    const char *targets[] = {file, link};
    for (int allowed = 0; allowed < 2; allowed++)
        for (int t = 0; t < 2; t++) {
            const char *params[] = {"file", targets[t], NULL};
            wb_ctx *ctx = wb_ctx_new();
            if (allowed)
                wb_ctx_add_read_folder(ctx, other);
            xmlDocPtr in = test_input_in(course);
            xmlDocPtr out = wb_transform(ctx, in, xsl, params);
            char *diags = test_diags_text(ctx);
            if (allowed) {
                ck_assert_msg(out != NULL, "%s: %s", targets[t], diags);
                char *text = test_root_text(out);
                ck_assert_str_eq(text, "elsewhere");
                free(text);
            } else {
                /* a link in the course folder to a file outside it is outside too */
                ck_assert_msg(out == NULL, "%s read: %s", targets[t], diags);
                ck_assert_msg(test_find_diag(ctx, WB_SEV_ERROR, "is outside the folders") != NULL, "%s", diags);
            }
            free(diags);
            xmlFreeDoc(out);
            xmlFreeDoc(in);
            wb_ctx_free(ctx);
        }
    test_rmtree(course);
    test_rmtree(other);
    free(link);
    free(file);
    free(course);
    free(other);
    free(xsl);
}
END_TEST

START_TEST(test_recursion_reported_briefly)
{
    char *xsl = test_data("transform/recursion.xsl");
    wb_ctx *ctx = wb_ctx_new();
    xmlDocPtr in = test_input();
    ck_assert_ptr_null(wb_transform(ctx, in, xsl, NULL));
    char *diags = test_diags_text(ctx);
    const wb_diagnostic *d = test_find_diag(ctx, WB_SEV_ERROR, "templates nested more than 3000 deep");
    ck_assert_msg(d != NULL, "%s", diags);
    ck_assert_msg(strstr(d->message, "(in template name=\"loop\")") != NULL, "%s", diags);
    ck_assert_int_gt(d->line, 0);
    /* libxslt's template stack and variables are not passed on */
    size_t n = 0;
    wb_ctx_diagnostics(ctx, &n);
    ck_assert_msg(n <= 2, "%zu messages: %s", n, diags);
    ck_assert_ptr_null(test_find_diag(ctx, -1, "Templates:"));
    free(diags);
    xmlFreeDoc(in);
    wb_ctx_free(ctx);
    free(xsl);
}
END_TEST

/* A run stopped by a limit: an error naming it and its variable, within `seconds`. */
static void check_limit(const char *stylesheet, wb_limit which, unsigned long long value, const char *const *params,
                        const char *words, int seconds)
{
    char *xsl = test_data(stylesheet);
    wb_ctx *ctx = wb_ctx_new();
    wb_ctx_set_limit(ctx, which, value);
    xmlDocPtr in = test_input();
    GTimer *timer = g_timer_new();
    xmlDocPtr out = wb_transform(ctx, in, xsl, params);
    double took = g_timer_elapsed(timer, NULL);
    g_timer_destroy(timer);
    char *diags = test_diags_text(ctx);
    ck_assert_msg(out == NULL, "%s", diags);
    ck_assert_msg(took < seconds, "stopped after %.1f s", took);
    const wb_diagnostic *d = test_find_diag(ctx, WB_SEV_ERROR, words);
    ck_assert_msg(d != NULL, "%s", diags);
    ck_assert_msg(strstr(d->message, wb_limit_env(which)) != NULL, "%s", diags);
    free(diags);
    xmlFreeDoc(in);
    wb_ctx_free(ctx);
    free(xsl);
}

START_TEST(test_time_limit)
{
    const char *params[] = {"n", "40", NULL};
    check_limit("transform/busy.xsl", WB_LIMIT_SECONDS, 1, params, "ran for more than 1 seconds", 20);
}
END_TEST

START_TEST(test_node_limit)
{
    const char *params[] = {"n", "30", NULL};
    check_limit("transform/busy.xsl", WB_LIMIT_NODES, 10000, params, "made more than 10000 nodes", 20);
}
END_TEST

START_TEST(test_memory_limit)
{
    check_limit("transform/doubling.xsl", WB_LIMIT_MEMORY, 32 << 20, NULL, "took more than 32 MiB of memory", 20);
}
END_TEST

/* Runs in several threads at once: each its own folders, messages and limits. */
typedef struct thread_run {
    const char *xsl;
    bool refused;
    bool ok;
} thread_run;

static gpointer run_in_thread(gpointer data)
{
    thread_run *t = data;
    for (int k = 0; k < 20; k++) {
        wb_ctx *ctx = wb_ctx_new();
        xmlDocPtr in = test_input();
        xmlDocPtr out = wb_transform(ctx, in, t->xsl, NULL);
        bool refused = test_find_diag(ctx, WB_SEV_ERROR, "is outside the folders") != NULL;
        size_t n = 0;
        wb_ctx_diagnostics(ctx, &n);
        if (t->refused ? (out || !refused) : (!out || n != 0))
            t->ok = false;
        xmlFreeDoc(out);
        xmlFreeDoc(in);
        wb_ctx_free(ctx);
    }
    return NULL;
}

START_TEST(test_runs_in_threads)
{
    char *bad = test_data("transform/read-passwd.xsl"), *good = test_data("transform/param.xsl");
    thread_run runs[4] = {{bad, true, true}, {good, false, true}, {bad, true, true}, {good, false, true}};
    GThread *th[4];
    for (int i = 0; i < 4; i++)
        th[i] = g_thread_new("run", run_in_thread, &runs[i]);
    for (int i = 0; i < 4; i++)
        g_thread_join(th[i]);
    for (int i = 0; i < 4; i++)
        ck_assert_msg(runs[i].ok, "thread %d (%s) got another run's outcome", i, runs[i].refused ? "refused" : "allowed");
    free(good);
    free(bad);
}
END_TEST

static Suite *transform_suite(void)
{
    Suite *s = suite_create("transform");
    TCase *tc = tcase_create("transform");
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, test_param_quoted);
    tcase_add_test(tc, test_param_plain_values);
    tcase_add_test(tc, test_param_default);
    tcase_add_test(tc, test_message_terminate);
    tcase_add_test(tc, test_message_is_a_note);
    tcase_add_test(tc, test_stylesheet_errors);
    tcase_add_test(tc, test_context_reusable_after_failure);
    tcase_add_test(tc, test_exsl_document_refused);
    tcase_add_test(tc, test_xsl_document_refused);
    tcase_add_test(tc, test_source_function);
    tcase_add_test(tc, test_source_function_in_included_file);
    suite_add_tcase(s, tc);
    tc = tcase_create("confinement");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_document_outside_refused);
    tcase_add_test(tc, test_read_folders);
    tcase_add_test(tc, test_recursion_reported_briefly);
    tcase_add_test(tc, test_time_limit);
    tcase_add_test(tc, test_node_limit);
    tcase_add_test(tc, test_memory_limit);
    tcase_add_test(tc, test_runs_in_threads);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return wb_test_main(transform_suite()); }
