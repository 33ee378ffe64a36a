/* Unit tests of src/output.c: output paths as Unix tools treat them.
 *
 * Regular files (new, replaced with their mode, behind symbolic links) are written through a
 * temporary file beside the real file and renamed over it; FIFOs, sockets, standard output
 * and descriptors are written directly (or through a spool file in $TMPDIR); folders,
 * read-only files and missing folders are refused with their reason; a full disk is an error
 * that leaves the old file; a signal removes the temporary files.  Every test checks that no
 * temporary file is left.
 *
 * Some checks need root's powers: a tmpfs mounted in a mount namespace of the test's own
 * (a full disk, a read-only file system), chattr +i, and a child that drops to the user
 * nobody (permission checks, which root passes).  Where the machine refuses them they are
 * skipped with a note. */
#include "output.h"

#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib.h>

#include "unit/support.h"
#include "workbook/context.h"

/* ---- helpers ---- */

static char *dir;   /* the test's folder */
static char *spool; /* $TMPDIR during the test: where spool files go */

static void setup(void)
{
    dir = wb_test_tmpdir();
    ck_assert_ptr_nonnull(dir);
    spool = g_build_filename(dir, "spool", NULL);
    ck_assert_int_eq(mkdir(spool, 0700), 0);
    setenv("TMPDIR", spool, 1);
}

static void teardown(void)
{
    char *cmd = g_strdup_printf("chattr -R -i '%s' 2>/dev/null; rm -rf '%s'", dir, dir);
    if (system(cmd) != 0)
        fprintf(stderr, "cannot remove %s\n", dir);
    g_free(cmd);
    g_free(spool);
    free(dir);
}

static char *path_in(const char *d, const char *name) { return g_build_filename(d, name, NULL); }

/* Names in a folder (not . and .., hidden ones too), sorted, joined with '|'. */
static char *listing(const char *d)
{
    struct dirent **list = NULL;
    int n = scandir(d, &list, NULL, alphasort);
    ck_assert_msg(n >= 0, "cannot list %s", d);
    GString *s = g_string_new(NULL);
    for (int i = 0; i < n; i++) {
        if (strcmp(list[i]->d_name, ".") && strcmp(list[i]->d_name, "..")) {
            if (s->len)
                g_string_append_c(s, '|');
            g_string_append(s, list[i]->d_name);
        }
        free(list[i]);
    }
    free(list);
    return g_string_free(s, FALSE);
}

/* Asserts that a folder holds exactly `names` ('|'-separated, sorted): no temporary file. */
static void assert_listing(const char *d, const char *names)
{
    char *l = listing(d);
    ck_assert_msg(!strcmp(l, names), "%s holds \"%s\", expected \"%s\"", d, l, names);
    g_free(l);
}

/* The number of temporary files (".NAME.XXXXXX") in a folder. */
static int temps_in(const char *d)
{
    char *l = listing(d);
    int n = 0;
    gchar **v = g_strsplit(l, "|", -1);
    for (int i = 0; v[i]; i++)
        if (v[i][0] == '.')
            n++;
    g_strfreev(v);
    g_free(l);
    return n;
}

static void write_text(const char *path, const char *text, mode_t mode)
{
    FILE *f = fopen(path, "wb");
    ck_assert_msg(f != NULL, "cannot write %s", path);
    fputs(text, f);
    ck_assert_int_eq(fclose(f), 0);
    ck_assert_int_eq(chmod(path, mode), 0);
}

static char *read_text(const char *path)
{
    char *text = wb_test_read(path, NULL);
    ck_assert_msg(text != NULL, "cannot read %s", path);
    return text;
}

static void assert_text(const char *path, const char *text)
{
    char *t = read_text(path);
    ck_assert_msg(!strcmp(t, text), "%s holds \"%.80s\", expected \"%.80s\"", path, t, text);
    free(t);
}

/* The first error of ctx contains needle (and names `file` when not NULL). */
static void assert_error(wb_ctx *ctx, const char *file, const char *needle)
{
    size_t n = 0;
    const wb_diagnostic *d = wb_ctx_diagnostics(ctx, &n);
    char *all = test_diags_text(ctx);
    ck_assert_msg(n >= 1 && d[0].severity == WB_SEV_ERROR, "no error: %s", all);
    ck_assert_msg(strstr(d[0].message, needle) != NULL, "expected \"%s\": %s", needle, all);
    if (file)
        ck_assert_msg(d[0].file && !strcmp(d[0].file, file), "expected the error on %s: %s", file, all);
    ck_assert_int_eq(wb_ctx_status(ctx), WB_ERR_IO);
    free(all);
}

/* Opening `path` fails with an error containing needle, and nothing is left behind. */
static void assert_refused(const char *path, unsigned flags, const char *needle)
{
    wb_ctx *ctx = wb_ctx_new();
    wb_output *o = wb_output_open(ctx, path, flags);
    ck_assert_msg(o == NULL, "%s was opened", path);
    assert_error(ctx, path, needle);
    wb_ctx_free(ctx);
    assert_listing(spool, "");
}

