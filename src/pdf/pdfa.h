/* PDF/A-2b, a step of the PDF post-pass (postpass.c), on what cairo wrote (fonts embedded,
 * opaque drawing, a deterministic /ID from the post-pass):
 *   - XMP metadata (the catalog's /Metadata, uncompressed) saying PDF/A-2b and holding the
 *     document information dictionary's title, author, subject, keywords, creator, producer
 *     and dates, the same values (ISO 19005-2, 6.6.2.3);
 *   - an sRGB output intent with the ICC profile of icc-profiles-free (or colord), as
 *     cairo draws in DeviceRGB;
 *   - every annotation printable and visible (its /F flags).
 * What cairo does not let this step check (transparency groups cairo writes for images with
 * an alpha channel are allowed in PDF/A-2) is named in the README.  Private to src/pdf. */
#ifndef WB_PDF_PDFA_H
#define WB_PDF_PDFA_H

#include <qpdf/qpdf-c.h>

#include "workbook/context.h"

/* Applies the above to the document q holds.  name: the file in diagnostics.  Returns WB_OK,
 * or WB_ERR_INTERNAL with an error on ctx (no sRGB profile to be found, a qpdf error). */
wb_status wb_pdf_make_pdfa(wb_ctx *ctx, qpdf_data q, const char *name);

#endif
