/* Brand kits: finding a brand by name and making its kit usable.  See brand.h. */
#include "driver/brand.h"

#include <stdlib.h>
#include <string.h>

#include <fontconfig/fontconfig.h>
#include <libxml/relaxng.h>

#include "workbook/load.h"

static bool is_path(const char *name) { return strchr(name, '/') || g_str_has_suffix(name, ".xml"); }

static void quiet_error(void *data, xmlErrorPtr err) {}

static void schema_error(void *data, xmlErrorPtr err)
{
    wb_ctx *ctx = data;
    if (err && err->level >= XML_ERR_ERROR)
        wb_error(ctx, WB_ERR_INPUT, err->file ? err->file : "brand.xml", err->line, 1, "%s",
                 g_strchomp(err->message ? err->message : (char *)"not a valid brand file"));
}

/* The plainer words libxml2's schema errors lack ("failed to validate attributes"): each
 * attribute that is unknown or not a colour, at the element's position.  The count of
 * faults. */
static int check_attributes(wb_ctx *ctx, xmlNodePtr root)
{
    static const char *const known[] = {"id", "name", "primary", "accent", "tint", "note",
                                        "body-font", "heading-font", "logo", NULL};
    static const char *const colours[] = {"primary", "accent", "tint", "note", NULL};
    char *file = NULL;
    int line = 0, col = 0, faults = 0;
    wb_node_position(root, &file, &line, &col);
    if (!xmlStrEqual(root->name, BAD_CAST "brand")) {
        wb_error(ctx, WB_ERR_INPUT, file, line, col, "<%s>: a brand file's root is <brand>", (const char *)root->name);
        free(file);
        return 1;
    }
    for (xmlAttrPtr a = root->properties; a; a = a->next) {
        xmlChar *v = xmlNodeGetContent((xmlNodePtr)a);
        const char *name = (const char *)a->name, *value = v ? (const char *)v : "";
        bool colour_ok = strlen(value) == 7 && value[0] == '#' && strspn(value + 1, "0123456789abcdefABCDEF") == 6;
        if (!a->ns && !g_strv_contains(known, name)) {
            wb_error(ctx, WB_ERR_INPUT, file, line, col, "<brand %s=\"%s\">: no such attribute (%s)", name, value,
                     "id name primary accent tint note body-font heading-font logo");
            faults++;
        } else if (!a->ns && g_strv_contains(colours, name) && !colour_ok) {
            wb_error(ctx, WB_ERR_INPUT, file, line, col, "<brand %s=\"%s\">: a colour is #RRGGBB", name, value);
            faults++;
        }
        xmlFree(v);
    }
    static const char *const required[] = {"id", "primary", "accent"};
    for (size_t i = 0; i < G_N_ELEMENTS(required); i++)
        if (!xmlHasProp(root, BAD_CAST required[i])) {
            wb_error(ctx, WB_ERR_INPUT, file, line, col, "<brand>: no %s attribute (styles/brand.rnc)", required[i]);
            faults++;
        }
    free(file);
    return faults;
}

/* A brand file, loaded and checked against STYLES_DIR/brand.rng; NULL with errors on ctx. */
static xmlDocPtr load_brand_file(wb_ctx *ctx, const char *styles_dir, const char *path)
{
    xmlDocPtr doc = wb_load_xml(ctx, path);
    if (!doc)
        return NULL;
    if (check_attributes(ctx, xmlDocGetRootElement(doc)) > 0) {
        xmlFreeDoc(doc);
        return NULL;
    }
    char *schema = g_build_filename(styles_dir, "brand.rng", NULL);
    xmlRelaxNGParserCtxtPtr pc = xmlRelaxNGNewParserCtxt(schema);
    xmlRelaxNGSetParserStructuredErrors(pc, quiet_error, NULL);
    xmlRelaxNGPtr rng = pc ? xmlRelaxNGParse(pc) : NULL;
    xmlRelaxNGFreeParserCtxt(pc);
    int rc = -1;
    if (!rng) {
        wb_error(ctx, WB_ERR_IO, schema, 0, 0, "cannot read the brand schema (see --styles-dir)");
    } else {
        xmlRelaxNGValidCtxtPtr vc = xmlRelaxNGNewValidCtxt(rng);
        xmlRelaxNGSetValidStructuredErrors(vc, schema_error, ctx);
        rc = xmlRelaxNGValidateDoc(vc, doc);
        xmlRelaxNGFreeValidCtxt(vc);
        xmlRelaxNGFree(rng);
        if (rc != 0 && wb_ctx_status(ctx) == WB_OK)
            wb_error(ctx, WB_ERR_INPUT, path, 0, 0, "not a valid brand file (styles/brand.rnc)");
    }
    g_free(schema);
    if (rc != 0) {
        xmlFreeDoc(doc);
        return NULL;
    }
    return doc;
}

/* The id of a brand file's root; caller frees with g_free. */
static char *brand_id(xmlDocPtr doc)
{
    xmlChar *id = xmlGetNoNsProp(xmlDocGetRootElement(doc), BAD_CAST "id");
    char *s = g_strdup((const char *)id);
    xmlFree(id);
    return s;
}

static void fill_kit(wb_brand_kit *kit, char *id, const char *path)
{
    char *abs = g_canonicalize_filename(path, NULL);
    char *dir = g_path_get_dirname(abs);
    char *fonts = g_build_filename(dir, "fonts", NULL);
    kit->id = id;
    kit->file = abs;
    kit->dir = g_strconcat(dir, G_DIR_SEPARATOR_S, NULL);
    kit->fonts = g_file_test(fonts, G_FILE_TEST_IS_DIR) ? fonts : NULL;
    if (!kit->fonts)
        g_free(fonts);
    g_free(dir);
}

