/* Unit tests of src/render/render.c: PDF, PNG and SVG output of hand-made pages, written
 * through a temporary file that replaces the target only on wb_renderer_finish (or, for a
 * FIFO, written to it directly at the end); checked with qpdf and pdfinfo. */
#include "workbook/render.h"
#include "format/linebreak.h"

#include <cairo.h>
#include <check.h>
#include <dirent.h>
#include <limits.h>
#include <pango/pangocairo.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "format/format-private.h"
#include "page/image.h"
#include "unit/support.h"
#include "workbook/page.h"

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

/* ---- helpers ---- */

static PangoFontMap *test_fontmap;
static PangoContext *test_pango;

static void test_setup(void)
{
    test_fontmap = pango_cairo_font_map_new();
    test_pango = pango_font_map_create_context(test_fontmap);
    pango_cairo_context_set_resolution(test_pango, 72);
}

static void test_teardown(void)
{
    g_object_unref(test_pango);
    g_object_unref(test_fontmap);
}

/* A page of w x h points with a line of text, a red fill at (10,10) 50x50, a rule, an
 * external and an internal link and a destination. */
static wb_page *test_page(double w, double h, const char *text, int index)
{
    wb_page *pg = g_new0(wb_page, 1);
    pg->width = w;
    pg->height = h;
    pg->number = index + 1;
    pg->number_text = g_strdup_printf("%d", index + 1);
    pg->index = index;
    pg->cap = 6;
    pg->areas = g_new0(wb_area, pg->cap);

    /* one line of text, broken by the engine's line breaker */
    PangoAttrList *attrs = pango_attr_list_new();
    PangoFontDescription *fd = pango_font_description_from_string("PT Serif 12");
    pango_attr_list_insert(attrs, pango_attr_font_desc_new(fd));
    pango_font_description_free(fd);
    lb_cache *cache = lb_cache_new();
    GArray *lines = g_array_new(FALSE, TRUE, sizeof(lb_line));
    lb_params pp = {.width = 1000, .align = ALIGN_START, .align_last = ALIGN_START, .wrap = false};
    lb_break(test_pango, cache, text, (int)strlen(text), attrs, &pp, lines);
    ck_assert_uint_eq(lines->len, 1);
    wb_area *a = &pg->areas[pg->count++];
    a->kind = WB_AREA_TEXT;
    a->x = 20;
    a->y = 100;
    a->color = (wb_color){0, 0, 0, 1};
    a->u.text.line = g_array_index(lines, lb_line, 0).line;
    g_array_free(lines, TRUE);
    lb_cache_free(cache);
    pango_attr_list_unref(attrs);

    a = &pg->areas[pg->count++];
    *a = (wb_area){.kind = WB_AREA_FILL, .x = 10, .y = 10, .w = 50, .h = 50, .color = {1, 0, 0, 1}};
    a = &pg->areas[pg->count++];
    *a = (wb_area){.kind = WB_AREA_RULE, .x = 20, .y = 120, .w = 100, .h = 0, .color = {0, 0, 1, 1},
                   .u.rule = {1, WB_RULE_SOLID}};
    a = &pg->areas[pg->count++];
    *a = (wb_area){.kind = WB_AREA_LINK, .x = 20, .y = 88, .w = 80, .h = 16};
    a->u.link.uri = g_strdup("https://example.org/unit-test");
    a = &pg->areas[pg->count++];
    *a = (wb_area){.kind = WB_AREA_LINK, .x = 20, .y = 130, .w = 80, .h = 16};
    a->u.link.dest = g_strdup("unit-target");
    a = &pg->areas[pg->count++];
    *a = (wb_area){.kind = WB_AREA_DEST, .x = 20, .y = 140};
    a->u.dest.name = g_strdup(index == 0 ? "unit-target" : "other-target");
    return pg;
}

/* Renders n pages (sizes alternate A: 200x300, B: 300x200) without finishing. */
static void test_draw(wb_renderer *r, int n)
{
    for (int i = 0; i < n; i++) {
        wb_page *pg = i % 2 ? test_page(300, 200, "Second page text", i) : test_page(200, 300, "Hello, PDF world", i);
        ck_assert_int_eq(wb_renderer_page(r, pg), WB_OK);
        wb_page_free(pg);
    }
    ck_assert_int_eq(wb_renderer_page_count(r), n);
}

static char *test_join(const char *dir, const char *name)
{
    char *p = NULL;
    ck_assert_int_ge(asprintf(&p, "%s/%s", dir, name), 0);
    return p;
}

static bool test_exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

/* Names in dir (not . and ..), sorted, joined with '|'; caller frees. */
static char *test_listing(const char *dir)
{
    struct dirent **list = NULL;
    int n = scandir(dir, &list, NULL, alphasort);
    ck_assert_int_ge(n, 0);
    GString *s = g_string_new(NULL);
    for (int i = 0; i < n; i++) {
        if (strcmp(list[i]->d_name, ".") && strcmp(list[i]->d_name, "..")) {
            if (s->len)
                g_string_append_c(s, '|');
            g_string_append(s, list[i]->d_name);
        }
        free(list[i]);
    }
    free(list);
    return g_string_free(s, FALSE);
}

static int test_count_entries(const char *dir)
{
    char *l = test_listing(dir);
    int n = *l ? 1 : 0;
    for (char *p = l; *p; p++)
        if (*p == '|')
            n++;
    g_free(l);
    return n;
}

