/* Hyphenation of single words with libhyphen; see hyphen.h. */
#include "hyphen.h"

#include <iconv.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

/* libhyphen's header is also called hyphen.h, and a build with -Isrc/format would find ours
 * in its place.  So declare the three entry points we use, exactly as libhyphen does (ABI of
 * libhyphen.so.0, unchanged since 2.8); the dictionary stays opaque. */
typedef struct _HyphenDict HyphenDict;
HyphenDict *hnj_hyphen_load_file(FILE *f);
void hnj_hyphen_free(HyphenDict *dict);
int hnj_hyphen_hyphenate3(HyphenDict *dict, const char *word, int word_size, char *hyphens,
                          char *hyphword, char ***rep, int **pos, int **cut, int lhmin,
                          int rhmin, int clhmin, int crhmin);

#define WB_HYPHEN_DEFAULT_DIR "/usr/share/hyphen"
/* libhyphen reads the encoding name with fgets into a buffer of MAX_NAME bytes, and each
 * following line into one of MAX_CHARS bytes. */
#define WB_HNJ_MAX_NAME 20
#define WB_HNJ_MAX_CHARS 100

typedef struct {
    char *path; /* canonical (realpath), so symbolic links share one load */
    HyphenDict *dict;
    bool utf8;  /* false: words are converted with cd */
    iconv_t cd; /* UTF-8 -> dictionary encoding; (iconv_t)-1 for UTF-8 dictionaries */
} wb_hyph_dict;

typedef struct {
    char *tag; /* lower case, '-' separated */
    int dict;  /* index into dicts, -1 when no dictionary (remembered so we look once) */
} wb_hyph_lang;

struct wb_hyphenator {
    char *dir;
    wb_hyph_dict *dicts;
    size_t ndicts, capdicts;
    wb_hyph_lang *langs;
    size_t nlangs, caplangs;
};

wb_hyphenator *wb_hyphenator_new(const char *dict_dir)
{
    if (!dict_dir) {
        const char *env = getenv("WB_HYPHEN_DIR");
        dict_dir = (env && *env) ? env : WB_HYPHEN_DEFAULT_DIR;
    }
    wb_hyphenator *h = calloc(1, sizeof *h);
    if (!h)
        return NULL;
    h->dir = strdup(dict_dir);
    if (!h->dir) {
        free(h);
        return NULL;
    }
    return h;
}

void wb_hyphenator_free(wb_hyphenator *h)
{
    if (!h)
        return;
    for (size_t i = 0; i < h->ndicts; i++) {
        hnj_hyphen_free(h->dicts[i].dict);
        if (h->dicts[i].cd != (iconv_t)-1)
            iconv_close(h->dicts[i].cd);
        free(h->dicts[i].path);
    }
    for (size_t i = 0; i < h->nlangs; i++)
        free(h->langs[i].tag);
    free(h->dicts);
    free(h->langs);
    free(h->dir);
    free(h);
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
    char *key = malloc(n + 1);
    if (!key)
        return NULL;
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
 * libhyphen would skip left out; the encoding line is copied into cset.  NULL when out of
 * memory or the file is empty.  Caller frees with free(). */
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

    wb_piece *pieces = NULL;
    size_t npieces = 0, cap = 0;
    char *out = NULL;
    bool ok = false;
    int level = 0;
    GHashTable *seen = g_hash_table_new_full(g_str_hash, g_str_equal, free, NULL);
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
            if (!key)
                goto out;
            gpointer prev;
            if (g_hash_table_lookup_extended(seen, key, NULL, &prev))
                pieces[GPOINTER_TO_SIZE(prev)].keep = false;
            g_hash_table_insert(seen, key, GSIZE_TO_POINTER(npieces));
        }
        if (npieces == cap) {
            cap = cap ? cap * 2 : 1024;
            wb_piece *grown = realloc(pieces, cap * sizeof *grown);
            if (!grown)
                goto out;
            pieces = grown;
        }
        pieces[npieces++] = (wb_piece){ .off = (size_t)(line - text), .len = n, .keep = keep };
    }
    out = malloc(len + 2);
    if (!out)
        goto out;
    memcpy(out, text, first);
    size_t o = first;
    for (size_t i = 0; i < npieces; i++)
        if (pieces[i].keep) {
            memcpy(out + o, text + pieces[i].off, pieces[i].len);
            o += pieces[i].len;
        }
    *out_len = o;
    ok = true;
out:
    g_hash_table_destroy(seen);
    free(pieces);
    if (!ok) {
        free(out);
        return NULL;
    }
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
 * "вы-слу-шай-те").  This is that step: returns the closed dictionary text, or NULL when out
 * of memory.  Patterns with replacements (the "/" syntax) are left as they are.  Caller
 * frees with free(). */
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
        guint level_end = end;
        for (guint i = start; i < level_end; i++) {
            wb_pattern *pt = &g_array_index(pats, wb_pattern, i);
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
                g_array_insert_val(pats, end, np);
                pt = &g_array_index(pats, wb_pattern, i); /* the array may have moved */
                g_hash_table_insert(index, g_array_index(pats, wb_pattern, end).letters,
                                    GUINT_TO_POINTER(end + 1));
                end++;
            }
        }
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
    char *r = malloc(out->len + 1);
    if (r)
        memcpy(r, out->str, out->len + 1);
    g_string_free(out, TRUE);
    return r;
}

