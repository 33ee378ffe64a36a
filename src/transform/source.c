/* The extension function wb:source(node-set?): "file:line:col" of a course node, so that
 * styles can copy source positions onto the FO they make.  See run.h. */
#include "transform/run.h"

/* ------------------------------------------------------------------ wb:source() */

/* wb:source(node-set?) -> "file:line:col" of the first node (the context node if none). */
static void source_function(xmlXPathParserContextPtr pctx, int nargs)
{
    xmlNodePtr node = NULL;
    if (nargs == 1) {
        xmlXPathObjectPtr obj = valuePop(pctx);
        if (obj && obj->type == XPATH_NODESET && obj->nodesetval && obj->nodesetval->nodeNr > 0)
            node = obj->nodesetval->nodeTab[0];
        xmlXPathFreeObject(obj);
    } else if (nargs == 0) {
        node = pctx->context->node;
    } else {
        xmlXPathSetArityError(pctx);
        return;
    }
    char *file = NULL;
    int line = 0, col = 0;
    if (node)
        wb_node_position(node, &file, &line, &col);
    char buf[4096];
    if (file)
        snprintf(buf, sizeof buf, "%s:%d:%d", file, line, col > 0 ? col : 1);
    else
        buf[0] = 0;
    free(file);
    valuePush(pctx, xmlXPathNewString(BAD_CAST buf));
}

void wb_transform_register_source(xsltTransformContextPtr tctx)
{
    xsltRegisterExtFunction(tctx, BAD_CAST "source", BAD_CAST WB_XSLT_NS, source_function);
}