static void test_rmtree(const char *dir)
{
    char *cmd = NULL;
    ck_assert_int_ge(asprintf(&cmd, "rm -rf '%s'", dir), 0);
    ck_assert_int_eq(system(cmd), 0);
    free(cmd);
}

static void test_write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    ck_assert_int_eq(fclose(f), 0);
}

/* Runs a command on a file; its output in *out (caller frees). */
static int test_run(const char *fmt, const char *path, char **out)
{
    char *cmd = NULL;
    ck_assert_int_ge(asprintf(&cmd, fmt, path), 0);
    int rc = wb_test_run(cmd, out, true);
    free(cmd);
    return rc;
}

/* The PDF uncompressed by qpdf (QDF form), as text; caller frees. */
static char *test_qdf(const char *pdf)
{
    char *qdf = NULL;
    ck_assert_int_ge(asprintf(&qdf, "%s.qdf", pdf), 0);
    char *cmd = NULL;
    ck_assert_int_ge(asprintf(&cmd, "qpdf --qdf --object-streams=disable '%s' '%s'", pdf, qdf), 0);
    char *out = NULL;
    int rc = wb_test_run(cmd, &out, true);
    ck_assert_msg(rc == 0 || rc == 3, "qpdf --qdf: %d %s", rc, out ? out : "");
    free(out);
    free(cmd);
    long len = 0;
    char *text = wb_test_read(qdf, &len);
    ck_assert_ptr_nonnull(text);
    unlink(qdf);
    free(qdf);
    /* NULs in binary streams would end strstr early */
    for (long i = 0; i < len; i++)
        if (!text[i])
            text[i] = ' ';
    return text;
}

/* ---- PDF ---- */

START_TEST(test_pdf_appears_on_finish)
{
    char *dir = wb_test_tmpdir();
    char *out = test_join(dir, "book.pdf");
    wb_ctx *ctx = wb_ctx_new();
    wb_ctx_set_date(ctx, 1700000000);
    wb_renderer *r = wb_renderer_new(ctx, WB_OUT_PDF, out, 0);
    ck_assert_ptr_nonnull(r);
    wb_metadata meta = {.title = "Unit Test Title", .author = "The training team", .subject = "Testing",
                        .keywords = "unit, pdf", .lang = "fr", .creator = "test_render"};
    wb_renderer_set_metadata(r, &meta);
    test_draw(r, 2);
    ck_assert_int_gt(wb_renderer_add_bookmark(r, 0, "Chapter one", "unit-target", true), 0);
    /* before finish: no target, one hidden temporary beside it (".book.pdf.XXXXXX") */
    ck_assert(!test_exists(out));
    char *listing = test_listing(dir);
    ck_assert_msg(test_count_entries(dir) == 1 && !strncmp(listing, ".book.pdf.", 10) && strlen(listing) == 16,
                  "before finish: %s", listing);
    g_free(listing);
    ck_assert_int_eq(wb_renderer_finish(r), WB_OK);
    ck_assert(test_exists(out));
    listing = test_listing(dir);
    ck_assert_str_eq(listing, "book.pdf");
    g_free(listing);
    wb_renderer_free(r);
    ck_assert(test_exists(out));
    ck_assert_int_eq(wb_ctx_status(ctx), WB_OK);

    char *text = NULL;
    int rc = test_run("qpdf --check '%s'", out, &text);
    ck_assert_msg(rc == 0, "qpdf --check: %d\n%s", rc, text);
    free(text);
    rc = test_run("pdfinfo '%s'", out, &text);
    ck_assert_msg(rc == 0, "pdfinfo: %s", text);
    ck_assert_msg(strstr(text, "Title:") && strstr(text, "Unit Test Title"), "%s", text);
    ck_assert_msg(strstr(text, "Author:") && strstr(text, "The training team"), "%s", text);
    ck_assert_msg(strstr(text, "CreationDate:") && strstr(text, "Nov 14") && strstr(text, "2023"), "%s", text);
    char *pages = strstr(text, "Pages:");
    ck_assert_msg(pages && atoi(pages + 6) == 2, "%s", text);
    /* pages keep their own sizes */
    free(text);
    rc = test_run("pdfinfo -f 1 -l 2 '%s'", out, &text);
    char *p1 = strstr(text, "Page    1 size:"), *p2 = strstr(text, "Page    2 size:");
    ck_assert_msg(p1 && p2, "%s", text);
    double w1 = 0, h1 = 0, w2 = 0, h2 = 0;
    ck_assert_int_eq(sscanf(p1 + 15, " %lf x %lf", &w1, &h1), 2);
    ck_assert_int_eq(sscanf(p2 + 15, " %lf x %lf", &w2, &h2), 2);
    ck_assert(w1 == 200 && h1 == 300 && w2 == 300 && h2 == 200);
    free(text);

    char *qdf = test_qdf(out);
    ck_assert_msg(strstr(qdf, "https://example.org/unit-test") != NULL, "no external link");
    ck_assert_msg(strstr(qdf, "unit-target") != NULL, "no destination");
    ck_assert_msg(strstr(qdf, "/Lang") != NULL, "no /Lang");
    ck_assert_msg(strstr(qdf, "/Outlines") != NULL, "no outline");
    ck_assert_msg(strstr(qdf, "Chapter one") != NULL, "no bookmark title");
    /* cairo 1.16 writes the date without the "D:" prefix; pdfinfo shows it above */
    ck_assert_msg(strstr(qdf, "20231114221320") != NULL, "the fixed date is not the document's date");
    free(qdf);

    wb_ctx_free(ctx);
    test_rmtree(dir);
    free(out);
    free(dir);
}
END_TEST

