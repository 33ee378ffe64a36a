/* End-to-end test of the hostile corpus, tests/data/hostile: inputs that try to read files
 * they may not (/etc/passwd through entities, XInclude, document(), xsl:import, links,
 * xml:base, file: URIs, images), to block on a FIFO, or to exhaust the machine (entities of
 * entities, includes of includes, endless recursion, output, memory, pages, pixels, depth).
 *
 * Each line of tests/data/hostile/EXPECTED.txt is a test of its own (the loop index names it
 * in a failure) that runs the command line in a fresh copy of the corpus and checks
 *  - the exit status, and a fragment of the messages;
 *  - that the messages quote no file: nothing of /etc/passwd, nothing of style/secret.txt;
 *  - that a failed case leaves no output, and that nothing else was created or changed: the
 *    copy of the corpus, the folder outside it, the output folder and the program's TMPDIR
 *    are listed before and after (names, kinds, sizes, modes, modification times).
 * And SIGINT or SIGTERM in the middle of a stylesheet that runs for ever (its watchdog
 * thread waiting) ends the program by that signal, leaving nothing behind. */
#include <check.h>
#include <ftw.h>
#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "unit/support.h"
#include "workbook/context.h"

#define CORPUS "tests/data/hostile"
#define PASSWD_MARK "root:x:0:"
#define SECRET_MARK "WB-HOSTILE-SECRET"

typedef struct hostile_case {
    char *path;     /* below the corpus: course/x.xml, style/x.xsl, fo/x.fo */
    int exit;
    GPtrArray *env; /* NAME=VALUE */
    char *args;
    char *out;      /* the output's name */
    char *fragment;
    int line;
} hostile_case;

static GPtrArray *cases;

/* ------------------------------------------------------------------ the manifest */

/* A quoted token at *p ("...", with \" and \\), moved past; NULL when *p starts none. */
static char *quoted(const char **p)
{
    if (**p != '"')
        return NULL;
    GString *s = g_string_new(NULL);
    const char *q = *p + 1;
    for (; *q && *q != '"'; q++) {
        if (*q == '\\' && q[1])
            q++;
        g_string_append_c(s, *q);
    }
    *p = *q ? q + 1 : q;
    return g_string_free(s, FALSE);
}

static char *word(const char **p)
{
    const char *start = *p;
    while (**p && **p != ' ' && **p != '\t')
        (*p)++;
    return g_strndup(start, (gsize)(*p - start));
}

static void free_case(gpointer data)
{
    hostile_case *c = data;
    g_free(c->path);
    g_ptr_array_free(c->env, TRUE);
    g_free(c->args);
    g_free(c->out);
    g_free(c->fragment);
    g_free(c);
}

static void read_manifest(void)
{
    cases = g_ptr_array_new_with_free_func(free_case);
    char *path = g_build_filename(wb_test_path(CORPUS), "EXPECTED.txt", NULL);
    char *text = wb_test_read(path, NULL);
    g_free(path);
    if (!text)
        return;
    gchar **lines = g_strsplit(text, "\n", -1);
    for (int i = 0; lines[i]; i++) {
        const char *p = lines[i];
        while (*p == ' ')
            p++;
        if (!*p || *p == '#')
            continue;
        hostile_case *c = g_new0(hostile_case, 1);
        c->line = i + 1;
        c->exit = -1;
        c->env = g_ptr_array_new_with_free_func(g_free);
        c->path = word(&p);
        for (;;) {
            while (*p == ' ' || *p == '\t')
                p++;
            if (!*p)
                break;
            if (!strncmp(p, "exit=", 5)) {
                p += 5;
                char *w = word(&p);
                c->exit = atoi(w);
                g_free(w);
            } else if (!strncmp(p, "env=", 4)) {
                p += 4;
                g_ptr_array_add(c->env, word(&p));
            } else if (!strncmp(p, "args=", 5)) {
                p += 5;
                g_free(c->args);
                c->args = *p == '"' ? quoted(&p) : word(&p);
            } else if (!strncmp(p, "out=", 4)) {
                p += 4;
                g_free(c->out);
                c->out = word(&p);
            } else if (*p == '"') {
                g_free(c->fragment);
                c->fragment = quoted(&p);
            } else {
                g_free(word(&p)); /* unknown: the test of the line fails on it */
                c->exit = -2;
            }
        }
        g_ptr_array_add(cases, c);
    }
    g_strfreev(lines);
    free(text);
}

