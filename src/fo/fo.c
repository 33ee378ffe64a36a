/* The FO tree: recognise objects, compute properties.  See fo.h for the contract. */
#include "fo/fo.h"

#include <ctype.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "context-private.h"

struct wb_fo_pool {
    GStringChunk *strings;
};

static const char *const kind_names[FO_KIND_COUNT] = {
    [FO_UNKNOWN] = "?",
    [FO_TEXT] = "#text",
    [FO_ROOT] = "root",
    [FO_LAYOUT_MASTER_SET] = "layout-master-set",
    [FO_SIMPLE_PAGE_MASTER] = "simple-page-master",
    [FO_REGION_BODY] = "region-body",
    [FO_REGION_BEFORE] = "region-before",
    [FO_REGION_AFTER] = "region-after",
    [FO_REGION_START] = "region-start",
    [FO_REGION_END] = "region-end",
    [FO_PAGE_SEQUENCE_MASTER] = "page-sequence-master",
    [FO_SINGLE_PAGE_MASTER_REFERENCE] = "single-page-master-reference",
    [FO_REPEATABLE_PAGE_MASTER_REFERENCE] = "repeatable-page-master-reference",
    [FO_REPEATABLE_PAGE_MASTER_ALTERNATIVES] = "repeatable-page-master-alternatives",
    [FO_CONDITIONAL_PAGE_MASTER_REFERENCE] = "conditional-page-master-reference",
    [FO_DECLARATIONS] = "declarations",
    [FO_PAGE_SEQUENCE] = "page-sequence",
    [FO_TITLE] = "title",
    [FO_STATIC_CONTENT] = "static-content",
    [FO_FLOW] = "flow",
    [FO_BLOCK] = "block",
    [FO_BLOCK_CONTAINER] = "block-container",
    [FO_INLINE] = "inline",
    [FO_WRAPPER] = "wrapper",
    [FO_BASIC_LINK] = "basic-link",
    [FO_PAGE_NUMBER] = "page-number",
    [FO_PAGE_NUMBER_CITATION] = "page-number-citation",
    [FO_PAGE_NUMBER_CITATION_LAST] = "page-number-citation-last",
    [FO_LEADER] = "leader",
    [FO_LIST_BLOCK] = "list-block",
    [FO_LIST_ITEM] = "list-item",
    [FO_LIST_ITEM_LABEL] = "list-item-label",
    [FO_LIST_ITEM_BODY] = "list-item-body",
    [FO_TABLE] = "table",
    [FO_TABLE_COLUMN] = "table-column",
    [FO_TABLE_HEADER] = "table-header",
    [FO_TABLE_FOOTER] = "table-footer",
    [FO_TABLE_BODY] = "table-body",
    [FO_TABLE_ROW] = "table-row",
    [FO_TABLE_CELL] = "table-cell",
    [FO_EXTERNAL_GRAPHIC] = "external-graphic",
    [FO_INSTREAM_FOREIGN_OBJECT] = "instream-foreign-object",
    [FO_MARKER] = "marker",
    [FO_RETRIEVE_MARKER] = "retrieve-marker",
    [FO_FOOTNOTE] = "footnote",
    [FO_FOOTNOTE_BODY] = "footnote-body",
    [FO_BOOKMARK_TREE] = "bookmark-tree",
    [FO_BOOKMARK] = "bookmark",
    [FO_BOOKMARK_TITLE] = "bookmark-title",
};

const char *wb_fo_kind_name(wb_fo_kind kind)
{
    return kind < FO_KIND_COUNT && kind_names[kind] ? kind_names[kind] : "?";
}

static wb_fo_kind kind_of(const char *name)
{
    for (int k = FO_ROOT; k < FO_KIND_COUNT; k++)
        if (strcmp(kind_names[k], name) == 0)
            return (wb_fo_kind)k;
    return FO_UNKNOWN;
}

const char *wb_fo_attr(const wb_fo *fo, const char *name)
{
    if (!fo->node || fo->node->type != XML_ELEMENT_NODE)
        return NULL;
    for (xmlAttrPtr a = fo->node->properties; a; a = a->next)
        if (!a->ns && strcmp((const char *)a->name, name) == 0 && a->children &&
            a->children->type == XML_TEXT_NODE)
            return (const char *)a->children->content;
    return NULL;
}

#define WB_XSLT_NS "urn:x-workbook:xslt"

void wb_fo_position(const wb_fo_tree *tree, const wb_fo *fo, char **file, int *line, int *col)
{
    for (const wb_fo *a = fo; a; a = a->parent) {
        if (!a->node || a->node->type != XML_ELEMENT_NODE)
            continue;
        xmlChar *src = xmlGetNsProp(a->node, BAD_CAST "source", BAD_CAST WB_XSLT_NS);
        if (!src)
            continue;
        /* "file:line:col"; the file itself may hold colons */
        char *s = (char *)src;
        char *c2 = strrchr(s, ':');
        char *c1 = NULL;
        if (c2) {
            *c2 = 0;
            c1 = strrchr(s, ':');
        }
        if (c1 && c2) {
            *c1 = 0;
            *file = strdup(s);
            *line = atoi(c1 + 1);
            *col = atoi(c2 + 1);
            xmlFree(src);
            return;
        }
        xmlFree(src);
    }
    *file = tree && tree->file ? strdup(tree->file) : NULL;
    *line = fo ? fo->line : 0;
    *col = 0;
}

static void fo_diag(wb_ctx *ctx, const wb_fo_tree *tree, const wb_fo *fo, int kind, const char *key,
                    const char *fmt, va_list ap)
{
    char *file;
    int line, col;
    wb_fo_position(tree, fo, &file, &line, &col);
    char *msg = g_strdup_vprintf(fmt, ap);
    if (kind == 2)
        wb_error(ctx, WB_ERR_INPUT, file, line, col, "%s", msg);
    else if (kind == 1)
        wb_warning_once(ctx, key, file, line, col, "%s", msg);
    else
        wb_warning(ctx, file, line, col, "%s", msg);
    g_free(msg);
    free(file);
}

void wb_fo_warning(wb_ctx *ctx, const wb_fo_tree *tree, const wb_fo *fo, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fo_diag(ctx, tree, fo, 0, NULL, fmt, ap);
    va_end(ap);
}

void wb_fo_warning_once(wb_ctx *ctx, const wb_fo_tree *tree, const wb_fo *fo, const char *key,
                        const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fo_diag(ctx, tree, fo, 1, key, fmt, ap);
    va_end(ap);
}

void wb_fo_error(wb_ctx *ctx, const wb_fo_tree *tree, const wb_fo *fo, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fo_diag(ctx, tree, fo, 2, NULL, fmt, ap);
    va_end(ap);
}

wb_fo *wb_fo_child(const wb_fo *fo, wb_fo_kind kind)
{
    for (wb_fo *c = fo->first; c; c = c->next)
        if (c->kind == kind)
            return c;
    return NULL;
}

/* ------------------------------------------------------------------ values */

