/* zset.c - see zset.h.
 *
 * Order: (score, member) pairs compare by score, then by member bytes
 * (memcmp, a shorter prefix first).  Both encodings keep that order.
 *
 * ZSET_PACK invariants: entries alternate member (string) and score
 * (double), pairs sorted, members distinct.
 *
 * ZSET_SKIPLIST invariants: a classic skiplist with a header node of
 * ZSKIPLIST_MAXLEVEL levels; level[i].span of a node is the number of
 * level-0 steps its level-i forward pointer jumps (so summing spans along
 * a search path gives 1-based ranks); backward links level 0 in reverse;
 * tail is the last node; the dict holds exactly the nodes, each as key
 * (seen as its member bytes) and value (the dict frees nothing).  A score
 * update relinks the same node, so dict entries never change. */
#include "zset.h"

#include "alloc.h"
#include "dict_fair.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define ZSKIPLIST_P 0.25

/* ---- ordering ---- */

static int cmp_bytes(const char *a, size_t al, const char *b, size_t bl)
{
    size_t n = al < bl ? al : bl;
    int c = n ? memcmp(a, b, n) : 0;
    if (c)
        return c;
    return al < bl ? -1 : al > bl;
}

static int elem_cmp(double s1, const char *a, size_t al, double s2, const char *b, size_t bl)
{
    if (s1 < s2)
        return -1;
    if (s1 > s2)
        return 1;
    return cmp_bytes(a, al, b, bl);
}

/* Scores first: the member's bytes (another cache line) only on a tie. */
static inline int node_cmp(const zs_node *x, double score, const char *m, size_t len)
{
    if (x->score < score)
        return -1;
    if (x->score > score)
        return 1;
    return cmp_bytes(zs_member(x), x->len, m, len);
}

int zset_score_gte_min(double v, const zrange_score *r)
{
    return r->minex ? v > r->min : v >= r->min;
}

int zset_score_lte_max(double v, const zrange_score *r)
{
    return r->maxex ? v < r->max : v <= r->max;
}

static int score_range_empty(const zrange_score *r)
{
    return r->min > r->max || (r->min == r->max && (r->minex || r->maxex));
}

/* A value against a range end. */
static int lex_cmp_item(const char *p, size_t len, const zlex_item *it)
{
    if (it->inf < 0)
        return 1;
    if (it->inf > 0)
        return -1;
    return cmp_bytes(p, len, it->p, it->len);
}

int zset_lex_gte_min(const char *p, size_t len, const zrange_lex *r)
{
    int c = lex_cmp_item(p, len, &r->min);
    return r->min.ex ? c > 0 : c >= 0;
}

int zset_lex_lte_max(const char *p, size_t len, const zrange_lex *r)
{
    int c = lex_cmp_item(p, len, &r->max);
    return r->max.ex ? c < 0 : c <= 0;
}

static int lex_range_empty(const zrange_lex *r)
{
    const zlex_item *a = &r->min, *b = &r->max;
    int c;
    if (a->inf && a->inf == b->inf)
        c = 0;
    else if (a->inf < 0 || b->inf > 0)
        c = -1;
    else if (a->inf > 0 || b->inf < 0)
        c = 1;
    else
        c = cmp_bytes(a->p, a->len, b->p, b->len);
    return c > 0 || (c == 0 && (a->ex || b->ex));
}

/* ---- skiplist ---- */

static int random_level(void)
{
    int level = 1;
    while ((random() & 0xFFFF) < (long)(ZSKIPLIST_P * 0xFFFF) && level < ZSKIPLIST_MAXLEVEL)
        level++;
    return level;
}

static zs_node *node_new(int level, double score, const char *m, size_t len)
{
    zs_node *n = ds_malloc(sizeof(*n) + (size_t)level * sizeof(struct zs_level) + len);
    n->score = score;
    n->backward = NULL;
    n->len = (uint32_t)len;
    n->nlevel = (uint8_t)level;
    if (len)
        memcpy((char *)zs_member(n), m, len);
    return n;
}

static void node_free(zs_node *n)
{
    ds_free(n);
}

static void zsl_init(zskiplist *zsl)
{
    zsl->level = 1;
    zsl->length = 0;
    zsl->header = node_new(ZSKIPLIST_MAXLEVEL, 0, NULL, 0);
    for (int j = 0; j < ZSKIPLIST_MAXLEVEL; j++) {
        zsl->header->level[j].forward = NULL;
        zsl->header->level[j].span = 0;
    }
    zsl->tail = NULL;
}

