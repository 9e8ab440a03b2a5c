/* cmd/debug.c - diagnostics: DEBUG, MEMORY, SLOWLOG and LATENCY.
 *
 * DEBUG implements the subcommands Redis's test suite leans on (LOG before
 * every test, SLEEP, PROTOCOL, OBJECT, POPULATE, SET-ACTIVE-EXPIRE, ...).
 * RELOAD and LOADAOF are done by the persistence module (aof.h).  DIGEST
 * hashes with the SHA-1 that also names scripts (lua/sha1.h).
 *
 * The slow log itself is filled by server.c (srv.slowlog, newest first).
 * Latency events are kept here: latency_add_sample() records one sample
 * per second per event in a ring of 160, like Redis's latency monitor. */
#include "../server.h"

#include "../aof.h"
#include "../config.h"
#include "../ds/alloc.h"
#include "../ds/hmap.h"
#include "../ds/mset.h"
#include "../ds/qlist.h"
#include "../ds/stream.h"
#include "../ds/zset.h"
#include "../log.h"
#include "../lua/sha1.h"
#include "../script.h"

#include <arpa/inet.h>

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int mallctl(const char *name, void *oldp, size_t *oldlenp, void *newp, size_t newlen)
    __attribute__((weak));
void malloc_stats_print(void (*cb)(void *, const char *), void *ud, const char *opts)
    __attribute__((weak));

/* info.c */
void info_new_replid(void);
size_t info_rss(void);
void info_allocator(size_t *allocated, size_t *active, size_t *resident);
size_t info_clients_memory(void);
size_t info_db_overhead(void);

static void subcommand_error(client *c)
{
    char up[32];
    size_t i;
    for (i = 0; i < c->argv[0].len && i < sizeof(up) - 1; i++)
        up[i] = (char)((c->argv[0].p[i] >= 'a' && c->argv[0].p[i] <= 'z') ? c->argv[0].p[i] - 32
                                                                          : c->argv[0].p[i]);
    up[i] = '\0';
    reply_errorf(c, "unknown subcommand or wrong number of arguments for '%.*s'. Try %s HELP.",
                 (int)(c->argv[1].len > 128 ? 128 : c->argv[1].len), c->argv[1].p, up);
}

/* atoi() on a slice, as Redis does for its DEBUG flags. */
static int arg_atoi(const arg *a)
{
    char buf[32];
    size_t n = a->len < sizeof(buf) - 1 ? a->len : sizeof(buf) - 1;
    memcpy(buf, a->p, n);
    buf[n] = '\0';
    return atoi(buf);
}

/* ---- DEBUG ---- */

static void debug_help(client *c)
{
    static const char *lines[] = {
        "CHANGE-REPL-ID",
        "    Change the replication IDs of the instance.",
        "    Dangerous: should be used only for testing the replication subsystem.",
        "CONFIG-REWRITE-FORCE-ALL",
        "    Like CONFIG REWRITE but writes all configuration options, including",
        "    keywords not listed in original configuration file or default values.",
        "DIGEST",
        "    Output a hex signature representing the current DB content.",
        "DIGEST-VALUE <key> [<key> ...]",
        "    Output a hex signature of the values of all the specified keys.",
        "ERROR <string>",
        "    Return a Redis protocol error with <string> as message. Useful for clients",
        "    unit tests to simulate Redis errors.",
        "LOG <message>",
        "    Write <message> to the server log.",
        "LOADAOF",
        "    Flush the AOF buffers on disk and reload the AOF in memory.",
        "OBJECT <key>",
        "    Show low level info about `key` and associated value.",
        "POPULATE <count> [<prefix>] [<size>]",
        "    Create <count> string keys named key:<num>. If <prefix> is specified then",
        "    it is used instead of the 'key' prefix. These are not propagated to",
        "    replicas. Cluster slots are not respected so keys not belonging to the",
        "    current node can be created in cluster mode.",
        "PROTOCOL <type>",
        "    Reply with a test value of the specified type. <type> can be: string,",
        "    integer, double, bignum, null, array, set, map, attrib, push, verbatim,",
        "    true, false.",
        "RELOAD [option ...]",
        "    Save the dataset on disk and reload it back to memory.",
        "SET-ACTIVE-EXPIRE <0|1>",
        "    Setting it to 0 disables expiring keys in background when they are not",
        "    accessed (otherwise the Redis behavior). Setting it to 1 reenables back the",
        "    default.",
        "QUICKLIST-PACKED-THRESHOLD <size>",
        "    Sets the threshold for elements to be inserted as plain vs packed nodes",
        "    Default value is 1GB, allows values up to 4GB. Setting to 0 restores to default.",
        "SLEEP <seconds>",
        "    Stop the server for <seconds>. Decimals allowed.",
        NULL};
    reply_help(c, "debug", lines);
}

