/* cmd/zset.c - the sorted set commands (ZADD ... BZMPOP), Redis 7.0.15
 * replies.
 *
 * A sorted set key holds an OBJ_ZSET obj whose ptr is a zset (ds/zset.h):
 * a "listpack" while it has at most zset-max-listpack-entries members of
 * at most zset-max-listpack-value bytes, a "skiplist" otherwise.
 * Invariants kept by every command here:
 *  - a sorted set key is never empty: removing the last member deletes the
 *    key and fires "del" after the command's own event;
 *  - every change is followed by signal_modified_key, Redis's keyspace
 *    event and dirty++ per changed member;
 *  - only db_add() signals a sorted set key as ready (BZPOPMIN & co only
 *    wait on keys that do not exist);
 *  - pops are propagated as ZPOPMIN/ZPOPMAX key [count] whatever command
 *    (ZMPOP, BZPOPMIN, BZMPOP, a served blocked client) did them.
 *
 * ZRANGE and its older forms go through one range reader (range_by_rank /
 * _score / _lex) writing to a range_out: the client's reply, or a new
 * sorted set for ZRANGESTORE.  ZUNION/ZINTER/ZDIFF accept sets as inputs
 * (members with score 1), like Redis. */
#include "types.h"

#include "../aof.h"
#include "../blocked.h"
#include "../ds/alloc.h"
#include "../ds/dict_fair.h"
#include "../ds/util.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---- the sorted set type ---- */

static void zset_free_v(void *p)
{
    zset_free(p);
}

static void *zset_dup_v(const void *p)
{
    return zset_dup(p);
}

static size_t zset_mem_v(const void *p)
{
    return zset_mem(p);
}

static const char *zset_encoding_v(const obj *o)
{
    return zset_encoding(o->ptr);
}

/* AOF rewrite: ZADD key score member ... in batches of
 * AOF_REWRITE_ITEMS_PER_CMD; "%.17g" reads back to the same double. */
static int zset_rewrite(aof_writer *w, const char *key, size_t klen, const void *ptr)
{
    const zset *z = ptr;
    size_t left = zset_len(z), batch = 0;
    zset_iter it;
    zset_elem e;
    char buf[64];
    int err = 0;
    zset_iter_rank(&it, z, 0, 0);
    while (!err && zset_iter_next(&it, &e)) {
        if (batch == 0) {
            batch = left < AOF_REWRITE_ITEMS_PER_CMD ? left : AOF_REWRITE_ITEMS_PER_CMD;
            err |= aof_rw_array(w, 2 + 2 * (long long)batch);
            err |= aof_rw_bulk(w, "ZADD", 4);
            err |= aof_rw_bulk(w, key, klen);
        }
        err |= aof_rw_bulk(w, buf, (size_t)double_to_str(buf, sizeof(buf), e.score));
        err |= aof_rw_bulk(w, e.p, e.len);
        batch--;
        left--;
    }
    return err ? -1 : 0;
}

static const obj_type_ops zset_ops = {.name = "zset", .free = zset_free_v, .dup = zset_dup_v,
                                      .mem = zset_mem_v, .encoding = zset_encoding_v,
                                      .aof_rewrite = zset_rewrite};

__attribute__((constructor)) static void zset_register_type(void)
{
    obj_register_type(OBJ_ZSET, &zset_ops);
}

/* ---- helpers ---- */

static int wrong_type(client *c, const obj *o)
{
    if (o && o->type != OBJ_ZSET) {
        reply_error(c, ERR_WRONGTYPE);
        return 1;
    }
    return 0;
}

/* The sorted set at key for reading; *z = NULL if missing.  -1 after
 * WRONGTYPE. */
static int lookup_read(client *c, const arg *key, zset **z)
{
    obj *o = db_lookup_read(c, key->p, key->len);
    if (wrong_type(c, o))
        return -1;
    *z = o ? o->ptr : NULL;
    return 0;
}

/* A NUL-terminated copy of an argument (stack when small). */
typedef struct cbuf {
    char small[128];
    char *p;
} cbuf;

static const char *cbuf_of(cbuf *b, const arg *a)
{
    b->p = a->len < sizeof(b->small) ? b->small : ds_malloc(a->len + 1);
    memcpy(b->p, a->p, a->len);
    b->p[a->len] = '\0';
    return b->p;
}

static void cbuf_done(cbuf *b)
{
    if (b->p != b->small)
        ds_free(b->p);
}

/* Redis's string2d (getDoubleFromObject): strtod over the whole argument,
 * no leading space, no NaN, no overflow. */
static int parse_double(const arg *a, double *out)
{
    cbuf b;
    const char *s = cbuf_of(&b, a);
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    int ok = a->len > 0 && !isspace((unsigned char)s[0]) && (size_t)(end - s) == a->len &&
             !(errno == ERANGE && (v == HUGE_VAL || v == -HUGE_VAL || v == 0)) && !isnan(v);
    cbuf_done(&b);
    *out = v;
    return ok;
}

static int arg_score(client *c, const arg *a, double *out, const char *err)
{
    if (!parse_double(a, out)) {
        reply_error(c, err ? err : ERR_NOT_FLOAT);
        return -1;
    }
    return 0;
}

/* One end of a score range: "(" makes it exclusive; plain strtod, so
 * "" reads as 0 like in Redis. */
static int parse_score_item(const arg *a, double *v, int *ex)
{
    cbuf b;
    const char *s = cbuf_of(&b, a);
    *ex = s[0] == '(';
    char *end;
    *v = strtod(s + *ex, &end);
    int ok = end[0] == '\0' && !isnan(*v);
    cbuf_done(&b);
    return ok;
}

static int parse_score_range(const arg *min, const arg *max, zrange_score *r)
{
    return parse_score_item(min, &r->min, &r->minex) && parse_score_item(max, &r->max, &r->maxex);
}

static int parse_lex_item(const arg *a, zlex_item *it)
{
    it->inf = 0;
    it->p = NULL;
    it->len = 0;
    if (a->len == 0)
        return 0;
    switch (a->p[0]) {
    case '+':
    case '-':
        if (a->len > 1 && a->p[1] != '\0')
            return 0;
        it->inf = a->p[0] == '+' ? 1 : -1;
        it->ex = 1;
        return 1;
    case '(':
    case '[':
        it->ex = a->p[0] == '(';
        it->p = a->p + 1;
        it->len = a->len - 1;
        return 1;
    default:
        return 0;
    }
}

static int parse_lex_range(const arg *min, const arg *max, zrange_lex *r)
{
    return parse_lex_item(min, &r->min) && parse_lex_item(max, &r->max);
}

#define ERR_NOT_FLOAT_RANGE "min or max is not a float"
#define ERR_NOT_LEX_RANGE "min or max not valid string range item"

static void reply_score(client *c, double d)
{
    reply_double(c, d);
}

/* After removing `n` members of key with event `ev`: delete the key if it
 * became empty, notify, signal. */
static void removed(client *c, const arg *key, zset *z, const char *ev, long long n)
{
    int gone = zset_len(z) == 0;
    if (gone)
        db_delete(c->db, key->p, key->len);
    if (n) {
        signal_modified_key(c, c->db, key->p, key->len);
        notify_keyspace_event(NOTIFY_ZSET, ev, key->p, key->len, c->db->id);
        if (gone)
            notify_keyspace_event(NOTIFY_GENERIC, "del", key->p, key->len, c->db->id);
    }
}

/* Store result z (owned) at dst, or delete dst when z is empty; replies
 * the size (setKey + notification, Redis's STORE epilogue). */
static void store_result(client *c, const arg *dst, zset *z, const char *event)
{
    size_t n = zset_len(z);
    if (n) {
        db_set(c->db, dst->p, dst->len, obj_new(OBJ_ZSET, z), 0);
        signal_modified_key(c, c->db, dst->p, dst->len);
        reply_ll(c, (long long)n);
        notify_keyspace_event(NOTIFY_ZSET, event, dst->p, dst->len, c->db->id);
        srv.dirty++;
        return;
    }
    zset_free(z);
    reply_ll(c, 0);
    if (db_delete(c->db, dst->p, dst->len)) {
        signal_modified_key(c, c->db, dst->p, dst->len);
        notify_keyspace_event(NOTIFY_GENERIC, "del", dst->p, dst->len, c->db->id);
        srv.dirty++;
    }
}

/* ---- ZADD, ZINCRBY ---- */