static void zsl_release(zskiplist *zsl)
{
    zs_node *x = zsl->header->level[0].forward;
    while (x) {
        zs_node *next = x->level[0].forward;
        node_free(x);
        x = next;
    }
    ds_free(zsl->header);
    zsl->header = zsl->tail = NULL;
    zsl->length = 0;
}

/* Link node x (its score, member and level set; not in the list) at its
 * place. */
static void zsl_link(zskiplist *zsl, zs_node *x)
{
    zs_node *update[ZSKIPLIST_MAXLEVEL], *y = zsl->header;
    size_t rank[ZSKIPLIST_MAXLEVEL];
    const char *m = zs_member(x);
    for (int i = zsl->level - 1; i >= 0; i--) {
        rank[i] = i == zsl->level - 1 ? 0 : rank[i + 1];
        while (y->level[i].forward && node_cmp(y->level[i].forward, x->score, m, x->len) < 0) {
            rank[i] += y->level[i].span;
            y = y->level[i].forward;
        }
        update[i] = y;
    }
    int level = x->nlevel;
    if (level > zsl->level) {
        for (int i = zsl->level; i < level; i++) {
            rank[i] = 0;
            update[i] = zsl->header;
            update[i]->level[i].span = zsl->length;
        }
        zsl->level = level;
    }
    for (int i = 0; i < level; i++) {
        x->level[i].forward = update[i]->level[i].forward;
        update[i]->level[i].forward = x;
        x->level[i].span = update[i]->level[i].span - (rank[0] - rank[i]);
        update[i]->level[i].span = (rank[0] - rank[i]) + 1;
    }
    for (int i = level; i < zsl->level; i++)
        update[i]->level[i].span++;
    x->backward = update[0] == zsl->header ? NULL : update[0];
    if (x->level[0].forward)
        x->level[0].forward->backward = x;
    else
        zsl->tail = x;
    zsl->length++;
}

/* Insert (score, m), which must not be there; returns its new node. */
static zs_node *zsl_insert(zskiplist *zsl, double score, const char *m, size_t len)
{
    zs_node *x = node_new(random_level(), score, m, len);
    zsl_link(zsl, x);
    return x;
}

/* Unlink x given the search path to it (the node is not freed). */
static void zsl_unlink(zskiplist *zsl, zs_node *x, zs_node **update)
{
    for (int i = 0; i < zsl->level; i++) {
        if (update[i]->level[i].forward == x) {
            update[i]->level[i].span += x->level[i].span - 1;
            update[i]->level[i].forward = x->level[i].forward;
        } else {
            update[i]->level[i].span -= 1;
        }
    }
    if (x->level[0].forward)
        x->level[0].forward->backward = x->backward;
    else
        zsl->tail = x->backward;
    while (zsl->level > 1 && zsl->header->level[zsl->level - 1].forward == NULL)
        zsl->level--;
    zsl->length--;
}

/* The search path to (score, m): update[i] is the last node before it at
 * level i.  Returns the node at (score, m) or NULL. */
static zs_node *zsl_path(zskiplist *zsl, double score, const char *m, size_t len, zs_node **update)
{
    zs_node *x = zsl->header;
    for (int i = zsl->level - 1; i >= 0; i--) {
        while (x->level[i].forward && node_cmp(x->level[i].forward, score, m, len) < 0)
            x = x->level[i].forward;
        update[i] = x;
    }
    x = x->level[0].forward;
    return x && node_cmp(x, score, m, len) == 0 ? x : NULL;
}

/* Move node x (found by the dict) to newscore: in place when its
 * neighbours allow, else unlinked and linked again (same node). */
static void zsl_update_score(zskiplist *zsl, zs_node *x, double newscore)
{
    zs_node *update[ZSKIPLIST_MAXLEVEL];
    if ((x->backward == NULL || x->backward->score < newscore) &&
        (x->level[0].forward == NULL || x->level[0].forward->score > newscore)) {
        x->score = newscore;
        return;
    }
    zsl_path(zsl, x->score, zs_member(x), x->len, update);
    zsl_unlink(zsl, x, update);
    x->score = newscore;
    zsl_link(zsl, x);
}

/* 1-based rank of (score, m), 0 if absent. */
static size_t zsl_rank(zskiplist *zsl, double score, const char *m, size_t len)
{
    zs_node *x = zsl->header;
    size_t rank = 0;
    for (int i = zsl->level - 1; i >= 0; i--) {
        while (x->level[i].forward && node_cmp(x->level[i].forward, score, m, len) <= 0) {
            rank += x->level[i].span;
            x = x->level[i].forward;
        }
        if (x != zsl->header && node_cmp(x, score, m, len) == 0)
            return rank;
    }
    return 0;
}

