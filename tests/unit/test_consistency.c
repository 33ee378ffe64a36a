/* Unit tests of the cross-language consistency check (src/load/consistency.c,
 * wb_check_languages) on the purpose-built course of tests/data/unit/consistency: differ.xml,
 * whose French module differs from the English one in each way the check compares (each
 * difference on an element with id="d-..."), and adapted.xml, the same differences marked
 * adapted="yes", which pass.  The shipped courses are checked end to end (test_e2e). */
#include "workbook/load.h"

#include <check.h>
#include <glib.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unit/support.h"

static const char *const langs[] = {"en", "fr"};

/* Loads a course of tests/data/unit/consistency in English and French and compares them. */
static int check_course(wb_ctx *ctx, const char *name, int *rc)
{
    char rel[PATH_MAX];
    snprintf(rel, sizeof rel, "consistency/%s", name);
    char *path = test_data(rel);
    char *schema = strdup(wb_test_path("styles/course.rng"));
    xmlDocPtr docs[2];
    int loaded = 0;
    for (int i = 0; i < 2; i++) {
        wb_profile p = {.lang = langs[i]};
        docs[i] = wb_load_course(ctx, path, &p, schema);
        loaded += docs[i] != NULL;
    }
    *rc = loaded == 2 ? wb_check_languages(ctx, docs, langs, 2) : -2;
    for (int i = 0; i < 2; i++)
        xmlFreeDoc(docs[i]);
    free(schema);
    free(path);
    return loaded;
}

/* The line of the first occurrence of `needle` in a file of tests/data/unit; 0 if none. */
static int line_of(const char *rel, const char *needle)
{
    char *path = test_data(rel);
    char *text = wb_test_read(path, NULL);
    free(path);
    ck_assert_msg(text != NULL, "cannot read %s", rel);
    char *hit = strstr(text, needle);
    int line = 0;
    if (hit) {
        line = 1;
        for (char *p = text; p < hit; p++)
            line += *p == '\n';
    }
    free(text);
    return line;
}

/* A difference the check must report: at the element with `id` in the French file, a
 * message with each of `words`. */
typedef struct expected {
    const char *file; /* under consistency/ */
    const char *id;
    const char *words[4];
} expected;

static const expected differences[] = {
    {"differ.xml", "d-course", {"the course", "60 minutes in en", "90 minutes in fr"}},
    {"modules/m.fr.xml", "d-duration", {"m-one:", "60 minutes in en (modules/m.en.xml:5)", "45 minutes in fr"}},
    {"modules/m.fr.xml", "d-timing", {"m-one timing step 2", "50 minutes in en", "35 minutes in fr"}},
    {"modules/m.fr.xml", "d-tf", {"ex-tf item 2: false in en (modules/m.en.xml:15) but true in fr (modules/m.fr.xml:16)"}},
    {"modules/m.fr.xml", "d-right", {"ex-single item 1", "right B in en", "right A in fr"}},
    {"modules/m.fr.xml", "d-choices", {"ex-single item 2", "3 choices in en", "4 choices in fr"}},
    {"modules/m.fr.xml", "d-multi", {"ex-multi item 1", "right A, C in en", "right A, B in fr"}},
    {"modules/m.fr.xml", "d-match", {"ex-match", "key B-C-A in en", "key C-A-B in fr"}},
    {"modules/m.fr.xml", "d-seq\"", {"ex-seq step 2", "position 3 in en", "position 1 in fr"}},
    {"modules/m.fr.xml", "d-seq2", {"ex-seq step 3", "position 1 in en", "position 3 in fr"}},
    {"modules/m.fr.xml", "d-fill", {"ex-fill", "2 blanks in en", "1 blank in fr"}},
    {"modules/m.fr.xml", "d-points", {"ex-check item 3", "points 1 in en", "points 2 in fr"}},
    {"modules/m.fr.xml", "d-band", {"ex-check band 2", "2-3 in en", "2-4 in fr"}},
    {"modules/m.fr.xml", "d-scale", {"ex-rate", "scale 1-5 in en", "scale 1-10 in fr"}},
    {"modules/m.fr.xml", "d-kind", {"ex-kind", "open in en", "true-false in fr"}},
    {"modules/m.fr.xml", "\"ex-mode\"", {"ex-mode", "mode alone in en", "mode pairs in fr"}},
    {"modules/m.fr.xml", "\"ex-mode\"", {"ex-mode", "5 minutes in en", "10 minutes in fr"}},
    {"modules/m.fr.xml", "<exercise id=\"ex-mode\"", {"m-one exercise 9", "ex-kind in en", "ex-mode in fr"}},
    {"modules/m.fr.xml", "d-observer", {"ex-role observer sheet", "2 criteria in en", "3 criteria in fr"}},
};

