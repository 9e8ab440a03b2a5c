/* cmd/keys.c - type-agnostic keyspace commands: DEL, UNLINK, EXISTS, TYPE,
 * KEYS, SCAN, RANDOMKEY, RENAME(NX), COPY, MOVE, DBSIZE, FLUSHDB, FLUSHALL,
 * SWAPDB, TOUCH, the EXPIRE family, TTL family, PERSIST and OBJECT.
 *
 * Invariants kept by every handler here:
 *  - a key that has expired is never reported (lookups go through
 *    db_lookup, which deletes it lazily; KEYS only asks db_key_expired);
 *  - each change to a key is followed by signal_modified_key (WATCH), the
 *    keyspace event Redis fires for it, and srv.dirty++ (AOF propagation);
 *  - keys borrowed from the dict (KEYS, SCAN, RANDOMKEY) are used only while
 *    they are known to be live: a lazy expiry frees the key's bytes, so any
 *    key that may be deleted is copied first.
 *
 * Replies and error strings are Redis 7.0.15's, byte for byte. */
#include "../ds/alloc.h"
#include "../ds/glob.h"
#include "../ds/util.h"
#include "../multi.h"
#include "../server.h"
#include "types.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define ERR_SAMEOBJ "source and destination objects are the same"
#define ERR_DBRANGE "DB index is out of range"

/* maxmemory-policy values (config.c's table order) that use LFU. */
#define POLICY_ALLKEYS_LFU 3
#define POLICY_VOLATILE_LFU 4
#define LFU_DECAY_MINUTES 1 /* lfu-decay-time default */

static int policy_is_lfu(void)
{
    return srv.maxmemory_policy == POLICY_ALLKEYS_LFU ||
           srv.maxmemory_policy == POLICY_VOLATILE_LFU;
}

/* Redis's lookupKeyReadWithFlags: lazy expiry, hit/miss statistics and the
 * "keymiss" event (unless LOOKUP_NONOTIFY). */
static obj *lookup_read(client *c, const arg *k, int flags)
{
    if (c->flags & CLIENT_NO_TOUCH)
        flags |= LOOKUP_NOTOUCH;
    obj *o = db_lookup(c->db, k->p, k->len, flags);
    if (o) {
        srv.stat_keyspace_hits++;
    } else {
        srv.stat_keyspace_misses++;
        if (!(flags & LOOKUP_NONOTIFY))
            notify_keyspace_event(NOTIFY_KEY_MISS, "keymiss", k->p, k->len, c->db->id);
    }
    return o;
}

static obj *lookup_write(db *d, const arg *k)
{
    return db_lookup(d, k->p, k->len, LOOKUP_WRITE);
}

static void key_changed(client *c, db *d, const arg *k, const char *event)
{
    signal_modified_key(c, d, k->p, k->len);
    notify_keyspace_event(NOTIFY_GENERIC, event, k->p, k->len, d->id);
    srv.dirty++;
}

/* A database index argument: Redis's getIntFromObjectOrReply, then
 * selectDb's range check. */
static db *arg_db(client *c, const arg *a)
{
    long long id;
    if (arg_ll(c, a, &id, NULL) < 0)
        return NULL;
    if (id < INT_MIN || id > INT_MAX) {
        reply_errorf(c, "value is out of range, value must between %d and %d", INT_MIN, INT_MAX);
        return NULL;
    }
    db *d = db_get((int)id);
    if (!d)
        reply_error(c, ERR_DBRANGE);
    return d;
}

/* ---- DEL, UNLINK, EXISTS, TYPE, TOUCH, DBSIZE ---- */

static void del_generic(client *c)
{
    long long n = 0;
    for (int j = 1; j < c->argc; j++) {
        const arg *k = &c->argv[j];
        /* An expired key is deleted as "expired", not counted as a DEL. */
        db_lookup(c->db, k->p, k->len, LOOKUP_NOTOUCH | LOOKUP_WRITE);
        if (db_delete(c->db, k->p, k->len)) {
            key_changed(c, c->db, k, "del");
            n++;
        }
    }
    reply_ll(c, n);
}

static void cmd_del(client *c)
{
    del_generic(c);
}

/* UNLINK frees synchronously: the values Sluice holds free in O(chunks). */
static void cmd_unlink(client *c)
{
    del_generic(c);
}

static void cmd_exists(client *c)
{
    long long n = 0;
    for (int j = 1; j < c->argc; j++)
        if (lookup_read(c, &c->argv[j], LOOKUP_NOTOUCH))
            n++;
    reply_ll(c, n);
}

static void cmd_type(client *c)
{
    obj *o = lookup_read(c, &c->argv[1], LOOKUP_NOTOUCH);
    reply_status(c, o ? obj_type_name(o) : "none");
}

