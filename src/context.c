/* The engine context: diagnostics with their positions, the first error, options. */
#include "context-private.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

/* ------------------------------------------------------------------ limits */

static const struct {
    const char *env;
    unsigned long long value;
} limit_defaults[WB_LIMIT_COUNT] = {
    [WB_LIMIT_INPUT_BYTES] = {"WB_MAX_INPUT", 64ULL << 20},
    [WB_LIMIT_DEPTH] = {"WB_MAX_DEPTH", 256},
    [WB_LIMIT_PAGES] = {"WB_MAX_PAGES", 10000},
    [WB_LIMIT_SECONDS] = {"WB_MAX_SECONDS", 60},
    [WB_LIMIT_NODES] = {"WB_MAX_NODES", 2000000},
    [WB_LIMIT_MEMORY] = {"WB_MAX_MEMORY", 1ULL << 30},
    [WB_LIMIT_PIXELS] = {"WB_MAX_PIXELS", 100000000},
};

const char *wb_limit_env(wb_limit which)
{
    return which < WB_LIMIT_COUNT ? limit_defaults[which].env : "";
}

unsigned long long wb_limit_default(wb_limit which)
{
    return which < WB_LIMIT_COUNT ? limit_defaults[which].value : 0;
}

bool wb_limit_parse(const char *text, unsigned long long *value)
{
    if (!text || !g_ascii_isdigit(*text))
        return false;
    errno = 0;
    char *end = NULL;
    unsigned long long v = strtoull(text, &end, 10);
    if (errno)
        return false;
    int shift = 0;
    switch (*end) {
    case 'k': case 'K': shift = 10; end++; break;
    case 'm': case 'M': shift = 20; end++; break;
    case 'g': case 'G': shift = 30; end++; break;
    default: break;
    }
    if (*end || (shift && v > (ULLONG_MAX >> shift)))
        return false;
    *value = v << shift;
    return true;
}

void wb_ctx_set_limit(wb_ctx *ctx, wb_limit which, unsigned long long value)
{
    if (which < WB_LIMIT_COUNT)
        ctx->limits[which] = value;
}

unsigned long long wb_ctx_limit(const wb_ctx *ctx, wb_limit which)
{
    return which < WB_LIMIT_COUNT ? ctx->limits[which] : 0;
}

bool wb_ctx_over_limit(const wb_ctx *ctx, wb_limit which, unsigned long long value)
{
    unsigned long long l = wb_ctx_limit(ctx, which);
    return l != 0 && value > l;
}

/* The defaults, then what the environment says; a value that is not one is a warning. */
static void limits_from_environment(wb_ctx *ctx)
{
    for (int i = 0; i < WB_LIMIT_COUNT; i++) {
        ctx->limits[i] = limit_defaults[i].value;
        const char *v = getenv(limit_defaults[i].env);
        if (!v || !*v)
            continue;
        unsigned long long n;
        if (wb_limit_parse(v, &n))
            ctx->limits[i] = n;
        else
            wb_warning(ctx, NULL, 0, 0, "%s=%s is not a number (with an optional K, M or G): the limit stays %llu",
                       limit_defaults[i].env, v, limit_defaults[i].value);
    }
}

/* ------------------------------------------------------------------ read folders */

void wb_ctx_add_read_folder(wb_ctx *ctx, const char *folder)
{
    if (!folder)
        return;
    for (guint i = 0; i + 1 < ctx->read_folders->len; i++)
        if (!strcmp(g_ptr_array_index(ctx->read_folders, i), folder))
            return;
    g_ptr_array_index(ctx->read_folders, ctx->read_folders->len - 1) = g_strdup(folder);
    g_ptr_array_add(ctx->read_folders, NULL);
}

const char *const *wb_ctx_read_folders(const wb_ctx *ctx)
{
    return (const char *const *)ctx->read_folders->pdata;
}

void wb_ctx_set_confined(wb_ctx *ctx, bool confined) { ctx->confined = confined; }
bool wb_ctx_confined(const wb_ctx *ctx) { return ctx->confined; }

char *wb_path_canonical(const char *path)
{
    char real[PATH_MAX];
    if (realpath(path, real))
        return g_strdup(real);
    char *dir = g_path_get_dirname(path), *base = g_path_get_basename(path), *out = NULL;
    if (realpath(dir, real) && strcmp(base, "..") && strcmp(base, "."))
        out = g_build_filename(real, base, NULL);
    g_free(dir);
    g_free(base);
    return out;
}

bool wb_path_within(const char *real, const char *folder)
{
    size_t n = strlen(folder);
    return !strncmp(real, folder, n) && (real[n] == '/' || real[n] == 0 || (n == 1 && folder[0] == '/'));
}

bool wb_ctx_may_read(const wb_ctx *ctx, const char *path)
{
    char *real = wb_path_canonical(path);
    bool ok = false;
    for (guint i = 0; real && !ok && i + 1 < ctx->read_folders->len; i++) {
        char folder[PATH_MAX];
        ok = realpath(g_ptr_array_index(ctx->read_folders, i), folder) && wb_path_within(real, folder);
    }
    g_free(real);
    return ok;
}