static const struct {
    const char *name;
    unsigned rgb;
} named_colors[] = {
    {"black", 0x000000},   {"silver", 0xc0c0c0}, {"gray", 0x808080},    {"grey", 0x808080},
    {"white", 0xffffff},   {"maroon", 0x800000}, {"red", 0xff0000},     {"purple", 0x800080},
    {"fuchsia", 0xff00ff}, {"green", 0x008000},  {"lime", 0x00ff00},    {"olive", 0x808000},
    {"yellow", 0xffff00},  {"navy", 0x000080},   {"blue", 0x0000ff},    {"teal", 0x008080},
    {"aqua", 0x00ffff},    {"orange", 0xffa500}, {"darkgray", 0xa9a9a9}, {"lightgray", 0xd3d3d3},
    {"darkblue", 0x00008b}, {"darkred", 0x8b0000}, {"darkgreen", 0x006400},
};

char *wb_fo_uri(const char *value)
{
    const char *s = value;
    while (*s == ' ')
        s++;
    char *v;
    if (!strncmp(s, "url(", 4)) {
        s += 4;
        const char *e = strrchr(s, ')');
        v = g_strndup(s, e ? (gsize)(e - s) : strlen(s));
        g_strstrip(v);
        size_t n = strlen(v);
        if (n >= 2 && (v[0] == '\'' || v[0] == '"') && v[n - 1] == v[0]) {
            memmove(v, v + 1, n - 2);
            v[n - 2] = 0;
        }
    } else {
        v = g_strstrip(g_strdup(s));
    }
    return v;
}

bool wb_parse_color(const char *s, wb_rgba *out)
{
    while (isspace((unsigned char)*s))
        s++;
    if (strcmp(s, "transparent") == 0 || strcmp(s, "none") == 0) {
        *out = (wb_rgba){0, 0, 0, 0};
        return true;
    }
    if (s[0] == '#') {
        size_t n = strspn(s + 1, "0123456789abcdefABCDEF");
        if (s[1 + n] && !isspace((unsigned char)s[1 + n]))
            return false;
        unsigned v = (unsigned)strtoul(s + 1, NULL, 16);
        if (n == 3) {
            unsigned r = (v >> 8) & 15, g = (v >> 4) & 15, b = v & 15;
            *out = (wb_rgba){r * 17 / 255.0, g * 17 / 255.0, b * 17 / 255.0, 1};
            return true;
        }
        if (n == 6) {
            *out = (wb_rgba){((v >> 16) & 255) / 255.0, ((v >> 8) & 255) / 255.0,
                             (v & 255) / 255.0, 1};
            return true;
        }
        return false;
    }
    int r, g, b;
    if (sscanf(s, "rgb(%d ,%d ,%d )", &r, &g, &b) == 3 || sscanf(s, "rgb(%d,%d,%d)", &r, &g, &b) == 3) {
        *out = (wb_rgba){CLAMP(r, 0, 255) / 255.0, CLAMP(g, 0, 255) / 255.0,
                         CLAMP(b, 0, 255) / 255.0, 1};
        return true;
    }
    for (size_t i = 0; i < G_N_ELEMENTS(named_colors); i++)
        if (g_ascii_strcasecmp(s, named_colors[i].name) == 0) {
            unsigned v = named_colors[i].rgb;
            *out = (wb_rgba){((v >> 16) & 255) / 255.0, ((v >> 8) & 255) / 255.0,
                             (v & 255) / 255.0, 1};
            return true;
        }
    return false;
}

/* Expressions: numbers with units, percentages, + - * / and parentheses, and the list
 * functions.  A value is a number (unitless) or a length (pt + pct). */
typedef struct value {
    double pt, pct;
    bool is_length;
} value;

typedef struct expr {
    const char *p;
    double font_size;
    const wb_style *list_block; /* nearest list-block, for label-end() and body-start() */
    bool ok;
    double proportional; /* proportional-column-width(n) seen: n */
} expr;

static void skip_ws(expr *e)
{
    while (isspace((unsigned char)*e->p))
        e->p++;
}

static value parse_sum(expr *e);

static double unit_factor(const char *u, size_t n, double font_size, bool *ok)
{
    *ok = true;
    if (n == 2 && !strncmp(u, "pt", 2)) return 1;
    if (n == 2 && !strncmp(u, "pc", 2)) return 12;
    if (n == 2 && !strncmp(u, "mm", 2)) return 72 / 25.4;
    if (n == 2 && !strncmp(u, "cm", 2)) return 72 / 2.54;
    if (n == 2 && !strncmp(u, "in", 2)) return 72;
    if (n == 2 && !strncmp(u, "px", 2)) return 72.0 / 96.0;
    if (n == 2 && !strncmp(u, "em", 2)) return font_size;
    *ok = false;
    return 0;
}

static value parse_primary(expr *e)
{
    skip_ws(e);
    value v = {0, 0, false};
    if (*e->p == '(') {
        e->p++;
        v = parse_sum(e);
        skip_ws(e);
        if (*e->p == ')')
            e->p++;
        else
            e->ok = false;
        return v;
    }
    if (*e->p == '-' || *e->p == '+') {
        bool neg = *e->p == '-';
        e->p++;
        v = parse_primary(e);
        if (neg) {
            v.pt = -v.pt;
            v.pct = -v.pct;
        }
        return v;
    }
    if (isdigit((unsigned char)*e->p) || *e->p == '.') {
        char *end;
        double n = strtod(e->p, &end);
        if (end == e->p) {
            e->ok = false;
            return v;
        }
        e->p = end;
        if (*e->p == '%') {
            e->p++;
            v.pct = n;
            v.is_length = true;
            return v;
        }
        const char *u = e->p;
        while (isalpha((unsigned char)*e->p))
            e->p++;
        size_t ul = (size_t)(e->p - u);
        if (ul == 0) {
            v.pt = n;
            return v;
        }
        bool ok;
        double f = unit_factor(u, ul, e->font_size, &ok);
        if (!ok)
            e->ok = false;
        v.pt = n * f;
        v.is_length = true;
        return v;
    }
    if (isalpha((unsigned char)*e->p)) {
        const char *name = e->p;
        while (isalnum((unsigned char)*e->p) || *e->p == '-')
            e->p++;
        size_t nl = (size_t)(e->p - name);
        skip_ws(e);
        if (*e->p != '(') {
            e->ok = false;
            return v;
        }
        e->p++;
        skip_ws(e);
        value arg = {0, 0, false};
        bool has_arg = *e->p != ')';
        if (has_arg)
            arg = parse_sum(e);
        skip_ws(e);
        if (*e->p == ')')
            e->p++;
        else
            e->ok = false;
        const wb_style *lb = e->list_block;
        if (nl == 9 && !strncmp(name, "label-end", 9)) {
            /* label-end() = ref width - (start-indent + distance - separation), as an end indent */
            v.is_length = true;
            v.pct = 100;
            if (lb) {
                v.pt = -(lb->start_indent.pt + lb->prov_distance.pt - lb->prov_separation.pt);
                v.pct -= lb->start_indent.pct + lb->prov_distance.pct - lb->prov_separation.pct;
            }
        } else if (nl == 10 && !strncmp(name, "body-start", 10)) {
            v.is_length = true;
            if (lb) {
                v.pt = lb->start_indent.pt + lb->prov_distance.pt;
                v.pct = lb->start_indent.pct + lb->prov_distance.pct;
            }
        } else if (nl == 25 && !strncmp(name, "proportional-column-width", 25)) {
            e->proportional = has_arg ? arg.pt : 1;
            v.is_length = true; /* resolved by the table layout */
        } else {
            e->ok = false;
        }
        return v;
    }
    e->ok = false;
    return v;
}

