/* Unit tests of the load stage (src/load/): parsing without external entities, XInclude
 * confined to the course folder, profiling, validation of a course and source positions.
 * Test documents live in tests/data/unit/{load,xinclude,course}; the broken courses checked
 * here are those of tests/data/invalid, shared with test_invalid. */
#include "workbook/load.h"

#include <check.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unit/support.h"

#define XML_NS "http://www.w3.org/XML/1998/namespace"

/* ---- helpers ---- */

/* The first error whose message contains `needle` (NULL: any error), or NULL. */
static const wb_diagnostic *test_find_error(const wb_ctx *ctx, const char *needle)
{
    size_t n = 0;
    const wb_diagnostic *d = wb_ctx_diagnostics(ctx, &n);
    for (size_t i = 0; i < n; i++)
        if (d[i].severity == WB_SEV_ERROR && (!needle || (d[i].message && strstr(d[i].message, needle))))
            return &d[i];
    return NULL;
}

/* Line and column (1-based, in characters) of the nth (1-based) occurrence of needle in a
 * file.  Fails the test when not found. */
static void test_position_of(const char *path, const char *needle, int nth, int *line, int *col)
{
    FILE *f = fopen(path, "rb");
    ck_assert_msg(f != NULL, "cannot open %s", path);
    char buf[4096];
    int ln = 0, seen = 0;
    while (fgets(buf, sizeof buf, f)) {
        ln++;
        for (char *p = buf; (p = strstr(p, needle)) != NULL; p++) {
            if (++seen == nth) {
                int c = 1;
                for (char *q = buf; q < p; q++)
                    if (((unsigned char)*q & 0xC0) != 0x80)
                        c++;
                *line = ln;
                *col = c;
                fclose(f);
                return;
            }
        }
    }
    fclose(f);
    ck_abort_msg("\"%s\" not found in %s", needle, path);
}

/* True when the file names of a and b are the same file (one may be relative to cwd). */
static int test_same_file(const char *a, const char *b)
{
    char ra[PATH_MAX], rb[PATH_MAX];
    if (!a || !b || !realpath(a, ra) || !realpath(b, rb))
        return 0;
    return strcmp(ra, rb) == 0;
}

/* The first element (depth first) with the given name, or with attribute id=`id`. */
static xmlNodePtr test_find_elem(xmlNodePtr n, const char *name, const char *id)
{
    for (; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        bool hit = !name || xmlStrEqual(n->name, BAD_CAST name);
        if (hit && id) {
            xmlChar *v = xmlGetProp(n, BAD_CAST "id");
            hit = v && xmlStrEqual(v, BAD_CAST id);
            xmlFree(v);
        }
        if (hit)
            return n;
        xmlNodePtr r = test_find_elem(n->children, name, id);
        if (r)
            return r;
    }
    return NULL;
}

static int test_count_elems(xmlNodePtr n, const char *name)
{
    int c = 0;
    for (; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        if (xmlStrEqual(n->name, BAD_CAST name))
            c++;
        c += test_count_elems(n->children, name);
    }
    return c;
}

/* Elements whose xml:lang does not start with `lang`. */
static int test_count_other_lang(xmlNodePtr n, const char *lang)
{
    int c = 0;
    for (; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        xmlChar *v = xmlGetNsProp(n, BAD_CAST "lang", BAD_CAST XML_NS);
        if (v && strncmp((const char *)v, lang, strlen(lang)) != 0)
            c++;
        xmlFree(v);
        c += test_count_other_lang(n->children, lang);
    }
    return c;
}

static char *test_content(xmlNodePtr n)
{
    xmlChar *c = xmlNodeGetContent(n);
    char *s = strdup(c ? (const char *)c : "");
    xmlFree(c);
    return s;
}

/* ---- wb_load_xml ---- */

START_TEST(test_load_well_formed)
{
    char *path = test_data("load/well-formed.xml");
    wb_ctx *ctx = wb_ctx_new();
    xmlDocPtr doc = wb_load_xml(ctx, path);
    char *diags = test_diags_text(ctx);
    ck_assert_msg(doc != NULL, "%s", diags);
    ck_assert_int_eq(wb_ctx_status(ctx), WB_OK);
    xmlNodePtr root = xmlDocGetRootElement(doc);
    ck_assert_str_eq((const char *)root->name, "doc");
    ck_assert_int_eq(test_count_elems(root, "item"), 2);
    /* line numbers are kept for positions */
    xmlNodePtr b = test_find_elem(root, "item", "b");
    ck_assert_ptr_nonnull(b);
    ck_assert_int_eq(xmlGetLineNo(b), 4);
    free(diags);
    xmlFreeDoc(doc);
    wb_ctx_free(ctx);
    free(path);
}
END_TEST

START_TEST(test_load_malformed_position)
{
    /* line 3: <item>one</itme> */
    char *path = test_data("load/malformed.xml");
    wb_ctx *ctx = wb_ctx_new();
    xmlDocPtr doc = wb_load_xml(ctx, path);
    char *diags = test_diags_text(ctx);
    ck_assert_msg(doc == NULL, "%s", diags);
    ck_assert_int_eq(wb_ctx_status(ctx), WB_ERR_INPUT);
    const wb_diagnostic *d = test_find_error(ctx, NULL);
    ck_assert_ptr_nonnull(d);
    ck_assert_msg(test_same_file(d->file, path), "file %s, want %s", d->file, path);
    ck_assert_msg(d->line == 3, "line %d, want 3: %s", d->line, diags);
    /* the column points into line 3, at or after the unclosed start tag */
    ck_assert_msg(d->col >= 3 && d->col <= 20, "col %d: %s", d->col, diags);
    ck_assert_msg(strstr(d->message, "item") != NULL, "%s", diags);
    free(diags);
    wb_ctx_free(ctx);
    free(path);
}
END_TEST

