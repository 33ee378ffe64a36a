/* Tables: columns (fixed, proportional, from content), rows grouped by their spans, cells
 * laid out on their own and set as one box per row group, separate or collapsing borders,
 * headers and footers repeated at page breaks, rows taller than a page cut into slices. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "format/blocks.h"

typedef struct table_cols {
    double *x, *w;
    int n;
    double sep_i, sep_b;  /* the separate border model's spacing (0: collapsing borders) */
    bool collapse;
    wb_border *above;     /* collapsing model: per column, the bottom border of the row above */
    const wb_style **col_style; /* per column, its fo:table-column's style, or NULL */
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
static void cell_content_width(formatter *f, const wb_fo *cell, double *min_w, double *max_w)
{
    const wb_style *s = cell->style;
    refarea ra = {.x0 = 0, .width = 1e5, .base_start = s->start_indent, .base_end = s->end_indent};
    vlist *cv = vlist_new();
    for (const wb_fo *k = cell->first; k; k = k->next)
        layout_child(f, cv, k, &ra);
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
    double extra = border_width(s, SIDE_START) + border_width(s, SIDE_END) + s->padding[SIDE_START] + s->padding[SIDE_END] + 0.5;
    *min_w = mn + extra;
    *max_w = mx + extra;
}

static void content_widths(formatter *f, const wb_fo *table, int n, double *mn, double *mx)
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

/* Columns without a width get one from their content, as browsers do: each at least its
 * longest word, and room in proportion to its unbroken length.  `fixed` holds each column's
 * width (< 0: none yet); `auto_cols` says which are sized from content. */
static void size_columns_from_content(formatter *f, const wb_fo *table, double width, GArray *fixed,
                                      const GArray *auto_cols)
{
    int n = (int)fixed->len;
    bool any_auto = false;
    for (int k = 0; k < n; k++)
        any_auto = any_auto || g_array_index(auto_cols, gboolean, k);
    if (any_auto) {
        double *mn = g_new0(double, n), *mx = g_new0(double, n);
        content_widths(f, table, n, mn, mx);
        double fixed_sum = 0, mn_sum = 0, mx_sum = 0;
        for (int k = 0; k < n; k++) {
            if (!g_array_index(auto_cols, gboolean, k)) {
                double fw = g_array_index(fixed, double, k);
                fixed_sum += fw >= 0 ? fw : 0;
                continue;
            }
            mn_sum += mn[k];
            mx_sum += mx[k];
        }
        double room = MAX(0, width - fixed_sum);
        for (int k = 0; k < n; k++) {
            if (!g_array_index(auto_cols, gboolean, k))
                continue;
            double w;
            if (mx_sum <= room)
                w = mx_sum > 0 ? mx[k] + (room - mx_sum) * mx[k] / mx_sum : room / n;
            else if (mn_sum >= room)
                w = mn_sum > 0 ? mn[k] * room / mn_sum : room / n;
            else
                w = mn[k] + (mx[k] - mn[k]) * (room - mn_sum) / (mx_sum - mn_sum);
            g_array_index(fixed, double, k) = w;
        }
        g_free(mn);
        g_free(mx);
    }
}

/* What the columns of given widths take at a table width: their lengths (and those beside
 * a proportional-column-width(), "1in + proportional-column-width(1)"), with the separate
 * border model's spacing before, between and after the columns. */
static double fixed_columns(const wb_fo *table, double width)
{
    double sum = 0;
    int n = 0;
    for (const wb_fo *c = table->first; c; c = c->next) {
        if (c->kind != FO_TABLE_COLUMN)
            continue;
        const char *rep = wb_fo_attr(c, "number-columns-repeated");
        int r = rep ? MAX(1, atoi(rep)) : 1;
        n += r;
        if (!c->style->column_width.is_auto)
            sum += r * MAX(0, wb_len_resolve(c->style->column_width, width));
    }
    double sep = table->style->border_collapse ? 0 : table->style->sep_inline;
    return sum + (n > 0 ? (n + 1) * sep : 0);
}

double table_width(const wb_fo *table, const refarea *ra)
{
    const wb_style *s = table->style;
    double room = content_width(ra, s);
    double w = s->width.is_auto ? room : MIN(room, wb_len_resolve(s->width, ra->width));
    double need = fixed_columns(table, w);
    if (need > w + 0.01) {
        /* as Apache FOP, wider for the columns; within .maximum and the room there is */
        double most = s->width_max.is_auto ? room : MIN(room, wb_len_resolve(s->width_max, ra->width));
        w = MAX(w, MIN(need, most));
    }
    if (!s->width_min.is_auto)
        w = MAX(w, wb_len_resolve(s->width_min, ra->width));
    return w;
}

