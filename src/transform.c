/* Stage 2, transform: XSLT with libxslt, confined and bounded.  See
 * include/workbook/transform.h for the contract.
 *
 * What a stylesheet may do is decided here, not left to the stylesheet:
 *  - reading: document(), xsl:import, xsl:include and external entities reach only the
 *    source document's folder, the stylesheet's own folder and the folders the context
 *    allows (wb_build adds the styles folder), once symbolic links are resolved; only
 *    regular files within the input limit; nothing from the network.  libxslt's security
 *    preferences (XSLT_SECPREF_READ_FILE) say no, its document loader is the engine's own
 *    (parsing without DTDs, errors without the source line), and libxml2's entity loader
 *    is guarded; these are set once for the process and act for the engine's runs only,
 *    found through the thread's `current` run, so runs may go on in several threads;
 *  - writing: the security preferences forbid files, folders and the network;
 *  - running: libxslt's own depth limits (templates, variables); a watchdog thread that
 *    stops the engine after WB_LIMIT_SECONDS; the nodes made (WB_LIMIT_NODES, counted as
 *    libxml2 makes them) and the memory libxml2 holds for the run (WB_LIMIT_MEMORY, counted
 *    by allocation functions given to libxml2); the result's depth (WB_LIMIT_DEPTH).
 *    libxslt checks an operation limit before every instruction and libxml2 before every
 *    XPath step: setting both to 1 is how a run is stopped from outside.
 * libxslt's and libxml2's messages are gathered as file:line:col errors naming the template
 * (the first meaningful one; the notes libxslt prints after it are dropped).  Nothing of a
 * file's content is ever quoted. */
#include "workbook/transform.h"

#include "transform-private.h"

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
#include "transform-private.h"
#include "workbook/load.h"

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
 * thread's `current`. */
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

static _Thread_local run *current;

static void position_clear(position *p)
{
    g_free(p->file);
    g_free(p->templ);
    *p = (position){0};
}

/* ------------------------------------------------------------------ stopping a run */

/* Stops the run at the next instruction or XPath step (from any thread). */
static void stop_run(run *r, stop_reason why)
{
    if (!g_atomic_int_compare_and_exchange(&r->stop, STOP_NONE, why))
        return;
    xsltTransformContextPtr t = r->tctx;
    if (!t)
        return;
    /* a stylesheet node: it lives as long as the stylesheet, after the run too */
    r->stop_inst = __atomic_load_n(&t->inst, __ATOMIC_RELAXED);
    __atomic_store_n(&t->opLimit, 1UL, __ATOMIC_RELAXED);
    if (t->xpathCtxt)
        __atomic_store_n(&t->xpathCtxt->opLimit, 1UL, __ATOMIC_RELAXED);
    /* what an xsl:message terminate="yes" does (libxslt 1.1.35 has no call for it) */
    __atomic_store_n(&t->state, XSLT_STATE_STOPPED, __ATOMIC_RELAXED);
}

static gpointer watchdog_main(gpointer data)
{
    run *r = data;
    unsigned long long secs = wb_ctx_limit(r->ctx, WB_LIMIT_SECONDS);
    gint64 deadline = g_get_monotonic_time() + (gint64)MIN(secs, 1000000000ULL) * G_TIME_SPAN_SECOND;
    g_mutex_lock(&r->lock);
    while (!r->done)
        if (!g_cond_wait_until(&r->cond, &r->lock, deadline))
            break;
    if (!r->done)
        stop_run(r, STOP_TIME);
    g_mutex_unlock(&r->lock);
    return NULL;
}

static void watchdog_start(run *r)
{
    if (wb_ctx_limit(r->ctx, WB_LIMIT_SECONDS) == 0)
        return;
    g_mutex_init(&r->lock);
    g_cond_init(&r->cond);
    r->watchdog = g_thread_new("wb-xslt-watchdog", watchdog_main, r);
}

static void watchdog_end(run *r)
{
    if (!r->watchdog)
        return;
    g_mutex_lock(&r->lock);
    r->done = true;
    g_cond_signal(&r->cond);
    g_mutex_unlock(&r->lock);
    g_thread_join(r->watchdog);
    r->watchdog = NULL;
    g_cond_clear(&r->cond);
    g_mutex_clear(&r->lock);
}

/* Every node libxml2 makes in this thread during a run (the result, temporary trees, the
 * documents document() loads) is counted. */
static void count_node(xmlNodePtr node)
{
    run *r = current;
    if (r && ++r->nodes > r->node_limit && r->node_limit)
        stop_run(r, STOP_NODES);
}

/* libxml2's memory, counted for the run of this thread: malloc_usable_size needs no header,
 * so memory from before the functions were set, or freed with free(), mixes safely.  Over
 * the limit the run is stopped; over twice the limit (one XPath step can ask for much at
 * once) an allocation fails, which libxml2 reports as running out of memory. */
static bool memory_refused(run *r, size_t more)
{
    if (!r || !r->memory_limit)
        return false;
    /* memory from before the run freed during it makes the count go below 0 */
    long long after = r->memory + (long long)MIN(more, (size_t)LLONG_MAX / 4);
    if (after > 0 && (unsigned long long)after > r->memory_limit)
        stop_run(r, STOP_MEMORY);
    return after > 0 && (unsigned long long)after / 2 > r->memory_limit;
}

static void *counted_malloc(size_t n)
{
    run *r = current;
    if (memory_refused(r, n))
        return NULL;
    void *p = malloc(n);
    if (p && r)
        r->memory += (long long)malloc_usable_size(p);
    return p;
}

