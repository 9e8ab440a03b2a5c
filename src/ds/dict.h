/* dict.h - chained hash table with incremental rehashing.
 *
 * Keys are looked up by their bytes (pointer + length), so a command can
 * find a key straight from its argv slice without building a string first.
 * The type says how to see a stored key as bytes and how to free keys and
 * values.  Each entry caches its hash: rehashing never rehashes a key, and a
 * lookup compares bytes only when the hashes agree.
 *
 * Growing moves one bucket per operation from the old table to the new one
 * (plus dict_rehash_ms from the server's cron), so no single command pays
 * for a whole resize.  Iterators and scans stay correct across a rehash. */
#ifndef DS_DICT_H
#define DS_DICT_H
#include <stddef.h>
#include <stdint.h>

typedef struct dict_entry {
    void *key;
    union {
        void *val;
        int64_t s64;
        double d;
    } v;
    struct dict_entry *next;
    uint64_t hash;
} dict_entry;

typedef struct dict_type {
    void (*key_view)(const void *key, const void **p, size_t *len);
    void (*key_free)(void *key);
    void (*val_free)(void *val);
    int nocase; /* compare and hash keys case-insensitively */
} dict_type;

typedef struct dict {
    const dict_type *type;
    dict_entry **table[2];
    size_t size[2]; /* power of two or 0 */
    size_t used[2];
    long rehash_idx; /* -1 when not rehashing */
    int pause_rehash;
} dict;

typedef struct dict_iter {
    dict *d;
    int t;
    size_t idx;
    dict_entry *e, *next;
    int safe;
} dict_iter;

typedef void dict_scan_fn(void *priv, dict_entry *e);

extern const dict_type dict_type_str;        /* str keys, no value free */
extern const dict_type dict_type_str_nocase; /* case-insensitive str keys */
extern const dict_type dict_type_ptr;        /* pointer identity keys */

dict *dict_new(const dict_type *t);
void dict_free(dict *d);
void dict_clear(dict *d);
static inline size_t dict_size(const dict *d)
{
    return d->used[0] + d->used[1];
}
dict_entry *dict_find(dict *d, const void *k, size_t klen);
void *dict_fetch(dict *d, const void *k, size_t klen);
/* Add key (owned) -> val; returns the new entry, or NULL if the key exists. */
dict_entry *dict_add(dict *d, void *key, void *val);
/* Find or add: returns the entry; *existed says which; key is consumed only
 * when a new entry is created (else the caller keeps it). */
dict_entry *dict_add_or_find(dict *d, void *key, int *existed);
int dict_delete(dict *d, const void *k, size_t klen); /* 0 deleted, -1 missing */
/* Remove without freeing; finish with dict_free_entry. */
dict_entry *dict_unlink(dict *d, const void *k, size_t klen);
void dict_free_entry(dict *d, dict_entry *e);
dict_entry *dict_random(dict *d);
void dict_rehash_ms(dict *d, int ms);
int dict_rehash_steps(dict *d, int n);
size_t dict_mem(const dict *d);
void dict_shrink_if_sparse(dict *d);

void dict_iter_init(dict_iter *it, dict *d, int safe);
dict_entry *dict_iter_next(dict_iter *it);
void dict_iter_done(dict_iter *it);

size_t dict_scan(dict *d, size_t cursor, dict_scan_fn *fn, void *priv);
uint64_t dict_hash_key(const dict *d, const void *p, size_t len);

#endif
