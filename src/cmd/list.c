/* cmd/list.c - the list commands (LPUSH ... BLMPOP), Redis 7.0.15 replies.
 *
 * A list key holds an OBJ_LIST obj whose ptr is a qlist (ds/qlist.h).
 * Invariants kept by every command here:
 *  - a list key is never empty: the command that removes the last element
 *    deletes the key and fires "del" after its own event;
 *  - new lists take fill from list-max-listpack-size; the packed threshold
 *    (DEBUG QUICKLIST-PACKED-THRESHOLD, global in Redis) is re-applied to a
 *    list before every write that may store a new element;
 *  - only db_add() signals a list key as ready: clients can only be blocked
 *    on list keys that do not exist, so creating one is the only event.
 *
 * Blocking commands (BLPOP, BRPOP, BLMPOP, BLMOVE, BRPOPLPUSH) first try
 * to serve like their non-blocking forms (and then propagate as those);
 * otherwise they block through blocked.h with list_block_ops: serve_list()
 * pops from the ready key, replies and propagates LPOP/RPOP [count],
 * LMOVE or RPOPLPUSH.  Inside MULTI/EXEC they answer as on timeout. */
#include "../server.h"

#include "../blocked.h"
#include "../ds/alloc.h"
#include "../ds/qlist.h"
#include "../ds/util.h"

#include <limits.h>
#include <string.h>

/* ---- the list type ---- */

static void list_free_v(void *p)
{
    qlist_free(p);
}

static void *list_dup_v(const void *p)
{
    return qlist_dup(p);
}

static size_t list_mem_v(const void *p)
{
    return qlist_mem(p);
}

static const char *list_encoding(const obj *o)
{
    (void)o;
    return "quicklist";
}

static const obj_type_ops list_ops = {.name = "list",
                                      .free = list_free_v,
                                      .dup = list_dup_v,
                                      .mem = list_mem_v,
                                      .encoding = list_encoding};

__attribute__((constructor)) static void list_register_type(void)
{
    obj_register_type(OBJ_LIST, &list_ops);
}

/* ---- helpers ---- */

/* The list of o, with the current packed threshold applied. */
static qlist *list_for_write(obj *o)
{
    qlist *ql = o->ptr;
    qlist_set_packed_threshold(ql, srv.list_packed_threshold);
    return ql;
}

static obj *list_create(db *d, const arg *key)
{
    qlist *ql = qlist_new(srv.list_max_listpack_size);
    qlist_set_packed_threshold(ql, srv.list_packed_threshold);
    obj *o = obj_new(OBJ_LIST, ql);
    db_add(d, key->p, key->len, o);
    return o;
}

static int wrong_type(client *c, const obj *o)
{
    if (o && o->type != OBJ_LIST) {
        reply_error(c, ERR_WRONGTYPE);
        return 1;
    }
    return 0;
}

static int parse_long(client *c, const arg *a, long *out)
{
    long long v;
    if (arg_ll(c, a, &v, NULL) < 0)
        return -1;
    *out = (long)v;
    return 0;
}

/* getRangeLongFromObjectOrReply: msg replaces both errors when given. */
static int parse_range(client *c, const arg *a, long min, long max, long *out, const char *msg)
{
    long long v;
    if (!str_to_ll(a->p, a->len, &v)) {
        reply_error(c, msg ? msg : ERR_NOT_INT);
        return -1;
    }
    if (v < min || v > max) {
        if (msg)
            reply_error(c, msg);
        else
            reply_errorf(c, "value is out of range, value must between %ld and %ld", min, max);
        return -1;
    }
    *out = (long)v;
    return 0;
}

static int parse_positive(client *c, const arg *a, long *out, const char *msg)
{
    return parse_range(c, a, 0, LONG_MAX, out,
                       msg ? msg : "value is out of range, must be positive");
}

static int parse_where(client *c, const arg *a, int *where)
{
    if (arg_eq(a, "left")) {
        *where = QL_HEAD;
    } else if (arg_eq(a, "right")) {
        *where = QL_TAIL;
    } else {
        reply_syntax_error(c);
        return -1;
    }
    return 0;
}

static const char *pop_event(int where)
{
    return where == QL_HEAD ? "lpop" : "rpop";
}

static const char *push_event(int where)
{
    return where == QL_HEAD ? "lpush" : "rpush";
}

static arg pop_name(int where)
{
    arg a = {where == QL_HEAD ? "LPOP" : "RPOP", 4};
    return a;
}

static arg side_name(int where)
{
    arg a;
    a.p = where == QL_HEAD ? "LEFT" : "RIGHT";
    a.len = where == QL_HEAD ? 4 : 5;
    return a;
}

/* A copy of an element that outlives the list change (stack if small). */
typedef struct elem_copy {
    char small[256];
    char *p;
    size_t len;
} elem_copy;

static void elem_copy_take(elem_copy *e, const qlist_elem *v)
{
    e->len = v->len;
    e->p = v->len <= sizeof(e->small) ? e->small : ds_malloc(v->len);
    if (v->len)
        memcpy(e->p, v->p, v->len);
}

static void elem_copy_done(elem_copy *e)
{
    if (e->p != e->small)
        ds_free(e->p);
}

