/* Document information of the page model: metadata and outline, as the formatter found them
 * and the renderers write them. */
#include "workbook/page.h"

#include <glib.h>

static void outline_clear(wb_outline *entries, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        g_free(entries[i].title);
        g_free(entries[i].dest);
        outline_clear(entries[i].children, entries[i].count);
        g_free(entries[i].children);
    }
}

void wb_docinfo_clear(wb_docinfo *info)
{
    if (!info)
        return;
    g_free(info->title);
    g_free(info->author);
    g_free(info->subject);
    g_free(info->keywords);
    g_free(info->lang);
    g_free(info->creator);
    outline_clear(info->outline, info->outline_count);
    g_free(info->outline);
    *info = (wb_docinfo){0};
}
