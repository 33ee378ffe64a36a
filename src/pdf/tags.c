/* Completing cairo's structure tree with libqpdf; see tags.h. */
#include "pdf/tags.h"

#include <stdlib.h>
#include <string.h>

#include <glib.h>
#include <zlib.h>

/* The structure elements below node, depth first, into out (indirect handles of q). */
static void collect(qpdf_data q, qpdf_oh node, GArray *out, int depth)
{
    if (depth > 512)
        return; /* cairo's trees are as deep as the FO; a deeper one is not cairo's */
    if (qpdf_oh_is_array(q, node)) {
        int n = qpdf_oh_get_array_n_items(q, node);
        for (int i = 0; i < n; i++)
            collect(q, qpdf_oh_get_array_item(q, node, i), out, depth);
        return;
    }
    if (!qpdf_oh_is_dictionary(q, node) || !qpdf_oh_has_key(q, node, "/S"))
        return; /* a marked-content id, a marked-content or object reference */
    g_array_append_val(out, node);
    collect(q, qpdf_oh_get_key(q, node, "/K"), out, depth + 1);
}

static bool is_one_of(qpdf_data q, qpdf_oh oh, GHashTable *ids)
{
    return qpdf_oh_is_indirect(q, oh) && g_hash_table_contains(ids, GINT_TO_POINTER(qpdf_oh_get_object_id(q, oh)));
}

/* Removes from the array the items that are among ids (replaced by null when keep_places,
 * as the parent tree's arrays are indexed by marked-content id). */
static void drop_items(qpdf_data q, qpdf_oh arr, GHashTable *ids, bool keep_places)
{
    for (int i = qpdf_oh_get_array_n_items(q, arr) - 1; i >= 0; i--) {
        if (!is_one_of(q, qpdf_oh_get_array_item(q, arr, i), ids))
            continue;
        if (keep_places)
            qpdf_oh_set_array_item(q, arr, i, qpdf_oh_new_null(q));
        else
            qpdf_oh_erase_item(q, arr, i);
    }
}

/* The parent tree's values that are artifacts become null (a number tree: /Nums, /Kids). */
static void drop_from_parent_tree(qpdf_data q, qpdf_oh node, GHashTable *ids, int depth)
{
    if (!qpdf_oh_is_dictionary(q, node) || depth > 32)
        return;
    qpdf_oh nums = qpdf_oh_get_key(q, node, "/Nums");
    if (qpdf_oh_is_array(q, nums)) {
        int n = qpdf_oh_get_array_n_items(q, nums);
        for (int i = 1; i < n; i += 2) {
            qpdf_oh v = qpdf_oh_get_array_item(q, nums, i);
            if (qpdf_oh_is_array(q, v))
                drop_items(q, v, ids, true);
            else if (is_one_of(q, v, ids))
                qpdf_oh_set_array_item(q, nums, i, qpdf_oh_new_null(q));
        }
    }
    qpdf_oh kids = qpdf_oh_get_key(q, node, "/Kids");
    if (qpdf_oh_is_array(q, kids))
        for (int i = 0; i < qpdf_oh_get_array_n_items(q, kids); i++)
            drop_from_parent_tree(q, qpdf_oh_get_array_item(q, kids, i), ids, depth + 1);
}

/* The end of the token at s[i] of a content stream (ISO 32000-1, 7.2): a string with its
 * nested parentheses and escapes, a hex string, << or >>, a delimiter, or a regular token. */
static size_t token_end(const char *s, size_t i, size_t n)
{
    if (s[i] == '(') {
        int depth = 0;
        for (; i < n; i++) {
            if (s[i] == '\\')
                i++;
            else if (s[i] == '(')
                depth++;
            else if (s[i] == ')' && --depth == 0)
                return i + 1;
        }
        return n;
    }
    if (s[i] == '<' || s[i] == '>') {
        if (i + 1 < n && s[i + 1] == s[i])
            return i + 2;
        if (s[i] == '<')
            while (i < n && s[i] != '>')
                i++;
        return MIN(i + 1, n);
    }
    if (strchr("[]{}/", s[i])) {
        size_t j = i + 1;
        if (s[i] == '/')
            while (j < n && !g_ascii_isspace(s[j]) && !strchr("()<>[]{}/%", s[j]))
                j++;
        return j;
    }
    size_t j = i;
    while (j < n && !g_ascii_isspace(s[j]) && !strchr("()<>[]{}/%", s[j]))
        j++;
    return j;
}

