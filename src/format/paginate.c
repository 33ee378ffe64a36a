/* The paginator: cuts the flow's vertical list into columns and pages at the cheapest
 * allowed break (keeps, widows and orphans, footnotes that must stay with their citation,
 * the ends of blocks that must fit), balances columns before a spanning block, and makes
 * each page (body, footnotes, regions) for the sink. */
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "format/paginate.h"

void page_columns(const geometry *g, int *ncols, double *col_w, double *col_gap)
{
    *ncols = 1;
    *col_w = g->body.w;
    *col_gap = 0;
    if (g->body_fo && g->body_fo->style->column_count > 1) {
        int n = g->body_fo->style->column_count;
        double gap = g->body_fo->style->column_gap;
        double w = (g->body.w - (n - 1) * gap) / n;
        if (w >= 10) {
            *ncols = n;
            *col_w = w;
            *col_gap = gap;
        }
    }
}

/* The master of the next page (not yet open), not blank, last or not. */
static const wb_fo *next_master(seq_state *ss, bool last)
{
    const wb_fo *spm = select_master(ss->f, ss->tree, ss->seq, ss->index, ss->number, false, last);
    return spm ? spm : ss->geo.spm;
}

/* The geometry of the next page (not last), made once for each page. */
static const geometry *next_geometry(seq_state *ss)
{
    if (ss->next_index != ss->index) {
        ss->next_geo = page_geometry(ss->f, next_master(ss, false));
        ss->next_index = ss->index;
    }
    return &ss->next_geo;
}

static double next_body_h(seq_state *ss) { return next_geometry(ss)->body.h; }

