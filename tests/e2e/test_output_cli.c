/* End-to-end tests of the command line's -o: output paths as Unix tools treat them.
 *
 * - a new file gets 0666 less the umask; an existing one is replaced with its mode kept;
 * - a file the user may not write is refused and left as it was;
 * - a symbolic link stays a link and its target is updated; a dangling link's target is made;
 * - a FIFO is written directly, to a reader; "-" writes to standard output (a pipe), for pdf
 *   and fo, and is a usage error for png and svg;
 * - a folder is refused, a missing folder is named;
 * - a full disk (a small tmpfs) fails with its reason and leaves the old output;
 * - SIGTERM or SIGINT in the middle of a long build leaves the old output byte for byte;
 * - last, device nodes: first ones made here, then /dev/null, /dev/full and /dev/stdout,
 *   which stay what they are.
 * Every test checks that no temporary file is left beside the output. */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <glib.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "unit/support.h"

#define COURSE "courses/fruitful-client-relations/course.xml"
#define SMALL_FO "tests/data/e2e/three-pages.fo"
#define BATCH_CATALOGUE "tests/data/batch/catalogue.xml"

static char *tmp;   /* the test's folder, where the outputs go */
static char *spool; /* $TMPDIR during the test: spool files for devices and pipes */
static char *saved_tmpdir;

static void setup(void)
{
    tmp = wb_test_tmpdir();
    spool = wb_test_tmpdir();
    ck_assert(tmp && spool);
    const char *t = getenv("TMPDIR");
    saved_tmpdir = t ? strdup(t) : NULL;
    setenv("TMPDIR", spool, 1);
    setenv("SOURCE_DATE_EPOCH", "1700000000", 1); /* the same bytes whatever the target */
}

static void teardown(void)
{
    char *cmd = g_strdup_printf("chattr -R -i '%s' 2>/dev/null; rm -rf '%s' '%s'", tmp, tmp, spool);
    if (system(cmd) != 0)
        fprintf(stderr, "cannot remove %s\n", tmp);
    g_free(cmd);
    if (saved_tmpdir)
        setenv("TMPDIR", saved_tmpdir, 1);
    else
        unsetenv("TMPDIR");
    free(saved_tmpdir);
    free(spool);
    free(tmp);
}

static char *in_tmp(const char *name) { return g_build_filename(tmp, name, NULL); }

static int sh(char **out, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Runs a shell command (standard error merged); its exit status, its output in *out. */
static int sh(char **out, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *cmd = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    char *text = NULL;
    int rc = wb_test_run(cmd, &text, true);
    g_free(cmd);
    if (out)
        *out = text;
    else
        free(text);
    return rc;
}

/* Renders the small FO document to `target` (-o, quoted here); its exit status, messages. */
static int render_to(const char *target, const char *extra, char **msgs)
{
    return sh(msgs, "'%s' render '%s' -q %s -o '%s'", wb_test_bin(), wb_test_path(SMALL_FO), extra ? extra : "",
              target);
}

/* The small document rendered to a regular file: what every target should receive. */
static char *reference(long *len)
{
    char *ref = in_tmp("reference.pdf.keep");
    ck_assert_int_eq(render_to(ref, NULL, NULL), 0);
    char *data = wb_test_read(ref, len);
    ck_assert_ptr_nonnull(data);
    ck_assert_int_eq(unlink(ref), 0);
    g_free(ref);
    return data;
}

static void assert_same_file(const char *path, const char *data, long len)
{
    long n = 0;
    char *got = wb_test_read(path, &n);
    ck_assert_msg(got != NULL, "cannot read %s", path);
    ck_assert_msg(n == len && !memcmp(got, data, (size_t)len), "%s: %ld bytes, not the %ld expected", path, n, len);
    free(got);
}

/* Names in a folder (hidden ones too), sorted, joined with '|', compared with `names`: no
 * temporary file is left, there or in the spool folder. */
static void assert_listing(const char *dir, const char *names)
{
    char *out = NULL;
    ck_assert_int_eq(sh(&out, "ls -A '%s' | LC_ALL=C sort | paste -sd '|' -", dir), 0);
    g_strstrip(out);
    ck_assert_msg(!strcmp(out, names), "%s holds \"%s\", expected \"%s\"", dir, out, names);
    free(out);
    if (strcmp(dir, spool))
        assert_listing(spool, "");
}

static void assert_contains(const char *text, const char *needle)
{
    ck_assert_msg(strstr(text, needle) != NULL, "expected \"%s\" in:\n%s", needle, text);
}

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    ck_assert_int_eq(fclose(f), 0);
}

