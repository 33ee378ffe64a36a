/* Tagged PDF, a step of the PDF post-pass (postpass.c): what cairo 1.16's structure tree
 * lacks, added to the tree cairo wrote from the renderer's tags (opts->tags, in the order the
 * elements began, which is the tree's depth-first order):
 *   - /Alt of figures and /Lang of elements in another language than the one around them;
 *   - artifacts: cairo has no artifact tag, so the renderer marks running heads, page numbers,
 *     backgrounds, borders and leaders as "Private" elements; they leave the tree (and the
 *     parent tree), and their marked content becomes /Artifact BMC ... EMC in the pages;
 *   - form fields in the reading order: the renderer's empty Form elements get their
 *     widgets (object references, the parent tree), the pages /Tabs /S;
 *   - /ViewerPreferences /DisplayDocTitle: viewers show the document's title, not its file.
 * Private to src/pdf. */
#ifndef WB_PDF_TAGS_H
#define WB_PDF_TAGS_H

#include <qpdf/qpdf-c.h>

#include "pdf/postpass.h"

/* Applies the above to the document q holds.  name: the file in diagnostics.  Returns WB_OK,
 * or WB_ERR_INTERNAL with an error on ctx when the document's structure tree is not the one
 * the tags describe (or qpdf fails). */
wb_status wb_pdf_tag_structure(wb_ctx *ctx, qpdf_data q, const char *name, const wb_pdf_options *opts);

#endif
