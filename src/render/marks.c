/* Print-shop furniture: the watermark under a page and the crop marks around it.  See
 * marks.h. */
#include "render/marks.h"

#include <math.h>

#include <pango/pangocairo.h>

void wb_marks_watermark(cairo_t *cr, const wb_page *page)
{
    if (!page->watermark || !*page->watermark)
        return;
    cairo_save(cr);
    PangoLayout *layout = pango_cairo_create_layout(cr);
    PangoFontDescription *fd = pango_font_description_from_string("PT Sans, DejaVu Sans Bold 100");
    pango_layout_set_font_description(layout, fd);
    pango_layout_set_text(layout, page->watermark, -1);
    PangoRectangle ink, logical;
    pango_layout_get_extents(layout, &ink, &logical);
    double w = logical.width / (double)PANGO_SCALE, h = logical.height / (double)PANGO_SCALE;
    /* along the diagonal, over about two thirds of it, whatever the word's length */
    double diag = hypot(page->width, page->height);
    double k = w > 0 ? 0.66 * diag / w : 1;
    if (k * h > page->height / 4)
        k = page->height / 4 / h;
    cairo_translate(cr, page->width / 2, page->height / 2);
    cairo_rotate(cr, -atan2(page->height, page->width));
    cairo_scale(cr, k, k);
    cairo_move_to(cr, -w / 2, -h / 2);
    /* light enough to read the text through, dark enough to survive a photocopier; drawn
     * as outlines, not text, so that what is copied or extracted from the page is its own */
    cairo_set_source_rgb(cr, 0.86, 0.86, 0.86);
    pango_cairo_layout_path(cr, layout);
    cairo_fill(cr);
    pango_font_description_free(fd);
    g_object_unref(layout);
    cairo_restore(cr);
}

void wb_marks_crop(cairo_t *cr, const wb_page *page)
{
    /* a little way beyond the bleed, so that no mark is printed on a trimmed edge that moved */
    double from = page->bleed + 2, to = page->crop_offset;
    if (to - from < 3)
        return;
    double w = page->width, h = page->height;
    cairo_save(cr);
    cairo_set_source_rgb(cr, 0, 0, 0);
    cairo_set_line_width(cr, 0.3);
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_BUTT);
    const double xs[2] = {0, w}, ys[2] = {0, h};
    for (int i = 0; i < 2; i++)
        for (int j = 0; j < 2; j++) {
            double x = xs[i], y = ys[j];
            double sx = i ? 1 : -1, sy = j ? 1 : -1; /* outwards */
            /* on the line of the vertical edge, above or below the page */
            cairo_move_to(cr, x, y + sy * from);
            cairo_line_to(cr, x, y + sy * to);
            /* on the line of the horizontal edge, left or right of the page */
            cairo_move_to(cr, x + sx * from, y);
            cairo_line_to(cr, x + sx * to, y);
        }
    cairo_stroke(cr);
    cairo_restore(cr);
}
