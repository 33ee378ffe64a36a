/* Hyphenation of single words with libhyphen (the TeX-pattern dictionaries of LibreOffice,
 * /usr/share/hyphen/hyph_LL_CC.dic).
 *
 * Dictionaries are found by language tag, loaded on first use and kept until the hyphenator
 * is freed.  A dictionary not closed under substrings (Debian's Russian and German ones) is
 * closed when loaded, as libhyphen's substrings.pl would, so libhyphen finds every break
 * point its patterns give.  Words are given and answered in UTF-8 whatever the dictionary's own encoding
 * (UTF-8, ISO8859-1, KOI8-R...); break points are byte offsets into the caller's text.
 *
 * A wb_hyphenator is not thread-safe: use one per thread. */
#ifndef WB_FORMAT_HYPHEN_H
#define WB_FORMAT_HYPHEN_H

#include <stdbool.h>
#include <stddef.h>

typedef struct wb_hyphenator wb_hyphenator;

/* A cache of libhyphen dictionaries by language.  dict_dir NULL means the directory named by
 * the environment variable WB_HYPHEN_DIR when it is set and not empty, else /usr/share/hyphen;
 * a non-NULL dict_dir is used as given.  The string is copied.  Nothing is loaded yet.
 * Returns NULL when out of memory.  Caller frees with wb_hyphenator_free. */
wb_hyphenator *wb_hyphenator_new(const char *dict_dir);

/* Frees the hyphenator and every dictionary it loaded.  NULL is allowed. */
void wb_hyphenator_free(wb_hyphenator *h);

/* True when a usable dictionary exists for the language tag (BCP 47 / xml:lang: "fr",
 * "fr-CA", "ru", "bg", "en", "en-GB", "de"; '_' is accepted for '-'; case-insensitive).
 * Files tried, first found wins: hyph_ll_CC.dic (when the tag has a region), hyph_ll.dic,
 * hyph_ll_XX.dic for a usual default region XX (en -> US, ...), hyph_ll_LL.dic (fr_FR,
 * de_DE, ru_RU, bg_BG).  Loads lazily, once per file (symbolic links to a file already loaded
 * share it); failed look-ups are remembered too.  Loading is quick except for German:
 * hyph_de_DE.dic is 1 MB of patterns and takes about 3 s, once.  `lang` is borrowed. */
bool wb_hyphenator_has(wb_hyphenator *h, const char *lang);

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
