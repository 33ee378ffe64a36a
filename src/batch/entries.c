/* One catalogue entry (<course>) into jobs: its course files (a path or a glob pattern), the
 * languages each declares, the product of its settings and, with a roster, of its
 * participants; each job named by the output pattern and given a key, the SHA-256 of what
 * decides its output besides files.  Hands on batch_expand_entry and batch_slug. */
#include "batch/batch-private.h"

#include <glob.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "workbook/load.h"

char *batch_slug(const char *name)
{
    GString *s = g_string_new(NULL);
    char *low = g_utf8_strdown(name ? name : "", -1);
    bool dash = false;
    for (const char *p = low; *p; p = g_utf8_next_char(p)) {
        gunichar c = g_utf8_get_char(p);
        if (g_unichar_isalnum(c)) {
            if (dash && s->len)
                g_string_append_c(s, '-');
            g_string_append_unichar(s, c);
            dash = false;
        } else {
            dash = true;
        }
    }
    g_free(low);
    return g_string_free(s, FALSE);
}

/* ------------------------------------------------------------------ course files */

/* Bytes of a course file and of every file it includes. */
static double course_size(const char *path)
{
    GPtrArray *files = g_ptr_array_new_with_free_func(g_free);
    batch_course_files(path, files, NULL);
    double size = 0;
    for (guint i = 0; i < files->len; i++) {
        struct stat st;
        if (stat(g_ptr_array_index(files, i), &st) == 0)
            size += (double)st.st_size;
    }
    g_ptr_array_free(files, TRUE);
    return size;
}

/* What a course file declares, read once per catalogue. */
static batch_course_info *course_info(batch_catalogue *cat, const char *path)
{
    batch_course_info *info = g_hash_table_lookup(cat->courses, path);
    if (info)
        return info;
    info = g_new0(batch_course_info, 1);
    g_hash_table_insert(cat->courses, g_strdup(path), info);
    wb_ctx *scratch = wb_ctx_new();
    /* a course a catalogue names is a regular file (a FIFO or a device would block the batch) */
    xmlDocPtr doc = wb_check_input(scratch, path, true) ? wb_load_xml(scratch, path) : NULL;
    if (!doc) {
        size_t n = 0;
        const wb_diagnostic *d = wb_ctx_diagnostics(scratch, &n);
        const char *where = n && d[0].file ? d[0].file : path;
        info->error = !n ? g_strdup_printf("%s: error: cannot read the course", path)
                      : d[0].line > 0 ? g_strdup_printf("%s:%d:%d: error: %s", where, d[0].line, d[0].col, d[0].message)
                                      : g_strdup_printf("%s: error: %s", where, d[0].message);
        wb_ctx_free(scratch);
        return info;
    }
    wb_ctx_free(scratch);
    xmlNodePtr root = xmlDocGetRootElement(doc);
    xmlChar *langs = xmlGetNoNsProp(root, BAD_CAST "languages");
    xmlChar *one = langs ? NULL : xmlGetNsProp(root, BAD_CAST "lang", XML_XML_NAMESPACE);
    const char *list = langs ? (const char *)langs : one ? (const char *)one : "";
    info->languages = g_strsplit_set(list, " \t\r\n", -1);
    /* empty words out */
    int k = 0;
    for (int i = 0; info->languages[i]; i++) {
        if (*info->languages[i])
            info->languages[k++] = info->languages[i];
        else
            g_free(info->languages[i]);
    }
    info->languages[k] = NULL;
    xmlFree(langs);
    xmlFree(one);
    xmlFreeDoc(doc);
    info->size = course_size(path) / (k > 0 ? k : 1);
    return info;
}

/* The course files of an href: a path, or every match of a glob pattern, sorted. */
static GPtrArray *course_files(const char *base_dir, const char *href)
{
    GPtrArray *files = g_ptr_array_new_with_free_func(g_free);
    char *pattern = g_path_is_absolute(href) || !strcmp(base_dir, ".") ? g_strdup(href)
                                                                        : g_build_filename(base_dir, href, NULL);
    if (strpbrk(href, "*?[")) {
        glob_t g;
        if (glob(pattern, 0, NULL, &g) == 0)
            for (size_t i = 0; i < g.gl_pathc; i++)
                g_ptr_array_add(files, g_strdup(g.gl_pathv[i]));
        globfree(&g);
        g_free(pattern);
    } else {
        g_ptr_array_add(files, pattern);
    }
    return files;
}

