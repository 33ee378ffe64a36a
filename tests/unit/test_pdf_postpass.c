/* Unit tests of src/pdf/postpass.c: PDFs made by cairo (with its quirks: unwritten objects
 * for link annotations, repeated resource names) and by hand, run through the post-pass and
 * checked afterwards with qpdf (structure, the catalog) and pdfinfo (still readable).  Its
 * steps on their own: form fields (fields.c: the field tree of dotted names, radio groups,
 * bad fields refused), structure (tags.c: a tree that is not the tags' refused) and PDF/A
 * (pdfa.c). */
#include "pdf/postpass.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <check.h>
#include <glib.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "unit/support.h"

/* cairo's toy text API loads fontconfig, which keeps its configuration for the life of the
 * process; when LeakSanitizer runs (the project's runner turns it off, a hand-built test does
 * not) only that is excused, not leaks of ours. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
    return "leak:libfontconfig.so\n";
}

/* ---- helpers ---- */

typedef struct {
    char *dir, *in, *out;
} files;

static files files_new(void)
{
    files f;
    f.dir = wb_test_tmpdir();
    ck_assert_ptr_nonnull(f.dir);
    f.in = g_strdup_printf("%s/in.pdf", f.dir);
    f.out = g_strdup_printf("%s/out.pdf", f.dir);
    return f;
}

static void files_free(files *f)
{
    char *cmd = g_strdup_printf("rm -rf '%s'", f->dir);
    ck_assert_int_eq(wb_test_run(cmd, NULL, false), 0);
    g_free(cmd);
    free(f->dir);
    g_free(f->in);
    g_free(f->out);
}

static bool exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

static void write_bytes(const char *path, const char *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    ck_assert_uint_eq(fwrite(data, 1, len, f), len);
    ck_assert_int_eq(fclose(f), 0);
}

static char *read_bytes(const char *path, size_t *len)
{
    long n = 0;
    char *data = wb_test_read(path, &n);
    ck_assert_msg(data != NULL, "cannot read %s", path);
    *len = (size_t)n;
    return data;
}

/* Runs a command made of fmt and one path; its output (stderr too) in *out, caller frees.
 * Not inlined: GCC 12 then takes *out for a pointer into a dead local. */
__attribute__((noinline)) static int runf(char **out, const char *fmt, const char *path)
{
    char *cmd = g_strdup_printf(fmt, path);
    char *text = NULL;
    int st = wb_test_run(cmd, &text, true);
    g_free(cmd);
    if (out)
        *out = text;
    else
        free(text);
    return st;
}

static void assert_contains(const char *hay, const char *needle)
{
    ck_assert_msg(strstr(hay, needle) != NULL, "\"%s\" not in:\n%s", needle, hay);
}

static void assert_lacks(const char *hay, const char *needle)
{
    ck_assert_msg(strstr(hay, needle) == NULL, "\"%s\" unexpectedly in:\n%s", needle, hay);
}

/* qpdf --check finds nothing at all (exit 0; 2 is errors, 3 warnings). */
static void assert_qpdf_clean(const char *path)
{
    char *out;
    int st = runf(&out, "qpdf --check '%s'", path);
    ck_assert_msg(st == 0, "qpdf --check %s: exit %d\n%s", path, st, out);
    assert_lacks(out, "WARNING");
    free(out);
}

/* pdfinfo still reads the file: exit 0, and `expect` in what it says. */
static void assert_pdfinfo(const char *path, const char *expect)
{
    char *out;
    int st = runf(&out, "pdfinfo '%s'", path);
    ck_assert_msg(st == 0, "pdfinfo %s: exit %d\n%s", path, st, out);
    assert_contains(out, "Pages:");
    if (expect)
        assert_contains(out, expect);
    free(out);
}

/* The catalog as qpdf shows it, e.g. "<< /Lang (fr) /Pages 1 0 R /Type /Catalog >>". */
static char *qpdf_catalog(const char *path)
{
    char *trailer;
    ck_assert_int_eq(runf(&trailer, "qpdf --show-object=trailer '%s'", path), 0);
    const char *root = strstr(trailer, "/Root ");
    ck_assert_ptr_nonnull(root);
    int num = atoi(root + 6);
    ck_assert_int_gt(num, 0);
    free(trailer);
    char *cmd = g_strdup_printf("qpdf --show-object=%d '%%s'", num);
    char *cat;
    ck_assert_int_eq(runf(&cat, cmd, path), 0);
    g_free(cmd);
    return cat;
}

static wb_status postpass(wb_ctx *ctx, const char *in, const char *out, const char *lang)
{
    wb_pdf_options opts = {.lang = lang};
    return wb_pdf_postpass(ctx, in, out, &opts);
}

/* The post-pass succeeded without a word: cairo's quirks give no warning. */
static void assert_quiet_success(wb_ctx *ctx, wb_status st)
{
    size_t n = 0;
    wb_ctx_diagnostics(ctx, &n);
    char *text = test_diags_text(ctx);
    ck_assert_msg(st == WB_OK && n == 0, "status %d, diagnostics: %s", st, text);
    free(text);
}

/* The post-pass failed with `want`, said so in an error naming `name`, and wrote nothing. */
static void assert_failed(wb_ctx *ctx, wb_status st, wb_status want, const char *name, const char *out)
{
    char *text = test_diags_text(ctx);
    ck_assert_msg(st == want, "status %d, want %d: %s", st, want, text);
    ck_assert_int_eq(wb_ctx_status(ctx), want);
    const wb_diagnostic *d = NULL;
    ck_assert_msg(test_count_diags(ctx, WB_SEV_ERROR, "", &d) >= 1, "no error: %s", text);
    ck_assert_msg(d->file && !strcmp(d->file, name), "the error names %s, not %s", d->file ? d->file : "nothing",
                  name);
    ck_assert_msg(!exists(out), "%s was written", out);
    free(text);
}

