/* cmd/server.c - placeholder: PING only (the full module is being written). */
#include "../server.h"

static void cmd_ping(client *c)
{
    if (c->argc > 2) {
        reply_arity_error(c, "ping");
        return;
    }
    if (c->argc == 2)
        reply_bulk(c, c->argv[1].p, c->argv[1].len);
    else
        reply_raw(c, "+PONG\r\n", 7);
}

command cmd_server_table[] = {
    {.name = "ping", .proc = cmd_ping, .arity = -1, .flags = CMD_FAST | CMD_STALE,
     .group = "connection", .summary = "Ping the server", .since = "1.0.0",
     .complexity = "O(1)", .acl = "fast connection"},
    {.name = NULL},
};
