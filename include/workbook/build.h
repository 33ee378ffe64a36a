/* The driver: the whole pipeline in one call, load -> transform -> format -> render.
 *
 * wb_build takes a course (or, with a stylesheet of one's own, any XML document), applies
 * the edition's stylesheet with its parameters, formats the XSL-FO and renders it to PDF,
 * PNG or SVG, or writes the XSL-FO itself.  wb_render_fo does the last two stages for an
 * XSL-FO document already in memory, wb_render_fo_file for an XSL-FO file.  Errors go to the context as file:line:col; an
 * existing output is replaced only by a complete new one.  Every string is borrowed. */
#ifndef WORKBOOK_BUILD_H
#define WORKBOOK_BUILD_H

#include <libxml/tree.h>

#include "workbook/context.h"
#include "workbook/format.h"
#include "workbook/load.h"
#include "workbook/render.h"
#include "workbook/transform.h"

/* WB_BUILD_CONTACT: a contact sheet, every page as a thumbnail on one PNG (render.h). */
typedef enum { WB_BUILD_PDF, WB_BUILD_PNG, WB_BUILD_SVG, WB_BUILD_FO, WB_BUILD_CONTACT } wb_build_format;

typedef struct wb_build_options {
    const char *input;          /* the course file (or any XML file with `stylesheet`) */
    const char *output;         /* the file to write; PNG and SVG: one per page (see render.h) */
    wb_build_format format;
    double dpi;                 /* PNG resolution; 0: 96 (a contact sheet's thumbnails: 20) */
    const char *styles_dir;     /* the shipped styles: edition stylesheets and the schema */
    const char *stylesheet;     /* NULL: styles_dir/EDITION.xsl and the input is a course */
    wb_profile profile;         /* language, edition (default participant), audience, brand */
    const char *paper;          /* NULL: the stylesheet's default */
    const char *const *params;  /* NULL or a NULL-terminated list of name, value pairs */
    wb_format_cache *cache;     /* NULL: one of its own for this build */
    const wb_page_sink *sink;   /* NULL: render to `output`; else each finished page goes to
                                 * this sink and nothing is written (output and format unused) */
    const wb_stylesheet *compiled; /* NULL: the stylesheet is compiled for this build; else
                                    * this one, compiled from that same file, is applied */
    bool tagged;                /* with `stylesheet`: a tagged PDF too (an edition of a course
                                 * with the shipped styles always is; other documents, such as
                                 * a mail merge's letters, only when asked: tagging costs a
                                 * long document's post-pass as much as the rest) */
} wb_build_options;

/* Builds one edition.  Returns WB_OK or the first error (also recorded on ctx).  The dates
 * inside a PDF are the context's (SOURCE_DATE_EPOCH), else the course's own <date> (see
 * wb_course_date), else the time of the build. */
wb_status wb_build(wb_ctx *ctx, const wb_build_options *opts);

/* The date of a loaded course, its <meta><date> (YYYY-MM-DD) as seconds since the epoch at
 * midnight UTC; 0 when it has none. */
long long wb_course_date(xmlDocPtr course);

/* Formats an XSL-FO document and renders it to `output` (name: the FO's name in messages;
 * base_dir resolves relative image paths, NULL for the current folder).  `format` is PDF,
 * PNG or SVG.  The FO may come from another tool: an image file that is not there is a
 * warning and leaves its place, as Apache FOP does (in wb_build it is an error).  A PDF is
 * tagged only when `tagged` says so, as FOP makes tagged PDF only when asked (a course's
 * editions from wb_build always are). */
wb_status wb_render_fo(wb_ctx *ctx, xmlDocPtr fo, const char *name, const char *base_dir,
                       wb_build_format format, const char *output, double dpi, wb_format_cache *cache,
                       bool tagged);

/* The same for an XSL-FO file, read as it is formatted: the formatter's tree is built as
 * the parser goes (wb_load_xml_stream), so the XML document is never whole in memory, as
 * `workbook render` wants for a long document.  The file's own name is its name in
 * messages. */
wb_status wb_render_fo_file(wb_ctx *ctx, const char *path, const char *base_dir, wb_build_format format,
                            const char *output, double dpi, wb_format_cache *cache, bool tagged);

#endif
