/* What an edition reads while it is built, for its inputs record:
 *  - the course file and every file it includes, text or XML, found by following the
 *    xi:include elements of the files themselves (whatever the loader keeps of them); a file
 *    none of whose elements survive the edition's profile (another language's module) counts
 *    by its profile alone (see batch_profile_hash), the others by their contents;
 *  - every file libxml2 opens while a stylesheet compiles and runs (its imports and includes,
 *    document() such as the strings and the brand table), noted by an input callback that
 *    looks at each name and lets libxml2's own callbacks open it;
 *  - the images and font families the XSL-FO names.
 * Paths are kept as read, but a file: URI becomes a path and an absolute path below the
 * current folder a relative one, so that the record holds on another machine with the same
 * tree.  Hands on batch_observe_files, batch_course_files, batch_file_survives,
 * batch_inputs_from_fo and batch_add_unique. */
#include "batch/batch-private.h"

#include <string.h>
#include <unistd.h>

#include <libxml/xmlIO.h>

#include "workbook/load.h"

#define XI_NS "http://www.w3.org/2001/XInclude"
#define FO_NS "http://www.w3.org/1999/XSL/Format"

void batch_add_unique(GPtrArray *list, const char *s)
{
    for (guint i = 0; i < list->len; i++)
        if (!strcmp(g_ptr_array_index(list, i), s))
            return;
    g_ptr_array_add(list, g_strdup(s));
}

char *batch_normal_path(const char *name)
{
    char *path = g_str_has_prefix(name, "file:") ? g_filename_from_uri(name, NULL, NULL) : NULL;
    if (!path)
        path = g_strdup(name);
    char *cwd = g_get_current_dir();
    size_t n = strlen(cwd);
    if (g_path_is_absolute(path) && !strncmp(path, cwd, n) && path[n] == '/') {
        char *rel = g_strdup(path + n + 1);
        g_free(path);
        path = rel;
    }
    g_free(cwd);
    return path;
}

/* ------------------------------------------------------------------ libxml2's input */

static GPtrArray *observed; /* where names go, NULL: nowhere */

static int note_file(const char *name)
{
    if (observed && name && (!strstr(name, "://") || g_str_has_prefix(name, "file://"))) {
        char *p = batch_normal_path(name);
        batch_add_unique(observed, p);
        g_free(p);
    }
    return 0; /* never ours to open: the next callback (libxml2's own) opens it */
}

static void *never_open(const char *name) { return NULL; }
static int never_read(void *ctx, char *buf, int len) { return -1; }
static int never_close(void *ctx) { return 0; }

void batch_observe_files(GPtrArray *into)
{
    static bool installed;
    if (!installed) {
        /* the last registered is asked first */
        xmlRegisterInputCallbacks(note_file, never_open, never_read, never_close);
        installed = true;
    }
    observed = into;
}

/* ------------------------------------------------------------------ course files */

static void course_files_of(const char *path, GPtrArray *into, GPtrArray *text, int depth)
{
    char *p = batch_normal_path(path);
    bool seen = false;
    for (guint i = 0; i < into->len && !seen; i++)
        seen = !strcmp(g_ptr_array_index(into, i), p);
    if (!seen)
        g_ptr_array_add(into, g_strdup(p));
    g_free(p);
    if (seen || depth > 16)
        return;
    wb_ctx *scratch = wb_ctx_new();
    xmlDocPtr doc = wb_load_xml(scratch, path);
    wb_ctx_free(scratch);
    if (!doc)
        return; /* noted: its hash says "-" until it can be read */
    char *dir = g_path_get_dirname(path);
    GPtrArray *stack = g_ptr_array_new();
    g_ptr_array_add(stack, xmlDocGetRootElement(doc));
    while (stack->len) {
        xmlNodePtr n = g_ptr_array_remove_index(stack, stack->len - 1);
        for (xmlNodePtr c = n->children; c; c = c->next)
            if (c->type == XML_ELEMENT_NODE)
                g_ptr_array_add(stack, c);
        if (!n->ns || !xmlStrEqual(n->ns->href, BAD_CAST XI_NS) || !xmlStrEqual(n->name, BAD_CAST "include"))
            continue;
        xmlChar *href = xmlGetNoNsProp(n, BAD_CAST "href");
        xmlChar *parse = xmlGetNoNsProp(n, BAD_CAST "parse");
        if (href && *href && !strstr((const char *)href, "://")) {
            char *sub = g_path_is_absolute((const char *)href) ? g_strdup((const char *)href)
                                                               : g_build_filename(dir, (const char *)href, NULL);
            if (parse && xmlStrEqual(parse, BAD_CAST "text")) {
                char *sp = batch_normal_path(sub);
                batch_add_unique(text ? text : into, sp);
                g_free(sp);
            } else {
                course_files_of(sub, into, text, depth + 1);
            }
            g_free(sub);
        }
        xmlFree(href);
        xmlFree(parse);
    }
    g_ptr_array_free(stack, TRUE);
    g_free(dir);
    xmlFreeDoc(doc);
}

