/* sandbox.c - see sandbox.h.
 *
 * Registry state (keys are addresses of the statics below):
 *   K_PROXIES  weak-keyed table: proxy -> real table
 *   K_PUBMT    weak-keyed table: proxy -> metatable shown by getmetatable
 * A proxy never holds keys itself, so every write reaches __newindex. */
#include "sandbox.h"

#include <lauxlib.h>
#include <string.h>

static char K_PROXIES, K_PUBMT;
static char K_ORIG_LOAD, K_ORIG_LOADSTRING;

#define READONLY_MSG "Attempt to modify a readonly table"

static void push_reg(lua_State *L, const char *key)
{
    lua_pushlightuserdata(L, (void *)key);
    lua_rawget(L, LUA_REGISTRYINDEX);
}

/* The weak-keyed registry table at key, created on first use. */
static void push_weak(lua_State *L, const char *key)
{
    push_reg(L, key);
    if (!lua_isnil(L, -1))
        return;
    lua_pop(L, 1);
    lua_newtable(L);
    lua_newtable(L);
    lua_pushliteral(L, "k");
    lua_setfield(L, -2, "__mode");
    lua_setmetatable(L, -2);
    lua_pushlightuserdata(L, (void *)key);
    lua_pushvalue(L, -2);
    lua_rawset(L, LUA_REGISTRYINDEX);
}

/* Push the real table behind the proxy at idx, or nil. */
static void push_real(lua_State *L, int idx)
{
    if (lua_type(L, idx) != LUA_TTABLE) {
        lua_pushnil(L);
        return;
    }
    lua_pushvalue(L, idx);
    push_weak(L, &K_PROXIES);
    lua_insert(L, -2);
    lua_rawget(L, -2);
    lua_remove(L, -2);
}

static int is_proxy(lua_State *L, int idx)
{
    push_real(L, idx);
    int r = !lua_isnil(L, -1);
    lua_pop(L, 1);
    return r;
}

static int ro_newindex(lua_State *L)
{
    return luaL_error(L, READONLY_MSG);
}

static int ro_raw_error(lua_State *L)
{
    lua_pushstring(L, READONLY_MSG);
    return lua_error(L);
}

void sandbox_push_readonly(lua_State *L, int idx, int public_mt)
{
    if (idx < 0 && idx > LUA_REGISTRYINDEX)
        idx = lua_gettop(L) + idx + 1;
    if (public_mt < 0 && public_mt > LUA_REGISTRYINDEX)
        public_mt = lua_gettop(L) + public_mt + 1;
    lua_newtable(L); /* proxy */
    lua_newtable(L); /* its metatable */
    lua_pushvalue(L, idx);
    lua_setfield(L, -2, "__index");
    lua_pushcfunction(L, ro_newindex);
    lua_setfield(L, -2, "__newindex");
    lua_setmetatable(L, -2);
    push_weak(L, &K_PROXIES);
    lua_pushvalue(L, -2);
    lua_pushvalue(L, idx);
    lua_rawset(L, -3);
    lua_pop(L, 1);
    if (public_mt) {
        push_weak(L, &K_PUBMT);
        lua_pushvalue(L, -2);
        lua_pushvalue(L, public_mt);
        lua_rawset(L, -3);
        lua_pop(L, 1);
    }
}

/* ---- replaced base functions ---- */

static int sb_rawset(lua_State *L)
{
    luaL_checktype(L, 1, LUA_TTABLE);
    luaL_checkany(L, 2);
    luaL_checkany(L, 3);
    if (is_proxy(L, 1))
        return ro_raw_error(L);
    lua_settop(L, 3);
    lua_rawset(L, 1);
    return 1;
}

static int sb_rawget(lua_State *L)
{
    luaL_checktype(L, 1, LUA_TTABLE);
    luaL_checkany(L, 2);
    push_real(L, 1);
    if (!lua_isnil(L, -1))
        lua_replace(L, 1);
    else
        lua_pop(L, 1);
    lua_settop(L, 2);
    lua_rawget(L, 1);
    return 1;
}

