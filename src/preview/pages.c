/* What the server says: the first view as plain HTML (a form for language, edition and
 * paper, the messages, an <img> per page, so that it works without script), the state as
 * JSON for the script that follows the builds, and a course position as JSON for a click. */
#include "preview/preview-private.h"

#include <stdlib.h>
#include <string.h>

static const char *const editions[] = {"participant", "trainer", "exercises", "answers", NULL};
static const char *const papers[] = {"A4", "A5", "letter", NULL};

static void json_string(GString *s, const char *v)
{
    if (!v) {
        g_string_append(s, "null");
        return;
    }
    g_string_append_c(s, '"');
    for (const unsigned char *p = (const unsigned char *)v; *p; p++) {
        if (*p == '"' || *p == '\\')
            g_string_append_printf(s, "\\%c", *p);
        else if (*p < 0x20)
            g_string_append_printf(s, "\\u%04x", *p);
        else
            g_string_append_c(s, (char)*p);
    }
    g_string_append_c(s, '"');
}

static void html_text(GString *s, const char *v)
{
    char *e = g_markup_escape_text(v ? v : "", -1);
    g_string_append(s, e);
    g_free(e);
}

static const char *severity_name(wb_severity sev)
{
    return sev == WB_SEV_ERROR ? "error" : sev == WB_SEV_WARNING ? "warning" : "note";
}

/* "file:line:col: severity: text", as the command line prints it */
static char *message_line(const pv_message *m)
{
    GString *s = g_string_new(NULL);
    if (m->file) {
        g_string_append(s, m->file);
        if (m->line > 0)
            g_string_append_printf(s, ":%d", m->line);
        if (m->line > 0 && m->col > 0)
            g_string_append_printf(s, ":%d", m->col);
        g_string_append(s, ": ");
    }
    g_string_append_printf(s, "%s: %s", severity_name(m->severity), m->text);
    return g_string_free(s, FALSE);
}

static void select_of(GString *s, const char *name, const char *label, const char *const *values, const char *current)
{
    g_string_append_printf(s, "<label>%s <select name=\"%s\">", label, name);
    for (int i = 0; values && values[i]; i++) {
        g_string_append(s, "<option");
        if (current && !g_ascii_strcasecmp(current, values[i]))
            g_string_append(s, " selected");
        g_string_append(s, ">");
        html_text(s, values[i]);
        g_string_append(s, "</option>");
    }
    g_string_append(s, "</select></label> ");
}

static const char *edition_of(const pv_state *st) { return st->edition ? st->edition : "participant"; }
static const char *paper_of(const pv_state *st) { return st->paper ? st->paper : "A4"; }
static const char *lang_of(const pv_state *st)
{
    return st->lang ? st->lang : st->languages && st->languages[0] ? st->languages[0] : NULL;
}

