/* server.c - the server's one global, command dispatch and the loop hooks.
 *
 * server_exec() is processCommand: look up, check arity, auth, MULTI,
 * pub/sub context, memory, then call().  call() runs the handler, keeps
 * per-command statistics, the slow log and MONITOR feed, and propagates
 * commands that changed data to the AOF.  before_sleep() serves blocked
 * clients, writes the AOF, writes replies and frees closed clients, in
 * that order, so no reply leaves before the write it acknowledges. */
#include "server.h"

#include "aof.h"
#include "blocked.h"
#include "ds/alloc.h"
#include "ds/util.h"
#include "log.h"
#include "multi.h"
#include "pubsub.h"
#include "script.h"

#include <ctype.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

struct server srv;

void (*notify_hook)(int type, const char *event, const char *key, size_t klen, int dbid);
void (*propagate_hook)(int dbid, arg *argv, int argc);
int (*propagate_active_hook)(void);

static command *all_tables_lookup(const char *name, size_t len);

/* Clock reads cost ~100 ns on virtual machines, so the server reads the
 * monotonic clock once per command (its end doubles as the next command's
 * start) and derives wall time from it with an offset synced every loop
 * turn.  Inside a command, "now" is the command's start time, as in Redis:
 * a key cannot expire half-way through a command or a transaction. */
static long long wall_offset_us;

static void clock_sync(void)
{
    uint64_t mono = el_mono_us();
    long long wall = el_wall_us();
    wall_offset_us = wall - (long long)mono;
    srv.clock_mono_us = mono;
    if (srv.net)
        srv.net->now_ms = wall / 1000;
}

long long server_now_ms(void)
{
    if (srv.current_client && srv.cmd_time_ms)
        return srv.cmd_time_ms;
    return el_wall_ms();
}

long long server_uptime_ms(void)
{
    return (long long)((el_mono_us() - srv.start_mono_us) / 1000);
}

int arg_eq(const arg *a, const char *s)
{
    size_t n = strlen(s);
    return a->len == n && strncasecmp(a->p, s, n) == 0;
}

int arg_ll(client *c, const arg *a, long long *out, const char *err)
{
    if (!str_to_ll(a->p, a->len, out)) {
        reply_error(c, err ? err : ERR_NOT_INT);
        return -1;
    }
    return 0;
}

int arg_ll_range(client *c, const arg *a, long long min, long long max, long long *out,
                 const char *err)
{
    long long v;
    int is_int = str_to_ll(a->p, a->len, &v);
    if (!is_int || v < min || v > max) {
        /* As Redis's getRangeLongFromObjectOrReply: a given message covers
         * both failures; without one, each has its own. */
        if (err)
            reply_error(c, err);
        else if (!is_int)
            reply_error(c, ERR_NOT_INT);
        else
            reply_errorf(c, "value is out of range, value must between %lld and %lld", min, max);
        return -1;
    }
    *out = v;
    return 0;
}

int arg_double(client *c, const arg *a, double *out, const char *err)
{
    if (!str_to_double(a->p, a->len, out)) {
        reply_error(c, err ? err : ERR_NOT_FLOAT);
        return -1;
    }
    return 0;
}

/* Blocking timeouts: seconds with decimals (or ms), >= 0; 0 = forever.
 * Like Redis 7.0 (getTimeoutFromObjectOrReply): seconds are turned into ms
 * with ceill() and a cast that makes out-of-range values (inf too) negative,
 * hence "timeout is negative"; a deadline past the end of time never fires. */
int arg_timeout(client *c, const arg *a, long long *deadline_ms, int unit_seconds)
{
    long long ms;
    if (unit_seconds && str_to_ll(a->p, a->len, &ms) && ms > -9000000000000000LL &&
        ms < 9000000000000000LL) {
        ms *= 1000; /* whole seconds (the usual "0"): no long double parse */
    } else if (unit_seconds) {
        long double v;
        if (!str_to_ld(a->p, a->len, &v)) {
            reply_error(c, "timeout is not a float or out of range");
            return -1;
        }
        long double x = ceill(v * 1000.0L);
        ms = (x >= -9223372036854775808.0L && x < 9223372036854775808.0L) ? (long long)x
                                                                            : INT64_MIN;
    } else {
        if (!str_to_ll(a->p, a->len, &ms)) {
            reply_error(c, "timeout is not an integer or out of range");
            return -1;
        }
    }
    if (ms < 0) {
        reply_error(c, "timeout is negative");
        return -1;
    }
    if (ms == 0) {
        *deadline_ms = 0;
        return 0;
    }
    long long now = el_wall_ms();
    *deadline_ms = ms > INT64_MAX - now ? 0 : ms + now;
    return 0;
}

