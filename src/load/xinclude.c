/* XInclude, confined to the course folder: each xi:include is replaced by the document,
 * element (xpointer) or text it names, or by its xi:fallback.  Hands on wb_xinclude.
 *
 * Why the project's own XInclude and not libxml2's xmlXIncludeProcessFlags:
 *  - Confinement: a target must lie inside the course folder once symbolic links are
 *    resolved (realpath), so a course cannot pull in /etc/passwd or a file beside the
 *    course through a link.  libxml2 loads whatever its entity loader is given, and parses
 *    included documents with DTD loading switched on.
 *  - Included files are read as the course file is (wb_load_xml): no external entities,
 *    the first parse error at file:line:col of the included file itself.  Each copy gets an
 *    xml:base relative to the including element, so later messages about its nodes name
 *    their own file, line and column (libxml2's base fixup would give much the same).
 *  - The language fixup XInclude asks for: a copy keeps the xml:lang it had in its file
 *    (libxml2 does only the base fixup), which the language profile relies on.
 *  - Messages in an author's words ("lies outside the course folder", "the includes make a
 *    loop"), at the position of the xi:include; a fallback takes back the error it answers.
 *  - Only the xpointer forms a course needs (an id, element(id), xpointer(id('id'))): no
 *    XPath evaluation on author input. */
#include "load/load-private.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <libxml/uri.h>

#define XINCLUDE_NS "http://www.w3.org/2001/XInclude"
#define XINCLUDE_NS_OLD "http://www.w3.org/2003/XInclude"
#define MAX_INCLUDE_DEPTH 32

typedef struct include_state {
    wb_ctx *ctx;
    char root[PATH_MAX]; /* canonical folder that includes must stay in */
    GPtrArray *open;     /* canonical paths of the files being included, outermost first */
    unsigned long long read; /* bytes of every file included so far (a file included twice
                              * counts twice): what keeps includes of includes from
                              * multiplying a document beyond the input limit */
    bool exhausted;          /* that limit was reached: nothing more is included */
} include_state;

static int process_includes(include_state *st, xmlNodePtr node);

static bool is_xinclude(xmlNodePtr n)
{
    return n->type == XML_ELEMENT_NODE && n->ns && xmlStrEqual(n->name, BAD_CAST "include") &&
           (xmlStrEqual(n->ns->href, BAD_CAST XINCLUDE_NS) ||
            xmlStrEqual(n->ns->href, BAD_CAST XINCLUDE_NS_OLD));
}

static xmlNodePtr find_by_id(xmlNodePtr n, const xmlChar *id)
{
    for (; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        xmlChar *v = xmlGetProp(n, BAD_CAST "id");
        if (!v)
            v = xmlGetNsProp(n, BAD_CAST "id", BAD_CAST XML_NS);
        bool hit = v && xmlStrEqual(v, id);
        xmlFree(v);
        if (hit)
            return n;
        xmlNodePtr found = find_by_id(n->children, id);
        if (found)
            return found;
    }
    return NULL;
}

/* The id named by an xpointer attribute: a shorthand "id", "element(id)" or
 * "xpointer(id('id'))".  Returns a string the caller frees with g_free, or NULL. */
static char *xpointer_id(const char *xp)
{
    size_t n = strlen(xp);
    const char *s = xp;
    if (strncmp(xp, "element(", 8) == 0 && xp[n - 1] == ')') {
        s = xp + 8;
        n -= 9;
        if (memchr(s, '/', n))
            return NULL;
    } else if (strncmp(xp, "xpointer(id(", 12) == 0 && n > 16 && strcmp(xp + n - 2, "))") == 0) {
        s = xp + 12;
        n -= 14;
        if (n >= 2 && (s[0] == '\'' || s[0] == '"') && s[n - 1] == s[0]) {
            s++;
            n -= 2;
        }
    } else if (strpbrk(xp, "()/ ")) {
        return NULL;
    }
    return g_strndup(s, n);
}

