/* Stage 4, render: pages -> PDF / PNG / SVG with cairo.  See include/workbook/render.h. */
#include "workbook/render.h"

#include <errno.h>
#include <malloc.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <cairo.h>
#include <glib.h>
#include <pango/pangocairo.h>

#include "output.h"
#include "page/image.h"
#include "pdf/postpass.h"
#include "render/contact.h"
#include "render/marks.h"
#include "render/tags.h"

struct wb_renderer {
    wb_ctx *ctx;
    wb_output_format format;
    char *path;
    wb_output *out;   /* PDF: the document's output, committed by finish */
    GPtrArray *pages; /* PNG/SVG: a wb_output per page, in page order, committed by finish */
    cairo_surface_t *pdf;
    double dpi;
    int count;
    char *lang;
    GArray *boxes;        /* PDF: a wb_pdf_page_boxes per page, when a page has a crop offset */
    wb_contact *contact;  /* contact sheet: the thumbnails so far */
    GArray *fields;   /* PDF: wb_pdf_field of every page so far, names owned, for the post-pass */
    wb_tagger *tagger; /* PDF: the structure tags (tagged PDF) */
    cairo_t *pending;  /* PDF: the last page drawn, shown when the next comes or at finish, so
                        * that the last page closes every tag (cairo wants them closed on it) */
    int pending_number;
    bool pdfa;         /* PDF: made PDF/A-2b by the post-pass */
    bool tagged;       /* PDF: structure tags wanted (wb_renderer_set_tagged) */
    bool finished;
    bool failed;
};

/* ------------------------------------------------------------------ images */

/* Draws the image scaled into the rectangle. */
static void draw_image(cairo_t *cr, const wb_image *img, double x, double y, double w, double h)
{
    if (w <= 0 || h <= 0)
        return;
    cairo_save(cr);
    if (img->svg) {
        /* drawn at its own size, then scaled: uniformly or not, as the formatter sized it */
        cairo_translate(cr, x, y);
        cairo_scale(cr, w / img->width, h / img->height);
        RsvgRectangle vp = {0, 0, img->width, img->height};
        GError *err = NULL;
        rsvg_handle_render_document(img->svg, cr, &vp, &err);
        g_clear_error(&err);
    } else if (img->surface) {
        int iw = cairo_image_surface_get_width(img->surface), ih = cairo_image_surface_get_height(img->surface);
        cairo_translate(cr, x, y);
        cairo_scale(cr, w / iw, h / ih);
        cairo_set_source_surface(cr, img->surface, 0, 0);
        cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_GOOD);
        cairo_rectangle(cr, 0, 0, iw, ih);
        cairo_fill(cr);
    }
    cairo_restore(cr);
}

/* The most tiles of a vector background drawn one by one (a raster one is one pattern). */
#define MAX_VECTOR_TILES 10000

/* A background image: its tiles from the one at x,y,w,h on, across and down as it repeats,
 * inside its clip (the padding rectangle), as CSS2 §14.2.1 tiles them. */
static void draw_background(cairo_t *cr, const wb_area *a)
{
    const wb_image *img = a->u.image.image;
    double cx0 = a->x + a->u.image.clip.x, cy0 = a->y + a->u.image.clip.y;
    double cx1 = cx0 + a->u.image.clip.w, cy1 = cy0 + a->u.image.clip.h;
    /* an axis without repetition holds the one tile */
    if (!a->u.image.repeat_x) {
        cx0 = MAX(cx0, a->x);
        cx1 = MIN(cx1, a->x + a->w);
    }
    if (!a->u.image.repeat_y) {
        cy0 = MAX(cy0, a->y);
        cy1 = MIN(cy1, a->y + a->h);
    }
    if (!img || a->w <= 0 || a->h <= 0 || cx1 <= cx0 || cy1 <= cy0)
        return;
    cairo_save(cr);
    cairo_rectangle(cr, cx0, cy0, cx1 - cx0, cy1 - cy0);
    cairo_clip(cr);
    if (img->surface) {
        /* one repeating pattern: a PDF tiling pattern, however small the tile */
        int iw = cairo_image_surface_get_width(img->surface), ih = cairo_image_surface_get_height(img->surface);
        cairo_pattern_t *pat = cairo_pattern_create_for_surface(img->surface);
        cairo_pattern_set_extend(pat, CAIRO_EXTEND_REPEAT);
        cairo_pattern_set_filter(pat, CAIRO_FILTER_GOOD);
        cairo_matrix_t m;
        cairo_matrix_init_scale(&m, iw / a->w, ih / a->h);
        cairo_matrix_translate(&m, -a->x, -a->y);
        cairo_pattern_set_matrix(pat, &m);
        cairo_set_source(cr, pat);
        cairo_rectangle(cr, cx0, cy0, cx1 - cx0, cy1 - cy0);
        cairo_fill(cr);
        cairo_pattern_destroy(pat);
    } else {
        double i0 = floor((cx0 - a->x) / a->w), i1 = ceil((cx1 - a->x) / a->w);
        double j0 = floor((cy0 - a->y) / a->h), j1 = ceil((cy1 - a->y) / a->h);
        if ((i1 - i0) * (j1 - j0) <= MAX_VECTOR_TILES)
            for (double j = j0; j < j1; j++)
                for (double i = i0; i < i1; i++)
                    draw_image(cr, img, a->x + i * a->w, a->y + j * a->h, a->w, a->h);
    }
    cairo_restore(cr);
}

