/* The result bands of a scored checklist: every score the items can give falls in exactly
 * one band.  Reports gaps between bands, bands that overlap, and a band above the highest
 * possible score.  Hands on load_check_bands to rules.c. */
#include "load/load-private.h"

#include <stdlib.h>
#include <string.h>

typedef struct band {
    long min, max;
    xmlNodePtr node;
} band;

static long int_attr(xmlNodePtr n, const char *name, long dflt)
{
    xmlChar *v = xmlGetNoNsProp(n, BAD_CAST name);
    long r = v ? strtol((const char *)v, NULL, 10) : dflt;
    xmlFree(v);
    return r;
}

static int by_min(const void *a, const void *b)
{
    const band *x = a, *y = b;
    return x->min < y->min ? -1 : x->min > y->min;
}

void load_check_bands(wb_ctx *ctx, xmlNodePtr checklist)
{
    /* the scores the ticks can give: from the sum of the negative points to that of the
     * positive ones (an item without points counts 1) */
    long low = 0, high = 0;
    bool inverted = false;
    GArray *bands = g_array_new(FALSE, FALSE, sizeof(band));
    for (xmlNodePtr c = checklist->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        if (xmlStrEqual(c->name, BAD_CAST "item")) {
            long p = int_attr(c, "points", 1);
            if (p < 0)
                low += p;
            else
                high += p;
        } else if (xmlStrEqual(c->name, BAD_CAST "band")) {
            band b = {int_attr(c, "min", 0), int_attr(c, "max", 0), c};
            g_array_append_val(bands, b);
            if (b.min > b.max)
                inverted = true; /* said by rules.c; what the bands cover is unclear then */
        }
    }
    if (bands->len == 0 || inverted) {
        g_array_free(bands, TRUE);
        return;
    }
    g_array_sort(bands, by_min);
    band *b = (band *)(void *)bands->data;
    if (b[0].min > low)
        load_node_error(ctx, WB_ERR_INPUT, b[0].node,
                        "no band holds the scores %ld to %ld: the lowest band starts at %ld, a score can be %ld",
                        low, b[0].min - 1, b[0].min, low);
    for (guint i = 1; i < bands->len; i++) {
        if (b[i].min <= b[i - 1].max)
            load_node_error(ctx, WB_ERR_INPUT, b[i].node,
                            "band %ld-%ld overlaps band %ld-%ld: a score of %ld would be in both", b[i].min,
                            b[i].max, b[i - 1].min, b[i - 1].max, b[i].min);
        else if (b[i].min > b[i - 1].max + 1)
            load_node_error(ctx, WB_ERR_INPUT, b[i].node,
                            "no band holds the scores %ld to %ld (a gap between band %ld-%ld and band %ld-%ld)",
                            b[i - 1].max + 1, b[i].min - 1, b[i - 1].min, b[i - 1].max, b[i].min, b[i].max);
    }
    long top = 0;
    guint topi = 0;
    for (guint i = 0; i < bands->len; i++)
        if (i == 0 || b[i].max > top) {
            top = b[i].max;
            topi = i;
        }
    if (top > high)
        load_node_error(ctx, WB_ERR_INPUT, b[topi].node,
                        "band %ld-%ld goes above the highest possible score, %ld (the points of all the items)",
                        b[topi].min, b[topi].max, high);
    else if (top < high)
        load_node_error(ctx, WB_ERR_INPUT, b[topi].node,
                        "no band holds the scores %ld to %ld: the highest band ends at %ld, the items give up to %ld",
                        top + 1, high, top, high);
    g_array_free(bands, TRUE);
}
