/* Lines of the page model: made by the line breaker, shared by the areas that show them,
 * freed with their last reference.  The count is atomic: a page relay (relay.c) renders a
 * page's copy on a thread of its own while the formatter shares the same lines. */
#include "workbook/page.h"

#include <glib.h>

wb_line *wb_line_ref(wb_line *line)
{
    g_atomic_int_inc(&line->refs);
    return line;
}

void wb_line_unref(wb_line *line)
{
    if (!line || !g_atomic_int_dec_and_test(&line->refs))
        return;
    for (size_t i = 0; i < line->count; i++)
        pango_glyph_item_free(line->runs[i].glyphs);
    g_free(line->runs);
    g_free(line->text);
    g_free(line);
}
