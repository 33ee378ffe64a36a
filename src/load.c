/* Stage 1, load: parse, XInclude within the course folder, profile, validate.
 * See include/workbook/load.h for the contract. */
#include "workbook/load.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib.h>

#include <libxml/parser.h>
#include <libxml/relaxng.h>
#include <libxml/uri.h>
#include <libxml/xmlerror.h>

#include "context-private.h"

#define XINCLUDE_NS "http://www.w3.org/2001/XInclude"
#define XINCLUDE_NS_OLD "http://www.w3.org/2003/XInclude"
#define XML_NS "http://www.w3.org/XML/1998/namespace"
#define MAX_INCLUDE_DEPTH 32

/* Network off, no entity substitution, no DTD loading: external entities stay unexpanded. */
static const int parse_options = XML_PARSE_NONET | XML_PARSE_BIG_LINES | XML_PARSE_NOCDATA;

/* ------------------------------------------------------------------ positions */

/* The column of the start tag of `node` on its line, found by reading that line of the file
 * again: libxml2 keeps only line numbers on nodes.  0 when it cannot be found. */
/* How many elements of the same name start on the same line before `node`, in document
 * order, in the same file. */
static int same_line_before(xmlNodePtr node)
{
    int line = (int)xmlGetLineNo(node), k = 0;
    xmlChar *base = xmlNodeGetBase(node->doc, node);
    for (xmlNodePtr n = node;;) {
        /* the previous node in document order */
        if (n->prev) {
            n = n->prev;
            while (n->last && n->type == XML_ELEMENT_NODE)
                n = n->last;
        } else {
            n = n->parent;
        }
        if (!n || n->type == XML_DOCUMENT_NODE)
            break;
        if (n->type != XML_ELEMENT_NODE)
            continue;
        int l = (int)xmlGetLineNo(n);
        if (l < line)
            break;
        if (l == line && xmlStrEqual(n->name, node->name)) {
            xmlChar *b = xmlNodeGetBase(n->doc, n);
            if (xmlStrEqual(b, base))
                k++;
            xmlFree(b);
        }
    }
    xmlFree(base);
    return k;
}

static int find_column(const char *file, int line, xmlNodePtr node)
{
    if (!file || line <= 0 || node->type != XML_ELEMENT_NODE)
        return 0;
    FILE *f = fopen(file, "rb");
    if (!f)
        return 0;
    char *buf = NULL;
    size_t cap = 0;
    ssize_t len = 0;
    int n = 0;
    while ((len = getline(&buf, &cap, f)) >= 0)
        if (++n == line)
            break;
    fclose(f);
    int col = 0;
    if (n == line && len >= 0) {
        char pat[256];
        const char *prefix = node->ns && node->ns->prefix ? (const char *)node->ns->prefix : NULL;
        if (prefix)
            snprintf(pat, sizeof pat, "<%s:%s", prefix, (const char *)node->name);
        else
            snprintf(pat, sizeof pat, "<%s", (const char *)node->name);
        size_t pl = strlen(pat);
        int skip = same_line_before(node);
        for (const char *p = buf; (p = strstr(p, pat)) != NULL; p++) {
            char c = p[pl];
            if (c == ' ' || c == '>' || c == '/' || c == '\t' || c == '\r' || c == '\n' || !c) {
                if (skip-- > 0)
                    continue;
                /* Columns count characters, not bytes. */
                col = 1;
                for (const char *q = buf; q < p; q++)
                    if (((unsigned char)*q & 0xC0) != 0x80)
                        col++;
                break;
            }
        }
    }
    free(buf);
    return col;
}

void wb_node_position(xmlNodePtr node, char **file, int *line, int *col)
{
    *file = NULL;
    *line = 0;
    *col = 0;
    if (!node)
        return;
    if (node->type == XML_ATTRIBUTE_NODE && node->parent)
        node = node->parent;
    xmlChar *base = node->doc ? xmlNodeGetBase(node->doc, node) : NULL;
    if (base) {
        /* A file: URI back to a path; a plain relative path stays as it is. */
        const char *b = (const char *)base;
        if (strncmp(b, "file://", 7) == 0)
            b += 7;
        char *unescaped = xmlURIUnescapeString(b, 0, NULL);
        *file = strdup(unescaped ? unescaped : b);
        xmlFree(unescaped);
        xmlFree(base);
    }
    *line = (int)xmlGetLineNo(node);
    if (*line < 0)
        *line = 0;
    *col = find_column(*file, *line, node);
}

/* ------------------------------------------------------------------ parsing */

static void report_parse_error(wb_ctx *ctx, const xmlError *err, const char *fallback_file)
{
    if (!err || err->level == XML_ERR_NONE)
        return;
    const char *file = err->file ? err->file : fallback_file;
    char *msg = strdup(err->message ? err->message : "malformed XML");
    if (msg) {
        size_t n = strlen(msg);
        while (n && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
            msg[--n] = 0;
    }
    char ent[128];
    if (msg && sscanf(msg, "Entity '%127[^']' not defined", ent) == 1) {
        free(msg);
        msg = NULL;
        if (asprintf(&msg, "the entity &%s; is not defined (XML has no HTML entities): type the "
                           "character itself or write &#160;",
                     ent) < 0)
            msg = NULL;
    }
    if (err->level == XML_ERR_WARNING)
        wb_warning(ctx, file, err->line, err->int2, "%s", msg ? msg : "");
    else
        wb_error(ctx, WB_ERR_INPUT, file, err->line, err->int2, "%s", msg ? msg : "");
    free(msg);
}

static void structured_parse_error(void *data, xmlErrorPtr err)
{
    void **pair = data;
    report_parse_error(pair[0], err, pair[1]);
}

/* The parser's first error: what follows a malformed tag is mostly its echo. */
static void first_parse_error(void *data, xmlErrorPtr err)
{
    void **state = data;
    if (err && err->level >= XML_ERR_ERROR) {
        if (state[2])
            return;
        state[2] = (void *)1;
    }
    report_parse_error(state[0], err, state[1]);
}

/* Entities other than the predefined ones and character references are never expanded
 * (they could read any file); one left in the tree is an error, not a silent hole. */
static int refuse_entities(wb_ctx *ctx, xmlNodePtr n)
{
    int rc = 0;
    for (xmlNodePtr next; n; n = next) {
        next = n->next;
        xmlEntityPtr ent = n->type == XML_ENTITY_REF_NODE ? xmlGetDocEntity(n->doc, n->name) : NULL;
        if (ent && ent->etype == XML_INTERNAL_GENERAL_ENTITY && ent->content) {
            /* an entity defined in the document itself is only text: put it in place */
            xmlNodePtr list = NULL;
            if (xmlParseBalancedChunkMemory(n->doc, NULL, NULL, 0, ent->content, &list) == 0) {
                for (xmlNodePtr c = list, cn; c; c = cn) {
                    cn = c->next;
                    xmlUnlinkNode(c);
                    xmlAddPrevSibling(n, c);
                }
                xmlUnlinkNode(n);
                xmlFreeNode(n);
                continue;
            }
            xmlFreeNodeList(list);
        }
        if (n->type == XML_ENTITY_REF_NODE) {
            char *file;
            int line, col;
            wb_node_position(n->parent, &file, &line, &col);
            wb_error(ctx, WB_ERR_INPUT, file, line, col,
                     "<%s>: the external entity &%s; is not allowed (a course never reads files "
                     "through entities; use xi:include)",
                     n->parent ? (const char *)n->parent->name : "?", (const char *)n->name);
            free(file);
            rc = -1;
        } else if (n->children && n->type == XML_ELEMENT_NODE && refuse_entities(ctx, n->children) != 0) {
            rc = -1;
        }
    }
    return rc;
}

xmlDocPtr wb_load_xml(wb_ctx *ctx, const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        wb_error(ctx, WB_ERR_INPUT, path, 0, 0, "cannot read file: %s", strerror(errno));
        return NULL;
    }
    if (S_ISDIR(st.st_mode)) {
        wb_error(ctx, WB_ERR_INPUT, path, 0, 0, "is a folder, not an XML file");
        return NULL;
    }
    xmlParserCtxtPtr pctx = xmlNewParserCtxt();
    if (!pctx) {
        wb_error(ctx, WB_ERR_NOMEM, path, 0, 0, "out of memory");
        return NULL;
    }
    void *pair[3] = {ctx, (void *)path, NULL};
    xmlSetStructuredErrorFunc(pair, first_parse_error);
    xmlDocPtr doc = xmlCtxtReadFile(pctx, path, NULL, parse_options);
    xmlSetStructuredErrorFunc(NULL, NULL);
    bool ok = doc && pctx->wellFormed;
    xmlFreeParserCtxt(pctx);
    if (!ok) {
        if (wb_ctx_status(ctx) == WB_OK)
            wb_error(ctx, WB_ERR_INPUT, path, 0, 0, "not a well-formed XML file");
        xmlFreeDoc(doc);
        return NULL;
    }
    if (!xmlDocGetRootElement(doc)) {
        wb_error(ctx, WB_ERR_INPUT, path, 1, 1, "the document has no root element");
        xmlFreeDoc(doc);
        return NULL;
    }
    if (refuse_entities(ctx, xmlDocGetRootElement(doc)) != 0) {
        xmlFreeDoc(doc);
        return NULL;
    }
    return doc;
}