START_TEST(test_pdf_link_uri_kept_whole)
{
    /* a URI with non-ASCII characters, quotes and a backslash-free query arrives whole in the
     * PDF: as it is or percent-encoded, never with its bytes turned into octal digits */
    char *dir = wb_test_tmpdir();
    char *out = test_join(dir, "links.pdf");
    wb_ctx *ctx = wb_ctx_new();
    wb_renderer *r = wb_renderer_new(ctx, WB_OUT_PDF, out, 0);
    ck_assert_ptr_nonnull(r);
    wb_page *pg = test_page(200, 300, "Links", 0);
    g_free(pg->areas[3].u.link.uri);
    pg->areas[3].u.link.uri = g_strdup("https://example.org/été?q=\"x\"&r='y'");
    ck_assert_int_eq(wb_renderer_page(r, pg), WB_OK);
    wb_page_free(pg);
    ck_assert_int_eq(wb_renderer_finish(r), WB_OK);
    wb_renderer_free(r);
    char *qdf = test_qdf(out);
    GString *uris = g_string_new(NULL);
    for (char *u = strstr(qdf, "/URI"); u; u = strstr(u + 1, "/URI")) {
        char *e = strchr(u + 5, '\n');
        g_string_append_len(uris, u, e ? e - u : (gssize)strlen(u));
        g_string_append(uris, " | ");
    }
    bool raw = strstr(qdf, "(https://example.org/été?q=\"x\"&r='y')") != NULL;
    bool pct = strcasestr(qdf, "(https://example.org/%C3%A9t%C3%A9?q=") != NULL;
    ck_assert_msg(raw || pct, "the link is mangled: %s", uris->str);
    g_string_free(uris, TRUE);
    free(qdf);
    wb_ctx_free(ctx);
    test_rmtree(dir);
    free(out);
    free(dir);
}
END_TEST

START_TEST(test_pdf_reproducible)
{
    /* the same pages and date give the same bytes */
    char *dir = wb_test_tmpdir();
    char *paths[2] = {test_join(dir, "a.pdf"), test_join(dir, "b.pdf")};
    char *data[2];
    long len[2];
    for (int i = 0; i < 2; i++) {
        wb_ctx *ctx = wb_ctx_new();
        wb_ctx_set_date(ctx, 1700000000);
        wb_renderer *r = wb_renderer_new(ctx, WB_OUT_PDF, paths[i], 0);
        wb_metadata meta = {.title = "Same", .lang = "en"};
        wb_renderer_set_metadata(r, &meta);
        test_draw(r, 2);
        ck_assert_int_eq(wb_renderer_finish(r), WB_OK);
        wb_renderer_free(r);
        wb_ctx_free(ctx);
        data[i] = wb_test_read(paths[i], &len[i]);
        ck_assert_ptr_nonnull(data[i]);
    }
    ck_assert_int_eq(len[0], len[1]);
    ck_assert_msg(memcmp(data[0], data[1], (size_t)len[0]) == 0, "two runs differ");
    for (int i = 0; i < 2; i++) {
        free(data[i]);
        free(paths[i]);
    }
    test_rmtree(dir);
    free(dir);
}
END_TEST

START_TEST(test_pdf_free_without_finish_keeps_old)
{
    char *dir = wb_test_tmpdir();
    char *out = test_join(dir, "book.pdf");
    test_write_file(out, "OLD CONTENT\n");
    wb_ctx *ctx = wb_ctx_new();
    wb_renderer *r = wb_renderer_new(ctx, WB_OUT_PDF, out, 0);
    ck_assert_ptr_nonnull(r);
    test_draw(r, 2);
    ck_assert_int_eq(test_count_entries(dir), 2); /* old file and the temporary */
    wb_renderer_free(r);
    char *text = wb_test_read(out, NULL);
    ck_assert_str_eq(text, "OLD CONTENT\n");
    free(text);
    char *listing = test_listing(dir);
    ck_assert_str_eq(listing, "book.pdf");
    g_free(listing);
    wb_ctx_free(ctx);
    test_rmtree(dir);
    free(out);
    free(dir);
}
END_TEST

START_TEST(test_pdf_replaces_old_on_finish)
{
    char *dir = wb_test_tmpdir();
    char *out = test_join(dir, "book.pdf");
    test_write_file(out, "OLD CONTENT\n");
    wb_ctx *ctx = wb_ctx_new();
    wb_renderer *r = wb_renderer_new(ctx, WB_OUT_PDF, out, 0);
    test_draw(r, 1);
    char *text = wb_test_read(out, NULL);
    ck_assert_str_eq(text, "OLD CONTENT\n"); /* untouched until finish */
    free(text);
    ck_assert_int_eq(wb_renderer_finish(r), WB_OK);
    wb_renderer_free(r);
    text = wb_test_read(out, NULL);
    ck_assert_mem_eq(text, "%PDF-", 5);
    free(text);
    wb_ctx_free(ctx);
    test_rmtree(dir);
    free(out);
    free(dir);
}
END_TEST

START_TEST(test_pdf_no_pages)
{
    char *dir = wb_test_tmpdir();
    char *out = test_join(dir, "empty.pdf");
    wb_ctx *ctx = wb_ctx_new();
    wb_renderer *r = wb_renderer_new(ctx, WB_OUT_PDF, out, 0);
    ck_assert_ptr_nonnull(r);
    ck_assert_int_ne(wb_renderer_finish(r), WB_OK);
    ck_assert_int_ne(wb_ctx_status(ctx), WB_OK);
    wb_renderer_free(r);
    ck_assert_int_eq(test_count_entries(dir), 0);
    wb_ctx_free(ctx);
    test_rmtree(dir);
    free(out);
    free(dir);
}
END_TEST

