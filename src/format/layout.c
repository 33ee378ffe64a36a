/* The formatter: FO tree -> pages, streamed to a sink one page at a time.
 *
 * Blocks, lists and tables become a vertical list of items (lines, unbreakable boxes,
 * spaces, block starts and ends, forced breaks, marks) with a penalty on every place a page
 * may break.  The paginator fills pages from that list, choosing the cheapest break that
 * keeps widows, orphans and keeps, and emits each page as soon as it is full, so the list
 * never holds much more than a page.  Static regions are laid out again for every page.
 * When the document cites page numbers, the whole document is formatted again until the
 * numbers settle; only the last pass is rendered. */
#include <limits.h>
#include <math.h>
#include <string.h>

#include "format/format-private.h"
#include "render/image.h"
#include "workbook/load.h"

#define PEN_WIDOW 5000
#define PEN_FORBIDDEN WB_KEEP_ALWAYS
#define MAX_PASSES 4

typedef enum { VI_LINE, VI_BOX, VI_SPACE, VI_START, VI_END, VI_BREAK, VI_MARK_START, VI_MARK_END, VI_MARKER,
               VI_MARKED_END /* the end of a block that has markers (marker = the block) */ } vi_kind;

typedef struct vitem {
    vi_kind kind;
    double h;
    int pen;                 /* content items: cost of a page break just before this one */
    double x, base;          /* LINE: baseline start (region coordinates) and offset from top */
    double even_dx;          /* LINE: moved by this much on even pages (inside / outside) */
    wb_line *line;           /* LINE: one reference */
    area_list *areas;        /* attached areas, x in region coordinates, y from the item top */
    wb_space space;          /* SPACE */
    int deco;                /* START / END */
    wb_break brk;            /* BREAK */
    const char *id;          /* MARK_START / MARK_END */
    const wb_fo *marker;     /* MARKER */
    GPtrArray *notes;        /* fo:footnote-body objects cited here (borrowed); owned array */
    double notes_h;          /* their height once measured, < 0 before */
    double notes_first;      /* the height of their first line */
    struct table_rep *table; /* body rows: the table whose header/footer repeat at breaks */
    bool row_first, row_last;
} vitem;

/* What repeats when a table goes on over a page: its header and footer rows, laid out once. */
typedef struct table_rep {
    area_list *header, *footer;
    double header_h, footer_h;
} table_rep;

/* Background and borders of a block, drawn around whatever part of it lands on a page. */
typedef struct bdeco {
    double x, w;
    wb_rgba bg;
    wb_border border[4];
} bdeco;

typedef struct vlist {
    GArray *items; /* vitem */
    GArray *decos; /* bdeco */
    GPtrArray *tables; /* table_rep, owned */
    int pending_keep; /* keep-with-next waiting for the next content item */
    int open_keeps;   /* keep-together blocks not yet closed: no page may be cut meanwhile */
} vlist;

/* A reference area: indents are measured from its edges. */
typedef struct refarea {
    double x0, width;
    wb_len base_start, base_end; /* indents inherited from outside the area */
} refarea;

/* ------------------------------------------------------------------ items */

static bool is_content(const vitem *v) { return v->kind == VI_LINE || v->kind == VI_BOX; }

static void vitem_clear(vitem *v)
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

static vlist *vlist_new(void)
{
    vlist *vl = g_new0(vlist, 1);
    vl->items = g_array_new(FALSE, TRUE, sizeof(vitem));
    vl->decos = g_array_new(FALSE, TRUE, sizeof(bdeco));
    vl->tables = g_ptr_array_new_with_free_func(free_table_rep);
    return vl;
}

static void vlist_free(vlist *vl)
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

static vitem *push(vlist *vl, vitem v)
{
    v.notes_h = -1;
    if (is_content(&v) && vl->pending_keep) {
        v.pen = MAX(v.pen, vl->pending_keep);
        vl->pending_keep = 0;
    }
    g_array_append_val(vl->items, v);
    return &g_array_index(vl->items, vitem, vl->items->len - 1);
}

static int keep_pen(int keep) { return keep >= WB_KEEP_ALWAYS ? PEN_FORBIDDEN : keep * 1000; }

/* Every break inside [from, items end) costs at least pen. */
static void keep_range(vlist *vl, guint from, int pen)
{
    bool first = true;
    for (guint i = from; i < vl->items->len; i++) {
        vitem *v = &g_array_index(vl->items, vitem, i);
        if (!is_content(v))
            continue;
        if (!first)
            v->pen = MAX(v->pen, pen);
        first = false;
    }
}

static guint first_content(vlist *vl, guint from)
{
    for (guint i = from; i < vl->items->len; i++)
        if (is_content(&g_array_index(vl->items, vitem, i)))
            return i;
    return G_MAXUINT;
}

/* ------------------------------------------------------------------ geometry helpers */

static double content_left(const refarea *ra, const wb_style *s)
{
    return ra->x0 + wb_len_resolve(s->start_indent, ra->width) - wb_len_resolve(ra->base_start, ra->width);
}

static double content_width(const refarea *ra, const wb_style *s)
{
    double l = wb_len_resolve(s->start_indent, ra->width) - wb_len_resolve(ra->base_start, ra->width);
    double r = wb_len_resolve(s->end_indent, ra->width) - wb_len_resolve(ra->base_end, ra->width);
    return MAX(1, ra->width - l - r);
}

static double bw(const wb_style *s, int side) { return s->border[side].style ? s->border[side].width : 0; }

static bool has_deco(const wb_style *s)
{
    return s->background.a > 0 || s->border[0].style || s->border[1].style || s->border[2].style ||
           s->border[3].style || s->padding[SIDE_BEFORE] > 0 || s->padding[SIDE_AFTER] > 0;
}

static wb_color col(wb_rgba c) { return (wb_color){c.r, c.g, c.b, c.a}; }

static wb_rule_style rstyle(wb_border_style s)
{
    return s == BORDER_DASHED ? WB_RULE_DASHED : s == BORDER_DOTTED ? WB_RULE_DOTTED
           : s == BORDER_DOUBLE ? WB_RULE_DOUBLE : WB_RULE_SOLID;
}

static void push_area(area_list **l, wb_area a)
{
    if (!*l)
        *l = g_array_new(FALSE, FALSE, sizeof(wb_area));
    g_array_append_val(*l, a);
}

static void rule(area_list **l, double x, double y, double w, double h, const wb_border *b)
{
    if (!b->style || b->width <= 0)
        return;
    push_area(l, (wb_area){.kind = WB_AREA_RULE, .x = x, .y = y, .w = w, .h = h, .color = col(b->color),
                           .u.rule = {b->width, rstyle(b->style)}});
}

/* ------------------------------------------------------------------ blocks */

static void layout_children(fmt *f, vlist *vl, const wb_fo *parent, const refarea *ra);
static double flatten(fmt *f, vlist *vl, area_list **out, double *first_baseline);

static void add_space(vlist *vl, const wb_space *s)
{
    if (s->opt == 0 && s->min == 0 && s->max == 0)
        return;
    push(vl, (vitem){.kind = VI_SPACE, .h = s->opt, .space = *s});
}

static void add_break(vlist *vl, wb_break b)
{
    if (b == BREAK_AUTO)
        return;
    push(vl, (vitem){.kind = VI_BREAK, .brk = b});
}

/* Lines of one paragraph, with widow and orphan penalties. */
static void add_paragraph(fmt *f, vlist *vl, const wb_fo *block, const wb_fo *from, const wb_fo *to,
                          double left, double width, bool first, bool last)
{
    para *p = para_layout(f, block, from, to, width, first, last);
    if (!p)
        return;
    int n = (int)p->lines->len;
    const wb_style *s = block->style;
    for (int i = 0; i < n; i++) {
        para_line *pl = &g_array_index(p->lines, para_line, i);
        vitem v = {.kind = VI_LINE, .h = pl->height, .x = left + pl->x, .base = pl->baseline,
                   .even_dx = pl->x_even - pl->x};
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
        push(vl, v);
    }
    para_free(p);
}

/* A block's content: runs of inline children become paragraphs, block children stack. */
static void layout_block_content(fmt *f, vlist *vl, const wb_fo *block, const refarea *ra)
{
    double left = content_left(ra, block->style), width = content_width(ra, block->style);
    const wb_fo *run = NULL;
    bool first_run = true;
    for (const wb_fo *c = block->first;; c = c->next) {
        bool inl = c && fo_is_inline(c->kind);
        if (c && c->kind == FO_MARKER) {
            push(vl, (vitem){.kind = VI_MARKER, .marker = c});
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
            layout_children(f, vl, c, &sub);
        }
    }
}

static int open_deco(vlist *vl, const wb_fo *fo, const refarea *ra)
{
    const wb_style *s = fo->style;
    /* the border box: content box grown by padding and borders; a container or a table with
     * a width is as wide as that */
    double cw = content_width(ra, s);
    if ((fo->kind == FO_BLOCK_CONTAINER || fo->kind == FO_TABLE) && !s->width.is_auto)
        cw = MIN(cw, wb_len_resolve(s->width, ra->width));
    double left = content_left(ra, s) - s->padding[SIDE_START] - bw(s, SIDE_START);
    double right = content_left(ra, s) + cw + s->padding[SIDE_END] + bw(s, SIDE_END);
    bdeco d = {.x = left, .w = right - left, .bg = s->background};
    memcpy(d.border, s->border, sizeof d.border);
    g_array_append_val(vl->decos, d);
    int idx = (int)vl->decos->len - 1;
    push(vl, (vitem){.kind = VI_START, .h = bw(s, SIDE_BEFORE) + s->padding[SIDE_BEFORE], .deco = idx});
    return idx;
}

static void close_deco(vlist *vl, const wb_style *s, int idx)
{
    push(vl, (vitem){.kind = VI_END, .h = bw(s, SIDE_AFTER) + s->padding[SIDE_AFTER], .deco = idx});
}

typedef void (*content_fn)(fmt *f, vlist *vl, const wb_fo *fo, const refarea *ra);

/* What every block-level object shares: breaks, spaces, id, background and borders, keeps. */
static void block_frame(fmt *f, vlist *vl, const wb_fo *fo, const refarea *ra, content_fn content)
{
    const wb_style *s = fo->style;
    add_break(vl, s->break_before);
    add_space(vl, &s->space_before);
    if (fo->id)
        push(vl, (vitem){.kind = VI_MARK_START, .id = fo->id});
    guint start = vl->items->len;
    bool keep = s->keep_together > 0;
    if (keep)
        vl->open_keeps++;
    int deco = has_deco(s) ? open_deco(vl, fo, ra) : -1;
    content(f, vl, fo, ra);
    if (deco >= 0)
        close_deco(vl, s, deco);
    if (keep) {
        keep_range(vl, start, keep_pen(s->keep_together));
        vl->open_keeps--;
    }
    if (s->keep_with_previous > 0) {
        guint fc = first_content(vl, start);
        if (fc != G_MAXUINT) {
            vitem *v = &g_array_index(vl->items, vitem, fc);
            v->pen = MAX(v->pen, keep_pen(s->keep_with_previous));
        }
    }
    if (fo->id)
        push(vl, (vitem){.kind = VI_MARK_END, .id = fo->id});
    if (wb_fo_child(fo, FO_MARKER))
        push(vl, (vitem){.kind = VI_MARKED_END, .marker = fo});
    add_space(vl, &s->space_after);
    if (s->keep_with_next > 0)
        vl->pending_keep = MAX(vl->pending_keep, keep_pen(s->keep_with_next));
    add_break(vl, s->break_after);
}