static char *file_type(const char *path)
{
    char *out = NULL;
    ck_assert_int_eq(sh(&out, "stat -c %%F '%s'", path), 0);
    return g_strstrip(out);
}

/* tmpfs mounts in a mount namespace of this test process's own (its children share it). */
static bool mount_tmpfs(const char *dir, const char *opts)
{
    ck_assert_int_eq(mkdir(dir, 0777), 0);
    if (unshare(CLONE_NEWNS) != 0 || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0 ||
        mount("tmpfs", dir, "tmpfs", 0, opts) != 0) {
        fprintf(stderr, "note: cannot mount a tmpfs (%s): skipped\n", strerror(errno));
        return false;
    }
    return true;
}

/* ---- regular files ---- */

START_TEST(new_and_replaced_files)
{
    long len = 0;
    char *ref = reference(&len);
    char *out = in_tmp("book.pdf");
    char *msgs = NULL;
    ck_assert_int_eq(sh(&msgs, "umask 027 && '%s' render '%s' -q -o '%s'", wb_test_bin(), wb_test_path(SMALL_FO), out),
                     0);
    free(msgs);
    assert_same_file(out, ref, len);
    struct stat st;
    ck_assert_int_eq(stat(out, &st), 0);
    ck_assert_uint_eq(st.st_mode & 07777, 0640);
    /* an existing file: replaced, its mode kept whatever the umask */
    write_text(out, "OLD\n");
    ck_assert_int_eq(chmod(out, 0604), 0);
    ck_assert_int_eq(sh(NULL, "umask 077 && '%s' render '%s' -q -o '%s'", wb_test_bin(), wb_test_path(SMALL_FO), out),
                     0);
    assert_same_file(out, ref, len);
    ck_assert_int_eq(stat(out, &st), 0);
    ck_assert_uint_eq(st.st_mode & 07777, 0604);
    /* fo, through the same module */
    char *fo = in_tmp("book.fo");
    write_text(fo, "OLD\n");
    ck_assert_int_eq(chmod(fo, 0600), 0);
    ck_assert_int_eq(sh(NULL, "'%s' build '%s' -q -f fo -o '%s'", wb_test_bin(), wb_test_path(COURSE), fo), 0);
    char *text = wb_test_read(fo, NULL);
    ck_assert_msg(text && strstr(text, "<fo:root"), "not an FO document");
    free(text);
    ck_assert_int_eq(stat(fo, &st), 0);
    ck_assert_uint_eq(st.st_mode & 07777, 0600);
    assert_listing(tmp, "book.fo|book.pdf");
    g_free(fo);
    g_free(out);
    free(ref);
}
END_TEST

/* SMALL_FO copied where any user may read it (the checkout may lie in a folder only its
 * owner may enter), for the runs as another user; remove with drop_readable_copy. */
static char *readable_copy(void)
{
    /* beside the tests' own folders, not in the spool folder the test sets as TMPDIR */
    char *dir = g_strdup_printf("%s/wbtest-XXXXXX", saved_tmpdir && *saved_tmpdir ? saved_tmpdir : "/tmp");
    ck_assert_ptr_nonnull(mkdtemp(dir));
    ck_assert_int_eq(chmod(dir, 0755), 0);
    char *copy = g_build_filename(dir, "three-pages.fo", NULL);
    ck_assert_int_eq(sh(NULL, "cp '%s' '%s' && chmod 0644 '%s'", wb_test_path(SMALL_FO), copy, copy), 0);
    g_free(dir);
    return copy;
}

static void drop_readable_copy(char *copy)
{
    char *dir = g_path_get_dirname(copy);
    ck_assert_int_eq(sh(NULL, "rm -rf '%s'", dir), 0);
    g_free(dir);
    g_free(copy);
}

