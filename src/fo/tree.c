/* The FO tree: recognises the objects of an XSL-FO document (libxml2) and links them
 * parent, children, siblings, each with its computed style (style.c).  Hands the tree, its
 * attribute and child look-ups of fo.h to the formatter. */
#include "fo/fo-private.h"

#include <stdio.h>
#include <string.h>

#include <glib.h>

const char *wb_fo_attr(const wb_fo *fo, const char *name)
{
    if (!fo->node || fo->node->type != XML_ELEMENT_NODE)
        return NULL;
    for (xmlAttrPtr a = fo->node->properties; a; a = a->next)
        if (!a->ns && strcmp((const char *)a->name, name) == 0 && a->children &&
            a->children->type == XML_TEXT_NODE)
            return (const char *)a->children->content;
    return NULL;
}

const char *wb_fo_attr_ns(const wb_fo *fo, const char *ns, const char *name)
{
    if (!fo->node || fo->node->type != XML_ELEMENT_NODE)
        return NULL;
    for (xmlAttrPtr a = fo->node->properties; a; a = a->next)
        if (a->ns && a->ns->href && !strcmp((const char *)a->ns->href, ns) && !strcmp((const char *)a->name, name) &&
            a->children && a->children->type == XML_TEXT_NODE)
            return (const char *)a->children->content;
    return NULL;
}

const char *wb_fo_ext_attr(const wb_fo *fo, const char *name) { return wb_fo_attr_ns(fo, "urn:x-workbook:xslt", name); }

wb_fo *wb_fo_child(const wb_fo *fo, wb_fo_kind kind)
{
    for (wb_fo *c = fo->first; c; c = c->next)
        if (c->kind == kind)
            return c;
    return NULL;
}

/* A new object, linked as the last child of parent. */
static wb_fo *new_fo(wb_fo_kind kind, xmlNodePtr node, wb_fo *parent)
{
    wb_fo *fo = g_new0(wb_fo, 1);
    fo->kind = kind;
    fo->node = node;
    fo->line = (int)xmlGetLineNo(node);
    fo->parent = parent;
    if (parent) {
        if (parent->last)
            parent->last->next = fo;
        else
            parent->first = fo;
        parent->last = fo;
    }
    return fo;
}

/* Objects whose text content is meaningful; elsewhere character data is white space to drop. */
static bool holds_text(wb_fo_kind k)
{
    switch (k) {
    case FO_BLOCK: case FO_INLINE: case FO_WRAPPER: case FO_BASIC_LINK: case FO_LEADER:
    case FO_BOOKMARK_TITLE: case FO_TITLE: case FO_FOOTNOTE_BODY: case FO_MARKER:
    case FO_LIST_ITEM_BODY: case FO_LIST_ITEM_LABEL: case FO_TABLE_CELL:
        return true;
    default:
        return false;
    }
}

/* A table's column widths come from its cells' content, measured again for each table
 * around it: the formatter's time doubles with each table nested in another (18 levels take
 * ten seconds, a page of them for ever), so a table nested more than FO_MAX_TABLE_NESTING
 * deep is an error, bounded here where the tree is made. */
#define FO_MAX_TABLE_NESTING 8

static int tables_around(const wb_fo *fo)
{
    int n = 0;
    for (; fo; fo = fo->parent)
        n += fo->kind == FO_TABLE;
    return n;
}

/* The objects of node and its following siblings, as children of parent.  list_block: the
 * style of the nearest enclosing list-block, for label-end() and body-start(). */
