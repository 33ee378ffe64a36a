/* Paragraphs: the inline content of a block -> lines, with pango.
 *
 * The inline objects are flattened into one UTF-8 string with pango attributes (white space
 * handled as XSL says, soft hyphens inserted from the hyphenation dictionaries), laid out by
 * one PangoLayout, and each resulting line gets its box height, baseline and decorations
 * (links, inline backgrounds and borders, leaders, images, destinations). */
#include <math.h>
#include <string.h>

#include "format/blobkey.h"
#include "format/format-private.h"

#define SOFT_HYPHEN "\xC2\xAD"
#define OBJECT_CHAR "\xEF\xBF\xBC" /* U+FFFC stands for an image inside the text */

typedef enum { DECO_LINK, DECO_BOX, DECO_LEADER, DECO_IMAGE, DECO_DEST, DECO_NOTE, DECO_FIELD } deco_kind;

typedef struct deco {
    deco_kind kind;
    int start, end; /* byte range in the paragraph text */
    const wb_style *style;
    const char *uri, *dest, *id;
    wb_image *image; /* borrowed from the image cache */
    double w, h;     /* image size, fixed leader width */
    bool fill;       /* leader that fills the rest of the line */
    const wb_fo *note; /* DECO_NOTE: the fo:footnote-body */
    const wb_fo *field; /* DECO_FIELD: the object marked wb:field */
    const wb_fo *graphic; /* DECO_IMAGE: the external-graphic or instream-foreign-object */
} deco;

typedef struct builder {
    formatter *f;
    const wb_fo *block;
    GString *text;
    PangoAttrList *attrs;
    GArray *decos;
    bool pending_space;
    bool has_content; /* anything but white space */
    bool has_fill_leader;
    bool of_the_page; /* holds a page number, a citation or a retrieved marker */
    double width; /* of the lines, for sizes given as a percentage of them */
    GArray *spans; /* lb_span: the phrases in another language, in order; node 0: back in the
                    * paragraph's own (kept while building, so outer phrases go around it) */
} builder;

