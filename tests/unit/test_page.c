/* Unit tests of the page model between the stages: a page's copy, and the page relay that
 * hands pages to a sink on a thread of its own. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "page/relay.h"
#include "unit/support.h"

static wb_line *plain_line(const char *text)
{
    wb_line *l = g_new0(wb_line, 1);
    l->refs = 1;
    l->text = g_strdup(text);
    return l;
}

/* A page of `index` with a text area, a link and a structure element. */
static wb_page *a_page(int index, wb_line *line)
{
    wb_page *p = g_new0(wb_page, 1);
    p->width = 595;
    p->height = 842;
    p->index = index;
    p->number = index + 1;
    p->number_text = g_strdup_printf("%d", index + 1);
    p->watermark = "DRAFT";
    p->cap = 4;
    p->areas = g_new0(wb_area, p->cap);
    p->areas[p->count++] = (wb_area){.kind = WB_AREA_TEXT, .x = 72, .y = 100, .node = 1,
                                     .u.text.line = wb_line_ref(line)};
    p->areas[p->count++] = (wb_area){.kind = WB_AREA_LINK, .x = 72, .y = 90, .w = 50, .h = 12,
                                     .u.link.uri = g_strdup("https://example.org/")};
    p->nodes = g_new0(wb_struct_node, 1);
    p->nodes[0] = (wb_struct_node){.id = 1, .role = "Figure", .alt = g_strdup("a chart"), .lang = g_strdup("fr")};
    p->node_count = 1;
    return p;
}

START_TEST(test_copy_owns_its_parts)
{
    wb_line *line = plain_line("Bonjour");
    wb_page *p = a_page(3, line);
    wb_page *c = wb_page_copy(p);
    ck_assert_int_eq(line->refs, 3); /* ours, the page's, the copy's */
    ck_assert_ptr_ne(c->areas, p->areas);
    ck_assert_ptr_ne(c->number_text, p->number_text);
    ck_assert_ptr_ne(c->nodes[0].alt, p->nodes[0].alt);
    ck_assert_ptr_ne(c->areas[1].u.link.uri, p->areas[1].u.link.uri);
    wb_page_free(p);
    /* the copy stands alone */
    ck_assert_int_eq(line->refs, 2);
    ck_assert_int_eq(c->index, 3);
    ck_assert_str_eq(c->number_text, "4");
    ck_assert_str_eq(c->watermark, "DRAFT"); /* borrowed, as the page borrowed it */
    ck_assert_uint_eq(c->count, 2);
    ck_assert_ptr_eq(c->areas[0].u.text.line, line);
    ck_assert_str_eq(c->areas[1].u.link.uri, "https://example.org/");
    ck_assert_str_eq(c->nodes[0].alt, "a chart");
    ck_assert_str_eq(c->nodes[0].lang, "fr");
    wb_page_free(c);
    ck_assert_int_eq(line->refs, 1);
    wb_line_unref(line);
}
END_TEST

/* A sink that writes down what it is given: "p<index>" per page, "R" per restart, on which
 * thread, and fails at the page `fail_at` (-1: never). */
typedef struct {
    GString *log;
    GThread *caller;
    bool other_thread; /* every page came on a thread other than the caller's */
    int fail_at;
    int slow_page;     /* this page takes a while to draw */
    wb_ctx *ctx;
} recorder;

static wb_status record_page(void *data, const wb_page *page)
{
    recorder *r = data;
    r->other_thread = r->other_thread && g_thread_self() != r->caller;
    if (page->index == r->slow_page)
        g_usleep(50000);
    ck_assert_str_eq(page->areas[0].u.text.line->text, "Bonjour");
    g_string_append_printf(r->log, "p%d ", page->index);
    if (page->index == r->fail_at) {
        wb_error(r->ctx, WB_ERR_IO, "out.pdf", 0, 0, "cannot write page %d", page->index + 1);
        return WB_ERR_IO;
    }
    return WB_OK;
}

static wb_status record_restart(void *data)
{
    recorder *r = data;
    g_string_append(r->log, "R ");
    return WB_OK;
}

/* Gives pages 0..n-1 to the sink, each freed right after the call, as the formatter does. */
static wb_status give_pages(const wb_page_sink *sink, int n, wb_line *line)
{
    for (int i = 0; i < n; i++) {
        wb_page *p = a_page(i, line);
        wb_status st = sink->page(sink->data, p);
        wb_page_free(p);
        if (st != WB_OK)
            return st;
    }
    return WB_OK;
}

