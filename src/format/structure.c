/* The logical structure of the document (for tagged PDF), from the FO: each object that is a
 * structure element gets an id for the whole run, the areas it is made of carry that id, and
 * each finished page lists the elements of its areas with their ancestors (wb_struct_node), so
 * the renderer can tag the page without knowing the FO.
 *
 * Roles: the styles name what the FO cannot say with the extension attribute wb:role (Sect,
 * H1-H6, Note, BlockQuote, Caption...), as they mark form fields with wb:field; the rest
 * follows from the objects: list-block L, list-item LI, its label Lbl and body LBody, table
 * Table, table-row TR, table-cell TD (TH in a table-header), external-graphic and
 * instream-foreign-object Figure (alternative text from wb:alt), footnote-body Note, a block
 * that holds lines P; everything in static-content (running heads, page numbers) is an
 * Artifact.  Blocks that only group others add no element.  An inline in another language
 * than its paragraph (fo:inline, fo:wrapper, fo:basic-link, fo:character with language or
 * xml:lang) is a Span with that language inside the paragraph's element: the line breaker
 * gives its glyph runs the Span's id (wb_glyph_run.node), and the page lists it after its
 * paragraph. */
#include <string.h>

#include "format/format-private.h"

/* The structure types a style may ask for with wb:role (ISO 32000-1, 14.8.4), as static
 * strings for the pages. */
static const char *const known_roles[] = {
    "Document", "Part", "Art", "Sect", "Div", "BlockQuote", "Caption", "TOC", "TOCI", "Index", "P",
    "H", "H1", "H2", "H3", "H4", "H5", "H6", "L", "LI", "Lbl", "LBody", "Table", "TR", "TH", "TD",
    "THead", "TBody", "TFoot", "Span", "Quote", "Note", "Reference", "Code", "Link", "Figure", "Formula",
    "Form", "Artifact",
};

/* The role of an object, or NULL when it is no structure element.  leaf: it holds the lines
 * an area is made of. */
static const char *role_of(const wb_fo *fo, bool leaf)
{
    const char *asked = wb_fo_ext_attr(fo, "role");
    if (asked)
        for (size_t i = 0; i < G_N_ELEMENTS(known_roles); i++)
            if (!strcmp(asked, known_roles[i]))
                return known_roles[i];
    switch (fo->kind) {
    case FO_LIST_BLOCK: return "L";
    case FO_LIST_ITEM: return "LI";
    case FO_LIST_ITEM_LABEL: return "Lbl";
    case FO_LIST_ITEM_BODY: return "LBody";
    case FO_TABLE: return "Table";
    case FO_TABLE_ROW: return "TR";
    case FO_TABLE_CELL:
        for (const wb_fo *a = fo->parent; a; a = a->parent)
            if (a->kind == FO_TABLE_HEADER)
                return "TH";
        return "TD";
    case FO_EXTERNAL_GRAPHIC:
    case FO_INSTREAM_FOREIGN_OBJECT: return "Figure";
    case FO_FOOTNOTE_BODY: return "Note";
    case FO_INLINE: case FO_WRAPPER: case FO_BASIC_LINK: case FO_CHARACTER: return leaf ? "Span" : NULL;
    default: return leaf ? "P" : NULL;
    }
}

int structure_id(formatter *f, const wb_fo *fo)
{
    if (!fo)
        return 0;
    gpointer id = g_hash_table_lookup(f->struct_ids, fo);
    if (id)
        return GPOINTER_TO_INT(id);
    g_ptr_array_add(f->struct_fos, (gpointer)fo);
    int n = (int)f->struct_fos->len;
    g_hash_table_insert(f->struct_ids, (gpointer)fo, GINT_TO_POINTER(n));
    return n;
}

static bool in_static_content(const wb_fo *fo)
{
    for (const wb_fo *a = fo; a; a = a->parent)
        if (a->kind == FO_STATIC_CONTENT)
            return true;
    return false;
}

/* The nearest ancestor of fo that is a structure element, or NULL (the document). */
static const wb_fo *structural_parent(const wb_fo *fo)
{
    for (const wb_fo *a = fo->parent; a; a = a->parent)
        if (a->kind != FO_ROOT && role_of(a, false))
            return a;
    return NULL;
}

/* Adds the element of id to the page's list after its ancestors, once.  parent: its parent's
 * id when the caller knows it (a Span in another language: its paragraph's), else -1: the
 * nearest ancestor in the FO that is an element. */
static void add_node(formatter *f, GArray *nodes, GHashTable *seen, int id, int parent_id)
{
    if (g_hash_table_contains(seen, GINT_TO_POINTER(id)))
        return;
    g_hash_table_add(seen, GINT_TO_POINTER(id));
    const wb_fo *fo = g_ptr_array_index(f->struct_fos, id - 1);
    wb_struct_node n = {.id = id};
    if (in_static_content(fo)) {
        n.role = "Artifact";
        g_array_append_val(nodes, n);
        return;
    }
    n.role = role_of(fo, true);
    const wb_fo *parent = parent_id > 0 ? g_ptr_array_index(f->struct_fos, parent_id - 1) : structural_parent(fo);
    if (parent) {
        n.parent = structure_id(f, parent);
        add_node(f, nodes, seen, n.parent, -1);
    }
    /* a language of its own: other than the parent element's (the document's for the top) */
    const char *lang = fo->style ? fo->style->lang : NULL;
    const wb_fo *around = parent ? parent : f->tree->root;
    const char *outer = around->style ? around->style->lang : NULL;
    if (lang && *lang && (!outer || g_ascii_strcasecmp(lang, outer)))
        n.lang = g_strdup(lang);
    if (!strcmp(n.role, "Figure")) {
        const char *alt = wb_fo_ext_attr(fo, "alt");
        n.alt = alt ? g_strdup(alt) : NULL;
    }
    g_array_append_val(nodes, n);
}

void structure_page(formatter *f, wb_page *page)
{
    GArray *nodes = g_array_new(FALSE, TRUE, sizeof(wb_struct_node));
    GHashTable *seen = g_hash_table_new(g_direct_hash, g_direct_equal);
    for (size_t i = 0; i < page->count; i++) {
        const wb_area *a = &page->areas[i];
        if (a->node <= 0)
            continue;
        add_node(f, nodes, seen, a->node, -1);
        if (a->kind != WB_AREA_TEXT)
            continue;
        const wb_line *l = a->u.text.line;
        for (size_t r = 0; r < l->count; r++)
            if (l->runs[r].node > 0)
                add_node(f, nodes, seen, l->runs[r].node, a->node);
    }
    g_hash_table_destroy(seen);
    page->node_count = nodes->len;
    page->nodes = (wb_struct_node *)g_array_free(nodes, FALSE);
}
