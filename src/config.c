/* config.c - see config.h.
 *
 * A parameter is {name, kind, pointer into srv, bounds, default, flags};
 * special kinds (save, bind, client-output-buffer-limit, notify flags)
 * have their own parse/format functions.  Parameters Sluice accepts only
 * for compatibility (Redis test suites set them) are stored and echoed. */
#include "config.h"

#include "aof.h"
#include "ds/alloc.h"
#include "ds/glob.h"
#include "ds/str.h"
#include "ds/util.h"
#include "log.h"
#include "net/listen.h"
#include "server.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

enum kind { K_BOOL, K_INT, K_LL, K_MEM, K_STR, K_ENUM, K_SPECIAL, K_COMPAT };

#define F_IMMUTABLE 1
#define F_SENSITIVE 2
#define F_HIDDEN 4 /* CONFIG GET shows it only when named exactly */
#define F_UNSIGNED 8 /* K_MEM that Redis keeps unsigned: past INT64_MAX = INT64_MAX */

typedef struct param param;
typedef int special_set(param *p, const char *v, const char **err);
typedef str special_get(param *p);

struct param {
    const char *name;
    const char *alias;
    enum kind kind;
    void *ptr;
    long long min, max;
    const char *def;
    int flags;
    const char *const *enums; /* K_ENUM: names, index = value */
    special_set *set;
    special_get *get;
    void (*apply)(void);
    char compat_val[128]; /* K_COMPAT storage */
};

static const char *const loglevels[] = {"debug", "verbose", "notice", "warning", NULL};
static const char *const fsyncs[] = {"always", "everysec", "no", NULL};
static const char *const policies[] = {"noeviction", "allkeys-lru", "volatile-lru",
                                       "allkeys-lfu", "volatile-lfu", "allkeys-random",
                                       "volatile-random", "volatile-ttl", NULL};

extern void server_apply_net_config(void);

static void apply_net(void)
{
    if (srv.net)
        server_apply_net_config();
}

static void apply_maxmemory(void)
{
    if (srv.net && srv.maxmemory > 0 && (long long)ds_used_memory() > srv.maxmemory) {
        log_msg(LOG_WARNING, "WARNING: the new maxmemory value set via CONFIG SET (%lld) is "
                "smaller than the current memory usage. This will result in key eviction "
                "and/or the inability to accept new write commands depending on the "
                "maxmemory-policy.", srv.maxmemory);
        db_evict_to_fit();
    }
}

static void apply_log(void)
{
    log_set_level(srv.verbosity);
}

/* ---- special kinds ---- */

static int set_notify(param *p, const char *v, const char **err)
{
    (void)p;
    int flags = 0;
    for (const char *s = v; *s; s++) {
        switch (*s) {
        case 'A': flags |= NOTIFY_ALL; break;
        case 'g': flags |= NOTIFY_GENERIC; break;
        case '$': flags |= NOTIFY_STRING; break;
        case 'l': flags |= NOTIFY_LIST; break;
        case 's': flags |= NOTIFY_SET; break;
        case 'h': flags |= NOTIFY_HASH; break;
        case 'z': flags |= NOTIFY_ZSET; break;
        case 'x': flags |= NOTIFY_EXPIRED; break;
        case 'e': flags |= NOTIFY_EVICTED; break;
        case 'K': flags |= NOTIFY_KEYSPACE; break;
        case 'E': flags |= NOTIFY_KEYEVENT; break;
        case 't': flags |= NOTIFY_STREAM; break;
        case 'm': flags |= NOTIFY_KEY_MISS; break;
        case 'd': flags |= NOTIFY_MODULE; break;
        case 'n': flags |= NOTIFY_NEW; break;
        default:
            *err = "Invalid event class character. Use 'Ag$lshzxeKEtmdn'.";
            return -1;
        }
    }
    srv.notify_flags = flags;
    return 0;
}

static str get_notify(param *p)
{
    (void)p;
    int f = srv.notify_flags;
    str s = str_empty_cap(16);
    if ((f & NOTIFY_ALL) == NOTIFY_ALL) {
        s = str_cat(s, "A", 1);
    } else {
        static const struct {
            int f;
            char c;
        } m[] = {{NOTIFY_GENERIC, 'g'}, {NOTIFY_STRING, '$'}, {NOTIFY_LIST, 'l'},
                 {NOTIFY_SET, 's'},     {NOTIFY_HASH, 'h'},   {NOTIFY_ZSET, 'z'},
                 {NOTIFY_EXPIRED, 'x'}, {NOTIFY_EVICTED, 'e'}, {NOTIFY_STREAM, 't'},
                 {NOTIFY_MODULE, 'd'}, {NOTIFY_NEW, 'n'}};
        for (size_t i = 0; i < sizeof(m) / sizeof(m[0]); i++)
            if (f & m[i].f)
                s = str_cat(s, &m[i].c, 1);
    }
    if (f & NOTIFY_KEYSPACE)
        s = str_cat(s, "K", 1);
    if (f & NOTIFY_KEYEVENT)
        s = str_cat(s, "E", 1);
    if (f & NOTIFY_KEY_MISS)
        s = str_cat(s, "m", 1);
    return s;
}