static void debug_protocol(client *c)
{
    const arg *t = &c->argv[2];
    if (arg_eq(t, "string")) {
        reply_bulk_c(c, "Hello World");
    } else if (arg_eq(t, "integer")) {
        reply_ll(c, 12345);
    } else if (arg_eq(t, "double")) {
        reply_double(c, 3.141);
    } else if (arg_eq(t, "bignum")) {
        static const char big[] = "1234567999999999999999999999999999999";
        if (c->resp < 3)
            reply_bulk(c, big, sizeof(big) - 1);
        else
            reply_raw(c, "(1234567999999999999999999999999999999\r\n", sizeof(big) + 2);
    } else if (arg_eq(t, "null")) {
        reply_null(c);
    } else if (arg_eq(t, "array") || arg_eq(t, "set")) {
        if (arg_eq(t, "array"))
            reply_array(c, 3);
        else
            reply_set(c, 3);
        for (int i = 0; i < 3; i++)
            reply_ll(c, i);
    } else if (arg_eq(t, "map")) {
        reply_map(c, 3);
        for (int i = 0; i < 3; i++) {
            reply_ll(c, i);
            reply_bool(c, i == 1);
        }
    } else if (arg_eq(t, "attrib")) {
        if (c->resp >= 3) {
            reply_raw(c, "|1\r\n", 4);
            reply_bulk_c(c, "key-popularity");
            reply_array(c, 2);
            reply_bulk_c(c, "key:123");
            reply_ll(c, 90);
        }
        reply_bulk_c(c, "Some real reply following the attribute");
    } else if (arg_eq(t, "push")) {
        if (c->resp < 3) {
            reply_error(c, "RESP2 is not supported by this command");
            return;
        }
        reply_push(c, 2);
        reply_bulk_c(c, "server-cpu-usage");
        reply_ll(c, 42);
        reply_bulk_c(c, "Some real reply following the push reply");
    } else if (arg_eq(t, "true")) {
        reply_bool(c, 1);
    } else if (arg_eq(t, "false")) {
        reply_bool(c, 0);
    } else if (arg_eq(t, "verbatim")) {
        reply_verbatim(c, "This is a verbatim\nstring", 25, "txt");
    } else {
        reply_error(c, "Wrong protocol type name. Please use one of the following: "
                       "string|integer|double|bignum|null|array|set|map|attrib|push|verbatim|"
                       "true|false");
    }
}

static void debug_sleep(client *c)
{
    char buf[64];
    size_t n = c->argv[2].len < sizeof(buf) - 1 ? c->argv[2].len : sizeof(buf) - 1;
    memcpy(buf, c->argv[2].p, n);
    buf[n] = '\0';
    double secs = strtod(buf, NULL);
    long long us = (long long)(secs * 1000000);
    if (us > 0) {
        struct timespec ts = {(time_t)(us / 1000000), (long)(us % 1000000) * 1000};
        while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
            ;
    }
    reply_ok(c);
}

static void debug_packed_threshold(client *c)
{
    char buf[64];
    int ok = 0;
    long long sz = -1;
    if (c->argv[2].len < sizeof(buf)) {
        memcpy(buf, c->argv[2].p, c->argv[2].len);
        buf[c->argv[2].len] = '\0';
        sz = config_parse_memory(buf, &ok);
    }
    if (!ok || sz < 0 || sz > (1LL << 32) - (1LL << 20)) {
        reply_error(c, "argument must be a memory value bigger than 1 and smaller than 4gb");
        return;
    }
    srv.list_packed_threshold = sz ? (size_t)sz : (size_t)1 << 30;
    reply_ok(c);
}

static void debug_object(client *c)
{
    obj *o = dict_fetch(c->db->keys, c->argv[2].p, c->argv[2].len);
    if (!o) {
        reply_error(c, ERR_NOKEY);
        return;
    }
    char line[256];
    uint32_t idle = obj_clock() - o->atime;
    snprintf(line, sizeof(line),
             "Value at:%p refcount:1 encoding:%s serializedlength:%zu lru:%u "
             "lru_seconds_idle:%u",
             (void *)o, obj_encoding(o), obj_mem(o), (unsigned)(o->atime & 0xffffff), idle);
    reply_status(c, line);
}

static void debug_populate(client *c)
{
    long long count, size = 0;
    if (arg_ll_range(c, &c->argv[2], 0, INT64_MAX, &count,
                     "value is out of range, must be "
                     "positive"))
        return;
    if (c->argc == 5 && arg_ll_range(c, &c->argv[4], 0, INT64_MAX, &size,
                                     "value is out of range, must be positive"))
        return;
    const char *prefix = "key";
    int plen = 3;
    if (c->argc >= 4) {
        prefix = c->argv[3].p;
        plen = (int)c->argv[3].len;
    }
    for (long long i = 0; i < count; i++) {
        char key[160], val[64];
        int kl = snprintf(key, sizeof(key), "%.*s:%lld", plen > 128 ? 128 : plen, prefix, i);
        if (db_lookup(c->db, key, (size_t)kl, LOOKUP_NOTOUCH | LOOKUP_NONOTIFY))
            continue;
        int vl = snprintf(val, sizeof(val), "value:%lld", i);
        obj *o;
        if (size == 0) {
            o = obj_new_string(val, (size_t)vl);
        } else {
            str s = str_grow_zero(str_empty_cap((size_t)size), (size_t)size);
            memcpy(s, val, (size_t)vl < (size_t)size ? (size_t)vl : (size_t)size);
            o = obj_new(OBJ_STRING, s);
        }
        db_add(c->db, key, (size_t)kl, o);
        signal_modified_key(c, c->db, key, (size_t)kl);
    }
    reply_ok(c);
}

