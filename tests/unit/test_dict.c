/* test_dict.c - Criterion unit tests for src/ds/dict.c.
 *
 * Covers add / find / delete through growth, safe iteration that deletes
 * while a rehash is pending, the SCAN guarantee (every element present for
 * the whole scan is returned at least once, whether the table grows,
 * shrinks or is mid-rehash between calls), and dict_random. */
#define _DEFAULT_SOURCE
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ds/dict.h"
#include "ds/str.h"

static str key_n(const char *prefix, long i)
{
    char buf[64];
    int n = snprintf(buf, sizeof(buf), "%s%ld", prefix, i);
    return str_new(buf, (size_t)n);
}

static void add_n(dict *d, const char *prefix, long from, long to)
{
    for (long i = from; i < to; i++) {
        str k = key_n(prefix, i);
        cr_assert_not_null(dict_add(d, k, (void *)(intptr_t)(i + 1)));
    }
}

static void del_n(dict *d, const char *prefix, long from, long to)
{
    char buf[64];
    for (long i = from; i < to; i++) {
        int n = snprintf(buf, sizeof(buf), "%s%ld", prefix, i);
        cr_assert_eq(dict_delete(d, buf, (size_t)n), 0);
    }
}

static int has(dict *d, const char *prefix, long i)
{
    char buf[64];
    int n = snprintf(buf, sizeof(buf), "%s%ld", prefix, i);
    return dict_find(d, buf, (size_t)n) != NULL;
}

static int rehashing(const dict *d)
{
    return d->rehash_idx >= 0;
}

Test(dict, add_find_delete)
{
    dict *d = dict_new(&dict_type_str);
    cr_assert_eq(dict_size(d), 0);
    cr_assert_null(dict_find(d, "x", 1));
    add_n(d, "k", 0, 10000);
    cr_assert_eq(dict_size(d), 10000);
    for (long i = 0; i < 10000; i++) {
        char buf[32];
        int n = snprintf(buf, sizeof(buf), "k%ld", i);
        cr_assert_eq(dict_fetch(d, buf, (size_t)n), (void *)(intptr_t)(i + 1));
    }
    /* duplicates are refused and the caller keeps its key */
    str dup = str_new("k42", 3);
    cr_assert_null(dict_add(d, dup, NULL));
    int existed;
    dict_entry *e = dict_add_or_find(d, dup, &existed);
    cr_assert(existed);
    cr_assert_eq(e->v.val, (void *)(intptr_t)43);
    str_free(dup);
    cr_assert_null(dict_find(d, "k10000", 6));
    cr_assert_null(dict_find(d, "k4", 1)); /* a prefix is another key */
    del_n(d, "k", 0, 5000);
    cr_assert_eq(dict_size(d), 5000);
    cr_assert_eq(dict_delete(d, "k1", 2), -1);
    for (long i = 0; i < 10000; i++)
        cr_assert_eq(has(d, "k", i), i >= 5000);
    /* unlink keeps the entry alive until freed */
    e = dict_unlink(d, "k5000", 5);
    cr_assert_not_null(e);
    cr_assert_str_eq((char *)e->key, "k5000");
    cr_assert_null(dict_find(d, "k5000", 5));
    dict_free_entry(d, e);
    dict_clear(d);
    cr_assert_eq(dict_size(d), 0);
    add_n(d, "again", 0, 100);
    cr_assert_eq(dict_size(d), 100);
    dict_free(d);
}

Test(dict, nocase)
{
    dict *d = dict_new(&dict_type_str_nocase);
    dict_add(d, str_new("Hello", 5), (void *)1);
    cr_assert_not_null(dict_find(d, "HELLO", 5));
    cr_assert_not_null(dict_find(d, "hello", 5));
    str dup = str_new("hELLO", 5);
    cr_assert_null(dict_add(d, dup, NULL)); /* exists: the key stays the caller's */
    str_free(dup);
    dict_free(d);
}

Test(dict, binary_keys)
{
    dict *d = dict_new(&dict_type_str);
    const char a[] = {'a', 0, 'b'}, b[] = {'a', 0, 'c'};
    dict_add(d, str_new(a, 3), (void *)1);
    dict_add(d, str_new(b, 3), (void *)2);
    cr_assert_eq(dict_fetch(d, a, 3), (void *)1);
    cr_assert_eq(dict_fetch(d, b, 3), (void *)2);
    cr_assert_null(dict_find(d, "a", 1));
    dict_free(d);
}