static value parse_product(expr *e)
{
    value v = parse_primary(e);
    for (;;) {
        skip_ws(e);
        char op = *e->p;
        if (op != '*' && op != '/' && !(op == 'd' && !strncmp(e->p, "div", 3)))
            return v;
        e->p += op == 'd' ? 3 : 1;
        value r = parse_primary(e);
        if (op == '*') {
            if (v.is_length && r.is_length)
                e->ok = false;
            double k = v.is_length ? r.pt : v.pt;
            value base = v.is_length ? v : r;
            v = (value){base.pt * k, base.pct * k, base.is_length};
        } else {
            if (r.is_length || r.pt == 0) {
                e->ok = false;
                return v;
            }
            v.pt /= r.pt;
            v.pct /= r.pt;
        }
    }
}

static value parse_sum(expr *e)
{
    value v = parse_product(e);
    for (;;) {
        skip_ws(e);
        char op = *e->p;
        if (op != '+' && op != '-')
            return v;
        e->p++;
        value r = parse_product(e);
        if (r.is_length != v.is_length && (r.pt != 0 || r.pct != 0) && (v.pt != 0 || v.pct != 0))
            e->ok = false;
        double s = op == '+' ? 1 : -1;
        v.pt += s * r.pt;
        v.pct += s * r.pct;
        v.is_length = v.is_length || r.is_length;
    }
}

static bool eval(const char *s, double font_size, const wb_style *list_block, value *out,
                 double *proportional)
{
    expr e = {s, font_size, list_block, true, 0};
    *out = parse_sum(&e);
    skip_ws(&e);
    if (*e.p)
        e.ok = false;
    if (proportional)
        *proportional = e.proportional;
    return e.ok;
}

bool wb_parse_length(const char *s, double font_size, wb_len *out)
{
    value v;
    if (!eval(s, font_size, NULL, &v, NULL))
        return false;
    if (!v.is_length && v.pt != 0)
        return false;
    *out = (wb_len){v.pt, v.pct, false};
    return true;
}

/* ------------------------------------------------------------------ properties */

typedef struct prop_ctx {
    wb_ctx *ctx;
    wb_fo_tree *tree;
    wb_fo *fo;
    const wb_style *parent;
    const wb_style *list_block;
    bool space_before_set, space_after_set, start_indent_set, end_indent_set;
    bool margin_set[4];
} prop_ctx;

static void bad_value(prop_ctx *pc, const char *name, const char *v)
{
    wb_fo_warning(pc->ctx, pc->tree, pc->fo,
               "fo:%s: invalid value \"%s\" for %s (ignored)", wb_fo_kind_name(pc->fo->kind), v,
               name);
}

static bool length_prop(prop_ctx *pc, const char *name, const char *v, wb_len *out, double fs)
{
    if (strcmp(v, "auto") == 0) {
        *out = (wb_len){0, 0, true};
        return true;
    }
    if (strcmp(v, "inherit") == 0)
        return true;
    value x;
    double prop = 0;
    if (!eval(v, fs, pc->list_block, &x, &prop) || (!x.is_length && x.pt != 0 && prop == 0)) {
        bad_value(pc, name, v);
        return false;
    }
    *out = (wb_len){x.pt, x.pct, false};
    return true;
}

/* A length resolved at once (widths of borders, padding, font sizes): percentages of `ref`. */
static bool abs_length(prop_ctx *pc, const char *name, const char *v, double *out, double fs,
                       double ref)
{
    wb_len l;
    if (!length_prop(pc, name, v, &l, fs))
        return false;
    if (l.is_auto)
        return false;
    *out = wb_len_resolve(l, ref);
    return true;
}

static int keyword(const char *v, const char *const *words, int fallback)
{
    for (int i = 0; words[i]; i++)
        if (strcmp(v, words[i]) == 0)
            return i;
    return fallback;
}

static bool border_style_of(const char *v, wb_border_style *out)
{
    static const char *const w[] = {"none", "solid", "dashed", "dotted", "double", "hidden",
                                    "groove", "ridge", "inset", "outset", NULL};
    int k = keyword(v, w, -1);
    if (k < 0)
        return false;
    *out = k == 5 ? BORDER_NONE : k > 5 ? BORDER_SOLID : (wb_border_style)k;
    return true;
}

static bool border_width_of(prop_ctx *pc, const char *v, double *out)
{
    if (!strcmp(v, "thin")) *out = 0.5;
    else if (!strcmp(v, "medium")) *out = 1;
    else if (!strcmp(v, "thick")) *out = 2;
    else {
        wb_len l;
        if (!wb_parse_length(v, pc->fo->style->font_size, &l))
            return false;
        *out = l.pt;
    }
    return true;
}

/* "border: 0.5pt solid #888" and friends: tokens in any order. */
static void border_shorthand(prop_ctx *pc, const char *name, const char *v, int side_mask)
{
    wb_style *s = pc->fo->style;
    double width = -1;
    wb_border_style style = BORDER_NONE;
    bool have_style = false;
    wb_rgba color = s->color;
    gchar **tok = g_strsplit_set(v, " \t\n", -1);
    bool ok = true;
    for (int i = 0; tok[i]; i++) {
        if (!*tok[i])
            continue;
        wb_border_style bs;
        double w;
        wb_rgba c;
        if (border_style_of(tok[i], &bs)) {
            style = bs;
            have_style = true;
        } else if (border_width_of(pc, tok[i], &w)) {
            width = w;
        } else if (wb_parse_color(tok[i], &c)) {
            color = c;
        } else {
            ok = false;
        }
    }
    g_strfreev(tok);
    if (!ok) {
        bad_value(pc, name, v);
        return;
    }
    for (int side = 0; side < 4; side++) {
        if (!(side_mask & (1 << side)))
            continue;
        s->border[side].style = have_style ? style : BORDER_NONE;
        s->border[side].width = width >= 0 ? width : 1;
        s->border[side].color = color;
    }
}

/* 1-4 values in CSS order top right bottom left -> before end after start. */
static int split4(const char *v, char *out[4])
{
    gchar **tok = g_strsplit_set(v, " \t\n", -1);
    int n = 0;
    for (int i = 0; tok[i] && n < 4; i++)
        if (*tok[i])
            out[n++] = g_strdup(tok[i]);
    g_strfreev(tok);
    if (n == 0)
        return 0;
    /* CSS order: top right bottom left */
    char *top = out[0], *right = n > 1 ? out[1] : top, *bottom = n > 2 ? out[2] : top,
         *left = n > 3 ? out[3] : right;
    char *res[4] = {g_strdup(top), g_strdup(bottom), g_strdup(left), g_strdup(right)};
    for (int i = 0; i < n; i++)
        g_free(out[i]);
    for (int i = 0; i < 4; i++)
        out[i] = res[i];
    return 4;
}

