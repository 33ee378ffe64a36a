/* Stage 3, format: an XSL-FO document -> finished pages handed one at a time to a page sink,
 * and the document information (metadata, outline) as data.  It never draws: the driver
 * (workbook/build.h) connects the sink to a renderer.
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

#include <stdio.h>

#include <libxml/tree.h>

#include "workbook/context.h"
#include "workbook/page.h"

/* What formatting many documents shares: the font map and the hyphenation dictionaries,
 * loaded once.  Not thread-safe: one per thread.  Free with wb_format_cache_free. */
typedef struct wb_format_cache wb_format_cache;
wb_format_cache *wb_format_cache_new(void);
void wb_format_cache_free(wb_format_cache *cache);

typedef struct wb_format_options {
    const char *file;        /* names the FO in messages */
    const char *base_dir;    /* resolves relative image paths; NULL: the current folder */
    wb_format_cache *cache;  /* borrowed; NULL: a cache of its own for this call */
    bool missing_images_ok;  /* an image file that is not there is a warning and leaves its
                              * space, as Apache FOP does (FO written by another tool);
                              * false: an error */
} wb_format_options;

/* Formats `fo` and hands every page of it, in order, to `sink` (each page borrowed for the
 * call).  When `info` is not NULL it receives the document's metadata and outline, owned by
 * the caller (wb_docinfo_clear).  Returns WB_OK or an error (also recorded on ctx). */
wb_status wb_format(wb_ctx *ctx, xmlDocPtr fo, const wb_format_options *opts, const wb_page_sink *sink,
                    wb_docinfo *info);

/* The same for a tree the FO layer built (src/fo/fo.h: wb_fo_tree_new, or wb_fo_builder as a
 * parser reads the file); the tree is borrowed. */
typedef struct wb_fo_tree wb_fo_tree;
wb_status wb_format_tree(wb_ctx *ctx, const wb_fo_tree *tree, const wb_format_options *opts,
                         const wb_page_sink *sink, wb_docinfo *info);

/* Formats, writing a text dump of every page's areas to out (wb_page_dump; for tests), as
 * `workbook render --dump` does: a missing image is a warning (missing_images_ok). */
wb_status wb_format_dump(wb_ctx *ctx, xmlDocPtr fo, const char *file, const char *base_dir, FILE *out);

#endif
