/* Form fields of a fillable workbook, added to cairo's document with libqpdf; see fields.h.
 *
 * Objects are made with qpdf_oh_parse from text where that is shorter than building them key
 * by key; strings from the course (field names) go through qpdf's own string objects, never
 * into that text, so no name can break the syntax. */
#include "pdf/fields.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <fontconfig/fontconfig.h>
#include <glib.h>

/* The resource name of the fields' font in /DR and their default appearances. */
#define FIELD_FONT "/WBSans"

typedef struct {
    wb_ctx *ctx;
    qpdf_data q;
    const char *name;
    qpdf_oh fields;        /* the /AcroForm's /Fields array */
    GHashTable *by_name;   /* a full name or a prefix of one -> its field (qpdf_oh in a pointer) */
} forms;

/* ------------------------------------------------------------------ the font */

static uint16_t be16(const unsigned char *p) { return (uint16_t)(p[0] << 8 | p[1]); }
static uint32_t be32(const unsigned char *p) { return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3]; }

/* A table of a TrueType font: its bytes, or NULL when the font has none (or it lies outside
 * the file). */
static const unsigned char *tt_table(const unsigned char *font, size_t len, const char *tag, size_t min)
{
    if (len < 12)
        return NULL;
    unsigned n = be16(font + 4);
    for (unsigned i = 0; i < n && 12 + 16 * (size_t)(i + 1) <= len; i++) {
        const unsigned char *rec = font + 12 + 16 * i;
        uint32_t off = be32(rec + 8), size = be32(rec + 12);
        if (!memcmp(rec, tag, 4) && size >= min && off <= len && size <= len - off)
            return font + off;
    }
    return NULL;
}

/* The file of the font the fields use: PT Sans, the workbook's own sans serif, else DejaVu
 * Sans; both have Latin and Cyrillic.  Caller frees with g_free; NULL when neither is there. */
static char *field_font_file(void)
{
    static const char *const families[] = {"PT Sans", "DejaVu Sans"};
    char *found = NULL;
    for (size_t i = 0; !found && i < G_N_ELEMENTS(families); i++) {
        FcPattern *pat = FcPatternBuild(NULL, FC_FAMILY, FcTypeString, families[i], FC_WEIGHT, FcTypeInteger,
                                        FC_WEIGHT_REGULAR, FC_SLANT, FcTypeInteger, FC_SLANT_ROMAN, (char *)NULL);
        FcConfigSubstitute(NULL, pat, FcMatchPattern);
        FcDefaultSubstitute(pat);
        FcResult res;
        FcPattern *m = FcFontMatch(NULL, pat, &res);
        FcChar8 *fam = NULL, *file = NULL;
        /* fontconfig always matches something: only the family asked for will do */
        if (m && FcPatternGetString(m, FC_FAMILY, 0, &fam) == FcResultMatch && !g_ascii_strcasecmp((char *)fam, families[i]) &&
            FcPatternGetString(m, FC_FILE, 0, &file) == FcResultMatch && g_str_has_suffix((char *)file, ".ttf"))
            found = g_strdup((char *)file);
        if (m)
            FcPatternDestroy(m);
        FcPatternDestroy(pat);
    }
    return found;
}

/* The fields' font as a Type0 font (Identity-H) over the whole TrueType program, an indirect
 * object; uninitialised (qpdf_oh 0) with an error on the context when there is none. */
