/* hmap.c - see hmap.h.
 *
 * Invariants: a packed hash holds an even number of entries, strings
 * only, fields distinct; the handle of a dict hash has its low bit set.
 * A dict hash keys each entry by a blob2 (ds/blob.h) holding the field
 * and its value in one allocation; the dict sees the field as the key and
 * owns the blob; entry values are unused.  Replacing a value swaps the
 * entry's blob for a new one (same field, same hash). */
#include "hmap.h"

#include "alloc.h"
#include "blob.h"
#include "dict_fair.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static void field_view(const void *key, const void **p, size_t *len)
{
    const char *f;
    blob_first(key, &f, len);
    *p = f;
}

static void blob_release(void *b)
{
    ds_free(b);
}

static const dict_type hmap_dict_type = {field_view, blob_release, NULL, 0};

static void entry_view(const dict_entry *e, const char **f, size_t *flen, const char **v,
                       size_t *vlen)
{
    blob_first(e->key, f, flen);
    blob2_second(e->key, v, vlen);
}

/* Handles: a pack pointer as is, a dict pointer with the low bit set
 * (allocations are at least 8-byte aligned). */
static int is_ht(const hmap *h)
{
    return ((uintptr_t)h & 1) != 0;
}

static dict *D(const hmap *h)
{
    return (dict *)((uintptr_t)h & ~(uintptr_t)1);
}

static pack *P(const hmap *h)
{
    return (pack *)h;
}

static hmap *of_dict(dict *d)
{
    return (hmap *)((uintptr_t)d | 1);
}

static hmap *of_pack(pack *pk)
{
    return (hmap *)pk;
}

hmap *hmap_new(void)
{
    return of_pack(pack_new());
}

void hmap_free(hmap *h)
{
    if (!h)
        return;
    if (is_ht(h))
        dict_free(D(h));
    else
        pack_free(P(h));
}

hmap *hmap_dup(const hmap *h)
{
    if (!is_ht(h))
        return of_pack(pack_dup(P(h)));
    dict *d = dict_new(&hmap_dict_type);
    dict_iter it;
    dict_entry *e;
    dict_iter_init(&it, D(h), 0);
    while ((e = dict_iter_next(&it))) {
        size_t sz = blob2_size(e->key);
        void *copy = ds_malloc(sz);
        memcpy(copy, e->key, sz);
        dict_add(d, copy, NULL);
    }
    dict_iter_done(&it);
    return of_dict(d);
}

size_t hmap_len(const hmap *h)
{
    return is_ht(h) ? dict_size(D(h)) : pack_count(P(h)) / 2;
}

size_t hmap_mem(const hmap *h)
{
    if (!is_ht(h))
        return pack_mem(P(h));
    size_t n = dict_mem(D(h));
    dict_iter it;
    dict_entry *e;
    dict_iter_init(&it, D(h), 0);
    while ((e = dict_iter_next(&it)))
        n += ds_alloc_size(e->key);
    dict_iter_done(&it);
    return n;
}

int hmap_enc(const hmap *h)
{
    return is_ht(h) ? HMAP_HT : HMAP_PACK;
}

const char *hmap_encoding(const hmap *h)
{
    return is_ht(h) ? "hashtable" : "listpack";
}

int hmap_get(const hmap *h, const char *f, size_t flen, const char **v, size_t *vlen)
{
    if (!is_ht(h)) {
        const pack *pk = P(h);
        size_t pos = pack_find(pk, pack_first(pk), f, flen, 1);
        if (!pos)
            return -1;
        pack_get(pk, pack_next(pk, pos), v, vlen);
        return 0;
    }
    dict_entry *e = dict_find(D(h), f, flen);
    if (!e)
        return -1;
    blob2_second(e->key, v, vlen);
    return 0;
}

int hmap_exists(const hmap *h, const char *f, size_t flen)
{
    const char *v;
    size_t vlen;
    return hmap_get(h, f, flen, &v, &vlen) == 0;
}

hmap *hmap_convert(hmap *h)
{
    if (is_ht(h))
        return h;
    pack *pk = P(h);
    dict *d = dict_new(&hmap_dict_type);
    for (size_t pos = pack_first(pk); pos;) {
        const char *f, *v;
        size_t flen, vlen;
        pack_get(pk, pos, &f, &flen);
        pos = pack_next(pk, pos);
        pack_get(pk, pos, &v, &vlen);
        pos = pack_next(pk, pos);
        dict_add(d, blob2_new(f, flen, v, vlen), NULL);
    }
    pack_free(pk);
    return of_dict(d);
}

