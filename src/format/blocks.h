/* Block-level layout: the vertical list that blocks, lists and tables become, and placing
 * such a list onto a page.  Private to src/format.
 *
 * Blocks, lists and tables become a vertical list of items (lines, unbreakable boxes,
 * spaces, block starts and ends, forced breaks, marks) with a penalty on every place a page
 * may break.  The paginator (paginate.h) fills pages from that list; static regions, table
 * cells and list labels place a whole list at once (place_flat).
 *
 * Ownership: a vlist owns its items, and each item the line reference, areas and notes
 * array it holds; vlist_free releases them all. */
#ifndef WB_FORMAT_BLOCKS_H
#define WB_FORMAT_BLOCKS_H

#include "format/format-private.h"

#define PEN_WIDOW 5000
#define PEN_FORBIDDEN WB_KEEP_ALWAYS

typedef enum { VI_LINE, VI_BOX, VI_SPACE, VI_START, VI_END, VI_BREAK, VI_MARK_START, VI_MARK_END, VI_MARKER,
               VI_MARKED_END, /* the end of a block that has markers (marker = the block) */
               VI_ABSOLUTE    /* a block-container out of the flow: takes no room (absolute.c) */ } vi_kind;

/* Where a box (a table's row group) may be cut when a page ends inside it: y from the
 * box's top, and the cost of a break there. */
typedef struct box_cut {
    double y;
    int pen;
    double after, before; /* padding and borders retained at the cut (.conditionality):
                           * the height added below the part above it, above the part below */
} box_cut;

/* A frame in a box (a table cell) whose retained padding and borders a cut adds: its
 * rectangle in the box, its background and borders. */
typedef struct box_frame {
    double x, w, y0, y1;
    wb_rgba bg;
    wb_border border[4];
} box_frame;

typedef struct box_cuts {
    GArray *at;     /* box_cut, y increasing */
    GArray *note_y; /* double: for each of the box's notes, the y where it is cited */
    GArray *frames; /* box_frame, or NULL when no cut adds anything */
} box_cuts;

typedef struct vitem {
    vi_kind kind;
    double h;
    int pen;                 /* content items: cost of a page break just before this one */
    double x, base;          /* LINE: baseline start (region coordinates) and offset from top */
    double even_dx;          /* LINE: moved by this much on even pages (inside / outside) */
    int node;                /* LINE: the structure element of its block (structure_id) */
    wb_line *line;           /* LINE: one reference */
    const char *source;      /* LINE: the course position of its paragraph (wb_fo_source) */
    area_list *areas;        /* attached areas, x in region coordinates, y from the item top */
    wb_space space;          /* SPACE */
    int deco;                /* START / END */
    wb_break brk;            /* BREAK */
    const char *id;          /* MARK_START / MARK_END */
    const wb_fo *marker;     /* MARKER */
    GPtrArray *notes;        /* fo:footnote-body objects cited here (borrowed); owned array */
    double notes_h;          /* their height once measured, < 0 before */
    double notes_first;      /* the height of their first line */
    struct table_rep *table; /* body rows: the table whose header/footer repeat at breaks */
    bool row_first, row_last;
    box_cuts *cuts;          /* BOX: where it may be cut (owned), or NULL */
    const wb_fo *abs;        /* ABSOLUTE: the block-container (its position and offsets) */
    double abs_w;            /* ABSOLUTE: the width of its box (h: its height); areas from its corner */
    const wb_fo *src;        /* the flow's child it comes from (NULL: none), so that what is
                              * pending can be laid out again at another column width */
    const wb_fo *pblock, *pfrom; /* LINE of a paragraph: its block and first inline ... */
    int poff;                /* ... and where the line starts in its text (bytes) */
} vitem;

/* What repeats when a table goes on over a page: its header and footer rows, laid out once. */
typedef struct table_rep {
    area_list *header, *footer;
    double header_h, footer_h;
    vitem header_notes; /* the footnotes cited in the header, cited again on every page it
                         * repeats on (as Apache FOP does): a stand-in item, h 0 */
} table_rep;

/* Background and borders of a block, drawn around whatever part of it lands on a page.
 * Where a page break cuts the block, its before and after padding and borders are left
 * out unless their .conditionality is "retain" (XSL 1.1 §7.7.13, §7.8.23): the heights
 * kept at the cut are retain_before (at the top of the next part) and retain_after (at the
 * bottom of the part cut off). */
