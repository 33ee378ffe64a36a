/* Decoded images of the page model, shared by reference between the formatter (which loads
 * and sizes them) and the renderers (which draw them).  Raster images are cairo surfaces (a
 * JPEG keeps its file as mime data so the PDF embeds it unchanged); SVG stays a librsvg
 * handle and is drawn as vectors.
 *
 * Ownership: wb_image_new takes over the surface or handle given and returns one reference;
 * every holder (the formatter's image cache, each image area of a page) drops its own with
 * wb_image_unref. */
#ifndef WB_PAGE_IMAGE_H
#define WB_PAGE_IMAGE_H

#include <cairo.h>
#include <librsvg/rsvg.h>

#include "workbook/page.h"

struct wb_image {
    int refs;
    double width, height;     /* intrinsic size in points */
    cairo_surface_t *surface; /* PNG, JPEG */
    RsvgHandle *svg;          /* SVG */
};

/* An image of intrinsic size w x h points made of a raster surface or an SVG handle (one of
 * them NULL); the image owns it from now on. */
wb_image *wb_image_new(cairo_surface_t *surface, RsvgHandle *svg, double w, double h);

#endif
