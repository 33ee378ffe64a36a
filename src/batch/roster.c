/* Rosters: the participants of a session, from a CSV file with a header row (RFC 4180:
 * quoted fields, "" for a quote, commas and line breaks inside quotes) or from an XML file
 * (<roster> with the session's attributes and a <participant> per person, who may override
 * them).  Columns and attributes: name (required), organisation, session-date, place,
 * trainer.  Errors at file:line:col.  Hands on batch_roster_read. */
#include "batch/batch-private.h"

#include <string.h>

#include "workbook/load.h"

enum { F_NAME, F_ORG, F_DATE, F_PLACE, F_TRAINER, F_COUNT };
static const char *const field_names[F_COUNT] = {"name", "organisation", "session-date", "place", "trainer"};

/* The field of a column or attribute name (a few other spellings allowed), -1 if none. */
static int field_of(const char *name)
{
    static const char *const also[][2] = {{"organization", "organisation"}, {"date", "session-date"},
                                          {"session-place", "place"}};
    for (size_t i = 0; i < G_N_ELEMENTS(also); i++)
        if (!g_ascii_strcasecmp(name, also[i][0]))
            name = also[i][1];
    for (int f = 0; f < F_COUNT; f++)
        if (!g_ascii_strcasecmp(name, field_names[f]))
            return f;
    return -1;
}

static char *session_of(const char *path)
{
    char *base = g_path_get_basename(path);
    char *dot = strrchr(base, '.');
    if (dot && dot != base)
        *dot = 0;
    return base;
}

static batch_person *new_person(char *values[F_COUNT], const char *path, int line, int number)
{
    batch_person *p = g_new0(batch_person, 1);
    char **slots[F_COUNT] = {&p->name, &p->organisation, &p->session_date, &p->place, &p->trainer};
    for (int f = 0; f < F_COUNT; f++) {
        char *v = values[f] ? g_strstrip(g_strdup(values[f])) : NULL;
        if (v && !*v) {
            g_free(v);
            v = NULL;
        }
        *slots[f] = v;
    }
    p->where = g_strdup_printf("%s:%d", path, line);
    p->number = number;
    p->session = session_of(path);
    return p;
}

/* ------------------------------------------------------------------ CSV */

typedef struct csv_field {
    char *text;
    int line, col;
} csv_field;

/* The next record of CSV text from *pos: its fields (a GArray of csv_field, each text
 * owned), NULL at the end.  *line and *col follow the position. */
static GArray *csv_record(const char **pos, int *line, int *col)
{
    const char *p = *pos;
    if (!*p)
        return NULL;
    GArray *rec = g_array_new(FALSE, TRUE, sizeof(csv_field));
    for (;;) {
        csv_field f = {NULL, *line, *col};
        GString *t = g_string_new(NULL);
        bool quoted = *p == '"';
        if (quoted) {
            p++, (*col)++;
            while (*p && !(*p == '"' && p[1] != '"')) {
                if (*p == '"')
                    p++, (*col)++;
                if (*p == '\n')
                    (*line)++, *col = 0;
                g_string_append_c(t, *p++);
                (*col)++;
            }
            if (*p == '"')
                p++, (*col)++;
        }
        while (*p && *p != ',' && *p != '\n' && *p != '\r') {
            g_string_append_c(t, *p++);
            (*col)++;
        }
        f.text = g_string_free(t, FALSE);
        g_array_append_val(rec, f);
        if (*p == ',') {
            p++, (*col)++;
            continue;
        }
        if (*p == '\r')
            p++;
        if (*p == '\n')
            p++;
        (*line)++, *col = 1;
        break;
    }
    *pos = p;
    return rec;
}

static void csv_record_free(GArray *rec)
{
    for (guint i = 0; i < rec->len; i++)
        g_free(g_array_index(rec, csv_field, i).text);
    g_array_free(rec, TRUE);
}

static bool blank_record(GArray *rec)
{
    for (guint i = 0; i < rec->len; i++)
        if (*g_strstrip(g_array_index(rec, csv_field, i).text))
            return false;
    return true;
}

/* The header's columns as fields (-1 for none); false with an error for an unknown one. */
static bool csv_header(wb_ctx *ctx, const char *path, GArray *head, int *columns)
{
    bool has_name = false, any_known = false;
    for (guint i = 0; i < head->len; i++) {
        csv_field *f = &g_array_index(head, csv_field, i);
        columns[i] = field_of(g_strstrip(f->text));
        any_known = any_known || columns[i] >= 0;
    }
    if (!any_known) {
        /* not a roster at all (the wrong file): its first line is not quoted */
        wb_error(ctx, WB_ERR_INPUT, path, 1, 1,
                 "not a roster: its first line names none of the columns name, organisation, session-date, "
                 "place, trainer");
        return false;
    }
    for (guint i = 0; i < head->len; i++) {
        csv_field *f = &g_array_index(head, csv_field, i);
        if (columns[i] < 0) {
            wb_error(ctx, WB_ERR_INPUT, path, f->line, f->col,
                     "unknown column \"%s\": the columns are name, organisation, session-date, place, trainer",
                     f->text);
            return false;
        }
        has_name = has_name || columns[i] == F_NAME;
    }
    if (!has_name)
        wb_error(ctx, WB_ERR_INPUT, path, 1, 1, "the roster needs a column \"name\"");
    return has_name;
}

