/* End-to-end tests of `workbook batch` on the small course of tests/data/batch, copied with
 * the styles to a temporary folder so that each kind of input can be changed:
 *
 * - catalogue: the broken catalogues give their messages at file:line:col (the expectations
 *   are in their opening comments), --list, --only and --shard choose editions;
 * - isolation: an invalid module fails its editions (exit 1, the error at the module's
 *   file:line:col) while the others are built; a worker killed in the middle of an edition
 *   fails that edition only and leaves no temporary file;
 * - incremental: a second run builds nothing; changing an included module, an image, a
 *   stylesheet, a strings file, a roster row, a parameter rebuilds exactly the editions that
 *   read it;
 * - reproducible: the same bytes with -j 1, -j 2 and in three shards, each edition built by
 *   exactly one shard;
 * - interrupted: SIGINT to the process group mid-batch gives exit status 130, keeps the
 *   finished PDFs whole and leaves no temporary file. */
#include <check.h>
#include <dirent.h>
#include <fcntl.h>
#include <glib.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "unit/support.h"

static char *tmp;  /* the test's folder: data/ (the copy), styles/, out/ */
static char *data; /* tmp/data, where the batch runs */

static void setup(void)
{
    tmp = wb_test_tmpdir();
    ck_assert_ptr_nonnull(tmp);
    data = g_build_filename(tmp, "data", NULL);
    char *cmd = g_strdup_printf("cp -r '%s' '%s' && cp -r '%s' '%s/styles'", wb_test_path("tests/data/batch"), data,
                                wb_test_path("styles"), tmp);
    ck_assert_int_eq(system(cmd), 0);
    g_free(cmd);
    unsetenv("SOURCE_DATE_EPOCH");
    unsetenv("WB_BATCH_CRASH");
}

static void teardown(void)
{
    wb_test_rmtree(tmp);
    g_free(data);
    free(tmp);
}

