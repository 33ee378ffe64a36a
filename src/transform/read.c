/* What a stylesheet may read: document(), xsl:import, xsl:include and external entities
 * inside the run's folders only, regular files within the input limit, nothing from the
 * network; the document and entity loaders and the process-wide set-up.  See run.h. */
#include "transform/run.h"



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

static bool inside(const run *r, const char *real)
{
    for (guint i = 0; i < r->folders->len; i++)
        if (wb_path_within(real, g_ptr_array_index(r->folders, i)))
            return true;
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
        tr_position_of_node(r->tctx->inst, p);
        *what = g_strdup_printf("document('%s')", uri);
        return;
    }
    for (guint i = 0; i < r->sheets->len; i++) {
        xmlNodePtr n = import_naming(r, uri, xmlDocGetRootElement(g_ptr_array_index(r->sheets, i)));
        if (n) {
            tr_position_of_node(n, p);
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
    char *real = path ? wb_path_canonical(path) : NULL;
    bool ok = real && inside(r, real);
    if (!ok && !r->settled) {
        position p;
        char *what = NULL;
        read_position(r, uri, &p, &what);
        if (!path) {
            tr_report_at(r, &p, "%s is not a local file (a stylesheet reads nothing from the network)", what);
        } else {
            char *list = folders_text(r);
            tr_report_at(r, &p, "%s is outside the folders a stylesheet may read (%s)", what, list);
            g_free(list);
        }
        g_free(what);
        tr_position_clear(&p);
        r->settled = true;
        tr_stop_run(r, STOP_INPUT);
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
    run *r = tr_current;
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
    run *r = tr_current;
    if (!r)
        return 1;
    if (!r->settled) {
        position p;
        char *what = NULL;
        read_position(r, value, &p, &what);
        tr_report_at(r, &p, "%s is not a local file (a stylesheet reads nothing from the network)", what);
        g_free(what);
        tr_position_clear(&p);
        r->settled = true;
        tr_stop_run(r, STOP_INPUT);
    }
    return 0;
}


void tr_on_parse_error(void *data, xmlErrorPtr err)
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
        tr_report_at(r, &p, "%s: %s", what, why);
        g_free(what);
        g_free(why);
        tr_position_clear(&p);
        r->settled = true;
        tr_stop_run(r, STOP_INPUT);
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
    xmlSetStructuredErrorFunc(&sink, tr_on_parse_error);
    xmlParserCtxtPtr outer = r->parsing;
    r->parsing = pctxt;
    xmlDocPtr doc = xmlCtxtReadFile(pctxt, real, NULL, options);
    r->parsing = outer;
    xmlSetStructuredErrorFunc(r, tr_on_xml_error);
    if (doc && !pctxt->wellFormed) {
        xmlFreeDoc(doc);
        doc = NULL;
    }
    xmlFreeParserCtxt(pctxt);
    if (!doc) {
        if (!sink.seen)
            wb_error(r->ctx, WB_ERR_INPUT, uri, 0, 0, "not a well-formed XML file");
        r->settled = true;
        tr_stop_run(r, STOP_INPUT);
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
    run *r = tr_current;
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
            tr_position_clear(&p);
        } else {
            position p;
            char *what = NULL;
            read_position(r, (const char *)uri, &p, &what);
            tr_report_at(r, &p, "%s: no such file", what);
            g_free(what);
            tr_position_clear(&p);
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
    run *r = tr_current;
    if (r && url) {
        char *path = uri_to_path(url);
        char *real = path ? wb_path_canonical(path) : NULL;
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
            tr_stop_run(r, STOP_INPUT);
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
    return tr_current ? 0 : 1;
}

/* libxslt's own messages (compiling, its complaints) go to the run of this thread. */
static void generic_to_run(void *data, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    if (tr_current)
        tr_take_output(tr_current, tr_current->pending_generic, true, fmt, ap);
    else
        vfprintf(stderr, fmt, ap); /* libxslt's default */
    va_end(ap);
}



/* What libxml2 and libxslt keep for the whole process, set once: the allocation functions,
 * the entity and document loaders, the default security preferences and libxslt's generic
 * message handler.  Each acts for a run of the engine's only (the thread's `tr_current`) and as
 * libxml2's and libxslt's defaults otherwise, so runs in several threads and other users of
 * the libraries in the process are left alone. */
void tr_install_once(void)
{
    static gsize once = 0;
    if (g_once_init_enter(&once)) {
        xmlMemSetup(tr_counted_free, tr_counted_malloc, tr_counted_realloc, tr_counted_strdup);
        default_entity_loader = xmlGetExternalEntityLoader();
        xmlSetExternalEntityLoader(guarded_entity_loader);
        default_loader = xsltDocDefaultLoader;
        xsltSetLoaderFunc(load_for_stylesheet);
        tr_run_prefs = xsltNewSecurityPrefs();
        xsltSetSecurityPrefs(tr_run_prefs, XSLT_SECPREF_WRITE_FILE, forbid_in_run);
        xsltSetSecurityPrefs(tr_run_prefs, XSLT_SECPREF_CREATE_DIRECTORY, forbid_in_run);
        xsltSetSecurityPrefs(tr_run_prefs, XSLT_SECPREF_WRITE_NETWORK, forbid_in_run);
        xsltSetSecurityPrefs(tr_run_prefs, XSLT_SECPREF_READ_NETWORK, refuse_network);
        xsltSetSecurityPrefs(tr_run_prefs, XSLT_SECPREF_READ_FILE, check_read);
        xsltSetDefaultSecurityPrefs(tr_run_prefs);
        xsltSetGenericErrorFunc(NULL, generic_to_run);
        g_once_init_leave(&once, 1);
    }
}

/* The folders a run may read: the source document's, the stylesheet's, the context's. */
void tr_add_folder(run *r, const char *dir)
{
    char real[PATH_MAX];
    if (!dir || !realpath(dir, real))
        return;
    for (guint i = 0; i < r->folders->len; i++)
        if (!strcmp(g_ptr_array_index(r->folders, i), real))
            return;
    g_ptr_array_add(r->folders, g_strdup(real));
}

void tr_add_folder_of(run *r, const char *uri)
{
    char *path = uri ? uri_to_path(uri) : NULL;
    if (!path)
        return;
    char *dir = g_path_get_dirname(path);
    tr_add_folder(r, dir);
    g_free(dir);
    g_free(path);
}
