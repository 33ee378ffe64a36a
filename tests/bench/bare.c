/* The floor of `make bench`: the benchmark workbook set by a bare pango + cairo program.
 *
 *   bare BOOK.txt OUT.pdf
 *
 * Reads the content the generator writes beside the XSL-FO (tests/bench/book.awk: one item a
 * line, tab-separated) and sets it as the FO asks, in the same fonts, sizes and measure: A4,
 * PT Serif 10.5/14.7 pt justified on 164 mm, hyphenation points from libhyphen's dictionaries
 * inserted as soft hyphens (pango breaks there and shows a hyphen), PT Sans headings,
 * bulleted lists, tables of three equal columns with the header repeated on a new page, a
 * contents list with leader dots and page numbers, each chapter on a new page, the chapter
 * in the running head and the page number at the foot.  One PangoLayout a paragraph (made,
 * drawn line by line, freed); lines stacked at a fixed pitch and pages broken between lines,
 * keeping two lines at either end of a broken paragraph and a heading with what follows.
 *
 * What it does not do is everything a formatter does beyond that: no XML, no properties,
 * no total-fit line breaking (pango breaks first-fit), no footnotes, floats or markers in
 * general.  The contents list needs the page numbers of what follows it, so the content is
 * laid out twice: once to find where the pages break, once to draw (as the engine formats
 * again until its page numbers settle).  Prints the page count on standard error. */
#include <errno.h>
#include <iconv.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cairo-pdf.h>
#include <glib.h>
#include <hyphen.h>
#include <pango/pangocairo.h>

#define MM (72.0 / 25.4)
#define PAGE_W (210 * MM)
#define PAGE_H (297 * MM)
#define LEFT (23 * MM)
#define TEXT_W (PAGE_W - 2 * LEFT)
#define BODY_TOP ((12 + 17) * MM)
#define BODY_BOTTOM (PAGE_H - (11 + 15) * MM)
#define HEAD_BOTTOM ((12 + 11) * MM) /* region-before, display-align after */
#define FOOT_BOTTOM (PAGE_H - 11 * MM) /* region-after, display-align after */
#define TITLE "Workbook benchmark"

typedef struct {
    double r, g, b;
} rgb;
static const rgb TEXT = { 0x22 / 255.0, 0x22 / 255.0, 0x22 / 255.0 };
static const rgb PRIMARY = { 0x1B / 255.0, 0x4F / 255.0, 0x72 / 255.0 };
static const rgb MUTED = { 0x5F / 255.0, 0x63 / 255.0, 0x68 / 255.0 };
static const rgb RULE = { 0xC8 / 255.0, 0xCD / 255.0, 0xD2 / 255.0 };
static const rgb TINT = { 0xEA / 255.0, 0xF1 / 255.0, 0xF6 / 255.0 };

/* ------------------------------------------------------------------ the content */

typedef struct {
    char kind;       /* C S P B H R, as in book.awk */
    int lang;        /* index into LANGS */
    char *id;        /* C and S */
    char *text;      /* hyphenated (soft hyphens) for P and B */
    char *cells[3];  /* H and R */
    int page;        /* C and S: the page found by the first pass */
} item;

static const char *const LANGS[] = { "fr", "ru", "bg" };
static const char *const DICTS[] = { "hyph_fr.dic", "hyph_ru_RU.dic", "hyph_bg_BG.dic" };
#define NLANGS 3

typedef struct {
    HyphenDict *dict;
    iconv_t cd; /* UTF-8 -> the dictionary's encoding, (iconv_t)-1 for UTF-8 ones */
} hyph;

static hyph hyphs[NLANGS];

static void load_dicts(void)
{
    const char *dir = getenv("HYPHEN_DIR");
    if (!dir || !*dir)
        dir = "/usr/share/hyphen";
    for (int i = 0; i < NLANGS; i++) {
        char *path = g_build_filename(dir, DICTS[i], NULL);
        hyphs[i].dict = hnj_hyphen_load(path);
        hyphs[i].cd = (iconv_t)-1;
        if (!hyphs[i].dict)
            fprintf(stderr, "bare: %s: cannot load; %s is not hyphenated\n", path, LANGS[i]);
        else if (!hyphs[i].dict->utf8 && (hyphs[i].cd = iconv_open(hyphs[i].dict->cset, "UTF-8")) == (iconv_t)-1)
            fprintf(stderr, "bare: %s: no conversion to %s\n", path, hyphs[i].dict->cset);
        g_free(path);
    }
}

