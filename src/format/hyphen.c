/* Hyphenation of single words with libhyphen; see hyphenate.h. */
#include "hyphenate.h"

#include <errno.h>
#include <hyphen.h>
#include <iconv.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#ifndef WB_DATADIR
#define WB_DATADIR "/usr/local/share/workbook"
#endif

#define WB_HYPHEN_DEFAULT_DIR "/usr/share/hyphen"
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

static void wb_prepared_free(wb_prepared *p)
{
    for (int i = 0; i < 2; i++) {
        if (p->levels[i])
            g_free(p->levels[i]->states);
        g_free(p->levels[i]);
        g_free(p->trans[i]);
    }
    g_free(p->text);
    memset(p, 0, sizeof *p);
}

typedef struct {
    char *path; /* canonical (realpath), so symbolic links share one load */
    wb_prepared prep;
    HyphenDict *dict; /* prep.levels[0] */
    wb_hyph_origin origin;
    bool utf8;  /* false: words are converted with cd */
    iconv_t cd; /* UTF-8 -> dictionary encoding; (iconv_t)-1 for UTF-8 dictionaries */
} wb_hyph_dict;

typedef struct {
    char *tag; /* lower case, '-' separated */
    int dict;  /* index into dicts, -1 when no dictionary (remembered so we look once) */
} wb_hyph_lang;

struct wb_hyphenator {
    char *dir;
    char **prepared; /* folders of prepared dictionaries, NULL-terminated */
    char *cache;     /* the user's cache folder, NULL for none */
    wb_hyph_dict *dicts;
    size_t ndicts, capdicts;
    wb_hyph_lang *langs;
    size_t nlangs, caplangs;
};

/* The default folders of prepared dictionaries that exist, as find_styles looks for the
 * styles: beside an installed program, in the build tree, in the installed data folder. */
static char **wb_default_prepared(void)
{
    GPtrArray *dirs = g_ptr_array_new();
    char *exe = g_file_read_link("/proc/self/exe", NULL);
    if (exe) {
        char *bin = g_path_get_dirname(exe);
        g_ptr_array_add(dirs, g_build_filename(bin, "..", "share", "workbook", "hyphen", NULL));
        g_ptr_array_add(dirs, g_build_filename(bin, "..", "hyphen", NULL));
        g_free(bin);
        g_free(exe);
    }
    g_ptr_array_add(dirs, g_build_filename(WB_DATADIR, "hyphen", NULL));
    guint kept = 0;
    for (guint i = 0; i < dirs->len; i++) {
        char *dir = g_ptr_array_index(dirs, i);
        if (g_file_test(dir, G_FILE_TEST_IS_DIR))
            g_ptr_array_index(dirs, kept++) = dir;
        else
            g_free(dir);
    }
    g_ptr_array_set_size(dirs, kept);
    g_ptr_array_add(dirs, NULL);
    return (char **)g_ptr_array_free(dirs, FALSE);
}

wb_hyphenator *wb_hyphenator_new_with(const char *dict_dir, const char *prepared_dir,
                                      const char *cache_dir)
{
    if (!dict_dir) {
        const char *env = getenv("WB_HYPHEN_DIR");
        dict_dir = (env && *env) ? env : WB_HYPHEN_DEFAULT_DIR;
    }
    wb_hyphenator *h = g_new0(wb_hyphenator, 1);
    h->dir = g_strdup(dict_dir);
    if (!prepared_dir)
        h->prepared = wb_default_prepared();
    else if (*prepared_dir)
        h->prepared = g_strdupv((char *[]){ (char *)prepared_dir, NULL });
    else
        h->prepared = g_new0(char *, 1);
    if (!cache_dir)
        h->cache = g_build_filename(g_get_user_cache_dir(), "workbook", "hyphen", NULL);
    else if (*cache_dir)
        h->cache = g_strdup(cache_dir);
    return h;
}

wb_hyphenator *wb_hyphenator_new(const char *dict_dir)
{
    return wb_hyphenator_new_with(dict_dir, NULL, NULL);
}

void wb_hyphenator_free(wb_hyphenator *h)
{
    if (!h)
        return;
    for (size_t i = 0; i < h->ndicts; i++) {
        wb_prepared_free(&h->dicts[i].prep);
        if (h->dicts[i].cd != (iconv_t)-1)
            iconv_close(h->dicts[i].cd);
        g_free(h->dicts[i].path);
    }
    for (size_t i = 0; i < h->nlangs; i++)
        g_free(h->langs[i].tag);
    g_free(h->dicts);
    g_free(h->langs);
    g_strfreev(h->prepared);
    g_free(h->cache);
    g_free(h->dir);
    g_free(h);
}

/* ---- cleaning a dictionary before libhyphen loads it ----
 *
 * libhyphen leaks the strings of a pattern when the same letters come again later in the
 * file (the later one wins), and hyph_fr.dic, hyph_de_DE.dic and hyph_ru_RU.dic repeat some;
 * it also prints a warning on stderr for over-long lines, which it skips.  So we hand it the
 * file with what it would drop or overwrite already removed, read exactly the way it reads
 * it: the result is the same automaton, without the leak or the message. */

/* Length of the next piece fgets(buf, size) would return. */
static size_t wb_fgets_len(const char *p, size_t left, size_t size)
{
    size_t n = 0;
    while (n < left && n < size - 1)
        if (p[n++] == '\n')
            break;
    return n;
}

static bool wb_starts(const char *p, size_t n, const char *word)
{
    size_t w = strlen(word);
    return n >= w && memcmp(p, word, w) == 0;
}

/* The letters of a pattern line as libhyphen keys its states: the digits left out, up to the
 * replacement ('/') or the first blank. */
static char *wb_pattern_key(const char *line, size_t n)
{
    char *key = g_malloc(n + 1);
    const char *slash = memchr(line, '/', n);
    if (slash)
        n = (size_t)(slash - line);
    size_t j = 0;
    for (size_t i = 0; i < n && (unsigned char)line[i] > ' ' && j < WB_HNJ_MAX_CHARS - 2; i++)
        if (line[i] < '0' || line[i] > '9')
            key[j++] = line[i];
    key[j] = '\0';
    return key;
}

