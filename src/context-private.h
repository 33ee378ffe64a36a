/* The context's private parts, shared by the stages (never by API users). */
#ifndef WB_CONTEXT_PRIVATE_H
#define WB_CONTEXT_PRIVATE_H

#include <pthread.h>

#include <glib.h>

#include "workbook/context.h"

struct wb_ctx {
    /* held while the diagnostics, the status and the stats are read or changed: a page relay
     * (page/relay.c) renders on a thread of its own, beside the formatter */
    pthread_mutex_t lock;
    wb_status status;
    size_t status_at;       /* the diagnostic that set the status */
    GArray *diags;          /* wb_diagnostic, each owning its strings */
    GHashTable *once_keys;  /* keys of wb_warning_once already said */
    bool quiet;
    long long date;
    GArray *stats;          /* wb_stage_stat when timing is on, else NULL */
    double stats_since;     /* wb_clock() when timing was switched on */
    unsigned long long limits[WB_LIMIT_COUNT];
    GPtrArray *read_folders; /* owned strings, NULL-terminated */
    bool confined;           /* images only inside read_folders */
};

/* Diagnostics since a mark can be taken back (an xi:fallback answers its include's error):
 * wb_ctx_rollback forgets what was added after the mark, and the status it set. */
size_t wb_ctx_mark(const wb_ctx *ctx);
void wb_ctx_rollback(wb_ctx *ctx, size_t mark);

#endif