/* Opens, writes text, commits; WB_OK expected. */
static void write_output(const char *path, unsigned flags, const char *text)
{
    wb_ctx *ctx = wb_ctx_new();
    wb_output *o = wb_output_open(ctx, path, flags);
    char *diags = test_diags_text(ctx);
    ck_assert_msg(o != NULL, "%s: %s", path, diags);
    free(diags);
    ck_assert(wb_output_write(o, text, strlen(text)));
    wb_status st = wb_output_commit(o);
    diags = test_diags_text(ctx);
    ck_assert_msg(st == WB_OK, "%s: %s", path, diags);
    free(diags);
    wb_ctx_free(ctx);
}

static mode_t mode_of(const char *path)
{
    struct stat st;
    ck_assert_int_eq(stat(path, &st), 0);
    return st.st_mode & 07777;
}

/* A mount namespace of this test process's own, so that tmpfs mounts are seen by nobody else
 * and vanish with the process whatever happens. */
static bool own_mounts(void)
{
    static int state; /* 0 not tried, 1 yes, -1 no */
    if (!state)
        state = unshare(CLONE_NEWNS) == 0 && mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) == 0 ? 1 : -1;
    return state > 0;
}

/* Mounts a tmpfs of 64 KiB on a new folder `d`; false (with a note) when not permitted. */
static bool mount_small_tmpfs(const char *d)
{
    ck_assert_int_eq(mkdir(d, 0777), 0);
    if (!own_mounts() || mount("tmpfs", d, "tmpfs", 0, "size=64k") != 0) {
        fprintf(stderr, "note: cannot mount a tmpfs (%s): skipped\n", strerror(errno));
        return false;
    }
    return true;
}

/* Runs open(path) in a child that is the user nobody; the first error message, "" when the
 * output opened, NULL when the child could not become nobody. */
static char *open_as_nobody(const char *path)
{
    int p[2];
    ck_assert_int_eq(pipe(p), 0);
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        close(p[0]);
        if (setgroups(0, NULL) != 0 || setgid(65534) != 0 || setuid(65534) != 0)
            _exit(77);
        wb_ctx *ctx = wb_ctx_new();
        wb_output *o = wb_output_open(ctx, path, 0);
        size_t n = 0;
        const wb_diagnostic *d = wb_ctx_diagnostics(ctx, &n);
        const char *msg = o ? "" : n ? d[0].message : "?";
        if (write(p[1], msg, strlen(msg)) < 0)
            _exit(1);
        wb_output_abort(o);
        _exit(0);
    }
    close(p[1]);
    GString *s = g_string_new(NULL);
    char buf[256];
    ssize_t n;
    while ((n = read(p[0], buf, sizeof buf)) > 0)
        g_string_append_len(s, buf, n);
    close(p[0]);
    int status = 0;
    ck_assert_int_eq(waitpid(pid, &status, 0), pid);
    ck_assert(WIFEXITED(status));
    if (WEXITSTATUS(status) == 77) {
        fprintf(stderr, "note: cannot become the user nobody: skipped\n");
        g_string_free(s, TRUE);
        return NULL;
    }
    ck_assert_int_eq(WEXITSTATUS(status), 0);
    return g_string_free(s, FALSE);
}

/* Reads a file descriptor or path to the end, in a thread. */
typedef struct {
    const char *path; /* opened for reading in the thread, when set */
    int fd;
    GString *data;
} reader;

static void *read_all(void *arg)
{
    reader *r = arg;
    int fd = r->path ? open(r->path, O_RDONLY) : r->fd;
    if (fd < 0)
        return NULL;
    char buf[4096];
    ssize_t n;
    while ((n = read(fd, buf, sizeof buf)) > 0)
        g_string_append_len(r->data, buf, n);
    close(fd);
    return NULL;
}

/* A large text: 200 KB of numbered lines. */
static char *big_text(void)
{
    GString *s = g_string_new(NULL);
    for (int i = 0; s->len < 200000; i++)
        g_string_append_printf(s, "line %d of a large output\n", i);
    return g_string_free(s, FALSE);
}

/* ---- regular files ---- */

