/* The XSL-FO corpus of tests/fo: one small file per feature of the formatter, each with
 * what a correct rendering shows in its opening comment.  Every file must format without
 * error into the number of pages Apache FOP gives (tests/fo/EXPECTED.txt, recorded with
 * tools/compare.sh), and the PDF must be sound (qpdf --check). */
#include <check.h>
#include <math.h>
#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fo/fo.h"
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

/* Every page has the size of one of the file's page masters. */
static void check_page_sizes(const char *file, const char *pdfinfo, GString *failures)
{
    char *path = g_strdup_printf("%s/%s", wb_test_path("tests/fo"), file);
    char *fo = wb_test_read(path, NULL);
    g_free(path);
    GArray *sizes = g_array_new(FALSE, FALSE, sizeof(double));
    GRegex *master = g_regex_new("<fo:simple-page-master[^>]*>", 0, 0, NULL);
    GRegex *dim = g_regex_new("page-(width|height)=\"([^\"]+)\"", 0, 0, NULL);
    GMatchInfo *mi;
    g_regex_match(master, fo, 0, &mi);
    while (g_match_info_matches(mi)) {
        char *tag = g_match_info_fetch(mi, 0);
        double w = 595.276, h = 841.89;
        GMatchInfo *di;
        g_regex_match(dim, tag, 0, &di);
        while (g_match_info_matches(di)) {
            char *which = g_match_info_fetch(di, 1), *val = g_match_info_fetch(di, 2);
            wb_len l;
            if (wb_parse_length(val, 12, &l))
                *(which[0] == 'w' ? &w : &h) = l.pt;
            g_free(which);
            g_free(val);
            g_match_info_next(di, NULL);
        }
        g_match_info_free(di);
        g_array_append_val(sizes, w);
        g_array_append_val(sizes, h);
        g_free(tag);
        g_match_info_next(mi, NULL);
    }
    g_match_info_free(mi);
    for (const char *p = pdfinfo; (p = strstr(p, " size: ")) != NULL; p++) {
        double w, h;
        if (sscanf(p, " size: %lf x %lf", &w, &h) != 2)
            continue;
        bool ok = false;
        for (guint i = 0; i + 1 < sizes->len; i += 2)
            ok = ok || (fabs(g_array_index(sizes, double, i) - w) < 0.5 && fabs(g_array_index(sizes, double, i + 1) - h) < 0.5);
        if (!ok) {
            g_string_append_printf(failures, "%s: a page of %.1f x %.1f pt, no page master has that size\n", file, w, h);
            break;
        }
    }
    g_regex_unref(master);
    g_regex_unref(dim);
    g_array_free(sizes, TRUE);
    free(fo);
}

START_TEST(every_file_formats_as_fop_counts_its_pages)
{
    GArray *list = corpus();
    ck_assert_uint_ge(list->len, 40);
    char *tmp = wb_test_tmpdir();
    GString *failures = g_string_new(NULL);
    for (guint i = 0; i < list->len; i++) {
        expected *e = &g_array_index(list, expected, i);
        char *cmd = g_strdup_printf("cd '%s' && '%s' render '%s' -q -o '%s/out.pdf' && pdfinfo -f 1 -l 999 '%s/out.pdf' && "
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
        else
            check_page_sizes(e->file, out, failures);
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

/* Justified text at least as even as FOP's: the widest gap between two words of a line is
 * no wider than the one FOP leaves in the same file (tests/fo/EXPECTED-gaps.txt). */
START_TEST(justified_as_evenly_as_fop)
{
    char *text = wb_test_read(wb_test_path("tests/fo/EXPECTED-gaps.txt"), NULL);
    ck_assert_ptr_nonnull(text);
    char **lines = g_strsplit(text, "\n", -1);
    int checked = 0;
    GRegex *word = g_regex_new("<word xMin=\"([\\d.]+)\" yMin=\"([\\d.]+)\" xMax=\"([\\d.]+)\"", 0, 0, NULL);
    for (int i = 0; lines[i]; i++) {
        char file[256];
        double fop;
        if (lines[i][0] == '#' || sscanf(lines[i], "%255s widest=%lf", file, &fop) != 2)
            continue;
        char *tmp = wb_test_tmpdir();
        char *cmd = g_strdup_printf("cd '%s' && '%s' render '%s' -q -o '%s/out.pdf' && pdftotext -bbox '%s/out.pdf' -",
                                    wb_test_path("tests/fo"), wb_test_bin(), file, tmp, tmp);
        char *out = NULL;
        ck_assert_int_eq(wb_test_run(cmd, &out, false), 0);
        double widest = 0, px1 = 0, py = -1;
        GMatchInfo *mi;
        g_regex_match(word, out, 0, &mi);
        while (g_match_info_matches(mi)) {
            char *a = g_match_info_fetch(mi, 1), *b = g_match_info_fetch(mi, 2), *c = g_match_info_fetch(mi, 3);
            double x0 = atof(a), y0 = atof(b), x1 = atof(c);
            if (py >= 0 && fabs(py - y0) < 1 && x0 > px1 && x0 - px1 > widest)
                widest = x0 - px1;
            px1 = x1;
            py = y0;
            g_free(a);
            g_free(b);
            g_free(c);
            g_match_info_next(mi, NULL);
        }
        g_match_info_free(mi);
        ck_assert_msg(widest <= fop + 0.05, "%s: a gap of %.1fpt, FOP's widest is %.1fpt", file, widest, fop);
        checked++;
        free(out);
        g_free(cmd);
        drop_tmp(tmp);
    }
    ck_assert_int_ge(checked, 8);
    g_regex_unref(word);
    g_strfreev(lines);
    free(text);
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
    tcase_add_test(tc, justified_as_evenly_as_fop);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
