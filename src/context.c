/* The engine context: diagnostics, options, allocation with failure injection. */
#include "context-private.h"

#include <stdlib.h>
#include <string.h>

#include <pango/pangocairo.h>

#include "format/hyphenate.h"

wb_ctx *wb_ctx_new(void)
{
    wb_ctx *ctx = calloc(1, sizeof *ctx);
    if (!ctx)
        return NULL;
    const char *sde = getenv("SOURCE_DATE_EPOCH");
    if (sde && *sde)
        ctx->date = strtoll(sde, NULL, 10);
    return ctx;
}

static void free_diags(wb_ctx *ctx)
{
    for (size_t i = 0; i < ctx->ndiags; i++) {
        free(ctx->diags[i].file);
        free(ctx->diags[i].message);
    }
    free(ctx->diags);
    ctx->diags = NULL;
    ctx->ndiags = ctx->capdiags = 0;
}

void wb_ctx_free(wb_ctx *ctx)
{
    if (!ctx)
        return;
    free_diags(ctx);
    for (size_t i = 0; i < ctx->nonce; i++)
        free(ctx->once_keys[i]);
    free(ctx->once_keys);
    wb_hyphenator_free(ctx->hyphenator);
    if (ctx->fontmap)
        g_object_unref(ctx->fontmap);
    free(ctx);
}

/* Diagnostics use plain malloc: reporting an allocation failure must not itself fail
 * through the injected allocator. */
static void add_diag(wb_ctx *ctx, wb_severity sev, const char *file, int line, int col,
                     const char *fmt, va_list ap)
{
    if (ctx->ndiags == ctx->capdiags) {
        size_t cap = ctx->capdiags ? ctx->capdiags * 2 : 16;
        wb_diagnostic *d = realloc(ctx->diags, cap * sizeof *d);
        if (!d)
            return;
        ctx->diags = d;
        ctx->capdiags = cap;
    }
    char *msg = NULL;
    if (vasprintf(&msg, fmt, ap) < 0)
        return;
    /* the same message at the same place is said once (formatting may pass twice) */
    for (size_t i = 0; i < ctx->ndiags; i++) {
        const wb_diagnostic *o = &ctx->diags[i];
        if (o->severity == sev && o->line == line && o->col == col && !strcmp(o->message, msg) &&
            ((!o->file && !file) || (o->file && file && !strcmp(o->file, file)))) {
            free(msg);
            return;
        }
    }
    wb_diagnostic *d = &ctx->diags[ctx->ndiags++];
    d->severity = sev;
    d->file = file ? strdup(file) : NULL;
    d->line = line;
    d->col = col;
    d->message = msg;
}

void wb_error(wb_ctx *ctx, wb_status status, const char *file, int line, int col,
              const char *fmt, ...)
{
    if (ctx->status == WB_OK) {
        ctx->status = status == WB_OK ? WB_ERR_INTERNAL : status;
        ctx->status_at = ctx->ndiags;
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

size_t wb_ctx_mark(const wb_ctx *ctx) { return ctx->ndiags; }

void wb_ctx_rollback(wb_ctx *ctx, size_t mark)
{
    while (ctx->ndiags > mark) {
        wb_diagnostic *d = &ctx->diags[--ctx->ndiags];
        free(d->file);
        free(d->message);
    }
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
    for (size_t i = 0; i < ctx->nonce; i++)
        if (strcmp(ctx->once_keys[i], key) == 0)
            return;
    if (ctx->nonce == ctx->caponce) {
        size_t cap = ctx->caponce ? ctx->caponce * 2 : 16;
        char **k = realloc(ctx->once_keys, cap * sizeof *k);
        if (!k)
            return;
        ctx->once_keys = k;
        ctx->caponce = cap;
    }
    char *copy = strdup(key);
    if (!copy)
        return;
    ctx->once_keys[ctx->nonce++] = copy;
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
    *count = ctx->ndiags;
    return ctx->diags;
}

void wb_ctx_report(wb_ctx *ctx, FILE *out)
{
    static const char *const sev[] = {"note", "warning", "error"};
    for (size_t i = 0; i < ctx->ndiags; i++) {
        const wb_diagnostic *d = &ctx->diags[i];
        if (d->file && d->line > 0)
            fprintf(out, "%s:%d:%d: %s: %s\n", d->file, d->line, d->col > 0 ? d->col : 1,
                    sev[d->severity], d->message);
        else if (d->file)
            fprintf(out, "%s: %s: %s\n", d->file, sev[d->severity], d->message);
        else
            fprintf(out, "workbook: %s: %s\n", sev[d->severity], d->message);
    }
    free_diags(ctx);
}

void wb_ctx_clear(wb_ctx *ctx)
{
    free_diags(ctx);
    ctx->status = WB_OK;
}

void wb_ctx_set_quiet(wb_ctx *ctx, bool quiet) { ctx->quiet = quiet; }
void wb_ctx_set_date(wb_ctx *ctx, long long epoch) { ctx->date = epoch; }
long long wb_ctx_date(const wb_ctx *ctx) { return ctx->date; }
void wb_ctx_fail_alloc_after(wb_ctx *ctx, long n) { ctx->fail_after = n; }

static bool injected_failure(wb_ctx *ctx)
{
    if (ctx->fail_after <= 0)
        return false;
    if (--ctx->fail_after == 0) {
        wb_error(ctx, WB_ERR_NOMEM, NULL, 0, 0, "out of memory (injected)");
        return true;
    }
    return false;
}

static void *nomem(wb_ctx *ctx)
{
    wb_error(ctx, WB_ERR_NOMEM, NULL, 0, 0, "out of memory");
    return NULL;
}

void *wb_malloc(wb_ctx *ctx, size_t size)
{
    if (injected_failure(ctx))
        return NULL;
    void *p = malloc(size ? size : 1);
    return p ? p : nomem(ctx);
}

void *wb_calloc(wb_ctx *ctx, size_t n, size_t size)
{
    if (injected_failure(ctx))
        return NULL;
    void *p = calloc(n ? n : 1, size ? size : 1);
    return p ? p : nomem(ctx);
}

void *wb_realloc(wb_ctx *ctx, void *p, size_t size)
{
    if (injected_failure(ctx))
        return NULL;
    void *q = realloc(p, size ? size : 1);
    return q ? q : nomem(ctx);
}

char *wb_strndup(wb_ctx *ctx, const char *s, size_t n)
{
    char *p = wb_malloc(ctx, n + 1);
    if (p) {
        memcpy(p, s, n);
        p[n] = 0;
    }
    return p;
}

char *wb_strdup(wb_ctx *ctx, const char *s) { return wb_strndup(ctx, s, strlen(s)); }
