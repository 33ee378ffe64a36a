/* What the fuzz targets do with one input, shared by the libFuzzer programs (fuzz_*.c,
 * built by `make fuzz`) and by tests/unit/test_fuzz_regressions.c, which runs the inputs
 * saved in tests/fuzz/regressions/TARGET/ through the same calls in a normal build.
 *
 *   load        the input as a course file (XInclude within a copy of tests/data/valid,
 *               profiling by a language and an edition taken from its length, validation
 *               against styles/course.rng)
 *   format      the input as an XSL-FO document, formatted to a sink that drops the pages
 *   properties  the input as an XSL-FO document whose tree is built (every property
 *               parsed, no layout), or as lines NAME=VALUE set on a block and parsed as
 *               lengths, colours and URIs too
 *   catalogue   the input as a batch catalogue in a copy of tests/data/batch (its course
 *               and rosters), read, validated and expanded into editions (`batch --list`,
 *               nothing built); one input in four is a roster (CSV, or XML when it starts
 *               with '<') that a fixed catalogue names instead
 *
 * Each call keeps to small limits (pages, nodes, input) so that one input costs little. */
#include <dirent.h>
#include <ftw.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib.h>
#include <libxml/parser.h>

#include "fo/fo.h"
#include "workbook.h"

/* The repository: WB_SOURCE_DIR, else the folder the program was started in. */
static const char *fuzz_source_dir(void)
{
    static char dir[4096];
    if (!dir[0]) {
        const char *env = getenv("WB_SOURCE_DIR");
        if (env && *env)
            snprintf(dir, sizeof dir, "%s", env);
        else if (!getcwd(dir, sizeof dir))
            snprintf(dir, sizeof dir, ".");
    }
    return dir;
}

static wb_ctx *fuzz_ctx(void)
{
    wb_ctx *ctx = wb_ctx_new();
    wb_ctx_set_quiet(ctx, true);
    wb_ctx_set_limit(ctx, WB_LIMIT_PAGES, 30);
    wb_ctx_set_limit(ctx, WB_LIMIT_NODES, 200000);
    wb_ctx_set_limit(ctx, WB_LIMIT_INPUT_BYTES, 4 << 20);
    wb_ctx_set_limit(ctx, WB_LIMIT_PIXELS, 4000000);
    wb_ctx_set_limit(ctx, WB_LIMIT_SECONDS, 5);
    wb_ctx_set_limit(ctx, WB_LIMIT_MEMORY, 256 << 20);
    return ctx;
}

static void fuzz_copy_tree(const char *from, const char *to)
{
    mkdir(to, 0700);
    DIR *d = opendir(from);
    if (!d)
        return;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        char *src = g_build_filename(from, e->d_name, NULL), *dst = g_build_filename(to, e->d_name, NULL);
        struct stat st;
        if (stat(src, &st) == 0 && S_ISDIR(st.st_mode)) {
            fuzz_copy_tree(src, dst);
        } else if (stat(src, &st) == 0 && S_ISREG(st.st_mode)) {
            gchar *data = NULL;
            gsize len = 0;
            if (g_file_get_contents(src, &data, &len, NULL))
                g_file_set_contents(dst, data, (gssize)len, NULL);
            g_free(data);
        }
        g_free(src);
        g_free(dst);
    }
    closedir(d);
}

static int fuzz_remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

static char *fuzz_dir, *fuzz_batch_dir;

