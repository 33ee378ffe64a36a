/* Hash-table keys made of raw bytes (pointers, numbers and text side by side), hashed once
 * when made: the shaped-word and hyphenation caches look words up by such keys without
 * formatting a string.  Private to src/format. */
#ifndef WB_FORMAT_BLOBKEY_H
#define WB_FORMAT_BLOBKEY_H

#include <string.h>

#include <glib.h>

typedef struct blob_key {
    guint hash;
    gsize len;
    unsigned char data[];
} blob_key;

/* Fills `k` (room for `cap` bytes of data) with the bytes of parts a (na bytes) and b (nb
 * bytes); NULL when they do not fit. */
static inline blob_key *blob_key_fill(blob_key *k, gsize cap, const void *a, gsize na, const void *b, gsize nb)
{
    if (na + nb > cap)
        return NULL;
    memcpy(k->data, a, na);
    memcpy(k->data + na, b, nb);
    k->len = na + nb;
    guint h = 2166136261u; /* FNV-1a */
    for (gsize i = 0; i < k->len; i++)
        h = (h ^ k->data[i]) * 16777619u;
    k->hash = h;
    return k;
}

/* A key of its own on the heap (g_free), for keys that do not fit a buffer or to insert. */
static inline blob_key *blob_key_new(const void *a, gsize na, const void *b, gsize nb)
{
    blob_key *k = g_malloc(sizeof *k + na + nb);
    return blob_key_fill(k, na + nb, a, na, b, nb);
}

static inline blob_key *blob_key_dup(const blob_key *k)
{
    blob_key *c = g_malloc(sizeof *c + k->len);
    memcpy(c, k, sizeof *c + k->len);
    return c;
}

static inline guint blob_key_hash(gconstpointer k) { return ((const blob_key *)k)->hash; }

static inline gboolean blob_key_equal(gconstpointer a, gconstpointer b)
{
    const blob_key *x = a, *y = b;
    return x->hash == y->hash && x->len == y->len && memcmp(x->data, y->data, x->len) == 0;
}

#endif
