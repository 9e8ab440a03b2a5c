/* test_qlist.c - Criterion unit tests for src/ds/qlist.c.
 *
 * Most tests check the structure with qlist_verify after every step and
 * compare against a plain array-of-strings model. The randomized test runs
 * thousands of mixed operations (push, pop, index, LSET, LINSERT, LREM,
 * LTRIM, del_range, iteration) per fill setting with a fixed seed. */
#define _DEFAULT_SOURCE
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ds/qlist.h"

/* ---- reference model ---------------------------------------------------- */

typedef struct {
    char *p;
    size_t len;
} mstr;

typedef struct {
    mstr *v;
    size_t len, cap;
} model;

static void m_insert(model *m, size_t at, const char *p, size_t len)
{
    if (m->len == m->cap) {
        m->cap = m->cap ? m->cap * 2 : 16;
        m->v = realloc(m->v, m->cap * sizeof(*m->v));
    }
    memmove(m->v + at + 1, m->v + at, (m->len - at) * sizeof(*m->v));
    m->v[at].p = malloc(len ? len : 1);
    if (len)
        memcpy(m->v[at].p, p, len);
    m->v[at].len = len;
    m->len++;
}

static void m_delete(model *m, size_t at)
{
    free(m->v[at].p);
    memmove(m->v + at, m->v + at + 1, (m->len - at - 1) * sizeof(*m->v));
    m->len--;
}

static void m_free(model *m)
{
    while (m->len)
        m_delete(m, m->len - 1);
    free(m->v);
    m->v = NULL;
    m->cap = 0;
}

static int m_eq(const mstr *s, const char *p, size_t len)
{
    return s->len == len && (len == 0 || memcmp(s->p, p, len) == 0);
}

static void assert_elem(const qlist_elem *e, const char *p, size_t len)
{
    cr_assert_eq(e->len, len, "length %zu, expected %zu", e->len, len);
    cr_assert(len == 0 || memcmp(e->p, p, len) == 0, "content differs (len %zu)", len);
}

/* Full comparison: structure, length, forward and backward iteration. */
static void expect_model(qlist *ql, const model *m)
{
    qlist_iter it;
    qlist_elem e;
    size_t k = 0;

    cr_assert_eq(qlist_verify(ql), 0, "qlist_verify failed");
    cr_assert_eq(qlist_len(ql), m->len);
    qlist_iter_init(&it, ql, 0, 1);
    while (qlist_iter_next(&it, &e)) {
        cr_assert_lt(k, m->len);
        assert_elem(&e, m->v[k].p, m->v[k].len);
        k++;
    }
    cr_assert_eq(k, m->len);
    qlist_iter_init(&it, ql, -1, 0);
    while (qlist_iter_next(&it, &e)) {
        cr_assert_gt(k, 0);
        k--;
        assert_elem(&e, m->v[k].p, m->v[k].len);
    }
    cr_assert_eq(k, 0);
}

static void push_str(qlist *ql, int where, const char *s)
{
    qlist_push(ql, where, s, strlen(s));
}

static void fill_model_ints(qlist *ql, model *m, int n)
{
    char buf[32];
    for (int i = 0; i < n; i++) {
        int len = snprintf(buf, sizeof(buf), "v%d", i);
        qlist_push(ql, QL_TAIL, buf, (size_t)len);
        m_insert(m, m->len, buf, (size_t)len);
    }
}

/* ---- basic operations --------------------------------------------------- */

Test(qlist, empty)
{
    qlist *ql = qlist_new(-2);
    qlist_elem e;
    qlist_iter it;

    cr_assert_eq(qlist_len(ql), 0);
    cr_assert_eq(qlist_chunk_count(ql), 0);
    cr_assert_eq(qlist_peek(ql, QL_HEAD, &e), -1);
    cr_assert_eq(qlist_peek(ql, QL_TAIL, &e), -1);
    cr_assert_eq(qlist_index(ql, 0, &e), -1);
    cr_assert_eq(qlist_index(ql, -1, &e), -1);
    cr_assert_eq(qlist_replace(ql, 0, "x", 1), -1);
    cr_assert_eq(qlist_del_range(ql, 0, 10), 0);
    qlist_pop(ql, QL_HEAD);
    qlist_pop(ql, QL_TAIL);
    qlist_iter_init(&it, ql, 0, 1);
    cr_assert_eq(qlist_iter_next(&it, &e), 0);
    cr_assert_eq(qlist_verify(ql), 0);
    qlist_free(ql);
}

