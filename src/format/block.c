/* Blocks: fo:block, fo:block-container and the objects that only group blocks, onto the
 * vertical list; lists and tables have files of their own (list.c, table.c). */
#include <string.h>

#include "format/blocks.h"

/* Lines of one paragraph, with widow and orphan penalties. */
static void add_paragraph(formatter *f, vlist *vl, const wb_fo *block, const wb_fo *from, const wb_fo *to,
                          double left, double width, bool first, bool last)
{
    /* a paragraph that goes on from an earlier page, laid out again at a new width: from the
     * first line that was not placed */
    bool resume = vl->resume_block == block && vl->resume_from == from;
    para *p = resume && vl->resume_off > 0 ? para_layout_from(f, block, from, to, width, last, vl->resume_off)
                                           : para_layout(f, block, from, to, width, first, last);
    if (!p)
        return;
    if (resume && p->lines->len > 0)
        vl->resume_at = vl->items->len;
    int n = (int)p->lines->len;
    const wb_style *s = block->style;
    for (int i = 0; i < n; i++) {
        para_line *pl = &g_array_index(p->lines, para_line, i);
        vitem v = {.kind = VI_LINE, .h = pl->height, .x = left + pl->x, .base = pl->baseline,
                   .even_dx = pl->x_even - pl->x, .pblock = block, .pfrom = from, .poff = pl->text_start,
                   .node = structure_id(f, block), .source = wb_fo_source(block)};
        v.line = wb_line_ref(pl->line);
        if (pl->areas) {
            v.areas = pl->areas;
            pl->areas = NULL;
            for (guint k = 0; k < v.areas->len; k++)
                g_array_index(v.areas, wb_area, k).x += left;
        }
        if (i > 0 && (i < s->orphans || n - i < s->widows))
            v.pen = PEN_WIDOW;
        v.notes = pl->notes;
        pl->notes = NULL;
        vlist_push(vl, v);
    }
    para_free(p);
}

void layout_block_content(formatter *f, vlist *vl, const wb_fo *block, const refarea *ra)
{
    double left = content_left(ra, block->style), width = content_width(ra, block->style);
    const wb_fo *run = NULL;
    bool first_run = true;
    for (const wb_fo *c = block->first;; c = c->next) {
        bool inl = c && fo_is_inline(c->kind);
        if (c && c->kind == FO_MARKER) {
            vlist_push(vl, (vitem){.kind = VI_MARKER, .marker = c});
            continue;
        }
        if (inl && !run)
            run = c;
        if (!inl && run) {
            add_paragraph(f, vl, block, run, c, left, width, first_run, c == NULL);
            first_run = false;
            run = NULL;
        }
        if (!c)
            break;
        if (!inl) {
            refarea sub = *ra;
            layout_object(f, vl, c, &sub);
        }
    }
}

/* Whether an item takes room in the block-progression direction: a line, a box, or the
 * before or after edge (border, padding) of a block. */
static bool takes_room(const vitem *v)
{
    return vitem_is_content(v) || ((v->kind == VI_START || v->kind == VI_END) && v->h > 0);
}

/* A block-container is a reference area: the conditional spaces (conditionality discard)
 * that begin or end it are set to zero (XSL 1.1 §4.3.1): those of the items from `start` on
 * before the first that takes room and after the last, removed.  Apache FOP does so in a
 * container of a fixed height (where display-align places what is left), and lets the
 * spaces of one of automatic height join the flow's; the engine follows it. */
static void drop_edge_spaces(vlist *vl, guint start)
{
    guint first = start, last = vl->items->len;
    while (first < vl->items->len && !takes_room(&g_array_index(vl->items, vitem, first)))
        first++;
    while (last > first && !takes_room(&g_array_index(vl->items, vitem, last - 1)))
        last--;
    for (guint i = vl->items->len; i-- > start;) {
        vitem *v = &g_array_index(vl->items, vitem, i);
        if (v->kind != VI_SPACE || v->space.retain || (i >= first && i < last))
            continue;
        vitem_clear(v);
        g_array_remove_index(vl->items, i);
        if (vl->resume_at != G_MAXUINT && vl->resume_at > i)
            vl->resume_at--;
    }
}

/* The height the items from `start` on take as placed: adjacent spaces resolved to the
 * largest (XSL 1.1 §4.3.1), the spaces left at either edge (retained ones) counted. */
static double stacked_height(vlist *vl, guint start)
{
    double h = 0, pending = 0;
    for (guint i = start; i < vl->items->len; i++) {
        const vitem *v = &g_array_index(vl->items, vitem, i);
        if (v->kind == VI_SPACE) {
            pending = MAX(pending, v->space.opt);
        } else if (vitem_is_content(v) || v->kind == VI_START || v->kind == VI_END) {
            h += pending + v->h;
            pending = 0;
        }
    }
    return h + pending;
}

