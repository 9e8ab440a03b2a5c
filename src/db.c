/* db.c - see db.h.
 *
 * Expiry: a key whose time has passed is deleted on access (lazy) and by
 * the cron's sampling pass (active), which, like Redis, samples 20 keys
 * with a TTL at a time and repeats while more than 25% of a sample had
 * expired, within a time budget.  Each deletion by expiry propagates a DEL
 * to the AOF and fires an "expired" notification. */
#include "db.h"

#include "blocked.h"
#include "ds/alloc.h"
#include "multi.h"
#include "server.h"

#include <stdlib.h>
#include <string.h>

static void obj_val_free(void *v)
{
    obj_free(v);
}

static void key_view(const void *key, const void **p, size_t *len)
{
    *p = key;
    *len = str_len((const str)key);
}

static void key_free(void *k)
{
    str_free(k);
}

static const dict_type keys_dt = {key_view, key_free, obj_val_free, 0};
static const dict_type expires_dt = {key_view, NULL, NULL, 0};

void db_init_all(int n)
{
    srv.dbs = ds_calloc(sizeof(db) * (size_t)n);
    srv.dbnum = n;
    srv.active_expire_enabled = 1; /* DEBUG SET-ACTIVE-EXPIRE 0 turns it off */
    for (int i = 0; i < n; i++) {
        srv.dbs[i].id = i;
        srv.dbs[i].keys = dict_new(&keys_dt);
        srv.dbs[i].expires = dict_new(&expires_dt);
        srv.dbs[i].watched = dict_new(&multi_watched_type);
        srv.dbs[i].blocking = dict_new(&dict_type_str);
    }
}

db *db_get(int id)
{
    if (id < 0 || id >= srv.dbnum)
        return NULL;
    return &srv.dbs[id];
}

long long db_get_expire(db *d, const char *k, size_t len)
{
    if (dict_size(d->expires) == 0)
        return -1;
    dict_entry *e = dict_find(d->expires, k, len);
    return e ? e->v.s64 : -1;
}

int db_key_expired(db *d, const char *k, size_t len)
{
    long long when = db_get_expire(d, k, len);
    if (when < 0)
        return 0;
    if (srv.loading)
        return 0;
    return server_now_ms() > when;
}

static void delete_expired(db *d, const char *k, size_t len)
{
    arg av[2] = {{"DEL", 3}, {k, len}};
    char *copy = ds_malloc(len + 1);
    memcpy(copy, k, len);
    av[1].p = copy;
    db_delete(d, copy, len);
    srv.stat_expiredkeys++;
    server_propagate(d->id, av, 2);
    notify_keyspace_event(NOTIFY_EXPIRED, "expired", copy, len, d->id);
    signal_modified_key(NULL, d, copy, len);
    ds_free(copy);
}

/* Returns 1 if the key was expired (and, outside of EXEC or loading, deleted). */
static int expire_if_needed(db *d, const char *k, size_t len)
{
    if (!db_key_expired(d, k, len))
        return 0;
    delete_expired(d, k, len);
    return 1;
}

/* Under an LFU maxmemory-policy (allkeys-lfu = 3, volatile-lfu = 4 in
 * config.c's table) each access feeds OBJECT FREQ's counter like Redis's:
 * it first decays by one per idle minute (lfu-decay-time 1), then grows
 * with probability 1 / ((counter - 5) * lfu-log-factor + 1), factor 10. */
static void lfu_access(obj *o, uint32_t now)
{
    unsigned counter = o->freq & 0xff;
    uint32_t idle_min = now >= o->atime ? (now - o->atime) / 60 : 0;
    counter = idle_min >= counter ? 0 : counter - idle_min;
    if (counter < 255) {
        double base = counter > 5 ? (double)(counter - 5) : 0.0;
        if ((double)rand() / RAND_MAX < 1.0 / (base * 10 + 1))
            counter++;
    }
    o->freq = (uint16_t)counter;
}

obj *db_lookup(db *d, const char *k, size_t len, int flags)
{
    if (expire_if_needed(d, k, len))
        return NULL;
    dict_entry *e = dict_find(d->keys, k, len);
    if (!e)
        return NULL;
    obj *o = e->v.val;
    if (!(flags & LOOKUP_NOTOUCH)) {
        uint32_t now = obj_clock();
        if (srv.maxmemory_policy == 3 || srv.maxmemory_policy == 4)
            lfu_access(o, now);
        o->atime = now;
    }
    return o;
}

obj *db_lookup_read(client *c, const char *k, size_t len)
{
    obj *o = db_lookup(c->db, k, len,
                       (c->flags & CLIENT_NO_TOUCH) ? LOOKUP_NOTOUCH : LOOKUP_NONE);
    if (o)
        srv.stat_keyspace_hits++;
    else {
        srv.stat_keyspace_misses++;
        notify_keyspace_event(NOTIFY_KEY_MISS, "keymiss", k, len, c->db->id);
    }
    return o;
}