/* ------------------------------------------------------------------ names */

typedef struct names {
    const char *course, *lang, *edition, *paper, *brand, *audience, *participant, *n, *session;
} names;

/* The output pattern filled in; NULL with *bad set to the unknown placeholder. */
static char *fill_pattern(const char *pattern, const names *v, char **bad)
{
    const struct { const char *key, *value; } table[] = {
        {"course", v->course}, {"lang", v->lang},   {"edition", v->edition},
        {"paper", v->paper},   {"brand", v->brand}, {"audience", v->audience},
        {"participant", v->participant}, {"n", v->n}, {"session", v->session},
    };
    GString *out = g_string_new(NULL);
    for (const char *p = pattern; *p;) {
        const char *close = *p == '{' ? strchr(p, '}') : NULL;
        if (!close) {
            g_string_append_c(out, *p++);
            continue;
        }
        char *key = g_strndup(p + 1, (gsize)(close - p - 1));
        size_t i = 0;
        while (i < G_N_ELEMENTS(table) && strcmp(table[i].key, key) != 0)
            i++;
        if (i == G_N_ELEMENTS(table) || !table[i].value) {
            *bad = key;
            g_string_free(out, TRUE);
            return NULL;
        }
        g_free(key);
        g_string_append(out, table[i].value);
        p = close + 1;
    }
    return g_string_free(out, FALSE);
}

/* An error unless the pattern names files below the output folder, one per participant
 * with a roster, and knows its placeholders. */
static int check_pattern(wb_ctx *ctx, xmlNodePtr entry, const char *pattern, bool roster)
{
    gchar **parts = g_strsplit(pattern, "/", -1);
    bool dotdot = false;
    for (int i = 0; parts[i]; i++)
        dotdot = dotdot || !strcmp(parts[i], "..");
    g_strfreev(parts);
    if (!*pattern || pattern[0] == '/' || dotdot || g_str_has_suffix(pattern, "/")) {
        batch_node_error(ctx, entry, "output \"%s\": a file name below the output folder, without \"..\"", pattern);
        return -1;
    }
    names probe = {"c", "l", "e", "p", "b", "a", roster ? "x" : NULL, roster ? "1" : NULL, roster ? "s" : NULL};
    char *bad = NULL;
    char *filled = fill_pattern(pattern, &probe, &bad);
    g_free(filled);
    if (bad) {
        bool personal = !strcmp(bad, "participant") || !strcmp(bad, "n") || !strcmp(bad, "session");
        batch_node_error(ctx, entry, "output \"%s\": {%s} %s", pattern, bad,
                         personal ? "needs a roster on the entry" : "is not a placeholder (see styles/catalogue.rnc)");
        g_free(bad);
        return -1;
    }
    if (roster && !strstr(pattern, "{participant}") && !strstr(pattern, "{n}")) {
        batch_node_error(ctx, entry, "output \"%s\": an entry with a roster needs {participant} or {n} in its "
                         "output, so that each participant gets files of their own", pattern);
        return -1;
    }
    return 0;
}

/* ------------------------------------------------------------------ jobs */

typedef struct entry_ctx {
    wb_ctx *ctx;
    batch_catalogue *cat;
    xmlNodePtr entry;
    const batch_settings *s;
    const char *out_dir, *engine_id;
    char *where;
    const char *course;
    batch_course_info *info;
} entry_ctx;