static void cmd_touch(client *c)
{
    long long n = 0;
    for (int j = 1; j < c->argc; j++) {
        /* TOUCH updates the access time even for a CLIENT NO-TOUCH client. */
        const arg *k = &c->argv[j];
        obj *o = db_lookup(c->db, k->p, k->len, LOOKUP_NONE);
        if (o) {
            srv.stat_keyspace_hits++;
            n++;
        } else {
            srv.stat_keyspace_misses++;
            notify_keyspace_event(NOTIFY_KEY_MISS, "keymiss", k->p, k->len, c->db->id);
        }
    }
    reply_ll(c, n);
}

static void cmd_dbsize(client *c)
{
    reply_ll(c, (long long)db_size(c->db));
}

/* ---- KEYS ---- */

static void cmd_keys(client *c)
{
    const arg *pat = &c->argv[1];
    int all = pat->len == 1 && pat->p[0] == '*';
    db *d = c->db;
    long n = 0;
    void *h = reply_defer(c);
    dict_iter it;
    dict_iter_init(&it, d->keys, 1);
    dict_entry *e;
    while ((e = dict_iter_next(&it))) {
        const str k = e->key;
        size_t len = str_len(k);
        if ((all || glob_match(pat->p, pat->len, k, len, 0)) && !db_key_expired(d, k, len)) {
            reply_bulk(c, k, len);
            n++;
        }
        if (c->flags & CLIENT_CLOSE_ASAP)
            break;
    }
    dict_iter_done(&it);
    reply_set_array_len(c, h, n);
}

/* ---- SCAN ---- */

typedef struct scan_batch {
    str *keys; /* borrowed from the dict: valid until the next write */
    size_t n, cap;
} scan_batch;

static void scan_collect(void *priv, dict_entry *e)
{
    scan_batch *b = priv;
    if (b->n == b->cap) {
        b->cap = b->cap ? b->cap * 2 : 16;
        b->keys = ds_realloc(b->keys, b->cap * sizeof(str));
    }
    b->keys[b->n++] = e->key;
}

/* Filter one key of a batch and reply with it if it stays, Redis's order:
 * pattern, then type (a lookup, which deletes an expired key and makes its
 * type "none"), then expiry.  Returns 1 if a bulk was emitted. */
static int scan_emit(client *c, const scan_opts *o, const str k)
{
    db *d = c->db;
    size_t len = str_len(k);
    if (o->pat && !glob_match(o->pat->p, o->pat->len, k, len, 0))
        return 0;
    if (!db_key_expired(d, k, len)) {
        if (o->type) {
            arg ka = {k, len};
            obj *v = lookup_read(c, &ka, LOOKUP_NOTOUCH);
            const char *tn = v ? obj_type_name(v) : "none";
            if (strlen(tn) != o->type->len || strncasecmp(tn, o->type->p, o->type->len))
                return 0;
        }
        reply_bulk(c, k, len);
        return 1;
    }
    /* Expired: the lookup below frees k, so keep a copy of the name. */
    str copy = str_new(k, len);
    arg ka = {copy, len};
    int keep = 0;
    if (o->type) {
        lookup_read(c, &ka, LOOKUP_NOTOUCH);
        /* Redis quirk: the key is gone, its type is "none", and the expiry
         * check that follows finds nothing left to expire. */
        keep = o->type->len == 4 && strncasecmp(o->type->p, "none", 4) == 0;
    } else {
        db_lookup(d, copy, len, LOOKUP_NOTOUCH);
    }
    if (keep)
        reply_bulk(c, copy, len);
    str_free(copy);
    return keep;
}

static void cmd_scan(client *c)
{
    size_t cursor;
    scan_opts o;
    if (types_parse_cursor(c, &c->argv[1], &cursor) < 0 ||
        types_parse_scan_opts(c, 2, 1, &o) < 0)
        return;
    scan_batch b = {NULL, 0, 0};
    /* At most 10 * COUNT buckets: a sparse table may return few keys. */
    long long maxiter = o.count * 10;
    do {
        cursor = dict_scan(c->db->keys, cursor, scan_collect, &b);
    } while (cursor && maxiter-- && b.n < (size_t)o.count);

    char cur[32];
    int cl = ull_to_str(cur, sizeof(cur), cursor);
    reply_array(c, 2);
    reply_bulk(c, cur, (size_t)cl);
    void *h = reply_defer(c);
    long n = 0;
    for (size_t i = 0; i < b.n; i++)
        n += scan_emit(c, &o, b.keys[i]);
    reply_set_array_len(c, h, n);
    ds_free(b.keys);
}

/* ---- RANDOMKEY ---- */

