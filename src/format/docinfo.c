/* Document information: the metadata of fo:declarations (Dublin Core in XMP, the first
 * sequence's fo:title, the root's language) and the outline of fo:bookmark-tree, as data
 * for whoever writes the document. */
#include <string.h>

#include "format/format-private.h"

#define DC_NS "http://purl.org/dc/elements/1.1/"

static char *ns_value(xmlNodePtr n, const char *ns, const char *name);

static char *dc_value(xmlNodePtr n, const char *name) { return ns_value(n, DC_NS, name); }

static char *ns_value(xmlNodePtr n, const char *ns, const char *name)
{
    for (; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        if (n->ns && !strcmp((const char *)n->ns->href, ns) && !strcmp((const char *)n->name, name)) {
            xmlChar *c = xmlNodeGetContent(n);
            char *v = g_strdup((const char *)c);
            xmlFree(c);
            g_strstrip(v);
            /* collapse white space from rdf:Alt / rdf:li nesting */
            char *o = v;
            bool sp = false;
            for (char *p = v; *p; p++) {
                if (g_ascii_isspace(*p)) { sp = true; continue; }
                if (sp && o != v) *o++ = ' ';
                sp = false;
                *o++ = *p;
            }
            *o = 0;
            return v;
        }
        char *v = ns_value(n->children, ns, name);
        if (v)
            return v;
    }
    return NULL;
}

static char *fo_text(const wb_fo *fo)
{
    GString *s = g_string_new(NULL);
    for (const wb_fo *c = fo->first; c; c = c->next) {
        if (c->kind == FO_TEXT)
            g_string_append(s, c->text);
        else {
            char *t = fo_text(c);
            g_string_append(s, t);
            g_free(t);
        }
    }
    char *v = g_string_free(s, FALSE);
    /* normalise white space */
    char **parts = g_strsplit_set(v, " \t\r\n", -1);
    GString *o = g_string_new(NULL);
    for (int i = 0; parts[i]; i++)
        if (*parts[i]) {
            if (o->len)
                g_string_append_c(o, ' ');
            g_string_append(o, parts[i]);
        }
    g_strfreev(parts);
    g_free(v);
    return g_string_free(o, FALSE);
}

static void metadata(const wb_fo_tree *tree, wb_docinfo *info)
{
    const wb_fo *decl = wb_fo_child(tree->root, FO_DECLARATIONS);
    xmlNodePtr dn = decl && decl->foreign ? decl->foreign->children : NULL;
    info->title = dc_value(dn, "title");
    info->author = dc_value(dn, "creator");
    info->subject = dc_value(dn, "description");
    info->lang = dc_value(dn, "language");
    info->keywords = dc_value(dn, "subject");
    if (!info->keywords)
        info->keywords = ns_value(dn, "http://ns.adobe.com/pdf/1.3/", "Keywords");
    if (!info->title) {
        const wb_fo *seq = wb_fo_child(tree->root, FO_PAGE_SEQUENCE);
        const wb_fo *t = seq ? wb_fo_child(seq, FO_TITLE) : NULL;
        if (t)
            info->title = fo_text(t);
    }
    if (!info->lang && tree->root->style->lang)
        info->lang = g_strdup(tree->root->style->lang);
    info->creator = g_strdup("workbook engine");
    /* the styles ask for an archival PDF on the root, as they ask for form fields */
    const char *pdfa = wb_fo_ext_attr(tree->root, "pdfa");
    info->pdfa = pdfa && !strcmp(pdfa, "yes");
}

/* The bookmarks below `parent` whose destinations exist, with theirs. */
static void bookmarks(formatter *f, const wb_fo *parent, wb_outline **entries, size_t *count)
{
    GArray *list = g_array_new(FALSE, TRUE, sizeof(wb_outline));
    for (const wb_fo *b = parent->first; b; b = b->next) {
        if (b->kind != FO_BOOKMARK)
            continue;
        const char *dest = wb_fo_attr(b, "internal-destination");
        if (dest && !g_hash_table_contains(f->id_first, dest)) {
            wb_fo_warning(f->ctx, f->tree, b, "fo:bookmark: no object has the id \"%s\"", dest);
            continue;
        }
        if (!dest) {
            if (wb_fo_attr(b, "external-destination"))
                wb_fo_warning_once(f->ctx, f->tree, b, "bookmark-ext",
                                   "fo:bookmark with an external-destination is not supported (ignored)");
            continue;
        }
        const wb_fo *t = wb_fo_child(b, FO_BOOKMARK_TITLE);
        const char *state = wb_fo_attr(b, "starting-state");
        wb_outline e = {.title = t ? fo_text(t) : g_strdup(""), .dest = g_strdup(dest),
                        .open = !state || strcmp(state, "hide") != 0};
        bookmarks(f, b, &e.children, &e.count);
        g_array_append_val(list, e);
    }
    *count = list->len;
    *entries = (wb_outline *)g_array_free(list, list->len == 0);
}

void docinfo_collect(formatter *f, wb_docinfo *info)
{
    metadata(f->tree, info);
    const wb_fo *bt = wb_fo_child(f->tree->root, FO_BOOKMARK_TREE);
    if (bt)
        bookmarks(f, bt, &info->outline, &info->outline_count);
}
