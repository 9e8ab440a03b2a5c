/* blocked.h - clients blocked on keys (BLPOP, BLMOVE, BLMPOP, XREAD BLOCK,
 * XREADGROUP BLOCK ...), Redis 7.0 semantics.
 *
 * The protocol, step by step:
 *
 *  1. block.   A handler that cannot serve now (and may block: see
 *              blocked_may_block) calls blocked_on_keys() with its db, its
 *              keys, an absolute deadline (from arg_timeout), a block_ops
 *              table and the size of a private state it fills in at once
 *              (the "priv": IDs, counts, directions, a target key ...).
 *              The client gets CLIENT_BLOCKED (conn stops running its
 *              input), joins the tail of one FIFO queue per distinct key in
 *              db->blocking, and a timer is armed if the deadline is not 0.
 *              The handler writes no reply and returns.
 *  2. signal.  A write that may serve a waiter calls signal_key_ready()
 *              (db.h): db_add() already does for every new list/zset/stream
 *              key; stream writers (XADD, XGROUP ...) and deletions of
 *              stream keys call it themselves.  A key is queued at most once
 *              until it is served (blocked_key_queued).
 *  3. serve.   blocked_serve_ready() runs after every top-level command
 *              (server_exec, so after EXEC as a whole) and before sleep.
 *              For each ready key, in signal order, it looks the key up
 *              (expiring it if due) and calls ops->serve() for each waiter
 *              of that key, oldest first, with the current value (or NULL).
 *              serve() returns BLOCK_SERVED after writing the full reply
 *              (and doing the pop, notifications, dirty++ and propagation of
 *              the non-blocking form: serve() runs outside call(), so it
 *              logs with server_propagate(), not propagate_replace()), or
 *              BLOCK_WAIT to keep waiting (the
 *              client keeps its place in every queue).  After a waiter is
 *              served, the loop re-reads the key and stops at once if the
 *              key existed and is now gone (a list popped empty).  Writes
 *              made while serving (BLMOVE's push) signal more keys, served
 *              in a following round of the same call (chains).
 *  4. collect. The client leaves every queue and its state is freed when
 *              it is served, times out (ops->timeout writes the reply,
 *              default a null array), is unblocked by CLIENT UNBLOCK
 *              (blocked_unblock), or disconnects (blocked_client_gone, no
 *              reply).  Served, timed-out and CLIENT UNBLOCKed clients then
 *              resume their pipelined input (conn_process_input) at the end
 *              of blocked_serve_ready, never from inside a serve() call.
 *
 * Arguments: the client's own argv points into its query buffer and is
 * gone once the handler returns.  blocked.c keeps a copy of the command and
 * installs it as c->argv / c->argc while serve() and timeout() run, so the
 * callbacks may read c->argv as the handler did; anything else (resolved
 * IDs, parsed options) belongs in priv.
 *
 * Invariants: a client is blocked on at most one thing at a time; every
 * queue in db->blocking is non-empty (the entry goes with its last waiter);
 * srv.blocked_clients counts blocked clients, srv.blocked_on_keys the keys
 * with waiters; srv.ready_keys is NULL iff no key is waiting to be served.
 * Idle blocked clients cost no CPU: only their timer (if any) is watched. */
#ifndef SLUICE_BLOCKED_H
#define SLUICE_BLOCKED_H
#include <stddef.h>

#include "db.h"
#include "net/conn.h"

enum { BLOCK_WAIT = 0, BLOCK_SERVED = 1 };

typedef struct block_ops {
    const char *name; /* for logs/debugging, e.g. "list", "stream" */
    /* Try to serve c from ready key `key` of db d; `ki` is the index of the
     * key in the array given to blocked_on_keys (first occurrence when a
     * key was given twice); `o` is its value now (NULL if missing, any type).
     * While it runs, srv.current_client is c. Return BLOCK_SERVED once the
     * reply is written (errors included), else BLOCK_WAIT. */
    int (*serve)(client *c, db *d, const arg *key, int ki, obj *o, void *priv);
    /* Reply on timeout and CLIENT UNBLOCK [TIMEOUT]; NULL = null array. */
    void (*timeout)(client *c, void *priv);
    /* Release what priv points to (not priv itself); NULL = nothing. */
    void (*free)(void *priv);
} block_ops;

void blocked_init(void);

/* May c block now?  0 inside MULTI/EXEC and for fake (AOF) clients: the
 * handler must then answer as on timeout (Redis: CLIENT_DENY_BLOCKING). */
int blocked_may_block(const client *c);

/* Step 1.  keys: nkeys >= 1 key slices (copied); deadline_ms: absolute
 * wall-clock ms as set by arg_timeout(), 0 = forever.  Returns a zeroed
 * private area of priv_size bytes (owned by blocked.c, alive until the
 * client is unblocked), passed back to every ops callback. */
void *blocked_on_keys(client *c, db *d, const arg *keys, int nkeys, long long deadline_ms,
                      const block_ops *ops, size_t priv_size);

/* Step 3 (server.c calls it; safe to call anywhere outside a command). */
void blocked_serve_ready(void);

/* CLIENT UNBLOCK: how 0 = timeout reply, 1 = -UNBLOCKED error.  Returns 1
 * if c was blocked on keys and is now unblocked, 0 otherwise. */
int blocked_unblock(client *c, int how);

/* Forget a blocked client being freed (no reply). */
void blocked_client_gone(client *c);

int blocked_is_blocked(const client *c);

/* Called by signal_key_ready() when d has waiters: queue k if some client
 * waits on it and it is not queued yet. */
void blocked_key_queued(db *d, const char *k, size_t len);

/* Signal every key of d that has waiters and exists (SWAPDB calls it for
 * both databases after swapping, like Redis's scanDatabaseForReadyKeys). */
void blocked_signal_existing(db *d);

/* 1 if some client of d waits on key k. */
int blocked_has_waiters(db *d, const char *k, size_t len);

size_t blocked_count(void);         /* blocked clients */
size_t blocked_keys_count(void);    /* distinct (db, key) pairs with waiters */
size_t blocked_timeout_count(void); /* blocked clients with a deadline (INFO's
                                       clients_in_timeout_table) */

/* Set by the server to log a served (or CLIENT UNBLOCKed) command to the
 * slow log, as Redis does when it unblocks; c->argv is the command's copy
 * while it runs.  NULL: nothing is logged. */
extern void (*blocked_served_hook)(client *c, long long usec);

/* The time the blocking call itself took (call() measures it once the
 * handler has blocked the client): added to the command's usec and to the
 * slow-log duration when it is served, as Redis's updateStatsOnUnblock. */
void blocked_note_call_usec(client *c, long long usec);

#endif
