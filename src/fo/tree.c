/* The FO tree: recognises the objects of an XSL-FO document (libxml2), from a whole
 * document or as a parser reads it, copies what the formatter needs of each (attributes,
 * text, foreign content) and links them parent, children, siblings, each with its computed
 * style (style.c).  Hands the tree and its builder of fo.h to the formatter and the driver. */
#include "fo/fo-private.h"

#include <stdio.h>
#include <string.h>

#include <glib.h>

/* The tree's objects and attribute lists come from blocks of this size, freed together with
 * the tree: a long document has a hundred thousand of them, which one allocation each would
 * spread over the heap with a header apiece. */
#define FO_BLOCK_SIZE (64 * 1024)

/* n zeroed bytes from the tree's blocks, aligned for any object; more than a block (an
 * element with thousands of attributes) has one of its own, kept before the block in use. */
static void *tree_alloc(wb_fo_tree *tree, size_t n)
{
    struct wb_fo_pool *pool = tree->pool;
    n = (n + 15) & ~(size_t)15;
    if (!pool->blocks->len || (n <= FO_BLOCK_SIZE && pool->block_used + n > FO_BLOCK_SIZE)) {
        g_ptr_array_add(pool->blocks, g_malloc0(FO_BLOCK_SIZE));
        pool->block_used = 0;
    }
    if (n > FO_BLOCK_SIZE) {
        void *own = g_malloc0(n);
        g_ptr_array_insert(pool->blocks, 0, own);
        return own;
    }
    char *p = (char *)g_ptr_array_index(pool->blocks, pool->blocks->len - 1) + pool->block_used;
    pool->block_used += n;
    return p;
}

