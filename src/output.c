/* Output files as Unix tools treat them.  See output.h. */
#include "output.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/vfs.h>
#include <unistd.h>

#include <glib.h>
#include <glib/gstdio.h>

/* statfs's f_type of /proc, where links such as /proc/self/fd/1 are not paths to follow */
#define WB_PROC_SUPER_MAGIC 0x9fa0
/* links followed before giving up, as the kernel does */
#define WB_MAX_LINKS 40
#define WB_OUT_BUF 65536

typedef enum {
    OUT_REPLACE, /* a temporary file beside the real target, renamed over it */
    OUT_DIRECT,  /* written straight to the target (device, FIFO, socket, descriptor) */
    OUT_SPOOL    /* a temporary file in $TMPDIR, copied to the direct target on commit */
} out_kind;

/* A live temporary file, in the registry the signal handler walks. */
typedef struct temp_node {
    struct temp_node *next;
    char path[];
} temp_node;

struct wb_output {
    wb_ctx *ctx;
    out_kind kind;
    char *path;      /* as given */
    char *name;      /* for messages: the path, or "standard output" */
    char *target;    /* OUT_REPLACE: the real file the temporary is renamed over */
    temp_node *temp; /* OUT_REPLACE, OUT_SPOOL: the temporary file */
    int fd;          /* where the writes go; -1 once closed */
    int dev_fd;      /* OUT_SPOOL: the target, written on commit; else -1 */
    bool failed;     /* an error was reported */
    bool closed;
    size_t len;
    unsigned char buf[WB_OUT_BUF];
};

/* ------------------------------------------------------------------ the registry */

static temp_node *live_temps;
static const int handled_signals[] = {SIGHUP, SIGINT, SIGQUIT, SIGPIPE, SIGTERM};
#if !defined(__SANITIZE_ADDRESS__)
static const int fault_signals[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT, SIGTRAP};
#endif

/* The registry changes with the handled signals blocked, so the handler never sees it half
 * changed (and a temporary file never exists unregistered). */
static void block_signals(sigset_t *old)
{
    sigset_t set;
    sigemptyset(&set);
    for (size_t i = 0; i < G_N_ELEMENTS(handled_signals); i++)
        sigaddset(&set, handled_signals[i]);
    pthread_sigmask(SIG_BLOCK, &set, old);
}

static void restore_signals(const sigset_t *old) { pthread_sigmask(SIG_SETMASK, old, NULL); }

/* Creates a new file from a template ending in XXXXXX (mode through the umask, as open does)
 * and registers it; the descriptor, or -1 with errno set. */
static int create_temp(wb_output *o, const char *tmpl, int mode)
{
    size_t n = strlen(tmpl) + 1;
    temp_node *t = malloc(sizeof *t + n);
    if (!t) {
        errno = ENOMEM;
        return -1;
    }
    memcpy(t->path, tmpl, n);
    sigset_t old;
    block_signals(&old);
    int fd = g_mkstemp_full(t->path, O_WRONLY | O_CLOEXEC, mode);
    int err = errno;
    if (fd >= 0) {
        t->next = live_temps;
        live_temps = t;
        o->temp = t;
    }
    restore_signals(&old);
    if (fd < 0) {
        free(t);
        errno = err;
    }
    return fd;
}

/* Takes the output's temporary file out of the registry, removing the file when asked. */
static void drop_temp(wb_output *o, bool remove)
{
    temp_node *t = o->temp;
    if (!t)
        return;
    sigset_t old;
    block_signals(&old);
    for (temp_node **p = &live_temps; *p; p = &(*p)->next) {
        if (*p == t) {
            *p = t->next;
            break;
        }
    }
    if (remove)
        unlink(t->path);
    restore_signals(&old);
    free(t);
    o->temp = NULL;
}

void wb_output_remove_temporaries(void)
{
    for (temp_node *t = live_temps; t; t = t->next)
        unlink(t->path);
}

static void on_signal(int sig)
{
    wb_output_remove_temporaries();
    signal(sig, SIG_DFL);
    raise(sig); /* delivered with the default action once the handler returns */
}

/* A fault inside the engine or a library (fontconfig, for one, dereferences what a failed
 * allocation returned): the old output stays, the temporary goes, one line says so, and the
 * signal then ends the program as it would have. */