/* ------------------------------------------------------------------ XInclude */

static void node_error(wb_ctx *ctx, wb_status st, xmlNodePtr node, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void node_error(wb_ctx *ctx, wb_status st, xmlNodePtr node, const char *fmt, ...)
{
    char *file;
    int line, col;
    wb_node_position(node, &file, &line, &col);
    char *msg = NULL;
    va_list ap;
    va_start(ap, fmt);
    if (vasprintf(&msg, fmt, ap) < 0)
        msg = NULL;
    va_end(ap);
    wb_error(ctx, st, file, line, col, "%s", msg ? msg : fmt);
    free(msg);
    free(file);
}

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
 * "xpointer(id('id'))".  Returns a string the caller frees with free(), or NULL. */
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
    return strndup(s, n);
}

typedef struct include_state {
    wb_ctx *ctx;
    char root[PATH_MAX];    /* canonical folder that includes must stay in */
    char *stack[MAX_INCLUDE_DEPTH];
    int depth;
} include_state;

static int process_includes(include_state *st, xmlNodePtr node);

/* The canonical path of an include's target, or NULL with an error on the context. */
static char *include_target(include_state *st, xmlNodePtr inc, const xmlChar *href, char **as_written)
{
    *as_written = NULL;
    xmlChar *base = xmlNodeGetBase(inc->doc, inc);
    xmlChar *uri = xmlBuildURI(href, base ? base : BAD_CAST "");
    xmlFree(base);
    if (!uri) {
        node_error(st->ctx, WB_ERR_INPUT, inc, "xi:include: invalid href \"%s\"", href);
        return NULL;
    }
    const char *u = (const char *)uri;
    if (strncmp(u, "file://", 7) == 0)
        u += 7;
    else if (strstr(u, "://")) {
        node_error(st->ctx, WB_ERR_INPUT, inc,
                   "xi:include: \"%s\" is not a local file (network access is off)", href);
        xmlFree(uri);
        return NULL;
    }
    char *path = xmlURIUnescapeString(u, 0, NULL);
    xmlFree(uri);
    char real[PATH_MAX];
    if (!path || !realpath(path, real)) {
        node_error(st->ctx, WB_ERR_INPUT, inc, "xi:include: cannot read \"%s\": %s", href,
                   strerror(errno));
        xmlFree(path);
        return NULL;
    }
    size_t rl = strlen(st->root);
    if (strncmp(real, st->root, rl) != 0 || (real[rl] != '/' && real[rl] != 0)) {
        node_error(st->ctx, WB_ERR_INPUT, inc,
                   "xi:include: \"%s\" lies outside the course folder %s", href, st->root);
        xmlFree(path);
        return NULL;
    }
    /* the path relative to how the course was named, so messages name files the same way */
    *as_written = strdup(path);
    xmlFree(path);
    return strdup(real);
}

static xmlNodePtr fallback_of(xmlNodePtr inc)
{
    for (xmlNodePtr c = inc->children; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE && c->ns && xmlStrEqual(c->name, BAD_CAST "fallback"))
            return c;
    return NULL;
}

/* Replaces `inc` by copies of the nodes `first`... (siblings, all when `all`), in doc. */
static void replace_with(xmlNodePtr inc, xmlNodePtr first, bool all, const xmlChar *base)
{
    for (xmlNodePtr n = first; n; n = all ? n->next : NULL) {
        xmlNodePtr copy = xmlDocCopyNode(n, inc->doc, 1);
        if (!copy)
            continue;
        /* XInclude's language fixup: the copy keeps the language it had in its file */
        if (copy->type == XML_ELEMENT_NODE && !xmlHasNsProp(copy, BAD_CAST "lang", BAD_CAST XML_NS)) {
            xmlChar *lang = xmlNodeGetLang(n);
            xmlChar *here = xmlNodeGetLang(inc->parent ? inc->parent : inc);
            if (lang && (!here || !xmlStrEqual(lang, here)))
                xmlNodeSetLang(copy, lang);
            xmlFree(lang);
            xmlFree(here);
        }
        if (base && copy->type == XML_ELEMENT_NODE) {
            xmlNsPtr xmlns = xmlSearchNsByHref(inc->doc, copy, BAD_CAST XML_NS);
            xmlSetNsProp(copy, xmlns, BAD_CAST "base", base);
        }
        xmlAddPrevSibling(inc, copy);
    }
    xmlUnlinkNode(inc);
    xmlFreeNode(inc);
}

