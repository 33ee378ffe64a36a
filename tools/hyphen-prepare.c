/* Prepares the hyphenation dictionaries once, at build time, so that the engine need neither
 * close them under substrings nor have libhyphen read them at every run (see
 * src/format/hyphenate.h).
 *   hyphen-prepare DICT_DIR OUT_DIR
 * Every hyph_*.dic of DICT_DIR is prepared into OUT_DIR under the name of the file it is (a
 * symbolic link is followed, and a file reached by several links is prepared once).  A
 * missing DICT_DIR is no error: there is nothing to prepare.  Exit status 1 on failure. */
#include "format/hyphenate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

static gint by_name(gconstpointer a, gconstpointer b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: hyphen-prepare DICT_DIR OUT_DIR\n");
        return 2;
    }
    const char *dict_dir = argv[1], *out_dir = argv[2];
    if (g_mkdir_with_parents(out_dir, 0755) != 0) {
        fprintf(stderr, "hyphen-prepare: cannot make %s\n", out_dir);
        return 1;
    }
    GDir *dir = g_dir_open(dict_dir, 0, NULL);
    if (!dir)
        return 0;
    GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
    const char *name;
    while ((name = g_dir_read_name(dir)))
        if (g_str_has_prefix(name, "hyph_") && g_str_has_suffix(name, ".dic"))
            g_ptr_array_add(names, g_strdup(name));
    g_dir_close(dir);
    g_ptr_array_sort(names, by_name);
    GHashTable *done = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    int status = 0;
    for (guint i = 0; i < names->len; i++) {
        char *path = g_build_filename(dict_dir, g_ptr_array_index(names, i), NULL);
        char *real = realpath(path, NULL);
        g_free(path);
        if (!real || g_hash_table_contains(done, real)) {
            free(real);
            continue;
        }
        g_hash_table_add(done, g_strdup(real));
        char *base = g_path_get_basename(real);
        char *dest = g_build_filename(out_dir, base, NULL);
        char *error = NULL;
        if (wb_hyphen_prepare(real, dest, &error)) {
            printf("hyphen-prepare: %s -> %s\n", real, dest);
        } else {
            fprintf(stderr, "hyphen-prepare: %s\n", error);
            g_free(error);
            status = 1;
        }
        g_free(dest);
        g_free(base);
        free(real);
    }
    g_hash_table_destroy(done);
    g_ptr_array_free(names, TRUE);
    return status;
}