/* A page's content stream, rewritten:
 *   - cairo's stand-in for an artifact, "/Private <</MCID n>> BDC", becomes "/Artifact BMC";
 *   - marked content cairo nests inside an element's marked content for /ActualText (a soft
 *     hyphen that is not broken, a ligature) loses its BDC and EMC and keeps what it holds:
 *     readers of the structure (poppler's among them) take the first EMC as the end of the
 *     element's content and lose the rest of the line; the fonts' ToUnicode maps give the
 *     same text.
 * Returns a new string (g_free), or NULL when nothing changed. */
static char *rewrite_content(const char *s, size_t n)
{
    GString *out = g_string_sized_new(n);
    GArray *stack = g_array_new(FALSE, FALSE, sizeof(char)); /* 'k' kept, 'd' dropped, 'm' MCID */
    size_t ops = 0; /* where the operands of the next operator start */
    int mcid_depth = 0;
    bool changed = false;
    for (size_t i = 0; i < n;) {
        if (g_ascii_isspace(s[i])) {
            i++;
            continue;
        }
        if (s[i] == '%') {
            while (i < n && s[i] != '\n' && s[i] != '\r')
                i++;
            continue;
        }
        size_t e = token_end(s, i, n);
        bool op = g_ascii_isalpha(s[i]) || s[i] == '\'' || s[i] == '"' || s[i] == '*';
        if (op && e > i && strncmp(s + i, "true", e - i) && strncmp(s + i, "false", e - i) && strncmp(s + i, "null", e - i)) {
            size_t len = e - i;
            char *otext = NULL; /* the operands, for BDC only: most operators have none of interest */
            char kind = 0;
            const char *replace = NULL;
            if (len == 3 && !strncmp(s + i, "BDC", 3)) {
                otext = g_strndup(s + ops, i - ops);
                /* cairo writes these operands one way: "/Span << /ActualText <...> >>",
                 * "/Private << /MCID n >>" */
                const char *o = otext + strspn(otext, " \t\r\n");
                bool actual = g_str_has_prefix(o, "/Span << /ActualText");
                if (g_str_has_prefix(o, "/Private << /MCID ")) {
                    replace = "/Artifact BMC";
                    kind = 'k';
                } else if (actual && mcid_depth > 0) {
                    replace = "";
                    kind = 'd';
                } else {
                    kind = strstr(otext, "/MCID") ? 'm' : 'k';
                }
                mcid_depth += kind == 'm';
            } else if (len == 3 && !strncmp(s + i, "BMC", 3)) {
                kind = 'k';
            } else if (len == 3 && !strncmp(s + i, "EMC", 3) && stack->len) {
                char top = g_array_index(stack, char, stack->len - 1);
                g_array_set_size(stack, stack->len - 1);
                mcid_depth -= top == 'm';
                if (top == 'd')
                    replace = "";
            }
            if (kind)
                g_array_append_val(stack, kind);
            if (replace) {
                g_string_append(out, replace);
                g_string_append_c(out, '\n');
                changed = true;
            } else {
                g_string_append_len(out, s + ops, (gssize)(e - ops));
            }
            g_free(otext);
            ops = e;
        }
        i = e;
    }
    g_string_append_len(out, s + ops, (gssize)(n - ops));
    g_array_free(stack, TRUE);
    if (!changed) {
        g_string_free(out, TRUE);
        return NULL;
    }
    return g_string_free(out, FALSE);
}

static void rewrite_stream(qpdf_data q, qpdf_oh stream)
{
    unsigned char *buf = NULL;
    size_t len = 0;
    QPDF_BOOL filtered = QPDF_FALSE;
    if (qpdf_oh_get_stream_data(q, stream, qpdf_dl_generalized, &filtered, &buf, &len) == QPDF_SUCCESS && filtered) {
        char *out = rewrite_content((const char *)buf, len);
        if (out) {
            /* compressed here: kept uncompressed until qpdf writes the file, every page's
             * content would be in memory at once (hundreds of MiB for a long book) */
            size_t n = strlen(out);
            uLongf zlen = compressBound((uLong)n);
            unsigned char *z = g_malloc(zlen);
            if (compress2(z, &zlen, (const Bytef *)out, (uLong)n, Z_DEFAULT_COMPRESSION) == Z_OK) {
                qpdf_oh_replace_stream_data(q, stream, z, zlen, qpdf_oh_new_name(q, "/FlateDecode"),
                                            qpdf_oh_new_null(q));
            } else {
                qpdf_oh null = qpdf_oh_new_null(q);
                qpdf_oh_replace_stream_data(q, stream, (const unsigned char *)out, n, null, null);
            }
            g_free(z);
            g_free(out);
        }
    }
    free(buf);
}

