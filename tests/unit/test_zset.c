/* test_zset.c - Criterion unit tests for src/ds/zset.c (and the packs and
 * intsets it and its siblings are built on).
 *
 * The randomized tests run thousands of mixed operations (ZADD with every
 * flag, ZREM, rank, score, range reads by rank/score/lex in both
 * directions, range deletions, conversions) against a plain sorted array
 * model, checking zset_verify() and full contents after every step, once
 * with limits that keep the set packed, once forcing a skiplist, and once
 * with limits that make it convert midway.  Smaller tests cover the pack
 * and intset buffers and the hash (hmap) and set (mset) types built on
 * them. */
#define _DEFAULT_SOURCE
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ds/hmap.h"
#include "ds/intset.h"
#include "ds/mset.h"
#include "ds/pack.h"
#include "ds/zset.h"

/* ---- model: sorted array of (member, score) ---- */

typedef struct {
    char m[16];
    size_t len;
    double score;
} mel;

typedef struct {
    mel v[4096];
    size_t n;
} model;

static int bcmp_(const char *a, size_t al, const char *b, size_t bl)
{
    size_t n = al < bl ? al : bl;
    int c = n ? memcmp(a, b, n) : 0;
    return c ? c : (al < bl ? -1 : al > bl);
}

static int mel_cmp(const void *x, const void *y)
{
    const mel *a = x, *b = y;
    if (a->score != b->score)
        return a->score < b->score ? -1 : 1;
    return bcmp_(a->m, a->len, b->m, b->len);
}

static long m_find(model *m, const char *p, size_t len)
{
    for (size_t i = 0; i < m->n; i++)
        if (m->v[i].len == len && memcmp(m->v[i].m, p, len) == 0)
            return (long)i;
    return -1;
}

static void m_sort(model *m)
{
    qsort(m->v, m->n, sizeof(mel), mel_cmp);
}

static void m_del(model *m, size_t i)
{
    memmove(m->v + i, m->v + i + 1, (m->n - i - 1) * sizeof(mel));
    m->n--;
}

static void check_same(zset *z, model *m)
{
    cr_assert_eq(zset_verify(z), 0);
    cr_assert_eq(zset_len(z), m->n);
    zset_iter it;
    zset_elem e;
    size_t i = 0;
    zset_iter_rank(&it, z, 0, 0);
    while (zset_iter_next(&it, &e)) {
        cr_assert_lt(i, m->n);
        cr_assert_eq(e.len, m->v[i].len);
        cr_assert(memcmp(e.p, m->v[i].m, e.len) == 0);
        cr_assert(e.score == m->v[i].score);
        i++;
    }
    cr_assert_eq(i, m->n);
    /* and backwards */
    zset_iter_rank(&it, z, 0, 1);
    while (zset_iter_next(&it, &e)) {
        cr_assert_gt(i, 0);
        i--;
        cr_assert(e.score == m->v[i].score);
    }
    cr_assert_eq(i, 0);
}

static void rand_member(char *buf, size_t *len, int space)
{
    /* Short members over a small alphabet so that collisions happen. */
    int n = 1 + rand() % 3;
    for (int i = 0; i < n; i++)
        buf[i] = (char)('a' + rand() % space);
    *len = (size_t)n;
}

static double rand_score(void)
{
    int r = rand() % 20;
    if (r == 0)
        return INFINITY;
    if (r == 1)
        return -INFINITY;
    return (double)(rand() % 10) / (r < 10 ? 1 : 2);
}

static void rand_score_range(zrange_score *r)
{
    r->min = rand_score();
    r->max = rand_score();
    if (rand() % 4 == 0 && r->min > r->max) {
        double t = r->min;
        r->min = r->max;
        r->max = t;
    }
    r->minex = rand() % 2;
    r->maxex = rand() % 2;
}

static void rand_lex_item(zlex_item *it, char *buf)
{
    int r = rand() % 8;
    it->ex = rand() % 2;
    if (r == 0) {
        it->inf = -1;
        it->ex = 1;
    } else if (r == 1) {
        it->inf = 1;
        it->ex = 1;
    } else {
        it->inf = 0;
        rand_member(buf, &it->len, 5);
        it->p = buf;
    }
}

