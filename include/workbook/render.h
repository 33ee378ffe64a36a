/* Stage 4, render: finished pages -> PDF, PNG or SVG files through cairo.
 *
 * A renderer draws each page as soon as the formatter hands it over and keeps nothing of it,
 * so memory follows the page, not the document.  Files are written as src/output.h says: a
 * regular target (or a link to one) through a temporary file beside it that replaces it only
 * when wb_renderer_finish succeeds, so an existing output is never left half-written; "-"
 * (standard output, PDF only), a device or a FIFO directly, the PDF copied to it from a spool
 * file at finish.  PDF output embeds and subsets fonts, and carries document
 * metadata (title, author, language, fixed dates for reproducible files), named destinations,
 * links and an outline.  PNG and SVG output write one file per page: OUT with "-N" added
 * before the extension ("book.png" -> "book-1.png", ...), or OUT itself with the page number
 * in place of a printf-style "%d" in it ("%02d": "page-%02d.png" -> "page-01.png", ...); OUT
 * must then be a file name (not "-", a device, a FIFO or a folder).
 * A page with a crop offset (wb_page) is drawn on a sheet that much bigger all round, with
 * crop marks and the PDF's TrimBox and BleedBox set for a print shop; PNG and SVG show the
 * trimmed page.  A page's watermark is drawn under its content in every format.
 *
 * Ownership: wb_renderer_new gives a renderer to free with wb_renderer_free (which removes
 * the temporary files when finish was not called or failed). */
#ifndef WORKBOOK_RENDER_H
#define WORKBOOK_RENDER_H

#include "workbook/context.h"
#include "workbook/page.h"

/* WB_OUT_CONTACT: one PNG of every page as a thumbnail at `dpi` (a contact sheet; layout in
 * src/render/contact.h), written to OUT itself. */
typedef enum { WB_OUT_PDF, WB_OUT_PNG, WB_OUT_SVG, WB_OUT_CONTACT } wb_output_format;

typedef struct wb_renderer wb_renderer;

typedef struct wb_metadata {
    const char *title, *author, *subject, *keywords, *lang, *creator;
} wb_metadata;

/* A renderer writing `path`.  dpi is used for PNG (0: 96).  NULL with an error on ctx. */
wb_renderer *wb_renderer_new(wb_ctx *ctx, wb_output_format format, const char *path, double dpi);
/* A PDF is tagged (its logical structure, for accessibility) unless this says no before the
 * first page. */
void wb_renderer_set_tagged(wb_renderer *r, bool tagged);
void wb_renderer_set_metadata(wb_renderer *r, const wb_metadata *meta);
/* Draws one page (borrowed: the caller frees it afterwards).  Returns WB_OK or an error. */
wb_status wb_renderer_page(wb_renderer *r, const wb_page *page);
/* Gives up every page drawn so far, as if none had been: the formatter found that its pages
 * must change (page numbers that did not settle) and hands them all again.  Returns WB_OK, or
 * an error on ctx (the output could not be opened again). */
wb_status wb_renderer_restart(wb_renderer *r);
/* Adds an outline entry pointing at a named destination; parent 0 is the top level.  Returns
 * the entry's id for children, or 0 when it could not be added. */
int wb_renderer_add_bookmark(wb_renderer *r, int parent, const char *title, const char *dest,
                             bool open);
/* Metadata and outline as the formatter returned them (borrowed). */
void wb_renderer_set_docinfo(wb_renderer *r, const wb_docinfo *info);
/* Completes the files and moves them into place. */
wb_status wb_renderer_finish(wb_renderer *r);
void wb_renderer_free(wb_renderer *r);
/* One page drawn as a PNG image in memory at `dpi` (0: 96), for programs that show pages
 * themselves (the preview).  Returns the image's bytes (g_free them) and their number in
 * *len, or NULL with an error on ctx when the page cannot be an image. */
unsigned char *wb_render_png(wb_ctx *ctx, const wb_page *page, double dpi, size_t *len);
/* Number of pages drawn so far. */
int wb_renderer_page_count(const wb_renderer *r);

#endif
