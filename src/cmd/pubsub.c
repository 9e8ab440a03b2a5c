/* cmd/pubsub.c - SUBSCRIBE, UNSUBSCRIBE, PSUBSCRIBE, PUNSUBSCRIBE, PUBLISH,
 * SSUBSCRIBE, SUNSUBSCRIBE, SPUBLISH and the PUBSUB container.
 *
 * Handlers parse arguments and call the registry in pubsub.c, which replies
 * with the subscription pushes.  CLIENT_PUBSUB is set while the client has
 * at least one subscription of any kind (server.c restricts RESP2 clients
 * in that state).  Shard channels behave as in a standalone Redis 7.0. */
#include "../pubsub.h"
#include "../server.h"

#include <ctype.h>
#include <stdio.h>

static void subscribe_kind(client *c, int kind)
{
    for (int j = 1; j < c->argc; j++)
        pubsub_subscribe(c, kind, c->argv[j].p, c->argv[j].len);
    c->flags |= CLIENT_PUBSUB;
}

static void unsubscribe_kind(client *c, int kind)
{
    if (c->argc == 1) {
        pubsub_unsubscribe_all(c, kind, 1);
    } else {
        for (int j = 1; j < c->argc; j++)
            pubsub_unsubscribe(c, kind, c->argv[j].p, c->argv[j].len);
    }
    pubsub_update_flag(c);
}

static void cmd_subscribe(client *c)
{
    subscribe_kind(c, PUBSUB_CHANNEL);
}

static void cmd_psubscribe(client *c)
{
    subscribe_kind(c, PUBSUB_PATTERN);
}

static void cmd_ssubscribe(client *c)
{
    /* Inside EXEC a client may not block (Redis's DENY_BLOCKING), and
     * unlike SUBSCRIBE, SSUBSCRIBE has no exception for MULTI. */
    if (c->flags & CLIENT_IN_EXEC) {
        reply_error(c, "SSUBSCRIBE isn't allowed for a DENY BLOCKING client");
        return;
    }
    subscribe_kind(c, PUBSUB_SHARD);
}

static void cmd_unsubscribe(client *c)
{
    unsubscribe_kind(c, PUBSUB_CHANNEL);
}

static void cmd_punsubscribe(client *c)
{
    unsubscribe_kind(c, PUBSUB_PATTERN);
}

static void cmd_sunsubscribe(client *c)
{
    unsubscribe_kind(c, PUBSUB_SHARD);
}

static void cmd_publish(client *c)
{
    reply_ll(c, pubsub_publish(0, c->argv[1].p, c->argv[1].len, c->argv[2].p, c->argv[2].len));
}

static void cmd_spublish(client *c)
{
    reply_ll(c, pubsub_publish(1, c->argv[1].p, c->argv[1].len, c->argv[2].p, c->argv[2].len));
}

/* ---- PUBSUB ---- */

static void subcommand_syntax_error(client *c)
{
    char up[64];
    size_t i;
    for (i = 0; i < c->argv[0].len && i < sizeof(up) - 1; i++)
        up[i] = (char)toupper((unsigned char)c->argv[0].p[i]);
    up[i] = '\0';
    int n = c->argv[1].len > 128 ? 128 : (int)c->argv[1].len;
    reply_errorf(c, "unknown subcommand or wrong number of arguments for '%.*s'. Try %s HELP.", n,
                 c->argv[1].p, up);
}

static void channels_kind(client *c, int kind)
{
    if (c->argc > 3) {
        subcommand_syntax_error(c);
        return;
    }
    if (c->argc == 3)
        pubsub_reply_channels(c, kind, c->argv[2].p, c->argv[2].len);
    else
        pubsub_reply_channels(c, kind, NULL, 0);
}

static void numsub_kind(client *c, int kind)
{
    reply_array(c, (long)(c->argc - 2) * 2);
    for (int j = 2; j < c->argc; j++) {
        reply_bulk(c, c->argv[j].p, c->argv[j].len);
        reply_ll(c, pubsub_numsub(kind, c->argv[j].p, c->argv[j].len));
    }
}

