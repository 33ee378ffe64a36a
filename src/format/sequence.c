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
    ss.next_index = -1;
    page_columns(&ss.geo, &ss.ncols, &ss.col_w, &ss.col_gap);
    if (ss.geo.body_fo && ss.geo.body_fo->style->column_count > ss.ncols)
        wb_fo_warning(f->ctx, f->tree, ss.geo.body_fo, "%d columns leave no room: one column is used",
                      ss.geo.body_fo->style->column_count);
    if (wb_ctx_status(f->ctx) != WB_OK)
        return;
    markers_sequence_start(f->markers);
    const wb_fo *flow = wb_fo_child(seq, FO_FLOW);
    vlist *vl = vlist_new();
    ss.lay_w = ss.col_w;
    ss.lay_body_w = ss.geo.body.w;
    ss.lay_ncols = ss.ncols;
    if (flow && ss.geo.body_fo) {
        /* a flow named for no region-body (FOP's strict validation refuses it): said, and
         * set in the body all the same, the only region a flow can fill here */
        const char *fname = wb_fo_attr(flow, "flow-name");
        const char *rn = wb_fo_attr(ss.geo.body_fo, "region-name");
        const char *body = rn ? rn : "xsl-region-body";
        if (fname && strcmp(fname, body) != 0) {
            char key[200];
            snprintf(key, sizeof key, "flow-name:%s", fname);
            wb_fo_warning_once(f->ctx, f->tree, flow, key,
                               "fo:flow flow-name \"%s\" names no region-body (\"%s\"): it is set in the body", fname,
                               body);
        }
    }
    if (flow) {
        if (flow->id)
            vlist_push(vl, (vitem){.kind = VI_MARK_START, .id = flow->id});
        for (const wb_fo *c = flow->first; c; c = c->next) {
            layout_flow_child(&ss, vl, c);
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
    if (ss.add_last)
        emit_page(&ss, vl, 0, 0, false, true, true);
    if (ss.notes_carried)
        vlist_free(ss.notes_carried);
    if (forced_blank_after(&ss, ss.index, ss.number)) {
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