int hmap_pack_safe_to_add(const hmap *h, size_t add)
{
    return is_ht(h) || pack_safe_to_add(P(h), add);
}

static hmap *pack_set(hmap *h, const char *f, size_t flen, const char *v, size_t vlen,
                      const hmap_limits *lim, int *created)
{
    pack *pk = P(h);
    size_t pos = pack_find(pk, pack_first(pk), f, flen, 1);
    if (pos) {
        *created = 0;
        return of_pack(pack_replace(pk, pack_next(pk, pos), v, vlen));
    }
    pk = pack_append(pk, f, flen);
    pk = pack_append(pk, v, vlen);
    *created = 1;
    if (pack_count(pk) / 2 > lim->max_entries)
        return hmap_convert(of_pack(pk));
    return of_pack(pk);
}

hmap *hmap_set(hmap *h, const char *f, size_t flen, const char *v, size_t vlen,
               const hmap_limits *lim, int *created)
{
    if (!is_ht(h)) {
        if (flen <= lim->max_value && vlen <= lim->max_value && pack_safe_to_add(P(h), flen + vlen))
            return pack_set(h, f, flen, v, vlen, lim, created);
        h = hmap_convert(h);
    }
    dict_entry *e = dict_find(D(h), f, flen);
    if (e) {
        /* Same field bytes, same hash: the entry may take a new blob. */
        void *old = e->key;
        e->key = blob2_new(f, flen, v, vlen);
        ds_free(old);
        *created = 0;
        return h;
    }
    dict_add(D(h), blob2_new(f, flen, v, vlen), NULL);
    *created = 1;
    return h;
}

hmap *hmap_del(hmap *h, const char *f, size_t flen, int *deleted)
{
    *deleted = 0;
    if (!is_ht(h)) {
        pack *pk = P(h);
        size_t pos = pack_find(pk, pack_first(pk), f, flen, 1);
        if (!pos)
            return h;
        *deleted = 1;
        return of_pack(pack_delete(pk, pos, 2));
    }
    if (dict_delete(D(h), f, flen) == 0) {
        *deleted = 1;
        dict_shrink_if_sparse(D(h));
    }
    return h;
}

void hmap_iter_init(hmap_iter *it, const hmap *h)
{
    it->h = h;
    if (is_ht(h))
        dict_iter_init(&it->di, D(h), 0);
    else
        it->pos = pack_first(P(h));
}

int hmap_iter_next(hmap_iter *it, const char **f, size_t *flen, const char **v, size_t *vlen)
{
    if (!is_ht(it->h)) {
        const pack *pk = P(it->h);
        if (!it->pos)
            return 0;
        pack_get(pk, it->pos, f, flen);
        size_t vp = pack_next(pk, it->pos);
        pack_get(pk, vp, v, vlen);
        it->pos = pack_next(pk, vp);
        return 1;
    }
    dict_entry *e = dict_iter_next(&it->di);
    if (!e)
        return 0;
    entry_view(e, f, flen, v, vlen);
    return 1;
}

void hmap_iter_done(hmap_iter *it)
{
    if (is_ht(it->h))
        dict_iter_done(&it->di);
}

void hmap_random(const hmap *h, const char **f, size_t *flen, const char **v, size_t *vlen)
{
    if (!is_ht(h)) {
        const pack *pk = P(h);
        size_t pos = pack_seek(pk, (long)(2 * ((size_t)random() % hmap_len(h))));
        pack_get(pk, pos, f, flen);
        pack_get(pk, pack_next(pk, pos), v, vlen);
        return;
    }
    entry_view(dict_fair_random(D(h)), f, flen, v, vlen);
}

typedef struct scan_ctx {
    hmap_scan_fn *fn;
    void *priv;
} scan_ctx;

static void scan_entry(void *priv, dict_entry *e)
{
    scan_ctx *ctx = priv;
    const char *f, *v;
    size_t flen, vlen;
    entry_view(e, &f, &flen, &v, &vlen);
    ctx->fn(ctx->priv, f, flen, v, vlen);
}

size_t hmap_scan(const hmap *h, size_t cursor, hmap_scan_fn *fn, void *priv)
{
    if (is_ht(h)) {
        scan_ctx ctx = {fn, priv};
        return dict_scan(D(h), cursor, scan_entry, &ctx);
    }
    hmap_iter it;
    const char *f, *v;
    size_t flen, vlen;
    hmap_iter_init(&it, h);
    while (hmap_iter_next(&it, &f, &flen, &v, &vlen))
        fn(priv, f, flen, v, vlen);
    hmap_iter_done(&it);
    return 0;
}