/* The error at `line` of `file` whose message has every word, or NULL. */
static const wb_diagnostic *find(const wb_ctx *ctx, const char *file, int line, const char *const *words)
{
    size_t n = 0;
    const wb_diagnostic *d = wb_ctx_diagnostics(ctx, &n);
    for (size_t i = 0; i < n; i++) {
        if (d[i].severity != WB_SEV_ERROR || d[i].line != line || !d[i].file || !d[i].message)
            continue;
        size_t fl = strlen(d[i].file), wl = strlen(file);
        if (fl < wl || strcmp(d[i].file + fl - wl, file) != 0)
            continue;
        bool all = true;
        for (int w = 0; w < 4 && words[w]; w++)
            all = all && strstr(d[i].message, words[w]) != NULL;
        if (all)
            return &d[i];
    }
    return NULL;
}

START_TEST(each_difference_is_reported)
{
    const expected *e = &differences[_i];
    wb_ctx *ctx = wb_ctx_new();
    wb_ctx_set_quiet(ctx, true);
    int rc;
    int loaded = check_course(ctx, "differ.xml", &rc);
    char *diags = test_diags_text(ctx);
    ck_assert_msg(loaded == 2, "differ.xml does not load: %s", diags);
    ck_assert_int_eq(rc, -1);
    ck_assert_int_eq(wb_ctx_status(ctx), WB_ERR_INPUT);
    char rel[PATH_MAX];
    snprintf(rel, sizeof rel, "consistency/%s", e->file);
    int line = line_of(rel, e->id);
    ck_assert_int_gt(line, 0);
    const wb_diagnostic *d = find(ctx, e->file, line, e->words);
    ck_assert_msg(d != NULL, "no error at %s:%d with \"%s\": %s", e->file, line, e->words[0], diags);
    ck_assert_msg(d->col > 0, "no column: %s", d->message);
    free(diags);
    wb_ctx_free(ctx);
}
END_TEST

START_TEST(only_the_differences_are_reported)
{
    wb_ctx *ctx = wb_ctx_new();
    wb_ctx_set_quiet(ctx, true);
    int rc;
    check_course(ctx, "differ.xml", &rc);
    size_t n = 0;
    wb_ctx_diagnostics(ctx, &n);
    char *diags = test_diags_text(ctx);
    ck_assert_msg(n == G_N_ELEMENTS(differences), "%zu diagnostics, want %zu: %s", n,
                  (size_t)G_N_ELEMENTS(differences), diags);
    free(diags);
    wb_ctx_free(ctx);
}
END_TEST

START_TEST(adapted_elements_are_skipped)
{
    wb_ctx *ctx = wb_ctx_new();
    wb_ctx_set_quiet(ctx, true);
    int rc;
    int loaded = check_course(ctx, "adapted.xml", &rc);
    char *diags = test_diags_text(ctx);
    ck_assert_msg(loaded == 2, "adapted.xml does not load: %s", diags);
    ck_assert_msg(rc == 0 && wb_ctx_status(ctx) == WB_OK, "%s", diags);
    free(diags);
    wb_ctx_free(ctx);
}
END_TEST

START_TEST(one_language_and_missing_documents)
{
    /* nothing to compare: a single language, or a language that did not load */
    wb_ctx *ctx = wb_ctx_new();
    char *path = test_data("consistency/differ.xml");
    char *schema = strdup(wb_test_path("styles/course.rng"));
    wb_profile p = {.lang = "fr"};
    xmlDocPtr fr = wb_load_course(ctx, path, &p, schema);
    ck_assert_ptr_nonnull(fr);
    ck_assert_int_eq(wb_check_languages(ctx, &fr, langs + 1, 1), 0);
    xmlDocPtr docs[2] = {NULL, fr};
    ck_assert_int_eq(wb_check_languages(ctx, docs, langs, 2), 0);
    ck_assert_int_eq(wb_ctx_status(ctx), WB_OK);
    xmlFreeDoc(fr);
    free(schema);
    free(path);
    wb_ctx_free(ctx);
}
END_TEST

static Suite *consistency_suite(void)
{
    Suite *s = suite_create("consistency");
    TCase *tc = tcase_create("languages");
    tcase_add_loop_test(tc, each_difference_is_reported, 0, (int)G_N_ELEMENTS(differences));
    tcase_add_test(tc, only_the_differences_are_reported);
    tcase_add_test(tc, adapted_elements_are_skipped);
    tcase_add_test(tc, one_language_and_missing_documents);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return wb_test_main(consistency_suite());
}
