/* cmd/string.c - string, counter and bitmap commands (Redis 7.0.15 replies).
 *
 *   GET SET SETNX SETEX PSETEX GETSET GETDEL GETEX MGET MSET MSETNX
 *   INCR DECR INCRBY DECRBY INCRBYFLOAT APPEND STRLEN GETRANGE SUBSTR
 *   SETRANGE LCS SETBIT GETBIT BITCOUNT BITPOS BITOP BITFIELD BITFIELD_RO
 *
 * A string value is an OBJ_STRING obj whose ptr is a `str` (ds/str.h).
 * Invariants and habits:
 *
 *   - Every value is a private str: nothing else holds a pointer to it, so a
 *     command may change it in place.  SET over a string whose buffer has
 *     room (and not much more than needed) copies into it; INCR writes the
 *     new digits into the same buffer; APPEND/SETRANGE/SETBIT grow it.  The
 *     hot paths (GET, SET, INCR) allocate nothing when the key exists.
 *   - Lengths are checked against proto-max-bulk-len and against the str's
 *     32-bit length before any string grows.
 *   - After each change: signal_modified_key (WATCH), a keyspace event with
 *     Redis's name, srv.dirty++ (call() then logs the command).
 *   - Commands whose replay would differ (relative TTLs, GETSET, GETDEL,
 *     GETEX, INCRBYFLOAT) say what to log instead through log_as().
 *
 * Errors are checked in the order Redis checks them, since that order is
 * visible to clients (e.g. SETRANGE parses the offset before the lookup). */
#include "../server.h"

#include "../ds/alloc.h"
#include "../ds/util.h"

#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

/* ---- shared helpers ---------------------------------------------------- */

/* SET / GETEX option flags. */
#define SF_NX (1 << 0)
#define SF_XX (1 << 1)
#define SF_EX (1 << 2)
#define SF_PX (1 << 3)
#define SF_KEEPTTL (1 << 4)
#define SF_GET (1 << 5)
#define SF_EXAT (1 << 6)
#define SF_PXAT (1 << 7)
#define SF_PERSIST (1 << 8)
#define SF_ANY_EXPIRE (SF_EX | SF_PX | SF_EXAT | SF_PXAT)

static int wrong_type(client *c, const obj *o)
{
    if (o && o->type != OBJ_STRING) {
        reply_error(c, ERR_WRONGTYPE);
        return 1;
    }
    return 0;
}

static void touched(client *c, const arg *key, const char *event)
{
    signal_modified_key(c, c->db, key->p, key->len);
    notify_keyspace_event(NOTIFY_STRING, event, key->p, key->len, c->db->id);
    srv.dirty++;
}

/* Log argv (copied) to the AOF instead of the command as the client sent
 * it, so that replaying the log gives the same data at any later time:
 *   SET/SETEX/PSETEX with EX|PX|EXAT|PXAT -> SET key value PXAT <abs-ms>
 *   SET ... GET                            -> SET without the GET words
 *   GETEX EX|PX|EXAT|PXAT                  -> PEXPIREAT key <abs-ms>
 *   GETEX with a PXAT/EXAT in the past     -> DEL key
 *   GETEX PERSIST                          -> PERSIST key
 *   GETDEL                                 -> DEL key
 *   GETSET                                 -> SET key value
 *   INCRBYFLOAT                            -> SET key <result> KEEPTTL
 * Commands that change nothing call none of this and log nothing. */
static void log_as(client *c, const arg *argv, int argc)
{
    propagate_replace(c->db_id, argv, argc);
}

static int bulk_limit_ok(client *c, long long size, long long extra)
{
    unsigned long long total = (unsigned long long)size + (unsigned long long)extra;
    if (srv.loading)
        return 1;
    if (total > (unsigned long long)srv.proto_max_bulk_len || total >= UINT32_MAX) {
        reply_error(c, "string exceeds maximum allowed size (proto-max-bulk-len)");
        return 0;
    }
    return 1;
}

/* Can s hold n bytes without keeping a much larger buffer alive? */
static inline int str_fits(const str s, size_t n)
{
    size_t cap = str_cap(s);
    return n <= cap && cap <= n + n / 2 + 64;
}

/* Put val under key.  o is the key's current value (db_lookup_write) or
 * NULL.  Reuses o and its buffer when it is a string; clears the TTL unless
 * keepttl.  Signals WATCH; the caller notifies and counts dirty. */
static void store(client *c, const arg *key, const char *p, size_t len, obj *o, int keepttl)
{
    db *d = c->db;
    if (o && o->type == OBJ_STRING) {
        str s = o->ptr;
        if (str_fits(s, len)) {
            memmove(s, p, len);
            str_set_len(s, len);
        } else {
            o->ptr = str_new(p, len);
            str_free(s);
        }
        if (!keepttl)
            db_remove_expire(d, key->p, key->len);
    } else if (o) {
        db_set(d, key->p, key->len, obj_new_string(p, len), keepttl);
    } else {
        db_add(d, key->p, key->len, obj_new_string(p, len));
    }
    signal_modified_key(c, d, key->p, key->len);
}

/* Reply with the key's value (or null); -1 after a WRONGTYPE error. */
static int reply_value(client *c, const arg *key)
{
    obj *o = db_lookup_read(c, key->p, key->len);
    if (!o) {
        reply_null(c);
        return 0;
    }
    if (wrong_type(c, o))
        return -1;
    reply_bulk(c, o->ptr, str_len(o->ptr));
    return 0;
}

/* ---- SET family -------------------------------------------------------- */

static void reply_bad_expire(client *c)
{
    reply_errorf(c, "invalid expire time in '%s' command",
                 server_command_fullname((command *)c->cmd));
}

/* An EX/PX/EXAT/PXAT argument as an absolute time in ms, or -1 after an
 * error reply. */
static long long expire_at_ms(client *c, const arg *a, int flags)
{
    long long v;
    if (arg_ll(c, a, &v, NULL) < 0)
        return -1;
    int seconds = (flags & (SF_EX | SF_EXAT)) != 0;
    if (v <= 0 || (seconds && v > LLONG_MAX / 1000)) {
        reply_bad_expire(c);
        return -1;
    }
    if (seconds)
        v *= 1000;
    if (flags & (SF_EX | SF_PX)) {
        long long now = el_wall_ms();
        if (v > LLONG_MAX - now) {
            reply_bad_expire(c);
            return -1;
        }
        v += now;
    }
    return v;
}

/* Which flags may not come before each option (Redis's exact rules). */
static int option_flag(const arg *a, int is_set, int flags, int *takes_value)
{
    const int ttl_conflicts = SF_KEEPTTL | SF_PERSIST;
    *takes_value = 0;
    if (is_set && arg_eq(a, "nx"))
        return (flags & SF_XX) ? 0 : SF_NX;
    if (is_set && arg_eq(a, "xx"))
        return (flags & SF_NX) ? 0 : SF_XX;
    if (is_set && arg_eq(a, "get"))
        return SF_GET;
    if (is_set && arg_eq(a, "keepttl"))
        return (flags & (SF_PERSIST | SF_ANY_EXPIRE)) ? 0 : SF_KEEPTTL;
    if (!is_set && arg_eq(a, "persist"))
        return (flags & (SF_KEEPTTL | SF_ANY_EXPIRE)) ? 0 : SF_PERSIST;
    static const struct {
        const char *name;
        int flag;
    } ttl[] = {{"ex", SF_EX}, {"px", SF_PX}, {"exat", SF_EXAT}, {"pxat", SF_PXAT}};
    for (size_t i = 0; i < sizeof(ttl) / sizeof(ttl[0]); i++) {
        if (!arg_eq(a, ttl[i].name))
            continue;
        /* Repeating the same one is allowed (the last value wins). */
        if (flags & (ttl_conflicts | (SF_ANY_EXPIRE & ~ttl[i].flag)))
            return 0;
        *takes_value = 1;
        return ttl[i].flag;
    }
    return 0;
}

