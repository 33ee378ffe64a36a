/* Line breaking by total fit.  See linebreak.h for the contract. */
#include "format/linebreak.h"

#include "format/blobkey.h"

#include <math.h>
#include <pango/pangocairo.h>
#include <string.h>

#define LB_INF 1e9          /* stretch of a fill glue (leaders, the end of a paragraph) */
#define LB_FORCED (-1e9)    /* penalty of a forced break */
#define LB_NEVER 1e9        /* penalty that forbids a break */
#define LINE_PENALTY 10
#define HYPHEN_PENALTY 50
#define EXPLICIT_HYPHEN_PENALTY 50
#define DOUBLE_HYPHEN_DEMERITS 3000
#define FINAL_HYPHEN_DEMERITS 5000
#define FITNESS_DEMERITS 100
#define EMERGENCY_PENALTY 5000
#define TOLERANCE 2.5       /* the largest stretch ratio of the first pass */

struct lb_cache {
    GHashTable *words; /* key -> PangoGlyphString */
};

lb_cache *lb_cache_new(void)
{
    lb_cache *c = g_new0(lb_cache, 1);
    c->words = g_hash_table_new_full(blob_key_hash, blob_key_equal, g_free, (GDestroyNotify)pango_glyph_string_free);
    return c;
}

void lb_cache_free(lb_cache *c)
{
    if (!c)
        return;
    g_hash_table_destroy(c->words);
    g_free(c);
}

/* ------------------------------------------------------------------ lines */

int lb_x_ranges(const wb_line *line, int start, int end, double *out, int max)
{
    int n = 0;
    for (size_t r = 0; r < line->count && n < max; r++) {
        const wb_glyph_run *run = &line->runs[r];
        const PangoGlyphString *gs = run->glyphs->glyphs;
        int base = line->text_start + run->glyphs->item->offset;
        double x = run->x, x0 = 0, x1 = 0;
        bool in = false;
        for (int g = 0; g < gs->num_glyphs; g++) {
            int b = base + gs->log_clusters[g];
            double w = gs->glyphs[g].geometry.width / (double)PANGO_SCALE;
            bool hit = b >= start && b < end;
            if (hit && !in) {
                x0 = x;
                in = true;
            }
            if (hit)
                x1 = x + w;
            if (!hit && in) {
                out[2 * n] = x0;
                out[2 * n + 1] = x1;
                n++;
                in = false;
                if (n >= max)
                    return n;
            }
            x += w;
        }
        if (in && n < max) {
            out[2 * n] = x0;
            out[2 * n + 1] = x1;
            n++;
        }
    }
    /* neighbouring runs of one range make one range */
    int k = 0;
    for (int i = 0; i < n; i++) {
        if (k > 0 && fabs(out[2 * i] - out[2 * (k - 1) + 1]) < 0.01)
            out[2 * (k - 1) + 1] = out[2 * i + 1];
        else {
            out[2 * k] = out[2 * i];
            out[2 * k + 1] = out[2 * i + 1];
            k++;
        }
    }
    return k;
}

/* ------------------------------------------------------------------ items and words */

typedef struct run_style {
    wb_color color;
    bool underline, overline, strike;
    double rise, letter_spacing;
    bool shape;             /* an object: a placeholder of a given size */
    PangoRectangle shape_rect;
    int node;               /* the span the item lies in (lb_span.node), or 0 */
} run_style;

static run_style style_of(const PangoItem *item)
{
    run_style s = {.color = {0, 0, 0, 1}};
    for (GSList *l = item->analysis.extra_attrs; l; l = l->next) {
        PangoAttribute *a = l->data;
        switch (a->klass->type) {
        case PANGO_ATTR_FOREGROUND: {
            PangoColor c = ((PangoAttrColor *)a)->color;
            s.color = (wb_color){c.red / 65535.0, c.green / 65535.0, c.blue / 65535.0, 1};
            break;
        }
        case PANGO_ATTR_UNDERLINE: s.underline = ((PangoAttrInt *)a)->value != PANGO_UNDERLINE_NONE; break;
        case PANGO_ATTR_OVERLINE: s.overline = ((PangoAttrInt *)a)->value != PANGO_OVERLINE_NONE; break;
        case PANGO_ATTR_STRIKETHROUGH: s.strike = ((PangoAttrInt *)a)->value != 0; break;
        case PANGO_ATTR_RISE: s.rise = ((PangoAttrInt *)a)->value / (double)PANGO_SCALE; break;
        case PANGO_ATTR_LETTER_SPACING: s.letter_spacing = ((PangoAttrInt *)a)->value / (double)PANGO_SCALE; break;
        case PANGO_ATTR_SHAPE:
            s.shape = true;
            s.shape_rect = ((PangoAttrShape *)a)->logical_rect;
            break;
        default: break;
        }
    }
    return s;
}

/* The glyphs of one word in one item's font, shaped once per document. */
static const PangoGlyphString *shape_word(lb_cache *c, const PangoItem *item, const char *word, int len)
{
    /* the key: font, bidi level and language (pango keeps one of each alive), then the word */
    unsigned char head[2 * sizeof(void *) + sizeof(guint)];
    guint level = item->analysis.level;
    memcpy(head, &item->analysis.font, sizeof(void *));
    memcpy(head + sizeof(void *), &item->analysis.language, sizeof(void *));
    memcpy(head + 2 * sizeof(void *), &level, sizeof level);
    blob_key_room room;
    blob_key *heap;
    blob_key *key = blob_key_make(&room, &heap, (blob_part[]){{head, sizeof head}, {word, (gsize)len}}, 2);
    PangoGlyphString *gs = g_hash_table_lookup(c->words, key);
    if (gs) {
        g_free(heap);
        return gs;
    }
    gs = pango_glyph_string_new();
    PangoAnalysis an = item->analysis;
    pango_shape_with_flags(word, len, word, len, &an, gs, PANGO_SHAPE_NONE);
    g_hash_table_insert(c->words, blob_key_keep(key, &heap), gs);
    return gs;
}

