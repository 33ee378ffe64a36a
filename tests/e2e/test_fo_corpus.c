/* The XSL-FO corpus of tests/fo: one small file per feature of the formatter, each with
 * what a correct rendering shows in its opening comment.
 *
 * Every file is a test case of its own, named after the file (CK_RUN_CASE=keep-together.fo
 * runs one).  Each must format without error into the number of pages Apache FOP gives
 * (tests/fo/EXPECTED.txt, recorded with tools/compare.sh), on pages of its masters' sizes,
 * into a sound PDF (qpdf --check); and the areas the engine lays out (`workbook render FILE
 * --dump`) must meet the expectations of its sibling NAME.expect, written in the small
 * language tests/fo/README.md describes and the "expect-language" test case below checks. */
#include <check.h>
#include <glib.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fo/fo.h"
#include "unit/support.h"

/* ------------------------------------------------------------------ the corpus */

typedef struct expected {
    char *file;
    int pages;
} expected;

static GArray *files; /* of expected, built before the runner forks */

static GArray *corpus(void)
{
    GArray *list = g_array_new(FALSE, TRUE, sizeof(expected));
    char *text = wb_test_read(wb_test_path("tests/fo/EXPECTED.txt"), NULL);
    if (!text)
        return list;
    char **lines = g_strsplit(text, "\n", -1);
    for (int i = 0; lines[i]; i++) {
        char file[256];
        int pages;
        if (lines[i][0] == '#' || sscanf(lines[i], "%255s pages=%d", file, &pages) != 2)
            continue;
        expected e = {g_strdup(file), pages};
        g_array_append_val(list, e);
    }
    g_strfreev(lines);
    free(text);
    return list;
}

static void drop_tmp(char *tmp)
{
    char *rm = g_strdup_printf("rm -rf '%s'", tmp);
    ck_assert_int_eq(system(rm), 0);
    g_free(rm);
    free(tmp);
}

/* ------------------------------------------------------------------ the dump */

/* The area kinds of the dump, in the engine's order (include/workbook/page.h). */
static const char *const kinds[] = {"text", "fill", "rule", "dots", "image", "link", "dest", NULL};
enum { K_TEXT, K_FILL, K_RULE, K_DOTS, K_IMAGE, K_LINK, K_DEST };

typedef struct area {
    int page; /* 1-based */
    int kind;
    double x, y, w, h; /* a text line: x, y its baseline's start, w its advance, h 0 */
    char *text;        /* text: the line; link: its URI or destination; dest: its name;
                        * image: "" or, for a background, "background REPEAT in X Y W H" */
} area;

typedef struct dump {
    GArray *areas; /* of area, in the dump's order */
    int pages;
} dump;

static int kind_of(const char *word)
{
    for (int k = 0; kinds[k]; k++)
        if (!strcmp(word, kinds[k]))
            return k;
    return -1;
}

/* Reads the output of `workbook render --dump`: "page N (TEXT) WxH" lines, then one
 * "  KIND x y w h [w=ADVANCE "TEXT" | URI | NAME | background REPEAT in X Y W H]" line per
 * area. */
static dump parse_dump(const char *out)
{
    dump d = {g_array_new(FALSE, TRUE, sizeof(area)), 0};
    char **lines = g_strsplit(out ? out : "", "\n", -1);
    for (int i = 0; lines[i]; i++) {
        const char *l = lines[i];
        int n;
        char word[16];
        area a = {0};
        if (sscanf(l, "page %d", &n) == 1) {
            d.pages = n;
        } else if (sscanf(l, " %15s %lf %lf %lf %lf%n", word, &a.x, &a.y, &a.w, &a.h, &n) == 5 &&
                   (a.kind = kind_of(word)) >= 0) {
            const char *rest = l + n;
            a.page = d.pages;
            if (a.kind == K_TEXT) {
                const char *q = strchr(rest, '"');
                size_t len = strlen(rest);
                sscanf(rest, " w=%lf", &a.w);
                char *t = q && len > 0 && rest[len - 1] == '"' && rest + len - 1 > q
                              ? g_strndup(q + 1, (size_t)(rest + len - 1 - (q + 1)))
                              : g_strdup("");
                /* no-break spaces (preserved spaces become them) read as spaces */
                GString *g = g_string_new(NULL);
                for (const char *c = t; *c; c = g_utf8_next_char(c)) {
                    gunichar u = g_utf8_get_char(c);
                    g_string_append_unichar(g, u == 0xA0 || u == 0x202F ? ' ' : u);
                }
                g_free(t);
                a.text = g_string_free(g, FALSE);
            } else if (a.kind == K_LINK || a.kind == K_DEST || (a.kind == K_IMAGE && *rest)) {
                a.text = g_strstrip(g_strdup(rest));
            }
            g_array_append_val(d.areas, a);
        }
    }
    g_strfreev(lines);
    return d;
}

static void free_dump(dump *d)
{
    for (guint i = 0; i < d->areas->len; i++)
        g_free(g_array_index(d->areas, area, i).text);
    g_array_free(d->areas, TRUE);
}

/* ------------------------------------------------------------------ the expectations
 *
 * One statement a line (tests/fo/README.md has the full description):
 *
 *   pages N
 *   info FIELD "VALUE"        (pdfinfo)
 *   font "NAME"               (pdffonts: an embedded font of that name)
 *   [every] SELECTOR PREDICATE... [count VALUE]
 *
 *   SELECTOR  := KIND ["TEXT" | ="TEXT" | ~"REGEX"] [INDEX] [on page N]
 *   PREDICATE := x|y|w|h|right|bottom VALUE | page N
 *              | left-of|right-of|above|below SELECTOR [by VALUE]
 *              | same-baseline|same-x|same-right|same-page|inside SELECTOR
 *   VALUE     := NUMBER[±TOLERANCE] | <=NUMBER | >=NUMBER
 */

#define SAME_EPS 0.15  /* the dump rounds to 0.1pt: two rounded copies of one value */
#define ORDER_EPS 0.05

