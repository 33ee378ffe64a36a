/* Safe parsing of one file: no network, no DTD, external entities refused, the first parse
 * error at file:line:col, a document URL that names the file.  Hands on wb_load_xml and
 * load_report_xml_error (libxml2's errors to the context, also for the schema's). */
#include "load/load-private.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <libxml/parser.h>
#include <libxml/parserInternals.h>

const int load_parse_options = XML_PARSE_NONET | XML_PARSE_BIG_LINES | XML_PARSE_NOCDATA;

/* The parser's message in an author's words: an undefined entity is most often an HTML one.
 * (libxml2 gives the same code to an entity that is defined but does not parse, and to an
 * undefined parameter entity: their messages tell them apart.) */
static char *parse_error_message(const xmlError *err)
{
    bool undefined_entity = (err->code == XML_ERR_UNDECLARED_ENTITY ||
                             err->code == XML_WAR_UNDECLARED_ENTITY) &&
                            err->str1 && err->message && g_str_has_prefix(err->message, "Entity '") &&
                            strstr(err->message, "' not defined");
    if (undefined_entity)
        return g_strdup_printf("the entity &%s; is not defined (XML has no HTML entities): type the "
                               "character itself or write &#160;",
                               err->str1);
    if (err->code == XML_ERR_ENTITY_LOOP)
        return g_strdup("the entities refer to themselves or expand too much (entity expansion is limited)");
    if (err->message && g_str_has_prefix(err->message, "Excessive depth in document"))
        return g_strdup_printf("elements nested more than %u deep", xmlParserMaxDepth);
    if (err->code == XML_ERR_INVALID_CHAR && err->message && strstr(err->message, "UTF-8"))
        return g_strdup("the text is not UTF-8 (and its XML declaration names no other encoding)");
    /* the first line only: libxml2 goes on with bytes of the file ("Bytes: 0xC3 0x28") */
    const char *m = err->message ? err->message : "malformed XML";
    char *msg = g_strndup(m, strcspn(m, "\n"));
    size_t n = strlen(msg);
    while (n && msg[n - 1] == ' ')
        msg[--n] = 0;
    return msg;
}

void load_report_xml_error(void *data, xmlErrorPtr err)
{
    xml_error_sink *sink = data;
    if (!err || err->level == XML_ERR_NONE)
        return;
    if (err->level >= XML_ERR_ERROR) {
        if (sink->first_only && sink->error_seen)
            return;
        sink->error_seen = true;
    }
    const char *file = err->file ? err->file : sink->file;
    char *msg = parse_error_message(err);
    if (err->level == XML_ERR_WARNING)
        wb_warning(sink->ctx, file, err->line, err->int2, "%s", msg);
    else
        wb_error(sink->ctx, WB_ERR_INPUT, file, err->line, err->int2, "%s", msg);
    g_free(msg);
}

/* Puts an internal general entity's text in the place of its reference `ref`.  Returns
 * false when its content does not parse (the reference is then left alone); *first
 * receives the first node put in its place (NULL when the entity is empty). */
static bool expand_internal_entity(xmlNodePtr ref, xmlEntityPtr ent, xmlNodePtr *first)
{
    xmlNodePtr list = NULL;
    *first = NULL;
    if (xmlParseBalancedChunkMemory(ref->doc, NULL, NULL, 0, ent->content, &list) != 0) {
        xmlFreeNodeList(list);
        return false;
    }
    *first = list;
    for (xmlNodePtr c = list, cn; c; c = cn) {
        cn = c->next;
        xmlUnlinkNode(c);
        xmlAddPrevSibling(ref, c);
    }
    xmlUnlinkNode(ref);
    xmlFreeNode(ref);
    return true;
}

int load_expand_entities(load_expansion *ex, xmlNodePtr n)
{
    wb_ctx *ctx = ex->ctx;
    int rc = 0;
    for (xmlNodePtr next; n && !ex->over; n = next) {
        next = n->next;
        xmlEntityPtr ent = n->type == XML_ENTITY_REF_NODE ? xmlGetDocEntity(n->doc, n->name) : NULL;
        /* an entity defined in the document itself is only text: put it in place */
        if (ent && ent->etype == XML_INTERNAL_GENERAL_ENTITY && ent->content) {
            ex->bytes += (unsigned long long)xmlStrlen(ent->content) + 1;
            if (wb_ctx_over_limit(ctx, WB_LIMIT_INPUT_BYTES, ex->bytes)) {
                load_node_error(ctx, WB_ERR_INPUT, n->parent,
                                "the entities expand to more than %llu bytes (%s raises the limit)",
                                wb_ctx_limit(ctx, WB_LIMIT_INPUT_BYTES), wb_limit_env(WB_LIMIT_INPUT_BYTES));
                ex->over = true;
                return -1;
            }
            xmlNodePtr parent = n->parent, first = NULL;
            if (parent && expand_internal_entity(n, ent, &first)) {
                if (first)
                    next = first;
                continue;
            }
        }
        if (n->type == XML_ENTITY_REF_NODE) {
            load_node_error(ctx, WB_ERR_INPUT, n->parent,
                            "<%s>: the external entity &%s; is not allowed (a course never reads "
                            "files through entities; use xi:include)",
                            n->parent ? (const char *)n->parent->name : "?", (const char *)n->name);
            rc = -1;
        } else if (n->children && n->type == XML_ELEMENT_NODE &&
                   load_expand_entities(ex, n->children) != 0) {
            rc = -1;
        }
    }
    return ex->over ? -1 : rc;
}

