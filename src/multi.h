/* multi.h - MULTI/EXEC transactions and WATCH.
 *
 * A client in MULTI queues commands (argv copied) instead of running them.
 * WATCHed keys are kept per db as key -> list of watching clients; any
 * modification (signal_modified_key) or flush marks those clients
 * CLIENT_DIRTY_CAS, and their EXEC then returns a null array. */
#ifndef SLUICE_MULTI_H
#define SLUICE_MULTI_H
#include <stdint.h>

#include "db.h"
#include "net/conn.h"

struct command;

extern const dict_type multi_watched_type; /* db->watched */

void multi_queue(client *c, struct command *cmd);
void multi_discard(client *c);
/* Union of the flags of the queued commands (EXEC is checked as them). */
uint32_t multi_queued_flags(const client *c);
int multi_queued_count(const client *c);
void multi_touch_key(db *d, const char *k, size_t len);
void multi_touch_flushed(int dbid);
void multi_touch_swapped(db *emptied, db *with);
void multi_unwatch_all(client *c);
void multi_client_gone(client *c);
/* Mark watchers of keys that expired before EXEC (Redis checks on EXEC). */
int multi_watched_expired(client *c);
size_t multi_watching_count(const client *c);
size_t multi_watched_keys_total(void);

#endif
