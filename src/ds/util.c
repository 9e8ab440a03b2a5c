/* util.c - see util.h. */
#include "util.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int digits10(unsigned long long v)
{
    int n = 1;
    for (;;) {
        if (v < 10)
            return n;
        if (v < 100)
            return n + 1;
        if (v < 1000)
            return n + 2;
        if (v < 10000)
            return n + 3;
        v /= 10000;
        n += 4;
    }
}

/* Two digits at a time from the right: INCR and every reply header go
 * through here. */
int ull_to_str(char *buf, size_t cap, unsigned long long v)
{
    static const char pairs[] = "00010203040506070809101112131415161718192021222324"
                                "25262728293031323334353637383940414243444546474849"
                                "50515253545556575859606162636465666768697071727374"
                                "75767778798081828384858687888990919293949596979899";
    int n = digits10(v);
    if ((size_t)n + 1 > cap)
        return 0;
    buf[n] = '\0';
    char *p = buf + n;
    while (v >= 100) {
        unsigned i = (unsigned)(v % 100) * 2;
        v /= 100;
        *--p = pairs[i + 1];
        *--p = pairs[i];
    }
    if (v >= 10) {
        *--p = pairs[v * 2 + 1];
        *--p = pairs[v * 2];
    } else {
        *--p = (char)('0' + v);
    }
    return n;
}

int ll_to_str(char *buf, size_t cap, long long v)
{
    if (v >= 0)
        return ull_to_str(buf, cap, (unsigned long long)v);
    if (cap < 2)
        return 0;
    buf[0] = '-';
    /* Negate in unsigned arithmetic so LLONG_MIN works. */
    int n = ull_to_str(buf + 1, cap - 1, 0ULL - (unsigned long long)v);
    return n ? n + 1 : 0;
}

int str_to_ull(const char *s, size_t len, unsigned long long *out)
{
    unsigned long long v = 0;
    if (len == 0 || len > 20)
        return 0;
    if (len > 1 && s[0] == '0')
        return 0;
    /* Up to 19 digits cannot overflow; only a 20th needs checking (no
     * division per digit: this runs for every INCR and bulk length). */
    size_t safe = len < 19 ? len : 19;
    for (size_t i = 0; i < safe; i++) {
        unsigned d = (unsigned)(unsigned char)s[i] - '0';
        if (d > 9)
            return 0;
        v = v * 10 + d;
    }
    if (len == 20) {
        unsigned d = (unsigned)(unsigned char)s[19] - '0';
        if (d > 9 || __builtin_mul_overflow(v, 10ULL, &v) || __builtin_add_overflow(v, d, &v))
            return 0;
    }
    *out = v;
    return 1;
}

int str_to_ll(const char *s, size_t len, long long *out)
{
    unsigned long long u;
    if (len == 0)
        return 0;
    if (s[0] == '-') {
        if (len == 1 || s[1] == '0')
            return 0; /* "-" and "-0..." are not integers */
        if (!str_to_ull(s + 1, len - 1, &u))
            return 0;
        if (u > (unsigned long long)1 << 63)
            return 0;
        *out = (long long)(0ULL - u);
        return 1;
    }
    if (!str_to_ull(s, len, &u) || u > (unsigned long long)INT64_MAX)
        return 0;
    *out = (long long)u;
    return 1;
}

int str_to_double(const char *s, size_t len, double *out)
{
    char buf[128];
    char *end;
    if (len == 0 || len >= sizeof(buf))
        return 0;
    memcpy(buf, s, len);
    buf[len] = '\0';
    if (isspace((unsigned char)buf[0]))
        return 0;
    errno = 0;
    double v = strtod(buf, &end);
    if ((size_t)(end - buf) != len || isnan(v))
        return 0;
    if (errno == ERANGE && (v == HUGE_VAL || v == -HUGE_VAL || v == 0))
        return 0;
    *out = v;
    return 1;
}

/* Redis reads at most this many characters as a long double. */
#define LD_IN_MAX (5 * 1024)