/* "normal 0 0 0 replica 256mb 64mb 60 pubsub 32mb 8mb 60" (any subset). */
static int set_obuf(param *p, const char *v, const char **err)
{
    (void)p;
    char buf[512], *save = NULL, *tok[64];
    int n = 0;
    snprintf(buf, sizeof(buf), "%s", v);
    for (char *t = strtok_r(buf, " ", &save); t && n < 64; t = strtok_r(NULL, " ", &save))
        tok[n++] = t;
    if (n % 4) {
        *err = "Wrong number of arguments in buffer limit configuration.";
        return -1;
    }
    size_t hard[3], soft[3];
    long long secs[3];
    int cls[16];
    for (int i = 0; i < n; i += 4) {
        int c = strcasecmp(tok[i], "normal") == 0                                         ? 0
                : strcasecmp(tok[i], "pubsub") == 0                                       ? 1
                : (strcasecmp(tok[i], "replica") == 0 || strcasecmp(tok[i], "slave") == 0) ? 2
                                                                                          : -1;
        int ok1, ok2;
        long long h = config_parse_memory(tok[i + 1], &ok1);
        long long s = config_parse_memory(tok[i + 2], &ok2);
        char *end;
        long long secs_v = strtoll(tok[i + 3], &end, 10);
        if (c < 0 || !ok1 || !ok2 || *end || secs_v < 0 || h < 0 || s < 0) {
            *err = c < 0 ? "Invalid client class specified in buffer limit configuration."
                         : "Error in hard, soft or soft_seconds setting in buffer limit "
                           "configuration.";
            return -1;
        }
        cls[i / 4] = c;
        hard[i / 4] = (size_t)h;
        soft[i / 4] = (size_t)s;
        secs[i / 4] = secs_v;
    }
    for (int i = 0; i < n / 4; i++) {
        srv.net->obuf_hard[cls[i]] = hard[i];
        srv.net->obuf_soft[cls[i]] = soft[i];
        srv.net->obuf_soft_secs[cls[i]] = secs[i];
    }
    return 0;
}

static str get_obuf(param *p)
{
    (void)p;
    char buf[256];
    net *n = srv.net;
    snprintf(buf, sizeof(buf), "normal %zu %zu %lld slave %zu %zu %lld pubsub %zu %zu %lld",
             n->obuf_hard[0], n->obuf_soft[0], n->obuf_soft_secs[0], n->obuf_hard[2],
             n->obuf_soft[2], n->obuf_soft_secs[2], n->obuf_hard[1], n->obuf_soft[1],
             n->obuf_soft_secs[1]);
    return str_from_c(buf);
}

static int set_requirepass(param *p, const char *v, const char **err)
{
    (void)p;
    (void)err;
    ds_free(srv.requirepass);
    srv.requirepass = v[0] ? ds_strdup(v) : NULL;
    apply_net();
    return 0;
}

static str get_requirepass(param *p)
{
    (void)p;
    return str_from_c(srv.requirepass ? srv.requirepass : "");
}

static int set_dir(param *p, const char *v, const char **err)
{
    (void)p;
    if (chdir(v) != 0) {
        *err = strerror(errno);
        return -1;
    }
    if (!getcwd(srv.dir, sizeof(srv.dir)))
        snprintf(srv.dir, sizeof(srv.dir), "%s", v);
    return 0;
}

static str get_dir(param *p)
{
    (void)p;
    char buf[1024];
    if (!getcwd(buf, sizeof(buf)))
        buf[0] = '\0';
    return str_from_c(buf);
}

/* port and bind can change at run time: the new sockets are bound first,
 * so a failure leaves the old ones listening (and CONFIG SET rolls back). */
static int rebind(const char *addrs, int port, const char **err, const char *msg)
{
    int fds[16], n = 0;
    char e[512];
    if (port) {
        n = listen_tcp(srv.net, addrs, port, srv.tcp_backlog, fds, 16, e, sizeof(e));
        if (n < 0) {
            log_msg(LOG_WARNING, "%s", e);
            *err = msg;
            return -1;
        }
    }
    for (int i = 0; i < srv.nlisten; i++) {
        el_del(srv.loop, srv.listen_fds[i], EL_READ);
        close(srv.listen_fds[i]);
    }
    for (int i = 0; i < n; i++) {
        srv.listen_fds[i] = fds[i];
        listen_start(srv.net, fds[i], 0);
    }
    srv.nlisten = n;
    return 0;
}

static int listening(void)
{
    return srv.net && (srv.nlisten > 0 || srv.unix_fd > 0);
}

static int set_port(param *p, const char *v, const char **err)
{
    (void)p;
    long long n;
    if (!str_to_ll(v, strlen(v), &n)) {
        *err = "argument couldn't be parsed into an integer";
        return -1;
    }
    if (n < 0 || n > 65535) {
        *err = "argument must be between 0 and 65535 inclusive";
        return -1;
    }
    if (listening() && n != srv.port &&
        rebind(srv.bind, (int)n, err, "Unable to listen on this port. Check server logs.") < 0)
        return -1;
    srv.port = (int)n;
    return 0;
}

static str get_port(param *p)
{
    (void)p;
    return str_from_ll(srv.port);
}

static int set_bind(param *p, const char *v, const char **err)
{
    (void)p;
    if (strlen(v) >= sizeof(srv.bind)) {
        *err = "Too many bind addresses specified.";
        return -1;
    }
    if (listening() && strcmp(v, srv.bind) != 0 &&
        rebind(v, srv.port, err, "Failed to bind to specified addresses.") < 0)
        return -1;
    snprintf(srv.bind, sizeof(srv.bind), "%s", v);
    return 0;
}

static str get_bind(param *p)
{
    (void)p;
    return str_from_c(srv.bind);
}

