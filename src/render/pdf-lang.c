/* PDF post-pass adding the catalog's /Lang; see pdf-lang.h.
 *
 * The file is mapped read-only and parsed with a small PDF tokenizer (strings, names, hex
 * strings, arrays, nested dictionaries, comments, indirect references) rather than text
 * searches: a catalog may hold /Names << ... >>, /MarkInfo << >> or strings with ">>" in
 * them.  Only what the update needs is parsed: the newest trailer, the xref sections that
 * lead to the catalog, and the catalog object. */
#include "pdf-lang.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

/* Nesting of arrays and dictionaries we follow; deeper is treated as corrupt rather than
 * risking the stack on a hostile file. */
#define WB_PDF_MAX_DEPTH 64
/* /Prev hops before we call the chain a loop. */
#define WB_PDF_MAX_SECTIONS 256
/* startxref and %%EOF are at the very end; allow some trailing garbage. */
#define WB_PDF_TAIL 2048
/* Offsets in a classic xref entry have 10 digits. */
#define WB_PDF_MAX_OFFSET 9999999999ULL

typedef struct {
    const char *buf; /* the whole file, mapped */
    size_t len;
    const char *path;
    char *err;
    size_t errlen;
    /* In-use entries of the newest xref section whose offset holds no such object: cairo
     * 1.16 reserves objects for link annotations that it never writes.  The update defines
     * them as null objects. */
    bool collect;
    unsigned long long *dangling; /* pairs: number, generation */
    size_t ndangling, capdangling;
    /* Objects of the newest xref section (triples: number, generation, offset), to find
     * resource dictionaries where cairo 1.16 repeats a key (an image drawn twice on a page
     * is named twice in /XObject), which the update writes again with each key once. */
    unsigned long long *objs;
    size_t nobjs, capobjs;
} wb_pdf;

/* A top-level entry of a dictionary: key and value as byte ranges of the file. */
typedef struct {
    size_t ks, ke; /* the name, '/' included */
    size_t vs, ve; /* the value object */
} wb_pdf_entry;

typedef struct {
    wb_pdf_entry *e;
    size_t n, cap;
    size_t open;  /* position of "<<" */
    size_t close; /* position of the final ">>" */
    size_t end;   /* just past it */
} wb_pdf_dict;

__attribute__((format(printf, 3, 4))) static int wb_fail(wb_pdf *p, int code,
                                                         const char *fmt, ...)
{
    if (p->err && p->errlen) {
        int n = snprintf(p->err, p->errlen, "%s: ", p->path);
        if (n >= 0 && (size_t)n < p->errlen) {
            va_list ap;
            va_start(ap, fmt);
            vsnprintf(p->err + n, p->errlen - (size_t)n, fmt, ap);
            va_end(ap);
        }
    }
    return code;
}

/* ---- tokens ---- */

static bool wb_is_ws(char c)
{
    return c == 0 || c == '\t' || c == '\n' || c == '\f' || c == '\r' || c == ' ';
}

static bool wb_is_delim(char c)
{
    return c == '(' || c == ')' || c == '<' || c == '>' || c == '[' || c == ']' || c == '{' ||
           c == '}' || c == '/' || c == '%';
}

static bool wb_is_regular(char c)
{
    return !wb_is_ws(c) && !wb_is_delim(c);
}

/* Skips white space and comments. */
static size_t wb_skip_ws(const wb_pdf *p, size_t pos)
{
    while (pos < p->len) {
        if (wb_is_ws(p->buf[pos])) {
            pos++;
        } else if (p->buf[pos] == '%') {
            while (pos < p->len && p->buf[pos] != '\n' && p->buf[pos] != '\r')
                pos++;
        } else {
            break;
        }
    }
    return pos;
}

/* True when the keyword `kw` stands at pos as a whole token. */
static bool wb_keyword(const wb_pdf *p, size_t pos, const char *kw)
{
    size_t n = strlen(kw);
    return pos <= p->len && p->len - pos >= n && memcmp(p->buf + pos, kw, n) == 0 &&
           (pos + n == p->len || !wb_is_regular(p->buf[pos + n]));
}

/* An unsigned integer token at pos (no sign, no point); *end just past it. */
static bool wb_uint(const wb_pdf *p, size_t pos, unsigned long long *val, size_t *end)
{
    unsigned long long v = 0;
    size_t i = pos;
    while (i < p->len && p->buf[i] >= '0' && p->buf[i] <= '9') {
        if (v > (ULLONG_MAX - 9) / 10)
            return false;
        v = v * 10 + (unsigned long long)(p->buf[i] - '0');
        i++;
    }
    if (i == pos || (i < p->len && wb_is_regular(p->buf[i])))
        return false;
    *val = v;
    *end = i;
    return true;
}