typedef struct value {
    enum { V_NEAR, V_AT_MOST, V_AT_LEAST } op;
    double v, tol;
} value;

typedef struct selector {
    int kind;
    char *match;  /* NULL: any */
    bool exact;   /* the whole text, not a part of it */
    GRegex *re;   /* or a regular expression */
    int index;    /* 1-based among the matches; 0: any */
    int page;     /* 0: any */
} selector;

typedef enum {
    P_X, P_Y, P_W, P_H, P_RIGHT, P_BOTTOM, P_PAGE,
    P_LEFT_OF, P_RIGHT_OF, P_ABOVE, P_BELOW,
    P_SAME_BASELINE, P_SAME_X, P_SAME_RIGHT, P_SAME_PAGE, P_INSIDE
} pred_kind;

static const char *const pred_names[] = {"x", "y", "w", "h", "right", "bottom", "page",
                                         "left-of", "right-of", "above", "below",
                                         "same-baseline", "same-x", "same-right", "same-page", "inside", NULL};

typedef struct predicate {
    pred_kind kind;
    value val;      /* measures; the distance of "by" */
    bool has_by;
    int page;       /* P_PAGE */
    selector other; /* relations */
} predicate;

#define MAX_PREDS 8

typedef struct statement {
    enum { S_AREAS, S_PAGES, S_INFO, S_FONT } what;
    int pages;
    char *field, *value; /* info, font */
    bool every;
    selector sel;
    predicate preds[MAX_PREDS];
    int npreds;
    bool counted;
    value count;
} statement;

/* What a statement is checked against: the dump and what pdfinfo and pdffonts say. */
typedef struct doc {
    dump d;
    const char *pdfinfo, *pdffonts;
} doc;

/* Splits a line into words; a quoted string (with \" and \\) is one word, kept with its
 * quotes; # outside quotes starts a comment. */
static char **tokenize(const char *line, char **error)
{
    GPtrArray *t = g_ptr_array_new();
    const char *p = line;
    while (*p) {
        while (*p == ' ' || *p == '\t' || *p == '\r')
            p++;
        if (!*p || *p == '#')
            break;
        GString *w = g_string_new(NULL);
        while (*p && *p != ' ' && *p != '\t' && *p != '\r') {
            if (*p == '"') {
                g_string_append_c(w, *p++);
                while (*p && *p != '"') {
                    if (*p == '\\' && (p[1] == '"' || p[1] == '\\'))
                        p++;
                    g_string_append_c(w, *p++);
                }
                if (*p != '"') {
                    *error = g_strdup("a string without its closing quote");
                    g_string_free(w, TRUE);
                    g_ptr_array_add(t, NULL);
                    return (char **)g_ptr_array_free(t, FALSE);
                }
                g_string_append_c(w, *p++);
            } else {
                g_string_append_c(w, *p++);
            }
        }
        g_ptr_array_add(t, g_string_free(w, FALSE));
    }
    g_ptr_array_add(t, NULL);
    return (char **)g_ptr_array_free(t, FALSE);
}

static bool parse_number(const char *s, double *v)
{
    char *end;
    *v = g_ascii_strtod(s, &end);
    return end != s && *end == 0;
}

static bool parse_int(const char *s, int *v)
{
    char *end;
    long n = strtol(s, &end, 10);
    *v = (int)n;
    return end != s && *end == 0 && n >= 0 && n < 100000;
}

/* NUMBER, NUMBER±TOL (or NUMBER+-TOL), <=NUMBER, >=NUMBER; "<=" and ">=" may stand apart. */
static bool parse_value(char **tok, int *i, value *out)
{
    const char *s = tok[*i];
    if (!s)
        return false;
    if (!strncmp(s, "<=", 2) || !strncmp(s, ">=", 2)) {
        out->op = s[0] == '<' ? V_AT_MOST : V_AT_LEAST;
        out->tol = 0;
        const char *num = s + 2;
        if (!*num) {
            if (!tok[*i + 1])
                return false;
            num = tok[++*i];
        }
        (*i)++;
        return parse_number(num, &out->v);
    }
    char *copy = g_strdup(s);
    char *pm = strstr(copy, "±"); /* two bytes in UTF-8, as "+-" */
    if (!pm)
        pm = strstr(copy + 1, "+-");
    out->op = V_NEAR;
    out->tol = ORDER_EPS; /* without a tolerance: equal at the dump's precision */
    bool ok;
    if (pm) {
        *pm = 0;
        ok = parse_number(copy, &out->v) && parse_number(pm + 2, &out->tol) && out->tol >= 0;
    } else {
        ok = parse_number(copy, &out->v);
    }
    g_free(copy);
    (*i)++;
    return ok;
}

static bool value_ok(const value *v, double x)
{
    switch (v->op) {
    case V_AT_MOST: return x <= v->v + 1e-9;
    case V_AT_LEAST: return x >= v->v - 1e-9;
    default: return fabs(x - v->v) <= v->tol + 1e-9;
    }
}

static char *value_text(const value *v)
{
    switch (v->op) {
    case V_AT_MOST: return g_strdup_printf("<=%g", v->v);
    case V_AT_LEAST: return g_strdup_printf(">=%g", v->v);
    default: return g_strdup_printf("%g±%g", v->v, v->tol);
    }
}

static char *unquote(const char *s)
{
    size_t n = strlen(s);
    return n >= 2 && s[0] == '"' && s[n - 1] == '"' ? g_strndup(s + 1, n - 2) : NULL;
}