static void on_fault(int sig)
{
    wb_output_remove_temporaries();
    char msg[160];
    const char *name = program_invocation_short_name, *what = ": error: internal failure (signal ";
    size_t n = 0;
    for (const char *p = name; *p && n < 60; p++)
        msg[n++] = *p;
    for (const char *p = what; *p; p++)
        msg[n++] = *p;
    char digits[4];
    int k = 0;
    for (int v = sig; v > 0 && k < 3; v /= 10)
        digits[k++] = (char)('0' + v % 10);
    while (k > 0)
        msg[n++] = digits[--k];
    for (const char *p = "); no output was written\n"; *p; p++)
        msg[n++] = *p;
    ssize_t w = write(STDERR_FILENO, msg, n);
    (void)w;
    signal(sig, SIG_DFL);
    raise(sig);
}

static void remove_at_exit(void) { wb_output_remove_temporaries(); }

void wb_output_install_signal_handlers(void)
{
    static bool installed;
    if (installed)
        return;
    installed = true;
    for (size_t i = 0; i < G_N_ELEMENTS(handled_signals); i++) {
        struct sigaction old;
        if (sigaction(handled_signals[i], NULL, &old) != 0 || old.sa_handler == SIG_IGN)
            continue; /* nohup and the like: an ignored signal stays ignored */
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = on_signal;
        sigemptyset(&sa.sa_mask);
        for (size_t j = 0; j < G_N_ELEMENTS(handled_signals); j++)
            sigaddset(&sa.sa_mask, handled_signals[j]);
        sigaction(handled_signals[i], &sa, NULL);
    }
#if !defined(__SANITIZE_ADDRESS__)
    /* (the sanitizers report faults themselves, with more to say) */
    static char alt_stack[1 << 16]; /* a stack overflow's SIGSEGV needs a stack of its own */
    stack_t ss = {.ss_sp = alt_stack, .ss_size = sizeof alt_stack};
    sigaltstack(&ss, NULL);
    for (size_t i = 0; i < G_N_ELEMENTS(fault_signals); i++) {
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = on_fault;
        sa.sa_flags = SA_ONSTACK | SA_RESETHAND;
        sigemptyset(&sa.sa_mask);
        sigaction(fault_signals[i], &sa, NULL);
    }
#endif
    atexit(remove_at_exit);
}

/* ------------------------------------------------------------------ errors */

/* A reason in the words of the messages: lower case, the common ones said plainly. */
static const char *reason(int err, char *buf, size_t n)
{
    switch (err) {
    case ENOSPC: return "no space left on device";
    case EDQUOT: return "disk quota exceeded";
    case EACCES:
    case EPERM: return "permission denied";
    case EROFS: return "read-only file system";
    case EPIPE: return "broken pipe (the reader has gone)";
    case EFBIG: return "file too large";
    case ENOENT: return "no such file or folder";
    case ENOTDIR: return "a part of the path is not a folder";
    case EISDIR: return "is a folder";
    case ELOOP: return "too many levels of symbolic links";
    case ENAMETOOLONG: return "file name too long";
    default: break;
    }
    snprintf(buf, n, "%s", strerror(err));
    if (isupper((unsigned char)buf[0]) && islower((unsigned char)buf[1]))
        buf[0] = (char)tolower((unsigned char)buf[0]);
    return buf;
}

