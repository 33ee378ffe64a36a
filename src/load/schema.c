/* What the course schema says, read from the RELAX NG document itself: each element's
 * attributes and their values, the parts its content needs in order.  Hands on
 * schema_read_attributes, schema_attribute_fault and schema_content_fault to validate.c. */
#include "load/load-private.h"

#include <string.h>

/* An attribute as the schema declares it on one element. */
typedef struct schema_attr {
    char *element, *attribute;
    bool required;
    bool is_list;      /* a space-separated list of the values */
    GPtrArray *values; /* allowed values when the schema lists them, else NULL */
} schema_attr;

static void schema_attr_free(gpointer p)
{
    schema_attr *a = p;
    g_free(a->element);
    g_free(a->attribute);
    if (a->values)
        g_ptr_array_free(a->values, TRUE);
    g_free(a);
}

static bool rng_is(xmlNodePtr n, const char *name)
{
    return n->type == XML_ELEMENT_NODE && xmlStrEqual(n->name, BAD_CAST name);
}

/* Calls `visit` on the children of every <define name="..."> of that name. */
static void each_definition(xmlDocPtr rng, const xmlChar *name,
                            void (*visit)(xmlNodePtr children, void *data), void *data)
{
    for (xmlNodePtr d = xmlDocGetRootElement(rng)->children; name && d; d = d->next) {
        if (!rng_is(d, "define"))
            continue;
        xmlChar *dn = xmlGetProp(d, BAD_CAST "name");
        bool hit = dn && xmlStrEqual(dn, name);
        xmlFree(dn);
        if (hit)
            visit(d->children, data);
    }
}

/* ------------------------------------------------------------------ attributes */

/* The values an attribute may take, when the schema lists them (also in a list type:
 * then each space-separated word must be one of them). */
static void read_values(xmlNodePtr n, schema_attr *a)
{
    for (; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        if (rng_is(n, "list"))
            a->is_list = true;
        if (rng_is(n, "value")) {
            if (!a->values)
                a->values = g_ptr_array_new_with_free_func(g_free);
            xmlChar *t = xmlNodeGetContent(n);
            g_ptr_array_add(a->values, g_strdup((const char *)t));
            xmlFree(t);
        }
        read_values(n->children, a);
    }
}

typedef struct attr_walk {
    xmlDocPtr rng;
    const char *element;
    bool optional;
    GPtrArray *out;
    int depth;
} attr_walk;

static void read_element_attributes(xmlNodePtr n, void *data);

static void add_attribute(attr_walk *w, xmlNodePtr n)
{
    xmlChar *name = xmlGetProp(n, BAD_CAST "name");
    if (!name)
        return;
    schema_attr *a = g_new0(schema_attr, 1);
    a->element = g_strdup(w->element);
    a->attribute = g_strdup((const char *)name);
    a->required = !w->optional;
    xmlFree(name);
    read_values(n->children, a);
    g_ptr_array_add(w->out, a);
}

/* Attributes under an element pattern, through groups, choices and references to
 * definitions (the schema's attribute groups), up to 8 levels down. */
static void read_element_attributes(xmlNodePtr n, void *data)
{
    attr_walk *w = data;
    for (; n && w->depth < 8; n = n->next) {
        if (n->type != XML_ELEMENT_NODE || rng_is(n, "element"))
            continue;
        attr_walk inner = *w;
        inner.depth++;
        if (rng_is(n, "attribute")) {
            add_attribute(w, n);
        } else if (rng_is(n, "ref")) {
            xmlChar *name = xmlGetProp(n, BAD_CAST "name");
            each_definition(w->rng, name, read_element_attributes, &inner);
            xmlFree(name);
        } else {
            inner.optional = w->optional || rng_is(n, "optional") || rng_is(n, "zeroOrMore") ||
                             rng_is(n, "choice");
            read_element_attributes(n->children, &inner);
        }
    }
}

static void read_all_attributes(xmlDocPtr rng, xmlNodePtr n, GPtrArray *out)
{
    for (; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        if (rng_is(n, "element")) {
            xmlChar *name = xmlGetProp(n, BAD_CAST "name");
            if (name) {
                attr_walk w = {rng, (const char *)name, false, out, 0};
                read_element_attributes(n->children, &w);
            }
            xmlFree(name);
        }
        read_all_attributes(rng, n->children, out);
    }
}

GPtrArray *schema_read_attributes(xmlDocPtr rng)
{
    GPtrArray *attrs = g_ptr_array_new_with_free_func(schema_attr_free);
    read_all_attributes(rng, xmlDocGetRootElement(rng), attrs);
    return attrs;
}

