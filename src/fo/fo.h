/* The FO tree: an XSL-FO document (libxml2) -> formatting objects with computed properties.
 *
 * Takes a parsed FO document, recognises the objects of the engine's subset, resolves
 * properties (inheritance, shorthands, corresponding margins, units, em, expressions) into a
 * wb_style per object, and reports every unsupported object or property once with its line.
 * Percentages that depend on the layout (widths, indents) stay as wb_len and are resolved by
 * the formatter against the reference area.
 *
 * Ownership: wb_fo_tree_new and wb_fo_builder_finish return a tree the caller frees with
 * wb_fo_tree_free; the tree keeps nothing of the XML document it was built from. */
#ifndef WB_FO_H
#define WB_FO_H

#include <stdbool.h>
#include <stddef.h>

#include <libxml/tree.h>

#include "workbook/context.h"

#define WB_FO_NS "http://www.w3.org/1999/XSL/Format"

typedef enum {
    FO_UNKNOWN,
    FO_TEXT, /* character data */
    FO_ROOT,
    FO_LAYOUT_MASTER_SET,
    FO_SIMPLE_PAGE_MASTER,
    FO_REGION_BODY,
    FO_REGION_BEFORE,
    FO_REGION_AFTER,
    FO_REGION_START,
    FO_REGION_END,
    FO_PAGE_SEQUENCE_MASTER,
    FO_SINGLE_PAGE_MASTER_REFERENCE,
    FO_REPEATABLE_PAGE_MASTER_REFERENCE,
    FO_REPEATABLE_PAGE_MASTER_ALTERNATIVES,
    FO_CONDITIONAL_PAGE_MASTER_REFERENCE,
    FO_DECLARATIONS,
    FO_PAGE_SEQUENCE,
    FO_TITLE,
    FO_STATIC_CONTENT,
    FO_FLOW,
    FO_BLOCK,
    FO_BLOCK_CONTAINER,
    FO_INLINE,
    FO_WRAPPER,
    FO_BASIC_LINK,
    FO_PAGE_NUMBER,
    FO_PAGE_NUMBER_CITATION,
    FO_PAGE_NUMBER_CITATION_LAST,
    FO_LEADER,
    FO_LIST_BLOCK,
    FO_LIST_ITEM,
    FO_LIST_ITEM_LABEL,
    FO_LIST_ITEM_BODY,
    FO_TABLE,
    FO_TABLE_COLUMN,
    FO_TABLE_HEADER,
    FO_TABLE_FOOTER,
    FO_TABLE_BODY,
    FO_TABLE_ROW,
    FO_TABLE_CELL,
    FO_EXTERNAL_GRAPHIC,
    FO_INSTREAM_FOREIGN_OBJECT,
    FO_MARKER,
    FO_RETRIEVE_MARKER,
    FO_FOOTNOTE,
    FO_FOOTNOTE_BODY,
    FO_BOOKMARK_TREE,
    FO_BOOKMARK,
    FO_BOOKMARK_TITLE,
    FO_CHARACTER,
    FO_KIND_COUNT
} wb_fo_kind;

/* A length that may depend on the reference area: pt + pct% of it. */
typedef struct wb_len {
    double pt;
    double pct;
    bool is_auto;
} wb_len;

typedef struct wb_rgba {
    double r, g, b, a; /* a == 0: transparent / none */
} wb_rgba;

/* A space specifier (space-before / space-after). */
typedef struct wb_space {
    double min, opt, max;
    bool retain;    /* .conditionality="retain"; default discard */
    int precedence; /* INT_MAX for "force" */
} wb_space;

typedef enum { BORDER_NONE, BORDER_SOLID, BORDER_DASHED, BORDER_DOTTED, BORDER_DOUBLE } wb_border_style;

typedef struct wb_border {
    double width;
    wb_border_style style;
    wb_rgba color;
    bool retain; /* border-SIDE-width.conditionality="retain": drawn at a page break too */
} wb_border;

/* Sides in writing-mode terms (lr-tb only): before=top, after=bottom, start=left, end=right. */
enum { SIDE_BEFORE, SIDE_AFTER, SIDE_START, SIDE_END };

typedef enum { ALIGN_START, ALIGN_CENTER, ALIGN_END, ALIGN_JUSTIFY, ALIGN_INSIDE, ALIGN_OUTSIDE } wb_align;
typedef enum {
    BREAK_AUTO, BREAK_COLUMN, BREAK_PAGE, BREAK_EVEN_PAGE, BREAK_ODD_PAGE,
    BREAK_SPAN_START, BREAK_SPAN_END /* the formatter's own: a span="all" block begins / ends */
} wb_break;
typedef enum { DISPLAY_AUTO, DISPLAY_BEFORE, DISPLAY_CENTER, DISPLAY_AFTER } wb_display_align;
/* absolute-position (and the position shorthand): in the flow, or out of it at offsets from
 * the containing reference area (absolute) or from the page (fixed). */
