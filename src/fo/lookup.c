/* Look-ups in the FO tree: an object's attributes and children.  Hands wb_fo_attr,
 * wb_fo_attr_ns, wb_fo_ext_attr and wb_fo_child of fo.h to the formatter, and fo_set_attr to
 * the properties. */
#include "fo/fo-private.h"

#include <string.h>

const char *wb_fo_attr(const wb_fo *fo, const char *name)
{
    for (unsigned i = 0; i < fo->attribute_count; i++) {
        const wb_fo_attribute *a = &fo->attributes[i];
        if (!a->ns && !strcmp(a->name, name))
            return a->value;
    }
    return NULL;
}

const char *wb_fo_attr_ns(const wb_fo *fo, const char *ns, const char *name)
{
    for (unsigned i = 0; i < fo->attribute_count; i++) {
        const wb_fo_attribute *a = &fo->attributes[i];
        if (a->ns && !strcmp(a->ns, ns) && !strcmp(a->name, name))
            return a->value;
    }
    return NULL;
}

const char *wb_fo_ext_attr(const wb_fo *fo, const char *name) { return wb_fo_attr_ns(fo, "urn:x-workbook:xslt", name); }

void fo_set_attr(wb_fo_tree *tree, wb_fo *fo, const char *name, const char *value)
{
    for (unsigned i = 0; i < fo->attribute_count; i++)
        if (!fo->attributes[i].ns && !strcmp(fo->attributes[i].name, name)) {
            fo->attributes[i].value = g_string_chunk_insert_const(tree->pool->strings, value);
            return;
        }
}

wb_fo *wb_fo_child(const wb_fo *fo, wb_fo_kind kind)
{
    for (wb_fo *c = fo->first; c; c = c->next)
        if (c->kind == kind)
            return c;
    return NULL;
}
