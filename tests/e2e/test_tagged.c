/* Tagged PDF and PDF/A-2b: the command line builds the shipped courses and FO files, and
 * poppler (pdfinfo -struct-text, pdffonts) and libqpdf read the structure tree and the PDF/A
 * metadata.
 *
 * - structure: the tree holds every paragraph of the course in reading order; one H1 per
 *   module, sections and exercises as Sect, lists and tables as L/LI/Lbl/LBody and
 *   Table/TR/TH/TD; figures with the course's alt text as /Alt; the viewer shows the title;
 * - artifacts: running heads and page numbers are in the pages but not in the tree, marked
 *   /Artifact in the content;
 * - languages: the catalog's /Lang, and an element in another language has its own /Lang;
 *   a phrase in another language inside a paragraph is a Span with its /Lang, between Spans
 *   of the paragraph's own text, in reading order;
 * - an <image> without alt gives a warning at its line;
 * - PDF/A-2b (--param pdfa=yes): XMP metadata saying so, with the document information's
 *   values; an sRGB output intent with the ICC profile; every font embedded (the form's too);
 *   every annotation printable; nothing of it without the parameter. */
#include <check.h>
#include <glib.h>
#include <libxml/parser.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>
#include <qpdf/qpdf-c.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unit/support.h"
#include "workbook.h"

#define COURSE "courses/fruitful-client-relations/course.xml"

static char *tmp;

static void setup(void) { tmp = wb_test_tmpdir(); }

static void teardown(void)
{
    wb_test_rmtree(tmp);
    free(tmp);
}

/* Runs a command; fails the test unless it exits 0; returns its output. */
#define run(...) wb_test_run_ok(true, __VA_ARGS__)

static char *build(const char *course, const char *extra, const char *name)
{
    char *path = g_strdup_printf("%s/%s.pdf", tmp, name);
    free(run("'%s' build '%s' %s -q -o '%s'", wb_test_bin(), wb_test_path(course), extra, path));
    return path;
}

/* NFKC, no white space, no hyphens: line breaks and hyphenation do not count. */
static char *normalise(const char *s)
{
    char *n = g_utf8_normalize(s, -1, G_NORMALIZE_ALL_COMPOSE);
    GString *o = g_string_new(NULL);
    for (const char *p = n; p && *p; p = g_utf8_next_char(p)) {
        gunichar c = g_utf8_get_char(p);
        if (g_unichar_isspace(c) || c == 0xAD || c == '-' || c == 0x2010 || c == 0x2011 || c == 0x200B ||
            c == 0xA0 || c == 0x202F || c == 0x2009 || c == 0xFFFC)
            continue;
        g_string_append_unichar(o, c);
    }
    g_free(n);
    return g_string_free(o, FALSE);
}

static bool inside(xmlNodePtr n, const char *const *names)
{
    for (; n && n->type == XML_ELEMENT_NODE; n = n->parent)
        for (int i = 0; names[i]; i++)
            if (!strcmp((const char *)n->name, names[i]))
                return true;
    return false;
}

/* Nodes of the English course (as the participant workbook keeps it) an XPath selects. */
static xmlDocPtr course_doc(wb_ctx **ctx)
{
    *ctx = wb_ctx_new();
    wb_profile prof = {.lang = "en", .edition = "participant"};
    xmlDocPtr doc = wb_load_course(*ctx, wb_test_path(COURSE), &prof, wb_test_path("styles/course.rng"));
    ck_assert_msg(doc != NULL, "course does not load");
    return doc;
}

/* The text of the structure tree, in its order (the quoted lines of pdfinfo -struct-text). */
static char *struct_text(const char *pdf)
{
    char *out = run("pdfinfo -struct-text '%s'", pdf);
    GString *s = g_string_new(NULL);
    char **lines = g_strsplit(out, "\n", -1);
    for (char **l = lines; *l; l++) {
        char *q = strchr(*l, '"');
        char *e = q ? strrchr(*l, '"') : NULL;
        if (q && e > q)
            g_string_append_len(s, q + 1, e - q - 1);
    }
    g_strfreev(lines);
    free(out);
    return g_string_free(s, FALSE);
}