static void *counted_realloc(void *p, size_t n)
{
    run *r = current;
    size_t old = p && r ? malloc_usable_size(p) : 0;
    if (n > old && memory_refused(r, n - old))
        return NULL;
    void *q = realloc(p, n);
    if (q && r)
        r->memory += (long long)malloc_usable_size(q) - (long long)old;
    return q;
}

static void counted_free(void *p)
{
    run *r = current;
    if (p && r)
        r->memory -= (long long)malloc_usable_size(p);
    free(p);
}

static char *counted_strdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = counted_malloc(n);
    if (p)
        memcpy(p, s, n);
    return p;
}


/* ------------------------------------------------------------------ positions */

/* The xsl:template around a stylesheet node, as "template match=\"...\"" or name. */
static char *template_of(xmlNodePtr n)
{
    for (; n && n->type == XML_ELEMENT_NODE; n = n->parent) {
        if (!n->ns || !xmlStrEqual(n->ns->href, BAD_CAST XSLT_NS) || !xmlStrEqual(n->name, BAD_CAST "template"))
            continue;
        xmlChar *match = xmlGetNoNsProp(n, BAD_CAST "match");
        xmlChar *name = xmlGetNoNsProp(n, BAD_CAST "name");
        char *s = match ? g_strdup_printf("template match=\"%s\"", match)
                  : name ? g_strdup_printf("template name=\"%s\"", name)
                         : g_strdup("template");
        xmlFree(match);
        xmlFree(name);
        return s;
    }
    return NULL;
}

static void position_of_node(xmlNodePtr node, position *p)
{
    position_clear(p);
    char *file = NULL;
    wb_node_position(node, &file, &p->line, &p->col);
    p->file = g_strdup(file);
    free(file);
    p->templ = template_of(node);
}

/* The element of `doc` on `line` named `name` (the first, in document order). */
static xmlNodePtr element_at(xmlNodePtr n, long line, const char *name)
{
    for (; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        if (xmlGetLineNo(n) == line && (!name || xmlStrEqual(n->name, BAD_CAST name)))
            return n;
        xmlNodePtr in = element_at(n->children, line, name);
        if (in)
            return in;
    }
    return NULL;
}

/* A header's position with a column and a template, from the stylesheet documents known. */
static void locate(run *r, position *p, const char *element)
{
    if (!p->file || p->line <= 0)
        return;
    xmlNodePtr inst = r->tctx && !r->compiling ? r->tctx->inst : NULL;
    xmlNodePtr node = NULL;
    if (inst && inst->doc && xmlGetLineNo(inst) == p->line && inst->doc->URL &&
        !strcmp((const char *)inst->doc->URL, p->file))
        node = inst;
    for (guint i = 0; !node && i < r->sheets->len; i++) {
        xmlDocPtr d = g_ptr_array_index(r->sheets, i);
        if (d->URL && !strcmp((const char *)d->URL, p->file))
            node = element_at(xmlDocGetRootElement(d), p->line, element);
    }
    if (node)
        position_of_node(node, p);
}

/* "compilation error: file F line L element E", "runtime error: element E"... */
static bool parse_header(const char *line, position *p, char **element, bool *warning)
{
    static const char *const kinds[] = {"runtime error", "compilation error", "compilation warning", "error"};
    const char *rest = NULL;
    for (size_t i = 0; i < G_N_ELEMENTS(kinds) && !rest; i++) {
        size_t n = strlen(kinds[i]);
        if (!strncmp(line, kinds[i], n) && (!strncmp(line + n, ": ", 2) || !line[n]))
            rest = line[n] ? line + n + 2 : line + n;
    }
    if (!rest)
        return false;
    position_clear(p);
    *element = NULL;
    char *s = g_strdup(rest);
    char *el = g_strrstr(s, " element ");
    if (el) {
        *element = g_strdup(el + 9);
        *el = 0;
    } else if (!strncmp(s, "element ", 8)) {
        *element = g_strdup(s + 8);
        *s = 0;
    }
    char *ln = g_strrstr(s, " line ");
    if (ln) {
        p->line = atoi(ln + 6);
        *ln = 0;
    }
    if (!strncmp(s, "file ", 5))
        p->file = g_strdup(s + 5);
    g_free(s);
    *warning = g_str_has_prefix(line, "compilation warning");
    return true;
}

/* ------------------------------------------------------------------ reporting */

