/* cmd/sort.c - SORT and SORT_RO over lists, sets and sorted sets.
 *
 * SORT key [BY pattern] [LIMIT offset count] [GET pattern ...] [ASC|DESC]
 *      [ALPHA] [STORE destination]
 *
 * The command runs in four steps:
 *   1. parse the options (syntax errors before the key is looked up);
 *   2. load the elements to sort into a vector (copies in one arena, so no
 *      view into the keyspace outlives a lookup); with BY <constant>
 *      ("nosort") lists and sorted sets keep their own order and only the
 *      LIMIT window is loaded;
 *   3. fill in each item's sort weight: a double (default) or a string
 *      (ALPHA with BY), from the element itself or the key the BY pattern
 *      names, and sort;
 *   4. reply the window (or the GET patterns' values for it), or store it
 *      as a list under the STORE key (deleting that key when empty).
 *
 * Patterns: "#" is the element itself; otherwise the first '*' is replaced
 * by the element to form a key, and a "->field" after the '*' reads that
 * hash field.  A pattern without '*' names no key (GET yields nil).
 * Invariant: arena offsets, not pointers, are kept while the arena grows;
 * pointers are only formed once loading is over. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../ds/alloc.h"
#include "../ds/qlist.h"
#include "types.h"

typedef struct sort_item {
    size_t off, len; /* the element, NUL-terminated in the arena */
    size_t cmp_off, cmp_len;
    int has_cmp; /* ALPHA + BY: a weight string was found */
    double score;
} sort_item;

/* What the comparator needs (qsort has no context argument). */
static struct {
    const char *base;
    int desc, alpha, bypattern, store;
} sctx;

typedef struct arena {
    char *buf;
    size_t used, cap;
} arena;

static size_t arena_add(arena *a, const char *p, size_t len)
{
    size_t off = a->used;
    if (a->cap - a->used < len + 1) {
        size_t need = a->used + len + 1;
        a->cap = a->cap * 2 > need ? a->cap * 2 : need;
        a->buf = ds_realloc(a->buf, a->cap);
    }
    if (len)
        memcpy(a->buf + off, p, len);
    a->buf[off + len] = '\0';
    a->used += len + 1;
    return off;
}

/* Binary comparison (Redis's compareStringObjects). */
static int bin_cmp(const char *a, size_t alen, const char *b, size_t blen)
{
    size_t min = alen < blen ? alen : blen;
    int r = min ? memcmp(a, b, min) : 0;
    if (r)
        return r;
    return alen < blen ? -1 : (alen > blen ? 1 : 0);
}

static int sort_compare(const void *x, const void *y)
{
    const sort_item *a = x, *b = y;
    const char *base = sctx.base;
    int cmp;
    if (!sctx.alpha) {
        if (a->score > b->score)
            cmp = 1;
        else if (a->score < b->score)
            cmp = -1;
        else
            cmp = bin_cmp(base + a->off, a->len, base + b->off, b->len);
    } else if (sctx.bypattern) {
        if (!a->has_cmp || !b->has_cmp)
            cmp = a->has_cmp == b->has_cmp ? 0 : (a->has_cmp ? 1 : -1);
        else if (sctx.store)
            cmp = bin_cmp(base + a->cmp_off, a->cmp_len, base + b->cmp_off, b->cmp_len);
        else
            cmp = strcoll(base + a->cmp_off, base + b->cmp_off);
    } else if (sctx.store) {
        cmp = bin_cmp(base + a->off, a->len, base + b->off, b->len);
    } else {
        cmp = strcoll(base + a->off, base + b->off);
    }
    return sctx.desc ? -cmp : cmp;
}

/* Resolve pattern pat for element e: 1 and a borrowed view of the value,
 * or 0 when the pattern names nothing (no '*', missing key or field,
 * wrong type).  *scratch holds the built key name between calls. */
static int lookup_pattern(client *c, const arg *pat, const char *e, size_t elen, str *scratch,
                          const char **v, size_t *vlen)
{
    if (pat->len == 1 && pat->p[0] == '#') {
        *v = e;
        *vlen = elen;
        return 1;
    }
    const char *star = memchr(pat->p, '*', pat->len);
    if (!star)
        return 0;
    const char *end = pat->p + pat->len;
    const char *field = NULL;
    size_t flen = 0;
    const char *arrow = memmem(star + 1, (size_t)(end - star - 1), "->", 2);
    if (arrow && arrow + 2 < end) {
        field = arrow + 2;
        flen = (size_t)(end - field);
    }
    size_t prefix = (size_t)(star - pat->p);
    size_t postfix = pat->len - prefix - 1 - (field ? flen + 2 : 0);
    str_set_len(*scratch, 0);
    *scratch = str_cat(*scratch, pat->p, prefix);
    *scratch = str_cat(*scratch, e, elen);
    *scratch = str_cat(*scratch, star + 1, postfix);
    obj *o = db_lookup_read(c, *scratch, str_len(*scratch));
    if (!o)
        return 0;
    if (field) {
        if (o->type != OBJ_HASH)
            return 0;
        return hmap_get(o->ptr, field, flen, v, vlen) == 0;
    }
    if (o->type != OBJ_STRING)
        return 0;
    *v = o->ptr;
    *vlen = str_len(o->ptr);
    return 1;
}