static void cmd_pubsub_channels(client *c)
{
    channels_kind(c, PUBSUB_CHANNEL);
}

static void cmd_pubsub_shardchannels(client *c)
{
    channels_kind(c, PUBSUB_SHARD);
}

static void cmd_pubsub_numsub(client *c)
{
    numsub_kind(c, PUBSUB_CHANNEL);
}

static void cmd_pubsub_shardnumsub(client *c)
{
    numsub_kind(c, PUBSUB_SHARD);
}

static void cmd_pubsub_numpat(client *c)
{
    long ch, pat, shard;
    pubsub_stats(&ch, &pat, &shard);
    reply_ll(c, pat);
}

static void cmd_pubsub_help(client *c)
{
    static const char *lines[] = {
        "CHANNELS [<pattern>]",
        "    Return the currently active channels matching a <pattern> (default: '*').",
        "NUMPAT",
        "    Return number of subscriptions to patterns.",
        "NUMSUB [<channel> ...]",
        "    Return the number of subscribers for the specified channels, excluding",
        "    pattern subscriptions(default: no channels).",
        "SHARDCHANNELS [<pattern>]",
        "    Return the currently active shard level channels matching a <pattern> (default: "
        "'*').",
        "SHARDNUMSUB [<shardchannel> ...]",
        "    Return the number of subscribers for the specified shard level channel(s)",
        NULL};
    reply_help(c, "pubsub", lines);
}

#define SUB_FLAGS (CMD_PUBSUB | CMD_NOSCRIPT | CMD_LOADING | CMD_STALE)

static command pubsub_subs[] = {
    {.name = "channels", .proc = cmd_pubsub_channels, .arity = -2,
     .flags = CMD_PUBSUB | CMD_LOADING | CMD_STALE, .group = "pubsub",
     .summary = "List active channels", .since = "2.8.0",
     .complexity = "O(N) where N is the number of active channels, and assuming constant time "
                   "pattern matching (relatively short channels and patterns)",
     .acl = "pubsub slow"},
    {.name = "help", .proc = cmd_pubsub_help, .arity = 2, .flags = CMD_LOADING | CMD_STALE,
     .group = "pubsub", .summary = "Show helpful text about the different subcommands",
     .since = "6.2.0", .complexity = "O(1)", .acl = "slow"},
    {.name = "numpat", .proc = cmd_pubsub_numpat, .arity = 2,
     .flags = CMD_PUBSUB | CMD_LOADING | CMD_STALE, .group = "pubsub",
     .summary = "Get the count of unique patterns pattern subscriptions", .since = "2.8.0",
     .complexity = "O(1)", .acl = "pubsub slow"},
    {.name = "numsub", .proc = cmd_pubsub_numsub, .arity = -2,
     .flags = CMD_PUBSUB | CMD_LOADING | CMD_STALE, .group = "pubsub",
     .summary = "Get the count of subscribers for channels", .since = "2.8.0",
     .complexity = "O(N) for the NUMSUB subcommand, where N is the number of requested "
                   "channels",
     .acl = "pubsub slow"},
    {.name = "shardchannels", .proc = cmd_pubsub_shardchannels, .arity = -2,
     .flags = CMD_PUBSUB | CMD_LOADING | CMD_STALE, .group = "pubsub",
     .summary = "List active shard channels", .since = "7.0.0",
     .complexity = "O(N) where N is the number of active shard channels, and assuming constant "
                   "time pattern matching (relatively short shard channels).",
     .acl = "pubsub slow"},
    {.name = "shardnumsub", .proc = cmd_pubsub_shardnumsub, .arity = -2,
     .flags = CMD_PUBSUB | CMD_LOADING | CMD_STALE, .group = "pubsub",
     .summary = "Get the count of subscribers for shard channels", .since = "7.0.0",
     .complexity = "O(N) for the SHARDNUMSUB subcommand, where N is the number of requested "
                   "shard channels",
     .acl = "pubsub slow"},
    {.name = NULL},
};

