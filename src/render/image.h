/* A decoded image, shared by the format stage (which sizes it) and the render stage (which
 * draws it).  Raster images are cairo surfaces (a JPEG keeps its file as mime data so the PDF
 * embeds it unchanged); SVG stays a librsvg handle and is drawn as vectors. */
#ifndef WB_RENDER_IMAGE_H
#define WB_RENDER_IMAGE_H

#include <cairo.h>
#include <librsvg/rsvg.h>

struct wb_image {
    int refs;
    double width, height; /* intrinsic size in points */
    cairo_surface_t *surface; /* PNG, JPEG */
    RsvgHandle *svg;          /* SVG */
};

/* Draws the image scaled into the rectangle. */
void wb_image_draw(cairo_t *cr, const struct wb_image *img, double x, double y, double w, double h);
/* Drops one reference (frees on the last). */
void wb_image_unref(struct wb_image *img);

#endif
