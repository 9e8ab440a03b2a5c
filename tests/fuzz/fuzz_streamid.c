/* fuzz_streamid.c - libFuzzer target for the stream ID parser
 * (stream_id_parse / stream_id_fmt in src/ds/stream.c).
 *
 * The input is one command argument.  It is parsed in every mode (strict or
 * not, with or without "ms-*", missing seq 0 or max) and checked against
 * a model of how Redis 7.0 reads an ID (below), field by field; a parsed ID
 * must print and parse back to itself; incr/decr must be inverse.
 *
 * The model, from Redis's documented and observed behaviour: the argument
 * is read as a C string (bytes after a NUL are ignored) of at most 127
 * bytes; "-" and "+" are the minimum and maximum unless strict; otherwise
 * the text is cut at the first '-', the part before is the ms and the part
 * after the seq (or "*" where allowed, or missing_seq when there is no
 * '-').  A part is a number when it is a canonical 64-bit signed decimal
 * that is not negative, or else when strtoull(base 10) consumes all of it
 * without a range error (which admits leading blanks, '+', leading zeros
 * and, for the seq only, a '-' sign that wraps). */
#include "ds/stream.h"

#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Canonical signed decimal: no blanks, no '+', no leading zeros, fits. */
static int canonical_ll(const char *s, long long *out)
{
    size_t n = strlen(s), i = 0;
    int neg = 0;
    unsigned long long v = 0;
    if (n == 0 || n > 20)
        return 0;
    if (n == 1 && s[0] == '0') {
        *out = 0;
        return 1;
    }
    if (s[0] == '-') {
        neg = 1;
        if (++i == n)
            return 0;
    }
    if (s[i] < '1' || s[i] > '9')
        return 0;
    for (; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return 0;
        unsigned d = (unsigned)(s[i] - '0');
        if (v > (ULLONG_MAX - d) / 10)
            return 0;
        v = v * 10 + d;
    }
    if (neg) {
        if (v > (unsigned long long)LLONG_MAX + 1)
            return 0;
        *out = (long long)(0 - v);
    } else {
        if (v > (unsigned long long)LLONG_MAX)
            return 0;
        *out = (long long)v;
    }
    return 1;
}

static int model_ull(const char *s, unsigned long long *out)
{
    long long ll;
    if (canonical_ll(s, &ll)) {
        if (ll < 0)
            return 0;
        *out = (unsigned long long)ll;
        return 1;
    }
    char *end = NULL;
    errno = 0;
    *out = strtoull(s, &end, 10);
    if (errno == EINVAL || errno == ERANGE || *s == '\0' || *end != '\0')
        return 0;
    return 1;
}

/* 0 ok / -1 invalid, like stream_id_parse. */
static int model_parse(const char *arg, size_t len, stream_id *out, uint64_t missing_seq,
                       int strict, int *seq_given)
{
    char buf[128];
    unsigned long long ms, seq;
    if (len > 127)
        return -1;
    memcpy(buf, arg, len);
    buf[len] = '\0';
    int special = (buf[0] == '-' || buf[0] == '+') && buf[1] == '\0';
    if (strict && special)
        return -1;
    if (seq_given)
        *seq_given = 1;
    if (special) {
        out->ms = out->seq = buf[0] == '-' ? 0 : UINT64_MAX;
        return 0;
    }
    char *dash = strchr(buf, '-');
    if (dash)
        *dash = '\0';
    if (!model_ull(buf, &ms))
        return -1;
    if (!dash) {
        seq = missing_seq;
    } else if (seq_given && strcmp(dash + 1, "*") == 0) {
        seq = 0;
        *seq_given = 0;
    } else if (!model_ull(dash + 1, &seq)) {
        return -1;
    }
    out->ms = ms;
    out->seq = seq;
    return 0;
}

static void check_mode(const char *p, size_t n, uint64_t missing, int strict, int with_seq)
{
    stream_id a = {7, 7}, b = {7, 7};
    int ga = -5, gb = -5;
    int ra = stream_id_parse(p, n, &a, missing, strict, with_seq ? &ga : NULL);
    int rb = model_parse(p, n, &b, missing, strict, with_seq ? &gb : NULL);
    if (ra != rb || (ra == 0 && (a.ms != b.ms || a.seq != b.seq || ga != gb))) {
        fprintf(stderr, "stream_id_parse(\"%.*s\", missing=%llu strict=%d seq_given=%s): "
                "sluice %d %llu-%llu (%d), model %d %llu-%llu (%d)\n", (int)n, p,
                (unsigned long long)missing, strict, with_seq ? "yes" : "NULL", ra,
                (unsigned long long)a.ms, (unsigned long long)a.seq, ga, rb,
                (unsigned long long)b.ms, (unsigned long long)b.seq, gb);
        abort();
    }
    if (ra != 0)
        return;
    char txt[64];
    size_t tl = stream_id_fmt(txt, a);
    stream_id c;
    if (tl != strlen(txt) || stream_id_parse(txt, tl, &c, 0, 1, NULL) != 0 || c.ms != a.ms ||
        c.seq != a.seq) {
        fprintf(stderr, "stream_id_fmt(%llu-%llu) = \"%s\" does not parse back\n",
                (unsigned long long)a.ms, (unsigned long long)a.seq, txt);
        abort();
    }
    c = a;
    int wrapped = stream_id_incr(&c);
    if (wrapped != ((a.ms == UINT64_MAX && a.seq == UINT64_MAX) ? -1 : 0))
        abort();
    if (stream_id_decr(&c) != (wrapped ? -1 : 0) || c.ms != a.ms || c.seq != a.seq)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *p = (const char *)data;
    for (int strict = 0; strict < 2; strict++) {
        for (int with_seq = 0; with_seq < 2; with_seq++) {
            check_mode(p, size, 0, strict, with_seq);
            check_mode(p, size, UINT64_MAX, strict, with_seq);
        }
    }
    return 0;
}