/* ---- PNG and SVG ---- */

/* The RGB of pixel (x, y) of an image surface (flushed). */
static uint32_t pixel(cairo_surface_t *s, int x, int y)
{
    const unsigned char *data = cairo_image_surface_get_data(s);
    return *(const uint32_t *)(data + y * cairo_image_surface_get_stride(s) + x * 4) & 0xFFFFFF;
}

/* The one page a PNG renderer of `out` wrote: `page1` in `dir` (OUT with "-1" added), or OUT
 * itself; loaded and flushed for pixel() (cairo_surface_destroy it). */
static cairo_surface_t *first_png_page(const char *dir, const char *page1, const char *out)
{
    char *png = test_join(dir, page1);
    cairo_surface_t *s = cairo_image_surface_create_from_png(test_exists(png) ? png : out);
    ck_assert_int_eq(cairo_surface_status(s), CAIRO_STATUS_SUCCESS);
    cairo_surface_flush(s);
    free(png);
    return s;
}

/* An empty page of w x h points, numbered 1, with room for `cap` areas. */
static wb_page *empty_page(double w, double h, size_t cap)
{
    wb_page *pg = g_new0(wb_page, 1);
    pg->width = w;
    pg->height = h;
    pg->number = 1;
    pg->number_text = g_strdup("1");
    pg->cap = cap;
    pg->areas = g_new0(wb_area, pg->cap);
    return pg;
}

static void check_png(const char *path, int w, int h)
{
    cairo_surface_t *s = cairo_image_surface_create_from_png(path);
    ck_assert_msg(cairo_surface_status(s) == CAIRO_STATUS_SUCCESS, "%s: not a PNG", path);
    ck_assert_int_eq(cairo_image_surface_get_width(s), w);
    ck_assert_int_eq(cairo_image_surface_get_height(s), h);
    /* the red fill at (10,10)-(60,60)pt, at 144 dpi: pixel (70,70); white at (300,200)... */
    cairo_surface_flush(s);
    uint32_t red = pixel(s, 70, 70);
    uint32_t white = pixel(s, w - 5, h - 5);
    ck_assert_msg(red == 0xFF0000, "%s: pixel (70,70) is %06x, want red", path, red);
    ck_assert_msg(white == 0xFFFFFF, "%s: corner is %06x, want white", path, white);
    cairo_surface_destroy(s);
}

START_TEST(test_png_one_file_per_page)
{
    char *dir = wb_test_tmpdir();
    char *out = test_join(dir, "book.png");
    wb_ctx *ctx = wb_ctx_new();
    wb_renderer *r = wb_renderer_new(ctx, WB_OUT_PNG, out, 144);
    ck_assert_ptr_nonnull(r);
    test_draw(r, 2);
    char *p1 = test_join(dir, "book-1.png"), *p2 = test_join(dir, "book-2.png");
    ck_assert(!test_exists(p1));
    ck_assert(!test_exists(p2));
    ck_assert_int_eq(wb_renderer_add_bookmark(r, 0, "No outline in PNG", "unit-target", true), 0);
    ck_assert_int_eq(wb_renderer_finish(r), WB_OK);
    wb_renderer_free(r);
    char *listing = test_listing(dir);
    ck_assert_str_eq(listing, "book-1.png|book-2.png");
    g_free(listing);
    /* 200x300pt and 300x200pt at 144 dpi */
    check_png(p1, 400, 600);
    check_png(p2, 600, 400);
    ck_assert_int_eq(wb_ctx_status(ctx), WB_OK);
    wb_ctx_free(ctx);
    test_rmtree(dir);
    free(p2);
    free(p1);
    free(out);
    free(dir);
}
END_TEST

/* Turned areas: a fill laid out upright 80pt wide and 20pt high from (100,50), turned a
 * quarter counter-clockwise, covers (100,50)-(120,130) of the page: 20pt wide, 80pt high. */
START_TEST(test_png_turned_areas)
{
    char *dir = wb_test_tmpdir();
    char *out = test_join(dir, "turn.png");
    wb_ctx *ctx = wb_ctx_new();
    wb_renderer *r = wb_renderer_new(ctx, WB_OUT_PNG, out, 72);
    ck_assert_ptr_nonnull(r);
    wb_page *pg = empty_page(200, 200, 3);
    pg->areas[pg->count++] = (wb_area){.kind = WB_AREA_TURN, .x = 100, .y = 50, .w = 80, .h = 20, .u.turn.angle = 90};
    pg->areas[pg->count++] = (wb_area){.kind = WB_AREA_FILL, .x = 100, .y = 50, .w = 80, .h = 20, .color = {1, 0, 0, 1}};
    pg->areas[pg->count++] = (wb_area){.kind = WB_AREA_TURN, .x = 100, .y = 50, .u.turn.angle = 0};
    ck_assert_int_eq(wb_renderer_page(r, pg), WB_OK);
    wb_page_free(pg);
    ck_assert_int_eq(wb_renderer_finish(r), WB_OK);
    wb_renderer_free(r);
    cairo_surface_t *s = first_png_page(dir, "turn-1.png", out);
    ck_assert_msg(pixel(s, 110, 120) == 0xFF0000, "(110,120) is %06x, want red", pixel(s, 110, 120));
    ck_assert_msg(pixel(s, 150, 60) == 0xFFFFFF, "(150,60) is %06x, want white: not turned", pixel(s, 150, 60));
    cairo_surface_destroy(s);
    ck_assert_int_eq(wb_ctx_status(ctx), WB_OK);
    wb_ctx_free(ctx);
    test_rmtree(dir);
    free(out);
    free(dir);
}
END_TEST

