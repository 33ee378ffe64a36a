/* End-to-end tests of printing and previews, and of brand kits, through the command line:
 *
 * - duplex=no: no blank versos (fewer pages, every page has text) and no mirrored margins
 *   (the left edge of the text the same on every page; mirrored without it);
 * - bleed=3mm: the sheet is the page plus bleed and room for crop marks all round, the PDF's
 *   TrimBox and BleedBox are set, crop marks are drawn beyond the bleed and nothing at the
 *   corners between the trim and the bleed;
 * - draft=yes: the word "Draft" in the edition's language on every page master, drawn grey
 *   across the page and no part of its text;
 * - png numbering with %d, %02d, %03d and without; the contact sheet's size;
 * - a brand kit (brand.xml with a fonts/ folder and a logo) changes the fonts and colours of
 *   the PDF, by id beside the course, by path, and in a batch beside the catalogue (its
 *   brand.xml, logo and fonts inputs of the editions that use it); an
 *   unknown brand is a usage error (2) naming the known brands, a broken brand file bad
 *   input (1) at its file:line:col. */
#include <check.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unit/support.h"

#define COURSE "courses/keeping-promises/course.xml"
#define MM (72 / 25.4)

static char *tmp;

static void setup(void) { tmp = wb_test_tmpdir(); }

static void teardown(void)
{
    wb_test_rmtree(tmp);
    free(tmp);
}

/* Runs a command; fails the test unless it exits 0; returns its output. */
#define run(...) wb_test_run_ok(false, __VA_ARGS__)

/* Builds the small course into tmp/NAME with extra arguments; the path (g_free). */
static char *build(const char *name, const char *args)
{
    char *out = g_strdup_printf("%s/%s", tmp, name);
    free(run("'%s' build '%s' -q %s -o '%s'", wb_test_bin(), wb_test_path(COURSE), args, out));
    return out;
}

static int pdf_pages(const char *pdf)
{
    char *out = run("pdfinfo '%s'", pdf);
    const char *p = strstr(out, "Pages:");
    ck_assert_ptr_nonnull(p);
    int n = atoi(p + 6);
    free(out);
    return n;
}

/* The box NAME of page 1 (pdfinfo -box): x0 y0 x1 y1. */
static void pdf_box(const char *pdf, const char *name, double b[4])
{
    char *out = run("pdfinfo -box -f 1 -l 1 '%s'", pdf);
    char *key = g_strdup_printf("%s:", name);
    const char *p = strstr(out, key);
    ck_assert_msg(p != NULL, "no %s in pdfinfo -box of %s", name, pdf);
    ck_assert_int_eq(sscanf(p + strlen(key), "%lf %lf %lf %lf", &b[0], &b[1], &b[2], &b[3]), 4);
    g_free(key);
    free(out);
}

/* For each page, the smallest xMin of its words (pdftotext -bbox); -1 for a page with none.
 * Returns the number of pages; *left is the caller's (g_free). */
static int left_edges(const char *pdf, double **left)
{
    char *out = run("pdftotext -bbox '%s' - 2>/dev/null", pdf); /* a blank page: "no word list" */
    GArray *a = g_array_new(FALSE, FALSE, sizeof(double));
    for (const char *p = strstr(out, "<page "); p; p = strstr(p + 1, "<page ")) {
        const char *end = strstr(p + 1, "<page ");
        double min = -1;
        for (const char *w = strstr(p, "<word "); w && (!end || w < end); w = strstr(w + 1, "<word ")) {
            const char *x = strstr(w, "xMin=\"");
            double v = x ? g_ascii_strtod(x + 6, NULL) : -1;
            if (v >= 0 && (min < 0 || v < min))
                min = v;
        }
        g_array_append_val(a, min);
    }
    free(out);
    int n = (int)a->len;
    *left = (double *)g_array_free(a, FALSE);
    return n;
}

