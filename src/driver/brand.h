/* Brand kits, on the driver's layer: a brand named on the command line or in a catalogue is
 * a brand.xml file (styles/brand.rnc) beside the course or the catalogue, a path to such a
 * file, or an entry of the styles' brand table (styles/brands.xml).  A kit's folder holds
 * its logo and a fonts/ folder added to the font search.
 *
 * Ownership: a kit's strings are its own (wb_brand_kit_clear frees them); names and folders
 * passed in are borrowed. */
#ifndef WB_DRIVER_BRAND_H
#define WB_DRIVER_BRAND_H

#include <stdbool.h>

#include <glib.h>

#include "workbook/context.h"

typedef struct wb_brand_kit {
    char *id;    /* the brand's id: the stylesheet's brand parameter and the profile */
    char *file;  /* absolute path of its brand.xml; NULL for an entry of styles/brands.xml */
    char *dir;   /* the folder of file, ending in '/'; NULL likewise */
    char *fonts; /* dir + "fonts" when that is a folder, else NULL */
} wb_brand_kit;

/* Finds brand `name`: a path to a brand file (it holds a '/' or ends in ".xml"), else the
 * brand.xml of the first folder of `dirs` (NULL-terminated, may be NULL) whose id is `name`,
 * else the entry of STYLES_DIR/brands.xml with that id.  Returns true with *kit filled;
 * false when there is none, or with an error on ctx when a brand file is broken (not XML,
 * not valid against brand.rng: file:line:col). */
bool wb_brand_find(wb_ctx *ctx, const char *styles_dir, const char *const *dirs, const char *name,
                   wb_brand_kit *kit);

/* The brand.xml of the first folder of `dirs` whose id is `name` (without checking it
 * against the schema: wb_brand_find does that), or NULL.  Caller frees with g_free. */
char *wb_brand_file_in(const char *const *dirs, const char *name);

/* The names wb_brand_find would find in those places, space-separated, for a message
 * ("default northwind atelier acme").  Caller frees with g_free. */
char *wb_brand_known(const char *styles_dir, const char *const *dirs);

/* Makes a kit usable by a build: its folder readable by stylesheets (a read folder of ctx)
 * and its fonts/ folder added to fontconfig's application fonts (before the formatter's
 * font map is made, so that it sees them). */
void wb_brand_use(wb_ctx *ctx, const wb_brand_kit *kit);

/* Appends the stylesheet parameters of a kit to `pv` (name, value, ...; borrowed from the
 * kit): brand-file and brand-dir for a brand file, nothing for an entry of the table. */
void wb_brand_params(const wb_brand_kit *kit, GPtrArray *pv);

void wb_brand_kit_clear(wb_brand_kit *kit);

#endif