/* Background images: a 10pt green tile at (100,50) repeated across only, clipped to
 * (30,40)-(130,80): tiles on both sides of it in its row, none above or below it, none
 * outside the clip; a 20pt tile drawn once, its right half cut off by its clip. */
START_TEST(test_png_background_tiles)
{
    char *dir = wb_test_tmpdir();
    char *out = test_join(dir, "bg.png");
    wb_ctx *ctx = wb_ctx_new();
    wb_renderer *r = wb_renderer_new(ctx, WB_OUT_PNG, out, 72);
    ck_assert_ptr_nonnull(r);
    cairo_surface_t *green = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 4, 4);
    cairo_t *gc = cairo_create(green);
    cairo_set_source_rgb(gc, 0, 1, 0);
    cairo_paint(gc);
    cairo_destroy(gc);
    wb_image *img = wb_image_new(green, NULL, 10, 10);
    wb_page *pg = empty_page(200, 200, 2);
    wb_area row = {.kind = WB_AREA_IMAGE, .x = 100, .y = 50, .w = 10, .h = 10};
    row.u.image.image = wb_image_ref(img);
    row.u.image.background = true;
    row.u.image.repeat_x = true;
    row.u.image.clip.x = -70;
    row.u.image.clip.y = -10;
    row.u.image.clip.w = 100;
    row.u.image.clip.h = 40;
    pg->areas[pg->count++] = row;
    wb_area once = {.kind = WB_AREA_IMAGE, .x = 150, .y = 150, .w = 20, .h = 20};
    once.u.image.image = wb_image_ref(img);
    once.u.image.background = true;
    once.u.image.clip.w = 10;
    once.u.image.clip.h = 20;
    pg->areas[pg->count++] = once;
    wb_image_unref(img);
    ck_assert_int_eq(wb_renderer_page(r, pg), WB_OK);
    wb_page_free(pg);
    ck_assert_int_eq(wb_renderer_finish(r), WB_OK);
    wb_renderer_free(r);
    cairo_surface_t *s = first_png_page(dir, "bg-1.png", out);
    static const struct {
        int x, y;
        uint32_t want;
        const char *why;
    } px[] = {{105, 55, 0x00FF00, "the placed tile"},
              {35, 55, 0x00FF00, "a tile left of it, in the clip"},
              {125, 55, 0x00FF00, "a tile right of it, in the clip"},
              {140, 55, 0xFFFFFF, "right of the clip"},
              {20, 55, 0xFFFFFF, "left of the clip"},
              {105, 45, 0xFFFFFF, "above the row: no repeat down"},
              {105, 70, 0xFFFFFF, "below the row, in the clip"},
              {155, 160, 0x00FF00, "the tile drawn once"},
              {165, 160, 0xFFFFFF, "its half outside its clip"},
              {155, 175, 0xFFFFFF, "no repeat below it"}};
    for (size_t i = 0; i < G_N_ELEMENTS(px); i++)
        ck_assert_msg(pixel(s, px[i].x, px[i].y) == px[i].want, "(%d,%d) is %06x, want %06x: %s", px[i].x, px[i].y,
                      pixel(s, px[i].x, px[i].y), px[i].want, px[i].why);
    cairo_surface_destroy(s);
    ck_assert_int_eq(wb_ctx_status(ctx), WB_OK);
    wb_ctx_free(ctx);
    test_rmtree(dir);
    free(out);
    free(dir);
}
END_TEST

START_TEST(test_png_pattern_and_default_dpi)
{
    char *dir = wb_test_tmpdir();
    char *out = test_join(dir, "page-%d-of-book.png");
    wb_ctx *ctx = wb_ctx_new();
    wb_renderer *r = wb_renderer_new(ctx, WB_OUT_PNG, out, 0);
    test_draw(r, 2);
    ck_assert_int_eq(wb_renderer_finish(r), WB_OK);
    wb_renderer_free(r);
    char *listing = test_listing(dir);
    ck_assert_str_eq(listing, "page-1-of-book.png|page-2-of-book.png");
    g_free(listing);
    /* 96 dpi: 200pt -> 267 pixels (rounded up) */
    char *p1 = test_join(dir, "page-1-of-book.png");
    cairo_surface_t *s = cairo_image_surface_create_from_png(p1);
    ck_assert_int_eq(cairo_surface_status(s), CAIRO_STATUS_SUCCESS);
    ck_assert_int_eq(cairo_image_surface_get_width(s), 267);
    ck_assert_int_eq(cairo_image_surface_get_height(s), 400);
    cairo_surface_destroy(s);
    free(p1);
    wb_ctx_free(ctx);
    test_rmtree(dir);
    free(out);
    free(dir);
}
END_TEST

START_TEST(test_png_pattern_widths)
{
    /* printf widths: "%03d" pads with zeros, "%2d" with spaces; a "%" of another kind stays */
    static const char *const cases[][2] = {{"p-%03d.png", "p-001.png|p-002.png"},
                                           {"q%2d.png", "q 1.png|q 2.png"},
                                           {"100%-%02d.png", "100%-01.png|100%-02.png"}};
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        char *dir = wb_test_tmpdir();
        char *out = test_join(dir, cases[i][0]);
        wb_ctx *ctx = wb_ctx_new();
        wb_renderer *r = wb_renderer_new(ctx, WB_OUT_PNG, out, 10);
        test_draw(r, 2);
        ck_assert_int_eq(wb_renderer_finish(r), WB_OK);
        wb_renderer_free(r);
        char *listing = test_listing(dir);
        ck_assert_str_eq(listing, cases[i][1]);
        g_free(listing);
        wb_ctx_free(ctx);
        test_rmtree(dir);
        free(out);
        free(dir);
    }
}
END_TEST

