/* mset.c - see mset.h.
 *
 * Invariants: an MSET_INTSET set holds at most max_intset members (as of
 * its last add) and only integers; an MSET_HT dict owns its keys, each a
 * blob1 (ds/blob.h) with the member's bytes; entry values are unused; the
 * handle of a dict set has its low bit set. */
#include "mset.h"

#include "alloc.h"
#include "blob.h"
#include "dict_fair.h"
#include "util.h"

#include <stdlib.h>

static void member_view(const void *key, const void **p, size_t *len)
{
    const char *m;
    blob_first(key, &m, len);
    *p = m;
}

static void blob_release(void *b)
{
    ds_free(b);
}

static const dict_type mset_dict_type = {member_view, blob_release, NULL, 0};

/* Redis caps intsets at 2^30 members whatever the config says. */
#define INTSET_HARD_MAX ((size_t)1 << 30)

static int as_int(const char *p, size_t len, long long *v)
{
    return len <= 20 && str_to_ll(p, len, v);
}

/* Handles: an intset pointer as is, a dict pointer with the low bit set. */
static int is_ht(const mset *s)
{
    return ((uintptr_t)s & 1) != 0;
}

static dict *D(const mset *s)
{
    return (dict *)((uintptr_t)s & ~(uintptr_t)1);
}

static intset *I(const mset *s)
{
    return (intset *)s;
}

static mset *of_dict(dict *d)
{
    return (mset *)((uintptr_t)d | 1);
}

static mset *of_intset(intset *is)
{
    return (mset *)is;
}

mset *mset_new_intset(void)
{
    return of_intset(intset_new());
}

mset *mset_new_ht(void)
{
    return of_dict(dict_new(&mset_dict_type));
}

mset *mset_new_for(const char *p, size_t len)
{
    long long v;
    return as_int(p, len, &v) ? mset_new_intset() : mset_new_ht();
}

void mset_free(mset *s)
{
    if (!s)
        return;
    if (is_ht(s))
        dict_free(D(s));
    else
        intset_free(I(s));
}

mset *mset_dup(const mset *s)
{
    if (!is_ht(s))
        return of_intset(intset_dup(I(s)));
    dict *d = dict_new(&mset_dict_type);
    dict_iter it;
    dict_entry *e;
    dict_iter_init(&it, D(s), 0);
    while ((e = dict_iter_next(&it))) {
        const char *m;
        size_t len;
        blob_first(e->key, &m, &len);
        dict_add(d, blob1_new(m, len), NULL);
    }
    dict_iter_done(&it);
    return of_dict(d);
}

size_t mset_len(const mset *s)
{
    return is_ht(s) ? dict_size(D(s)) : intset_len(I(s));
}

size_t mset_mem(const mset *s)
{
    if (!is_ht(s))
        return intset_mem(I(s));
    size_t n = dict_mem(D(s));
    dict_iter it;
    dict_entry *e;
    dict_iter_init(&it, D(s), 0);
    while ((e = dict_iter_next(&it)))
        n += ds_alloc_size(e->key);
    dict_iter_done(&it);
    return n;
}

int mset_enc(const mset *s)
{
    return is_ht(s) ? MSET_HT : MSET_INTSET;
}

const char *mset_encoding(const mset *s)
{
    return is_ht(s) ? "hashtable" : "intset";
}

mset *mset_convert(mset *s)
{
    if (is_ht(s))
        return s;
    intset *is = I(s);
    dict *d = dict_new(&mset_dict_type);
    size_t n = intset_len(is);
    for (size_t i = 0; i < n; i++) {
        char buf[24];
        int len = ll_to_str(buf, sizeof(buf), intset_get(is, i));
        dict_add(d, blob1_new(buf, (size_t)len), NULL);
    }
    intset_free(is);
    return of_dict(d);
}

mset *mset_add(mset *s, const char *p, size_t len, size_t max_intset, int *added)
{
    long long v;
    *added = 0;
    if (!is_ht(s)) {
        if (as_int(p, len, &v)) {
            intset *is = intset_add(I(s), v, added);
            if (max_intset > INTSET_HARD_MAX)
                max_intset = INTSET_HARD_MAX;
            if (*added && intset_len(is) > max_intset)
                return mset_convert(of_intset(is));
            return of_intset(is);
        }
        s = mset_convert(s);
    }
    if (dict_find(D(s), p, len))
        return s;
    dict_add(D(s), blob1_new(p, len), NULL);
    *added = 1;
    return s;
}

mset *mset_remove(mset *s, const char *p, size_t len, int *removed)
{
    long long v;
    *removed = 0;
    if (!is_ht(s)) {
        if (!as_int(p, len, &v))
            return s;
        return of_intset(intset_remove(I(s), v, removed));
    }
    if (dict_delete(D(s), p, len) == 0) {
        *removed = 1;
        dict_shrink_if_sparse(D(s));
    }
    return s;
}

int mset_has(const mset *s, const char *p, size_t len)
{
    long long v;
    if (!is_ht(s))
        return as_int(p, len, &v) && intset_find(I(s), v);
    return dict_find(D(s), p, len) != NULL;
}

static void int_elem(mset_elem *e, int64_t v)
{
    e->is_int = 1;
    e->v = v;
    e->len = (size_t)ll_to_str(e->buf, sizeof(e->buf), v);
    e->p = e->buf;
}

static void blob_elem(mset_elem *e, const void *key)
{
    e->is_int = 0;
    blob_first(key, &e->p, &e->len);
}

void mset_iter_init(mset_iter *it, const mset *s)
{
    it->s = s;
    it->i = 0;
    if (is_ht(s))
        dict_iter_init(&it->di, D(s), 0);
}

int mset_iter_next(mset_iter *it, mset_elem *e)
{
    if (!is_ht(it->s)) {
        const intset *is = I(it->s);
        if (it->i >= intset_len(is))
            return 0;
        int_elem(e, intset_get(is, it->i++));
        return 1;
    }
    dict_entry *de = dict_iter_next(&it->di);
    if (!de)
        return 0;
    blob_elem(e, de->key);
    return 1;
}

void mset_iter_done(mset_iter *it)
{
    if (is_ht(it->s))
        dict_iter_done(&it->di);
}

void mset_random(const mset *s, mset_elem *e)
{
    if (!is_ht(s)) {
        int_elem(e, intset_get(I(s), (size_t)random() % intset_len(I(s))));
        return;
    }
    blob_elem(e, dict_fair_random(D(s))->key);
}

typedef struct scan_ctx {
    mset_scan_fn *fn;
    void *priv;
} scan_ctx;

static void scan_entry(void *priv, dict_entry *de)
{
    scan_ctx *ctx = priv;
    const char *m;
    size_t len;
    blob_first(de->key, &m, &len);
    ctx->fn(ctx->priv, m, len);
}

size_t mset_scan(const mset *s, size_t cursor, mset_scan_fn *fn, void *priv)
{
    if (is_ht(s)) {
        scan_ctx ctx = {fn, priv};
        return dict_scan(D(s), cursor, scan_entry, &ctx);
    }
    mset_iter it;
    mset_elem e;
    mset_iter_init(&it, s);
    while (mset_iter_next(&it, &e))
        fn(priv, e.p, e.len);
    mset_iter_done(&it);
    return 0;
}