START_TEST(new_file_gets_umask_mode)
{
    const mode_t masks[] = {022, 077, 027};
    for (int i = 0; i < 3; i++) {
        char *name = g_strdup_printf("new-%d.txt", i);
        char *out = path_in(dir, name);
        mode_t old = umask(masks[i]);
        wb_ctx *ctx = wb_ctx_new();
        wb_output *o = wb_output_open(ctx, out, 0);
        ck_assert_ptr_nonnull(o);
        /* written beside the target, as a hidden temporary; the target not there yet */
        const char *tmp = wb_output_temp_path(o);
        ck_assert_ptr_nonnull(tmp);
        char *tdir = g_path_get_dirname(tmp), *tbase = g_path_get_basename(tmp);
        ck_assert_str_eq(tdir, dir);
        ck_assert_msg(g_str_has_prefix(tbase, ".new-") && strlen(tbase) == strlen(name) + 8, "%s", tbase);
        ck_assert(access(out, F_OK) != 0);
        ck_assert(wb_output_write(o, "hello\n", 6));
        ck_assert_int_eq(wb_output_commit(o), WB_OK);
        umask(old);
        assert_text(out, "hello\n");
        ck_assert_uint_eq(mode_of(out), 0666 & ~masks[i]);
        ck_assert_int_eq(temps_in(dir), 0);
        wb_ctx_free(ctx);
        g_free(tdir);
        g_free(tbase);
        g_free(out);
        g_free(name);
    }
    assert_listing(dir, "new-0.txt|new-1.txt|new-2.txt|spool");
    assert_listing(spool, "");
}
END_TEST

START_TEST(existing_file_replaced_with_its_mode)
{
    char *out = path_in(dir, "book.pdf");
    write_text(out, "OLD\n", 0640);
    struct stat before;
    ck_assert_int_eq(stat(out, &before), 0);
    wb_ctx *ctx = wb_ctx_new();
    wb_output *o = wb_output_open(ctx, out, 0);
    ck_assert_ptr_nonnull(o);
    char *big = big_text();
    ck_assert(wb_output_write(o, big, strlen(big)));
    ck_assert_int_eq(wb_output_close(o), WB_OK);
    assert_text(out, "OLD\n"); /* untouched until the commit */
    ck_assert_int_eq(temps_in(dir), 1);
    ck_assert_int_eq(wb_output_commit(o), WB_OK);
    assert_text(out, big);
    struct stat after;
    ck_assert_int_eq(stat(out, &after), 0);
    ck_assert_uint_eq(after.st_mode & 07777, 0640);
    ck_assert_msg(after.st_ino != before.st_ino, "replaced by rename, not rewritten");
    assert_listing(dir, "book.pdf|spool");
    /* an odd mode is kept as it is */
    ck_assert_int_eq(chmod(out, 0604), 0);
    write_output(out, 0, "third\n");
    ck_assert_uint_eq(mode_of(out), 0604);
    assert_listing(dir, "book.pdf|spool");
    free(big);
    wb_ctx_free(ctx);
    g_free(out);
}
END_TEST

START_TEST(abort_leaves_the_old_file)
{
    char *out = path_in(dir, "book.pdf");
    write_text(out, "OLD\n", 0644);
    wb_ctx *ctx = wb_ctx_new();
    wb_output *o = wb_output_open(ctx, out, WB_OUTPUT_SPOOL);
    ck_assert_ptr_nonnull(o);
    ck_assert(wb_output_write(o, "new", 3));
    ck_assert_int_eq(temps_in(dir), 1);
    wb_output_abort(o);
    assert_text(out, "OLD\n");
    assert_listing(dir, "book.pdf|spool");
    assert_listing(spool, "");
    wb_output_abort(NULL);
    ck_assert_int_eq(wb_ctx_status(ctx), WB_OK);
    wb_ctx_free(ctx);
    g_free(out);
}
END_TEST

START_TEST(commit_fails_cleanly)
{
    /* the target turns into a folder between open and commit: the rename fails */
    char *out = path_in(dir, "book.pdf");
    wb_ctx *ctx = wb_ctx_new();
    wb_output *o = wb_output_open(ctx, out, 0);
    ck_assert_ptr_nonnull(o);
    ck_assert(wb_output_write(o, "x", 1));
    ck_assert_int_eq(mkdir(out, 0755), 0);
    char *inside = path_in(out, "keep");
    write_text(inside, "k", 0644);
    ck_assert_int_eq(wb_output_commit(o), WB_ERR_IO);
    assert_error(ctx, out, "cannot write:");
    assert_listing(dir, "book.pdf|spool");
    assert_listing(out, "keep");
    wb_ctx_free(ctx);
    g_free(inside);
    g_free(out);
}
END_TEST

START_TEST(temporary_for_post_pass)
{
    /* a writer that changes the complete file by path before the commit (the PDF post-pass) */
    char *out = path_in(dir, "book.pdf");
    write_text(out, "OLD\n", 0600);
    wb_ctx *ctx = wb_ctx_new();
    wb_output *o = wb_output_open(ctx, out, WB_OUTPUT_SPOOL);
    ck_assert_ptr_nonnull(o);
    ck_assert(wb_output_write(o, "body ", 5));
    ck_assert_int_eq(wb_output_close(o), WB_OK);
    ck_assert(!wb_output_write(o, "late", 4)); /* nothing more after close */
    const char *tmp = wb_output_temp_path(o);
    ck_assert_ptr_nonnull(tmp);
    char *tdir = g_path_get_dirname(tmp);
    ck_assert_str_eq(tdir, dir); /* beside the target: a regular file is not spooled */
    FILE *f = fopen(tmp, "ab");
    ck_assert_ptr_nonnull(f);
    fputs("update\n", f);
    ck_assert_int_eq(fclose(f), 0);
    assert_text(out, "OLD\n");
    ck_assert_int_eq(wb_output_commit(o), WB_OK);
    assert_text(out, "body update\n");
    ck_assert_uint_eq(mode_of(out), 0600);
    assert_listing(dir, "book.pdf|spool");
    assert_listing(spool, "");
    wb_ctx_free(ctx);
    g_free(tdir);
    g_free(out);
}
END_TEST

