/* Spelling help for element names: the names the course schema declares, and the one an
 * unknown name was most likely meant to be ("did you mean <instructions>?").  Hands on
 * spelling_read_names and spelling_suggest to validate.c. */
#include "load/load-private.h"

#include <string.h>

static void read_names(xmlNodePtr n, GHashTable *seen, GPtrArray *names)
{
    for (; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        if (xmlStrEqual(n->name, BAD_CAST "element")) {
            xmlChar *name = xmlGetProp(n, BAD_CAST "name");
            if (name && !g_hash_table_contains(seen, name)) {
                char *copy = g_strdup((const char *)name);
                g_hash_table_add(seen, copy);
                g_ptr_array_add(names, copy);
            }
            xmlFree(name);
        }
        read_names(n->children, seen, names);
    }
}

GPtrArray *spelling_read_names(xmlDocPtr rng)
{
    GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
    GHashTable *seen = g_hash_table_new(g_str_hash, g_str_equal);
    if (rng)
        read_names(xmlDocGetRootElement(rng), seen, names);
    g_hash_table_destroy(seen);
    return names;
}

/* Optimal string alignment distance (edits: insert, delete, change, swap two neighbours),
 * on bytes: element names are ASCII.  Stops counting above `limit`. */
static size_t distance(const char *a, const char *b, size_t limit)
{
    size_t la = strlen(a), lb = strlen(b);
    if ((la > lb ? la - lb : lb - la) > limit || la > 64 || lb > 64)
        return limit + 1;
    size_t d[65][65];
    for (size_t i = 0; i <= la; i++)
        d[i][0] = i;
    for (size_t j = 0; j <= lb; j++)
        d[0][j] = j;
    for (size_t i = 1; i <= la; i++)
        for (size_t j = 1; j <= lb; j++) {
            size_t cost = a[i - 1] != b[j - 1];
            size_t best = MIN(MIN(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                best = MIN(best, d[i - 2][j - 2] + 1);
            d[i][j] = best;
        }
    return d[la][lb];
}

const char *spelling_suggest(const GPtrArray *names, const char *name)
{
    if (!names || !name)
        return NULL;
    /* one edit in a short name, two in a longer one: more is another word */
    size_t limit = strlen(name) < 6 ? 1 : 2, best_d = limit + 1;
    const char *best = NULL;
    for (guint i = 0; i < names->len; i++) {
        const char *known = g_ptr_array_index(names, i);
        if (!strcmp(known, name))
            return NULL;
        size_t d = distance(name, known, limit);
        if (d < best_d) {
            best_d = d;
            best = known;
        }
    }
    return best;
}