/* What cairo draws: an outline, text, and on request links with destinations (cairo 1.16
 * reserves objects for them that it never writes) and an image drawn twice on a page (named
 * twice in the page's resources).  The dates are fixed, so that two runs give the same
 * bytes. */
enum { WITH_LINKS = 1, WITH_IMAGE = 2 };

static void make_cairo_pdf(const char *path, int what)
{
    cairo_surface_t *s = cairo_pdf_surface_create(path, 595, 842);
    ck_assert_int_eq(cairo_surface_status(s), CAIRO_STATUS_SUCCESS);
    cairo_pdf_surface_restrict_to_version(s, CAIRO_PDF_VERSION_1_5);
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE, "Relations clients");
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATE_DATE, "2023-11-14T22:13:20Z");
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_MOD_DATE, "2023-11-14T22:13:20Z");
    cairo_t *cr = cairo_create(s);
    int top = cairo_pdf_surface_add_outline(s, CAIRO_PDF_OUTLINE_ROOT, "Introduction",
                                            (what & WITH_LINKS) ? "dest='intro'" : "page=1",
                                            CAIRO_PDF_OUTLINE_FLAG_OPEN);
    cairo_pdf_surface_add_outline(s, top, "Objectifs (1) >> \\ fin",
                                  (what & WITH_LINKS) ? "dest='goals'" : "page=2", 0);
    cairo_select_font_face(cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr, 12);
    for (int page = 1; page <= 2; page++) {
        if (what & WITH_LINKS) {
            cairo_tag_begin(cr, CAIRO_TAG_DEST, page == 1 ? "name='intro' x=72 y=60" : "name='goals' x=72 y=60");
            cairo_tag_end(cr, CAIRO_TAG_DEST);
            cairo_tag_begin(cr, CAIRO_TAG_LINK, "rect=[72 100 200 20] uri='https://example.org/relations'");
            cairo_tag_end(cr, CAIRO_TAG_LINK);
            cairo_tag_begin(cr, CAIRO_TAG_LINK, page == 1 ? "rect=[72 140 200 20] dest='goals'"
                                                          : "rect=[72 140 200 20] dest='intro'");
            cairo_tag_end(cr, CAIRO_TAG_LINK);
        }
        if ((what & WITH_IMAGE) && page == 1) {
            cairo_surface_t *img = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 8, 8);
            cairo_t *ic = cairo_create(img);
            cairo_set_source_rgb(ic, 0.8, 0.1, 0.1);
            cairo_paint(ic);
            cairo_destroy(ic);
            for (int i = 0; i < 2; i++) {
                cairo_save(cr);
                cairo_translate(cr, 72 + 100 * i, 300);
                cairo_scale(cr, 4 + i, 4);
                cairo_set_source_surface(cr, img, 0, 0);
                cairo_rectangle(cr, 0, 0, 8, 8);
                cairo_fill(cr);
                cairo_restore(cr);
            }
            cairo_surface_destroy(img);
        }
        cairo_move_to(cr, 72, 72);
        cairo_show_text(cr, page == 1 ? "Le développement de la relation client" : "Objectifs");
        cairo_show_page(cr);
    }
    cairo_destroy(cr);
    cairo_surface_finish(s);
    ck_assert_int_eq(cairo_surface_status(s), CAIRO_STATUS_SUCCESS);
    cairo_surface_destroy(s);
}

/* Hand-made PDFs: objects given as text, offsets computed, classic xref and trailer. */
typedef struct {
    char *buf;
    size_t len, cap;
    long offs[16];
} pdfbuf;

static void put(pdfbuf *b, const char *s)
{
    size_t n = strlen(s);
    if (b->len + n + 1 > b->cap) {
        b->cap = (b->len + n + 1) * 2;
        b->buf = realloc(b->buf, b->cap);
        ck_assert_ptr_nonnull(b->buf);
    }
    memcpy(b->buf + b->len, s, n + 1);
    b->len += n;
}

static void put_obj(pdfbuf *b, int num, const char *body)
{
    char head[32];
    b->offs[num] = (long)b->len;
    snprintf(head, sizeof head, "%d 0 obj\n", num);
    put(b, head);
    put(b, body);
    put(b, "\nendobj\n");
}

/* An xref section for objects first..last (all in use) and its trailer. */
static void put_xref(pdfbuf *b, int first, int last, const char *trailer_entries)
{
    char line[64];
    long xref = (long)b->len;
    put(b, "xref\n");
    snprintf(line, sizeof line, "%d %d\n", first, last - first + 1);
    put(b, line);
    for (int i = first; i <= last; i++) {
        if (i == 0)
            snprintf(line, sizeof line, "0000000000 65535 f \n");
        else
            snprintf(line, sizeof line, "%010ld 00000 n \n", b->offs[i]);
        put(b, line);
    }
    put(b, "trailer\n<< ");
    put(b, trailer_entries);
    put(b, " >>\nstartxref\n");
    snprintf(line, sizeof line, "%ld\n%%%%EOF\n", xref);
    put(b, line);
    b->offs[15] = xref; /* remembered for a later /Prev */
}

