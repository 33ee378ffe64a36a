/* What the parts of the load stage share, private to src/load: the namespaces, source
 * positions and messages at a node, the one rule that turns the loader's URIs into file
 * names, libxml2 error reporting, and the steps wb_load_course (course.c) puts together. */
#ifndef WB_LOAD_PRIVATE_H
#define WB_LOAD_PRIVATE_H

#include <stdbool.h>

#include <glib.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>

#include "context-private.h"
#include "workbook/load.h"

#define XML_NS "http://www.w3.org/XML/1998/namespace"

/* ---- position.c */

/* A URI as the loader meets them (a document's URL, an xml:base, an href resolved against
 * one) as a file name: a file: URI through g_filename_from_uri, any other reference as a
 * path with %-escapes.  Returns a string the caller frees with g_free, or NULL for a URI
 * of another scheme ("http://...") or a file: URI that names no local file. */
char *load_uri_to_path(const char *uri);

/* `ref` resolved against `base` (either may be a file name as written, with spaces or
 * letters beyond ASCII, or a URI), as a URI; NULL when it cannot be made one.  The caller
 * frees it with xmlFree. */
xmlChar *load_build_uri(const xmlChar *ref, const xmlChar *base);

/* `ref` with the bytes a URI may not hold %-escaped (what is escaped already stays), or NULL
 * for NULL.  The caller frees it with xmlFree. */
xmlChar *load_uri_escape(const xmlChar *ref);

/* Line `line` (1-based) of a file, as read, or NULL when the file or the line is not there.
 * The caller frees it with free(). */
char *load_read_line(const char *file, int line);

/* An error at the source position of `node` (see wb_node_position). */
void load_node_error(wb_ctx *ctx, wb_status st, xmlNodePtr node, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* A warning at the source position of `node`, said once per context for the same position
 * and words (a course loaded in every language warns once). */
void load_node_warning(wb_ctx *ctx, xmlNodePtr node, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* ---- parse.c */

/* Where libxml2's structured errors go while parsing a file (or a schema). */
typedef struct xml_error_sink {
    wb_ctx *ctx;
    const char *file;  /* for errors that name no file */
    bool first_only;   /* keep the first error only: what follows is mostly its echo */
    bool error_seen;
} xml_error_sink;

/* An xmlStructuredErrorFunc: data is an xml_error_sink. */
void load_report_xml_error(void *data, xmlErrorPtr err);

/* The parser's options: network off, no entity substitution, no DTD loading (external
 * entities stay unexpanded), big line numbers. */
extern const int load_parse_options;

/* How much text the expansions of one document have put in, against the input limit: an
 * entity made of entities ("billion laughs") stops there. */
typedef struct load_expansion {
    wb_ctx *ctx;
    unsigned long long bytes;
    bool over;
} load_expansion;

/* Entities other than the predefined ones and character references are never expanded
 * (they could read any file); one left in the tree is an error, not a silent hole.  Walks
 * n, its following siblings and what they hold; what an internal entity puts in place is
 * walked in turn (it may hold references itself).  0, or -1 with the error on ex->ctx. */
int load_expand_entities(load_expansion *ex, xmlNodePtr n);

/* The depth of the deepest element below `n` (1 for n itself), walking without recursion;
 * *deepest receives the first element found at more than `limit` (0: none) and *count the
 * nodes seen. */
unsigned long load_tree_depth(xmlNodePtr n, unsigned long limit, xmlNodePtr *deepest, unsigned long long *count);

/* wb_load_xml; `regular`: only a regular file (what a document names, never a device or a
 * pipe), as wb_check_input says. */
xmlDocPtr load_xml_file(wb_ctx *ctx, const char *path, bool regular);

/* ---- profile.c */

/* Removes the children of `root` (at any depth) that the profile does not keep.  When
 * `dropped` is not NULL it maps each parent that lost a child to the name of the first one
 * it lost (a g_strdup'd string), so that a message can say "has no <title> in language". */
void load_profile_filter(xmlNodePtr root, const wb_profile *p, GHashTable *dropped);

/* The language to keep: asked for (an error when the course does not offer it), else the
 * first of the course's languages="...", else the root's xml:lang, else NULL (keep all).
 * Returns a string the caller frees with free(). */
char *load_choose_lang(wb_ctx *ctx, xmlNodePtr root, const char *asked);

/* ---- schema.c: what the course schema says, read from the schema document itself */

/* The attributes the schema declares for every element name (schema_attr entries). */
GPtrArray *schema_read_attributes(xmlDocPtr rng);

/* The first fault of an element's attributes against those declarations, in words (a
 * g_strdup'd string), or NULL when none is found: the element may be valid elsewhere. */
char *schema_attribute_fault(GPtrArray *attrs, xmlNodePtr el);

/* What an element's content lacks or has too many of, by its definitions in the schema (a
 * g_strdup'd string); *at receives the node to report at.  NULL when a definition fits. */
char *schema_content_fault(xmlDocPtr rng, xmlNodePtr el, xmlNodePtr *at);

/* ---- validate.c */

/* Validates doc against the RELAX NG schema at `schema`, reporting each fault in an
 * author's words.  `dropped` and `lang` are the language filter's record (see
 * load_profile_filter), for "has no <title> in language".  Returns 0 or -1. */
int load_validate_schema(wb_ctx *ctx, xmlDocPtr doc, const char *schema, GHashTable *dropped,
                         const char *lang);

/* ---- rules.c */

/* The rules the schema cannot say: ids unique, references resolve, images exist, answers
 * consistent.  Returns 0, or -1 when it reported an error. */
int load_check_rules(wb_ctx *ctx, xmlDocPtr doc);

/* ---- bands.c */

/* The result bands of a <checklist>: errors for a gap between bands, two bands that
 * overlap, and a band whose max is above the highest score the items can give. */
void load_check_bands(wb_ctx *ctx, xmlNodePtr checklist);

/* ---- languages.c */

/* On a course before profiling (every language still in it): a warning for each element
 * with an id, and each module, that is written in some of the course's languages="..." but
 * not in others, so that a forgotten include does not make a book one module short in
 * silence.  Nothing for a course of one language. */
void load_check_languages(wb_ctx *ctx, xmlDocPtr doc);

/* ---- durations.c */

/* On a profiled course: a warning for each module whose timing plan (the minutes of its
 * <timing> steps) does not add up to its <duration minutes>. */
void load_check_durations(wb_ctx *ctx, xmlDocPtr doc);

/* ---- editions.c */

/* On a profiled course: a warning when it holds no exercise (its exercise sheets and answer
 * key have nothing to print).  Once per context. */
void load_check_editions(wb_ctx *ctx, xmlDocPtr doc, const wb_profile *profile);

/* ---- spelling.c */

/* The element names the schema declares, each once (g_strdup'd strings; the caller frees
 * the array with g_ptr_array_free(a, TRUE)). */
GPtrArray *spelling_read_names(xmlDocPtr rng);

/* The declared name nearest `name` (a letter or two left out, added, changed or swapped),
 * or NULL when `name` is declared itself or none is near.  Borrowed from `names`. */
const char *spelling_suggest(const GPtrArray *names, const char *name);

#endif
