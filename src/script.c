/* script.c - see script.h.
 *
 * The Lua state.  Globals live in a real table G that scripts never see:
 * they see a read-only proxy of it as their environment and as _G (see
 * lua/sandbox.h); reading a missing global raises "Script attempted to
 * access nonexistent global variable", writing one "Attempt to modify a
 * readonly table".  The libraries (string, table, math, cjson, struct,
 * cmsgpack, bit, coroutine, redis) are read-only proxies too.  KEYS and
 * ARGV are stored into G before each run.  Compiled scripts are kept as
 * registry references, named in `E.scripts` by SHA; `E.bodies` finds the
 * same entries by body, so a repeated EVAL needs no SHA1.
 *
 * A run (struct run R) exists while a script executes; R.active is the
 * "script running" state.  Its flags record read-only mode, whether a write
 * command was called (then the script cannot be killed), time-out and kill.
 * While active: srv.in_exec is set (time is frozen for expiry, nothing
 * blocks) and the AOF propagation hook is swapped for a collector, so the
 * commands the script ran are logged together at the end.
 *
 * The conversions between RESP and Lua are in script_conv.c, FUNCTION and
 * FCALL in function.c (script_int.h is what the three share). */
#include "script_int.h"

#include "aof.h"
#include "ds/alloc.h"
#include "ds/dict.h"
#include "ds/str.h"
#include "log.h"
#include "lua/lualibs.h"
#include "lua/sandbox.h"
#include "lua/sha1.h"
#include "server.h"

#include <lauxlib.h>
#include <lua-bitop.h>
#include <lua-cjson.h>
#include <lua.h>
#include <lualib.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int script_disable_deny;

/* run flags */
#define RUN_RO (1u << 0)
#define RUN_ALLOW_OOM (1u << 1)
#define RUN_DIRTY (1u << 2) /* a write command was called */
#define RUN_TIMEDOUT (1u << 3)
#define RUN_KILLED (1u << 4)
#define RUN_OOM (1u << 5) /* over maxmemory when the script started */

/* redis.set_repl() flags */
#define REPL_AOF 1
#define REPL_REPLICA 2

typedef struct cached {
    char sha[41];
    str body;
    unsigned flags;
    int ref; /* registry reference of the compiled function */
} cached;

static struct {
    lua_State *L;
    int g_ref;  /* registry reference of the real globals table */
    client *lc; /* the fake client scripts run commands as */
    dict *scripts; /* sha -> cached* (owned) */
    dict *bodies;  /* body -> the same cached* */
    size_t body_mem;
    long runs;
} E;

typedef struct logged {
    int dbid, argc;
    arg *argv; /* one allocation: the arg array then the bytes */
} logged;

static struct run {
    int active;
    int is_eval;      /* EVAL (1) or FCALL (0): names the kill command */
    client *caller;
    const char *name; /* the script's SHA or the function's name */
    uint64_t start_us;
    unsigned flags;
    int repl;
    int reads_paused; /* the caller's socket is not read while we serve others */
    void (*saved_hook)(int dbid, arg *argv, int argc);
    logged *ops;
    int nops, capops;
} R;

/* ---- helpers ---- */

/* Lua's heap is not counted in used_memory (as in Redis: INFO shows it as
 * used_memory_lua, and it never causes evictions). */
static void *lua_alloc(void *ud, void *ptr, size_t osize, size_t nsize)
{
    (void)ud;
    (void)osize;
    if (nsize == 0) {
        free(ptr);
        return NULL;
    }
    return realloc(ptr, nsize);
}

static int lua_panic_handler(lua_State *L)
{
    log_msg(LOG_WARNING, "Lua panic: %s", lua_tostring(L, -1));
    abort();
    return 0;
}

/* Push {err="CODE msg"} built like Redis: "-CODE msg" keeps its code, any
 * other message gets "ERR"; \r and \n at the ends are trimmed. */
void script_push_error_len(lua_State *L, const char *s, size_t len)
{
    const char *code = "ERR", *msg = s;
    size_t codelen = 3, msglen = len;
    if (len && s[0] == '-') {
        const char *sp = memchr(s, ' ', len);
        if (sp) {
            code = s + 1;
            codelen = (size_t)(sp - s) - 1;
            msg = sp + 1;
            msglen = len - (size_t)(msg - s);
        } else {
            msg = s + 1;
            msglen = len - 1;
        }
    }
    while (msglen && (msg[0] == '\r' || msg[0] == '\n')) {
        msg++;
        msglen--;
    }
    while (msglen && (msg[msglen - 1] == '\r' || msg[msglen - 1] == '\n'))
        msglen--;
    luaL_checkstack(L, 4, "lua stack limit reached");
    lua_newtable(L);
    lua_pushliteral(L, "err");
    lua_pushlstring(L, code, codelen);
    lua_pushliteral(L, " ");
    lua_pushlstring(L, msg, msglen);
    lua_concat(L, 3);
    lua_rawset(L, -3);
}

void script_push_error(lua_State *L, const char *s)
{
    script_push_error_len(L, s, strlen(s));
}

/* Mark the error table at the top: its stats were counted already. */
void script_mark_counted(lua_State *L)
{
    lua_pushliteral(L, "ignore_error_stats_update");
    lua_pushboolean(L, 1);
    lua_rawset(L, -3);
}

