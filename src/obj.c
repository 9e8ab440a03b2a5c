/* obj.c - see obj.h. */
#include "obj.h"

#include "ds/alloc.h"
#include "ds/util.h"

#include <string.h>
#include <time.h>

static const obj_type_ops *ops_table[OBJ_TYPE_MAX];

static void str_free_v(void *p)
{
    str_free(p);
}

static void *str_dup_v(const void *p)
{
    return str_dup((const str)p);
}

static size_t str_mem_v(const void *p)
{
    return str_alloc_size((const str)p);
}

static const char *str_encoding(const obj *o)
{
    const str s = o->ptr;
    long long v;
    if (str_len(s) <= 20 && str_to_ll(s, str_len(s), &v))
        return "int";
    return str_len(s) <= 44 ? "embstr" : "raw";
}

static const obj_type_ops string_ops = {"string", str_free_v, str_dup_v, str_mem_v,
                                        str_encoding, NULL};

uint32_t obj_clock(void)
{
    /* Seconds are all it needs: the coarse clock costs a few ns instead of
     * a full clock read on every key lookup. */
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
    return (uint32_t)ts.tv_sec;
}

void obj_register_type(int type, const obj_type_ops *ops)
{
    ops_table[type] = ops;
}

const obj_type_ops *obj_ops(int type)
{
    if (type == OBJ_STRING)
        return &string_ops;
    return ops_table[type];
}

obj *obj_new(int type, void *ptr)
{
    obj *o = ds_malloc(sizeof(*o));
    o->type = (uint8_t)type;
    o->enc = 0;
    o->freq = 5;
    o->atime = obj_clock();
    o->ptr = ptr;
    return o;
}

obj *obj_new_string(const char *p, size_t len)
{
    return obj_new(OBJ_STRING, str_new(p, len));
}

obj *obj_new_string_ll(long long v)
{
    return obj_new(OBJ_STRING, str_from_ll(v));
}

void obj_free(obj *o)
{
    if (!o)
        return;
    const obj_type_ops *ops = obj_ops(o->type);
    if (ops && ops->free)
        ops->free(o->ptr);
    ds_free(o);
}

obj *obj_dup(const obj *o)
{
    const obj_type_ops *ops = obj_ops(o->type);
    obj *n = obj_new(o->type, ops->dup(o->ptr));
    n->enc = o->enc;
    return n;
}

const char *obj_type_name(const obj *o)
{
    const obj_type_ops *ops = obj_ops(o->type);
    return ops ? ops->name : "unknown";
}

const char *obj_encoding(const obj *o)
{
    const obj_type_ops *ops = obj_ops(o->type);
    return ops && ops->encoding ? ops->encoding(o) : "unknown";
}

size_t obj_mem(const obj *o)
{
    const obj_type_ops *ops = obj_ops(o->type);
    return sizeof(*o) + (ops && ops->mem ? ops->mem(o->ptr) : 0);
}

int obj_get_ll(const obj *o, long long *out)
{
    if (o->type != OBJ_STRING)
        return -1;
    return str_to_ll(o->ptr, str_len(o->ptr), out) ? 0 : -1;
}