/* True when the value (each word of it, for a list) is one the schema lists. */
static bool value_allowed(const schema_attr *a, const char *v)
{
    gchar **words = a->is_list ? g_strsplit_set(v, " \t\n", -1) : NULL;
    gchar *one[2] = {(gchar *)v, NULL};
    gchar **check = words ? words : one;
    bool ok = true;
    for (int w = 0; check[w]; w++) {
        if (!*check[w] && words)
            continue;
        bool found = false;
        for (guint k = 0; k < a->values->len; k++)
            found = found || !strcmp(g_ptr_array_index(a->values, k), check[w]);
        ok = ok && found;
    }
    g_strfreev(words);
    return ok;
}

static char *value_fault(const schema_attr *a, const char *element, const char *v)
{
    GString *allowed = g_string_new(NULL);
    for (guint k = 0; k < a->values->len; k++)
        g_string_append_printf(allowed, "%s\"%s\"", k ? ", " : "", (char *)g_ptr_array_index(a->values, k));
    char *msg = g_strdup_printf("<%s %s=\"%s\">: %s must be one of %s", element, a->attribute, v,
                                a->is_list ? "each value" : "the value", allowed->str);
    g_string_free(allowed, TRUE);
    return msg;
}

/* An attribute of `el` that the schema does not declare for it at all. */
static char *undeclared_attribute_fault(GPtrArray *attrs, xmlNodePtr el)
{
    const char *name = (const char *)el->name;
    for (xmlAttrPtr p = el->properties; p; p = p->next) {
        if (p->ns)
            continue;
        bool known = false;
        for (guint i = 0; i < attrs->len && !known; i++) {
            schema_attr *a = g_ptr_array_index(attrs, i);
            known = !strcmp(a->element, name) && !strcmp(a->attribute, (const char *)p->name);
        }
        if (!known)
            return g_strdup_printf("<%s> cannot have the attribute %s", name, (const char *)p->name);
    }
    return NULL;
}

char *schema_attribute_fault(GPtrArray *attrs, xmlNodePtr el)
{
    const char *name = (const char *)el->name;
    for (guint i = 0; i < attrs->len; i++) {
        schema_attr *a = g_ptr_array_index(attrs, i);
        if (strcmp(a->element, name) != 0)
            continue;
        xmlChar *v = xmlGetNoNsProp(el, BAD_CAST a->attribute);
        char *msg = NULL;
        if (!v && a->required)
            msg = g_strdup_printf("<%s> lacks the attribute %s, which it must have", name, a->attribute);
        else if (v && a->values && !value_allowed(a, (const char *)v))
            msg = value_fault(a, name, (const char *)v);
        xmlFree(v);
        if (msg)
            return msg;
    }
    return undeclared_attribute_fault(attrs, el);
}

/* ------------------------------------------------------------------ content */

/* The element names an RNG pattern can start with (into out); true if it may be empty. */
static bool first_names(xmlDocPtr rng, xmlNodePtr pat, GPtrArray *out, int depth);

/* A sequence of patterns: the names it can start with; true if all of it may be empty. */
static bool first_names_of_sequence(xmlDocPtr rng, xmlNodePtr first, GPtrArray *out, int depth)
{
    for (xmlNodePtr c = first; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        if (!first_names(rng, c, out, depth + 1))
            return false;
    }
    return true;
}

typedef struct first_walk {
    xmlDocPtr rng;
    GPtrArray *out;
    int depth;
    bool empty;
} first_walk;

static void first_names_of_definition(xmlNodePtr children, void *data)
{
    first_walk *w = data;
    w->empty = first_names_of_sequence(w->rng, children, w->out, w->depth);
}

static bool first_names(xmlDocPtr rng, xmlNodePtr pat, GPtrArray *out, int depth)
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
        first_walk w = {rng, out, depth, true};
        each_definition(rng, name, first_names_of_definition, &w);
        xmlFree(name);
        return w.empty;
    }
    if (rng_is(pat, "choice")) {
        bool empty = false;
        for (xmlNodePtr c = pat->children; c; c = c->next)
            if (c->type == XML_ELEMENT_NODE && first_names(rng, c, out, depth + 1))
                empty = true;
        return empty;
    }
    if (rng_is(pat, "optional") || rng_is(pat, "zeroOrMore")) {
        first_names_of_sequence(rng, pat->children, out, depth);
        return true;
    }
    if (rng_is(pat, "oneOrMore") || rng_is(pat, "group") || rng_is(pat, "interleave") || rng_is(pat, "mixed"))
        return first_names_of_sequence(rng, pat->children, out, depth);
    return true; /* attribute, text, empty, data, value: no element */
}

static bool name_in(GPtrArray *names, const char *n)
{
    for (guint i = 0; i < names->len; i++)
        if (!strcmp(g_ptr_array_index(names, i), n))
            return true;
    return false;
}

/* "a <title>", "one of <para> or <list>" */
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

