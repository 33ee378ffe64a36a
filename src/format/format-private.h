/* What the parts of the format stage share: the formatting state and the paragraph and
 * image helpers.  Private to src/format. */
#ifndef WB_FORMAT_PRIVATE_H
#define WB_FORMAT_PRIVATE_H

#include <glib.h>
#include <pango/pangocairo.h>

#include "context-private.h"
#include "fo/fo.h"
#include "format/hyphenate.h"
#include "format/linebreak.h"
#include "workbook/format.h"
#include "workbook/page.h"

struct wb_image;

/* One formatting run over a document. */
typedef struct fmt {
    wb_ctx *ctx;
    const char *file;     /* FO file, for messages */
    const wb_fo_tree *tree; /* for positions of messages */
    const char *base_dir; /* resolves relative image paths */
    PangoContext *pango;
    wb_hyphenator *hyph;  /* borrowed from ctx */
    lb_cache *shapes;     /* shaped words, for every pass over the document */
    GStringChunk *strings; /* strings made while formatting, freed with the run */
    GHashTable *images;   /* path -> struct wb_image* (one reference each) */
    /* page numbers */
    const char *page_text; /* current page number as formatted, for fo:page-number */
    GHashTable *id_first;  /* id -> formatted number of the first page it is on (last pass) */
    GHashTable *id_last;   /* id -> formatted number of the last page it is on (last pass) */
    GHashTable *seen_first, *seen_last; /* the same, gathered during this pass */
    bool final_pass;
    bool citations_missing; /* a citation was not resolved in this pass */
    bool settled;           /* this pass found the same page numbers as the one before */
    double body_h;          /* height of the current body region: taller table rows are split */
    struct marker_state *markers;
} fmt;

/* ------------------------------------------------------------------ paragraphs (text.c) */

/* An area attached to a line or box, positioned relative to the item's top-left corner. */
typedef GArray area_list; /* of wb_area */

/* One laid-out line of a paragraph. */
typedef struct para_line {
    wb_line *line;         /* borrowed from the paragraph */
    double x;              /* start of the baseline from the content box's left edge */
    double x_even;         /* the same on an even page (text-align inside / outside) */
    double height;         /* line box height */
    double baseline;       /* from the top of the line box */
    area_list *areas;      /* decorations, links, images, leaders; owned */
    GPtrArray *notes;      /* fo:footnote-body objects cited on this line (borrowed); owned array */
} para_line;

typedef struct para {
    GArray *lines;       /* of para_line; each holds one reference on its line */
} para;

/* Lays out the inline content of `block` from child `from` up to (not including) `to` (NULL:
 * to the end) in a box `width` points wide.  `first` and `last` say whether this run opens or
 * closes the block (text-indent and text-align-last apply there).  Returns NULL when the run
 * holds no text at all (only white space).  Free with para_free. */
para *para_layout(fmt *f, const wb_fo *block, const wb_fo *from, const wb_fo *to, double width,
                  bool first, bool last);
void para_free(para *p);

/* The fo:marker a retrieve-marker takes on the current page, or NULL (layout.c). */
const wb_fo *marker_lookup(fmt *f, const wb_fo *retrieve);

/* True for objects that take part in a line (text, inline, leader...). */
bool fo_is_inline(wb_fo_kind k);

/* Formats a page number as fo:page-sequence format="..." says ("1", "01", "i", "I", "a", "A"). */
char *format_page_number(int n, const char *format);

/* ------------------------------------------------------------------ images (image.c) */

typedef struct wb_image wb_image;
/* Loads (once per path, cached on f) an image; NULL with an error naming `fo`'s line. */
wb_image *image_get(fmt *f, const wb_fo *fo, const char *src);
/* The SVG inside an fo:instream-foreign-object (cached per object); NULL with an error. */
wb_image *image_instream(fmt *f, const wb_fo *fo);
/* Intrinsic size in points. */
void image_size(const wb_image *img, double *w, double *h);
/* Resolves an FO src value ("url('x.png')", "x.png") to a path; caller frees with g_free. */
char *image_path(fmt *f, const char *src);

/* ------------------------------------------------------------------ areas */



void area_list_free(area_list *a);
/* Releases what one area holds (references and strings). */
void area_clear(wb_area *a);
/* Copies an area, taking new references. */
wb_area area_copy(const wb_area *a);

#endif
