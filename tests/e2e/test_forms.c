/* Fillable workbooks (--param fillable=yes): the command line builds the shipped courses, and
 * libqpdf, qpdf and poppler-utils look at the form in the PDF.
 *
 * - fields: every kind the styles mark (multi-line and one-line text, check boxes, radio
 *   groups) with its stable name, as many widgets as the formatter found places to write, at
 *   the rectangle the formatter gave (the page dump), inside the rules printed around or under
 *   it, in the page's /Annots in reading order; the fields' font embedded with Cyrillic;
 * - fill: values written into the fields with libqpdf are read back by libqpdf and by qpdf's
 *   JSON; a ticked box draws inside its printed frame and nowhere else (poppler);
 * - look: the pages of the fillable edition render exactly as the printed one (poppler);
 * - none: no form without the parameter, nor in the editions that show the answers. */
#include <cairo.h>
#include <check.h>
#include <glib.h>
#include <libxml/parser.h>
#include <math.h>
#include <qpdf/qpdf-c.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unit/support.h"
#include "workbook.h"

#define SHORT_COURSE "courses/keeping-promises/course.xml"
#define LONG_COURSE "courses/fruitful-client-relations/course.xml"

static char *tmp;

static void setup(void) { tmp = wb_test_tmpdir(); }

static void teardown(void)
{
    wb_test_rmtree(tmp);
    free(tmp);
}

/* Runs a command; fails the test unless it exits 0; returns its output. */
#define run(...) wb_test_run_ok(true, __VA_ARGS__)

/* Builds an edition into tmp: NAME.EXT; extra: more options.  Caller frees the path. */
static char *build(const char *course, const char *edition, const char *extra, const char *name, const char *ext)
{
    char *path = g_strdup_printf("%s/%s.%s", tmp, name, ext);
    free(run("'%s' build '%s' --edition %s %s -q -o '%s'", wb_test_bin(), wb_test_path(course), edition, extra, path));
    return path;
}

/* ------------------------------------------------------------------ the page dump */

typedef struct {
    int page; /* 0-based */
    double x, y, w, h;
    char kind[16];
    char name[128];
} dumped;

typedef struct {
    GArray *fields; /* dumped */
    GArray *rules;  /* dumped (kind, name empty) */
    GArray *heights; /* double: page heights */
} page_dump;

/* The formatter's page dump of a fillable edition, made in memory as `workbook build` makes
 * it (an FO file written with -f fo is indented, and its white space would move inline
 * boxes). */
static page_dump dump_course(const char *course, const char *edition)
{
    page_dump d = {g_array_new(FALSE, TRUE, sizeof(dumped)), g_array_new(FALSE, TRUE, sizeof(dumped)),
                   g_array_new(FALSE, TRUE, sizeof(double))};
    wb_ctx *ctx = wb_ctx_new();
    char *styles = g_strdup(wb_test_path("styles"));
    char *path = g_strdup(wb_test_path(course));
    char *schema = g_build_filename(styles, "course.rng", NULL);
    char *sheet = g_strdup_printf("%s/%s.xsl", styles, edition);
    wb_ctx_add_read_folder(ctx, styles);
    wb_profile prof = {.edition = edition};
    xmlDocPtr doc = wb_load_course(ctx, path, &prof, schema);
    ck_assert_ptr_nonnull(doc);
    xmlChar *lang = xmlGetNsProp(xmlDocGetRootElement(doc), BAD_CAST "lang", BAD_CAST "http://www.w3.org/XML/1998/namespace");
    const char *params[] = {"edition", edition, "lang", (const char *)lang, "fillable", "yes", NULL};
    xmlDocPtr fo = wb_transform(ctx, doc, sheet, params);
    ck_assert_ptr_nonnull(fo);
    char *raw = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&raw, &len);
    char *dir = g_path_get_dirname(path);
    ck_assert_int_eq(wb_format_dump(ctx, fo, path, dir, out), WB_OK);
    fclose(out);
    xmlFree(lang);
    xmlFreeDoc(fo);
    xmlFreeDoc(doc);
    wb_ctx_free(ctx);
    g_free(dir);
    g_free(sheet);
    g_free(schema);
    g_free(path);
    g_free(styles);
    int page = -1;
    char **lines = g_strsplit(raw, "\n", -1);
    for (char **l = lines; *l; l++) {
        double w, h;
        dumped a = {0};
        if (!strncmp(*l, "page ", 5)) {
            page++;
            const char *size = strrchr(*l, ' ');
            ck_assert(sscanf(size, " %lfx%lf", &w, &h) == 2);
            g_array_append_val(d.heights, h);
        } else if (sscanf(*l, "  field %lf %lf %lf %lf %15s %127s", &a.x, &a.y, &a.w, &a.h, a.kind, a.name) == 6) {
            a.page = page;
            char *eq = strchr(a.name, '=');
            if (eq)
                *eq = 0;
            g_array_append_val(d.fields, a);
        } else if (sscanf(*l, "  rule %lf %lf %lf %lf", &a.x, &a.y, &a.w, &a.h) == 4) {
            a.page = page;
            g_array_append_val(d.rules, a);
        }
    }
    g_strfreev(lines);
    free(raw);
    return d;
}