START_TEST(test_contact_sheet)
{
    char *dir = wb_test_tmpdir();
    char *out = test_join(dir, "sheet.png");
    wb_ctx *ctx = wb_ctx_new();
    wb_renderer *r = wb_renderer_new(ctx, WB_OUT_CONTACT, out, 72);
    ck_assert_ptr_nonnull(r);
    test_draw(r, 11);
    ck_assert(!test_exists(out));
    ck_assert_int_eq(wb_renderer_finish(r), WB_OK);
    wb_renderer_free(r);
    char *listing = test_listing(dir);
    ck_assert_str_eq(listing, "sheet.png");
    g_free(listing);
    /* pages of 200x300 and 300x200pt at 72 dpi: cells 300x300, 8 a row, 2 rows */
    cairo_surface_t *s = cairo_image_surface_create_from_png(out);
    ck_assert_int_eq(cairo_surface_status(s), CAIRO_STATUS_SUCCESS);
    ck_assert_int_eq(cairo_image_surface_get_width(s), 8 * 300 + 9 * 8);
    ck_assert_int_eq(cairo_image_surface_get_height(s), 2 * (300 + 14) + 3 * 8);
    cairo_surface_destroy(s);
    ck_assert_int_eq(wb_ctx_status(ctx), WB_OK);
    wb_ctx_free(ctx);
    test_rmtree(dir);
    free(out);
    free(dir);
}
END_TEST

START_TEST(test_contact_sheet_pixel_limit)
{
    char *dir = wb_test_tmpdir();
    char *out = test_join(dir, "sheet.png");
    wb_ctx *ctx = wb_ctx_new();
    wb_ctx_set_limit(ctx, WB_LIMIT_PIXELS, 300000);
    wb_renderer *r = wb_renderer_new(ctx, WB_OUT_CONTACT, out, 72);
    wb_status st = WB_OK;
    for (int i = 0; i < 6 && st == WB_OK; i++) {
        wb_page *pg = test_page(200, 300, "page", i);
        st = wb_renderer_page(r, pg);
        wb_page_free(pg);
    }
    ck_assert_int_eq(st, WB_ERR_INPUT);
    wb_renderer_free(r);
    ck_assert(!test_exists(out));
    wb_ctx_free(ctx);
    test_rmtree(dir);
    free(out);
    free(dir);
}
END_TEST

START_TEST(test_pdf_bleed_boxes)
{
    char *dir = wb_test_tmpdir();
    char *out = test_join(dir, "bleed.pdf");
    wb_ctx *ctx = wb_ctx_new();
    wb_renderer *r = wb_renderer_new(ctx, WB_OUT_PDF, out, 0);
    wb_page *pg = test_page(200, 300, "Bleed", 0);
    pg->bleed = 9;
    pg->crop_offset = 30;
    pg->watermark = "DRAFT";
    ck_assert_int_eq(wb_renderer_page(r, pg), WB_OK);
    wb_page_free(pg);
    ck_assert_int_eq(wb_renderer_finish(r), WB_OK);
    wb_renderer_free(r);
    char *cmd = g_strdup_printf("pdfinfo -box '%s'", out);
    char *info = NULL;
    ck_assert_int_eq(wb_test_run(cmd, &info, false), 0);
    ck_assert_msg(strstr(info, "MediaBox:            0.00     0.00   260.00   360.00"), "%s", info);
    ck_assert_msg(strstr(info, "TrimBox:            30.00    30.00   230.00   330.00"), "%s", info);
    ck_assert_msg(strstr(info, "BleedBox:           21.00    21.00   239.00   339.00"), "%s", info);
    free(info);
    g_free(cmd);
    /* the watermark is drawn, not written: the page's text is its own */
    cmd = g_strdup_printf("pdftotext '%s' -", out);
    ck_assert_int_eq(wb_test_run(cmd, &info, false), 0);
    ck_assert_ptr_null(strstr(info, "DRAFT"));
    ck_assert_ptr_nonnull(strstr(info, "Bleed"));
    free(info);
    g_free(cmd);
    wb_ctx_free(ctx);
    test_rmtree(dir);
    free(out);
    free(dir);
}
END_TEST

START_TEST(test_png_free_without_finish)
{
    char *dir = wb_test_tmpdir();
    char *out = test_join(dir, "book.png");
    char *old = test_join(dir, "book-1.png");
    test_write_file(old, "OLD PNG\n");
    wb_ctx *ctx = wb_ctx_new();
    wb_renderer *r = wb_renderer_new(ctx, WB_OUT_PNG, out, 0);
    test_draw(r, 2);
    wb_renderer_free(r);
    char *text = wb_test_read(old, NULL);
    ck_assert_str_eq(text, "OLD PNG\n");
    free(text);
    char *listing = test_listing(dir);
    ck_assert_str_eq(listing, "book-1.png");
    g_free(listing);
    wb_ctx_free(ctx);
    test_rmtree(dir);
    free(old);
    free(out);
    free(dir);
}
END_TEST

