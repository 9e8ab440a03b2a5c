/* server.h - the server: its one global state, the command table types,
 * and the entry points command handlers use (keyspace in db.h, replies in
 * net/reply.h).  Layering: main -> server -> net, cmd, aof, blocked -> db -> ds. */
#ifndef SLUICE_SERVER_H
#define SLUICE_SERVER_H
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "db.h"
#include "ds/dict.h"
#include "ds/str.h"
#include "net/conn.h"
#include "net/el.h"
#include "net/reply.h"
#include "obj.h"

#define SLUICE_VERSION "7.0.15"
#define SLUICE_OWN_VERSION "0.1.0"

/* command flags */
#define CMD_WRITE (1u << 0)
#define CMD_READONLY (1u << 1)
#define CMD_DENYOOM (1u << 2)
#define CMD_ADMIN (1u << 3)
#define CMD_PUBSUB (1u << 4)
#define CMD_NOSCRIPT (1u << 5)
#define CMD_BLOCKING (1u << 6)
#define CMD_LOADING (1u << 7)
#define CMD_STALE (1u << 8)
#define CMD_SKIP_MONITOR (1u << 9)
#define CMD_SKIP_SLOWLOG (1u << 10)
#define CMD_FAST (1u << 11)
#define CMD_NO_AUTH (1u << 12)
#define CMD_MAY_REPLICATE (1u << 13)
#define CMD_NO_MULTI (1u << 14)
#define CMD_MOVABLE_KEYS (1u << 15)
#define CMD_ALLOW_BUSY (1u << 16)
#define CMD_NO_MANDATORY_KEYS (1u << 17)
#define CMD_PROTECTED (1u << 18)
#define CMD_SENTINEL (1u << 19)

typedef void cmd_fn(client *c);

typedef struct command {
    const char *name;     /* lower case; "config|get" style fullname built at init */
    cmd_fn *proc;
    int arity;
    uint32_t flags;
    int first_key, last_key, key_step;
    const char *group;    /* COMMAND DOCS group, e.g. "string" */
    const char *summary;
    const char *since;
    const char *complexity;
    const char *acl;      /* space separated ACL categories without '@' */
    struct command *subs; /* NULL-name terminated array of subcommands */
    /* filled at run time */
    char fullname[64];
    size_t name_len;
    struct command *parent;
    long long calls, usec, rejected_calls, failed_calls;
    uint64_t id;
} command;

/* Command modules export a NULL-name terminated array of these. */
extern command cmd_config_table[];
extern command cmd_keys_table[];
extern command cmd_string_table[];
extern command cmd_server_table[];
extern command cmd_multi_table[];
extern command cmd_list_table[];
extern command cmd_pubsub_table[];
extern command cmd_stream_table[];
extern command cmd_client_table[];  /* cmd/client.c */
extern command cmd_info_table[];    /* cmd/info.c */
extern command cmd_command_table[]; /* cmd/command.c */
extern command cmd_debug_table[];   /* cmd/debug.c: DEBUG MEMORY SLOWLOG LATENCY */
/* cmd/client.c: CLIENT PAUSE; 1 if c's command was postponed. */
int client_pause_postpone(client *c, const command *cmd);
extern command cmd_aof_table[]; /* aof.c: BGREWRITEAOF, SAVE, BGSAVE */
extern command cmd_hash_table[]; /* cmd/hash.c */
extern command cmd_set_table[];  /* cmd/set.c */
extern command cmd_zset_table[]; /* cmd/zset.c */
extern command cmd_script_table[]; /* cmd/script.c: EVAL*, SCRIPT */
extern command cmd_sort_table[];   /* cmd/sort.c: SORT, SORT_RO */
/* COMMAND GETKEYS for SORT / SORT_RO (argv[0] is the command): argv
 * indexes into pos (room for 2); returns how many. */
int sort_getkeys(const arg *argv, int argc, int *pos);

#define NUM_DBS_DEFAULT 16

typedef struct slowlog_entry {
    long long id, time, duration;
    int argc;
    str *argv;
    char cname[64], addr[64];
} slowlog_entry;