/* block-container: a new reference area when it has a width. */
static void container_content(fmt *f, vlist *vl, const wb_fo *fo, const refarea *ra)
{
    const wb_style *s = fo->style;
    refarea sub = *ra;
    if (!s->width.is_auto) {
        sub.x0 = content_left(ra, s);
        sub.width = wb_len_resolve(s->width, ra->width);
        sub.base_start = s->start_indent;
        sub.base_end = s->end_indent;
    }
    guint start = vl->items->len;
    for (const wb_fo *c = fo->first; c; c = c->next)
        layout_children(f, vl, c, &sub);
    if (!s->height.is_auto) {
        /* a fixed height: pad up to it (content beyond it is not clipped) */
        double h = 0;
        for (guint i = start; i < vl->items->len; i++) {
            vitem *v = &g_array_index(vl->items, vitem, i);
            if (is_content(v) || v->kind == VI_SPACE)
                h += v->h;
        }
        double want = wb_len_resolve(s->height, 0);
        if (want > h) {
            /* display-align places the content in the height: room before it, after it */
            double before = s->display_align == DISPLAY_CENTER ? (want - h) / 2
                            : s->display_align == DISPLAY_AFTER ? want - h : 0;
            if (before > 0) {
                vitem gap = {.kind = VI_BOX, .h = before, .notes_h = -1};
                g_array_insert_val(vl->items, start, gap);
            }
            if (want - h - before > 0)
                push(vl, (vitem){.kind = VI_BOX, .h = want - h - before, .pen = PEN_FORBIDDEN});
            /* nothing may break inside the container */
            keep_range(vl, start, PEN_FORBIDDEN);
        }
    }
}

/* ------------------------------------------------------------------ lists */

static void list_item_content(fmt *f, vlist *vl, const wb_fo *item, const refarea *ra)
{
    const wb_fo *label = wb_fo_child(item, FO_LIST_ITEM_LABEL);
    const wb_fo *body = wb_fo_child(item, FO_LIST_ITEM_BODY);
    guint start = vl->items->len;
    if (body)
        layout_children(f, vl, body, ra);
    if (!label)
        return;
    vlist *lv = vlist_new();
    layout_children(f, lv, label, ra);
    area_list *areas = NULL;
    double label_base = 0;
    double lh = flatten(f, lv, &areas, &label_base);
    vlist_free(lv);
    if (!areas)
        return;
    guint fc = first_content(vl, start);
    if (fc == G_MAXUINT) {
        push(vl, (vitem){.kind = VI_BOX, .h = lh, .areas = areas});
        return;
    }
    vitem *v = &g_array_index(vl->items, vitem, fc);
    double dy = (v->kind == VI_LINE ? v->base : label_base) - label_base;
    for (guint i = 0; i < areas->len; i++) {
        wb_area a = g_array_index(areas, wb_area, i);
        a.y += dy;
        push_area(&v->areas, a);
    }
    g_array_free(areas, TRUE); /* the areas moved, with their references */
    if (lh + dy > v->h) {
        /* a label taller than the body's first line: keep the lines together */
        double extra = lh + dy;
        for (guint i = fc; i < vl->items->len && extra > 0; i++) {
            vitem *w = &g_array_index(vl->items, vitem, i);
            if (!is_content(w))
                continue;
            extra -= w->h;
        }
        if (extra > 0)
            push(vl, (vitem){.kind = VI_BOX, .h = extra, .pen = PEN_FORBIDDEN});
    }
}

static void list_block_content(fmt *f, vlist *vl, const wb_fo *fo, const refarea *ra)
{
    for (const wb_fo *c = fo->first; c; c = c->next) {
        if (c->kind == FO_LIST_ITEM)
            block_frame(f, vl, c, ra, list_item_content);
        else if (c->kind == FO_MARKER)
            push(vl, (vitem){.kind = VI_MARKER, .marker = c});
    }
}

/* ------------------------------------------------------------------ tables */

typedef struct table_cols {
    double *x, *w;
    int n;
    double sep_i, sep_b;  /* the separate border model's spacing (0: collapsing borders) */
    bool collapse;
    wb_border *above;     /* collapsing model: per column, the bottom border of the row above */
} table_cols;

static int count_cells(const wb_fo *row)
{
    int n = 0;
    for (const wb_fo *c = row->first; c; c = c->next)
        if (c->kind == FO_TABLE_CELL)
            n += MAX(1, c->style->number_columns_spanned);
    return n;
}

/* The narrowest and widest a cell's content can be: its longest word, its longest
 * unbroken line (padding and borders included). */
static void cell_content_width(fmt *f, const wb_fo *cell, double *min_w, double *max_w)
{
    const wb_style *s = cell->style;
    refarea ra = {.x0 = 0, .width = 1e5, .base_start = s->start_indent, .base_end = s->end_indent};
    vlist *cv = vlist_new();
    for (const wb_fo *k = cell->first; k; k = k->next)
        layout_children(f, cv, k, &ra);
    double mn = 0, mx = 0;
    for (guint i = 0; i < cv->items->len; i++) {
        vitem *v = &g_array_index(cv->items, vitem, i);
        if (v->kind != VI_LINE)
            continue;
        double indent = v->x; /* start indent of the line's block */
        mx = MAX(mx, indent + v->line->width);
        for (size_t r = 0; r < v->line->count; r++) {
            const wb_glyph_run *run = &v->line->runs[r];
            const PangoGlyphString *gs = run->glyphs->glyphs;
            double word = 0;
            for (int g = 0; g < gs->num_glyphs; g++) {
                char ch = v->line->text[run->glyphs->item->offset + gs->log_clusters[g]];
                if (ch == ' ') {
                    mn = MAX(mn, indent + word);
                    word = 0;
                } else {
                    word += gs->glyphs[g].geometry.width / (double)PANGO_SCALE;
                }
            }
            mn = MAX(mn, indent + word);
        }
    }
    vlist_free(cv);
    double extra = bw(s, SIDE_START) + bw(s, SIDE_END) + s->padding[SIDE_START] + s->padding[SIDE_END] + 0.5;
    *min_w = mn + extra;
    *max_w = mx + extra;
}

static void content_widths(fmt *f, const wb_fo *table, int n, double *mn, double *mx)
{
    for (const wb_fo *part = table->first; part; part = part->next) {
        if (part->kind != FO_TABLE_HEADER && part->kind != FO_TABLE_BODY && part->kind != FO_TABLE_FOOTER)
            continue;
        for (const wb_fo *row = part->first; row; row = row->next) {
            if (row->kind != FO_TABLE_ROW)
                continue;
            int colno = 0;
            for (const wb_fo *c = row->first; c; c = c->next) {
                if (c->kind != FO_TABLE_CELL)
                    continue;
                const char *cn = wb_fo_attr(c, "column-number");
                if (cn && atoi(cn) >= 1 && atoi(cn) <= n)
                    colno = atoi(cn) - 1;
                int span = MAX(1, c->style->number_columns_spanned);
                if (colno < n && span == 1) {
                    double a, b;
                    cell_content_width(f, c, &a, &b);
                    mn[colno] = MAX(mn[colno], a);
                    mx[colno] = MAX(mx[colno], b);
                }
                colno += span;
            }
        }
    }
}

static table_cols table_columns(fmt *f, const wb_fo *table, double x, double width)
{
    table_cols tc = {0};
    GArray *fixed = g_array_new(FALSE, TRUE, sizeof(double));
    GArray *prop = g_array_new(FALSE, TRUE, sizeof(double));
    GArray *auto_cols = g_array_new(FALSE, TRUE, sizeof(gboolean));
    for (const wb_fo *c = table->first; c; c = c->next) {
        if (c->kind != FO_TABLE_COLUMN)
            continue;
        const char *rep = wb_fo_attr(c, "number-columns-repeated");
        int r = rep ? MAX(1, atoi(rep)) : 1;
        for (int k = 0; k < r; k++) {
            double fw = -1, pw = 0;
            gboolean is_auto = FALSE;
            if (c->style->column_width_proportional > 0)
                pw = c->style->column_width_proportional;
            else if (!c->style->column_width.is_auto)
                fw = wb_len_resolve(c->style->column_width, width);
            else
                is_auto = TRUE;
            g_array_append_val(fixed, fw);
            g_array_append_val(prop, pw);
            g_array_append_val(auto_cols, is_auto);
        }
    }
    if (fixed->len == 0) {
        /* no columns given: as many equal columns as the widest row has cells */
        int n = 1;
        for (const wb_fo *part = table->first; part; part = part->next)
            for (const wb_fo *row = part->first; row; row = row->next)
                if (row->kind == FO_TABLE_ROW)
                    n = MAX(n, count_cells(row));
        for (int k = 0; k < n; k++) {
            double fw = -1, pw = 0;
            gboolean is_auto = TRUE;
            g_array_append_val(fixed, fw);
            g_array_append_val(prop, pw);
            g_array_append_val(auto_cols, is_auto);
        }
    }
    tc.n = (int)fixed->len;
    tc.x = g_new0(double, tc.n + 1);
    tc.w = g_new0(double, tc.n);
    /* columns without a width: from their content, as browsers do (each gets at least its
     * longest word, and room in proportion to its unbroken length) */
    bool any_auto = false;
    for (int k = 0; k < tc.n; k++)
        any_auto = any_auto || g_array_index(auto_cols, gboolean, k);
    if (any_auto) {
        double *mn = g_new0(double, tc.n), *mx = g_new0(double, tc.n);
        content_widths(f, table, tc.n, mn, mx);
        double fixed_sum = 0, mn_sum = 0, mx_sum = 0;
        for (int k = 0; k < tc.n; k++) {
            if (!g_array_index(auto_cols, gboolean, k)) {
                double fw = g_array_index(fixed, double, k);
                fixed_sum += fw >= 0 ? fw : 0;
                continue;
            }
            mn_sum += mn[k];
            mx_sum += mx[k];
        }
        double room = MAX(0, width - fixed_sum);
        for (int k = 0; k < tc.n; k++) {
            if (!g_array_index(auto_cols, gboolean, k))
                continue;
            double w;
            if (mx_sum <= room)
                w = mx_sum > 0 ? mx[k] + (room - mx_sum) * mx[k] / mx_sum : room / tc.n;
            else if (mn_sum >= room)
                w = mn_sum > 0 ? mn[k] * room / mn_sum : room / tc.n;
            else
                w = mn[k] + (mx[k] - mn[k]) * (room - mn_sum) / (mx_sum - mn_sum);
            g_array_index(fixed, double, k) = w;
        }
        g_free(mn);
        g_free(mx);
    }
    g_array_free(auto_cols, TRUE);
    double used = 0, units = 0;
    for (int k = 0; k < tc.n; k++) {
        double fw = g_array_index(fixed, double, k);
        if (fw >= 0) used += fw;
        else units += g_array_index(prop, double, k);
    }
    double unit = units > 0 ? MAX(0, width - used) / units : 0;
    /* separate borders: the spacing before, between and after the columns */
    double sep = table->style->border_collapse ? 0 : table->style->sep_inline;
    if (sep > 0 && units > 0)
        unit = MAX(0, width - used - (tc.n + 1) * sep) / units;
    if (used > width + 0.5)
        wb_fo_warning(f->ctx, f->tree, table, "the table's columns are %.1fpt wider than the space for it", used - width);
    double cx = x + sep;
    for (int k = 0; k < tc.n; k++) {
        double fw = g_array_index(fixed, double, k);
        tc.w[k] = fw >= 0 ? fw : unit * g_array_index(prop, double, k);
        tc.x[k] = cx;
        cx += tc.w[k] + sep;
    }
    tc.x[tc.n] = cx;
    tc.sep_i = sep;
    tc.sep_b = table->style->border_collapse ? 0 : table->style->sep_block;
    tc.collapse = table->style->border_collapse;
    tc.above = g_new0(wb_border, tc.n + 1);
    g_array_free(fixed, TRUE);
    g_array_free(prop, TRUE);
    return tc;
}

/* Cuts a row's areas into slices at most max_h high.  A cut never goes through a line of
 * text: it moves up to just above the first line whose glyphs would cross it.  Fills and
 * vertical rules are cut with the slice. */
