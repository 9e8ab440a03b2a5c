/* cmd/info.c - INFO [section ...]: Redis 7.0's sections and field names.
 *
 * Sections: server clients memory persistence stats replication cpu
 * modules commandstats errorstats latencystats cluster keyspace.  "default"
 * (also no argument) is all but commandstats and latencystats; "all" and
 * "everything" are all of them.  Names are matched case-insensitively and
 * unknown names add nothing.
 *
 * Instantaneous rates (ops/sec, kbps) come from a 100 ms sampler, started
 * by the first INFO, averaging the last 16 samples like Redis.  Fields of
 * subsystems Sluice does not have (replication, forks, scripts, tracking)
 * report their idle values.  Persistence lines come from the AOF module
 * (aof_info_append). */
#include "../server.h"

#include "../aof.h"
#include "../blocked.h"
#include "../ds/alloc.h"
#include "../ds/util.h"
#include "../pubsub.h"
#include "../script.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/utsname.h>
#include <unistd.h>

/* jemalloc's control interface; weak so a libc-malloc build (ASan) links. */
int mallctl(const char *name, void *oldp, size_t *oldlenp, void *newp, size_t newlen)
    __attribute__((weak));

/* Replication ids: fixed per run; DEBUG CHANGE-REPL-ID draws new ones. */
char info_replid[41];

void info_new_replid(void)
{
    static const char hex[] = "0123456789abcdef";
    for (int i = 0; i < 40; i++)
        info_replid[i] = hex[random() & 15];
    info_replid[40] = '\0';
}

/* ---- memory figures shared with MEMORY STATS ---- */

size_t info_rss(void)
{
    long pages = 0, resident = 0;
    FILE *fp = fopen("/proc/self/statm", "r");
    if (!fp)
        return 0;
    if (fscanf(fp, "%ld %ld", &pages, &resident) != 2)
        resident = 0;
    fclose(fp);
    return (size_t)resident * (size_t)sysconf(_SC_PAGESIZE);
}

void info_allocator(size_t *allocated, size_t *active, size_t *resident)
{
    *allocated = *active = *resident = 0;
    if (!mallctl) {
        *allocated = *active = *resident = ds_used_memory();
        return;
    }
    uint64_t epoch = 1;
    size_t sz = sizeof(epoch);
    mallctl("epoch", &epoch, &sz, &epoch, sz);
    sz = sizeof(size_t);
    mallctl("stats.allocated", allocated, &sz, NULL, 0);
    sz = sizeof(size_t);
    mallctl("stats.active", active, &sz, NULL, 0);
    sz = sizeof(size_t);
    mallctl("stats.resident", resident, &sz, NULL, 0);
}

const char *info_allocator_name(void)
{
    static char name[64];
    const char *v = NULL;
    size_t sz = sizeof(v);
    if (!mallctl)
        return "libc";
    if (!name[0]) {
        if (mallctl("version", &v, &sz, NULL, 0) == 0 && v) {
            /* "5.3.0-0-g54eaed1d8b56b1aa528be3bdd1877e59c56fa90c" -> "5.3.0" */
            size_t n = strcspn(v, "-");
            snprintf(name, sizeof(name), "jemalloc-%.*s", (int)n, v);
        } else {
            snprintf(name, sizeof(name), "jemalloc");
        }
    }
    return name;
}

void info_bytes_human(char *s, size_t cap, unsigned long long n)
{
    static const char units[] = "KMGTP";
    double d = (double)n;
    int u = -1;
    if (n < 1024) {
        snprintf(s, cap, "%lluB", n);
        return;
    }
    while (d >= 1024 && u < 4) {
        d /= 1024;
        u++;
    }
    snprintf(s, cap, "%.2f%c", d, units[u]);
}

/* Memory held by client structures and their buffers. */
size_t info_clients_memory(void)
{
    net *n = srv.net;
    size_t sum = 0;
    for (int fd = 0; fd < n->maxfds; fd++) {
        client *c = n->clients[fd];
        if (!c)
            continue;
        sum += ds_alloc_size(c) + c->qcap + ds_alloc_size(c->buf) + c->reply_bytes +
               ds_alloc_size(c->argv);
    }
    return sum;
}

size_t info_db_overhead(void)
{
    size_t sum = 0;
    for (int i = 0; i < srv.dbnum; i++)
        sum += dict_mem(srv.dbs[i].keys) + dict_mem(srv.dbs[i].expires);
    return sum;
}

