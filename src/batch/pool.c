/* The worker processes of a batch.
 *
 * The batch forks its workers (no exec: they share the job list the parent built) before
 * any of them loads a font, and hands out jobs one at a time over a pipe per worker, the
 * costliest first; a worker answers each with a result on a pipe of its own.  A worker keeps
 * its format cache, compiled stylesheets and loaded courses from one job to the next.  A
 * worker that dies (a crash, the kernel's OOM killer) shows as the end of its result pipe:
 * its job is reported failed with the signal, the temporary files it left beside the output
 * are removed, and a new worker takes its place while jobs remain.
 *
 * SIGINT, SIGTERM and SIGHUP stop the batch: the parent notes them through a pipe to itself,
 * hands out nothing more, sends SIGTERM to the workers, whose handlers (src/output.c) remove
 * their temporary files before they die, waits for them, removes whatever a worker could not,
 * and returns.  Finished outputs stay.  Workers get back the handlers the program had
 * (wb_output_install_signal_handlers) and a worker stopped by one of those signals stops the
 * batch too (a terminal's Ctrl-C reaches every process of the group).
 *
 * Protocol: parent -> worker, a job's index (int32); worker -> parent, a uint32 length and as
 * many bytes of text: "index\nstate\npages\nseconds\ninputs\n" then the messages.  Hands on
 * batch_run_pool. */
#include "batch/batch-private.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static const int stop_signals[] = {SIGINT, SIGTERM, SIGHUP};
static const int kept_signals[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE};
static struct sigaction saved[G_N_ELEMENTS(kept_signals)];
static int self_pipe[2] = {-1, -1};
static volatile sig_atomic_t stop_signal;

typedef struct worker {
    pid_t pid;
    int to, from; /* job pipe (write end), result pipe (read end); -1 when closed */
    int job;      /* the index of the job it builds, -1 when idle */
    GByteArray *in;
} worker;

typedef struct pool {
    GPtrArray *jobs;
    GPtrArray *workers; /* worker * */
    GQueue pending;     /* indices of jobs to hand out, the costliest first */
    const char *styles_dir;
    bool quiet;
    batch_report *rep;
} pool;

static void on_stop(int sig)
{
    int saved_errno = errno;
    stop_signal = sig;
    char c = (char)sig;
    if (write(self_pipe[1], &c, 1) < 0) {
        /* the pipe is full: the flag is enough */
    }
    errno = saved_errno;
}

