/* cmd/server.c - connection commands (PING, ECHO, QUIT, RESET, HELLO, AUTH,
 * SELECT) and small server commands (TIME, LASTSAVE, SHUTDOWN, MONITOR).
 * FUNCTION is with the scripting commands in script.c.  The other server-side commands live next door: CLIENT in
 * client.c, INFO in info.c, COMMAND in command.c, DEBUG / MEMORY / SLOWLOG /
 * LATENCY in debug.c.
 *
 * Authentication knows one user, "default": it needs no password unless
 * `requirepass` is set.  Arguments carrying passwords are redacted in argv
 * by the handler, so the slow log and MONITOR (fed after the command) never
 * see them. */
#include "../server.h"

#include "../ds/alloc.h"
#include "../log.h"
#include "../multi.h"
#include "../pubsub.h"

#include <string.h>
#include <sys/time.h>

/* server_shutdown() flags, Redis's values. */
#define SHUTDOWN_SAVE 1
#define SHUTDOWN_NOSAVE 2
#define SHUTDOWN_NOW 4
#define SHUTDOWN_FORCE 8

static const char redacted[] = "(redacted)";

int client_set_name(client *c, const arg *name); /* client.c */

static void redact(client *c, int i)
{
    c->argv[i].p = redacted;
    c->argv[i].len = sizeof(redacted) - 1;
}

/* ---- PING, ECHO, QUIT ---- */

static void cmd_ping(client *c)
{
    if (c->argc > 2) {
        reply_arity_error(c, "ping");
        return;
    }
    if ((c->flags & CLIENT_PUBSUB) && c->resp == 2) {
        reply_array(c, 2);
        reply_bulk(c, "pong", 4);
        if (c->argc == 1)
            reply_bulk(c, "", 0);
        else
            reply_bulk(c, c->argv[1].p, c->argv[1].len);
    } else if (c->argc == 1) {
        reply_raw(c, "+PONG\r\n", 7);
    } else {
        reply_bulk(c, c->argv[1].p, c->argv[1].len);
    }
}

static void cmd_echo(client *c)
{
    reply_bulk(c, c->argv[1].p, c->argv[1].len);
}

static void cmd_quit(client *c)
{
    reply_ok(c);
    c->flags |= CLIENT_CLOSE_AFTER_REPLY;
}

/* ---- AUTH, HELLO, RESET ---- */

static int password_ok(const arg *pass)
{
    if (!srv.requirepass || !srv.requirepass[0])
        return 1; /* "nopass": any password is accepted */
    size_t n = strlen(srv.requirepass);
    return pass->len == n && memcmp(pass->p, srv.requirepass, n) == 0;
}

/* 0 when user/pass authenticate the default user. */
static int authenticate(client *c, const arg *user, const arg *pass)
{
    if (!arg_eq(user, "default") || !password_ok(pass))
        return -1;
    c->authenticated = 1;
    return 0;
}

static void cmd_auth(client *c)
{
    if (c->argc > 3) {
        reply_syntax_error(c);
        return;
    }
    arg user = {"default", 7}, pass = c->argv[c->argc - 1];
    if (c->argc == 3)
        user = c->argv[1];
    for (int i = 1; i < c->argc; i++)
        redact(c, i);
    if (c->argc == 2 && (!srv.requirepass || !srv.requirepass[0])) {
        reply_error(c, "AUTH <password> called without any password configured for the "
                       "default user. Are you sure your configuration is correct?");
        return;
    }
    if (authenticate(c, &user, &pass) < 0) {
        reply_error(c, "-WRONGPASS invalid username-password pair or user is disabled.");
        return;
    }
    reply_ok(c);
}