/* A catalog with nested dictionaries, strings holding ">>", "<<", ")" and "/Lang", a
 * comment, a hex string, and a /Lang of its own to be replaced. */
static const char hand_catalog[] =
    "<< /Type /Catalog /Pages 1 0 R\n"
    "   /Names << /Dests << /Names [(a>>b) [3 0 R /Fit]] >> >> % a comment >> /Lang (xx)\n"
    "   /MarkInfo << /Marked true >>\n"
    "   /Lang (en-US)\n"
    "   /ViewerPreferences<</DisplayDocTitle true/Direction/L2R>>\n"
    "   /PageMode /UseOutlines\n"
    "   /PageLabels << /Nums [0 << /S /D /P (p. \\) << /Lang) >>] >>\n"
    "   /Hex <414243>/Empty()/Arr[1 2 3 0 R<<>>[]]\n"
    ">>";

static void make_hand_pdf(pdfbuf *b, bool with_id)
{
    memset(b, 0, sizeof *b);
    put(b, "%PDF-1.4\n%\xe2\xe3\xcf\xd3\n");
    put_obj(b, 1, "<< /Type /Pages /Kids [3 0 R] /Count 1 >>");
    put_obj(b, 2, hand_catalog);
    put_obj(b, 3, "<< /Type /Page /Parent 1 0 R /MediaBox [0 0 200 200] >>");
    put_obj(b, 4, "<< /Producer (hand) /Title (Catalog test) >>");
    put_xref(b, 0, 4,
             with_id ? "/Size 5 /Root 2 0 R /Info 4 0 R /ID [<00112233445566778899AABBCCDDEEFF>"
                       "<00112233445566778899AABBCCDDEEFF>]"
                     : "/Size 5 /Root 2 0 R");
}

/* ---- the document language and the catalog ---- */

START_TEST(test_cairo_pdf)
{
    files f = files_new();
    make_cairo_pdf(f.in, 0);
    size_t in_len;
    char *in_bytes = read_bytes(f.in, &in_len);
    char *before = qpdf_catalog(f.in);
    assert_lacks(before, "/Lang");
    free(before);

    wb_ctx *ctx = wb_ctx_new();
    assert_quiet_success(ctx, postpass(ctx, f.in, f.out, "fr"));
    assert_qpdf_clean(f.out);
    assert_pdfinfo(f.out, "Relations clients");

    char *cat = qpdf_catalog(f.out);
    assert_contains(cat, "/Lang (fr)");
    /* every entry cairo wrote is still there */
    assert_contains(cat, "/Type /Catalog");
    assert_contains(cat, "/Pages ");
    assert_contains(cat, "/Outlines ");
    free(cat);

    /* qpdf's JSON view agrees, and the outline still resolves */
    char *json;
    ck_assert_int_eq(runf(&json, "qpdf --json '%s'", f.out), 0);
    assert_contains(json, "\"/Lang\": \"u:fr\"");
    free(json);
    char *outline;
    ck_assert_int_eq(runf(&outline, "qpdf --json --json-key=outlines '%s'", f.out), 0);
    assert_contains(outline, "Introduction");
    assert_contains(outline, "Objectifs (1) >> \\\\ fin");
    free(outline);

    /* the input is left as it was */
    size_t now_len;
    char *now = read_bytes(f.in, &now_len);
    ck_assert(now_len == in_len && !memcmp(now, in_bytes, in_len));
    free(now);
    free(in_bytes);
    wb_ctx_free(ctx);
    files_free(&f);
}
END_TEST

START_TEST(test_lang_text_strings)
{
    /* ASCII as a literal string; anything else UTF-16BE with a byte order mark, which qpdf
     * shows in hex */
    static const struct {
        const char *lang, *shown, *json;
    } cases[] = {
        {"bg", "/Lang (bg)", "u:bg"},
        {"ru-RU", "/Lang (ru-RU)", "u:ru-RU"},
        {"ру", "/Lang <feff04400443>", "u:ру"},
        /* a made-up tag: Latin-1, Greek, and outside the BMP (U+1F600 -> D83D DE00) */
        {"x-é-Ω-\xf0\x9f\x98\x80", "/Lang <feff0078002d00e9002d03a9002dd83dde00>", "u:x-é-Ω-\xf0\x9f\x98\x80"},
        /* ( ) and \ escaped in a literal string */
        {"a(b)c\\d", "/Lang (a\\(b\\)c\\\\d)", NULL},
    };
    files f = files_new();
    make_cairo_pdf(f.in, 0);
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        wb_ctx *ctx = wb_ctx_new();
        unlink(f.out);
        assert_quiet_success(ctx, postpass(ctx, f.in, f.out, cases[i].lang));
        assert_qpdf_clean(f.out);
        char *cat = qpdf_catalog(f.out);
        assert_contains(cat, cases[i].shown);
        free(cat);
        if (cases[i].json) {
            char *json, *want = g_strdup_printf("\"/Lang\": \"%s\"", cases[i].json);
            ck_assert_int_eq(runf(&json, "qpdf --json '%s'", f.out), 0);
            assert_contains(json, want);
            free(json);
            g_free(want);
        }
        assert_pdfinfo(f.out, "Relations clients");
        wb_ctx_free(ctx);
    }
    /* no language: no /Lang, the rest done all the same */
    const wb_pdf_options none[] = {{.lang = NULL}, {.lang = ""}};
    for (int i = 0; i < 3; i++) {
        wb_ctx *ctx = wb_ctx_new();
        unlink(f.out);
        assert_quiet_success(ctx, wb_pdf_postpass(ctx, f.in, f.out, i < 2 ? &none[i] : NULL));
        assert_qpdf_clean(f.out);
        char *cat = qpdf_catalog(f.out);
        assert_lacks(cat, "/Lang");
        assert_contains(cat, "/Outlines ");
        free(cat);
        wb_ctx_free(ctx);
    }
    files_free(&f);
}
END_TEST

