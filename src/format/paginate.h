/* Pagination: page masters and their regions, the state of a page-sequence being set, its
 * footnotes and static regions, and the paginator that cuts the flow's vertical list into
 * columns and pages.  Private to src/format.
 *
 * A page-sequence's flow is laid out block by block onto a vertical list (blocks.h); after
 * each block the paginator emits every page that is full, so the list never holds much more
 * than a page.  Each finished page goes to the run's page sink and is freed when it returns. */
#ifndef WB_FORMAT_PAGINATE_H
#define WB_FORMAT_PAGINATE_H

#include "format/blocks.h"

/* ------------------------------------------------------------------ masters (masters.c) */

typedef struct rect {
    double x, y, w, h;
} rect;

/* A page as its simple-page-master lays it out. */
typedef struct geometry {
    double pw, ph;
    double bleed, crop_offset; /* fox:bleed, fox:crop-offset (pt, 0: none) */
    const char *watermark;     /* wb:watermark, borrowed from the document, or NULL */
    rect body, region[4]; /* before, after, start, end */
    const wb_fo *spm, *body_fo, *region_fo[4];
} geometry;

extern const char *const region_default_names[4];

geometry page_geometry(formatter *f, const wb_fo *spm);
/* The simple-page-master for the index-th page (0-based) of a sequence, numbered `number`,
 * blank or not, last or not; NULL when there is none (with a warning). */
const wb_fo *select_master(formatter *f, const wb_fo_tree *tree, const wb_fo *seq, int index, int number,
                           bool blank, bool last);
/* The same, also giving the fo:conditional-page-master-reference that chose it in *alt_out
 * (NULL when none did). */
const wb_fo *select_master_alt(formatter *f, const wb_fo_tree *tree, const wb_fo *seq, int index, int number,
                               bool blank, bool last, const wb_fo **alt_out);

/* ------------------------------------------------------------------ a page-sequence */

typedef struct seq_state {
    formatter *f;
    const wb_fo_tree *tree;
    const wb_fo *seq;
    const char *format;
    int index;       /* pages made in this sequence */
    int number;      /* number of the next page */
    int doc_index;   /* pages made in the document */
    const wb_page_sink *sink; /* NULL in passes that only gather page numbers */
    GArray *carried; /* open_box continued from the previous page */
    geometry geo;    /* of the first page: the flow is laid out for its body width */
    vlist *notes_carried; /* footnote lines that did not fit on the previous page */
    double sep_h;         /* height of the footnote separator, < 0 before it is measured */
    int ncols;            /* columns of the region-body */
    double col_w, col_gap;
    /* the page being filled, column by column */
    bool page_open;
    int col;
    geometry pg;
    char *pg_num;         /* owned by the page once made */
    area_list *pg_body;
    GPtrArray *pg_notes;
    double pg_bottom;
    double band_top;      /* where the current band of columns starts (below a spanning block) */
    bool spanning;        /* placing a span="all" block across the columns */
    bool balancing;       /* setting the columns above a spanning block: the page goes on */
    double shrink;        /* the page being emitted gives up this part (0..1) of its spaces'
                           * shrink (optimum - minimum), to hold content up to its break */
    bool not_last;        /* the last content does not fit on the master of the last page:
                           * it goes on a page of the usual master */
    bool add_last;        /* ... and a page of the page-position="last" master, empty, ends
                           * the sequence (as FOP does) */
    /* the width the pending flow content is laid out for: its column's, its body's (for
     * blocks spanning the columns), and its number of columns; the last child laid out */
    double lay_w, lay_body_w;
    int lay_ncols;
    const wb_fo *last_laid;
    bool notes_reserved;  /* measuring a column of a page whose footnotes, cited in any of its
                           * columns, have their room set aside already: the column's
                           * citations take none of its height */
    int next_index;       /* the page index next_geo was made for, -1 before */
    geometry next_geo;    /* the next page's, not yet open (as not the last) */
} seq_state;

/* ------------------------------------------------------------------ footnotes (footnotes.c) */

/* The height of the footnotes an item cites (measured once), 0 when none. */
double notes_height(seq_state *ss, vitem *v);
/* The height of the footnote bodies `notes` (borrowed) laid out together, 0 when none. */
double notes_list_height(seq_state *ss, const GPtrArray *notes);
/* The height of the footnote separator (xsl-footnote-separator), measured once. */
double separator_height(seq_state *ss);
/* Footnotes at the foot of the body: those carried from the last page, then those cited on
 * this one, under the separator.  What does not fit goes on to the next page. */
void place_notes(seq_state *ss, const geometry *g, GPtrArray *cited, double content_bottom, area_list **out);

/* ------------------------------------------------------------------ regions (regions.c) */

/* The fo:static-content of a sequence for a flow name, or NULL. */
const wb_fo *static_for(const wb_fo *seq, const char *name);
/* The background of a region (-1: the body) and, for the outer regions, their static
 * content, laid out for this page and appended to *out. */
void draw_region(formatter *f, seq_state *ss, const geometry *g, int region, area_list **out);

/* ------------------------------------------------------------------ paginating (paginate.c) */

/* The columns of a page's region-body: their number, width and gap (one column when the
 * body is too narrow for those it asks for). */
void page_columns(const geometry *g, int *ncols, double *col_w, double *col_gap);

/* Places items [from, to) of the flow in the next column of the page (the page itself when
 * the body has one column).  The page is completed when its last column is filled, or at
 * once with `end_page`. */
void emit_page(seq_state *ss, vlist *vl, guint from, guint to, bool blank, bool last, bool end_page);
/* Completes the open page: footnotes, static regions, then the sink. */
void finish_page(seq_state *ss, bool blank);
/* Emits every column and page that is full.  With `final`, the rest makes the last page.
 * When the next page's columns are of another width than the pending content was laid out
 * for, that content is laid out again at the new width first (FOP's "changing IPD"). */
void paginate(seq_state *ss, vlist *vl, bool final);
/* Whether force-page-count (or the next sequence's initial-page-number, for "auto") wants
 * a blank page after a sequence of `pages` pages whose next page number is next_number. */
bool forced_blank_after(const seq_state *ss, int pages, int next_number);
/* Lays out one child of the flow onto the list at the current width (across the columns
 * when it spans them), its items marked as coming from it. */
void layout_flow_child(seq_state *ss, vlist *vl, const wb_fo *c);

/* ------------------------------------------------------------------ sequences (sequence.c) */

/* Sets one fo:page-sequence: its pages go to `sink` (NULL: numbers only); *next_number and
 * *doc_index go on from one sequence to the next. */
void format_sequence(formatter *f, const wb_fo_tree *tree, const wb_fo *seq, int *next_number, int *doc_index,
                     const wb_page_sink *sink);

#endif