static qpdf_oh field_font(forms *fm)
{
    qpdf_data q = fm->q;
    char *path = field_font_file();
    gchar *data = NULL;
    gsize len = 0;
    if (!path || !g_file_get_contents(path, &data, &len, NULL)) {
        wb_error(fm->ctx, WB_ERR_INTERNAL, fm->name, 0, 0,
                 "no font for the form fields: PT Sans or DejaVu Sans is needed (fonts-paratype, fonts-dejavu-core)%s%s",
                 path ? ": cannot read " : "", path ? path : "");
        g_free(path);
        return 0;
    }
    const unsigned char *u = (const unsigned char *)data;
    const unsigned char *head = tt_table(u, len, "head", 54), *hhea = tt_table(u, len, "hhea", 8);
    if (!head || !hhea || be16(head + 18) == 0) {
        wb_error(fm->ctx, WB_ERR_INTERNAL, fm->name, 0, 0, "the font for the form fields is not TrueType: %s", path);
        g_free(data);
        g_free(path);
        return 0;
    }
    double k = 1000.0 / be16(head + 18);
    int bbox[4] = {(int)((int16_t)be16(head + 36) * k), (int)((int16_t)be16(head + 38) * k),
                   (int)((int16_t)be16(head + 40) * k), (int)((int16_t)be16(head + 42) * k)};
    int asc = (int)((int16_t)be16(hhea + 4) * k), desc = (int)((int16_t)be16(hhea + 6) * k);

    qpdf_oh file = qpdf_oh_new_stream(q);
    qpdf_oh fdict = qpdf_oh_get_dict(q, file);
    qpdf_oh len1 = qpdf_oh_new_integer(q, (long long)len);
    qpdf_oh_replace_key(q, fdict, "/Length1", len1);
    qpdf_oh null = qpdf_oh_new_null(q);
    qpdf_oh_replace_stream_data(q, file, (const unsigned char *)data, len, null, null);

    /* the PostScript name without spaces; no subset tag: the whole font is there, so viewers
     * may set any text in it */
    char *psname = g_path_get_basename(path);
    char *dot = strrchr(psname, '.');
    if (dot)
        *dot = 0;
    for (char *c = psname; *c; c++)
        if (!g_ascii_isalnum(*c) && *c != '-')
            *c = '-';
    char *desc_text = g_strdup_printf("<< /Type /FontDescriptor /FontName /WB-%s /Flags 32 /FontBBox [%d %d %d %d] "
                                      "/ItalicAngle 0 /Ascent %d /Descent %d /CapHeight %d /StemV 80 >>",
                                      psname, bbox[0], bbox[1], bbox[2], bbox[3], asc, desc, asc);
    qpdf_oh fd = qpdf_oh_parse(q, desc_text);
    qpdf_oh_replace_key(q, fd, "/FontFile2", file);
    qpdf_oh fd_ind = qpdf_make_indirect_object(q, fd);
    char *cid_text = g_strdup_printf("<< /Type /Font /Subtype /CIDFontType2 /BaseFont /WB-%s "
                                     "/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> "
                                     "/CIDToGIDMap /Identity /DW 1000 >>", psname);
    qpdf_oh cid = qpdf_oh_parse(q, cid_text);
    qpdf_oh_replace_key(q, cid, "/FontDescriptor", fd_ind);
    qpdf_oh cid_ind = qpdf_make_indirect_object(q, cid);
    char *t0_text = g_strdup_printf("<< /Type /Font /Subtype /Type0 /BaseFont /WB-%s /Encoding /Identity-H >>", psname);
    qpdf_oh t0 = qpdf_oh_parse(q, t0_text);
    qpdf_oh arr = qpdf_oh_new_array(q);
    qpdf_oh_append_item(q, arr, cid_ind);
    qpdf_oh_replace_key(q, t0, "/DescendantFonts", arr);
    qpdf_oh font = qpdf_make_indirect_object(q, t0);
    qpdf_oh objs[] = {fdict, len1, null, fd, fd_ind, cid, cid_ind, t0, arr, file};
    for (size_t i = 0; i < G_N_ELEMENTS(objs); i++)
        qpdf_oh_release(q, objs[i]);
    g_free(desc_text);
    g_free(cid_text);
    g_free(t0_text);
    g_free(psname);
    g_free(data);
    g_free(path);
    return font;
}

/* ------------------------------------------------------------------ appearances */

/* A form XObject of w x h with the given content, an indirect object. */
static qpdf_oh appearance(qpdf_data q, double w, double h, const char *content)
{
    qpdf_oh s = qpdf_oh_new_stream(q);
    qpdf_oh d = qpdf_oh_get_dict(q, s);
    char *text = g_strdup_printf("<< /Type /XObject /Subtype /Form /BBox [0 0 %.2f %.2f] /Resources << >> >>", w, h);
    qpdf_oh parsed = qpdf_oh_parse(q, text);
    qpdf_oh_begin_dict_key_iter(q, parsed);
    while (qpdf_oh_dict_more_keys(q)) {
        const char *key = qpdf_oh_dict_next_key(q);
        qpdf_oh v = qpdf_oh_get_key(q, parsed, key);
        qpdf_oh_replace_key(q, d, key, v);
        qpdf_oh_release(q, v);
    }
    qpdf_oh null = qpdf_oh_new_null(q);
    qpdf_oh_replace_stream_data(q, s, (const unsigned char *)content, strlen(content), null, null);
    qpdf_oh_release(q, null);
    qpdf_oh_release(q, parsed);
    qpdf_oh_release(q, d);
    g_free(text);
    return s;
}

/* The "on" look of a check box or radio button: a tick drawn as a path (no font, so nothing
 * to embed), inside the frame with a margin. */
static char *tick_content(double w, double h)
{
    double s = MIN(w, h), m = s * 0.18, x = (w - s) / 2 + m, y = (h - s) / 2 + m, d = s - 2 * m;
    return g_strdup_printf("q 0 G %.2f w 1 J 1 j %.2f %.2f m %.2f %.2f l %.2f %.2f l S Q", MAX(0.8, s * 0.12), x,
                           y + d * 0.5, x + d * 0.38, y + d * 0.1, x + d, y + d * 0.95);
}

