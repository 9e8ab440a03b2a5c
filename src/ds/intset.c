/* intset.c - see intset.h.
 *
 * Invariants: values are strictly increasing; width is 2, 4 or 8 and is
 * never reduced (like Redis: removing the only wide value keeps the width). */
#include "intset.h"

#include "alloc.h"

#include <string.h>

struct intset {
    uint32_t width;
    uint32_t len;
    unsigned char v[];
};

static size_t width_for(int64_t v)
{
    if (v >= INT16_MIN && v <= INT16_MAX)
        return 2;
    if (v >= INT32_MIN && v <= INT32_MAX)
        return 4;
    return 8;
}

static int64_t get_w(const intset *is, size_t i, size_t w)
{
    const unsigned char *p = is->v + i * w;
    if (w == 2) {
        int16_t x;
        memcpy(&x, p, 2);
        return x;
    }
    if (w == 4) {
        int32_t x;
        memcpy(&x, p, 4);
        return x;
    }
    int64_t x;
    memcpy(&x, p, 8);
    return x;
}

static void set_w(intset *is, size_t i, size_t w, int64_t v)
{
    unsigned char *p = is->v + i * w;
    if (w == 2) {
        int16_t x = (int16_t)v;
        memcpy(p, &x, 2);
    } else if (w == 4) {
        int32_t x = (int32_t)v;
        memcpy(p, &x, 4);
    } else {
        memcpy(p, &v, 8);
    }
}

intset *intset_new(void)
{
    intset *is = ds_malloc(sizeof(*is));
    is->width = 2;
    is->len = 0;
    return is;
}

void intset_free(intset *is)
{
    ds_free(is);
}

intset *intset_dup(const intset *is)
{
    size_t n = sizeof(*is) + (size_t)is->len * is->width;
    intset *d = ds_malloc(n);
    memcpy(d, is, n);
    return d;
}

size_t intset_len(const intset *is)
{
    return is->len;
}

size_t intset_mem(const intset *is)
{
    return ds_alloc_size((void *)is);
}

int64_t intset_get(const intset *is, size_t i)
{
    return get_w(is, i, is->width);
}

/* Binary search: 1 and *at = index if found, else 0 and *at = insertion
 * point. */
static int search(const intset *is, int64_t v, size_t *at)
{
    size_t lo = 0, hi = is->len;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int64_t x = get_w(is, mid, is->width);
        if (x == v) {
            *at = mid;
            return 1;
        }
        if (x < v)
            lo = mid + 1;
        else
            hi = mid;
    }
    *at = lo;
    return 0;
}

int intset_find(const intset *is, int64_t v)
{
    size_t at;
    return width_for(v) <= is->width && search(is, v, &at);
}

static intset *resize(intset *is, size_t len, size_t w)
{
    return ds_realloc(is, sizeof(*is) + len * w);
}

/* Widen to w and add v, which is out of the old range: it goes first
 * (negative) or last (positive). */
static intset *widen_add(intset *is, int64_t v, size_t w)
{
    size_t old = is->width, n = is->len;
    int first = v < 0;
    is = resize(is, n + 1, w);
    is->width = (uint32_t)w;
    for (size_t i = n; i-- > 0;)
        set_w(is, i + (size_t)first, w, get_w(is, i, old));
    set_w(is, first ? 0 : n, w, v);
    is->len = (uint32_t)(n + 1);
    return is;
}

intset *intset_add(intset *is, int64_t v, int *added)
{
    size_t w = width_for(v), at;
    *added = 0;
    if (w > is->width) {
        *added = 1;
        return widen_add(is, v, w);
    }
    if (search(is, v, &at))
        return is;
    w = is->width;
    is = resize(is, is->len + 1, w);
    memmove(is->v + (at + 1) * w, is->v + at * w, (is->len - at) * w);
    set_w(is, at, w, v);
    is->len++;
    *added = 1;
    return is;
}

intset *intset_remove(intset *is, int64_t v, int *removed)
{
    size_t at, w = is->width;
    *removed = 0;
    if (width_for(v) > w || !search(is, v, &at))
        return is;
    memmove(is->v + at * w, is->v + (at + 1) * w, (is->len - at - 1) * w);
    is->len--;
    *removed = 1;
    return resize(is, is->len, w);
}
