/* The XSL-FO corpus of tests/fo: one small file per feature of the formatter, each with
 * what a correct rendering shows in its opening comment.  Every file must format without
 * error into the number of pages Apache FOP gives (tests/fo/EXPECTED.txt, recorded with
 * tools/compare.sh), and the PDF must be sound (qpdf --check). */
#include <check.h>
#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unit/support.h"

typedef struct expected {
    char *file;
    int pages;
} expected;

static GArray *corpus(void)
{
    GArray *list = g_array_new(FALSE, TRUE, sizeof(expected));
    char *text = wb_test_read(wb_test_path("tests/fo/EXPECTED.txt"), NULL);
    ck_assert_msg(text != NULL, "tests/fo/EXPECTED.txt is missing");
    char **lines = g_strsplit(text, "\n", -1);
    for (int i = 0; lines[i]; i++) {
        char file[256];
        int pages;
        if (lines[i][0] == '#' || sscanf(lines[i], "%255s pages=%d", file, &pages) != 2)
            continue;
        expected e = {g_strdup(file), pages};
        g_array_append_val(list, e);
    }
    g_strfreev(lines);
    free(text);
    return list;
}

START_TEST(every_file_formats_as_fop_counts_its_pages)
{
    GArray *list = corpus();
    ck_assert_uint_ge(list->len, 40);
    char *tmp = wb_test_tmpdir();
    GString *failures = g_string_new(NULL);
    for (guint i = 0; i < list->len; i++) {
        expected *e = &g_array_index(list, expected, i);
        char *cmd = g_strdup_printf("cd '%s' && '%s' render '%s' -q -o '%s/out.pdf' && pdfinfo '%s/out.pdf' && "
                                    "qpdf --check '%s/out.pdf' >/dev/null",
                                    wb_test_path("tests/fo"), wb_test_bin(), e->file, tmp, tmp, tmp);
        char *out = NULL;
        int rc = wb_test_run(cmd, &out, true);
        const char *p = out ? strstr(out, "Pages:") : NULL;
        int pages = p ? atoi(p + 6) : -1;
        if (rc != 0)
            g_string_append_printf(failures, "%s: exit %d\n%s\n", e->file, rc, out ? out : "");
        else if (pages != e->pages)
            g_string_append_printf(failures, "%s: %d pages, FOP %d\n", e->file, pages, e->pages);
        free(out);
        g_free(cmd);
    }
    ck_assert_msg(failures->len == 0, "%s", failures->str);
    g_string_free(failures, TRUE);
    char *rm = g_strdup_printf("rm -rf '%s'", tmp);
    ck_assert_int_eq(system(rm), 0);
    g_free(rm);
    free(tmp);
    for (guint i = 0; i < list->len; i++)
        g_free(g_array_index(list, expected, i).file);
    g_array_free(list, TRUE);
}
END_TEST

static char *render_and_json(const char *file, const char *json_key, char **tmp_out)
{
    char *tmp = wb_test_tmpdir();
    char *cmd = g_strdup_printf("cd '%s' && '%s' render '%s' -q -o '%s/out.pdf' && qpdf --json %s '%s/out.pdf'",
                                wb_test_path("tests/fo"), wb_test_bin(), file, tmp, json_key, tmp);
    char *out = NULL;
    ck_assert_msg(wb_test_run(cmd, &out, false) == 0, "%s", out ? out : "");
    g_free(cmd);
    *tmp_out = tmp;
    return out;
}

static int count(const char *hay, const char *needle)
{
    int n = 0;
    for (const char *p = hay; (p = strstr(p, needle)) != NULL; p += strlen(needle))
        n++;
    return n;
}

static void drop_tmp(char *tmp)
{
    char *rm = g_strdup_printf("rm -rf '%s'", tmp);
    ck_assert_int_eq(system(rm), 0);
    g_free(rm);
    free(tmp);
}

/* Links: an annotation per link and line, internal ones to named destinations, external
 * ones as URI actions, the named destinations there. */
START_TEST(links_are_annotations)
{
    char *tmp;
    char *json = render_and_json("links-internal-external.fo", "", &tmp);
    ck_assert_int_eq(count(json, "\"/Subtype\": \"/Link\""), 5);
    ck_assert_int_eq(count(json, "\"/URI\": \"u:https://example.org/workbook\""), 1);
    ck_assert_int_eq(count(json, "\"/URI\": \"u:mailto:trainer@example.org\""), 1);
    ck_assert_int_ge(count(json, "\"/Dest\": \"u:checklist\""), 1);
    ck_assert_int_ge(count(json, "\"/Dest\": \"u:def-reliability\""), 1);
    /* the named destinations themselves */
    ck_assert_int_ge(count(json, "\"u:checklist\""), 2);
    free(json);
    drop_tmp(tmp);
}
END_TEST

/* Bookmarks: the outline's tree, titles in any script, pages, open and closed entries. */
START_TEST(bookmarks_make_the_outline)
{
    char *tmp;
    char *json = render_and_json("bookmarks.fo", "--json-key=outlines", &tmp);
    ck_assert_int_eq(count(json, "\"title\""), 5);
    ck_assert_ptr_nonnull(strstr(json, "Module 1 — Clients"));
    ck_assert_ptr_nonnull(strstr(json, "1.2 Как удержать клиентов"));
    ck_assert_ptr_nonnull(strstr(json, "Module 2 — Отстъпки"));
    ck_assert_ptr_nonnull(strstr(json, "2.1 Видими отстъпки"));
    ck_assert_int_ge(count(json, "\"open\": false"), 1);
    ck_assert_int_ge(count(json, "\"destpageposfrom1\": 3"), 2);
    free(json);
    drop_tmp(tmp);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("fo-corpus");
    TCase *tc = tcase_create("corpus");
    tcase_set_timeout(tc, 900);
    tcase_add_test(tc, every_file_formats_as_fop_counts_its_pages);
    tcase_add_test(tc, links_are_annotations);
    tcase_add_test(tc, bookmarks_make_the_outline);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