static void cmd_randomkey(client *c)
{
    db *d = c->db;
    /* Each expired pick is deleted before the next try, so the loop ends:
     * at worst when every key has expired and the db is empty. */
    for (;;) {
        dict_entry *e = dict_random(d->keys);
        if (!e) {
            reply_null(c);
            return;
        }
        const str k = e->key;
        size_t len = str_len(k);
        if (!db_key_expired(d, k, len)) {
            reply_bulk(c, k, len);
            return;
        }
        str copy = str_new(k, len);
        db_lookup(d, copy, len, LOOKUP_NOTOUCH); /* deletes it as expired */
        int gone = dict_find(d->keys, copy, len) == NULL;
        str_free(copy);
        if (!gone) { /* cannot happen: never spin on a key that stays */
            reply_bulk(c, e->key, len);
            return;
        }
    }
}

/* ---- RENAME, RENAMENX, MOVE, COPY ---- */

static void rename_generic(client *c, int nx)
{
    const arg *src = &c->argv[1], *dst = &c->argv[2];
    int same = src->len == dst->len && memcmp(src->p, dst->p, src->len) == 0;
    if (!lookup_write(c->db, src)) {
        reply_error(c, ERR_NOKEY);
        return;
    }
    if (same) {
        if (nx)
            reply_ll(c, 0);
        else
            reply_ok(c);
        return;
    }
    long long when = db_get_expire(c->db, src->p, src->len);
    if (lookup_write(c->db, dst)) {
        if (nx) {
            reply_ll(c, 0);
            return;
        }
        db_delete(c->db, dst->p, dst->len);
    }
    obj *o = db_take(c->db, src->p, src->len);
    db_add(c->db, dst->p, dst->len, o);
    if (when != -1)
        db_set_expire(c->db, dst->p, dst->len, when);
    signal_modified_key(c, c->db, src->p, src->len);
    signal_modified_key(c, c->db, dst->p, dst->len);
    notify_keyspace_event(NOTIFY_GENERIC, "rename_from", src->p, src->len, c->db->id);
    notify_keyspace_event(NOTIFY_GENERIC, "rename_to", dst->p, dst->len, c->db->id);
    srv.dirty++;
    if (nx)
        reply_ll(c, 1);
    else
        reply_ok(c);
}

static void cmd_rename(client *c)
{
    rename_generic(c, 0);
}

static void cmd_renamenx(client *c)
{
    rename_generic(c, 1);
}

static void cmd_move(client *c)
{
    const arg *k = &c->argv[1];
    db *src = c->db;
    db *dst = arg_db(c, &c->argv[2]);
    if (!dst)
        return;
    if (src == dst) {
        reply_error(c, ERR_SAMEOBJ);
        return;
    }
    if (!lookup_write(src, k)) {
        reply_ll(c, 0);
        return;
    }
    long long when = db_get_expire(src, k->p, k->len);
    if (lookup_write(dst, k)) {
        reply_ll(c, 0);
        return;
    }
    obj *o = db_take(src, k->p, k->len);
    db_add(dst, k->p, k->len, o);
    if (when != -1)
        db_set_expire(dst, k->p, k->len, when);
    signal_modified_key(c, src, k->p, k->len);
    signal_modified_key(c, dst, k->p, k->len);
    notify_keyspace_event(NOTIFY_GENERIC, "move_from", k->p, k->len, src->id);
    notify_keyspace_event(NOTIFY_GENERIC, "move_to", k->p, k->len, dst->id);
    srv.dirty++;
    reply_ll(c, 1);
}

static void cmd_copy(client *c)
{
    const arg *k = &c->argv[1], *nk = &c->argv[2];
    db *src = c->db, *dst = c->db;
    int replace = 0;
    for (int j = 3; j < c->argc; j++) {
        if (arg_eq(&c->argv[j], "replace")) {
            replace = 1;
        } else if (arg_eq(&c->argv[j], "db") && j + 1 < c->argc) {
            dst = arg_db(c, &c->argv[++j]);
            if (!dst)
                return;
        } else {
            reply_syntax_error(c);
            return;
        }
    }
    if (src == dst && k->len == nk->len && memcmp(k->p, nk->p, k->len) == 0) {
        reply_error(c, ERR_SAMEOBJ);
        return;
    }
    obj *o = lookup_read(c, k, LOOKUP_NONE);
    if (!o) {
        reply_ll(c, 0);
        return;
    }
    long long when = db_get_expire(src, k->p, k->len);
    int exists = lookup_write(dst, nk) != NULL;
    if (exists && !replace) {
        reply_ll(c, 0);
        return;
    }
    const obj_type_ops *ops = obj_ops(o->type);
    if (!ops || !ops->dup) {
        reply_error(c, "unknown type object");
        return;
    }
    obj *copy = obj_dup(o);
    if (exists)
        db_delete(dst, nk->p, nk->len);
    db_add(dst, nk->p, nk->len, copy);
    if (when != -1)
        db_set_expire(dst, nk->p, nk->len, when);
    key_changed(c, dst, nk, "copy_to");
    reply_ll(c, 1);
}

/* ---- FLUSHDB, FLUSHALL, SWAPDB ---- */

