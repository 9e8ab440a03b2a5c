/* mset.h - the value of a Redis set: distinct binary-safe members.
 *
 * Two encodings, like Redis 7.0:
 *   MSET_INTSET  an intset (ds/intset.h), while every member is the
 *                canonical text of a 64-bit integer ("12", "-3"; not "012")
 *                and there are at most max_intset members;
 *   MSET_HT      a dict of members (each key one small allocation,
 *                ds/blob.h; no values).
 * A set converts to MSET_HT once, never back.  Limits are passed in.
 *
 * Members come out of iterators and random picks as views (mset_elem):
 * intset members are formatted into the view's own buffer, dict members
 * borrow the set's memory (valid until the next change). */
#ifndef DS_MSET_H
#define DS_MSET_H
#include <stddef.h>
#include <stdint.h>

#include "dict.h"
#include "intset.h"

enum { MSET_INTSET = 0, MSET_HT = 1 };

/* A set is an opaque handle: the intset itself, or the dict's address
 * with the low bit set (no allocation beyond the intset for small sets).
 * Functions that may reallocate or convert return the new handle: always
 * store it (o->ptr = mset_add(o->ptr, ...)). */
typedef struct mset mset;

typedef struct mset_elem {
    const char *p;
    size_t len;
    int is_int; /* set for intset members: v holds the value */
    int64_t v;
    char buf[24];
} mset_elem;

typedef struct mset_iter {
    const mset *s;
    size_t i;
    dict_iter di;
} mset_iter;

/* An empty set of the encoding that can hold (p, len). */
mset *mset_new_for(const char *p, size_t len);
mset *mset_new_intset(void);
mset *mset_new_ht(void);
void mset_free(mset *s);
mset *mset_dup(const mset *s);
size_t mset_len(const mset *s);
size_t mset_mem(const mset *s);
int mset_enc(const mset *s);              /* MSET_INTSET / MSET_HT */
const char *mset_encoding(const mset *s); /* "intset" / "hashtable" */

/* *added = 1 if the member is new. */
mset *mset_add(mset *s, const char *p, size_t len, size_t max_intset, int *added);
/* *removed = 1 if the member was there. */
mset *mset_remove(mset *s, const char *p, size_t len, int *removed);
int mset_has(const mset *s, const char *p, size_t len);
mset *mset_convert(mset *s);

void mset_iter_init(mset_iter *it, const mset *s);
int mset_iter_next(mset_iter *it, mset_elem *e);
void mset_iter_done(mset_iter *it);

/* A uniformly random member; the set must not be empty. */
void mset_random(const mset *s, mset_elem *e);

/* One step of a cursor scan (SCAN semantics): a dict set reports the
 * members of one bucket (and its expansions) and returns the next cursor;
 * an intset reports everything and returns 0. */
typedef void mset_scan_fn(void *priv, const char *m, size_t len);
size_t mset_scan(const mset *s, size_t cursor, mset_scan_fn *fn, void *priv);

#endif
