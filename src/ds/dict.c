/* dict.c - see dict.h for the model.
 *
 * Invariants: while rehash_idx >= 0, buckets [0, rehash_idx) of table[0] are
 * empty and new entries go to table[1]; otherwise table[1] is NULL.  A table
 * size is 0 or a power of two.  Rehashing is paused while any safe iterator
 * is live, so it can delete the entry it just returned. */
#include "dict.h"

#include "alloc.h"
#include "str.h"
#include "util.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define DICT_MIN 4

static void str_key_view(const void *key, const void **p, size_t *len)
{
    *p = key;
    *len = str_len((const str)key);
}

static void str_key_free(void *key)
{
    str_free(key);
}

static void ptr_key_view(const void *key, const void **p, size_t *len)
{
    (void)key;
    *p = NULL;
    *len = 0;
}

const dict_type dict_type_str = {str_key_view, str_key_free, NULL, 0};
const dict_type dict_type_str_nocase = {str_key_view, str_key_free, NULL, 1};
const dict_type dict_type_ptr = {ptr_key_view, NULL, NULL, 0};

uint64_t dict_hash_key(const dict *d, const void *p, size_t len)
{
    if (d->type == &dict_type_ptr) {
        uint64_t x = (uint64_t)(uintptr_t)p;
        x ^= x >> 33;
        x *= 0xff51afd7ed558ccdULL;
        x ^= x >> 33;
        return x;
    }
    return d->type->nocase ? hash_bytes_nocase(p, len) : hash_bytes(p, len);
}

/* Pointer-identity dicts pass the pointer itself as k with klen 0. */
static int key_matches(const dict *d, const dict_entry *e, const void *k, size_t klen)
{
    if (d->type == &dict_type_ptr)
        return e->key == k;
    const void *p;
    size_t len;
    d->type->key_view(e->key, &p, &len);
    if (len != klen)
        return 0;
    if (!d->type->nocase)
        return memcmp(p, k, len) == 0;
    return strncasecmp(p, k, len) == 0;
}

static uint64_t entry_key_hash(const dict *d, const void *key)
{
    if (d->type == &dict_type_ptr)
        return dict_hash_key(d, key, 0);
    const void *p;
    size_t len;
    d->type->key_view(key, &p, &len);
    return dict_hash_key(d, p, len);
}

dict *dict_new(const dict_type *t)
{
    dict *d = ds_calloc(sizeof(*d));
    d->type = t;
    d->rehash_idx = -1;
    return d;
}

static void free_entry_contents(dict *d, dict_entry *e)
{
    if (d->type->key_free)
        d->type->key_free(e->key);
    if (d->type->val_free && e->v.val)
        d->type->val_free(e->v.val);
}

static void clear_table(dict *d, int t)
{
    for (size_t i = 0; i < d->size[t]; i++) {
        dict_entry *e = d->table[t][i];
        while (e) {
            dict_entry *next = e->next;
            free_entry_contents(d, e);
            ds_free(e);
            e = next;
        }
    }
    ds_free(d->table[t]);
    d->table[t] = NULL;
    d->size[t] = d->used[t] = 0;
}

void dict_clear(dict *d)
{
    clear_table(d, 0);
    clear_table(d, 1);
    d->rehash_idx = -1;
}

void dict_free(dict *d)
{
    if (!d)
        return;
    dict_clear(d);
    ds_free(d);
}

static int rehashing(const dict *d)
{
    return d->rehash_idx >= 0;
}

/* Move up to n non-empty buckets; returns 1 if more work remains. */
int dict_rehash_steps(dict *d, int n)
{
    int empty_visits = n * 10;
    if (!rehashing(d) || d->pause_rehash)
        return rehashing(d);
    while (n-- && d->used[0]) {
        while (!d->table[0][d->rehash_idx]) {
            d->rehash_idx++;
            if (--empty_visits == 0)
                return 1;
        }
        dict_entry *e = d->table[0][d->rehash_idx];
        while (e) {
            dict_entry *next = e->next;
            size_t i = e->hash & (d->size[1] - 1);
            e->next = d->table[1][i];
            d->table[1][i] = e;
            d->used[0]--;
            d->used[1]++;
            e = next;
        }
        d->table[0][d->rehash_idx++] = NULL;
    }
    if (d->used[0] == 0) {
        ds_free(d->table[0]);
        d->table[0] = d->table[1];
        d->size[0] = d->size[1];
        d->used[0] = d->used[1];
        d->table[1] = NULL;
        d->size[1] = d->used[1] = 0;
        d->rehash_idx = -1;
        return 0;
    }
    return 1;
}