/* A stream that a client blocks on (XREADGROUP) and that goes away with a
 * flush or swap must wake that client so it can reply with an error. */
static void signal_deleted_streams(db *emptied, db *replaced_with)
{
    if (dict_size(emptied->blocking) == 0)
        return;
    dict_iter it;
    dict_iter_init(&it, emptied->blocking, 1);
    dict_entry *e;
    while ((e = dict_iter_next(&it))) {
        const str k = e->key;
        size_t len = str_len(k);
        obj *was = dict_fetch(emptied->keys, k, len);
        obj *is = replaced_with ? dict_fetch(replaced_with->keys, k, len) : NULL;
        if (was && was->type == OBJ_STREAM && !(is && is->type == OBJ_STREAM))
            signal_key_ready(emptied, k, len);
    }
    dict_iter_done(&it);
}

/* After a swap, keys that clients block on may now exist: wake them. */
static void signal_ready_after_swap(db *d)
{
    if (dict_size(d->blocking) == 0)
        return;
    dict_iter it;
    dict_iter_init(&it, d->blocking, 1);
    dict_entry *e;
    while ((e = dict_iter_next(&it))) {
        const str k = e->key;
        obj *o = dict_fetch(d->keys, k, str_len(k));
        if (o && (o->type == OBJ_LIST || o->type == OBJ_ZSET || o->type == OBJ_STREAM))
            signal_key_ready(d, k, str_len(k));
    }
    dict_iter_done(&it);
}

/* WATCHed keys of `emptied` whose value changes because the db's contents
 * are replaced by those of `with` (see multi_touch_swapped). */
static void touch_swapped(db *emptied, db *with)
{
    multi_touch_swapped(emptied, with);
}

/* [ASYNC|SYNC]; both free synchronously for now. */
static int flush_opts(client *c)
{
    if (c->argc == 1)
        return 0;
    if (c->argc == 2 && (arg_eq(&c->argv[1], "sync") || arg_eq(&c->argv[1], "async")))
        return 0;
    reply_syntax_error(c);
    return -1;
}

/* Redis propagates a flush even when nothing was removed (so replicas and
 * the AOF see it); call() alone would only do so when dirty moved. */
static void flush_done(client *c, long long removed)
{
    srv.dirty += removed;
    propagate_replace(c->db_id, c->argv, c->argc);
    reply_ok(c);
}

static void cmd_flushdb(client *c)
{
    if (flush_opts(c) < 0)
        return;
    signal_deleted_streams(c->db, NULL);
    signal_flushed_db(c->db->id);
    flush_done(c, db_flush(c->db));
}

static void cmd_flushall(client *c)
{
    if (flush_opts(c) < 0)
        return;
    for (int i = 0; i < srv.dbnum; i++)
        signal_deleted_streams(db_get(i), NULL);
    signal_flushed_db(-1);
    long long removed = 0;
    for (int i = 0; i < srv.dbnum; i++)
        removed += db_flush(db_get(i));
    /* TODO(persistence): Redis also saves an RDB here when save points are
     * configured, and kills a running RDB child. */
    flush_done(c, removed);
}

static void cmd_swapdb(client *c)
{
    long long a, b;
    if (arg_ll_range(c, &c->argv[1], INT_MIN, INT_MAX, &a, "invalid first DB index") < 0 ||
        arg_ll_range(c, &c->argv[2], INT_MIN, INT_MAX, &b, "invalid second DB index") < 0)
        return;
    db *x = db_get((int)a), *y = db_get((int)b);
    if (!x || !y) {
        reply_error(c, ERR_DBRANGE);
        return;
    }
    if (x != y) {
        touch_swapped(x, y);
        touch_swapped(y, x);
        signal_deleted_streams(x, y);
        signal_deleted_streams(y, x);
        db_swap((int)a, (int)b);
        signal_ready_after_swap(x);
        signal_ready_after_swap(y);
    }
    srv.dirty++;
    reply_ok(c);
}

/* ---- EXPIRE, PEXPIRE, EXPIREAT, PEXPIREAT ---- */

#define EXP_NX (1 << 0)
#define EXP_XX (1 << 1)
#define EXP_GT (1 << 2)
#define EXP_LT (1 << 3)

static int parse_expire_flags(client *c, int *flags)
{
    *flags = 0;
    for (int j = 3; j < c->argc; j++) {
        const arg *a = &c->argv[j];
        if (arg_eq(a, "nx")) {
            *flags |= EXP_NX;
        } else if (arg_eq(a, "xx")) {
            *flags |= EXP_XX;
        } else if (arg_eq(a, "gt")) {
            *flags |= EXP_GT;
        } else if (arg_eq(a, "lt")) {
            *flags |= EXP_LT;
        } else {
            reply_errorf(c, "Unsupported option %.*s", (int)a->len, a->p);
            return -1;
        }
    }
    if ((*flags & EXP_NX) && (*flags & (EXP_XX | EXP_GT | EXP_LT))) {
        reply_error(c, "NX and XX, GT or LT options at the same time are not compatible");
        return -1;
    }
    if ((*flags & EXP_GT) && (*flags & EXP_LT)) {
        reply_error(c, "GT and LT options at the same time are not compatible");
        return -1;
    }
    return 0;
}

