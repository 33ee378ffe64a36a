/* RELAX NG validation with messages in a course author's words, built from libxml2's
 * structured errors (code XML_RELAXNG_ERR_*, str1, str2, node), echoes dropped, and the schema
 * (schema.c) asked what an element lacks.  Hands on load_validate_schema to course.c. */
#include "load/load-private.h"

#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/relaxng.h>

typedef struct valid_state {
    wb_ctx *ctx;
    xmlDocPtr doc;
    int errors;
    GPtrArray *attrs;    /* what the schema declares of each element's attributes */
    GPtrArray *pending;  /* element names whose attribute error came without a node */
    GHashTable *blamed;  /* elements already reported */
    GHashTable *dropped; /* element -> name of a child the language filter took out */
    const char *lang;
    xmlDocPtr rng;       /* the schema, to say what an element's content lacks */
    GPtrArray *names;    /* the element names the schema declares, for "did you mean" */
    GHashTable *faulted; /* elements one of whose children was reported out of place */
} valid_state;

static bool is_code(const xmlError *err, xmlRelaxNGValidErr code)
{
    return err->code == (int)code;
}

/* A string of the error; "" when libxml2 gave none (its message shows it so). */
static const char *err_str(const char *s)
{
    return s ? s : "";
}

static const char *parent_name(xmlNodePtr node)
{
    return node && node->parent && node->parent->type == XML_ELEMENT_NODE ? (const char *)node->parent->name
                                                                           : NULL;
}

/* ------------------------------------------------------------------ messages */

/* XML_RELAXNG_ERR_ELEMNAME: element `want` was expected at `node`, `got` was found. */
static char *unexpected_element(xmlNodePtr node, const char *name, const char *want, const char *got)
{
    const char *parent = parent_name(node);
    if (node && !strcmp(name, got) && parent)
        return g_strdup_printf("<%s> is not allowed here, inside <%s>", got, parent);
    xmlNodePtr firstel = node ? node->children : NULL;
    while (firstel && firstel->type != XML_ELEMENT_NODE)
        firstel = firstel->next;
    if (firstel && !strcmp((const char *)firstel->name, got))
        return g_strdup_printf("<%s> must start with a <%s>, not <%s>", name, want, got);
    return g_strdup_printf("<%s> is not allowed here: <%s> was expected", got, want);
}

/* XML_RELAXNG_ERR_TYPEVAL: `value` is not of the datatype `type`. */
static char *wrong_value(xmlNodePtr node, const char *name, const char *type, const char *value)
{
    static const struct {
        const char *type, *words;
    } kinds[] = {
        {"positiveInteger", "a whole number greater than 0"},
        {"nonNegativeInteger", "a whole number, 0 or more"},
        {"integer", "a whole number"},
        {"date", "a date written YYYY-MM-DD"},
        {"NCName", "a name without spaces or colons (letters, digits, - _ .)"},
        {"language", "a language tag such as en, fr or ru-RU"},
        {"anyURI", "a URI"},
    };
    const char *what = type;
    for (size_t i = 0; i < G_N_ELEMENTS(kinds); i++)
        if (!strcmp(type, kinds[i].type))
            what = kinds[i].words;
    /* which attribute holds the value, if any */
    for (xmlAttrPtr a = node ? node->properties : NULL; a; a = a->next) {
        xmlChar *v = xmlNodeGetContent((xmlNodePtr)a);
        bool hit = v && !strcmp((const char *)v, value);
        xmlFree(v);
        if (hit)
            return g_strdup_printf("<%s %s=\"%s\">: the value must be %s", name, (const char *)a->name, value,
                                   what);
    }
    return g_strdup_printf("<%s>: \"%s\" is not %s", name, value, what);
}

/* libxml2's RELAX NG messages name elements the way a schema author thinks; these say it
 * the way a course author does.  `raw` is libxml2's own message, for the faults not
 * rephrased. */
static char *friendly_message(const xmlError *err, const char *raw, xmlNodePtr node)
{
    const char *name = node && node->name ? (const char *)node->name : "?";
    const char *str1 = err_str(err->str1), *str2 = err_str(err->str2);
    switch (err->code) {
    case XML_RELAXNG_ERR_ELEMWRONG:
        if (parent_name(node))
            return g_strdup_printf("<%s> is not allowed here, inside <%s>", str1, parent_name(node));
        return g_strdup_printf("<%s> is not allowed here", str1);
    case XML_RELAXNG_ERR_ELEMNAME:
        if (*str1 && *str2)
            return unexpected_element(node, name, str1, str2);
        break;
    case XML_RELAXNG_ERR_INVALIDATTR:
        return g_strdup_printf("<%s> cannot have the attribute %s", name, str1);
    case XML_RELAXNG_ERR_NOELEM:
        return g_strdup_printf("<%s> is missing a required child element", name);
    case XML_RELAXNG_ERR_TYPEVAL:
        return wrong_value(node, name, str1, str2);
    case XML_RELAXNG_ERR_NOTELEM:
        return g_strdup_printf("text is not allowed directly inside <%s>: put it in a <para>", name);
    default:
        break;
    }
    return g_strdup_printf("<%s>: %s", name, raw);
}

