/* What the parts of the FO tree share: the tree's string pool, the computation of one
 * object's style (style.c, called by the tree builder in tree.c), the expressions and the
 * parsers of property values (values.c), the property table (properties.c) and the setters
 * of the properties of sides (sides.c).  Private to src/fo. */
#ifndef WB_FO_PRIVATE_H
#define WB_FO_PRIVATE_H

#include <stdbool.h>
#include <stddef.h>

#include <glib.h>

#include "fo/fo.h"

/* Strings the styles point to (font families, languages); freed with the tree. */
struct wb_fo_pool {
    GStringChunk *strings;        /* also the text and the attributes of the objects */
    xmlDocPtr foreign;            /* holds the copies of foreign content (wb_fo.foreign) */
    GPtrArray *foreign_nodes;     /* those copies, freed with the tree */
    GPtrArray *blocks;            /* the objects and their attribute lists (tree.c) */
    size_t block_used;            /* bytes taken of the last block */
    GPtrArray *styles;            /* every computed style, owned (style.c) */
    GHashTable *style_of_inputs;  /* what a style depends on -> that style (style.c) */
};

/* Gives the object's attribute `name` (no namespace) a new value, when it has one (tree.c). */
void fo_set_attr(wb_fo_tree *tree, wb_fo *fo, const char *name, const char *value);

/* ------------------------------------------------------------------ style.c */

/* The computation of one object's style: where messages go, the styles it depends on, and
 * which properties the object gives itself (margins yield spaces and indents only where
 * those are not given: XSL 5.3). */
typedef struct fo_cascade {
    wb_ctx *ctx;
    wb_fo_tree *tree;
    wb_fo *fo;                  /* its style is being computed */
    const wb_style *parent;     /* the parent's style (the initial one for the root) */
    const wb_style *list_block; /* the nearest enclosing list-block's, or NULL */
    bool margin_given[4];       /* by side (SIDE_BEFORE...) */
    bool space_given[4];        /* SIDE_BEFORE and SIDE_AFTER: space-before, space-after */
    bool indent_given[4];       /* SIDE_START and SIDE_END: start-indent, end-indent */
} fo_cascade;

/* Gives `fo` its style: inherited from its parent's (or the initial values for the root),
 * then its own attributes applied.  list_block as in fo_cascade. */
void fo_style_compute(wb_ctx *ctx, wb_fo_tree *tree, wb_fo *fo, const wb_style *list_block);

/* ------------------------------------------------------------------ values.c */

/* The value of an expression: a number (unitless) or a length (pt + pct% of a reference). */
typedef struct fo_value {
    double pt, pct;
    bool is_length;
} fo_value;

/* Evaluates an expression: numbers with units, percentages, + - * div / and parentheses,
 * and the functions label-end(), body-start() (of c->list_block, the nearest list-block's
 * style), from-parent('width') (of c->parent) and proportional-column-width(n), whose n
 * goes to *proportional (0 without it; proportional may be NULL).  c may be NULL: no
 * list-block, no parent.  False when `s` is not a valid expression. */
bool fo_eval(const char *s, double font_size, const fo_cascade *c, fo_value *out,
             double *proportional);

/* Values of properties, parsed for the object c->fo; an invalid one is reported there. */

/* Reports "invalid value v for name (ignored)". */
void fo_report_invalid(fo_cascade *c, const char *name, const char *v);
/* A length, kept relative to the reference area when it holds a percentage (em units are of
 * font size fs).  "auto" gives an automatic length, "inherit" leaves *out.  False, and
 * reported, when v is no length. */
bool fo_length(fo_cascade *c, const char *name, const char *v, wb_len *out, double fs);
/* A length resolved at once (widths of borders, padding, font sizes): percentages are of
 * `ref`.  False for "auto" too, which is not reported here. */
bool fo_length_pt(fo_cascade *c, const char *name, const char *v, double *out, double fs,
                  double ref);

/* A keyword and its value; lists end with a NULL word. */
typedef struct prop_keyword {
    const char *word;
    int value;
} prop_keyword;

