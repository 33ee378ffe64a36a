/* The checks validation makes beyond the schema, on purpose-built courses: each
 * tests/data/checks/NAME.xml (or NAME/course.xml, with its modules and images) says in its
 * first comment what to run and what must come of it, one keyword a line:
 *
 *     run: ARGS       runs `cd FOLDER && workbook ARGS` ({tmp} is a fresh temporary folder)
 *     status: N       its exit status
 *     expect: LINE    a line its standard error must hold; standard error holds nothing else
 *     images: N       the PDF the run wrote ({tmp}/NAME.pdf, the -o of the run) shows N images
 *
 * Each run's keywords follow it.  Warnings are checked as strictly as errors: a check that
 * says nothing where it should, or more than it should, fails. */
#include <check.h>
#include <glob.h>
#include <glib.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "unit/support.h"

#define MAX_FILES 64

static char *files[MAX_FILES];
static int n_files;

/* "key: value" lines of the first comment of a file, in order; caller frees with free_lines. */
typedef struct line {
    char key[16];
    char *value;
} line;

static int read_directives(const char *path, line *out, int max)
{
    char *text = wb_test_read(path, NULL);
    ck_assert_msg(text != NULL, "cannot read %s", path);
    char *start = strstr(text, "<!--"), *end = start ? strstr(start, "-->") : NULL;
    ck_assert_msg(start && end, "%s: no comment with the expectations", path);
    *end = 0;
    int n = 0;
    for (char *l = start + 4; l && *l && n < max;) {
        char *nl = strchr(l, '\n');
        if (nl)
            *nl = 0;
        l += strspn(l, " \t");
        size_t kl = strspn(l, "abcdefghijklmnopqrstuvwxyz-");
        if (kl > 0 && kl < sizeof out[n].key && l[kl] == ':') {
            memcpy(out[n].key, l, kl);
            out[n].key[kl] = 0;
            char *v = l + kl + 1;
            v += strspn(v, " \t");
            size_t vl = strlen(v);
            while (vl && (v[vl - 1] == ' ' || v[vl - 1] == '\r'))
                vl--;
            out[n++].value = strndup(v, vl);
        }
        l = nl ? nl + 1 : NULL;
    }
    free(text);
    return n;
}

/* s with every {tmp} replaced; caller frees. */
static char *with_tmp(const char *s, const char *tmp)
{
    GString *g = g_string_new(NULL);
    for (const char *p = s; *p;) {
        if (!strncmp(p, "{tmp}", 5)) {
            g_string_append(g, tmp);
            p += 5;
        } else {
            g_string_append_c(g, *p++);
        }
    }
    return g_string_free(g, FALSE);
}

typedef struct run_result {
    int status;
    char *err;
    char *pdf; /* the -o of the run */
} run_result;

static void do_run(const char *dir, const char *args, const char *tmp, run_result *r)
{
    char *a = with_tmp(args, tmp);
    char *o = strstr(a, "-o ");
    r->pdf = o ? strndup(o + 3, strcspn(o + 3, " ")) : NULL;
    char *cmd = g_strdup_printf("cd '%s' && '%s' %s 2>&1 >/dev/null", dir, wb_test_bin(), a);
    r->status = wb_test_run(cmd, &r->err, false);
    if (!r->err)
        r->err = strdup("");
    g_free(cmd);
    g_free(a);
}

/* Every line of stderr is expected, every expected line is there. */
static void check_stderr(const char *name, const char *args, const char *err, GPtrArray *want)
{
    for (guint i = 0; i < want->len; i++) {
        const char *w = g_ptr_array_index(want, i);
        bool found = false;
        for (const char *p = err; !found && (p = strstr(p, w)) != NULL; p++)
            found = (p == err || p[-1] == '\n') && (p[strlen(w)] == '\n' || !p[strlen(w)]);
        ck_assert_msg(found, "%s: workbook %s: stderr lacks\n  %s\nstderr:\n%s", name, args, w, err);
    }
    gchar **lines = g_strsplit(err, "\n", -1);
    for (int i = 0; lines[i]; i++) {
        if (!*lines[i])
            continue;
        bool expected = false;
        for (guint k = 0; k < want->len && !expected; k++)
            expected = !strcmp(lines[i], g_ptr_array_index(want, k));
        ck_assert_msg(expected, "%s: workbook %s: unexpected line on stderr:\n  %s", name, args, lines[i]);
    }
    g_strfreev(lines);
}