static void debug_reload(client *c)
{
    int flush = 1, save = 1;
    for (int i = 2; i < c->argc; i++) {
        if (arg_eq(&c->argv[i], "merge"))
            continue;
        else if (arg_eq(&c->argv[i], "noflush"))
            flush = 0;
        else if (arg_eq(&c->argv[i], "nosave"))
            save = 0;
        else {
            reply_error(c, "DEBUG RELOAD only supports the MERGE, NOFLUSH and NOSAVE options.");
            return;
        }
    }
    if (aof_debug_reload(c, flush, save) == 0)
        reply_ok(c);
}

static void debug_loadaof(client *c)
{
    if (aof_debug_loadaof(c) == 0)
        reply_ok(c);
}

/* ---- DIGEST / DIGEST-VALUE ----
 * Redis's algorithm (debug.c), so the same dataset gives the same digest
 * in both servers: per key, the key and the value's elements are mixed
 * (order matters) or xor-ed (sets, hash fields, zset members: order does
 * not), then the keys' digests are xor-ed together, each database's id
 * mixed in first.  An empty dataset is all zeros. */

static void xor_digest(unsigned char *d, const void *p, size_t len)
{
    unsigned char h[20];
    sha1_ctx x;
    sha1_init(&x);
    sha1_update(&x, p, len);
    sha1_final(&x, h);
    for (int i = 0; i < 20; i++)
        d[i] ^= h[i];
}

/* d = SHA1(d xor SHA1(p)) */
static void mix_digest(unsigned char *d, const void *p, size_t len)
{
    sha1_ctx x;
    xor_digest(d, p, len);
    sha1_init(&x);
    sha1_update(&x, d, 20);
    sha1_final(&x, d);
}

static void value_digest(db *d, const char *key, size_t klen, const obj *o, unsigned char *dg)
{
    uint32_t aux = htonl(o->type);
    char buf[128];
    mix_digest(dg, &aux, sizeof(aux));
    if (o->type == OBJ_STRING) {
        mix_digest(dg, o->ptr, str_len((str)o->ptr));
    } else if (o->type == OBJ_LIST) {
        qlist_iter it;
        qlist_elem e;
        qlist_iter_init(&it, o->ptr, 0, 1);
        while (qlist_iter_next(&it, &e))
            mix_digest(dg, e.p, e.len);
    } else if (o->type == OBJ_SET) {
        mset_iter it;
        mset_elem e;
        mset_iter_init(&it, o->ptr);
        while (mset_iter_next(&it, &e))
            xor_digest(dg, e.p, e.len);
        mset_iter_done(&it);
    } else if (o->type == OBJ_ZSET) {
        zset_iter it;
        zset_elem e;
        zset_iter_rank(&it, o->ptr, 0, 0);
        while (zset_iter_next(&it, &e)) {
            unsigned char ed[20] = {0};
            mix_digest(ed, e.p, e.len);
            int n = snprintf(buf, sizeof(buf), "%.17g", e.score);
            mix_digest(ed, buf, (size_t)n);
            xor_digest(dg, ed, 20);
        }
    } else if (o->type == OBJ_HASH) {
        hmap_iter it;
        const char *f, *v;
        size_t fl, vl;
        hmap_iter_init(&it, o->ptr);
        while (hmap_iter_next(&it, &f, &fl, &v, &vl)) {
            unsigned char ed[20] = {0};
            mix_digest(ed, f, fl);
            mix_digest(ed, v, vl);
            xor_digest(dg, ed, 20);
        }
        hmap_iter_done(&it);
    } else if (o->type == OBJ_STREAM) {
        stream_iter it;
        stream_id id;
        uint64_t nf;
        stream_iter_init(&it, o->ptr, (stream_id){0, 0}, (stream_id){UINT64_MAX, UINT64_MAX}, 0);
        while (stream_iter_next(&it, &id, &nf)) {
            int n = snprintf(buf, sizeof(buf), "%llu.%llu", (unsigned long long)id.ms,
                             (unsigned long long)id.seq);
            mix_digest(dg, buf, (size_t)n);
            while (nf--) {
                const char *f, *v;
                size_t fl, vl;
                stream_iter_field(&it, &f, &fl, &v, &vl);
                mix_digest(dg, f, fl);
                mix_digest(dg, v, vl);
            }
        }
        stream_iter_done(&it);
    }
    if (db_get_expire(d, key, klen) != -1)
        xor_digest(dg, "!!expire!!", 10);
}

