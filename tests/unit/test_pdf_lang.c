/* Unit tests of src/render/pdf-lang.c: PDFs made by cairo and by hand, checked afterwards
 * with qpdf (structure, the catalog's entries) and pdfinfo (still readable). */
#include "render/pdf-lang.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <check.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* cairo's toy text API loads fontconfig, which keeps its configuration for the life of the
 * process; when LeakSanitizer runs (the project's runner turns it off, a hand-built test does
 * not) only that is excused, not leaks of ours. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
    return "leak:libfontconfig.so\n";
}

/* ---- helpers ---- */

static char *tmp_path(const char *suffix)
{
    char tmpl[] = "/tmp/wb-pdf-lang-XXXXXX";
    int fd = mkstemp(tmpl);
    ck_assert_int_ge(fd, 0);
    close(fd);
    unlink(tmpl);
    size_t n = strlen(tmpl) + strlen(suffix) + 1;
    char *path = malloc(n);
    ck_assert_ptr_nonnull(path);
    snprintf(path, n, "%s%s", tmpl, suffix);
    return path;
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
    FILE *f = fopen(path, "rb");
    ck_assert_ptr_nonnull(f);
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap + 1);
    ck_assert_ptr_nonnull(buf);
    size_t got;
    while ((got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap) {
            cap *= 2;
            buf = realloc(buf, cap + 1);
            ck_assert_ptr_nonnull(buf);
        }
    }
    fclose(f);
    buf[n] = '\0';
    *len = n;
    return buf;
}

/* Runs a shell command; returns its standard output (caller frees) and exit status. */
static char *run(const char *cmd, int *status)
{
    FILE *f = popen(cmd, "r");
    ck_assert_ptr_nonnull(f);
    size_t cap = 4096, n = 0, got;
    char *buf = malloc(cap + 1);
    ck_assert_ptr_nonnull(buf);
    while ((got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap) {
            cap *= 2;
            buf = realloc(buf, cap + 1);
            ck_assert_ptr_nonnull(buf);
        }
    }
    buf[n] = '\0';
    int st = pclose(f);
    *status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
    return buf;
}

static char *runf(int *status, const char *fmt, const char *path)
{
    char cmd[512];
    snprintf(cmd, sizeof cmd, fmt, path);
    return run(cmd, status);
}

/* qpdf --check must find nothing wrong (exit 0; 2 is errors, 3 warnings). */
static void assert_qpdf_clean(const char *path)
{
    int st;
    char *out = runf(&st, "qpdf --check '%s' 2>&1", path);
    ck_assert_msg(st == 0, "qpdf --check %s: exit %d\n%s", path, st, out);
    free(out);
}

/* pdfinfo still reads the file: exit 0 and the page count. */
static void assert_pdfinfo_reads(const char *path, const char *expect)
{
    int st;
    char *out = runf(&st, "pdfinfo '%s' 2>&1", path);
    ck_assert_msg(st == 0, "pdfinfo %s: exit %d\n%s", path, st, out);
    ck_assert_msg(strstr(out, "Pages:") != NULL, "%s", out);
    if (expect)
        ck_assert_msg(strstr(out, expect) != NULL, "pdfinfo lacks \"%s\":\n%s", expect, out);
    free(out);
}

/* The catalog as qpdf shows it, e.g. "<< /Lang (fr) /Pages 1 0 R /Type /Catalog >>". */
static char *qpdf_catalog(const char *path)
{
    int st;
    char *trailer = runf(&st, "qpdf --show-object=trailer '%s'", path);
    ck_assert_int_eq(st, 0);
    const char *root = strstr(trailer, "/Root ");
    ck_assert_ptr_nonnull(root);
    int num = atoi(root + 6);
    ck_assert_int_gt(num, 0);
    free(trailer);
    char cmd[512];
    snprintf(cmd, sizeof cmd, "qpdf --show-object=%d '%s'", num, path);
    char *cat = run(cmd, &st);
    ck_assert_int_eq(st, 0);
    return cat;
}

