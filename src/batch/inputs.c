/* The inputs of an edition and their record beside its output.
 *
 * Files are known by the SHA-256 of their contents (GLib's GChecksum), never by their times,
 * so a copy, a checkout or another machine's clock changes nothing; a font family by the
 * hashes of the files fontconfig finds for it.  Both are remembered for the life of the
 * process: sources are not expected to change while a batch runs.
 *
 * The record, ".NAME.inputs" beside NAME, is a few lines of text:
 *     workbook-inputs 1
 *     key HASH                  what is not a file: parameters, roster row, engine, dates
 *     inputs HASH               all of it in one hash (the JSON report's "inputs")
 *     output HASH PAGES         the file written
 *     file HASH PATH            every file read, as it was read
 *     profile HASH PATH         a course file of which the edition keeps nothing
 *     font HASH FAMILY          every font family named
 * One per output, so shards on different machines never share a state file.  Hands on
 * batch_file_hash, batch_font_hash, batch_hash_strings and the record's reading and
 * writing. */
#include "batch/batch-private.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <fontconfig/fontconfig.h>

#include "output.h"
#include "workbook/load.h"

#define RECORD_MAGIC "workbook-inputs 1"

static GHashTable *file_hashes; /* path -> hex */
static GHashTable *font_hashes; /* family -> hex */

/* SHA-256 of a file's contents, NULL when it cannot be read. */
static char *hash_file_now(const char *path)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return NULL;
    GChecksum *sum = g_checksum_new(G_CHECKSUM_SHA256);
    unsigned char buf[65536];
    ssize_t n;
    while ((n = read(fd, buf, sizeof buf)) > 0)
        g_checksum_update(sum, buf, n);
    close(fd);
    char *hex = n < 0 ? NULL : g_strdup(g_checksum_get_string(sum));
    g_checksum_free(sum);
    return hex;
}

const char *batch_file_hash(const char *path)
{
    if (!file_hashes)
        file_hashes = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    const char *known = g_hash_table_lookup(file_hashes, path);
    if (known)
        return known;
    char *hex = hash_file_now(path);
    if (!hex)
        hex = g_strdup("-");
    g_hash_table_insert(file_hashes, g_strdup(path), hex);
    return hex;
}

char *batch_hash_strings(const char *const *parts)
{
    GChecksum *sum = g_checksum_new(G_CHECKSUM_SHA256);
    for (size_t i = 0; parts[i]; i++)
        g_checksum_update(sum, (const guchar *)parts[i], (gssize)strlen(parts[i]) + 1);
    char *hex = g_strdup(g_checksum_get_string(sum));
    g_checksum_free(sum);
    return hex;
}

static GHashTable *profile_hashes; /* path -> hex */

/* The profile of the elements below n, into the list. */
static void profile_of(xmlNodePtr n, GPtrArray *parts)
{
    static const char *const attrs[] = {"id", "edition", "audience", "brand"};
    for (; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        g_ptr_array_add(parts, g_strdup_printf("<%s", n->name));
        xmlChar *lang = xmlGetNsProp(n, BAD_CAST "lang", XML_XML_NAMESPACE);
        if (lang)
            g_ptr_array_add(parts, g_strdup_printf("xml:lang=%s", lang));
        xmlFree(lang);
        bool include = n->ns && xmlStrEqual(n->name, BAD_CAST "include");
        for (xmlAttrPtr a = n->properties; a; a = a->next) {
            bool wanted = include && !a->ns;
            for (size_t i = 0; i < G_N_ELEMENTS(attrs) && !wanted; i++)
                wanted = !a->ns && !strcmp((const char *)a->name, attrs[i]);
            if (!wanted)
                continue;
            xmlChar *v = xmlNodeListGetString(n->doc, a->children, 1);
            g_ptr_array_add(parts, g_strdup_printf("%s=%s", a->name, v ? (const char *)v : ""));
            xmlFree(v);
        }
        profile_of(n->children, parts);
        g_ptr_array_add(parts, g_strdup(">"));
    }
}

const char *batch_profile_hash(const char *path)
{
    if (!profile_hashes)
        profile_hashes = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    const char *known = g_hash_table_lookup(profile_hashes, path);
    if (known)
        return known;
    wb_ctx *scratch = wb_ctx_new();
    xmlDocPtr doc = wb_load_xml(scratch, path);
    wb_ctx_free(scratch);
    char *hex = g_strdup("-");
    if (doc) {
        GPtrArray *parts = g_ptr_array_new_with_free_func(g_free);
        profile_of(xmlDocGetRootElement(doc), parts);
        g_ptr_array_add(parts, NULL);
        g_free(hex);
        hex = batch_hash_strings((const char *const *)parts->pdata);
        g_ptr_array_free(parts, TRUE);
        xmlFreeDoc(doc);
    }
    g_hash_table_insert(profile_hashes, g_strdup(path), hex);
    return hex;
}