START_TEST(test_hand_catalog)
{
    /* every entry of a catalog with nested dictionaries and tricky strings is kept; its own
     * /Lang is replaced */
    files f = files_new();
    pdfbuf b;
    make_hand_pdf(&b, true);
    write_bytes(f.in, b.buf, b.len);
    assert_qpdf_clean(f.in); /* the hand-made file is valid to begin with */

    wb_ctx *ctx = wb_ctx_new();
    assert_quiet_success(ctx, postpass(ctx, f.in, f.out, "fr"));
    assert_qpdf_clean(f.out);
    assert_pdfinfo(f.out, "Catalog test");
    char *cat = qpdf_catalog(f.out);
    assert_contains(cat, "/Lang (fr)");
    assert_lacks(cat, "en-US");
    assert_lacks(cat, "(xx)");
    /* the writer numbers objects anew: page references are matched around their numbers */
    assert_contains(cat, "/Names << /Dests << /Names [ (a>>b) [ ");
    assert_contains(cat, " 0 R /Fit ] ] >> >>");
    assert_contains(cat, "/MarkInfo << /Marked true >>");
    assert_contains(cat, "/ViewerPreferences << /Direction /L2R /DisplayDocTitle true >>");
    assert_contains(cat, "/PageMode /UseOutlines");
    assert_contains(cat, "/PageLabels << /Nums [ 0 << /P (p. \\) << /Lang) /S /D >> ] >>");
    assert_contains(cat, "/Hex (ABC)");
    assert_contains(cat, "/Empty ()");
    assert_contains(cat, "/Arr [ 1 2 ");
    assert_contains(cat, " 0 R << >> [ ] ]");
    free(cat);

    /* a new trailer: /Info, /Root, a two-part /ID */
    char *trailer;
    ck_assert_int_eq(runf(&trailer, "qpdf --show-object=trailer '%s'", f.out), 0);
    assert_contains(trailer, "/Info ");
    assert_contains(trailer, "/ID [ <");
    assert_lacks(trailer, "/Prev");
    free(trailer);
    free(b.buf);
    wb_ctx_free(ctx);
    files_free(&f);
}
END_TEST

START_TEST(test_catalog_in_older_section)
{
    /* an incremental update that changes only /Info: the catalog is found through /Prev, and
     * the output is one section again */
    files f = files_new();
    pdfbuf b;
    make_hand_pdf(&b, false);
    long first_xref = b.offs[15];
    put_obj(&b, 4, "<< /Producer (hand) /Title (Updated title) >>");
    char line[96];
    long xref = (long)b.len;
    put(&b, "xref\n4 1\n");
    snprintf(line, sizeof line, "%010ld 00000 n \n", b.offs[4]);
    put(&b, line);
    snprintf(line, sizeof line, "trailer\n<< /Size 5 /Root 2 0 R /Prev %ld /Info 4 0 R >>\n", first_xref);
    put(&b, line);
    snprintf(line, sizeof line, "startxref\n%ld\n%%%%EOF", xref); /* no final EOL */
    put(&b, line);
    write_bytes(f.in, b.buf, b.len);
    assert_qpdf_clean(f.in);

    wb_ctx *ctx = wb_ctx_new();
    assert_quiet_success(ctx, postpass(ctx, f.in, f.out, "bg"));
    assert_qpdf_clean(f.out);
    assert_pdfinfo(f.out, "Updated title");
    char *cat = qpdf_catalog(f.out);
    assert_contains(cat, "/Lang (bg)");
    assert_contains(cat, "/MarkInfo << /Marked true >>");
    free(cat);
    size_t len;
    char *out = read_bytes(f.out, &len);
    ck_assert_ptr_null(memmem(out, len, "/Prev", 5));
    ck_assert_ptr_null(memmem(out, len, "Catalog test", 12));
    free(out);
    free(b.buf);
    wb_ctx_free(ctx);
    files_free(&f);
}
END_TEST

START_TEST(test_other_inputs)
{
    /* what qpdf reads, the post-pass reads: cross-reference and object streams */
    files f = files_new();
    char *src = g_strdup_printf("%s/cairo.pdf", f.dir);
    make_cairo_pdf(src, WITH_LINKS);
    char *cmd = g_strdup_printf("qpdf --object-streams=generate '%s' '%%s'", src);
    ck_assert_int_ne(runf(NULL, cmd, f.in), 2);
    g_free(cmd);
    wb_ctx *ctx = wb_ctx_new();
    assert_quiet_success(ctx, postpass(ctx, f.in, f.out, "fr"));
    assert_qpdf_clean(f.out);
    char *cat = qpdf_catalog(f.out);
    assert_contains(cat, "/Lang (fr)");
    free(cat);
    wb_ctx_free(ctx);

    /* an encrypted file (cairo never writes one) is refused, not decrypted or mangled */
    unlink(f.out);
    cmd = g_strdup_printf("qpdf --encrypt '' owner 256 -- '%s' '%%s'", src);
    ck_assert_int_ne(runf(NULL, cmd, f.in), 2);
    g_free(cmd);
    ctx = wb_ctx_new();
    assert_failed(ctx, postpass(ctx, f.in, f.out, "fr"), WB_ERR_INTERNAL, f.in, f.out);
    test_count_diags(ctx, WB_SEV_ERROR, "encrypted", NULL);
    ck_assert_int_eq(test_count_diags(ctx, WB_SEV_ERROR, "encrypted", NULL), 1);
    wb_ctx_free(ctx);
    g_free(src);
    files_free(&f);
}
END_TEST