/* ------------------------------------------------------------------ fields */

/* A PDF name from an export value: letters, digits, '-', '_' and '.' as they are, any other
 * byte as #xx (ISO 32000-1, 7.3.5).  Caller frees with g_free. */
static char *pdf_name(const char *value)
{
    GString *s = g_string_new("/");
    for (const unsigned char *c = (const unsigned char *)value; *c; c++) {
        if (g_ascii_isalnum(*c) || *c == '-' || *c == '_' || *c == '.')
            g_string_append_c(s, (char)*c);
        else
            g_string_append_printf(s, "#%02X", *c);
    }
    return g_string_free(s, FALSE);
}

/* The field of a full name, made on first use with the fields above it (one per period).  A
 * non-terminal field only has /T and /Kids; the terminal one gets its type on creation.
 * Borrowed: the handles live in fm->by_name. */
static qpdf_oh field_of(forms *fm, const wb_pdf_field *f)
{
    qpdf_data q = fm->q;
    qpdf_oh parent = 0;
    const char *full = f->name;
    for (const char *part = full;;) {
        const char *dot = strchr(part, '.');
        char *prefix = g_strndup(full, dot ? (size_t)(dot - full) : strlen(full));
        qpdf_oh field = (qpdf_oh)GPOINTER_TO_UINT(g_hash_table_lookup(fm->by_name, prefix));
        if (!field) {
            char *partial = g_strndup(part, dot ? (size_t)(dot - part) : strlen(part));
            qpdf_oh d = qpdf_oh_new_dictionary(q);
            qpdf_oh t = qpdf_oh_new_unicode_string(q, partial);
            qpdf_oh_replace_key(q, d, "/T", t);
            qpdf_oh_release(q, t);
            qpdf_oh kids = qpdf_oh_new_array(q);
            qpdf_oh_replace_key(q, d, "/Kids", kids);
            qpdf_oh_release(q, kids);
            if (!dot) {
                static const char *const types[] = {
                    [WB_FIELD_TEXT] = "<< /FT /Tx /Ff 0 /DA (" FIELD_FONT " 0 Tf 0 g) >>",
                    [WB_FIELD_MULTILINE] = "<< /FT /Tx /Ff 4096 /DA (" FIELD_FONT " 10 Tf 0 g) >>",
                    [WB_FIELD_CHECK] = "<< /FT /Btn /Ff 0 /V /Off /DA (" FIELD_FONT " 0 Tf 0 g) >>",
                    /* a radio group: no toggling off, like the printed single choice */
                    [WB_FIELD_RADIO] = "<< /FT /Btn /Ff 49152 /V /Off /DA (" FIELD_FONT " 0 Tf 0 g) >>",
                };
                qpdf_oh type = qpdf_oh_parse(q, types[f->kind]);
                qpdf_oh_begin_dict_key_iter(q, type);
                while (qpdf_oh_dict_more_keys(q)) {
                    const char *key = qpdf_oh_dict_next_key(q);
                    qpdf_oh v = qpdf_oh_get_key(q, type, key);
                    qpdf_oh_replace_key(q, d, key, v);
                    qpdf_oh_release(q, v);
                }
                qpdf_oh_release(q, type);
            }
            field = qpdf_make_indirect_object(q, d);
            qpdf_oh_release(q, d);
            if (parent) {
                qpdf_oh_replace_key(q, field, "/Parent", parent);
                qpdf_oh pk = qpdf_oh_get_key(q, parent, "/Kids");
                qpdf_oh_append_item(q, pk, field);
                qpdf_oh_release(q, pk);
            } else {
                qpdf_oh_append_item(q, fm->fields, field);
            }
            g_hash_table_insert(fm->by_name, g_strdup(prefix), GUINT_TO_POINTER(field));
            g_free(partial);
        }
        g_free(prefix);
        if (!dot)
            return field;
        parent = field;
        part = dot + 1;
    }
}