static void zadd_generic(client *c, int flags)
{
    const arg *key = &c->argv[1];
    int scoreidx = 2, ch = 0;
    while (scoreidx < c->argc) {
        const arg *o = &c->argv[scoreidx];
        if (arg_eq(o, "nx"))
            flags |= ZADD_IN_NX;
        else if (arg_eq(o, "xx"))
            flags |= ZADD_IN_XX;
        else if (arg_eq(o, "ch"))
            ch = 1;
        else if (arg_eq(o, "incr"))
            flags |= ZADD_IN_INCR;
        else if (arg_eq(o, "gt"))
            flags |= ZADD_IN_GT;
        else if (arg_eq(o, "lt"))
            flags |= ZADD_IN_LT;
        else
            break;
        scoreidx++;
    }
    int incr = flags & ZADD_IN_INCR, nx = flags & ZADD_IN_NX, xx = flags & ZADD_IN_XX;
    int gt = flags & ZADD_IN_GT, lt = flags & ZADD_IN_LT;
    int elements = c->argc - scoreidx;
    if (elements % 2 || !elements) {
        reply_syntax_error(c);
        return;
    }
    elements /= 2;
    if (nx && xx) {
        reply_error(c, "XX and NX options at the same time are not compatible");
        return;
    }
    if ((gt && nx) || (lt && nx) || (gt && lt)) {
        reply_error(c, "GT, LT, and/or NX options at the same time are not compatible");
        return;
    }
    if (incr && elements > 1) {
        reply_error(c, "INCR option supports a single increment-element pair");
        return;
    }
    double small[16];
    double *scores = elements <= 16 ? small : ds_malloc(sizeof(double) * (size_t)elements);
    long long added = 0, updated = 0, processed = 0;
    double score = 0;
    for (int j = 0; j < elements; j++)
        if (arg_score(c, &c->argv[scoreidx + j * 2], &scores[j], NULL) < 0)
            goto cleanup;
    obj *o = db_lookup_write(c, key->p, key->len);
    if (wrong_type(c, o))
        goto cleanup;
    zset_limits lim = types_zset_limits();
    if (!o) {
        if (xx)
            goto reply;
        o = obj_new(OBJ_ZSET, zset_new(1, c->argv[scoreidx + 1].len, &lim));
        db_add(c->db, key->p, key->len, o);
    }
    for (int j = 0; j < elements; j++) {
        const arg *ele = &c->argv[scoreidx + 1 + j * 2];
        int out;
        double newscore = 0;
        o->ptr = zset_add(o->ptr, ele->p, ele->len, scores[j], flags, &out, &newscore, &lim);
        if (out & ZADD_OUT_NAN) {
            reply_error(c, "resulting score is not a number (NaN)");
            goto cleanup;
        }
        added += (out & ZADD_OUT_ADDED) != 0;
        updated += (out & ZADD_OUT_UPDATED) != 0;
        processed += !(out & ZADD_OUT_NOP);
        score = newscore;
    }
    srv.dirty += added + updated;
reply:
    if (incr) {
        if (processed)
            reply_score(c, score);
        else
            reply_null(c);
    } else {
        reply_ll(c, ch ? added + updated : added);
    }
cleanup:
    if (scores != small)
        ds_free(scores);
    if (added || updated) {
        signal_modified_key(c, c->db, key->p, key->len);
        notify_keyspace_event(NOTIFY_ZSET, incr ? "zincr" : "zadd", key->p, key->len,
                              c->db->id);
    }
}

static void cmd_zadd(client *c)
{
    zadd_generic(c, 0);
}

static void cmd_zincrby(client *c)
{
    zadd_generic(c, ZADD_IN_INCR);
}

/* ---- ZREM, ZREMRANGEBY* ---- */

static void cmd_zrem(client *c)
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
    for (int j = 2; j < c->argc; j++) {
        int gone;
        o->ptr = zset_del(o->ptr, c->argv[j].p, c->argv[j].len, &gone);
        deleted += gone;
        if (zset_len(o->ptr) == 0)
            break;
    }
    if (deleted) {
        int gone = zset_len(o->ptr) == 0;
        if (gone)
            db_delete(c->db, key->p, key->len);
        notify_keyspace_event(NOTIFY_ZSET, "zrem", key->p, key->len, c->db->id);
        if (gone)
            notify_keyspace_event(NOTIFY_GENERIC, "del", key->p, key->len, c->db->id);
        signal_modified_key(c, c->db, key->p, key->len);
        srv.dirty += deleted;
    }
    reply_ll(c, deleted);
}

enum { BY_RANK, BY_SCORE, BY_LEX };

static void zremrange_generic(client *c, int by)
{
    const arg *key = &c->argv[1];
    long long start = 0, end = 0;
    zrange_score sr;
    zrange_lex lr;
    static const char *events[] = {"zremrangebyrank", "zremrangebyscore", "zremrangebylex"};
    if (by == BY_RANK) {
        if (arg_ll(c, &c->argv[2], &start, NULL) < 0 || arg_ll(c, &c->argv[3], &end, NULL) < 0)
            return;
    } else if (by == BY_SCORE) {
        if (!parse_score_range(&c->argv[2], &c->argv[3], &sr)) {
            reply_error(c, ERR_NOT_FLOAT_RANGE);
            return;
        }
    } else if (!parse_lex_range(&c->argv[2], &c->argv[3], &lr)) {
        reply_error(c, ERR_NOT_LEX_RANGE);
        return;
    }
    obj *o = db_lookup_write(c, key->p, key->len);
    if (!o) {
        reply_ll(c, 0);
        return;
    }
    if (wrong_type(c, o))
        return;
    size_t deleted;
    if (by == BY_RANK) {
        long long llen = (long long)zset_len(o->ptr);
        if (start < 0)
            start += llen;
        if (end < 0)
            end += llen;
        if (start < 0)
            start = 0;
        if (start > end || start >= llen) {
            reply_ll(c, 0);
            return;
        }
        o->ptr = zset_del_rank(o->ptr, (size_t)start, (size_t)end, &deleted);
    } else if (by == BY_SCORE) {
        o->ptr = zset_del_score(o->ptr, &sr, &deleted);
    } else {
        o->ptr = zset_del_lex(o->ptr, &lr, &deleted);
    }
    removed(c, key, o->ptr, events[by], (long long)deleted);
    srv.dirty += (long long)deleted;
    reply_ll(c, (long long)deleted);
}

static void cmd_zremrangebyrank(client *c)
{
    zremrange_generic(c, BY_RANK);
}

static void cmd_zremrangebyscore(client *c)
{
    zremrange_generic(c, BY_SCORE);
}

static void cmd_zremrangebylex(client *c)
{
    zremrange_generic(c, BY_LEX);
}

/* ---- simple reads ---- */

static void cmd_zcard(client *c)
{
    zset *z;
    if (lookup_read(c, &c->argv[1], &z) < 0)
        return;
    reply_ll(c, z ? (long long)zset_len(z) : 0);
}

static void cmd_zscore(client *c)
{
    zset *z;
    double s;
    if (lookup_read(c, &c->argv[1], &z) < 0)
        return;
    if (z && zset_score(z, c->argv[2].p, c->argv[2].len, &s) == 0)
        reply_score(c, s);
    else
        reply_null(c);
}

static void cmd_zmscore(client *c)
{
    zset *z;
    double s;
    if (lookup_read(c, &c->argv[1], &z) < 0)
        return;
    reply_array(c, c->argc - 2);
    for (int j = 2; j < c->argc; j++) {
        if (z && zset_score(z, c->argv[j].p, c->argv[j].len, &s) == 0)
            reply_score(c, s);
        else
            reply_null(c);
    }
}

static void zrank_generic(client *c, int rev)
{
    zset *z;
    if (lookup_read(c, &c->argv[1], &z) < 0)
        return;
    long rank = z ? zset_rank(z, c->argv[2].p, c->argv[2].len, rev) : -1;
    if (rank >= 0)
        reply_ll(c, rank);
    else
        reply_null(c);
}

static void cmd_zrank(client *c)
{
    zrank_generic(c, 0);
}

static void cmd_zrevrank(client *c)
{
    zrank_generic(c, 1);
}

static void cmd_zcount(client *c)
{
    zrange_score r;
    zset *z;
    if (!parse_score_range(&c->argv[2], &c->argv[3], &r)) {
        reply_error(c, ERR_NOT_FLOAT_RANGE);
        return;
    }
    if (lookup_read(c, &c->argv[1], &z) < 0)
        return;
    reply_ll(c, z ? (long long)zset_count_score(z, &r) : 0);
}