static int m_in_score(const mel *e, const zrange_score *r)
{
    return zset_score_gte_min(e->score, r) && zset_score_lte_max(e->score, r);
}

static int m_in_lex(const mel *e, const zrange_lex *r)
{
    return zset_lex_gte_min(e->m, e->len, r) && zset_lex_lte_max(e->m, e->len, r);
}

static void op_add(zset **zp, model *m, const zset_limits *lim)
{
    char buf[16];
    size_t len;
    rand_member(buf, &len, 6);
    double score = rand_score();
    int flags[] = {0, ZADD_IN_NX, ZADD_IN_XX, ZADD_IN_GT, ZADD_IN_LT, ZADD_IN_INCR,
                   ZADD_IN_XX | ZADD_IN_GT, ZADD_IN_INCR | ZADD_IN_LT};
    int in = flags[rand() % 8], out;
    double newscore = 12345;
    long i = m_find(m, buf, len);
    *zp = zset_add(*zp, buf, len, score, in, &out, &newscore, lim);
    int ret = !(out & ZADD_OUT_NAN);
    /* model */
    if (i < 0) {
        if (in & ZADD_IN_XX) {
            cr_assert_eq(ret, 1);
            cr_assert_eq(out, ZADD_OUT_NOP);
            return;
        }
        cr_assert_eq(ret, 1);
        cr_assert_eq(out, ZADD_OUT_ADDED);
        cr_assert(newscore == score);
        memcpy(m->v[m->n].m, buf, len);
        m->v[m->n].len = len;
        m->v[m->n].score = score;
        m->n++;
        m_sort(m);
        return;
    }
    double cur = m->v[i].score;
    if (in & ZADD_IN_NX) {
        cr_assert_eq(out, ZADD_OUT_NOP);
        return;
    }
    double s = (in & ZADD_IN_INCR) ? cur + score : score;
    if (isnan(s)) {
        cr_assert_eq(ret, 0);
        cr_assert_eq(out, ZADD_OUT_NAN);
        return;
    }
    if (((in & ZADD_IN_LT) && s >= cur) || ((in & ZADD_IN_GT) && s <= cur)) {
        cr_assert_eq(out, ZADD_OUT_NOP);
        return;
    }
    cr_assert(newscore == s);
    cr_assert_eq(out, s != cur ? ZADD_OUT_UPDATED : 0);
    m->v[i].score = s;
    m_sort(m);
}

static void op_del(zset **zp, model *m)
{
    char buf[16];
    size_t len;
    rand_member(buf, &len, 6);
    long i = m_find(m, buf, len);
    int gone;
    *zp = zset_del(*zp, buf, len, &gone);
    cr_assert_eq(gone, i >= 0);
    if (i >= 0)
        m_del(m, (size_t)i);
}

static void op_lookup(zset *z, model *m)
{
    char buf[16];
    size_t len;
    rand_member(buf, &len, 6);
    long i = m_find(m, buf, len);
    double s;
    int rev = rand() % 2;
    cr_assert_eq(zset_score(z, buf, len, &s), i >= 0 ? 0 : -1);
    if (i < 0) {
        cr_assert_eq(zset_rank(z, buf, len, rev), -1);
        return;
    }
    cr_assert(s == m->v[i].score);
    cr_assert_eq(zset_rank(z, buf, len, rev), rev ? (long)m->n - 1 - i : i);
}

