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
#include "transform/run.h"

/* ------------------------------------------------------------------ the run */

static void report_stop(run *r)
{
    if (!r->stop_at.file && r->stop_inst)
        tr_position_of_node(r->stop_inst, &r->stop_at);
    const position *p = r->stop_at.file ? &r->stop_at : NULL;
    wb_ctx *ctx = r->ctx;
    switch (r->stop) {
    case STOP_TIME:
        tr_report_at(r, p, "the transformation ran for more than %llu seconds (%s raises the limit)",
                  wb_ctx_limit(ctx, WB_LIMIT_SECONDS), wb_limit_env(WB_LIMIT_SECONDS));
        break;
    case STOP_NODES:
        tr_report_at(r, p, "the transformation made more than %llu nodes (%s raises the limit)",
                  wb_ctx_limit(ctx, WB_LIMIT_NODES), wb_limit_env(WB_LIMIT_NODES));
        break;
    case STOP_MEMORY:
        tr_report_at(r, p, "the transformation took more than %llu MiB of memory (%s raises the limit)",
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
    xmlSetStructuredErrorFunc(&sink, tr_on_parse_error);
    xmlParserCtxtPtr pctxt = xmlNewParserCtxt();
    r->parsing = pctxt;
    xmlDocPtr sdoc = pctxt ? xmlCtxtReadFile(pctxt, stylesheet, NULL, XML_PARSE_NONET | XML_PARSE_BIG_LINES) : NULL;
    r->parsing = NULL;
    if (sdoc && !pctxt->wellFormed) {
        xmlFreeDoc(sdoc);
        sdoc = NULL;
    }
    xmlFreeParserCtxt(pctxt);
    xmlSetStructuredErrorFunc(r, tr_on_xml_error);
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
    tr_flush_output(r);
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
    xsltSetCtxtSecurityPrefs(tr_run_prefs, tctx);
    xsltSetCtxtParseOptions(tctx, XML_PARSE_NONET | XML_PARSE_BIG_LINES);
    wb_transform_register_source(tctx);
    xsltSetTransformErrorFunc(tctx, r, tr_on_output);
    for (const char *const *p = params; p && p[0] && p[1]; p += 2)
        xsltQuoteOneUserParam(tctx, BAD_CAST p[0], BAD_CAST p[1]);

    r->tctx = tctx;
    r->compiling = false;
    r->nodes = 0;
    r->memory = 0;
    xmlRegisterNodeFunc old_hook = xmlRegisterNodeDefault(tr_count_node);
    tr_watchdog_start(r);
    xmlDocPtr result = xsltApplyStylesheetUser(style, doc, NULL, NULL, NULL, tctx);
    tr_watchdog_end(r);
    xmlRegisterNodeDefault(old_hook);
    tr_flush_output(r);

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
                    tr_position_of_node(r->message_inst, &p);
                tr_report_at(r, p.file ? &p : NULL, "%s", r->last_message);
                tr_position_clear(&p);
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
    tr_install_once();
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
        .outer = tr_current,
    };
    if (doc_url)
        tr_add_folder_of(r, doc_url);
    tr_add_folder_of(r, stylesheet);
    for (const char *const *f = wb_ctx_read_folders(ctx); f && *f; f++)
        tr_add_folder(r, *f);
    tr_current = r;
    /* libxml2's handlers are the thread's own: set for this call only */
    xmlSetGenericErrorFunc(r, tr_on_generic_output);
    xmlSetStructuredErrorFunc(r, tr_on_xml_error);
}

static void run_end(run *r)
{
    if (r->last_message)
        wb_note(r->ctx, r->stylesheet, 0, 0, "%s", r->last_message);
    xmlSetStructuredErrorFunc(NULL, NULL);
    xmlSetGenericErrorFunc(NULL, NULL);
    tr_current = r->outer;
    g_free(r->last_message);
    g_free(r->detail);
    tr_position_clear(&r->hdr);
    tr_position_clear(&r->stop_at);
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
