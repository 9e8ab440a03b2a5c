/* pubsub.c - see pubsub.h.
 *
 * Model (one per kind: channel, pattern, shard channel):
 *
 *   reg.chans[kind]: dict name -> chan          c->pstate->subs[kind]: dict name -> sub
 *
 *   chan { n, head <-> sub <-> sub <-> tail, name }
 *   sub  { c, ch, cprev/cnext: in its chan, mprev/mnext: in its client's list }
 *
 * Invariants:
 *  - a sub is on exactly two lists (its chan's, its client's for that kind)
 *    and is the key of its client's dict, viewed as its chan's name;
 *  - a chan exists iff it has at least one subscriber (n >= 1); patterns
 *    are also chained in creation order (reg.pat_head) for publishing;
 *  - lists are never changed while a message is being delivered: a
 *    subscriber over its output limit is only flagged CLOSE_ASAP there and
 *    leaves its lists when it is freed, before sleep.
 *
 * Delivery encodes a message once per kind word ("message", "smessage",
 * and once per matching pattern for "pmessage").  Up to SMALL_MAX bytes it
 * is built in a reused scratch buffer and copied into each client's
 * buffer (the RESP2 and RESP3 forms differ only in the first byte, '*' or
 * '>', patched in place).  Larger messages share one reference-counted
 * block holding "$<len>\r\n<channel>\r\n$<len>\r\n<message>\r\n"; each client
 * gets a few header bytes and a reference to that block.  Pushes bypass
 * CLIENT REPLY OFF / SKIP as in Redis. */
#include "pubsub.h"

#include "ds/alloc.h"
#include "ds/dict.h"
#include "ds/glob.h"
#include "ds/util.h"
#include "server.h"

#include <string.h>

#define SMALL_MAX (16 * 1024)
#define SCRATCH_KEEP (64 * 1024)
#define QUIET_FLAGS (CLIENT_REPLY_OFF | CLIENT_REPLY_SKIP)

typedef struct chan {
    struct sub *head, *tail;
    long n;
    struct chan *prev, *next; /* patterns only: registry order */
    size_t len;
    char name[];
} chan;

typedef struct sub {
    struct sub *cprev, *cnext;
    struct sub *mprev, *mnext;
    client *c;
    chan *ch;
} sub;

struct pubsub_state {
    dict *subs[PUBSUB_KINDS];
    sub *head[PUBSUB_KINDS], *tail[PUBSUB_KINDS];
    long count[PUBSUB_KINDS];
};

static void chan_view(const void *k, const void **p, size_t *len)
{
    const chan *ch = k;
    *p = ch->name;
    *len = ch->len;
}

static void sub_view(const void *k, const void **p, size_t *len)
{
    const sub *s = k;
    *p = s->ch->name;
    *len = s->ch->len;
}

static const dict_type chan_type = {chan_view, NULL, NULL, 0};
static const dict_type sub_type = {sub_view, NULL, NULL, 0};

static struct {
    int ready;
    dict *chans[PUBSUB_KINDS];
    chan *pat_head, *pat_tail;
    char *scratch;
    size_t scap;
} reg;

static const char *sub_word[PUBSUB_KINDS] = {"subscribe", "psubscribe", "ssubscribe"};
static const char *unsub_word[PUBSUB_KINDS] = {"unsubscribe", "punsubscribe", "sunsubscribe"};

/* ---- registry ---- */

static chan *chan_get(int kind, const char *name, size_t len)
{
    chan *ch = dict_fetch(reg.chans[kind], name, len);
    if (ch)
        return ch;
    ch = ds_malloc(sizeof(*ch) + len + 1);
    ch->head = ch->tail = NULL;
    ch->n = 0;
    ch->prev = ch->next = NULL;
    ch->len = len;
    memcpy(ch->name, name, len);
    ch->name[len] = '\0';
    dict_add(reg.chans[kind], ch, ch);
    if (kind == PUBSUB_PATTERN) {
        ch->prev = reg.pat_tail;
        if (reg.pat_tail)
            reg.pat_tail->next = ch;
        else
            reg.pat_head = ch;
        reg.pat_tail = ch;
    }
    return ch;
}

static void chan_drop_if_empty(int kind, chan *ch)
{
    if (ch->n)
        return;
    dict_delete(reg.chans[kind], ch->name, ch->len);
    dict_shrink_if_sparse(reg.chans[kind]);
    if (kind == PUBSUB_PATTERN) {
        if (ch->prev)
            ch->prev->next = ch->next;
        else
            reg.pat_head = ch->next;
        if (ch->next)
            ch->next->prev = ch->prev;
        else
            reg.pat_tail = ch->prev;
    }
    ds_free(ch);
}