bool fo_is_inline(wb_fo_kind k)
{
    switch (k) {
    case FO_TEXT: case FO_INLINE: case FO_WRAPPER: case FO_BASIC_LINK: case FO_PAGE_NUMBER:
    case FO_PAGE_NUMBER_CITATION: case FO_PAGE_NUMBER_CITATION_LAST: case FO_LEADER:
    case FO_EXTERNAL_GRAPHIC: case FO_INSTREAM_FOREIGN_OBJECT: case FO_FOOTNOTE:
    case FO_RETRIEVE_MARKER: case FO_CHARACTER:
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
    font_attrs(b->f, b->attrs, b->text->str, start, end, s);

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
/* The hyphenation points of a word (one flag per byte), looked up once per language and
 * word in a run: words recur, in a paragraph, a document and every pass over it. */
typedef struct hyph_points {
    int n; /* how many points; 0: none */
    char pts[];
} hyph_points;

static const hyph_points *hyphen_points(formatter *f, const wb_style *st, const char *w, size_t wl)
{
    int counts[2] = {st->hyph_push, st->hyph_remain};
    blob_key_room room;
    blob_key *heap;
    blob_part parts[] = {{counts, sizeof counts}, {st->lang, strlen(st->lang) + 1}, {w, wl}};
    blob_key *key = blob_key_make(&room, &heap, parts, 3);
    hyph_points *hp = g_hash_table_lookup(f->hyph_words, key);
    if (hp) {
        g_free(heap);
        return hp;
    }
    hp = g_malloc(sizeof *hp + wl);
    hp->n = wb_hyphenate(f->hyph, st->lang, w, wl, st->hyph_push, st->hyph_remain, hp->pts);
    g_hash_table_insert(f->hyph_words, blob_key_keep(key, &heap), hp);
    return hp;
}

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
        const hyph_points *hp = hyphen_points(b->f, st, w, wl);
        for (size_t i = 0; i < wl; i++) {
            if (hp->n > 0 && hp->pts[i])
                g_string_append(out, SOFT_HYPHEN);
            g_string_append_c(out, w[i]);
        }
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
                /* at the start of a line a preserved space must survive the line breaker,
                 * which drops breakable spaces there: make it a no-break space */
                char prev = run->len ? run->str[run->len - 1] : (b->text->len ? b->text->str[b->text->len - 1] : '\n');
                bool leading = prev == '\n' || (prev == (char)0xA0 && run->len >= 2) ||
                               (run->len == 0 && b->text->len == 0);
                if (leading || (run->len >= 2 && !strcmp(run->str + run->len - 2, "\xC2\xA0")))
                    g_string_append(run, "\xC2\xA0");
                else
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
    if (run->len && st->small_caps) {
        /* small capitals, made from capitals at a smaller size (fonts seldom have them) */
        int start = (int)b->text->len;
        GArray *small = g_array_new(FALSE, FALSE, sizeof(int));
        for (const char *p = run->str; *p; p = g_utf8_next_char(p)) {
            gunichar c = g_utf8_get_char(p);
            int at = (int)b->text->len;
            if (g_unichar_islower(c)) {
                g_string_append_unichar(b->text, g_unichar_toupper(c));
                int end = (int)b->text->len;
                g_array_append_val(small, at);
                g_array_append_val(small, end);
            } else {
                g_string_append_unichar(b->text, c);
            }
        }
        style_attrs(b, st, start, (int)b->text->len);
        /* after the run's own font, so the smaller size wins */
        for (guint i = 0; i < small->len; i += 2)
            add_attr(b, pango_attr_size_new((int)lround(st->font_size * 0.78 * PANGO_SCALE)),
                     g_array_index(small, int, i), g_array_index(small, int, i + 1));
        g_array_free(small, TRUE);
    } else if (run->len) {
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

/* Room for an inline's padding and border on one side: an invisible word joiner of that
 * width, so the line breaker counts it and the box drawn around the inline has space. */
static void add_edge(builder *b, const wb_style *st, double w)
{
    if (w < 0.1)
        return;
    int start = (int)b->text->len;
    g_string_append(b->text, "\xE2\x81\xA0"); /* U+2060 WORD JOINER */
    int end = (int)b->text->len;
    style_attrs(b, st, start, end);
    PangoRectangle r = {0, 0, (int)lround(w * PANGO_SCALE), 0};
    add_attr(b, pango_attr_shape_new(&r, &r), start, end);
}

static double edge(const wb_style *st, int side)
{
    return st->padding[side] + (st->border[side].style ? st->border[side].width : 0);
}

static const char *citation(formatter *f, const wb_fo *fo, bool last)
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

/* The size an image is set at: content-width / -height scale it (a percentage of its
 * intrinsic size, or scale-to-fit the viewport that width / height give), uniformly unless
 * scaling="non-uniform"; with neither, its intrinsic size. */
static void image_box(const wb_style *st, const char *scaling, double iw, double ih, double line_w,
                      double *w, double *h)
{
    bool uniform = !scaling || strcmp(scaling, "non-uniform") != 0;
    double vw = st->width.is_auto ? -1 : wb_len_resolve(st->width, line_w);
    double vh = st->height.is_auto ? -1 : wb_len_resolve(st->height, 0);
    double cw = -1, ch = -1;
    if (st->content_width_fit)
        cw = vw > 0 ? vw : (iw > line_w ? line_w : -1);
    else if (!st->content_width.is_auto)
        cw = wb_len_resolve(st->content_width, iw);
    if (st->content_height_fit)
        ch = vh > 0 ? vh : -1;
    else if (!st->content_height.is_auto)
        ch = wb_len_resolve(st->content_height, ih);
    if (cw <= 0 && ch <= 0) {
        *w = iw;
        *h = ih;
    } else if (cw > 0 && ch > 0) {
        double k = MIN(cw / iw, ch / ih);
        *w = uniform ? iw * k : cw;
        *h = uniform ? ih * k : ch;
    } else if (cw > 0) {
        *w = cw;
        *h = uniform ? ih * cw / iw : ih;
    } else {
        *h = ch;
        *w = uniform ? iw * ch / ih : iw;
    }
}

/* An external-destination as XSL writes it, url('...') or bare, without the wrapping; kept
 * in the document's string pool for the life of the formatting run. */
static const char *uri_of(formatter *f, const char *v)
{
    char *u = wb_fo_uri(v);
    const char *kept = g_string_chunk_insert_const(f->strings, u);
    g_free(u);
    return kept;
}

/* A leader: one that fills the rest of the line (a tab the line breaker stretches), or a
 * fixed-width object. */
static void add_leader(builder *b, const wb_style *st)
{
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
}

/* An external graphic or an instream SVG, as an object of its scaled size in the line. */
static void add_image(builder *b, const wb_fo *c)
{
    formatter *f = b->f;
    const wb_style *st = c->style;
    wb_image *img = NULL;
    if (c->kind == FO_INSTREAM_FOREIGN_OBJECT) {
        img = image_instream(f, c);
    } else {
        const char *src = wb_fo_attr(c, "src");
        img = src ? image_get(f, c, src) : NULL;
        if (!src)
            wb_fo_error(f->ctx, f->tree, c, "fo:external-graphic without src");
    }
    if (!img) {
        if (wb_ctx_status(f->ctx) == WB_OK) {
            /* a missing image that is only warned of: its place, where the FO gives its size */
            double w = !st->width.is_auto ? wb_len_resolve(st->width, b->width)
                       : !st->content_width.is_auto && st->content_width.pct == 0 ? wb_len_resolve(st->content_width, 0)
                                                                                   : 0;
            double h = !st->height.is_auto ? wb_len_resolve(st->height, 0)
                       : !st->content_height.is_auto && st->content_height.pct == 0 ? wb_len_resolve(st->content_height, 0)
                                                                                     : 0;
            if (w > 0 || h > 0)
                add_object(b, st, MAX(w, 0), MAX(h, 0), 0);
        }
        return;
    }
    double iw, ih, w, h;
    wb_image_size(img, &iw, &ih);
    image_box(st, wb_fo_attr(c, "scaling"), iw, ih, b->width, &w, &h);
    deco d = {.kind = DECO_IMAGE, .style = st, .image = img, .w = w, .h = h, .graphic = c};
    d.start = add_object(b, st, w, h, 0);
    d.end = (int)b->text->len;
    add_deco(b, d);
}

static const char *lang_or_null(const wb_style *st) { return st && st->lang && *st->lang ? st->lang : NULL; }

static bool same_lang(const char *a, const char *b) { return a ? b && !g_ascii_strcasecmp(a, b) : !b; }

/* An inline in another language than what is around it: its bytes [start, end) become a span of
 * its own structure element (a Span with /Lang in tagged PDF), or of the paragraph's when it
 * goes back to the paragraph's language.  The spans of the inlines inside it, recorded before
 * it, keep their bytes; it takes the rest. */
static void mark_language(builder *b, const wb_fo *c, int start, int end)
{
    if (start >= end)
        return;
    int node = same_lang(lang_or_null(c->style), lang_or_null(b->block->style)) ? 0 : structure_id(b->f, c);
    GArray *sp = b->spans;
    guint first = sp->len;
    while (first > 0 && g_array_index(sp, lb_span, first - 1).start >= start)
        first--;
    guint n_inner = sp->len - first;
    lb_span *inner = n_inner ? g_memdup2(&g_array_index(sp, lb_span, first), n_inner * sizeof *inner) : NULL;
    g_array_set_size(sp, first);
    int at = start;
    for (guint i = 0; i < n_inner; i++) {
        if (inner[i].start > at)
            g_array_append_val(sp, ((lb_span){at, inner[i].start, node}));
        g_array_append_val(sp, inner[i]);
        at = inner[i].end;
    }
    if (at < end)
        g_array_append_val(sp, ((lb_span){at, end, node}));
    g_free(inner);
}

static void add_inline(builder *b, const wb_fo *c)
{
    formatter *f = b->f;
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
        if (c->kind == FO_INLINE) {
            flush_space(b);
            start = (int)b->text->len;
            add_edge(b, st, edge(st, SIDE_START));
        }
        add_inlines(b, c->first, NULL);
        if (c->kind == FO_INLINE)
            add_edge(b, st, edge(st, SIDE_END));
        break;
    case FO_CHARACTER: {
        /* one character with the properties of an inline (XSL 1.1 §6.6.3) */
        const char *ch = wb_fo_attr(c, "character");
        if (!ch || !*ch || g_utf8_strlen(ch, -1) != 1 || !g_utf8_validate(ch, -1, NULL)) {
            wb_fo_warning(f->ctx, f->tree, c, "fo:character needs one character in its character property (ignored)");
            return;
        }
        flush_space(b);
        start = (int)b->text->len;
        add_edge(b, st, edge(st, SIDE_START));
        add_text(b, ch, st);
        add_edge(b, st, edge(st, SIDE_END));
        break;
    }
    case FO_PAGE_NUMBER:
        b->of_the_page = true;
        add_text(b, f->page_text ? f->page_text : "0", st);
        break;
    case FO_PAGE_NUMBER_CITATION:
    case FO_PAGE_NUMBER_CITATION_LAST:
        b->of_the_page = true;
        add_text(b, citation(f, c, c->kind == FO_PAGE_NUMBER_CITATION_LAST), st);
        break;
    case FO_LEADER:
        add_leader(b, st);
        break;
    case FO_EXTERNAL_GRAPHIC:
    case FO_INSTREAM_FOREIGN_OBJECT:
        add_image(b, c);
        break;
    case FO_MARKER:
        return; /* recorded where its block starts; nothing of it is set here */
    case FO_RETRIEVE_MARKER: {
        b->of_the_page = true;
        /* the marker's text takes the properties of where it is retrieved, not of where it
         * was marked (XSL 6.13.6) */
        const wb_fo *m = marker_lookup(f, c);
        for (const wb_fo *k = m ? m->first : NULL; k; k = k->next) {
            if (k->kind == FO_TEXT)
                add_text(b, k->text, st);
            else
                add_inline(b, k);
        }
        break;
    }
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
                               .uri = uri ? uri_of(b->f, uri) : NULL, .dest = dest});
    }
    if (st && (st->background.a > 0 || st->border[0].style || st->border[1].style ||
               st->border[2].style || st->border[3].style) &&
        c->kind != FO_LEADER && c->kind != FO_EXTERNAL_GRAPHIC)
        add_deco(b, (deco){.kind = DECO_BOX, .start = start, .end = end, .style = st});
    if (c->id)
        add_deco(b, (deco){.kind = DECO_DEST, .start = start, .end = end, .id = c->id});
    if (st && wb_fo_ext_attr(c, "field"))
        add_deco(b, (deco){.kind = DECO_FIELD, .start = start, .end = end, .style = st, .field = c});
    if (st && c->parent && (c->kind == FO_INLINE || c->kind == FO_WRAPPER || c->kind == FO_BASIC_LINK ||
                            c->kind == FO_CHARACTER) &&
        !same_lang(lang_or_null(st), lang_or_null(c->parent->style)))
        mark_language(b, c, start, end);
}