/* Appends the word cps[0..n) to out with a soft hyphen wherever the dictionary allows one
 * (two characters at least on either side). */
static void hyphenate_word(const hyph *h, const gunichar *cps, size_t n, GString *out)
{
    char enc[1024];
    size_t end[256], len = 0;
    bool brk[256] = { false };
    if (h->dict && n >= 4 && n < 256 && (h->dict->utf8 || h->cd != (iconv_t)-1)) {
        bool ok = true;
        for (size_t k = 0; k < n && ok; k++) {
            char u[8];
            size_t ul = (size_t)g_unichar_to_utf8(g_unichar_tolower(cps[k]), u);
            if (h->dict->utf8) {
                memcpy(enc + len, u, ul);
                len += ul;
            } else {
                char *in = u, *o = enc + len;
                size_t il = ul, ol = sizeof enc - 1 - len;
                ok = iconv(h->cd, &in, &il, &o, &ol) != (size_t)-1;
                len = (size_t)(o - enc);
            }
            end[k] = len;
        }
        enc[len] = '\0';
        char hy[sizeof enc + 5];
        char **rep = NULL;
        int *pos = NULL, *cut = NULL;
        if (ok && hnj_hyphen_hyphenate3(h->dict, enc, (int)len, hy, NULL, &rep, &pos, &cut, 2, 2, 0, 0) == 0) {
            for (size_t k = 1; k < n; k++) {
                /* UTF-8 dictionaries answer per character, the others per byte */
                size_t i = h->dict->utf8 ? k - 1 : end[k - 1] - 1;
                brk[k] = (hy[i] & 1) && !(rep && rep[i]);
            }
        }
        if (rep) {
            for (size_t i = 0; i < len; i++)
                free(rep[i]);
            free(rep);
        }
        free(pos);
        free(cut);
    }
    for (size_t k = 0; k < n; k++) {
        if (brk[k])
            g_string_append(out, "\xC2\xAD");
        g_string_append_unichar(out, cps[k]);
    }
}

/* The text with soft hyphens in its words; caller frees. */
static char *hyphenate(const char *text, int lang)
{
    GString *out = g_string_sized_new(strlen(text) + strlen(text) / 4);
    gunichar word[256];
    size_t n = 0;
    for (const char *p = text;; p = g_utf8_next_char(p)) {
        gunichar c = g_utf8_get_char(p);
        if (c && g_unichar_isalpha(c) && n < 255) {
            word[n++] = c;
            continue;
        }
        if (n) {
            hyphenate_word(&hyphs[lang], word, n, out);
            n = 0;
        }
        if (!c)
            break;
        if (g_unichar_isalpha(c))
            word[n++] = c; /* a word longer than 255 letters: its rest is a word of its own */
        else
            g_string_append_unichar(out, c);
    }
    return g_string_free(out, FALSE);
}

static item *read_items(const char *file, size_t *count)
{
    char *all;
    GError *err = NULL;
    if (!g_file_get_contents(file, &all, NULL, &err)) {
        fprintf(stderr, "bare: %s\n", err->message);
        exit(1);
    }
    GArray *items = g_array_new(FALSE, TRUE, sizeof(item));
    char **lines = g_strsplit(all, "\n", -1);
    g_free(all);
    for (char **l = lines; *l; l++) {
        if (!**l)
            continue;
        char **f = g_strsplit(*l, "\t", -1);
        guint nf = g_strv_length(f);
        item it = { .kind = f[0][0], .lang = 0 };
        for (int i = 0; i < NLANGS; i++)
            if (nf > 1 && strcmp(f[1], LANGS[i]) == 0)
                it.lang = i;
        bool ok = true;
        switch (it.kind) {
        case 'C':
        case 'S':
            ok = nf == 4;
            if (ok) {
                it.id = g_strdup(f[2]);
                it.text = g_strdup(f[3]);
            }
            break;
        case 'P':
        case 'B':
            ok = nf == 3;
            if (ok)
                it.text = hyphenate(f[2], it.lang);
            break;
        case 'H':
        case 'R':
            ok = nf == 5;
            for (int i = 0; ok && i < 3; i++)
                it.cells[i] = it.kind == 'R' ? hyphenate(f[2 + i], it.lang) : g_strdup(f[2 + i]);
            break;
        default:
            ok = false;
        }
        if (!ok) {
            fprintf(stderr, "bare: %s: a line I do not understand: %.60s\n", file, *l);
            exit(1);
        }
        g_array_append_val(items, it);
        g_strfreev(f);
    }
    g_strfreev(lines);
    *count = items->len;
    return (item *)(void *)g_array_free(items, FALSE);
}