static void dump_free(page_dump *d)
{
    g_array_free(d->fields, TRUE);
    g_array_free(d->rules, TRUE);
    g_array_free(d->heights, TRUE);
}

/* ------------------------------------------------------------------ the PDF's form */

typedef struct {
    int page;
    int id;          /* object number */
    double r[4];     /* /Rect */
    char name[128];  /* the full name, partial names joined with periods */
    char ft[8];      /* /FT of the field: /Tx, /Btn */
    long long ff;    /* /Ff */
    char on[32];     /* buttons: the on state of the widget's appearance */
} widget;

static qpdf_data open_pdf(const char *path)
{
    qpdf_data q = qpdf_init();
    qpdf_silence_errors(q);
    ck_assert_msg(!(qpdf_read(q, path, NULL) & QPDF_ERRORS), "qpdf cannot read %s", path);
    return q;
}

/* A string object as UTF-8 (PDF text strings: UTF-16 with a byte order mark, or PDFDoc). */
static void text_of(qpdf_data q, qpdf_oh s, char *buf, size_t n)
{
    const char *v = qpdf_oh_get_utf8_value(q, s);
    g_strlcpy(buf, v ? v : "", n);
}

static void full_name(qpdf_data q, qpdf_oh field, char *buf, size_t n)
{
    GPtrArray *parts = g_ptr_array_new_with_free_func(g_free);
    for (qpdf_oh f = field; qpdf_oh_is_dictionary(q, f); f = qpdf_oh_get_key(q, f, "/Parent")) {
        if (qpdf_oh_has_key(q, f, "/T")) {
            char t[128];
            text_of(q, qpdf_oh_get_key(q, f, "/T"), t, sizeof t);
            g_ptr_array_insert(parts, 0, g_strdup(t));
        }
    }
    g_ptr_array_add(parts, NULL);
    char *joined = g_strjoinv(".", (char **)parts->pdata);
    g_strlcpy(buf, joined, n);
    g_free(joined);
    g_ptr_array_free(parts, TRUE);
}

/* Every widget annotation of the document, page by page, in /Annots order. */
static GArray *widgets_of(qpdf_data q)
{
    GArray *ws = g_array_new(FALSE, TRUE, sizeof(widget));
    int pages = qpdf_get_num_pages(q);
    for (int p = 0; p < pages; p++) {
        qpdf_oh page = qpdf_get_page_n(q, (size_t)p);
        qpdf_oh annots = qpdf_oh_get_key(q, page, "/Annots");
        int n = qpdf_oh_is_array(q, annots) ? qpdf_oh_get_array_n_items(q, annots) : 0;
        for (int i = 0; i < n; i++) {
            qpdf_oh a = qpdf_oh_get_array_item(q, annots, i);
            if (!qpdf_oh_is_name_and_equals(q, qpdf_oh_get_key(q, a, "/Subtype"), "/Widget"))
                continue;
            widget w = {.page = p, .id = qpdf_oh_get_object_id(q, a)};
            ck_assert_msg(qpdf_oh_is_name_and_equals(q, qpdf_oh_get_key(q, page, "/Tabs"), "/S"),
                          "page %d with fields has no /Tabs /S", p + 1);
            qpdf_oh rect = qpdf_oh_get_key(q, a, "/Rect");
            for (int k = 0; k < 4; k++)
                w.r[k] = qpdf_oh_get_numeric_value(q, qpdf_oh_get_array_item(q, rect, k));
            qpdf_oh field = qpdf_oh_get_key(q, a, "/Parent");
            full_name(q, field, w.name, sizeof w.name);
            g_strlcpy(w.ft, qpdf_oh_get_name(q, qpdf_oh_get_key(q, field, "/FT")), sizeof w.ft);
            w.ff = qpdf_oh_get_int_value(q, qpdf_oh_get_key(q, field, "/Ff"));
            qpdf_oh normal = qpdf_oh_get_key(q, qpdf_oh_get_key(q, a, "/AP"), "/N");
            if (!strcmp(w.ft, "/Btn") && qpdf_oh_is_dictionary(q, normal)) {
                qpdf_oh_begin_dict_key_iter(q, normal);
                while (qpdf_oh_dict_more_keys(q)) {
                    const char *k = qpdf_oh_dict_next_key(q);
                    if (strcmp(k, "/Off"))
                        g_strlcpy(w.on, k, sizeof w.on);
                }
            }
            g_array_append_val(ws, w);
        }
    }
    return ws;
}