/* Bulk replies for many elements, encoded into a local buffer and handed
 * to the client in few large appends (one reply call per ~8 KiB instead of
 * three per element once the reply spills out of the client's buffer). */
typedef struct bulk_batch {
    client *c;
    size_t n;
    char buf[8192];
} bulk_batch;

static void batch_flush(bulk_batch *b)
{
    if (b->n)
        reply_raw(b->c, b->buf, b->n);
    b->n = 0;
}

static void batch_add(bulk_batch *b, const char *p, size_t len)
{
    if (len + 32 > sizeof(b->buf) / 2) {
        batch_flush(b);
        reply_bulk(b->c, p, len);
        return;
    }
    if (b->n + len + 32 > sizeof(b->buf))
        batch_flush(b);
    b->n += reply_encode_bulk(b->buf + b->n, p, len);
}

/* Reply with elements [start, end] (inclusive, negative from the tail),
 * reversed (tail to head) when reverse. */
static void reply_range(client *c, qlist *ql, long start, long end, int reverse)
{
    long llen = (long)qlist_len(ql);
    if (start < 0)
        start += llen;
    if (end < 0)
        end += llen;
    if (start < 0)
        start = 0;
    if (start > end || start >= llen) {
        reply_empty_array(c);
        return;
    }
    if (end >= llen)
        end = llen - 1;
    long n = end - start + 1;
    reply_array(c, n);
    qlist_iter it;
    qlist_elem e;
    bulk_batch b;
    b.c = c;
    b.n = 0;
    qlist_iter_init(&it, ql, reverse ? end : start, !reverse);
    while (n-- && qlist_iter_next(&it, &e))
        batch_add(&b, e.p, e.len);
    batch_flush(&b);
}

/* After removing `count` elements from `where` of key: event, delete if
 * empty, WATCH, dirty (listElementsRemoved). */
static void elements_removed(client *c, db *d, const arg *key, int where, obj *o, long count)
{
    notify_keyspace_event(NOTIFY_LIST, pop_event(where), key->p, key->len, d->id);
    if (qlist_len(o->ptr) == 0) {
        db_delete(d, key->p, key->len);
        notify_keyspace_event(NOTIFY_GENERIC, "del", key->p, key->len, d->id);
    }
    signal_modified_key(c, d, key->p, key->len);
    srv.dirty += count;
}

/* Reply [key, [elements]] popping up to count from `where`; returns the
 * number popped.  Leaves the key alone (callers run elements_removed). */
static long pop_range_with_key(client *c, obj *o, const arg *key, int where, long count)
{
    qlist *ql = o->ptr;
    long llen = (long)qlist_len(ql);
    long n = count > llen ? llen : count;
    reply_array(c, 2);
    reply_bulk(c, key->p, key->len);
    if (where == QL_HEAD) {
        reply_range(c, ql, 0, n - 1, 0);
        qlist_del_range(ql, 0, n);
    } else {
        reply_range(c, ql, -n, -1, 1);
        qlist_del_range(ql, -n, n);
    }
    return n;
}

/* Log `av` to the AOF in place of the running command; while serving a
 * blocked client (outside call()) log it directly. */
static int serving_blocked;

static void propagate_as(int dbid, arg *av, int argc)
{
    if (serving_blocked)
        server_propagate(dbid, av, argc);
    else
        propagate_replace(dbid, av, argc);
}

static void propagate_pop(int dbid, int where, const arg *key, long count)
{
    char buf[32];
    arg av[3] = {pop_name(where), *key, {buf, 0}};
    if (count < 0) {
        propagate_as(dbid, av, 2);
        return;
    }
    av[2].len = (size_t)ll_to_str(buf, sizeof(buf), count);
    propagate_as(dbid, av, 3);
}

/* ---- push ---- */

static void push_generic(client *c, int where, int xx)
{
    const arg *key = &c->argv[1];
    obj *o = db_lookup_write(c, key->p, key->len);
    if (wrong_type(c, o))
        return;
    if (!o) {
        if (xx) {
            reply_ll(c, 0);
            return;
        }
        o = list_create(c->db, key);
    }
    qlist *ql = list_for_write(o);
    for (int j = 2; j < c->argc; j++) {
        qlist_push(ql, where, c->argv[j].p, c->argv[j].len);
        srv.dirty++;
    }
    reply_ll(c, (long long)qlist_len(ql));
    signal_modified_key(c, c->db, key->p, key->len);
    notify_keyspace_event(NOTIFY_LIST, push_event(where), key->p, key->len, c->db->id);
}

static void cmd_lpush(client *c)
{
    push_generic(c, QL_HEAD, 0);
}

static void cmd_rpush(client *c)
{
    push_generic(c, QL_TAIL, 0);
}

static void cmd_lpushx(client *c)
{
    push_generic(c, QL_HEAD, 1);
}

static void cmd_rpushx(client *c)
{
    push_generic(c, QL_TAIL, 1);
}

/* ---- pop ---- */