obj *db_lookup_write(client *c, const char *k, size_t len)
{
    return db_lookup(c->db, k, len, LOOKUP_WRITE);
}

void db_add(db *d, const char *k, size_t len, obj *o)
{
    str key = str_new(k, len);
    dict_entry *e = dict_add(d->keys, key, o);
    if (!e) { /* caller bug: treat as overwrite */
        str_free(key);
        db_overwrite(d, k, len, o);
        return;
    }
    if (o->type == OBJ_LIST || o->type == OBJ_ZSET || o->type == OBJ_STREAM)
        signal_key_ready(d, k, len);
    notify_keyspace_event(NOTIFY_NEW, "new", k, len, d->id);
}

/* A stream key that goes away or gets another value must wake the clients
 * blocked on it (XREADGROUP replies an error): Redis's
 * signalDeletedKeyAsReady.  Cheap when nobody blocks in d. */
static void signal_if_stream(db *d, const char *k, size_t len, const obj *old)
{
    if (old && old->type == OBJ_STREAM && dict_size(d->blocking))
        signal_key_ready(d, k, len);
}

void db_overwrite(db *d, const char *k, size_t len, obj *o)
{
    dict_entry *e = dict_find(d->keys, k, len);
    if (!e) {
        db_add(d, k, len, o);
        return;
    }
    obj *old = e->v.val;
    signal_if_stream(d, k, len, old);
    e->v.val = o;
    obj_free(old);
}

void db_set(db *d, const char *k, size_t len, obj *o, int keepttl)
{
    dict_entry *e = dict_find(d->keys, k, len);
    if (!e) {
        db_add(d, k, len, o);
        return;
    }
    if (!keepttl)
        db_remove_expire(d, k, len);
    obj *old = e->v.val;
    signal_if_stream(d, k, len, old);
    e->v.val = o;
    obj_free(old);
}

int db_delete(db *d, const char *k, size_t len)
{
    if (dict_size(d->blocking))
        signal_if_stream(d, k, len, dict_fetch(d->keys, k, len));
    if (dict_size(d->expires))
        dict_delete(d->expires, k, len);
    return dict_delete(d->keys, k, len) == 0;
}

obj *db_take(db *d, const char *k, size_t len)
{
    if (dict_size(d->expires))
        dict_delete(d->expires, k, len);
    dict_entry *e = dict_unlink(d->keys, k, len);
    if (!e)
        return NULL;
    obj *o = e->v.val;
    e->v.val = NULL;
    dict_free_entry(d->keys, e);
    signal_if_stream(d, k, len, o);
    return o;
}

void db_set_expire(db *d, const char *k, size_t len, long long when_ms)
{
    dict_entry *ke = dict_find(d->keys, k, len);
    if (!ke)
        return;
    int existed;
    dict_entry *e = dict_add_or_find(d->expires, ke->key, &existed);
    e->v.s64 = when_ms;
}

int db_remove_expire(db *d, const char *k, size_t len)
{
    if (dict_size(d->expires) == 0)
        return 0;
    return dict_delete(d->expires, k, len) == 0;
}

long long db_flush(db *d)
{
    long long n = (long long)dict_size(d->keys);
    dict_clear(d->expires);
    dict_clear(d->keys);
    d->avg_ttl = 0;
    d->expires_cursor = 0;
    return n;
}

void db_swap(int a, int b)
{
    db *x = &srv.dbs[a], *y = &srv.dbs[b];
    dict *k = x->keys, *e = x->expires;
    long long ttl = x->avg_ttl;
    x->keys = y->keys;
    x->expires = y->expires;
    x->avg_ttl = y->avg_ttl;
    y->keys = k;
    y->expires = e;
    y->avg_ttl = ttl;
    x->expires_cursor = y->expires_cursor = 0;
}

size_t db_size(db *d)
{
    return dict_size(d->keys);
}

long long db_total_keys(void)
{
    long long n = 0;
    for (int i = 0; i < srv.dbnum; i++)
        n += (long long)dict_size(srv.dbs[i].keys);
    return n;
}

typedef struct expire_scan {
    db *d;
    long long now;
    int sampled, expired;
    str keys[64];
    int nkeys;
    long long ttl_sum;
    int ttl_n;
} expire_scan;

static void expire_scan_cb(void *priv, dict_entry *e)
{
    expire_scan *s = priv;
    s->sampled++;
    if (e->v.s64 < s->now) {
        if (s->nkeys < 64)
            s->keys[s->nkeys++] = str_dup(e->key);
    } else {
        s->ttl_sum += e->v.s64 - s->now;
        s->ttl_n++;
    }
}