static void add_inlines(builder *b, const wb_fo *from, const wb_fo *to)
{
    for (const wb_fo *c = from; c && c != to; c = c->next)
        add_inline(b, c);
}

/* ------------------------------------------------------------------ lines */

/* The x ranges (points, from the box's left) that a paragraph byte range covers on a line. */
static int line_ranges(const para_line *pl, int start, int end, double *out, int max)
{
    int n = lb_x_ranges(pl->line, start, end, out, max);
    for (int i = 0; i < 2 * n; i++)
        out[i] += pl->x;
    return n;
}

/* Ascent and descent of a style's font. */
static void style_metrics(formatter *f, const wb_style *st, double *asc, double *desc)
{
    PangoFontDescription *fd = font_desc_new(f, st);
    pango_font_description_unset_fields(fd, PANGO_FONT_MASK_STYLE);
    PangoFontMetrics *m = pango_context_get_metrics(f->pango, fd, st->lang ? pango_language_from_string(st->lang) : NULL);
    *asc = pango_font_metrics_get_ascent(m) / (double)PANGO_SCALE;
    *desc = pango_font_metrics_get_descent(m) / (double)PANGO_SCALE;
    pango_font_metrics_unref(m);
    pango_font_description_free(fd);
}

/* One dot of a leader, set in the leader's font. */
static wb_line *dot_line(formatter *f, const wb_style *st, const char *glyph, double *advance)
{
    PangoAttrList *attrs = pango_attr_list_new();
    font_attrs(f, attrs, glyph, 0, (int)strlen(glyph), st);
    pango_attr_list_insert(attrs, pango_attr_foreground_new((guint16)(st->color.r * 65535),
                                                            (guint16)(st->color.g * 65535),
                                                            (guint16)(st->color.b * 65535)));
    GArray *lines = g_array_new(FALSE, TRUE, sizeof(lb_line));
    lb_params pp = {.width = 1000, .align = ALIGN_START, .align_last = ALIGN_START, .wrap = false};
    lb_break(f->pango, f->shapes, glyph, (int)strlen(glyph), attrs, &pp, lines);
    pango_attr_list_unref(attrs);
    wb_line *line = NULL;
    if (lines->len) {
        line = g_array_index(lines, lb_line, 0).line;
        *advance = line->width;
    }
    for (guint i = 1; i < lines->len; i++)
        wb_line_unref(g_array_index(lines, lb_line, i).line);
    g_array_free(lines, TRUE);
    return line;
}