/* Every <element name="..."> of that name in the schema. */
static GPtrArray *element_definitions(xmlDocPtr rng, const xmlChar *name)
{
    GPtrArray *defs = g_ptr_array_new();
    GPtrArray *stack = g_ptr_array_new();
    g_ptr_array_add(stack, xmlDocGetRootElement(rng));
    while (stack->len) {
        xmlNodePtr n = g_ptr_array_remove_index(stack, stack->len - 1);
        for (xmlNodePtr c = n->children; c; c = c->next) {
            if (c->type != XML_ELEMENT_NODE)
                continue;
            if (rng_is(c, "element")) {
                xmlChar *cn = xmlGetProp(c, BAD_CAST "name");
                if (cn && xmlStrEqual(cn, name))
                    g_ptr_array_add(defs, c);
                xmlFree(cn);
            }
            g_ptr_array_add(stack, c);
        }
    }
    g_ptr_array_free(stack, TRUE);
    return defs;
}

/* True when a part of the content after `item` can start with an element of that name. */
static bool later_part_takes(xmlDocPtr rng, xmlNodePtr item, const xmlChar *name)
{
    bool later = false;
    for (xmlNodePtr rest = item->next; rest && !later; rest = rest->next) {
        if (rest->type != XML_ELEMENT_NODE)
            continue;
        GPtrArray *rn = g_ptr_array_new_with_free_func(g_free);
        first_names(rng, rest, rn, 0);
        later = name_in(rn, (const char *)name);
        g_ptr_array_free(rn, TRUE);
    }
    return later;
}

/* A required part `item` (starting with one of `names`) that el's children do not have at
 * kids[i]: is the child there out of place, or is the part missing before it, or at the end? */
static char *missing_part_fault(xmlDocPtr rng, xmlNodePtr item, GPtrArray *names, xmlNodePtr el,
                                GPtrArray *kids, guint i, xmlNodePtr *at)
{
    const char *el_name = (const char *)el->name;
    xmlNodePtr k = i < kids->len ? g_ptr_array_index(kids, i) : NULL;
    if (k && !later_part_takes(rng, item, k->name)) {
        *at = k;
        return g_strdup_printf("<%s> is not allowed here, inside <%s>", (const char *)k->name, el_name);
    }
    char *want = names_text(names);
    char *fault;
    if (k) {
        fault = g_strdup_printf("<%s> needs %s before <%s>", el_name, want, (const char *)k->name);
        *at = k;
    } else if (i > 0) {
        xmlNodePtr prev = g_ptr_array_index(kids, i - 1);
        fault = g_strdup_printf("<%s> needs %s after <%s>", el_name, want, (const char *)prev->name);
        *at = el;
    } else {
        fault = g_strdup_printf("<%s> needs %s", el_name, want);
        *at = el;
    }
    g_free(want);
    return fault;
}

/* The first fault of el's children (`kids`, its child elements) against one definition:
 * its parts are matched in order, each by the names it can start with. */
static char *definition_fault(xmlDocPtr rng, xmlNodePtr def, xmlNodePtr el, GPtrArray *kids, xmlNodePtr *at)
{
    char *fault = NULL;
    guint i = 0;
    for (xmlNodePtr item = def->children; item && !fault; item = item->next) {
        if (item->type != XML_ELEMENT_NODE)
            continue;
        GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
        bool may_be_empty = first_names(rng, item, names, 0);
        bool repeats = rng_is(item, "oneOrMore") || rng_is(item, "zeroOrMore");
        int matched = 0;
        while (names->len && i < kids->len &&
               name_in(names, (const char *)((xmlNodePtr)g_ptr_array_index(kids, i))->name)) {
            i++;
            matched++;
            if (!repeats)
                break;
        }
        if (names->len && !matched && !may_be_empty)
            fault = missing_part_fault(rng, item, names, el, kids, i, at);
        g_ptr_array_free(names, TRUE);
    }
    if (!fault && i < kids->len) {
        xmlNodePtr k = g_ptr_array_index(kids, i);
        fault = g_strdup_printf("<%s> is not allowed here, inside <%s>", (const char *)k->name,
                                (const char *)el->name);
        *at = k;
    }
    return fault;
}

char *schema_content_fault(xmlDocPtr rng, xmlNodePtr el, xmlNodePtr *at)
{
    GPtrArray *kids = g_ptr_array_new();
    for (xmlNodePtr c = el->children; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE)
            g_ptr_array_add(kids, c);
    GPtrArray *defs = element_definitions(rng, el->name);
    /* the fault of the last definition tried; none when one of them fits */
    char *fault = NULL;
    for (guint d = 0; d < defs->len && (d == 0 || fault); d++) {
        g_free(fault);
        fault = definition_fault(rng, g_ptr_array_index(defs, d), el, kids, at);
    }
    g_ptr_array_free(defs, TRUE);
    g_ptr_array_free(kids, TRUE);
    return fault;
}