/* Node at 1-based rank, NULL if out of range. */
static zs_node *zsl_by_rank(zskiplist *zsl, size_t rank)
{
    zs_node *x = zsl->header;
    size_t traversed = 0;
    for (int i = zsl->level - 1; i >= 0; i--) {
        while (x->level[i].forward && traversed + x->level[i].span <= rank) {
            traversed += x->level[i].span;
            x = x->level[i].forward;
        }
        if (traversed == rank)
            return x == zsl->header ? NULL : x;
    }
    return NULL;
}

static zs_node *zsl_first_score(zskiplist *zsl, const zrange_score *r)
{
    if (score_range_empty(r) || !zsl->tail || !zset_score_gte_min(zsl->tail->score, r))
        return NULL;
    zs_node *x = zsl->header;
    for (int i = zsl->level - 1; i >= 0; i--)
        while (x->level[i].forward && !zset_score_gte_min(x->level[i].forward->score, r))
            x = x->level[i].forward;
    x = x->level[0].forward;
    return x && zset_score_lte_max(x->score, r) ? x : NULL;
}

static zs_node *zsl_last_score(zskiplist *zsl, const zrange_score *r)
{
    zs_node *first = zsl->header->level[0].forward;
    if (score_range_empty(r) || !first || !zset_score_lte_max(first->score, r))
        return NULL;
    zs_node *x = zsl->header;
    for (int i = zsl->level - 1; i >= 0; i--)
        while (x->level[i].forward && zset_score_lte_max(x->level[i].forward->score, r))
            x = x->level[i].forward;
    return x != zsl->header && zset_score_gte_min(x->score, r) ? x : NULL;
}

static int node_lex_gte(const zs_node *x, const zrange_lex *r)
{
    return zset_lex_gte_min(zs_member(x), x->len, r);
}

static int node_lex_lte(const zs_node *x, const zrange_lex *r)
{
    return zset_lex_lte_max(zs_member(x), x->len, r);
}

static zs_node *zsl_first_lex(zskiplist *zsl, const zrange_lex *r)
{
    if (lex_range_empty(r) || !zsl->tail || !node_lex_gte(zsl->tail, r))
        return NULL;
    zs_node *x = zsl->header;
    for (int i = zsl->level - 1; i >= 0; i--)
        while (x->level[i].forward && !node_lex_gte(x->level[i].forward, r))
            x = x->level[i].forward;
    x = x->level[0].forward;
    return x && node_lex_lte(x, r) ? x : NULL;
}

static zs_node *zsl_last_lex(zskiplist *zsl, const zrange_lex *r)
{
    zs_node *first = zsl->header->level[0].forward;
    if (lex_range_empty(r) || !first || !node_lex_lte(first, r))
        return NULL;
    zs_node *x = zsl->header;
    for (int i = zsl->level - 1; i >= 0; i--)
        while (x->level[i].forward && node_lex_lte(x->level[i].forward, r))
            x = x->level[i].forward;
    return x != zsl->header && node_lex_gte(x, r) ? x : NULL;
}

/* Remove node x (path in update) from skiplist and dict, and free it. */
static void zsl_drop(zsl_set *sl, zs_node *x, zs_node **update)
{
    zsl_unlink(&sl->zsl, x, update);
    dict_delete(sl->d, zs_member(x), x->len);
    node_free(x);
}

/* ---- handles: a pack pointer as is, a zsl_set pointer with the low bit
 * set (allocations are at least 8-byte aligned) ---- */

static int is_sl(const zset *z)
{
    return ((uintptr_t)z & 1) != 0;
}

static zsl_set *SL(const zset *z)
{
    return (zsl_set *)((uintptr_t)z & ~(uintptr_t)1);
}

static pack *PK(const zset *z)
{
    return (pack *)z;
}

static zset *of_sl(zsl_set *sl)
{
    return (zset *)((uintptr_t)sl | 1);
}

static zset *of_pack(pack *pk)
{
    return (zset *)pk;
}

/* ---- pack helpers: positions are those of member entries ---- */

static double zpk_score(const pack *pk, size_t pos)
{
    return pack_get_double(pk, pack_next(pk, pos));
}

static size_t zpk_next(const pack *pk, size_t pos)
{
    size_t s = pack_next(pk, pos);
    return s ? pack_next(pk, s) : 0;
}

static size_t zpk_prev(const pack *pk, size_t pos)
{
    size_t s = pack_prev(pk, pos);
    return s ? pack_prev(pk, s) : 0;
}