/* The frame of an inline's box on a line, where its borders are drawn (their middles): y0, y1
 * from the line top (the baseline at top_of_text), xs, xe from the x range [xa, xb] the box
 * takes on the line, which holds its padding and border room already (add_edge). */
static void inline_frame(formatter *f, const wb_style *st, double top_of_text, double xa, double xb, double *y0,
                         double *y1, double *xs, double *xe)
{
    double fa, fd;
    style_metrics(f, st, &fa, &fd);
    double base = top_of_text - st->baseline_shift;
    *y0 = base - fa - st->padding[SIDE_BEFORE] - (st->border[SIDE_BEFORE].style ? st->border[SIDE_BEFORE].width / 2 : 0);
    *y1 = base + fd + st->padding[SIDE_AFTER] + (st->border[SIDE_AFTER].style ? st->border[SIDE_AFTER].width / 2 : 0);
    *xs = xa + (st->border[SIDE_START].style ? st->border[SIDE_START].width / 2 : 0);
    *xe = xb - (st->border[SIDE_END].style ? st->border[SIDE_END].width / 2 : 0);
}

static void line_decorations(formatter *f, para_line *pl, const lb_line *ll, GArray *decos, double asc, double desc)
{
    double top_of_text = pl->baseline; /* baseline from the line top */
    for (guint i = 0; i < decos->len; i++) {
        deco *d = &g_array_index(decos, deco, i);
        double r[32];
        int n = line_ranges(pl, d->start, d->end, r, 16);
        if (d->kind == DECO_NOTE) {
            if (d->start >= ll->start && d->start < ll->end) {
                if (!pl->notes)
                    pl->notes = g_ptr_array_new();
                g_ptr_array_add(pl->notes, (gpointer)d->note);
            }
            continue;
        }
        if (d->kind == DECO_DEST) {
            if (d->start < ll->start || d->start >= ll->end + (d->start == d->end))
                continue;
            wb_area a = {.kind = WB_AREA_DEST, .x = n ? r[0] : pl->x, .y = 0};
            a.u.dest.name = g_strdup(d->id);
            area_push(&pl->areas, a);
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
                area_push(&pl->areas, a);
                break;
            }
            case DECO_BOX: {
                double y0, y1, xs, xe;
                inline_frame(f, st, top_of_text, xa, xb, &y0, &y1, &xs, &xe);
                if (st->background.a > 0)
                    area_push(&pl->areas, (wb_area){.kind = WB_AREA_FILL, .x = xs, .y = y0, .w = xe - xs,
                                                    .h = y1 - y0, .color = color_of(st->background)});
                const wb_border *bd = st->border;
                if (bd[SIDE_BEFORE].style)
                    area_push(&pl->areas, (wb_area){.kind = WB_AREA_RULE, .x = xs, .y = y0, .w = xe - xs, .h = 0,
                              .color = color_of(bd[SIDE_BEFORE].color),
                              .u.rule = {bd[SIDE_BEFORE].width, rule_style_of(bd[SIDE_BEFORE].style)}});
                if (bd[SIDE_AFTER].style)
                    area_push(&pl->areas, (wb_area){.kind = WB_AREA_RULE, .x = xs, .y = y1, .w = xe - xs, .h = 0,
                              .color = color_of(bd[SIDE_AFTER].color),
                              .u.rule = {bd[SIDE_AFTER].width, rule_style_of(bd[SIDE_AFTER].style)}});
                if (bd[SIDE_START].style && k == 0)
                    area_push(&pl->areas, (wb_area){.kind = WB_AREA_RULE, .x = xs, .y = y0, .w = 0, .h = y1 - y0,
                              .color = color_of(bd[SIDE_START].color),
                              .u.rule = {bd[SIDE_START].width, rule_style_of(bd[SIDE_START].style)}});
                if (bd[SIDE_END].style && k == n - 1)
                    area_push(&pl->areas, (wb_area){.kind = WB_AREA_RULE, .x = xe, .y = y0, .w = 0, .h = y1 - y0,
                              .color = color_of(bd[SIDE_END].color),
                              .u.rule = {bd[SIDE_END].width, rule_style_of(bd[SIDE_END].style)}});
                break;
            }
            case DECO_LEADER: {
                if (st->leader_pattern == LEADER_SPACE)
                    break;
                if (st->leader_pattern == LEADER_RULE) {
                    double y = top_of_text - st->rule_thickness / 2;
                    area_push(&pl->areas, (wb_area){.kind = WB_AREA_RULE, .x = xa, .y = y, .w = xb - xa, .h = 0,
                              .color = color_of(st->color), .u.rule = {st->rule_thickness, rule_style_of(st->rule_style)}});
                } else {
                    double adv = 0;
                    wb_line *dot = dot_line(f, st, ".", &adv);
                    if (!dot)
                        break;
                    double pitch = MAX(st->leader_pattern_width, adv * 1.8);
                    wb_area a = {.kind = WB_AREA_DOTS, .x = xa + pitch * 0.3, .y = top_of_text,
                                 .w = xb - xa - pitch * 0.6, .h = 0, .color = color_of(st->color)};
                    a.u.dots.dot = dot;
                    a.u.dots.pitch = pitch;
                    a.u.dots.origin = 0;
                    area_push(&pl->areas, a);
                }
                break;
            }
            case DECO_FIELD: {
                /* the frame the box's borders are drawn on; a field broken over two lines is
                 * one field, on its first part */
                if (k > 0)
                    break;
                double y0, y1, xs, xe;
                inline_frame(f, st, top_of_text, xa, xb, &y0, &y1, &xs, &xe);
                area_field(f, &pl->areas, d->field, xs, y0, xe - xs, y1 - y0);
                break;
            }
            case DECO_IMAGE: {
                wb_area a = {.kind = WB_AREA_IMAGE, .x = xa, .y = top_of_text - d->h, .w = xb - xa, .h = d->h,
                             .node = structure_id(f, d->graphic)};
                a.u.image.image = wb_image_ref(d->image);
                area_push(&pl->areas, a);
                break;
            }
            default:
                break;
            }
        }
    }
}