static int include_one(include_state *st, xmlNodePtr inc)
{
    wb_ctx *ctx = st->ctx;
    xmlChar *href = xmlGetProp(inc, BAD_CAST "href");
    xmlChar *parse = xmlGetProp(inc, BAD_CAST "parse");
    xmlChar *xptr = xmlGetProp(inc, BAD_CAST "xpointer");
    int rc = -1;
    char *target = NULL, *as_written = NULL;
    xmlDocPtr sub = NULL;
    bool text = parse && xmlStrEqual(parse, BAD_CAST "text");
    if (parse && !text && !xmlStrEqual(parse, BAD_CAST "xml")) {
        node_error(ctx, WB_ERR_INPUT, inc, "xi:include: parse must be \"xml\" or \"text\", not \"%s\"",
                   parse);
        goto out;
    }
    if (!href || !*href) {
        node_error(ctx, WB_ERR_INPUT, inc,
                   "xi:include without href: includes within the same document are not supported");
        goto out;
    }
    size_t mark = wb_ctx_mark(ctx);
    target = include_target(st, inc, href, &as_written);
    if (!target) {
        xmlNodePtr fb = fallback_of(inc);
        if (fb) {
            /* The fallback replaces the include; the error it answers is forgotten. */
            wb_ctx_rollback(ctx, mark);
            replace_with(inc, fb->children, true, NULL);
            rc = 0;
        }
        goto out;
    }
    for (int i = 0; i < st->depth; i++)
        if (strcmp(st->stack[i], target) == 0) {
            node_error(ctx, WB_ERR_INPUT, inc,
                       "xi:include: \"%s\" is already being included (the includes make a loop)", href);
            goto out;
        }
    if (st->depth >= MAX_INCLUDE_DEPTH) {
        node_error(ctx, WB_ERR_INPUT, inc, "xi:include: nested more than %d deep",
                   MAX_INCLUDE_DEPTH);
        goto out;
    }
    if (text) {
        FILE *f = fopen(target, "rb");
        if (!f) {
            node_error(ctx, WB_ERR_INPUT, inc, "xi:include: cannot read \"%s\"", href);
            goto out;
        }
        GString *s = g_string_new(NULL);
        char buf[8192];
        size_t n;
        while ((n = fread(buf, 1, sizeof buf, f)) > 0)
            g_string_append_len(s, buf, (gssize)n);
        fclose(f);
        xmlNodePtr t = xmlNewDocTextLen(inc->doc, BAD_CAST s->str, (int)s->len);
        g_string_free(s, TRUE);
        xmlAddPrevSibling(inc, t);
        xmlUnlinkNode(inc);
        xmlFreeNode(inc);
        rc = 0;
        goto out;
    }
    sub = wb_load_xml(ctx, as_written ? as_written : target);
    if (!sub)
        goto out;
    st->stack[st->depth++] = target;
    int sub_rc = process_includes(st, xmlDocGetRootElement(sub));
    st->depth--;
    if (sub_rc != 0)
        goto out;
    xmlNodePtr src = xmlDocGetRootElement(sub);
    if (xptr) {
        char *id = xpointer_id((const char *)xptr);
        if (!id) {
            node_error(ctx, WB_ERR_INPUT, inc,
                       "xi:include: xpointer \"%s\" is not supported (use an id, element(id) or "
                       "xpointer(id('id')))",
                       xptr);
            goto out;
        }
        src = find_by_id(src, BAD_CAST id);
        if (!src) {
            node_error(ctx, WB_ERR_INPUT, inc, "xi:include: no element with id \"%s\" in \"%s\"",
                       id, href);
            free(id);
            goto out;
        }
        free(id);
    }
    /* The copy's xml:base (relative to the including element, as XInclude says) keeps the
     * positions of its nodes, and its relative links, pointing at their own file. */
    replace_with(inc, src, false, href);
    rc = 0;
out:
    xmlFreeDoc(sub);
    free(as_written);
    free(target);
    xmlFree(href);
    xmlFree(parse);
    xmlFree(xptr);
    return rc;
}