static void reply_digest(client *c, const unsigned char *dg)
{
    char hex[41];
    for (int i = 0; i < 20; i++)
        snprintf(hex + 2 * i, 3, "%02x", dg[i]);
    reply_status(c, hex);
}

static void debug_digest(client *c)
{
    unsigned char final[20] = {0};
    for (int j = 0; j < srv.dbnum; j++) {
        db *d = &srv.dbs[j];
        if (db_size(d) == 0)
            continue;
        uint32_t aux = htonl((uint32_t)j);
        mix_digest(final, &aux, sizeof(aux));
        dict_iter it;
        dict_entry *e;
        dict_iter_init(&it, d->keys, 0);
        while ((e = dict_iter_next(&it))) {
            unsigned char dg[20] = {0};
            str key = e->key;
            mix_digest(dg, key, str_len(key));
            value_digest(d, key, str_len(key), e->v.val, dg);
            xor_digest(final, dg, 20);
        }
        dict_iter_done(&it);
    }
    reply_digest(c, final);
}

/* Logically expired keys too: no lookup, no lazy expiry. */
static void debug_digest_value(client *c)
{
    reply_array(c, c->argc - 2);
    for (int j = 2; j < c->argc; j++) {
        unsigned char dg[20] = {0};
        dict_entry *e = dict_find(c->db->keys, c->argv[j].p, c->argv[j].len);
        if (e)
            value_digest(c->db, c->argv[j].p, c->argv[j].len, e->v.val, dg);
        reply_digest(c, dg);
    }
}

/* Written raw, like Redis: not an error reply for errorstats. */
static void debug_error(client *c)
{
    char *e = ds_malloc(c->argv[2].len + 3);
    e[0] = '-';
    for (size_t i = 0; i < c->argv[2].len; i++) {
        char ch = c->argv[2].p[i];
        e[i + 1] = (ch == '\r' || ch == '\n') ? ' ' : ch;
    }
    memcpy(e + c->argv[2].len + 1, "\r\n", 2);
    reply_raw(c, e, c->argv[2].len + 3);
    ds_free(e);
}

static void debug_config_rewrite(client *c)
{
    const char *err = "";
    if (config_rewrite(&err) < 0)
        reply_errorf(c, "CONFIG-REWRITE-FORCE-ALL failed: %s",
                     srv.config_file ? err : "The server is running without a config file");
    else
        reply_ok(c);
}

/* Subcommands that only set a flag Sluice does not use reply +OK. */
static int debug_accepted_noop(const arg *a)
{
    static const char *noop[] = {"set-skip-checksum-validation", "aof-flush-sleep", "pause-cron",
                                 "set-disable-deny-scripts", NULL};
    for (int i = 0; noop[i]; i++)
        if (arg_eq(a, noop[i]))
            return 1;
    return 0;
}

static void cmd_debug(client *c)
{
    const arg *sub = &c->argv[1];
    int argc = c->argc;
    if (argc == 2 && arg_eq(sub, "help"))
        debug_help(c);
    else if (argc == 3 && arg_eq(sub, "log")) {
        log_msg(LOG_WARNING, "DEBUG LOG: %.*s", (int)c->argv[2].len, c->argv[2].p);
        reply_ok(c);
    } else if (argc == 3 && arg_eq(sub, "sleep"))
        debug_sleep(c);
    else if (argc == 3 && arg_eq(sub, "set-active-expire")) {
        srv.active_expire_enabled = arg_atoi(&c->argv[2]);
        reply_ok(c);
    } else if (argc == 3 && arg_eq(sub, "set-disable-deny-scripts")) {
        script_disable_deny = arg_atoi(&c->argv[2]); /* script.h */
        reply_ok(c);
    } else if (argc == 3 && arg_eq(sub, "quicklist-packed-threshold"))
        debug_packed_threshold(c);
    else if (argc == 3 && arg_eq(sub, "protocol"))
        debug_protocol(c);
    else if (argc == 3 && arg_eq(sub, "object"))
        debug_object(c);
    else if (argc >= 3 && argc <= 5 && arg_eq(sub, "populate"))
        debug_populate(c);
    else if (argc == 2 && arg_eq(sub, "change-repl-id")) {
        log_msg(LOG_WARNING, "Changing replication IDs after receiving DEBUG change-repl-id");
        info_new_replid();
        reply_ok(c);
    } else if (arg_eq(sub, "reload"))
        debug_reload(c);
    else if (arg_eq(sub, "loadaof"))
        debug_loadaof(c);
    else if (argc == 2 && arg_eq(sub, "digest"))
        debug_digest(c);
    else if (argc >= 2 && arg_eq(sub, "digest-value"))
        debug_digest_value(c);
    else if (argc == 3 && arg_eq(sub, "error"))
        debug_error(c);
    else if (argc == 2 && arg_eq(sub, "config-rewrite-force-all"))
        debug_config_rewrite(c);
    else if (argc == 3 && arg_eq(sub, "leak"))
        reply_ok(c);
    else if (argc >= 3 && debug_accepted_noop(sub))
        reply_ok(c);
    else if (argc == 4 && arg_eq(sub, "replybuffer"))
        reply_ok(c);
    else
        subcommand_error(c);
}

