/* Paragraphs: the inline content of a block -> lines, with pango.
 *
 * The inline objects are flattened into one UTF-8 string with pango attributes (white space
 * handled as XSL says, soft hyphens inserted from the hyphenation dictionaries), laid out by
 * one PangoLayout, and each resulting line gets its box height, baseline and decorations
 * (links, inline backgrounds and borders, leaders, images, destinations). */
#include <math.h>
#include <string.h>

#include "format/format-private.h"

#define SOFT_HYPHEN "\xC2\xAD"
#define OBJECT_CHAR "\xEF\xBF\xBC" /* U+FFFC stands for an image inside the text */

typedef enum { DECO_LINK, DECO_BOX, DECO_LEADER, DECO_IMAGE, DECO_DEST, DECO_NOTE } deco_kind;

typedef struct deco {
    deco_kind kind;
    int start, end; /* byte range in the paragraph text */
    const wb_style *style;
    const char *uri, *dest, *id;
    wb_image *image; /* borrowed from the image cache */
    double w, h;     /* image size, fixed leader width */
    bool fill;       /* leader that fills the rest of the line */
    const wb_fo *note; /* DECO_NOTE: the fo:footnote-body */
} deco;

typedef struct builder {
    fmt *f;
    const wb_fo *block;
    GString *text;
    PangoAttrList *attrs;
    GArray *decos;
    bool pending_space;
    bool has_content; /* anything but white space */
    bool has_fill_leader;
} builder;

bool fo_is_inline(wb_fo_kind k)
{
    switch (k) {
    case FO_TEXT: case FO_INLINE: case FO_WRAPPER: case FO_BASIC_LINK: case FO_PAGE_NUMBER:
    case FO_PAGE_NUMBER_CITATION: case FO_PAGE_NUMBER_CITATION_LAST: case FO_LEADER:
    case FO_EXTERNAL_GRAPHIC: case FO_INSTREAM_FOREIGN_OBJECT: case FO_FOOTNOTE:
    case FO_RETRIEVE_MARKER:
        return true;
    default:
        return false;
    }
}

/* ------------------------------------------------------------------ page numbers */

static void roman(GString *s, int n, bool upper)
{
    static const struct { int v; const char *r; } t[] = {
        {1000, "m"}, {900, "cm"}, {500, "d"}, {400, "cd"}, {100, "c"}, {90, "xc"},
        {50, "l"},   {40, "xl"},  {10, "x"},  {9, "ix"},   {5, "v"},   {4, "iv"}, {1, "i"}};
    for (size_t i = 0; i < G_N_ELEMENTS(t); i++)
        while (n >= t[i].v) {
            for (const char *c = t[i].r; *c; c++)
                g_string_append_c(s, upper ? (char)g_ascii_toupper(*c) : *c);
            n -= t[i].v;
        }
}

char *format_page_number(int n, const char *format)
{
    GString *s = g_string_new(NULL);
    if (!format || !*format)
        format = "1";
    if (n <= 0) {
        g_string_append_printf(s, "%d", n);
    } else if (!strcmp(format, "i") || !strcmp(format, "I")) {
        roman(s, n, format[0] == 'I');
    } else if (!strcmp(format, "a") || !strcmp(format, "A")) {
        char buf[16];
        int len = 0;
        for (int m = n; m > 0 && len < 15; m = (m - 1) / 26)
            buf[len++] = (char)((format[0] == 'A' ? 'A' : 'a') + (m - 1) % 26);
        while (len > 0)
            g_string_append_c(s, buf[--len]);
    } else {
        /* "1", "01", "001": the number of digits is the least width */
        int width = (int)strspn(format, "0123456789");
        g_string_append_printf(s, "%0*d", width > 0 ? width : 1, n);
    }
    return g_string_free(s, FALSE);
}

/* ------------------------------------------------------------------ attributes */

static void add_attr(builder *b, PangoAttribute *a, int start, int end)
{
    a->start_index = (guint)start;
    a->end_index = (guint)end;
    pango_attr_list_insert(b->attrs, a);
}

