/* The PDF post-pass, run by the render stage (stage 4) on cairo's finished file: cairo's PDF ->
 * the PDF we ship, read and written by libqpdf.
 *
 * cairo 1.16 writes what pages need but cannot set everything a document needs, and leaves
 * quirks in its files.  This stage reads cairo's finished file with qpdf, changes the document
 * where asked, and writes it anew:
 *   - the catalog's /Lang (the document language screen readers and PDF/UA need);
 *   - a new cross-reference table and trailer, each object written once with each dictionary
 *     key once (cairo repeats an image's name in a /XObject resource dictionary), objects no
 *     longer reachable from the trailer left out (cairo 1.16 reserves objects for link
 *     annotations' structure that it never writes; see postpass.c);
 *   - a deterministic /ID, computed from the contents: the same input gives the same bytes.
 *   - form fields where the pages have places to write (fields.c);
 *   - what cairo's structure tree lacks: alternative text, languages, artifacts, the title
 *     shown in the window (tags.c).
 *   - PDF/A-2b when asked (pdfa.c).
 *
 * A file that qpdf cannot read, or that it can read only by repairing damage other than
 * cairo's known quirks, is an error: the post-pass never hides a broken renderer. */
#ifndef WB_PDF_POSTPASS_H
#define WB_PDF_POSTPASS_H

#include "workbook/context.h"
#include "workbook/page.h"

/* A form field's widget: where a participant writes or ticks on a page. */
typedef struct wb_pdf_field {
    int page;               /* 0-based page index */
    double x0, y0, x1, y1;  /* the printed frame in PDF user space (origin bottom left), pt */
    wb_field_kind kind;
    const char *name;       /* full name, "ex-1.2/q3": widgets of one name are one field */
    const char *value;      /* WB_FIELD_RADIO: the button's export value; else NULL */
} wb_pdf_field;

/* A structure element the renderer began with cairo_tag_begin, in the order it began them
 * (the order of cairo's structure tree, depth first): what cairo cannot write, added here. */
typedef struct wb_pdf_tag {
    const char *role; /* the structure type it began ("P", "Link"...); "Private" marks an
                       * artifact, which the post-pass takes out of the tree */
    const char *alt;  /* alternative text (/Alt), or NULL */
    const char *lang; /* its language (/Lang), or NULL */
} wb_pdf_tag;

/* A page's boxes for a print shop, in PDF units (x0 y0 x1 y1 from the bottom left of its
 * MediaBox): where it is cut, and how far its printing runs beyond that. */
typedef struct wb_pdf_page_boxes {
    double trim[4], bleed[4];
} wb_pdf_page_boxes;

/* What the post-pass does.  Zero-initialise it ({0}) and set what you need: every field that
 * is added later means "leave the document as it is" when zero, so callers keep working. */
typedef struct wb_pdf_options {
    /* The document language for the catalog's /Lang, a BCP 47 tag such as "fr" or "bg-BG",
     * UTF-8.  Written as a PDF text string: ASCII as it is, anything else as UTF-16BE with a
     * byte order mark.  NULL or "" leaves /Lang as the input has it (cairo writes none). */
    const char *lang;
    /* The file name every diagnostic gives (the render stage passes its target, not the
     * temporary files); NULL: in_path, or out_path for an error writing it. */
    const char *name;
    /* Page boxes, one per page from the first (boxes.c): /TrimBox and /BleedBox are set on
     * each page that has one of non-zero width.  NULL: none. */
    const wb_pdf_page_boxes *boxes;
    size_t box_count;
    /* Form fields to add, in reading order (field_count of them; NULL/0: none). */
    const wb_pdf_field *fields;
    size_t field_count;
    /* Tagged PDF: the structure elements cairo wrote (tag_count; NULL/0: an untagged file,
     * left as it is).  The title shown in the viewer's window, not the file name. */
    const wb_pdf_tag *tags;
    size_t tag_count;
    /* PDF/A-2b: XMP metadata from the document information, an sRGB output intent,
     * printable annotations (pdfa.c). */
    bool pdfa;
} wb_pdf_options;

/* Reads the PDF file in_path, applies opts (NULL: all defaults) and writes the result to
 * out_path.
 *
 * in_path is read whole into memory first.  When out_path is another path, the whole new file
 * is made in memory too and out_path is opened only when it is complete, so every error before
 * that leaves out_path untouched.  When it is the same path (a temporary file being finished),
 * the new file is written over it directly, which takes no second copy in memory: an error
 * found before writing (damage, most of all) leaves it as it was, one while writing removes
 * it.
 * If writing out_path fails, what was written is removed.  in_path is never changed unless it
 * is out_path.
 *
 * Returns WB_OK, or the status of an error recorded on ctx (wb_error, naming the file):
 *   WB_ERR_IO        in_path cannot be read or out_path cannot be written;
 *   WB_ERR_INTERNAL  in_path is not a PDF, is damaged (qpdf errors, or qpdf warnings other than
 *                    cairo's known quirks) or encrypted, or opts is invalid (lang not UTF-8).
 * Nothing is printed: qpdf's own messages go into the diagnostic.  cairo's known quirks give
 * no diagnostic at all.
 *
 * Ownership: ctx, the paths and opts (and its strings) are borrowed for the call only. */
wb_status wb_pdf_postpass(wb_ctx *ctx, const char *in_path, const char *out_path,
                          const wb_pdf_options *opts);

#endif