typedef struct {
    size_t off, len;
    bool keep;
} wb_piece;

/* The dictionary text `text` with repeated patterns (all but the last), comments and lines
 * libhyphen would skip left out; the encoding line is copied into cset.  NULL when the file
 * is empty.  Caller frees with g_free(). */
static char *wb_clean_dict(const char *text, size_t len, size_t *out_len,
                           char cset[WB_HNJ_MAX_NAME])
{
    size_t first = wb_fgets_len(text, len, WB_HNJ_MAX_NAME);
    if (first == 0)
        return NULL;
    memset(cset, 0, WB_HNJ_MAX_NAME);
    memcpy(cset, text, first);
    for (size_t i = 0; i < WB_HNJ_MAX_NAME; i++)
        if (cset[i] == '\r' || cset[i] == '\n')
            cset[i] = '\0';

    GArray *pieces = g_array_new(FALSE, FALSE, sizeof(wb_piece));
    int level = 0;
    GHashTable *seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    size_t pos = first;
    while (pos < len) {
        const char *line = text + pos;
        size_t n = wb_fgets_len(line, len - pos, WB_HNJ_MAX_CHARS);
        if (line[n - 1] != '\n' && n == WB_HNJ_MAX_CHARS - 1) {
            /* Too long: libhyphen skips the rest of the physical line too. */
            const char *nl = memchr(line, '\n', len - pos);
            pos = nl ? (size_t)(nl - text) + 1 : len;
            continue;
        }
        pos += n;
        bool keep = true;
        if (wb_starts(line, n, "NEXTLEVEL")) {
            if (++level > 1)
                break; /* libhyphen reads two levels and ignores the rest */
            g_hash_table_remove_all(seen);
        } else if (line[0] == '%') {
            keep = false;
        } else if (!wb_starts(line, n, "LEFTHYPHENMIN") && !wb_starts(line, n, "RIGHTHYPHENMIN") &&
                   !wb_starts(line, n, "COMPOUNDLEFTHYPHENMIN") &&
                   !wb_starts(line, n, "COMPOUNDRIGHTHYPHENMIN") &&
                   !wb_starts(line, n, "NOHYPHEN")) {
            char *key = wb_pattern_key(line, n);
            gpointer prev;
            if (g_hash_table_lookup_extended(seen, key, NULL, &prev))
                g_array_index(pieces, wb_piece, GPOINTER_TO_SIZE(prev)).keep = false;
            g_hash_table_insert(seen, key, GSIZE_TO_POINTER(pieces->len));
        }
        wb_piece piece = { .off = (size_t)(line - text), .len = n, .keep = keep };
        g_array_append_val(pieces, piece);
    }
    char *out = g_malloc(len + 2);
    memcpy(out, text, first);
    size_t o = first;
    for (guint i = 0; i < pieces->len; i++) {
        const wb_piece *pc = &g_array_index(pieces, wb_piece, i);
        if (pc->keep) {
            memcpy(out + o, text + pc->off, pc->len);
            o += pc->len;
        }
    }
    *out_len = o;
    g_hash_table_destroy(seen);
    g_array_free(pieces, TRUE);
    return out;
}

/* One pattern split into its letters and the digits between them (digits[i] stands before
 * letters[i]; digits[len] after the last). */
typedef struct wb_pattern {
    char *letters;
    unsigned char *digits;
    size_t len;
    bool keyword; /* a line kept as it is (LEFTHYPHENMIN 2, NEXTLEVEL...) */
    char *line;   /* the keyword line */
} wb_pattern;

static bool wb_is_keyword(const char *line, size_t n)
{
    return wb_starts(line, n, "NEXTLEVEL") || wb_starts(line, n, "LEFTHYPHENMIN") ||
           wb_starts(line, n, "RIGHTHYPHENMIN") || wb_starts(line, n, "COMPOUNDLEFTHYPHENMIN") ||
           wb_starts(line, n, "COMPOUNDRIGHTHYPHENMIN") || wb_starts(line, n, "NOHYPHEN");
}

static gint wb_by_length(gconstpointer a, gconstpointer b, gpointer data)
{
    GArray *pats = data;
    size_t la = g_array_index(pats, wb_pattern, GPOINTER_TO_UINT(*(gpointer *)a) - 1).len;
    size_t lb = g_array_index(pats, wb_pattern, GPOINTER_TO_UINT(*(gpointer *)b) - 1).len;
    return la < lb ? -1 : la > lb;
}

/* libhyphen matches patterns with an automaton that applies, at each place, only the
 * longest pattern ending there, not the shorter ones it contains: its dictionaries are meant
 * to be closed first (its substrings.pl merges into every pattern the digits of every
 * pattern found inside it).  Debian ships some dictionaries (Russian among them) without
 * that step, which loses most break points ("выслушай-те" where the patterns give
 * "вы-слу-шай-те").  This is that step: returns the closed dictionary text.  Patterns with
 * replacements (the "/" syntax) are left as they are.  Caller frees with g_free(). */
