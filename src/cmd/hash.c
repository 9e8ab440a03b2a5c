/* cmd/hash.c - the hash commands (HSET ... HSCAN), Redis 7.0.15 replies.
 *
 * A hash key holds an OBJ_HASH obj whose ptr is an hmap (ds/hmap.h):
 * packed ("listpack") while small, a dict ("hashtable") once it has more
 * than hash-max-listpack-entries fields or a field or value longer than
 * hash-max-listpack-value bytes.
 * Invariants kept by every command here:
 *  - a hash key is never empty: the command that deletes the last field
 *    deletes the key and fires "del" after its own event;
 *  - every change is followed by signal_modified_key, the keyspace event
 *    Redis fires ("hset", "hdel", "hincrby", "hincrbyfloat") and dirty++
 *    per changed field;
 *  - HINCRBYFLOAT is propagated as HSET with the final value. */
#include "types.h"

#include "../aof.h"
#include "../ds/alloc.h"
#include "../ds/dict_fair.h"
#include "../ds/util.h"

#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---- the hash type ---- */

static void hash_free_v(void *p)
{
    hmap_free(p);
}

static void *hash_dup_v(const void *p)
{
    return hmap_dup(p);
}

static size_t hash_mem_v(const void *p)
{
    return hmap_mem(p);
}

static const char *hash_encoding(const obj *o)
{
    return hmap_encoding(o->ptr);
}

/* AOF rewrite: HSET key f v ... in batches of AOF_REWRITE_ITEMS_PER_CMD. */
static int hash_rewrite(aof_writer *w, const char *key, size_t klen, const void *ptr)
{
    const hmap *h = ptr;
    size_t left = hmap_len(h), batch = 0;
    hmap_iter it;
    const char *f, *v;
    size_t flen, vlen;
    int err = 0;
    hmap_iter_init(&it, h);
    while (!err && hmap_iter_next(&it, &f, &flen, &v, &vlen)) {
        if (batch == 0) {
            batch = left < AOF_REWRITE_ITEMS_PER_CMD ? left : AOF_REWRITE_ITEMS_PER_CMD;
            err |= aof_rw_array(w, 2 + 2 * (long long)batch);
            err |= aof_rw_bulk(w, "HSET", 4);
            err |= aof_rw_bulk(w, key, klen);
        }
        err |= aof_rw_bulk(w, f, flen);
        err |= aof_rw_bulk(w, v, vlen);
        batch--;
        left--;
    }
    hmap_iter_done(&it);
    return err ? -1 : 0;
}

static const obj_type_ops hash_ops = {.name = "hash", .free = hash_free_v, .dup = hash_dup_v,
                                      .mem = hash_mem_v, .encoding = hash_encoding,
                                      .aof_rewrite = hash_rewrite};

__attribute__((constructor)) static void hash_register_type(void)
{
    obj_register_type(OBJ_HASH, &hash_ops);
}

/* ---- helpers ---- */

static int wrong_type(client *c, const obj *o)
{
    if (o && o->type != OBJ_HASH) {
        reply_error(c, ERR_WRONGTYPE);
        return 1;
    }
    return 0;
}

/* hashTypeLookupWriteOrCreate: NULL after a WRONGTYPE reply. */
static obj *lookup_or_create(client *c, const arg *key)
{
    obj *o = db_lookup_write(c, key->p, key->len);
    if (wrong_type(c, o))
        return NULL;
    if (!o) {
        o = obj_new(OBJ_HASH, hmap_new());
        db_add(c->db, key->p, key->len, o);
    }
    return o;
}

/* hashTypeTryConversion over argv[start..end]: a long argument, or too
 * many bytes for a pack, converts the hash at o first. */
static void try_conversion(obj *o, client *c, int start, int end)
{
    if (hmap_enc(o->ptr) != HMAP_PACK)
        return;
    hmap_limits lim = types_hash_limits();
    size_t sum = 0;
    for (int i = start; i <= end; i++) {
        if (c->argv[i].len > lim.max_value) {
            o->ptr = hmap_convert(o->ptr);
            return;
        }
        sum += c->argv[i].len;
    }
    if (!hmap_pack_safe_to_add(o->ptr, sum))
        o->ptr = hmap_convert(o->ptr);
}