static int count_images(const char *pdf)
{
    char *cmd = g_strdup_printf("pdfimages -list '%s' | tail -n +3 | wc -l", pdf), *out = NULL;
    wb_test_run(cmd, &out, false);
    int n = out ? atoi(out) : -1;
    free(out);
    g_free(cmd);
    return n;
}

static void finish_run(const char *name, const char *args, run_result *r, int want_status, GPtrArray *want,
                       int want_images)
{
    ck_assert_msg(r->status == want_status, "%s: workbook %s: exit status %d, want %d; stderr:\n%s", name, args,
                  r->status, want_status, r->err);
    check_stderr(name, args, r->err, want);
    if (want_images >= 0) {
        ck_assert_msg(r->pdf != NULL, "%s: images: needs a run with -o", name);
        int n = count_images(r->pdf);
        ck_assert_msg(n == want_images, "%s: %s shows %d images, want %d", name, r->pdf, n, want_images);
    }
    free(r->err);
    free(r->pdf);
    memset(r, 0, sizeof *r);
}

START_TEST(test_check_file)
{
    const char *rel = files[_i];
    char *path = strdup(wb_test_path(rel));
    char *dir = g_path_get_dirname(path);
    line d[64];
    int n = read_directives(path, d, 64);
    char *tmp = wb_test_tmpdir();
    ck_assert_ptr_nonnull(tmp);
    GPtrArray *want = g_ptr_array_new();
    const char *args = NULL;
    run_result r = {0};
    int status = 0, images = -1, runs = 0;
    for (int i = 0; i <= n; i++) {
        bool next_run = i == n || !strcmp(d[i].key, "run");
        if (next_run && args) {
            finish_run(rel, args, &r, status, want, images);
            g_ptr_array_set_size(want, 0);
            status = 0;
            images = -1;
        }
        if (i == n)
            break;
        if (next_run) {
            args = d[i].value;
            do_run(dir, args, tmp, &r);
            runs++;
        } else if (!strcmp(d[i].key, "status")) {
            status = atoi(d[i].value);
        } else if (!strcmp(d[i].key, "expect")) {
            g_ptr_array_add(want, d[i].value);
        } else if (!strcmp(d[i].key, "images")) {
            images = atoi(d[i].value);
        }
    }
    ck_assert_msg(runs > 0, "%s: no run: line", rel);
    char *rm = g_strdup_printf("rm -rf '%s'", tmp);
    wb_test_run(rm, NULL, false);
    g_free(rm);
    g_ptr_array_free(want, TRUE);
    for (int i = 0; i < n; i++)
        free(d[i].value);
    free(tmp);
    g_free(dir);
    free(path);
}
END_TEST

static void list_files(void)
{
    const char *pats[] = {"tests/data/checks/*.xml", "tests/data/checks/*/course.xml"};
    const char *root = wb_test_path("");
    size_t rl = strlen(root);
    for (size_t k = 0; k < G_N_ELEMENTS(pats); k++) {
        glob_t g;
        char *pat = g_strdup_printf("%s/%s", root, pats[k]);
        if (glob(pat, 0, NULL, &g) == 0)
            for (size_t i = 0; i < g.gl_pathc && n_files < MAX_FILES; i++)
                files[n_files++] = strdup(g.gl_pathv[i] + rl + (g.gl_pathv[i][rl] == '/'));
        globfree(&g);
        g_free(pat);
    }
}

static Suite *checks_suite(void)
{
    Suite *s = suite_create("checks");
    TCase *tc = tcase_create("checks");
    tcase_set_timeout(tc, 120);
    list_files();
    tcase_add_loop_test(tc, test_check_file, 0, n_files);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    int rc = wb_test_main(checks_suite());
    for (int i = 0; i < n_files; i++)
        free(files[i]);
    return rc;
}