char *pv_html(const pv_state *st)
{
    GString *s = g_string_new("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    char *base = g_path_get_basename(st->course);
    g_string_append(s, "<title>");
    html_text(s, base);
    g_string_append(s, " · preview</title>\n<link rel=\"stylesheet\" href=\"/app.css\">\n</head>\n");
    g_string_append_printf(s, "<body data-generation=\"%d\">\n<header>\n<form method=\"get\" action=\"/\">", st->generation);
    g_string_append(s, "<strong>");
    html_text(s, base);
    g_string_append(s, "</strong> ");
    g_free(base);
    select_of(s, "lang", "Language", (const char *const *)st->languages, lang_of(st));
    select_of(s, "edition", "Edition", editions, edition_of(st));
    select_of(s, "paper", "Paper", papers, paper_of(st));
    g_string_append(s, "<button type=\"submit\">Rebuild</button></form>\n");
    g_string_append_printf(s, "<span id=\"status\" class=\"%s\">%s in %.2f s, %u pages</span>\n",
                           st->failed ? "failed" : "ok", st->failed ? "Failed" : "Built", st->seconds,
                           st->pages ? st->pages->len : 0);
    g_string_append(s, "</header>\n<section id=\"messages\"><ul>");
    for (guint i = 0; st->messages && i < st->messages->len; i++) {
        const pv_message *m = g_ptr_array_index(st->messages, i);
        char *line = message_line(m);
        g_string_append_printf(s, "<li class=\"%s\">", severity_name(m->severity));
        html_text(s, line);
        g_string_append(s, "</li>");
        g_free(line);
    }
    g_string_append(s, "</ul></section>\n<main id=\"pages\">\n");
    for (guint i = 0; st->pages && i < st->pages->len; i++) {
        const pv_page *pg = g_ptr_array_index(st->pages, i);
        /* CSS pixels are 1/96 in, points 1/72 */
        g_string_append_printf(s,
                               "<figure class=\"page\" id=\"page-%u\" data-hash=\"%s\" data-width=\"%.2f\" "
                               "data-height=\"%.2f\"><img src=\"/page/%u/%s.png\" width=\"%d\" height=\"%d\" "
                               "alt=\"Page %u\"><figcaption>%u</figcaption></figure>\n",
                               i + 1, pg->hash, pg->width, pg->height, i + 1, pg->hash, (int)(pg->width * 4 / 3 + 0.5),
                               (int)(pg->height * 4 / 3 + 0.5), i + 1, i + 1);
    }
    g_string_append(s, "</main>\n<aside id=\"where\" hidden></aside>\n<script src=\"/app.js\"></script>\n</body>\n</html>\n");
    return g_string_free(s, FALSE);
}

char *pv_state_json(const pv_state *st)
{
    GString *s = g_string_new(NULL);
    g_string_append_printf(s, "{\"generation\":%d,\"seconds\":%.3f,\"failed\":%s,\"first_changed\":%d,", st->generation,
                           st->seconds, st->failed ? "true" : "false", st->first_changed);
    g_string_append(s, "\"lang\":");
    json_string(s, lang_of(st));
    g_string_append(s, ",\"edition\":");
    json_string(s, edition_of(st));
    g_string_append(s, ",\"paper\":");
    json_string(s, paper_of(st));
    g_string_append(s, ",\"messages\":[");
    for (guint i = 0; st->messages && i < st->messages->len; i++) {
        const pv_message *m = g_ptr_array_index(st->messages, i);
        char *line = message_line(m);
        g_string_append_printf(s, "%s{\"severity\":\"%s\",\"file\":", i ? "," : "", severity_name(m->severity));
        json_string(s, m->file);
        g_string_append_printf(s, ",\"line\":%d,\"col\":%d,\"text\":", m->line, m->col);
        json_string(s, line);
        g_string_append(s, "}");
        g_free(line);
    }
    g_string_append(s, "],\"pages\":[");
    for (guint i = 0; st->pages && i < st->pages->len; i++) {
        const pv_page *pg = g_ptr_array_index(st->pages, i);
        g_string_append_printf(s, "%s{\"hash\":\"%s\",\"width\":%.2f,\"height\":%.2f}", i ? "," : "", pg->hash, pg->width,
                               pg->height);
    }
    g_string_append(s, "]}");
    return g_string_free(s, FALSE);
}

char *pv_source_json(const char *source)
{
    /* "file:line:col"; the file itself may hold colons */
    char *file = g_strdup(source);
    char *c2 = strrchr(file, ':');
    char *c1 = NULL;
    if (c2) {
        *c2 = 0;
        c1 = strrchr(file, ':');
    }
    int line = 0, col = 0;
    if (c1) {
        *c1 = 0;
        line = atoi(c1 + 1);
        col = atoi(c2 + 1);
    } else if (c2) {
        line = atoi(c2 + 1);
    }
    char *abs;
    if (g_path_is_absolute(file)) {
        abs = g_canonicalize_filename(file, NULL);
    } else {
        char *cwd = g_get_current_dir();
        abs = g_canonicalize_filename(file, cwd);
        g_free(cwd);
    }
    char *uri = g_filename_to_uri(abs, NULL, NULL);
    char *where = g_strdup_printf("%s:%d", abs, line);
    GString *s = g_string_new("{\"file\":");
    json_string(s, abs);
    g_string_append_printf(s, ",\"line\":%d,\"col\":%d,\"uri\":", line, col);
    json_string(s, uri);
    g_string_append(s, ",\"where\":");
    json_string(s, where);
    g_string_append(s, "}");
    g_free(where);
    g_free(uri);
    g_free(abs);
    g_free(file);
    return g_string_free(s, FALSE);
}