/* The value of keyword v in `words`; false when v is none of them. */
bool fo_keyword(const prop_keyword *words, const char *v, int *out);
/* A side (SIDE_BEFORE...) named by the first n characters of s, in writing-mode terms or
 * absolute ones (lr-tb only: top is before); -1 for none. */
int fo_side(const char *s, size_t n);
/* 1-4 values in CSS order (top right bottom left) spread over the sides: out[SIDE_BEFORE]...
 * each for the caller to g_free.  Returns 4, or 0 when v holds no value (out untouched). */
int fo_split_sides(const char *v, char *out[4]);

/* ------------------------------------------------------------------ properties.c */

/* The order in which an object's attributes are applied (XSL 5.2): the broadest shorthands
 * first, so that the more precise always wins whatever the order of the attributes. */
typedef enum {
    PASS_NEVER = -1,   /* a name that is never applied */
    PASS_PROPERTY = 0, /* properties proper, applied last */
    PASS_SIDE = 1,     /* a shorthand for one side: border-top, border-start */
    PASS_ASPECT = 2,   /* a shorthand for one aspect of all sides: border-width */
    PASS_WHOLE = 3,    /* border, margin, padding, font */
    PASS_BY_NAME,      /* a row whose names fall in several passes (see fo_property_pass) */
} prop_pass;

typedef struct prop_desc prop_desc;

/* Applies value v of attribute `name` (found as row d) to c->fo->style, reporting an
 * invalid value itself. */
typedef void prop_setter(fo_cascade *c, const prop_desc *d, const char *name, const char *v);

/* One row of the property table. */
struct prop_desc {
    const char *name;          /* the attribute's name, or the prefix of a family's names */
    prop_pass pass;
    prop_setter *set;          /* NULL: not part of the style (an element attribute) */
    size_t field;              /* the wb_style member the setter writes (FIELD), if generic */
    int arg;                   /* the setter's parameter: a side, a border aspect, a default */
    const prop_keyword *words; /* the keywords of the setters of enumerated values */
};

#define FIELD(member) offsetof(wb_style, member)

/* The member of c->fo->style that row d names. */
static inline void *fo_field(fo_cascade *c, const prop_desc *d)
{
    return (char *)c->fo->style + d->field;
}

/* The row of the property table for an attribute name, or NULL for a name the engine does
 * not know (an unsupported property). */
const prop_desc *fo_property_find(const char *name);
/* The pass in which attribute `name`, found as row `d` (may be NULL), is applied. */
prop_pass fo_property_pass(const prop_desc *d, const char *name);
/* Applies attribute `name`="value" (white space already stripped), found as row `d` (may
 * be NULL), to the style of c->fo.  Invalid values and unsupported properties are reported
 * as warnings and otherwise ignored. */
void fo_property_apply(fo_cascade *c, const prop_desc *d, const char *name, const char *value);

/* Whether the table is sorted by name, as its binary search needs (for the unit tests). */
bool fo_property_table_is_sorted(void);

/* ------------------------------------------------------------------ sides.c */

/* The setters of the properties of an area's sides, rows of the table in properties.c. */

/* border-style's keywords (rule-style's too). */
extern const prop_keyword fo_border_style_words[];
/* The aspects of a border: the arg of fo_set_border_aspects. */
enum { ASPECT_WIDTH, ASPECT_STYLE, ASPECT_COLOR };

prop_setter fo_set_indent;          /* start-indent, end-indent (arg: the side) */
prop_setter fo_set_margins;         /* margin */
prop_setter fo_set_margin_side;     /* the family margin-SIDE */
prop_setter fo_set_space;           /* the families space-before, space-after (arg: side) */
prop_setter fo_set_paddings;        /* padding */
prop_setter fo_set_padding_side;    /* the family padding-SIDE[.component] */
prop_setter fo_set_border;          /* border */
prop_setter fo_set_border_aspects;  /* border-width, border-style, border-color (arg) */
prop_setter fo_set_border_side;     /* the family border-SIDE[-ASPECT[.component]] */
prop_setter fo_set_border_separation; /* the family border-separation, and border-spacing */

/* The kind of an FO element by its local name (kinds.c); FO_UNKNOWN when none. */
wb_fo_kind fo_kind_of(const char *name);

#endif