static void split_row(vlist *vl, area_list *areas, double row_h, double max_h, int pen)
{
    const double ascent_guard = 14; /* a text area's y is its baseline: keep its ascent with it */
    double top = 0;
    bool first = true;
    while (top < row_h - 0.01) {
        double cut = MIN(row_h, top + max_h);
        if (cut < row_h) {
            for (guint i = 0; i < areas->len; i++) {
                wb_area *a = &g_array_index(areas, wb_area, i);
                if ((a->kind == WB_AREA_TEXT || a->kind == WB_AREA_IMAGE || a->kind == WB_AREA_DOTS) &&
                    a->y > top) {
                    double a_top = a->kind == WB_AREA_IMAGE ? a->y : a->y - ascent_guard;
                    double a_bot = a->kind == WB_AREA_IMAGE ? a->y + a->h : a->y + 4;
                    if (a_top < cut && a_bot > cut && a_top > top + 1)
                        cut = a_top;
                }
            }
        }
        area_list *slice = NULL;
        for (guint i = 0; i < areas->len; i++) {
            wb_area *a = &g_array_index(areas, wb_area, i);
            bool vertical = (a->kind == WB_AREA_FILL || (a->kind == WB_AREA_RULE && a->h > 0));
            if (vertical) {
                double y0 = MAX(a->y, top), y1 = MIN(a->y + a->h, cut);
                if (y1 <= y0)
                    continue;
                wb_area c = area_copy(a);
                c.y = y0 - top;
                c.h = y1 - y0;
                push_area(&slice, c);
                continue;
            }
            double ref = a->kind == WB_AREA_TEXT || a->kind == WB_AREA_DOTS ? a->y - 1 : a->y;
            bool last_slice = cut >= row_h - 0.01;
            if (ref >= top - 0.01 && (ref < cut - 0.01 || (last_slice && ref <= cut + 0.01))) {
                wb_area c = area_copy(a);
                c.y -= top;
                push_area(&slice, c);
            }
        }
        push(vl, (vitem){.kind = VI_BOX, .h = cut - top, .areas = slice, .pen = first ? pen : 0});
        first = false;
        if (cut <= top + 0.01)
            break; /* nothing can be cut: give up rather than loop */
        top = cut;
    }
    area_list_free(areas);
}

typedef struct cell_box {
    const wb_fo *cell;
    int row, rows;  /* first row in the group, rows spanned */
    int col, span;  /* first column, columns spanned */
    double x, w;
    double content_h, need_h;
    area_list *areas;
} cell_box;

static void lay_out_cell(fmt *f, cell_box *cb)
{
    const wb_style *s = cb->cell->style;
    refarea ra = {.x0 = cb->x + bw(s, SIDE_START) + s->padding[SIDE_START],
                  .width = MAX(1, cb->w - bw(s, SIDE_START) - bw(s, SIDE_END) - s->padding[SIDE_START] - s->padding[SIDE_END]),
                  .base_start = s->start_indent, .base_end = s->end_indent};
    vlist *cv = vlist_new();
    for (const wb_fo *k = cb->cell->first; k; k = k->next)
        layout_children(f, cv, k, &ra);
    double base;
    cb->content_h = flatten(f, cv, &cb->areas, &base);
    vlist_free(cv);
    cb->need_h = cb->content_h + bw(s, SIDE_BEFORE) + bw(s, SIDE_AFTER) + s->padding[SIDE_BEFORE] + s->padding[SIDE_AFTER];
    if (!s->height.is_auto)
        cb->need_h = MAX(cb->need_h, wb_len_resolve(s->height, 0));
}

/* A group of rows bound together by row spans (most often one row): each cell laid out on
 * its own, the rows as tall as their tallest cells (a spanning cell stretches its last
 * row), everything as one unbreakable box.  `occupied` counts, per column, the rows still
 * covered by a span from above. */
static void table_rows(fmt *f, vlist *vl, const wb_fo *const *rows, int nrows, table_cols *tc, int pen)
{
    GArray *cells = g_array_new(FALSE, TRUE, sizeof(cell_box));
    int *occupied = g_new0(int, tc->n + 1);
    double *h = g_new0(double, nrows);
    for (int r = 0; r < nrows; r++) {
        const wb_fo *row = rows[r];
        if (!row->style->height.is_auto)
            h[r] = wb_len_resolve(row->style->height, 0);
        int colno = 0;
        for (const wb_fo *c = row->first; c; c = c->next) {
            if (c->kind != FO_TABLE_CELL)
                continue;
            while (colno < tc->n && occupied[colno] > 0)
                colno++;
            const char *cn = wb_fo_attr(c, "column-number");
            if (cn && atoi(cn) >= 1 && atoi(cn) <= tc->n)
                colno = atoi(cn) - 1;
            if (colno >= tc->n) {
                wb_fo_warning(f->ctx, f->tree, c, "a table cell beyond the last column (ignored)");
                continue;
            }
            int span = MIN(MAX(1, c->style->number_columns_spanned), tc->n - colno);
            int rs = MIN(MAX(1, c->style->number_rows_spanned), nrows - r);
            cell_box cb = {.cell = c, .row = r, .rows = rs, .col = colno, .span = span, .x = tc->x[colno],
                           .w = tc->x[colno + span] - tc->x[colno] - tc->sep_i};
            lay_out_cell(f, &cb);
            if (rs == 1)
                h[r] = MAX(h[r], cb.need_h);
            for (int k = colno; k < colno + span; k++)
                occupied[k] = rs;
            g_array_append_val(cells, cb);
            colno += span;
        }
        for (int k = 0; k < tc->n; k++)
            if (occupied[k] > 0)
                occupied[k]--;
    }
    /* spanning cells taller than their rows stretch the last of them */
    for (guint i = 0; i < cells->len; i++) {
        cell_box *cb = &g_array_index(cells, cell_box, i);
        if (cb->rows == 1)
            continue;
        double have = 0;
        for (int r = cb->row; r < cb->row + cb->rows; r++)
            have += h[r];
        if (cb->need_h > have)
            h[cb->row + cb->rows - 1] += cb->need_h - have;
    }
    /* separate borders: sep_b above every row; top[r] is where row r's cells start */
    double *top = g_new0(double, nrows + 1);
    top[0] = tc->sep_b;
    for (int r = 0; r < nrows; r++)
        top[r + 1] = top[r] + h[r] + tc->sep_b;
    area_list *areas = NULL;
    /* backgrounds first, then content, then borders on top */
    for (int r = 0; r < nrows; r++)
        if (rows[r]->style->background.a > 0)
            push_area(&areas, (wb_area){.kind = WB_AREA_FILL, .x = tc->x[0], .y = top[r], .w = tc->x[tc->n] - tc->x[0],
                                        .h = h[r], .color = col(rows[r]->style->background)});
    for (guint i = 0; i < cells->len; i++) {
        cell_box *cb = &g_array_index(cells, cell_box, i);
        const wb_style *s = cb->cell->style;
        double y0 = top[cb->row], ch = top[cb->row + cb->rows] - y0 - tc->sep_b;
        if (s->background.a > 0)
            push_area(&areas, (wb_area){.kind = WB_AREA_FILL, .x = cb->x, .y = y0, .w = cb->w, .h = ch,
                                        .color = col(s->background)});
        double inner = ch - bw(s, SIDE_BEFORE) - bw(s, SIDE_AFTER) - s->padding[SIDE_BEFORE] - s->padding[SIDE_AFTER];
        double dy = y0 + bw(s, SIDE_BEFORE) + s->padding[SIDE_BEFORE];
        if (s->display_align == DISPLAY_CENTER) dy += (inner - cb->content_h) / 2;
        else if (s->display_align == DISPLAY_AFTER) dy += inner - cb->content_h;
        if (cb->areas) {
            for (guint k = 0; k < cb->areas->len; k++) {
                wb_area a = g_array_index(cb->areas, wb_area, k);
                a.y += dy;
                push_area(&areas, a);
            }
            g_array_free(cb->areas, TRUE); /* the areas moved, with their references */
        }
    }
    for (guint i = 0; i < cells->len; i++) {
        cell_box *cb = &g_array_index(cells, cell_box, i);
        const wb_style *s = cb->cell->style;
        double y0 = top[cb->row], ch = top[cb->row + cb->rows] - y0 - tc->sep_b;
        if (!tc->collapse) {
            /* separate borders: each cell its own frame, inside its box */
            const wb_border *b = s->border;
            rule(&areas, cb->x, y0 + b[SIDE_BEFORE].width / 2, cb->w, 0, &b[SIDE_BEFORE]);
            rule(&areas, cb->x, y0 + ch - b[SIDE_AFTER].width / 2, cb->w, 0, &b[SIDE_AFTER]);
            rule(&areas, cb->x + b[SIDE_START].width / 2, y0, 0, ch, &b[SIDE_START]);
            rule(&areas, cb->x + cb->w - b[SIDE_END].width / 2, y0, 0, ch, &b[SIDE_END]);
            continue;
        }
        /* collapsing borders: a shared edge is drawn once, the wider border of the two */
        bool top_first = cb->row == 0;
        bool narrower_top = false;
        for (int k = cb->col; top_first && k < cb->col + cb->span; k++)
            if (tc->above[k].style && tc->above[k].width > s->border[SIDE_BEFORE].width)
                narrower_top = true;
        if (!narrower_top)
            rule(&areas, cb->x, y0, cb->w, 0, &s->border[SIDE_BEFORE]);
        rule(&areas, cb->x, y0 + ch, cb->w, 0, &s->border[SIDE_AFTER]);
        const cell_box *left = NULL;
        for (guint j = 0; j < cells->len; j++) {
            const cell_box *o = &g_array_index(cells, cell_box, j);
            if (o->row == cb->row && o->col + o->span == cb->col)
                left = o;
        }
        if (!left || left->cell->style->border[SIDE_END].width <= s->border[SIDE_START].width)
            rule(&areas, cb->x, y0, 0, ch, &s->border[SIDE_START]);
        const cell_box *right = NULL;
        for (guint j = 0; j < cells->len; j++) {
            const cell_box *o = &g_array_index(cells, cell_box, j);
            if (o->row == cb->row && o->col == cb->col + cb->span)
                right = o;
        }
        if (!right || right->cell->style->border[SIDE_START].width < s->border[SIDE_END].width)
            rule(&areas, cb->x + cb->w, y0, 0, ch, &s->border[SIDE_END]);
    }
    /* what the next rows see above them */
    for (guint i = 0; i < cells->len; i++) {
        cell_box *cb = &g_array_index(cells, cell_box, i);
        if (cb->row + cb->rows == nrows)
            for (int k = cb->col; k < cb->col + cb->span; k++)
                tc->above[k] = cb->cell->style->border[SIDE_AFTER];
    }
    double total = top[nrows];
    g_array_free(cells, TRUE);
    g_free(occupied);
    g_free(h);
    g_free(top);
    const wb_fo *first = rows[0], *last = rows[nrows - 1];
    int rpen = pen;
    if (first->style->keep_with_previous > 0)
        rpen = MAX(rpen, keep_pen(first->style->keep_with_previous));
    for (int r = 0; r < nrows; r++)
        if (rows[r]->id)
            push(vl, (vitem){.kind = VI_MARK_START, .id = rows[r]->id});
    if (f->body_h > 0 && total > f->body_h) {
        /* rows taller than a page go on over pages in slices, cut between lines */
        split_row(vl, areas, total, f->body_h * 0.95, rpen);
    } else {
        push(vl, (vitem){.kind = VI_BOX, .h = total, .areas = areas, .pen = rpen});
    }
    if (last->style->keep_with_next > 0)
        vl->pending_keep = MAX(vl->pending_keep, keep_pen(last->style->keep_with_next));
    for (int r = 0; r < nrows; r++)
        if (rows[r]->id)
            push(vl, (vitem){.kind = VI_MARK_END, .id = rows[r]->id});
}

static void table_part(fmt *f, vlist *vl, const wb_fo *part, table_cols *tc, bool keep_rows)
{
    GPtrArray *rows = g_ptr_array_new();
    const wb_fo *loose = NULL; /* cells directly in the part, without rows */
    for (const wb_fo *r = part->first; r; r = r->next) {
        if (r->kind == FO_TABLE_ROW)
            g_ptr_array_add(rows, (gpointer)r);
        else if (r->kind == FO_TABLE_CELL && !loose)
            loose = r;
    }
    /* groups of rows that spans hold together */
    guint i = 0;
    bool first = true;
    while (i < rows->len) {
        guint end = i + 1; /* exclusive */
        for (guint r = i; r < end && r < rows->len; r++) {
            const wb_fo *row = g_ptr_array_index(rows, r);
            for (const wb_fo *c = row->first; c; c = c->next)
                if (c->kind == FO_TABLE_CELL && c->style->number_rows_spanned > 1)
                    end = MAX(end, MIN(rows->len, r + (guint)c->style->number_rows_spanned));
        }
        table_rows(f, vl, (const wb_fo *const *)&rows->pdata[i], (int)(end - i), tc,
                   keep_rows && !first ? PEN_FORBIDDEN : 0);
        first = false;
        i = end;
    }
    g_ptr_array_free(rows, TRUE);
    if (loose) {
        char key[64];
        snprintf(key, sizeof key, "cells-without-rows");
        wb_fo_warning_once(f->ctx, f->tree, loose, key, "table cells outside fo:table-row are not supported (ignored)");
    }
}

