/* A contact sheet (private to src/render): every page of a document as a thumbnail on one
 * image, to check a whole workbook at a glance.
 *
 * Layout: up to WB_CONTACT_COLUMNS thumbnails a row, each in a cell as big as the biggest
 * thumbnail, WB_CONTACT_GAP pixels around every cell and WB_CONTACT_LABEL pixels below each
 * for the page's number.  A sheet of n pages, with c = min(n, WB_CONTACT_COLUMNS) columns and
 * r = ceil(n / c) rows of cells w x h pixels, is
 *     c * w + (c + 1) * WB_CONTACT_GAP  by  r * (h + WB_CONTACT_LABEL) + (r + 1) * WB_CONTACT_GAP
 * pixels.
 *
 * Ownership: wb_contact_new gives a sheet to free with wb_contact_free; wb_contact_add takes
 * over the thumbnail; wb_contact_finish gives a surface the caller destroys. */
#ifndef WB_RENDER_CONTACT_H
#define WB_RENDER_CONTACT_H

#include <cairo.h>

#define WB_CONTACT_COLUMNS 8
#define WB_CONTACT_GAP 8
#define WB_CONTACT_LABEL 14

typedef struct wb_contact wb_contact;

wb_contact *wb_contact_new(void);
/* Adds the next page: its thumbnail (an image surface, taken over) and its number as printed
 * ("iv", "12"; copied). */
void wb_contact_add(wb_contact *c, cairo_surface_t *thumb, const char *label);
/* The pixels of the sheet the thumbnails so far would make (to bound it like a page). */
unsigned long long wb_contact_pixels(const wb_contact *c, int more_w, int more_h);
/* The sheet: the thumbnails laid out as above with their numbers.  NULL when there are none. */
cairo_surface_t *wb_contact_finish(wb_contact *c);
void wb_contact_free(wb_contact *c);

#endif