static size_t zpk_last(const pack *pk)
{
    size_t s = pack_last(pk);
    return s ? pack_prev(pk, s) : 0;
}

static void zpk_elem(const pack *pk, size_t pos, zset_elem *e)
{
    pack_get(pk, pos, &e->p, &e->len);
    e->score = zpk_score(pk, pos);
}

static size_t zpk_find(const pack *pk, const char *m, size_t len, double *score)
{
    size_t pos = pack_find(pk, pack_first(pk), m, len, 1);
    if (pos && score)
        *score = zpk_score(pk, pos);
    return pos;
}

static pack *zpk_insert(pack *pk, const char *m, size_t len, double score)
{
    size_t pos;
    /* Redis's listpack keeps scores as text and reads "-0" back as 0. */
    if (score == 0)
        score = 0.0;
    for (pos = pack_first(pk); pos; pos = zpk_next(pk, pos)) {
        zset_elem e;
        zpk_elem(pk, pos, &e);
        if (elem_cmp(e.score, e.p, e.len, score, m, len) > 0)
            break;
    }
    if (!pos)
        pos = pack_bytes(pk);
    pk = pack_insert_double(pk, pos, score);
    return pack_insert(pk, pos, m, len);
}

static size_t zpk_first_score(const pack *pk, const zrange_score *r)
{
    if (score_range_empty(r))
        return 0;
    for (size_t pos = pack_first(pk); pos; pos = zpk_next(pk, pos)) {
        double s = zpk_score(pk, pos);
        if (zset_score_gte_min(s, r))
            return zset_score_lte_max(s, r) ? pos : 0;
    }
    return 0;
}

static size_t zpk_last_score(const pack *pk, const zrange_score *r)
{
    if (score_range_empty(r))
        return 0;
    for (size_t pos = zpk_last(pk); pos; pos = zpk_prev(pk, pos)) {
        double s = zpk_score(pk, pos);
        if (zset_score_lte_max(s, r))
            return zset_score_gte_min(s, r) ? pos : 0;
    }
    return 0;
}

static int zpk_lex_gte(const pack *pk, size_t pos, const zrange_lex *r)
{
    const char *p;
    size_t len;
    pack_get(pk, pos, &p, &len);
    return zset_lex_gte_min(p, len, r);
}

static int zpk_lex_lte(const pack *pk, size_t pos, const zrange_lex *r)
{
    const char *p;
    size_t len;
    pack_get(pk, pos, &p, &len);
    return zset_lex_lte_max(p, len, r);
}

static size_t zpk_first_lex(const pack *pk, const zrange_lex *r)
{
    if (lex_range_empty(r))
        return 0;
    for (size_t pos = pack_first(pk); pos; pos = zpk_next(pk, pos))
        if (zpk_lex_gte(pk, pos, r))
            return zpk_lex_lte(pk, pos, r) ? pos : 0;
    return 0;
}

static size_t zpk_last_lex(const pack *pk, const zrange_lex *r)
{
    if (lex_range_empty(r))
        return 0;
    for (size_t pos = zpk_last(pk); pos; pos = zpk_prev(pk, pos))
        if (zpk_lex_lte(pk, pos, r))
            return zpk_lex_gte(pk, pos, r) ? pos : 0;
    return 0;
}

/* ---- the set ---- */

static void member_view(const void *key, const void **p, size_t *len)
{
    const zs_node *x = key;
    *p = zs_member(x);
    *len = x->len;
}

/* Keys are the nodes: the dict frees nothing. */
static const dict_type zset_dict_type = {member_view, NULL, NULL, 0};

static zsl_set *sl_new(void)
{
    zsl_set *sl = ds_malloc(sizeof(*sl));
    sl->d = dict_new(&zset_dict_type);
    zsl_init(&sl->zsl);
    return sl;
}

static void sl_free(zsl_set *sl)
{
    dict_free(sl->d);
    zsl_release(&sl->zsl);
    ds_free(sl);
}

/* Add to a skiplist set a member that is not there. */
static void sl_add_new(zsl_set *sl, double score, const char *m, size_t len)
{
    zs_node *x = zsl_insert(&sl->zsl, score, m, len);
    dict_add(sl->d, x, x);
}

zset *zset_new(size_t size_hint, size_t maxlen_hint, const zset_limits *lim)
{
    if (size_hint > lim->max_entries || maxlen_hint > lim->max_value)
        return of_sl(sl_new());
    return of_pack(pack_new());
}

