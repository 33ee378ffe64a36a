/* Computed style: an object's style starts from its parent's inherited properties (or the
 * initial values), takes its own attributes in the order of XSL 5.2 (properties.c applies
 * each), then the margins give spaces and indents (XSL 5.3).  Hands fo_style_compute to
 * the tree builder. */
#include "fo/fo-private.h"

#include "context-private.h"

#include <ctype.h>
#include <string.h>

#include <glib.h>


#define XML_NS "http://www.w3.org/XML/1998/namespace"
/* The root's style: the initial values of XSL, and the engine's default font. */
static void init_style(wb_style *s)
{
    memset(s, 0, sizeof *s);
    /* FOP's initial font (Helvetica, for which sans-serif stands: fonts.c), so that FO
     * written for FOP without a font-family is set as there */
    s->font_family = "sans-serif";
    s->font_size = 12;
    s->font_weight = 400;
    s->color = (wb_rgba){0, 0, 0, 1};
    s->line_height_factor = 1.2;
    s->text_align = ALIGN_START;
    s->text_align_last = (wb_align)-1;
    s->hyph_push = 2;
    s->hyph_remain = 2;
    s->ws_collapse = true;
    s->wrap = true;
    s->widows = 2;
    s->orphans = 2;
    s->prov_distance = (wb_len){24, 0, false};
    s->prov_separation = (wb_len){6, 0, false};
    s->leader_pattern = LEADER_SPACE;
    s->leader_length_min = (wb_len){0, 0, false};
    s->leader_length_opt = (wb_len){12, 0, false};
    s->leader_length_max = (wb_len){0, 100, false};
    s->rule_thickness = 1;
    s->rule_style = BORDER_SOLID;
    s->column_count = 1;
    s->column_gap = 12;
    s->width = s->height = s->content_width = s->content_height = (wb_len){0, 0, true};
    s->width_min = s->width_max = (wb_len){0, 0, true};
    for (int i = 0; i < 4; i++)
        s->offset[i] = (wb_len){0, 0, true};
}

/* Non-inherited properties return to their initial values in a child. */
static void reset_non_inherited(wb_style *s)
{
    s->background = (wb_rgba){0, 0, 0, 0};
    s->background_image = NULL;
    s->background_repeat = BG_REPEAT;
    s->background_pos[0] = s->background_pos[1] = (wb_len){0, 0, false};
    memset(&s->space_before, 0, sizeof s->space_before);
    memset(&s->space_after, 0, sizeof s->space_after);
    memset(s->padding, 0, sizeof s->padding);
    memset(s->padding_retain, 0, sizeof s->padding_retain);
    memset(s->border, 0, sizeof s->border);
    memset(s->margin, 0, sizeof s->margin);
    s->keep_with_next = s->keep_with_previous = 0;
    s->break_before = s->break_after = BREAK_AUTO;
    s->width = s->height = s->content_width = s->content_height = (wb_len){0, 0, true};
    s->width_min = s->width_max = (wb_len){0, 0, true};
    s->content_width_fit = s->content_height_fit = false;
    s->underline = s->overline = s->line_through = false;
    s->baseline_shift = 0;
    s->column_count = 1;
    s->column_gap = 12;
    s->span_all = 0;
    s->number_columns_spanned = s->number_rows_spanned = 1;
    s->column_width_proportional = 0;
    s->column_width = (wb_len){0, 0, true};
    s->position = POSITION_AUTO;
    for (int i = 0; i < 4; i++)
        s->offset[i] = (wb_len){0, 0, true};
    /* reference-orientation inherits, but as a turn relative to the parent's: none */
    s->reference_orientation = 0;
    /* keep-together is inherited in XSL, but only within-line inherits in practice: blocks
     * nested in a kept block are kept by their ancestor anyway. */
}

/* Objects whose margins give spaces and indents. */
static bool is_block_level(wb_fo_kind k)
{
    switch (k) {
    case FO_BLOCK: case FO_BLOCK_CONTAINER: case FO_LIST_BLOCK: case FO_LIST_ITEM: case FO_TABLE:
    case FO_TABLE_CELL: case FO_LIST_ITEM_BODY: case FO_LIST_ITEM_LABEL: case FO_TABLE_ROW:
    case FO_STATIC_CONTENT: case FO_FLOW: case FO_FOOTNOTE_BODY:
        return true;
    default:
        return false;
    }
}

/* Strips the white space around a value, which XSL allows.  Returns the value, in *copy
 * when it had to be copied (the caller frees it with g_free). */
static const char *trimmed_value(const char *v, char **copy)
{
    *copy = NULL;
    while (isspace((unsigned char)*v))
        v++;
    size_t vl = strlen(v);
    if (vl && isspace((unsigned char)v[vl - 1])) {
        *copy = g_strndup(v, vl);
        g_strchomp(*copy);
        v = *copy;
    }
    return v;
}

/* The object's own attributes: font-size first, as the em units of every other property
 * depend on it; then the shorthands, the least precise first (border, then border-width or
 * border-top...), then every other property, so that the more precise always wins whatever
 * the order of the attributes (XSL 5.2). */