/* Starts the page the next columns go on, if none is started; its columns are its master's. */
static void open_page(seq_state *ss, bool blank, bool last)
{
    if (ss->page_open)
        return;
    formatter *f = ss->f;
    const wb_fo *spm = select_master(f, ss->tree, ss->seq, ss->index, ss->number, blank, last);
    if (!spm)
        spm = ss->geo.spm;
    ss->pg = page_geometry(f, spm);
    if (!blank)
        page_columns(&ss->pg, &ss->ncols, &ss->col_w, &ss->col_gap);
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

/* display-align on the region-body (XSL 1.1 §7.14.4): the page's flow content, as tall as
 * it came out, moved down to the middle or the foot of the body.  Only a body of one column
 * with no footnotes on the page (else the content stays at the top). */
static void align_body(seq_state *ss, const geometry *g)
{
    wb_display_align da = g->body_fo ? g->body_fo->style->display_align : DISPLAY_AUTO;
    if ((da != DISPLAY_CENTER && da != DISPLAY_AFTER) || !ss->pg_body || ss->pg_body->len == 0 ||
        ss->pg_notes->len > 0 || ss->notes_carried)
        return;
    int ncols;
    double col_w, col_gap;
    page_columns(g, &ncols, &col_w, &col_gap);
    double room = g->body.y + g->body.h - ss->pg_bottom;
    if (ncols > 1 || room <= 0)
        return;
    double dy = da == DISPLAY_CENTER ? room / 2 : room;
    for (guint i = 0; i < ss->pg_body->len; i++)
        g_array_index(ss->pg_body, wb_area, i).y += dy;
    ss->pg_bottom += dy;
}

void finish_page(seq_state *ss, bool blank)
{
    formatter *f = ss->f;
    bool within = within_page_limit(ss);
    geometry g = ss->pg;
    char *num = ss->pg_num;
    f->page_text = num;
    align_body(ss, &g);
    place_notes(ss, &g, ss->pg_notes, ss->pg_bottom, &ss->pg_body);
    g_ptr_array_free(ss->pg_notes, TRUE);
    if (ss->pg_bottom > g.body.y + g.body.h + 0.5 && !blank)
        wb_fo_warning(f->ctx, f->tree, ss->seq,
                      "page %s: content is %.1fpt taller than the body region (an unbreakable box does not fit)",
                      num, ss->pg_bottom - g.body.y - g.body.h);
    wb_page *page = g_new0(wb_page, 1);
    page->width = g.pw;
    page->height = g.ph;
    page->bleed = g.bleed;
    page->crop_offset = g.crop_offset;
    page->watermark = g.watermark;
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
    structure_page(f, page);
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
    p.shrink = ss->shrink;
    p.even = ss->number % 2 == 0;
    p.area_x = g.body.x;
    p.area_y = g.body.y;
    p.area_w = g.body.w;
    p.area_h = g.body.h;
    p.page_w = g.pw;
    p.page_h = g.ph;
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
                if (!g_ptr_array_find(ss->pg_notes, g_ptr_array_index(hn, k), NULL))
                    g_ptr_array_add(ss->pg_notes, g_ptr_array_index(hn, k)); /* once a page, not a column */
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

/* What an elastic measure adds up: the shrink of the spaces between content taken so far,
 * and the height the content up to the last item taken needs at its optimum (with the
 * footnotes, footers and block ends a break after it keeps on the page). */
typedef struct elastic {
    double shrink, need;
} elastic;

/* With `el`, an item fits when it would with the spaces before it shrunk to their minimum. */
static void measure(seq_state *ss, vlist *vl, guint from, guint to, double avail, bool continuing, guint *overflow,
                    guint *forced, guint *first_content_item, guint *inner, elastic *el)
{
    double y = 0, pending = 0, pend_shrink = 0, shrink = 0;
    if (el)
        el->shrink = el->need = 0;
    bool any = continuing;
    /* footnotes carried over take their room first */
    double fn_h = continuing && ss->notes_carried && !ss->notes_reserved
                      ? separator_height(ss) + vlist_height(ss->notes_carried) : 0;
    guint n = MIN(to, vl->items->len);
    *overflow = *forced = *first_content_item = *inner = G_MAXUINT;
    guint first_c = G_MAXUINT;
    /* the blocks open at each point, as the sums of the after padding and borders they
     * retain where a break cuts them (cut[k]: the k outermost); blocks carried from the last
     * page begin with what they retain before */
    GArray *cut = g_array_new(FALSE, TRUE, sizeof(double));
    double zero = 0;
    g_array_append_val(cut, zero);
    for (guint k = 0; continuing && from == 0 && ss->carried && k < ss->carried->len; k++) {
        const block_deco *d = &g_array_index(vl->decos, block_deco, g_array_index(ss->carried, open_box, k).deco);
        double c = g_array_index(cut, double, cut->len - 1) + d->retain_after;
        g_array_append_val(cut, c);
        y += d->retain_before;
    }
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
            if ((any || v->space.retain) && v->space.opt >= pending) {
                pend_shrink = v->space.opt > pending ? space_shrink(&v->space)
                                                     : MAX(pend_shrink, space_shrink(&v->space));
                pending = v->space.opt;
            }
            continue;
        }
        if (v->kind == VI_START) {
            y += pending + v->h;
            shrink += pend_shrink;
            pending = pend_shrink = 0;
            if (v->h > 0)
                any = true;
            double c = g_array_index(cut, double, cut->len - 1) +
                       g_array_index(vl->decos, block_deco, v->deco).retain_after;
            g_array_append_val(cut, c);
            continue;
        }
        if (v->kind == VI_END) {
            y += v->h;
            if (cut->len > 1)
                g_array_set_size(cut, cut->len - 1);
            continue;
        }
        if (!vitem_is_content(v))
            continue;
        if (first_c == G_MAXUINT && v->table && !v->row_first) {
            y += v->table->header_h; /* the header repeated above a continued table, its notes */
            double hn = ss->notes_reserved ? 0 : notes_height(ss, &v->table->header_notes);
            if (hn > 0)
                fn_h += (fn_h == 0 ? separator_height(ss) : 0) + hn;
        }
        y += pending + v->h;
        shrink += pend_shrink;
        pending = pend_shrink = 0;
        any = true;
        if (first_c == G_MAXUINT)
            first_c = i;
        double nh = ss->notes_reserved ? 0 : notes_height(ss, v);
        double sep = nh > 0 && fn_h == 0 ? separator_height(ss) : 0;
        double new_fn = nh > 0 ? fn_h + sep + nh : fn_h;
        double foot = v->table && !v->row_last ? v->table->footer_h : 0;
        /* a page ending after this item also holds the ends (padding, borders) of the
         * blocks that close right after it */
        guint ends = 0;
        for (guint j = i + 1; j < n; j++) {
            const vitem *w = &g_array_index(vl->items, vitem, j);
            if (vitem_is_content(w) || w->kind == VI_START || w->kind == VI_BREAK)
                break; /* (a space before a block's end does not count: the end follows) */
            if (w->kind == VI_END) {
                foot += w->h;
                ends++;
            }
        }
        /* ... and what the blocks still open after them retain at the cut */
        foot += g_array_index(cut, double, cut->len - 1 - MIN(ends, cut->len - 1));
        double give = el ? shrink : 0;
        if (y - give + new_fn + foot > avail + 0.01 && (i != first_c || (v->cuts && !el))) {
            /* a footnote may go on over the next page, if its first line stays here with the
             * line that cites it */
            if (i != first_c && nh > 0 && y - give + fn_h + sep + v->notes_first + foot <= avail + 0.01) {
                fn_h = MAX(new_fn, avail - y + give); /* this page is full now */
                continue;
            }
            /* a box that may be cut: the part that fits stays (with the footer of its table) */
            if (v->cuts && !el)
                *inner = inner_cut(v, avail - (y - v->h) - fn_h - (v->table ? v->table->footer_h : 0));
            if (i == first_c && *inner == G_MAXUINT) {
                fn_h = new_fn; /* nothing fits: the box overflows the column, as before */
                continue;
            }
            *overflow = i;
            break;
        }
        fn_h = new_fn;
        if (el) {
            el->shrink = shrink;
            el->need = y + new_fn + foot;
        }
    }
    *first_content_item = first_c;
    g_array_free(cut, TRUE);
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
    /* the ends of the blocks that close before the break stay in the column, also past the
     * spaces after their last lines (which the break discards): else their after padding
     * and borders would open the next column as an empty strip */
    guint cut = prev;
    for (guint i = prev; i < best; i++) {
        vi_kind k = g_array_index(vl->items, vitem, i).kind;
        if (k == VI_END || k == VI_MARK_END || k == VI_MARKED_END)
            cut = i + 1;
        else if (k != VI_SPACE)
            break;
    }
    return cut;
}