/* Set a field of the hash at o. */
static int set_field(obj *o, const arg *f, const char *v, size_t vlen)
{
    hmap_limits lim = types_hash_limits();
    int created;
    o->ptr = hmap_set(o->ptr, f->p, f->len, v, vlen, &lim, &created);
    return created;
}

static void changed(client *c, const arg *key, const char *event)
{
    signal_modified_key(c, c->db, key->p, key->len);
    notify_keyspace_event(NOTIFY_HASH, event, key->p, key->len, c->db->id);
}

static void reply_field(client *c, hmap *h, const arg *f)
{
    const char *v;
    size_t vlen;
    if (h && hmap_get(h, f->p, f->len, &v, &vlen) == 0)
        reply_bulk(c, v, vlen);
    else
        reply_null(c);
}

/* ---- writes ---- */

/* HSET / HMSET */
static void hset_generic(client *c, int hmset)
{
    if (c->argc % 2 == 1) {
        reply_arity_error(c, ((command *)c->cmd)->fullname);
        return;
    }
    const arg *key = &c->argv[1];
    obj *o = lookup_or_create(c, key);
    if (!o)
        return;
    try_conversion(o, c, 2, c->argc - 1);
    long long created = 0;
    for (int i = 2; i < c->argc; i += 2)
        created += set_field(o, &c->argv[i], c->argv[i + 1].p, c->argv[i + 1].len);
    if (hmset)
        reply_ok(c);
    else
        reply_ll(c, created);
    changed(c, key, "hset");
    srv.dirty += (c->argc - 2) / 2;
}

static void cmd_hset(client *c)
{
    hset_generic(c, 0);
}

static void cmd_hmset(client *c)
{
    hset_generic(c, 1);
}

static void cmd_hsetnx(client *c)
{
    const arg *key = &c->argv[1];
    obj *o = lookup_or_create(c, key);
    if (!o)
        return;
    if (hmap_exists(o->ptr, c->argv[2].p, c->argv[2].len)) {
        reply_ll(c, 0);
        return;
    }
    try_conversion(o, c, 2, 3);
    set_field(o, &c->argv[2], c->argv[3].p, c->argv[3].len);
    reply_ll(c, 1);
    changed(c, key, "hset");
    srv.dirty++;
}

static void cmd_hdel(client *c)
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
        int gone;
        o->ptr = hmap_del(o->ptr, c->argv[j].p, c->argv[j].len, &gone);
        if (!gone)
            continue;
        deleted++;
        if (hmap_len(o->ptr) == 0) {
            db_delete(c->db, key->p, key->len);
            keyremoved = 1;
            break;
        }
    }
    if (deleted) {
        changed(c, key, "hdel");
        if (keyremoved)
            notify_keyspace_event(NOTIFY_GENERIC, "del", key->p, key->len, c->db->id);
        srv.dirty += deleted;
    }
    reply_ll(c, deleted);
}

static void cmd_hincrby(client *c)
{
    const arg *key = &c->argv[1], *field = &c->argv[2];
    long long incr, value = 0;
    if (arg_ll(c, &c->argv[3], &incr, NULL) < 0)
        return;
    obj *o = lookup_or_create(c, key);
    if (!o)
        return;
    const char *v;
    size_t vlen;
    if (hmap_get(o->ptr, field->p, field->len, &v, &vlen) == 0 && !str_to_ll(v, vlen, &value)) {
        reply_error(c, "hash value is not an integer");
        return;
    }
    if ((incr < 0 && value < 0 && incr < LLONG_MIN - value) ||
        (incr > 0 && value > 0 && incr > LLONG_MAX - value)) {
        reply_error(c, ERR_OVERFLOW);
        return;
    }
    value += incr;
    char buf[32];
    int n = ll_to_str(buf, sizeof(buf), value);
    set_field(o, field, buf, (size_t)n);
    reply_ll(c, value);
    changed(c, key, "hincrby");
    srv.dirty++;
}

