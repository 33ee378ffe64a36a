/* The engine context: options, diagnostics and caches shared by every stage.
 *
 * Every public call takes a wb_ctx first.  Diagnostics are gathered on the context with their
 * source position and printed together at the end of a stage (wb_ctx_report).  The first error
 * is kept as the context's status: later failures never overwrite it.
 *
 * Memory comes from GLib, which ends the program when it runs out (as pango and cairo, on
 * which the engine stands, cannot go on without memory either).
 *
 * Ownership: wb_ctx_new gives the caller a context to free with wb_ctx_free.  Strings passed in
 * are copied; strings returned are borrowed from the context. */
#ifndef WORKBOOK_CONTEXT_H
#define WORKBOOK_CONTEXT_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

typedef struct wb_ctx wb_ctx;

/* Status codes; also the command line's exit statuses for the first three. */
typedef enum {
    WB_OK = 0,
    WB_ERR_INPUT = 1, /* bad input: malformed XML, invalid course, unreadable file */
    WB_ERR_USAGE = 2, /* bad usage: unknown option, edition, format */
    WB_ERR_IO = 3,    /* the output could not be written */
    WB_ERR_NOMEM = 4, /* an allocation failed */
    WB_ERR_INTERNAL = 5
} wb_status;

typedef enum { WB_SEV_NOTE, WB_SEV_WARNING, WB_SEV_ERROR } wb_severity;

typedef struct wb_diagnostic {
    wb_severity severity;
    char *file; /* may be NULL */
    int line;   /* 0 when unknown */
    int col;    /* 0 when unknown */
    char *message;
} wb_diagnostic;

/* A new context with default options.  Free with wb_ctx_free. */
wb_ctx *wb_ctx_new(void);
void wb_ctx_free(wb_ctx *ctx);

/* Records a diagnostic.  An error also sets the context status to `status` if none is set yet.
 * `file` may be NULL; line and col 0 when unknown. */
void wb_error(wb_ctx *ctx, wb_status status, const char *file, int line, int col,
              const char *fmt, ...) __attribute__((format(printf, 6, 7)));
void wb_warning(wb_ctx *ctx, const char *file, int line, int col, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
/* A note: information, such as a stylesheet's xsl:message; not gathered when quiet. */
void wb_note(wb_ctx *ctx, const char *file, int line, int col, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
/* Like wb_warning but reported only the first time `key` is seen on this context (for
 * "unsupported property X" warnings that would otherwise repeat on every page). */
void wb_warning_once(wb_ctx *ctx, const char *key, const char *file, int line, int col,
                     const char *fmt, ...) __attribute__((format(printf, 6, 7)));

/* The first error status recorded, WB_OK if none. */
wb_status wb_ctx_status(const wb_ctx *ctx);
/* Gathered diagnostics, borrowed; *count receives their number. */
const wb_diagnostic *wb_ctx_diagnostics(const wb_ctx *ctx, size_t *count);
/* Prints the gathered diagnostics as "file:line:col: severity: message" and forgets them. */
void wb_ctx_report(wb_ctx *ctx, FILE *out);
/* Forgets diagnostics and status (for reusing a context across documents). */
void wb_ctx_clear(wb_ctx *ctx);

/* Warnings are gathered unless quiet. */
void wb_ctx_set_quiet(wb_ctx *ctx, bool quiet);
bool wb_ctx_quiet(const wb_ctx *ctx);

/* Fixed document date for reproducible output, seconds since the epoch; by default taken
 * from SOURCE_DATE_EPOCH, else 0 meaning "now".  */
void wb_ctx_set_date(wb_ctx *ctx, long long epoch);
long long wb_ctx_date(const wb_ctx *ctx);

/* Timing by stage (the command line's --stats): when on, stages add the seconds they take
 * under a name ("load", "transform", "format: pass 1", "render", "pdf post-pass"), each with
 * the process's peak memory when it last added; wb_ctx_report_stats prints them in the order
 * first seen. */
void wb_ctx_set_stats(wb_ctx *ctx, bool on);
bool wb_ctx_stats(const wb_ctx *ctx);
/* A monotonic clock in seconds, to measure what is added. */
double wb_clock(void);
void wb_ctx_stat_add(wb_ctx *ctx, const char *stage, double seconds);
void wb_ctx_report_stats(const wb_ctx *ctx, FILE *out);

#endif
