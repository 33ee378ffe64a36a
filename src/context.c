/* The engine context: diagnostics with their positions, the first error, options. */
#include "context-private.h"

#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

wb_ctx *wb_ctx_new(void)
{
    wb_ctx *ctx = g_new0(wb_ctx, 1);
    ctx->diags = g_array_new(FALSE, TRUE, sizeof(wb_diagnostic));
    ctx->once_keys = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    const char *sde = getenv("SOURCE_DATE_EPOCH");
    if (sde && *sde)
        ctx->date = strtoll(sde, NULL, 10);
    return ctx;
}

/* Forgets the diagnostics from index `from` on. */
static void drop_diags(wb_ctx *ctx, size_t from)
{
    for (size_t i = from; i < ctx->diags->len; i++) {
        wb_diagnostic *d = &g_array_index(ctx->diags, wb_diagnostic, i);
        g_free(d->file);
        g_free(d->message);
    }
    if (from < ctx->diags->len)
        g_array_set_size(ctx->diags, from);
}

void wb_ctx_free(wb_ctx *ctx)
{
    if (!ctx)
        return;
    drop_diags(ctx, 0);
    g_array_free(ctx->diags, TRUE);
    g_hash_table_destroy(ctx->once_keys);
    wb_ctx_set_stats(ctx, false);
    g_free(ctx);
}

static void add_diag(wb_ctx *ctx, wb_severity sev, const char *file, int line, int col,
                     const char *fmt, va_list ap)
{
    char *msg = g_strdup_vprintf(fmt, ap);
    /* the same message at the same place is said once (formatting may pass twice) */
    for (size_t i = 0; i < ctx->diags->len; i++) {
        const wb_diagnostic *o = &g_array_index(ctx->diags, wb_diagnostic, i);
        if (o->severity == sev && o->line == line && o->col == col && !strcmp(o->message, msg) &&
            g_strcmp0(o->file, file) == 0) {
            g_free(msg);
            return;
        }
    }
    wb_diagnostic d = {.severity = sev, .file = g_strdup(file), .line = line, .col = col, .message = msg};
    g_array_append_val(ctx->diags, d);
}

void wb_error(wb_ctx *ctx, wb_status status, const char *file, int line, int col,
              const char *fmt, ...)
{
    if (ctx->status == WB_OK) {
        ctx->status = status == WB_OK ? WB_ERR_INTERNAL : status;
        ctx->status_at = ctx->diags->len;
    }
    va_list ap;
    va_start(ap, fmt);
    add_diag(ctx, WB_SEV_ERROR, file, line, col, fmt, ap);
    va_end(ap);
}

void wb_note(wb_ctx *ctx, const char *file, int line, int col, const char *fmt, ...)
{
    if (ctx->quiet)
        return;
    va_list ap;
    va_start(ap, fmt);
    add_diag(ctx, WB_SEV_NOTE, file, line, col, fmt, ap);
    va_end(ap);
}

size_t wb_ctx_mark(const wb_ctx *ctx) { return ctx->diags->len; }

void wb_ctx_rollback(wb_ctx *ctx, size_t mark)
{
    drop_diags(ctx, mark);
    if (ctx->status != WB_OK && ctx->status_at >= mark)
        ctx->status = WB_OK;
}

void wb_warning(wb_ctx *ctx, const char *file, int line, int col, const char *fmt, ...)
{
    if (ctx->quiet)
        return;
    va_list ap;
    va_start(ap, fmt);
    add_diag(ctx, WB_SEV_WARNING, file, line, col, fmt, ap);
    va_end(ap);
}

void wb_warning_once(wb_ctx *ctx, const char *key, const char *file, int line, int col,
                     const char *fmt, ...)
{
    if (g_hash_table_contains(ctx->once_keys, key))
        return;
    g_hash_table_add(ctx->once_keys, g_strdup(key));
    if (ctx->quiet)
        return;
    va_list ap;
    va_start(ap, fmt);
    add_diag(ctx, WB_SEV_WARNING, file, line, col, fmt, ap);
    va_end(ap);
}

