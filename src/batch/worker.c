/* One edition built inside a worker process, with what the worker keeps from one edition to
 * the next: a format cache (fonts, hyphenation dictionaries), compiled stylesheets, and the
 * last few courses loaded and validated (by course, language and profile).  Each edition
 * transforms a copy of its course (libxslt strips spaces in the document it is given, and
 * the next stylesheet must see the course as loaded), so what a worker built before never
 * changes what it builds next.  The course's files an edition keeps nothing of (the other
 * languages' modules) are recorded by their profile only (batch_profile_hash).  Dates: SOURCE_DATE_EPOCH, else the course's <date>.
 * Hands on batch_worker_state_* and batch_build_job, which the pool runs. */
#include "batch/batch-private.h"
#include "driver/brand.h"
#include "fo/fo.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "workbook/load.h"
#include "workbook/render.h"

#define KEEP_COURSES 6

typedef struct loaded_course {
    char *key;
    xmlDocPtr doc;
    GPtrArray *files;    /* the course's files it keeps something of, and the schema */
    GPtrArray *profiled; /* the course's files it keeps nothing of */
} loaded_course;

struct batch_worker_state {
    char *styles_dir;
    bool quiet;
    wb_format_cache *cache;
    batch_sheets *sheets;
    GQueue *courses; /* loaded_course *, the most recent first */
};

static void loaded_course_free(gpointer p)
{
    loaded_course *c = p;
    g_free(c->key);
    xmlFreeDoc(c->doc);
    g_ptr_array_free(c->files, TRUE);
    g_ptr_array_free(c->profiled, TRUE);
    g_free(c);
}

batch_worker_state *batch_worker_state_new(const char *styles_dir, bool quiet)
{
    batch_worker_state *w = g_new0(batch_worker_state, 1);
    w->styles_dir = g_strdup(styles_dir);
    w->quiet = quiet;
    w->cache = wb_format_cache_new();
    w->sheets = batch_sheets_new();
    w->courses = g_queue_new();
    return w;
}

void batch_worker_state_free(batch_worker_state *w)
{
    if (!w)
        return;
    g_queue_free_full(w->courses, loaded_course_free);
    batch_sheets_free(w->sheets);
    wb_format_cache_free(w->cache);
    g_free(w->styles_dir);
    g_free(w);
}

/* The profile an edition loads its course with: a certificate and a session's handouts (the
 * sign-in sheet, the feedback form) read the participant's. */
static const char *profile_edition(const batch_job *job)
{
    static const char *const as_participant[] = {"certificate", "sign-in", "feedback"};
    for (size_t i = 0; i < G_N_ELEMENTS(as_participant); i++)
        if (!strcmp(job->edition, as_participant[i]))
            return "participant";
    return job->edition;
}

/* The course of a job, loaded and validated, from the worker's cache when it is there;
 * borrowed.  NULL with errors on ctx. */
static loaded_course *course_of(batch_worker_state *w, wb_ctx *ctx, const batch_job *job)
{
    char *key = g_strjoin("\n", job->course, job->lang ? job->lang : "", profile_edition(job),
                          job->audience ? job->audience : "", job->brand ? job->brand : "", NULL);
    for (GList *l = w->courses->head; l; l = l->next) {
        loaded_course *c = l->data;
        if (!strcmp(c->key, key)) {
            g_free(key);
            return c;
        }
    }
    char *schema = g_build_filename(w->styles_dir, "course.rng", NULL);
    wb_profile prof = {job->lang, profile_edition(job), job->audience, job->brand};
    xmlDocPtr doc = wb_load_course(ctx, job->course, &prof, schema);
    if (!doc) {
        g_free(schema);
        g_free(key);
        return NULL;
    }
    loaded_course *c = g_new0(loaded_course, 1);
    c->key = key;
    c->doc = doc;
    c->files = g_ptr_array_new_with_free_func(g_free);
    c->profiled = g_ptr_array_new_with_free_func(g_free);
    GPtrArray *xml = g_ptr_array_new_with_free_func(g_free);
    batch_course_files(job->course, xml, c->files);
    for (guint i = 0; i < xml->len; i++) {
        const char *f = g_ptr_array_index(xml, i);
        batch_add_unique(batch_file_survives(doc, f) ? c->files : c->profiled, f);
    }
    g_ptr_array_free(xml, TRUE);
    char *schema_path = batch_normal_path(schema);
    batch_add_unique(c->files, schema_path);
    g_free(schema_path);
    g_free(schema);
    g_queue_push_head(w->courses, c);
    while (g_queue_get_length(w->courses) > KEEP_COURSES)
        loaded_course_free(g_queue_pop_tail(w->courses));
    return c;
}

