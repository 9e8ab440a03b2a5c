/* db.h - the keyspace: numbered databases of key -> obj, expiry times, and
 * the hooks that other layers need when keys change (WATCH, blocked
 * clients, keyspace notifications).
 *
 * Lookups take the key as (pointer, length) straight from argv.  Expired
 * keys are deleted lazily on lookup and actively by db_active_expire()
 * from the cron.  The `expires` dict shares key strings with `keys`: a key
 * is always removed from `expires` before it is freed from `keys`. */
#ifndef SLUICE_DB_H
#define SLUICE_DB_H
#include <stddef.h>

#include "ds/dict.h"
#include "obj.h"

struct client;

typedef struct db {
    int id;
    dict *keys;      /* str -> obj* */
    dict *expires;   /* str (shared) -> s64 ms */
    dict *watched;   /* str -> watch list (multi.c) */
    dict *blocking;  /* str -> blocked client queue (blocked.c) */
    long long avg_ttl;
    size_t expires_cursor;
} db;

#define LOOKUP_NONE 0
#define LOOKUP_NOTOUCH (1 << 0)
#define LOOKUP_NONOTIFY (1 << 1)
#define LOOKUP_WRITE (1 << 2)

void db_init_all(int n);
db *db_get(int id);
obj *db_lookup(db *d, const char *k, size_t len, int flags);
obj *db_lookup_read(struct client *c, const char *k, size_t len);
obj *db_lookup_write(struct client *c, const char *k, size_t len);
/* Add a key that does not exist; takes ownership of o. */
void db_add(db *d, const char *k, size_t len, obj *o);
/* Replace a key's value (it must exist); frees the old value; keeps TTL. */
void db_overwrite(db *d, const char *k, size_t len, obj *o);
/* Set a key whether or not it exists; clears TTL unless keepttl. */
void db_set(db *d, const char *k, size_t len, obj *o, int keepttl);
int db_delete(db *d, const char *k, size_t len); /* 1 deleted, 0 missing */
/* Unlink the value without freeing it (RENAME/MOVE). */
obj *db_take(db *d, const char *k, size_t len);
long long db_get_expire(db *d, const char *k, size_t len); /* -1 none */
void db_set_expire(db *d, const char *k, size_t len, long long when_ms);
int db_remove_expire(db *d, const char *k, size_t len);
int db_key_expired(db *d, const char *k, size_t len);
long long db_flush(db *d);
void db_swap(int a, int b);
size_t db_size(db *d);
void db_active_expire(int budget_ms);
/* Evict keys per maxmemory-policy until under maxmemory; -1 if impossible. */
int db_evict_to_fit(void);
long long db_total_keys(void);

/* Hooks called when keys change. */
void signal_modified_key(struct client *c, db *d, const char *k, size_t len);
void signal_flushed_db(int dbid); /* -1 = all */
void signal_key_ready(db *d, const char *k, size_t len);

#endif