/* Parse SET (from argv[3]) or GETEX (from argv[2]) options.  *expire gets
 * the index of the TTL argument or 0.  -1 after a syntax error reply. */
static int parse_options(client *c, int is_set, int *flags, int *expire)
{
    *flags = 0;
    *expire = 0;
    for (int j = is_set ? 3 : 2; j < c->argc; j++) {
        int takes_value;
        int f = option_flag(&c->argv[j], is_set, *flags, &takes_value);
        if (!f || (takes_value && j == c->argc - 1)) {
            reply_syntax_error(c);
            return -1;
        }
        *flags |= f;
        if (takes_value)
            *expire = ++j;
    }
    return 0;
}

/* The body of SET, SETNX, SETEX, PSETEX.  val/ttl index argv (ttl 0 =
 * none).  ok/abort are raw replies or NULL for +OK / null. */
static void set_generic(client *c, int flags, int val, int ttl, const char *ok, size_t oklen,
                        const char *abort, size_t abortlen)
{
    const arg *key = &c->argv[1], *v = &c->argv[val];
    long long when = 0;
    if (ttl && (when = expire_at_ms(c, &c->argv[ttl], flags)) < 0)
        return;
    if ((flags & SF_GET) && reply_value(c, key) < 0)
        return;
    obj *o = db_lookup_write(c, key->p, key->len);
    if (((flags & SF_NX) && o) || ((flags & SF_XX) && !o)) {
        if (flags & SF_GET)
            return;
        if (abort)
            reply_raw(c, abort, abortlen);
        else
            reply_null(c);
        return;
    }
    store(c, key, v->p, v->len, o, flags & SF_KEEPTTL);
    srv.dirty++;
    notify_keyspace_event(NOTIFY_STRING, "set", key->p, key->len, c->db->id);
    if (ttl) {
        char ms[24];
        db_set_expire(c->db, key->p, key->len, when);
        arg av[5] = {{"SET", 3}, *key, *v, {"PXAT", 4}, {ms, 0}};
        av[4].len = (size_t)ll_to_str(ms, sizeof(ms), when);
        log_as(c, av, 5);
        notify_keyspace_event(NOTIFY_GENERIC, "expire", key->p, key->len, c->db->id);
    } else if (flags & SF_GET) {
        arg av[5] = {{"SET", 3}, *key, *v};
        int n = 3;
        if (flags & SF_KEEPTTL)
            av[n++] = (arg){"KEEPTTL", 7};
        if (flags & SF_NX)
            av[n++] = (arg){"NX", 2};
        else if (flags & SF_XX)
            av[n++] = (arg){"XX", 2};
        log_as(c, av, n);
    }
    if (flags & SF_GET)
        return;
    if (ok)
        reply_raw(c, ok, oklen);
    else
        reply_ok(c);
}

/* SET key value: the benchmarked path, kept free of option handling. */
static void set_plain(client *c)
{
    const arg *key = &c->argv[1], *v = &c->argv[2];
    obj *o = db_lookup_write(c, key->p, key->len);
    store(c, key, v->p, v->len, o, 0);
    srv.dirty++;
    notify_keyspace_event(NOTIFY_STRING, "set", key->p, key->len, c->db->id);
    reply_ok(c);
}

static void cmd_set(client *c)
{
    int flags, ttl;
    if (c->argc == 3) {
        set_plain(c);
        return;
    }
    if (parse_options(c, 1, &flags, &ttl) < 0)
        return;
    set_generic(c, flags, 2, ttl, NULL, 0, NULL, 0);
}

static void cmd_setnx(client *c)
{
    set_generic(c, SF_NX, 2, 0, ":1\r\n", 4, ":0\r\n", 4);
}

static void cmd_setex(client *c)
{
    set_generic(c, SF_EX, 3, 2, NULL, 0, NULL, 0);
}

static void cmd_psetex(client *c)
{
    set_generic(c, SF_PX, 3, 2, NULL, 0, NULL, 0);
}

static void cmd_get(client *c)
{
    const arg *key = &c->argv[1];
    obj *o = db_lookup_read(c, key->p, key->len);
    if (!o)
        reply_null(c);
    else if (!wrong_type(c, o))
        reply_bulk(c, o->ptr, str_len(o->ptr));
}

static void cmd_getset(client *c)
{
    const arg *key = &c->argv[1], *v = &c->argv[2];
    if (reply_value(c, key) < 0)
        return;
    obj *o = db_lookup_write(c, key->p, key->len);
    store(c, key, v->p, v->len, o, 0);
    notify_keyspace_event(NOTIFY_STRING, "set", key->p, key->len, c->db->id);
    srv.dirty++;
    arg av[3] = {{"SET", 3}, *key, *v};
    log_as(c, av, 3);
}

static void cmd_getdel(client *c)
{
    const arg *key = &c->argv[1];
    if (reply_value(c, key) < 0)
        return;
    if (!db_delete(c->db, key->p, key->len))
        return;
    arg av[2] = {{"DEL", 3}, *key};
    log_as(c, av, 2);
    signal_modified_key(c, c->db, key->p, key->len);
    notify_keyspace_event(NOTIFY_GENERIC, "del", key->p, key->len, c->db->id);
    srv.dirty++;
}

/* GETEX's TTL change after the value was sent. */
static void getex_apply(client *c, int flags, long long when)
{
    const arg *key = &c->argv[1];
    db *d = c->db;
    const char *event;
    if ((flags & (SF_EXAT | SF_PXAT)) && when <= el_wall_ms() && !srv.loading) {
        db_delete(d, key->p, key->len);
        arg av[2] = {{"DEL", 3}, *key};
        log_as(c, av, 2);
        event = "del";
    } else if (flags & SF_ANY_EXPIRE) {
        char ms[24];
        db_set_expire(d, key->p, key->len, when);
        arg av[3] = {{"PEXPIREAT", 9}, *key, {ms, 0}};
        av[2].len = (size_t)ll_to_str(ms, sizeof(ms), when);
        log_as(c, av, 3);
        event = "expire";
    } else if ((flags & SF_PERSIST) && db_remove_expire(d, key->p, key->len)) {
        arg av[2] = {{"PERSIST", 7}, *key};
        log_as(c, av, 2);
        event = "persist";
    } else {
        return;
    }
    signal_modified_key(c, d, key->p, key->len);
    notify_keyspace_event(NOTIFY_GENERIC, event, key->p, key->len, d->id);
    srv.dirty++;
}

static void cmd_getex(client *c)
{
    const arg *key = &c->argv[1];
    int flags, ttl;
    long long when = 0;
    if (parse_options(c, 0, &flags, &ttl) < 0)
        return;
    obj *o = db_lookup_read(c, key->p, key->len);
    if (!o) {
        reply_null(c);
        return;
    }
    if (wrong_type(c, o))
        return;
    if (ttl && (when = expire_at_ms(c, &c->argv[ttl], flags)) < 0)
        return;
    reply_bulk(c, o->ptr, str_len(o->ptr));
    getex_apply(c, flags, when);
}

static void cmd_mget(client *c)
{
    reply_array(c, c->argc - 1);
    for (int j = 1; j < c->argc; j++) {
        obj *o = db_lookup_read(c, c->argv[j].p, c->argv[j].len);
        if (o && o->type == OBJ_STRING)
            reply_bulk(c, o->ptr, str_len(o->ptr));
        else
            reply_null(c);
    }
}

static void mset_generic(client *c, int nx)
{
    if (c->argc % 2 == 0) {
        reply_arity_error(c, server_command_fullname((command *)c->cmd));
        return;
    }
    if (nx) {
        for (int j = 1; j < c->argc; j += 2) {
            if (db_lookup_write(c, c->argv[j].p, c->argv[j].len)) {
                reply_raw(c, ":0\r\n", 4);
                return;
            }
        }
    }
    for (int j = 1; j < c->argc; j += 2) {
        const arg *key = &c->argv[j], *v = &c->argv[j + 1];
        obj *o = db_lookup_write(c, key->p, key->len);
        store(c, key, v->p, v->len, o, 0);
        notify_keyspace_event(NOTIFY_STRING, "set", key->p, key->len, c->db->id);
    }
    srv.dirty += (c->argc - 1) / 2;
    if (nx)
        reply_raw(c, ":1\r\n", 4);
    else
        reply_ok(c);
}

