/* Font families: a font-family value as the fallback list XSL 1.1 §7.9.2 makes it
 * (font-selection-strategy="auto"): each character is set in the first family of the list
 * that has it.
 *
 * Names are resolved first: an installed family stands for itself; a generic family
 * (serif, sans-serif, monospace) and a PostScript base-14 name that no installed font
 * carries (Helvetica, Times, Courier, Arial, Times New Roman, Symbol, ZapfDingbats) stand for
 * the first installed of fonts with the same widths and Cyrillic, so FO written for Apache
 * FOP (which sets those names in the base-14 metrics) breaks lines as FOP does; any other
 * name no font has is skipped.  Fontconfig alone would not do: it ranks a named family (a
 * symbol font) above the fonts a generic name stands for, and a symbol font claims the
 * Latin letters, so "serif,Symbol" would print Latin as Greek.
 *
 * What is resolved is kept on the formatter for the run (font_sets_free). */
#include <fontconfig/fontconfig.h>
#include <math.h>
#include <string.h>

#include "format/format-private.h"

/* The installed fonts a name no font has stands for, the first installed one taken. */
static const struct {
    const char *name; /* compared without case and blanks, as fontconfig compares families */
    const char *fonts[4];
} stand_ins[] = {
#define SERIF {"Liberation Serif", "Nimbus Roman", "DejaVu Serif", NULL}
#define SANS {"Liberation Sans", "Nimbus Sans", "DejaVu Sans", NULL}
#define MONO {"Liberation Mono", "Nimbus Mono PS", "DejaVu Sans Mono", NULL}
    {"serif", SERIF}, {"times", SERIF}, {"times-roman", SERIF}, {"timesroman", SERIF},
    {"timesnewroman", SERIF},
    {"sans-serif", SANS}, {"helvetica", SANS}, {"arial", SANS},
    {"monospace", MONO}, {"courier", MONO}, {"couriernew", MONO},
    {"symbol", {"Standard Symbols PS", NULL}},
    {"zapfdingbats", {"D050000L", NULL}},
#undef SERIF
#undef SANS
#undef MONO
};

/* Symbol fonts, folded: their fonts map symbols to the codes of Latin letters, so a
 * font's character set says they have letters they draw as Greek or dingbats; they are
 * taken only for characters that are neither letters nor digits nor Latin-1 (XSL 1.1 §7.9.2:
 * a family is chosen for the glyph of the character, and those are not its glyphs). */
static const char *const symbol_fonts[] = {"symbol", "standardsymbolsps", "zapfdingbats", "d050000l",
                                           "dingbats", "wingdings", "webdings"};

/* Generic names fontconfig resolves itself, with no stand-in here. */
static const char *const generics[] = {"cursive", "fantasy", "system-ui", "emoji", "math"};

/* The families of one font-family value in one weight and style. */
typedef struct font_set {
    int n;
    char **names;      /* the resolved families, in the list's order; owned */
    PangoFont **fonts; /* each family's font (one reference each), NULL where none loads */
    bool *symbol;      /* the family is a symbol font (symbol_fonts) */
    char *joined;      /* the names joined by commas, pango's list; owned */
    char *plain;       /* the same without the symbol fonts; NULL when the list has none or
                        * only those; owned */
} font_set;

static void font_set_free(gpointer p)
{
    font_set *s = p;
    for (int i = 0; i < s->n; i++)
        if (s->fonts[i])
            g_object_unref(s->fonts[i]);
    g_strfreev(s->names);
    g_free(s->fonts);
    g_free(s->symbol);
    g_free(s->joined);
    g_free(s->plain);
    g_free(s);
}

/* A family name folded as fontconfig compares them: no case, no blanks. */
static char *fold(const char *name)
{
    GString *s = g_string_new(NULL);
    for (const char *p = name; *p; p++)
        if (*p != ' ' && *p != '\t')
            g_string_append_c(s, g_ascii_tolower(*p));
    return g_string_free(s, FALSE);
}

/* True when fontconfig lists a font of the family (by its name, no substitution). */
static bool installed(formatter *f, const char *family)
{
    gpointer known;
    if (g_hash_table_lookup_extended(f->font_families, family, NULL, &known))
        return known != NULL;
    FcPattern *pat = FcPatternCreate();
    FcPatternAddString(pat, FC_FAMILY, (const FcChar8 *)family);
    FcObjectSet *os = FcObjectSetBuild(FC_FAMILY, (char *)NULL);
    FcFontSet *fs = FcFontList(NULL, pat, os);
    bool has = fs && fs->nfont > 0;
    if (fs)
        FcFontSetDestroy(fs);
    FcObjectSetDestroy(os);
    FcPatternDestroy(pat);
    g_hash_table_insert(f->font_families, g_strdup(family), has ? GINT_TO_POINTER(1) : NULL);
    return has;
}

/* The family a name of the list stands for, or NULL to skip it. */
static const char *resolve(formatter *f, const char *name)
{
    char *k = fold(name);
    const char *found = NULL;
    bool generic = false;
    for (size_t i = 0; i < G_N_ELEMENTS(generics); i++)
        if (!strcmp(k, generics[i]))
            generic = true;
    if (generic) {
        found = name;
    } else if (!strcmp(k, "serif") || !strcmp(k, "sans-serif") || !strcmp(k, "monospace") || !installed(f, name)) {
        for (size_t i = 0; i < G_N_ELEMENTS(stand_ins) && !found; i++) {
            if (strcmp(k, stand_ins[i].name))
                continue;
            for (int j = 0; stand_ins[i].fonts[j] && !found; j++)
                if (installed(f, stand_ins[i].fonts[j]))
                    found = stand_ins[i].fonts[j];
        }
    } else {
        found = name;
    }
    g_free(k);
    return found;
}