typedef struct sort_opts {
    int desc, alpha, dontsort;
    long long limit_start, limit_count;
    const arg *by;
    const arg *store;
    int *gets; /* argv indexes of GET patterns */
    int ngets;
} sort_opts;

/* Parse argv[2..]: 0 ok, -1 replied. */
static int parse_opts(client *c, int readonly, sort_opts *o)
{
    for (int j = 2; j < c->argc; j++) {
        int left = c->argc - j - 1;
        const arg *a = &c->argv[j];
        if (arg_eq(a, "asc")) {
            o->desc = 0;
        } else if (arg_eq(a, "desc")) {
            o->desc = 1;
        } else if (arg_eq(a, "alpha")) {
            o->alpha = 1;
        } else if (arg_eq(a, "limit") && left >= 2) {
            if (arg_ll(c, &c->argv[j + 1], &o->limit_start, NULL) < 0 ||
                arg_ll(c, &c->argv[j + 2], &o->limit_count, NULL) < 0)
                return -1;
            j += 2;
        } else if (!readonly && arg_eq(a, "store") && left >= 1) {
            o->store = &c->argv[++j];
        } else if (arg_eq(a, "by") && left >= 1) {
            o->by = &c->argv[++j];
            o->dontsort = memchr(o->by->p, '*', o->by->len) == NULL;
        } else if (arg_eq(a, "get") && left >= 1) {
            o->gets[o->ngets++] = ++j;
        } else {
            reply_error(c, ERR_SYNTAX);
            return -1;
        }
    }
    return 0;
}

/* The window [*start, *end] of a vector of n elements, Redis's clamping. */
static void limit_window(const sort_opts *o, long long n, long long *start, long long *end)
{
    long long s = o->limit_start < 0 ? 0 : o->limit_start;
    long long cnt = o->limit_count < -1 ? -1 : o->limit_count;
    if (s > n)
        s = n;
    if (cnt > n)
        cnt = n;
    long long e = cnt < 0 ? n - 1 : s + cnt - 1;
    if (s >= n) {
        s = n - 1;
        e = n - 2;
    }
    if (e >= n)
        e = n - 1;
    *start = s;
    *end = e;
}

typedef struct sort_vec {
    sort_item *v;
    size_t n;
    arena ar;
} sort_vec;

static void vec_add(sort_vec *sv, const char *p, size_t len)
{
    sort_item *it = &sv->v[sv->n++];
    memset(it, 0, sizeof(*it));
    it->off = arena_add(&sv->ar, p, len);
    it->len = len;
}

/* Load `want` elements of a list from `start` (nosort window), or all. */
static void load_list(sort_vec *sv, qlist *ql, long long start, int desc, size_t want)
{
    qlist_iter it;
    qlist_elem e;
    long idx = desc ? (long)qlist_len(ql) - (long)start - 1 : (long)start;
    qlist_iter_init(&it, ql, idx, !desc);
    while (sv->n < want && qlist_iter_next(&it, &e))
        vec_add(sv, e.p, e.len);
}

static void load_set(sort_vec *sv, const mset *s)
{
    mset_iter it;
    mset_elem e;
    mset_iter_init(&it, s);
    while (mset_iter_next(&it, &e))
        vec_add(sv, e.p, e.len);
    mset_iter_done(&it);
}

static void load_zset(sort_vec *sv, const zset *z, long long start, int desc, size_t want)
{
    zset_iter it;
    zset_elem e;
    zset_iter_rank(&it, z, (size_t)start, desc);
    while (sv->n < want && zset_iter_next(&it, &e))
        vec_add(sv, e.p, e.len);
}