static void op_ranges(zset *z, model *m)
{
    zrange_score r;
    rand_score_range(&r);
    size_t expect = 0;
    for (size_t i = 0; i < m->n; i++)
        expect += m_in_score(&m->v[i], &r);
    cr_assert_eq(zset_count_score(z, &r), expect);
    int rev = rand() % 2;
    zset_iter it;
    zset_elem e;
    zset_iter_score(&it, z, &r, rev);
    size_t got = 0;
    while (zset_iter_next(&it, &e) &&
           (rev ? zset_score_gte_min(e.score, &r) : zset_score_lte_max(e.score, &r))) {
        size_t idx = rev ? m->n - 1 : 0;
        /* find the matching model element: the got-th in range */
        size_t seen = 0;
        for (size_t k = 0; k < m->n; k++) {
            size_t j = rev ? m->n - 1 - k : k;
            if (m_in_score(&m->v[j], &r) && seen++ == got) {
                idx = j;
                break;
            }
        }
        cr_assert(e.score == m->v[idx].score);
        cr_assert_eq(e.len, m->v[idx].len);
        got++;
    }
    cr_assert_eq(got, expect);

    char b1[16], b2[16];
    zrange_lex lr;
    rand_lex_item(&lr.min, b1);
    rand_lex_item(&lr.max, b2);
    /* Lex ranges are only meaningful with equal scores: check the count
     * on the model, which has the same order, when all scores agree. */
    int same = 1;
    for (size_t i = 1; i < m->n; i++)
        same &= m->v[i].score == m->v[0].score;
    if (same) {
        expect = 0;
        for (size_t i = 0; i < m->n; i++)
            expect += m_in_lex(&m->v[i], &lr);
        cr_assert_eq(zset_count_lex(z, &lr), expect);
    }
}

static void op_del_range(zset **zp, model *m)
{
    int kind = rand() % 3;
    if (kind == 0 && m->n) {
        size_t a = (size_t)rand() % m->n, b = (size_t)rand() % (m->n + 2);
        size_t expect = a > b ? 0 : (b >= m->n ? m->n - 1 : b) - a + 1;
        size_t got;
        *zp = zset_del_rank(*zp, a, b, &got);
        cr_assert_eq(got, expect);
        for (size_t k = 0; k < expect; k++)
            m_del(m, a);
    } else if (kind == 1 && rand() % 4 == 0) {
        zrange_score r;
        rand_score_range(&r);
        size_t expect = 0;
        for (size_t i = m->n; i-- > 0;)
            if (m_in_score(&m->v[i], &r)) {
                m_del(m, i);
                expect++;
            }
        size_t got;
        *zp = zset_del_score(*zp, &r, &got);
        cr_assert_eq(got, expect);
    }
}

static void run_random(const zset_limits *lim, unsigned seed, int ops)
{
    srand(seed);
    srandom(seed);
    static model m;
    m.n = 0;
    zset *z = zset_new(0, 0, lim);
    for (int i = 0; i < ops; i++) {
        int r = rand() % 10;
        if (r < 4)
            op_add(&z, &m, lim);
        else if (r < 6)
            op_del(&z, &m);
        else if (r < 8)
            op_lookup(z, &m);
        else if (r < 9)
            op_ranges(z, &m);
        else
            op_del_range(&z, &m);
        check_same(z, &m);
        if (i % 500 == 499) {
            zset *d = zset_dup(z);
            check_same(d, &m);
            zset_free(d);
        }
    }
    zset_free(z);
}

Test(zset, random_packed)
{
    zset_limits lim = {1000000, 1000};
    run_random(&lim, 1, 4000);
}

Test(zset, random_skiplist)
{
    zset_limits lim = {0, 0};
    run_random(&lim, 2, 6000);
}

Test(zset, random_converting)
{
    zset_limits lim = {40, 2};
    run_random(&lim, 3, 6000);
}

