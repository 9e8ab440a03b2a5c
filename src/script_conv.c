/* script_conv.c - conversions between RESP and Lua values for scripts,
 * as Redis 7.0 does them.
 *
 * RESP -> Lua (a redis.call reply): integer -> number, bulk -> string,
 * nil bulk / nil array -> false, array -> table, status -> {ok=}, error ->
 * {err=} (marked as counted: the command's error stats were updated), and
 * for RESP3: null -> nil, boolean, double -> {double=}, big number ->
 * {big_number=}, verbatim -> {verbatim_string={format=, string=}}, map ->
 * {map={}}, set -> {set={k=true}}, attributes skipped.
 *
 * Lua -> RESP (a script's result): string -> bulk, number -> integer
 * (truncated), true -> 1 (RESP3 scripts: #t), false -> nil (RESP3: #f),
 * tables by their marker field (err, ok, double, big_number,
 * verbatim_string, map, set) else an array up to the first nil.  Only raw
 * accesses are used, so metamethods of returned tables never run. */
#include "script_int.h"

#include "ds/alloc.h"
#include "ds/str.h"
#include "server.h"

#include <lauxlib.h>
#include <stdlib.h>
#include <string.h>

/* ---- RESP -> Lua ---- */

typedef struct rcur {
    const char *p, *end;
} rcur;

static const char *line_end(rcur *c)
{
    const char *e = c->p;
    while (e + 1 < c->end && !(e[0] == '\r' && e[1] == '\n'))
        e++;
    return e;
}

static long long parse_ll(const char *p, const char *e)
{
    long long v = 0;
    int neg = 0;
    if (p < e && *p == '-') {
        neg = 1;
        p++;
    }
    while (p < e && *p >= '0' && *p <= '9')
        v = v * 10 + (*p++ - '0');
    return neg ? -v : v;
}

static void resp_to_lua(lua_State *L, rcur *c, int push);

static void push_tagged(lua_State *L, const char *tag)
{
    /* {tag = <top>} */
    lua_newtable(L);
    lua_pushstring(L, tag);
    lua_pushvalue(L, -3);
    lua_rawset(L, -3);
    lua_remove(L, -2);
}

static void resp_aggregate(lua_State *L, rcur *c, int type, long long n, int push)
{
    if (type == '*' || type == '>') {
        if (push)
            lua_createtable(L, n > 0 && n < 1 << 20 ? (int)n : 0, 0);
        for (long long i = 0; i < n; i++) {
            resp_to_lua(L, c, push);
            if (push)
                lua_rawseti(L, -2, (int)(i + 1));
        }
        return;
    }
    if (type == '|') { /* attribute: skipped, the real reply follows */
        for (long long i = 0; i < 2 * n; i++)
            resp_to_lua(L, c, 0);
        resp_to_lua(L, c, push);
        return;
    }
    if (push)
        lua_newtable(L);
    for (long long i = 0; i < n; i++) {
        resp_to_lua(L, c, push);
        if (type == '%')
            resp_to_lua(L, c, push);
        else if (push)
            lua_pushboolean(L, 1);
        if (push) {
            if (lua_isnil(L, -2))
                lua_pop(L, 2);
            else
                lua_rawset(L, -3);
        }
    }
    if (push)
        push_tagged(L, type == '%' ? "map" : "set");
}

/* Convert one reply at c (Sluice's own output, so well formed) and push
 * it (or skip it when !push). */
static void resp_to_lua(lua_State *L, rcur *c, int push)
{
    if (c->p >= c->end) {
        if (push)
            lua_pushnil(L);
        return;
    }
    if (push)
        luaL_checkstack(L, 4, "lua stack limit reach when parsing redis.call reply");
    int type = *c->p++;
    const char *e = line_end(c);
    const char *s = c->p;
    size_t len = (size_t)(e - s);
    c->p = e + 2 <= c->end ? e + 2 : c->end;
    switch (type) {
    case '+':
        if (push) {
            lua_pushlstring(L, s, len);
            push_tagged(L, "ok");
        }
        return;
    case '-':
        if (push) {
            script_push_error_len(L, s - 1, len + 1);
            script_mark_counted(L);
        }
        return;
    case ':':
        if (push)
            lua_pushnumber(L, (lua_Number)parse_ll(s, e));
        return;
    case '_':
        if (push)
            lua_pushnil(L);
        return;
    case '#':
        if (push)
            lua_pushboolean(L, len && s[0] == 't');
        return;
    case ',':
        if (push) {
            char tmp[128];
            size_t n = len < sizeof(tmp) - 1 ? len : sizeof(tmp) - 1;
            memcpy(tmp, s, n);
            tmp[n] = '\0';
            lua_pushnumber(L, strtod(tmp, NULL));
            push_tagged(L, "double");
        }
        return;
    case '(':
        if (push) {
            lua_pushlstring(L, s, len);
            push_tagged(L, "big_number");
        }
        return;
    case '$':
    case '=': {
        long long n = parse_ll(s, e);
        if (n < 0) {
            if (push)
                lua_pushboolean(L, 0);
            return;
        }
        const char *b = c->p;
        if ((long long)(c->end - b) < n)
            n = c->end - b;
        c->p = b + n + 2 <= c->end ? b + n + 2 : c->end;
        if (!push)
            return;
        if (type == '$' || n < 4) {
            lua_pushlstring(L, b, (size_t)n);
            return;
        }
        lua_newtable(L);
        lua_pushliteral(L, "string");
        lua_pushlstring(L, b + 4, (size_t)n - 4);
        lua_rawset(L, -3);
        lua_pushliteral(L, "format");
        lua_pushlstring(L, b, 3);
        lua_rawset(L, -3);
        push_tagged(L, "verbatim_string");
        return;
    }
    case '*':
    case '%':
    case '~':
    case '|':
    case '>': {
        long long n = parse_ll(s, e);
        if (n < 0) {
            if (push)
                lua_pushboolean(L, 0);
            return;
        }
        resp_aggregate(L, c, type, n, push);
        return;
    }
    default:
        if (push)
            lua_pushnil(L);
    }
}

