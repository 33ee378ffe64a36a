/* Page boxes for a print shop (private to src/pdf): a page's TrimBox (the page as it is cut)
 * and BleedBox (how far its printing may run over the cut), set by the post-pass on each
 * page of the document qpdf holds.  Boxes are in PDF units from the bottom left corner of the
 * page's MediaBox. */
#ifndef WB_PDF_BOXES_H
#define WB_PDF_BOXES_H

#include <stdbool.h>
#include <stddef.h>

#include <qpdf/qpdf-c.h>

#include "pdf/postpass.h"

/* Sets /TrimBox and /BleedBox of page i to boxes[i] for every page there is a box for (a box
 * of zero width is left alone).  Returns false when qpdf failed (its error pending on q). */
bool wb_pdf_set_boxes(qpdf_data q, const wb_pdf_page_boxes *boxes, size_t count);

#endif
