/* The load stage put together: parse, include, make image paths absolute, profile, validate
 * against the schema and the course rules.  Hands on wb_load_course: the course tree that the
 * transform stage reads. */
#include "load/load-private.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/uri.h>

/* Image paths are written relative to the file they are in (XML Base); after inclusion
 * they are rewritten as absolute paths, so the styles copy them as they are and an FO file
 * saved anywhere still finds them.  A missing file keeps its path for the error message. */
static void rebase_images(xmlNodePtr n, xmlDocPtr doc)
{
    for (; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        if (xmlStrEqual(n->name, BAD_CAST "image")) {
            xmlChar *src = xmlGetNoNsProp(n, BAD_CAST "src");
            xmlChar *base = xmlNodeGetBase(doc, n);
            if (src && base && !strstr((const char *)src, "://") && src[0] != '/') {
                xmlChar *uri = load_build_uri(src, base);
                char *path = uri ? load_uri_to_path((const char *)uri) : NULL;
                char real[PATH_MAX];
                if (path && realpath(path, real))
                    xmlSetProp(n, BAD_CAST "src", BAD_CAST real);
                g_free(path);
                xmlFree(uri);
            }
            xmlFree(src);
            xmlFree(base);
        }
        rebase_images(n->children, doc);
    }
}

/* A course file starts with <course>, a module file with <module>. */
static bool root_is_course_or_module(wb_ctx *ctx, xmlNodePtr root)
{
    if (!strcmp((const char *)root->name, "course") || !strcmp((const char *)root->name, "module"))
        return true;
    load_node_error(ctx, WB_ERR_INPUT, root,
                    "<%s> cannot be the root element: a course file starts with <course>, a module file "
                    "with <module>",
                    (const char *)root->name);
    return false;
}

/* Keeps the profile's elements of a loaded course, and validates it when `schema` is not
 * NULL.  Returns 0, or -1 with errors on the context. */
static int profile_and_validate(wb_ctx *ctx, xmlDocPtr doc, const wb_profile *profile, const char *schema)
{
    xmlNodePtr root = xmlDocGetRootElement(doc);
    wb_profile p = profile ? *profile : (wb_profile){0};
    char *lang = load_choose_lang(ctx, root, p.lang);
    if (wb_ctx_status(ctx) != WB_OK) {
        free(lang);
        return -1;
    }
    p.lang = lang;
    GHashTable *dropped = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, g_free);
    load_profile_filter(root, &p, dropped);
    if (lang) {
        xmlNsPtr xmlns = xmlSearchNsByHref(doc, root, BAD_CAST XML_NS);
        xmlSetNsProp(root, xmlns, BAD_CAST "lang", BAD_CAST lang);
    }
    int rc = 0;
    if (schema && !root_is_course_or_module(ctx, root))
        rc = -1;
    else if (schema)
        rc = load_validate_schema(ctx, doc, schema, dropped, p.lang);
    g_hash_table_destroy(dropped);
    free(lang);
    return rc;
}

xmlDocPtr wb_load_course(wb_ctx *ctx, const char *path, const wb_profile *profile, const char *schema)
{
    xmlDocPtr doc = wb_load_xml(ctx, path);
    if (!doc)
        return NULL;
    if (wb_xinclude(ctx, doc, NULL) != 0)
        goto fail;
    rebase_images(xmlDocGetRootElement(doc), doc);
    if (schema)
        load_check_languages(ctx, doc);
    if (profile_and_validate(ctx, doc, profile, schema) != 0)
        goto fail;
    if (load_check_rules(ctx, doc) != 0)
        goto fail;
    if (schema) {
        load_check_durations(ctx, doc);
        load_check_editions(ctx, doc, profile);
    }
    return doc;
fail:
    xmlFreeDoc(doc);
    return NULL;
}