void db_active_expire(int budget_ms)
{
    if (!srv.active_expire_enabled || srv.loading)
        return;
    uint64_t start = el_mono_us();
    for (int i = 0; i < srv.dbnum; i++) {
        db *d = &srv.dbs[i];
        for (;;) {
            if (dict_size(d->expires) == 0)
                break;
            expire_scan s;
            memset(&s, 0, sizeof(s));
            s.d = d;
            s.now = server_now_ms();
            int visits = 0;
            do {
                d->expires_cursor = dict_scan(d->expires, d->expires_cursor, expire_scan_cb, &s);
                visits++;
            } while (s.sampled < 20 && d->expires_cursor != 0 && visits < 400);
            for (int k = 0; k < s.nkeys; k++) {
                if (db_key_expired(d, s.keys[k], str_len(s.keys[k])))
                    delete_expired(d, s.keys[k], str_len(s.keys[k]));
                str_free(s.keys[k]);
            }
            if (s.ttl_n) {
                long long avg = s.ttl_sum / s.ttl_n;
                d->avg_ttl = d->avg_ttl ? (d->avg_ttl / 50) * 49 + avg / 50 : avg;
            }
            if (s.sampled == 0 || s.nkeys * 4 <= s.sampled || d->expires_cursor == 0)
                break;
            if ((long long)(el_mono_us() - start) > budget_ms * 1000LL)
                return;
        }
    }
}

void signal_modified_key(client *c, db *d, const char *k, size_t len)
{
    (void)c;
    multi_touch_key(d, k, len);
}

void signal_flushed_db(int dbid)
{
    multi_touch_flushed(dbid);
}

void signal_key_ready(db *d, const char *k, size_t len)
{
    if (dict_size(d->blocking) == 0)
        return;
    blocked_key_queued(d, k, len);
}

/* ---- eviction (maxmemory-policy other than noeviction) ----
 *
 * Like Redis, sample maxmemory-samples keys and evict the best candidate
 * (oldest access for LRU, lowest counter for LFU, nearest expiry for
 * volatile-ttl, any for random), until used memory is back under the limit
 * or nothing evictable is left.  Returns 0 if under the limit afterwards. */
enum {
    POLICY_NOEVICTION = 0,
    POLICY_ALLKEYS_LRU,
    POLICY_VOLATILE_LRU,
    POLICY_ALLKEYS_LFU,
    POLICY_VOLATILE_LFU,
    POLICY_ALLKEYS_RANDOM,
    POLICY_VOLATILE_RANDOM,
    POLICY_VOLATILE_TTL
};

static int policy_volatile(int p)
{
    return p == POLICY_VOLATILE_LRU || p == POLICY_VOLATILE_LFU || p == POLICY_VOLATILE_RANDOM ||
           p == POLICY_VOLATILE_TTL;
}

/* Lower score = better candidate. */
static long long evict_score(int policy, db *d, dict_entry *ke, dict_entry *ee)
{
    obj *o = ke ? ke->v.val : NULL;
    switch (policy) {
    case POLICY_ALLKEYS_LRU:
    case POLICY_VOLATILE_LRU:
        return o ? (long long)o->atime : 0;
    case POLICY_ALLKEYS_LFU:
    case POLICY_VOLATILE_LFU:
        return o ? (long long)o->freq : 0;
    case POLICY_VOLATILE_TTL:
        return ee ? ee->v.s64 : 0;
    default:
        (void)d;
        return 0;
    }
}

static int evict_one(int policy)
{
    db *best_db = NULL;
    str best_key = NULL;
    long long best = 0;
    int samples = srv.maxmemory_samples > 0 ? srv.maxmemory_samples : 5;
    for (int i = 0; i < srv.dbnum; i++) {
        db *d = &srv.dbs[i];
        dict *from = policy_volatile(policy) ? d->expires : d->keys;
        if (dict_size(from) == 0)
            continue;
        int n = policy == POLICY_ALLKEYS_RANDOM || policy == POLICY_VOLATILE_RANDOM ? 1 : samples;
        for (int k = 0; k < n; k++) {
            dict_entry *e = dict_random(from);
            const str key = e->key;
            dict_entry *ke = from == d->keys ? e : dict_find(d->keys, key, str_len(key));
            dict_entry *ee = from == d->expires ? e : NULL;
            long long score = evict_score(policy, d, ke, ee);
            if (!best_key || score < best) {
                str_free(best_key);
                best_key = str_dup(key);
                best_db = d;
                best = score;
            }
        }
    }
    if (!best_key)
        return -1;
    size_t len = str_len(best_key);
    arg av[2] = {{"DEL", 3}, {best_key, len}};
    db_delete(best_db, best_key, len);
    srv.stat_evictedkeys++;
    server_propagate(best_db->id, av, 2);
    signal_modified_key(NULL, best_db, best_key, len);
    notify_keyspace_event(NOTIFY_EVICTED, "evicted", best_key, len, best_db->id);
    str_free(best_key);
    return 0;
}

int db_evict_to_fit(void)
{
    if (srv.maxmemory <= 0 || (long long)ds_used_memory() <= srv.maxmemory)
        return 0;
    if (srv.maxmemory_policy == POLICY_NOEVICTION || srv.loading)
        return -1;
    while ((long long)ds_used_memory() > srv.maxmemory) {
        if (evict_one(srv.maxmemory_policy) < 0)
            return -1;
    }
    return 0;
}