static const widget *find_widget(GArray *ws, const char *name, const char *on)
{
    for (guint i = 0; i < ws->len; i++) {
        const widget *w = &g_array_index(ws, widget, i);
        if (!strcmp(w->name, name) && (!on || !strcmp(w->on, on)))
            return w;
    }
    return NULL;
}

/* ------------------------------------------------------------------ fields */

/* A horizontal rule of the page on the field's top (top) or bottom edge, as wide as it. */
static bool rule_on_edge(const page_dump *d, const dumped *f, bool top)
{
    double y = top ? f->y : f->y + f->h;
    for (guint i = 0; i < d->rules->len; i++) {
        const dumped *r = &g_array_index(d->rules, dumped, i);
        if (r->page == f->page && fabs(r->h) < 0.01 && fabs(r->y - y) < 0.6 && fabs(r->x - f->x) < 0.6 &&
            fabs(r->w - f->w) < 0.6)
            return true;
    }
    return false;
}

/* Rules printed inside the field's rectangle, at least half as wide as it (write-in lines,
 * the rule of a name line). */
static int rules_inside(const page_dump *d, const dumped *f)
{
    int n = 0;
    for (guint i = 0; i < d->rules->len; i++) {
        const dumped *r = &g_array_index(d->rules, dumped, i);
        if (r->page == f->page && fabs(r->h) < 0.01 && r->y > f->y && r->y < f->y + f->h + 0.6 && r->x >= f->x - 0.6 &&
            r->x + r->w <= f->x + f->w + 0.6 && r->w >= f->w / 2)
            n++;
    }
    return n;
}

