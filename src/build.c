/* The driver: joins load -> transform -> format -> render for one edition, handing each
 * finished page from the formatter to the renderer through a page sink.  See
 * include/workbook/build.h. */
#include "workbook/build.h"

#include <stdio.h>
#include <string.h>

#include <glib.h>
#include <libxml/xmlsave.h>

#include "driver/brand.h"
#include "driver/pages.h"
#include "fo/fo.h"
#include "output.h"
#include "workbook/transform.h"

static wb_status render_page(void *data, const wb_page *page) { return wb_renderer_page(data, page); }
static wb_status render_restart(void *data) { return wb_renderer_restart(data); }

/* Formats the tree into a renderer of `output`, and frees the tree (before the PDF post-pass,
 * which then has its memory).  missing_images_ok: see wb_format_options; an edition's images
 * were checked when its course was loaded, and one missing after that stops the build. */
static wb_status render_tree(wb_ctx *ctx, wb_fo_tree *tree, const char *name, const char *base_dir,
                             wb_build_format format, const char *output, double dpi, wb_format_cache *cache,
                             bool missing_images_ok, bool tagged)
{
    wb_output_format of = format == WB_BUILD_PNG       ? WB_OUT_PNG
                          : format == WB_BUILD_SVG     ? WB_OUT_SVG
                          : format == WB_BUILD_CONTACT ? WB_OUT_CONTACT
                                                       : WB_OUT_PDF;
    wb_renderer *r = wb_renderer_new(ctx, of, output, dpi);
    if (!r) {
        wb_fo_tree_free(tree);
        return wb_ctx_status(ctx);
    }
    wb_renderer_set_tagged(r, tagged);
    wb_format_options fopts = {.file = name, .base_dir = base_dir, .cache = cache,
                               .missing_images_ok = missing_images_ok};
    wb_page_sink sink = {render_page, r, render_restart};
    wb_docinfo info = {0};
    wb_status st = wb_driver_format(ctx, tree, &fopts, &sink, &info);
    wb_fo_tree_free(tree);
    if (st == WB_OK) {
        wb_renderer_set_docinfo(r, &info);
        st = wb_renderer_finish(r);
    }
    wb_docinfo_clear(&info);
    wb_renderer_free(r);
    return st != WB_OK ? st : wb_ctx_status(ctx);
}

static wb_status render_fo(wb_ctx *ctx, xmlDocPtr fo, const char *name, const char *base_dir, wb_build_format format,
                           const char *output, double dpi, wb_format_cache *cache, bool missing_images_ok,
                           bool tagged)
{
    /* the formatter walks the tree recursively: its depth is bounded first */
    if (!wb_check_tree(ctx, fo))
        return wb_ctx_status(ctx);
    wb_fo_tree *tree = wb_fo_tree_new(ctx, fo, name);
    if (tree)
        render_tree(ctx, tree, name, base_dir, format, output, dpi, cache, missing_images_ok, tagged);
    return wb_ctx_status(ctx);
}

wb_status wb_render_fo(wb_ctx *ctx, xmlDocPtr fo, const char *name, const char *base_dir,
                       wb_build_format format, const char *output, double dpi, wb_format_cache *cache, bool tagged)
{
    return render_fo(ctx, fo, name, base_dir, format, output, dpi, cache, true, tagged);
}

static bool fo_streams(void *b, xmlNodePtr element) { return wb_fo_builder_streams(b, element); }
static bool fo_start(void *b, xmlNodePtr element) { return wb_fo_builder_start(b, element); }
static bool fo_node(void *b, xmlNodePtr node) { return wb_fo_builder_node(b, node); }
static bool fo_end(void *b) { return wb_fo_builder_end(b); }

wb_status wb_render_fo_file(wb_ctx *ctx, const char *path, const char *base_dir, wb_build_format format,
                            const char *output, double dpi, wb_format_cache *cache, bool tagged)
{
    double t0 = wb_clock();
    wb_fo_builder *b = wb_fo_builder_new(ctx, path);
    wb_xml_stream stream = {fo_streams, fo_start, fo_node, fo_end, b};
    wb_load_xml_stream(ctx, path, &stream);
    wb_fo_tree *tree = wb_fo_builder_finish(b);
    wb_ctx_stat_add(ctx, "load", wb_clock() - t0);
    if (tree)
        render_tree(ctx, tree, path, base_dir, format, output, dpi, cache, true, tagged);
    return wb_ctx_status(ctx);
}