/* "num gen R" or "num gen obj" at pos (after white space): the two numbers and the end of
 * the keyword. */
static bool wb_num_gen_kw(const wb_pdf *p, size_t pos, const char *kw, unsigned long long *num,
                          unsigned long long *gen, size_t *end)
{
    size_t q;
    pos = wb_skip_ws(p, pos);
    if (!wb_uint(p, pos, num, &q))
        return false;
    pos = wb_skip_ws(p, q);
    if (!wb_uint(p, pos, gen, &q))
        return false;
    pos = wb_skip_ws(p, q);
    if (!wb_keyword(p, pos, kw))
        return false;
    *end = pos + strlen(kw);
    return true;
}

static bool wb_parse_dict(const wb_pdf *p, size_t pos, int depth, wb_pdf_dict *d);

/* Skips one object starting at pos (after white space); *end just past it. */
static bool wb_skip_object(const wb_pdf *p, size_t pos, int depth, size_t *end)
{
    if (depth > WB_PDF_MAX_DEPTH)
        return false;
    pos = wb_skip_ws(p, pos);
    if (pos >= p->len)
        return false;
    const char *b = p->buf;
    char c = b[pos];
    if (c == '<' && pos + 1 < p->len && b[pos + 1] == '<') {
        wb_pdf_dict d = { 0 };
        bool ok = wb_parse_dict(p, pos, depth + 1, &d);
        free(d.e);
        *end = d.end;
        return ok;
    }
    if (c == '<') { /* hex string */
        for (pos++; pos < p->len && b[pos] != '>'; pos++) {
            char h = b[pos];
            bool hex = (h >= '0' && h <= '9') || (h >= 'a' && h <= 'f') || (h >= 'A' && h <= 'F');
            if (!hex && !wb_is_ws(h))
                return false;
        }
        if (pos >= p->len)
            return false;
        *end = pos + 1;
        return true;
    }
    if (c == '(') { /* literal string: balanced parentheses, backslash escapes */
        int nest = 0;
        for (; pos < p->len; pos++) {
            if (b[pos] == '\\')
                pos++;
            else if (b[pos] == '(')
                nest++;
            else if (b[pos] == ')' && --nest == 0) {
                *end = pos + 1;
                return true;
            }
        }
        return false;
    }
    if (c == '[') {
        for (pos++;;) {
            pos = wb_skip_ws(p, pos);
            if (pos >= p->len)
                return false;
            if (b[pos] == ']') {
                *end = pos + 1;
                return true;
            }
            if (!wb_skip_object(p, pos, depth + 1, &pos))
                return false;
        }
    }
    if (c == '/') {
        for (pos++; pos < p->len && wb_is_regular(b[pos]); pos++)
            ;
        *end = pos;
        return true;
    }
    if (!wb_is_regular(c))
        return false; /* ) > ] { } out of place */
    /* An indirect reference "n g R" is one object; otherwise a number or a keyword. */
    unsigned long long n, g;
    if (wb_num_gen_kw(p, pos, "R", &n, &g, end))
        return true;
    while (pos < p->len && wb_is_regular(b[pos]))
        pos++;
    *end = pos;
    return true;
}

/* Parses the dictionary whose "<<" is at pos (after white space), listing its top-level
 * entries.  d->e is allocated (free it even on failure). */
static bool wb_parse_dict(const wb_pdf *p, size_t pos, int depth, wb_pdf_dict *d)
{
    if (depth > WB_PDF_MAX_DEPTH)
        return false;
    pos = wb_skip_ws(p, pos);
    if (p->len - pos < 2 || p->buf[pos] != '<' || p->buf[pos + 1] != '<')
        return false;
    d->open = pos;
    pos += 2;
    for (;;) {
        pos = wb_skip_ws(p, pos);
        if (p->len - pos >= 2 && p->buf[pos] == '>' && p->buf[pos + 1] == '>') {
            d->close = pos;
            d->end = pos + 2;
            return true;
        }
        if (pos >= p->len || p->buf[pos] != '/')
            return false;
        wb_pdf_entry e = { .ks = pos };
        if (!wb_skip_object(p, pos, depth, &e.ke))
            return false;
        e.vs = wb_skip_ws(p, e.ke);
        if (!wb_skip_object(p, e.vs, depth, &e.ve))
            return false;
        pos = e.ve;
        if (d->n == d->cap) {
            size_t cap = d->cap ? d->cap * 2 : 16;
            wb_pdf_entry *grown = realloc(d->e, cap * sizeof *grown);
            if (!grown)
                return false;
            d->e = grown;
            d->cap = cap;
        }
        d->e[d->n++] = e;
    }
}