/* ---- MEMORY ---- */

static void memory_usage(client *c)
{
    for (int i = 3; i < c->argc; i++) {
        long long samples;
        if (arg_eq(&c->argv[i], "samples") && i + 1 < c->argc) {
            if (arg_ll(c, &c->argv[i + 1], &samples, NULL))
                return;
            if (samples < 0) {
                reply_syntax_error(c);
                return;
            }
            i++;
        } else {
            reply_syntax_error(c);
            return;
        }
    }
    dict_entry *e = dict_find(c->db->keys, c->argv[2].p, c->argv[2].len);
    if (!e) {
        reply_null(c);
        return;
    }
    size_t usage = obj_mem(e->v.val) + str_alloc_size(e->key) + sizeof(dict_entry);
    reply_ll(c, (long long)usage);
}

static void map_ll(client *c, const char *k, long long v)
{
    reply_bulk_c(c, k);
    reply_ll(c, v);
}

static void map_double(client *c, const char *k, double v)
{
    reply_bulk_c(c, k);
    reply_double(c, v);
}

static double ratio(size_t a, size_t b)
{
    return b ? (double)a / (double)b : 0;
}

static void memory_stats(client *c)
{
    size_t used = ds_used_memory(), rss = info_rss(), alloc, active, resident;
    size_t clients = info_clients_memory(), overhead = clients + info_db_overhead();
    size_t dataset = used > overhead ? used - overhead : 0;
    long long keys = db_total_keys();
    int ndbs = 0;
    info_allocator(&alloc, &active, &resident);
    for (int i = 0; i < srv.dbnum; i++)
        if (dict_size(srv.dbs[i].keys) || dict_size(srv.dbs[i].expires))
            ndbs++;
    reply_map(c, 27 + ndbs);
    map_ll(c, "peak.allocated", srv.used_memory_peak);
    map_ll(c, "total.allocated", (long long)used);
    map_ll(c, "startup.allocated", 0);
    map_ll(c, "replication.backlog", 0);
    map_ll(c, "clients.slaves", 0);
    map_ll(c, "clients.normal", (long long)clients);
    map_ll(c, "cluster.links", 0);
    map_ll(c, "aof.buffer", 0);
    map_ll(c, "lua.caches", 0);
    map_ll(c, "functions.caches", 0);
    for (int i = 0; i < srv.dbnum; i++) {
        db *d = &srv.dbs[i];
        if (!dict_size(d->keys) && !dict_size(d->expires))
            continue;
        char name[32];
        snprintf(name, sizeof(name), "db.%d", i);
        reply_bulk_c(c, name);
        reply_map(c, 3);
        map_ll(c, "overhead.hashtable.main", (long long)dict_mem(d->keys));
        map_ll(c, "overhead.hashtable.expires", (long long)dict_mem(d->expires));
        map_ll(c, "overhead.hashtable.slot-to-keys", 0);
    }
    map_ll(c, "overhead.total", (long long)overhead);
    map_ll(c, "keys.count", keys);
    map_ll(c, "keys.bytes-per-key", keys ? (long long)(used / (size_t)keys) : 0);
    map_ll(c, "dataset.bytes", (long long)dataset);
    map_double(c, "dataset.percentage", 100 * ratio(dataset, used));
    map_double(c, "peak.percentage", 100 * ratio(used, (size_t)srv.used_memory_peak));
    map_ll(c, "allocator.allocated", (long long)alloc);
    map_ll(c, "allocator.active", (long long)active);
    map_ll(c, "allocator.resident", (long long)resident);
    map_double(c, "allocator-fragmentation.ratio", ratio(active, alloc));
    map_ll(c, "allocator-fragmentation.bytes", (long long)active - (long long)alloc);
    map_double(c, "allocator-rss.ratio", ratio(resident, active));
    map_ll(c, "allocator-rss.bytes", (long long)resident - (long long)active);
    map_double(c, "rss-overhead.ratio", ratio(rss, resident));
    map_ll(c, "rss-overhead.bytes", (long long)rss - (long long)resident);
    map_double(c, "fragmentation", ratio(rss, used));
    map_ll(c, "fragmentation.bytes", (long long)rss - (long long)used);
}

