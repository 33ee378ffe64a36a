/* Reference-PNG comparisons, where looks matter: borders, leaders, columns, tables.
 *
 * Each FO file of tests/fo named below is rendered to PNG at 40 dpi and compared with the
 * reference images in tests/ref/ (NAME-PAGE.png).  A page passes when fewer than 0.3% of
 * its pixels differ by more than a fifth of the range in some channel (anti-aliasing may
 * differ a little between builds, a missing border or a moved column may not).
 * WB_UPDATE_REFS=1 writes the current renderings as the new references, on purpose. */
#include <cairo.h>
#include <check.h>
#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "unit/support.h"

static const char *const files[] = {"padding-borders-styles", "leader-dots-toc", "leader-rule-space",
                                    "columns-two-balanced", "table-collapse-separate", "table-spans",
                                    "background-color", "table-backgrounds"};

/* Share of pixels that differ noticeably; -1 when the sizes differ. */
static double difference(cairo_surface_t *a, cairo_surface_t *b)
{
    int w = cairo_image_surface_get_width(a), h = cairo_image_surface_get_height(a);
    if (w != cairo_image_surface_get_width(b) || h != cairo_image_surface_get_height(b))
        return -1;
    cairo_surface_flush(a);
    cairo_surface_flush(b);
    const unsigned char *pa = cairo_image_surface_get_data(a), *pb = cairo_image_surface_get_data(b);
    int sa = cairo_image_surface_get_stride(a), sb = cairo_image_surface_get_stride(b);
    long bad = 0;
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            const unsigned char *ca = pa + y * sa + 4 * x, *cb = pb + y * sb + 4 * x;
            for (int c = 0; c < 3; c++)
                if (abs(ca[c] - cb[c]) > 51) {
                    bad++;
                    break;
                }
        }
    return (double)bad / ((double)w * h);
}

START_TEST(looks_as_the_reference)
{
    const char *name = files[_i];
    char *tmp = wb_test_tmpdir();
    char *cmd = g_strdup_printf("cd '%s' && '%s' render '%s.fo' -q --dpi 40 -o '%s/%s.png'", wb_test_path("tests/fo"),
                                wb_test_bin(), name, tmp, name);
    char *out = NULL;
    ck_assert_msg(wb_test_run(cmd, &out, true) == 0, "%s", out);
    free(out);
    bool update = getenv("WB_UPDATE_REFS") && !strcmp(getenv("WB_UPDATE_REFS"), "1");
    int pages = 0;
    for (int p = 1;; p++) {
        char *got = g_strdup_printf("%s/%s-%d.png", tmp, name, p);
        if (access(got, R_OK) != 0) {
            g_free(got);
            break;
        }
        pages++;
        char *ref = g_strdup_printf("%s/%s-%d.png", wb_test_path("tests/ref"), name, p);
        if (update) {
            char *cp = g_strdup_printf("mkdir -p '%s' && cp '%s' '%s'", wb_test_path("tests/ref"), got, ref);
            ck_assert_int_eq(system(cp), 0);
            g_free(cp);
        } else {
            cairo_surface_t *a = cairo_image_surface_create_from_png(got);
            cairo_surface_t *b = cairo_image_surface_create_from_png(ref);
            ck_assert_msg(cairo_surface_status(b) == CAIRO_STATUS_SUCCESS, "no reference %s (WB_UPDATE_REFS=1 makes it)", ref);
            double d = difference(a, b);
            ck_assert_msg(d >= 0, "%s page %d: the page size changed", name, p);
            ck_assert_msg(d < 0.003, "%s page %d: %.2f%% of the pixels differ from %s", name, p, d * 100, ref);
            cairo_surface_destroy(a);
            cairo_surface_destroy(b);
        }
        g_free(ref);
        g_free(got);
    }
    ck_assert_int_gt(pages, 0);
    if (!update) {
        /* as many pages as the reference has */
        char *extra = g_strdup_printf("%s/%s-%d.png", wb_test_path("tests/ref"), name, pages + 1);
        ck_assert_msg(access(extra, R_OK) != 0, "%s: %d pages, the reference has more", name, pages);
        g_free(extra);
    }
    char *rm = g_strdup_printf("rm -rf '%s'", tmp);
    ck_assert_int_eq(system(rm), 0);
    g_free(rm);
    g_free(cmd);
    free(tmp);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("reference");
    TCase *tc = tcase_create("png");
    tcase_set_timeout(tc, 120);
    tcase_add_loop_test(tc, looks_as_the_reference, 0, (int)(sizeof files / sizeof files[0]));
    suite_add_tcase(s, tc);
    int failed = wb_test_run_suite(s);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
