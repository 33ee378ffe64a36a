/* The catalogue file: parsed safely (wb_load_xml), validated against styles/catalogue.rng
 * with libxml2's RELAX NG, its faults reported at file:line:col with a plainer word where
 * one helps, then walked: each group passes its settings and params down, and each <course>
 * entry is expanded into jobs by entries.c.  Hands on batch_catalogue_read. */
#include "batch/batch-private.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/relaxng.h>

#include "workbook/load.h"

static void person_free(gpointer p)
{
    batch_person *b = p;
    g_free(b->name);
    g_free(b->organisation);
    g_free(b->session_date);
    g_free(b->place);
    g_free(b->trainer);
    g_free(b->where);
    g_free(b->session);
    g_free(b);
}

static void course_info_free(gpointer p)
{
    batch_course_info *c = p;
    g_strfreev(c->languages);
    g_free(c->error);
    g_free(c);
}

void batch_catalogue_free(batch_catalogue *cat)
{
    if (!cat)
        return;
    g_ptr_array_free(cat->jobs, TRUE);
    g_hash_table_destroy(cat->rosters);
    g_hash_table_destroy(cat->courses);
    g_ptr_array_free(cat->people, TRUE);
    g_free(cat);
}

/* ------------------------------------------------------------------ the schema */

/* The words of a few of the schema's faults, where libxml2's say less than they could. */
static const char *const list_attrs[][2] = {
    {"editions", " participant trainer exercises answers certificate sign-in feedback "},
    {"papers", " A4 A5 letter "},
};
static const char *const known_attrs[] = {"languages", "editions", "papers", "brands", "audiences", "output", NULL};
static const char *const reserved_params[] = {"edition", "lang", "paper", "brand", "participant",
                                              "organisation", "session-date", "session-place", "trainer", NULL};

/* A plain account of what is wrong with an element's attributes, or NULL. */
static char *attribute_fault(xmlNodePtr el)
{
    const char *name = (const char *)el->name;
    bool is_course = !strcmp(name, "course"), is_param = !strcmp(name, "param");
    if (is_param) {
        xmlChar *pn = xmlGetNoNsProp(el, BAD_CAST "name");
        char *fault = NULL;
        if (pn && g_strv_contains(reserved_params, (const char *)pn))
            fault = g_strdup_printf("<param name=\"%s\">: the engine sets %s itself (from the settings or "
                                    "the roster); a param may not", pn, pn);
        xmlFree(pn);
        return fault;
    }
    if (is_course && !xmlHasProp(el, BAD_CAST "href"))
        return g_strdup("<course> needs an href: the course file, or a pattern such as \"*/course.xml\"");
    for (xmlAttrPtr a = el->properties; a; a = a->next) {
        const char *an = (const char *)a->name;
        bool known = g_strv_contains(known_attrs, an) || (is_course && (!strcmp(an, "href") || !strcmp(an, "roster")));
        if (!known || a->ns)
            return g_strdup_printf("<%s> cannot have the attribute %s", name, an);
        for (size_t i = 0; i < G_N_ELEMENTS(list_attrs); i++) {
            if (strcmp(an, list_attrs[i][0]) != 0)
                continue;
            xmlChar *v = xmlNodeListGetString(el->doc, a->children, 1);
            gchar **words = g_strsplit_set(v ? (const char *)v : "", " \t\r\n", -1);
            char *fault = NULL;
            for (int w = 0; words[w] && !fault; w++) {
                char *padded = g_strdup_printf(" %s ", words[w]);
                if (*words[w] && !strstr(list_attrs[i][1], padded))
                    fault = g_strdup_printf("<%s %s=\"%s\">: \"%s\" is not one of%s", name, an, v, words[w],
                                            list_attrs[i][1]);
                g_free(padded);
            }
            g_strfreev(words);
            xmlFree(v);
            if (fault) {
                fault[strlen(fault) - 1] = 0; /* the list's trailing space */
                return fault;
            }
        }
    }
    return NULL;
}

typedef struct schema_sink {
    wb_ctx *ctx;
    GHashTable *seen; /* nodes already reported */
    int errors;
} schema_sink;

