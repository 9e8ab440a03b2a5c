/* conn.c - client connections: read, parse, dispatch, write, close.
 * See conn.h for the life cycle.  Invariants:
 *  - c->rp offsets index c->qbuf; bytes before rp.start are consumed and
 *    are dropped (moved out) only between commands, never while an argv
 *    slice points into them;
 *  - a client is on net->pending_write iff CLIENT_PENDING_WRITE is set;
 *  - a client is on net->close_list iff CLIENT_CLOSE_ASAP is set. */
#include "conn.h"

#include "../ds/alloc.h"
#include "../log.h"
#include "reply.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#define READ_CHUNK (16 * 1024)
#define MAX_IOV 256

net *net_new(el *loop, int maxfds, const net_hooks *hooks)
{
    net *n = ds_calloc(sizeof(*n));
    n->loop = loop;
    n->hooks = *hooks;
    n->maxfds = maxfds;
    n->clients = ds_calloc(sizeof(client *) * (size_t)maxfds);
    n->next_id = 1;
    n->max_bulk = 512LL * 1024 * 1024;
    n->qbuf_limit = 1024UL * 1024 * 1024;
    n->maxclients = 10000;
    n->obuf_hard[1] = 32UL << 20;
    n->obuf_soft[1] = 8UL << 20;
    n->obuf_soft_secs[1] = 60;
    n->obuf_hard[2] = 256UL << 20;
    n->obuf_soft[2] = 64UL << 20;
    n->obuf_soft_secs[2] = 60;
    return n;
}

static void read_handler(el *l, int fd, void *ud, int mask);
static void write_handler(el *l, int fd, void *ud, int mask);

static client *client_alloc(net *n, int fd)
{
    client *c = ds_calloc(sizeof(*c));
    c->id = n->next_id++;
    c->fd = fd;
    c->net = n;
    c->resp = 2;
    resp_init(&c->rp);
    c->rp.max_bulk = n->max_bulk;
    c->ctime_ms = c->last_ms = c->last_active_ms = el_wall_ms();
    return c;
}

client *conn_create(net *n, int fd, int is_unix)
{
    if (fd >= n->maxfds)
        return NULL;
    client *c = client_alloc(n, fd);
    if (is_unix)
        c->flags |= CLIENT_UNIX;
    if (el_add(n->loop, fd, EL_READ, read_handler, c) < 0) {
        resp_free(&c->rp);
        ds_free(c);
        return NULL;
    }
    n->clients[fd] = c;
    n->nclients++;
    n->stat_connections++;
    if (n->hooks.on_accept)
        n->hooks.on_accept(c);
    return c;
}

client *conn_create_fake(net *n)
{
    client *c = client_alloc(n, -1);
    c->flags |= CLIENT_FAKE;
    c->authenticated = 1;
    return c;
}

static void free_blocks(client *c)
{
    reply_block *b = c->rhead;
    while (b) {
        reply_block *next = b->next;
        if (b->is_ref)
            reply_shared_release(b->shared);
        ds_free(b);
        b = next;
    }
    c->rhead = c->rtail = NULL;
    c->reply_bytes = 0;
}

static void unlink_pending(client *c)
{
    if (!(c->flags & CLIENT_PENDING_WRITE))
        return;
    client **pp = &c->net->pending_write;
    while (*pp && *pp != c)
        pp = &(*pp)->next_pending;
    if (*pp)
        *pp = c->next_pending;
    c->flags &= ~CLIENT_PENDING_WRITE;
}

void conn_free(client *c)
{
    net *n = c->net;
    if (n->hooks.on_free)
        n->hooks.on_free(c);
    unlink_pending(c);
    if (c->fd >= 0) {
        el_del(n->loop, c->fd, EL_READ | EL_WRITE);
        if (n->clients[c->fd] == c) {
            n->clients[c->fd] = NULL;
            n->nclients--;
        }
        close(c->fd);
    }
    if (c->flags & CLIENT_CLOSE_ASAP) {
        for (size_t i = 0; i < n->nclose; i++)
            if (n->close_list[i] == c)
                n->close_list[i] = NULL;
    }
    conn_release_argv(c);
    resp_free(&c->rp);
    ds_free(c->argv);
    ds_free(c->qbuf);
    ds_free(c->buf);
    free_blocks(c);
    ds_free(c->name);
    ds_free(c);
}