static gint compare_strings(gconstpointer a, gconstpointer b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The files of a family: every style fontconfig lists under that name, or else the file
 * it substitutes for the name. */
static GPtrArray *family_files(const char *family)
{
    GPtrArray *files = g_ptr_array_new_with_free_func(g_free);
    FcPattern *pat = FcPatternCreate();
    FcPatternAddString(pat, FC_FAMILY, (const FcChar8 *)family);
    FcObjectSet *os = FcObjectSetBuild(FC_FILE, (char *)NULL);
    FcFontSet *fs = FcFontList(NULL, pat, os);
    for (int i = 0; fs && i < fs->nfont; i++) {
        FcChar8 *file = NULL;
        if (FcPatternGetString(fs->fonts[i], FC_FILE, 0, &file) == FcResultMatch)
            g_ptr_array_add(files, g_strdup((const char *)file));
    }
    if (fs)
        FcFontSetDestroy(fs);
    FcObjectSetDestroy(os);
    if (files->len == 0) {
        FcConfigSubstitute(NULL, pat, FcMatchPattern);
        FcDefaultSubstitute(pat);
        FcResult res;
        FcPattern *match = FcFontMatch(NULL, pat, &res);
        FcChar8 *file = NULL;
        if (match && FcPatternGetString(match, FC_FILE, 0, &file) == FcResultMatch)
            g_ptr_array_add(files, g_strdup((const char *)file));
        if (match)
            FcPatternDestroy(match);
    }
    FcPatternDestroy(pat);
    return files;
}

const char *batch_font_hash(const char *family)
{
    if (!font_hashes)
        font_hashes = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    const char *known = g_hash_table_lookup(font_hashes, family);
    if (known)
        return known;
    GPtrArray *files = family_files(family);
    /* the contents, not the paths: the same fonts installed elsewhere are the same fonts */
    GPtrArray *hashes = g_ptr_array_new();
    for (guint i = 0; i < files->len; i++)
        g_ptr_array_add(hashes, (char *)batch_file_hash(g_ptr_array_index(files, i)));
    g_ptr_array_sort(hashes, compare_strings);
    g_ptr_array_add(hashes, NULL);
    char *hex = files->len ? batch_hash_strings((const char *const *)hashes->pdata) : g_strdup("-");
    g_ptr_array_free(hashes, TRUE);
    g_ptr_array_free(files, TRUE);
    g_hash_table_insert(font_hashes, g_strdup(family), hex);
    return hex;
}

/* ------------------------------------------------------------------ the record */

char *batch_record_path(const char *output)
{
    char *dir = g_path_get_dirname(output);
    char *base = g_path_get_basename(output);
    char *name = g_strdup_printf(".%s.inputs", base);
    char *path = !strcmp(dir, ".") && output[0] != '.' ? g_strdup(name) : g_build_filename(dir, name, NULL);
    g_free(name);
    g_free(base);
    g_free(dir);
    return path;
}

/* The lines "file HASH PATH" and "font HASH FAMILY" of a job's inputs, sorted. */
static GPtrArray *input_lines(const batch_inputs *in)
{
    GPtrArray *lines = g_ptr_array_new_with_free_func(g_free);
    for (guint i = 0; i < in->files->len; i++) {
        const char *p = g_ptr_array_index(in->files, i);
        if (!strchr(p, '\n'))
            g_ptr_array_add(lines, g_strdup_printf("file %s %s", batch_file_hash(p), p));
    }
    for (guint i = 0; i < in->profiled->len; i++) {
        const char *p = g_ptr_array_index(in->profiled, i);
        if (!strchr(p, '\n'))
            g_ptr_array_add(lines, g_strdup_printf("profile %s %s", batch_profile_hash(p), p));
    }
    for (guint i = 0; i < in->families->len; i++) {
        const char *f = g_ptr_array_index(in->families, i);
        if (!strchr(f, '\n'))
            g_ptr_array_add(lines, g_strdup_printf("font %s %s", batch_font_hash(f), f));
    }
    g_ptr_array_sort(lines, compare_strings);
    return lines;
}

/* The hash of the key and the input lines: one name for everything that made the output. */
static char *inputs_hash(const char *key, GPtrArray *lines)
{
    GPtrArray *parts = g_ptr_array_new();
    g_ptr_array_add(parts, (char *)key);
    for (guint i = 0; i < lines->len; i++)
        g_ptr_array_add(parts, g_ptr_array_index(lines, i));
    g_ptr_array_add(parts, NULL);
    char *hex = batch_hash_strings((const char *const *)parts->pdata);
    g_ptr_array_free(parts, TRUE);
    return hex;
}

wb_status batch_record_write(wb_ctx *ctx, batch_job *job, const batch_inputs *in)
{
    GPtrArray *lines = input_lines(in);
    g_free(job->inputs);
    job->inputs = inputs_hash(job->key, lines);
    char *out_hash = hash_file_now(job->output);
    GString *text = g_string_new(RECORD_MAGIC "\n");
    g_string_append_printf(text, "key %s\ninputs %s\noutput %s %d\n", job->key, job->inputs,
                           out_hash ? out_hash : "-", job->pages);
    for (guint i = 0; i < lines->len; i++)
        g_string_append_printf(text, "%s\n", (char *)g_ptr_array_index(lines, i));
    g_free(out_hash);
    g_ptr_array_free(lines, TRUE);
    char *path = batch_record_path(job->output);
    wb_status st = WB_ERR_IO;
    wb_output *o = wb_output_open(ctx, path, 0);
    if (o && wb_output_write(o, text->str, text->len))
        st = wb_output_commit(o);
    else
        wb_output_abort(o);
    g_free(path);
    g_string_free(text, TRUE);
    return st;
}

/* Compares one line of a record with the inputs as they are now; NULL when it still holds,
 * else why not (caller frees). */
static char *line_changed(const char *line)
{
    const char *sp1 = strchr(line, ' ');
    const char *sp2 = sp1 ? strchr(sp1 + 1, ' ') : NULL;
    if (!sp2)
        return NULL;
    char *hash = g_strndup(sp1 + 1, (gsize)(sp2 - sp1 - 1));
    const char *what = sp2 + 1;
    char *why = NULL;
    if (g_str_has_prefix(line, "file ") && strcmp(batch_file_hash(what), hash) != 0)
        why = g_strdup_printf("%s changed", what);
    else if (g_str_has_prefix(line, "profile ") && strcmp(batch_profile_hash(what), hash) != 0)
        why = g_strdup_printf("the profile of %s changed", what);
    else if (g_str_has_prefix(line, "font ") && strcmp(batch_font_hash(what), hash) != 0)
        why = g_strdup_printf("the fonts of %s changed", what);
    g_free(hash);
    return why;
}

/* The record's header lines: key, inputs, output hash and pages; false when malformed. */
static bool read_header(gchar **lines, char **key, char **inputs, char **out_hash, int *pages)
{
    if (!lines[0] || strcmp(lines[0], RECORD_MAGIC) != 0 || !lines[1] || !lines[2] || !lines[3])
        return false;
    char k[80], in[80], oh[80];
    if (sscanf(lines[1], "key %79s", k) != 1 || sscanf(lines[2], "inputs %79s", in) != 1 ||
        sscanf(lines[3], "output %79s %d", oh, pages) != 2)
        return false;
    *key = g_strdup(k);
    *inputs = g_strdup(in);
    *out_hash = g_strdup(oh);
    return true;
}

bool batch_record_current(batch_job *job, char **reason)
{
    char *path = batch_record_path(job->output);
    char *text = NULL;
    bool have = g_file_get_contents(path, &text, NULL, NULL);
    g_free(path);
    *reason = NULL;
    if (!have) {
        *reason = g_strdup(g_file_test(job->output, G_FILE_TEST_EXISTS) ? "no record of its inputs" : "new");
        return false;
    }
    gchar **lines = g_strsplit(text, "\n", -1);
    g_free(text);
    char *key = NULL, *inputs = NULL, *out_hash = NULL;
    int pages = 0;
    if (!read_header(lines, &key, &inputs, &out_hash, &pages))
        *reason = g_strdup("its inputs record is unreadable");
    else if (strcmp(key, job->key) != 0)
        *reason = g_strdup("its parameters, the roster row, SOURCE_DATE_EPOCH or the engine changed");
    else {
        char *now = hash_file_now(job->output);
        if (!now || strcmp(now, out_hash) != 0)
            *reason = g_strdup(now ? "the output was changed since it was built" : "the output is missing");
        g_free(now);
    }
    for (int i = 4; !*reason && lines[i]; i++)
        *reason = line_changed(lines[i]);
    if (!*reason) {
        g_free(job->inputs);
        job->inputs = g_strdup(inputs);
        job->pages = pages;
    }
    g_free(key);
    g_free(inputs);
    g_free(out_hash);
    g_strfreev(lines);
    return *reason == NULL;
}
