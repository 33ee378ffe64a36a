/* Profiling: keeps the elements whose xml:lang, edition, audience and brand match a build,
 * and chooses the language kept.  Hands on wb_profile_filter, load_profile_filter (which also
 * records what the language filter took out, for messages) and load_choose_lang. */
#include "load/load-private.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* xml:lang "fr-CA" matches the language range "fr"; "fr" does not match "fr-CA". */
static bool lang_matches(const char *tag, const char *want)
{
    size_t n = strlen(want);
    return strncasecmp(tag, want, n) == 0 && (tag[n] == 0 || tag[n] == '-');
}

/* True when `word` is one of the words of a space-separated list. */
static bool list_contains(const char *list, const char *word)
{
    size_t n = strlen(word);
    for (const char *p = list; *p;) {
        while (*p == ' ' || *p == '\t' || *p == '\n')
            p++;
        const char *e = p;
        while (*e && *e != ' ' && *e != '\t' && *e != '\n')
            e++;
        if ((size_t)(e - p) == n && strncmp(p, word, n) == 0)
            return true;
        p = e;
    }
    return false;
}

static bool profile_keeps(xmlNodePtr n, const wb_profile *p)
{
    bool keep = true;
    xmlChar *v;
    if (p->lang && (v = xmlGetNsProp(n, BAD_CAST "lang", BAD_CAST XML_NS))) {
        keep = lang_matches((const char *)v, p->lang);
        xmlFree(v);
    }
    static const char *const attrs[] = {"edition", "audience", "brand"};
    const char *want[] = {p->edition, p->audience, p->brand};
    for (int i = 0; keep && i < 3; i++) {
        if (!want[i] || !(v = xmlGetNoNsProp(n, BAD_CAST attrs[i])))
            continue;
        keep = list_contains((const char *)v, want[i]);
        xmlFree(v);
    }
    return keep;
}

/* Removes an element the profile does not keep, with the whitespace before it, so that
 * pretty-printed sources stay tidy. */
static void drop_element(xmlNodePtr n)
{
    xmlNodePtr prev = n->prev;
    if (prev && xmlIsBlankNode(prev)) {
        xmlUnlinkNode(prev);
        xmlFreeNode(prev);
    }
    xmlUnlinkNode(n);
    xmlFreeNode(n);
}

void load_profile_filter(xmlNodePtr parent, const wb_profile *p, GHashTable *dropped)
{
    for (xmlNodePtr n = parent->children, next; n; n = next) {
        next = n->next;
        if (n->type != XML_ELEMENT_NODE)
            continue;
        if (profile_keeps(n, p)) {
            load_profile_filter(n, p, dropped);
            continue;
        }
        /* what was dropped, where: "<module> has no <title> in language fr" */
        if (dropped && !g_hash_table_contains(dropped, parent))
            g_hash_table_insert(dropped, parent, g_strdup((const char *)n->name));
        drop_element(n);
    }
}

void wb_profile_filter(xmlDocPtr doc, const wb_profile *profile)
{
    xmlNodePtr root = xmlDocGetRootElement(doc);
    if (root && profile)
        load_profile_filter(root, profile, NULL);
}

char *load_choose_lang(wb_ctx *ctx, xmlNodePtr root, const char *asked)
{
    xmlChar *langs = xmlGetNoNsProp(root, BAD_CAST "languages");
    char *lang = NULL;
    if (asked) {
        if (langs && !list_contains((const char *)langs, asked))
            load_node_error(ctx, WB_ERR_INPUT, root,
                            "language \"%s\" is not one of this course's languages (%s)", asked, langs);
        else
            lang = strdup(asked);
    } else if (langs) {
        const char *p = (const char *)langs;
        while (*p == ' ')
            p++;
        size_t n = strcspn(p, " \t\n");
        lang = n ? strndup(p, n) : NULL;
    } else {
        xmlChar *l = xmlGetNsProp(root, BAD_CAST "lang", BAD_CAST XML_NS);
        if (l)
            lang = strdup((const char *)l);
        xmlFree(l);
    }
    xmlFree(langs);
    return lang;
}