/* ---- links ---- */

START_TEST(symlink_kept_and_target_updated)
{
    char *sub = path_in(dir, "real");
    ck_assert_int_eq(mkdir(sub, 0755), 0);
    char *real = path_in(sub, "book.pdf");
    write_text(real, "OLD\n", 0640);
    char *link = path_in(dir, "link.pdf");
    char *link2 = path_in(dir, "link2.pdf");
    ck_assert_int_eq(symlink("real/book.pdf", link), 0); /* relative to the link's folder */
    ck_assert_int_eq(symlink(link, link2), 0);           /* a chain, absolute */
    wb_ctx *ctx = wb_ctx_new();
    wb_output *o = wb_output_open(ctx, link2, 0);
    ck_assert_ptr_nonnull(o);
    /* the temporary is beside the real file, so the rename stays in its folder */
    char *tdir = g_path_get_dirname(wb_output_temp_path(o));
    ck_assert_str_eq(tdir, sub);
    ck_assert(wb_output_write(o, "NEW\n", 4));
    ck_assert_int_eq(wb_output_commit(o), WB_OK);
    struct stat st;
    ck_assert_int_eq(lstat(link, &st), 0);
    ck_assert(S_ISLNK(st.st_mode));
    ck_assert_int_eq(lstat(link2, &st), 0);
    ck_assert(S_ISLNK(st.st_mode));
    char *target = g_file_read_link(link, NULL);
    ck_assert_str_eq(target, "real/book.pdf");
    assert_text(real, "NEW\n");
    ck_assert_uint_eq(mode_of(real), 0640);
    assert_listing(dir, "link.pdf|link2.pdf|real|spool");
    assert_listing(sub, "book.pdf");
    wb_ctx_free(ctx);
    g_free(target);
    g_free(tdir);
    g_free(link2);
    g_free(link);
    g_free(real);
    g_free(sub);
}
END_TEST

START_TEST(dangling_symlink_creates_target)
{
    char *sub = path_in(dir, "sub");
    ck_assert_int_eq(mkdir(sub, 0755), 0);
    char *link = path_in(dir, "link.pdf");
    ck_assert_int_eq(symlink("sub/new.pdf", link), 0);
    write_output(link, 0, "made\n");
    struct stat st;
    ck_assert_int_eq(lstat(link, &st), 0);
    ck_assert(S_ISLNK(st.st_mode));
    char *real = path_in(sub, "new.pdf");
    assert_text(real, "made\n");
    assert_listing(dir, "link.pdf|spool|sub");
    assert_listing(sub, "new.pdf");
    /* a link into a missing folder names that folder */
    char *bad = path_in(dir, "bad.pdf");
    ck_assert_int_eq(symlink("gone/new.pdf", bad), 0);
    char *gone = path_in(dir, "gone");
    wb_ctx *ctx = wb_ctx_new();
    ck_assert_ptr_null(wb_output_open(ctx, bad, 0));
    char *msg = g_strdup_printf("no such folder: %s", gone);
    assert_error(ctx, bad, msg);
    assert_listing(dir, "bad.pdf|link.pdf|spool|sub");
    /* a loop of links */
    char *loop = path_in(dir, "loop");
    ck_assert_int_eq(symlink("loop", loop), 0);
    assert_refused(loop, 0, "too many levels of symbolic links");
    wb_ctx_free(ctx);
    g_free(loop);
    g_free(msg);
    g_free(gone);
    g_free(bad);
    g_free(real);
    g_free(link);
    g_free(sub);
}
END_TEST

/* ---- refused ---- */

START_TEST(folder_refused)
{
    char *sub = path_in(dir, "sub");
    ck_assert_int_eq(mkdir(sub, 0755), 0);
    assert_refused(sub, 0, "is a folder");
    assert_refused(sub, WB_OUTPUT_SPOOL, "is a folder");
    char *link = path_in(dir, "link");
    ck_assert_int_eq(symlink("sub", link), 0);
    assert_refused(link, 0, "is a folder");
    assert_listing(sub, "");
    assert_listing(dir, "link|spool|sub");
    g_free(link);
    g_free(sub);
}
END_TEST

