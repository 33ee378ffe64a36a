/* Print-shop furniture the renderer draws around and under a page (private to src/render):
 * a faint diagonal watermark under the page's content, and crop marks in the room a page's
 * crop offset leaves beyond its bleed.  Both take a cairo context whose origin is the top left
 * corner of the trimmed page, in points. */
#ifndef WB_RENDER_MARKS_H
#define WB_RENDER_MARKS_H

#include <cairo.h>

#include "workbook/page.h"

/* Draws page->watermark (if any) across the page, light grey, under what comes after; as
 * outlines, so that it is no part of the page's text. */
void wb_marks_watermark(cairo_t *cr, const wb_page *page);

/* Draws crop marks at the four corners of the trimmed page: thin lines on the lines of the
 * trim, from beyond the bleed to the edge of the sheet (page->crop_offset), never inside
 * the bleed.  Nothing when the room is less than 3pt. */
void wb_marks_crop(cairo_t *cr, const wb_page *page);

#endif