/* The ascent and descent of a font as pango gives them for a language, asked once per font
 * and language in a run (pango works them out from sample text every time). */
static void font_extents(formatter *f, const PangoFontDescription *fd, const wb_style *bs, double *asc,
                         double *desc)
{
    /* what the description is made of (para_make): family, size, weight, style; and the language */
    int look[3] = {(int)lround(bs->font_size * PANGO_SCALE), bs->font_weight, bs->italic};
    const char *lang = bs->lang ? bs->lang : "";
    blob_key_room room;
    blob_key *heap;
    const char *family = bs->font_family ? bs->font_family : "";
    blob_part parts[] = {{look, sizeof look}, {family, strlen(family) + 1}, {lang, strlen(lang)}};
    blob_key *key = blob_key_make(&room, &heap, parts, 3);
    double *found = g_hash_table_lookup(f->font_extents, key);
    if (!found) {
        PangoFontMetrics *m = pango_context_get_metrics(f->pango, fd, bs->lang ? pango_language_from_string(bs->lang) : NULL);
        found = g_new(double, 2);
        found[0] = pango_font_metrics_get_ascent(m) / (double)PANGO_SCALE;
        found[1] = pango_font_metrics_get_descent(m) / (double)PANGO_SCALE;
        pango_font_metrics_unref(m);
        g_hash_table_insert(f->font_extents, blob_key_keep(key, &heap), found);
    }
    g_free(heap);
    *asc = found[0];
    *desc = found[1];
}