/* The entry with key `name` ("/Root"), or NULL.  Keys are compared as written: cairo and
 * every writer we know spell these names without #xx escapes. */
static const wb_pdf_entry *wb_dict_get(const wb_pdf *p, const wb_pdf_dict *d, const char *name)
{
    size_t n = strlen(name);
    for (size_t i = d->n; i-- > 0;) /* the last of duplicate keys wins, as in most readers */
        if (d->e[i].ke - d->e[i].ks == n && memcmp(p->buf + d->e[i].ks, name, n) == 0)
            return &d->e[i];
    return NULL;
}

/* ---- cross-reference sections ---- */

typedef struct {
    bool found;
    bool in_use; /* 'n', not 'f' */
    unsigned long long off, gen;
} wb_xref_hit;

/* Reads the classic xref section at `off`, looking up object `num` (a hit is kept only if
 * none was found yet: newer sections are read first).  *trailer receives the position just
 * after the "trailer" keyword. */
static int wb_read_xref(wb_pdf *p, unsigned long long off, unsigned long long num,
                        wb_xref_hit *hit, size_t *trailer)
{
    if (off >= p->len)
        return wb_fail(p, WB_PDF_LANG_CORRUPT,
                       "cross-reference offset %llu is past the end of the file (truncated?)",
                       off);
    size_t pos = wb_skip_ws(p, (size_t)off), q;
    unsigned long long a, b;
    if (wb_num_gen_kw(p, pos, "obj", &a, &b, &q))
        return wb_fail(p, WB_PDF_LANG_UNSUPPORTED,
                       "cross-reference stream (PDF 1.5 compressed xref) not supported");
    if (!wb_keyword(p, pos, "xref"))
        return wb_fail(p, WB_PDF_LANG_CORRUPT, "no cross-reference table at offset %llu", off);
    pos += 4;
    for (;;) {
        pos = wb_skip_ws(p, pos);
        if (wb_keyword(p, pos, "trailer")) {
            *trailer = pos + 7;
            return WB_PDF_LANG_OK;
        }
        unsigned long long start, count;
        if (!wb_uint(p, pos, &start, &pos) || !wb_uint(p, wb_skip_ws(p, pos), &count, &pos))
            return wb_fail(p, WB_PDF_LANG_CORRUPT,
                           "bad cross-reference subsection near offset %zu", pos);
        /* Each entry takes at least 6 bytes ("0 0 n\n"): reject counts the file cannot hold
         * before looping over them. */
        if (count > (p->len - pos) / 6)
            return wb_fail(p, WB_PDF_LANG_CORRUPT,
                           "cross-reference subsection runs past the end (truncated?)");
        for (unsigned long long i = 0; i < count; i++) {
            unsigned long long eoff, egen;
            pos = wb_skip_ws(p, pos);
            if (!wb_uint(p, pos, &eoff, &pos) || !wb_uint(p, wb_skip_ws(p, pos), &egen, &pos))
                return wb_fail(p, WB_PDF_LANG_CORRUPT,
                               "bad cross-reference entry near offset %zu", pos);
            pos = wb_skip_ws(p, pos);
            bool used = wb_keyword(p, pos, "n");
            if (!used && !wb_keyword(p, pos, "f"))
                return wb_fail(p, WB_PDF_LANG_CORRUPT,
                               "bad cross-reference entry near offset %zu", pos);
            pos++;
            if (p->collect && used && start + i != 0) {
                if (p->nobjs == p->capobjs) {
                    size_t cap = p->capobjs ? p->capobjs * 2 : 64;
                    unsigned long long *o = realloc(p->objs, cap * 3 * sizeof *o);
                    if (!o)
                        return wb_fail(p, WB_PDF_LANG_NOMEM, "out of memory");
                    p->objs = o;
                    p->capobjs = cap;
                }
                p->objs[3 * p->nobjs] = start + i;
                p->objs[3 * p->nobjs + 1] = egen;
                p->objs[3 * p->nobjs + 2] = eoff;
                p->nobjs++;
                unsigned long long on, og;
                size_t oq;
                if (eoff >= p->len || !wb_num_gen_kw(p, (size_t)eoff, "obj", &on, &og, &oq) ||
                    on != start + i || og != egen) {
                    if (p->ndangling == p->capdangling) {
                        size_t cap = p->capdangling ? p->capdangling * 2 : 16;
                        unsigned long long *d = realloc(p->dangling, cap * 2 * sizeof *d);
                        if (!d)
                            return wb_fail(p, WB_PDF_LANG_NOMEM, "out of memory");
                        p->dangling = d;
                        p->capdangling = cap;
                    }
                    p->dangling[2 * p->ndangling] = start + i;
                    p->dangling[2 * p->ndangling + 1] = egen;
                    p->ndangling++;
                }
            }
            if (!hit->found && start + i == num)
                *hit = (wb_xref_hit){ .found = true, .in_use = used, .off = eoff, .gen = egen };
        }
    }
}