static bool parse_selector(char **tok, int *i, selector *sel, char **error)
{
    memset(sel, 0, sizeof *sel);
    if (!tok[*i] || (sel->kind = kind_of(tok[*i])) < 0) {
        *error = g_strdup_printf("expected an area kind (text, fill, rule, dots, image, link, dest), not \"%s\"",
                                 tok[*i] ? tok[*i] : "");
        return false;
    }
    (*i)++;
    const char *s = tok[*i];
    if (s && (s[0] == '"' || ((s[0] == '=' || s[0] == '~') && s[1] == '"'))) {
        bool re = s[0] == '~';
        sel->exact = s[0] == '=';
        sel->match = unquote(s + (s[0] != '"'));
        if (!sel->match || sel->kind == K_FILL || sel->kind == K_RULE || sel->kind == K_DOTS) {
            *error = g_strdup_printf("%s areas have no text to match", kinds[sel->kind]);
            return false;
        }
        GError *err = NULL;
        if (re && !(sel->re = g_regex_new(sel->match, 0, 0, &err))) {
            *error = g_strdup_printf("bad regular expression: %s", err->message);
            g_error_free(err);
            return false;
        }
        (*i)++;
    }
    if (tok[*i] && g_ascii_isdigit(tok[*i][0])) {
        if (!parse_int(tok[*i], &sel->index) || sel->index < 1) {
            *error = g_strdup_printf("\"%s\" is no index (1, 2, ...)", tok[*i]);
            return false;
        }
        (*i)++;
    }
    if (tok[*i] && !strcmp(tok[*i], "on")) {
        if (!tok[*i + 1] || strcmp(tok[*i + 1], "page") || !tok[*i + 2] || !parse_int(tok[*i + 2], &sel->page)) {
            *error = g_strdup("\"on\" needs \"page N\"");
            return false;
        }
        *i += 3;
    }
    return true;
}

static void free_selector(selector *s)
{
    g_free(s->match);
    if (s->re)
        g_regex_unref(s->re);
}

static void free_statement(statement *st)
{
    free_selector(&st->sel);
    for (int k = 0; k < st->npreds; k++)
        free_selector(&st->preds[k].other);
    g_free(st->field);
    g_free(st->value);
}

/* Parses one line; false with *error set when it is malformed, false without when it is
 * empty or a comment. */
static bool parse_statement(const char *line, statement *st, char **error)
{
    memset(st, 0, sizeof *st);
    char **tok = tokenize(line, error);
    bool ok = false;
    int i = 0;
    if (*error || !tok[0])
        goto out;
    if (!strcmp(tok[0], "pages")) {
        st->what = S_PAGES;
        ok = tok[1] && parse_int(tok[1], &st->pages) && !tok[2];
        if (!ok)
            *error = g_strdup("\"pages\" needs one number");
        goto out;
    }
    if (!strcmp(tok[0], "info")) {
        st->what = S_INFO;
        ok = tok[1] && tok[2] && (st->value = unquote(tok[2])) && !tok[3];
        if (ok)
            st->field = g_strdup(tok[1]);
        else
            *error = g_strdup("\"info\" needs a field and a quoted value: info Title \"...\"");
        goto out;
    }
    if (!strcmp(tok[0], "font")) {
        st->what = S_FONT;
        ok = tok[1] && (st->value = unquote(tok[1])) && !tok[2];
        if (!ok)
            *error = g_strdup("\"font\" needs a quoted name: font \"PTSerif-Bold\"");
        goto out;
    }
    if (!strcmp(tok[0], "every")) {
        st->every = true;
        i++;
    }
    if (!parse_selector(tok, &i, &st->sel, error))
        goto out;
    while (tok[i]) {
        if (!strcmp(tok[i], "count")) {
            i++;
            st->counted = true;
            if (st->every || !parse_value(tok, &i, &st->count) || tok[i]) {
                *error = g_strdup("\"count N\" (or <=N, >=N) ends a statement, and not one with \"every\"");
                goto out;
            }
            break;
        }
        int k = 0;
        while (pred_names[k] && strcmp(pred_names[k], tok[i]))
            k++;
        if (!pred_names[k]) {
            *error = g_strdup_printf("unknown word \"%s\"", tok[i]);
            goto out;
        }
        if (st->npreds == MAX_PREDS) {
            *error = g_strdup("too many predicates on one line");
            goto out;
        }
        predicate *p = &st->preds[st->npreds++];
        p->kind = (pred_kind)k;
        i++;
        if (p->kind == P_PAGE) {
            if (!tok[i] || !parse_int(tok[i], &p->page)) {
                *error = g_strdup("\"page\" needs a number");
                goto out;
            }
            i++;
        } else if (p->kind <= P_BOTTOM) {
            if (!parse_value(tok, &i, &p->val)) {
                *error = g_strdup_printf("\"%s\" needs a value: 12.5, 12.5±0.2, <=12.5 or >=12.5", pred_names[k]);
                goto out;
            }
        } else {
            if (!parse_selector(tok, &i, &p->other, error))
                goto out;
            if (tok[i] && !strcmp(tok[i], "by")) {
                if (p->kind > P_BELOW) {
                    *error = g_strdup_printf("\"by\" goes with left-of, right-of, above and below, not %s", pred_names[k]);
                    goto out;
                }
                i++;
                p->has_by = true;
                if (!parse_value(tok, &i, &p->val)) {
                    *error = g_strdup("\"by\" needs a value: 12.5, 12.5±0.2, <=12.5 or >=12.5");
                    goto out;
                }
            }
        }
    }
    ok = true;
out:
    g_strfreev(tok);
    return ok;
}

static bool matches(const selector *s, const area *a)
{
    if (a->kind != s->kind || (s->page && a->page != s->page))
        return false;
    if (!s->match)
        return true;
    if (!a->text)
        return false; /* an image in the content: no text */
    if (s->re)
        return g_regex_match(s->re, a->text, 0, NULL);
    return s->exact ? !strcmp(a->text, s->match) : strstr(a->text, s->match) != NULL;
}

/* The areas a selector picks, in the dump's order. */
static GPtrArray *select_areas(const dump *d, const selector *s)
{
    GPtrArray *r = g_ptr_array_new();
    int n = 0;
    for (guint i = 0; i < d->areas->len; i++) {
        area *a = &g_array_index(d->areas, area, i);
        if (matches(s, a) && (!s->index || ++n == s->index))
            g_ptr_array_add(r, a);
    }
    return r;
}

