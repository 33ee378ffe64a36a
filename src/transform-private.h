/* What the transform stage lends the driver's batch, which keeps compiled stylesheets of its
 * own: the wb:source() extension function, so that both give the same positions. */
#ifndef WB_TRANSFORM_PRIVATE_H
#define WB_TRANSFORM_PRIVATE_H

#include <libxslt/xsltInternals.h>

/* Makes wb:source(node-set?) ("file:line:col" of a course node) known to a transformation. */
void wb_transform_register_source(xsltTransformContextPtr tctx);

#endif
