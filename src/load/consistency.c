/* The language versions of one course against each other: every exercise present in several
 * languages must be of the same kind, with the same counts (items, choices, pairs, steps,
 * blanks...) and the same key; every module the same durations and timing steps, and its
 * exercises in the same order (the books number them).  A printed
 * answer key that differs from another language's book is an error naming both places.
 * Elements marked adapted="yes" (a local example, a currency) are skipped with all they
 * hold.  Hands on wb_check_languages to the command line (validate --all). */
#include "workbook/load.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

/* One element in one language. */
typedef struct side {
    const char *lang;
    xmlNodePtr node;
} side;

typedef struct checker {
    wb_ctx *ctx;
    char *folder; /* the course's folder, to name files as the course does; NULL: as they are */
    int errors;
} checker;

/* ------------------------------------------------------------------ small helpers */

static bool is_element(xmlNodePtr n, const char *name)
{
    return n && n->type == XML_ELEMENT_NODE && (!name || xmlStrEqual(n->name, BAD_CAST name));
}

/* The attribute as a string the caller frees with g_free, or a copy of `dflt` (may be NULL). */
static char *attr(xmlNodePtr n, const char *name, const char *dflt)
{
    xmlChar *v = n ? xmlGetNoNsProp(n, BAD_CAST name) : NULL;
    char *s = g_strdup(v ? (const char *)v : dflt);
    xmlFree(v);
    return s;
}

/* True when `n` or one of its ancestors says adapted="yes": a language's own version. */
static bool adapted(xmlNodePtr n)
{
    for (; n && n->type == XML_ELEMENT_NODE; n = n->parent) {
        xmlChar *v = xmlGetNoNsProp(n, BAD_CAST "adapted");
        bool yes = v && xmlStrEqual(v, BAD_CAST "yes");
        xmlFree(v);
        if (yes)
            return true;
    }
    return false;
}

static xmlNodePtr first_child(xmlNodePtr parent, const char *name)
{
    for (xmlNodePtr c = parent ? parent->children : NULL; c; c = c->next)
        if (is_element(c, name))
            return c;
    return NULL;
}

/* The element children of `parent` named `name`, in order (borrowed nodes; the caller frees
 * the array with g_ptr_array_free(a, TRUE)). */
static GPtrArray *children(xmlNodePtr parent, const char *name)
{
    GPtrArray *a = g_ptr_array_new();
    for (xmlNodePtr c = parent ? parent->children : NULL; c; c = c->next)
        if (is_element(c, name))
            g_ptr_array_add(a, c);
    return a;
}

/* Every element named `name` below `n` (at any depth), in document order, into `out`. */
static void descendants(xmlNodePtr n, const char *name, GPtrArray *out)
{
    for (xmlNodePtr c = n ? n->children : NULL; c; c = c->next) {
        if (!is_element(c, NULL))
            continue;
        if (xmlStrEqual(c->name, BAD_CAST name))
            g_ptr_array_add(out, c);
        descendants(c, name, out);
    }
}

static char letter(guint i)
{
    return i < 26 ? (char)('A' + i) : '?';
}

/* ------------------------------------------------------------------ the message */

/* A file as the course names it: relative to the course's folder when it lies inside. */
static const char *course_relative(const checker *ck, const char *file)
{
    size_t fl = ck->folder ? strlen(ck->folder) : 0;
    if (file && fl && !strncmp(file, ck->folder, fl) && file[fl] == '/')
        return file + fl + 1;
    return file ? file : "?";
}

/* "WHAT: VA in LA (file:line) but VB in LB (file:line)", at b's position. */
static void differ(checker *ck, const char *what, side a, const char *va, side b, const char *vb)
{
    char *fa, *fb;
    int la, ca, lb, cb;
    wb_node_position(a.node, &fa, &la, &ca);
    wb_node_position(b.node, &fb, &lb, &cb);
    wb_error(ck->ctx, WB_ERR_INPUT, fb, lb, cb, "%s: %s in %s (%s:%d) but %s in %s (%s:%d)", what, va, a.lang,
             course_relative(ck, fa), la, vb, b.lang, course_relative(ck, fb), lb);
    ck->errors++;
    free(fa);
    free(fb);
}

