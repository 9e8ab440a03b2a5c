/* test_stream.c - Criterion unit tests for src/ds/stream.c.
 *
 * ID arithmetic and parsing at the limits, appends across node borders
 * (entry and byte limits), forward and reverse ranges, tombstones, trims
 * (MAXLEN / MINID, exact and approximate, LIMIT), consumer groups and PELs,
 * the Redis 7.0 lag rules, and a randomized run against a plain array
 * model.  stream_verify checks the packed layout after every step. */
#define _DEFAULT_SOURCE
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ds/stream.h"

static stream_id sid(uint64_t ms, uint64_t seq)
{
    stream_id id = {ms, seq};
    return id;
}

static const stream_id ID_MIN = {0, 0};
static const stream_id ID_MAX = {UINT64_MAX, UINT64_MAX};

#define ASSERT_ID(got, ms_, seq_)                                                                  \
    cr_assert((got).ms == (ms_) && (got).seq == (seq_), "id %llu-%llu, expected %llu-%llu",        \
              (unsigned long long)(got).ms, (unsigned long long)(got).seq,                         \
              (unsigned long long)(ms_), (unsigned long long)(seq_))

static void add1(stream *s, stream_id id, const char *f, const char *v, uint64_t maxe)
{
    stream_str fv[2] = {{f, strlen(f)}, {v, strlen(v)}};
    stream_append(s, id, fv, 1, 4096, maxe);
    cr_assert_eq(stream_verify(s), 0, "verify %d", stream_verify(s));
}

/* Collect the IDs of a range into out (max n); returns the count. */
static size_t range_ids(const stream *s, stream_id a, stream_id b, int rev, stream_id *out,
                        size_t n)
{
    stream_iter it;
    stream_id id;
    uint64_t nf;
    size_t k = 0;
    stream_iter_init(&it, s, a, b, rev);
    while (stream_iter_next(&it, &id, &nf)) {
        for (uint64_t i = 0; i < nf; i++) {
            const char *f, *v;
            size_t fl, vl;
            stream_iter_field(&it, &f, &fl, &v, &vl);
        }
        if (k < n)
            out[k] = id;
        k++;
    }
    stream_iter_done(&it);
    return k;
}

/* ---- IDs ------------------------------------------------------------------------ */

Test(stream_id, parse_forms)
{
    stream_id id;
    int sg;
    cr_assert_eq(stream_id_parse("0-1", 3, &id, 0, 1, NULL), 0);
    ASSERT_ID(id, 0, 1);
    const char *mx = "18446744073709551615-18446744073709551615";
    cr_assert_eq(stream_id_parse(mx, strlen(mx), &id, 0, 1, NULL), 0);
    ASSERT_ID(id, UINT64_MAX, UINT64_MAX);
    cr_assert_eq(stream_id_parse("18446744073709551616", 20, &id, 0, 0, NULL), -1);
    cr_assert_eq(stream_id_parse("5", 1, &id, 7, 0, NULL), 0);
    ASSERT_ID(id, 5, 7);
    cr_assert_eq(stream_id_parse("-", 1, &id, 0, 0, NULL), 0);
    ASSERT_ID(id, 0, 0);
    cr_assert_eq(stream_id_parse("+", 1, &id, 0, 0, NULL), 0);
    ASSERT_ID(id, UINT64_MAX, UINT64_MAX);
    cr_assert_eq(stream_id_parse("-", 1, &id, 0, 1, NULL), -1);
    cr_assert_eq(stream_id_parse("+", 1, &id, 0, 1, NULL), -1);
    cr_assert_eq(stream_id_parse("5-*", 3, &id, 0, 1, &sg), 0);
    ASSERT_ID(id, 5, 0);
    cr_assert_eq(sg, 0);
    cr_assert_eq(stream_id_parse("5-3", 3, &id, 0, 1, &sg), 0);
    cr_assert_eq(sg, 1);
    cr_assert_eq(stream_id_parse("5-*", 3, &id, 0, 1, NULL), -1);
    cr_assert_eq(stream_id_parse("abc", 3, &id, 0, 0, NULL), -1);
    cr_assert_eq(stream_id_parse("1-2-3", 5, &id, 0, 0, NULL), -1);
    cr_assert_eq(stream_id_parse("1-", 2, &id, 0, 0, NULL), -1);
    cr_assert_eq(stream_id_parse("-1", 2, &id, 0, 0, NULL), -1);
    cr_assert_eq(stream_id_parse("", 0, &id, 0, 0, NULL), -1);
    /* Redis falls back to strtoull: leading zeros are accepted */
    cr_assert_eq(stream_id_parse("007-01", 6, &id, 0, 0, NULL), 0);
    ASSERT_ID(id, 7, 1);
}

