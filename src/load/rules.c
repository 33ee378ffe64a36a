/* The course rules a schema cannot say: ids used once, references (xref, matching, case)
 * that resolve, image files that exist, exercise answers that hold together.  Hands on
 * load_check_rules to course.c. */
#include "load/load-private.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libxml/uri.h>

/* ------------------------------------------------------------------ ids and references */

/* Every id into `ids` (id -> its first element); a second use is an error. */
static void collect_ids(xmlNodePtr n, GHashTable *ids, wb_ctx *ctx)
{
    for (; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        xmlChar *id = xmlGetNoNsProp(n, BAD_CAST "id");
        xmlNodePtr first = id ? g_hash_table_lookup(ids, id) : NULL;
        if (first) {
            char *pf;
            int pl, pc;
            wb_node_position(first, &pf, &pl, &pc);
            load_node_error(ctx, WB_ERR_INPUT, n, "duplicate id \"%s\" (first used at %s:%d)", id,
                            pf ? pf : "?", pl);
            free(pf);
            xmlFree(id);
        } else if (id) {
            g_hash_table_insert(ids, id, n);
        }
        collect_ids(n->children, ids, ctx);
    }
}

/* The attribute of `n` that names another element's id, or NULL. */
static const char *reference_attribute(xmlNodePtr n)
{
    const char *name = (const char *)n->name;
    if (strcmp(name, "xref") == 0)
        return "ref";
    if (strcmp(name, "item") == 0 && n->parent && xmlStrEqual(n->parent->name, BAD_CAST "left"))
        return "match";
    if (strcmp(name, "discussion") == 0)
        return "case";
    return NULL;
}

/* An <image>'s file, found through the XML Base of the file it was written in; like an
 * include, it must lie in the course folder `root` (canonical), links resolved: a course
 * cannot put a picture from elsewhere on the machine into its PDF. */
static void check_image_file(xmlNodePtr n, const char *root, wb_ctx *ctx)
{
    xmlChar *src = xmlGetNoNsProp(n, BAD_CAST "src");
    xmlChar *base = xmlNodeGetBase(n->doc, n);
    xmlChar *uri = src ? load_build_uri(src, base) : NULL;
    if (uri) {
        /* a URI that names no local file is named as it is */
        char *path = load_uri_to_path((const char *)uri);
        const char *file = path ? path : (const char *)uri;
        char real[PATH_MAX];
        size_t rl = root ? strlen(root) : 0;
        if (access(file, R_OK) != 0)
            load_node_error(ctx, WB_ERR_INPUT, n, "<image src=\"%s\">: the file %s is missing", src, file);
        else if (root && (!realpath(file, real) || strncmp(real, root, rl) != 0 || (real[rl] != '/' && rl > 1)))
            load_node_error(ctx, WB_ERR_INPUT, n, "<image src=\"%s\">: the file lies outside the course folder %s", src,
                            root);
        g_free(path);
    }
    xmlFree(uri);
    xmlFree(base);
    xmlFree(src);
}

/* An <image> without alt: a warning, as a screen reader then has nothing to say of it (the
 * alternative text of the figure in tagged PDF). */
static void check_image_alt(xmlNodePtr n, wb_ctx *ctx)
{
    xmlChar *alt = xmlGetNoNsProp(n, BAD_CAST "alt");
    bool blank = true;
    for (const xmlChar *c = alt; c && *c && blank; c++)
        blank = g_ascii_isspace(*c);
    if (blank) {
        char *file;
        int line, col;
        wb_node_position(n, &file, &line, &col);
        wb_warning(ctx, file, line, col, "<image> without alt: the figure has no description for readers who cannot see it (tagged PDF)");
        free(file);
    }
    xmlFree(alt);
}

static void check_references(xmlNodePtr n, GHashTable *ids, const char *root, wb_ctx *ctx)
{
    for (; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        const char *attr = reference_attribute(n);
        xmlChar *v = attr ? xmlGetNoNsProp(n, BAD_CAST attr) : NULL;
        if (v && !g_hash_table_lookup(ids, v))
            load_node_error(ctx, WB_ERR_INPUT, n, "<%s %s=\"%s\">: no element has the id \"%s\"",
                            (const char *)n->name, attr, v, v);
        xmlFree(v);
        if (xmlStrEqual(n->name, BAD_CAST "image")) {
            check_image_file(n, root, ctx);
            check_image_alt(n, ctx);
        }
        check_references(n->children, ids, root, ctx);
    }
}

/* ------------------------------------------------------------------ exercises */