static void cmd_mset(client *c)
{
    mset_generic(c, 0);
}

static void cmd_msetnx(client *c)
{
    mset_generic(c, 1);
}

/* ---- counters ---------------------------------------------------------- */

static void incr_by(client *c, long long incr)
{
    const arg *key = &c->argv[1];
    obj *o = db_lookup_write(c, key->p, key->len);
    long long v = 0;
    if (o) {
        if (wrong_type(c, o))
            return;
        if (!str_to_ll(o->ptr, str_len(o->ptr), &v)) {
            reply_error(c, ERR_NOT_INT);
            return;
        }
    }
    if ((incr < 0 && v < 0 && incr < LLONG_MIN - v) ||
        (incr > 0 && v > 0 && incr > LLONG_MAX - v)) {
        reply_error(c, ERR_OVERFLOW);
        return;
    }
    v += incr;
    /* One conversion serves both the value and the ":<n>\r\n" reply. */
    char reply[32], *digits = reply + 1;
    size_t n = (size_t)ll_to_str(digits, sizeof(reply) - 3, v);
    if (!o) {
        db_add(c->db, key->p, key->len, obj_new(OBJ_STRING, str_new(digits, n)));
    } else if (n <= str_cap(o->ptr)) {
        memcpy(o->ptr, digits, n); /* the digits are rewritten in place */
        str_set_len(o->ptr, n);
    } else {
        str_free(o->ptr);
        o->ptr = str_new(digits, n);
    }
    touched(c, key, "incrby");
    reply[0] = ':';
    memcpy(digits + n, "\r\n", 2);
    reply_raw(c, reply, n + 3);
}

static void cmd_incr(client *c)
{
    incr_by(c, 1);
}

static void cmd_decr(client *c)
{
    incr_by(c, -1);
}

static void cmd_incrby(client *c)
{
    long long incr;
    if (arg_ll(c, &c->argv[2], &incr, NULL) == 0)
        incr_by(c, incr);
}

static void cmd_decrby(client *c)
{
    long long incr;
    if (arg_ll(c, &c->argv[2], &incr, NULL) < 0)
        return;
    if (incr == LLONG_MIN) {
        reply_error(c, "decrement would overflow");
        return;
    }
    incr_by(c, -incr);
}

static void cmd_incrbyfloat(client *c)
{
    const arg *key = &c->argv[1];
    long double v = 0, incr;
    obj *o = db_lookup_write(c, key->p, key->len);
    if (wrong_type(c, o))
        return;
    if ((o && !str_to_ld(o->ptr, str_len(o->ptr), &v)) ||
        !str_to_ld(c->argv[2].p, c->argv[2].len, &incr)) {
        reply_error(c, ERR_NOT_FLOAT);
        return;
    }
    v += incr;
    if (isnan(v) || isinf(v)) {
        reply_error(c, "increment would produce NaN or Infinity");
        return;
    }
    char buf[LD_STR_MAX];
    size_t n = (size_t)ld_to_str_human(buf, sizeof(buf), v);
    store(c, key, buf, n, o, 1);
    notify_keyspace_event(NOTIFY_STRING, "incrbyfloat", key->p, key->len, c->db->id);
    srv.dirty++;
    reply_bulk(c, buf, n);
    arg av[4] = {{"SET", 3}, *key, {buf, n}, {"KEEPTTL", 7}};
    log_as(c, av, 4);
}

/* ---- APPEND, STRLEN, ranges -------------------------------------------- */

static void cmd_append(client *c)
{
    const arg *key = &c->argv[1], *v = &c->argv[2];
    obj *o = db_lookup_write(c, key->p, key->len);
    size_t total;
    if (!o) {
        db_add(c->db, key->p, key->len, obj_new_string(v->p, v->len));
        total = v->len;
    } else {
        if (wrong_type(c, o))
            return;
        if (!bulk_limit_ok(c, (long long)str_len(o->ptr), (long long)v->len))
            return;
        o->ptr = str_cat(o->ptr, v->p, v->len);
        total = str_len(o->ptr);
    }
    touched(c, key, "append");
    reply_ll(c, (long long)total);
}

static void cmd_strlen(client *c)
{
    obj *o = db_lookup_read(c, c->argv[1].p, c->argv[1].len);
    if (!o)
        reply_raw(c, ":0\r\n", 4);
    else if (!wrong_type(c, o))
        reply_ll(c, (long long)str_len(o->ptr));
}

static void cmd_getrange(client *c)
{
    long long start, end;
    if (arg_ll(c, &c->argv[2], &start, NULL) < 0 || arg_ll(c, &c->argv[3], &end, NULL) < 0)
        return;
    obj *o = db_lookup_read(c, c->argv[1].p, c->argv[1].len);
    if (!o) {
        reply_bulk(c, "", 0);
        return;
    }
    if (wrong_type(c, o))
        return;
    long long len = (long long)str_len(o->ptr);
    if (start < 0 && end < 0 && start > end) {
        reply_bulk(c, "", 0);
        return;
    }
    if (start < 0)
        start += len;
    if (end < 0)
        end += len;
    if (start < 0)
        start = 0;
    if (end < 0)
        end = 0;
    if (end >= len)
        end = len - 1;
    if (start > end || len == 0)
        reply_bulk(c, "", 0);
    else
        reply_bulk(c, (char *)o->ptr + start, (size_t)(end - start + 1));
}

static void cmd_substr(client *c)
{
    cmd_getrange(c);
}

static void cmd_setrange(client *c)
{
    const arg *key = &c->argv[1], *v = &c->argv[3];
    long long offset;
    if (arg_ll(c, &c->argv[2], &offset, NULL) < 0)
        return;
    if (offset < 0) {
        reply_error(c, "offset is out of range");
        return;
    }
    obj *o = db_lookup_write(c, key->p, key->len);
    if (!o) {
        if (v->len == 0) {
            reply_raw(c, ":0\r\n", 4);
            return;
        }
        if (!bulk_limit_ok(c, offset, (long long)v->len))
            return;
        o = obj_new(OBJ_STRING, str_new(NULL, (size_t)offset + v->len));
        db_add(c->db, key->p, key->len, o);
    } else {
        if (wrong_type(c, o))
            return;
        if (v->len == 0) {
            reply_ll(c, (long long)str_len(o->ptr));
            return;
        }
        if (!bulk_limit_ok(c, offset, (long long)v->len))
            return;
        o->ptr = str_grow_zero(o->ptr, (size_t)offset + v->len);
    }
    memcpy((char *)o->ptr + offset, v->p, v->len);
    touched(c, key, "setrange");
    reply_ll(c, (long long)str_len(o->ptr));
}

/* ---- LCS --------------------------------------------------------------- */

typedef struct lcs_opts {
    int len, idx, withmatchlen;
    long long minmatchlen;
} lcs_opts;

static int lcs_parse(client *c, lcs_opts *op)
{
    memset(op, 0, sizeof(*op));
    for (int j = 3; j < c->argc; j++) {
        const arg *a = &c->argv[j];
        if (arg_eq(a, "idx")) {
            op->idx = 1;
        } else if (arg_eq(a, "len")) {
            op->len = 1;
        } else if (arg_eq(a, "withmatchlen")) {
            op->withmatchlen = 1;
        } else if (arg_eq(a, "minmatchlen") && j < c->argc - 1) {
            if (arg_ll(c, &c->argv[j + 1], &op->minmatchlen, NULL) < 0)
                return -1;
            if (op->minmatchlen < 0)
                op->minmatchlen = 0;
            j++;
        } else {
            reply_syntax_error(c);
            return -1;
        }
    }
    if (op->len && op->idx) {
        reply_error(c, "If you want both the length and indexes, please just use IDX.");
        return -1;
    }
    return 0;
}