void notify_keyspace_event(int type, const char *event, const char *key, size_t klen, int dbid)
{
    if (notify_hook && (srv.notify_flags & type))
        notify_hook(type, event, key, klen, dbid);
}

void propagate_replace(int dbid, const arg *argv, int argc)
{
    if (propagate_active_hook && !propagate_active_hook()) {
        srv.prop_override = 1; /* nothing listens: no copy on the hot path */
        return;
    }
    arg *a = argv_dup(argv, argc);
    if (srv.nprop == srv.capprop) {
        srv.capprop = srv.capprop ? srv.capprop * 2 : 8;
        srv.prop = ds_realloc(srv.prop, sizeof(*srv.prop) * (size_t)srv.capprop);
    }
    srv.prop[srv.nprop].dbid = dbid;
    srv.prop[srv.nprop].argc = argc;
    srv.prop[srv.nprop].argv = a;
    srv.nprop++;
    srv.prop_override = 1;
}

void propagate_suppress(void)
{
    srv.prop_override = 1;
}

void server_propagate(int dbid, arg *argv, int argc)
{
    if (srv.loading)
        return;
    if (srv.exec_multi_pending) {
        arg ma = {"MULTI", 5};
        srv.exec_multi_pending = 0;
        srv.exec_multi_written = 1;
        if (propagate_hook)
            propagate_hook(srv.exec_dbid, &ma, 1);
    }
    if (propagate_hook)
        propagate_hook(dbid, argv, argc);
}

int server_auth_required(client *c)
{
    return srv.requirepass && srv.requirepass[0] && !c->authenticated;
}

void server_flag_transaction(client *c)
{
    if (c->flags & CLIENT_MULTI)
        c->flags |= CLIENT_DIRTY_EXEC;
}

const char *server_command_fullname(const command *cmd)
{
    return cmd->fullname;
}

/* ---- command table ---- */

static command *tables[] = {cmd_config_table, cmd_keys_table, cmd_string_table, cmd_server_table,
                            cmd_multi_table, cmd_list_table, cmd_pubsub_table,
                            cmd_stream_table, cmd_aof_table, cmd_client_table, cmd_info_table,
                            cmd_command_table, cmd_debug_table, cmd_hash_table,
                            cmd_set_table, cmd_zset_table, cmd_script_table,
                            cmd_sort_table};

static void cmd_key_view(const void *key, const void **p, size_t *len)
{
    const command *cmd = key;
    *p = cmd->name;
    *len = strlen(cmd->name);
}

static const dict_type command_dict_type = {cmd_key_view, NULL, NULL, 1};

void server_init_commands(void)
{
    uint64_t id = 0;
    srv.commands = dict_new(&command_dict_type);
    for (size_t t = 0; t < sizeof(tables) / sizeof(tables[0]); t++) {
        for (command *cmd = tables[t]; cmd->name; cmd++) {
            snprintf(cmd->fullname, sizeof(cmd->fullname), "%s", cmd->name);
            cmd->name_len = strlen(cmd->name);
            cmd->id = id++;
            dict_add(srv.commands, cmd, cmd);
            for (command *s = cmd->subs; s && s->name; s++) {
                snprintf(s->fullname, sizeof(s->fullname), "%s|%s", cmd->name, s->name);
                s->parent = cmd;
                s->id = id++;
            }
        }
    }
}

static command *all_tables_lookup(const char *name, size_t len)
{
    return dict_fetch(srv.commands, name, len);
}

command *lookup_command_name(const char *name, size_t len)
{
    return all_tables_lookup(name, len);
}

static command *find_sub(command *cmd, const arg *a)
{
    for (command *s = cmd->subs; s->name; s++)
        if (arg_eq(a, s->name))
            return s;
    return NULL;
}

