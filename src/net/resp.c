/* resp.c - see resp.h.
 *
 * States: between commands (mb_left == 0, argc == 0); inside a multibulk
 * waiting for a "$len" header (bulk_len == -1); or waiting for bulk_len
 * bytes plus CRLF.  Each call resumes where the last one stopped, so a large
 * pipelined request split into many reads is scanned once.
 *
 * Limits (as Redis 7.0): count and length headers longer than 64 KiB without
 * CR are errors; multibulk count <= INT_MAX (<= 10 before AUTH); bulk length
 * <= max_bulk (<= 16384 before AUTH). */
#include "resp.h"

#include "../ds/alloc.h"
#include "../ds/util.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

void resp_init(resp_parser *p)
{
    memset(p, 0, sizeof(*p));
    p->bulk_len = -1;
    p->max_bulk = 512LL * 1024 * 1024;
}

void resp_free(resp_parser *p)
{
    ds_free(p->argv);
    p->argv = NULL;
    p->argv_cap = 0;
}

void resp_next(resp_parser *p)
{
    /* A huge command's argument table goes with it (Redis frees argv after
     * every command): a client that once sent a million arguments must not
     * keep 16 MB for the rest of its life. */
    if (p->argv_cap > RESP_ARGV_KEEP)
        resp_free(p);
    p->argc = 0;
    p->mb_left = 0;
    p->bulk_len = -1;
    p->start = p->pos;
    p->err = NULL;
}

void resp_shift(resp_parser *p, size_t dropped)
{
    p->pos -= dropped;
    p->start -= dropped;
    for (int i = 0; i < p->argc; i++)
        p->argv[i].off -= dropped;
}

size_t resp_bulk_need(const resp_parser *p, size_t len)
{
    if (p->mb_left == 0 || p->bulk_len < 0)
        return 0;
    size_t want = p->pos + (size_t)p->bulk_len + 2;
    return want > len ? want - len : 0;
}

static int fail(resp_parser *p, const char *msg)
{
    p->err = msg;
    return RESP_ERR;
}

static void push_arg(resp_parser *p, size_t off, size_t len)
{
    if (p->argc == p->argv_cap) {
        int cap = p->argv_cap ? p->argv_cap * 2 : 16;
        if (p->mb_left > 0 && cap > p->argc + p->mb_left)
            cap = (int)(p->argc + p->mb_left);
        if (cap <= p->argc)
            cap = p->argc + 1;
        p->argv = ds_realloc(p->argv, (size_t)cap * sizeof(resp_arg));
        p->argv_cap = cap;
    }
    p->argv[p->argc].off = off;
    p->argv[p->argc].len = len;
    p->argc++;
}

/* Find CR of a header line starting at `from`; -1: need more; -2: too long.
 * Like Redis's strchr(), a NUL byte before the CR hides it. */
static long find_cr(const char *buf, size_t from, size_t len)
{
    const char *cr = memchr(buf + from, '\r', len - from);
    if (cr && memchr(buf + from, '\0', (size_t)(cr - (buf + from))))
        cr = NULL;
    if (!cr)
        return len - from > RESP_INLINE_MAX ? -2 : -1;
    size_t at = (size_t)(cr - buf);
    if (at + 1 >= len)
        return -1; /* wait for the LF */
    return (long)at;
}

/* Fast path for the usual header: one type byte, then "0" or 1-18 digits
 * without a leading zero, then CR and at least one more byte.  Returns the
 * CR's offset and the value, or -1 to take the general path (incomplete
 * lines, signs, long or malformed numbers), which gives the same answer for
 * everything this accepts. */
static inline long quick_number(const char *buf, size_t from, size_t len, long long *out)
{
    size_t i = from + 1, end = from + 20 < len ? from + 20 : len;
    unsigned long long v = 0;
    if (i < end && buf[i] == '0') {
        i++;
    } else {
        if (i >= end || buf[i] < '1' || buf[i] > '9')
            return -1;
        while (i < end && (unsigned char)(buf[i] - '0') <= 9)
            v = v * 10 + (unsigned)(buf[i++] - '0');
    }
    if (i >= end || buf[i] != '\r' || i + 1 >= len)
        return -1;
    *out = (long long)v;
    return (long)i;
}