Test(zset, big_skiplist_ranks)
{
    zset_limits lim = {128, 64};
    zset *z = zset_new(0, 0, &lim);
    char buf[32];
    int out;
    for (int i = 0; i < 5000; i++) {
        int n = snprintf(buf, sizeof(buf), "m%05d", i);
        z = zset_add(z, buf, (size_t)n, (double)(i % 100), 0, &out, NULL, &lim);
        cr_assert_eq(out, ZADD_OUT_ADDED);
    }
    cr_assert_str_eq(zset_encoding(z), "skiplist");
    cr_assert_eq(zset_verify(z), 0);
    /* members sorted by (i % 100, name) */
    zset_iter it;
    zset_elem e;
    zset_iter_rank(&it, z, 2500, 0);
    cr_assert(zset_iter_next(&it, &e));
    cr_assert(e.score == 50);
    cr_assert_eq(zset_rank(z, e.p, e.len, 0), 2500);
    cr_assert_eq(zset_rank(z, e.p, e.len, 1), 2499);
    zrange_score r = {10, 20, 0, 1};
    cr_assert_eq(zset_count_score(z, &r), 500);
    size_t got;
    z = zset_del_score(z, &r, &got);
    cr_assert_eq(got, 500);
    cr_assert_eq(zset_len(z), 4500);
    z = zset_del_rank(z, 0, 99, &got);
    cr_assert_eq(got, 100);
    cr_assert_eq(zset_verify(z), 0);
    z = zset_convert(z, ZSET_PACK);
    cr_assert_str_eq(zset_encoding(z), "listpack");
    cr_assert_eq(zset_verify(z), 0);
    cr_assert_eq(zset_len(z), 4400);
    zset_free(z);
}

Test(zset, lex_ranges)
{
    zset_limits lim = {128, 64};
    const char *names[] = {"a", "b", "c", "d", "e", "f", "g"};
    for (int enc = 0; enc < 2; enc++) {
        zset *z = zset_new(0, 0, &lim);
        int out;
        for (int i = 0; i < 7; i++)
            z = zset_add(z, names[i], 1, 0, 0, &out, NULL, &lim);
        if (enc)
            z = zset_convert(z, ZSET_SKIPLIST);
        zrange_lex r = {{0, "b", 1, 0}, {0, "e", 1, 1}};
        cr_assert_eq(zset_count_lex(z, &r), 3); /* b c d */
        zrange_lex all = {{-1, NULL, 0, 1}, {1, NULL, 0, 1}};
        cr_assert_eq(zset_count_lex(z, &all), 7);
        zrange_lex none = {{1, NULL, 0, 1}, {-1, NULL, 0, 1}};
        cr_assert_eq(zset_count_lex(z, &none), 0);
        zset_iter it;
        zset_elem e;
        zset_iter_lex(&it, z, &r, 1);
        cr_assert(zset_iter_next(&it, &e));
        cr_assert_eq(e.p[0], 'd');
        size_t got;
        z = zset_del_lex(z, &r, &got);
        cr_assert_eq(got, 3);
        cr_assert_eq(zset_len(z), 4);
        cr_assert_eq(zset_verify(z), 0);
        zset_free(z);
    }
}

/* ---- pack ---- */

Test(pack, insert_delete_navigate)
{
    pack *pk = pack_new();
    char big[300];
    memset(big, 'x', sizeof(big));
    pk = pack_append(pk, "a", 1);
    pk = pack_append_double(pk, 1.5);
    pk = pack_append(pk, big, sizeof(big));
    pk = pack_insert(pk, PACK_HDR, "", 0);
    cr_assert_eq(pack_count(pk), 4);
    size_t pos = pack_first(pk);
    const char *p;
    size_t len;
    pack_get(pk, pos, &p, &len);
    cr_assert_eq(len, 0);
    pos = pack_next(pk, pos);
    cr_assert(pack_eq(pk, pos, "a", 1));
    pos = pack_next(pk, pos);
    cr_assert(pack_is_number(pk, pos));
    cr_assert(pack_get_double(pk, pos) == 1.5);
    pos = pack_next(pk, pos);
    pack_get(pk, pos, &p, &len);
    cr_assert_eq(len, 300);
    cr_assert_eq(pack_next(pk, pos), 0);
    cr_assert_eq(pack_last(pk), pos);
    cr_assert(pack_is_number(pk, pack_prev(pk, pos)));
    cr_assert_eq(pack_seek(pk, -1), pos);
    cr_assert(pack_eq(pk, pack_seek(pk, 1), "a", 1));
    pk = pack_replace(pk, pack_seek(pk, 1), big, 200);
    pack_get(pk, pack_seek(pk, 1), &p, &len);
    cr_assert_eq(len, 200);
    pk = pack_replace(pk, pack_seek(pk, 1), "b", 1);
    cr_assert(pack_eq(pk, pack_seek(pk, 1), "b", 1));
    cr_assert_eq(pack_find(pk, pack_first(pk), "b", 1, 0), pack_seek(pk, 1));
    cr_assert_eq(pack_find(pk, pack_first(pk), "b", 1, 1), 0);
    pk = pack_delete(pk, pack_seek(pk, 1), 2);
    cr_assert_eq(pack_count(pk), 2);
    pack_get(pk, pack_last(pk), &p, &len);
    cr_assert_eq(len, 300);
    pk = pack_delete(pk, pack_first(pk), 10);
    cr_assert_eq(pack_count(pk), 0);
    cr_assert_eq(pack_bytes(pk), PACK_HDR);
    cr_assert_eq(pack_first(pk), 0);
    cr_assert_eq(pack_last(pk), 0);
    pack_free(pk);
}