START_TEST(duplex_no)
{
    char *two = build("two.pdf", ""), *one = build("one.pdf", "--param duplex=no");
    int n2 = pdf_pages(two), n1 = pdf_pages(one);
    ck_assert_msg(n1 < n2, "one-sided: %d pages, two-sided: %d (no blank versos expected)", n1, n2);
    double *l1, *l2;
    ck_assert_int_eq(left_edges(one, &l1), n1);
    ck_assert_int_eq(left_edges(two, &l2), n2);
    /* one-sided: every page has text, and it starts at the same distance from the left edge */
    double lo = 1e9, hi = -1;
    for (int i = 0; i < n1; i++) {
        ck_assert_msg(l1[i] >= 0, "one-sided page %d is blank", i + 1);
        lo = MIN(lo, l1[i]);
        hi = MAX(hi, l1[i]);
    }
    ck_assert_msg(hi - lo < 2, "one-sided: left edges from %.1f to %.1fpt (mirrored margins?)", lo, hi);
    ck_assert_msg(fabs(lo - 23 * MM) < 2, "one-sided: left edge %.1fpt, the mean margin is %.1fpt", lo, 23 * MM);
    /* two-sided: mirrored, so the left edges differ by the inner minus the outer margin */
    lo = 1e9, hi = -1;
    bool blank = false;
    for (int i = 0; i < n2; i++) {
        blank = blank || l2[i] < 0;
        if (l2[i] >= 0) {
            lo = MIN(lo, l2[i]);
            hi = MAX(hi, l2[i]);
        }
    }
    ck_assert_msg(blank, "two-sided: a blank verso expected after the title page");
    ck_assert_msg(hi - lo > 3 * MM, "two-sided: left edges from %.1f to %.1fpt: not mirrored", lo, hi);
    g_free(l1);
    g_free(l2);
    g_free(one);
    g_free(two);
}
END_TEST

/* A page of a PDF as a grey image at 72 dpi (a pixel a point): its bytes, width, height. */
static unsigned char *page_pixels(const char *pdf, int page, int *w, int *h)
{
    char *prefix = g_strdup_printf("%s/px", tmp);
    free(run("pdftoppm -gray -r 72 -f %d -l %d -singlefile '%s' '%s'", page, page, pdf, prefix));
    char *pgm = g_strdup_printf("%s.pgm", prefix);
    long len = 0;
    char *data = wb_test_read(pgm, &len);
    ck_assert_ptr_nonnull(data);
    int maxval = 0, off = 0;
    ck_assert_int_eq(sscanf(data, "P5 %d %d %d%n", w, h, &maxval, &off), 3);
    off++; /* the one white space after the header */
    ck_assert_int_ge(len, off + (long)*w * *h);
    unsigned char *px = g_memdup2(data + off, (gsize)*w * *h);
    free(data);
    g_free(pgm);
    g_free(prefix);
    return px;
}

/* The darkest pixel of a rectangle of the image. */
static int darkest(const unsigned char *px, int w, int h, int x0, int y0, int x1, int y1)
{
    int d = 255;
    for (int y = MAX(y0, 0); y < MIN(y1, h); y++)
        for (int x = MAX(x0, 0); x < MIN(x1, w); x++)
            d = MIN(d, px[y * w + x]);
    return d;
}

START_TEST(bleed_and_crop_marks)
{
    char *plain = build("plain.pdf", ""), *pdf = build("bleed.pdf", "--param bleed=3mm");
    double media[4], trim[4], bleed[4], pm[4], pt[4];
    pdf_box(pdf, "MediaBox", media);
    pdf_box(pdf, "TrimBox", trim);
    pdf_box(pdf, "BleedBox", bleed);
    pdf_box(plain, "MediaBox", pm);
    pdf_box(plain, "TrimBox", pt);
    /* without bleed: A4, trimmed where it ends */
    ck_assert_double_eq_tol(pm[2], 595.28, 0.1);
    ck_assert_double_eq_tol(pt[2], pm[2], 0.01);
    /* with it: the trim is A4, the bleed 3 mm beyond, the sheet 6 mm beyond that for marks */
    double off = 9 * MM, b = 3 * MM;
    ck_assert_double_eq_tol(trim[0], off, 0.05);
    ck_assert_double_eq_tol(trim[2] - trim[0], 595.28, 0.05);
    ck_assert_double_eq_tol(trim[3] - trim[1], 841.89, 0.05);
    ck_assert_double_eq_tol(bleed[0], off - b, 0.05);
    ck_assert_double_eq_tol(bleed[3], trim[3] + b, 0.05);
    ck_assert_double_eq_tol(media[2], 595.28 + 2 * off, 0.05);
    ck_assert_double_eq_tol(media[3], 841.89 + 2 * off, 0.05);
    free(run("qpdf --check '%s'", pdf));
    int w, h;
    unsigned char *px = page_pixels(pdf, 2, &w, &h);
    int o = (int)lround(off), bl = (int)lround(b);
    /* the top left mark: on the line of the trim's left edge, above the bleed; and on the
     * line of its top edge, left of the bleed */
    ck_assert_msg(darkest(px, w, h, o - 1, 0, o + 2, o - bl - 3) < 128, "no crop mark above the top left corner");
    ck_assert_msg(darkest(px, w, h, 0, o - 1, o - bl - 3, o + 2) < 128, "no crop mark left of the top left corner");
    /* the bottom right one */
    ck_assert_msg(darkest(px, w, h, w - o - 2, h - o + bl + 3, w - o + 1, h) < 128, "no crop mark below the bottom right corner");
    /* nothing drawn in the bleed at the corners (a blank page: no background runs into it) */
    ck_assert_int_ge(darkest(px, w, h, o - bl, o - bl, o, o), 250);
    ck_assert_int_ge(darkest(px, w, h, w - o, h - o, w - o + bl, h - o + bl), 250);
    g_free(px);
    g_free(pdf);
    g_free(plain);
}
END_TEST

