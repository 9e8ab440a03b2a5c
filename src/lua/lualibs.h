/* lualibs.h - the Lua C libraries Sluice writes itself because Debian
 * ships them only inside Redis (cmsgpack, struct).  Each luaopen_X leaves
 * the module table on the stack and sets no global. */
#ifndef LUA_LUALIBS_H
#define LUA_LUALIBS_H
#include <lua.h>

int luaopen_cmsgpack(lua_State *L);
int luaopen_struct(lua_State *L);

#endif