START_TEST(test_load_unclosed_reports_its_line)
{
    /* <item> opened on line 3 is never closed: the first error names it and its line */
    char *path = test_data("load/unclosed.xml");
    wb_ctx *ctx = wb_ctx_new();
    xmlDocPtr doc = wb_load_xml(ctx, path);
    char *diags = test_diags_text(ctx);
    ck_assert_msg(doc == NULL, "%s", diags);
    ck_assert_int_eq(wb_ctx_status(ctx), WB_ERR_INPUT);
    const wb_diagnostic *d = test_find_error(ctx, NULL);
    ck_assert_ptr_nonnull(d);
    ck_assert_msg(test_same_file(d->file, path), "%s", diags);
    ck_assert_msg(d->line >= 3, "%s", diags);
    ck_assert_msg(strstr(d->message, "item") && strstr(d->message, "line 3"), "%s", diags);
    free(diags);
    wb_ctx_free(ctx);
    free(path);
}
END_TEST

START_TEST(test_load_missing_file)
{
    char *path = test_data("load/does-not-exist.xml");
    wb_ctx *ctx = wb_ctx_new();
    xmlDocPtr doc = wb_load_xml(ctx, path);
    ck_assert_ptr_null(doc);
    ck_assert_int_eq(wb_ctx_status(ctx), WB_ERR_INPUT);
    const wb_diagnostic *d = test_find_error(ctx, NULL);
    ck_assert_ptr_nonnull(d);
    ck_assert_ptr_nonnull(d->file);
    ck_assert_str_eq(d->file, path);
    wb_ctx_free(ctx);
    free(path);
}
END_TEST

START_TEST(test_load_folder_and_empty)
{
    char *dir = test_data("load");
    wb_ctx *ctx = wb_ctx_new();
    ck_assert_ptr_null(wb_load_xml(ctx, dir));
    ck_assert_int_eq(wb_ctx_status(ctx), WB_ERR_INPUT);
    wb_ctx_free(ctx);
    free(dir);

    char *path = test_data("load/no-root.xml");
    ctx = wb_ctx_new();
    ck_assert_ptr_null(wb_load_xml(ctx, path));
    ck_assert_int_eq(wb_ctx_status(ctx), WB_ERR_INPUT);
    ck_assert_ptr_nonnull(test_find_error(ctx, NULL));
    wb_ctx_free(ctx);
    free(path);
}
END_TEST

/* The document must not contain the text of the file an external entity names. */
static void check_not_expanded(const char *rel, const char *forbidden)
{
    char *path = test_data(rel);
    wb_ctx *ctx = wb_ctx_new();
    xmlDocPtr doc = wb_load_xml(ctx, path);
    if (doc) {
        xmlChar *dump = NULL;
        int len = 0;
        xmlDocDumpMemory(doc, &dump, &len);
        ck_assert_ptr_nonnull(dump);
        ck_assert_msg(strstr((const char *)dump, forbidden) == NULL, "%s was expanded: %s", rel, dump);
        char *content = test_content(xmlDocGetRootElement(doc));
        ck_assert_msg(strstr(content, forbidden) == NULL, "%s: content %s", rel, content);
        free(content);
        xmlFree(dump);
        xmlFreeDoc(doc);
    } else {
        /* refusing the document is fine too, as long as it is an input error */
        ck_assert_int_eq(wb_ctx_status(ctx), WB_ERR_INPUT);
    }
    wb_ctx_free(ctx);
    free(path);
}

START_TEST(test_external_entity_passwd_not_expanded)
{
    check_not_expanded("load/xxe-passwd.xml", "root:");
}
END_TEST

START_TEST(test_external_entity_local_not_expanded)
{
    check_not_expanded("load/xxe-local.xml", "TOP-SECRET-CONTENT");
}
END_TEST

START_TEST(test_external_dtd_not_loaded)
{
    /* no default attribute from an external DTD, no parameter entity pulled in */
    check_not_expanded("load/xxe-dtd.xml", "LEAKED-FROM-DTD");
    check_not_expanded("load/xxe-param.xml", "LEAKED-FROM-DTD");
}
END_TEST

START_TEST(test_internal_entity_still_works)
{
    /* only external entities are refused: an internal one reads as its text */
    char *path = test_data("load/internal-entity.xml");
    wb_ctx *ctx = wb_ctx_new();
    xmlDocPtr doc = wb_load_xml(ctx, path);
    char *diags = test_diags_text(ctx);
    ck_assert_msg(doc != NULL, "%s", diags);
    char *content = test_content(xmlDocGetRootElement(doc));
    ck_assert_str_eq(content, "hello world");
    free(content);
    free(diags);
    xmlFreeDoc(doc);
    wb_ctx_free(ctx);
    free(path);
}
END_TEST

/* ---- XInclude ---- */

static xmlDocPtr test_include(const char *rel, wb_ctx *ctx, int *rc)
{
    char *path = test_data(rel);
    xmlDocPtr doc = wb_load_xml(ctx, path);
    free(path);
    ck_assert_msg(doc != NULL, "cannot load %s", rel);
    *rc = wb_xinclude(ctx, doc, NULL);
    return doc;
}