static void memory_doctor(client *c)
{
    static const char empty[] =
        "Hi Sam, this instance is empty or is using very little memory, my issues detector "
        "can't be used in these conditions. Please, leave for your mission on Earth and fill "
        "it with some data. The new Sam and I will be back to our programming as soon as I "
        "finished rebooting.\n";
    static const char fine[] = "Hi Sam, I can't find any memory issue in your instance. I can "
                               "only account for what occurs on this base.\n";
    if (ds_used_memory() < 1024 * 1024 * 5)
        reply_verbatim(c, empty, sizeof(empty) - 1, "txt");
    else
        reply_verbatim(c, fine, sizeof(fine) - 1, "txt");
}

static void stats_cb(void *ud, const char *msg)
{
    str *s = ud;
    *s = str_cat(*s, msg, strlen(msg));
}

static void memory_malloc_stats(client *c)
{
    if (!malloc_stats_print) {
        reply_bulk_c(c, "Stats not supported for the current allocator");
        return;
    }
    str s = str_empty_cap(4096);
    malloc_stats_print(stats_cb, &s, NULL);
    reply_verbatim(c, s, str_len(s), "txt");
    str_free(s);
}

static void memory_purge(client *c)
{
    if (mallctl) {
        char name[64];
        /* 4096 is MALLCTL_ARENAS_ALL */
        snprintf(name, sizeof(name), "arena.%d.purge", 4096);
        if (mallctl(name, NULL, NULL, NULL, 0) != 0) {
            reply_error(c, "Error purging dirty pages");
            return;
        }
    }
    reply_ok(c);
}

static void memory_help(client *c)
{
    static const char *lines[] = {
        "DOCTOR",
        "    Return memory problems reports.",
        "MALLOC-STATS",
        "    Return internal statistics report from the memory allocator.",
        "PURGE",
        "    Attempt to purge dirty pages for reclamation by the allocator.",
        "STATS",
        "    Return information about the memory usage of the server.",
        "USAGE <key> [SAMPLES <count>]",
        "    Return memory in bytes used by <key> and its value. Nested values are",
        "    sampled up to <count> times (default: 5, 0 means sample all).",
        NULL};
    reply_help(c, "memory", lines);
}

/* ---- SLOWLOG ---- */

static void slowlog_get(client *c)
{
    long long count = 10;
    if (c->argc == 3) {
        if (arg_ll_range(c, &c->argv[2], -1, INT64_MAX, &count,
                         "count should be greater than or equal to -1"))
            return;
        if (count == -1)
            count = srv.slowlog_len;
    } else if (c->argc > 3) {
        subcommand_error(c);
        return;
    }
    if (count > srv.slowlog_len)
        count = srv.slowlog_len;
    reply_array(c, (long)count);
    for (long long i = 0; i < count; i++) {
        const slowlog_entry *e = srv.slowlog[i];
        reply_array(c, 6);
        reply_ll(c, e->id);
        reply_ll(c, e->time);
        reply_ll(c, e->duration);
        reply_array(c, e->argc);
        for (int j = 0; j < e->argc; j++)
            reply_bulk(c, e->argv[j], str_len(e->argv[j]));
        reply_bulk_c(c, e->addr);
        reply_bulk_c(c, e->cname);
    }
}

static void slowlog_len(client *c)
{
    reply_ll(c, srv.slowlog_len);
}

static void slowlog_reset(client *c)
{
    for (long i = 0; i < srv.slowlog_len; i++) {
        slowlog_entry *e = srv.slowlog[i];
        for (int j = 0; j < e->argc; j++)
            str_free(e->argv[j]);
        ds_free(e->argv);
        ds_free(e);
    }
    srv.slowlog_len = 0;
    reply_ok(c);
}

static void slowlog_help(client *c)
{
    static const char *lines[] = {
        "GET [<count>]",
        "    Return top <count> entries from the slowlog (default: 10, -1 mean all).",
        "    Entries are made of:",
        "    id, timestamp, time in microseconds, arguments array, client IP and port,",
        "    client name",
        "LEN",
        "    Return the length of the slowlog.",
        "RESET",
        "    Reset the slowlog.",
        NULL};
    reply_help(c, "slowlog", lines);
}

/* ---- LATENCY ---- */

#define LAT_SAMPLES 160

typedef struct lat_event {
    char name[64];
    struct {
        long long time, latency;
    } s[LAT_SAMPLES];
    int idx;
    long long max;
} lat_event;

static lat_event *events;
static int nevents;

static lat_event *lat_find(const char *name, size_t len)
{
    for (int i = 0; i < nevents; i++)
        if (strlen(events[i].name) == len && memcmp(events[i].name, name, len) == 0)
            return &events[i];
    return NULL;
}

