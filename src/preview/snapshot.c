/* One build of the previewed edition in memory.  The driver hands each finished page to the
 * sink here, which hashes what the page shows (areas, glyphs, colours, the pixels of its
 * images) and draws it as a PNG only when no page of the build before looked the same, so an
 * edit redraws the pages it changed.  The sink also notes, for every area the
 * styles traced back to the course (wb:source), its rectangle: what a click on the page asks
 * for.  A failed build keeps the last good pages and shows its own messages. */
#include "preview/preview-private.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>

#include "page/image.h"
#include "workbook/load.h"
#include "workbook/render.h"

typedef struct sink_data {
    pv_state *st;
    wb_ctx *ctx;
    GPtrArray *pages; /* pv_page *, the new build's */
    GHashTable *old;  /* hash -> pv_page * of the build before (borrowed) */
    GHashTable *images; /* wb_image * -> SHA-1 (hex, owned) of its pixels, for this build */
} sink_data;

static void page_free(gpointer p)
{
    pv_page *pg = p;
    if (!pg)
        return;
    for (guint i = 0; pg->spots && i < pg->spots->len; i++)
        g_free(g_array_index(pg->spots, pv_spot, i).source);
    if (pg->spots)
        g_array_free(pg->spots, TRUE);
    if (pg->png)
        g_bytes_unref(pg->png);
    g_free(pg);
}

static void message_free(gpointer p)
{
    pv_message *m = p;
    g_free(m->file);
    g_free(m->text);
    g_free(m);
}

static void hash_bytes(GChecksum *c, const void *p, size_t n) { g_checksum_update(c, p, (gssize)n); }
#define HASH(c, v) hash_bytes(c, &(v), sizeof(v))

static void hash_line(GChecksum *c, const wb_line *l)
{
    g_checksum_update(c, (const guchar *)l->text, -1);
    HASH(c, l->width);
    for (size_t i = 0; i < l->count; i++) {
        const wb_glyph_run *r = &l->runs[i];
        HASH(c, r->x);
        HASH(c, r->rise);
        HASH(c, r->color);
        bool deco[3] = {r->underline, r->overline, r->strike};
        HASH(c, deco);
        if (!r->glyphs || !r->glyphs->item || !r->glyphs->glyphs)
            continue;
        PangoFontDescription *d = pango_font_describe(r->glyphs->item->analysis.font);
        char *name = pango_font_description_to_string(d);
        g_checksum_update(c, (const guchar *)name, -1);
        g_free(name);
        pango_font_description_free(d);
        /* field by field: the glyphs' attribute bits share their word with unset ones */
        const PangoGlyphString *gs = r->glyphs->glyphs;
        for (int k = 0; k < gs->num_glyphs; k++) {
            const PangoGlyphInfo *gi = &gs->glyphs[k];
            gint32 v[4] = {(gint32)gi->glyph, gi->geometry.width, gi->geometry.x_offset, gi->geometry.y_offset};
            HASH(c, v);
        }
    }
}

/* An image by its pixels, hashed once a build (each build decodes its images anew). */
static void hash_image(sink_data *sd, GChecksum *c, const wb_image *img)
{
    if (!img)
        return;
    const char *digest = g_hash_table_lookup(sd->images, img);
    if (!digest) {
        GChecksum *ic = g_checksum_new(G_CHECKSUM_SHA1);
        HASH(ic, img->width);
        HASH(ic, img->height);
        cairo_surface_t *s = img->surface;
        bool drawn = false;
        if (!s && img->svg) {
            /* a vector image by its pixels at its own size (bounded) */
            int w = (int)CLAMP(ceil(img->width), 1, 1024), h = (int)CLAMP(ceil(img->height), 1, 1024);
            s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, w, h);
            cairo_t *cr = cairo_create(s);
            RsvgRectangle vp = {0, 0, w, h};
            rsvg_handle_render_document(img->svg, cr, &vp, NULL);
            cairo_destroy(cr);
            drawn = true;
        }
        if (s && cairo_surface_get_type(s) == CAIRO_SURFACE_TYPE_IMAGE) {
            cairo_surface_flush(s);
            const unsigned char *px = cairo_image_surface_get_data(s);
            size_t n = (size_t)cairo_image_surface_get_stride(s) * (size_t)cairo_image_surface_get_height(s);
            if (px)
                hash_bytes(ic, px, n);
        }
        if (drawn)
            cairo_surface_destroy(s);
        char *d = g_strdup(g_checksum_get_string(ic));
        g_checksum_free(ic);
        g_hash_table_insert(sd->images, (gpointer)img, d);
        digest = d;
    }
    g_checksum_update(c, (const guchar *)digest, -1);
}