/* Drops the first `skip` bytes of a built paragraph: its text, the attributes over them, and
 * the decorations that end before them (those that straddle begin at the new start). */
static void skip_text(builder *b, int skip)
{
    skip = MIN(skip, (int)b->text->len);
    g_string_erase(b->text, 0, skip);
    pango_attr_list_update(b->attrs, 0, skip, 0);
    guint k = 0;
    for (guint i = 0; i < b->decos->len; i++) {
        deco d = g_array_index(b->decos, deco, i);
        if (d.end < skip || (d.start < skip && d.start == d.end))
            continue;
        d.start = MAX(0, d.start - skip);
        d.end -= skip;
        g_array_index(b->decos, deco, k++) = d;
    }
    g_array_set_size(b->decos, k);
    k = 0;
    for (guint i = 0; i < b->spans->len; i++) {
        lb_span sp = g_array_index(b->spans, lb_span, i);
        if (sp.end <= skip)
            continue;
        sp.start = MAX(0, sp.start - skip);
        sp.end -= skip;
        g_array_index(b->spans, lb_span, k++) = sp;
    }
    g_array_set_size(b->spans, k);
}

static para *para_make(formatter *f, const wb_fo *block, const wb_fo *from, const wb_fo *to, double width,
                       bool first, bool last, int skip, bool *of_the_page)
{
    const wb_style *bs = block->style;
    builder b = {.f = f, .block = block, .text = g_string_new(NULL), .attrs = pango_attr_list_new(),
                 .decos = g_array_new(FALSE, FALSE, sizeof(deco)), .width = width,
                 .spans = g_array_new(FALSE, FALSE, sizeof(lb_span))};
    add_inlines(&b, from, to);
    *of_the_page = b.of_the_page;
    if (skip > 0) {
        skip_text(&b, skip);
        first = false;
        b.has_content = b.has_content && b.text->len > 0;
    }
    /* trailing white space of the paragraph is dropped (pending_space is never flushed) */
    if (!b.has_content && b.decos->len == 0) {
        g_string_free(b.text, TRUE);
        pango_attr_list_unref(b.attrs);
        g_array_free(b.decos, TRUE);
        g_array_free(b.spans, TRUE);
        return NULL;
    }
    if (b.text->len == 0) {
        /* an empty inline with an id: keep a line for its destination */
        g_string_append(b.text, "\xE2\x80\x8B");
    }
    /* the block's font under everything, for text no inline styles */
    PangoFontDescription *fd = font_desc_new(f, bs);
    PangoAttribute *base = pango_attr_font_desc_new(fd);
    base->start_index = 0;
    base->end_index = (guint)b.text->len;
    pango_attr_list_insert_before(b.attrs, base);
    if (bs->lang) {
        PangoAttribute *la = pango_attr_language_new(pango_language_from_string(bs->lang));
        la->start_index = 0;
        la->end_index = (guint)b.text->len;
        pango_attr_list_insert_before(b.attrs, la);
    }
    wb_align align = bs->text_align;
    wb_align align_last = (int)bs->text_align_last == -1
                              ? (align == ALIGN_JUSTIFY ? ALIGN_START : align)
                              : bs->text_align_last;
    if (!last && align_last != ALIGN_JUSTIFY)
        align_last = align == ALIGN_JUSTIFY ? ALIGN_START : align; /* a run cut by a nested block */
    if (b.has_fill_leader && align_last == ALIGN_JUSTIFY)
        align_last = ALIGN_START; /* the leader takes the slack */
    lb_params pp = {.width = MAX(width, 1), .align = align, .align_last = align_last, .wrap = bs->wrap,
                    .indent = first ? wb_len_resolve(bs->text_indent, width) : 0, .lang = bs->lang};
    /* the phrases in another language; those back in the paragraph's own are the paragraph's */
    guint spans = 0;
    for (guint i = 0; i < b.spans->len; i++)
        if (g_array_index(b.spans, lb_span, i).node)
            g_array_index(b.spans, lb_span, spans++) = g_array_index(b.spans, lb_span, i);
    pp.spans = (const lb_span *)b.spans->data;
    pp.span_count = (int)spans;
    GArray *lines = g_array_new(FALSE, TRUE, sizeof(lb_line));
    lb_break(f->pango, f->shapes, b.text->str, (int)b.text->len, b.attrs, &pp, lines);

    /* the line box: line-height, grown by taller inline content */
    double fasc, fdesc;
    font_extents(f, fd, bs, &fasc, &fdesc);
    pango_font_description_free(fd);
    double natural = fasc + fdesc;
    double lh = bs->line_height_factor > 0 ? bs->line_height_factor * bs->font_size : bs->line_height;

    para *p = g_new0(para, 1);
    p->lines = g_array_new(FALSE, TRUE, sizeof(para_line));
    int warned_end = -1; /* the end of the last word warned about as broken anywhere */
    for (guint i = 0; i < lines->len; i++) {
        lb_line *ll = &g_array_index(lines, lb_line, i);
        double asc = MAX(fasc, ll->ascent), desc = MAX(fdesc, ll->descent);
        para_line pl = {.line = ll->line, .x = ll->x, .x_even = ll->x_even, .text_start = ll->start + MAX(skip, 0)};
        double h = asc + desc;
        pl.height = h > natural + 0.01 ? MAX(lh, h + (lh - natural)) : lh;
        pl.baseline = (pl.height - h) / 2 + asc;
        line_decorations(f, &pl, ll, b.decos, asc, desc);
        g_array_append_val(p->lines, pl);
        if (ll->emergency && ll->end >= warned_end) {
            /* once per word, however many lines it takes */
            GString *word = g_string_new(NULL);
            const char *t = b.text->str;
            int ws = ll->end, we = ll->end;
            while (ws > ll->start && !g_unichar_isspace(g_utf8_get_char(g_utf8_prev_char(t + ws))))
                ws = (int)(g_utf8_prev_char(t + ws) - t);
            while (we < (int)b.text->len && !g_unichar_isspace(g_utf8_get_char(t + we)))
                we = (int)(g_utf8_next_char(t + we) - t);
            warned_end = we;
            for (const char *q = t + ws; q < t + we && word->len < 240; q = g_utf8_next_char(q))
                if (g_utf8_get_char(q) != 0xAD)
                    g_string_append_unichar(word, g_utf8_get_char(q));
            wb_fo_warning(f->ctx, f->tree, block,
                          "\"%.60s\" is too long for its line and was broken where no break is allowed", word->str);
            g_string_free(word, TRUE);
        }
        if (!bs->wrap && ll->line->width > width + 0.5)
            wb_fo_warning(f->ctx, f->tree, block,
                          "a line that may not wrap (wrap-option=\"no-wrap\") is %.1fpt wider than its box",
                          ll->line->width - width);
    }
    g_array_free(lines, TRUE);
    g_string_free(b.text, TRUE);
    pango_attr_list_unref(b.attrs);
    g_array_free(b.decos, TRUE);
    g_array_free(b.spans, TRUE);
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
        wb_line_unref(pl->line);
    }
    g_array_free(p->lines, TRUE);
    g_free(p);
}