START_TEST(test_xinclude_inside_folder)
{
    wb_ctx *ctx = wb_ctx_new();
    int rc;
    xmlDocPtr doc = test_include("xinclude/main.xml", ctx, &rc);
    char *diags = test_diags_text(ctx);
    ck_assert_msg(rc == 0, "%s", diags);
    ck_assert_int_eq(wb_ctx_status(ctx), WB_OK);
    xmlNodePtr root = xmlDocGetRootElement(doc);
    ck_assert_ptr_nonnull(test_find_elem(root, "part", "part-root"));
    ck_assert_ptr_nonnull(test_find_elem(root, "intro", NULL));
    ck_assert_int_eq(test_count_elems(root, "para"), 3);
    ck_assert_int_eq(test_count_elems(root, "include"), 0);
    free(diags);
    xmlFreeDoc(doc);
    wb_ctx_free(ctx);
}
END_TEST

START_TEST(test_xinclude_outside_folder_refused)
{
    wb_ctx *ctx = wb_ctx_new();
    int rc;
    xmlDocPtr doc = test_include("xinclude/inner/escape.xml", ctx, &rc);
    char *diags = test_diags_text(ctx);
    ck_assert_int_eq(rc, -1);
    ck_assert_int_eq(wb_ctx_status(ctx), WB_ERR_INPUT);
    const wb_diagnostic *d = test_find_error(ctx, "../outside.xml");
    ck_assert_msg(d != NULL, "no error names the include: %s", diags);
    char *path = test_data("xinclude/inner/escape.xml");
    int line, col;
    test_position_of(path, "<xi:include", 1, &line, &col);
    ck_assert_msg(test_same_file(d->file, path), "%s", diags);
    ck_assert_int_eq(d->line, line);
    /* nothing of the outside file was copied in */
    char *content = test_content(xmlDocGetRootElement(doc));
    ck_assert_ptr_null(strstr(content, "OUTSIDE-CONTENT"));
    free(content);
    free(path);
    free(diags);
    xmlFreeDoc(doc);
    wb_ctx_free(ctx);
}
END_TEST

START_TEST(test_xinclude_text_outside_folder_refused)
{
    const char *cases[] = {"xinclude/inner/escape-text.xml", "xinclude/inner/escape-abs.xml"};
    for (int i = 0; i < 2; i++) {
        wb_ctx *ctx = wb_ctx_new();
        int rc;
        xmlDocPtr doc = test_include(cases[i], ctx, &rc);
        char *diags = test_diags_text(ctx);
        ck_assert_msg(rc == -1, "%s: %s", cases[i], diags);
        ck_assert_int_eq(wb_ctx_status(ctx), WB_ERR_INPUT);
        char *content = test_content(xmlDocGetRootElement(doc));
        ck_assert_msg(strstr(content, "OUTSIDE-CONTENT") == NULL, "%s", content);
        free(content);
        free(diags);
        xmlFreeDoc(doc);
        wb_ctx_free(ctx);
    }
}
END_TEST

START_TEST(test_xinclude_root_dir_widens)
{
    /* the same include is fine when the allowed folder is the parent */
    char *root = test_data("xinclude");
    char *path = test_data("xinclude/inner/escape.xml");
    wb_ctx *ctx = wb_ctx_new();
    xmlDocPtr doc = wb_load_xml(ctx, path);
    ck_assert_ptr_nonnull(doc);
    int rc = wb_xinclude(ctx, doc, root);
    char *diags = test_diags_text(ctx);
    ck_assert_msg(rc == 0, "%s", diags);
    char *content = test_content(xmlDocGetRootElement(doc));
    ck_assert_ptr_nonnull(strstr(content, "OUTSIDE-CONTENT"));
    free(content);
    free(diags);
    xmlFreeDoc(doc);
    wb_ctx_free(ctx);
    free(path);
    free(root);
}
END_TEST

START_TEST(test_xinclude_loop_reported)
{
    const char *cases[] = {"xinclude/loop-a.xml", "xinclude/self.xml"};
    for (int i = 0; i < 2; i++) {
        wb_ctx *ctx = wb_ctx_new();
        int rc;
        xmlDocPtr doc = test_include(cases[i], ctx, &rc);
        char *diags = test_diags_text(ctx);
        ck_assert_msg(rc == -1, "%s: %s", cases[i], diags);
        ck_assert_int_eq(wb_ctx_status(ctx), WB_ERR_INPUT);
        const wb_diagnostic *d = test_find_error(ctx, "includes itself");
        if (!d)
            d = test_find_error(ctx, "loop");
        ck_assert_msg(d != NULL, "%s: %s", cases[i], diags);
        ck_assert_int_gt(d->line, 0);
        free(diags);
        xmlFreeDoc(doc);
        wb_ctx_free(ctx);
    }
}
END_TEST

START_TEST(test_xinclude_same_file_twice_is_not_a_loop)
{
    wb_ctx *ctx = wb_ctx_new();
    int rc;
    xmlDocPtr doc = test_include("xinclude/twice.xml", ctx, &rc);
    char *diags = test_diags_text(ctx);
    ck_assert_msg(rc == 0, "%s", diags);
    xmlNodePtr root = xmlDocGetRootElement(doc);
    ck_assert_ptr_nonnull(test_find_elem(root, "para", "some-id"));
    ck_assert_ptr_nonnull(test_find_elem(root, "para", "other-id"));
    free(diags);
    xmlFreeDoc(doc);
    wb_ctx_free(ctx);
}
END_TEST

