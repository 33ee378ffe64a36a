/* libxslt's and libxml2's messages during a run, gathered as file:line:col errors naming
 * the template (the first meaningful one; the notes libxslt prints after it are dropped);
 * nothing of a file's content is ever quoted.  See run.h. */
#include "transform/run.h"

void tr_position_clear(position *p)
{
    g_free(p->file);
    g_free(p->templ);
    *p = (position){0};
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

void tr_position_of_node(xmlNodePtr node, position *p)
{
    tr_position_clear(p);
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
        tr_position_of_node(node, p);
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
    tr_position_clear(p);
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

void tr_report_at(run *r, const position *p, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void tr_report_at(run *r, const position *p, const char *fmt, ...)
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
        tr_position_clear(&r->hdr);
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
            tr_report_at(r, &r->hdr, "%s", words);
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

void tr_take_output(run *r, GString *pending, bool generic, const char *fmt, va_list ap)
{
    g_string_append_vprintf(pending, fmt, ap);
    if (pending->len && pending->str[pending->len - 1] == '\n') {
        g_string_truncate(pending, pending->len - 1);
        on_unit(r, pending->str, generic);
        g_string_truncate(pending, 0);
    }
}

void tr_on_output(void *data, const char *fmt, ...)
{
    run *r = data;
    va_list ap;
    va_start(ap, fmt);
    tr_take_output(r, r->pending, false, fmt, ap);
    va_end(ap);
}

void tr_on_generic_output(void *data, const char *fmt, ...)
{
    run *r = data;
    va_list ap;
    va_start(ap, fmt);
    tr_take_output(r, r->pending_generic, true, fmt, ap);
    va_end(ap);
}

void tr_flush_output(run *r)
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
void tr_on_xml_error(void *data, xmlErrorPtr err)
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
