/* PDF/A-2b with libqpdf; see pdfa.h. */
#include "pdf/pdfa.h"

#include <stdio.h>
#include <string.h>

#include <glib.h>

/* Where Debian keeps an sRGB profile: icc-profiles-free (tools/deps.sh), else colord's. */
static const char *const srgb_profiles[] = {
    "/usr/share/color/icc/sRGB.icc",
    "/usr/share/color/icc/colord/sRGB.icc",
};

/* A value of the document information dictionary as UTF-8 (g_free), or NULL. */
static char *info_value(qpdf_data q, qpdf_oh info, const char *key)
{
    if (!qpdf_oh_is_dictionary(q, info) || !qpdf_oh_has_key(q, info, key))
        return NULL;
    const char *v = qpdf_oh_get_utf8_value(q, qpdf_oh_get_key(q, info, key));
    return v && *v ? g_strdup(v) : NULL;
}

/* A PDF date, "D:YYYYMMDDHHmmSS" and an offset (Z, +HH'mm'), as XMP wants it (ISO 8601,
 * the same instant: 6.6.2.3 compares them).  NULL when it is not such a date. */
static char *xmp_date(const char *pdf)
{
    if (!pdf)
        return NULL;
    if (!strncmp(pdf, "D:", 2))
        pdf += 2;
    int y = 0, mo = 1, d = 1, h = 0, mi = 0, s = 0, n = 0;
    if (sscanf(pdf, "%4d%n", &y, &n) != 1 || n != 4)
        return NULL;
    const char *rest = pdf + 4;
    int *parts[] = {&mo, &d, &h, &mi, &s};
    for (size_t i = 0; i < G_N_ELEMENTS(parts) && g_ascii_isdigit(rest[0]) && g_ascii_isdigit(rest[1]); i++) {
        *parts[i] = (rest[0] - '0') * 10 + (rest[1] - '0');
        rest += 2;
    }
    char tz[16] = "";
    if (*rest == 'Z')
        strcpy(tz, "Z");
    else if ((*rest == '+' || *rest == '-') && g_ascii_isdigit(rest[1]) && g_ascii_isdigit(rest[2])) {
        int th = (rest[1] - '0') * 10 + (rest[2] - '0'), tm = 0;
        const char *m = rest + 3;
        if (*m == '\'')
            m++;
        if (g_ascii_isdigit(m[0]) && g_ascii_isdigit(m[1]))
            tm = (m[0] - '0') * 10 + (m[1] - '0');
        snprintf(tz, sizeof tz, "%c%02d:%02d", *rest, th, tm);
    }
    return g_strdup_printf("%04d-%02d-%02dT%02d:%02d:%02d%s", y, mo, d, h, mi, s, tz);
}

static void xml_element(GString *x, const char *name, const char *value, const char *wrap)
{
    if (!value)
        return;
    char *esc = g_markup_escape_text(value, -1);
    if (!wrap)
        g_string_append_printf(x, "   <%s>%s</%s>\n", name, esc, name);
    else if (!strcmp(wrap, "Alt"))
        g_string_append_printf(x, "   <%s><rdf:Alt><rdf:li xml:lang=\"x-default\">%s</rdf:li></rdf:Alt></%s>\n", name, esc, name);
    else
        g_string_append_printf(x, "   <%s><rdf:%s><rdf:li>%s</rdf:li></rdf:%s></%s>\n", name, wrap, esc, wrap, name);
    g_free(esc);
}

/* The XMP packet of the document information dictionary. */
static char *xmp_of(qpdf_data q)
{
    qpdf_oh info = qpdf_oh_get_key(q, qpdf_get_trailer(q), "/Info");
    char *title = info_value(q, info, "/Title"), *author = info_value(q, info, "/Author");
    char *subject = info_value(q, info, "/Subject"), *keywords = info_value(q, info, "/Keywords");
    char *creator = info_value(q, info, "/Creator"), *producer = info_value(q, info, "/Producer");
    char *c = info_value(q, info, "/CreationDate"), *m = info_value(q, info, "/ModDate");
    char *created = xmp_date(c), *modified = xmp_date(m);
    GString *x = g_string_new("<?xpacket begin=\"\xEF\xBB\xBF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n"
                              "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n"
                              " <rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n"
                              "  <rdf:Description rdf:about=\"\" xmlns:pdfaid=\"http://www.aiim.org/pdfa/ns/id/\""
                              " xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\""
                              " xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\">\n"
                              "   <pdfaid:part>2</pdfaid:part>\n"
                              "   <pdfaid:conformance>B</pdfaid:conformance>\n"
                              "   <dc:format>application/pdf</dc:format>\n");
    xml_element(x, "dc:title", title, "Alt");
    xml_element(x, "dc:creator", author, "Seq");
    xml_element(x, "dc:description", subject, "Alt");
    xml_element(x, "pdf:Keywords", keywords, NULL);
    xml_element(x, "pdf:Producer", producer, NULL);
    xml_element(x, "xmp:CreatorTool", creator, NULL);
    xml_element(x, "xmp:CreateDate", created, NULL);
    xml_element(x, "xmp:ModifyDate", modified, NULL);
    g_string_append(x, "  </rdf:Description>\n </rdf:RDF>\n</x:xmpmeta>\n");
    /* room to edit the packet in place, as XMP writers leave */
    for (int i = 0; i < 20; i++)
        g_string_append(x, "                                                                                \n");
    g_string_append(x, "<?xpacket end=\"w\"?>");
    char *strs[] = {title, author, subject, keywords, creator, producer, c, m, created, modified};
    for (size_t i = 0; i < G_N_ELEMENTS(strs); i++)
        g_free(strs[i]);
    return g_string_free(x, FALSE);
}