static void cmd_hincrbyfloat(client *c)
{
    const arg *key = &c->argv[1], *field = &c->argv[2];
    long double incr, value = 0;
    if (!str_to_ld(c->argv[3].p, c->argv[3].len, &incr)) {
        reply_error(c, ERR_NOT_FLOAT);
        return;
    }
    if (isnan(incr) || isinf(incr)) {
        reply_error(c, "value is NaN or Infinity");
        return;
    }
    obj *o = lookup_or_create(c, key);
    if (!o)
        return;
    const char *v;
    size_t vlen;
    if (hmap_get(o->ptr, field->p, field->len, &v, &vlen) == 0 && !str_to_ld(v, vlen, &value)) {
        reply_error(c, "hash value is not a float");
        return;
    }
    value += incr;
    if (isnan(value) || isinf(value)) {
        reply_error(c, "increment would produce NaN or Infinity");
        return;
    }
    char buf[LD_STR_MAX];
    int n = ld_to_str_human(buf, sizeof(buf), value);
    set_field(o, field, buf, (size_t)n);
    reply_bulk(c, buf, (size_t)n);
    changed(c, key, "hincrbyfloat");
    srv.dirty++;
    /* Propagate as HSET with the final value (no float drift on replay). */
    arg av[4] = {{"HSET", 4}, *key, *field, {buf, (size_t)n}};
    propagate_replace(c->db_id, av, 4);
}

/* ---- reads ---- */

/* The hash at key for reading; *h = NULL if missing.  -1 after WRONGTYPE. */
static int lookup_read(client *c, const arg *key, hmap **h)
{
    obj *o = db_lookup_read(c, key->p, key->len);
    if (wrong_type(c, o))
        return -1;
    *h = o ? o->ptr : NULL;
    return 0;
}

static void cmd_hget(client *c)
{
    hmap *h;
    if (lookup_read(c, &c->argv[1], &h) < 0)
        return;
    reply_field(c, h, &c->argv[2]);
}

static void cmd_hmget(client *c)
{
    hmap *h;
    if (lookup_read(c, &c->argv[1], &h) < 0)
        return;
    reply_array(c, c->argc - 2);
    for (int i = 2; i < c->argc; i++)
        reply_field(c, h, &c->argv[i]);
}

static void cmd_hlen(client *c)
{
    hmap *h;
    if (lookup_read(c, &c->argv[1], &h) < 0)
        return;
    reply_ll(c, h ? (long long)hmap_len(h) : 0);
}

static void cmd_hstrlen(client *c)
{
    hmap *h;
    const char *v;
    size_t vlen;
    if (lookup_read(c, &c->argv[1], &h) < 0)
        return;
    if (!h || hmap_get(h, c->argv[2].p, c->argv[2].len, &v, &vlen) < 0)
        vlen = 0;
    reply_ll(c, (long long)vlen);
}

static void cmd_hexists(client *c)
{
    hmap *h;
    if (lookup_read(c, &c->argv[1], &h) < 0)
        return;
    reply_ll(c, h && hmap_exists(h, c->argv[2].p, c->argv[2].len));
}

#define WANT_KEYS 1
#define WANT_VALUES 2

static void getall_generic(client *c, int what)
{
    hmap *h;
    int both = what == (WANT_KEYS | WANT_VALUES);
    if (lookup_read(c, &c->argv[1], &h) < 0)
        return;
    long n = h ? (long)hmap_len(h) : 0;
    if (both)
        reply_map(c, n);
    else
        reply_array(c, n);
    if (!h)
        return;
    hmap_iter it;
    const char *f, *v;
    size_t flen, vlen;
    hmap_iter_init(&it, h);
    while (hmap_iter_next(&it, &f, &flen, &v, &vlen)) {
        if (what & WANT_KEYS)
            reply_bulk(c, f, flen);
        if (what & WANT_VALUES)
            reply_bulk(c, v, vlen);
    }
    hmap_iter_done(&it);
}

static void cmd_hkeys(client *c)
{
    getall_generic(c, WANT_KEYS);
}

static void cmd_hvals(client *c)
{
    getall_generic(c, WANT_VALUES);
}

