/* Structure tags for the pages drawn; see tags.h. */
#include "render/tags.h"

#include <stdbool.h>
#include <string.h>

#include <glib.h>

/* A tag open on the surface: a structure element of the page model (id > 0), the document
 * (0), or a leaf the tagger adds (WRAP_SPAN, WRAP_PRIVATE). */
enum { WRAP_SPAN = -1, WRAP_PRIVATE = -2 };

typedef struct {
    int id;
    const char *role;
    bool drawn; /* content was drawn into it (a Figure's image): it must stay a leaf */
} open_tag;

struct wb_tagger {
    GArray *open;      /* open_tag, the outermost first */
    GArray *records;   /* wb_pdf_tag, strings owned */
};

static void record_clear(gpointer p)
{
    wb_pdf_tag *t = p;
    g_free((char *)t->alt);
    g_free((char *)t->lang);
}

wb_tagger *wb_tagger_new(void)
{
    wb_tagger *t = g_new0(wb_tagger, 1);
    t->open = g_array_new(FALSE, FALSE, sizeof(open_tag));
    t->records = g_array_new(FALSE, TRUE, sizeof(wb_pdf_tag));
    g_array_set_clear_func(t->records, record_clear);
    return t;
}

void wb_tagger_free(wb_tagger *t)
{
    if (!t)
        return;
    g_array_free(t->open, TRUE);
    g_array_free(t->records, TRUE);
    g_free(t);
}

const wb_pdf_tag *wb_tagger_records(const wb_tagger *t, size_t *n)
{
    if (!t) {
        *n = 0;
        return NULL;
    }
    *n = t->records->len;
    return (const wb_pdf_tag *)t->records->data;
}

static void begin(wb_tagger *t, cairo_t *cr, int id, const char *role, const char *alt, const char *lang)
{
    cairo_tag_begin(cr, role, NULL);
    open_tag o = {id, role, false};
    g_array_append_val(t->open, o);
    wb_pdf_tag rec = {.role = role, .alt = g_strdup(alt), .lang = g_strdup(lang)};
    g_array_append_val(t->records, rec);
}

static void end_top(wb_tagger *t, cairo_t *cr)
{
    open_tag o = g_array_index(t->open, open_tag, t->open->len - 1);
    cairo_tag_end(cr, o.role);
    g_array_set_size(t->open, t->open->len - 1);
}

static const open_tag *top(const wb_tagger *t)
{
    return t->open->len ? &g_array_index(t->open, open_tag, t->open->len - 1) : NULL;
}

static const wb_struct_node *node_of(const wb_page *page, int id)
{
    for (size_t i = 0; i < page->node_count; i++)
        if (page->nodes[i].id == id)
            return &page->nodes[i];
    return NULL;
}

/* Makes the element `id` (with its ancestors) the innermost open element: closes what is not
 * on its path, opens what is missing. */
static void open_path(wb_tagger *t, cairo_t *cr, const wb_page *page, int id)
{
    if (!t->open->len)
        begin(t, cr, 0, "Document", NULL, NULL);
    GArray *path = g_array_new(FALSE, FALSE, sizeof(const wb_struct_node *));
    for (const wb_struct_node *n = node_of(page, id); n; n = n->parent ? node_of(page, n->parent) : NULL)
        g_array_prepend_val(path, n);
    /* the open elements below the document that are on the path, from the outside in */
    guint keep = 1;
    while (keep < t->open->len && keep - 1 < path->len &&
           g_array_index(t->open, open_tag, keep).id == g_array_index(path, const wb_struct_node *, keep - 1)->id)
        keep++;
    while (t->open->len > keep)
        end_top(t, cr);
    for (guint i = keep - 1; i < path->len; i++) {
        const wb_struct_node *n = g_array_index(path, const wb_struct_node *, i);
        begin(t, cr, n->id, n->role, n->alt, n->lang);
    }
    g_array_free(path, TRUE);
}

/* Makes the leaf that text of element n draws into the innermost open tag: the element of a
 * phrase of n in another language (span > 0, its own leaf, as cairo marks content only in
 * elements without children), else a Span of n's own.  Consecutive lines of one paragraph, and
 * a phrase that goes on to the next line, stay in the leaf they are in. */
