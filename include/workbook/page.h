/* The page model: what the format stage hands to the render stage, one finished page at a
 * time through a page sink, and the document information (metadata, outline) it returns.
 *
 * A page is a flat list of positioned areas in points, y growing downwards from the top of
 * the page.  Text areas hold lines of shaped glyph runs (pango glyph items: fonts, glyphs,
 * the characters they stand for), image areas hold decoded images; both are shared by
 * reference count, and an area holds one reference on what it shows, released by
 * wb_area_clear (wb_page_free clears every area).  Pages are made and freed by the
 * formatter; sinks and renderers only borrow them. */
#ifndef WORKBOOK_PAGE_H
#define WORKBOOK_PAGE_H

#include <stdbool.h>
#include <stddef.h>

#include <pango/pango.h>

#include "workbook/context.h"

typedef struct wb_color {
    double r, g, b, a;
} wb_color;

/* One run of glyphs of a line: one font, one colour, one set of decorations. */
typedef struct wb_glyph_run {
    PangoGlyphItem *glyphs; /* owned: the item (font, offset into the line's text) and glyphs */
    double x;               /* start, from the line's origin */
    double rise;            /* baseline shift, upwards */
    wb_color color;
    bool underline, overline, strike;
    /* with underline, overline or strike: the font's metrics for them, in points, taken by
     * the formatter (pango's fonts are not to be asked from a renderer's thread) */
    float underline_position, underline_thickness, strike_position, strike_thickness, ascent;
    int node;               /* the structure element of a phrase in another language than its
                             * paragraph (a wb_struct_node id, a Span with its own /Lang in
                             * tagged PDF); 0: the element of the line's area */
} wb_glyph_run;

/* A line of text as the formatter broke and justified it.  Shared by reference count:
 * wb_line_ref / wb_line_unref. */
typedef struct wb_line {
    int refs;
    char *text;        /* the line's characters (owned), what the runs' items index */
    int text_start;    /* where they start in the paragraph, for mapping positions */
    wb_glyph_run *runs;
    size_t count;
    double width;      /* advance of the whole line */
} wb_line;

wb_line *wb_line_ref(wb_line *line);
void wb_line_unref(wb_line *line);

typedef enum {
    WB_AREA_TEXT,   /* one line of text, x and y at the start of its baseline */
    WB_AREA_FILL,   /* a filled rectangle (backgrounds) */
    WB_AREA_RULE,   /* a line segment (borders, rules) from (x,y) to (x+w,y+h) */
    WB_AREA_DOTS,   /* a dot leader: `text` repeated on a grid from x to x+w at baseline y */
    WB_AREA_IMAGE,  /* an image scaled into x,y,w,h (a background image: tiled in a clip) */
    WB_AREA_LINK,   /* a clickable rectangle: uri or internal destination */
    WB_AREA_DEST,   /* a named destination at x,y */
    WB_AREA_TURN,   /* the areas up to the next TURN of angle 0 are turned by u.turn.angle
                     * degrees counter-clockwise (90, 180, 270) as a box w x h whose corner
                     * is (x,y): they are laid out upright from that corner, and the turned
                     * box keeps its top left corner at (x,y) */
    WB_AREA_FIELD   /* a place a participant writes or ticks: x,y,w,h its printed frame;
                     * not drawn (the print shows the frame), a form field in fillable PDF */
} wb_area_kind;

/* What a form field takes (the styles' wb:field attribute: "text", "multiline", "check",
 * "radio"). */
typedef enum { WB_FIELD_TEXT, WB_FIELD_MULTILINE, WB_FIELD_CHECK, WB_FIELD_RADIO } wb_field_kind;

typedef enum { WB_RULE_SOLID, WB_RULE_DASHED, WB_RULE_DOTTED, WB_RULE_DOUBLE } wb_rule_style;

/* A decoded image (PNG, JPEG, SVG) of an intrinsic size, shared by reference count. */
typedef struct wb_image wb_image;
wb_image *wb_image_ref(wb_image *img);
void wb_image_unref(wb_image *img);
/* Intrinsic size in points. */
void wb_image_size(const wb_image *img, double *w, double *h);