/* maxmemory-clients: bytes, or a percentage of maxmemory ("10%"). */
static int set_mem_or_percent(param *p, const char *v, const char **err)
{
    size_t n = strlen(v);
    char buf[64];
    if (n && v[n - 1] == '%') {
        long long perc;
        if (!str_to_ll(v, n - 1, &perc) || perc < 0) {
            *err = "argument must be a memory or percent value";
            return -1;
        }
        if (perc > 100) {
            *err = "percentage argument must be less or equal to 100";
            return -1;
        }
        snprintf(p->compat_val, sizeof(p->compat_val), "%lld%%", perc);
        return 0;
    }
    int ok;
    long long bytes = config_parse_memory(v, &ok);
    if (!ok || bytes < 0) {
        *err = "argument must be a memory or percent value";
        return -1;
    }
    snprintf(buf, sizeof(buf), "%lld", bytes);
    snprintf(p->compat_val, sizeof(p->compat_val), "%s", buf);
    return 0;
}

static str get_compat_val(param *p)
{
    return str_from_c(p->compat_val);
}

/* ---- the table ---- */

#define BOOL(n, f, d) {.name = n, .kind = K_BOOL, .ptr = &srv.f, .def = d}
#define INT(n, f, lo, hi, d) {.name = n, .kind = K_INT, .ptr = &srv.f, .min = lo, .max = hi, .def = d}
#define LL(n, f, lo, hi, d) {.name = n, .kind = K_LL, .ptr = &srv.f, .min = lo, .max = hi, .def = d}
#define MEM(n, f, lo, hi, d) {.name = n, .kind = K_MEM, .ptr = &srv.f, .min = lo, .max = hi, .def = d}
#define STR(n, f, d) {.name = n, .kind = K_STR, .ptr = srv.f, .max = sizeof(srv.f), .def = d}
#define COMPAT(n, d) {.name = n, .kind = K_COMPAT, .def = d}