static char *wb_close_substrings(const char *text, size_t len, size_t *out_len, bool utf8)
{
    size_t first = wb_fgets_len(text, len, WB_HNJ_MAX_NAME);
    GArray *pats = g_array_new(FALSE, TRUE, sizeof(wb_pattern));
    size_t pos = first;
    while (pos < len) {
        const char *line = text + pos;
        size_t n = 0;
        while (pos + n < len && line[n] != '\n')
            n++;
        pos += n + (pos + n < len);
        while (n && (line[n - 1] == '\r' || line[n - 1] == ' '))
            n--;
        if (n == 0)
            continue;
        wb_pattern pt = {0};
        if (wb_is_keyword(line, n) || memchr(line, '/', n)) {
            pt.keyword = true;
            pt.line = g_strndup(line, n);
        } else {
            /* libhyphen reads a pattern up to its first blank ("# comment" is the pattern
             * "#"): so do we, or the closure would make many patterns of the rest that
             * libhyphen reads as that same one */
            for (size_t i = 0; i < n; i++)
                if ((unsigned char)line[i] <= ' ') {
                    n = i;
                    break;
                }
            pt.letters = g_malloc(n + 1);
            pt.digits = g_malloc0(n + 2);
            for (size_t i = 0; i < n; i++) {
                if (line[i] >= '0' && line[i] <= '9')
                    pt.digits[pt.len] = (unsigned char)(line[i] - '0');
                else
                    pt.letters[pt.len++] = line[i];
            }
            pt.letters[pt.len] = 0;
        }
        g_array_append_val(pats, pt);
    }
    /* per level: NEXTLEVEL starts a new set of patterns */
    guint start = 0;
    while (start < pats->len) {
        guint end = start;
        while (end < pats->len && !(g_array_index(pats, wb_pattern, end).keyword &&
                                    wb_starts(g_array_index(pats, wb_pattern, end).line,
                                              strlen(g_array_index(pats, wb_pattern, end).line), "NEXTLEVEL")))
            end++;
        GHashTable *index = g_hash_table_new(g_str_hash, g_str_equal);
        for (guint i = start; i < end; i++) {
            wb_pattern *pt = &g_array_index(pats, wb_pattern, i);
            if (!pt->keyword)
                g_hash_table_insert(index, pt->letters, GUINT_TO_POINTER(i + 1));
        }
        /* a dictionary closed already (most are) is left alone: a sample tells */
        bool closed = true;
        for (guint i = start; i < end && i < start + 400 && closed; i++) {
            wb_pattern *pt = &g_array_index(pats, wb_pattern, i);
            if (pt->keyword)
                continue;
            char buf[WB_HNJ_MAX_CHARS];
            for (size_t a = 0; a < pt->len && closed; a++)
                for (size_t b = a + 1; b <= pt->len && closed; b++) {
                    if (b - a == pt->len || b - a >= sizeof buf)
                        continue;
                    memcpy(buf, pt->letters + a, b - a);
                    buf[b - a] = 0;
                    guint at = GPOINTER_TO_UINT(g_hash_table_lookup(index, buf));
                    if (!at)
                        continue;
                    const wb_pattern *sub = &g_array_index(pats, wb_pattern, at - 1);
                    for (size_t k = 0; k <= sub->len; k++)
                        if (sub->digits[k] > pt->digits[a + k])
                            closed = false;
                }
        }
        if (closed) {
            g_hash_table_destroy(index);
            start = end + 1;
            continue;
        }
        /* every prefix of a pattern is a state of libhyphen's automaton: it must carry the
         * digits of the patterns it contains, so prefixes become patterns too */
        /* (gathered apart and put at the end of the level at once: inserting them one by
         * one would move the rest of the array each time) */
        GArray *added = g_array_new(FALSE, FALSE, sizeof(wb_pattern));
        for (guint i = start; i < end; i++) {
            const wb_pattern *pt = &g_array_index(pats, wb_pattern, i);
            if (pt->keyword)
                continue;
            for (size_t b = 1; b < pt->len; b++) {
                if (utf8 && ((unsigned char)pt->letters[b] & 0xC0) == 0x80)
                    continue;
                char *pre = g_strndup(pt->letters, b);
                if (g_hash_table_contains(index, pre)) {
                    g_free(pre);
                    continue;
                }
                wb_pattern np = {.letters = pre, .digits = g_malloc0(b + 2), .len = b};
                g_array_append_val(added, np);
                g_hash_table_add(index, pre);
            }
        }
        g_array_insert_vals(pats, end, added->data, added->len);
        end += added->len;
        g_array_free(added, TRUE);
        /* the index held pointers into the array, which moved: index by position */
        g_hash_table_remove_all(index);
        for (guint i = start; i < end; i++) {
            wb_pattern *pt = &g_array_index(pats, wb_pattern, i);
            if (!pt->keyword)
                g_hash_table_insert(index, pt->letters, GUINT_TO_POINTER(i + 1));
        }
        /* at a state libhyphen applies that state's digits only: give each state those of
         * its longest proper suffix that is a state, itself closed (shorter states first) */
        GPtrArray *order = g_ptr_array_new();
        for (guint i = start; i < end; i++)
            if (!g_array_index(pats, wb_pattern, i).keyword)
                g_ptr_array_add(order, GUINT_TO_POINTER(i + 1));
        g_ptr_array_sort_with_data(order, wb_by_length, pats);
        for (guint o = 0; o < order->len; o++) {
            wb_pattern *pt = &g_array_index(pats, wb_pattern, GPOINTER_TO_UINT(g_ptr_array_index(order, o)) - 1);
            for (size_t k = 1; k < pt->len; k++) {
                if (utf8 && ((unsigned char)pt->letters[k] & 0xC0) == 0x80)
                    continue;
                guint at = GPOINTER_TO_UINT(g_hash_table_lookup(index, pt->letters + k));
                if (!at)
                    continue;
                const wb_pattern *sub = &g_array_index(pats, wb_pattern, at - 1);
                for (size_t d = 0; d <= sub->len; d++)
                    if (sub->digits[d] > pt->digits[k + d])
                        pt->digits[k + d] = sub->digits[d];
                break; /* the longest suffix state carries all shorter ones */
            }
        }
        g_ptr_array_free(order, TRUE);
        g_hash_table_destroy(index);
        start = end + 1;
    }
    GString *out = g_string_new_len(text, (gssize)first);
    for (guint i = 0; i < pats->len; i++) {
        wb_pattern *pt = &g_array_index(pats, wb_pattern, i);
        if (pt->keyword) {
            g_string_append(out, pt->line);
        } else {
            bool any = false;
            for (size_t k = 0; k <= pt->len; k++)
                any = any || pt->digits[k];
            if (!any) {
                g_free(pt->letters);
                g_free(pt->digits);
                continue; /* a state with nothing to say: libhyphen makes it anyway */
            }
            for (size_t k = 0; k <= pt->len; k++) {
                if (pt->digits[k])
                    g_string_append_c(out, (char)('0' + pt->digits[k]));
                if (k < pt->len)
                    g_string_append_c(out, pt->letters[k]);
            }
        }
        g_string_append_c(out, '\n');
        g_free(pt->letters);
        g_free(pt->digits);
        g_free(pt->line);
    }
    g_array_free(pats, TRUE);
    *out_len = out->len;
    return g_string_free(out, FALSE);
}