static void table_content(fmt *f, vlist *vl, const wb_fo *table, const refarea *ra)
{
    const wb_style *s = table->style;
    double left = content_left(ra, s), width = content_width(ra, s);
    if (!s->width.is_auto)
        width = MIN(width, wb_len_resolve(s->width, ra->width));
    table_cols tc = table_columns(f, table, left, width);
    const wb_fo *header = wb_fo_child(table, FO_TABLE_HEADER);
    const wb_fo *footer = wb_fo_child(table, FO_TABLE_FOOTER);
    const char *omit_h = wb_fo_attr(table, "table-omit-header-at-break");
    const char *omit_f = wb_fo_attr(table, "table-omit-footer-at-break");
    table_rep *rep = NULL;
    if ((header && !(omit_h && !strcmp(omit_h, "true"))) || (footer && !(omit_f && !strcmp(omit_f, "true")))) {
        /* the rows to repeat, laid out once more on their own */
        rep = g_new0(table_rep, 1);
        g_ptr_array_add(vl->tables, rep);
        const wb_fo *parts[2] = {header && !(omit_h && !strcmp(omit_h, "true")) ? header : NULL,
                                 footer && !(omit_f && !strcmp(omit_f, "true")) ? footer : NULL};
        for (int k = 0; k < 2; k++) {
            if (!parts[k])
                continue;
            vlist *tmp = vlist_new();
            table_part(f, tmp, parts[k], &tc, true);
            double base;
            double h = flatten(f, tmp, k ? &rep->footer : &rep->header, &base);
            *(k ? &rep->footer_h : &rep->header_h) = h;
            vlist_free(tmp);
        }
    }
    memset(tc.above, 0, (tc.n + 1) * sizeof *tc.above); /* the repeated rows looked at it */
    if (header) {
        table_part(f, vl, header, &tc, true);
        vl->pending_keep = MAX(vl->pending_keep, PEN_FORBIDDEN);
    }
    guint body_start = vl->items->len;
    for (const wb_fo *c = table->first; c; c = c->next)
        if (c->kind == FO_TABLE_BODY)
            table_part(f, vl, c, &tc, false);
    if (rep) {
        guint last = G_MAXUINT;
        bool first_row = true;
        for (guint i = body_start; i < vl->items->len; i++) {
            vitem *v = &g_array_index(vl->items, vitem, i);
            if (v->kind != VI_BOX)
                continue;
            v->table = rep;
            v->row_first = first_row;
            first_row = false;
            last = i;
        }
        if (last != G_MAXUINT)
            g_array_index(vl->items, vitem, last).row_last = true;
    }
    if (footer) {
        guint before = vl->items->len;
        table_part(f, vl, footer, &tc, true);
        guint fc = first_content(vl, before);
        if (fc != G_MAXUINT)
            g_array_index(vl->items, vitem, fc).pen = PEN_FORBIDDEN;
    }
    if (tc.sep_b > 0)
        push(vl, (vitem){.kind = VI_BOX, .h = tc.sep_b, .pen = PEN_FORBIDDEN}); /* below the last row */
    g_free(tc.x);
    g_free(tc.w);
    g_free(tc.above);
}

/* ------------------------------------------------------------------ dispatch */

static void retrieve_marker_blocks(fmt *f, vlist *vl, const wb_fo *rm, const refarea *ra);

static void block_content(fmt *f, vlist *vl, const wb_fo *fo, const refarea *ra)
{
    layout_block_content(f, vl, fo, ra);
}

static void unsupported(fmt *f, const wb_fo *fo, const char *what)
{
    char key[100];
    snprintf(key, sizeof key, "layout:%s", wb_fo_kind_name(fo->kind));
    wb_fo_warning_once(f->ctx, f->tree, fo, key, "fo:%s %s", wb_fo_kind_name(fo->kind), what);
}