static void push_pop_both_ends(int fill)
{
    qlist *ql = qlist_new(fill);
    qlist_elem e;
    char buf[32];
    const int n = 3000;

    for (int i = 0; i < n; i++) {
        int len = snprintf(buf, sizeof(buf), "%d", i);
        qlist_push(ql, i % 2 ? QL_HEAD : QL_TAIL, buf, (size_t)len);
    }
    cr_assert_eq(qlist_verify(ql), 0);
    cr_assert_eq(qlist_len(ql), (size_t)n);
    /* head holds the odd numbers descending, tail the even ones descending */
    for (int i = n - 1; i >= 1; i -= 2) {
        int len = snprintf(buf, sizeof(buf), "%d", i);
        cr_assert_eq(qlist_peek(ql, QL_HEAD, &e), 0);
        assert_elem(&e, buf, (size_t)len);
        qlist_pop(ql, QL_HEAD);
        len = snprintf(buf, sizeof(buf), "%d", i - 1);
        cr_assert_eq(qlist_peek(ql, QL_TAIL, &e), 0);
        assert_elem(&e, buf, (size_t)len);
        qlist_pop(ql, QL_TAIL);
        if (i % 101 == 0)
            cr_assert_eq(qlist_verify(ql), 0);
    }
    cr_assert_eq(qlist_len(ql), 0);
    cr_assert_eq(qlist_chunk_count(ql), 0);
    cr_assert_eq(qlist_verify(ql), 0);
    qlist_free(ql);
}

Test(qlist, push_pop_both_ends)
{
    int fills[] = {-1, -2, -5, 0, 1, 2, 7, 128};
    for (size_t f = 0; f < sizeof(fills) / sizeof(*fills); f++)
        push_pop_both_ends(fills[f]);
}

Test(qlist, fifo_queue_pattern)
{
    /* LPUSH + RPOP keeps the list around 500 elements for 200k ops */
    qlist *ql = qlist_new(-2);
    qlist_elem e;
    char buf[32];
    long next_pop = 0;

    for (long i = 0; i < 200000; i++) {
        int len = snprintf(buf, sizeof(buf), "job-%ld", i);
        qlist_push(ql, QL_HEAD, buf, (size_t)len);
        if (i >= 500) {
            len = snprintf(buf, sizeof(buf), "job-%ld", next_pop++);
            cr_assert_eq(qlist_peek(ql, QL_TAIL, &e), 0);
            assert_elem(&e, buf, (size_t)len);
            qlist_pop(ql, QL_TAIL);
        }
    }
    cr_assert_eq(qlist_verify(ql), 0);
    cr_assert_eq(qlist_len(ql), 500);
    cr_assert_leq(qlist_chunk_count(ql), 4);
    cr_assert_leq(qlist_mem(ql), 24 * 1024);
    qlist_free(ql);
}

Test(qlist, index_positive_and_negative)
{
    int fills[] = {-2, 3};
    for (size_t f = 0; f < 2; f++) {
        qlist *ql = qlist_new(fills[f]);
        model m = {0};
        qlist_elem e;
        fill_model_ints(ql, &m, 1000);
        for (long i = 0; i < 1000; i++) {
            cr_assert_eq(qlist_index(ql, i, &e), 0);
            assert_elem(&e, m.v[i].p, m.v[i].len);
            cr_assert_eq(qlist_index(ql, -1 - i, &e), 0);
            assert_elem(&e, m.v[999 - i].p, m.v[999 - i].len);
        }
        cr_assert_eq(qlist_index(ql, 1000, &e), -1);
        cr_assert_eq(qlist_index(ql, -1001, &e), -1);
        cr_assert_eq(qlist_index(ql, (long)(~0UL >> 1), &e), -1);
        cr_assert_eq(qlist_index(ql, -(long)(~0UL >> 1) - 1, &e), -1);
        m_free(&m);
        qlist_free(ql);
    }
}

Test(qlist, replace)
{
    qlist *ql = qlist_new(-1);
    model m = {0};
    static char big[9000], huge[70000];
    fill_model_ints(ql, &m, 600);
    memset(big, 'b', sizeof(big));
    memset(huge, 'h', sizeof(huge));

    struct {
        long idx;
        const char *p;
        size_t len;
    } cases[] = {
        {0, "first", 5},       {-1, "last", 4},     {300, "", 0},
        {301, big, 200},       {302, big, 3000},    {10, big, sizeof(big)},
        {-5, huge, 70000},     {10, "small", 5},    {-5, "tiny", 4},
        {150, big, 4000},      {151, big, 4000},    {152, big, 4000},
        {599, huge, 100000 / 2}, {0, big, 4090},    {1, "x", 1},
    };
    for (size_t k = 0; k < sizeof(cases) / sizeof(*cases); k++) {
        long idx = cases[k].idx;
        size_t at = idx < 0 ? (size_t)((long)m.len + idx) : (size_t)idx;
        cr_assert_eq(qlist_replace(ql, idx, cases[k].p, cases[k].len), 0);
        m_delete(&m, at);
        m_insert(&m, at, cases[k].p, cases[k].len);
        expect_model(ql, &m);
    }
    cr_assert_eq(qlist_replace(ql, 600, "x", 1), -1);
    cr_assert_eq(qlist_replace(ql, -601, "x", 1), -1);
    m_free(&m);
    qlist_free(ql);
}