static char *selector_text(const selector *s)
{
    GString *g = g_string_new(kinds[s->kind]);
    if (s->match)
        g_string_append_printf(g, " %s\"%s\"", s->re ? "~" : s->exact ? "=" : "", s->match);
    if (s->index)
        g_string_append_printf(g, " %d", s->index);
    if (s->page)
        g_string_append_printf(g, " on page %d", s->page);
    return g_string_free(g, FALSE);
}

static char *area_text(const area *a)
{
    if (a->kind == K_TEXT)
        return g_strdup_printf("text \"%s\" on page %d at x %.1f y %.1f w %.1f", a->text, a->page, a->x, a->y, a->w);
    return g_strdup_printf("%s%s%s on page %d at x %.1f y %.1f w %.1f h %.1f", kinds[a->kind], a->text ? " " : "",
                           a->text ? a->text : "", a->page, a->x, a->y, a->w, a->h);
}

/* Whether area a meets predicate p; when not, *why says how. */
static bool holds(const dump *d, const area *a, const predicate *p, char **why)
{
    double m[] = {a->x, a->y, a->w, a->h, a->x + a->w, a->y + a->h};
    if (p->kind <= P_BOTTOM) {
        if (value_ok(&p->val, m[p->kind]))
            return true;
        char *v = value_text(&p->val);
        *why = g_strdup_printf("%s is %.1f, not %s", pred_names[p->kind], m[p->kind], v);
        g_free(v);
        return false;
    }
    if (p->kind == P_PAGE) {
        if (a->page == p->page)
            return true;
        *why = g_strdup_printf("on page %d, not %d", a->page, p->page);
        return false;
    }
    GPtrArray *others = select_areas(d, &p->other);
    if (others->len == 0) {
        char *s = selector_text(&p->other);
        *why = g_strdup_printf("there is no %s", s);
        g_free(s);
        g_ptr_array_free(others, TRUE);
        return false;
    }
    const area *b = others->pdata[0];
    g_ptr_array_free(others, TRUE);
    bool ok = a->page == b->page;
    double dist = 0;
    switch (p->kind) {
    case P_LEFT_OF:
        ok = ok && a->x + a->w <= b->x + ORDER_EPS && a->x < b->x;
        dist = b->x - a->x;
        break;
    case P_RIGHT_OF:
        ok = ok && b->x + b->w <= a->x + ORDER_EPS && b->x < a->x;
        dist = a->x - b->x;
        break;
    case P_ABOVE:
        ok = ok && a->y + a->h <= b->y + ORDER_EPS && a->y < b->y - ORDER_EPS;
        dist = b->y - a->y;
        break;
    case P_BELOW:
        ok = ok && b->y + b->h <= a->y + ORDER_EPS && b->y < a->y - ORDER_EPS;
        dist = a->y - b->y;
        break;
    case P_SAME_BASELINE: ok = ok && fabs(a->y - b->y) <= SAME_EPS; break;
    case P_SAME_X: ok = ok && fabs(a->x - b->x) <= SAME_EPS; break;
    case P_SAME_RIGHT: ok = ok && fabs(a->x + a->w - (b->x + b->w)) <= SAME_EPS; break;
    case P_SAME_PAGE: break;
    case P_INSIDE:
        ok = ok && a->x >= b->x - ORDER_EPS && a->x + a->w <= b->x + b->w + ORDER_EPS && a->y >= b->y - ORDER_EPS &&
             a->y + a->h <= b->y + b->h + ORDER_EPS;
        break;
    default: break;
    }
    bool by_ok = !p->has_by || value_ok(&p->val, dist);
    if (!ok || !by_ok) {
        char *bt = area_text(b);
        if (ok) {
            char *v = value_text(&p->val);
            *why = g_strdup_printf("%s by %.1f, not %s, %s", pred_names[p->kind], dist, v, bt);
            g_free(v);
        } else {
            *why = g_strdup_printf("not %s %s", pred_names[p->kind], bt);
        }
        g_free(bt);
        return false;
    }
    return true;
}

/* The value of a "Field:" line of pdfinfo's output; caller frees. */
static char *info_field(const char *pdfinfo, const char *field)
{
    char *key = g_strdup_printf("\n%s:", field);
    char *all = g_strdup_printf("\n%s", pdfinfo ? pdfinfo : "");
    const char *p = strstr(all, key);
    char *v = NULL;
    if (p) {
        p += strlen(key);
        const char *e = strchr(p, '\n');
        v = g_strstrip(e ? g_strndup(p, (size_t)(e - p)) : g_strdup(p));
    }
    g_free(key);
    g_free(all);
    return v;
}

/* Whether pdffonts lists an embedded font of that name (after the subset tag "ABCDEF+"). */
static bool has_font(const char *pdffonts, const char *name)
{
    char **lines = g_strsplit(pdffonts ? pdffonts : "", "\n", -1);
    bool found = false;
    for (int i = 2; lines[0] && lines[1] && lines[i] && !found; i++) {
        char **tok = g_strsplit_set(lines[i], " ", -1);
        GPtrArray *words = g_ptr_array_new();
        for (int k = 0; tok[k]; k++)
            if (*tok[k])
                g_ptr_array_add(words, tok[k]);
        /* name type... emb sub uni object-number generation */
        const char *font = words->len ? words->pdata[0] : "";
        const char *plus = strchr(font, '+');
        if (plus && plus - font == 6)
            font = plus + 1;
        found = words->len >= 6 && !strcmp(font, name) && !strcmp(words->pdata[words->len - 5], "yes");
        g_ptr_array_free(words, TRUE);
        g_strfreev(tok);
    }
    g_strfreev(lines);
    return found;
}