static param params[] = {
    {.name = "port", .kind = K_SPECIAL, .set = set_port, .get = get_port, .def = "6379"},
    {.name = "bind", .kind = K_SPECIAL, .set = set_bind, .get = get_bind,
     .def = "127.0.0.1 -::1"},
    {.name = "unixsocket", .kind = K_STR, .ptr = srv.unixsocket, .max = sizeof(srv.unixsocket),
     .def = "", .flags = F_IMMUTABLE},
    {.name = "unixsocketperm", .kind = K_INT, .ptr = &srv.unixsocketperm, .min = 0,
     .max = 0777, .def = "0", .flags = F_IMMUTABLE},
    {.name = "tcp-backlog", .kind = K_INT, .ptr = &srv.tcp_backlog, .min = 0, .max = 65535,
     .def = "511", .flags = F_IMMUTABLE},
    {.name = "databases", .kind = K_INT, .ptr = &srv.dbnum, .min = 1, .max = 1 << 20,
     .def = "16", .flags = F_IMMUTABLE},
    {.name = "daemonize", .kind = K_BOOL, .ptr = &srv.daemonize, .def = "no",
     .flags = F_IMMUTABLE},
    {.name = "pidfile", .kind = K_STR, .ptr = srv.pidfile, .max = sizeof(srv.pidfile),
     .def = "", .flags = F_IMMUTABLE},
    {.name = "logfile", .kind = K_STR, .ptr = srv.logfile, .max = sizeof(srv.logfile),
     .def = "", .flags = F_IMMUTABLE},
    {.name = "loglevel", .kind = K_ENUM, .ptr = &srv.verbosity, .enums = loglevels,
     .def = "notice", .apply = apply_log},
    LL("timeout", maxidletime, 0, INT32_MAX, "0"),
    {.name = "tcp-keepalive", .kind = K_INT, .ptr = &srv.tcp_keepalive, .min = 0,
     .max = INT32_MAX, .def = "300", .apply = apply_net},
    {.name = "maxclients", .kind = K_INT, .ptr = &srv.maxclients, .min = 1, .max = 1000000,
     .def = "10000", .apply = apply_net},
    {.name = "protected-mode", .kind = K_BOOL, .ptr = &srv.protected_mode, .def = "yes",
     .apply = apply_net},
    {.name = "proto-max-bulk-len", .kind = K_MEM, .ptr = &srv.proto_max_bulk_len,
     .min = 1024 * 1024, .max = INT64_MAX, .def = "512mb", .apply = apply_net},
    {.name = "client-query-buffer-limit", .kind = K_MEM, .ptr = &srv.client_max_querybuf_len,
     .min = 1024 * 1024, .max = INT64_MAX, .def = "1gb", .apply = apply_net},
    {.name = "requirepass", .kind = K_SPECIAL, .set = set_requirepass, .get = get_requirepass,
     .def = "", .flags = F_SENSITIVE},
    {.name = "client-output-buffer-limit", .kind = K_SPECIAL, .set = set_obuf, .get = get_obuf,
     .def = "normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60"},
    {.name = "notify-keyspace-events", .kind = K_SPECIAL, .set = set_notify, .get = get_notify,
     .def = ""},
    {.name = "dir", .kind = K_SPECIAL, .set = set_dir, .get = get_dir, .def = ""},
    {.name = "maxmemory", .kind = K_MEM, .ptr = &srv.maxmemory, .min = 0, .max = INT64_MAX,
     .def = "0", .flags = F_UNSIGNED, .apply = apply_maxmemory},
    {.name = "maxmemory-policy", .kind = K_ENUM, .ptr = &srv.maxmemory_policy,
     .enums = policies, .def = "noeviction"},
    INT("maxmemory-samples", maxmemory_samples, 1, 64, "5"),
    INT("hz", hz, 1, 500, "10"),
    LL("slowlog-log-slower-than", slowlog_log_slower_than, -1, INT64_MAX, "10000"),
    {.name = "slowlog-max-len", .kind = K_LL, .ptr = &srv.slowlog_max_len, .min = 0,
     .max = INT32_MAX, .def = "128"},
    LL("latency-monitor-threshold", latency_monitor_threshold, 0, INT64_MAX, "0"),
    {.name = "list-max-listpack-size", .alias = "list-max-ziplist-size", .kind = K_INT,
     .ptr = &srv.list_max_listpack_size, .min = INT32_MIN, .max = INT32_MAX, .def = "-2"},
    INT("list-compress-depth", list_compress_depth, 0, INT32_MAX, "0"),
    /* Hash, set and sorted set encodings (cmd/hash.c, set.c, zset.c). */
    {.name = "hash-max-listpack-entries", .alias = "hash-max-ziplist-entries", .kind = K_LL,
     .ptr = &srv.hash_max_listpack_entries, .min = 0, .max = INT64_MAX, .def = "128"},
    {.name = "hash-max-listpack-value", .alias = "hash-max-ziplist-value", .kind = K_MEM,
     .ptr = &srv.hash_max_listpack_value, .min = 0, .max = INT64_MAX, .def = "64"},
    LL("set-max-intset-entries", set_max_intset_entries, 0, INT64_MAX, "512"),
    {.name = "zset-max-listpack-entries", .alias = "zset-max-ziplist-entries", .kind = K_LL,
     .ptr = &srv.zset_max_listpack_entries, .min = 0, .max = INT64_MAX, .def = "128"},
    {.name = "zset-max-listpack-value", .alias = "zset-max-ziplist-value", .kind = K_MEM,
     .ptr = &srv.zset_max_listpack_value, .min = 0, .max = INT64_MAX, .def = "64"},
    MEM("stream-node-max-bytes", stream_node_max_bytes, 0, INT64_MAX, "4096"),
    LL("stream-node-max-entries", stream_node_max_entries, 0, INT64_MAX, "100"),
    BOOL("lazyfree-lazy-user-del", lazyfree_lazy_user_del, "no"),
    BOOL("lazyfree-lazy-user-flush", lazyfree_lazy_user_flush, "no"),
    BOOL("lazyfree-lazy-expire", lazyfree_lazy_expire, "no"),
    BOOL("lazyfree-lazy-eviction", lazyfree_lazy_eviction, "no"),
    BOOL("lazyfree-lazy-server-del", lazyfree_lazy_server_del, "no"),
    {.name = "appendonly", .kind = K_BOOL, .ptr = &srv.aof_enabled, .def = "yes",
     .apply = aof_config_apply},
    {.name = "appendfsync", .kind = K_ENUM, .ptr = &srv.aof_fsync, .enums = fsyncs,
     .def = "everysec"},
    {.name = "appendfilename", .kind = K_STR, .ptr = srv.appendfilename,
     .max = sizeof(srv.appendfilename), .def = "appendonly.aof", .flags = F_IMMUTABLE},
    {.name = "appenddirname", .kind = K_STR, .ptr = srv.appenddirname,
     .max = sizeof(srv.appenddirname), .def = "appendonlydir", .flags = F_IMMUTABLE},
    /* Persistence (aof.c); aof-use-rdb-preamble is accepted and ignored. */
    {.name = "auto-aof-rewrite-percentage", .kind = K_INT, .ptr = &aof_cfg.rewrite_perc,
     .min = 0, .max = INT32_MAX, .def = "100"},
    {.name = "auto-aof-rewrite-min-size", .kind = K_MEM, .ptr = &aof_cfg.rewrite_min_size,
     .min = 0, .max = INT64_MAX, .def = "64mb"},
    {.name = "aof-load-truncated", .kind = K_BOOL, .ptr = &aof_cfg.load_truncated, .def = "yes"},
    {.name = "aof-use-rdb-preamble", .kind = K_BOOL, .ptr = &aof_cfg.use_rdb_preamble,
     .def = "yes"},
    {.name = "aof-timestamp-enabled", .kind = K_BOOL, .ptr = &aof_cfg.timestamp_enabled,
     .def = "no"},
    {.name = "aof-rewrite-incremental-fsync", .kind = K_BOOL,
     .ptr = &aof_cfg.rewrite_incremental_fsync, .def = "yes"},
    {.name = "no-appendfsync-on-rewrite", .kind = K_BOOL, .ptr = &aof_cfg.no_fsync_on_rewrite,
     .def = "no"},
    {.name = "aof-disable-auto-gc", .kind = K_BOOL, .ptr = &aof_cfg.disable_auto_gc,
     .def = "no", .apply = aof_gc_apply},
    {.name = "rdb-key-save-delay", .kind = K_LL, .ptr = &aof_cfg.key_save_delay,
     .min = INT32_MIN, .max = INT32_MAX, .def = "0", .flags = F_HIDDEN},
    {.name = "key-load-delay", .kind = K_LL, .ptr = &aof_cfg.key_load_delay, .min = INT32_MIN,
     .max = INT32_MAX, .def = "0", .flags = F_HIDDEN},
    /* Accepted and echoed for compatibility with Redis configs and tests. */
    COMPAT("save", ""),
    COMPAT("enable-debug-command", "yes"),
    COMPAT("enable-protected-configs", "no"),
    COMPAT("enable-module-command", "no"),
    COMPAT("io-threads", "1"),
    COMPAT("io-threads-do-reads", "no"),
    COMPAT("activerehashing", "yes"),
    COMPAT("activedefrag", "no"),
    {.name = "busy-reply-threshold", .alias = "lua-time-limit", .kind = K_LL,
     .ptr = &srv.busy_reply_threshold, .min = 0, .max = INT64_MAX, .def = "5000"},
    COMPAT("hll-sparse-max-bytes", "3000"),
    COMPAT("dbfilename", "dump.rdb"),
    COMPAT("rdbcompression", "yes"),
    COMPAT("rdbchecksum", "yes"),
    COMPAT("stop-writes-on-bgsave-error", "yes"),
    COMPAT("replica-read-only", "yes"),
    COMPAT("replica-serve-stale-data", "yes"),
    COMPAT("repl-diskless-sync", "yes"),
    COMPAT("repl-diskless-load", "disabled"),
    COMPAT("repl-backlog-size", "1048576"),
    COMPAT("min-replicas-to-write", "0"),
    COMPAT("min-replicas-max-lag", "10"),
    COMPAT("tracking-table-max-keys", "1000000"),
    COMPAT("lfu-log-factor", "10"),
    COMPAT("lfu-decay-time", "1"),
    COMPAT("active-expire-effort", "1"),
    {.name = "maxmemory-clients", .kind = K_SPECIAL, .set = set_mem_or_percent,
     .get = get_compat_val, .def = "0"},
    COMPAT("latency-tracking", "yes"),
    COMPAT("latency-tracking-info-percentiles", "50 99 99.9"),
    COMPAT("jemalloc-bg-thread", "yes"),
    COMPAT("always-show-logo", "no"),
    COMPAT("set-proc-title", "yes"),
    COMPAT("syslog-enabled", "no"),
    COMPAT("supervised", "no"),
    COMPAT("crash-log-enabled", "yes"),
    COMPAT("crash-memcheck-enabled", "yes"),
    COMPAT("oom-score-adj", "no"),
    COMPAT("oom-score-adj-values", "0 200 800"),
    COMPAT("cluster-enabled", "no"),
    COMPAT("disable-thp", "yes"),
    COMPAT("propagation-error-behavior", "ignore"),
    COMPAT("shutdown-timeout", "10"),
    COMPAT("shutdown-on-sigint", "default"),
    COMPAT("shutdown-on-sigterm", "default"),
    COMPAT("close-on-replica-write", "yes"),
    COMPAT("replica-lazy-flush", "no"),
    COMPAT("dynamic-hz", "yes"),
    COMPAT("locale-collate", ""),
    COMPAT("acllog-max-len", "128"),
    COMPAT("aclfile", ""),
    {.name = "loading-process-events-interval-bytes", .kind = K_COMPAT, .def = "2097152",
     .flags = F_HIDDEN},
    {.name = "replicaof", .alias = "slaveof", .kind = K_COMPAT, .def = "",
     .flags = F_IMMUTABLE},
    COMPAT("active-defrag-cycle-min", "1"),
    COMPAT("active-defrag-cycle-max", "25"),
    {.name = NULL},
};