static int count_lines(const char *text, const char *regex)
{
    GRegex *re = g_regex_new(regex, G_REGEX_MULTILINE, 0, NULL);
    GMatchInfo *m = NULL;
    int n = 0;
    g_regex_match(re, text, 0, &m);
    while (g_match_info_matches(m)) {
        n++;
        g_match_info_next(m, NULL);
    }
    g_match_info_free(m);
    g_regex_unref(re);
    return n;
}

START_TEST(structure_covers_every_paragraph)
{
    char *pdf = build(COURSE, "--lang en", "book");
    char *info = run("pdfinfo '%s'", pdf);
    ck_assert_msg(strstr(info, "Tagged:          yes"), "%s", info);
    free(info);
    char *norm = struct_text(pdf);
    char *text = normalise(norm);
    g_free(norm);
    /* every paragraph's text, in the course's order */
    wb_ctx *ctx;
    xmlDocPtr doc = course_doc(&ctx);
    static const char *const hidden[] = {"trainer-note", "model-answer", "explanation", "timing", "meta", "debrief", "brief", NULL};
    xmlXPathContextPtr xp = xmlXPathNewContext(doc);
    xmlXPathObjectPtr res = xmlXPathEvalExpression(BAD_CAST "//para//text()[not(ancestor::q) and not(ancestor::xref)]", xp);
    const char *at = text;
    int checked = 0;
    for (int i = 0; res->nodesetval && i < res->nodesetval->nodeNr; i++) {
        xmlNodePtr t = res->nodesetval->nodeTab[i];
        if (inside(t->parent, hidden))
            continue;
        char *f = normalise((const char *)t->content);
        if (g_utf8_strlen(f, -1) >= 12) {
            const char *hit = strstr(at, f);
            ck_assert_msg(hit, "paragraph text %s in the structure tree: \"%s\"", strstr(text, f) ? "out of order" : "missing", f);
            at = hit + strlen(f);
            checked++;
        }
        g_free(f);
    }
    ck_assert_int_gt(checked, 100);
    xmlXPathFreeObject(res);
    /* the alt of each image is the /Alt of a Figure */
    res = xmlXPathEvalExpression(BAD_CAST "//image/@alt", xp);
    GPtrArray *alts = g_ptr_array_new_with_free_func(xmlFree);
    for (int i = 0; res->nodesetval && i < res->nodesetval->nodeNr; i++)
        g_ptr_array_add(alts, xmlNodeGetContent(res->nodesetval->nodeTab[i]));
    xmlXPathFreeObject(res);
    res = xmlXPathEvalExpression(BAD_CAST "count(//module)", xp);
    int modules = (int)res->floatval;
    xmlXPathFreeObject(res);
    xmlXPathFreeContext(xp);
    xmlFreeDoc(doc);
    wb_ctx_free(ctx);
    g_free(text);

    /* the elements */
    char *tree = run("pdfinfo -struct-text '%s'", pdf);
    ck_assert_int_eq(count_lines(tree, "^Document$"), 1);
    ck_assert_int_eq(count_lines(tree, "^ *H1\\b"), modules);
    ck_assert_int_ge(count_lines(tree, "^ *H2\\b"), modules);
    ck_assert_int_ge(count_lines(tree, "^ *Sect\\b"), modules);
    static const char *const kinds[] = {"L", "LI", "Lbl", "LBody", "Table", "TR", "TH", "TD", "Figure", "Link", "P"};
    for (size_t i = 0; i < G_N_ELEMENTS(kinds); i++) {
        char *re = g_strdup_printf("^ *%s\\b", kinds[i]);
        ck_assert_msg(count_lines(tree, re) > 0, "no %s element", kinds[i]);
        g_free(re);
    }
    ck_assert_msg(!count_lines(tree, "^ *(Private|Artifact)\\b"), "artifacts in the tree");
    free(tree);

    /* /Alt and the title in the window, with libqpdf */
    qpdf_data q = qpdf_init();
    qpdf_silence_errors(q);
    ck_assert(!(qpdf_read(q, pdf, NULL) & QPDF_ERRORS));
    qpdf_oh root = qpdf_get_root(q);
    ck_assert(qpdf_oh_get_bool_value(q, qpdf_oh_get_key(q, qpdf_oh_get_key(q, root, "/ViewerPreferences"), "/DisplayDocTitle")));
    ck_assert(qpdf_oh_get_bool_value(q, qpdf_oh_get_key(q, qpdf_oh_get_key(q, root, "/MarkInfo"), "/Marked")));
    GArray *stack = g_array_new(FALSE, FALSE, sizeof(qpdf_oh));
    qpdf_oh k = qpdf_oh_get_key(q, qpdf_oh_get_key(q, root, "/StructTreeRoot"), "/K");
    g_array_append_val(stack, k);
    guint found = 0;
    while (stack->len) {
        qpdf_oh n = g_array_index(stack, qpdf_oh, stack->len - 1);
        g_array_set_size(stack, stack->len - 1);
        if (qpdf_oh_is_array(q, n)) {
            for (int i = qpdf_oh_get_array_n_items(q, n) - 1; i >= 0; i--) {
                qpdf_oh c = qpdf_oh_get_array_item(q, n, i);
                g_array_append_val(stack, c);
            }
        } else if (qpdf_oh_is_dictionary(q, n) && qpdf_oh_has_key(q, n, "/S")) {
            if (qpdf_oh_is_name_and_equals(q, qpdf_oh_get_key(q, n, "/S"), "/Figure")) {
                ck_assert_uint_lt(found, alts->len);
                const char *alt = qpdf_oh_get_utf8_value(q, qpdf_oh_get_key(q, n, "/Alt"));
                ck_assert_str_eq(alt, (const char *)g_ptr_array_index(alts, found));
                found++;
            }
            qpdf_oh c = qpdf_oh_get_key(q, n, "/K");
            g_array_append_val(stack, c);
        }
    }
    ck_assert_uint_eq(found, alts->len);
    ck_assert_uint_gt(found, 0);
    g_array_free(stack, TRUE);
    g_ptr_array_free(alts, TRUE);
    qpdf_cleanup(&q);
    free(run("qpdf --check '%s'", pdf));
    g_free(pdf);
}
END_TEST