/* ---- the fake client's replies ---- */

static char *scratch;
static size_t scratch_cap;

void script_trim_buffers(void)
{
    if (scratch_cap > 64 * 1024) {
        ds_free(scratch);
        scratch = NULL;
        scratch_cap = 0;
    }
}

/* The reply bytes the last command left in lc, as one buffer; lc is left
 * empty (the bytes stay readable until the next command runs). */
const char *script_take_reply(client *lc, size_t *len)
{
    script_trim_buffers(); /* the previous reply was consumed */
    if (!lc->rhead) {
        *len = lc->bufpos;
        lc->bufpos = 0;
        return lc->buf ? lc->buf : "";
    }
    size_t total = lc->bufpos;
    for (reply_block *b = lc->rhead; b; b = b->next)
        total += b->used;
    if (total > scratch_cap) {
        scratch_cap = total;
        scratch = ds_realloc(scratch, scratch_cap);
    }
    memcpy(scratch, lc->buf, lc->bufpos);
    size_t off = lc->bufpos;
    reply_block *b = lc->rhead;
    while (b) {
        reply_block *next = b->next;
        memcpy(scratch + off, b->is_ref ? b->shared->buf : b->buf, b->used);
        off += b->used;
        if (b->is_ref)
            reply_shared_release(b->shared);
        ds_free(b);
        b = next;
    }
    lc->rhead = lc->rtail = NULL;
    lc->reply_bytes = 0;
    lc->bufpos = 0;
    *len = total;
    return scratch;
}

/* ---- Lua -> RESP ---- */

/* An error reply whose stats were counted already (a redis.call error
 * re-raised): written without the error hook, but the command still
 * counts as failed. */
void script_reply_error_counted(client *c, const char *msg, size_t len)
{
    str s = str_new("-", 1);
    s = str_cat(s, msg, len);
    for (size_t i = 1; i < str_len(s); i++)
        if (s[i] == '\r' || s[i] == '\n')
            s[i] = ' ';
    s = str_cat(s, "\r\n", 2);
    reply_raw(c, s, str_len(s));
    str_free(s);
    if (c->cmd)
        ((command *)c->cmd)->failed_calls++;
}

/* Field f of the table at the top, as a string (NULL if not a string). */
const char *script_string_field(lua_State *L, const char *f, size_t *len)
{
    lua_pushstring(L, f);
    lua_rawget(L, -2);
    const char *s = lua_type(L, -1) == LUA_TSTRING ? lua_tolstring(L, -1, len) : NULL;
    lua_pop(L, 1); /* the string stays alive in the table */
    return s;
}

int script_bool_field(lua_State *L, const char *f)
{
    lua_pushstring(L, f);
    lua_rawget(L, -2);
    int b = lua_toboolean(L, -1);
    lua_pop(L, 1);
    return b;
}

static void reply_from_error_table(client *c, lua_State *L)
{
    size_t len = 0;
    const char *msg = script_string_field(L, "err", &len);
    str s = str_new("-", 1);
    s = str_cat(s, msg, len);
    if (script_bool_field(L, "ignore_error_stats_update"))
        script_reply_error_counted(c, s + 1, str_len(s) - 1);
    else
        reply_error_len(c, s, str_len(s));
    str_free(s);
}

static void reply_big_number(client *c, const char *p, size_t len)
{
    str s = str_new(p, len);
    for (size_t i = 0; i < len; i++)
        if (s[i] == '\r' || s[i] == '\n')
            s[i] = ' ';
    if (c->resp >= 3) {
        reply_raw(c, "(", 1);
        reply_raw(c, s, len);
        reply_raw(c, "\r\n", 2);
    } else {
        reply_bulk(c, s, len);
    }
    str_free(s);
}