/* block-container: a new reference area when it has a width. */
static void container_content(formatter *f, vlist *vl, const wb_fo *fo, const refarea *ra)
{
    const wb_style *s = fo->style;
    if (s->reference_orientation != 0) {
        container_turned(f, vl, fo, ra);
        return;
    }
    refarea sub = *ra;
    if (!s->width.is_auto) {
        sub.x0 = content_left(ra, s);
        sub.width = wb_len_resolve(s->width, ra->width);
        sub.base_start = s->start_indent;
        sub.base_end = s->end_indent;
    }
    guint start = vl->items->len;
    for (const wb_fo *c = fo->first; c; c = c->next)
        layout_object(f, vl, c, &sub);
    if (!s->height.is_auto) {
        /* a fixed height: pad up to it (content beyond it is not clipped) */
        drop_edge_spaces(vl, start);
        double h = stacked_height(vl, start);
        double want = wb_len_resolve(s->height, 0);
        if (want > h) {
            /* display-align places the content in the height: room before it, after it */
            double before = s->display_align == DISPLAY_CENTER ? (want - h) / 2
                            : s->display_align == DISPLAY_AFTER ? want - h : 0;
            if (before > 0) {
                vitem gap = {.kind = VI_BOX, .h = before, .notes_h = -1};
                g_array_insert_val(vl->items, start, gap);
            }
            /* also of no height, so that a retained space at the end is placed before it */
            vlist_push(vl, (vitem){.kind = VI_BOX, .h = want - h - before, .pen = PEN_FORBIDDEN});
            /* nothing may break inside the container */
            vlist_keep_range(vl, start, PEN_FORBIDDEN);
        }
    }
}


/* ------------------------------------------------------------------ dispatch */

static void retrieve_marker_blocks(formatter *f, vlist *vl, const wb_fo *rm, const refarea *ra)
{
    const wb_fo *m = marker_lookup(f, rm);
    if (m)
        layout_block_content(f, vl, m, ra);
}

static void block_content(formatter *f, vlist *vl, const wb_fo *fo, const refarea *ra)
{
    layout_block_content(f, vl, fo, ra);
}

static void unsupported(formatter *f, const wb_fo *fo, const char *what)
{
    char key[100];
    snprintf(key, sizeof key, "layout:%s", wb_fo_kind_name(fo->kind));
    wb_fo_warning_once(f->ctx, f->tree, fo, key, "fo:%s %s", wb_fo_kind_name(fo->kind), what);
}

void layout_object(formatter *f, vlist *vl, const wb_fo *fo, const refarea *ra)
{
    switch (fo->kind) {
    case FO_BLOCK:
        block_frame(f, vl, fo, ra, block_content);
        break;
    case FO_BLOCK_CONTAINER:
        if (fo->style->position != POSITION_AUTO)
            block_absolute(f, vl, fo, ra, container_content);
        else
            block_frame(f, vl, fo, ra, container_content);
        break;
    case FO_LIST_BLOCK:
        block_frame(f, vl, fo, ra, list_block_content);
        break;
    case FO_TABLE:
        block_frame(f, vl, fo, ra, table_content);
        break;
    case FO_WRAPPER:
    case FO_LIST_ITEM_BODY:
    case FO_LIST_ITEM_LABEL:
    case FO_STATIC_CONTENT:
    case FO_FLOW:
    case FO_FOOTNOTE_BODY:
        if (fo->id)
            vlist_push(vl, (vitem){.kind = VI_MARK_START, .id = fo->id});
        layout_block_content(f, vl, fo, ra);
        if (fo->id)
            vlist_push(vl, (vitem){.kind = VI_MARK_END, .id = fo->id});
        break;
    case FO_RETRIEVE_MARKER:
        retrieve_marker_blocks(f, vl, fo, ra);
        break;
    case FO_MARKER:
        vlist_push(vl, (vitem){.kind = VI_MARKER, .marker = fo});
        break;
    case FO_TEXT:
        break; /* white space between blocks */
    default:
        if (fo_is_inline(fo->kind)) {
            /* an inline straight in a flow: XSL wants a block around it */
            const wb_fo *parent = fo->parent;
            double left = content_left(ra, parent->style), width = content_width(ra, parent->style);
            add_paragraph(f, vl, parent, fo, fo->next, left, width, true, true);
        } else {
            unsupported(f, fo, "is not supported here (ignored)");
        }
        break;
    }
}