/* ------------------------------------------------------------------ atoms */

typedef enum { A_BOX, A_GLUE, A_PENALTY } akind;

typedef struct atom {
    akind kind;
    double w, stretch, shrink;
    double penalty;
    bool flagged;   /* a hyphen, explicit or not */
    bool soft;      /* a soft hyphen: a hyphen glyph appears when the line breaks here */
    bool nobreak;   /* a glue the Unicode rules forbid breaking at (a space before ";") */
    bool emergency; /* a break inside a word that has no allowed break */
    int item;
    int start, end; /* bytes of the paragraph text (a penalty: its position) */
    /* a box of a word: the word's bytes, its glyphs (the cache's), the glyphs of this piece
     * [g0, g1) when the word's clusters run forward (else g0 = -1: look them up), and how many
     * of them letter spacing widens; so that building a line never walks the whole word again */
    int ws, we;
    const PangoGlyphString *gs;
    int g0, g1;
    int spaced;
} atom;

typedef struct para_items {
    GArray *items;     /* PangoItem* */
    GArray *styles;    /* run_style per item */
} para_items;

static void push_atom(GArray *atoms, atom a) { g_array_append_val(atoms, a); }

/* Glyphs that letter spacing widens among those whose cluster lies in [s, e): the first of
 * each cluster, when it is drawn (not a soft hyphen's empty glyph). */
static int spaced_glyphs(const PangoGlyphString *gs, int s, int e)
{
    int n = 0;
    for (int g = 0; g < gs->num_glyphs; g++)
        if (gs->log_clusters[g] >= s && gs->log_clusters[g] < e && gs->glyphs[g].attr.is_cluster_start &&
            gs->glyphs[g].geometry.width > 0)
            n++;
    return n;
}

/* Width of glyphs whose cluster lies in [s, e) (bytes from the word's start). */
static double glyph_width(const PangoGlyphString *gs, int s, int e, double letter_spacing)
{
    int w = 0;
    for (int g = 0; g < gs->num_glyphs; g++)
        if (gs->log_clusters[g] >= s && gs->log_clusters[g] < e)
            w += gs->glyphs[g].geometry.width;
    return w / (double)PANGO_SCALE + letter_spacing * spaced_glyphs(gs, s, e);
}

/* Widths, widened glyphs and first glyphs of a word's pieces: sums by byte offset, made once
 * per long word so that each of its pieces costs O(1) instead of a walk over the whole word
 * (a word of thousands of letters broken anywhere has thousands of pieces). */
typedef struct word_index {
    const PangoGlyphString *gs;
    int len;
    int *cw;     /* cw[b]: width of the glyphs whose cluster is before byte b (pango units) */
    int *cn;     /* cn[b]: glyphs letter spacing widens before byte b */
    int *gfirst; /* gfirst[b]: the first glyph whose cluster is at or after b; NULL when the
                  * clusters do not run forward (right-to-left text) */
} word_index;

#define WORD_INDEX_MIN 64 /* shorter words are walked: cheaper than the sums */

static void word_index_init(word_index *wi, const PangoGlyphString *gs, int len)
{
    *wi = (word_index){.gs = gs, .len = len};
    if (len < WORD_INDEX_MIN)
        return;
    wi->cw = g_new0(int, 3 * (len + 1));
    wi->cn = wi->cw + (len + 1);
    wi->gfirst = wi->cn + (len + 1);
    bool forward = true;
    for (int g = 1; g < gs->num_glyphs && forward; g++)
        forward = gs->log_clusters[g] >= gs->log_clusters[g - 1];
    for (int g = 0; g < gs->num_glyphs; g++) {
        int c = gs->log_clusters[g];
        if (c < 0 || c >= len)
            continue;
        wi->cw[c + 1] += gs->glyphs[g].geometry.width;
        if (gs->glyphs[g].attr.is_cluster_start && gs->glyphs[g].geometry.width > 0)
            wi->cn[c + 1]++;
    }
    for (int b = 1; b <= len; b++) {
        wi->cw[b] += wi->cw[b - 1];
        wi->cn[b] += wi->cn[b - 1];
    }
    if (forward) {
        int g = 0;
        for (int b = 0; b <= len; b++) {
            while (g < gs->num_glyphs && gs->log_clusters[g] < b)
                g++;
            wi->gfirst[b] = g;
        }
    } else {
        wi->gfirst = NULL;
    }
}

static void word_index_clear(word_index *wi) { g_free(wi->cw); }

/* The box of the word's bytes [s, e) (from the word's start). */
static atom piece_box(const word_index *wi, int s, int e, double letter_spacing, int item, int ws)
{
    atom a = {.kind = A_BOX, .item = item, .start = ws + s, .end = ws + e, .ws = ws, .we = ws + wi->len,
              .gs = wi->gs, .g0 = -1};
    if (wi->cw) {
        a.spaced = wi->cn[e] - wi->cn[s];
        a.w = (wi->cw[e] - wi->cw[s]) / (double)PANGO_SCALE + letter_spacing * a.spaced;
        if (wi->gfirst) {
            a.g0 = wi->gfirst[s];
            a.g1 = wi->gfirst[e];
        }
    } else {
        a.spaced = spaced_glyphs(wi->gs, s, e);
        a.w = glyph_width(wi->gs, s, e, letter_spacing);
    }
    return a;
}