int script_raise_error(lua_State *L, const char *s)
{
    script_push_error(L, s);
    return lua_error(L);
}


static void push_real_globals(lua_State *L)
{
    int ref = function_globals_ref(L);
    lua_rawgeti(L, LUA_REGISTRYINDEX, ref >= 0 ? ref : E.g_ref);
}

/* ---- propagation: collect what the script's commands log ---- */

static void collect(int dbid, arg *argv, int argc)
{
    if (!(R.repl & REPL_AOF))
        return;
    arg *a = argv_dup(argv, argc);
    if (R.nops == R.capops) {
        R.capops = R.capops ? R.capops * 2 : 8;
        R.ops = ds_realloc(R.ops, sizeof(logged) * (size_t)R.capops);
    }
    R.ops[R.nops++] = (logged){dbid, argc, a};
}

/* Log the collected commands: one alone as is, several in MULTI/EXEC
 * (not when the caller's EXEC is already a transaction). */
static void flush_collected(int in_transaction)
{
    int wrap = R.nops > 1 && !in_transaction;
    if (wrap) {
        arg m = {"MULTI", 5};
        server_propagate(R.ops[0].dbid, &m, 1);
    }
    for (int i = 0; i < R.nops; i++) {
        server_propagate(R.ops[i].dbid, R.ops[i].argv, R.ops[i].argc);
        ds_free(R.ops[i].argv);
    }
    if (wrap) {
        arg x = {"EXEC", 4};
        server_propagate(R.ops[R.nops - 1].dbid, &x, 1);
    }
    R.nops = 0;
}

/* ---- redis.call / redis.pcall ---- */

static arg *cargv;
static int cargv_cap;
static char *numbuf;
static size_t numbuf_cap;

/* Build argv from the Lua arguments (left on the stack, so the string
 * bytes stay valid).  Numbers are written with %.17g.  -1 with the error
 * table pushed when an argument is not a string or a number. */
static int lua_args(lua_State *L, int *argc_out)
{
    int argc = lua_gettop(L);
    if (argc == 0) {
        script_push_error(L, "Please specify at least one argument for this redis lib call");
        return -1;
    }
    if (argc > cargv_cap) {
        cargv_cap = argc;
        cargv = ds_realloc(cargv, sizeof(arg) * (size_t)argc);
    }
    if ((size_t)argc * 32 > numbuf_cap) {
        numbuf_cap = (size_t)argc * 32;
        numbuf = ds_realloc(numbuf, numbuf_cap);
    }
    for (int j = 0; j < argc; j++) {
        if (lua_type(L, j + 1) == LUA_TNUMBER) {
            char *d = numbuf + (size_t)j * 32;
            int n = snprintf(d, 32, "%.17g", (double)lua_tonumber(L, j + 1));
            cargv[j].p = d;
            cargv[j].len = (size_t)n;
            continue;
        }
        size_t len;
        const char *s = lua_type(L, j + 1) == LUA_TSTRING ? lua_tolstring(L, j + 1, &len) : NULL;
        if (!s) {
            script_push_error(L, "Lua redis lib command arguments must be strings or integers");
            return -1;
        }
        cargv[j].p = s;
        cargv[j].len = len;
    }
    *argc_out = argc;
    return 0;
}

/* Checks before running cmd from a script; the error text or NULL. */
static const char *deny_reason(command *cmd, int argc)
{
    if (!cmd)
        return "Unknown Redis command called from script";
    if ((cmd->arity > 0 && cmd->arity != argc) || argc < -cmd->arity)
        return "Wrong number of args calling Redis command from script";
    if ((cmd->flags & CMD_NOSCRIPT) && !script_disable_deny)
        return "This Redis command is not allowed from script";
    if ((R.flags & RUN_RO) && (cmd->flags & (CMD_WRITE | CMD_MAY_REPLICATE)))
        return "Write commands are not allowed from read-only scripts.";
    if ((cmd->flags & CMD_WRITE) && !(R.flags & RUN_DIRTY)) {
        const char *diskerr = aof_write_error();
        if (diskerr)
            return diskerr;
    }
    if (!(R.flags & (RUN_ALLOW_OOM | RUN_DIRTY)) && (R.flags & RUN_OOM) &&
        (cmd->flags & CMD_DENYOOM))
        return ERR_OOM;
    return NULL;
}

static int in_redis_call;

static int redis_generic_call(lua_State *L, int raise)
{
    if (!R.active)
        return script_raise_error(L, "redis.call/pcall can only be called inside a script "
                                     "invocation");
    int argc;
    if (lua_args(L, &argc) < 0)
        return raise ? lua_error(L) : 1;
    if (in_redis_call) {
        script_push_error(L, "luaRedisGenericCommand() recursive call detected. "
                      "Are you doing funny stuff with Lua debug hooks?");
        return 1;
    }
    client *lc = E.lc;
    command *cmd = lookup_command(cargv, argc);
    const char *deny = deny_reason(cmd, argc);
    if (deny) {
        /* Counted as a rejected call of cmd, like server_exec's refusals. */
        if (deny[0] == '-') {
            server_record_error(deny + 1, strlen(deny) - 1);
        } else {
            server_record_error("ERR", 3);
        }
        if (cmd)
            cmd->rejected_calls++;
        lua_settop(L, 0);
        script_push_error(L, deny);
        script_mark_counted(L);
        return raise ? lua_error(L) : 1;
    }
    if (cmd->flags & CMD_WRITE)
        R.flags |= RUN_DIRTY;
    in_redis_call = 1;
    lc->argv = cargv;
    lc->argc = argc;
    call(lc, cmd);
    lc->argc = 0;
    in_redis_call = 0;
    size_t len;
    const char *reply = script_take_reply(lc, &len);
    lua_settop(L, 0);
    script_resp_to_lua(L, reply, len);
    if (raise && len && reply[0] == '-')
        return lua_error(L);
    return 1;
}

