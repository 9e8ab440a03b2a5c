/* pubsub.h - the pub/sub registry: who listens to which channel, shard
 * channel or pattern, and delivery of one message to all of them.
 *
 * Three kinds of subscription share one model (PUBSUB_CHANNEL, _PATTERN,
 * _SHARD).  The commands live in cmd/pubsub.c; this module owns the state,
 * the keyspace-notification hook and the client clean-up hook.  Other
 * modules use: pubsub_reset_client (RESET), pubsub_client_counts (CLIENT
 * LIST sub= psub= ssub=) and pubsub_stats (INFO pubsub_channels ...). */
#ifndef SLUICE_PUBSUB_H
#define SLUICE_PUBSUB_H
#include <stddef.h>

#include "net/conn.h"

enum { PUBSUB_CHANNEL = 0, PUBSUB_PATTERN = 1, PUBSUB_SHARD = 2, PUBSUB_KINDS = 3 };

/* Set the notify and client-gone hooks; idempotent (also done lazily). */
void pubsub_init(void);

/* Deliver msg to every subscriber of ch (and, unless shard, every pattern
 * that matches ch).  Returns the number of deliveries, as PUBLISH does. */
long pubsub_publish(int shard, const char *ch, size_t clen, const char *msg, size_t mlen);

/* Subscribe / unsubscribe c, replying with the (s|p)(un)subscribe push.
 * pubsub_unsubscribe_all replies once per channel, or once with a null
 * name when c had none of that kind; notify = 0 stays silent. */
void pubsub_subscribe(client *c, int kind, const char *name, size_t len);
void pubsub_unsubscribe(client *c, int kind, const char *name, size_t len);
void pubsub_unsubscribe_all(client *c, int kind, int notify);
/* Re-derive CLIENT_PUBSUB from c's subscription counts. */
void pubsub_update_flag(client *c);

/* RESET: drop every subscription silently and leave pub/sub mode. */
void pubsub_reset_client(client *c);
/* Per-client counts; returns the total. */
int pubsub_client_counts(client *c, int *sub, int *psub, int *ssub);
/* Server-wide: distinct channels, patterns, shard channels. */
void pubsub_stats(long *channels, long *patterns, long *shard_channels);
/* Subscribers of one channel (kind CHANNEL or SHARD), patterns excluded. */
long pubsub_numsub(int kind, const char *name, size_t len);
/* Reply with the array of active channels of kind matching pat (NULL: all). */
void pubsub_reply_channels(client *c, int kind, const char *pat, size_t plen);

#endif