Test(qlist, replace_single_plain)
{
    qlist *ql = qlist_new(-2);
    static char huge[20000];
    qlist_elem e;
    memset(huge, 'z', sizeof(huge));
    qlist_push(ql, QL_TAIL, huge, sizeof(huge));
    cr_assert_eq(qlist_replace(ql, 0, "a", 1), 0);
    cr_assert_eq(qlist_len(ql), 1);
    cr_assert_eq(qlist_index(ql, 0, &e), 0);
    assert_elem(&e, "a", 1);
    cr_assert_eq(qlist_replace(ql, -1, huge, sizeof(huge)), 0);
    cr_assert_eq(qlist_index(ql, 0, &e), 0);
    assert_elem(&e, huge, sizeof(huge));
    cr_assert_eq(qlist_verify(ql), 0);
    qlist_free(ql);
}

/* ---- LINSERT ------------------------------------------------------------ */

/* LINSERT-like: insert before/after the first element equal to pivot. */
static int linsert(qlist *ql, model *m, int after, const char *pivot, const char *p,
                   size_t len)
{
    qlist_iter it;
    qlist_elem e;
    size_t k = 0;
    qlist_iter_init(&it, ql, 0, 1);
    while (qlist_iter_next(&it, &e)) {
        if (qlist_elem_eq(&e, pivot, strlen(pivot))) {
            qlist_iter_insert(&it, after, p, len);
            m_insert(m, k + (after ? 1 : 0), p, len);
            return 1;
        }
        k++;
    }
    return 0;
}

Test(qlist, insert_before_after_and_split)
{
    qlist *ql = qlist_new(4);
    model m = {0};
    char pivot[32], val[32];
    fill_model_ints(ql, &m, 40);
    cr_assert_eq(qlist_chunk_count(ql), 10);

    /* every chunk is full: inserting in the middle must split */
    cr_assert(linsert(ql, &m, 0, "v1", "A", 1));
    expect_model(ql, &m);
    cr_assert(linsert(ql, &m, 1, "v6", "B", 1));
    expect_model(ql, &m);
    cr_assert_gt(qlist_chunk_count(ql), 10);
    /* at chunk borders: before the first, after the last of a chunk */
    cr_assert(linsert(ql, &m, 0, "v0", "C", 1));
    cr_assert(linsert(ql, &m, 1, "v39", "D", 1));
    cr_assert(linsert(ql, &m, 1, "v11", "E", 1));
    cr_assert(linsert(ql, &m, 0, "v12", "F", 1));
    expect_model(ql, &m);
    cr_assert_eq(linsert(ql, &m, 0, "nope", "G", 1), 0);
    for (int i = 0; i < 40; i++) {
        snprintf(pivot, sizeof(pivot), "v%d", (i * 7) % 40);
        snprintf(val, sizeof(val), "ins%d", i);
        cr_assert(linsert(ql, &m, i % 2, pivot, val, strlen(val)));
        expect_model(ql, &m);
    }
    m_free(&m);
    qlist_free(ql);
}

Test(qlist, insert_into_full_byte_limited_chunk)
{
    qlist *ql = qlist_new(-1);
    model m = {0};
    char val[100];
    size_t chunks;
    memset(val, 'q', sizeof(val));
    for (int i = 0; i < 200; i++) {
        val[0] = (char)('0' + i % 10);
        val[1] = (char)('0' + i / 10 % 10);
        val[2] = (char)('0' + i / 100);
        qlist_push(ql, QL_TAIL, val, sizeof(val));
        m_insert(&m, m.len, val, sizeof(val));
    }
    chunks = qlist_chunk_count(ql);
    cr_assert_geq(chunks, 5); /* 4 KiB chunks, 102-byte entries */
    for (int i = 0; i < 50; i++) {
        qlist_iter it;
        qlist_elem e;
        qlist_iter_init(&it, ql, 17 + i * 3, 1);
        cr_assert(qlist_iter_next(&it, &e));
        qlist_iter_insert(&it, i % 2, val, 50 + (size_t)i);
        m_insert(&m, (size_t)(17 + i * 3 + i % 2), val, 50 + (size_t)i);
        expect_model(ql, &m);
    }
    cr_assert_gt(qlist_chunk_count(ql), chunks);
    cr_assert_leq(qlist_mem(ql) / qlist_chunk_count(ql), 4096 + 16);
    m_free(&m);
    qlist_free(ql);
}

Test(qlist, insert_large_in_middle)
{
    qlist *ql = qlist_new(-2);
    model m = {0};
    static char huge[100000];
    memset(huge, 'H', sizeof(huge));
    fill_model_ints(ql, &m, 300);
    cr_assert(linsert(ql, &m, 0, "v150", huge, sizeof(huge)));
    expect_model(ql, &m);
    cr_assert(linsert(ql, &m, 1, "v150", huge, 1234));
    expect_model(ql, &m);
    m_free(&m);
    qlist_free(ql);
}

/* ---- LREM via the iterator ---------------------------------------------- */

