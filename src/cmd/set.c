/* cmd/set.c - the set commands (SADD ... SSCAN), Redis 7.0.15 replies.
 *
 * A set key holds an OBJ_SET obj whose ptr is an mset (ds/mset.h): an
 * "intset" while every member is an integer and there are at most
 * set-max-intset-entries of them, a "hashtable" otherwise.
 * Invariants kept by every command here:
 *  - a set key is never empty: removing the last member deletes the key
 *    and fires "del" after the command's own event;
 *  - every change is followed by signal_modified_key, Redis's keyspace
 *    event and dirty++ per changed member;
 *  - SPOP is propagated as SREM (one per popped member) or as DEL when it
 *    empties the set, so replaying the AOF does not depend on randomness.
 *
 * SINTER/SUNION/SDIFF and their STORE forms treat missing keys as empty
 * sets; SMEMBERS is SINTER of one key, like Redis. */
#include "types.h"

#include "../aof.h"
#include "../ds/alloc.h"
#include "../ds/dict_fair.h"
#include "../ds/util.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

/* ---- the set type ---- */

static void set_free_v(void *p)
{
    mset_free(p);
}

static void *set_dup_v(const void *p)
{
    return mset_dup(p);
}

static size_t set_mem_v(const void *p)
{
    return mset_mem(p);
}

static const char *set_encoding(const obj *o)
{
    return mset_encoding(o->ptr);
}

/* AOF rewrite: SADD key m ... in batches of AOF_REWRITE_ITEMS_PER_CMD. */
static int set_rewrite(aof_writer *w, const char *key, size_t klen, const void *ptr)
{
    const mset *s = ptr;
    size_t left = mset_len(s), batch = 0;
    mset_iter it;
    mset_elem e;
    int err = 0;
    mset_iter_init(&it, s);
    while (!err && mset_iter_next(&it, &e)) {
        if (batch == 0) {
            batch = left < AOF_REWRITE_ITEMS_PER_CMD ? left : AOF_REWRITE_ITEMS_PER_CMD;
            err |= aof_rw_array(w, 2 + (long long)batch);
            err |= aof_rw_bulk(w, "SADD", 4);
            err |= aof_rw_bulk(w, key, klen);
        }
        err |= aof_rw_bulk(w, e.p, e.len);
        batch--;
        left--;
    }
    mset_iter_done(&it);
    return err ? -1 : 0;
}

static const obj_type_ops set_ops = {.name = "set", .free = set_free_v, .dup = set_dup_v,
                                     .mem = set_mem_v, .encoding = set_encoding,
                                     .aof_rewrite = set_rewrite};

__attribute__((constructor)) static void set_register_type(void)
{
    obj_register_type(OBJ_SET, &set_ops);
}

/* ---- helpers ---- */

static int wrong_type(client *c, const obj *o)
{
    if (o && o->type != OBJ_SET) {
        reply_error(c, ERR_WRONGTYPE);
        return 1;
    }
    return 0;
}

/* shared.emptyset: "*0" or "~0". */
static void reply_empty_set(client *c)
{
    reply_set(c, 0);
}

static void reply_elem(client *c, const mset_elem *e)
{
    reply_bulk(c, e->p, e->len);
}

/* Add / remove a member of the set at o (its handle may change): 1 if it
 * was added / removed. */
static int obj_add(obj *o, const char *p, size_t len)
{
    int added;
    o->ptr = mset_add(o->ptr, p, len, types_set_max_intset(), &added);
    return added;
}

static int obj_remove(obj *o, const char *p, size_t len)
{
    int removed;
    o->ptr = mset_remove(o->ptr, p, len, &removed);
    return removed;
}

/* Add to a result set under construction; returns its new handle. */
static mset *add_to(mset *s, const char *p, size_t len, size_t max)
{
    int added;
    return mset_add(s, p, len, max, &added);
}

/* The set at key for reading; *s = NULL if missing.  -1 after WRONGTYPE. */
static int lookup_read(client *c, const arg *key, mset **s)
{
    obj *o = db_lookup_read(c, key->p, key->len);
    if (wrong_type(c, o))
        return -1;
    *s = o ? o->ptr : NULL;
    return 0;
}