START_TEST(missing_folder_named)
{
    char *missing = path_in(dir, "missing");
    char *out = path_in(missing, "book.pdf");
    char *msg = g_strdup_printf("no such folder: %s", missing);
    assert_refused(out, 0, msg);
    assert_refused(out, WB_OUTPUT_SPOOL, msg);
    /* a file where a folder should be */
    char *file = path_in(dir, "file");
    write_text(file, "f", 0644);
    char *under = path_in(file, "book.pdf");
    char *msg2 = g_strdup_printf("%s: not a folder", file);
    assert_refused(under, 0, msg2);
    assert_listing(dir, "file|spool");
    /* no name at all */
    wb_ctx *ctx = wb_ctx_new();
    ck_assert_ptr_null(wb_output_open(ctx, "", 0));
    ck_assert_int_eq(wb_ctx_status(ctx), WB_ERR_IO);
    wb_ctx_free(ctx);
    g_free(msg2);
    g_free(under);
    g_free(file);
    g_free(msg);
    g_free(out);
    g_free(missing);
}
END_TEST

START_TEST(read_only_file_refused)
{
    /* not writable for the user: as nobody (root may write any file) */
    ck_assert_int_eq(chmod(dir, 0777), 0);
    char *out = path_in(dir, "book.pdf");
    write_text(out, "OLD\n", 0444);
    char *msg = open_as_nobody(out);
    if (msg) {
        ck_assert_msg(strstr(msg, "not writable (read-only file)"), "as nobody: \"%s\"", msg);
        g_free(msg);
    }
    assert_text(out, "OLD\n");
    ck_assert_uint_eq(mode_of(out), 0444);
    assert_listing(dir, "book.pdf|spool");
    /* immutable (chattr +i): refused even for root */
    char *cmd = g_strdup_printf("chattr +i '%s' 2>/dev/null", out);
    if (system(cmd) == 0) {
        assert_refused(out, 0, "not writable (read-only file)");
        assert_text(out, "OLD\n");
        assert_listing(dir, "book.pdf|spool");
        g_free(cmd);
        cmd = g_strdup_printf("chattr -i '%s'", out);
        ck_assert_int_eq(system(cmd), 0);
    } else {
        fprintf(stderr, "note: chattr +i not possible here: skipped\n");
    }
    /* root writes a 0444 file, as cp would, and keeps its mode */
    if (geteuid() == 0) {
        write_output(out, 0, "NEW\n");
        ck_assert_uint_eq(mode_of(out), 0444);
        assert_listing(dir, "book.pdf|spool");
    }
    g_free(cmd);
    g_free(out);
}
END_TEST

START_TEST(unwritable_folder_refused)
{
    ck_assert_int_eq(chmod(dir, 0777), 0);
    char *sub = path_in(dir, "locked");
    ck_assert_int_eq(mkdir(sub, 0555), 0);
    ck_assert_int_eq(chmod(sub, 0555), 0);
    char *out = path_in(sub, "book.pdf");
    char *msg = open_as_nobody(out);
    if (msg) {
        char *want = g_strdup_printf("folder %s: permission denied", sub);
        ck_assert_msg(strstr(msg, want), "as nobody: \"%s\"", msg);
        g_free(want);
        g_free(msg);
    }
    /* an existing writable file in a folder where no temporary file can be made */
    ck_assert_int_eq(chmod(sub, 0755), 0);
    write_text(out, "OLD\n", 0666);
    ck_assert_int_eq(chmod(sub, 0555), 0);
    msg = open_as_nobody(out);
    if (msg) {
        ck_assert_msg(strstr(msg, "permission denied"), "as nobody: \"%s\"", msg);
        g_free(msg);
    }
    assert_text(out, "OLD\n");
    assert_listing(sub, "book.pdf");
    /* a read-only file system refuses root too */
    char *ro = path_in(dir, "ro");
    if (mount_small_tmpfs(ro)) {
        char *file = path_in(ro, "book.pdf");
        write_text(file, "OLD\n", 0644);
        ck_assert_int_eq(mount(NULL, ro, NULL, MS_REMOUNT | MS_RDONLY, "size=64k"), 0);
        assert_refused(file, 0, "not writable (read-only file system)");
        char *newfile = path_in(ro, "new.pdf");
        char *want = g_strdup_printf("folder %s: read-only file system", ro);
        assert_refused(newfile, 0, want);
        assert_text(file, "OLD\n");
        assert_listing(ro, "book.pdf");
        ck_assert_int_eq(umount2(ro, MNT_DETACH), 0);
        g_free(want);
        g_free(newfile);
        g_free(file);
    }
    g_free(ro);
    g_free(out);
    g_free(sub);
}
END_TEST

/* ---- a full disk ---- */