static int side_of(const char *s)
{
    if (!strcmp(s, "top") || !strcmp(s, "before")) return SIDE_BEFORE;
    if (!strcmp(s, "bottom") || !strcmp(s, "after")) return SIDE_AFTER;
    if (!strcmp(s, "left") || !strcmp(s, "start")) return SIDE_START;
    if (!strcmp(s, "right") || !strcmp(s, "end")) return SIDE_END;
    return -1;
}

static int keep_value(const char *v)
{
    if (!strcmp(v, "auto")) return WB_KEEP_AUTO;
    if (!strcmp(v, "always")) return WB_KEEP_ALWAYS;
    char *end;
    long n = strtol(v, &end, 10);
    if (*end || n < 0)
        return -1;
    return n > 999 ? 999 : (int)n;
}

static void set_space(prop_ctx *pc, const char *name, const char *sub, const char *v, wb_space *sp)
{
    double fs = pc->fo->style->font_size;
    if (!sub) {
        wb_len l;
        if (!length_prop(pc, name, v, &l, fs))
            return;
        sp->min = sp->opt = sp->max = l.pt;
        return;
    }
    if (!strcmp(sub, "conditionality")) {
        sp->retain = !strcmp(v, "retain");
        return;
    }
    if (!strcmp(sub, "precedence")) {
        sp->precedence = !strcmp(v, "force") ? INT_MAX : atoi(v);
        return;
    }
    wb_len l;
    if (!length_prop(pc, name, v, &l, fs))
        return;
    if (!strcmp(sub, "minimum")) sp->min = l.pt;
    else if (!strcmp(sub, "optimum")) sp->opt = l.pt;
    else if (!strcmp(sub, "maximum")) sp->max = l.pt;
    else bad_value(pc, name, v);
}

static wb_align align_of(const char *v, bool *ok)
{
    static const char *const w[] = {"start", "center", "end", "justify", "inside", "outside",
                                    "left", "right", "centered", NULL};
    int k = keyword(v, w, -1);
    *ok = k >= 0;
    if (k == 6) return ALIGN_START;
    if (k == 7) return ALIGN_END;
    if (k == 8) return ALIGN_CENTER;
    return k < 0 ? ALIGN_START : (wb_align)k;
}

/* Attributes that are not properties of the style but read by the formatter from the
 * element itself (master names, references, page-sequence numbering...). */
static bool is_structural_attr(const char *n)
{
    static const char *const names[] = {
        "master-name", "master-reference", "flow-name", "region-name", "page-width", "page-height",
        "extent", "precedence", "initial-page-number", "force-page-count", "format",
        "letter-value", "grouping-separator", "grouping-size", "src", "content-type", "ref-id",
        "internal-destination", "external-destination", "show-destination", "marker-class-name",
        "retrieve-class-name", "retrieve-position", "retrieve-boundary", "maximum-repeats",
        "odd-or-even", "page-position", "blank-or-not-blank", "starting-state", "column-number",
        "number-columns-repeated", "role", "source-document", "id", "scaling", "table-layout",
        "table-omit-header-at-break", "table-omit-footer-at-break", "reference-orientation",
        "writing-mode", "overflow", "scaling-method", "destination-placement-offset",
        "indicate-destination", "target-processing-context", "target-presentation-context",
        "target-stylesheet", "country", "script", "empty-cells", "ends-row", "starts-row",
        "relative-position", "absolute-position", "text-altitude", "text-depth",
        "alignment-baseline", "dominant-baseline", "alignment-adjust", "clear", "float",
        "intrusion-displace", "z-index", "visibility", "clip", "page-break-inside",
        "hyphenation-ladder-count", "hyphenation-keep", "hyphenation-character",
        "font-selection-strategy", "font-stretch", "font-size-adjust", "line-stacking-strategy",
        "line-height-shift-adjustment", "text-shadow", "text-transform", "unicode-bidi",
        "direction", "glyph-orientation-horizontal", "glyph-orientation-vertical",
        "auto-restore", "fox:alt-text", "text-align-last", NULL};
    for (int i = 0; names[i]; i++)
        if (!strcmp(n, names[i]))
            return true;
    return false;
}

/* Properties that have no effect in this engine yet but are harmless to ignore silently
 * because the formatter's default matches what styles expect. */