wb_status wb_ctx_status(const wb_ctx *ctx) { return ctx->status; }

const wb_diagnostic *wb_ctx_diagnostics(const wb_ctx *ctx, size_t *count)
{
    *count = ctx->diags->len;
    return (const wb_diagnostic *)ctx->diags->data;
}

void wb_ctx_report(wb_ctx *ctx, FILE *out)
{
    static const char *const sev[] = {"note", "warning", "error"};
    for (size_t i = 0; i < ctx->diags->len; i++) {
        const wb_diagnostic *d = &g_array_index(ctx->diags, wb_diagnostic, i);
        if (d->file && d->line > 0)
            fprintf(out, "%s:%d:%d: %s: %s\n", d->file, d->line, d->col > 0 ? d->col : 1,
                    sev[d->severity], d->message);
        else if (d->file)
            fprintf(out, "%s: %s: %s\n", d->file, sev[d->severity], d->message);
        else
            fprintf(out, "workbook: %s: %s\n", sev[d->severity], d->message);
    }
    drop_diags(ctx, 0);
}

void wb_ctx_clear(wb_ctx *ctx)
{
    drop_diags(ctx, 0);
    ctx->status = WB_OK;
}

void wb_ctx_set_quiet(wb_ctx *ctx, bool quiet) { ctx->quiet = quiet; }
bool wb_ctx_quiet(const wb_ctx *ctx) { return ctx->quiet; }
void wb_ctx_set_date(wb_ctx *ctx, long long epoch) { ctx->date = epoch; }
long long wb_ctx_date(const wb_ctx *ctx) { return ctx->date; }

/* ------------------------------------------------------------------ timing */

typedef struct wb_stage_stat {
    char *stage;
    double seconds;
    long peak_kib; /* the process's peak resident memory when the stage last added */
    int count;
} wb_stage_stat;

void wb_ctx_set_stats(wb_ctx *ctx, bool on)
{
    if (on && !ctx->stats) {
        ctx->stats = g_array_new(FALSE, TRUE, sizeof(wb_stage_stat));
    } else if (!on && ctx->stats) {
        for (guint i = 0; i < ctx->stats->len; i++)
            g_free(g_array_index(ctx->stats, wb_stage_stat, i).stage);
        g_array_free(ctx->stats, TRUE);
        ctx->stats = NULL;
    }
}

bool wb_ctx_stats(const wb_ctx *ctx) { return ctx->stats != NULL; }

double wb_clock(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

void wb_ctx_stat_add(wb_ctx *ctx, const char *stage, double seconds)
{
    if (!ctx->stats)
        return;
    struct rusage ru;
    long peak = getrusage(RUSAGE_SELF, &ru) == 0 ? ru.ru_maxrss : 0;
    for (guint i = 0; i < ctx->stats->len; i++) {
        wb_stage_stat *st = &g_array_index(ctx->stats, wb_stage_stat, i);
        if (!strcmp(st->stage, stage)) {
            st->seconds += seconds;
            st->peak_kib = peak;
            st->count++;
            return;
        }
    }
    wb_stage_stat st = {g_strdup(stage), seconds, peak, 1};
    g_array_append_val(ctx->stats, st);
}

void wb_ctx_report_stats(const wb_ctx *ctx, FILE *out)
{
    if (!ctx->stats)
        return;
    double total = 0;
    fprintf(out, "%-26s %9s %12s\n", "stage", "seconds", "peak MiB");
    for (guint i = 0; i < ctx->stats->len; i++) {
        const wb_stage_stat *st = &g_array_index(ctx->stats, wb_stage_stat, i);
        fprintf(out, "%-26s %9.3f %12.1f\n", st->stage, st->seconds, st->peak_kib / 1024.0);
        total += st->seconds;
    }
    struct rusage ru;
    long peak = getrusage(RUSAGE_SELF, &ru) == 0 ? ru.ru_maxrss : 0;
    fprintf(out, "%-26s %9.3f %12.1f\n", "total", total, peak / 1024.0);
}