/* ------------------------------------------------------------------ drawing */

static void set_color(cairo_t *cr, wb_color c) { cairo_set_source_rgba(cr, c.r, c.g, c.b, c.a > 0 ? c.a : 1); }

static void draw_rule(cairo_t *cr, const wb_area *a)
{
    double t = a->u.rule.thickness;
    set_color(cr, a->color);
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_BUTT);
    double x0 = a->x, y0 = a->y, x1 = a->x + a->w, y1 = a->y + a->h;
    switch (a->u.rule.style) {
    case WB_RULE_DASHED: {
        double d[] = {3 * t, 2 * t};
        cairo_set_dash(cr, d, 2, 0);
        break;
    }
    case WB_RULE_DOTTED: {
        double d[] = {0, 2 * t};
        cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
        cairo_set_dash(cr, d, 2, 0);
        break;
    }
    case WB_RULE_DOUBLE: {
        /* two lines, each a third of the width, with a third between */
        double k = t / 3;
        bool horizontal = fabs(a->h) < fabs(a->w);
        cairo_set_line_width(cr, k);
        for (int s = -1; s <= 1; s += 2) {
            double dx = horizontal ? 0 : s * k, dy = horizontal ? s * k : 0;
            cairo_move_to(cr, x0 + dx, y0 + dy);
            cairo_line_to(cr, x1 + dx, y1 + dy);
            cairo_stroke(cr);
        }
        return;
    }
    default:
        break;
    }
    cairo_set_line_width(cr, t);
    cairo_move_to(cr, x0, y0);
    cairo_line_to(cr, x1, y1);
    cairo_stroke(cr);
    cairo_set_dash(cr, NULL, 0, 0);
}

/* What draw_line tags each glyph run as (tagged PDF): the runs of a text area of a page. */
typedef struct run_tags {
    wb_tagger *tagger;
    const wb_page *page;
    const wb_area *area;
} run_tags;

/* A line of glyph runs, its baseline starting at (x, y); tags: NULL when untagged. */
static void draw_line(cairo_t *cr, const wb_line *line, double x, double y, const wb_color *force,
                      const run_tags *tags)
{
    for (size_t i = 0; i < line->count; i++) {
        const wb_glyph_run *run = &line->runs[i];
        if (tags)
            wb_tagger_run(tags->tagger, cr, tags->page, tags->area, run);
        wb_color c = force ? *force : run->color;
        cairo_set_source_rgba(cr, c.r, c.g, c.b, c.a > 0 ? c.a : 1);
        double bx = x + run->x, by = y - run->rise;
        cairo_move_to(cr, bx, by);
        pango_cairo_show_glyph_item(cr, line->text, run->glyphs);
        if (run->underline || run->strike || run->overline) {
            double w = pango_glyph_string_get_width(run->glyphs->glyphs) / (double)PANGO_SCALE;
            if (run->underline) {
                cairo_rectangle(cr, bx, by - run->underline_position, w, MAX(run->underline_thickness, 0.3));
                cairo_fill(cr);
            }
            if (run->strike) {
                double t = run->strike_thickness;
                cairo_rectangle(cr, bx, by - run->strike_position - t / 2, w, MAX(t, 0.3));
                cairo_fill(cr);
            }
            if (run->overline) {
                cairo_rectangle(cr, bx, by - run->ascent, w, MAX(run->underline_thickness, 0.3));
                cairo_fill(cr);
            }
        }
    }
}

