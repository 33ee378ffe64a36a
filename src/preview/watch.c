/* File monitors (GIO, inotify on Linux) on the course and styles folders and every folder
 * below them: any file written, created, removed or renamed there calls back once the folder
 * has been quiet for a moment, so that an editor's save (write, rename, touch) makes one
 * rebuild.  A folder created later is watched too.  Hidden files and editors' backups are
 * no reason to rebuild. */
#include "preview/preview-private.h"

#include <string.h>

#include <gio/gio.h>

#define QUIET_MS 25

struct pv_watch {
    GPtrArray *monitors; /* GFileMonitor *, owned */
    GHashTable *folders; /* path -> TRUE, the folders watched */
    void (*changed)(void *data, unsigned which);
    void *data;
    guint timer;
    unsigned which; /* the roots changed since the last call */
};

static void on_event(GFileMonitor *m, GFile *file, GFile *other, GFileMonitorEvent ev, gpointer user);

/* A name an editor or a safe save writes before the real file: hidden, backups, vim's
 * probe "4913", and "FILE.XXXXXX", the temporary file GLib (and others) rename over FILE,
 * whose own rename is what counts. */
static bool ignored(const char *name)
{
    if (!name || name[0] == '.' || name[0] == '#' || g_str_has_suffix(name, "~") || g_str_has_suffix(name, ".swp") ||
        g_str_has_suffix(name, ".swx") || !strcmp(name, "4913"))
        return true;
    const char *dot = strrchr(name, '.');
    if (dot && strlen(dot + 1) == 6 && dot > name) {
        bool random = true;
        for (const char *c = dot + 1; *c; c++)
            random = random && g_ascii_isalnum(*c);
        char *stem = g_strndup(name, (gsize)(dot - name));
        bool has_ext = strchr(stem, '.') != NULL;
        g_free(stem);
        return random && has_ext;
    }
    return false;
}

static bool watch_folder(pv_watch *w, const char *path, unsigned root, GError **error)
{
    if (g_hash_table_contains(w->folders, path))
        return true;
    GFile *dir = g_file_new_for_path(path);
    GFileMonitor *m = g_file_monitor_directory(dir, G_FILE_MONITOR_WATCH_MOVES, NULL, error);
    g_object_unref(dir);
    if (!m)
        return false;
    g_object_set_data(G_OBJECT(m), "wb-root", GUINT_TO_POINTER(root));
    g_signal_connect(m, "changed", G_CALLBACK(on_event), w);
    g_ptr_array_add(w->monitors, m);
    g_hash_table_add(w->folders, g_strdup(path));
    /* and the folders below */
    GDir *d = g_dir_open(path, 0, NULL);
    const char *name;
    bool ok = true;
    while (ok && d && (name = g_dir_read_name(d))) {
        if (ignored(name))
            continue;
        char *sub = g_build_filename(path, name, NULL);
        if (g_file_test(sub, G_FILE_TEST_IS_DIR) && !g_file_test(sub, G_FILE_TEST_IS_SYMLINK))
            ok = watch_folder(w, sub, root, error);
        g_free(sub);
    }
    if (d)
        g_dir_close(d);
    return ok;
}

static gboolean quiet(gpointer user)
{
    pv_watch *w = user;
    w->timer = 0;
    unsigned which = w->which;
    w->which = 0;
    w->changed(w->data, which);
    return G_SOURCE_REMOVE;
}

static void on_event(GFileMonitor *m, GFile *file, GFile *other, GFileMonitorEvent ev, gpointer user)
{
    pv_watch *w = user;
    /* a write is followed by its "done" (the file closed): that one counts */
    if (ev == G_FILE_MONITOR_EVENT_CHANGED || ev == G_FILE_MONITOR_EVENT_ATTRIBUTE_CHANGED ||
        ev == G_FILE_MONITOR_EVENT_PRE_UNMOUNT || ev == G_FILE_MONITOR_EVENT_UNMOUNTED)
        return;
    char *name = g_file_get_basename(other && ev == G_FILE_MONITOR_EVENT_RENAMED ? other : file);
    bool skip = ignored(name);
    g_free(name);
    if (skip)
        return;
    if (ev == G_FILE_MONITOR_EVENT_CREATED || ev == G_FILE_MONITOR_EVENT_MOVED_IN) {
        char *path = g_file_get_path(file);
        if (path && g_file_test(path, G_FILE_TEST_IS_DIR) && !g_file_test(path, G_FILE_TEST_IS_SYMLINK))
            watch_folder(w, path, GPOINTER_TO_UINT(g_object_get_data(G_OBJECT(m), "wb-root")), NULL);
        g_free(path);
    }
    w->which |= 1u << GPOINTER_TO_UINT(g_object_get_data(G_OBJECT(m), "wb-root"));
    if (w->timer)
        g_source_remove(w->timer);
    w->timer = g_timeout_add(QUIET_MS, quiet, w);
}

pv_watch *pv_watch_new(const char *const *folders, void (*changed)(void *data, unsigned which), void *data,
                       GError **error)
{
    pv_watch *w = g_new0(pv_watch, 1);
    w->monitors = g_ptr_array_new_with_free_func(g_object_unref);
    w->folders = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    w->changed = changed;
    w->data = data;
    for (unsigned i = 0; folders[i] && i < 32; i++)
        if (!watch_folder(w, folders[i], i, error)) {
            pv_watch_free(w);
            return NULL;
        }
    return w;
}

void pv_watch_free(pv_watch *w)
{
    if (!w)
        return;
    if (w->timer)
        g_source_remove(w->timer);
    for (guint i = 0; i < w->monitors->len; i++)
        g_file_monitor_cancel(g_ptr_array_index(w->monitors, i));
    g_ptr_array_free(w->monitors, TRUE);
    g_hash_table_destroy(w->folders);
    g_free(w);
}