/* Checks one statement; on failure appends to failures. */
static void evaluate(const doc *doc, const statement *st, const char *where, GString *failures)
{
    const dump *d = &doc->d;
    if (st->what == S_PAGES) {
        if (d->pages != st->pages)
            g_string_append_printf(failures, "%s: %d pages\n", where, d->pages);
        return;
    }
    if (st->what == S_INFO) {
        char *v = info_field(doc->pdfinfo, st->field);
        if (!v || strcmp(v, st->value))
            g_string_append_printf(failures, "%s: pdfinfo says %s: %s\n", where, st->field, v ? v : "(nothing)");
        g_free(v);
        return;
    }
    if (st->what == S_FONT) {
        if (!has_font(doc->pdffonts, st->value))
            g_string_append_printf(failures, "%s: not among the embedded fonts:\n%s\n", where, doc->pdffonts ? doc->pdffonts : "");
        return;
    }
    GPtrArray *cand = select_areas(d, &st->sel);
    GString *why = g_string_new(NULL);
    int meet = 0, shown = 0;
    for (guint i = 0; i < cand->len; i++) {
        const area *a = cand->pdata[i];
        char *w = NULL;
        bool ok = true;
        for (int k = 0; k < st->npreds && ok; k++)
            ok = holds(d, a, &st->preds[k], &w);
        if (ok) {
            meet++;
        } else if (shown++ < 4) {
            char *at = area_text(a);
            g_string_append_printf(why, "\n    %s: %s", at, w);
            g_free(at);
        }
        g_free(w);
    }
    if (shown > 4)
        g_string_append_printf(why, "\n    (and %d more)", shown - 4);
    if (st->counted) {
        if (!value_ok(&st->count, meet))
            g_string_append_printf(failures, "%s: %d found%s\n", where, meet, st->npreds ? why->str : "");
    } else if (cand->len == 0) {
        char *s = selector_text(&st->sel);
        g_string_append_printf(failures, "%s: there is no %s", where, s);
        g_free(s);
        if (st->sel.page && st->sel.kind == K_TEXT && st->sel.match) {
            /* say where the text is instead */
            selector any = st->sel;
            any.page = 0;
            GPtrArray *elsewhere = select_areas(d, &any);
            for (guint i = 0; i < elsewhere->len && i < 4; i++) {
                char *at = area_text(elsewhere->pdata[i]);
                g_string_append_printf(failures, "\n    but %s", at);
                g_free(at);
            }
            g_ptr_array_free(elsewhere, TRUE);
        }
        g_string_append_c(failures, '\n');
    } else if (st->every ? meet < (int)cand->len : meet == 0) {
        g_string_append_printf(failures, "%s:%s\n", where, why->str);
    }
    g_string_free(why, TRUE);
    g_ptr_array_free(cand, TRUE);
}

/* Checks every statement of an expectation text; returns how many there are. */
static int check_expectations(const doc *d, const char *text, const char *name, GString *failures)
{
    char **lines = g_strsplit(text, "\n", -1);
    int n = 0;
    for (int i = 0; lines[i]; i++) {
        statement st;
        char *error = NULL;
        char *where = g_strdup_printf("%s line %d `%s`", name, i + 1, g_strstrip(lines[i]));
        if (parse_statement(lines[i], &st, &error)) {
            evaluate(d, &st, where, failures);
            n++;
        } else if (error) {
            g_string_append_printf(failures, "%s: %s\n", where, error);
        }
        free_statement(&st);
        g_free(error);
        g_free(where);
    }
    g_strfreev(lines);
    return n;
}

/* ------------------------------------------------------------------ one test case a file */

/* Every page has the size of one of the file's page masters. */
static void check_page_sizes(const char *file, const char *pdfinfo, GString *failures)
{
    char *path = g_strdup_printf("%s/%s", wb_test_path("tests/fo"), file);
    char *fo = wb_test_read(path, NULL);
    g_free(path);
    GArray *sizes = g_array_new(FALSE, FALSE, sizeof(double));
    GRegex *master = g_regex_new("<fo:simple-page-master[^>]*>", 0, 0, NULL);
    GRegex *dim = g_regex_new("page-(width|height)=\"([^\"]+)\"", 0, 0, NULL);
    GMatchInfo *mi;
    g_regex_match(master, fo, 0, &mi);
    while (g_match_info_matches(mi)) {
        char *tag = g_match_info_fetch(mi, 0);
        double w = 595.276, h = 841.89;
        GMatchInfo *di;
        g_regex_match(dim, tag, 0, &di);
        while (g_match_info_matches(di)) {
            char *which = g_match_info_fetch(di, 1), *val = g_match_info_fetch(di, 2);
            wb_len l;
            if (wb_parse_length(val, 12, &l))
                *(which[0] == 'w' ? &w : &h) = l.pt;
            g_free(which);
            g_free(val);
            g_match_info_next(di, NULL);
        }
        g_match_info_free(di);
        g_array_append_val(sizes, w);
        g_array_append_val(sizes, h);
        g_free(tag);
        g_match_info_next(mi, NULL);
    }
    g_match_info_free(mi);
    for (const char *p = pdfinfo; (p = strstr(p, " size: ")) != NULL; p++) {
        double w, h;
        if (sscanf(p, " size: %lf x %lf", &w, &h) != 2)
            continue;
        bool ok = false;
        for (guint i = 0; i + 1 < sizes->len; i += 2)
            ok = ok || (fabs(g_array_index(sizes, double, i) - w) < 0.5 && fabs(g_array_index(sizes, double, i + 1) - h) < 0.5);
        if (!ok) {
            g_string_append_printf(failures, "a page of %.1f x %.1f pt, no page master has that size\n", w, h);
            break;
        }
    }
    g_regex_unref(master);
    g_regex_unref(dim);
    g_array_free(sizes, TRUE);
    free(fo);
}

/* The file formats into FOP's page count, on its masters' page sizes, into a sound PDF, and
 * its areas meet NAME.expect. */