/* Store result s (owned) at dst, or delete dst when s is empty; replies
 * the size.  Redis's STORE epilogue. */
static void store_result(client *c, const arg *dst, mset *s, const char *event)
{
    size_t n = mset_len(s);
    if (n > 0) {
        db_set(c->db, dst->p, dst->len, obj_new(OBJ_SET, s), 0);
        signal_modified_key(c, c->db, dst->p, dst->len);
        reply_ll(c, (long long)n);
        notify_keyspace_event(NOTIFY_SET, event, dst->p, dst->len, c->db->id);
        srv.dirty++;
        return;
    }
    mset_free(s);
    reply_ll(c, 0);
    if (db_delete(c->db, dst->p, dst->len)) {
        srv.dirty++;
        signal_modified_key(c, c->db, dst->p, dst->len);
        notify_keyspace_event(NOTIFY_GENERIC, "del", dst->p, dst->len, c->db->id);
    }
}

/* ---- add / remove / query ---- */

static void cmd_sadd(client *c)
{
    const arg *key = &c->argv[1];
    obj *o = db_lookup_write(c, key->p, key->len);
    if (wrong_type(c, o))
        return;
    if (!o) {
        o = obj_new(OBJ_SET, mset_new_for(c->argv[2].p, c->argv[2].len));
        db_add(c->db, key->p, key->len, o);
    }
    long long added = 0;
    for (int j = 2; j < c->argc; j++)
        added += obj_add(o, c->argv[j].p, c->argv[j].len);
    if (added) {
        signal_modified_key(c, c->db, key->p, key->len);
        notify_keyspace_event(NOTIFY_SET, "sadd", key->p, key->len, c->db->id);
    }
    srv.dirty += added;
    reply_ll(c, added);
}

static void cmd_srem(client *c)
{
    const arg *key = &c->argv[1];
    obj *o = db_lookup_write(c, key->p, key->len);
    if (!o) {
        reply_ll(c, 0);
        return;
    }
    if (wrong_type(c, o))
        return;
    long long deleted = 0;
    int keyremoved = 0;
    for (int j = 2; j < c->argc; j++) {
        if (!obj_remove(o, c->argv[j].p, c->argv[j].len))
            continue;
        deleted++;
        if (mset_len(o->ptr) == 0) {
            db_delete(c->db, key->p, key->len);
            keyremoved = 1;
            break;
        }
    }
    if (deleted) {
        signal_modified_key(c, c->db, key->p, key->len);
        notify_keyspace_event(NOTIFY_SET, "srem", key->p, key->len, c->db->id);
        if (keyremoved)
            notify_keyspace_event(NOTIFY_GENERIC, "del", key->p, key->len, c->db->id);
        srv.dirty += deleted;
    }
    reply_ll(c, deleted);
}

static void cmd_smove(client *c)
{
    const arg *src = &c->argv[1], *dst = &c->argv[2], *ele = &c->argv[3];
    obj *so = db_lookup_write(c, src->p, src->len);
    obj *dobj = db_lookup_write(c, dst->p, dst->len);
    if (!so) {
        reply_ll(c, 0);
        return;
    }
    if (wrong_type(c, so) || wrong_type(c, dobj))
        return;
    if (so == dobj) {
        reply_ll(c, mset_has(so->ptr, ele->p, ele->len));
        return;
    }
    if (!obj_remove(so, ele->p, ele->len)) {
        reply_ll(c, 0);
        return;
    }
    notify_keyspace_event(NOTIFY_SET, "srem", src->p, src->len, c->db->id);
    if (mset_len(so->ptr) == 0) {
        db_delete(c->db, src->p, src->len);
        notify_keyspace_event(NOTIFY_GENERIC, "del", src->p, src->len, c->db->id);
    }
    if (!dobj) {
        dobj = obj_new(OBJ_SET, mset_new_for(ele->p, ele->len));
        db_add(c->db, dst->p, dst->len, dobj);
    }
    signal_modified_key(c, c->db, src->p, src->len);
    srv.dirty++;
    if (obj_add(dobj, ele->p, ele->len)) {
        srv.dirty++;
        signal_modified_key(c, c->db, dst->p, dst->len);
        notify_keyspace_event(NOTIFY_SET, "sadd", dst->p, dst->len, c->db->id);
    }
    reply_ll(c, 1);
}

