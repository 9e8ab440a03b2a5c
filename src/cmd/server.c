/* cmd/server.c - connection commands (PING, ECHO, QUIT, RESET, HELLO, AUTH,
 * SELECT) and small server commands (TIME, LASTSAVE, SHUTDOWN, MONITOR,
 * FUNCTION).  The other server-side commands live next door: CLIENT in
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
    if (arg_ll_range(c, &c->argv[1], INT32_MIN, INT32_MAX, &id, ERR_NOT_INT))
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

/* ---- FUNCTION: Sluice has no scripting engine, so no functions ---- */

static void cmd_function_flush(client *c)
{
    if (c->argc == 3 && !arg_eq(&c->argv[2], "async") && !arg_eq(&c->argv[2], "sync")) {
        reply_error(c, "FUNCTION FLUSH only supports SYNC|ASYNC option");
        return;
    }
    if (c->argc > 3) {
        reply_syntax_error(c);
        return;
    }
    reply_ok(c);
}

static void cmd_function_list(client *c)
{
    for (int i = 2; i < c->argc; i++) {
        if (arg_eq(&c->argv[i], "withcode")) {
            continue;
        } else if (arg_eq(&c->argv[i], "libraryname") && i + 1 < c->argc) {
            i++;
        } else {
            reply_errorf(c, "Unknown argument %.*s", (int)c->argv[i].len, c->argv[i].p);
            return;
        }
    }
    reply_array(c, 0);
}

static void cmd_function_load(client *c)
{
    const arg *code = &c->argv[c->argc - 1];
    if (c->argc > 4 || (c->argc == 4 && !arg_eq(&c->argv[2], "replace"))) {
        reply_errorf(c, "Unknown option given: %.*s", (int)c->argv[2].len, c->argv[2].p);
        return;
    }
    if (code->len < 2 || memcmp(code->p, "#!", 2) != 0) {
        reply_error(c, "Missing library metadata");
        return;
    }
    reply_error(c, "Engine 'lua' not found");
}

/* The DUMP payload of an empty function set: RDB version 10 + CRC64. */
static const char empty_dump[] = "\x0a\x00\x5d\x9b\x5c\x40\x0f\x7f\xa2\xda";

static void cmd_function_dump(client *c)
{
    reply_bulk(c, empty_dump, sizeof(empty_dump) - 1);
}

static void cmd_function_restore(client *c)
{
    if (c->argc == 4 && !arg_eq(&c->argv[3], "flush") && !arg_eq(&c->argv[3], "append") &&
        !arg_eq(&c->argv[3], "replace")) {
        reply_error(c, "Wrong restore policy given, value should be either FLUSH, APPEND or "
                       "REPLACE.");
        return;
    }
    if (c->argc > 4) {
        reply_syntax_error(c);
        return;
    }
    const arg *p = &c->argv[2];
    if (p->len != sizeof(empty_dump) - 1 || memcmp(p->p, empty_dump, p->len) != 0) {
        reply_error(c, "DUMP payload version or checksum are wrong");
        return;
    }
    reply_ok(c);
}

static void cmd_function_delete(client *c)
{
    reply_error(c, "Library not found");
}

static void cmd_function_kill(client *c)
{
    reply_error(c, "-NOTBUSY No scripts in execution right now.");
}

static void cmd_function_stats(client *c)
{
    reply_map(c, 2);
    reply_bulk_c(c, "running_script");
    reply_null(c);
    reply_bulk_c(c, "engines");
    reply_map(c, 1);
    reply_bulk_c(c, "LUA");
    reply_map(c, 2);
    reply_bulk_c(c, "libraries_count");
    reply_ll(c, 0);
    reply_bulk_c(c, "functions_count");
    reply_ll(c, 0);
}