static void cmd_zlexcount(client *c)
{
    zrange_lex r;
    zset *z;
    if (!parse_lex_range(&c->argv[2], &c->argv[3], &r)) {
        reply_error(c, ERR_NOT_LEX_RANGE);
        return;
    }
    if (lookup_read(c, &c->argv[1], &z) < 0)
        return;
    reply_ll(c, z ? (long long)zset_count_lex(z, &r) : 0);
}

/* ---- ZRANGE and friends ---- */

/* Where a range goes: the client, or a new set for ZRANGESTORE. */
typedef struct range_out {
    client *c;
    const arg *dst; /* ZRANGESTORE destination, NULL for a reply */
    int withscores;
    void *h; /* deferred reply length */
    zset *z; /* ZRANGESTORE result */
    zset_limits lim;
} range_out;

static void out_begin(range_out *o, long length)
{
    if (o->dst) {
        o->z = zset_new(length > 0 ? (size_t)length : 0, 0, &o->lim);
        return;
    }
    if (length > 0) {
        reply_array(o->c, o->withscores && o->c->resp == 2 ? length * 2 : length);
        o->h = NULL;
        return;
    }
    o->h = reply_defer(o->c);
}

static void out_emit(range_out *o, const zset_elem *e)
{
    if (o->dst) {
        int out;
        o->z = zset_add(o->z, e->p, e->len, e->score, 0, &out, NULL, &o->lim);
        return;
    }
    if (o->withscores && o->c->resp > 2)
        reply_array(o->c, 2);
    reply_bulk(o->c, e->p, e->len);
    if (o->withscores)
        reply_score(o->c, e->score);
}

static void out_end(range_out *o, long count)
{
    if (o->dst) {
        if (count) {
            db_set(o->c->db, o->dst->p, o->dst->len, obj_new(OBJ_ZSET, o->z), 0);
            signal_modified_key(o->c, o->c->db, o->dst->p, o->dst->len);
            reply_ll(o->c, count);
            notify_keyspace_event(NOTIFY_ZSET, "zrangestore", o->dst->p, o->dst->len,
                                  o->c->db->id);
            srv.dirty++;
        } else {
            store_result(o->c, o->dst, o->z, "zrangestore");
        }
        o->z = NULL;
        return;
    }
    if (o->h)
        reply_set_array_len(o->c, o->h, o->withscores && o->c->resp == 2 ? count * 2 : count);
}

static void range_by_rank(range_out *o, zset *z, long long start, long long end, int rev)
{
    long long llen = (long long)zset_len(z);
    if (start < 0)
        start += llen;
    if (end < 0)
        end += llen;
    if (start < 0)
        start = 0;
    if (start > end || start >= llen) {
        out_begin(o, 0);
        out_end(o, 0);
        return;
    }
    if (end >= llen)
        end = llen - 1;
    long n = (long)(end - start + 1), count = 0;
    out_begin(o, n);
    zset_iter it;
    zset_elem e;
    zset_iter_rank(&it, z, (size_t)start, rev);
    while (count < n && zset_iter_next(&it, &e)) {
        out_emit(o, &e);
        count++;
    }
    out_end(o, count);
}

/* Skip `offset` elements, then emit up to `limit` (negative: all) while
 * they stay inside the range (checked by in_range). */
typedef int in_range_fn(const zset_elem *e, const void *range, int rev);

static void range_walk(range_out *o, zset_iter *it, long long offset, long long limit,
                       in_range_fn *in_range, const void *range, int rev)
{
    zset_elem e;
    long count = 0;
    if (offset < 0) {
        out_end(o, 0);
        return;
    }
    while (offset > 0 && zset_iter_next(it, &e))
        offset--;
    while (limit-- != 0 && zset_iter_next(it, &e)) {
        if (!in_range(&e, range, rev))
            break;
        out_emit(o, &e);
        count++;
    }
    out_end(o, count);
}

static int in_score(const zset_elem *e, const void *range, int rev)
{
    return rev ? zset_score_gte_min(e->score, range) : zset_score_lte_max(e->score, range);
}

static int in_lex(const zset_elem *e, const void *range, int rev)
{
    return rev ? zset_lex_gte_min(e->p, e->len, range) : zset_lex_lte_max(e->p, e->len, range);
}

static void range_by_score(range_out *o, zset *z, const zrange_score *r, long long offset,
                           long long limit, int rev)
{
    out_begin(o, -1);
    if (offset > 0 && offset >= (long long)zset_len(z)) {
        out_end(o, 0);
        return;
    }
    zset_iter it;
    zset_iter_score(&it, z, r, rev);
    range_walk(o, &it, offset, limit, in_score, r, rev);
}

static void range_by_lex(range_out *o, zset *z, const zrange_lex *r, long long offset,
                         long long limit, int rev)
{
    out_begin(o, -1);
    zset_iter it;
    zset_iter_lex(&it, z, r, rev);
    range_walk(o, &it, offset, limit, in_lex, r, rev);
}

enum { DIR_AUTO, DIR_FWD, DIR_REV };
enum { RT_AUTO = -1 };

/* Redis's zrangeGenericCommand: argv[first] is the source key, then min,
 * max and options; dst non-NULL for ZRANGESTORE. */
static void zrange_generic(client *c, int first, const arg *dst, int by, int dir)
{
    const arg *key = &c->argv[first];
    int minidx = first + 1, maxidx = first + 2, withscores = 0;
    long long offset = 0, limit = -1, start = 0, end = 0;
    for (int j = first + 3; j < c->argc; j++) {
        int left = c->argc - j - 1;
        const arg *a = &c->argv[j];
        if (!dst && arg_eq(a, "withscores")) {
            withscores = 1;
        } else if (arg_eq(a, "limit") && left >= 2) {
            if (arg_ll(c, &c->argv[j + 1], &offset, NULL) < 0 ||
                arg_ll(c, &c->argv[j + 2], &limit, NULL) < 0)
                return;
            j += 2;
        } else if (dir == DIR_AUTO && arg_eq(a, "rev")) {
            dir = DIR_REV;
        } else if (by == RT_AUTO && arg_eq(a, "bylex")) {
            by = BY_LEX;
        } else if (by == RT_AUTO && arg_eq(a, "byscore")) {
            by = BY_SCORE;
        } else {
            reply_syntax_error(c);
            return;
        }
    }
    if (dir == DIR_AUTO)
        dir = DIR_FWD;
    if (by == RT_AUTO)
        by = BY_RANK;
    if (limit != -1 && by == BY_RANK) {
        reply_error(c, "syntax error, LIMIT is only supported in combination with either "
                       "BYSCORE or BYLEX");
        return;
    }
    if (withscores && by == BY_LEX) {
        reply_error(c, "syntax error, WITHSCORES not supported in combination with BYLEX");
        return;
    }
    int rev = dir == DIR_REV;
    if (rev && by != BY_RANK) {
        int t = minidx;
        minidx = maxidx;
        maxidx = t;
    }
    zrange_score sr;
    zrange_lex lr;
    if (by == BY_RANK) {
        if (arg_ll(c, &c->argv[minidx], &start, NULL) < 0 ||
            arg_ll(c, &c->argv[maxidx], &end, NULL) < 0)
            return;
    } else if (by == BY_SCORE) {
        if (!parse_score_range(&c->argv[minidx], &c->argv[maxidx], &sr)) {
            reply_error(c, ERR_NOT_FLOAT_RANGE);
            return;
        }
    } else if (!parse_lex_range(&c->argv[minidx], &c->argv[maxidx], &lr)) {
        reply_error(c, ERR_NOT_LEX_RANGE);
        return;
    }
    range_out o = {c, dst, withscores || dst != NULL, NULL, NULL, types_zset_limits()};
    obj *zo = db_lookup_read(c, key->p, key->len);
    if (!zo) {
        if (dst) {
            out_begin(&o, -1);
            out_end(&o, 0);
        } else {
            reply_empty_array(c);
        }
        return;
    }
    if (wrong_type(c, zo))
        return;
    if (by == BY_RANK)
        range_by_rank(&o, zo->ptr, start, end, rev);
    else if (by == BY_SCORE)
        range_by_score(&o, zo->ptr, &sr, offset, limit, rev);
    else
        range_by_lex(&o, zo->ptr, &lr, offset, limit, rev);
}