/* Compares the attribute `name` of two elements (`dflt` when absent); `unit` is written
 * after the value ("10 minutes") or before it when it ends with a space ("mode pairs"). */
static bool same_attr(checker *ck, const char *what, side a, side b, const char *name, const char *dflt,
                      const char *unit)
{
    char *va = attr(a.node, name, dflt), *vb = attr(b.node, name, dflt);
    bool same = g_strcmp0(va, vb) == 0;
    if (!same) {
        bool before = unit && *unit && unit[strlen(unit) - 1] == ' ';
        char *ta = before ? g_strconcat(unit, va ? va : "none", NULL)
                          : g_strconcat(va ? va : "none", unit ? unit : "", NULL);
        char *tb = before ? g_strconcat(unit, vb ? vb : "none", NULL)
                          : g_strconcat(vb ? vb : "none", unit ? unit : "", NULL);
        differ(ck, what, a, ta, b, tb);
        g_free(ta);
        g_free(tb);
    }
    g_free(va);
    g_free(vb);
    return same;
}

/* "3 choices", "1 choice": `things` is the plural, in English. */
static char *count_of(guint n, const char *things)
{
    size_t len = strlen(things);
    if (n != 1)
        return g_strdup_printf("%u %s", n, things);
    if (len > 3 && !strcmp(things + len - 3, "ria"))
        return g_strdup_printf("1 %.*son", (int)(len - 1), things); /* criteria */
    return g_strdup_printf("1 %.*s", (int)(len > 1 ? len - 1 : len), things);
}

/* Compares two counts of things, reported at the elements that hold them. */
static bool same_count(checker *ck, const char *what, side a, guint na, side b, guint nb, const char *things)
{
    if (na == nb)
        return true;
    char *ta = count_of(na, things), *tb = count_of(nb, things);
    differ(ck, what, a, ta, b, tb);
    g_free(ta);
    g_free(tb);
    return false;
}

/* The i-th elements of two lists, as sides. */
static void nth(const GPtrArray *la, const GPtrArray *lb, guint i, side a, side b, side *sa, side *sb)
{
    *sa = (side){a.lang, g_ptr_array_index(la, i)};
    *sb = (side){b.lang, g_ptr_array_index(lb, i)};
}

/* Two lists of children: same count, then `each` on every pair neither side adapted. */
typedef void (*pair_fn)(checker *ck, const char *what, side a, side b);

static void same_list(checker *ck, const char *what, side a, side b, const char *child, const char *things,
                      const char *item_word, pair_fn each)
{
    GPtrArray *la = children(a.node, child), *lb = children(b.node, child);
    if (same_count(ck, what, a, la->len, b, lb->len, things) && each)
        for (guint i = 0; i < la->len; i++) {
            side sa, sb;
            nth(la, lb, i, a, b, &sa, &sb);
            if (adapted(sa.node) || adapted(sb.node))
                continue;
            char *w = g_strdup_printf("%s %s %u", what, item_word, i + 1);
            each(ck, w, sa, sb);
            g_free(w);
        }
    g_ptr_array_free(la, TRUE);
    g_ptr_array_free(lb, TRUE);
}

/* ------------------------------------------------------------------ exercise kinds */

static void statement_pair(checker *ck, const char *what, side a, side b)
{
    same_attr(ck, what, a, b, "answer", NULL, "");
}

/* The right choices of an item, as letters ("A, C"), leaving out the positions `skip` marks. */
static char *right_choices(const GPtrArray *choices, const bool *skip)
{
    GString *s = g_string_new(NULL);
    for (guint i = 0; i < choices->len; i++) {
        if (skip[i])
            continue;
        char *v = attr(g_ptr_array_index(choices, i), "correct", "false");
        if (!strcmp(v, "true"))
            g_string_append_printf(s, "%s%c", s->len ? ", " : "", letter(i));
        g_free(v);
    }
    if (!s->len)
        g_string_append(s, "none");
    return g_string_free(s, FALSE);
}