static void pop_generic(client *c, int where)
{
    const arg *key = &c->argv[1];
    int hascount = c->argc == 3;
    long count = 0;
    if (c->argc > 3) {
        reply_arity_error(c, ((command *)c->cmd)->fullname);
        return;
    }
    if (hascount && parse_positive(c, &c->argv[2], &count, NULL) < 0)
        return;
    obj *o = db_lookup_write(c, key->p, key->len);
    if (!o) {
        if (hascount)
            reply_null_array(c);
        else
            reply_null(c);
        return;
    }
    if (wrong_type(c, o))
        return;
    if (hascount && count == 0) {
        reply_empty_array(c);
        return;
    }
    qlist *ql = o->ptr;
    if (!hascount) {
        qlist_elem e;
        qlist_peek(ql, where, &e);
        reply_bulk(c, e.p, e.len);
        qlist_pop(ql, where);
        elements_removed(c, c->db, key, where, o, 1);
        return;
    }
    long llen = (long)qlist_len(ql);
    long n = count > llen ? llen : count;
    if (where == QL_HEAD) {
        reply_range(c, ql, 0, n - 1, 0);
        qlist_del_range(ql, 0, n);
    } else {
        reply_range(c, ql, -n, -1, 1);
        qlist_del_range(ql, -n, n);
    }
    elements_removed(c, c->db, key, where, o, n);
}

static void cmd_lpop(client *c)
{
    pop_generic(c, QL_HEAD);
}

static void cmd_rpop(client *c)
{
    pop_generic(c, QL_TAIL);
}

/* ---- read-only ---- */

static void cmd_llen(client *c)
{
    obj *o = db_lookup_read(c, c->argv[1].p, c->argv[1].len);
    if (!o) {
        reply_ll(c, 0);
        return;
    }
    if (wrong_type(c, o))
        return;
    reply_ll(c, (long long)qlist_len(o->ptr));
}

static void cmd_lrange(client *c)
{
    long start, end;
    if (parse_long(c, &c->argv[2], &start) < 0 || parse_long(c, &c->argv[3], &end) < 0)
        return;
    obj *o = db_lookup_read(c, c->argv[1].p, c->argv[1].len);
    if (!o) {
        reply_empty_array(c);
        return;
    }
    if (wrong_type(c, o))
        return;
    reply_range(c, o->ptr, start, end, 0);
}

static void cmd_lindex(client *c)
{
    obj *o = db_lookup_read(c, c->argv[1].p, c->argv[1].len);
    if (!o) {
        reply_null(c);
        return;
    }
    if (wrong_type(c, o))
        return;
    long idx;
    if (parse_long(c, &c->argv[2], &idx) < 0)
        return;
    qlist_elem e;
    if (qlist_index(o->ptr, idx, &e) == 0)
        reply_bulk(c, e.p, e.len);
    else
        reply_null(c);
}

/* LPOS key element [RANK rank] [COUNT num-matches] [MAXLEN len] */
static int lpos_options(client *c, long *rank, long *count, long *maxlen)
{
    for (int j = 3; j < c->argc; j++) {
        int more = c->argc - 1 - j;
        if (arg_eq(&c->argv[j], "rank") && more) {
            if (parse_long(c, &c->argv[++j], rank) < 0)
                return -1;
            if (*rank == 0) {
                reply_error(c, "RANK can't be zero: use 1 to start from the first match, "
                               "2 from the second ... or use negative to start from the "
                               "end of the list");
                return -1;
            }
        } else if (arg_eq(&c->argv[j], "count") && more) {
            if (parse_positive(c, &c->argv[++j], count, "COUNT can't be negative") < 0)
                return -1;
        } else if (arg_eq(&c->argv[j], "maxlen") && more) {
            if (parse_positive(c, &c->argv[++j], maxlen, "MAXLEN can't be negative") < 0)
                return -1;
        } else {
            reply_syntax_error(c);
            return -1;
        }
    }
    return 0;
}

static void cmd_lpos(client *c)
{
    long rank = 1, count = -1, maxlen = 0;
    int forward = 1;
    if (lpos_options(c, &rank, &count, &maxlen) < 0)
        return;
    if (rank < 0) {
        /* -LONG_MIN stays negative in Redis: every match then counts. */
        rank = rank == LONG_MIN ? LONG_MIN : -rank;
        forward = 0;
    }
    obj *o = db_lookup_read(c, c->argv[1].p, c->argv[1].len);
    if (!o) {
        if (count != -1)
            reply_empty_array(c);
        else
            reply_null(c);
        return;
    }
    if (wrong_type(c, o))
        return;
    qlist *ql = o->ptr;
    void *h = count != -1 ? reply_defer(c) : NULL;
    long llen = (long)qlist_len(ql), index = 0, matches = 0, matchindex = -1, n = 0;
    qlist_iter it;
    qlist_elem e;
    qlist_iter_init(&it, ql, forward ? 0 : -1, forward);
    const arg *ele = &c->argv[2];
    while ((maxlen == 0 || index < maxlen) && qlist_iter_next(&it, &e)) {
        if (qlist_elem_eq(&e, ele->p, ele->len)) {
            matches++;
            matchindex = forward ? index : llen - index - 1;
            if (matches >= rank) {
                if (!h)
                    break;
                n++;
                reply_ll(c, matchindex);
                if (count && matches - rank + 1 >= count)
                    break;
            }
        }
        index++;
        matchindex = -1;
    }
    if (h)
        reply_set_array_len(c, h, n);
    else if (matchindex != -1)
        reply_ll(c, matchindex);
    else
        reply_null(c);
}

/* ---- in-place writes ---- */

