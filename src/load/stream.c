/* A file read as a stream: the elements that hold others come as start and end, the rest
 * whole, each checked as wb_load_xml checks a whole document (entities, depth, number of
 * nodes), so that a long document never has to be in memory at once.  Hands on
 * wb_load_xml_stream. */
#include "load/load-private.h"

#include <limits.h>

#include <libxml/parser.h>
#include <libxml/xmlreader.h>

/* What one reading has seen, against the limits. */
typedef struct reading {
    wb_ctx *ctx;
    const wb_xml_stream *s;
    load_expansion ex;
    unsigned long long nodes, node_limit, depth_limit;
} reading;

static bool within_node_limit(reading *rd, xmlNodePtr at)
{
    if (!wb_ctx_over_limit(rd->ctx, WB_LIMIT_NODES, rd->nodes))
        return true;
    load_node_error(rd->ctx, WB_ERR_INPUT, at, "the document has more than %llu nodes, the limit (%s raises it)",
                    rd->node_limit, wb_limit_env(WB_LIMIT_NODES));
    return false;
}

static bool too_deep(reading *rd, xmlNodePtr at)
{
    load_node_error(rd->ctx, WB_ERR_INPUT, at, "<%s>: elements nested more than %llu deep (%s raises the limit)",
                    (const char *)at->name, rd->depth_limit, wb_limit_env(WB_LIMIT_DEPTH));
    return false;
}

/* A whole element at `depth` (the root's is 1): its entities expanded or refused, its depth
 * and nodes counted, then handed on. */
static bool whole(reading *rd, xmlNodePtr n, unsigned long long depth)
{
    if (n->children && load_expand_entities(&rd->ex, n->children) != 0)
        return false;
    unsigned long long room = rd->depth_limit - depth + 1, count = 0;
    xmlNodePtr deepest = NULL;
    load_tree_depth(n, (unsigned long)MIN(room, (unsigned long long)ULONG_MAX), &deepest, &count);
    if (deepest)
        return too_deep(rd, deepest);
    rd->nodes += count;
    return within_node_limit(rd, n) && rd->s->node(rd->s->data, n);
}

/* An entity reference between streamed elements: what an internal entity holds is put in a
 * stand-in for the element around it, then handed on node by node. */
static bool entity(reading *rd, xmlNodePtr ref)
{
    xmlNodePtr holder = xmlNewDocNode(ref->doc, NULL, ref->parent ? ref->parent->name : BAD_CAST "entity", NULL);
    holder->line = ref->line;
    xmlNodePtr copy = xmlNewReference(ref->doc, ref->name);
    xmlAddChild(holder, copy);
    bool ok = load_expand_entities(&rd->ex, copy) == 0;
    for (xmlNodePtr c = holder->children; ok && c; c = c->next)
        ok = c->type == XML_ELEMENT_NODE ? whole(rd, c, 1) : rd->s->node(rd->s->data, c);
    xmlFreeNode(holder);
    return ok;
}

wb_status wb_load_xml_stream(wb_ctx *ctx, const char *path, const wb_xml_stream *s)
{
    if (!wb_check_input(ctx, path, false))
        return wb_ctx_status(ctx);
    xmlTextReaderPtr r = xmlReaderForFile(path, NULL, load_parse_options);
    if (!r) {
        wb_error(ctx, WB_ERR_INPUT, path, 0, 0, "cannot read file");
        return wb_ctx_status(ctx);
    }
    xml_error_sink sink = {.ctx = ctx, .file = path, .first_only = true};
    xmlTextReaderSetStructuredErrorHandler(r, load_report_xml_error, &sink);
    /* the entities' content is parsed apart from the reader: its errors come this way */
    xmlSetStructuredErrorFunc(&sink, load_report_xml_error);
    reading rd = {.ctx = ctx, .s = s, .ex = {.ctx = ctx},
                  .node_limit = wb_ctx_limit(ctx, WB_LIMIT_NODES), .depth_limit = wb_ctx_limit(ctx, WB_LIMIT_DEPTH)};
    bool ok = true, root = false;
    /* an error said before the reading (on a context shared by several) does not stop it */
    bool fine_before = wb_ctx_status(ctx) == WB_OK;
    int rc = xmlTextReaderRead(r);
    while (rc == 1 && ok && (!fine_before || wb_ctx_status(ctx) == WB_OK)) {
        xmlNodePtr n = xmlTextReaderCurrentNode(r);
        unsigned long long depth = (unsigned long long)xmlTextReaderDepth(r) + 1;
        switch (xmlTextReaderNodeType(r)) {
        case XML_READER_TYPE_ELEMENT:
            root = true;
            rd.nodes++;
            if (depth > rd.depth_limit) {
                ok = too_deep(&rd, n);
            } else if (s->streams(s->data, n)) {
                ok = within_node_limit(&rd, n) && s->start(s->data, n) &&
                     (!xmlTextReaderIsEmptyElement(r) || s->end(s->data));
            } else {
                xmlNodePtr all = xmlTextReaderExpand(r);
                ok = all && whole(&rd, all, depth);
                if (ok) {
                    rc = xmlTextReaderNext(r); /* past it: the reader frees it */
                    continue;
                }
            }
            break;
        case XML_READER_TYPE_END_ELEMENT:
            ok = s->end(s->data);
            break;
        case XML_READER_TYPE_TEXT:
        case XML_READER_TYPE_CDATA:
        case XML_READER_TYPE_WHITESPACE:
        case XML_READER_TYPE_SIGNIFICANT_WHITESPACE:
            rd.nodes++;
            ok = n && within_node_limit(&rd, n) && s->node(s->data, n);
            break;
        case XML_READER_TYPE_ENTITY_REFERENCE:
            ok = n && entity(&rd, n);
            break;
        default:
            break; /* comments, processing instructions, the document type */
        }
        if (ok)
            rc = xmlTextReaderRead(r);
    }
    xmlSetStructuredErrorFunc(NULL, NULL);
    xmlFreeTextReader(r);
    bool said = fine_before && wb_ctx_status(ctx) != WB_OK;
    if (!said && (rc < 0 || !ok))
        wb_error(ctx, WB_ERR_INPUT, path, 0, 0, "not a well-formed XML file");
    else if (!said && !root)
        wb_error(ctx, WB_ERR_INPUT, path, 1, 1, "the document has no root element");
    return said || rc < 0 || !ok || !root ? (wb_ctx_status(ctx) != WB_OK ? wb_ctx_status(ctx) : WB_ERR_INPUT)
                                          : WB_OK;
}