START_TEST(read_only_file_refused)
{
    char *out = in_tmp("book.pdf");
    write_text(out, "OLD\n");
    ck_assert_int_eq(chmod(out, 0444), 0);
    ck_assert_int_eq(chmod(tmp, 0777), 0);
    char *msgs = NULL;
    bool tried = false;
    /* as a user who may not write it (root may write any file, as with cp) */
    if (wb_test_have("setpriv") && geteuid() == 0) {
        char *input = readable_copy();
        int rc = sh(&msgs, "setpriv --reuid=65534 --regid=65534 --clear-groups '%s' render '%s' -q -o '%s'",
                    wb_test_bin(), input, out);
        drop_readable_copy(input);
        if (!strstr(msgs, "setpriv:")) {
            tried = true;
            ck_assert_msg(rc == 3, "exit %d: %s", rc, msgs);
            char *want = g_strdup_printf("%s: error: not writable (read-only file)", out);
            assert_contains(msgs, want);
            g_free(want);
        }
        free(msgs);
    }
    /* immutable: refused even for root */
    if (sh(NULL, "chattr +i '%s'", out) == 0) {
        tried = true;
        ck_assert_int_eq(render_to(out, NULL, &msgs), 3);
        char *want = g_strdup_printf("%s: error: not writable (read-only file)", out);
        assert_contains(msgs, want);
        g_free(want);
        free(msgs);
        ck_assert_int_eq(sh(NULL, "chattr -i '%s'", out), 0);
    }
    if (!tried)
        fprintf(stderr, "note: no way to make a file read-only for this user: skipped\n");
    char *text = wb_test_read(out, NULL);
    ck_assert_str_eq(text, "OLD\n");
    free(text);
    struct stat st;
    ck_assert_int_eq(stat(out, &st), 0);
    ck_assert_uint_eq(st.st_mode & 07777, 0444);
    assert_listing(tmp, "book.pdf");
    g_free(out);
}
END_TEST

START_TEST(symlinks_followed)
{
    long len = 0;
    char *ref = reference(&len);
    char *sub = in_tmp("real");
    ck_assert_int_eq(mkdir(sub, 0755), 0);
    char *real = g_build_filename(sub, "book.pdf", NULL);
    write_text(real, "OLD\n");
    ck_assert_int_eq(chmod(real, 0640), 0);
    char *link = in_tmp("link.pdf");
    ck_assert_int_eq(symlink("real/book.pdf", link), 0);
    ck_assert_int_eq(render_to(link, NULL, NULL), 0);
    char *type = file_type(link);
    ck_assert_str_eq(type, "symbolic link");
    free(type);
    assert_same_file(real, ref, len);
    struct stat st;
    ck_assert_int_eq(stat(real, &st), 0);
    ck_assert_uint_eq(st.st_mode & 07777, 0640);
    /* a link to a file not made yet, in an existing folder: the file is made */
    char *dangling = in_tmp("new.pdf");
    ck_assert_int_eq(symlink("real/made.pdf", dangling), 0);
    ck_assert_int_eq(render_to(dangling, NULL, NULL), 0);
    char *made = g_build_filename(sub, "made.pdf", NULL);
    assert_same_file(made, ref, len);
    type = file_type(dangling);
    ck_assert_str_eq(type, "symbolic link");
    free(type);
    assert_listing(tmp, "link.pdf|new.pdf|real");
    assert_listing(sub, "book.pdf|made.pdf");
    g_free(made);
    g_free(dangling);
    g_free(link);
    g_free(real);
    g_free(sub);
    free(ref);
}
END_TEST

/* ---- pages given again ---- */

/* The renderer gets the pages of the second pass, and when page numbers have not settled it
 * gives them up for the third's: the second pass's two pages leave no file and no trace. */
START_TEST(pages_given_again)
{
    const char *fo = wb_test_path("tests/data/e2e/settles-late.fo");
    char *pdf = in_tmp("late.pdf"), *png = in_tmp("late.png"), *msgs = NULL;
    ck_assert_int_eq(sh(&msgs, "'%s' render '%s' --stats -o '%s'", wb_test_bin(), fo, pdf), 0);
    assert_contains(msgs, "format: pass 3 (pages out)"); /* the restart was taken */
    free(msgs);
    ck_assert_int_eq(sh(&msgs, "pdfinfo '%s' | grep '^Pages:' && pdftotext '%s' - && qpdf --check '%s' >/dev/null",
                        pdf, pdf, pdf), 0);
    assert_contains(msgs, " 1\n");
    assert_contains(msgs, "Target");
    ck_assert_msg(!strstr(msgs, "2") && !strstr(msgs, "00"), "numbers of an earlier pass: %s", msgs);
    free(msgs);
    ck_assert_int_eq(sh(NULL, "'%s' render '%s' -q -f png -o '%s'", wb_test_bin(), fo, png), 0);
    ck_assert_int_eq(sh(NULL, "'%s' render '%s' -q -f contact -o '%s/sheet.png'", wb_test_bin(), fo, tmp), 0);
    assert_listing(tmp, "late-1.png|late.pdf|sheet.png");
    g_free(pdf);
    g_free(png);
}
END_TEST

