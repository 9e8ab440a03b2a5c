/* zset.h - the value of a Redis sorted set: distinct binary-safe members,
 * each with a double score, ordered by (score, member bytes).
 *
 * Two encodings, like Redis 7.0:
 *   ZSET_PACK      a pack (ds/pack.h) of member, score, member, score ...
 *                  kept in order; O(n) everything, for small sets;
 *   ZSET_SKIPLIST  a skiplist with spans (O(log n) insert, delete, rank
 *                  and range seeks) plus a dict member -> skiplist node
 *                  (O(1) score lookups); the member lives inside its node.
 * A set is created in the encoding its expected size calls for, converts
 * to a skiplist when it outgrows the limits (passed in: zset_limits), and
 * only goes back to a pack when a caller asks (zset_shrink_if_fits, used
 * by ZUNIONSTORE & co like Redis).
 *
 * Ranges are given by rank, by score (zrange_score) or by member bytes
 * (zrange_lex, meaningful when all scores are equal).  Reading goes
 * through zset_iter, the same for both encodings; elements come out as
 * views (zset_elem) that borrow the set's memory until its next change.
 * Iterating from rank 0 visits every member once in order (this is how
 * persistence serialises a sorted set). */
#ifndef DS_ZSET_H
#define DS_ZSET_H
#include <stddef.h>
#include <stdint.h>

#include "dict.h"
#include "pack.h"
#include "str.h"

enum { ZSET_PACK = 0, ZSET_SKIPLIST = 1 };

#define ZSKIPLIST_MAXLEVEL 32

/* A skiplist node: the member's bytes follow the level array in the same
 * allocation (zs_member), so a member costs one allocation. */
typedef struct zs_node {
    double score;
    struct zs_node *backward;
    uint32_t len;   /* member length */
    uint8_t nlevel; /* entries in level[] */
    struct zs_level {
        struct zs_node *forward;
        size_t span; /* elements skipped by following forward */
    } level[];
} zs_node;

static inline const char *zs_member(const zs_node *x)
{
    return (const char *)&x->level[x->nlevel];
}

typedef struct zskiplist {
    zs_node *header, *tail;
    size_t length;
    int level;
} zskiplist;

/* ZSET_SKIPLIST: the dict maps member -> node; its keys are the nodes
 * themselves (seen as their member bytes), owned by the skiplist. */
typedef struct zsl_set {
    dict *d;
    zskiplist zsl;
} zsl_set;

/* A sorted set is an opaque handle: the pack itself, or the zsl_set's
 * address with the low bit set, so a small set costs no allocation beyond
 * its pack.  Functions that may reallocate or convert return the new
 * handle: always store it (o->ptr = zset_add(o->ptr, ...)). */
typedef struct zset zset;

typedef struct zset_limits {
    size_t max_entries; /* zset-max-listpack-entries */
    size_t max_value;   /* zset-max-listpack-value */
} zset_limits;

typedef struct zset_elem {
    const char *p;
    size_t len;
    double score;
} zset_elem;

/* Score range [min, max]; an exclusive end is ( in Redis syntax. */
typedef struct zrange_score {
    double min, max;
    int minex, maxex;
} zrange_score;

/* One end of a lex range: "-" (inf < 0), "+" (inf > 0) or a string. */
typedef struct zlex_item {
    int inf;
    const char *p;
    size_t len;
    int ex;
} zlex_item;

typedef struct zrange_lex {
    zlex_item min, max;
} zrange_lex;

typedef struct zset_iter {
    const zset *z;
    int rev;
    size_t pos;    /* ZSET_PACK: member entry of the next element, 0 = end */
    zs_node *node; /* ZSET_SKIPLIST: next node, NULL = end */
} zset_iter;