static void cmd_zrange(client *c)
{
    zrange_generic(c, 1, NULL, RT_AUTO, DIR_AUTO);
}

static void cmd_zrangestore(client *c)
{
    zrange_generic(c, 2, &c->argv[1], RT_AUTO, DIR_AUTO);
}

static void cmd_zrevrange(client *c)
{
    zrange_generic(c, 1, NULL, BY_RANK, DIR_REV);
}

static void cmd_zrangebyscore(client *c)
{
    zrange_generic(c, 1, NULL, BY_SCORE, DIR_FWD);
}

static void cmd_zrevrangebyscore(client *c)
{
    zrange_generic(c, 1, NULL, BY_SCORE, DIR_REV);
}

static void cmd_zrangebylex(client *c)
{
    zrange_generic(c, 1, NULL, BY_LEX, DIR_FWD);
}

static void cmd_zrevrangebylex(client *c)
{
    zrange_generic(c, 1, NULL, BY_LEX, DIR_REV);
}

/* ---- ZUNION, ZINTER, ZDIFF, their STORE forms, ZINTERCARD ---- */

enum { OP_UNION, OP_INTER, OP_DIFF };
enum { AGG_SUM, AGG_MIN, AGG_MAX };

/* An input: a sorted set, a set (scores 1) or nothing (empty). */
typedef struct zsrc {
    obj *o;
    double weight;
} zsrc;

typedef struct zsrc_iter {
    zsrc *s;
    zset_iter zi;
    mset_iter mi;
} zsrc_iter;

static size_t src_len(const zsrc *s)
{
    if (!s->o)
        return 0;
    return s->o->type == OBJ_ZSET ? zset_len(s->o->ptr) : mset_len(s->o->ptr);
}

static void src_iter_init(zsrc_iter *it, zsrc *s)
{
    it->s = s;
    if (s->o->type == OBJ_ZSET)
        zset_iter_rank(&it->zi, s->o->ptr, 0, 0);
    else
        mset_iter_init(&it->mi, s->o->ptr);
}

/* e->p may point into a buffer of `me` (intset members). */
static int src_iter_next(zsrc_iter *it, zset_elem *e, mset_elem *me)
{
    if (it->s->o->type == OBJ_ZSET)
        return zset_iter_next(&it->zi, e);
    if (!mset_iter_next(&it->mi, me))
        return 0;
    e->p = me->p;
    e->len = me->len;
    e->score = 1.0;
    return 1;
}

static void src_iter_done(zsrc_iter *it)
{
    if (it->s->o->type == OBJ_SET)
        mset_iter_done(&it->mi);
}

static int src_find(zsrc *s, const char *p, size_t len, double *score)
{
    if (!s->o)
        return 0;
    if (s->o->type == OBJ_ZSET)
        return zset_score(s->o->ptr, p, len, score) == 0;
    *score = 1.0;
    return mset_has(s->o->ptr, p, len);
}

static int by_card(const void *a, const void *b)
{
    size_t x = src_len(a), y = src_len(b);
    return x < y ? -1 : x > y;
}

static void aggregate(double *target, double val, int agg)
{
    if (agg == AGG_SUM) {
        *target += val;
        if (isnan(*target))
            *target = 0.0;
    } else if (agg == AGG_MIN) {
        *target = val < *target ? val : *target;
    } else {
        *target = val > *target ? val : *target;
    }
}

/* The result under construction: a skiplist set plus what tells whether
 * it would fit a pack. */
typedef struct zresult {
    zset *z;
    size_t maxelelen, totelelen;
} zresult;

static void result_add(zresult *r, const zset_elem *e, double score)
{
    static const zset_limits no_pack = {0, 0};
    int out;
    r->z = zset_add(r->z, e->p, e->len, score, 0, &out, NULL, &no_pack);
    r->totelelen += e->len;
    if (e->len > r->maxelelen)
        r->maxelelen = e->len;
}

/* Returns the intersection cardinality (card mode) or fills r. */
static unsigned long op_inter(zsrc *src, long n, int agg, zresult *r, int card, long long limit)
{
    unsigned long cardinality = 0;
    if (src_len(&src[0]) == 0)
        return 0;
    zsrc_iter it;
    zset_elem e;
    mset_elem me;
    src_iter_init(&it, &src[0]);
    while (src_iter_next(&it, &e, &me)) {
        double score = src[0].weight * e.score, value;
        if (isnan(score))
            score = 0;
        long j;
        for (j = 1; j < n; j++) {
            if (src[j].o == src[0].o) {
                value = e.score * src[j].weight;
                aggregate(&score, value, agg);
            } else if (src_find(&src[j], e.p, e.len, &value)) {
                value *= src[j].weight;
                aggregate(&score, value, agg);
            } else {
                break;
            }
        }
        if (j != n)
            continue;
        if (card) {
            cardinality++;
            if (limit && cardinality >= (unsigned long)limit)
                break;
        } else {
            result_add(r, &e, score);
        }
    }
    src_iter_done(&it);
    return cardinality;
}

static void op_union(zsrc *src, long n, int agg, zresult *r)
{
    dict *acc = dict_new(&dict_type_str);
    for (long i = 0; i < n; i++) {
        if (src_len(&src[i]) == 0)
            continue;
        zsrc_iter it;
        zset_elem e;
        mset_elem me;
        src_iter_init(&it, &src[i]);
        while (src_iter_next(&it, &e, &me)) {
            double score = src[i].weight * e.score;
            if (isnan(score))
                score = 0;
            dict_entry *de = dict_find(acc, e.p, e.len);
            if (de) {
                aggregate(&de->v.d, score, agg);
                continue;
            }
            de = dict_add(acc, str_new(e.p, e.len), NULL);
            de->v.d = score;
        }
        src_iter_done(&it);
    }
    dict_iter di;
    dict_entry *de;
    dict_iter_init(&di, acc, 0);
    while ((de = dict_iter_next(&di))) {
        zset_elem e = {de->key, str_len(de->key), 0};
        result_add(r, &e, de->v.d);
    }
    dict_iter_done(&di);
    dict_free(acc);
}

static void op_diff(zsrc *src, long n, zresult *r)
{
    if (src_len(&src[0]) == 0)
        return;
    for (long j = 1; j < n; j++)
        if (src[j].o == src[0].o)
            return; /* subtracting the set from itself */
    zsrc_iter it;
    zset_elem e;
    mset_elem me;
    src_iter_init(&it, &src[0]);
    while (src_iter_next(&it, &e, &me)) {
        double v;
        long j;
        for (j = 1; j < n; j++)
            if (src_find(&src[j], e.p, e.len, &v))
                break;
        if (j == n)
            result_add(r, &e, e.score);
    }
    src_iter_done(&it);
}

/* Options after the keys: 0 ok, -1 replied. */
static int parse_setop_opts(client *c, int j, zsrc *src, long n, int op, int dst, int card,
                            int *agg, int *withscores, long long *limit)
{
    while (j < c->argc) {
        int remaining = c->argc - j;
        const arg *a = &c->argv[j];
        if (op != OP_DIFF && !card && remaining >= n + 1 && arg_eq(a, "weights")) {
            j++;
            for (long i = 0; i < n; i++, j++)
                if (arg_score(c, &c->argv[j], &src[i].weight, "weight value is not a float") < 0)
                    return -1;
        } else if (op != OP_DIFF && !card && remaining >= 2 && arg_eq(a, "aggregate")) {
            const arg *v = &c->argv[j + 1];
            if (arg_eq(v, "sum")) {
                *agg = AGG_SUM;
            } else if (arg_eq(v, "min")) {
                *agg = AGG_MIN;
            } else if (arg_eq(v, "max")) {
                *agg = AGG_MAX;
            } else {
                reply_syntax_error(c);
                return -1;
            }
            j += 2;
        } else if (!dst && !card && arg_eq(a, "withscores")) {
            *withscores = 1;
            j++;
        } else if (card && remaining >= 2 && arg_eq(a, "limit")) {
            if (types_parse_positive(c, &c->argv[j + 1], limit, "LIMIT can't be negative") < 0)
                return -1;
            j += 2;
        } else {
            reply_syntax_error(c);
            return -1;
        }
    }
    return 0;
}

static void reply_result(client *c, zset *z, int withscores)
{
    long n = (long)zset_len(z);
    reply_array(c, withscores && c->resp == 2 ? n * 2 : n);
    zset_iter it;
    zset_elem e;
    zset_iter_rank(&it, z, 0, 0);
    while (zset_iter_next(&it, &e)) {
        if (withscores && c->resp > 2)
            reply_array(c, 2);
        reply_bulk(c, e.p, e.len);
        if (withscores)
            reply_score(c, e.score);
    }
}