static void choice_item_pair(checker *ck, const char *what, side a, side b)
{
    GPtrArray *ca = children(a.node, "choice"), *cb = children(b.node, "choice");
    if (same_count(ck, what, a, ca->len, b, cb->len, "choices")) {
        bool *skip = g_new0(bool, ca->len + 1);
        for (guint i = 0; i < ca->len; i++)
            skip[i] = adapted(g_ptr_array_index(ca, i)) || adapted(g_ptr_array_index(cb, i));
        char *ka = right_choices(ca, skip), *kb = right_choices(cb, skip);
        if (strcmp(ka, kb) != 0) {
            char *ta = g_strdup_printf("right %s", ka), *tb = g_strdup_printf("right %s", kb);
            differ(ck, what, a, ta, b, tb);
            g_free(ta);
            g_free(tb);
        }
        g_free(ka);
        g_free(kb);
        g_free(skip);
    }
    g_ptr_array_free(ca, TRUE);
    g_ptr_array_free(cb, TRUE);
}

/* The key of a matching exercise: for each left item, the letter of the right item it names
 * ("C-E-A-D-B"), a dot for the positions `skip` marks. */
static char *matching_key(xmlNodePtr matching, const bool *skip)
{
    GPtrArray *left = children(first_child(matching, "left"), "item");
    GPtrArray *right = children(first_child(matching, "right"), "item");
    GString *s = g_string_new(NULL);
    for (guint i = 0; i < left->len; i++) {
        char *m = attr(g_ptr_array_index(left, i), "match", "");
        char c = '?';
        for (guint j = 0; j < right->len && c == '?'; j++) {
            char *id = attr(g_ptr_array_index(right, j), "id", NULL);
            if (id && !strcmp(id, m))
                c = letter(j);
            g_free(id);
        }
        g_string_append_printf(s, "%s%c", i ? "-" : "", skip[i] ? '.' : c);
        g_free(m);
    }
    g_ptr_array_free(left, TRUE);
    g_ptr_array_free(right, TRUE);
    return g_string_free(s, FALSE);
}

static void compare_matching(checker *ck, const char *id, side a, side b)
{
    side la = {a.lang, first_child(a.node, "left")}, lb = {b.lang, first_child(b.node, "left")};
    side ra = {a.lang, first_child(a.node, "right")}, rb = {b.lang, first_child(b.node, "right")};
    GPtrArray *ia = children(la.node, "item"), *ib = children(lb.node, "item");
    GPtrArray *ja = children(ra.node, "item"), *jb = children(rb.node, "item");
    bool counts = same_count(ck, id, la, ia->len, lb, ib->len, "left items");
    counts = same_count(ck, id, ra, ja->len, rb, jb->len, "right items") && counts;
    if (counts) {
        bool *skip = g_new0(bool, ia->len + 1);
        for (guint i = 0; i < ia->len; i++)
            skip[i] = adapted(g_ptr_array_index(ia, i)) || adapted(g_ptr_array_index(ib, i));
        char *ka = matching_key(a.node, skip), *kb = matching_key(b.node, skip);
        if (strcmp(ka, kb) != 0) {
            char *ta = g_strdup_printf("key %s", ka), *tb = g_strdup_printf("key %s", kb);
            differ(ck, id, a, ta, b, tb);
            g_free(ta);
            g_free(tb);
        }
        g_free(ka);
        g_free(kb);
        g_free(skip);
    }
    g_ptr_array_free(ia, TRUE);
    g_ptr_array_free(ib, TRUE);
    g_ptr_array_free(ja, TRUE);
    g_ptr_array_free(jb, TRUE);
}

static void step_pair(checker *ck, const char *what, side a, side b)
{
    same_attr(ck, what, a, b, "position", NULL, "position ");
}

static void points_pair(checker *ck, const char *what, side a, side b)
{
    same_attr(ck, what, a, b, "points", "1", "points ");
}

static void band_pair(checker *ck, const char *what, side a, side b)
{
    char *lo_a = attr(a.node, "min", "?"), *hi_a = attr(a.node, "max", "?");
    char *lo_b = attr(b.node, "min", "?"), *hi_b = attr(b.node, "max", "?");
    char *ta = g_strdup_printf("%s-%s", lo_a, hi_a), *tb = g_strdup_printf("%s-%s", lo_b, hi_b);
    if (strcmp(ta, tb) != 0)
        differ(ck, what, a, ta, b, tb);
    g_free(ta);
    g_free(tb);
    g_free(lo_a);
    g_free(hi_a);
    g_free(lo_b);
    g_free(hi_b);
}