static void check_fields(const char *course, const char *edition, int min_fields)
{
    char *pdf = build(course, edition, "-p fillable=yes", "fill", "pdf");
    page_dump d = dump_course(course, edition);
    ck_assert_int_ge(d.fields->len, min_fields);
    qpdf_data q = open_pdf(pdf);
    GArray *ws = widgets_of(q);
    /* one widget per field area, in the same order: the formatter's order is the reading
     * order of the page (and /Annots the tab order without a structure tree) */
    ck_assert_int_eq(ws->len, d.fields->len);
    for (guint i = 0; i < ws->len; i++) {
        const widget *w = &g_array_index(ws, widget, i);
        const dumped *f = &g_array_index(d.fields, dumped, i);
        double ph = g_array_index(d.heights, double, f->page);
        ck_assert_str_eq(w->name, f->name);
        ck_assert_int_eq(w->page, f->page);
        /* the dump rounds to 0.1pt, the PDF to 0.01pt */
        ck_assert_msg(fabs(w->r[0] - f->x) < 0.1 && fabs(w->r[2] - (f->x + f->w)) < 0.2 &&
                          fabs(w->r[1] - (ph - f->y - f->h)) < 0.2 && fabs(w->r[3] - (ph - f->y)) < 0.1,
                      "%s: widget [%g %g %g %g] is not the formatter's %g %g %g %g", w->name, w->r[0], w->r[1], w->r[2],
                      w->r[3], f->x, f->y, f->w, f->h);
        /* names: "ex-" the exercise's number "/" a readable name */
        ck_assert_msg(g_regex_match_simple("^ex-[0-9]+\\.[0-9]+/[a-z]+[0-9]*[a-z]?(/c[0-9]+)?$", w->name, 0, 0),
                      "field name %s", w->name);
        /* kinds */
        if (!strcmp(f->kind, "multiline"))
            ck_assert(!strcmp(w->ft, "/Tx") && (w->ff & 4096));
        else if (!strcmp(f->kind, "text"))
            ck_assert(!strcmp(w->ft, "/Tx") && !(w->ff & 4096));
        else if (!strcmp(f->kind, "check"))
            ck_assert(!strcmp(w->ft, "/Btn") && !(w->ff & 32768) && !strcmp(w->on, "/Yes"));
        else if (!strcmp(f->kind, "radio"))
            ck_assert(!strcmp(w->ft, "/Btn") && (w->ff & 32768) && w->on[0]);
        else
            ck_abort_msg("field kind %s", f->kind);
        /* inside the printed frame: a box has rules on both edges, a blank a rule under it,
         * write-in lines and name lines rules inside */
        bool box = !strcmp(f->kind, "check") || !strcmp(f->kind, "radio") || g_str_has_prefix(strchr(f->name, '/'), "/m") ||
                   g_str_has_prefix(strchr(f->name, '/'), "/step") || g_str_has_suffix(f->name, "/score");
        if (box)
            ck_assert_msg(rule_on_edge(&d, f, true) && rule_on_edge(&d, f, false), "%s: no printed box around it", f->name);
        else if (strstr(f->name, "/gap"))
            ck_assert_msg(rule_on_edge(&d, f, false), "%s: no rule under the blank", f->name);
        else if (!strstr(f->name, "/observer/"))
            ck_assert_msg(rules_inside(&d, f) >= 1, "%s: no rule to write on inside it", f->name);
    }
    /* reading order on each page: each widget is below the one before, or beside it */
    for (guint i = 1; i < ws->len; i++) {
        const widget *a = &g_array_index(ws, widget, i - 1), *b = &g_array_index(ws, widget, i);
        if (a->page != b->page)
            continue;
        bool below = b->r[3] <= a->r[3] + 0.5, beside = b->r[0] >= a->r[2] - 0.5 && b->r[1] < a->r[3] && b->r[3] > a->r[1];
        ck_assert_msg(below || beside, "%s comes after %s on page %d but is above and not beside it", b->name, a->name,
                      a->page + 1);
    }
    /* the tab order is the structure's (/Tabs /S): a Form element per widget, in the same
     * order as the widgets, each naming its widget */
    char *tree = run("pdfinfo -struct-text '%s'", pdf);
    char **lines = g_strsplit(tree, "\n", -1);
    guint forms = 0;
    for (char **l = lines; *l; l++) {
        if (strcmp(g_strstrip(*l), "Form"))
            continue;
        ck_assert_uint_lt(forms, ws->len);
        int obj = -1;
        ck_assert_msg(l[1] && sscanf(l[1], " Object %d", &obj) == 1, "a Form element without its widget");
        ck_assert_int_eq(obj, g_array_index(ws, widget, forms).id);
        forms++;
    }
    ck_assert_uint_eq(forms, ws->len);
    g_strfreev(lines);
    free(tree);
    /* the fields' font in /DR: Type0 over the whole TrueType program of PT Sans or DejaVu
     * Sans (both with Cyrillic), embedded (pdffonts lists only the fonts of pages) */
    qpdf_oh font = qpdf_oh_get_key(q, qpdf_oh_get_key(q, qpdf_oh_get_key(q, qpdf_oh_get_key(q, qpdf_get_root(q), "/AcroForm"), "/DR"), "/Font"), "/WBSans");
    ck_assert_str_eq(qpdf_oh_get_name(q, qpdf_oh_get_key(q, font, "/Subtype")), "/Type0");
    ck_assert_str_eq(qpdf_oh_get_name(q, qpdf_oh_get_key(q, font, "/Encoding")), "/Identity-H");
    qpdf_oh cid = qpdf_oh_get_array_item(q, qpdf_oh_get_key(q, font, "/DescendantFonts"), 0);
    const char *base = qpdf_oh_get_name(q, qpdf_oh_get_key(q, cid, "/BaseFont"));
    ck_assert_msg(!strcmp(base, "/WB-PTS55F") || !strcmp(base, "/WB-DejaVuSans"), "font %s", base);
    qpdf_oh file = qpdf_oh_get_key(q, qpdf_oh_get_key(q, cid, "/FontDescriptor"), "/FontFile2");
    ck_assert(qpdf_oh_is_stream(q, file));
    ck_assert_int_gt(qpdf_oh_get_int_value(q, qpdf_oh_get_key(q, qpdf_oh_get_dict(q, file), "/Length1")), 100000);
    g_array_free(ws, TRUE);
    qpdf_cleanup(&q);
    free(run("qpdf --check '%s'", pdf));
    dump_free(&d);
    g_free(pdf);
}