void zset_free(zset *z)
{
    if (!z)
        return;
    if (is_sl(z))
        sl_free(SL(z));
    else
        pack_free(PK(z));
}

zset *zset_dup(const zset *z)
{
    if (!is_sl(z))
        return of_pack(pack_dup(PK(z)));
    zsl_set *n = sl_new();
    /* From the tail: each insert stops at the header, O(1). */
    for (zs_node *x = SL(z)->zsl.tail; x; x = x->backward)
        sl_add_new(n, x->score, zs_member(x), x->len);
    return of_sl(n);
}

size_t zset_len(const zset *z)
{
    return is_sl(z) ? SL(z)->zsl.length : pack_count(PK(z)) / 2;
}

size_t zset_mem(const zset *z)
{
    if (!is_sl(z))
        return pack_mem(PK(z));
    const zsl_set *sl = SL(z);
    size_t n = ds_alloc_size((void *)sl) + dict_mem(sl->d) + ds_alloc_size(sl->zsl.header);
    for (zs_node *x = sl->zsl.header->level[0].forward; x; x = x->level[0].forward)
        n += ds_alloc_size(x);
    return n;
}

int zset_enc(const zset *z)
{
    return is_sl(z) ? ZSET_SKIPLIST : ZSET_PACK;
}

const char *zset_encoding(const zset *z)
{
    return is_sl(z) ? "skiplist" : "listpack";
}

zset *zset_convert(zset *z, int enc)
{
    if (zset_enc(z) == enc)
        return z;
    if (enc == ZSET_SKIPLIST) {
        pack *pk = PK(z);
        zsl_set *sl = sl_new();
        for (size_t pos = zpk_last(pk); pos; pos = zpk_prev(pk, pos)) {
            zset_elem e;
            zpk_elem(pk, pos, &e);
            sl_add_new(sl, e.score, e.p, e.len);
        }
        pack_free(pk);
        return of_sl(sl);
    }
    zsl_set *sl = SL(z);
    pack *pk = pack_new();
    for (zs_node *x = sl->zsl.header->level[0].forward; x; x = x->level[0].forward) {
        pk = pack_append(pk, zs_member(x), x->len);
        pk = pack_append_double(pk, x->score == 0 ? 0.0 : x->score);
    }
    sl_free(sl);
    return of_pack(pk);
}

zset *zset_shrink_if_fits(zset *z, size_t maxelelen, size_t totelelen, const zset_limits *lim)
{
    if (is_sl(z) && SL(z)->zsl.length <= lim->max_entries && maxelelen <= lim->max_value &&
        pack_safe_to_add(NULL, totelelen))
        return zset_convert(z, ZSET_PACK);
    return z;
}

int zset_score(const zset *z, const char *m, size_t len, double *score)
{
    if (!is_sl(z))
        return zpk_find(PK(z), m, len, score) ? 0 : -1;
    zs_node *x = dict_fetch(SL(z)->d, m, len);
    if (!x)
        return -1;
    *score = x->score;
    return 0;
}

/* NX / XX / GT / LT / INCR against the current score cur: 1 and *score
 * set to the score to store, or 0 with *out flagged (NOP or NAN). */
static int apply_flags(int in, double cur, double *score, int *out)
{
    if (in & ZADD_IN_NX) {
        *out |= ZADD_OUT_NOP;
        return 0;
    }
    if (in & ZADD_IN_INCR) {
        *score += cur;
        if (isnan(*score)) {
            *out |= ZADD_OUT_NAN;
            return 0;
        }
    }
    if (((in & ZADD_IN_LT) && *score >= cur) || ((in & ZADD_IN_GT) && *score <= cur)) {
        *out |= ZADD_OUT_NOP;
        return 0;
    }
    return 1;
}

/* The pack part of zset_add; sets *done = 0 when the set had to become a
 * skiplist first (the caller goes on with the returned handle). */
static zset *pack_add(zset *z, const char *m, size_t len, double score, int in, int *out,
                      double *newscore, const zset_limits *lim, int *done)
{
    pack *pk = PK(z);
    double cur;
    size_t pos = zpk_find(pk, m, len, &cur);
    *done = 1;
    if (pos) {
        if (!apply_flags(in, cur, &score, out))
            return z;
        if (newscore)
            *newscore = score;
        if (score != cur) {
            pk = pack_delete(pk, pos, 2);
            pk = zpk_insert(pk, m, len, score);
            *out |= ZADD_OUT_UPDATED;
        }
        return of_pack(pk);
    }
    if (in & ZADD_IN_XX) {
        *out |= ZADD_OUT_NOP;
        return z;
    }
    if (pack_count(pk) / 2 + 1 > lim->max_entries || len > lim->max_value ||
        !pack_safe_to_add(pk, len)) {
        *done = 0;
        return zset_convert(z, ZSET_SKIPLIST);
    }
    pk = zpk_insert(pk, m, len, score);
    if (newscore)
        *newscore = score;
    *out |= ZADD_OUT_ADDED;
    return of_pack(pk);
}

