/* What the parts of the batch share, private to src/batch: the editions a catalogue expands
 * into (jobs), rosters, inputs records, compiled stylesheets, the workers and the report.
 *
 *   catalogue.c   the catalogue file: schema, inheritance, entries -> jobs
 *   entries.c     one entry: courses, languages, output names, keys
 *   roster.c      rosters (CSV, XML) -> participants
 *   inputs.c      SHA-256 of files and fonts, the inputs record beside an output
 *   record.c      what an edition reads while it is built (libxml2's input, images, fonts)
 *   stylesheets.c compiled stylesheets and the transform over them
 *   worker.c      one edition built in a worker process, and the worker's loop
 *   pool.c        the worker processes: hand out jobs, collect results, signals
 *   report.c      progress, summary, JSON
 *   shard.c       costs and shards
 *   batch.c       wb_batch: the above put together
 *   common.c      errors at a node, freeing a job */
#ifndef WB_BATCH_PRIVATE_H
#define WB_BATCH_PRIVATE_H

#include <stdbool.h>

#include <glib.h>
#include <libxml/tree.h>

#include "workbook/batch.h"
#include "workbook/build.h"

/* A participant of a session: a roster row. */
typedef struct batch_person {
    char *name, *organisation, *session_date, *place, *trainer; /* owned; NULL when empty */
    char *where;   /* "file:line" of the row (owned) */
    int number;    /* 1-based position in the roster */
    char *session; /* the roster's file name without extension (owned) */
} batch_person;

typedef enum {
    JOB_PENDING,    /* to build */
    JOB_UP_TO_DATE, /* its inputs record says nothing changed */
    JOB_RUNNING,
    JOB_BUILT,
    JOB_FAILED,
    JOB_STOPPED /* not built: the batch was interrupted */
} batch_state;

/* One edition to build.  Every string is owned by the job (batch_job_free). */
typedef struct batch_job {
    int order;           /* its place in the catalogue */
    char *course;        /* the course file, as a path from the current folder */
    char *course_name;   /* {course} */
    char *lang, *edition, *paper, *brand, *audience; /* NULL: not set */
    char **params;       /* NULL-terminated name, value pairs (g_strfreev) */
    const batch_person *person; /* borrowed from the catalogue; NULL without a roster */
    char *name;          /* the output, relative to the output folder */
    char *output;        /* the output as a path from the current folder */
    char *where;         /* "catalogue.xml:12:5", its entry */
    char *key;           /* SHA-256 (hex) of what is not a file: parameters, engine, ... */
    double cost;         /* estimated work, for shards and order */
    /* what happened */
    batch_state state;
    int pages;
    double seconds;
    char *inputs;        /* SHA-256 (hex) of the key and every input, NULL when unknown */
    char *messages;      /* diagnostics, a line each, NULL when none */
    char *reason;        /* why it is built (--dry-run), NULL: up to date */
} batch_job;

void batch_job_free(batch_job *job);

typedef struct batch_catalogue {
    GPtrArray *jobs;   /* batch_job *, owned, in catalogue order */
    GPtrArray *people; /* batch_person *, owned */
    GHashTable *rosters; /* path -> GPtrArray of borrowed batch_person * */
    GHashTable *courses; /* path -> batch_course_info *, owned */
} batch_catalogue;

/* What the catalogue needs to know of a course file before building it. */
typedef struct batch_course_info {
    char **languages; /* the languages it declares (g_strfreev); NULL when unreadable */
    double size;      /* bytes of its files per language, for the cost of its editions */
    char *error;      /* why it could not be read (owned), or NULL */
} batch_course_info;

/* ---- common.c */