START_TEST(running_heads_are_artifacts)
{
    char *pdf = build(COURSE, "--lang en", "book");
    /* "Page 2 of 21" is printed (pdftotext) but not in the structure tree */
    char *printed = run("pdftotext -enc UTF-8 '%s' -", pdf);
    ck_assert_msg(g_regex_match_simple("Page [0-9]+ of [0-9]+", printed, 0, 0), "%s", printed);
    free(printed);
    char *tree = struct_text(pdf);
    ck_assert_msg(!g_regex_match_simple("Page [0-9]+ of [0-9]+", tree, 0, 0), "a page number in the structure tree");
    g_free(tree);
    /* marked as artifacts in the page content */
    char *qdf = g_strdup_printf("%s/book.qdf", tmp);
    free(run("qpdf --qdf --object-streams=disable '%s' '%s'", pdf, qdf));
    long len = 0;
    char *raw = wb_test_read(qdf, &len);
    ck_assert_ptr_nonnull(raw);
    ck_assert_msg(memmem(raw, (size_t)len, "/Artifact BMC", 13), "no artifact in the content");
    ck_assert_msg(!memmem(raw, (size_t)len, "/Private", 8), "cairo's stand-in for artifacts is left");
    free(raw);
    g_free(qdf);
    g_free(pdf);
}
END_TEST