zset *zset_add(zset *z, const char *m, size_t len, double score, int in, int *out, double *newscore,
               const zset_limits *lim)
{
    *out = 0;
    if (isnan(score)) {
        *out = ZADD_OUT_NAN;
        return z;
    }
    if (!is_sl(z)) {
        int done;
        z = pack_add(z, m, len, score, in, out, newscore, lim, &done);
        if (done)
            return z;
    }
    zsl_set *sl = SL(z);
    zs_node *x = dict_fetch(sl->d, m, len);
    if (x) {
        if (!apply_flags(in, x->score, &score, out))
            return z;
        if (newscore)
            *newscore = score;
        if (score != x->score) {
            zsl_update_score(&sl->zsl, x, score);
            *out |= ZADD_OUT_UPDATED;
        }
        return z;
    }
    if (in & ZADD_IN_XX) {
        *out |= ZADD_OUT_NOP;
        return z;
    }
    sl_add_new(sl, score, m, len);
    *out |= ZADD_OUT_ADDED;
    if (newscore)
        *newscore = score;
    return z;
}

zset *zset_del(zset *z, const char *m, size_t len, int *deleted)
{
    *deleted = 0;
    if (!is_sl(z)) {
        size_t pos = zpk_find(PK(z), m, len, NULL);
        if (!pos)
            return z;
        *deleted = 1;
        return of_pack(pack_delete(PK(z), pos, 2));
    }
    zsl_set *sl = SL(z);
    zs_node *x = dict_fetch(sl->d, m, len);
    if (!x)
        return z;
    zs_node *update[ZSKIPLIST_MAXLEVEL];
    zsl_path(&sl->zsl, x->score, zs_member(x), x->len, update);
    zsl_drop(sl, x, update);
    dict_shrink_if_sparse(sl->d);
    *deleted = 1;
    return z;
}

long zset_rank(const zset *z, const char *m, size_t len, int rev)
{
    size_t n = zset_len(z), rank = 0;
    if (!is_sl(z)) {
        const pack *pk = PK(z);
        size_t pos;
        for (pos = pack_first(pk); pos; pos = zpk_next(pk, pos)) {
            rank++;
            if (pack_eq(pk, pos, m, len))
                break;
        }
        if (!pos)
            return -1;
    } else {
        zs_node *x = dict_fetch(SL(z)->d, m, len);
        if (!x)
            return -1;
        rank = zsl_rank(&SL(z)->zsl, x->score, zs_member(x), x->len);
    }
    return rev ? (long)(n - rank) : (long)(rank - 1);
}

/* ---- ranges ---- */

size_t zset_count_score(const zset *z, const zrange_score *r)
{
    size_t count = 0;
    if (!is_sl(z)) {
        const pack *pk = PK(z);
        for (size_t pos = zpk_first_score(pk, r); pos && zset_score_lte_max(zpk_score(pk, pos), r);
             pos = zpk_next(pk, pos))
            count++;
        return count;
    }
    zskiplist *zsl = &SL(z)->zsl;
    zs_node *first = zsl_first_score(zsl, r);
    if (!first)
        return 0;
    zs_node *last = zsl_last_score(zsl, r);
    size_t r1 = zsl_rank(zsl, first->score, zs_member(first), first->len);
    size_t r2 = zsl_rank(zsl, last->score, zs_member(last), last->len);
    return r2 - r1 + 1;
}

size_t zset_count_lex(const zset *z, const zrange_lex *r)
{
    size_t count = 0;
    if (!is_sl(z)) {
        const pack *pk = PK(z);
        for (size_t pos = zpk_first_lex(pk, r); pos && zpk_lex_lte(pk, pos, r);
             pos = zpk_next(pk, pos))
            count++;
        return count;
    }
    zskiplist *zsl = &SL(z)->zsl;
    zs_node *first = zsl_first_lex(zsl, r);
    if (!first)
        return 0;
    zs_node *last = zsl_last_lex(zsl, r);
    size_t r1 = zsl_rank(zsl, first->score, zs_member(first), first->len);
    size_t r2 = zsl_rank(zsl, last->score, zs_member(last), last->len);
    return r2 - r1 + 1;
}

