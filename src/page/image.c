/* Images of the page model: made by the formatter, drawn by the renderers, freed with their
 * last reference.  See page/image.h. */
#include "page/image.h"

#include <glib.h>

wb_image *wb_image_new(cairo_surface_t *surface, RsvgHandle *svg, double w, double h)
{
    wb_image *img = g_new0(wb_image, 1);
    img->refs = 1;
    img->surface = surface;
    img->svg = svg;
    img->width = w;
    img->height = h;
    return img;
}

wb_image *wb_image_ref(wb_image *img)
{
    if (img) /* atomic: see line.c */
        g_atomic_int_inc(&img->refs);
    return img;
}

void wb_image_unref(wb_image *img)
{
    if (!img || !g_atomic_int_dec_and_test(&img->refs))
        return;
    if (img->surface)
        cairo_surface_destroy(img->surface);
    if (img->svg)
        g_object_unref(img->svg);
    g_free(img);
}

void wb_image_size(const wb_image *img, double *w, double *h)
{
    *w = img->width;
    *h = img->height;
}