/* ------------------------------------------------------------------ attribute faults */

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

/* The element named `element` that libxml2 means near `search_from`: searched forward from
 * that node, then from each of its ancestors, then from the root. */
static xmlNodePtr element_near(valid_state *vs, const char *element, xmlNodePtr search_from)
{
    for (xmlNodePtr from = search_from; from;
         from = from->parent && from->parent->type == XML_ELEMENT_NODE ? from->parent : NULL) {
        xmlNodePtr el = find_element_from(from, element, vs->blamed);
        if (!el && from->next)
            el = find_element_from(from->next, element, vs->blamed);
        if (el)
            return el;
    }
    return find_element_from(xmlDocGetRootElement(vs->doc), element, vs->blamed);
}

/* "Element X failed to validate attributes" names no attribute: find the element and say
 * what is wrong with its attributes, by the schema. */
static void report_attribute_error(valid_state *vs, const char *element, xmlNodePtr search_from)
{
    xmlNodePtr el = element_near(vs, element, search_from);
    char *msg = el ? schema_attribute_fault(vs->attrs, el) : NULL;
    /* an element whose attributes look fine here: keep looking at later ones of its name */
    while (el && !msg) {
        g_hash_table_add(vs->blamed, el);
        el = find_element_from(xmlDocGetRootElement(vs->doc), element, vs->blamed);
        msg = el ? schema_attribute_fault(vs->attrs, el) : NULL;
    }
    if (el) {
        g_hash_table_add(vs->blamed, el);
        load_node_error(vs->ctx, WB_ERR_INPUT, el, "%s", msg);
    } else if (vs->errors == 0) {
        /* (when an error was reported already, it was this element's: say it once) */
        wb_error(vs->ctx, WB_ERR_INPUT, vs->doc->URL ? (const char *)vs->doc->URL : NULL, 0, 0,
                 "<%s> has an attribute that is missing, unknown or has a wrong value", element);
    }
    g_free(msg);
    vs->errors++;
}

static void report_pending(valid_state *vs, xmlNodePtr near)
{
    for (guint i = 0; i < vs->pending->len; i++)
        report_attribute_error(vs, g_ptr_array_index(vs->pending, i), near);
    g_ptr_array_set_size(vs->pending, 0);
}

/* ------------------------------------------------------------------ libxml2's errors */

/* Errors that only repeat one already reported. */
static bool is_echo(const valid_state *vs, const xmlError *err)
{
    if (vs->errors == 0)
        return false;
    if (err->node && ((xmlNodePtr)err->node)->type == XML_TEXT_NODE)
        return true; /* about the text of the element reported */
    /* libxml2 calls stray text an element "text": said already */
    return is_code(err, XML_RELAXNG_ERR_ELEMWRONG) && !strcmp(err_str(err->str1), "text");
}

/* One element out of place is one mistake: its siblings after it are not blamed again.
 * An unknown name close to a known one gets the known one as a hint. */
static void report_at(valid_state *vs, xmlNodePtr node, const char *msg)
{
    bool element = node && node->type == XML_ELEMENT_NODE;
    xmlNodePtr parent = element && node->parent && node->parent->type == XML_ELEMENT_NODE ? node->parent : NULL;
    if (parent && g_hash_table_contains(vs->faulted, parent))
        return;
    const char *hint = element && strstr(msg, "is not allowed here") ? spelling_suggest(vs->names, (const char *)node->name)
                                                                      : NULL;
    if (hint)
        load_node_error(vs->ctx, WB_ERR_INPUT, node, "%s; did you mean <%s>?", msg, hint);
    else
        load_node_error(vs->ctx, WB_ERR_INPUT, node, "%s", msg);
    if (parent)
        g_hash_table_add(vs->faulted, parent);
    vs->errors++;
}

/* "Invalid attribute A for element E": said by the schema, when it finds the fault. */
static bool handled_as_invalid_attribute(valid_state *vs, const xmlError *err)
{
    xmlNodePtr node = err->node;
    if (!node || !is_code(err, XML_RELAXNG_ERR_INVALIDATTR))
        return false;
    char *fault = schema_attribute_fault(vs->attrs, node);
    if (!fault)
        return false;
    report_at(vs, node, fault);
    g_hash_table_add(vs->blamed, node);
    g_free(fault);
    return true;
}