START_TEST(draft_watermark)
{
    /* the word, in the edition's language, on every page master of the FO */
    static const char *const langs[][2] = {{"en", "DRAFT"}, {"fr", "BROUILLON"}, {"ru", "ЧЕРНОВИК"}, {"bg", "ЧЕРНОВА"}};
    for (size_t l = 0; l < G_N_ELEMENTS(langs); l++) {
        char *args = g_strdup_printf("--lang %s --param draft=yes", langs[l][0]);
        char *name = g_strdup_printf("draft-%s.fo", langs[l][0]);
        char *fo = build(name, args);
        char *text = wb_test_read(fo, NULL);
        int masters = 0, marked = 0;
        char *mark = g_strdup_printf(":watermark=\"%s\"", langs[l][1]);
        for (const char *p = strstr(text, "<fo:simple-page-master "); p; p = strstr(p + 1, "<fo:simple-page-master ")) {
            masters++;
            const char *end = strchr(p, '>');
            const char *m = strstr(p, mark);
            marked += m && m < end;
        }
        ck_assert_int_gt(masters, 0);
        ck_assert_msg(marked == masters, "%s: %d of %d page masters have %s", langs[l][0], marked, masters, mark);
        g_free(mark);
        free(text);
        g_free(fo);
        g_free(name);
        g_free(args);
    }
    /* drawn grey across the middle of a page (the blank verso), and not as text */
    char *pdf = build("draft.pdf", "--param draft=yes"), *plain = build("plain.pdf", "");
    int w, h;
    unsigned char *px = page_pixels(pdf, 2, &w, &h);
    int d = darkest(px, w, h, w / 2 - 40, h / 2 - 40, w / 2 + 40, h / 2 + 40);
    ck_assert_msg(d < 240 && d > 160, "the middle of the page: darkest grey %d, a light watermark expected", d);
    g_free(px);
    px = page_pixels(plain, 2, &w, &h);
    ck_assert_int_eq(darkest(px, w, h, 0, 0, w, h), 255);
    g_free(px);
    char *text = run("pdftotext '%s' -", pdf), *ptext = run("pdftotext '%s' -", plain);
    ck_assert_str_eq(text, ptext);
    free(text);
    free(ptext);
    g_free(pdf);
    g_free(plain);
}
END_TEST

START_TEST(png_numbering)
{
    char *pdf = build("book.pdf", "");
    int n = pdf_pages(pdf);
    static const char *const patterns[][2] = {
        {"p-%%02d.png", "p-%02d.png"}, {"q-%%03d.png", "q-%03d.png"}, {"r%%d.png", "r%d.png"}, {"s.png", "s-%d.png"}};
    for (size_t i = 0; i < G_N_ELEMENTS(patterns); i++) {
        char *arg = g_strdup_printf(patterns[i][0], 0);
        char *out = g_strdup_printf("%s/%s", tmp, arg);
        free(run("'%s' build '%s' -q -f png --dpi 8 -o '%s'", wb_test_bin(), wb_test_path(COURSE), out));
        for (int p = 1; p <= n + 1; p++) {
            char *name = g_strdup_printf(patterns[i][1], p);
            char *path = g_strdup_printf("%s/%s", tmp, name);
            bool exists = g_file_test(path, G_FILE_TEST_EXISTS);
            ck_assert_msg(exists == (p <= n), "%s: %s %s", arg, name, exists ? "written" : "missing");
            g_free(path);
            g_free(name);
        }
        g_free(out);
        g_free(arg);
    }
    g_free(pdf);
}
END_TEST