/* ---- instantaneous metrics ---- */

#define SAMPLES 16
enum { M_OPS, M_NET_IN, M_NET_OUT, M_COUNT };

static struct {
    long long last_ms, last_val;
    long long samples[SAMPLES];
    int idx;
} metrics[M_COUNT];
static el_timer *sampler;

static long long metric_now(int m)
{
    switch (m) {
    case M_OPS:
        return srv.stat_numcommands;
    case M_NET_IN:
        return srv.net->stat_net_in;
    default:
        return srv.net->stat_net_out;
    }
}

static long long sample_fn(el *l, el_timer *t, void *ud)
{
    (void)l;
    (void)t;
    (void)ud;
    long long now = el_wall_ms();
    for (int m = 0; m < M_COUNT; m++) {
        long long v = metric_now(m), dt = now - metrics[m].last_ms;
        long long rate = dt > 0 ? (v - metrics[m].last_val) * 1000 / dt : 0;
        if (rate < 0)
            rate = 0; /* counters were reset */
        metrics[m].samples[metrics[m].idx] = rate;
        metrics[m].idx = (metrics[m].idx + 1) % SAMPLES;
        metrics[m].last_ms = now;
        metrics[m].last_val = v;
    }
    return 100;
}

static void sampler_start(void)
{
    if (sampler)
        return;
    for (int m = 0; m < M_COUNT; m++) {
        metrics[m].last_ms = el_wall_ms();
        metrics[m].last_val = metric_now(m);
    }
    sampler = el_timer_add(srv.loop, 100, sample_fn, NULL);
}

static long long metric(int m)
{
    long long sum = 0;
    for (int i = 0; i < SAMPLES; i++)
        sum += metrics[m].samples[i];
    return sum / SAMPLES;
}

/* ---- output helpers ---- */

#define CAT(s, lit) str_cat((s), (lit), sizeof(lit) - 1)