static void assert_contains(const char *hay, const char *needle)
{
    ck_assert_msg(strstr(hay, needle) != NULL, "\"%s\" not in:\n%s", needle, hay);
}

/* memmem for the raw file, which holds binary streams (NUL bytes). */
static const char *find(const char *buf, size_t len, const char *needle)
{
    return memmem(buf, len, needle, strlen(needle));
}

static void assert_lacks(const char *hay, const char *needle)
{
    ck_assert_msg(strstr(hay, needle) == NULL, "\"%s\" unexpectedly in:\n%s", needle, hay);
}

/* A workbook-like PDF from cairo: title metadata, a two-level outline, a page of text. */
static void make_cairo_pdf(const char *path)
{
    cairo_surface_t *s = cairo_pdf_surface_create(path, 595, 842);
    ck_assert_int_eq(cairo_surface_status(s), CAIRO_STATUS_SUCCESS);
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE, "Relations clients");
    cairo_t *cr = cairo_create(s);
    int top = cairo_pdf_surface_add_outline(s, CAIRO_PDF_OUTLINE_ROOT, "Introduction",
                                            "page=1", CAIRO_PDF_OUTLINE_FLAG_OPEN);
    cairo_pdf_surface_add_outline(s, top, "Objectifs (1) >> \\ fin", "page=1", 0);
    cairo_select_font_face(cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr, 12);
    cairo_move_to(cr, 72, 72);
    cairo_show_text(cr, "Le développement de la relation client");
    cairo_show_page(cr);
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

static void check_rejected(const char *path, int expected)
{
    size_t before_len, after_len;
    char *before = read_bytes(path, &before_len);
    char err[256];
    int rc = wb_pdf_set_lang(path, "fr", err, sizeof err);
    ck_assert_int_eq(rc, expected);
    ck_assert_msg(err[0] != '\0', "no error message");
    ck_assert_msg(strstr(err, path) != NULL, "message does not name the file: %s", err);
    char *after = read_bytes(path, &after_len);
    ck_assert_uint_eq(before_len, after_len);
    ck_assert(memcmp(before, after, before_len) == 0);
    free(before);
    free(after);
}

/* ---- tests ---- */

START_TEST(test_cairo_pdf)
{
    char *path = tmp_path(".pdf");
    make_cairo_pdf(path);
    char *before = qpdf_catalog(path);
    assert_lacks(before, "/Lang");

    char err[256] = "garbage";
    ck_assert_int_eq(wb_pdf_set_lang(path, "fr", err, sizeof err), WB_PDF_LANG_OK);
    ck_assert_str_eq(err, "");
    assert_qpdf_clean(path);
    assert_pdfinfo_reads(path, "Relations clients");

    char *cat = qpdf_catalog(path);
    assert_contains(cat, "/Lang (fr)");
    /* Every entry cairo wrote is still there. */
    assert_contains(cat, "/Type /Catalog");
    assert_contains(cat, "/Pages ");
    assert_contains(cat, "/Outlines ");
    free(cat);

    /* qpdf's JSON view agrees, and the outline still resolves. */
    int st;
    char *json = runf(&st, "qpdf --json '%s'", path);
    ck_assert_int_eq(st, 0);
    assert_contains(json, "\"/Lang\": \"u:fr\"");
    free(json);
    char *outline = runf(&st, "qpdf --json --json-key=outlines '%s'", path);
    ck_assert_int_eq(st, 0);
    assert_contains(outline, "Introduction");
    assert_contains(outline, "Objectifs");
    free(outline);

    free(before);
    unlink(path);
    free(path);
}
END_TEST

