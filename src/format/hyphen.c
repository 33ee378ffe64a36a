/* Hyphenation of single words with libhyphen; see hyphenate.h. */
#include "format/hyph-private.h"

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
    if (h->ndicts >= INT_MAX || !wb_load_dict(h->prepared, h->cache, real, &d.prep, &d.origin))
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
