/* Formatting into a page sink, on the driver's layer (workbook build and render; a batch's
 * workers, its parallelism already, format without it): the formatter makes the pages, and with
 * a second core a page relay (page/relay.h) hands them to the sink on a thread of its own, so
 * that one page is drawn while the next is made.
 *
 * Takes: an FO tree (borrowed: freed by the caller after the call, when the relay has let
 * every page go), the formatter's options, the sink (its pages come in order, one at a time,
 * perhaps on another thread), the document information to fill.  Returns the formatting's
 * status, or the status of a page the sink failed to take; the errors are on ctx. */
#ifndef WB_DRIVER_PAGES_H
#define WB_DRIVER_PAGES_H

#include "fo/fo.h"
#include "workbook/format.h"

wb_status wb_driver_format(wb_ctx *ctx, wb_fo_tree *tree, const wb_format_options *opts, const wb_page_sink *sink,
                           wb_docinfo *info);

#endif