static void fail(wb_output *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Records the output's first error. */
static void fail(wb_output *o, const char *fmt, ...)
{
    if (o->failed)
        return;
    o->failed = true;
    va_list ap;
    va_start(ap, fmt);
    char *msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    wb_error(o->ctx, WB_ERR_IO, o->name, 0, 0, "%s", msg);
    g_free(msg);
}

/* A write error: on the spool file it is the temporary folder's, else the target's. */
static void write_failed(wb_output *o, int fd, int err)
{
    char buf[256];
    if (o->kind == OUT_SPOOL && fd == o->fd && o->temp)
        fail(o, "cannot write the temporary file %s: %s", o->temp->path, reason(err, buf, sizeof buf));
    else if (err == ENOSPC || err == EDQUOT || err == EPIPE || err == EFBIG)
        fail(o, "%s", reason(err, buf, sizeof buf));
    else
        fail(o, "cannot write: %s", reason(err, buf, sizeof buf));
}

/* Why the file cannot be made in `dir`. */
static void folder_failed(wb_output *o, const char *dir, int err)
{
    char buf[256];
    struct stat st;
    if (err == ENOENT)
        fail(o, "no such folder: %s", dir);
    else if (err == ENOTDIR && stat(dir, &st) == 0 && !S_ISDIR(st.st_mode))
        fail(o, "%s: not a folder", dir);
    else if (err == ENOTDIR)
        fail(o, "no such folder: %s (a part of the path is not a folder)", dir);
    else
        fail(o, "folder %s: %s", dir, reason(err, buf, sizeof buf));
}

/* ------------------------------------------------------------------ opening */

/* The program's own descriptor that a name stands for, or -1. */
static int descriptor_of(const char *path)
{
    if (!strcmp(path, "-") || !strcmp(path, "/dev/stdout"))
        return 1;
    if (!strcmp(path, "/dev/stderr"))
        return 2;
    const char *num = NULL;
    if (g_str_has_prefix(path, "/dev/fd/"))
        num = path + strlen("/dev/fd/");
    else if (g_str_has_prefix(path, "/proc/self/fd/"))
        num = path + strlen("/proc/self/fd/");
    if (num && *num && strlen(num) < 9 && strspn(num, "0123456789") == strlen(num))
        return atoi(num);
    return -1;
}

/* True for a link in /proc (such as /proc/PID/fd/N), which open follows but readlink does
 * not give as a path ("pipe:[1234]"). */
static bool in_proc(const char *path)
{
    char *dir = g_path_get_dirname(path);
    struct statfs fs;
    bool r = statfs(dir, &fs) == 0 && fs.f_type == WB_PROC_SUPER_MAGIC;
    g_free(dir);
    return r;
}

static int connect_socket(const char *path)
{
    struct sockaddr_un a;
    memset(&a, 0, sizeof a);
    a.sun_family = AF_UNIX;
    if (strlen(path) >= sizeof a.sun_path) {
        errno = ENAMETOOLONG;
        return -1;
    }
    memcpy(a.sun_path, path, strlen(path) + 1);
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    if (connect(fd, (struct sockaddr *)&a, sizeof a) != 0) {
        int err = errno;
        close(fd);
        errno = err;
        return -1;
    }
    return fd;
}

/* The target is written directly through fd (taken); with WB_OUTPUT_SPOOL through a spool
 * file first. */
static bool set_direct(wb_output *o, int fd, unsigned flags)
{
    if (!(flags & WB_OUTPUT_SPOOL)) {
        o->kind = OUT_DIRECT;
        o->fd = fd;
        return true;
    }
    o->kind = OUT_SPOOL;
    o->dev_fd = fd;
    const char *tmpdir = getenv("TMPDIR"); /* read each time, unlike g_get_tmp_dir */
    if (!tmpdir || !*tmpdir)
        tmpdir = "/tmp";
    char *tmpl = g_build_filename(tmpdir, "workbook-XXXXXX", NULL);
    o->fd = create_temp(o, tmpl, 0600);
    int err = errno;
    g_free(tmpl);
    if (o->fd < 0) {
        char buf[256];
        fail(o, "cannot make a temporary file in %s: %s", tmpdir, reason(err, buf, sizeof buf));
        return false;
    }
    return true;
}

static bool open_descriptor(wb_output *o, int n, unsigned flags)
{
    int fd = fcntl(n, F_DUPFD_CLOEXEC, 3);
    if (fd < 0) {
        char buf[256];
        if (errno == EBADF)
            fail(o, "not open");
        else
            fail(o, "cannot write: %s", reason(errno, buf, sizeof buf));
        return false;
    }
    int fl = fcntl(fd, F_GETFL);
    if (fl >= 0 && (fl & O_ACCMODE) == O_RDONLY) {
        close(fd);
        fail(o, "not open for writing");
        return false;
    }
    return set_direct(o, fd, flags);
}

/* Opens an existing target that is not a regular file or a folder, for writing to it. */
static bool open_direct(wb_output *o, const char *path, unsigned flags)
{
    struct stat st;
    bool have = stat(path, &st) == 0;
    int fd;
    if (have && S_ISSOCK(st.st_mode))
        fd = connect_socket(path);
    else /* a regular file only through a /proc link: truncated as a shell's > would */
        fd = open(path, O_WRONLY | O_NOCTTY | O_CLOEXEC | (have && S_ISREG(st.st_mode) ? O_TRUNC : 0));
    if (fd < 0) {
        char buf[256];
        fail(o, "cannot write: %s", reason(errno, buf, sizeof buf));
        return false;
    }
    return set_direct(o, fd, flags);
}

/* A temporary file beside `target` (its real path), renamed over it on commit; `old` is the
 * existing file's status, NULL for a new file. */
static bool open_beside(wb_output *o, const char *target, const struct stat *old)
{
    char *dir = g_path_get_dirname(target);
    struct stat ds;
    int err = stat(dir, &ds) != 0                                          ? errno
              : !S_ISDIR(ds.st_mode)                                       ? ENOTDIR
              : faccessat(AT_FDCWD, dir, W_OK | X_OK, AT_EACCESS) != 0 ? errno
                                                                           : 0;
    if (err) {
        folder_failed(o, dir, err);
        g_free(dir);
        return false;
    }
    char *base = g_path_get_basename(target);
    if (strlen(base) > 200) /* room for the dot and the suffix within NAME_MAX */
        base[200] = 0;
    char *tmpl = g_strdup_printf("%s/.%s.XXXXXX", dir, base);
    g_free(base);
    /* a new file: 0666 less the umask, as fopen makes it; an old one gets its mode below */
    int fd = create_temp(o, tmpl, old ? 0600 : 0666);
    err = errno;
    g_free(tmpl);
    if (fd < 0) {
        char buf[256];
        if (err == ENOSPC || err == EDQUOT)
            fail(o, "%s", reason(err, buf, sizeof buf));
        else
            fail(o, "cannot make a temporary file in %s: %s", dir, reason(err, buf, sizeof buf));
        g_free(dir);
        return false;
    }
    g_free(dir);
    o->kind = OUT_REPLACE;
    o->fd = fd;
    o->target = g_strdup(target);
    if (old) {
        /* the owner and group too where we may set them (root); before the mode, as chown
         * clears set-id bits */
        if ((old->st_uid != geteuid() || old->st_gid != getegid()) &&
            fchown(fd, old->st_uid, old->st_gid) != 0 && fchown(fd, (uid_t)-1, old->st_gid) != 0) {
            /* not ours to give: the new file is the user's, as cp makes it */
        }
        if (fchmod(fd, old->st_mode & 07777) != 0) {
            char buf[256];
            fail(o, "cannot keep the file's mode: %s", reason(errno, buf, sizeof buf));
            return false;
        }
    }
    return true;
}

static bool open_path(wb_output *o, unsigned flags)
{
    char *cur = g_strdup(o->path);
    struct stat st;
    int err = 0;
    bool ok = false;
    char buf[256];
    /* follow the links of the last name to the real file: the temporary file goes beside it */
    for (int hops = 0;; hops++) {
        if (lstat(cur, &st) != 0) {
            err = errno;
            break;
        }
        if (!S_ISLNK(st.st_mode))
            break;
        if (in_proc(cur)) {
            ok = open_direct(o, cur, flags);
            goto done;
        }
        if (hops == WB_MAX_LINKS) {
            err = ELOOP;
            break;
        }
        char *link = g_file_read_link(cur, NULL);
        if (!link) {
            err = errno ? errno : EINVAL;
            break;
        }
        char *next;
        if (g_path_is_absolute(link)) {
            next = link;
        } else {
            char *dir = g_path_get_dirname(cur);
            next = g_build_filename(dir, link, NULL);
            g_free(dir);
            g_free(link);
        }
        g_free(cur);
        cur = next;
    }
    if (err == ENOENT || (err == ENOTDIR && !g_str_has_suffix(cur, "/"))) {
        /* a new file (or a dangling link's target), if its folder is there */
        ok = open_beside(o, cur, NULL);
    } else if (err == EACCES) {
        char *dir = g_path_get_dirname(cur);
        folder_failed(o, dir, err);
        g_free(dir);
    } else if (err) {
        fail(o, "cannot write: %s", reason(err, buf, sizeof buf));
    } else if (S_ISDIR(st.st_mode)) {
        fail(o, "is a folder");
    } else if (S_ISREG(st.st_mode)) {
        if (faccessat(AT_FDCWD, cur, W_OK, AT_EACCESS) != 0) {
            if (errno == EROFS)
                fail(o, "not writable (read-only file system)");
            else if (errno == EACCES || errno == EPERM)
                fail(o, "not writable (read-only file)");
            else
                fail(o, "not writable (%s)", reason(errno, buf, sizeof buf));
        } else {
            ok = open_beside(o, cur, &st);
        }
    } else {
        ok = open_direct(o, cur, flags);
    }
done:
    g_free(cur);
    return ok;
}

wb_output *wb_output_open(wb_ctx *ctx, const char *path, unsigned flags)
{
    if (!path || !*path) {
        wb_error(ctx, WB_ERR_IO, NULL, 0, 0, "no output file name");
        return NULL;
    }
    wb_output *o = g_new0(wb_output, 1);
    o->ctx = ctx;
    o->fd = -1;
    o->dev_fd = -1;
    o->path = g_strdup(path);
    o->name = g_strdup(strcmp(path, "-") ? path : "standard output");
    int n = descriptor_of(path);
    if (!(n >= 0 ? open_descriptor(o, n, flags) : open_path(o, flags))) {
        wb_output_abort(o);
        return NULL;
    }
    return o;
}

/* ------------------------------------------------------------------ writing */

static bool write_all(wb_output *o, int fd, const unsigned char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            write_failed(o, fd, w < 0 ? errno : EIO);
            return false;
        }
        p += w;
        n -= (size_t)w;
    }
    return true;
}

