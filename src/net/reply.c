/* reply.c - see reply.h.
 *
 * Output layout of a client: buf[0..bufpos) is written first; once a block
 * exists nothing more goes into buf, so byte order is preserved.  Deferred
 * aggregate headers are placeholder blocks, filled in when the length is
 * known.  A block that references a shared buffer (pub/sub) holds a
 * reference, dropped when the block is written or the client freed. */
#include "reply.h"

#include "../ds/alloc.h"
#include "../ds/util.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define BLOCK_MIN (16 * 1024)

static int accepting(client *c)
{
    if (c->flags & CLIENT_SCRIPT)
        return 1; /* kept for the script to read back */
    if (c->flags & (CLIENT_REPLY_OFF | CLIENT_REPLY_SKIP | CLIENT_CLOSE_ASAP | CLIENT_FAKE))
        return 0;
    if (!(c->flags & CLIENT_PENDING_WRITE))
        conn_queue_write(c);
    return 1;
}

static reply_block *block_new(size_t size)
{
    reply_block *b = ds_malloc(sizeof(*b) + size);
    b->next = NULL;
    b->used = 0;
    b->size = ds_alloc_size(b) - sizeof(*b);
    b->refs = 0;
    b->is_ref = 0;
    b->shared = NULL;
    return b;
}

static void block_append(client *c, reply_block *b)
{
    if (c->rtail)
        c->rtail->next = b;
    else
        c->rhead = b;
    c->rtail = b;
}

static void add_to_blocks(client *c, const char *p, size_t len)
{
    reply_block *t = c->rtail;
    if (t && !t->is_ref && t->size > t->used) {
        size_t n = t->size - t->used;
        if (n > len)
            n = len;
        memcpy(t->buf + t->used, p, n);
        t->used += n;
        c->reply_bytes += n;
        p += n;
        len -= n;
    }
    if (len) {
        reply_block *b = block_new(len > BLOCK_MIN ? len : BLOCK_MIN);
        memcpy(b->buf, p, len);
        b->used = len;
        c->reply_bytes += len;
        block_append(c, b);
    }
    conn_check_obuf_limit(c);
}

static void add(client *c, const char *p, size_t len)
{
    if (!c->rhead) {
        if (!c->buf)
            c->buf = ds_malloc(CLIENT_BUF_SIZE);
        size_t room = CLIENT_BUF_SIZE - c->bufpos;
        if (len <= room) {
            memcpy(c->buf + c->bufpos, p, len);
            c->bufpos += len;
            return;
        }
        memcpy(c->buf + c->bufpos, p, room);
        c->bufpos += room;
        p += room;
        len -= room;
    }
    add_to_blocks(c, p, len);
}

void reply_raw(client *c, const void *p, size_t len)
{
    if (accepting(c))
        add(c, p, len);
}

void reply_ok(client *c)
{
    reply_raw(c, "+OK\r\n", 5);
}

void reply_status_len(client *c, const char *s, size_t len)
{
    char tmp[256];
    if (!accepting(c))
        return;
    if (len + 3 <= sizeof(tmp)) {
        tmp[0] = '+';
        memcpy(tmp + 1, s, len);
        memcpy(tmp + 1 + len, "\r\n", 2);
        add(c, tmp, len + 3);
        return;
    }
    add(c, "+", 1);
    add(c, s, len);
    add(c, "\r\n", 2);
}

void reply_status(client *c, const char *s)
{
    reply_status_len(c, s, strlen(s));
}

void reply_error_len(client *c, const char *msg, size_t len)
{
    /* Errors must stay on one line: newlines would break the protocol. */
    char tmp[512];
    const char *pre = (len && msg[0] == '-') ? "" : "-ERR ";
    size_t pl = strlen(pre), n = 0;
    /* The hook sees the error code first ("ERR" when we add it). */
    if (c->net->hooks.on_error) {
        if (pl)
            c->net->hooks.on_error(c, "ERR", 3);
        else
            c->net->hooks.on_error(c, msg + 1, len - 1);
    }
    if (!accepting(c))
        return;
    if (pl + len + 2 > sizeof(tmp)) {
        add(c, pre, pl);
        for (size_t i = 0; i < len; i++) {
            char ch = (msg[i] == '\r' || msg[i] == '\n') ? ' ' : msg[i];
            add(c, &ch, 1);
        }
        add(c, "\r\n", 2);
        return;
    }
    memcpy(tmp, pre, pl);
    n = pl;
    for (size_t i = 0; i < len; i++)
        tmp[n++] = (msg[i] == '\r' || msg[i] == '\n') ? ' ' : msg[i];
    tmp[n++] = '\r';
    tmp[n++] = '\n';
    add(c, tmp, n);
}

