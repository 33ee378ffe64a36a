/* Static regions: the backgrounds of the page's regions and the static content of the
 * outer ones (running heads and feet), laid out again for every page so that page numbers
 * and retrieved markers are the page's own. */
#include <string.h>

#include "format/paginate.h"

const wb_fo *static_for(const wb_fo *seq, const char *name)
{
    for (const wb_fo *c = seq->first; c; c = c->next)
        if (c->kind == FO_STATIC_CONTENT) {
            const char *fn = wb_fo_attr(c, "flow-name");
            if (fn && !strcmp(fn, name))
                return c;
        }
    return NULL;
}

void draw_region(formatter *f, seq_state *ss, const geometry *g, int region, area_list **out)
{
    const wb_fo *rfo = region < 0 ? g->body_fo : g->region_fo[region];
    if (!rfo)
        return;
    const char *rn = wb_fo_attr(rfo, "region-name");
    const char *name = rn ? rn : region < 0 ? "xsl-region-body" : region_default_names[region];
    rect r = region < 0 ? g->body : g->region[region];
    if (rfo->style->background.a > 0)
        area_push(out, (wb_area){.kind = WB_AREA_FILL, .x = r.x, .y = r.y, .w = r.w, .h = r.h,
                                 .color = color_of(rfo->style->background)});
    area_background(out, background_image(f, rfo), rfo->style, r.x, r.y, r.w, r.h);
    if (region < 0)
        return;
    const wb_fo *sc = static_for(ss->seq, name);
    if (!sc)
        return;
    vlist *vl = vlist_new();
    refarea ra = {.x0 = 0, .width = r.w};
    for (const wb_fo *c = sc->first; c; c = c->next)
        layout_object(f, vl, c, &ra);
    area_list *areas = NULL;
    double base;
    double h = place_flat(f, vl, &areas, &base);
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


