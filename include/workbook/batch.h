/* Batches: many course editions from one catalogue file, in one process and its workers.
 *
 * A catalogue (styles/catalogue.rnc) lists courses with the languages, editions, papers,
 * brands, audiences, stylesheet parameters and rosters to build, and the names of the files
 * to write.  wb_batch reads and validates it (errors as file:line:col), expands it into
 * editions, keeps those asked for (a glob over output names, a shard of the whole), skips the
 * editions whose recorded inputs are unchanged, and builds the others on worker processes,
 * each with its own format cache, compiled stylesheets and loaded courses.  An edition that
 * fails, or whose worker dies, is reported and the others go on.  Each built edition gets a
 * small record of its inputs and their SHA-256 beside it (".NAME.pdf.inputs"), which the
 * next batch compares.
 *
 * Ownership: every string in the options is borrowed for the call. */
#ifndef WORKBOOK_BATCH_H
#define WORKBOOK_BATCH_H

#include <stdbool.h>

#include "workbook/context.h"

typedef struct wb_batch_options {
    const char *catalogue;  /* the catalogue file */
    const char *out_dir;    /* output names are relative to it; NULL: the current folder */
    const char *styles_dir; /* the shipped styles: edition stylesheets, schemas, strings */
    int jobs;               /* worker processes; 0: one per processor this process may use */
    bool force;             /* rebuild editions whose inputs did not change */
    bool list;              /* print the editions selected and stop */
    bool dry_run;           /* print what would be built, and why, and stop */
    bool quiet;             /* no progress, no summary, no warnings (errors still) */
    bool live;              /* progress as one line rewritten in place (a terminal) */
    const char *const *only; /* NULL or a NULL-terminated list of glob patterns over output
                               * names (relative to out_dir); an edition matching any is kept */
    int shard_index;        /* 0-based; with shard_count > 1 only this shard is built */
    int shard_count;        /* 0 or 1: the whole catalogue */
    const char *json;       /* NULL, or a file for one JSON record per edition ("-": stdout) */
    const char *engine_id;  /* identifies the engine in the inputs records (a program
                             * passes its version and a hash of itself), to which the versions
                             * of libxml2, libxslt, cairo and pango are added; NULL: those
                             * alone */
} wb_batch_options;

/* Runs a batch.  Returns the command line's exit status: 0 every edition built or up to
 * date, 1 an edition failed or the catalogue is invalid (errors on ctx, also printed as
 * they come), 2 bad options, 3 an output folder or the JSON file could not be written,
 * 130 interrupted by SIGINT or SIGTERM (finished editions are kept, no temporary file is
 * left).  Progress and the summary go to standard error; --list and --dry-run to standard
 * output.  Installs its own SIGINT, SIGTERM and SIGCHLD handling for the call. */
int wb_batch(wb_ctx *ctx, const wb_batch_options *opts);

/* The shard of a Slurm job array (SLURM_ARRAY_TASK_ID - SLURM_ARRAY_TASK_MIN of
 * SLURM_ARRAY_TASK_COUNT) or of a Kubernetes indexed job (JOB_COMPLETION_INDEX of
 * WB_SHARD_COUNT).  Returns WB_OK with *index and *count, or WB_ERR_USAGE with the reason
 * on ctx when neither is set or the values do not make sense. */
wb_status wb_batch_shard_from_env(wb_ctx *ctx, int *index, int *count);

#endif
