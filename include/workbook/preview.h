/* The preview: a local web server that shows an edition's pages as the author writes.
 *
 * wb_preview builds the edition in memory (the driver's wb_build with a page sink), serves
 * its pages as PNG images in a plain HTML page with the build's messages above them, and
 * rebuilds whenever a file of the course folder or of the styles folder changes (GIO file
 * monitors); the open page follows by server-sent events and fetches again only the pages
 * whose content changed.  A click on a page asks the server what is there and names the
 * course file and line it came from.  The server listens on loopback unless `listen` says
 * otherwise and serves nothing but its own page, script and style, the pages it rendered,
 * and the text of files inside the course and styles folders.
 *
 * Every string is borrowed for the call. */
#ifndef WORKBOOK_PREVIEW_H
#define WORKBOOK_PREVIEW_H

#include <stdio.h>

#include "workbook/context.h"
#include "workbook/load.h"

typedef struct wb_preview_options {
    const char *course;         /* the course file */
    const char *styles_dir;     /* the shipped styles */
    wb_profile profile;         /* language, edition (default participant), audience, brand */
    const char *paper;          /* NULL: the stylesheet's default */
    const char *const *params;  /* NULL or a NULL-terminated list of name, value pairs */
    const char *listen;         /* the address to listen on; NULL: loopback (127.0.0.1) */
    int port;                   /* 0: any free port */
    double dpi;                 /* resolution of the page images; 0: 96 */
    FILE *log;                  /* where the address and each rebuild are said; NULL: nowhere */
} wb_preview_options;

/* Serves the preview until the process is interrupted (SIGINT, SIGTERM): returns WB_OK
 * then, or an error on ctx when the server cannot start (the address is taken, the course
 * folder cannot be watched).  A broken course is no error: its messages are shown. */
wb_status wb_preview(wb_ctx *ctx, const wb_preview_options *opts);

#endif