static int l_redis_call(lua_State *L)
{
    return redis_generic_call(L, 1);
}

static int l_redis_pcall(lua_State *L)
{
    return redis_generic_call(L, 0);
}

/* pcall(): like Lua's, but an error table {err=...} comes back as its
 * message (scripts written for older Redis compare strings). */
static int l_pcall(lua_State *L)
{
    int argc = lua_gettop(L);
    luaL_checkany(L, 1);
    lua_pushboolean(L, 1);
    lua_insert(L, 1);
    if (lua_pcall(L, argc - 1, LUA_MULTRET, 0)) {
        lua_remove(L, 1);
        if (lua_istable(L, -1)) {
            lua_getfield(L, -1, "err");
            if (lua_isstring(L, -1))
                lua_replace(L, -2);
            else
                lua_pop(L, 1);
        }
        lua_pushboolean(L, 0);
        lua_insert(L, 1);
    }
    return lua_gettop(L);
}

/* ---- the rest of the redis table ---- */

static int l_sha1hex(lua_State *L)
{
    if (lua_gettop(L) != 1)
        return script_raise_error(L, "wrong number of arguments");
    size_t len = 0;
    const char *s = lua_tolstring(L, 1, &len);
    char hex[41];
    sha1_hex(hex, s ? s : "", s ? len : 0);
    lua_pushstring(L, hex);
    return 1;
}

static int l_error_reply(lua_State *L)
{
    if (lua_gettop(L) != 1 || lua_type(L, -1) != LUA_TSTRING) {
        script_push_error(L, "wrong number or type of arguments");
        return 1;
    }
    size_t len;
    const char *s = lua_tolstring(L, 1, &len);
    if (len && s[0] == '-') {
        script_push_error_len(L, s, len);
    } else {
        lua_pushliteral(L, "-");
        lua_pushvalue(L, 1);
        lua_concat(L, 2);
        s = lua_tolstring(L, -1, &len);
        script_push_error_len(L, s, len);
    }
    return 1;
}

static int l_status_reply(lua_State *L)
{
    if (lua_gettop(L) != 1 || lua_type(L, -1) != LUA_TSTRING) {
        script_push_error(L, "wrong number or type of arguments");
        return 1;
    }
    lua_newtable(L);
    lua_pushliteral(L, "ok");
    lua_pushvalue(L, 1);
    lua_rawset(L, -3);
    return 1;
}

int script_l_log(lua_State *L)
{
    int argc = lua_gettop(L);
    if (argc < 2)
        return script_raise_error(L, "redis.log() requires two arguments or more.");
    if (!lua_isnumber(L, 1))
        return script_raise_error(L, "First argument must be a number (log level).");
    int level = (int)lua_tonumber(L, 1);
    if (level < LOG_DEBUG || level > LOG_WARNING)
        return script_raise_error(L, "Invalid debug level.");
    if (level < srv.verbosity)
        return 0;
    str s = str_empty_cap(64);
    for (int j = 2; j <= argc; j++) {
        size_t len;
        const char *p = lua_tolstring(L, j, &len);
        if (!p)
            continue;
        if (j != 2)
            s = str_cat(s, " ", 1);
        s = str_cat(s, p, len);
    }
    log_raw(level, s);
    str_free(s);
    return 0;
}

static int l_setresp(lua_State *L)
{
    if (!R.active)
        return script_raise_error(L, "redis.setresp can only be called inside a script "
                                     "invocation");
    if (lua_gettop(L) != 1)
        return script_raise_error(L, "redis.setresp() requires one argument.");
    int resp = (int)lua_tonumber(L, -1);
    if (resp != 2 && resp != 3)
        return script_raise_error(L, "RESP version must be 2 or 3.");
    E.lc->resp = resp;
    return 0;
}

static int l_set_repl(lua_State *L)
{
    if (!R.active)
        return script_raise_error(L, "redis.set_repl can only be called inside a script "
                                     "invocation");
    if (lua_gettop(L) != 1)
        return script_raise_error(L, "redis.set_repl() requires two arguments.");
    int flags = (int)lua_tonumber(L, -1);
    if (flags & ~(REPL_AOF | REPL_REPLICA))
        return script_raise_error(L, "Invalid replication flags. Use REPL_AOF, REPL_REPLICA, "
                              "REPL_ALL or REPL_NONE.");
    R.repl = flags;
    return 0;
}

