/* The vertical list: items, keeps and the heights they stack to.  See blocks.h. */
#include "format/blocks.h"

bool vitem_is_content(const vitem *v) { return v->kind == VI_LINE || v->kind == VI_BOX; }

void vitem_clear(vitem *v)
{
    if (v->line)
        wb_line_unref(v->line);
    area_list_free(v->areas);
    if (v->notes)
        g_ptr_array_free(v->notes, TRUE);
    if (v->cuts) {
        g_array_free(v->cuts->at, TRUE);
        g_array_free(v->cuts->note_y, TRUE);
        if (v->cuts->frames)
            g_array_free(v->cuts->frames, TRUE);
        g_free(v->cuts);
    }
    v->line = NULL;
    v->areas = NULL;
    v->notes = NULL;
    v->cuts = NULL;
}

static void free_table_rep(gpointer p)
{
    table_rep *t = p;
    area_list_free(t->header);
    area_list_free(t->footer);
    vitem_clear(&t->header_notes);
    g_free(t);
}

vlist *vlist_new(void)
{
    vlist *vl = g_new0(vlist, 1);
    vl->items = g_array_new(FALSE, TRUE, sizeof(vitem));
    vl->decos = g_array_new(FALSE, TRUE, sizeof(block_deco));
    vl->tables = g_ptr_array_new_with_free_func(free_table_rep);
    return vl;
}

void vlist_free(vlist *vl)
{
    if (!vl)
        return;
    for (guint i = 0; i < vl->items->len; i++)
        vitem_clear(&g_array_index(vl->items, vitem, i));
    g_array_free(vl->items, TRUE);
    g_array_free(vl->decos, TRUE);
    g_ptr_array_free(vl->tables, TRUE);
    g_free(vl);
}

vitem *vlist_push(vlist *vl, vitem v)
{
    v.notes_h = -1;
    if (vitem_is_content(&v) && vl->pending_keep) {
        v.pen = MAX(v.pen, vl->pending_keep);
        vl->pending_keep = 0;
    }
    g_array_append_val(vl->items, v);
    return &g_array_index(vl->items, vitem, vl->items->len - 1);
}

int keep_penalty(int keep) { return keep >= WB_KEEP_ALWAYS ? PEN_FORBIDDEN : keep * 1000; }

void vlist_keep_range(vlist *vl, guint from, int pen)
{
    bool first = true;
    for (guint i = from; i < vl->items->len; i++) {
        vitem *v = &g_array_index(vl->items, vitem, i);
        if (!vitem_is_content(v))
            continue;
        if (!first)
            v->pen = MAX(v->pen, pen);
        first = false;
    }
}

guint vlist_first_content(vlist *vl, guint from)
{
    for (guint i = from; i < vl->items->len; i++)
        if (vitem_is_content(&g_array_index(vl->items, vitem, i)))
            return i;
    return G_MAXUINT;
}

/* ------------------------------------------------------------------ geometry helpers */

double content_left(const refarea *ra, const wb_style *s)
{
    return ra->x0 + wb_len_resolve(s->start_indent, ra->width) - wb_len_resolve(ra->base_start, ra->width);
}

double content_width(const refarea *ra, const wb_style *s)
{
    double l = wb_len_resolve(s->start_indent, ra->width) - wb_len_resolve(ra->base_start, ra->width);
    double r = wb_len_resolve(s->end_indent, ra->width) - wb_len_resolve(ra->base_end, ra->width);
    return MAX(1, ra->width - l - r);
}

double border_width(const wb_style *s, int side) { return s->border[side].style ? s->border[side].width : 0; }


void vlist_drop(vlist *vl, guint n)
{
    if (n > 0)
        vl->dropped_src = g_array_index(vl->items, vitem, n - 1).src;
    for (guint i = 0; i < n; i++)
        vitem_clear(&g_array_index(vl->items, vitem, i));
    g_array_remove_range(vl->items, 0, n);
}

double vlist_stack_height(vlist *vl, guint from, double room, guint *stop)
{
    double h = 0, pending = 0;
    bool any = false;
    if (stop)
        *stop = vl->items->len;
    for (guint i = from; i < vl->items->len; i++) {
        vitem *v = &g_array_index(vl->items, vitem, i);
        if (v->kind == VI_SPACE) {
            if (any)
                pending = MAX(pending, v->space.opt);
            continue;
        }
        if (!vitem_is_content(v) && v->kind != VI_START && v->kind != VI_END)
            continue;
        double nh = h + pending + v->h;
        if (room >= 0 && vitem_is_content(v) && nh > room + 0.01 && any) {
            if (stop)
                *stop = i;
            break;
        }
        h = nh;
        pending = 0;
        any = true;
    }
    return h;
}

double space_shrink(const wb_space *s) { return s->min < s->opt ? s->opt - s->min : 0; }

double vlist_height(vlist *vl) { return vlist_stack_height(vl, 0, -1, NULL); }