/* The table T[i][j] = LCS length of a[0..i) and b[0..j), row-major with
 * blen+1 columns.  NULL after an error reply. */
static uint32_t *lcs_table(client *c, const char *a, uint32_t alen, const char *b, uint32_t blen)
{
    unsigned long long cells = (unsigned long long)(alen + 1ULL) * (blen + 1ULL), bytes;
    if (__builtin_mul_overflow(cells, sizeof(uint32_t), &bytes) || bytes > SIZE_MAX) {
        reply_error(c, "Insufficient memory, failed allocating transient memory for LCS");
        return NULL;
    }
    if (bytes > (unsigned long long)srv.proto_max_bulk_len) {
        reply_error(c, "Insufficient memory, transient memory for LCS exceeds "
                       "proto-max-bulk-len");
        return NULL;
    }
    uint32_t *t = ds_malloc((size_t)bytes);
    size_t w = (size_t)blen + 1;
    for (size_t j = 0; j <= blen; j++)
        t[j] = 0;
    for (size_t i = 1; i <= alen; i++) {
        uint32_t *row = t + i * w, *up = row - w;
        row[0] = 0;
        for (size_t j = 1; j <= blen; j++) {
            if (a[i - 1] == b[j - 1])
                row[j] = up[j - 1] + 1;
            else
                row[j] = up[j] > row[j - 1] ? up[j] : row[j - 1];
        }
    }
    return t;
}

static void lcs_emit(client *c, const lcs_opts *op, const uint32_t r[4])
{
    long long mlen = (long long)r[1] - r[0] + 1;
    reply_array(c, 2 + op->withmatchlen);
    reply_array(c, 2);
    reply_ll(c, r[0]);
    reply_ll(c, r[1]);
    reply_array(c, 2);
    reply_ll(c, r[2]);
    reply_ll(c, r[3]);
    if (op->withmatchlen)
        reply_ll(c, mlen);
}

/* Walk the table back from the end, building the LCS string (when res is
 * not NULL) and, for IDX, emitting runs of matches from the last to the
 * first.  Returns how many runs were emitted. */
static long lcs_walk(client *c, const lcs_opts *op, const uint32_t *t, const char *a, uint32_t alen,
                     const char *b, uint32_t blen, char *res)
{
    size_t w = (size_t)blen + 1;
    uint32_t i = alen, j = blen, k = t[(size_t)alen * w + blen];
    uint32_t run[4]; /* a start, a end, b start, b end */
    int open = 0;
    long runs = 0;
    while (i > 0 && j > 0) {
        int close = 0;
        if (a[i - 1] == b[j - 1]) {
            res[--k] = a[i - 1];
            if (!open) {
                run[0] = run[1] = i - 1;
                run[2] = run[3] = j - 1;
                open = 1;
            } else if (run[0] == i && run[2] == j) {
                run[0]--;
                run[2]--;
            } else {
                close = 1;
            }
            if (run[0] == 0 || run[2] == 0)
                close = 1;
            i--;
            j--;
        } else {
            if (t[(size_t)(i - 1) * w + j] > t[(size_t)i * w + j - 1])
                i--;
            else
                j--;
            close = open;
        }
        if (close) {
            if (op->idx &&
                (op->minmatchlen == 0 || (long long)run[1] - run[0] + 1 >= op->minmatchlen)) {
                lcs_emit(c, op, run);
                runs++;
            }
            open = 0;
        }
    }
    return runs;
}

static void cmd_lcs(client *c)
{
    obj *oa = db_lookup_read(c, c->argv[1].p, c->argv[1].len);
    obj *ob = db_lookup_read(c, c->argv[2].p, c->argv[2].len);
    lcs_opts op;
    if ((oa && oa->type != OBJ_STRING) || (ob && ob->type != OBJ_STRING)) {
        reply_error(c, "The specified keys must contain string values");
        return;
    }
    if (lcs_parse(c, &op) < 0)
        return;
    const char *a = oa ? oa->ptr : "", *b = ob ? ob->ptr : "";
    size_t al = oa ? str_len(oa->ptr) : 0, bl = ob ? str_len(ob->ptr) : 0;
    if (al >= UINT32_MAX - 1 || bl >= UINT32_MAX - 1) {
        reply_error(c, "String too long for LCS");
        return;
    }
    uint32_t alen = (uint32_t)al, blen = (uint32_t)bl;
    uint32_t *t = lcs_table(c, a, alen, b, blen);
    if (!t)
        return;
    uint32_t total = t[(size_t)alen * (blen + 1) + blen];
    char *res = NULL;
    void *h = NULL;
    if (op.idx || !op.len)
        res = ds_malloc((size_t)total + 1);
    if (op.idx) {
        reply_map(c, 2);
        reply_bulk(c, "matches", 7);
        h = reply_defer(c);
    }
    long runs = res ? lcs_walk(c, &op, t, a, alen, b, blen, res) : 0;
    if (op.idx) {
        reply_bulk(c, "len", 3);
        reply_ll(c, total);
        reply_set_array_len(c, h, runs);
    } else if (op.len) {
        reply_ll(c, total);
    } else {
        reply_bulk(c, res, total);
    }
    ds_free(res);
    ds_free(t);
}

/* ---- bitmaps ----------------------------------------------------------- */

/* A bit offset argument; -1 after an error reply. */
static int bit_offset(client *c, const arg *a, uint64_t *out)
{
    long long v;
    if (!str_to_ll(a->p, a->len, &v) || v < 0 ||
        (!srv.loading && (v >> 3) >= srv.proto_max_bulk_len)) {
        reply_error(c, "bit offset is not an integer or out of range");
        return -1;
    }
    *out = (uint64_t)v;
    return 0;
}

static void cmd_setbit(client *c)
{
    const arg *key = &c->argv[1];
    uint64_t off;
    long long on;
    if (bit_offset(c, &c->argv[2], &off) < 0)
        return;
    if (!str_to_ll(c->argv[3].p, c->argv[3].len, &on) || (on & ~1LL)) {
        reply_error(c, "bit is not an integer or out of range");
        return;
    }
    size_t byte = (size_t)(off >> 3);
    obj *o = db_lookup_write(c, key->p, key->len);
    if (wrong_type(c, o))
        return;
    int changed = 0;
    if (!o) {
        o = obj_new(OBJ_STRING, str_new(NULL, byte + 1));
        db_add(c->db, key->p, key->len, o);
        changed = 1;
    } else if (str_len(o->ptr) < byte + 1) {
        o->ptr = str_grow_zero(o->ptr, byte + 1);
        changed = 1;
    }
    unsigned char *p = (unsigned char *)o->ptr + byte;
    unsigned mask = 1u << (7 - (off & 7));
    int old = (*p & mask) != 0;
    if (changed || old != (int)on) {
        *p = (unsigned char)(on ? (*p | mask) : (*p & ~mask));
        touched(c, key, "setbit");
    }
    reply_raw(c, old ? ":1\r\n" : ":0\r\n", 4);
}

static void cmd_getbit(client *c)
{
    uint64_t off;
    if (bit_offset(c, &c->argv[2], &off) < 0)
        return;
    obj *o = db_lookup_read(c, c->argv[1].p, c->argv[1].len);
    if (wrong_type(c, o))
        return;
    int bit = 0;
    size_t byte = (size_t)(off >> 3);
    if (o && byte < str_len(o->ptr))
        bit = (((unsigned char *)o->ptr)[byte] >> (7 - (off & 7))) & 1;
    reply_raw(c, bit ? ":1\r\n" : ":0\r\n", 4);
}

static long long popcount(const unsigned char *p, size_t n)
{
    long long count = 0;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, p + i, 8);
        count += __builtin_popcountll(w);
    }
    for (; i < n; i++)
        count += __builtin_popcount(p[i]);
    return count;
}

/* Position of the first bit equal to `bit` in p[0..n), counting from the
 * most significant bit of p[0].  Not found: -1 for 1, n*8 for 0 (the string
 * is taken as padded with zeros on the right). */