/* The whole file in a malloc'd buffer (caller frees with free()); NULL on failure. */
static char *wb_read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *buf = NULL;
    size_t n = 0, cap = 0;
    for (;;) {
        if (cap - n < 65536) {
            cap = cap ? cap * 2 : 262144;
            char *grown = realloc(buf, cap);
            if (!grown)
                break;
            buf = grown;
        }
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (got == 0) {
            if (ferror(f))
                break;
            fclose(f);
            *len = n;
            return buf;
        }
    }
    fclose(f);
    free(buf);
    return NULL;
}

/* Loads the dictionary at `path` (see above); NULL when unreadable or out of memory. */
static HyphenDict *wb_load_dict(const char *path, char cset[WB_HNJ_MAX_NAME])
{
    size_t len = 0;
    char *text = wb_read_file(path, &len);
    if (!text)
        return NULL;
    size_t clean_len = 0;
    char *clean = wb_clean_dict(text, len, &clean_len, cset);
    free(text);
    if (!clean)
        return NULL;
    size_t closed_len = 0;
    char *closed = wb_close_substrings(clean, clean_len, &closed_len, g_ascii_strcasecmp(cset, "UTF-8") == 0);
    if (closed) {
        free(clean);
        clean = closed;
        clean_len = closed_len;
    }
    HyphenDict *dict = NULL;
    FILE *f = fmemopen(clean, clean_len, "r");
    if (f) {
        dict = hnj_hyphen_load_file(f);
        fclose(f);
    }
    free(clean);
    return dict;
}

/* ---- finding dictionaries by language ---- */

static iconv_t wb_open_converter(const char *cset)
{
    iconv_t cd = iconv_open(cset, "UTF-8");
    /* OpenOffice-era dictionaries say "microsoft-cp1251"; glibc knows it as "CP1251". */
    if (cd == (iconv_t)-1 && strncasecmp(cset, "microsoft-", 10) == 0)
        cd = iconv_open(cset + 10, "UTF-8");
    return cd;
}

/* Index of the dictionary at `path` (loading it if new), -1 when the file is missing or
 * unusable. */
static int wb_dict_at(wb_hyphenator *h, const char *path)
{
    char *real = realpath(path, NULL);
    if (!real)
        return -1;
    for (size_t i = 0; i < h->ndicts; i++)
        if (strcmp(h->dicts[i].path, real) == 0) {
            free(real);
            return (int)i;
        }
    char cset[WB_HNJ_MAX_NAME];
    wb_hyph_dict d = { .path = real, .dict = NULL, .utf8 = false, .cd = (iconv_t)-1 };
    if (h->ndicts >= INT_MAX)
        goto fail;
    if (h->ndicts == h->capdicts) {
        size_t cap = h->capdicts ? h->capdicts * 2 : 4;
        wb_hyph_dict *grown = realloc(h->dicts, cap * sizeof *grown);
        if (!grown)
            goto fail;
        h->dicts = grown;
        h->capdicts = cap;
    }
    d.dict = wb_load_dict(real, cset);
    if (!d.dict)
        goto fail;
    /* The same test as libhyphen's: it decides how its answers are indexed. */
    d.utf8 = strcmp(cset, "UTF-8") == 0;
    if (!d.utf8) {
        d.cd = wb_open_converter(cset);
        if (d.cd == (iconv_t)-1)
            goto fail;
    }
    h->dicts[h->ndicts] = d;
    return (int)h->ndicts++;
fail:
    if (d.dict)
        hnj_hyphen_free(d.dict);
    if (d.cd != (iconv_t)-1)
        iconv_close(d.cd);
    free(real);
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
    size_t size = strlen(h->dir) + sizeof "/hyph__.dic" + sizeof lang + sizeof upper;
    char *path = malloc(size);
    if (!path)
        return -1;
    for (i = 0; i < 4; i++) {
        if (!suffixes[i])
            continue;
        snprintf(path, size, "%s/hyph_%s%s%s.dic", h->dir, lang, *suffixes[i] ? "_" : "",
                 suffixes[i]);
        int d = wb_dict_at(h, path);
        if (d >= 0) {
            free(path);
            return d;
        }
    }
    free(path);
    return -1;
}

static const wb_hyph_dict *wb_lookup(wb_hyphenator *h, const char *lang)
{
    size_t len = strlen(lang);
    char *key = malloc(len + 1);
    if (!key)
        return NULL;
    for (size_t i = 0; i <= len; i++)
        key[i] = lang[i] == '_' ? '-' : g_ascii_tolower(lang[i]);
    for (size_t i = 0; i < h->nlangs; i++)
        if (strcmp(h->langs[i].tag, key) == 0) {
            free(key);
            int d = h->langs[i].dict;
            return d >= 0 ? &h->dicts[d] : NULL;
        }
    int d = wb_resolve(h, key);
    /* Remember the answer; if that fails we simply look again next time. */
    if (h->nlangs == h->caplangs) {
        size_t cap = h->caplangs ? h->caplangs * 2 : 8;
        wb_hyph_lang *l = realloc(h->langs, cap * sizeof *l);
        if (l) {
            h->langs = l;
            h->caplangs = cap;
        }
    }
    if (h->nlangs < h->caplangs)
        h->langs[h->nlangs++] = (wb_hyph_lang){ .tag = key, .dict = d };
    else
        free(key);
    return d >= 0 ? &h->dicts[d] : NULL;
}

bool wb_hyphenator_has(wb_hyphenator *h, const char *lang)
{
    return h && lang && wb_lookup(h, lang) != NULL;
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