static void fuzz_remove_course_dir(void)
{
    if (fuzz_dir)
        nftw(fuzz_dir, fuzz_remove_one, 16, FTW_DEPTH | FTW_PHYS);
    if (fuzz_batch_dir)
        nftw(fuzz_batch_dir, fuzz_remove_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* A folder of the process's own holding a copy of tests/data/valid (modules, images), where
 * the course under test is written: its includes find files there. */
static const char *fuzz_course_dir(void)
{
    if (!fuzz_dir) {
        const char *t = getenv("TMPDIR");
        fuzz_dir = g_strdup_printf("%s/wb-fuzz-%d", t && *t ? t : "/tmp", (int)getpid());
        char *valid = g_build_filename(fuzz_source_dir(), "tests", "data", "valid", NULL);
        fuzz_copy_tree(valid, fuzz_dir);
        g_free(valid);
        if (!fuzz_batch_dir)
            atexit(fuzz_remove_course_dir); /* (which removes both folders) */
    }
    return fuzz_dir;
}

int wb_fuzz_load(const uint8_t *data, size_t size)
{
    static const char *const langs[] = {NULL, "en", "fr", "ru", "bg", "de"};
    static const char *const editions[] = {"participant", "trainer", "exercises", "answers"};
    char *path = g_build_filename(fuzz_course_dir(), "fuzz-course.xml", NULL);
    if (!g_file_set_contents(path, (const char *)data, (gssize)size, NULL)) {
        g_free(path);
        return 0;
    }
    char *schema = g_build_filename(fuzz_source_dir(), "styles", "course.rng", NULL);
    wb_profile prof = {.lang = langs[size % 6], .edition = editions[(size / 6) % 4],
                       .audience = size % 5 == 0 ? "managers" : NULL, .brand = size % 7 == 0 ? "atelier" : NULL};
    wb_ctx *ctx = fuzz_ctx();
    xmlDocPtr doc = wb_load_course(ctx, path, &prof, size % 3 ? schema : NULL);
    xmlFreeDoc(doc);
    wb_ctx_free(ctx);
    g_free(schema);
    g_free(path);
    return 0;
}

static wb_status fuzz_drop_page(void *data, const wb_page *page)
{
    (void)data;
    (void)page;
    return WB_OK;
}

static xmlDocPtr fuzz_parse(wb_ctx *ctx, const uint8_t *data, size_t size)
{
    /* read as wb_load_xml reads a file */
    char *path = g_build_filename(fuzz_course_dir(), "fuzz.fo", NULL);
    xmlDocPtr doc = NULL;
    if (g_file_set_contents(path, (const char *)data, (gssize)size, NULL))
        doc = wb_load_xml(ctx, path);
    g_free(path);
    return doc;
}

int wb_fuzz_format(const uint8_t *data, size_t size)
{
    static wb_format_cache *cache;
    if (!cache)
        cache = wb_format_cache_new();
    wb_ctx *ctx = fuzz_ctx();
    xmlDocPtr doc = fuzz_parse(ctx, data, size);
    if (doc) {
        char *base = g_build_filename(fuzz_source_dir(), "tests", "fo", NULL);
        wb_format_options o = {.file = "fuzz.fo", .base_dir = base, .cache = cache};
        wb_page_sink sink = {fuzz_drop_page, NULL};
        wb_docinfo info = {0};
        if (wb_check_tree(ctx, doc))
            wb_format(ctx, doc, &o, &sink, &info);
        wb_docinfo_clear(&info);
        g_free(base);
        xmlFreeDoc(doc);
    }
    wb_ctx_free(ctx);
    return 0;
}

/* Lines NAME=VALUE become attributes of one fo:block inside a minimal document. */
static xmlDocPtr fuzz_properties_doc(const uint8_t *data, size_t size)
{
    xmlDocPtr doc = xmlNewDoc(BAD_CAST "1.0");
    xmlNodePtr root = xmlNewNode(NULL, BAD_CAST "root");
    xmlNsPtr ns = xmlNewNs(root, BAD_CAST WB_FO_NS, BAD_CAST "fo");
    xmlSetNs(root, ns);
    xmlDocSetRootElement(doc, root);
    xmlNodePtr lms = xmlNewChild(root, ns, BAD_CAST "layout-master-set", NULL);
    xmlNodePtr spm = xmlNewChild(lms, ns, BAD_CAST "simple-page-master", NULL);
    xmlSetProp(spm, BAD_CAST "master-name", BAD_CAST "p");
    xmlNewChild(spm, ns, BAD_CAST "region-body", NULL);
    xmlNodePtr seq = xmlNewChild(root, ns, BAD_CAST "page-sequence", NULL);
    xmlSetProp(seq, BAD_CAST "master-reference", BAD_CAST "p");
    xmlNodePtr flow = xmlNewChild(seq, ns, BAD_CAST "flow", NULL);
    xmlSetProp(flow, BAD_CAST "flow-name", BAD_CAST "xsl-region-body");
    xmlNodePtr outer = xmlNewChild(flow, ns, BAD_CAST "block", NULL);
    xmlNodePtr block = xmlNewChild(outer, ns, BAD_CAST "block", BAD_CAST "text");
    char *text = g_strndup((const char *)data, size);
    gchar **lines = g_strsplit(text, "\n", 64);
    for (int i = 0; lines[i]; i++) {
        char *eq = strchr(lines[i], '=');
        if (!eq || eq == lines[i])
            continue;
        *eq = 0;
        if (xmlValidateNCName(BAD_CAST lines[i], 0) != 0 || !xmlCheckUTF8(BAD_CAST eq + 1))
            continue;
        /* odd lines on the outer block, so inheritance and percentages of it are parsed */
        xmlSetProp(i % 2 ? outer : block, BAD_CAST lines[i], BAD_CAST(eq + 1));
        wb_len len;
        wb_rgba color;
        wb_parse_length(eq + 1, 12, &len);
        wb_parse_color(eq + 1, &color);
        g_free(wb_fo_uri(eq + 1));
    }
    g_strfreev(lines);
    g_free(text);
    return doc;
}

int wb_fuzz_properties(const uint8_t *data, size_t size)
{
    wb_ctx *ctx = fuzz_ctx();
    xmlDocPtr doc = size > 0 && data[0] == '<' ? fuzz_parse(ctx, data, size) : fuzz_properties_doc(data, size);
    if (doc && wb_check_tree(ctx, doc)) {
        wb_fo_tree *tree = wb_fo_tree_new(ctx, doc, "fuzz.fo");
        wb_fo_tree_free(tree);
    }
    xmlFreeDoc(doc);
    wb_ctx_free(ctx);
    return 0;
}

/* ------------------------------------------------------------------ catalogue */

/* A folder of the process's own holding a copy of tests/data/batch (the course, its rosters). */
static const char *fuzz_batch_folder(void)
{
    if (!fuzz_batch_dir) {
        const char *t = getenv("TMPDIR");
        fuzz_batch_dir = g_strdup_printf("%s/wb-fuzz-batch-%d", t && *t ? t : "/tmp", (int)getpid());
        char *batch = g_build_filename(fuzz_source_dir(), "tests", "data", "batch", NULL);
        fuzz_copy_tree(batch, fuzz_batch_dir);
        g_free(batch);
        if (!fuzz_dir)
            atexit(fuzz_remove_course_dir); /* (which removes both folders) */
    }
    return fuzz_batch_dir;
}

int wb_fuzz_catalogue(const uint8_t *data, size_t size)
{
    const char *dir = fuzz_batch_folder();
    bool roster = size % 4 == 0;
    char *path = g_build_filename(dir, "fuzz-catalogue.xml", NULL);
    if (roster) {
        bool xml = size > 0 && data[0] == '<';
        char *roster_path = g_build_filename(dir, xml ? "fuzz-roster.xml" : "fuzz-roster.csv", NULL);
        char *cat = g_strdup_printf("<catalogue editions=\"participant certificate\">"
                                    "<course href=\"course/course.xml\" roster=\"%s\" languages=\"en\""
                                    " output=\"{course}/{participant}-{edition}.pdf\"/></catalogue>",
                                    xml ? "fuzz-roster.xml" : "fuzz-roster.csv");
        bool ok = g_file_set_contents(roster_path, (const char *)data, (gssize)size, NULL) &&
                  g_file_set_contents(path, cat, -1, NULL);
        g_free(cat);
        g_free(roster_path);
        if (!ok) {
            g_free(path);
            return 0;
        }
    } else if (!g_file_set_contents(path, (const char *)data, (gssize)size, NULL)) {
        g_free(path);
        return 0;
    }
    /* --list prints the editions: not wanted here, once per process */
    static bool quiet_stdout;
    if (!quiet_stdout) {
        fflush(stdout);
        FILE *null = fopen("/dev/null", "w");
        if (null) {
            dup2(fileno(null), STDOUT_FILENO);
            fclose(null);
        }
        quiet_stdout = true;
    }
    char *styles = g_build_filename(fuzz_source_dir(), "styles", NULL);
    char *out = g_build_filename(dir, "out", NULL);
    wb_batch_options o = {.catalogue = path, .out_dir = out, .styles_dir = styles, .jobs = 1, .list = true,
                          .quiet = true};
    wb_ctx *ctx = fuzz_ctx();
    wb_batch(ctx, &o);
    wb_ctx_free(ctx);
    g_free(out);
    g_free(styles);
    g_free(path);
    return 0;
}