static struct pubsub_state *state(client *c)
{
    if (!c->pstate)
        c->pstate = ds_calloc(sizeof(struct pubsub_state));
    return c->pstate;
}

/* The count Redis reports: channels + patterns, or shard channels. */
static long reply_count(const struct pubsub_state *ps, int kind)
{
    if (!ps)
        return 0;
    if (kind == PUBSUB_SHARD)
        return ps->count[PUBSUB_SHARD];
    return ps->count[PUBSUB_CHANNEL] + ps->count[PUBSUB_PATTERN];
}

/* [word, name or null, count] as an array (RESP2) or a push (RESP3). */
static void push_reply(client *c, const char *word, const char *name, size_t len, long count)
{
    uint32_t quiet = c->flags & QUIET_FLAGS;
    c->flags &= ~quiet;
    reply_push(c, 3);
    reply_bulk_c(c, word);
    if (name)
        reply_bulk(c, name, len);
    else
        reply_null(c);
    reply_ll(c, count);
    c->flags |= quiet;
}

void pubsub_subscribe(client *c, int kind, const char *name, size_t len)
{
    pubsub_init();
    struct pubsub_state *ps = state(c);
    if (!ps->subs[kind])
        ps->subs[kind] = dict_new(&sub_type);
    if (!dict_find(ps->subs[kind], name, len)) {
        chan *ch = chan_get(kind, name, len);
        sub *s = ds_malloc(sizeof(*s));
        s->c = c;
        s->ch = ch;
        s->cnext = NULL;
        s->cprev = ch->tail;
        if (ch->tail)
            ch->tail->cnext = s;
        else
            ch->head = s;
        ch->tail = s;
        ch->n++;
        s->mnext = NULL;
        s->mprev = ps->tail[kind];
        if (ps->tail[kind])
            ps->tail[kind]->mnext = s;
        else
            ps->head[kind] = s;
        ps->tail[kind] = s;
        dict_add(ps->subs[kind], s, s);
        ps->count[kind]++;
    }
    push_reply(c, sub_word[kind], name, len, reply_count(ps, kind));
}

/* Remove one subscription; the reply (if any) names it before its chan
 * may be freed. */
static void unsub_node(client *c, int kind, sub *s, int notify)
{
    struct pubsub_state *ps = c->pstate;
    chan *ch = s->ch;
    dict_delete(ps->subs[kind], ch->name, ch->len);
    dict_shrink_if_sparse(ps->subs[kind]);
    if (s->cprev)
        s->cprev->cnext = s->cnext;
    else
        ch->head = s->cnext;
    if (s->cnext)
        s->cnext->cprev = s->cprev;
    else
        ch->tail = s->cprev;
    ch->n--;
    if (s->mprev)
        s->mprev->mnext = s->mnext;
    else
        ps->head[kind] = s->mnext;
    if (s->mnext)
        s->mnext->mprev = s->mprev;
    else
        ps->tail[kind] = s->mprev;
    ps->count[kind]--;
    ds_free(s);
    if (notify)
        push_reply(c, unsub_word[kind], ch->name, ch->len, reply_count(ps, kind));
    chan_drop_if_empty(kind, ch);
}

void pubsub_unsubscribe(client *c, int kind, const char *name, size_t len)
{
    struct pubsub_state *ps = c->pstate;
    sub *s = (ps && ps->subs[kind]) ? dict_fetch(ps->subs[kind], name, len) : NULL;
    if (s)
        unsub_node(c, kind, s, 1);
    else
        push_reply(c, unsub_word[kind], name, len, reply_count(ps, kind));
}

void pubsub_unsubscribe_all(client *c, int kind, int notify)
{
    struct pubsub_state *ps = c->pstate;
    long n = 0;
    while (ps && ps->head[kind]) {
        unsub_node(c, kind, ps->head[kind], notify);
        n++;
    }
    if (notify && n == 0)
        push_reply(c, unsub_word[kind], NULL, 0, reply_count(ps, kind));
}

void pubsub_update_flag(client *c)
{
    if (pubsub_client_counts(c, NULL, NULL, NULL))
        c->flags |= CLIENT_PUBSUB;
    else
        c->flags &= ~CLIENT_PUBSUB;
}

