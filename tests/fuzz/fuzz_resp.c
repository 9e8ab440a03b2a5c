/* fuzz_resp.c - libFuzzer target for the RESP request parser (src/net/resp.c).
 *
 * Input: one flags byte, then the bytes a client sends.  Flags: bit 0 sets
 * the unauthenticated limits, bit 1 a small proto-max-bulk-len (100), bits
 * 2-7 seed the sizes of the reads.
 *
 * The same bytes are parsed twice: in one buffer (one call per command),
 * and fed in small reads into a buffer that, like conn.c, drops the bytes
 * of finished commands from its front (resp_shift) and grows to what
 * resp_bulk_need() asks for.  Both must give the same commands, argument
 * for argument, and end in the same state (incomplete, or the same error
 * text).  Every argument must lie inside the bytes received.  Any
 * difference aborts, so the fuzzer reports it as a crash. */
#include "net/resp.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* What a parse produced: commands as (argc, (len, bytes)...) then the end. */
typedef struct trace {
    unsigned char *p;
    size_t len, cap;
} trace;

static void put(trace *t, const void *p, size_t n)
{
    if (t->len + n > t->cap) {
        t->cap = (t->len + n) * 2 + 64;
        t->p = realloc(t->p, t->cap);
        if (!t->p)
            abort();
    }
    memcpy(t->p + t->len, p, n);
    t->len += n;
}

static void put_cmd(trace *t, const resp_parser *p, const char *buf, size_t len)
{
    put(t, &p->argc, sizeof(p->argc));
    for (int i = 0; i < p->argc; i++) {
        const resp_arg *a = &p->argv[i];
        if (a->off > len || a->len > len - a->off) {
            fprintf(stderr, "argument %d [%zu, +%zu) outside the %zu buffered bytes\n", i,
                    a->off, a->len, len);
            abort();
        }
        put(t, &a->len, sizeof(a->len));
        put(t, buf + a->off, a->len);
    }
}

static void put_end(trace *t, int r, const resp_parser *p)
{
    put(t, &r, sizeof(r));
    if (r == RESP_ERR) {
        if (!p->err)
            abort();
        put(t, p->err, strlen(p->err));
    }
}

static void setup(resp_parser *p, uint8_t flags)
{
    resp_init(p);
    p->unauth = flags & 1;
    if (flags & 2)
        p->max_bulk = 100;
}

/* The whole input in one buffer. */
static void parse_whole(const uint8_t *data, size_t size, uint8_t flags, trace *t)
{
    char *buf = malloc(size + 1);
    if (!buf)
        abort();
    memcpy(buf, data, size);
    resp_parser p;
    setup(&p, flags);
    int r;
    while ((r = resp_parse(&p, buf, size)) == RESP_OK) {
        put_cmd(t, &p, buf, size);
        resp_next(&p);
    }
    put_end(t, r, &p);
    resp_free(&p);
    free(buf);
}

/* Small reads into a buffer that drops consumed bytes, as conn.c does. */
static void parse_reads(const uint8_t *data, size_t size, uint8_t flags, trace *t)
{
    size_t cap = 16, len = 0, fed = 0;
    char *buf = malloc(cap);
    unsigned seed = flags >> 2;
    resp_parser p;
    int r = RESP_INCOMPLETE;
    if (!buf)
        abort();
    setup(&p, flags);
    while (fed < size) {
        seed = seed * 1103515245u + 12345u;
        size_t n = 1 + (seed >> 16) % 23;
        if (n > size - fed)
            n = size - fed;
        size_t need = resp_bulk_need(&p, len);
        if (len + n + need > cap) {
            cap = (len + n + need) * 2;
            buf = realloc(buf, cap);
            if (!buf)
                abort();
        }
        memcpy(buf + len, data + fed, n);
        len += n;
        fed += n;
        while ((r = resp_parse(&p, buf, len)) == RESP_OK) {
            put_cmd(t, &p, buf, len);
            resp_next(&p);
        }
        if (r == RESP_ERR)
            break;
        if (p.start > len || p.pos > len || p.start > p.pos)
            abort();
        size_t drop = p.start;
        if (drop) {
            memmove(buf, buf + drop, len - drop);
            len -= drop;
            resp_shift(&p, drop);
        }
    }
    put_end(t, r, &p);
    resp_free(&p);
    free(buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    uint8_t flags = data[0];
    data++;
    size--;
    trace a = {0}, b = {0};
    parse_whole(data, size, flags, &a);
    parse_reads(data, size, flags, &b);
    /* Past RESP_INLINE_MAX the outcome depends on where reads end (as in
     * Redis): only memory safety is checked there. */
    if (size < RESP_INLINE_MAX && (a.len != b.len || memcmp(a.p, b.p, a.len) != 0)) {
        fprintf(stderr, "whole-buffer and read-by-read parses differ (%zu vs %zu bytes)\n",
                a.len, b.len);
        abort();
    }
    free(a.p);
    free(b.p);
    return 0;
}