static int l_acl_check_cmd(lua_State *L)
{
    if (!R.active)
        return script_raise_error(L,
                           "redis.acl_check_cmd can only be called inside a script invocation");
    int argc;
    if (lua_args(L, &argc) < 0)
        return lua_error(L);
    if (!lookup_command(cargv, argc))
        return script_raise_error(L, "Invalid command passed to redis.acl_check_cmd()");
    lua_pushboolean(L, 1); /* one user with every permission */
    return 1;
}

static int l_false(lua_State *L)
{
    lua_pushboolean(L, 0);
    return 1;
}

static int l_true(lua_State *L)
{
    lua_pushboolean(L, 1);
    return 1;
}

static int l_nothing(lua_State *L)
{
    (void)L;
    return 0;
}

/* math.random / math.randomseed: a 48-bit LCG (the lrand48 recurrence), so
 * sequences do not depend on the libc. */
static uint64_t rand48_state = 0x1234abcd330eULL;

static int32_t rand48_next(void)
{
    rand48_state = (0x5deece66dULL * rand48_state + 0xb) & ((1ULL << 48) - 1);
    return (int32_t)(rand48_state >> 17);
}

static int l_math_random(lua_State *L)
{
    if (!R.active)
        return luaL_error(L, "math.random can only be called inside a script invocation");
    lua_Number r = (lua_Number)(rand48_next() % 2147483647) / (lua_Number)2147483647;
    switch (lua_gettop(L)) {
    case 0:
        lua_pushnumber(L, r);
        break;
    case 1: {
        int u = luaL_checkint(L, 1);
        luaL_argcheck(L, 1 <= u, 1, "interval is empty");
        lua_pushnumber(L, floor(r * u) + 1);
        break;
    }
    case 2: {
        int l = luaL_checkint(L, 1), u = luaL_checkint(L, 2);
        luaL_argcheck(L, l <= u, 2, "interval is empty");
        lua_pushnumber(L, floor(r * (u - l + 1)) + l);
        break;
    }
    default:
        return luaL_error(L, "wrong number of arguments");
    }
    return 1;
}

static int l_math_randomseed(lua_State *L)
{
    if (!R.active)
        return luaL_error(L, "math.randomseed can only be called inside a script invocation");
    int32_t seed = (int32_t)luaL_checkint(L, 1);
    rand48_state = ((uint64_t)(uint32_t)seed << 16) | 0x330e;
    return 0;
}

/* __index of the real globals: a read of an undefined global. */
int script_l_global_missing(lua_State *L)
{
    return luaL_error(L, "Script attempted to access nonexistent global variable '%s'",
                      lua_tostring(L, 2) ? lua_tostring(L, 2) : "?");
}

/* The pcall message handler of every run: turns the error into a table
 * {err=, source=, line=} naming where the script failed (the caller of a
 * C function when the error came from one). */
static int l_error_handler(lua_State *L)
{
    lua_Debug ar;
    int have = 0;
    if (lua_getstack(L, 1, &ar)) {
        lua_getinfo(L, "nSl", &ar);
        have = 1;
        if (strcmp(ar.what, "C") == 0) {
            have = lua_getstack(L, 2, &ar);
            if (have)
                lua_getinfo(L, "nSl", &ar);
        }
    }
    if (!lua_istable(L, 1)) {
        const char *msg;
        char tmp[64];
        switch (lua_type(L, 1)) {
        case LUA_TSTRING:
        case LUA_TNUMBER: msg = lua_tostring(L, 1); break;
        case LUA_TNIL: msg = "nil"; break;
        case LUA_TBOOLEAN: msg = lua_toboolean(L, 1) ? "true" : "false"; break;
        default:
            snprintf(tmp, sizeof(tmp), "%s: %p", luaL_typename(L, 1), lua_topointer(L, 1));
            msg = tmp;
        }
        lua_pushfstring(L, "ERR %s", msg);
        lua_newtable(L);
        lua_pushliteral(L, "err");
        lua_pushvalue(L, -3);
        lua_rawset(L, -3);
        lua_replace(L, 1);
        lua_settop(L, 1);
    }
    if (have) {
        lua_pushstring(L, ar.source);
        lua_setfield(L, 1, "source");
        lua_pushinteger(L, ar.currentline);
        lua_setfield(L, 1, "line");
    }
    return 1;
}

/* ---- the Lua state ---- */

void script_set_cfunction(lua_State *L, const char *name, lua_CFunction fn)
{
    lua_pushcfunction(L, fn);
    lua_setfield(L, -2, name);
}

void script_set_number(lua_State *L, const char *name, lua_Number n)
{
    lua_pushnumber(L, n);
    lua_setfield(L, -2, name);
}

void script_set_log_and_version(lua_State *L)
{
    script_set_cfunction(L, "log", script_l_log);
    script_set_number(L, "LOG_DEBUG", LOG_DEBUG);
    script_set_number(L, "LOG_VERBOSE", LOG_VERBOSE);
    script_set_number(L, "LOG_NOTICE", LOG_NOTICE);
    script_set_number(L, "LOG_WARNING", LOG_WARNING);
    script_set_number(L, "REDIS_VERSION_NUM", 0x07000f);
    lua_pushliteral(L, SLUICE_VERSION);
    lua_setfield(L, -2, "REDIS_VERSION");
}