/* ---- written directly ---- */

START_TEST(fifo_has_a_reader)
{
    long len = 0;
    char *ref = reference(&len);
    char *fifo = in_tmp("fifo");
    ck_assert_int_eq(mkfifo(fifo, 0600), 0);
    char *got = in_tmp("got.pdf");
    /* the reader is another process */
    char *msgs = NULL;
    int rc = sh(&msgs, "cat '%s' > '%s' & '%s' render '%s' -q -o '%s'; s=$?; wait; exit $s", fifo, got, wb_test_bin(),
                wb_test_path(SMALL_FO), fifo);
    ck_assert_msg(rc == 0, "exit %d: %s", rc, msgs);
    free(msgs);
    assert_same_file(got, ref, len);
    char *type = file_type(fifo);
    ck_assert_str_eq(type, "fifo");
    free(type);
    /* png cannot go there: one file per page */
    ck_assert_int_eq(render_to(fifo, "-f png", &msgs), 3);
    assert_contains(msgs, "one file per page");
    free(msgs);
    assert_listing(tmp, "fifo|got.pdf");
    g_free(got);
    g_free(fifo);
    free(ref);
}
END_TEST

START_TEST(standard_output)
{
    long len = 0;
    char *ref = reference(&len);
    char *got = in_tmp("got.pdf");
    ck_assert_int_eq(sh(NULL, "'%s' render '%s' -q -o - | cat > '%s'", wb_test_bin(), wb_test_path(SMALL_FO), got), 0);
    assert_same_file(got, ref, len);
    /* fo too, the same bytes as to a file */
    char *fo = in_tmp("book.fo"), *fo2 = in_tmp("piped.fo");
    ck_assert_int_eq(sh(NULL, "'%s' build '%s' -q -f fo -o '%s'", wb_test_bin(), wb_test_path(COURSE), fo), 0);
    ck_assert_int_eq(sh(NULL, "'%s' build '%s' -q -f fo -o - | cat > '%s'", wb_test_bin(), wb_test_path(COURSE), fo2), 0);
    ck_assert_int_eq(sh(NULL, "cmp '%s' '%s'", fo, fo2), 0);
    /* png and svg write a file per page: a usage error, before any work */
    char *msgs = NULL;
    ck_assert_int_eq(sh(&msgs, "'%s' render '%s' -f png -o -", wb_test_bin(), wb_test_path(SMALL_FO)), 2);
    assert_contains(msgs, "cannot go to standard output");
    free(msgs);
    ck_assert_int_eq(sh(&msgs, "'%s' build '%s' -f svg -o -", wb_test_bin(), wb_test_path(COURSE)), 2);
    assert_contains(msgs, "cannot go to standard output");
    free(msgs);
    /* a closed standard output */
    ck_assert_int_eq(sh(&msgs, "{ '%s' render '%s' -q -o - >&-; }", wb_test_bin(), wb_test_path(SMALL_FO)), 3);
    assert_contains(msgs, "standard output: error: not open");
    free(msgs);
    assert_listing(tmp, "book.fo|got.pdf|piped.fo");
    g_free(fo2);
    g_free(fo);
    g_free(got);
    free(ref);
}
END_TEST

/* ---- refused ---- */

