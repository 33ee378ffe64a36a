/* Prepared hyphenation dictionaries: libhyphen's automaton written out once (at build time,
 * or into the user's cache) with the hash of its source, and read back in milliseconds.
 * Hands dictionaries ready to hyphenate with to the hyphenator (hyphen.c). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "format/hyph-private.h"

void wb_prepared_free(wb_prepared *p)
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

iconv_t wb_open_converter(const char *cset)
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


bool wb_load_dict(char *const *prepared, const char *cache, const char *path, wb_prepared *out,
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
    for (size_t i = 0; prepared[i] && !found; i++) {
        char *file = g_build_filename(prepared[i], base, NULL);
        found = wb_read_prepared(file, hash, out);
        g_free(file);
    }
    /* the cache is keyed by the source's hash: a changed dictionary gets a new entry */
    char *cached = cache ? g_strconcat(cache, G_DIR_SEPARATOR_S, hash, ".dic", NULL) : NULL;
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
