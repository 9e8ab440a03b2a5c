/* pack.c - see pack.h for the byte layout.
 *
 * Invariants: the header's byte count is the allocation's used size and
 * always >= PACK_HDR; the entry count matches the entries; every entry's
 * back field equals the size of its head and payload.  Inserting and
 * deleting move the tail with memmove: packs are small by contract. */
#include "pack.h"

#include "alloc.h"

#include <math.h>
#include <string.h>

#define DOUBLE_HEAD 1u
#define INT_HEAD 3u
/* Integral doubles up to 2^53 are stored exactly as INT_HEAD entries. */
#define INT_SAFE 9007199254740992.0

static uint32_t rd32(const pack *pk, size_t at)
{
    uint32_t v;
    memcpy(&v, pk + at, 4);
    return v;
}

static void wr32(pack *pk, size_t at, uint32_t v)
{
    memcpy(pk + at, &v, 4);
}

static void set_bytes(pack *pk, size_t n)
{
    wr32(pk, 0, (uint32_t)n);
}

static void add_count(pack *pk, long delta)
{
    wr32(pk, 4, (uint32_t)((long)rd32(pk, 4) + delta));
}

static size_t varint_len(uint64_t v)
{
    size_t n = 1;
    while (v >= 0x80) {
        v >>= 7;
        n++;
    }
    return n;
}

static size_t varint_put(unsigned char *dst, uint64_t v)
{
    size_t n = 0;
    while (v >= 0x80) {
        dst[n++] = (unsigned char)(v | 0x80);
        v >>= 7;
    }
    dst[n++] = (unsigned char)v;
    return n;
}

static uint64_t varint_get(const unsigned char *p, size_t *n)
{
    uint64_t v = 0;
    unsigned shift = 0;
    size_t i = 0;
    for (;;) {
        unsigned char b = p[i++];
        v |= (uint64_t)(b & 0x7f) << shift;
        if (!(b & 0x80))
            break;
        shift += 7;
    }
    *n = i;
    return v;
}

/* Write the back field of size v so that it ends just before `end`. */
static void back_put(unsigned char *end, uint64_t v)
{
    size_t k = varint_len(v);
    for (size_t i = 0; i < k; i++) {
        unsigned char b = (unsigned char)((v >> (7 * i)) & 0x7f);
        if (i + 1 < k)
            b |= 0x80;
        *(end - 1 - i) = b;
    }
}

/* Read the back field ending just before `end`. */
static uint64_t back_get(const unsigned char *end)
{
    uint64_t v = 0;
    unsigned shift = 0;
    const unsigned char *p = end - 1;
    for (;;) {
        unsigned char b = *p;
        v |= (uint64_t)(b & 0x7f) << shift;
        if (!(b & 0x80))
            break;
        shift += 7;
        p--;
    }
    return v;
}

/* An entry decoded: head size, payload size, total size, and its head. */
typedef struct ent {
    size_t hl, pl, size;
    uint64_t h;
} ent;

static void decode(const pack *pk, size_t pos, ent *e)
{
    e->h = varint_get(pk + pos, &e->hl);
    if (e->h == DOUBLE_HEAD)
        e->pl = 8;
    else if (e->h == INT_HEAD)
        varint_get(pk + pos + e->hl, &e->pl);
    else
        e->pl = (size_t)(e->h >> 1);
    e->size = e->hl + e->pl + varint_len(e->hl + e->pl);
}

static int is_number_head(uint64_t h)
{
    return h == DOUBLE_HEAD || h == INT_HEAD;
}

/* A number's encoding: an int payload (zigzag varint) when exact. */
typedef struct numenc {
    uint64_t h;
    unsigned char buf[10];
    size_t len;
} numenc;

static void encode_number(numenc *n, double d)
{
    if (d == floor(d) && fabs(d) < INT_SAFE && !(d == 0 && signbit(d))) {
        int64_t v = (int64_t)d;
        uint64_t z = ((uint64_t)v << 1) ^ (uint64_t)(v >> 63);
        n->h = INT_HEAD;
        n->len = varint_put(n->buf, z);
        return;
    }
    n->h = DOUBLE_HEAD;
    memcpy(n->buf, &d, sizeof(d));
    n->len = sizeof(d);
}

/* Size of an encoded entry with head h and payload pl. */
static size_t enc_size(uint64_t h, size_t pl)
{
    size_t hl = varint_len(h);
    return hl + pl + varint_len(hl + pl);
}

static void enc_write(unsigned char *dst, uint64_t h, const void *payload, size_t pl)
{
    size_t hl = varint_put(dst, h);
    if (pl)
        memcpy(dst + hl, payload, pl);
    back_put(dst + hl + pl + varint_len(hl + pl), hl + pl);
}

pack *pack_new(void)
{
    pack *pk = ds_malloc(PACK_HDR);
    set_bytes(pk, PACK_HDR);
    wr32(pk, 4, 0);
    return pk;
}

void pack_free(pack *pk)
{
    ds_free(pk);
}

pack *pack_dup(const pack *pk)
{
    size_t n = pack_bytes(pk);
    pack *d = ds_malloc(n);
    memcpy(d, pk, n);
    return d;
}

size_t pack_bytes(const pack *pk)
{
    return rd32(pk, 0);
}

size_t pack_count(const pack *pk)
{
    return rd32(pk, 4);
}

size_t pack_mem(const pack *pk)
{
    return ds_alloc_size((void *)pk);
}

int pack_safe_to_add(const pack *pk, size_t add)
{
    size_t have = pk ? pack_bytes(pk) : 0;
    return add < PACK_MAX_SAFE && have + add + 16 < PACK_MAX_SAFE;
}