/* LREM semantics: count > 0 from the head, < 0 from the tail, 0 all. */
static size_t lrem(qlist *ql, model *m, long count, const char *p, size_t len)
{
    qlist_iter it;
    qlist_elem e;
    size_t removed = 0, limit = count < 0 ? (size_t)-count : (size_t)count;
    int forward = count >= 0;

    qlist_iter_init(&it, ql, forward ? 0 : -1, forward);
    while (qlist_iter_next(&it, &e)) {
        if (qlist_elem_eq(&e, p, len)) {
            qlist_iter_del(&it);
            removed++;
            if (limit && removed == limit)
                break;
        }
    }
    /* the model: same removals */
    size_t done = 0;
    if (forward) {
        for (size_t k = 0; k < m->len && (!limit || done < limit);) {
            if (m_eq(&m->v[k], p, len)) {
                m_delete(m, k);
                done++;
            } else {
                k++;
            }
        }
    } else {
        for (size_t k = m->len; k > 0 && done < limit; k--) {
            if (m_eq(&m->v[k - 1], p, len)) {
                m_delete(m, k - 1);
                done++;
            }
        }
    }
    cr_assert_eq(removed, done);
    return removed;
}

Test(qlist, iter_del_forward_and_backward)
{
    int fills[] = {-2, 3, 1};
    for (size_t f = 0; f < 3; f++) {
        qlist *ql = qlist_new(fills[f]);
        model m = {0};
        for (int i = 0; i < 2000; i++) {
            const char *v = i % 3 == 0 ? "x" : (i % 5 == 0 ? "yy" : "other");
            push_str(ql, QL_TAIL, v);
            m_insert(&m, m.len, v, strlen(v));
        }
        cr_assert_eq(lrem(ql, &m, 5, "x", 1), 5);
        expect_model(ql, &m);
        cr_assert_eq(lrem(ql, &m, -7, "x", 1), 7);
        expect_model(ql, &m);
        cr_assert_eq(lrem(ql, &m, -1000, "yy", 2), 266);
        expect_model(ql, &m);
        cr_assert_eq(lrem(ql, &m, 0, "x", 1), 655);
        expect_model(ql, &m);
        cr_assert_eq(lrem(ql, &m, 0, "other", 5), 1067);
        expect_model(ql, &m);
        cr_assert_eq(qlist_len(ql), 0);
        m_free(&m);
        qlist_free(ql);
    }
}

Test(qlist, iter_del_merges_chunks)
{
    qlist *ql = qlist_new(-1);
    model m = {0};
    char val[40];
    size_t before;
    memset(val, 'k', sizeof(val));
    for (int i = 0; i < 5000; i++) {
        const char *p = i % 10 ? "drop" : val;
        size_t len = i % 10 ? 4 : sizeof(val);
        qlist_push(ql, QL_TAIL, p, len);
        m_insert(&m, m.len, p, len);
    }
    before = qlist_chunk_count(ql);
    lrem(ql, &m, 0, "drop", 4);
    expect_model(ql, &m);
    /* 500 x 42 bytes = 21000 bytes: 6 chunks of 4 KiB at best, and no two
     * neighbours could share a chunk */
    cr_assert_leq(qlist_chunk_count(ql), 10, "chunks %zu (was %zu)", qlist_chunk_count(ql),
                  before);
    m_free(&m);
    qlist_free(ql);
}

Test(qlist, iter_del_then_continue_backward_across_chunks)
{
    qlist *ql = qlist_new(2);
    model m = {0};
    qlist_iter it;
    qlist_elem e;
    size_t k;
    fill_model_ints(ql, &m, 21);
    /* delete every element walking backwards, checking each one */
    qlist_iter_init(&it, ql, -1, 0);
    k = m.len;
    while (qlist_iter_next(&it, &e)) {
        k--;
        assert_elem(&e, m.v[k].p, m.v[k].len);
        if (k % 2 == 0) {
            qlist_iter_del(&it);
            qlist_iter_del(&it); /* a second call is a no-op */
            m_delete(&m, k);
        }
    }
    cr_assert_eq(k, 0);
    expect_model(ql, &m);
    m_free(&m);
    qlist_free(ql);
}

/* ---- del_range / LTRIM -------------------------------------------------- */

static void m_del_range(model *m, long start, long count)
{
    size_t k, n;
    if (count <= 0)
        return;
    if (start < 0)
        start += (long)m->len;
    if (start < 0 || (size_t)start >= m->len)
        return;
    k = (size_t)start;
    n = (size_t)count < m->len - k ? (size_t)count : m->len - k;
    while (n--)
        m_delete(m, k);
}

/* Redis ltrimCommand's arithmetic on top of del_range. */
static void ltrim(qlist *ql, model *m, long start, long end)
{
    long llen = (long)qlist_len(ql), lt, rt;
    if (start < 0)
        start += llen;
    if (end < 0)
        end += llen;
    if (start < 0)
        start = 0;
    if (start > end || start >= llen) {
        lt = llen;
        rt = 0;
    } else {
        if (end >= llen)
            end = llen - 1;
        lt = start;
        rt = llen - end - 1;
    }
    qlist_del_range(ql, 0, lt);
    qlist_del_range(ql, -rt, rt);
    m_del_range(m, 0, lt);
    m_del_range(m, -rt, rt);
}

