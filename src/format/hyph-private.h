/* What the parts of the hyphenator share: the dictionaries read back from their prepared
 * form (hyph-prepared.c), which the pattern cleaning and closing (hyph-patterns.c) feed, and
 * the hyphenator (hyphen.c) looks words up in.  Private to src/format. */
#ifndef WB_FORMAT_HYPH_PRIVATE_H
#define WB_FORMAT_HYPH_PRIVATE_H

#include <hyphen.h>
#include <iconv.h>
#include <stdbool.h>
#include <stddef.h>

#include "format/hyphenate.h"

/* libhyphen reads the encoding name with fgets into a buffer of MAX_NAME bytes, and each
 * following line into one of MAX_CHARS bytes. */
#define WB_HNJ_MAX_NAME MAX_NAME
#define WB_HNJ_MAX_CHARS MAX_CHARS

/* A dictionary read back: libhyphen's structures, but allocated here (one array of states and
 * one of transitions per level; strings in `text`), so freed with wb_prepared_free, never
 * with hnj_hyphen_free. */
typedef struct {
    char *text;
    HyphenDict *levels[2];
    HyphenTrans *trans[2];
} wb_prepared;

void wb_prepared_free(wb_prepared *p);

/* ------------------------------------------------------------------ hyph-patterns.c */

/* The dictionary text with repeated patterns (all but the last), comments and lines libhyphen
 * would skip left out; the encoding line is copied into cset.  NULL when the file is empty.
 * Caller frees with g_free(). */
char *wb_clean_dict(const char *text, size_t len, size_t *out_len, char cset[WB_HNJ_MAX_NAME]);
/* The patterns closed under substrings, as libhyphen's substrings.pl makes them.  Caller
 * frees with g_free(). */
char *wb_close_substrings(const char *text, size_t len, size_t *out_len, bool utf8);

/* ------------------------------------------------------------------ hyph-prepared.c */

/* A converter from UTF-8 to a dictionary's encoding; (iconv_t)-1 for UTF-8 itself. */
iconv_t wb_open_converter(const char *cset);
/* Loads the dictionary at `path` into `out`: prepared (from the folders of `prepared`, a
 * NULL-terminated list), cached in `cache` (NULL: none), or made now; false when unreadable
 * or not a dictionary.  *origin says which. */
bool wb_load_dict(char *const *prepared, const char *cache, const char *path, wb_prepared *out,
                  wb_hyph_origin *origin);

#endif

