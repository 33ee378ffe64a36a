/* Which files the server may show: the text of a course or style file, for the source of a
 * click.  Only a regular file inside the course folder or the styles folder, named by a path
 * with no ".." in it and reached through no symbolic link; anything else is refused, whatever
 * the request's path says. */
#include "preview/preview-private.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* True when `path` (resolved) is `folder` or below it. */
static bool below(const char *path, const char *folder)
{
    size_t n = strlen(folder);
    return folder[0] && !strncmp(path, folder, n) && (path[n] == '/' || (n == 1 && folder[0] == '/'));
}

/* True when no part of `path` below `folder` is a symbolic link and the last is a regular
 * file. */
static bool no_links(const char *path, const char *folder)
{
    char *p = g_strdup(path);
    bool ok = true;
    size_t n = strlen(folder);
    for (char *c = p + n + 1; ok; c++) {
        bool end = *c == 0;
        if (*c == '/' || end) {
            char keep = *c;
            *c = 0;
            struct stat sb;
            ok = lstat(p, &sb) == 0 && !S_ISLNK(sb.st_mode) && (end ? S_ISREG(sb.st_mode) : S_ISDIR(sb.st_mode));
            *c = keep;
        }
        if (end)
            break;
    }
    g_free(p);
    return ok;
}

char *pv_allowed_file(const pv_state *st, const char *path)
{
    if (!path || !*path || strlen(path) > PATH_MAX)
        return NULL;
    /* no way up, whatever the folders */
    char **parts = g_strsplit(path, "/", -1);
    bool up = false;
    for (int i = 0; parts[i]; i++)
        up = up || !strcmp(parts[i], "..");
    g_strfreev(parts);
    if (up)
        return NULL;
    const char *folders[] = {st->course_dir, st->course_dir_named, st->styles_dir, st->styles_dir_named};
    for (size_t i = 0; i < G_N_ELEMENTS(folders); i++) {
        if (!folders[i])
            continue;
        /* an absolute path counts when it is inside the folder as written (the course's own
         * positions name files so) */
        char *full = g_path_is_absolute(path) ? g_canonicalize_filename(path, NULL)
                                              : g_canonicalize_filename(path, folders[i]);
        if (below(full, folders[i]) && no_links(full, folders[i]))
            return full;
        g_free(full);
    }
    return NULL;
}