Test(stream_id, incr_decr_limits)
{
    stream_id id = sid(0, 0);
    cr_assert_eq(stream_id_decr(&id), -1);
    ASSERT_ID(id, UINT64_MAX, UINT64_MAX);
    cr_assert_eq(stream_id_incr(&id), -1);
    ASSERT_ID(id, 0, 0);
    id = sid(3, UINT64_MAX);
    cr_assert_eq(stream_id_incr(&id), 0);
    ASSERT_ID(id, 4, 0);
    cr_assert_eq(stream_id_decr(&id), 0);
    ASSERT_ID(id, 3, UINT64_MAX);
    id = sid(0, 1);
    cr_assert_eq(stream_id_decr(&id), 0);
    ASSERT_ID(id, 0, 0);
    char buf[STREAM_ID_STR_MAX];
    size_t n = stream_id_fmt(buf, sid(UINT64_MAX, UINT64_MAX));
    cr_assert_str_eq(buf, "18446744073709551615-18446744073709551615");
    cr_assert_eq(n, 41);
}

Test(stream_id, next_id_rules)
{
    stream *s = stream_new();
    stream_id id;
    cr_assert_eq(stream_next_id(s, 0, ID_MIN, 1, 1000, &id), 0);
    ASSERT_ID(id, 1000, 0);
    add1(s, id, "f", "v", 100);
    /* clock went backwards: same ms, next seq */
    cr_assert_eq(stream_next_id(s, 0, ID_MIN, 1, 999, &id), 0);
    ASSERT_ID(id, 1000, 1);
    cr_assert_eq(stream_next_id(s, 1, sid(1000, 0), 1, 0, &id), -1);
    cr_assert_eq(stream_next_id(s, 1, sid(1000, 0), 0, 0, &id), 0); /* 1000-* */
    ASSERT_ID(id, 1000, 1);
    cr_assert_eq(stream_next_id(s, 1, sid(999, 0), 0, 0, &id), -1);
    cr_assert_eq(stream_next_id(s, 1, sid(2000, 0), 0, 0, &id), 0);
    ASSERT_ID(id, 2000, 0);
    /* ms overflow through the sequence */
    add1(s, sid(3000, UINT64_MAX), "f", "v", 100);
    cr_assert_eq(stream_next_id(s, 0, ID_MIN, 1, 5, &id), 0);
    ASSERT_ID(id, 3001, 0);
    cr_assert_eq(stream_next_id(s, 1, sid(3000, 0), 0, 0, &id), -2);
    add1(s, ID_MAX, "f", "v", 100);
    cr_assert_eq(stream_next_id(s, 0, ID_MIN, 1, 5, &id), -1);
    stream_free(s);
}

/* ---- appends and ranges ----------------------------------------------------------- */