static void build(wb_ctx *ctx, wb_fo_tree *tree, xmlNodePtr node, wb_fo *parent,
                  const wb_style *list_block)
{
    for (xmlNodePtr n = node; n; n = n->next) {
        if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
            if (!parent || !holds_text(parent->kind))
                continue;
            wb_fo *t = new_fo(FO_TEXT, n, parent);
            t->text = (const char *)n->content;
            continue;
        }
        if (n->type != XML_ELEMENT_NODE)
            continue;
        if (!n->ns || strcmp((const char *)n->ns->href, WB_FO_NS) != 0) {
            /* Foreign elements live only inside instream-foreign-object and declarations. */
            if (parent && (parent->kind == FO_INSTREAM_FOREIGN_OBJECT || parent->kind == FO_DECLARATIONS))
                continue;
            char key[160];
            snprintf(key, sizeof key, "elem:%s", (const char *)n->name);
            wb_warning_once(ctx, key, tree->file, (int)xmlGetLineNo(n), 0,
                            "element %s%s%s is not XSL-FO (ignored)",
                            n->ns && n->ns->prefix ? (const char *)n->ns->prefix : "",
                            n->ns && n->ns->prefix ? ":" : "", (const char *)n->name);
            continue;
        }
        wb_fo_kind kind = fo_kind_of((const char *)n->name);
        if (kind == FO_UNKNOWN) {
            char key[160];
            snprintf(key, sizeof key, "fo:%s", (const char *)n->name);
            wb_warning_once(ctx, key, tree->file, (int)xmlGetLineNo(n), 0,
                            "fo:%s is not supported (ignored with its content)",
                            (const char *)n->name);
            continue;
        }
        wb_fo *fo = new_fo(kind, n, parent);
        xmlAttrPtr idattr = xmlHasProp(n, BAD_CAST "id");
        if (idattr && idattr->children)
            fo->id = (const char *)idattr->children->content;
        fo_style_compute(ctx, tree, fo, list_block);
        if (!tree->root)
            tree->root = fo;
        if (kind == FO_INSTREAM_FOREIGN_OBJECT || kind == FO_DECLARATIONS)
            continue; /* their content is not FO */
        if (kind == FO_TABLE && tables_around(parent) >= FO_MAX_TABLE_NESTING) {
            wb_fo_error(ctx, tree, fo, "fo:table: tables nested more than %d deep (its content is left out)",
                        FO_MAX_TABLE_NESTING);
            continue;
        }
        build(ctx, tree, n->children, fo, kind == FO_LIST_BLOCK ? fo->style : list_block);
    }
}

wb_fo_tree *wb_fo_tree_new(wb_ctx *ctx, xmlDocPtr doc, const char *file)
{
    xmlNodePtr root = xmlDocGetRootElement(doc);
    if (!root || !root->ns || strcmp((const char *)root->ns->href, WB_FO_NS) != 0 ||
        strcmp((const char *)root->name, "root") != 0) {
        wb_error(ctx, WB_ERR_INPUT, file, root ? (int)xmlGetLineNo(root) : 0, 0,
                 "not an XSL-FO document: the root element must be fo:root in namespace %s",
                 WB_FO_NS);
        return NULL;
    }
    wb_fo_tree *tree = g_new0(wb_fo_tree, 1);
    tree->file = file;
    tree->pool = g_new0(struct wb_fo_pool, 1);
    tree->pool->strings = g_string_chunk_new(1024);
    tree->pool->styles = g_ptr_array_new_with_free_func(g_free);
    tree->pool->style_of_inputs = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    build(ctx, tree, root, NULL, NULL);
    if (!wb_fo_child(tree->root, FO_LAYOUT_MASTER_SET)) {
        wb_error(ctx, WB_ERR_INPUT, file, tree->root->line, 0, "fo:root has no fo:layout-master-set");
        wb_fo_tree_free(tree);
        return NULL;
    }
    if (!wb_fo_child(tree->root, FO_PAGE_SEQUENCE)) {
        wb_error(ctx, WB_ERR_INPUT, file, tree->root->line, 0, "fo:root has no fo:page-sequence");
        wb_fo_tree_free(tree);
        return NULL;
    }
    return tree;
}

static void free_fo(wb_fo *fo)
{
    while (fo) {
        wb_fo *next = fo->next;
        free_fo(fo->first);
        g_free(fo);
        fo = next;
    }
}

void wb_fo_tree_free(wb_fo_tree *tree)
{
    if (!tree)
        return;
    free_fo(tree->root);
    g_string_chunk_free(tree->pool->strings);
    g_ptr_array_free(tree->pool->styles, TRUE);
    g_hash_table_destroy(tree->pool->style_of_inputs);
    g_free(tree->pool);
    g_free(tree);
}
