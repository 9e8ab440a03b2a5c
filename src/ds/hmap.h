/* hmap.h - the value of a Redis hash: field -> value, binary safe.
 *
 * Two encodings, like Redis 7.0:
 *   HMAP_PACK  a pack (ds/pack.h) of field, value, field, value ... in
 *              insertion order; O(n) lookups, for small hashes.
 *   HMAP_HT    a dict of str field -> str value.
 * A hash starts packed and is converted (once, never back) when it gets
 * more than max_entries fields or the caller sees a field or value longer
 * than max_value (hmap_fits / hmap_convert).  Limits are passed in.
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

typedef struct hmap {
    int enc;
    union {
        pack *pk;
        dict *d;
    } u;
} hmap;

typedef struct hmap_limits {
    size_t max_entries; /* hash-max-listpack-entries */
    size_t max_value;   /* hash-max-listpack-value */
} hmap_limits;

typedef struct hmap_iter {
    hmap *h;
    size_t pos; /* HMAP_PACK: next field, 0 at end */
    dict_iter di;
} hmap_iter;

hmap *hmap_new(void);
void hmap_free(hmap *h);
hmap *hmap_dup(const hmap *h);
size_t hmap_len(const hmap *h);
size_t hmap_mem(const hmap *h);
const char *hmap_encoding(const hmap *h); /* "listpack" / "hashtable" */

/* 0 and the value's view if the field exists, -1 otherwise. */
int hmap_get(hmap *h, const char *f, size_t flen, const char **v, size_t *vlen);
int hmap_exists(hmap *h, const char *f, size_t flen);
/* Set a field: 1 if it was created, 0 if an existing value was replaced.
 * Converts to HMAP_HT when the field or value is longer than
 * lim->max_value or the field count passes lim->max_entries. */
int hmap_set(hmap *h, const char *f, size_t flen, const char *v, size_t vlen,
             const hmap_limits *lim);
/* 1 if the field was deleted. */
int hmap_del(hmap *h, const char *f, size_t flen);
/* Convert a packed hash to HMAP_HT (no-op if it already is). */
void hmap_convert(hmap *h);
/* 1 if a packed hash may hold a string of len bytes under lim. */
int hmap_fits(const hmap *h, size_t len, const hmap_limits *lim);

/* Iteration; do not change the hash while iterating. */
void hmap_iter_init(hmap_iter *it, hmap *h);
int hmap_iter_next(hmap_iter *it, const char **f, size_t *flen, const char **v, size_t *vlen);
void hmap_iter_done(hmap_iter *it);

/* A random field (uniform); the hash must not be empty. */
void hmap_random(hmap *h, const char **f, size_t *flen, const char **v, size_t *vlen);
/* The fields of a packed hash by index (for random picks without a scan). */
size_t hmap_pack_pos(const hmap *h, size_t i);

#endif
