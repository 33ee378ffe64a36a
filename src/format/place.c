/* Placing a vertical list's items from a point downwards: the spaces between them, the
 * backgrounds and borders of the blocks they are in, the ids and markers they carry (for
 * page numbers and running heads), and their areas, in page coordinates. */
#include "format/blocks.h"

placer placer_start(formatter *f, vlist *vl, area_list **out, double x, double y, bool record)
{
    return (placer){.f = f, .out = out, .decos = vl->decos, .open = g_array_new(FALSE, TRUE, sizeof(open_box)),
                    .x = x, .y = y, .record = record, .page_text = f->page_text, .area_x = x, .area_y = y};
}

void placer_end(placer *p, bool closed)
{
    while (p->open->len)
        place_block_close(p, closed);
    g_array_free(p->open, TRUE);
    p->open = NULL;
}

void place_block_open(placer *p, int idx, bool continued)
{
    block_deco *d = &g_array_index(p->decos, block_deco, idx);
    open_box od = {.deco = idx, .y0 = p->y, .continued = continued};
    od.fill_index = *p->out ? (*p->out)->len : 0;
    area_push(p->out, (wb_area){.kind = WB_AREA_FILL, .x = p->x + d->x, .y = p->y, .w = d->w, .h = 0,
                                .color = color_of(d->bg)});
    /* its image over the colour, under the content: set to the padding rectangle at the close */
    if (d->bg_image)
        area_background(p->out, d->bg_image, d->bg_style, 0, 0, 0, 0);
    g_array_append_val(p->open, od);
    if (continued)
        p->y += d->retain_before;
}

void place_block_close(placer *p, bool closed)
{
    open_box od = g_array_index(p->open, open_box, p->open->len - 1);
    g_array_set_size(p->open, p->open->len - 1);
    block_deco *d = &g_array_index(p->decos, block_deco, od.deco);
    if (!closed)
        p->y += d->retain_after;
    double y1 = p->y;
    wb_area *fill = &g_array_index(*p->out, wb_area, od.fill_index);
    fill->h = y1 - od.y0;
    double x = p->x + d->x;
    if (d->bg_image) {
        /* the padding rectangle of this part: inside the borders drawn on it */
        double top = od.y0 + (!od.continued || d->border[SIDE_BEFORE].retain ? border_width(d->bg_style, SIDE_BEFORE) : 0);
        double bottom = y1 - (closed || d->border[SIDE_AFTER].retain ? border_width(d->bg_style, SIDE_AFTER) : 0);
        double left = x + border_width(d->bg_style, SIDE_START);
        double right = x + d->w - border_width(d->bg_style, SIDE_END);
        background_fit(&g_array_index(*p->out, wb_area, od.fill_index + 1), d->bg_style, left, top, right - left,
                       bottom - top);
    }
    /* borders sit inside the border box */
    if ((!od.continued || d->border[SIDE_BEFORE].retain) && d->border[SIDE_BEFORE].style)
        area_rule(p->out, x, od.y0 + d->border[SIDE_BEFORE].width / 2, d->w, 0, &d->border[SIDE_BEFORE]);
    if ((closed || d->border[SIDE_AFTER].retain) && d->border[SIDE_AFTER].style)
        area_rule(p->out, x, y1 - d->border[SIDE_AFTER].width / 2, d->w, 0, &d->border[SIDE_AFTER]);
    if (d->border[SIDE_START].style)
        area_rule(p->out, x + d->border[SIDE_START].width / 2, od.y0, 0, y1 - od.y0, &d->border[SIDE_START]);
    if (d->border[SIDE_END].style)
        area_rule(p->out, x + d->w - d->border[SIDE_END].width / 2, od.y0, 0, y1 - od.y0, &d->border[SIDE_END]);
    /* the part of a marked block on this page; a block split over pages gives a widget per
     * part, one field */
    if (d->field)
        area_field(p->f, p->out, d->field, x, od.y0, d->w, y1 - od.y0);
}

void record_id(formatter *f, const char *id, const char *page_text, bool first)
{
    GHashTable *t = first ? f->seen_first : f->seen_last;
    if (first && g_hash_table_contains(t, id))
        return;
    g_hash_table_replace(t, g_strdup(id), g_strdup(page_text));
}

/* A box out of the flow at its offsets: left or right, top or bottom, from the area (the
 * page when fixed); an offset left auto keeps the place it would have had in the flow. */
static void place_absolute(placer *p, const vitem *v)
{
    const wb_style *s = v->abs->style;
    bool fixed = s->position == POSITION_FIXED && p->page_w > 0;
    double ax = fixed ? 0 : p->area_x, ay = fixed ? 0 : p->area_y;
    double aw = fixed ? p->page_w : p->area_w, ah = fixed ? p->page_h : p->area_h;
    const wb_len *o = s->offset;
    double x = !o[SIDE_START].is_auto ? ax + wb_len_resolve(o[SIDE_START], aw)
               : !o[SIDE_END].is_auto && aw > 0 ? ax + aw - wb_len_resolve(o[SIDE_END], aw) - v->abs_w
                                                : p->x;
    double y = !o[SIDE_BEFORE].is_auto ? ay + wb_len_resolve(o[SIDE_BEFORE], ah)
               : !o[SIDE_AFTER].is_auto && ah > 0 ? ay + ah - wb_len_resolve(o[SIDE_AFTER], ah) - v->h
                                                  : p->y + p->pending;
    for (guint i = 0; v->areas && i < v->areas->len; i++) {
        wb_area a = wb_area_copy(&g_array_index(v->areas, wb_area, i));
        a.x += x;
        a.y += y;
        if (a.kind == WB_AREA_DEST && p->record) {
            record_id(p->f, a.u.dest.name, p->page_text, true);
            record_id(p->f, a.u.dest.name, p->page_text, false);
        }
        area_push(p->out, a);
    }
}