void conn_close_async(client *c)
{
    net *n = c->net;
    if (c->flags & CLIENT_CLOSE_ASAP)
        return;
    c->flags |= CLIENT_CLOSE_ASAP;
    if (n->nclose == n->capclose) {
        n->capclose = n->capclose ? n->capclose * 2 : 16;
        n->close_list = ds_realloc(n->close_list, sizeof(client *) * n->capclose);
    }
    n->close_list[n->nclose++] = c;
}

void conn_free_closed(net *n)
{
    /* conn_free may schedule more closes through the hooks: loop. */
    while (n->nclose) {
        client *c = n->close_list[--n->nclose];
        if (c)
            conn_free(c);
    }
}

void conn_queue_write(client *c)
{
    if (c->fd < 0 || (c->flags & (CLIENT_PENDING_WRITE | CLIENT_FAKE)))
        return;
    c->flags |= CLIENT_PENDING_WRITE;
    c->next_pending = c->net->pending_write;
    c->net->pending_write = c;
}

size_t conn_output_pending(const client *c)
{
    return (c->bufpos - (c->bufpos ? c->sentlen : 0)) + c->reply_bytes;
}

size_t conn_qbuf_used(const client *c)
{
    return c->qlen;
}

/* Write as much as the socket takes: one writev of buf + blocks.
 * Returns 0 when all is written, 1 if some is left, -1 on error. */
int conn_write_now(client *c)
{
    struct iovec iov[MAX_IOV];
    int cnt = 0;
    size_t total = 0;
    if (c->bufpos > c->sentlen) {
        iov[cnt].iov_base = c->buf + c->sentlen;
        iov[cnt].iov_len = c->bufpos - c->sentlen;
        total += iov[cnt++].iov_len;
    }
    size_t skip = c->bufpos ? 0 : c->sentlen;
    for (reply_block *b = c->rhead; b && cnt < MAX_IOV; b = b->next) {
        char *base = b->is_ref ? b->shared->buf : b->buf;
        iov[cnt].iov_base = base + skip;
        iov[cnt].iov_len = b->used - skip;
        total += iov[cnt++].iov_len;
        skip = 0;
    }
    if (total == 0)
        goto all_done;
    ssize_t w = writev(c->fd, iov, cnt);
    if (w < 0) {
        if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
            return 1;
        return -1;
    }
    c->net->stat_net_out += w;
    size_t left = (size_t)w;
    if (c->bufpos) {
        size_t n = c->bufpos - c->sentlen;
        if (left < n) {
            c->sentlen += left;
            return 1;
        }
        left -= n;
        c->bufpos = c->sentlen = 0;
    }
    while (c->rhead) {
        reply_block *b = c->rhead;
        size_t n = b->used - c->sentlen;
        if (left < n) {
            c->sentlen += left;
            return 1;
        }
        left -= n;
        c->sentlen = 0;
        c->reply_bytes -= b->used;
        c->rhead = b->next;
        if (!c->rhead)
            c->rtail = NULL;
        if (b->is_ref)
            reply_shared_release(b->shared);
        ds_free(b);
    }
    if (c->rhead)
        return 1;
all_done:
    c->bufpos = c->sentlen = 0;
    c->obuf_soft_since = 0;
    if (c->flags & CLIENT_CLOSE_AFTER_REPLY)
        conn_close_async(c);
    return 0;
}

static void write_handler(el *l, int fd, void *ud, int mask)
{
    (void)fd;
    (void)mask;
    client *c = ud;
    /* Replies added in this loop turn leave from before sleep, after the
     * AOF is written (and fsynced): never from here (Redis's AE_BARRIER). */
    if (c->flags & CLIENT_PENDING_WRITE)
        return;
    int r = conn_write_now(c);
    if (r < 0) {
        conn_close_async(c);
        return;
    }
    if (r == 0)
        el_del(l, c->fd, EL_WRITE);
}