START_TEST(test_relay_in_order_on_its_thread)
{
    wb_line *line = plain_line("Bonjour");
    recorder rec = {g_string_new(NULL), g_thread_self(), true, -1, 0, NULL};
    wb_page_sink to = {record_page, &rec, record_restart};
    wb_page_relay *relay = wb_page_relay_new(&to, 2);
    ck_assert_ptr_nonnull(relay);
    wb_page_sink s = wb_page_relay_sink(relay);
    ck_assert_ptr_nonnull(s.restart);
    /* the first page is slow: the queue fills and the caller waits, nothing is lost */
    ck_assert_int_eq(give_pages(&s, 6, line), WB_OK);
    /* a restart comes after every page given before it */
    ck_assert_int_eq(s.restart(s.data), WB_OK);
    ck_assert_str_eq(rec.log->str, "p0 p1 p2 p3 p4 p5 R ");
    ck_assert_int_eq(give_pages(&s, 3, line), WB_OK);
    ck_assert_int_eq(wb_page_relay_finish(relay), WB_OK);
    ck_assert_str_eq(rec.log->str, "p0 p1 p2 p3 p4 p5 R p0 p1 p2 ");
    ck_assert(rec.other_thread);
    /* every copy was freed */
    ck_assert_int_eq(line->refs, 1);
    wb_line_unref(line);
    g_string_free(rec.log, TRUE);
}
END_TEST

START_TEST(test_relay_without_restart)
{
    recorder rec = {g_string_new(NULL), g_thread_self(), true, -1, -1, NULL};
    wb_page_sink to = {record_page, &rec, NULL};
    wb_page_relay *relay = wb_page_relay_new(&to, 1);
    ck_assert_ptr_nonnull(relay);
    /* a sink that cannot restart is not offered as one that can */
    ck_assert_ptr_null(wb_page_relay_sink(relay).restart);
    ck_assert_int_eq(wb_page_relay_finish(relay), WB_OK);
    ck_assert_str_eq(rec.log->str, "");
    g_string_free(rec.log, TRUE);
}
END_TEST

/* A page that fails stops the pages after it: the caller hears of it at a later page (or at
 * the finish), the pages queued behind it are freed undrawn, the error is on the context. */
START_TEST(test_relay_failure_stops_the_pages)
{
    wb_line *line = plain_line("Bonjour");
    wb_ctx *ctx = wb_ctx_new();
    recorder rec = {g_string_new(NULL), g_thread_self(), true, 2, 2, ctx};
    wb_page_sink to = {record_page, &rec, record_restart};
    wb_page_relay *relay = wb_page_relay_new(&to, 2);
    ck_assert_ptr_nonnull(relay);
    wb_page_sink s = wb_page_relay_sink(relay);
    wb_status given = give_pages(&s, 40, line);
    wb_status finished = wb_page_relay_finish(relay);
    ck_assert_int_eq(finished, WB_ERR_IO);
    ck_assert(given == WB_ERR_IO || given == WB_OK);
    ck_assert_str_eq(rec.log->str, "p0 p1 p2 ");
    ck_assert_int_eq(wb_ctx_status(ctx), WB_ERR_IO);
    size_t n = 0;
    const wb_diagnostic *d = wb_ctx_diagnostics(ctx, &n);
    ck_assert_uint_eq(n, 1);
    ck_assert_str_eq(d[0].message, "cannot write page 3");
    ck_assert_int_eq(line->refs, 1);
    wb_line_unref(line);
    wb_ctx_free(ctx);
    g_string_free(rec.log, TRUE);
}
END_TEST

/* Two threads saying things at once: nothing is lost, the status is the first error's. */
typedef struct {
    wb_ctx *ctx;
    int from;
} sayer;

static gpointer say_many(gpointer data)
{
    sayer *s = data;
    for (int i = 0; i < 2000; i++) {
        wb_warning(s->ctx, "f.fo", s->from + i, 1, "warning %d", s->from + i);
        wb_ctx_stat_add(s->ctx, "render", 0.001);
        (void)wb_ctx_status(s->ctx);
    }
    return NULL;
}

START_TEST(test_context_from_two_threads)
{
    wb_ctx *ctx = wb_ctx_new();
    wb_ctx_set_stats(ctx, true);
    sayer a = {ctx, 0}, b = {ctx, 100000};
    GThread *t = g_thread_new("sayer", say_many, &b);
    say_many(&a);
    g_thread_join(t);
    size_t n = 0;
    wb_ctx_diagnostics(ctx, &n);
    ck_assert_uint_eq(n, 4000);
    ck_assert_int_eq(wb_ctx_status(ctx), WB_OK);
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    wb_ctx_report_stats(ctx, out);
    fclose(out);
    ck_assert_msg(strstr(buf, "render                         4.000"), "%s", buf);
    free(buf);
    wb_ctx_free(ctx);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("page");
    TCase *tc = tcase_create("page");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_copy_owns_its_parts);
    tcase_add_test(tc, test_relay_in_order_on_its_thread);
    tcase_add_test(tc, test_relay_without_restart);
    tcase_add_test(tc, test_relay_failure_stops_the_pages);
    tcase_add_test(tc, test_context_from_two_threads);
    suite_add_tcase(s, tc);
    int failed = wb_test_run_suite(s);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