/* "Element E failed to validate attributes": libxml2 often gives no node here; then the
 * element is found when the next error says where. */
static bool handled_as_attribute_failure(valid_state *vs, const xmlError *err)
{
    if (!is_code(err, XML_RELAXNG_ERR_ATTRVALID) || !err->str1)
        return false;
    if (err->node)
        report_attribute_error(vs, err->str1, err->node);
    else
        g_ptr_array_add(vs->pending, g_strdup(err->str1));
    return true;
}

/* libxml2 repeats one fault at every enclosing level ("failed to validate content", "has
 * extra content"); the innermost is the useful one.  Attribute errors that waited for a
 * node are reported first, near this error's node. */
static bool handled_as_follow_up(valid_state *vs, const xmlError *err)
{
    xmlNodePtr node = err->node;
    bool follow_up = is_code(err, XML_RELAXNG_ERR_CONTENTVALID) || is_code(err, XML_RELAXNG_ERR_EXTRACONTENT);
    if (vs->pending->len) {
        report_pending(vs, node);
        if (follow_up)
            return true;
    }
    if (!follow_up)
        return false;
    if (vs->errors > 0)
        return true;
    if (node && node->type == XML_TEXT_NODE)
        return true; /* the "got text" error that comes with it says where and what */
    if (!node)
        return false;
    /* the first fault: name what cannot stay there */
    const char *parent = parent_name(node);
    char *m = g_strdup_printf("<%s> is not allowed here, inside <%s>", (const char *)node->name,
                              parent ? parent : "?");
    report_at(vs, node, m);
    g_free(m);
    return true;
}

/* The line where the text of a text node starts (libxml2 gives the line where it ends). */
static int text_start_line(xmlNodePtr t)
{
    const char *c = (const char *)t->content;
    int line = (int)xmlGetLineNo(t);
    for (const char *q = c; *q; q++)
        if (*q == '\n')
            line--;
    for (; *c == ' ' || *c == '\t' || *c == '\n' || *c == '\r'; c++)
        if (*c == '\n')
            line++;
    return line;
}

/* "Expecting an element, got text": the message points at the stray text itself, its
 * first character on its line.  False when `node` has no text that is not blank. */
static bool handled_as_stray_text(valid_state *vs, const xmlError *err, const char *raw)
{
    xmlNodePtr node = err->node;
    if (!node || !is_code(err, XML_RELAXNG_ERR_NOTELEM))
        return false;
    xmlNodePtr t = node->children;
    while (t && (t->type != XML_TEXT_NODE || xmlIsBlankNode(t)))
        t = t->next;
    if (!t)
        return false;
    int line = text_start_line(t);
    char *file, *m = friendly_message(err, raw, node);
    int l0, c0;
    wb_node_position(node, &file, &l0, &c0);
    char *text = load_read_line(file, line);
    int col = text ? 1 + (int)strspn(text, " \t") : 0;
    wb_error(vs->ctx, WB_ERR_INPUT, file, line, col, "%s", m);
    free(text);
    free(file);
    g_free(m);
    vs->errors++;
    return true;
}

/* A content fault of the element, or of the parent of an element out of place: the schema
 * says what it wants there. */
static bool handled_as_content_fault(valid_state *vs, const xmlError *err)
{
    xmlNodePtr node = err->node, owner = NULL;
    if (!node || node->type != XML_ELEMENT_NODE || !vs->rng)
        return false;
    if (is_code(err, XML_RELAXNG_ERR_NOELEM))
        owner = node;
    else if (is_code(err, XML_RELAXNG_ERR_ELEMWRONG) && parent_name(node))
        owner = node->parent;
    if (!owner)
        return false;
    xmlNodePtr at = owner;
    char *fault = schema_content_fault(vs->rng, owner, &at);
    if (!fault)
        return false;
    report_at(vs, at, fault);
    g_free(fault);
    return true;
}

/* An element expected where the language filter took out the only one there. */
static bool handled_as_dropped_language(valid_state *vs, const xmlError *err)
{
    xmlNodePtr node = err->node;
    const char *want = err_str(err->str1);
    if (!node || !vs->dropped || !vs->lang || !is_code(err, XML_RELAXNG_ERR_ELEMNAME) || !*want ||
        !*err_str(err->str2))
        return false;
    const char *gone = g_hash_table_lookup(vs->dropped, node);
    if (!gone || strcmp(gone, want) != 0)
        return false;
    load_node_error(vs->ctx, WB_ERR_INPUT, node, "<%s> has no <%s> in language \"%s\"", (const char *)node->name,
                    want, vs->lang);
    vs->errors++;
    return true;
}