/* ---- the language as a PDF text string ---- */

/* Decodes one UTF-8 character (strict: no overlongs, surrogates or values past U+10FFFF);
 * returns its length, 0 when invalid. */
static size_t wb_utf8_decode(const unsigned char *s, size_t n, uint32_t *cp)
{
    if (s[0] < 0x80) {
        *cp = s[0];
        return 1;
    }
    size_t len = s[0] >= 0xF0 ? 4 : s[0] >= 0xE0 ? 3 : s[0] >= 0xC2 ? 2 : 0;
    if (len == 0 || len > n || s[0] > 0xF4)
        return 0;
    uint32_t c = s[0] & (0x7F >> len);
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        c = (c << 6) | (s[i] & 0x3F);
    }
    static const uint32_t min[5] = { 0, 0, 0x80, 0x800, 0x10000 };
    if (c < min[len] || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
        return 0;
    *cp = c;
    return len;
}

/* The PDF text string for `lang`: "(fr)" with ( ) \ escaped when it is printable ASCII,
 * else "<FEFF...>" in UTF-16BE.  NULL with *bad set when lang is not UTF-8, or when out of
 * memory.  Caller frees with free(). */
static char *wb_pdf_text_string(const char *lang, bool *bad)
{
    size_t n = strlen(lang);
    bool ascii = true;
    *bad = false;
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t l = wb_utf8_decode((const unsigned char *)lang + i, n - i, &cp);
        if (l == 0) {
            *bad = true;
            return NULL;
        }
        if (cp < 0x20 || cp > 0x7E)
            ascii = false;
        i += l;
    }
    /* Worst cases: every byte escaped "\x" (2), or 4 bytes -> 8 hex digits per byte. */
    char *out = malloc(ascii ? 2 * n + 3 : 8 * n + 7);
    if (!out)
        return NULL;
    size_t o = 0;
    if (ascii) {
        out[o++] = '(';
        for (size_t i = 0; i < n; i++) {
            if (lang[i] == '(' || lang[i] == ')' || lang[i] == '\\')
                out[o++] = '\\';
            out[o++] = lang[i];
        }
        out[o++] = ')';
    } else {
        static const char hex[] = "0123456789ABCDEF";
        memcpy(out, "<FEFF", 5);
        o = 5;
        for (size_t i = 0; i < n;) {
            uint32_t cp;
            i += wb_utf8_decode((const unsigned char *)lang + i, n - i, &cp);
            uint32_t units[2];
            size_t nu = 0;
            if (cp >= 0x10000) {
                cp -= 0x10000;
                units[nu++] = 0xD800 | (cp >> 10);
                units[nu++] = 0xDC00 | (cp & 0x3FF);
            } else {
                units[nu++] = cp;
            }
            for (size_t u = 0; u < nu; u++)
                for (int shift = 12; shift >= 0; shift -= 4)
                    out[o++] = hex[(units[u] >> shift) & 0xF];
        }
        out[o++] = '>';
    }
    out[o] = '\0';
    return out;
}

/* ---- the update ---- */