static void draw_dots(cairo_t *cr, const wb_area *a)
{
    double pitch = a->u.dots.pitch;
    if (pitch <= 0)
        return;
    /* dots on a grid from the left of the page, so leaders of several lines line up */
    double start = ceil(a->x / pitch) * pitch;
    for (double x = start; x + pitch <= a->x + a->w + 0.01; x += pitch)
        draw_line(cr, a->u.dots.dot, x, a->y, &a->color, NULL);
}

static void draw_page(wb_renderer *r, cairo_t *cr, const wb_page *page)
{
    for (size_t i = 0; i < page->count; i++) {
        const wb_area *a = &page->areas[i];
        if (r->tagger)
            wb_tagger_area(r->tagger, cr, page, a);
        switch (a->kind) {
        case WB_AREA_TEXT: {
            run_tags tags = {r->tagger, page, a};
            draw_line(cr, a->u.text.line, a->x, a->y, NULL, r->tagger ? &tags : NULL);
            break;
        }
        case WB_AREA_FILL:
            if (a->color.a <= 0 || a->w <= 0 || a->h <= 0)
                break;
            set_color(cr, a->color);
            cairo_rectangle(cr, a->x, a->y, a->w, a->h);
            cairo_fill(cr);
            break;
        case WB_AREA_RULE:
            draw_rule(cr, a);
            break;
        case WB_AREA_DOTS:
            draw_dots(cr, a);
            break;
        case WB_AREA_IMAGE:
            if (a->u.image.image && a->u.image.background)
                draw_background(cr, a);
            else if (a->u.image.image)
                draw_image(cr, a->u.image.image, a->x, a->y, a->w, a->h);
            break;
        case WB_AREA_LINK:
            if (r->format == WB_OUT_PDF && (a->u.link.uri || a->u.link.dest)) {
                char *attrs;
                if (a->u.link.uri) {
                    /* cairo's attribute strings escape only \ and '; a URI is ASCII, so
                     * other bytes are percent-encoded */
                    GString *q = g_string_new(NULL);
                    for (const unsigned char *p = (const unsigned char *)a->u.link.uri; *p; p++) {
                        if (*p == '\'' || *p == '\\')
                            g_string_append_printf(q, "\\%c", *p);
                        else if (*p >= 0x80 || *p < 0x20 || *p == ' ')
                            g_string_append_printf(q, "%%%02X", *p);
                        else
                            g_string_append_c(q, (char)*p);
                    }
                    attrs = g_strdup_printf("rect=[%.2f %.2f %.2f %.2f] uri='%s'", a->x, a->y, a->w, a->h, q->str);
                    g_string_free(q, TRUE);
                } else {
                    attrs = g_strdup_printf("rect=[%.2f %.2f %.2f %.2f] dest='%s'", a->x, a->y, a->w, a->h,
                                            a->u.link.dest);
                }
                cairo_tag_begin(cr, CAIRO_TAG_LINK, attrs);
                cairo_tag_end(cr, CAIRO_TAG_LINK);
                g_free(attrs);
            }
            break;
        case WB_AREA_TURN:
            if (a->u.turn.angle == 0) {
                cairo_restore(cr);
                break;
            }
            /* what follows is laid out upright from (x,y): turn it about that corner, then
             * move it so that the turned box starts at (x,y) again */
            cairo_save(cr);
            if (a->u.turn.angle == 90)
                cairo_translate(cr, a->x, a->y + a->w);
            else if (a->u.turn.angle == 180)
                cairo_translate(cr, a->x + a->w, a->y + a->h);
            else
                cairo_translate(cr, a->x + a->h, a->y);
            cairo_rotate(cr, -a->u.turn.angle * G_PI / 180);
            cairo_translate(cr, -a->x, -a->y);
            break;
        case WB_AREA_FIELD:
            /* never drawn: the frame is printed by its own areas; cairo cannot write form
             * fields, so the post-pass adds them */
            if (r->format == WB_OUT_PDF) {
                double off = page->crop_offset > 0 ? page->crop_offset : 0; /* the sheet's margin */
                wb_pdf_field f = {.page = r->count - 1, .x0 = off + a->x, .x1 = off + a->x + a->w,
                                  .y0 = page->height + off - a->y - a->h, .y1 = page->height + off - a->y, .kind = a->u.field.kind,
                                  .name = g_strdup(a->u.field.name), .value = g_strdup(a->u.field.value)};
                g_array_append_val(r->fields, f);
            }
            break;
        case WB_AREA_DEST:
            if (r->format == WB_OUT_PDF && a->u.dest.name && !strchr(a->u.dest.name, '\'')) {
                char *attrs = g_strdup_printf("name='%s' x=%.2f y=%.2f", a->u.dest.name, a->x, a->y);
                cairo_tag_begin(cr, CAIRO_TAG_DEST, attrs);
                cairo_tag_end(cr, CAIRO_TAG_DEST);
                g_free(attrs);
            }
            break;
        }
    }
}

