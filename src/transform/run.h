/* The transform stage's parts (src/transform/): what a run of a stylesheet is and what the
 * files of the stage lend each other.  Private to the stage: see
 * include/workbook/transform.h for its contract.
 *   transform.c  the runs: compiling, applying, the API
 *   limits.c     stopping a run: the watchdog, the nodes and memory counted
 *   messages.c   libxslt's and libxml2's messages as file:line:col errors
 *   read.c       what a stylesheet may read, the loaders, the process-wide set-up
 *   source.c     the extension function wb:source()
 *   state.c      the thread's run and the process's security preferences */
#ifndef WB_TRANSFORM_RUN_H
#define WB_TRANSFORM_RUN_H

#include <errno.h>
#include <limits.h>
#include <malloc.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib.h>
#include <libxml/parserInternals.h>
#include <libxml/uri.h>
#include <libxml/xmlmemory.h>
#include <libxml/xpathInternals.h>
#include <libxslt/documents.h>
#include <libxslt/extensions.h>
#include <libxslt/security.h>
#include <libxslt/transform.h>
#include <libxslt/variables.h>
#include <libxslt/xsltInternals.h>
#include <libxslt/xsltutils.h>

#include "context-private.h"
#include "workbook/load.h"
#include "workbook/transform.h"

#define XSLT_NS "http://www.w3.org/1999/XSL/Transform"
/* errors from one run's messages beyond the first are rarely more than its echo */
#define MAX_REPORTED 3

typedef enum { STOP_NONE, STOP_TIME, STOP_NODES, STOP_MEMORY, STOP_INPUT } stop_reason;

/* A position in a stylesheet, as libxslt's "runtime error: file F line L element E" says. */
typedef struct position {
    char *file;
    int line, col;
    char *templ; /* "template match=\"para\"" or NULL */
} position;

/* One run of wb_transform: what the callbacks libxslt and libxml2 call without data of
 * ours (the loader, the security check, the allocator, the node hook) find through the
 * thread's `tr_current`. */
typedef struct run {
    wb_ctx *ctx;
    const char *stylesheet;
    GPtrArray *folders; /* canonical folders reads may reach (owned strings) */
    GPtrArray *sheets;  /* stylesheet documents (the main one, imports): positions */
    xsltTransformContextPtr tctx;

    /* messages: libxslt prints in printf pieces; a piece ending a line closes a unit.
     * xsl:message and the run's errors come through the transformation's handler, the
     * rest (compilation, libxml2's and libxslt's own complaints) through the generic ones */
    GString *pending, *pending_generic;
    bool compiling;
    bool expect_message; /* after an error's header: its message comes next */
    position hdr;        /* that header */
    bool in_tail;        /* after an error: the notes libxslt adds (templates, variables) */
    int reported;        /* errors reported from libxslt's and libxml2's messages */
    bool settled;        /* an error of the engine's own (a refused read, a limit) was reported */
    char *last_message;  /* the last line of xsl:message output */
    xmlNodePtr message_inst; /* the xsl:message that said it */
    char *detail;        /* libxml2's last error (XPath) while waiting for libxslt's */
    bool warning;        /* the header was a compilation warning */
    xmlParserCtxtPtr parsing; /* the stylesheet file being parsed, for entities' positions */

    /* limits */
    gint stop;               /* stop_reason, set by the watchdog too */
    xmlNodePtr stop_inst;    /* the instruction running when it was stopped */
    position stop_at;        /* where libxslt said it stopped, if it did */
    unsigned long long nodes;
    long long memory;        /* bytes libxml2 holds that it took during the run */
    unsigned long long node_limit, memory_limit;

    /* the watchdog */
    GMutex lock;
    GCond cond;
    bool done;
    GThread *watchdog;

    struct run *outer; /* the run this one is inside of (a stylesheet's document() call may
                        * not start one, but a caller's thread may nest calls) */
} run;

/* A structured sink for one parse: errors at file:line:col, the first only, no source line. */
typedef struct parse_sink {
    run *r;
    const char *file;
    bool seen;
} parse_sink;

/* The run of the calling thread (NULL outside the engine's runs): what libxslt's and
 * libxml2's callbacks without data of ours find it through. */
extern _Thread_local run *tr_current;
/* The security preferences of every run (read.c, set once). */
extern xsltSecurityPrefsPtr tr_run_prefs;

/* ---- limits.c */
void tr_stop_run(run *r, stop_reason why);
void tr_watchdog_start(run *r);
void tr_watchdog_end(run *r);
void tr_count_node(xmlNodePtr node);
void *tr_counted_malloc(size_t n);
void *tr_counted_realloc(void *p, size_t n);
void tr_counted_free(void *p);
char *tr_counted_strdup(const char *s);

/* ---- messages.c */
void tr_position_clear(position *p);
void tr_position_of_node(xmlNodePtr node, position *p);
void tr_report_at(run *r, const position *p, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void tr_take_output(run *r, GString *pending, bool generic, const char *fmt, va_list ap);
void tr_on_output(void *data, const char *fmt, ...);
void tr_on_generic_output(void *data, const char *fmt, ...);
void tr_flush_output(run *r);
void tr_on_xml_error(void *data, xmlErrorPtr err);

/* ---- read.c */
void tr_install_once(void);
void tr_add_folder(run *r, const char *dir);
void tr_add_folder_of(run *r, const char *uri);
void tr_on_parse_error(void *data, xmlErrorPtr err);

/* ---- source.c */
/* Makes wb:source(node-set?) ("file:line:col" of a course node) known to a transformation. */
void wb_transform_register_source(xsltTransformContextPtr tctx);

#endif
