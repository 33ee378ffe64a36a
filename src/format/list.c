/* Lists: each fo:list-item's body stacks on the vertical list, its label is placed beside
 * the body's first line. */
#include "format/blocks.h"

static void list_item_content(formatter *f, vlist *vl, const wb_fo *item, const refarea *ra)
{
    const wb_fo *label = wb_fo_child(item, FO_LIST_ITEM_LABEL);
    const wb_fo *body = wb_fo_child(item, FO_LIST_ITEM_BODY);
    guint start = vl->items->len;
    if (body)
        layout_child(f, vl, body, ra);
    if (!label)
        return;
    vlist *lv = vlist_new();
    layout_child(f, lv, label, ra);
    area_list *areas = NULL;
    double label_base = 0;
    double lh = place_flat(f, lv, &areas, &label_base);
    vlist_free(lv);
    if (!areas)
        return;
    guint fc = vlist_first_content(vl, start);
    if (fc == G_MAXUINT) {
        vlist_push(vl, (vitem){.kind = VI_BOX, .h = lh, .areas = areas});
        return;
    }
    vitem *v = &g_array_index(vl->items, vitem, fc);
    double dy = (v->kind == VI_LINE ? v->base : label_base) - label_base;
    for (guint i = 0; i < areas->len; i++) {
        wb_area a = g_array_index(areas, wb_area, i);
        a.y += dy;
        area_push(&v->areas, a);
    }
    g_array_free(areas, TRUE); /* the areas moved, with their references */
    if (lh + dy > v->h) {
        /* a label taller than the body's first line: keep the lines together */
        double extra = lh + dy;
        for (guint i = fc; i < vl->items->len && extra > 0; i++) {
            vitem *w = &g_array_index(vl->items, vitem, i);
            if (!vitem_is_content(w))
                continue;
            extra -= w->h;
        }
        if (extra > 0)
            vlist_push(vl, (vitem){.kind = VI_BOX, .h = extra, .pen = PEN_FORBIDDEN});
    }
}

void list_block_content(formatter *f, vlist *vl, const wb_fo *fo, const refarea *ra)
{
    for (const wb_fo *c = fo->first; c; c = c->next) {
        if (c->kind == FO_LIST_ITEM)
            block_frame(f, vl, c, ra, list_item_content);
        else if (c->kind == FO_MARKER)
            vlist_push(vl, (vitem){.kind = VI_MARKER, .marker = c});
    }
}


