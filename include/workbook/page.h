/* Pages: what the format stage hands to the render stage, one finished page at a time.
 *
 * A page is a flat list of positioned areas in points, y growing downwards from the top of
 * the page.  Text areas hold pango lines (shaped glyphs, fonts, colours); the page keeps a
 * reference on each line's layout, released by wb_page_free.  Pages are made and freed by
 * the formatter; renderers only borrow them. */
#ifndef WORKBOOK_PAGE_H
#define WORKBOOK_PAGE_H

#include <stdbool.h>
#include <stddef.h>

#include <pango/pango.h>

typedef struct wb_color {
    double r, g, b, a;
} wb_color;

typedef enum {
    WB_AREA_TEXT,   /* one pango line, x and y at the start of its baseline */
    WB_AREA_FILL,   /* a filled rectangle (backgrounds) */
    WB_AREA_RULE,   /* a line segment (borders, rules) from (x,y) to (x+w,y+h) */
    WB_AREA_DOTS,   /* a dot leader: `text` repeated on a grid from x to x+w at baseline y */
    WB_AREA_IMAGE,  /* an image scaled into x,y,w,h */
    WB_AREA_LINK,   /* a clickable rectangle: uri or internal destination */
    WB_AREA_DEST    /* a named destination at x,y */
} wb_area_kind;

typedef enum { WB_RULE_SOLID, WB_RULE_DASHED, WB_RULE_DOTTED, WB_RULE_DOUBLE } wb_rule_style;

struct wb_image;

typedef struct wb_area {
    wb_area_kind kind;
    double x, y, w, h;
    wb_color color;
    union {
        struct {
            PangoLayoutLine *line; /* a reference is held */
        } text;
        struct {
            double thickness;
            wb_rule_style style;
        } rule;
        struct {
            PangoLayoutLine *dot; /* one dot, a reference is held */
            double pitch;         /* grid step */
            double origin;        /* x the grid starts from */
        } dots;
        struct {
            struct wb_image *image; /* borrowed: valid while the page is */
        } image;
        struct {
            char *uri;  /* owned; NULL for an internal link */
            char *dest; /* owned; NULL for an external link */
        } link;
        struct {
            char *name; /* owned */
        } dest;
    } u;
} wb_area;

typedef struct wb_page {
    double width, height; /* pt */
    int number;           /* the page number as counted by its page-sequence */
    char *number_text;    /* formatted as the page-sequence says: "iv", "12"; owned */
    int index;            /* 0-based position in the document */
    wb_area *areas;
    size_t count, cap;
} wb_page;

/* Releases a page's areas and everything they hold. */
void wb_page_free(wb_page *page);

/* Writes a plain-text dump of the page's areas (one line each, positions rounded to 0.1pt),
 * for tests that compare layouts exactly. */
void wb_page_dump(const wb_page *page, FILE *out);

#endif
