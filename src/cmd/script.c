/* cmd/script.c - EVAL, EVALSHA, EVAL_RO, EVALSHA_RO, SCRIPT (LOAD, EXISTS,
 * FLUSH, KILL, DEBUG, HELP), FCALL, FCALL_RO and FUNCTION.  Argument checks happen here
 * in Redis 7.0's order; running scripts is the engine's job (script.h). */
#include "../script.h"
#include "../server.h"

#include <string.h>

/* numkeys of EVAL-like commands, or -1 after replying the error. */
static int eval_numkeys(client *c)
{
    long long n;
    if (arg_ll(c, &c->argv[2], &n, NULL) < 0)
        return -1;
    if (n > c->argc - 3) {
        reply_error(c, "Number of keys can't be greater than number of args");
        return -1;
    }
    if (n < 0) {
        reply_error(c, "Number of keys can't be negative");
        return -1;
    }
    return (int)n;
}

static void eval_generic(client *c, int evalsha, int ro)
{
    /* A SHA of the wrong length cannot match: NOSCRIPT before numkeys. */
    if (evalsha && c->argv[1].len != 40) {
        reply_error(c, SCRIPT_NOSCRIPT_ERR);
        return;
    }
    int numkeys = eval_numkeys(c);
    if (numkeys < 0)
        return;
    script_eval(c, evalsha, ro, numkeys);
}

static void cmd_eval(client *c)
{
    server_feed_monitors(c); /* before the commands the script runs */
    eval_generic(c, 0, 0);
}

static void cmd_eval_ro(client *c)
{
    server_feed_monitors(c);
    eval_generic(c, 0, 1);
}

static void cmd_evalsha(client *c)
{
    server_feed_monitors(c);
    eval_generic(c, 1, 0);
}

static void cmd_evalsha_ro(client *c)
{
    server_feed_monitors(c);
    eval_generic(c, 1, 1);
}

static void cmd_script_load(client *c)
{
    script_load(c, c->argv[2].p, c->argv[2].len);
}

static void cmd_script_exists(client *c)
{
    reply_array(c, c->argc - 2);
    for (int j = 2; j < c->argc; j++)
        reply_ll(c, script_exists(c->argv[j].p, c->argv[j].len));
}

static void cmd_script_flush(client *c)
{
    if (c->argc > 3 ||
        (c->argc == 3 && !arg_eq(&c->argv[2], "sync") && !arg_eq(&c->argv[2], "async"))) {
        reply_error(c, "SCRIPT FLUSH only support SYNC|ASYNC option");
        return;
    }
    script_flush();
    reply_ok(c);
}

static void cmd_script_kill(client *c)
{
    script_kill(c, 1);
}

static void cmd_script_debug(client *c)
{
    if (arg_eq(&c->argv[2], "no")) {
        reply_ok(c);
    } else if (arg_eq(&c->argv[2], "yes") || arg_eq(&c->argv[2], "sync")) {
        /* The Lua debugger (LDB) is not implemented. */
        reply_error(c, "SCRIPT DEBUG is not supported by this server");
    } else {
        reply_error(c, "Use SCRIPT DEBUG YES/SYNC/NO");
    }
}

static void cmd_script_help(client *c)
{
    static const char *lines[] = {
        "DEBUG (YES|SYNC|NO)",
        "    Set the debug mode for subsequent scripts executed.",
        "EXISTS <sha1> [<sha1> ...]",
        "    Return information about the existence of the scripts in the script cache.",
        "FLUSH [ASYNC|SYNC]",
        "    Flush the Lua scripts cache. Very dangerous on replicas.",
        "    When called without the optional mode argument, the behavior is determined by the",
        "    lazyfree-lazy-user-flush configuration directive. Valid modes are:",
        "    * ASYNC: Asynchronously flush the scripts cache.",
        "    * SYNC: Synchronously flush the scripts cache.",
        "KILL",
        "    Kill the currently executing Lua script.",
        "LOAD <script>",
        "    Load a script into the scripts cache without executing it.",
        NULL};
    reply_help(c, "script", lines);
}


/* ---- FUNCTION, FCALL, FCALL_RO ---- */