void conn_flush_pending(net *n)
{
    while (n->pending_write) {
        client *c = n->pending_write;
        n->pending_write = c->next_pending;
        c->flags &= ~CLIENT_PENDING_WRITE;
        if (c->flags & CLIENT_CLOSE_ASAP)
            continue;
        int r = conn_write_now(c);
        if (r < 0)
            conn_close_async(c);
        else if (r > 0 && !(el_mask(n->loop, c->fd) & EL_WRITE))
            el_add(n->loop, c->fd, EL_WRITE, write_handler, c);
    }
}

size_t argv_copy_size(const arg *src, int argc)
{
    size_t n = sizeof(arg) * (size_t)(argc > 0 ? argc : 1);
    for (int i = 0; i < argc; i++)
        n += src[i].len + 1;
    return n;
}

arg *argv_copy_into(const arg *src, int argc, void *dst)
{
    arg *a = dst;
    char *p = (char *)(a + (argc > 0 ? argc : 1));
    for (int i = 0; i < argc; i++) {
        memcpy(p, src[i].p, src[i].len);
        p[src[i].len] = '\0';
        a[i].p = p;
        a[i].len = src[i].len;
        p += src[i].len + 1;
    }
    return a;
}

arg *argv_dup(const arg *src, int argc)
{
    return argv_copy_into(src, argc, ds_malloc(argv_copy_size(src, argc)));
}

void conn_own_argv(client *c)
{
    if (c->argv_own)
        return;
    arg *a = argv_dup(c->argv, c->argc);
    c->argv_own = a;
    memcpy(c->argv, a, sizeof(arg) * (size_t)c->argc);
}

void conn_release_argv(client *c)
{
    ds_free(c->argv_own);
    c->argv_own = NULL;
    if (c->argv_cap > RESP_ARGV_KEEP) { /* see resp_next() */
        ds_free(c->argv);
        c->argv = NULL;
        c->argv_cap = 0;
    }
}

static void set_argv(client *c)
{
    resp_parser *p = &c->rp;
    if (p->argc > c->argv_cap) {
        c->argv_cap = p->argc;
        c->argv = ds_realloc(c->argv, sizeof(arg) * (size_t)c->argv_cap);
    }
    for (int i = 0; i < p->argc; i++) {
        c->argv[i].p = c->qbuf + p->argv[i].off;
        c->argv[i].len = p->argv[i].len;
    }
    c->argc = p->argc;
}

static void compact(client *c)
{
    size_t drop = c->rp.start;
    if (drop == 0)
        return;
    if (drop < c->qlen)
        memmove(c->qbuf, c->qbuf + drop, c->qlen - drop);
    c->qlen -= drop;
    resp_shift(&c->rp, drop);
}

static void protocol_error(client *c)
{
    log_msg(LOG_VERBOSE, "Protocol error (%s) from client: id=%llu addr=%s", c->rp.err,
            (unsigned long long)c->id, c->addr);
    reply_error(c, c->rp.err);
    c->flags |= CLIENT_CLOSE_AFTER_REPLY;
    /* Nothing more is read or parsed from this client. */
    c->rp.start = c->qlen;
    c->rp.pos = c->qlen;
    c->rp.argc = 0;
    c->rp.mb_left = 0;
    if (c->fd >= 0)
        el_del(c->net->loop, c->fd, EL_READ);
}

/* After a command ran: CLIENT REPLY SKIP silences exactly the next one. */
static void after_command(client *c)
{
    if (c->flags & CLIENT_PAUSED)
        return; /* postponed: it has not run yet */
    c->flags &= ~CLIENT_REPLY_SKIP;
    if (c->flags & CLIENT_REPLY_SKIP_NEXT) {
        c->flags |= CLIENT_REPLY_SKIP;
        c->flags &= ~CLIENT_REPLY_SKIP_NEXT;
    }
}

