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
    v->line = NULL;
    v->areas = NULL;
    v->notes = NULL;
}

static void free_table_rep(gpointer p)
{
    table_rep *t = p;
    area_list_free(t->header);
    area_list_free(t->footer);
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

double vlist_height(vlist *vl) { return vlist_stack_height(vl, 0, -1, NULL); }