/* The element an include's xpointer names in `root`'s document, or NULL with an error. */
static xmlNodePtr xpointer_target(wb_ctx *ctx, xmlNodePtr inc, xmlNodePtr root, const xmlChar *xptr,
                                  const xmlChar *href)
{
    char *id = xpointer_id((const char *)xptr);
    if (!id) {
        load_node_error(ctx, WB_ERR_INPUT, inc,
                        "xi:include: xpointer \"%s\" is not supported (use an id, element(id) or "
                        "xpointer(id('id')))",
                        xptr);
        return NULL;
    }
    xmlNodePtr found = find_by_id(root, BAD_CAST id);
    if (!found)
        load_node_error(ctx, WB_ERR_INPUT, inc, "xi:include: no element with id \"%s\" in \"%s\"", id,
                        href);
    g_free(id);
    return found;
}

/* The canonical path of an include's target, or NULL with an error on the context.
 * *as_written receives the file name as the href makes it (relative when the course was
 * named by a relative path), so that messages name files the same way. */
static char *include_target(include_state *st, xmlNodePtr inc, const xmlChar *href, char **as_written)
{
    *as_written = NULL;
    xmlChar *base = xmlNodeGetBase(inc->doc, inc);
    xmlChar *uri = load_build_uri(href, base);
    xmlFree(base);
    if (!uri) {
        load_node_error(st->ctx, WB_ERR_INPUT, inc, "xi:include: invalid href \"%s\"", href);
        return NULL;
    }
    const char *u = (const char *)uri;
    if (strstr(u, "://") && g_ascii_strncasecmp(u, "file:", 5) != 0) {
        load_node_error(st->ctx, WB_ERR_INPUT, inc,
                        "xi:include: \"%s\" is not a local file (network access is off)", href);
        xmlFree(uri);
        return NULL;
    }
    char *path = load_uri_to_path(u);
    xmlFree(uri);
    char real[PATH_MAX];
    if (!path || !realpath(path, real)) {
        load_node_error(st->ctx, WB_ERR_INPUT, inc, "xi:include: cannot read \"%s\": %s", href,
                        strerror(path ? errno : ENOENT));
        g_free(path);
        return NULL;
    }
    size_t rl = strlen(st->root);
    if (strncmp(real, st->root, rl) != 0 || (real[rl] != '/' && real[rl] != 0)) {
        load_node_error(st->ctx, WB_ERR_INPUT, inc, "xi:include: \"%s\" lies outside the course folder %s",
                        href, st->root);
        g_free(path);
        return NULL;
    }
    *as_written = path;
    return g_strdup(real);
}

static xmlNodePtr fallback_of(xmlNodePtr inc)
{
    for (xmlNodePtr c = inc->children; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE && c->ns && xmlStrEqual(c->name, BAD_CAST "fallback"))
            return c;
    return NULL;
}

/* XInclude's language fixup: the copy of `original` keeps the language it had in its file
 * when that is not the language where the include stands. */
static void keep_language(xmlNodePtr copy, xmlNodePtr original, xmlNodePtr inc)
{
    if (copy->type != XML_ELEMENT_NODE || xmlHasNsProp(copy, BAD_CAST "lang", BAD_CAST XML_NS))
        return;
    xmlChar *lang = xmlNodeGetLang(original);
    xmlChar *here = xmlNodeGetLang(inc->parent ? inc->parent : inc);
    if (lang && (!here || !xmlStrEqual(lang, here)))
        xmlNodeSetLang(copy, lang);
    xmlFree(lang);
    xmlFree(here);
}

/* Replaces `inc` by copies of the nodes `first`... (siblings, all when `all`), in doc. */
static void replace_with(xmlNodePtr inc, xmlNodePtr first, bool all, const xmlChar *base)
{
    for (xmlNodePtr n = first; n; n = all ? n->next : NULL) {
        xmlNodePtr copy = xmlDocCopyNode(n, inc->doc, 1);
        if (!copy)
            continue;
        keep_language(copy, n, inc);
        if (base && copy->type == XML_ELEMENT_NODE) {
            xmlNsPtr xmlns = xmlSearchNsByHref(inc->doc, copy, BAD_CAST XML_NS);
            xmlSetNsProp(copy, xmlns, BAD_CAST "base", base);
        }
        xmlAddPrevSibling(inc, copy);
    }
    xmlUnlinkNode(inc);
    xmlFreeNode(inc);
}

/* An include whose target cannot be read: its fallback, when it has one, takes its place
 * and the error it answers (everything reported since `mark`) is forgotten. */