Test(qlist, del_range_semantics)
{
    struct {
        long start, count;
        size_t removed;
    } cases[] = {
        {0, 0, 0},   {0, -3, 0},  {100, 5, 0},  {-101, 5, 0}, {-3, 10, 3},
        {95, 10, 5}, {0, 10, 10}, {10, 20, 20}, {-1, 1, 1},   {50, 1, 1},
    };
    qlist *ql = qlist_new(4);
    model m = {0};
    fill_model_ints(ql, &m, 100);
    for (size_t k = 0; k < sizeof(cases) / sizeof(*cases); k++) {
        size_t before = qlist_len(ql);
        size_t got = qlist_del_range(ql, cases[k].start, cases[k].count);
        m_del_range(&m, cases[k].start, cases[k].count);
        cr_assert_eq(got, before - m.len, "case %zu", k);
        if (k < 4)
            cr_assert_eq(got, cases[k].removed, "case %zu", k);
        expect_model(ql, &m);
    }
    size_t rest = qlist_len(ql);
    cr_assert_eq(qlist_del_range(ql, 0, 1000), rest);
    cr_assert_eq(qlist_len(ql), 0);
    m_free(&m);
    qlist_free(ql);
}

Test(qlist, ltrim)
{
    long ranges[][2] = {{0, -1}, {1, -2}, {5, 1000}, {-500, -20}, {100, 50}, {3, 3},
                        {0, 0},  {-1, -1}};
    int fills[] = {-2, -1, 3};
    for (size_t f = 0; f < 3; f++) {
        for (size_t r = 0; r < sizeof(ranges) / sizeof(*ranges); r++) {
            qlist *ql = qlist_new(fills[f]);
            model m = {0};
            fill_model_ints(ql, &m, 3000);
            ltrim(ql, &m, ranges[r][0], ranges[r][1]);
            expect_model(ql, &m);
            m_free(&m);
            qlist_free(ql);
        }
    }
}

Test(qlist, ltrim_large_list_frees_chunks)
{
    qlist *ql = qlist_new(-2);
    model m = {0};
    size_t mem_before;
    fill_model_ints(ql, &m, 100000);
    mem_before = qlist_mem(ql);
    ltrim(ql, &m, 50000, 50009);
    expect_model(ql, &m);
    cr_assert_eq(qlist_len(ql), 10);
    cr_assert_eq(qlist_chunk_count(ql), 1);
    cr_assert_lt(qlist_mem(ql), 512, "mem %zu (was %zu)", qlist_mem(ql), mem_before);
    m_free(&m);
    qlist_free(ql);
}

/* ---- iteration ---------------------------------------------------------- */

Test(qlist, iterate_across_chunks_from_every_start)
{
    qlist *ql = qlist_new(3);
    model m = {0};
    fill_model_ints(ql, &m, 40);
    for (long s = -45; s < 45; s++) {
        for (int fwd = 0; fwd < 2; fwd++) {
            qlist_iter it;
            qlist_elem e;
            long in = s < 0 ? 40 + s : s, k = in, got = 0;
            qlist_iter_init(&it, ql, s, fwd);
            while (qlist_iter_next(&it, &e)) {
                cr_assert(k >= 0 && k < 40);
                assert_elem(&e, m.v[k].p, m.v[k].len);
                k += fwd ? 1 : -1;
                got++;
            }
            if (in < 0 || in >= 40)
                cr_assert_eq(got, 0);
            else
                cr_assert_eq(got, fwd ? 40 - in : in + 1);
        }
    }
    m_free(&m);
    qlist_free(ql);
}

/* ---- big and plain elements, binary data, varint boundaries -------------- */

Test(qlist, huge_elements)
{
    size_t sizes[] = {4096, 8192, 8200, 65536, 70000, 300000, 1 << 21};
    int fills[] = {-1, -2, -5, 5};
    for (size_t f = 0; f < 4; f++) {
        qlist *ql = qlist_new(fills[f]);
        model m = {0};
        for (size_t k = 0; k < sizeof(sizes) / sizeof(*sizes); k++) {
            char *p = malloc(sizes[k]);
            for (size_t j = 0; j < sizes[k]; j++)
                p[j] = (char)(j * 31 + k);
            qlist_push(ql, k % 2 ? QL_HEAD : QL_TAIL, p, sizes[k]);
            m_insert(&m, k % 2 ? 0 : m.len, p, sizes[k]);
            push_str(ql, QL_TAIL, "small");
            m_insert(&m, m.len, "small", 5);
            push_str(ql, QL_HEAD, "s2");
            m_insert(&m, 0, "s2", 2);
            free(p);
            expect_model(ql, &m);
        }
        while (m.len) {
            int where = m.len % 3 ? QL_TAIL : QL_HEAD;
            qlist_elem e;
            size_t at = where == QL_HEAD ? 0 : m.len - 1;
            cr_assert_eq(qlist_peek(ql, where, &e), 0);
            assert_elem(&e, m.v[at].p, m.v[at].len);
            qlist_pop(ql, where);
            m_delete(&m, at);
        }
        expect_model(ql, &m);
        m_free(&m);
        qlist_free(ql);
    }
}

