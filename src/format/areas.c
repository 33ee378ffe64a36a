/* Small helpers that turn FO styles into page areas, shared by paragraphs, blocks, tables
 * and regions. */
#include "format/format-private.h"

wb_color color_of(wb_rgba c) { return (wb_color){c.r, c.g, c.b, c.a}; }

wb_rule_style rule_style_of(wb_border_style s)
{
    switch (s) {
    case BORDER_DASHED: return WB_RULE_DASHED;
    case BORDER_DOTTED: return WB_RULE_DOTTED;
    case BORDER_DOUBLE: return WB_RULE_DOUBLE;
    default: return WB_RULE_SOLID;
    }
}

void area_push(area_list **l, wb_area a)
{
    if (!*l)
        *l = g_array_new(FALSE, FALSE, sizeof(wb_area));
    g_array_append_val(*l, a);
}

void area_rule(area_list **l, double x, double y, double w, double h, const wb_border *b)
{
    if (!b->style || b->width <= 0)
        return;
    area_push(l, (wb_area){.kind = WB_AREA_RULE, .x = x, .y = y, .w = w, .h = h, .color = color_of(b->color),
                           .u.rule = {b->width, rule_style_of(b->style)}});
}

void area_list_free(area_list *a)
{
    if (!a)
        return;
    for (guint i = 0; i < a->len; i++)
        wb_area_clear(&g_array_index(a, wb_area, i));
    g_array_free(a, TRUE);
}