static int sh(char **out, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Runs a shell command in the data folder (standard error merged); its exit status. */
static int sh(char **out, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *cmd = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    char *full = g_strdup_printf("cd '%s' && %s", data, cmd);
    char *text = NULL;
    int rc = wb_test_run(full, &text, true);
    g_free(full);
    g_free(cmd);
    if (out)
        *out = text;
    else
        free(text);
    return rc;
}

/* `workbook batch CATALOGUE ARGS` in the data folder, the styles of the copy, into OUT. */
static int batch(char **out, const char *catalogue, const char *out_dir, const char *args)
{
    return sh(out, "'%s' batch %s --out '%s/%s' --styles-dir '%s/styles' %s", wb_test_bin(), catalogue, tmp, out_dir,
              tmp, args ? args : "");
}

static void assert_contains(const char *text, const char *needle)
{
    ck_assert_msg(text && strstr(text, needle) != NULL, "expected \"%s\" in:\n%s", needle, text ? text : "(null)");
}

static gint by_name(gconstpointer a, gconstpointer b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* The outputs of a JSON report with the given status, relative to tmp/OUT, sorted and
 * joined with spaces. */
static char *with_status(const char *json_path, const char *out_dir, const char *status)
{
    char *text = wb_test_read(json_path, NULL);
    ck_assert_msg(text != NULL, "no JSON report %s", json_path);
    char *prefix = g_strdup_printf("%s/%s/", tmp, out_dir);
    char *want = g_strdup_printf("\"status\": \"%s\"", status);
    GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
    gchar **lines = g_strsplit(text, "\n", -1);
    for (int i = 0; lines[i]; i++) {
        const char *o = strstr(lines[i], "{\"output\": \"");
        if (!o || !strstr(lines[i], want))
            continue;
        o += strlen("{\"output\": \"");
        const char *end = strchr(o, '"');
        char *path = g_strndup(o, (gsize)(end - o));
        g_ptr_array_add(names, g_strdup(g_str_has_prefix(path, prefix) ? path + strlen(prefix) : path));
        g_free(path);
    }
    g_strfreev(lines);
    g_ptr_array_sort(names, by_name);
    GString *s = g_string_new(NULL);
    for (guint i = 0; i < names->len; i++) {
        const char *n = g_ptr_array_index(names, i);
        g_string_append_printf(s, "%s%s", i ? " " : "", n);
    }
    g_ptr_array_free(names, TRUE);
    g_free(want);
    g_free(prefix);
    free(text);
    return g_string_free(s, FALSE);
}

/* Runs the batch with a JSON report and returns what it built (see with_status). */
static char *built_by(const char *catalogue, const char *out_dir, const char *args, int want_rc)
{
    char *json = g_strdup_printf("%s/report.json", tmp);
    char *more = g_strdup_printf("--json '%s' %s", json, args ? args : "");
    char *msgs = NULL;
    int rc = batch(&msgs, catalogue, out_dir, more);
    ck_assert_msg(rc == want_rc, "batch %s: exit %d, not %d:\n%s", args ? args : "", rc, want_rc, msgs);
    char *built = with_status(json, out_dir, "built");
    free(msgs);
    g_free(more);
    g_free(json);
    return built;
}

static void assert_built(const char *got, const char *want)
{
    ck_assert_msg(!strcmp(got, want), "built:\n  %s\nexpected:\n  %s", got, want);
}

/* Temporary files (hidden names other than the inputs records) below a folder. */
static void assert_no_temporaries(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        char *path = g_build_filename(dir, e->d_name, NULL);
        ck_assert_msg(e->d_name[0] != '.' || g_str_has_suffix(e->d_name, ".inputs"), "temporary file left: %s", path);
        if (g_file_test(path, G_FILE_TEST_IS_DIR))
            assert_no_temporaries(path);
        g_free(path);
    }
    closedir(d);
}

/* Replaces the first `from` of a file of the copy by `to`. */
static void edit(const char *rel, const char *from, const char *to)
{
    char *path = g_build_filename(data, rel, NULL);
    if (g_str_has_prefix(rel, "../"))
        path = (g_free(path), g_build_filename(tmp, rel + 3, NULL));
    char *text = wb_test_read(path, NULL);
    ck_assert_msg(text != NULL, "cannot read %s", path);
    char *at = strstr(text, from);
    ck_assert_msg(at != NULL, "no \"%s\" in %s", from, path);
    FILE *f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    fwrite(text, 1, (size_t)(at - text), f);
    fputs(to, f);
    fputs(at + strlen(from), f);
    ck_assert_int_eq(fclose(f), 0);
    free(text);
    g_free(path);
}

/* Every "expect: [FILE:]LINE:COL: MESSAGE" line of a broken catalogue's opening comment
 * is in its messages, as FILE:LINE:COL: error: MESSAGE. */
START_TEST(catalogue_errors)
{
    static const char *const broken[] = {"bad-schema.xml", "bad-entries.xml", "bad-roster.xml"};
    for (size_t b = 0; b < G_N_ELEMENTS(broken); b++) {
        char *msgs = NULL;
        int rc = batch(&msgs, broken[b], "out", "--list");
        ck_assert_msg(rc == 1, "%s: exit %d, not 1:\n%s", broken[b], rc, msgs);
        char *path = g_build_filename(data, broken[b], NULL);
        char *text = wb_test_read(path, NULL);
        gchar **lines = g_strsplit(text, "\n", -1);
        int expectations = 0;
        for (int i = 0; lines[i]; i++) {
            const char *e = strstr(lines[i], "expect: ");
            if (!e)
                continue;
            e += strlen("expect: ");
            /* LINE:COL: MESSAGE in the catalogue itself, or FILE:LINE:COL: MESSAGE */
            gchar **parts = g_strsplit(e, ": ", 2);
            char *want = g_ascii_isdigit(e[0]) ? g_strdup_printf("%s:%s: error: %s", broken[b], parts[0], parts[1])
                                               : g_strdup_printf("%s: error: %s", parts[0], parts[1]);
            assert_contains(msgs, want);
            expectations++;
            g_free(want);
            g_strfreev(parts);
        }
        ck_assert_int_gt(expectations, 0);
        g_strfreev(lines);
        free(text);
        g_free(path);
        free(msgs);
    }
}
END_TEST

START_TEST(list_only_shard)
{
    char *out = NULL;
    ck_assert_int_eq(batch(&out, "catalogue.xml", "out", "--list"), 0);
    int all = 0;
    for (char *p = out; (p = strchr(p, '\n')) != NULL; p++)
        all++;
    ck_assert_int_eq(all, 9);
    free(out);
    ck_assert_int_eq(batch(&out, "catalogue.xml", "out", "--list --only '*-fr-*'"), 0);
    assert_contains(out, "course/course-fr-answers.pdf");
    ck_assert_ptr_null(strstr(out, "-en-"));
    free(out);
    ck_assert_int_eq(batch(&out, "catalogue.xml", "out", "--shard 4/3"), 2);
    assert_contains(out, "--shard wants I/N");
    free(out);
    ck_assert_int_eq(batch(&out, "catalogue.xml", "out", "--shard auto"), 2);
    assert_contains(out, "neither a Slurm job array");
    free(out);
    /* a roster in XML: its participants, and the place one of them overrides */
    ck_assert_int_eq(batch(&out, "xml-roster.xml", "out", "--list"), 0);
    assert_contains(out, "group/01-anna-smith.pdf\tcourse en certificate A4 for Anna Smith");
    assert_contains(out, "group/02-ben-jones.pdf\tcourse en certificate A4 for Ben Jones");
    free(out);
    /* nothing is built by --list and --dry-run */
    ck_assert_int_eq(batch(&out, "catalogue.xml", "out", "--dry-run"), 0);
    assert_contains(out, "build\t");
    free(out);
    char *made = g_build_filename(tmp, "out", NULL);
    ck_assert(!g_file_test(made, G_FILE_TEST_EXISTS));
    g_free(made);
}
END_TEST

START_TEST(failing_edition)
{
    edit("course/modules/talk.fr.xml", "<para>Une bonne", "<para><bogus/>Une bonne");
    char *msgs = NULL;
    int rc = batch(&msgs, "catalogue.xml", "out", "-j 2");
    ck_assert_msg(rc == 1, "exit %d, not 1:\n%s", rc, msgs);
    assert_contains(msgs, "course/modules/talk.fr.xml:4:9: error: <bogus> is not allowed here");
    assert_contains(msgs, "batch: FAILED");
    assert_contains(msgs, "6 built, 0 up to date, 3 failed");
    char *en = g_build_filename(tmp, "out/course/course-en-answers.pdf", NULL);
    char *fr = g_build_filename(tmp, "out/course/course-fr-answers.pdf", NULL);
    ck_assert(g_file_test(en, G_FILE_TEST_IS_REGULAR));
    ck_assert(!g_file_test(fr, G_FILE_TEST_EXISTS));
    g_free(en);
    g_free(fr);
    free(msgs);
}
END_TEST

START_TEST(worker_crash)
{
    setenv("WB_BATCH_CRASH", "course-en-participant", 1);
    char *msgs = NULL;
    int rc = batch(&msgs, "catalogue.xml", "out", "-j 2");
    unsetenv("WB_BATCH_CRASH");
    ck_assert_msg(rc == 1, "exit %d, not 1:\n%s", rc, msgs);
    assert_contains(msgs, "the worker building it died: signal 9");
    assert_contains(msgs, "8 built, 0 up to date, 1 failed");
    char *out = g_build_filename(tmp, "out", NULL);
    assert_no_temporaries(out);
    g_free(out);
    free(msgs);
    /* the next run builds the one that failed, and only it */
    char *built = built_by("catalogue.xml", "out", NULL, 0);
    assert_built(built, "course/course-en-participant.pdf");
    g_free(built);
}
END_TEST

#define ALL "course/course-en-answers.pdf course/course-en-participant.pdf course/course-fr-answers.pdf " \
            "course/course-fr-participant.pdf course/fop/course-fr-participant.pdf " \
            "course/session/anna-smith-certificate.pdf course/session/anna-smith-participant.pdf " \
            "course/session/ben-jones-certificate.pdf course/session/ben-jones-participant.pdf"
#define FR "course/course-fr-answers.pdf course/course-fr-participant.pdf course/fop/course-fr-participant.pdf"

/* Each kind of input changed in turn rebuilds exactly the editions that read it. */
START_TEST(incremental)
{
    static const struct {
        const char *what, *file, *from, *to, *rebuilt;
    } changes[] = {
        {"an included module", "course/modules/talk.fr.xml", "Écoutez", "Écoutez bien", FR},
        {"an image", "course/images/pic.en.svg", "#C4561A", "#2A7F8F",
         "course/course-en-participant.pdf course/session/anna-smith-participant.pdf "
         "course/session/ben-jones-participant.pdf"},
        {"a stylesheet", "../styles/answers.xsl", "</xsl:stylesheet>", "<!-- changed -->\n</xsl:stylesheet>",
         "course/course-en-answers.pdf course/course-fr-answers.pdf"},
        {"a stylesheet import", "../styles/common.xsl", "</xsl:stylesheet>", "<!-- changed -->\n</xsl:stylesheet>",
         ALL},
        {"a strings file", "../styles/strings/fr.xml", "</strings>", "<!-- changed -->\n</strings>", FR},
        {"a roster row", "course/rosters/group.csv", "Jones, Hill and Co", "Jones, Hill and Partners",
         "course/session/ben-jones-certificate.pdf course/session/ben-jones-participant.pdf"},
        {"a parameter", "catalogue.xml", "value=\"yes\"", "value=\"no\"", "course/fop/course-fr-participant.pdf"},
        /* the English editions keep nothing of the French module, but its profiling
         * attributes decide that: a change there rebuilds them too */
        {"the profiling attributes of a module", "course/modules/talk.fr.xml", "<module xml:lang=\"fr\"",
         "<module xml:lang=\"fr\" audience=\"sales\"", ALL},
    };
    char *built = built_by("catalogue.xml", "out", "-j 2", 0);
    assert_built(built, ALL);
    g_free(built);
    built = built_by("catalogue.xml", "out", "-j 2", 0);
    assert_built(built, "");
    g_free(built);
    for (size_t i = 0; i < G_N_ELEMENTS(changes); i++) {
        edit(changes[i].file, changes[i].from, changes[i].to);
        built = built_by("catalogue.xml", "out", "-j 2", 0);
        ck_assert_msg(!strcmp(built, changes[i].rebuilt), "after changing %s:\n  built %s\n  expected %s",
                      changes[i].what, built, changes[i].rebuilt);
        g_free(built);
    }
    /* --force builds everything again; SOURCE_DATE_EPOCH is an input too */
    built = built_by("catalogue.xml", "out", "--force", 0);
    assert_built(built, ALL);
    g_free(built);
    setenv("SOURCE_DATE_EPOCH", "1700000000", 1);
    built = built_by("catalogue.xml", "out", "--only '*answers*'", 0);
    unsetenv("SOURCE_DATE_EPOCH");
    assert_built(built, "course/course-en-answers.pdf course/course-fr-answers.pdf");
    g_free(built);
}
END_TEST

/* The same bytes whatever the number of workers or shards; each edition in one shard. */
START_TEST(reproducible)
{
    char *one = built_by("catalogue.xml", "j1", "-j 1", 0);
    assert_built(one, ALL);
    char *two = built_by("catalogue.xml", "j2", "-j 2", 0);
    assert_built(two, ALL);
    GPtrArray *all = g_ptr_array_new_with_free_func(g_free);
    for (int s = 1; s <= 3; s++) {
        char *args = g_strdup_printf("-j 1 --shard %d/3", s);
        char *part = built_by("catalogue.xml", "shards", args, 0);
        ck_assert_msg(*part, "shard %d built nothing", s);
        gchar **names = g_strsplit(part, " ", -1);
        for (int k = 0; names[k]; k++)
            g_ptr_array_add(all, g_strdup(names[k]));
        g_strfreev(names);
        g_free(part);
        g_free(args);
    }
    g_ptr_array_sort(all, by_name);
    GString *joined = g_string_new(NULL);
    for (guint i = 0; i < all->len; i++)
        g_string_append_printf(joined, "%s%s", i ? " " : "", (char *)g_ptr_array_index(all, i));
    ck_assert_msg(!strcmp(joined->str, ALL), "the shards built %s", joined->str);
    gchar **names = g_strsplit(ALL, " ", -1);
    for (int k = 0; names[k]; k++) {
        char *cmd = g_strdup_printf("cmp '%s/j1/%s' '%s/j2/%s' && cmp '%s/j1/%s' '%s/shards/%s'", tmp, names[k], tmp,
                                    names[k], tmp, names[k], tmp, names[k]);
        ck_assert_msg(system(cmd) == 0, "%s differs", names[k]);
        g_free(cmd);
    }
    g_strfreev(names);
    g_string_free(joined, TRUE);
    g_ptr_array_free(all, TRUE);
    g_free(one);
    g_free(two);
}
END_TEST

/* Ctrl-C: SIGINT to the batch's process group once its first edition is written. */
START_TEST(interrupted)
{
    char *out = g_build_filename(tmp, "out", NULL);
    char *first = g_build_filename(out, "course/A4/course-en-participant.pdf", NULL);
    char *styles = g_build_filename(tmp, "styles", NULL);
    pid_t pid = fork();
    if (pid == 0) {
        setpgid(0, 0);
        if (chdir(data) != 0)
            _exit(99);
        int devnull = open("/dev/null", O_WRONLY);
        dup2(devnull, 2);
        execl(wb_test_bin(), "workbook", "batch", "wide.xml", "-j", "1", "--out", out, "--styles-dir", styles,
              (char *)NULL);
        _exit(98);
    }
    ck_assert_int_gt(pid, 0);
    setpgid(pid, pid);
    for (int i = 0; i < 3000 && !g_file_test(first, G_FILE_TEST_EXISTS); i++)
        g_usleep(10000);
    ck_assert_msg(g_file_test(first, G_FILE_TEST_EXISTS), "the batch wrote nothing in 30 s");
    kill(-pid, SIGINT);
    int status = 0;
    ck_assert_int_eq(waitpid(pid, &status, 0), pid);
    ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 130, "status %d, not exit 130", status);
    assert_no_temporaries(out);
    char *msgs = NULL;
    ck_assert_int_eq(sh(&msgs, "find '%s' -name '*.pdf' | while read -r f; do qpdf --check \"$f\" >/dev/null || "
                               "echo \"BROKEN $f\"; done; find '%s' -name '*.pdf' | wc -l", out, out),
                     0);
    ck_assert_msg(!strstr(msgs, "BROKEN"), "%s", msgs);
    int finished = atoi(msgs);
    ck_assert_msg(finished >= 1 && finished < 24, "%d editions finished", finished);
    free(msgs);
    /* the next run builds what was not */
    char *built = built_by("wide.xml", "out", "-j 2", 0);
    int rebuilt = 1;
    for (const char *p = built; *p; p++)
        rebuilt += *p == ' ';
    /* an edition whose PDF was in place but whose record (it names the PDF's hash, so it
     * comes after) was not yet written when the signal came is built again: one at most */
    ck_assert_msg(rebuilt == 24 - finished || rebuilt == 25 - finished, "%d rebuilt, %d finished", rebuilt,
                  finished);
    g_free(built);
    g_free(styles);
    g_free(first);
    g_free(out);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("batch");
    TCase *tc = tcase_create("catalogue");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, catalogue_errors);
    tcase_add_test(tc, list_only_shard);
    suite_add_tcase(s, tc);
    tc = tcase_create("isolation");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, failing_edition);
    tcase_add_test(tc, worker_crash);
    suite_add_tcase(s, tc);
    tc = tcase_create("incremental");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, incremental);
    suite_add_tcase(s, tc);
    tc = tcase_create("reproducible");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, reproducible);
    suite_add_tcase(s, tc);
    tc = tcase_create("interrupted");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, interrupted);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return wb_test_main(suite()); }
