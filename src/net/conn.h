/* conn.h - a client connection: socket, query buffer, parser, reply buffers.
 *
 * Life cycle: accepted (listen.c) -> reading -> for each parsed command the
 * owner's exec hook runs -> replies accumulate in `buf` then in a list of
 * blocks -> before sleep, one writev per client -> closed either at once
 * (I/O error) or asynchronously (CLIENT_CLOSE_ASAP, freed before sleep) so
 * no pointer to a client dies in the middle of a command.
 *
 * The net layer knows nothing of data types: the fields under "owner state"
 * are opaque here and belong to the server and command layers. */
#ifndef NET_CONN_H
#define NET_CONN_H
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "el.h"
#include "resp.h"

#define CLIENT_BUF_SIZE (16 * 1024)

/* flags */
#define CLIENT_CLOSE_AFTER_REPLY (1u << 0)
#define CLIENT_CLOSE_ASAP (1u << 1)
#define CLIENT_PENDING_WRITE (1u << 2)
#define CLIENT_BLOCKED (1u << 3)
#define CLIENT_MULTI (1u << 4)
#define CLIENT_DIRTY_CAS (1u << 5)
#define CLIENT_DIRTY_EXEC (1u << 6)
#define CLIENT_PUBSUB (1u << 7)
#define CLIENT_MONITOR (1u << 8)
#define CLIENT_UNIX (1u << 9)
#define CLIENT_REPLY_OFF (1u << 10)
#define CLIENT_REPLY_SKIP_NEXT (1u << 11)
#define CLIENT_REPLY_SKIP (1u << 12)
#define CLIENT_NO_EVICT (1u << 13)
#define CLIENT_FAKE (1u << 14)   /* AOF loading: no socket */
#define CLIENT_IN_EXEC (1u << 15)
#define CLIENT_PROTECTED (1u << 16)
#define CLIENT_UNBLOCKED (1u << 17) /* ready to reprocess its query buffer */
#define CLIENT_CLOSE_AFTER_COMMAND (1u << 18)
#define CLIENT_PAUSED (1u << 19)
#define CLIENT_NO_TOUCH (1u << 20)
#define CLIENT_SCRIPT (1u << 21) /* a script's fake client: replies are kept */

typedef struct arg {
    const char *p;
    size_t len;
} arg;

/* A block of reply bytes.  Shared blocks (pub/sub fan-out) are reference
 * counted and never appended to. */
typedef struct reply_block {
    struct reply_block *next;
    size_t used, size;
    int refs; /* >0: shared, read only */
    int is_ref; /* this node points at a shared block */
    struct reply_block *shared;
    char buf[];
} reply_block;

struct net;
struct multi_state;
struct block_state;
struct pubsub_state;
struct db;

typedef struct client {
    uint64_t id;
    int fd;
    uint32_t flags;
    struct net *net;

    /* input */
    char *qbuf;
    size_t qlen, qcap;
    resp_parser rp;
    int argc;
    int argv_cap;
    arg *argv;
    arg *argv_own; /* argv copied out of the buffer (blocked, MULTI...) */

    /* output: buf first, then the block list (only once buf is done) */
    char *buf;
    size_t bufpos, sentlen;
    reply_block *rhead, *rtail;
    size_t reply_bytes; /* bytes held in blocks */
    long long obuf_soft_since; /* ms when the soft limit was first passed */

    int resp; /* 2 or 3 */
    long long ctime_ms, last_ms;
    char addr[64], laddr[64];
    char *name;
    uint64_t last_cmd_id;
    const char *last_cmd_name;
    size_t qbuf_peak;
    long long last_active_ms; /* for shrinking idle buffers */

    /* owner state (server/cmd layers) */
    int db_id;
    struct db *db;
    int authenticated;
    struct multi_state *mstate;
    struct block_state *bstate;
    struct pubsub_state *pstate;
    void *watched;   /* list of watched keys */
    void *cmd;       /* command being run */
    long long woff;  /* pending writes counter etc. */
    struct client *next_pending; /* clients_pending_write chain */
    void *ud;
} client;

/* Hooks the owner provides. */
typedef struct net_hooks {
    void (*exec)(client *c);         /* run c->argv; return when done */
    void (*on_free)(client *c);      /* clean owner state */
    int (*is_unauth)(client *c);     /* parser limits before AUTH */
    void (*on_error)(client *c, const char *err, size_t len); /* errorstats */
    void (*on_accept)(client *c);
    /* The client as CLIENT INFO shows it, for log lines; NULL: id and addr. */
    void (*describe)(const client *c, char *buf, size_t cap);
} net_hooks;

typedef struct net {
    el *loop;
    long long now_ms; /* wall clock cached by the owner once per loop turn */
    net_hooks hooks;
    uint64_t next_id;
    client **clients; /* indexed by fd */
    int maxfds;
    size_t nclients;
    client *pending_write;
    client **close_list;
    size_t nclose, capclose;
    long long max_bulk;
    size_t qbuf_limit;
    unsigned maxclients;
    long long stat_net_in, stat_net_out;
    long long stat_rejected;
    long long stat_connections;
    /* output buffer limits for normal clients (0 = none) */
    size_t obuf_hard[3], obuf_soft[3];
    long long obuf_soft_secs[3];
    long long stat_obuf_disconnects;
    int tcp_keepalive;
    int protected_mode;
    int has_password;
    int paused;          /* CLIENT PAUSE: don't process commands */
    int cron_cursor;     /* conn_clients_cron position (fd) */
    int (*may_process)(client *c); /* owner veto (pause) */
} net;

net *net_new(el *loop, int maxfds, const net_hooks *hooks);
client *conn_create(net *n, int fd, int is_unix);
client *conn_create_fake(net *n);
void conn_free(client *c);
void conn_close_async(client *c);
void conn_free_closed(net *n);
/* Write pending replies; called before sleep. */
void conn_flush_pending(net *n);
void conn_queue_write(client *c);
/* Process whatever commands c's query buffer holds (after unblocking). */
void conn_process_input(client *c);
/* Make c->argv survive query buffer changes (blocked clients, MULTI). */
void conn_own_argv(client *c);
/* Deep copies of an argv: the arg array followed by the NUL-terminated
 * bytes, in one block.  argv_copy_into lays it out in dst, which must hold
 * argv_copy_size(src, argc) bytes; argv_dup allocates the block (ds_free). */
size_t argv_copy_size(const arg *src, int argc);
arg *argv_copy_into(const arg *src, int argc, void *dst);
arg *argv_dup(const arg *src, int argc);
void conn_release_argv(client *c);
size_t conn_output_pending(const client *c);
size_t conn_qbuf_used(const client *c);
void conn_shrink_idle(client *c, long long now_ms);
/* Cron: resize idle or oversized query buffers of a slice of the clients. */
void conn_clients_cron(net *n, int hz, long long now_ms);
/* Run one command from a saved argv (a postponed client resuming) with the
 * same bookkeeping as a parsed one; the caller then calls
 * conn_process_input to continue with the query buffer. */
void conn_run_argv(client *c, const arg *argv, int argc);
int conn_write_now(client *c);
/* Stop reading c's socket (1 if it was being read) / read it again. */
int conn_pause_reads(client *c);
void conn_resume_reads(client *c);
int conn_obuf_class(const client *c);
void conn_check_obuf_limit(client *c);

#endif
