/* Stylesheets compiled once per worker and applied to every edition that uses them, through
 * the transform stage's compiled stylesheets (include/workbook/transform.h): the same
 * confinement, limits and messages as a single build, with the files each compiling and each
 * run read noted for the edition's record.  Hands on batch_sheets_* and batch_transform. */
#include "batch/batch-private.h"

#include "workbook/transform.h"

typedef struct sheet {
    wb_stylesheet *style;
    GPtrArray *files; /* read while compiling: the stylesheet, its imports and includes */
} sheet;

struct batch_sheets {
    GHashTable *by_path; /* path -> sheet */
};

static void sheet_free(gpointer p)
{
    sheet *s = p;
    wb_stylesheet_free(s->style);
    g_ptr_array_free(s->files, TRUE);
    g_free(s);
}

batch_sheets *batch_sheets_new(void)
{
    batch_sheets *b = g_new0(batch_sheets, 1);
    b->by_path = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, sheet_free);
    return b;
}

void batch_sheets_free(batch_sheets *b)
{
    if (!b)
        return;
    g_hash_table_destroy(b->by_path);
    g_free(b);
}

/* The compiled stylesheet of a file, compiled on first use; NULL with errors on ctx. */
static sheet *compiled(wb_ctx *ctx, batch_sheets *b, const char *path)
{
    sheet *s = g_hash_table_lookup(b->by_path, path);
    if (s)
        return s;
    GPtrArray *files = g_ptr_array_new_with_free_func(g_free);
    batch_observe_files(files);
    wb_stylesheet *style = wb_stylesheet_compile(ctx, path);
    batch_observe_files(NULL);
    if (!style) {
        g_ptr_array_free(files, TRUE);
        return NULL;
    }
    char *p = batch_normal_path(path);
    batch_add_unique(files, p);
    g_free(p);
    s = g_new0(sheet, 1);
    s->style = style;
    s->files = files;
    g_hash_table_insert(b->by_path, g_strdup(path), s);
    return s;
}

xmlDocPtr batch_transform(wb_ctx *ctx, batch_sheets *b, xmlDocPtr doc, const char *path,
                          const char *const *params, GPtrArray *files)
{
    sheet *s = compiled(ctx, b, path);
    if (!s)
        return NULL;
    for (guint i = 0; i < s->files->len; i++)
        batch_add_unique(files, g_ptr_array_index(s->files, i));
    batch_observe_files(files);
    xmlDocPtr result = wb_stylesheet_apply(ctx, s->style, doc, params);
    batch_observe_files(NULL);
    return result;
}