static void word_atoms(lb_cache *cache, const char *text, const PangoLogAttr *la, int char_base,
                       const PangoItem *item, int item_index, const run_style *st, int ws, int we,
                       double line_width, bool emergency, bool wrap, GArray *atoms)
{
    if (st->shape) {
        atom a = {.kind = A_BOX, .w = st->shape_rect.width / (double)PANGO_SCALE, .item = item_index,
                  .start = ws, .end = we, .ws = ws, .we = we, .g0 = -1};
        push_atom(atoms, a);
        return;
    }
    const PangoGlyphString *gs = shape_word(cache, item, text + ws, we - ws);
    word_index wi;
    word_index_init(&wi, gs, we - ws);
    double total = piece_box(&wi, 0, we - ws, st->letter_spacing, item_index, ws).w;
    bool too_wide = emergency && total > line_width;
    const PangoGlyphString *hy = NULL;
    int piece = ws;
    int ci = char_base;
    for (const char *p = text + ws; p < text + we; p = g_utf8_next_char(p), ci++) {
        int b = (int)(p - text);
        if (b == ws)
            continue;
        gunichar prev = g_utf8_get_char(g_utf8_prev_char(p));
        bool soft = prev == 0xAD;
        bool allowed = wrap && la[ci].is_line_break;
        bool emerg = !allowed && too_wide && la[ci].is_cursor_position;
        if (!allowed && !emerg)
            continue;
        push_atom(atoms, piece_box(&wi, piece - ws, b - ws, st->letter_spacing, item_index, ws));
        atom pen = {.kind = A_PENALTY, .item = item_index, .start = b, .end = b};
        if (soft) {
            if (!hy)
                hy = shape_word(cache, item, "-", 1);
            pen.w = glyph_width(hy, 0, 1, st->letter_spacing);
            pen.penalty = HYPHEN_PENALTY;
            pen.flagged = pen.soft = true;
        } else if (emerg) {
            pen.penalty = EMERGENCY_PENALTY;
            pen.emergency = true;
        } else if (prev == '-' || prev == 0x2010) {
            pen.penalty = EXPLICIT_HYPHEN_PENALTY;
            pen.flagged = true;
        }
        push_atom(atoms, pen);
        piece = b;
    }
    push_atom(atoms, piece_box(&wi, piece - ws, we - ws, st->letter_spacing, item_index, ws));
    word_index_clear(&wi);
}


/* Boxes, glues and penalties for the whole paragraph. */
static void make_atoms(lb_cache *cache, const char *text, int len, const PangoLogAttr *la, para_items *pi,
                       const lb_params *pp, bool emergency, bool justify_glue, GArray *atoms)
{
    int char_base = 0;
    for (guint i = 0; i < pi->items->len; i++) {
        PangoItem *item = g_array_index(pi->items, PangoItem *, i);
        const run_style *st = &g_array_index(pi->styles, run_style, i);
        int s = item->offset, e = item->offset + item->length;
        int ci = char_base;
        const char *p = text + s;
        while (p < text + e) {
            gunichar c = g_utf8_get_char(p);
            int b = (int)(p - text);
            if (c == ' ') {
                const PangoGlyphString *gs = shape_word(cache, item, " ", 1);
                double w = glyph_width(gs, 0, 1, 0) + st->letter_spacing;
                atom g = {.kind = A_GLUE, .w = w, .item = (int)i, .start = b, .end = b + 1,
                          .nobreak = !pp->wrap || !la[ci + 1].is_line_break};
                if (justify_glue) {
                    g.stretch = w / 2;
                    g.shrink = w / 3;
                }
                /* a glue breaks only after a box: a space after a space never */
                push_atom(atoms, g);
                p++;
                ci++;
                continue;
            }
            if (c == '\t') {
                push_atom(atoms, (atom){.kind = A_GLUE, .stretch = LB_INF, .item = (int)i, .start = b, .end = b + 1});
                p++;
                ci++;
                continue;
            }
            if (c == '\n') {
                /* the fill before a forced break is no break itself (that would leave an
                 * empty line), as TeX's \parfillskip follows a \penalty10000 */
                push_atom(atoms, (atom){.kind = A_GLUE, .stretch = LB_INF, .nobreak = true, .item = (int)i, .start = b, .end = b});
                push_atom(atoms, (atom){.kind = A_PENALTY, .penalty = LB_FORCED, .item = (int)i, .start = b, .end = b + 1});
                p++;
                ci++;
                continue;
            }
            if (c == 0x200B) {
                if (pp->wrap)
                    push_atom(atoms, (atom){.kind = A_PENALTY, .item = (int)i, .start = b, .end = b + 3});
                p = g_utf8_next_char(p);
                ci++;
                continue;
            }
            /* a word: up to the next space, tab, line feed or zero-width space */
            const char *q = p;
            int cq = ci;
            while (q < text + e) {
                gunichar d = g_utf8_get_char(q);
                if (d == ' ' || d == '\t' || d == '\n' || d == 0x200B)
                    break;
                q = g_utf8_next_char(q);
                cq++;
            }
            word_atoms(cache, text, la, ci, item, (int)i, st, b, (int)(q - text), pp->width, emergency, pp->wrap, atoms);
            p = q;
            ci = cq;
        }
        char_base = ci;
    }
    /* the end: a fill glue (unless the last line is justified) and a forced break */
    int last_item = pi->items->len ? (int)pi->items->len - 1 : 0;
    bool justify_last = pp->align_last == ALIGN_JUSTIFY;
    push_atom(atoms, (atom){.kind = A_GLUE, .stretch = justify_last ? 0 : LB_INF, .nobreak = true, .item = last_item,
                            .start = len, .end = len});
    push_atom(atoms, (atom){.kind = A_PENALTY, .penalty = LB_FORCED, .item = last_item, .start = len, .end = len});
}

