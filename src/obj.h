/* obj.h - a value in the keyspace: a type tag, an encoding tag, an access
 * clock for OBJECT IDLETIME, and a pointer to the type's own structure:
 *
 *   OBJ_STRING  -> str            (encoding reported as int/embstr/raw)
 *   OBJ_LIST    -> qlist          (ds/qlist.h)
 *   OBJ_HASH, OBJ_SET, OBJ_ZSET, OBJ_STREAM -> their ds/ structures
 *
 * Type-specific free/dup/memory functions are registered per type in
 * obj.c so the keyspace never needs to know a type's internals. */
#ifndef SLUICE_OBJ_H
#define SLUICE_OBJ_H
#include <stddef.h>
#include <stdint.h>

#include "ds/str.h"

enum {
    OBJ_STRING = 0,
    OBJ_LIST = 1,
    OBJ_SET = 2,
    OBJ_ZSET = 3,
    OBJ_HASH = 4,
    OBJ_STREAM = 6,
    OBJ_TYPE_MAX = 8
};

typedef struct obj {
    uint8_t type;
    uint8_t enc;
    uint16_t freq;   /* LFU-style counter for OBJECT FREQ */
    uint32_t atime;  /* seconds clock of last access, for OBJECT IDLETIME */
    void *ptr;
} obj;

struct aof_writer;

typedef struct obj_type_ops {
    const char *name;                 /* TYPE reply */
    void (*free)(void *ptr);
    void *(*dup)(const void *ptr);
    size_t (*mem)(const void *ptr);   /* MEMORY USAGE */
    const char *(*encoding)(const obj *o);
    /* AOF rewrite: emit the commands that rebuild the value under key
     * through aof.h's aof_rw_* writer (runs in the rewrite child).  0 ok,
     * -1 on a write error.  NULL: keys of this type are not persisted.
     * Strings and lists are written by aof_rewrite.c itself. */
    int (*aof_rewrite)(struct aof_writer *w, const char *key, size_t klen, const void *ptr);
} obj_type_ops;

void obj_register_type(int type, const obj_type_ops *ops);
const obj_type_ops *obj_ops(int type);
obj *obj_new(int type, void *ptr);
obj *obj_new_string(const char *p, size_t len);
obj *obj_new_string_ll(long long v);
void obj_free(obj *o);
obj *obj_dup(const obj *o);
const char *obj_type_name(const obj *o);
const char *obj_encoding(const obj *o);
size_t obj_mem(const obj *o);
/* A string value as long long (strict), 0 on success. */
int obj_get_ll(const obj *o, long long *out);
uint32_t obj_clock(void);

#endif