static bool flush(wb_output *o)
{
    size_t n = o->len;
    o->len = 0;
    return n == 0 || write_all(o, o->fd, o->buf, n);
}

bool wb_output_write(wb_output *o, const void *data, size_t len)
{
    if (o->failed || o->closed)
        return false;
    if (len > sizeof o->buf - o->len) {
        if (!flush(o))
            return false;
        if (len >= sizeof o->buf)
            return write_all(o, o->fd, data, len);
    }
    memcpy(o->buf + o->len, data, len);
    o->len += len;
    return true;
}

cairo_status_t wb_output_cairo_write(void *closure, const unsigned char *data, unsigned int len)
{
    return wb_output_write(closure, data, len) ? CAIRO_STATUS_SUCCESS : CAIRO_STATUS_WRITE_ERROR;
}

wb_status wb_output_status(const wb_output *o) { return o->failed ? WB_ERR_IO : WB_OK; }

const char *wb_output_temp_path(const wb_output *o) { return o->temp ? o->temp->path : NULL; }

const char *wb_output_path(const wb_output *o) { return o->path; }

wb_status wb_output_close(wb_output *o)
{
    if (o->closed)
        return wb_output_status(o);
    o->closed = true;
    if (!o->failed && flush(o) && o->kind == OUT_REPLACE && fsync(o->fd) != 0 && errno != EINVAL &&
        errno != EROFS)
        write_failed(o, o->fd, errno);
    if (o->fd >= 0) {
        if (close(o->fd) != 0 && errno != EINTR)
            write_failed(o, o->fd, errno);
        o->fd = -1;
    }
    return wb_output_status(o);
}