/* ------------------------------------------------------------------ total fit */

typedef struct node {
    int pos;           /* index of the break atom, -1 for the start */
    int line;          /* lines before this break */
    int fitness;
    double w, y, z;    /* sums after the break */
    double demerits;
    bool flagged;
    struct node *prev;
} node;

/* Sums from the start up to and including atom i. */
typedef struct sums {
    double w, y, z;
} sums;

static bool breakable(const GArray *atoms, int i)
{
    const atom *a = &g_array_index(atoms, atom, i);
    if (a->kind == A_PENALTY)
        return a->penalty < LB_NEVER;
    if (a->kind == A_GLUE)
        return !a->nobreak && i > 0 && g_array_index(atoms, atom, i - 1).kind == A_BOX;
    return false;
}

/* Chooses breaks.  Returns the last node, or NULL when none is feasible.  With
 * `allow_overfull`, lines that cannot shrink enough are taken anyway (at a high cost). */
/* The demerits of a line from break `a` to atom `b`, set at ratio r (natural width against
 * L), as Knuth and Plass count them; *fit gets the line's fitness class. */
static double break_demerits(const atom *b, const node *a, double r, double natural, double L, bool forced,
                             bool allow_overfull, int *fit)
{
    /* badness as TeX measures it; in the last pass (any looseness allowed) it is not capped,
     * so that of two loose lines the looser always costs more */
    double bad = r < -1 ? 1e4 : 100 * pow(fabs(r), 3);
    if (!isfinite(bad) || bad > 1e8)
        bad = 1e8;
    if (!allow_overfull)
        bad = MIN(bad, 1e4);
    double p = b->kind == A_PENALTY ? b->penalty : 0;
    double d = (LINE_PENALTY + bad) * (LINE_PENALTY + bad);
    if (p >= 0)
        d += p * p;
    else if (p > LB_FORCED)
        d -= p * p;
    if (r < -1)
        d += 1e12 * (1 + (natural - L) / MAX(L, 1)); /* too full: only when nothing else is possible */
    bool flagged = b->kind == A_PENALTY && b->flagged;
    if (flagged && a->flagged)
        d += DOUBLE_HYPHEN_DEMERITS;
    if (forced && a->flagged)
        d += FINAL_HYPHEN_DEMERITS;
    *fit = r < -0.5 ? 0 : r <= 0.5 ? 1 : r <= 1 ? 2 : 3;
    if (abs(*fit - a->fitness) > 1)
        d += FITNESS_DEMERITS;
    d += a->demerits;
    return d;
}

static node *total_fit(const GArray *atoms, const lb_params *pp, double tolerance, bool ragged, double rag,
                       double emergency_stretch, bool allow_overfull, GPtrArray *pool)
{
    int n = (int)atoms->len;
    sums *acc = g_new0(sums, n + 1); /* acc[i]: before atom i */
    for (int i = 0; i < n; i++) {
        const atom *a = &g_array_index(atoms, atom, i);
        acc[i + 1] = acc[i];
        if (a->kind == A_BOX)
            acc[i + 1].w += a->w;
        else if (a->kind == A_GLUE) {
            acc[i + 1].w += a->w;
            acc[i + 1].y += a->stretch;
            acc[i + 1].z += a->shrink;
        }
    }
    /* the active nodes, oldest first (a queue: new ones go at the tail in O(1)) */
    GQueue active = G_QUEUE_INIT;
    node *start = g_new0(node, 1);
    start->pos = -1;
    start->fitness = 1;
    g_ptr_array_add(pool, start);
    g_queue_push_tail(&active, start);
    node *final = NULL;
    for (int i = 0; i < n && active.length; i++) {
        if (!breakable(atoms, i))
            continue;
        const atom *b = &g_array_index(atoms, atom, i);
        bool forced = b->kind == A_PENALTY && b->penalty <= LB_FORCED;
        double pw = b->kind == A_PENALTY ? b->w : 0;
        node *best[4] = {0};
        double best_d[4] = {INFINITY, INFINITY, INFINITY, INFINITY};
        /* in the last pass, a node whose line has become too full leaves the active list like
         * any other, but the last one to leave is kept aside: when no node is left, a line too
         * full from it is the way on (TeX's artificial demerits), so that the list stays as
         * short as a line is long instead of growing with the paragraph */
        node *last_resort = NULL;
        double last_resort_d = INFINITY, last_natural = 0, last_L = 0, last_r = 0;
        for (GList *l = active.head; l;) {
            node *a = l->data;
            GList *next = l->next;
            double L = pp->width - (a->line == 0 ? pp->indent : 0);
            double natural = acc[i].w - a->w + pw;
            double stretch = acc[i].y - a->y, shrink = acc[i].z - a->z;
            if (ragged && stretch < LB_INF / 2)
                stretch += rag;
            else if (stretch < LB_INF / 2)
                stretch += emergency_stretch; /* TeX's \emergencystretch: spread looseness */
            double r;
            if (natural < L)
                r = stretch > 0 ? (L - natural) / stretch : INFINITY;
            else if (natural > L)
                r = shrink > 0 ? (L - natural) / shrink : -INFINITY;
            else
                r = 0;
            bool overfull = r < -1;
            if (overfull || forced)
                g_queue_delete_link(&active, l);
            if (overfull && allow_overfull && !forced) {
                int fit;
                double d = break_demerits(b, a, r, natural, L, forced, true, &fit);
                if (d < last_resort_d) {
                    last_resort_d = d;
                    last_resort = a;
                    last_natural = natural;
                    last_L = L;
                    last_r = r;
                }
            } else if ((r >= -1 || allow_overfull) && r <= tolerance) {
                int fit;
                double d = break_demerits(b, a, r, natural, L, forced, allow_overfull, &fit);
                if (d < best_d[fit]) {
                    best_d[fit] = d;
                    best[fit] = a;
                }
            }
            l = next;
        }
        bool any = best[0] || best[1] || best[2] || best[3];
        if (!any && !active.length && last_resort) {
            int fit;
            best_d[0] = break_demerits(b, last_resort, last_r, last_natural, last_L, forced, true, &fit);
            best[0] = last_resort;
        }
        /* sums after the break: the glue and penalties that follow it are dropped */
        sums after = acc[i];
        for (int j = i; j < n; j++) {
            const atom *x = &g_array_index(atoms, atom, j);
            if (x->kind == A_BOX)
                break;
            if (x->kind == A_PENALTY && x->penalty <= LB_FORCED && j > i)
                break;
            after = acc[j + 1];
        }
        for (int fit = 0; fit < 4; fit++) {
            if (!best[fit])
                continue;
            node *nn = g_new0(node, 1);
            nn->pos = i;
            nn->line = best[fit]->line + 1;
            nn->fitness = fit;
            nn->w = after.w;
            nn->y = after.y;
            nn->z = after.z;
            nn->demerits = best_d[fit];
            nn->flagged = b->kind == A_PENALTY && b->flagged;
            nn->prev = best[fit];
            g_ptr_array_add(pool, nn);
            g_queue_push_tail(&active, nn);
            if (i == n - 1 && (!final || nn->demerits < final->demerits))
                final = nn;
        }
    }
    g_queue_clear(&active);
    g_free(acc);
    return final;
}

