/* Hyphenation of single words with libhyphen (the TeX-pattern dictionaries of LibreOffice,
 * /usr/share/hyphen/hyph_LL_CC.dic).
 *
 * Dictionaries are found by language tag, loaded on first use and kept until the hyphenator
 * is freed.  Words are given and answered in UTF-8 whatever the dictionary's own encoding
 * (UTF-8, ISO8859-1, KOI8-R...); break points are byte offsets into the caller's text.
 *
 * Prepared dictionaries.  libhyphen expects patterns closed under substrings (as its
 * substrings.pl makes them); Debian's Russian and German dictionaries are not, so they are
 * closed here.  That, and libhyphen's own reading of a large dictionary, take seconds for the
 * German one; so a dictionary is prepared once: cleaned, closed, loaded by libhyphen, and its
 * automaton written to a file that loads in milliseconds.  A dictionary is used in the first
 * of these forms found:
 *  1. prepared: a file named like the dictionary file (symbolic links followed: hyph_de.dic
 *     is hyph_de_DE.dic) in a folder of prepared dictionaries (made at build time by
 *     wb_hyphen_prepare, installed in DATADIR/hyphen), when the SHA-256 of the source
 *     dictionary it records is that of the dictionary found;
 *  2. cached: the same, made at an earlier run, in the user's cache
 *     ($XDG_CACHE_HOME/workbook/hyphen/SHA256.dic);
 *  3. prepared now, in memory, and written to the cache for the next run (when the cache
 *     cannot be written, it is simply not).
 * All three are read back the same way, so they hyphenate alike.
 *
 * A wb_hyphenator is not thread-safe: use one per thread. */
#ifndef WB_FORMAT_HYPHENATE_H
#define WB_FORMAT_HYPHENATE_H

#include <stdbool.h>
#include <stddef.h>

typedef struct wb_hyphenator wb_hyphenator;

/* A cache of libhyphen dictionaries by language.  dict_dir NULL means the directory named by
 * the environment variable WB_HYPHEN_DIR when it is set and not empty, else /usr/share/hyphen;
 * a non-NULL dict_dir is used as given.  Prepared dictionaries are looked for in the default
 * folders (see wb_hyphenator_new_with) and the user's cache is used.  Nothing is loaded yet.
 * Caller frees with wb_hyphenator_free. */
wb_hyphenator *wb_hyphenator_new(const char *dict_dir);

/* The same with the folders of prepared dictionaries given (every string is copied):
 *  - prepared_dir: a folder of prepared dictionaries; "" for none; NULL for the defaults,
 *    the folders that exist of: the running program's ../share/workbook/hyphen (an
 *    installed program), its ../hyphen (a program of the build tree: out/bin and out/tests
 *    beside out/hyphen, out/asan/bin beside out/asan/hyphen), and DATADIR/hyphen.
 *  - cache_dir: the user's cache of prepared dictionaries; "" for none; NULL for
 *    g_get_user_cache_dir()/workbook/hyphen. */
wb_hyphenator *wb_hyphenator_new_with(const char *dict_dir, const char *prepared_dir,
                                      const char *cache_dir);

/* Frees the hyphenator and every dictionary it loaded.  NULL is allowed. */
void wb_hyphenator_free(wb_hyphenator *h);

/* True when a usable dictionary exists for the language tag (BCP 47 / xml:lang: "fr",
 * "fr-CA", "ru", "bg", "en", "en-GB", "de"; '_' is accepted for '-'; case-insensitive).
 * Files tried, first found wins: hyph_ll_CC.dic (when the tag has a region), hyph_ll.dic,
 * hyph_ll_XX.dic for a usual default region XX (en -> US, ...), hyph_ll_LL.dic (fr_FR,
 * de_DE, ru_RU, bg_BG).  Loads lazily, once per file (symbolic links to a file already loaded
 * share it); failed look-ups are remembered too.  Loading takes milliseconds with a prepared
 * or cached dictionary; closing the German one in memory (1 MB of patterns) takes seconds.
 * `lang` is borrowed. */
bool wb_hyphenator_has(wb_hyphenator *h, const char *lang);

/* How the dictionary of a language was loaded (and loads it, like wb_hyphenator_has). */
typedef enum {
    WB_HYPH_NONE,     /* no dictionary for the language */
    WB_HYPH_PREPARED, /* a prepared dictionary whose recorded source hash matched */
    WB_HYPH_CACHED,   /* the user's cache */
    WB_HYPH_CLOSED,   /* prepared in memory when loaded (cleaned, closed under substrings) */
} wb_hyph_origin;

wb_hyph_origin wb_hyphenator_origin(wb_hyphenator *h, const char *lang);

/* Writes into `dest` the prepared form of the dictionary file `source` (libhyphen's automaton
 * for its patterns closed under substrings) with the SHA-256 of `source`.  The file is
 * written whole or not at all (a temporary file renamed); its folder is made if missing.
 * Returns false on failure, with a message in *error when error is not NULL (caller frees
 * with g_free). */
bool wb_hyphen_prepare(const char *source, const char *dest, char **error);

/* Hyphenation points of one word given in UTF-8 (word_len bytes, no spaces; `word` need not be
 * NUL-terminated).  Writes into `points` (an array of word_len bytes provided by the caller) a
 * 1 at byte offset i when a hyphen may be inserted BEFORE byte i (i is always a character
 * boundary, never before a combining mark), 0 elsewhere.
 *
 * push = hyphenation-push-character-count (least characters after a break, XSL default 2),
 * remain = hyphenation-remain-character-count (least characters before a break, XSL default
 * 2); both count characters, not bytes, and values below 1 mean 1.  A dictionary's own
 * LEFTHYPHENMIN / RIGHTHYPHENMIN are a floor: its patterns are not made for shorter ends.
 *
 * Leading and trailing punctuation ("«relation»,") is ignored and the counts apply to the
 * word inside it.  Matching is case-insensitive (Latin, Greek, Cyrillic...); the text is
 * never changed.
 *  - Words of letters only are hyphenated with the dictionary.  Apostrophes (' and U+2019)
 *    split a word into parts hyphenated separately, each part counting as a word for push and
 *    remain ("l’entre-prise", never "l’-entreprise").
 *  - Words that contain a digit, a hyphen (U+002D, U+2010), a soft hyphen (U+00AD) or any
 *    other non-letter ("e-mail", "COVID-19", "auto­mobile" with a soft hyphen) get only the
 *    breaks after their hyphens and soft hyphens, with push and remain still respected.
 *  - Non-standard breaks that change the spelling (old German "Schiff-fahrt") are dropped:
 *    the points cannot express them.
 *
 * Returns the number of points written (0 also for text that is not valid UTF-8, and when out
 * of memory: the word is then simply not hyphenated), or -1 when there is no dictionary for
 * lang or an argument is NULL (points then all 0 when not NULL). */
int wb_hyphenate(wb_hyphenator *h, const char *lang, const char *word, size_t word_len,
                 int push, int remain, char *points);

#endif
