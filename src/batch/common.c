/* What every part of the batch uses and none owns: errors at a catalogue or roster node,
 * freeing a job.  Hands on batch_node_error and batch_job_free. */
#include "batch/batch-private.h"

#include <stdarg.h>
#include <stdlib.h>

#include "workbook/load.h"

void batch_node_error(wb_ctx *ctx, xmlNodePtr node, const char *fmt, ...)
{
    char *file = NULL;
    int line = 0, col = 0;
    wb_node_position(node, &file, &line, &col);
    va_list ap;
    va_start(ap, fmt);
    char *msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    wb_error(ctx, WB_ERR_INPUT, file, line, col, "%s", msg);
    g_free(msg);
    free(file);
}

void batch_job_free(batch_job *job)
{
    if (!job)
        return;
    g_free(job->course);
    g_free(job->course_name);
    g_free(job->lang);
    g_free(job->edition);
    g_free(job->paper);
    g_free(job->brand);
    g_free(job->brand_file);
    g_free(job->audience);
    g_strfreev(job->params);
    g_free(job->name);
    g_free(job->output);
    g_free(job->where);
    g_free(job->key);
    g_free(job->inputs);
    g_free(job->messages);
    g_free(job->reason);
    g_free(job);
}
