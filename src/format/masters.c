/* Page masters: the geometry of a simple-page-master (page size, margins, the body and the
 * four outer regions with their extents and precedence), and which master a page of a
 * sequence takes (page-sequence-master: single, repeatable, conditional alternatives). */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "format/paginate.h"

const char *const region_default_names[4] = {"xsl-region-before", "xsl-region-after",
                                                    "xsl-region-start", "xsl-region-end"};

static double attr_length(const wb_fo *fo, const char *name, double fallback, double ref)
{
    const char *v = wb_fo_attr(fo, name);
    wb_len l;
    if (!v || !wb_parse_length(v, fo->style->font_size, &l))
        return fallback;
    return wb_len_resolve(l, ref);
}

#define FOX_NS "http://xmlgraphics.apache.org/fop/extensions"
#define WB_XSLT_NS "urn:x-workbook:xslt"

/* fox:bleed and fox:crop-offset as Apache FOP reads them (one length for every side, here),
 * and wb:watermark: what the page needs for a print shop (see wb_page). */
static void print_furniture(formatter *f, const wb_fo *spm, geometry *g)
{
    static const char *const names[2] = {"bleed", "crop-offset"};
    double v[2] = {0, 0};
    for (int i = 0; i < 2; i++) {
        const char *text = wb_fo_attr_ns(spm, FOX_NS, names[i]);
        wb_len l;
        if (!text)
            continue;
        /* a sheet of more than 100mm beyond the page is a mistake, not a print shop's need */
        if (!wb_parse_length(text, spm->style->font_size, &l) || l.pct != 0 || l.pt < 0 || l.pt > 283.5)
            wb_fo_warning(f->ctx, f->tree, spm, "fox:%s=\"%s\": not a length from 0 to 100mm; ignored", names[i], text);
        else
            v[i] = l.pt;
    }
    g->bleed = v[0];
    g->crop_offset = v[1] > v[0] ? v[1] : v[0];
    const char *w = wb_fo_attr_ns(spm, WB_XSLT_NS, "watermark");
    g->watermark = w && *w ? w : NULL;
}

geometry page_geometry(formatter *f, const wb_fo *spm)
{
    geometry g = {.spm = spm};
    /* without a size, Apache FOP's (8.26 x 11in; XSL 1.1 leaves it to the implementation),
     * so FO written for FOP paginates as there */
    print_furniture(f, spm, &g);
    const double default_w = 8.26 * 72, default_h = 11 * 72;
    g.pw = attr_length(spm, "page-width", default_w, 0);
    g.ph = attr_length(spm, "page-height", default_h, 0);
    if (g.pw <= 0 || g.ph <= 0) {
        wb_fo_warning(f->ctx, f->tree, spm, "page size must be positive: using 8.26 x 11in, as FOP does");
        g.pw = default_w;
        g.ph = default_h;
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
        /* as FOP: said, and the body runs from the nearer of its edges (where the margins
         * meet) on to the page's edge, its content overflowing the margins */
        char key[200];
        const char *name = wb_fo_attr(spm, "master-name") ? wb_fo_attr(spm, "master-name") : "?";
        snprintf(key, sizeof key, "no-body:%s", name);
        wb_fo_warning_once(f->ctx, f->tree, spm, key,
                           "fo:simple-page-master \"%s\": the margins leave no room for the body (%.1f x %.1fpt); "
                           "it runs on to the page's edge",
                           name, g.body.w, g.body.h);
        if (g.body.w <= 10) {
            g.body.x = MIN(MAX(MIN(g.body.x, g.body.x + g.body.w), 0), g.pw - 10);
            g.body.w = g.pw - g.body.x;
        }
        if (g.body.h <= 10) {
            g.body.y = MIN(MAX(MIN(g.body.y, g.body.y + g.body.h), 0), g.ph - 10);
            g.body.h = g.ph - g.body.y;
        }
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

const wb_fo *select_master(formatter *f, const wb_fo_tree *tree, const wb_fo *seq, int index,
                                  int number, bool blank, bool last)
{
    return select_master_alt(f, tree, seq, index, number, blank, last, NULL);
}

const wb_fo *select_master_alt(formatter *f, const wb_fo_tree *tree, const wb_fo *seq, int index, int number,
                               bool blank, bool last, const wb_fo **alt_out)
{
    if (alt_out)
        *alt_out = NULL;
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
                /* "rest" does not take the last page when it is asked for as the last (FOP
                 * reads it so: a "last" alternative after it still applies) */
                if (pp && !strcmp(pp, "rest") && (index == 0 || last)) continue;
                if (pp && !strcmp(pp, "last") && !last) continue;
                if (pp && !strcmp(pp, "only") && !(last && index == 0)) continue;
                if (bn && !strcmp(bn, "blank") && !blank) continue;
                if (bn && !strcmp(bn, "not-blank") && blank) continue;
                if (alt_out)
                    *alt_out = alt;
                return find_master(tree, wb_fo_attr(alt, "master-reference"), FO_SIMPLE_PAGE_MASTER);
            }
            if (last) /* no alternative for the last page: the page as any other */
                return select_master_alt(f, tree, seq, index, number, blank, false, alt_out);
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