START_TEST(fo_file)
{
    const expected *e = &g_array_index(files, expected, _i);
    GString *failures = g_string_new(NULL);
    char *tmp = wb_test_tmpdir();
    char *cmd = g_strdup_printf("cd '%s' && '%s' render '%s' -q -o '%s/out.pdf' && pdfinfo -f 1 -l 999 '%s/out.pdf' && "
                                "qpdf --check '%s/out.pdf' >/dev/null",
                                wb_test_path("tests/fo"), wb_test_bin(), e->file, tmp, tmp, tmp);
    char *info = NULL;
    int rc = wb_test_run(cmd, &info, true);
    g_free(cmd);
    const char *p = info ? strstr(info, "Pages:") : NULL;
    int pages = p ? atoi(p + 6) : -1;
    if (rc != 0)
        g_string_append_printf(failures, "exit %d\n%s\n", rc, info ? info : "");
    else if (pages != e->pages)
        g_string_append_printf(failures, "%d pages, FOP %d (tests/fo/EXPECTED.txt)\n", pages, e->pages);
    else
        check_page_sizes(e->file, info, failures);

    char *name = g_strndup(e->file, strlen(e->file) - (g_str_has_suffix(e->file, ".fo") ? 3 : 0));
    char *rel = g_strdup_printf("tests/fo/%s.expect", name);
    char *text = wb_test_read(wb_test_path(rel), NULL);
    if (!text) {
        g_string_append_printf(failures, "%s is missing (see tests/fo/README.md)\n", rel);
    } else if (rc == 0) {
        char *fonts = NULL, *out = NULL;
        cmd = g_strdup_printf("pdffonts '%s/out.pdf'", tmp);
        wb_test_run(cmd, &fonts, false);
        g_free(cmd);
        cmd = g_strdup_printf("cd '%s' && '%s' render '%s' --dump -q -o '%s/dump.pdf'", wb_test_path("tests/fo"),
                              wb_test_bin(), e->file, tmp);
        rc = wb_test_run(cmd, &out, false);
        g_free(cmd);
        if (rc != 0) {
            g_string_append_printf(failures, "--dump exits %d\n", rc);
        } else {
            doc d = {parse_dump(out), info, fonts};
            char *label = g_strdup_printf("%s.expect", name);
            int n = check_expectations(&d, text, label, failures);
            if (n < 2)
                g_string_append_printf(failures, "%s has %d expectations, fewer than 2\n", rel, n);
            g_free(label);
            free_dump(&d.d);
        }
        free(out);
        free(fonts);
    }
    free(text);
    free(info);
    g_free(rel);
    g_free(name);
    drop_tmp(tmp);
    ck_assert_msg(failures->len == 0, "%s: %s", e->file, failures->str);
    g_string_free(failures, TRUE);
}
END_TEST

/* Every tests/fo file is listed in EXPECTED.txt (and so has its test case), and every
 * .expect file belongs to one of them. */
START_TEST(every_file_has_its_test_case)
{
    ck_assert_uint_ge(files->len, 40);
    GDir *dir = g_dir_open(wb_test_path("tests/fo"), 0, NULL);
    ck_assert_ptr_nonnull(dir);
    GString *missing = g_string_new(NULL);
    const char *n;
    while ((n = g_dir_read_name(dir)) != NULL) {
        char *fo = g_str_has_suffix(n, ".expect") ? g_strdup_printf("%.*s.fo", (int)strlen(n) - 7, n)
                   : g_str_has_suffix(n, ".fo")   ? g_strdup(n)
                                                  : NULL;
        if (!fo)
            continue;
        bool listed = false;
        for (guint i = 0; i < files->len && !listed; i++)
            listed = !strcmp(g_array_index(files, expected, i).file, fo);
        if (!listed)
            g_string_append_printf(missing, " %s", n);
        g_free(fo);
    }
    g_dir_close(dir);
    ck_assert_msg(missing->len == 0, "not in tests/fo/EXPECTED.txt (or no such .fo file):%s", missing->str);
    g_string_free(missing, TRUE);
}
END_TEST

/* ------------------------------------------------------------------ the language itself */

static const char *sample_dump =
    "page 1 (i) 297.6x419.5\n"
    "  fill 25.0 30.0 200.0 40.0\n"
    "  text 28.3 41.9 0.0 0.0 w=62.3 \"Module 1\"\n"
    "  text 28.3 54.9 0.0 0.0 w=140.8 \"Introduction to client relations.\"\n"
    "  text 150.0 54.9 0.0 0.0 w=19.1 \"Right\"\n"
    "  rule 25.0 30.3 200.0 0.0\n"
    "  rule 25.0 69.8 200.0 0.0\n"
    "  link 28.3 45.0 62.3 12.0 https://example.org/\n"
    "page 2 (ii) 297.6x419.5\n"
    "  dest 28.3 28.3 0.0 0.0 m2\n"
    "  text 28.3 41.9 0.0 0.0 w=62.3 \"Module 10\"\n"
    "  text 28.3 53.9 0.0 0.0 w=12.0 \"say \"hi\"\"\n"
    "  text 28.3 65.9 0.0 0.0 w=12.0 \"\u00a0\u00a0two no-break spaces\"\n";

static const char *sample_info = "Title:          Relations clients — cahier\n"
                                  "Author:         Équipe\n"
                                  "Pages:          2\n";

static const char *sample_fonts =
    "name                                 type              encoding         emb sub uni object ID\n"
    "------------------------------------ ----------------- ---------------- --- --- --- ---------\n"
    "AAQHJE+PTSans-Regular                TrueType          WinAnsi          yes yes yes      6  0\n"
    "SZPGYL+DejaVuSans                    CID TrueType      Identity-H       yes yes yes     13  0\n"
    "Times-Roman                          Type 1            Standard         no  no  no       9  0\n";