static void cmd_function_help(client *c)
{
    static const char *lines[] = {
        "LOAD [REPLACE] <FUNCTION CODE>",
        "    Create a new library with the given library name and code.",
        "DELETE <LIBRARY NAME>",
        "    Delete the given library.",
        "LIST [LIBRARYNAME PATTERN] [WITHCODE]",
        "    Return general information on all the libraries:",
        "    * Library name",
        "    * The engine used to run the Library",
        "    * Library description",
        "    * Functions list",
        "    * Library code (if WITHCODE is given)",
        "    It also possible to get only function that matches a pattern using",
        "    LIBRARYNAME argument.",
        "STATS",
        "    Return information about the current function running:",
        "    * Function name",
        "    * Command used to run the function",
        "    * Duration in MS that the function is running",
        "    If no function is running, return nil",
        "    In addition, returns a list of available engines.",
        "KILL",
        "    Kill the current running function.",
        "FLUSH [ASYNC|SYNC]",
        "    Delete all the libraries.",
        "    When called without the optional mode argument, the behavior is determined by the",
        "    lazyfree-lazy-user-flush configuration directive. Valid modes are:",
        "    * ASYNC: Asynchronously flush the libraries.",
        "    * SYNC: Synchronously flush the libraries.",
        NULL};
    reply_help(c, "function", lines);
}

/* clang-format off */
/* ---- the table ---- */

#define CONN_FLAGS (CMD_NOSCRIPT | CMD_LOADING | CMD_STALE | CMD_FAST)

static command function_subs[] = {
    {.name = "delete", .proc = cmd_function_delete, .arity = 3,
     .flags = CMD_NOSCRIPT | CMD_WRITE, .group = "scripting",
     .summary = "Delete a function by name", .since = "7.0.0", .complexity = "O(1)",
     .acl = "write slow scripting"},
    {.name = "dump", .proc = cmd_function_dump, .arity = 2, .flags = CMD_NOSCRIPT,
     .group = "scripting", .summary = "Dump all functions into a serialized binary payload",
     .since = "7.0.0", .complexity = "O(N) where N is the number of functions",
     .acl = "slow scripting"},
    {.name = "flush", .proc = cmd_function_flush, .arity = -2,
     .flags = CMD_NOSCRIPT | CMD_WRITE, .group = "scripting",
     .summary = "Deleting all functions", .since = "7.0.0",
     .complexity = "O(N) where N is the number of functions deleted",
     .acl = "write slow scripting"},
    {.name = "help", .proc = cmd_function_help, .arity = 2, .flags = CMD_LOADING | CMD_STALE,
     .group = "scripting", .summary = "Show helpful text about the different subcommands",
     .since = "7.0.0", .complexity = "O(1)", .acl = "slow scripting"},
    {.name = "kill", .proc = cmd_function_kill, .arity = 2,
     .flags = CMD_NOSCRIPT | CMD_ALLOW_BUSY, .group = "scripting",
     .summary = "Kill the function currently in execution.", .since = "7.0.0",
     .complexity = "O(1)", .acl = "slow scripting"},
    {.name = "list", .proc = cmd_function_list, .arity = -2, .flags = CMD_NOSCRIPT,
     .group = "scripting", .summary = "List information about all the functions",
     .since = "7.0.0", .complexity = "O(N) where N is the number of functions",
     .acl = "slow scripting"},
    {.name = "load", .proc = cmd_function_load, .arity = -3,
     .flags = CMD_NOSCRIPT | CMD_WRITE | CMD_DENYOOM, .group = "scripting",
     .summary = "Create a function with the given arguments (name, code, description)",
     .since = "7.0.0", .complexity = "O(1) (considering compilation time is redundant)",
     .acl = "write denyoom slow scripting"},
    {.name = "restore", .proc = cmd_function_restore, .arity = -3,
     .flags = CMD_NOSCRIPT | CMD_WRITE | CMD_DENYOOM, .group = "scripting",
     .summary = "Restore all the functions on the given payload", .since = "7.0.0",
     .complexity = "O(N) where N is the number of functions on the payload",
     .acl = "write denyoom slow scripting"},
    {.name = "stats", .proc = cmd_function_stats, .arity = 2,
     .flags = CMD_NOSCRIPT | CMD_ALLOW_BUSY, .group = "scripting",
     .summary = "Return information about the function currently running (name, "
                "description, duration)",
     .since = "7.0.0", .complexity = "O(1)", .acl = "slow scripting"},
    {.name = NULL},
};

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
    {.name = "function", .arity = -2, .group = "scripting",
     .summary = "A container for function commands", .since = "7.0.0",
     .complexity = "Depends on subcommand.", .acl = "slow", .subs = function_subs},
    {.name = NULL},
};
/* clang-format on */