/* Step 3: weights.  Returns 1 if some weight is not a valid double. */
static int load_weights(client *c, sort_vec *sv, const sort_opts *o, str *scratch)
{
    int bad = 0;
    char *tmp = NULL;
    size_t tmpcap = 0;
    for (size_t j = 0; j < sv->n; j++) {
        sort_item *it = &sv->v[j];
        const char *v;
        size_t vlen;
        if (o->by) {
            if (!lookup_pattern(c, o->by, sv->ar.buf + it->off, it->len, scratch, &v, &vlen))
                continue;
        } else {
            v = sv->ar.buf + it->off;
            vlen = it->len;
        }
        if (o->alpha) {
            if (o->by) {
                it->cmp_off = arena_add(&sv->ar, v, vlen);
                it->cmp_len = vlen;
                it->has_cmp = 1;
            }
            continue;
        }
        if (vlen + 1 > tmpcap) {
            tmpcap = vlen + 1;
            tmp = ds_realloc(tmp, tmpcap);
        }
        memcpy(tmp, v, vlen);
        tmp[vlen] = '\0';
        char *eptr;
        errno = 0;
        it->score = strtod(tmp, &eptr);
        if (*eptr != '\0' || errno == ERANGE || isnan(it->score))
            bad = 1;
    }
    ds_free(tmp);
    return bad;
}

static void reply_window(client *c, sort_vec *sv, const sort_opts *o, long long start,
                         long long end, str *scratch)
{
    long long span = end - start + 1;
    reply_array(c, o->ngets ? o->ngets * span : span);
    for (long long j = start; j <= end; j++) {
        const char *e = sv->ar.buf + sv->v[j].off;
        size_t elen = sv->v[j].len;
        if (!o->ngets)
            reply_bulk(c, e, elen);
        for (int g = 0; g < o->ngets; g++) {
            const char *v;
            size_t vlen;
            if (lookup_pattern(c, &c->argv[o->gets[g]], e, elen, scratch, &v, &vlen))
                reply_bulk(c, v, vlen);
            else
                reply_null(c);
        }
    }
}

static void store_window(client *c, sort_vec *sv, const sort_opts *o, long long start,
                         long long end, str *scratch)
{
    long long span = end - start + 1;
    long long outlen = o->ngets ? o->ngets * span : span;
    const arg *dst = o->store;
    if (outlen == 0) {
        if (db_delete(c->db, dst->p, dst->len)) {
            signal_modified_key(c, c->db, dst->p, dst->len);
            notify_keyspace_event(NOTIFY_GENERIC, "del", dst->p, dst->len, c->db->id);
            srv.dirty++;
        }
        reply_ll(c, 0);
        return;
    }
    qlist *ql = qlist_new(srv.list_max_listpack_size);
    qlist_set_packed_threshold(ql, srv.list_packed_threshold);
    for (long long j = start; j <= end; j++) {
        const char *e = sv->ar.buf + sv->v[j].off;
        size_t elen = sv->v[j].len;
        if (!o->ngets)
            qlist_push(ql, QL_TAIL, e, elen);
        for (int g = 0; g < o->ngets; g++) {
            const char *v = "";
            size_t vlen = 0;
            if (!lookup_pattern(c, &c->argv[o->gets[g]], e, elen, scratch, &v, &vlen)) {
                v = "";
                vlen = 0;
            }
            qlist_push(ql, QL_TAIL, v, vlen);
        }
    }
    /* db_set adds (waking clients blocked on dst) or replaces, and drops
     * any TTL, like Redis's setKey. */
    db_set(c->db, dst->p, dst->len, obj_new(OBJ_LIST, ql), 0);
    signal_modified_key(c, c->db, dst->p, dst->len);
    notify_keyspace_event(NOTIFY_LIST, "sortstore", dst->p, dst->len, c->db->id);
    srv.dirty += outlen;
    reply_ll(c, outlen);
}

/* Step 2: the vector for o (may narrow the window start..end to what it loaded). */
static void load_vector(obj *val, sort_opts *o, sort_vec *sv, long long *start, long long *end)
{
    long long n = 0;
    if (val)
        n = val->type == OBJ_LIST  ? (long long)qlist_len(val->ptr)
            : val->type == OBJ_SET ? (long long)mset_len(val->ptr)
                                   : (long long)zset_len(val->ptr);
    limit_window(o, n, start, end);
    int ordered = val && (val->type == OBJ_LIST || val->type == OBJ_ZSET);
    long long vlen = n;
    if (ordered && o->dontsort && (*start != 0 || *end != n - 1))
        vlen = *end - *start + 1;
    sv->v = ds_malloc(sizeof(sort_item) * (size_t)(vlen > 0 ? vlen : 1));
    if (!val || vlen <= 0)
        return;
    if (ordered && o->dontsort) {
        if (val->type == OBJ_LIST)
            load_list(sv, val->ptr, *start, o->desc, (size_t)vlen);
        else
            load_zset(sv, val->ptr, *start, o->desc, (size_t)vlen);
        *end -= *start;
        *start = 0;
    } else if (val->type == OBJ_LIST) {
        load_list(sv, val->ptr, 0, 0, (size_t)vlen);
    } else if (val->type == OBJ_SET) {
        load_set(sv, val->ptr);
    } else {
        load_zset(sv, val->ptr, 0, 0, (size_t)vlen);
    }
}