/* ------------------------------------------------------------------ building lines */

/* Appends glyphs of `src` whose clusters lie in [s, e) (bytes of src's own text) to `dst`,
 * with clusters moved by `shift`. */
static void append_glyphs(PangoGlyphString *dst, const PangoGlyphString *src, int s, int e, int shift,
                          double letter_spacing, int g0, int g1)
{
    if (g0 < 0) {
        g0 = 0;
        g1 = src->num_glyphs;
    }
    for (int g = g0; g < g1; g++) {
        int c = src->log_clusters[g];
        if (c < s || c >= e)
            continue;
        int k = dst->num_glyphs;
        pango_glyph_string_set_size(dst, k + 1);
        dst->glyphs[k] = src->glyphs[g];
        if (letter_spacing != 0 && src->glyphs[g].attr.is_cluster_start && src->glyphs[g].geometry.width > 0)
            dst->glyphs[k].geometry.width += (int)lround(letter_spacing * PANGO_SCALE);
        dst->log_clusters[k] = c - s + shift;
    }
}

typedef struct run_builder {
    GArray *runs; /* wb_glyph_run */
    GString *text;
    int line_start;
    int cur_item;
    PangoGlyphString *gs;
    int run_text_start;
    double run_x;
} run_builder;

/* What a renderer needs from the run's font, asked here, on the formatter's thread: a page
 * relay draws pages on another, and pango's fonts make these lazily and without a lock.  The
 * font's cairo font, the boxes of glyphs it lacks, and the metrics of the run's lines. */
static void ready_to_draw(wb_glyph_run *run)
{
    PangoFont *font = run->glyphs->item->analysis.font;
    if (!font)
        return;
    if (PANGO_IS_CAIRO_FONT(font))
        pango_cairo_font_get_scaled_font(PANGO_CAIRO_FONT(font));
    const PangoGlyphString *gs = run->glyphs->glyphs;
    for (int i = 0; i < gs->num_glyphs; i++)
        if (gs->glyphs[i].glyph & PANGO_GLYPH_UNKNOWN_FLAG) {
            PangoRectangle ink;
            pango_font_get_glyph_extents(font, gs->glyphs[i].glyph, &ink, NULL);
            break;
        }
    if (run->underline || run->overline || run->strike) {
        PangoFontMetrics *m = pango_font_get_metrics(font, NULL);
        run->underline_position = (float)pango_font_metrics_get_underline_position(m) / PANGO_SCALE;
        run->underline_thickness = (float)pango_font_metrics_get_underline_thickness(m) / PANGO_SCALE;
        run->strike_position = (float)pango_font_metrics_get_strikethrough_position(m) / PANGO_SCALE;
        run->strike_thickness = (float)pango_font_metrics_get_strikethrough_thickness(m) / PANGO_SCALE;
        run->ascent = (float)pango_font_metrics_get_ascent(m) / PANGO_SCALE;
        pango_font_metrics_unref(m);
    }
}

