/* Line breaking: a paragraph's text and attributes -> lines of positioned glyph runs.
 *
 * The text is itemized and shaped by pango (HarfBuzz), word by word through a cache of
 * shaped words (most words recur); break opportunities come from pango's Unicode line-break
 * analysis, hyphenation points are the soft hyphens the paragraph builder inserted from the
 * dictionaries.  The breaks are chosen by total fit (Knuth and Plass, as TeX and FOP do):
 * the whole paragraph is considered at once, minimising the badness of every line, with
 * extra cost for hyphens, for two hyphenated lines in a row and for lines of very different
 * tightness next to each other.  When no set of breaks keeps the spacing within bounds, a
 * second pass allows looser lines and, for a token wider than the line, breaks inside it
 * (an emergency, which the caller reports).
 *
 * Ownership: the lines returned hold their own references (wb_line_unref); the shape cache
 * belongs to the caller (lb_cache_new / lb_cache_free). */
#ifndef WB_FORMAT_LINEBREAK_H
#define WB_FORMAT_LINEBREAK_H

#include <stdbool.h>

#include <glib.h>
#include <pango/pango.h>

#include "fo/fo.h"
#include "workbook/page.h"

typedef struct lb_cache lb_cache;
lb_cache *lb_cache_new(void);
void lb_cache_free(lb_cache *c);

/* Bytes [start, end) of the text whose glyph runs belong to a structure element of their own
 * (a phrase in another language: wb_glyph_run.node): no run crosses either end, and each run
 * inside carries `node`. */
typedef struct lb_span {
    int start, end;
    int node;
} lb_span;

typedef struct lb_params {
    double width;        /* of the lines */
    double indent;       /* text-indent of the first line (may be negative) */
    wb_align align;      /* of every line but the last */
    wb_align align_last; /* of the last line */
    bool wrap;           /* false: one line per forced break, however long */
    const char *lang;
    const lb_span *spans; /* sorted, not overlapping; borrowed for the call; NULL: none */
    int span_count;
} lb_params;

typedef struct lb_line {
    wb_line *line;  /* one reference */
    double x;       /* offset from the start of the box (alignment, indent) */
    double x_even;  /* the same on an even (left-hand) page: text-align inside / outside */
    int start, end; /* byte range of the paragraph text */
    double ascent, descent; /* of its tallest glyph run (logical extents) */
    bool emergency; /* ends where no break was allowed */
} lb_line;

/* Breaks text (len bytes; attributes as pango applies them) into lines appended to `out`
 * (an array of lb_line).  Returns the number of lines. */
int lb_break(PangoContext *pc, lb_cache *cache, const char *text, int len, PangoAttrList *attrs,
             const lb_params *params, GArray *out);

/* The x ranges ([x0, x1] pairs from the line's origin) that the paragraph byte range
 * [start, end) covers on a line; returns how many (at most max). */
int lb_x_ranges(const wb_line *line, int start, int end, double *out, int max);

#endif
