/* What the editions of a course will have to print, checked before they are built: a course
 * without an exercise gives exercise sheets and an answer key with nothing in them.  Hands
 * on load_check_editions to course.c. */
#include "load/load-private.h"

#include <string.h>

static bool has_element(xmlNodePtr n, const char *name)
{
    for (; n; n = n->next)
        if (n->type == XML_ELEMENT_NODE &&
            (xmlStrEqual(n->name, BAD_CAST name) || has_element(n->children, name)))
            return true;
    return false;
}

void load_check_editions(wb_ctx *ctx, xmlDocPtr doc, const wb_profile *profile)
{
    xmlNodePtr root = xmlDocGetRootElement(doc);
    if (!root || has_element(root, "exercise"))
        return;
    const char *edition = profile ? profile->edition : NULL;
    if (edition && strcmp(edition, "exercises") != 0 && strcmp(edition, "answers") != 0)
        return; /* a workbook or guide without exercises is a fine book */
    load_node_warning(ctx, root,
                      "the course has no <exercise>: its exercise sheets and answer key have nothing to "
                      "print but a page that says so");
}