static param *find_param(const char *name)
{
    for (param *p = params; p->name; p++)
        if (strcasecmp(p->name, name) == 0 || (p->alias && strcasecmp(p->alias, name) == 0))
            return p;
    return NULL;
}

/* Redis's memtoull: digits (leading zeros allowed, no sign, no spaces) and
 * an optional unit; "" is 0. */
long long config_parse_memory(const char *s, int *ok)
{
    static const struct {
        const char *u;
        long long m;
    } units[] = {{"", 1},           {"b", 1},           {"k", 1000},         {"kb", 1024},
                 {"m", 1000000},    {"mb", 1024 * 1024}, {"g", 1000000000LL}, {"gb", 1LL << 30},
                 {NULL, 0}};
    *ok = 0;
    const char *u = s;
    while (*u >= '0' && *u <= '9')
        u++;
    long long mul = 0;
    for (int i = 0; units[i].u; i++)
        if (strcasecmp(u, units[i].u) == 0)
            mul = units[i].m;
    if (mul == 0)
        return 0;
    unsigned long long v = 0;
    for (const char *p = s; p < u; p++) {
        unsigned d = (unsigned)(*p - '0');
        if (v > (ULLONG_MAX - d) / 10) {
            v = ULLONG_MAX; /* strtoull saturates, and Redis does not check */
            break;
        }
        v = v * 10 + d;
    }
    *ok = 1;
    /* Redis 7.0 neither checks the product nor the cast: past INT64_MAX it
     * wraps negative, and range checks then reject it. */
    return (long long)(v * (unsigned long long)mul);
}