static void quiet_xml(void *context, const char *fmt, ...) {}

static int write_xml(void *context, const char *buf, int len)
{
    return wb_output_write(context, buf, (size_t)len) ? len : -1;
}

/* Writes a document to `path` ("-": standard output) through the output module: a regular
 * file is replaced only when the whole document is written. */
static wb_status save_xml(wb_ctx *ctx, xmlDocPtr doc, const char *path)
{
    wb_output *o = wb_output_open(ctx, path, 0);
    if (!o)
        return WB_ERR_IO;
    xmlOutputBufferPtr buf = xmlOutputBufferCreateIO(write_xml, NULL, o, xmlFindCharEncodingHandler("UTF-8"));
    /* a write error is reported once, by the output, with its reason */
    xmlSetGenericErrorFunc(NULL, quiet_xml);
    int rc = buf ? xmlSaveFormatFileTo(buf, doc, "UTF-8", 1) : -1;
    xmlSetGenericErrorFunc(NULL, NULL);
    if (rc < 0 || wb_output_status(o) != WB_OK) {
        if (wb_output_status(o) == WB_OK)
            wb_error(ctx, WB_ERR_IO, wb_output_path(o), 0, 0, "cannot write the document");
        wb_output_abort(o);
        return WB_ERR_IO;
    }
    return wb_output_commit(o);
}

/* The input: a validated course, or any XML document (with its includes) for a stylesheet
 * of the caller's own. */
static xmlDocPtr load_input(wb_ctx *ctx, const wb_build_options *o, const char *edition)
{
    if (o->stylesheet) {
        xmlDocPtr doc = wb_load_xml(ctx, o->input);
        if (doc && wb_xinclude(ctx, doc, NULL) != 0) {
            xmlFreeDoc(doc);
            doc = NULL;
        }
        return doc;
    }
    char *schema = g_build_filename(o->styles_dir, "course.rng", NULL);
    wb_profile prof = o->profile;
    /* a session's handouts (sign-in sheet, feedback form) read what the participants read */
    bool handout = !strcmp(edition, "sign-in") || !strcmp(edition, "feedback");
    prof.edition = handout ? "participant" : edition;
    xmlDocPtr doc = wb_load_course(ctx, o->input, &prof, schema);
    g_free(schema);
    return doc;
}

/* The stylesheet parameters: edition, language (asked for, or kept by profiling), paper,
 * brand, then the caller's own.  The array borrows its strings. */
static GPtrArray *stylesheet_params(const wb_build_options *o, const char *edition, const char *kept_lang,
                                    const wb_brand_kit *kit)
{
    GPtrArray *pv = g_ptr_array_new();
    const char *lang = o->profile.lang ? o->profile.lang : kept_lang;
    const char *const named[][2] = {{"edition", o->stylesheet ? NULL : edition},
                                    {"lang", lang},
                                    {"paper", o->paper},
                                    {"brand", o->profile.brand}};
    for (size_t i = 0; i < G_N_ELEMENTS(named); i++)
        if (named[i][1]) {
            g_ptr_array_add(pv, (char *)named[i][0]);
            g_ptr_array_add(pv, (char *)named[i][1]);
        }
    wb_brand_params(kit, pv);
    for (size_t i = 0; o->params && o->params[i] && o->params[i + 1]; i += 2) {
        g_ptr_array_add(pv, (char *)o->params[i]);
        g_ptr_array_add(pv, (char *)o->params[i + 1]);
    }
    g_ptr_array_add(pv, NULL);
    return pv;
}

long long wb_course_date(xmlDocPtr course)
{
    xmlNodePtr root = course ? xmlDocGetRootElement(course) : NULL;
    xmlNodePtr meta = NULL, date = NULL;
    for (xmlNodePtr c = root ? root->children : NULL; c && !meta; c = c->next)
        if (c->type == XML_ELEMENT_NODE && xmlStrEqual(c->name, BAD_CAST "meta"))
            meta = c;
    for (xmlNodePtr c = meta ? meta->children : NULL; c && !date; c = c->next)
        if (c->type == XML_ELEMENT_NODE && xmlStrEqual(c->name, BAD_CAST "date"))
            date = c;
    xmlChar *text = date ? xmlNodeGetContent(date) : NULL;
    int y = 0, m = 0, d = 0;
    long long epoch = 0;
    if (text && sscanf(g_strstrip((char *)text), "%4d-%2d-%2d", &y, &m, &d) == 3 && m >= 1 && m <= 12 && d >= 1 &&
        d <= 31) {
        GDateTime *t = g_date_time_new_utc(y, m, d, 0, 0, 0);
        if (t) {
            epoch = g_date_time_to_unix(t);
            g_date_time_unref(t);
        }
    }
    xmlFree(text);
    return epoch > 0 ? epoch : 0;
}