static void style_attrs(builder *b, const wb_style *s, int start, int end)
{
    if (start >= end)
        return;
    PangoFontDescription *fd = pango_font_description_new();
    pango_font_description_set_family(fd, s->font_family);
    pango_font_description_set_size(fd, (gint)lround(s->font_size * PANGO_SCALE));
    pango_font_description_set_weight(fd, (PangoWeight)s->font_weight);
    pango_font_description_set_style(fd, s->italic ? PANGO_STYLE_ITALIC : PANGO_STYLE_NORMAL);
    add_attr(b, pango_attr_font_desc_new(fd), start, end);
    pango_font_description_free(fd);
    if (s->small_caps)
        add_attr(b, pango_attr_variant_new(PANGO_VARIANT_SMALL_CAPS), start, end);
    add_attr(b, pango_attr_foreground_new((guint16)(s->color.r * 65535), (guint16)(s->color.g * 65535),
                                          (guint16)(s->color.b * 65535)), start, end);
    if (s->underline)
        add_attr(b, pango_attr_underline_new(PANGO_UNDERLINE_SINGLE), start, end);
    if (s->line_through)
        add_attr(b, pango_attr_strikethrough_new(TRUE), start, end);
    if (s->overline)
        add_attr(b, pango_attr_overline_new(PANGO_OVERLINE_SINGLE), start, end);
    if (s->letter_spacing != 0)
        add_attr(b, pango_attr_letter_spacing_new((int)lround(s->letter_spacing * PANGO_SCALE)), start, end);
    if (s->baseline_shift != 0)
        add_attr(b, pango_attr_rise_new((int)lround(s->baseline_shift * PANGO_SCALE)), start, end);
    if (s->lang)
        add_attr(b, pango_attr_language_new(pango_language_from_string(s->lang)), start, end);
    if (s->word_spacing != 0) {
        /* pango has no word spacing: letter spacing on the spaces themselves does it */
        for (int i = start; i < end; i++)
            if (b->text->str[i] == ' ')
                add_attr(b, pango_attr_letter_spacing_new((int)lround(s->word_spacing * PANGO_SCALE)), i, i + 1);
    }
}

/* ------------------------------------------------------------------ text */