static GPtrArray *read_csv(wb_ctx *ctx, const char *path, const char *text, GPtrArray *people)
{
    const char *pos = text;
    if (g_str_has_prefix(pos, "\xEF\xBB\xBF"))
        pos += 3; /* a byte order mark */
    int line = 1, col = 1;
    GArray *head = csv_record(&pos, &line, &col);
    if (!head) {
        wb_error(ctx, WB_ERR_INPUT, path, 1, 1, "the roster is empty (it needs a header row: name,organisation,...)");
        return NULL;
    }
    int *columns = g_new(int, head->len);
    bool ok = csv_header(ctx, path, head, columns);
    GPtrArray *added = g_ptr_array_new();
    GArray *rec;
    while (ok && (rec = csv_record(&pos, &line, &col)) != NULL) {
        csv_field *first = &g_array_index(rec, csv_field, 0);
        if (blank_record(rec)) {
            csv_record_free(rec);
            continue;
        }
        if (rec->len != head->len) {
            wb_error(ctx, WB_ERR_INPUT, path, first->line, 1, "%u fields where the header has %u", rec->len,
                     head->len);
            ok = false;
        }
        char *values[F_COUNT] = {0};
        for (guint i = 0; ok && i < rec->len; i++)
            values[columns[i]] = g_array_index(rec, csv_field, i).text;
        if (ok && (!values[F_NAME] || !*values[F_NAME])) {
            wb_error(ctx, WB_ERR_INPUT, path, first->line, 1, "a participant without a name");
            ok = false;
        }
        if (ok) {
            batch_person *p = new_person(values, path, first->line, (int)added->len + 1);
            g_ptr_array_add(people, p);
            g_ptr_array_add(added, p);
        }
        csv_record_free(rec);
    }
    g_free(columns);
    csv_record_free(head);
    if (ok && added->len == 0) {
        wb_error(ctx, WB_ERR_INPUT, path, 2, 1, "the roster has no participant");
        ok = false;
    }
    if (!ok) {
        g_ptr_array_free(added, TRUE);
        return NULL;
    }
    return added;
}

/* ------------------------------------------------------------------ XML */

/* The fields of an element's attributes over `up`; false with an error for an unknown one. */
static bool xml_fields(wb_ctx *ctx, xmlNodePtr el, char *up[F_COUNT], char *out[F_COUNT], bool root)
{
    for (int f = 0; f < F_COUNT; f++)
        out[f] = up ? g_strdup(up[f]) : NULL;
    for (xmlAttrPtr a = el->properties; a; a = a->next) {
        int f = a->ns ? -1 : field_of((const char *)a->name);
        if (f < 0 || (root && f == F_NAME)) {
            batch_node_error(ctx, el, "<%s> cannot have the attribute %s (%s)", el->name, a->name,
                             root ? "organisation, session-date, place, trainer"
                                  : "name, organisation, session-date, place, trainer");
            return false;
        }
        xmlChar *v = xmlNodeListGetString(el->doc, a->children, 1);
        g_free(out[f]);
        out[f] = g_strdup((const char *)v);
        xmlFree(v);
    }
    return true;
}

static void free_fields(char *v[F_COUNT])
{
    for (int f = 0; f < F_COUNT; f++)
        g_free(v[f]);
}

static GPtrArray *read_xml(wb_ctx *ctx, const char *path, GPtrArray *people)
{
    xmlDocPtr doc = wb_load_xml(ctx, path);
    if (!doc)
        return NULL;
    xmlNodePtr root = xmlDocGetRootElement(doc);
    char *session[F_COUNT] = {0};
    GPtrArray *added = g_ptr_array_new();
    bool ok = true;
    if (!xmlStrEqual(root->name, BAD_CAST "roster")) {
        batch_node_error(ctx, root, "<%s> cannot be the root of a roster: it is <roster>", root->name);
        ok = false;
    }
    ok = ok && xml_fields(ctx, root, NULL, session, true);
    for (xmlNodePtr c = root->children; ok && c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        char *v[F_COUNT] = {0};
        if (!xmlStrEqual(c->name, BAD_CAST "participant")) {
            batch_node_error(ctx, c, "<%s> is not allowed in <roster>: only <participant>", c->name);
            ok = false;
        } else if ((ok = xml_fields(ctx, c, session, v, false)) && (!v[F_NAME] || !*g_strstrip(v[F_NAME]))) {
            batch_node_error(ctx, c, "<participant> needs a name");
            ok = false;
        } else if (ok) {
            batch_person *p = new_person(v, path, xmlGetLineNo(c), (int)added->len + 1);
            g_ptr_array_add(people, p);
            g_ptr_array_add(added, p);
        }
        free_fields(v);
    }
    if (ok && added->len == 0) {
        batch_node_error(ctx, root, "the roster has no participant");
        ok = false;
    }
    free_fields(session);
    xmlFreeDoc(doc);
    if (!ok) {
        g_ptr_array_free(added, TRUE);
        return NULL;
    }
    return added;
}

GPtrArray *batch_roster_read(wb_ctx *ctx, const char *path, GPtrArray *people)
{
    char *text = NULL;
    gsize len = 0;
    GError *err = NULL;
    /* a roster a catalogue names is a regular file within the input limit (a FIFO or a
     * device would block the batch or never end) */
    if (!wb_check_input(ctx, path, true))
        return NULL;
    if (!g_file_get_contents(path, &text, &len, &err)) {
        wb_error(ctx, WB_ERR_INPUT, path, 0, 0, "cannot read the roster: %s", err->message);
        g_error_free(err);
        return NULL;
    }
    GPtrArray *added = NULL;
    const char *start = text;
    while (*start == ' ' || *start == '\n' || *start == '\r' || *start == '\t')
        start++;
    if (!g_utf8_validate(text, (gssize)len, NULL))
        wb_error(ctx, WB_ERR_INPUT, path, 0, 0, "the roster is not UTF-8 text");
    else if (*start == '<')
        added = read_xml(ctx, path, people);
    else
        added = read_csv(ctx, path, text, people);
    g_free(text);
    return added;
}