START_TEST(disk_full_keeps_old_file)
{
    char *small = path_in(dir, "small");
    if (!mount_small_tmpfs(small)) {
        g_free(small);
        return;
    }
    char *out = path_in(small, "book.pdf");
    write_text(out, "OLD\n", 0644);
    char *big = big_text();
    /* the error comes with a write, or with the flush at the commit: either way reported */
    wb_ctx *ctx = wb_ctx_new();
    wb_output *o = wb_output_open(ctx, out, WB_OUTPUT_SPOOL);
    ck_assert_ptr_nonnull(o);
    bool wrote = true;
    for (size_t i = 0; i < strlen(big) && wrote; i += 1000)
        wrote = wb_output_write(o, big + i, 1000);
    ck_assert(!wrote);
    ck_assert_int_eq(wb_output_status(o), WB_ERR_IO);
    ck_assert_int_eq(wb_output_commit(o), WB_ERR_IO);
    assert_error(ctx, out, "no space left on device");
    ck_assert_int_eq(test_count_diags(ctx, WB_SEV_ERROR, "", NULL), 1); /* said once */
    assert_text(out, "OLD\n");
    assert_listing(small, "book.pdf");
    wb_ctx_free(ctx);
    /* small enough for the buffer: the error comes with the commit */
    ctx = wb_ctx_new();
    o = wb_output_open(ctx, out, 0);
    ck_assert_ptr_nonnull(o);
    ck_assert(wb_output_write(o, big, 65000)); /* buffered */
    ck_assert_int_eq(wb_output_commit(o), WB_ERR_IO);
    assert_error(ctx, out, "no space left on device");
    assert_text(out, "OLD\n");
    assert_listing(small, "book.pdf");
    wb_ctx_free(ctx);
    ck_assert_int_eq(umount2(small, MNT_DETACH), 0);
    free(big);
    g_free(out);
    g_free(small);
}
END_TEST

/* ---- written directly ---- */

START_TEST(fifo_written_directly)
{
    for (int spooled = 0; spooled < 2; spooled++) {
        char *fifo = path_in(dir, "fifo");
        ck_assert_int_eq(mkfifo(fifo, 0600), 0);
        reader r = {.path = fifo, .fd = -1, .data = g_string_new(NULL)};
        pthread_t t;
        ck_assert_int_eq(pthread_create(&t, NULL, read_all, &r), 0);
        wb_ctx *ctx = wb_ctx_new();
        wb_output *o = wb_output_open(ctx, fifo, spooled ? WB_OUTPUT_SPOOL : 0);
        ck_assert_ptr_nonnull(o);
        char *big = big_text();
        ck_assert(wb_output_write(o, big, strlen(big)));
        if (spooled) {
            /* the spool file in $TMPDIR: nothing reached the FIFO yet */
            const char *tmp = wb_output_temp_path(o);
            ck_assert_ptr_nonnull(tmp);
            ck_assert(g_str_has_prefix(tmp, spool));
            ck_assert_int_eq(wb_output_close(o), WB_OK);
            FILE *f = fopen(tmp, "ab");
            ck_assert_ptr_nonnull(f);
            fputs("appended\n", f);
            ck_assert_int_eq(fclose(f), 0);
            ck_assert_uint_eq(r.data->len, 0);
        } else {
            ck_assert_ptr_null(wb_output_temp_path(o));
        }
        ck_assert_int_eq(wb_output_commit(o), WB_OK);
        ck_assert_int_eq(pthread_join(t, NULL), 0);
        char *want = g_strconcat(big, spooled ? "appended\n" : "", NULL);
        ck_assert_msg(!strcmp(r.data->str, want), "the reader got %zu bytes", r.data->len);
        struct stat st;
        ck_assert_int_eq(lstat(fifo, &st), 0);
        ck_assert_msg(S_ISFIFO(st.st_mode), "still a FIFO");
        assert_listing(dir, "fifo|spool");
        assert_listing(spool, "");
        ck_assert_int_eq(unlink(fifo), 0);
        g_free(want);
        free(big);
        g_string_free(r.data, TRUE);
        wb_ctx_free(ctx);
        g_free(fifo);
    }
}
END_TEST

START_TEST(fifo_reader_gone)
{
    /* the reader closes early: a broken pipe (SIGPIPE ignored here) is an error */
    signal(SIGPIPE, SIG_IGN);
    char *fifo = path_in(dir, "fifo");
    ck_assert_int_eq(mkfifo(fifo, 0600), 0);
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        int fd = open(fifo, O_RDONLY);
        char c;
        if (fd >= 0 && read(fd, &c, 1) == 1)
            close(fd);
        _exit(0);
    }
    wb_ctx *ctx = wb_ctx_new();
    wb_output *o = wb_output_open(ctx, fifo, 0);
    ck_assert_ptr_nonnull(o);
    char *big = big_text();
    bool ok = true;
    for (int i = 0; i < 50 && ok; i++)
        ok = wb_output_write(o, big, strlen(big));
    ck_assert_int_eq(wb_output_commit(o), WB_ERR_IO);
    assert_error(ctx, fifo, "broken pipe");
    int status;
    waitpid(pid, &status, 0);
    assert_listing(dir, "fifo|spool");
    free(big);
    wb_ctx_free(ctx);
    g_free(fifo);
}
END_TEST