/* How many of the statements of text fail on the sample. */
static int failing(const char *text)
{
    doc d = {parse_dump(sample_dump), sample_info, sample_fonts};
    GString *f = g_string_new(NULL);
    check_expectations(&d, text, "sample", f);
    int n = 0;
    for (const char *p = f->str; (p = strstr(p, "sample line ")) != NULL; p++)
        n++;
    g_string_free(f, TRUE);
    free_dump(&d.d);
    return n;
}

#define PASSES(s) ck_assert_msg(failing(s) == 0, "should pass: %s", s)
#define FAILS(s) ck_assert_msg(failing(s) == 1, "should fail: %s", s)

/* Each form of the language passes where the dump agrees and fails where it does not, so an
 * expectation can always fail. */
START_TEST(expect_language)
{
    PASSES("pages 2");
    FAILS("pages 3");
    PASSES("# a comment\n\n   ");
    PASSES("text \"Module 1\" page 1");
    PASSES("text \"Module 1\" page 2"); /* "Module 10" contains it */
    FAILS("text =\"Module 1\" page 2");
    PASSES("text =\"Module 10\" page 2");
    FAILS("text \"Module 3\"");
    FAILS("text \"Introduction\" on page 2");
    PASSES("text \"Module 1\" on page 1 x 28.3 y 41.9 w 62.3 h 0 right 90.6±0.1");
    FAILS("text \"Module 1\" on page 1 x 28.0");
    PASSES("text \"Module 1\" on page 1 x 28.0±0.5");
    FAILS("text \"Module 1\" on page 1 x 28.0±0.2");
    PASSES("text \"Module 1\" on page 1 x 28.0+-0.5 x <= 28.3");
    PASSES("text \"Module\" x <=28.3 w >=62.3");
    FAILS("text \"Module\" w >=62.4");
    FAILS("text \"Module\" w <=62.2");
    PASSES("text \"Module\" 2 page 2");
    FAILS("text \"Module\" 2 page 1");
    FAILS("text \"Module\" 3");
    PASSES("text count 6");
    PASSES("text on page 1 count 3");
    FAILS("text on page 1 count 2");
    PASSES("text \"Module\" x 28.3 count 2");
    PASSES("every text on page 1 right <=200");
    FAILS("every text right <=100");
    FAILS("every text \"nothing\" right <=100");
    PASSES("fill 1 x 25 y 30 w 200 h 40 bottom 70");
    PASSES("rule count 2");
    PASSES("rule 2 y 69.8");
    FAILS("rule 1 y 69.8");
    PASSES("rule y 69.8");
    PASSES("text \"Module 1\" above text \"Introduction\" by 13±0.1");
    FAILS("text \"Module 1\" above text \"Introduction\" by 12±0.1");
    FAILS("text \"Introduction\" above text \"Module 1\"");
    PASSES("text \"Introduction\" below text \"Module 1\" by >=13");
    FAILS("text \"Introduction\" below text \"Module 10\""); /* on another page */
    PASSES("text \"Module 1\" left-of text \"Right\" by 121.7");
    FAILS("text \"Introduction\" left-of text \"Right\""); /* it reaches past Right's start */
    PASSES("text \"Right\" right-of text \"Module 1\"");
    FAILS("text \"Module 1\" right-of text \"Right\"");
    PASSES("text \"Right\" same-baseline text \"Introduction\"");
    FAILS("text \"Right\" same-baseline text \"Module 1\"");
    PASSES("text \"Introduction\" same-x text \"Module 1\"");
    FAILS("text \"Right\" same-x text \"Module 1\"");
    PASSES("text \"Right\" same-right text \"Introduction\"");
    FAILS("text \"Module 1\" same-right text \"Introduction\"");
    PASSES("text \"Right\" same-page text \"Module 1\"");
    FAILS("text \"Module 10\" same-page text \"Introduction\"");
    PASSES("text \"Introduction\" inside fill 1");
    FAILS("text \"Module 10\" inside fill 1");
    FAILS("text \"Module 1\" above text \"Nowhere\"");
    PASSES("link \"example.org\" page 1 w 62.3");
    PASSES("dest =\"m2\" page 2");
    FAILS("dest \"m1\"");
    PASSES("text =\"say \\\"hi\\\"\" page 2");
    PASSES("text =\"  two no-break spaces\"");
    PASSES("text ~\"^Module 1[0-9]$\" page 2");
    FAILS("text ~\"^Module 1$\" page 2");
    PASSES("text ~\"\\p{Lu}\\d\" count 0");
    PASSES("text \"Module\" count >=2");
    FAILS("text \"Module\" count >=3");
    PASSES("text \"Module\" count <=2");
    FAILS("text \"Module\" count <=1");
    PASSES("info Title \"Relations clients — cahier\"");
    FAILS("info Title \"Relations clients\"");
    FAILS("info Subject \"Relations clients — cahier\"");
    PASSES("font \"PTSans-Regular\"");
    PASSES("font \"DejaVuSans\"");
    FAILS("font \"PTSerif\"");
    FAILS("font \"PTSans\""); /* the whole name */
    FAILS("font \"Times-Roman\""); /* listed, but not embedded */
    /* malformed statements are failures too */
    FAILS("text ~\"(\"");
    FAILS("info Title");
    FAILS("font PTSans");
    FAILS("txt \"Module 1\"");
    FAILS("text \"Module 1");
    FAILS("text \"Module 1\" x");
    FAILS("text \"Module 1\" x abc");
    FAILS("text \"Module 1\" nowhere");
    FAILS("fill \"Module 1\"");
    FAILS("text \"Module\" on 2");
    FAILS("every text count 5");
    FAILS("text \"Module 1\" same-x text \"Right\" by 3");
}
END_TEST

/* ------------------------------------------------------------------ PDF structure */

static char *render_and_json(const char *file, const char *json_key, char **tmp_out)
{
    char *tmp = wb_test_tmpdir();
    char *cmd = g_strdup_printf("cd '%s' && '%s' render '%s' -q -o '%s/out.pdf' && qpdf --json %s '%s/out.pdf'",
                                wb_test_path("tests/fo"), wb_test_bin(), file, tmp, json_key, tmp);
    char *out = NULL;
    ck_assert_msg(wb_test_run(cmd, &out, false) == 0, "%s", out ? out : "");
    g_free(cmd);
    *tmp_out = tmp;
    return out;
}

