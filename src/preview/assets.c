/* The page's script and style, compiled in from src/preview/assets/ (the Makefile turns each
 * file into a C string in $(BUILD)/gen/preview-assets.inc): the server serves nothing it
 * reads from disk but the course's own files. */
#include "preview/preview-private.h"

#include "preview-assets.inc"
