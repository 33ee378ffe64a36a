/* Stage 2, transform: a course tree (or any XML document) + an XSLT stylesheet -> a result
 * document, normally XSL-FO.
 *
 * libxslt runs with security preferences that forbid writing files, creating folders and
 * any network access.  xsl:message output becomes a note on the context, and a message with
 * terminate="yes" an error.  The extension function wb:source(node) (namespace
 * "urn:x-workbook:xslt") returns "file:line:col" of a course node, so styles can copy source
 * positions onto the FO they make. */
#ifndef WORKBOOK_TRANSFORM_H
#define WORKBOOK_TRANSFORM_H

#include <libxml/tree.h>

#include "workbook/context.h"

#define WB_XSLT_NS "urn:x-workbook:xslt"

/* Applies the stylesheet file to doc.  params is NULL or a NULL-terminated array of name,
 * value pairs; values are plain strings (quoted here).  Returns a new document the caller
 * frees with xmlFreeDoc, or NULL with errors on ctx. */
xmlDocPtr wb_transform(wb_ctx *ctx, xmlDocPtr doc, const char *stylesheet,
                       const char *const *params);

#endif
