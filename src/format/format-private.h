/* What the files of the format stage share: the state of one formatting run, paragraphs
 * (text.c), markers (markers.c), images (image.c) and the small area helpers (areas.c).
 * Block layout and pagination have headers of their own (blocks.h, paginate.h).
 * Private to src/format. */
#ifndef WB_FORMAT_PRIVATE_H
#define WB_FORMAT_PRIVATE_H

#include <glib.h>
#include <pango/pangocairo.h>

#include "fo/fo.h"
#include "format/hyphenate.h"
#include "format/linebreak.h"
#include "workbook/format.h"
#include "workbook/page.h"

/* What formatting many documents shares (see wb_format_cache in workbook/format.h). */
struct wb_format_cache {
    PangoFontMap *fontmap;
    wb_hyphenator *hyph;
};

struct marker_state;
struct vlist;
struct refarea;

/* One formatting run over a document: every pass of it. */
typedef struct formatter {
    wb_ctx *ctx;
    const char *file;        /* FO file, for messages */
    const wb_fo_tree *tree;  /* for positions of messages */
    const char *base_dir;    /* resolves relative image paths */
    bool missing_images_ok;  /* a missing image file: a warning (wb_format_options) */
    PangoContext *pango;
    wb_hyphenator *hyph;     /* borrowed from the format cache */
    lb_cache *shapes;        /* shaped words, for every pass over the document */
    GHashTable *hyph_words;  /* hyphenation points of words (text.c), for every pass */
    GHashTable *font_extents; /* ascent and descent by font and language (text.c) */
    GHashTable *font_sets;   /* font-family values resolved, by weight and style (fonts.c) */
    GHashTable *font_families; /* family name -> installed or not (fonts.c) */
    GHashTable *paras;       /* laid-out paragraphs kept across passes (text.c); NULL: none */
    size_t para_bytes;       /* about what they take: the cache stops at PARA_CACHE_BUDGET */
    GStringChunk *strings;   /* strings made while formatting, freed with the run */
    GHashTable *images;      /* path -> wb_image* (one reference each) */
    /* page numbers */
    const char *page_text;   /* current page number as formatted, for fo:page-number */
    GHashTable *id_first;    /* id -> formatted number of the first page it is on (last pass) */
    GHashTable *id_last;     /* id -> formatted number of the last page it is on (last pass) */
    GHashTable *seen_first, *seen_last; /* the same, gathered during this pass */
    bool final_pass;
    bool citations_missing;  /* a citation was not resolved in this pass */
    bool settled;            /* this pass found the same page numbers as the one before */
    double sink_seconds;     /* spent in the page sink (the renderer's, not formatting) */
    int pass;                /* 1, 2...: the pass under way */
    double body_h;           /* height of the current body region: taller table rows are split */
    struct marker_state *markers;
    /* the logical structure (structure.c): FO -> element id, and id - 1 -> FO (borrowed) */
    GHashTable *struct_ids;
    GPtrArray *struct_fos;
    /* lays out a block-level object onto a vertical list (blocks.h: layout_child) */
    void (*layout_object)(struct formatter *f, struct vlist *vl, const wb_fo *fo, const struct refarea *ra);
} formatter;

/* ------------------------------------------------------------------ areas (areas.c) */

/* Areas attached to a line or box, positioned relative to the item's top-left corner. */
typedef GArray area_list; /* of wb_area */

/* Appends an area to *l, making the list on first use; the list takes the area's references. */
void area_push(area_list **l, wb_area a);
/* Appends a border segment from (x,y) to (x+w,y+h), when the border is drawn at all. */
void area_rule(area_list **l, double x, double y, double w, double h, const wb_border *b);
/* Clears every area of the list and frees it (NULL is fine). */
void area_list_free(area_list *a);
wb_color color_of(wb_rgba c);
wb_rule_style rule_style_of(wb_border_style s);
/* The form field the styles marked on fo (wb:field="text|multiline|check|radio",
 * wb:field-name, wb:field-value for a radio button), as a WB_AREA_FIELD area of the given
 * rectangle pushed onto *l.  Nothing when fo carries no wb:field; a warning (once per object)
 * and nothing when the mark is incomplete or of an unknown kind. */
/* The structure element id of an object (structure.c), the same in every pass; 0 for NULL. */
int structure_id(formatter *f, const wb_fo *fo);
/* Lists on a finished page the structure elements its areas belong to, with their ancestors
 * (page->nodes). */
void structure_page(formatter *f, wb_page *page);
void area_field(formatter *f, area_list **l, const wb_fo *fo, double x, double y, double w, double h);
/* The background image of `fo` (background-image), loaded once per path (image_get): NULL
 * when it has none or it does not load (reported there).  Borrowed from the image cache. */
wb_image *background_image(formatter *f, const wb_fo *fo);
/* Appends an area showing background image `img` of style `s` in the padding rectangle
 * x,y,w,h: one tile at its background-position, repeated as its background-repeat says,
 * clipped to the rectangle.  The area takes a reference on img. */
