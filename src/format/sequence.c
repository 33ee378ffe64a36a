/* Page-sequences: numbering (initial-page-number, format), the columns of the body, the
 * flow laid out block by block and paginated as it goes, footnotes left over, and
 * force-page-count. */
#include <stdlib.h>
#include <string.h>

#include "format/paginate.h"

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

/* Whether force-page-count wants a blank page after the sequence's last. */
static bool force_page_count(const seq_state *ss)
{
    const wb_fo *seq = ss->seq;
    const char *fpc = wb_fo_attr(seq, "force-page-count");
    const wb_fo *nextseq = seq->next;
    while (nextseq && nextseq->kind != FO_PAGE_SEQUENCE)
        nextseq = nextseq->next;
    int last = ss->number - 1;
    bool add = false;
    if (!fpc || !strcmp(fpc, "auto")) {
        /* end so that the next sequence's first page has the parity it asks for */
        const char *nip = nextseq ? wb_fo_attr(nextseq, "initial-page-number") : NULL;
        if (nip && !strcmp(nip, "auto-odd")) add = last % 2 == 1;
        else if (nip && !strcmp(nip, "auto-even")) add = last % 2 == 0;
        else if (nip && atoi(nip) > 0) add = (atoi(nip) % 2 == 0) ? last % 2 == 0 : last % 2 == 1;
    } else if (!strcmp(fpc, "even")) add = ss->index % 2 == 1;
    else if (!strcmp(fpc, "odd")) add = ss->index % 2 == 0;
    else if (!strcmp(fpc, "end-on-even")) add = last % 2 == 1;
    else if (!strcmp(fpc, "end-on-odd")) add = last % 2 == 0;
    return add;
}

void format_sequence(formatter *f, const wb_fo_tree *tree, const wb_fo *seq, int *next_number, int *doc_index,
                     const wb_page_sink *sink)
{
    seq_state ss = {.f = f, .tree = tree, .seq = seq, .sink = sink};
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
    markers_sequence_start(f->markers);
    const wb_fo *flow = wb_fo_child(seq, FO_FLOW);
    vlist *vl = vlist_new();
    refarea ra = {.x0 = 0, .width = ss.col_w};
    if (flow) {
        if (flow->id)
            vlist_push(vl, (vitem){.kind = VI_MARK_START, .id = flow->id});
        for (const wb_fo *c = flow->first; c; c = c->next) {
            if (ss.ncols > 1 && c->style && c->style->span_all) {
                /* across all the columns: balanced columns before it, new ones after */
                refarea full = {.x0 = 0, .width = ss.geo.body.w};
                vlist_push(vl, (vitem){.kind = VI_BREAK, .brk = BREAK_SPAN_START});
                layout_object(f, vl, c, &full);
                vlist_push(vl, (vitem){.kind = VI_BREAK, .brk = BREAK_SPAN_END});
            } else {
                layout_object(f, vl, c, &ra);
            }
            paginate(&ss, vl, false);
            if (wb_ctx_status(f->ctx) != WB_OK)
                break; /* past the page limit, or a page the sink refused: no more layout */
        }
    }
    if (seq->id)
        vlist_push(vl, (vitem){.kind = VI_MARK_END, .id = seq->id});
    paginate(&ss, vl, true);
    /* footnotes still waiting get pages of their own */
    if (ss.page_open)
        finish_page(&ss, false);
    for (int guard = 0; ss.notes_carried && guard < 100; guard++)
        emit_page(&ss, vl, 0, 0, false, true, true);
    if (ss.notes_carried)
        vlist_free(ss.notes_carried);
    if (force_page_count(&ss)) {
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


