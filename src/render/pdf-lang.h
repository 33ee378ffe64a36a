/* PDF post-pass: the document language in the catalog, and cairo's dangling xref entries.
 *
 * cairo 1.16 cannot set the catalog's /Lang entry, which screen readers and PDF/UA need to
 * pick a voice and hyphenation for the text.  We add it afterwards as an incremental update:
 * the bytes cairo wrote stay as they are and a new version of the catalog object is appended,
 * with a one-entry cross-reference section and a trailer pointing back (/Prev) to cairo's. */
#ifndef WB_RENDER_PDF_LANG_H
#define WB_RENDER_PDF_LANG_H

#include <stddef.h>

/* Return codes of wb_pdf_set_lang. */
enum {
    WB_PDF_LANG_OK = 0,
    WB_PDF_LANG_BADARG = -1,      /* path or lang NULL, lang empty or not UTF-8 */
    WB_PDF_LANG_IO = -2,          /* the file cannot be opened, read or appended to */
    WB_PDF_LANG_NOT_PDF = -3,     /* no "%PDF-" header: not a PDF file at all */
    WB_PDF_LANG_CORRUPT = -4,     /* truncated or malformed: startxref, xref, trailer, catalog */
    WB_PDF_LANG_UNSUPPORTED = -5, /* valid PDF we do not update: cross-reference stream,
                                     encryption, file over 10 GB */
    WB_PDF_LANG_NOMEM = -6
};

/* Appends an incremental update to the PDF file at `path` (written by cairo, the surface
 * finished, not yet renamed into place) that adds /Lang (lang) to the document catalog,
 * keeping every other catalog entry.
 *
 * Reads the last trailer (startxref, classic xref table as cairo writes; a cross-reference
 * stream gives WB_PDF_LANG_UNSUPPORTED), finds /Root n g R (following /Prev when the newest
 * section does not list it), copies the catalog object's dictionary text, adds or replaces
 * /Lang (a PDF text string: ( ) and \ escaped; anything beyond printable ASCII written as
 * UTF-16BE with a BOM in hex), then writes the new object n g, a new xref section with one
 * entry, a trailer with /Size, /Root, /Info if present, /ID if present, /Prev, and startxref.
 * Calling it again replaces the language with a further update.
 *
 * The update is written with one write; if that fails the file is cut back to its former
 * length, so on any error the file is as it was.
 *
 * Returns WB_PDF_LANG_OK (0) on success, a negative WB_PDF_LANG_* code otherwise, with a
 * message in errbuf (size errlen; NULL or 0 for none; always NUL-terminated, "" on success).
 * `path` and `lang` are borrowed. */
int wb_pdf_set_lang(const char *path, const char *lang, char *errbuf, size_t errlen);

/* The post-pass every PDF gets: the same update, where lang may be NULL (no /Lang), that
 * also defines as null objects the entries of cairo's xref table that point at no object
 * (cairo 1.16 reserves objects for link annotations and never writes them, which qpdf
 * reports as a damaged file), and writes again, with each key once, the resource
 * dictionaries where cairo repeats a key.  Writes nothing when there is nothing to add. */
int wb_pdf_finish(const char *path, const char *lang, char *errbuf, size_t errlen);

#endif
