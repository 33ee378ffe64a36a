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

/* Limits that keep a broken or hostile input from exhausting the machine (README,
 * "Security").  Each has a default, is read from its environment variable by wb_ctx_new
 * (WB_MAX_PAGES=20000; sizes take a K, M or G suffix), and can be set with wb_ctx_set_limit;
 * 0 means no limit.  Going over one is an error at the position of what went over. */
typedef enum {
    WB_LIMIT_INPUT_BYTES, /* a file read as XML or as an image, in bytes (WB_MAX_INPUT, 64M) */
    WB_LIMIT_DEPTH,       /* elements nested in a document after XInclude, and in a
                           * transformation's result (WB_MAX_DEPTH, 256; libxml2 also stops
                           * one file at 256) */
    WB_LIMIT_PAGES,       /* pages of one formatted document (WB_MAX_PAGES, 10000) */
    WB_LIMIT_SECONDS,     /* run time of one transformation (WB_MAX_SECONDS, 60) */
    WB_LIMIT_NODES,       /* nodes one transformation makes (WB_MAX_NODES, 2000000) */
    WB_LIMIT_MEMORY,      /* memory one transformation holds, in bytes (WB_MAX_MEMORY, 1G) */
    WB_LIMIT_PIXELS,      /* pixels of an image, decoded at 4 bytes each, or of a PNG page
                           * (WB_MAX_PIXELS, 100000000) */
    WB_LIMIT_COUNT
} wb_limit;

void wb_ctx_set_limit(wb_ctx *ctx, wb_limit which, unsigned long long value);
/* The limit, 0 for none. */
unsigned long long wb_ctx_limit(const wb_ctx *ctx, wb_limit which);
/* True when `value` is over the limit (never when there is none). */
bool wb_ctx_over_limit(const wb_ctx *ctx, wb_limit which, unsigned long long value);
/* The limit's environment variable, "WB_MAX_PAGES"; its default. */
const char *wb_limit_env(wb_limit which);
unsigned long long wb_limit_default(wb_limit which);
/* A limit as written: digits with an optional K, M or G (powers of 1024).  False when the
 * text is not one. */
bool wb_limit_parse(const char *text, unsigned long long *value);

/* Folders a stylesheet may read (document(), xsl:import, xsl:include, external entities)
 * besides the source document's folder and the stylesheet's own: wb_build adds the styles
 * folder.  The path is copied; wb_ctx_read_folders returns them NULL-terminated, borrowed. */
void wb_ctx_add_read_folder(wb_ctx *ctx, const char *folder);
const char *const *wb_ctx_read_folders(const wb_ctx *ctx);
/* Images the formatter reads: once confined, only inside the read folders.  wb_build confines
 * them to the course's folder, the styles folder and its stylesheet's folder; `workbook render
 * --confine` to the FO file's folder and those of --allow-read. */
void wb_ctx_set_confined(wb_ctx *ctx, bool confined);
bool wb_ctx_confined(const wb_ctx *ctx);
/* Whether `path` lies inside one of the read folders, symbolic links resolved on both sides
 * (a path that does not exist: its folder resolved). */
bool wb_ctx_may_read(const wb_ctx *ctx, const char *path);
/* The canonical path a path would have: realpath of the file, or of its folder and the name
 * when the file is not there; NULL when neither resolves.  The caller frees with g_free. */
char *wb_path_canonical(const char *path);
/* Whether a canonical path lies in a canonical folder (is it, or below it). */
bool wb_path_within(const char *real, const char *folder);

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