START_TEST(test_replace_and_text_string)
{
    char *path = tmp_path(".pdf");
    make_cairo_pdf(path);
    ck_assert_int_eq(wb_pdf_set_lang(path, "fr", NULL, 0), WB_PDF_LANG_OK);
    ck_assert_int_eq(wb_pdf_set_lang(path, "ru-RU", NULL, 0), WB_PDF_LANG_OK);
    assert_qpdf_clean(path);
    char *cat = qpdf_catalog(path);
    assert_contains(cat, "/Lang (ru-RU)");
    assert_lacks(cat, "(fr)");
    free(cat);

    /* Non-ASCII: UTF-16BE with a BOM, in hex. */
    ck_assert_int_eq(wb_pdf_set_lang(path, "ру", NULL, 0), WB_PDF_LANG_OK);
    assert_qpdf_clean(path);
    cat = qpdf_catalog(path);
    assert_contains(cat, "/Lang <feff04400443>");
    free(cat);
    /* Outside the BMP: a surrogate pair (U+1F600 -> D83D DE00). */
    ck_assert_int_eq(wb_pdf_set_lang(path, "x-\xf0\x9f\x98\x80", NULL, 0), WB_PDF_LANG_OK);
    cat = qpdf_catalog(path);
    assert_contains(cat, "/Lang <feff0078002dd83dde00>");
    free(cat);

    /* ( ) and \ escaped in a literal string; qpdf shows the same string. */
    ck_assert_int_eq(wb_pdf_set_lang(path, "a(b)c\\d", NULL, 0), WB_PDF_LANG_OK);
    assert_qpdf_clean(path);
    cat = qpdf_catalog(path);
    assert_contains(cat, "/Lang (a\\(b\\)c\\\\d)");
    free(cat);
    size_t len;
    char *raw = read_bytes(path, &len);
    ck_assert_ptr_nonnull(find(raw, len, "/Lang (a\\(b\\)c\\\\d) >>"));
    free(raw);
    assert_pdfinfo_reads(path, "Relations clients");
    unlink(path);
    free(path);
}
END_TEST

START_TEST(test_nested_catalog)
{
    char *path = tmp_path(".pdf");
    pdfbuf b;
    make_hand_pdf(&b, true);
    write_bytes(path, b.buf, b.len);
    assert_qpdf_clean(path); /* the hand-made file is valid to begin with */

    ck_assert_int_eq(wb_pdf_set_lang(path, "fr", NULL, 0), WB_PDF_LANG_OK);
    assert_qpdf_clean(path);
    assert_pdfinfo_reads(path, "Catalog test");
    char *cat = qpdf_catalog(path);
    assert_contains(cat, "/Lang (fr)");
    assert_lacks(cat, "en-US");
    assert_lacks(cat, "(xx)");
    assert_contains(cat, "/Names << /Dests << /Names [ (a>>b) [ 3 0 R /Fit ] ] >> >>");
    assert_contains(cat, "/MarkInfo << /Marked true >>");
    assert_contains(cat, "/ViewerPreferences << /Direction /L2R /DisplayDocTitle true >>");
    assert_contains(cat, "/PageMode /UseOutlines");
    assert_contains(cat, "/PageLabels << /Nums [ 0 << /P (p. \\) << /Lang) /S /D >> ] >>");
    assert_contains(cat, "/Hex (ABC)");
    assert_contains(cat, "/Empty ()");
    assert_contains(cat, "/Arr [ 1 2 3 0 R << >> [ ] ]");
    free(cat);

    /* /Info and /ID carried over to the new trailer, /Prev pointing at the old xref. */
    int st;
    char *trailer = runf(&st, "qpdf --show-object=trailer '%s'", path);
    ck_assert_int_eq(st, 0);
    assert_contains(trailer, "/Info 4 0 R");
    assert_contains(trailer, "/ID [ <00112233445566778899aabbccddeeff> "
                             "<00112233445566778899aabbccddeeff> ]");
    char prev[32];
    snprintf(prev, sizeof prev, "/Prev %ld", b.offs[15]);
    assert_contains(trailer, prev);
    assert_contains(trailer, "/Size 5");
    free(trailer);

    /* The original bytes are untouched: the update only appends. */
    size_t len;
    char *now = read_bytes(path, &len);
    ck_assert_uint_gt(len, b.len);
    ck_assert(memcmp(now, b.buf, b.len) == 0);
    free(now);
    free(b.buf);
    unlink(path);
    free(path);
}
END_TEST