typedef enum { POSITION_AUTO, POSITION_ABSOLUTE, POSITION_FIXED } wb_position;
/* background-repeat (XSL 1.1 §7.8.5): the image tiled both ways, along one axis, or once. */
typedef enum { BG_REPEAT, BG_REPEAT_X, BG_REPEAT_Y, BG_NO_REPEAT } wb_bg_repeat;
typedef enum { LF_TREAT_AS_SPACE, LF_PRESERVE, LF_IGNORE, LF_TREAT_AS_ZWSP } wb_linefeed;
typedef enum { WST_IGNORE_IF_SURROUNDING_LF, WST_PRESERVE, WST_IGNORE, WST_IGNORE_BEFORE_LF, WST_IGNORE_AFTER_LF } wb_ws_treatment;
typedef enum { LEADER_SPACE, LEADER_RULE, LEADER_DOTS, LEADER_USE_CONTENT } wb_leader_pattern;

#define WB_KEEP_AUTO 0
#define WB_KEEP_ALWAYS 1000000

/* Computed properties of one formatting object.  The inherited ones are copied from the
 * parent and overridden; the others start at their initial values. */
typedef struct wb_style {
    /* inherited */
    const char *font_family; /* borrowed from the tree's string pool */
    double font_size;        /* pt */
    int font_weight;         /* 100..900 */
    bool italic;
    bool small_caps;
    wb_rgba color;
    double line_height;        /* pt, when line_height_factor is 0 */
    double line_height_factor; /* a number: multiplies the font size (inherits as a number) */
    wb_align text_align;
    wb_align text_align_last;  /* ALIGN_START.. or -1 for "relative" */
    wb_len text_indent;
    wb_len last_line_end_indent;
    wb_len start_indent, end_indent;
    bool hyphenate;
    const char *lang; /* "fr", "ru-RU"... or NULL */
    int hyph_push, hyph_remain;
    double letter_spacing, word_spacing;
    bool ws_collapse;
    wb_linefeed linefeed;
    wb_ws_treatment ws_treatment;
    bool wrap;
    int widows, orphans;
    int keep_together; /* WB_KEEP_AUTO, an integer strength, or WB_KEEP_ALWAYS */
    wb_len prov_distance, prov_separation;
    wb_display_align display_align;
    double sep_inline, sep_block; /* border-separation (separate border model) */
    wb_leader_pattern leader_pattern;
    wb_len leader_length_min, leader_length_opt, leader_length_max;
    double rule_thickness;
    wb_border_style rule_style;
    double leader_pattern_width;
    /* not inherited */
    wb_rgba background;
    /* background-image (XSL 1.1 §7.8.3): the uri-specification as given, borrowed from the
     * tree's string pool; NULL for none.  Drawn in the padding rectangle, repeated as
     * background_repeat says, one tile placed at background_pos (horizontal, vertical): a
     * length from the rectangle's left (top) edge, and a percentage of the rectangle's size
     * less the image's, so that 50% centres it (§7.8.6, §7.8.7) */
    const char *background_image;
    wb_bg_repeat background_repeat;
    wb_len background_pos[2];
    wb_space space_before, space_after;
    double padding[4];
    bool padding_retain[4];   /* padding-SIDE.conditionality="retain": kept at a page break */
    wb_border border[4];
    wb_len margin[4];         /* as given; start/end already folded into the indents */
    int keep_with_next, keep_with_previous;
    wb_break break_before, break_after;
    wb_len width, height;      /* width: inline-progression-dimension.optimum */
    /* inline-progression-dimension.minimum and .maximum (XSL 1.1 §7.15.6), auto when not
     * given (width and inline-progression-dimension set the optimum only: properties.c) */
    wb_len width_min, width_max;
    wb_len content_width, content_height;
    bool content_width_fit, content_height_fit; /* scale-to-fit and friends */
    bool underline, overline, line_through;
    double baseline_shift; /* pt, positive up */
    int column_count;
    double column_gap;
    int span_all;
    int number_columns_spanned, number_rows_spanned;
    double column_width_proportional; /* proportional-column-width(n): n, else 0 */
    wb_len column_width;
    bool border_collapse;
    wb_position position;      /* absolute-position */
    wb_len offset[4];          /* top, bottom, left, right by SIDE_BEFORE...; auto when not given */
    int reference_orientation; /* 0, 90, 180 or 270: the content turned counter-clockwise */
} wb_style;

/* An attribute of an object's element, as written (the tree's strings). */
typedef struct wb_fo_attribute {
    const char *ns;   /* the namespace URI, or NULL */
    const char *name; /* the local name */
    const char *value;
} wb_fo_attribute;

/* The tree owns everything an object points to (strings in its pool): it needs no XML
 * document once built, so a long document is not held twice. */