Test(qlist, plain_threshold)
{
    qlist *ql = qlist_new(-2);
    model m = {0};
    const char *strs[] = {"hello1", "hello2", "h3", "h4", "hello5"};
    cr_assert_eq(qlist_set_packed_threshold(ql, 3), 0);
    for (int i = 0; i < 5; i++) {
        push_str(ql, QL_HEAD, strs[i]);
        m_insert(&m, 0, strs[i], strlen(strs[i]));
    }
    expect_model(ql, &m);
    /* hello5 | h4 h3 | hello2 | hello1: the short ones share a chunk */
    cr_assert_eq(qlist_chunk_count(ql), 4);
    cr_assert(linsert(ql, &m, 1, "hello2", "ab", 2));
    cr_assert(linsert(ql, &m, 0, "hello2", "abcdef", 6));
    expect_model(ql, &m);
    lrem(ql, &m, 0, "hello2", 6);
    expect_model(ql, &m);
    cr_assert_eq(qlist_replace(ql, 0, "x", 1), 0);
    m_delete(&m, 0);
    m_insert(&m, 0, "x", 1);
    expect_model(ql, &m);
    cr_assert_eq(qlist_set_packed_threshold(ql, ((size_t)1 << 32)), -1);
    cr_assert_eq(qlist_set_packed_threshold(ql, 0), 0);
    m_free(&m);
    qlist_free(ql);
}

Test(qlist, binary_data_with_nuls)
{
    qlist *ql = qlist_new(-2);
    const char a[] = {'\0', 'a', '\0', '\xff', '\x80', '\0'};
    const char b[] = {'\0'};
    qlist_elem e;
    qlist_push(ql, QL_TAIL, a, sizeof(a));
    qlist_push(ql, QL_HEAD, b, sizeof(b));
    qlist_push(ql, QL_TAIL, "", 0);
    cr_assert_eq(qlist_index(ql, 0, &e), 0);
    assert_elem(&e, b, 1);
    cr_assert_eq(qlist_index(ql, 1, &e), 0);
    assert_elem(&e, a, sizeof(a));
    cr_assert(qlist_elem_eq(&e, a, sizeof(a)));
    cr_assert_not(qlist_elem_eq(&e, a, 2));
    cr_assert_eq(qlist_index(ql, 2, &e), 0);
    cr_assert_eq(e.len, 0);
    cr_assert(qlist_elem_eq(&e, "zzz", 0));
    cr_assert_eq(qlist_verify(ql), 0);
    qlist_free(ql);
}

Test(qlist, varint_length_boundaries)
{
    size_t lens[] = {0, 1, 126, 127, 128, 129, 16383, 16384, 16385, 65000, 70000};
    int fills[] = {-5, -2, -1, 100};
    for (size_t f = 0; f < 4; f++) {
        qlist *ql = qlist_new(fills[f]);
        model m = {0};
        for (int round = 0; round < 3; round++) {
            for (size_t k = 0; k < sizeof(lens) / sizeof(*lens); k++) {
                char *p = malloc(lens[k] + 1);
                for (size_t j = 0; j < lens[k]; j++)
                    p[j] = (char)(j ^ (k << 3) ^ (size_t)round);
                int where = (int)((k + (size_t)round) % 2);
                qlist_push(ql, where, p, lens[k]);
                m_insert(&m, where == QL_HEAD ? 0 : m.len, p, lens[k]);
                free(p);
            }
            expect_model(ql, &m);
        }
        for (size_t k = 0; k < m.len; k++) {
            qlist_elem e;
            cr_assert_eq(qlist_index(ql, (long)k, &e), 0);
            assert_elem(&e, m.v[k].p, m.v[k].len);
        }
        m_free(&m);
        qlist_free(ql);
    }
}

/* ---- fill settings -------------------------------------------------------- */

Test(qlist, fill_positive_counts_elements)
{
    qlist *ql = qlist_new(5);
    model m = {0};
    fill_model_ints(ql, &m, 1000);
    cr_assert_eq(qlist_chunk_count(ql), 200);
    m_free(&m);
    qlist_free(ql);

    ql = qlist_new(0); /* like Redis: one element per chunk */
    fill_model_ints(ql, &m, 10);
    cr_assert_eq(qlist_chunk_count(ql), 10);
    expect_model(ql, &m);
    m_free(&m);
    qlist_free(ql);
}

Test(qlist, fill_positive_respects_8k_safety)
{
    qlist *ql = qlist_new(1000);
    char val[1000];
    memset(val, 'v', sizeof(val));
    for (int i = 0; i < 100; i++)
        qlist_push(ql, QL_TAIL, val, sizeof(val));
    /* 8 KiB chunks hold 8 entries of 1004 bytes, not 1000 elements */
    cr_assert_geq(qlist_chunk_count(ql), 13);
    cr_assert_leq(qlist_mem(ql) / qlist_chunk_count(ql), 8192 + 16);
    cr_assert_eq(qlist_verify(ql), 0);
    qlist_free(ql);
}