/* What the page shows, as a hash. */
static void hash_page(sink_data *sd, GChecksum *c, const wb_page *page)
{
    HASH(c, page->width);
    HASH(c, page->height);
    for (size_t i = 0; i < page->count; i++) {
        const wb_area *a = &page->areas[i];
        HASH(c, a->kind);
        double geo[4] = {a->x, a->y, a->w, a->h};
        HASH(c, geo);
        HASH(c, a->color);
        switch (a->kind) {
        case WB_AREA_TEXT: hash_line(c, a->u.text.line); break;
        case WB_AREA_DOTS:
            hash_line(c, a->u.dots.dot);
            HASH(c, a->u.dots.pitch);
            HASH(c, a->u.dots.origin);
            break;
        case WB_AREA_RULE:
            HASH(c, a->u.rule.thickness);
            HASH(c, a->u.rule.style);
            break;
        case WB_AREA_IMAGE:
            hash_image(sd, c, a->u.image.image);
            HASH(c, a->u.image.background);
            HASH(c, a->u.image.repeat_x);
            HASH(c, a->u.image.repeat_y);
            HASH(c, a->u.image.clip);
            break;
        default: break;
        }
    }
}

/* The spots of a page: the areas that come from the course, one rectangle for each run of
 * areas from the same place. */
static GArray *page_spots(const wb_page *page)
{
    GArray *spots = g_array_new(FALSE, FALSE, sizeof(pv_spot));
    for (size_t i = 0; i < page->count; i++) {
        const wb_area *a = &page->areas[i];
        if (!a->source || !*a->source)
            continue;
        double x0 = a->x, y0 = a->y, x1 = a->x + a->w, y1 = a->y + a->h;
        if (a->kind == WB_AREA_TEXT) {
            /* a text area is its baseline: a line's height around it */
            x1 = a->x + (a->u.text.line ? a->u.text.line->width : 0);
            y0 = a->y - 10;
            y1 = a->y + 4;
        } else if (a->kind != WB_AREA_IMAGE && a->kind != WB_AREA_FILL) {
            continue;
        }
        pv_spot *last = spots->len ? &g_array_index(spots, pv_spot, spots->len - 1) : NULL;
        if (last && !strcmp(last->source, a->source) && y0 <= last->y1 + 24) {
            last->x0 = MIN(last->x0, x0);
            last->y0 = MIN(last->y0, y0);
            last->x1 = MAX(last->x1, x1);
            last->y1 = MAX(last->y1, y1);
            continue;
        }
        pv_spot s = {x0, y0, x1, y1, g_strdup(a->source)};
        g_array_append_val(spots, s);
    }
    return spots;
}

static wb_status take_page(void *data, const wb_page *page)
{
    sink_data *sd = data;
    GChecksum *c = g_checksum_new(G_CHECKSUM_SHA1);
    hash_page(sd, c, page);
    HASH(c, sd->st->dpi);
    pv_page *pg = g_new0(pv_page, 1);
    g_strlcpy(pg->hash, g_checksum_get_string(c), sizeof pg->hash);
    g_checksum_free(c);
    pg->width = page->width;
    pg->height = page->height;
    pg->spots = page_spots(page);
    const pv_page *before = sd->old ? g_hash_table_lookup(sd->old, pg->hash) : NULL;
    if (before) {
        pg->png = g_bytes_ref(before->png);
    } else {
        size_t len = 0;
        double t0 = wb_clock();
        unsigned char *bytes = wb_render_png(sd->ctx, page, sd->st->dpi, &len);
        wb_ctx_stat_add(sd->ctx, "preview: draw changed pages", wb_clock() - t0);
        if (!bytes) {
            page_free(pg);
            return wb_ctx_status(sd->ctx);
        }
        pg->png = g_bytes_new_take(bytes, len);
    }
    g_ptr_array_add(sd->pages, pg);
    return WB_OK;
}

