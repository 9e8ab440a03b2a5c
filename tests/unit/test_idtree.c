/* test_idtree.c - Criterion unit tests for src/ds/idtree.c.
 *
 * Every structural test calls idtree_verify (ordering, separators, leaf
 * chain, counts, memory accounting).  The randomized tests compare the tree
 * with a sorted-array model after thousands of mixed inserts, removals and
 * seeks, for value sizes 0, 8 and 24. */
#define _DEFAULT_SOURCE
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "ds/idtree.h"

static stream_id sid(uint64_t ms, uint64_t seq)
{
    stream_id id = {ms, seq};
    return id;
}

/* ---- sorted-array model -------------------------------------------------- */

typedef struct {
    stream_id *k;
    uint64_t *v;
    size_t n, cap;
} model;

static size_t m_lower(const model *m, stream_id id)
{
    size_t lo = 0, hi = m->n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (stream_id_cmp(m->k[mid], id) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static int m_insert(model *m, stream_id id, uint64_t v)
{
    size_t i = m_lower(m, id);
    if (i < m->n && stream_id_cmp(m->k[i], id) == 0)
        return 0;
    if (m->n == m->cap) {
        m->cap = m->cap ? m->cap * 2 : 64;
        m->k = realloc(m->k, m->cap * sizeof(*m->k));
        m->v = realloc(m->v, m->cap * sizeof(*m->v));
    }
    memmove(m->k + i + 1, m->k + i, (m->n - i) * sizeof(*m->k));
    memmove(m->v + i + 1, m->v + i, (m->n - i) * sizeof(*m->v));
    m->k[i] = id;
    m->v[i] = v;
    m->n++;
    return 1;
}

static int m_remove(model *m, stream_id id)
{
    size_t i = m_lower(m, id);
    if (i >= m->n || stream_id_cmp(m->k[i], id) != 0)
        return 0;
    memmove(m->k + i, m->k + i + 1, (m->n - i - 1) * sizeof(*m->k));
    memmove(m->v + i, m->v + i + 1, (m->n - i - 1) * sizeof(*m->v));
    m->n--;
    return 1;
}

static void m_free(model *m)
{
    free(m->k);
    free(m->v);
    memset(m, 0, sizeof(*m));
}

static uint64_t val_of(stream_id id)
{
    return id.ms * 1000003u ^ id.seq * 7919u ^ 0x5555;
}

static void expect_same(idtree *t, const model *m, size_t vsize)
{
    cr_assert_eq(idtree_verify(t), 0, "verify: %d", idtree_verify(t));
    cr_assert_eq(idtree_size(t), m->n);
    idtree_iter it;
    stream_id id;
    void *v;
    size_t i = 0;
    idtree_seek(&it, t, IDT_FIRST, sid(0, 0));
    while (idtree_next(&it, &id, &v)) {
        cr_assert_lt(i, m->n);
        cr_assert_eq(stream_id_cmp(id, m->k[i]), 0);
        if (vsize >= 8)
            cr_assert_eq(*(uint64_t *)v, m->v[i]);
        i++;
    }
    cr_assert_eq(i, m->n);
    idtree_seek(&it, t, IDT_LAST, sid(0, 0));
    while (idtree_prev(&it, &id, NULL)) {
        cr_assert_gt(i, 0);
        i--;
        cr_assert_eq(stream_id_cmp(id, m->k[i]), 0);
    }
    cr_assert_eq(i, 0);
}

/* Expected result of a seek in the model: index or -1. */
static long m_seek(const model *m, int op, stream_id k)
{
    size_t lo = m_lower(m, k);
    int eq = lo < m->n && stream_id_cmp(m->k[lo], k) == 0;
    switch (op) {
    case IDT_GE:
        return lo < m->n ? (long)lo : -1;
    case IDT_GT: {
        size_t i = eq ? lo + 1 : lo;
        return i < m->n ? (long)i : -1;
    }
    case IDT_LE:
        return eq ? (long)lo : (long)lo - 1;
    case IDT_LT:
        return (long)lo - 1;
    }
    return -1;
}

static void check_seek(idtree *t, const model *m, int op, stream_id k)
{
    idtree_iter it;
    stream_id got;
    idtree_seek(&it, t, op, k);
    long want = m_seek(m, op, k);
    int forward = op == IDT_GE || op == IDT_GT;
    int ok = forward ? idtree_next(&it, &got, NULL) : idtree_prev(&it, &got, NULL);
    if (want < 0) {
        cr_assert_eq(ok, 0, "seek op %d (%lu-%lu) found something", op, (unsigned long)k.ms,
                     (unsigned long)k.seq);
    } else {
        cr_assert_eq(ok, 1, "seek op %d found nothing", op);
        cr_assert_eq(stream_id_cmp(got, m->k[want]), 0);
    }
}

/* ---- tests ---------------------------------------------------------------- */

Test(idtree, empty)
{
    idtree *t = idtree_new(24);
    idtree_iter it;
    stream_id id;
    cr_assert_eq(idtree_size(t), 0);
    cr_assert_null(idtree_find(t, sid(1, 1)));
    cr_assert_eq(idtree_first(t, &id), 0);
    cr_assert_eq(idtree_last(t, &id), 0);
    cr_assert_eq(idtree_remove(t, sid(1, 1), NULL), 0);
    idtree_seek(&it, t, IDT_GE, sid(0, 0));
    cr_assert_eq(idtree_next(&it, &id, NULL), 0);
    cr_assert_eq(idtree_verify(t), 0);
    idtree_free(t);
}

Test(idtree, insert_find_remove_values)
{
    idtree *t = idtree_new(24);
    int existed;
    uint64_t *v = idtree_insert(t, sid(5, 0), &existed);
    cr_assert_eq(existed, 0);
    cr_assert_eq(v[0], 0);
    cr_assert_eq(v[1], 0);
    cr_assert_eq(v[2], 0);
    v[0] = 11;
    v[1] = 22;
    v[2] = 33;
    v = idtree_insert(t, sid(5, 0), &existed);
    cr_assert_eq(existed, 1);
    cr_assert_eq(v[1], 22);
    uint64_t out[3];
    cr_assert_eq(idtree_remove(t, sid(5, 0), out), 1);
    cr_assert_eq(out[0], 11);
    cr_assert_eq(out[2], 33);
    cr_assert_eq(idtree_size(t), 0);
    cr_assert_eq(idtree_verify(t), 0);
    idtree_free(t);
}

Test(idtree, extreme_ids)
{
    idtree *t = idtree_new(0);
    stream_id lo = sid(0, 0), hi = sid(UINT64_MAX, UINT64_MAX);
    stream_id mid1 = sid(0, UINT64_MAX), mid2 = sid(1, 0), mid3 = sid(UINT64_MAX, 0);
    idtree_insert(t, hi, NULL);
    idtree_insert(t, mid2, NULL);
    idtree_insert(t, lo, NULL);
    idtree_insert(t, mid3, NULL);
    idtree_insert(t, mid1, NULL);
    stream_id f, l;
    cr_assert(idtree_first(t, &f));
    cr_assert(idtree_last(t, &l));
    cr_assert_eq(stream_id_cmp(f, lo), 0);
    cr_assert_eq(stream_id_cmp(l, hi), 0);
    cr_assert_not_null(idtree_find(t, mid1));
    idtree_iter it;
    stream_id got;
    idtree_seek(&it, t, IDT_GT, mid1);
    cr_assert(idtree_next(&it, &got, NULL));
    cr_assert_eq(stream_id_cmp(got, mid2), 0);
    idtree_seek(&it, t, IDT_LT, mid2);
    cr_assert(idtree_prev(&it, &got, NULL));
    cr_assert_eq(stream_id_cmp(got, mid1), 0);
    idtree_seek(&it, t, IDT_GT, hi);
    cr_assert_eq(idtree_next(&it, &got, NULL), 0);
    idtree_seek(&it, t, IDT_LT, lo);
    cr_assert_eq(idtree_prev(&it, &got, NULL), 0);
    cr_assert_eq(idtree_verify(t), 0);
    idtree_free(t);
}

/* A PEL filled in ID order packs its leaves full; acked in order it empties
 * from the left without ever rebalancing full leaves. */
Test(idtree, sequential_fill_is_dense)
{
    for (size_t vs = 0; vs <= 24; vs += 24) {
        idtree *t = idtree_new(vs);
        size_t n = vs ? 200000 : 600000; /* 600k keys: three levels */
        for (size_t i = 0; i < n; i++) {
            uint64_t *v = idtree_insert(t, sid(1000 + i / 7, i % 7), NULL);
            if (vs)
                v[0] = i;
        }
        cr_assert_eq(idtree_verify(t), 0);
        double per = (double)idtree_mem(t) / (double)n;
        double ideal = 16.0 + (double)vs;
        cr_assert_lt(per, ideal * 1.08, "vsize %zu: %.2f bytes per key", vs, per);
        for (size_t i = 0; i < n; i++) {
            cr_assert_eq(idtree_remove(t, sid(1000 + i / 7, i % 7), NULL), 1);
            if (i % 9973 == 0)
                cr_assert_eq(idtree_verify(t), 0);
        }
        cr_assert_eq(idtree_size(t), 0);
        cr_assert_eq(idtree_verify(t), 0);
        idtree_free(t);
    }
}

static uint64_t rng_state = 88172645463325252ull;
static uint64_t rnd(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

static stream_id random_key(int dist)
{
    switch (dist) {
    case 0:
        return sid(rnd() % 50, rnd() % 50); /* dense, many collisions */
    case 1:
        return sid(rnd() % 100000, 0);
    default:
        return sid(rnd(), rnd()); /* full range */
    }
}

static void random_run(size_t vsize, int dist, int ops)
{
    idtree *t = idtree_new(vsize);
    model m = {0};
    for (int op = 0; op < ops; op++) {
        uint64_t r = rnd() % 100;
        stream_id k = random_key(dist);
        if (r < 55) {
            int existed;
            void *v = idtree_insert(t, k, &existed);
            int added = m_insert(&m, k, val_of(k));
            cr_assert_eq(existed, !added);
            if (vsize >= 8 && added)
                *(uint64_t *)v = val_of(k);
        } else if (r < 90) {
            /* remove an existing key most of the time */
            if (m.n && rnd() % 4)
                k = m.k[rnd() % m.n];
            uint64_t out[3] = {0};
            int removed = idtree_remove(t, k, vsize ? out : NULL);
            cr_assert_eq(removed, m_remove(&m, k));
            if (removed && vsize >= 8)
                cr_assert_eq(out[0], val_of(k));
        } else if (r < 97) {
            check_seek(t, &m, IDT_GE + (int)(rnd() % 4), k);
        } else {
            void *v = idtree_find(t, k);
            size_t i = m_lower(&m, k);
            int present = i < m.n && stream_id_cmp(m.k[i], k) == 0;
            cr_assert_eq(v != NULL, present);
        }
        if (op % 4999 == 0)
            expect_same(t, &m, vsize);
    }
    expect_same(t, &m, vsize);
    /* drain in random order */
    while (m.n) {
        stream_id k = m.k[rnd() % m.n];
        cr_assert_eq(idtree_remove(t, k, NULL), 1);
        m_remove(&m, k);
        if (m.n % 4999 == 0)
            expect_same(t, &m, vsize);
    }
    expect_same(t, &m, vsize);
    idtree_free(t);
    m_free(&m);
}

Test(idtree, random_against_model_dense)
{
    random_run(8, 0, 60000);
    random_run(0, 0, 30000);
}

Test(idtree, random_against_model_wide)
{
    random_run(24, 1, 150000);
    random_run(0, 2, 150000);
}

static int cmp_sid(const void *a, const void *b)
{
    return stream_id_cmp(*(const stream_id *)a, *(const stream_id *)b);
}

/* Keep the model entries for which keep[i] is set (O(n)). */
static void m_filter(model *m, const char *keep)
{
    size_t w = 0;
    for (size_t i = 0; i < m->n; i++) {
        if (keep[i]) {
            m->k[w] = m->k[i];
            m->v[w] = m->v[i];
            w++;
        }
    }
    m->n = w;
}

/* Grow to many levels, then bulk-remove ranges so inner nodes merge. */
Test(idtree, bulk_build_and_range_removal)
{
    idtree *t = idtree_new(8);
    model m = {0};
    size_t n = 300000;
    m.cap = n;
    m.k = malloc(n * sizeof(*m.k));
    m.v = malloc(n * sizeof(*m.v));
    for (uint64_t i = 0; i < n; i++) {
        stream_id k = sid(i * 3 % 300007, i);
        *(uint64_t *)idtree_insert(t, k, NULL) = val_of(k);
        m.k[m.n++] = k;
    }
    qsort(m.k, m.n, sizeof(*m.k), cmp_sid);
    for (size_t i = 0; i < m.n; i++)
        m.v[i] = val_of(m.k[i]);
    expect_same(t, &m, 8);
    /* remove every key in the middle third, then every other key */
    char *keep = malloc(m.n);
    size_t a = m.n / 3, b = 2 * m.n / 3;
    for (size_t i = 0; i < m.n; i++) {
        keep[i] = i < a || i >= b;
        if (!keep[i])
            cr_assert_eq(idtree_remove(t, m.k[i], NULL), 1);
    }
    m_filter(&m, keep);
    expect_same(t, &m, 8);
    for (size_t i = 0; i < m.n; i++) {
        keep[i] = i % 2;
        if (!keep[i])
            cr_assert_eq(idtree_remove(t, m.k[i], NULL), 1);
    }
    m_filter(&m, keep);
    free(keep);
    expect_same(t, &m, 8);
    for (int i = 0; i < 2000; i++)
        check_seek(t, &m, IDT_GE + (int)(rnd() % 4), random_key(2));
    idtree_free(t);
    m_free(&m);
}