static bool write_full(int fd, const void *buf, size_t len)
{
    const char *p = buf;
    while (len > 0) {
        ssize_t n = write(fd, p, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        p += n;
        len -= (size_t)n;
    }
    return true;
}

static bool read_full(int fd, void *buf, size_t len)
{
    char *p = buf;
    while (len > 0) {
        ssize_t n = read(fd, p, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        p += n;
        len -= (size_t)n;
    }
    return true;
}

/* ------------------------------------------------------------------ the worker's side */

static void send_result(int fd, int index, const batch_job *job)
{
    GString *s = g_string_new(NULL);
    g_string_append_printf(s, "%d\n%d\n%d\n%.6f\n%s\n%s", index, (int)job->state, job->pages, job->seconds,
                           job->inputs ? job->inputs : "-", job->messages ? job->messages : "");
    uint32_t len = (uint32_t)s->len;
    write_full(fd, &len, sizeof len);
    write_full(fd, s->str, s->len);
    g_string_free(s, TRUE);
}

static G_NORETURN void worker_main(pool *p, int in, int out)
{
    for (size_t i = 0; i < G_N_ELEMENTS(kept_signals); i++)
        sigaction(kept_signals[i], &saved[i], NULL);
    close(self_pipe[0]);
    close(self_pipe[1]);
    batch_worker_state *w = batch_worker_state_new(p->styles_dir, p->quiet);
    int32_t index;
    while (read_full(in, &index, sizeof index)) {
        batch_job *job = g_ptr_array_index(p->jobs, index);
        batch_build_job(w, job);
        send_result(out, index, job);
    }
    _exit(0);
}

/* ------------------------------------------------------------------ the parent's side */

static worker *start_worker(pool *p)
{
    int jobs_pipe[2], results_pipe[2];
    if (pipe(jobs_pipe) != 0)
        return NULL;
    if (pipe(results_pipe) != 0) {
        close(jobs_pipe[0]);
        close(jobs_pipe[1]);
        return NULL;
    }
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    if (pid == 0) {
        close(jobs_pipe[1]);
        close(results_pipe[0]);
        /* the other workers' pipes: a worker that dies must close its own everywhere */
        for (guint i = 0; i < p->workers->len; i++) {
            worker *o = g_ptr_array_index(p->workers, i);
            if (o->to >= 0)
                close(o->to);
            if (o->from >= 0)
                close(o->from);
        }
        worker_main(p, jobs_pipe[0], results_pipe[1]);
    }
    close(jobs_pipe[0]);
    close(results_pipe[1]);
    if (pid < 0) {
        close(jobs_pipe[1]);
        close(results_pipe[0]);
        return NULL;
    }
    worker *w = g_new0(worker, 1);
    w->pid = pid;
    w->to = jobs_pipe[1];
    w->from = results_pipe[0];
    w->job = -1;
    w->in = g_byte_array_new();
    g_ptr_array_add(p->workers, w);
    return w;
}

/* Removes the temporary files a dead worker may have left for an output: ".NAME.XXXXXX"
 * beside it, and the same for its inputs record. */
static void remove_leftovers(const char *output)
{
    char *dir = g_path_get_dirname(output);
    char *base = g_path_get_basename(output);
    char *a = g_strdup_printf(".%s.", base), *b = g_strdup_printf("..%s.inputs.", base);
    DIR *d = opendir(dir);
    struct dirent *e;
    while (d && (e = readdir(d)) != NULL) {
        const char *n = e->d_name;
        size_t len = strlen(n);
        bool temp = (g_str_has_prefix(n, a) && len == strlen(a) + 6) || (g_str_has_prefix(n, b) && len == strlen(b) + 6);
        if (temp) {
            char *path = g_build_filename(dir, n, NULL);
            unlink(path);
            g_free(path);
        }
    }
    if (d)
        closedir(d);
    g_free(a);
    g_free(b);
    g_free(base);
    g_free(dir);
}

static void hand_out(pool *p, worker *w)
{
    if (stop_signal || g_queue_is_empty(&p->pending)) {
        if (w->to >= 0)
            close(w->to); /* no more: the worker ends */
        w->to = -1;
        return;
    }
    int32_t index = GPOINTER_TO_INT(g_queue_pop_head(&p->pending));
    batch_job *job = g_ptr_array_index(p->jobs, index);
    if (!write_full(w->to, &index, sizeof index)) {
        g_queue_push_head(&p->pending, GINT_TO_POINTER(index));
        close(w->to);
        w->to = -1;
        return;
    }
    w->job = index;
    job->state = JOB_RUNNING;
    batch_report_started(p->rep, job);
}

/* A complete result in the worker's buffer: applied to its job. */
static void take_results(pool *p, worker *w)
{
    uint32_t len;
    while (w->in->len >= sizeof len) {
        memcpy(&len, w->in->data, sizeof len);
        if (w->in->len < sizeof len + len)
            return;
        char *text = g_strndup((const char *)w->in->data + sizeof len, len);
        g_byte_array_remove_range(w->in, 0, (guint)(sizeof len + len));
        gchar **f = g_strsplit(text, "\n", 6);
        g_free(text);
        int index = f[0] ? atoi(f[0]) : -1;
        if (index >= 0 && index < (int)p->jobs->len && f[1] && f[2] && f[3] && f[4]) {
            batch_job *job = g_ptr_array_index(p->jobs, index);
            job->state = (batch_state)atoi(f[1]);
            job->pages = atoi(f[2]);
            job->seconds = g_ascii_strtod(f[3], NULL);
            g_free(job->inputs);
            job->inputs = strcmp(f[4], "-") ? g_strdup(f[4]) : NULL;
            g_free(job->messages);
            job->messages = f[5] && *f[5] ? g_strdup(f[5]) : NULL;
            w->job = -1;
            batch_report_finished(p->rep, job);
        }
        g_strfreev(f);
        hand_out(p, w);
    }
}

/* A worker's result pipe ended: it exited, or died; its job, if any, failed. */
static void reap(pool *p, worker *w)
{
    int status = 0;
    while (waitpid(w->pid, &status, 0) < 0 && errno == EINTR)
        ;
    if (WIFSIGNALED(status) && (WTERMSIG(status) == SIGINT || WTERMSIG(status) == SIGTERM ||
                                WTERMSIG(status) == SIGHUP) && !stop_signal)
        stop_signal = WTERMSIG(status);
    if (w->job >= 0) {
        batch_job *job = g_ptr_array_index(p->jobs, w->job);
        remove_leftovers(job->output);
        char *rec = batch_record_path(job->output);
        remove_leftovers(rec);
        g_free(rec);
        if (stop_signal) {
            job->state = JOB_STOPPED;
        } else {
            job->state = JOB_FAILED;
            g_free(job->messages);
            job->messages = WIFSIGNALED(status)
                                ? g_strdup_printf("%s: error: the worker building it died: signal %d (%s)", job->where,
                                                  WTERMSIG(status), strsignal(WTERMSIG(status)))
                                : g_strdup_printf("%s: error: the worker building it ended with status %d",
                                                  job->where, WEXITSTATUS(status));
        }
        batch_report_finished(p->rep, job);
        w->job = -1;
    }
    if (w->to >= 0)
        close(w->to);
    close(w->from);
    w->to = w->from = -1;
    w->pid = 0;
}

/* Reads what a worker sent; false when its pipe ended. */
static bool read_worker(pool *p, worker *w)
{
    guint8 buf[8192];
    ssize_t n = read(w->from, buf, sizeof buf);
    if (n < 0 && (errno == EINTR || errno == EAGAIN))
        return true;
    if (n <= 0)
        return false;
    g_byte_array_append(w->in, buf, (guint)n);
    take_results(p, w);
    return true;
}

static void install_handlers(void)
{
    for (size_t i = 0; i < G_N_ELEMENTS(kept_signals); i++)
        sigaction(kept_signals[i], NULL, &saved[i]);
    if (pipe(self_pipe) == 0) {
        fcntl(self_pipe[0], F_SETFL, O_NONBLOCK);
        fcntl(self_pipe[1], F_SETFL, O_NONBLOCK);
    }
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_stop;
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < G_N_ELEMENTS(stop_signals); i++) {
        if (saved[i].sa_handler == SIG_IGN)
            continue; /* nohup: an ignored signal stays ignored */
        sigaction(stop_signals[i], &sa, NULL);
    }
    signal(SIGPIPE, SIG_IGN); /* a dead worker's pipe is an error to handle, not an end */
}

static void restore_handlers(void)
{
    for (size_t i = 0; i < G_N_ELEMENTS(kept_signals); i++)
        sigaction(kept_signals[i], &saved[i], NULL);
    close(self_pipe[0]);
    close(self_pipe[1]);
    self_pipe[0] = self_pipe[1] = -1;
}

static gint by_cost(gconstpointer a, gconstpointer b, gpointer data)
{
    GPtrArray *jobs = data;
    const batch_job *x = g_ptr_array_index(jobs, GPOINTER_TO_INT(a));
    const batch_job *y = g_ptr_array_index(jobs, GPOINTER_TO_INT(b));
    if (x->cost != y->cost)
        return x->cost > y->cost ? -1 : 1;
    return x->order - y->order;
}

/* Starts workers while there are jobs for them and fewer than `want`. */
static void staff(pool *p, int want)
{
    int live = 0;
    for (guint i = 0; i < p->workers->len; i++)
        live += ((worker *)g_ptr_array_index(p->workers, i))->pid != 0;
    while (!stop_signal && live < want && (int)g_queue_get_length(&p->pending) > 0) {
        worker *w = start_worker(p);
        if (!w)
            break;
        hand_out(p, w);
        live++;
    }
}

/* The loop: wait for results, signals or a second to pass, until every worker is gone. */
static void run(pool *p, int want)
{
    for (;;) {
        staff(p, want);
        GArray *fds = g_array_new(FALSE, TRUE, sizeof(struct pollfd));
        GPtrArray *who = g_ptr_array_new();
        struct pollfd self = {self_pipe[0], POLLIN, 0};
        g_array_append_val(fds, self);
        for (guint i = 0; i < p->workers->len; i++) {
            worker *w = g_ptr_array_index(p->workers, i);
            if (w->pid == 0)
                continue;
            struct pollfd pf = {w->from, POLLIN, 0};
            g_array_append_val(fds, pf);
            g_ptr_array_add(who, w);
        }
        if (who->len == 0) {
            g_array_free(fds, TRUE);
            g_ptr_array_free(who, TRUE);
            if (stop_signal || g_queue_is_empty(&p->pending))
                return;
            /* no worker could be started: the rest fail */
            while (!g_queue_is_empty(&p->pending)) {
                batch_job *job = g_ptr_array_index(p->jobs, GPOINTER_TO_INT(g_queue_pop_head(&p->pending)));
                job->state = JOB_FAILED;
                job->messages = g_strdup_printf("%s: error: cannot start a worker process: %s", job->where,
                                                strerror(errno));
                batch_report_finished(p->rep, job);
            }
            return;
        }
        int n = poll((struct pollfd *)fds->data, fds->len, 1000);
        if (n == 0)
            batch_report_tick(p->rep);
        struct pollfd *pf = (struct pollfd *)fds->data;
        if (n > 0 && pf[0].revents) {
            char c[16];
            while (read(self_pipe[0], c, sizeof c) > 0)
                ;
        }
        for (guint i = 0; n > 0 && i < who->len; i++)
            if (pf[i + 1].revents && !read_worker(p, g_ptr_array_index(who, i)))
                reap(p, g_ptr_array_index(who, i));
        g_array_free(fds, TRUE);
        g_ptr_array_free(who, TRUE);
        if (stop_signal)
            for (guint i = 0; i < p->workers->len; i++) {
                worker *w = g_ptr_array_index(p->workers, i);
                if (w->pid != 0)
                    kill(w->pid, SIGTERM);
            }
    }
}

bool batch_run_pool(GPtrArray *jobs, int workers, const char *styles_dir, bool quiet, batch_report *rep)
{
    pool p = {jobs, g_ptr_array_new(), G_QUEUE_INIT, styles_dir, quiet, rep};
    for (guint i = 0; i < jobs->len; i++)
        if (((batch_job *)g_ptr_array_index(jobs, i))->state == JOB_PENDING)
            g_queue_push_tail(&p.pending, GINT_TO_POINTER((int)i));
    g_queue_sort(&p.pending, by_cost, jobs);
    stop_signal = 0;
    install_handlers();
    run(&p, workers < 1 ? 1 : workers);
    bool interrupted = stop_signal != 0;
    for (guint i = 0; i < jobs->len; i++) {
        batch_job *job = g_ptr_array_index(jobs, i);
        if (job->state == JOB_PENDING || job->state == JOB_RUNNING)
            job->state = JOB_STOPPED;
    }
    for (guint i = 0; i < p.workers->len; i++) {
        worker *w = g_ptr_array_index(p.workers, i);
        g_byte_array_free(w->in, TRUE);
        g_free(w);
    }
    g_ptr_array_free(p.workers, TRUE);
    g_queue_clear(&p.pending);
    restore_handlers();
    return !interrupted;
}