static char *job_key(const entry_ctx *e, const batch_job *j)
{
    const batch_person *p = j->person;
    const char *sde = getenv("SOURCE_DATE_EPOCH");
    GPtrArray *parts = g_ptr_array_new_with_free_func(g_free);
    const char *const fields[][2] = {
        {"inputs-record", "1"}, {"engine", e->engine_id}, {"course", j->course}, {"lang", j->lang},
        {"edition", j->edition}, {"paper", j->paper}, {"brand", j->brand}, {"audience", j->audience},
        {"participant", p ? p->name : NULL}, {"organisation", p ? p->organisation : NULL},
        {"session-date", p ? p->session_date : NULL}, {"session-place", p ? p->place : NULL},
        {"trainer", p ? p->trainer : NULL}, {"SOURCE_DATE_EPOCH", sde && *sde ? sde : NULL},
    };
    for (size_t i = 0; i < G_N_ELEMENTS(fields); i++)
        g_ptr_array_add(parts, g_strdup_printf("%s=%s", fields[i][0], fields[i][1] ? fields[i][1] : "\x01"));
    for (int i = 0; j->params && j->params[i] && j->params[i + 1]; i += 2)
        g_ptr_array_add(parts, g_strdup_printf("param %s=%s", j->params[i], j->params[i + 1]));
    g_ptr_array_add(parts, NULL);
    char *key = batch_hash_strings((const char *const *)parts->pdata);
    g_ptr_array_free(parts, TRUE);
    return key;
}

static void add_job(entry_ctx *e, const char *lang, const char *edition, const char *paper, const char *brand,
                   const char *audience, const batch_person *person)
{
    char *dir = g_path_get_dirname(e->course);
    char *course_name = g_path_get_basename(dir);
    g_free(dir);
    char *slug = person ? batch_slug(person->name) : NULL;
    char *num = person ? g_strdup_printf("%02d", person->number) : NULL;
    if (slug && !*slug) {
        g_free(slug);
        slug = g_strdup_printf("participant-%s", num);
    }
    names v = {course_name, lang ? lang : "all", edition, paper, brand ? brand : "default",
               audience ? audience : "all", slug, num, person ? person->session : NULL};
    char *bad = NULL;
    char *name = fill_pattern(e->s->output, &v, &bad);
    g_free(bad);
    g_free(slug);
    g_free(num);
    batch_job *j = g_new0(batch_job, 1);
    j->course = g_strdup(e->course);
    j->course_name = course_name;
    j->lang = g_strdup(lang);
    j->edition = g_strdup(edition);
    j->paper = g_strdup(paper);
    j->brand = g_strdup(brand);
    j->audience = g_strdup(audience);
    GPtrArray *pv = g_ptr_array_new();
    for (guint i = 0; e->s->params && i < e->s->params->len; i++)
        g_ptr_array_add(pv, g_strdup(g_ptr_array_index(e->s->params, i)));
    g_ptr_array_add(pv, NULL);
    j->params = (char **)g_ptr_array_free(pv, FALSE);
    j->person = person;
    j->name = name;
    j->output = !strcmp(e->out_dir, ".") ? g_strdup(name) : g_build_filename(e->out_dir, name, NULL);
    j->where = g_strdup(e->where);
    j->key = job_key(e, j);
    j->cost = batch_cost(edition, paper, e->info->size);
    if (e->info->error) {
        j->state = JOB_FAILED;
        j->messages = g_strdup(e->info->error);
    }
    g_ptr_array_add(e->cat->jobs, j);
}

/* Every combination of the entry's settings for one course file. */
static void expand_course(entry_ctx *e, GPtrArray *people)
{
    gchar **langs = !strcmp(e->s->languages, "all") ? NULL : g_strsplit_set(e->s->languages, " \t\r\n", -1);
    gchar *none[] = {NULL, NULL};
    gchar **lang_list = langs ? langs : e->info->languages && e->info->languages[0] ? e->info->languages : none;
    gchar **editions = g_strsplit_set(e->s->editions, " \t\r\n", -1);
    gchar **papers = g_strsplit_set(e->s->papers, " \t\r\n", -1);
    gchar **brands = e->s->brands ? g_strsplit_set(e->s->brands, " \t\r\n", -1) : NULL;
    gchar **audiences = e->s->audiences ? g_strsplit_set(e->s->audiences, " \t\r\n", -1) : NULL;
    guint np = people ? people->len : 1;
    for (int l = 0; lang_list == none ? l < 1 : lang_list[l] != NULL; l++) {
        if (lang_list[l] && !*lang_list[l])
            continue;
        for (guint p = 0; p < np; p++)
            for (int ed = 0; editions[ed]; ed++)
                for (int pa = 0; *editions[ed] && papers[pa]; pa++)
                    for (int b = 0; *papers[pa] && (brands ? brands[b] != NULL : b < 1); b++)
                        for (int a = 0; (!brands || *brands[b]) && (audiences ? audiences[a] != NULL : a < 1); a++) {
                            if (audiences && !*audiences[a])
                                continue;
                            add_job(e, lang_list[l], editions[ed], papers[pa], brands ? brands[b] : NULL,
                                    audiences ? audiences[a] : NULL, people ? g_ptr_array_index(people, p) : NULL);
                        }
    }
    g_strfreev(langs);
    g_strfreev(editions);
    g_strfreev(papers);
    g_strfreev(brands);
    g_strfreev(audiences);
}