START_TEST(folders)
{
    char *msgs = NULL;
    ck_assert_int_eq(render_to(tmp, NULL, &msgs), 3);
    char *want = g_strdup_printf("%s: error: is a folder", tmp);
    assert_contains(msgs, want);
    g_free(want);
    free(msgs);
    char *missing = in_tmp("missing");
    char *out = g_build_filename(missing, "book.pdf", NULL);
    ck_assert_int_eq(render_to(out, NULL, &msgs), 3);
    want = g_strdup_printf("%s: error: no such folder: %s", out, missing);
    assert_contains(msgs, want);
    g_free(want);
    free(msgs);
    ck_assert_int_eq(sh(&msgs, "'%s' build '%s' -q -f fo -o '%s'", wb_test_bin(), wb_test_path(COURSE), out), 3);
    assert_contains(msgs, "no such folder");
    free(msgs);
    char *png = g_build_filename(missing, "page.png", NULL);
    ck_assert_int_eq(render_to(png, NULL, &msgs), 3);
    assert_contains(msgs, "no such folder");
    free(msgs);
    /* a folder without write permission, for a user other than root */
    ck_assert_int_eq(chmod(tmp, 0777), 0);
    char *locked = in_tmp("locked");
    ck_assert_int_eq(mkdir(locked, 0555), 0);
    ck_assert_int_eq(chmod(locked, 0555), 0);
    char *inside = g_build_filename(locked, "book.pdf", NULL);
    if (wb_test_have("setpriv") && geteuid() == 0) {
        char *input = readable_copy();
        int rc = sh(&msgs, "setpriv --reuid=65534 --regid=65534 --clear-groups '%s' render '%s' -q -o '%s'",
                    wb_test_bin(), input, inside);
        drop_readable_copy(input);
        if (!strstr(msgs, "setpriv:")) {
            ck_assert_msg(rc == 3, "exit %d: %s", rc, msgs);
            want = g_strdup_printf("%s: permission denied", locked);
            assert_contains(msgs, want);
            g_free(want);
        }
        free(msgs);
    }
    assert_listing(tmp, "locked");
    assert_listing(locked, "");
    g_free(inside);
    g_free(locked);
    g_free(png);
    g_free(out);
    g_free(missing);
}
END_TEST

START_TEST(disk_full)
{
    char *small = in_tmp("small");
    if (!mount_tmpfs(small, "size=64k")) {
        g_free(small);
        return;
    }
    const char *formats[] = {"pdf", "fo", "png"};
    for (int i = 0; i < 3; i++) {
        char *name = g_strdup_printf("book.%s", formats[i]);
        char *out = g_build_filename(small, name, NULL);
        char *old = g_strdup_printf("%s/book-1.png", small);
        const char *precious = i == 2 ? old : out;
        write_text(precious, "precious old content\n");
        char *msgs = NULL;
        int rc = sh(&msgs, "'%s' build '%s' -q -f %s -o '%s'", wb_test_bin(), wb_test_path(COURSE), formats[i], out);
        ck_assert_msg(rc == 3, "%s: exit %d: %s", formats[i], rc, msgs);
        assert_contains(msgs, "error: no space left on device");
        free(msgs);
        char *text = wb_test_read(precious, NULL);
        ck_assert_msg(text && !strcmp(text, "precious old content\n"), "%s: the old output changed", formats[i]);
        free(text);
        char *names = g_path_get_basename(precious);
        assert_listing(small, names);
        ck_assert_int_eq(unlink(precious), 0);
        g_free(names);
        g_free(old);
        g_free(out);
        g_free(name);
    }
    /* render, to PDF and to PNG, of the course as FO (outside the small disk) */
    char *fo = in_tmp("course.fo");
    ck_assert_int_eq(sh(NULL, "'%s' build '%s' -q -f fo -o '%s'", wb_test_bin(), wb_test_path(COURSE), fo), 0);
    const char *render_formats[] = {"pdf", "png"};
    for (int i = 0; i < 2; i++) {
        char *out = g_strdup_printf(i ? "%s/page-1.%s" : "%s/page.%s", small, render_formats[i]);
        write_text(out, "precious old content\n");
        char *msgs = NULL;
        int rc = sh(&msgs, "'%s' render '%s' -q -f %s -o '%s/page.%s'", wb_test_bin(), fo, render_formats[i], small,
                    render_formats[i]);
        ck_assert_msg(rc == 3, "render %s: exit %d: %s", render_formats[i], rc, msgs);
        assert_contains(msgs, "error: no space left on device");
        free(msgs);
        char *text = wb_test_read(out, NULL);
        ck_assert_msg(text && !strcmp(text, "precious old content\n"), "render %s: the old output changed",
                      render_formats[i]);
        free(text);
        char *names = g_path_get_basename(out);
        assert_listing(small, names);
        ck_assert_int_eq(unlink(out), 0);
        g_free(names);
        g_free(out);
    }
    /* the disk full at other points of the PDF (cairo once asserted when a write failed
     * while it wrote the fonts at the end) */
    const char *sizes[] = {"size=16k", "size=32k", "size=48k", "size=96k"};
    for (int i = 0; i < 4; i++) {
        char *name = g_strdup_printf("small-%d", i);
        char *dir = g_build_filename(small, name, NULL);
        ck_assert_int_eq(mkdir(dir, 0777), 0);
        ck_assert_int_eq(mount("tmpfs", dir, "tmpfs", 0, sizes[i]), 0);
        char *out = g_build_filename(dir, "book.pdf", NULL);
        write_text(out, "precious old content\n");
        char *msgs = NULL;
        int rc = sh(&msgs, "'%s' render '%s' -q -o '%s'", wb_test_bin(), fo, out);
        ck_assert_msg(rc == 3, "%s: exit %d: %s", sizes[i], rc, msgs);
        assert_contains(msgs, "error: no space left on device");
        free(msgs);
        char *text = wb_test_read(out, NULL);
        ck_assert_msg(text && !strcmp(text, "precious old content\n"), "%s: the old output changed", sizes[i]);
        free(text);
        assert_listing(dir, "book.pdf");
        ck_assert_int_eq(umount2(dir, MNT_DETACH), 0);
        ck_assert_int_eq(rmdir(dir), 0);
        g_free(out);
        g_free(dir);
        g_free(name);
    }
    ck_assert_int_eq(unlink(fo), 0);
    g_free(fo);

    /* a batch: every edition fails with the reason, the ones already there stay as they were,
     * and no temporary file or record is left half-written */
    char *msgs = NULL;
    int rc = sh(&msgs, "'%s' batch '%s' -j 2 --quiet --out '%s' --json '%s/report.json'", wb_test_bin(),
                wb_test_path(BATCH_CATALOGUE), small, small);
    ck_assert_msg(rc == 1 || rc == 3, "batch: exit %d: %s", rc, msgs);
    assert_contains(msgs, "no space left on device");
    free(msgs);
    ck_assert_int_eq(sh(&msgs, "find '%s' -name '.*' -type f ! -name '*.inputs' | wc -l", small), 0);
    ck_assert_msg(atoi(msgs) == 0, "temporary files left: %s", msgs);
    free(msgs);
    ck_assert_int_eq(sh(&msgs, "cd '%s' && find . -name '*.pdf' -type f | while read f; do pdfinfo \"$f\" >/dev/null 2>&1 || echo \"$f\"; done", small), 0);
    ck_assert_msg(!*g_strstrip(msgs), "broken PDFs left: %s", msgs);
    free(msgs);

    ck_assert_int_eq(umount2(small, MNT_DETACH), 0);
    g_free(small);
}
END_TEST