/* A new object, linked as the last child of parent. */
static wb_fo *new_fo(wb_fo_tree *tree, wb_fo_kind kind, xmlNodePtr node, wb_fo *parent)
{
    wb_fo *fo = tree_alloc(tree, sizeof *fo);
    fo->kind = kind;
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

/* An object for element n, with a copy of its attributes (names and the values that repeat,
 * "PT Sans", "1mm", kept once in the pool) and, for foreign content, of the element. */
static wb_fo *element_fo(wb_fo_tree *tree, wb_fo_kind kind, xmlNodePtr n, wb_fo *parent)
{
    wb_fo *fo = new_fo(tree, kind, n, parent);
    GStringChunk *pool = tree->pool->strings;
    unsigned count = 0;
    for (xmlAttrPtr a = n->properties; a; a = a->next)
        count++;
    fo->attributes = count ? tree_alloc(tree, count * sizeof(wb_fo_attribute)) : NULL;
    for (xmlAttrPtr a = n->properties; a; a = a->next) {
        wb_fo_attribute *at = &fo->attributes[fo->attribute_count++];
        at->ns = a->ns && a->ns->href ? g_string_chunk_insert_const(pool, (const char *)a->ns->href) : NULL;
        at->name = g_string_chunk_insert_const(pool, (const char *)a->name);
        at->value = a->children && a->children->type == XML_TEXT_NODE && a->children->content
                        ? g_string_chunk_insert_const(pool, (const char *)a->children->content)
                        : NULL;
        if (!at->ns && !strcmp(at->name, "id"))
            fo->id = at->value;
    }
    if (kind == FO_INSTREAM_FOREIGN_OBJECT || kind == FO_DECLARATIONS) {
        if (!tree->pool->foreign)
            tree->pool->foreign = xmlNewDoc(BAD_CAST "1.0");
        fo->foreign = xmlDocCopyNode(n, tree->pool->foreign, 1);
        if (fo->foreign)
            g_ptr_array_add(tree->pool->foreign_nodes, fo->foreign);
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

static void build_list(wb_ctx *ctx, wb_fo_tree *tree, xmlNodePtr node, wb_fo *parent, const wb_style *list_block);

/* Whether the element is one the tree recognises and builds (a warning said otherwise, once
 * per name); *kind receives its kind.  Foreign elements are skipped quietly where they
 * belong, inside instream-foreign-object and declarations. */
static bool recognised(wb_ctx *ctx, const wb_fo_tree *tree, xmlNodePtr n, const wb_fo *parent, wb_fo_kind *kind)
{
    if (!n->ns || strcmp((const char *)n->ns->href, WB_FO_NS) != 0) {
        if (parent && (parent->kind == FO_INSTREAM_FOREIGN_OBJECT || parent->kind == FO_DECLARATIONS))
            return false;
        char key[160];
        snprintf(key, sizeof key, "elem:%s", (const char *)n->name);
        wb_warning_once(ctx, key, tree->file, (int)xmlGetLineNo(n), 0, "element %s%s%s is not XSL-FO (ignored)",
                        n->ns && n->ns->prefix ? (const char *)n->ns->prefix : "",
                        n->ns && n->ns->prefix ? ":" : "", (const char *)n->name);
        return false;
    }
    *kind = fo_kind_of((const char *)n->name);
    if (*kind == FO_UNKNOWN) {
        char key[160];
        snprintf(key, sizeof key, "fo:%s", (const char *)n->name);
        wb_warning_once(ctx, key, tree->file, (int)xmlGetLineNo(n), 0,
                        "fo:%s is not supported (ignored with its content)", (const char *)n->name);
        return false;
    }
    return true;
}

/* The object of element n, styled, as the last child of parent; NULL when its content is
 * to be left out (foreign content, or a table nested too deep: said). */
static wb_fo *open_element(wb_ctx *ctx, wb_fo_tree *tree, xmlNodePtr n, wb_fo_kind kind, wb_fo *parent,
                           const wb_style *list_block)
{
    wb_fo *fo = element_fo(tree, kind, n, parent);
    fo_style_compute(ctx, tree, fo, list_block);
    if (!tree->root)
        tree->root = fo;
    if (kind == FO_INSTREAM_FOREIGN_OBJECT || kind == FO_DECLARATIONS)
        return NULL; /* their content is not FO */
    if (kind == FO_TABLE && tables_around(parent) >= FO_MAX_TABLE_NESTING) {
        wb_fo_error(ctx, tree, fo, "fo:table: tables nested more than %d deep (its content is left out)",
                    FO_MAX_TABLE_NESTING);
        return NULL;
    }
    return fo;
}

/* The objects of node n and what it holds, as children of parent.  list_block: the style
 * of the nearest enclosing list-block, for label-end() and body-start(). */
static void build_node(wb_ctx *ctx, wb_fo_tree *tree, xmlNodePtr n, wb_fo *parent, const wb_style *list_block)
{
    if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
        if (!parent || !holds_text(parent->kind))
            return;
        wb_fo *t = new_fo(tree, FO_TEXT, n, parent);
        t->text = g_string_chunk_insert(tree->pool->strings, n->content ? (const char *)n->content : "");
        return;
    }
    wb_fo_kind kind;
    if (n->type != XML_ELEMENT_NODE || !recognised(ctx, tree, n, parent, &kind))
        return;
    wb_fo *fo = open_element(ctx, tree, n, kind, parent, list_block);
    if (fo)
        build_list(ctx, tree, n->children, fo, kind == FO_LIST_BLOCK ? fo->style : list_block);
}

static void build_list(wb_ctx *ctx, wb_fo_tree *tree, xmlNodePtr node, wb_fo *parent, const wb_style *list_block)
{
    for (xmlNodePtr n = node; n; n = n->next)
        build_node(ctx, tree, n, parent, list_block);
}

/* The document element must be fo:root; else an error. */
static bool is_fo_root(wb_ctx *ctx, const char *file, xmlNodePtr root)
{
    if (root && root->ns && !strcmp((const char *)root->ns->href, WB_FO_NS) && !strcmp((const char *)root->name, "root"))
        return true;
    wb_error(ctx, WB_ERR_INPUT, file, root ? (int)xmlGetLineNo(root) : 0, 0,
             "not an XSL-FO document: the root element must be fo:root in namespace %s", WB_FO_NS);
    return false;
}

static wb_fo_tree *tree_new(const char *file)
{
    wb_fo_tree *tree = g_new0(wb_fo_tree, 1);
    tree->file = file;
    tree->pool = g_new0(struct wb_fo_pool, 1);
    tree->pool->strings = g_string_chunk_new(64 * 1024);
    tree->pool->blocks = g_ptr_array_new_with_free_func(g_free);
    tree->pool->foreign_nodes = g_ptr_array_new();
    tree->pool->styles = g_ptr_array_new_with_free_func(g_free);
    tree->pool->style_of_inputs = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    return tree;
}

/* The tree, when it has what every document needs; else NULL, freed, with the error. */
static wb_fo_tree *complete(wb_ctx *ctx, wb_fo_tree *tree)
{
    if (!tree->root) {
        wb_error(ctx, WB_ERR_INPUT, tree->file, 0, 0, "the document has no fo:root");
        wb_fo_tree_free(tree);
        return NULL;
    }
    if (!wb_fo_child(tree->root, FO_LAYOUT_MASTER_SET)) {
        wb_error(ctx, WB_ERR_INPUT, tree->file, tree->root->line, 0, "fo:root has no fo:layout-master-set");
        wb_fo_tree_free(tree);
        return NULL;
    }
    if (!wb_fo_child(tree->root, FO_PAGE_SEQUENCE)) {
        wb_error(ctx, WB_ERR_INPUT, tree->file, tree->root->line, 0, "fo:root has no fo:page-sequence");
        wb_fo_tree_free(tree);
        return NULL;
    }
    return tree;
}

wb_fo_tree *wb_fo_tree_new(wb_ctx *ctx, xmlDocPtr doc, const char *file)
{
    xmlNodePtr root = xmlDocGetRootElement(doc);
    if (!is_fo_root(ctx, file, root))
        return NULL;
    wb_fo_tree *tree = tree_new(file);
    bool ok_before = wb_ctx_status(ctx) == WB_OK;
    build_node(ctx, tree, root, NULL, NULL);
    if (ok_before && wb_ctx_status(ctx) != WB_OK) {
        wb_fo_tree_free(tree); /* an error in the tree (a table nested too deep) */
        return NULL;
    }
    return complete(ctx, tree);
}

/* ------------------------------------------------------------------ as the parser reads */

struct wb_fo_builder {
    wb_ctx *ctx;
    wb_fo_tree *tree;
    GPtrArray *open;        /* the streamed objects open, innermost last */
    GPtrArray *list_blocks; /* for each: the list-block style its children see (or NULL) */
    bool ok_before;         /* the context had no error when the building began */
};

wb_fo_builder *wb_fo_builder_new(wb_ctx *ctx, const char *file)
{
    wb_fo_builder *b = g_new0(wb_fo_builder, 1);
    b->ctx = ctx;
    b->tree = tree_new(file);
    b->open = g_ptr_array_new();
    b->list_blocks = g_ptr_array_new();
    b->ok_before = wb_ctx_status(ctx) == WB_OK;
    return b;
}

static wb_fo *open_top(const wb_fo_builder *b) { return b->open->len ? g_ptr_array_index(b->open, b->open->len - 1) : NULL; }

static const wb_style *list_block_top(const wb_fo_builder *b)
{
    return b->list_blocks->len ? g_ptr_array_index(b->list_blocks, b->list_blocks->len - 1) : NULL;
}

bool wb_fo_builder_streams(const wb_fo_builder *b, xmlNodePtr n)
{
    if (!n->ns || strcmp((const char *)n->ns->href, WB_FO_NS) != 0)
        return false;
    /* the objects that hold no text, only objects (text between them is white space to
     * drop), and are not limited in number themselves */
    switch (fo_kind_of((const char *)n->name)) {
    case FO_ROOT: case FO_PAGE_SEQUENCE: case FO_FLOW: case FO_BLOCK_CONTAINER: case FO_LIST_BLOCK:
    case FO_TABLE_BODY: case FO_TABLE_HEADER: case FO_TABLE_FOOTER:
        return true;
    case FO_TABLE:
        return tables_around(open_top(b)) < FO_MAX_TABLE_NESTING;
    default:
        return false;
    }
}

bool wb_fo_builder_start(wb_fo_builder *b, xmlNodePtr n)
{
    wb_fo *parent = open_top(b);
    if (!parent && !is_fo_root(b->ctx, b->tree->file, n))
        return false;
    wb_fo_kind kind = fo_kind_of((const char *)n->name);
    const wb_style *list_block = list_block_top(b);
    wb_fo *fo = open_element(b->ctx, b->tree, n, kind, parent, list_block);
    g_ptr_array_add(b->open, fo);
    g_ptr_array_add(b->list_blocks, (gpointer)(kind == FO_LIST_BLOCK && fo ? fo->style : list_block));
    return !b->ok_before || wb_ctx_status(b->ctx) == WB_OK;
}

bool wb_fo_builder_node(wb_fo_builder *b, xmlNodePtr n)
{
    wb_fo *parent = open_top(b);
    if (!parent && !b->tree->root && n->type == XML_ELEMENT_NODE && !is_fo_root(b->ctx, b->tree->file, n))
        return false;
    if (parent || !b->tree->root)
        build_node(b->ctx, b->tree, n, parent, list_block_top(b));
    return !b->ok_before || wb_ctx_status(b->ctx) == WB_OK;
}

bool wb_fo_builder_end(wb_fo_builder *b)
{
    if (b->open->len) {
        g_ptr_array_set_size(b->open, b->open->len - 1);
        g_ptr_array_set_size(b->list_blocks, b->list_blocks->len - 1);
    }
    return true;
}

wb_fo_tree *wb_fo_builder_finish(wb_fo_builder *b)
{
    wb_fo_tree *tree = b->tree;
    bool ok = !b->ok_before || wb_ctx_status(b->ctx) == WB_OK;
    wb_ctx *ctx = b->ctx;
    g_ptr_array_free(b->open, TRUE);
    g_ptr_array_free(b->list_blocks, TRUE);
    g_free(b);
    if (!ok) {
        wb_fo_tree_free(tree);
        return NULL;
    }
    return complete(ctx, tree);
}

void wb_fo_tree_free(wb_fo_tree *tree)
{
    if (!tree)
        return;
    for (guint i = 0; i < tree->pool->foreign_nodes->len; i++)
        xmlFreeNode(g_ptr_array_index(tree->pool->foreign_nodes, i));
    g_ptr_array_free(tree->pool->foreign_nodes, TRUE);
    if (tree->pool->foreign)
        xmlFreeDoc(tree->pool->foreign);
    g_ptr_array_free(tree->pool->blocks, TRUE);
    g_string_chunk_free(tree->pool->strings);
    g_ptr_array_free(tree->pool->styles, TRUE);
    g_hash_table_destroy(tree->pool->style_of_inputs);
    g_free(tree->pool);
    g_free(tree);
}