/* ------------------------------------------------------------------ listings */

static GPtrArray *listing;
static size_t listing_root;

static int list_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)flag;
    (void)ftw;
    g_ptr_array_add(listing, g_strdup_printf("%s %o %lld %lld.%09ld", path + listing_root, (unsigned)st->st_mode,
                                             (long long)st->st_size, (long long)st->st_mtim.tv_sec,
                                             st->st_mtim.tv_nsec));
    return 0;
}

static int compare_strings(gconstpointer a, gconstpointer b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every file and folder below dir (links not followed), one line each, sorted. */
static char *list_tree(const char *dir)
{
    listing = g_ptr_array_new_with_free_func(g_free);
    listing_root = strlen(dir);
    nftw(dir, list_one, 16, FTW_PHYS);
    g_ptr_array_sort(listing, compare_strings);
    g_ptr_array_add(listing, NULL);
    char *s = g_strjoinv("\n", (gchar **)listing->pdata);
    g_ptr_array_free(listing, TRUE);
    return s;
}

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

/* ------------------------------------------------------------------ one case */

static void run(const char *cmd)
{
    ck_assert_msg(wb_test_run(cmd, NULL, true) == 0, "failed: %s", cmd);
}

/* The corpus copied into root/work, with the links and FIFOs the manifest speaks of, and
 * root/outside beside it. */
static void prepare(const char *root)
{
    char *cmd = g_strdup_printf(
        "set -e; cd '%s'; cp -R '%s' work; mkdir outside out tmp log; cp work/images/small.png outside/real.png; "
        "printf '%%s\\n' '<xsl:stylesheet version=\"1.0\" xmlns:xsl=\"http://www.w3.org/1999/XSL/Transform\">"
        "<xsl:template match=\"/\"><r/></xsl:template></xsl:stylesheet>' > outside/x.xsl; "
        "ln -s /etc/passwd work/course/escape-link.xml; ln -s /etc/passwd work/style/escape-link.xml; "
        "ln -s '%s/outside/real.png' work/course/images/escape.png; "
        "mkfifo work/course/fifo work/style/fifo work/fo/fifo work/catalogue/fifo",
        root, wb_test_path(CORPUS), root);
    run(cmd);
    g_free(cmd);
}

static char *command(const hostile_case *c, const char *root)
{
    char *dir = g_path_get_dirname(c->path), *name = g_path_get_basename(c->path);
    bool style = !strcmp(dir, "style"), fo = !strcmp(dir, "fo"), catalogue = !strcmp(dir, "catalogue");
    const char *out = c->out ? c->out : style ? "out.fo" : "out.pdf";
    GString *env = g_string_new(NULL);
    for (guint i = 0; i < c->env->len; i++)
        g_string_append_printf(env, " '%s'", (const char *)g_ptr_array_index(c->env, i));
    char *what = style ? g_strdup_printf("build input.xml --style '%s'", name)
                 : fo  ? g_strdup_printf("render '%s'", name)
                 : catalogue ? g_strdup_printf("batch '%s' -j 1", name)
                       : g_strdup_printf("build '%s'", name);
    /* a batch writes the names its catalogue makes into the output folder */
    char *target = catalogue ? g_strdup_printf("--out '%s/out'", root) : g_strdup_printf("-o '%s/out/%s'", root, out);
    char *cmd = g_strdup_printf("cd '%s/work/%s' && env TMPDIR='%s/tmp'%s timeout 600 '%s' %s %s %s "
                                ">/dev/null 2>'%s/log/stderr'",
                                root, dir, root, env->str, wb_test_bin(), what, target, c->args ? c->args : "",
                                root);
    g_free(target);
    g_free(what);
    g_string_free(env, TRUE);
    g_free(name);
    g_free(dir);
    return cmd;
}

/* The folders a case may not change, listed. */
static char *snapshot(const char *root)
{
    char *work = g_build_filename(root, "work", NULL), *outside = g_build_filename(root, "outside", NULL);
    char *tmp = g_build_filename(root, "tmp", NULL);
    char *a = list_tree(work), *b = list_tree(outside), *t = list_tree(tmp);
    char *s = g_strdup_printf("[work]\n%s\n[outside]\n%s\n[tmp]\n%s", a, b, t);
    g_free(a);
    g_free(b);
    g_free(t);
    g_free(tmp);
    g_free(outside);
    g_free(work);
    return s;
}

/* The output folder holds only the output (out, out-1.png...) after a case that succeeds,
 * and nothing after one that fails. */
static void check_outputs(const hostile_case *c, const char *root, int rc)
{
    char *dir = g_build_filename(root, "out", NULL);
    GDir *d = g_dir_open(dir, 0, NULL);
    ck_assert_ptr_nonnull(d);
    const char *e;
    int n = 0;
    while ((e = g_dir_read_name(d)) != NULL) {
        n++;
        ck_assert_msg(rc == 0, "EXPECTED.txt:%d %s: failed but left %s in the output folder", c->line, c->path, e);
        /* (and a batch's record of an edition's inputs, .NAME.pdf.inputs) */
        ck_assert_msg(g_str_has_prefix(e, "out") || (g_str_has_prefix(e, ".out") && g_str_has_suffix(e, ".inputs")),
                      "EXPECTED.txt:%d %s: wrote %s beside its output", c->line, c->path, e);
        char *file = g_build_filename(dir, e, NULL);
        char *data = wb_test_read(file, NULL);
        ck_assert_msg(!data || (!strstr(data, PASSWD_MARK) && !strstr(data, SECRET_MARK)),
                      "EXPECTED.txt:%d %s: the output holds a file it may not read", c->line, c->path);
        free(data);
        if (g_str_has_suffix(e, ".pdf") && wb_test_have("pdftotext")) {
            char *cmd = g_strdup_printf("pdftotext '%s' -", file), *text = NULL;
            wb_test_run(cmd, &text, false);
            ck_assert_msg(!text || (!strstr(text, PASSWD_MARK) && !strstr(text, SECRET_MARK)),
                          "EXPECTED.txt:%d %s: the PDF shows a file it may not read", c->line, c->path);
            free(text);
            g_free(cmd);
        }
        g_free(file);
    }
    g_dir_close(d);
    if (rc == 0)
        ck_assert_msg(n > 0, "EXPECTED.txt:%d %s: succeeded without output", c->line, c->path);
    g_free(dir);
}

START_TEST(test_hostile_case)
{
    ck_assert_msg(cases && (guint)_i < cases->len, "no case %d in " CORPUS "/EXPECTED.txt", _i);
    const hostile_case *c = g_ptr_array_index(cases, _i);
    ck_assert_msg(c->exit >= 0 && c->fragment, "EXPECTED.txt:%d: a case needs exit=N and a \"fragment\"", c->line);
    /* the limits are the defaults but for what the case sets */
    for (int i = 0; i < WB_LIMIT_COUNT; i++)
        unsetenv(wb_limit_env(i));
    char *root = wb_test_tmpdir();
    ck_assert_ptr_nonnull(root);
    prepare(root);
    char *before = snapshot(root);
    char *cmd = command(c, root);
    int rc = wb_test_run(cmd, NULL, false);
    char *log = g_build_filename(root, "log", "stderr", NULL);
    char *err = wb_test_read(log, NULL);
    ck_assert_ptr_nonnull(err);

    ck_assert_msg(rc == c->exit, "EXPECTED.txt:%d %s: exit %d, want %d; said:\n%s", c->line, c->path, rc, c->exit, err);
    ck_assert_msg(strstr(err, c->fragment) != NULL, "EXPECTED.txt:%d %s: the messages lack \"%s\"; said:\n%s", c->line,
                  c->path, c->fragment, err);
    ck_assert_msg(!strstr(err, PASSWD_MARK) && !strstr(err, SECRET_MARK),
                  "EXPECTED.txt:%d %s: a message quotes a file; said:\n%s", c->line, c->path, err);
    /* a few lines, not libxslt's notes */
    int lines = 0;
    for (const char *p = err; *p; p++)
        lines += *p == '\n';
    ck_assert_msg(lines <= 12, "EXPECTED.txt:%d %s: %d lines of messages:\n%s", c->line, c->path, lines, err);

    check_outputs(c, root, rc);
    char *after = snapshot(root);
    ck_assert_msg(strcmp(before, after) == 0, "EXPECTED.txt:%d %s: files changed outside the output:\nbefore:\n%s\nafter:\n%s",
                  c->line, c->path, before, after);

    free(err);
    g_free(log);
    g_free(after);
    g_free(cmd);
    g_free(before);
    nftw(root, remove_one, 16, FTW_DEPTH | FTW_PHYS);
    free(root);
}
END_TEST

/* A signal while a stylesheet runs: the program ends by it at once and leaves no file. */
START_TEST(test_signal_mid_transform)
{
    const int sigs[] = {SIGINT, SIGTERM};
    int sig = sigs[_i];
    for (int i = 0; i < WB_LIMIT_COUNT; i++)
        unsetenv(wb_limit_env(i));
    char *root = wb_test_tmpdir();
    ck_assert_ptr_nonnull(root);
    prepare(root);
    char *before = snapshot(root);
    char *dir = g_build_filename(root, "work", "style", NULL), *tmpdir = g_build_filename(root, "tmp", NULL);
    char *out = g_build_filename(root, "out", "out.pdf", NULL);
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        if (chdir(dir) != 0)
            _exit(126);
        setenv("TMPDIR", tmpdir, 1);
        execl(wb_test_bin(), "workbook", "build", "input.xml", "--style", "endless-loop.xsl", "-q", "-o", out,
              (char *)NULL);
        _exit(127);
    }
    struct timespec ts = {1, 0};
    nanosleep(&ts, NULL);
    ck_assert_int_eq(kill(pid, sig), 0);
    GTimer *timer = g_timer_new();
    int status = 0;
    ck_assert_int_eq(waitpid(pid, &status, 0), pid);
    double took = g_timer_elapsed(timer, NULL);
    g_timer_destroy(timer);
    ck_assert_msg(WIFSIGNALED(status) && WTERMSIG(status) == sig, "not ended by signal %d (status %#x)", sig, status);
    ck_assert_msg(took < 5, "ended %.1f s after the signal", took);
    char *outdir = g_build_filename(root, "out", NULL);
    GDir *d = g_dir_open(outdir, 0, NULL);
    ck_assert_ptr_nonnull(d);
    const char *left = g_dir_read_name(d);
    ck_assert_msg(left == NULL, "left in the output folder: %s", left);
    g_dir_close(d);
    char *after = snapshot(root);
    ck_assert_msg(strcmp(before, after) == 0, "files changed:\nbefore:\n%s\nafter:\n%s", before, after);
    g_free(after);
    g_free(outdir);
    g_free(out);
    g_free(tmpdir);
    g_free(dir);
    g_free(before);
    nftw(root, remove_one, 16, FTW_DEPTH | FTW_PHYS);
    free(root);
}
END_TEST