static void setop_generic(client *c, const arg *dst, int numkeys_idx, int op, int card)
{
    long long setnum;
    if (arg_ll(c, &c->argv[numkeys_idx], &setnum, NULL) < 0)
        return;
    if (setnum < 1) {
        reply_errorf(c, "at least 1 input key is needed for '%s' command",
                     ((command *)c->cmd)->fullname);
        return;
    }
    if (setnum > c->argc - (numkeys_idx + 1)) {
        reply_syntax_error(c);
        return;
    }
    long n = (long)setnum;
    zsrc *src = ds_calloc(sizeof(zsrc) * (size_t)n);
    int j = numkeys_idx + 1;
    for (long i = 0; i < n; i++, j++) {
        obj *o = db_lookup_read(c, c->argv[j].p, c->argv[j].len);
        if (o && o->type != OBJ_ZSET && o->type != OBJ_SET) {
            reply_error(c, ERR_WRONGTYPE);
            goto done;
        }
        src[i].o = o;
        src[i].weight = 1.0;
    }
    int agg = AGG_SUM, withscores = 0;
    long long limit = 0;
    if (parse_setop_opts(c, j, src, n, op, dst != NULL, card, &agg, &withscores, &limit) < 0)
        goto done;
    if (op != OP_DIFF)
        qsort(src, (size_t)n, sizeof(zsrc), by_card);
    static const zset_limits no_pack = {0, 0};
    zresult r = {zset_new(1, 0, &no_pack), 0, 0};
    unsigned long cardinality = 0;
    if (op == OP_INTER)
        cardinality = op_inter(src, n, agg, &r, card, limit);
    else if (op == OP_UNION)
        op_union(src, n, agg, &r);
    else
        op_diff(src, n, &r);
    if (dst) {
        zset_limits lim = types_zset_limits();
        r.z = zset_shrink_if_fits(r.z, r.maxelelen, r.totelelen, &lim);
        static const char *events[] = {"zunionstore", "zinterstore", "zdiffstore"};
        store_result(c, dst, r.z, events[op]);
        goto done;
    }
    if (card)
        reply_ll(c, (long long)cardinality);
    else
        reply_result(c, r.z, withscores);
    zset_free(r.z);
done:
    ds_free(src);
}

static void cmd_zunionstore(client *c)
{
    setop_generic(c, &c->argv[1], 2, OP_UNION, 0);
}

static void cmd_zinterstore(client *c)
{
    setop_generic(c, &c->argv[1], 2, OP_INTER, 0);
}

static void cmd_zdiffstore(client *c)
{
    setop_generic(c, &c->argv[1], 2, OP_DIFF, 0);
}

static void cmd_zunion(client *c)
{
    setop_generic(c, NULL, 1, OP_UNION, 0);
}

static void cmd_zinter(client *c)
{
    setop_generic(c, NULL, 1, OP_INTER, 0);
}

static void cmd_zintercard(client *c)
{
    setop_generic(c, NULL, 1, OP_INTER, 1);
}

static void cmd_zdiff(client *c)
{
    setop_generic(c, NULL, 1, OP_DIFF, 0);
}

/* ---- pops: ZPOPMIN, ZPOPMAX, ZMPOP and the blocking forms ---- */

enum { ZMIN = 0, ZMAX = 1 };

/* Log `av` to the AOF in place of the running command; while serving a
 * blocked client (outside call()) log it directly. */
static int serving_blocked;

static void propagate_pop(int dbid, int where, const arg *key, long count)
{
    char buf[32];
    arg av[3] = {{where == ZMAX ? "ZPOPMAX" : "ZPOPMIN", 7}, *key, {buf, 0}};
    int argc = 2;
    if (count >= 0) {
        av[2].len = (size_t)ll_to_str(buf, sizeof(buf), count);
        argc = 3;
    }
    if (serving_blocked)
        server_propagate(dbid, av, argc);
    else
        propagate_replace(dbid, av, argc);
}

/* Redis's genericZpopCommand on one existing sorted set o at key: pops up
 * to count (-1: one, plain reply) from `where`, replies, notifies, deletes
 * the key if emptied.  Returns how many were popped. */
static long pop_from(client *c, db *d, const arg *key, obj *o, int where, int emitkey,
                     long count, int nested)
{
    const zset *z = o->ptr;
    if (count == -1)
        count = 1;
    long llen = (long)zset_len(z), n = count > llen ? llen : count;
    if (!nested && !emitkey) {
        reply_array(c, n * 2);
    } else if (nested && !emitkey) {
        reply_array(c, n);
    } else if (!nested && emitkey) {
        reply_array(c, n * 2 + 1);
        reply_bulk(c, key->p, key->len);
    } else {
        reply_array(c, 2);
        reply_bulk(c, key->p, key->len);
        reply_array(c, n);
    }
    zset_iter it;
    zset_elem e;
    zset_iter_rank(&it, z, 0, where == ZMAX);
    for (long i = 0; i < n && zset_iter_next(&it, &e); i++) {
        if (nested)
            reply_array(c, 2);
        reply_bulk(c, e.p, e.len);
        reply_score(c, e.score);
    }
    size_t gone;
    if (where == ZMAX)
        o->ptr = zset_del_rank(o->ptr, (size_t)(llen - n), (size_t)(llen - 1), &gone);
    else
        o->ptr = zset_del_rank(o->ptr, 0, (size_t)(n - 1), &gone);
    srv.dirty += n;
    notify_keyspace_event(NOTIFY_ZSET, where == ZMAX ? "zpopmax" : "zpopmin", key->p, key->len,
                          d->id);
    signal_modified_key(c, d, key->p, key->len);
    if (zset_len(o->ptr) == 0) {
        db_delete(d, key->p, key->len);
        notify_keyspace_event(NOTIFY_GENERIC, "del", key->p, key->len, d->id);
    }
    return n;
}

/* Pop from the first existing key of keys[]; replies (empty / nil) when
 * none exists.  Returns the key index used, -1 if none (or WRONGTYPE). */
static int pop_first(client *c, const arg *keys, int nkeys, int where, int emitkey, long count,
                     int nested, int nil_when_empty, long *popped)
{
    obj *o = NULL;
    int idx;
    for (idx = 0; idx < nkeys; idx++) {
        o = db_lookup_write(c, keys[idx].p, keys[idx].len);
        if (!o)
            continue;
        if (wrong_type(c, o))
            return -1;
        break;
    }
    if (!o) {
        if (nil_when_empty)
            reply_null_array(c);
        else
            reply_empty_array(c);
        return -1;
    }
    if (count == 0) {
        reply_empty_array(c);
        return -1;
    }
    *popped = pop_from(c, c->db, &keys[idx], o, where, emitkey, count, nested);
    return idx;
}

static void zpop_minmax(client *c, int where)
{
    if (c->argc > 3) {
        reply_syntax_error(c);
        return;
    }
    long long count = -1;
    if (c->argc == 3 && types_parse_positive(c, &c->argv[2], &count, NULL) < 0)
        return;
    long popped;
    pop_first(c, &c->argv[1], 1, where, 0, (long)count, c->resp > 2 && count != -1, 0, &popped);
}

static void cmd_zpopmin(client *c)
{
    zpop_minmax(c, ZMIN);
}

static void cmd_zpopmax(client *c)
{
    zpop_minmax(c, ZMAX);
}

/* What a client blocked in BZPOPMIN / BZPOPMAX / BZMPOP waits for. */
typedef struct zset_wait {
    int where;
    long count; /* -1: BZPOP[MIN|MAX] */
    int nested; /* BZMPOP's reply shape */
} zset_wait;

static int serve_zset(client *c, db *d, const arg *key, int ki, obj *o, void *priv)
{
    (void)ki;
    zset_wait *w = priv;
    if (!o || o->type != OBJ_ZSET || zset_len(o->ptr) == 0)
        return BLOCK_WAIT;
    serving_blocked = 1;
    long popped = pop_from(c, d, key, o, w->where, 1, w->count, w->nested);
    propagate_pop(d->id, w->where, key, w->count == -1 ? -1 : popped);
    serving_blocked = 0;
    return BLOCK_SERVED;
}

static const block_ops zset_block_ops = {"zset", serve_zset, NULL, NULL};