static str catf(str s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static str catf(str s, const char *fmt, ...)
{
    char buf[2048];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    if (n < 0)
        return s;
    if ((size_t)n >= sizeof(buf))
        n = sizeof(buf) - 1;
    return str_cat(s, buf, (size_t)n);
}

/* '#', ':', CR and LF would break the format: replace them with '_'. */
static str cat_safe(str s, const char *p, size_t len)
{
    size_t start = str_len(s);
    s = str_cat(s, p, len);
    for (size_t i = start; i < str_len(s); i++)
        if (s[i] == '#' || s[i] == ':' || s[i] == '\r' || s[i] == '\n')
            s[i] = '_';
    return s;
}

/* ---- sections ---- */

static str sec_server(str s)
{
    static struct utsname un;
    static int have_un;
    if (!have_un) {
        uname(&un);
        have_un = 1;
    }
    long long up = server_uptime_ms() / 1000;
    uint64_t build = hash_bytes(SLUICE_OWN_VERSION __DATE__, strlen(SLUICE_OWN_VERSION __DATE__));
    s = CAT(s, "# Server\r\n");
    s = catf(s,
             "redis_version:%s\r\nredis_git_sha1:00000000\r\nredis_git_dirty:0\r\n"
             "redis_build_id:%016llx\r\nredis_mode:standalone\r\nos:%s %s %s\r\n"
             "arch_bits:%d\r\nmonotonic_clock:POSIX clock_gettime\r\n"
             "multiplexing_api:epoll\r\natomicvar_api:c11-builtin\r\n",
             SLUICE_VERSION, (unsigned long long)(build & 0x7fffffffffffffffULL), un.sysname,
             un.release, un.machine, (int)(sizeof(void *) * 8));
#ifdef __GNUC__
    s = catf(s, "gcc_version:%d.%d.%d\r\n", __GNUC__, __GNUC_MINOR__, __GNUC_PATCHLEVEL__);
#else
    s = catf(s, "gcc_version:0.0.0\r\n");
#endif
    s = catf(s,
             "process_id:%lld\r\nprocess_supervised:no\r\nrun_id:%s\r\ntcp_port:%d\r\n"
             "server_time_usec:%lld\r\nuptime_in_seconds:%lld\r\nuptime_in_days:%lld\r\n"
             "hz:%d\r\nconfigured_hz:%d\r\nlru_clock:%u\r\nexecutable:%s\r\n"
             "config_file:%s\r\nio_threads_active:0\r\n",
             (long long)getpid(), srv.runid, srv.port, el_wall_us(), up, up / 86400, srv.hz,
             srv.hz, (unsigned)(obj_clock() & 0xffffff), srv.exec_path ? srv.exec_path : "",
             srv.config_file ? srv.config_file : "");
    return s;
}

static str sec_clients(str s)
{
    net *n = srv.net;
    size_t maxin = 0, maxout = 0;
    for (int fd = 0; fd < n->maxfds; fd++) {
        client *c = n->clients[fd];
        if (!c)
            continue;
        if (c->qcap > maxin)
            maxin = c->qcap;
        if (conn_output_pending(c) > maxout)
            maxout = conn_output_pending(c);
    }
    return catf(s,
                "# Clients\r\nconnected_clients:%zu\r\ncluster_connections:0\r\n"
                "maxclients:%u\r\nclient_recent_max_input_buffer:%zu\r\n"
                "client_recent_max_output_buffer:%zu\r\nblocked_clients:%zu\r\n"
                "tracking_clients:0\r\nclients_in_timeout_table:%zu\r\n",
                n->nclients, srv.maxclients, maxin, maxout, srv.blocked_clients,
                blocked_timeout_count());
}

static const char *policy_name(int p)
{
    static const char *const names[] = {"noeviction",      "allkeys-lru",  "volatile-lru",
                                        "allkeys-lfu",     "volatile-lfu", "allkeys-random",
                                        "volatile-random", "volatile-ttl"};
    return p >= 0 && p < 8 ? names[p] : "noeviction";
}

static double ratio(size_t a, size_t b)
{
    return b ? (double)a / (double)b : 0;
}

static str sec_memory(str s)
{
    size_t used = ds_used_memory(), rss = info_rss(), alloc, active, resident;
    char h_used[32], h_peak[32], h_sys[32], h_rss[32], h_max[32];
    size_t sysmem = (size_t)sysconf(_SC_PHYS_PAGES) * (size_t)sysconf(_SC_PAGESIZE);
    size_t clients = info_clients_memory(), overhead = clients + info_db_overhead();
    size_t dataset = used > overhead ? used - overhead : 0;
    info_allocator(&alloc, &active, &resident);
    if ((long long)used > srv.used_memory_peak)
        srv.used_memory_peak = (long long)used;
    info_bytes_human(h_used, sizeof(h_used), used);
    info_bytes_human(h_peak, sizeof(h_peak), (unsigned long long)srv.used_memory_peak);
    info_bytes_human(h_sys, sizeof(h_sys), sysmem);
    info_bytes_human(h_rss, sizeof(h_rss), rss);
    info_bytes_human(h_max, sizeof(h_max), (unsigned long long)srv.maxmemory);
    s = catf(s,
             "# Memory\r\nused_memory:%zu\r\nused_memory_human:%s\r\nused_memory_rss:%zu\r\n"
             "used_memory_rss_human:%s\r\nused_memory_peak:%lld\r\n"
             "used_memory_peak_human:%s\r\nused_memory_peak_perc:%.2f%%\r\n"
             "used_memory_overhead:%zu\r\nused_memory_startup:0\r\n"
             "used_memory_dataset:%zu\r\nused_memory_dataset_perc:%.2f%%\r\n"
             "allocator_allocated:%zu\r\nallocator_active:%zu\r\nallocator_resident:%zu\r\n"
             "total_system_memory:%zu\r\ntotal_system_memory_human:%s\r\n",
             used, h_used, rss, h_rss, srv.used_memory_peak, h_peak,
             100 * ratio(used, (size_t)srv.used_memory_peak), overhead, dataset,
             100 * ratio(dataset, used), alloc, active, resident, sysmem, h_sys);
    size_t lua = script_vm_memory(), scripts = script_cache_memory();
    char h_lua[32], h_scripts[32];
    info_bytes_human(h_lua, sizeof(h_lua), lua);
    info_bytes_human(h_scripts, sizeof(h_scripts), scripts);
    s = catf(s, "used_memory_lua:%zu\r\nused_memory_vm_eval:%zu\r\n"
                "used_memory_lua_human:%s\r\nused_memory_scripts_eval:%zu\r\n"
                "number_of_cached_scripts:%zu\r\nnumber_of_functions:%zu\r\n"
                "number_of_libraries:%zu\r\n"
                "used_memory_vm_functions:%zu\r\nused_memory_vm_total:%zu\r\n"
                "used_memory_vm_total_human:%s\r\nused_memory_functions:0\r\n"
                "used_memory_scripts:%zu\r\nused_memory_scripts_human:%s\r\n",
             lua, lua, h_lua, scripts, script_cached_count(), function_count(),
             function_lib_count(), function_vm_memory(), lua + function_vm_memory(), h_lua,
             scripts, h_scripts);
    s = catf(s,
             "maxmemory:%lld\r\nmaxmemory_human:%s\r\nmaxmemory_policy:%s\r\n"
             "allocator_frag_ratio:%.2f\r\nallocator_frag_bytes:%zu\r\n"
             "allocator_rss_ratio:%.2f\r\nallocator_rss_bytes:%zd\r\n"
             "rss_overhead_ratio:%.2f\r\nrss_overhead_bytes:%zd\r\n"
             "mem_fragmentation_ratio:%.2f\r\nmem_fragmentation_bytes:%zd\r\n",
             srv.maxmemory, h_max, policy_name(srv.maxmemory_policy), ratio(active, alloc),
             active - alloc, ratio(resident, active), (ssize_t)(resident - active),
             ratio(rss, resident), (ssize_t)(rss - resident), ratio(rss, used),
             (ssize_t)(rss - used));
    return catf(s,
                "mem_not_counted_for_evict:0\r\nmem_replication_backlog:0\r\n"
                "mem_total_replication_buffers:0\r\nmem_clients_slaves:0\r\n"
                "mem_clients_normal:%zu\r\nmem_cluster_links:0\r\nmem_aof_buffer:0\r\n"
                "mem_allocator:%s\r\nactive_defrag_running:0\r\nlazyfree_pending_objects:0\r\n"
                "lazyfreed_objects:0\r\n",
                clients, info_allocator_name());
}

static str sec_persistence(str s)
{
    s = catf(s,
             "# Persistence\r\nloading:%d\r\nasync_loading:0\r\ncurrent_cow_peak:0\r\n"
             "current_cow_size:0\r\ncurrent_cow_size_age:0\r\ncurrent_fork_perc:0.00\r\n"
             "current_save_keys_processed:0\r\ncurrent_save_keys_total:0\r\n",
             srv.loading ? 1 : 0);
    s = aof_info_append(s, 2);
    s = aof_info_append(s, 0);
    s = CAT(s, "module_fork_in_progress:0\r\nmodule_fork_last_cow_size:0\r\n");
    return aof_info_append(s, 1);
}

static str sec_stats(str s)
{
    net *n = srv.net;
    long ch, pat, shard;
    pubsub_stats(&ch, &pat, &shard);
    s = catf(s,
             "# Stats\r\ntotal_connections_received:%lld\r\ntotal_commands_processed:%lld\r\n"
             "instantaneous_ops_per_sec:%lld\r\ntotal_net_input_bytes:%lld\r\n"
             "total_net_output_bytes:%lld\r\ntotal_net_repl_input_bytes:0\r\n"
             "total_net_repl_output_bytes:0\r\ninstantaneous_input_kbps:%.2f\r\n"
             "instantaneous_output_kbps:%.2f\r\ninstantaneous_input_repl_kbps:0.00\r\n"
             "instantaneous_output_repl_kbps:0.00\r\nrejected_connections:%lld\r\n"
             "sync_full:0\r\nsync_partial_ok:0\r\nsync_partial_err:0\r\n",
             n->stat_connections, srv.stat_numcommands, metric(M_OPS), n->stat_net_in,
             n->stat_net_out, (double)metric(M_NET_IN) / 1024, (double)metric(M_NET_OUT) / 1024,
             n->stat_rejected);
    s = catf(s,
             "expired_keys:%lld\r\nexpired_stale_perc:%.2f\r\n"
             "expired_time_cap_reached_count:0\r\nexpire_cycle_cpu_milliseconds:0\r\n"
             "evicted_keys:%lld\r\nevicted_clients:0\r\ntotal_eviction_exceeded_time:0\r\n"
             "current_eviction_exceeded_time:0\r\nkeyspace_hits:%lld\r\nkeyspace_misses:%lld\r\n"
             "pubsub_channels:%ld\r\npubsub_patterns:%ld\r\npubsubshard_channels:%ld\r\n",
             srv.stat_expiredkeys, (double)srv.stat_expired_stale_perc, srv.stat_evictedkeys,
             srv.stat_keyspace_hits, srv.stat_keyspace_misses, ch, pat, shard);
    s = aof_info_append(s, 3);
    s = CAT(s, "migrate_cached_sockets:0\r\n"
               "slave_expires_tracked_keys:0\r\nactive_defrag_hits:0\r\n"
               "active_defrag_misses:0\r\nactive_defrag_key_hits:0\r\n"
               "active_defrag_key_misses:0\r\ntotal_active_defrag_time:0\r\n"
               "current_active_defrag_time:0\r\ntracking_total_keys:0\r\n"
               "tracking_total_items:0\r\ntracking_total_prefixes:0\r\n");
    return catf(s,
                "unexpected_error_replies:%lld\r\ntotal_error_replies:%lld\r\n"
                "dump_payload_sanitizations:0\r\ntotal_reads_processed:%lld\r\n"
                "total_writes_processed:%lld\r\nio_threaded_reads_processed:0\r\n"
                "io_threaded_writes_processed:0\r\nreply_buffer_shrinks:0\r\n"
                "reply_buffer_expands:0\r\n"
                "client_output_buffer_limit_disconnections:%lld\r\n",
                srv.stat_unexpected_error_replies, srv.stat_total_error_replies,
                srv.stat_numcommands, srv.stat_numcommands, srv.net->stat_obuf_disconnects);
}

static str sec_replication(str s)
{
    if (!info_replid[0])
        info_new_replid();
    return catf(s,
                "# Replication\r\nrole:master\r\nconnected_slaves:0\r\n"
                "master_failover_state:no-failover\r\nmaster_replid:%s\r\n"
                "master_replid2:0000000000000000000000000000000000000000\r\n"
                "master_repl_offset:0\r\nsecond_repl_offset:-1\r\nrepl_backlog_active:0\r\n"
                "repl_backlog_size:1048576\r\nrepl_backlog_first_byte_offset:0\r\n"
                "repl_backlog_histlen:0\r\n",
                info_replid);
}

static str sec_cpu(str s)
{
    struct rusage self, kids, thr;
    getrusage(RUSAGE_SELF, &self);
    getrusage(RUSAGE_CHILDREN, &kids);
    getrusage(RUSAGE_THREAD, &thr);
    return catf(s,
                "# CPU\r\nused_cpu_sys:%ld.%06ld\r\nused_cpu_user:%ld.%06ld\r\n"
                "used_cpu_sys_children:%ld.%06ld\r\nused_cpu_user_children:%ld.%06ld\r\n"
                "used_cpu_sys_main_thread:%ld.%06ld\r\nused_cpu_user_main_thread:%ld.%06ld\r\n",
                (long)self.ru_stime.tv_sec, (long)self.ru_stime.tv_usec,
                (long)self.ru_utime.tv_sec, (long)self.ru_utime.tv_usec,
                (long)kids.ru_stime.tv_sec, (long)kids.ru_stime.tv_usec,
                (long)kids.ru_utime.tv_sec, (long)kids.ru_utime.tv_usec, (long)thr.ru_stime.tv_sec,
                (long)thr.ru_stime.tv_usec, (long)thr.ru_utime.tv_sec, (long)thr.ru_utime.tv_usec);
}

static str cmdstat(str s, const command *cmd)
{
    if (!cmd->calls && !cmd->failed_calls && !cmd->rejected_calls)
        return s;
    s = CAT(s, "cmdstat_");
    s = cat_safe(s, cmd->fullname, strlen(cmd->fullname));
    return catf(s,
                ":calls=%lld,usec=%lld,usec_per_call=%.2f,rejected_calls=%lld,"
                "failed_calls=%lld\r\n",
                cmd->calls, cmd->usec,
                cmd->calls ? (double)((float)cmd->usec / (float)cmd->calls) : 0.0,
                cmd->rejected_calls, cmd->failed_calls);
}

static str sec_commandstats(str s)
{
    dict_iter it;
    dict_entry *e;
    s = CAT(s, "# Commandstats\r\n");
    dict_iter_init(&it, srv.commands, 0);
    while ((e = dict_iter_next(&it))) {
        const command *cmd = e->v.val;
        s = cmdstat(s, cmd);
        for (const command *sub = cmd->subs; sub && sub->name; sub++)
            s = cmdstat(s, sub);
    }
    dict_iter_done(&it);
    return s;
}

static int str_sort(const void *a, const void *b)
{
    const str x = *(const str *)a, y = *(const str *)b;
    return str_cmp(x, y);
}

static str sec_errorstats(str s)
{
    s = CAT(s, "# Errorstats\r\n");
    if (!srv.errors || dict_size(srv.errors) == 0)
        return s;
    size_t n = dict_size(srv.errors), k = 0;
    str *names = ds_malloc(sizeof(str) * n);
    dict_iter it;
    dict_entry *e;
    dict_iter_init(&it, srv.errors, 0);
    while ((e = dict_iter_next(&it)) && k < n)
        names[k++] = e->key;
    dict_iter_done(&it);
    qsort(names, k, sizeof(str), str_sort);
    for (size_t i = 0; i < k; i++) {
        dict_entry *d = dict_find(srv.errors, names[i], str_len(names[i]));
        s = CAT(s, "errorstat_");
        s = cat_safe(s, names[i], str_len(names[i]));
        s = catf(s, ":count=%lld\r\n", (long long)d->v.s64);
    }
    ds_free(names);
    return s;
}

static str sec_keyspace(str s)
{
    s = CAT(s, "# Keyspace\r\n");
    for (int i = 0; i < srv.dbnum; i++) {
        db *d = &srv.dbs[i];
        size_t keys = dict_size(d->keys), exp = dict_size(d->expires);
        if (keys || exp)
            s = catf(s, "db%d:keys=%zu,expires=%zu,avg_ttl=%lld\r\n", i, keys, exp, d->avg_ttl);
    }
    return s;
}

static str sec_modules(str s)
{
    return CAT(s, "# Modules\r\n");
}

static str sec_latencystats(str s)
{
    return CAT(s, "# Latencystats\r\n");
}

static str sec_cluster(str s)
{
    return CAT(s, "# Cluster\r\ncluster_enabled:0\r\n");
}

/* clang-format off */
typedef str section_fn(str s);

static const struct {
    const char *name;
    section_fn *fn;
    int in_default;
} sections[] = {
    {"server", sec_server, 1},
    {"clients", sec_clients, 1},
    {"memory", sec_memory, 1},
    {"persistence", sec_persistence, 1},
    {"stats", sec_stats, 1},
    {"replication", sec_replication, 1},
    {"cpu", sec_cpu, 1},
    {"module_list", sec_modules, 1},
    {"commandstats", sec_commandstats, 0},
    {"errorstats", sec_errorstats, 1},
    {"latencystats", sec_latencystats, 0},
    {"cluster", sec_cluster, 1},
    {"keyspace", sec_keyspace, 1},
};

/* clang-format on */
#define NSECTIONS (sizeof(sections) / sizeof(sections[0]))

/* The INFO text for the sections named in argv (all args are names). */
str info_generate(const arg *argv, int argc)
{
    int want[NSECTIONS] = {0}, all = 0;
    if (argc == 0) {
        for (size_t i = 0; i < NSECTIONS; i++)
            want[i] = sections[i].in_default;
    }
    for (int a = 0; a < argc; a++) {
        if (arg_eq(&argv[a], "all") || arg_eq(&argv[a], "everything")) {
            all = 1;
        } else if (arg_eq(&argv[a], "default")) {
            for (size_t i = 0; i < NSECTIONS; i++)
                want[i] |= sections[i].in_default;
        } else if (arg_eq(&argv[a], "modules")) {
            want[7] = 1;
        } else {
            for (size_t i = 0; i < NSECTIONS; i++)
                if (arg_eq(&argv[a], sections[i].name))
                    want[i] = 1;
        }
    }
    str s = str_empty_cap(4096);
    int count = 0;
    for (size_t i = 0; i < NSECTIONS; i++) {
        if (!all && !want[i])
            continue;
        if (count++)
            s = CAT(s, "\r\n");
        s = sections[i].fn(s);
    }
    return s;
}

static void cmd_info(client *c)
{
    sampler_start();
    str s = info_generate(c->argv + 1, c->argc - 1);
    reply_verbatim(c, s, str_len(s), "txt");
    str_free(s);
}

command cmd_info_table[] = {
    {.name = "info",
     .proc = cmd_info,
     .arity = -1,
     .flags = CMD_LOADING | CMD_STALE | CMD_SENTINEL,
     .group = "server",
     .summary = "Get information and statistics about the server",
     .since = "1.0.0",
     .complexity = "O(1)",
     .acl = "slow dangerous"},
    {.name = NULL},
};