/* ---- allocation failure ---- */

/* The course built under address-space limits from where the program barely starts to where
 * it succeeds: each run either writes a good PDF or fails with one clear line; the old output
 * stays and no temporary file is left.  (Not in sanitizer builds: their shadow memory needs
 * more address space than any limit here.) */
START_TEST(out_of_memory)
{
#if defined(__SANITIZE_ADDRESS__)
    return;
#else
    char *out = in_tmp("book.pdf");
    int failed = 0, nomem = 0, built = 0;
    for (int mb = 90; mb <= 330; mb += 20) {
        write_text(out, "precious old content\n");
        char *msgs = NULL;
        int rc = sh(&msgs, "ulimit -v %d && exec '%s' build '%s' --lang ru -q -o '%s'", mb * 1024, wb_test_bin(),
                    wb_test_path(COURSE), out);
        if (rc == 0) {
            char *info = NULL;
            ck_assert_msg(sh(&info, "pdfinfo '%s'", out) == 0, "%d MB: exit 0 but no PDF: %s", mb, info);
            free(info);
            built++;
        } else {
            failed++;
            /* one error line of ours (GLib's allocation failure, a library's fault, or what a
             * library reports as an error when its allocation failed) and the old output */
            ck_assert_msg(rc == 1 || rc == 3 || rc == -1 /* a signal */, "%d MB: exit %d: %s", mb, rc, msgs);
            ck_assert_msg(strstr(msgs, "error:") != NULL, "%d MB: no error said: %s", mb, msgs);
            if (strstr(msgs, "workbook: error: out of memory; no output was written"))
                nomem++;
            char *text = wb_test_read(out, NULL);
            ck_assert_msg(text && !strcmp(text, "precious old content\n"), "%d MB: the old output changed", mb);
            free(text);
        }
        free(msgs);
        assert_listing(tmp, "book.pdf");
    }
    ck_assert_msg(failed > 0 && built > 0, "%d runs failed, %d built: the limits missed", failed, built);
    ck_assert_msg(nomem > 0, "no run said it ran out of memory");
    g_free(out);
#endif
}
END_TEST