void reply_error(client *c, const char *msg)
{
    reply_error_len(c, msg, strlen(msg));
}

void reply_errorf(client *c, const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    if (n < 0)
        n = 0;
    if ((size_t)n >= sizeof(buf))
        n = sizeof(buf) - 1;
    while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
        n--;
    reply_error_len(c, buf, (size_t)n);
}

static size_t encode_hdr(char *dst, char type, long long n)
{
    dst[0] = type;
    size_t l = 1 + (size_t)ll_to_str(dst + 1, 24, n);
    dst[l++] = '\r';
    dst[l++] = '\n';
    return l;
}

static void hdr(client *c, char type, long long n)
{
    char tmp[32];
    if (!accepting(c))
        return;
    add(c, tmp, encode_hdr(tmp, type, n));
}

void reply_ll(client *c, long long v)
{
    if (v == 0) {
        reply_raw(c, ":0\r\n", 4);
        return;
    }
    if (v == 1) {
        reply_raw(c, ":1\r\n", 4);
        return;
    }
    hdr(c, ':', v);
}

size_t reply_encode_bulk(char *dst, const void *p, size_t len)
{
    size_t l = encode_hdr(dst, '$', (long long)len);
    memcpy(dst + l, p, len);
    l += len;
    dst[l++] = '\r';
    dst[l++] = '\n';
    return l;
}

void reply_bulk(client *c, const void *p, size_t len)
{
    if (!accepting(c))
        return;
    /* Small bulks go in with one copy into the client buffer. */
    if (!c->rhead && c->buf && len + 32 <= CLIENT_BUF_SIZE - c->bufpos) {
        c->bufpos += reply_encode_bulk(c->buf + c->bufpos, p, len);
        return;
    }
    char tmp[32];
    add(c, tmp, encode_hdr(tmp, '$', (long long)len));
    add(c, p, len);
    add(c, "\r\n", 2);
}

void reply_bulk_c(client *c, const char *s)
{
    reply_bulk(c, s, strlen(s));
}

void reply_bulk_ll(client *c, long long v)
{
    char tmp[32];
    int n = ll_to_str(tmp, sizeof(tmp), v);
    reply_bulk(c, tmp, (size_t)n);
}

void reply_bulk_double(client *c, double d)
{
    char tmp[64];
    int n = double_to_str(tmp, sizeof(tmp), d);
    reply_bulk(c, tmp, (size_t)n);
}

void reply_double(client *c, double d)
{
    if (c->resp < 3) {
        reply_bulk_double(c, d);
        return;
    }
    char tmp[64];
    tmp[0] = ',';
    int n = double_to_str(tmp + 1, sizeof(tmp) - 3, d);
    tmp[n + 1] = '\r';
    tmp[n + 2] = '\n';
    reply_raw(c, tmp, (size_t)n + 3);
}

void reply_bool(client *c, int b)
{
    if (c->resp < 3)
        reply_ll(c, b ? 1 : 0);
    else
        reply_raw(c, b ? "#t\r\n" : "#f\r\n", 4);
}

void reply_verbatim(client *c, const char *p, size_t len, const char *ext)
{
    if (c->resp < 3) {
        reply_bulk(c, p, len);
        return;
    }
    char tmp[40];
    size_t l = encode_hdr(tmp, '=', (long long)len + 4);
    memcpy(tmp + l, ext, 3);
    tmp[l + 3] = ':';
    if (!accepting(c))
        return;
    add(c, tmp, l + 4);
    add(c, p, len);
    add(c, "\r\n", 2);
}