/* ------------------------------------------------------------------ files */

/* The "%d" of a file name, with flags and width as printf has them ("%d", "%02d", "%3d"):
 * where it starts and ends; false when there is none. */
static bool number_pattern(const char *path, const char **start, const char **end)
{
    for (const char *p = strchr(path, '%'); p; p = strchr(p + 1, '%')) {
        const char *q = p + 1;
        while (*q == '0')
            q++;
        while (g_ascii_isdigit(*q) && q - p < 4)
            q++;
        if (*q == 'd') {
            *start = p;
            *end = q + 1;
            return true;
        }
    }
    return false;
}

static char *page_path(const char *path, int n)
{
    const char *start, *end;
    if (number_pattern(path, &start, &end)) {
        bool zero = start[1] == '0';
        int width = atoi(start + 1 + zero);
        GString *s = g_string_new(NULL);
        g_string_append_len(s, path, start - path);
        g_string_append_printf(s, zero ? "%0*d" : "%*d", width, n);
        g_string_append(s, end);
        return g_string_free(s, FALSE);
    }
    const char *slash = strrchr(path, '/');
    const char *dot = strrchr(path, '.');
    if (dot && (!slash || dot > slash))
        return g_strdup_printf("%.*s-%d%s", (int)(dot - path), path, n, dot);
    return g_strdup_printf("%s-%d", path, n);
}

static void abort_output(gpointer out) { wb_output_abort(out); }

static void clear_field(gpointer p)
{
    wb_pdf_field *f = p;
    g_free((char *)f->name);
    g_free((char *)f->value);
}

/* PNG and SVG write a file per page named after `path`: standard output, a device or a
 * pipe cannot take them, and a folder is not a file name to add "-N" to. */
static bool page_files_possible(wb_ctx *ctx, wb_output_format format, const char *path)
{
    const char *kind = format == WB_OUT_PNG ? "png" : "svg";
    struct stat st;
    if (!strcmp(path, "-")) {
        wb_error(ctx, WB_ERR_USAGE, "standard output", 0, 0,
                 "%s output is one file per page and cannot go to standard output: give a file name "
                 "(pages are written as NAME-1.%s, NAME-2.%s...), or use pdf", kind, kind, kind);
        return false;
    }
    if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
        wb_error(ctx, WB_ERR_IO, path, 0, 0,
                 "%s: %s output is one file per page (NAME-1.%s, NAME-2.%s...): give a file name",
                 S_ISDIR(st.st_mode) ? "is a folder" : "not a regular file", kind, kind, kind);
        return false;
    }
    return true;
}

/* Opens the PDF output and its cairo surface (and the tagger when tagged).  False with the
 * error on the context; what was opened stays for wb_renderer_free. */
static bool open_pdf(wb_renderer *r)
{
    /* spooled: the post-pass at finish changes the complete file by path */
    r->out = wb_output_open(r->ctx, r->path, WB_OUTPUT_SPOOL);
    if (!r->out)
        return false;
    /* the size is set again for every page */
    r->pdf = cairo_pdf_surface_create_for_stream(wb_output_cairo_write, r->out, 595.276, 841.89);
    if (r->tagged)
        r->tagger = wb_tagger_new();
    if (cairo_surface_status(r->pdf) != CAIRO_STATUS_SUCCESS) {
        if (wb_output_status(r->out) == WB_OK)
            wb_error(r->ctx, WB_ERR_IO, r->path, 0, 0, "cannot write: %s",
                     cairo_status_to_string(cairo_surface_status(r->pdf)));
        cairo_surface_destroy(r->pdf);
        r->pdf = NULL;
        return false;
    }
    cairo_pdf_surface_restrict_to_version(r->pdf, CAIRO_PDF_VERSION_1_5);
    return true;
}