wb_status wb_build(wb_ctx *ctx, const wb_build_options *o)
{
    const char *edition = o->profile.edition ? o->profile.edition : "participant";
    /* a stylesheet of one's own may import the shipped styles; the images the FO names come
     * from the course's folder, the styles folder or the stylesheet's */
    wb_ctx_add_read_folder(ctx, o->styles_dir);
    char *course_dir = g_path_get_dirname(o->input);
    wb_ctx_add_read_folder(ctx, course_dir);
    g_free(course_dir);
    if (o->stylesheet) {
        char *sheet_dir = g_path_get_dirname(o->stylesheet);
        wb_ctx_add_read_folder(ctx, sheet_dir);
        g_free(sheet_dir);
    }
    wb_ctx_set_confined(ctx, true);
    double t0 = wb_clock();
    xmlDocPtr doc = load_input(ctx, o, edition);
    wb_ctx_stat_add(ctx, "load", wb_clock() - t0);
    if (!doc)
        return wb_ctx_status(ctx);
    char *sheet = o->stylesheet ? g_strdup(o->stylesheet) : g_strdup_printf("%s/%s.xsl", o->styles_dir, edition);
    /* the language kept is on the root after profiling */
    xmlChar *kept = xmlGetNsProp(xmlDocGetRootElement(doc), BAD_CAST "lang",
                                 BAD_CAST "http://www.w3.org/XML/1998/namespace");
    /* a brand kit beside the course (or named by path) stands in for the brand table */
    wb_brand_kit kit = {0};
    char *input_dir = g_path_get_dirname(o->input);
    const char *const dirs[] = {input_dir, NULL};
    if (o->profile.brand && wb_brand_find(ctx, o->styles_dir, dirs, o->profile.brand, &kit))
        wb_brand_use(ctx, &kit);
    g_free(input_dir);
    GPtrArray *pv = stylesheet_params(o, edition, (const char *)kept, &kit);
    t0 = wb_clock();
    xmlDocPtr fo = o->compiled ? wb_stylesheet_apply(ctx, o->compiled, doc, (const char *const *)pv->pdata)
                               : wb_transform(ctx, doc, sheet, (const char *const *)pv->pdata);
    wb_ctx_stat_add(ctx, "transform", wb_clock() - t0);
    g_ptr_array_free(pv, TRUE);
    wb_brand_kit_clear(&kit);
    xmlFree(kept);
    long long course_date = wb_course_date(doc);
    xmlFreeDoc(doc);
    if (fo && o->sink) {
        char *base = g_path_get_dirname(o->input);
        char *name = g_strdup_printf("%s (as FO, from %s)", o->input, sheet);
        if (wb_check_tree(ctx, fo)) {
            wb_format_options fopts = {.file = name, .base_dir = base, .cache = o->cache};
            wb_docinfo info = {0};
            wb_format(ctx, fo, &fopts, o->sink, &info);
            wb_docinfo_clear(&info);
        }
        g_free(name);
        g_free(base);
    } else if (fo && o->format == WB_BUILD_FO) {
        t0 = wb_clock();
        save_xml(ctx, fo, o->output);
        wb_ctx_stat_add(ctx, "write FO", wb_clock() - t0);
    } else if (fo) {
        char *base = g_path_get_dirname(o->input);
        char *name = g_strdup_printf("%s (as FO, from %s)", o->input, sheet);
        /* without SOURCE_DATE_EPOCH, the course's date: the same sources give the same bytes */
        long long date = wb_ctx_date(ctx);
        if (date == 0 && !o->stylesheet)
            wb_ctx_set_date(ctx, course_date);
        render_fo(ctx, fo, name, base, o->format, o->output, o->dpi, o->cache, false, !o->stylesheet || o->tagged);
        wb_ctx_set_date(ctx, date);
        g_free(name);
        g_free(base);
    }
    xmlFreeDoc(fo);
    g_free(sheet);
    return wb_ctx_status(ctx);
}
