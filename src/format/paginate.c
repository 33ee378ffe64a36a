/* The paginator: cuts the flow's vertical list into columns and pages at the cheapest
 * allowed break (keeps, widows and orphans, footnotes that must stay with their citation,
 * the ends of blocks that must fit), balances columns before a spanning block, and makes
 * each page (body, footnotes, regions) for the sink. */
#include <limits.h>

#include "format/paginate.h"

/* Starts the page the next columns go on, if none is started. */
static void open_page(seq_state *ss, bool blank, bool last)
{
    if (ss->page_open)
        return;
    formatter *f = ss->f;
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

/* Whether the page about to be finished is within the context's page limit; the first
 * page past it is an error (the pages after it are counted, not drawn nor handed on). */
static bool within_page_limit(seq_state *ss)
{
    wb_ctx *ctx = ss->f->ctx;
    if (!wb_ctx_over_limit(ctx, WB_LIMIT_PAGES, (unsigned long long)ss->doc_index + 1))
        return true;
    if (wb_ctx_status(ctx) == WB_OK)
        wb_fo_error(ctx, ss->f->tree, ss->seq,
                    "the document has more than %llu pages (the limit: --max-pages or %s raise it)",
                    wb_ctx_limit(ctx, WB_LIMIT_PAGES), wb_limit_env(WB_LIMIT_PAGES));
    return false;
}

void finish_page(seq_state *ss, bool blank)
{
    formatter *f = ss->f;
    bool within = within_page_limit(ss);
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
    if (within)
        draw_region(f, ss, &g, -1, &all);
    g_array_append_vals(all, ss->pg_body->data, ss->pg_body->len);
    g_array_free(ss->pg_body, TRUE);
    for (int r = 0; r < 4 && within; r++)
        draw_region(f, ss, &g, r, &all);
    page->count = all->len;
    page->cap = all->len;
    page->areas = (wb_area *)g_array_free(all, FALSE);
    f->page_text = NULL;
    double t0 = wb_clock();
    if (within && ss->sink && ss->sink->page(ss->sink->data, page) != WB_OK && wb_ctx_status(f->ctx) == WB_OK)
        wb_error(f->ctx, WB_ERR_INTERNAL, f->file, 0, 0, "page %s could not be handed on", num);
    f->sink_seconds += wb_clock() - t0;
    wb_page_free(page);
    markers_page_done(f->markers);
    ss->page_open = false;
    ss->index++;
    ss->number++;
    ss->doc_index++;
}

void emit_page(seq_state *ss, vlist *vl, guint from, guint to, bool blank, bool last, bool end_page)
{
    formatter *f = ss->f;
    open_page(ss, blank, last);
    geometry g = ss->pg;
    f->page_text = ss->pg_num;
    double x = ss->spanning ? g.body.x : g.body.x + ss->col * (ss->col_w + ss->col_gap);
    placer p = placer_start(f, vl, &ss->pg_body, x, ss->band_top, true);
    p.even = ss->number % 2 == 0;
    /* blocks continued from the previous page or column */
    for (guint i = 0; ss->carried && i < ss->carried->len; i++)
        place_block_open(&p, g_array_index(ss->carried, open_box, i).deco, true);
    guint first_c = G_MAXUINT, last_c = G_MAXUINT;
    for (guint i = from; i < to; i++)
        if (vitem_is_content(&g_array_index(vl->items, vitem, i))) {
            if (first_c == G_MAXUINT)
                first_c = i;
            last_c = i;
        }
    for (guint i = from; i < to; i++) {
        vitem *v = &g_array_index(vl->items, vitem, i);
        if (i == first_c && v->table && !v->row_first && v->table->header) {
            /* a table going on from the previous page: its header again */
            place_item(&p, &(vitem){.kind = VI_BOX, .h = v->table->header_h, .areas = v->table->header});
            const GPtrArray *hn = v->table->header_notes.notes;
            for (guint k = 0; hn && k < hn->len; k++)
                g_ptr_array_add(ss->pg_notes, g_ptr_array_index(hn, k));
        }
        place_item(&p, v);
        if (v->notes)
            for (guint k = 0; k < v->notes->len; k++)
                g_ptr_array_add(ss->pg_notes, g_ptr_array_index(v->notes, k));
        if (i == last_c && v->table && !v->row_last && v->table->footer && !last)
            place_item(&p, &(vitem){.kind = VI_BOX, .h = v->table->footer_h, .areas = v->table->footer});
    }
    /* close what goes on, to be continued in the next column or page */
    GArray *carry = g_array_new(FALSE, TRUE, sizeof(open_box));
    g_array_append_vals(carry, p.open->data, p.open->len);
    placer_end(&p, false);
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

/* Measures items from `from` on as a column of height `avail` would take them: the first
 * item that does not fit (overflow), or a forced break, and the first content item. */
/* The cut inside a box (a table's row group) that a column with `room` left above the box's
 * top would end at: the cheapest that fits with what it retains, the latest on ties;
 * G_MAXUINT when none fits. */
static guint inner_cut(const vitem *v, double room)
{
    guint best = G_MAXUINT;
    int best_pen = INT_MAX;
    for (guint k = 0; v->cuts && k < v->cuts->at->len; k++) {
        const box_cut *c = &g_array_index(v->cuts->at, box_cut, k);
        if (c->y + c->after > room + 0.01)
            continue; /* (what a cut retains may make a later one fit no better) */
        if (c->pen <= best_pen) {
            best_pen = c->pen;
            best = k;
        }
    }
    return best;
}

static void measure(seq_state *ss, vlist *vl, guint from, guint to, double avail, bool continuing, guint *overflow,
                    guint *forced, guint *first_content_item, guint *inner)
{
    double y = 0, pending = 0;
    bool any = continuing;
    /* footnotes carried over take their room first */
    double fn_h = continuing && ss->notes_carried ? separator_height(ss) + vlist_height(ss->notes_carried) : 0;
    guint n = MIN(to, vl->items->len);
    *overflow = *forced = *first_content_item = *inner = G_MAXUINT;
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
        if (!vitem_is_content(v))
            continue;
        if (first_c == G_MAXUINT && v->table && !v->row_first) {
            y += v->table->header_h; /* the header repeated above a continued table, its notes */
            double hn = notes_height(ss, &v->table->header_notes);
            if (hn > 0)
                fn_h += (fn_h == 0 ? separator_height(ss) : 0) + hn;
        }
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
            if (vitem_is_content(w) || w->kind == VI_START || w->kind == VI_BREAK)
                break; /* (a space before a block's end does not count: the end follows) */
            if (w->kind == VI_END)
                foot += w->h;
        }
        if (y + new_fn + foot > avail + 0.01 && (i != first_c || v->cuts)) {
            /* a footnote may go on over the next page, if its first line stays here with the
             * line that cites it */
            if (i != first_c && nh > 0 && y + fn_h + sep + v->notes_first + foot <= avail + 0.01) {
                fn_h = MAX(new_fn, avail - y); /* this page is full now */
                continue;
            }
            /* a box that may be cut: the part that fits stays (with the footer of its table) */
            if (v->cuts)
                *inner = inner_cut(v, avail - (y - v->h) - fn_h - (v->table ? v->table->footer_h : 0));
            if (i == first_c && *inner == G_MAXUINT) {
                fn_h = new_fn; /* nothing fits: the box overflows the column, as before */
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
static guint choose_cut(vlist *vl, guint first_c, guint overflow, guint inner, bool dry, guint *grew)
{
    guint best = overflow;
    int best_pen = INT_MAX;
    if (grew)
        *grew = 0;
    for (guint i = overflow; i > first_c; i--) {
        vitem *v = &g_array_index(vl->items, vitem, i);
        if (!vitem_is_content(v))
            continue;
        if (v->pen < best_pen) {
            best_pen = v->pen;
            best = i;
            if (v->pen == 0)
                break;
        }
    }
    if (inner != G_MAXUINT) {
        /* the overflowing box cut inside, when that costs no more than the best break before
         * it (a fuller column on ties); a dry run (counting columns) breaks before it */
        const vitem *ov = &g_array_index(vl->items, vitem, overflow);
        if (g_array_index(ov->cuts->at, box_cut, inner).pen <= best_pen) {
            if (dry)
                return MAX(overflow, first_c + 1);
            vlist_split_box(vl, overflow, inner);
            if (grew)
                *grew = 1;
            return overflow + 1;
        }
    }
    if (best_pen >= PEN_FORBIDDEN)
        best = overflow; /* nothing allowed: break where the column is full */
    guint prev = best;
    while (prev > 0 && !vitem_is_content(&g_array_index(vl->items, vitem, prev - 1)))
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
        guint overflow, forced, first_c, inner;
        measure(ss, vl, from, to, h, cols == 0, &overflow, &forced, &first_c, &inner);
        cols++;
        if (overflow == G_MAXUINT)
            break;
        guint cut = choose_cut(vl, first_c, overflow, inner, true, NULL);
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
        guint of, fc, first, inner, grew = 0;
        measure(ss, vl, 0, to, hi + 0.02, false, &of, &fc, &first, &inner);
        guint cut = of == G_MAXUINT || c == left - 1 ? to : choose_cut(vl, first, of, inner, false, &grew);
        to += grew;
        double top = ss->band_top;
        ss->pg_bottom = top;
        emit_page(ss, vl, 0, cut, false, false, false);
        band_bottom = MAX(band_bottom, ss->pg_bottom);
        vlist_drop(vl, cut);
        to -= cut;
        ss->band_top = top;
    }
    ss->balancing = false;
    ss->band_top = band_bottom;
    ss->col = 0;
}

void paginate(seq_state *ss, vlist *vl, bool final)
{
    for (;;) {
        if (!final && vl->open_keeps > 0)
            return;
        double avail = ss->page_open ? ss->pg.body.y + ss->pg.body.h - ss->band_top : ss->geo.body.h;
        guint overflow, forced, first_c, inner;
        bool continuing = (ss->carried && ss->carried->len > 0) || ss->notes_carried;
        measure(ss, vl, 0, G_MAXUINT, avail, continuing, &overflow, &forced, &first_c, &inner);
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
                    vlist_drop(vl, forced);
                }
                vlist_drop(vl, 1);
                ss->spanning = true;
                continue;
            }
            if (b == BREAK_SPAN_END) {
                if (forced > 0)
                    emit_page(ss, vl, 0, forced, false, false, false);
                vlist_drop(vl, forced + 1);
                ss->spanning = false;
                continue;
            }
            /* a forced break: this column (or page) ends before it, with the ends of the
             * blocks that close right after it (a table's last row with break-after, a
             * block's last child): their after edges stay on this page */
            while (forced + 1 < n) {
                vitem *nx = &g_array_index(vl->items, vitem, forced + 1);
                if (nx->kind != VI_END && nx->kind != VI_MARK_END && nx->kind != VI_MARKED_END)
                    break;
                vitem tmp = *nx;
                *nx = g_array_index(vl->items, vitem, forced);
                g_array_index(vl->items, vitem, forced) = tmp;
                forced++;
            }
            emit_page(ss, vl, 0, forced, false, false, b != BREAK_COLUMN);
            vlist_drop(vl, forced + 1);
            break_parity(ss, vl, b);
            continue;
        }
        if (overflow == G_MAXUINT) {
            if (final && (n > 0 || ss->index == 0 || ss->page_open)) {
                emit_page(ss, vl, 0, n, false, true, true);
                vlist_drop(vl, n);
            }
            return;
        }
        guint cut = choose_cut(vl, first_c, overflow, inner, false, NULL);
        /* a spanning block that overflows goes on at the top of the next page */
        emit_page(ss, vl, 0, cut, false, false, ss->spanning);
        vlist_drop(vl, cut);
        /* spaces at the top of the next column are discarded when placed */
    }
}