static void cmd_sismember(client *c)
{
    mset *s;
    if (lookup_read(c, &c->argv[1], &s) < 0)
        return;
    reply_ll(c, s && mset_has(s, c->argv[2].p, c->argv[2].len));
}

static void cmd_smismember(client *c)
{
    mset *s;
    if (lookup_read(c, &c->argv[1], &s) < 0)
        return;
    reply_array(c, c->argc - 2);
    for (int j = 2; j < c->argc; j++)
        reply_ll(c, s && mset_has(s, c->argv[j].p, c->argv[j].len));
}

static void cmd_scard(client *c)
{
    mset *s;
    if (lookup_read(c, &c->argv[1], &s) < 0)
        return;
    reply_ll(c, s ? (long long)mset_len(s) : 0);
}

/* ---- SPOP ---- */

static void propagate_srem(client *c, const arg *key, const mset_elem *e)
{
    arg av[3] = {{"SREM", 4}, *key, {e->p, e->len}};
    propagate_replace(c->db_id, av, 3);
}

/* Copy of a member that outlives changes to its set. */
typedef struct elem_copy {
    char small[64];
    mset_elem e;
    char *heap;
} elem_copy;

static void copy_elem(elem_copy *k, const mset_elem *e)
{
    k->e = *e;
    k->heap = NULL;
    char *dst = k->small;
    if (e->len > sizeof(k->small))
        dst = k->heap = ds_malloc(e->len);
    if (e->len)
        memcpy(dst, e->p, e->len);
    k->e.p = dst;
}

static void copy_done(elem_copy *k)
{
    ds_free(k->heap);
}

#define SPOP_MOVE_STRATEGY_MUL 5

static void spop_count(client *c)
{
    const arg *key = &c->argv[1];
    long long l;
    if (types_parse_positive(c, &c->argv[2], &l, NULL) < 0)
        return;
    obj *o = db_lookup_write(c, key->p, key->len);
    if (!o) {
        reply_empty_set(c);
        return;
    }
    if (wrong_type(c, o))
        return;
    unsigned long count = (unsigned long)l;
    if (count == 0) {
        reply_empty_set(c);
        return;
    }
    unsigned long size = mset_len(o->ptr);
    notify_keyspace_event(NOTIFY_SET, "spop", key->p, key->len, c->db->id);
    srv.dirty += (long long)(count >= size ? size : count);
    mset_iter it;
    mset_elem e;
    if (count >= size) {
        /* Everything: reply the set, delete the key, log a DEL. */
        reply_set(c, (long)size);
        mset_iter_init(&it, o->ptr);
        while (mset_iter_next(&it, &e))
            reply_elem(c, &e);
        mset_iter_done(&it);
        db_delete(c->db, key->p, key->len);
        notify_keyspace_event(NOTIFY_GENERIC, "del", key->p, key->len, c->db->id);
        arg av[2] = {{"DEL", 3}, *key};
        propagate_replace(c->db_id, av, 2);
        signal_modified_key(c, c->db, key->p, key->len);
        return;
    }
    reply_set(c, (long)count);
    unsigned long remaining = size - count;
    if (remaining * SPOP_MOVE_STRATEGY_MUL > count) {
        /* Few to pop: pick and remove them one by one. */
        while (count--) {
            elem_copy k;
            mset_random(o->ptr, &e);
            copy_elem(&k, &e);
            reply_elem(c, &k.e);
            obj_remove(o, k.e.p, k.e.len);
            propagate_srem(c, key, &k.e);
            copy_done(&k);
        }
    } else {
        /* Most of the set: move the survivors to a new set, reply the rest. */
        mset *keep = NULL;
        size_t max = types_set_max_intset();
        while (remaining--) {
            elem_copy k;
            mset_random(o->ptr, &e);
            copy_elem(&k, &e);
            if (!keep)
                keep = mset_new_for(k.e.p, k.e.len);
            keep = add_to(keep, k.e.p, k.e.len, max);
            obj_remove(o, k.e.p, k.e.len);
            copy_done(&k);
        }
        mset_iter_init(&it, o->ptr);
        while (mset_iter_next(&it, &e)) {
            reply_elem(c, &e);
            propagate_srem(c, key, &e);
        }
        mset_iter_done(&it);
        db_overwrite(c->db, key->p, key->len, obj_new(OBJ_SET, keep));
    }
    signal_modified_key(c, c->db, key->p, key->len);
}