/* Finds the last "startxref" near the end and the offset after it. */
static int wb_find_startxref(wb_pdf *p, unsigned long long *xref)
{
    static const char kw[] = "startxref";
    const size_t kn = sizeof kw - 1;
    size_t from = p->len > WB_PDF_TAIL ? p->len - WB_PDF_TAIL : 0;
    for (size_t i = p->len >= kn ? p->len - kn + 1 : 0; i-- > from;) {
        if (memcmp(p->buf + i, kw, kn) != 0)
            continue;
        size_t end;
        if (wb_uint(p, wb_skip_ws(p, i + kn), xref, &end)) {
            /* %%EOF after the number tells a complete file from one cut short.  (Not
             * wb_skip_ws: to PDF syntax %%EOF is a comment.) */
            while (end < p->len && wb_is_ws(p->buf[end]))
                end++;
            if (p->len - end >= 5 && memcmp(p->buf + end, "%%EOF", 5) == 0)
                return WB_PDF_LANG_OK;
        }
        break;
    }
    return wb_fail(p, WB_PDF_LANG_CORRUPT, "no startxref ... %%%%EOF at the end (truncated?)");
}

/* True if a dictionary repeats a key. */
static bool wb_dict_repeats(const wb_pdf *p, const wb_pdf_dict *d)
{
    for (size_t i = 0; i < d->n; i++)
        for (size_t k = i + 1; k < d->n; k++)
            if (d->e[i].ke - d->e[i].ks == d->e[k].ke - d->e[k].ks &&
                memcmp(p->buf + d->e[i].ks, p->buf + d->e[k].ks, d->e[i].ke - d->e[i].ks) == 0)
                return true;
    return false;
}

/* Writes a dictionary with the first of each repeated key only. */
static void wb_write_dict_once(const wb_pdf *p, const wb_pdf_dict *d, FILE *ms)
{
    fputs("<<", ms);
    for (size_t i = 0; i < d->n; i++) {
        bool seen = false;
        for (size_t k = 0; k < i && !seen; k++)
            seen = d->e[i].ke - d->e[i].ks == d->e[k].ke - d->e[k].ks &&
                   memcmp(p->buf + d->e[i].ks, p->buf + d->e[k].ks, d->e[i].ke - d->e[i].ks) == 0;
        if (seen)
            continue;
        fputc(' ', ms);
        fwrite(p->buf + d->e[i].ks, 1, d->e[i].ke - d->e[i].ks, ms);
        fputc(' ', ms);
        fwrite(p->buf + d->e[i].vs, 1, d->e[i].ve - d->e[i].vs, ms);
    }
    fputs(" >>", ms);
}

/* If object num (a dictionary, not a stream) has a dictionary entry that repeats a key,
 * writes the object again with each key once and returns true. */
static bool wb_rewrite_deduplicated(const wb_pdf *p, unsigned long long num, unsigned long long gen,
                                    unsigned long long off, FILE *ms)
{
    unsigned long long n2, g2;
    size_t pos;
    if (off >= p->len || !wb_num_gen_kw(p, (size_t)off, "obj", &n2, &g2, &pos) || n2 != num || g2 != gen)
        return false;
    wb_pdf_dict top = { 0 };
    bool rewrite = false;
    if (!wb_parse_dict(p, pos, 0, &top) || wb_keyword(p, wb_skip_ws(p, top.end), "stream")) {
        free(top.e);
        return false;
    }
    wb_pdf_dict *subs = calloc(top.n + 1, sizeof *subs);
    for (size_t i = 0; subs && i < top.n; i++) {
        if (top.e[i].ve - top.e[i].vs >= 2 && p->buf[top.e[i].vs] == '<' && p->buf[top.e[i].vs + 1] == '<' &&
            wb_parse_dict(p, top.e[i].vs, 1, &subs[i]) && wb_dict_repeats(p, &subs[i]))
            rewrite = true;
    }
    if (rewrite) {
        fprintf(ms, "%llu %llu obj\n<<", num, gen);
        for (size_t i = 0; i < top.n; i++) {
            fputc(' ', ms);
            fwrite(p->buf + top.e[i].ks, 1, top.e[i].ke - top.e[i].ks, ms);
            fputc(' ', ms);
            if (subs[i].n && wb_dict_repeats(p, &subs[i]))
                wb_write_dict_once(p, &subs[i], ms);
            else
                fwrite(p->buf + top.e[i].vs, 1, top.e[i].ve - top.e[i].vs, ms);
        }
        fputs(" >>\nendobj\n", ms);
    }
    for (size_t i = 0; subs && i < top.n; i++)
        free(subs[i].e);
    free(subs);
    free(top.e);
    return rewrite;
}

