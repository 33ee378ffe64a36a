/* Unit tests of src/context.c: diagnostics, the first error kept as status, warnings said
 * once per key, the report format, the date for reproducible output. */
#include "workbook/context.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unit/support.h"

/* ---- helpers ---- */

/* What wb_ctx_report prints, as a string the caller frees. */
static char *test_report(wb_ctx *ctx)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    ck_assert_ptr_nonnull(f);
    wb_ctx_report(ctx, f);
    ck_assert_int_eq(fclose(f), 0);
    return buf;
}

static size_t test_ndiags(const wb_ctx *ctx)
{
    size_t n = 99;
    wb_ctx_diagnostics(ctx, &n);
    return n;
}

/* ---- diagnostics and status ---- */

START_TEST(test_new_context_is_clean)
{
    wb_ctx *ctx = wb_ctx_new();
    ck_assert_ptr_nonnull(ctx);
    ck_assert_int_eq(wb_ctx_status(ctx), WB_OK);
    ck_assert_uint_eq(test_ndiags(ctx), 0);
    wb_ctx_free(ctx);
    wb_ctx_free(NULL); /* allowed */
}
END_TEST

START_TEST(test_diagnostics_gathered_in_order)
{
    wb_ctx *ctx = wb_ctx_new();
    wb_warning(ctx, "a.xml", 3, 7, "first %s", "warning");
    wb_error(ctx, WB_ERR_INPUT, "b.xml", 10, 2, "bad thing number %d", 42);
    wb_error(ctx, WB_ERR_IO, NULL, 0, 0, "later failure");
    size_t n = 0;
    const wb_diagnostic *d = wb_ctx_diagnostics(ctx, &n);
    ck_assert_uint_eq(n, 3);
    ck_assert_int_eq(d[0].severity, WB_SEV_WARNING);
    ck_assert_str_eq(d[0].file, "a.xml");
    ck_assert_int_eq(d[0].line, 3);
    ck_assert_int_eq(d[0].col, 7);
    ck_assert_str_eq(d[0].message, "first warning");
    ck_assert_int_eq(d[1].severity, WB_SEV_ERROR);
    ck_assert_str_eq(d[1].file, "b.xml");
    ck_assert_int_eq(d[1].line, 10);
    ck_assert_int_eq(d[1].col, 2);
    ck_assert_str_eq(d[1].message, "bad thing number 42");
    ck_assert_int_eq(d[2].severity, WB_SEV_ERROR);
    ck_assert_ptr_null(d[2].file);
    ck_assert_int_eq(d[2].line, 0);
    ck_assert_str_eq(d[2].message, "later failure");
    wb_ctx_free(ctx);
}
END_TEST

START_TEST(test_first_error_is_kept)
{
    wb_ctx *ctx = wb_ctx_new();
    wb_warning(ctx, NULL, 0, 0, "a warning sets no status");
    ck_assert_int_eq(wb_ctx_status(ctx), WB_OK);
    wb_error(ctx, WB_ERR_USAGE, NULL, 0, 0, "first");
    ck_assert_int_eq(wb_ctx_status(ctx), WB_ERR_USAGE);
    wb_error(ctx, WB_ERR_IO, NULL, 0, 0, "second");
    wb_error(ctx, WB_ERR_NOMEM, NULL, 0, 0, "third");
    ck_assert_int_eq(wb_ctx_status(ctx), WB_ERR_USAGE);
    ck_assert_uint_eq(test_ndiags(ctx), 4);
    wb_ctx_free(ctx);
}
END_TEST

START_TEST(test_clear_forgets_status_and_diagnostics)
{
    wb_ctx *ctx = wb_ctx_new();
    wb_error(ctx, WB_ERR_INPUT, "x.xml", 1, 1, "broken");
    wb_warning(ctx, "x.xml", 2, 1, "odd");
    wb_ctx_clear(ctx);
    ck_assert_int_eq(wb_ctx_status(ctx), WB_OK);
    ck_assert_uint_eq(test_ndiags(ctx), 0);
    /* a cleared context takes a new first error */
    wb_error(ctx, WB_ERR_IO, NULL, 0, 0, "io");
    ck_assert_int_eq(wb_ctx_status(ctx), WB_ERR_IO);
    ck_assert_uint_eq(test_ndiags(ctx), 1);
    wb_ctx_free(ctx);
}
END_TEST