/* ------------------------------------------------------------------ the paragraph cache */

/* A paragraph is the same in every pass over the document unless it shows something of the
 * page it is on: the passes that settle page numbers lay out each of the others once. */
typedef struct para_key {
    const wb_fo *block, *from, *to;
    double width;
    bool first, last;
} para_key;

static guint para_key_hash(gconstpointer p)
{
    const para_key *k = p;
    guint64 h = (guint64)(guintptr)k->block * 31 + (guint64)(guintptr)k->from;
    h = h * 31 + (guint64)(guintptr)k->to;
    h = h * 31 + (guint64)(k->width * 64);
    return (guint)(h ^ (h >> 32)) ^ (k->first ? 1u : 0) ^ (k->last ? 2u : 0);
}

static gboolean para_key_equal(gconstpointer a, gconstpointer b)
{
    const para_key *x = a, *y = b;
    return x->block == y->block && x->from == y->from && x->to == y->to && x->width == y->width &&
           x->first == y->first && x->last == y->last;
}

static para *para_copy(const para *p)
{
    para *c = g_new0(para, 1);
    c->lines = g_array_sized_new(FALSE, TRUE, sizeof(para_line), p->lines->len);
    for (guint i = 0; i < p->lines->len; i++) {
        para_line pl = g_array_index(p->lines, para_line, i);
        wb_line_ref(pl.line);
        if (pl.areas) {
            area_list *a = g_array_sized_new(FALSE, FALSE, sizeof(wb_area), pl.areas->len);
            for (guint k = 0; k < pl.areas->len; k++) {
                wb_area x = wb_area_copy(&g_array_index(pl.areas, wb_area, k));
                g_array_append_val(a, x);
            }
            pl.areas = a;
        }
        if (pl.notes) {
            GPtrArray *n = g_ptr_array_sized_new(pl.notes->len);
            for (guint k = 0; k < pl.notes->len; k++)
                g_ptr_array_add(n, g_ptr_array_index(pl.notes, k));
            pl.notes = n;
        }
        g_array_append_val(c->lines, pl);
    }
    return c;
}

