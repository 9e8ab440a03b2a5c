/* sha1.c - see sha1.h.  Invariant: x->used < 64 between calls; whole
 * 64-byte blocks are compressed as soon as they are complete. */
#include "sha1.h"

#include <string.h>

static uint32_t rol(uint32_t v, int n)
{
    return (v << n) | (v >> (32 - n));
}

static void compress(uint32_t h[5], const unsigned char *b)
{
    uint32_t w[80];
    for (int i = 0; i < 16; i++)
        w[i] = (uint32_t)b[4 * i] << 24 | (uint32_t)b[4 * i + 1] << 16 |
               (uint32_t)b[4 * i + 2] << 8 | (uint32_t)b[4 * i + 3];
    for (int i = 16; i < 80; i++)
        w[i] = rol(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
    uint32_t a = h[0], bb = h[1], c = h[2], d = h[3], e = h[4];
    for (int i = 0; i < 80; i++) {
        uint32_t f, k;
        if (i < 20) {
            f = (bb & c) | (~bb & d);
            k = 0x5a827999;
        } else if (i < 40) {
            f = bb ^ c ^ d;
            k = 0x6ed9eba1;
        } else if (i < 60) {
            f = (bb & c) | (bb & d) | (c & d);
            k = 0x8f1bbcdc;
        } else {
            f = bb ^ c ^ d;
            k = 0xca62c1d6;
        }
        uint32_t t = rol(a, 5) + f + e + k + w[i];
        e = d;
        d = c;
        c = rol(bb, 30);
        bb = a;
        a = t;
    }
    h[0] += a;
    h[1] += bb;
    h[2] += c;
    h[3] += d;
    h[4] += e;
}

void sha1_init(sha1_ctx *x)
{
    static const uint32_t iv[5] = {0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476,
                                   0xc3d2e1f0};
    memcpy(x->h, iv, sizeof(iv));
    x->total = 0;
    x->used = 0;
}

void sha1_update(sha1_ctx *x, const void *p, size_t len)
{
    const unsigned char *s = p;
    x->total += len;
    if (x->used) {
        size_t n = 64 - x->used;
        if (n > len)
            n = len;
        memcpy(x->blk + x->used, s, n);
        x->used += n;
        s += n;
        len -= n;
        if (x->used < 64)
            return;
        compress(x->h, x->blk);
        x->used = 0;
    }
    while (len >= 64) {
        compress(x->h, s);
        s += 64;
        len -= 64;
    }
    memcpy(x->blk, s, len);
    x->used = len;
}

void sha1_final(sha1_ctx *x, unsigned char out[20])
{
    uint64_t bits = x->total * 8;
    unsigned char pad = 0x80;
    sha1_update(x, &pad, 1);
    unsigned char zero[64] = {0};
    sha1_update(x, zero, x->used <= 56 ? 56 - x->used : 120 - x->used);
    unsigned char len[8];
    for (int i = 0; i < 8; i++)
        len[i] = (unsigned char)(bits >> (56 - 8 * i));
    sha1_update(x, len, 8);
    for (int i = 0; i < 5; i++) {
        out[4 * i] = (unsigned char)(x->h[i] >> 24);
        out[4 * i + 1] = (unsigned char)(x->h[i] >> 16);
        out[4 * i + 2] = (unsigned char)(x->h[i] >> 8);
        out[4 * i + 3] = (unsigned char)x->h[i];
    }
}

void sha1_hex(char out[41], const void *p, size_t len)
{
    static const char hex[] = "0123456789abcdef";
    sha1_ctx x;
    unsigned char d[20];
    sha1_init(&x);
    sha1_update(&x, p, len);
    sha1_final(&x, d);
    for (int i = 0; i < 20; i++) {
        out[2 * i] = hex[d[i] >> 4];
        out[2 * i + 1] = hex[d[i] & 15];
    }
    out[40] = '\0';
}