wb_renderer *wb_renderer_new(wb_ctx *ctx, wb_output_format format, const char *path, double dpi)
{
    if ((format == WB_OUT_PNG || format == WB_OUT_SVG) && !page_files_possible(ctx, format, path))
        return NULL;
    wb_renderer *r = g_new0(wb_renderer, 1);
    r->ctx = ctx;
    r->format = format;
    r->path = g_strdup(path);
    r->dpi = dpi > 0 ? dpi : 96;
    r->pages = g_ptr_array_new_with_free_func(abort_output);
    r->boxes = g_array_new(FALSE, TRUE, sizeof(wb_pdf_page_boxes));
    if (format == WB_OUT_CONTACT) {
        r->dpi = dpi > 0 ? dpi : 20;
        r->contact = wb_contact_new();
        r->out = wb_output_open(ctx, path, 0);
        if (!r->out) {
            wb_renderer_free(r);
            return NULL;
        }
    }
    r->fields = g_array_new(FALSE, FALSE, sizeof(wb_pdf_field));
    g_array_set_clear_func(r->fields, clear_field);
    r->tagged = true;
    if (format == WB_OUT_PDF && !open_pdf(r)) {
        wb_renderer_free(r);
        return NULL;
    }
    return r;
}

wb_status wb_renderer_restart(wb_renderer *r)
{
    if (r->failed || r->finished)
        return WB_ERR_INTERNAL;
    if (r->pending)
        cairo_destroy(r->pending);
    r->pending = NULL;
    if (r->pdf) {
        /* cairo ends the surface into the output given up just after: nothing reaches the
         * target */
        cairo_surface_destroy(r->pdf);
        r->pdf = NULL;
    }
    wb_tagger_free(r->tagger);
    r->tagger = NULL;
    if (r->format == WB_OUT_PDF) {
        wb_output_abort(r->out);
        r->out = NULL;
    }
    g_ptr_array_set_size(r->pages, 0); /* PNG, SVG: the page files so far are given up */
    g_array_set_size(r->boxes, 0);
    g_array_set_size(r->fields, 0);
    if (r->contact) {
        wb_contact_free(r->contact);
        r->contact = wb_contact_new();
    }
    r->count = 0;
    if (r->format == WB_OUT_PDF && !open_pdf(r)) {
        r->failed = true;
        return wb_ctx_status(r->ctx) != WB_OK ? wb_ctx_status(r->ctx) : WB_ERR_IO;
    }
    return WB_OK;
}