static int sb_setmetatable(lua_State *L)
{
    int t = lua_type(L, 2);
    luaL_checktype(L, 1, LUA_TTABLE);
    luaL_argcheck(L, t == LUA_TNIL || t == LUA_TTABLE, 2, "nil or table expected");
    if (is_proxy(L, 1))
        return ro_raw_error(L);
    if (luaL_getmetafield(L, 1, "__metatable"))
        return luaL_error(L, "cannot change a protected metatable");
    lua_settop(L, 2);
    lua_setmetatable(L, 1);
    return 1;
}

static int sb_getmetatable(lua_State *L)
{
    luaL_checkany(L, 1);
    if (is_proxy(L, 1)) {
        push_weak(L, &K_PUBMT);
        lua_pushvalue(L, 1);
        lua_rawget(L, -2);
        return 1;
    }
    if (!lua_getmetatable(L, 1)) {
        lua_pushnil(L);
        return 1;
    }
    luaL_getmetafield(L, 1, "__metatable");
    return 1;
}

static int sb_next(lua_State *L)
{
    luaL_checktype(L, 1, LUA_TTABLE);
    push_real(L, 1);
    if (!lua_isnil(L, -1))
        lua_replace(L, 1);
    else
        lua_pop(L, 1);
    lua_settop(L, 2);
    if (lua_next(L, 1))
        return 2;
    lua_pushnil(L);
    return 1;
}

static int sb_pairs(lua_State *L)
{
    luaL_checktype(L, 1, LUA_TTABLE);
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_pushvalue(L, 1);
    lua_pushnil(L);
    return 3;
}

/* loadstring(s [,name]): refuses precompiled chunks, like a VM built
 * without the undump path (the call then returns nil, message). */
static int sb_loadstring(lua_State *L)
{
    size_t len;
    const char *s = luaL_checklstring(L, 1, &len);
    if (len && s[0] == LUA_SIGNATURE[0]) {
        lua_pushnil(L);
        lua_pushliteral(L, "binary chunks are not allowed");
        return 2;
    }
    int n = lua_gettop(L);
    push_reg(L, &K_ORIG_LOADSTRING);
    lua_insert(L, 1);
    lua_call(L, n, LUA_MULTRET);
    return lua_gettop(L);
}

/* load(func [,name]): the pieces are gathered first, then checked. */
static int sb_load(lua_State *L)
{
    luaL_checktype(L, 1, LUA_TFUNCTION);
    luaL_Buffer b;
    lua_settop(L, 2);
    luaL_buffinit(L, &b);
    for (;;) {
        lua_pushvalue(L, 1);
        lua_call(L, 0, 1);
        if (lua_isnil(L, -1) || (lua_isstring(L, -1) && lua_objlen(L, -1) == 0)) {
            lua_pop(L, 1);
            break;
        }
        if (!lua_isstring(L, -1))
            return luaL_error(L, "reader function must return a string");
        luaL_addvalue(&b);
    }
    luaL_pushresult(&b);
    lua_replace(L, 1);
    return sb_loadstring(L);
}

static void set_fn(lua_State *L, int g, const char *name, lua_CFunction fn)
{
    lua_pushcfunction(L, fn);
    lua_setfield(L, g, name);
}

void sandbox_install(lua_State *L, int g)
{
    if (g < 0 && g > LUA_REGISTRYINDEX)
        g = lua_gettop(L) + g + 1;
    set_fn(L, g, "rawset", sb_rawset);
    set_fn(L, g, "rawget", sb_rawget);
    set_fn(L, g, "setmetatable", sb_setmetatable);
    set_fn(L, g, "getmetatable", sb_getmetatable);
    set_fn(L, g, "next", sb_next);
    lua_getfield(L, g, "next");
    lua_pushcclosure(L, sb_pairs, 1);
    lua_setfield(L, g, "pairs");
    lua_pushlightuserdata(L, (void *)&K_ORIG_LOADSTRING);
    lua_getfield(L, g, "loadstring");
    lua_rawset(L, LUA_REGISTRYINDEX);
    lua_pushlightuserdata(L, (void *)&K_ORIG_LOAD);
    lua_getfield(L, g, "load");
    lua_rawset(L, LUA_REGISTRYINDEX);
    set_fn(L, g, "loadstring", sb_loadstring);
    set_fn(L, g, "load", sb_load);
}