START_TEST(languages)
{
    /* the catalog's language per edition */
    char *pdf = build(COURSE, "--lang ru", "ru");
    qpdf_data q = qpdf_init();
    qpdf_silence_errors(q);
    ck_assert(!(qpdf_read(q, pdf, NULL) & QPDF_ERRORS));
    ck_assert_str_eq(qpdf_oh_get_utf8_value(q, qpdf_oh_get_key(q, qpdf_get_root(q), "/Lang")), "ru");
    qpdf_cleanup(&q);
    g_free(pdf);
    /* a block in another language than the document: its element says so */
    char *fo = g_strdup_printf("%s/lang.fo", tmp);
    FILE *f = fopen(fo, "w");
    ck_assert_ptr_nonnull(f);
    fputs("<fo:root xmlns:fo=\"http://www.w3.org/1999/XSL/Format\" xml:lang=\"en\">"
          "<fo:layout-master-set><fo:simple-page-master master-name=\"p\" page-width=\"200pt\" page-height=\"200pt\">"
          "<fo:region-body margin=\"20pt\"/></fo:simple-page-master></fo:layout-master-set>"
          "<fo:page-sequence master-reference=\"p\"><fo:flow flow-name=\"xsl-region-body\">"
          "<fo:block>An English paragraph.</fo:block>"
          "<fo:block xml:lang=\"fr\">Un paragraphe en français.</fo:block>"
          "</fo:flow></fo:page-sequence></fo:root>", f);
    fclose(f);
    char *lpdf = g_strdup_printf("%s/lang.pdf", tmp);
    free(run("'%s' render '%s' --tagged -q -o '%s'", wb_test_bin(), fo, lpdf));
    q = qpdf_init();
    qpdf_silence_errors(q);
    ck_assert(!(qpdf_read(q, lpdf, NULL) & QPDF_ERRORS));
    qpdf_oh doc = qpdf_oh_get_key(q, qpdf_oh_get_key(q, qpdf_get_root(q), "/StructTreeRoot"), "/K");
    if (qpdf_oh_is_array(q, doc))
        doc = qpdf_oh_get_array_item(q, doc, 0);
    qpdf_oh kids = qpdf_oh_get_key(q, doc, "/K");
    ck_assert_int_eq(qpdf_oh_get_array_n_items(q, kids), 2);
    ck_assert(!qpdf_oh_has_key(q, qpdf_oh_get_array_item(q, kids, 0), "/Lang"));
    ck_assert_str_eq(qpdf_oh_get_utf8_value(q, qpdf_oh_get_key(q, qpdf_oh_get_array_item(q, kids, 1), "/Lang")), "fr");
    qpdf_cleanup(&q);
    /* without --tagged, FO from elsewhere is rendered untagged, as FOP does */
    free(run("'%s' render '%s' -q -o '%s'", wb_test_bin(), fo, lpdf));
    char *info = run("pdfinfo '%s'", lpdf);
    ck_assert_msg(strstr(info, "Tagged:          no"), "%s", info);
    free(info);
    g_free(lpdf);
    g_free(fo);
}
END_TEST

/* The structure elements below n (a /K value), depth first, into out. */
static void elements(qpdf_data q, qpdf_oh n, GArray *out)
{
    if (qpdf_oh_is_array(q, n)) {
        for (int i = 0; i < qpdf_oh_get_array_n_items(q, n); i++)
            elements(q, qpdf_oh_get_array_item(q, n, i), out);
    } else if (qpdf_oh_is_dictionary(q, n) && qpdf_oh_has_key(q, n, "/S")) {
        g_array_append_val(out, n);
        elements(q, qpdf_oh_get_key(q, n, "/K"), out);
    }
}

/* The structure tree's elements in order, each as "Role lang text": the role and /Lang ("-"
 * for none) as libqpdf reads them, the text (normalised) as poppler does (pdfinfo
 * -struct-text, which lists the same elements in the same order, each's text after it). */
