/* wb_preview: the state, a first build, the server and the file monitors on one GLib main
 * loop, until SIGINT or SIGTERM.  A change of a watched file rebuilds and tells the open
 * pages; builds run on the loop, one at a time, so the server never shows half a build. */
#include "preview/preview-private.h"

#include <limits.h>
#include <signal.h>
#include <stdlib.h>

#include <glib-unix.h>

typedef struct preview {
    pv_state st;
    pv_server *server;
    GMainLoop *loop;
} preview;

static void changed(void *data, unsigned which)
{
    preview *pv = data;
    /* a stylesheet (or what it imports) may have changed: compile again (always when one
     * folder holds the other, whose changes then count for the outer one) */
    const pv_state *st = &pv->st;
    if ((which & 2) || g_str_has_prefix(st->styles_dir, st->course_dir) || g_str_has_prefix(st->course_dir, st->styles_dir))
        g_hash_table_remove_all(pv->st.sheets);
    pv_rebuild(&pv->st);
    pv_server_notify(pv->server);
}

static gboolean stop(gpointer data)
{
    g_main_loop_quit(((preview *)data)->loop);
    return G_SOURCE_CONTINUE;
}

/* The absolute, resolved form of a folder (or the folder of a file). */
static char *resolved_folder(const char *path, bool of_file)
{
    char *dir = of_file ? g_path_get_dirname(path) : g_strdup(path);
    char *real = realpath(dir, NULL);
    g_free(dir);
    char *r = real ? g_strdup(real) : NULL;
    free(real);
    return r;
}

wb_status wb_preview(wb_ctx *ctx, const wb_preview_options *o)
{
    if (!wb_check_input(ctx, o->course, true))
        return wb_ctx_status(ctx);
    preview pv = {0};
    pv_state *st = &pv.st;
    char *cwd = g_get_current_dir();
    st->course = g_canonicalize_filename(o->course, cwd);
    st->course_dir_named = g_path_get_dirname(st->course);
    st->styles_dir_named = g_canonicalize_filename(o->styles_dir, cwd);
    g_free(cwd);
    st->course_dir = resolved_folder(o->course, true);
    st->styles_dir = resolved_folder(o->styles_dir, false);
    if (!st->course_dir || !st->styles_dir) {
        wb_error(ctx, WB_ERR_IO, st->course_dir ? o->styles_dir : o->course, 0, 0, "cannot find the folder");
        pv_state_clear(st);
        return wb_ctx_status(ctx);
    }
    st->lang = g_strdup(o->profile.lang);
    st->edition = g_strdup(o->profile.edition);
    st->audience = g_strdup(o->profile.audience);
    st->brand = g_strdup(o->profile.brand);
    st->paper = g_strdup(o->paper);
    st->params = o->params ? g_strdupv((char **)o->params) : NULL;
    st->dpi = o->dpi > 0 ? o->dpi : 96;
    st->cache = wb_format_cache_new();
    st->sheets = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, (GDestroyNotify)wb_stylesheet_free);
    st->log = o->log;

    GError *err = NULL;
    pv.server = pv_server_new(st, o->listen, o->port, &err);
    if (!pv.server) {
        wb_error(ctx, WB_ERR_IO, NULL, 0, 0, "cannot listen on %s port %d: %s", o->listen ? o->listen : "127.0.0.1",
                 o->port, err->message);
        g_error_free(err);
        pv_state_clear(st);
        return wb_ctx_status(ctx);
    }
    const char *folders[] = {st->course_dir, st->styles_dir, NULL};
    pv_watch *watch = pv_watch_new(folders, changed, &pv, &err);
    if (!watch) {
        wb_error(ctx, WB_ERR_IO, NULL, 0, 0, "cannot watch the course and styles folders: %s", err->message);
        g_error_free(err);
        pv_server_free(pv.server);
        pv_state_clear(st);
        return wb_ctx_status(ctx);
    }
    pv_rebuild(st);
    if (o->log) {
        fprintf(o->log, "preview: %s\n", pv_server_uri(pv.server));
        fflush(o->log);
    }
    pv.loop = g_main_loop_new(NULL, FALSE);
    guint s1 = g_unix_signal_add(SIGINT, stop, &pv), s2 = g_unix_signal_add(SIGTERM, stop, &pv);
    g_main_loop_run(pv.loop);
    g_source_remove(s1);
    g_source_remove(s2);
    g_main_loop_unref(pv.loop);
    pv_watch_free(watch);
    pv_server_free(pv.server);
    /* the connections the server closed are freed by the loop's pending callbacks */
    while (g_main_context_iteration(NULL, FALSE))
        ;
    pv_state_clear(st);
    return WB_OK;
}
