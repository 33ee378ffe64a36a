/* Stage 1, load: a course file on disk -> a validated course tree (libxml2 document).
 *
 * Parses with network access off and no external entity expansion, resolves XInclude only
 * inside the course's own folder, keeps the elements of the requested profile (language,
 * edition, audience, brand: DITA-like conditional processing), then validates the result
 * against the course schema (RELAX NG) and the rules a schema cannot say (ids unique, every
 * reference resolves, every image exists).  Errors go to the context as file:line:col. */
#ifndef WORKBOOK_LOAD_H
#define WORKBOOK_LOAD_H

#include <stdbool.h>

#include <libxml/tree.h>

#include "workbook/context.h"

/* What one build keeps.  NULL fields keep everything. */
typedef struct wb_profile {
    const char *lang;     /* "fr"; NULL: the course's first language */
    const char *edition;  /* participant, trainer, exercises, answers */
    const char *audience;
    const char *brand;
} wb_profile;

/* Parses an XML file (no network, no external entities, no DTD loading).  Returns a
 * document the caller frees with xmlFreeDoc, or NULL with errors on ctx. */
xmlDocPtr wb_load_xml(wb_ctx *ctx, const char *path);

/* What wb_load_xml_stream hands a document to, as it reads it.  `streams` says of an element
 * whether its children come one at a time (`start` with the element, its attributes
 * readable but no children yet, then each child, then `end`) or the element comes whole to
 * `node`, with everything it holds; text between streamed elements comes to `node` too.
 * The nodes are borrowed for the call only: the reader frees them as it goes on, so a
 * document of any length takes the memory of its largest piece.  A function returning false
 * stops the reading (the error is on the context). */
typedef struct wb_xml_stream {
    bool (*streams)(void *data, xmlNodePtr element);
    bool (*start)(void *data, xmlNodePtr element);
    bool (*node)(void *data, xmlNodePtr node);
    bool (*end)(void *data);
    void *data;
} wb_xml_stream;

/* Reads an XML file as wb_load_xml does (the same safety, limits and errors: no network, no
 * external entities, internal ones expanded within the input limit, depth and node limits),
 * handing it piece by piece to `stream`.  Returns WB_OK or the error (also on ctx). */
wb_status wb_load_xml_stream(wb_ctx *ctx, const char *path, const wb_xml_stream *stream);

/* An error unless `path` can be read as an input: not a folder, at most WB_LIMIT_INPUT_BYTES
 * when it is a regular file, and a regular file at all when `regular` (what a document names
 * must be: a FIFO or a device could block or never end).  True when it can. */
bool wb_check_input(wb_ctx *ctx, const char *path, bool regular);

/* An error at the first element nested deeper than WB_LIMIT_DEPTH, or when the document
 * holds more than WB_LIMIT_NODES nodes.  True when it is within both. */
bool wb_check_tree(wb_ctx *ctx, xmlDocPtr doc);

/* Parses, includes, profiles and, when schema is not NULL, validates a course.  On success
 * the root element carries xml:lang of the language kept.  Returns a document the caller
 * frees with xmlFreeDoc, or NULL with errors on ctx. */
xmlDocPtr wb_load_course(wb_ctx *ctx, const char *path, const wb_profile *profile,
                         const char *schema);

/* Checks that the language versions of one course agree: docs[i] is the course loaded for
 * langs[i] (wb_load_course; a NULL document is left out).  Each exercise and module present
 * in several languages is compared with its version in the first of them: an exercise's kind,
 * mode, minutes, counts (items, choices, pairs, steps, blanks, bands, criteria, questions)
 * and key (true/false pattern, right choices by position, matching pairs, sequence positions,
 * checklist points and bands, scale); a module's duration, timing steps and order of
 * exercises; the course's
 * duration.  An element with adapted="yes" (or inside one) is skipped.  Each difference is an
 * error on ctx at the second language's element, naming both places.  Returns 0, or -1 when
 * it reported a difference. */
int wb_check_languages(wb_ctx *ctx, xmlDocPtr const *docs, const char *const *langs, size_t n);

/* Resolves XInclude elements of doc whose targets lie inside `root_dir` (NULL: the folder
 * of the document).  Returns 0, or -1 with errors on ctx. */
int wb_xinclude(wb_ctx *ctx, xmlDocPtr doc, const char *root_dir);

/* Removes elements whose profiling attributes do not match (xml:lang by language range,
 * edition/audience/brand as space-separated lists). */
void wb_profile_filter(xmlDocPtr doc, const wb_profile *profile);

/* The source position of a node: the file it came from (through xml:base after XInclude),
 * its line, and the column of its start tag when it can be found.  *file receives a string
 * the caller frees with free(). */
void wb_node_position(xmlNodePtr node, char **file, int *line, int *col);

#endif