Test(stream, append_across_nodes_and_ranges)
{
    stream *s = stream_new();
    for (uint64_t i = 1; i <= 95; i++) {
        char v[32];
        snprintf(v, sizeof(v), "value-%llu", (unsigned long long)i);
        add1(s, sid(i / 3, i % 3), "field", v, 10);
    }
    cr_assert_eq(s->length, 95);
    cr_assert_eq(s->nnodes, 10);
    stream_id out[200];
    cr_assert_eq(range_ids(s, ID_MIN, ID_MAX, 0, out, 200), 95);
    ASSERT_ID(out[0], 0, 1);
    ASSERT_ID(out[94], 31, 2);
    cr_assert_eq(range_ids(s, ID_MIN, ID_MAX, 1, out, 200), 95);
    ASSERT_ID(out[0], 31, 2);
    ASSERT_ID(out[94], 0, 1);
    /* a range crossing node borders, both directions */
    cr_assert_eq(range_ids(s, sid(5, 1), sid(9, 0), 0, out, 200), 12);
    ASSERT_ID(out[0], 5, 1);
    ASSERT_ID(out[11], 9, 0);
    cr_assert_eq(range_ids(s, sid(5, 1), sid(9, 0), 1, out, 200), 12);
    ASSERT_ID(out[0], 9, 0);
    ASSERT_ID(out[11], 5, 1);
    /* empty and inverted ranges */
    cr_assert_eq(range_ids(s, sid(40, 0), ID_MAX, 0, out, 200), 0);
    cr_assert_eq(range_ids(s, sid(9, 0), sid(5, 0), 0, out, 200), 0);
    cr_assert_eq(range_ids(s, ID_MIN, sid(0, 0), 1, out, 200), 0);

    /* field content survives */
    stream_iter it;
    stream_id id;
    uint64_t nf;
    stream_iter_init(&it, s, sid(20, 0), ID_MAX, 0);
    cr_assert(stream_iter_next(&it, &id, &nf));
    ASSERT_ID(id, 20, 0);
    cr_assert_eq(nf, 1);
    const char *f, *v;
    size_t fl, vl;
    stream_iter_field(&it, &f, &fl, &v, &vl);
    cr_assert_eq(fl, 5);
    cr_assert(memcmp(f, "field", 5) == 0);
    cr_assert_eq(vl, 8);
    cr_assert(memcmp(v, "value-60", 8) == 0);
    stream_iter_done(&it);
    stream_free(s);
}

Test(stream, mixed_fields_and_big_values)
{
    stream *s = stream_new();
    char *big = malloc(70000);
    memset(big, 'x', 70000);
    stream_str a[4] = {{"a", 1}, {"1", 1}, {"b", 1}, {"2", 1}};
    stream_str b[2] = {{"other", 5}, {big, 70000}};
    stream_str c[0];
    stream_append(s, sid(1, 0), a, 2, 4096, 100);
    stream_append(s, sid(1, 1), b, 1, 4096, 100); /* too big for the node */
    stream_append(s, sid(1, 2), c, 0, 4096, 100);
    stream_append(s, sid(UINT64_MAX, 5), a, 2, 4096, 100);
    cr_assert_eq(stream_verify(s), 0);
    cr_assert_eq(s->nnodes, 3);
    stream_iter it;
    stream_id id;
    uint64_t nf;
    const char *f, *v;
    size_t fl, vl;
    stream_iter_init(&it, s, ID_MIN, ID_MAX, 1);
    cr_assert(stream_iter_next(&it, &id, &nf));
    ASSERT_ID(id, UINT64_MAX, 5);
    cr_assert_eq(nf, 2);
    stream_iter_field(&it, &f, &fl, &v, &vl);
    stream_iter_field(&it, &f, &fl, &v, &vl);
    cr_assert(fl == 1 && f[0] == 'b' && vl == 1 && v[0] == '2');
    cr_assert(stream_iter_next(&it, &id, &nf));
    ASSERT_ID(id, 1, 2);
    cr_assert_eq(nf, 0);
    cr_assert(stream_iter_next(&it, &id, &nf));
    ASSERT_ID(id, 1, 1);
    stream_iter_field(&it, &f, &fl, &v, &vl);
    cr_assert(fl == 5 && vl == 70000 && v[69999] == 'x');
    stream_iter_done(&it);
    free(big);
    stream_free(s);
}

/* stream-node-max-bytes is applied on Redis's listpack size: with 4096 and
 * 100-byte values Redis stores 36 entries per node (measured). */
Test(stream, byte_limit_matches_redis_listpack)
{
    stream *s = stream_new();
    char v[101];
    memset(v, 'v', 100);
    v[100] = '\0';
    for (uint64_t i = 1; i <= 200; i++)
        add1(s, sid(i, 0), "field", v, 0);
    /* the first node holds entries 1..36 */
    cr_assert_eq(s->refs[s->head + 1].first.ms, 37);
    cr_assert_eq(stream_verify(s), 0);
    stream_free(s);
}