static void date_string(long long epoch, char *buf, size_t n)
{
    time_t t = (time_t)epoch;
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(buf, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

void wb_renderer_set_metadata(wb_renderer *r, const wb_metadata *m)
{
    g_free(r->lang);
    r->lang = g_strdup(m->lang);
    if (!r->pdf)
        return;
    if (m->title) cairo_pdf_surface_set_metadata(r->pdf, CAIRO_PDF_METADATA_TITLE, m->title);
    if (m->author) cairo_pdf_surface_set_metadata(r->pdf, CAIRO_PDF_METADATA_AUTHOR, m->author);
    if (m->subject) cairo_pdf_surface_set_metadata(r->pdf, CAIRO_PDF_METADATA_SUBJECT, m->subject);
    if (m->keywords) cairo_pdf_surface_set_metadata(r->pdf, CAIRO_PDF_METADATA_KEYWORDS, m->keywords);
    cairo_pdf_surface_set_metadata(r->pdf, CAIRO_PDF_METADATA_CREATOR, m->creator ? m->creator : "workbook engine");
    long long epoch = wb_ctx_date(r->ctx);
    if (epoch > 0) {
        char d[64];
        date_string(epoch, d, sizeof d);
        cairo_pdf_surface_set_metadata(r->pdf, CAIRO_PDF_METADATA_CREATE_DATE, d);
        cairo_pdf_surface_set_metadata(r->pdf, CAIRO_PDF_METADATA_MOD_DATE, d);
    }
}

static wb_status render_page(wb_renderer *r, const wb_page *page);

/* The trimmed page as an image at the renderer's resolution, white under the page. */
static cairo_surface_t *draw_png(wb_renderer *r, const wb_page *page)
{
    double k = r->dpi / 72.0;
    int w = (int)ceil(page->width * k), h = (int)ceil(page->height * k);
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
    cairo_t *cr = cairo_create(s);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    cairo_scale(cr, k, k);
    wb_marks_watermark(cr, page);
    draw_page(r, cr, page);
    cairo_destroy(cr);
    return s;
}

/* Shows the page drawn last, if any; last: the document ends with it, every tag is closed. */
static wb_status show_pending(wb_renderer *r, bool last)
{
    cairo_t *cr = r->pending;
    if (!cr)
        return WB_OK;
    r->pending = NULL;
    if (last)
        wb_tagger_close(r->tagger, cr);
    cairo_show_page(cr);
    cairo_status_t st = cairo_status(cr);
    cairo_destroy(cr);
    if (st == CAIRO_STATUS_SUCCESS && wb_output_status(r->out) != WB_OK) {
        /* a write failed (said by the output, with its reason): no more pages */
        r->failed = true;
        return WB_ERR_IO;
    }
    if (st != CAIRO_STATUS_SUCCESS) {
        /* a write error was reported by the output, with its reason */
        if (wb_output_status(r->out) == WB_OK)
            wb_error(r->ctx, WB_ERR_IO, r->path, 0, 0, "cannot draw page %d: %s", r->pending_number,
                     cairo_status_to_string(st));
        r->failed = true;
        return WB_ERR_IO;
    }
    return WB_OK;
}

wb_status wb_renderer_page(wb_renderer *r, const wb_page *page)
{
    double t0 = wb_clock();
    wb_status st = render_page(r, page);
    wb_ctx_stat_add(r->ctx, "render", wb_clock() - t0);
    return st;
}

static wb_status render_page(wb_renderer *r, const wb_page *page)
{
    if (r->failed)
        return WB_ERR_IO;
    r->count++;
    /* PDF readers take no side over 200 inches (14400 units), and cairo writes numbers
     * beyond that that no reader takes back */
    if (!(page->width > 0 && page->height > 0 && page->width <= 14400 && page->height <= 14400)) {
        wb_error(r->ctx, WB_ERR_INPUT, r->path, 0, 0, "page %d is %g x %g pt: a page side must be more than 0 and at most 14400pt (200in)",
                 r->count, page->width, page->height);
        r->failed = true;
        return WB_ERR_INPUT;
    }
    if (r->format == WB_OUT_PDF) {
        if (show_pending(r, false) != WB_OK)
            return WB_ERR_IO;
        /* a print shop's sheet: the page in the middle, room for the bleed and crop marks */
        double off = page->crop_offset > 0 ? page->crop_offset : 0;
        double sw = page->width + 2 * off, sh = page->height + 2 * off;
        wb_pdf_page_boxes b = {{0}};
        if (off > 0) {
            double bl = page->bleed;
            b = (wb_pdf_page_boxes){{off, off, off + page->width, off + page->height},
                                    {off - bl, off - bl, off + page->width + bl, off + page->height + bl}};
        }
        g_array_append_val(r->boxes, b);
        cairo_pdf_surface_set_size(r->pdf, sw, sh);
        r->pending = cairo_create(r->pdf);
        r->pending_number = r->count;
        cairo_t *cr = r->pending;
        cairo_translate(cr, off, off);
        /* the watermark and the crop marks before the page's content, outside its tags */
        wb_marks_watermark(cr, page);
        wb_marks_crop(cr, page);
        draw_page(r, cr, page);
        return cairo_status(cr) == CAIRO_STATUS_SUCCESS ? WB_OK : show_pending(r, false);
    }
    if (r->format == WB_OUT_PNG || r->format == WB_OUT_CONTACT) {
        /* a page is one image in memory: its pixels are bounded like an image's (and cairo
         * takes no side over 32767) */
        double k = r->dpi / 72.0, pw = ceil(page->width * k), ph = ceil(page->height * k);
        if (!(pw >= 1 && ph >= 1 && pw <= 32767 && ph <= 32767) ||
            wb_ctx_over_limit(r->ctx, WB_LIMIT_PIXELS,
                              r->contact ? wb_contact_pixels(r->contact, (int)pw, (int)ph)
                                         : (unsigned long long)(pw * ph))) {
            wb_error(r->ctx, WB_ERR_INPUT, r->path, 0, 0,
                     "page %d is %.0f x %.0f pixels at %g dpi: more than a PNG page may have (sides up to 32767, "
                     "%llu pixels in all: %s raises it; or lower --dpi)",
                     r->count, pw, ph, r->dpi, wb_ctx_limit(r->ctx, WB_LIMIT_PIXELS), wb_limit_env(WB_LIMIT_PIXELS));
            r->failed = true;
            return WB_ERR_INPUT;
        }
    }
    if (r->format == WB_OUT_CONTACT) {
        wb_contact_add(r->contact, draw_png(r, page), page->number_text);
        return WB_OK;
    }
    char *final = page_path(r->path, r->count);
    wb_output *out = wb_output_open(r->ctx, final, 0);
    g_free(final);
    if (!out) {
        r->failed = true;
        return WB_ERR_IO;
    }
    g_ptr_array_add(r->pages, out);
    cairo_status_t st;
    if (r->format == WB_OUT_PNG) {
        cairo_surface_t *s = draw_png(r, page);
        st = cairo_surface_write_to_png_stream(s, wb_output_cairo_write, out);
        cairo_surface_destroy(s);
    } else {
        cairo_surface_t *s = cairo_svg_surface_create_for_stream(wb_output_cairo_write, out, page->width, page->height);
        cairo_svg_surface_set_document_unit(s, CAIRO_SVG_UNIT_PT);
        cairo_t *cr = cairo_create(s);
        wb_marks_watermark(cr, page);
        draw_page(r, cr, page);
        cairo_destroy(cr);
        cairo_surface_finish(s);
        st = cairo_surface_status(s);
        cairo_surface_destroy(s);
    }
    /* the page's file is complete: its descriptor is given back until finish renames it */
    if (wb_output_close(out) != WB_OK) {
        r->failed = true;
        return WB_ERR_IO;
    }
    if (st != CAIRO_STATUS_SUCCESS) {
        wb_error(r->ctx, WB_ERR_IO, wb_output_path(out), 0, 0, "cannot write page %d: %s", r->count,
                 cairo_status_to_string(st));
        r->failed = true;
        return WB_ERR_IO;
    }
    return WB_OK;
}

int wb_renderer_add_bookmark(wb_renderer *r, int parent, const char *title, const char *dest, bool open)
{
    if (!r->pdf || !dest || strchr(dest, '\''))
        return 0;
    char *attrs = g_strdup_printf("dest='%s'", dest);
    int id = cairo_pdf_surface_add_outline(r->pdf, parent, title, attrs,
                                           open ? CAIRO_PDF_OUTLINE_FLAG_OPEN : 0);
    g_free(attrs);
    return id;
}

static void add_outline(wb_renderer *r, int parent, const wb_outline *entries, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        int id = wb_renderer_add_bookmark(r, parent, entries[i].title, entries[i].dest, entries[i].open);
        if (id)
            add_outline(r, id, entries[i].children, entries[i].count);
    }
}

void wb_renderer_set_docinfo(wb_renderer *r, const wb_docinfo *info)
{
    wb_metadata m = {info->title, info->author, info->subject, info->keywords, info->lang, info->creator};
    wb_renderer_set_metadata(r, &m);
    add_outline(r, 0, info->outline, info->outline_count);
    r->pdfa = info->pdfa;
}

int wb_renderer_page_count(const wb_renderer *r) { return r->count; }

void wb_renderer_set_tagged(wb_renderer *r, bool tagged)
{
    if (!tagged && r->count == 0) {
        r->tagged = false;
        wb_tagger_free(r->tagger);
        r->tagger = NULL;
    }
}

static cairo_status_t append_bytes(void *closure, const unsigned char *data, unsigned int length)
{
    g_byte_array_append(closure, data, length);
    return CAIRO_STATUS_SUCCESS;
}

unsigned char *wb_render_png(wb_ctx *ctx, const wb_page *page, double dpi, size_t *len)
{
    /* a renderer of no file: draw_page asks it only for the format */
    wb_renderer r = {.ctx = ctx, .format = WB_OUT_PNG, .dpi = dpi > 0 ? dpi : 96};
    double k = r.dpi / 72.0, pw = ceil(page->width * k), ph = ceil(page->height * k);
    if (!(pw >= 1 && ph >= 1 && pw <= 32767 && ph <= 32767) ||
        wb_ctx_over_limit(ctx, WB_LIMIT_PIXELS, (unsigned long long)(pw * ph))) {
        wb_error(ctx, WB_ERR_INPUT, NULL, 0, 0, "page %d is %.0f x %.0f pixels at %g dpi: more than a PNG page may have",
                 page->index + 1, pw, ph, r.dpi);
        return NULL;
    }
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, (int)pw, (int)ph);
    cairo_t *cr = cairo_create(s);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    cairo_scale(cr, k, k);
    draw_page(&r, cr, page);
    cairo_destroy(cr);
    GByteArray *png = g_byte_array_new();
    cairo_status_t st = cairo_surface_write_to_png_stream(s, append_bytes, png);
    cairo_surface_destroy(s);
    if (st != CAIRO_STATUS_SUCCESS) {
        wb_error(ctx, WB_ERR_INTERNAL, NULL, 0, 0, "cannot draw page %d: %s", page->index + 1, cairo_status_to_string(st));
        g_byte_array_free(png, TRUE);
        return NULL;
    }
    *len = png->len;
    return g_byte_array_free(png, FALSE);
}

