/* The workbook engine: course XML -> XSLT -> XSL-FO -> pages -> PDF / PNG / SVG.
 *
 * Each stage has its own header; this one includes them all.
 *   workbook/context.h    options, diagnostics, allocation (every call takes a wb_ctx first)
 *   workbook/load.h       stage 1: parse, XInclude, profile, validate a course
 *   workbook/transform.h  stage 2: XSLT
 *   workbook/format.h     stage 3: XSL-FO -> pages
 *   workbook/page.h       the pages handed from stage 3 to stage 4
 *   workbook/render.h     stage 4: pages -> PDF, PNG, SVG
 *   workbook/build.h      the driver: the four stages in one call
 *   workbook/batch.h      many editions from a catalogue, on worker processes
 *   workbook/preview.h    a local web server showing an edition's pages as they are written */
#ifndef WORKBOOK_H
#define WORKBOOK_H

#include "workbook/batch.h"
#include "workbook/build.h"
#include "workbook/context.h"
#include "workbook/format.h"
#include "workbook/load.h"
#include "workbook/page.h"
#include "workbook/preview.h"
#include "workbook/render.h"
#include "workbook/transform.h"

#endif
