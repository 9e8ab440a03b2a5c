/* hmap.c - see hmap.h.
 *
 * Invariants: a packed hash holds an even number of entries, strings only,
 * fields distinct; a dict hash owns its field and value strs. */
#include "hmap.h"

#include "alloc.h"
#include "dict_fair.h"
#include "str.h"

#include <stdlib.h>
#include <string.h>

static void str_view(const void *key, const void **p, size_t *len)
{
    *p = key;
    *len = str_len((const str)key);
}

static void str_release(void *s)
{
    str_free(s);
}

static const dict_type hmap_dict_type = {str_view, str_release, str_release, 0};

hmap *hmap_new(void)
{
    hmap *h = ds_malloc(sizeof(*h));
    h->enc = HMAP_PACK;
    h->u.pk = pack_new();
    return h;
}

void hmap_free(hmap *h)
{
    if (!h)
        return;
    if (h->enc == HMAP_PACK)
        pack_free(h->u.pk);
    else
        dict_free(h->u.d);
    ds_free(h);
}

hmap *hmap_dup(const hmap *h)
{
    hmap *n = ds_malloc(sizeof(*n));
    n->enc = h->enc;
    if (h->enc == HMAP_PACK) {
        n->u.pk = pack_dup(h->u.pk);
        return n;
    }
    n->u.d = dict_new(&hmap_dict_type);
    dict_iter it;
    dict_entry *e;
    dict_iter_init(&it, h->u.d, 0);
    while ((e = dict_iter_next(&it)))
        dict_add(n->u.d, str_dup(e->key), str_dup(e->v.val));
    dict_iter_done(&it);
    return n;
}

size_t hmap_len(const hmap *h)
{
    return h->enc == HMAP_PACK ? pack_count(h->u.pk) / 2 : dict_size(h->u.d);
}

size_t hmap_mem(const hmap *h)
{
    size_t n = sizeof(*h);
    if (h->enc == HMAP_PACK)
        return n + pack_mem(h->u.pk);
    n += dict_mem(h->u.d);
    dict_iter it;
    dict_entry *e;
    dict_iter_init(&it, h->u.d, 0);
    while ((e = dict_iter_next(&it)))
        n += str_alloc_size(e->key) + str_alloc_size(e->v.val);
    dict_iter_done(&it);
    return n;
}

const char *hmap_encoding(const hmap *h)
{
    return h->enc == HMAP_PACK ? "listpack" : "hashtable";
}

int hmap_get(hmap *h, const char *f, size_t flen, const char **v, size_t *vlen)
{
    if (h->enc == HMAP_PACK) {
        pack *pk = h->u.pk;
        size_t pos = pack_find(pk, pack_first(pk), f, flen, 1);
        if (!pos)
            return -1;
        pack_get(pk, pack_next(pk, pos), v, vlen);
        return 0;
    }
    dict_entry *e = dict_find(h->u.d, f, flen);
    if (!e)
        return -1;
    *v = e->v.val;
    *vlen = str_len(e->v.val);
    return 0;
}

int hmap_exists(hmap *h, const char *f, size_t flen)
{
    const char *v;
    size_t vlen;
    return hmap_get(h, f, flen, &v, &vlen) == 0;
}

void hmap_convert(hmap *h)
{
    if (h->enc != HMAP_PACK)
        return;
    pack *pk = h->u.pk;
    dict *d = dict_new(&hmap_dict_type);
    for (size_t pos = pack_first(pk); pos;) {
        const char *f, *v;
        size_t flen, vlen;
        pack_get(pk, pos, &f, &flen);
        pos = pack_next(pk, pos);
        pack_get(pk, pos, &v, &vlen);
        pos = pack_next(pk, pos);
        dict_add(d, str_new(f, flen), str_new(v, vlen));
    }
    pack_free(pk);
    h->enc = HMAP_HT;
    h->u.d = d;
}

int hmap_fits(const hmap *h, size_t len, const hmap_limits *lim)
{
    return len <= lim->max_value && pack_safe_to_add(h->u.pk, len);
}

int hmap_set(hmap *h, const char *f, size_t flen, const char *v, size_t vlen,
             const hmap_limits *lim)
{
    if (h->enc == HMAP_PACK && (flen > lim->max_value || vlen > lim->max_value))
        hmap_convert(h);
    if (h->enc == HMAP_PACK) {
        pack *pk = h->u.pk;
        size_t pos = pack_find(pk, pack_first(pk), f, flen, 1);
        if (pos) {
            h->u.pk = pack_replace(pk, pack_next(pk, pos), v, vlen);
            return 0;
        }
        if (!pack_safe_to_add(pk, flen + vlen)) {
            hmap_convert(h);
        } else {
            pk = pack_append(pk, f, flen);
            h->u.pk = pack_append(pk, v, vlen);
            if (hmap_len(h) > lim->max_entries)
                hmap_convert(h);
            return 1;
        }
    }
    dict_entry *e = dict_find(h->u.d, f, flen);
    if (e) {
        str_free(e->v.val);
        e->v.val = str_new(v, vlen);
        return 0;
    }
    dict_add(h->u.d, str_new(f, flen), str_new(v, vlen));
    return 1;
}

int hmap_del(hmap *h, const char *f, size_t flen)
{
    if (h->enc == HMAP_PACK) {
        pack *pk = h->u.pk;
        size_t pos = pack_find(pk, pack_first(pk), f, flen, 1);
        if (!pos)
            return 0;
        h->u.pk = pack_delete(pk, pos, 2);
        return 1;
    }
    if (dict_delete(h->u.d, f, flen) < 0)
        return 0;
    dict_shrink_if_sparse(h->u.d);
    return 1;
}

void hmap_iter_init(hmap_iter *it, hmap *h)
{
    it->h = h;
    if (h->enc == HMAP_PACK)
        it->pos = pack_first(h->u.pk);
    else
        dict_iter_init(&it->di, h->u.d, 0);
}

int hmap_iter_next(hmap_iter *it, const char **f, size_t *flen, const char **v, size_t *vlen)
{
    hmap *h = it->h;
    if (h->enc == HMAP_PACK) {
        pack *pk = h->u.pk;
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
    *f = e->key;
    *flen = str_len(e->key);
    *v = e->v.val;
    *vlen = str_len(e->v.val);
    return 1;
}

void hmap_iter_done(hmap_iter *it)
{
    if (it->h->enc == HMAP_HT)
        dict_iter_done(&it->di);
}

size_t hmap_pack_pos(const hmap *h, size_t i)
{
    return pack_seek(h->u.pk, (long)(2 * i));
}

void hmap_random(hmap *h, const char **f, size_t *flen, const char **v, size_t *vlen)
{
    if (h->enc == HMAP_PACK) {
        pack *pk = h->u.pk;
        size_t pos = hmap_pack_pos(h, (size_t)random() % hmap_len(h));
        pack_get(pk, pos, f, flen);
        pack_get(pk, pack_next(pk, pos), v, vlen);
        return;
    }
    dict_entry *e = dict_fair_random(h->u.d);
    *f = e->key;
    *flen = str_len(e->key);
    *v = e->v.val;
    *vlen = str_len(e->v.val);
}