static long long bit_search(const unsigned char *p, size_t n, int bit)
{
    const unsigned char skip = bit ? 0x00 : 0xff;
    const uint64_t skipw = bit ? 0 : ~(uint64_t)0;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, p + i, 8);
        if (w != skipw)
            break;
    }
    for (; i < n && p[i] == skip; i++)
        ;
    if (i == n)
        return bit ? -1 : (long long)n * 8;
    for (int b = 7; b >= 0; b--)
        if (((p[i] >> b) & 1) == bit)
            return (long long)i * 8 + (7 - b);
    return -1; /* not reached */
}

/* A [start, end] range of BITCOUNT/BITPOS in bytes or bits, clamped to a
 * string of len bytes.  Sets the byte range and edge masks (bits of the
 * first/last byte that lie outside a BIT range). */
typedef struct bit_range {
    long long start, end; /* bytes, inclusive; start > end = empty */
    unsigned char first_out, last_out;
} bit_range;

static void clamp_range(bit_range *r, long long start, long long end, long long len, int isbit)
{
    long long total = isbit ? len * 8 : len;
    if (start < 0)
        start += total;
    if (end < 0)
        end += total;
    if (start < 0)
        start = 0;
    if (end < 0)
        end = 0;
    if (end >= total)
        end = total - 1;
    r->first_out = r->last_out = 0;
    if (isbit && start <= end) {
        r->first_out = (unsigned char)(~((1u << (8 - (start & 7))) - 1) & 0xff);
        r->last_out = (unsigned char)((1u << (7 - (end & 7))) - 1);
        start >>= 3;
        end >>= 3;
    }
    r->start = start;
    r->end = end;
}

/* BIT|BYTE; -1 after a syntax error reply. */
static int parse_unit(client *c, const arg *a, int *isbit)
{
    if (arg_eq(a, "bit"))
        *isbit = 1;
    else if (arg_eq(a, "byte"))
        *isbit = 0;
    else {
        reply_syntax_error(c);
        return -1;
    }
    return 0;
}

static void cmd_bitcount(client *c)
{
    obj *o = db_lookup_read(c, c->argv[1].p, c->argv[1].len);
    long long start, end;
    int isbit = 0;
    bit_range r;
    if (!o) {
        reply_raw(c, ":0\r\n", 4);
        return;
    }
    if (wrong_type(c, o))
        return;
    const unsigned char *p = (const unsigned char *)o->ptr;
    long long len = (long long)str_len(o->ptr);
    if (c->argc == 4 || c->argc == 5) {
        if (arg_ll(c, &c->argv[2], &start, NULL) < 0 || arg_ll(c, &c->argv[3], &end, NULL) < 0)
            return;
        if (start < 0 && end < 0 && start > end) {
            reply_raw(c, ":0\r\n", 4);
            return;
        }
        if (c->argc == 5 && parse_unit(c, &c->argv[4], &isbit) < 0)
            return;
        clamp_range(&r, start, end, len, isbit);
    } else if (c->argc == 2) {
        r = (bit_range){0, len - 1, 0, 0};
    } else {
        reply_syntax_error(c);
        return;
    }
    if (r.start > r.end) {
        reply_raw(c, ":0\r\n", 4);
        return;
    }
    long long count = popcount(p + r.start, (size_t)(r.end - r.start + 1));
    count -= __builtin_popcount(p[r.start] & r.first_out);
    count -= __builtin_popcount(p[r.end] & r.last_out);
    reply_ll(c, count);
}

/* First `bit` in bytes [r->start, r->end] of p with the edge masks applied.
 * Relative to the start byte, in bits; n*8 / -1 when none (see bit_search). */
static long long bitpos_range(const unsigned char *p, const bit_range *r, int bit)
{
    size_t n = (size_t)(r->end - r->start + 1);
    const unsigned char *s = p + r->start;
    if (!r->first_out && !r->last_out)
        return bit_search(s, n, bit);
    /* Force the bits outside the range to the value we are not looking for. */
    unsigned char first = s[0], last = s[n - 1];
    unsigned char out0 = r->first_out, out1 = r->last_out;
    if (n == 1)
        out0 |= out1;
    first = bit ? (first & ~out0) : (first | out0);
    long long pos = bit_search(&first, 1, bit);
    if (n == 1 || (pos != -1 && pos != 8))
        return pos;
    size_t mid = n - 1 - (out1 ? 1 : 0);
    if (mid > 0) {
        pos = bit_search(s + 1, mid, bit);
        if (pos != -1 && pos != (long long)mid * 8)
            return pos + 8;
        if (!out1)
            return pos == -1 ? -1 : pos + 8;
    }
    last = bit ? (last & ~out1) : (last | out1);
    pos = bit_search(&last, 1, bit);
    return pos == -1 ? -1 : pos + (long long)(n - 1) * 8;
}

static void cmd_bitpos(client *c)
{
    long long bit, start, end;
    int isbit = 0, end_given = 0;
    bit_range r;
    if (arg_ll(c, &c->argv[2], &bit, NULL) < 0)
        return;
    if (bit != 0 && bit != 1) {
        reply_error(c, "The bit argument must be 1 or 0.");
        return;
    }
    obj *o = db_lookup_read(c, c->argv[1].p, c->argv[1].len);
    if (!o) {
        reply_ll(c, bit ? -1 : 0);
        return;
    }
    if (wrong_type(c, o))
        return;
    const unsigned char *p = (const unsigned char *)o->ptr;
    long long len = (long long)str_len(o->ptr);
    if (c->argc >= 4 && c->argc <= 6) {
        if (arg_ll(c, &c->argv[3], &start, NULL) < 0)
            return;
        if (c->argc == 6 && parse_unit(c, &c->argv[5], &isbit) < 0)
            return;
        if (c->argc >= 5) {
            if (arg_ll(c, &c->argv[4], &end, NULL) < 0)
                return;
            end_given = 1;
        } else {
            end = isbit ? len * 8 + 7 : len - 1;
        }
        clamp_range(&r, start, end, len, isbit);
    } else if (c->argc == 3) {
        r = (bit_range){0, len - 1, 0, 0};
    } else {
        reply_syntax_error(c);
        return;
    }
    if (r.start > r.end) {
        reply_ll(c, -1);
        return;
    }
    long long pos = bitpos_range(p, &r, (int)bit);
    long long nbits = (r.end - r.start + 1) * 8;
    /* With an explicit end, running off the range finds no clear bit. */
    if (end_given && bit == 0 && pos == nbits) {
        reply_ll(c, -1);
        return;
    }
    reply_ll(c, pos == -1 ? -1 : pos + r.start * 8);
}

/* ---- BITOP -------------------------------------------------------------- */

enum { BITOP_AND, BITOP_OR, BITOP_XOR, BITOP_NOT };

/* One output byte: missing bytes of shorter sources count as zeros. */
static unsigned char bitop_byte(int op, const unsigned char **src, const size_t *len, int n,
                                size_t i)
{
    unsigned char out = (src[0] && i < len[0]) ? src[0][i] : 0;
    if (op == BITOP_NOT)
        return (unsigned char)~out;
    for (int k = 1; k < n; k++) {
        unsigned char b = (src[k] && i < len[k]) ? src[k][i] : 0;
        if (op == BITOP_AND)
            out &= b;
        else if (op == BITOP_OR)
            out |= b;
        else
            out ^= b;
    }
    return out;
}

