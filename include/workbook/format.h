/* Stage 3, format: an XSL-FO document -> finished pages handed one at a time to a sink.
 *
 * Builds the FO tree (properties resolved), breaks paragraphs into lines with pango
 * (justification, hyphenation by language through libhyphen), stacks blocks, lists and
 * tables, and paginates onto the page masters with their static regions.  Forward references
 * (page-number-citation, "page X of Y") are resolved by formatting again until the page
 * numbers settle (at most a few passes; only the last is rendered).  Each page is handed to
 * the sink as soon as it is complete and freed when the sink returns, so memory follows the
 * page, not the document.  Unsupported objects and properties are reported once each with
 * their line.  */
#ifndef WORKBOOK_FORMAT_H
#define WORKBOOK_FORMAT_H

#include <libxml/tree.h>

#include "workbook/context.h"
#include "workbook/page.h"
#include "workbook/render.h"

/* Formats `fo` (file names the FO in messages; base_dir resolves relative image paths, NULL
 * for the current folder) and renders every page with `r` (borrowed), including bookmarks
 * and document metadata.  Returns WB_OK or an error (also recorded on ctx). */
wb_status wb_format(wb_ctx *ctx, xmlDocPtr fo, const char *file, const char *base_dir,
                    wb_renderer *r);

/* Formats without rendering, writing a text dump of every page's areas to out (tests). */
wb_status wb_format_dump(wb_ctx *ctx, xmlDocPtr fo, const char *file, const char *base_dir,
                         FILE *out);

#endif