/* ---- signals ---- */

/* A stylesheet that makes thousands of pages of any input: a build that lasts. */
static const char many_pages[] =
    "<xsl:stylesheet version='1.0' xmlns:xsl='http://www.w3.org/1999/XSL/Transform'"
    " xmlns:fo='http://www.w3.org/1999/XSL/Format'>\n"
    "<xsl:template match='/'>\n"
    "<xsl:variable name='n' select='(//node())[position() &lt;= 60]'/>\n"
    "<fo:root><fo:layout-master-set><fo:simple-page-master master-name='p' page-width='210mm'"
    " page-height='297mm' margin='20mm'><fo:region-body/></fo:simple-page-master></fo:layout-master-set>\n"
    "<fo:page-sequence master-reference='p'><fo:flow flow-name='xsl-region-body'>\n"
    "<xsl:for-each select='$n'><xsl:variable name='i' select='position()'/><xsl:for-each select='$n'>"
    "<fo:block break-before='page'>Page <xsl:value-of select='$i'/>.<xsl:value-of select='position()'/>"
    " of a long build.</fo:block></xsl:for-each></xsl:for-each>\n"
    "</fo:flow></fo:page-sequence></fo:root>\n"
    "</xsl:template></xsl:stylesheet>\n";

static bool has_temporary(const char *dir, const char *prefix)
{
    char *out = NULL;
    sh(&out, "ls -A '%s'", dir);
    bool r = false;
    gchar **v = g_strsplit(out, "\n", -1);
    for (int i = 0; v[i]; i++)
        r = r || g_str_has_prefix(v[i], prefix);
    g_strfreev(v);
    free(out);
    return r;
}

START_TEST(signal_mid_build)
{
    const int sigs[] = {SIGTERM, SIGINT};
    int sig = sigs[_i];
    char *xsl = in_tmp("many-pages.xsl");
    write_text(xsl, many_pages);
    /* the old output: the real course, so that "byte-identical" means something */
    char *out = in_tmp("book.pdf");
    ck_assert_int_eq(sh(NULL, "'%s' build '%s' -q -o '%s'", wb_test_bin(), wb_test_path(COURSE), out), 0);
    long len = 0;
    char *old = wb_test_read(out, &len);
    ck_assert_ptr_nonnull(old);
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        int null = open("/dev/null", O_RDONLY); /* standard input only */
        dup2(null, 0);
        execl(wb_test_bin(), "workbook", "build", wb_test_path(COURSE), "-s", xsl, "-q", "-o", out, (char *)NULL);
        _exit(127);
    }
    /* once the temporary file is there the pages are being drawn: then the signal */
    bool seen = false;
    for (int i = 0; i < 600 && !seen; i++) {
        seen = has_temporary(tmp, ".book.pdf.");
        if (!seen) {
            struct timespec ts = {0, 50 * 1000 * 1000};
            nanosleep(&ts, NULL);
        }
    }
    struct timespec ts = {0, 300 * 1000 * 1000};
    nanosleep(&ts, NULL);
    ck_assert_int_eq(kill(pid, sig), 0);
    int status = 0;
    ck_assert_int_eq(waitpid(pid, &status, 0), pid);
    ck_assert_msg(seen, "no temporary file was seen");
    ck_assert_msg(WIFSIGNALED(status) && WTERMSIG(status) == sig,
                  "the build was not ended by signal %d (status %#x): too few pages to catch it working?", sig,
                  status);
    assert_same_file(out, old, len);
    assert_listing(tmp, "book.pdf|many-pages.xsl");
    free(old);
    g_free(out);
    g_free(xsl);
}
END_TEST

/* ---- devices, last ---- */