static void cmd_spop(client *c)
{
    if (c->argc == 3) {
        spop_count(c);
        return;
    }
    if (c->argc > 3) {
        reply_syntax_error(c);
        return;
    }
    const arg *key = &c->argv[1];
    obj *o = db_lookup_write(c, key->p, key->len);
    if (!o) {
        reply_null(c);
        return;
    }
    if (wrong_type(c, o))
        return;
    mset_elem e;
    elem_copy k;
    mset_random(o->ptr, &e);
    copy_elem(&k, &e);
    obj_remove(o, k.e.p, k.e.len);
    notify_keyspace_event(NOTIFY_SET, "spop", key->p, key->len, c->db->id);
    propagate_srem(c, key, &k.e);
    reply_elem(c, &k.e);
    copy_done(&k);
    if (mset_len(o->ptr) == 0) {
        db_delete(c->db, key->p, key->len);
        notify_keyspace_event(NOTIFY_GENERIC, "del", key->p, key->len, c->db->id);
    }
    signal_modified_key(c, c->db, key->p, key->len);
    srv.dirty++;
}

/* ---- SRANDMEMBER ---- */

static void str_view(const void *key, const void **p, size_t *len)
{
    *p = key;
    *len = str_len((const str)key);
}

static void str_release(void *s)
{
    str_free(s);
}

static const dict_type pick_dict_type = {str_view, str_release, NULL, 0};

#define SRANDMEMBER_SUB_STRATEGY_MUL 3

static void srandmember_count(client *c)
{
    long long l;
    if (types_parse_range(c, &c->argv[2], -LONG_MAX, LONG_MAX, &l, NULL) < 0)
        return;
    mset *s;
    if (lookup_read(c, &c->argv[1], &s) < 0)
        return;
    if (!s) {
        reply_empty_array(c);
        return;
    }
    int uniq = l >= 0;
    unsigned long count = uniq ? (unsigned long)l : (unsigned long)-l, size = mset_len(s);
    if (count == 0) {
        reply_empty_array(c);
        return;
    }
    mset_elem e;
    mset_iter it;
    if (!uniq || count == 1) {
        reply_array(c, (long)count);
        while (count--) {
            mset_random(s, &e);
            reply_elem(c, &e);
            if (c->flags & CLIENT_CLOSE_ASAP)
                break;
        }
        return;
    }
    if (count >= size) {
        reply_array(c, (long)size);
        mset_iter_init(&it, s);
        while (mset_iter_next(&it, &e))
            reply_elem(c, &e);
        mset_iter_done(&it);
        return;
    }
    dict *d = dict_new(&pick_dict_type);
    if (count * SRANDMEMBER_SUB_STRATEGY_MUL > size) {
        mset_iter_init(&it, s);
        while (mset_iter_next(&it, &e))
            dict_add(d, str_new(e.p, e.len), NULL);
        mset_iter_done(&it);
        while (dict_size(d) > count) {
            dict_entry *de = dict_fair_random(d);
            dict_delete(d, de->key, str_len(de->key));
        }
    } else {
        while (dict_size(d) < count) {
            mset_random(s, &e);
            if (!dict_find(d, e.p, e.len))
                dict_add(d, str_new(e.p, e.len), NULL);
        }
    }
    reply_array(c, (long)count);
    dict_iter di;
    dict_entry *de;
    dict_iter_init(&di, d, 0);
    while ((de = dict_iter_next(&di)))
        reply_bulk(c, de->key, str_len(de->key));
    dict_iter_done(&di);
    dict_free(d);
}