START_TEST(fields_in_the_participant_workbook)
{
    check_fields(SHORT_COURSE, "participant", 20);
}
END_TEST

START_TEST(fields_on_the_exercise_sheets)
{
    /* every kind of exercise, and a name and date line on each sheet */
    check_fields(LONG_COURSE, "exercises", 150);
    char *pdf = build(LONG_COURSE, "exercises", "-p fillable=yes", "sheets", "pdf");
    qpdf_data q = open_pdf(pdf);
    GArray *ws = widgets_of(q);
    /* each kind of exercise, found by the name its fields end with (the exercises' numbers
     * are the course's to change): a field of it with as many widgets as it has frames */
    static const struct {
        const char *suffix, *ft;
        int min_widgets, max_widgets;
    } expect[] = {
        {"/name", "/Tx", 1, 1},          {"/date", "/Tx", 1, 1}, /* each sheet's name and date */
        {"/q1", "/Tx", 1, 1},                                     /* open question */
        {"/s1", "/Btn", 2, 2},                                    /* true or false */
        {"/c1", "/Btn", 5, 10},                                   /* a rating scale's row */
        {"/m1", "/Tx", 1, 1},                                     /* matching */
        {"/gap1", "/Tx", 1, 1},                                   /* fill in the blanks */
        {"/step1", "/Tx", 1, 1},                                  /* sequencing */
        {"/observer/c1", "/Tx", 1, 1},                            /* observer sheet */
        {"/q1a", "/Btn", 1, 1},                                   /* multiple choice */
        {"/item1", "/Btn", 1, 1},        {"/score", "/Tx", 1, 1}, /* checklist */
    };
    for (size_t i = 0; i < G_N_ELEMENTS(expect); i++) {
        bool found = false;
        for (guint k = 0; k < ws->len && !found; k++) {
            const widget *w = &g_array_index(ws, widget, k);
            if (!g_str_has_suffix(w->name, expect[i].suffix) || strcmp(w->ft, expect[i].ft))
                continue;
            int n = 0;
            for (guint j = 0; j < ws->len; j++)
                n += !strcmp(g_array_index(ws, widget, j).name, w->name);
            found = n >= expect[i].min_widgets && n <= expect[i].max_widgets;
        }
        ck_assert_msg(found, "no %s field ending in %s with %d to %d widgets", expect[i].ft, expect[i].suffix,
                      expect[i].min_widgets, expect[i].max_widgets);
    }
    /* a single choice: a radio group of one question, its choices' letters as values */
    bool single = false;
    for (guint k = 0; k < ws->len && !single; k++) {
        const widget *w = &g_array_index(ws, widget, k);
        single = (w->ff & 32768) && g_str_has_suffix(w->name, "/q1") && !strcmp(w->on, "/b");
    }
    ck_assert_msg(single, "no single-choice radio group");
    /* the export values of a true/false group */
    bool tf = false;
    for (guint k = 0; k < ws->len && !tf; k++)
        tf = g_str_has_suffix(g_array_index(ws, widget, k).name, "/s1") && !strcmp(g_array_index(ws, widget, k).on, "/false");
    ck_assert(tf);
    g_array_free(ws, TRUE);
    qpdf_cleanup(&q);
    g_free(pdf);
}
END_TEST

/* ------------------------------------------------------------------ filling */

/* The terminal field of a full name (a handle of q), or 0. */
static qpdf_oh field_named(qpdf_data q, const char *name)
{
    int pages = qpdf_get_num_pages(q);
    for (int p = 0; p < pages; p++) {
        qpdf_oh annots = qpdf_oh_get_key(q, qpdf_get_page_n(q, (size_t)p), "/Annots");
        int n = qpdf_oh_is_array(q, annots) ? qpdf_oh_get_array_n_items(q, annots) : 0;
        for (int i = 0; i < n; i++) {
            qpdf_oh field = qpdf_oh_get_key(q, qpdf_oh_get_array_item(q, annots, i), "/Parent");
            char full[128];
            full_name(q, field, full, sizeof full);
            if (!strcmp(full, name))
                return field;
        }
    }
    return 0;
}

/* Turns a button on: the field's /V and the /AS of each of its widgets (on: the widget whose
 * on state it is; the others off). */