START_TEST(test_svg_one_file_per_page)
{
    char *dir = wb_test_tmpdir();
    char *out = test_join(dir, "book.svg");
    wb_ctx *ctx = wb_ctx_new();
    wb_renderer *r = wb_renderer_new(ctx, WB_OUT_SVG, out, 0);
    ck_assert_ptr_nonnull(r);
    test_draw(r, 2);
    ck_assert_int_eq(test_count_entries(dir) == 0 || !test_exists(out), 1);
    char *p1 = test_join(dir, "book-1.svg"), *p2 = test_join(dir, "book-2.svg");
    ck_assert(!test_exists(p1));
    ck_assert_int_eq(wb_renderer_finish(r), WB_OK);
    wb_renderer_free(r);
    char *listing = test_listing(dir);
    ck_assert_str_eq(listing, "book-1.svg|book-2.svg");
    g_free(listing);
    const char *sizes[] = {"width=\"200pt\" height=\"300pt\"", "width=\"300pt\" height=\"200pt\""};
    char *paths[] = {p1, p2};
    for (int i = 0; i < 2; i++) {
        char *text = wb_test_read(paths[i], NULL);
        ck_assert_ptr_nonnull(text);
        ck_assert_msg(strstr(text, "<svg") != NULL, "%s", paths[i]);
        ck_assert_msg(strstr(text, sizes[i]) != NULL, "%s: size: %.300s", paths[i], text);
        ck_assert_msg(strstr(text, "</svg>") != NULL, "%s: not complete", paths[i]);
        free(text);
    }
    wb_ctx_free(ctx);
    test_rmtree(dir);
    free(p2);
    free(p1);
    free(out);
    free(dir);
}
END_TEST

/* ---- errors ---- */

START_TEST(test_unwritable_path)
{
    const wb_output_format formats[] = {WB_OUT_PDF, WB_OUT_PNG, WB_OUT_SVG};
    const char *names[] = {"missing/out.pdf", "missing/out.png", "missing/out.svg"};
    char *dir = wb_test_tmpdir();
    for (int i = 0; i < 3; i++) {
        char *out = test_join(dir, names[i]);
        wb_ctx *ctx = wb_ctx_new();
        wb_renderer *r = wb_renderer_new(ctx, formats[i], out, 0);
        wb_status st = WB_OK;
        if (r) {
            /* the error may come with the first page or at the end, but it must come */
            wb_page *pg = test_page(200, 300, "x", 0);
            st = wb_renderer_page(r, pg);
            wb_page_free(pg);
            if (st == WB_OK)
                st = wb_renderer_finish(r);
            wb_renderer_free(r);
        } else {
            st = wb_ctx_status(ctx);
        }
        ck_assert_msg(st == WB_ERR_IO, "%s: status %d", names[i], st);
        ck_assert_int_eq(wb_ctx_status(ctx), WB_ERR_IO);
        size_t n = 0;
        const wb_diagnostic *d = wb_ctx_diagnostics(ctx, &n);
        ck_assert_uint_ge(n, 1);
        ck_assert_int_eq(d[0].severity, WB_SEV_ERROR);
        ck_assert_msg(d[0].file && strstr(d[0].file, "missing/out"), "%s: the error names %s", names[i],
                      d[0].file ? d[0].file : "nothing");
        wb_ctx_free(ctx);
        free(out);
    }
    ck_assert_int_eq(test_count_entries(dir), 0);
    test_rmtree(dir);
    free(dir);
}
END_TEST

START_TEST(test_target_is_a_folder)
{
    /* the rename at the end fails: an I/O error, and no temporary left behind */
    char *dir = wb_test_tmpdir();
    char *out = test_join(dir, "book.pdf");
    ck_assert_int_eq(mkdir(out, 0755), 0);
    wb_ctx *ctx = wb_ctx_new();
    wb_renderer *r = wb_renderer_new(ctx, WB_OUT_PDF, out, 0);
    wb_status st = wb_ctx_status(ctx);
    if (r) {
        test_draw(r, 1);
        st = wb_renderer_finish(r);
        wb_renderer_free(r);
    }
    ck_assert_int_eq(st, WB_ERR_IO);
    ck_assert_int_eq(wb_ctx_status(ctx), WB_ERR_IO);
    char *listing = test_listing(dir);
    ck_assert_str_eq(listing, "book.pdf");
    g_free(listing);
    wb_ctx_free(ctx);
    test_rmtree(dir);
    free(out);
    free(dir);
}
END_TEST

/* ---- targets that are not regular files ---- */

typedef struct {
    const char *path;
    GString *data;
} fifo_reader;

static void *test_read_fifo(void *arg)
{
    fifo_reader *r = arg;
    FILE *f = fopen(r->path, "rb");
    if (!f)
        return NULL;
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        g_string_append_len(r->data, buf, n);
    fclose(f);
    return NULL;
}