static void apply_property(prop_ctx *pc, const char *name, const char *v, bool shorthand_pass)
{
    wb_style *s = pc->fo->style;
    const wb_style *p = pc->parent;
    double fs = s->font_size;
    bool is_shorthand = !strcmp(name, "margin") || !strcmp(name, "padding") ||
                        !strcmp(name, "border") || !strncmp(name, "border-", 7) ||
                        !strcmp(name, "font");
    /* border-top-width etc. are not shorthands */
    if (!strncmp(name, "border-", 7) && (g_str_has_suffix(name, "-width") ||
                                         g_str_has_suffix(name, "-style") ||
                                         g_str_has_suffix(name, "-color")) &&
        strcmp(name, "border-width") && strcmp(name, "border-style") && strcmp(name, "border-color"))
        is_shorthand = false;
    if (!strcmp(name, "border-collapse") || !strcmp(name, "border-separation") ||
        !strncmp(name, "border-separation.", 18) || !strcmp(name, "border-spacing"))
        is_shorthand = false;
    if (is_shorthand != shorthand_pass)
        return;
    if (!strcmp(v, "inherit"))
        return; /* inherited values are already there; non-inherited ones are rare */

    bool ok = true;
    char *parts[4];
    if (!strcmp(name, "font-size")) {
        static const struct { const char *k; double pt; } sizes[] = {
            {"xx-small", 7}, {"x-small", 8}, {"small", 10}, {"medium", 12},
            {"large", 14},   {"x-large", 17}, {"xx-large", 20}};
        for (size_t i = 0; i < G_N_ELEMENTS(sizes); i++)
            if (!strcmp(v, sizes[i].k)) {
                s->font_size = sizes[i].pt;
                return;
            }
        if (!strcmp(v, "larger")) s->font_size = p->font_size * 1.2;
        else if (!strcmp(v, "smaller")) s->font_size = p->font_size / 1.2;
        else {
            double x;
            if (abs_length(pc, name, v, &x, p->font_size, p->font_size) && x > 0)
                s->font_size = x;
        }
    } else if (!strcmp(name, "font-family")) {
        /* pango takes a comma-separated family list; quotes are XSL's, not pango's */
        GString *f = g_string_new(NULL);
        for (const char *c = v; *c; c++)
            if (*c != '\'' && *c != '"')
                g_string_append_c(f, *c);
        s->font_family = g_string_chunk_insert_const(pc->tree->pool->strings, f->str);
        g_string_free(f, TRUE);
    } else if (!strcmp(name, "font-weight")) {
        if (!strcmp(v, "normal")) s->font_weight = 400;
        else if (!strcmp(v, "bold")) s->font_weight = 700;
        else if (!strcmp(v, "bolder")) s->font_weight = MIN(900, p->font_weight + 300);
        else if (!strcmp(v, "lighter")) s->font_weight = MAX(100, p->font_weight - 300);
        else if (atoi(v) >= 100 && atoi(v) <= 900) s->font_weight = atoi(v);
        else ok = false;
    } else if (!strcmp(name, "font-style")) {
        if (!strcmp(v, "italic") || !strcmp(v, "oblique")) s->italic = true;
        else if (!strcmp(v, "normal")) s->italic = false;
        else ok = false;
    } else if (!strcmp(name, "font-variant")) {
        if (!strcmp(v, "small-caps")) s->small_caps = true;
        else if (!strcmp(v, "normal")) s->small_caps = false;
        else ok = false;
    } else if (!strcmp(name, "color")) {
        ok = wb_parse_color(v, &s->color);
    } else if (!strcmp(name, "background-color")) {
        ok = wb_parse_color(v, &s->background);
    } else if (!strcmp(name, "line-height")) {
        if (!strcmp(v, "normal")) {
            s->line_height_factor = 1.2;
        } else {
            value x;
            if (eval(v, fs, NULL, &x, NULL)) {
                if (x.is_length) {
                    s->line_height = x.pt + x.pct * fs / 100;
                    s->line_height_factor = 0;
                } else {
                    s->line_height_factor = x.pt;
                }
            } else {
                ok = false;
            }
        }
    } else if (!strcmp(name, "text-align")) {
        s->text_align = align_of(v, &ok);
    } else if (!strcmp(name, "text-align-last")) {
        if (!strcmp(v, "relative")) s->text_align_last = (wb_align)-1;
        else s->text_align_last = align_of(v, &ok);
    } else if (!strcmp(name, "text-indent")) {
        ok = length_prop(pc, name, v, &s->text_indent, fs);
        return;
    } else if (!strcmp(name, "last-line-end-indent")) {
        length_prop(pc, name, v, &s->last_line_end_indent, fs);
        return;
    } else if (!strcmp(name, "start-indent")) {
        if (length_prop(pc, name, v, &s->start_indent, fs))
            pc->start_indent_set = true;
        return;
    } else if (!strcmp(name, "end-indent")) {
        if (length_prop(pc, name, v, &s->end_indent, fs))
            pc->end_indent_set = true;
        return;
    } else if (!strncmp(name, "margin", 6)) {
        if (!strcmp(name, "margin")) {
            if (split4(v, parts) != 4) {
                ok = false;
            } else {
                for (int i = 0; i < 4; i++) {
                    if (length_prop(pc, name, parts[i], &s->margin[i], fs))
                        pc->margin_set[i] = true;
                    g_free(parts[i]);
                }
            }
        } else {
            int side = name[6] == '-' ? side_of(name + 7) : -1;
            if (side < 0) ok = false;
            else if (length_prop(pc, name, v, &s->margin[side], fs))
                pc->margin_set[side] = true;
            if (side >= 0)
                return;
        }
    } else if (!strncmp(name, "space-before", 12) || !strncmp(name, "space-after", 11)) {
        bool before = name[6] == 'b';
        const char *rest = name + (before ? 12 : 11);
        const char *sub = *rest == '.' ? rest + 1 : NULL;
        if (*rest && !sub) {
            ok = false;
        } else {
            set_space(pc, name, sub, v, before ? &s->space_before : &s->space_after);
            if (before) pc->space_before_set = true;
            else pc->space_after_set = true;
            return;
        }
    } else if (!strcmp(name, "padding")) {
        if (split4(v, parts) != 4) {
            ok = false;
        } else {
            for (int i = 0; i < 4; i++) {
                abs_length(pc, name, parts[i], &s->padding[i], fs, 0);
                g_free(parts[i]);
            }
        }
    } else if (!strncmp(name, "padding-", 8)) {
        const char *side_name = name + 8;
        char buf[16];
        snprintf(buf, sizeof buf, "%s", side_name);
        char *dot = strchr(buf, '.');
        if (dot) *dot = 0; /* .length / .conditionality: the length is what matters here */
        int side = side_of(buf);
        if (side < 0) ok = false;
        else if (!dot || !strcmp(dot + 1, "length")) abs_length(pc, name, v, &s->padding[side], fs, 0);
        if (side >= 0)
            return;
    } else if (!strcmp(name, "border")) {
        border_shorthand(pc, name, v, 15);
    } else if (!strcmp(name, "border-width") || !strcmp(name, "border-style") ||
               !strcmp(name, "border-color")) {
        if (split4(v, parts) != 4) {
            ok = false;
        } else {
            for (int i = 0; i < 4; i++) {
                if (name[7] == 'w') { if (!border_width_of(pc, parts[i], &s->border[i].width)) ok = false; }
                else if (name[7] == 's') { if (!border_style_of(parts[i], &s->border[i].style)) ok = false; }
                else if (!wb_parse_color(parts[i], &s->border[i].color)) ok = false;
                g_free(parts[i]);
            }
        }
    } else if (!strncmp(name, "border-", 7) && strcmp(name, "border-collapse") &&
               strncmp(name, "border-separation", 17) && strcmp(name, "border-spacing")) {
        /* border-top, border-before, border-top-width, border-start-color... */
        char buf[32];
        snprintf(buf, sizeof buf, "%s", name + 7);
        char *dash = strchr(buf, '-');
        const char *what = NULL;
        if (dash) {
            *dash = 0;
            what = dash + 1;
        }
        int side = side_of(buf);
        if (side < 0) {
            ok = false;
        } else if (!what) {
            border_shorthand(pc, name, v, 1 << side);
        } else {
            char wbuf[32];
            snprintf(wbuf, sizeof wbuf, "%s", what);
            char *dot = strchr(wbuf, '.');
            if (dot) *dot = 0;
            if (!strcmp(wbuf, "width")) ok = border_width_of(pc, v, &s->border[side].width);
            else if (!strcmp(wbuf, "style")) ok = border_style_of(v, &s->border[side].style);
            else if (!strcmp(wbuf, "color")) ok = wb_parse_color(v, &s->border[side].color);
            else ok = false;
        }
    } else if (!strcmp(name, "border-collapse")) {
        s->border_collapse = strcmp(v, "separate") != 0;
    } else if (!strncmp(name, "border-separation", 17) || !strcmp(name, "border-spacing")) {
        /* one length for both directions, or inline then block */
        const char *sub = strchr(name, '.');
        gchar **tok = g_strsplit_set(v, " \t", -1);
        double vals[2] = {0, 0};
        int n = 0;
        for (int i = 0; tok[i] && n < 2; i++)
            if (*tok[i] && abs_length(pc, name, tok[i], &vals[n], fs, 0))
                n++;
        g_strfreev(tok);
        if (n == 0) {
            ok = false;
        } else if (sub && !strncmp(sub + 1, "inline", 6)) {
            s->sep_inline = vals[0];
        } else if (sub && !strncmp(sub + 1, "block", 5)) {
            s->sep_block = vals[0];
        } else {
            s->sep_inline = vals[0];
            s->sep_block = n > 1 ? vals[1] : vals[0];
        }
    } else if (!strcmp(name, "keep-together") || !strcmp(name, "keep-together.within-page") ||
               !strcmp(name, "keep-together.within-column") || !strcmp(name, "keep-together.within-line")) {
        int k = keep_value(v);
        if (k < 0) ok = false;
        else if (strcmp(name, "keep-together.within-line")) s->keep_together = MAX(k, strcmp(name, "keep-together") ? s->keep_together : 0);
    } else if (!strncmp(name, "keep-with-next", 14)) {
        int k = keep_value(v);
        if (k < 0) ok = false;
        else if (strcmp(name + 14, ".within-line")) s->keep_with_next = MAX(k, s->keep_with_next);
    } else if (!strncmp(name, "keep-with-previous", 18)) {
        int k = keep_value(v);
        if (k < 0) ok = false;
        else if (strcmp(name + 18, ".within-line")) s->keep_with_previous = MAX(k, s->keep_with_previous);
    } else if (!strcmp(name, "break-before") || !strcmp(name, "break-after") ||
               !strcmp(name, "page-break-before") || !strcmp(name, "page-break-after")) {
        static const char *const w[] = {"auto", "column", "page", "even-page", "odd-page", "always", NULL};
        int k = keyword(v, w, -1);
        if (k < 0) ok = false;
        else {
            wb_break b = k == 5 ? BREAK_PAGE : (wb_break)k;
            if (strstr(name, "before")) s->break_before = b;
            else s->break_after = b;
        }
    } else if (!strcmp(name, "widows")) {
        s->widows = MAX(1, atoi(v));
    } else if (!strcmp(name, "orphans")) {
        s->orphans = MAX(1, atoi(v));
    } else if (!strcmp(name, "hyphenate")) {
        s->hyphenate = !strcmp(v, "true");
    } else if (!strcmp(name, "language")) {
        if (strcmp(v, "none"))
            s->lang = g_string_chunk_insert_const(pc->tree->pool->strings, v);
    } else if (!strcmp(name, "hyphenation-push-character-count")) {
        s->hyph_push = MAX(1, atoi(v));
    } else if (!strcmp(name, "hyphenation-remain-character-count")) {
        s->hyph_remain = MAX(1, atoi(v));
    } else if (!strncmp(name, "letter-spacing", 14) || !strncmp(name, "word-spacing", 12)) {
        double *dst = name[0] == 'l' ? &s->letter_spacing : &s->word_spacing;
        const char *dot = strchr(name, '.');
        if (dot && strcmp(dot, ".optimum"))
            return; /* the engine uses the optimum */
        if (!strcmp(v, "normal")) *dst = 0;
        else ok = abs_length(pc, name, v, dst, fs, 0);
    } else if (!strcmp(name, "white-space-collapse")) {
        s->ws_collapse = strcmp(v, "false") != 0;
    } else if (!strcmp(name, "white-space")) {
        if (!strcmp(v, "pre")) {
            s->ws_collapse = false;
            s->linefeed = LF_PRESERVE;
            s->ws_treatment = WST_PRESERVE;
            s->wrap = false;
        } else if (!strcmp(v, "nowrap")) {
            s->wrap = false;
        } else if (!strcmp(v, "pre-wrap")) {
            s->ws_collapse = false;
            s->linefeed = LF_PRESERVE;
            s->ws_treatment = WST_PRESERVE;
        }
    } else if (!strcmp(name, "linefeed-treatment")) {
        static const char *const w[] = {"treat-as-space", "preserve", "ignore", "treat-as-zero-width-space", NULL};
        int k = keyword(v, w, -1);
        if (k < 0) ok = false;
        else s->linefeed = (wb_linefeed)k;
    } else if (!strcmp(name, "white-space-treatment")) {
        static const char *const w[] = {"ignore-if-surrounding-linefeed", "preserve", "ignore",
                                        "ignore-if-before-linefeed", "ignore-if-after-linefeed", NULL};
        int k = keyword(v, w, -1);
        if (k < 0) ok = false;
        else s->ws_treatment = (wb_ws_treatment)k;
    } else if (!strcmp(name, "wrap-option")) {
        s->wrap = strcmp(v, "no-wrap") != 0;
    } else if (!strcmp(name, "text-decoration")) {
        gchar **tok = g_strsplit(v, " ", -1);
        for (int i = 0; tok[i]; i++) {
            if (!strcmp(tok[i], "underline")) s->underline = true;
            else if (!strcmp(tok[i], "no-underline")) s->underline = false;
            else if (!strcmp(tok[i], "overline")) s->overline = true;
            else if (!strcmp(tok[i], "line-through")) s->line_through = true;
            else if (!strcmp(tok[i], "none")) s->underline = s->overline = s->line_through = false;
            else if (*tok[i] && strcmp(tok[i], "no-overline") && strcmp(tok[i], "no-line-through") &&
                     strcmp(tok[i], "blink") && strcmp(tok[i], "no-blink")) ok = false;
        }
        g_strfreev(tok);
    } else if (!strcmp(name, "baseline-shift") || !strcmp(name, "vertical-align")) {
        if (!strcmp(v, "super")) s->baseline_shift = p->font_size * 0.33;
        else if (!strcmp(v, "sub")) s->baseline_shift = -p->font_size * 0.2;
        else if (!strcmp(v, "baseline") || !strcmp(v, "middle") || !strcmp(v, "top") ||
                 !strcmp(v, "bottom") || !strcmp(v, "text-top") || !strcmp(v, "text-bottom"))
            s->baseline_shift = 0;
        else {
            double x;
            if (abs_length(pc, name, v, &x, fs, p->line_height_factor > 0 ? p->font_size * p->line_height_factor : p->line_height))
                s->baseline_shift = x;
            else ok = false;
        }
    } else if (!strcmp(name, "display-align")) {
        static const char *const w[] = {"auto", "before", "center", "after", NULL};
        int k = keyword(v, w, -1);
        if (k < 0) ok = false;
        else s->display_align = (wb_display_align)k;
    } else if (!strcmp(name, "width") || !strcmp(name, "inline-progression-dimension") ||
               !strcmp(name, "inline-progression-dimension.optimum")) {
        length_prop(pc, name, v, &s->width, fs);
        return;
    } else if (!strcmp(name, "height") || !strcmp(name, "block-progression-dimension") ||
               !strcmp(name, "block-progression-dimension.optimum") ||
               !strcmp(name, "block-progression-dimension.minimum")) {
        length_prop(pc, name, v, &s->height, fs);
        return;
    } else if (!strcmp(name, "content-width") || !strcmp(name, "content-height")) {
        wb_len *dst = name[8] == 'w' ? &s->content_width : &s->content_height;
        bool *fit = name[8] == 'w' ? &s->content_width_fit : &s->content_height_fit;
        if (!strcmp(v, "scale-to-fit") || !strcmp(v, "scale-down-to-fit") || !strcmp(v, "scale-up-to-fit"))
            *fit = true; /* to the viewport (width, height) */
        else
            length_prop(pc, name, v, dst, fs);
        return;
    } else if (!strcmp(name, "column-count")) {
        s->column_count = MAX(1, atoi(v));
    } else if (!strcmp(name, "column-gap")) {
        ok = abs_length(pc, name, v, &s->column_gap, fs, 0);
    } else if (!strcmp(name, "span")) {
        s->span_all = !strcmp(v, "all");
    } else if (!strcmp(name, "number-columns-spanned")) {
        s->number_columns_spanned = MAX(1, atoi(v));
    } else if (!strcmp(name, "number-rows-spanned")) {
        s->number_rows_spanned = MAX(1, atoi(v));
    } else if (!strcmp(name, "column-width")) {
        value x;
        double prop = 0;
        if (eval(v, fs, NULL, &x, &prop)) {
            s->column_width_proportional = prop;
            s->column_width = (wb_len){x.pt, x.pct, false};
        } else {
            ok = false;
        }
    } else if (!strcmp(name, "provisional-distance-between-starts")) {
        length_prop(pc, name, v, &s->prov_distance, fs);
        return;
    } else if (!strcmp(name, "provisional-label-separation")) {
        length_prop(pc, name, v, &s->prov_separation, fs);
        return;
    } else if (!strcmp(name, "leader-pattern")) {
        static const char *const w[] = {"space", "rule", "dots", "use-content", NULL};
        int k = keyword(v, w, -1);
        if (k < 0) ok = false;
        else s->leader_pattern = (wb_leader_pattern)k;
    } else if (!strncmp(name, "leader-length", 13)) {
        wb_len l;
        if (!length_prop(pc, name, v, &l, fs))
            return;
        if (!strcmp(name, "leader-length")) s->leader_length_min = s->leader_length_opt = s->leader_length_max = l;
        else if (!strcmp(name + 13, ".minimum")) s->leader_length_min = l;
        else if (!strcmp(name + 13, ".optimum")) s->leader_length_opt = l;
        else if (!strcmp(name + 13, ".maximum")) s->leader_length_max = l;
        else ok = false;
    } else if (!strcmp(name, "leader-pattern-width")) {
        if (strcmp(v, "use-font-metrics"))
            abs_length(pc, name, v, &s->leader_pattern_width, fs, 0);
    } else if (!strcmp(name, "leader-alignment")) {
        /* dots are aligned to a grid anyway */
    } else if (!strcmp(name, "rule-thickness")) {
        ok = abs_length(pc, name, v, &s->rule_thickness, fs, 0);
    } else if (!strcmp(name, "rule-style")) {
        ok = border_style_of(v, &s->rule_style);
    } else if (is_structural_attr(name)) {
        return;
    } else {
        char key[160];
        snprintf(key, sizeof key, "prop:%s", name);
        wb_fo_warning_once(pc->ctx, pc->tree, pc->fo, key,
                        "fo:%s: property %s is not supported (ignored)",
                        wb_fo_kind_name(pc->fo->kind), name);
        return;
    }
    if (!ok)
        bad_value(pc, name, v);
}