struct server {
    el *loop;
    net *net;
    pid_t pid;
    char runid[41];
    char *config_file;
    char *exec_path;
    long long start_ms;
    uint64_t start_mono_us;
    /* networking */
    char bind[512];
    int port;
    char unixsocket[512];
    unsigned unixsocketperm;
    int tcp_backlog;
    int listen_fds[16];
    int nlisten;
    int unix_fd;
    long long maxidletime; /* timeout, seconds */
    int tcp_keepalive;
    unsigned maxclients;
    int protected_mode;
    long long proto_max_bulk_len;
    long long client_max_querybuf_len;
    /* data */
    int dbnum;
    db *dbs;
    dict *commands;       /* name -> command* (case-insensitive) */
    long long dirty;      /* changes since start */
    int active_expire_enabled;
    int hz;
    long long stat_expiredkeys, stat_keyspace_hits, stat_keyspace_misses;
    long long stat_numcommands, stat_evictedkeys, stat_expired_stale_perc;
    long long stat_total_error_replies, stat_unexpected_error_replies;
    long long stat_rejected_calls;
    dict *errors;         /* error code -> count (errorstats) */
    /* memory */
    long long maxmemory;
    int maxmemory_policy;
    int maxmemory_samples;
    long long used_memory_peak;
    /* auth */
    char *requirepass;
    /* logging */
    int verbosity;
    char logfile[512];
    int daemonize;
    char pidfile[512];
    /* slowlog, latency */
    long long slowlog_log_slower_than;
    long slowlog_max_len;
    slowlog_entry **slowlog;
    long slowlog_len;
    long long slowlog_next_id;
    long long latency_monitor_threshold;
    /* client pause */
    long long pause_end_ms;
    int pause_type; /* 0 none, 1 write, 2 all */
    /* monitors */
    client **monitors;
    size_t nmonitors;
    /* execution context */
    client *current_client;
    int in_exec;          /* inside MULTI/EXEC */
    int loading;
    long long cmd_time_ms; /* time snapshot for expiry during a command */
    uint64_t clock_mono_us; /* last monotonic clock reading (see call()) */
    int shutdown_asap;
    int shutdown_flags;
    /* list tuning */
    int list_max_listpack_size;
    int list_compress_depth;
    size_t list_packed_threshold;
    /* hash, set and sorted set encodings (see ds/hmap.h, mset.h, zset.h) */
    long long hash_max_listpack_entries;
    long long hash_max_listpack_value;
    long long set_max_intset_entries;
    long long zset_max_listpack_entries;
    long long zset_max_listpack_value;
    /* stream tuning */
    long long stream_node_max_bytes;
    long long stream_node_max_entries;
    /* keyspace notifications */
    int notify_flags;
    /* lazyfree and misc config accepted for compatibility */
    int lazyfree_lazy_user_del;
    int lazyfree_lazy_user_flush;
    int lazyfree_lazy_expire;
    int lazyfree_lazy_eviction;
    int lazyfree_lazy_server_del;
    char dir[1024];
    /* persistence */
    int aof_enabled;
    int aof_fsync;
    char appendfilename[256];
    char appenddirname[256];
    long long lastsave;
    long long dirty_before_bgsave;
    /* blocked clients */
    size_t blocked_clients;
    size_t blocked_on_keys;
    void *ready_keys; /* blocked.c */
    long long stat_total_blocking_keys;
    /* stats */
    long long stat_net_input_bytes, stat_net_output_bytes;
    double cron_elapsed;
    int cron_loops;
    long long stat_peak_mem;
    /* propagation overrides for the running command (see call()) */
    struct {
        int dbid, argc;
        arg *argv;
    } *prop;
    int nprop, capprop;
    int prop_override;
    int exec_multi_pending, exec_multi_written, exec_dbid; /* MULTI/EXEC wrapping */
    /* scripting (script.c) */
    long long busy_reply_threshold; /* ms; alias lua-time-limit */
};

extern struct server srv;