/* Grow until a rehash is pending, then leave it half done. */
static dict *dict_mid_rehash(long n)
{
    dict *d = dict_new(&dict_type_str);
    long i = 0;
    for (;;) {
        str k = key_n("k", i++);
        dict_add(d, k, NULL);
        if (i >= n && rehashing(d))
            break;
    }
    cr_assert(rehashing(d));
    return d;
}

Test(dict, safe_iterator_deletes_during_pending_rehash)
{
    dict *d = dict_mid_rehash(1000);
    size_t total = dict_size(d);
    dict_iter it;
    dict_iter_init(&it, d, 1);
    dict_entry *e;
    size_t seen = 0;
    while ((e = dict_iter_next(&it))) {
        seen++;
        /* delete the entry just returned, and probe (probes step rehash
         * when not paused): the iterator must stay valid */
        const char *k = e->key;
        size_t len = str_len(e->key);
        char copy[64];
        memcpy(copy, k, len);
        cr_assert_eq(dict_delete(d, copy, len), 0);
        cr_assert_null(dict_find(d, copy, len));
    }
    dict_iter_done(&it);
    cr_assert_eq(seen, total);
    cr_assert_eq(dict_size(d), 0);
    /* rehashing resumes once the iterator is gone */
    cr_assert_eq(d->pause_rehash, 0);
    dict_free(d);
}

Test(dict, safe_iterator_sees_each_entry_once_with_inserts)
{
    dict *d = dict_mid_rehash(500);
    size_t total = dict_size(d);
    char *seen = calloc(200000, 1);
    dict_iter it;
    dict_iter_init(&it, d, 1);
    dict_entry *e;
    size_t n = 0;
    long extra = 0;
    while ((e = dict_iter_next(&it))) {
        long idx = atol((char *)e->key + 1);
        if (idx < 100000) {
            cr_assert_eq(seen[idx], 0, "k%ld returned twice", idx);
            seen[idx] = 1;
            n++;
        }
        /* inserts while iterating (new keys may or may not be seen) */
        if (extra < 50) {
            str k = key_n("k", 100000 + extra++);
            dict_add(d, k, NULL);
        }
    }
    dict_iter_done(&it);
    cr_assert_eq(n, total);
    free(seen);
    dict_free(d);
}

Test(dict, rehash_completes)
{
    dict *d = dict_mid_rehash(1000);
    while (dict_rehash_steps(d, 100))
        ;
    cr_assert_not(rehashing(d));
    cr_assert_eq(d->table[1], NULL);
    for (long i = 0; i < 1000; i++)
        cr_assert(has(d, "k", i));
    dict_free(d);
}

/* ---- scan ---- */

typedef struct seen_set {
    unsigned char *hits; /* per index: times returned */
    long n;
    long returned;
} seen_set;

static void scan_cb(void *priv, dict_entry *e)
{
    seen_set *s = priv;
    long idx = atol((char *)e->key + 1);
    if (((char *)e->key)[0] == 'k' && idx < s->n && s->hits[idx] < 255)
        s->hits[idx]++;
    s->returned++;
}

static void assert_all_seen(seen_set *s, long from, long to)
{
    for (long i = from; i < to; i++)
        cr_assert(s->hits[i] >= 1, "k%ld was never returned", i);
}

Test(dict, scan_full_stable)
{
    dict *d = dict_new(&dict_type_str);
    add_n(d, "k", 0, 5000);
    while (dict_rehash_steps(d, 1000))
        ;
    seen_set s = {calloc(5000, 1), 5000, 0};
    size_t cur = 0;
    do {
        cur = dict_scan(d, cur, scan_cb, &s);
    } while (cur);
    assert_all_seen(&s, 0, 5000);
    /* no rehash between calls: each element exactly once */
    for (long i = 0; i < 5000; i++)
        cr_assert_eq(s.hits[i], 1);
    cr_assert_eq(s.returned, 5000);
    free(s.hits);
    dict_free(d);
}

Test(dict, scan_empty)
{
    dict *d = dict_new(&dict_type_str);
    seen_set s = {calloc(1, 1), 1, 0};
    cr_assert_eq(dict_scan(d, 0, scan_cb, &s), 0);
    cr_assert_eq(s.returned, 0);
    free(s.hits);
    dict_free(d);
}