command *lookup_command(arg *argv, int argc)
{
    command *cmd = all_tables_lookup(argv[0].p, argv[0].len);
    if (!cmd || !cmd->subs)
        return cmd;
    if (argc < 2)
        return cmd; /* arity check will catch it */
    return find_sub(cmd, &argv[1]);
}

/* ---- statistics ---- */

static void errors_key_view(const void *key, const void **p, size_t *len)
{
    *p = key;
    *len = str_len((const str)key);
}

static void errors_key_free(void *k)
{
    str_free(k);
}

static const dict_type errors_type = {errors_key_view, errors_key_free, NULL, 0};

void server_record_error(const char *msg, size_t len)
{
    size_t n = 0;
    while (n < len && msg[n] != ' ')
        n++;
    if (n > 128)
        n = 128;
    srv.stat_total_error_replies++;
    if (!srv.errors)
        srv.errors = dict_new(&errors_type);
    /* Like Redis, stop tracking new codes past 128 distinct ones. */
    dict_entry *e = dict_find(srv.errors, msg, n);
    if (!e) {
        if (dict_size(srv.errors) >= 128)
            return;
        e = dict_add(srv.errors, str_new(msg, n), NULL);
    }
    e->v.s64++;
}

static int cmd_failed;

static void on_error_reply(client *c, const char *msg, size_t len)
{
    (void)c;
    cmd_failed = 1;
    server_record_error(msg, len);
}

/* ---- slow log and monitor ---- */

static void slowlog_push(client *c, long long dur)
{
    if (srv.slowlog_log_slower_than < 0 || dur < srv.slowlog_log_slower_than ||
        srv.slowlog_max_len <= 0)
        return;
    slowlog_entry *e = ds_calloc(sizeof(*e));
    int argc = c->argc > 32 ? 32 : c->argc;
    e->argc = argc;
    e->argv = ds_malloc(sizeof(str) * (size_t)argc);
    for (int i = 0; i < argc; i++) {
        if (i == argc - 1 && c->argc > 32) {
            char tmp[64];
            snprintf(tmp, sizeof(tmp), "... (%d more arguments)", c->argc - 31);
            e->argv[i] = str_from_c(tmp);
        } else if (c->argv[i].len > 128) {
            char tmp[64];
            e->argv[i] = str_new(c->argv[i].p, 128);
            snprintf(tmp, sizeof(tmp), "... (%zu more bytes)", c->argv[i].len - 128);
            e->argv[i] = str_cat(e->argv[i], tmp, strlen(tmp));
        } else {
            e->argv[i] = str_new(c->argv[i].p, c->argv[i].len);
        }
    }
    e->id = srv.slowlog_next_id++;
    e->time = el_wall_ms() / 1000;
    e->duration = dur;
    snprintf(e->cname, sizeof(e->cname), "%s", c->name ? c->name : "");
    snprintf(e->addr, sizeof(e->addr), "%s", c->addr);
    if (srv.slowlog_len == srv.slowlog_max_len || !srv.slowlog) {
        srv.slowlog = ds_realloc(srv.slowlog, sizeof(slowlog_entry *) *
                                                  (size_t)(srv.slowlog_max_len + 1));
    }
    memmove(srv.slowlog + 1, srv.slowlog, sizeof(slowlog_entry *) * (size_t)srv.slowlog_len);
    srv.slowlog[0] = e;
    srv.slowlog_len++;
    while (srv.slowlog_len > srv.slowlog_max_len) {
        slowlog_entry *old = srv.slowlog[--srv.slowlog_len];
        for (int i = 0; i < old->argc; i++)
            str_free(old->argv[i]);
        ds_free(old->argv);
        ds_free(old);
    }
}


static void feed_monitors(client *c, int dbid, arg *argv, int argc)
{
    if (!srv.nmonitors || srv.loading)
        return;
    char head[700];
    struct timeval tv;
    gettimeofday(&tv, NULL);
    if (c->flags & CLIENT_UNIX)
        snprintf(head, sizeof(head), "+%ld.%06ld [%d unix:%s] ", (long)tv.tv_sec,
                 (long)tv.tv_usec, dbid, srv.unixsocket);
    else
        snprintf(head, sizeof(head), "+%ld.%06ld [%d %s] ", (long)tv.tv_sec,
                 (long)tv.tv_usec, dbid, c->addr);
    str s = str_from_c(head);
    for (int i = 0; i < argc; i++) {
        s = str_cat_repr(s, argv[i].p, argv[i].len);
        if (i != argc - 1)
            s = str_cat(s, " ", 1);
    }
    s = str_cat(s, "\r\n", 2);
    for (size_t i = 0; i < srv.nmonitors; i++)
        reply_raw(srv.monitors[i], s, str_len(s));
    str_free(s);
}