static void apply_attributes(fo_cascade *c)
{
    wb_style *s = c->fo->style;
    const wb_fo *fo = c->fo;
    for (unsigned i = 0; i < fo->attribute_count; i++) {
        const wb_fo_attribute *a = &fo->attributes[i];
        if (!a->ns && !strcmp(a->name, "font-size") && a->value)
            fo_property_apply(c, fo_property_find("font-size"), "font-size", a->value);
    }
    for (int pass = PASS_WHOLE; pass >= PASS_PROPERTY; pass--) {
        for (unsigned i = 0; i < fo->attribute_count; i++) {
            const wb_fo_attribute *a = &fo->attributes[i];
            const char *n = a->name;
            const char *v = a->value ? a->value : "";
            if (a->ns) {
                if (pass == PASS_PROPERTY && !strcmp(a->ns, XML_NS) && !strcmp(n, "lang"))
                    s->lang = g_string_chunk_insert_const(c->tree->pool->strings, v);
                continue; /* attributes in other namespaces are allowed and ignored */
            }
            if (!strcmp(n, "font-size"))
                continue;
            const prop_desc *d = fo_property_find(n);
            if (fo_property_pass(d, n) != (prop_pass)pass)
                continue;
            char *copy;
            fo_property_apply(c, d, n, trimmed_value(v, &copy));
            g_free(copy);
        }
    }
}

/* Corresponding properties (XSL 5.3): margins give spaces and indents unless those are
 * given themselves. */
static void apply_corresponding(fo_cascade *c)
{
    wb_style *s = c->fo->style;
    const wb_style *p = c->parent;
    if (c->margin_given[SIDE_BEFORE] && !c->space_given[SIDE_BEFORE]) {
        double m = s->margin[SIDE_BEFORE].pt;
        s->space_before = (wb_space){m, m, m, false, 0};
    }
    if (c->margin_given[SIDE_AFTER] && !c->space_given[SIDE_AFTER]) {
        double m = s->margin[SIDE_AFTER].pt;
        s->space_after = (wb_space){m, m, m, false, 0};
    }
    /* XSL 5.3.2: only a margin given on the object changes the indent; without one the
     * indent is inherited and padding and border lie outside the content */
    if (!c->indent_given[SIDE_START] && c->margin_given[SIDE_START]) {
        wb_len m = s->margin[SIDE_START];
        double bw = s->border[SIDE_START].style != BORDER_NONE ? s->border[SIDE_START].width : 0;
        s->start_indent = (wb_len){p->start_indent.pt + m.pt + s->padding[SIDE_START] + bw,
                                   p->start_indent.pct + m.pct, false};
    }
    if (!c->indent_given[SIDE_END] && c->margin_given[SIDE_END]) {
        wb_len m = s->margin[SIDE_END];
        double bw = s->border[SIDE_END].style != BORDER_NONE ? s->border[SIDE_END].width : 0;
        s->end_indent = (wb_len){p->end_indent.pt + m.pt + s->padding[SIDE_END] + bw,
                                 p->end_indent.pct + m.pct, false};
    }
}

/* What a computed style depends on: the parent's style, the list-block's, whether the object
 * is of block level, and its own attributes that are properties (not its id, nor attributes
 * in other namespaces but xml:lang, nor what the formatter reads from the element).  Objects
 * with the same share one style (most objects of
 * a document do, and a style is a kilobyte).  NULL for the root. */
static char *style_inputs(const wb_fo *fo, const wb_style *parent, const wb_style *list_block)
{
    if (!parent)
        return NULL;
    GString *k = g_string_new(NULL);
    g_string_append_printf(k, "%p %p %d", (const void *)parent, (const void *)list_block, is_block_level(fo->kind));
    for (unsigned i = 0; i < fo->attribute_count; i++) {
        const wb_fo_attribute *a = &fo->attributes[i];
        bool lang = a->ns && !strcmp(a->ns, XML_NS) && !strcmp(a->name, "lang");
        if (a->ns && !lang)
            continue;
        /* what the formatter reads from the element itself (ids, references, link targets,
         * image sources) is no part of the style: links and citations share theirs */
        const prop_desc *d = a->ns ? NULL : fo_property_find(a->name);
        if (d && !d->set)
            continue;
        g_string_append_c(k, '\n');
        g_string_append(k, lang ? "xml:lang" : a->name);
        g_string_append_c(k, '=');
        if (a->value)
            g_string_append(k, a->value);
    }
    return g_string_free(k, FALSE);
}

void fo_style_compute(wb_ctx *ctx, wb_fo_tree *tree, wb_fo *fo, const wb_style *list_block)
{
    const wb_style *parent = fo->parent ? fo->parent->style : NULL;
    char *inputs = style_inputs(fo, parent, list_block);
    wb_style *same = inputs ? g_hash_table_lookup(tree->pool->style_of_inputs, inputs) : NULL;
    if (same) {
        fo->style = same;
        g_free(inputs);
        return;
    }
    fo->style = g_new(wb_style, 1);
    g_ptr_array_add(tree->pool->styles, fo->style);
    size_t said = wb_ctx_mark(ctx);
    /* the root's "parent" is the initial style, kept apart from the one being changed */
    wb_style initial;
    if (parent) {
        *fo->style = *parent;
        reset_non_inherited(fo->style);
    } else {
        init_style(fo->style);
        initial = *fo->style;
        parent = &initial;
    }
    fo_cascade c = {.ctx = ctx, .tree = tree, .fo = fo, .parent = parent, .list_block = list_block};
    apply_attributes(&c);
    if (is_block_level(fo->kind))
        apply_corresponding(&c);
    /* shared only when computing it said nothing, so every object still gets its messages */
    if (inputs && wb_ctx_mark(ctx) == said)
        g_hash_table_insert(tree->pool->style_of_inputs, inputs, fo->style);
    else
        g_free(inputs);
}
