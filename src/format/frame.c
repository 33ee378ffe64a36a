/* The frame every block-level object shares on the vertical list: forced breaks, spaces
 * before and after, the marks of its id and markers, the start and end of its background
 * and borders, and its keeps (together, with next, with previous). */
#include <string.h>

#include "format/blocks.h"

static void add_space(vlist *vl, const wb_space *s)
{
    if (s->opt == 0 && s->min == 0 && s->max == 0)
        return;
    vlist_push(vl, (vitem){.kind = VI_SPACE, .h = s->opt, .space = *s});
}

static void add_break(vlist *vl, wb_break b)
{
    if (b == BREAK_AUTO)
        return;
    vlist_push(vl, (vitem){.kind = VI_BREAK, .brk = b});
}

static bool has_deco(const wb_fo *fo)
{
    const wb_style *s = fo->style;
    /* a form field (write-in lines) lies on the border box, drawn or not */
    if (wb_fo_ext_attr(fo, "field"))
        return true;
    return s->background.a > 0 || s->background_image || s->border[0].style || s->border[1].style || s->border[2].style ||
           s->border[3].style || s->padding[SIDE_BEFORE] > 0 || s->padding[SIDE_AFTER] > 0;
}

static int open_deco(formatter *f, vlist *vl, const wb_fo *fo, const refarea *ra)
{
    const wb_style *s = fo->style;
    /* the border box: content box grown by padding and borders; a container or a table with
     * a width is as wide as that */
    double cw = content_width(ra, s);
    /* (a container turned a quarter takes its width along the page's height: turn.c) */
    bool sideways = s->reference_orientation == 90 || s->reference_orientation == 270;
    if (fo->kind == FO_TABLE)
        cw = table_width(fo, ra);
    else if (fo->kind == FO_BLOCK_CONTAINER && !s->width.is_auto && !sideways)
        cw = MIN(cw, wb_len_resolve(s->width, ra->width));
    double left = content_left(ra, s) - s->padding[SIDE_START] - border_width(s, SIDE_START);
    double right = content_left(ra, s) + cw + s->padding[SIDE_END] + border_width(s, SIDE_END);
    block_deco d = {.x = left, .w = right - left, .bg = s->background, .bg_image = background_image(f, fo), .bg_style = s};
    if (wb_fo_ext_attr(fo, "field"))
        d.field = fo;
    memcpy(d.border, s->border, sizeof d.border);
    d.retain_before = (s->padding_retain[SIDE_BEFORE] ? s->padding[SIDE_BEFORE] : 0) +
                      (s->border[SIDE_BEFORE].retain ? border_width(s, SIDE_BEFORE) : 0);
    d.retain_after = (s->padding_retain[SIDE_AFTER] ? s->padding[SIDE_AFTER] : 0) +
                     (s->border[SIDE_AFTER].retain ? border_width(s, SIDE_AFTER) : 0);
    g_array_append_val(vl->decos, d);
    int idx = (int)vl->decos->len - 1;
    vlist_push(vl, (vitem){.kind = VI_START, .h = border_width(s, SIDE_BEFORE) + s->padding[SIDE_BEFORE], .deco = idx});
    return idx;
}

static void close_deco(vlist *vl, const wb_style *s, int idx)
{
    vlist_push(vl, (vitem){.kind = VI_END, .h = border_width(s, SIDE_AFTER) + s->padding[SIDE_AFTER], .deco = idx});
}

void block_frame(formatter *f, vlist *vl, const wb_fo *fo, const refarea *ra, content_fn content)
{
    const wb_style *s = fo->style;
    add_break(vl, s->break_before);
    add_space(vl, &s->space_before);
    if (fo->id)
        vlist_push(vl, (vitem){.kind = VI_MARK_START, .id = fo->id});
    guint start = vl->items->len;
    bool keep = s->keep_together > 0;
    if (keep)
        vl->open_keeps++;
    int deco = has_deco(fo) ? open_deco(f, vl, fo, ra) : -1;
    content(f, vl, fo, ra);
    if (deco >= 0)
        close_deco(vl, s, deco);
    if (keep) {
        vlist_keep_range(vl, start, keep_penalty(s->keep_together));
        vl->open_keeps--;
    }
    if (s->keep_with_previous > 0) {
        guint fc = vlist_first_content(vl, start);
        if (fc != G_MAXUINT) {
            vitem *v = &g_array_index(vl->items, vitem, fc);
            v->pen = MAX(v->pen, keep_penalty(s->keep_with_previous));
        }
    }
    if (fo->id)
        vlist_push(vl, (vitem){.kind = VI_MARK_END, .id = fo->id});
    if (wb_fo_child(fo, FO_MARKER))
        vlist_push(vl, (vitem){.kind = VI_MARKED_END, .marker = fo});
    add_space(vl, &s->space_after);
    if (s->keep_with_next > 0)
        vl->pending_keep = MAX(vl->pending_keep, keep_penalty(s->keep_with_next));
    add_break(vl, s->break_after);
}