START_TEST(test_xinclude_xpointer_picks_one)
{
    wb_ctx *ctx = wb_ctx_new();
    int rc;
    xmlDocPtr doc = test_include("xinclude/xpointer.xml", ctx, &rc);
    char *diags = test_diags_text(ctx);
    ck_assert_msg(rc == 0, "%s", diags);
    xmlNodePtr root = xmlDocGetRootElement(doc);
    xmlNodePtr picked = test_find_elem(root, "para", "some-id");
    ck_assert_ptr_nonnull(picked);
    ck_assert_ptr_eq(picked->parent, root);
    ck_assert_int_eq(test_count_elems(root, "para"), 1);
    ck_assert_ptr_null(test_find_elem(root, "part", NULL));
    ck_assert_ptr_null(test_find_elem(root, "para", "other-id"));
    /* the picked element comes with its content */
    ck_assert_ptr_nonnull(test_find_elem(picked, "em", NULL));
    free(diags);
    xmlFreeDoc(doc);
    wb_ctx_free(ctx);
}
END_TEST

START_TEST(test_xinclude_xpointer_missing_id)
{
    wb_ctx *ctx = wb_ctx_new();
    int rc;
    xmlDocPtr doc = test_include("xinclude/xpointer-missing.xml", ctx, &rc);
    char *diags = test_diags_text(ctx);
    ck_assert_int_eq(rc, -1);
    ck_assert_msg(test_find_error(ctx, "no-such-id") != NULL, "%s", diags);
    free(diags);
    xmlFreeDoc(doc);
    wb_ctx_free(ctx);
}
END_TEST

START_TEST(test_xinclude_text_inside_folder)
{
    wb_ctx *ctx = wb_ctx_new();
    int rc;
    xmlDocPtr doc = test_include("xinclude/text.xml", ctx, &rc);
    char *diags = test_diags_text(ctx);
    ck_assert_msg(rc == 0, "%s", diags);
    xmlNodePtr pre = test_find_elem(xmlDocGetRootElement(doc), "pre", NULL);
    ck_assert_ptr_nonnull(pre);
    char *content = test_content(pre);
    /* the text as it is: markup characters stay characters */
    ck_assert_str_eq(content, "A note in plain text & <not markup>\n");
    ck_assert_ptr_null(test_find_elem(pre->children, "not", NULL));
    free(content);
    free(diags);
    xmlFreeDoc(doc);
    wb_ctx_free(ctx);
}
END_TEST

START_TEST(test_xinclude_first_child)
{
    /* an include that is the first child of its parent (no white space before it) */
    wb_ctx *ctx = wb_ctx_new();
    int rc;
    xmlDocPtr doc = test_include("xinclude/first-child.xml", ctx, &rc);
    char *diags = test_diags_text(ctx);
    ck_assert_msg(rc == 0, "%s", diags);
    xmlNodePtr root = xmlDocGetRootElement(doc);
    ck_assert_ptr_nonnull(root->children);
    ck_assert_str_eq((const char *)root->children->name, "para");
    ck_assert_ptr_nonnull(test_find_elem(root, "tail", NULL));
    free(diags);
    xmlFreeDoc(doc);
    wb_ctx_free(ctx);
}
END_TEST

START_TEST(test_xinclude_fallback)
{
    /* a fallback replaces an include that fails */
    wb_ctx *ctx = wb_ctx_new();
    int rc;
    xmlDocPtr doc = test_include("xinclude/fallback-only.xml", ctx, &rc);
    char *diags = test_diags_text(ctx);
    ck_assert_msg(rc == 0, "%s", diags);
    ck_assert_int_eq(wb_ctx_status(ctx), WB_OK);
    char *content = test_content(xmlDocGetRootElement(doc));
    ck_assert_ptr_nonnull(strstr(content, "FALLBACK-TEXT"));
    free(content);
    free(diags);
    xmlFreeDoc(doc);
    wb_ctx_free(ctx);
}
END_TEST

START_TEST(test_xinclude_fallback_keeps_other_errors)
{
    /* the first include fails without a fallback, the second falls back: the first error
     * must survive (wb_xinclude returns -1 and the context says why) */
    wb_ctx *ctx = wb_ctx_new();
    wb_warning(ctx, "earlier.xml", 1, 1, "an earlier warning");
    int rc;
    xmlDocPtr doc = test_include("xinclude/fallback.xml", ctx, &rc);
    char *diags = test_diags_text(ctx);
    ck_assert_int_eq(rc, -1);
    ck_assert_msg(wb_ctx_status(ctx) == WB_ERR_INPUT, "status %d after a failed include: %s",
                  wb_ctx_status(ctx), diags);
    ck_assert_msg(test_find_error(ctx, "missing-one.xml") != NULL, "%s", diags);
    size_t n = 0;
    const wb_diagnostic *d = wb_ctx_diagnostics(ctx, &n);
    ck_assert_msg(n >= 1 && !strcmp(d[0].message, "an earlier warning"), "earlier diagnostics lost: %s", diags);
    free(diags);
    xmlFreeDoc(doc);
    wb_ctx_free(ctx);
}
END_TEST

