/* sha1.h - SHA-1 (FIPS 180-4) for script names: EVAL's cache key and
 * redis.sha1hex().  Not for security: only to name script bodies. */
#ifndef LUA_SHA1_H
#define LUA_SHA1_H
#include <stddef.h>
#include <stdint.h>

typedef struct sha1_ctx {
    uint32_t h[5];
    uint64_t total;      /* bytes fed so far */
    unsigned char blk[64];
    size_t used;         /* bytes waiting in blk */
} sha1_ctx;

void sha1_init(sha1_ctx *x);
void sha1_update(sha1_ctx *x, const void *p, size_t len);
void sha1_final(sha1_ctx *x, unsigned char out[20]);
/* 40 lower-case hex digits and a NUL into out. */
void sha1_hex(char out[41], const void *p, size_t len);

#endif