area_list *areas_slice(const area_list *areas, double top, double cut, bool last)
{
    area_list *slice = NULL;
    for (guint i = 0; areas && i < areas->len; i++) {
        const wb_area *a = &g_array_index(areas, wb_area, i);
        bool vertical = (a->kind == WB_AREA_FILL || (a->kind == WB_AREA_RULE && a->h > 0));
        if (a->kind == WB_AREA_IMAGE && a->u.image.background) {
            /* a background goes on both sides of the cut, clipped to each part; its tiles
             * stay where they were */
            double clip_y = a->y + a->u.image.clip.y;
            double y0 = MAX(clip_y, top), y1 = MIN(clip_y + a->u.image.clip.h, cut);
            if (y1 <= y0)
                continue;
            wb_area c = wb_area_copy(a);
            c.y -= top;
            c.u.image.clip.y = y0 - a->y;
            c.u.image.clip.h = y1 - y0;
            area_push(&slice, c);
            continue;
        }
        if (vertical) {
            double y0 = MAX(a->y, top), y1 = MIN(a->y + a->h, cut);
            if (y1 <= y0)
                continue;
            wb_area c = wb_area_copy(a);
            c.y = y0 - top;
            c.h = y1 - y0;
            area_push(&slice, c);
            continue;
        }
        double ref = a->kind == WB_AREA_TEXT || a->kind == WB_AREA_DOTS ? a->y - 1 : a->y;
        if (ref >= top - 0.01 && (ref < cut - 0.01 || (last && ref <= cut + 0.01))) {
            wb_area c = wb_area_copy(a);
            c.y -= top;
            area_push(&slice, c);
        }
    }
    return slice;
}

static box_cuts *new_box_cuts(void)
{
    box_cuts *bc = g_new0(box_cuts, 1);
    bc->at = g_array_new(FALSE, FALSE, sizeof(box_cut));
    bc->note_y = g_array_new(FALSE, FALSE, sizeof(double));
    return bc;
}

/* A frame's background and side borders from y0 to y1, and one of its borders across
 * (side SIDE_BEFORE at y0, SIDE_AFTER at y1) when that border is retained. */
static void frame_strip(area_list **out, const box_frame *fr, double y0, double y1, int side)
{
    if (y1 <= y0)
        return;
    if (fr->bg.a > 0)
        area_push(out, (wb_area){.kind = WB_AREA_FILL, .x = fr->x, .y = y0, .w = fr->w, .h = y1 - y0,
                                 .color = color_of(fr->bg)});
    const wb_border *b = fr->border;
    area_rule(out, fr->x + b[SIDE_START].width / 2, y0, 0, y1 - y0, &b[SIDE_START]);
    area_rule(out, fr->x + fr->w - b[SIDE_END].width / 2, y0, 0, y1 - y0, &b[SIDE_END]);
    if (b[side].retain && b[side].style)
        area_rule(out, fr->x, side == SIDE_BEFORE ? y0 + b[side].width / 2 : y1 - b[side].width / 2, fr->w, 0,
                  &b[side]);
}

void vlist_split_box(vlist *vl, guint i, guint k)
{
    vitem *v = &g_array_index(vl->items, vitem, i);
    box_cuts *bc = v->cuts;
    box_cut at = g_array_index(bc->at, box_cut, k);
    double shift = at.before - at.y; /* from the box's y to the part below's */
    vitem below = {.kind = VI_BOX, .h = v->h + shift, .pen = at.pen, .notes_h = -1, .table = v->table,
                   .row_last = v->row_last, .src = v->src};
    below.areas = areas_slice(v->areas, at.y, v->h, true);
    for (guint j = 0; below.areas && j < below.areas->len; j++)
        g_array_index(below.areas, wb_area, j).y += at.before;
    area_list *above = areas_slice(v->areas, 0, at.y, false);
    area_list_free(v->areas);
    v->areas = above;
    v->h = at.y + at.after;
    v->row_last = false;
    v->notes_h = -1;
    /* the cuts, frames and notes below go with the part below, moved */
    if (k + 1 < bc->at->len || bc->frames) {
        below.cuts = new_box_cuts();
        for (guint j = k + 1; j < bc->at->len; j++) {
            box_cut c = g_array_index(bc->at, box_cut, j);
            c.y += shift;
            g_array_append_val(below.cuts->at, c);
        }
    }
    g_array_set_size(bc->at, k);
    if (bc->frames) {
        below.cuts->frames = g_array_new(FALSE, FALSE, sizeof(box_frame));
        for (guint j = 0; j < bc->frames->len; j++) {
            box_frame *fr = &g_array_index(bc->frames, box_frame, j);
            bool crosses = fr->y0 < at.y - 0.01 && at.y < fr->y1 - 0.01;
            if (crosses) {
                frame_strip(&v->areas, fr, at.y, at.y + at.after, SIDE_AFTER);
                frame_strip(&below.areas, fr, 0, at.before, SIDE_BEFORE);
            }
            if (fr->y1 > at.y + 0.01) {
                box_frame b = *fr;
                b.y0 = crosses ? 0 : fr->y0 + shift;
                b.y1 = fr->y1 + shift;
                g_array_append_val(below.cuts->frames, b);
            }
            if (crosses)
                fr->y1 = at.y + at.after;
        }
    }
    if (v->notes) {
        GPtrArray *keep = g_ptr_array_new();
        GArray *keep_y = g_array_new(FALSE, FALSE, sizeof(double));
        for (guint j = 0; j < v->notes->len; j++) {
            double y = g_array_index(bc->note_y, double, j);
            if (y < at.y - 0.01) {
                g_ptr_array_add(keep, g_ptr_array_index(v->notes, j));
                g_array_append_val(keep_y, y);
                continue;
            }
            if (!below.notes)
                below.notes = g_ptr_array_new();
            if (!below.cuts)
                below.cuts = new_box_cuts();
            g_ptr_array_add(below.notes, g_ptr_array_index(v->notes, j));
            y += shift;
            g_array_append_val(below.cuts->note_y, y);
        }
        g_ptr_array_free(v->notes, TRUE);
        g_array_free(bc->note_y, TRUE);
        bc->note_y = keep_y;
        v->notes = keep->len ? keep : (g_ptr_array_free(keep, TRUE), NULL);
    }
    g_array_insert_val(vl->items, i + 1, below);
}