static void cmd_srandmember(client *c)
{
    if (c->argc == 3) {
        srandmember_count(c);
        return;
    }
    if (c->argc > 3) {
        reply_syntax_error(c);
        return;
    }
    mset *s;
    if (lookup_read(c, &c->argv[1], &s) < 0)
        return;
    if (!s) {
        reply_null(c);
        return;
    }
    mset_elem e;
    mset_random(s, &e);
    reply_elem(c, &e);
}

/* ---- SINTER, SINTERCARD, SINTERSTORE, SMEMBERS ---- */

/* Look up n set keys for reading into sets[] (NULL if missing); returns
 * the number missing, or -1 after WRONGTYPE. */
static int lookup_sets(client *c, const arg *keys, int n, mset **sets)
{
    int missing = 0;
    for (int j = 0; j < n; j++) {
        if (lookup_read(c, &keys[j], &sets[j]) < 0)
            return -1;
        missing += sets[j] == NULL;
    }
    return missing;
}

static int by_size(const void *a, const void *b)
{
    size_t x = mset_len(*(mset *const *)a), y = mset_len(*(mset *const *)b);
    return x < y ? -1 : x > y;
}

static int in_all_others(mset **sets, int n, const mset_elem *e)
{
    for (int j = 1; j < n; j++) {
        if (sets[j] == sets[0])
            continue;
        if (!mset_has(sets[j], e->p, e->len))
            return 0;
    }
    return 1;
}

/* dst: SINTERSTORE's destination; cardinality: SINTERCARD (limit 0 = no
 * limit); otherwise reply the members as a set. */
static void sinter_generic(client *c, const arg *keys, int n, const arg *dst, int cardinality,
                           unsigned long limit)
{
    mset **sets = ds_malloc(sizeof(mset *) * (size_t)n);
    int missing = lookup_sets(c, keys, n, sets);
    if (missing < 0)
        goto done;
    if (missing > 0) {
        if (dst)
            store_result(c, dst, mset_new_intset(), "sinterstore");
        else if (cardinality)
            reply_ll(c, 0);
        else
            reply_empty_set(c);
        goto done;
    }
    qsort(sets, (size_t)n, sizeof(mset *), by_size);
    mset *out = dst ? mset_new_intset() : NULL;
    void *h = !dst && !cardinality ? reply_defer(c) : NULL;
    unsigned long count = 0;
    size_t max = types_set_max_intset();
    mset_iter it;
    mset_elem e;
    mset_iter_init(&it, sets[0]);
    while (mset_iter_next(&it, &e)) {
        if (!in_all_others(sets, n, &e))
            continue;
        count++;
        if (out)
            out = add_to(out, e.p, e.len, max);
        else if (h)
            reply_elem(c, &e);
        else if (limit && count >= limit)
            break;
    }
    mset_iter_done(&it);
    if (out)
        store_result(c, dst, out, "sinterstore");
    else if (h)
        reply_set_set_len(c, h, (long)count);
    else
        reply_ll(c, (long long)count);
done:
    ds_free(sets);
}

static void cmd_sinter(client *c)
{
    sinter_generic(c, c->argv + 1, c->argc - 1, NULL, 0, 0);
}

static void cmd_smembers(client *c)
{
    sinter_generic(c, c->argv + 1, 1, NULL, 0, 0);
}

static void cmd_sinterstore(client *c)
{
    sinter_generic(c, c->argv + 2, c->argc - 2, &c->argv[1], 0, 0);
}

static void cmd_sintercard(client *c)
{
    long long numkeys, limit = 0;
    if (types_parse_range(c, &c->argv[1], 1, LONG_MAX, &numkeys,
                          "numkeys should be greater than 0") < 0)
        return;
    if (numkeys > c->argc - 2) {
        reply_error(c, "Number of keys can't be greater than number of args");
        return;
    }
    for (int j = 2 + (int)numkeys; j < c->argc; j++) {
        int more = c->argc - 1 - j;
        if (arg_eq(&c->argv[j], "limit") && more) {
            j++;
            if (types_parse_positive(c, &c->argv[j], &limit, "LIMIT can't be negative") < 0)
                return;
        } else {
            reply_syntax_error(c);
            return;
        }
    }
    sinter_generic(c, c->argv + 2, (int)numkeys, NULL, 1, (unsigned long)limit);
}