static void cmd_bitop(client *c)
{
    static const char *names[] = {"and", "or", "xor", "not"};
    const arg *dest = &c->argv[2];
    int op = -1, n = c->argc - 3;
    for (int i = 0; i < 4; i++)
        if (arg_eq(&c->argv[1], names[i]))
            op = i;
    if (op < 0) {
        reply_syntax_error(c);
        return;
    }
    if (op == BITOP_NOT && n != 1) {
        reply_error(c, "BITOP NOT must be called with a single source key.");
        return;
    }
    const unsigned char **src = ds_malloc(sizeof(*src) * (size_t)n);
    size_t *len = ds_malloc(sizeof(*len) * (size_t)n), maxlen = 0;
    for (int k = 0; k < n; k++) {
        obj *o = db_lookup_read(c, c->argv[3 + k].p, c->argv[3 + k].len);
        if (wrong_type(c, o))
            goto out;
        src[k] = o ? (const unsigned char *)o->ptr : NULL;
        len[k] = o ? str_len(o->ptr) : 0;
        if (len[k] > maxlen)
            maxlen = len[k];
    }
    if (maxlen) {
        /* Computed into a new str first: dest may be one of the sources. */
        str res = str_new(NULL, maxlen);
        for (size_t i = 0; i < maxlen; i++)
            res[i] = (char)bitop_byte(op, src, len, n, i);
        obj *o = db_lookup_write(c, dest->p, dest->len);
        if (o && o->type == OBJ_STRING) {
            str_free(o->ptr);
            o->ptr = res;
            db_remove_expire(c->db, dest->p, dest->len);
        } else if (o) {
            db_set(c->db, dest->p, dest->len, obj_new(OBJ_STRING, res), 0);
        } else {
            db_add(c->db, dest->p, dest->len, obj_new(OBJ_STRING, res));
        }
        touched(c, dest, "set");
    } else if (db_delete(c->db, dest->p, dest->len)) {
        signal_modified_key(c, c->db, dest->p, dest->len);
        notify_keyspace_event(NOTIFY_GENERIC, "del", dest->p, dest->len, c->db->id);
        srv.dirty++;
    }
    reply_ll(c, (long long)maxlen);
out:
    ds_free(src);
    ds_free(len);
}

/* ---- BITFIELD ----------------------------------------------------------- */

enum { BF_GET, BF_SET, BF_INCRBY };
enum { BF_WRAP, BF_SAT, BF_FAIL };

typedef struct bf_op {
    uint64_t offset;
    long long value; /* SET value or INCRBY increment */
    int opcode, overflow, bits, is_signed;
} bf_op;

/* Bits [offset, offset+bits) of p, most significant first (SETBIT order). */
static uint64_t bf_get_bits(const unsigned char *p, uint64_t offset, int bits)
{
    uint64_t v = 0;
    for (int i = 0; i < bits; i++, offset++)
        v = (v << 1) | ((p[offset >> 3] >> (7 - (offset & 7))) & 1);
    return v;
}

static void bf_set_bits(unsigned char *p, uint64_t offset, int bits, uint64_t v)
{
    for (int i = bits - 1; i >= 0; i--, offset++) {
        unsigned mask = 1u << (7 - (offset & 7));
        if ((v >> i) & 1)
            p[offset >> 3] |= (unsigned char)mask;
        else
            p[offset >> 3] &= (unsigned char)~mask;
    }
}

static int64_t bf_sign_extend(uint64_t v, int bits)
{
    if (bits < 64 && (v & ((uint64_t)1 << (bits - 1))))
        v |= ~(uint64_t)0 << bits;
    return (int64_t)v;
}

/* value + incr stored in `bits`: returns 0 if it fits (*out = sum), else
 * +1 / -1 for overflow / underflow with *out = what WRAP or SAT store. */
static int bf_unsigned_add(uint64_t value, int64_t incr, int bits, int mode, uint64_t *out)
{
    uint64_t max = bits == 64 ? UINT64_MAX : ((uint64_t)1 << bits) - 1;
    int r = 0;
    if (value > max || (incr > 0 && (uint64_t)incr > max - value))
        r = 1;
    else if (incr < 0 && (uint64_t)0 - (uint64_t)incr > value)
        r = -1;
    uint64_t sum = value + (uint64_t)incr;
    if (!r)
        *out = sum;
    else if (mode == BF_SAT)
        *out = r > 0 ? max : 0;
    else
        *out = sum & max;
    return r;
}

/* Redis computes the room left with wrapping arithmetic, so a value far
 * below the minimum (e.g. SET i32 with -2^63) reads as an overflow and SAT
 * stores the maximum: kept as is for identical results. */
static int bf_signed_add(int64_t value, int64_t incr, int bits, int mode, int64_t *out)
{
    int64_t max = bits == 64 ? INT64_MAX : ((int64_t)1 << (bits - 1)) - 1, min = -max - 1;
    int64_t maxincr = (int64_t)((uint64_t)max - (uint64_t)value);
    int64_t minincr = (int64_t)((uint64_t)min - (uint64_t)value);
    int r = 0;
    if (value > max || (bits != 64 && incr > maxincr) || (value >= 0 && incr > 0 && incr > maxincr))
        r = 1;
    else if (value < min || (bits != 64 && incr < minincr) ||
             (value < 0 && incr < 0 && incr < minincr))
        r = -1;
    uint64_t sum = (uint64_t)value + (uint64_t)incr;
    if (!r)
        *out = (int64_t)sum;
    else if (mode == BF_SAT)
        *out = r > 0 ? max : min;
    else
        *out = bf_sign_extend(bits == 64 ? sum : sum & (((uint64_t)1 << bits) - 1), bits);
    return r;
}

/* "i<1..64>" or "u<1..63>"; -1 after an error reply. */
static int bf_type(client *c, const arg *a, int *is_signed, int *bits)
{
    long long n;
    if (a->len < 2 || (a->p[0] != 'i' && a->p[0] != 'u') || !str_to_ll(a->p + 1, a->len - 1, &n) ||
        n < 1 || n > (a->p[0] == 'i' ? 64 : 63)) {
        reply_error(c, "Invalid bitfield type. Use something like i16 u8. Note that u64 is "
                       "not supported but i64 is.");
        return -1;
    }
    *is_signed = a->p[0] == 'i';
    *bits = (int)n;
    return 0;
}

/* An offset, or "#N" meaning N * bits; -1 after an error reply. */
static int bf_offset(client *c, const arg *a, int bits, uint64_t *out)
{
    long long v;
    int hash = a->len > 0 && a->p[0] == '#';
    if (!str_to_ll(a->p + hash, a->len - hash, &v) ||
        (hash && __builtin_mul_overflow(v, (long long)bits, &v)) || v < 0 ||
        (!srv.loading && (v >> 3) >= srv.proto_max_bulk_len)) {
        reply_error(c, "bit offset is not an integer or out of range");
        return -1;
    }
    *out = (uint64_t)v;
    return 0;
}

/* Parse every subcommand before touching anything; NULL after an error. */
static bf_op *bf_parse(client *c, int *nops, int *writes, uint64_t *last_bit)
{
    bf_op *ops = ds_malloc(sizeof(*ops) * (size_t)(c->argc / 2 + 1));
    int overflow = BF_WRAP, n = 0;
    *writes = 0;
    *last_bit = 0;
    for (int j = 2; j < c->argc; j++) {
        int left = c->argc - j - 1;
        bf_op *op = &ops[n];
        if (arg_eq(&c->argv[j], "get") && left >= 2) {
            op->opcode = BF_GET;
        } else if (arg_eq(&c->argv[j], "set") && left >= 3) {
            op->opcode = BF_SET;
        } else if (arg_eq(&c->argv[j], "incrby") && left >= 3) {
            op->opcode = BF_INCRBY;
        } else if (arg_eq(&c->argv[j], "overflow") && left >= 1) {
            const arg *t = &c->argv[++j];
            if (arg_eq(t, "wrap"))
                overflow = BF_WRAP;
            else if (arg_eq(t, "sat"))
                overflow = BF_SAT;
            else if (arg_eq(t, "fail"))
                overflow = BF_FAIL;
            else {
                reply_error(c, "Invalid OVERFLOW type specified");
                goto fail;
            }
            continue;
        } else {
            reply_syntax_error(c);
            goto fail;
        }
        if (bf_type(c, &c->argv[j + 1], &op->is_signed, &op->bits) < 0 ||
            bf_offset(c, &c->argv[j + 2], op->bits, &op->offset) < 0)
            goto fail;
        op->overflow = overflow;
        op->value = 0;
        if (op->opcode != BF_GET) {
            *writes = 1;
            if (op->offset + (uint64_t)op->bits - 1 > *last_bit)
                *last_bit = op->offset + (uint64_t)op->bits - 1;
            if (arg_ll(c, &c->argv[j + 3], &op->value, NULL) < 0)
                goto fail;
        }
        n++;
        j += op->opcode == BF_GET ? 2 : 3;
    }
    *nops = n;
    return ops;
fail:
    ds_free(ops);
    return NULL;
}