/* Builds the bytes to append: the new catalog, a one-entry xref section, the trailer. */
static int wb_build_update(wb_pdf *p, const wb_pdf_dict *cat, unsigned long long num,
                           unsigned long long gen, const char *lang_str,
                           const wb_pdf_dict *trailer, unsigned long long size,
                           unsigned long long prev, char **out, size_t *out_len)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *ms = open_memstream(&buf, &len);
    if (!ms)
        return wb_fail(p, WB_PDF_LANG_NOMEM, "out of memory");
    /* An object must start on a line of its own. */
    char last = p->buf[p->len - 1];
    if (last != '\n' && last != '\r')
        fputc('\n', ms);
    fflush(ms);
    unsigned long long *null_off = calloc(p->ndangling + 1, sizeof *null_off);
    if (!null_off) {
        fclose(ms);
        free(buf);
        return wb_fail(p, WB_PDF_LANG_NOMEM, "out of memory");
    }
    for (size_t i = 0; i < p->ndangling; i++) {
        fflush(ms);
        null_off[i] = p->len + len;
        fprintf(ms, "%llu %llu obj\nnull\nendobj\n", p->dangling[2 * i], p->dangling[2 * i + 1]);
    }
    /* objects whose resource dictionaries repeat a key, written again with each key once */
    unsigned long long *fixed_off = calloc(p->nobjs + 1, sizeof *fixed_off);
    bool *fixed = calloc(p->nobjs + 1, sizeof *fixed);
    for (size_t i = 0; fixed && fixed_off && i < p->nobjs; i++) {
        fflush(ms);
        fixed_off[i] = p->len + len;
        fixed[i] = wb_rewrite_deduplicated(p, p->objs[3 * i], p->objs[3 * i + 1], p->objs[3 * i + 2], ms);
    }
    fflush(ms);
    unsigned long long obj_off = p->len + len;
    if (lang_str) {
    fprintf(ms, "%llu %llu obj\n", num, gen);
    /* The catalog as written, minus any /Lang (each one replaced by a space so that the
     * tokens around it stay apart), plus ours before the closing ">>". */
    size_t from = cat->open;
    for (size_t i = 0; i < cat->n; i++) {
        const wb_pdf_entry *e = &cat->e[i];
        if (e->ke - e->ks == 5 && memcmp(p->buf + e->ks, "/Lang", 5) == 0) {
            fwrite(p->buf + from, 1, e->ks - from, ms);
            fputc(' ', ms);
            from = e->ve;
        }
    }
    fwrite(p->buf + from, 1, cat->close - from, ms);
    fprintf(ms, " /Lang %s >>\nendobj\n", lang_str);
    }
    fflush(ms);
    unsigned long long xref_off = p->len + len;
    /* Entries are exactly 20 bytes: 10-digit offset, 5-digit generation, "n", CR LF. */
    fprintf(ms, "xref\n");
    for (size_t i = 0; i < p->ndangling; i++)
        fprintf(ms, "%llu 1\n%010llu %05llu n\r\n", p->dangling[2 * i], null_off[i], p->dangling[2 * i + 1]);
    free(null_off);
    for (size_t i = 0; fixed && fixed_off && i < p->nobjs; i++)
        if (fixed[i])
            fprintf(ms, "%llu 1\n%010llu %05llu n\r\n", p->objs[3 * i], fixed_off[i], p->objs[3 * i + 1]);
    free(fixed);
    free(fixed_off);
    if (lang_str)
        fprintf(ms, "%llu 1\n%010llu %05llu n\r\n", num, obj_off, gen);
    fprintf(ms, "trailer\n<< /Size %llu /Root %llu %llu R", size, num, gen);
    static const char *const kept[] = { "/Info", "/ID" };
    for (size_t i = 0; i < sizeof kept / sizeof kept[0]; i++) {
        const wb_pdf_entry *e = wb_dict_get(p, trailer, kept[i]);
        if (e) {
            fprintf(ms, " %s ", kept[i]);
            fwrite(p->buf + e->vs, 1, e->ve - e->vs, ms);
        }
    }
    fprintf(ms, " /Prev %llu >>\nstartxref\n%llu\n%%%%EOF\n", prev, xref_off);
    bool failed = ferror(ms) != 0;
    if (fclose(ms) != 0 || failed) {
        free(buf);
        return wb_fail(p, WB_PDF_LANG_NOMEM, "out of memory");
    }
    if (obj_off > WB_PDF_MAX_OFFSET || gen > 65535) {
        free(buf);
        return wb_fail(p, WB_PDF_LANG_UNSUPPORTED, "file too large for a classic xref table");
    }
    *out = buf;
    *out_len = len;
    return WB_PDF_LANG_OK;
}