void dict_rehash_ms(dict *d, int ms)
{
    struct timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    while (dict_rehash_steps(d, 100)) {
        clock_gettime(CLOCK_MONOTONIC, &b);
        long el = (b.tv_sec - a.tv_sec) * 1000 + (b.tv_nsec - a.tv_nsec) / 1000000;
        if (el >= ms)
            break;
    }
}

static void start_resize(dict *d, size_t want)
{
    size_t sz = DICT_MIN;
    while (sz < want)
        sz <<= 1;
    if (d->size[0] == 0) {
        d->table[0] = ds_calloc(sz * sizeof(dict_entry *));
        d->size[0] = sz;
        return;
    }
    if (sz == d->size[0])
        return;
    d->table[1] = ds_calloc(sz * sizeof(dict_entry *));
    d->size[1] = sz;
    d->rehash_idx = 0;
}

static void expand_if_needed(dict *d)
{
    if (rehashing(d))
        return;
    if (d->size[0] == 0) {
        start_resize(d, DICT_MIN);
        return;
    }
    /* Grow at load factor 1 normally, but past 5 even while paused. */
    if (d->used[0] >= d->size[0] && (!d->pause_rehash || d->used[0] >= 5 * d->size[0]))
        start_resize(d, d->used[0] + 1);
}

void dict_shrink_if_sparse(dict *d)
{
    if (rehashing(d) || d->pause_rehash || d->size[0] <= DICT_MIN)
        return;
    if (d->used[0] * 10 < d->size[0])
        start_resize(d, d->used[0] < DICT_MIN ? DICT_MIN : d->used[0]);
}

static void step(dict *d)
{
    if (rehashing(d) && !d->pause_rehash)
        dict_rehash_steps(d, 1);
}

static dict_entry *find_h(dict *d, const void *k, size_t klen, uint64_t h)
{
    if (dict_size(d) == 0)
        return NULL;
    for (int t = 0; t <= 1; t++) {
        if (!d->size[t])
            continue;
        dict_entry *e = d->table[t][h & (d->size[t] - 1)];
        for (; e; e = e->next)
            if (e->hash == h && key_matches(d, e, k, klen))
                return e;
        if (!rehashing(d))
            break;
    }
    return NULL;
}

dict_entry *dict_find(dict *d, const void *k, size_t klen)
{
    step(d);
    return find_h(d, k, klen, dict_hash_key(d, k, klen));
}

void *dict_fetch(dict *d, const void *k, size_t klen)
{
    dict_entry *e = dict_find(d, k, klen);
    return e ? e->v.val : NULL;
}

static dict_entry *insert(dict *d, void *key, uint64_t h)
{
    int t = rehashing(d) ? 1 : 0;
    size_t i = h & (d->size[t] - 1);
    dict_entry *e = ds_malloc(sizeof(*e));
    e->key = key;
    e->v.val = NULL;
    e->hash = h;
    e->next = d->table[t][i];
    d->table[t][i] = e;
    d->used[t]++;
    return e;
}

dict_entry *dict_add_or_find(dict *d, void *key, int *existed)
{
    step(d);
    uint64_t h = entry_key_hash(d, key);
    const void *p = key;
    size_t len = 0;
    if (d->type != &dict_type_ptr)
        d->type->key_view(key, &p, &len);
    dict_entry *e = find_h(d, p, len, h);
    if (e) {
        *existed = 1;
        return e;
    }
    *existed = 0;
    expand_if_needed(d);
    return insert(d, key, h);
}

dict_entry *dict_add(dict *d, void *key, void *val)
{
    int existed;
    dict_entry *e = dict_add_or_find(d, key, &existed);
    if (existed)
        return NULL;
    e->v.val = val;
    return e;
}