static void question_pair(checker *ck, const char *what, side a, side b)
{
    same_attr(ck, what, a, b, "lines", "default", " lines");
}

static void compare_fill_in(checker *ck, const char *id, side a, side b)
{
    GPtrArray *ga = g_ptr_array_new(), *gb = g_ptr_array_new();
    descendants(a.node, "gap", ga);
    descendants(b.node, "gap", gb);
    same_count(ck, id, a, ga->len, b, gb->len, "blanks");
    g_ptr_array_free(ga, TRUE);
    g_ptr_array_free(gb, TRUE);
    side wa = {a.lang, first_child(a.node, "word-bank")}, wb = {b.lang, first_child(b.node, "word-bank")};
    if (wa.node && wb.node && !adapted(wa.node) && !adapted(wb.node)) {
        char *what = g_strdup_printf("%s word bank", id);
        same_list(ck, what, wa, wb, "word", "words", "word", NULL);
        g_free(what);
    }
}

static void compare_rating_scale(checker *ck, const char *id, side a, side b)
{
    char *lo_a = attr(a.node, "min", "?"), *hi_a = attr(a.node, "max", "?");
    char *lo_b = attr(b.node, "min", "?"), *hi_b = attr(b.node, "max", "?");
    char *ta = g_strdup_printf("scale %s-%s", lo_a, hi_a), *tb = g_strdup_printf("scale %s-%s", lo_b, hi_b);
    if (strcmp(ta, tb) != 0)
        differ(ck, id, a, ta, b, tb);
    g_free(ta);
    g_free(tb);
    g_free(lo_a);
    g_free(hi_a);
    g_free(lo_b);
    g_free(hi_b);
    same_list(ck, id, a, b, "criterion", "criteria", "criterion", NULL);
}

static void compare_role_play(checker *ck, const char *id, side a, side b)
{
    same_list(ck, id, a, b, "role", "roles", "role", NULL);
    side oa = {a.lang, first_child(a.node, "observer-sheet")}, ob = {b.lang, first_child(b.node, "observer-sheet")};
    if (oa.node && ob.node && !adapted(oa.node) && !adapted(ob.node)) {
        char *what = g_strdup_printf("%s observer sheet", id);
        same_list(ck, what, oa, ob, "criterion", "criteria", "criterion", NULL);
        g_free(what);
    }
}

/* The body of an exercise: its one child that is neither title nor instructions. */
static xmlNodePtr exercise_body(xmlNodePtr ex)
{
    for (xmlNodePtr c = ex->children; c; c = c->next)
        if (is_element(c, NULL) && !xmlStrEqual(c->name, BAD_CAST "title") &&
            !xmlStrEqual(c->name, BAD_CAST "instructions"))
            return c;
    return NULL;
}

static void compare_exercise(checker *ck, const char *id, side a, side b)
{
    if (adapted(a.node) || adapted(b.node))
        return;
    same_attr(ck, id, a, b, "mode", NULL, "mode ");
    same_attr(ck, id, a, b, "minutes", NULL, " minutes");
    side ba = {a.lang, exercise_body(a.node)}, bb = {b.lang, exercise_body(b.node)};
    if (!ba.node || !bb.node || adapted(ba.node) || adapted(bb.node))
        return;
    const char *kind = (const char *)ba.node->name;
    if (strcmp(kind, (const char *)bb.node->name) != 0) {
        differ(ck, id, ba, kind, bb, (const char *)bb.node->name);
        return;
    }
    if (!strcmp(kind, "true-false"))
        same_list(ck, id, ba, bb, "statement", "statements", "item", statement_pair);
    else if (!strcmp(kind, "single-choice") || !strcmp(kind, "multiple-choice"))
        same_list(ck, id, ba, bb, "item", "items", "item", choice_item_pair);
    else if (!strcmp(kind, "matching"))
        compare_matching(ck, id, ba, bb);
    else if (!strcmp(kind, "sequencing"))
        same_list(ck, id, ba, bb, "step", "steps", "step", step_pair);
    else if (!strcmp(kind, "fill-in"))
        compare_fill_in(ck, id, ba, bb);
    else if (!strcmp(kind, "checklist")) {
        same_list(ck, id, ba, bb, "item", "items", "item", points_pair);
        same_list(ck, id, ba, bb, "band", "bands", "band", band_pair);
    } else if (!strcmp(kind, "rating-scale"))
        compare_rating_scale(ck, id, ba, bb);
    else if (!strcmp(kind, "role-play"))
        compare_role_play(ck, id, ba, bb);
    else if (!strcmp(kind, "open") || !strcmp(kind, "discussion")) {
        if (!strcmp(kind, "discussion"))
            same_attr(ck, id, ba, bb, "case", "none", "case ");
        same_list(ck, id, ba, bb, "question", "questions", "question", question_pair);
    }
}