START_TEST(test_quiet_drops_warnings_not_errors)
{
    wb_ctx *ctx = wb_ctx_new();
    wb_ctx_set_quiet(ctx, true);
    wb_warning(ctx, "q.xml", 1, 1, "hidden");
    wb_warning_once(ctx, "k", "q.xml", 1, 1, "hidden once");
    ck_assert_uint_eq(test_ndiags(ctx), 0);
    wb_error(ctx, WB_ERR_INPUT, "q.xml", 2, 1, "shown");
    ck_assert_uint_eq(test_ndiags(ctx), 1);
    ck_assert_int_eq(wb_ctx_status(ctx), WB_ERR_INPUT);
    wb_ctx_set_quiet(ctx, false);
    wb_warning(ctx, "q.xml", 3, 1, "visible again");
    size_t n = 0;
    const wb_diagnostic *d = wb_ctx_diagnostics(ctx, &n);
    ck_assert_uint_eq(n, 2);
    ck_assert_str_eq(d[1].message, "visible again");
    wb_ctx_free(ctx);
}
END_TEST

/* ---- warnings once per key ---- */

START_TEST(test_warning_once_per_key)
{
    wb_ctx *ctx = wb_ctx_new();
    wb_warning_once(ctx, "prop:foo", "f.fo", 4, 0, "property foo is not supported (line %d)", 4);
    wb_warning_once(ctx, "prop:foo", "f.fo", 9, 0, "property foo is not supported (line %d)", 9);
    wb_warning_once(ctx, "prop:foo", "g.fo", 1, 0, "another message, same key");
    wb_warning_once(ctx, "prop:bar", "f.fo", 5, 0, "property bar is not supported");
    size_t n = 0;
    const wb_diagnostic *d = wb_ctx_diagnostics(ctx, &n);
    ck_assert_uint_eq(n, 2);
    ck_assert_str_eq(d[0].message, "property foo is not supported (line 4)");
    ck_assert_int_eq(d[0].line, 4);
    ck_assert_int_eq(d[0].severity, WB_SEV_WARNING);
    ck_assert_str_eq(d[1].message, "property bar is not supported");
    ck_assert_int_eq(wb_ctx_status(ctx), WB_OK);
    wb_ctx_free(ctx);
}
END_TEST

START_TEST(test_warning_once_keys_are_exact)
{
    /* "prop:foo" and "prop:foobar" are different keys, and so are many keys in a row */
    wb_ctx *ctx = wb_ctx_new();
    wb_warning_once(ctx, "prop:foo", NULL, 0, 0, "foo");
    wb_warning_once(ctx, "prop:foobar", NULL, 0, 0, "foobar");
    wb_warning_once(ctx, "prop:fo", NULL, 0, 0, "fo");
    char key[32];
    for (int i = 0; i < 40; i++) {
        snprintf(key, sizeof key, "key-%d", i);
        wb_warning_once(ctx, key, NULL, 0, 0, "k%d", i);
    }
    for (int i = 0; i < 40; i++) {
        snprintf(key, sizeof key, "key-%d", i);
        wb_warning_once(ctx, key, NULL, 0, 0, "again k%d", i);
    }
    ck_assert_uint_eq(test_ndiags(ctx), 43);
    wb_ctx_free(ctx);
}
END_TEST

/* ---- the report ---- */

START_TEST(test_report_format)
{
    wb_ctx *ctx = wb_ctx_new();
    wb_error(ctx, WB_ERR_INPUT, "course.xml", 12, 5, "<exercise> needs a mode");
    wb_warning(ctx, "style.fo", 3, 9, "property foo is not supported");
    char *out = test_report(ctx);
    ck_assert_str_eq(out, "course.xml:12:5: error: <exercise> needs a mode\n"
                          "style.fo:3:9: warning: property foo is not supported\n");
    free(out);
    /* reported diagnostics are forgotten; the status stays for the exit code */
    ck_assert_uint_eq(test_ndiags(ctx), 0);
    ck_assert_int_eq(wb_ctx_status(ctx), WB_ERR_INPUT);
    out = test_report(ctx);
    ck_assert_str_eq(out, "");
    free(out);
    wb_ctx_free(ctx);
}
END_TEST

START_TEST(test_report_without_position)
{
    wb_ctx *ctx = wb_ctx_new();
    wb_error(ctx, WB_ERR_IO, "out.pdf", 0, 0, "cannot write");
    wb_error(ctx, WB_ERR_NOMEM, NULL, 0, 0, "out of memory");
    char *out = test_report(ctx);
    /* no made-up line numbers: "out.pdf:0:0" would send an editor nowhere */
    ck_assert_ptr_null(strstr(out, ":0:"));
    char *first_nl = strchr(out, '\n');
    ck_assert_ptr_nonnull(first_nl);
    *first_nl = 0;
    ck_assert_ptr_nonnull(strstr(out, "out.pdf"));
    ck_assert_ptr_nonnull(strstr(out, "error: cannot write"));
    ck_assert_ptr_nonnull(strstr(first_nl + 1, "error: out of memory\n"));
    free(out);
    wb_ctx_free(ctx);
}
END_TEST

/* ---- failure injection and allocation ---- */

/* ---- options ---- */