typedef struct wb_area {
    wb_area_kind kind;
    double x, y, w, h;
    wb_color color;
    int node;        /* the structure element (wb_struct_node id) it belongs to; 0: none, an
                      * artifact (backgrounds, borders, leaders) */
    /* the course position ("file:line:col") of what the area shows, as the styles copied it
     * onto the XSL-FO (wb:source); borrowed from the FO document, so valid only while the
     * formatter runs (during a sink's call); NULL when unknown */
    const char *source;
    union {
        struct {
            wb_line *line; /* a reference is held */
        } text;
        struct {
            double thickness;
            wb_rule_style style;
        } rule;
        struct {
            wb_line *dot;         /* one dot, a reference is held */
            double pitch;         /* grid step */
            double origin;        /* x the grid starts from */
        } dots;
        struct {
            wb_image *image; /* a reference is held */
            /* a background image (background-image): x,y,w,h is one tile, the one its
             * background-position places; with repeat_x (repeat_y) the tiles go on from it
             * both ways across (down); everything is drawn only inside `clip`, the padding
             * rectangle, whose corner is given from x,y (so that moving the area moves
             * it).  False for an image in the content, drawn at x,y,w,h alone */
            bool background;
            bool repeat_x, repeat_y;
            struct {
                double x, y, w, h;
            } clip;
        } image;
        struct {
            char *uri;  /* owned; NULL for an internal link */
            char *dest; /* owned; NULL for an external link */
        } link;
        struct {
            char *name; /* owned */
        } dest;
        struct {
            int angle; /* 0: the end of the turned areas */
        } turn;
        struct {
            wb_field_kind kind;
            char *name;  /* owned: the field's full name, "ex-1.2/q3"; the group of a radio */
            char *value; /* owned: a radio button's export value ("true", "b", "4"); else NULL */
        } field;
    } u;
} wb_area;

/* Releases what one area holds (its references and strings). */
void wb_area_clear(wb_area *a);
/* A copy of an area that holds references of its own. */
wb_area wb_area_copy(const wb_area *a);

/* An element of the document's logical structure (tagged PDF), as the formatter found it in
 * the FO: an id that stays the same on every page the element is on, its role, and its
 * parent.  A page lists the elements its areas (and their glyph runs) belong to with all their
 * ancestors. */
typedef struct wb_struct_node {
    int id;           /* > 0, unique in the document */
    int parent;       /* the parent's id; 0: the document */
    const char *role; /* a standard structure type ("P", "H1", "L", "LI", "Lbl", "LBody", "Table",
                       * "TR", "TH", "TD", "Figure", "Note", "Sect"...), or "Artifact" for running
                       * heads and page numbers; static */
    char *alt;        /* owned: alternative text (figures), or NULL */
    char *lang;       /* owned: a language other than the parent's (BCP 47), or NULL */
} wb_struct_node;

typedef struct wb_page {
    double width, height; /* pt */
    int number;           /* the page number as counted by its page-sequence */
    char *number_text;    /* formatted as the page-sequence says: "iv", "12"; owned */
    int index;            /* 0-based position in the document */
    /* For a print shop, from the simple-page-master (Apache FOP's extension attributes
     * fox:bleed and fox:crop-offset, and the engine's wb:watermark): the width and height
     * above are the trimmed page; `bleed` is how far (pt) beyond the trim the printer's
     * bleed goes, `crop_offset` how far the whole sheet goes (room for crop marks; at
     * least bleed when set), 0 for none.  `watermark`: text drawn faintly across the page
     * under its content (borrowed from the FO document for the sink's call), or NULL. */
    double bleed, crop_offset;
    const char *watermark;
    wb_area *areas;
    size_t count, cap;
    wb_struct_node *nodes; /* owned: the structure elements of the areas, parents before children */
    size_t node_count;
} wb_page;

/* Releases a page's areas and everything they hold. */
void wb_page_free(wb_page *page);

/* A copy that holds references and strings of its own (what the page borrows, it borrows
 * too); free it with wb_page_free. */
wb_page *wb_page_copy(const wb_page *page);

/* Writes a plain-text dump of the page's areas (one line each, positions rounded to 0.1pt),
 * for tests that compare layouts exactly. */
void wb_page_dump(const wb_page *page, FILE *out);

/* Where the formatter hands each finished page: `page` is called once per page in document
 * order with a page borrowed for the call; a status other than WB_OK stops the formatting
 * (the error is expected on the context).
 *
 * `restart` is optional.  A sink that has it lets the formatter hand over the pages of a
 * pass that is probably the last (the second of a document citing page numbers) instead of
 * formatting once more only to hand them over; when the page numbers then turn out not to
 * have settled, `restart` is called: the sink forgets every page given so far, and they all
 * come again from the first.  Without it, pages come only from the pass known to be last. */
typedef struct wb_page_sink {
    wb_status (*page)(void *data, const wb_page *page);
    void *data;
    wb_status (*restart)(void *data);
} wb_page_sink;

/* One entry of the document outline (bookmarks): a title and the named destination it opens,
 * with its own entries below it. */
typedef struct wb_outline {
    char *title;                 /* owned */
    char *dest;                  /* owned: a destination name the pages carry (WB_AREA_DEST) */
    bool open;                   /* shown unfolded */
    struct wb_outline *children; /* owned array */
    size_t count;
} wb_outline;

/* What the formatter found about the document beside its pages.  Every string and array is
 * owned by the structure; NULL when absent.  Release with wb_docinfo_clear. */
typedef struct wb_docinfo {
    char *title, *author, *subject, *keywords, *lang, *creator;
    wb_outline *outline; /* the top-level entries */
    size_t outline_count;
    bool pdfa;           /* the FO asks for PDF/A-2b (wb:pdfa="yes" on fo:root) */
} wb_docinfo;

void wb_docinfo_clear(wb_docinfo *info);

#endif