typedef struct wb_fo {
    wb_fo_kind kind;
    int line;
    unsigned attribute_count;
    struct wb_fo *parent, *first, *last, *next;
    wb_style *style;  /* NULL for text */
    const char *text; /* FO_TEXT: UTF-8 */
    const char *id;   /* or NULL */
    wb_fo_attribute *attributes; /* attribute_count of them */
    /* fo:instream-foreign-object and fo:declarations: a copy of the element with its
     * content (which is not FO), in a document of the tree's; else NULL */
    xmlNodePtr foreign;
} wb_fo;

typedef struct wb_fo_tree {
    wb_fo *root;
    const char *file; /* the FO file's name, for messages */
    struct wb_fo_pool *pool;
} wb_fo_tree;

/* Builds the tree from a whole document (which the caller may free as soon as this
 * returns).  `file` names the document in messages (borrowed: it must outlive the tree).
 * Returns NULL with errors on ctx when the document is not XSL-FO. */
wb_fo_tree *wb_fo_tree_new(wb_ctx *ctx, xmlDocPtr doc, const char *file);
void wb_fo_tree_free(wb_fo_tree *tree);

/* Builds the tree as a parser reads the document (load/load.h, wb_load_xml_stream), so that
 * no more than a piece of the XML document is in memory at a time: elements whose children
 * are blocks come as start and end (wb_fo_builder_streams says which), the others whole
 * with their content, as does text.  Every function but finish returns false when the
 * building cannot go on (an error on ctx).  wb_fo_builder_finish frees the builder and
 * returns the tree (as wb_fo_tree_new does), or NULL. */
typedef struct wb_fo_builder wb_fo_builder;
wb_fo_builder *wb_fo_builder_new(wb_ctx *ctx, const char *file);
bool wb_fo_builder_streams(const wb_fo_builder *b, xmlNodePtr element);
bool wb_fo_builder_start(wb_fo_builder *b, xmlNodePtr element); /* its attributes, no children yet */
bool wb_fo_builder_node(wb_fo_builder *b, xmlNodePtr node);   /* whole; borrowed for the call */
bool wb_fo_builder_end(wb_fo_builder *b);
wb_fo_tree *wb_fo_builder_finish(wb_fo_builder *builder);

/* The name of an object kind ("block"), for messages. */
const char *wb_fo_kind_name(wb_fo_kind kind);

/* An attribute of the object's element, borrowed from the tree, or NULL. */
const char *wb_fo_attr(const wb_fo *fo, const char *name);
/* The same for an attribute in namespace `ns` (an extension's, such as fox:bleed). */
const char *wb_fo_attr_ns(const wb_fo *fo, const char *ns, const char *name);

/* An extension attribute of the object's element: the attribute `name` in the engine's own
 * namespace (urn:x-workbook:xslt, the styles' wb: prefix), such as "field" for wb:field.
 * Borrowed from the tree, or NULL. */
const char *wb_fo_ext_attr(const wb_fo *fo, const char *name);

/* The source position to report for an object: the course position a style copied onto it
 * or an ancestor (attribute wb:source="file:line:col" in namespace urn:x-workbook:xslt),
 * else the FO file and line.  *file is the caller's to free with free(). */
void wb_fo_position(const wb_fo_tree *tree, const wb_fo *fo, char **file, int *line, int *col);
/* The course position ("file:line:col") a style copied onto the object or its nearest
 * ancestor (wb:source), borrowed from the tree; NULL when none. */
const char *wb_fo_source(const wb_fo *fo);
/* Diagnostics at an object's position (see wb_fo_position).  wb_fo_warning_once says a
 * warning once per key. */
void wb_fo_warning(wb_ctx *ctx, const wb_fo_tree *tree, const wb_fo *fo, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
void wb_fo_warning_once(wb_ctx *ctx, const wb_fo_tree *tree, const wb_fo *fo, const char *key,
                        const char *fmt, ...) __attribute__((format(printf, 5, 6)));
void wb_fo_error(wb_ctx *ctx, const wb_fo_tree *tree, const wb_fo *fo, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* First child of a kind, or NULL. */
wb_fo *wb_fo_child(const wb_fo *fo, wb_fo_kind kind);

/* Resolves a length against a reference length. */
static inline double wb_len_resolve(wb_len l, double ref) { return l.pt + l.pct * ref / 100.0; }

/* Parses a length expression given in an attribute ("10pt + 2mm", "1.5em", "50%"), with
 * font_size for em.  Returns false when it is not a length. */
bool wb_parse_length(const char *s, double font_size, wb_len *out);

/* The URI in an XSL uri-specification ("url('x.png')", "url(x)" or a bare "x"), without
 * the wrapping and quotes.  Caller frees with g_free. */
char *wb_fo_uri(const char *value);

/* Parses a colour ("#1f4e79", "#abc", "red", "rgb(10,20,30)", "transparent"). */
bool wb_parse_color(const char *s, wb_rgba *out);

#endif