/* Width and height of a PNG file, from its IHDR chunk. */
static void png_size(const char *path, int *w, int *h)
{
    long len = 0;
    unsigned char *d = (unsigned char *)wb_test_read(path, &len);
    ck_assert_ptr_nonnull(d);
    ck_assert_int_ge(len, 24);
    ck_assert_int_eq(memcmp(d + 1, "PNG", 3), 0);
    *w = d[16] << 24 | d[17] << 16 | d[18] << 8 | d[19];
    *h = d[20] << 24 | d[21] << 16 | d[22] << 8 | d[23];
    free(d);
}

START_TEST(contact_sheet)
{
    char *pdf = build("book.pdf", "--edition trainer");
    int n = pdf_pages(pdf);
    char *sheet = build("sheet.png", "--edition trainer -f contact --dpi 10");
    int w, h;
    png_size(sheet, &w, &h);
    /* README / contact.h: up to 8 a row, 8 px around each cell, 14 px for the number */
    int cw = (int)ceil(595.276 * 10 / 72), ch = (int)ceil(841.89 * 10 / 72);
    int cols = MIN(n, 8), rows = (n + cols - 1) / cols;
    ck_assert_int_eq(w, cols * cw + (cols + 1) * 8);
    ck_assert_int_eq(h, rows * (ch + 14) + (rows + 1) * 8);
    /* and only that file */
    char *other = g_strdup_printf("%s/sheet-1.png", tmp);
    ck_assert(!g_file_test(other, G_FILE_TEST_EXISTS));
    g_free(other);
    g_free(sheet);
    g_free(pdf);
}
END_TEST

/* A copy of the small course with a brand kit beside it: brand.xml (red and green), a
 * logo, and in fonts/ a copy of DejaVu Sans Mono renamed "Wbkit Brand Mono", a family that
 * is installed nowhere.  with_fonts: the fonts/ folder is there.  Returns the course file. */
static char *course_with_kit(const char *dir, bool with_fonts)
{
    char *copy = g_strdup_printf("%s/%s", tmp, dir);
    free(run("cp -r '%s' '%s'", wb_test_path("courses/keeping-promises"), copy));
    char *brand = g_strdup_printf("%s/brand.xml", copy);
    ck_assert(g_file_set_contents(brand,
                                  "<brand id=\"acme\" name=\"Acme Training\" primary=\"#FF0000\" accent=\"#00FF00\"\n"
                                  "       body-font=\"Wbkit Brand Mono\" heading-font=\"Wbkit Brand Mono\" logo=\"logo.svg\"/>\n",
                                  -1, NULL));
    free(run("cp '%s' '%s/logo.svg'", wb_test_path("tests/bench/logo.svg"), copy));
    if (with_fonts) {
        gchar *data = NULL;
        gsize len = 0;
        ck_assert(g_file_get_contents("/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf", &data, &len, NULL));
        /* the family and PostScript names, in ASCII and UTF-16BE, replaced by names of the
         * same length (the name table's offsets stay right) */
        static const char *const names[][2] = {{"DejaVu Sans Mono", "Wbkit Brand Mono"}, {"DejaVuSansMono", "WbkitBrandMono"}};
        for (size_t k = 0; k < G_N_ELEMENTS(names); k++)
            for (int wide = 0; wide < 2; wide++) {
                size_t n = strlen(names[k][0]) * (wide ? 2 : 1);
                char from[64] = {0}, to[64] = {0};
                for (size_t i = 0; i < strlen(names[k][0]); i++) {
                    from[wide ? 2 * i + 1 : i] = names[k][0][i];
                    to[wide ? 2 * i + 1 : i] = names[k][1][i];
                }
                for (gsize i = 0; i + n <= len; i++)
                    if (!memcmp(data + i, from, n))
                        memcpy(data + i, to, n);
            }
        char *fonts = g_strdup_printf("%s/fonts", copy);
        g_mkdir(fonts, 0755);
        char *ttf = g_strdup_printf("%s/brand-mono.ttf", fonts);
        ck_assert(g_file_set_contents(ttf, data, (gssize)len, NULL));
        g_free(ttf);
        g_free(fonts);
        g_free(data);
    }
    g_free(brand);
    char *course = g_strdup_printf("%s/course.xml", copy);
    g_free(copy);
    return course;
}

/* True when the PDF's page content sets the fill colour r g b (qpdf's uncompressed form). */
static bool sets_colour(const char *pdf, const char *rgb)
{
    char *qdf = g_strdup_printf("%s.qdf", pdf);
    free(run("qpdf --qdf --object-streams=disable '%s' '%s'", pdf, qdf));
    long len = 0;
    char *data = wb_test_read(qdf, &len);
    ck_assert_ptr_nonnull(data);
    char *op = g_strdup_printf("\n%s rg", rgb);
    bool found = g_strstr_len(data, len, op) != NULL;
    g_free(op);
    free(data);
    g_free(qdf);
    return found;
}