/* The widget of one printed frame, added to its field's /Kids and its page's /Annots. */
static void add_widget(forms *fm, const wb_pdf_field *f, qpdf_oh field, qpdf_oh page)
{
    qpdf_data q = fm->q;
    double w = f->x1 - f->x0, h = f->y1 - f->y0;
    char *text = g_strdup_printf("<< /Type /Annot /Subtype /Widget /F 4 /Rect [%.2f %.2f %.2f %.2f] /MK << >> >>", f->x0,
                                 f->y0, f->x1, f->y1);
    qpdf_oh d = qpdf_oh_parse(q, text);
    g_free(text);
    qpdf_oh_replace_key(q, d, "/P", page);
    qpdf_oh_replace_key(q, d, "/Parent", field);
    qpdf_oh ap = qpdf_oh_new_dictionary(q), n = qpdf_oh_new_dictionary(q);
    if (f->kind == WB_FIELD_TEXT || f->kind == WB_FIELD_MULTILINE) {
        /* empty: the printed lines show through */
        qpdf_oh_release(q, n);
        n = appearance(q, w, h, "/Tx BMC EMC");
    } else {
        char *tick = tick_content(w, h);
        char *on = pdf_name(f->kind == WB_FIELD_RADIO ? f->value : "Yes");
        qpdf_oh a_on = appearance(q, w, h, tick), a_off = appearance(q, w, h, "");
        qpdf_oh_replace_key(q, n, on, a_on);
        qpdf_oh_replace_key(q, n, "/Off", a_off);
        qpdf_oh off = qpdf_oh_new_name(q, "/Off");
        qpdf_oh_replace_key(q, d, "/AS", off);
        qpdf_oh objs[] = {a_on, a_off, off};
        for (size_t i = 0; i < G_N_ELEMENTS(objs); i++)
            qpdf_oh_release(q, objs[i]);
        g_free(on);
        g_free(tick);
    }
    qpdf_oh_replace_key(q, ap, "/N", n);
    qpdf_oh_replace_key(q, d, "/AP", ap);
    qpdf_oh widget = qpdf_make_indirect_object(q, d);
    qpdf_oh kids = qpdf_oh_get_key(q, field, "/Kids");
    qpdf_oh_append_item(q, kids, widget);
    qpdf_oh annots = qpdf_oh_get_key(q, page, "/Annots");
    if (!qpdf_oh_is_array(q, annots)) {
        qpdf_oh_release(q, annots);
        annots = qpdf_oh_new_array(q);
        qpdf_oh_replace_key(q, page, "/Annots", annots);
    }
    /* cairo may share the array of a page's link annotations with nothing else; it is the
     * page's own, so appending in place is safe */
    qpdf_oh_append_item(q, annots, widget);
    qpdf_oh objs[] = {ap, n, d, widget, kids, annots};
    for (size_t i = 0; i < G_N_ELEMENTS(objs); i++)
        qpdf_oh_release(q, objs[i]);
}

wb_status wb_pdf_add_fields(wb_ctx *ctx, qpdf_data q, const char *name, const wb_pdf_options *opts)
{
    forms fm = {.ctx = ctx, .q = q, .name = name};
    int pages = qpdf_get_num_pages(q);
    for (size_t i = 0; i < opts->field_count; i++) {
        const wb_pdf_field *f = &opts->fields[i];
        if (f->page < 0 || f->page >= pages || !f->name || !*f->name || f->x1 <= f->x0 || f->y1 <= f->y0 ||
            (f->kind == WB_FIELD_RADIO && (!f->value || !*f->value))) {
            wb_error(ctx, WB_ERR_INTERNAL, name, 0, 0, "form field %zu (\"%s\") is not a field on one of the %d pages", i,
                     f->name ? f->name : "", pages);
            return WB_ERR_INTERNAL;
        }
    }
    qpdf_oh font = field_font(&fm);
    if (!font)
        return WB_ERR_INTERNAL;
    fm.fields = qpdf_oh_new_array(q);
    fm.by_name = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    for (size_t i = 0; i < opts->field_count; i++) {
        const wb_pdf_field *f = &opts->fields[i];
        qpdf_oh page = qpdf_get_page_n(q, (size_t)f->page);
        add_widget(&fm, f, field_of(&fm, f), page);
        qpdf_oh_release(q, page);
    }
    qpdf_oh form = qpdf_oh_parse(q, "<< /DA (" FIELD_FONT " 0 Tf 0 g) /DR << /Font << >> >> >>");
    qpdf_oh dr = qpdf_oh_get_key(q, form, "/DR");
    qpdf_oh fonts = qpdf_oh_get_key(q, dr, "/Font");
    qpdf_oh_replace_key(q, fonts, FIELD_FONT, font);
    qpdf_oh_replace_key(q, form, "/Fields", fm.fields);
    qpdf_oh root = qpdf_get_root(q);
    qpdf_oh_replace_key(q, root, "/AcroForm", form);
    qpdf_oh objs[] = {form, dr, fonts, root, font, fm.fields};
    for (size_t i = 0; i < G_N_ELEMENTS(objs); i++)
        qpdf_oh_release(q, objs[i]);
    g_hash_table_destroy(fm.by_name);
    if (qpdf_has_error(q)) {
        qpdf_error e = qpdf_get_error(q);
        wb_error(ctx, WB_ERR_INTERNAL, name, 0, 0, "cannot add the form fields: %s", qpdf_get_error_full_text(q, e));
        return WB_ERR_INTERNAL;
    }
    return WB_OK;
}