static void sort_generic(client *c, int readonly)
{
    int gets_stack[16];
    sort_opts o = {.limit_count = -1, .gets = gets_stack};
    if (c->argc > 16)
        o.gets = ds_malloc(sizeof(int) * (size_t)c->argc);
    sort_vec sv = {0};
    str scratch = NULL;
    if (parse_opts(c, readonly, &o) < 0)
        goto out;

    obj *val = db_lookup_read(c, c->argv[1].p, c->argv[1].len);
    if (val && val->type != OBJ_SET && val->type != OBJ_LIST && val->type != OBJ_ZSET) {
        reply_error(c, ERR_WRONGTYPE);
        goto out;
    }
    /* An unordered set gives no stable order: sort it when the result is
     * stored or seen by a script (replicated effects must agree). */
    if (o.dontsort && val && val->type == OBJ_SET && (o.store || (c->flags & CLIENT_SCRIPT))) {
        o.dontsort = 0;
        o.alpha = 1;
        o.by = NULL;
    }
    /* Redis converts a sorted set to a skiplist for SORT (OBJECT ENCODING
     * shows it afterwards). */
    if (val && val->type == OBJ_ZSET)
        val->ptr = zset_convert(val->ptr, ZSET_SKIPLIST);

    long long start, end;
    scratch = str_empty_cap(64);
    load_vector(val, &o, &sv, &start, &end);

    if (!o.dontsort) {
        if (load_weights(c, &sv, &o, &scratch)) {
            reply_error(c, "One or more scores can't be converted into double");
            goto out;
        }
        sctx.base = sv.ar.buf;
        sctx.desc = o.desc;
        sctx.alpha = o.alpha;
        sctx.bypattern = o.by != NULL;
        sctx.store = o.store != NULL;
        if (sv.n > 1)
            qsort(sv.v, sv.n, sizeof(sort_item), sort_compare);
    }
    if (o.store)
        store_window(c, &sv, &o, start, end, &scratch);
    else
        reply_window(c, &sv, &o, start, end, &scratch);
out:
    if (o.gets != gets_stack)
        ds_free(o.gets);
    if (scratch)
        str_free(scratch);
    ds_free(sv.v);
    ds_free(sv.ar.buf);
}

static void cmd_sort(client *c)
{
    sort_generic(c, 0);
}

static void cmd_sort_ro(client *c)
{
    sort_generic(c, 1);
}

/* Redis's sortGetKeys for COMMAND GETKEYS: the sorted key, then the
 * destination of the last STORE (skipping LIMIT, GET and BY arguments).
 * Fills pos[] (room for 2) with argv indexes; returns the count. */
int sort_getkeys(const arg *argv, int argc, int *pos)
{
    int n = 1, store = 0;
    pos[0] = 1;
    if (argc < 1 || !arg_eq(&argv[0], "sort"))
        return argc > 1 ? 1 : 0;
    for (int i = 2; i < argc; i++) {
        if (arg_eq(&argv[i], "limit")) {
            i += 2;
        } else if (arg_eq(&argv[i], "get") || arg_eq(&argv[i], "by")) {
            i += 1;
        } else if (arg_eq(&argv[i], "store") && i + 1 < argc) {
            store = 1;
            pos[n] = i + 1;
        }
    }
    return n + store;
}

/* clang-format off */
command cmd_sort_table[] = {
    {.name = "sort", .proc = cmd_sort, .arity = -2,
     .flags = CMD_WRITE | CMD_DENYOOM | CMD_MOVABLE_KEYS,
     .first_key = 1, .last_key = 1, .key_step = 1, .group = "generic",
     .summary = "Sort the elements in a list, set or sorted set",
     .since = "1.0.0", .acl = "write set sortedset list slow dangerous",
     .complexity = "O(N+M*log(M)) where N is the number of elements in the list or set to "
                   "sort, and M the number of returned elements. When the elements are not "
                   "sorted, complexity is O(N)."},
    {.name = "sort_ro", .proc = cmd_sort_ro, .arity = -2,
     .flags = CMD_READONLY | CMD_MOVABLE_KEYS,
     .first_key = 1, .last_key = 1, .key_step = 1, .group = "generic",
     .summary = "Sort the elements in a list, set or sorted set. Read-only variant of SORT.",
     .since = "7.0.0", .acl = "read set sortedset list slow dangerous",
     .complexity = "O(N+M*log(M)) where N is the number of elements in the list or set to "
                   "sort, and M the number of returned elements. When the elements are not "
                   "sorted, complexity is O(N)."},
    {0},
};
/* clang-format on */
