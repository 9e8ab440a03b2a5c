/* mset.c - see mset.h.
 *
 * Invariants: an MSET_INTSET set holds at most max_intset members (as of
 * its last add) and only integers; an MSET_HT dict owns its member strs. */
#include "mset.h"

#include "alloc.h"
#include "dict_fair.h"
#include "str.h"
#include "util.h"

#include <stdlib.h>

static void str_view(const void *key, const void **p, size_t *len)
{
    *p = key;
    *len = str_len((const str)key);
}

static void str_release(void *s)
{
    str_free(s);
}

static const dict_type mset_dict_type = {str_view, str_release, NULL, 0};

/* Redis caps intsets at 2^30 members whatever the config says. */
#define INTSET_HARD_MAX ((size_t)1 << 30)

static int as_int(const char *p, size_t len, long long *v)
{
    return len <= 20 && str_to_ll(p, len, v);
}

mset *mset_new_intset(void)
{
    mset *s = ds_malloc(sizeof(*s));
    s->enc = MSET_INTSET;
    s->u.is = intset_new();
    return s;
}

mset *mset_new_ht(void)
{
    mset *s = ds_malloc(sizeof(*s));
    s->enc = MSET_HT;
    s->u.d = dict_new(&mset_dict_type);
    return s;
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
    if (s->enc == MSET_INTSET)
        intset_free(s->u.is);
    else
        dict_free(s->u.d);
    ds_free(s);
}

mset *mset_dup(const mset *s)
{
    if (s->enc == MSET_INTSET) {
        mset *n = ds_malloc(sizeof(*n));
        n->enc = MSET_INTSET;
        n->u.is = intset_dup(s->u.is);
        return n;
    }
    mset *n = mset_new_ht();
    dict_iter it;
    dict_entry *e;
    dict_iter_init(&it, s->u.d, 0);
    while ((e = dict_iter_next(&it)))
        dict_add(n->u.d, str_dup(e->key), NULL);
    dict_iter_done(&it);
    return n;
}

size_t mset_len(const mset *s)
{
    return s->enc == MSET_INTSET ? intset_len(s->u.is) : dict_size(s->u.d);
}

size_t mset_mem(const mset *s)
{
    size_t n = sizeof(*s);
    if (s->enc == MSET_INTSET)
        return n + intset_mem(s->u.is);
    n += dict_mem(s->u.d);
    dict_iter it;
    dict_entry *e;
    dict_iter_init(&it, s->u.d, 0);
    while ((e = dict_iter_next(&it)))
        n += str_alloc_size(e->key);
    dict_iter_done(&it);
    return n;
}

const char *mset_encoding(const mset *s)
{
    return s->enc == MSET_INTSET ? "intset" : "hashtable";
}

void mset_convert(mset *s)
{
    if (s->enc != MSET_INTSET)
        return;
    intset *is = s->u.is;
    dict *d = dict_new(&mset_dict_type);
    size_t n = intset_len(is);
    for (size_t i = 0; i < n; i++)
        dict_add(d, str_from_ll(intset_get(is, i)), NULL);
    intset_free(is);
    s->enc = MSET_HT;
    s->u.d = d;
}

int mset_add(mset *s, const char *p, size_t len, size_t max_intset)
{
    long long v;
    if (s->enc == MSET_INTSET) {
        if (as_int(p, len, &v)) {
            int added;
            s->u.is = intset_add(s->u.is, v, &added);
            if (!added)
                return 0;
            if (max_intset > INTSET_HARD_MAX)
                max_intset = INTSET_HARD_MAX;
            if (intset_len(s->u.is) > max_intset)
                mset_convert(s);
            return 1;
        }
        mset_convert(s);
    }
    if (dict_find(s->u.d, p, len))
        return 0;
    dict_add(s->u.d, str_new(p, len), NULL);
    return 1;
}

int mset_remove(mset *s, const char *p, size_t len)
{
    long long v;
    if (s->enc == MSET_INTSET) {
        int removed = 0;
        if (as_int(p, len, &v))
            s->u.is = intset_remove(s->u.is, v, &removed);
        return removed;
    }
    if (dict_delete(s->u.d, p, len) < 0)
        return 0;
    dict_shrink_if_sparse(s->u.d);
    return 1;
}

int mset_has(mset *s, const char *p, size_t len)
{
    long long v;
    if (s->enc == MSET_INTSET)
        return as_int(p, len, &v) && intset_find(s->u.is, v);
    return dict_find(s->u.d, p, len) != NULL;
}

static void int_elem(mset_elem *e, int64_t v)
{
    e->is_int = 1;
    e->v = v;
    e->len = (size_t)ll_to_str(e->buf, sizeof(e->buf), v);
    e->p = e->buf;
}

static void str_elem(mset_elem *e, const str s)
{
    e->is_int = 0;
    e->p = s;
    e->len = str_len(s);
}

void mset_iter_init(mset_iter *it, mset *s)
{
    it->s = s;
    it->i = 0;
    if (s->enc == MSET_HT)
        dict_iter_init(&it->di, s->u.d, 0);
}

int mset_iter_next(mset_iter *it, mset_elem *e)
{
    mset *s = it->s;
    if (s->enc == MSET_INTSET) {
        if (it->i >= intset_len(s->u.is))
            return 0;
        int_elem(e, intset_get(s->u.is, it->i++));
        return 1;
    }
    dict_entry *de = dict_iter_next(&it->di);
    if (!de)
        return 0;
    str_elem(e, de->key);
    return 1;
}

void mset_iter_done(mset_iter *it)
{
    if (it->s->enc == MSET_HT)
        dict_iter_done(&it->di);
}

void mset_random(mset *s, mset_elem *e)
{
    if (s->enc == MSET_INTSET) {
        int_elem(e, intset_get(s->u.is, (size_t)random() % intset_len(s->u.is)));
        return;
    }
    str_elem(e, dict_fair_random(s->u.d)->key);
}