void pubsub_reset_client(client *c)
{
    for (int k = 0; k < PUBSUB_KINDS; k++)
        pubsub_unsubscribe_all(c, k, 0);
    c->flags &= ~CLIENT_PUBSUB;
}

static void client_gone(client *c)
{
    struct pubsub_state *ps = c->pstate;
    if (!ps)
        return;
    pubsub_reset_client(c);
    for (int k = 0; k < PUBSUB_KINDS; k++)
        if (ps->subs[k])
            dict_free(ps->subs[k]);
    ds_free(ps);
    c->pstate = NULL;
}

int pubsub_client_counts(client *c, int *sub, int *psub, int *ssub)
{
    const struct pubsub_state *ps = c->pstate;
    long k[PUBSUB_KINDS] = {0, 0, 0};
    if (ps)
        memcpy(k, ps->count, sizeof(k));
    if (sub)
        *sub = (int)k[PUBSUB_CHANNEL];
    if (psub)
        *psub = (int)k[PUBSUB_PATTERN];
    if (ssub)
        *ssub = (int)k[PUBSUB_SHARD];
    return (int)(k[0] + k[1] + k[2]);
}

void pubsub_stats(long *channels, long *patterns, long *shard_channels)
{
    pubsub_init();
    *channels = (long)dict_size(reg.chans[PUBSUB_CHANNEL]);
    *patterns = (long)dict_size(reg.chans[PUBSUB_PATTERN]);
    *shard_channels = (long)dict_size(reg.chans[PUBSUB_SHARD]);
}

long pubsub_numsub(int kind, const char *name, size_t len)
{
    pubsub_init();
    chan *ch = dict_fetch(reg.chans[kind], name, len);
    return ch ? ch->n : 0;
}

void pubsub_reply_channels(client *c, int kind, const char *pat, size_t plen)
{
    pubsub_init();
    void *h = reply_defer(c);
    long n = 0;
    dict_iter it;
    dict_entry *e;
    dict_iter_init(&it, reg.chans[kind], 0);
    while ((e = dict_iter_next(&it))) {
        chan *ch = e->v.val;
        if (pat && !glob_match(pat, plen, ch->name, ch->len, 0))
            continue;
        reply_bulk(c, ch->name, ch->len);
        n++;
    }
    dict_iter_done(&it);
    reply_set_array_len(c, h, n);
}

/* ---- delivery ---- */

/* One message on its way: the channel and payload, and the shared
 * "$clen\r\n<channel>\r\n$mlen\r\n<message>\r\n" block once built. */
typedef struct delivery {
    const char *ch, *msg;
    size_t clen, mlen;
    size_t tail_len;
    reply_block *tail;
} delivery;

static size_t digits(size_t v)
{
    size_t n = 1;
    while (v >= 10) {
        v /= 10;
        n++;
    }
    return n;
}

static size_t bulk_len(size_t len)
{
    return 1 + digits(len) + 2 + len + 2;
}

static char *scratch(size_t len)
{
    if (reg.scap < len) {
        ds_free(reg.scratch);
        reg.scratch = ds_malloc(len);
        reg.scap = ds_alloc_size(reg.scratch);
    }
    return reg.scratch;
}

static void scratch_trim(void)
{
    if (reg.scap > SCRATCH_KEEP) {
        ds_free(reg.scratch);
        reg.scratch = NULL;
        reg.scap = 0;
    }
}

/* The RESP2 form of a header: "*3\r\n$7\r\nmessage\r\n" etc. (RESP3: '>'). */
static size_t encode_head(char *dst, int nelem, const char *word, const char *pat, size_t plen)
{
    size_t wl = strlen(word), n = 0;
    dst[n++] = '*';
    dst[n++] = (char)('0' + nelem);
    dst[n++] = '\r';
    dst[n++] = '\n';
    n += reply_encode_bulk(dst + n, word, wl);
    if (pat)
        n += reply_encode_bulk(dst + n, pat, plen);
    return n;
}

static size_t encode_tail(char *dst, const delivery *d)
{
    size_t n = reply_encode_bulk(dst, d->ch, d->clen);
    return n + reply_encode_bulk(dst + n, d->msg, d->mlen);
}