#define STOP_FLAGS \
    (CLIENT_BLOCKED | CLIENT_PAUSED | CLIENT_CLOSE_ASAP | CLIENT_CLOSE_AFTER_REPLY)

void conn_process_input(client *c)
{
    net *n = c->net;
    while (!(c->flags & STOP_FLAGS)) {
        if (n->may_process && !n->may_process(c))
            break;
        c->rp.unauth = n->hooks.is_unauth ? n->hooks.is_unauth(c) : 0;
        c->rp.max_bulk = n->max_bulk;
        int r = resp_parse(&c->rp, c->qbuf, c->qlen);
        if (r == RESP_INCOMPLETE)
            break;
        if (r == RESP_ERR) {
            protocol_error(c);
            break;
        }
        set_argv(c);
        c->last_ms = n->now_ms;
        n->hooks.exec(c);
        after_command(c);
        resp_next(&c->rp);
        c->argc = 0;
        conn_release_argv(c);
    }
    c->flags &= ~CLIENT_UNBLOCKED;
    /* A big buffer is kept and shrunk by the cron (conn_shrink_idle), as
     * Redis does, so a client sending large values does not reallocate it
     * for every command. */
    /* A blocked client's command was copied out (blocked.c), so its bytes
     * can go too: a long-blocked worker keeps no query buffer. */
    compact(c);
}

void conn_run_argv(client *c, const arg *argv, int argc)
{
    if (argc > c->argv_cap) {
        c->argv_cap = argc;
        c->argv = ds_realloc(c->argv, sizeof(arg) * (size_t)c->argv_cap);
    }
    memcpy(c->argv, argv, sizeof(arg) * (size_t)argc);
    c->argc = argc;
    c->last_ms = c->net->now_ms;
    c->net->hooks.exec(c);
    after_command(c);
    c->argc = 0;
    conn_release_argv(c);
}

static void ensure_room(client *c, size_t want)
{
    if (c->qcap - c->qlen >= want)
        return;
    /* Drop consumed bytes first; the blocked client's argv is owned. */
    if (c->rp.start > 0 && c->rp.argc == 0)
        compact(c);
    if (c->qcap - c->qlen >= want)
        return;
    size_t cap = c->qlen + want;
    if (cap < c->qcap * 2 && want <= READ_CHUNK)
        cap = c->qcap * 2;
    c->qbuf = ds_realloc(c->qbuf, cap);
    c->qcap = ds_alloc_size(c->qbuf);
}

static void read_handler(el *l, int fd, void *ud, int mask)
{
    (void)l;
    (void)mask;
    client *c = ud;
    size_t want = READ_CHUNK;
    size_t need = resp_bulk_need(&c->rp, c->qlen);
    if (need >= RESP_BIG_ARG)
        want = need; /* a big argument: make room for all of it at once */
    ensure_room(c, want);
    ssize_t r = read(fd, c->qbuf + c->qlen, c->qcap - c->qlen);
    if (r == 0) {
        conn_close_async(c);
        return;
    }
    if (r < 0) {
        if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
            conn_close_async(c);
        return;
    }
    /* The peak counts the room this read asked for, like Redis: a buffer
     * is never shrunk below what a normal read needs. */
    if (c->qlen + want > c->qbuf_peak)
        c->qbuf_peak = c->qlen + want;
    c->qlen += (size_t)r;
    c->net->stat_net_in += r;
    c->last_ms = c->last_active_ms = c->net->now_ms;
    if (c->qlen - c->rp.start > c->net->qbuf_limit) {
        log_msg(LOG_WARNING, "Closing client that reached max query buffer length: id=%llu "
                "addr=%s qbuf=%zu", (unsigned long long)c->id, c->addr, c->qlen);
        conn_close_async(c);
        return;
    }
    conn_process_input(c);
}

int conn_pause_reads(client *c)
{
    if (c->fd < 0 || !(el_mask(c->net->loop, c->fd) & EL_READ))
        return 0;
    el_del(c->net->loop, c->fd, EL_READ);
    return 1;
}