/* ------------------------------------------------------------------ modules and the course */

static void timing_step_pair(checker *ck, const char *what, side a, side b)
{
    same_attr(ck, what, a, b, "minutes", NULL, " minutes");
}

/* A module's or a course's duration: the minutes of its own <duration>. */
static void compare_duration(checker *ck, const char *id, side a, side b)
{
    side da = {a.lang, first_child(a.node, "duration")}, db = {b.lang, first_child(b.node, "duration")};
    if (da.node && db.node && !adapted(da.node) && !adapted(db.node))
        same_attr(ck, id, da, db, "minutes", NULL, " minutes");
}

/* The exercises of a module that are not adapted, in document order, into `out`. */
static void module_exercises(xmlNodePtr module, GPtrArray *out)
{
    GPtrArray *all = g_ptr_array_new();
    descendants(module, "exercise", all);
    for (guint i = 0; i < all->len; i++)
        if (!adapted(g_ptr_array_index(all, i)))
            g_ptr_array_add(out, g_ptr_array_index(all, i));
    g_ptr_array_free(all, TRUE);
}

static bool same_id(xmlNodePtr x, xmlNodePtr y)
{
    char *ix = attr(x, "id", ""), *iy = attr(y, "id", "");
    bool same = !strcmp(ix, iy);
    g_free(ix);
    g_free(iy);
    return same;
}

/* The exercises both versions of a module hold come in the same order: the styles number
 * them, and "exercise 3" must be the same exercise in every language's book.  The first
 * place they part is reported. */
static void compare_exercise_order(checker *ck, const char *id, side a, side b)
{
    GPtrArray *ea = g_ptr_array_new(), *eb = g_ptr_array_new();
    module_exercises(a.node, ea);
    module_exercises(b.node, eb);
    /* only the exercises present in both count */
    GPtrArray *ca = g_ptr_array_new(), *cb = g_ptr_array_new();
    for (guint i = 0; i < ea->len; i++)
        for (guint j = 0; j < eb->len; j++)
            if (same_id(g_ptr_array_index(ea, i), g_ptr_array_index(eb, j))) {
                g_ptr_array_add(ca, g_ptr_array_index(ea, i));
                break;
            }
    for (guint j = 0; j < eb->len; j++)
        for (guint i = 0; i < ea->len; i++)
            if (same_id(g_ptr_array_index(eb, j), g_ptr_array_index(ea, i))) {
                g_ptr_array_add(cb, g_ptr_array_index(eb, j));
                break;
            }
    for (guint k = 0; k < ca->len && k < cb->len; k++) {
        side xa = {a.lang, g_ptr_array_index(ca, k)}, xb = {b.lang, g_ptr_array_index(cb, k)};
        if (same_id(xa.node, xb.node))
            continue;
        char *what = g_strdup_printf("%s exercise %u", id, k + 1);
        char *va = attr(xa.node, "id", ""), *vb = attr(xb.node, "id", "");
        differ(ck, what, xa, va, xb, vb);
        g_free(va);
        g_free(vb);
        g_free(what);
        break;
    }
    g_ptr_array_free(ea, TRUE);
    g_ptr_array_free(eb, TRUE);
    g_ptr_array_free(ca, TRUE);
    g_ptr_array_free(cb, TRUE);
}