void server_feed_monitors(client *c)
{
    feed_monitors(c, c->db_id, c->argv, c->argc);
}

/* ---- dispatch ---- */

void call(client *c, command *cmd)
{
    long long dirty = srv.dirty;
    client *prev = srv.current_client;
    int prev_failed = cmd_failed;
    int prop_base = srv.nprop, prop_saved = srv.prop_override;
    srv.prop_override = 0;
    srv.current_client = c;
    c->cmd = cmd;
    c->last_cmd_name = cmd->fullname;
    uint64_t start = srv.clock_mono_us;
    if (!srv.in_exec)
        srv.cmd_time_ms = ((long long)start + wall_offset_us) / 1000;
    cmd_failed = 0;
    cmd->proc(c);
    uint64_t end = el_mono_us();
    srv.clock_mono_us = end;
    long long dur = (long long)(end - start);
    if (c->flags & CLIENT_BLOCKED) {
        /* Counted (with this time) when it is served or times out. */
        blocked_note_call_usec(c, dur);
    } else {
        cmd->calls++;
        cmd->usec += dur;
        if (cmd_failed)
            cmd->failed_calls++;
    }
    if (!(cmd->flags & CMD_SKIP_SLOWLOG) && !(c->flags & CLIENT_BLOCKED))
        slowlog_push(c, dur);
    /* MONITOR sees a command after it ran, like Redis: EXEC comes after the
     * commands it ran, and AUTH / HELLO have redacted their passwords. */
    if (!(cmd->flags & (CMD_SKIP_MONITOR | CMD_ADMIN)))
        feed_monitors(c, c->db_id, c->argv, c->argc);
    if (srv.prop_override) {
        /* The handler chose what to log (e.g. SET EX -> SET PXAT). */
        for (int i = prop_base; i < srv.nprop; i++) {
            server_propagate(srv.prop[i].dbid, srv.prop[i].argv, srv.prop[i].argc);
            ds_free(srv.prop[i].argv);
        }
        srv.nprop = prop_base;
    } else if (srv.dirty != dirty && !(c->flags & CLIENT_BLOCKED)) {
        server_propagate(c->db_id, c->argv, c->argc);
    }
    srv.prop_override = prop_saved;
    srv.stat_numcommands++;
    cmd_failed = prev_failed;
    srv.current_client = prev;
}

void server_reject(client *c, const char *err)
{
    server_flag_transaction(c);
    if (c->cmd)
        ((command *)c->cmd)->rejected_calls++;
    srv.stat_rejected_calls++;
    if (c->cmd && ((command *)c->cmd)->proc == cmd_multi_table[1].proc) {
        /* EXEC itself rejected: abort the transaction. */
        char buf[512];
        const char *e = err[0] == '-' ? err + 1 : err;
        snprintf(buf, sizeof(buf), "-EXECABORT Transaction discarded because of: %s", e);
        reply_error(c, buf);
        multi_discard(c);
        return;
    }
    reply_error(c, err);
}

static int is_container(const arg *a)
{
    command *cmd = all_tables_lookup(a->p, a->len);
    return cmd && cmd->subs;
}