/* The pages so far were not the last: they come again. */
static wb_status forget_pages(void *data)
{
    sink_data *sd = data;
    g_ptr_array_set_size(sd->pages, 0);
    return WB_OK;
}

/* The languages the course declares on its root (languages="en fr"). */
static char **course_languages(wb_ctx *ctx, const char *course)
{
    xmlDocPtr doc = wb_load_xml(ctx, course);
    xmlNodePtr root = doc ? xmlDocGetRootElement(doc) : NULL;
    xmlChar *v = root ? xmlGetProp(root, BAD_CAST "languages") : NULL;
    char **langs = v ? g_strsplit_set(g_strstrip((char *)v), " \t\r\n", -1) : NULL;
    xmlFree(v);
    xmlFreeDoc(doc);
    if (langs) {
        /* no empty words from repeated spaces */
        int n = 0;
        for (int i = 0; langs[i]; i++)
            if (*langs[i])
                langs[n++] = langs[i];
            else
                g_free(langs[i]);
        langs[n] = NULL;
    }
    return langs;
}

/* The edition's stylesheet compiled, kept for the next builds; NULL when it does not
 * compile (the build then compiles it itself and says why). */
static const wb_stylesheet *stylesheet_of(pv_state *st)
{
    char *path = g_strdup_printf("%s/%s.xsl", st->styles_dir, st->edition ? st->edition : "participant");
    wb_stylesheet *s = g_hash_table_lookup(st->sheets, path);
    if (!s) {
        wb_ctx *scratch = wb_ctx_new();
        wb_ctx_add_read_folder(scratch, st->styles_dir);
        s = wb_stylesheet_compile(scratch, path);
        wb_ctx_free(scratch);
        if (s) {
            g_hash_table_insert(st->sheets, path, s);
            path = NULL;
        }
    }
    g_free(path);
    return s;
}

