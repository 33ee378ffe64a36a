/* Pages between the format and render stages: areas and what they hold, freeing, and the
 * plain-text dump tests read. */
#include "workbook/page.h"

#include <stdio.h>

#include <glib.h>

void wb_area_clear(wb_area *a)
{
    switch (a->kind) {
    case WB_AREA_TEXT:
        wb_line_unref(a->u.text.line);
        break;
    case WB_AREA_DOTS:
        wb_line_unref(a->u.dots.dot);
        break;
    case WB_AREA_IMAGE:
        wb_image_unref(a->u.image.image);
        break;
    case WB_AREA_LINK:
        g_free(a->u.link.uri);
        g_free(a->u.link.dest);
        break;
    case WB_AREA_DEST:
        g_free(a->u.dest.name);
        break;
    case WB_AREA_FIELD:
        g_free(a->u.field.name);
        g_free(a->u.field.value);
        break;
    default:
        break;
    }
}

wb_area wb_area_copy(const wb_area *a)
{
    wb_area c = *a;
    switch (a->kind) {
    case WB_AREA_TEXT: wb_line_ref(c.u.text.line); break;
    case WB_AREA_DOTS: wb_line_ref(c.u.dots.dot); break;
    case WB_AREA_IMAGE: wb_image_ref(c.u.image.image); break;
    case WB_AREA_LINK:
        c.u.link.uri = g_strdup(a->u.link.uri);
        c.u.link.dest = g_strdup(a->u.link.dest);
        break;
    case WB_AREA_DEST: c.u.dest.name = g_strdup(a->u.dest.name); break;
    case WB_AREA_FIELD:
        c.u.field.name = g_strdup(a->u.field.name);
        c.u.field.value = g_strdup(a->u.field.value);
        break;
    default: break;
    }
    return c;
}

void wb_page_free(wb_page *page)
{
    if (!page)
        return;
    for (size_t i = 0; i < page->count; i++)
        wb_area_clear(&page->areas[i]);
    g_free(page->areas);
    for (size_t i = 0; i < page->node_count; i++) {
        g_free(page->nodes[i].alt);
        g_free(page->nodes[i].lang);
    }
    g_free(page->nodes);
    g_free(page->number_text);
    g_free(page);
}

wb_page *wb_page_copy(const wb_page *page)
{
    wb_page *c = g_new(wb_page, 1);
    *c = *page;
    c->number_text = g_strdup(page->number_text);
    c->cap = page->count;
    c->areas = g_new(wb_area, MAX(page->count, 1));
    for (size_t i = 0; i < page->count; i++)
        c->areas[i] = wb_area_copy(&page->areas[i]);
    c->nodes = page->node_count ? g_new(wb_struct_node, page->node_count) : NULL;
    for (size_t i = 0; i < page->node_count; i++) {
        c->nodes[i] = page->nodes[i];
        c->nodes[i].alt = g_strdup(page->nodes[i].alt);
        c->nodes[i].lang = g_strdup(page->nodes[i].lang);
    }
    return c;
}

static const char *kind_name(wb_area_kind k)
{
    static const char *const n[] = {"text", "fill", "rule", "dots", "image", "link", "dest", "turn", "field"};
    return k <= WB_AREA_FIELD ? n[k] : "?";
}

void wb_page_dump(const wb_page *page, FILE *out)
{
    fprintf(out, "page %d (%s) %.1fx%.1f\n", page->index + 1, page->number_text ? page->number_text : "",
            page->width, page->height);
    for (size_t i = 0; i < page->count; i++) {
        const wb_area *a = &page->areas[i];
        fprintf(out, "  %s %.1f %.1f %.1f %.1f", kind_name(a->kind), a->x, a->y, a->w, a->h);
        if (a->kind == WB_AREA_TEXT) {
            const wb_line *l = a->u.text.line;
            GString *s = g_string_new(NULL);
            for (const char *p = l->text; *p; p = g_utf8_next_char(p)) {
                gunichar c = g_utf8_get_char(p);
                if (c != 0xAD)
                    g_string_append_unichar(s, c == '\n' || c == '\t' ? ' ' : c);
            }
            fprintf(out, " w=%.1f \"%s\"", l->width, s->str);
            g_string_free(s, TRUE);
        } else if (a->kind == WB_AREA_LINK) {
            fprintf(out, " %s", a->u.link.uri ? a->u.link.uri : a->u.link.dest);
        } else if (a->kind == WB_AREA_DEST) {
            fprintf(out, " %s", a->u.dest.name);
        } else if (a->kind == WB_AREA_IMAGE && a->u.image.background) {
            static const char *const rep[] = {"no-repeat", "repeat-y", "repeat-x", "repeat"};
            fprintf(out, " background %s in %.1f %.1f %.1f %.1f", rep[a->u.image.repeat_x * 2 + a->u.image.repeat_y],
                    a->x + a->u.image.clip.x, a->y + a->u.image.clip.y, a->u.image.clip.w, a->u.image.clip.h);
        } else if (a->kind == WB_AREA_TURN) {
            fprintf(out, " %d", a->u.turn.angle);
        } else if (a->kind == WB_AREA_FIELD) {
            static const char *const fk[] = {"text", "multiline", "check", "radio"};
            fprintf(out, " %s %s%s%s", fk[a->u.field.kind], a->u.field.name, a->u.field.value ? "=" : "",
                    a->u.field.value ? a->u.field.value : "");
        }
        fputc('\n', out);
    }
}
