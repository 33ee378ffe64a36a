/* A module's timing plan against its stated duration: the minutes of the <timing> steps
 * should add up to the module's <duration minutes>, or the trainer's clock times drift from
 * the day's plan.  Hands on load_check_durations to course.c. */
#include "load/load-private.h"

#include <stdlib.h>

static long minutes_of(xmlNodePtr n)
{
    xmlChar *v = xmlGetNoNsProp(n, BAD_CAST "minutes");
    long m = v ? strtol((const char *)v, NULL, 10) : 0;
    xmlFree(v);
    return m;
}

static xmlNodePtr child_named(xmlNodePtr n, const char *name)
{
    for (xmlNodePtr c = n->children; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE && xmlStrEqual(c->name, BAD_CAST name))
            return c;
    return NULL;
}

static void check_module(wb_ctx *ctx, xmlNodePtr module)
{
    xmlNodePtr duration = child_named(module, "duration");
    xmlNodePtr timing = child_named(module, "timing");
    if (!duration || !timing)
        return;
    long planned = 0;
    int steps = 0;
    for (xmlNodePtr s = timing->children; s; s = s->next)
        if (s->type == XML_ELEMENT_NODE && xmlStrEqual(s->name, BAD_CAST "step")) {
            planned += minutes_of(s);
            steps++;
        }
    long stated = minutes_of(duration);
    if (!steps || planned == stated)
        return;
    char *file;
    int line, col;
    wb_node_position(duration, &file, &line, &col);
    char *base = file ? g_path_get_basename(file) : g_strdup("?");
    load_node_warning(ctx, timing,
                      "the steps of this timing plan add up to %ld minutes, but the module's <duration> (%s:%d) "
                      "says %ld",
                      planned, base, line, stated);
    g_free(base);
    free(file);
}

void load_check_durations(wb_ctx *ctx, xmlDocPtr doc)
{
    xmlNodePtr root = xmlDocGetRootElement(doc);
    if (!root)
        return;
    if (xmlStrEqual(root->name, BAD_CAST "module"))
        check_module(ctx, root);
    for (xmlNodePtr c = root->children; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE && xmlStrEqual(c->name, BAD_CAST "module"))
            check_module(ctx, c);
}