Test(pack, numbers_round_trip)
{
    double vals[] = {0,    -0.0,  1,          -1,         127,   -128, 1e15, -9007199254740991.0,
                     9007199254740992.0, 1.5, 1e300, INFINITY, -INFINITY, 0.1, 4611686018427387904.0};
    size_t n = sizeof(vals) / sizeof(vals[0]);
    pack *pk = pack_new();
    for (size_t i = 0; i < n; i++)
        pk = pack_append_double(pk, vals[i]);
    size_t pos = pack_first(pk);
    for (size_t i = 0; i < n; i++, pos = pack_next(pk, pos)) {
        cr_assert(pack_is_number(pk, pos));
        double d = pack_get_double(pk, pos);
        cr_assert(d == vals[i], "value %zu", i);
        cr_assert_eq(signbit(d), signbit(vals[i]), "sign of value %zu", i);
    }
    /* small integers take 3 bytes (head, one varint byte, back) */
    pack *small = pack_append_double(pack_new(), 42);
    cr_assert_eq(pack_bytes(small), PACK_HDR + 3);
    cr_assert_eq(pack_prev(small, pack_bytes(small)), PACK_HDR);
    pack_free(small);
    pk = pack_replace_double(pk, pack_first(pk), 0.25);
    cr_assert(pack_get_double(pk, pack_first(pk)) == 0.25);
    pk = pack_replace_double(pk, pack_first(pk), 7);
    cr_assert(pack_get_double(pk, pack_first(pk)) == 7);
    cr_assert(pack_get_double(pk, pack_next(pk, pack_first(pk))) == 0);
    pack_free(pk);
}

/* ---- intset ---- */

Test(intset, widen_and_order)
{
    intset *is = intset_new();
    int added, removed;
    int64_t vals[] = {5, -3, 70000, 1, -5000000000LL, 9000000000LL, 5};
    for (size_t i = 0; i < sizeof(vals) / sizeof(vals[0]); i++)
        is = intset_add(is, vals[i], &added);
    cr_assert_eq(intset_len(is), 6);
    int64_t expect[] = {-5000000000LL, -3, 1, 5, 70000, 9000000000LL};
    for (size_t i = 0; i < 6; i++)
        cr_assert_eq(intset_get(is, i), expect[i]);
    cr_assert(intset_find(is, 70000));
    cr_assert(!intset_find(is, 2));
    is = intset_remove(is, 1, &removed);
    cr_assert_eq(removed, 1);
    is = intset_remove(is, 1, &removed);
    cr_assert_eq(removed, 0);
    cr_assert_eq(intset_len(is), 5);
    intset_free(is);
}

/* ---- hmap and mset ---- */