static void init_style(wb_style *s)
{
    memset(s, 0, sizeof *s);
    s->font_family = "PT Serif, serif";
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
}

/* Non-inherited properties return to their initial values in a child. */
static void reset_non_inherited(wb_style *s)
{
    s->background = (wb_rgba){0, 0, 0, 0};
    memset(&s->space_before, 0, sizeof s->space_before);
    memset(&s->space_after, 0, sizeof s->space_after);
    memset(s->padding, 0, sizeof s->padding);
    memset(s->border, 0, sizeof s->border);
    memset(s->margin, 0, sizeof s->margin);
    s->keep_with_next = s->keep_with_previous = 0;
    s->break_before = s->break_after = BREAK_AUTO;
    s->width = s->height = s->content_width = s->content_height = (wb_len){0, 0, true};
    s->content_width_fit = s->content_height_fit = false;
    s->underline = s->overline = s->line_through = false;
    s->baseline_shift = 0;
    s->column_count = 1;
    s->column_gap = 12;
    s->span_all = 0;
    s->number_columns_spanned = s->number_rows_spanned = 1;
    s->column_width_proportional = 0;
    s->column_width = (wb_len){0, 0, true};
    /* keep-together is inherited in XSL, but only within-line inherits in practice: blocks
     * nested in a kept block are kept by their ancestor anyway. */
}

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