void conn_resume_reads(client *c)
{
    if (c->fd >= 0 && !(c->flags & CLIENT_CLOSE_ASAP))
        el_add(c->net->loop, c->fd, EL_READ, read_handler, c);
}

int conn_obuf_class(const client *c)
{
    return (c->flags & CLIENT_PUBSUB) ? 1 : 0;
}

void conn_check_obuf_limit(client *c)
{
    net *n = c->net;
    int cls = conn_obuf_class(c);
    size_t used = c->reply_bytes;
    size_t hard = n->obuf_hard[cls], soft = n->obuf_soft[cls];
    int close_it = 0;
    if (c->fd < 0 || (c->flags & CLIENT_CLOSE_ASAP))
        return;
    if (hard && used >= hard)
        close_it = 1;
    if (soft && used >= soft) {
        long long now = el_wall_ms();
        if (!c->obuf_soft_since)
            c->obuf_soft_since = now;
        else if (now - c->obuf_soft_since > n->obuf_soft_secs[cls] * 1000)
            close_it = 1;
    } else {
        c->obuf_soft_since = 0;
    }
    if (close_it) {
        char desc[1024];
        if (n->hooks.describe)
            n->hooks.describe(c, desc, sizeof(desc));
        else
            snprintf(desc, sizeof(desc), "id=%llu addr=%s", (unsigned long long)c->id, c->addr);
        log_msg(LOG_WARNING, "Client %s scheduled to be closed ASAP for overcoming of output "
                "buffer limits.", desc);
        n->stat_obuf_disconnects++;
        conn_close_async(c);
    }
}

/* Query buffer upkeep, run for every client a few times a second (Redis's
 * clientsCronResizeQueryBuffer): a buffer wasting more than 4 KiB is freed
 * down to its content after 2 s of idleness, or, when it is over 32 KiB and
 * more than twice the recent peak, trimmed to that peak.  The peak then
 * restarts from the current content.  Blocked or postponed clients keep
 * their buffer (their pending bytes may still be referenced). */
void conn_shrink_idle(client *c, long long now_ms)
{
    size_t avail = c->qcap - c->qlen;
    int busy = (c->flags & CLIENT_PAUSED) || c->argc;
    if (c->qbuf && avail > 4096 && !busy) {
        size_t want = 0;
        if (now_ms - c->last_ms > 2000) {
            want = c->qlen;
        } else if (c->qcap > 32 * 1024 && c->qcap / 2 > c->qbuf_peak) {
            want = c->qlen > c->qbuf_peak ? c->qlen : c->qbuf_peak;
            size_t need = resp_bulk_need(&c->rp, c->qlen);
            if (need && c->qlen + need > want)
                want = c->qlen + need;
        } else {
            want = c->qcap;
        }
        if (want == 0) {
            ds_free(c->qbuf);
            c->qbuf = NULL;
            c->qcap = 0;
        } else if (want < c->qcap) {
            c->qbuf = ds_realloc(c->qbuf, want);
            c->qcap = ds_alloc_size(c->qbuf);
        }
    }
    c->qbuf_peak = c->qlen;
    if (now_ms - c->last_active_ms >= 2000 && c->buf && c->bufpos == 0 && !c->rhead &&
        !(c->flags & CLIENT_PENDING_WRITE)) {
        ds_free(c->buf);
        c->buf = NULL;
    }
}

void conn_clients_cron(net *n, int hz, long long now_ms)
{
    /* Visit every client about once per second, at least 50 per call. */
    size_t todo = n->nclients / (size_t)(hz > 0 ? hz : 10);
    if (todo < 50)
        todo = 50;
    if (todo > n->nclients)
        todo = n->nclients;
    for (int scanned = 0; todo && scanned < n->maxfds; scanned++) {
        if (n->cron_cursor >= n->maxfds)
            n->cron_cursor = 0;
        client *c = n->clients[n->cron_cursor++];
        if (!c)
            continue;
        conn_shrink_idle(c, now_ms);
        todo--;
    }
}
