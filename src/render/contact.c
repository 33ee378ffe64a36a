/* The contact sheet: thumbnails kept as the pages come, laid out on one image at the end.
 * See contact.h. */
#include "render/contact.h"

#include <glib.h>
#include <pango/pangocairo.h>

typedef struct {
    cairo_surface_t *thumb;
    char *label;
} cell;

struct wb_contact {
    GArray *cells; /* of cell */
    int cell_w, cell_h;
};

static void cell_clear(void *p)
{
    cell *c = p;
    cairo_surface_destroy(c->thumb);
    g_free(c->label);
}

wb_contact *wb_contact_new(void)
{
    wb_contact *c = g_new0(wb_contact, 1);
    c->cells = g_array_new(FALSE, TRUE, sizeof(cell));
    g_array_set_clear_func(c->cells, cell_clear);
    return c;
}

void wb_contact_add(wb_contact *c, cairo_surface_t *thumb, const char *label)
{
    cell k = {thumb, g_strdup(label ? label : "")};
    c->cell_w = MAX(c->cell_w, cairo_image_surface_get_width(thumb));
    c->cell_h = MAX(c->cell_h, cairo_image_surface_get_height(thumb));
    g_array_append_val(c->cells, k);
}

static void sheet_size(int n, int cw, int ch, int *w, int *h)
{
    int cols = MIN(n, WB_CONTACT_COLUMNS), rows = cols ? (n + cols - 1) / cols : 0;
    *w = cols * cw + (cols + 1) * WB_CONTACT_GAP;
    *h = rows * (ch + WB_CONTACT_LABEL) + (rows + 1) * WB_CONTACT_GAP;
}

unsigned long long wb_contact_pixels(const wb_contact *c, int more_w, int more_h)
{
    int w, h;
    sheet_size((int)c->cells->len + 1, MAX(c->cell_w, more_w), MAX(c->cell_h, more_h), &w, &h);
    /* the thumbnails are kept besides the sheet */
    return (unsigned long long)w * h * 2;
}

cairo_surface_t *wb_contact_finish(wb_contact *c)
{
    int n = (int)c->cells->len;
    if (n == 0)
        return NULL;
    int w, h;
    sheet_size(n, c->cell_w, c->cell_h, &w, &h);
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
    cairo_t *cr = cairo_create(s);
    cairo_set_source_rgb(cr, 0.82, 0.82, 0.82);
    cairo_paint(cr);
    PangoLayout *layout = pango_cairo_create_layout(cr);
    PangoFontDescription *fd = pango_font_description_from_string("PT Sans, DejaVu Sans 8px");
    pango_layout_set_font_description(layout, fd);
    int cols = MIN(n, WB_CONTACT_COLUMNS);
    for (int i = 0; i < n; i++) {
        const cell *k = &g_array_index(c->cells, cell, i);
        int tw = cairo_image_surface_get_width(k->thumb), th = cairo_image_surface_get_height(k->thumb);
        /* centred in its cell, the cell's top left at (x, y) */
        double x = WB_CONTACT_GAP + (i % cols) * (c->cell_w + WB_CONTACT_GAP);
        double y = WB_CONTACT_GAP + (i / cols) * (c->cell_h + WB_CONTACT_LABEL + WB_CONTACT_GAP);
        double tx = x + (c->cell_w - tw) / 2.0, ty = y + (c->cell_h - th);
        cairo_set_source_rgb(cr, 0.45, 0.45, 0.45);
        cairo_rectangle(cr, tx - 1, ty - 1, tw + 2, th + 2);
        cairo_fill(cr);
        cairo_set_source_surface(cr, k->thumb, tx, ty);
        cairo_paint(cr);
        pango_layout_set_text(layout, k->label, -1);
        int lw, lh;
        pango_layout_get_pixel_size(layout, &lw, &lh);
        cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
        cairo_move_to(cr, x + (c->cell_w - lw) / 2.0, y + c->cell_h + (WB_CONTACT_LABEL - lh) / 2.0);
        pango_cairo_show_layout(cr, layout);
    }
    pango_font_description_free(fd);
    g_object_unref(layout);
    cairo_destroy(cr);
    return s;
}

void wb_contact_free(wb_contact *c)
{
    if (!c)
        return;
    g_array_free(c->cells, TRUE);
    g_free(c);
}