void reply_null(client *c)
{
    if (c->resp < 3)
        reply_raw(c, "$-1\r\n", 5);
    else
        reply_raw(c, "_\r\n", 3);
}

void reply_null_array(client *c)
{
    if (c->resp < 3)
        reply_raw(c, "*-1\r\n", 5);
    else
        reply_raw(c, "_\r\n", 3);
}

void reply_array(client *c, long n)
{
    hdr(c, '*', n);
}

void reply_map(client *c, long n)
{
    if (c->resp < 3)
        hdr(c, '*', n * 2);
    else
        hdr(c, '%', n);
}

void reply_set(client *c, long n)
{
    hdr(c, c->resp < 3 ? '*' : '~', n);
}

void reply_push(client *c, long n)
{
    hdr(c, c->resp < 3 ? '*' : '>', n);
}

void reply_empty_array(client *c)
{
    reply_raw(c, "*0\r\n", 4);
}

void reply_arity_error(client *c, const char *cmd)
{
    reply_errorf(c, "wrong number of arguments for '%s' command", cmd);
}

void reply_syntax_error(client *c)
{
    reply_error(c, "syntax error");
}

void reply_help(client *c, const char *cmd, const char **lines)
{
    long n = 0;
    while (lines[n])
        n++;
    char head[128];
    char up[64];
    size_t i;
    for (i = 0; cmd[i] && i < sizeof(up) - 1; i++)
        up[i] = (cmd[i] >= 'a' && cmd[i] <= 'z') ? (char)(cmd[i] - 32) : cmd[i];
    up[i] = '\0';
    snprintf(head, sizeof(head),
             "%s <subcommand> [<arg> [value] [opt] ...]. Subcommands are:", up);
    reply_array(c, n + 3);
    reply_status(c, head);
    for (long k = 0; k < n; k++)
        reply_status(c, lines[k]);
    reply_status(c, "HELP");
    reply_status(c, "    Prints this help.");
}

/* Deferred headers: a placeholder block with room for "*<n>\r\n". */
void *reply_defer(client *c)
{
    if (!accepting(c))
        return NULL;
    if (!c->buf)
        c->buf = ds_malloc(CLIENT_BUF_SIZE);
    reply_block *b = block_new(32);
    b->size = 0; /* marks "not yet filled": nothing may be appended */
    block_append(c, b);
    return b;
}

static void set_deferred(client *c, void *h, char type, long n)
{
    reply_block *b = h;
    if (!b)
        return;
    b->used = encode_hdr(b->buf, type, n);
    c->reply_bytes += b->used;
}

void reply_set_array_len(client *c, void *h, long n)
{
    set_deferred(c, h, '*', n);
}

void reply_set_map_len(client *c, void *h, long n)
{
    if (c->resp < 3)
        set_deferred(c, h, '*', n * 2);
    else
        set_deferred(c, h, '%', n);
}

void reply_set_set_len(client *c, void *h, long n)
{
    set_deferred(c, h, c->resp < 3 ? '*' : '~', n);
}

void reply_set_push_len(client *c, void *h, long n)
{
    set_deferred(c, h, c->resp < 3 ? '*' : '>', n);
}

reply_block *reply_shared_new(const void *p, size_t len)
{
    reply_block *b = block_new(len);
    memcpy(b->buf, p, len);
    b->used = len;
    b->refs = 1;
    return b;
}

void reply_shared_release(reply_block *b)
{
    if (b && --b->refs == 0)
        ds_free(b);
}

void reply_shared(client *c, reply_block *sb)
{
    if (!accepting(c))
        return;
    /* Small payloads are cheaper to copy than to reference. */
    if (sb->used <= 256 || (!c->rhead && c->buf && sb->used <= CLIENT_BUF_SIZE - c->bufpos)) {
        add(c, sb->buf, sb->used);
        return;
    }
    if (!c->buf)
        c->buf = ds_malloc(CLIENT_BUF_SIZE);
    reply_block *r = block_new(0);
    r->size = 0;
    r->is_ref = 1;
    r->shared = sb;
    r->used = sb->used;
    sb->refs++;
    c->reply_bytes += sb->used;
    block_append(c, r);
    conn_check_obuf_limit(c);
}