/* Parses the mapped file and builds the update. */
static int wb_make_update(wb_pdf *p, const char *lang_str, char **out, size_t *out_len)
{
    size_t head = p->len < 1024 ? p->len : 1024;
    if (!memmem(p->buf, head, "%PDF-", 5))
        return wb_fail(p, WB_PDF_LANG_NOT_PDF, "not a PDF file (no %%PDF- header)");

    unsigned long long xref;
    int rc = wb_find_startxref(p, &xref);
    if (rc)
        return rc;

    /* The newest trailer names the catalog, then its xref sections, newest first, say
     * where the catalog's current version lies. */
    size_t tpos;
    wb_xref_hit none = { 0 };
    p->collect = true;
    rc = wb_read_xref(p, xref, ULLONG_MAX, &none, &tpos);
    p->collect = false;
    if (rc)
        return rc;
    wb_pdf_dict trailer = { 0 }, cat = { 0 }, older = { 0 };
    if (!wb_parse_dict(p, tpos, 0, &trailer)) {
        rc = wb_fail(p, WB_PDF_LANG_CORRUPT, "bad trailer dictionary");
        goto out;
    }
    const wb_pdf_entry *root = wb_dict_get(p, &trailer, "/Root");
    const wb_pdf_entry *size = wb_dict_get(p, &trailer, "/Size");
    unsigned long long num, gen, size_val;
    size_t q;
    if (wb_dict_get(p, &trailer, "/Encrypt")) {
        rc = wb_fail(p, WB_PDF_LANG_UNSUPPORTED, "encrypted PDF not supported");
        goto out;
    }
    if (!root || !wb_num_gen_kw(p, root->vs, "R", &num, &gen, &q) || q != root->ve) {
        rc = wb_fail(p, WB_PDF_LANG_CORRUPT, "trailer has no /Root n g R");
        goto out;
    }
    if (!size || !wb_uint(p, size->vs, &size_val, &q) || q != size->ve) {
        rc = wb_fail(p, WB_PDF_LANG_CORRUPT, "trailer has no /Size");
        goto out;
    }

    wb_xref_hit hit = { 0 };
    unsigned long long off = xref;
    for (int hops = 0; !hit.found; hops++) {
        if (hops == WB_PDF_MAX_SECTIONS) {
            rc = wb_fail(p, WB_PDF_LANG_CORRUPT, "endless /Prev chain of xref sections");
            goto out;
        }
        rc = wb_read_xref(p, off, num, &hit, &tpos);
        if (rc || hit.found)
            break;
        free(older.e);
        older = (wb_pdf_dict){ 0 };
        const wb_pdf_entry *prev;
        if (!wb_parse_dict(p, tpos, 0, &older) || !(prev = wb_dict_get(p, &older, "/Prev")) ||
            !wb_uint(p, prev->vs, &off, &q)) {
            rc = wb_fail(p, WB_PDF_LANG_CORRUPT, "catalog %llu %llu R not in any xref section",
                         num, gen);
            goto out;
        }
    }
    if (rc)
        goto out;
    if (!hit.in_use || hit.gen != gen || hit.off >= p->len) {
        rc = wb_fail(p, WB_PDF_LANG_CORRUPT, "xref entry of catalog %llu %llu R is bad", num,
                     gen);
        goto out;
    }

    unsigned long long n2, g2;
    size_t pos;
    if (!wb_num_gen_kw(p, (size_t)hit.off, "obj", &n2, &g2, &pos) || n2 != num || g2 != gen) {
        rc = wb_fail(p, WB_PDF_LANG_CORRUPT, "no object %llu %llu at offset %llu", num, gen,
                     hit.off);
        goto out;
    }
    if (!wb_parse_dict(p, pos, 0, &cat)) {
        rc = wb_fail(p, WB_PDF_LANG_CORRUPT, "catalog %llu %llu is not a complete dictionary",
                     num, gen);
        goto out;
    }
    if (!wb_keyword(p, wb_skip_ws(p, cat.end), "endobj")) {
        rc = wb_fail(p, WB_PDF_LANG_CORRUPT, "catalog %llu %llu has no endobj", num, gen);
        goto out;
    }

    bool repeats = false;
    for (size_t i = 0; i < p->nobjs && !repeats; i++) {
        char *tmpbuf = NULL;
        size_t tmplen = 0;
        FILE *probe = open_memstream(&tmpbuf, &tmplen);
        if (probe) {
            repeats = wb_rewrite_deduplicated(p, p->objs[3 * i], p->objs[3 * i + 1], p->objs[3 * i + 2], probe);
            fclose(probe);
        }
        free(tmpbuf);
    }
    if (!lang_str && p->ndangling == 0 && !repeats) {
        *out = NULL;
        *out_len = 0;
        goto out;
    }
    rc = wb_build_update(p, &cat, num, gen, lang_str, &trailer,
                         size_val > num ? size_val : num + 1, xref, out, out_len);
out:
    free(trailer.e);
    free(cat.e);
    free(older.e);
    return rc;
}