static qpdf_oh new_stream(qpdf_data q, const char *dict, const void *data, size_t len)
{
    qpdf_oh s = qpdf_oh_new_stream(q);
    qpdf_oh d = qpdf_oh_get_dict(q, s);
    qpdf_oh parsed = qpdf_oh_parse(q, dict);
    qpdf_oh_begin_dict_key_iter(q, parsed);
    while (qpdf_oh_dict_more_keys(q)) {
        const char *key = qpdf_oh_dict_next_key(q);
        qpdf_oh_replace_key(q, d, key, qpdf_oh_get_key(q, parsed, key));
    }
    qpdf_oh null = qpdf_oh_new_null(q);
    qpdf_oh_replace_stream_data(q, s, data, len, null, null);
    return s;
}

wb_status wb_pdf_make_pdfa(wb_ctx *ctx, qpdf_data q, const char *name)
{
    gchar *icc = NULL;
    gsize icc_len = 0;
    for (size_t i = 0; !icc && i < G_N_ELEMENTS(srgb_profiles); i++)
        if (!g_file_get_contents(srgb_profiles[i], &icc, &icc_len, NULL))
            icc = NULL;
    if (!icc) {
        wb_error(ctx, WB_ERR_INTERNAL, name, 0, 0,
                 "PDF/A needs an sRGB ICC profile: none in %s or %s (Debian package icc-profiles-free)",
                 srgb_profiles[0], srgb_profiles[1]);
        return WB_ERR_INTERNAL;
    }
    qpdf_oh root = qpdf_get_root(q);

    /* the information dictionary's dates as PDF dates: cairo 1.16 leaves out the "D:" */
    qpdf_oh info = qpdf_oh_get_key(q, qpdf_get_trailer(q), "/Info");
    static const char *const dates[] = {"/CreationDate", "/ModDate"};
    for (size_t i = 0; i < G_N_ELEMENTS(dates); i++) {
        char *d = info_value(q, info, dates[i]);
        if (d && strncmp(d, "D:", 2)) {
            char *fixed = g_strconcat("D:", d, NULL);
            qpdf_oh_replace_key(q, info, dates[i], qpdf_oh_new_string(q, fixed));
            g_free(fixed);
        }
        g_free(d);
    }

    /* the XMP packet: qpdf leaves /Type /Metadata streams uncompressed, as PDF/A wants */
    char *xmp = xmp_of(q);
    qpdf_oh meta = new_stream(q, "<< /Type /Metadata /Subtype /XML >>", xmp, strlen(xmp));
    qpdf_oh_replace_key(q, root, "/Metadata", meta);
    g_free(xmp);

    /* the output intent: sRGB, the space cairo's DeviceRGB stands for */
    qpdf_oh profile = new_stream(q, "<< /N 3 >>", icc, icc_len);
    g_free(icc);
    qpdf_oh intent = qpdf_oh_parse(q, "<< /Type /OutputIntent /S /GTS_PDFA1 /OutputConditionIdentifier (sRGB IEC61966-2.1)"
                                      " /Info (sRGB IEC61966-2.1) /RegistryName (http://www.color.org) >>");
    qpdf_oh_replace_key(q, intent, "/DestOutputProfile", profile);
    qpdf_oh intents = qpdf_oh_new_array(q);
    qpdf_oh_append_item(q, intents, qpdf_make_indirect_object(q, intent));
    qpdf_oh_replace_key(q, root, "/OutputIntents", intents);

    /* annotations printed and shown (6.3.2): cairo's links carry no flags */
    int pages = qpdf_get_num_pages(q);
    for (int p = 0; p < pages; p++) {
        qpdf_oh annots = qpdf_oh_get_key(q, qpdf_get_page_n(q, (size_t)p), "/Annots");
        int n = qpdf_oh_is_array(q, annots) ? qpdf_oh_get_array_n_items(q, annots) : 0;
        for (int i = 0; i < n; i++) {
            qpdf_oh a = qpdf_oh_get_array_item(q, annots, i);
            if (!qpdf_oh_is_dictionary(q, a))
                continue;
            long long f = qpdf_oh_has_key(q, a, "/F") ? qpdf_oh_get_int_value(q, qpdf_oh_get_key(q, a, "/F")) : 0;
            f = (f | 4) & ~(1LL | 2LL | 32LL); /* Print; not Invisible, Hidden, NoView */
            qpdf_oh_replace_key(q, a, "/F", qpdf_oh_new_integer(q, f));
        }
    }
    if (qpdf_has_error(q)) {
        qpdf_error e = qpdf_get_error(q);
        wb_error(ctx, WB_ERR_INTERNAL, name, 0, 0, "cannot make the PDF a PDF/A: %s", qpdf_get_error_full_text(q, e));
        return WB_ERR_INTERNAL;
    }
    return WB_OK;
}