/* ------------------------------------------------------------------ text */

typedef struct {
    PangoFontDescription *font;
    double size, pitch;   /* font size, line pitch (line-height × size) */
    double ascent, descent;
    rgb color;
} style;

static PangoContext *pc;
static PangoAttrList *lang_attrs[NLANGS];
static style body, h1, h2, cell, cell_head, head, toc_chapter;

static void make_style(style *s, const char *family, bool bold, double size, double line_height, rgb color)
{
    s->font = pango_font_description_new();
    pango_font_description_set_family(s->font, family);
    pango_font_description_set_weight(s->font, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
    pango_font_description_set_size(s->font, (gint)(size * PANGO_SCALE + 0.5));
    s->size = size;
    s->pitch = size * line_height;
    s->color = color;
    PangoFontMetrics *m = pango_context_get_metrics(pc, s->font, NULL);
    s->ascent = pango_font_metrics_get_ascent(m) / (double)PANGO_SCALE;
    s->descent = pango_font_metrics_get_descent(m) / (double)PANGO_SCALE;
    pango_font_metrics_unref(m);
}

static void setup_text(void)
{
    PangoFontMap *fm = pango_cairo_font_map_new();
    pc = pango_font_map_create_context(fm);
    g_object_unref(fm);
    pango_cairo_context_set_resolution(pc, 72);
    cairo_font_options_t *fo = cairo_font_options_create();
    cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
    cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
    pango_cairo_context_set_font_options(pc, fo);
    cairo_font_options_destroy(fo);
    pango_context_set_round_glyph_positions(pc, FALSE);
    for (int i = 0; i < NLANGS; i++) {
        lang_attrs[i] = pango_attr_list_new();
        pango_attr_list_insert(lang_attrs[i], pango_attr_language_new(pango_language_from_string(LANGS[i])));
    }
    make_style(&body, "PT Serif", false, 10.5, 1.4, TEXT);
    make_style(&h1, "PT Sans", true, 24, 1.2, PRIMARY);
    make_style(&h2, "PT Sans", true, 15, 1.2, PRIMARY);
    make_style(&cell, "PT Serif", false, 9, 1.3, TEXT);
    make_style(&cell_head, "PT Sans", true, 9, 1.3, PRIMARY);
    make_style(&head, "PT Sans", false, 8, 1.2, MUTED);
    make_style(&toc_chapter, "PT Sans", true, 10.5, 1.4, TEXT);
}

static PangoLayout *layout(const style *s, const char *text, double width, bool justify, int lang)
{
    PangoLayout *l = pango_layout_new(pc);
    pango_layout_set_font_description(l, s->font);
    pango_layout_set_attributes(l, lang_attrs[lang]);
    if (width > 0) {
        pango_layout_set_width(l, (int)(width * PANGO_SCALE));
        pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
    }
    pango_layout_set_justify(l, justify);
    pango_layout_set_text(l, text, -1);
    return l;
}

static double text_width(PangoLayout *l)
{
    int w;
    pango_layout_get_size(l, &w, NULL);
    return w / (double)PANGO_SCALE;
}

/* The baseline of a line whose box (pitch high, half-leading above and below) starts at top. */
static double baseline(const style *s, double top)
{
    return top + (s->pitch - (s->ascent + s->descent)) / 2 + s->ascent;
}

/* ------------------------------------------------------------------ pages */

typedef struct {
    cairo_t *cr;        /* NULL in the first pass: nothing is drawn */
    int page;           /* the current page, 0 before the first */
    double y;           /* top of the free space */
    bool top;           /* nothing placed on the page yet */
    const char *chapter;/* running head */
} pages;

/* Draws line `line` of l with its top at `top`, in a colour of its own. */
static void draw_line_in(pages *pg, const style *s, rgb color, PangoLayout *l, int line, double x, double top)
{
    if (!pg->cr)
        return;
    cairo_set_source_rgb(pg->cr, color.r, color.g, color.b);
    cairo_move_to(pg->cr, x, baseline(s, top));
    pango_cairo_show_layout_line(pg->cr, pango_layout_get_line_readonly(l, line));
}

static void draw_line(pages *pg, const style *s, PangoLayout *l, int line, double x, double top)
{
    draw_line_in(pg, s, s->color, l, line, x, top);
}

static void draw_text(pages *pg, const style *s, const char *text, double x, double top, bool right)
{
    if (!pg->cr)
        return;
    PangoLayout *l = layout(s, text, 0, false, 0);
    draw_line(pg, s, l, 0, right ? x - text_width(l) : x, top);
    g_object_unref(l);
}

static void rule(pages *pg, double x0, double x1, double y, double width, rgb c)
{
    if (!pg->cr)
        return;
    cairo_set_source_rgb(pg->cr, c.r, c.g, c.b);
    cairo_set_line_width(pg->cr, width);
    cairo_move_to(pg->cr, x0, y);
    cairo_line_to(pg->cr, x1, y);
    cairo_stroke(pg->cr);
}

/* The running head and the foot of the finished page, then the page itself. */
static void finish_page(pages *pg)
{
    if (pg->page == 0 || !pg->cr)
        return;
    /* the head: a line of 8 pt with 1.2 mm padding and a rule under it, at the bottom of
     * the region */
    double top = HEAD_BOTTOM - 0.5 - 1.2 * MM - head.pitch;
    draw_text(pg, &head, pg->chapter ? pg->chapter : "", LEFT, top, false);
    draw_text(pg, &head, TITLE, LEFT + TEXT_W, top, true);
    rule(pg, LEFT, LEFT + TEXT_W, HEAD_BOTTOM - 0.25, 0.5, PRIMARY);
    char num[16];
    snprintf(num, sizeof num, "%d", pg->page);
    draw_text(pg, &head, num, LEFT + TEXT_W, FOOT_BOTTOM - head.pitch, true);
    cairo_show_page(pg->cr);
}

static void new_page(pages *pg)
{
    finish_page(pg);
    pg->page++;
    pg->y = BODY_TOP;
    pg->top = true;
}

static void space(pages *pg, double before)
{
    if (!pg->top)
        pg->y += before;
}

static double room(const pages *pg)
{
    return BODY_BOTTOM - pg->y + 0.01;
}

/* Places the lines of l at x, breaking pages between lines: two lines at least stay
 * together at either end (orphans, widows).  `label`, when given, goes at the first line. */
static void place(pages *pg, const style *s, PangoLayout *l, double x, double before, double after,
                  const char *label, double label_x)
{
    int n = pango_layout_get_line_count(l), done = 0;
    space(pg, before);
    while (done < n) {
        int fit = (int)(room(pg) / s->pitch), left = n - done;
        if (fit < left) {
            if (left - fit < 2)
                fit = left - 2;
            if (fit < 2 && !pg->top) {
                new_page(pg);
                continue;
            }
            if (fit < 1)
                fit = 1; /* a page too short for a line still takes one */
        } else {
            fit = left;
        }
        for (int i = 0; i < fit; i++) {
            if (done + i == 0 && label)
                draw_text(pg, s, label, label_x, pg->y, false);
            draw_line(pg, s, l, done + i, x, pg->y);
            pg->y += s->pitch;
        }
        pg->top = false;
        done += fit;
        if (done < n)
            new_page(pg);
    }
    pg->y += after;
}

/* A heading: on a new page unless it and two lines of body text fit.  Returns its page. */
static int heading(pages *pg, const style *s, const char *text, int lang, double before, double after)
{
    PangoLayout *l = layout(s, text, TEXT_W, false, lang);
    int n = pango_layout_get_line_count(l);
    if (!pg->top && before + n * s->pitch + after + 2 * body.pitch > room(pg))
        new_page(pg);
    int page = pg->page;
    place(pg, s, l, LEFT, before, after, NULL, 0);
    g_object_unref(l);
    return page;
}

/* One row of a table; a row is never split.  Returns its height. */
static double row_height(PangoLayout *const cells[3], const style *s)
{
    int most = 1;
    for (int i = 0; i < 3; i++) {
        int n = pango_layout_get_line_count(cells[i]);
        most = n > most ? n : most;
    }
    return most * s->pitch + 2 * 1.2 * MM;
}

static void draw_row(pages *pg, PangoLayout *const cells[3], const style *s, bool header)
{
    double h = row_height(cells, s), colw = TEXT_W / 3;
    if (pg->cr && header) {
        cairo_set_source_rgb(pg->cr, TINT.r, TINT.g, TINT.b);
        cairo_rectangle(pg->cr, LEFT, pg->y, TEXT_W, h);
        cairo_fill(pg->cr);
    }
    for (int i = 0; i < 3; i++) {
        int n = pango_layout_get_line_count(cells[i]);
        /* the header's cells are aligned at their foot (display-align after) */
        double top = pg->y + 1.2 * MM + (header ? h - 2 * 1.2 * MM - n * s->pitch : 0);
        for (int k = 0; k < n; k++)
            draw_line(pg, s, cells[i], k, LEFT + i * colw + 1.5 * MM, top + k * s->pitch);
    }
    rule(pg, LEFT, LEFT + TEXT_W, pg->y + h - (header ? 0.4 : 0.25), header ? 0.8 : 0.5, header ? PRIMARY : RULE);
    pg->y += h;
    pg->top = false;
}

static void make_cells(PangoLayout *cells[3], const item *it, const style *s)
{
    for (int i = 0; i < 3; i++)
        cells[i] = layout(s, it->cells[i], TEXT_W / 3 - 3 * MM, false, it->lang);
}

static void free_cells(PangoLayout *cells[3])
{
    for (int i = 0; i < 3; i++)
        g_object_unref(cells[i]);
}

/* A table: items[0] is its header row, the rows follow.  Returns the items used. */
static size_t table(pages *pg, const item *items, size_t n)
{
    PangoLayout *hc[3], *rc[3];
    make_cells(hc, &items[0], &cell_head);
    double hh = row_height(hc, &cell_head);
    space(pg, cell.size); /* space-before 1em */
    size_t used = 1;
    bool header_due = true;
    while (used < n && items[used].kind == 'R') {
        make_cells(rc, &items[used], &cell);
        double rh = row_height(rc, &cell);
        if ((header_due ? hh : 0) + rh > room(pg) && !pg->top) {
            new_page(pg);
            header_due = true;
        }
        if (header_due)
            draw_row(pg, hc, &cell_head, true);
        header_due = false;
        draw_row(pg, rc, &cell, false);
        free_cells(rc);
        used++;
    }
    free_cells(hc);
    pg->y += cell.size; /* space-after 1em */
    return used;
}

/* A line of the contents: the title, leader dots, the page number at the right. */
static void toc_entry(pages *pg, const item *it)
{
    bool chapter = it->kind == 'C';
    const style *s = chapter ? &toc_chapter : &body;
    double x = LEFT + (chapter ? 0 : 8 * MM);
    PangoLayout *l = layout(s, it->text, LEFT + TEXT_W - x - 12 * MM, false, it->lang);
    double before = chapter ? 3 * MM : 1 * MM;
    if (chapter && !pg->top && before + 2 * s->pitch > room(pg))
        new_page(pg); /* keep with the first section */
    int lines = pango_layout_get_line_count(l);
    place(pg, s, l, x, before, 0, NULL, 0);
    if (pg->cr) {
        double top = pg->y - s->pitch; /* the last line */
        char num[16];
        snprintf(num, sizeof num, "%d", it->page);
        PangoLayout *nl = layout(s, num, 0, false, 0);
        double nw = text_width(nl);
        draw_line(pg, s, nl, 0, LEFT + TEXT_W - nw, top);
        /* the dots, at a multiple of their pitch, between the title and the number */
        PangoLayoutLine *last = pango_layout_get_line_readonly(l, lines - 1);
        PangoRectangle ext;
        pango_layout_line_get_extents(last, NULL, &ext);
        double from = x + (ext.x + ext.width) / (double)PANGO_SCALE + s->size / 3;
        double to = LEFT + TEXT_W - nw - s->size / 3;
        PangoLayout *dot = layout(s, ".", 0, false, 0), *two = layout(s, ". .", 0, false, 0);
        double dw = text_width(two) - text_width(dot); /* the pitch of the dots */
        int ndots = (int)((to - from) / dw);
        if (ndots > 0) {
            GString *dots = g_string_sized_new((gsize)ndots * 2);
            for (int i = 0; i < ndots; i++)
                g_string_append(dots, i ? " ." : ".");
            PangoLayout *dl = layout(s, dots->str, 0, false, 0);
            draw_line_in(pg, s, MUTED, dl, 0, to - text_width(dl), top);
            g_object_unref(dl);
            g_string_free(dots, TRUE);
        }
        g_object_unref(two);
        g_object_unref(dot);
        g_object_unref(nl);
    }
    g_object_unref(l);
}

/* One pass over the whole document.  Without a cairo context it only finds the page of
 * every heading (item.page); with one it draws. */
static int pass(cairo_t *cr, item *items, size_t n)
{
    pages pg = { .cr = cr, .chapter = "Contents" };
    new_page(&pg);
    heading(&pg, &h1, "Contents", 0, 0, 6 * MM + 2 * MM);
    rule(&pg, LEFT, LEFT + TEXT_W, pg.y - 6 * MM - 0.5, 1, PRIMARY);
    for (size_t i = 0; i < n; i++)
        if (items[i].kind == 'C' || items[i].kind == 'S')
            toc_entry(&pg, &items[i]);
    for (size_t i = 0; i < n;) {
        item *it = &items[i];
        switch (it->kind) {
        case 'C':
            new_page(&pg);
            pg.chapter = it->text;
            it->page = heading(&pg, &h1, it->text, it->lang, 0, 6 * MM + 2 * MM);
            rule(&pg, LEFT, LEFT + TEXT_W, pg.y - 6 * MM - 0.5, 1, PRIMARY);
            i++;
            break;
        case 'S':
            it->page = heading(&pg, &h2, it->text, it->lang, 5 * MM, 2 * MM);
            i++;
            break;
        case 'P': {
            PangoLayout *l = layout(&body, it->text, TEXT_W, true, it->lang);
            place(&pg, &body, l, LEFT, 0, 0.55 * body.size, NULL, 0);
            g_object_unref(l);
            i++;
            break;
        }
        case 'B': {
            PangoLayout *l = layout(&body, it->text, TEXT_W - 6 * MM, true, it->lang);
            bool last = i + 1 >= n || items[i + 1].kind != 'B';
            place(&pg, &body, l, LEFT + 6 * MM, 0, 0.3 * body.size + (last ? 0.55 * body.size : 0), "\xE2\x80\xA2", LEFT);
            g_object_unref(l);
            i++;
            break;
        }
        case 'H':
            i += table(&pg, &items[i], n - i);
            break;
        default: /* a row outside a table: read_items lets none through */
            i++;
        }
    }
    finish_page(&pg);
    return pg.page;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: bare BOOK.txt OUT.pdf\n");
        return 2;
    }
    setup_text();
    load_dicts();
    size_t n;
    item *items = read_items(argv[1], &n);

    pass(NULL, items, n); /* where the pages break: the page of every heading */

    cairo_surface_t *pdf = cairo_pdf_surface_create(argv[2], PAGE_W, PAGE_H);
    if (cairo_surface_status(pdf) != CAIRO_STATUS_SUCCESS) {
        fprintf(stderr, "bare: %s: %s\n", argv[2], cairo_status_to_string(cairo_surface_status(pdf)));
        return 1;
    }
    cairo_pdf_surface_set_metadata(pdf, CAIRO_PDF_METADATA_TITLE, TITLE);
    cairo_t *cr = cairo_create(pdf);
    int total = pass(cr, items, n);
    cairo_destroy(cr);
    cairo_surface_finish(pdf);
    cairo_status_t st = cairo_surface_status(pdf);
    cairo_surface_destroy(pdf);
    if (st != CAIRO_STATUS_SUCCESS) {
        fprintf(stderr, "bare: %s: %s\n", argv[2], cairo_status_to_string(st));
        return 1;
    }
    fprintf(stderr, "bare: %s: %d pages\n", argv[2], total);
    return 0;
}