START_TEST(brand_kit)
{
    char *course = course_with_kit("kit", true);
    char *pdf = g_strdup_printf("%s/acme.pdf", tmp), *plain = g_strdup_printf("%s/plain.pdf", tmp);
    free(run("'%s' build '%s' -q --brand acme -o '%s'", wb_test_bin(), course, pdf));
    free(run("'%s' build '%s' -q -o '%s'", wb_test_bin(), course, plain));
    char *fonts = run("pdffonts '%s'", pdf);
    ck_assert_msg(strstr(fonts, "WbkitBrandMono") != NULL, "the brand's font is not used:\n%s", fonts);
    ck_assert_msg(strstr(fonts, "PTSerif") == NULL, "the running text is still in PT Serif:\n%s", fonts);
    free(fonts);
    fonts = run("pdffonts '%s'", plain);
    ck_assert_ptr_null(strstr(fonts, "WbkitBrandMono"));
    free(fonts);
    /* the primary colour (headings) and the accent (the organisation line) */
    ck_assert(sets_colour(pdf, "1 0 0"));
    ck_assert(sets_colour(pdf, "0 1 0"));
    ck_assert(!sets_colour(plain, "1 0 0"));
    /* the brand's name in the footer */
    char *text = run("pdftotext '%s' -", pdf);
    ck_assert_ptr_nonnull(strstr(text, "Acme Training"));
    free(text);
    /* by path, from anywhere */
    char *kit = g_strdup_printf("%s/kit/brand.xml", tmp);
    char *other = g_strdup_printf("%s/other.pdf", tmp);
    free(run("'%s' build '%s' -q --brand '%s' -o '%s'", wb_test_bin(), wb_test_path(COURSE), kit, other));
    fonts = run("pdffonts '%s'", other);
    ck_assert_ptr_nonnull(strstr(fonts, "WbkitBrandMono"));
    free(fonts);
    g_free(other);
    g_free(kit);
    g_free(plain);
    g_free(pdf);
    g_free(course);
}
END_TEST

START_TEST(brand_kit_fonts_folder)
{
    /* without fonts/ the family is not found: the folder is what makes it available */
    char *course = course_with_kit("nofonts", false);
    char *pdf = g_strdup_printf("%s/acme.pdf", tmp);
    free(run("'%s' build '%s' -q --brand acme -o '%s'", wb_test_bin(), course, pdf));
    char *fonts = run("pdffonts '%s'", pdf);
    ck_assert_ptr_null(strstr(fonts, "WbkitBrandMono"));
    free(fonts);
    g_free(pdf);
    g_free(course);
}
END_TEST