void batch_course_files(const char *course, GPtrArray *xml, GPtrArray *text)
{
    course_files_of(course, xml, text, 0);
}

/* A URI of the loaded course (its URL, an xml:base resolved) as a canonical path. */
static char *canonical(const char *uri)
{
    char *path = g_str_has_prefix(uri, "file:") ? g_filename_from_uri(uri, NULL, NULL) : g_uri_unescape_string(uri, NULL);
    if (!path)
        path = g_strdup(uri);
    char *c = g_canonicalize_filename(path, NULL);
    g_free(path);
    return c;
}

bool batch_file_survives(xmlDocPtr course, const char *file)
{
    char *want = canonical(file);
    bool found = false;
    if (course->URL) {
        char *c = canonical((const char *)course->URL);
        found = !strcmp(c, want);
        g_free(c);
    }
    GPtrArray *stack = g_ptr_array_new();
    g_ptr_array_add(stack, xmlDocGetRootElement(course));
    while (stack->len && !found) {
        xmlNodePtr n = g_ptr_array_remove_index(stack, stack->len - 1);
        for (xmlNodePtr c = n->children; c; c = c->next)
            if (c->type == XML_ELEMENT_NODE)
                g_ptr_array_add(stack, c);
        if (!xmlHasNsProp(n, BAD_CAST "base", XML_XML_NAMESPACE))
            continue;
        xmlChar *base = xmlNodeGetBase(course, n);
        if (base) {
            char *c = canonical((const char *)base);
            found = !strcmp(c, want);
            g_free(c);
        }
        xmlFree(base);
    }
    g_ptr_array_free(stack, TRUE);
    g_free(want);
    return found;
}

/* ------------------------------------------------------------------ the FO */

/* The file an external-graphic's src names: url('x'), url(x) or x, relative to base_dir. */
static char *image_file(const char *src, const char *base_dir)
{
    char *v = g_strstrip(g_strdup(src));
    if (g_str_has_prefix(v, "url(") && g_str_has_suffix(v, ")")) {
        char *in = g_strstrip(g_strndup(v + 4, strlen(v) - 5));
        size_t n = strlen(in);
        if (n >= 2 && (in[0] == '\'' || in[0] == '"') && in[n - 1] == in[0]) {
            memmove(in, in + 1, n - 2);
            in[n - 2] = 0;
        }
        g_free(v);
        v = in;
    }
    if (strstr(v, "://") && !g_str_has_prefix(v, "file:")) {
        g_free(v);
        return NULL; /* never fetched: not an input */
    }
    char *file = g_str_has_prefix(v, "file:") ? g_filename_from_uri(v, NULL, NULL) : g_strdup(v);
    g_free(v);
    if (file && !g_path_is_absolute(file) && base_dir && strcmp(base_dir, ".") != 0) {
        char *joined = g_build_filename(base_dir, file, NULL);
        g_free(file);
        file = joined;
    }
    char *path = file ? batch_normal_path(file) : NULL;
    g_free(file);
    return path;
}

static void add_families(GPtrArray *families, const char *value)
{
    gchar **names = g_strsplit(value, ",", -1);
    for (int i = 0; names[i]; i++) {
        char *n = g_strstrip(names[i]);
        size_t len = strlen(n);
        if (len >= 2 && (n[0] == '\'' || n[0] == '"') && n[len - 1] == n[0]) {
            n[len - 1] = 0;
            n++;
        }
        if (*n)
            batch_add_unique(families, n);
    }
    g_strfreev(names);
}

void batch_inputs_from_fo(batch_inputs *in, xmlDocPtr fo, const char *base_dir)
{
    GPtrArray *stack = g_ptr_array_new();
    g_ptr_array_add(stack, xmlDocGetRootElement(fo));
    while (stack->len) {
        xmlNodePtr n = g_ptr_array_remove_index(stack, stack->len - 1);
        for (xmlNodePtr c = n->children; c; c = c->next)
            if (c->type == XML_ELEMENT_NODE)
                g_ptr_array_add(stack, c);
        if (!n->ns || !xmlStrEqual(n->ns->href, BAD_CAST FO_NS))
            continue;
        xmlChar *family = xmlGetNoNsProp(n, BAD_CAST "font-family");
        if (family)
            add_families(in->families, (const char *)family);
        xmlFree(family);
        if (!xmlStrEqual(n->name, BAD_CAST "external-graphic"))
            continue;
        xmlChar *src = xmlGetNoNsProp(n, BAD_CAST "src");
        char *file = src ? image_file((const char *)src, base_dir) : NULL;
        if (file)
            batch_add_unique(in->files, file);
        g_free(file);
        xmlFree(src);
    }
    g_ptr_array_free(stack, TRUE);
}