START_TEST(test_catalog_in_older_section)
{
    /* An incremental update that changes only /Info: the catalog is found through /Prev. */
    char *path = tmp_path(".pdf");
    pdfbuf b;
    make_hand_pdf(&b, false);
    long first_xref = b.offs[15];
    put_obj(&b, 4, "<< /Producer (hand) /Title (Updated title) >>");
    char line[64];
    long xref = (long)b.len;
    put(&b, "xref\n4 1\n");
    snprintf(line, sizeof line, "%010ld 00000 n \n", b.offs[4]);
    put(&b, line);
    snprintf(line, sizeof line, "trailer\n<< /Size 5 /Root 2 0 R /Prev %ld /Info 4 0 R >>\n",
             first_xref);
    put(&b, line);
    snprintf(line, sizeof line, "startxref\n%ld\n%%%%EOF", xref); /* no final EOL */
    put(&b, line);
    write_bytes(path, b.buf, b.len);
    assert_qpdf_clean(path);

    ck_assert_int_eq(wb_pdf_set_lang(path, "bg", NULL, 0), WB_PDF_LANG_OK);
    assert_qpdf_clean(path);
    assert_pdfinfo_reads(path, "Updated title");
    char *cat = qpdf_catalog(path);
    assert_contains(cat, "/Lang (bg)");
    assert_contains(cat, "/MarkInfo << /Marked true >>");
    free(cat);
    free(b.buf);
    unlink(path);
    free(path);
}
END_TEST

START_TEST(test_not_pdf)
{
    char *path = tmp_path(".txt");
    const char text[] = "This is not a PDF.\nstartxref\n0\n%%EOF\n";
    write_bytes(path, text, sizeof text - 1);
    check_rejected(path, WB_PDF_LANG_NOT_PDF);
    write_bytes(path, "", 0);
    check_rejected(path, WB_PDF_LANG_NOT_PDF);
    unlink(path);
    /* Missing file. */
    char err[256];
    ck_assert_int_eq(wb_pdf_set_lang(path, "fr", err, sizeof err), WB_PDF_LANG_IO);
    assert_contains(err, path);
    free(path);
}
END_TEST

START_TEST(test_truncated_pdf)
{
    char *path = tmp_path(".pdf");
    make_cairo_pdf(path);
    size_t len;
    char *full = read_bytes(path, &len);
    /* Cut in the middle, just before %%EOF, and in the middle of the xref table. */
    const char *xref = find(full, len, "\nxref\n");
    ck_assert_ptr_nonnull(xref);
    size_t cuts[] = { len / 2, len - 6, (size_t)(xref - full) + 20 };
    for (size_t i = 0; i < sizeof cuts / sizeof cuts[0]; i++) {
        write_bytes(path, full, cuts[i]);
        check_rejected(path, WB_PDF_LANG_CORRUPT);
    }
    /* A startxref pointing past the end, and one pointing at garbage. */
    char *bad = malloc(len + 64);
    ck_assert_ptr_nonnull(bad);
    const char *sx = find(full, len, "startxref");
    ck_assert_ptr_nonnull(sx);
    size_t head = (size_t)(sx - full);
    const char *tails[] = { "startxref\n99999999\n%%EOF\n", "startxref\n3\n%%EOF\n" };
    for (size_t i = 0; i < 2; i++) {
        memcpy(bad, full, head);
        strcpy(bad + head, tails[i]);
        write_bytes(path, bad, head + strlen(tails[i]));
        check_rejected(path, WB_PDF_LANG_CORRUPT);
    }
    /* The catalog object cut short inside its dictionary (its end overwritten). */
    memcpy(bad, full, len);
    char *cat = (char *)find(bad, len, "/Type /Catalog");
    ck_assert_ptr_nonnull(cat);
    char *close = strstr(cat, ">>"); /* the catalog's text is plain ASCII */
    memcpy(close, "  ", 2);
    write_bytes(path, bad, len);
    check_rejected(path, WB_PDF_LANG_CORRUPT);
    free(bad);
    free(full);
    unlink(path);
    free(path);
}
END_TEST