START_TEST(test_pdf_to_fifo)
{
    /* a FIFO is written directly, never replaced; the PDF still gets its post-pass (/Lang),
     * made on a spool file in $TMPDIR and copied to the FIFO at the end */
    char *dir = wb_test_tmpdir();
    char *spool = test_join(dir, "spool");
    ck_assert_int_eq(mkdir(spool, 0700), 0);
    char *saved = getenv("TMPDIR") ? strdup(getenv("TMPDIR")) : NULL;
    setenv("TMPDIR", spool, 1);
    char *fifo = test_join(dir, "fifo");
    ck_assert_int_eq(mkfifo(fifo, 0600), 0);
    fifo_reader rd = {.path = fifo, .data = g_string_new(NULL)};
    pthread_t t;
    ck_assert_int_eq(pthread_create(&t, NULL, test_read_fifo, &rd), 0);
    wb_ctx *ctx = wb_ctx_new();
    wb_renderer *r = wb_renderer_new(ctx, WB_OUT_PDF, fifo, 0);
    ck_assert_ptr_nonnull(r);
    wb_metadata meta = {.title = "To a pipe", .lang = "fr"};
    wb_renderer_set_metadata(r, &meta);
    test_draw(r, 2);
    ck_assert_int_eq(test_count_entries(spool), 1);
    ck_assert_uint_eq(rd.data->len, 0); /* nothing reaches the FIFO before finish */
    ck_assert_int_eq(wb_renderer_finish(r), WB_OK);
    wb_renderer_free(r);
    ck_assert_int_eq(pthread_join(t, NULL), 0);
    struct stat st;
    ck_assert_int_eq(lstat(fifo, &st), 0);
    ck_assert(S_ISFIFO(st.st_mode));
    ck_assert_int_eq(test_count_entries(spool), 0);
    char *got = test_join(dir, "got.pdf");
    FILE *f = fopen(got, "wb");
    ck_assert_ptr_nonnull(f);
    ck_assert_uint_eq(fwrite(rd.data->str, 1, rd.data->len, f), rd.data->len);
    ck_assert_int_eq(fclose(f), 0);
    char *text = NULL;
    int rc = test_run("qpdf --check '%s'", got, &text);
    ck_assert_msg(rc == 0, "qpdf --check: %d\n%s", rc, text);
    free(text);
    char *qdf = test_qdf(got);
    ck_assert_msg(strstr(qdf, "/Lang") != NULL, "no /Lang: the post-pass was not made");
    free(qdf);
    char *listing = test_listing(dir);
    ck_assert_str_eq(listing, "fifo|got.pdf|spool");
    g_free(listing);
    if (saved)
        setenv("TMPDIR", saved, 1);
    else
        unsetenv("TMPDIR");
    free(saved);
    g_string_free(rd.data, TRUE);
    wb_ctx_free(ctx);
    test_rmtree(dir);
    free(got);
    free(fifo);
    free(spool);
    free(dir);
}
END_TEST

START_TEST(test_page_files_need_a_file_name)
{
    /* png and svg write a file per page, named after OUT: OUT cannot be standard output, a
     * FIFO or a folder */
    char *dir = wb_test_tmpdir();
    char *fifo = test_join(dir, "fifo");
    ck_assert_int_eq(mkfifo(fifo, 0600), 0);
    wb_ctx *ctx = wb_ctx_new();
    ck_assert_ptr_null(wb_renderer_new(ctx, WB_OUT_PNG, "-", 0));
    ck_assert_int_eq(wb_ctx_status(ctx), WB_ERR_USAGE);
    ck_assert_int_eq(test_count_diags(ctx, WB_SEV_ERROR, "cannot go to standard output", NULL), 1);
    wb_ctx_free(ctx);
    ctx = wb_ctx_new();
    ck_assert_ptr_null(wb_renderer_new(ctx, WB_OUT_SVG, fifo, 0));
    ck_assert_int_eq(wb_ctx_status(ctx), WB_ERR_IO);
    ck_assert_int_eq(test_count_diags(ctx, WB_SEV_ERROR, "one file per page", NULL), 1);
    wb_ctx_free(ctx);
    ctx = wb_ctx_new();
    ck_assert_ptr_null(wb_renderer_new(ctx, WB_OUT_PNG, dir, 0));
    ck_assert_int_eq(test_count_diags(ctx, WB_SEV_ERROR, "is a folder", NULL), 1);
    wb_ctx_free(ctx);
    char *listing = test_listing(dir);
    ck_assert_str_eq(listing, "fifo");
    g_free(listing);
    test_rmtree(dir);
    free(fifo);
    free(dir);
}
END_TEST

static Suite *render_suite(void)
{
    Suite *s = suite_create("render");
    TCase *tc = tcase_create("pdf");
    tcase_add_checked_fixture(tc, test_setup, test_teardown);
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, test_pdf_appears_on_finish);
    tcase_add_test(tc, test_pdf_link_uri_kept_whole);
    tcase_add_test(tc, test_pdf_reproducible);
    tcase_add_test(tc, test_pdf_free_without_finish_keeps_old);
    tcase_add_test(tc, test_pdf_replaces_old_on_finish);
    tcase_add_test(tc, test_pdf_no_pages);
    suite_add_tcase(s, tc);
    tc = tcase_create("raster and svg");
    tcase_add_checked_fixture(tc, test_setup, test_teardown);
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, test_png_one_file_per_page);
    tcase_add_test(tc, test_png_turned_areas);
    tcase_add_test(tc, test_png_background_tiles);
    tcase_add_test(tc, test_png_pattern_and_default_dpi);
    tcase_add_test(tc, test_png_pattern_widths);
    tcase_add_test(tc, test_contact_sheet);
    tcase_add_test(tc, test_contact_sheet_pixel_limit);
    tcase_add_test(tc, test_pdf_bleed_boxes);
    tcase_add_test(tc, test_png_free_without_finish);
    tcase_add_test(tc, test_svg_one_file_per_page);
    suite_add_tcase(s, tc);
    tc = tcase_create("errors");
    tcase_add_checked_fixture(tc, test_setup, test_teardown);
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, test_unwritable_path);
    tcase_add_test(tc, test_target_is_a_folder);
    tcase_add_test(tc, test_pdf_to_fifo);
    tcase_add_test(tc, test_page_files_need_a_file_name);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return wb_test_main(render_suite()); }