/* The renderer began an empty Form element where each form field is read; the fields' widgets
 * (fields.c) are in the pages' /Annots in the same order.  Each Form element gets its widget
 * as an object reference, each widget its place in the parent tree, and each page with
 * widgets /Tabs /S: the tab order is the reading order. */
static void link_forms(qpdf_data q, qpdf_oh tree, GArray *elems, const wb_pdf_options *opts)
{
    GArray *widgets = g_array_new(FALSE, FALSE, sizeof(qpdf_oh)), *pages_of = g_array_new(FALSE, FALSE, sizeof(qpdf_oh));
    int pages = qpdf_get_num_pages(q);
    for (int p = 0; p < pages; p++) {
        qpdf_oh page = qpdf_get_page_n(q, (size_t)p);
        qpdf_oh annots = qpdf_oh_get_key(q, page, "/Annots");
        bool any = false;
        for (int i = 0; qpdf_oh_is_array(q, annots) && i < qpdf_oh_get_array_n_items(q, annots); i++) {
            qpdf_oh a = qpdf_oh_get_array_item(q, annots, i);
            if (qpdf_oh_is_name_and_equals(q, qpdf_oh_get_key(q, a, "/Subtype"), "/Widget")) {
                g_array_append_val(widgets, a);
                g_array_append_val(pages_of, page);
                any = true;
            }
        }
        if (any)
            qpdf_oh_replace_key(q, page, "/Tabs", qpdf_oh_new_name(q, "/S"));
    }
    qpdf_oh ptree = qpdf_oh_get_key(q, tree, "/ParentTree");
    qpdf_oh nums = qpdf_oh_get_key(q, ptree, "/Nums");
    if (!qpdf_oh_is_array(q, nums)) {
        nums = qpdf_oh_new_array(q);
        if (!qpdf_oh_is_dictionary(q, ptree)) {
            ptree = qpdf_make_indirect_object(q, qpdf_oh_new_dictionary(q));
            qpdf_oh_replace_key(q, tree, "/ParentTree", ptree);
        }
        qpdf_oh_replace_key(q, ptree, "/Nums", nums);
    }
    long long next = 0;
    for (int i = 0; i < qpdf_oh_get_array_n_items(q, nums); i += 2)
        next = MAX(next, qpdf_oh_get_int_value(q, qpdf_oh_get_array_item(q, nums, i)) + 1);
    if (qpdf_oh_has_key(q, tree, "/ParentTreeNextKey"))
        next = MAX(next, qpdf_oh_get_int_value(q, qpdf_oh_get_key(q, tree, "/ParentTreeNextKey")));
    guint w = 0;
    for (guint i = 0; i < elems->len && w < widgets->len; i++) {
        if (strcmp(opts->tags[i].role, "Form"))
            continue;
        qpdf_oh e = g_array_index(elems, qpdf_oh, i);
        qpdf_oh widget = g_array_index(widgets, qpdf_oh, w), page = g_array_index(pages_of, qpdf_oh, w);
        w++;
        qpdf_oh objr = qpdf_oh_parse(q, "<< /Type /OBJR >>");
        qpdf_oh_replace_key(q, objr, "/Obj", widget);
        qpdf_oh_replace_key(q, objr, "/Pg", page);
        qpdf_oh_replace_key(q, e, "/K", objr);
        qpdf_oh_replace_key(q, e, "/Pg", page);
        qpdf_oh_replace_key(q, widget, "/StructParent", qpdf_oh_new_integer(q, next));
        qpdf_oh_append_item(q, nums, qpdf_oh_new_integer(q, next));
        qpdf_oh_append_item(q, nums, e);
        next++;
    }
    qpdf_oh_replace_key(q, tree, "/ParentTreeNextKey", qpdf_oh_new_integer(q, next));
    g_array_free(widgets, TRUE);
    g_array_free(pages_of, TRUE);
}

