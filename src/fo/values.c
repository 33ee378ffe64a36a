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

/* ------------------------------------------------------------------ expressions */

/* A recursive-descent parser over the text (see fo_eval); `ok` turns false at the first
 * thing that is not part of a valid expression, and parsing goes on harmlessly to the end. */
typedef struct expr {
    const char *p;
    double font_size;
    const wb_style *list_block; /* nearest list-block, for label-end() and body-start() */
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

/* A function call: label-end(), body-start(), proportional-column-width(n). */
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

bool fo_eval(const char *s, double font_size, const wb_style *list_block, fo_value *out,
             double *proportional)
{
    expr e = {s, font_size, list_block, true, 0, 0};
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
    if (!fo_eval(v, fs, c->list_block, &x, &prop) || (!x.is_length && x.pt != 0 && prop == 0)) {
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