START_TEST(test_node_position_in_included_file)
{
    wb_ctx *ctx = wb_ctx_new();
    int rc;
    xmlDocPtr doc = test_include("xinclude/main.xml", ctx, &rc);
    ck_assert_int_eq(rc, 0);
    char *part = test_data("xinclude/sub/part.xml");
    int want_line, want_col;
    test_position_of(part, "<target", 1, &want_line, &want_col);
    xmlNodePtr target = test_find_elem(xmlDocGetRootElement(doc), "target", NULL);
    ck_assert_ptr_nonnull(target);
    char *file = NULL;
    int line = -1, col = -1;
    wb_node_position(target, &file, &line, &col);
    ck_assert_msg(test_same_file(file, part), "file %s, want %s", file, part);
    ck_assert_int_eq(line, want_line);
    ck_assert_int_eq(col, want_col);
    free(file);
    /* an attribute reports its element's position */
    xmlAttrPtr attr = xmlHasProp(target, BAD_CAST "attr");
    ck_assert_ptr_nonnull(attr);
    wb_node_position((xmlNodePtr)attr, &file, &line, &col);
    ck_assert_msg(test_same_file(file, part), "attr file %s", file);
    ck_assert_int_eq(line, want_line);
    free(file);
    /* and a node of the including file its own */
    char *main_path = test_data("xinclude/main.xml");
    test_position_of(main_path, "<intro", 1, &want_line, &want_col);
    wb_node_position(test_find_elem(xmlDocGetRootElement(doc), "intro", NULL), &file, &line, &col);
    ck_assert_msg(test_same_file(file, main_path), "file %s", file);
    ck_assert_int_eq(line, want_line);
    ck_assert_int_eq(col, want_col);
    free(file);
    free(main_path);
    free(part);
    xmlFreeDoc(doc);
    wb_ctx_free(ctx);
}
END_TEST

START_TEST(test_node_position_nested_include)
{
    /* nested.xml -> sub/chain.xml -> part.xml#other-id: the position is in sub/part.xml */
    wb_ctx *ctx = wb_ctx_new();
    int rc;
    xmlDocPtr doc = test_include("xinclude/nested.xml", ctx, &rc);
    char *diags = test_diags_text(ctx);
    ck_assert_msg(rc == 0, "%s", diags);
    xmlNodePtr p = test_find_elem(xmlDocGetRootElement(doc), "para", "other-id");
    ck_assert_ptr_nonnull(p);
    char *part = test_data("xinclude/sub/part.xml");
    int want_line, want_col;
    test_position_of(part, "<para id=\"other-id\"", 1, &want_line, &want_col);
    char *file = NULL;
    int line, col;
    wb_node_position(p, &file, &line, &col);
    ck_assert_msg(test_same_file(file, part), "file %s, want %s", file, part);
    ck_assert_int_eq(line, want_line);
    ck_assert_int_eq(col, want_col);
    free(file);
    free(part);
    free(diags);
    xmlFreeDoc(doc);
    wb_ctx_free(ctx);
}
END_TEST

/* ---- profiling ---- */

static const char profile_doc[] =
    "<doc xmlns:x='urn:x'>\n"
    " <p xml:lang='fr' id='fr'>fr</p>\n"
    " <p xml:lang='fr-CA' id='frca'>fr-CA</p>\n"
    " <p xml:lang='FR-be' id='frbe'>FR-be</p>\n"
    " <p xml:lang='en' id='en'><q id='inside-en'/></p>\n"
    " <p xml:lang='fra' id='fra'>not French by range</p>\n"
    " <p id='none'>no language</p>\n"
    " <p edition='trainer answers' id='ta'>trainer or answers</p>\n"
    " <p edition='participant' id='part'>participant</p>\n"
    " <p edition='trainerx' id='tx'>not trainer</p>\n"
    " <p audience='sales support' id='aud'>sales</p>\n"
    " <p brand='acme' id='acme'>acme</p>\n"
    " <p x:edition='participant' id='nsattr'>other namespace</p>\n"
    "</doc>\n";

static bool test_kept(xmlDocPtr doc, const char *id)
{
    return test_find_elem(xmlDocGetRootElement(doc), NULL, id) != NULL;
}

START_TEST(test_profile_language)
{
    xmlDocPtr doc = xmlReadMemory(profile_doc, (int)sizeof profile_doc - 1, "profile.xml", NULL, 0);
    ck_assert_ptr_nonnull(doc);
    wb_profile p = {.lang = "fr"};
    wb_profile_filter(doc, &p);
    ck_assert(test_kept(doc, "fr"));
    ck_assert(test_kept(doc, "frca"));
    ck_assert(test_kept(doc, "frbe"));
    ck_assert(test_kept(doc, "none"));
    ck_assert(!test_kept(doc, "en"));
    ck_assert(!test_kept(doc, "inside-en"));
    ck_assert(!test_kept(doc, "fra"));
    /* no edition asked: every edition kept */
    ck_assert(test_kept(doc, "ta"));
    ck_assert(test_kept(doc, "part"));
    xmlFreeDoc(doc);
}
END_TEST

START_TEST(test_profile_region_does_not_match_language)
{
    /* "fr-CA" asked: "fr" alone is not a match, "fr-CA-x" is */
    static const char src[] = "<d><p xml:lang='fr' id='fr'/><p xml:lang='fr-CA' id='frca'/>"
                              "<p xml:lang='fr-ca-x-test' id='frcax'/><p xml:lang='fr-CH' id='frch'/></d>";
    xmlDocPtr doc = xmlReadMemory(src, (int)sizeof src - 1, "p.xml", NULL, 0);
    wb_profile p = {.lang = "fr-CA"};
    wb_profile_filter(doc, &p);
    ck_assert(!test_kept(doc, "fr"));
    ck_assert(test_kept(doc, "frca"));
    ck_assert(test_kept(doc, "frcax"));
    ck_assert(!test_kept(doc, "frch"));
    xmlFreeDoc(doc);
}
END_TEST