START_TEST(devices_stay_devices)
{
    /* first on device nodes of our own (the same devices as /dev/null and /dev/full) and on a
     * FIFO: only when these stay what they are is the engine given the machine's devices */
    char *null = in_tmp("null"), *full = in_tmp("full");
    bool own = mknod(null, S_IFCHR | 0666, makedev(1, 3)) == 0 && mknod(full, S_IFCHR | 0666, makedev(1, 7)) == 0;
    char *msgs = NULL;
    if (own) {
        ck_assert_int_eq(render_to(null, NULL, NULL), 0);
        ck_assert_int_eq(render_to(full, NULL, &msgs), 3);
        assert_contains(msgs, "error: no space left on device");
        free(msgs);
        ck_assert_int_eq(sh(&msgs, "'%s' build '%s' -q -f fo -o '%s'", wb_test_bin(), wb_test_path(COURSE), full), 3);
        assert_contains(msgs, "error: no space left on device");
        free(msgs);
        char *t1 = file_type(null), *t2 = file_type(full);
        ck_assert_str_eq(t1, "character special file");
        ck_assert_str_eq(t2, "character special file");
        free(t1);
        free(t2);
        assert_listing(tmp, "full|null");
    } else {
        fprintf(stderr, "note: cannot make device nodes (%s): proved on a FIFO only\n", strerror(errno));
        char *fifo = in_tmp("fifo"), *got = in_tmp("got");
        ck_assert_int_eq(mkfifo(fifo, 0600), 0);
        ck_assert_int_eq(sh(NULL, "cat '%s' > '%s' & '%s' render '%s' -q -o '%s'; s=$?; wait; exit $s", fifo, got,
                            wb_test_bin(), wb_test_path(SMALL_FO), fifo),
                         0);
        char *t = file_type(fifo);
        ck_assert_str_eq(t, "fifo");
        free(t);
        g_free(got);
        g_free(fifo);
    }
    /* the machine's devices */
    char *before_null = file_type("/dev/null"), *before_full = file_type("/dev/full");
    char *before_stdout = file_type("/dev/stdout");
    ck_assert_str_eq(before_null, "character special file");
    ck_assert_str_eq(before_full, "character special file");
    ck_assert_int_eq(render_to("/dev/null", NULL, &msgs), 0);
    free(msgs);
    ck_assert_int_eq(render_to("/dev/full", NULL, &msgs), 3);
    assert_contains(msgs, "/dev/full: error: no space left on device");
    free(msgs);
    ck_assert_int_eq(sh(&msgs, "'%s' build '%s' -q -f fo -o /dev/full", wb_test_bin(), wb_test_path(COURSE)), 3);
    assert_contains(msgs, "/dev/full: error: no space left on device");
    free(msgs);
    long len = 0;
    char *ref = reference(&len);
    char *got = in_tmp("got.pdf");
    ck_assert_int_eq(sh(NULL, "'%s' render '%s' -q -o /dev/stdout | cat > '%s'", wb_test_bin(), wb_test_path(SMALL_FO), got),
                     0);
    assert_same_file(got, ref, len);
    char *after_null = file_type("/dev/null"), *after_full = file_type("/dev/full");
    char *after_stdout = file_type("/dev/stdout");
    ck_assert_str_eq(after_null, "character special file");
    ck_assert_str_eq(after_full, "character special file");
    ck_assert_str_eq(after_stdout, before_stdout);
    ck_assert(!has_temporary("/dev", ".null.") && !has_temporary("/dev", ".full.") &&
              !has_temporary("/dev", ".stdout."));
    assert_listing(tmp, own ? "full|got.pdf|null" : "fifo|got|got.pdf");
    free(ref);
    g_free(got);
    free(before_null);
    free(before_full);
    free(before_stdout);
    free(after_null);
    free(after_full);
    free(after_stdout);
    g_free(null);
    g_free(full);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("output (command line)");
    TCase *tc = tcase_create("files");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, new_and_replaced_files);
    tcase_add_test(tc, read_only_file_refused);
    tcase_add_test(tc, symlinks_followed);
    tcase_add_test(tc, pages_given_again);
    tcase_add_test(tc, fifo_has_a_reader);
    tcase_add_test(tc, standard_output);
    tcase_add_test(tc, folders);
    tcase_add_test(tc, disk_full);
    tcase_add_test(tc, out_of_memory);
    tcase_add_loop_test(tc, signal_mid_build, 0, 2);
    suite_add_tcase(s, tc);
    tc = tcase_create("devices");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, devices_stay_devices);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return wb_test_main(suite()); }
