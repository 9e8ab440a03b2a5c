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
 * tail is the last node; the dict holds exactly the nodes' members, each
 * key being the node's own str (the dict frees nothing, nodes own their
 * strs) and each value the node. */
#include "zset.h"

#include "alloc.h"
#include "dict_fair.h"

#include <math.h>
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
    return cmp_bytes(x->ele, str_len(x->ele), m, len);
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

static zs_node *node_new(int level, double score, str ele)
{
    zs_node *n = ds_malloc(sizeof(*n) + (size_t)level * sizeof(struct zs_level));
    n->ele = ele;
    n->score = score;
    n->backward = NULL;
    return n;
}

static void node_free(zs_node *n)
{
    if (n->ele)
        str_free(n->ele);
    ds_free(n);
}

static void zsl_init(zskiplist *zsl)
{
    zsl->level = 1;
    zsl->length = 0;
    zsl->header = node_new(ZSKIPLIST_MAXLEVEL, 0, NULL);
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

/* Insert (score, ele), which must not be there; takes ownership of ele. */
static zs_node *zsl_insert(zskiplist *zsl, double score, str ele)
{
    zs_node *update[ZSKIPLIST_MAXLEVEL], *x = zsl->header;
    size_t rank[ZSKIPLIST_MAXLEVEL];
    size_t len = str_len(ele);
    for (int i = zsl->level - 1; i >= 0; i--) {
        rank[i] = i == zsl->level - 1 ? 0 : rank[i + 1];
        while (x->level[i].forward && node_cmp(x->level[i].forward, score, ele, len) < 0) {
            rank[i] += x->level[i].span;
            x = x->level[i].forward;
        }
        update[i] = x;
    }
    int level = random_level();
    if (level > zsl->level) {
        for (int i = zsl->level; i < level; i++) {
            rank[i] = 0;
            update[i] = zsl->header;
            update[i]->level[i].span = zsl->length;
        }
        zsl->level = level;
    }
    x = node_new(level, score, ele);
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

/* Move node x (found by the dict) to newscore; returns the node that now
 * holds the member (x itself when it can stay in place). */
static zs_node *zsl_update_score(zskiplist *zsl, zs_node *x, double newscore)
{
    zs_node *update[ZSKIPLIST_MAXLEVEL];
    zsl_path(zsl, x->score, x->ele, str_len(x->ele), update);
    if ((x->backward == NULL || x->backward->score < newscore) &&
        (x->level[0].forward == NULL || x->level[0].forward->score > newscore)) {
        x->score = newscore;
        return x;
    }
    zsl_unlink(zsl, x, update);
    str ele = x->ele;
    x->ele = NULL;
    node_free(x);
    return zsl_insert(zsl, newscore, ele);
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
    return zset_lex_gte_min(x->ele, str_len(x->ele), r);
}

static int node_lex_lte(const zs_node *x, const zrange_lex *r)
{
    return zset_lex_lte_max(x->ele, str_len(x->ele), r);
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
static void zsl_drop(zset *z, zs_node *x, zs_node **update)
{
    zsl_unlink(&z->zsl, x, update);
    dict_delete(z->d, x->ele, str_len(x->ele));
    node_free(x);
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
    *p = key;
    *len = str_len((const str)key);
}

/* Keys are the nodes' strs: the dict frees nothing. */
static const dict_type zset_dict_type = {member_view, NULL, NULL, 0};

static void init_skiplist(zset *z)
{
    z->enc = ZSET_SKIPLIST;
    z->pk = NULL;
    z->d = dict_new(&zset_dict_type);
    zsl_init(&z->zsl);
}

static void init_pack(zset *z)
{
    z->enc = ZSET_PACK;
    z->pk = pack_new();
    z->d = NULL;
    memset(&z->zsl, 0, sizeof(z->zsl));
}

zset *zset_new(size_t size_hint, size_t maxlen_hint, const zset_limits *lim)
{
    zset *z = ds_malloc(sizeof(*z));
    if (size_hint > lim->max_entries || maxlen_hint > lim->max_value)
        init_skiplist(z);
    else
        init_pack(z);
    return z;
}

void zset_free(zset *z)
{
    if (!z)
        return;
    if (z->enc == ZSET_PACK) {
        pack_free(z->pk);
    } else {
        dict_free(z->d);
        zsl_release(&z->zsl);
    }
    ds_free(z);
}

/* Append to a skiplist set an element known to sort before all others. */
static void sl_add_new(zset *z, double score, const char *m, size_t len)
{
    str ele = str_new(m, len);
    zs_node *x = zsl_insert(&z->zsl, score, ele);
    dict_add(z->d, ele, x);
}

zset *zset_dup(const zset *z)
{
    zset *n = ds_malloc(sizeof(*n));
    if (z->enc == ZSET_PACK) {
        init_pack(n);
        pack_free(n->pk);
        n->pk = pack_dup(z->pk);
        return n;
    }
    init_skiplist(n);
    /* From the tail: each insert stops at the header, O(1). */
    for (zs_node *x = z->zsl.tail; x; x = x->backward)
        sl_add_new(n, x->score, x->ele, str_len(x->ele));
    return n;
}

size_t zset_len(const zset *z)
{
    return z->enc == ZSET_PACK ? pack_count(z->pk) / 2 : z->zsl.length;
}

size_t zset_mem(const zset *z)
{
    size_t n = sizeof(*z);
    if (z->enc == ZSET_PACK)
        return n + pack_mem(z->pk);
    n += dict_mem(z->d) + ds_alloc_size(z->zsl.header);
    for (zs_node *x = z->zsl.header->level[0].forward; x; x = x->level[0].forward)
        n += ds_alloc_size(x) + str_alloc_size(x->ele);
    return n;
}

const char *zset_encoding(const zset *z)
{
    return z->enc == ZSET_PACK ? "listpack" : "skiplist";
}

void zset_convert(zset *z, int enc)
{
    if (z->enc == enc)
        return;
    if (enc == ZSET_SKIPLIST) {
        pack *pk = z->pk;
        init_skiplist(z);
        for (size_t pos = zpk_last(pk); pos; pos = zpk_prev(pk, pos)) {
            zset_elem e;
            zpk_elem(pk, pos, &e);
            sl_add_new(z, e.score, e.p, e.len);
        }
        pack_free(pk);
        return;
    }
    pack *pk = pack_new();
    for (zs_node *x = z->zsl.header->level[0].forward; x; x = x->level[0].forward) {
        pk = pack_append(pk, x->ele, str_len(x->ele));
        pk = pack_append_double(pk, x->score);
    }
    dict_free(z->d);
    zsl_release(&z->zsl);
    init_pack(z);
    pack_free(z->pk);
    z->pk = pk;
}

void zset_shrink_if_fits(zset *z, size_t maxelelen, size_t totelelen, const zset_limits *lim)
{
    if (z->enc == ZSET_PACK)
        return;
    if (z->zsl.length <= lim->max_entries && maxelelen <= lim->max_value &&
        pack_safe_to_add(NULL, totelelen))
        zset_convert(z, ZSET_PACK);
}

int zset_score(zset *z, const char *m, size_t len, double *score)
{
    if (z->enc == ZSET_PACK)
        return zpk_find(z->pk, m, len, score) ? 0 : -1;
    zs_node *x = dict_fetch(z->d, m, len);
    if (!x)
        return -1;
    *score = x->score;
    return 0;
}

/* The pack part of zset_add: 1 when done, 0 on NaN, -1 to go on with the
 * (just converted) skiplist. */
static int pack_add(zset *z, const char *m, size_t len, double score, int in, int *out,
                    double *newscore, const zset_limits *lim)
{
    double cur;
    size_t pos = zpk_find(z->pk, m, len, &cur);
    if (pos) {
        if (in & ZADD_IN_NX) {
            *out |= ZADD_OUT_NOP;
            return 1;
        }
        if (in & ZADD_IN_INCR) {
            score += cur;
            if (isnan(score)) {
                *out |= ZADD_OUT_NAN;
                return 0;
            }
        }
        if (((in & ZADD_IN_LT) && score >= cur) || ((in & ZADD_IN_GT) && score <= cur)) {
            *out |= ZADD_OUT_NOP;
            return 1;
        }
        if (newscore)
            *newscore = score;
        if (score != cur) {
            z->pk = pack_delete(z->pk, pos, 2);
            z->pk = zpk_insert(z->pk, m, len, score);
            *out |= ZADD_OUT_UPDATED;
        }
        return 1;
    }
    if (in & ZADD_IN_XX) {
        *out |= ZADD_OUT_NOP;
        return 1;
    }
    if (zset_len(z) + 1 > lim->max_entries || len > lim->max_value ||
        !pack_safe_to_add(z->pk, len)) {
        zset_convert(z, ZSET_SKIPLIST);
        return -1;
    }
    z->pk = zpk_insert(z->pk, m, len, score);
    if (newscore)
        *newscore = score;
    *out |= ZADD_OUT_ADDED;
    return 1;
}

int zset_add(zset *z, const char *m, size_t len, double score, int in, int *out, double *newscore,
             const zset_limits *lim)
{
    *out = 0;
    if (isnan(score)) {
        *out = ZADD_OUT_NAN;
        return 0;
    }
    if (z->enc == ZSET_PACK) {
        int r = pack_add(z, m, len, score, in, out, newscore, lim);
        if (r >= 0)
            return r;
    }
    dict_entry *e = dict_find(z->d, m, len);
    if (e) {
        zs_node *x = e->v.val;
        double cur = x->score;
        if (in & ZADD_IN_NX) {
            *out |= ZADD_OUT_NOP;
            return 1;
        }
        if (in & ZADD_IN_INCR) {
            score += cur;
            if (isnan(score)) {
                *out |= ZADD_OUT_NAN;
                return 0;
            }
        }
        if (((in & ZADD_IN_LT) && score >= cur) || ((in & ZADD_IN_GT) && score <= cur)) {
            *out |= ZADD_OUT_NOP;
            return 1;
        }
        if (newscore)
            *newscore = score;
        if (score != cur) {
            e->v.val = zsl_update_score(&z->zsl, x, score);
            *out |= ZADD_OUT_UPDATED;
        }
        return 1;
    }
    if (in & ZADD_IN_XX) {
        *out |= ZADD_OUT_NOP;
        return 1;
    }
    sl_add_new(z, score, m, len);
    *out |= ZADD_OUT_ADDED;
    if (newscore)
        *newscore = score;
    return 1;
}

int zset_del(zset *z, const char *m, size_t len)
{
    if (z->enc == ZSET_PACK) {
        size_t pos = zpk_find(z->pk, m, len, NULL);
        if (!pos)
            return 0;
        z->pk = pack_delete(z->pk, pos, 2);
        return 1;
    }
    zs_node *x = dict_fetch(z->d, m, len);
    if (!x)
        return 0;
    zs_node *update[ZSKIPLIST_MAXLEVEL];
    zsl_path(&z->zsl, x->score, x->ele, str_len(x->ele), update);
    zsl_drop(z, x, update);
    dict_shrink_if_sparse(z->d);
    return 1;
}

long zset_rank(zset *z, const char *m, size_t len, int rev)
{
    size_t n = zset_len(z), rank = 0;
    if (z->enc == ZSET_PACK) {
        size_t pos;
        for (pos = pack_first(z->pk); pos; pos = zpk_next(z->pk, pos)) {
            rank++;
            if (pack_eq(z->pk, pos, m, len))
                break;
        }
        if (!pos)
            return -1;
    } else {
        zs_node *x = dict_fetch(z->d, m, len);
        if (!x)
            return -1;
        rank = zsl_rank(&z->zsl, x->score, x->ele, str_len(x->ele));
    }
    return rev ? (long)(n - rank) : (long)(rank - 1);
}

/* ---- ranges ---- */

size_t zset_count_score(zset *z, const zrange_score *r)
{
    size_t count = 0;
    if (z->enc == ZSET_PACK) {
        for (size_t pos = zpk_first_score(z->pk, r);
             pos && zset_score_lte_max(zpk_score(z->pk, pos), r); pos = zpk_next(z->pk, pos))
            count++;
        return count;
    }
    zs_node *first = zsl_first_score(&z->zsl, r);
    if (!first)
        return 0;
    zs_node *last = zsl_last_score(&z->zsl, r);
    size_t r1 = zsl_rank(&z->zsl, first->score, first->ele, str_len(first->ele));
    size_t r2 = zsl_rank(&z->zsl, last->score, last->ele, str_len(last->ele));
    return r2 - r1 + 1;
}

size_t zset_count_lex(zset *z, const zrange_lex *r)
{
    size_t count = 0;
    if (z->enc == ZSET_PACK) {
        for (size_t pos = zpk_first_lex(z->pk, r); pos && zpk_lex_lte(z->pk, pos, r);
             pos = zpk_next(z->pk, pos))
            count++;
        return count;
    }
    zs_node *first = zsl_first_lex(&z->zsl, r);
    if (!first)
        return 0;
    zs_node *last = zsl_last_lex(&z->zsl, r);
    size_t r1 = zsl_rank(&z->zsl, first->score, first->ele, str_len(first->ele));
    size_t r2 = zsl_rank(&z->zsl, last->score, last->ele, str_len(last->ele));
    return r2 - r1 + 1;
}

size_t zset_del_rank(zset *z, size_t start, size_t end)
{
    size_t n = zset_len(z);
    if (start > end || start >= n)
        return 0;
    if (end >= n)
        end = n - 1;
    size_t count = end - start + 1;
    if (z->enc == ZSET_PACK) {
        z->pk = pack_delete(z->pk, pack_seek(z->pk, (long)(2 * start)), 2 * count);
        return count;
    }
    zs_node *update[ZSKIPLIST_MAXLEVEL], *x = z->zsl.header;
    size_t traversed = 0, rank = start + 1;
    for (int i = z->zsl.level - 1; i >= 0; i--) {
        while (x->level[i].forward && traversed + x->level[i].span < rank) {
            traversed += x->level[i].span;
            x = x->level[i].forward;
        }
        update[i] = x;
    }
    x = x->level[0].forward;
    for (size_t k = 0; k < count && x; k++) {
        zs_node *next = x->level[0].forward;
        zsl_drop(z, x, update);
        x = next;
    }
    dict_shrink_if_sparse(z->d);
    return count;
}

size_t zset_del_score(zset *z, const zrange_score *r)
{
    size_t removed = 0;
    if (z->enc == ZSET_PACK) {
        size_t first = zpk_first_score(z->pk, r);
        for (size_t pos = first; pos && zset_score_lte_max(zpk_score(z->pk, pos), r);
             pos = zpk_next(z->pk, pos))
            removed++;
        if (removed)
            z->pk = pack_delete(z->pk, first, 2 * removed);
        return removed;
    }
    zs_node *update[ZSKIPLIST_MAXLEVEL], *x = z->zsl.header;
    for (int i = z->zsl.level - 1; i >= 0; i--) {
        while (x->level[i].forward && !zset_score_gte_min(x->level[i].forward->score, r))
            x = x->level[i].forward;
        update[i] = x;
    }
    x = x->level[0].forward;
    while (x && zset_score_lte_max(x->score, r)) {
        zs_node *next = x->level[0].forward;
        zsl_drop(z, x, update);
        removed++;
        x = next;
    }
    dict_shrink_if_sparse(z->d);
    return removed;
}

size_t zset_del_lex(zset *z, const zrange_lex *r)
{
    size_t removed = 0;
    if (z->enc == ZSET_PACK) {
        size_t first = zpk_first_lex(z->pk, r);
        for (size_t pos = first; pos && zpk_lex_lte(z->pk, pos, r); pos = zpk_next(z->pk, pos))
            removed++;
        if (removed)
            z->pk = pack_delete(z->pk, first, 2 * removed);
        return removed;
    }
    if (lex_range_empty(r))
        return 0;
    zs_node *update[ZSKIPLIST_MAXLEVEL], *x = z->zsl.header;
    for (int i = z->zsl.level - 1; i >= 0; i--) {
        while (x->level[i].forward && !node_lex_gte(x->level[i].forward, r))
            x = x->level[i].forward;
        update[i] = x;
    }
    x = x->level[0].forward;
    while (x && node_lex_lte(x, r)) {
        zs_node *next = x->level[0].forward;
        zsl_drop(z, x, update);
        removed++;
        x = next;
    }
    dict_shrink_if_sparse(z->d);
    return removed;
}

/* ---- iteration ---- */

void zset_iter_rank(zset_iter *it, zset *z, size_t rank, int rev)
{
    size_t n = zset_len(z);
    it->z = z;
    it->rev = rev;
    it->pos = 0;
    it->node = NULL;
    if (rank >= n)
        return;
    size_t idx = rev ? n - 1 - rank : rank;
    if (z->enc == ZSET_PACK) {
        it->pos = pack_seek(z->pk, (long)(2 * idx));
        return;
    }
    if (idx == 0)
        it->node = z->zsl.header->level[0].forward;
    else if (idx == n - 1)
        it->node = z->zsl.tail;
    else
        it->node = zsl_by_rank(&z->zsl, idx + 1);
}

void zset_iter_score(zset_iter *it, zset *z, const zrange_score *r, int rev)
{
    it->z = z;
    it->rev = rev;
    it->pos = 0;
    it->node = NULL;
    if (z->enc == ZSET_PACK)
        it->pos = rev ? zpk_last_score(z->pk, r) : zpk_first_score(z->pk, r);
    else
        it->node = rev ? zsl_last_score(&z->zsl, r) : zsl_first_score(&z->zsl, r);
}

void zset_iter_lex(zset_iter *it, zset *z, const zrange_lex *r, int rev)
{
    it->z = z;
    it->rev = rev;
    it->pos = 0;
    it->node = NULL;
    if (z->enc == ZSET_PACK)
        it->pos = rev ? zpk_last_lex(z->pk, r) : zpk_first_lex(z->pk, r);
    else
        it->node = rev ? zsl_last_lex(&z->zsl, r) : zsl_first_lex(&z->zsl, r);
}

int zset_iter_next(zset_iter *it, zset_elem *e)
{
    if (it->z->enc == ZSET_PACK) {
        pack *pk = it->z->pk;
        if (!it->pos)
            return 0;
        zpk_elem(pk, it->pos, e);
        it->pos = it->rev ? zpk_prev(pk, it->pos) : zpk_next(pk, it->pos);
        return 1;
    }
    zs_node *x = it->node;
    if (!x)
        return 0;
    e->p = x->ele;
    e->len = str_len(x->ele);
    e->score = x->score;
    it->node = it->rev ? x->backward : x->level[0].forward;
    return 1;
}

void zset_random(zset *z, zset_elem *e)
{
    if (z->enc == ZSET_PACK) {
        size_t i = (size_t)random() % zset_len(z);
        zpk_elem(z->pk, pack_seek(z->pk, (long)(2 * i)), e);
        return;
    }
    zs_node *x = dict_fair_random(z->d)->v.val;
    e->p = x->ele;
    e->len = str_len(x->ele);
    e->score = x->score;
}

/* ---- verification (tests) ---- */

static int verify_pack(zset *z)
{
    pack *pk = z->pk;
    if (pack_count(pk) % 2)
        return -1;
    zset_elem prev = {NULL, 0, 0};
    int have = 0;
    for (size_t pos = pack_first(pk); pos; pos = zpk_next(pk, pos)) {
        size_t s = pack_next(pk, pos);
        if (pack_is_double(pk, pos) || !s || !pack_is_double(pk, s))
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

static int verify_skiplist(zset *z)
{
    zskiplist *zsl = &z->zsl;
    size_t n = 0;
    zs_node *prev = NULL;
    for (zs_node *x = zsl->header->level[0].forward; x; x = x->level[0].forward) {
        if (x->backward != prev || dict_fetch(z->d, x->ele, str_len(x->ele)) != x)
            return -1;
        if (prev && node_cmp(prev, x->score, x->ele, str_len(x->ele)) >= 0)
            return -1;
        prev = x;
        n++;
    }
    if (zsl->tail != prev || n != zsl->length || dict_size(z->d) != n)
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

int zset_verify(zset *z)
{
    return z->enc == ZSET_PACK ? verify_pack(z) : verify_skiplist(z);
}