/* An item of a single- or multiple-choice exercise: how many choices are correct. */
static void check_choice_item(xmlNodePtr item, bool single, wb_ctx *ctx)
{
    int correct = 0;
    for (xmlNodePtr c = item->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE || !xmlStrEqual(c->name, BAD_CAST "choice"))
            continue;
        xmlChar *v = xmlGetNoNsProp(c, BAD_CAST "correct");
        if (v && xmlStrEqual(v, BAD_CAST "true"))
            correct++;
        xmlFree(v);
    }
    if (single && correct != 1)
        load_node_error(ctx, WB_ERR_INPUT, item,
                        "a single-choice item needs exactly one choice with correct=\"true\" (it has %d)",
                        correct);
    if (!single && correct < 1)
        load_node_error(ctx, WB_ERR_INPUT, item,
                        "a multiple-choice item needs at least one choice with correct=\"true\"");
}

/* The steps of a sequencing exercise: positions 1..count, each once. */
static void check_sequencing(xmlNodePtr seq, wb_ctx *ctx)
{
    int count = 0;
    for (xmlNodePtr c = seq->children; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE)
            count++;
    char seen[256] = {0};
    for (xmlNodePtr c = seq->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        xmlChar *v = xmlGetNoNsProp(c, BAD_CAST "position");
        long pos = v ? strtol((const char *)v, NULL, 10) : 0;
        if (pos < 1 || pos > count || pos > 255)
            load_node_error(ctx, WB_ERR_INPUT, c, "step position %s is not between 1 and %d",
                            v ? (const char *)v : "?", count);
        else if (seen[pos]++)
            load_node_error(ctx, WB_ERR_INPUT, c, "step position %ld is used twice", pos);
        xmlFree(v);
    }
}

/* min and max of a rating scale or a band: min may not be above max. */
static void check_min_max(xmlNodePtr n, const char *what, wb_ctx *ctx)
{
    xmlChar *lo = xmlGetNoNsProp(n, BAD_CAST "min"), *hi = xmlGetNoNsProp(n, BAD_CAST "max");
    if (lo && hi && atoi((const char *)lo) > atoi((const char *)hi))
        load_node_error(ctx, WB_ERR_INPUT, n, "%s min %s is greater than max %s", what, lo, hi);
    xmlFree(lo);
    xmlFree(hi);
}

/* A fill-in needs a <gap> in one of its children. */
static void check_fill_in(xmlNodePtr n, wb_ctx *ctx)
{
    bool gap = false;
    for (xmlNodePtr c = n->children; c && !gap; c = c->next)
        for (xmlNodePtr g = c->type == XML_ELEMENT_NODE ? c->children : NULL; g && !gap; g = g->next)
            gap = g->type == XML_ELEMENT_NODE && xmlStrEqual(g->name, BAD_CAST "gap");
    if (!gap)
        load_node_error(ctx, WB_ERR_INPUT, n, "<fill-in> has no <gap answer=\"...\"/>: there is nothing to fill in");
}

static void check_exercise_answers(xmlNodePtr n, wb_ctx *ctx)
{
    for (; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        const char *name = (const char *)n->name;
        bool single = n->parent && xmlStrEqual(n->parent->name, BAD_CAST "single-choice");
        bool multi = n->parent && xmlStrEqual(n->parent->name, BAD_CAST "multiple-choice");
        if (strcmp(name, "item") == 0 && (single || multi))
            check_choice_item(n, single, ctx);
        else if (strcmp(name, "sequencing") == 0)
            check_sequencing(n, ctx);
        else if (strcmp(name, "rating-scale") == 0)
            check_min_max(n, "rating-scale", ctx);
        else if (strcmp(name, "fill-in") == 0)
            check_fill_in(n, ctx);
        else if (strcmp(name, "band") == 0)
            check_min_max(n, "band", ctx);
        else if (strcmp(name, "checklist") == 0)
            load_check_bands(ctx, n);
        check_exercise_answers(n->children, ctx);
    }
}

int load_check_rules(wb_ctx *ctx, xmlDocPtr doc)
{
    wb_status before = wb_ctx_status(ctx);
    GHashTable *ids = g_hash_table_new_full(g_str_hash, g_str_equal, xmlFree, NULL);
    xmlNodePtr root = xmlDocGetRootElement(doc);
    collect_ids(root, ids, ctx);
    /* the course folder: where the course file is (its includes stayed there too) */
    char *path = doc->URL ? load_uri_to_path((const char *)doc->URL) : NULL;
    char *dir = path ? g_path_get_dirname(path) : NULL;
    char folder[PATH_MAX];
    bool known = dir && realpath(dir, folder);
    check_references(root, ids, known ? folder : NULL, ctx);
    g_free(dir);
    g_free(path);
    check_exercise_answers(root, ctx);
    g_hash_table_destroy(ids);
    return before == WB_OK && wb_ctx_status(ctx) != WB_OK ? -1 : 0;
}