/* ZADD input flags and output flags (zset_add). */
#define ZADD_IN_INCR (1 << 0)
#define ZADD_IN_NX (1 << 1)
#define ZADD_IN_XX (1 << 2)
#define ZADD_IN_GT (1 << 3)
#define ZADD_IN_LT (1 << 4)
#define ZADD_OUT_NOP (1 << 0)
#define ZADD_OUT_NAN (1 << 1)
#define ZADD_OUT_ADDED (1 << 2)
#define ZADD_OUT_UPDATED (1 << 3)

/* A new empty set: a skiplist if size_hint members or a member of
 * maxlen_hint bytes would not fit a pack under lim. */
zset *zset_new(size_t size_hint, size_t maxlen_hint, const zset_limits *lim);
void zset_free(zset *z);
zset *zset_dup(const zset *z);
size_t zset_len(const zset *z);
size_t zset_mem(const zset *z);
int zset_enc(const zset *z);              /* ZSET_PACK / ZSET_SKIPLIST */
const char *zset_encoding(const zset *z); /* "listpack" / "skiplist" */
zset *zset_convert(zset *z, int enc);
/* Back to a pack if the set fits (Redis's zsetConvertToListpackIfNeeded). */
zset *zset_shrink_if_fits(zset *z, size_t maxelelen, size_t totelelen, const zset_limits *lim);

/* Add or update (Redis's zsetAdd).  *out gets ZADD_OUT_* flags; with
 * ZADD_OUT_NAN the score was or would become NaN and nothing changed.
 * *newscore gets the resulting score when the element was added or
 * updated (or left as is by an INCR of 0). */
zset *zset_add(zset *z, const char *m, size_t len, double score, int in, int *out, double *newscore,
               const zset_limits *lim);
zset *zset_del(zset *z, const char *m, size_t len, int *deleted);
int zset_score(const zset *z, const char *m, size_t len, double *score); /* 0 found */
/* 0-based rank, counted from the highest score when rev; -1 if missing. */
long zset_rank(const zset *z, const char *m, size_t len, int rev);

/* Range predicates. */
int zset_score_gte_min(double v, const zrange_score *r);
int zset_score_lte_max(double v, const zrange_score *r);
int zset_lex_gte_min(const char *p, size_t len, const zrange_lex *r);
int zset_lex_lte_max(const char *p, size_t len, const zrange_lex *r);

/* Counting and deleting ranges; ranks are 0-based and inclusive. */
size_t zset_count_score(const zset *z, const zrange_score *r);
size_t zset_count_lex(const zset *z, const zrange_lex *r);
zset *zset_del_rank(zset *z, size_t start, size_t end, size_t *removed);
zset *zset_del_score(zset *z, const zrange_score *r, size_t *removed);
zset *zset_del_lex(zset *z, const zrange_lex *r, size_t *removed);

/* Iteration.  zset_iter_rank: from the rank-th element in the direction
 * (rank counted from the end when rev).  zset_iter_score / _lex: from the
 * first element inside the range in the direction (the caller stops when
 * an element falls past the other end).  Do not change z meanwhile. */
void zset_iter_rank(zset_iter *it, const zset *z, size_t rank, int rev);
void zset_iter_score(zset_iter *it, const zset *z, const zrange_score *r, int rev);
void zset_iter_lex(zset_iter *it, const zset *z, const zrange_lex *r, int rev);
int zset_iter_next(zset_iter *it, zset_elem *e);

/* One step of a cursor scan (SCAN semantics): a skiplist set reports the
 * members of one dict bucket (and its expansions) and returns the next
 * cursor; a packed set reports everything and returns 0. */
typedef void zset_scan_fn(void *priv, const char *m, size_t len, double score);
size_t zset_scan(const zset *z, size_t cursor, zset_scan_fn *fn, void *priv);

/* A uniformly random element; z must not be empty. */
void zset_random(const zset *z, zset_elem *e);

/* Checks every invariant (order, spans, dict agreement); 0 if sound. For
 * tests. */
int zset_verify(const zset *z);

#endif