/* The general path of header_number(): out of line, it is rarely taken. */
static __attribute__((noinline)) int header_number_slow(resp_parser *p, const char *buf,
                                                        size_t len, long *cr, long long *n,
                                                        const char *too_big,
                                                        const char *invalid)
{
    *cr = find_cr(buf, p->pos, len);
    if (*cr == -2)
        return fail(p, too_big);
    if (*cr == -1)
        return RESP_INCOMPLETE;
    if (!str_to_ll(buf + p->pos + 1, (size_t)*cr - p->pos - 1, n))
        return fail(p, invalid);
    return RESP_OK;
}

/* The number of a header line: RESP_OK with *cr and *n, RESP_INCOMPLETE,
 * or RESP_ERR with `too_big` or `invalid` as the error. */
static inline int header_number(resp_parser *p, const char *buf, size_t len, long *cr,
                                long long *n, const char *too_big, const char *invalid)
{
    *cr = quick_number(buf, p->pos, len, n);
    if (*cr >= 0)
        return RESP_OK;
    return header_number_slow(p, buf, len, cr, n, too_big, invalid);
}

static int parse_header(resp_parser *p, char *buf, size_t len)
{
    static const char invalid[] = "Protocol error: invalid multibulk length";
    long cr;
    long long n;
    int r = header_number(p, buf, len, &cr, &n, "Protocol error: too big mbulk count string",
                          invalid);
    if (r != RESP_OK)
        return r;
    if (n > INT_MAX)
        return fail(p, invalid);
    if (n > 10 && p->unauth)
        return fail(p, "Protocol error: unauthenticated multibulk length");
    p->pos = (size_t)cr + 2;
    p->mb_left = n > 0 ? n : 0;
    return RESP_OK;
}

static int parse_bulk_header(resp_parser *p, char *buf, size_t len)
{
    static const char invalid[] = "Protocol error: invalid bulk length";
    long cr;
    long long n;
    if (p->pos < len && buf[p->pos] != '$') {
        /* Redis reports this only once the line is complete. */
        cr = find_cr(buf, p->pos, len);
        if (cr == -2)
            return fail(p, "Protocol error: too big bulk count string");
        if (cr == -1)
            return RESP_INCOMPLETE;
        snprintf(p->errbuf, sizeof(p->errbuf), "Protocol error: expected '$', got '%c'",
                 buf[p->pos]);
        return fail(p, p->errbuf);
    }
    int r = header_number(p, buf, len, &cr, &n, "Protocol error: too big bulk count string",
                          invalid);
    if (r != RESP_OK)
        return r;
    if (n < 0 || n > p->max_bulk)
        return fail(p, invalid);
    if (n > 16384 && p->unauth)
        return fail(p, "Protocol error: unauthenticated bulk length");
    p->pos = (size_t)cr + 2;
    p->bulk_len = n;
    return RESP_OK;
}

static int parse_multibulk(resp_parser *p, char *buf, size_t len)
{
    if (p->mb_left == 0 && p->argc == 0) {
        int r = parse_header(p, buf, len);
        if (r != RESP_OK)
            return r;
        if (p->mb_left == 0)
            return RESP_OK; /* "*0" or "*-1": an empty command, skipped */
    }
    while (p->mb_left) {
        if (p->bulk_len < 0) {
            int r = parse_bulk_header(p, buf, len);
            if (r != RESP_OK)
                return r;
        }
        if (len - p->pos < (size_t)p->bulk_len + 2)
            return RESP_INCOMPLETE;
        push_arg(p, p->pos, (size_t)p->bulk_len);
        p->pos += (size_t)p->bulk_len + 2;
        p->bulk_len = -1;
        p->mb_left--;
    }
    return RESP_OK;
}

static int hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

static int is_space(char c)
{
    return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\v' || c == '\f';
}

/* Unescape one double-quoted token in place; *i points after the opening
 * quote.  Writes to *w, returns 0 or -1 for unbalanced quotes. */