static void cmd_lset(client *c)
{
    const arg *key = &c->argv[1];
    obj *o = db_lookup_write(c, key->p, key->len);
    if (!o) {
        reply_error(c, ERR_NOKEY);
        return;
    }
    if (wrong_type(c, o))
        return;
    long idx;
    if (parse_long(c, &c->argv[2], &idx) < 0)
        return;
    if (qlist_replace(list_for_write(o), idx, c->argv[3].p, c->argv[3].len) < 0) {
        reply_error(c, "index out of range");
        return;
    }
    reply_ok(c);
    signal_modified_key(c, c->db, key->p, key->len);
    notify_keyspace_event(NOTIFY_LIST, "lset", key->p, key->len, c->db->id);
    srv.dirty++;
}

static void cmd_linsert(client *c)
{
    const arg *key = &c->argv[1];
    int after;
    if (arg_eq(&c->argv[2], "after")) {
        after = 1;
    } else if (arg_eq(&c->argv[2], "before")) {
        after = 0;
    } else {
        reply_syntax_error(c);
        return;
    }
    obj *o = db_lookup_write(c, key->p, key->len);
    if (!o) {
        reply_ll(c, 0);
        return;
    }
    if (wrong_type(c, o))
        return;
    qlist *ql = list_for_write(o);
    qlist_iter it;
    qlist_elem e;
    int inserted = 0;
    qlist_iter_init(&it, ql, 0, 1);
    while (qlist_iter_next(&it, &e)) {
        if (qlist_elem_eq(&e, c->argv[3].p, c->argv[3].len)) {
            qlist_iter_insert(&it, after, c->argv[4].p, c->argv[4].len);
            inserted = 1;
            break;
        }
    }
    if (!inserted) {
        reply_ll(c, -1);
        return;
    }
    signal_modified_key(c, c->db, key->p, key->len);
    notify_keyspace_event(NOTIFY_LIST, "linsert", key->p, key->len, c->db->id);
    srv.dirty++;
    reply_ll(c, (long long)qlist_len(ql));
}

static void cmd_lrem(client *c)
{
    const arg *key = &c->argv[1];
    long toremove, removed = 0;
    if (parse_long(c, &c->argv[2], &toremove) < 0)
        return;
    obj *o = db_lookup_write(c, key->p, key->len);
    if (!o) {
        reply_ll(c, 0);
        return;
    }
    if (wrong_type(c, o))
        return;
    qlist *ql = o->ptr;
    int forward = toremove >= 0;
    /* |LONG_MIN| as unsigned: a count that large removes everything. */
    unsigned long limit = forward ? (unsigned long)toremove : 0UL - (unsigned long)toremove;
    qlist_iter it;
    qlist_elem e;
    qlist_iter_init(&it, ql, forward ? 0 : -1, forward);
    while (qlist_iter_next(&it, &e)) {
        if (qlist_elem_eq(&e, c->argv[3].p, c->argv[3].len)) {
            qlist_iter_del(&it);
            srv.dirty++;
            removed++;
            if (limit && (unsigned long)removed == limit)
                break;
        }
    }
    if (removed) {
        signal_modified_key(c, c->db, key->p, key->len);
        notify_keyspace_event(NOTIFY_LIST, "lrem", key->p, key->len, c->db->id);
    }
    if (qlist_len(ql) == 0) {
        db_delete(c->db, key->p, key->len);
        notify_keyspace_event(NOTIFY_GENERIC, "del", key->p, key->len, c->db->id);
    }
    reply_ll(c, removed);
}

static void cmd_ltrim(client *c)
{
    const arg *key = &c->argv[1];
    long start, end, ltrim, rtrim;
    if (parse_long(c, &c->argv[2], &start) < 0 || parse_long(c, &c->argv[3], &end) < 0)
        return;
    obj *o = db_lookup_write(c, key->p, key->len);
    if (!o) {
        reply_ok(c);
        return;
    }
    if (wrong_type(c, o))
        return;
    qlist *ql = o->ptr;
    long llen = (long)qlist_len(ql);
    if (start < 0)
        start += llen;
    if (end < 0)
        end += llen;
    if (start < 0)
        start = 0;
    if (start > end || start >= llen) {
        ltrim = llen;
        rtrim = 0;
    } else {
        if (end >= llen)
            end = llen - 1;
        ltrim = start;
        rtrim = llen - end - 1;
    }
    qlist_del_range(ql, 0, ltrim);
    qlist_del_range(ql, -rtrim, rtrim);
    notify_keyspace_event(NOTIFY_LIST, "ltrim", key->p, key->len, c->db->id);
    if (qlist_len(ql) == 0) {
        db_delete(c->db, key->p, key->len);
        notify_keyspace_event(NOTIFY_GENERIC, "del", key->p, key->len, c->db->id);
    }
    signal_modified_key(c, c->db, key->p, key->len);
    srv.dirty += ltrim + rtrim;
    reply_ok(c);
}

/* ---- moves ---- */

/* Pop from sobj (a non-empty list at src) and push to dst, replying with
 * the element (lmoveHandlePush).  -1 (WRONGTYPE replied, nothing
 * changed) if dst holds another type.  The caller handles src's events. */