/* ---- SUNION, SDIFF and their STORE forms ---- */

enum { OP_UNION, OP_DIFF };

static int by_size_desc(const void *a, const void *b)
{
    mset *x = *(mset *const *)a, *y = *(mset *const *)b;
    size_t lx = x ? mset_len(x) : 0, ly = y ? mset_len(y) : 0;
    return lx < ly ? 1 : lx > ly ? -1 : 0;
}

static mset *add_all(mset *out, const mset *s, size_t max)
{
    mset_iter it;
    mset_elem e;
    mset_iter_init(&it, s);
    while (mset_iter_next(&it, &e))
        out = add_to(out, e.p, e.len, max);
    mset_iter_done(&it);
    return out;
}

/* SDIFF: algorithm 1 checks each member of the first set against the
 * others (O(N*M)); algorithm 2 adds the first set and removes the others
 * (O(total)); Redis picks by estimated work. */
static mset *sdiff_into(mset *out, mset **sets, int n, size_t max)
{
    long long work1 = 0, work2 = 0;
    for (int j = 0; j < n; j++) {
        if (!sets[j])
            continue;
        work1 += (long long)mset_len(sets[0]);
        work2 += (long long)mset_len(sets[j]);
    }
    mset_iter it;
    mset_elem e;
    if (work1 / 2 <= work2) {
        if (n > 1)
            qsort(sets + 1, (size_t)n - 1, sizeof(mset *), by_size_desc);
        mset_iter_init(&it, sets[0]);
        while (mset_iter_next(&it, &e)) {
            int j;
            for (j = 1; j < n; j++)
                if (sets[j] && mset_has(sets[j], e.p, e.len))
                    break;
            if (j == n)
                out = add_to(out, e.p, e.len, max);
        }
        mset_iter_done(&it);
        return out;
    }
    out = add_all(out, sets[0], max);
    for (int j = 1; j < n && mset_len(out); j++) {
        if (!sets[j])
            continue;
        mset_iter_init(&it, sets[j]);
        while (mset_iter_next(&it, &e)) {
            int removed;
            out = mset_remove(out, e.p, e.len, &removed);
        }
        mset_iter_done(&it);
    }
    return out;
}

static void sunion_diff_generic(client *c, const arg *keys, int n, const arg *dst, int op)
{
    mset **sets = ds_malloc(sizeof(mset *) * (size_t)n);
    if (lookup_sets(c, keys, n, sets) < 0)
        goto done;
    int sameset = 0;
    for (int j = 1; j < n; j++)
        sameset |= sets[j] && sets[j] == sets[0];
    mset *out = mset_new_intset();
    size_t max = types_set_max_intset();
    if (op == OP_UNION) {
        for (int j = 0; j < n; j++)
            if (sets[j])
                out = add_all(out, sets[j], max);
    } else if (sets[0] && !sameset) {
        out = sdiff_into(out, sets, n, max);
    }
    if (dst) {
        store_result(c, dst, out, op == OP_UNION ? "sunionstore" : "sdiffstore");
        goto done;
    }
    reply_set(c, (long)mset_len(out));
    mset_iter it;
    mset_elem e;
    mset_iter_init(&it, out);
    while (mset_iter_next(&it, &e))
        reply_elem(c, &e);
    mset_iter_done(&it);
    mset_free(out);
done:
    ds_free(sets);
}

static void cmd_sunion(client *c)
{
    sunion_diff_generic(c, c->argv + 1, c->argc - 1, NULL, OP_UNION);
}

static void cmd_sunionstore(client *c)
{
    sunion_diff_generic(c, c->argv + 2, c->argc - 2, &c->argv[1], OP_UNION);
}

static void cmd_sdiff(client *c)
{
    sunion_diff_generic(c, c->argv + 1, c->argc - 1, NULL, OP_DIFF);
}

