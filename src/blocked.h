/* blocked.h - clients blocked on keys (BLPOP, BLMOVE, XREAD BLOCK ...).
 *
 * The protocol, in four numbered steps:
 *  1. block:  a handler that cannot serve now calls blocked_on_keys() with
 *             the keys, a deadline and its own command to re-run; the
 *             client's argv is copied and it stops reading commands;
 *  2. signal: any write that may serve a waiter calls signal_key_ready();
 *             keys are queued once per turn (db.h);
 *  3. serve:  before sleep, blocked_serve_ready() re-runs, for each ready
 *             key, the commands of its waiters in arrival order until one
 *             stays blocked (the key is empty again);
 *  4. collect: a timeout (event loop timer), CLIENT UNBLOCK, disconnect or
 *             EXEC-time conversion ends the block: reply, free, resume. */
#ifndef SLUICE_BLOCKED_H
#define SLUICE_BLOCKED_H
#include "net/conn.h"
#include "db.h"

void blocked_init(void);
/* deadline_ms: absolute wall ms, 0 = forever. */
void blocked_on_keys(client *c, db *d, arg *keys, int nkeys, long long deadline_ms);
void blocked_serve_ready(void);
void blocked_unblock(client *c, int how); /* how: 0 timeout reply, 1 error */
void blocked_client_gone(client *c);
int blocked_is_blocked(const client *c);
void blocked_key_queued(db *d, const char *k, size_t len);
size_t blocked_count(void);
size_t blocked_keys_count(void);
/* Set by the handler while it is re-run from step 3. */
extern int blocked_reprocessing;

#endif