/* OUT_SPOOL: the spool file, complete, to the target. */
static void copy_spool(wb_output *o)
{
    char buf[256];
    int in = open(o->temp->path, O_RDONLY | O_CLOEXEC);
    if (in < 0) {
        fail(o, "cannot read the temporary file %s: %s", o->temp->path, reason(errno, buf, sizeof buf));
        return;
    }
    for (;;) {
        ssize_t n = read(in, o->buf, sizeof o->buf);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            fail(o, "cannot read the temporary file %s: %s", o->temp->path, reason(errno, buf, sizeof buf));
            break;
        }
        if (n == 0 || !write_all(o, o->dev_fd, o->buf, (size_t)n))
            break;
    }
    close(in);
}

static void free_output(wb_output *o)
{
    if (o->fd >= 0)
        close(o->fd);
    if (o->dev_fd >= 0)
        close(o->dev_fd);
    drop_temp(o, true);
    g_free(o->path);
    g_free(o->name);
    g_free(o->target);
    free(o);
}

wb_status wb_output_commit(wb_output *o)
{
    if (wb_output_close(o) == WB_OK) {
        if (o->kind == OUT_REPLACE) {
            if (rename(o->temp->path, o->target) != 0) {
                char buf[256];
                fail(o, "cannot write: %s", reason(errno, buf, sizeof buf));
            } else {
                drop_temp(o, false);
            }
        } else if (o->kind == OUT_SPOOL) {
            copy_spool(o);
            int fd = o->dev_fd;
            o->dev_fd = -1;
            if (close(fd) != 0 && errno != EINTR)
                write_failed(o, fd, errno);
        }
    }
    wb_status st = wb_output_status(o);
    free_output(o);
    return st;
}

void wb_output_abort(wb_output *o)
{
    if (o)
        free_output(o);
}