static int move_one(client *c, db *d, obj *sobj, const arg *dst, int wherefrom, int whereto)
{
    obj *dobj = db_lookup(d, dst->p, dst->len, LOOKUP_WRITE);
    if (wrong_type(c, dobj))
        return -1;
    qlist_elem v;
    elem_copy e;
    qlist_peek(sobj->ptr, wherefrom, &v);
    elem_copy_take(&e, &v);
    qlist_pop(sobj->ptr, wherefrom);
    if (!dobj)
        dobj = list_create(d, dst);
    signal_modified_key(c, d, dst->p, dst->len);
    qlist_push(list_for_write(dobj), whereto, e.p, e.len);
    notify_keyspace_event(NOTIFY_LIST, push_event(whereto), dst->p, dst->len, d->id);
    reply_bulk(c, e.p, e.len);
    elem_copy_done(&e);
    return 0;
}

/* Fire src's pop event and delete it if it became empty. */
static void source_popped(db *d, const arg *src, obj *sobj, int wherefrom)
{
    notify_keyspace_event(NOTIFY_LIST, pop_event(wherefrom), src->p, src->len, d->id);
    if (qlist_len(sobj->ptr) == 0) {
        db_delete(d, src->p, src->len);
        notify_keyspace_event(NOTIFY_GENERIC, "del", src->p, src->len, d->id);
    }
}

enum { MOVE_PLAIN, MOVE_AS_LMOVE, MOVE_AS_RPOPLPUSH };

static void lmove_generic(client *c, int wherefrom, int whereto, int rewrite)
{
    const arg *src = &c->argv[1], *dst = &c->argv[2];
    obj *sobj = db_lookup_write(c, src->p, src->len);
    if (!sobj) {
        reply_null(c);
        return;
    }
    if (wrong_type(c, sobj))
        return;
    if (move_one(c, c->db, sobj, dst, wherefrom, whereto) < 0)
        return;
    source_popped(c->db, src, sobj, wherefrom);
    signal_modified_key(c, c->db, src->p, src->len);
    srv.dirty++;
    if (rewrite == MOVE_AS_LMOVE) {
        arg av[5] = {{"LMOVE", 5}, *src, *dst, c->argv[3], c->argv[4]};
        propagate_as(c->db_id, av, 5);
    } else if (rewrite == MOVE_AS_RPOPLPUSH) {
        arg av[3] = {{"RPOPLPUSH", 9}, *src, *dst};
        propagate_as(c->db_id, av, 3);
    }
}

static void cmd_lmove(client *c)
{
    int from, to;
    if (parse_where(c, &c->argv[3], &from) < 0 || parse_where(c, &c->argv[4], &to) < 0)
        return;
    lmove_generic(c, from, to, MOVE_PLAIN);
}

static void cmd_rpoplpush(client *c)
{
    lmove_generic(c, QL_TAIL, QL_HEAD, MOVE_PLAIN);
}

/* ---- multi-key pops ---- */

static void mpop_generic(client *c, const arg *keys, long numkeys, int where, long count)
{
    for (long j = 0; j < numkeys; j++) {
        obj *o = db_lookup_write(c, keys[j].p, keys[j].len);
        if (!o)
            continue;
        if (wrong_type(c, o))
            return;
        if (qlist_len(o->ptr) == 0)
            continue;
        long n = pop_range_with_key(c, o, &keys[j], where, count);
        elements_removed(c, c->db, &keys[j], where, o, n);
        propagate_pop(c->db_id, where, &keys[j], n);
        return;
    }
    reply_null_array(c);
}

/* ---- blocking ---- */

enum { WAIT_POP, WAIT_MPOP, WAIT_LMOVE, WAIT_RPOPLPUSH };

typedef struct list_wait {
    int kind;
    int where, whereto;
    long count;
    str target; /* BLMOVE / BRPOPLPUSH destination */
} list_wait;

static void serve_pop(client *c, db *d, const arg *key, obj *o, list_wait *w)
{
    qlist_elem e;
    if (w->kind == WAIT_MPOP) {
        long llen = (long)qlist_len(o->ptr);
        long n = w->count > llen ? llen : w->count;
        propagate_pop(d->id, w->where, key, n);
        pop_range_with_key(c, o, key, w->where, w->count);
        elements_removed(c, d, key, w->where, o, n);
        return;
    }
    propagate_pop(d->id, w->where, key, -1);
    qlist_peek(o->ptr, w->where, &e);
    reply_array(c, 2);
    reply_bulk(c, key->p, key->len);
    reply_bulk(c, e.p, e.len);
    qlist_pop(o->ptr, w->where);
    notify_keyspace_event(NOTIFY_LIST, pop_event(w->where), key->p, key->len, d->id);
    if (qlist_len(o->ptr) == 0) {
        db_delete(d, key->p, key->len);
        notify_keyspace_event(NOTIFY_GENERIC, "del", key->p, key->len, d->id);
    }
}

static void serve_move(client *c, db *d, const arg *key, obj *o, list_wait *w)
{
    arg dst = {w->target, str_len(w->target)};
    if (move_one(c, d, o, &dst, w->where, w->whereto) < 0)
        return; /* WRONGTYPE: the client gets the error, the list stays */
    if (w->kind == WAIT_RPOPLPUSH) {
        arg av[3] = {{"RPOPLPUSH", 9}, *key, dst};
        server_propagate(d->id, av, 3);
    } else {
        arg av[5] = {{"LMOVE", 5}, *key, dst, side_name(w->where), side_name(w->whereto)};
        server_propagate(d->id, av, 5);
    }
    source_popped(d, key, o, w->where);
}

