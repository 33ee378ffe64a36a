/* Block-containers whose reference-orientation turns their content (90, 180 or 270 degrees
 * counter-clockwise, XSL 1.1 §7.21.3): the children are laid out upright in a reference area
 * of their own, whose inline extent is the container's inline-progression-dimension (for a
 * quarter turn, the page-frame height it takes: height, else width, else the body's height
 * less the container's borders and padding, so that it fits a page), placed flat, and set in
 * the flow as one box between two turn areas that the renderer turns (WB_AREA_TURN).  A
 * quarter-turned box is as wide as the column when it has a width, else as its turned
 * lines.  The box does not break across pages: one that does not fit below what a page
 * holds goes to the next page. */
#include "format/blocks.h"

void container_turned(formatter *f, vlist *vl, const wb_fo *fo, const refarea *ra)
{
    const wb_style *s = fo->style;
    int angle = s->reference_orientation;
    bool sideways = angle == 90 || angle == 270;
    double x = content_left(ra, s);
    double lw;
    if (!sideways)
        lw = !s->width.is_auto ? wb_len_resolve(s->width, ra->width) : content_width(ra, s);
    else if (!s->height.is_auto)
        lw = wb_len_resolve(s->height, 0);
    else if (!s->width.is_auto)
        lw = wb_len_resolve(s->width, ra->width);
    else if (f->body_h > 0)
        /* the whole height of the body, less the container's own borders and padding before
         * and after, so that it fits a page (it goes to the next one when it does not fit
         * below what is already there), as Apache FOP makes it */
        lw = f->body_h - border_width(s, SIDE_BEFORE) - s->padding[SIDE_BEFORE] - border_width(s, SIDE_AFTER) -
             s->padding[SIDE_AFTER];
    else
        lw = content_width(ra, s);
    lw = MAX(lw, 1);
    /* the children's indents are measured from the container's own */
    refarea box = {.x0 = 0, .width = lw, .base_start = s->start_indent, .base_end = s->end_indent};
    vlist *sub = vlist_new();
    for (const wb_fo *c = fo->first; c; c = c->next)
        layout_child(f, sub, c, &box);
    area_list *inner = NULL;
    double first_baseline;
    double lh = place_flat(f, sub, &inner, &first_baseline);
    vlist_free(sub);
    if (!sideways && !s->height.is_auto)
        lh = MAX(lh, wb_len_resolve(s->height, 0));
    else if (sideways && !s->width.is_auto)
        lh = MAX(lh, content_width(ra, s)); /* as wide as the column, as FOP makes it */
    else if (sideways && vl->items->len > 0) {
        /* of no width: as wide as its turned lines, its frame (opened just before, frame.c)
         * narrowed to them, as FOP makes it */
        vitem *start = &g_array_index(vl->items, vitem, vl->items->len - 1);
        if (start->kind == VI_START) {
            block_deco *d = &g_array_index(vl->decos, block_deco, start->deco);
            d->w = lh + s->padding[SIDE_START] + border_width(s, SIDE_START) + s->padding[SIDE_END] +
                   border_width(s, SIDE_END);
        }
    }
    area_list *out = NULL;
    area_push(&out, (wb_area){.kind = WB_AREA_TURN, .x = x, .y = 0, .w = lw, .h = lh, .u.turn.angle = angle});
    for (guint i = 0; inner && i < inner->len; i++) {
        wb_area a = g_array_index(inner, wb_area, i);
        a.x += x;
        area_push(&out, a); /* the list takes the references the copy in `inner` held */
    }
    if (inner)
        g_array_free(inner, TRUE);
    area_push(&out, (wb_area){.kind = WB_AREA_TURN, .x = x, .y = 0, .u.turn.angle = 0});
    vlist_push(vl, (vitem){.kind = VI_BOX, .h = sideways ? lw : lh, .areas = out});
}
