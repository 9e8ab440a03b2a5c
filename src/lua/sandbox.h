/* sandbox.h - read-only tables and protected globals for script Lua
 * states, on a stock Lua 5.1 (no read-only table support in the VM).
 *
 * A protected table is a proxy: an empty table whose metatable reads
 * through to the real one and refuses writes with "Attempt to modify a
 * readonly table".  The base functions that bypass metatables (rawset,
 * rawget, setmetatable, getmetatable, next, pairs) are replaced by
 * versions that see through proxies and refuse to change them; loadstring
 * and load refuse precompiled (binary) chunks. */
#ifndef LUA_SANDBOX_H
#define LUA_SANDBOX_H
#include <lua.h>

/* Push a read-only proxy of the table at idx.  public_mt: stack index of
 * what getmetatable() shows for it (0: nothing). */
void sandbox_push_readonly(lua_State *L, int idx, int public_mt);
/* Replace the base functions in the table at idx (the real globals). */
void sandbox_install(lua_State *L, int globals_idx);

#endif