static bool is_xml_space(gunichar c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

/* Soft hyphens at the dictionary's points, into `out`. */
static void append_hyphenated(builder *b, GString *out, const char *s, size_t len, const wb_style *st)
{
    if (!st->hyphenate || !st->lang || !b->f->hyph || !wb_hyphenator_has(b->f->hyph, st->lang)) {
        g_string_append_len(out, s, (gssize)len);
        return;
    }
    const char *p = s, *end = s + len;
    while (p < end) {
        /* runs of letters are words; everything else passes through */
        const char *w = p;
        while (w < end && !g_unichar_isalpha(g_utf8_get_char(w)))
            w = g_utf8_next_char(w);
        g_string_append_len(out, p, w - p);
        if (w >= end)
            break;
        const char *we = w;
        while (we < end && (g_unichar_isalpha(g_utf8_get_char(we)) || g_utf8_get_char(we) == 0x2019 ||
                            g_utf8_get_char(we) == '\''))
            we = g_utf8_next_char(we);
        size_t wl = (size_t)(we - w);
        char stackpts[128];
        char *pts = wl <= sizeof stackpts ? stackpts : g_malloc(wl);
        int n = wb_hyphenate(b->f->hyph, st->lang, w, wl, st->hyph_push, st->hyph_remain, pts);
        for (size_t i = 0; i < wl; i++) {
            if (n > 0 && pts[i])
                g_string_append(out, SOFT_HYPHEN);
            g_string_append_c(out, w[i]);
        }
        if (pts != stackpts)
            g_free(pts);
        p = we;
    }
}

/* White space as XSL refines it (white-space-collapse, linefeed-treatment,
 * white-space-treatment), then hyphenation, then the run's attributes. */
static void add_text(builder *b, const char *s, const wb_style *st)
{
    GString *run = g_string_new(NULL);
    for (const char *p = s; *p; p = g_utf8_next_char(p)) {
        gunichar c = g_utf8_get_char(p);
        if (c == '\n') {
            switch (st->linefeed) {
            case LF_PRESERVE:
                g_string_append_c(run, '\n');
                b->pending_space = false;
                b->has_content = true;
                continue;
            case LF_IGNORE:
                continue;
            case LF_TREAT_AS_ZWSP:
                g_string_append(run, "\xE2\x80\x8B");
                continue;
            case LF_TREAT_AS_SPACE:
                c = ' ';
                break;
            }
        }
        if (is_xml_space(c)) {
            if (st->ws_collapse) {
                b->pending_space = true;
            } else if (st->ws_treatment == WST_PRESERVE) {
                g_string_append_c(run, ' ');
            } else {
                b->pending_space = true;
            }
            continue;
        }
        if (b->pending_space) {
            size_t tl = b->text->len + run->len;
            char last = run->len ? run->str[run->len - 1] : (b->text->len ? b->text->str[b->text->len - 1] : 0);
            if (tl > 0 && last != ' ' && last != '\n')
                g_string_append_c(run, ' ');
            b->pending_space = false;
        }
        g_string_append_unichar(run, c);
        b->has_content = true;
    }
    if (run->len) {
        int start = (int)b->text->len;
        append_hyphenated(b, b->text, run->str, run->len, st);
        style_attrs(b, st, start, (int)b->text->len);
    }
    g_string_free(run, TRUE);
}

static void flush_space(builder *b)
{
    if (b->pending_space && b->text->len && b->text->str[b->text->len - 1] != ' ' &&
        b->text->str[b->text->len - 1] != '\n') {
        int start = (int)b->text->len;
        g_string_append_c(b->text, ' ');
        style_attrs(b, b->block->style, start, start + 1);
    }
    b->pending_space = false;
}

static void add_deco(builder *b, deco d) { g_array_append_val(b->decos, d); }

/* A placeholder of a given size in the text: an image, a fixed leader. */
static int add_object(builder *b, const wb_style *st, double w, double h, double descent)
{
    flush_space(b);
    int start = (int)b->text->len;
    g_string_append(b->text, OBJECT_CHAR);
    int end = (int)b->text->len;
    style_attrs(b, st, start, end);
    PangoRectangle r = {0, (int)lround(-(h - descent) * PANGO_SCALE), (int)lround(w * PANGO_SCALE),
                        (int)lround(h * PANGO_SCALE)};
    add_attr(b, pango_attr_shape_new(&r, &r), start, end);
    b->has_content = true;
    return start;
}

static const char *citation(fmt *f, const wb_fo *fo, bool last)
{
    const char *ref = wb_fo_attr(fo, "ref-id");
    if (!ref) {
        wb_fo_warning(f->ctx, f->tree, fo, "fo:%s without ref-id", wb_fo_kind_name(fo->kind));
        return "?";
    }
    const char *v = g_hash_table_lookup(last ? f->id_last : f->id_first, ref);
    if (v)
        return v;
    f->citations_missing = true;
    if (f->final_pass) {
        char key[300];
        snprintf(key, sizeof key, "cite:%s", ref);
        wb_fo_warning_once(f->ctx, f->tree, fo, key, "fo:%s: no object has the id \"%s\"", wb_fo_kind_name(fo->kind), ref);
        return "??";
    }
    return "00"; /* a plausible width until the next pass knows */
}

static void add_inlines(builder *b, const wb_fo *from, const wb_fo *to);

static void add_inline(builder *b, const wb_fo *c)
{
    fmt *f = b->f;
    const wb_style *st = c->style;
    int start = (int)b->text->len;
    switch (c->kind) {
    case FO_TEXT:
        add_text(b, c->text, c->parent->style);
        return;
    case FO_INLINE: case FO_WRAPPER: case FO_BASIC_LINK: case FO_FOOTNOTE:
        if (c->kind == FO_FOOTNOTE) {
            /* the footnote's inline part stays in the text; its body goes to the foot of
             * the page that holds the line citing it */
            const wb_fo *in = wb_fo_child(c, FO_INLINE);
            if (in)
                add_inline(b, in);
            const wb_fo *body = wb_fo_child(c, FO_FOOTNOTE_BODY);
            if (body) {
                int at = b->text->len > (gsize)start ? (int)b->text->len - 1 : start;
                add_deco(b, (deco){.kind = DECO_NOTE, .start = at, .end = at + 1, .note = body});
            }
            return;
        }
        add_inlines(b, c->first, NULL);
        break;
    case FO_PAGE_NUMBER:
        add_text(b, f->page_text ? f->page_text : "0", st);
        break;
    case FO_PAGE_NUMBER_CITATION:
    case FO_PAGE_NUMBER_CITATION_LAST:
        add_text(b, citation(f, c, c->kind == FO_PAGE_NUMBER_CITATION_LAST), st);
        break;
    case FO_LEADER: {
        flush_space(b);
        const wb_style *bs = b->block->style;
        bool justify_last = bs->text_align_last == ALIGN_JUSTIFY ||
                            ((int)bs->text_align_last == -1 && bs->text_align == ALIGN_JUSTIFY);
        bool fill = st->leader_length_max.pct >= 100 &&
                    (justify_last || st->leader_length_min.pct >= 100 || st->leader_length_opt.pct >= 100);
        deco d = {.kind = DECO_LEADER, .style = st, .fill = fill};
        if (fill && !b->has_fill_leader) {
            b->has_fill_leader = true;
            d.start = (int)b->text->len;
            g_string_append_c(b->text, '\t');
            d.end = (int)b->text->len;
            style_attrs(b, st, d.start, d.end);
            b->has_content = true;
        } else {
            double w = wb_len_resolve(st->leader_length_opt, 0);
            if (st->leader_length_opt.pct > 0)
                w = st->leader_length_opt.pct * 4; /* a percentage of an unknown line: rough */
            d.w = w;
            d.start = add_object(b, st, w, 0, 0);
            d.end = (int)b->text->len;
        }
        add_deco(b, d);
        break;
    }
    case FO_EXTERNAL_GRAPHIC:
    case FO_INSTREAM_FOREIGN_OBJECT: {
        wb_image *img = NULL;
        if (c->kind == FO_INSTREAM_FOREIGN_OBJECT) {
            img = image_instream(f, c);
        } else {
            const char *src = wb_fo_attr(c, "src");
            img = src ? image_get(f, c, src) : NULL;
            if (!src)
                wb_fo_error(f->ctx, f->tree, c, "fo:external-graphic without src");
        }
        if (!img)
            break;
        double iw, ih;
        image_size(img, &iw, &ih);
        /* content-width / -height scale the image; width / height set the viewport */
        double cw = st->content_width.is_auto ? -1 : wb_len_resolve(st->content_width, iw);
        double ch = st->content_height.is_auto ? -1 : wb_len_resolve(st->content_height, ih);
        double vw = st->width.is_auto ? -1 : st->width.pt; /* % of the line: resolved below */
        if (!st->width.is_auto && st->width.pct > 0)
            vw = -2;
        if (vw == -2) {
            vw = -1;
            cw = st->width.pct; /* marker: percentage of the line width */
            cw = -cw - 1000;
        }
        const char *scaling = wb_fo_attr(c, "scaling");
        bool uniform = !scaling || strcmp(scaling, "non-uniform") != 0;
        if (cw <= -1000) {
            /* resolved later against the paragraph width: keep the percentage */
        }
        double w = iw, h = ih;
        if (cw > 0 && ch > 0) {
            w = cw;
            h = ch;
            if (uniform) {
                double k = MIN(cw / iw, ch / ih);
                w = iw * k;
                h = ih * k;
            }
        } else if (cw > 0) {
            w = cw;
            h = uniform ? ih * cw / iw : ih;
        } else if (ch > 0) {
            h = ch;
            w = uniform ? iw * ch / ih : iw;
        } else if (vw > 0) {
            w = vw;
            h = ih * vw / iw;
        }
        if (!st->height.is_auto && st->height.pct == 0 && st->height.pt > 0 && cw < 0 && ch < 0 && vw < 0) {
            h = st->height.pt;
            w = iw * h / ih;
        }
        deco d = {.kind = DECO_IMAGE, .style = st, .image = img, .w = w, .h = h};
        if (cw <= -1000)
            d.w = cw; /* resolved in para_layout */
        d.start = add_object(b, st, w, h, 0);
        d.end = (int)b->text->len;
        add_deco(b, d);
        break;
    }
    case FO_RETRIEVE_MARKER:
        break;
    default: {
        char key[100];
        snprintf(key, sizeof key, "inline:%s", wb_fo_kind_name(c->kind));
        wb_fo_warning_once(f->ctx, f->tree, c, key, "fo:%s inside a line is not supported (ignored)", wb_fo_kind_name(c->kind));
        return;
    }
    }
    int end = (int)b->text->len;
    if (c->kind == FO_BASIC_LINK) {
        const char *dest = wb_fo_attr(c, "internal-destination");
        const char *uri = wb_fo_attr(c, "external-destination");
        if (dest || uri)
            add_deco(b, (deco){.kind = DECO_LINK, .start = start, .end = end, .style = st,
                               .uri = uri, .dest = dest});
    }
    if (st && (st->background.a > 0 || st->border[0].style || st->border[1].style ||
               st->border[2].style || st->border[3].style) &&
        c->kind != FO_LEADER && c->kind != FO_EXTERNAL_GRAPHIC)
        add_deco(b, (deco){.kind = DECO_BOX, .start = start, .end = end, .style = st});
    if (c->id)
        add_deco(b, (deco){.kind = DECO_DEST, .start = start, .end = end, .id = c->id});
}

static void add_inlines(builder *b, const wb_fo *from, const wb_fo *to)
{
    for (const wb_fo *c = from; c && c != to; c = c->next)
        add_inline(b, c);
}

/* ------------------------------------------------------------------ lines */

PangoLayoutLine *line_hold(PangoLayoutLine *line)
{
    g_object_ref(line->layout);
    return pango_layout_line_ref(line);
}

void line_release(PangoLayoutLine *line)
{
    PangoLayout *layout = line->layout;
    pango_layout_line_unref(line);
    g_object_unref(layout);
}

void area_clear(wb_area *a)
{
    switch (a->kind) {
    case WB_AREA_TEXT:
        if (a->u.text.line)
            line_release(a->u.text.line);
        break;
    case WB_AREA_DOTS:
        if (a->u.dots.dot)
            line_release(a->u.dots.dot);
        break;
    case WB_AREA_LINK:
        g_free(a->u.link.uri);
        g_free(a->u.link.dest);
        break;
    case WB_AREA_DEST:
        g_free(a->u.dest.name);
        break;
    default:
        break;
    }
}

void area_list_free(area_list *a)
{
    if (!a)
        return;
    for (guint i = 0; i < a->len; i++) {
        wb_area *x = &g_array_index(a, wb_area, i);
        if (x->kind == WB_AREA_IMAGE)
            x->u.image.image = NULL; /* borrowed from the image cache */
        area_clear(x);
    }
    g_array_free(a, TRUE);
}

wb_area area_copy(const wb_area *a)
{
    wb_area c = *a;
    switch (a->kind) {
    case WB_AREA_TEXT: line_hold(c.u.text.line); break;
    case WB_AREA_DOTS: line_hold(c.u.dots.dot); break;
    case WB_AREA_LINK:
        c.u.link.uri = g_strdup(a->u.link.uri);
        c.u.link.dest = g_strdup(a->u.link.dest);
        break;
    case WB_AREA_DEST: c.u.dest.name = g_strdup(a->u.dest.name); break;
    default: break;
    }
    return c;
}

static wb_color rgba(wb_rgba c) { return (wb_color){c.r, c.g, c.b, c.a}; }

static void push_area(area_list **list, wb_area a)
{
    if (!*list)
        *list = g_array_new(FALSE, FALSE, sizeof(wb_area));
    g_array_append_val(*list, a);
}

static wb_rule_style rule_style(wb_border_style s)
{
    switch (s) {
    case BORDER_DASHED: return WB_RULE_DASHED;
    case BORDER_DOTTED: return WB_RULE_DOTTED;
    case BORDER_DOUBLE: return WB_RULE_DOUBLE;
    default: return WB_RULE_SOLID;
    }
}

/* The x ranges (points, from the layout's left) that a byte range covers on a line. */
static int line_ranges(PangoLayoutLine *line, int start, int end, double x0, double *out, int max)
{
    int *ranges = NULL, n = 0;
    int ls = line->start_index, le = line->start_index + line->length;
    int s = MAX(start, ls), e = MIN(end, le);
    if (s >= e)
        return 0;
    pango_layout_line_get_x_ranges(line, s, e, &ranges, &n);
    int k = 0;
    for (int i = 0; i < n && k < max; i++) {
        out[2 * k] = x0 + ranges[2 * i] / (double)PANGO_SCALE;
        out[2 * k + 1] = x0 + ranges[2 * i + 1] / (double)PANGO_SCALE;
        if (out[2 * k + 1] > out[2 * k])
            k++;
    }
    g_free(ranges);
    return k;
}

static PangoLayoutLine *dot_line(fmt *f, const wb_style *st, const char *glyph)
{
    PangoLayout *l = pango_layout_new(f->pango);
    pango_layout_set_text(l, glyph, -1);
    PangoFontDescription *fd = pango_font_description_new();
    pango_font_description_set_family(fd, st->font_family);
    pango_font_description_set_size(fd, (gint)lround(st->font_size * PANGO_SCALE));
    pango_font_description_set_weight(fd, (PangoWeight)st->font_weight);
    pango_layout_set_font_description(l, fd);
    pango_font_description_free(fd);
    PangoLayoutLine *line = line_hold(pango_layout_get_line(l, 0));
    g_object_unref(l);
    return line;
}

static void line_decorations(fmt *f, para_line *pl, GArray *decos, double x0)
{
    PangoLayoutLine *line = pl->line;
    double top_of_text = pl->baseline; /* baseline from the line top */
    PangoRectangle log;
    pango_layout_line_get_extents(line, NULL, &log);
    double asc = -log.y / (double)PANGO_SCALE, desc = (log.y + log.height) / (double)PANGO_SCALE;
    for (guint i = 0; i < decos->len; i++) {
        deco *d = &g_array_index(decos, deco, i);
        double r[32];
        int n = line_ranges(line, d->start, d->end, x0, r, 16);
        if (d->kind == DECO_NOTE) {
            int ls = line->start_index, le = ls + line->length;
            if (d->start >= ls && d->start < le) {
                if (!pl->notes)
                    pl->notes = g_ptr_array_new();
                g_ptr_array_add(pl->notes, (gpointer)d->note);
            }
            continue;
        }
        if (d->kind == DECO_DEST) {
            int ls = line->start_index, le = ls + line->length;
            if (d->start < ls || d->start >= le + (d->start == d->end))
                continue;
            wb_area a = {.kind = WB_AREA_DEST, .x = n ? r[0] : x0, .y = 0};
            a.u.dest.name = g_strdup(d->id);
            push_area(&pl->areas, a);
            continue;
        }
        for (int k = 0; k < n; k++) {
            double xa = r[2 * k], xb = r[2 * k + 1];
            const wb_style *st = d->style;
            switch (d->kind) {
            case DECO_LINK: {
                wb_area a = {.kind = WB_AREA_LINK, .x = xa, .y = 0, .w = xb - xa, .h = pl->height};
                a.u.link.uri = g_strdup(d->uri);
                a.u.link.dest = g_strdup(d->dest);
                push_area(&pl->areas, a);
                break;
            }
            case DECO_BOX: {
                double y0 = top_of_text - asc - st->padding[SIDE_BEFORE];
                double y1 = top_of_text + desc + st->padding[SIDE_AFTER];
                double xs = xa - st->padding[SIDE_START], xe = xb + st->padding[SIDE_END];
                if (st->background.a > 0)
                    push_area(&pl->areas, (wb_area){.kind = WB_AREA_FILL, .x = xs, .y = y0, .w = xe - xs,
                                                    .h = y1 - y0, .color = rgba(st->background)});
                const wb_border *bd = st->border;
                if (bd[SIDE_BEFORE].style)
                    push_area(&pl->areas, (wb_area){.kind = WB_AREA_RULE, .x = xs, .y = y0, .w = xe - xs, .h = 0,
                              .color = rgba(bd[SIDE_BEFORE].color),
                              .u.rule = {bd[SIDE_BEFORE].width, rule_style(bd[SIDE_BEFORE].style)}});
                if (bd[SIDE_AFTER].style)
                    push_area(&pl->areas, (wb_area){.kind = WB_AREA_RULE, .x = xs, .y = y1, .w = xe - xs, .h = 0,
                              .color = rgba(bd[SIDE_AFTER].color),
                              .u.rule = {bd[SIDE_AFTER].width, rule_style(bd[SIDE_AFTER].style)}});
                if (bd[SIDE_START].style && k == 0)
                    push_area(&pl->areas, (wb_area){.kind = WB_AREA_RULE, .x = xs, .y = y0, .w = 0, .h = y1 - y0,
                              .color = rgba(bd[SIDE_START].color),
                              .u.rule = {bd[SIDE_START].width, rule_style(bd[SIDE_START].style)}});
                if (bd[SIDE_END].style && k == n - 1)
                    push_area(&pl->areas, (wb_area){.kind = WB_AREA_RULE, .x = xe, .y = y0, .w = 0, .h = y1 - y0,
                              .color = rgba(bd[SIDE_END].color),
                              .u.rule = {bd[SIDE_END].width, rule_style(bd[SIDE_END].style)}});
                break;
            }
            case DECO_LEADER: {
                if (st->leader_pattern == LEADER_SPACE)
                    break;
                if (st->leader_pattern == LEADER_RULE) {
                    double y = top_of_text - st->rule_thickness / 2;
                    push_area(&pl->areas, (wb_area){.kind = WB_AREA_RULE, .x = xa, .y = y, .w = xb - xa, .h = 0,
                              .color = rgba(st->color), .u.rule = {st->rule_thickness, rule_style(st->rule_style)}});
                } else {
                    PangoLayoutLine *dot = dot_line(f, st, ".");
                    PangoRectangle dl;
                    pango_layout_line_get_extents(dot, NULL, &dl);
                    double pitch = MAX(st->leader_pattern_width, dl.width / (double)PANGO_SCALE * 1.8);
                    wb_area a = {.kind = WB_AREA_DOTS, .x = xa + pitch * 0.3, .y = top_of_text,
                                 .w = xb - xa - pitch * 0.6, .h = 0, .color = rgba(st->color)};
                    a.u.dots.dot = dot;
                    a.u.dots.pitch = pitch;
                    a.u.dots.origin = 0;
                    push_area(&pl->areas, a);
                }
                break;
            }
            case DECO_IMAGE: {
                wb_area a = {.kind = WB_AREA_IMAGE, .x = xa, .y = top_of_text - d->h, .w = xb - xa, .h = d->h};
                a.u.image.image = d->image;
                push_area(&pl->areas, a);
                break;
            }
            default:
                break;
            }
        }
    }
}

/* pango 1.50 sometimes justifies a line that ends in an inserted hyphen without counting
 * the hyphen, so the line ends past the margin by the hyphen's width.  Take the excess back
 * from the line's spaces, which justification had widened. */
static void fix_overfull_line(PangoLayoutLine *line, const char *text, double width)
{
    PangoRectangle log;
    pango_layout_line_get_extents(line, NULL, &log);
    int excess = log.width - (int)lround(width * PANGO_SCALE);
    if (excess <= 0)
        return;
    int spaces = 0;
    for (GSList *r = line->runs; r; r = r->next) {
        PangoGlyphItem *gi = r->data;
        for (int i = 0; i < gi->glyphs->num_glyphs; i++)
            if (text[gi->item->offset + gi->glyphs->log_clusters[i]] == ' ')
                spaces++;
    }
    if (spaces == 0)
        return;
    int each = (excess + spaces - 1) / spaces;
    for (GSList *r = line->runs; r; r = r->next) {
        PangoGlyphItem *gi = r->data;
        for (int i = 0; i < gi->glyphs->num_glyphs; i++)
            if (text[gi->item->offset + gi->glyphs->log_clusters[i]] == ' ')
                gi->glyphs->glyphs[i].geometry.width -= each;
    }
    /* the layout caches line extents: make it measure again */
    pango_layout_line_get_extents(line, NULL, &log);
}

static PangoAlignment pango_align(wb_align a)
{
    switch (a) {
    case ALIGN_CENTER: return PANGO_ALIGN_CENTER;
    case ALIGN_END: case ALIGN_OUTSIDE: return PANGO_ALIGN_RIGHT;
    default: return PANGO_ALIGN_LEFT;
    }
}

/* Warns about lines that end where no break is allowed: a token too long for the line
 * was broken in an emergency. */
static void check_emergency_breaks(fmt *f, const wb_fo *block, PangoLayout *layout)
{
    const char *text = pango_layout_get_text(layout);
    int n_attrs = 0;
    const PangoLogAttr *la = pango_layout_get_log_attrs_readonly(layout, &n_attrs);
    int nlines = pango_layout_get_line_count(layout);
    for (int i = 1; i < nlines; i++) {
        PangoLayoutLine *line = pango_layout_get_line_readonly(layout, i);
        int off = (int)g_utf8_pointer_to_offset(text, text + line->start_index);
        if (off <= 0 || off >= n_attrs)
            continue;
        if (!la[off].is_line_break) {
            const char *prev = g_utf8_prev_char(text + line->start_index);
            if (g_utf8_get_char(prev) == 0xAD)
                continue;
            const char *e = text + line->start_index;
            const char *ws = e;
            while (ws > text && !g_unichar_isspace(g_utf8_get_char(g_utf8_prev_char(ws))))
                ws = g_utf8_prev_char(ws);
            const char *we = e;
            while (*we && !g_unichar_isspace(g_utf8_get_char(we)))
                we = g_utf8_next_char(we);
            GString *word = g_string_new(NULL);
            for (const char *p = ws; p < we; p = g_utf8_next_char(p))
                if (g_utf8_get_char(p) != 0xAD)
                    g_string_append_unichar(word, g_utf8_get_char(p));
            wb_fo_warning(f->ctx, f->tree, block, "\"%.60s\" is too long for its line and was broken where no break is allowed",
                       word->str);
            g_string_free(word, TRUE);
        }
    }
}

para *para_layout(fmt *f, const wb_fo *block, const wb_fo *from, const wb_fo *to, double width,
                  bool first, bool last)
{
    const wb_style *bs = block->style;
    builder b = {.f = f, .block = block, .text = g_string_new(NULL), .attrs = pango_attr_list_new(),
                 .decos = g_array_new(FALSE, FALSE, sizeof(deco))};
    add_inlines(&b, from, to);
    /* trailing white space of the paragraph is dropped (pending_space is never flushed) */
    if (!b.has_content && b.decos->len == 0) {
        g_string_free(b.text, TRUE);
        pango_attr_list_unref(b.attrs);
        g_array_free(b.decos, TRUE);
        return NULL;
    }
    if (b.text->len == 0) {
        /* an empty inline with an id: keep a line for its destination */
        g_string_append(b.text, "\xE2\x80\x8B");
    }
    PangoLayout *layout = pango_layout_new(f->pango);
    PangoFontDescription *fd = pango_font_description_new();
    pango_font_description_set_family(fd, bs->font_family);
    pango_font_description_set_size(fd, (gint)lround(bs->font_size * PANGO_SCALE));
    pango_font_description_set_weight(fd, (PangoWeight)bs->font_weight);
    pango_font_description_set_style(fd, bs->italic ? PANGO_STYLE_ITALIC : PANGO_STYLE_NORMAL);
    pango_layout_set_font_description(layout, fd);
    pango_layout_set_text(layout, b.text->str, (int)b.text->len);
    pango_layout_set_attributes(layout, b.attrs);
    /* images sized as a percentage of the line */
    for (guint i = 0; i < b.decos->len; i++) {
        deco *d = &g_array_index(b.decos, deco, i);
        if (d->kind == DECO_IMAGE && d->w <= -1000) {
            double pct = -d->w - 1000;
            double iw, ih;
            image_size(d->image, &iw, &ih);
            d->w = width * pct / 100;
            d->h = ih * d->w / iw;
            PangoRectangle r = {0, (int)lround(-d->h * PANGO_SCALE), (int)lround(d->w * PANGO_SCALE),
                                (int)lround(d->h * PANGO_SCALE)};
            PangoAttribute *a = pango_attr_shape_new(&r, &r);
            a->start_index = (guint)d->start;
            a->end_index = (guint)d->end;
            pango_attr_list_change(b.attrs, a);
            pango_layout_set_attributes(layout, b.attrs);
        }
    }
    if (bs->wrap) {
        pango_layout_set_width(layout, (int)lround(MAX(width, 1) * PANGO_SCALE));
        pango_layout_set_wrap(layout, PANGO_WRAP_WORD_CHAR);
    }
    wb_align align = bs->text_align;
    wb_align align_last = (int)bs->text_align_last == -1
                              ? (align == ALIGN_JUSTIFY ? ALIGN_START : align)
                              : bs->text_align_last;
    pango_layout_set_alignment(layout, pango_align(align == ALIGN_JUSTIFY ? ALIGN_START : align));
    pango_layout_set_justify(layout, align == ALIGN_JUSTIFY);
    if (last && align_last == ALIGN_JUSTIFY && !b.has_fill_leader)
        pango_layout_set_justify_last_line(layout, TRUE);
    if (first)
        pango_layout_set_indent(layout, (int)lround(wb_len_resolve(bs->text_indent, width) * PANGO_SCALE));
    if (b.has_fill_leader) {
        PangoTabArray *tabs = pango_tab_array_new(1, FALSE);
        pango_tab_array_set_tab(tabs, 0, PANGO_TAB_RIGHT, (int)lround(width * PANGO_SCALE));
        pango_layout_set_tabs(layout, tabs);
        pango_tab_array_free(tabs);
    }
    pango_font_description_free(fd);

    /* the line box: line-height, grown by taller inline content */
    PangoFontMetrics *m = pango_context_get_metrics(f->pango, pango_layout_get_font_description(layout),
                                                    bs->lang ? pango_language_from_string(bs->lang) : NULL);
    double fasc = pango_font_metrics_get_ascent(m) / (double)PANGO_SCALE;
    double fdesc = pango_font_metrics_get_descent(m) / (double)PANGO_SCALE;
    pango_font_metrics_unref(m);
    double natural = fasc + fdesc;
    double lh = bs->line_height_factor > 0 ? bs->line_height_factor * bs->font_size : bs->line_height;

    para *p = g_new0(para, 1);
    p->layout = layout;
    p->lines = g_array_new(FALSE, TRUE, sizeof(para_line));
    if (align == ALIGN_JUSTIFY) {
        const char *txt = pango_layout_get_text(layout);
        for (GSList *l = pango_layout_get_lines_readonly(layout); l; l = l->next)
            fix_overfull_line(l->data, txt, width);
    }
    PangoLayoutIter *it = pango_layout_get_iter(layout);
    do {
        PangoLayoutLine *line = pango_layout_iter_get_line_readonly(it);
        PangoRectangle log;
        pango_layout_iter_get_line_extents(it, NULL, &log);
        PangoRectangle llog;
        pango_layout_line_get_extents(line, NULL, &llog);
        double asc = MAX(fasc, -llog.y / (double)PANGO_SCALE);
        double desc = MAX(fdesc, (llog.y + llog.height) / (double)PANGO_SCALE);
        para_line pl = {.line = line, .x = log.x / (double)PANGO_SCALE};
        double h = asc + desc;
        pl.height = h > natural + 0.01 ? MAX(lh, h + (lh - natural)) : lh;
        pl.baseline = (pl.height - h) / 2 + asc;
        line_decorations(f, &pl, b.decos, pl.x);
        g_array_append_val(p->lines, pl);
    } while (pango_layout_iter_next_line(it));
    pango_layout_iter_free(it);
    if (bs->wrap)
        check_emergency_breaks(f, block, layout);
    else if (pango_layout_is_wrapped(layout) == FALSE) {
        PangoRectangle ext;
        pango_layout_get_extents(layout, NULL, &ext);
        if (ext.width / (double)PANGO_SCALE > width + 0.5)
            wb_fo_warning(f->ctx, f->tree, block, "a line that may not wrap (wrap-option=\"no-wrap\") is %.1fpt wider than its box",
                       ext.width / (double)PANGO_SCALE - width);
    }
    g_string_free(b.text, TRUE);
    pango_attr_list_unref(b.attrs);
    g_array_free(b.decos, TRUE);
    return p;
}

void para_free(para *p)
{
    if (!p)
        return;
    for (guint i = 0; i < p->lines->len; i++) {
        para_line *pl = &g_array_index(p->lines, para_line, i);
        area_list_free(pl->areas);
        if (pl->notes)
            g_ptr_array_free(pl->notes, TRUE);
    }
    g_array_free(p->lines, TRUE);
    g_object_unref(p->layout);
    g_free(p);
}
