/* Hash-table keys made of raw bytes (pointers, numbers and text side by side), hashed once
 * when made: the shaped-word, hyphenation and font caches look things up by such keys
 * without formatting a string.  A key is made in a buffer on the caller's stack, or on the
 * heap when it does not fit; a table keeps a key of its own.  Private to src/format. */
#ifndef WB_FORMAT_BLOBKEY_H
#define WB_FORMAT_BLOBKEY_H

#include <string.h>

#include <glib.h>

typedef struct blob_key {
    guint hash;
    gsize len;
    unsigned char data[];
} blob_key;

/* One part of a key: its bytes. */
typedef struct blob_part {
    const void *bytes;
    gsize len;
} blob_part;

/* Room for a key of up to 256 bytes on the stack. */
typedef union blob_key_room {
    blob_key k;
    unsigned char room[sizeof(blob_key) + 256];
} blob_key_room;

/* The key of the n parts, in `room` when it fits, else on the heap: then *heap is that key,
 * which the caller frees with g_free or hands to a table with blob_key_keep. */
static inline blob_key *blob_key_make(blob_key_room *room, blob_key **heap, const blob_part *parts, int n)
{
    gsize len = 0;
    for (int i = 0; i < n; i++)
        len += parts[i].len;
    blob_key *k = &room->k;
    *heap = NULL;
    if (len > sizeof room->room - sizeof(blob_key))
        k = *heap = g_malloc(sizeof *k + len);
    k->len = 0;
    for (int i = 0; i < n; i++) {
        memcpy(k->data + k->len, parts[i].bytes, parts[i].len);
        k->len += parts[i].len;
    }
    guint h = 2166136261u; /* FNV-1a */
    for (gsize i = 0; i < k->len; i++)
        h = (h ^ k->data[i]) * 16777619u;
    k->hash = h;
    return k;
}

/* A key a table may own: the heap key when there is one (taken from *heap), else a copy. */
static inline blob_key *blob_key_keep(const blob_key *k, blob_key **heap)
{
    blob_key *own = *heap;
    *heap = NULL;
    if (!own) {
        own = g_malloc(sizeof *own + k->len);
        memcpy(own, k, sizeof *own + k->len);
    }
    return own;
}

static inline guint blob_key_hash(gconstpointer k) { return ((const blob_key *)k)->hash; }

static inline gboolean blob_key_equal(gconstpointer a, gconstpointer b)
{
    const blob_key *x = a, *y = b;
    return x->hash == y->hash && x->len == y->len && memcmp(x->data, y->data, x->len) == 0;
}

#endif
