/* What the parts of the preview share, private to src/preview:
 *
 *   snapshot.c  one build in memory: pages as PNG by content hash, where each page's text
 *               comes from, the build's messages and time
 *   pages.c     the HTML of the first view and the JSON of the state the script follows
 *   assets.c    the page's script and style, compiled in
 *   files.c     which files the server may show: inside the course and styles folders only
 *   watch.c     file monitors on those folders, a rebuild shortly after a change
 *   server.c    the HTTP routes (libsoup) and the event stream
 *   preview.c   wb_preview: the above put together on a GLib main loop
 *
 * Ownership is written at each declaration. */
#ifndef WB_PREVIEW_PRIVATE_H
#define WB_PREVIEW_PRIVATE_H

#include <stdbool.h>

#include <glib.h>
#include <libsoup/soup.h>

#include "workbook/build.h"
#include "workbook/preview.h"

/* A rectangle of a page (points, y downwards) and the course position of what it shows. */
typedef struct pv_spot {
    double x0, y0, x1, y1;
    char *source; /* "file:line:col", owned */
} pv_spot;

/* One rendered page. */
typedef struct pv_page {
    char hash[41];   /* SHA-1 (hex) of what the page shows: its image's name */
    GBytes *png;     /* one reference */
    double width, height;
    GArray *spots;   /* pv_spot, owned with their strings */
} pv_page;

/* One message of a build, as the context gave it. */
typedef struct pv_message {
    wb_severity severity;
    char *file;      /* owned, NULL when unknown */
    int line, col;
    char *text;      /* owned */
} pv_message;

/* What the preview shows: the options of the edition, the last good pages, the last build's
 * messages. */
typedef struct pv_state {
    /* the edition (owned strings; NULL: the default) */
    char *course;       /* absolute */
    char *course_dir;   /* absolute, resolved (realpath) */
    char *styles_dir;   /* absolute, resolved */
    char *course_dir_named, *styles_dir_named; /* absolute as named, links kept (the course's
                                                * positions name files so) */
    char *lang, *edition, *paper, *audience, *brand;
    char **params;      /* NULL-terminated name, value pairs (g_strfreev) */
    double dpi;
    char **languages;   /* the course's languages (g_strfreev), NULL when unknown */
    /* the last good build */
    GPtrArray *pages;   /* pv_page *, owned */
    /* the last build */
    GPtrArray *messages; /* pv_message *, owned */
    bool failed;        /* it failed: the pages are the last good ones */
    double seconds;     /* how long it took */
    int generation;     /* counts builds, from 1 */
    int first_changed;  /* 0-based index of the first page that differs from the build before;
                         * -1 when none does */
    wb_format_cache *cache; /* fonts and hyphenation, kept from one build to the next */
    GHashTable *sheets; /* stylesheet path -> wb_stylesheet *, compiled once until a file of
                         * the styles folder changes (owned) */
    FILE *log;          /* borrowed */
} pv_state;

/* ------------------------------------------------------------------ snapshot.c */

/* Builds the edition the state names and updates the state: new pages (unchanged pages keep
 * their images without being drawn again) when the build succeeds, the messages, the time. */
void pv_rebuild(pv_state *st);
/* The page whose image has this hash, or NULL (borrowed). */
const pv_page *pv_find_page(const pv_state *st, const char *hash);
/* The course position at (x, y) points on page `index` (0-based): the spot under the point
 * or, failing that, the nearest one on the same page within a few lines; NULL when none
 * (borrowed). */
const char *pv_source_at(const pv_state *st, int index, double x, double y);
void pv_state_clear(pv_state *st);

/* ------------------------------------------------------------------ pages.c */

/* The whole page for a browser without script (g_free it). */
char *pv_html(const pv_state *st);
/* The state for the script: generation, time, options, messages, pages (g_free it). */
char *pv_state_json(const pv_state *st);
/* A course position "file:line:col" as JSON: file, line, col, uri (file://), where
 * ("path:line") (g_free it). */
char *pv_source_json(const char *source);

/* ------------------------------------------------------------------ assets.c */

extern const char pv_app_js[];
extern const char pv_app_css[];

/* ------------------------------------------------------------------ files.c */

/* The resolved path of `path` (relative to the course folder, or absolute) when it names a
 * regular file inside the course folder or the styles folder that no symbolic link leads
 * to; NULL otherwise (g_free it). */
char *pv_allowed_file(const pv_state *st, const char *path);

/* ------------------------------------------------------------------ watch.c */

typedef struct pv_watch pv_watch;
/* Watches the folders (and the folders below them) and calls `changed(data, which)` once the
 * files have been quiet for a moment after a change; bit i of `which` says that folders[i]
 * (or one below it) saw a change (at most 32 folders).  NULL with *error set when a folder
 * cannot be watched.  Free with pv_watch_free. */
pv_watch *pv_watch_new(const char *const *folders, void (*changed)(void *data, unsigned which), void *data,
                       GError **error);
void pv_watch_free(pv_watch *w);

/* ------------------------------------------------------------------ server.c */

typedef struct pv_server pv_server;
/* A server for the state (borrowed) on `listen` (NULL: 127.0.0.1) and `port` (0: any).
 * NULL with *error set when it cannot listen.  Free with pv_server_free. */
pv_server *pv_server_new(pv_state *st, const char *listen, int port, GError **error);
/* Its address, "http://127.0.0.1:PORT/" (borrowed). */
const char *pv_server_uri(const pv_server *srv);
/* Tells every open page that a new build is there. */
void pv_server_notify(pv_server *srv);
void pv_server_free(pv_server *srv);

#endif
