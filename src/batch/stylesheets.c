/* Stylesheets compiled once per worker and applied to every edition that uses them.
 *
 * batch_transform keeps the contract of wb_transform (include/workbook/transform.h): libxslt
 * runs with security preferences that forbid writing files, creating folders and any
 * network access, documents are parsed without network access, xsl:message output becomes a
 * note and a terminating message the error, and the extension function wb:source(node)
 * gives "file:line:col" of a course node.  What differs is only that the compiled stylesheet
 * is kept (wb_transform compiles it at every call), with the files its compiling read, so
 * that each edition's record still names them.  Hands on batch_sheets_* and
 * batch_transform. */
#include "batch/batch-private.h"

#include <stdlib.h>
#include <string.h>

#include <libxslt/extensions.h>
#include <libxslt/security.h>
#include <libxslt/transform.h>
#include <libxslt/variables.h>
#include <libxslt/xsltInternals.h>
#include <libxslt/xsltutils.h>

#include "transform-private.h"
#include "workbook/transform.h"

typedef struct sheet {
    xsltStylesheetPtr style;
    GPtrArray *files; /* read while compiling: the stylesheet, its imports and includes */
} sheet;

struct batch_sheets {
    GHashTable *by_path; /* path -> sheet */
};

static void sheet_free(gpointer p)
{
    sheet *s = p;
    xsltFreeStylesheet(s->style);
    g_ptr_array_free(s->files, TRUE);
    g_free(s);
}

batch_sheets *batch_sheets_new(void)
{
    batch_sheets *b = g_new0(batch_sheets, 1);
    b->by_path = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, sheet_free);
    return b;
}

void batch_sheets_free(batch_sheets *b)
{
    if (!b)
        return;
    g_hash_table_destroy(b->by_path);
    g_free(b);
}

/* ------------------------------------------------------------------ messages */

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

/* ------------------------------------------------------------------ compiling */

/* The compiled stylesheet of a file, compiled on first use; NULL with errors on ctx. */
static sheet *compiled(wb_ctx *ctx, batch_sheets *b, const char *path, message_sink *sink)
{
    sheet *s = g_hash_table_lookup(b->by_path, path);
    if (s)
        return s;
    GPtrArray *files = g_ptr_array_new_with_free_func(g_free);
    batch_observe_files(files);
    xmlDocPtr sdoc = xmlReadFile(path, NULL, XML_PARSE_NONET | XML_PARSE_BIG_LINES);
    xsltStylesheetPtr style = sdoc ? xsltParseStylesheetDoc(sdoc) : NULL;
    batch_observe_files(NULL);
    sink_flush(sink);
    if (!sdoc) {
        wb_error(ctx, WB_ERR_INPUT, path, 0, 0, "cannot read the stylesheet");
    } else if (!style || style->errors > 0) {
        if (style)
            xsltFreeStylesheet(style);
        else
            xmlFreeDoc(sdoc);
        wb_error(ctx, WB_ERR_INPUT, path, 0, 0, "the stylesheet does not compile");
    } else {
        char *p = batch_normal_path(path);
        batch_add_unique(files, p);
        g_free(p);
        s = g_new0(sheet, 1);
        s->style = style;
        s->files = files;
        g_hash_table_insert(b->by_path, g_strdup(path), s);
        return s;
    }
    g_ptr_array_free(files, TRUE);
    return NULL;
}

static xsltTransformContextPtr new_run(wb_ctx *ctx, sheet *s, xmlDocPtr doc, const char *path,
                                       xsltSecurityPrefsPtr sec, message_sink *sink)
{
    xsltTransformContextPtr tctx = xsltNewTransformContext(s->style, doc);
    if (!tctx) {
        wb_error(ctx, WB_ERR_NOMEM, path, 0, 0, "out of memory");
        return NULL;
    }
    xsltSetSecurityPrefs(sec, XSLT_SECPREF_WRITE_FILE, xsltSecurityForbid);
    xsltSetSecurityPrefs(sec, XSLT_SECPREF_CREATE_DIRECTORY, xsltSecurityForbid);
    xsltSetSecurityPrefs(sec, XSLT_SECPREF_WRITE_NETWORK, xsltSecurityForbid);
    xsltSetSecurityPrefs(sec, XSLT_SECPREF_READ_NETWORK, xsltSecurityForbid);
    xsltSetCtxtSecurityPrefs(sec, tctx);
    xsltSetCtxtParseOptions(tctx, XML_PARSE_NONET | XML_PARSE_BIG_LINES);
    wb_transform_register_source(tctx);
    xsltSetTransformErrorFunc(tctx, sink, sink_write);
    return tctx;
}

/* The result of a finished run, or NULL with the reason on ctx. */
static xmlDocPtr checked_result(wb_ctx *ctx, xsltTransformContextPtr tctx, xmlDocPtr result, const char *path,
                                message_sink *sink)
{
    if (!result || tctx->state == XSLT_STATE_ERROR || tctx->state == XSLT_STATE_STOPPED) {
        xmlFreeDoc(result);
        if (tctx->state == XSLT_STATE_STOPPED && sink->last)
            wb_error(ctx, WB_ERR_INPUT, path, 0, 0, "%s", sink->last);
        else
            wb_error(ctx, WB_ERR_INPUT, path, 0, 0, "the transformation failed");
        g_free(sink->last);
        sink->last = NULL;
        return NULL;
    }
    if (!xmlDocGetRootElement(result)) {
        xmlFreeDoc(result);
        wb_error(ctx, WB_ERR_INPUT, path, 0, 0, "the transformation produced no element");
        return NULL;
    }
    return result;
}

xmlDocPtr batch_transform(wb_ctx *ctx, batch_sheets *b, xmlDocPtr doc, const char *path,
                          const char *const *params, GPtrArray *files)
{
    message_sink sink = {ctx, path, g_string_new(NULL), true, NULL};
    xsltSetGenericErrorFunc(&sink, sink_write);
    xmlSetGenericErrorFunc(&sink, sink_write);
    sheet *s = compiled(ctx, b, path, &sink);
    xmlDocPtr result = NULL;
    xsltSecurityPrefsPtr sec = NULL;
    xsltTransformContextPtr tctx = NULL;
    if (s) {
        for (guint i = 0; i < s->files->len; i++)
            batch_add_unique(files, g_ptr_array_index(s->files, i));
        sec = xsltNewSecurityPrefs();
        tctx = new_run(ctx, s, doc, path, sec, &sink);
    }
    if (tctx) {
        sink.is_error = false;
        for (const char *const *p = params; p && p[0] && p[1]; p += 2)
            xsltQuoteOneUserParam(tctx, BAD_CAST p[0], BAD_CAST p[1]);
        batch_observe_files(files);
        result = xsltApplyStylesheetUser(s->style, doc, NULL, NULL, NULL, tctx);
        batch_observe_files(NULL);
        sink_flush(&sink);
        result = checked_result(ctx, tctx, result, path, &sink);
    }
    if (sink.last)
        wb_note(ctx, path, 0, 0, "%s", sink.last);
    g_free(sink.last);
    xsltSetGenericErrorFunc(NULL, NULL);
    xmlSetGenericErrorFunc(NULL, NULL);
    if (tctx)
        xsltFreeTransformContext(tctx);
    if (sec)
        xsltFreeSecurityPrefs(sec);
    g_string_free(sink.pending, TRUE);
    return result;
}