START_TEST(test_date_from_environment)
{
    setenv("SOURCE_DATE_EPOCH", "1700000000", 1);
    wb_ctx *ctx = wb_ctx_new();
    ck_assert(wb_ctx_date(ctx) == 1700000000LL);
    wb_ctx_set_date(ctx, 42);
    ck_assert(wb_ctx_date(ctx) == 42LL);
    wb_ctx_free(ctx);
    unsetenv("SOURCE_DATE_EPOCH");
    ctx = wb_ctx_new();
    ck_assert(wb_ctx_date(ctx) == 0);
    wb_ctx_free(ctx);
}
END_TEST

START_TEST(test_limits)
{
    for (int i = 0; i < WB_LIMIT_COUNT; i++)
        unsetenv(wb_limit_env(i));
    wb_ctx *ctx = wb_ctx_new();
    ck_assert(wb_ctx_limit(ctx, WB_LIMIT_PAGES) == 10000);
    ck_assert(wb_ctx_limit(ctx, WB_LIMIT_INPUT_BYTES) == 64ULL << 20);
    ck_assert(wb_ctx_over_limit(ctx, WB_LIMIT_PAGES, 10001));
    ck_assert(!wb_ctx_over_limit(ctx, WB_LIMIT_PAGES, 10000));
    wb_ctx_set_limit(ctx, WB_LIMIT_PAGES, 0); /* none */
    ck_assert(!wb_ctx_over_limit(ctx, WB_LIMIT_PAGES, 1ULL << 62));
    wb_ctx_free(ctx);

    unsigned long long v = 0;
    ck_assert(wb_limit_parse("12", &v) && v == 12);
    ck_assert(wb_limit_parse("2K", &v) && v == 2048);
    ck_assert(wb_limit_parse("64m", &v) && v == 64ULL << 20);
    ck_assert(wb_limit_parse("1G", &v) && v == 1ULL << 30);
    ck_assert(wb_limit_parse("0", &v) && v == 0);
    const char *bad[] = {"", "-1", "1x", "K", "1KB", " 1", "99999999999999999999", "18446744073709551615G"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        ck_assert_msg(!wb_limit_parse(bad[i], &v), "\"%s\" taken", bad[i]);

    /* from the environment; a value that is not one is a warning and the default stays */
    setenv("WB_MAX_PAGES", "25", 1);
    setenv("WB_MAX_MEMORY", "lots", 1);
    ctx = wb_ctx_new();
    ck_assert(wb_ctx_limit(ctx, WB_LIMIT_PAGES) == 25);
    ck_assert(wb_ctx_limit(ctx, WB_LIMIT_MEMORY) == wb_limit_default(WB_LIMIT_MEMORY));
    size_t n = 0;
    const wb_diagnostic *d = wb_ctx_diagnostics(ctx, &n);
    ck_assert_uint_eq(n, 1);
    ck_assert_int_eq(d[0].severity, WB_SEV_WARNING);
    ck_assert_ptr_nonnull(strstr(d[0].message, "WB_MAX_MEMORY=lots"));
    ck_assert_int_eq(wb_ctx_status(ctx), WB_OK);
    wb_ctx_free(ctx);
    unsetenv("WB_MAX_PAGES");
    unsetenv("WB_MAX_MEMORY");
}
END_TEST

START_TEST(test_read_folders)
{
    wb_ctx *ctx = wb_ctx_new();
    ck_assert_ptr_null(wb_ctx_read_folders(ctx)[0]);
    wb_ctx_add_read_folder(ctx, "/a");
    wb_ctx_add_read_folder(ctx, "/b");
    wb_ctx_add_read_folder(ctx, "/a");
    wb_ctx_add_read_folder(ctx, NULL);
    const char *const *f = wb_ctx_read_folders(ctx);
    ck_assert_str_eq(f[0], "/a");
    ck_assert_str_eq(f[1], "/b");
    ck_assert_ptr_null(f[2]);
    wb_ctx_free(ctx);
}
END_TEST

static Suite *context_suite(void)
{
    Suite *s = suite_create("context");
    TCase *tc = tcase_create("diagnostics");
    tcase_add_test(tc, test_new_context_is_clean);
    tcase_add_test(tc, test_diagnostics_gathered_in_order);
    tcase_add_test(tc, test_first_error_is_kept);
    tcase_add_test(tc, test_clear_forgets_status_and_diagnostics);
    tcase_add_test(tc, test_quiet_drops_warnings_not_errors);
    tcase_add_test(tc, test_warning_once_per_key);
    tcase_add_test(tc, test_warning_once_keys_are_exact);
    tcase_add_test(tc, test_report_format);
    tcase_add_test(tc, test_report_without_position);
    suite_add_tcase(s, tc);
    tc = tcase_create("options");
    tcase_add_test(tc, test_date_from_environment);
    tcase_add_test(tc, test_limits);
    tcase_add_test(tc, test_read_folders);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return wb_test_main(context_suite()); }