Test(stream, tombstones_and_xdel_bookkeeping)
{
    stream *s = stream_new();
    for (uint64_t i = 1; i <= 30; i++)
        add1(s, sid(i, 0), "f", "v", 10);
    stream_id del[] = {sid(1, 0), sid(5, 0), sid(5, 0), sid(99, 0)};
    cr_assert_eq(stream_xdel(s, del, 4), 2);
    cr_assert_eq(s->length, 28);
    ASSERT_ID(s->first_id, 2, 0);
    ASSERT_ID(s->max_deleted_id, 5, 0);
    cr_assert(!stream_entry_exists(s, sid(5, 0)));
    cr_assert(stream_entry_exists(s, sid(6, 0)));
    /* delete a whole node: it goes away */
    stream_id node2[10];
    for (int i = 0; i < 10; i++)
        node2[i] = sid(11 + (uint64_t)i, 0);
    cr_assert_eq(stream_xdel(s, node2, 10), 10);
    cr_assert_eq(s->nnodes, 2);
    cr_assert_eq(stream_verify(s), 0);
    stream_id out[64];
    cr_assert_eq(range_ids(s, sid(4, 0), sid(22, 0), 0, out, 64), 8);
    ASSERT_ID(out[0], 4, 0);
    ASSERT_ID(out[1], 6, 0);
    ASSERT_ID(out[6], 21, 0);
    ASSERT_ID(out[7], 22, 0);
    cr_assert_eq(range_ids(s, sid(4, 0), sid(22, 0), 1, out, 64), 8);
    ASSERT_ID(out[0], 22, 0);
    stream_id last;
    cr_assert(stream_last_live(s, &last));
    ASSERT_ID(last, 30, 0);
    ASSERT_ID(stream_first_any(s), 1, 0); /* the tombstone is still there */
    /* delete everything */
    stream_id all[30];
    for (int i = 0; i < 30; i++)
        all[i] = sid(1 + (uint64_t)i, 0);
    cr_assert_eq(stream_xdel(s, all, 30), 18);
    cr_assert_eq(s->length, 0);
    cr_assert_eq(s->nnodes, 0);
    ASSERT_ID(s->first_id, 0, 0);
    ASSERT_ID(s->max_deleted_id, 30, 0);
    ASSERT_ID(s->last_id, 30, 0);
    cr_assert_eq(s->entries_added, 30);
    stream_free(s);
}

/* XSETID may lower last_id below a deleted maximum (Redis checks it only
 * against the top live entry), so later entries follow a larger tombstone in
 * the same node, even one with their own ID.  Found by tests/diff. */
Test(stream, xsetid_below_deleted_max)
{
    stream *s = stream_new();
    add1(s, sid(21, 2), "f", "v", 100);
    add1(s, ID_MAX, "f", "hello", 100);
    cr_assert_eq(stream_xdel(s, &ID_MAX, 1), 1);
    s->last_id = sid(47, 0); /* XSETID x 47 */
    add1(s, sid(59, 0), "f2", "w", 100);
    stream_id out[8];
    cr_assert_eq(range_ids(s, sid(50, 0), sid(100, 0), 0, out, 8), 1);
    ASSERT_ID(out[0], 59, 0);
    cr_assert_eq(range_ids(s, sid(50, 0), sid(100, 0), 1, out, 8), 1);
    ASSERT_ID(out[0], 59, 0);
    cr_assert_eq(range_ids(s, ID_MIN, ID_MAX, 1, out, 8), 2);
    ASSERT_ID(out[0], 59, 0);
    ASSERT_ID(out[1], 21, 2);
    cr_assert(stream_entry_exists(s, sid(59, 0)));
    /* a tombstone carrying the ID of a later live entry */
    stream_id e = sid(59, 0);
    cr_assert_eq(stream_xdel(s, &e, 1), 1);
    s->last_id = sid(50, 0);
    add1(s, sid(59, 0), "f", "again", 100);
    cr_assert(stream_entry_exists(s, sid(59, 0)));
    cr_assert_eq(range_ids(s, sid(59, 0), sid(59, 0), 0, out, 8), 1);
    cr_assert_eq(stream_xdel(s, &e, 1), 1);
    cr_assert_eq(s->length, 1);
    cr_assert_eq(stream_verify(s), 0);
    stream_free(s);
}