/* Record a latency sample (ms) for an event class, if over the threshold. */
void latency_add_sample(const char *event, long long ms)
{
    if (!srv.latency_monitor_threshold || ms < srv.latency_monitor_threshold)
        return;
    lat_event *e = lat_find(event, strlen(event));
    if (!e) {
        events = ds_realloc(events, sizeof(lat_event) * (size_t)(nevents + 1));
        e = &events[nevents++];
        memset(e, 0, sizeof(*e));
        snprintf(e->name, sizeof(e->name), "%s", event);
    }
    long long now = el_wall_ms() / 1000;
    int prev = (e->idx + LAT_SAMPLES - 1) % LAT_SAMPLES;
    if (e->s[prev].time == now) {
        if (ms > e->s[prev].latency)
            e->s[prev].latency = ms;
    } else {
        e->s[e->idx].time = now;
        e->s[e->idx].latency = ms;
        e->idx = (e->idx + 1) % LAT_SAMPLES;
    }
    if (ms > e->max)
        e->max = ms;
}

static void latency_latest(client *c)
{
    reply_array(c, nevents);
    for (int i = 0; i < nevents; i++) {
        lat_event *e = &events[i];
        int last = (e->idx + LAT_SAMPLES - 1) % LAT_SAMPLES;
        reply_array(c, 4);
        reply_bulk_c(c, e->name);
        reply_ll(c, e->s[last].time);
        reply_ll(c, e->s[last].latency);
        reply_ll(c, e->max);
    }
}

static void latency_history(client *c)
{
    lat_event *e = lat_find(c->argv[2].p, c->argv[2].len);
    void *h = reply_defer(c);
    long n = 0;
    for (int j = 0; e && j < LAT_SAMPLES; j++) {
        int i = (e->idx + j) % LAT_SAMPLES;
        if (!e->s[i].time)
            continue;
        reply_array(c, 2);
        reply_ll(c, e->s[i].time);
        reply_ll(c, e->s[i].latency);
        n++;
    }
    reply_set_array_len(c, h, n);
}

static void latency_reset(client *c)
{
    long long resets = 0;
    if (c->argc == 2) {
        resets = nevents;
        nevents = 0;
    } else {
        for (int i = 2; i < c->argc; i++) {
            lat_event *e = lat_find(c->argv[i].p, c->argv[i].len);
            if (!e)
                continue;
            *e = events[--nevents];
            resets++;
        }
    }
    reply_ll(c, resets);
}

static void latency_doctor(client *c)
{
    str s;
    if (nevents == 0 && srv.latency_monitor_threshold == 0) {
        s = str_from_c("I'm sorry, Dave, I can't do that. Latency monitoring is disabled in "
                       "this Redis instance. You may use \"CONFIG SET latency-monitor-threshold "
                       "<milliseconds>.\" in order to enable it. If we weren't in a deep space "
                       "mission I'd suggest to take a look at "
                       "https://redis.io/topics/latency-monitor.\n");
    } else if (nevents == 0) {
        s = str_from_c("Dave, no latency spike was observed during the lifetime of this Redis "
                       "instance, not in the slightest bit. I honestly think you ought to sit "
                       "down calmly, take a stress pill, and think things over.\n");
    } else {
        s = str_from_c("Dave, I have observed latency spikes in this Redis instance. You don't "
                       "mind talking about it, do you Dave?\n\n");
        for (int i = 0; i < nevents; i++) {
            char line[256];
            snprintf(line, sizeof(line), "%d. %s: worst all time event %lldms.\n", i + 1,
                     events[i].name, events[i].max);
            s = str_cat(s, line, strlen(line));
        }
        static const char tail[] =
            "\nWhile there are latency events logged, I'm not able to suggest any easy fix. "
            "Please use the Redis community to get some help, providing this report in your "
            "help request.\n";
        s = str_cat(s, tail, sizeof(tail) - 1);
    }
    reply_verbatim(c, s, str_len(s), "txt");
    str_free(s);
}

static void latency_graph(client *c)
{
    lat_event *e = lat_find(c->argv[2].p, c->argv[2].len);
    if (!e) {
        reply_errorf(c, "No samples available for event '%.*s'", (int)c->argv[2].len,
                     c->argv[2].p);
        return;
    }
    char head[256];
    snprintf(head, sizeof(head), "%s - all time high %lld ms\n", e->name, e->max);
    reply_verbatim(c, head, strlen(head), "txt");
}

static void latency_histogram(client *c)
{
    /* Sluice keeps no per-command latency histograms. */
    reply_map(c, 0);
}

static void latency_help(client *c)
{
    static const char *lines[] = {
        "DOCTOR",
        "    Return a human readable latency analysis report.",
        "GRAPH <event>",
        "    Return an ASCII latency graph for the <event> class.",
        "HISTORY <event>",
        "    Return time-latency samples for the <event> class.",
        "LATEST",
        "    Return the latest latency samples for all events.",
        "RESET [<event> ...]",
        "    Reset latency data of one or more <event> classes.",
        "    (default: reset all data for all event classes)",
        "HISTOGRAM [COMMAND ...]",
        "    Return a cumulative distribution of latencies in the format of a histogram for "
        "the specified command names.",
        "    If no commands are specified then all histograms are replied.",
        NULL};
    reply_help(c, "latency", lines);
}