/* Lays out one object of block level (or, for a bare inline run, its paragraph). */
static void layout_children(fmt *f, vlist *vl, const wb_fo *fo, const refarea *ra)
{
    switch (fo->kind) {
    case FO_BLOCK:
        block_frame(f, vl, fo, ra, block_content);
        break;
    case FO_BLOCK_CONTAINER:
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
            push(vl, (vitem){.kind = VI_MARK_START, .id = fo->id});
        layout_block_content(f, vl, fo, ra);
        if (fo->id)
            push(vl, (vitem){.kind = VI_MARK_END, .id = fo->id});
        break;
    case FO_RETRIEVE_MARKER:
        retrieve_marker_blocks(f, vl, fo, ra);
        break;
    case FO_MARKER:
        push(vl, (vitem){.kind = VI_MARKER, .marker = fo});
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

/* ------------------------------------------------------------------ markers */

typedef struct marker_state {
    GHashTable *first, *last; /* class -> marker fo, starting on the current page */
    GHashTable *carry;        /* class -> last marker of earlier pages of the sequence */
    GHashTable *carry_doc;    /* the same across page-sequences */
    GHashTable *active;       /* class -> marker of a block not ended yet */
    GHashTable *at_start;     /* `active` when the page began: areas carried over onto it */
} marker_state;

const wb_fo *marker_lookup(fmt *f, const wb_fo *rm)
{
    const char *cls = wb_fo_attr(rm, "retrieve-class-name");
    const char *pos = wb_fo_attr(rm, "retrieve-position");
    const char *boundary = wb_fo_attr(rm, "retrieve-boundary");
    if (!cls || !f->markers)
        return NULL;
    marker_state *m = f->markers;
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

static void retrieve_marker_blocks(fmt *f, vlist *vl, const wb_fo *rm, const refarea *ra)
{
    const wb_fo *m = marker_lookup(f, rm);
    if (m)
        layout_block_content(f, vl, m, ra);
}

/* ------------------------------------------------------------------ placing items */

typedef struct open_box {
    int deco;
    guint fill_index; /* the background placeholder in the output */
    double y0;
    bool continued; /* began on an earlier page: no border-before here */
} open_box;

typedef struct placer {
    fmt *f;
    area_list **out;
    GArray *decos; /* bdeco of the vlist */
    GArray *open;  /* open_box */
    double x, y, y_start;
    double pending;
    bool any_content;
    bool record;   /* record ids and markers (pages, not measuring) */
    bool even;     /* an even page: lines set inside / outside mirror */
    const char *page_text;
} placer;

static void deco_begin(placer *p, int idx, bool continued)
{
    bdeco *d = &g_array_index(p->decos, bdeco, idx);
    open_box od = {.deco = idx, .y0 = p->y, .continued = continued};
    od.fill_index = *p->out ? (*p->out)->len : 0;
    push_area(p->out, (wb_area){.kind = WB_AREA_FILL, .x = p->x + d->x, .y = p->y, .w = d->w, .h = 0,
                                .color = col(d->bg)});
    g_array_append_val(p->open, od);
}

static void deco_end(placer *p, bool closed)
{
    open_box od = g_array_index(p->open, open_box, p->open->len - 1);
    g_array_set_size(p->open, p->open->len - 1);
    bdeco *d = &g_array_index(p->decos, bdeco, od.deco);
    double y1 = p->y;
    wb_area *fill = &g_array_index(*p->out, wb_area, od.fill_index);
    fill->h = y1 - od.y0;
    double x = p->x + d->x;
    /* borders sit inside the border box */
    if (!od.continued && d->border[SIDE_BEFORE].style)
        rule(p->out, x, od.y0 + d->border[SIDE_BEFORE].width / 2, d->w, 0, &d->border[SIDE_BEFORE]);
    if (closed && d->border[SIDE_AFTER].style)
        rule(p->out, x, y1 - d->border[SIDE_AFTER].width / 2, d->w, 0, &d->border[SIDE_AFTER]);
    if (d->border[SIDE_START].style)
        rule(p->out, x + d->border[SIDE_START].width / 2, od.y0, 0, y1 - od.y0, &d->border[SIDE_START]);
    if (d->border[SIDE_END].style)
        rule(p->out, x + d->w - d->border[SIDE_END].width / 2, od.y0, 0, y1 - od.y0, &d->border[SIDE_END]);
}

static void record_id(fmt *f, const char *id, const char *page_text, bool first)
{
    GHashTable *t = first ? f->seen_first : f->seen_last;
    if (first && g_hash_table_contains(t, id))
        return;
    g_hash_table_replace(t, g_strdup(id), g_strdup(page_text));
}

static void place(placer *p, const vitem *v)
{
    switch (v->kind) {
    case VI_SPACE:
        if (p->any_content || v->space.retain)
            p->pending = MAX(p->pending, v->space.opt);
        break;
    case VI_START:
        p->y += p->pending;
        p->pending = 0;
        deco_begin(p, v->deco, false);
        p->y += v->h;
        if (v->h > 0)
            p->any_content = true;
        break;
    case VI_END:
        p->y += v->h;
        if (p->open->len)
            deco_end(p, true);
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
                wb_area a = area_copy(src);
                a.x += p->x + dx;
                a.y += p->y;
                push_area(p->out, a);
            }
        if (v->kind == VI_LINE) {
            wb_area a = {.kind = WB_AREA_TEXT, .x = p->x + v->x + dx, .y = p->y + v->base};
            a.u.text.line = wb_line_ref(v->line);
            push_area(p->out, a);
        }
        if (v->areas)
            for (guint i = 0; i < v->areas->len; i++) {
                if (g_array_index(v->areas, wb_area, i).kind == WB_AREA_FILL && v->kind == VI_LINE)
                    continue;
                wb_area a = area_copy(&g_array_index(v->areas, wb_area, i));
                a.x += p->x + dx;
                a.y += p->y;
                if (a.kind == WB_AREA_DEST && p->record)
                    record_id(p->f, a.u.dest.name, p->page_text, true), record_id(p->f, a.u.dest.name, p->page_text, false);
                push_area(p->out, a);
            }
        p->y += v->h;
        p->any_content = true;
        break;
    case VI_MARK_START: {
        wb_area a = {.kind = WB_AREA_DEST, .x = p->x, .y = p->y + p->pending};
        a.u.dest.name = g_strdup(v->id);
        push_area(p->out, a);
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
        if (p->record && p->f->markers) {
            const char *cls = wb_fo_attr(v->marker, "marker-class-name");
            if (cls) {
                marker_state *m = p->f->markers;
                g_hash_table_insert(m->active, (gpointer)cls, (gpointer)v->marker);
                if (!g_hash_table_contains(m->first, cls))
                    g_hash_table_insert(m->first, (gpointer)cls, (gpointer)v->marker);
                g_hash_table_insert(m->last, (gpointer)cls, (gpointer)v->marker);
            }
        }
        break;
    case VI_MARKED_END:
        /* the block that held markers ends: they no longer carry over */
        if (p->record && p->f->markers) {
            GHashTableIter it;
            gpointer k, val;
            g_hash_table_iter_init(&it, p->f->markers->active);
            while (g_hash_table_iter_next(&it, &k, &val))
                if (((const wb_fo *)val)->parent == v->marker)
                    g_hash_table_iter_remove(&it);
        }
        break;
    case VI_BREAK:
        break;
    }
}

/* Places a whole list with no page breaks (static content, table cells, list labels).
 * Returns its height; *first_baseline gets the baseline of its first line. */
static double flatten(fmt *f, vlist *vl, area_list **out, double *first_baseline)
{
    placer p = {.f = f, .out = out, .decos = vl->decos, .open = g_array_new(FALSE, TRUE, sizeof(open_box)),
                .any_content = true};
    *first_baseline = 0;
    bool seen = false;
    /* leading spaces are dropped like at the top of a page */
    p.any_content = false;
    for (guint i = 0; i < vl->items->len; i++) {
        vitem *v = &g_array_index(vl->items, vitem, i);
        if (!seen && is_content(v)) {
            double y_before = p.y + p.pending;
            *first_baseline = y_before + (v->kind == VI_LINE ? v->base : 0);
            seen = true;
        }
        if (v->kind == VI_MARKER || v->kind == VI_MARK_START || v->kind == VI_MARK_END) {
            if (v->kind == VI_MARK_START) {
                wb_area a = {.kind = WB_AREA_DEST, .x = 0, .y = p.y};
                a.u.dest.name = g_strdup(v->id);
                push_area(out, a);
            }
            continue;
        }
        place(&p, v);
    }
    while (p.open->len)
        deco_end(&p, true);
    g_array_free(p.open, TRUE);
    return p.y;
}

/* ------------------------------------------------------------------ page masters */

typedef struct rect {
    double x, y, w, h;
} rect;

typedef struct geometry {
    double pw, ph;
    rect body, region[4]; /* before, after, start, end */
    const wb_fo *spm, *body_fo, *region_fo[4];
} geometry;

static const char *const region_default_names[4] = {"xsl-region-before", "xsl-region-after",
                                                    "xsl-region-start", "xsl-region-end"};

static double attr_length(const wb_fo *fo, const char *name, double fallback, double ref)
{
    const char *v = wb_fo_attr(fo, name);
    wb_len l;
    if (!v || !wb_parse_length(v, fo->style->font_size, &l))
        return fallback;
    return wb_len_resolve(l, ref);
}

static geometry page_geometry(fmt *f, const wb_fo *spm)
{
    geometry g = {.spm = spm};
    g.pw = attr_length(spm, "page-width", 595.276, 0);
    g.ph = attr_length(spm, "page-height", 841.89, 0);
    if (g.pw <= 0 || g.ph <= 0) {
        wb_fo_warning(f->ctx, f->tree, spm, "page size must be positive: using A4");
        g.pw = 595.276;
        g.ph = 841.89;
    }
    const wb_style *s = spm->style;
    double mt = wb_len_resolve(s->margin[SIDE_BEFORE], g.ph), mb = wb_len_resolve(s->margin[SIDE_AFTER], g.ph);
    double ml = wb_len_resolve(s->margin[SIDE_START], g.pw), mr = wb_len_resolve(s->margin[SIDE_END], g.pw);
    rect content = {ml, mt, g.pw - ml - mr, g.ph - mt - mb};
    static const wb_fo_kind kinds[4] = {FO_REGION_BEFORE, FO_REGION_AFTER, FO_REGION_START, FO_REGION_END};
    for (int i = 0; i < 4; i++)
        g.region_fo[i] = wb_fo_child(spm, kinds[i]);
    g.body_fo = wb_fo_child(spm, FO_REGION_BODY);
    double ext[4] = {0};
    for (int i = 0; i < 4; i++)
        if (g.region_fo[i])
            ext[i] = attr_length(g.region_fo[i], "extent", 0, i < 2 ? content.h : content.w);
    bool prec_of[4] = {false};
    for (int i = 0; i < 2; i++) {
        const char *prec = g.region_fo[i] ? wb_fo_attr(g.region_fo[i], "precedence") : NULL;
        prec_of[i] = prec && !strcmp(prec, "true");
    }
    /* start and end regions give way to a before or after region that has precedence */
    double se_top = content.y + (prec_of[0] ? ext[0] : 0);
    double se_h = content.h - (prec_of[0] ? ext[0] : 0) - (prec_of[1] ? ext[1] : 0);
    for (int i = 0; i < 4; i++) {
        if (!g.region_fo[i])
            continue;
        bool p = i < 2 && prec_of[i];
        if (i == 0)
            g.region[i] = p ? (rect){content.x, content.y, content.w, ext[0]}
                            : (rect){content.x + ext[2], content.y, content.w - ext[2] - ext[3], ext[0]};
        else if (i == 1)
            g.region[i] = p ? (rect){content.x, content.y + content.h - ext[1], content.w, ext[1]}
                            : (rect){content.x + ext[2], content.y + content.h - ext[1], content.w - ext[2] - ext[3], ext[1]};
        else if (i == 2)
            g.region[i] = (rect){content.x, se_top, ext[2], se_h};
        else
            g.region[i] = (rect){content.x + content.w - ext[3], se_top, ext[3], se_h};
    }
    g.body = content;
    if (g.body_fo) {
        const wb_style *b = g.body_fo->style;
        double bt = wb_len_resolve(b->margin[SIDE_BEFORE], content.h), bb = wb_len_resolve(b->margin[SIDE_AFTER], content.h);
        double bl = wb_len_resolve(b->margin[SIDE_START], content.w), br = wb_len_resolve(b->margin[SIDE_END], content.w);
        g.body = (rect){content.x + bl, content.y + bt, content.w - bl - br, content.h - bt - bb};

    }
    if (g.body.w <= 10 || g.body.h <= 10) {
        wb_fo_error(f->ctx, f->tree, spm, "fo:simple-page-master \"%s\": the margins leave no room for the body (%.1f x %.1fpt)",
                 wb_fo_attr(spm, "master-name") ? wb_fo_attr(spm, "master-name") : "?", g.body.w, g.body.h);
    }
    return g;
}

static const wb_fo *find_master(const wb_fo_tree *tree, const char *name, wb_fo_kind kind)
{
    const wb_fo *lms = wb_fo_child(tree->root, FO_LAYOUT_MASTER_SET);
    for (const wb_fo *c = lms ? lms->first : NULL; c; c = c->next) {
        if (c->kind != kind)
            continue;
        const char *n = wb_fo_attr(c, "master-name");
        if (n && name && !strcmp(n, name))
            return c;
    }
    return NULL;
}

/* The simple-page-master for the index-th page (0-based) of a sequence. */
static const wb_fo *select_master(fmt *f, const wb_fo_tree *tree, const wb_fo *seq, int index,
                                  int number, bool blank, bool last)
{
    const char *ref = wb_fo_attr(seq, "master-reference");
    const wb_fo *spm = find_master(tree, ref, FO_SIMPLE_PAGE_MASTER);
    if (spm)
        return spm;
    const wb_fo *psm = find_master(tree, ref, FO_PAGE_SEQUENCE_MASTER);
    if (!psm)
        return NULL;
    int seen = 0;
    for (const wb_fo *c = psm->first; c; c = c->next) {
        int reps = 1;
        if (c->kind == FO_REPEATABLE_PAGE_MASTER_REFERENCE || c->kind == FO_REPEATABLE_PAGE_MASTER_ALTERNATIVES) {
            const char *mr = wb_fo_attr(c, "maximum-repeats");
            reps = mr && strcmp(mr, "no-limit") ? atoi(mr) : INT_MAX;
        } else if (c->kind != FO_SINGLE_PAGE_MASTER_REFERENCE) {
            continue;
        }
        if (index >= seen && (reps == INT_MAX || index < seen + reps)) {
            if (c->kind != FO_REPEATABLE_PAGE_MASTER_ALTERNATIVES)
                return find_master(tree, wb_fo_attr(c, "master-reference"), FO_SIMPLE_PAGE_MASTER);
            for (const wb_fo *alt = c->first; alt; alt = alt->next) {
                if (alt->kind != FO_CONDITIONAL_PAGE_MASTER_REFERENCE)
                    continue;
                const char *oe = wb_fo_attr(alt, "odd-or-even");
                const char *pp = wb_fo_attr(alt, "page-position");
                const char *bn = wb_fo_attr(alt, "blank-or-not-blank");
                if (oe && !strcmp(oe, "odd") && number % 2 == 0) continue;
                if (oe && !strcmp(oe, "even") && number % 2 != 0) continue;
                if (pp && !strcmp(pp, "first") && index != 0) continue;
                if (pp && !strcmp(pp, "rest") && index == 0) continue;
                if (pp && !strcmp(pp, "last") && !last) continue;
                if (pp && !strcmp(pp, "only") && !(last && index == 0)) continue;
                if (bn && !strcmp(bn, "blank") && !blank) continue;
                if (bn && !strcmp(bn, "not-blank") && blank) continue;
                return find_master(tree, wb_fo_attr(alt, "master-reference"), FO_SIMPLE_PAGE_MASTER);
            }
            wb_fo_warning_once(f->ctx, f->tree, c, "no-alternative", "no conditional-page-master-reference matches page %d", number);
            return NULL;
        }
        seen = reps == INT_MAX ? INT_MAX : seen + reps;
    }
    wb_fo_warning_once(f->ctx, f->tree, psm, "psm-exhausted", "fo:page-sequence-master \"%s\" has no page master left for page %d; the last one is repeated",
                    ref, index + 1);
    /* the last master it names goes on */
    const wb_fo *c = psm->last;
    if (c && c->kind == FO_REPEATABLE_PAGE_MASTER_ALTERNATIVES)
        c = c->last;
    const char *mr = c ? wb_fo_attr(c, "master-reference") : NULL;
    return mr ? find_master(tree, mr, FO_SIMPLE_PAGE_MASTER) : NULL;
}

/* ------------------------------------------------------------------ pages */

typedef void (*page_sink)(void *data, wb_page *page);

typedef struct seq_state {
    fmt *f;
    const wb_fo_tree *tree;
    const wb_fo *seq;
    const char *format;
    int index;       /* pages made in this sequence */
    int number;      /* number of the next page */
    int doc_index;   /* pages made in the document */
    page_sink sink;
    void *sink_data;
    GArray *carried; /* open_box continued from the previous page */
    geometry geo;    /* of the first page: the flow is laid out for its body width */
    bool last_was_blank;
    vlist *notes_carried; /* footnote lines that did not fit on the previous page */
    double sep_h;         /* height of the footnote separator, < 0 before it is measured */
    int ncols;            /* columns of the region-body */
    double col_w, col_gap;
    /* the page being filled, column by column */
    bool page_open;
    int col;
    geometry pg;
    char *pg_num;         /* owned by the page once made */
    area_list *pg_body;
    GPtrArray *pg_notes;
    double pg_bottom;
    double band_top;      /* where the current band of columns starts (below a spanning block) */
    bool spanning;        /* placing a span="all" block across the columns */
    bool balancing;       /* setting the columns above a spanning block: the page goes on */
} seq_state;

/* ------------------------------------------------------------------ footnotes */

/* Lays out footnote bodies in the body's width. */
static void layout_notes(fmt *f, const seq_state *ss, const GPtrArray *notes, vlist *out)
{
    refarea ra = {.x0 = 0, .width = ss->geo.body.w};
    for (guint i = 0; i < notes->len; i++) {
        const wb_fo *body = g_ptr_array_index(notes, i);
        for (const wb_fo *c = body->first; c; c = c->next)
            layout_children(f, out, c, &ra);
    }
}

static double vlist_height(vlist *vl)
{
    double h = 0, pending = 0;
    bool any = false;
    for (guint i = 0; i < vl->items->len; i++) {
        vitem *v = &g_array_index(vl->items, vitem, i);
        if (v->kind == VI_SPACE) {
            if (any)
                pending = MAX(pending, v->space.opt);
        } else if (is_content(v) || v->kind == VI_START || v->kind == VI_END) {
            h += pending + v->h;
            pending = 0;
            any = true;
        }
    }
    return h;
}

static double notes_height(seq_state *ss, vitem *v)
{
    if (!v->notes)
        return 0;
    if (v->notes_h < 0) {
        vlist *tmp = vlist_new();
        layout_notes(ss->f, ss, v->notes, tmp);
        v->notes_h = vlist_height(tmp);
        /* the first line of the notes, the least that must stay with the citation */
        v->notes_first = 0;
        for (guint i = 0; i < tmp->items->len; i++) {
            vitem *n = &g_array_index(tmp->items, vitem, i);
            if (n->kind == VI_START || n->kind == VI_END)
                v->notes_first += n->h;
            if (is_content(n)) {
                v->notes_first += n->h;
                break;
            }
        }
        vlist_free(tmp);
    }
    return v->notes_h;
}

static const wb_fo *static_for(const wb_fo *seq, const char *name);

static double separator_height(seq_state *ss)
{
    if (ss->sep_h < 0) {
        ss->sep_h = 0;
        const wb_fo *sc = static_for(ss->seq, "xsl-footnote-separator");
        if (sc) {
            vlist *tmp = vlist_new();
            refarea ra = {.x0 = 0, .width = ss->geo.body.w};
            for (const wb_fo *c = sc->first; c; c = c->next)
                layout_children(ss->f, tmp, c, &ra);
            ss->sep_h = vlist_height(tmp);
            vlist_free(tmp);
        }
    }
    return ss->sep_h;
}

static const wb_fo *static_for(const wb_fo *seq, const char *name)
{
    for (const wb_fo *c = seq->first; c; c = c->next)
        if (c->kind == FO_STATIC_CONTENT) {
            const char *fn = wb_fo_attr(c, "flow-name");
            if (fn && !strcmp(fn, name))
                return c;
        }
    return NULL;
}

static void draw_static(fmt *f, seq_state *ss, const geometry *g, int region, area_list **out)
{
    const wb_fo *rfo = region < 0 ? g->body_fo : g->region_fo[region];
    if (!rfo)
        return;
    const char *rn = wb_fo_attr(rfo, "region-name");
    const char *name = rn ? rn : region < 0 ? "xsl-region-body" : region_default_names[region];
    rect r = region < 0 ? g->body : g->region[region];
    if (rfo->style->background.a > 0)
        push_area(out, (wb_area){.kind = WB_AREA_FILL, .x = r.x, .y = r.y, .w = r.w, .h = r.h,
                                 .color = col(rfo->style->background)});
    if (region < 0)
        return;
    const wb_fo *sc = static_for(ss->seq, name);
    if (!sc)
        return;
    vlist *vl = vlist_new();
    refarea ra = {.x0 = 0, .width = r.w};
    for (const wb_fo *c = sc->first; c; c = c->next)
        layout_children(f, vl, c, &ra);
    area_list *areas = NULL;
    double base;
    double h = flatten(f, vl, &areas, &base);
    vlist_free(vl);
    if (!areas)
        return;
    double dy = 0;
    wb_display_align da = rfo->style->display_align;
    if (da == DISPLAY_CENTER) dy = (r.h - h) / 2;
    else if (da == DISPLAY_AFTER) dy = r.h - h;
    if (h > r.h + 0.5) {
        char key[64];
        snprintf(key, sizeof key, "static-overflow:%s", name);
        wb_fo_warning_once(f->ctx, f->tree, sc, key, "the content of region \"%s\" is %.1fpt taller than the region", name, h - r.h);
    }
    for (guint i = 0; i < areas->len; i++) {
        wb_area a = g_array_index(areas, wb_area, i);
        a.x += r.x;
        a.y += r.y + dy;
        g_array_append_val(*out, a);
    }
    g_array_free(areas, TRUE);
}

static void reset_page_markers(fmt *f)
{
    marker_state *m = f->markers;
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

/* Footnotes at the foot of the body: those carried from the last page, then those cited
 * on this one, under the separator.  What does not fit goes on to the next page. */
static void place_notes(seq_state *ss, const geometry *g, GPtrArray *cited, double content_bottom,
                        area_list **out)
{
    fmt *f = ss->f;
    vlist *nv = ss->notes_carried ? ss->notes_carried : vlist_new();
    ss->notes_carried = NULL;
    layout_notes(f, ss, cited, nv);
    if (nv->items->len == 0) {
        vlist_free(nv);
        return;
    }
    double sep = separator_height(ss);
    double room = g->body.y + g->body.h - content_bottom - sep;
    /* how many items fit */
    double h = 0, pending = 0;
    guint cut = nv->items->len;
    bool any = false;
    for (guint i = 0; i < nv->items->len; i++) {
        vitem *v = &g_array_index(nv->items, vitem, i);
        if (v->kind == VI_SPACE) {
            if (any)
                pending = MAX(pending, v->space.opt);
            continue;
        }
        if (!is_content(v) && v->kind != VI_START && v->kind != VI_END)
            continue;
        double nh = h + pending + v->h;
        if (is_content(v) && nh > room + 0.01 && any) {
            cut = i;
            break;
        }
        h = nh;
        pending = 0;
        any = true;
    }
    double y0 = g->body.y + g->body.h - h;
    if (sep > 0) {
        const wb_fo *sc = static_for(ss->seq, "xsl-footnote-separator");
        vlist *sv = vlist_new();
        refarea ra = {.x0 = 0, .width = g->body.w};
        for (const wb_fo *c = sc->first; c; c = c->next)
            layout_children(f, sv, c, &ra);
        placer sp = {.f = f, .out = out, .decos = sv->decos, .open = g_array_new(FALSE, TRUE, sizeof(open_box)),
                     .x = g->body.x, .y = y0 - sep, .record = true, .page_text = f->page_text};
        for (guint i = 0; i < sv->items->len; i++)
            place(&sp, &g_array_index(sv->items, vitem, i));
        while (sp.open->len)
            deco_end(&sp, true);
        g_array_free(sp.open, TRUE);
        vlist_free(sv);
    }
    placer np = {.f = f, .out = out, .decos = nv->decos, .open = g_array_new(FALSE, TRUE, sizeof(open_box)),
                 .x = g->body.x, .y = y0, .record = true, .page_text = f->page_text};
    for (guint i = 0; i < cut; i++)
        place(&np, &g_array_index(nv->items, vitem, i));
    while (np.open->len)
        deco_end(&np, cut == nv->items->len);
    g_array_free(np.open, TRUE);
    if (cut < nv->items->len) {
        /* the rest waits for the next page; its items move, with their references */
        vlist *rest = vlist_new();
        g_array_append_vals(rest->items, &g_array_index(nv->items, vitem, cut), nv->items->len - cut);
        g_array_set_size(nv->items, cut);
        g_array_free(rest->decos, TRUE);
        rest->decos = g_array_copy(nv->decos);
        ss->notes_carried = rest;
    }
    vlist_free(nv);
}

/* Makes one page from items [from, to) of the flow and hands it to the sink. */
/* Starts the page the next columns go on, if none is started. */
static void open_page(seq_state *ss, bool blank, bool last)
{
    if (ss->page_open)
        return;
    fmt *f = ss->f;
    const wb_fo *spm = select_master(f, ss->tree, ss->seq, ss->index, ss->number, blank, last);
    if (!spm)
        spm = ss->geo.spm;
    ss->pg = page_geometry(f, spm);
    ss->pg_num = format_page_number(ss->number, ss->format);
    ss->pg_body = g_array_new(FALSE, FALSE, sizeof(wb_area));
    ss->pg_notes = g_ptr_array_new();
    ss->pg_bottom = ss->pg.body.y;
    ss->band_top = ss->pg.body.y;
    ss->col = 0;
    ss->page_open = true;
}

/* Completes the open page: footnotes, static regions, then the sink. */
static void finish_page(seq_state *ss, bool blank)
{
    fmt *f = ss->f;
    geometry g = ss->pg;
    char *num = ss->pg_num;
    f->page_text = num;
    place_notes(ss, &g, ss->pg_notes, ss->pg_bottom, &ss->pg_body);
    g_ptr_array_free(ss->pg_notes, TRUE);
    if (ss->pg_bottom > g.body.y + g.body.h + 0.5 && !blank)
        wb_fo_warning(f->ctx, f->tree, ss->seq,
                      "page %s: content is %.1fpt taller than the body region (an unbreakable box does not fit)",
                      num, ss->pg_bottom - g.body.y - g.body.h);
    wb_page *page = g_new0(wb_page, 1);
    page->width = g.pw;
    page->height = g.ph;
    page->number = ss->number;
    page->number_text = num;
    page->index = ss->doc_index;
    area_list *all = g_array_new(FALSE, FALSE, sizeof(wb_area));
    draw_static(f, ss, &g, -1, &all);
    g_array_append_vals(all, ss->pg_body->data, ss->pg_body->len);
    g_array_free(ss->pg_body, TRUE);
    for (int r = 0; r < 4; r++)
        draw_static(f, ss, &g, r, &all);
    page->count = all->len;
    page->cap = all->len;
    page->areas = (wb_area *)g_array_free(all, FALSE);
    f->page_text = NULL;
    if (ss->sink)
        ss->sink(ss->sink_data, page);
    wb_page_free(page);
    reset_page_markers(f);
    ss->page_open = false;
    ss->index++;
    ss->number++;
    ss->doc_index++;
}

/* Places items [from, to) of the flow in the next column of the page (the page itself when
 * the body has one column).  The page is completed when its last column is filled, or at
 * once with `end_page`. */
static void emit_page(seq_state *ss, vlist *vl, guint from, guint to, bool blank, bool last, bool end_page)
{
    fmt *f = ss->f;
    open_page(ss, blank, last);
    geometry g = ss->pg;
    f->page_text = ss->pg_num;
    double x = ss->spanning ? g.body.x : g.body.x + ss->col * (ss->col_w + ss->col_gap);
    placer p = {.f = f, .out = &ss->pg_body, .decos = vl->decos, .open = g_array_new(FALSE, TRUE, sizeof(open_box)),
                .x = x, .y = ss->band_top, .record = true, .page_text = ss->pg_num, .even = ss->number % 2 == 0};
    /* blocks continued from the previous page or column */
    for (guint i = 0; ss->carried && i < ss->carried->len; i++)
        deco_begin(&p, g_array_index(ss->carried, open_box, i).deco, true);
    guint first_c = G_MAXUINT, last_c = G_MAXUINT;
    for (guint i = from; i < to; i++)
        if (is_content(&g_array_index(vl->items, vitem, i))) {
            if (first_c == G_MAXUINT)
                first_c = i;
            last_c = i;
        }
    for (guint i = from; i < to; i++) {
        vitem *v = &g_array_index(vl->items, vitem, i);
        if (i == first_c && v->table && !v->row_first && v->table->header) {
            /* a table going on from the previous page: its header again */
            place(&p, &(vitem){.kind = VI_BOX, .h = v->table->header_h, .areas = v->table->header});
        }
        place(&p, v);
        if (v->notes)
            for (guint k = 0; k < v->notes->len; k++)
                g_ptr_array_add(ss->pg_notes, g_ptr_array_index(v->notes, k));
        if (i == last_c && v->table && !v->row_last && v->table->footer && !last)
            place(&p, &(vitem){.kind = VI_BOX, .h = v->table->footer_h, .areas = v->table->footer});
    }
    /* close what goes on, to be continued in the next column or page */
    GArray *carry = g_array_new(FALSE, TRUE, sizeof(open_box));
    g_array_append_vals(carry, p.open->data, p.open->len);
    while (p.open->len)
        deco_end(&p, false);
    g_array_free(p.open, TRUE);
    if (ss->carried)
        g_array_free(ss->carried, TRUE);
    ss->carried = carry;
    ss->pg_bottom = MAX(ss->pg_bottom, p.y);
    f->page_text = NULL;
    if (ss->spanning) {
        /* a spanning block takes the whole width: the columns start again below it */
        ss->band_top = p.y;
        ss->col = 0;
        if (end_page || blank)
            finish_page(ss, blank);
        return;
    }
    if (end_page || blank || (++ss->col >= ss->ncols && !ss->balancing))
        finish_page(ss, blank);
}

/* Removes items [0, n) from the list. */
static void drop_items(vlist *vl, guint n)
{
    for (guint i = 0; i < n; i++)
        vitem_clear(&g_array_index(vl->items, vitem, i));
    g_array_remove_range(vl->items, 0, n);
}

/* Page parity wanted by a break, inserting a blank page when the next number is wrong. */
static void break_parity(seq_state *ss, vlist *vl, wb_break b)
{
    if ((b == BREAK_ODD_PAGE && ss->number % 2 == 0) || (b == BREAK_EVEN_PAGE && ss->number % 2 == 1)) {
        GArray *saved = ss->carried;
        ss->carried = NULL;
        emit_page(ss, vl, 0, 0, true, false, true);
        if (ss->carried)
            g_array_free(ss->carried, TRUE);
        ss->carried = saved;
    }
}

/* Emits every page that is full.  With `final`, the rest makes the last page. */
/* Measures items from `from` on as a column of height `avail` would take them: the first
 * item that does not fit (overflow), or a forced break, and the first content item. */
static void measure(seq_state *ss, vlist *vl, guint from, guint to, double avail, bool continuing, guint *overflow,
                    guint *forced, guint *first_content_item)
{
    double y = 0, pending = 0;
    bool any = continuing;
    /* footnotes carried over take their room first */
    double fn_h = continuing && ss->notes_carried ? separator_height(ss) + vlist_height(ss->notes_carried) : 0;
    guint n = MIN(to, vl->items->len);
    *overflow = *forced = *first_content_item = G_MAXUINT;
    guint first_c = G_MAXUINT;
    for (guint i = from; i < n; i++) {
        vitem *v = &g_array_index(vl->items, vitem, i);
        if (v->kind == VI_BREAK) {
            if (any || first_c != G_MAXUINT) {
                *forced = i;
                break;
            }
            continue; /* a break at the top of a page is already done */
        }
        if (v->kind == VI_SPACE) {
            if (any || v->space.retain)
                pending = MAX(pending, v->space.opt);
            continue;
        }
        if (v->kind == VI_START) {
            y += pending + v->h;
            pending = 0;
            if (v->h > 0)
                any = true;
            continue;
        }
        if (v->kind == VI_END) {
            y += v->h;
            continue;
        }
        if (!is_content(v))
            continue;
        if (first_c == G_MAXUINT && v->table && !v->row_first)
            y += v->table->header_h; /* the header repeated above a continued table */
        y += pending + v->h;
        pending = 0;
        any = true;
        if (first_c == G_MAXUINT)
            first_c = i;
        double nh = notes_height(ss, v);
        double sep = nh > 0 && fn_h == 0 ? separator_height(ss) : 0;
        double new_fn = nh > 0 ? fn_h + sep + nh : fn_h;
        double foot = v->table && !v->row_last ? v->table->footer_h : 0;
        /* a page ending after this item also holds the ends (padding, borders) of the
         * blocks that close right after it */
        for (guint j = i + 1; j < n; j++) {
            const vitem *w = &g_array_index(vl->items, vitem, j);
            if (is_content(w) || w->kind == VI_START || w->kind == VI_BREAK)
                break; /* (a space before a block's end does not count: the end follows) */
            if (w->kind == VI_END)
                foot += w->h;
        }
        if (y + new_fn + foot > avail + 0.01 && i != first_c) {
            /* a footnote may go on over the next page, if its first line stays here with the
             * line that cites it */
            if (nh > 0 && y + fn_h + sep + v->notes_first + foot <= avail + 0.01) {
                fn_h = MAX(new_fn, avail - y); /* this page is full now */
                continue;
            }
            *overflow = i;
            break;
        }
        fn_h = new_fn;
    }
    *first_content_item = first_c;
}

/* Where a column that overflows at `overflow` ends: the cheapest break before an item in
 * (first_c, overflow], the latest on ties; ends of blocks stay with the column. */
static guint choose_cut(vlist *vl, guint first_c, guint overflow)
{
    guint best = overflow;
    int best_pen = INT_MAX;
    for (guint i = overflow; i > first_c; i--) {
        vitem *v = &g_array_index(vl->items, vitem, i);
        if (!is_content(v))
            continue;
        if (v->pen < best_pen) {
            best_pen = v->pen;
            best = i;
            if (v->pen == 0)
                break;
        }
    }
    if (best_pen >= PEN_FORBIDDEN)
        best = overflow; /* nothing allowed: break where the column is full */
    guint prev = best;
    while (prev > 0 && !is_content(&g_array_index(vl->items, vitem, prev - 1)))
        prev--;
    guint cut = prev;
    while (cut < best && (g_array_index(vl->items, vitem, cut).kind == VI_END ||
                          g_array_index(vl->items, vitem, cut).kind == VI_MARK_END ||
                          g_array_index(vl->items, vitem, cut).kind == VI_MARKED_END))
        cut++;
    return cut;
}

/* How many columns of height h the items from `from` on need (stops counting past limit). */
static int columns_needed(seq_state *ss, vlist *vl, guint to, double h, int limit)
{
    guint from = 0;
    int cols = 0;
    while (from < to && cols <= limit) {
        guint overflow, forced, first_c;
        measure(ss, vl, from, to, h, cols == 0, &overflow, &forced, &first_c);
        cols++;
        if (overflow == G_MAXUINT)
            break;
        guint cut = choose_cut(vl, first_c, overflow);
        if (cut <= from)
            return limit + 1;
        from = cut;
    }
    return cols;
}

/* Sets items [0, to) in the columns left in the current band, all of the same, least height
 * (XSL balances the columns before a block that spans them). */
static void balance_columns(seq_state *ss, vlist *vl, guint to)
{
    open_page(ss, false, false);
    int left = ss->ncols - ss->col;
    double room = ss->pg.body.y + ss->pg.body.h - ss->band_top;
    double lo = 0, hi = room;
    if (columns_needed(ss, vl, to, room, left) > left) {
        hi = room; /* does not fit even full: fill the columns as they come */
    } else {
        for (int it = 0; it < 24; it++) {
            double mid = (lo + hi) / 2;
            if (columns_needed(ss, vl, to, mid, left) <= left)
                hi = mid;
            else
                lo = mid;
        }
    }
    double band_bottom = ss->band_top;
    ss->balancing = true;
    for (int c = 0; c < left && to > 0; c++) {
        guint of, fc, first;
        measure(ss, vl, 0, to, hi + 0.02, false, &of, &fc, &first);
        guint cut = of == G_MAXUINT || c == left - 1 ? to : choose_cut(vl, first, of);
        double top = ss->band_top;
        ss->pg_bottom = top;
        emit_page(ss, vl, 0, cut, false, false, false);
        band_bottom = MAX(band_bottom, ss->pg_bottom);
        drop_items(vl, cut);
        to -= cut;
        ss->band_top = top;
    }
    ss->balancing = false;
    ss->band_top = band_bottom;
    ss->col = 0;
}

/* Emits every column and page that is full.  With `final`, the rest makes the last page. */
static void paginate(seq_state *ss, vlist *vl, bool final)
{
    for (;;) {
        if (!final && vl->open_keeps > 0)
            return;
        double avail = ss->page_open ? ss->pg.body.y + ss->pg.body.h - ss->band_top : ss->geo.body.h;
        guint overflow, forced, first_c;
        bool continuing = (ss->carried && ss->carried->len > 0) || ss->notes_carried;
        measure(ss, vl, 0, G_MAXUINT, avail, continuing, &overflow, &forced, &first_c);
        guint n = vl->items->len;
        /* a span marker at the very top of the list is not skipped as a page break would be */
        if (n > 0 && g_array_index(vl->items, vitem, 0).kind == VI_BREAK &&
            g_array_index(vl->items, vitem, 0).brk >= BREAK_SPAN_START)
            forced = 0;
        if (forced != G_MAXUINT) {
            wb_break b = g_array_index(vl->items, vitem, forced).brk;
            if (b == BREAK_SPAN_START) {
                if (ss->ncols > 1 && forced > 0)
                    balance_columns(ss, vl, forced);
                else if (forced > 0) {
                    emit_page(ss, vl, 0, forced, false, false, false);
                    drop_items(vl, forced);
                }
                drop_items(vl, 1);
                ss->spanning = true;
                continue;
            }
            if (b == BREAK_SPAN_END) {
                if (forced > 0)
                    emit_page(ss, vl, 0, forced, false, false, false);
                drop_items(vl, forced + 1);
                ss->spanning = false;
                continue;
            }
            /* a forced break: this column (or page) ends before it */
            emit_page(ss, vl, 0, forced, false, false, b != BREAK_COLUMN);
            drop_items(vl, forced + 1);
            break_parity(ss, vl, b);
            continue;
        }
        if (overflow == G_MAXUINT) {
            if (final && (n > 0 || ss->index == 0 || ss->page_open)) {
                emit_page(ss, vl, 0, n, false, true, true);
                drop_items(vl, n);
            }
            return;
        }
        guint cut = choose_cut(vl, first_c, overflow);
        /* a spanning block that overflows goes on at the top of the next page */
        emit_page(ss, vl, 0, cut, false, false, ss->spanning);
        drop_items(vl, cut);
        /* spaces at the top of the next column are discarded when placed */
    }
}

/* ------------------------------------------------------------------ sequences */

static int initial_number(const wb_fo *seq, int next)
{
    const char *v = wb_fo_attr(seq, "initial-page-number");
    if (!v || !strcmp(v, "auto"))
        return next;
    if (!strcmp(v, "auto-odd"))
        return next % 2 ? next : next + 1;
    if (!strcmp(v, "auto-even"))
        return next % 2 ? next + 1 : next;
    int n = atoi(v);
    return n > 0 ? n : next;
}

static void format_sequence(fmt *f, const wb_fo_tree *tree, const wb_fo *seq, int *next_number,
                            int *doc_index, page_sink sink, void *sink_data)
{
    seq_state ss = {.f = f, .tree = tree, .seq = seq, .sink = sink, .sink_data = sink_data};
    ss.format = wb_fo_attr(seq, "format");
    ss.number = initial_number(seq, *next_number);
    ss.doc_index = *doc_index;
    const wb_fo *spm = select_master(f, tree, seq, 0, ss.number, false, false);
    if (!spm) {
        wb_fo_error(f->ctx, f->tree, seq, "fo:page-sequence: no page master named \"%s\"",
                 wb_fo_attr(seq, "master-reference") ? wb_fo_attr(seq, "master-reference") : "");
        return;
    }
    ss.geo = page_geometry(f, spm);
    ss.sep_h = -1;
    f->body_h = ss.geo.body.h;
    ss.ncols = 1;
    ss.col_w = ss.geo.body.w;
    if (ss.geo.body_fo && ss.geo.body_fo->style->column_count > 1) {
        ss.ncols = ss.geo.body_fo->style->column_count;
        ss.col_gap = ss.geo.body_fo->style->column_gap;
        ss.col_w = (ss.geo.body.w - (ss.ncols - 1) * ss.col_gap) / ss.ncols;
        if (ss.col_w < 10) {
            wb_fo_warning(f->ctx, f->tree, ss.geo.body_fo, "%d columns leave no room: one column is used", ss.ncols);
            ss.ncols = 1;
            ss.col_w = ss.geo.body.w;
        }
    }
    if (wb_ctx_status(f->ctx) != WB_OK)
        return;
    g_hash_table_remove_all(f->markers->carry);
    g_hash_table_remove_all(f->markers->active);
    g_hash_table_remove_all(f->markers->at_start);
    const wb_fo *flow = wb_fo_child(seq, FO_FLOW);
    vlist *vl = vlist_new();
    refarea ra = {.x0 = 0, .width = ss.col_w};
    if (flow) {
        if (flow->id)
            push(vl, (vitem){.kind = VI_MARK_START, .id = flow->id});
        for (const wb_fo *c = flow->first; c; c = c->next) {
            if (ss.ncols > 1 && c->style && c->style->span_all) {
                /* across all the columns: balanced columns before it, new ones after */
                refarea full = {.x0 = 0, .width = ss.geo.body.w};
                push(vl, (vitem){.kind = VI_BREAK, .brk = BREAK_SPAN_START});
                layout_children(f, vl, c, &full);
                push(vl, (vitem){.kind = VI_BREAK, .brk = BREAK_SPAN_END});
            } else {
                layout_children(f, vl, c, &ra);
            }
            paginate(&ss, vl, false);
        }
    }
    if (seq->id)
        push(vl, (vitem){.kind = VI_MARK_END, .id = seq->id});
    paginate(&ss, vl, true);
    /* footnotes still waiting get pages of their own */
    if (ss.page_open)
        finish_page(&ss, false);
    for (int guard = 0; ss.notes_carried && guard < 100; guard++)
        emit_page(&ss, vl, 0, 0, false, true, true);
    if (ss.notes_carried)
        vlist_free(ss.notes_carried);
    /* force-page-count */
    const char *fpc = wb_fo_attr(seq, "force-page-count");
    const wb_fo *nextseq = seq->next;
    while (nextseq && nextseq->kind != FO_PAGE_SEQUENCE)
        nextseq = nextseq->next;
    int last = ss.number - 1;
    bool add = false;
    if (!fpc || !strcmp(fpc, "auto")) {
        /* end so that the next sequence's first page has the parity it asks for */
        const char *nip = nextseq ? wb_fo_attr(nextseq, "initial-page-number") : NULL;
        if (nip && !strcmp(nip, "auto-odd")) add = last % 2 == 1;
        else if (nip && !strcmp(nip, "auto-even")) add = last % 2 == 0;
        else if (nip && atoi(nip) > 0) add = (atoi(nip) % 2 == 0) ? last % 2 == 0 : last % 2 == 1;
    } else if (!strcmp(fpc, "even")) add = ss.index % 2 == 1;
    else if (!strcmp(fpc, "odd")) add = ss.index % 2 == 0;
    else if (!strcmp(fpc, "end-on-even")) add = last % 2 == 1;
    else if (!strcmp(fpc, "end-on-odd")) add = last % 2 == 0;
    if (add) {
        if (ss.carried)
            g_array_free(ss.carried, TRUE);
        ss.carried = NULL;
        emit_page(&ss, vl, 0, 0, true, true, true);
    }
    /* the sequence's id cites its last page */
    if (seq->id && ss.index > 0) {
        char *n = format_page_number(ss.number - 1, ss.format);
        record_id(f, seq->id, n, false);
        g_free(n);
    }
    if (ss.carried)
        g_array_free(ss.carried, TRUE);
    vlist_free(vl);
    *next_number = ss.number;
    *doc_index = ss.doc_index;
}

/* ------------------------------------------------------------------ the document */

static void free_image(gpointer p) { wb_image_unref(p); }

static void format_document(fmt *f, const wb_fo_tree *tree, page_sink sink, void *data)
{
    int next = 1, doc_index = 0;
    marker_state ms = {g_hash_table_new(g_str_hash, g_str_equal), g_hash_table_new(g_str_hash, g_str_equal),
                       g_hash_table_new(g_str_hash, g_str_equal), g_hash_table_new(g_str_hash, g_str_equal),
                       g_hash_table_new(g_str_hash, g_str_equal), g_hash_table_new(g_str_hash, g_str_equal)};
    f->markers = &ms;
    for (const wb_fo *c = tree->root->first; c; c = c->next) {
        if (c->kind != FO_PAGE_SEQUENCE)
            continue;
        format_sequence(f, tree, c, &next, &doc_index, sink, data);
        if (wb_ctx_status(f->ctx) != WB_OK)
            break;
    }
    f->markers = NULL;
    g_hash_table_destroy(ms.first);
    g_hash_table_destroy(ms.last);
    g_hash_table_destroy(ms.carry);
    g_hash_table_destroy(ms.carry_doc);
    g_hash_table_destroy(ms.active);
    g_hash_table_destroy(ms.at_start);
}

static bool cites(const wb_fo *fo)
{
    for (; fo; fo = fo->next) {
        if (fo->kind == FO_PAGE_NUMBER_CITATION || fo->kind == FO_PAGE_NUMBER_CITATION_LAST)
            return true;
        if (cites(fo->first))
            return true;
    }
    return false;
}

static bool same_table(GHashTable *a, GHashTable *b)
{
    if (g_hash_table_size(a) != g_hash_table_size(b))
        return false;
    GHashTableIter it;
    gpointer k, v;
    g_hash_table_iter_init(&it, a);
    while (g_hash_table_iter_next(&it, &k, &v)) {
        const char *w = g_hash_table_lookup(b, k);
        if (!w || strcmp(w, v))
            return false;
    }
    return true;
}

static PangoContext *pango_for(wb_ctx *ctx)
{
    if (!ctx->fontmap)
        ctx->fontmap = pango_cairo_font_map_new();
    PangoContext *pc = pango_font_map_create_context(ctx->fontmap);
    pango_cairo_context_set_resolution(pc, 72);
    /* layout in unhinted outline units, so lines measure the same at every size and device */
    cairo_font_options_t *fo = cairo_font_options_create();
    cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
    cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
    pango_cairo_context_set_font_options(pc, fo);
    cairo_font_options_destroy(fo);
    pango_context_set_round_glyph_positions(pc, FALSE);
    return pc;
}

/* One formatting pass: ids seen in it become the page numbers the next pass cites. */
static void one_pass(fmt *f, const wb_fo_tree *tree, page_sink sink, void *data, bool final)
{
    f->seen_first = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    f->seen_last = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    f->final_pass = final;
    format_document(f, tree, sink, data);
    f->settled = same_table(f->seen_first, f->id_first) && same_table(f->seen_last, f->id_last);
    g_hash_table_destroy(f->id_first);
    g_hash_table_destroy(f->id_last);
    f->id_first = f->seen_first;
    f->id_last = f->seen_last;
    f->seen_first = f->seen_last = NULL;
}

/* Runs the passes; the last one goes to the sink. */
static wb_status run(wb_ctx *ctx, xmlDocPtr doc, const char *file, const char *base_dir, page_sink sink,
                     void *data, wb_fo_tree **tree_out, fmt **fmt_out)
{
    wb_fo_tree *tree = wb_fo_tree_new(ctx, doc, file);
    if (!tree)
        return wb_ctx_status(ctx);
    if (!ctx->hyphenator)
        ctx->hyphenator = wb_hyphenator_new(NULL);
    fmt *f = g_new0(fmt, 1);
    f->ctx = ctx;
    f->file = file;
    f->tree = tree;
    f->base_dir = base_dir;
    f->pango = pango_for(ctx);
    f->hyph = ctx->hyphenator;
    f->images = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, free_image);
    f->shapes = lb_cache_new();
    f->strings = g_string_chunk_new(4096);
    f->id_first = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    f->id_last = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    /* Passes that only gather page numbers, until they settle; then the one that renders. */
    if (cites(tree->root)) {
        bool quiet = ctx->quiet;
        for (int pass = 1; pass < MAX_PASSES; pass++) {
            one_pass(f, tree, NULL, NULL, false);
            ctx->quiet = true; /* warnings once per document, not once per pass */
            if (wb_ctx_status(ctx) != WB_OK || (pass > 1 && f->settled))
                break;
            if (pass == MAX_PASSES - 1)
                wb_warning(ctx, file, 0, 0, "page numbers did not settle after %d passes", pass);
        }
        ctx->quiet = quiet;
    }
    if (wb_ctx_status(ctx) == WB_OK)
        one_pass(f, tree, sink, data, true);
    *tree_out = tree;
    *fmt_out = f;
    return wb_ctx_status(ctx);
}

static void free_fmt(fmt *f)
{
    if (!f)
        return;
    g_hash_table_destroy(f->images);
    lb_cache_free(f->shapes);
    g_string_chunk_free(f->strings);
    g_hash_table_destroy(f->id_first);
    g_hash_table_destroy(f->id_last);
    g_object_unref(f->pango);
    g_free(f);
}

/* ------------------------------------------------------------------ metadata, bookmarks */

#define DC_NS "http://purl.org/dc/elements/1.1/"

static char *ns_value(xmlNodePtr n, const char *ns, const char *name);

static char *dc_value(xmlNodePtr n, const char *name) { return ns_value(n, DC_NS, name); }

static char *ns_value(xmlNodePtr n, const char *ns, const char *name)
{
    for (; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        if (n->ns && !strcmp((const char *)n->ns->href, ns) && !strcmp((const char *)n->name, name)) {
            xmlChar *c = xmlNodeGetContent(n);
            char *v = g_strdup((const char *)c);
            xmlFree(c);
            g_strstrip(v);
            /* collapse white space from rdf:Alt / rdf:li nesting */
            char *o = v;
            bool sp = false;
            for (char *p = v; *p; p++) {
                if (g_ascii_isspace(*p)) { sp = true; continue; }
                if (sp && o != v) *o++ = ' ';
                sp = false;
                *o++ = *p;
            }
            *o = 0;
            return v;
        }
        char *v = ns_value(n->children, ns, name);
        if (v)
            return v;
    }
    return NULL;
}

static char *fo_text(const wb_fo *fo)
{
    GString *s = g_string_new(NULL);
    for (const wb_fo *c = fo->first; c; c = c->next) {
        if (c->kind == FO_TEXT)
            g_string_append(s, c->text);
        else {
            char *t = fo_text(c);
            g_string_append(s, t);
            g_free(t);
        }
    }
    char *v = g_string_free(s, FALSE);
    /* normalise white space */
    char **parts = g_strsplit_set(v, " \t\r\n", -1);
    GString *o = g_string_new(NULL);
    for (int i = 0; parts[i]; i++)
        if (*parts[i]) {
            if (o->len)
                g_string_append_c(o, ' ');
            g_string_append(o, parts[i]);
        }
    g_strfreev(parts);
    g_free(v);
    return g_string_free(o, FALSE);
}

static void metadata(const wb_fo_tree *tree, wb_renderer *r)
{
    const wb_fo *decl = wb_fo_child(tree->root, FO_DECLARATIONS);
    xmlNodePtr dn = decl ? decl->node->children : NULL;
    char *title = dc_value(dn, "title"), *author = dc_value(dn, "creator"),
         *subject = dc_value(dn, "description"), *lang = dc_value(dn, "language"),
         *keywords = dc_value(dn, "subject");
    if (!keywords)
        keywords = ns_value(dn, "http://ns.adobe.com/pdf/1.3/", "Keywords");
    if (!title) {
        const wb_fo *seq = wb_fo_child(tree->root, FO_PAGE_SEQUENCE);
        const wb_fo *t = seq ? wb_fo_child(seq, FO_TITLE) : NULL;
        if (t)
            title = fo_text(t);
    }
    if (!lang && tree->root->style->lang)
        lang = g_strdup(tree->root->style->lang);
    wb_metadata m = {title, author, subject, keywords, lang, "workbook engine"};
    wb_renderer_set_metadata(r, &m);
    g_free(title);
    g_free(author);
    g_free(subject);
    g_free(lang);
    g_free(keywords);
}

static void bookmarks(fmt *f, const wb_fo *parent, int parent_id, wb_renderer *r)
{
    for (const wb_fo *b = parent->first; b; b = b->next) {
        if (b->kind != FO_BOOKMARK)
            continue;
        const wb_fo *t = wb_fo_child(b, FO_BOOKMARK_TITLE);
        char *title = t ? fo_text(t) : g_strdup("");
        const char *dest = wb_fo_attr(b, "internal-destination");
        const char *ext = wb_fo_attr(b, "external-destination");
        const char *state = wb_fo_attr(b, "starting-state");
        bool open = !state || strcmp(state, "hide") != 0;
        int id = 0;
        if (dest && !g_hash_table_contains(f->id_first, dest)) {
            wb_fo_warning(f->ctx, f->tree, b, "fo:bookmark: no object has the id \"%s\"", dest);
        } else if (dest) {
            id = wb_renderer_add_bookmark(r, parent_id, title, dest, open);
        } else if (ext) {
            wb_fo_warning_once(f->ctx, f->tree, b, "bookmark-ext", "fo:bookmark with an external-destination is not supported (ignored)");
        }
        g_free(title);
        if (id)
            bookmarks(f, b, id, r);
    }
}

static void render_sink(void *data, wb_page *page)
{
    wb_renderer *r = data;
    wb_renderer_page(r, page);
}

wb_status wb_format(wb_ctx *ctx, xmlDocPtr doc, const char *file, const char *base_dir, wb_renderer *r)
{
    wb_fo_tree *tree = NULL;
    fmt *f = NULL;
    wb_status st = run(ctx, doc, file, base_dir, render_sink, r, &tree, &f);
    if (st == WB_OK && tree) {
        metadata(tree, r);
        const wb_fo *bt = wb_fo_child(tree->root, FO_BOOKMARK_TREE);
        if (bt)
            bookmarks(f, bt, 0, r);
    }
    free_fmt(f);
    wb_fo_tree_free(tree);
    return wb_ctx_status(ctx);
}

static void dump_sink(void *data, wb_page *page) { wb_page_dump(page, data); }

wb_status wb_format_dump(wb_ctx *ctx, xmlDocPtr doc, const char *file, const char *base_dir, FILE *out)
{
    wb_fo_tree *tree = NULL;
    fmt *f = NULL;
    run(ctx, doc, file, base_dir, dump_sink, out, &tree, &f);
    free_fmt(f);
    wb_fo_tree_free(tree);
    return wb_ctx_status(ctx);
}