/* Table at the top with a "map" or "set" field table: reply it. */
static int reply_tagged_aggregate(client *c, lua_State *L, int script_resp)
{
    int is_map;
    lua_pushliteral(L, "map");
    lua_rawget(L, -2);
    if (lua_type(L, -1) == LUA_TTABLE) {
        is_map = 1;
    } else {
        lua_pop(L, 1);
        lua_pushliteral(L, "set");
        lua_rawget(L, -2);
        if (lua_type(L, -1) != LUA_TTABLE) {
            lua_pop(L, 1);
            return 0;
        }
        is_map = 0;
    }
    void *h = reply_defer(c);
    long n = 0;
    lua_pushnil(L);
    while (lua_next(L, -2)) {
        if (is_map) {
            lua_pushvalue(L, -2);
            script_lua_to_reply(c, L, script_resp); /* key */
            script_lua_to_reply(c, L, script_resp); /* value */
        } else {
            lua_pop(L, 1);
            lua_pushvalue(L, -1);
            script_lua_to_reply(c, L, script_resp);
        }
        n++;
    }
    if (is_map)
        reply_set_map_len(c, h, n);
    else
        reply_set_set_len(c, h, n);
    lua_pop(L, 1);
    return 1;
}

static int reply_verbatim_table(client *c, lua_State *L)
{
    lua_pushliteral(L, "verbatim_string");
    lua_rawget(L, -2);
    int done = 0;
    if (lua_type(L, -1) == LUA_TTABLE) {
        size_t flen, slen;
        const char *fmt = script_string_field(L, "format", &flen);
        const char *s = script_string_field(L, "string", &slen);
        if (fmt && s) {
            char ext[4] = "txt";
            memcpy(ext, fmt, flen < 3 ? flen : 3);
            reply_verbatim(c, s, slen, ext);
            done = 1;
        }
    }
    lua_pop(L, 1);
    return done;
}

static void reply_table(client *c, lua_State *L, int script_resp)
{
    size_t len;
    const char *s;
    if (script_string_field(L, "err", &len)) {
        reply_from_error_table(c, L);
        return;
    }
    if ((s = script_string_field(L, "ok", &len))) {
        str st = str_new(s, len);
        for (size_t i = 0; i < len; i++)
            if (st[i] == '\r' || st[i] == '\n')
                st[i] = ' ';
        reply_status_len(c, st, len);
        str_free(st);
        return;
    }
    lua_pushliteral(L, "double");
    lua_rawget(L, -2);
    if (lua_type(L, -1) == LUA_TNUMBER) {
        reply_double(c, lua_tonumber(L, -1));
        lua_pop(L, 1);
        return;
    }
    lua_pop(L, 1);
    if ((s = script_string_field(L, "big_number", &len))) {
        reply_big_number(c, s, len);
        return;
    }
    if (reply_verbatim_table(c, L) || reply_tagged_aggregate(c, L, script_resp))
        return;
    void *h = reply_defer(c);
    long n = 0;
    for (;;) {
        lua_rawgeti(L, -1, (int)n + 1);
        if (lua_isnil(L, -1)) {
            lua_pop(L, 1);
            break;
        }
        script_lua_to_reply(c, L, script_resp);
        n++;
    }
    reply_set_array_len(c, h, n);
}

/* Reply the value at the top of L to c and pop it. */
void script_lua_to_reply(client *c, lua_State *L, int script_resp)
{
    if (!lua_checkstack(L, 4)) {
        reply_error(c, "reached lua stack limit");
        lua_pop(L, 1);
        return;
    }
    switch (lua_type(L, -1)) {
    case LUA_TSTRING: {
        size_t len;
        const char *s = lua_tolstring(L, -1, &len);
        reply_bulk(c, s, len);
        break;
    }
    case LUA_TBOOLEAN:
        if (script_resp == 2) {
            if (lua_toboolean(L, -1))
                reply_ll(c, 1);
            else
                reply_null(c);
        } else {
            reply_bool(c, lua_toboolean(L, -1));
        }
        break;
    case LUA_TNUMBER: {
        lua_Number n = lua_tonumber(L, -1);
        long long v = (n >= -9223372036854775808.0 && n < 9223372036854775808.0)
                          ? (long long)n
                          : (long long)(-9223372036854775807LL - 1);
        reply_ll(c, v);
        break;
    }
    case LUA_TTABLE:
        reply_table(c, L, script_resp);
        break;
    default:
        reply_null(c);
    }
    lua_pop(L, 1);
}


void script_resp_to_lua(lua_State *L, const char *reply, size_t len)
{
    rcur cur = {reply, reply + len};
    resp_to_lua(L, &cur, 1);
}