Test(qlist, fill_negative_limits_bytes)
{
    size_t limits[] = {4096, 8192, 16384, 32768, 65536};
    for (int f = -1; f >= -5; f--) {
        qlist *ql = qlist_new(f);
        char val[50];
        memset(val, 'n', sizeof(val));
        for (int i = 0; i < 20000; i++)
            qlist_push(ql, i % 2 ? QL_HEAD : QL_TAIL, val, sizeof(val));
        size_t per = qlist_mem(ql) / qlist_chunk_count(ql);
        size_t limit = limits[-f - 1];
        cr_assert_leq(per, limit + 16, "fill %d: %zu bytes per chunk", f, per);
        cr_assert_geq(per, limit * 3 / 4, "fill %d: %zu bytes per chunk", f, per);
        cr_assert_eq(qlist_verify(ql), 0);
        qlist_free(ql);
    }
}

Test(qlist, fill_clamped_and_changed)
{
    qlist *ql = qlist_new(-100);
    model m = {0};
    fill_model_ints(ql, &m, 30000);
    qlist_set_fill(ql, 1 << 20);
    fill_model_ints(ql, &m, 100);
    qlist_set_fill(ql, -1);
    fill_model_ints(ql, &m, 3000);
    lrem(ql, &m, 0, "v5", 2);
    ltrim(ql, &m, 10, -10);
    cr_assert(linsert(ql, &m, 1, "v7777", "new", 3));
    expect_model(ql, &m);
    m_free(&m);
    qlist_free(ql);
}

/* ---- dup ---------------------------------------------------------------- */

Test(qlist, dup_is_deep)
{
    qlist *ql = qlist_new(-2), *d;
    model m = {0};
    static char huge[50000];
    memset(huge, 'd', sizeof(huge));
    fill_model_ints(ql, &m, 2000);
    qlist_push(ql, QL_HEAD, huge, sizeof(huge));
    m_insert(&m, 0, huge, sizeof(huge));
    d = qlist_dup(ql);
    expect_model(d, &m);
    qlist_free(ql);
    expect_model(d, &m);
    qlist_push(d, QL_TAIL, "more", 4);
    m_insert(&m, m.len, "more", 4);
    expect_model(d, &m);
    m_free(&m);
    qlist_free(d);
}

/* ---- randomized against the model ---------------------------------------- */

static const char *pool[] = {"a", "bb", "", "ccc", "pivot", "zz", "\0x", "q"};
#define POOL_N (sizeof(pool) / sizeof(*pool))

static size_t pool_len(size_t k)
{
    return k == 6 ? 2 : strlen(pool[k]);
}

/* A random value: often from the pool (for LREM/LINSERT), else random bytes
 * of a skewed size. Returns a malloc'd buffer. */
static char *rand_value(size_t *len)
{
    int r = rand() % 100;
    size_t n;
    if (r < 35) {
        size_t k = (size_t)rand() % POOL_N;
        *len = pool_len(k);
        char *p = malloc(*len + 1);
        memcpy(p, pool[k], *len);
        return p;
    }
    if (r < 75)
        n = (size_t)rand() % 24;
    else if (r < 92)
        n = 24 + (size_t)rand() % 300;
    else if (r < 98)
        n = 300 + (size_t)rand() % 6000;
    else
        n = 6000 + (size_t)rand() % 70000;
    char *p = malloc(n + 1);
    for (size_t j = 0; j < n; j++)
        p[j] = (char)rand();
    *len = n;
    return p;
}

static long rand_index(size_t len)
{
    long n = (long)len + 3;
    long i = rand() % (2 * n) - n;
    return i;
}

