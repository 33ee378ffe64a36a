/* Block-containers out of the flow (absolute-position="absolute" or "fixed", or the position
 * shorthand, XSL 1.1 §7.6.1): laid out once on a list of their own, as wide as their width
 * (or the containing area less their left and right offsets), and placed flat into one item
 * of the flow's list that takes no room.  The placer (place.c) sets that item at its offsets
 * on the page where its place in the flow falls. */
#include "format/blocks.h"

void block_absolute(formatter *f, vlist *vl, const wb_fo *fo, const refarea *ra, content_fn content)
{
    const wb_style *s = fo->style;
    const wb_style *ps = fo->parent && fo->parent->style ? fo->parent->style : s;
    /* its own margins, borders and padding: what its indents add to its parent's */
    double own_l = wb_len_resolve(s->start_indent, ra->width) - wb_len_resolve(ps->start_indent, ra->width);
    double own_r = wb_len_resolve(s->end_indent, ra->width) - wb_len_resolve(ps->end_indent, ra->width);
    double w;
    if (!s->width.is_auto) {
        w = own_l + wb_len_resolve(s->width, ra->width) + own_r;
    } else {
        double l = s->offset[SIDE_START].is_auto ? 0 : wb_len_resolve(s->offset[SIDE_START], ra->width);
        double r = s->offset[SIDE_END].is_auto ? 0 : wb_len_resolve(s->offset[SIDE_END], ra->width);
        w = ra->width - l - r;
    }
    w = MAX(w, own_l + own_r + 1);
    /* a reference area of its own, from its corner: indents measured from the parent's */
    refarea box = {.x0 = 0, .width = w, .base_start = ps->start_indent, .base_end = ps->end_indent};
    vlist *sub = vlist_new();
    block_frame(f, sub, fo, &box, content);
    area_list *areas = NULL;
    double first_baseline;
    double h = place_flat(f, sub, &areas, &first_baseline);
    vlist_free(sub);
    vlist_push(vl, (vitem){.kind = VI_ABSOLUTE, .h = h, .areas = areas, .abs = fo, .abs_w = w});
}