static int parse_value(param *p, const char *v, const char **err)
{
    long long n;
    int ok;
    switch (p->kind) {
    case K_BOOL:
        if (strcasecmp(v, "yes") == 0)
            *(int *)p->ptr = 1;
        else if (strcasecmp(v, "no") == 0)
            *(int *)p->ptr = 0;
        else {
            *err = "argument must be 'yes' or 'no'";
            return -1;
        }
        return 0;
    case K_INT:
    case K_LL:
        if (!str_to_ll(v, strlen(v), &n)) {
            *err = "argument couldn't be parsed into an integer";
            return -1;
        }
        goto check_range;
    case K_MEM:
        n = config_parse_memory(v, &ok);
        if (!ok) {
            *err = "argument must be a memory value";
            return -1;
        }
        if (n < 0 && (p->flags & F_UNSIGNED))
            n = INT64_MAX;
    check_range:
        if (n < p->min || n > p->max) {
            static char buf[128];
            snprintf(buf, sizeof(buf), "argument must be between %lld and %lld inclusive",
                     p->min, p->max);
            *err = buf;
            return -1;
        }
        if (p->kind == K_INT)
            *(int *)p->ptr = (int)n;
        else
            *(long long *)p->ptr = n;
        return 0;
    case K_STR:
        if (strlen(v) >= (size_t)p->max) {
            *err = "argument too long";
            return -1;
        }
        snprintf((char *)p->ptr, (size_t)p->max, "%s", v);
        return 0;
    case K_ENUM:
        for (int i = 0; p->enums[i]; i++) {
            if (strcasecmp(p->enums[i], v) == 0) {
                *(int *)p->ptr = i;
                return 0;
            }
        }
        {
            static char buf[256];
            size_t len = (size_t)snprintf(buf, sizeof(buf), "argument(s) must be one of the "
                                                            "following: ");
            for (int i = 0; p->enums[i]; i++)
                len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%s%s",
                                        i ? ", " : "", p->enums[i]);
            *err = buf;
        }
        return -1;
    case K_SPECIAL:
        return p->set(p, v, err);
    case K_COMPAT:
        snprintf(p->compat_val, sizeof(p->compat_val), "%.127s", v);
        return 0;
    }
    return -1;
}

static str format_value(param *p)
{
    char buf[64];
    switch (p->kind) {
    case K_BOOL:
        return str_from_c(*(int *)p->ptr ? "yes" : "no");
    case K_INT:
        if (p->ptr == &srv.unixsocketperm) {
            snprintf(buf, sizeof(buf), "%o", *(unsigned *)p->ptr);
            return str_from_c(buf);
        }
        return str_from_ll(*(int *)p->ptr);
    case K_LL:
    case K_MEM:
        return str_from_ll(*(long long *)p->ptr);
    case K_STR:
        return str_from_c((char *)p->ptr);
    case K_ENUM:
        return str_from_c(p->enums[*(int *)p->ptr]);
    case K_SPECIAL:
        return p->get(p);
    case K_COMPAT:
        return str_from_c(p->compat_val);
    }
    return str_from_c("");
}

static int initialising = 1;

void config_set_defaults(void)
{
    const char *err;
    for (param *p = params; p->name; p++) {
        if (p->kind == K_SPECIAL && (p->set == set_obuf || p->set == set_dir))
            continue; /* need the net / nothing to do */
        if (parse_value(p, p->def, &err) < 0) {
            fprintf(stderr, "bad default for %s: %s\n", p->name, err);
            exit(1);
        }
    }
}

void config_apply_deferred_defaults(void)
{
    const char *err;
    param *p = find_param("client-output-buffer-limit");
    parse_value(p, p->def, &err);
    initialising = 0;
}

int config_set(const char *name, const char *value, const char **err)
{
    param *p = find_param(name);
    if (!p)
        return -2;
    if (parse_value(p, value, err) < 0)
        return -1;
    if (p->apply)
        p->apply();
    return 0;
}

/* Split a config line into words: quotes as redis.conf allows. */
static int split_words(const char *line, char words[][1024], int max)
{
    int n = 0;
    const char *s = line;
    while (*s) {
        while (*s && isspace((unsigned char)*s))
            s++;
        if (!*s)
            break;
        if (n == max)
            return -1;
        size_t w = 0;
        char q = 0;
        if (*s == '"' || *s == '\'')
            q = *s++;
        while (*s && (q ? *s != q : !isspace((unsigned char)*s))) {
            if (q == '"' && *s == '\\' && s[1]) {
                s++;
                char e = *s == 'n' ? '\n' : *s == 't' ? '\t' : *s == 'r' ? '\r' : *s;
                if (w < 1023)
                    words[n][w++] = e;
                s++;
                continue;
            }
            if (w < 1023)
                words[n][w++] = *s;
            s++;
        }
        if (q) {
            if (*s != q)
                return -1;
            s++;
        }
        words[n][w] = '\0';
        n++;
    }
    return n;
}

static void fatal(int lineno, const char *line, const char *err)
{
    fprintf(stderr, "\n*** FATAL CONFIG FILE ERROR (Sluice %s) ***\n", SLUICE_OWN_VERSION);
    if (lineno > 0) {
        fprintf(stderr, "Reading the configuration file, at line %d\n", lineno);
        fprintf(stderr, ">>> '%s'\n", line);
    }
    fprintf(stderr, "%s\n", err);
    exit(1);
}

static void load_text(const char *text, const char *origin)
{
    (void)origin;
    char words[64][1024];
    int lineno = 0;
    const char *s = text;
    while (*s) {
        const char *nl = strchr(s, '\n');
        size_t len = nl ? (size_t)(nl - s) : strlen(s);
        char line[4096];
        if (len >= sizeof(line))
            len = sizeof(line) - 1;
        memcpy(line, s, len);
        line[len] = '\0';
        s += len + (nl ? 1 : 0);
        lineno++;
        char *l = line;
        while (isspace((unsigned char)*l))
            l++;
        size_t ll = strlen(l);
        while (ll && isspace((unsigned char)l[ll - 1]))
            l[--ll] = '\0';
        if (!*l || *l == '#')
            continue;
        int n = split_words(l, words, 64);
        if (n < 0)
            fatal(lineno, l, "Unbalanced quotes in configuration line");
        if (n == 0)
            continue;
        param *p = find_param(words[0]);
        if (!p)
            fatal(lineno, l, "Bad directive or wrong number of arguments");
        /* Multi-word values (save "", client-output-buffer-limit, bind) join. */
        char value[4096] = "";
        size_t vl = 0;
        for (int i = 1; i < n; i++)
            vl += (size_t)snprintf(value + vl, sizeof(value) - vl, "%s%s", i > 1 ? " " : "",
                                   words[i]);
        if (n < 2 && p->kind != K_COMPAT && p->kind != K_STR && p->kind != K_SPECIAL)
            fatal(lineno, l, "Bad directive or wrong number of arguments");
        const char *err = NULL;
        if (p->set == set_obuf) {
            /* needs the net: remember as a compat line, applied after init */
            snprintf(p->compat_val, sizeof(p->compat_val), "%.127s", value);
            continue;
        }
        if (parse_value(p, value, &err) < 0)
            fatal(lineno, l, err);
        if (p->apply && !initialising)
            p->apply();
    }
}