static void random_op(qlist *ql, model *m)
{
    int op = rand() % 100;
    size_t len;
    char *v;
    qlist_elem e;

    if (op < 30) {
        int where = rand() % 2;
        v = rand_value(&len);
        qlist_push(ql, where, v, len);
        m_insert(m, where == QL_HEAD ? 0 : m->len, v, len);
        free(v);
    } else if (op < 45) {
        int where = rand() % 2;
        int r = qlist_peek(ql, where, &e);
        cr_assert_eq(r, m->len ? 0 : -1);
        if (m->len) {
            size_t at = where == QL_HEAD ? 0 : m->len - 1;
            assert_elem(&e, m->v[at].p, m->v[at].len);
            qlist_pop(ql, where);
            m_delete(m, at);
        }
    } else if (op < 55) {
        long i = rand_index(m->len);
        int r = qlist_index(ql, i, &e);
        long at = i < 0 ? (long)m->len + i : i;
        int in = at >= 0 && at < (long)m->len;
        cr_assert_eq(r, in ? 0 : -1);
        if (in)
            assert_elem(&e, m->v[at].p, m->v[at].len);
    } else if (op < 65) {
        long i = rand_index(m->len);
        long at = i < 0 ? (long)m->len + i : i;
        int in = at >= 0 && at < (long)m->len;
        v = rand_value(&len);
        cr_assert_eq(qlist_replace(ql, i, v, len), in ? 0 : -1);
        if (in) {
            m_delete(m, (size_t)at);
            m_insert(m, (size_t)at, v, len);
        }
        free(v);
    } else if (op < 75) {
        size_t k = (size_t)rand() % POOL_N;
        char pivot[8];
        memcpy(pivot, pool[k], pool_len(k));
        v = rand_value(&len);
        /* linsert() compares with strlen: use only NUL-free pivots */
        if (k != 6 && k != 2)
            linsert(ql, m, rand() % 2, pool[k], v, len);
        free(v);
    } else if (op < 84) {
        size_t k = (size_t)rand() % POOL_N;
        long count = rand() % 9 - 4;
        lrem(ql, m, count, pool[k], pool_len(k));
    } else if (op < 88) {
        long s = rand_index(m->len), c = rand() % 40 - 5;
        size_t before = m->len;
        size_t got = qlist_del_range(ql, s, c);
        m_del_range(m, s, c);
        cr_assert_eq(got, before - m->len);
    } else if (op < 90) {
        long s = rand_index(m->len), t = rand_index(m->len);
        if (rand() % 4 == 0)
            ltrim(ql, m, 1, -2);
        else
            ltrim(ql, m, s < t ? s : t, s < t ? t : s);
    } else {
        long i = rand_index(m->len);
        int fwd = rand() % 2;
        qlist_iter it;
        long at = i < 0 ? (long)m->len + i : i;
        qlist_iter_init(&it, ql, i, fwd);
        while (qlist_iter_next(&it, &e)) {
            cr_assert(at >= 0 && at < (long)m->len);
            assert_elem(&e, m->v[at].p, m->v[at].len);
            at += fwd ? 1 : -1;
        }
    }
}

static void random_run(int fill, size_t threshold, unsigned seed, int ops)
{
    qlist *ql = qlist_new(fill);
    model m = {0};
    srand(seed);
    if (threshold)
        cr_assert_eq(qlist_set_packed_threshold(ql, threshold), 0);
    for (int k = 0; k < ops; k++) {
        random_op(ql, &m);
        /* keep the list from growing without bound */
        if (m.len > 1500)
            ltrim(ql, &m, 0, 700);
        if (k % 7 == 0 || m.len < 20)
            expect_model(ql, &m);
        else
            cr_assert_eq(qlist_verify(ql), 0);
    }
    expect_model(ql, &m);
    m_free(&m);
    qlist_free(ql);
}

Test(qlist, randomized_against_model, .timeout = 300)
{
    struct {
        int fill;
        size_t threshold;
    } cfg[] = {
        {-2, 0}, {-1, 0}, {-5, 0}, {1, 0}, {2, 0}, {4, 0}, {16, 0}, {128, 0}, {-2, 100}, {3, 5},
    };
    for (size_t k = 0; k < sizeof(cfg) / sizeof(*cfg); k++)
        random_run(cfg[k].fill, cfg[k].threshold, 1234u + (unsigned)k, 6000);
}

/* ---- memory ------------------------------------------------------------- */

static double bytes_per_elem(int where)
{
    qlist *ql = qlist_new(-2);
    char val[18];
    const size_t n = 1000000;
    double per;
    memset(val, 'm', sizeof(val));
    for (size_t i = 0; i < n; i++) {
        memcpy(val, &i, sizeof(i));
        qlist_push(ql, where, val, sizeof(val));
    }
    cr_assert_eq(qlist_len(ql), n);
    cr_assert_eq(qlist_verify(ql), 0);
    per = (double)qlist_mem(ql) / (double)n;
    fprintf(stderr, "qlist: %zu x 18-byte elements via %s: %.3f bytes/element, %zu chunks\n",
            n, where == QL_HEAD ? "head" : "tail", per, qlist_chunk_count(ql));
    qlist_free(ql);
    return per;
}

Test(qlist, memory_per_element)
{
    cr_assert_leq(bytes_per_elem(QL_TAIL), 21.0);
    cr_assert_leq(bytes_per_elem(QL_HEAD), 21.0);
}

Test(qlist, small_list_cost)
{
    qlist *ql = qlist_new(-2);
    size_t empty = qlist_mem(ql), one;
    qlist_push(ql, QL_TAIL, "hello", 5);
    one = qlist_mem(ql);
    fprintf(stderr, "qlist: empty %zu bytes, one 5-byte element %zu bytes\n", empty, one);
    /* glibc usable sizes: 40 + 40; jemalloc classes: 32 + 32 */
    cr_assert_leq(one, 96);
    for (int i = 0; i < 9; i++)
        qlist_push(ql, i % 2, "hello", 5);
    fprintf(stderr, "qlist: ten 5-byte elements %zu bytes\n", qlist_mem(ql));
    cr_assert_leq(qlist_mem(ql), 176);
    qlist_free(ql);
}