/* 3: the broadest shorthands, 2: per-aspect (border-width) ones, 1: per-side ones, 0: none. */
static int shorthand_rank(const char *n)
{
    if (!strcmp(n, "border") || !strcmp(n, "margin") || !strcmp(n, "padding") || !strcmp(n, "font"))
        return 3;
    if (!strcmp(n, "border-width") || !strcmp(n, "border-style") || !strcmp(n, "border-color"))
        return 2;
    if (!strncmp(n, "border-", 7) && !g_str_has_suffix(n, "-width") && !g_str_has_suffix(n, "-style") &&
        !g_str_has_suffix(n, "-color") && strcmp(n, "border-collapse") && strncmp(n, "border-separation", 17) &&
        strcmp(n, "border-spacing"))
        return 1;
    return 0;
}

static void compute_style(prop_ctx *pc)
{
    wb_fo *fo = pc->fo;
    wb_style *s = fo->style;
    xmlNodePtr node = fo->node;
    /* font-size first: em units of every other property depend on it */
    for (xmlAttrPtr a = node->properties; a; a = a->next)
        if (!a->ns && !strcmp((const char *)a->name, "font-size") && a->children)
            apply_property(pc, "font-size", (const char *)a->children->content, false);
    /* shorthands first, the least precise first (border, then border-width or border-top,
     * ...), then every other property: the more precise always wins, whatever the order of
     * the attributes (XSL 5.2) */
    for (int pass = 3; pass >= 0; pass--) {
        for (xmlAttrPtr a = node->properties; a; a = a->next) {
            if (pass > 0 && shorthand_rank((const char *)a->name) != pass)
                continue;
            const char *n = (const char *)a->name;
            const char *v = a->children ? (const char *)a->children->content : "";
            if (a->ns) {
                if (pass == 0 && a->ns->href && !strcmp((const char *)a->ns->href,
                                                       "http://www.w3.org/XML/1998/namespace") &&
                    !strcmp(n, "lang"))
                    s->lang = g_string_chunk_insert_const(pc->tree->pool->strings, v);
                continue; /* attributes in other namespaces are allowed and ignored */
            }
            if (!strcmp(n, "font-size"))
                continue;
            /* strip surrounding white space, which XSL allows */
            while (isspace((unsigned char)*v))
                v++;
            char *trimmed = NULL;
            size_t vl = strlen(v);
            if (vl && isspace((unsigned char)v[vl - 1])) {
                trimmed = g_strndup(v, vl);
                g_strchomp(trimmed);
                v = trimmed;
            }
            apply_property(pc, n, v, pass > 0);
            g_free(trimmed);
        }
    }
    if (!is_block_level(fo->kind))
        return;
    /* Corresponding properties (XSL 5.3): margins give spaces and indents unless those are
     * given themselves. */
    const wb_style *p = pc->parent;
    if (pc->margin_set[SIDE_BEFORE] && !pc->space_before_set) {
        double m = s->margin[SIDE_BEFORE].pt;
        s->space_before = (wb_space){m, m, m, false, 0};
    }
    if (pc->margin_set[SIDE_AFTER] && !pc->space_after_set) {
        double m = s->margin[SIDE_AFTER].pt;
        s->space_after = (wb_space){m, m, m, false, 0};
    }
    /* XSL 5.3.2: only a margin given on the object changes the indent; without one the
     * indent is inherited and padding and border lie outside the content */
    if (!pc->start_indent_set && pc->margin_set[SIDE_START]) {
        wb_len m = pc->margin_set[SIDE_START] ? s->margin[SIDE_START] : (wb_len){0, 0, false};
        double bw = s->border[SIDE_START].style != BORDER_NONE ? s->border[SIDE_START].width : 0;
        s->start_indent = (wb_len){p->start_indent.pt + m.pt + s->padding[SIDE_START] + bw,
                                   p->start_indent.pct + m.pct, false};
    }
    if (!pc->end_indent_set && pc->margin_set[SIDE_END]) {
        wb_len m = pc->margin_set[SIDE_END] ? s->margin[SIDE_END] : (wb_len){0, 0, false};
        double bw = s->border[SIDE_END].style != BORDER_NONE ? s->border[SIDE_END].width : 0;
        s->end_indent = (wb_len){p->end_indent.pt + m.pt + s->padding[SIDE_END] + bw,
                                 p->end_indent.pct + m.pct, false};
    }
}

