/* cmd/types.c - see cmd/types.h. */
#include "types.h"

#include "../ds/alloc.h"
#include "../ds/glob.h"
#include "../ds/util.h"

#include <ctype.h>
#include <limits.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

hmap_limits types_hash_limits(void)
{
    hmap_limits l = {(size_t)srv.hash_max_listpack_entries, (size_t)srv.hash_max_listpack_value};
    return l;
}

size_t types_set_max_intset(void)
{
    return (size_t)srv.set_max_intset_entries;
}

zset_limits types_zset_limits(void)
{
    zset_limits l = {(size_t)srv.zset_max_listpack_entries, (size_t)srv.zset_max_listpack_value};
    return l;
}

int types_parse_range(client *c, const arg *a, long long min, long long max, long long *out,
                      const char *msg)
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
            reply_errorf(c, "value is out of range, value must between %lld and %lld", min, max);
        return -1;
    }
    *out = v;
    return 0;
}

int types_parse_positive(client *c, const arg *a, long long *out, const char *msg)
{
    return types_parse_range(c, a, 0, LONG_MAX, out,
                             msg ? msg : "value is out of range, must be positive");
}

int types_parse_cursor(client *c, const arg *a, size_t *cursor)
{
    char small[64];
    char *buf = a->len < sizeof(small) ? small : ds_malloc(a->len + 1);
    memcpy(buf, a->p, a->len);
    buf[a->len] = '\0';
    char *end;
    errno = 0;
    unsigned long v = strtoul(buf, &end, 10);
    int ok = !isspace((unsigned char)buf[0]) && end[0] == '\0' && errno != ERANGE;
    if (buf != small)
        ds_free(buf);
    if (!ok) {
        reply_error(c, "invalid cursor");
        return -1;
    }
    *cursor = v;
    return 0;
}

int types_parse_scan_opts(client *c, int first, int allow_type, scan_opts *o)
{
    o->count = 10;
    o->pat = o->type = NULL;
    for (int i = first; i < c->argc; i += 2) {
        int more = c->argc - i >= 2;
        const arg *a = &c->argv[i];
        if (arg_eq(a, "count") && more) {
            if (arg_ll(c, &c->argv[i + 1], &o->count, NULL) < 0)
                return -1;
            if (o->count < 1) {
                reply_syntax_error(c);
                return -1;
            }
        } else if (arg_eq(a, "match") && more) {
            const arg *p = &c->argv[i + 1];
            /* "*" matches everything: same as no pattern. */
            o->pat = (p->len == 1 && p->p[0] == '*') ? NULL : p;
        } else if (allow_type && arg_eq(a, "type") && more) {
            o->type = &c->argv[i + 1];
        } else {
            reply_syntax_error(c);
            return -1;
        }
    }
    return 0;
}

void scan_acc_init(scan_acc *a)
{
    memset(a, 0, sizeof(*a));
}

void scan_acc_add(scan_acc *a, const char *p, size_t len)
{
    if (a->n == a->ncap) {
        a->ncap = a->ncap ? a->ncap * 2 : 32;
        a->off = ds_realloc(a->off, a->ncap * sizeof(size_t));
        a->len = ds_realloc(a->len, a->ncap * sizeof(size_t));
    }
    if (a->used + len > a->cap) {
        while (a->used + len > a->cap)
            a->cap = a->cap ? a->cap * 2 : 512;
        a->buf = ds_realloc(a->buf, a->cap);
    }
    if (len)
        memcpy(a->buf + a->used, p, len);
    a->off[a->n] = a->used;
    a->len[a->n] = len;
    a->used += len;
    a->n++;
}

void scan_acc_add_ll(scan_acc *a, long long v)
{
    char buf[32];
    scan_acc_add(a, buf, (size_t)ll_to_str(buf, sizeof(buf), v));
}

void scan_acc_add_double(scan_acc *a, double d)
{
    char buf[64];
    scan_acc_add(a, buf, (size_t)double_to_str(buf, sizeof(buf), d));
}

void scan_acc_free(scan_acc *a)
{
    ds_free(a->buf);
    ds_free(a->off);
    ds_free(a->len);
    scan_acc_init(a);
}

size_t scan_acc_run(scan_acc *a, void *obj, size_t cursor, long long count, scan_step_fn *step)
{
    long long maxiter = count * 10;
    do {
        cursor = step(obj, cursor, a);
    } while (cursor && maxiter-- && (long long)a->n < count);
    return cursor;
}

static int keep(const scan_acc *a, size_t i, const scan_opts *o)
{
    return !o->pat || glob_match(o->pat->p, o->pat->len, a->buf + a->off[i], a->len[i], 0);
}

void scan_acc_reply(client *c, scan_acc *a, size_t cursor, const scan_opts *o, int pairs)
{
    char cur[32];
    int cl = ull_to_str(cur, sizeof(cur), cursor);
    size_t step = pairs ? 2 : 1, n = 0;
    for (size_t i = 0; i < a->n; i += step)
        n += keep(a, i, o) ? step : 0;
    reply_array(c, 2);
    reply_bulk(c, cur, (size_t)cl);
    reply_array(c, (long)n);
    for (size_t i = 0; i < a->n; i += step) {
        if (!keep(a, i, o))
            continue;
        for (size_t k = i; k < i + step && k < a->n; k++)
            reply_bulk(c, a->buf + a->off[k], a->len[k]);
    }
}