static void finish_run(run_builder *rb, para_items *pi)
{
    if (!rb->gs)
        return;
    if (rb->gs->num_glyphs == 0) {
        pango_glyph_string_free(rb->gs);
        rb->gs = NULL;
        return;
    }
    /* the glyph string grew by doubling: kept for the whole document (lines are cached
     * across passes), it takes only what it holds */
    PangoGlyphString *gs = rb->gs;
    if (gs->space > gs->num_glyphs) {
        gs->glyphs = g_renew(PangoGlyphInfo, gs->glyphs, gs->num_glyphs);
        gs->log_clusters = g_renew(gint, gs->log_clusters, gs->num_glyphs);
        gs->space = gs->num_glyphs;
    }
    PangoItem *orig = g_array_index(pi->items, PangoItem *, rb->cur_item);
    PangoItem *it = pango_item_copy(orig);
    /* the run's colour and lines are in wb_glyph_run; the attributes' copies would only
     * take room in every line of the document */
    g_slist_free_full(it->analysis.extra_attrs, (GDestroyNotify)pango_attribute_destroy);
    it->analysis.extra_attrs = NULL;
    it->offset = rb->run_text_start;
    it->length = (int)rb->text->len - rb->run_text_start;
    it->num_chars = (int)g_utf8_strlen(rb->text->str + rb->run_text_start, it->length);
    PangoGlyphItem *gi = g_slice_new0(PangoGlyphItem);
    gi->item = it;
    gi->glyphs = rb->gs;
    const run_style *st = &g_array_index(pi->styles, run_style, rb->cur_item);
    wb_glyph_run run = {.glyphs = gi, .x = rb->run_x, .rise = st->rise, .color = st->color,
                        .underline = st->underline, .overline = st->overline, .strike = st->strike,
                        .node = st->node};
    ready_to_draw(&run);
    g_array_append_val(rb->runs, run);
    rb->gs = NULL;
}

/* Adds bytes [s, e) of the paragraph, drawn with `glyphs`, to the current run. */
static void add_to_run(run_builder *rb, para_items *pi, int item, const char *text, int s, int e,
                       const PangoGlyphString *glyphs, int glyph_base, int g0, int g1, double x,
                       double width_override, const char *as_text, double extra_spacing)
{
    if (rb->gs && rb->cur_item != item)
        finish_run(rb, pi);
    if (!rb->gs) {
        rb->gs = pango_glyph_string_new();
        rb->cur_item = item;
        rb->run_text_start = (int)rb->text->len;
        rb->run_x = x;
    }
    int shift = (int)rb->text->len - rb->run_text_start;
    int before = rb->gs->num_glyphs;
    const run_style *st = &g_array_index(pi->styles, run_style, item);
    if (as_text)
        g_string_append(rb->text, as_text);
    else
        g_string_append_len(rb->text, text + s, e - s);
    if (glyphs) {
        append_glyphs(rb->gs, glyphs, s - glyph_base, e - glyph_base, shift, st->letter_spacing + extra_spacing, g0,
                      g1);
    } else {
        /* an object placeholder: one empty glyph of its width */
        int k = rb->gs->num_glyphs;
        pango_glyph_string_set_size(rb->gs, k + 1);
        memset(&rb->gs->glyphs[k], 0, sizeof rb->gs->glyphs[k]);
        rb->gs->glyphs[k].glyph = PANGO_GLYPH_EMPTY;
        rb->gs->glyphs[k].attr.is_cluster_start = 1;
        rb->gs->log_clusters[k] = shift;
    }
    if (width_override >= 0 && rb->gs->num_glyphs > before) {
        int total = (int)lround(width_override * PANGO_SCALE);
        for (int g = before; g < rb->gs->num_glyphs; g++) {
            int w = g == before ? total : 0;
            rb->gs->glyphs[g].geometry.width = w;
        }
    }
}

/* How a line's glue is set: its stretch or shrink ratio, the room each fill takes, and what
 * each letter gets of the slack in a very loose justified line. */
typedef struct line_set {
    double ratio, fill_w, extra;
    double natural; /* width before the glue is set, the letters' extra included */
} line_set;

static line_set set_glue(lb_cache *cache, const char *text, para_items *pi, const GArray *atoms, int from, int to,
                         double L, bool justify, double hyphen_w, double em)
{
    double natural = 0, stretch = 0, shrink = 0, fills = 0;
    for (int i = from; i < to; i++) {
        const atom *a = &g_array_index(atoms, atom, i);
        if (a->kind == A_BOX || a->kind == A_GLUE)
            natural += a->w;
        if (a->kind == A_GLUE) {
            if (a->stretch >= LB_INF / 2 && a->end > a->start)
                fills += 1;
            else if (a->stretch < LB_INF / 2)
                stretch += a->stretch;
            shrink += a->shrink;
        }
    }
    natural += hyphen_w;
    double r = 0;
    if (fills > 0 && natural < L)
        r = 0; /* the fills take the slack */
    else if (justify && natural < L && stretch > 0)
        r = (L - natural) / stretch;
    else if (natural > L && shrink > 0)
        r = MAX(-1, (L - natural) / shrink);
    if (!justify && r > 0)
        r = 0;
    /* a justified line looser than its spaces allow takes a little of the slack into the
     * letters (at most 2% of an em each), as fine typesetting does, so its gaps stay close
     * to the others */
    double extra = 0;
    if (justify && fills == 0 && r > 1 && stretch > 0) {
        int nchars = 0;
        for (int i = from; i < to; i++) {
            const atom *a = &g_array_index(atoms, atom, i);
            if (a->kind == A_BOX && !g_array_index(pi->styles, run_style, a->item).shape)
                nchars += a->spaced;
        }
        if (nchars > 1 && (L - natural - stretch) > 0) {
            extra = MIN((L - natural - stretch) / nchars, 0.02 * em);
            natural += extra * nchars;
            r = (L - natural) / stretch;
        }
    }
    return (line_set){.ratio = r, .fill_w = fills > 0 && natural < L ? (L - natural) / fills : 0, .extra = extra,
                      .natural = natural};
}

