/* Footnotes: the bodies an item cites, measured when pagination weighs a break and placed
 * at the foot of the body under the separator; what does not fit goes on over the next page. */
#include "format/paginate.h"

/* Lays out footnote bodies in the body's width. */
static void layout_notes(formatter *f, const seq_state *ss, const GPtrArray *notes, vlist *out)
{
    refarea ra = {.x0 = 0, .width = ss->geo.body.w};
    for (guint i = 0; i < notes->len; i++) {
        const wb_fo *body = g_ptr_array_index(notes, i);
        for (const wb_fo *c = body->first; c; c = c->next)
            layout_object(f, out, c, &ra);
    }
}

double notes_height(seq_state *ss, vitem *v)
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
            if (vitem_is_content(n)) {
                v->notes_first += n->h;
                break;
            }
        }
        vlist_free(tmp);
    }
    return v->notes_h;
}

double notes_list_height(seq_state *ss, const GPtrArray *notes)
{
    if (!notes || notes->len == 0)
        return 0;
    vlist *tmp = vlist_new();
    layout_notes(ss->f, ss, notes, tmp);
    double h = vlist_height(tmp);
    vlist_free(tmp);
    return h;
}

double separator_height(seq_state *ss)
{
    if (ss->sep_h < 0) {
        ss->sep_h = 0;
        const wb_fo *sc = static_for(ss->seq, "xsl-footnote-separator");
        if (sc) {
            vlist *tmp = vlist_new();
            refarea ra = {.x0 = 0, .width = ss->geo.body.w};
            for (const wb_fo *c = sc->first; c; c = c->next)
                layout_object(ss->f, tmp, c, &ra);
            ss->sep_h = vlist_height(tmp);
            vlist_free(tmp);
        }
    }
    return ss->sep_h;
}

void place_notes(seq_state *ss, const geometry *g, GPtrArray *cited, double content_bottom, area_list **out)
{
    formatter *f = ss->f;
    vlist *nv = ss->notes_carried ? ss->notes_carried : vlist_new();
    ss->notes_carried = NULL;
    layout_notes(f, ss, cited, nv);
    if (nv->items->len == 0) {
        vlist_free(nv);
        return;
    }
    double sep = separator_height(ss);
    double room = g->body.y + g->body.h - content_bottom - sep;
    /* how many items fit: none when not even the first does, unless the page holds
     * nothing else (a note taller than the body goes where it can) */
    guint cut;
    double h = vlist_stack_height(nv, 0, room, &cut);
    if (h > room + 0.01 && content_bottom > g->body.y + 0.5) {
        ss->notes_carried = nv;
        return;
    }
    double y0 = g->body.y + g->body.h - h;
    if (sep > 0) {
        const wb_fo *sc = static_for(ss->seq, "xsl-footnote-separator");
        vlist *sv = vlist_new();
        refarea ra = {.x0 = 0, .width = g->body.w};
        for (const wb_fo *c = sc->first; c; c = c->next)
            layout_object(f, sv, c, &ra);
        placer sp = placer_start(f, sv, out, g->body.x, y0 - sep, true);
        for (guint i = 0; i < sv->items->len; i++)
            place_item(&sp, &g_array_index(sv->items, vitem, i));
        placer_end(&sp, true);
        vlist_free(sv);
    }
    placer np = placer_start(f, nv, out, g->body.x, y0, true);
    for (guint i = 0; i < cut; i++)
        place_item(&np, &g_array_index(nv->items, vitem, i));
    placer_end(&np, cut == nv->items->len);
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