/* ------------------------------------------------------------------ the context */

#define LOCK(ctx) pthread_mutex_lock(&((wb_ctx *)(ctx))->lock)
#define UNLOCK(ctx) pthread_mutex_unlock(&((wb_ctx *)(ctx))->lock)

wb_ctx *wb_ctx_new(void)
{
    wb_ctx *ctx = g_new0(wb_ctx, 1);
    pthread_mutex_init(&ctx->lock, NULL);
    ctx->diags = g_array_new(FALSE, TRUE, sizeof(wb_diagnostic));
    ctx->once_keys = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    const char *sde = getenv("SOURCE_DATE_EPOCH");
    if (sde && *sde)
        ctx->date = strtoll(sde, NULL, 10);
    ctx->read_folders = g_ptr_array_new_with_free_func(g_free);
    g_ptr_array_add(ctx->read_folders, NULL);
    limits_from_environment(ctx);
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
    g_ptr_array_free(ctx->read_folders, TRUE);
    pthread_mutex_destroy(&ctx->lock);
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
    LOCK(ctx);
    if (ctx->status == WB_OK) {
        ctx->status = status == WB_OK ? WB_ERR_INTERNAL : status;
        ctx->status_at = ctx->diags->len;
    }
    va_list ap;
    va_start(ap, fmt);
    add_diag(ctx, WB_SEV_ERROR, file, line, col, fmt, ap);
    va_end(ap);
    UNLOCK(ctx);
}

void wb_note(wb_ctx *ctx, const char *file, int line, int col, const char *fmt, ...)
{
    if (ctx->quiet)
        return;
    va_list ap;
    va_start(ap, fmt);
    LOCK(ctx);
    add_diag(ctx, WB_SEV_NOTE, file, line, col, fmt, ap);
    UNLOCK(ctx);
    va_end(ap);
}

size_t wb_ctx_mark(const wb_ctx *ctx)
{
    LOCK(ctx);
    size_t n = ctx->diags->len;
    UNLOCK(ctx);
    return n;
}

void wb_ctx_rollback(wb_ctx *ctx, size_t mark)
{
    LOCK(ctx);
    drop_diags(ctx, mark);
    if (ctx->status != WB_OK && ctx->status_at >= mark)
        ctx->status = WB_OK;
    UNLOCK(ctx);
}

void wb_warning(wb_ctx *ctx, const char *file, int line, int col, const char *fmt, ...)
{
    if (ctx->quiet)
        return;
    va_list ap;
    va_start(ap, fmt);
    LOCK(ctx);
    add_diag(ctx, WB_SEV_WARNING, file, line, col, fmt, ap);
    UNLOCK(ctx);
    va_end(ap);
}

void wb_warning_once(wb_ctx *ctx, const char *key, const char *file, int line, int col,
                     const char *fmt, ...)
{
    LOCK(ctx);
    if (!g_hash_table_contains(ctx->once_keys, key)) {
        g_hash_table_add(ctx->once_keys, g_strdup(key));
        if (!ctx->quiet) {
            va_list ap;
            va_start(ap, fmt);
            add_diag(ctx, WB_SEV_WARNING, file, line, col, fmt, ap);
            va_end(ap);
        }
    }
    UNLOCK(ctx);
}

wb_status wb_ctx_status(const wb_ctx *ctx)
{
    LOCK(ctx);
    wb_status st = ctx->status;
    UNLOCK(ctx);
    return st;
}

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
        ctx->stats_since = wb_clock();
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
    LOCK(ctx);
    for (guint i = 0; i < ctx->stats->len; i++) {
        wb_stage_stat *st = &g_array_index(ctx->stats, wb_stage_stat, i);
        if (!strcmp(st->stage, stage)) {
            st->seconds += seconds;
            st->peak_kib = peak;
            st->count++;
            UNLOCK(ctx);
            return;
        }
    }
    wb_stage_stat st = {g_strdup(stage), seconds, peak, 1};
    g_array_append_val(ctx->stats, st);
    UNLOCK(ctx);
}

void wb_ctx_report_stats(const wb_ctx *ctx, FILE *out)
{
    if (!ctx->stats)
        return;
    fprintf(out, "%-26s %9s %12s\n", "stage", "seconds", "peak MiB");
    for (guint i = 0; i < ctx->stats->len; i++) {
        const wb_stage_stat *st = &g_array_index(ctx->stats, wb_stage_stat, i);
        fprintf(out, "%-26s %9.3f %12.1f\n", st->stage, st->seconds, st->peak_kib / 1024.0);
    }
    /* the time since timing began, not the stages' sum: pages are rendered beside the
     * formatter's last pass when a page relay runs (page/relay.h) */
    double total = wb_clock() - ctx->stats_since;
    struct rusage ru;
    long peak = getrusage(RUSAGE_SELF, &ru) == 0 ? ru.ru_maxrss : 0;
    fprintf(out, "%-26s %9.3f %12.1f\n", "total", total, peak / 1024.0);
}