/* ---- prepared dictionaries ----
 *
 * libhyphen itself takes seconds to read a large dictionary (hyph_de_DE.dic: 270,000 states
 * found through a small hash table), even closed.  So a prepared dictionary is not pattern
 * text but what libhyphen makes of it: its automaton (the states, their matches and
 * transitions, the fallback states; the public structures of <hyphen.h>), written out after
 * libhyphen loaded the cleaned and closed patterns, and read back in milliseconds.
 *
 * The file: a line "wb-hyphen N" (N: the format, below), a line "sha256 HEX" (the source
 * dictionary's SHA-256), then the levels of the dictionary (libhyphen's nextlevel chain, one
 * or two), in bytes and unsigned LEB128 numbers, so the file is the same on every machine:
 *   level:  count of levels, then each level
 *   each:   cset (string), utf8, lhmin, rhmin, clhmin, crhmin (bytes), nohyphen (bytes: its
 *           NUL-separated strings), nohyphenl, num_states, then the states
 *   state:  match, repl (strings), replindex, replcut (bytes), fallback_state + 1,
 *           num_trans, then (ch byte, new_state) per transition
 *   string: 0 for NULL, else the count of its bytes with the NUL + 1, then those bytes.
 * Strings of a loaded dictionary point into the file's text, which it keeps. */

static iconv_t wb_open_converter(const char *cset)
{
    iconv_t cd = iconv_open(cset, "UTF-8");
    /* OpenOffice-era dictionaries say "microsoft-cp1251"; glibc knows it as "CP1251". */
    if (cd == (iconv_t)-1 && strncasecmp(cset, "microsoft-", 10) == 0)
        cd = iconv_open(cset + 10, "UTF-8");
    return cd;
}

/* The format: change it whenever cleaning, closing or this encoding gives something else,
 * and every prepared and cached dictionary is made again. */
#define WB_PREPARED_MAGIC "wb-hyphen 2\n"
#define WB_PREPARED_HASH "sha256 "

static char *wb_source_hash(const char *text, size_t len)
{
    return g_compute_checksum_for_data(G_CHECKSUM_SHA256, (const guchar *)text, len);
}

static void wb_put_byte(GByteArray *b, unsigned char c)
{
    g_byte_array_append(b, &c, 1);
}

static void wb_put_uint(GByteArray *b, guint64 v)
{
    do {
        unsigned char c = v & 0x7f;
        v >>= 7;
        wb_put_byte(b, v ? c | 0x80 : c);
    } while (v);
}

static void wb_put_bytes(GByteArray *b, const char *s, size_t n)
{
    if (!s) {
        wb_put_uint(b, 0);
        return;
    }
    wb_put_uint(b, (guint64)n + 1);
    g_byte_array_append(b, (const guint8 *)s, (guint)n);
}

static void wb_put_string(GByteArray *b, const char *s)
{
    wb_put_bytes(b, s, s ? strlen(s) + 1 : 0);
}

static void wb_put_level(GByteArray *b, const HyphenDict *d)
{
    char cset[MAX_NAME];
    memcpy(cset, d->cset, MAX_NAME);
    cset[MAX_NAME - 1] = '\0';
    wb_put_string(b, cset);
    wb_put_byte(b, d->utf8 ? 1 : 0);
    wb_put_byte(b, (unsigned char)d->lhmin);
    wb_put_byte(b, (unsigned char)d->rhmin);
    wb_put_byte(b, (unsigned char)d->clhmin);
    wb_put_byte(b, (unsigned char)d->crhmin);
    /* nohyphenl + 1 strings, one after the other */
    size_t nh = 0;
    if (d->nohyphen)
        for (int i = 0; i <= d->nohyphenl; i++)
            nh += strlen(d->nohyphen + nh) + 1;
    wb_put_bytes(b, d->nohyphen, nh);
    wb_put_uint(b, (guint64)MAX(d->nohyphenl, 0));
    wb_put_uint(b, (guint64)d->num_states);
    for (int s = 0; s < d->num_states; s++) {
        const HyphenState *st = &d->states[s];
        wb_put_string(b, st->match);
        wb_put_string(b, st->repl);
        /* libhyphen sets these for the states of a pattern only */
        wb_put_byte(b, st->match ? (unsigned char)st->replindex : 0);
        wb_put_byte(b, st->match ? (unsigned char)st->replcut : 0);
        wb_put_uint(b, (guint64)(st->fallback_state + 1));
        wb_put_uint(b, (guint64)st->num_trans);
        for (int t = 0; t < st->num_trans; t++) {
            wb_put_byte(b, (unsigned char)st->trans[t].ch);
            wb_put_uint(b, (guint64)st->trans[t].new_state);
        }
    }
}

/* The prepared form of the dictionary `text` whose hash is `hash`: libhyphen loads the
 * cleaned and closed patterns and its automaton is written out.  NULL when the text is empty
 * or libhyphen fails.  Caller frees with g_free(). */
