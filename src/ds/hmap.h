/* hmap.h - the value of a Redis hash: field -> value, binary safe.
 *
 * Two encodings, like Redis 7.0:
 *   HMAP_PACK  a pack (ds/pack.h) of field, value, field, value ... in
 *              insertion order; O(n) lookups, for small hashes.
 *   HMAP_HT    a dict keyed by the field; each key is one allocation
 *              holding the field and its value (ds/blob.h).
 * A hash starts packed and is converted (once, never back) when it gets
 * more than max_entries fields or the caller sees a field or value longer
 * than max_value (hmap_convert).  Limits are passed in.
 *
 * Views returned by lookups and iterators borrow the hash's memory: valid
 * until the next change.  Iteration visits every field once (persistence
 * serialises a hash by iterating it). */
#ifndef DS_HMAP_H
#define DS_HMAP_H
#include <stddef.h>

#include "dict.h"
#include "pack.h"

enum { HMAP_PACK = 0, HMAP_HT = 1 };

/* A hash is an opaque handle: the pack itself, or the dict's address with
 * the low bit set, so a small hash costs no allocation beyond its pack.
 * Functions that may reallocate or convert return the new handle: always
 * store it (o->ptr = hmap_set(o->ptr, ...)). */
typedef struct hmap hmap;

typedef struct hmap_limits {
    size_t max_entries; /* hash-max-listpack-entries */
    size_t max_value;   /* hash-max-listpack-value */
} hmap_limits;

typedef struct hmap_iter {
    const hmap *h;
    size_t pos; /* HMAP_PACK: next field, 0 at end */
    dict_iter di;
} hmap_iter;

hmap *hmap_new(void);
void hmap_free(hmap *h);
hmap *hmap_dup(const hmap *h);
size_t hmap_len(const hmap *h);
size_t hmap_mem(const hmap *h);
int hmap_enc(const hmap *h);              /* HMAP_PACK / HMAP_HT */
const char *hmap_encoding(const hmap *h); /* "listpack" / "hashtable" */

/* 0 and the value's view if the field exists, -1 otherwise. */
int hmap_get(const hmap *h, const char *f, size_t flen, const char **v, size_t *vlen);
int hmap_exists(const hmap *h, const char *f, size_t flen);
/* Set a field; *created = 1 if it is new, 0 if its value was replaced.
 * Converts to HMAP_HT when the field or value is longer than
 * lim->max_value or the field count passes lim->max_entries. */
hmap *hmap_set(hmap *h, const char *f, size_t flen, const char *v, size_t vlen,
               const hmap_limits *lim, int *created);
/* *deleted = 1 if the field was there. */
hmap *hmap_del(hmap *h, const char *f, size_t flen, int *deleted);
/* To HMAP_HT (no-op if it already is). */
hmap *hmap_convert(hmap *h);
/* 1 if a packed hash stays under the pack size limit after `add` bytes. */
int hmap_pack_safe_to_add(const hmap *h, size_t add);

/* Iteration; do not change the hash while iterating. */
void hmap_iter_init(hmap_iter *it, const hmap *h);
int hmap_iter_next(hmap_iter *it, const char **f, size_t *flen, const char **v, size_t *vlen);
void hmap_iter_done(hmap_iter *it);

/* A random field (uniform); the hash must not be empty. */
void hmap_random(const hmap *h, const char **f, size_t *flen, const char **v, size_t *vlen);

/* One step of a cursor scan (SCAN semantics): a dict hash reports the
 * fields of one bucket (and its expansions) and returns the next cursor;
 * a packed hash reports everything and returns 0. */
typedef void hmap_scan_fn(void *priv, const char *f, size_t flen, const char *v, size_t vlen);
size_t hmap_scan(const hmap *h, size_t cursor, hmap_scan_fn *fn, void *priv);

#endif