START_TEST(test_profile_edition)
{
    const char *editions[] = {"trainer", "answers", "participant", "exercises"};
    const bool keep_ta[] = {true, true, false, false};
    const bool keep_part[] = {false, false, true, false};
    for (int i = 0; i < 4; i++) {
        xmlDocPtr doc = xmlReadMemory(profile_doc, (int)sizeof profile_doc - 1, "profile.xml", NULL, 0);
        wb_profile p = {.edition = editions[i]};
        wb_profile_filter(doc, &p);
        ck_assert_msg(test_kept(doc, "ta") == keep_ta[i], "edition %s", editions[i]);
        ck_assert_msg(test_kept(doc, "part") == keep_part[i], "edition %s", editions[i]);
        ck_assert_msg(!test_kept(doc, "tx"), "trainerx kept for %s", editions[i]);
        /* no language asked: all languages kept; unprofiled elements always kept */
        ck_assert(test_kept(doc, "en"));
        ck_assert(test_kept(doc, "none"));
        /* profiling attributes are unqualified: x:edition is not one */
        ck_assert(test_kept(doc, "nsattr"));
        xmlFreeDoc(doc);
    }
}
END_TEST

START_TEST(test_profile_audience_brand_and_null)
{
    xmlDocPtr doc = xmlReadMemory(profile_doc, (int)sizeof profile_doc - 1, "profile.xml", NULL, 0);
    wb_profile p = {.audience = "support", .brand = "other"};
    wb_profile_filter(doc, &p);
    ck_assert(test_kept(doc, "aud"));
    ck_assert(!test_kept(doc, "acme"));
    xmlFreeDoc(doc);

    doc = xmlReadMemory(profile_doc, (int)sizeof profile_doc - 1, "profile.xml", NULL, 0);
    wb_profile all = {0};
    wb_profile_filter(doc, &all);
    ck_assert_int_eq(test_count_elems(xmlDocGetRootElement(doc), "p"), 12);
    wb_profile_filter(doc, NULL);
    ck_assert_int_eq(test_count_elems(xmlDocGetRootElement(doc), "p"), 12);
    xmlFreeDoc(doc);
}
END_TEST

/* ---- courses ---- */

/* A test document: "invalid/NAME" is one of tests/data/invalid (each with the message
 * `workbook validate` prints in its header), anything else lies under tests/data/unit.
 * Caller frees with free(). */
static char *test_doc(const char *rel)
{
    if (strncmp(rel, "invalid/", 8) != 0)
        return test_data(rel);
    char buf[PATH_MAX];
    snprintf(buf, sizeof buf, "tests/data/%s", rel);
    return strdup(wb_test_path(buf));
}

static xmlDocPtr test_course(wb_ctx *ctx, const char *rel, const char *lang)
{
    char *path = test_doc(rel);
    char *schema = strdup(wb_test_path("styles/course.rng"));
    wb_profile p = {.lang = lang};
    xmlDocPtr doc = wb_load_course(ctx, path, &p, schema);
    free(schema);
    free(path);
    return doc;
}

START_TEST(test_real_course_french)
{
    char *path = strdup(wb_test_path("courses/fruitful-client-relations/course.xml"));
    char *schema = strdup(wb_test_path("styles/course.rng"));
    wb_ctx *ctx = wb_ctx_new();
    wb_profile p = {.lang = "fr"};
    xmlDocPtr doc = wb_load_course(ctx, path, &p, schema);
    char *diags = test_diags_text(ctx);
    ck_assert_msg(doc != NULL, "%s", diags);
    ck_assert_int_eq(wb_ctx_status(ctx), WB_OK);
    xmlNodePtr root = xmlDocGetRootElement(doc);
    xmlChar *lang = xmlGetNsProp(root, BAD_CAST "lang", BAD_CAST XML_NS);
    ck_assert_ptr_nonnull(lang);
    ck_assert_str_eq((const char *)lang, "fr");
    xmlFree(lang);
    ck_assert_int_eq(test_count_other_lang(root, "fr"), 0);
    /* the French modules came in, one for each include of a .fr.xml file */
    char *source = wb_test_read(path, NULL);
    ck_assert_ptr_nonnull(source);
    int fr_includes = 0;
    for (char *p = source; (p = strstr(p, ".fr.xml\"")) != NULL; p++)
        fr_includes++;
    free(source);
    ck_assert_int_gt(fr_includes, 0);
    ck_assert_int_eq(test_count_elems(root, "module"), fr_includes);
    ck_assert_int_eq(test_count_elems(root, "include"), 0);
    xmlNodePtr meta = test_find_elem(root, "meta", NULL);
    ck_assert_ptr_nonnull(meta);
    ck_assert_int_eq(test_count_elems(meta->children, "title"), 1);
    free(diags);
    xmlFreeDoc(doc);
    wb_ctx_free(ctx);
    free(schema);
    free(path);
}
END_TEST

START_TEST(test_course_language_not_offered)
{
    wb_ctx *ctx = wb_ctx_new();
    xmlDocPtr doc = test_course(ctx, "course/valid.xml", "de");
    ck_assert_ptr_null(doc);
    ck_assert_int_eq(wb_ctx_status(ctx), WB_ERR_INPUT);
    char *diags = test_diags_text(ctx);
    ck_assert_msg(test_find_error(ctx, "\"de\"") != NULL, "%s", diags);
    free(diags);
    wb_ctx_free(ctx);
}
END_TEST