static char *wb_prepare_text(const char *text, size_t len, const char *hash, size_t *out_len)
{
    char cset[WB_HNJ_MAX_NAME];
    size_t clean_len = 0;
    char *clean = wb_clean_dict(text, len, &clean_len, cset);
    if (!clean)
        return NULL;
    size_t closed_len = 0;
    char *closed = wb_close_substrings(clean, clean_len, &closed_len,
                                       g_ascii_strcasecmp(cset, "UTF-8") == 0);
    g_free(clean);
    HyphenDict *dict = NULL;
    FILE *f = fmemopen(closed, closed_len, "r");
    if (f) {
        dict = hnj_hyphen_load_file(f);
        fclose(f);
    }
    g_free(closed);
    if (!dict)
        return NULL;
    GByteArray *b = g_byte_array_sized_new((guint)MIN(closed_len * 4, G_MAXUINT / 2));
    g_byte_array_append(b, (const guint8 *)WB_PREPARED_MAGIC, sizeof WB_PREPARED_MAGIC - 1);
    g_byte_array_append(b, (const guint8 *)WB_PREPARED_HASH, sizeof WB_PREPARED_HASH - 1);
    g_byte_array_append(b, (const guint8 *)hash, (guint)strlen(hash));
    wb_put_byte(b, '\n');
    guint64 levels = 0;
    for (const HyphenDict *d = dict; d && levels < 3; d = d->nextlevel)
        levels++;
    if (levels > 2) { /* libhyphen makes two */
        hnj_hyphen_free(dict);
        g_byte_array_free(b, TRUE);
        return NULL;
    }
    wb_put_uint(b, levels);
    for (const HyphenDict *d = dict; d && levels--; d = d->nextlevel)
        wb_put_level(b, d);
    hnj_hyphen_free(dict);
    *out_len = b->len;
    return (char *)g_byte_array_free(b, FALSE);
}

typedef struct {
    const unsigned char *p, *end;
    bool ok;
} wb_reader;

static unsigned char wb_get_byte(wb_reader *r)
{
    if (r->p >= r->end) {
        r->ok = false;
        return 0;
    }
    return *r->p++;
}

/* A number up to `max` (anything larger is an error). */
static guint64 wb_get_uint(wb_reader *r, guint64 max)
{
    guint64 v = 0;
    for (int shift = 0; shift < 64 && r->p < r->end; shift += 7) {
        unsigned char c = *r->p++;
        v |= (guint64)(c & 0x7f) << shift;
        if (!(c & 0x80)) {
            if (v > max)
                break;
            return v;
        }
    }
    r->ok = false;
    return 0;
}

/* Bytes in the text, ending with a NUL (their count in *len); NULL for none (or on error). */
static char *wb_get_bytes(wb_reader *r, size_t *len)
{
    guint64 n = wb_get_uint(r, G_MAXUINT32);
    if (n-- == 0 || !r->ok)
        return NULL;
    if (n == 0 || n > (guint64)(r->end - r->p) || r->p[n - 1] != '\0') {
        r->ok = false;
        return NULL;
    }
    char *s = (char *)r->p;
    r->p += n;
    if (len)
        *len = (size_t)n;
    return s;
}

/* The states of a level form a tree through their transitions, rooted at state 0, and every
 * fallback goes to a shallower state: libhyphen's walk then always ends.  Checked so that a
 * damaged file can never make it loop or read outside the arrays. */
static bool wb_level_sound(const HyphenDict *d)
{
    int n = d->num_states;
    if (n < 1 || d->states[0].fallback_state != -1)
        return false;
    int *depth = g_new(int, n), *queue = g_new(int, n);
    for (int s = 0; s < n; s++)
        depth[s] = -1;
    depth[0] = 0;
    int head = 0, tail = 0;
    queue[tail++] = 0;
    bool ok = true;
    while (ok && head < tail) {
        const HyphenState *st = &d->states[queue[head++]];
        for (int t = 0; ok && t < st->num_trans; t++) {
            int next = st->trans[t].new_state;
            if (depth[next] >= 0) {
                ok = false;
                break;
            }
            depth[next] = depth[st - d->states] + 1;
            queue[tail++] = next;
        }
    }
    ok = ok && tail == n;
    for (int s = 1; ok && s < n; s++) {
        int fb = d->states[s].fallback_state;
        ok = fb >= 0 && depth[fb] < depth[s];
    }
    g_free(queue);
    g_free(depth);
    return ok;
}

static HyphenDict *wb_get_level(wb_reader *r, HyphenTrans **trans_out)
{
    HyphenDict *d = g_new0(HyphenDict, 1);
    const char *cset = wb_get_bytes(r, NULL);
    if (cset)
        g_strlcpy(d->cset, cset, sizeof d->cset);
    d->utf8 = wb_get_byte(r) != 0;
    d->lhmin = (char)wb_get_byte(r);
    d->rhmin = (char)wb_get_byte(r);
    d->clhmin = (char)wb_get_byte(r);
    d->crhmin = (char)wb_get_byte(r);
    size_t nh_len = 0, nh_strings = 0;
    d->nohyphen = wb_get_bytes(r, &nh_len);
    for (size_t i = 0; d->nohyphen && i < nh_len; i++)
        nh_strings += d->nohyphen[i] == '\0';
    /* libhyphen reads nohyphenl + 1 strings */
    d->nohyphenl = (int)wb_get_uint(r, nh_strings ? nh_strings - 1 : 0);
    /* every state takes at least 6 bytes */
    d->num_states = (int)wb_get_uint(r, MIN((guint64)(r->end - r->p) / 6, (guint64)INT_MAX));
    if (!r->ok) {
        d->num_states = 0;
        return d;
    }
    d->states = g_new0(HyphenState, MAX(d->num_states, 1));
    guint *first = g_new(guint, d->num_states + 1);
    GArray *trans = g_array_new(FALSE, FALSE, sizeof(HyphenTrans));
    for (int s = 0; s < d->num_states && r->ok; s++) {
        HyphenState *st = &d->states[s];
        st->match = wb_get_bytes(r, NULL);
        st->repl = wb_get_bytes(r, NULL);
        st->replindex = (signed char)wb_get_byte(r);
        st->replcut = (signed char)wb_get_byte(r);
        st->fallback_state = (int)wb_get_uint(r, (guint64)d->num_states) - 1;
        st->num_trans = (int)wb_get_uint(r, (guint64)(r->end - r->p) / 2);
        first[s] = trans->len;
        for (int t = 0; t < st->num_trans && r->ok; t++) {
            HyphenTrans tr;
            tr.ch = (char)wb_get_byte(r);
            tr.new_state = (int)wb_get_uint(r, (guint64)d->num_states - 1);
            g_array_append_val(trans, tr);
        }
        if (st->repl && !st->match)
            r->ok = false;
    }
    *trans_out = (HyphenTrans *)(void *)g_array_free(trans, FALSE);
    for (int s = 0; s < d->num_states && r->ok; s++)
        d->states[s].trans = d->states[s].num_trans ? *trans_out + first[s] : NULL;
    g_free(first);
    if (!r->ok)
        d->num_states = 0;
    return d;
}