/* Writes all of buf at the end of the file; on failure cuts the file back. */
static int wb_append(wb_pdf *p, int fd, const char *buf, size_t len)
{
    size_t done = 0;
    while (done < len) {
        ssize_t w = pwrite(fd, buf + done, len - done, (off_t)(p->len + done));
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            int err = w < 0 ? errno : EIO;
            if (ftruncate(fd, (off_t)p->len) != 0)
                return wb_fail(p, WB_PDF_LANG_IO, "write failed (%s), and the file could "
                               "not be restored", strerror(err));
            return wb_fail(p, WB_PDF_LANG_IO, "write failed: %s", strerror(err));
        }
        done += (size_t)w;
    }
    return WB_PDF_LANG_OK;
}

int wb_pdf_set_lang(const char *path, const char *lang, char *errbuf, size_t errlen)
{
    if (!lang || !*lang) {
        wb_pdf p = { .path = path ? path : "(null)", .err = errbuf, .errlen = errlen };
        if (errbuf && errlen)
            errbuf[0] = '\0';
        return wb_fail(&p, WB_PDF_LANG_BADARG, "no file or no language given");
    }
    return wb_pdf_finish(path, lang, errbuf, errlen);
}

int wb_pdf_finish(const char *path, const char *lang, char *errbuf, size_t errlen)
{
    wb_pdf p = { .path = path ? path : "(null)", .err = errbuf, .errlen = errlen };
    if (errbuf && errlen)
        errbuf[0] = '\0';
    if (!path || (lang && !*lang))
        return wb_fail(&p, WB_PDF_LANG_BADARG, "no file or no language given");
    bool bad = false;
    char *lang_str = lang ? wb_pdf_text_string(lang, &bad) : NULL;
    if (lang && !lang_str)
        return bad ? wb_fail(&p, WB_PDF_LANG_BADARG, "language is not valid UTF-8")
                   : wb_fail(&p, WB_PDF_LANG_NOMEM, "out of memory");

    int rc;
    int fd = open(path, O_RDWR | O_CLOEXEC);
    if (fd < 0) {
        rc = wb_fail(&p, WB_PDF_LANG_IO, "%s", strerror(errno));
        free(lang_str);
        return rc;
    }
    struct stat st;
    void *map = MAP_FAILED;
    char *update = NULL;
    size_t update_len = 0;
    if (fstat(fd, &st) != 0) {
        rc = wb_fail(&p, WB_PDF_LANG_IO, "%s", strerror(errno));
        goto out;
    }
    if (!S_ISREG(st.st_mode)) {
        rc = wb_fail(&p, WB_PDF_LANG_IO, "not a regular file");
        goto out;
    }
    if (st.st_size == 0) {
        rc = wb_fail(&p, WB_PDF_LANG_NOT_PDF, "empty file, not a PDF");
        goto out;
    }
    if ((unsigned long long)st.st_size > SIZE_MAX) {
        rc = wb_fail(&p, WB_PDF_LANG_UNSUPPORTED, "file too large");
        goto out;
    }
    p.len = (size_t)st.st_size;
    map = mmap(NULL, p.len, PROT_READ, MAP_PRIVATE, fd, 0);
    if (map == MAP_FAILED) {
        rc = wb_fail(&p, WB_PDF_LANG_IO, "cannot map the file: %s", strerror(errno));
        goto out;
    }
    p.buf = map;
    rc = wb_make_update(&p, lang_str, &update, &update_len);
    if (rc == WB_PDF_LANG_OK && update_len > 0)
        rc = wb_append(&p, fd, update, update_len);
out:
    if (map != MAP_FAILED)
        munmap(map, p.len);
    if (close(fd) != 0 && rc == WB_PDF_LANG_OK)
        rc = wb_fail(&p, WB_PDF_LANG_IO, "close failed: %s", strerror(errno));
    free(update);
    free(lang_str);
    free(p.dangling);
    free(p.objs);
    return rc;
}