/* Small messages: copy the whole encoded message into each client. */
static long send_copies(chan *ch, char *buf, size_t len)
{
    long n = 0;
    for (sub *s = ch->head; s; s = s->cnext, n++) {
        client *c = s->c;
        uint32_t quiet = c->flags & QUIET_FLAGS;
        c->flags &= ~quiet;
        if (c->resp >= 3) {
            buf[0] = '>';
            reply_raw(c, buf, len);
            buf[0] = '*';
        } else {
            reply_raw(c, buf, len);
        }
        c->flags |= quiet;
    }
    return n;
}

/* Large messages: header bytes, then a reference to the shared tail. */
static long send_shared(chan *ch, delivery *d, int nelem, const char *word, const char *pat,
                        size_t plen)
{
    char head[64];
    size_t hl = encode_head(head, nelem, word, NULL, 0);
    if (!d->tail) {
        char *b = scratch(d->tail_len);
        d->tail = reply_shared_new(b, encode_tail(b, d));
        scratch_trim();
    }
    long n = 0;
    for (sub *s = ch->head; s; s = s->cnext, n++) {
        client *c = s->c;
        uint32_t quiet = c->flags & QUIET_FLAGS;
        c->flags &= ~quiet;
        head[0] = c->resp >= 3 ? '>' : '*';
        reply_raw(c, head, hl);
        if (pat)
            reply_bulk(c, pat, plen);
        reply_shared(c, d->tail);
        c->flags |= quiet;
    }
    return n;
}

static long deliver(chan *ch, delivery *d, int nelem, const char *word, const char *pat,
                    size_t plen)
{
    size_t head_len = 4 + bulk_len(strlen(word)) + (pat ? bulk_len(plen) : 0);
    if (head_len + d->tail_len > SMALL_MAX)
        return send_shared(ch, d, nelem, word, pat, plen);
    char *b = scratch(head_len + d->tail_len);
    size_t n = encode_head(b, nelem, word, pat, plen);
    n += encode_tail(b + n, d);
    return send_copies(ch, b, n);
}

long pubsub_publish(int shard, const char *ch, size_t clen, const char *msg, size_t mlen)
{
    long receivers = 0;
    if (!reg.ready)
        return 0;
    dict *chans = reg.chans[shard ? PUBSUB_SHARD : PUBSUB_CHANNEL];
    chan *c = dict_size(chans) ? dict_fetch(chans, ch, clen) : NULL;
    if (!c && (shard || !reg.pat_head))
        return 0;
    delivery d = {ch, msg, clen, mlen, bulk_len(clen) + bulk_len(mlen), NULL};
    if (c)
        receivers += deliver(c, &d, 3, shard ? "smessage" : "message", NULL, 0);
    if (!shard) {
        for (chan *p = reg.pat_head; p; p = p->next)
            if (glob_match(p->name, p->len, ch, clen, 0))
                receivers += deliver(p, &d, 4, "pmessage", p->name, p->len);
    }
    if (d.tail)
        reply_shared_release(d.tail);
    return receivers;
}

/* ---- keyspace notifications ---- */

/* "__keyspace@<db>__:<key>" -> event and "__keyevent@<db>__:<event>" -> key. */
static void publish_notification(const char *prefix, const char *db, size_t dl, const char *name,
                                 size_t nlen, const char *msg, size_t mlen)
{
    char stack[256];
    size_t n = 11 + dl + 3 + nlen;
    char *b = n <= sizeof(stack) ? stack : ds_malloc(n);
    memcpy(b, prefix, 11);
    memcpy(b + 11, db, dl);
    memcpy(b + 11 + dl, "__:", 3);
    memcpy(b + 14 + dl, name, nlen);
    pubsub_publish(0, b, n, msg, mlen);
    if (b != stack)
        ds_free(b);
}

static void notify(int type, const char *event, const char *key, size_t klen, int dbid)
{
    (void)type;
    if (!dict_size(reg.chans[PUBSUB_CHANNEL]) && !reg.pat_head)
        return;
    char db[24];
    size_t dl = (size_t)ll_to_str(db, sizeof(db), dbid);
    size_t el = strlen(event);
    if (srv.notify_flags & NOTIFY_KEYSPACE)
        publish_notification("__keyspace@", db, dl, key, klen, event, el);
    if (srv.notify_flags & NOTIFY_KEYEVENT)
        publish_notification("__keyevent@", db, dl, event, el, key, klen);
}

void pubsub_init(void)
{
    if (reg.ready)
        return;
    for (int k = 0; k < PUBSUB_KINDS; k++)
        reg.chans[k] = dict_new(&chan_type);
    notify_hook = notify;
    pubsub_client_gone_hook = client_gone;
    reg.ready = 1;
}