static table_cols table_columns(formatter *f, const wb_fo *table, double x, double width)
{
    table_cols tc = {0};
    GArray *fixed = g_array_new(FALSE, TRUE, sizeof(double));
    GArray *prop = g_array_new(FALSE, TRUE, sizeof(double));
    GArray *auto_cols = g_array_new(FALSE, TRUE, sizeof(gboolean));
    GPtrArray *styles = g_ptr_array_new();
    for (const wb_fo *c = table->first; c; c = c->next) {
        if (c->kind != FO_TABLE_COLUMN)
            continue;
        const char *rep = wb_fo_attr(c, "number-columns-repeated");
        int r = rep ? MAX(1, atoi(rep)) : 1;
        for (int k = 0; k < r; k++) {
            /* a length, a proportional-column-width() (its factor in pw) with the length
             * beside it (0 without one), or nothing: a width from the content */
            double fw = -1, pw = MAX(0, c->style->column_width_proportional);
            gboolean is_auto = FALSE;
            if (!c->style->column_width.is_auto)
                fw = MAX(0, wb_len_resolve(c->style->column_width, width));
            else if (pw <= 0)
                is_auto = TRUE;
            g_array_append_val(fixed, fw);
            g_array_append_val(prop, pw);
            g_array_append_val(auto_cols, is_auto);
            g_ptr_array_add(styles, (gpointer)c->style);
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
    tc.col_style = g_new0(const wb_style *, tc.n);
    for (guint k = 0; k < styles->len; k++)
        tc.col_style[k] = g_ptr_array_index(styles, k);
    g_ptr_array_free(styles, TRUE);
    size_columns_from_content(f, table, width, fixed, auto_cols);
    g_array_free(auto_cols, TRUE);
    double used = 0, units = 0;
    for (int k = 0; k < tc.n; k++) {
        double fw = g_array_index(fixed, double, k);
        if (fw >= 0) used += fw;
        units += g_array_index(prop, double, k);
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
        tc.w[k] = MAX(0, fw) + unit * g_array_index(prop, double, k);
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
 * vertical rules are cut with the slice.  The first slice gets `notes`. */
static void split_row(vlist *vl, area_list *areas, double row_h, double max_h, int pen, GPtrArray *notes)
{
    const double ascent_guard = 14; /* a text area's y is its baseline: keep its ascent with it */
    double top = 0;
    bool first = true;
    while (top < row_h - 0.01) {
        double cut = MIN(row_h, top + max_h);
        if (cut < row_h) {
            for (guint i = 0; areas && i < areas->len; i++) {
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
        area_list *slice = areas_slice(areas, top, cut, cut >= row_h - 0.01);
        vlist_push(vl, (vitem){.kind = VI_BOX, .h = cut - top, .areas = slice, .pen = first ? pen : 0,
                               .notes = first ? notes : NULL});
        first = false;
        if (cut <= top + 0.01)
            break; /* nothing can be cut: give up rather than loop */
        top = cut;
    }
    if (first && notes)
        g_ptr_array_free(notes, TRUE);
    area_list_free(areas);
}

typedef struct cell_box {
    const wb_fo *cell;
    int row, rows;  /* first row in the group, rows spanned */
    int col, span;  /* first column, columns spanned */
    double x, w;
    double content_h, need_h;
    area_list *areas;
    vlist *cv;      /* the cell's content as laid out (its items' penalties, breaks, notes) */
    double *tops;   /* where each item of cv starts, from the top of the content */
    double dy;      /* where the content starts in the row group */
    guint scan;     /* row_cut_penalty: the first item not known to lie above the cuts */
    bool scan_above;
    wb_image *bg_image; /* its background-image, borrowed from the image cache; or NULL */
} cell_box;

static void lay_out_cell(formatter *f, cell_box *cb)
{
    const wb_style *s = cb->cell->style;
    refarea ra = {.x0 = cb->x + border_width(s, SIDE_START) + s->padding[SIDE_START],
                  .width = MAX(1, cb->w - border_width(s, SIDE_START) - border_width(s, SIDE_END) - s->padding[SIDE_START] - s->padding[SIDE_END]),
                  .base_start = s->start_indent, .base_end = s->end_indent};
    cb->bg_image = background_image(f, cb->cell);
    cb->cv = vlist_new();
    for (const wb_fo *k = cb->cell->first; k; k = k->next)
        layout_child(f, cb->cv, k, &ra);
    double base;
    cb->tops = g_new0(double, cb->cv->items->len + 1);
    cb->content_h = place_flat_tops(f, cb->cv, &cb->areas, &base, cb->tops);
    cb->need_h = cb->content_h + border_width(s, SIDE_BEFORE) + border_width(s, SIDE_AFTER) + s->padding[SIDE_BEFORE] + s->padding[SIDE_AFTER];
    if (!s->height.is_auto)
        cb->need_h = MAX(cb->need_h, wb_len_resolve(s->height, 0));
}

/* The cells of a group of rows laid out on their own, and each row's height: as tall as its
 * tallest single-row cell (or its own height), a spanning cell stretching its last row.
 * `occupied` counts, per column, the rows still covered by a span from above. */
static GArray *lay_out_cells(formatter *f, const wb_fo *const *rows, int nrows, table_cols *tc, double *h)
{
    GArray *cells = g_array_new(FALSE, TRUE, sizeof(cell_box));
    int *occupied = g_new0(int, tc->n + 1);
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
    g_free(occupied);
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
    return cells;
}

/* The backgrounds of the columns and of the row group (table-body, -header or -footer)
 * under each cell, in the order of XSL 1.1 §6.7.3 and CSS2 §17.5.1 (the table's, drawn by
 * its frame, then the columns', the row group's, the rows', the cells' own): where a cell
 * is, as Apache FOP paints them, a cell spanning columns taking each column's over its
 * part. */
static void part_backgrounds(const wb_fo *const *rows, const table_cols *tc, const GArray *cells,
                             const double *top, area_list **areas)
{
    for (guint i = 0; i < cells->len; i++) {
        const cell_box *cb = &g_array_index(cells, cell_box, i);
        double y0 = top[cb->row], ch = top[cb->row + cb->rows] - y0 - tc->sep_b;
        for (int k = cb->col; k < cb->col + cb->span; k++) {
            const wb_style *cs = tc->col_style[k];
            if (!cs || cs->background.a <= 0)
                continue;
            double x1 = k + 1 < cb->col + cb->span ? tc->x[k + 1] : cb->x + cb->w;
            area_push(areas, (wb_area){.kind = WB_AREA_FILL, .x = tc->x[k], .y = y0, .w = x1 - tc->x[k], .h = ch,
                                       .color = color_of(cs->background)});
        }
    }
    const wb_fo *part = rows[0]->parent;
    if (!part || part->style->background.a <= 0)
        return;
    for (guint i = 0; i < cells->len; i++) {
        const cell_box *cb = &g_array_index(cells, cell_box, i);
        double y0 = top[cb->row], ch = top[cb->row + cb->rows] - y0 - tc->sep_b;
        area_push(areas, (wb_area){.kind = WB_AREA_FILL, .x = cb->x, .y = y0, .w = cb->w, .h = ch,
                                   .color = color_of(part->style->background)});
    }
}

/* Column, row group, row and cell backgrounds, then the cells' content aligned in their
 * height (display-align); the content areas move out of the cells, with their references. */
static void cell_contents(const wb_fo *const *rows, int nrows, const table_cols *tc, GArray *cells,
                          const double *top, const double *h, area_list **areas)
{
    part_backgrounds(rows, tc, cells, top, areas);
    for (int r = 0; r < nrows; r++)
        if (rows[r]->style->background.a > 0)
            area_push(areas, (wb_area){.kind = WB_AREA_FILL, .x = tc->x[0], .y = top[r], .w = tc->x[tc->n] - tc->x[0],
                                       .h = h[r], .color = color_of(rows[r]->style->background)});
    for (guint i = 0; i < cells->len; i++) {
        cell_box *cb = &g_array_index(cells, cell_box, i);
        const wb_style *s = cb->cell->style;
        double y0 = top[cb->row], ch = top[cb->row + cb->rows] - y0 - tc->sep_b;
        if (s->background.a > 0)
            area_push(areas, (wb_area){.kind = WB_AREA_FILL, .x = cb->x, .y = y0, .w = cb->w, .h = ch,
                                       .color = color_of(s->background)});
        /* in the padding rectangle, inside the borders */
        area_background(areas, cb->bg_image, s, cb->x + border_width(s, SIDE_START), y0 + border_width(s, SIDE_BEFORE),
                        cb->w - border_width(s, SIDE_START) - border_width(s, SIDE_END),
                        ch - border_width(s, SIDE_BEFORE) - border_width(s, SIDE_AFTER));
        double inner = ch - border_width(s, SIDE_BEFORE) - border_width(s, SIDE_AFTER) - s->padding[SIDE_BEFORE] -
                       s->padding[SIDE_AFTER];
        double dy = y0 + border_width(s, SIDE_BEFORE) + s->padding[SIDE_BEFORE];
        if (s->display_align == DISPLAY_CENTER) dy += (inner - cb->content_h) / 2;
        else if (s->display_align == DISPLAY_AFTER) dy += inner - cb->content_h;
        cb->dy = dy;
        if (cb->areas) {
            for (guint k = 0; k < cb->areas->len; k++) {
                wb_area a = g_array_index(cb->areas, wb_area, k);
                a.y += dy;
                area_push(areas, a);
            }
            g_array_free(cb->areas, TRUE);
            cb->areas = NULL;
        }
    }
}

/* The cell beside cb in its row: to its left (dir < 0) or right, or NULL. */
static const cell_box *neighbour(const GArray *cells, const cell_box *cb, int dir)
{
    const cell_box *found = NULL;
    for (guint j = 0; j < cells->len; j++) {
        const cell_box *o = &g_array_index(cells, cell_box, j);
        if (o->row == cb->row && (dir < 0 ? o->col + o->span == cb->col : o->col == cb->col + cb->span))
            found = o;
    }
    return found;
}

/* The cells' borders, on top of everything: each cell its own frame (separate model), or a
 * shared edge drawn once, the wider border of the two (collapsing model). */
static void cell_borders(table_cols *tc, const GArray *cells, const double *top, area_list **areas)
{
    for (guint i = 0; i < cells->len; i++) {
        const cell_box *cb = &g_array_index(cells, cell_box, i);
        const wb_style *s = cb->cell->style;
        double y0 = top[cb->row], ch = top[cb->row + cb->rows] - y0 - tc->sep_b;
        if (!tc->collapse) {
            const wb_border *b = s->border;
            area_rule(areas, cb->x, y0 + b[SIDE_BEFORE].width / 2, cb->w, 0, &b[SIDE_BEFORE]);
            area_rule(areas, cb->x, y0 + ch - b[SIDE_AFTER].width / 2, cb->w, 0, &b[SIDE_AFTER]);
            area_rule(areas, cb->x + b[SIDE_START].width / 2, y0, 0, ch, &b[SIDE_START]);
            area_rule(areas, cb->x + cb->w - b[SIDE_END].width / 2, y0, 0, ch, &b[SIDE_END]);
            continue;
        }
        bool top_first = cb->row == 0;
        bool narrower_top = false;
        for (int k = cb->col; top_first && k < cb->col + cb->span; k++)
            if (tc->above[k].style && tc->above[k].width > s->border[SIDE_BEFORE].width)
                narrower_top = true;
        if (!narrower_top)
            area_rule(areas, cb->x, y0, cb->w, 0, &s->border[SIDE_BEFORE]);
        area_rule(areas, cb->x, y0 + ch, cb->w, 0, &s->border[SIDE_AFTER]);
        const cell_box *left = neighbour(cells, cb, -1), *right = neighbour(cells, cb, 1);
        if (!left || left->cell->style->border[SIDE_END].width <= s->border[SIDE_START].width)
            area_rule(areas, cb->x, y0, 0, ch, &s->border[SIDE_START]);
        if (!right || right->cell->style->border[SIDE_START].width < s->border[SIDE_END].width)
            area_rule(areas, cb->x + cb->w, y0, 0, ch, &s->border[SIDE_END]);
    }
}

/* Where a table's row groups are: what a group passes on to the next. */
typedef struct part_state {
    guint table_start; /* where a break before the table's first row goes (before its frame) */
    bool first_group;  /* the next group is the first of the table's body */
    wb_break after;    /* a break after the last group, not yet on the list */
    bool keep_rows;    /* header and footer rows: never broken */
} part_state;

/* A place a row group may be broken at: y from its top, the cost, a forced break there. */
typedef struct row_cut {
    double y;
    int pen;
    wb_break brk;
} row_cut;

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* The cost of breaking a row group at y, -1 when a line (above its baseline) or a box of
 * some cell crosses y, or when the break would leave one side without content of any
 * cell.  A cell broken there adds the penalty of its next item (widows, orphans, keeps
 * inside it); a row broken inside adds its keep-together, a boundary between rows their
 * keeps.  Called with y increasing: each cell remembers how far its items lie above. */
static int row_cut_penalty(GArray *cells, const wb_fo *const *rows, int nrows, const double *top, double y)
{
    int pen = 0;
    bool any_above = false, any_below = false;
    for (guint c = 0; c < cells->len; c++) {
        cell_box *cb = &g_array_index(cells, cell_box, c);
        bool above = cb->scan_above;
        for (guint i = cb->scan; i < cb->cv->items->len; i++) {
            const vitem *v = &g_array_index(cb->cv->items, vitem, i);
            if (!vitem_is_content(v))
                continue;
            double t = cb->dy + cb->tops[i];
            /* a line whose baseline is above y stays above (only its descent may cross:
             * cells with other paddings or borders do not line up to the point) */
            double low = v->kind == VI_LINE ? t + v->base : t + v->h;
            if (low <= y + 0.01 || t + v->h <= y + 0.01) {
                above = cb->scan_above = true;
                cb->scan = i + 1; /* above this y, above every later one */
                continue;
            }
            if (t < y - 0.01)
                return -1;
            any_below = true;
            if (above)
                pen = MAX(pen, v->pen); /* (a cell's own keep-together is not weighed, as
                                         * Apache FOP does not: a row's is) */
            break;
        }
        any_above = any_above || above;
    }
    if (!any_above || !any_below)
        return -1;
    for (int r = 0; r < nrows; r++) {
        const wb_style *rs = rows[r]->style;
        if (top[r] < y - 0.01 && y < top[r + 1] - 0.01 && rs->keep_together > 0)
            pen = MAX(pen, keep_penalty(rs->keep_together));
        if (r > 0 && fabs(top[r] - y) <= 0.01) {
            if (rows[r - 1]->style->keep_with_next > 0)
                pen = MAX(pen, keep_penalty(rows[r - 1]->style->keep_with_next));
            if (rs->keep_with_previous > 0)
                pen = MAX(pen, keep_penalty(rs->keep_with_previous));
        }
    }
    return pen;
}

/* The breaks a cell's content asks for: before its first content (the row's break-before),
 * after its last (the row's break-after), and between (the row is cut there: y from the
 * group's top of the first item after the break, in *inner). */
static void cell_breaks(const cell_box *cb, wb_break *before, wb_break *after, GArray *inner)
{
    bool content_before = false;
    for (guint i = 0; i < cb->cv->items->len; i++) {
        const vitem *v = &g_array_index(cb->cv->items, vitem, i);
        if (vitem_is_content(v)) {
            content_before = true;
            continue;
        }
        if (v->kind != VI_BREAK || v->brk >= BREAK_SPAN_START)
            continue;
        guint next = vlist_first_content(cb->cv, i + 1);
        if (!content_before)
            *before = v->brk;
        else if (next == G_MAXUINT)
            *after = v->brk;
        else {
            row_cut rc = {.y = cb->dy + cb->tops[next], .brk = v->brk};
            g_array_append_val(inner, rc);
        }
    }
}

/* The places a row group may be broken at, in order, with their costs; forced breaks
 * inside cells among them.  Cuts that keeps forbid stay, at PEN_FORBIDDEN: a kept row
 * taller than a page is still cut between lines, as full as the page allows. */
static GArray *row_cuts(formatter *f, GArray *cells, const wb_fo *const *rows, int nrows, const double *top,
                        GArray *forced, bool keep_rows)
{
    GArray *ys = g_array_new(FALSE, FALSE, sizeof(double));
    for (guint c = 0; c < cells->len; c++) {
        const cell_box *cb = &g_array_index(cells, cell_box, c);
        for (guint i = 0; i < cb->cv->items->len; i++)
            if (vitem_is_content(&g_array_index(cb->cv->items, vitem, i))) {
                double y = cb->dy + cb->tops[i];
                g_array_append_val(ys, y);
            }
    }
    for (int r = 1; r < nrows; r++)
        g_array_append_val(ys, top[r]);
    g_array_sort(ys, cmp_double);
    GArray *cuts = g_array_new(FALSE, TRUE, sizeof(row_cut));
    double last = -1;
    for (guint k = 0; k < ys->len; k++) {
        double y = g_array_index(ys, double, k);
        if (y <= 0.01 || y >= top[nrows] - 0.01 || y - last <= 0.01)
            continue;
        last = y;
        int pen = row_cut_penalty(cells, rows, nrows, top, y);
        if (pen < 0)
            continue;
        row_cut rc = {.y = y, .pen = keep_rows ? PEN_FORBIDDEN : pen};
        g_array_append_val(cuts, rc);
    }
    g_array_free(ys, TRUE);
    /* a forced break in a cell cuts the row at the last allowed place not below it */
    for (guint k = 0; k < forced->len; k++) {
        const row_cut *fb = &g_array_index(forced, row_cut, k);
        row_cut *best = NULL;
        for (guint j = 0; j < cuts->len; j++) {
            row_cut *rc = &g_array_index(cuts, row_cut, j);
            if (rc->y <= fb->y + 0.01)
                best = rc;
        }
        if (best && !keep_rows)
            best->brk = fb->brk;
        else if (!keep_rows)
            wb_fo_warning(f->ctx, f->tree, rows[0], "a break inside a table cell has no place to cut the row (ignored)");
    }
    return cuts;
}

/* The footnotes cited in a group's cells, in order, and the y of each citation. */
static void group_notes(const GArray *cells, GPtrArray *notes, GArray *ys)
{
    for (guint c = 0; c < cells->len; c++) {
        const cell_box *cb = &g_array_index(cells, cell_box, c);
        for (guint i = 0; i < cb->cv->items->len; i++) {
            const vitem *v = &g_array_index(cb->cv->items, vitem, i);
            double y = cb->dy + cb->tops[i];
            for (guint k = 0; v->notes && k < v->notes->len; k++) {
                g_ptr_array_add(notes, g_ptr_array_index(v->notes, k));
                g_array_append_val(ys, y);
            }
        }
    }
}

/* The frames of a group's cells, when some cell retains padding or a border at a break
 * (.conditionality="retain"), else NULL. */
static GArray *group_frames(const GArray *cells, const double *top, const table_cols *tc)
{
    bool any = false;
    for (guint i = 0; i < cells->len && !any; i++) {
        const wb_style *s = g_array_index(cells, cell_box, i).cell->style;
        any = s->padding_retain[SIDE_BEFORE] || s->padding_retain[SIDE_AFTER] || s->border[SIDE_BEFORE].retain ||
              s->border[SIDE_AFTER].retain;
    }
    if (!any)
        return NULL;
    GArray *frames = g_array_new(FALSE, FALSE, sizeof(box_frame));
    for (guint i = 0; i < cells->len; i++) {
        const cell_box *cb = &g_array_index(cells, cell_box, i);
        box_frame fr = {.x = cb->x, .w = cb->w, .y0 = top[cb->row], .y1 = top[cb->row + cb->rows] - tc->sep_b,
                        .bg = cb->cell->style->background};
        memcpy(fr.border, cb->cell->style->border, sizeof fr.border);
        g_array_append_val(frames, fr);
    }
    return frames;
}

/* The padding and border a cell retains at a break on one side, 0 when discarded. */
static double retained(const wb_style *s, int side)
{
    return (s->padding_retain[side] ? s->padding[side] : 0) + (s->border[side].retain ? border_width(s, side) : 0);
}

/* A row group as one box, with the cuts the paginator may take inside it (each with what the
 * cells crossing it retain there), then cut at its forced breaks.  Takes areas, notes,
 * note_y and frames. */
static void push_group(formatter *f, vlist *vl, area_list *areas, double total, int pen, const GArray *cuts,
                       const GPtrArray *styles, GPtrArray *notes, GArray *note_y, GArray *frames)
{
    vitem v = {.kind = VI_BOX, .h = total, .pen = pen, .areas = areas};
    box_cuts *bc = g_new0(box_cuts, 1);
    bc->at = g_array_new(FALSE, FALSE, sizeof(box_cut));
    bc->note_y = note_y;
    bc->frames = frames;
    bool forced = false;
    for (guint j = 0; j < cuts->len; j++) {
        const row_cut *rc = &g_array_index(cuts, row_cut, j);
        box_cut c = {.y = rc->y, .pen = rc->pen};
        for (guint k = 0; frames && k < frames->len; k++) {
            const box_frame *fr = &g_array_index(frames, box_frame, k);
            const wb_style *s = g_ptr_array_index(styles, k);
            if (fr->y0 < c.y - 0.01 && c.y < fr->y1 - 0.01) {
                c.after = MAX(c.after, retained(s, SIDE_AFTER));
                c.before = MAX(c.before, retained(s, SIDE_BEFORE));
            }
        }
        g_array_append_val(bc->at, c);
        forced = forced || rc->brk != BREAK_AUTO;
    }
    if (notes->len)
        v.notes = notes;
    else
        g_ptr_array_free(notes, TRUE);
    v.cuts = bc;
    if (bc->at->len == 0 && f->body_h > 0 && v.h > f->body_h) {
        /* taller than a page and nowhere to cut between lines: cut through it */
        v.areas = NULL;
        notes = v.notes;
        v.notes = NULL;
        vitem_clear(&v);
        split_row(vl, areas, total, f->body_h * 0.95, pen, notes);
        return;
    }
    vlist_push(vl, v);
    if (!forced)
        return;
    /* forced breaks: the box cut there, a break between the parts */
    guint idx = vl->items->len - 1;
    double off = 0, shift = 0; /* the part's top in the group; what it grew by at its top */
    for (guint j = 0; j < cuts->len; j++) {
        const row_cut *rc = &g_array_index(cuts, row_cut, j);
        if (rc->brk == BREAK_AUTO)
            continue;
        const vitem *cur = &g_array_index(vl->items, vitem, idx);
        double pos = rc->y - off + shift;
        for (guint k = 0; cur->cuts && k < cur->cuts->at->len; k++) {
            box_cut c = g_array_index(cur->cuts->at, box_cut, k);
            if (fabs(c.y - pos) > 0.02)
                continue;
            vlist_split_box(vl, idx, k);
            g_array_insert_val(vl->items, idx + 1, ((vitem){.kind = VI_BREAK, .brk = rc->brk, .notes_h = -1}));
            idx += 2;
            off = rc->y;
            shift = c.before;
            break;
        }
    }
}

/* A group of rows bound together by row spans (most often one row): each cell laid out on
 * its own, the rows as tall as their tallest cells, everything as boxes cut where every
 * cell may be broken (between lines), with forced breaks from rows and cells between them
 * (slices of a box taller than a page are cut between lines anyway). */
static void table_rows(formatter *f, vlist *vl, const wb_fo *const *rows, int nrows, table_cols *tc, int pen,
                       part_state *st)
{
    double *h = g_new0(double, nrows);
    GArray *cells = lay_out_cells(f, rows, nrows, tc, h);
    /* separate borders: sep_b above every row; top[r] is where row r's cells start */
    double *top = g_new0(double, nrows + 1);
    top[0] = tc->sep_b;
    for (int r = 0; r < nrows; r++)
        top[r + 1] = top[r] + h[r] + tc->sep_b;
    area_list *areas = NULL;
    cell_contents(rows, nrows, tc, cells, top, h, &areas);
    cell_borders(tc, cells, top, &areas);
    /* what the next rows see above them */
    for (guint i = 0; i < cells->len; i++) {
        cell_box *cb = &g_array_index(cells, cell_box, i);
        if (cb->row + cb->rows == nrows)
            for (int k = cb->col; k < cb->col + cb->span; k++)
                tc->above[k] = cb->cell->style->border[SIDE_AFTER];
    }
    double total = top[nrows];
    const wb_fo *first = rows[0], *last = rows[nrows - 1];
    /* breaks: the rows' own, and those of the cells' first and last blocks, which XSL
     * hands on to the row; none inside a row span (XSL 1.1 7.20.2, as FOP) */
    wb_break before = first->style->break_before, after = last->style->break_after;
    GArray *forced = g_array_new(FALSE, FALSE, sizeof(row_cut));
    int rpen = pen, next_keep = 0;
    if (first->style->keep_with_previous > 0)
        rpen = MAX(rpen, keep_penalty(first->style->keep_with_previous));
    if (last->style->keep_with_next > 0)
        next_keep = keep_penalty(last->style->keep_with_next);
    for (guint i = 0; i < cells->len; i++) {
        cell_box *cb = &g_array_index(cells, cell_box, i);
        wb_break cb_before = BREAK_AUTO, cb_after = BREAK_AUTO;
        cell_breaks(cb, &cb_before, &cb_after, forced);
        guint fc = vlist_first_content(cb->cv, 0);
        if (cb->row == 0) {
            if (cb_before != BREAK_AUTO)
                before = MAX(before, cb_before);
            if (fc != G_MAXUINT) /* keep-with-previous of the cell's first block */
                rpen = MAX(rpen, g_array_index(cb->cv->items, vitem, fc).pen);
        } else if (cb_before != BREAK_AUTO) {
            g_array_append_val(forced, ((row_cut){.y = top[cb->row], .brk = cb_before}));
        }
        if (cb->row + cb->rows == nrows) {
            if (cb_after != BREAK_AUTO)
                after = MAX(after, cb_after);
            next_keep = MAX(next_keep, cb->cv->pending_keep); /* keep-with-next of its last block */
        }
    }
    for (int r = 0; r < nrows; r++) {
        if ((r > 0 && rows[r]->style->break_before != BREAK_AUTO) ||
            (r < nrows - 1 && rows[r]->style->break_after != BREAK_AUTO))
            wb_fo_warning(f->ctx, f->tree, rows[r],
                          "a break on a table row inside a row span is ignored (XSL 1.1 7.20.2)");
    }
    if (st->keep_rows)
        before = after = BREAK_AUTO;
    GArray *cuts = row_cuts(f, cells, rows, nrows, top, forced, st->keep_rows);
    g_array_free(forced, TRUE);
    GPtrArray *notes = g_ptr_array_new();
    GArray *note_y = g_array_new(FALSE, FALSE, sizeof(double));
    group_notes(cells, notes, note_y);
    GArray *frames = group_frames(cells, top, tc);
    GPtrArray *styles = g_ptr_array_new(); /* the cells' styles, as the frames */
    for (guint i = 0; frames && i < cells->len; i++)
        g_ptr_array_add(styles, (gpointer)g_array_index(cells, cell_box, i).cell->style);
    for (guint i = 0; i < cells->len; i++) {
        cell_box *cb = &g_array_index(cells, cell_box, i);
        vlist_free(cb->cv);
        g_free(cb->tops);
    }
    g_array_free(cells, TRUE);
    g_free(h);
    g_free(top);

    if (before != BREAK_AUTO) {
        vitem b = {.kind = VI_BREAK, .brk = before};
        if (st->first_group)
            g_array_insert_val(vl->items, st->table_start, b); /* before the table */
        else
            vlist_push(vl, b);
    }
    st->first_group = false;
    for (int r = 0; r < nrows; r++)
        if (rows[r]->id)
            vlist_push(vl, (vitem){.kind = VI_MARK_START, .id = rows[r]->id});
    push_group(f, vl, areas, total, rpen, cuts, styles, notes, note_y, frames);
    g_ptr_array_free(styles, TRUE);
    g_array_free(cuts, TRUE);
    if (next_keep > 0)
        vl->pending_keep = MAX(vl->pending_keep, next_keep);
    for (int r = 0; r < nrows; r++)
        if (rows[r]->id)
            vlist_push(vl, (vitem){.kind = VI_MARK_END, .id = rows[r]->id});
    st->after = after;
}

/* The rows of a table's header, body or footer, group by group; a break after a group goes
 * on the list before the next group (the last one's waits in st->after). */
static void table_part(formatter *f, vlist *vl, const wb_fo *part, table_cols *tc, part_state *st)
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
        if (st->after != BREAK_AUTO)
            vlist_push(vl, (vitem){.kind = VI_BREAK, .brk = st->after});
        st->after = BREAK_AUTO;
        table_rows(f, vl, (const wb_fo *const *)&rows->pdata[i], (int)(end - i), tc,
                   st->keep_rows && !first ? PEN_FORBIDDEN : 0, st);
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

void table_content(formatter *f, vlist *vl, const wb_fo *table, const refarea *ra)
{
    const wb_style *s = table->style;
    double left = content_left(ra, s), width = table_width(table, ra);
    /* a break before the first row goes before the table: before its frame (the start of
     * its background and borders, its id, its space) and those of blocks it begins */
    guint table_start = vl->items->len;
    while (table_start > 0) {
        vi_kind k = g_array_index(vl->items, vitem, table_start - 1).kind;
        if (k != VI_START && k != VI_MARK_START && k != VI_SPACE)
            break;
        table_start--;
    }
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
            part_state rst = {.keep_rows = true};
            table_part(f, tmp, parts[k], &tc, &rst);
            double base;
            double h = place_flat(f, tmp, k ? &rep->footer : &rep->header, &base);
            for (guint i = 0; k == 0 && i < tmp->items->len; i++) {
                const vitem *v = &g_array_index(tmp->items, vitem, i);
                for (guint n = 0; v->notes && n < v->notes->len; n++) {
                    if (!rep->header_notes.notes)
                        rep->header_notes = (vitem){.kind = VI_BOX, .notes = g_ptr_array_new(), .notes_h = -1};
                    g_ptr_array_add(rep->header_notes.notes, g_ptr_array_index(v->notes, n));
                }
            }
            *(k ? &rep->footer_h : &rep->header_h) = h;
            vlist_free(tmp);
        }
    }
    memset(tc.above, 0, (tc.n + 1) * sizeof *tc.above); /* the repeated rows looked at it */
    part_state hst = {.keep_rows = true};
    if (header) {
        table_part(f, vl, header, &tc, &hst);
        vl->pending_keep = MAX(vl->pending_keep, PEN_FORBIDDEN);
    }
    guint body_start = vl->items->len;
    part_state st = {.table_start = table_start, .first_group = true};
    for (const wb_fo *c = table->first; c; c = c->next)
        if (c->kind == FO_TABLE_BODY)
            table_part(f, vl, c, &tc, &st);
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
        part_state fst = {.keep_rows = true};
        table_part(f, vl, footer, &tc, &fst);
        guint fc = vlist_first_content(vl, before);
        if (fc != G_MAXUINT)
            g_array_index(vl->items, vitem, fc).pen = PEN_FORBIDDEN;
    }
    if (tc.sep_b > 0)
        vlist_push(vl, (vitem){.kind = VI_BOX, .h = tc.sep_b, .pen = PEN_FORBIDDEN}); /* below the last row */
    if (st.after != BREAK_AUTO)
        vlist_push(vl, (vitem){.kind = VI_BREAK, .brk = st.after}); /* the last row's break: after the table */
    g_free(tc.x);
    g_free(tc.w);
    g_free(tc.above);
    g_free(tc.col_style);
}