static void compare_module(checker *ck, const char *id, side a, side b)
{
    if (adapted(a.node) || adapted(b.node))
        return;
    compare_duration(ck, id, a, b);
    compare_exercise_order(ck, id, a, b);
    /* the timing steps of the whole module, wherever its <timing> elements are */
    GPtrArray *ta = g_ptr_array_new(), *tb = g_ptr_array_new();
    GPtrArray *sa = g_ptr_array_new(), *sb = g_ptr_array_new();
    descendants(a.node, "timing", ta);
    descendants(b.node, "timing", tb);
    for (guint i = 0; i < ta->len; i++)
        if (!adapted(g_ptr_array_index(ta, i)))
            descendants(g_ptr_array_index(ta, i), "step", sa);
    for (guint i = 0; i < tb->len; i++)
        if (!adapted(g_ptr_array_index(tb, i)))
            descendants(g_ptr_array_index(tb, i), "step", sb);
    if (same_count(ck, id, a, sa->len, b, sb->len, "timing steps"))
        for (guint i = 0; i < sa->len; i++) {
            side xa, xb;
            nth(sa, sb, i, a, b, &xa, &xb);
            if (adapted(xa.node) || adapted(xb.node))
                continue;
            char *w = g_strdup_printf("%s timing step %u", id, i + 1);
            timing_step_pair(ck, w, xa, xb);
            g_free(w);
        }
    g_ptr_array_free(ta, TRUE);
    g_ptr_array_free(tb, TRUE);
    g_ptr_array_free(sa, TRUE);
    g_ptr_array_free(sb, TRUE);
}

/* Exercises and modules with an id, in document order, into `order`, and by id into `byid`. */
static void collect(xmlNodePtr n, GPtrArray *order, GHashTable *byid)
{
    for (; n; n = n->next) {
        if (!is_element(n, NULL))
            continue;
        if (xmlStrEqual(n->name, BAD_CAST "exercise") || xmlStrEqual(n->name, BAD_CAST "module")) {
            xmlChar *id = xmlGetNoNsProp(n, BAD_CAST "id");
            if (id && !g_hash_table_contains(byid, id)) {
                g_ptr_array_add(order, n);
                g_hash_table_insert(byid, g_strdup((const char *)id), n);
            }
            xmlFree(id);
        }
        collect(n->children, order, byid);
    }
}

int wb_check_languages(wb_ctx *ctx, xmlDocPtr const *docs, const char *const *langs, size_t n)
{
    checker ck = {.ctx = ctx};
    if (n > 0 && docs[0] && docs[0]->URL) {
        char *file = NULL;
        int l, c;
        wb_node_position(xmlDocGetRootElement(docs[0]), &file, &l, &c);
        ck.folder = file ? g_path_get_dirname(file) : NULL;
        free(file);
    }
    GHashTable **byid = g_new0(GHashTable *, n + 1);
    GPtrArray **order = g_new0(GPtrArray *, n + 1);
    for (size_t i = 0; i < n; i++) {
        byid[i] = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
        order[i] = g_ptr_array_new();
        if (docs[i])
            collect(xmlDocGetRootElement(docs[i]), order[i], byid[i]);
    }
    /* the course's own duration, then each element against the first language that has it */
    for (size_t i = 1; i < n; i++) {
        side a = {langs[0], docs[0] ? first_child(xmlDocGetRootElement(docs[0]), "meta") : NULL};
        side b = {langs[i], docs[i] ? first_child(xmlDocGetRootElement(docs[i]), "meta") : NULL};
        if (a.node && b.node && !adapted(a.node) && !adapted(b.node))
            compare_duration(&ck, "the course", a, b);
    }
    for (size_t i = 1; i < n; i++)
        for (guint k = 0; k < order[i]->len; k++) {
            xmlNodePtr node = g_ptr_array_index(order[i], k);
            char *id = attr(node, "id", NULL);
            for (size_t j = 0; j < i; j++) {
                xmlNodePtr first = g_hash_table_lookup(byid[j], id);
                if (!first || !xmlStrEqual(first->name, node->name))
                    continue;
                side a = {langs[j], first}, b = {langs[i], node};
                if (xmlStrEqual(node->name, BAD_CAST "module"))
                    compare_module(&ck, id, a, b);
                else
                    compare_exercise(&ck, id, a, b);
                break;
            }
            g_free(id);
        }
    for (size_t i = 0; i < n; i++) {
        g_hash_table_destroy(byid[i]);
        g_ptr_array_free(order[i], TRUE);
    }
    g_free(byid);
    g_free(order);
    g_free(ck.folder);
    return ck.errors ? -1 : 0;
}