static void reply_subcommand_syntax(client *c)
{
    reply_errorf(c, "unknown subcommand or wrong number of arguments for '%.*s'. Try FUNCTION "
                    "HELP.", (int)(c->argv[1].len > 128 ? 128 : c->argv[1].len), c->argv[1].p);
}

static void cmd_fcall(client *c)
{
    server_feed_monitors(c);
    function_call(c, 0);
}

static void cmd_fcall_ro(client *c)
{
    server_feed_monitors(c);
    function_call(c, 1);
}

static void cmd_function_load(client *c)
{
    int replace = 0;
    for (int i = 2; i < c->argc - 1; i++) {
        if (arg_eq(&c->argv[i], "replace")) {
            replace = 1;
        } else {
            reply_errorf(c, "Unknown option given: %.*s", (int)c->argv[i].len, c->argv[i].p);
            return;
        }
    }
    const arg *code = &c->argv[c->argc - 1];
    function_load(c, code->p, code->len, replace);
}

static void cmd_function_delete(client *c)
{
    function_delete(c, c->argv[2].p, c->argv[2].len);
}

static void cmd_function_flush(client *c)
{
    if (c->argc > 3) {
        reply_subcommand_syntax(c);
        return;
    }
    if (c->argc == 3 && !arg_eq(&c->argv[2], "sync") && !arg_eq(&c->argv[2], "async")) {
        reply_error(c, "FUNCTION FLUSH only supports SYNC|ASYNC option");
        return;
    }
    function_flush();
    srv.dirty++;
    reply_ok(c);
}

static void cmd_function_list(client *c)
{
    int withcode = 0;
    const arg *pattern = NULL;
    for (int i = 2; i < c->argc; i++) {
        if (!withcode && arg_eq(&c->argv[i], "withcode")) {
            withcode = 1;
        } else if (!pattern && arg_eq(&c->argv[i], "libraryname")) {
            if (i >= c->argc - 1) {
                reply_error(c, "library name argument was not given");
                return;
            }
            pattern = &c->argv[++i];
        } else {
            reply_errorf(c, "Unknown argument %.*s", (int)c->argv[i].len, c->argv[i].p);
            return;
        }
    }
    function_list(c, pattern ? pattern->p : NULL, pattern ? pattern->len : 0, withcode);
}

static void cmd_function_kill(client *c)
{
    script_kill(c, 0);
}

static void cmd_function_stats(client *c)
{
    function_stats(c);
}

static void cmd_function_dump(client *c)
{
    function_dump(c);
}