static void on_schema_error(void *data, xmlErrorPtr err)
{
    schema_sink *s = data;
    xmlNodePtr node = err->node;
    if (node && g_hash_table_contains(s->seen, node))
        return; /* libxml2 often says a fault twice, from the element and from its parent */
    s->errors++;
    char *msg = g_strchomp(g_strdup(err->message ? err->message : "invalid"));
    if (!node) {
        wb_error(s->ctx, WB_ERR_INPUT, err->file, err->line, 0, "%s", msg);
        g_free(msg);
        return;
    }
    g_hash_table_add(s->seen, node);
    char *plain = node->type == XML_ELEMENT_NODE ? attribute_fault(node) : NULL;
    if (!plain && g_str_has_prefix(msg, "Did not expect element ") && node->parent &&
        node->parent->type == XML_ELEMENT_NODE)
        plain = g_strdup_printf("<%s> is not allowed here, inside <%s>%s", node->name, node->parent->name,
                                !strcmp((const char *)node->name, "param")
                                    ? " (params come first, before the groups and courses)" : "");
    batch_node_error(s->ctx, node, "%s", plain ? plain : msg);
    g_free(plain);
    g_free(msg);
}

/* Elements whose attributes are wrong in a way libxml2 did not stop at. */
static void check_attributes(schema_sink *s, xmlNodePtr n)
{
    for (; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        char *fault = g_hash_table_contains(s->seen, n) ? NULL : attribute_fault(n);
        if (fault) {
            g_hash_table_add(s->seen, n);
            s->errors++;
            batch_node_error(s->ctx, n, "%s", fault);
            g_free(fault);
        }
        check_attributes(s, n->children);
    }
}

static void quiet_error(void *data, xmlErrorPtr err) {}

/* Validates the catalogue against the schema.  Returns 0, or -1 with errors on ctx. */
static int validate(wb_ctx *ctx, xmlDocPtr doc, const char *schema)
{
    xmlRelaxNGParserCtxtPtr pc = xmlRelaxNGNewParserCtxt(schema);
    xmlRelaxNGSetParserStructuredErrors(pc, quiet_error, NULL);
    xmlRelaxNGPtr rng = pc ? xmlRelaxNGParse(pc) : NULL;
    xmlRelaxNGFreeParserCtxt(pc);
    if (!rng) {
        wb_error(ctx, WB_ERR_IO, schema, 0, 0, "cannot read the catalogue schema (see --styles-dir)");
        return -1;
    }
    /* the plainer words first; the schema then says what else is wrong, once per element */
    schema_sink sink = {ctx, g_hash_table_new(g_direct_hash, g_direct_equal), 0};
    check_attributes(&sink, xmlDocGetRootElement(doc));
    xmlRelaxNGValidCtxtPtr vc = xmlRelaxNGNewValidCtxt(rng);
    xmlRelaxNGSetValidStructuredErrors(vc, on_schema_error, &sink);
    int rc = xmlRelaxNGValidateDoc(vc, doc);
    xmlRelaxNGFreeValidCtxt(vc);
    xmlRelaxNGFree(rng);
    if (rc != 0 && sink.errors == 0)
        wb_error(ctx, WB_ERR_INPUT, (const char *)doc->URL, 0, 0, "the catalogue is not valid");
    g_hash_table_destroy(sink.seen);
    return rc == 0 && sink.errors == 0 ? 0 : -1;
}

/* ------------------------------------------------------------------ the walk */

typedef struct walk {
    wb_ctx *ctx;
    batch_catalogue *cat;
    const char *base_dir, *out_dir, *engine_id;
    GPtrArray *strings; /* attribute values the settings borrow */
} walk;

/* The settings of `el`: its own attributes over the inherited ones, its params after. */
static void settings_of(walk *w, xmlNodePtr el, const batch_settings *up, batch_settings *s)
{
    *s = *up;
    const char **fields[] = {&s->languages, &s->editions, &s->papers, &s->brands, &s->audiences, &s->output};
    for (size_t i = 0; i < G_N_ELEMENTS(fields); i++) {
        xmlChar *v = xmlGetNoNsProp(el, BAD_CAST known_attrs[i]);
        if (v) {
            char *kept = g_strdup((const char *)v);
            g_ptr_array_add(w->strings, kept);
            *fields[i] = kept;
        }
        xmlFree(v);
    }
    s->params = g_ptr_array_new_with_free_func(g_free);
    for (guint i = 0; up->params && i < up->params->len; i++)
        g_ptr_array_add(s->params, g_strdup(g_ptr_array_index(up->params, i)));
    for (xmlNodePtr c = el->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE || !xmlStrEqual(c->name, BAD_CAST "param"))
            continue;
        xmlChar *name = xmlGetNoNsProp(c, BAD_CAST "name"), *value = xmlGetNoNsProp(c, BAD_CAST "value");
        guint i = 0;
        while (i < s->params->len && strcmp(g_ptr_array_index(s->params, i), (const char *)name) != 0)
            i += 2;
        if (i < s->params->len) {
            g_free(s->params->pdata[i + 1]);
            s->params->pdata[i + 1] = g_strdup((const char *)value);
        } else {
            g_ptr_array_add(s->params, g_strdup((const char *)name));
            g_ptr_array_add(s->params, g_strdup((const char *)value));
        }
        xmlFree(name);
        xmlFree(value);
    }
}

