/* What a batch tells while it runs and after: on a terminal one live line (editions done of
 * all, pages, time left, the editions being built), otherwise a line per finished edition;
 * each edition's messages as it finishes; a summary at the end; the JSON report.  All of it
 * on standard error but the JSON, which goes to its own file.  Hands on batch_report_* and
 * batch_write_json. */
#include "batch/batch-private.h"

#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "output.h"

struct batch_report {
    GPtrArray *jobs;
    bool quiet, live;
    gint64 start;
    int total, done, built, failed, pages;
    double cost_total, cost_done;
    GPtrArray *running; /* batch_job *, borrowed */
    bool line_shown;
};

batch_report *batch_report_new(GPtrArray *jobs, bool quiet, bool live)
{
    batch_report *r = g_new0(batch_report, 1);
    r->jobs = jobs;
    r->quiet = quiet;
    r->live = live && !quiet;
    r->start = g_get_monotonic_time();
    r->running = g_ptr_array_new();
    for (guint i = 0; i < jobs->len; i++) {
        batch_job *j = g_ptr_array_index(jobs, i);
        if (j->state == JOB_PENDING) {
            r->total++;
            r->cost_total += j->cost;
        }
    }
    return r;
}

void batch_report_free(batch_report *r)
{
    if (!r)
        return;
    g_ptr_array_free(r->running, TRUE);
    g_free(r);
}

static double elapsed(const batch_report *r) { return (double)(g_get_monotonic_time() - r->start) / 1e6; }

static void clear_line(batch_report *r)
{
    if (r->line_shown)
        fputs("\r\033[K", stderr);
    r->line_shown = false;
}

static int terminal_width(void)
{
    struct winsize ws;
    if (ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 20)
        return ws.ws_col;
    return 80;
}

void batch_report_tick(batch_report *r)
{
    if (!r->live)
        return;
    GString *s = g_string_new(NULL);
    g_string_append_printf(s, "[%d/%d] %d pages", r->done, r->total, r->pages);
    if (r->cost_done > 0 && r->done < r->total) {
        double left = elapsed(r) * (r->cost_total - r->cost_done) / r->cost_done;
        g_string_append_printf(s, ", %d:%02d left", (int)left / 60, (int)left % 60);
    }
    for (guint i = 0; i < r->running->len; i++) {
        const batch_job *j = g_ptr_array_index(r->running, i);
        g_string_append_printf(s, "%s%s", i ? ", " : " · ", j->name);
    }
    /* one line: cut to the terminal's width, on a character boundary */
    int width = terminal_width() - 1;
    if (g_utf8_strlen(s->str, -1) > width) {
        char *end = g_utf8_offset_to_pointer(s->str, width - 1);
        g_string_truncate(s, (gsize)(end - s->str));
        g_string_append(s, "…");
    }
    fprintf(stderr, "\r%s\033[K", s->str);
    fflush(stderr);
    r->line_shown = true;
    g_string_free(s, TRUE);
}

void batch_report_started(batch_report *r, batch_job *job)
{
    g_ptr_array_add(r->running, job);
    batch_report_tick(r);
}

void batch_report_finished(batch_report *r, batch_job *job)
{
    g_ptr_array_remove(r->running, job);
    if (job->state == JOB_STOPPED)
        return;
    r->done++;
    r->cost_done += job->cost;
    r->pages += job->pages;
    if (job->state == JOB_BUILT)
        r->built++;
    else
        r->failed++;
    clear_line(r);
    if (job->state == JOB_FAILED)
        fprintf(stderr, "batch: FAILED %s (%s %s %s, %s)\n", job->output, job->course_name, job->lang ? job->lang : "",
                job->edition, job->where);
    else if (!r->quiet && !r->live)
        fprintf(stderr, "batch: built %s (%d page%s, %.1f s)\n", job->output, job->pages, job->pages == 1 ? "" : "s",
                job->seconds);
    if (job->messages)
        fprintf(stderr, "%s\n", job->messages);
    batch_report_tick(r);
}