/* The table grows (several times, with rehashes left half done) between
 * scan calls: elements present throughout are all returned. */
Test(dict, scan_guarantee_while_growing)
{
    for (int round = 0; round < 20; round++) {
        dict *d = dict_new(&dict_type_str);
        add_n(d, "k", 0, 1000);
        seen_set s = {calloc(1000, 1), 1000, 0};
        size_t cur = 0;
        long extra = 0;
        int calls = 0;
        do {
            cur = dict_scan(d, cur, scan_cb, &s);
            calls++;
            /* grow a lot at a point that depends on the round */
            if (calls % (round + 2) == 0 && extra < 20000) {
                for (int j = 0; j < 700; j++)
                    dict_add(d, key_n("x", extra++), NULL);
                dict_rehash_steps(d, round * 3);
            }
        } while (cur);
        assert_all_seen(&s, 0, 1000);
        free(s.hits);
        dict_free(d);
    }
}

/* The table shrinks between calls (large table, most entries deleted, then
 * a resize down, partly or fully rehashed). */
Test(dict, scan_guarantee_while_shrinking)
{
    for (int round = 0; round < 20; round++) {
        dict *d = dict_new(&dict_type_str);
        add_n(d, "k", 0, 100);
        add_n(d, "x", 0, 20000);
        while (dict_rehash_steps(d, 1000))
            ;
        seen_set s = {calloc(100, 1), 100, 0};
        size_t cur = 0;
        int calls = 0, shrunk = 0;
        do {
            cur = dict_scan(d, cur, scan_cb, &s);
            calls++;
            if (!shrunk && calls == round * 7 + 1) {
                del_n(d, "x", 0, 20000);
                dict_shrink_if_sparse(d);
                cr_assert(rehashing(d));
                dict_rehash_steps(d, round % 4 == 0 ? 1000000 : round);
                shrunk = 1;
            }
        } while (cur);
        cr_assert(shrunk);
        assert_all_seen(&s, 0, 100);
        free(s.hits);
        dict_free(d);
    }
}

/* Alternating growth and shrink, with scans made while a rehash is in
 * progress in either direction. */
Test(dict, scan_guarantee_grow_and_shrink_mixed)
{
    srandom(12345);
    for (int round = 0; round < 30; round++) {
        dict *d = dict_new(&dict_type_str);
        add_n(d, "k", 0, 300);
        seen_set s = {calloc(300, 1), 300, 0};
        size_t cur = 0;
        long live_x = 0, next_x = 0;
        do {
            cur = dict_scan(d, cur, scan_cb, &s);
            int op = (int)(random() % 4);
            if (op == 0) {
                for (int j = 0; j < 400; j++)
                    dict_add(d, key_n("x", next_x++), NULL), live_x++;
            } else if (op == 1 && live_x) {
                del_n(d, "x", next_x - live_x, next_x);
                live_x = 0;
                dict_shrink_if_sparse(d);
            }
            dict_rehash_steps(d, (int)(random() % 8));
        } while (cur);
        assert_all_seen(&s, 0, 300);
        free(s.hits);
        dict_free(d);
    }
}

/* ---- random ---- */

Test(dict, random_returns_members_and_covers_all)
{
    dict *d = dict_new(&dict_type_str);
    cr_assert_null(dict_random(d));
    add_n(d, "k", 0, 50);
    int hits[50] = {0};
    for (int i = 0; i < 20000; i++) {
        dict_entry *e = dict_random(d);
        cr_assert_not_null(e);
        long idx = atol((char *)e->key + 1);
        cr_assert(idx >= 0 && idx < 50);
        hits[idx]++;
    }
    for (int i = 0; i < 50; i++)
        cr_assert(hits[i] > 0, "k%d never picked", i);
    /* during a rehash too */
    dict *r = dict_mid_rehash(200);
    for (int i = 0; i < 2000; i++) {
        dict_entry *e = dict_random(r);
        cr_assert_not_null(e);
        cr_assert_not_null(dict_find(r, e->key, str_len(e->key)));
    }
    /* one element left in a large sparse table */
    del_n(d, "k", 1, 50);
    for (int i = 0; i < 100; i++)
        cr_assert_str_eq((char *)dict_random(d)->key, "k0");
    dict_free(r);
    dict_free(d);
}