/* The stylesheet parameters of a job, as wb_build gives them (edition, lang, paper, brand),
 * then the participant's and the catalogue's.  The array borrows its strings. */
static GPtrArray *job_params(const batch_job *job, const char *kept_lang, const wb_brand_kit *kit)
{
    GPtrArray *pv = g_ptr_array_new();
    const batch_person *p = job->person;
    const char *const named[][2] = {
        {"edition", job->edition}, {"lang", job->lang ? job->lang : kept_lang}, {"paper", job->paper},
        {"brand", job->brand}, {"participant", p ? p->name : NULL}, {"organisation", p ? p->organisation : NULL},
        {"session-date", p ? p->session_date : NULL}, {"session-place", p ? p->place : NULL},
        {"trainer", p ? p->trainer : NULL},
    };
    for (size_t i = 0; i < G_N_ELEMENTS(named); i++)
        if (named[i][1]) {
            g_ptr_array_add(pv, (char *)named[i][0]);
            g_ptr_array_add(pv, (char *)named[i][1]);
        }
    wb_brand_params(kit, pv);
    for (int i = 0; job->params && job->params[i] && job->params[i + 1]; i += 2) {
        g_ptr_array_add(pv, job->params[i]);
        g_ptr_array_add(pv, job->params[i + 1]);
    }
    g_ptr_array_add(pv, NULL);
    return pv;
}

typedef struct page_counter {
    wb_renderer *r;
    int pages;
    bool crash;
} page_counter;

/* In a test, WB_BATCH_CRASH=TEXT kills the worker building an output whose name contains
 * TEXT in the middle of writing it (after its first page): the batch must carry on, and no
 * temporary file may stay. */
static bool crash_asked(const batch_job *job)
{
    const char *c = getenv("WB_BATCH_CRASH");
    return c && *c && strstr(job->name, c);
}

static wb_status count_page(void *data, const wb_page *page)
{
    page_counter *c = data;
    if (c->crash && c->pages == 1)
        kill(getpid(), SIGKILL);
    c->pages++;
    return wb_renderer_page(c->r, page);
}

static wb_status restart_pages(void *data)
{
    page_counter *c = data;
    c->pages = 0;
    return wb_renderer_restart(c->r);
}

/* Formats and renders the FO to the job's output; its page count.  Errors on ctx. */
static int render(batch_worker_state *w, wb_ctx *ctx, batch_job *job, xmlDocPtr fo, const char *sheet)
{
    wb_renderer *r = wb_renderer_new(ctx, WB_OUT_PDF, job->output, 0);
    if (!r)
        return 0;
    char *base = g_path_get_dirname(job->course);
    char *name = g_strdup_printf("%s (as FO, from %s)", job->course, sheet);
    wb_format_options fopts = {.file = name, .base_dir = base, .cache = w->cache};
    page_counter pc = {r, 0, crash_asked(job)};
    wb_page_sink sink = {count_page, &pc, restart_pages};
    wb_docinfo info = {0};
    /* the workers are the batch's parallelism (-j N takes N cores): a worker draws its pages
     * itself, without a page relay */
    wb_fo_tree *tree = wb_fo_tree_new(ctx, fo, name);
    if (tree && wb_format_tree(ctx, tree, &fopts, &sink, &info) == WB_OK && wb_ctx_status(ctx) == WB_OK) {
        wb_renderer_set_docinfo(r, &info);
        wb_renderer_finish(r);
    }
    wb_fo_tree_free(tree);
    wb_docinfo_clear(&info);
    wb_renderer_free(r);
    g_free(name);
    g_free(base);
    return pc.pages;
}

/* The diagnostics of ctx as lines of text, NULL when there are none. */
static char *diagnostics_text(wb_ctx *ctx)
{
    size_t n = 0;
    wb_ctx_diagnostics(ctx, &n);
    if (n == 0)
        return NULL;
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f)
        return NULL;
    wb_ctx_report(ctx, f);
    fclose(f);
    char *text = g_strdup(g_strchomp(buf));
    free(buf);
    return text;
}

/* A brand that is neither a kit beside the catalogue or the course nor in the brand table:
 * an error at the catalogue entry that names it, with the brands there are. */
