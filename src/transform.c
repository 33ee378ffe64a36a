/* Stage 2, transform: XSLT with libxslt under security preferences.
 * See include/workbook/transform.h for the contract. */
#include "workbook/transform.h"

#include <stdlib.h>
#include <string.h>

#include <glib.h>
#include <libxml/xpathInternals.h>
#include <libxslt/extensions.h>
#include <libxslt/security.h>
#include <libxslt/transform.h>
#include <libxslt/variables.h>
#include <libxslt/xsltInternals.h>
#include <libxslt/xsltutils.h>

#include "workbook/load.h"

/* libxslt hands messages over in pieces (printf fragments); a line is one diagnostic. */
typedef struct message_sink {
    wb_ctx *ctx;
    const char *file;
    GString *pending;
    bool is_error; /* messages while compiling the stylesheet are errors */
    char *last;    /* the last message of the run: the reason, when it stops the run */
} message_sink;

static void flush_line(message_sink *s, const char *line)
{
    if (!*line)
        return;
    if (s->is_error) {
        wb_error(s->ctx, WB_ERR_INPUT, s->file, 0, 0, "%s", line);
        return;
    }
    /* a message becomes a note when the next one comes or the run ends well */
    if (s->last)
        wb_note(s->ctx, s->file, 0, 0, "%s", s->last);
    g_free(s->last);
    s->last = g_strdup(line);
}

static void sink_write(void *data, const char *fmt, ...)
{
    message_sink *s = data;
    va_list ap;
    va_start(ap, fmt);
    g_string_append_vprintf(s->pending, fmt, ap);
    va_end(ap);
    char *nl;
    while ((nl = strchr(s->pending->str, '\n')) != NULL) {
        *nl = 0;
        flush_line(s, s->pending->str);
        g_string_erase(s->pending, 0, nl - s->pending->str + 1);
    }
}

static void sink_flush(message_sink *s)
{
    flush_line(s, s->pending->str);
    g_string_truncate(s->pending, 0);
}

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

xmlDocPtr wb_transform(wb_ctx *ctx, xmlDocPtr doc, const char *stylesheet,
                       const char *const *params)
{
    message_sink sink = {ctx, stylesheet, g_string_new(NULL), true};
    xmlDocPtr result = NULL;
    xsltStylesheetPtr style = NULL;
    xsltTransformContextPtr tctx = NULL;
    xsltSecurityPrefsPtr sec = NULL;

    /* Compiling reports through libxslt's one global handler: set it for this call only. */
    xsltSetGenericErrorFunc(&sink, sink_write);
    xmlSetGenericErrorFunc(&sink, sink_write);
    xmlDocPtr sdoc = xmlReadFile(stylesheet, NULL, XML_PARSE_NONET | XML_PARSE_BIG_LINES);
    if (!sdoc) {
        sink_flush(&sink);
        wb_error(ctx, WB_ERR_INPUT, stylesheet, 0, 0, "cannot read the stylesheet");
        goto out;
    }
    style = xsltParseStylesheetDoc(sdoc);
    sink_flush(&sink);
    if (!style || style->errors > 0) {
        if (!style)
            xmlFreeDoc(sdoc);
        wb_error(ctx, WB_ERR_INPUT, stylesheet, 0, 0, "the stylesheet does not compile");
        goto out;
    }

    tctx = xsltNewTransformContext(style, doc);
    if (!tctx) {
        wb_error(ctx, WB_ERR_NOMEM, stylesheet, 0, 0, "out of memory");
        goto out;
    }
    sec = xsltNewSecurityPrefs();
    xsltSetSecurityPrefs(sec, XSLT_SECPREF_WRITE_FILE, xsltSecurityForbid);
    xsltSetSecurityPrefs(sec, XSLT_SECPREF_CREATE_DIRECTORY, xsltSecurityForbid);
    xsltSetSecurityPrefs(sec, XSLT_SECPREF_WRITE_NETWORK, xsltSecurityForbid);
    xsltSetSecurityPrefs(sec, XSLT_SECPREF_READ_NETWORK, xsltSecurityForbid);
    xsltSetCtxtSecurityPrefs(sec, tctx);
    xsltSetCtxtParseOptions(tctx, XML_PARSE_NONET | XML_PARSE_BIG_LINES);
    xsltRegisterExtFunction(tctx, BAD_CAST "source", BAD_CAST WB_XSLT_NS, source_function);

    /* During the run, xsl:message output is a note; a terminating one also fails the run. */
    sink.is_error = false;
    xsltSetTransformErrorFunc(tctx, &sink, sink_write);
    for (const char *const *p = params; p && p[0] && p[1]; p += 2)
        xsltQuoteOneUserParam(tctx, BAD_CAST p[0], BAD_CAST p[1]);
    result = xsltApplyStylesheetUser(style, doc, NULL, NULL, NULL, tctx);
    sink_flush(&sink);
    if (!result || tctx->state == XSLT_STATE_ERROR || tctx->state == XSLT_STATE_STOPPED) {
        xmlFreeDoc(result);
        result = NULL;
        /* xsl:message terminate="yes": its message is the error */
        if (tctx->state == XSLT_STATE_STOPPED && sink.last)
            wb_error(ctx, WB_ERR_INPUT, stylesheet, 0, 0, "%s", sink.last);
        else
            wb_error(ctx, WB_ERR_INPUT, stylesheet, 0, 0, "the transformation failed");
        g_free(sink.last);
        sink.last = NULL;
    } else if (!xmlDocGetRootElement(result)) {
        xmlFreeDoc(result);
        result = NULL;
        wb_error(ctx, WB_ERR_INPUT, stylesheet, 0, 0, "the transformation produced no element");
    }
out:
    if (sink.last)
        wb_note(ctx, stylesheet, 0, 0, "%s", sink.last);
    g_free(sink.last);
    xsltSetGenericErrorFunc(NULL, NULL);
    xmlSetGenericErrorFunc(NULL, NULL);
    if (tctx)
        xsltFreeTransformContext(tctx);
    if (sec)
        xsltFreeSecurityPrefs(sec);
    if (style)
        xsltFreeStylesheet(style);
    g_string_free(sink.pending, TRUE);
    return result;
}