static int fall_back(wb_ctx *ctx, xmlNodePtr inc, size_t mark)
{
    xmlNodePtr fb = fallback_of(inc);
    if (!fb)
        return -1;
    wb_ctx_rollback(ctx, mark);
    replace_with(inc, fb->children, true, NULL);
    return 0;
}

/* An error unless the include's parse and href attributes are ones this loader takes. */
static bool include_attributes_ok(wb_ctx *ctx, xmlNodePtr inc, const xmlChar *href, const xmlChar *parse)
{
    if (parse && !xmlStrEqual(parse, BAD_CAST "text") && !xmlStrEqual(parse, BAD_CAST "xml")) {
        load_node_error(ctx, WB_ERR_INPUT, inc, "xi:include: parse must be \"xml\" or \"text\", not \"%s\"",
                        parse);
        return false;
    }
    if (!href || !*href) {
        load_node_error(ctx, WB_ERR_INPUT, inc,
                        "xi:include without href: includes within the same document are not supported");
        return false;
    }
    return true;
}

/* An error when `target` is already open further up (a loop) or the includes nest too deep. */
static bool may_open(include_state *st, xmlNodePtr inc, const char *target, const xmlChar *href)
{
    for (guint i = 0; i < st->open->len; i++)
        if (strcmp(g_ptr_array_index(st->open, i), target) == 0) {
            load_node_error(st->ctx, WB_ERR_INPUT, inc,
                            "xi:include: \"%s\" is already being included (the includes make a loop)", href);
            return false;
        }
    if (st->open->len >= MAX_INCLUDE_DEPTH) {
        load_node_error(st->ctx, WB_ERR_INPUT, inc, "xi:include: nested more than %d deep", MAX_INCLUDE_DEPTH);
        return false;
    }
    return true;
}

/* An error unless the target is a regular file within the input limit, and the files the
 * includes have read, this one too, stay within it in all. */
static bool may_read(include_state *st, xmlNodePtr inc, const char *target, const xmlChar *href)
{
    size_t mark = wb_ctx_mark(st->ctx);
    if (!wb_check_input(st->ctx, target, true)) {
        /* said at the include, which names the file as the author wrote it */
        size_t n = 0;
        const wb_diagnostic *d = wb_ctx_diagnostics(st->ctx, &n);
        char *why = n > mark ? g_strdup(d[mark].message) : g_strdup("cannot be read");
        wb_ctx_rollback(st->ctx, mark);
        load_node_error(st->ctx, WB_ERR_INPUT, inc, "xi:include: \"%s\": %s", href, why);
        g_free(why);
        return false;
    }
    struct stat sb;
    st->read += stat(target, &sb) == 0 ? (unsigned long long)sb.st_size : 0;
    if (wb_ctx_over_limit(st->ctx, WB_LIMIT_INPUT_BYTES, st->read)) {
        st->exhausted = true;
        load_node_error(st->ctx, WB_ERR_INPUT, inc,
                        "xi:include: \"%s\": the included files come to more than %llu bytes in all "
                        "(%s raises the limit)",
                        href, wb_ctx_limit(st->ctx, WB_LIMIT_INPUT_BYTES), wb_limit_env(WB_LIMIT_INPUT_BYTES));
        return false;
    }
    return true;
}

/* parse="text": the file's content as one text node, markup characters and all. */
static int include_text(wb_ctx *ctx, xmlNodePtr inc, const char *target, const xmlChar *href)
{
    char *data = NULL;
    gsize len = 0;
    if (!g_file_get_contents(target, &data, &len, NULL)) {
        load_node_error(ctx, WB_ERR_INPUT, inc, "xi:include: cannot read \"%s\"", href);
        return -1;
    }
    xmlNodePtr t = xmlNewDocTextLen(inc->doc, BAD_CAST data, (int)len);
    g_free(data);
    xmlAddPrevSibling(inc, t);
    xmlUnlinkNode(inc);
    xmlFreeNode(inc);
    return 0;
}

/* parse="xml": the document's root element, or the element its xpointer names, with the
 * includes of that document resolved first. */
