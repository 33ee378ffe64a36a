/* A page relay: a page sink that hands each page to another sink on a thread of its own, so
 * that one page is drawn while the formatter makes the next.  With two cores, a long document
 * takes about the time of its formatting alone instead of formatting plus drawing.
 *
 * Takes: the sink the pages go to.  Its `page` is called on the relay's thread, once per
 * page, in order, one at a time; its `restart` on the caller's thread, once every page given
 * before has been through `page`.  What that sink reports goes to a wb_ctx, which is safe to
 * use from two threads.  The formatter's pages are borrowed for the call, so the relay takes
 * a copy of each (wb_page_copy); lines and images are shared by atomic reference counts, and
 * the formatter makes ready what drawing needs from pango's fonts (format/linebreak.c), so
 * the other thread asks pango nothing it could be changing.
 *
 * Returns: wb_page_relay_new gives NULL when no thread can be started: the caller then uses
 * its sink directly.  The relay's own sink (wb_page_relay_sink) answers a page with WB_OK, or
 * with the status of an earlier page whose drawing failed, which stops the formatter.
 * wb_page_relay_finish waits until every page is through, returns the first failure (WB_OK
 * if none) and frees the relay; it must come before anything the pages borrow (the FO tree:
 * wb_area.source, wb_page.watermark) is freed. */
#ifndef WB_PAGE_RELAY_H
#define WB_PAGE_RELAY_H

#include "workbook/page.h"

typedef struct wb_page_relay wb_page_relay;

/* `to` is copied; `depth`: how many pages may wait to be drawn (at least 1). */
wb_page_relay *wb_page_relay_new(const wb_page_sink *to, int depth);
wb_page_sink wb_page_relay_sink(wb_page_relay *relay);
wb_status wb_page_relay_finish(wb_page_relay *relay);

#endif
