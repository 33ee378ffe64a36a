/* Costs and shards.  An edition's cost is estimated from the size of its course (its files,
 * shared out among the course's languages) and what the edition prints of it; a shard is a
 * cost-balanced 1/N of the catalogue: editions sorted by cost (then by output name), each
 * given in turn to the shard with the least so far (the lowest-numbered on a tie).  The same
 * catalogue and sources give every shard the same split, wherever it runs.  Hands on
 * batch_cost, batch_keep_shard and wb_batch_shard_from_env. */
#include "batch/batch-private.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

double batch_cost(const char *edition, const char *paper, double size)
{
    /* seconds per edition of the shipped courses, relative to the participant workbook */
    static const struct { const char *edition; double factor; } factors[] = {
        {"participant", 1.0}, {"trainer", 1.7}, {"exercises", 0.6}, {"answers", 0.4}, {"certificate", 0.0},
        {"sign-in", 0.05}, {"feedback", 0.05},
    };
    double f = 1.0;
    for (size_t i = 0; i < G_N_ELEMENTS(factors); i++)
        if (!strcmp(edition, factors[i].edition))
            f = factors[i].factor;
    if (paper && !strcmp(paper, "A5"))
        f *= 1.2; /* more pages, more lines */
    /* a fixed part for starting an edition, and its share of the course */
    return 4.0 + f * size / 1000.0;
}

typedef struct ranked {
    batch_job *job;
    guint at;
} ranked;

static gint by_cost_then_name(gconstpointer a, gconstpointer b)
{
    const ranked *x = a, *y = b;
    if (x->job->cost != y->job->cost)
        return x->job->cost > y->job->cost ? -1 : 1;
    return strcmp(x->job->name, y->job->name);
}

void batch_keep_shard(GPtrArray *jobs, int index, int count)
{
    if (count <= 1)
        return;
    GArray *order = g_array_new(FALSE, FALSE, sizeof(ranked));
    for (guint i = 0; i < jobs->len; i++) {
        ranked r = {g_ptr_array_index(jobs, i), i};
        g_array_append_val(order, r);
    }
    g_array_sort(order, by_cost_then_name);
    double *load = g_new0(double, count);
    bool *keep = g_new0(bool, jobs->len);
    for (guint i = 0; i < order->len; i++) {
        ranked *r = &g_array_index(order, ranked, i);
        int best = 0;
        for (int s = 1; s < count; s++)
            if (load[s] < load[best])
                best = s;
        load[best] += r->job->cost;
        keep[r->at] = best == index;
    }
    for (guint i = jobs->len; i-- > 0;)
        if (!keep[i])
            g_ptr_array_remove_index(jobs, i);
    g_free(keep);
    g_free(load);
    g_array_free(order, TRUE);
}

/* A whole non-negative number from the environment; -1 when unset, -2 when not a number. */
static long env_number(const char *name)
{
    const char *v = getenv(name);
    if (!v || !*v)
        return -1;
    char *end = NULL;
    errno = 0;
    long n = strtol(v, &end, 10);
    return errno || *end || n < 0 ? -2 : n;
}

wb_status wb_batch_shard_from_env(wb_ctx *ctx, int *index, int *count)
{
    long id = env_number("SLURM_ARRAY_TASK_ID");
    if (id != -1) {
        long n = env_number("SLURM_ARRAY_TASK_COUNT"), min = env_number("SLURM_ARRAY_TASK_MIN");
        long max = env_number("SLURM_ARRAY_TASK_MAX");
        if (id < 0 || n < 1 || min < 0 || (max >= 0 && max - min + 1 != n) || id < min || id - min >= n) {
            wb_error(ctx, WB_ERR_USAGE, NULL, 0, 0,
                     "--shard auto: SLURM_ARRAY_TASK_ID, _MIN, _MAX and _COUNT do not make a contiguous job array "
                     "(submit with --array=0-N or 1-N, without a step)");
            return WB_ERR_USAGE;
        }
        *index = (int)(id - min);
        *count = (int)n;
        return WB_OK;
    }
    long k = env_number("JOB_COMPLETION_INDEX");
    if (k != -1) {
        long n = env_number("WB_SHARD_COUNT");
        if (k < 0 || n < 1 || k >= n) {
            wb_error(ctx, WB_ERR_USAGE, NULL, 0, 0,
                     "--shard auto: JOB_COMPLETION_INDEX needs WB_SHARD_COUNT, the job's completions, above it");
            return WB_ERR_USAGE;
        }
        *index = (int)k;
        *count = (int)n;
        return WB_OK;
    }
    wb_error(ctx, WB_ERR_USAGE, NULL, 0, 0,
             "--shard auto: neither a Slurm job array (SLURM_ARRAY_TASK_ID) nor a Kubernetes indexed job "
             "(JOB_COMPLETION_INDEX) is running this");
    return WB_ERR_USAGE;
}
