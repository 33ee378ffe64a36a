/* Small helpers that turn FO styles into page areas, shared by paragraphs, blocks, tables
 * and regions. */
#include <stdio.h>
#include <string.h>

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

/* The styles mark each place a participant writes with extension attributes on the FO (as
 * they copy source positions, wb:source), so the formatter need not know the course: the
 * field rides on the page as an area that is never drawn, and the PDF post-pass turns it
 * into a form field at the printed frame. */
void area_field(formatter *f, area_list **l, const wb_fo *fo, double x, double y, double w, double h)
{
    static const char *const kinds[] = {"text", "multiline", "check", "radio"};
    const char *kind = wb_fo_ext_attr(fo, "field");
    if (!kind)
        return;
    const char *name = wb_fo_ext_attr(fo, "field-name");
    const char *value = wb_fo_ext_attr(fo, "field-value");
    int k = -1;
    for (int i = 0; i < (int)G_N_ELEMENTS(kinds); i++)
        if (!strcmp(kind, kinds[i]))
            k = i;
    char key[64];
    snprintf(key, sizeof key, "field:%p", (const void *)fo);
    if (k < 0 || !name || !*name || (k == WB_FIELD_RADIO && (!value || !*value))) {
        wb_fo_warning_once(f->ctx, f->tree, fo, key,
                           k < 0 ? "wb:field=\"%s\" is not a kind of form field (text, multiline, check, radio): no field"
                                 : "wb:field=\"%s\" without a wb:field-name (or a radio button without wb:field-value): no field",
                           kind);
        return;
    }
    if (w <= 0 || h <= 0)
        return;
    wb_area a = {.kind = WB_AREA_FIELD, .x = x, .y = y, .w = w, .h = h};
    a.u.field.kind = (wb_field_kind)k;
    a.u.field.name = g_strdup(name);
    a.u.field.value = k == WB_FIELD_RADIO ? g_strdup(value) : NULL;
    area_push(l, a);
}

wb_image *background_image(formatter *f, const wb_fo *fo)
{
    const char *src = fo->style ? fo->style->background_image : NULL;
    return src ? image_get(f, fo, src) : NULL;
}

void background_fit(wb_area *a, const wb_style *s, double x, double y, double w, double h)
{
    double iw, ih;
    wb_image_size(a->u.image.image, &iw, &ih);
    /* a percentage puts that point of the image on that point of the rectangle (XSL 1.1
     * §7.8.6): it is of the room the image leaves */
    a->x = x + s->background_pos[0].pt + s->background_pos[0].pct * (w - iw) / 100.0;
    a->y = y + s->background_pos[1].pt + s->background_pos[1].pct * (h - ih) / 100.0;
    a->w = iw;
    a->h = ih;
    a->u.image.clip.x = x - a->x;
    a->u.image.clip.y = y - a->y;
    a->u.image.clip.w = MAX(w, 0);
    a->u.image.clip.h = MAX(h, 0);
}

void area_background(area_list **l, wb_image *img, const wb_style *s, double x, double y, double w, double h)
{
    if (!img)
        return;
    wb_area a = {.kind = WB_AREA_IMAGE};
    a.u.image.image = wb_image_ref(img);
    a.u.image.background = true;
    a.u.image.repeat_x = s->background_repeat == BG_REPEAT || s->background_repeat == BG_REPEAT_X;
    a.u.image.repeat_y = s->background_repeat == BG_REPEAT || s->background_repeat == BG_REPEAT_Y;
    background_fit(&a, s, x, y, w, h);
    area_push(l, a);
}

void area_list_free(area_list *a)
{
    if (!a)
        return;
    for (guint i = 0; i < a->len; i++)
        wb_area_clear(&g_array_index(a, wb_area, i));
    g_array_free(a, TRUE);
}