static GPtrArray *tree_elements(const char *pdf)
{
    GPtrArray *roles = g_ptr_array_new_with_free_func(g_free), *texts = g_ptr_array_new_with_free_func(g_free);
    char *tree = run("pdfinfo -struct-text '%s'", pdf);
    char **lines = g_strsplit(tree, "\n", -1);
    bool object = false; /* poppler lists an object reference (a link's annotation) as "Object" */
    for (char **l = lines; *l; l++) {
        char *q = strchr(*l, '"'), *e = q ? strrchr(*l, '"') : NULL;
        if (q && e > q && texts->len && !object) {
            char *t = g_strndup(q + 1, (gsize)(e - q - 1));
            g_free(g_ptr_array_index(texts, texts->len - 1));
            g_ptr_array_index(texts, texts->len - 1) = normalise(t);
            g_free(t);
        } else if (*g_strstrip(*l) && !(q && e > q)) {
            object = g_str_has_prefix(*l, "Object");
            if (object)
                continue;
            g_ptr_array_add(roles, g_strndup(*l, strcspn(*l, " ")));
            g_ptr_array_add(texts, g_strdup(""));
        }
    }
    g_strfreev(lines);
    free(tree);
    qpdf_data q = qpdf_init();
    qpdf_silence_errors(q);
    ck_assert(!(qpdf_read(q, pdf, NULL) & QPDF_ERRORS));
    GArray *els = g_array_new(FALSE, FALSE, sizeof(qpdf_oh));
    elements(q, qpdf_oh_get_key(q, qpdf_oh_get_key(q, qpdf_get_root(q), "/StructTreeRoot"), "/K"), els);
    ck_assert_uint_eq(els->len, roles->len);
    GPtrArray *out = g_ptr_array_new_with_free_func(g_free);
    for (guint i = 0; i < els->len; i++) {
        qpdf_oh e = g_array_index(els, qpdf_oh, i);
        /* the C API's strings last until its next call */
        char *role = g_strdup(qpdf_oh_get_name(q, qpdf_oh_get_key(q, e, "/S")) + 1);
        ck_assert_str_eq(role, g_ptr_array_index(roles, i));
        const char *lang = qpdf_oh_has_key(q, e, "/Lang") ? qpdf_oh_get_utf8_value(q, qpdf_oh_get_key(q, e, "/Lang")) : "-";
        g_ptr_array_add(out, g_strdup_printf("%s %s %s", role, lang, (const char *)g_ptr_array_index(texts, i)));
        g_free(role);
    }
    g_array_free(els, TRUE);
    qpdf_cleanup(&q);
    g_ptr_array_free(roles, TRUE);
    g_ptr_array_free(texts, TRUE);
    return out;
}

/* A phrase in another language inside a paragraph (tests/data/e2e/lang-inline.fo) is a Span
 * with its /Lang between the paragraph's own Spans, in reading order, and the paragraph's text
 * is whole: the French phrase goes on over a line break in one Span, and is two around the
 * English word inside it. */
START_TEST(language_of_a_phrase)
{
    char *pdf = g_strdup_printf("%s/phrases.pdf", tmp);
    free(run("'%s' render '%s' --tagged -q -o '%s'", wb_test_bin(), wb_test_path("tests/data/e2e/lang-inline.fo"), pdf));
    free(run("qpdf --check '%s'", pdf));
    static const char *const want[] = {
        "Document - ", "P - ", "Span - Beforetheservicethechefremindseveryonethat", "Span fr lamiseenplace,",
        "Span - prep", "Span fr pourlesAnglais,estlaclé", "Span - ofacalmevening;theRussianteamcallsit",
        "Span ru подготовка", "Span - andstartsearly.",
        "P fr ", "Span - Lechefl’appelle", "Span en thegoldenhour", "Span - avantleservice."};
    GPtrArray *got = tree_elements(pdf);
    for (guint i = 0; i < MIN(got->len, G_N_ELEMENTS(want)); i++)
        ck_assert_str_eq(g_ptr_array_index(got, i), want[i]);
    ck_assert_uint_eq(got->len, G_N_ELEMENTS(want));
    g_ptr_array_free(got, TRUE);
    g_free(pdf);
}
END_TEST

/* The course's <foreign lang>: the French edition quotes two English words, each a Span with
 * /Lang en inside its paragraph. */