static void bzpop_generic(client *c, const arg *keys, int nkeys, int where, int timeout_idx,
                          long count, int nested)
{
    long long deadline;
    if (arg_timeout(c, &c->argv[timeout_idx], &deadline, 1) < 0)
        return;
    for (int j = 0; j < nkeys; j++) {
        obj *o = db_lookup_write(c, keys[j].p, keys[j].len);
        if (!o)
            continue;
        if (wrong_type(c, o))
            return;
        if (zset_len(o->ptr) == 0)
            continue;
        long popped = pop_from(c, c->db, &keys[j], o, where, 1, count, nested);
        propagate_pop(c->db_id, where, &keys[j], count == -1 ? -1 : popped);
        return;
    }
    if (!blocked_may_block(c)) {
        reply_null_array(c);
        return;
    }
    zset_wait *w = blocked_on_keys(c, c->db, keys, nkeys, deadline, &zset_block_ops,
                                   sizeof(zset_wait));
    w->where = where;
    w->count = count;
    w->nested = nested;
}

static void cmd_bzpopmin(client *c)
{
    bzpop_generic(c, c->argv + 1, c->argc - 2, ZMIN, c->argc - 1, -1, 0);
}

static void cmd_bzpopmax(client *c)
{
    bzpop_generic(c, c->argv + 1, c->argc - 2, ZMAX, c->argc - 1, -1, 0);
}