static void reject_unknown(client *c)
{
    char err[1024];
    if (c->argc >= 2 && is_container(&c->argv[0])) {
        char up[64];
        size_t i;
        for (i = 0; i < c->argv[0].len && i < sizeof(up) - 1; i++)
            up[i] = (char)toupper((unsigned char)c->argv[0].p[i]);
        up[i] = '\0';
        /* argv[1] is a slice of the query buffer, not NUL terminated. */
        snprintf(err, sizeof(err), "unknown subcommand '%.*s'. Try %s HELP.",
                 (int)(c->argv[1].len > 128 ? 128 : c->argv[1].len), c->argv[1].p, up);
    } else {
        size_t n = (size_t)snprintf(err, sizeof(err), "unknown command '%.*s', with args "
                                    "beginning with: ", (int)(c->argv[0].len > 128 ? 128 :
                                    c->argv[0].len), c->argv[0].p);
        size_t args_len = 0;
        for (int i = 1; i < c->argc && args_len < 128 && n < sizeof(err) - 8; i++) {
            int max = 128 - (int)args_len;
            int w = snprintf(err + n, sizeof(err) - n, "'%.*s' ",
                             (int)(c->argv[i].len < (size_t)max ? c->argv[i].len : (size_t)max),
                             c->argv[i].p);
            n += (size_t)w;
            args_len += (size_t)w;
        }
    }
    c->cmd = NULL;
    server_flag_transaction(c);
    srv.stat_rejected_calls++;
    reply_error(c, err);
}

static int allowed_in_pubsub(const command *cmd)
{
    static const char *ok[] = {"ping", "subscribe", "ssubscribe", "unsubscribe",
                               "sunsubscribe", "psubscribe", "punsubscribe", "quit",
                               "reset", NULL};
    for (int i = 0; ok[i]; i++)
        if (strcmp(cmd->name, ok[i]) == 0)
            return 1;
    return 0;
}

static int is_multi_control(const command *cmd)
{
    return strcmp(cmd->name, "exec") == 0 || strcmp(cmd->name, "discard") == 0 ||
           strcmp(cmd->name, "multi") == 0 || strcmp(cmd->name, "watch") == 0 ||
           strcmp(cmd->name, "quit") == 0 || strcmp(cmd->name, "reset") == 0;
}

static int over_maxmemory(void)
{
    if (srv.maxmemory <= 0 || (long long)ds_used_memory() <= srv.maxmemory)
        return 0;
    return db_evict_to_fit() < 0;
}

void server_exec(client *c)
{
    /* Pipelines repeat the same command: try the client's last one first. */
    command *cmd = c->cmd;
    if (!cmd || cmd->subs || cmd->parent || cmd->name_len != c->argv[0].len ||
        strncasecmp(cmd->name, c->argv[0].p, cmd->name_len) != 0)
        cmd = lookup_command(c->argv, c->argc);
    c->cmd = cmd;
    if (!cmd) {
        reject_unknown(c);
        return;
    }
    if ((cmd->arity > 0 && cmd->arity != c->argc) || c->argc < -cmd->arity) {
        char err[160];
        snprintf(err, sizeof(err), "wrong number of arguments for '%s' command", cmd->fullname);
        server_reject(c, err);
        return;
    }
    if (server_auth_required(c) && !(cmd->flags & CMD_NO_AUTH)) {
        server_reject(c, ERR_NOAUTH);
        return;
    }
    if ((c->flags & CLIENT_MULTI) && (cmd->flags & CMD_NO_MULTI)) {
        server_reject(c, "Command not allowed inside a transaction");
        return;
    }
    if (srv.loading && !(cmd->flags & CMD_LOADING)) { /* clients served while loading */
        server_reject(c, "-LOADING Redis is loading the dataset in memory");
        return;
    }
    if (script_timedout() && !(cmd->flags & CMD_ALLOW_BUSY)) {
        server_reject(c, script_busy_error()); /* before eviction: the script owns the data */
        return;
    }
    uint32_t flags = cmd->flags;
    if (cmd->proc == cmd_multi_table[1].proc)
        flags |= multi_queued_flags(c); /* EXEC is checked as what it runs */
    if (over_maxmemory()) {
        int reject = (flags & CMD_DENYOOM) ||
                     ((c->flags & CLIENT_MULTI) && !is_multi_control(cmd));
        if (reject) {
            server_reject(c, ERR_OOM);
            return;
        }
    }
    const char *diskerr = aof_write_error(); /* -MISCONF after a failed AOF write */
    if (diskerr && ((flags & CMD_WRITE) || strcmp(cmd->name, "ping") == 0)) {
        server_reject(c, diskerr);
        return;
    }
    if ((c->flags & CLIENT_PUBSUB) && c->resp == 2 && !allowed_in_pubsub(cmd)) {
        char err[256];
        snprintf(err, sizeof(err),
                 "Can't execute '%s': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / "
                 "RESET are allowed in this context", cmd->fullname);
        server_reject(c, err);
        return;
    }
    if (srv.pause_type && client_pause_postpone(c, cmd))
        return; /* CLIENT PAUSE: it runs when the pause ends */
    if ((c->flags & CLIENT_MULTI) && !is_multi_control(cmd)) {
        multi_queue(c, cmd);
        reply_raw(c, "+QUEUED\r\n", 9);
        return;
    }
    call(c, cmd);
    if (srv.ready_keys && !script_running())
        blocked_serve_ready();
}