static void para_free_cb(gpointer p) { para_free(p); }

/* What the cache keeps of the paragraphs of a document, about: the lines' glyphs and text.
 * Past it, paragraphs are laid out again in each pass, so that memory stays flat however
 * long the document (the first pages' paragraphs are kept, the others remade). */
#define PARA_CACHE_BUDGET (10u << 20)

static size_t para_size(const para *p)
{
    size_t n = sizeof *p + p->lines->len * sizeof(para_line);
    for (guint i = 0; i < p->lines->len; i++) {
        const wb_line *l = g_array_index(p->lines, para_line, i).line;
        n += sizeof *l + strlen(l->text) + 1 + l->count * (sizeof(wb_glyph_run) + 160);
        for (size_t r = 0; r < l->count; r++)
            n += (size_t)l->runs[r].glyphs->glyphs->num_glyphs * (sizeof(PangoGlyphInfo) + sizeof(gint));
    }
    return n;
}

void para_cache_start(formatter *f)
{
    if (!f->paras)
        f->paras = g_hash_table_new_full(para_key_hash, para_key_equal, g_free, para_free_cb);
}

void para_cache_free(formatter *f)
{
    if (f->paras)
        g_hash_table_destroy(f->paras);
    f->paras = NULL;
    f->para_bytes = 0;
}

para *para_layout(formatter *f, const wb_fo *block, const wb_fo *from, const wb_fo *to, double width,
                  bool first, bool last)
{
    para_key key = {block, from, to, width, first, last};
    if (f->paras) {
        gpointer stored_key, hit;
        if (f->final_pass && g_hash_table_steal_extended(f->paras, &key, &stored_key, &hit)) {
            /* the last pass takes what it uses: memory goes down as its pages go out */
            g_free(stored_key);
            return hit;
        }
        if (!f->final_pass && g_hash_table_lookup_extended(f->paras, &key, NULL, &hit))
            return hit ? para_copy(hit) : NULL; /* NULL: white space only */
    }
    bool of_the_page = false;
    para *p = para_make(f, block, from, to, width, first, last, 0, &of_the_page);
    if (f->paras && !of_the_page && !f->final_pass) {
        size_t size = p ? para_size(p) : 0;
        if (f->para_bytes + size <= PARA_CACHE_BUDGET) {
            f->para_bytes += size;
            g_hash_table_insert(f->paras, g_memdup2(&key, sizeof key), p ? para_copy(p) : NULL);
        }
    }
    return p;
}

para *para_layout_from(formatter *f, const wb_fo *block, const wb_fo *from, const wb_fo *to, double width,
                       bool last, int skip)
{
    bool of_the_page = false;
    return para_make(f, block, from, to, width, false, last, skip, &of_the_page);
}