/* Reads the prepared dictionary `text` (taken: kept in `out` or freed) when it is one of this
 * format made from a source whose SHA-256 is `hash`; false when it was made from something
 * else or is damaged. */
static bool wb_parse_prepared(char *text, size_t len, const char *hash, wb_prepared *out)
{
    memset(out, 0, sizeof *out);
    char *head = g_strconcat(WB_PREPARED_MAGIC, WB_PREPARED_HASH, hash, "\n", NULL);
    size_t hl = strlen(head);
    bool ok = len > hl && memcmp(text, head, hl) == 0;
    g_free(head);
    out->text = text;
    if (!ok) {
        wb_prepared_free(out);
        return false;
    }
    wb_reader r = { .p = (const unsigned char *)text + hl,
                    .end = (const unsigned char *)text + len, .ok = true };
    guint64 levels = wb_get_uint(&r, 2);
    ok = r.ok && levels >= 1;
    for (guint64 i = 0; ok && i < levels; i++) {
        out->levels[i] = wb_get_level(&r, &out->trans[i]);
        ok = r.ok && wb_level_sound(out->levels[i]);
    }
    ok = ok && r.p == r.end;
    /* an encoding we can convert words to, read as libhyphen reads it */
    if (ok) {
        const HyphenDict *d = out->levels[0];
        ok = d->utf8 == (strcmp(d->cset, "UTF-8") == 0);
        if (ok && !d->utf8) {
            iconv_t cd = wb_open_converter(d->cset);
            ok = cd != (iconv_t)-1;
            if (ok)
                iconv_close(cd);
        }
    }
    if (!ok) {
        wb_prepared_free(out);
        return false;
    }
    if (levels == 2)
        out->levels[0]->nextlevel = out->levels[1];
    return true;
}

/* The same from the file at `path`; false also when it is missing or unreadable. */
static bool wb_read_prepared(const char *path, const char *hash, wb_prepared *out)
{
    char *text = NULL;
    gsize len = 0;
    if (!g_file_get_contents(path, &text, &len, NULL)) {
        memset(out, 0, sizeof *out);
        return false;
    }
    return wb_parse_prepared(text, len, hash, out);
}

/* Writes `text` to `path` through a temporary file renamed, so that a reader never sees half
 * a file; the folder is made when missing, with dir_mode. */
static bool wb_write_prepared(const char *path, const char *text, size_t len, int dir_mode,
                              GError **error)
{
    char *dir = g_path_get_dirname(path);
    int made = g_mkdir_with_parents(dir, dir_mode);
    int e = errno;
    g_free(dir);
    if (made != 0) {
        g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(e),
                    "cannot make the folder of %s: %s", path, g_strerror(e));
        return false;
    }
    return g_file_set_contents_full(path, text, (gssize)len, G_FILE_SET_CONTENTS_CONSISTENT,
                                    0644, error);
}

bool wb_hyphen_prepare(const char *source, const char *dest, char **error)
{
    char *text = NULL;
    gsize len = 0;
    GError *err = NULL;
    if (!g_file_get_contents(source, &text, &len, &err)) {
        if (error)
            *error = g_strdup(err->message);
        g_error_free(err);
        return false;
    }
    char *hash = wb_source_hash(text, len);
    size_t plen = 0;
    char *prepared = wb_prepare_text(text, len, hash, &plen);
    g_free(text);
    g_free(hash);
    if (!prepared) {
        if (error)
            *error = g_strdup_printf("%s: not a hyphenation dictionary", source);
        return false;
    }
    bool ok = wb_write_prepared(dest, prepared, plen, 0755, &err);
    g_free(prepared);
    if (!ok) {
        if (error)
            *error = g_strdup(err->message);
        g_error_free(err);
    }
    return ok;
}

/* Loads the dictionary whose canonical path is `path` into `out`: prepared, cached or made
 * now (see hyphenate.h); false when unreadable or not a dictionary. */
static bool wb_load_dict(const wb_hyphenator *h, const char *path, wb_prepared *out,
                         wb_hyph_origin *origin)
{
    char *text = NULL;
    gsize len = 0;
    if (!g_file_get_contents(path, &text, &len, NULL))
        return false;
    char *hash = wb_source_hash(text, len);
    char *base = g_path_get_basename(path);
    bool found = false;
    *origin = WB_HYPH_PREPARED;
    for (size_t i = 0; h->prepared[i] && !found; i++) {
        char *file = g_build_filename(h->prepared[i], base, NULL);
        found = wb_read_prepared(file, hash, out);
        g_free(file);
    }
    /* the cache is keyed by the source's hash: a changed dictionary gets a new entry */
    char *cached = h->cache ? g_strconcat(h->cache, G_DIR_SEPARATOR_S, hash, ".dic", NULL) : NULL;
    if (!found && cached) {
        *origin = WB_HYPH_CACHED;
        found = wb_read_prepared(cached, hash, out);
    }
    if (!found) {
        *origin = WB_HYPH_CLOSED;
        size_t plen = 0;
        char *prepared = wb_prepare_text(text, len, hash, &plen);
        if (prepared) {
            /* for the next run; a cache that cannot be written is no failure (its folders
             * are the user's own, as the XDG base directory specification asks) */
            if (cached)
                wb_write_prepared(cached, prepared, plen, 0700, NULL);
            /* read back like the others, so that all three hyphenate alike */
            found = wb_parse_prepared(prepared, plen, hash, out);
        }
    }
    g_free(cached);
    g_free(base);
    g_free(hash);
    g_free(text);
    return found;
}

/* ---- finding dictionaries by language ---- */

/* Index of the dictionary at `path` (loading it if new), -1 when the file is missing or
 * unusable. */