static int count(const char *hay, const char *needle)
{
    int n = 0;
    for (const char *p = hay; (p = strstr(p, needle)) != NULL; p += strlen(needle))
        n++;
    return n;
}

/* Links: an annotation per link and line, internal ones to named destinations, external
 * ones as URI actions, the named destinations there. */
START_TEST(links_are_annotations)
{
    char *tmp;
    char *json = render_and_json("links-internal-external.fo", "", &tmp);
    ck_assert_int_eq(count(json, "\"/Subtype\": \"/Link\""), 5);
    ck_assert_int_eq(count(json, "\"/URI\": \"u:https://example.org/workbook\""), 1);
    ck_assert_int_eq(count(json, "\"/URI\": \"u:mailto:trainer@example.org\""), 1);
    ck_assert_int_ge(count(json, "\"/Dest\": \"u:checklist\""), 1);
    ck_assert_int_ge(count(json, "\"/Dest\": \"u:def-reliability\""), 1);
    /* the named destinations themselves */
    ck_assert_int_ge(count(json, "\"u:checklist\""), 2);
    free(json);
    drop_tmp(tmp);
}
END_TEST

/* Bookmarks: the outline's tree, titles in any script, pages, open and closed entries. */
START_TEST(bookmarks_make_the_outline)
{
    char *tmp;
    char *json = render_and_json("bookmarks.fo", "--json-key=outlines", &tmp);
    ck_assert_int_eq(count(json, "\"title\""), 5);
    ck_assert_ptr_nonnull(strstr(json, "Module 1 — Clients"));
    ck_assert_ptr_nonnull(strstr(json, "1.2 Как удержать клиентов"));
    ck_assert_ptr_nonnull(strstr(json, "Module 2 — Отстъпки"));
    ck_assert_ptr_nonnull(strstr(json, "2.1 Видими отстъпки"));
    ck_assert_int_ge(count(json, "\"open\": false"), 1);
    ck_assert_int_ge(count(json, "\"destpageposfrom1\": 3"), 2);
    free(json);
    drop_tmp(tmp);
}
END_TEST

/* Justified text at least as even as FOP's: the widest gap between two words of a line is
 * no wider than the one FOP leaves in the same file (tests/fo/EXPECTED-gaps.txt). */
START_TEST(justified_as_evenly_as_fop)
{
    char *text = wb_test_read(wb_test_path("tests/fo/EXPECTED-gaps.txt"), NULL);
    ck_assert_ptr_nonnull(text);
    char **lines = g_strsplit(text, "\n", -1);
    int checked = 0;
    GRegex *word = g_regex_new("<word xMin=\"([\\d.]+)\" yMin=\"([\\d.]+)\" xMax=\"([\\d.]+)\"", 0, 0, NULL);
    for (int i = 0; lines[i]; i++) {
        char file[256];
        double fop;
        if (lines[i][0] == '#' || sscanf(lines[i], "%255s widest=%lf", file, &fop) != 2)
            continue;
        char *tmp = wb_test_tmpdir();
        char *cmd = g_strdup_printf("cd '%s' && '%s' render '%s' -q -o '%s/out.pdf' && pdftotext -bbox '%s/out.pdf' -",
                                    wb_test_path("tests/fo"), wb_test_bin(), file, tmp, tmp);
        char *out = NULL;
        ck_assert_int_eq(wb_test_run(cmd, &out, false), 0);
        double widest = 0, px1 = 0, py = -1;
        GMatchInfo *mi;
        g_regex_match(word, out, 0, &mi);
        while (g_match_info_matches(mi)) {
            char *a = g_match_info_fetch(mi, 1), *b = g_match_info_fetch(mi, 2), *c = g_match_info_fetch(mi, 3);
            double x0 = atof(a), y0 = atof(b), x1 = atof(c);
            if (py >= 0 && fabs(py - y0) < 1 && x0 > px1 && x0 - px1 > widest)
                widest = x0 - px1;
            px1 = x1;
            py = y0;
            g_free(a);
            g_free(b);
            g_free(c);
            g_match_info_next(mi, NULL);
        }
        g_match_info_free(mi);
        ck_assert_msg(widest <= fop + 0.05, "%s: a gap of %.1fpt, FOP's widest is %.1fpt", file, widest, fop);
        checked++;
        free(out);
        g_free(cmd);
        drop_tmp(tmp);
    }
    ck_assert_int_ge(checked, 8);
    g_regex_unref(word);
    g_strfreev(lines);
    free(text);
}
END_TEST

int main(void)
{
    files = corpus();
    Suite *s = suite_create("fo-corpus");

    TCase *tc = tcase_create("expect-language");
    tcase_add_test(tc, expect_language);
    tcase_add_test(tc, every_file_has_its_test_case);
    suite_add_tcase(s, tc);

    /* one test case a file, named after it: a failure reads "keep-together.fo: ..." */
    for (guint i = 0; i < files->len; i++) {
        tc = tcase_create(g_array_index(files, expected, i).file);
        tcase_set_timeout(tc, 300);
        tcase_add_loop_test(tc, fo_file, (int)i, (int)i + 1);
        suite_add_tcase(s, tc);
    }

    tc = tcase_create("pdf-structure");
    tcase_set_timeout(tc, 600);
    tcase_add_test(tc, links_are_annotations);
    tcase_add_test(tc, bookmarks_make_the_outline);
    tcase_add_test(tc, justified_as_evenly_as_fop);
    suite_add_tcase(s, tc);

    int failed = wb_test_run_suite(s);
    for (guint i = 0; i < files->len; i++)
        g_free(g_array_index(files, expected, i).file);
    g_array_free(files, TRUE);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