int str_to_ld(const char *s, size_t len, long double *out)
{
    char buf[LD_IN_MAX];
    char *end;
    if (len == 0 || len >= sizeof(buf))
        return 0;
    memcpy(buf, s, len);
    buf[len] = '\0';
    if (isspace((unsigned char)buf[0]))
        return 0;
    errno = 0;
    long double v = strtold(buf, &end);
    if ((size_t)(end - buf) != len || isnan(v) || errno == EINVAL)
        return 0;
    if (errno == ERANGE && (v == HUGE_VALL || v == -HUGE_VALL || v == 0))
        return 0;
    *out = v;
    return 1;
}

int ld_to_str_human(char *buf, size_t cap, long double v)
{
    int n;
    if (isinf(v)) {
        if (cap < 5) /* room for "-inf" and its NUL */
            return 0;
        return snprintf(buf, cap, "%s", v > 0 ? "inf" : "-inf");
    }
    n = snprintf(buf, cap, "%.17Lf", v);
    if (n < 0 || (size_t)n + 1 > cap)
        return 0;
    if (strchr(buf, '.')) {
        while (buf[n - 1] == '0')
            n--;
        if (buf[n - 1] == '.')
            n--;
    }
    if (n == 2 && buf[0] == '-' && buf[1] == '0') {
        buf[0] = '0';
        n = 1;
    }
    buf[n] = '\0';
    return n;
}

int double_to_str(char *buf, size_t cap, double v)
{
    if (isinf(v))
        return snprintf(buf, cap, "%s", v > 0 ? "inf" : "-inf");
    if (isnan(v))
        return snprintf(buf, cap, "nan");
    return snprintf(buf, cap, "%.17g", v);
}

/* A seeded 64-bit hash: 8 bytes at a time through a multiply-xorshift mix
 * keyed by the seed.  Good spread and fast; the random seed chosen at start
 * keeps an attacker from precomputing colliding keys. */
static uint64_t seed0 = 0x9e3779b97f4a7c15ULL, seed1 = 0xbf58476d1ce4e5b9ULL;

void hash_set_seed(const uint8_t seed[16])
{
    memcpy(&seed0, seed, 8);
    memcpy(&seed1, seed + 8, 8);
    seed0 |= 1;
}

static inline uint64_t mix(uint64_t a, uint64_t b)
{
    __uint128_t r = (__uint128_t)a * b;
    return (uint64_t)r ^ (uint64_t)(r >> 64);
}

static inline uint64_t hash_finish(uint64_t h, size_t len)
{
    return mix(h ^ seed1, (uint64_t)len ^ 0x94d049bb133111ebULL);
}

uint64_t hash_bytes(const void *p, size_t len)
{
    const unsigned char *s = p;
    uint64_t h = seed0;
    size_t i = 0;
    for (; i + 8 <= len; i += 8) {
        uint64_t w;
        memcpy(&w, s + i, 8);
        h = mix(h ^ w, 0x9fb21c651e98df25ULL);
    }
    /* The 0-7 byte tail without a byte loop: two overlapping 4-byte reads,
     * or first/middle/last byte (the length goes in through hash_finish). */
    size_t rem = len - i;
    uint64_t w = 0;
    if (rem >= 4) {
        uint32_t a, b;
        memcpy(&a, s + i, 4);
        memcpy(&b, s + len - 4, 4);
        w = (uint64_t)a | (uint64_t)b << 32;
    } else if (rem) {
        w = (uint64_t)s[i] << 16 | (uint64_t)s[i + rem / 2] << 8 | s[len - 1];
    }
    h = mix(h ^ w, 0xd6e8feb86659fd93ULL);
    return hash_finish(h, len);
}

uint64_t hash_bytes_nocase(const void *p, size_t len)
{
    const unsigned char *s = p;
    uint64_t h = seed0;
    size_t i = 0;
    while (i < len) {
        uint64_t w = 0;
        for (size_t k = 0; k < 8 && i < len; k++, i++) {
            unsigned char ch = s[i];
            if (ch >= 'A' && ch <= 'Z')
                ch = (unsigned char)(ch + 32);
            w |= (uint64_t)ch << (8 * k);
        }
        h = mix(h ^ w, 0x9fb21c651e98df25ULL);
    }
    h = mix(h, 0xd6e8feb86659fd93ULL);
    return hash_finish(h, len);
}
