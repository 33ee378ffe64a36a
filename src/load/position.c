/* Source positions: a node's file (through xml:base after XInclude), line, and start-tag
 * column, read again from the file since libxml2 keeps only lines.  Hands on wb_node_position,
 * load_node_error, load_node_warning, load_read_line, and load_uri_to_path (the loader's one
 * URI-to-file rule). */
#include "load/load-private.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/uri.h>

char *load_uri_to_path(const char *uri)
{
    if (g_ascii_strncasecmp(uri, "file:", 5) == 0) {
        char *host = NULL;
        char *path = g_filename_from_uri(uri, &host, NULL);
        bool local = !host || g_ascii_strcasecmp(host, "localhost") == 0;
        g_free(host);
        if (local)
            return path;
        g_free(path);
        return NULL;
    }
    if (strstr(uri, "://"))
        return NULL;
    /* a relative reference or a plain path; a '%' that starts no escape stays as written */
    char *path = g_uri_unescape_string(uri, NULL);
    return path ? path : g_strdup(uri);
}

/* The bytes a URI may not hold (spaces, letters beyond ASCII) %-escaped; what is escaped
 * already, and the URI punctuation, stays. */
xmlChar *load_uri_escape(const xmlChar *ref)
{
    static const xmlChar keep[] = "/:?#[]@!$&'()*+,;=-._~%";
    return ref ? xmlURIEscapeStr(ref, keep) : NULL;
}

xmlChar *load_build_uri(const xmlChar *ref, const xmlChar *base)
{
    if (!ref)
        return NULL;
    xmlChar *uri = xmlBuildURI(ref, base ? base : BAD_CAST "");
    if (uri)
        return uri;
    /* a name written as it is on disk ("my chart.png", "données.png"): libxml2 parses only
     * URIs, so it is escaped (load_uri_to_path undoes it) */
    xmlChar *r = load_uri_escape(ref);
    xmlChar *b = load_uri_escape(base);
    uri = r ? xmlBuildURI(r, b ? b : BAD_CAST "") : NULL;
    xmlFree(r);
    xmlFree(b);
    return uri;
}

char *load_read_line(const char *file, int line)
{
    if (!file || line <= 0)
        return NULL;
    FILE *f = fopen(file, "rb");
    if (!f)
        return NULL;
    char *buf = NULL;
    size_t cap = 0;
    ssize_t len = 0;
    int n = 0;
    while ((len = getline(&buf, &cap, f)) >= 0)
        if (++n == line)
            break;
    fclose(f);
    if (n == line && len >= 0)
        return buf;
    free(buf);
    return NULL;
}

/* The element before `n` in document order: the deepest last descendant of its previous
 * sibling, else its parent. */
static xmlNodePtr previous_in_document(xmlNodePtr n)
{
    if (!n->prev)
        return n->parent;
    n = n->prev;
    while (n->last && n->type == XML_ELEMENT_NODE)
        n = n->last;
    return n;
}

/* How many elements of the same name start on the same line before `node`, in document
 * order, in the same file. */
static int same_line_elements_before(xmlNodePtr node)
{
    int line = (int)xmlGetLineNo(node), k = 0;
    xmlChar *base = xmlNodeGetBase(node->doc, node);
    for (xmlNodePtr n = previous_in_document(node); n && n->type != XML_DOCUMENT_NODE;
         n = previous_in_document(n)) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        int l = (int)xmlGetLineNo(n);
        if (l < line)
            break;
        if (l == line && xmlStrEqual(n->name, node->name)) {
            xmlChar *b = xmlNodeGetBase(n->doc, n);
            if (xmlStrEqual(b, base))
                k++;
            xmlFree(b);
        }
    }
    xmlFree(base);
    return k;
}

/* The column, in characters, of the start tag of `node` in `text` (one line of its file):
 * the skip+1-th "<name" or "<prefix:name" there.  0 when it is not found. */
static int start_tag_column_in(const char *text, xmlNodePtr node, int skip)
{
    char pat[256];
    const char *prefix = node->ns && node->ns->prefix ? (const char *)node->ns->prefix : NULL;
    if (prefix)
        snprintf(pat, sizeof pat, "<%s:%s", prefix, (const char *)node->name);
    else
        snprintf(pat, sizeof pat, "<%s", (const char *)node->name);
    size_t pl = strlen(pat);
    for (const char *p = text; (p = strstr(p, pat)) != NULL; p++) {
        char c = p[pl];
        if (c != ' ' && c != '>' && c != '/' && c != '\t' && c != '\r' && c != '\n' && c)
            continue;
        if (skip-- > 0)
            continue;
        /* Columns count characters, not bytes. */
        int col = 1;
        for (const char *q = text; q < p; q++)
            if (((unsigned char)*q & 0xC0) != 0x80)
                col++;
        return col;
    }
    return 0;
}

/* The column of the start tag of `node` on its line, found by reading that line of the file
 * again.  0 when it cannot be found. */
static int start_tag_column(const char *file, int line, xmlNodePtr node)
{
    if (!file || line <= 0 || node->type != XML_ELEMENT_NODE)
        return 0;
    char *text = load_read_line(file, line);
    if (!text)
        return 0;
    int col = start_tag_column_in(text, node, same_line_elements_before(node));
    free(text);
    return col;
}

void wb_node_position(xmlNodePtr node, char **file, int *line, int *col)
{
    *file = NULL;
    *line = 0;
    *col = 0;
    if (!node)
        return;
    if (node->type == XML_ATTRIBUTE_NODE && node->parent)
        node = node->parent;
    xmlChar *base = node->doc ? xmlNodeGetBase(node->doc, node) : NULL;
    if (base) {
        /* a URI back to a file name; one that is none is shown as it is */
        char *path = load_uri_to_path((const char *)base);
        *file = strdup(path ? path : (const char *)base);
        g_free(path);
        xmlFree(base);
    }
    *line = (int)xmlGetLineNo(node);
    if (*line < 0)
        *line = 0;
    *col = start_tag_column(*file, *line, node);
}

void load_node_error(wb_ctx *ctx, wb_status st, xmlNodePtr node, const char *fmt, ...)
{
    char *file;
    int line, col;
    wb_node_position(node, &file, &line, &col);
    char *msg = NULL;
    va_list ap;
    va_start(ap, fmt);
    if (vasprintf(&msg, fmt, ap) < 0)
        msg = NULL;
    va_end(ap);
    wb_error(ctx, st, file, line, col, "%s", msg ? msg : fmt);
    free(msg);
    free(file);
}

void load_node_warning(wb_ctx *ctx, xmlNodePtr node, const char *fmt, ...)
{
    char *file;
    int line, col;
    wb_node_position(node, &file, &line, &col);
    char *msg = NULL;
    va_list ap;
    va_start(ap, fmt);
    if (vasprintf(&msg, fmt, ap) < 0)
        msg = NULL;
    va_end(ap);
    /* the same warning once, however many languages or editions load the course */
    char *key = g_strdup_printf("load:%s:%d:%d:%s", file ? file : "", line, col, msg ? msg : fmt);
    wb_warning_once(ctx, key, file, line, col, "%s", msg ? msg : fmt);
    g_free(key);
    free(msg);
    free(file);
}