static int wb_dict_at(wb_hyphenator *h, const char *path)
{
    char *resolved = realpath(path, NULL);
    if (!resolved)
        return -1;
    char *real = g_strdup(resolved);
    free(resolved);
    for (size_t i = 0; i < h->ndicts; i++)
        if (strcmp(h->dicts[i].path, real) == 0) {
            g_free(real);
            return (int)i;
        }
    wb_hyph_dict d = { .path = real, .dict = NULL, .utf8 = false, .cd = (iconv_t)-1 };
    if (h->ndicts >= INT_MAX || !wb_load_dict(h, real, &d.prep, &d.origin))
        goto fail;
    d.dict = d.prep.levels[0];
    /* libhyphen's own reading of the encoding line: it decides how its answers are indexed */
    d.utf8 = d.dict->utf8;
    if (!d.utf8) {
        d.cd = wb_open_converter(d.dict->cset);
        if (d.cd == (iconv_t)-1)
            goto fail;
    }
    if (h->ndicts == h->capdicts) {
        h->capdicts = h->capdicts ? h->capdicts * 2 : 4;
        h->dicts = g_renew(wb_hyph_dict, h->dicts, h->capdicts);
    }
    h->dicts[h->ndicts] = d;
    return (int)h->ndicts++;
fail:
    wb_prepared_free(&d.prep);
    if (d.cd != (iconv_t)-1)
        iconv_close(d.cd);
    g_free(real);
    return -1;
}

/* Usual region of a language's dictionary when the tag names none and hyph_ll.dic is
 * missing (LibreOffice dictionary names). */
static const char *wb_default_region(const char *lang)
{
    static const char *const map[][2] = {
        { "en", "US" }, { "cs", "CZ" }, { "da", "DK" }, { "el", "GR" }, { "et", "EE" },
        { "nb", "NO" }, { "nn", "NO" }, { "sv", "SE" }, { "sl", "SI" }, { "uk", "UA" },
        { "be", "BY" }, { "ca", "ES" }, { "gl", "ES" }, { "sr", "RS" }, { "pt", "PT" },
    };
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (strcmp(map[i][0], lang) == 0)
            return map[i][1];
    return NULL;
}

/* Splits a tag into primary language (lower case) and region (upper case, "" when none).
 * Only letters and digits reach a file name, so a tag can never leave dict_dir. */
static bool wb_parse_tag(const char *tag, char lang[9], char region[3])
{
    size_t n = 0;
    while (n < 8 && g_ascii_isalpha(tag[n])) {
        lang[n] = g_ascii_tolower(tag[n]);
        n++;
    }
    lang[n] = '\0';
    region[0] = '\0';
    if (n < 2 || (tag[n] != '\0' && tag[n] != '-' && tag[n] != '_'))
        return false;
    const char *p = tag + n;
    while (*p == '-' || *p == '_') {
        p++;
        size_t len = 0;
        while (g_ascii_isalnum(p[len]))
            len++;
        if (len == 4 && region[0] == '\0')
            ; /* script (Latn, Cyrl): dictionaries are not named by it */
        else if (len == 2 && g_ascii_isalpha(p[0]) && g_ascii_isalpha(p[1])) {
            region[0] = g_ascii_toupper(p[0]);
            region[1] = g_ascii_toupper(p[1]);
            region[2] = '\0';
            break;
        } else
            break; /* numeric region, variant, extension: use the language alone */
        p += len;
    }
    return true;
}

static int wb_resolve(wb_hyphenator *h, const char *tag)
{
    char lang[9], region[3];
    if (!wb_parse_tag(tag, lang, region))
        return -1;
    char upper[9];
    size_t i = 0;
    for (; lang[i]; i++)
        upper[i] = g_ascii_toupper(lang[i]);
    upper[i] = '\0';
    const char *def = wb_default_region(lang);
    const char *suffixes[4] = { region[0] ? region : NULL, "", def, upper };
    for (i = 0; i < 4; i++) {
        if (!suffixes[i])
            continue;
        char *path = g_strdup_printf("%s/hyph_%s%s%s.dic", h->dir, lang,
                                     *suffixes[i] ? "_" : "", suffixes[i]);
        int d = wb_dict_at(h, path);
        g_free(path);
        if (d >= 0)
            return d;
    }
    return -1;
}

static const wb_hyph_dict *wb_lookup(wb_hyphenator *h, const char *lang)
{
    char *key = g_ascii_strdown(lang, -1);
    g_strdelimit(key, "_", '-');
    for (size_t i = 0; i < h->nlangs; i++)
        if (strcmp(h->langs[i].tag, key) == 0) {
            g_free(key);
            int d = h->langs[i].dict;
            return d >= 0 ? &h->dicts[d] : NULL;
        }
    int d = wb_resolve(h, key);
    /* Remember the answer, found or not, so we look once. */
    if (h->nlangs == h->caplangs) {
        h->caplangs = h->caplangs ? h->caplangs * 2 : 8;
        h->langs = g_renew(wb_hyph_lang, h->langs, h->caplangs);
    }
    h->langs[h->nlangs++] = (wb_hyph_lang){ .tag = key, .dict = d };
    return d >= 0 ? &h->dicts[d] : NULL;
}

bool wb_hyphenator_has(wb_hyphenator *h, const char *lang)
{
    return h && lang && wb_lookup(h, lang) != NULL;
}

wb_hyph_origin wb_hyphenator_origin(wb_hyphenator *h, const char *lang)
{
    const wb_hyph_dict *d = h && lang ? wb_lookup(h, lang) : NULL;
    return d ? d->origin : WB_HYPH_NONE;
}

/* ---- hyphenating ---- */

static bool wb_is_apostrophe(gunichar c)
{
    return c == 0x27 || c == 0x2019;
}

/* Characters after which a line may break inside a word. */
static bool wb_is_hyphen(gunichar c)
{
    return c == 0x2D || c == 0x2010 || c == 0xAD;
}

static bool wb_is_letter(gunichar c)
{
    return g_unichar_isalpha(c) || g_unichar_ismark(c);
}

/* Dictionary breaks inside the letters cps[0..n): sets brk[k] when a hyphen may go before
 * character k.  Returns false when out of memory; a part the dictionary's encoding cannot
 * spell simply gets no break. */