void config_apply_file_obuf(void)
{
    param *p = find_param("client-output-buffer-limit");
    const char *err;
    if (p->compat_val[0])
        parse_value(p, p->compat_val, &err);
}

void config_load(const char *path, const char *extra)
{
    if (path) {
        FILE *fp = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
        if (!fp) {
            fprintf(stderr, "Fatal error, can't open config file '%s': %s\n", path,
                    strerror(errno));
            exit(1);
        }
        str text = str_empty_cap(4096);
        char buf[4096];
        size_t n;
        while ((n = fread(buf, 1, sizeof(buf), fp)) > 0)
            text = str_cat(text, buf, n);
        if (fp != stdin)
            fclose(fp);
        load_text(text, path);
        str_free(text);
    }
    if (extra && *extra)
        load_text(extra, "command line");
}

int config_rewrite(const char **err)
{
    if (!srv.config_file) {
        *err = "The server is running without a config file";
        return -1;
    }
    /* Keep the user's file, replacing lines of parameters we know and
     * appending the ones set but absent. */
    FILE *fp = fopen(srv.config_file, "r");
    str out = str_empty_cap(4096);
    char line[4096];
    char seen[512] = {0};
    if (fp) {
        while (fgets(line, sizeof(line), fp)) {
            char name[128];
            if (sscanf(line, " %127s", name) == 1 && name[0] != '#') {
                param *p = find_param(name);
                if (p) {
                    size_t idx = (size_t)(p - params);
                    if (seen[idx])
                        continue;
                    seen[idx] = 1;
                    str v = format_value(p);
                    out = str_cat(out, p->name, strlen(p->name));
                    out = str_cat(out, " \"", 2);
                    out = str_cat(out, v, str_len(v));
                    out = str_cat(out, "\"\n", 2);
                    str_free(v);
                    continue;
                }
            }
            out = str_cat(out, line, strlen(line));
        }
        fclose(fp);
    }
    for (param *p = params; p->name; p++) {
        size_t idx = (size_t)(p - params);
        if (seen[idx] || (p->flags & F_IMMUTABLE))
            continue;
        str v = format_value(p);
        if (strcmp(v, p->def) != 0) {
            out = str_cat(out, p->name, strlen(p->name));
            out = str_cat(out, " \"", 2);
            out = str_cat(out, v, str_len(v));
            out = str_cat(out, "\"\n", 2);
        }
        str_free(v);
    }
    char tmp[1100];
    snprintf(tmp, sizeof(tmp), "%s.tmp", srv.config_file);
    fp = fopen(tmp, "w");
    if (!fp || fwrite(out, 1, str_len(out), fp) != str_len(out) || fflush(fp) ||
        fsync(fileno(fp))) {
        if (fp)
            fclose(fp);
        str_free(out);
        *err = strerror(errno);
        return -1;
    }
    fclose(fp);
    str_free(out);
    if (rename(tmp, srv.config_file) < 0) {
        *err = strerror(errno);
        return -1;
    }
    return 0;
}

/* ---- CONFIG command ---- */

/* CONFIG GET, like Redis 7.0: a name without glob characters is looked up
 * directly (hidden parameters included) and echoed as typed; a pattern is
 * matched against every name and alias (hidden ones excluded), each of
 * which is its own entry.  An entry is listed once. */
typedef struct get_out {
    const char *name;
    size_t len;
} get_out;

static int get_seen(const get_out *v, long n, const char *name, size_t len)
{
    for (long i = 0; i < n; i++)
        if (v[i].len == len && strncasecmp(v[i].name, name, len) == 0)
            return 1;
    return 0;
}

static void get_emit(client *c, get_out *v, long *n, const char *name, size_t len, param *p)
{
    if (get_seen(v, *n, name, len))
        return;
    v[*n].name = name;
    v[(*n)++].len = len;
    str val = format_value(p);
    reply_bulk(c, name, len);
    reply_bulk(c, val, str_len(val));
    str_free(val);
}

static void cmd_config_get(client *c)
{
    size_t nparams = sizeof(params) / sizeof(params[0]);
    get_out *out = ds_malloc(sizeof(get_out) * (nparams * 2 + (size_t)c->argc));
    void *h = reply_defer(c);
    long n = 0;
    for (int i = 2; i < c->argc; i++) {
        const arg *a = &c->argv[i];
        if (!memchr(a->p, '*', a->len) && !memchr(a->p, '?', a->len) &&
            !memchr(a->p, '[', a->len)) {
            char name[256];
            snprintf(name, sizeof(name), "%.*s", (int)a->len, a->p);
            param *p = find_param(name);
            if (p)
                get_emit(c, out, &n, a->p, a->len, p);
            continue;
        }
        for (param *p = params; p->name; p++) {
            if (p->flags & F_HIDDEN)
                continue;
            if (glob_match(a->p, a->len, p->name, strlen(p->name), 1))
                get_emit(c, out, &n, p->name, strlen(p->name), p);
            if (p->alias && glob_match(a->p, a->len, p->alias, strlen(p->alias), 1))
                get_emit(c, out, &n, p->alias, strlen(p->alias), p);
        }
    }
    reply_set_map_len(c, h, n);
    ds_free(out);
}