/* SET or INCRBY on p; replies.  Returns 1 if the stored bits changed, 0 if
 * not, -1 if OVERFLOW FAIL kept it from writing. */
static int bf_write(client *c, unsigned char *p, const bf_op *op)
{
    uint64_t raw = bf_get_bits(p, op->offset, op->bits), stored;
    long long reply;
    int r;
    if (op->is_signed) {
        int64_t old = bf_sign_extend(raw, op->bits), nv;
        if (op->opcode == BF_INCRBY)
            r = bf_signed_add(old, op->value, op->bits, op->overflow, &nv);
        else
            r = bf_signed_add(op->value, 0, op->bits, op->overflow, &nv);
        reply = op->opcode == BF_INCRBY ? nv : old;
        stored = (uint64_t)nv;
    } else {
        uint64_t nv;
        if (op->opcode == BF_INCRBY)
            r = bf_unsigned_add(raw, op->value, op->bits, op->overflow, &nv);
        else
            r = bf_unsigned_add((uint64_t)op->value, 0, op->bits, op->overflow, &nv);
        reply = op->opcode == BF_INCRBY ? (long long)nv : (long long)raw;
        stored = nv;
    }
    if (r && op->overflow == BF_FAIL) {
        reply_null(c);
        return -1;
    }
    reply_ll(c, reply);
    bf_set_bits(p, op->offset, op->bits, stored);
    return bf_get_bits(p, op->offset, op->bits) != raw;
}

static void bf_read(client *c, const obj *o, const bf_op *op)
{
    /* Up to 9 bytes copied out, zero padded past the end of the string. */
    unsigned char buf[9] = {0};
    uint64_t byte = op->offset >> 3;
    size_t len = o ? str_len(o->ptr) : 0;
    for (uint64_t i = 0; i < 9 && byte + i < len; i++)
        buf[i] = ((const unsigned char *)o->ptr)[byte + i];
    uint64_t v = bf_get_bits(buf, op->offset & 7, op->bits);
    reply_ll(c, op->is_signed ? (long long)bf_sign_extend(v, op->bits) : (long long)v);
}

static void bitfield_generic(client *c, int read_only)
{
    const arg *key = &c->argv[1];
    int nops, writes, changes = 0, grown = 0;
    uint64_t last_bit;
    bf_op *ops = bf_parse(c, &nops, &writes, &last_bit);
    if (!ops)
        return;
    obj *o;
    if (!writes) {
        o = db_lookup_read(c, key->p, key->len);
        if (wrong_type(c, o))
            goto out;
    } else {
        if (read_only) {
            reply_error(c, "BITFIELD_RO only supports the GET subcommand");
            goto out;
        }
        o = db_lookup_write(c, key->p, key->len);
        if (wrong_type(c, o))
            goto out;
        size_t need = (size_t)(last_bit >> 3) + 1;
        if (!o) {
            o = obj_new(OBJ_STRING, str_new(NULL, need));
            db_add(c->db, key->p, key->len, o);
            grown = 1;
        } else if (str_len(o->ptr) < need) {
            o->ptr = str_grow_zero(o->ptr, need);
            grown = 1;
        }
    }
    reply_array(c, nops);
    for (int i = 0; i < nops; i++) {
        if (ops[i].opcode == BF_GET) {
            bf_read(c, o, &ops[i]);
        } else {
            int w = bf_write(c, (unsigned char *)o->ptr, &ops[i]);
            /* Like Redis: every write counts once the key was created or
             * grown, otherwise only those that changed the value. */
            if (w > 0 || (w == 0 && grown))
                changes++;
        }
    }
    if (changes) {
        signal_modified_key(c, c->db, key->p, key->len);
        notify_keyspace_event(NOTIFY_STRING, "setbit", key->p, key->len, c->db->id);
        srv.dirty += changes;
    }
out:
    ds_free(ops);
}

static void cmd_bitfield(client *c)
{
    bitfield_generic(c, 0);
}

static void cmd_bitfield_ro(client *c)
{
    bitfield_generic(c, 1);
}

/* ---- command table ----------------------------------------------------- */

#define STR_RANGE_COMPLEXITY                                                                       \
    "O(N) where N is the length of the returned string. The complexity is ultimately "             \
    "determined by the returned length, but because creating a substring from an existing "        \
    "string is very cheap, it can be considered O(1) for small strings."

