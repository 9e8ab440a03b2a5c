/* script.h - the Lua scripting engine (EVAL and friends, FUNCTION / FCALL;
 * Redis 7.0 semantics) on Debian's Lua 5.1.
 *
 * One Lua state for all EVAL scripts, created at start-up and replaced by
 * SCRIPT FLUSH; another one for function libraries.  Scripts are cached by the SHA1 of their body (the
 * lower-case hex digest names them).  A script runs atomically: its
 * redis.call()s run through call() as a fake client whose replies are kept
 * (CLIENT_SCRIPT) and converted back to Lua values.  Past
 * busy-reply-threshold ms the engine serves other clients from inside the
 * script (they get -BUSY except CMD_ALLOW_BUSY commands such as SCRIPT
 * KILL), and a script that wrote nothing yet can then be killed.  Writes
 * reach the AOF as the commands the script ran, in MULTI/EXEC when more
 * than one; EVAL itself is never logged. */
#ifndef SLUICE_SCRIPT_H
#define SLUICE_SCRIPT_H
#include <stddef.h>

#include "net/conn.h"

#define SCRIPT_BUSY_ERR \
    "-BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE."
#define FUNCTION_BUSY_ERR \
    "-BUSY Redis is busy running a script. You can only call FUNCTION KILL or SHUTDOWN NOSAVE."
#define SCRIPT_NOSCRIPT_ERR "-NOSCRIPT No matching script. Please use EVAL."

void script_init(void);
/* EVAL/EVALSHA[_RO] with argv checked by the command layer: argv[1] is the
 * body (or the 40-char SHA when evalsha), numkeys keys follow argv[2]. */
void script_eval(client *c, int evalsha, int ro, int numkeys);
/* SCRIPT LOAD: replies the SHA or the compile error. */
void script_load(client *c, const char *body, size_t len);
int script_exists(const char *sha, size_t len);
void script_flush(void);
/* SCRIPT KILL (is_eval) / FUNCTION KILL: +OK, -NOTBUSY, -UNKILLABLE, or -BUSY
 * when the running script is of the other kind. */
void script_kill(client *c, int is_eval);
/* The -BUSY error other clients get while a script runs too long. */
const char *script_busy_error(void);

int script_running(void);  /* a script is executing right now */
int script_timedout(void); /* ...past busy-reply-threshold: -BUSY for others */

size_t script_cached_count(void);
size_t script_cache_memory(void); /* bodies and names of cached scripts */
size_t script_vm_memory(void);    /* bytes the Lua state uses */

/* Functions (FUNCTION LOAD / FCALL): each replies to c. */
void function_load(client *c, const char *code, size_t len, int replace);
void function_call(client *c, int ro); /* FCALL / FCALL_RO, argv as given */
void function_delete(client *c, const char *name, size_t len);
void function_flush(void);
void function_list(client *c, const char *pattern, size_t plen, int withcode);
void function_stats(client *c);
/* Each library's code, as FUNCTION LOAD got it (for an AOF rewrite to
 * write one FUNCTION LOAD per library). */
void function_foreach(void (*fn)(const char *code, size_t len, void *ud), void *ud);
/* FUNCTION DUMP / RESTORE (payload as Redis 7.0 writes it). */
enum { FUNCTION_RESTORE_APPEND, FUNCTION_RESTORE_REPLACE, FUNCTION_RESTORE_FLUSH };
void function_dump(client *c);
void function_restore(client *c, const char *payload, size_t len, int policy);
size_t function_count(void);
size_t function_lib_count(void);
size_t function_vm_memory(void);

/* DEBUG SET-DISABLE-DENY-SCRIPTS: let scripts call CMD_NOSCRIPT commands. */
extern int script_disable_deny;

#endif