/* clang-format off */
/* ---- the tables ---- */

#define DIAG (CMD_ADMIN | CMD_NOSCRIPT | CMD_LOADING | CMD_STALE)
#define SUB(n, fn, ar, fl, sum, sn, cx, cat)                                             \
    {                                                                                       \
        .name = n, .proc = fn, .arity = ar, .flags = fl, .group = "server",                \
        .summary = sum, .since = sn, .complexity = cx, .acl = cat                       \
    }
#define HELP_SUB(fn, sn, sum)                                                            \
    SUB("help", fn, 2, CMD_LOADING | CMD_STALE, sum, sn, "O(1)", "slow")

static command memory_subs[] = {
    SUB("doctor", memory_doctor, 2, 0, "Outputs memory problems report", "4.0.0", "O(1)",
        "slow"),
    HELP_SUB(memory_help, "4.0.0", "Show helpful text about the different subcommands"),
    SUB("malloc-stats", memory_malloc_stats, 2, 0, "Show allocator internal stats", "4.0.0",
        "Depends on how much memory is allocated, could be slow", "slow"),
    SUB("purge", memory_purge, 2, 0, "Ask the allocator to release memory", "4.0.0",
        "Depends on how much memory is allocated, could be slow", "slow"),
    SUB("stats", memory_stats, 2, 0, "Show memory usage details", "4.0.0", "O(1)", "slow"),
    {.name = "usage", .proc = memory_usage, .arity = -3, .flags = CMD_READONLY,
     .first_key = 2, .last_key = 2, .key_step = 1, .group = "server",
     .summary = "Estimate the memory usage of a key", .since = "4.0.0",
     .complexity = "O(N) where N is the number of samples.", .acl = "read slow"},
    {.name = NULL},
};

static command slowlog_subs[] = {
    SUB("get", slowlog_get, -2, CMD_ADMIN | CMD_LOADING | CMD_STALE,
        "Get the slow log's entries", "2.2.12",
        "O(N) where N is the number of entries returned", "admin slow dangerous"),
    HELP_SUB(slowlog_help, "6.2.0", "Show helpful text about the different subcommands"),
    SUB("len", slowlog_len, 2, CMD_ADMIN | CMD_LOADING | CMD_STALE,
        "Get the slow log's length", "2.2.12", "O(1)", "admin slow dangerous"),
    SUB("reset", slowlog_reset, 2, CMD_ADMIN | CMD_LOADING | CMD_STALE,
        "Clear all entries from the slow log", "2.2.12",
        "O(N) where N is the number of entries in the slowlog", "admin slow dangerous"),
    {.name = NULL},
};

static command latency_subs[] = {
    SUB("doctor", latency_doctor, 2, DIAG, "Return a human readable latency analysis report.",
        "2.8.13", "O(1)", "admin slow dangerous"),
    SUB("graph", latency_graph, 3, DIAG, "Return a latency graph for the event.", "2.8.13",
        "O(1)", "admin slow dangerous"),
    HELP_SUB(latency_help, "2.8.13", "Show helpful text about the different subcommands."),
    SUB("histogram", latency_histogram, -2, DIAG,
        "Return the cumulative distribution of latencies of a subset of commands or all.",
        "7.0.0",
        "O(N) where N is the number of commands with latency information being retrieved.",
        "admin slow dangerous"),
    SUB("history", latency_history, 3, DIAG, "Return timestamp-latency samples for the event.",
        "2.8.13", "O(1)", "admin slow dangerous"),
    SUB("latest", latency_latest, 2, DIAG, "Return the latest latency samples for all events.",
        "2.8.13", "O(1)", "admin slow dangerous"),
    SUB("reset", latency_reset, -2, DIAG, "Reset latency data for one or more events.",
        "2.8.13", "O(1)", "admin slow dangerous"),
    {.name = NULL},
};

command cmd_debug_table[] = {
    {.name = "debug", .proc = cmd_debug, .arity = -2, .flags = DIAG | CMD_PROTECTED,
     .group = "server", .summary = "A container for debugging commands", .since = "1.0.0",
     .complexity = "Depends on subcommand.", .acl = "admin slow dangerous"},
    {.name = "memory", .arity = -2, .group = "server",
     .summary = "A container for memory diagnostics commands", .since = "4.0.0",
     .complexity = "Depends on subcommand.", .acl = "slow", .subs = memory_subs},
    {.name = "slowlog", .arity = -2, .group = "server",
     .summary = "A container for slow log commands", .since = "2.2.12",
     .complexity = "Depends on subcommand.", .acl = "slow", .subs = slowlog_subs},
    {.name = "latency", .arity = -2, .group = "server",
     .summary = "A container for latency diagnostics commands", .since = "2.8.13",
     .complexity = "Depends on subcommand.", .acl = "slow", .subs = latency_subs},
    {.name = NULL},
};
/* clang-format on */