static void cmd_hello(client *c)
{
    long long ver = 0;
    int i = 1;
    if (c->argc >= 2) {
        if (arg_ll(c, &c->argv[1], &ver, "Protocol version is not an integer or out of range"))
            return;
        if (ver < 2 || ver > 3) {
            reply_error(c, "-NOPROTO unsupported protocol version");
            return;
        }
        i = 2;
    }
    for (; i < c->argc; i++) {
        int more = c->argc - 1 - i;
        if (arg_eq(&c->argv[i], "auth") && more >= 2) {
            arg user = c->argv[i + 1], pass = c->argv[i + 2];
            redact(c, i + 1);
            redact(c, i + 2);
            if (authenticate(c, &user, &pass) < 0) {
                reply_error(c, "-WRONGPASS invalid username-password pair or user is "
                               "disabled.");
                return;
            }
            i += 2;
        } else if (arg_eq(&c->argv[i], "setname") && more) {
            if (client_set_name(c, &c->argv[i + 1]) < 0)
                return;
            i++;
        } else {
            reply_errorf(c, "Syntax error in HELLO option '%.*s'", (int)c->argv[i].len,
                         c->argv[i].p);
            return;
        }
    }
    if (server_auth_required(c)) {
        reply_error(c, "-NOAUTH HELLO must be called with the client already authenticated, "
                       "otherwise the HELLO AUTH <user> <pass> option can be used to "
                       "authenticate the client and select the RESP protocol version at "
                       "the same time");
        return;
    }
    if (ver)
        c->resp = (int)ver;
    reply_map(c, 7);
    reply_bulk_c(c, "server");
    reply_bulk_c(c, "redis");
    reply_bulk_c(c, "version");
    reply_bulk_c(c, SLUICE_VERSION);
    reply_bulk_c(c, "proto");
    reply_ll(c, c->resp);
    reply_bulk_c(c, "id");
    reply_ll(c, (long long)c->id);
    reply_bulk_c(c, "mode");
    reply_bulk_c(c, "standalone");
    reply_bulk_c(c, "role");
    reply_bulk_c(c, "master");
    reply_bulk_c(c, "modules");
    reply_array(c, 0);
}

static void remove_monitor(client *c)
{
    for (size_t i = 0; i < srv.nmonitors; i++) {
        if (srv.monitors[i] == c) {
            srv.monitors[i] = srv.monitors[--srv.nmonitors];
            break;
        }
    }
    c->flags &= ~CLIENT_MONITOR;
}

static void cmd_reset(client *c)
{
    if (c->flags & CLIENT_MONITOR)
        remove_monitor(c);
    c->db = db_get(0);
    c->db_id = 0;
    c->resp = 2;
    c->authenticated = !(srv.requirepass && srv.requirepass[0]);
    multi_discard(c);
    pubsub_reset_client(c);
    ds_free(c->name);
    c->name = NULL;
    c->flags &= ~(CLIENT_PUBSUB | CLIENT_REPLY_OFF | CLIENT_REPLY_SKIP_NEXT);
    reply_status(c, "RESET");
}

/* ---- SELECT, TIME, LASTSAVE ---- */

static void cmd_select(client *c)
{
    long long id;
    if (arg_ll_range(c, &c->argv[1], INT32_MIN, INT32_MAX, &id, NULL))
        return;
    db *d = db_get((int)id);
    if (!d) {
        reply_error(c, "DB index is out of range");
        return;
    }
    c->db = d;
    c->db_id = (int)id;
    reply_ok(c);
}

static void cmd_time(client *c)
{
    struct timeval tv;
    gettimeofday(&tv, NULL);
    reply_array(c, 2);
    reply_bulk_ll(c, (long long)tv.tv_sec);
    reply_bulk_ll(c, (long long)tv.tv_usec);
}

static void cmd_lastsave(client *c)
{
    reply_ll(c, srv.lastsave ? srv.lastsave : srv.start_ms / 1000);
}

/* ---- SHUTDOWN, MONITOR ---- */

static void cmd_shutdown(client *c)
{
    int flags = 0, abort_it = 0;
    for (int i = 1; i < c->argc; i++) {
        if (arg_eq(&c->argv[i], "nosave"))
            flags |= SHUTDOWN_NOSAVE;
        else if (arg_eq(&c->argv[i], "save"))
            flags |= SHUTDOWN_SAVE;
        else if (arg_eq(&c->argv[i], "now"))
            flags |= SHUTDOWN_NOW;
        else if (arg_eq(&c->argv[i], "force"))
            flags |= SHUTDOWN_FORCE;
        else if (arg_eq(&c->argv[i], "abort"))
            abort_it = 1;
        else {
            reply_syntax_error(c);
            return;
        }
    }
    if ((abort_it && flags) || ((flags & SHUTDOWN_NOSAVE) && (flags & SHUTDOWN_SAVE))) {
        reply_syntax_error(c);
        return;
    }
    if (abort_it) {
        /* Sluice shuts down at once: there is never one in progress. */
        reply_error(c, "No shutdown in progress.");
        return;
    }
    server_shutdown(flags);
    /* Only reached if the shutdown was refused. */
    reply_error(c, "Errors trying to SHUTDOWN. Check logs.");
}