START_TEST(test_course_valid_and_default_language)
{
    wb_ctx *ctx = wb_ctx_new();
    xmlDocPtr doc = test_course(ctx, "course/valid.xml", NULL);
    char *diags = test_diags_text(ctx);
    ck_assert_msg(doc != NULL, "%s", diags);
    xmlNodePtr root = xmlDocGetRootElement(doc);
    /* the first of languages="en fr" */
    xmlChar *lang = xmlGetNsProp(root, BAD_CAST "lang", BAD_CAST XML_NS);
    ck_assert_ptr_nonnull(lang);
    ck_assert_str_eq((const char *)lang, "en");
    xmlFree(lang);
    ck_assert_int_eq(test_count_elems(root, "title"), 3); /* meta (en), module, exercise */
    free(diags);
    xmlFreeDoc(doc);
    wb_ctx_free(ctx);
}
END_TEST

/* An invalid course: NULL, WB_ERR_INPUT, an error in `rel` at the position of the nth
 * occurrence of `at`, whose message contains each of the `names`. */
static void check_invalid(const char *rel, const char *at, int nth, const char *names[])
{
    wb_ctx *ctx = wb_ctx_new();
    xmlDocPtr doc = test_course(ctx, rel, "en");
    char *diags = test_diags_text(ctx);
    ck_assert_msg(doc == NULL, "%s was accepted", rel);
    ck_assert_int_eq(wb_ctx_status(ctx), WB_ERR_INPUT);
    char *path = test_doc(rel);
    int line, col;
    test_position_of(path, at, nth, &line, &col);
    size_t n = 0;
    const wb_diagnostic *d = wb_ctx_diagnostics(ctx, &n);
    const wb_diagnostic *hit = NULL;
    for (size_t i = 0; i < n && !hit; i++)
        if (d[i].severity == WB_SEV_ERROR && d[i].line == line && test_same_file(d[i].file, path))
            hit = &d[i];
    ck_assert_msg(hit != NULL, "%s: no error at line %d: %s", rel, line, diags);
    ck_assert_msg(hit->col == 0 || hit->col == col, "%s: col %d, want %d: %s", rel, hit->col, col, diags);
    for (int i = 0; names[i]; i++)
        ck_assert_msg(strstr(hit->message, names[i]) != NULL, "%s: message does not name %s: %s", rel,
                      names[i], diags);
    /* the first error is the one that matters: it must be the one at that position */
    ck_assert_msg(&d[0] == hit || d[0].severity != WB_SEV_ERROR || d[0].line == line,
                  "%s: the first error is elsewhere: %s", rel, diags);
    free(path);
    free(diags);
    xmlFreeDoc(doc);
    wb_ctx_free(ctx);
}

START_TEST(test_invalid_exercise_without_mode)
{
    /* (the first "<exercise" is in the header comment) */
    check_invalid("invalid/04-exercise-without-mode.xml", "<exercise", 2,
                  (const char *[]){"exercise", "mode", NULL});
}
END_TEST

START_TEST(test_invalid_unknown_element)
{
    check_invalid("invalid/02-unknown-element.xml", "<paragraph", 2, (const char *[]){"paragraph", NULL});
}
END_TEST

START_TEST(test_invalid_no_misleading_follow_up)
{
    /* Only <paragraph> is wrong: no error may blame an attribute (nothing is wrong with
     * one), and every error is about <paragraph> or at its line. */
    wb_ctx *ctx = wb_ctx_new();
    xmlDocPtr doc = test_course(ctx, "invalid/02-unknown-element.xml", "en");
    ck_assert_ptr_null(doc);
    char *diags = test_diags_text(ctx);
    char *path = test_doc("invalid/02-unknown-element.xml");
    int line, col;
    test_position_of(path, "<paragraph", 2, &line, &col);
    size_t n = 0;
    const wb_diagnostic *d = wb_ctx_diagnostics(ctx, &n);
    ck_assert_uint_gt(n, 0);
    for (size_t i = 0; i < n; i++) {
        ck_assert_msg(strstr(d[i].message, "attribute") == NULL, "misleading: %s", diags);
        ck_assert_msg(d[i].line == line || strstr(d[i].message, "paragraph"), "misleading: %s", diags);
    }
    free(path);
    free(diags);
    wb_ctx_free(ctx);
}
END_TEST

START_TEST(test_invalid_duplicate_id)
{
    /* the second <module id="m1"> */
    check_invalid("invalid/06-duplicate-id.xml", "<module id=\"m1\"", 2,
                  (const char *[]){"m1", "duplicate", NULL});
}
END_TEST

START_TEST(test_invalid_xref_to_missing_id)
{
    /* (the first is in the header comment) */
    check_invalid("invalid/07-xref-to-missing-id.xml", "<xref ref=\"sec-b\"", 2,
                  (const char *[]){"xref", "sec-b", NULL});
}
END_TEST

START_TEST(test_invalid_second_xref_on_a_line)
{
    /* two <xref> on one line, the second is wrong: the column is the second's */
    check_invalid("course/xref-second.xml", "<xref", 2, (const char *[]){"nowhere", NULL});
}
END_TEST

START_TEST(test_invalid_single_choice_two_correct)
{
    check_invalid("invalid/08-single-choice-two-correct.xml", "<item", 1,
                  (const char *[]){"single-choice", NULL});
}
END_TEST

START_TEST(test_invalid_missing_image)
{
    /* (the first "<image" is in the header comment) */
    check_invalid("invalid/14-missing-image.xml", "<image", 2,
                  (const char *[]){"image", "no-such-diagram.svg", NULL});
}
END_TEST