START_TEST(foreign_phrase_of_a_course)
{
    char *pdf = build(COURSE, "--lang fr", "fr");
    GPtrArray *got = tree_elements(pdf);
    int english = 0;
    for (guint i = 0; i < got->len; i++) {
        const char *e = g_ptr_array_index(got, i);
        if (g_str_has_prefix(e, "Span en ")) {
            ck_assert_msg(!strcmp(e, "Span en customer") || !strcmp(e, "Span en client"), "%s", e);
            ck_assert_str_eq(g_ptr_array_index(got, i - 1), english ? "Span - du" : "Span - Lefrançaisn’aqu’unmotlàoùd’autreslanguesenontdeux(l’anglaisdistinguele");
            english++;
        } else {
            ck_assert_msg(!strstr(e, "customer"), "%s", e);
        }
    }
    ck_assert_int_eq(english, 2);
    g_ptr_array_free(got, TRUE);
    g_free(pdf);
}
END_TEST

/* Any XML with a stylesheet of one's own (a mail merge): untagged unless --tagged, as render;
 * a course's edition always tagged (the other tests). */
START_TEST(own_stylesheet_tagged_when_asked)
{
    char *xml = g_strdup_printf("%s/letters.xml", tmp), *xsl = g_strdup_printf("%s/letter.xsl", tmp);
    FILE *f = fopen(xml, "w");
    ck_assert_ptr_nonnull(f);
    fputs("<letters><letter>Dear reader, a letter.</letter></letters>", f);
    fclose(f);
    f = fopen(xsl, "w");
    ck_assert_ptr_nonnull(f);
    fputs("<xsl:stylesheet version='1.0' xmlns:xsl='http://www.w3.org/1999/XSL/Transform'"
          " xmlns:fo='http://www.w3.org/1999/XSL/Format'><xsl:template match='/'>"
          "<fo:root xml:lang='en'><fo:layout-master-set><fo:simple-page-master master-name='p' page-width='200pt'"
          " page-height='200pt'><fo:region-body margin='20pt'/></fo:simple-page-master></fo:layout-master-set>"
          "<fo:page-sequence master-reference='p'><fo:flow flow-name='xsl-region-body'>"
          "<xsl:for-each select='//letter'><fo:block><xsl:value-of select='.'/></fo:block></xsl:for-each>"
          "</fo:flow></fo:page-sequence></fo:root></xsl:template></xsl:stylesheet>", f);
    fclose(f);
    char *pdf = g_strdup_printf("%s/letters.pdf", tmp);
    const char *asks[] = {"", "--tagged"}, *want[] = {"Tagged:          no", "Tagged:          yes"};
    for (int i = 0; i < 2; i++) {
        free(run("'%s' build '%s' --style '%s' %s -q -o '%s'", wb_test_bin(), xml, xsl, asks[i], pdf));
        char *info = run("pdfinfo '%s'", pdf);
        ck_assert_msg(strstr(info, want[i]), "%s: %s", asks[i], info);
        free(info);
    }
    g_free(pdf);
    g_free(xsl);
    g_free(xml);
}
END_TEST

START_TEST(image_without_alt_warns)
{
    free(run("cp -r '%s' '%s/course'", wb_test_path("courses/fruitful-client-relations"), tmp));
    /* the first image of the English modules loses its alt */
    char *where = run("grep -n -m1 '<image' '%s/course/modules/clients.en.xml'", tmp);
    int line = atoi(where);
    ck_assert_int_gt(line, 0);
    free(where);
    free(run("sed -i '%ds/ alt=\"[^\"]*\"//' '%s/course/modules/clients.en.xml'", line, tmp));
    char *out = NULL;
    char *cmd = g_strdup_printf("'%s' build '%s/course/course.xml' --lang en -o '%s/x.pdf'", wb_test_bin(), tmp, tmp);
    int rc = wb_test_run(cmd, &out, true);
    ck_assert_int_eq(rc, 0);
    char *re = g_strdup_printf("clients\\.en\\.xml:%d:[0-9]+: warning: <image> without alt", line);
    ck_assert_msg(g_regex_match_simple(re, out, 0, 0), "%s", out);
    ck_assert_int_eq(count_lines(out, "without alt"), 1);
    g_free(re);
    free(out);
    g_free(cmd);
}
END_TEST