static PangoFontDescription *desc_of(const char *family, const wb_style *st)
{
    PangoFontDescription *fd = pango_font_description_new();
    pango_font_description_set_family(fd, family);
    pango_font_description_set_size(fd, (gint)lround(st->font_size * PANGO_SCALE));
    pango_font_description_set_weight(fd, (PangoWeight)st->font_weight);
    pango_font_description_set_style(fd, st->italic ? PANGO_STYLE_ITALIC : PANGO_STYLE_NORMAL);
    return fd;
}

static const font_set *font_set_of(formatter *f, const wb_style *st)
{
    const char *value = st->font_family ? st->font_family : "";
    char *key = g_strdup_printf("%d %d %s", st->font_weight, st->italic, value);
    font_set *s = g_hash_table_lookup(f->font_sets, key);
    if (s) {
        g_free(key);
        return s;
    }
    GPtrArray *names = g_ptr_array_new();
    char **parts = g_strsplit(value, ",", -1);
    for (char **p = parts; *p; p++) {
        const char *name = g_strstrip(*p);
        const char *r = *name ? resolve(f, name) : NULL;
        bool dup = false;
        for (guint i = 0; r && i < names->len; i++)
            dup = dup || !strcmp(g_ptr_array_index(names, i), r);
        if (r && !dup)
            g_ptr_array_add(names, g_strdup(r));
    }
    g_strfreev(parts);
    if (names->len == 0)
        g_ptr_array_add(names, g_strdup(value)); /* no family known: pango's own choice */
    g_ptr_array_add(names, NULL);
    s = g_new0(font_set, 1);
    s->n = (int)names->len - 1;
    s->names = (char **)g_ptr_array_free(names, FALSE);
    s->joined = g_strjoinv(",", s->names);
    s->fonts = g_new0(PangoFont *, s->n);
    s->symbol = g_new0(bool, s->n);
    GPtrArray *plain = g_ptr_array_new();
    for (int i = 0; i < s->n; i++) {
        char *k = fold(s->names[i]);
        for (size_t j = 0; j < G_N_ELEMENTS(symbol_fonts); j++)
            s->symbol[i] = s->symbol[i] || !strcmp(k, symbol_fonts[j]);
        g_free(k);
        if (!s->symbol[i])
            g_ptr_array_add(plain, s->names[i]);
    }
    if (plain->len > 0 && plain->len < (guint)s->n) {
        /* the fonts, to see which family has a character */
        for (int i = 0; i < s->n; i++) {
            PangoFontDescription *fd = desc_of(s->names[i], st);
            s->fonts[i] = pango_context_load_font(f->pango, fd);
            pango_font_description_free(fd);
        }
        g_ptr_array_add(plain, NULL);
        s->plain = g_strjoinv(",", (char **)plain->pdata);
    }
    g_ptr_array_free(plain, TRUE);
    g_hash_table_insert(f->font_sets, key, s);
    return s;
}

void font_sets_start(formatter *f)
{
    f->font_sets = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, font_set_free);
    f->font_families = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
}

void font_sets_free(formatter *f)
{
    if (f->font_sets)
        g_hash_table_destroy(f->font_sets);
    if (f->font_families)
        g_hash_table_destroy(f->font_families);
    f->font_sets = f->font_families = NULL;
}

PangoFontDescription *font_desc_new(formatter *f, const wb_style *st)
{
    return desc_of(font_set_of(f, st)->joined, st);
}

/* Characters a symbol font is never taken for: letters, digits and Latin-1, which its
 * character set claims for glyphs of other meanings. */
static bool letter_like(gunichar c)
{
    return c < 0x100 || g_unichar_isalpha(c) || g_unichar_isdigit(c);
}

static void add_run(PangoAttrList *attrs, const char *family, const wb_style *st, int start, int end)
{
    PangoFontDescription *fd = desc_of(family, st);
    PangoAttribute *a = pango_attr_font_desc_new(fd);
    pango_font_description_free(fd);
    a->start_index = (guint)start;
    a->end_index = (guint)end;
    pango_attr_list_insert(attrs, a);
}

void font_attrs(formatter *f, PangoAttrList *attrs, const char *text, int start, int end, const wb_style *st)
{
    if (start >= end)
        return;
    const font_set *s = font_set_of(f, st);
    /* pango takes the first family of the list that has a character (fontconfig ranks the
     * named families in their order, ahead of any other font) ... */
    add_run(attrs, s->joined, st, start, end);
    if (!s->plain)
        return;
    /* ... but for a letter that a symbol font claims before any other family, the list
     * without its symbol fonts */
    int from = -1;
    for (const char *p = text + start;; p = g_utf8_next_char(p)) {
        bool wrong = false;
        if (p < text + end) {
            gunichar c = g_utf8_get_char(p);
            if (!g_unichar_isgraph(c))
                wrong = from >= 0; /* a space between such letters goes with them */
            else if (letter_like(c))
                for (int i = 0; i < s->n; i++)
                    if (s->fonts[i] && pango_font_has_char(s->fonts[i], c)) {
                        wrong = s->symbol[i];
                        break;
                    }
        }
        int at = (int)(p - text);
        if (wrong && from < 0)
            from = at;
        if (!wrong && from >= 0) {
            add_run(attrs, s->plain, st, from, at);
            from = -1;
        }
        if (p >= text + end)
            break;
    }
}