/* The glyph runs of atoms [from, to) set as `ls` says, and the hyphen when the line ends at
 * one; returns the line's width. */
static double glyph_runs(lb_cache *cache, const char *text, para_items *pi, const GArray *atoms, int from, int to,
                         const line_set *ls, const atom *hyphen, run_builder *rb)
{
    double x = 0;
    for (int i = from; i < to; i++) {
        const atom *a = &g_array_index(atoms, atom, i);
        PangoItem *item = g_array_index(pi->items, PangoItem *, a->item);
        const run_style *st = &g_array_index(pi->styles, run_style, a->item);
        if (a->kind == A_PENALTY) {
            /* a soft hyphen inside the line is an empty glyph already part of its word */
            continue;
        }
        if (a->kind == A_GLUE) {
            double w = a->w;
            if (a->stretch >= LB_INF / 2)
                w += ls->fill_w;
            else if (ls->ratio > 0)
                w += ls->ratio * a->stretch;
            else if (ls->ratio < 0)
                w += ls->ratio * a->shrink;
            if (a->end == a->start)
                continue; /* the paragraph's closing fill: no room is taken */
            /* a tab (a leader) draws nothing itself: an empty glyph of its width */
            const PangoGlyphString *gs = text[a->start] == '\t' ? NULL : shape_word(cache, item, " ", 1);
            add_to_run(rb, pi, a->item, text, a->start, a->end, gs, a->start, -1, -1, x, w, NULL, 0);
            x += w;
            continue;
        }
        /* a box: glyphs of its word */
        if (st->shape)
            add_to_run(rb, pi, a->item, text, a->start, a->end, NULL, a->start, -1, -1, x, a->w, NULL, 0);
        else
            add_to_run(rb, pi, a->item, text, a->start, a->end, a->gs, a->ws, a->g0, a->g1, x, -1, NULL, ls->extra);
        x += a->w + (st->shape ? 0 : ls->extra * a->spaced);
    }
    if (hyphen) {
        PangoItem *item = g_array_index(pi->items, PangoItem *, hyphen->item);
        const PangoGlyphString *gs = shape_word(cache, item, "-", 1);
        add_to_run(rb, pi, hyphen->item, "-", 0, 1, gs, 0, -1, -1, x, -1, "-", 0);
        x += hyphen->w;
    }
    return x;
}

/* Where a line of width x starts in a box of width L (indent `offset`), on odd and even pages. */
static void align_line(lb_line *ll, wb_align align, double offset, double L, double x)
{
    ll->x = ll->x_even = offset;
    if (align == ALIGN_CENTER) {
        ll->x = ll->x_even = offset + (L - x) / 2;
    } else if (align == ALIGN_END) {
        ll->x = ll->x_even = offset + L - x;
    } else if (align == ALIGN_OUTSIDE || align == ALIGN_INSIDE) {
        /* toward or away from the binding: right on odd pages, left on even, or the reverse */
        double far = offset + L - x;
        ll->x = align == ALIGN_OUTSIDE ? far : offset;
        ll->x_even = align == ALIGN_OUTSIDE ? offset : far;
    }
}

/* The line's height: the logical extents of its runs (a shape's own rectangle for objects). */
static void line_extents(lb_line *ll, const para_items *pi)
{
    const wb_line *line = ll->line;
    for (size_t k = 0; k < line->count; k++) {
        const wb_glyph_run *run = &line->runs[k];
        const run_style *st = NULL;
        PangoRectangle log;
        PangoItem *it = run->glyphs->item;
        for (guint q = 0; q < pi->items->len; q++)
            if (g_array_index(pi->items, PangoItem *, q)->analysis.font == it->analysis.font) {
                st = &g_array_index(pi->styles, run_style, q);
                break;
            }
        double asc, desc;
        if (st && st->shape && run->glyphs->glyphs->num_glyphs == 1 && run->glyphs->glyphs->glyphs[0].glyph == PANGO_GLYPH_EMPTY) {
            asc = -st->shape_rect.y / (double)PANGO_SCALE;
            desc = (st->shape_rect.y + st->shape_rect.height) / (double)PANGO_SCALE;
        } else {
            pango_glyph_string_extents(run->glyphs->glyphs, it->analysis.font, NULL, &log);
            asc = -log.y / (double)PANGO_SCALE;
            desc = (log.y + log.height) / (double)PANGO_SCALE;
        }
        ll->ascent = MAX(ll->ascent, asc + run->rise);
        ll->descent = MAX(ll->descent, desc - run->rise);
    }
}

