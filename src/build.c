/* The driver: joins load -> transform -> format -> render for one edition, handing each
 * finished page from the formatter to the renderer through a page sink.  See
 * include/workbook/build.h. */
#include "workbook/build.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include <glib.h>
#include <libxml/xmlsave.h>

#include "workbook/transform.h"

static wb_status render_page(void *data, const wb_page *page) { return wb_renderer_page(data, page); }

wb_status wb_render_fo(wb_ctx *ctx, xmlDocPtr fo, const char *name, const char *base_dir,
                       wb_build_format format, const char *output, double dpi, wb_format_cache *cache)
{
    wb_output_format of = format == WB_BUILD_PNG ? WB_OUT_PNG : format == WB_BUILD_SVG ? WB_OUT_SVG : WB_OUT_PDF;
    wb_renderer *r = wb_renderer_new(ctx, of, output, dpi);
    if (!r)
        return wb_ctx_status(ctx);
    wb_format_options fopts = {.file = name, .base_dir = base_dir, .cache = cache};
    wb_page_sink sink = {render_page, r};
    wb_docinfo info = {0};
    wb_status st = wb_format(ctx, fo, &fopts, &sink, &info);
    if (st == WB_OK) {
        wb_renderer_set_docinfo(r, &info);
        st = wb_renderer_finish(r);
    }
    wb_docinfo_clear(&info);
    wb_renderer_free(r);
    return st != WB_OK ? st : wb_ctx_status(ctx);
}

/* Writes a document to `path` through a temporary file, so a failure leaves the old file. */
static wb_status save_xml(wb_ctx *ctx, xmlDocPtr doc, const char *path)
{
    char *tmp = g_strdup_printf("%s.tmp-%ld", path, (long)getpid());
    int rc = xmlSaveFormatFileEnc(tmp, doc, "UTF-8", 1);
    if (rc < 0 || rename(tmp, path) != 0) {
        wb_error(ctx, WB_ERR_IO, path, 0, 0, "cannot write: %s", strerror(errno));
        unlink(tmp);
        g_free(tmp);
        return WB_ERR_IO;
    }
    g_free(tmp);
    return WB_OK;
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
    prof.edition = edition;
    xmlDocPtr doc = wb_load_course(ctx, o->input, &prof, schema);
    g_free(schema);
    return doc;
}

/* The stylesheet parameters: edition, language (asked for, or kept by profiling), paper,
 * brand, then the caller's own.  The array borrows its strings. */
static GPtrArray *stylesheet_params(const wb_build_options *o, const char *edition, const char *kept_lang)
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
    for (size_t i = 0; o->params && o->params[i] && o->params[i + 1]; i += 2) {
        g_ptr_array_add(pv, (char *)o->params[i]);
        g_ptr_array_add(pv, (char *)o->params[i + 1]);
    }
    g_ptr_array_add(pv, NULL);
    return pv;
}

wb_status wb_build(wb_ctx *ctx, const wb_build_options *o)
{
    const char *edition = o->profile.edition ? o->profile.edition : "participant";
    xmlDocPtr doc = load_input(ctx, o, edition);
    if (!doc)
        return wb_ctx_status(ctx);
    char *sheet = o->stylesheet ? g_strdup(o->stylesheet) : g_strdup_printf("%s/%s.xsl", o->styles_dir, edition);
    /* the language kept is on the root after profiling */
    xmlChar *kept = xmlGetNsProp(xmlDocGetRootElement(doc), BAD_CAST "lang",
                                 BAD_CAST "http://www.w3.org/XML/1998/namespace");
    GPtrArray *pv = stylesheet_params(o, edition, (const char *)kept);
    xmlDocPtr fo = wb_transform(ctx, doc, sheet, (const char *const *)pv->pdata);
    g_ptr_array_free(pv, TRUE);
    xmlFree(kept);
    xmlFreeDoc(doc);
    if (fo && o->format == WB_BUILD_FO) {
        save_xml(ctx, fo, o->output);
    } else if (fo) {
        char *base = g_path_get_dirname(o->input);
        char *name = g_strdup_printf("%s (as FO, from %s)", o->input, sheet);
        wb_render_fo(ctx, fo, name, base, o->format, o->output, o->dpi, o->cache);
        g_free(name);
        g_free(base);
    }
    xmlFreeDoc(fo);
    g_free(sheet);
    return wb_ctx_status(ctx);
}