/* [B]ZMPOP: numkeys at argv[numkeys_idx], keys, MIN|MAX, [COUNT n]. */
static void zmpop_generic(client *c, int numkeys_idx, int blocking)
{
    long long numkeys, count = -1;
    int where;
    if (types_parse_range(c, &c->argv[numkeys_idx], 1, LONG_MAX, &numkeys,
                          "numkeys should be greater than 0") < 0)
        return;
    long long where_idx = numkeys_idx + numkeys + 1;
    if (where_idx >= c->argc) {
        reply_syntax_error(c);
        return;
    }
    if (arg_eq(&c->argv[where_idx], "min")) {
        where = ZMIN;
    } else if (arg_eq(&c->argv[where_idx], "max")) {
        where = ZMAX;
    } else {
        reply_syntax_error(c);
        return;
    }
    for (int j = (int)where_idx + 1; j < c->argc; j++) {
        int more = c->argc - 1 - j;
        if (count == -1 && arg_eq(&c->argv[j], "count") && more) {
            j++;
            if (types_parse_range(c, &c->argv[j], 1, LONG_MAX, &count,
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
    if (blocking) {
        bzpop_generic(c, keys, (int)numkeys, where, 1, (long)count, 1);
        return;
    }
    long popped;
    int idx = pop_first(c, keys, (int)numkeys, where, 1, (long)count, 1, 1, &popped);
    if (idx >= 0)
        propagate_pop(c->db_id, where, &keys[idx], popped);
}

static void cmd_zmpop(client *c)
{
    zmpop_generic(c, 1, 0);
}

static void cmd_bzmpop(client *c)
{
    zmpop_generic(c, 2, 1);
}

/* ---- ZRANDMEMBER ---- */

static void reply_member(client *c, int withscores, const zset_elem *e)
{
    if (withscores && c->resp > 2)
        reply_array(c, 2);
    reply_bulk(c, e->p, e->len);
    if (withscores)
        reply_score(c, e->score);
}

#define ZRANDMEMBER_SUB_STRATEGY_MUL 3

static void zrandmember_count(client *c, long l, int withscores)
{
    zset *z;
    if (lookup_read(c, &c->argv[1], &z) < 0)
        return;
    if (!z) {
        reply_empty_array(c);
        return;
    }
    int uniq = l >= 0;
    unsigned long count = uniq ? (unsigned long)l : (unsigned long)-l, size = zset_len(z);
    if (count == 0) {
        reply_empty_array(c);
        return;
    }
    zset_elem e;
    zset_iter it;
    if (!uniq || count == 1) {
        reply_array(c, (long)(withscores && c->resp == 2 ? count * 2 : count));
        while (count--) {
            zset_random(z, &e);
            reply_member(c, withscores, &e);
            if (c->flags & CLIENT_CLOSE_ASAP)
                break;
        }
        return;
    }
    unsigned long n = count < size ? count : size;
    reply_array(c, (long)(withscores && c->resp == 2 ? n * 2 : n));
    if (count >= size) {
        /* Redis walks sorted sets from the tail here. */
        zset_iter_rank(&it, z, 0, 1);
        while (zset_iter_next(&it, &e))
            reply_member(c, withscores, &e);
        return;
    }
    dict *d = dict_new(&dict_type_str);
    if (count * ZRANDMEMBER_SUB_STRATEGY_MUL > size) {
        zset_iter_rank(&it, z, 0, 0);
        while (zset_iter_next(&it, &e))
            dict_add(d, str_new(e.p, e.len), NULL)->v.d = e.score;
        while (dict_size(d) > count) {
            dict_entry *de = dict_fair_random(d);
            dict_delete(d, de->key, str_len(de->key));
        }
        dict_iter di;
        dict_entry *de;
        dict_iter_init(&di, d, 0);
        while ((de = dict_iter_next(&di))) {
            zset_elem x = {de->key, str_len(de->key), de->v.d};
            reply_member(c, withscores, &x);
        }
        dict_iter_done(&di);
    } else {
        unsigned long added = 0;
        while (added < count) {
            zset_random(z, &e);
            if (dict_find(d, e.p, e.len))
                continue;
            dict_add(d, str_new(e.p, e.len), NULL);
            added++;
            reply_member(c, withscores, &e);
        }
    }
    dict_free(d);
}

static void cmd_zrandmember(client *c)
{
    if (c->argc >= 3) {
        long long l;
        if (types_parse_range(c, &c->argv[2], -LONG_MAX, LONG_MAX, &l, NULL) < 0)
            return;
        int withscores = 0;
        if (c->argc > 4 || (c->argc == 4 && !arg_eq(&c->argv[3], "withscores"))) {
            reply_syntax_error(c);
            return;
        }
        if (c->argc == 4) {
            withscores = 1;
            if (l < -LONG_MAX / 2 || l > LONG_MAX / 2) {
                reply_error(c, "value is out of range");
                return;
            }
        }
        zrandmember_count(c, (long)l, withscores);
        return;
    }
    zset *z;
    if (lookup_read(c, &c->argv[1], &z) < 0)
        return;
    if (!z) {
        reply_null(c);
        return;
    }
    zset_elem e;
    zset_random(z, &e);
    reply_bulk(c, e.p, e.len);
}

/* ---- ZSCAN ---- */

static void zscan_add(void *priv, const char *m, size_t len, double score)
{
    scan_acc_add(priv, m, len);
    scan_acc_add_double(priv, score);
}

static size_t zscan_step(void *z, size_t cursor, scan_acc *a)
{
    return zset_scan(z, cursor, zscan_add, a);
}

static void cmd_zscan(client *c)
{
    size_t cursor;
    zset *z;
    scan_opts o;
    if (types_parse_cursor(c, &c->argv[2], &cursor) < 0 || lookup_read(c, &c->argv[1], &z) < 0)
        return;
    if (!z) {
        reply_array(c, 2);
        reply_bulk(c, "0", 1);
        reply_array(c, 0);
        return;
    }
    if (types_parse_scan_opts(c, 3, 0, &o) < 0)
        return;
    scan_acc a;
    scan_acc_init(&a);
    cursor = scan_acc_run(&a, z, cursor, o.count * 2, zscan_step);
    scan_acc_reply(c, &a, cursor, &o, 1);
    scan_acc_free(&a);
}

/* ---- command table (arity, flags, keys and docs from Redis 7.0.15) ---- */

command cmd_zset_table[] = {
    {.name = "zadd", .proc = cmd_zadd, .arity = -4,
     .flags = CMD_WRITE | CMD_DENYOOM | CMD_FAST,
     .first_key = 1, .last_key = 1, .key_step = 1, .group = "sorted-set",
     .summary = "Add one or more members to a sorted set, or update its score if it already "
                   "exists",
     .since = "1.2.0", .acl = "write sortedset fast",
     .complexity = "O(log(N)) for each item added, where N is the number of elements in the "
                   "sorted set."},
    {.name = "zincrby", .proc = cmd_zincrby, .arity = 4,
     .flags = CMD_WRITE | CMD_DENYOOM | CMD_FAST,
     .first_key = 1, .last_key = 1, .key_step = 1, .group = "sorted-set",
     .summary = "Increment the score of a member in a sorted set",
     .since = "1.2.0", .acl = "write sortedset fast",
     .complexity = "O(log(N)) where N is the number of elements in the sorted set."},
    {.name = "zrem", .proc = cmd_zrem, .arity = -3,
     .flags = CMD_WRITE | CMD_FAST,
     .first_key = 1, .last_key = 1, .key_step = 1, .group = "sorted-set",
     .summary = "Remove one or more members from a sorted set",
     .since = "1.2.0", .acl = "write sortedset fast",
     .complexity = "O(M*log(N)) with N being the number of elements in the sorted set and M the "
                   "number of elements to be removed."},
    {.name = "zremrangebyrank", .proc = cmd_zremrangebyrank, .arity = 4,
     .flags = CMD_WRITE,
     .first_key = 1, .last_key = 1, .key_step = 1, .group = "sorted-set",
     .summary = "Remove all members in a sorted set within the given indexes",
     .since = "2.0.0", .acl = "write sortedset slow",
     .complexity = "O(log(N)+M) with N being the number of elements in the sorted set and M the "
                   "number of elements removed by the operation."},
    {.name = "zremrangebyscore", .proc = cmd_zremrangebyscore, .arity = 4,
     .flags = CMD_WRITE,
     .first_key = 1, .last_key = 1, .key_step = 1, .group = "sorted-set",
     .summary = "Remove all members in a sorted set within the given scores",
     .since = "1.2.0", .acl = "write sortedset slow",
     .complexity = "O(log(N)+M) with N being the number of elements in the sorted set and M the "
                   "number of elements removed by the operation."},
    {.name = "zremrangebylex", .proc = cmd_zremrangebylex, .arity = 4,
     .flags = CMD_WRITE,
     .first_key = 1, .last_key = 1, .key_step = 1, .group = "sorted-set",
     .summary = "Remove all members in a sorted set between the given lexicographical range",
     .since = "2.8.9", .acl = "write sortedset slow",
     .complexity = "O(log(N)+M) with N being the number of elements in the sorted set and M the "
                   "number of elements removed by the operation."},
    {.name = "zcard", .proc = cmd_zcard, .arity = 2,
     .flags = CMD_READONLY | CMD_FAST,
     .first_key = 1, .last_key = 1, .key_step = 1, .group = "sorted-set",
     .summary = "Get the number of members in a sorted set",
     .since = "1.2.0", .acl = "read sortedset fast",
     .complexity = "O(1)"},
    {.name = "zscore", .proc = cmd_zscore, .arity = 3,
     .flags = CMD_READONLY | CMD_FAST,
     .first_key = 1, .last_key = 1, .key_step = 1, .group = "sorted-set",
     .summary = "Get the score associated with the given member in a sorted set",
     .since = "1.2.0", .acl = "read sortedset fast",
     .complexity = "O(1)"},
    {.name = "zmscore", .proc = cmd_zmscore, .arity = -3,
     .flags = CMD_READONLY | CMD_FAST,
     .first_key = 1, .last_key = 1, .key_step = 1, .group = "sorted-set",
     .summary = "Get the score associated with the given members in a sorted set",
     .since = "6.2.0", .acl = "read sortedset fast",
     .complexity = "O(N) where N is the number of members being requested."},
    {.name = "zrank", .proc = cmd_zrank, .arity = 3,
     .flags = CMD_READONLY | CMD_FAST,
     .first_key = 1, .last_key = 1, .key_step = 1, .group = "sorted-set",
     .summary = "Determine the index of a member in a sorted set",
     .since = "2.0.0", .acl = "read sortedset fast",
     .complexity = "O(log(N))"},
    {.name = "zrevrank", .proc = cmd_zrevrank, .arity = 3,
     .flags = CMD_READONLY | CMD_FAST,
     .first_key = 1, .last_key = 1, .key_step = 1, .group = "sorted-set",
     .summary = "Determine the index of a member in a sorted set, with scores ordered from "
                   "high to low",
     .since = "2.0.0", .acl = "read sortedset fast",
     .complexity = "O(log(N))"},
    {.name = "zcount", .proc = cmd_zcount, .arity = 4,
     .flags = CMD_READONLY | CMD_FAST,
     .first_key = 1, .last_key = 1, .key_step = 1, .group = "sorted-set",
     .summary = "Count the members in a sorted set with scores within the given values",
     .since = "2.0.0", .acl = "read sortedset fast",
     .complexity = "O(log(N)) with N being the number of elements in the sorted set."},
    {.name = "zlexcount", .proc = cmd_zlexcount, .arity = 4,
     .flags = CMD_READONLY | CMD_FAST,
     .first_key = 1, .last_key = 1, .key_step = 1, .group = "sorted-set",
     .summary = "Count the number of members in a sorted set between a given lexicographical "
                   "range",
     .since = "2.8.9", .acl = "read sortedset fast",
     .complexity = "O(log(N)) with N being the number of elements in the sorted set."},
    {.name = "zrange", .proc = cmd_zrange, .arity = -4,
     .flags = CMD_READONLY,
     .first_key = 1, .last_key = 1, .key_step = 1, .group = "sorted-set",
     .summary = "Return a range of members in a sorted set",
     .since = "1.2.0", .acl = "read sortedset slow",
     .complexity = "O(log(N)+M) with N being the number of elements in the sorted set and M the "
                   "number of elements returned."},
    {.name = "zrangestore", .proc = cmd_zrangestore, .arity = -5,
     .flags = CMD_WRITE | CMD_DENYOOM,
     .first_key = 1, .last_key = 2, .key_step = 1, .group = "sorted-set",
     .summary = "Store a range of members from sorted set into another key",
     .since = "6.2.0", .acl = "write sortedset slow",
     .complexity = "O(log(N)+M) with N being the number of elements in the sorted set and M the "
                   "number of elements stored into the destination key."},
    {.name = "zrevrange", .proc = cmd_zrevrange, .arity = -4,
     .flags = CMD_READONLY,
     .first_key = 1, .last_key = 1, .key_step = 1, .group = "sorted-set",
     .summary = "Return a range of members in a sorted set, by index, with scores ordered "
                   "from high to low",
     .since = "1.2.0", .acl = "read sortedset slow",
     .complexity = "O(log(N)+M) with N being the number of elements in the sorted set and M the "
                   "number of elements returned."},
    {.name = "zrangebyscore", .proc = cmd_zrangebyscore, .arity = -4,
     .flags = CMD_READONLY,
     .first_key = 1, .last_key = 1, .key_step = 1, .group = "sorted-set",
     .summary = "Return a range of members in a sorted set, by score",
     .since = "1.0.5", .acl = "read sortedset slow",
     .complexity = "O(log(N)+M) with N being the number of elements in the sorted set and M the "
                   "number of elements being returned. If M is constant (e.g. always asking for "
                   "the first 10 elements with LIMIT), you can consider it O(log(N))."},
    {.name = "zrevrangebyscore", .proc = cmd_zrevrangebyscore, .arity = -4,
     .flags = CMD_READONLY,
     .first_key = 1, .last_key = 1, .key_step = 1, .group = "sorted-set",
     .summary = "Return a range of members in a sorted set, by score, with scores ordered "
                   "from high to low",
     .since = "2.2.0", .acl = "read sortedset slow",
     .complexity = "O(log(N)+M) with N being the number of elements in the sorted set and M the "
                   "number of elements being returned. If M is constant (e.g. always asking for "
                   "the first 10 elements with LIMIT), you can consider it O(log(N))."},
    {.name = "zrangebylex", .proc = cmd_zrangebylex, .arity = -4,
     .flags = CMD_READONLY,
     .first_key = 1, .last_key = 1, .key_step = 1, .group = "sorted-set",
     .summary = "Return a range of members in a sorted set, by lexicographical range",
     .since = "2.8.9", .acl = "read sortedset slow",
     .complexity = "O(log(N)+M) with N being the number of elements in the sorted set and M the "
                   "number of elements being returned. If M is constant (e.g. always asking for "
                   "the first 10 elements with LIMIT), you can consider it O(log(N))."},
    {.name = "zrevrangebylex", .proc = cmd_zrevrangebylex, .arity = -4,
     .flags = CMD_READONLY,
     .first_key = 1, .last_key = 1, .key_step = 1, .group = "sorted-set",
     .summary = "Return a range of members in a sorted set, by lexicographical range, "
                   "ordered from higher to lower strings.",
     .since = "2.8.9", .acl = "read sortedset slow",
     .complexity = "O(log(N)+M) with N being the number of elements in the sorted set and M the "
                   "number of elements being returned. If M is constant (e.g. always asking for "
                   "the first 10 elements with LIMIT), you can consider it O(log(N))."},
    {.name = "zunionstore", .proc = cmd_zunionstore, .arity = -4,
     .flags = CMD_WRITE | CMD_DENYOOM | CMD_MOVABLE_KEYS,
     .first_key = 1, .last_key = 1, .key_step = 1, .group = "sorted-set",
     .summary = "Add multiple sorted sets and store the resulting sorted set in a new key",
     .since = "2.0.0", .acl = "write sortedset slow",
     .complexity = "O(N)+O(M log(M)) with N being the sum of the sizes of the input sorted "
                   "sets, and M being the number of elements in the resulting sorted set."},
    {.name = "zinterstore", .proc = cmd_zinterstore, .arity = -4,
     .flags = CMD_WRITE | CMD_DENYOOM | CMD_MOVABLE_KEYS,
     .first_key = 1, .last_key = 1, .key_step = 1, .group = "sorted-set",
     .summary = "Intersect multiple sorted sets and store the resulting sorted set in a new "
                   "key",
     .since = "2.0.0", .acl = "write sortedset slow",
     .complexity = "O(N*K)+O(M*log(M)) worst case with N being the smallest input sorted set, K "
                   "being the number of input sorted sets and M being the number of elements in "
                   "the resulting sorted set."},
    {.name = "zdiffstore", .proc = cmd_zdiffstore, .arity = -4,
     .flags = CMD_WRITE | CMD_DENYOOM | CMD_MOVABLE_KEYS,
     .first_key = 1, .last_key = 1, .key_step = 1, .group = "sorted-set",
     .summary = "Subtract multiple sorted sets and store the resulting sorted set in a new "
                   "key",
     .since = "6.2.0", .acl = "write sortedset slow",
     .complexity = "O(L + (N-K)log(N)) worst case where L is the total number of elements in "
                   "all the sets, N is the size of the first set, and K is the size of the "
                   "result set."},
    {.name = "zunion", .proc = cmd_zunion, .arity = -3,
     .flags = CMD_READONLY | CMD_MOVABLE_KEYS,
     .first_key = 0, .last_key = 0, .key_step = 0, .group = "sorted-set",
     .summary = "Add multiple sorted sets",
     .since = "6.2.0", .acl = "read sortedset slow",
     .complexity = "O(N)+O(M*log(M)) with N being the sum of the sizes of the input sorted "
                   "sets, and M being the number of elements in the resulting sorted set."},
    {.name = "zinter", .proc = cmd_zinter, .arity = -3,
     .flags = CMD_READONLY | CMD_MOVABLE_KEYS,
     .first_key = 0, .last_key = 0, .key_step = 0, .group = "sorted-set",
     .summary = "Intersect multiple sorted sets",
     .since = "6.2.0", .acl = "read sortedset slow",
     .complexity = "O(N*K)+O(M*log(M)) worst case with N being the smallest input sorted set, K "
                   "being the number of input sorted sets and M being the number of elements in "
                   "the resulting sorted set."},
    {.name = "zintercard", .proc = cmd_zintercard, .arity = -3,
     .flags = CMD_READONLY | CMD_MOVABLE_KEYS,
     .first_key = 0, .last_key = 0, .key_step = 0, .group = "sorted-set",
     .summary = "Intersect multiple sorted sets and return the cardinality of the result",
     .since = "7.0.0", .acl = "read sortedset slow",
     .complexity = "O(N*K) worst case with N being the smallest input sorted set, K being the "
                   "number of input sorted sets."},
    {.name = "zdiff", .proc = cmd_zdiff, .arity = -3,
     .flags = CMD_READONLY | CMD_MOVABLE_KEYS,
     .first_key = 0, .last_key = 0, .key_step = 0, .group = "sorted-set",
     .summary = "Subtract multiple sorted sets",
     .since = "6.2.0", .acl = "read sortedset slow",
     .complexity = "O(L + (N-K)log(N)) worst case where L is the total number of elements in "
                   "all the sets, N is the size of the first set, and K is the size of the "
                   "result set."},
    {.name = "zpopmin", .proc = cmd_zpopmin, .arity = -2,
     .flags = CMD_WRITE | CMD_FAST,
     .first_key = 1, .last_key = 1, .key_step = 1, .group = "sorted-set",
     .summary = "Remove and return members with the lowest scores in a sorted set",
     .since = "5.0.0", .acl = "write sortedset fast",
     .complexity = "O(log(N)*M) with N being the number of elements in the sorted set, and M "
                   "being the number of elements popped."},
    {.name = "zpopmax", .proc = cmd_zpopmax, .arity = -2,
     .flags = CMD_WRITE | CMD_FAST,
     .first_key = 1, .last_key = 1, .key_step = 1, .group = "sorted-set",
     .summary = "Remove and return members with the highest scores in a sorted set",
     .since = "5.0.0", .acl = "write sortedset fast",
     .complexity = "O(log(N)*M) with N being the number of elements in the sorted set, and M "
                   "being the number of elements popped."},
    {.name = "bzpopmin", .proc = cmd_bzpopmin, .arity = -3,
     .flags = CMD_WRITE | CMD_NOSCRIPT | CMD_FAST | CMD_BLOCKING,
     .first_key = 1, .last_key = -2, .key_step = 1, .group = "sorted-set",
     .summary = "Remove and return the member with the lowest score from one or more sorted "
                   "sets, or block until one is available",
     .since = "5.0.0", .acl = "write sortedset fast blocking",
     .complexity = "O(log(N)) with N being the number of elements in the sorted set."},
    {.name = "bzpopmax", .proc = cmd_bzpopmax, .arity = -3,
     .flags = CMD_WRITE | CMD_NOSCRIPT | CMD_FAST | CMD_BLOCKING,
     .first_key = 1, .last_key = -2, .key_step = 1, .group = "sorted-set",
     .summary = "Remove and return the member with the highest score from one or more sorted "
                   "sets, or block until one is available",
     .since = "5.0.0", .acl = "write sortedset fast blocking",
     .complexity = "O(log(N)) with N being the number of elements in the sorted set."},
    {.name = "zmpop", .proc = cmd_zmpop, .arity = -4,
     .flags = CMD_WRITE | CMD_MOVABLE_KEYS,
     .first_key = 0, .last_key = 0, .key_step = 0, .group = "sorted-set",
     .summary = "Remove and return members with scores in a sorted set",
     .since = "7.0.0", .acl = "write sortedset slow",
     .complexity = "O(K) + O(M*log(N)) where K is the number of provided keys, N being the "
                   "number of elements in the sorted set, and M being the number of elements "
                   "popped."},
    {.name = "bzmpop", .proc = cmd_bzmpop, .arity = -5,
     .flags = CMD_WRITE | CMD_BLOCKING | CMD_MOVABLE_KEYS,
     .first_key = 0, .last_key = 0, .key_step = 0, .group = "sorted-set",
     .summary = "Remove and return members with scores in a sorted set or block until one is "
                   "available",
     .since = "7.0.0", .acl = "write sortedset slow blocking",
     .complexity = "O(K) + O(M*log(N)) where K is the number of provided keys, N being the "
                   "number of elements in the sorted set, and M being the number of elements "
                   "popped."},
    {.name = "zrandmember", .proc = cmd_zrandmember, .arity = -2,
     .flags = CMD_READONLY,
     .first_key = 1, .last_key = 1, .key_step = 1, .group = "sorted-set",
     .summary = "Get one or multiple random elements from a sorted set",
     .since = "6.2.0", .acl = "read sortedset slow",
     .complexity = "O(N) where N is the number of elements returned"},
    {.name = "zscan", .proc = cmd_zscan, .arity = -3,
     .flags = CMD_READONLY,
     .first_key = 1, .last_key = 1, .key_step = 1, .group = "sorted-set",
     .summary = "Incrementally iterate sorted sets elements and associated scores",
     .since = "2.8.0", .acl = "read sortedset slow",
     .complexity = "O(1) for every call. O(N) for a complete iteration, including enough "
                   "command calls for the cursor to return back to 0. N is the number of "
                   "elements inside the collection.."},
    {.name = NULL},
};
