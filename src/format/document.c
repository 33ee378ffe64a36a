/* The formatter's entry points: a document formatted in passes until its page numbers
 * settle (page-number-citation needs the pages of later objects), the last pass handing
 * its pages to the sink, then the document information.  Also the format cache that
 * several documents share (font map, hyphenation dictionaries). */
#include <stdio.h>
#include <string.h>

#include "format/blobkey.h"
#include "format/paginate.h"

#define MAX_PASSES 4

/* ------------------------------------------------------------------ the cache */

wb_format_cache *wb_format_cache_new(void)
{
    wb_format_cache *c = g_new0(wb_format_cache, 1);
    c->fontmap = pango_cairo_font_map_new();
    c->hyph = wb_hyphenator_new(NULL);
    return c;
}

void wb_format_cache_free(wb_format_cache *c)
{
    if (!c)
        return;
    wb_hyphenator_free(c->hyph);
    g_object_unref(c->fontmap);
    g_free(c);
}

static PangoContext *pango_for(wb_format_cache *cache)
{
    PangoContext *pc = pango_font_map_create_context(cache->fontmap);
    pango_cairo_context_set_resolution(pc, 72);
    /* layout in unhinted outline units, so lines measure the same at every size and device */
    cairo_font_options_t *fo = cairo_font_options_create();
    cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
    cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
    pango_cairo_context_set_font_options(pc, fo);
    cairo_font_options_destroy(fo);
    pango_context_set_round_glyph_positions(pc, FALSE);
    return pc;
}

/* ------------------------------------------------------------------ passes */

static void format_document(formatter *f, const wb_page_sink *sink)
{
    int next = 1, doc_index = 0;
    f->markers = markers_new();
    for (const wb_fo *c = f->tree->root->first; c; c = c->next) {
        if (c->kind != FO_PAGE_SEQUENCE)
            continue;
        format_sequence(f, f->tree, c, &next, &doc_index, sink);
        if (wb_ctx_status(f->ctx) != WB_OK)
            break;
    }
    markers_free(f->markers);
    f->markers = NULL;
}

static bool cites(const wb_fo *fo)
{
    for (; fo; fo = fo->next) {
        if (fo->kind == FO_PAGE_NUMBER_CITATION || fo->kind == FO_PAGE_NUMBER_CITATION_LAST)
            return true;
        if (cites(fo->first))
            return true;
    }
    return false;
}

static bool same_table(GHashTable *a, GHashTable *b)
{
    if (g_hash_table_size(a) != g_hash_table_size(b))
        return false;
    GHashTableIter it;
    gpointer k, v;
    g_hash_table_iter_init(&it, a);
    while (g_hash_table_iter_next(&it, &k, &v)) {
        const char *w = g_hash_table_lookup(b, k);
        if (!w || strcmp(w, v))
            return false;
    }
    return true;
}

/* One formatting pass: ids seen in it become the page numbers the next pass cites. */
static void one_pass(formatter *f, const wb_page_sink *sink, bool final)
{
    double t0 = wb_clock();
    f->sink_seconds = 0;
    f->pass++;
    f->seen_first = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    f->seen_last = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    f->final_pass = final;
    format_document(f, sink);
    f->settled = same_table(f->seen_first, f->id_first) && same_table(f->seen_last, f->id_last);
    g_hash_table_destroy(f->id_first);
    g_hash_table_destroy(f->id_last);
    f->id_first = f->seen_first;
    f->id_last = f->seen_last;
    f->seen_first = f->seen_last = NULL;
    if (wb_ctx_stats(f->ctx)) {
        char name[64];
        snprintf(name, sizeof name, "format: pass %d%s", f->pass, final ? " (pages out)" : "");
        wb_ctx_stat_add(f->ctx, name, wb_clock() - t0 - f->sink_seconds);
    }
}

static void free_image(gpointer p) { wb_image_unref(p); }

static formatter *formatter_new(wb_ctx *ctx, const wb_fo_tree *tree, const char *file, const char *base_dir,
                                wb_format_cache *cache)
{
    formatter *f = g_new0(formatter, 1);
    f->ctx = ctx;
    f->file = file;
    f->tree = tree;
    f->base_dir = base_dir;
    f->pango = pango_for(cache);
    f->hyph = cache->hyph;
    f->images = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, free_image);
    f->shapes = lb_cache_new();
    f->hyph_words = g_hash_table_new_full(blob_key_hash, blob_key_equal, g_free, g_free);
    f->font_extents = g_hash_table_new_full(blob_key_hash, blob_key_equal, g_free, g_free);
    f->strings = g_string_chunk_new(4096);
    font_sets_start(f);
    f->id_first = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    f->id_last = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    f->layout_object = layout_object;
    f->struct_ids = g_hash_table_new(g_direct_hash, g_direct_equal);
    f->struct_fos = g_ptr_array_new();
    return f;
}