static bool wb_hyphenate_part(const wb_hyph_dict *d, const gunichar *cps, size_t n, int push,
                              int remain, bool *brk)
{
    /* 8 bytes per character hold it in UTF-8 and in any encoding of the dictionaries. */
    size_t cap = n * 8, len = 0;
    char *enc = malloc(cap + 1);
    size_t *end = malloc(n * sizeof *end); /* end[k]: bytes of enc up to character k */
    char *hy = NULL;
    char **rep = NULL;
    int *pos = NULL, *cut = NULL;
    bool ok = false;
    if (!enc || !end)
        goto out;
    if (d->cd != (iconv_t)-1)
        iconv(d->cd, NULL, NULL, NULL, NULL);
    for (size_t k = 0; k < n; k++) {
        /* Patterns are lower case; g_unichar_tolower maps one character to one. */
        gunichar lc = g_unichar_tolower(cps[k]);
        if (d->utf8) {
            len += (size_t)g_unichar_to_utf8(lc, enc + len);
        } else {
            char u[8];
            char *in = u, *outp = enc + len;
            size_t inleft = (size_t)g_unichar_to_utf8(lc, u), outleft = cap - len;
            if (iconv(d->cd, &in, &inleft, &outp, &outleft) == (size_t)-1) {
                ok = true; /* not in the dictionary's alphabet: no break here */
                goto out;
            }
            len = (size_t)(outp - enc);
        }
        end[k] = len;
    }
    enc[len] = '\0'; /* libhyphen uses strstr on the word */
    if (len == 0 || len > INT_MAX / 2) {
        ok = true;
        goto out;
    }
    hy = malloc(len + 5); /* size libhyphen asks for */
    if (!hy)
        goto out;
    /* clhmin/crhmin 0: the dictionary's own compound minimums. */
    if (hnj_hyphen_hyphenate3(d->dict, enc, (int)len, hy, NULL, &rep, &pos, &cut, remain, push,
                              0, 0) != 0) {
        ok = true;
        goto out;
    }
    for (size_t k = 1; k < n; k++) {
        /* UTF-8 dictionaries answer per character, the others per byte (last byte of the
         * character before the break). */
        size_t i = d->utf8 ? k - 1 : end[k - 1] - 1;
        if ((hy[i] & 1) && !(rep && rep[i]))
            brk[k] = true;
    }
    ok = true;
out:
    if (rep) {
        for (size_t i = 0; i < len; i++)
            free(rep[i]);
        free(rep);
    }
    free(pos);
    free(cut);
    free(hy);
    free(end);
    free(enc);
    return ok;
}

int wb_hyphenate(wb_hyphenator *h, const char *lang, const char *word, size_t word_len,
                 int push, int remain, char *points)
{
    if (points && word_len)
        memset(points, 0, word_len);
    if (!h || !lang || (word_len && (!word || !points)))
        return -1;
    const wb_hyph_dict *d = wb_lookup(h, lang);
    if (!d)
        return -1;
    if (word_len == 0 || word_len > INT_MAX / 8 ||
        !g_utf8_validate_len(word, word_len, NULL))
        return 0;
    if (push < 1)
        push = 1;
    if (remain < 1)
        remain = 1;

    size_t n = (size_t)g_utf8_strlen(word, (gssize)word_len);
    gunichar *cps = malloc(n * sizeof *cps);
    size_t *offs = malloc(n * sizeof *offs); /* byte offset of each character */
    /* nm[k]: characters before k, combining marks not counted ("é" as e + U+0301 is one). */
    size_t *nm = malloc((n + 1) * sizeof *nm);
    bool *brk = calloc(n + 1, sizeof *brk); /* brk[k]: break before character k */
    int count = 0;
    if (!cps || !offs || !nm || !brk)
        goto out;
    const char *p = word;
    nm[0] = 0;
    for (size_t k = 0; k < n; k++) {
        offs[k] = (size_t)(p - word);
        cps[k] = g_utf8_get_char(p);
        p = g_utf8_next_char(p);
        nm[k + 1] = nm[k] + (g_unichar_ismark(cps[k]) ? 0 : 1);
    }

    /* The word proper, without surrounding punctuation: counts apply to it. */
    size_t b = 0, e = n;
    while (b < e && !g_unichar_isalnum(cps[b]))
        b++;
    while (e > b && !g_unichar_isalnum(cps[e - 1]) && !g_unichar_ismark(cps[e - 1]))
        e--;
    if (b == e)
        goto out;

    bool letters_only = true;
    for (size_t k = b; k < e; k++)
        if (!wb_is_letter(cps[k]) && !wb_is_apostrophe(cps[k]))
            letters_only = false;

    if (!letters_only) {
        /* Digits, hyphens or symbols: like TeX, only break after the hyphens already there,
         * and only when a word character follows (not "--", not "-»"). */
        for (size_t k = b + 1; k < e; k++)
            if (wb_is_hyphen(cps[k - 1]) && g_unichar_isalnum(cps[k]) &&
                nm[k] - nm[b] >= (size_t)remain && nm[e] - nm[k] >= (size_t)push)
                brk[k] = true;
    } else {
        size_t s = b;
        while (s < e) {
            size_t t = s;
            while (t < e && !wb_is_apostrophe(cps[t]))
                t++;
            /* A part shorter than remain + push cannot break; skip the dictionary call. */
            if (nm[t] - nm[s] >= (size_t)remain + (size_t)push) {
                if (!wb_hyphenate_part(d, cps + s, t - s, push, remain, brk + s))
                    goto out;
                /* libhyphen counts code points (and bytes in places); enforce the counts in
                 * characters ourselves, and never split a character from its marks. */
                for (size_t k = s + 1; k < t; k++)
                    if (brk[k] && (nm[k] - nm[s] < (size_t)remain ||
                                   nm[t] - nm[k] < (size_t)push || g_unichar_ismark(cps[k])))
                        brk[k] = false;
            }
            s = t + 1;
        }
    }

    for (size_t k = b + 1; k < e; k++)
        if (brk[k]) {
            points[offs[k]] = 1;
            count++;
        }
out:
    free(brk);
    free(nm);
    free(offs);
    free(cps);
    return count;
}