/* The redis table, left on the stack. */
static void push_redis_api(lua_State *L)
{
    lua_newtable(L);
    script_set_cfunction(L, "call", l_redis_call);
    script_set_cfunction(L, "pcall", l_redis_pcall);
    script_set_log_and_version(L);
    script_set_cfunction(L, "setresp", l_setresp);
    script_set_cfunction(L, "sha1hex", l_sha1hex);
    script_set_cfunction(L, "error_reply", l_error_reply);
    script_set_cfunction(L, "status_reply", l_status_reply);
    script_set_cfunction(L, "set_repl", l_set_repl);
    script_set_number(L, "REPL_NONE", 0);
    script_set_number(L, "REPL_AOF", REPL_AOF);
    script_set_number(L, "REPL_SLAVE", REPL_REPLICA);
    script_set_number(L, "REPL_REPLICA", REPL_REPLICA);
    script_set_number(L, "REPL_ALL", REPL_AOF | REPL_REPLICA);
    script_set_cfunction(L, "acl_check_cmd", l_acl_check_cmd);
    script_set_cfunction(L, "breakpoint", l_false);
    script_set_cfunction(L, "debug", l_nothing);
    script_set_cfunction(L, "replicate_commands", l_true);
}

static void open_lib(lua_State *L, const char *name, lua_CFunction fn)
{
    lua_pushcfunction(L, fn);
    lua_pushstring(L, name);
    lua_call(L, 1, 1);
    if (name[0] && lua_istable(L, -1))
        lua_setfield(L, LUA_GLOBALSINDEX, name);
    else
        lua_pop(L, 1);
}

