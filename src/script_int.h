/* script_int.h - what script.c, script_conv.c and function.c share; not for
 * other modules (they use script.h). */
#ifndef SLUICE_SCRIPT_INT_H
#define SLUICE_SCRIPT_INT_H
#include <lua.h>
#include <stdint.h>

#include "script.h"

/* shebang (#!lua flags=...) and register_function flags */
#define SF_NO_WRITES (1u << 0)
#define SF_ALLOW_OOM (1u << 1)
#define SF_ALLOW_STALE (1u << 2)
#define SF_NO_CLUSTER (1u << 3)
#define SF_ALLOW_CROSS_SLOT (1u << 4)
#define SF_COMPAT (1u << 5) /* no shebang: EVAL as before 7.0 */

typedef struct script_flag {
    const char *name;
    unsigned flag;
} script_flag;
extern const script_flag script_flag_names[]; /* NULL-name terminated */

/* What a run executes: a compiled function in a Lua state, named for
 * errors, with its shebang/registration flags. */
typedef struct runnable {
    lua_State *L;
    int ref;
    unsigned flags;
    const char *name;
    int is_eval; /* KEYS/ARGV as globals (EVAL) or as arguments (FCALL) */
} runnable;

/* The running script, for FUNCTION STATS (NULL when none). */
typedef struct script_run_info {
    int is_eval;
    client *caller;
    const char *name;
    uint64_t start_us;
} script_run_info;
const script_run_info *script_current(void);

/* script.c: the engine */
lua_State *script_vm_build(int *g_ref, int *pub_ref);
void script_run(client *c, const runnable *x, int ro, int numkeys);
void script_push_error_len(lua_State *L, const char *s, size_t len); /* {err="CODE msg"} */
void script_push_error(lua_State *L, const char *s);
void script_mark_counted(lua_State *L); /* error table: stats already counted */
int script_raise_error(lua_State *L, const char *s);
void script_set_cfunction(lua_State *L, const char *name, lua_CFunction fn);
void script_set_number(lua_State *L, const char *name, lua_Number n);
/* redis.log, LOG_DEBUG..LOG_WARNING, REDIS_VERSION(_NUM) into the table on top:
 * the part of the redis table scripts and function libraries share. */
void script_set_log_and_version(lua_State *L);
int script_l_log(lua_State *L);
int script_l_global_missing(lua_State *L);
void script_str_key_view(const void *key, const void **p, size_t *len);
void script_str_key_free(void *k);

/* script_conv.c: RESP <-> Lua */
void script_resp_to_lua(lua_State *L, const char *reply, size_t len);
const char *script_take_reply(client *lc, size_t *len);
void script_trim_buffers(void); /* drop a large reply buffer kept from before */
void script_lua_to_reply(client *c, lua_State *L, int script_resp);
void script_reply_error_counted(client *c, const char *msg, size_t len);
const char *script_string_field(lua_State *L, const char *f, size_t *len);
int script_bool_field(lua_State *L, const char *f);

/* function.c */
void function_init(void);
int function_globals_ref(lua_State *L); /* F.L's real globals, else -1 */

#endif