static void cmd_hgetall(client *c)
{
    getall_generic(c, WANT_KEYS | WANT_VALUES);
}

/* ---- HSCAN ---- */

static void hscan_add(void *priv, const char *f, size_t flen, const char *v, size_t vlen)
{
    scan_acc_add(priv, f, flen);
    scan_acc_add(priv, v, vlen);
}

static size_t hscan_step(void *h, size_t cursor, scan_acc *a)
{
    return hmap_scan(h, cursor, hscan_add, a);
}

static void cmd_hscan(client *c)
{
    size_t cursor;
    hmap *h;
    scan_opts o;
    if (types_parse_cursor(c, &c->argv[2], &cursor) < 0 || lookup_read(c, &c->argv[1], &h) < 0)
        return;
    if (!h) {
        reply_array(c, 2);
        reply_bulk(c, "0", 1);
        reply_array(c, 0);
        return;
    }
    if (types_parse_scan_opts(c, 3, 0, &o) < 0)
        return;
    scan_acc a;
    scan_acc_init(&a);
    cursor = scan_acc_run(&a, h, cursor, o.count * 2, hscan_step);
    scan_acc_reply(c, &a, cursor, &o, 1);
    scan_acc_free(&a);
}

/* ---- HRANDFIELD ---- */

/* A field (and value) picked for a reply: copied when it must outlive the
 * next pick's changes (case 3 builds a private dict instead). */
static void reply_pair(client *c, int withvalues, const char *f, size_t flen, const char *v,
                       size_t vlen)
{
    if (withvalues && c->resp > 2)
        reply_array(c, 2);
    reply_bulk(c, f, flen);
    if (withvalues)
        reply_bulk(c, v, vlen);
}

static void str_view(const void *key, const void **p, size_t *len)
{
    *p = key;
    *len = str_len((const str)key);
}

static void str_release(void *s)
{
    str_free(s);
}

/* field -> value (or NULL) dict for HRANDFIELD's unique picks. */
static const dict_type pick_dict_type = {str_view, str_release, str_release, 0};

#define HRANDFIELD_SUB_STRATEGY_MUL 3

static void hrandfield_count(client *c, long l, int withvalues)
{
    hmap *h;
    if (lookup_read(c, &c->argv[1], &h) < 0)
        return;
    if (!h) {
        reply_empty_array(c);
        return;
    }
    unsigned long size = hmap_len(h), count;
    int uniq = l >= 0;
    count = uniq ? (unsigned long)l : (unsigned long)-l;
    if (count == 0) {
        reply_empty_array(c);
        return;
    }
    const char *f, *v;
    size_t flen, vlen;
    /* Case 1: repeats allowed (or a single pick). */
    if (!uniq || count == 1) {
        reply_array(c, (long)(withvalues && c->resp == 2 ? count * 2 : count));
        while (count--) {
            hmap_random(h, &f, &flen, &v, &vlen);
            reply_pair(c, withvalues, f, flen, v, vlen);
            if (c->flags & CLIENT_CLOSE_ASAP)
                break;
        }
        return;
    }
    unsigned long n = count < size ? count : size;
    reply_array(c, (long)(withvalues && c->resp == 2 ? n * 2 : n));
    hmap_iter it;
    /* Case 2: the whole hash. */
    if (count >= size) {
        hmap_iter_init(&it, h);
        while (hmap_iter_next(&it, &f, &flen, &v, &vlen))
            reply_pair(c, withvalues, f, flen, v, vlen);
        hmap_iter_done(&it);
        return;
    }
    dict *d = dict_new(&pick_dict_type);
    if (count * HRANDFIELD_SUB_STRATEGY_MUL > size) {
        /* Case 3: copy everything, then drop random fields. */
        hmap_iter_init(&it, h);
        while (hmap_iter_next(&it, &f, &flen, &v, &vlen))
            dict_add(d, str_new(f, flen), withvalues ? str_new(v, vlen) : NULL);
        hmap_iter_done(&it);
        while (dict_size(d) > count) {
            dict_entry *e = dict_fair_random(d);
            dict_delete(d, e->key, str_len(e->key));
        }
        dict_iter di;
        dict_entry *e;
        dict_iter_init(&di, d, 0);
        while ((e = dict_iter_next(&di)))
            reply_pair(c, withvalues, e->key, str_len(e->key), e->v.val,
                       e->v.val ? str_len(e->v.val) : 0);
        dict_iter_done(&di);
    } else {
        /* Case 4: random picks until count distinct fields. */
        unsigned long added = 0;
        while (added < count) {
            hmap_random(h, &f, &flen, &v, &vlen);
            if (dict_find(d, f, flen))
                continue;
            dict_add(d, str_new(f, flen), NULL);
            added++;
            reply_pair(c, withvalues, f, flen, v, vlen);
        }
    }
    dict_free(d);
}