/* ---- loop hooks ---- */

void (*before_sleep_aof_hook)(void);

static void after_sleep(el *l, void *ud)
{
    (void)l;
    (void)ud;
    clock_sync();
}

static void before_sleep(el *l, void *ud)
{
    (void)l;
    (void)ud;
    blocked_serve_ready();
    db_active_expire(1);
    if (before_sleep_aof_hook)
        before_sleep_aof_hook();
    conn_flush_pending(srv.net);
    conn_free_closed(srv.net);
    if (srv.shutdown_asap)
        server_shutdown(srv.shutdown_flags);
}

static void check_timeouts(long long now)
{
    net *n = srv.net;
    for (int fd = 0; fd < n->maxfds; fd++) {
        client *c = n->clients[fd];
        if (!c)
            continue;
        if (srv.maxidletime && !(c->flags & (CLIENT_BLOCKED | CLIENT_PUBSUB | CLIENT_MONITOR)) &&
            now - c->last_ms > srv.maxidletime * 1000) {
            log_msg(LOG_VERBOSE, "Closing idle client");
            conn_close_async(c);
        }
        if (c->reply_bytes)
            conn_check_obuf_limit(c);
    }
}

static long long cron(el *l, el_timer *t, void *ud)
{
    (void)l;
    (void)t;
    (void)ud;
    static long long last_clients_check;
    long long now = el_wall_ms();
    size_t used = ds_used_memory();
    if ((long long)used > srv.used_memory_peak)
        srv.used_memory_peak = (long long)used;
    if (!script_running()) /* a busy script serving clients owns the data */
        db_active_expire(25 * 1000 / (srv.hz ? srv.hz : 10) / 100);
    for (int i = 0; i < srv.dbnum; i++) {
        dict_rehash_ms(srv.dbs[i].keys, 1);
        dict_rehash_ms(srv.dbs[i].expires, 1);
        dict_shrink_if_sparse(srv.dbs[i].keys);
        dict_shrink_if_sparse(srv.dbs[i].expires);
    }
    conn_clients_cron(srv.net, srv.hz, now);
    if (now - last_clients_check >= 1000) {
        check_timeouts(now);
        last_clients_check = now;
    }
    if (srv.pause_end_ms && now >= srv.pause_end_ms) {
        srv.pause_end_ms = 0;
        srv.pause_type = 0;
    }
    srv.cron_loops++;
    return 1000 / (srv.hz ? srv.hz : 10);
}

static void on_client_free(client *c)
{
    if (c->flags & CLIENT_BLOCKED)
        blocked_client_gone(c);
    multi_client_gone(c);
    if (c->flags & CLIENT_MONITOR) {
        for (size_t i = 0; i < srv.nmonitors; i++) {
            if (srv.monitors[i] == c) {
                srv.monitors[i] = srv.monitors[--srv.nmonitors];
                break;
            }
        }
    }
    extern void (*pubsub_client_gone_hook)(client *c);
    if (pubsub_client_gone_hook)
        pubsub_client_gone_hook(c);
}

static int is_unauth(client *c)
{
    return server_auth_required(c);
}

static void on_accept(client *c)
{
    c->db = &srv.dbs[0];
    c->db_id = 0;
    c->authenticated = !(srv.requirepass && srv.requirepass[0]);
}

void (*pubsub_client_gone_hook)(client *c);

static void describe_client(const client *c, char *buf, size_t cap)
{
    str s = client_info_line(str_empty_cap(512), c);
    size_t n = str_len(s) < cap - 1 ? str_len(s) : cap - 1;
    memcpy(buf, s, n);
    buf[n] = '\0';
    str_free(s);
}