typedef struct block_deco {
    double x, w;
    wb_rgba bg;
    wb_image *bg_image;        /* its background-image (borrowed from the image cache), or NULL */
    const wb_style *bg_style;  /* ... and the style that positions and repeats it */
    wb_border border[4];
    double retain_before, retain_after;
    const wb_fo *field; /* the block marked wb:field: a form field on its border box; else NULL */
} block_deco;

typedef struct vlist {
    GArray *items;     /* vitem */
    GArray *decos;     /* block_deco */
    GPtrArray *tables; /* table_rep, owned */
    int pending_keep;  /* keep-with-next waiting for the next content item */
    int open_keeps;    /* keep-together blocks not yet closed: no page may be cut meanwhile */
    const wb_fo *dropped_src; /* src of the last item dropped (placed on a page) */
    /* a paragraph to lay out from a point of its text on (resume_block, resume_from: NULL for
     * none); resume_at gets the index of its first line */
    const wb_fo *resume_block, *resume_from;
    int resume_off;
    guint resume_at;
} vlist;

/* A reference area: indents are measured from its edges. */
typedef struct refarea {
    double x0, width;
    wb_len base_start, base_end; /* indents inherited from outside the area */
} refarea;

/* ------------------------------------------------------------------ the list (vlist.c) */

vlist *vlist_new(void);
void vlist_free(vlist *vl);
/* Appends an item (the list takes what it holds); a keep-with-next waiting applies to it. */
vitem *vlist_push(vlist *vl, vitem v);
/* Cuts box `i` in two at its k-th cut: the part above stays item i, the part below becomes
 * item i + 1 with the cut's penalty; areas, notes, frames and the other cuts go with their
 * part.  The frames crossing the cut grow by the cut's retained after (above) and before
 * (below) heights, their backgrounds, side borders and retained borders drawn there. */
void vlist_split_box(vlist *vl, guint i, guint k);
/* The areas between y = top and y = cut, moved up by top (a new list, the caller's): fills
 * and vertical rules cut to it, every other area by where it starts (text by its baseline;
 * with `last`, also what starts right at the cut). */
area_list *areas_slice(const area_list *areas, double top, double cut, bool last);
/* Removes items [0, n), releasing what they hold; notes the src of the last. */
void vlist_drop(vlist *vl, guint n);
/* Releases what one item holds. */
void vitem_clear(vitem *v);
/* Lines and boxes: what takes room and where a page may break. */
bool vitem_is_content(const vitem *v);
/* The first content item from `from` on, or G_MAXUINT. */
guint vlist_first_content(vlist *vl, guint from);
/* The penalty of a keep of the given strength (integer or WB_KEEP_ALWAYS). */
int keep_penalty(int keep);
/* Every break inside [from, end of list) costs at least pen. */
void vlist_keep_range(vlist *vl, guint from, int pen);
/* The height items [from, ...) take stacked from the top of a column: spaces between them
 * as the largest pending space, none before the first.  With room >= 0, stops before the
 * first content item that would end below `room` (never before the first) and puts its
 * index in *stop (the list's length when all fit); returns the height of what fits. */
double vlist_stack_height(vlist *vl, guint from, double room, guint *stop);
double vlist_height(vlist *vl);
/* How far a space may shrink below its optimum: optimum - minimum, 0 when the minimum is
 * not below it (XSL 1.1 §5.11: a minimum above the optimum is taken as the optimum). */
double space_shrink(const wb_space *s);

/* Geometry of a block in its reference area. */
double content_left(const refarea *ra, const wb_style *s);
double content_width(const refarea *ra, const wb_style *s);
/* The width of a border side, 0 when it has no style. */
double border_width(const wb_style *s, int side);

/* ------------------------------------------------------------------ layout */

/* Lays out one object of block level (or, for a bare inline run, its paragraph) onto the
 * list (block.c). */
void layout_object(formatter *f, vlist *vl, const wb_fo *fo, const refarea *ra);
/* The same for content nested inside a list item or a table cell: through the formatter's
 * dispatcher (set to layout_object by the run), so that block, list and table layout, which
 * nest in each other, do not call into each other's files. */