Test(stream, trim_maxlen_exact_and_approx)
{
    stream *s = stream_new();
    for (uint64_t i = 1; i <= 100; i++)
        add1(s, sid(i, 0), "f", "v", 10);
    /* approx: only whole nodes */
    cr_assert_eq(stream_trim(s, STREAM_TRIM_MAXLEN, 85, ID_MIN, 1, 0), 10);
    cr_assert_eq(s->length, 90);
    /* LIMIT stops before a node that would pass it */
    cr_assert_eq(stream_trim(s, STREAM_TRIM_MAXLEN, 10, ID_MIN, 1, 25), 20);
    cr_assert_eq(s->length, 70);
    /* exact: whole nodes, then tombstones inside the head */
    cr_assert_eq(stream_trim(s, STREAM_TRIM_MAXLEN, 55, ID_MIN, 0, 0), 15);
    cr_assert_eq(s->length, 55);
    cr_assert_eq(stream_verify(s), 0);
    ASSERT_ID(s->first_id, 46, 0);
    ASSERT_ID(stream_first_any(s), 41, 0);
    cr_assert_eq(stream_trim(s, STREAM_TRIM_MAXLEN, 55, ID_MIN, 0, 0), 0);
    cr_assert_eq(stream_trim(s, STREAM_TRIM_MAXLEN, 0, ID_MIN, 0, 0), 55);
    cr_assert_eq(s->nnodes, 0);
    ASSERT_ID(s->first_id, 0, 0);
    stream_free(s);
}

Test(stream, trim_minid)
{
    stream *s = stream_new();
    for (uint64_t i = 1; i <= 50; i++)
        add1(s, sid(i, 0), "f", "v", 10);
    cr_assert_eq(stream_trim(s, STREAM_TRIM_MINID, 0, sid(25, 0), 1, 0), 20);
    cr_assert_eq(stream_trim(s, STREAM_TRIM_MINID, 0, sid(25, 0), 0, 0), 4);
    ASSERT_ID(s->first_id, 25, 0);
    cr_assert_eq(s->length, 26);
    cr_assert_eq(stream_trim(s, STREAM_TRIM_MINID, 0, ID_MAX, 0, 0), 26);
    cr_assert_eq(s->length, 0);
    cr_assert_eq(stream_verify(s), 0);
    stream_free(s);
}

/* ---- groups and PELs -------------------------------------------------------------- */

Test(stream, groups_consumers_pel)
{
    stream *s = stream_new();
    for (uint64_t i = 1; i <= 10; i++)
        add1(s, sid(i, 0), "f", "v", 100);
    stream_group *g = stream_group_create(s, "g2", 2, sid(0, 0), 0);
    cr_assert_not_null(g);
    cr_assert_null(stream_group_create(s, "g2", 2, sid(0, 0), 0));
    cr_assert_not_null(stream_group_create(s, "g1", 2, sid(0, 0), 0));
    cr_assert_not_null(stream_group_create(s, "g", 1, sid(0, 0), 0));
    cr_assert_str_eq(s->groups[0]->name, "g");
    cr_assert_str_eq(s->groups[1]->name, "g1");
    cr_assert_str_eq(s->groups[2]->name, "g2");
    g = stream_group_find(s, "g2", 2);
    stream_consumer *alice = stream_consumer_create(g, "alice", 5, 100);
    stream_consumer *bob = stream_consumer_create(g, "bob", 3, 100);
    cr_assert_null(stream_consumer_create(g, "bob", 3, 100));
    for (uint64_t i = 1; i <= 6; i++) {
        stream_group_advance(s, g, sid(i, 0));
        stream_pel_deliver(g, i % 2 ? alice : bob, sid(i, 0), 1000 + (int64_t)i);
    }
    ASSERT_ID(g->last_id, 6, 0);
    cr_assert_eq(g->entries_read, 6);
    int64_t lag;
    cr_assert(stream_group_lag(s, g, &lag));
    cr_assert_eq(lag, 4);
    cr_assert_eq(idtree_size(g->pel), 6);
    cr_assert_eq(idtree_size(alice->pel), 3);
    cr_assert_eq(stream_verify(s), 0);
    /* redelivery after SETID moves the NACK */
    stream_nack *n = stream_pel_deliver(g, alice, sid(2, 0), 5000);
    cr_assert_eq(n->delivery_count, 1);
    cr_assert_eq(n->consumer, alice);
    cr_assert_eq(idtree_size(bob->pel), 2);
    /* claim by bob */
    n = stream_pel_find(g, sid(1, 0));
    stream_pel_set_owner(g, n, sid(1, 0), bob);
    cr_assert_eq(idtree_size(bob->pel), 3);
    cr_assert_eq(stream_verify(s), 0);
    cr_assert_eq(stream_pel_ack(g, sid(1, 0)), 1);
    cr_assert_eq(stream_pel_ack(g, sid(1, 0)), 0);
    cr_assert_eq(idtree_size(bob->pel), 2);
    /* FORCE-style creation */
    n = stream_pel_create(g, sid(9, 0), 7);
    cr_assert_null(n->consumer);
    stream_pel_set_owner(g, n, sid(9, 0), alice);
    cr_assert_eq(stream_verify(s), 0);
    /* dup keeps everything */
    stream *d = stream_dup(s);
    cr_assert_eq(stream_verify(d), 0);
    stream_group *dg = stream_group_find(d, "g2", 2);
    cr_assert_eq(idtree_size(dg->pel), idtree_size(g->pel));
    stream_nack *dn = stream_pel_find(dg, sid(9, 0));
    cr_assert_str_eq(dn->consumer->name, "alice");
    stream_free(d);
    /* deleting a consumer drops its entries from the group PEL */
    size_t had = idtree_size(alice->pel);
    cr_assert_eq(stream_consumer_delete(g, alice), had);
    cr_assert_eq(idtree_size(g->pel), 2);
    cr_assert_eq(stream_verify(s), 0);
    cr_assert_eq(stream_group_destroy(s, "g1", 2), 1);
    cr_assert_eq(stream_group_destroy(s, "g1", 2), 0);
    cr_assert_eq(s->ngroups, 2);
    stream_free(s);
}

