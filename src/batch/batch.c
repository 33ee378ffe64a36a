/* wb_batch: the catalogue read and expanded, the editions chosen (--only, --shard), those
 * whose inputs are unchanged set aside, the output folders made, the rest built by the
 * worker pool, then the summary and the JSON report.  See include/workbook/batch.h. */
#include "batch/batch-private.h"
#include "driver/brand.h"

#include <errno.h>
#include <fnmatch.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <cairo.h>
#include <libxml/xmlversion.h>
#include <libxslt/xsltconfig.h>
#include <pango/pango.h>

/* The engine as the caller names it, and the libraries that make the output. */
static char *engine_id(const char *caller)
{
    return g_strdup_printf("%s; libxml2 %s, libxslt %s, cairo %s, pango %s", caller ? caller : "workbook",
                           LIBXML_DOTTED_VERSION, LIBXSLT_DOTTED_VERSION, cairo_version_string(),
                           pango_version_string());
}

static int processors(void)
{
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof set, &set) == 0 && CPU_COUNT(&set) > 0)
        return CPU_COUNT(&set);
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (int)n : 1;
}

/* Keeps the jobs whose output name matches one of the patterns. */
static void keep_only(GPtrArray *jobs, const char *const *only)
{
    if (!only || !only[0])
        return;
    for (guint i = jobs->len; i-- > 0;) {
        const batch_job *j = g_ptr_array_index(jobs, i);
        bool hit = false;
        for (int k = 0; only[k] && !hit; k++)
            hit = fnmatch(only[k], j->name, 0) == 0;
        if (!hit)
            g_ptr_array_remove_index(jobs, i);
    }
}

static void print_list(GPtrArray *jobs)
{
    for (guint i = 0; i < jobs->len; i++) {
        const batch_job *j = g_ptr_array_index(jobs, i);
        printf("%s\t%s %s %s %s%s%s%s%s%s%s\n", j->output, j->course_name, j->lang ? j->lang : "-", j->edition,
               j->paper, j->brand ? " brand " : "", j->brand ? j->brand : "", j->audience ? " audience " : "",
               j->audience ? j->audience : "", j->person ? " for " : "", j->person ? j->person->name : "");
    }
}

/* Sets aside the editions whose record says nothing changed; the others get a reason. */
static void check_records(GPtrArray *jobs, bool force)
{
    for (guint i = 0; i < jobs->len; i++) {
        batch_job *j = g_ptr_array_index(jobs, i);
        if (j->state != JOB_PENDING)
            continue;
        char *why = NULL;
        if (force)
            why = g_strdup("--force");
        else if (batch_record_current(j, &why))
            j->state = JOB_UP_TO_DATE;
        g_free(j->reason);
        j->reason = why;
    }
}

static void print_dry_run(GPtrArray *jobs)
{
    for (guint i = 0; i < jobs->len; i++) {
        const batch_job *j = g_ptr_array_index(jobs, i);
        if (j->state == JOB_UP_TO_DATE)
            printf("up to date\t%s\n", j->output);
        else if (j->state == JOB_FAILED)
            printf("cannot build\t%s\t%s\n", j->output, j->messages ? j->messages : "");
        else
            printf("build\t%s\t%s\n", j->output, j->reason ? j->reason : "");
    }
}

/* The folders of the outputs to build; a job whose folder cannot be made fails. */
static void make_folders(GPtrArray *jobs)
{
    for (guint i = 0; i < jobs->len; i++) {
        batch_job *j = g_ptr_array_index(jobs, i);
        if (j->state != JOB_PENDING)
            continue;
        char *dir = g_path_get_dirname(j->output);
        if (g_mkdir_with_parents(dir, 0777) != 0) {
            j->state = JOB_FAILED;
            j->messages = g_strdup_printf("%s: error: cannot make the folder: %s", dir, g_strerror(errno));
        }
        g_free(dir);
    }
}

static int count_state(GPtrArray *jobs, batch_state st)
{
    int n = 0;
    for (guint i = 0; i < jobs->len; i++)
        n += ((batch_job *)g_ptr_array_index(jobs, i))->state == st;
    return n;
}

/* Builds what is left to build and reports; the exit status. */
/* The fonts of the brand kits the jobs use, added to the font search before the records are
 * checked (they hash each family's font files) and the workers start (each makes its font
 * map once, and would not see fonts added later).  A broken kit is reported by the
 * editions that use it. */
static void add_brand_fonts(const char *styles_dir, GPtrArray *jobs)
{
    GHashTable *seen = g_hash_table_new(g_str_hash, g_str_equal);
    for (guint i = 0; i < jobs->len; i++) {
        batch_job *j = g_ptr_array_index(jobs, i);
        if (j->state != JOB_PENDING || !j->brand_file || !g_hash_table_add(seen, j->brand_file))
            continue;
        wb_brand_kit kit;
        wb_ctx *scratch = wb_ctx_new();
        if (wb_brand_find(scratch, styles_dir, NULL, j->brand_file, &kit)) {
            wb_brand_use(scratch, &kit);
            wb_brand_kit_clear(&kit);
        }
        wb_ctx_free(scratch);
    }
    g_hash_table_destroy(seen);
}

static int build_all(wb_ctx *ctx, const wb_batch_options *o, GPtrArray *jobs)
{
    make_folders(jobs);
    int pending = count_state(jobs, JOB_PENDING);
    int workers = o->jobs > 0 ? o->jobs : processors();
    if (workers > pending)
        workers = pending;
    batch_report *rep = batch_report_new(jobs, o->quiet, o->live);
    for (guint i = 0; i < jobs->len; i++) {
        batch_job *j = g_ptr_array_index(jobs, i);
        if (j->state == JOB_FAILED)
            batch_report_finished(rep, j); /* failed before it could start: say so now */
    }
    bool finished = pending == 0 || batch_run_pool(jobs, workers, o->styles_dir, o->quiet, rep);
    batch_report_summary(rep, !finished);
    batch_report_free(rep);
    int status = !finished ? 130 : count_state(jobs, JOB_FAILED) > 0 ? 1 : 0;
    if (o->json && batch_write_json(ctx, jobs, o->json) != WB_OK && status == 0)
        status = WB_ERR_IO;
    return status;
}

int wb_batch(wb_ctx *ctx, const wb_batch_options *o)
{
    if (o->shard_count > 1 && (o->shard_index < 0 || o->shard_index >= o->shard_count)) {
        wb_error(ctx, WB_ERR_USAGE, NULL, 0, 0, "shard %d of %d does not exist", o->shard_index + 1, o->shard_count);
        return WB_ERR_USAGE;
    }
    char *engine = engine_id(o->engine_id);
    batch_catalogue *cat = batch_catalogue_read(ctx, o->catalogue, o->styles_dir, o->out_dir, engine);
    g_free(engine);
    if (!cat)
        return wb_ctx_status(ctx) == WB_ERR_IO ? WB_ERR_IO : WB_ERR_INPUT;
    GPtrArray *jobs = cat->jobs;
    keep_only(jobs, o->only);
    batch_keep_shard(jobs, o->shard_index, o->shard_count);
    int status = 0;
    if (o->list) {
        print_list(jobs);
    } else {
        /* before the records are checked: they hash the font files of each family */
        add_brand_fonts(o->styles_dir, jobs);
        check_records(jobs, o->force);
        if (o->dry_run)
            print_dry_run(jobs);
        else
            status = build_all(ctx, o, jobs);
    }
    fflush(stdout);
    batch_catalogue_free(cat);
    return status;
}