static void cmd_config_set(client *c)
{
    if (c->argc & 1) {
        reply_error(c, ERR_SYNTAX);
        return;
    }
    int count = (c->argc - 2) / 2;
    param *ps[64];
    str olds[64];
    if (count > 64) {
        reply_error(c, "too many parameters");
        return;
    }
    for (int i = 0; i < count; i++) {
        char name[256];
        const arg *a = &c->argv[2 + i * 2];
        snprintf(name, sizeof(name), "%.*s", (int)a->len, a->p);
        ps[i] = find_param(name);
        if (!ps[i]) {
            reply_errorf(c, "Unknown option or number of arguments for CONFIG SET - '%s'", name);
            return;
        }
        if (ps[i]->flags & F_IMMUTABLE) {
            reply_errorf(c, "CONFIG SET failed (possibly related to argument '%s') - can't set "
                         "immutable config", name);
            return;
        }
        for (int j = 0; j < i; j++) {
            if (ps[j] == ps[i]) {
                reply_errorf(c, "CONFIG SET failed (possibly related to argument '%s') - "
                             "duplicate parameter", name);
                return;
            }
        }
    }
    for (int i = 0; i < count; i++)
        olds[i] = format_value(ps[i]);
    int failed = -1;
    const char *err = NULL;
    for (int i = 0; i < count && failed < 0; i++) {
        const arg *v = &c->argv[3 + i * 2];
        char *val = ds_malloc(v->len + 1);
        memcpy(val, v->p, v->len);
        val[v->len] = '\0';
        if (parse_value(ps[i], val, &err) < 0)
            failed = i;
        ds_free(val);
    }
    if (failed >= 0) {
        const char *e2;
        for (int i = 0; i < failed; i++)
            parse_value(ps[i], olds[i], &e2);
        reply_errorf(c, "CONFIG SET failed (possibly related to argument '%s') - %s",
                     ps[failed]->name, err ? err : "");
    } else {
        for (int i = 0; i < count; i++)
            if (ps[i]->apply)
                ps[i]->apply();
        reply_ok(c);
    }
    for (int i = 0; i < count; i++)
        str_free(olds[i]);
}

extern void server_reset_stats(void);

static void cmd_config_resetstat(client *c)
{
    server_reset_stats();
    reply_ok(c);
}

static void cmd_config_rewrite(client *c)
{
    const char *err;
    if (config_rewrite(&err) < 0) {
        if (!srv.config_file)
            reply_error(c, "The server is running without a config file");
        else
            reply_errorf(c, "Rewriting config file: %s", err);
        return;
    }
    reply_ok(c);
}

static void cmd_config_help(client *c)
{
    static const char *lines[] = {
        "GET <pattern>",
        "    Return parameters matching the glob-like <pattern> and their values.",
        "SET <directive> <value>",
        "    Set the configuration <directive> to <value>.",
        "RESETSTAT",
        "    Reset statistics reported by the INFO command.",
        "REWRITE",
        "    Rewrite the configuration file.",
        NULL};
    reply_help(c, "config", lines);
}

static command config_subs[] = {
    {.name = "get", .proc = cmd_config_get, .arity = -3,
     .flags = CMD_ADMIN | CMD_NOSCRIPT | CMD_LOADING | CMD_STALE, .group = "server",
     .summary = "Get the values of configuration parameters", .since = "2.0.0",
     .complexity = "O(N) when N is the number of configuration parameters provided",
     .acl = "admin slow dangerous"},
    {.name = "set", .proc = cmd_config_set, .arity = -4,
     .flags = CMD_ADMIN | CMD_NOSCRIPT | CMD_LOADING | CMD_STALE, .group = "server",
     .summary = "Set configuration parameters to the given values", .since = "2.0.0",
     .complexity = "O(N) when N is the number of configuration parameters provided",
     .acl = "admin slow dangerous"},
    {.name = "resetstat", .proc = cmd_config_resetstat, .arity = 2,
     .flags = CMD_ADMIN | CMD_NOSCRIPT | CMD_LOADING | CMD_STALE, .group = "server",
     .summary = "Reset the stats returned by INFO", .since = "2.0.0", .complexity = "O(1)",
     .acl = "admin slow dangerous"},
    {.name = "rewrite", .proc = cmd_config_rewrite, .arity = 2,
     .flags = CMD_ADMIN | CMD_NOSCRIPT | CMD_LOADING | CMD_STALE, .group = "server",
     .summary = "Rewrite the configuration file with the in memory configuration",
     .since = "2.8.0", .complexity = "O(1)", .acl = "admin slow dangerous"},
    {.name = "help", .proc = cmd_config_help, .arity = 2, .flags = CMD_LOADING | CMD_STALE,
     .group = "server", .summary = "Show helpful text about the different subcommands",
     .since = "5.0.0", .complexity = "O(1)", .acl = "slow"},
    {.name = NULL},
};

command cmd_config_table[] = {
    {.name = "config", .arity = -2, .group = "server",
     .summary = "A container for server configuration commands", .since = "2.0.0",
     .complexity = "Depends on subcommand.", .acl = "slow", .subs = config_subs},
    {.name = NULL},
};