static void press(qpdf_data q, const char *name, const char *state)
{
    qpdf_oh field = field_named(q, name);
    ck_assert_msg(field, "no field %s", name);
    qpdf_oh_replace_key(q, field, "/V", qpdf_oh_new_name(q, state));
    qpdf_oh kids = qpdf_oh_get_key(q, field, "/Kids");
    for (int i = 0; i < qpdf_oh_get_array_n_items(q, kids); i++) {
        qpdf_oh w = qpdf_oh_get_array_item(q, kids, i);
        bool has = qpdf_oh_has_key(q, qpdf_oh_get_key(q, qpdf_oh_get_key(q, w, "/AP"), "/N"), state);
        qpdf_oh_replace_key(q, w, "/AS", qpdf_oh_new_name(q, has ? state : "/Off"));
    }
}

/* The fraction of pixels that differ between two PNGs of one size, and the box they lie in
 * (pixels). */
static int png_diff(const char *a, const char *b, int box[4])
{
    cairo_surface_t *sa = cairo_image_surface_create_from_png(a), *sb = cairo_image_surface_create_from_png(b);
    ck_assert_int_eq(cairo_surface_status(sa), CAIRO_STATUS_SUCCESS);
    ck_assert_int_eq(cairo_surface_status(sb), CAIRO_STATUS_SUCCESS);
    int w = cairo_image_surface_get_width(sa), h = cairo_image_surface_get_height(sa);
    ck_assert_int_eq(w, cairo_image_surface_get_width(sb));
    ck_assert_int_eq(h, cairo_image_surface_get_height(sb));
    int stride = cairo_image_surface_get_stride(sa), n = 0;
    const unsigned char *pa = cairo_image_surface_get_data(sa), *pb = cairo_image_surface_get_data(sb);
    box[0] = box[1] = INT32_MAX;
    box[2] = box[3] = -1;
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++)
            if (memcmp(pa + y * stride + 4 * x, pb + y * stride + 4 * x, 4)) {
                n++;
                box[0] = MIN(box[0], x), box[1] = MIN(box[1], y), box[2] = MAX(box[2], x), box[3] = MAX(box[3], y);
            }
    cairo_surface_destroy(sa);
    cairo_surface_destroy(sb);
    return n;
}