static void report_at(run *r, const position *p, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void report_at(run *r, const position *p, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    const char *file = p && p->file ? p->file : r->stylesheet;
    if (p && p->templ)
        wb_error(r->ctx, WB_ERR_INPUT, file, p ? p->line : 0, p ? p->col : 0, "%s (in %s)", msg, p->templ);
    else
        wb_error(r->ctx, WB_ERR_INPUT, file, p ? p->line : 0, p ? p->col : 0, "%s", msg);
    g_free(msg);
}

/* The message of one of libxslt's errors, in the engine's words where it has them. */
static char *error_words(run *r, const char *text)
{
    const char *nl = strchr(text, '\n');
    char *first = g_strndup(text, nl ? (gsize)(nl - text) : strlen(text));
    g_strstrip(first);
    /* "xsltApplySequenceConstructor: ", "xsltCompilePattern : " name libxslt's function,
     * not the fault */
    const char *msg = first;
    size_t id = strspn(first, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_");
    if (id > 0 && (!strncmp(first + id, ": ", 2) || !strncmp(first + id, " : ", 3)))
        msg = first + id + (first[id] == ' ' ? 3 : 2);
    char *out;
    if (strstr(text, "maxTemplateVars"))
        out = g_strdup_printf("more than %d variables and parameters live at once: an endless recursion?",
                              r->tctx ? r->tctx->maxTemplateVars : xsltMaxVars);
    else if (strstr(text, "infinite template recursion"))
        out = g_strdup_printf("templates nested more than %d deep: an endless recursion?",
                              r->tctx ? r->tctx->maxTemplateDepth : xsltMaxDepth);
    else if (r->detail && (strstr(msg, "XPath evaluation returned no result") ||
                           strstr(msg, "Failed to compile") || strstr(msg, "failed to compile")))
        out = g_strdup(r->detail);
    else
        out = g_strdup(msg);
    g_free(first);
    return out;
}

/* A unit of libxslt's output: an error's header, its message, the notes after it, or a line
 * of xsl:message. */
static void on_unit(run *r, const char *text, bool generic)
{
    char *element = NULL;
    position hdr = {0};
    bool warning = false;
    if (parse_header(text, &hdr, &element, &warning)) {
        r->warning = warning;
        locate(r, &hdr, element);
        g_free(element);
        position_clear(&r->hdr);
        r->hdr = hdr;
        r->expect_message = true;
        r->in_tail = false;
        if (r->stop != STOP_NONE && !r->stop_at.file) {
            r->stop_at = r->hdr;
            r->stop_at.file = g_strdup(r->hdr.file);
            r->stop_at.templ = g_strdup(r->hdr.templ);
        }
        return;
    }
    if (r->expect_message) {
        r->expect_message = false;
        r->in_tail = true;
        /* after a stop, a refused read or enough errors, libxslt only echoes */
        if (r->warning) {
            char *words = error_words(r, text);
            wb_warning(r->ctx, r->hdr.file ? r->hdr.file : r->stylesheet, r->hdr.line, r->hdr.col, "%s", words);
            g_free(words);
        } else if (r->stop == STOP_NONE && !r->settled && r->reported < MAX_REPORTED) {
            char *words = error_words(r, text);
            report_at(r, &r->hdr, "%s", words);
            g_free(words);
            r->reported++;
        }
        g_free(r->detail);
        r->detail = NULL;
        return;
    }
    /* libxslt's notes after an error: the template stack, the variables */
    if (r->in_tail && (g_str_has_prefix(text, "Templates:") || g_str_has_prefix(text, "Variables:") ||
                       (text[0] == '#' && g_ascii_isdigit(text[1])) || g_str_has_prefix(text, "You can adjust")))
        return;
    r->in_tail = false;
    if (r->compiling || generic) {
        /* libxslt's and libxml2's complaints without a position: the reason when nothing
         * better is said (libxml2's structured error or libxslt's with a position) */
        if (!r->detail) {
            char *words = error_words(r, text);
            r->detail = words;
        }
        return;
    }
    /* xsl:message: a note when the next one comes or the run ends well; the reason when
     * it stops the run */
    gchar **lines = g_strsplit(text, "\n", -1);
    for (int i = 0; lines[i]; i++) {
        if (!*lines[i])
            continue;
        if (r->last_message)
            wb_note(r->ctx, r->stylesheet, 0, 0, "%s", r->last_message);
        g_free(r->last_message);
        r->last_message = g_strdup(lines[i]);
        r->message_inst = r->tctx ? r->tctx->inst : NULL;
    }
    g_strfreev(lines);
}

static void take_output(run *r, GString *pending, bool generic, const char *fmt, va_list ap)
{
    g_string_append_vprintf(pending, fmt, ap);
    if (pending->len && pending->str[pending->len - 1] == '\n') {
        g_string_truncate(pending, pending->len - 1);
        on_unit(r, pending->str, generic);
        g_string_truncate(pending, 0);
    }
}

static void on_output(void *data, const char *fmt, ...)
{
    run *r = data;
    va_list ap;
    va_start(ap, fmt);
    take_output(r, r->pending, false, fmt, ap);
    va_end(ap);
}

static void on_generic_output(void *data, const char *fmt, ...)
{
    run *r = data;
    va_list ap;
    va_start(ap, fmt);
    take_output(r, r->pending_generic, true, fmt, ap);
    va_end(ap);
}

static void flush_output(run *r)
{
    if (r->pending_generic->len)
        on_unit(r, r->pending_generic->str, true);
    g_string_truncate(r->pending_generic, 0);
    if (r->pending->len)
        on_unit(r, r->pending->str, false);
    g_string_truncate(r->pending, 0);
}

/* libxml2's errors during the run (XPath, mostly): kept for libxslt's error that follows,
 * which knows the instruction.  A structured handler prints no source line. */
static void on_xml_error(void *data, xmlErrorPtr err)
{
    run *r = data;
    if (!err || err->level == XML_ERR_NONE || err->level == XML_ERR_WARNING)
        return;
    const char *m = err->message ? err->message : "error";
    char *msg = g_strndup(m, strcspn(m, "\n"));
    g_strstrip(msg);
    g_free(r->detail);
    if (err->domain == XML_FROM_XPATH && err->str1)
        r->detail = g_strdup_printf("XPath: %s in \"%s\"", msg, err->str1);
    else if (err->domain == XML_FROM_XPATH)
        r->detail = g_strdup_printf("XPath: %s", msg);
    else
        r->detail = g_strdup(msg);
    g_free(msg);
}

/* ------------------------------------------------------------------ reading */

/* A URI libxslt resolved to the file it names: a file: URI or a path, %-escapes undone.
 * NULL for another scheme. */
static char *uri_to_path(const char *uri)
{
    if (g_ascii_strncasecmp(uri, "file:", 5) == 0) {
        char *host = NULL;
        char *path = g_filename_from_uri(uri, &host, NULL);
        bool local = !host || g_ascii_strcasecmp(host, "localhost") == 0;
        g_free(host);
        if (local && path)
            return path;
        g_free(path);
        /* "file:name" without slashes */
        char *u = xmlURIUnescapeString(uri + 5, 0, NULL);
        char *p = g_strdup(u);
        xmlFree(u);
        return p;
    }
    if (strstr(uri, "://"))
        return NULL;
    char *u = xmlURIUnescapeString(uri, 0, NULL);
    char *p = g_strdup(u ? u : uri);
    xmlFree(u);
    return p;
}

/* The canonical path a path would have: realpath of the file, or of its folder and the
 * name when the file is not there.  NULL when neither resolves. */
static char *canonical(const char *path)
{
    char real[PATH_MAX];
    if (realpath(path, real))
        return g_strdup(real);
    char *dir = g_path_get_dirname(path), *base = g_path_get_basename(path);
    char *out = NULL;
    if (realpath(dir, real) && strcmp(base, "..") && strcmp(base, "."))
        out = g_build_filename(real, base, NULL);
    g_free(dir);
    g_free(base);
    return out;
}

static bool inside(const run *r, const char *real)
{
    for (guint i = 0; i < r->folders->len; i++) {
        const char *f = g_ptr_array_index(r->folders, i);
        size_t n = strlen(f);
        if (!strncmp(real, f, n) && (real[n] == '/' || real[n] == 0 || (n == 1 && f[0] == '/')))
            return true;
    }
    return false;
}

static char *folders_text(const run *r)
{
    GString *s = g_string_new(NULL);
    for (guint i = 0; i < r->folders->len; i++)
        g_string_append_printf(s, "%s%s", i ? ", " : "", (const char *)g_ptr_array_index(r->folders, i));
    return g_string_free(s, FALSE);
}

/* The xsl:import or xsl:include whose href resolves to `uri`, in the stylesheets known. */
static xmlNodePtr import_naming(run *r, const char *uri, xmlNodePtr n)
{
    for (; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        if (n->ns && xmlStrEqual(n->ns->href, BAD_CAST XSLT_NS) &&
            (xmlStrEqual(n->name, BAD_CAST "import") || xmlStrEqual(n->name, BAD_CAST "include"))) {
            xmlChar *href = xmlGetNoNsProp(n, BAD_CAST "href");
            xmlChar *base = xmlNodeGetBase(n->doc, n);
            xmlChar *u = href ? xmlBuildURI(href, base) : NULL;
            bool hit = u && !strcmp((const char *)u, uri);
            xmlFree(u);
            xmlFree(base);
            xmlFree(href);
            if (hit)
                return n;
        }
        xmlNodePtr in = import_naming(r, uri, n->children);
        if (in)
            return in;
    }
    return NULL;
}

/* Where a read asked for: the instruction running (document()), or the xsl:import or
 * xsl:include that names it; *what receives how to name the read. */
static void read_position(run *r, const char *uri, position *p, char **what)
{
    *p = (position){0};
    if (r->tctx && !r->compiling && r->tctx->inst) {
        position_of_node(r->tctx->inst, p);
        *what = g_strdup_printf("document('%s')", uri);
        return;
    }
    for (guint i = 0; i < r->sheets->len; i++) {
        xmlNodePtr n = import_naming(r, uri, xmlDocGetRootElement(g_ptr_array_index(r->sheets, i)));
        if (n) {
            position_of_node(n, p);
            *what = g_strdup_printf("xsl:%s href=\"%s\"", (const char *)n->name, uri);
            return;
        }
    }
    *what = g_strdup_printf("\"%s\"", uri);
}

/* Whether a stylesheet may read `path` (NULL: not a local file), which `uri` names; a
 * refusal is reported (once per run: the run stops).  *real_out receives the canonical path
 * of an allowed read. */
static bool may_read_path(run *r, const char *uri, const char *path, char **real_out)
{
    *real_out = NULL;
    char *real = path ? canonical(path) : NULL;
    bool ok = real && inside(r, real);
    if (!ok && !r->settled) {
        position p;
        char *what = NULL;
        read_position(r, uri, &p, &what);
        if (!path) {
            report_at(r, &p, "%s is not a local file (a stylesheet reads nothing from the network)", what);
        } else {
            char *list = folders_text(r);
            report_at(r, &p, "%s is outside the folders a stylesheet may read (%s)", what, list);
            g_free(list);
        }
        g_free(what);
        position_clear(&p);
        r->settled = true;
        stop_run(r, STOP_INPUT);
    }
    if (ok)
        *real_out = real;
    else
        g_free(real);
    return ok;
}

static bool may_read(run *r, const char *uri, char **real_out)
{
    char *path = uri_to_path(uri);
    bool ok = may_read_path(r, uri, path, real_out);
    g_free(path);
    return ok;
}

/* XSLT_SECPREF_READ_FILE: libxslt asks before document(), xsl:import and xsl:include,
 * with the path of the URI it resolved. */
static int check_read(xsltSecurityPrefsPtr sec, xsltTransformContextPtr tctx, const char *value)
{
    run *r = current;
    if (!r)
        return 1; /* not a run of the engine's: libxslt's default */
    if (!value)
        return 0;
    char *real = NULL;
    bool ok = may_read_path(r, value, value, &real);
    g_free(real);
    return ok ? 1 : 0;
}

static int refuse_network(xsltSecurityPrefsPtr sec, xsltTransformContextPtr tctx, const char *value)
{
    run *r = current;
    if (!r)
        return 1;
    if (!r->settled) {
        position p;
        char *what = NULL;
        read_position(r, value, &p, &what);
        report_at(r, &p, "%s is not a local file (a stylesheet reads nothing from the network)", what);
        g_free(what);
        position_clear(&p);
        r->settled = true;
        stop_run(r, STOP_INPUT);
    }
    return 0;
}

/* A structured sink for one parse: errors at file:line:col, the first only, no source line. */
typedef struct parse_sink {
    run *r;
    const char *file;
    bool seen;
} parse_sink;

static void on_parse_error(void *data, xmlErrorPtr err)
{
    parse_sink *s = data;
    if (!err || err->level < XML_ERR_ERROR || s->seen)
        return;
    s->seen = true;
    const char *m = err->message ? err->message : "malformed XML";
    char *msg = err->code == XML_ERR_ENTITY_LOOP
                    ? g_strdup("the entities refer to themselves or expand too much")
                    : g_strndup(m, strcspn(m, "\n"));
    g_strstrip(msg);
    wb_error(s->r->ctx, WB_ERR_INPUT, err->file ? err->file : s->file, err->line, err->int2, "%s", msg);
    g_free(msg);
}

/* Parses a file a stylesheet reads (`real`, its canonical path; `uri` becomes its URL). */
static xmlDocPtr parse_for_stylesheet(run *r, const char *uri, const char *real, xmlDictPtr dict, int options)
{
    size_t mark = wb_ctx_mark(r->ctx);
    if (!wb_check_input(r->ctx, real, true)) {
        /* said at the instruction that reads it */
        size_t n = 0;
        const wb_diagnostic *d = wb_ctx_diagnostics(r->ctx, &n);
        char *why = n > mark ? g_strdup(d[mark].message) : g_strdup("cannot be read");
        wb_ctx_rollback(r->ctx, mark);
        position p;
        char *what = NULL;
        read_position(r, uri, &p, &what);
        report_at(r, &p, "%s: %s", what, why);
        g_free(what);
        g_free(why);
        position_clear(&p);
        r->settled = true;
        stop_run(r, STOP_INPUT);
        return NULL;
    }
    xmlParserCtxtPtr pctxt = xmlNewParserCtxt();
    if (!pctxt)
        return NULL;
    if (dict) {
        xmlDictFree(pctxt->dict);
        pctxt->dict = dict;
        xmlDictReference(dict);
    }
    parse_sink sink = {r, uri, false};
    xmlSetStructuredErrorFunc(&sink, on_parse_error);
    xmlParserCtxtPtr outer = r->parsing;
    r->parsing = pctxt;
    xmlDocPtr doc = xmlCtxtReadFile(pctxt, real, NULL, options);
    r->parsing = outer;
    xmlSetStructuredErrorFunc(r, on_xml_error);
    if (doc && !pctxt->wellFormed) {
        xmlFreeDoc(doc);
        doc = NULL;
    }
    xmlFreeParserCtxt(pctxt);
    if (!doc) {
        if (!sink.seen)
            wb_error(r->ctx, WB_ERR_INPUT, uri, 0, 0, "not a well-formed XML file");
        r->settled = true;
        stop_run(r, STOP_INPUT);
        return NULL;
    }
    xmlFree((xmlChar *)doc->URL);
    doc->URL = xmlStrdup(BAD_CAST uri);
    return doc;
}

/* Parser options for what a stylesheet reads: never the network, a DTD, XInclude or
 * libxml2's huge mode; entities are substituted only in stylesheets (as libxslt does), and
 * an external one goes through the guarded entity loader. */
static int read_options(int options, xsltLoadType type)
{
    options &= ~(XML_PARSE_DTDLOAD | XML_PARSE_DTDATTR | XML_PARSE_DTDVALID | XML_PARSE_XINCLUDE | XML_PARSE_HUGE);
    if (type == XSLT_LOAD_DOCUMENT)
        options &= ~XML_PARSE_NOENT;
    return options | XML_PARSE_NONET | XML_PARSE_BIG_LINES;
}

static xsltDocLoaderFunc default_loader;

/* libxslt's document loader for the run: document() and stylesheet imports. */
static xmlDocPtr load_for_stylesheet(const xmlChar *uri, xmlDictPtr dict, int options, void *octxt, xsltLoadType type)
{
    run *r = current;
    if (!r)
        return default_loader ? default_loader(uri, dict, read_options(options, type), octxt, type) : NULL;
    if (r->stop != STOP_NONE || !uri)
        return NULL;
    char *real = NULL;
    if (!may_read(r, (const char *)uri, &real))
        return NULL;
    if (access(real, F_OK) != 0) {
        /* document() of a file that is not there is an empty node-set (XSLT 1.0, 12.1) */
        if (type == XSLT_LOAD_DOCUMENT) {
            position p;
            char *what = NULL;
            read_position(r, (const char *)uri, &p, &what);
            wb_warning(r->ctx, p.file ? p.file : r->stylesheet, p.line, p.col, "%s: no such file", what);
            g_free(what);
            position_clear(&p);
        } else {
            position p;
            char *what = NULL;
            read_position(r, (const char *)uri, &p, &what);
            report_at(r, &p, "%s: no such file", what);
            g_free(what);
            position_clear(&p);
            r->settled = true;
        }
        g_free(real);
        return NULL;
    }
    xmlDocPtr doc = parse_for_stylesheet(r, (const char *)uri, real, dict, read_options(options, type));
    g_free(real);
    if (doc && type != XSLT_LOAD_DOCUMENT)
        g_ptr_array_add(r->sheets, doc);
    return doc;
}

static xmlExternalEntityLoader default_entity_loader;

/* External entities (and every file libxml2 opens) while a stylesheet runs: inside the
 * folders only. */
static xmlParserInputPtr guarded_entity_loader(const char *url, const char *id, xmlParserCtxtPtr pctxt)
{
    run *r = current;
    if (r && url) {
        char *path = uri_to_path(url);
        char *real = path ? canonical(path) : NULL;
        bool ok = real && inside(r, real);
        if (!ok && !r->settled) {
            /* an entity is read by a parser of its own: the position is the outer one's */
            xmlParserCtxtPtr at = r->parsing ? r->parsing : pctxt;
            const char *file = at && at->input && at->input->filename ? at->input->filename : r->stylesheet;
            int line = at && at->input ? at->input->line : 0;
            char *list = folders_text(r);
            wb_error(r->ctx, WB_ERR_INPUT, file, line, 0,
                     "the entity \"%s\" is outside the folders a stylesheet may read (%s)", url, list);
            g_free(list);
            r->settled = true;
            stop_run(r, STOP_INPUT);
        }
        g_free(path);
        g_free(real);
        if (!ok)
            return NULL;
    }
    return default_entity_loader ? default_entity_loader(url, id, pctxt) : NULL;
}

/* Writing files, making folders, the network: never in a run of the engine's. */
static int forbid_in_run(xsltSecurityPrefsPtr sec, xsltTransformContextPtr tctx, const char *value)
{
    return current ? 0 : 1;
}

/* libxslt's own messages (compiling, its complaints) go to the run of this thread. */
static void generic_to_run(void *data, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    if (current)
        take_output(current, current->pending_generic, true, fmt, ap);
    else
        vfprintf(stderr, fmt, ap); /* libxslt's default */
    va_end(ap);
}

static xsltSecurityPrefsPtr run_prefs;

/* What libxml2 and libxslt keep for the whole process, set once: the allocation functions,
 * the entity and document loaders, the default security preferences and libxslt's generic
 * message handler.  Each acts for a run of the engine's only (the thread's `current`) and as
 * libxml2's and libxslt's defaults otherwise, so runs in several threads and other users of
 * the libraries in the process are left alone. */
static void install_once(void)
{
    static gsize once = 0;
    if (g_once_init_enter(&once)) {
        xmlMemSetup(counted_free, counted_malloc, counted_realloc, counted_strdup);
        default_entity_loader = xmlGetExternalEntityLoader();
        xmlSetExternalEntityLoader(guarded_entity_loader);
        default_loader = xsltDocDefaultLoader;
        xsltSetLoaderFunc(load_for_stylesheet);
        run_prefs = xsltNewSecurityPrefs();
        xsltSetSecurityPrefs(run_prefs, XSLT_SECPREF_WRITE_FILE, forbid_in_run);
        xsltSetSecurityPrefs(run_prefs, XSLT_SECPREF_CREATE_DIRECTORY, forbid_in_run);
        xsltSetSecurityPrefs(run_prefs, XSLT_SECPREF_WRITE_NETWORK, forbid_in_run);
        xsltSetSecurityPrefs(run_prefs, XSLT_SECPREF_READ_NETWORK, refuse_network);
        xsltSetSecurityPrefs(run_prefs, XSLT_SECPREF_READ_FILE, check_read);
        xsltSetDefaultSecurityPrefs(run_prefs);
        xsltSetGenericErrorFunc(NULL, generic_to_run);
        g_once_init_leave(&once, 1);
    }
}

/* The folders a run may read: the source document's, the stylesheet's, the context's. */
static void add_folder(run *r, const char *dir)
{
    char real[PATH_MAX];
    if (!dir || !realpath(dir, real))
        return;
    for (guint i = 0; i < r->folders->len; i++)
        if (!strcmp(g_ptr_array_index(r->folders, i), real))
            return;
    g_ptr_array_add(r->folders, g_strdup(real));
}

static void add_folder_of(run *r, const char *uri)
{
    char *path = uri ? uri_to_path(uri) : NULL;
    if (!path)
        return;
    char *dir = g_path_get_dirname(path);
    add_folder(r, dir);
    g_free(dir);
    g_free(path);
}

/* ------------------------------------------------------------------ wb:source() */

/* wb:source(node-set?) -> "file:line:col" of the first node (the context node if none). */
static void source_function(xmlXPathParserContextPtr pctx, int nargs)
{
    xmlNodePtr node = NULL;
    if (nargs == 1) {
        xmlXPathObjectPtr obj = valuePop(pctx);
        if (obj && obj->type == XPATH_NODESET && obj->nodesetval && obj->nodesetval->nodeNr > 0)
            node = obj->nodesetval->nodeTab[0];
        xmlXPathFreeObject(obj);
    } else if (nargs == 0) {
        node = pctx->context->node;
    } else {
        xmlXPathSetArityError(pctx);
        return;
    }
    char *file = NULL;
    int line = 0, col = 0;
    if (node)
        wb_node_position(node, &file, &line, &col);
    char buf[4096];
    if (file)
        snprintf(buf, sizeof buf, "%s:%d:%d", file, line, col > 0 ? col : 1);
    else
        buf[0] = 0;
    free(file);
    valuePush(pctx, xmlXPathNewString(BAD_CAST buf));
}

void wb_transform_register_source(xsltTransformContextPtr tctx)
{
    xsltRegisterExtFunction(tctx, BAD_CAST "source", BAD_CAST WB_XSLT_NS, source_function);
}

/* ------------------------------------------------------------------ the run */

static void report_stop(run *r)
{
    if (!r->stop_at.file && r->stop_inst)
        position_of_node(r->stop_inst, &r->stop_at);
    const position *p = r->stop_at.file ? &r->stop_at : NULL;
    wb_ctx *ctx = r->ctx;
    switch (r->stop) {
    case STOP_TIME:
        report_at(r, p, "the transformation ran for more than %llu seconds (%s raises the limit)",
                  wb_ctx_limit(ctx, WB_LIMIT_SECONDS), wb_limit_env(WB_LIMIT_SECONDS));
        break;
    case STOP_NODES:
        report_at(r, p, "the transformation made more than %llu nodes (%s raises the limit)",
                  wb_ctx_limit(ctx, WB_LIMIT_NODES), wb_limit_env(WB_LIMIT_NODES));
        break;
    case STOP_MEMORY:
        report_at(r, p, "the transformation took more than %llu MiB of memory (%s raises the limit)",
                  wb_ctx_limit(ctx, WB_LIMIT_MEMORY) >> 20, wb_limit_env(WB_LIMIT_MEMORY));
        break;
    default:
        break;
    }
}

/* Reads the stylesheet itself (any file the caller names) and compiles it. */
static xsltStylesheetPtr compile(run *r, const char *stylesheet)
{
    if (!wb_check_input(r->ctx, stylesheet, false))
        return NULL;
    parse_sink sink = {r, stylesheet, false};
    xmlSetStructuredErrorFunc(&sink, on_parse_error);
    xmlParserCtxtPtr pctxt = xmlNewParserCtxt();
    r->parsing = pctxt;
    xmlDocPtr sdoc = pctxt ? xmlCtxtReadFile(pctxt, stylesheet, NULL, XML_PARSE_NONET | XML_PARSE_BIG_LINES) : NULL;
    r->parsing = NULL;
    if (sdoc && !pctxt->wellFormed) {
        xmlFreeDoc(sdoc);
        sdoc = NULL;
    }
    xmlFreeParserCtxt(pctxt);
    xmlSetStructuredErrorFunc(r, on_xml_error);
    if (!sdoc) {
        if (!sink.seen)
            wb_error(r->ctx, WB_ERR_INPUT, stylesheet, 0, 0, "cannot read the stylesheet");
        return NULL;
    }
    if (!wb_check_tree(r->ctx, sdoc)) {
        xmlFreeDoc(sdoc);
        return NULL;
    }
    g_ptr_array_add(r->sheets, sdoc);
    xsltStylesheetPtr style = xsltParseStylesheetDoc(sdoc);
    flush_output(r);
    if (!style || style->errors > 0 || r->settled) {
        if (!style)
            xmlFreeDoc(sdoc);
        else
            xsltFreeStylesheet(style);
        if (!r->reported && !r->settled)
            wb_error(r->ctx, WB_ERR_INPUT, stylesheet, 0, 0, "the stylesheet does not compile%s%s",
                     r->detail ? ": " : "", r->detail ? r->detail : "");
        return NULL;
    }
    g_free(r->detail);
    r->detail = NULL;
    return style;
}

/* Applies the compiled stylesheet under the run's limits. */
static xmlDocPtr apply(run *r, xsltStylesheetPtr style, xmlDocPtr doc, const char *const *params)
{
    xsltTransformContextPtr tctx = xsltNewTransformContext(style, doc);
    if (!tctx) {
        wb_error(r->ctx, WB_ERR_NOMEM, r->stylesheet, 0, 0, "out of memory");
        return NULL;
    }
    xsltSetCtxtSecurityPrefs(run_prefs, tctx);
    xsltSetCtxtParseOptions(tctx, XML_PARSE_NONET | XML_PARSE_BIG_LINES);
    wb_transform_register_source(tctx);
    xsltSetTransformErrorFunc(tctx, r, on_output);
    for (const char *const *p = params; p && p[0] && p[1]; p += 2)
        xsltQuoteOneUserParam(tctx, BAD_CAST p[0], BAD_CAST p[1]);

    r->tctx = tctx;
    r->compiling = false;
    r->nodes = 0;
    r->memory = 0;
    xmlRegisterNodeFunc old_hook = xmlRegisterNodeDefault(count_node);
    watchdog_start(r);
    xmlDocPtr result = xsltApplyStylesheetUser(style, doc, NULL, NULL, NULL, tctx);
    watchdog_end(r);
    xmlRegisterNodeDefault(old_hook);
    flush_output(r);

    bool failed = !result || tctx->state == XSLT_STATE_ERROR || tctx->state == XSLT_STATE_STOPPED ||
                  r->stop != STOP_NONE || r->settled;
    if (failed) {
        xmlFreeDoc(result);
        result = NULL;
        if (r->stop != STOP_NONE && r->stop != STOP_INPUT) {
            report_stop(r);
        } else if (!r->settled && !r->reported) {
            /* xsl:message terminate="yes": its message is the error, at the xsl:message */
            if (tctx->state == XSLT_STATE_STOPPED && r->last_message) {
                position p = {0};
                if (r->message_inst)
                    position_of_node(r->message_inst, &p);
                report_at(r, p.file ? &p : NULL, "%s", r->last_message);
                position_clear(&p);
            }
            else if (r->detail)
                wb_error(r->ctx, WB_ERR_INPUT, r->stylesheet, 0, 0, "%s", r->detail);
            else
                wb_error(r->ctx, WB_ERR_INPUT, r->stylesheet, 0, 0, "the transformation failed");
            g_free(r->last_message);
            r->last_message = NULL;
        } else if (wb_ctx_status(r->ctx) == WB_OK) {
            wb_error(r->ctx, WB_ERR_INPUT, r->stylesheet, 0, 0, "the transformation failed");
        }
    } else if (!xmlDocGetRootElement(result)) {
        xmlFreeDoc(result);
        result = NULL;
        wb_error(r->ctx, WB_ERR_INPUT, r->stylesheet, 0, 0, "the transformation produced no element");
    }
    r->tctx = NULL;
    xsltFreeTransformContext(tctx);
    return result;
}

/* ------------------------------------------------------------------ runs */

/* A run over `stylesheet`, its reads confined to the folder of `doc_url` (NULL: none), the
 * stylesheet's folder and the context's read folders; `sheets` NULL for a new list (the
 * compiled stylesheet's documents otherwise, borrowed). */
static void run_begin(run *r, wb_ctx *ctx, const char *stylesheet, const char *doc_url, GPtrArray *sheets)
{
    install_once();
    *r = (run){
        .ctx = ctx,
        .stylesheet = stylesheet,
        .folders = g_ptr_array_new_with_free_func(g_free),
        .sheets = sheets ? g_ptr_array_ref(sheets) : g_ptr_array_new(),
        .pending = g_string_new(NULL),
        .pending_generic = g_string_new(NULL),
        .compiling = true,
        .node_limit = wb_ctx_limit(ctx, WB_LIMIT_NODES),
        .memory_limit = wb_ctx_limit(ctx, WB_LIMIT_MEMORY),
        .outer = current,
    };
    if (doc_url)
        add_folder_of(r, doc_url);
    add_folder_of(r, stylesheet);
    for (const char *const *f = wb_ctx_read_folders(ctx); f && *f; f++)
        add_folder(r, *f);
    current = r;
    /* libxml2's handlers are the thread's own: set for this call only */
    xmlSetGenericErrorFunc(r, on_generic_output);
    xmlSetStructuredErrorFunc(r, on_xml_error);
}

static void run_end(run *r)
{
    if (r->last_message)
        wb_note(r->ctx, r->stylesheet, 0, 0, "%s", r->last_message);
    xmlSetStructuredErrorFunc(NULL, NULL);
    xmlSetGenericErrorFunc(NULL, NULL);
    current = r->outer;
    g_free(r->last_message);
    g_free(r->detail);
    position_clear(&r->hdr);
    position_clear(&r->stop_at);
    g_string_free(r->pending, TRUE);
    g_string_free(r->pending_generic, TRUE);
    g_ptr_array_unref(r->sheets);
    g_ptr_array_free(r->folders, TRUE);
}

/* The result checked as any input is (depth, nodes); its nodes are named by the stylesheet
 * (libxslt gives them the lines of the instructions that made them).  NULL when refused. */
static xmlDocPtr checked(wb_ctx *ctx, xmlDocPtr result, const char *stylesheet)
{
    if (result && !result->URL) {
        result->URL = xmlStrdup(BAD_CAST stylesheet);
        bool ok = wb_check_tree(ctx, result);
        xmlFree((xmlChar *)result->URL);
        result->URL = NULL;
        if (!ok) {
            xmlFreeDoc(result);
            result = NULL;
        }
    } else if (result && !wb_check_tree(ctx, result)) {
        xmlFreeDoc(result);
        result = NULL;
    }
    return result;
}

xmlDocPtr wb_transform(wb_ctx *ctx, xmlDocPtr doc, const char *stylesheet, const char *const *params)
{
    run r;
    run_begin(&r, ctx, stylesheet, doc && doc->URL ? (const char *)doc->URL : ".", NULL);
    xmlDocPtr result = NULL;
    xsltStylesheetPtr style = compile(&r, stylesheet);
    if (style)
        result = checked(ctx, apply(&r, style, doc, params), stylesheet);
    run_end(&r);
    if (style)
        xsltFreeStylesheet(style);
    return result;
}

/* ------------------------------------------------------------------ compiled stylesheets */

struct wb_stylesheet {
    char *path;
    xsltStylesheetPtr style;
    GPtrArray *sheets; /* its documents (owned by style): positions in messages */
};

wb_stylesheet *wb_stylesheet_compile(wb_ctx *ctx, const char *path)
{
    run r;
    run_begin(&r, ctx, path, NULL, NULL);
    xsltStylesheetPtr style = compile(&r, path);
    wb_stylesheet *s = NULL;
    if (style) {
        s = g_new0(wb_stylesheet, 1);
        s->path = g_strdup(path);
        s->style = style;
        s->sheets = g_ptr_array_ref(r.sheets);
    }
    run_end(&r);
    return s;
}

xmlDocPtr wb_stylesheet_apply(wb_ctx *ctx, const wb_stylesheet *s, xmlDocPtr doc, const char *const *params)
{
    run r;
    run_begin(&r, ctx, s->path, doc && doc->URL ? (const char *)doc->URL : ".", s->sheets);
    xmlDocPtr result = checked(ctx, apply(&r, s->style, doc, params), s->path);
    run_end(&r);
    return result;
}

void wb_stylesheet_free(wb_stylesheet *s)
{
    if (!s)
        return;
    xsltFreeStylesheet(s->style);
    g_ptr_array_unref(s->sheets);
    g_free(s->path);
    g_free(s);
}