size_t pack_first(const pack *pk)
{
    return pack_bytes(pk) > PACK_HDR ? PACK_HDR : 0;
}

size_t pack_last(const pack *pk)
{
    size_t n = pack_bytes(pk);
    return n > PACK_HDR ? pack_prev(pk, n) : 0;
}

size_t pack_next(const pack *pk, size_t pos)
{
    ent e;
    decode(pk, pos, &e);
    size_t next = pos + e.size;
    return next < pack_bytes(pk) ? next : 0;
}

size_t pack_prev(const pack *pk, size_t pos)
{
    if (pos <= PACK_HDR)
        return 0;
    uint64_t v = back_get(pk + pos);
    return pos - varint_len(v) - (size_t)v;
}

size_t pack_seek(const pack *pk, long i)
{
    long n = (long)pack_count(pk);
    if (i < 0)
        i += n;
    if (i < 0 || i >= n)
        return 0;
    size_t pos;
    if (i <= n / 2) {
        pos = pack_first(pk);
        while (i--)
            pos = pack_next(pk, pos);
    } else {
        pos = pack_last(pk);
        for (long k = n - 1; k > i; k--)
            pos = pack_prev(pk, pos);
    }
    return pos;
}

int pack_is_number(const pack *pk, size_t pos)
{
    return pk[pos] == DOUBLE_HEAD || pk[pos] == INT_HEAD;
}

void pack_get(const pack *pk, size_t pos, const char **p, size_t *len)
{
    ent e;
    decode(pk, pos, &e);
    *p = (const char *)pk + pos + e.hl;
    *len = e.pl;
}

double pack_get_double(const pack *pk, size_t pos)
{
    double d = 0;
    if (pk[pos] == DOUBLE_HEAD) {
        memcpy(&d, pk + pos + 1, sizeof(d));
    } else if (pk[pos] == INT_HEAD) {
        size_t n;
        uint64_t z = varint_get(pk + pos + 1, &n);
        d = (double)(int64_t)((z >> 1) ^ (0 - (z & 1)));
    }
    return d;
}

int pack_eq(const pack *pk, size_t pos, const void *p, size_t len)
{
    ent e;
    decode(pk, pos, &e);
    if (is_number_head(e.h) || e.pl != len)
        return 0;
    return len == 0 || memcmp(pk + pos + e.hl, p, len) == 0;
}

size_t pack_find(const pack *pk, size_t pos, const void *p, size_t len, unsigned skip)
{
    size_t end = pack_bytes(pk);
    while (pos && pos < end) {
        ent e;
        decode(pk, pos, &e);
        if (!is_number_head(e.h) && e.pl == len &&
            (len == 0 || memcmp(pk + pos + e.hl, p, len) == 0))
            return pos;
        pos += e.size;
        for (unsigned k = 0; k < skip && pos < end; k++) {
            decode(pk, pos, &e);
            pos += e.size;
        }
    }
    return 0;
}

/* Open a gap of `size` bytes at pos (shifting the tail right). */
static pack *open_gap(pack *pk, size_t pos, size_t size)
{
    size_t n = pack_bytes(pk);
    pk = ds_realloc(pk, n + size);
    memmove(pk + pos + size, pk + pos, n - pos);
    set_bytes(pk, n + size);
    return pk;
}

static pack *insert_enc(pack *pk, size_t pos, uint64_t h, const void *payload, size_t pl)
{
    size_t size = enc_size(h, pl);
    pk = open_gap(pk, pos, size);
    enc_write(pk + pos, h, payload, pl);
    add_count(pk, 1);
    return pk;
}

pack *pack_insert(pack *pk, size_t pos, const void *p, size_t len)
{
    return insert_enc(pk, pos, (uint64_t)len << 1, p, len);
}

pack *pack_insert_double(pack *pk, size_t pos, double d)
{
    numenc n;
    encode_number(&n, d);
    return insert_enc(pk, pos, n.h, n.buf, n.len);
}

pack *pack_append(pack *pk, const void *p, size_t len)
{
    return pack_insert(pk, pack_bytes(pk), p, len);
}

pack *pack_append_double(pack *pk, double d)
{
    return pack_insert_double(pk, pack_bytes(pk), d);
}

static pack *replace_enc(pack *pk, size_t pos, uint64_t h, const void *payload, size_t pl)
{
    ent e;
    decode(pk, pos, &e);
    size_t size = enc_size(h, pl), n = pack_bytes(pk);
    if (size > e.size) {
        pk = open_gap(pk, pos + e.size, size - e.size);
    } else if (size < e.size) {
        memmove(pk + pos + size, pk + pos + e.size, n - pos - e.size);
        set_bytes(pk, n - (e.size - size));
        pk = ds_realloc(pk, n - (e.size - size));
    }
    enc_write(pk + pos, h, payload, pl);
    return pk;
}

pack *pack_replace(pack *pk, size_t pos, const void *p, size_t len)
{
    return replace_enc(pk, pos, (uint64_t)len << 1, p, len);
}

pack *pack_replace_double(pack *pk, size_t pos, double d)
{
    numenc n;
    encode_number(&n, d);
    return replace_enc(pk, pos, n.h, n.buf, n.len);
}

pack *pack_delete(pack *pk, size_t pos, size_t n)
{
    size_t total = pack_bytes(pk), end = pos, k = 0;
    while (k < n && end < total) {
        ent e;
        decode(pk, end, &e);
        end += e.size;
        k++;
    }
    if (!k)
        return pk;
    memmove(pk + pos, pk + end, total - end);
    set_bytes(pk, total - (end - pos));
    add_count(pk, -(long)k);
    return ds_realloc(pk, total - (end - pos));
}