/* How many columns of height h items [from, to) need (stops counting past limit); from 0,
 * the first column holds what is carried over from the last page. */
static int columns_from(seq_state *ss, vlist *vl, guint from, guint to, double h, int limit)
{
    bool carried = from == 0;
    int cols = 0;
    while (from < to && cols <= limit) {
        guint overflow, forced, first_c, inner;
        measure(ss, vl, from, to, h, carried && cols == 0, &overflow, &forced, &first_c, &inner, NULL);
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

/* How many columns of height h the items before `to` need (stops counting past limit). */
static int columns_needed(seq_state *ss, vlist *vl, guint to, double h, int limit)
{
    return columns_from(ss, vl, 0, to, h, limit);
}

#define ELASTIC_WAIT (G_MAXUINT - 1)

/* The breaks of a page starting at item `from` (with `avail` of room) that are feasible
 * only by shrinking its spaces: those after its usual end (`cut`, before `overflow`) at
 * which what comes before fits with the spaces shrunk to their minimum, in order, into
 * cand (item indices) and ratio (the part of each space's shrink the page gives up).
 * Returns ELASTIC_WAIT when, not `final`, all that is laid out fits shrunk (the break may
 * come with what follows), else 0. */
static guint elastic_breaks(seq_state *ss, vlist *vl, guint from, guint first_c, guint overflow, guint cut,
                            double avail, bool continuing, bool final, GArray *cand, GArray *ratio)
{
    guint of, forced, fc, inner, n = vl->items->len;
    elastic el;
    measure(ss, vl, from, G_MAXUINT, avail, continuing, &of, &forced, &fc, &inner, &el);
    if (el.shrink <= 0)
        return 0;
    bool all = of == G_MAXUINT && forced == G_MAXUINT;
    if (all && !final)
        return ELASTIC_WAIT;
    guint lim = MIN(MIN(of, forced), n);
    for (guint i = overflow + 1; i <= lim; i++) {
        guint c = n; /* i == n: the end of the flow */
        if (i < n) {
            const vitem *v = &g_array_index(vl->items, vitem, i);
            if (!vitem_is_content(v) || v->pen >= PEN_FORBIDDEN)
                continue;
            c = choose_cut(vl, first_c, i, G_MAXUINT, true, NULL);
        } else if (!all)
            break;
        if (c <= cut || (cand->len && c <= g_array_index(cand, guint, cand->len - 1)))
            continue;
        measure(ss, vl, from, c, avail, continuing, &of, &forced, &fc, &inner, &el);
        if (of != G_MAXUINT || forced != G_MAXUINT || el.shrink <= 0)
            break;
        double r = CLAMP((el.need - avail) / el.shrink, 0, 1);
        g_array_append_val(cand, c);
        g_array_append_val(ratio, r);
    }
    return 0;
}

/* Whether a page of height h starting at item `from` can end at a feasible break: it holds
 * the rest of the flow (the last page), ends at a forced break, or has a break feasible by
 * shrinking its spaces.  1 yes, 0 no (it ends too short), -1 not known yet (not `final`). */
static int page_feasible(seq_state *ss, vlist *vl, guint from, double h, bool final)
{
    guint of, forced, fc, inner;
    measure(ss, vl, from, G_MAXUINT, h, false, &of, &forced, &fc, &inner, NULL);
    if (of == G_MAXUINT)
        return forced != G_MAXUINT || final ? 1 : -1;
    guint cut = choose_cut(vl, fc, of, inner, true, NULL);
    GArray *cand = g_array_new(FALSE, FALSE, sizeof(guint)), *ratio = g_array_new(FALSE, FALSE, sizeof(double));
    guint st = elastic_breaks(ss, vl, from, fc, of, cut, h, false, final, cand, ratio);
    int res = st == ELASTIC_WAIT ? -1 : cand->len > 0;
    g_array_free(cand, TRUE);
    g_array_free(ratio, TRUE);
    return res;
}

/* Where a page that overflows at `overflow` (its usual end: `cut`) ends when its spaces may
 * shrink, as in Apache FOP's page breaker: a space given only an .optimum keeps the
 * initial minimum and maximum (0pt; XSL 1.1 §7.10.5), which §5.11 takes as the optimum
 * for the maximum only, so it may shrink to nothing.  FOP's total fit takes feasible
 * breaks, and of them those that shrink least: the first break feasible by shrinking,
 * unless the page after it could only end too short (or too full) while the page after a
 * later one can end at a feasible break (the flow's end, a forced break, or a shrink of
 * its own); never the break that packs the page tightest.  *shrink gets the part of each
 * space's shrink the page gives up.  G_MAXUINT: no break feasible, the usual one stays;
 * ELASTIC_WAIT: the choice depends on content not yet laid out (not `final`). */
static guint elastic_cut(seq_state *ss, vlist *vl, guint first_c, guint overflow, guint cut, double avail,
                         bool continuing, bool final, double *shrink)
{
    GArray *cand = g_array_new(FALSE, FALSE, sizeof(guint)), *ratio = g_array_new(FALSE, FALSE, sizeof(double));
    guint best = elastic_breaks(ss, vl, 0, first_c, overflow, cut, avail, continuing, final, cand, ratio);
    if (best != ELASTIC_WAIT && cand->len) {
        guint k = 0;
        double h = next_body_h(ss);
        for (guint j = 0; cand->len > 1 && j < cand->len; j++) {
            int f = page_feasible(ss, vl, g_array_index(cand, guint, j), h, final);
            if (f < 0) {
                k = G_MAXUINT;
                break;
            }
            if (f > 0) {
                k = j;
                break;
            }
        }
        if (k == G_MAXUINT) {
            best = ELASTIC_WAIT;
        } else {
            best = g_array_index(cand, guint, k);
            *shrink = g_array_index(ratio, double, k);
        }
    } else if (best != ELASTIC_WAIT) {
        best = G_MAXUINT;
    }
    g_array_free(cand, TRUE);
    g_array_free(ratio, TRUE);
    return best;
}

/* The height of the footnotes cited in the items that `left` columns of height h, from the
 * top of the list, would hold (measured as the page's notes have their room already). */
static double notes_in_columns(seq_state *ss, vlist *vl, double h, int left, bool continuing)
{
    guint from = 0, n = vl->items->len;
    double sum = 0;
    /* the notes counted: a table header repeated in the next column cites its notes again,
     * which go on the page once */
    GPtrArray *seen = g_ptr_array_new();
    for (int c = 0; c < left && from < n; c++) {
        guint overflow, forced, first_c, inner;
        measure(ss, vl, from, n, h, continuing && c == 0, &overflow, &forced, &first_c, &inner, NULL);
        guint end = overflow == G_MAXUINT ? n : choose_cut(vl, first_c, overflow, inner, true, NULL);
        if (forced != G_MAXUINT)
            end = forced;
        for (guint i = from; i < end; i++) {
            vitem *v = &g_array_index(vl->items, vitem, i);
            const GPtrArray *hn = v->table ? v->table->header_notes.notes : NULL;
            if (i == first_c && !v->row_first && hn && hn->len > 0) {
                const void *first = g_ptr_array_index(hn, 0);
                if (!g_ptr_array_find(seen, first, NULL) &&
                    !(ss->page_open && g_ptr_array_find(ss->pg_notes, first, NULL))) {
                    sum += notes_height(ss, &v->table->header_notes);
                    g_ptr_array_extend(seen, (GPtrArray *)hn, NULL, NULL);
                }
            }
            if (v->notes) {
                sum += notes_height(ss, v);
                g_ptr_array_extend(seen, v->notes, NULL, NULL);
            }
        }
        if (forced != G_MAXUINT && g_array_index(vl->items, vitem, forced).brk == BREAK_COLUMN)
            end = forced + 1;
        else if (forced != G_MAXUINT || overflow == G_MAXUINT || end <= from)
            break;
        from = end;
    }
    g_ptr_array_free(seen, TRUE);
    return sum;
}

/* The room the footnotes of a page take when its `left` columns are h high: the separator,
 * the notes already `placed` on it and those the columns cite; 0 when there are none. */
static double notes_room_at(seq_state *ss, vlist *vl, double h, int left, bool continuing, double placed,
                            double sep)
{
    double cited = placed + notes_in_columns(ss, vl, h, left, continuing);
    return cited > 0 ? sep + cited : 0;
}

/* The room at the foot of a page of columns that its footnotes take (XSL 1.1 §6.10.3: they
 * go in the region-body's footnote area, across the whole body, under all the columns): the
 * notes carried from the last page, those cited in the page's columns already set, and those
 * the `left` columns still to set will cite, under the separator.  The columns are shortened
 * until all of these fit under them, so that a note cited in a later column finds its room
 * on the page as one cited in the first does.  Returns that room (0 when the page has no
 * notes, `avail` when those already on it fill it) and leaves ss->notes_reserved set when it
 * is not 0.  When not even the shortest columns leave room for the notes (a note taller than
 * the page), returns 0: each column then weighs its own notes, which may go on over the
 * next page. */
static double column_notes_room(seq_state *ss, vlist *vl, double avail, int left, bool continuing)
{
    ss->notes_reserved = false;
    bool any = ss->notes_carried || (ss->page_open && ss->pg_notes->len > 0);
    for (guint i = 0; !any && i < vl->items->len; i++)
        any = g_array_index(vl->items, vitem, i).notes != NULL;
    if (!any)
        return 0;
    double placed = (ss->notes_carried ? vlist_height(ss->notes_carried) : 0) +
                    (ss->page_open ? notes_list_height(ss, ss->pg_notes) : 0);
    double sep = separator_height(ss);
    ss->notes_reserved = true;
    double hi = avail - (placed > 0 ? sep + placed : 0);
    if (hi < 0.01)
        return avail; /* the notes already there fill the page: no room for another column */
    double room = notes_room_at(ss, vl, hi, left, continuing, placed, sep);
    if (hi + room <= avail + 0.01) {
        if (room == 0)
            ss->notes_reserved = false;
        return room;
    }
    double lo = 0;
    if (lo + notes_room_at(ss, vl, lo, left, continuing, placed, sep) > avail + 0.01) {
        ss->notes_reserved = false;
        return 0;
    }
    for (int it = 0; it < 18; it++) {
        double mid = (lo + hi) / 2;
        if (mid + notes_room_at(ss, vl, mid, left, continuing, placed, sep) <= avail + 0.01)
            lo = mid;
        else
            hi = mid;
    }
    return avail - lo;
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
        measure(ss, vl, 0, to, hi + 0.02, false, &of, &fc, &first, &inner, NULL);
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

void layout_flow_child(seq_state *ss, vlist *vl, const wb_fo *c)
{
    guint start = vl->items->len;
    if (ss->lay_ncols > 1 && c->style && c->style->span_all) {
        /* across all the columns: balanced columns before it, new ones after */
        refarea full = {.x0 = 0, .width = ss->lay_body_w};
        vlist_push(vl, (vitem){.kind = VI_BREAK, .brk = BREAK_SPAN_START});
        layout_object(ss->f, vl, c, &full);
        vlist_push(vl, (vitem){.kind = VI_BREAK, .brk = BREAK_SPAN_END});
    } else {
        refarea ra = {.x0 = 0, .width = ss->lay_w};
        layout_object(ss->f, vl, c, &ra);
    }
    for (guint i = start; i < vl->items->len; i++)
        g_array_index(vl->items, vitem, i).src = c;
    ss->last_laid = c;
}

/* Lays child `part`, begun on an earlier page, out again after the list's items [first, L)
 * (its pending items and those of the children after it), going on from its first pending
 * line: the paragraph of that line from where the line starts.  On success the child's new
 * items, from that point, replace items [first, L), the blocks carried from the last page
 * take the child's new frames, and it returns true; else the list is as it was. */
static bool resume_child(seq_state *ss, vlist *vl, const wb_fo *part, guint first, guint L)
{
    GArray *items = vl->items;
    guint fc = first;
    while (fc < L && !vitem_is_content(&g_array_index(items, vitem, fc)))
        fc++;
    if (fc >= L || g_array_index(items, vitem, fc).src != part)
        return false;
    const vitem *v = &g_array_index(items, vitem, fc);
    if (v->kind != VI_LINE || !v->pblock)
        return false;
    guint k = fc - first; /* items before its first line that are still to be placed */
    vl->resume_block = v->pblock;
    vl->resume_from = v->pfrom;
    vl->resume_off = v->poff;
    vl->resume_at = G_MAXUINT;
    int keep = vl->pending_keep;
    vl->pending_keep = 0;
    layout_flow_child(ss, vl, part);
    vl->resume_block = vl->resume_from = NULL;
    guint r = vl->resume_at, M2 = items->len;
    /* the frames open where the new items resume must be those carried over */
    GArray *stack = g_array_new(FALSE, FALSE, sizeof(int));
    bool ok = r != G_MAXUINT && r >= L + k;
    for (guint i = L; ok && i < r - k; i++) {
        const vitem *w = &g_array_index(items, vitem, i);
        if (w->kind == VI_START)
            g_array_append_val(stack, w->deco);
        else if (w->kind == VI_END && stack->len)
            g_array_set_size(stack, stack->len - 1);
    }
    guint carried = ss->carried ? ss->carried->len : 0;
    ok = ok && stack->len == carried;
    if (!ok) {
        for (guint i = L; i < M2; i++)
            vitem_clear(&g_array_index(items, vitem, i));
        g_array_set_size(items, L);
        vl->pending_keep = keep;
        g_array_free(stack, TRUE);
        return false;
    }
    for (guint i = 0; i < carried; i++)
        g_array_index(ss->carried, open_box, i).deco = g_array_index(stack, int, i);
    g_array_free(stack, TRUE);
    for (guint i = first; i < r - k; i++)
        vitem_clear(&g_array_index(items, vitem, i));
    g_array_remove_range(items, first, r - k - first);
    return true;
}

/* Lays the pending content out again for a page of geometry g when its columns are of
 * another width: the flow's children not yet begun from scratch, one begun on an earlier
 * page from its first line not placed (else as it is).  What follows the last child (the
 * sequence's id) stays at the end. */
static void relayout(seq_state *ss, vlist *vl, const geometry *g)
{
    int ncols;
    double col_w, gap;
    page_columns(g, &ncols, &col_w, &gap);
    if (fabs(col_w - ss->lay_w) < 0.01 && ncols == ss->lay_ncols)
        return;
    ss->lay_w = col_w;
    ss->lay_ncols = ncols;
    ss->lay_body_w = g->body.w;
    GArray *items = vl->items;
    guint first = 0, last = G_MAXUINT;
    while (first < items->len && !g_array_index(items, vitem, first).src)
        first++;
    for (guint i = first; i < items->len; i++)
        if (g_array_index(items, vitem, i).src)
            last = i;
    if (first >= items->len || !ss->last_laid)
        return;
    const wb_fo *part = g_array_index(items, vitem, first).src, *end = ss->last_laid, *from = part;
    /* the items after the last child's, set aside */
    GArray *tail = g_array_new(FALSE, TRUE, sizeof(vitem));
    g_array_append_vals(tail, &g_array_index(items, vitem, last + 1), items->len - last - 1);
    g_array_set_size(items, last + 1);
    guint keep = first; /* the items kept: those before the children laid out again */
    if (part == vl->dropped_src) {
        /* begun on an earlier page: its new items (or else its old ones) are kept */
        bool resumed = resume_child(ss, vl, part, first, items->len);
        while (keep < items->len && g_array_index(items, vitem, keep).src == part)
            keep++;
        from = part->next;
        if (!resumed)
            vl->pending_keep = part->style && part->style->keep_with_next > 0 ? keep_penalty(part->style->keep_with_next) : 0;
    } else {
        const wb_fo *prev = part->parent ? part->parent->first : NULL;
        while (prev && prev->next != part)
            prev = prev->next;
        vl->pending_keep = prev && prev->style && prev->style->keep_with_next > 0 ? keep_penalty(prev->style->keep_with_next) : 0;
    }
    for (guint i = keep; i < items->len; i++)
        vitem_clear(&g_array_index(items, vitem, i));
    g_array_set_size(items, keep);
    if (from && part != end) {
        for (const wb_fo *c = from; c; c = c->next) {
            layout_flow_child(ss, vl, c);
            if (c == end)
                break;
        }
    }
    ss->last_laid = end;
    g_array_append_vals(items, tail->data, tail->len);
    g_array_free(tail, TRUE);
}

bool forced_blank_after(const seq_state *ss, int pages, int next_number)
{
    const wb_fo *seq = ss->seq;
    const char *fpc = wb_fo_attr(seq, "force-page-count");
    const wb_fo *nextseq = seq->next;
    while (nextseq && nextseq->kind != FO_PAGE_SEQUENCE)
        nextseq = nextseq->next;
    int last = next_number - 1;
    bool add = false;
    if (!fpc || !strcmp(fpc, "auto")) {
        /* end so that the next sequence's first page has the parity it asks for */
        const char *nip = nextseq ? wb_fo_attr(nextseq, "initial-page-number") : NULL;
        if (nip && !strcmp(nip, "auto-odd")) add = last % 2 == 1;
        else if (nip && !strcmp(nip, "auto-even")) add = last % 2 == 0;
        else if (nip && atoi(nip) > 0) add = (atoi(nip) % 2 == 0) ? last % 2 == 0 : last % 2 == 1;
    } else if (!strcmp(fpc, "even")) add = pages % 2 == 1;
    else if (!strcmp(fpc, "odd")) add = pages % 2 == 0;
    else if (!strcmp(fpc, "end-on-even")) add = last % 2 == 1;
    else if (!strcmp(fpc, "end-on-odd")) add = last % 2 == 0;
    return add;
}

/* Whether the next page (not open) would take another master if it were the last, and if
 * so the geometry of that master in *lg. */
static bool last_master_differs(seq_state *ss, geometry *lg)
{
    const wb_fo *normal = next_master(ss, false), *last = next_master(ss, true);
    if (normal == last)
        return false;
    *lg = page_geometry(ss->f, last);
    return true;
}

/* Whether items [0, n) hold a break that ends a page or column, or a spanning block: then
 * they are not simply the content of one page. */
static bool has_breaks(vlist *vl, guint n)
{
    bool content = false;
    for (guint i = 0; i < n; i++) {
        const vitem *v = &g_array_index(vl->items, vitem, i);
        if (v->kind == VI_BREAK && (content || v->brk >= BREAK_SPAN_START))
            return true;
        content = content || vitem_is_content(v);
    }
    return false;
}

/* Whether items [0, to) fit on one page of geometry g, in its columns. */
static bool fits_page(seq_state *ss, vlist *vl, guint to, const geometry *g)
{
    int ncols;
    double w, gap;
    page_columns(g, &ncols, &w, &gap);
    return columns_needed(ss, vl, to, g->body.h, ncols) <= ncols;
}

/* At the end of the flow, before the page the rest goes on is opened: when the sequence's
 * last page takes a master of its own (page-position="last" or "only"), the rest goes on a
 * page of that master if it fits there whole; else it goes on as usual, and an empty page
 * of the last master follows (FOP's behaviour). */
static void choose_last_page(seq_state *ss, vlist *vl, guint n)
{
    geometry lg, ng;
    if (ss->page_open || ss->not_last || ss->spanning || has_breaks(vl, n) || !last_master_differs(ss, &lg))
        return;
    ng = *next_geometry(ss);
    int ncols;
    double w, gap;
    page_columns(&ng, &ncols, &w, &gap);
    if (n > 0 && columns_needed(ss, vl, n, ng.body.h, ncols) > ncols)
        return; /* more than one page still: not the last one yet */
    if (forced_blank_after(ss, ss->index + 1, ss->number + 1)) {
        /* force-page-count adds the last page, a blank one */
        ss->not_last = true;
        return;
    }
    /* on the last master the rest is laid out at its width (if other) */
    relayout(ss, vl, &lg);
    if (fits_page(ss, vl, vl->items->len, &lg)) {
        open_page(ss, false, true);
        return;
    }
    relayout(ss, vl, &ng);
    /* FOP adds the page of the last master, not that of the only one: the single page then
     * keeps the master it would have without the condition */
    const wb_fo *alt;
    select_master_alt(ss->f, ss->tree, ss->seq, ss->index, ss->number, false, true, &alt);
    const char *pp = alt ? wb_fo_attr(alt, "page-position") : NULL;
    ss->add_last = !(pp && !strcmp(pp, "only"));
    ss->not_last = true;
}

void paginate(seq_state *ss, vlist *vl, bool final)
{
    for (;;) {
        ss->notes_reserved = false;
        if (!final && vl->open_keeps > 0)
            return;
        if (!ss->page_open)
            relayout(ss, vl, next_geometry(ss));
        if (final)
            choose_last_page(ss, vl, vl->items->len);
        else if (!ss->page_open && ss->ncols > 1 && !ss->spanning && !has_breaks(vl, vl->items->len)) {
            /* the columns of a page that may turn out to be the last wait until the page is
             * known to be full: the last page may take another master */
            geometry lg, ng;
            if (last_master_differs(ss, &lg)) {
                ng = *next_geometry(ss);
                int ncols;
                double w, gap;
                page_columns(&ng, &ncols, &w, &gap);
                if (columns_needed(ss, vl, vl->items->len, ng.body.h, ncols) <= ncols)
                    return;
            }
        }
        double avail = ss->page_open ? ss->pg.body.y + ss->pg.body.h - ss->band_top : next_body_h(ss);
        guint overflow, forced, first_c, inner;
        bool continuing = (ss->carried && ss->carried->len > 0) || ss->notes_carried;
        int band_cols = ss->page_open ? ss->ncols : ss->lay_ncols;
        int left = band_cols - (ss->page_open ? ss->col : 0);
        /* columns make room for the footnotes of the whole page, cited in any of them */
        if (band_cols > 1 && !ss->spanning && !ss->balancing) {
            avail -= column_notes_room(ss, vl, avail, left, continuing);
            if (avail < 0.01 && ss->page_open && ss->col > 0) {
                /* a note taller than the rest of the page, cited in an earlier column: the
                 * page ends there, as a page of one column would */
                finish_page(ss, false);
                continue;
            }
        }
        measure(ss, vl, 0, G_MAXUINT, avail, continuing, &overflow, &forced, &first_c, &inner, NULL);
        guint n = vl->items->len;
        /* a span marker at the very top of the list is not skipped as a page break would be */
        if (n > 0 && g_array_index(vl->items, vitem, 0).kind == VI_BREAK &&
            g_array_index(vl->items, vitem, 0).brk >= BREAK_SPAN_START)
            forced = 0;
        if (forced != G_MAXUINT) {
            wb_break b = g_array_index(vl->items, vitem, forced).brk;
            if (b == BREAK_SPAN_START) {
                ss->notes_reserved = false;
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
                emit_page(ss, vl, 0, n, false, !ss->not_last, true);
                vlist_drop(vl, n);
            }
            ss->notes_reserved = false;
            return;
        }
        /* more than a column before a block that spans the columns: when the columns left
         * in this band hold it all, it is balanced over them (XSL 1.1 §6.4.14, as FOP does)
         * rather than filling this column first; and while such a block may still come,
         * what they can hold waits, as a column once set could not be balanced */
        if (!ss->spanning && left > 1) {
            guint next_break = overflow;
            while (next_break < n && g_array_index(vl->items, vitem, next_break).kind != VI_BREAK)
                next_break++;
            if (next_break < n && g_array_index(vl->items, vitem, next_break).brk == BREAK_SPAN_START &&
                columns_needed(ss, vl, next_break, avail, left) <= left) {
                ss->notes_reserved = false;
                balance_columns(ss, vl, next_break);
                vlist_drop(vl, 1);
                ss->spanning = true;
                continue;
            }
            if (!final && next_break == n && columns_needed(ss, vl, n, avail, left) <= left) {
                ss->notes_reserved = false;
                return;
            }
        }
        guint cut = choose_cut(vl, first_c, overflow, inner, false, NULL);
        if (inner == G_MAXUINT && !ss->spanning && band_cols == 1) {
            guint ec = elastic_cut(ss, vl, first_c, overflow, cut, avail, continuing, final, &ss->shrink);
            if (ec == ELASTIC_WAIT)
                return;
            if (ec != G_MAXUINT)
                cut = ec;
        }
        /* a spanning block that overflows goes on at the top of the next page */
        emit_page(ss, vl, 0, cut, false, false, ss->spanning);
        ss->shrink = 0;
        vlist_drop(vl, cut);
        /* spaces at the top of the next column are discarded when placed */
    }
}