static void unknown_brand(wb_ctx *ctx, const char *styles_dir, const batch_job *job)
{
    /* job->where is "FILE:LINE:COL", FILE the catalogue */
    char *file = g_strdup(job->where);
    int line = 0, col = 0;
    char *c2 = strrchr(file, ':'), *c1 = NULL;
    if (c2) {
        *c2 = 0;
        c1 = strrchr(file, ':');
    }
    if (c1) {
        *c1 = 0;
        line = atoi(c1 + 1);
        col = atoi(c2 + 1);
    }
    char *cat_dir = g_path_get_dirname(file), *course_dir = g_path_get_dirname(job->course);
    const char *const dirs[] = {cat_dir, course_dir, NULL};
    char *known = wb_brand_known(styles_dir, dirs);
    wb_error(ctx, WB_ERR_INPUT, file, line, col, "unknown brand \"%s\" (known brands: %s; or a brand.xml beside the catalogue or the course)",
             job->brand, known);
    g_free(file);
    g_free(known);
    g_free(cat_dir);
    g_free(course_dir);
}

/* Load, transform, render; the inputs noted in `in`. */
static void build(batch_worker_state *w, wb_ctx *ctx, batch_job *job, batch_inputs *in)
{
    loaded_course *c = course_of(w, ctx, job);
    if (!c)
        return;
    for (guint i = 0; i < c->files->len; i++)
        batch_add_unique(in->files, g_ptr_array_index(c->files, i));
    for (guint i = 0; i < c->profiled->len; i++)
        batch_add_unique(in->profiled, g_ptr_array_index(c->profiled, i));
    char *sheet = g_strdup_printf("%s/%s.xsl", w->styles_dir, job->edition);
    xmlChar *kept = xmlGetNsProp(xmlDocGetRootElement(c->doc), BAD_CAST "lang", XML_XML_NAMESPACE);
    wb_brand_kit kit = {0};
    if (job->brand_file && wb_brand_find(ctx, w->styles_dir, NULL, job->brand_file, &kit))
        wb_brand_use(ctx, &kit);
    else if (job->brand && !job->brand_file && !wb_brand_find(ctx, w->styles_dir, NULL, job->brand, &kit))
        unknown_brand(ctx, w->styles_dir, job);
    GPtrArray *pv = job_params(job, (const char *)kept, &kit);
    xmlDocPtr copy = xmlCopyDoc(c->doc, 1);
    xmlDocPtr fo = wb_ctx_status(ctx) != WB_OK ? NULL /* the brand */
                   : batch_transform(ctx, w->sheets, copy, sheet, (const char *const *)pv->pdata, in->files);
    xmlFreeDoc(copy);
    g_ptr_array_free(pv, TRUE);
    wb_brand_kit_clear(&kit);
    xmlFree(kept);
    if (fo) {
        char *base = g_path_get_dirname(job->course);
        batch_inputs_from_fo(in, fo, base);
        g_free(base);
        if (wb_ctx_date(ctx) == 0)
            wb_ctx_set_date(ctx, wb_course_date(c->doc));
        job->pages = render(w, ctx, job, fo, sheet);
        xmlFreeDoc(fo);
    }
    g_free(sheet);
}

void batch_build_job(batch_worker_state *w, batch_job *job)
{
    gint64 start = g_get_monotonic_time();
    wb_ctx *ctx = wb_ctx_new();
    wb_ctx_set_quiet(ctx, w->quiet);
    batch_inputs in = {g_ptr_array_new_with_free_func(g_free), g_ptr_array_new_with_free_func(g_free),
                       g_ptr_array_new_with_free_func(g_free)};
    job->pages = 0;
    /* as wb_build: stylesheets and the formatter's pictures read only the course's folder
     * and the styles folder */
    wb_ctx_add_read_folder(ctx, w->styles_dir);
    char *course_dir = g_path_get_dirname(job->course);
    wb_ctx_add_read_folder(ctx, course_dir);
    g_free(course_dir);
    wb_ctx_set_confined(ctx, true);
    build(w, ctx, job, &in);
    if (wb_ctx_status(ctx) == WB_OK)
        batch_record_write(ctx, job, &in);
    job->state = wb_ctx_status(ctx) == WB_OK ? JOB_BUILT : JOB_FAILED;
    g_free(job->messages);
    job->messages = diagnostics_text(ctx);
    job->seconds = (double)(g_get_monotonic_time() - start) / 1e6;
    g_ptr_array_free(in.files, TRUE);
    g_ptr_array_free(in.profiled, TRUE);
    g_ptr_array_free(in.families, TRUE);
    wb_ctx_free(ctx);
}