static int process_includes(include_state *st, xmlNodePtr node)
{
    int rc = 0;
    for (xmlNodePtr n = node, next; n; n = next) {
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
    return rc;
}

int wb_xinclude(wb_ctx *ctx, xmlDocPtr doc, const char *root_dir)
{
    include_state st = {.ctx = ctx};
    char dir[PATH_MAX];
    if (root_dir) {
        snprintf(dir, sizeof dir, "%s", root_dir);
    } else {
        const char *url = doc->URL ? (const char *)doc->URL : ".";
        snprintf(dir, sizeof dir, "%s", url);
        char *slash = strrchr(dir, '/');
        if (slash)
            *slash = 0;
        else
            snprintf(dir, sizeof dir, ".");
    }
    if (!realpath(dir, st.root)) {
        wb_error(ctx, WB_ERR_INPUT, dir, 0, 0, "cannot read folder: %s", strerror(errno));
        return -1;
    }
    char self[PATH_MAX];
    if (doc->URL && realpath((const char *)doc->URL, self))
        st.stack[st.depth++] = self;
    return process_includes(&st, xmlDocGetRootElement(doc));
}

/* ------------------------------------------------------------------ profiling */

/* xml:lang "fr-CA" matches the language range "fr"; "fr" does not match "fr-CA". */
static bool lang_matches(const char *tag, const char *want)
{
    size_t n = strlen(want);
    return strncasecmp(tag, want, n) == 0 && (tag[n] == 0 || tag[n] == '-');
}

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

static bool keeps(xmlNodePtr n, const wb_profile *p)
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

static void filter_children(xmlNodePtr parent, const wb_profile *p, GHashTable *dropped)
{
    for (xmlNodePtr n = parent->children, next; n; n = next) {
        next = n->next;
        if (n->type != XML_ELEMENT_NODE)
            continue;
        if (!keeps(n, p)) {
            /* what was dropped, where: "<module> has no <title> in language fr" */
            if (dropped && !g_hash_table_contains(dropped, parent))
                g_hash_table_insert(dropped, parent, g_strdup((const char *)n->name));
            /* Drop the whitespace before it too, so pretty-printed sources stay tidy. */
            xmlNodePtr prev = n->prev;
            if (prev && xmlIsBlankNode(prev)) {
                xmlUnlinkNode(prev);
                xmlFreeNode(prev);
            }
            xmlUnlinkNode(n);
            xmlFreeNode(n);
            continue;
        }
        filter_children(n, p, dropped);
    }
}

void wb_profile_filter(xmlDocPtr doc, const wb_profile *profile)
{
    xmlNodePtr root = xmlDocGetRootElement(doc);
    if (root && profile)
        filter_children(root, profile, NULL);
}

/* The language to keep: asked for, else the first of the course's languages="...", else
 * the root's xml:lang, else none (keep all). */
static char *choose_lang(wb_ctx *ctx, xmlNodePtr root, const char *asked)
{
    xmlChar *langs = xmlGetNoNsProp(root, BAD_CAST "languages");
    char *lang = NULL;
    if (asked) {
        if (langs && !list_contains((const char *)langs, asked)) {
            node_error(ctx, WB_ERR_INPUT, root,
                       "language \"%s\" is not one of this course's languages (%s)", asked,
                       langs);
        } else {
            lang = strdup(asked);
        }
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

/* ------------------------------------------------------------------ validation */

/* What the schema says of each element's attributes, read from the schema itself, so that
 * an attribute error can name the attribute and the values allowed. */
typedef struct attr_rule {
    char *element, *attribute;
    bool required;
    bool is_list;      /* a space-separated list of the values */
    GPtrArray *values; /* allowed values when the schema lists them, else NULL */
} attr_rule;

static void free_attr_rule(gpointer p)
{
    attr_rule *r = p;
    g_free(r->element);
    g_free(r->attribute);
    if (r->values)
        g_ptr_array_free(r->values, TRUE);
    g_free(r);
}

static bool rng_is(xmlNodePtr n, const char *name)
{
    return n->type == XML_ELEMENT_NODE && xmlStrEqual(n->name, BAD_CAST name);
}

/* The values an attribute may take, when the schema lists them (also in a list type:
 * then each space-separated word must be one of them). */
static void rng_values(xmlNodePtr n, attr_rule *r)
{
    for (; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        if (rng_is(n, "list"))
            r->is_list = true;
        if (rng_is(n, "value")) {
            if (!r->values)
                r->values = g_ptr_array_new_with_free_func(g_free);
            xmlChar *t = xmlNodeGetContent(n);
            g_ptr_array_add(r->values, g_strdup((const char *)t));
            xmlFree(t);
        }
        rng_values(n->children, r);
    }
}

/* Attributes under an element pattern, through groups, choices and references to
 * definitions (one level: the schema's attribute groups). */
static void rng_attributes(xmlDocPtr rng, xmlNodePtr n, const char *element, bool optional, GPtrArray *out,
                           int depth)
{
    for (; n && depth < 8; n = n->next) {
        if (n->type != XML_ELEMENT_NODE || rng_is(n, "element"))
            continue;
        if (rng_is(n, "attribute")) {
            xmlChar *name = xmlGetProp(n, BAD_CAST "name");
            if (!name)
                continue;
            attr_rule *r = g_new0(attr_rule, 1);
            r->element = g_strdup(element);
            r->attribute = g_strdup((const char *)name);
            r->required = !optional;
            xmlFree(name);
            rng_values(n->children, r);
            g_ptr_array_add(out, r);
        } else if (rng_is(n, "ref")) {
            xmlChar *name = xmlGetProp(n, BAD_CAST "name");
            for (xmlNodePtr d = xmlDocGetRootElement(rng)->children; name && d; d = d->next) {
                if (!rng_is(d, "define"))
                    continue;
                xmlChar *dn = xmlGetProp(d, BAD_CAST "name");
                bool hit = dn && xmlStrEqual(dn, name);
                xmlFree(dn);
                if (hit)
                    rng_attributes(rng, d->children, element, optional, out, depth + 1);
            }
            xmlFree(name);
        } else {
            bool opt = optional || rng_is(n, "optional") || rng_is(n, "zeroOrMore") || rng_is(n, "choice");
            rng_attributes(rng, n->children, element, opt, out, depth + 1);
        }
    }
}

static void rng_collect(xmlDocPtr rng, xmlNodePtr n, GPtrArray *out)
{
    for (; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        if (rng_is(n, "element")) {
            xmlChar *name = xmlGetProp(n, BAD_CAST "name");
            if (name)
                rng_attributes(rng, n->children, (const char *)name, false, out, 0);
            xmlFree(name);
        }
        rng_collect(rng, n->children, out);
    }
}

/* The first fault of an element's attributes against the rules, in words; NULL if none is
 * found (the element may be valid in another context). */
static char *attribute_fault(GPtrArray *rules, xmlNodePtr el)
{
    const char *name = (const char *)el->name;
    for (guint i = 0; i < rules->len; i++) {
        attr_rule *r = g_ptr_array_index(rules, i);
        if (strcmp(r->element, name) != 0)
            continue;
        xmlChar *v = xmlGetNoNsProp(el, BAD_CAST r->attribute);
        char *msg = NULL;
        if (!v && r->required) {
            msg = g_strdup_printf("<%s> lacks the attribute %s, which it must have", name, r->attribute);
        } else if (v && r->values) {
            bool ok = true;
            gchar **words = r->is_list ? g_strsplit_set((const char *)v, " \t\n", -1) : NULL;
            gchar *one[2] = {(gchar *)v, NULL};
            gchar **check = words ? words : one;
            for (int w = 0; check[w]; w++) {
                if (!*check[w] && words)
                    continue;
                bool found = false;
                for (guint k = 0; k < r->values->len; k++)
                    found = found || !strcmp(g_ptr_array_index(r->values, k), check[w]);
                ok = ok && found;
            }
            g_strfreev(words);
            if (!ok) {
                GString *allowed = g_string_new(NULL);
                for (guint k = 0; k < r->values->len; k++)
                    g_string_append_printf(allowed, "%s\"%s\"", k ? ", " : "", (char *)g_ptr_array_index(r->values, k));
                msg = g_strdup_printf("<%s %s=\"%s\">: %s must be one of %s", name, r->attribute, v,
                                      r->is_list ? "each value" : "the value", allowed->str);
                g_string_free(allowed, TRUE);
            }
        }
        xmlFree(v);
        if (msg)
            return msg;
    }
    /* an attribute the element may not have at all */
    for (xmlAttrPtr a = el->properties; a; a = a->next) {
        if (a->ns)
            continue;
        bool known = false;
        for (guint i = 0; i < rules->len && !known; i++) {
            attr_rule *r = g_ptr_array_index(rules, i);
            known = !strcmp(r->element, name) && !strcmp(r->attribute, (const char *)a->name);
        }
        if (!known)
            return g_strdup_printf("<%s> cannot have the attribute %s", name, (const char *)a->name);
    }
    return NULL;
}

typedef struct valid_state {
    wb_ctx *ctx;
    xmlDocPtr doc;
    int errors;
    GPtrArray *rules;   /* attr_rule */
    GPtrArray *pending; /* element names whose attribute error came without a node */
    GHashTable *blamed; /* elements already reported */
    GHashTable *dropped; /* element -> name of a child the language filter took out */
    const char *lang;
    xmlDocPtr rng;      /* the schema, to say what an element's content lacks */
} valid_state;

/* The element names an RNG pattern can start with (into out); true if it may be empty. */
static bool rng_first(xmlDocPtr rng, xmlNodePtr pat, GPtrArray *out, int depth);

static bool rng_first_group(xmlDocPtr rng, xmlNodePtr first, GPtrArray *out, int depth)
{
    for (xmlNodePtr c = first; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        if (!rng_first(rng, c, out, depth + 1))
            return false;
    }
    return true;
}

static bool rng_first(xmlDocPtr rng, xmlNodePtr pat, GPtrArray *out, int depth)
{
    if (depth > 12)
        return true;
    if (rng_is(pat, "element")) {
        xmlChar *name = xmlGetProp(pat, BAD_CAST "name");
        if (name)
            g_ptr_array_add(out, g_strdup((const char *)name));
        xmlFree(name);
        return false;
    }
    if (rng_is(pat, "ref")) {
        xmlChar *name = xmlGetProp(pat, BAD_CAST "name");
        bool empty = true;
        for (xmlNodePtr d = xmlDocGetRootElement(rng)->children; name && d; d = d->next) {
            if (!rng_is(d, "define"))
                continue;
            xmlChar *dn = xmlGetProp(d, BAD_CAST "name");
            if (dn && xmlStrEqual(dn, name))
                empty = rng_first_group(rng, d->children, out, depth);
            xmlFree(dn);
        }
        xmlFree(name);
        return empty;
    }
    if (rng_is(pat, "choice")) {
        bool empty = false;
        for (xmlNodePtr c = pat->children; c; c = c->next)
            if (c->type == XML_ELEMENT_NODE && rng_first(rng, c, out, depth + 1))
                empty = true;
        return empty;
    }
    if (rng_is(pat, "optional") || rng_is(pat, "zeroOrMore")) {
        rng_first_group(rng, pat->children, out, depth);
        return true;
    }
    if (rng_is(pat, "oneOrMore") || rng_is(pat, "group") || rng_is(pat, "interleave") || rng_is(pat, "mixed"))
        return rng_first_group(rng, pat->children, out, depth);
    return true; /* attribute, text, empty, data, value: no element */
}

static bool name_in(GPtrArray *names, const char *n)
{
    for (guint i = 0; i < names->len; i++)
        if (!strcmp(g_ptr_array_index(names, i), n))
            return true;
    return false;
}

static char *names_text(GPtrArray *names)
{
    GString *s = g_string_new(NULL);
    if (names->len == 1) {
        g_string_append_printf(s, "a <%s>", (char *)g_ptr_array_index(names, 0));
    } else {
        g_string_append(s, "one of ");
        for (guint i = 0; i < names->len; i++)
            g_string_append_printf(s, "%s<%s>", i == 0 ? "" : i + 1 == names->len ? " or " : ", ",
                                   (char *)g_ptr_array_index(names, i));
    }
    return g_string_free(s, FALSE);
}

/* What an element's content lacks, from its definition in the schema: the first required
 * part that its children do not have, where they do not have it.  *at receives the node
 * to report at.  NULL when every definition of that name fits (or none is found). */
static char *content_fault(valid_state *vs, xmlNodePtr el, xmlNodePtr *at)
{
    GPtrArray *kids = g_ptr_array_new();
    for (xmlNodePtr c = el->children; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE)
            g_ptr_array_add(kids, c);
    char *fault = NULL;
    GPtrArray *defs = g_ptr_array_new();
    /* every <element name="..."> of that name in the schema */
    GPtrArray *stack = g_ptr_array_new();
    g_ptr_array_add(stack, xmlDocGetRootElement(vs->rng));
    while (stack->len) {
        xmlNodePtr n = g_ptr_array_remove_index(stack, stack->len - 1);
        for (xmlNodePtr c = n->children; c; c = c->next) {
            if (c->type != XML_ELEMENT_NODE)
                continue;
            if (rng_is(c, "element")) {
                xmlChar *name = xmlGetProp(c, BAD_CAST "name");
                if (name && xmlStrEqual(name, el->name))
                    g_ptr_array_add(defs, c);
                xmlFree(name);
            }
            g_ptr_array_add(stack, c);
        }
    }
    g_ptr_array_free(stack, TRUE);
    for (guint d = 0; d < defs->len && (d == 0 || fault); d++) {
        xmlNodePtr def = g_ptr_array_index(defs, d);
        char *this_fault = NULL;
        guint i = 0;
        for (xmlNodePtr item = def->children; item && !this_fault; item = item->next) {
            if (item->type != XML_ELEMENT_NODE)
                continue;
            GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
            bool may_be_empty = rng_first(vs->rng, item, names, 0);
            bool repeats = rng_is(item, "oneOrMore") || rng_is(item, "zeroOrMore");
            int matched = 0;
            while (names->len && i < kids->len &&
                   name_in(names, (const char *)((xmlNodePtr)g_ptr_array_index(kids, i))->name)) {
                i++;
                matched++;
                if (!repeats)
                    break;
            }
            if (names->len && !matched && !may_be_empty) {
                char *want = names_text(names);
                /* the child there: does a later part of the content take it?  If so the
                 * required part is missing; if not, the child is out of place */
                bool later = false;
                xmlNodePtr k = i < kids->len ? g_ptr_array_index(kids, i) : NULL;
                for (xmlNodePtr rest = item->next; k && rest && !later; rest = rest->next) {
                    if (rest->type != XML_ELEMENT_NODE)
                        continue;
                    GPtrArray *rn = g_ptr_array_new_with_free_func(g_free);
                    rng_first(vs->rng, rest, rn, 0);
                    later = name_in(rn, (const char *)k->name);
                    g_ptr_array_free(rn, TRUE);
                }
                if (k && !later) {
                    this_fault = g_strdup_printf("<%s> is not allowed here, inside <%s>", (const char *)k->name,
                                                 (const char *)el->name);
                    *at = k;
                } else if (k) {
                    this_fault = g_strdup_printf("<%s> needs %s before <%s>", (const char *)el->name, want,
                                                 (const char *)k->name);
                    *at = k;
                } else if (i > 0) {
                    xmlNodePtr k = g_ptr_array_index(kids, i - 1);
                    this_fault = g_strdup_printf("<%s> needs %s after <%s>", (const char *)el->name, want,
                                                 (const char *)k->name);
                    *at = el;
                } else {
                    this_fault = g_strdup_printf("<%s> needs %s", (const char *)el->name, want);
                    *at = el;
                }
                g_free(want);
            }
            g_ptr_array_free(names, TRUE);
        }
        if (!this_fault && i < kids->len) {
            xmlNodePtr k = g_ptr_array_index(kids, i);
            this_fault = g_strdup_printf("<%s> is not allowed here, inside <%s>", (const char *)k->name,
                                         (const char *)el->name);
            *at = k;
        }
        g_free(fault);
        fault = this_fault;
    }
    g_ptr_array_free(defs, TRUE);
    g_ptr_array_free(kids, TRUE);
    return fault;
}

/* Full-pattern sscanf: true only if the whole of `fmt` matched. */
#define MATCHES(raw, fmt, word) (n_ = -1, sscanf((raw), fmt "%n", (word), &n_) == 1 && n_ >= 0)

/* libxml2's RELAX NG messages name elements the way a schema author thinks; these say it
 * the way a course author does. */
static char *friendly_message(const char *raw, xmlNodePtr node)
{
    const char *name = node && node->name ? (const char *)node->name : "?";
    const char *parent = node && node->parent && node->parent->type == XML_ELEMENT_NODE
                             ? (const char *)node->parent->name
                             : NULL;
    char word[128];
    int n_;
    if (MATCHES(raw, "Did not expect element %127s there", word)) {
        if (parent)
            return g_strdup_printf("<%s> is not allowed here, inside <%s>", word, parent);
        return g_strdup_printf("<%s> is not allowed here", word);
    }
    char got[128];
    if (sscanf(raw, "Expecting element %127[^,], got %127s", word, got) == 2) {
        if (node && !strcmp(name, got) && parent)
            return g_strdup_printf("<%s> is not allowed here, inside <%s>", got, parent);
        xmlNodePtr firstel = node ? node->children : NULL;
        while (firstel && firstel->type != XML_ELEMENT_NODE)
            firstel = firstel->next;
        if (firstel && !strcmp((const char *)firstel->name, got))
            return g_strdup_printf("<%s> must start with a <%s>, not <%s>", name, word, got);
        return g_strdup_printf("<%s> is not allowed here: <%s> was expected", got, word);
    }
    if (MATCHES(raw, "Invalid attribute %127s for element %*s", word))
        return g_strdup_printf("<%s> cannot have the attribute %s", name, word);
    if (strstr(raw, "Expecting an element") && strstr(raw, "got nothing"))
        return g_strdup_printf("<%s> is missing a required child element", name);
    if (strstr(raw, "Element ") && strstr(raw, " has wrong content"))
        return g_strdup_printf("<%s> does not contain what it should", name);
    char value[256];
    if (sscanf(raw, "Type %127s doesn't allow value '%255[^']'", word, value) == 2) {
        static const struct { const char *type, *words; } kinds[] = {
            {"positiveInteger", "a whole number greater than 0"},
            {"nonNegativeInteger", "a whole number, 0 or more"},
            {"integer", "a whole number"},
            {"date", "a date written YYYY-MM-DD"},
            {"NCName", "a name without spaces or colons (letters, digits, - _ .)"},
            {"language", "a language tag such as en, fr or ru-RU"},
            {"anyURI", "a URI"},
        };
        const char *what = word;
        for (size_t i = 0; i < G_N_ELEMENTS(kinds); i++)
            if (!strcmp(word, kinds[i].type))
                what = kinds[i].words;
        /* which attribute holds the value, if any */
        for (xmlAttrPtr a = node ? node->properties : NULL; a; a = a->next) {
            xmlChar *v = xmlNodeGetContent((xmlNodePtr)a);
            bool hit = v && !strcmp((const char *)v, value);
            xmlFree(v);
            if (hit)
                return g_strdup_printf("<%s %s=\"%s\">: the value must be %s", name, (const char *)a->name, value, what);
        }
        return g_strdup_printf("<%s>: \"%s\" is not %s", name, value, what);
    }
    if (strstr(raw, "Expecting an element") && strstr(raw, "got text"))
        return g_strdup_printf("text is not allowed directly inside <%s>: put it in a <para>", name);

    return g_strdup_printf("<%s>: %s", name, raw);
}

/* The first element named `name` from `from` on in document order (from included). */
static xmlNodePtr find_element_from(xmlNodePtr from, const char *name, GHashTable *skip)
{
    for (xmlNodePtr n = from; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        if (!strcmp((const char *)n->name, name) && !g_hash_table_contains(skip, n))
            return n;
        xmlNodePtr d = find_element_from(n->children, name, skip);
        if (d)
            return d;
    }
    return NULL;
}

static void report_attribute_error(valid_state *vs, const char *element, xmlNodePtr search_from)
{
    xmlNodePtr el = NULL;
    for (xmlNodePtr from = search_from; from && !el; from = from->parent == NULL || from->parent->type != XML_ELEMENT_NODE ? NULL : from->parent) {
        /* search forward from the node libxml2 names, then from its ancestors */
        el = find_element_from(from, element, vs->blamed);
        if (!el && from->next)
            el = find_element_from(from->next, element, vs->blamed);
        if (el)
            break;
    }
    if (!el)
        el = find_element_from(xmlDocGetRootElement(vs->doc), element, vs->blamed);
    char *msg = el ? attribute_fault(vs->rules, el) : NULL;
    /* an element whose attributes look fine here: keep looking at later ones of its name */
    while (el && !msg) {
        g_hash_table_add(vs->blamed, el);
        el = find_element_from(xmlDocGetRootElement(vs->doc), element, vs->blamed);
        msg = el ? attribute_fault(vs->rules, el) : NULL;
    }
    if (el) {
        g_hash_table_add(vs->blamed, el);
        node_error(vs->ctx, WB_ERR_INPUT, el, "%s", msg);
    } else if (vs->errors == 0) {
        /* (when an error was reported already, it was this element's: say it once) */
        wb_error(vs->ctx, WB_ERR_INPUT, vs->doc->URL ? (const char *)vs->doc->URL : NULL, 0, 0,
                 "<%s> has an attribute that is missing, unknown or has a wrong value", element);
    }
    g_free(msg);
    vs->errors++;
}

static void relaxng_error(void *data, xmlErrorPtr err)
{
    valid_state *vs = data;
    if (!err || err->level == XML_ERR_NONE)
        return;
    xmlNodePtr node = err->node;
    if (node && node->type == XML_TEXT_NODE && vs->errors > 0)
        return; /* an echo, about the text, of the error already reported */
    if (err->message && strstr(err->message, "Did not expect element text there") && vs->errors > 0)
        return; /* libxml2 calls stray text an element "text": said already */
    char *raw = g_strdup(err->message ? err->message : "invalid");
    g_strchomp(raw);
    char word[128];
    int n_;
    if (node && sscanf(raw, "Invalid attribute %127s for element", word) == 1) {
        char *fault = attribute_fault(vs->rules, node);
        if (fault) {
            node_error(vs->ctx, WB_ERR_INPUT, node, "%s", fault);
            g_hash_table_add(vs->blamed, node);
            vs->errors++;
            g_free(fault);
            g_free(raw);
            return;
        }
    }
    if (MATCHES(raw, "Element %127s failed to validate attributes", word)) {
        /* libxml2 gives no node here: find the element when the next error says where */
        if (node)
            report_attribute_error(vs, word, node);
        else
            g_ptr_array_add(vs->pending, g_strdup(word));
        g_free(raw);
        return;
    }
    if (strstr(raw, "Error validating datatype") || strstr(raw, "Error validating value")) {
        g_free(raw); /* the "Type ... doesn't allow value" line that comes with it says it better */
        return;
    }
    /* libxml2 repeats one fault at every enclosing level; the innermost is the useful one */
    bool follow_up = MATCHES(raw, "Element %127s failed to validate content", word) ||
                     (sscanf(raw, "Element %127s has extra content:", word) == 1 && strstr(raw, "has extra content"));
    if (vs->pending->len) {
        for (guint i = 0; i < vs->pending->len; i++)
            report_attribute_error(vs, g_ptr_array_index(vs->pending, i), node);
        g_ptr_array_set_size(vs->pending, 0);
        if (follow_up) {
            g_free(raw);
            return;
        }
    }
    if (follow_up && vs->errors > 0) {
        g_free(raw);
        return;
    }
    if (follow_up && node && node->type == XML_TEXT_NODE) {
        g_free(raw); /* the "got text" error that comes with it says where and what */
        return;
    }
    if (follow_up && node) {
        /* the first fault: name what cannot stay there */
        char *m = g_strdup_printf("<%s> is not allowed here, inside <%s>", (const char *)node->name,
                                  node->parent && node->parent->type == XML_ELEMENT_NODE ? (const char *)node->parent->name : "?");
        node_error(vs->ctx, WB_ERR_INPUT, node, "%s", m);
        g_free(m);
        vs->errors++;
        g_free(raw);
        return;
    }
    if (node && node->type == XML_TEXT_NODE) {
        g_free(raw); /* the element holding the text was reported already */
        return;
    }
    if (node && strstr(raw, "Expecting an element") && strstr(raw, "got text")) {
        /* point at the stray text itself */
        for (xmlNodePtr t = node->children; t; t = t->next)
            if (t->type == XML_TEXT_NODE && !xmlIsBlankNode(t)) {
                const char *c = (const char *)t->content;
                /* libxml2 gives a text node the line where it ends */
                int line = (int)xmlGetLineNo(t);
                for (const char *q = c; *q; q++)
                    if (*q == '\n')
                        line--;
                while (*c == ' ' || *c == '\t' || *c == '\n' || *c == '\r') {
                    if (*c == '\n')
                        line++;
                    c++;
                }
                char *file, *m = friendly_message(raw, node);
                int l0, c0;
                wb_node_position(node, &file, &l0, &c0);
                /* the column: the text's first character on that line of the file */
                int col = 0;
                FILE *fp = file ? fopen(file, "rb") : NULL;
                if (fp) {
                    char *buf = NULL;
                    size_t cap = 0;
                    for (int k = 1; getline(&buf, &cap, fp) >= 0; k++)
                        if (k == line) {
                            col = 1 + (int)strspn(buf, " \t");
                            break;
                        }
                    free(buf);
                    fclose(fp);
                }
                wb_error(vs->ctx, WB_ERR_INPUT, file, line, col, "%s", m);
                free(file);
                g_free(m);
                vs->errors++;
                g_free(raw);
                return;
            }
    }
    /* a content fault of the element, or of the parent of an element out of place: say
     * what the schema wants there */
    xmlNodePtr owner = NULL;
    if (node && node->type == XML_ELEMENT_NODE && strstr(raw, "Expecting an element") && strstr(raw, "got nothing"))
        owner = node;
    else if (node && node->type == XML_ELEMENT_NODE && MATCHES(raw, "Did not expect element %127s there", word) &&
             node->parent && node->parent->type == XML_ELEMENT_NODE)
        owner = node->parent;
    if (owner && vs->rng) {
        xmlNodePtr at = owner;
        char *fault = content_fault(vs, owner, &at);
        if (fault) {
            node_error(vs->ctx, WB_ERR_INPUT, at, "%s", fault);
            vs->errors++;
            g_free(fault);
            g_free(raw);
            return;
        }
    }
    char want[128], got[128];
    if (node && vs->dropped && vs->lang && sscanf(raw, "Expecting element %127[^,], got %127s", want, got) == 2) {
        const char *gone = g_hash_table_lookup(vs->dropped, node);
        if (gone && !strcmp(gone, want)) {
            node_error(vs->ctx, WB_ERR_INPUT, node, "<%s> has no <%s> in language \"%s\"",
                       (const char *)node->name, want, vs->lang);
            vs->errors++;
            g_free(raw);
            return;
        }
    }
    char *msg = friendly_message(raw, node);
    if (node)
        node_error(vs->ctx, WB_ERR_INPUT, node, "%s", msg);
    else
        wb_error(vs->ctx, WB_ERR_INPUT, err->file, err->line, err->int2, "%s", msg);
    vs->errors++;
    g_free(msg);
    g_free(raw);
}

static int validate_schema(wb_ctx *ctx, xmlDocPtr doc, const char *schema, GHashTable *dropped, const char *lang)
{
    valid_state vs = {ctx, doc, 0, g_ptr_array_new_with_free_func(free_attr_rule),
                      g_ptr_array_new_with_free_func(g_free), g_hash_table_new(g_direct_hash, g_direct_equal),
                      dropped, lang, NULL};
    int rc = -1;
    xmlDocPtr rngdoc = xmlReadFile(schema, NULL, XML_PARSE_NONET);
    if (!rngdoc) {
        wb_error(ctx, WB_ERR_INTERNAL, schema, 0, 0,
                 "cannot read the course schema (is the program installed? --styles-dir or "
                 "WB_STYLES_DIR name the folder of the styles)");
        goto out;
    }
    rng_collect(rngdoc, xmlDocGetRootElement(rngdoc), vs.rules);
    vs.rng = rngdoc;
    xmlRelaxNGParserCtxtPtr pc = xmlRelaxNGNewDocParserCtxt(rngdoc);
    xmlRelaxNGSetParserStructuredErrors(pc, structured_parse_error, (void *[]){ctx, (void *)schema});
    xmlRelaxNGPtr rng = xmlRelaxNGParse(pc);
    xmlRelaxNGFreeParserCtxt(pc);
    if (!rng) {
        wb_error(ctx, WB_ERR_INTERNAL, schema, 0, 0, "the course schema does not compile");
        goto out;
    }
    xmlRelaxNGValidCtxtPtr vc = xmlRelaxNGNewValidCtxt(rng);
    xmlRelaxNGSetValidStructuredErrors(vc, relaxng_error, &vs);
    rc = xmlRelaxNGValidateDoc(vc, doc);
    xmlRelaxNGFreeValidCtxt(vc);
    xmlRelaxNGFree(rng);
    for (guint i = 0; i < vs.pending->len; i++)
        report_attribute_error(&vs, g_ptr_array_index(vs.pending, i), xmlDocGetRootElement(doc));
    if (rc != 0 && vs.errors == 0)
        node_error(ctx, WB_ERR_INPUT, xmlDocGetRootElement(doc), "the course is not valid");
out:
    xmlFreeDoc(rngdoc);
    g_ptr_array_free(vs.rules, TRUE);
    g_ptr_array_free(vs.pending, TRUE);
    g_hash_table_destroy(vs.blamed);
    return rc == 0 ? 0 : -1;
}

/* Rules the schema cannot say: ids unique, references resolve, images exist. */
typedef struct id_entry {
    const xmlChar *id;
    xmlNodePtr node;
} id_entry;

static void collect_ids(xmlNodePtr n, GHashTable *ids, wb_ctx *ctx)
{
    for (; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        xmlChar *id = xmlGetNoNsProp(n, BAD_CAST "id");
        if (id) {
            xmlNodePtr prev = g_hash_table_lookup(ids, id);
            if (prev) {
                char *pf;
                int pl, pc;
                wb_node_position(prev, &pf, &pl, &pc);
                node_error(ctx, WB_ERR_INPUT, n, "duplicate id \"%s\" (first used at %s:%d)", id,
                           pf ? pf : "?", pl);
                free(pf);
                xmlFree(id);
            } else {
                g_hash_table_insert(ids, id, n);
            }
        }
        collect_ids(n->children, ids, ctx);
    }
}

static void check_refs(xmlNodePtr n, GHashTable *ids, wb_ctx *ctx)
{
    for (; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        const char *name = (const char *)n->name;
        const char *attr = NULL;
        if (strcmp(name, "xref") == 0)
            attr = "ref";
        else if (strcmp(name, "item") == 0 && n->parent &&
                 xmlStrEqual(n->parent->name, BAD_CAST "left"))
            attr = "match";
        else if (strcmp(name, "discussion") == 0)
            attr = "case";
        xmlChar *v = attr ? xmlGetNoNsProp(n, BAD_CAST attr) : NULL;
        if (v && !g_hash_table_lookup(ids, v))
            node_error(ctx, WB_ERR_INPUT, n, "<%s %s=\"%s\">: no element has the id \"%s\"", name,
                       attr, v, v);
        xmlFree(v);
        if (strcmp(name, "image") == 0) {
            xmlChar *src = xmlGetNoNsProp(n, BAD_CAST "src");
            xmlChar *base = xmlNodeGetBase(n->doc, n);
            xmlChar *uri = src ? xmlBuildURI(src, base ? base : BAD_CAST "") : NULL;
            if (uri) {
                const char *u = (const char *)uri;
                if (strncmp(u, "file://", 7) == 0)
                    u += 7;
                char *path = xmlURIUnescapeString(u, 0, NULL);
                if (path && access(path, R_OK) != 0)
                    node_error(ctx, WB_ERR_INPUT, n, "<image src=\"%s\">: the file %s is missing",
                               src, path);
                xmlFree(path);
            }
            xmlFree(uri);
            xmlFree(base);
            xmlFree(src);
        }
        check_refs(n->children, ids, ctx);
    }
}

static void check_exercise_answers(xmlNodePtr n, wb_ctx *ctx)
{
    for (; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        const char *name = (const char *)n->name;
        bool single = n->parent && xmlStrEqual(n->parent->name, BAD_CAST "single-choice");
        bool multi = n->parent && xmlStrEqual(n->parent->name, BAD_CAST "multiple-choice");
        if (strcmp(name, "item") == 0 && (single || multi)) {
            int correct = 0;
            for (xmlNodePtr c = n->children; c; c = c->next) {
                if (c->type != XML_ELEMENT_NODE || !xmlStrEqual(c->name, BAD_CAST "choice"))
                    continue;
                xmlChar *v = xmlGetNoNsProp(c, BAD_CAST "correct");
                if (v && xmlStrEqual(v, BAD_CAST "true"))
                    correct++;
                xmlFree(v);
            }
            if (single && correct != 1)
                node_error(ctx, WB_ERR_INPUT, n,
                           "a single-choice item needs exactly one choice with correct=\"true\" "
                           "(it has %d)",
                           correct);
            if (multi && correct < 1)
                node_error(ctx, WB_ERR_INPUT, n,
                           "a multiple-choice item needs at least one choice with "
                           "correct=\"true\"");
        } else if (strcmp(name, "sequencing") == 0) {
            int count = 0;
            for (xmlNodePtr c = n->children; c; c = c->next)
                if (c->type == XML_ELEMENT_NODE)
                    count++;
            char seen[256] = {0};
            for (xmlNodePtr c = n->children; c; c = c->next) {
                if (c->type != XML_ELEMENT_NODE)
                    continue;
                xmlChar *v = xmlGetNoNsProp(c, BAD_CAST "position");
                long pos = v ? strtol((const char *)v, NULL, 10) : 0;
                if (pos < 1 || pos > count || pos > 255)
                    node_error(ctx, WB_ERR_INPUT, c, "step position %s is not between 1 and %d",
                               v ? (const char *)v : "?", count);
                else if (seen[pos]++)
                    node_error(ctx, WB_ERR_INPUT, c, "step position %ld is used twice", pos);
                xmlFree(v);
            }
        } else if (strcmp(name, "rating-scale") == 0) {
            xmlChar *lo = xmlGetNoNsProp(n, BAD_CAST "min"), *hi = xmlGetNoNsProp(n, BAD_CAST "max");
            if (lo && hi && atoi((const char *)lo) > atoi((const char *)hi))
                node_error(ctx, WB_ERR_INPUT, n, "rating-scale min %s is greater than max %s", lo, hi);
            xmlFree(lo);
            xmlFree(hi);
        } else if (strcmp(name, "fill-in") == 0) {
            bool gap = false;
            for (xmlNodePtr c = n->children; c && !gap; c = c->next)
                for (xmlNodePtr g = c->type == XML_ELEMENT_NODE ? c->children : NULL; g && !gap; g = g->next)
                    gap = g->type == XML_ELEMENT_NODE && xmlStrEqual(g->name, BAD_CAST "gap");
            if (!gap)
                node_error(ctx, WB_ERR_INPUT, n, "<fill-in> has no <gap answer=\"...\"/>: there is nothing to fill in");
        } else if (strcmp(name, "band") == 0) {
            xmlChar *lo = xmlGetNoNsProp(n, BAD_CAST "min"), *hi = xmlGetNoNsProp(n, BAD_CAST "max");
            if (lo && hi && atoi((const char *)lo) > atoi((const char *)hi))
                node_error(ctx, WB_ERR_INPUT, n, "band min %s is greater than max %s", lo, hi);
            xmlFree(lo);
            xmlFree(hi);
        }
        check_exercise_answers(n->children, ctx);
    }
}

static int check_rules(wb_ctx *ctx, xmlDocPtr doc)
{
    wb_status before = wb_ctx_status(ctx);
    GHashTable *ids = g_hash_table_new_full(g_str_hash, g_str_equal, xmlFree, NULL);
    xmlNodePtr root = xmlDocGetRootElement(doc);
    collect_ids(root, ids, ctx);
    check_refs(root, ids, ctx);
    check_exercise_answers(root, ctx);
    g_hash_table_destroy(ids);
    return before == WB_OK && wb_ctx_status(ctx) != WB_OK ? -1 : 0;
}

/* Image paths are written relative to the file they are in (XML Base); after inclusion
 * they are rewritten as absolute paths, so the styles copy them as they are and an FO file
 * saved anywhere still finds them.  A missing file keeps its path for the error message. */
static void rebase_images(xmlNodePtr n, xmlDocPtr doc)
{
    for (; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        if (xmlStrEqual(n->name, BAD_CAST "image")) {
            xmlChar *src = xmlGetNoNsProp(n, BAD_CAST "src");
            xmlChar *base = xmlNodeGetBase(doc, n);
            if (src && base && !strstr((const char *)src, "://") && src[0] != '/') {
                xmlChar *uri = xmlBuildURI(src, base);
                char *path = uri ? xmlURIUnescapeString((const char *)uri, 0, NULL) : NULL;
                char real[PATH_MAX];
                /* absolute, so an FO file saved anywhere still finds it */
                if (path && realpath(path, real))
                    xmlSetProp(n, BAD_CAST "src", BAD_CAST real);
                xmlFree(path);
                xmlFree(uri);
            }
            xmlFree(src);
            xmlFree(base);
        }
        rebase_images(n->children, doc);
    }
}

/* ------------------------------------------------------------------ the stage */

xmlDocPtr wb_load_course(wb_ctx *ctx, const char *path, const wb_profile *profile,
                         const char *schema)
{
    xmlDocPtr doc = wb_load_xml(ctx, path);
    if (!doc)
        return NULL;
    if (wb_xinclude(ctx, doc, NULL) != 0)
        goto fail;
    xmlNodePtr root = xmlDocGetRootElement(doc);
    rebase_images(root, doc);
    wb_profile p = profile ? *profile : (wb_profile){0};
    char *lang = choose_lang(ctx, root, p.lang);
    if (wb_ctx_status(ctx) != WB_OK) {
        free(lang);
        goto fail;
    }
    p.lang = lang;
    GHashTable *dropped = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, g_free);
    filter_children(root, &p, dropped);
    if (lang) {
        xmlNsPtr xmlns = xmlSearchNsByHref(doc, root, BAD_CAST XML_NS);
        xmlSetNsProp(root, xmlns, BAD_CAST "lang", BAD_CAST lang);
    }
    if (schema && strcmp((const char *)root->name, "course") && strcmp((const char *)root->name, "module")) {
        node_error(ctx, WB_ERR_INPUT, root,
                   "<%s> cannot be the root element: a course file starts with <course>, a module file with <module>",
                   (const char *)root->name);
        g_hash_table_destroy(dropped);
        free(lang);
        goto fail;
    }
    int invalid = schema ? validate_schema(ctx, doc, schema, dropped, p.lang) : 0;
    g_hash_table_destroy(dropped);
    free(lang);
    if (invalid)
        goto fail;
    if (check_rules(ctx, doc) != 0)
        goto fail;
    return doc;
fail:
    xmlFreeDoc(doc);
    return NULL;
}