/* Whether NX/XX/GT/LT let a key whose current expiry is `cur` (-1: none)
 * take the new absolute time `when`.  No expiry counts as infinite. */
static int expire_allowed(int flags, long long cur, long long when)
{
    if ((flags & EXP_NX) && cur != -1)
        return 0;
    if ((flags & EXP_XX) && cur == -1)
        return 0;
    if ((flags & EXP_GT) && (cur == -1 || when <= cur))
        return 0;
    if ((flags & EXP_LT) && cur != -1 && when >= cur)
        return 0;
    return 1;
}

static void expire_generic(client *c, long long basetime, int seconds)
{
    const arg *k = &c->argv[1];
    int flags;
    long long when;
    if (parse_expire_flags(c, &flags) < 0 || arg_ll(c, &c->argv[2], &when, NULL) < 0)
        return;
    /* Negative values are allowed, overflow is not. */
    if (seconds) {
        if (when > LLONG_MAX / 1000 || when < LLONG_MIN / 1000)
            goto invalid;
        when *= 1000;
    }
    if (when > LLONG_MAX - basetime)
        goto invalid;
    when += basetime;

    if (!lookup_write(c->db, k)) {
        reply_ll(c, 0);
        return;
    }
    if (flags && !expire_allowed(flags, db_get_expire(c->db, k->p, k->len), when)) {
        reply_ll(c, 0);
        return;
    }
    if (when <= el_wall_ms() && !srv.loading) {
        /* Already in the past: the key is deleted at once, and logged as
         * the deletion itself. */
        db_delete(c->db, k->p, k->len);
        arg del[2] = {{srv.lazyfree_lazy_expire ? "UNLINK" : "DEL", 0}, *k};
        del[0].len = strlen(del[0].p);
        propagate_replace(c->db_id, del, 2);
        key_changed(c, c->db, k, "del");
        reply_ll(c, 1);
        return;
    }
    db_set_expire(c->db, k->p, k->len, when);
    /* Logged as PEXPIREAT with the absolute time (options kept, as Redis
     * does), so that replaying the AOF later keeps the same deadline. */
    char buf[32];
    arg small[8];
    arg *pe = c->argc <= 8 ? small : ds_malloc(sizeof(arg) * (size_t)c->argc);
    memcpy(pe, c->argv, sizeof(arg) * (size_t)c->argc);
    pe[0] = (arg){"PEXPIREAT", 9};
    pe[2] = (arg){buf, (size_t)ll_to_str(buf, sizeof(buf), when)};
    propagate_replace(c->db_id, pe, c->argc);
    if (pe != small)
        ds_free(pe);
    key_changed(c, c->db, k, "expire");
    reply_ll(c, 1);
    return;

invalid:
    reply_errorf(c, "invalid expire time in '%s' command", ((command *)c->cmd)->fullname);
}

static void cmd_expire(client *c)
{
    expire_generic(c, el_wall_ms(), 1);
}

static void cmd_pexpire(client *c)
{
    expire_generic(c, el_wall_ms(), 0);
}

static void cmd_expireat(client *c)
{
    expire_generic(c, 0, 1);
}

static void cmd_pexpireat(client *c)
{
    expire_generic(c, 0, 0);
}

/* ---- TTL, PTTL, EXPIRETIME, PEXPIRETIME, PERSIST ---- */

static void ttl_generic(client *c, int in_ms, int absolute)
{
    const arg *k = &c->argv[1];
    if (!lookup_read(c, k, LOOKUP_NOTOUCH)) {
        reply_ll(c, -2);
        return;
    }
    long long when = db_get_expire(c->db, k->p, k->len);
    if (when == -1) {
        reply_ll(c, -1);
        return;
    }
    long long t = absolute ? when : when - el_wall_ms();
    if (t < 0)
        t = 0;
    reply_ll(c, in_ms ? t : (t + 500) / 1000);
}

static void cmd_ttl(client *c)
{
    ttl_generic(c, 0, 0);
}

static void cmd_pttl(client *c)
{
    ttl_generic(c, 1, 0);
}

static void cmd_expiretime(client *c)
{
    ttl_generic(c, 0, 1);
}

static void cmd_pexpiretime(client *c)
{
    ttl_generic(c, 1, 1);
}

static void cmd_persist(client *c)
{
    const arg *k = &c->argv[1];
    if (lookup_write(c->db, k) && db_remove_expire(c->db, k->p, k->len)) {
        key_changed(c, c->db, k, "persist");
        reply_ll(c, 1);
        return;
    }
    reply_ll(c, 0);
}