/* The value of an XPath over the XMP packet, or "" (caller frees with g_free). */
static char *xmp_value(xmlDocPtr xmp, const char *path)
{
    xmlXPathContextPtr xp = xmlXPathNewContext(xmp);
    xmlXPathRegisterNs(xp, BAD_CAST "rdf", BAD_CAST "http://www.w3.org/1999/02/22-rdf-syntax-ns#");
    xmlXPathRegisterNs(xp, BAD_CAST "dc", BAD_CAST "http://purl.org/dc/elements/1.1/");
    xmlXPathRegisterNs(xp, BAD_CAST "xmp", BAD_CAST "http://ns.adobe.com/xap/1.0/");
    xmlXPathRegisterNs(xp, BAD_CAST "pdf", BAD_CAST "http://ns.adobe.com/pdf/1.3/");
    xmlXPathRegisterNs(xp, BAD_CAST "pdfaid", BAD_CAST "http://www.aiim.org/pdfa/ns/id/");
    char *expr = g_strdup_printf("string(%s)", path);
    xmlXPathObjectPtr r = xmlXPathEvalExpression(BAD_CAST expr, xp);
    char *v = g_strdup(r && r->stringval ? (const char *)r->stringval : "");
    xmlXPathFreeObject(r);
    xmlXPathFreeContext(xp);
    g_free(expr);
    return v;
}

static void assert_info_is_xmp(qpdf_data q, xmlDocPtr xmp, const char *key, const char *path)
{
    const char *info = qpdf_oh_get_utf8_value(q, qpdf_oh_get_key(q, qpdf_oh_get_key(q, qpdf_get_trailer(q), "/Info"), key));
    char *x = xmp_value(xmp, path);
    ck_assert_msg(info && *info, "no %s in the document information", key);
    ck_assert_msg(!strcmp(info, x), "%s \"%s\" is \"%s\" in the XMP", key, info, x);
    g_free(x);
}

