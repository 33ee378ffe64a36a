/* Safe parsing of one file: no network, no DTD, external entities refused, the first parse
 * error at file:line:col, a document URL that names the file.  Hands on wb_load_xml and
 * load_report_xml_error (libxml2's errors to the context, also for the schema's). */
#include "load/load-private.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <libxml/parser.h>

/* Network off, no entity substitution, no DTD loading: external entities stay unexpanded. */
static const int parse_options = XML_PARSE_NONET | XML_PARSE_BIG_LINES | XML_PARSE_NOCDATA;

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
    char *msg = g_strdup(err->message ? err->message : "malformed XML");
    size_t n = strlen(msg);
    while (n && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
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
 * false when its content does not parse (the reference is then left alone). */
static bool expand_internal_entity(xmlNodePtr ref, xmlEntityPtr ent)
{
    xmlNodePtr list = NULL;
    if (xmlParseBalancedChunkMemory(ref->doc, NULL, NULL, 0, ent->content, &list) != 0) {
        xmlFreeNodeList(list);
        return false;
    }
    for (xmlNodePtr c = list, cn; c; c = cn) {
        cn = c->next;
        xmlUnlinkNode(c);
        xmlAddPrevSibling(ref, c);
    }
    xmlUnlinkNode(ref);
    xmlFreeNode(ref);
    return true;
}

/* Entities other than the predefined ones and character references are never expanded
 * (they could read any file); one left in the tree is an error, not a silent hole. */
static int expand_or_refuse_entities(wb_ctx *ctx, xmlNodePtr n)
{
    int rc = 0;
    for (xmlNodePtr next; n; n = next) {
        next = n->next;
        xmlEntityPtr ent = n->type == XML_ENTITY_REF_NODE ? xmlGetDocEntity(n->doc, n->name) : NULL;
        /* an entity defined in the document itself is only text: put it in place */
        if (ent && ent->etype == XML_INTERNAL_GENERAL_ENTITY && ent->content &&
            expand_internal_entity(n, ent))
            continue;
        if (n->type == XML_ENTITY_REF_NODE) {
            load_node_error(ctx, WB_ERR_INPUT, n->parent,
                            "<%s>: the external entity &%s; is not allowed (a course never reads "
                            "files through entities; use xi:include)",
                            n->parent ? (const char *)n->parent->name : "?", (const char *)n->name);
            rc = -1;
        } else if (n->children && n->type == XML_ELEMENT_NODE &&
                   expand_or_refuse_entities(ctx, n->children) != 0) {
            rc = -1;
        }
    }
    return rc;
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

/* An error unless `path` names a file that can be read as one. */
static bool is_readable_file(wb_ctx *ctx, const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        wb_error(ctx, WB_ERR_INPUT, path, 0, 0, "cannot read file: %s", strerror(errno));
        return false;
    }
    if (S_ISDIR(st.st_mode)) {
        wb_error(ctx, WB_ERR_INPUT, path, 0, 0, "is a folder, not an XML file");
        return false;
    }
    return true;
}

xmlDocPtr wb_load_xml(wb_ctx *ctx, const char *path)
{
    if (!is_readable_file(ctx, path))
        return NULL;
    xmlParserCtxtPtr pctx = xmlNewParserCtxt();
    if (!pctx) {
        wb_error(ctx, WB_ERR_NOMEM, path, 0, 0, "out of memory");
        return NULL;
    }
    xml_error_sink sink = {.ctx = ctx, .file = path, .first_only = true};
    xmlSetStructuredErrorFunc(&sink, load_report_xml_error);
    xmlDocPtr doc = xmlCtxtReadFile(pctx, path, NULL, parse_options);
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
    if (expand_or_refuse_entities(ctx, xmlDocGetRootElement(doc)) != 0) {
        xmlFreeDoc(doc);
        return NULL;
    }
    return doc;
}