static void cmd_function_restore(client *c)
{
    int policy = FUNCTION_RESTORE_APPEND;
    if (c->argc > 4) {
        reply_subcommand_syntax(c);
        return;
    }
    if (c->argc == 4) {
        if (arg_eq(&c->argv[3], "append")) {
            policy = FUNCTION_RESTORE_APPEND;
        } else if (arg_eq(&c->argv[3], "replace")) {
            policy = FUNCTION_RESTORE_REPLACE;
        } else if (arg_eq(&c->argv[3], "flush")) {
            policy = FUNCTION_RESTORE_FLUSH;
        } else {
            reply_error(c, "Wrong restore policy given, value should be either FLUSH, APPEND or "
                           "REPLACE.");
            return;
        }
    }
    function_restore(c, c->argv[2].p, c->argv[2].len, policy);
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
#define EVAL_FLAGS (CMD_NOSCRIPT | CMD_SKIP_MONITOR | CMD_NO_MANDATORY_KEYS | CMD_STALE)

static command script_subs[] = {
    {.name = "debug", .proc = cmd_script_debug, .arity = 3, .flags = CMD_NOSCRIPT,
     .group = "scripting", .summary = "Set the debug mode for executed scripts.",
     .since = "3.2.0", .complexity = "O(1)", .acl = "slow scripting"},
    {.name = "exists", .proc = cmd_script_exists, .arity = -3, .flags = CMD_NOSCRIPT,
     .group = "scripting", .summary = "Check existence of scripts in the script cache.",
     .since = "2.6.0",
     .complexity = "O(N) with N being the number of scripts to check (so checking a single "
                   "script is an O(1) operation).",
     .acl = "slow scripting"},
    {.name = "flush", .proc = cmd_script_flush, .arity = -2, .flags = CMD_NOSCRIPT,
     .group = "scripting", .summary = "Remove all the scripts from the script cache.",
     .since = "2.6.0", .complexity = "O(N) with N being the number of scripts in cache",
     .acl = "slow scripting"},
    {.name = "help", .proc = cmd_script_help, .arity = 2, .flags = CMD_LOADING | CMD_STALE,
     .group = "scripting", .summary = "Show helpful text about the different subcommands",
     .since = "5.0.0", .complexity = "O(1)", .acl = "slow scripting"},
    {.name = "kill", .proc = cmd_script_kill, .arity = 2,
     .flags = CMD_NOSCRIPT | CMD_ALLOW_BUSY, .group = "scripting",
     .summary = "Kill the script currently in execution.", .since = "2.6.0",
     .complexity = "O(1)", .acl = "slow scripting"},
    {.name = "load", .proc = cmd_script_load, .arity = 3, .flags = CMD_NOSCRIPT | CMD_STALE,
     .group = "scripting", .summary = "Load the specified Lua script into the script cache.",
     .since = "2.6.0",
     .complexity = "O(N) with N being the length in bytes of the script body.",
     .acl = "slow scripting"},
    {.name = NULL},
};


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

command cmd_script_table[] = {
    {.name = "eval", .proc = cmd_eval, .arity = -3,
     .flags = EVAL_FLAGS | CMD_MAY_REPLICATE | CMD_MOVABLE_KEYS, .group = "scripting",
     .summary = "Execute a Lua script server side", .since = "2.6.0",
     .complexity = "Depends on the script that is executed.", .acl = "slow scripting"},
    {.name = "eval_ro", .proc = cmd_eval_ro, .arity = -3,
     .flags = EVAL_FLAGS | CMD_READONLY | CMD_MOVABLE_KEYS, .group = "scripting",
     .summary = "Execute a read-only Lua script server side", .since = "7.0.0",
     .complexity = "Depends on the script that is executed.", .acl = "slow scripting"},
    {.name = "evalsha", .proc = cmd_evalsha, .arity = -3,
     .flags = EVAL_FLAGS | CMD_MAY_REPLICATE | CMD_MOVABLE_KEYS, .group = "scripting",
     .summary = "Execute a Lua script server side", .since = "2.6.0",
     .complexity = "Depends on the script that is executed.", .acl = "slow scripting"},
    {.name = "evalsha_ro", .proc = cmd_evalsha_ro, .arity = -3,
     .flags = EVAL_FLAGS | CMD_READONLY | CMD_MOVABLE_KEYS, .group = "scripting",
     .summary = "Execute a read-only Lua script server side", .since = "7.0.0",
     .complexity = "Depends on the script that is executed.", .acl = "slow scripting"},
    {.name = "fcall", .proc = cmd_fcall, .arity = -3,
     .flags = EVAL_FLAGS | CMD_MAY_REPLICATE | CMD_MOVABLE_KEYS, .group = "scripting",
     .summary = "Invoke a function", .since = "7.0.0",
     .complexity = "Depends on the function that is executed.", .acl = "slow scripting"},
    {.name = "fcall_ro", .proc = cmd_fcall_ro, .arity = -3,
     .flags = EVAL_FLAGS | CMD_READONLY | CMD_MOVABLE_KEYS, .group = "scripting",
     .summary = "Invoke a read-only function", .since = "7.0.0",
     .complexity = "Depends on the function that is executed.", .acl = "slow scripting"},
    {.name = "function", .arity = -2, .group = "scripting",
     .summary = "A container for function commands", .since = "7.0.0",
     .complexity = "Depends on subcommand.", .acl = "slow", .subs = function_subs},
    {.name = "script", .arity = -2, .group = "scripting",
     .summary = "A container for Lua scripts management commands", .since = "2.6.0",
     .complexity = "Depends on subcommand.", .acl = "slow", .subs = script_subs},
    {.name = NULL},
};
/* clang-format on */