/* The roster of an entry, read once per catalogue; NULL with errors on ctx. */
static GPtrArray *entry_roster(wb_ctx *ctx, batch_catalogue *cat, xmlNodePtr entry, const char *base_dir,
                               const char *href)
{
    char *path = g_path_is_absolute(href) || !strcmp(base_dir, ".") ? g_strdup(href)
                                                                     : g_build_filename(base_dir, href, NULL);
    GPtrArray *people = g_hash_table_lookup(cat->rosters, path);
    if (!people) {
        people = batch_roster_read(ctx, path, cat->people);
        if (people)
            g_hash_table_insert(cat->rosters, g_strdup(path), people);
        else
            batch_node_error(ctx, entry, "the roster %s cannot be used", path);
    }
    g_free(path);
    return people;
}

/* Editions an entry may make: participant and certificate with a roster, the other four
 * without one. */
static int check_editions(wb_ctx *ctx, xmlNodePtr entry, const char *editions, bool roster)
{
    gchar **list = g_strsplit_set(editions, " \t\r\n", -1);
    int rc = 0;
    for (int i = 0; list[i] && rc == 0; i++) {
        if (!*list[i])
            continue;
        bool personal = !strcmp(list[i], "participant") || !strcmp(list[i], "certificate");
        if (roster && !personal) {
            batch_node_error(ctx, entry, "with a roster, the editions are participant and certificate, not %s "
                             "(list the %s edition in an entry of its own)", list[i], list[i]);
            rc = -1;
        } else if (!roster && !strcmp(list[i], "certificate")) {
            batch_node_error(ctx, entry, "a certificate is made for each participant of a roster: "
                             "give the entry a roster");
            rc = -1;
        }
    }
    g_strfreev(list);
    return rc;
}

int batch_expand_entry(wb_ctx *ctx, batch_catalogue *cat, xmlNodePtr entry, const batch_settings *s,
                       const char *base_dir, const char *out_dir, const char *engine_id)
{
    xmlChar *href = xmlGetNoNsProp(entry, BAD_CAST "href");
    xmlChar *roster = xmlGetNoNsProp(entry, BAD_CAST "roster");
    int rc = 0;
    GPtrArray *people = NULL;
    if (check_editions(ctx, entry, s->editions, roster != NULL) != 0 ||
        check_pattern(ctx, entry, s->output, roster != NULL) != 0)
        rc = -1;
    else if (roster && !(people = entry_roster(ctx, cat, entry, base_dir, (const char *)roster)))
        rc = -1;
    GPtrArray *files = rc == 0 ? course_files(base_dir, (const char *)href) : NULL;
    if (files && files->len == 0) {
        batch_node_error(ctx, entry, "no course file matches \"%s\"", href);
        rc = -1;
    }
    char *file = NULL;
    int line = 0, col = 0;
    wb_node_position(entry, &file, &line, &col);
    for (guint i = 0; rc == 0 && i < files->len; i++) {
        entry_ctx e = {ctx, cat, entry, s, out_dir, engine_id, NULL, g_ptr_array_index(files, i), NULL};
        e.where = g_strdup_printf("%s:%d:%d", file ? file : "catalogue", line, col);
        e.info = course_info(cat, e.course);
        expand_course(&e, people);
        g_free(e.where);
    }
    free(file);
    if (files)
        g_ptr_array_free(files, TRUE);
    xmlFree(href);
    xmlFree(roster);
    return rc;
}