static inline void layout_child(formatter *f, vlist *vl, const wb_fo *fo, const refarea *ra)
{
    f->layout_object(f, vl, fo, ra);
}
/* A block's content: runs of inline children become paragraphs, block children stack. */
void layout_block_content(formatter *f, vlist *vl, const wb_fo *block, const refarea *ra);
typedef void (*content_fn)(formatter *f, vlist *vl, const wb_fo *fo, const refarea *ra);
/* What every block-level object shares: breaks, spaces, id, background and borders, keeps;
 * `content` lays out what is inside (frame.c). */
void block_frame(formatter *f, vlist *vl, const wb_fo *fo, const refarea *ra, content_fn content);
/* A block-container out of the flow (absolute-position absolute or fixed): laid out on its
 * own with `content`, then one VI_ABSOLUTE item that the placer sets at its offsets
 * (absolute.c). */
void block_absolute(formatter *f, vlist *vl, const wb_fo *fo, const refarea *ra, content_fn content);
/* The content of a block-container whose reference-orientation turns it: one box that
 * does not break (turn.c). */
void container_turned(formatter *f, vlist *vl, const wb_fo *fo, const refarea *ra);
/* fo:list-block (list.c). */
void list_block_content(formatter *f, vlist *vl, const wb_fo *fo, const refarea *ra);
/* fo:table (table.c). */
void table_content(formatter *f, vlist *vl, const wb_fo *table, const refarea *ra);
/* The width of a table's content rectangle in `ra`: inline-progression-dimension.optimum
 * (width), or the room there is when auto, and never more than that room; wider, up to
 * .maximum and the room, when its columns of given widths need more (as Apache FOP
 * widens it); at least .minimum (table.c). */
double table_width(const wb_fo *table, const refarea *ra);

/* ------------------------------------------------------------------ placing (place.c) */

/* A block of the list that is open on the page being placed. */
typedef struct open_box {
    int deco;
    guint fill_index; /* the background placeholder in the output */
    double y0;
    bool continued;   /* began on an earlier page: no border-before here */
} open_box;

/* Places items one after the other from (x, y) down, adding their areas to *out. */
typedef struct placer {
    formatter *f;
    area_list **out;
    GArray *decos;    /* block_deco of the vlist */
    GArray *open;     /* open_box, owned */
    double x, y;
    double pending;   /* space waiting for the next content */
    double shrink;    /* 0..1: how much of each space's shrink (optimum - minimum) the page
                       * gives up, as its break asks (paginate.c); 0 elsewhere */
    bool any_content;
    bool record;      /* record ids and markers (pages, not measuring) */
    bool even;        /* an even page: lines set inside / outside mirror */
    const char *page_text;
    double area_x, area_y, area_w, area_h; /* what absolutely positioned boxes are set in */
    double page_w, page_h; /* the page, for fixed ones (0: unknown, the area instead) */
} placer;

/* A placer at (x, y) for the list's blocks; end it with placer_end. */
placer placer_start(formatter *f, vlist *vl, area_list **out, double x, double y, bool record);
/* Closes the blocks still open (`closed`: their ends are on this page) and frees the placer. */
void placer_end(placer *p, bool closed);
void place_item(placer *p, const vitem *v);
/* Opens block deco `idx` at the current position (continued from an earlier page or not:
 * a continued block begins with its retained before padding and border only). */
void place_block_open(placer *p, int idx, bool continued);
/* Closes the innermost open block: background to the current position, its borders.  A
 * block not `closed` is cut by a break: its retained after padding and border end it. */
void place_block_close(placer *p, bool closed);
/* Places a whole list with no page breaks (static content, table cells, list labels).
 * Returns its height; *first_baseline gets the baseline of its first line. */
double place_flat(formatter *f, vlist *vl, area_list **out, double *first_baseline);
/* The same, and with `tops` (NULL, or as many as the list's items, the caller's) the y where
 * each item starts: a content item's top, below the space before it. */
double place_flat_tops(formatter *f, vlist *vl, area_list **out, double *first_baseline, double *tops);
/* Notes that `id` is on the page numbered `page_text` (first and last pages of an id). */
void record_id(formatter *f, const char *id, const char *page_text, bool first);

#endif