zset *zset_del_rank(zset *z, size_t start, size_t end, size_t *removed)
{
    size_t n = zset_len(z);
    *removed = 0;
    if (start > end || start >= n)
        return z;
    if (end >= n)
        end = n - 1;
    size_t count = end - start + 1;
    *removed = count;
    if (!is_sl(z))
        return of_pack(pack_delete(PK(z), pack_seek(PK(z), (long)(2 * start)), 2 * count));
    zsl_set *sl = SL(z);
    zs_node *update[ZSKIPLIST_MAXLEVEL], *x = sl->zsl.header;
    size_t traversed = 0, rank = start + 1;
    for (int i = sl->zsl.level - 1; i >= 0; i--) {
        while (x->level[i].forward && traversed + x->level[i].span < rank) {
            traversed += x->level[i].span;
            x = x->level[i].forward;
        }
        update[i] = x;
    }
    x = x->level[0].forward;
    for (size_t k = 0; k < count && x; k++) {
        zs_node *next = x->level[0].forward;
        zsl_drop(sl, x, update);
        x = next;
    }
    dict_shrink_if_sparse(sl->d);
    return z;
}

zset *zset_del_score(zset *z, const zrange_score *r, size_t *removed)
{
    *removed = 0;
    if (!is_sl(z)) {
        pack *pk = PK(z);
        size_t first = zpk_first_score(pk, r);
        for (size_t pos = first; pos && zset_score_lte_max(zpk_score(pk, pos), r);
             pos = zpk_next(pk, pos))
            (*removed)++;
        return *removed ? of_pack(pack_delete(pk, first, 2 * *removed)) : z;
    }
    zsl_set *sl = SL(z);
    zs_node *update[ZSKIPLIST_MAXLEVEL], *x = sl->zsl.header;
    for (int i = sl->zsl.level - 1; i >= 0; i--) {
        while (x->level[i].forward && !zset_score_gte_min(x->level[i].forward->score, r))
            x = x->level[i].forward;
        update[i] = x;
    }
    x = x->level[0].forward;
    while (x && zset_score_lte_max(x->score, r)) {
        zs_node *next = x->level[0].forward;
        zsl_drop(sl, x, update);
        (*removed)++;
        x = next;
    }
    dict_shrink_if_sparse(sl->d);
    return z;
}

zset *zset_del_lex(zset *z, const zrange_lex *r, size_t *removed)
{
    *removed = 0;
    if (!is_sl(z)) {
        pack *pk = PK(z);
        size_t first = zpk_first_lex(pk, r);
        for (size_t pos = first; pos && zpk_lex_lte(pk, pos, r); pos = zpk_next(pk, pos))
            (*removed)++;
        return *removed ? of_pack(pack_delete(pk, first, 2 * *removed)) : z;
    }
    if (lex_range_empty(r))
        return z;
    zsl_set *sl = SL(z);
    zs_node *update[ZSKIPLIST_MAXLEVEL], *x = sl->zsl.header;
    for (int i = sl->zsl.level - 1; i >= 0; i--) {
        while (x->level[i].forward && !node_lex_gte(x->level[i].forward, r))
            x = x->level[i].forward;
        update[i] = x;
    }
    x = x->level[0].forward;
    while (x && node_lex_lte(x, r)) {
        zs_node *next = x->level[0].forward;
        zsl_drop(sl, x, update);
        (*removed)++;
        x = next;
    }
    dict_shrink_if_sparse(sl->d);
    return z;
}

/* ---- iteration ---- */

void zset_iter_rank(zset_iter *it, const zset *z, size_t rank, int rev)
{
    size_t n = zset_len(z);
    it->z = z;
    it->rev = rev;
    it->pos = 0;
    it->node = NULL;
    if (rank >= n)
        return;
    size_t idx = rev ? n - 1 - rank : rank;
    if (!is_sl(z)) {
        it->pos = pack_seek(PK(z), (long)(2 * idx));
        return;
    }
    if (idx == 0)
        it->node = SL(z)->zsl.header->level[0].forward;
    else if (idx == n - 1)
        it->node = SL(z)->zsl.tail;
    else
        it->node = zsl_by_rank(&SL(z)->zsl, idx + 1);
}

void zset_iter_score(zset_iter *it, const zset *z, const zrange_score *r, int rev)
{
    it->z = z;
    it->rev = rev;
    it->pos = 0;
    it->node = NULL;
    if (!is_sl(z))
        it->pos = rev ? zpk_last_score(PK(z), r) : zpk_first_score(PK(z), r);
    else
        it->node = rev ? zsl_last_score(&SL(z)->zsl, r) : zsl_first_score(&SL(z)->zsl, r);
}