Test(stream, lag_rules)
{
    stream *s = stream_new();
    stream_group *g = stream_group_create(s, "g", 1, sid(0, 0), STREAM_ENTRIES_READ_INVALID);
    int64_t lag;
    cr_assert(stream_group_lag(s, g, &lag)); /* never used: 0 */
    cr_assert_eq(lag, 0);
    for (uint64_t i = 1; i <= 5; i++)
        add1(s, sid(i, 0), "f", "v", 100);
    /* invalid counter, last_id 0-0 < first entry, no tombstones: estimate */
    cr_assert(stream_group_lag(s, g, &lag));
    cr_assert_eq(lag, 5);
    stream_id d = sid(3, 0);
    stream_xdel(s, &d, 1);
    /* a tombstone after last_id: unknown */
    cr_assert_eq(stream_group_lag(s, g, &lag), 0);
    cr_assert_eq(stream_estimate_distance(s, sid(5, 0)), 5);
    cr_assert_eq(stream_estimate_distance(s, sid(6, 0)), -1);
    stream_group_advance(s, g, sid(1, 0));
    cr_assert_eq(g->entries_read, -1);
    stream_group_advance(s, g, sid(5, 0));
    cr_assert_eq(g->entries_read, 5);
    cr_assert(stream_group_lag(s, g, &lag));
    cr_assert_eq(lag, 0);
    stream_free(s);
}

/* ---- randomized against a model ---------------------------------------------------- */

typedef struct {
    stream_id id;
    int nf;
    char f[3][8];
    char v[3][24];
    int live;
} ment;

static uint64_t rs = 0x9E3779B97F4A7C15ull;
static uint64_t rnd(void)
{
    rs ^= rs << 13;
    rs ^= rs >> 7;
    rs ^= rs << 17;
    return rs;
}

static void compare_range(const stream *s, const ment *m, size_t n, stream_id a, stream_id b,
                          int rev)
{
    stream_iter it;
    stream_id id;
    uint64_t nf;
    stream_iter_init(&it, s, a, b, rev);
    long i = rev ? (long)n - 1 : 0;
    for (;;) {
        while (i >= 0 && i < (long)n &&
               (!m[i].live || stream_id_cmp(m[i].id, a) < 0 || stream_id_cmp(m[i].id, b) > 0))
            i += rev ? -1 : 1;
        int have = i >= 0 && i < (long)n;
        int got = stream_iter_next(&it, &id, &nf);
        cr_assert_eq(got, have, "range end mismatch");
        if (!got)
            break;
        cr_assert_eq(stream_id_cmp(id, m[i].id), 0);
        cr_assert_eq(nf, (uint64_t)m[i].nf);
        for (int k = 0; k < m[i].nf; k++) {
            const char *f, *v;
            size_t fl, vl;
            stream_iter_field(&it, &f, &fl, &v, &vl);
            cr_assert(fl == strlen(m[i].f[k]) && memcmp(f, m[i].f[k], fl) == 0);
            cr_assert(vl == strlen(m[i].v[k]) && memcmp(v, m[i].v[k], vl) == 0);
        }
        i += rev ? -1 : 1;
    }
    stream_iter_done(&it);
}