/* Replace each library table in G (at g) by a read-only proxy. */
static void protect_libraries(lua_State *L, int g)
{
    static const char *libs[] = {"string", "table", "math", "cjson", "struct",
                                 "cmsgpack", "bit", "coroutine", "redis", NULL};
    for (int i = 0; libs[i]; i++) {
        lua_getfield(L, g, libs[i]);
        sandbox_push_readonly(L, -1, 0);
        lua_setfield(L, g, libs[i]);
        lua_pop(L, 1);
    }
    /* Methods on strings ("x"):rep() read through the protected table. */
    lua_pushliteral(L, "");
    if (lua_getmetatable(L, -1)) {
        lua_getfield(L, g, "string");
        lua_setfield(L, -2, "__index");
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
}

/* A Lua state with the libraries and the redis API, its globals
 * protected; *g_ref and *pub_ref: registry references of the real globals
 * and of the proxy scripts see as _G. */
lua_State *script_vm_build(int *g_ref, int *pub_ref)
{
    lua_State *L = lua_newstate(lua_alloc, NULL);
    lua_atpanic(L, lua_panic_handler);
    open_lib(L, "", luaopen_base);
    open_lib(L, LUA_TABLIBNAME, luaopen_table);
    open_lib(L, LUA_STRLIBNAME, luaopen_string);
    open_lib(L, LUA_MATHLIBNAME, luaopen_math);
    open_lib(L, "cjson", luaopen_cjson);
    open_lib(L, "struct", luaopen_struct);
    open_lib(L, "cmsgpack", luaopen_cmsgpack);
    open_lib(L, "bit", luaopen_bit);

    lua_pushvalue(L, LUA_GLOBALSINDEX);
    int g = lua_gettop(L);
    /* Not in Redis 7.0.15 as Debian ships it: no file access, no output, no
     * environment games. */
    static const char *removed[] = {"print",   "dofile",  "loadfile",
                                    "newproxy", "getfenv", "setfenv", NULL};
    for (int i = 0; removed[i]; i++) {
        lua_pushnil(L);
        lua_setfield(L, g, removed[i]);
    }
    lua_getfield(L, g, "math");
    script_set_cfunction(L, "random", l_math_random);
    script_set_cfunction(L, "randomseed", l_math_randomseed);
    lua_pop(L, 1);
    push_redis_api(L);
    lua_setfield(L, g, "redis");
    lua_pushcfunction(L, l_pcall);
    lua_setfield(L, g, "pcall");
    sandbox_install(L, g);
    protect_libraries(L, g);

    /* What getmetatable(_G) shows: a read-only table like Redis's. */
    lua_newtable(L);
    lua_pushcfunction(L, script_l_global_missing);
    lua_setfield(L, -2, "__index");
    sandbox_push_readonly(L, -1, 0);
    lua_remove(L, -2);
    int shown_mt = lua_gettop(L);
    sandbox_push_readonly(L, g, shown_mt); /* the _G scripts see */
    int pub = lua_gettop(L);
    lua_pushvalue(L, pub);
    lua_setfield(L, g, "_G");
    lua_newtable(L);
    lua_pushcfunction(L, script_l_global_missing);
    lua_setfield(L, -2, "__index");
    lua_setmetatable(L, g);
    lua_pushvalue(L, g);
    *g_ref = luaL_ref(L, LUA_REGISTRYINDEX);
    lua_pushvalue(L, pub);
    *pub_ref = luaL_ref(L, LUA_REGISTRYINDEX);
    /* From now on code loaded in this state (scripts, loadstring) gets the
     * protected table as its environment. */
    lua_pushvalue(L, pub);
    lua_replace(L, LUA_GLOBALSINDEX);
    lua_settop(L, 0);
    return L;
}

static void vm_new(void)
{
    int pub_ref;
    E.L = script_vm_build(&E.g_ref, &pub_ref);
}

/* ---- the script cache ---- */

void script_str_key_view(const void *key, const void **p, size_t *len)
{
    *p = key;
    *len = str_len((const str)key);
}

void script_str_key_free(void *k)
{
    str_free(k);
}

static void cached_free(void *v)
{
    cached *s = v;
    str_free(s->body);
    ds_free(s);
}

static const dict_type scripts_type = {script_str_key_view, script_str_key_free, cached_free, 1};

static void body_key_view(const void *key, const void **p, size_t *len)
{
    const cached *s = key;
    *p = s->body;
    *len = str_len(s->body);
}

static const dict_type bodies_type = {body_key_view, NULL, NULL, 0};

void script_init(void)
{
    E.scripts = dict_new(&scripts_type);
    E.bodies = dict_new(&bodies_type);
    E.lc = conn_create_fake(srv.net);
    E.lc->flags &= ~CLIENT_FAKE;
    E.lc->flags |= CLIENT_SCRIPT;
    snprintf(E.lc->addr, sizeof(E.lc->addr), "lua");
    E.lc->db = &srv.dbs[0];
    E.lc->db_id = 0;
    rand48_state = ((uint64_t)el_wall_us() & 0xffffffffULL) << 16 | 0x330e;
    vm_new();
    function_init();
}

void script_flush(void)
{
    lua_close(E.L);
    dict_clear(E.bodies);
    dict_clear(E.scripts);
    E.body_mem = 0;
    vm_new();
}

int script_exists(const char *sha, size_t len)
{
    return dict_find(E.scripts, sha, len) != NULL;
}

size_t script_cached_count(void)
{
    return dict_size(E.scripts);
}

size_t script_cache_memory(void)
{
    return E.body_mem + dict_mem(E.scripts) + dict_mem(E.bodies) +
           dict_size(E.scripts) * sizeof(cached);
}

size_t script_vm_memory(void)
{
    return (size_t)lua_gc(E.L, LUA_GCCOUNT, 0) * 1024 + (size_t)lua_gc(E.L, LUA_GCCOUNTB, 0);
}

const script_flag script_flag_names[] = {
    {"no-writes", SF_NO_WRITES},   {"allow-oom", SF_ALLOW_OOM},
    {"allow-stale", SF_ALLOW_STALE}, {"no-cluster", SF_NO_CLUSTER},
    {"allow-cross-slot-keys", SF_ALLOW_CROSS_SLOT}, {NULL, 0},
};

static int parse_flag_list(const char *p, size_t len, unsigned *flags, str *err)
{
    const char *end = p + len;
    while (p < end) {
        const char *comma = memchr(p, ',', (size_t)(end - p));
        const char *e = comma ? comma : end;
        int i;
        for (i = 0; script_flag_names[i].name; i++)
            if (strlen(script_flag_names[i].name) == (size_t)(e - p) &&
                memcmp(script_flag_names[i].name, p, (size_t)(e - p)) == 0)
                break;
        if (!script_flag_names[i].name) {
            *err = str_from_c("Unexpected flag in script shebang: ");
            *err = str_cat(*err, p, (size_t)(e - p));
            return -1;
        }
        *flags |= script_flag_names[i].flag;
        p = comma ? comma + 1 : end;
    }
    return 0;
}

/* "#!lua [flags=a,b]\n" at the start of body: flags and the length of
 * the line (without its \n, which stays so line numbers do not move). */
static int parse_shebang(const char *body, size_t len, unsigned *flags, size_t *skip, str *err)
{
    *flags = SF_COMPAT;
    *skip = 0;
    if (len < 2 || memcmp(body, "#!", 2) != 0)
        return 0;
    const char *nl = memchr(body, '\n', len);
    if (!nl) {
        *err = str_from_c("Invalid script shebang");
        return -1;
    }
    *skip = (size_t)(nl - body);
    *flags = 0;
    const char *p = body, *end = nl;
    int part = 0;
    while (p < end) {
        while (p < end && (*p == ' ' || *p == '\t' || *p == '\r'))
            p++;
        if (p == end)
            break;
        const char *w = p;
        while (p < end && *p != ' ' && *p != '\t' && *p != '\r')
            p++;
        size_t wl = (size_t)(p - w);
        if (part++ == 0) {
            if (wl != 5 || memcmp(w, "#!lua", 5) != 0) {
                *err = str_from_c("Unexpected engine in script shebang: ");
                *err = str_cat(*err, w, wl);
                return -1;
            }
        } else if (wl >= 6 && memcmp(w, "flags=", 6) == 0) {
            if (parse_flag_list(w + 6, wl - 6, flags, err) < 0)
                return -1;
        } else {
            *err = str_from_c("Unknown lua shebang option: ");
            *err = str_cat(*err, w, wl);
            return -1;
        }
    }
    return 0;
}

/* Compile and cache body under sha; NULL after replying the error. */
static cached *create_script(client *c, const char *body, size_t len, const char *sha)
{
    unsigned flags;
    size_t skip;
    str err = NULL;
    if (parse_shebang(body, len, &flags, &skip, &err) < 0) {
        reply_error_len(c, err, str_len(err));
        str_free(err);
        return NULL;
    }
    lua_State *L = E.L;
    if (len > skip && body[skip] == LUA_SIGNATURE[0]) {
        /* Precompiled chunks are refused: compiled as text, ESC is a
         * syntax error. */
        reply_error(c, "Error compiling script (new function): user_script:1: unexpected "
                       "symbol near 'char(27)'");
        return NULL;
    }
    if (luaL_loadbuffer(L, body + skip, len - skip, "@user_script")) {
        reply_errorf(c, "Error compiling script (new function): %s", lua_tostring(L, -1));
        lua_pop(L, 1);
        return NULL;
    }
    cached *s = ds_malloc(sizeof(*s));
    s->body = str_new(body, len);
    s->flags = flags;
    s->ref = luaL_ref(L, LUA_REGISTRYINDEX);
    memcpy(s->sha, sha, 41);
    dict_add(E.scripts, str_new(sha, 40), s);
    dict_add(E.bodies, s, s);
    E.body_mem += len + 40;
    return s;
}

void script_load(client *c, const char *body, size_t len)
{
    char sha[41];
    sha1_hex(sha, body, len);
    if (!dict_find(E.scripts, sha, 40) && !create_script(c, body, len, sha))
        return;
    reply_bulk(c, sha, 40);
}

/* ---- running ---- */

int script_running(void)
{
    return R.active;
}

const script_run_info *script_current(void)
{
    static script_run_info info;
    if (!R.active)
        return NULL;
    info = (script_run_info){R.is_eval, R.caller, R.name, R.start_us};
    return &info;
}

int script_timedout(void)
{
    return R.active && (R.flags & RUN_TIMEDOUT);
}

const char *script_busy_error(void)
{
    return R.is_eval ? SCRIPT_BUSY_ERR : FUNCTION_BUSY_ERR;
}

void script_kill(client *c, int is_eval)
{
    if (!R.active) {
        reply_error(c, "-NOTBUSY No scripts in execution right now.");
        return;
    }
    if (R.flags & RUN_DIRTY) {
        reply_error(c, "-UNKILLABLE Sorry the script already executed write commands against "
                       "the dataset. You can either wait the script termination or kill the "
                       "server in a hard way using the SHUTDOWN NOSAVE command.");
        return;
    }
    if (is_eval != R.is_eval) {
        reply_error(c, script_busy_error());
        return;
    }
    R.flags |= RUN_KILLED;
    reply_ok(c);
}

/* Serve other clients for a moment (the script has run too long). */
static void serve_others(void)
{
    for (int i = 0; i < 4; i++)
        if (el_process(srv.loop, 0) <= 0)
            break;
    conn_flush_pending(srv.net);
}

static void count_hook(lua_State *L, lua_Debug *ar)
{
    (void)ar;
    if (!(R.flags & RUN_TIMEDOUT)) {
        long long elapsed = (long long)(el_mono_us() - R.start_us) / 1000;
        if (elapsed < srv.busy_reply_threshold)
            return;
        log_msg(LOG_WARNING, "Slow script detected: still in execution after %lld "
                "milliseconds. You can try killing the script using the %s "
                "command. Script name is: %s.", elapsed,
                R.is_eval ? "SCRIPT KILL" : "FUNCTION KILL", R.name);
        R.flags |= RUN_TIMEDOUT;
        R.reads_paused = conn_pause_reads(R.caller);
    }
    serve_others();
    if (R.flags & RUN_KILLED) {
        log_msg(LOG_WARNING, "Lua script killed by user with SCRIPT KILL.");
        /* Every line now raises again, so pcall cannot swallow the kill. */
        lua_sethook(L, count_hook, LUA_MASKLINE, 0);
        script_push_error(L, "Script killed by user with SCRIPT KILL...");
        lua_error(L);
    }
}

/* The checks Redis makes on scripts that declare flags, before running. */
static int may_run(client *c, unsigned flags, int ro, int oom)
{
    if (flags & SF_COMPAT)
        return 1;
    if (!(flags & SF_NO_WRITES)) {
        const char *diskerr = aof_write_error();
        if (diskerr) {
            reply_errorf(c, "-MISCONF Redis is configured to persist data to AOF, but it's "
                         "currently unable to persist to disk. Writable scripts are blocked. "
                         "Use 'no-writes' flag for read only scripts. AOF error: %s",
                         diskerr + strlen("-MISCONF Errors writing to the AOF file: "));
            return 0;
        }
        if (ro) {
            reply_error(c, "Can not execute a script with write flag using *_ro command.");
            return 0;
        }
    }
    if (oom && !(flags & (SF_ALLOW_OOM | SF_NO_WRITES))) {
        reply_error(c, "-OOM allow-oom flag is not set on the script, can not run it when "
                       "used memory > 'maxmemory'");
        return 0;
    }
    return 1;
}

static void push_array(lua_State *L, const arg *v, int n)
{
    lua_createtable(L, n, 0);
    for (int i = 0; i < n; i++) {
        lua_pushlstring(L, v[i].p, v[i].len);
        lua_rawseti(L, -2, i + 1);
    }
}

static void set_global_array(lua_State *L, int g, const char *name, const arg *v, int n)
{
    push_array(L, v, n);
    lua_setfield(L, g, name);
}

/* The reply for a run that ended in error (the table from the handler). */
static void reply_run_error(client *c, lua_State *L)
{
    if (!lua_istable(L, -1)) {
        const char *msg = lua_isstring(L, -1) ? lua_tostring(L, -1) : "execution failure";
        reply_errorf(c, "Error running script %s, %.100s", R.name, msg);
        return;
    }
    size_t len = 0, slen = 0;
    const char *msg = script_string_field(L, "err", &len);
    const char *src = script_string_field(L, "source", &slen);
    lua_pushliteral(L, "line");
    lua_rawget(L, -2);
    const char *line = lua_isstring(L, -1) ? lua_tostring(L, -1) : NULL;
    str s = str_new("-", 1);
    s = msg ? str_cat(s, msg, len) : str_cat(s, "ERR", 3);
    if (line && src) {
        s = str_cat(s, " script: ", 9);
        s = str_cat(s, R.name, strlen(R.name));
        s = str_cat(s, ", on ", 5);
        s = str_cat(s, src, slen);
        s = str_cat(s, ":", 1);
        s = str_cat(s, line, strlen(line));
        s = str_cat(s, ".", 1);
    }
    lua_pop(L, 1);
    if (script_bool_field(L, "ignore_error_stats_update"))
        script_reply_error_counted(c, s + 1, str_len(s) - 1);
    else
        reply_error_len(c, s, str_len(s));
    str_free(s);
}

void script_run(client *c, const runnable *x, int ro, int numkeys)
{
    lua_State *L = x->L;
    client *lc = E.lc;
    int oom = srv.maxmemory > 0 && (long long)ds_used_memory() > srv.maxmemory;
    if (!may_run(c, x->flags, ro, oom))
        return;
    R.active = 1;
    R.is_eval = x->is_eval;
    R.name = x->name;
    R.caller = c;
    R.start_us = el_mono_us();
    R.flags = oom ? RUN_OOM : 0;
    if (ro || (!(x->flags & SF_COMPAT) && (x->flags & SF_NO_WRITES)))
        R.flags |= RUN_RO;
    if (!(x->flags & SF_COMPAT) && (x->flags & SF_ALLOW_OOM))
        R.flags |= RUN_ALLOW_OOM;
    R.repl = REPL_AOF | REPL_REPLICA;
    R.reads_paused = 0;
    lc->db = c->db;
    lc->db_id = c->db_id;
    lc->resp = 2;

    const arg *keys = c->argv + 3, *args = c->argv + 3 + numkeys;
    int nargs = c->argc - 3 - numkeys;
    lua_pushcfunction(L, l_error_handler);
    lua_rawgeti(L, LUA_REGISTRYINDEX, x->ref);
    int nparams = 0;
    if (x->is_eval) {
        push_real_globals(L);
        int g = lua_gettop(L);
        set_global_array(L, g, "KEYS", keys, numkeys);
        set_global_array(L, g, "ARGV", args, nargs);
        lua_pop(L, 1);
    } else {
        push_array(L, keys, numkeys);
        push_array(L, args, nargs);
        nparams = 2;
    }
    if (srv.busy_reply_threshold > 0)
        lua_sethook(L, count_hook, LUA_MASKCOUNT, 100000);
    int in_transaction = srv.in_exec;
    srv.in_exec = 1; /* frozen time, nothing blocks */
    R.saved_hook = propagate_hook;
    propagate_hook = collect;
    int err = lua_pcall(L, nparams, 1, -2 - nparams);
    propagate_hook = R.saved_hook;
    srv.in_exec = in_transaction;
    lua_sethook(L, NULL, 0, 0);
    if (++E.runs % 50 == 0)
        lua_gc(L, LUA_GCSTEP, 50);
    if (err)
        reply_run_error(c, L);
    else
        script_lua_to_reply(c, L, lc->resp);
    lua_settop(L, 0);
    script_trim_buffers();
    if (cargv_cap > 1024) { /* a huge redis.call: do not keep its argv */
        ds_free(cargv);
        ds_free(numbuf);
        cargv = NULL;
        numbuf = NULL;
        cargv_cap = 0;
        numbuf_cap = 0;
    }
    if (R.reads_paused)
        conn_resume_reads(c);
    R.active = 0;
    R.caller = NULL;
    flush_collected(in_transaction);
    propagate_suppress(); /* the effects were logged, never EVAL itself */
}

void script_eval(client *c, int evalsha, int ro, int numkeys)
{
    const arg *a = &c->argv[1];
    cached *s;
    if (evalsha) {
        s = dict_fetch(E.scripts, a->p, a->len);
        if (!s) {
            reply_error(c, SCRIPT_NOSCRIPT_ERR);
            return;
        }
    } else if (!(s = dict_fetch(E.bodies, a->p, a->len))) {
        char sha[41];
        sha1_hex(sha, a->p, a->len);
        s = dict_fetch(E.scripts, sha, 40);
        if (!s && !(s = create_script(c, a->p, a->len, sha)))
            return;
    }
    runnable x = {E.L, s->ref, s->flags, s->sha, 1};
    script_run(c, &x, ro, numkeys);
}