static int include_document(include_state *st, xmlNodePtr inc, const char *target, const char *as_written,
                            const xmlChar *href, const xmlChar *xptr)
{
    xmlDocPtr sub = load_xml_file(st->ctx, as_written ? as_written : target, true);
    if (!sub)
        return -1;
    g_ptr_array_add(st->open, (gpointer)target);
    int sub_rc = process_includes(st, xmlDocGetRootElement(sub));
    g_ptr_array_remove_index(st->open, st->open->len - 1);
    xmlNodePtr src = sub_rc == 0 ? xmlDocGetRootElement(sub) : NULL;
    if (src && xptr)
        src = xpointer_target(st->ctx, inc, src, xptr, href);
    /* The copy's xml:base (relative to the including element, as XInclude says) keeps the
     * positions of its nodes, and its relative links, pointing at their own file. */
    xmlChar *base = src ? load_uri_escape(href) : NULL; /* an xml:base is a URI */
    if (src)
        replace_with(inc, src, false, base);
    xmlFree(base);
    xmlFreeDoc(sub);
    return src ? 0 : -1;
}

static int include_one(include_state *st, xmlNodePtr inc)
{
    xmlChar *href = xmlGetProp(inc, BAD_CAST "href");
    xmlChar *parse = xmlGetProp(inc, BAD_CAST "parse");
    xmlChar *xptr = xmlGetProp(inc, BAD_CAST "xpointer");
    int rc = -1;
    if (include_attributes_ok(st->ctx, inc, href, parse)) {
        size_t mark = wb_ctx_mark(st->ctx);
        char *as_written = NULL;
        char *target = include_target(st, inc, href, &as_written);
        if (!target)
            rc = fall_back(st->ctx, inc, mark);
        else if (!may_open(st, inc, target, href) || !may_read(st, inc, target, href))
            rc = -1;
        else if (parse && xmlStrEqual(parse, BAD_CAST "text"))
            rc = include_text(st->ctx, inc, target, href);
        else
            rc = include_document(st, inc, target, as_written, href, xptr);
        g_free(as_written);
        g_free(target);
    }
    xmlFree(href);
    xmlFree(parse);
    xmlFree(xptr);
    return rc;
}

static int process_includes(include_state *st, xmlNodePtr node)
{
    int rc = 0;
    for (xmlNodePtr n = node, next; n && !st->exhausted; n = next) {
        next = n->next;
        if (n->type != XML_ELEMENT_NODE)
            continue;
        /* decided before include_one may free n */
        bool is_root = n->parent && n->parent->type == XML_DOCUMENT_NODE;
        if (is_xinclude(n)) {
            if (include_one(st, n) != 0)
                rc = -1;
        } else if (n->children && process_includes(st, n->children) != 0) {
            rc = -1;
        }
        if (is_root)
            break; /* the root element has no siblings worth walking */
    }
    return st->exhausted ? -1 : rc;
}

/* The folder of a file name: what comes before its last '/', else ".". */
static char *folder_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? g_strndup(path, (gsize)(slash - path)) : g_strdup(".");
}

int wb_xinclude(wb_ctx *ctx, xmlDocPtr doc, const char *root_dir)
{
    include_state st = {.ctx = ctx};
    /* the document's own file; a URL that names none is taken as it is */
    char *doc_path = NULL;
    if (doc->URL) {
        doc_path = load_uri_to_path((const char *)doc->URL);
        if (!doc_path)
            doc_path = g_strdup((const char *)doc->URL);
    }
    char *dir = root_dir ? g_strdup(root_dir) : folder_of(doc_path ? doc_path : ".");
    if (!realpath(dir, st.root)) {
        wb_error(ctx, WB_ERR_INPUT, dir, 0, 0, "cannot read folder: %s", strerror(errno));
        g_free(dir);
        g_free(doc_path);
        return -1;
    }
    st.open = g_ptr_array_new();
    char self[PATH_MAX];
    if (doc_path && realpath(doc_path, self))
        g_ptr_array_add(st.open, self);
    int rc = process_includes(&st, xmlDocGetRootElement(doc));
    if (rc == 0 && !wb_check_tree(ctx, doc))
        rc = -1;
    g_ptr_array_free(st.open, TRUE);
    g_free(dir);
    g_free(doc_path);
    return rc;
}