START_TEST(test_course_module_error_position)
{
    wb_ctx *ctx = wb_ctx_new();
    xmlDocPtr doc = test_course(ctx, "course/bad-module.xml", "en");
    char *diags = test_diags_text(ctx);
    ck_assert_msg(doc == NULL, "%s", diags);
    char *mod = test_data("course/modules/bad.xml");
    int line, col;
    test_position_of(mod, "<xref", 1, &line, &col);
    const wb_diagnostic *d = test_find_error(ctx, "missing-target");
    ck_assert_msg(d != NULL, "%s", diags);
    ck_assert_msg(test_same_file(d->file, mod), "file %s: %s", d->file, diags);
    ck_assert_int_eq(d->line, line);
    ck_assert_int_eq(d->col, col);
    free(mod);
    free(diags);
    wb_ctx_free(ctx);
}
END_TEST

START_TEST(test_course_with_module_and_image)
{
    /* the module's image is written relative to the module file and exists there */
    const char *langs[] = {"en", "fr"};
    for (int i = 0; i < 2; i++) {
        wb_ctx *ctx = wb_ctx_new();
        xmlDocPtr doc = test_course(ctx, "course/with-module.xml", langs[i]);
        char *diags = test_diags_text(ctx);
        ck_assert_msg(doc != NULL, "%s: %s", langs[i], diags);
        xmlNodePtr root = xmlDocGetRootElement(doc);
        ck_assert_int_eq(test_count_elems(root, "module"), 1);
        ck_assert_int_eq(test_count_other_lang(root, langs[i]), 0);
        /* position of an element that came from the module */
        char rel[64], id[32];
        snprintf(rel, sizeof rel, "course/modules/mod.%s.xml", langs[i]);
        snprintf(id, sizeof id, "deep-%s", langs[i]);
        char *mod = test_data(rel);
        int want_line, want_col;
        test_position_of(mod, "<para id=\"deep-", 1, &want_line, &want_col);
        xmlNodePtr p = test_find_elem(root, "para", id);
        ck_assert_ptr_nonnull(p);
        char *file = NULL;
        int line, col;
        wb_node_position(p, &file, &line, &col);
        ck_assert_msg(test_same_file(file, mod), "file %s, want %s", file, mod);
        ck_assert_int_eq(line, want_line);
        ck_assert_int_eq(col, want_col);
        free(file);
        free(mod);
        free(diags);
        xmlFreeDoc(doc);
        wb_ctx_free(ctx);
    }
}
END_TEST

START_TEST(test_course_missing_file)
{
    wb_ctx *ctx = wb_ctx_new();
    xmlDocPtr doc = test_course(ctx, "course/no-such-course.xml", "en");
    ck_assert_ptr_null(doc);
    ck_assert_int_eq(wb_ctx_status(ctx), WB_ERR_INPUT);
    wb_ctx_free(ctx);
}
END_TEST

static Suite *load_suite(void)
{
    Suite *s = suite_create("load");
    TCase *tc = tcase_create("xml");
    tcase_add_test(tc, test_load_well_formed);
    tcase_add_test(tc, test_load_malformed_position);
    tcase_add_test(tc, test_load_unclosed_reports_its_line);
    tcase_add_test(tc, test_load_missing_file);
    tcase_add_test(tc, test_load_folder_and_empty);
    tcase_add_test(tc, test_external_entity_passwd_not_expanded);
    tcase_add_test(tc, test_external_entity_local_not_expanded);
    tcase_add_test(tc, test_external_dtd_not_loaded);
    tcase_add_test(tc, test_internal_entity_still_works);
    suite_add_tcase(s, tc);

    tc = tcase_create("xinclude");
    tcase_add_test(tc, test_xinclude_inside_folder);
    tcase_add_test(tc, test_xinclude_outside_folder_refused);
    tcase_add_test(tc, test_xinclude_text_outside_folder_refused);
    tcase_add_test(tc, test_xinclude_root_dir_widens);
    tcase_add_test(tc, test_xinclude_loop_reported);
    tcase_add_test(tc, test_xinclude_same_file_twice_is_not_a_loop);
    tcase_add_test(tc, test_xinclude_xpointer_picks_one);
    tcase_add_test(tc, test_xinclude_xpointer_missing_id);
    tcase_add_test(tc, test_xinclude_text_inside_folder);
    tcase_add_test(tc, test_xinclude_first_child);
    tcase_add_test(tc, test_xinclude_fallback);
    tcase_add_test(tc, test_xinclude_fallback_keeps_other_errors);
    tcase_add_test(tc, test_node_position_in_included_file);
    tcase_add_test(tc, test_node_position_nested_include);
    suite_add_tcase(s, tc);

    tc = tcase_create("profile");
    tcase_add_test(tc, test_profile_language);
    tcase_add_test(tc, test_profile_region_does_not_match_language);
    tcase_add_test(tc, test_profile_edition);
    tcase_add_test(tc, test_profile_audience_brand_and_null);
    suite_add_tcase(s, tc);

    tc = tcase_create("course");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_real_course_french);
    tcase_add_test(tc, test_course_language_not_offered);
    tcase_add_test(tc, test_course_valid_and_default_language);
    tcase_add_test(tc, test_invalid_exercise_without_mode);
    tcase_add_test(tc, test_invalid_unknown_element);
    tcase_add_test(tc, test_invalid_no_misleading_follow_up);
    tcase_add_test(tc, test_invalid_duplicate_id);
    tcase_add_test(tc, test_invalid_xref_to_missing_id);
    tcase_add_test(tc, test_invalid_second_xref_on_a_line);
    tcase_add_test(tc, test_invalid_single_choice_two_correct);
    tcase_add_test(tc, test_invalid_missing_image);
    tcase_add_test(tc, test_course_module_error_position);
    tcase_add_test(tc, test_course_with_module_and_image);
    tcase_add_test(tc, test_course_missing_file);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return wb_test_main(load_suite()); }