/* An error at a node of a document read with wb_load_xml (its file, line and column). */
void batch_node_error(wb_ctx *ctx, xmlNodePtr node, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* ---- catalogue.c */

/* Reads, validates and expands the catalogue into jobs (keys made with engine_id).  NULL
 * with errors on ctx (file:line:col).  Free with batch_catalogue_free. */
batch_catalogue *batch_catalogue_read(wb_ctx *ctx, const char *path, const char *styles_dir,
                                      const char *out_dir, const char *engine_id);
void batch_catalogue_free(batch_catalogue *cat);

/* ---- entries.c */

/* The settings an entry inherits (strings borrowed from the catalogue document or built-in;
 * params: a GPtrArray of owned name, value strings). */
typedef struct batch_settings {
    const char *languages, *editions, *papers, *brands, *audiences, *output;
    GPtrArray *params;
} batch_settings;

/* Expands one <course> element with its settings into jobs added to cat->jobs.  Returns 0,
 * or -1 with errors on ctx. */
int batch_expand_entry(wb_ctx *ctx, batch_catalogue *cat, xmlNodePtr entry, const batch_settings *s,
                       const char *base_dir, const char *out_dir, const char *engine_id);

/* The participant's name as a file name: lower case, letters and digits of any script, the
 * rest as single "-".  Caller frees with g_free. */
char *batch_slug(const char *name);

/* ---- roster.c */

/* The participants of a roster file (CSV with a header row, or XML), added to `people` (which
 * owns them); returns the new ones (a GPtrArray of borrowed pointers, caller frees the array),
 * or NULL with errors on ctx (file:line:col). */
GPtrArray *batch_roster_read(wb_ctx *ctx, const char *path, GPtrArray *people);

/* ---- inputs.c */

/* SHA-256 of a file's contents in hex, remembered for the life of the process ("-" when the
 * file cannot be read).  Borrowed from the cache. */
const char *batch_file_hash(const char *path);
/* SHA-256 of the font files fontconfig finds for a family (their contents, sorted), "-" when
 * none.  Remembered; borrowed. */
const char *batch_font_hash(const char *family);
/* SHA-256 in hex of a NUL-separated list of strings (NULL-terminated).  Caller frees. */
char *batch_hash_strings(const char *const *parts);

/* SHA-256 of what a course file says to profiling: every element's name, id, xml:lang,
 * edition, audience and brand, and the attributes of its xi:include elements ("-" when it
 * cannot be read).  An edition depends on a file none of whose elements it keeps only
 * through these: a change of text in another language's module rebuilds nothing, a change
 * of its language does.  Remembered; borrowed. */
const char *batch_profile_hash(const char *path);

/* The inputs of a built edition, as the worker records them. */
typedef struct batch_inputs {
    GPtrArray *files;    /* owned path strings, as read */
    GPtrArray *profiled; /* course files of which nothing was kept: by their profile */
    GPtrArray *families; /* owned font family names */
} batch_inputs;

/* The inputs record beside an output: ".NAME.inputs" in the output's folder.  Caller frees. */
char *batch_record_path(const char *output);
/* Writes the record of a job just built (key, output's hash and pages, each input with its
 * hash) through a temporary file; sets job->inputs.  Returns WB_OK or WB_ERR_IO on ctx. */
wb_status batch_record_write(wb_ctx *ctx, batch_job *job, const batch_inputs *in);
/* True when the job's record exists, its key is job->key, the output is the one it
 * describes and every input has its hash; otherwise *reason gets why not (caller frees).
 * Sets job->inputs and job->pages from the record when up to date. */
bool batch_record_current(batch_job *job, char **reason);

/* ---- record.c */

/* Starts noting every file libxml2 and libxslt open (into `into`, a GPtrArray of owned
 * strings); NULL stops.  The hook is installed once per process. */
void batch_observe_files(GPtrArray *into);
/* Adds to `xml` (owned strings) a course file and every file it includes as XML, and to
 * `text` (or, when NULL, to `xml` too) the files it includes as text, following the
 * xi:include elements of the files. */
void batch_course_files(const char *course, GPtrArray *xml, GPtrArray *text);
/* True when some element of the loaded course came from `file` (its URL or an xml:base). */
bool batch_file_survives(xmlDocPtr course, const char *file);
/* Adds to `in` the images and font families an XSL-FO document uses (base_dir resolves
 * relative image paths). */
void batch_inputs_from_fo(batch_inputs *in, xmlDocPtr fo, const char *base_dir);
/* A file name as libxml2, the catalogue or the FO gives it (a path or a file: URI) as a path,
 * relative to the current folder when it lies below it.  Caller frees with g_free. */
char *batch_normal_path(const char *name);
/* Adds a path to a list unless there (the list owns its strings). */
void batch_add_unique(GPtrArray *list, const char *s);

/* ---- stylesheets.c */

typedef struct batch_sheets batch_sheets;
/* A cache of compiled stylesheets (one per file).  Free with batch_sheets_free. */
batch_sheets *batch_sheets_new(void);
void batch_sheets_free(batch_sheets *sheets);
/* wb_transform over a stylesheet compiled once per worker (wb_stylesheet_compile: the same
 * confinement, limits and messages).  The files read by compiling it and by the run are
 * added to `files`.  Returns a new document the caller frees, or NULL with errors on ctx. */
xmlDocPtr batch_transform(wb_ctx *ctx, batch_sheets *sheets, xmlDocPtr doc, const char *stylesheet,
                          const char *const *params, GPtrArray *files);

/* ---- worker.c */

/* What a worker keeps from one edition to the next. */
typedef struct batch_worker_state batch_worker_state;
batch_worker_state *batch_worker_state_new(const char *styles_dir, bool quiet);
void batch_worker_state_free(batch_worker_state *w);
/* Builds one job: sets its state (JOB_BUILT or JOB_FAILED), pages, seconds, inputs and
 * messages, and writes its inputs record. */
void batch_build_job(batch_worker_state *w, batch_job *job);

/* ---- pool.c */

/* Builds the jobs marked JOB_PENDING on `jobs` worker processes (at least one), reporting
 * as they finish.  Returns false when interrupted by SIGINT or SIGTERM. */
typedef struct batch_report batch_report;
bool batch_run_pool(GPtrArray *jobs, int workers, const char *styles_dir, bool quiet, batch_report *rep);

/* ---- report.c */

batch_report *batch_report_new(GPtrArray *jobs, bool quiet, bool live);
void batch_report_free(batch_report *rep);
void batch_report_started(batch_report *rep, batch_job *job);
void batch_report_finished(batch_report *rep, batch_job *job);
/* Redraws the live line (called about once a second). */
void batch_report_tick(batch_report *rep);
/* The summary line(s) at the end. */
void batch_report_summary(batch_report *rep, bool interrupted);
/* One JSON record per job to `path` ("-": standard output).  WB_OK or WB_ERR_IO on ctx. */
wb_status batch_write_json(wb_ctx *ctx, GPtrArray *jobs, const char *path);

/* ---- shard.c */

/* Keeps in `jobs` only shard `index` of `count` (cost-balanced, deterministic); frees the
 * others. */
void batch_keep_shard(GPtrArray *jobs, int index, int count);
/* The cost of an edition of a course of `size` bytes per language. */
double batch_cost(const char *edition, const char *paper, double size);

#endif