static stream_id random_existing_or_not(const ment *m, size_t n)
{
    if (n && rnd() % 3)
        return m[rnd() % n].id;
    return sid(rnd() % 3000, rnd() % 4);
}

Test(stream, randomized_against_model)
{
    size_t cap = 20000, n = 0;
    ment *m = calloc(cap, sizeof(*m));
    stream *s = stream_new();
    uint64_t ms = 1;
    uint64_t maxe = 7;
    for (int op = 0; op < 15000; op++) {
        uint64_t r = rnd() % 100;
        if (r < 60 && n < cap) {
            ment *e = &m[n];
            ms += rnd() % 4 == 0 ? 1 + rnd() % 90 : 0;
            stream_id id;
            cr_assert_eq(stream_next_id(s, 0, ID_MIN, 1, ms, &id), 0);
            e->id = id;
            e->nf = (int)(rnd() % 3);
            if (rnd() % 2)
                e->nf = 1;
            stream_str fv[6];
            for (int k = 0; k < e->nf; k++) {
                snprintf(e->f[k], sizeof(e->f[k]), "f%c",
                         (char)('0' + (rnd() % 4 ? k % 10 : (int)(rnd() % 9))));
                snprintf(e->v[k], sizeof(e->v[k]), "%llu", (unsigned long long)(rnd() % 100000));
                fv[2 * k].p = e->f[k];
                fv[2 * k].len = strlen(e->f[k]);
                fv[2 * k + 1].p = e->v[k];
                fv[2 * k + 1].len = strlen(e->v[k]);
            }
            e->live = 1;
            stream_append(s, id, fv, (size_t)e->nf, rnd() % 50 ? 4096 : 60, maxe);
            n++;
        } else if (r < 80) {
            stream_id ids[3];
            size_t want = 0;
            for (int k = 0; k < 3; k++) {
                ids[k] = random_existing_or_not(m, n);
                for (size_t i = 0; i < n; i++) {
                    if (m[i].live && stream_id_cmp(m[i].id, ids[k]) == 0) {
                        m[i].live = 0;
                        want++;
                    }
                }
            }
            cr_assert_eq(stream_xdel(s, ids, 3), want);
        } else if (r < 83) {
            uint64_t live = 0;
            for (size_t i = 0; i < n; i++)
                live += (uint64_t)m[i].live;
            uint64_t keep = live ? rnd() % (live + 1) : 0;
            int64_t del = stream_trim(s, STREAM_TRIM_MAXLEN, keep, ID_MIN, 0, 0);
            cr_assert_eq((uint64_t)del, live > keep ? live - keep : 0);
            for (size_t i = 0; i < n && live > keep; i++) {
                if (m[i].live) {
                    m[i].live = 0;
                    live--;
                }
            }
        } else if (r < 85) {
            stream_id minid = random_existing_or_not(m, n);
            int64_t want = 0;
            for (size_t i = 0; i < n; i++) {
                if (m[i].live && stream_id_cmp(m[i].id, minid) < 0) {
                    m[i].live = 0;
                    want++;
                }
            }
            cr_assert_eq(stream_trim(s, STREAM_TRIM_MINID, 0, minid, 0, 0), want);
        } else {
            stream_id a = random_existing_or_not(m, n), b = random_existing_or_not(m, n);
            if (stream_id_cmp(a, b) > 0) {
                stream_id t = a;
                a = b;
                b = t;
            }
            compare_range(s, m, n, a, b, (int)(rnd() % 2));
        }
        if (op % 200 == 0) {
            cr_assert_eq(stream_verify(s), 0, "verify %d at op %d", stream_verify(s), op);
            compare_range(s, m, n, ID_MIN, ID_MAX, 0);
            compare_range(s, m, n, ID_MIN, ID_MAX, 1);
            if (op % 1000 == 0)
                maxe = 1 + rnd() % 20;
        }
    }
    uint64_t live = 0;
    for (size_t i = 0; i < n; i++)
        live += (uint64_t)m[i].live;
    cr_assert_eq(s->length, live);
    cr_assert_eq(stream_verify(s), 0);
    stream *d = stream_dup(s);
    compare_range(d, m, n, ID_MIN, ID_MAX, 0);
    stream_free(d);
    stream_free(s);
    free(m);
}