START_TEST(fill_and_read_back)
{
    char *pdf = build(SHORT_COURSE, "participant", "-p fillable=yes", "fill", "pdf");
    char *filled = g_strdup_printf("%s/filled.pdf", tmp);
    const char *answer = "Ответ: перезвоню до 16:00 — Réponse";
    qpdf_data q = open_pdf(pdf);
    qpdf_oh text = field_named(q, "ex-1.3/q1");
    ck_assert(text);
    qpdf_oh_replace_key(q, text, "/V", qpdf_oh_new_unicode_string(q, answer));
    press(q, "ex-1.1/item2", "/Yes");
    press(q, "ex-1.2/s1", "/false");
    ck_assert(!(qpdf_init_write(q, filled) & QPDF_ERRORS));
    ck_assert(!(qpdf_write(q) & QPDF_ERRORS));
    qpdf_cleanup(&q);

    /* read back with libqpdf */
    q = open_pdf(filled);
    char v[256];
    text_of(q, qpdf_oh_get_key(q, field_named(q, "ex-1.3/q1"), "/V"), v, sizeof v);
    ck_assert_str_eq(v, answer);
    ck_assert_str_eq(qpdf_oh_get_name(q, qpdf_oh_get_key(q, field_named(q, "ex-1.1/item2"), "/V")), "/Yes");
    ck_assert_str_eq(qpdf_oh_get_name(q, qpdf_oh_get_key(q, field_named(q, "ex-1.2/s1"), "/V")), "/false");
    ck_assert_str_eq(qpdf_oh_get_name(q, qpdf_oh_get_key(q, field_named(q, "ex-1.1/item1"), "/V")), "/Off");
    GArray *ws = widgets_of(q);
    widget tick = *find_widget(ws, "ex-1.1/item2", NULL);
    g_array_free(ws, TRUE);
    qpdf_cleanup(&q);
    /* ...and with qpdf's JSON of the form */
    char *json = run("qpdf --json --json-key=acroform '%s'", filled);
    ck_assert_msg(strstr(json, "\"value\": \"u:Ответ: перезвоню до 16:00 — Réponse\""), "%s", json);
    ck_assert(strstr(json, "\"fullname\": \"ex-1.2/s1\""));
    free(json);

    /* a tick alone is drawn inside the box it was printed in, and nothing else changes
     * (poppler draws the widgets' appearances) */
    q = open_pdf(pdf);
    press(q, "ex-1.1/item2", "/Yes");
    ck_assert(!(qpdf_init_write(q, filled) & QPDF_ERRORS));
    ck_assert(!(qpdf_write(q) & QPDF_ERRORS));
    qpdf_cleanup(&q);
    char *cmd_a = g_strdup_printf("%s/a", tmp), *cmd_b = g_strdup_printf("%s/b", tmp);
    int page = tick.page + 1;
    free(run("pdftoppm -png -r 72 -f %d -l %d '%s' '%s'", page, page, pdf, cmd_a));
    free(run("pdftoppm -png -r 72 -f %d -l %d '%s' '%s'", page, page, filled, cmd_b));
    char *png_a = NULL, *png_b = NULL;
    for (int digits = 1; digits <= 3 && (!png_a || !g_file_test(png_a, G_FILE_TEST_EXISTS)); digits++) {
        g_free(png_a);
        g_free(png_b);
        png_a = g_strdup_printf("%s-%0*d.png", cmd_a, digits, page);
        png_b = g_strdup_printf("%s-%0*d.png", cmd_b, digits, page);
    }
    int box[4];
    int n = png_diff(png_a, png_b, box);
    double ph = 841.89;
    ck_assert_msg(n > 4, "the tick is not drawn");
    ck_assert_msg(box[0] >= floor(tick.r[0]) && box[2] <= ceil(tick.r[2]) && box[1] >= floor(ph - tick.r[3]) &&
                      box[3] <= ceil(ph - tick.r[1]),
                  "the tick [%d %d %d %d] is outside its box [%g %g %g %g]", box[0], box[1], box[2], box[3], tick.r[0],
                  ph - tick.r[3], tick.r[2], ph - tick.r[1]);
    g_free(png_a);
    g_free(png_b);
    g_free(cmd_a);
    g_free(cmd_b);
    g_free(filled);
    g_free(pdf);
}
END_TEST

/* ------------------------------------------------------------------ look */

START_TEST(the_printed_look_does_not_change)
{
    char *plain = build(LONG_COURSE, "exercises", "", "plain", "pdf");
    char *fill = build(LONG_COURSE, "exercises", "-p fillable=yes", "fill", "pdf");
    free(run("pdftoppm -png -r 40 '%s' '%s/p' && pdftoppm -png -r 40 '%s' '%s/f'", plain, tmp, fill, tmp));
    int pages = 0;
    for (int i = 1; i < 100; i++) {
        char *a = g_strdup_printf("%s/p-%02d.png", tmp, i), *b = g_strdup_printf("%s/f-%02d.png", tmp, i);
        if (!g_file_test(a, G_FILE_TEST_EXISTS)) {
            ck_assert(!g_file_test(b, G_FILE_TEST_EXISTS));
            g_free(a);
            g_free(b);
            break;
        }
        int box[4];
        ck_assert_msg(png_diff(a, b, box) == 0, "page %d looks different when fillable", i);
        pages++;
        g_free(a);
        g_free(b);
    }
    ck_assert_int_gt(pages, 10);
    g_free(plain);
    g_free(fill);
}
END_TEST

START_TEST(no_form_unless_asked)
{
    static const struct {
        const char *edition, *extra;
    } cases[] = {
        {"participant", ""},                       /* the printed workbook */
        {"answers", "-p fillable=yes"},            /* nothing to fill where answers show */
        {"trainer", "-p fillable=yes"},
    };
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        char *pdf = build(SHORT_COURSE, cases[i].edition, cases[i].extra, "none", "pdf");
        char *info = run("pdfinfo '%s'", pdf);
        ck_assert_msg(strstr(info, "Form:            none"), "%s %s:\n%s", cases[i].edition, cases[i].extra, info);
        free(info);
        g_free(pdf);
    }
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("forms");
    TCase *tc = tcase_create("fields");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, fields_in_the_participant_workbook);
    tcase_add_test(tc, fields_on_the_exercise_sheets);
    tcase_add_test(tc, fill_and_read_back);
    tcase_add_test(tc, the_printed_look_does_not_change);
    tcase_add_test(tc, no_form_unless_asked);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return wb_test_main(suite()); }