void zset_iter_lex(zset_iter *it, const zset *z, const zrange_lex *r, int rev)
{
    it->z = z;
    it->rev = rev;
    it->pos = 0;
    it->node = NULL;
    if (!is_sl(z))
        it->pos = rev ? zpk_last_lex(PK(z), r) : zpk_first_lex(PK(z), r);
    else
        it->node = rev ? zsl_last_lex(&SL(z)->zsl, r) : zsl_first_lex(&SL(z)->zsl, r);
}

int zset_iter_next(zset_iter *it, zset_elem *e)
{
    if (!is_sl(it->z)) {
        pack *pk = PK(it->z);
        if (!it->pos)
            return 0;
        zpk_elem(pk, it->pos, e);
        it->pos = it->rev ? zpk_prev(pk, it->pos) : zpk_next(pk, it->pos);
        return 1;
    }
    zs_node *x = it->node;
    if (!x)
        return 0;
    e->p = zs_member(x);
    e->len = x->len;
    e->score = x->score;
    it->node = it->rev ? x->backward : x->level[0].forward;
    return 1;
}

typedef struct scan_ctx {
    zset_scan_fn *fn;
    void *priv;
} scan_ctx;

static void scan_entry(void *priv, dict_entry *de)
{
    scan_ctx *ctx = priv;
    const zs_node *x = de->v.val;
    ctx->fn(ctx->priv, zs_member(x), x->len, x->score);
}

size_t zset_scan(const zset *z, size_t cursor, zset_scan_fn *fn, void *priv)
{
    if (is_sl(z)) {
        scan_ctx ctx = {fn, priv};
        return dict_scan(SL(z)->d, cursor, scan_entry, &ctx);
    }
    zset_iter it;
    zset_elem e;
    zset_iter_rank(&it, z, 0, 0);
    while (zset_iter_next(&it, &e))
        fn(priv, e.p, e.len, e.score);
    return 0;
}

void zset_random(const zset *z, zset_elem *e)
{
    if (!is_sl(z)) {
        size_t i = (size_t)random() % zset_len(z);
        zpk_elem(PK(z), pack_seek(PK(z), (long)(2 * i)), e);
        return;
    }
    zs_node *x = dict_fair_random(SL(z)->d)->v.val;
    e->p = zs_member(x);
    e->len = x->len;
    e->score = x->score;
}

/* ---- verification (tests) ---- */

static int verify_pack(const zset *z)
{
    pack *pk = PK(z);
    if (pack_count(pk) % 2)
        return -1;
    zset_elem prev = {NULL, 0, 0};
    int have = 0;
    for (size_t pos = pack_first(pk); pos; pos = zpk_next(pk, pos)) {
        size_t s = pack_next(pk, pos);
        if (pack_is_number(pk, pos) || !s || !pack_is_number(pk, s))
            return -1;
        zset_elem e;
        zpk_elem(pk, pos, &e);
        if (have && elem_cmp(prev.score, prev.p, prev.len, e.score, e.p, e.len) >= 0)
            return -1;
        prev = e;
        have = 1;
    }
    return 0;
}

static int verify_skiplist(const zset *z)
{
    zskiplist *zsl = &SL(z)->zsl;
    size_t n = 0;
    zs_node *prev = NULL;
    for (zs_node *x = zsl->header->level[0].forward; x; x = x->level[0].forward) {
        if (x->backward != prev || dict_fetch(SL(z)->d, zs_member(x), x->len) != x)
            return -1;
        if (prev && node_cmp(prev, x->score, zs_member(x), x->len) >= 0)
            return -1;
        prev = x;
        n++;
    }
    if (zsl->tail != prev || n != zsl->length || dict_size(SL(z)->d) != n)
        return -1;
    /* Spans: each level-i jump must cover exactly `span` level-0 steps. */
    for (int i = 0; i < zsl->level; i++) {
        zs_node *x = zsl->header, *y = zsl->header;
        while (x->level[i].forward) {
            for (size_t k = 0; k < x->level[i].span; k++) {
                y = y->level[0].forward;
                if (!y)
                    return -1;
            }
            if (y != x->level[i].forward)
                return -1;
            x = y;
        }
    }
    for (int i = zsl->level; i < ZSKIPLIST_MAXLEVEL; i++)
        if (zsl->header->level[i].forward)
            return -1;
    return 0;
}

int zset_verify(const zset *z)
{
    return !is_sl(z) ? verify_pack(z) : verify_skiplist(z);
}
