/* Tagged PDF while drawing: the structure elements of the page model (wb_struct_node) as
 * cairo's structure tags, in the order the areas are drawn (the reading order).
 *
 * cairo 1.16 marks the content of a structure element only when the element has no
 * children, and makes a Link element of every link inside the structure.  So content always
 * goes into a leaf: the lines of an element into a Span inside it, a phrase in another
 * language (glyph runs with a node of their own) into its own Span with /Lang between the
 * paragraph's Spans, a figure's image into the Figure itself, and what is no content (backgrounds, borders, leaders, running heads and page
 * numbers) into a "Private" element that the PDF post-pass turns into an artifact.  Elements
 * stay open from one page to the next while their content goes on; the whole document is one
 * Document element.  The post-pass adds what cairo does not write (alternative text,
 * languages): the tagger records every element it begins, in order.
 *
 * Ownership: wb_tagger_new gives a tagger to free with wb_tagger_free; the records it returns
 * are its own. */
#ifndef WB_RENDER_TAGS_H
#define WB_RENDER_TAGS_H

#include <cairo.h>

#include "pdf/postpass.h"
#include "workbook/page.h"

typedef struct wb_tagger wb_tagger;

wb_tagger *wb_tagger_new(void);
void wb_tagger_free(wb_tagger *t);

/* Opens and closes tags on cr so that what area a of page draws next is marked as its
 * structure element's (or as an artifact).  For a link area it opens the element the link
 * belongs to and records the Link element cairo makes of the link tag the caller begins. */
void wb_tagger_area(wb_tagger *t, cairo_t *cr, const wb_page *page, const wb_area *a);
/* Before each glyph run of a text area (after wb_tagger_area for the area): opens and closes
 * tags so that the run is marked as the element it belongs to (run->node, a phrase in another
 * language, or the area's own).  Nothing for an artifact's runs or a NULL tagger. */
void wb_tagger_run(wb_tagger *t, cairo_t *cr, const wb_page *page, const wb_area *a, const wb_glyph_run *run);
/* Closes every open tag (the last page, before it is shown). */
void wb_tagger_close(wb_tagger *t, cairo_t *cr);
/* The elements begun so far, in order; *n gets their number.  Borrowed from the tagger. */
const wb_pdf_tag *wb_tagger_records(const wb_tagger *t, size_t *n);

#endif