START_TEST(brand_kit_in_a_batch)
{
    char *dir = g_strdup_printf("%s/cat", tmp);
    g_mkdir(dir, 0755);
    g_free(dir);
    char *course = course_with_kit("cat/kp", true);
    /* the kit beside the catalogue, not the course */
    free(run("mv '%s/cat/kp/brand.xml' '%s/cat/kp/logo.svg' '%s/cat/kp/fonts' '%s/cat/'", tmp, tmp, tmp, tmp));
    char *cat = g_strdup_printf("%s/cat/catalogue.xml", tmp);
    ck_assert(g_file_set_contents(cat,
                                  "<catalogue editions=\"participant\" languages=\"en\">\n"
                                  "  <course href=\"kp/course.xml\" brands=\"acme nosuch\" output=\"{brand}.pdf\"/>\n"
                                  "</catalogue>\n",
                                  -1, NULL));
    /* the unknown brand fails its edition only, at the entry that names it */
    char *cmd = g_strdup_printf("'%s' batch '%s' -q -j 1 --out '%s/out'", wb_test_bin(), cat, tmp);
    char *out = NULL;
    ck_assert_int_eq(wb_test_run(cmd, &out, true), 1);
    char *want = g_strdup_printf("%s:2:3: error: unknown brand \"nosuch\" (known brands: default northwind atelier acme", cat);
    ck_assert_msg(strstr(out, want) != NULL, "expected %s, got %s", want, out);
    char *fonts = run("pdffonts '%s/out/acme.pdf'", tmp);
    ck_assert_msg(strstr(fonts, "WbkitBrandMono") != NULL, "the brand's font is not used in the batch:\n%s", fonts);
    free(fonts);
    /* a second run: up to date; then the kit's brand.xml, logo and fonts are its inputs */
    char *dry = run("'%s' batch '%s' --dry-run -j 1 --out '%s/out'", wb_test_bin(), cat, tmp);
    char *line = g_strdup_printf("up to date\t%s/out/acme.pdf", tmp);
    ck_assert_msg(strstr(dry, line) != NULL, "not up to date:\n%s", dry);
    free(dry);
    g_free(line);
    static const char *const changes[] = {"brand.xml", "logo.svg", "fonts/brand-mono.ttf"};
    for (size_t i = 0; i < G_N_ELEMENTS(changes); i++) {
        free(run("printf '\\n' >> '%s/cat/%s'", tmp, changes[i]));
        dry = run("'%s' batch '%s' --dry-run -j 1 --out '%s/out'", wb_test_bin(), cat, tmp);
        if (i < 2)
            line = g_strdup_printf("build\t%s/out/acme.pdf\t%s/cat/%s changed", tmp, tmp, changes[i]);
        else
            line = g_strdup_printf("build\t%s/out/acme.pdf\tthe fonts of Wbkit Brand Mono changed", tmp);
        ck_assert_msg(strstr(dry, line) != NULL, "expected %s in:\n%s", line, dry);
        g_free(line);
        free(dry);
        free(run("'%s' batch '%s' -q -j 1 --out '%s/out' --only acme.pdf", wb_test_bin(), cat, tmp));
    }
    g_free(want);
    free(out);
    g_free(cmd);
    g_free(cat);
    g_free(course);
}
END_TEST

START_TEST(unknown_brand)
{
    char *course = course_with_kit("kit", false);
    char *pdf = g_strdup_printf("%s/x.pdf", tmp);
    char *cmd = g_strdup_printf("'%s' build '%s' --brand nosuch -o '%s'", wb_test_bin(), course, pdf);
    char *out = NULL;
    ck_assert_int_eq(wb_test_run(cmd, &out, true), 2);
    ck_assert_msg(strstr(out, "unknown brand \"nosuch\"") && strstr(out, "default northwind atelier acme"),
                  "the message names the known brands: %s", out);
    ck_assert(!g_file_test(pdf, G_FILE_TEST_EXISTS));
    free(out);
    g_free(cmd);
    /* validate's profile too */
    cmd = g_strdup_printf("'%s' validate '%s' --brand nosuch", wb_test_bin(), course);
    ck_assert_int_eq(wb_test_run(cmd, &out, true), 2);
    ck_assert_ptr_nonnull(strstr(out, "workbook validate: unknown brand \"nosuch\""));
    free(out);
    g_free(cmd);
    g_free(pdf);
    g_free(course);
}
END_TEST

START_TEST(broken_brand_file)
{
    char *kit = g_strdup_printf("%s/brand.xml", tmp), *pdf = g_strdup_printf("%s/x.pdf", tmp);
    ck_assert(g_file_set_contents(kit, "<brand id=\"bad\" primary=\"red\" accent=\"#00FF00\"/>\n", -1, NULL));
    char *cmd = g_strdup_printf("'%s' build '%s' --brand '%s' -o '%s'", wb_test_bin(), wb_test_path(COURSE), kit, pdf);
    char *out = NULL;
    ck_assert_int_eq(wb_test_run(cmd, &out, true), 1);
    char *want = g_strdup_printf("%s:1:1: error: <brand primary=\"red\">: a colour is #RRGGBB", kit);
    ck_assert_msg(strstr(out, want) != NULL, "expected %s, got %s", want, out);
    ck_assert(!g_file_test(pdf, G_FILE_TEST_EXISTS));
    g_free(want);
    free(out);
    g_free(cmd);
    g_free(pdf);
    g_free(kit);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("print");
    TCase *tc = tcase_create("print");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, duplex_no);
    tcase_add_test(tc, bleed_and_crop_marks);
    tcase_add_test(tc, draft_watermark);
    tcase_add_test(tc, png_numbering);
    tcase_add_test(tc, contact_sheet);
    suite_add_tcase(s, tc);
    tc = tcase_create("brand");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, brand_kit);
    tcase_add_test(tc, brand_kit_fonts_folder);
    tcase_add_test(tc, brand_kit_in_a_batch);
    tcase_add_test(tc, unknown_brand);
    tcase_add_test(tc, broken_brand_file);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return wb_test_main(suite()); }