/* libxml2 keeps a path that reads as a URI as it is ("a%41/x.xml") and the loader reads the
 * URL back as a file name ("aA/x.xml"): when the two differ, the document's URL becomes the
 * path with its characters escaped, so that it names the file it came from. */
static void keep_url_naming_file(xmlDocPtr doc, const char *path)
{
    char *back = doc->URL ? load_uri_to_path((const char *)doc->URL) : NULL;
    bool names_file = back && strcmp(back, path) == 0;
    g_free(back);
    if (names_file)
        return;
    char *url = g_uri_escape_string(path, "/", FALSE);
    xmlFree((xmlChar *)doc->URL);
    doc->URL = xmlStrdup(BAD_CAST url);
    g_free(url);
}

bool wb_check_input(wb_ctx *ctx, const char *path, bool regular)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        wb_error(ctx, WB_ERR_INPUT, path, 0, 0, "cannot read file: %s", strerror(errno));
        return false;
    }
    if (S_ISDIR(st.st_mode)) {
        wb_error(ctx, WB_ERR_INPUT, path, 0, 0, "is a folder, not a file");
        return false;
    }
    if (regular && !S_ISREG(st.st_mode)) {
        wb_error(ctx, WB_ERR_INPUT, path, 0, 0, "is not a regular file (a device, a pipe or a socket is never read)");
        return false;
    }
    if (S_ISREG(st.st_mode) && wb_ctx_over_limit(ctx, WB_LIMIT_INPUT_BYTES, (unsigned long long)st.st_size)) {
        wb_error(ctx, WB_ERR_INPUT, path, 0, 0, "the file has %lld bytes, more than the limit of %llu (%s raises it)",
                 (long long)st.st_size, wb_ctx_limit(ctx, WB_LIMIT_INPUT_BYTES), wb_limit_env(WB_LIMIT_INPUT_BYTES));
        return false;
    }
    return true;
}

unsigned long load_tree_depth(xmlNodePtr n, unsigned long limit, xmlNodePtr *deepest, unsigned long long *count)
{
    unsigned long depth = 1, max = 0;
    *deepest = NULL;
    *count = 0;
    xmlNodePtr top = n;
    while (n) {
        (*count)++;
        if (n->type == XML_ELEMENT_NODE && depth > max) {
            max = depth;
            if (limit && depth > limit && !*deepest)
                *deepest = n;
        }
        if (n->type == XML_ELEMENT_NODE && n->children) {
            n = n->children;
            depth++;
            continue;
        }
        while (n != top && !n->next) {
            n = n->parent;
            depth--;
        }
        if (n == top)
            break;
        n = n->next;
    }
    return max;
}

bool wb_check_tree(wb_ctx *ctx, xmlDocPtr doc)
{
    xmlNodePtr root = xmlDocGetRootElement(doc);
    if (!root)
        return true;
    unsigned long long limit = wb_ctx_limit(ctx, WB_LIMIT_DEPTH), count = 0;
    xmlNodePtr deepest = NULL;
    load_tree_depth(root, (unsigned long)MIN(limit, (unsigned long long)ULONG_MAX), &deepest, &count);
    if (deepest) {
        load_node_error(ctx, WB_ERR_INPUT, deepest, "<%s>: elements nested more than %llu deep (%s raises the limit)",
                        (const char *)deepest->name, limit, wb_limit_env(WB_LIMIT_DEPTH));
        return false;
    }
    if (wb_ctx_over_limit(ctx, WB_LIMIT_NODES, count)) {
        load_node_error(ctx, WB_ERR_INPUT, root, "the document has %llu nodes, more than the limit of %llu (%s raises it)",
                        count, wb_ctx_limit(ctx, WB_LIMIT_NODES), wb_limit_env(WB_LIMIT_NODES));
        return false;
    }
    return true;
}

xmlDocPtr load_xml_file(wb_ctx *ctx, const char *path, bool regular)
{
    if (!wb_check_input(ctx, path, regular))
        return NULL;
    xmlParserCtxtPtr pctx = xmlNewParserCtxt();
    if (!pctx) {
        wb_error(ctx, WB_ERR_NOMEM, path, 0, 0, "out of memory");
        return NULL;
    }
    xml_error_sink sink = {.ctx = ctx, .file = path, .first_only = true};
    xmlSetStructuredErrorFunc(&sink, load_report_xml_error);
    xmlDocPtr doc = xmlCtxtReadFile(pctx, path, NULL, load_parse_options);
    xmlSetStructuredErrorFunc(NULL, NULL);
    bool ok = doc && pctx->wellFormed;
    xmlFreeParserCtxt(pctx);
    if (!ok) {
        if (wb_ctx_status(ctx) == WB_OK)
            wb_error(ctx, WB_ERR_INPUT, path, 0, 0, "not a well-formed XML file");
        xmlFreeDoc(doc);
        return NULL;
    }
    if (!xmlDocGetRootElement(doc)) {
        wb_error(ctx, WB_ERR_INPUT, path, 1, 1, "the document has no root element");
        xmlFreeDoc(doc);
        return NULL;
    }
    keep_url_naming_file(doc, path);
    load_expansion ex = {.ctx = ctx};
    if (load_expand_entities(&ex, xmlDocGetRootElement(doc)) != 0 || !wb_check_tree(ctx, doc)) {
        xmlFreeDoc(doc);
        return NULL;
    }
    return doc;
}

xmlDocPtr wb_load_xml(wb_ctx *ctx, const char *path) { return load_xml_file(ctx, path, false); }