/* ---- cairo's quirks ---- */

START_TEST(test_links_and_unwritten_objects)
{
    files f = files_new();
    make_cairo_pdf(f.in, WITH_LINKS);
    /* the case is there: cairo's xref lists objects it never wrote */
    char *check;
    ck_assert_int_eq(runf(&check, "qpdf --check '%s'", f.in), 3);
    assert_contains(check, "0 obj");
    assert_contains(check, "expected ");
    free(check);

    wb_ctx *ctx = wb_ctx_new();
    assert_quiet_success(ctx, postpass(ctx, f.in, f.out, "fr"));
    assert_qpdf_clean(f.out);
    assert_pdfinfo(f.out, "Pages:           2");

    /* the links are all there, and their targets */
    char *json;
    ck_assert_int_eq(runf(&json, "qpdf --json '%s'", f.out), 0);
    int links = 0;
    for (const char *p = json; (p = strstr(p, "\"/Subtype\": \"/Link\"")); p++)
        links++;
    ck_assert_int_eq(links, 4);
    assert_contains(json, "\"/URI\": \"u:https://example.org/relations\"");
    assert_contains(json, "\"/Dest\": \"u:goals\"");
    assert_contains(json, "\"/Dest\": \"u:intro\"");
    free(json);
    /* the named destinations resolve to pages, and the outline to them */
    char *dests;
    ck_assert_int_eq(runf(&dests, "pdfinfo -dests '%s'", f.out), 0);
    assert_contains(dests, "\"intro\"");
    assert_contains(dests, "\"goals\"");
    free(dests);
    char *outline;
    ck_assert_int_eq(runf(&outline, "qpdf --json --json-key=outlines '%s'", f.out), 0);
    assert_contains(outline, "\"destpageposfrom1\": 1");
    assert_contains(outline, "\"destpageposfrom1\": 2");
    free(outline);
    char *cat = qpdf_catalog(f.out);
    assert_contains(cat, "/Names ");
    assert_contains(cat, "/Outlines ");
    assert_contains(cat, "/Pages ");
    free(cat);
    wb_ctx_free(ctx);
    files_free(&f);
}
END_TEST

START_TEST(test_repeated_resource_names)
{
    files f = files_new();
    make_cairo_pdf(f.in, WITH_IMAGE | WITH_LINKS);
    char *check;
    ck_assert_int_eq(runf(&check, "qpdf --check '%s'", f.in), 3);
    assert_contains(check, "dictionary has duplicated key /x");
    free(check);

    wb_ctx *ctx = wb_ctx_new();
    assert_quiet_success(ctx, postpass(ctx, f.in, f.out, "en"));
    assert_qpdf_clean(f.out);
    char *json;
    ck_assert_int_eq(runf(&json, "qpdf --json --json-key=pages '%s'", f.out), 0);
    assert_contains(json, "\"images\": [\n        {\n          \"bitspercomponent\": 8");
    free(json);
    wb_ctx_free(ctx);
    files_free(&f);
}
END_TEST

/* ---- the same bytes ---- */

START_TEST(test_deterministic)
{
    files f = files_new();
    char *out2 = g_strdup_printf("%s/out2.pdf", f.dir), *in2 = g_strdup_printf("%s/in2.pdf", f.dir);
    /* two cairo runs and two post-passes */
    make_cairo_pdf(f.in, WITH_LINKS | WITH_IMAGE);
    make_cairo_pdf(in2, WITH_LINKS | WITH_IMAGE);
    wb_ctx *ctx = wb_ctx_new();
    assert_quiet_success(ctx, postpass(ctx, f.in, f.out, "ru"));
    assert_quiet_success(ctx, postpass(ctx, in2, out2, "ru"));
    size_t l1, l2;
    char *a = read_bytes(f.out, &l1), *b = read_bytes(out2, &l2);
    ck_assert_msg(l1 == l2 && !memcmp(a, b, l1), "two runs differ");
    /* the /ID comes from the contents */
    char *trailer;
    ck_assert_int_eq(runf(&trailer, "qpdf --show-object=trailer '%s'", f.out), 0);
    assert_contains(trailer, "/ID [ <");
    free(trailer);
    free(b);
    /* another language, other bytes and another /ID */
    unlink(out2);
    assert_quiet_success(ctx, postpass(ctx, f.in, out2, "bg"));
    b = read_bytes(out2, &l2);
    ck_assert(l1 != l2 || memcmp(a, b, l1));
    const char *id1 = memmem(a, l1, "/ID [", 5), *id2 = memmem(b, l2, "/ID [", 5);
    ck_assert(id1 && id2 && strncmp(id1, id2, 40));
    free(a);
    free(b);
    wb_ctx_free(ctx);
    g_free(in2);
    g_free(out2);
    files_free(&f);
}
END_TEST

/* ---- damage and errors ---- */