static int serve_list(client *c, db *d, const arg *key, int ki, obj *o, void *priv)
{
    (void)ki;
    list_wait *w = priv;
    if (!o || o->type != OBJ_LIST || qlist_len(o->ptr) == 0)
        return BLOCK_WAIT;
    serving_blocked = 1;
    if (w->kind == WAIT_POP || w->kind == WAIT_MPOP)
        serve_pop(c, d, key, o, w);
    else
        serve_move(c, d, key, o, w);
    serving_blocked = 0;
    return BLOCK_SERVED;
}

static void free_list_wait(void *priv)
{
    list_wait *w = priv;
    if (w->target)
        str_free(w->target);
}

static const block_ops list_block_ops = {"list", serve_list, NULL, free_list_wait};

/* B[LR]POP / BLMPOP: count -1 = plain single pop. */
static void bpop_generic(client *c, const arg *keys, int numkeys, int where, int timeout_idx,
                         long count)
{
    long long deadline;
    if (arg_timeout(c, &c->argv[timeout_idx], &deadline, 1) < 0)
        return;
    for (int j = 0; j < numkeys; j++) {
        const arg *key = &keys[j];
        obj *o = db_lookup_write(c, key->p, key->len);
        if (!o)
            continue;
        if (wrong_type(c, o))
            return;
        if (qlist_len(o->ptr) == 0)
            continue;
        if (count != -1) {
            long n = pop_range_with_key(c, o, key, where, count);
            elements_removed(c, c->db, key, where, o, n);
            propagate_pop(c->db_id, where, key, n);
            return;
        }
        qlist_elem e;
        qlist_peek(o->ptr, where, &e);
        reply_array(c, 2);
        reply_bulk(c, key->p, key->len);
        reply_bulk(c, e.p, e.len);
        qlist_pop(o->ptr, where);
        elements_removed(c, c->db, key, where, o, 1);
        propagate_pop(c->db_id, where, key, -1);
        return;
    }
    if (!blocked_may_block(c)) {
        reply_null_array(c);
        return;
    }
    list_wait *w =
        blocked_on_keys(c, c->db, keys, numkeys, deadline, &list_block_ops, sizeof(list_wait));
    w->kind = count != -1 ? WAIT_MPOP : WAIT_POP;
    w->where = where;
    w->count = count;
}

static void cmd_blpop(client *c)
{
    bpop_generic(c, c->argv + 1, c->argc - 2, QL_HEAD, c->argc - 1, -1);
}

static void cmd_brpop(client *c)
{
    bpop_generic(c, c->argv + 1, c->argc - 2, QL_TAIL, c->argc - 1, -1);
}

static void blmove_generic(client *c, int from, int to, long long deadline, int as)
{
    const arg *src = &c->argv[1];
    obj *o = db_lookup_write(c, src->p, src->len);
    if (wrong_type(c, o))
        return;
    if (o) {
        lmove_generic(c, from, to, as);
        return;
    }
    if (!blocked_may_block(c)) {
        reply_null(c);
        return;
    }
    list_wait *w = blocked_on_keys(c, c->db, src, 1, deadline, &list_block_ops, sizeof(list_wait));
    w->kind = as == MOVE_AS_RPOPLPUSH ? WAIT_RPOPLPUSH : WAIT_LMOVE;
    w->where = from;
    w->whereto = to;
    w->target = str_new(c->argv[2].p, c->argv[2].len);
}

static void cmd_blmove(client *c)
{
    int from, to;
    long long deadline;
    if (parse_where(c, &c->argv[3], &from) < 0 || parse_where(c, &c->argv[4], &to) < 0)
        return;
    if (arg_timeout(c, &c->argv[5], &deadline, 1) < 0)
        return;
    blmove_generic(c, from, to, deadline, MOVE_AS_LMOVE);
}

static void cmd_brpoplpush(client *c)
{
    long long deadline;
    if (arg_timeout(c, &c->argv[3], &deadline, 1) < 0)
        return;
    blmove_generic(c, QL_TAIL, QL_HEAD, deadline, MOVE_AS_RPOPLPUSH);
}

/* [B]LMPOP: numkeys at argv[numkeys_idx], then keys, LEFT|RIGHT, [COUNT n]. */
static void lmpop_generic(client *c, int numkeys_idx, int blocking)
{
    long numkeys, count = -1;
    int where;
    if (parse_range(c, &c->argv[numkeys_idx], 1, LONG_MAX, &numkeys,
                    "numkeys should be greater than 0") < 0)
        return;
    if (numkeys >= c->argc - numkeys_idx - 1) {
        reply_syntax_error(c);
        return;
    }
    int where_idx = numkeys_idx + (int)numkeys + 1;
    if (parse_where(c, &c->argv[where_idx], &where) < 0)
        return;
    for (int j = where_idx + 1; j < c->argc; j++) {
        int more = c->argc - 1 - j;
        if (count == -1 && arg_eq(&c->argv[j], "count") && more) {
            if (parse_range(c, &c->argv[++j], 1, LONG_MAX, &count,
                            "count should be greater than 0") < 0)
                return;
        } else {
            reply_syntax_error(c);
            return;
        }
    }
    if (count == -1)
        count = 1;
    const arg *keys = c->argv + numkeys_idx + 1;
    if (blocking)
        bpop_generic(c, keys, (int)numkeys, where, 1, count);
    else
        mpop_generic(c, keys, numkeys, where, count);
}