static int walk_children(walk *w, xmlNodePtr el, const batch_settings *up)
{
    batch_settings s;
    settings_of(w, el, up, &s);
    int rc = 0;
    for (xmlNodePtr c = el->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        if (xmlStrEqual(c->name, BAD_CAST "group")) {
            if (walk_children(w, c, &s) != 0)
                rc = -1;
        } else if (xmlStrEqual(c->name, BAD_CAST "course")) {
            batch_settings entry;
            settings_of(w, c, &s, &entry);
            if (batch_expand_entry(w->ctx, w->cat, c, &entry, w->base_dir, w->out_dir, w->engine_id) != 0)
                rc = -1;
            g_ptr_array_free(entry.params, TRUE);
        }
    }
    g_ptr_array_free(s.params, TRUE);
    return rc;
}

/* Two entries writing the same file are an error at the second. */
static int check_unique_outputs(wb_ctx *ctx, GPtrArray *jobs)
{
    GHashTable *seen = g_hash_table_new(g_str_hash, g_str_equal);
    int rc = 0;
    for (guint i = 0; i < jobs->len; i++) {
        batch_job *j = g_ptr_array_index(jobs, i);
        batch_job *other = g_hash_table_lookup(seen, j->output);
        if (other) {
            gchar **pos = g_strsplit(j->where, ":", 3);
            wb_error(ctx, WB_ERR_INPUT, pos[0], pos[1] ? atoi(pos[1]) : 0, pos[1] && pos[2] ? atoi(pos[2]) : 0,
                     "%s is also written by the entry at %s: give the entries different output patterns",
                     j->name, other->where);
            g_strfreev(pos);
            rc = -1;
        } else {
            g_hash_table_insert(seen, j->output, j);
        }
    }
    g_hash_table_destroy(seen);
    return rc;
}

batch_catalogue *batch_catalogue_read(wb_ctx *ctx, const char *path, const char *styles_dir,
                                      const char *out_dir, const char *engine_id)
{
    xmlDocPtr doc = wb_load_xml(ctx, path);
    if (!doc)
        return NULL;
    char *schema = g_build_filename(styles_dir, "catalogue.rng", NULL);
    int rc = validate(ctx, doc, schema);
    g_free(schema);
    if (rc != 0) {
        xmlFreeDoc(doc);
        return NULL;
    }
    batch_catalogue *cat = g_new0(batch_catalogue, 1);
    cat->jobs = g_ptr_array_new_with_free_func((GDestroyNotify)batch_job_free);
    cat->people = g_ptr_array_new_with_free_func(person_free);
    cat->rosters = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, (GDestroyNotify)g_ptr_array_unref);
    cat->courses = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, course_info_free);
    char *base = g_path_get_dirname(path);
    walk w = {ctx, cat, base, out_dir ? out_dir : ".", engine_id, g_ptr_array_new_with_free_func(g_free)};
    batch_settings defaults = {.languages = "all", .editions = "participant trainer exercises answers",
                               .papers = "A4", .output = "{course}/{course}-{lang}-{edition}.pdf"};
    rc = walk_children(&w, xmlDocGetRootElement(doc), &defaults);
    if (check_unique_outputs(ctx, cat->jobs) != 0)
        rc = -1;
    for (guint i = 0; i < cat->jobs->len; i++)
        ((batch_job *)g_ptr_array_index(cat->jobs, i))->order = (int)i;
    g_ptr_array_free(w.strings, TRUE);
    g_free(base);
    xmlFreeDoc(doc);
    if (rc != 0) {
        batch_catalogue_free(cat);
        return NULL;
    }
    return cat;
}