void area_background(area_list **l, wb_image *img, const wb_style *s, double x, double y, double w, double h);
/* Sets such an area (made with any rectangle) to the padding rectangle x,y,w,h. */
void background_fit(wb_area *a, const wb_style *s, double x, double y, double w, double h);

/* ------------------------------------------------------------------ paragraphs (text.c) */

/* One laid-out line of a paragraph. */
typedef struct para_line {
    wb_line *line;         /* borrowed from the paragraph */
    double x;              /* start of the baseline from the content box's left edge */
    double x_even;         /* the same on an even page (text-align inside / outside) */
    double height;         /* line box height */
    double baseline;       /* from the top of the line box */
    area_list *areas;      /* decorations, links, images, leaders; owned */
    GPtrArray *notes;      /* fo:footnote-body objects cited on this line (borrowed); owned array */
    int text_start;        /* where the line starts in the paragraph's text (bytes) */
} para_line;

typedef struct para {
    GArray *lines;       /* of para_line; each holds one reference on its line */
} para;

/* Lays out the inline content of `block` from child `from` up to (not including) `to` (NULL:
 * to the end) in a box `width` points wide.  `first` and `last` say whether this run opens or
 * closes the block (text-indent and text-align-last apply there).  Returns NULL when the run
 * holds no text at all (only white space).  Free with para_free. */
para *para_layout(formatter *f, const wb_fo *block, const wb_fo *from, const wb_fo *to, double width,
                  bool first, bool last);
void para_free(para *p);
/* The same run's lines from byte `skip` of its text on (a paragraph going on at another
 * width on a new page), without text-indent and not cached. */
para *para_layout_from(formatter *f, const wb_fo *block, const wb_fo *from, const wb_fo *to, double width,
                       bool last, int skip);
/* Keeps laid-out paragraphs from pass to pass (those that show nothing of their page), until
 * para_cache_free. */
void para_cache_start(formatter *f);
void para_cache_free(formatter *f);

/* True for objects that take part in a line (text, inline, leader...). */
bool fo_is_inline(wb_fo_kind k);

/* Formats a page number as fo:page-sequence format="..." says ("1", "01", "i", "I", "a", "A"). */
char *format_page_number(int n, const char *format);

/* ------------------------------------------------------------------ fonts (fonts.c) */

/* The caches of resolved families, made and freed with the run. */
void font_sets_start(formatter *f);
void font_sets_free(formatter *f);
/* A description of the style's font: its resolved families (generic and base-14 names
 * replaced, unknown ones dropped) joined as pango's fallback list, its size, weight and
 * style; for metrics and for text of one family.  The caller frees it. */
PangoFontDescription *font_desc_new(formatter *f, const wb_style *st);
/* Sets text[start, end) in the style's font: a font attribute per run of characters that
 * the same family of the list takes, the first family that has the character (XSL 1.1
 * §7.9.2); inserted into attrs (the list owns them). */
void font_attrs(formatter *f, PangoAttrList *attrs, const char *text, int start, int end, const wb_style *st);

/* ------------------------------------------------------------------ markers (markers.c) */

/* The markers of a run, from the first pass to the last; made and freed with the run. */
struct marker_state *markers_new(void);
void markers_free(struct marker_state *m);
/* A page-sequence begins: what earlier sequences carry is kept for boundary="document". */
void markers_sequence_start(struct marker_state *m);
/* A page is complete: what started on it carries over to the next. */
void markers_page_done(struct marker_state *m);
/* An fo:marker is placed on the current page. */
void markers_placed(struct marker_state *m, const wb_fo *marker);
/* The block `parent` that held markers ends on the current page.  `before_content`: nothing
 * has been placed on the page yet (the end of a block cut off at the foot of the page before),
 * so the block does not go on over this page. */
void markers_block_end(struct marker_state *m, const wb_fo *parent, bool before_content);
/* The fo:marker a retrieve-marker takes on the current page, or NULL. */
const wb_fo *marker_lookup(formatter *f, const wb_fo *retrieve);

/* ------------------------------------------------------------------ document (docinfo.c) */

/* The document's metadata and outline (bookmarks whose destinations the last pass met). */
void docinfo_collect(formatter *f, wb_docinfo *info);

/* ------------------------------------------------------------------ images (image.c) */

/* Loads (once per path, cached on f) an image; NULL with an error naming `fo`'s line (a
 * warning when the file is not there and f->missing_images_ok).  The
 * image is borrowed from the cache: an area showing it takes a reference of its own. */
wb_image *image_get(formatter *f, const wb_fo *fo, const char *src);
/* The SVG inside an fo:instream-foreign-object (cached per object); NULL with an error, or
 * with a warning when it holds other markup (left out). */
wb_image *image_instream(formatter *f, const wb_fo *fo);
/* Resolves an FO src value ("url('x.png')", "x.png") to a path; caller frees with g_free. */
char *image_path(formatter *f, const char *src);

#endif