/* ------------------------------------------------------------------ the tree */

static wb_fo *new_fo(wb_fo_kind kind, xmlNodePtr node, wb_fo *parent)
{
    wb_fo *fo = g_new0(wb_fo, 1);
    fo->kind = kind;
    fo->node = node;
    fo->line = (int)xmlGetLineNo(node);
    fo->parent = parent;
    if (parent) {
        if (parent->last)
            parent->last->next = fo;
        else
            parent->first = fo;
        parent->last = fo;
    }
    return fo;
}

/* Objects whose text content is meaningful; elsewhere character data is white space to drop. */
static bool holds_text(wb_fo_kind k)
{
    switch (k) {
    case FO_BLOCK: case FO_INLINE: case FO_WRAPPER: case FO_BASIC_LINK: case FO_LEADER:
    case FO_BOOKMARK_TITLE: case FO_TITLE: case FO_FOOTNOTE_BODY: case FO_MARKER:
    case FO_LIST_ITEM_BODY: case FO_LIST_ITEM_LABEL: case FO_TABLE_CELL:
        return true;
    default:
        return false;
    }
}

static void build(wb_ctx *ctx, wb_fo_tree *tree, xmlNodePtr node, wb_fo *parent,
                  const wb_style *list_block)
{
    for (xmlNodePtr n = node; n; n = n->next) {
        if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
            if (!parent || !holds_text(parent->kind))
                continue;
            wb_fo *t = new_fo(FO_TEXT, n, parent);
            t->text = (const char *)n->content;
            continue;
        }
        if (n->type != XML_ELEMENT_NODE)
            continue;
        if (!n->ns || strcmp((const char *)n->ns->href, WB_FO_NS) != 0) {
            /* Foreign elements live only inside instream-foreign-object and declarations. */
            if (parent && (parent->kind == FO_INSTREAM_FOREIGN_OBJECT || parent->kind == FO_DECLARATIONS))
                continue;
            char key[160];
            snprintf(key, sizeof key, "elem:%s", (const char *)n->name);
            wb_warning_once(ctx, key, tree->file, (int)xmlGetLineNo(n), 0,
                            "element %s%s%s is not XSL-FO (ignored)",
                            n->ns && n->ns->prefix ? (const char *)n->ns->prefix : "",
                            n->ns && n->ns->prefix ? ":" : "", (const char *)n->name);
            continue;
        }
        wb_fo_kind kind = kind_of((const char *)n->name);
        if (kind == FO_UNKNOWN) {
            char key[160];
            snprintf(key, sizeof key, "fo:%s", (const char *)n->name);
            wb_warning_once(ctx, key, tree->file, (int)xmlGetLineNo(n), 0,
                            "fo:%s is not supported (ignored with its content)",
                            (const char *)n->name);
            continue;
        }
        wb_fo *fo = new_fo(kind, n, parent);
        fo->style = g_new(wb_style, 1);
        if (parent && parent->style) {
            *fo->style = *parent->style;
            reset_non_inherited(fo->style);
        } else {
            init_style(fo->style);
        }
        xmlAttrPtr idattr = xmlHasProp(n, BAD_CAST "id");
        if (idattr && idattr->children)
            fo->id = (const char *)idattr->children->content;
        prop_ctx pc = {.ctx = ctx, .tree = tree, .fo = fo,
                       .parent = parent && parent->style ? parent->style : fo->style,
                       .list_block = list_block};
        wb_style parent_copy;
        if (!parent || !parent->style) {
            parent_copy = *fo->style;
            pc.parent = &parent_copy;
        }
        compute_style(&pc);
        if (!tree->root)
            tree->root = fo;
        if (kind == FO_INSTREAM_FOREIGN_OBJECT || kind == FO_DECLARATIONS)
            continue; /* their content is not FO */
        build(ctx, tree, n->children, fo, kind == FO_LIST_BLOCK ? fo->style : list_block);
    }
}

wb_fo_tree *wb_fo_tree_new(wb_ctx *ctx, xmlDocPtr doc, const char *file)
{
    xmlNodePtr root = xmlDocGetRootElement(doc);
    if (!root || !root->ns || strcmp((const char *)root->ns->href, WB_FO_NS) != 0 ||
        strcmp((const char *)root->name, "root") != 0) {
        wb_error(ctx, WB_ERR_INPUT, file, root ? (int)xmlGetLineNo(root) : 0, 0,
                 "not an XSL-FO document: the root element must be fo:root in namespace %s",
                 WB_FO_NS);
        return NULL;
    }
    wb_fo_tree *tree = g_new0(wb_fo_tree, 1);
    tree->file = file;
    tree->pool = g_new0(struct wb_fo_pool, 1);
    tree->pool->strings = g_string_chunk_new(1024);
    build(ctx, tree, root, NULL, NULL);
    if (!wb_fo_child(tree->root, FO_LAYOUT_MASTER_SET)) {
        wb_error(ctx, WB_ERR_INPUT, file, tree->root->line, 0, "fo:root has no fo:layout-master-set");
        wb_fo_tree_free(tree);
        return NULL;
    }
    if (!wb_fo_child(tree->root, FO_PAGE_SEQUENCE)) {
        wb_error(ctx, WB_ERR_INPUT, file, tree->root->line, 0, "fo:root has no fo:page-sequence");
        wb_fo_tree_free(tree);
        return NULL;
    }
    return tree;
}

static void free_fo(wb_fo *fo)
{
    while (fo) {
        wb_fo *next = fo->next;
        free_fo(fo->first);
        g_free(fo->style);
        g_free(fo);
        fo = next;
    }
}

void wb_fo_tree_free(wb_fo_tree *tree)
{
    if (!tree)
        return;
    free_fo(tree->root);
    g_string_chunk_free(tree->pool->strings);
    g_free(tree->pool);
    g_free(tree);
}