static void relaxng_error(void *data, xmlErrorPtr err)
{
    valid_state *vs = data;
    if (!err || err->level == XML_ERR_NONE || is_echo(vs, err))
        return;
    if (handled_as_invalid_attribute(vs, err) || handled_as_attribute_failure(vs, err))
        return;
    /* the "Type ... doesn't allow value" error that comes with these says it better */
    if (is_code(err, XML_RELAXNG_ERR_DATATYPE) || is_code(err, XML_RELAXNG_ERR_VALUE))
        return;
    if (handled_as_follow_up(vs, err))
        return;
    xmlNodePtr node = err->node;
    if (node && node->type == XML_TEXT_NODE)
        return; /* the element holding the text was reported already */
    char *raw = g_strchomp(g_strdup(err->message ? err->message : "invalid"));
    if (!handled_as_stray_text(vs, err, raw) && !handled_as_content_fault(vs, err) &&
        !handled_as_dropped_language(vs, err)) {
        char *msg = friendly_message(err, raw, node);
        if (node)
            report_at(vs, node, msg);
        else {
            wb_error(vs->ctx, WB_ERR_INPUT, err->file, err->line, err->int2, "%s", msg);
            vs->errors++;
        }
        g_free(msg);
    }
    g_free(raw);
}

/* ------------------------------------------------------------------ the run */

/* The compiled schema, or NULL with errors on the context. */
static xmlRelaxNGPtr compile_schema(wb_ctx *ctx, xmlDocPtr rngdoc, const char *schema)
{
    xml_error_sink sink = {.ctx = ctx, .file = schema};
    xmlRelaxNGParserCtxtPtr pc = xmlRelaxNGNewDocParserCtxt(rngdoc);
    xmlRelaxNGSetParserStructuredErrors(pc, load_report_xml_error, &sink);
    xmlRelaxNGPtr rng = xmlRelaxNGParse(pc);
    xmlRelaxNGFreeParserCtxt(pc);
    if (!rng)
        wb_error(ctx, WB_ERR_INTERNAL, schema, 0, 0, "the course schema does not compile");
    return rng;
}

static int run_validation(valid_state *vs, xmlRelaxNGPtr rng)
{
    xmlRelaxNGValidCtxtPtr vc = xmlRelaxNGNewValidCtxt(rng);
    xmlRelaxNGSetValidStructuredErrors(vc, relaxng_error, vs);
    int rc = xmlRelaxNGValidateDoc(vc, vs->doc);
    xmlRelaxNGFreeValidCtxt(vc);
    xmlNodePtr root = xmlDocGetRootElement(vs->doc);
    report_pending(vs, root);
    if (rc != 0 && vs->errors == 0)
        load_node_error(vs->ctx, WB_ERR_INPUT, root, "the course is not valid");
    return rc == 0 ? 0 : -1;
}

int load_validate_schema(wb_ctx *ctx, xmlDocPtr doc, const char *schema, GHashTable *dropped, const char *lang)
{
    xmlDocPtr rngdoc = xmlReadFile(schema, NULL, XML_PARSE_NONET);
    if (!rngdoc) {
        wb_error(ctx, WB_ERR_INTERNAL, schema, 0, 0,
                 "cannot read the course schema (is the program installed? --styles-dir or "
                 "WB_STYLES_DIR name the folder of the styles)");
        return -1;
    }
    valid_state vs = {
        .ctx = ctx,
        .doc = doc,
        .attrs = schema_read_attributes(rngdoc),
        .pending = g_ptr_array_new_with_free_func(g_free),
        .blamed = g_hash_table_new(g_direct_hash, g_direct_equal),
        .dropped = dropped,
        .lang = lang,
        .rng = rngdoc,
        .names = spelling_read_names(rngdoc),
        .faulted = g_hash_table_new(g_direct_hash, g_direct_equal),
    };
    xmlRelaxNGPtr rng = compile_schema(ctx, rngdoc, schema);
    int rc = rng ? run_validation(&vs, rng) : -1;
    xmlRelaxNGFree(rng);
    xmlFreeDoc(rngdoc);
    g_ptr_array_free(vs.attrs, TRUE);
    g_ptr_array_free(vs.pending, TRUE);
    g_hash_table_destroy(vs.blamed);
    g_hash_table_destroy(vs.faulted);
    g_ptr_array_free(vs.names, TRUE);
    return rc;
}