void batch_report_summary(batch_report *r, bool interrupted)
{
    clear_line(r);
    int up = 0, stopped = 0, failed = 0, pages = 0;
    for (guint i = 0; i < r->jobs->len; i++) {
        const batch_job *j = g_ptr_array_index(r->jobs, i);
        up += j->state == JOB_UP_TO_DATE;
        stopped += j->state == JOB_STOPPED;
        failed += j->state == JOB_FAILED;
        pages += j->state == JOB_BUILT ? j->pages : 0;
    }
    if (r->quiet && !interrupted)
        return;
    fprintf(stderr, "batch: %s%u editions: %d built, %d up to date, %d failed", interrupted ? "interrupted: " : "",
            r->jobs->len, r->built, up, failed);
    if (stopped)
        fprintf(stderr, ", %d not built", stopped);
    fprintf(stderr, "; %d pages in %.1f s\n", pages, elapsed(r));
}

/* ------------------------------------------------------------------ JSON */

static void json_string(GString *s, const char *v)
{
    if (!v) {
        g_string_append(s, "null");
        return;
    }
    g_string_append_c(s, '"');
    for (const unsigned char *p = (const unsigned char *)v; *p; p++) {
        if (*p == '"' || *p == '\\')
            g_string_append_printf(s, "\\%c", *p);
        else if (*p == '\n')
            g_string_append(s, "\\n");
        else if (*p == '\t')
            g_string_append(s, "\\t");
        else if (*p < 0x20)
            g_string_append_printf(s, "\\u%04x", *p);
        else
            g_string_append_c(s, (char)*p);
    }
    g_string_append_c(s, '"');
}

static const char *state_name(batch_state st)
{
    switch (st) {
    case JOB_UP_TO_DATE: return "up-to-date";
    case JOB_BUILT: return "built";
    case JOB_FAILED: return "failed";
    default: return "not-built";
    }
}

static void json_job(GString *s, const batch_job *j)
{
    const char *const fields[][2] = {
        {"output", j->output}, {"course", j->course}, {"lang", j->lang}, {"edition", j->edition},
        {"paper", j->paper}, {"brand", j->brand}, {"audience", j->audience},
        {"participant", j->person ? j->person->name : NULL}, {"status", state_name(j->state)},
        {"inputs", j->inputs}, {"entry", j->where},
    };
    g_string_append(s, "    {");
    for (size_t i = 0; i < G_N_ELEMENTS(fields); i++) {
        g_string_append_printf(s, "%s\"%s\": ", i ? ", " : "", fields[i][0]);
        json_string(s, fields[i][1]);
    }
    g_string_append_printf(s, ", \"pages\": %d, \"seconds\": %.3f, \"messages\": [", j->pages, j->seconds);
    gchar **lines = g_strsplit(j->messages ? j->messages : "", "\n", -1);
    for (int i = 0, n = 0; lines[i]; i++)
        if (*lines[i]) {
            g_string_append(s, n++ ? ", " : "");
            json_string(s, lines[i]);
        }
    g_strfreev(lines);
    g_string_append(s, "]}");
}

wb_status batch_write_json(wb_ctx *ctx, GPtrArray *jobs, const char *path)
{
    GString *s = g_string_new("{\n  \"editions\": [\n");
    int counts[JOB_STOPPED + 1] = {0};
    for (guint i = 0; i < jobs->len; i++) {
        const batch_job *j = g_ptr_array_index(jobs, i);
        json_job(s, j);
        g_string_append(s, i + 1 < jobs->len ? ",\n" : "\n");
        counts[j->state]++;
    }
    g_string_append_printf(s, "  ],\n  \"summary\": {\"editions\": %u, \"built\": %d, \"up-to-date\": %d, "
                              "\"failed\": %d, \"not-built\": %d}\n}\n",
                           jobs->len, counts[JOB_BUILT], counts[JOB_UP_TO_DATE], counts[JOB_FAILED],
                           counts[JOB_STOPPED] + counts[JOB_PENDING] + counts[JOB_RUNNING]);
    wb_status st = WB_ERR_IO;
    wb_output *o = wb_output_open(ctx, path, 0);
    if (o && wb_output_write(o, s->str, s->len))
        st = wb_output_commit(o);
    else
        wb_output_abort(o);
    g_string_free(s, TRUE);
    return st;
}