wb_status wb_pdf_tag_structure(wb_ctx *ctx, qpdf_data q, const char *name, const wb_pdf_options *opts)
{
    qpdf_oh root = qpdf_get_root(q);
    qpdf_oh tree = qpdf_oh_get_key(q, root, "/StructTreeRoot");
    GArray *elems = g_array_new(FALSE, FALSE, sizeof(qpdf_oh));
    if (qpdf_oh_is_dictionary(q, tree))
        collect(q, qpdf_oh_get_key(q, tree, "/K"), elems, 0);
    /* cairo's elements in the order the renderer began them, with the same types */
    bool same = elems->len == opts->tag_count;
    for (guint i = 0; same && i < elems->len; i++) {
        const char *s = qpdf_oh_get_name(q, qpdf_oh_get_key(q, g_array_index(elems, qpdf_oh, i), "/S"));
        same = s && s[0] == '/' && !strcmp(s + 1, opts->tags[i].role);
    }
    if (!same) {
        wb_error(ctx, WB_ERR_INTERNAL, name, 0, 0,
                 "the PDF's structure tree (%u elements) is not the one the pages were tagged with (%zu)", elems->len,
                 opts->tag_count);
        g_array_free(elems, TRUE);
        return WB_ERR_INTERNAL;
    }
    link_forms(q, tree, elems, opts);
    GHashTable *artifacts = g_hash_table_new(g_direct_hash, g_direct_equal);
    for (guint i = 0; i < elems->len; i++) {
        qpdf_oh e = g_array_index(elems, qpdf_oh, i);
        const wb_pdf_tag *t = &opts->tags[i];
        if (t->alt)
            qpdf_oh_replace_key(q, e, "/Alt", qpdf_oh_new_unicode_string(q, t->alt));
        if (t->lang)
            qpdf_oh_replace_key(q, e, "/Lang", qpdf_oh_new_unicode_string(q, t->lang));
        if (!strcmp(t->role, "Private"))
            g_hash_table_add(artifacts, GINT_TO_POINTER(qpdf_oh_get_object_id(q, e)));
    }
    if (g_hash_table_size(artifacts)) {
        /* out of their parents' /K (an element whose only kid goes keeps an empty array):
         * each element's kids looked at once, the tree's root among them */
        for (guint i = 0; i <= elems->len; i++) {
            qpdf_oh parent = i < elems->len ? g_array_index(elems, qpdf_oh, i) : tree;
            if (i < elems->len && is_one_of(q, parent, artifacts))
                continue;
            qpdf_oh k = qpdf_oh_get_key(q, parent, "/K");
            if (qpdf_oh_is_array(q, k))
                drop_items(q, k, artifacts, false);
            else if (is_one_of(q, k, artifacts))
                qpdf_oh_replace_key(q, parent, "/K", qpdf_oh_new_array(q));
        }
        drop_from_parent_tree(q, qpdf_oh_get_key(q, tree, "/ParentTree"), artifacts, 0);
    }
    int pages = qpdf_get_num_pages(q);
    for (int p = 0; p < pages; p++) {
        qpdf_oh contents = qpdf_oh_get_key(q, qpdf_get_page_n(q, (size_t)p), "/Contents");
        if (qpdf_oh_is_stream(q, contents))
            rewrite_stream(q, contents);
        else if (qpdf_oh_is_array(q, contents))
            for (int i = 0; i < qpdf_oh_get_array_n_items(q, contents); i++)
                rewrite_stream(q, qpdf_oh_get_array_item(q, contents, i));
    }
    g_hash_table_destroy(artifacts);
    g_array_free(elems, TRUE);
    qpdf_oh prefs = qpdf_oh_parse(q, "<< /DisplayDocTitle true >>");
    qpdf_oh_replace_key(q, root, "/ViewerPreferences", prefs);
    if (qpdf_has_error(q)) {
        qpdf_error e = qpdf_get_error(q);
        wb_error(ctx, WB_ERR_INTERNAL, name, 0, 0, "cannot complete the structure tree: %s", qpdf_get_error_full_text(q, e));
        return WB_ERR_INTERNAL;
    }
    return WB_OK;
}