START_TEST(socket_written_directly)
{
    char *sock = path_in(dir, "sock");
    struct sockaddr_un a = {.sun_family = AF_UNIX};
    if (strlen(sock) >= sizeof a.sun_path) {
        fprintf(stderr, "note: socket path too long: skipped\n");
        g_free(sock);
        return;
    }
    memcpy(a.sun_path, sock, strlen(sock) + 1);
    int srv = socket(AF_UNIX, SOCK_STREAM, 0);
    ck_assert_int_ge(srv, 0);
    ck_assert_int_eq(bind(srv, (struct sockaddr *)&a, sizeof a), 0);
    ck_assert_int_eq(listen(srv, 1), 0);
    wb_ctx *ctx = wb_ctx_new();
    wb_output *o = wb_output_open(ctx, sock, 0);
    ck_assert_ptr_nonnull(o);
    reader r = {.fd = accept(srv, NULL, NULL), .data = g_string_new(NULL)};
    ck_assert_int_ge(r.fd, 0);
    pthread_t t;
    ck_assert_int_eq(pthread_create(&t, NULL, read_all, &r), 0);
    char *big = big_text();
    ck_assert(wb_output_write(o, big, strlen(big)));
    ck_assert_int_eq(wb_output_commit(o), WB_OK);
    ck_assert_int_eq(pthread_join(t, NULL), 0);
    ck_assert(!strcmp(r.data->str, big));
    close(srv);
    struct stat st;
    ck_assert_int_eq(lstat(sock, &st), 0);
    ck_assert(S_ISSOCK(st.st_mode));
    assert_listing(dir, "sock|spool");
    free(big);
    g_string_free(r.data, TRUE);
    wb_ctx_free(ctx);
    g_free(sock);
}
END_TEST

START_TEST(standard_output_and_descriptors)
{
    const char *names[] = {"-", "/dev/stdout", "/proc/self/fd/1", NULL};
    for (int spooled = 0; spooled < 2; spooled++) {
        for (int i = 0; names[i]; i++) {
            int p[2];
            ck_assert_int_eq(pipe(p), 0);
            fflush(stdout);
            int saved = dup(1);
            ck_assert_int_eq(dup2(p[1], 1), 1);
            close(p[1]);
            wb_ctx *ctx = wb_ctx_new();
            wb_output *o = wb_output_open(ctx, names[i], spooled ? WB_OUTPUT_SPOOL : 0);
            bool opened = o != NULL;
            wb_status st = WB_ERR_IO;
            if (o) {
                ck_assert((wb_output_temp_path(o) != NULL) == (spooled != 0));
                wb_output_write(o, "to the pipe\n", 12);
                st = wb_output_commit(o);
            }
            dup2(saved, 1); /* the pipe's last writer goes: the reader sees the end */
            close(saved);
            reader r = {.fd = p[0], .data = g_string_new(NULL)};
            read_all(&r);
            char *diags = test_diags_text(ctx);
            ck_assert_msg(opened && st == WB_OK, "%s: %s", names[i], diags);
            ck_assert_str_eq(r.data->str, "to the pipe\n");
            free(diags);
            g_string_free(r.data, TRUE);
            wb_ctx_free(ctx);
        }
    }
    /* a descriptor of its own */
    int p[2];
    ck_assert_int_eq(pipe(p), 0);
    char *name = g_strdup_printf("/dev/fd/%d", p[1]);
    write_output(name, 0, "seven");
    close(p[1]);
    reader r = {.fd = p[0], .data = g_string_new(NULL)};
    read_all(&r);
    ck_assert_str_eq(r.data->str, "seven");
    g_string_free(r.data, TRUE);
    g_free(name);
    /* a closed standard output */
    fflush(stdout);
    int saved = dup(1);
    close(1);
    wb_ctx *ctx = wb_ctx_new();
    wb_output *o = wb_output_open(ctx, "-", 0);
    dup2(saved, 1);
    close(saved);
    ck_assert_ptr_null(o);
    assert_error(ctx, "standard output", "not open");
    wb_ctx_free(ctx);
    assert_listing(dir, "spool");
    assert_listing(spool, "");
}
END_TEST

