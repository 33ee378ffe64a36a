/* Messages about formatting objects, placed where the author will look: the course position
 * a stylesheet copied onto the object or an ancestor (wb:source), else the FO file's line.
 * Hands the positions and the warnings and errors of fo.h to the tree and the formatter. */
#include "fo/fo.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>


void wb_fo_position(const wb_fo_tree *tree, const wb_fo *fo, char **file, int *line, int *col)
{
    for (const wb_fo *a = fo; a; a = a->parent) {
        const char *given = wb_fo_ext_attr(a, "source");
        if (!given)
            continue;
        /* "file:line:col"; the file itself may hold colons */
        char *src = g_strdup(given);
        char *s = src;
        char *c2 = strrchr(s, ':');
        char *c1 = NULL;
        if (c2) {
            *c2 = 0;
            c1 = strrchr(s, ':');
        }
        if (c1 && c2) {
            *c1 = 0;
            *file = strdup(s);
            *line = atoi(c1 + 1);
            *col = atoi(c2 + 1);
            g_free(src);
            return;
        }
        g_free(src);
    }
    *file = tree && tree->file ? strdup(tree->file) : NULL;
    *line = fo ? fo->line : 0;
    *col = 0;
}

const char *wb_fo_source(const wb_fo *fo)
{
    for (const wb_fo *a = fo; a; a = a->parent) {
        const char *src = wb_fo_ext_attr(a, "source");
        if (src)
            return src;
    }
    return NULL;
}

typedef enum { DIAG_WARNING, DIAG_WARNING_ONCE, DIAG_ERROR } diag_kind;

static void fo_diag(wb_ctx *ctx, const wb_fo_tree *tree, const wb_fo *fo, diag_kind kind,
                    const char *key, const char *fmt, va_list ap)
{
    char *file;
    int line, col;
    wb_fo_position(tree, fo, &file, &line, &col);
    char *msg = g_strdup_vprintf(fmt, ap);
    if (kind == DIAG_ERROR)
        wb_error(ctx, WB_ERR_INPUT, file, line, col, "%s", msg);
    else if (kind == DIAG_WARNING_ONCE)
        wb_warning_once(ctx, key, file, line, col, "%s", msg);
    else
        wb_warning(ctx, file, line, col, "%s", msg);
    g_free(msg);
    free(file);
}

void wb_fo_warning(wb_ctx *ctx, const wb_fo_tree *tree, const wb_fo *fo, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fo_diag(ctx, tree, fo, DIAG_WARNING, NULL, fmt, ap);
    va_end(ap);
}

void wb_fo_warning_once(wb_ctx *ctx, const wb_fo_tree *tree, const wb_fo *fo, const char *key,
                        const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fo_diag(ctx, tree, fo, DIAG_WARNING_ONCE, key, fmt, ap);
    va_end(ap);
}

void wb_fo_error(wb_ctx *ctx, const wb_fo_tree *tree, const wb_fo *fo, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fo_diag(ctx, tree, fo, DIAG_ERROR, NULL, fmt, ap);
    va_end(ap);
}
