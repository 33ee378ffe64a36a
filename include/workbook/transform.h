/* Stage 2, transform: a course tree (or any XML document) + an XSLT stylesheet -> a result
 * document, normally XSL-FO.
 *
 * libxslt runs with security preferences that forbid writing files, creating folders and
 * any network access.  document(), xsl:import, xsl:include and external entities read only
 * regular files in the folder of `doc` (its URL), the stylesheet's own folder and the
 * folders of wb_ctx_add_read_folder, symbolic links resolved; a read elsewhere stops the run
 * with an error at the instruction.  A run is bounded by the context's limits: its time
 * (WB_LIMIT_SECONDS), the nodes and memory it makes (WB_LIMIT_NODES, WB_LIMIT_MEMORY), its
 * result's depth (WB_LIMIT_DEPTH), the size of what it reads (WB_LIMIT_INPUT_BYTES).  Errors
 * are file:line:col in the stylesheet with the template named, and never quote a file.
 * Runs may go on in several threads, each with its own context.  xsl:message output becomes
 * a note on the context, and a message with terminate="yes" an error.  The extension function wb:source(node) (namespace
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

/* A stylesheet compiled once and applied to many documents (a batch's editions), under the
 * same rules as wb_transform: its imports and includes confined to its own folder and the
 * context's read folders; each application's reads to the document's folder besides, with
 * the limits and messages of a run of its own.  wb_stylesheet_compile returns NULL with
 * errors on ctx; wb_stylesheet_apply returns a new document (xmlFreeDoc) or NULL with errors
 * on ctx; the stylesheet may be applied from one thread at a time.  The caller frees it with
 * wb_stylesheet_free. */
typedef struct wb_stylesheet wb_stylesheet;
wb_stylesheet *wb_stylesheet_compile(wb_ctx *ctx, const char *path);
xmlDocPtr wb_stylesheet_apply(wb_ctx *ctx, const wb_stylesheet *s, xmlDocPtr doc, const char *const *params);
void wb_stylesheet_free(wb_stylesheet *s);

#endif