static void make_line(lb_cache *cache, const char *text, para_items *pi, const GArray *atoms, int from, int to,
                      const lb_params *pp, bool first, bool last, double em, GArray *out)
{
    const atom *brk = &g_array_index(atoms, atom, to);
    /* drop glue and penalties at the start of the line (a leader's tab stays) */
    while (from < to && g_array_index(atoms, atom, from).kind != A_BOX &&
           !(g_array_index(atoms, atom, from).kind == A_GLUE && g_array_index(atoms, atom, from).end > g_array_index(atoms, atom, from).start &&
             text[g_array_index(atoms, atom, from).start] == '\t'))
        from++;
    double L = pp->width - (first ? pp->indent : 0);
    bool hyphen = brk->kind == A_PENALTY && brk->soft;
    wb_align align = last ? pp->align_last : pp->align;
    line_set ls = set_glue(cache, text, pi, atoms, from, to, L, align == ALIGN_JUSTIFY, hyphen ? brk->w : 0, em);
    run_builder rb = {.runs = g_array_new(FALSE, TRUE, sizeof(wb_glyph_run)), .text = g_string_new(NULL),
                      .cur_item = -1};
    int line_start = from < to ? g_array_index(atoms, atom, from).start : brk->start;
    double x = glyph_runs(cache, text, pi, atoms, from, to, &ls, hyphen ? brk : NULL, &rb);
    finish_run(&rb, pi);
    wb_line *line = g_new0(wb_line, 1);
    line->refs = 1;
    line->text_start = line_start;
    gsize text_len = rb.text->len;
    line->text = g_realloc(g_string_free(rb.text, FALSE), text_len + 1);
    line->count = rb.runs->len;
    line->runs = (wb_glyph_run *)g_array_free(rb.runs, FALSE);
    line->width = x;
    lb_line ll = {.line = line, .start = line_start, .end = brk->end};
    align_line(&ll, align, first ? pp->indent : 0, L, x);
    ll.emergency = brk->kind == A_PENALTY && brk->emergency;
    line_extents(&ll, pi);
    g_array_append_val(out, ll);
}

/* Appends item to pi, split where a span starts or ends inside it (pango splits items where
 * the language changes, but not always: a language written in another script than its own
 * takes the script's), each part with the node of the span it lies in.  *k: the first span
 * not wholly before the item, moving forward as the items do. */
static void add_item(para_items *pi, const char *text, PangoItem *it, const lb_params *pp, int *k)
{
    for (;;) {
        while (*k < pp->span_count && pp->spans[*k].end <= it->offset)
            (*k)++;
        const lb_span *sp = *k < pp->span_count ? &pp->spans[*k] : NULL;
        bool in = sp && sp->start <= it->offset;
        int cut = !sp ? -1 : in ? sp->end : sp->start; /* the next end or start after the item's start */
        if (cut > it->offset && cut < it->offset + it->length) {
            PangoItem *head = pango_item_split(it, cut - it->offset, (int)g_utf8_strlen(text + it->offset, cut - it->offset));
            run_style st = style_of(head);
            st.node = in ? sp->node : 0;
            g_array_append_val(pi->items, head);
            g_array_append_val(pi->styles, st);
            continue;
        }
        run_style st = style_of(it);
        st.node = in ? sp->node : 0;
        g_array_append_val(pi->items, it);
        g_array_append_val(pi->styles, st);
        return;
    }
}

int lb_break(PangoContext *pc, lb_cache *cache, const char *text, int len, PangoAttrList *attrs,
             const lb_params *pp, GArray *out)
{
    para_items pi = {g_array_new(FALSE, FALSE, sizeof(PangoItem *)), g_array_new(FALSE, TRUE, sizeof(run_style))};
    GList *items = pango_itemize(pc, text, 0, len, attrs, NULL);
    int k = 0;
    for (GList *l = items; l; l = l->next)
        add_item(&pi, text, l->data, pp, &k);
    g_list_free(items);
    int nchars = (int)g_utf8_strlen(text, len);
    PangoLogAttr *la = g_new0(PangoLogAttr, nchars + 1);
    pango_get_log_attrs(text, len, -1, pp->lang ? pango_language_from_string(pp->lang) : pango_language_get_default(),
                        la, nchars + 1);

    bool ragged = pp->align != ALIGN_JUSTIFY;
    double em = 12;
    if (pi.items->len) {
        PangoFontDescription *d = pango_font_describe(g_array_index(pi.items, PangoItem *, 0)->analysis.font);
        em = pango_font_description_get_size(d) / (double)PANGO_SCALE;
        pango_font_description_free(d);
    }
    double rag = 3 * em;
    GPtrArray *pool = g_ptr_array_new_with_free_func(g_free);
    GArray *atoms = g_array_new(FALSE, TRUE, sizeof(atom));
    node *best = NULL;
    if (pp->wrap) {
        make_atoms(cache, text, len, la, &pi, pp, false, !ragged, atoms);
        best = total_fit(atoms, pp, TOLERANCE, ragged, rag, 0, false, pool);
    }
    if (!best) {
        /* looser lines, breaks inside tokens that fit nowhere, and, as a last resort,
         * lines too full */
        g_array_set_size(atoms, 0);
        g_ptr_array_set_size(pool, 0);
        make_atoms(cache, text, len, la, &pi, pp, true, !ragged, atoms);
        best = total_fit(atoms, pp, INFINITY, ragged, rag, 0, true, pool);
    }
    int count = 0;
    if (best) {
        GArray *breaks = g_array_new(FALSE, FALSE, sizeof(int));
        for (node *nd = best; nd && nd->pos >= 0; nd = nd->prev)
            g_array_prepend_val(breaks, nd->pos);
        int from = 0;
        for (guint k = 0; k < breaks->len; k++) {
            int to = g_array_index(breaks, int, k);
            make_line(cache, text, &pi, atoms, from, to, pp, k == 0, k == breaks->len - 1, em, out);
            count++;
            from = to + 1;
        }
        g_array_free(breaks, TRUE);
    }
    g_ptr_array_free(pool, TRUE);
    g_array_free(atoms, TRUE);
    g_free(la);
    for (guint i = 0; i < pi.items->len; i++)
        pango_item_free(g_array_index(pi.items, PangoItem *, i));
    g_array_free(pi.items, TRUE);
    g_array_free(pi.styles, TRUE);
    return count;
}