static void formatter_free(formatter *f)
{
    if (!f)
        return;
    g_hash_table_destroy(f->images);
    g_hash_table_destroy(f->struct_ids);
    g_ptr_array_free(f->struct_fos, TRUE);
    lb_cache_free(f->shapes);
    g_hash_table_destroy(f->hyph_words);
    g_hash_table_destroy(f->font_extents);
    g_string_chunk_free(f->strings);
    font_sets_free(f);
    g_hash_table_destroy(f->id_first);
    g_hash_table_destroy(f->id_last);
    g_object_unref(f->pango);
    g_free(f);
}

/* Passes that only gather page numbers until they settle, then the one that goes to the
 * sink.  A sink that can restart gets the pages of every pass from the second on: the
 * second pass cites the first's numbers, and when its own numbers are the same it was the
 * last one (the usual case), which saves formatting the document once more. */
static void run_passes(formatter *f, const wb_page_sink *sink)
{
    wb_ctx *ctx = f->ctx;
    if (!cites(f->tree->root)) {
        one_pass(f, sink, true);
        return;
    }
    para_cache_start(f);
    bool quiet = wb_ctx_quiet(ctx);
    bool speculate = sink && sink->restart;
    bool sunk = false; /* a pass has handed pages to the sink */
    for (int pass = 1; pass <= MAX_PASSES; pass++) {
        /* pass 1 knows no numbers; a later one is the last when its numbers are those it
         * cited (settled) */
        bool to_sink = pass == MAX_PASSES || (pass > 1 && (speculate || f->settled));
        if (to_sink && sunk && sink->restart(sink->data) != WB_OK)
            break;
        /* warnings once per document: from the first pass and the first that goes out */
        wb_ctx_set_quiet(ctx, quiet || (pass > 1 && !(to_sink && !sunk)));
        one_pass(f, to_sink ? sink : NULL, to_sink);
        sunk = sunk || to_sink;
        if (wb_ctx_status(ctx) != WB_OK || (to_sink && f->settled))
            break;
        if (pass == MAX_PASSES - 1 && !f->settled) {
            wb_ctx_set_quiet(ctx, quiet);
            wb_warning(ctx, f->file, 0, 0, "page numbers did not settle after %d passes", pass);
        }
    }
    wb_ctx_set_quiet(ctx, quiet);
    para_cache_free(f);
}

/* ------------------------------------------------------------------ the API */

wb_status wb_format_tree(wb_ctx *ctx, const wb_fo_tree *tree, const wb_format_options *opts,
                         const wb_page_sink *sink, wb_docinfo *info)
{
    wb_format_cache *own = opts->cache ? NULL : wb_format_cache_new();
    formatter *f = formatter_new(ctx, tree, opts->file, opts->base_dir, opts->cache ? opts->cache : own);
    f->missing_images_ok = opts->missing_images_ok;
    run_passes(f, sink);
    if (wb_ctx_status(ctx) == WB_OK && info)
        docinfo_collect(f, info);
    formatter_free(f);
    wb_format_cache_free(own);
    return wb_ctx_status(ctx);
}

wb_status wb_format(wb_ctx *ctx, xmlDocPtr doc, const wb_format_options *opts, const wb_page_sink *sink,
                    wb_docinfo *info)
{
    wb_fo_tree *tree = wb_fo_tree_new(ctx, doc, opts->file);
    if (tree)
        wb_format_tree(ctx, tree, opts, sink, info);
    wb_fo_tree_free(tree);
    return wb_ctx_status(ctx);
}

static wb_status dump_page(void *data, const wb_page *page)
{
    wb_page_dump(page, data);
    return WB_OK;
}

wb_status wb_format_dump(wb_ctx *ctx, xmlDocPtr doc, const char *file, const char *base_dir, FILE *out)
{
    wb_format_options opts = {.file = file, .base_dir = base_dir, .missing_images_ok = true};
    wb_page_sink sink = {dump_page, out};
    return wb_format(ctx, doc, &opts, &sink, NULL);
}