command cmd_pubsub_table[] = {
    {.name = "subscribe", .proc = cmd_subscribe, .arity = -2, .flags = SUB_FLAGS | CMD_SENTINEL,
     .group = "pubsub", .summary = "Listen for messages published to the given channels",
     .since = "2.0.0",
     .complexity = "O(N) where N is the number of channels to subscribe to.",
     .acl = "pubsub slow"},
    {.name = "unsubscribe", .proc = cmd_unsubscribe, .arity = -1,
     .flags = SUB_FLAGS | CMD_SENTINEL, .group = "pubsub",
     .summary = "Stop listening for messages posted to the given channels", .since = "2.0.0",
     .complexity = "O(N) where N is the number of clients already subscribed to a channel.",
     .acl = "pubsub slow"},
    {.name = "psubscribe", .proc = cmd_psubscribe, .arity = -2,
     .flags = SUB_FLAGS | CMD_SENTINEL, .group = "pubsub",
     .summary = "Listen for messages published to channels matching the given patterns",
     .since = "2.0.0",
     .complexity = "O(N) where N is the number of patterns the client is already subscribed "
                   "to.",
     .acl = "pubsub slow"},
    {.name = "punsubscribe", .proc = cmd_punsubscribe, .arity = -1,
     .flags = SUB_FLAGS | CMD_SENTINEL, .group = "pubsub",
     .summary = "Stop listening for messages posted to channels matching the given patterns",
     .since = "2.0.0",
     .complexity = "O(N+M) where N is the number of patterns the client is already subscribed "
                   "and M is the number of total patterns subscribed in the system (by any "
                   "client).",
     .acl = "pubsub slow"},
    {.name = "publish", .proc = cmd_publish, .arity = 3,
     .flags = CMD_PUBSUB | CMD_LOADING | CMD_STALE | CMD_FAST | CMD_MAY_REPLICATE |
              CMD_SENTINEL,
     .group = "pubsub", .summary = "Post a message to a channel", .since = "2.0.0",
     .complexity = "O(N+M) where N is the number of clients subscribed to the receiving "
                   "channel and M is the total number of subscribed patterns (by any client).",
     .acl = "pubsub fast"},
    {.name = "ssubscribe", .proc = cmd_ssubscribe, .arity = -2, .flags = SUB_FLAGS,
     .first_key = 1, .last_key = -1, .key_step = 1, .group = "pubsub",
     .summary = "Listen for messages published to the given shard channels", .since = "7.0.0",
     .complexity = "O(N) where N is the number of shard channels to subscribe to.",
     .acl = "pubsub slow"},
    {.name = "sunsubscribe", .proc = cmd_sunsubscribe, .arity = -1, .flags = SUB_FLAGS,
     .first_key = 1, .last_key = -1, .key_step = 1, .group = "pubsub",
     .summary = "Stop listening for messages posted to the given shard channels",
     .since = "7.0.0",
     .complexity = "O(N) where N is the number of clients already subscribed to a shard "
                   "channel.",
     .acl = "pubsub slow"},
    {.name = "spublish", .proc = cmd_spublish, .arity = 3,
     .flags = CMD_PUBSUB | CMD_LOADING | CMD_STALE | CMD_FAST | CMD_MAY_REPLICATE,
     .first_key = 1, .last_key = 1, .key_step = 1, .group = "pubsub",
     .summary = "Post a message to a shard channel", .since = "7.0.0",
     .complexity = "O(N) where N is the number of clients subscribed to the receiving shard "
                   "channel.",
     .acl = "pubsub fast"},
    {.name = "pubsub", .arity = -2, .group = "pubsub",
     .summary = "A container for Pub/Sub commands", .since = "2.8.0",
     .complexity = "Depends on subcommand.", .acl = "slow", .subs = pubsub_subs},
    {.name = NULL},
};
