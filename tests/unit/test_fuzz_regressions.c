/* The inputs the fuzz targets once failed on, run again in a normal build: every file in
 * tests/fuzz/regressions/TARGET/ goes through the same call as the libFuzzer program
 * (tests/fuzz/targets.c), which must come back (no crash, no hang past the test's timeout;
 * under ASan+UBSan in `make check-asan`, nothing the sanitizers see either).  A finding of
 * `make fuzz` is saved there once fixed (tests/fuzz/README.md). */
#include <check.h>
#include <glib.h>
#include <stdint.h>
#include <string.h>

#include "unit/support.h"

#include "../fuzz/targets.c"

typedef int (*fuzz_target)(const uint8_t *, size_t);

static void run_folder(const char *name, fuzz_target target)
{
    char *dir = g_build_filename(wb_test_path("tests/fuzz/regressions"), name, NULL);
    GDir *d = g_dir_open(dir, 0, NULL);
    ck_assert_msg(d != NULL, "no folder %s", dir);
    const char *e;
    int n = 0;
    while ((e = g_dir_read_name(d)) != NULL) {
        if (e[0] == '.')
            continue;
        char *file = g_build_filename(dir, e, NULL);
        gchar *data = NULL;
        gsize len = 0;
        ck_assert_msg(g_file_get_contents(file, &data, &len, NULL), "cannot read %s", file);
        ck_assert_int_eq(target((const uint8_t *)data, len), 0);
        g_free(data);
        g_free(file);
        n++;
    }
    g_dir_close(d);
    g_free(dir);
}

START_TEST(test_load_regressions) { run_folder("load", wb_fuzz_load); }
END_TEST

START_TEST(test_format_regressions) { run_folder("format", wb_fuzz_format); }
END_TEST

START_TEST(test_properties_regressions) { run_folder("properties", wb_fuzz_properties); }
END_TEST

START_TEST(test_catalogue_regressions) { run_folder("catalogue", wb_fuzz_catalogue); }
END_TEST

/* The catalogue target itself on the batch tests' catalogue and rosters, so that it stays
 * runnable between fuzzing sessions. */
START_TEST(test_catalogue_target)
{
    const char *files[] = {"tests/data/batch/catalogue.xml", "tests/data/batch/bad-entries.xml",
                           "tests/data/batch/bad-roster.csv", "tests/data/batch/course/rosters/group.csv"};
    for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
        gchar *data = NULL;
        gsize len = 0;
        ck_assert(g_file_get_contents(wb_test_path(files[i]), &data, &len, NULL));
        ck_assert_int_eq(wb_fuzz_catalogue((const uint8_t *)data, len), 0);
        g_free(data);
    }
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("fuzz regressions");
    TCase *tc = tcase_create("regressions");
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, test_load_regressions);
    tcase_add_test(tc, test_format_regressions);
    tcase_add_test(tc, test_properties_regressions);
    tcase_add_test(tc, test_catalogue_regressions);
    tcase_add_test(tc, test_catalogue_target);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return wb_test_main(suite()); }
