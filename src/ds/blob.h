/* blob.h - length-prefixed byte strings in one allocation, for dict keys
 * that must be small: a set member, or a hash field together with its
 * value (so a field costs one allocation, not two).
 *
 *   blob1:  | varint len | bytes |
 *   blob2:  | varint flen | field | varint vlen | value |
 *
 * varint is LEB128 (1 byte below 128).  No capacity, no NUL: a blob is
 * rebuilt, not grown, when its content changes.  Header-only, static
 * inline. */
#ifndef DS_BLOB_H
#define DS_BLOB_H
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "alloc.h"

static inline size_t blob_varint_put(unsigned char *dst, size_t v)
{
    size_t n = 0;
    while (v >= 0x80) {
        dst[n++] = (unsigned char)(v | 0x80);
        v >>= 7;
    }
    dst[n++] = (unsigned char)v;
    return n;
}

static inline size_t blob_varint_len(size_t v)
{
    size_t n = 1;
    while (v >= 0x80) {
        v >>= 7;
        n++;
    }
    return n;
}

/* Read a varint at p; returns the pointer just past it. */
static inline const unsigned char *blob_varint_get(const unsigned char *p, size_t *v)
{
    size_t x = 0;
    unsigned shift = 0;
    for (;;) {
        unsigned char b = *p++;
        x |= (size_t)(b & 0x7f) << shift;
        if (!(b & 0x80))
            break;
        shift += 7;
    }
    *v = x;
    return p;
}

static inline void *blob1_new(const void *p, size_t len)
{
    unsigned char *b = ds_malloc(blob_varint_len(len) + len);
    size_t h = blob_varint_put(b, len);
    if (len)
        memcpy(b + h, p, len);
    return b;
}

/* The bytes of a blob1, or the field of a blob2. */
static inline void blob_first(const void *blob, const char **p, size_t *len)
{
    *p = (const char *)blob_varint_get(blob, len);
}

static inline void *blob2_new(const void *f, size_t flen, const void *v, size_t vlen)
{
    unsigned char *b = ds_malloc(blob_varint_len(flen) + flen + blob_varint_len(vlen) + vlen);
    size_t off = blob_varint_put(b, flen);
    if (flen)
        memcpy(b + off, f, flen);
    off += flen;
    off += blob_varint_put(b + off, vlen);
    if (vlen)
        memcpy(b + off, v, vlen);
    return b;
}

/* Bytes used by a blob1 / blob2. */
static inline size_t blob1_size(const void *blob)
{
    size_t len;
    const unsigned char *p = blob_varint_get(blob, &len);
    return (size_t)(p - (const unsigned char *)blob) + len;
}

static inline size_t blob2_size(const void *blob)
{
    size_t flen, vlen;
    const unsigned char *f = blob_varint_get(blob, &flen);
    const unsigned char *v = blob_varint_get(f + flen, &vlen);
    return (size_t)(v - (const unsigned char *)blob) + vlen;
}

/* The value of a blob2. */
static inline void blob2_second(const void *blob, const char **p, size_t *len)
{
    size_t flen;
    const unsigned char *f = blob_varint_get(blob, &flen);
    *p = (const char *)blob_varint_get(f + flen, len);
}

#endif
