/* Markers: which fo:marker each class has on the page being made, as fo:retrieve-marker
 * asks for it (first or last starting on the page, carried over from earlier pages of the
 * sequence or the document, or from a marked block going on over the page).  Placing
 * records markers here; paragraphs and blocks look them up. */
#include <string.h>

#include "format/format-private.h"

struct marker_state {
    GHashTable *first, *last; /* class -> marker fo, starting on the current page */
    GHashTable *carry;        /* class -> last marker of earlier pages of the sequence */
    GHashTable *carry_doc;    /* the same across page-sequences */
    GHashTable *active;       /* class -> marker of a block not ended yet */
    GHashTable *at_start;     /* `active` when the page began: areas carried over onto it */
};

struct marker_state *markers_new(void)
{
    struct marker_state *m = g_new0(struct marker_state, 1);
    GHashTable **tables[] = {&m->first, &m->last, &m->carry, &m->carry_doc, &m->active, &m->at_start};
    for (size_t i = 0; i < G_N_ELEMENTS(tables); i++)
        *tables[i] = g_hash_table_new(g_str_hash, g_str_equal);
    return m;
}

void markers_free(struct marker_state *m)
{
    if (!m)
        return;
    GHashTable *tables[] = {m->first, m->last, m->carry, m->carry_doc, m->active, m->at_start};
    for (size_t i = 0; i < G_N_ELEMENTS(tables); i++)
        g_hash_table_destroy(tables[i]);
    g_free(m);
}

void markers_sequence_start(struct marker_state *m)
{
    g_hash_table_remove_all(m->carry);
    g_hash_table_remove_all(m->active);
    g_hash_table_remove_all(m->at_start);
}

void markers_page_done(struct marker_state *m)
{
    /* what started on the previous page carries over to the next */
    GHashTableIter it;
    gpointer k, v;
    g_hash_table_iter_init(&it, m->last);
    while (g_hash_table_iter_next(&it, &k, &v)) {
        g_hash_table_insert(m->carry, k, v);
        g_hash_table_insert(m->carry_doc, k, v);
    }
    g_hash_table_remove_all(m->first);
    g_hash_table_remove_all(m->last);
    g_hash_table_remove_all(m->at_start);
    g_hash_table_iter_init(&it, m->active);
    while (g_hash_table_iter_next(&it, &k, &v))
        g_hash_table_insert(m->at_start, k, v);
}

void markers_placed(struct marker_state *m, const wb_fo *marker)
{
    const char *cls = wb_fo_attr(marker, "marker-class-name");
    if (!cls)
        return;
    g_hash_table_insert(m->active, (gpointer)cls, (gpointer)marker);
    if (!g_hash_table_contains(m->first, cls))
        g_hash_table_insert(m->first, (gpointer)cls, (gpointer)marker);
    g_hash_table_insert(m->last, (gpointer)cls, (gpointer)marker);
}

void markers_block_end(struct marker_state *m, const wb_fo *parent, bool before_content)
{
    /* the block that held markers ends: they no longer carry over, nor, when nothing of it
     * is on this page, over this one */
    GHashTable *tables[] = {m->active, before_content ? m->at_start : NULL};
    for (size_t t = 0; t < G_N_ELEMENTS(tables) && tables[t]; t++) {
        GHashTableIter it;
        gpointer k, val;
        g_hash_table_iter_init(&it, tables[t]);
        while (g_hash_table_iter_next(&it, &k, &val))
            if (((const wb_fo *)val)->parent == parent)
                g_hash_table_iter_remove(&it);
    }
}

const wb_fo *marker_lookup(formatter *f, const wb_fo *rm)
{
    const char *cls = wb_fo_attr(rm, "retrieve-class-name");
    const char *pos = wb_fo_attr(rm, "retrieve-position");
    const char *boundary = wb_fo_attr(rm, "retrieve-boundary");
    if (!cls || !f->markers)
        return NULL;
    struct marker_state *m = f->markers;
    /* what earlier pages leave: nothing past a page boundary, the sequence's by default */
    const wb_fo *carry = boundary && !strcmp(boundary, "page") ? NULL
                         : boundary && !strcmp(boundary, "document") ? g_hash_table_lookup(m->carry_doc, cls)
                                                                     : g_hash_table_lookup(m->carry, cls);
    const wb_fo *first = g_hash_table_lookup(m->first, cls);
    const wb_fo *last = g_hash_table_lookup(m->last, cls);
    /* a marked block that began on an earlier page and goes on over this one */
    const wb_fo *over = g_hash_table_lookup(m->at_start, cls);
    if (!pos || !strcmp(pos, "first-starting-within-page"))
        return first ? first : over ? over : carry;
    if (!strcmp(pos, "first-including-carryover"))
        return over ? over : first ? first : carry;
    /* last-starting-within-page, last-ending-within-page */
    return last ? last : over ? over : carry;
}