void place_item(placer *p, const vitem *v)
{
    switch (v->kind) {
    case VI_SPACE:
        if (p->any_content || v->space.retain)
            p->pending = MAX(p->pending, v->space.opt - p->shrink * space_shrink(&v->space));
        break;
    case VI_START:
        p->y += p->pending;
        p->pending = 0;
        place_block_open(p, v->deco, false);
        p->y += v->h;
        if (v->h > 0)
            p->any_content = true;
        break;
    case VI_END:
        p->y += v->h;
        if (p->open->len)
            place_block_close(p, true);
        break;
    case VI_LINE:
    case VI_BOX:
        p->y += p->pending;
        p->pending = 0;
        /* backgrounds under the glyphs, everything else over them */
        double dx = p->even && v->kind == VI_LINE ? v->even_dx : 0;
        if (v->areas)
            for (guint i = 0; i < v->areas->len; i++) {
                const wb_area *src = &g_array_index(v->areas, wb_area, i);
                if (src->kind != WB_AREA_FILL || v->kind != VI_LINE)
                    continue;
                wb_area a = wb_area_copy(src);
                a.x += p->x + dx;
                a.y += p->y;
                area_push(p->out, a);
            }
        /* a list item's label rides on its body's first line (list.c): its text comes
         * before the line's, as it is read (the order tagged PDF follows) */
        if (v->areas && v->kind == VI_LINE)
            for (guint i = 0; i < v->areas->len; i++) {
                const wb_area *src = &g_array_index(v->areas, wb_area, i);
                if (src->kind != WB_AREA_TEXT)
                    continue;
                wb_area a = wb_area_copy(src);
                a.x += p->x + dx;
                a.y += p->y;
                area_push(p->out, a);
            }
        if (v->kind == VI_LINE) {
            wb_area a = {.kind = WB_AREA_TEXT, .x = p->x + v->x + dx, .y = p->y + v->base, .node = v->node,
                         .source = v->source};
            a.u.text.line = wb_line_ref(v->line);
            area_push(p->out, a);
        }
        if (v->areas)
            for (guint i = 0; i < v->areas->len; i++) {
                wb_area_kind k = g_array_index(v->areas, wb_area, i).kind;
                if ((k == WB_AREA_FILL || k == WB_AREA_TEXT) && v->kind == VI_LINE)
                    continue;
                wb_area a = wb_area_copy(&g_array_index(v->areas, wb_area, i));
                a.x += p->x + dx;
                a.y += p->y;
                /* a link or a blank belongs to the paragraph it is in */
                if ((a.kind == WB_AREA_LINK || a.kind == WB_AREA_FIELD) && !a.node)
                    a.node = v->node;
                if (!a.source)
                    a.source = v->source;
                if (a.kind == WB_AREA_DEST && p->record)
                    record_id(p->f, a.u.dest.name, p->page_text, true), record_id(p->f, a.u.dest.name, p->page_text, false);
                area_push(p->out, a);
            }
        p->y += v->h;
        p->any_content = true;
        break;
    case VI_MARK_START: {
        wb_area a = {.kind = WB_AREA_DEST, .x = p->x, .y = p->y + p->pending};
        a.u.dest.name = g_strdup(v->id);
        area_push(p->out, a);
        if (p->record) {
            record_id(p->f, v->id, p->page_text, true);
            record_id(p->f, v->id, p->page_text, false);
        }
        break;
    }
    case VI_MARK_END:
        if (p->record)
            record_id(p->f, v->id, p->page_text, false);
        break;
    case VI_MARKER:
        if (p->record && p->f->markers)
            markers_placed(p->f->markers, v->marker);
        break;
    case VI_MARKED_END:
        if (p->record && p->f->markers)
            markers_block_end(p->f->markers, v->marker, !p->any_content);
        break;
    case VI_ABSOLUTE:
        place_absolute(p, v);
        break;
    case VI_BREAK:
        break;
    }
}

double place_flat(formatter *f, vlist *vl, area_list **out, double *first_baseline)
{
    return place_flat_tops(f, vl, out, first_baseline, NULL);
}

double place_flat_tops(formatter *f, vlist *vl, area_list **out, double *first_baseline, double *tops)
{
    /* leading spaces are dropped like at the top of a page */
    placer p = placer_start(f, vl, out, 0, 0, false);
    *first_baseline = 0;
    bool seen = false;
    for (guint i = 0; i < vl->items->len; i++) {
        vitem *v = &g_array_index(vl->items, vitem, i);
        if (tops)
            tops[i] = p.y + (vitem_is_content(v) ? p.pending : 0);
        if (!seen && vitem_is_content(v)) {
            double y_before = p.y + p.pending;
            *first_baseline = y_before + (v->kind == VI_LINE ? v->base : 0);
            seen = true;
        }
        if (v->kind == VI_MARKER || v->kind == VI_MARK_START || v->kind == VI_MARK_END) {
            if (v->kind == VI_MARK_START) {
                wb_area a = {.kind = WB_AREA_DEST, .x = 0, .y = p.y};
                a.u.dest.name = g_strdup(v->id);
                area_push(out, a);
            }
            continue;
        }
        place_item(&p, v);
    }
    placer_end(&p, true);
    return p.y;
}