START_TEST(test_unsupported)
{
    char *src = tmp_path(".pdf"), *dst = tmp_path(".pdf");
    make_cairo_pdf(src);
    char cmd[512];
    int st;
    /* Cross-reference stream. */
    snprintf(cmd, sizeof cmd, "qpdf --object-streams=generate '%s' '%s'", src, dst);
    free(run(cmd, &st));
    ck_assert_int_eq(st, 0);
    check_rejected(dst, WB_PDF_LANG_UNSUPPORTED);
    /* Encrypted (qpdf keeps the classic xref of its input). */
    snprintf(cmd, sizeof cmd, "qpdf --object-streams=disable --encrypt u o 256 -- '%s' '%s'",
             src, dst);
    free(run(cmd, &st));
    ck_assert_int_eq(st, 0);
    check_rejected(dst, WB_PDF_LANG_UNSUPPORTED);
    unlink(src);
    unlink(dst);
    free(src);
    free(dst);
}
END_TEST

START_TEST(test_bad_arguments)
{
    char *path = tmp_path(".pdf");
    make_cairo_pdf(path);
    char err[64];
    ck_assert_int_eq(wb_pdf_set_lang(NULL, "fr", err, sizeof err), WB_PDF_LANG_BADARG);
    ck_assert_int_eq(wb_pdf_set_lang(path, NULL, err, sizeof err), WB_PDF_LANG_BADARG);
    ck_assert_int_eq(wb_pdf_set_lang(path, "", err, sizeof err), WB_PDF_LANG_BADARG);
    ck_assert_int_eq(wb_pdf_set_lang(path, "fr\xff", err, sizeof err), WB_PDF_LANG_BADARG);
    ck_assert_int_eq(wb_pdf_set_lang(path, "\xc0\xaf", err, sizeof err), WB_PDF_LANG_BADARG);
    ck_assert_int_eq(wb_pdf_set_lang(path, "\xed\xa0\x80", err, sizeof err),
                     WB_PDF_LANG_BADARG); /* a UTF-8 encoded surrogate */
    /* Tiny buffers are filled and terminated, never overrun. */
    char tiny[4] = { 'x', 'x', 'x', 'x' };
    ck_assert_int_eq(wb_pdf_set_lang(path, "", tiny, 3), WB_PDF_LANG_BADARG);
    ck_assert_int_eq(tiny[2], '\0');
    ck_assert_int_eq(tiny[3], 'x');
    ck_assert_int_eq(wb_pdf_set_lang("/nonexistent/x.pdf", "fr", tiny, 1), WB_PDF_LANG_IO);
    ck_assert_int_eq(tiny[0], '\0');
    ck_assert_int_eq(wb_pdf_set_lang("/tmp", "fr", NULL, 0), WB_PDF_LANG_IO);
    /* None of that touched the file. */
    assert_qpdf_clean(path);
    char *cat = qpdf_catalog(path);
    assert_lacks(cat, "/Lang");
    free(cat);
    unlink(path);
    free(path);
}
END_TEST

static Suite *pdf_lang_suite(void)
{
    Suite *s = suite_create("pdf-lang");
    TCase *tc = tcase_create("core");
    /* Runs qpdf and pdfinfo many times: more than check's 4 s default under sanitizers.  A
     * CK_DEFAULT_TIMEOUT given by the test runner wins. */
    if (!getenv("CK_DEFAULT_TIMEOUT"))
        tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_cairo_pdf);
    tcase_add_test(tc, test_replace_and_text_string);
    tcase_add_test(tc, test_nested_catalog);
    tcase_add_test(tc, test_catalog_in_older_section);
    tcase_add_test(tc, test_not_pdf);
    tcase_add_test(tc, test_truncated_pdf);
    tcase_add_test(tc, test_unsupported);
    tcase_add_test(tc, test_bad_arguments);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(pdf_lang_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