/* ---- OBJECT ---- */

static obj *object_lookup(client *c)
{
    obj *o = lookup_read(c, &c->argv[2], LOOKUP_NOTOUCH | LOOKUP_NONOTIFY);
    if (!o)
        reply_null(c);
    return o;
}

static void cmd_object_encoding(client *c)
{
    obj *o = object_lookup(c);
    if (o)
        reply_bulk_c(c, obj_encoding(o));
}

/* Sluice keeps no shared objects, but reports what Redis would: small
 * non-negative integers are shared (refcount INT_MAX) unless an LRU/LFU
 * policy with a maxmemory limit forbids sharing. */
static void cmd_object_refcount(client *c)
{
    obj *o = object_lookup(c);
    if (!o)
        return;
    long long v;
    int no_share = srv.maxmemory && srv.maxmemory_policy >= 1 && srv.maxmemory_policy <= 4;
    if (!no_share && o->type == OBJ_STRING && obj_get_ll(o, &v) == 0 && v >= 0 && v < 10000)
        reply_ll(c, INT_MAX);
    else
        reply_ll(c, 1);
}

static void cmd_object_idletime(client *c)
{
    obj *o = object_lookup(c);
    if (!o)
        return;
    if (policy_is_lfu()) {
        reply_error(c, "An LFU maxmemory policy is selected, idle time not tracked. Please "
                       "note that when switching between policies at runtime LRU and LFU "
                       "data will take some time to adjust.");
        return;
    }
    uint32_t now = obj_clock();
    reply_ll(c, now >= o->atime ? (long long)(now - o->atime) : 0);
}

static void cmd_object_freq(client *c)
{
    obj *o = object_lookup(c);
    if (!o)
        return;
    if (!policy_is_lfu()) {
        reply_error(c, "An LFU maxmemory policy is not selected, access frequency not "
                       "tracked. Please note that when switching between policies at "
                       "runtime LRU and LFU data will take some time to adjust.");
        return;
    }
    /* The counter decays by one per idle period since the last access. */
    uint32_t now = obj_clock();
    long long idle_min = now >= o->atime ? (long long)(now - o->atime) / 60 : 0;
    long long periods = idle_min / LFU_DECAY_MINUTES;
    long long counter = o->freq & 0xff;
    reply_ll(c, periods > counter ? 0 : counter - periods);
}

static void cmd_object_help(client *c)
{
    static const char *lines[] = {
        "ENCODING <key>",
        "    Return the kind of internal representation used in order to store the value",
        "    associated with a <key>.",
        "FREQ <key>",
        "    Return the access frequency index of the <key>. The returned integer is",
        "    proportional to the logarithm of the recent access frequency of the key.",
        "IDLETIME <key>",
        "    Return the idle time of the <key>, that is the approximated number of",
        "    seconds elapsed since the last access to the key.",
        "REFCOUNT <key>",
        "    Return the number of references of the value associated with the specified",
        "    <key>.",
        NULL};
    reply_help(c, "object", lines);
}

/* ---- table ---- */

#define KS_W "keyspace write slow"
#define KS_WF "keyspace write fast"
#define KS_R "keyspace read slow"
#define KS_RF "keyspace read fast"

static command object_subs[] = {
    /* in the order Redis 7.0.15 lists them (COMMAND INFO / DOCS) */
    {.name = "idletime", .proc = cmd_object_idletime, .arity = 3, .flags = CMD_READONLY,
     .first_key = 2, .last_key = 2, .key_step = 1, .group = "generic",
     .summary = "Get the time since a Redis object was last accessed", .since = "2.2.3",
     .complexity = "O(1)", .acl = KS_R},
    {.name = "help", .proc = cmd_object_help, .arity = 2, .flags = CMD_LOADING | CMD_STALE,
     .group = "generic", .summary = "Show helpful text about the different subcommands",
     .since = "6.2.0", .complexity = "O(1)", .acl = "keyspace slow"},
    {.name = "refcount", .proc = cmd_object_refcount, .arity = 3, .flags = CMD_READONLY,
     .first_key = 2, .last_key = 2, .key_step = 1, .group = "generic",
     .summary = "Get the number of references to the value of the key", .since = "2.2.3",
     .complexity = "O(1)", .acl = KS_R},
    {.name = "encoding", .proc = cmd_object_encoding, .arity = 3, .flags = CMD_READONLY,
     .first_key = 2, .last_key = 2, .key_step = 1, .group = "generic",
     .summary = "Inspect the internal encoding of a Redis object", .since = "2.2.3",
     .complexity = "O(1)", .acl = KS_R},
    {.name = "freq", .proc = cmd_object_freq, .arity = 3, .flags = CMD_READONLY,
     .first_key = 2, .last_key = 2, .key_step = 1, .group = "generic",
     .summary = "Get the logarithmic access frequency counter of a Redis object",
     .since = "4.0.0", .complexity = "O(1)", .acl = KS_R},
    {.name = NULL},
};