static void cmd_monitor(client *c)
{
    if (c->flags & CLIENT_MONITOR)
        return;
    srv.monitors = ds_realloc(srv.monitors, sizeof(client *) * (srv.nmonitors + 1));
    srv.monitors[srv.nmonitors++] = c;
    c->flags |= CLIENT_MONITOR;
    reply_ok(c);
}

/* clang-format off */
/* ---- the table ---- */

#define CONN_FLAGS (CMD_NOSCRIPT | CMD_LOADING | CMD_STALE | CMD_FAST)


command cmd_server_table[] = {
    {.name = "ping", .proc = cmd_ping, .arity = -1, .flags = CMD_FAST | CMD_SENTINEL,
     .group = "connection", .summary = "Ping the server", .since = "1.0.0",
     .complexity = "O(1)", .acl = "fast connection"},
    {.name = "echo", .proc = cmd_echo, .arity = 2,
     .flags = CMD_LOADING | CMD_STALE | CMD_FAST, .group = "connection",
     .summary = "Echo the given string", .since = "1.0.0", .complexity = "O(1)",
     .acl = "fast connection"},
    {.name = "quit", .proc = cmd_quit, .arity = -1,
     .flags = CONN_FLAGS | CMD_ALLOW_BUSY | CMD_NO_AUTH, .group = "connection",
     .summary = "Close the connection", .since = "1.0.0", .complexity = "O(1)",
     .acl = "fast connection"},
    {.name = "reset", .proc = cmd_reset, .arity = 1,
     .flags = CONN_FLAGS | CMD_NO_AUTH | CMD_ALLOW_BUSY, .group = "connection",
     .summary = "Reset the connection", .since = "6.2.0", .complexity = "O(1)",
     .acl = "fast connection"},
    {.name = "hello", .proc = cmd_hello, .arity = -1,
     .flags = CONN_FLAGS | CMD_NO_AUTH | CMD_SENTINEL | CMD_ALLOW_BUSY, .group = "connection",
     .summary = "Handshake with Redis", .since = "6.0.0", .complexity = "O(1)",
     .acl = "fast connection"},
    {.name = "auth", .proc = cmd_auth, .arity = -2,
     .flags = CONN_FLAGS | CMD_NO_AUTH | CMD_SENTINEL | CMD_ALLOW_BUSY, .group = "connection",
     .summary = "Authenticate to the server", .since = "1.0.0",
     .complexity = "O(N) where N is the number of passwords defined for the user",
     .acl = "fast connection"},
    {.name = "select", .proc = cmd_select, .arity = 2,
     .flags = CMD_LOADING | CMD_STALE | CMD_FAST, .group = "connection",
     .summary = "Change the selected database for the current connection", .since = "1.0.0",
     .complexity = "O(1)", .acl = "fast connection"},
    {.name = "time", .proc = cmd_time, .arity = 1,
     .flags = CMD_LOADING | CMD_STALE | CMD_FAST, .group = "server",
     .summary = "Return the current server time", .since = "2.6.0", .complexity = "O(1)",
     .acl = "fast"},
    {.name = "lastsave", .proc = cmd_lastsave, .arity = 1,
     .flags = CMD_LOADING | CMD_STALE | CMD_FAST, .group = "server",
     .summary = "Get the UNIX time stamp of the last successful save to disk",
     .since = "1.0.0", .complexity = "O(1)", .acl = "admin fast dangerous"},
    {.name = "shutdown", .proc = cmd_shutdown, .arity = -1,
     .flags = CMD_ADMIN | CMD_NOSCRIPT | CMD_LOADING | CMD_STALE | CMD_NO_MULTI |
              CMD_SENTINEL | CMD_ALLOW_BUSY,
     .group = "server",
     .summary = "Synchronously save the dataset to disk and then shut down the server",
     .since = "1.0.0",
     .complexity = "O(N) when saving, where N is the total number of keys in all databases "
                   "when saving data, otherwise O(1)",
     .acl = "admin slow dangerous"},
    {.name = "monitor", .proc = cmd_monitor, .arity = 1,
     .flags = CMD_ADMIN | CMD_NOSCRIPT | CMD_LOADING | CMD_STALE, .group = "server",
     .summary = "Listen for all requests received by the server in real time",
     .since = "1.0.0", .acl = "admin slow dangerous"},
    {.name = NULL},
};
/* clang-format on */