static int dquoted(char *s, size_t n, size_t *i, size_t *w)
{
    while (*i < n) {
        char c = s[*i];
        if (c == '\\' && *i + 3 < n && s[*i + 1] == 'x' && hexval(s[*i + 2]) >= 0 &&
            hexval(s[*i + 3]) >= 0) {
            s[(*w)++] = (char)(hexval(s[*i + 2]) * 16 + hexval(s[*i + 3]));
            *i += 4;
        } else if (c == '\\' && *i + 1 < n) {
            char e = s[*i + 1];
            s[(*w)++] = e == 'n'   ? '\n'
                        : e == 'r' ? '\r'
                        : e == 't' ? '\t'
                        : e == 'b' ? '\b'
                        : e == 'a' ? '\a'
                                   : e;
            *i += 2;
        } else if (c == '"') {
            (*i)++;
            /* The closing quote must be followed by a space or the end. */
            return (*i < n && !is_space(s[*i])) ? -1 : 0;
        } else {
            s[(*w)++] = c;
            (*i)++;
        }
    }
    return -1;
}

static int squoted(char *s, size_t n, size_t *i, size_t *w)
{
    while (*i < n) {
        char c = s[*i];
        if (c == '\\' && *i + 1 < n && s[*i + 1] == '\'') {
            s[(*w)++] = '\'';
            *i += 2;
        } else if (c == '\'') {
            (*i)++;
            return (*i < n && !is_space(s[*i])) ? -1 : 0;
        } else {
            s[(*w)++] = c;
            (*i)++;
        }
    }
    return -1;
}

/* Ends an unquoted token.  Narrower than is_space() on purpose: Redis's
 * sdssplitargs() skips any isspace() byte between tokens but ends a token
 * only at ' ', '\n', '\r' and '\t', so "a\vb" is one argument. */
static int is_token_end(char c)
{
    return c == ' ' || c == '\n' || c == '\r' || c == '\t';
}

int resp_split_args(char *s, size_t n, resp_arg_fn *emit, void *ud)
{
    size_t i = 0;
    while (1) {
        while (i < n && is_space(s[i]))
            i++;
        if (i >= n)
            return 0;
        size_t w = i, start = i;
        while (i < n && !is_token_end(s[i])) {
            char q = s[i];
            if (q == '"' || q == '\'') {
                /* ab"cd" is "abcd"; the closing quote must end the token. */
                i++;
                int r = q == '"' ? dquoted(s, n, &i, &w) : squoted(s, n, &i, &w);
                if (r < 0)
                    return -1;
                break;
            }
            s[w++] = s[i++];
        }
        emit(ud, start, w - start);
    }
}

struct inline_ctx {
    resp_parser *p;
    size_t off;
};

static void push_inline_arg(void *ud, size_t off, size_t len)
{
    struct inline_ctx *x = ud;
    push_arg(x->p, x->off + off, len);
}

/* Split an inline line [off, off+n) into args, unescaping in place. */
static int split_inline(resp_parser *p, char *buf, size_t off, size_t n)
{
    struct inline_ctx x = {p, off};
    if (resp_split_args(buf + off, n, push_inline_arg, &x) < 0)
        return fail(p, "Protocol error: unbalanced quotes in request");
    return RESP_OK;
}

static int parse_inline(resp_parser *p, char *buf, size_t len)
{
    const char *nl = memchr(buf + p->pos, '\n', len - p->pos);
    /* Redis finds the end of an inline line with strchr(): a NUL byte
     * before the newline hides it, so the line stays incomplete (until it
     * is too big).  Same here, reply for reply. */
    if (nl && memchr(buf + p->pos, '\0', (size_t)(nl - (buf + p->pos))))
        nl = NULL;
    if (!nl) {
        if (len - p->pos > RESP_INLINE_MAX)
            return fail(p, "Protocol error: too big inline request");
        return RESP_INCOMPLETE;
    }
    size_t end = (size_t)(nl - buf), next = end + 1;
    if (end > p->pos && buf[end - 1] == '\r')
        end--;
    size_t start = p->pos;
    p->pos = next;
    return split_inline(p, buf, start, end - start);
}

int resp_parse(resp_parser *p, char *buf, size_t len)
{
    for (;;) {
        if (p->pos >= len && p->argc == 0 && p->mb_left == 0)
            return RESP_INCOMPLETE;
        if (p->argc == 0 && p->mb_left == 0)
            p->start = p->pos;
        int r;
        if (p->argc > 0 || p->mb_left > 0 || buf[p->pos] == '*')
            r = parse_multibulk(p, buf, len);
        else
            r = parse_inline(p, buf, len);
        if (r != RESP_OK)
            return r;
        if (p->argc > 0)
            return RESP_OK;
        /* Empty command (blank line, "*0"): skip it and keep going. */
        resp_next(p);
    }
}