command cmd_keys_table[] = {
    {.name = "del", .proc = cmd_del, .arity = -2, .flags = CMD_WRITE, .first_key = 1,
     .last_key = -1, .key_step = 1, .group = "generic", .summary = "Delete a key",
     .since = "1.0.0",
     .complexity = "O(N) where N is the number of keys that will be removed. When a key to "
                   "remove holds a value other than a string, the individual complexity for "
                   "this key is O(M) where M is the number of elements in the list, set, "
                   "sorted set or hash. Removing a single key that holds a string value is "
                   "O(1).",
     .acl = KS_W},
    {.name = "unlink", .proc = cmd_unlink, .arity = -2, .flags = CMD_WRITE | CMD_FAST,
     .first_key = 1, .last_key = -1, .key_step = 1, .group = "generic",
     .summary = "Delete a key asynchronously in another thread. Otherwise it is just as DEL, "
                "but non blocking.",
     .since = "4.0.0",
     .complexity = "O(1) for each key removed regardless of its size. Then the command does "
                   "O(N) work in a different thread in order to reclaim memory, where N is "
                   "the number of allocations the deleted objects where composed of.",
     .acl = KS_WF},
    {.name = "exists", .proc = cmd_exists, .arity = -2, .flags = CMD_READONLY | CMD_FAST,
     .first_key = 1, .last_key = -1, .key_step = 1, .group = "generic",
     .summary = "Determine if a key exists", .since = "1.0.0",
     .complexity = "O(N) where N is the number of keys to check.", .acl = KS_RF},
    {.name = "type", .proc = cmd_type, .arity = 2, .flags = CMD_READONLY | CMD_FAST,
     .first_key = 1, .last_key = 1, .key_step = 1, .group = "generic",
     .summary = "Determine the type stored at key", .since = "1.0.0", .complexity = "O(1)",
     .acl = KS_RF},
    {.name = "keys", .proc = cmd_keys, .arity = 2, .flags = CMD_READONLY, .group = "generic",
     .summary = "Find all keys matching the given pattern", .since = "1.0.0",
     .complexity = "O(N) with N being the number of keys in the database, under the "
                   "assumption that the key names in the database and the given pattern have "
                   "limited length.",
     .acl = "keyspace read slow dangerous"},
    {.name = "scan", .proc = cmd_scan, .arity = -2, .flags = CMD_READONLY, .group = "generic",
     .summary = "Incrementally iterate the keys space", .since = "2.8.0",
     .complexity = "O(1) for every call. O(N) for a complete iteration, including enough "
                   "command calls for the cursor to return back to 0. N is the number of "
                   "elements inside the collection.",
     .acl = KS_R},
    {.name = "randomkey", .proc = cmd_randomkey, .arity = 1, .flags = CMD_READONLY,
     .group = "generic", .summary = "Return a random key from the keyspace", .since = "1.0.0",
     .complexity = "O(1)", .acl = KS_R},
    {.name = "rename", .proc = cmd_rename, .arity = 3, .flags = CMD_WRITE, .first_key = 1,
     .last_key = 2, .key_step = 1, .group = "generic", .summary = "Rename a key",
     .since = "1.0.0", .complexity = "O(1)", .acl = KS_W},
    {.name = "renamenx", .proc = cmd_renamenx, .arity = 3, .flags = CMD_WRITE | CMD_FAST,
     .first_key = 1, .last_key = 2, .key_step = 1, .group = "generic",
     .summary = "Rename a key, only if the new key does not exist", .since = "1.0.0",
     .complexity = "O(1)", .acl = KS_WF},
    {.name = "copy", .proc = cmd_copy, .arity = -3, .flags = CMD_WRITE | CMD_DENYOOM,
     .first_key = 1, .last_key = 2, .key_step = 1, .group = "generic",
     .summary = "Copy a key", .since = "6.2.0",
     .complexity = "O(N) worst case for collections, where N is the number of nested items. "
                   "O(1) for string values.",
     .acl = KS_W},
    {.name = "move", .proc = cmd_move, .arity = 3, .flags = CMD_WRITE | CMD_FAST,
     .first_key = 1, .last_key = 1, .key_step = 1, .group = "generic",
     .summary = "Move a key to another database", .since = "1.0.0", .complexity = "O(1)",
     .acl = KS_WF},
    {.name = "dbsize", .proc = cmd_dbsize, .arity = 1, .flags = CMD_READONLY | CMD_FAST,
     .group = "server", .summary = "Return the number of keys in the selected database",
     .since = "1.0.0", .complexity = "O(1)", .acl = KS_RF},
    {.name = "flushdb", .proc = cmd_flushdb, .arity = -1, .flags = CMD_WRITE,
     .group = "server", .summary = "Remove all keys from the current database",
     .since = "1.0.0",
     .complexity = "O(N) where N is the number of keys in the selected database",
     .acl = "keyspace write slow dangerous"},
    {.name = "flushall", .proc = cmd_flushall, .arity = -1, .flags = CMD_WRITE,
     .group = "server", .summary = "Remove all keys from all databases", .since = "1.0.0",
     .complexity = "O(N) where N is the total number of keys in all databases",
     .acl = "keyspace write slow dangerous"},
    {.name = "swapdb", .proc = cmd_swapdb, .arity = 3, .flags = CMD_WRITE | CMD_FAST,
     .group = "server", .summary = "Swaps two Redis databases", .since = "4.0.0",
     .complexity = "O(N) where N is the count of clients watching or blocking on keys from "
                   "both databases.",
     .acl = "keyspace write fast dangerous"},
    {.name = "touch", .proc = cmd_touch, .arity = -2, .flags = CMD_READONLY | CMD_FAST,
     .first_key = 1, .last_key = -1, .key_step = 1, .group = "generic",
     .summary = "Alters the last access time of a key(s). Returns the number of existing "
                "keys specified.",
     .since = "3.2.1",
     .complexity = "O(N) where N is the number of keys that will be touched.", .acl = KS_RF},
    {.name = "expire", .proc = cmd_expire, .arity = -3, .flags = CMD_WRITE | CMD_FAST,
     .first_key = 1, .last_key = 1, .key_step = 1, .group = "generic",
     .summary = "Set a key's time to live in seconds", .since = "1.0.0",
     .complexity = "O(1)", .acl = KS_WF},
    {.name = "pexpire", .proc = cmd_pexpire, .arity = -3, .flags = CMD_WRITE | CMD_FAST,
     .first_key = 1, .last_key = 1, .key_step = 1, .group = "generic",
     .summary = "Set a key's time to live in milliseconds", .since = "2.6.0",
     .complexity = "O(1)", .acl = KS_WF},
    {.name = "expireat", .proc = cmd_expireat, .arity = -3, .flags = CMD_WRITE | CMD_FAST,
     .first_key = 1, .last_key = 1, .key_step = 1, .group = "generic",
     .summary = "Set the expiration for a key as a UNIX timestamp", .since = "1.2.0",
     .complexity = "O(1)", .acl = KS_WF},
    {.name = "pexpireat", .proc = cmd_pexpireat, .arity = -3, .flags = CMD_WRITE | CMD_FAST,
     .first_key = 1, .last_key = 1, .key_step = 1, .group = "generic",
     .summary = "Set the expiration for a key as a UNIX timestamp specified in milliseconds",
     .since = "2.6.0", .complexity = "O(1)", .acl = KS_WF},
    {.name = "ttl", .proc = cmd_ttl, .arity = 2, .flags = CMD_READONLY | CMD_FAST,
     .first_key = 1, .last_key = 1, .key_step = 1, .group = "generic",
     .summary = "Get the time to live for a key in seconds", .since = "1.0.0",
     .complexity = "O(1)", .acl = KS_RF},
    {.name = "pttl", .proc = cmd_pttl, .arity = 2, .flags = CMD_READONLY | CMD_FAST,
     .first_key = 1, .last_key = 1, .key_step = 1, .group = "generic",
     .summary = "Get the time to live for a key in milliseconds", .since = "2.6.0",
     .complexity = "O(1)", .acl = KS_RF},
    {.name = "expiretime", .proc = cmd_expiretime, .arity = 2,
     .flags = CMD_READONLY | CMD_FAST, .first_key = 1, .last_key = 1, .key_step = 1,
     .group = "generic", .summary = "Get the expiration Unix timestamp for a key",
     .since = "7.0.0", .complexity = "O(1)", .acl = KS_RF},
    {.name = "pexpiretime", .proc = cmd_pexpiretime, .arity = 2,
     .flags = CMD_READONLY | CMD_FAST, .first_key = 1, .last_key = 1, .key_step = 1,
     .group = "generic",
     .summary = "Get the expiration Unix timestamp for a key in milliseconds",
     .since = "7.0.0", .complexity = "O(1)", .acl = KS_RF},
    {.name = "persist", .proc = cmd_persist, .arity = 2, .flags = CMD_WRITE | CMD_FAST,
     .first_key = 1, .last_key = 1, .key_step = 1, .group = "generic",
     .summary = "Remove the expiration from a key", .since = "2.2.0", .complexity = "O(1)",
     .acl = KS_WF},
    {.name = "object", .arity = -2, .group = "generic",
     .summary = "A container for object introspection commands", .since = "2.2.3",
     .complexity = "Depends on subcommand.", .acl = "slow", .subs = object_subs},
    {.name = NULL},
};
