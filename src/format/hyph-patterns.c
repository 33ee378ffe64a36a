/* Hyphenation patterns made ready for libhyphen: a dictionary cleaned of what libhyphen
 * would drop or overwrite, then closed under substrings as its matcher expects.  Hands the
 * pattern text to the preparing of dictionaries (hyph-prepared.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "format/hyph-private.h"

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
char *wb_clean_dict(const char *text, size_t len, size_t *out_len,
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
/* The patterns and keyword lines of a dictionary, after its encoding line (`first` bytes). */
static GArray *read_patterns(const char *text, size_t len, size_t first)
{
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
    return pats;
}

/* Positions (+1) of the patterns of [start, end) by their letters. */
static void index_patterns(GArray *pats, guint start, guint end, GHashTable *index)
{
    g_hash_table_remove_all(index);
    for (guint i = start; i < end; i++) {
        wb_pattern *pt = &g_array_index(pats, wb_pattern, i);
        if (!pt->keyword)
            g_hash_table_insert(index, pt->letters, GUINT_TO_POINTER(i + 1));
    }
}

/* Whether a level looks closed already (most are): a sample of its patterns tells. */
static bool level_closed(GArray *pats, guint start, guint end, GHashTable *index)
{
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
    return closed;
}

/* Every prefix of a pattern is a state of libhyphen's automaton: it must carry the digits of
 * the patterns it contains, so prefixes become patterns too.  Returns the level's new end. */
static guint add_prefixes(GArray *pats, guint start, guint end, GHashTable *index, bool utf8)
{
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
    return end;
}

/* At a state libhyphen applies that state's digits only: each state gets those of its
 * longest proper suffix that is a state, itself closed (shorter states first). */
static void carry_suffix_digits(GArray *pats, guint start, guint end, GHashTable *index, bool utf8)
{
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
}

/* The dictionary text again: the encoding line, then each pattern with its digits (states
 * with none left out) and each keyword line; frees the patterns. */
static char *write_patterns(const char *text, size_t first, GArray *pats, size_t *out_len)
{
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

char *wb_close_substrings(const char *text, size_t len, size_t *out_len, bool utf8)
{
    size_t first = wb_fgets_len(text, len, WB_HNJ_MAX_NAME);
    GArray *pats = read_patterns(text, len, first);
    /* per level: NEXTLEVEL starts a new set of patterns */
    GHashTable *index = g_hash_table_new(g_str_hash, g_str_equal);
    guint start = 0;
    while (start < pats->len) {
        guint end = start;
        while (end < pats->len && !(g_array_index(pats, wb_pattern, end).keyword &&
                                    wb_starts(g_array_index(pats, wb_pattern, end).line,
                                              strlen(g_array_index(pats, wb_pattern, end).line), "NEXTLEVEL")))
            end++;
        index_patterns(pats, start, end, index);
        if (!level_closed(pats, start, end, index)) {
            end = add_prefixes(pats, start, end, index, utf8);
            /* the index held pointers into the array, which moved: index by position */
            index_patterns(pats, start, end, index);
            carry_suffix_digits(pats, start, end, index, utf8);
        }
        start = end + 1;
    }
    g_hash_table_destroy(index);
    return write_patterns(text, first, pats, out_len);
}

