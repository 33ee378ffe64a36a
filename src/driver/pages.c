/* Formatting into a page sink through a page relay when one pays.  See driver/pages.h. */
#include "driver/pages.h"

#include <sys/resource.h>

#include <glib.h>

#include "page/relay.h"

/* Pages that may wait to be drawn: enough to smooth pages slow to draw (images, tables)
 * without holding much memory. */
#define RELAY_DEPTH 4

/* Whether drawing pages on a thread of their own pays: with a second core, and no limit on
 * the address space.  Under such a limit memory is what is short, and a thread costs address
 * space of its own (its stack, and the malloc arena it gets, 64 MiB reserved). */
static bool relay_pays(void)
{
    struct rlimit as;
    if (getrlimit(RLIMIT_AS, &as) == 0 && as.rlim_cur != RLIM_INFINITY)
        return false;
    return g_get_num_processors() > 1;
}

wb_status wb_driver_format(wb_ctx *ctx, wb_fo_tree *tree, const wb_format_options *opts, const wb_page_sink *sink,
                           wb_docinfo *info)
{
    wb_page_relay *relay = relay_pays() ? wb_page_relay_new(sink, RELAY_DEPTH) : NULL;
    if (!relay)
        return wb_format_tree(ctx, tree, opts, sink, info);
    wb_page_sink to_relay = wb_page_relay_sink(relay);
    wb_status st = wb_format_tree(ctx, tree, opts, &to_relay, info);
    wb_status drawn = wb_page_relay_finish(relay);
    return st != WB_OK ? st : drawn;
}