static void cmd_lmpop(client *c)
{
    lmpop_generic(c, 1, 0);
}

static void cmd_blmpop(client *c)
{
    lmpop_generic(c, 2, 1);
}

/* ---- command table (arity, flags, keys and docs from Redis 7.0.15) ---- */

/* clang-format off */
command cmd_list_table[] = {
    {.name = "lpush", .proc = cmd_lpush, .arity = -3,
     .flags = CMD_WRITE | CMD_DENYOOM | CMD_FAST,
     .first_key = 1, .last_key = 1, .key_step = 1, .group = "list",
     .summary = "Prepend one or multiple elements to a list",
     .since = "1.0.0", .acl = "write list fast",
     .complexity = "O(1) for each element added, so O(N) to add N elements when the command is "
                   "called with multiple arguments."},
    {.name = "rpush", .proc = cmd_rpush, .arity = -3,
     .flags = CMD_WRITE | CMD_DENYOOM | CMD_FAST,
     .first_key = 1, .last_key = 1, .key_step = 1, .group = "list",
     .summary = "Append one or multiple elements to a list",
     .since = "1.0.0", .acl = "write list fast",
     .complexity = "O(1) for each element added, so O(N) to add N elements when the command is "
                   "called with multiple arguments."},
    {.name = "lpushx", .proc = cmd_lpushx, .arity = -3,
     .flags = CMD_WRITE | CMD_DENYOOM | CMD_FAST,
     .first_key = 1, .last_key = 1, .key_step = 1, .group = "list",
     .summary = "Prepend an element to a list, only if the list exists",
     .since = "2.2.0", .acl = "write list fast",
     .complexity = "O(1) for each element added, so O(N) to add N elements when the command is "
                   "called with multiple arguments."},
    {.name = "rpushx", .proc = cmd_rpushx, .arity = -3,
     .flags = CMD_WRITE | CMD_DENYOOM | CMD_FAST,
     .first_key = 1, .last_key = 1, .key_step = 1, .group = "list",
     .summary = "Append an element to a list, only if the list exists",
     .since = "2.2.0", .acl = "write list fast",
     .complexity = "O(1) for each element added, so O(N) to add N elements when the command is "
                   "called with multiple arguments."},
    {.name = "lpop", .proc = cmd_lpop, .arity = -2,
     .flags = CMD_WRITE | CMD_FAST,
     .first_key = 1, .last_key = 1, .key_step = 1, .group = "list",
     .summary = "Remove and get the first elements in a list",
     .since = "1.0.0", .acl = "write list fast",
     .complexity = "O(N) where N is the number of elements returned"},
    {.name = "rpop", .proc = cmd_rpop, .arity = -2,
     .flags = CMD_WRITE | CMD_FAST,
     .first_key = 1, .last_key = 1, .key_step = 1, .group = "list",
     .summary = "Remove and get the last elements in a list",
     .since = "1.0.0", .acl = "write list fast",
     .complexity = "O(N) where N is the number of elements returned"},
    {.name = "llen", .proc = cmd_llen, .arity = 2,
     .flags = CMD_READONLY | CMD_FAST,
     .first_key = 1, .last_key = 1, .key_step = 1, .group = "list",
     .summary = "Get the length of a list",
     .since = "1.0.0", .acl = "read list fast",
     .complexity = "O(1)"},
    {.name = "lrange", .proc = cmd_lrange, .arity = 4,
     .flags = CMD_READONLY,
     .first_key = 1, .last_key = 1, .key_step = 1, .group = "list",
     .summary = "Get a range of elements from a list",
     .since = "1.0.0", .acl = "read list slow",
     .complexity = "O(S+N) where S is the distance of start offset from HEAD for small lists, "
                   "from nearest end (HEAD or TAIL) for large lists; and N is the number of "
                   "elements in the specified range."},
    {.name = "lindex", .proc = cmd_lindex, .arity = 3,
     .flags = CMD_READONLY,
     .first_key = 1, .last_key = 1, .key_step = 1, .group = "list",
     .summary = "Get an element from a list by its index",
     .since = "1.0.0", .acl = "read list slow",
     .complexity = "O(N) where N is the number of elements to traverse to get to the element "
                   "at index. This makes asking for the first or the last element of the list "
                   "O(1)."},
    {.name = "lset", .proc = cmd_lset, .arity = 4,
     .flags = CMD_WRITE | CMD_DENYOOM,
     .first_key = 1, .last_key = 1, .key_step = 1, .group = "list",
     .summary = "Set the value of an element in a list by its index",
     .since = "1.0.0", .acl = "write list slow",
     .complexity = "O(N) where N is the length of the list. Setting either the first or the "
                   "last element of the list is O(1)."},
    {.name = "linsert", .proc = cmd_linsert, .arity = 5,
     .flags = CMD_WRITE | CMD_DENYOOM,
     .first_key = 1, .last_key = 1, .key_step = 1, .group = "list",
     .summary = "Insert an element before or after another element in a list",
     .since = "2.2.0", .acl = "write list slow",
     .complexity = "O(N) where N is the number of elements to traverse before seeing the value "
                   "pivot. This means that inserting somewhere on the left end on the list "
                   "(head) can be considered O(1) and inserting somewhere on the right end "
                   "(tail) is O(N)."},
    {.name = "lrem", .proc = cmd_lrem, .arity = 4,
     .flags = CMD_WRITE,
     .first_key = 1, .last_key = 1, .key_step = 1, .group = "list",
     .summary = "Remove elements from a list",
     .since = "1.0.0", .acl = "write list slow",
     .complexity = "O(N+M) where N is the length of the list and M is the number of elements "
                   "removed."},
    {.name = "ltrim", .proc = cmd_ltrim, .arity = 4,
     .flags = CMD_WRITE,
     .first_key = 1, .last_key = 1, .key_step = 1, .group = "list",
     .summary = "Trim a list to the specified range",
     .since = "1.0.0", .acl = "write list slow",
     .complexity = "O(N) where N is the number of elements to be removed by the operation."},
    {.name = "lpos", .proc = cmd_lpos, .arity = -3,
     .flags = CMD_READONLY,
     .first_key = 1, .last_key = 1, .key_step = 1, .group = "list",
     .summary = "Return the index of matching elements on a list",
     .since = "6.0.6", .acl = "read list slow",
     .complexity = "O(N) where N is the number of elements in the list, for the average case. "
                   "When searching for elements near the head or the tail of the list, or when "
                   "the MAXLEN option is provided, the command may run in constant time."},
    {.name = "lmove", .proc = cmd_lmove, .arity = 5,
     .flags = CMD_WRITE | CMD_DENYOOM,
     .first_key = 1, .last_key = 2, .key_step = 1, .group = "list",
     .summary = "Pop an element from a list, push it to another list and return it",
     .since = "6.2.0", .acl = "write list slow",
     .complexity = "O(1)"},
    {.name = "rpoplpush", .proc = cmd_rpoplpush, .arity = 3,
     .flags = CMD_WRITE | CMD_DENYOOM,
     .first_key = 1, .last_key = 2, .key_step = 1, .group = "list",
     .summary = "Remove the last element in a list, prepend it to another list and return it",
     .since = "1.2.0", .acl = "write list slow",
     .complexity = "O(1)"},
    {.name = "lmpop", .proc = cmd_lmpop, .arity = -4,
     .flags = CMD_WRITE | CMD_MOVABLE_KEYS,
     .first_key = 0, .last_key = 0, .key_step = 0, .group = "list",
     .summary = "Pop elements from a list",
     .since = "7.0.0", .acl = "write list slow",
     .complexity = "O(N+M) where N is the number of provided keys and M is the number of "
                   "elements returned."},
    {.name = "blpop", .proc = cmd_blpop, .arity = -3,
     .flags = CMD_WRITE | CMD_NOSCRIPT | CMD_BLOCKING,
     .first_key = 1, .last_key = -2, .key_step = 1, .group = "list",
     .summary = "Remove and get the first element in a list, or block until one is available",
     .since = "2.0.0", .acl = "write list slow blocking",
     .complexity = "O(N) where N is the number of provided keys."},
    {.name = "brpop", .proc = cmd_brpop, .arity = -3,
     .flags = CMD_WRITE | CMD_NOSCRIPT | CMD_BLOCKING,
     .first_key = 1, .last_key = -2, .key_step = 1, .group = "list",
     .summary = "Remove and get the last element in a list, or block until one is available",
     .since = "2.0.0", .acl = "write list slow blocking",
     .complexity = "O(N) where N is the number of provided keys."},
    {.name = "blmove", .proc = cmd_blmove, .arity = 6,
     .flags = CMD_WRITE | CMD_DENYOOM | CMD_NOSCRIPT | CMD_BLOCKING,
     .first_key = 1, .last_key = 2, .key_step = 1, .group = "list",
     .summary = "Pop an element from a list, push it to another list and return it; or block "
                "until one is available",
     .since = "6.2.0", .acl = "write list slow blocking",
     .complexity = "O(1)"},
    {.name = "brpoplpush", .proc = cmd_brpoplpush, .arity = 4,
     .flags = CMD_WRITE | CMD_DENYOOM | CMD_NOSCRIPT | CMD_BLOCKING,
     .first_key = 1, .last_key = 2, .key_step = 1, .group = "list",
     .summary = "Pop an element from a list, push it to another list and return it; or block "
                "until one is available",
     .since = "2.2.0", .acl = "write list slow blocking",
     .complexity = "O(1)"},
    {.name = "blmpop", .proc = cmd_blmpop, .arity = -5,
     .flags = CMD_WRITE | CMD_BLOCKING | CMD_MOVABLE_KEYS,
     .first_key = 0, .last_key = 0, .key_step = 0, .group = "list",
     .summary = "Pop elements from a list, or block until one is available",
     .since = "7.0.0", .acl = "write list slow blocking",
     .complexity = "O(N+M) where N is the number of provided keys and M is the number of "
                   "elements returned."},
    {.name = NULL},
};
/* clang-format on */