/* The manifest covers the corpus: every case file is run by a line (helpers live in parts/,
 * images/ and style/input.xml), and the corpus has at least 40 cases. */
START_TEST(test_manifest_covers_corpus)
{
    ck_assert_msg(cases && cases->len >= 40, "%u cases in " CORPUS "/EXPECTED.txt, want 40 or more",
                  cases ? cases->len : 0);
    const char *dirs[] = {"course", "style", "fo"};
    for (size_t k = 0; k < G_N_ELEMENTS(dirs); k++) {
        char *dir = g_build_filename(wb_test_path(CORPUS), dirs[k], NULL);
        GDir *d = g_dir_open(dir, 0, NULL);
        ck_assert_ptr_nonnull(d);
        const char *e;
        while ((e = g_dir_read_name(d)) != NULL) {
            if (!g_str_has_suffix(e, ".xml") && !g_str_has_suffix(e, ".xsl") && !g_str_has_suffix(e, ".fo"))
                continue;
            if (!strcmp(e, "input.xml"))
                continue;
            char *rel = g_strdup_printf("%s/%s", dirs[k], e);
            bool found = false;
            for (guint i = 0; i < cases->len && !found; i++)
                found = !strcmp(((hostile_case *)g_ptr_array_index(cases, i))->path, rel);
            ck_assert_msg(found, "%s has no line in " CORPUS "/EXPECTED.txt", rel);
            g_free(rel);
        }
        g_dir_close(d);
        g_free(dir);
    }
}
END_TEST

static Suite *suite(void)
{
    read_manifest();
    Suite *s = suite_create("hostile");
    TCase *tc = tcase_create("manifest");
    tcase_add_test(tc, test_manifest_covers_corpus);
    suite_add_tcase(s, tc);
    tc = tcase_create("hostile");
    tcase_set_timeout(tc, 900);
    tcase_add_loop_test(tc, test_hostile_case, 0, cases ? (int)cases->len : 1);
    suite_add_tcase(s, tc);
    tc = tcase_create("signals");
    tcase_set_timeout(tc, 60);
    tcase_add_loop_test(tc, test_signal_mid_transform, 0, 2);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return wb_test_main(suite()); }
