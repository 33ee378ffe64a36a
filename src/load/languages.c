/* The course's languages against each other, before one is kept: an element with an id, or
 * a module, written in some of the languages a course declares but not in the others (a
 * forgotten include, a section left out of one translation); what is there in several is
 * compared by consistency.c.  An element marked adapted="yes" is one language's own on
 * purpose.  Hands on load_check_languages to course.c. */
#include "load/load-private.h"

#include <string.h>

#define MAX_LANGS 32

typedef struct lang_set {
    char *langs[MAX_LANGS];
    int n;
    guint32 all;
} lang_set;

typedef struct seen_id {
    guint32 mask;
    xmlNodePtr first;
} seen_id;

/* The languages of `n` as a mask of the course's: its xml:lang (or an ancestor's) matched as
 * a range ("en" holds "en-GB"), or all of them when it has none. */
static guint32 mask_of(const lang_set *ls, xmlNodePtr n)
{
    xmlChar *l = xmlNodeGetLang(n);
    if (!l)
        return ls->all;
    guint32 m = 0;
    for (int i = 0; i < ls->n; i++) {
        size_t k = strlen(ls->langs[i]);
        if (g_ascii_strncasecmp((const char *)l, ls->langs[i], k) == 0 && (l[k] == 0 || l[k] == '-'))
            m |= 1u << i;
    }
    xmlFree(l);
    return m;
}

/* "fr and bg": the languages of a mask. */
static char *names_of(const lang_set *ls, guint32 mask)
{
    GString *s = g_string_new(NULL);
    int count = 0, total = 0;
    for (int i = 0; i < ls->n; i++)
        total += (mask >> i) & 1;
    for (int i = 0; i < ls->n; i++) {
        if (!((mask >> i) & 1))
            continue;
        if (count)
            g_string_append(s, ++count == total ? " and " : ", ");
        else
            count++;
        g_string_append(s, ls->langs[i]);
    }
    return g_string_free(s, FALSE);
}

/* The next or previous element sibling of `n`, or NULL. */
static xmlNodePtr element_step(xmlNodePtr n, bool forward)
{
    do
        n = forward ? n->next : n->prev;
    while (n && n->type != XML_ELEMENT_NODE);
    return n;
}

/* The languages of `n` and of the run of siblings around it of its name that carry an
 * xml:lang of their own and another id: <para xml:lang="en" id="a"/><para xml:lang="fr"
 * id="b"/> is one paragraph in two languages, whatever their ids. */
static guint32 with_translations(const lang_set *ls, xmlNodePtr n, const xmlChar *id)
{
    guint32 m = mask_of(ls, n);
    /* modules, one file per language, follow each other: they keep their ids across languages */
    if (!xmlHasNsProp(n, BAD_CAST "lang", BAD_CAST XML_NS) || xmlStrEqual(n->name, BAD_CAST "module"))
        return m;
    for (int dir = 0; dir < 2; dir++)
        for (xmlNodePtr s = element_step(n, dir); s && xmlStrEqual(s->name, n->name) &&
                                                 xmlHasNsProp(s, BAD_CAST "lang", BAD_CAST XML_NS);
             s = element_step(s, dir)) {
            xmlChar *sid = xmlGetNoNsProp(s, BAD_CAST "id");
            bool same = sid && xmlStrEqual(sid, id);
            xmlFree(sid);
            if (same)
                break; /* the next element itself, in its languages */
            m |= mask_of(ls, s);
        }
    return m;
}

static void collect(const lang_set *ls, xmlNodePtr n, GHashTable *ids)
{
    for (; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        xmlChar *id = xmlGetNoNsProp(n, BAD_CAST "id");
        if (id) {
            seen_id *s = g_hash_table_lookup(ids, id);
            if (!s) {
                s = g_new0(seen_id, 1);
                s->first = n;
                g_hash_table_insert(ids, g_strdup((const char *)id), s);
            }
            s->mask |= with_translations(ls, n, id);
            xmlFree(id);
        }
        collect(ls, n->children, ids);
    }
}

/* adapted="yes": one language's own on purpose (a local example), with all it holds. */
static bool adapted(xmlNodePtr n)
{
    xmlChar *v = xmlGetNoNsProp(n, BAD_CAST "adapted");
    bool yes = v && xmlStrEqual(v, BAD_CAST "yes");
    xmlFree(v);
    return yes;
}

/* Reports each id missing in some languages once, at its first element; an element whose
 * languages are those of an ancestor already reported is part of that one mistake. */
static void report(wb_ctx *ctx, const lang_set *ls, xmlNodePtr n, GHashTable *ids, guint32 reported)
{
    for (; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE || adapted(n))
            continue;
        guint32 here = reported;
        xmlChar *id = xmlGetNoNsProp(n, BAD_CAST "id");
        seen_id *s = id ? g_hash_table_lookup(ids, id) : NULL;
        if (s && s->first == n && s->mask != ls->all && s->mask != 0 && s->mask != reported) {
            char *in = names_of(ls, s->mask), *out = names_of(ls, ls->all & ~s->mask);
            load_node_warning(ctx, n, "<%s id=\"%s\"> is written in %s but not in %s: the editions in %s go without it",
                              (const char *)n->name, (const char *)id, in, out, out);
            g_free(in);
            g_free(out);
            here = s->mask;
        }
        xmlFree(id);
        report(ctx, ls, n->children, ids, here);
    }
}

/* Modules without ids (those with one are checked by it) are counted per language. */
static void count_modules(wb_ctx *ctx, const lang_set *ls, xmlNodePtr root)
{
    int count[MAX_LANGS] = {0}, most = 0;
    for (xmlNodePtr c = root->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE || !xmlStrEqual(c->name, BAD_CAST "module") ||
            xmlHasProp(c, BAD_CAST "id") || adapted(c))
            continue;
        guint32 m = mask_of(ls, c);
        for (int i = 0; i < ls->n; i++)
            count[i] += (m >> i) & 1;
    }
    guint32 full = 0;
    for (int i = 0; i < ls->n; i++)
        most = MAX(most, count[i]);
    for (int i = 0; i < ls->n; i++)
        if (count[i] == most)
            full |= 1u << i;
    char *in = names_of(ls, full);
    for (int i = 0; i < ls->n; i++)
        if (count[i] < most)
            load_node_warning(ctx, root,
                              "the course has %d modules without an id in %s but %d in %s (a module or its "
                              "<xi:include> left out?)",
                              most, in, count[i], ls->langs[i]);
    g_free(in);
}

void load_check_languages(wb_ctx *ctx, xmlDocPtr doc)
{
    xmlNodePtr root = xmlDocGetRootElement(doc);
    if (!root || !xmlStrEqual(root->name, BAD_CAST "course"))
        return;
    xmlChar *attr = xmlGetNoNsProp(root, BAD_CAST "languages");
    lang_set ls = {.n = 0};
    gchar **v = attr ? g_strsplit_set((const char *)attr, " \t\r\n", -1) : NULL;
    for (int i = 0; v && v[i] && ls.n < MAX_LANGS; i++)
        if (*v[i]) {
            ls.langs[ls.n] = v[i];
            ls.all |= 1u << ls.n;
            ls.n++;
        }
    if (ls.n >= 2) {
        GHashTable *ids = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
        collect(&ls, root, ids);
        report(ctx, &ls, root, ids, 0);
        count_modules(ctx, &ls, root);
        g_hash_table_destroy(ids);
    }
    g_strfreev(v);
    xmlFree(attr);
}