Test(hmap, set_get_delete_convert)
{
    hmap_limits lim = {4, 8};
    hmap *h = hmap_new();
    int created, deleted;
    char f[16], v[16];
    for (int i = 0; i < 4; i++) {
        int fl = snprintf(f, sizeof(f), "f%d", i), vl = snprintf(v, sizeof(v), "v%d", i);
        h = hmap_set(h, f, (size_t)fl, v, (size_t)vl, &lim, &created);
        cr_assert_eq(created, 1);
    }
    cr_assert_str_eq(hmap_encoding(h), "listpack");
    h = hmap_set(h, "f1", 2, "new", 3, &lim, &created);
    cr_assert_eq(created, 0);
    const char *p;
    size_t len;
    cr_assert_eq(hmap_get(h, "f1", 2, &p, &len), 0);
    cr_assert(len == 3 && memcmp(p, "new", 3) == 0);
    /* insertion order is kept while packed */
    hmap_iter it;
    const char *kf, *kv;
    size_t kfl, kvl;
    hmap_iter_init(&it, h);
    cr_assert(hmap_iter_next(&it, &kf, &kfl, &kv, &kvl));
    cr_assert(kfl == 2 && memcmp(kf, "f0", 2) == 0);
    hmap_iter_done(&it);
    /* a long value converts; so does a fifth field */
    hmap *h2 = hmap_dup(h);
    h2 = hmap_set(h2, "x", 1, "123456789", 9, &lim, &created);
    cr_assert_eq(created, 1);
    cr_assert_str_eq(hmap_encoding(h2), "hashtable");
    h = hmap_set(h, "f4", 2, "v", 1, &lim, &created);
    cr_assert_eq(created, 1);
    cr_assert_str_eq(hmap_encoding(h), "hashtable");
    cr_assert_eq(hmap_len(h), 5);
    h = hmap_del(h, "f0", 2, &deleted);
    cr_assert_eq(deleted, 1);
    h = hmap_del(h, "f0", 2, &deleted);
    cr_assert_eq(deleted, 0);
    cr_assert_eq(hmap_get(h, "f1", 2, &p, &len), 0);
    cr_assert(len == 3 && memcmp(p, "new", 3) == 0);
    size_t n = 0;
    hmap_iter_init(&it, h);
    while (hmap_iter_next(&it, &kf, &kfl, &kv, &kvl))
        n++;
    hmap_iter_done(&it);
    cr_assert_eq(n, 4);
    hmap_free(h);
    hmap_free(h2);
}

Test(mset, intset_then_hashtable)
{
    mset *s = mset_new_for("12", 2);
    int added;
    cr_assert_str_eq(mset_encoding(s), "intset");
    s = mset_add(s, "12", 2, 3, &added);
    cr_assert_eq(added, 1);
    s = mset_add(s, "-4", 2, 3, &added);
    cr_assert_eq(added, 1);
    s = mset_add(s, "12", 2, 3, &added);
    cr_assert_eq(added, 0);
    /* "012" is not the canonical text of an integer: a string member */
    cr_assert_eq(mset_has(s, "012", 3), 0);
    mset_iter it;
    mset_elem e;
    mset_iter_init(&it, s);
    cr_assert(mset_iter_next(&it, &e));
    cr_assert(e.len == 2 && memcmp(e.p, "-4", 2) == 0);
    mset_iter_done(&it);
    s = mset_add(s, "7", 1, 3, &added);
    cr_assert_eq(added, 1);
    cr_assert_str_eq(mset_encoding(s), "intset");
    s = mset_add(s, "8", 1, 3, &added); /* fourth member: past the limit */
    cr_assert_eq(added, 1);
    cr_assert_str_eq(mset_encoding(s), "hashtable");
    cr_assert_eq(mset_has(s, "-4", 2), 1);
    s = mset_add(s, "012", 3, 3, &added);
    cr_assert_eq(added, 1);
    cr_assert_eq(mset_len(s), 5);
    s = mset_remove(s, "12", 2, &added);
    cr_assert_eq(added, 1);
    s = mset_remove(s, "12", 2, &added);
    cr_assert_eq(added, 0);
    mset *d = mset_dup(s);
    cr_assert_eq(mset_len(d), 4);
    for (int i = 0; i < 50; i++) {
        mset_random(d, &e);
        cr_assert(mset_has(s, e.p, e.len));
    }
    mset_free(s);
    mset_free(d);
}