wb_status wb_renderer_finish(wb_renderer *r)
{
    if (r->failed)
        return WB_ERR_IO;
    if (r->count == 0) {
        wb_error(r->ctx, WB_ERR_INPUT, r->path, 0, 0, "the document has no pages");
        r->failed = true;
        return WB_ERR_INPUT;
    }
    if (r->format == WB_OUT_PDF) {
        double t0 = wb_clock();
        if (show_pending(r, true) != WB_OK)
            return WB_ERR_IO;
        cairo_surface_finish(r->pdf);
        cairo_status_t st = cairo_surface_status(r->pdf);
        cairo_surface_destroy(r->pdf);
        r->pdf = NULL;
        if (wb_output_status(r->out) != WB_OK || wb_output_close(r->out) != WB_OK) {
            r->failed = true;
            return WB_ERR_IO;
        }
        if (st != CAIRO_STATUS_SUCCESS) {
            wb_error(r->ctx, WB_ERR_IO, r->path, 0, 0, "cannot write the PDF: %s", cairo_status_to_string(st));
            r->failed = true;
            return WB_ERR_IO;
        }
        /* the complete PDF, not yet in place: a regular file beside the target, or the spool
         * file copied to a device or pipe on commit; the post-pass (src/pdf/) rewrites it
         * where it is */
        const char *tmp = wb_output_temp_path(r->out);
        wb_pdf_options opts = {.lang = r->lang, .name = r->path, .fields = (const wb_pdf_field *)r->fields->data,
                               .field_count = r->fields->len};
        opts.tags = wb_tagger_records(r->tagger, &opts.tag_count);
        opts.pdfa = r->pdfa;
        for (guint i = 0; i < r->boxes->len && !opts.boxes; i++)
            if (g_array_index(r->boxes, wb_pdf_page_boxes, i).trim[2] > 0) {
                opts.boxes = (const wb_pdf_page_boxes *)(void *)r->boxes->data;
                opts.box_count = r->boxes->len;
            }
        wb_ctx_stat_add(r->ctx, "render", wb_clock() - t0);
        t0 = wb_clock();
        /* the formatter's memory, freed by now, goes back to the system before the post-pass
         * takes as much again: it is scattered through the heap, where malloc keeps it */
        malloc_trim(0);
        wb_status pst = wb_pdf_postpass(r->ctx, tmp, tmp, &opts);
        wb_ctx_stat_add(r->ctx, "pdf post-pass", wb_clock() - t0);
        wb_output *out = r->out;
        r->out = NULL;
        if (pst != WB_OK) {
            wb_output_abort(out);
            r->failed = true;
            return pst;
        }
        if (wb_output_commit(out) != WB_OK) {
            pst = WB_ERR_IO;
            r->failed = true;
            return pst;
        }
    } else if (r->format == WB_OUT_CONTACT) {
        cairo_surface_t *sheet = wb_contact_finish(r->contact);
        cairo_status_t st = cairo_surface_write_to_png_stream(sheet, wb_output_cairo_write, r->out);
        cairo_surface_destroy(sheet);
        wb_output *out = r->out;
        r->out = NULL;
        if (wb_output_status(out) == WB_OK && st != CAIRO_STATUS_SUCCESS)
            wb_error(r->ctx, WB_ERR_IO, r->path, 0, 0, "cannot write the contact sheet: %s", cairo_status_to_string(st));
        if (st != CAIRO_STATUS_SUCCESS || wb_output_status(out) != WB_OK) {
            wb_output_abort(out);
            r->failed = true;
            return WB_ERR_IO;
        }
        if (wb_output_commit(out) != WB_OK) {
            r->failed = true;
            return WB_ERR_IO;
        }
    } else {
        for (guint i = 0; i < r->pages->len; i++) {
            wb_output *out = g_ptr_array_index(r->pages, i);
            g_ptr_array_index(r->pages, i) = NULL;
            if (wb_output_commit(out) != WB_OK) {
                r->failed = true;
                return WB_ERR_IO;
            }
        }
        g_ptr_array_set_size(r->pages, 0);
    }
    r->finished = true;
    return WB_OK;
}

void wb_renderer_free(wb_renderer *r)
{
    if (!r)
        return;
    if (r->pending)
        cairo_destroy(r->pending);
    wb_tagger_free(r->tagger);
    if (r->pdf) {
        cairo_surface_finish(r->pdf);
        cairo_surface_destroy(r->pdf);
    }
    /* what was not committed is given up: the temporary files go, the targets stay */
    wb_output_abort(r->out);
    g_ptr_array_free(r->pages, TRUE);
    g_array_free(r->boxes, TRUE);
    wb_contact_free(r->contact);
    g_array_free(r->fields, TRUE);
    g_free(r->path);
    g_free(r->lang);
    g_free(r);
}