/* server.c */
void server_exec(client *c);
void call(client *c, command *cmd);
command *lookup_command(arg *argv, int argc);
command *lookup_command_name(const char *name, size_t len);
void server_propagate(int dbid, arg *argv, int argc);
/* Log argv (copied) instead of the command's own argv; call several times
 * to log several commands.  propagate_suppress(): log nothing. */
void propagate_replace(int dbid, const arg *argv, int argc);
void propagate_suppress(void);
/* Feed MONITOR clients c's command now (EVAL: before what its script runs). */
void server_feed_monitors(client *c);
int server_auth_required(client *c);
void server_flag_transaction(client *c);
long long server_now_ms(void);
void server_shutdown(int flags);
long long server_uptime_ms(void);
const char *server_command_fullname(const command *cmd);
void server_reject(client *c, const char *err);
void server_init_commands(void);
void server_record_error(const char *msg, size_t len);
str client_info_line(str s, const client *cl); /* cmd/client.c: CLIENT INFO's line */
void server_init(void);
void server_apply_net_config(void);
void server_reset_stats(void);
extern void (*propagate_hook)(int dbid, arg *argv, int argc);
/* Whether propagated commands go anywhere now (the AOF is open); NULL:
 * always.  propagate_replace() skips copying argv when they would not. */
extern int (*propagate_active_hook)(void);
extern void (*before_sleep_aof_hook)(void);
extern void (*shutdown_aof_hook)(void);
extern void (*pubsub_client_gone_hook)(client *c);

/* Helpers used by many handlers. */
int arg_eq(const arg *a, const char *s); /* case-insensitive */
int arg_ll(client *c, const arg *a, long long *out, const char *err);
int arg_ll_range(client *c, const arg *a, long long min, long long max, long long *out,
                 const char *err);
int arg_double(client *c, const arg *a, double *out, const char *err);
int arg_timeout(client *c, const arg *a, long long *deadline_ms, int unit_seconds);
/* Keyspace notifications: pub/sub wires this up. */
void notify_keyspace_event(int type, const char *event, const char *key, size_t klen, int dbid);
extern void (*notify_hook)(int type, const char *event, const char *key, size_t klen,
                           int dbid);

/* notification type flags (notify-keyspace-events letters) */
#define NOTIFY_KEYSPACE (1 << 0)  /* K */
#define NOTIFY_KEYEVENT (1 << 1)  /* E */
#define NOTIFY_GENERIC (1 << 2)   /* g */
#define NOTIFY_STRING (1 << 3)    /* $ */
#define NOTIFY_LIST (1 << 4)      /* l */
#define NOTIFY_SET (1 << 5)       /* s */
#define NOTIFY_HASH (1 << 6)      /* h */
#define NOTIFY_ZSET (1 << 7)      /* z */
#define NOTIFY_EXPIRED (1 << 8)   /* x */
#define NOTIFY_EVICTED (1 << 9)   /* e */
#define NOTIFY_STREAM (1 << 10)   /* t */
#define NOTIFY_KEY_MISS (1 << 11) /* m */
#define NOTIFY_LOADED (1 << 12)   /* module only */
#define NOTIFY_MODULE (1 << 13)   /* d */
#define NOTIFY_NEW (1 << 14)      /* n */
#define NOTIFY_ALL (NOTIFY_GENERIC | NOTIFY_STRING | NOTIFY_LIST | NOTIFY_SET | NOTIFY_HASH | \
                    NOTIFY_ZSET | NOTIFY_EXPIRED | NOTIFY_EVICTED | NOTIFY_STREAM |       \
                    NOTIFY_MODULE) /* A */

/* Shared error strings (exact Redis 7.0 text). */
#define ERR_WRONGTYPE "-WRONGTYPE Operation against a key holding the wrong kind of value"
#define ERR_NOT_INT "value is not an integer or out of range"
#define ERR_NOT_FLOAT "value is not a valid float"
#define ERR_SYNTAX "syntax error"
#define ERR_NOKEY "no such key"
#define ERR_OOM "-OOM command not allowed when used memory > 'maxmemory'."
#define ERR_NOAUTH "-NOAUTH Authentication required."
#define ERR_OVERFLOW "increment or decrement would overflow"

#endif