static void text_leaf(wb_tagger *t, cairo_t *cr, const wb_page *page, const wb_struct_node *n, int span)
{
    const wb_struct_node *s = span > 0 ? node_of(page, span) : NULL;
    if (s && s->parent != n->id)
        s = NULL; /* not a phrase of this paragraph: drawn as the paragraph's */
    const open_tag *o = top(t);
    if (s ? o && o->id == s->id
          : o && o->id == WRAP_SPAN && t->open->len >= 2 && g_array_index(t->open, open_tag, t->open->len - 2).id == n->id)
        return;
    if (o && (o->id == WRAP_SPAN || o->id == WRAP_PRIVATE))
        end_top(t, cr);
    open_path(t, cr, page, s ? s->id : n->id);
    if (s)
        g_array_index(t->open, open_tag, t->open->len - 1).drawn = true;
    else
        begin(t, cr, WRAP_SPAN, "Span", NULL, NULL);
}

void wb_tagger_run(wb_tagger *t, cairo_t *cr, const wb_page *page, const wb_area *a, const wb_glyph_run *run)
{
    const wb_struct_node *n = a->node > 0 ? node_of(page, a->node) : NULL;
    if (!t || a->kind != WB_AREA_TEXT || !n || !strcmp(n->role, "Artifact") || !t->open->len)
        return; /* an artifact (wb_tagger_area began its Private leaf), or nothing tagged */
    text_leaf(t, cr, page, n, run->node);
}

void wb_tagger_area(wb_tagger *t, cairo_t *cr, const wb_page *page, const wb_area *a)
{
    if (a->kind == WB_AREA_DEST || (a->kind == WB_AREA_LINK && !a->u.link.uri && !a->u.link.dest))
        return; /* nothing drawn, no tag (the renderer begins a link tag for a target only) */
    const wb_struct_node *n = a->node > 0 ? node_of(page, a->node) : NULL;
    bool content = n && strcmp(n->role, "Artifact") &&
                   (a->kind == WB_AREA_TEXT || a->kind == WB_AREA_IMAGE || a->kind == WB_AREA_LINK);
    if (a->kind == WB_AREA_FIELD || (!content && a->kind == WB_AREA_LINK)) {
        /* a link of no element (a hand-made page): a Link element where the tags are; a
         * form field: an empty Form element in the reading order, which the post-pass
         * links to the field's widget (so /Tabs /S follows the reading order) */
        if (!t->open->len)
            begin(t, cr, 0, "Document", NULL, NULL);
        while (top(t)->id == WRAP_SPAN || top(t)->id == WRAP_PRIVATE || top(t)->drawn)
            end_top(t, cr);
        if (n && strcmp(n->role, "Artifact"))
            open_path(t, cr, page, n->id);
        if (a->kind == WB_AREA_FIELD) {
            begin(t, cr, WRAP_SPAN, "Form", NULL, NULL);
            end_top(t, cr);
        } else {
            wb_pdf_tag rec = {.role = "Link"};
            g_array_append_val(t->records, rec);
        }
        return;
    }
    if (!content) {
        /* an artifact where the drawing is: a leaf of its own, never inside a Span */
        if (!t->open->len)
            begin(t, cr, 0, "Document", NULL, NULL);
        if (top(t)->id == WRAP_PRIVATE)
            return;
        while (top(t)->id == WRAP_SPAN || top(t)->drawn)
            end_top(t, cr);
        begin(t, cr, WRAP_PRIVATE, "Private", NULL, NULL);
        return;
    }
    if (a->kind == WB_AREA_TEXT) {
        /* the leaf of the line's first run; wb_tagger_run changes it where a phrase in
         * another language starts or ends */
        const wb_line *l = a->u.text.line;
        text_leaf(t, cr, page, n, l && l->count ? l->runs[0].node : 0);
        return;
    }
    const open_tag *o = top(t);
    bool figure = a->kind == WB_AREA_IMAGE && !strcmp(n->role, "Figure");
    if (o && (o->id == WRAP_SPAN || o->id == WRAP_PRIVATE))
        end_top(t, cr);
    open_path(t, cr, page, n->id);
    if (a->kind == WB_AREA_LINK) {
        /* cairo makes a Link element of the link tag the caller begins next */
        wb_pdf_tag rec = {.role = "Link"};
        g_array_append_val(t->records, rec);
    } else if (figure) {
        g_array_index(t->open, open_tag, t->open->len - 1).drawn = true;
    } else {
        begin(t, cr, WRAP_SPAN, "Span", NULL, NULL);
    }
}

void wb_tagger_close(wb_tagger *t, cairo_t *cr)
{
    while (t && t->open->len)
        end_top(t, cr);
}