/* The post-pass of a damaged file fails with an error naming it and writes nothing. */
static void check_damaged(const char *in, const char *out, const char *data, size_t len, const char *why)
{
    write_bytes(in, data, len);
    wb_ctx *ctx = wb_ctx_new();
    wb_status st = postpass(ctx, in, out, "fr");
    char *text = test_diags_text(ctx);
    ck_assert_msg(st == WB_ERR_INTERNAL, "%s: status %d: %s", why, st, text);
    free(text);
    assert_failed(ctx, st, WB_ERR_INTERNAL, in, out);
    /* the input is left as it was */
    size_t now_len;
    char *now = read_bytes(in, &now_len);
    ck_assert(now_len == len && !memcmp(now, data, len));
    free(now);
    wb_ctx_free(ctx);
}

START_TEST(test_damaged)
{
    files f = files_new();
    make_cairo_pdf(f.in, WITH_LINKS);
    size_t len;
    char *full = read_bytes(f.in, &len);
    char *bad = malloc(len + 64);
    ck_assert_ptr_nonnull(bad);

    /* cut in the middle, and in the middle of the xref table */
    const char *xref = memmem(full, len, "\nxref\n", 6);
    ck_assert_ptr_nonnull(xref);
    check_damaged(f.in, f.out, full, len / 2, "cut in half");
    check_damaged(f.in, f.out, full, (size_t)(xref - full) + 40, "cut in the xref table");

    /* a startxref pointing past the end, and one pointing at garbage */
    const char *sx = memmem(full, len, "startxref", 9);
    ck_assert_ptr_nonnull(sx);
    size_t head = (size_t)(sx - full);
    const char *tails[] = {"startxref\n99999999\n%%EOF\n", "startxref\n3\n%%EOF\n"};
    for (size_t i = 0; i < 2; i++) {
        memcpy(bad, full, head);
        strcpy(bad + head, tails[i]);
        check_damaged(f.in, f.out, bad, head + strlen(tails[i]), tails[i]);
    }

    /* an object the pages need is not where the xref says: the same "expected N G obj" as
     * cairo's unwritten objects, but about an object the output is made of */
    memcpy(bad, full, len);
    char *first = memchr(bad + 9, '\n', 64); /* "%PDF-1.5\n", then a binary comment line */
    ck_assert_ptr_nonnull(first);
    int num = atoi(first + 1);
    ck_assert_msg(num > 0 && strstr(first + 1, " 0 obj") != NULL, "no object after the header: %.20s", first + 1);
    first[1] = first[1] == '9' ? '8' : (char)(first[1] + 1); /* "7 0 obj" becomes "8 0 obj" */
    check_damaged(f.in, f.out, bad, len, "an object renumbered");
    wb_ctx *ctx = wb_ctx_new();
    write_bytes(f.in, bad, len);
    postpass(ctx, f.in, f.out, NULL);
    ck_assert_int_eq(test_count_diags(ctx, WB_SEV_ERROR, "expected ", NULL), 1);
    wb_ctx_free(ctx);

    /* the catalog's dictionary not closed */
    memcpy(bad, full, len);
    char *cat = memmem(bad, len, "/Type /Catalog", 14);
    ck_assert_ptr_nonnull(cat);
    char *close = strstr(cat, ">>"); /* the catalog's text is plain ASCII */
    memcpy(close, "  ", 2);
    check_damaged(f.in, f.out, bad, len, "catalog not closed");

    free(bad);
    free(full);
    files_free(&f);
}
END_TEST

START_TEST(test_not_pdf)
{
    files f = files_new();
    const char text[] = "This is not a PDF.\nstartxref\n0\n%%EOF\n";
    check_damaged(f.in, f.out, text, sizeof text - 1, "text");
    check_damaged(f.in, f.out, "", 0, "empty");
    check_damaged(f.in, f.out, "%PDF-1.5\n", 9, "a header alone");
    /* a missing file: an I/O error */
    unlink(f.in);
    wb_ctx *ctx = wb_ctx_new();
    assert_failed(ctx, postpass(ctx, f.in, f.out, "fr"), WB_ERR_IO, f.in, f.out);
    wb_ctx_free(ctx);
    files_free(&f);
}
END_TEST