dict_entry *dict_unlink(dict *d, const void *k, size_t klen)
{
    if (dict_size(d) == 0)
        return NULL;
    step(d);
    uint64_t h = dict_hash_key(d, k, klen);
    for (int t = 0; t <= 1; t++) {
        if (!d->size[t])
            continue;
        dict_entry **pp = &d->table[t][h & (d->size[t] - 1)];
        for (; *pp; pp = &(*pp)->next) {
            dict_entry *e = *pp;
            if (e->hash == h && key_matches(d, e, k, klen)) {
                *pp = e->next;
                d->used[t]--;
                return e;
            }
        }
        if (!rehashing(d))
            break;
    }
    return NULL;
}

void dict_free_entry(dict *d, dict_entry *e)
{
    if (!e)
        return;
    free_entry_contents(d, e);
    ds_free(e);
}

int dict_delete(dict *d, const void *k, size_t klen)
{
    dict_entry *e = dict_unlink(d, k, klen);
    if (!e)
        return -1;
    dict_free_entry(d, e);
    return 0;
}

dict_entry *dict_random(dict *d)
{
    if (dict_size(d) == 0)
        return NULL;
    step(d);
    dict_entry *e = NULL;
    /* Pick a non-empty bucket at random, then an element of its chain. */
    while (!e) {
        if (rehashing(d)) {
            size_t span = d->size[0] + d->size[1] - (size_t)d->rehash_idx;
            size_t r = (size_t)d->rehash_idx + ((size_t)random() % span);
            e = r >= d->size[0] ? d->table[1][r - d->size[0]] : d->table[0][r];
        } else {
            e = d->table[0][(size_t)random() & (d->size[0] - 1)];
        }
    }
    size_t n = 0;
    for (dict_entry *x = e; x; x = x->next)
        n++;
    size_t pick = (size_t)random() % n;
    while (pick--)
        e = e->next;
    return e;
}

size_t dict_mem(const dict *d)
{
    return (d->size[0] + d->size[1]) * sizeof(dict_entry *) +
           dict_size(d) * sizeof(dict_entry) + sizeof(*d);
}

void dict_iter_init(dict_iter *it, dict *d, int safe)
{
    it->d = d;
    it->t = 0;
    it->idx = 0;
    it->e = NULL;
    it->next = NULL;
    it->safe = safe;
    if (safe)
        d->pause_rehash++;
}

dict_entry *dict_iter_next(dict_iter *it)
{
    dict *d = it->d;
    if (it->next) {
        it->e = it->next;
        it->next = it->e->next;
        return it->e;
    }
    for (;;) {
        if (it->idx >= d->size[it->t]) {
            if (it->t == 1 || !rehashing(d))
                return NULL;
            it->t = 1;
            it->idx = 0;
            continue;
        }
        dict_entry *e = d->table[it->t][it->idx++];
        if (e) {
            it->e = e;
            it->next = e->next;
            return e;
        }
    }
}

void dict_iter_done(dict_iter *it)
{
    if (it->safe && it->d) {
        it->d->pause_rehash--;
        it->safe = 0;
    }
}

static size_t rev(size_t v)
{
    size_t r = 0;
    for (size_t i = 0; i < sizeof(v) * 8; i++) {
        r = (r << 1) | (v & 1);
        v >>= 1;
    }
    return r;
}

static void scan_bucket(dict_entry *e, dict_scan_fn *fn, void *priv)
{
    while (e) {
        dict_entry *next = e->next;
        fn(priv, e);
        e = next;
    }
}

/* Reverse-binary cursor: increment the cursor's bits from the top so that a
 * bucket visited in a small table covers all its expansions in a larger
 * one.  Every element present for the whole scan is returned at least once
 * even if the table grows or shrinks between calls. */
size_t dict_scan(dict *d, size_t v, dict_scan_fn *fn, void *priv)
{
    if (dict_size(d) == 0)
        return 0;
    d->pause_rehash++;
    if (!rehashing(d)) {
        size_t m0 = d->size[0] - 1;
        scan_bucket(d->table[0][v & m0], fn, priv);
        v |= ~m0;
        v = rev(v);
        v++;
        v = rev(v);
    } else {
        int small = d->size[0] <= d->size[1] ? 0 : 1, big = 1 - small;
        size_t m0 = d->size[small] - 1, m1 = d->size[big] - 1;
        scan_bucket(d->table[small][v & m0], fn, priv);
        do {
            scan_bucket(d->table[big][v & m1], fn, priv);
            v |= ~m1;
            v = rev(v);
            v++;
            v = rev(v);
        } while (v & (m0 ^ m1));
    }
    d->pause_rehash--;
    return v;
}