void pv_rebuild(pv_state *st)
{
    double t0 = wb_clock();
    wb_ctx *ctx = wb_ctx_new();
    wb_ctx_set_stats(ctx, getenv("WB_PREVIEW_STATS") != NULL);
    GHashTable *old = g_hash_table_new(g_str_hash, g_str_equal);
    for (guint i = 0; st->pages && i < st->pages->len; i++) {
        pv_page *pg = g_ptr_array_index(st->pages, i);
        g_hash_table_insert(old, pg->hash, pg);
    }
    sink_data sd = {.st = st, .ctx = ctx, .pages = g_ptr_array_new_with_free_func(page_free), .old = old,
                    .images = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, g_free)};
    wb_page_sink sink = {take_page, &sd, forget_pages};
    wb_build_options o = {
        .input = st->course,
        .format = WB_BUILD_PNG,
        .dpi = st->dpi,
        .styles_dir = st->styles_dir,
        .profile = {.lang = st->lang, .edition = st->edition, .audience = st->audience, .brand = st->brand},
        .paper = st->paper,
        .params = (const char *const *)st->params,
        .cache = st->cache,
        .sink = &sink,
        .compiled = st->sheets ? stylesheet_of(st) : NULL,
    };
    wb_status status = wb_build(ctx, &o);
    if (status == WB_OK && sd.pages->len == 0)
        wb_error(ctx, WB_ERR_INPUT, st->course, 0, 0, "the edition has no pages");
    status = wb_ctx_status(ctx);
    g_hash_table_destroy(old);
    g_hash_table_destroy(sd.images);

    st->failed = status != WB_OK;
    st->first_changed = -1;
    if (!st->failed) {
        guint old_n = st->pages ? st->pages->len : 0;
        for (guint i = 0; i < sd.pages->len && st->first_changed < 0; i++) {
            const pv_page *pg = g_ptr_array_index(sd.pages, i);
            if (i >= old_n || strcmp(pg->hash, ((pv_page *)g_ptr_array_index(st->pages, i))->hash))
                st->first_changed = (int)i;
        }
        if (st->first_changed < 0 && sd.pages->len < old_n)
            st->first_changed = (int)sd.pages->len - 1;
        if (st->pages)
            g_ptr_array_free(st->pages, TRUE);
        st->pages = sd.pages;
    } else {
        g_ptr_array_free(sd.pages, TRUE);
    }
    if (st->messages)
        g_ptr_array_free(st->messages, TRUE);
    st->messages = g_ptr_array_new_with_free_func(message_free);
    size_t n = 0;
    const wb_diagnostic *d = wb_ctx_diagnostics(ctx, &n);
    for (size_t i = 0; i < n; i++) {
        pv_message *m = g_new0(pv_message, 1);
        *m = (pv_message){d[i].severity, g_strdup(d[i].file), d[i].line, d[i].col, g_strdup(d[i].message)};
        g_ptr_array_add(st->messages, m);
    }
    g_strfreev(st->languages);
    st->languages = course_languages(ctx, st->course);
    if (st->log && wb_ctx_stats(ctx))
        wb_ctx_report_stats(ctx, st->log);
    wb_ctx_free(ctx);
    st->seconds = wb_clock() - t0;
    st->generation++;
    if (st->log) {
        fprintf(st->log, "preview: build %d: %s, %u pages, %.3f s\n", st->generation, st->failed ? "failed" : "ok",
                st->pages ? st->pages->len : 0, st->seconds);
        fflush(st->log);
    }
}

const pv_page *pv_find_page(const pv_state *st, const char *hash)
{
    for (guint i = 0; st->pages && i < st->pages->len; i++) {
        const pv_page *pg = g_ptr_array_index(st->pages, i);
        if (!strcmp(pg->hash, hash))
            return pg;
    }
    return NULL;
}

const char *pv_source_at(const pv_state *st, int index, double x, double y)
{
    if (!st->pages || index < 0 || (guint)index >= st->pages->len)
        return NULL;
    const pv_page *pg = g_ptr_array_index(st->pages, index);
    const char *best = NULL;
    double best_d = 30; /* points: a click between two paragraphs finds the nearer */
    double best_area = INFINITY;
    for (guint i = 0; i < pg->spots->len; i++) {
        const pv_spot *s = &g_array_index(pg->spots, pv_spot, i);
        double dx = x < s->x0 ? s->x0 - x : x > s->x1 ? x - s->x1 : 0;
        double dy = y < s->y0 ? s->y0 - y : y > s->y1 ? y - s->y1 : 0;
        double d = hypot(dx, dy), area = (s->x1 - s->x0) * (s->y1 - s->y0);
        /* inside several (a paragraph in a section): the smallest */
        if (d < best_d || (d == 0 && best_d == 0 && area < best_area)) {
            best_d = d;
            best_area = area;
            best = s->source;
        }
    }
    return best;
}

void pv_state_clear(pv_state *st)
{
    g_free(st->course);
    g_free(st->course_dir);
    g_free(st->styles_dir);
    g_free(st->course_dir_named);
    g_free(st->styles_dir_named);
    g_free(st->lang);
    g_free(st->edition);
    g_free(st->paper);
    g_free(st->audience);
    g_free(st->brand);
    g_strfreev(st->params);
    g_strfreev(st->languages);
    if (st->pages)
        g_ptr_array_free(st->pages, TRUE);
    if (st->messages)
        g_ptr_array_free(st->messages, TRUE);
    if (st->cache)
        wb_format_cache_free(st->cache);
    if (st->sheets)
        g_hash_table_destroy(st->sheets);
    memset(st, 0, sizeof *st);
}