START_TEST(test_output_paths)
{
    files f = files_new();
    make_cairo_pdf(f.in, WITH_LINKS);
    /* in place (written straight over the input, read whole first): the bytes a separate
     * output gets */
    wb_ctx *ctx = wb_ctx_new();
    assert_quiet_success(ctx, postpass(ctx, f.in, f.out, "de"));
    assert_quiet_success(ctx, postpass(ctx, f.in, f.in, "de"));
    assert_qpdf_clean(f.in);
    char *cat = qpdf_catalog(f.in);
    assert_contains(cat, "/Lang (de)");
    free(cat);
    size_t in_len, out_len;
    char *in_bytes = read_bytes(f.in, &in_len), *out_bytes = read_bytes(f.out, &out_len);
    ck_assert_msg(in_len == out_len && !memcmp(in_bytes, out_bytes, in_len), "in place: other bytes");
    free(out_bytes);
    unlink(f.out);
    wb_ctx_free(ctx);

    /* in place, damage (an object the pages need is not where the xref says): an error, and
     * the input as it was, since qpdf finds it before anything is written */
    char *renumbered = g_memdup2(in_bytes, in_len);
    char *first = memchr(renumbered + 9, '\n', 64);
    ck_assert_ptr_nonnull(first);
    first[1] = first[1] == '9' ? '8' : (char)(first[1] + 1);
    write_bytes(f.in, renumbered, in_len);
    ctx = wb_ctx_new();
    ck_assert_int_eq(postpass(ctx, f.in, f.in, "fr"), WB_ERR_INTERNAL);
    size_t now_len;
    char *now = read_bytes(f.in, &now_len);
    ck_assert(now_len == in_len && !memcmp(now, renumbered, in_len));
    free(now);
    wb_ctx_free(ctx);
    g_free(renumbered);
    write_bytes(f.in, in_bytes, in_len);
    free(in_bytes);

    /* an output that cannot be written: an I/O error naming it, nothing left */
    char *missing = g_strdup_printf("%s/no/such/folder/out.pdf", f.dir);
    ctx = wb_ctx_new();
    assert_failed(ctx, postpass(ctx, f.in, missing, "fr"), WB_ERR_IO, missing, missing);
    wb_ctx_free(ctx);
    g_free(missing);
    ck_assert_int_eq(mkdir(f.out, 0755), 0);
    ctx = wb_ctx_new();
    ck_assert_int_eq(postpass(ctx, f.in, f.out, "fr"), WB_ERR_IO);
    wb_ctx_free(ctx);
    ck_assert_int_eq(rmdir(f.out), 0);

    /* a damaged input leaves an existing output as it was */
    write_bytes(f.out, "OLD\n", 4);
    write_bytes(f.in, "%PDF-1.5\n", 9);
    ctx = wb_ctx_new();
    ck_assert_int_eq(postpass(ctx, f.in, f.out, "fr"), WB_ERR_INTERNAL);
    size_t len;
    char *old = read_bytes(f.out, &len);
    ck_assert(len == 4 && !memcmp(old, "OLD\n", 4));
    free(old);
    wb_ctx_free(ctx);
    files_free(&f);
}
END_TEST

START_TEST(test_bad_arguments)
{
    files f = files_new();
    make_cairo_pdf(f.in, 0);
    /* not UTF-8: a stray byte, an overlong form, a UTF-8 encoded surrogate */
    const char *bad_langs[] = {"fr\xff", "\xc0\xaf", "\xed\xa0\x80"};
    for (size_t i = 0; i < G_N_ELEMENTS(bad_langs); i++) {
        wb_ctx *ctx = wb_ctx_new();
        assert_failed(ctx, postpass(ctx, f.in, f.out, bad_langs[i]), WB_ERR_INTERNAL, f.in, f.out);
        wb_ctx_free(ctx);
    }
    wb_ctx *ctx = wb_ctx_new();
    ck_assert_int_eq(postpass(ctx, NULL, f.out, "fr"), WB_ERR_INTERNAL);
    ck_assert_int_eq(postpass(ctx, f.in, NULL, "fr"), WB_ERR_INTERNAL);
    ck_assert(!exists(f.out));
    wb_ctx_free(ctx);
    /* diagnostics name the file the caller says */
    ctx = wb_ctx_new();
    write_bytes(f.in, "not a PDF\n", 10);
    wb_pdf_options opts = {.lang = "fr", .name = "book.pdf"};
    assert_failed(ctx, wb_pdf_postpass(ctx, f.in, f.out, &opts), WB_ERR_INTERNAL, "book.pdf", f.out);
    char *text = test_diags_text(ctx);
    assert_lacks(text, f.in);
    free(text);
    wb_ctx_free(ctx);
    files_free(&f);
}
END_TEST

/* ---- the steps: form fields, structure, PDF/A ---- */

START_TEST(test_fields)
{
    files f = files_new();
    make_cairo_pdf(f.in, 0);
    wb_pdf_field fields[] = {
        {.page = 0, .x0 = 50, .y0 = 50, .x1 = 300, .y1 = 120, .kind = WB_FIELD_MULTILINE, .name = "ex-1.2/q3"},
        {.page = 0, .x0 = 50, .y0 = 130, .x1 = 60, .y1 = 140, .kind = WB_FIELD_RADIO, .name = "ex-1.2/s1", .value = "true"},
        {.page = 0, .x0 = 70, .y0 = 130, .x1 = 80, .y1 = 140, .kind = WB_FIELD_RADIO, .name = "ex-1.2/s1", .value = "false"},
        {.page = 0, .x0 = 50, .y0 = 150, .x1 = 60, .y1 = 160, .kind = WB_FIELD_CHECK, .name = "ex-1.3/item1"},
    };
    wb_pdf_options opts = {.fields = fields, .field_count = G_N_ELEMENTS(fields)};
    wb_ctx *ctx = wb_ctx_new();
    assert_quiet_success(ctx, wb_pdf_postpass(ctx, f.in, f.out, &opts));
    assert_qpdf_clean(f.out);
    assert_pdfinfo(f.out, "AcroForm");
    char *json;
    ck_assert_int_eq(runf(&json, "qpdf --json --json-key=acroform '%s'", f.out), 0);
    /* "ex-1.2/q3" is "2/q3" below "ex-1": a partial name holds no period */
    assert_contains(json, "\"fullname\": \"ex-1.2/q3\"");
    assert_contains(json, "\"fullname\": \"ex-1.2/s1\"");
    assert_contains(json, "\"isradiobutton\": true");
    assert_contains(json, "\"ischeckbox\": true");
    assert_contains(json, "\"fieldflags\": 4096");
    free(json);
    ck_assert_int_eq(runf(&json, "qpdf --json '%s'", f.out), 0);
    assert_contains(json, "\"/T\": \"u:ex-1\"");
    assert_contains(json, "\"/T\": \"u:2/q3\"");
    free(json);
    wb_ctx_free(ctx);

    /* a field on a page the document does not have, a radio button without its value */
    wb_pdf_field bad[][1] = {
        {{.page = 3, .x0 = 1, .y0 = 1, .x1 = 2, .y1 = 2, .kind = WB_FIELD_TEXT, .name = "a"}},
        {{.page = 0, .x0 = 1, .y0 = 1, .x1 = 2, .y1 = 2, .kind = WB_FIELD_RADIO, .name = "a"}},
        {{.page = 0, .x0 = 2, .y0 = 1, .x1 = 1, .y1 = 2, .kind = WB_FIELD_TEXT, .name = "a"}},
    };
    for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
        ctx = wb_ctx_new();
        wb_pdf_options b = {.fields = bad[i], .field_count = 1};
        unlink(f.out);
        assert_failed(ctx, wb_pdf_postpass(ctx, f.in, f.out, &b), WB_ERR_INTERNAL, f.in, f.out);
        wb_ctx_free(ctx);
    }
    files_free(&f);
}
END_TEST