static void cmd_sdiffstore(client *c)
{
    sunion_diff_generic(c, c->argv + 2, c->argc - 2, &c->argv[1], OP_DIFF);
}

/* ---- SSCAN ---- */

static void sscan_add(void *priv, const char *m, size_t len)
{
    scan_acc_add(priv, m, len);
}

static size_t sscan_step(void *s, size_t cursor, scan_acc *a)
{
    return mset_scan(s, cursor, sscan_add, a);
}

static void cmd_sscan(client *c)
{
    size_t cursor;
    mset *s;
    scan_opts o;
    if (types_parse_cursor(c, &c->argv[2], &cursor) < 0 || lookup_read(c, &c->argv[1], &s) < 0)
        return;
    if (!s) {
        reply_array(c, 2);
        reply_bulk(c, "0", 1);
        reply_array(c, 0);
        return;
    }
    if (types_parse_scan_opts(c, 3, 0, &o) < 0)
        return;
    scan_acc a;
    scan_acc_init(&a);
    cursor = scan_acc_run(&a, s, cursor, o.count, sscan_step);
    scan_acc_reply(c, &a, cursor, &o, 0);
    scan_acc_free(&a);
}

/* ---- command table (arity, flags, keys and docs from Redis 7.0.15) ---- */

command cmd_set_table[] = {
    {.name = "sadd", .proc = cmd_sadd, .arity = -3,
     .flags = CMD_WRITE | CMD_DENYOOM | CMD_FAST,
     .first_key = 1, .last_key = 1, .key_step = 1, .group = "set",
     .summary = "Add one or more members to a set",
     .since = "1.0.0", .acl = "write set fast",
     .complexity = "O(1) for each element added, so O(N) to add N elements when the command is "
                   "called with multiple arguments."},
    {.name = "srem", .proc = cmd_srem, .arity = -3,
     .flags = CMD_WRITE | CMD_FAST,
     .first_key = 1, .last_key = 1, .key_step = 1, .group = "set",
     .summary = "Remove one or more members from a set",
     .since = "1.0.0", .acl = "write set fast",
     .complexity = "O(N) where N is the number of members to be removed."},
    {.name = "smembers", .proc = cmd_smembers, .arity = 2,
     .flags = CMD_READONLY,
     .first_key = 1, .last_key = 1, .key_step = 1, .group = "set",
     .summary = "Get all the members in a set",
     .since = "1.0.0", .acl = "read set slow",
     .complexity = "O(N) where N is the set cardinality."},
    {.name = "sismember", .proc = cmd_sismember, .arity = 3,
     .flags = CMD_READONLY | CMD_FAST,
     .first_key = 1, .last_key = 1, .key_step = 1, .group = "set",
     .summary = "Determine if a given value is a member of a set",
     .since = "1.0.0", .acl = "read set fast",
     .complexity = "O(1)"},
    {.name = "smismember", .proc = cmd_smismember, .arity = -3,
     .flags = CMD_READONLY | CMD_FAST,
     .first_key = 1, .last_key = 1, .key_step = 1, .group = "set",
     .summary = "Returns the membership associated with the given elements for a set",
     .since = "6.2.0", .acl = "read set fast",
     .complexity = "O(N) where N is the number of elements being checked for membership"},
    {.name = "scard", .proc = cmd_scard, .arity = 2,
     .flags = CMD_READONLY | CMD_FAST,
     .first_key = 1, .last_key = 1, .key_step = 1, .group = "set",
     .summary = "Get the number of members in a set",
     .since = "1.0.0", .acl = "read set fast",
     .complexity = "O(1)"},
    {.name = "spop", .proc = cmd_spop, .arity = -2,
     .flags = CMD_WRITE | CMD_FAST,
     .first_key = 1, .last_key = 1, .key_step = 1, .group = "set",
     .summary = "Remove and return one or multiple random members from a set",
     .since = "1.0.0", .acl = "write set fast",
     .complexity = "Without the count argument O(1), otherwise O(N) where N is the value of the "
                   "passed count."},
    {.name = "srandmember", .proc = cmd_srandmember, .arity = -2,
     .flags = CMD_READONLY,
     .first_key = 1, .last_key = 1, .key_step = 1, .group = "set",
     .summary = "Get one or multiple random members from a set",
     .since = "1.0.0", .acl = "read set slow",
     .complexity = "Without the count argument O(1), otherwise O(N) where N is the absolute "
                   "value of the passed count."},
    {.name = "smove", .proc = cmd_smove, .arity = 4,
     .flags = CMD_WRITE | CMD_FAST,
     .first_key = 1, .last_key = 2, .key_step = 1, .group = "set",
     .summary = "Move a member from one set to another",
     .since = "1.0.0", .acl = "write set fast",
     .complexity = "O(1)"},
    {.name = "sinter", .proc = cmd_sinter, .arity = -2,
     .flags = CMD_READONLY,
     .first_key = 1, .last_key = -1, .key_step = 1, .group = "set",
     .summary = "Intersect multiple sets",
     .since = "1.0.0", .acl = "read set slow",
     .complexity = "O(N*M) worst case where N is the cardinality of the smallest set and M is "
                   "the number of sets."},
    {.name = "sintercard", .proc = cmd_sintercard, .arity = -3,
     .flags = CMD_READONLY | CMD_MOVABLE_KEYS,
     .first_key = 0, .last_key = 0, .key_step = 0, .group = "set",
     .summary = "Intersect multiple sets and return the cardinality of the result",
     .since = "7.0.0", .acl = "read set slow",
     .complexity = "O(N*M) worst case where N is the cardinality of the smallest set and M is "
                   "the number of sets."},
    {.name = "sinterstore", .proc = cmd_sinterstore, .arity = -3,
     .flags = CMD_WRITE | CMD_DENYOOM,
     .first_key = 1, .last_key = -1, .key_step = 1, .group = "set",
     .summary = "Intersect multiple sets and store the resulting set in a key",
     .since = "1.0.0", .acl = "write set slow",
     .complexity = "O(N*M) worst case where N is the cardinality of the smallest set and M is "
                   "the number of sets."},
    {.name = "sunion", .proc = cmd_sunion, .arity = -2,
     .flags = CMD_READONLY,
     .first_key = 1, .last_key = -1, .key_step = 1, .group = "set",
     .summary = "Add multiple sets",
     .since = "1.0.0", .acl = "read set slow",
     .complexity = "O(N) where N is the total number of elements in all given sets."},
    {.name = "sunionstore", .proc = cmd_sunionstore, .arity = -3,
     .flags = CMD_WRITE | CMD_DENYOOM,
     .first_key = 1, .last_key = -1, .key_step = 1, .group = "set",
     .summary = "Add multiple sets and store the resulting set in a key",
     .since = "1.0.0", .acl = "write set slow",
     .complexity = "O(N) where N is the total number of elements in all given sets."},
    {.name = "sdiff", .proc = cmd_sdiff, .arity = -2,
     .flags = CMD_READONLY,
     .first_key = 1, .last_key = -1, .key_step = 1, .group = "set",
     .summary = "Subtract multiple sets",
     .since = "1.0.0", .acl = "read set slow",
     .complexity = "O(N) where N is the total number of elements in all given sets."},
    {.name = "sdiffstore", .proc = cmd_sdiffstore, .arity = -3,
     .flags = CMD_WRITE | CMD_DENYOOM,
     .first_key = 1, .last_key = -1, .key_step = 1, .group = "set",
     .summary = "Subtract multiple sets and store the resulting set in a key",
     .since = "1.0.0", .acl = "write set slow",
     .complexity = "O(N) where N is the total number of elements in all given sets."},
    {.name = "sscan", .proc = cmd_sscan, .arity = -3,
     .flags = CMD_READONLY,
     .first_key = 1, .last_key = 1, .key_step = 1, .group = "set",
     .summary = "Incrementally iterate Set elements",
     .since = "2.8.0", .acl = "read set slow",
     .complexity = "O(1) for every call. O(N) for a complete iteration, including enough "
                   "command calls for the cursor to return back to 0. N is the number of "
                   "elements inside the collection.."},
    {.name = NULL},
};