static void handle_signal(int sig)
{
    (void)sig;
    srv.shutdown_asap = 1;
}

void server_init(void)
{
    srv.pid = getpid();
    srv.start_ms = el_wall_ms();
    srv.start_mono_us = el_mono_us();
    FILE *fp = fopen("/dev/urandom", "r");
    unsigned char seed[36];
    if (!fp || fread(seed, 1, sizeof(seed), fp) != sizeof(seed)) {
        for (size_t i = 0; i < sizeof(seed); i++)
            seed[i] = (unsigned char)(rand() ^ (int)srv.start_ms);
    }
    if (fp)
        fclose(fp);
    hash_set_seed(seed);
    for (int i = 0; i < 40; i++)
        srv.runid[i] = "0123456789abcdef"[seed[16 + i / 2] >> ((i & 1) * 4) & 15];
    srv.runid[40] = '\0';
    srand((unsigned)(seed[0] | seed[1] << 8 | seed[2] << 16));
    srandom((unsigned)(seed[3] | seed[4] << 8 | seed[5] << 16));

    /* maxclients goes up to UINT_MAX (as in Redis): the descriptor tables
     * are sized for at most a million clients. */
    int setsize = (int)(srv.maxclients < 1000000 ? srv.maxclients : 1000000) + 1024;
    srv.loop = el_new(setsize);
    net_hooks hooks = {server_exec, on_client_free, is_unauth, on_error_reply, on_accept,
                       describe_client};
    srv.net = net_new(srv.loop, setsize, &hooks);
    db_init_all(srv.dbnum);
    server_init_commands();
    blocked_init();
    /* A blocked command reaches the slow log when it is served or CLIENT
     * UNBLOCKed, with its first call's time plus the serving time. */
    blocked_served_hook = slowlog_push;
    pubsub_init();
    aof_init();
    script_init();
    el_timer_add(srv.loop, 1, cron, NULL);
    el_set_before_sleep(srv.loop, before_sleep, NULL);
    el_set_after_sleep(srv.loop, after_sleep, NULL);
    clock_sync();
    signal(SIGPIPE, SIG_IGN);
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = handle_signal;
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
}

void server_apply_net_config(void)
{
    net *n = srv.net;
    n->max_bulk = srv.proto_max_bulk_len;
    n->qbuf_limit = (size_t)srv.client_max_querybuf_len;
    n->maxclients = srv.maxclients;
    n->tcp_keepalive = srv.tcp_keepalive;
    n->protected_mode = srv.protected_mode;
    n->has_password = srv.requirepass && srv.requirepass[0];
}

void (*shutdown_aof_hook)(void);

void server_shutdown(int flags)
{
    (void)flags;
    log_msg(LOG_WARNING, "User requested shutdown...");
    if (shutdown_aof_hook)
        shutdown_aof_hook();
    if (srv.pidfile[0])
        unlink(srv.pidfile);
    if (srv.unixsocket[0])
        unlink(srv.unixsocket);
    conn_flush_pending(srv.net);
    log_msg(LOG_WARNING, "Sluice is now ready to exit, bye bye...");
    exit(0);
}

void server_reset_stats(void)
{
    srv.stat_expiredkeys = srv.stat_keyspace_hits = srv.stat_keyspace_misses = 0;
    srv.stat_numcommands = srv.stat_evictedkeys = 0;
    srv.stat_total_error_replies = srv.stat_unexpected_error_replies = 0;
    srv.stat_rejected_calls = 0;
    srv.net->stat_net_in = srv.net->stat_net_out = 0;
    srv.net->stat_rejected = srv.net->stat_connections = 0;
    srv.net->stat_obuf_disconnects = 0;
    if (srv.errors)
        dict_clear(srv.errors);
    dict_iter it;
    dict_iter_init(&it, srv.commands, 0);
    dict_entry *e;
    while ((e = dict_iter_next(&it))) {
        command *cmd = e->v.val;
        cmd->calls = cmd->usec = cmd->rejected_calls = cmd->failed_calls = 0;
        for (command *s = cmd->subs; s && s->name; s++)
            s->calls = s->usec = s->rejected_calls = s->failed_calls = 0;
    }
    dict_iter_done(&it);
    srv.used_memory_peak = (long long)ds_used_memory();
}
