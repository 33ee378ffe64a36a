/* Form fields for fillable workbooks, a step of the PDF post-pass (postpass.c): the places a
 * participant writes, as the formatter found them on the pages (WB_AREA_FIELD), become an
 * interactive form (ISO 32000-1, 12.7) in the document cairo wrote:
 *   - the catalog's /AcroForm with the fields, and a font for their text in /DR: PT Sans (or
 *     DejaVu Sans), the whole font program embedded as a Type0 font with Identity-H, so a
 *     viewer that sets a typed answer in it has every Latin and Cyrillic letter;
 *   - per field a terminal field dictionary, named by its full name split at the periods
 *     ("ex-1.2/q3" is the field "2/q3" below the field "ex-1": a partial name may not hold a
 *     period, and a viewer joins them again into the name the styles gave);
 *   - per printed frame a widget annotation with appearance streams that draw nothing while
 *     the field is empty or off (the printed frame is the page's own), and a tick when on;
 *     radio buttons of one name are one field (a group), check boxes export /Yes;
 *   - the widgets added to their page's /Annots in the order given, the reading order.
 * Private to src/pdf. */
#ifndef WB_PDF_FIELDS_H
#define WB_PDF_FIELDS_H

#include <stddef.h>

#include <qpdf/qpdf-c.h>

#include "pdf/postpass.h"

/* Adds opts->fields (opts->field_count of them) to the document q holds.  name: the file in
 * diagnostics.  Returns WB_OK, or WB_ERR_INTERNAL with an error on ctx (a field on a page the
 * document does not have, no font for the fields, a qpdf error). */
wb_status wb_pdf_add_fields(wb_ctx *ctx, qpdf_data q, const char *name, const wb_pdf_options *opts);

#endif