START_TEST(pdfa_metadata_and_output_intent)
{
    char *pdf = build("courses/keeping-promises/course.xml", "-p pdfa=yes -p fillable=yes", "archive");
    free(run("qpdf --check '%s'", pdf));
    qpdf_data q = qpdf_init();
    qpdf_silence_errors(q);
    ck_assert(!(qpdf_read(q, pdf, NULL) & QPDF_ERRORS));
    qpdf_oh root = qpdf_get_root(q);
    /* the XMP packet, uncompressed */
    qpdf_oh meta = qpdf_oh_get_key(q, root, "/Metadata");
    ck_assert(qpdf_oh_is_stream(q, meta));
    ck_assert(!qpdf_oh_has_key(q, qpdf_oh_get_dict(q, meta), "/Filter"));
    unsigned char *buf = NULL;
    size_t len = 0;
    ck_assert_int_eq(qpdf_oh_get_stream_data(q, meta, qpdf_dl_none, NULL, &buf, &len), QPDF_SUCCESS);
    xmlDocPtr xmp = xmlReadMemory((const char *)buf, (int)len, "xmp", NULL, XML_PARSE_NONET);
    free(buf);
    ck_assert_ptr_nonnull(xmp);
    char *part = xmp_value(xmp, "//pdfaid:part"), *conf = xmp_value(xmp, "//pdfaid:conformance");
    ck_assert_str_eq(part, "2");
    ck_assert_str_eq(conf, "B");
    g_free(part);
    g_free(conf);
    /* the same values as the document information dictionary */
    assert_info_is_xmp(q, xmp, "/Title", "//dc:title/rdf:Alt/rdf:li");
    assert_info_is_xmp(q, xmp, "/Author", "//dc:creator/rdf:Seq/rdf:li");
    assert_info_is_xmp(q, xmp, "/Subject", "//dc:description/rdf:Alt/rdf:li");
    assert_info_is_xmp(q, xmp, "/Creator", "//xmp:CreatorTool");
    assert_info_is_xmp(q, xmp, "/Producer", "//pdf:Producer");
    qpdf_oh info = qpdf_oh_get_key(q, qpdf_get_trailer(q), "/Info");
    ck_assert_str_eq(qpdf_oh_get_utf8_value(q, qpdf_oh_get_key(q, info, "/CreationDate")), "D:20261123000000Z");
    char *created = xmp_value(xmp, "//xmp:CreateDate"), *modified = xmp_value(xmp, "//xmp:ModifyDate");
    ck_assert_str_eq(created, "2026-11-23T00:00:00Z");
    ck_assert_str_eq(modified, "2026-11-23T00:00:00Z");
    g_free(created);
    g_free(modified);
    xmlFreeDoc(xmp);
    /* the sRGB output intent */
    qpdf_oh intent = qpdf_oh_get_array_item(q, qpdf_oh_get_key(q, root, "/OutputIntents"), 0);
    ck_assert_str_eq(qpdf_oh_get_name(q, qpdf_oh_get_key(q, intent, "/S")), "/GTS_PDFA1");
    qpdf_oh icc = qpdf_oh_get_key(q, intent, "/DestOutputProfile");
    ck_assert_int_eq(qpdf_oh_get_int_value(q, qpdf_oh_get_key(q, qpdf_oh_get_dict(q, icc), "/N")), 3);
    ck_assert_int_eq(qpdf_oh_get_stream_data(q, icc, qpdf_dl_generalized, NULL, &buf, &len), QPDF_SUCCESS);
    ck_assert_uint_gt(len, 128);
    ck_assert_msg(!memcmp(buf + 36, "acsp", 4), "not an ICC profile");
    ck_assert_msg(!memcmp(buf + 16, "RGB ", 4), "not an RGB profile");
    free(buf);
    /* annotations printable (links and form widgets) */
    int annots = 0;
    for (int p = 0; p < qpdf_get_num_pages(q); p++) {
        qpdf_oh a = qpdf_oh_get_key(q, qpdf_get_page_n(q, (size_t)p), "/Annots");
        for (int i = 0; qpdf_oh_is_array(q, a) && i < qpdf_oh_get_array_n_items(q, a); i++) {
            long long f = qpdf_oh_get_int_value(q, qpdf_oh_get_key(q, qpdf_oh_get_array_item(q, a, i), "/F"));
            ck_assert_msg((f & 4) && !(f & 35), "annotation flags %lld", f);
            annots++;
        }
    }
    ck_assert_int_gt(annots, 10);
    qpdf_cleanup(&q);
    /* every font embedded (the pages'; the form's is checked in test_forms) */
    char *fonts = run("pdffonts '%s' | tail -n +3", pdf);
    ck_assert_msg(*fonts && !g_regex_match_simple(" no +(yes|no) +(yes|no) +[0-9]+ +[0-9]+$", fonts, G_REGEX_MULTILINE, 0), "%s", fonts);
    free(fonts);
    g_free(pdf);

    /* nothing of it unless asked */
    pdf = build("courses/keeping-promises/course.xml", "", "plain");
    q = qpdf_init();
    qpdf_silence_errors(q);
    ck_assert(!(qpdf_read(q, pdf, NULL) & QPDF_ERRORS));
    ck_assert(!qpdf_oh_has_key(q, qpdf_get_root(q), "/Metadata"));
    ck_assert(!qpdf_oh_has_key(q, qpdf_get_root(q), "/OutputIntents"));
    qpdf_cleanup(&q);
    g_free(pdf);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("tagged");
    TCase *tc = tcase_create("tagged");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, structure_covers_every_paragraph);
    tcase_add_test(tc, running_heads_are_artifacts);
    tcase_add_test(tc, languages);
    tcase_add_test(tc, language_of_a_phrase);
    tcase_add_test(tc, foreign_phrase_of_a_course);
    tcase_add_test(tc, own_stylesheet_tagged_when_asked);
    tcase_add_test(tc, image_without_alt_warns);
    tcase_add_test(tc, pdfa_metadata_and_output_intent);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return wb_test_main(suite()); }
