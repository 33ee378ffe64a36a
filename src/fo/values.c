/* Values of XSL-FO attributes: colours, URIs, the expressions of lengths and numbers
 * ("10pt + 2mm", "1.5em", "50%", label-end()), keywords, sides and lists of 1-4 values.
 * Hands wb_parse_color, wb_parse_length and wb_fo_uri to everyone, fo_eval and the parsers
 * that report an invalid value at its object to the property setters. */
#include "fo/fo-private.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <math.h>
#include <string.h>

#include <glib.h>

/* The colour names of CSS 3 and SVG, which XSL tools write (XSL 1.1 names only the sixteen
 * of HTML 4; Apache FOP takes them all). */
static const struct {
    const char *name;
    unsigned rgb;
} named_colors[] = {
    {"aliceblue", 0xf0f8ff}, {"antiquewhite", 0xfaebd7}, {"aqua", 0x00ffff},
    {"aquamarine", 0x7fffd4}, {"azure", 0xf0ffff}, {"beige", 0xf5f5dc}, {"bisque", 0xffe4c4},
    {"black", 0x000000}, {"blanchedalmond", 0xffebcd}, {"blue", 0x0000ff}, {"blueviolet", 0x8a2be2},
    {"brown", 0xa52a2a}, {"burlywood", 0xdeb887}, {"cadetblue", 0x5f9ea0}, {"chartreuse", 0x7fff00},
    {"chocolate", 0xd2691e}, {"coral", 0xff7f50}, {"cornflowerblue", 0x6495ed},
    {"cornsilk", 0xfff8dc}, {"crimson", 0xdc143c}, {"cyan", 0x00ffff}, {"darkblue", 0x00008b},
    {"darkcyan", 0x008b8b}, {"darkgoldenrod", 0xb8860b}, {"darkgray", 0xa9a9a9},
    {"darkgreen", 0x006400}, {"darkgrey", 0xa9a9a9}, {"darkkhaki", 0xbdb76b},
    {"darkmagenta", 0x8b008b}, {"darkolivegreen", 0x556b2f}, {"darkorange", 0xff8c00},
    {"darkorchid", 0x9932cc}, {"darkred", 0x8b0000}, {"darksalmon", 0xe9967a},
    {"darkseagreen", 0x8fbc8f}, {"darkslateblue", 0x483d8b}, {"darkslategray", 0x2f4f4f},
    {"darkslategrey", 0x2f4f4f}, {"darkturquoise", 0x00ced1}, {"darkviolet", 0x9400d3},
    {"deeppink", 0xff1493}, {"deepskyblue", 0x00bfff}, {"dimgray", 0x696969}, {"dimgrey", 0x696969},
    {"dodgerblue", 0x1e90ff}, {"firebrick", 0xb22222}, {"floralwhite", 0xfffaf0},
    {"forestgreen", 0x228b22}, {"fuchsia", 0xff00ff}, {"gainsboro", 0xdcdcdc},
    {"ghostwhite", 0xf8f8ff}, {"gold", 0xffd700}, {"goldenrod", 0xdaa520}, {"gray", 0x808080},
    {"grey", 0x808080}, {"green", 0x008000}, {"greenyellow", 0xadff2f}, {"honeydew", 0xf0fff0},
    {"hotpink", 0xff69b4}, {"indianred", 0xcd5c5c}, {"indigo", 0x4b0082}, {"ivory", 0xfffff0},
    {"khaki", 0xf0e68c}, {"lavender", 0xe6e6fa}, {"lavenderblush", 0xfff0f5},
    {"lawngreen", 0x7cfc00}, {"lemonchiffon", 0xfffacd}, {"lightblue", 0xadd8e6},
    {"lightcoral", 0xf08080}, {"lightcyan", 0xe0ffff}, {"lightgoldenrodyellow", 0xfafad2},
    {"lightgray", 0xd3d3d3}, {"lightgreen", 0x90ee90}, {"lightgrey", 0xd3d3d3},
    {"lightpink", 0xffb6c1}, {"lightsalmon", 0xffa07a}, {"lightseagreen", 0x20b2aa},
    {"lightskyblue", 0x87cefa}, {"lightslategray", 0x778899}, {"lightslategrey", 0x778899},
    {"lightsteelblue", 0xb0c4de}, {"lightyellow", 0xffffe0}, {"lime", 0x00ff00},
    {"limegreen", 0x32cd32}, {"linen", 0xfaf0e6}, {"magenta", 0xff00ff}, {"maroon", 0x800000},
    {"mediumaquamarine", 0x66cdaa}, {"mediumblue", 0x0000cd}, {"mediumorchid", 0xba55d3},
    {"mediumpurple", 0x9370db}, {"mediumseagreen", 0x3cb371}, {"mediumslateblue", 0x7b68ee},
    {"mediumspringgreen", 0x00fa9a}, {"mediumturquoise", 0x48d1cc}, {"mediumvioletred", 0xc71585},
    {"midnightblue", 0x191970}, {"mintcream", 0xf5fffa}, {"mistyrose", 0xffe4e1},
    {"moccasin", 0xffe4b5}, {"navajowhite", 0xffdead}, {"navy", 0x000080}, {"oldlace", 0xfdf5e6},
    {"olive", 0x808000}, {"olivedrab", 0x6b8e23}, {"orange", 0xffa500}, {"orangered", 0xff4500},
    {"orchid", 0xda70d6}, {"palegoldenrod", 0xeee8aa}, {"palegreen", 0x98fb98},
    {"paleturquoise", 0xafeeee}, {"palevioletred", 0xdb7093}, {"papayawhip", 0xffefd5},
    {"peachpuff", 0xffdab9}, {"peru", 0xcd853f}, {"pink", 0xffc0cb}, {"plum", 0xdda0dd},
    {"powderblue", 0xb0e0e6}, {"purple", 0x800080}, {"red", 0xff0000}, {"rosybrown", 0xbc8f8f},
    {"royalblue", 0x4169e1}, {"saddlebrown", 0x8b4513}, {"salmon", 0xfa8072},
    {"sandybrown", 0xf4a460}, {"seagreen", 0x2e8b57}, {"seashell", 0xfff5ee}, {"sienna", 0xa0522d},
    {"silver", 0xc0c0c0}, {"skyblue", 0x87ceeb}, {"slateblue", 0x6a5acd}, {"slategray", 0x708090},
    {"slategrey", 0x708090}, {"snow", 0xfffafa}, {"springgreen", 0x00ff7f}, {"steelblue", 0x4682b4},
    {"tan", 0xd2b48c}, {"teal", 0x008080}, {"thistle", 0xd8bfd8}, {"tomato", 0xff6347},
    {"turquoise", 0x40e0d0}, {"violet", 0xee82ee}, {"wheat", 0xf5deb3}, {"white", 0xffffff},
    {"whitesmoke", 0xf5f5f5}, {"yellow", 0xffff00}, {"yellowgreen", 0x9acd32},
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

/* ------------------------------------------------------------------ expressions */

/* A recursive-descent parser over the text (see fo_eval); `ok` turns false at the first
 * thing that is not part of a valid expression, and parsing goes on harmlessly to the end. */
typedef struct expr {
    const char *p;
    double font_size;
    const wb_style *list_block; /* nearest list-block, for label-end() and body-start() */
    const wb_style *parent;     /* the parent's style, for from-parent(), or NULL */
    bool ok;
    double proportional; /* proportional-column-width(n) seen: n */
    int depth;           /* brackets, signs and calls open: bounded, the parser recurses */
} expr;

/* The most brackets, signs and calls nest in a value ("((((1pt))))"), and the largest a
 * value may be in points, percent or as a number: more is no length a page can have, and
 * infinities and NaNs (strtod reads "1e999") would go on into the layout. */
#define FO_MAX_NESTING 32
#define FO_MAX_MAGNITUDE 1e6

static void skip_ws(expr *e)
{
    while (isspace((unsigned char)*e->p))
        e->p++;
}

static fo_value parse_sum(expr *e);

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

/* A number with its unit or a percentage: "12pt", "1.5em", "50%", "2". */
static fo_value parse_number(expr *e)
{
    fo_value v = {0, 0, false};
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

/* from-parent(NAME) (XSL 1.1 §5.10.4), NAME quoted or not, after its "(": only for width and
 * inline-progression-dimension, of a parent that has one.  The parent's width is what this
 * object's percentages are of (a column's of its table, a block's of its container), so it
 * is 100%; a percentage in the parent's own value is of another area and cannot be resolved
 * here (FOP's tableunits example: column-width="from-parent('width') div 3"). */
static fo_value parse_from_parent(expr *e)
{
    fo_value v = {0, 100, true};
    char quote = *e->p == '\'' || *e->p == '"' ? *e->p++ : 0;
    const char *name = e->p;
    while (isalnum((unsigned char)*e->p) || *e->p == '-' || *e->p == '.')
        e->p++;
    size_t nl = (size_t)(e->p - name);
    if (quote && *e->p++ != quote)
        e->ok = false;
    skip_ws(e);
    if (*e->p == ')')
        e->p++;
    else
        e->ok = false;
    bool width = (nl == 5 && !strncmp(name, "width", 5)) ||
                 (nl == 28 && !strncmp(name, "inline-progression-dimension", 28));
    if (!width || !e->parent || e->parent->width.is_auto)
        e->ok = false;
    return v;
}

/* A function call: label-end(), body-start(), from-parent(), proportional-column-width(n). */
static fo_value parse_call(expr *e)
{
    fo_value v = {0, 0, false};
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
    if (nl == 11 && !strncmp(name, "from-parent", 11))
        return parse_from_parent(e);
    fo_value arg = {0, 0, false};
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

static fo_value parse_primary_at(expr *e);

static fo_value parse_primary(expr *e)
{
    if (e->depth >= FO_MAX_NESTING) {
        e->ok = false;
        e->p += strlen(e->p); /* nothing more is read */
        return (fo_value){0, 0, false};
    }
    e->depth++;
    fo_value v = parse_primary_at(e);
    e->depth--;
    return v;
}

static fo_value parse_primary_at(expr *e)
{
    skip_ws(e);
    fo_value v = {0, 0, false};
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
    if (isdigit((unsigned char)*e->p) || *e->p == '.')
        return parse_number(e);
    if (isalpha((unsigned char)*e->p))
        return parse_call(e);
    e->ok = false;
    return v;
}

static fo_value parse_product(expr *e)
{
    fo_value v = parse_primary(e);
    for (;;) {
        skip_ws(e);
        char op = *e->p;
        if (op != '*' && op != '/' && !(op == 'd' && !strncmp(e->p, "div", 3)))
            return v;
        e->p += op == 'd' ? 3 : 1;
        fo_value r = parse_primary(e);
        if (op == '*') {
            if (v.is_length && r.is_length)
                e->ok = false;
            double k = v.is_length ? r.pt : v.pt;
            fo_value base = v.is_length ? v : r;
            v = (fo_value){base.pt * k, base.pct * k, base.is_length};
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

static fo_value parse_sum(expr *e)
{
    fo_value v = parse_product(e);
    for (;;) {
        skip_ws(e);
        char op = *e->p;
        if (op != '+' && op != '-')
            return v;
        e->p++;
        fo_value r = parse_product(e);
        if (r.is_length != v.is_length && (r.pt != 0 || r.pct != 0) && (v.pt != 0 || v.pct != 0))
            e->ok = false;
        double s = op == '+' ? 1 : -1;
        v.pt += s * r.pt;
        v.pct += s * r.pct;
        v.is_length = v.is_length || r.is_length;
    }
}

bool fo_eval(const char *s, double font_size, const fo_cascade *c, fo_value *out,
             double *proportional)
{
    expr e = {s, font_size, c ? c->list_block : NULL, c ? c->parent : NULL, true, 0, 0};
    *out = parse_sum(&e);
    skip_ws(&e);
    if (*e.p)
        e.ok = false;
    if (!isfinite(out->pt) || !isfinite(out->pct) || !isfinite(e.proportional) ||
        fabs(out->pt) > FO_MAX_MAGNITUDE || fabs(out->pct) > FO_MAX_MAGNITUDE ||
        fabs(e.proportional) > FO_MAX_MAGNITUDE) {
        e.ok = false;
        *out = (fo_value){0, 0, false};
        e.proportional = 0;
    }
    if (proportional)
        *proportional = e.proportional;
    return e.ok;
}

bool wb_parse_length(const char *s, double font_size, wb_len *out)
{
    fo_value v;
    if (!fo_eval(s, font_size, NULL, &v, NULL))
        return false;
    if (!v.is_length && v.pt != 0)
        return false;
    *out = (wb_len){v.pt, v.pct, false};
    return true;
}


/* ------------------------------------------------------------------ values of properties */

void fo_report_invalid(fo_cascade *c, const char *name, const char *v)
{
    /* a long value is cut (on a character's start) */
    size_t n = strlen(v);
    const char *cut = n > 60 ? g_utf8_find_prev_char(v, v + 60) : NULL;
    int len = cut ? (int)(cut - v) : (int)n;
    wb_fo_warning(c->ctx, c->tree, c->fo, "fo:%s: invalid value \"%.*s%s\" for %s (ignored)",
                  wb_fo_kind_name(c->fo->kind), len, v, cut ? "..." : "", name);
}

bool fo_length(fo_cascade *c, const char *name, const char *v, wb_len *out, double fs)
{
    if (strcmp(v, "auto") == 0) {
        *out = (wb_len){0, 0, true};
        return true;
    }
    if (strcmp(v, "inherit") == 0)
        return true;
    fo_value x;
    double prop = 0;
    if (!fo_eval(v, fs, c, &x, &prop) || (!x.is_length && x.pt != 0 && prop == 0)) {
        fo_report_invalid(c, name, v);
        return false;
    }
    *out = (wb_len){x.pt, x.pct, false};
    return true;
}

bool fo_length_pt(fo_cascade *c, const char *name, const char *v, double *out, double fs,
                  double ref)
{
    wb_len l;
    if (!fo_length(c, name, v, &l, fs))
        return false;
    if (l.is_auto)
        return false;
    *out = wb_len_resolve(l, ref);
    return true;
}

bool fo_keyword(const prop_keyword *words, const char *v, int *out)
{
    for (int i = 0; words[i].word; i++)
        if (!strcmp(v, words[i].word)) {
            *out = words[i].value;
            return true;
        }
    return false;
}

int fo_side(const char *s, size_t n)
{
    static const prop_keyword sides[] = {
        {"top", SIDE_BEFORE},   {"before", SIDE_BEFORE}, {"bottom", SIDE_AFTER},
        {"after", SIDE_AFTER},  {"left", SIDE_START},    {"start", SIDE_START},
        {"right", SIDE_END},    {"end", SIDE_END},       {NULL, 0}};
    for (int i = 0; sides[i].word; i++)
        if (strlen(sides[i].word) == n && !strncmp(s, sides[i].word, n))
            return sides[i].value;
    return -1;
}

int fo_split_sides(const char *v, char *out[4])
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