START_TEST(test_structure_must_match)
{
    /* an untagged file with tags said for it: refused, nothing written */
    files f = files_new();
    make_cairo_pdf(f.in, 0);
    wb_pdf_tag tags[] = {{.role = "Document"}, {.role = "P"}};
    wb_pdf_options opts = {.tags = tags, .tag_count = G_N_ELEMENTS(tags)};
    wb_ctx *ctx = wb_ctx_new();
    assert_failed(ctx, wb_pdf_postpass(ctx, f.in, f.out, &opts), WB_ERR_INTERNAL, f.in, f.out);
    char *text = test_diags_text(ctx);
    assert_contains(text, "structure tree");
    free(text);
    wb_ctx_free(ctx);

    /* a tagged one: /Alt and /Lang where the tags say, artifacts out of the tree */
    cairo_surface_t *s = cairo_pdf_surface_create(f.in, 200, 200);
    cairo_t *cr = cairo_create(s);
    cairo_tag_begin(cr, "Document", NULL);
    cairo_tag_begin(cr, "Figure", NULL);
    cairo_rectangle(cr, 10, 10, 20, 20);
    cairo_fill(cr);
    cairo_tag_end(cr, "Figure");
    cairo_tag_begin(cr, "Private", NULL);
    cairo_rectangle(cr, 10, 40, 20, 20);
    cairo_fill(cr);
    cairo_tag_end(cr, "Private");
    cairo_tag_begin(cr, "P", NULL);
    cairo_move_to(cr, 10, 100);
    cairo_show_text(cr, "Bonjour");
    cairo_tag_end(cr, "P");
    cairo_tag_end(cr, "Document");
    cairo_destroy(cr);
    cairo_surface_destroy(s);
    wb_pdf_tag good[] = {{.role = "Document"}, {.role = "Figure", .alt = "A square"}, {.role = "Private"},
                         {.role = "P", .lang = "fr"}};
    opts = (wb_pdf_options){.tags = good, .tag_count = G_N_ELEMENTS(good), .pdfa = true};
    ctx = wb_ctx_new();
    assert_quiet_success(ctx, wb_pdf_postpass(ctx, f.in, f.out, &opts));
    assert_qpdf_clean(f.out);
    char *tree;
    ck_assert_int_eq(runf(&tree, "pdfinfo -struct-text '%s'", f.out), 0);
    assert_contains(tree, "Figure");
    assert_contains(tree, "\"Bonjour\"");
    assert_lacks(tree, "Private");
    free(tree);
    char *json;
    ck_assert_int_eq(runf(&json, "qpdf --json '%s'", f.out), 0);
    assert_contains(json, "\"/Alt\": \"u:A square\"");
    assert_contains(json, "\"/Lang\": \"u:fr\"");
    assert_contains(json, "\"/DisplayDocTitle\": true");
    /* PDF/A: the output intent and the metadata */
    assert_contains(json, "\"/S\": \"/GTS_PDFA1\"");
    assert_contains(json, "\"/Type\": \"/Metadata\"");
    free(json);
    char *meta;
    ck_assert_int_eq(runf(&meta, "pdfinfo -meta '%s'", f.out), 0);
    assert_contains(meta, "<pdfaid:part>2</pdfaid:part>");
    assert_contains(meta, "<pdfaid:conformance>B</pdfaid:conformance>");
    free(meta);
    wb_ctx_free(ctx);
    files_free(&f);
}
END_TEST

static Suite *pdf_postpass_suite(void)
{
    Suite *s = suite_create("pdf-postpass");
    TCase *tc = tcase_create("core");
    /* Runs qpdf and pdfinfo many times: more than check's 4 s default under sanitizers.  A
     * CK_DEFAULT_TIMEOUT given by the test runner wins. */
    if (!getenv("CK_DEFAULT_TIMEOUT"))
        tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_cairo_pdf);
    tcase_add_test(tc, test_lang_text_strings);
    tcase_add_test(tc, test_hand_catalog);
    tcase_add_test(tc, test_catalog_in_older_section);
    tcase_add_test(tc, test_other_inputs);
    tcase_add_test(tc, test_links_and_unwritten_objects);
    tcase_add_test(tc, test_repeated_resource_names);
    tcase_add_test(tc, test_deterministic);
    tcase_add_test(tc, test_damaged);
    tcase_add_test(tc, test_not_pdf);
    tcase_add_test(tc, test_output_paths);
    tcase_add_test(tc, test_bad_arguments);
    tcase_add_test(tc, test_fields);
    tcase_add_test(tc, test_structure_must_match);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return wb_test_main(pdf_postpass_suite()); }