static void cmd_hrandfield(client *c)
{
    if (c->argc >= 3) {
        long long l;
        if (types_parse_range(c, &c->argv[2], -LONG_MAX, LONG_MAX, &l, NULL) < 0)
            return;
        int withvalues = 0;
        if (c->argc > 4 || (c->argc == 4 && !arg_eq(&c->argv[3], "withvalues"))) {
            reply_syntax_error(c);
            return;
        }
        if (c->argc == 4) {
            withvalues = 1;
            if (l < -LONG_MAX / 2 || l > LONG_MAX / 2) {
                reply_error(c, "value is out of range");
                return;
            }
        }
        hrandfield_count(c, (long)l, withvalues);
        return;
    }
    hmap *h;
    if (lookup_read(c, &c->argv[1], &h) < 0)
        return;
    if (!h) {
        reply_null(c);
        return;
    }
    const char *f, *v;
    size_t flen, vlen;
    hmap_random(h, &f, &flen, &v, &vlen);
    reply_bulk(c, f, flen);
}

/* ---- command table (arity, flags, keys and docs from Redis 7.0.15) ---- */

command cmd_hash_table[] = {
    {.name = "hset", .proc = cmd_hset, .arity = -4,
     .flags = CMD_WRITE | CMD_DENYOOM | CMD_FAST,
     .first_key = 1, .last_key = 1, .key_step = 1, .group = "hash",
     .summary = "Set the string value of a hash field",
     .since = "2.0.0", .acl = "write hash fast",
     .complexity = "O(1) for each field/value pair added, so O(N) to add N field/value pairs "
                   "when the command is called with multiple field/value pairs."},
    {.name = "hsetnx", .proc = cmd_hsetnx, .arity = 4,
     .flags = CMD_WRITE | CMD_DENYOOM | CMD_FAST,
     .first_key = 1, .last_key = 1, .key_step = 1, .group = "hash",
     .summary = "Set the value of a hash field, only if the field does not exist",
     .since = "2.0.0", .acl = "write hash fast",
     .complexity = "O(1)"},
    {.name = "hmset", .proc = cmd_hmset, .arity = -4,
     .flags = CMD_WRITE | CMD_DENYOOM | CMD_FAST,
     .first_key = 1, .last_key = 1, .key_step = 1, .group = "hash",
     .summary = "Set multiple hash fields to multiple values",
     .since = "2.0.0", .acl = "write hash fast",
     .complexity = "O(N) where N is the number of fields being set."},
    {.name = "hget", .proc = cmd_hget, .arity = 3,
     .flags = CMD_READONLY | CMD_FAST,
     .first_key = 1, .last_key = 1, .key_step = 1, .group = "hash",
     .summary = "Get the value of a hash field",
     .since = "2.0.0", .acl = "read hash fast",
     .complexity = "O(1)"},
    {.name = "hmget", .proc = cmd_hmget, .arity = -3,
     .flags = CMD_READONLY | CMD_FAST,
     .first_key = 1, .last_key = 1, .key_step = 1, .group = "hash",
     .summary = "Get the values of all the given hash fields",
     .since = "2.0.0", .acl = "read hash fast",
     .complexity = "O(N) where N is the number of fields being requested."},
    {.name = "hgetall", .proc = cmd_hgetall, .arity = 2,
     .flags = CMD_READONLY,
     .first_key = 1, .last_key = 1, .key_step = 1, .group = "hash",
     .summary = "Get all the fields and values in a hash",
     .since = "2.0.0", .acl = "read hash slow",
     .complexity = "O(N) where N is the size of the hash."},
    {.name = "hdel", .proc = cmd_hdel, .arity = -3,
     .flags = CMD_WRITE | CMD_FAST,
     .first_key = 1, .last_key = 1, .key_step = 1, .group = "hash",
     .summary = "Delete one or more hash fields",
     .since = "2.0.0", .acl = "write hash fast",
     .complexity = "O(N) where N is the number of fields to be removed."},
    {.name = "hlen", .proc = cmd_hlen, .arity = 2,
     .flags = CMD_READONLY | CMD_FAST,
     .first_key = 1, .last_key = 1, .key_step = 1, .group = "hash",
     .summary = "Get the number of fields in a hash",
     .since = "2.0.0", .acl = "read hash fast",
     .complexity = "O(1)"},
    {.name = "hexists", .proc = cmd_hexists, .arity = 3,
     .flags = CMD_READONLY | CMD_FAST,
     .first_key = 1, .last_key = 1, .key_step = 1, .group = "hash",
     .summary = "Determine if a hash field exists",
     .since = "2.0.0", .acl = "read hash fast",
     .complexity = "O(1)"},
    {.name = "hkeys", .proc = cmd_hkeys, .arity = 2,
     .flags = CMD_READONLY,
     .first_key = 1, .last_key = 1, .key_step = 1, .group = "hash",
     .summary = "Get all the fields in a hash",
     .since = "2.0.0", .acl = "read hash slow",
     .complexity = "O(N) where N is the size of the hash."},
    {.name = "hvals", .proc = cmd_hvals, .arity = 2,
     .flags = CMD_READONLY,
     .first_key = 1, .last_key = 1, .key_step = 1, .group = "hash",
     .summary = "Get all the values in a hash",
     .since = "2.0.0", .acl = "read hash slow",
     .complexity = "O(N) where N is the size of the hash."},
    {.name = "hincrby", .proc = cmd_hincrby, .arity = 4,
     .flags = CMD_WRITE | CMD_DENYOOM | CMD_FAST,
     .first_key = 1, .last_key = 1, .key_step = 1, .group = "hash",
     .summary = "Increment the integer value of a hash field by the given number",
     .since = "2.0.0", .acl = "write hash fast",
     .complexity = "O(1)"},
    {.name = "hincrbyfloat", .proc = cmd_hincrbyfloat, .arity = 4,
     .flags = CMD_WRITE | CMD_DENYOOM | CMD_FAST,
     .first_key = 1, .last_key = 1, .key_step = 1, .group = "hash",
     .summary = "Increment the float value of a hash field by the given amount",
     .since = "2.6.0", .acl = "write hash fast",
     .complexity = "O(1)"},
    {.name = "hstrlen", .proc = cmd_hstrlen, .arity = 3,
     .flags = CMD_READONLY | CMD_FAST,
     .first_key = 1, .last_key = 1, .key_step = 1, .group = "hash",
     .summary = "Get the length of the value of a hash field",
     .since = "3.2.0", .acl = "read hash fast",
     .complexity = "O(1)"},
    {.name = "hrandfield", .proc = cmd_hrandfield, .arity = -2,
     .flags = CMD_READONLY,
     .first_key = 1, .last_key = 1, .key_step = 1, .group = "hash",
     .summary = "Get one or multiple random fields from a hash",
     .since = "6.2.0", .acl = "read hash slow",
     .complexity = "O(N) where N is the number of fields returned"},
    {.name = "hscan", .proc = cmd_hscan, .arity = -3,
     .flags = CMD_READONLY,
     .first_key = 1, .last_key = 1, .key_step = 1, .group = "hash",
     .summary = "Incrementally iterate hash fields and associated values",
     .since = "2.8.0", .acl = "read hash slow",
     .complexity = "O(1) for every call. O(N) for a complete iteration, including enough "
                   "command calls for the cursor to return back to 0. N is the number of "
                   "elements inside the collection.."},
    {.name = NULL},
};