START_TEST(own_character_devices)
{
    /* device nodes made here, like /dev/null and /dev/full: written to, never replaced */
    char *null = path_in(dir, "null"), *full = path_in(dir, "full");
    if (mknod(null, S_IFCHR | 0666, makedev(1, 3)) != 0 || mknod(full, S_IFCHR | 0666, makedev(1, 7)) != 0) {
        fprintf(stderr, "note: cannot make device nodes (%s): skipped\n", strerror(errno));
        g_free(null);
        g_free(full);
        return;
    }
    for (int spooled = 0; spooled < 2; spooled++) {
        write_output(null, spooled ? WB_OUTPUT_SPOOL : 0, "into nothing");
        wb_ctx *ctx = wb_ctx_new();
        wb_output *o = wb_output_open(ctx, full, spooled ? WB_OUTPUT_SPOOL : 0);
        ck_assert_ptr_nonnull(o);
        wb_output_write(o, "into a full disk", 16);
        ck_assert_int_eq(wb_output_commit(o), WB_ERR_IO);
        assert_error(ctx, full, "no space left on device");
        wb_ctx_free(ctx);
        struct stat st;
        ck_assert_int_eq(lstat(null, &st), 0);
        ck_assert(S_ISCHR(st.st_mode));
        ck_assert_int_eq(lstat(full, &st), 0);
        ck_assert(S_ISCHR(st.st_mode));
        assert_listing(dir, "full|null|spool");
        assert_listing(spool, "");
    }
    g_free(null);
    g_free(full);
}
END_TEST

/* ---- signals and the registry ---- */

START_TEST(signal_removes_temporaries)
{
    const int sigs[] = {SIGTERM, SIGINT, SIGHUP};
    int sig = sigs[_i];
    char *out = path_in(dir, "book.pdf");
    write_text(out, "OLD\n", 0644);
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        wb_output_install_signal_handlers();
        wb_ctx *ctx = wb_ctx_new();
        wb_output *o = wb_output_open(ctx, out, 0);
        wb_output *s = wb_output_open(ctx, "-", WB_OUTPUT_SPOOL); /* a spool file too */
        if (!o || !s || temps_in(dir) != 1 || !strcmp(listing(spool), ""))
            _exit(1);
        wb_output_write(o, "partial", 7);
        kill(getpid(), sig);
        _exit(2); /* not reached */
    }
    int status = 0;
    ck_assert_int_eq(waitpid(pid, &status, 0), pid);
    ck_assert_msg(WIFSIGNALED(status) && WTERMSIG(status) == sig, "the child %s %d",
                  WIFSIGNALED(status) ? "died of signal" : "exited with", WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
    assert_text(out, "OLD\n");
    assert_listing(dir, "book.pdf|spool");
    assert_listing(spool, "");
    g_free(out);
}
END_TEST

START_TEST(registry_keeps_live_temporaries)
{
    char *names[3];
    wb_output *o[3];
    wb_ctx *ctx = wb_ctx_new();
    for (int i = 0; i < 3; i++) {
        names[i] = g_strdup_printf("%s/page-%d.png", dir, i + 1);
        o[i] = wb_output_open(ctx, names[i], 0);
        ck_assert_ptr_nonnull(o[i]);
        ck_assert(wb_output_write(o[i], "p", 1));
        ck_assert_int_eq(wb_output_close(o[i]), WB_OK);
    }
    ck_assert_int_eq(temps_in(dir), 3);
    wb_output_abort(o[1]);
    ck_assert_int_eq(temps_in(dir), 2);
    ck_assert_int_eq(wb_output_commit(o[0]), WB_OK);
    ck_assert_int_eq(temps_in(dir), 1);
    /* what the signal handler does: the live one goes, committed files stay */
    wb_output_remove_temporaries();
    ck_assert_int_eq(temps_in(dir), 0);
    ck_assert_int_eq(wb_output_commit(o[2]), WB_ERR_IO); /* its temporary is gone */
    assert_listing(dir, "page-1.png|spool");
    wb_output_remove_temporaries(); /* nothing live: nothing happens */
    for (int i = 0; i < 3; i++)
        g_free(names[i]);
    wb_ctx_free(ctx);
}
END_TEST

static Suite *output_suite(void)
{
    Suite *s = suite_create("output");
    TCase *tc = tcase_create("regular files");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, new_file_gets_umask_mode);
    tcase_add_test(tc, existing_file_replaced_with_its_mode);
    tcase_add_test(tc, abort_leaves_the_old_file);
    tcase_add_test(tc, commit_fails_cleanly);
    tcase_add_test(tc, temporary_for_post_pass);
    tcase_add_test(tc, symlink_kept_and_target_updated);
    tcase_add_test(tc, dangling_symlink_creates_target);
    suite_add_tcase(s, tc);
    tc = tcase_create("refused");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, folder_refused);
    tcase_add_test(tc, missing_folder_named);
    tcase_add_test(tc, read_only_file_refused);
    tcase_add_test(tc, unwritable_folder_refused);
    tcase_add_test(tc, disk_full_keeps_old_file);
    suite_add_tcase(s, tc);
    tc = tcase_create("direct");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, fifo_written_directly);
    tcase_add_test(tc, fifo_reader_gone);
    tcase_add_test(tc, socket_written_directly);
    tcase_add_test(tc, standard_output_and_descriptors);
    tcase_add_test(tc, own_character_devices);
    suite_add_tcase(s, tc);
    tc = tcase_create("signals");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_loop_test(tc, signal_removes_temporaries, 0, 3);
    tcase_add_test(tc, registry_keeps_live_temporaries);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return wb_test_main(output_suite()); }