/* The brand file of a folder, when it has one that can be read, with its id. */
static char *folder_brand(const char *dir, char **path)
{
    *path = g_build_filename(dir, "brand.xml", NULL);
    if (!g_file_test(*path, G_FILE_TEST_IS_REGULAR))
        return NULL;
    wb_ctx *quiet = wb_ctx_new();
    xmlDocPtr doc = wb_load_xml(quiet, *path);
    wb_ctx_free(quiet);
    char *id = doc ? brand_id(doc) : NULL;
    xmlFreeDoc(doc);
    return id;
}

/* The ids of the brand table, in its order; caller frees with g_strfreev. */
static char **table_ids(const char *styles_dir)
{
    char *table = g_build_filename(styles_dir, "brands.xml", NULL);
    wb_ctx *quiet = wb_ctx_new();
    xmlDocPtr doc = wb_load_xml(quiet, table);
    wb_ctx_free(quiet);
    g_free(table);
    GPtrArray *ids = g_ptr_array_new();
    for (xmlNodePtr n = doc ? xmlDocGetRootElement(doc)->children : NULL; n; n = n->next) {
        xmlChar *id = n->type == XML_ELEMENT_NODE && xmlStrEqual(n->name, BAD_CAST "brand")
                          ? xmlGetNoNsProp(n, BAD_CAST "id") : NULL;
        if (id)
            g_ptr_array_add(ids, g_strdup((const char *)id));
        xmlFree(id);
    }
    xmlFreeDoc(doc);
    g_ptr_array_add(ids, NULL);
    return (char **)g_ptr_array_free(ids, FALSE);
}

bool wb_brand_find(wb_ctx *ctx, const char *styles_dir, const char *const *dirs, const char *name, wb_brand_kit *kit)
{
    memset(kit, 0, sizeof *kit);
    if (!name || !*name)
        return false;
    if (is_path(name)) {
        if (!g_file_test(name, G_FILE_TEST_IS_REGULAR))
            return false;
        xmlDocPtr doc = load_brand_file(ctx, styles_dir, name);
        if (!doc)
            return false;
        fill_kit(kit, brand_id(doc), name);
        xmlFreeDoc(doc);
        return true;
    }
    for (int i = 0; dirs && dirs[i]; i++) {
        char *path = NULL;
        char *id = folder_brand(dirs[i], &path);
        bool match = id && !strcmp(id, name);
        g_free(id);
        if (match) {
            xmlDocPtr doc = load_brand_file(ctx, styles_dir, path);
            if (doc)
                fill_kit(kit, brand_id(doc), path);
            xmlFreeDoc(doc);
            g_free(path);
            return doc != NULL;
        }
        g_free(path);
    }
    char **ids = table_ids(styles_dir);
    bool found = g_strv_contains((const char *const *)ids, name);
    g_strfreev(ids);
    if (found)
        kit->id = g_strdup(name);
    return found;
}

char *wb_brand_file_in(const char *const *dirs, const char *name)
{
    for (int i = 0; name && dirs && dirs[i]; i++) {
        char *path = NULL;
        char *id = folder_brand(dirs[i], &path);
        bool match = id && !strcmp(id, name);
        g_free(id);
        if (match)
            return path;
        g_free(path);
    }
    return NULL;
}

char *wb_brand_known(const char *styles_dir, const char *const *dirs)
{
    GPtrArray *all = g_ptr_array_new_with_free_func(g_free);
    char **ids = table_ids(styles_dir);
    for (int i = 0; ids[i]; i++)
        g_ptr_array_add(all, g_strdup(ids[i]));
    g_strfreev(ids);
    for (int i = 0; dirs && dirs[i]; i++) {
        char *path = NULL;
        char *id = folder_brand(dirs[i], &path);
        g_free(path);
        bool seen = false;
        for (guint j = 0; id && j < all->len; j++)
            seen = seen || !strcmp(g_ptr_array_index(all, j), id);
        if (id && !seen)
            g_ptr_array_add(all, id);
        else
            g_free(id);
    }
    g_ptr_array_add(all, NULL);
    char *s = g_strjoinv(" ", (char **)all->pdata);
    g_ptr_array_free(all, TRUE);
    return s;
}

void wb_brand_use(wb_ctx *ctx, const wb_brand_kit *kit)
{
    if (kit->dir) {
        /* the read folders are named without a trailing separator */
        char *d = g_strndup(kit->dir, strlen(kit->dir) - 1);
        wb_ctx_add_read_folder(ctx, d);
        g_free(d);
    }
    if (kit->fonts && !FcConfigAppFontAddDir(NULL, (const FcChar8 *)kit->fonts))
        wb_warning(ctx, kit->fonts, 0, 0, "cannot add the brand's fonts to the font search");
}

void wb_brand_params(const wb_brand_kit *kit, GPtrArray *pv)
{
    if (!kit->file)
        return;
    g_ptr_array_add(pv, (char *)"brand-file");
    g_ptr_array_add(pv, kit->file);
    g_ptr_array_add(pv, (char *)"brand-dir");
    g_ptr_array_add(pv, kit->dir);
}

void wb_brand_kit_clear(wb_brand_kit *kit)
{
    g_free(kit->id);
    g_free(kit->file);
    g_free(kit->dir);
    g_free(kit->fonts);
    memset(kit, 0, sizeof *kit);
}