/* One compact entry per command, like the other command tables. */
/* clang-format off */
command cmd_string_table[] = {
    {.name = "get", .proc = cmd_get, .arity = 2, .flags = CMD_READONLY | CMD_FAST, .first_key = 1,
     .last_key = 1, .key_step = 1, .group = "string", .summary = "Get the value of a key",
     .since = "1.0.0", .complexity = "O(1)", .acl = "read string fast"},
    {.name = "set", .proc = cmd_set, .arity = -3, .flags = CMD_WRITE | CMD_DENYOOM, .first_key = 1,
     .last_key = 1, .key_step = 1, .group = "string", .summary = "Set the string value of a key",
     .since = "1.0.0", .complexity = "O(1)", .acl = "write string slow"},
    {.name = "setnx", .proc = cmd_setnx, .arity = 3, .flags = CMD_WRITE | CMD_DENYOOM | CMD_FAST,
     .first_key = 1, .last_key = 1, .key_step = 1, .group = "string",
     .summary = "Set the value of a key, only if the key does not exist", .since = "1.0.0",
     .complexity = "O(1)", .acl = "write string fast"},
    {.name = "setex", .proc = cmd_setex, .arity = 4, .flags = CMD_WRITE | CMD_DENYOOM,
     .first_key = 1, .last_key = 1, .key_step = 1, .group = "string",
     .summary = "Set the value and expiration of a key", .since = "2.0.0", .complexity = "O(1)",
     .acl = "write string slow"},
    {.name = "psetex", .proc = cmd_psetex, .arity = 4, .flags = CMD_WRITE | CMD_DENYOOM,
     .first_key = 1, .last_key = 1, .key_step = 1, .group = "string",
     .summary = "Set the value and expiration in milliseconds of a key", .since = "2.6.0",
     .complexity = "O(1)", .acl = "write string slow"},
    {.name = "getset", .proc = cmd_getset, .arity = 3, .flags = CMD_WRITE | CMD_DENYOOM | CMD_FAST,
     .first_key = 1, .last_key = 1, .key_step = 1, .group = "string",
     .summary = "Set the string value of a key and return its old value", .since = "1.0.0",
     .complexity = "O(1)", .acl = "write string fast"},
    {.name = "getdel", .proc = cmd_getdel, .arity = 2, .flags = CMD_WRITE | CMD_FAST,
     .first_key = 1, .last_key = 1, .key_step = 1, .group = "string",
     .summary = "Get the value of a key and delete the key", .since = "6.2.0",
     .complexity = "O(1)", .acl = "write string fast"},
    {.name = "getex", .proc = cmd_getex, .arity = -2, .flags = CMD_WRITE | CMD_FAST,
     .first_key = 1, .last_key = 1, .key_step = 1, .group = "string",
     .summary = "Get the value of a key and optionally set its expiration", .since = "6.2.0",
     .complexity = "O(1)", .acl = "write string fast"},
    {.name = "mget", .proc = cmd_mget, .arity = -2, .flags = CMD_READONLY | CMD_FAST,
     .first_key = 1, .last_key = -1, .key_step = 1, .group = "string",
     .summary = "Get the values of all the given keys", .since = "1.0.0",
     .complexity = "O(N) where N is the number of keys to retrieve.", .acl = "read string fast"},
    {.name = "mset", .proc = cmd_mset, .arity = -3, .flags = CMD_WRITE | CMD_DENYOOM,
     .first_key = 1, .last_key = -1, .key_step = 2, .group = "string",
     .summary = "Set multiple keys to multiple values", .since = "1.0.1",
     .complexity = "O(N) where N is the number of keys to set.", .acl = "write string slow"},
    {.name = "msetnx", .proc = cmd_msetnx, .arity = -3, .flags = CMD_WRITE | CMD_DENYOOM,
     .first_key = 1, .last_key = -1, .key_step = 2, .group = "string",
     .summary = "Set multiple keys to multiple values, only if none of the keys exist",
     .since = "1.0.1", .complexity = "O(N) where N is the number of keys to set.",
     .acl = "write string slow"},
    {.name = "incr", .proc = cmd_incr, .arity = 2, .flags = CMD_WRITE | CMD_DENYOOM | CMD_FAST,
     .first_key = 1, .last_key = 1, .key_step = 1, .group = "string",
     .summary = "Increment the integer value of a key by one", .since = "1.0.0",
     .complexity = "O(1)", .acl = "write string fast"},
    {.name = "decr", .proc = cmd_decr, .arity = 2, .flags = CMD_WRITE | CMD_DENYOOM | CMD_FAST,
     .first_key = 1, .last_key = 1, .key_step = 1, .group = "string",
     .summary = "Decrement the integer value of a key by one", .since = "1.0.0",
     .complexity = "O(1)", .acl = "write string fast"},
    {.name = "incrby", .proc = cmd_incrby, .arity = 3, .flags = CMD_WRITE | CMD_DENYOOM | CMD_FAST,
     .first_key = 1, .last_key = 1, .key_step = 1, .group = "string",
     .summary = "Increment the integer value of a key by the given amount", .since = "1.0.0",
     .complexity = "O(1)", .acl = "write string fast"},
    {.name = "decrby", .proc = cmd_decrby, .arity = 3, .flags = CMD_WRITE | CMD_DENYOOM | CMD_FAST,
     .first_key = 1, .last_key = 1, .key_step = 1, .group = "string",
     .summary = "Decrement the integer value of a key by the given number", .since = "1.0.0",
     .complexity = "O(1)", .acl = "write string fast"},
    {.name = "incrbyfloat", .proc = cmd_incrbyfloat, .arity = 3,
     .flags = CMD_WRITE | CMD_DENYOOM | CMD_FAST, .first_key = 1, .last_key = 1, .key_step = 1,
     .group = "string", .summary = "Increment the float value of a key by the given amount",
     .since = "2.6.0", .complexity = "O(1)", .acl = "write string fast"},
    {.name = "append", .proc = cmd_append, .arity = 3, .flags = CMD_WRITE | CMD_DENYOOM | CMD_FAST,
     .first_key = 1, .last_key = 1, .key_step = 1, .group = "string",
     .summary = "Append a value to a key", .since = "2.0.0",
     .complexity = "O(1). The amortized time complexity is O(1) assuming the appended value "
                   "is small and the already present value is of any size, since the dynamic "
                   "string library used by Redis will double the free space available on "
                   "every reallocation.", .acl = "write string fast"},
    {.name = "strlen", .proc = cmd_strlen, .arity = 2, .flags = CMD_READONLY | CMD_FAST,
     .first_key = 1, .last_key = 1, .key_step = 1, .group = "string",
     .summary = "Get the length of the value stored in a key", .since = "2.2.0",
     .complexity = "O(1)", .acl = "read string fast"},
    {.name = "getrange", .proc = cmd_getrange, .arity = 4, .flags = CMD_READONLY, .first_key = 1,
     .last_key = 1, .key_step = 1, .group = "string",
     .summary = "Get a substring of the string stored at a key", .since = "2.4.0",
     .complexity = STR_RANGE_COMPLEXITY, .acl = "read string slow"},
    {.name = "substr", .proc = cmd_substr, .arity = 4, .flags = CMD_READONLY, .first_key = 1,
     .last_key = 1, .key_step = 1, .group = "string",
     .summary = "Get a substring of the string stored at a key", .since = "1.0.0",
     .complexity = STR_RANGE_COMPLEXITY, .acl = "read string slow"},
    {.name = "setrange", .proc = cmd_setrange, .arity = 4, .flags = CMD_WRITE | CMD_DENYOOM,
     .first_key = 1, .last_key = 1, .key_step = 1, .group = "string",
     .summary = "Overwrite part of a string at key starting at the specified offset",
     .since = "2.2.0",
     .complexity = "O(1), not counting the time taken to copy the new string in place. "
                   "Usually, this string is very small so the amortized complexity is O(1). "
                   "Otherwise, complexity is O(M) with M being the length of the value "
                   "argument.", .acl = "write string slow"},
    {.name = "lcs", .proc = cmd_lcs, .arity = -3, .flags = CMD_READONLY, .first_key = 1,
     .last_key = 2, .key_step = 1, .group = "string", .summary = "Find longest common substring",
     .since = "7.0.0",
     .complexity = "O(N*M) where N and M are the lengths of s1 and s2, respectively",
     .acl = "read string slow"},
    {.name = "setbit", .proc = cmd_setbit, .arity = 4, .flags = CMD_WRITE | CMD_DENYOOM,
     .first_key = 1, .last_key = 1, .key_step = 1, .group = "bitmap",
     .summary = "Sets or clears the bit at offset in the string value stored at key",
     .since = "2.2.0", .complexity = "O(1)", .acl = "write bitmap slow"},
    {.name = "getbit", .proc = cmd_getbit, .arity = 3, .flags = CMD_READONLY | CMD_FAST,
     .first_key = 1, .last_key = 1, .key_step = 1, .group = "bitmap",
     .summary = "Returns the bit value at offset in the string value stored at key",
     .since = "2.2.0", .complexity = "O(1)", .acl = "read bitmap fast"},
    {.name = "bitcount", .proc = cmd_bitcount, .arity = -2, .flags = CMD_READONLY, .first_key = 1,
     .last_key = 1, .key_step = 1, .group = "bitmap", .summary = "Count set bits in a string",
     .since = "2.6.0", .complexity = "O(N)", .acl = "read bitmap slow"},
    {.name = "bitpos", .proc = cmd_bitpos, .arity = -3, .flags = CMD_READONLY, .first_key = 1,
     .last_key = 1, .key_step = 1, .group = "bitmap",
     .summary = "Find first bit set or clear in a string", .since = "2.8.7", .complexity = "O(N)",
     .acl = "read bitmap slow"},
    {.name = "bitop", .proc = cmd_bitop, .arity = -4, .flags = CMD_WRITE | CMD_DENYOOM,
     .first_key = 2, .last_key = -1, .key_step = 1, .group = "bitmap",
     .summary = "Perform bitwise operations between strings", .since = "2.6.0",
     .complexity = "O(N)", .acl = "write bitmap slow"},
    {.name = "bitfield", .proc = cmd_bitfield, .arity = -2, .flags = CMD_WRITE | CMD_DENYOOM,
     .first_key = 1, .last_key = 1, .key_step = 1, .group = "bitmap",
     .summary = "Perform arbitrary bitfield integer operations on strings", .since = "3.2.0",
     .complexity = "O(1) for each subcommand specified", .acl = "write bitmap slow"},
    {.name = "bitfield_ro", .proc = cmd_bitfield_ro, .arity = -2, .flags = CMD_READONLY | CMD_FAST,
     .first_key = 1, .last_key = 1, .key_step = 1, .group = "bitmap",
     .summary = "Perform arbitrary bitfield integer operations on strings. Read-only variant "
                "of BITFIELD", .since = "6.0.0",
     .complexity = "O(1) for each subcommand specified", .acl = "read bitmap fast"},
    {.name = NULL},
};
/* clang-format on */
