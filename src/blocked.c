/* blocked.c - clients blocked on keys: the four-step protocol of blocked.h
 * (block, signal, serve, collect).
 *
 * Data:
 *
 *   db->blocking : key (str) -> waitq        one FIFO per key with waiters
 *   waitq        : wnode <-> wnode <-> ...   oldest first, O(1) unlink
 *   client->bstate -> block_state            one allocation holding the
 *                    [state | wnode x nkeys | argv copy | priv]
 *   ready        : vector of (db id, key)    keys to serve, signal order
 *   unblocked    : vector of client*         to resume their input
 *
 * Invariants:
 *  - a client has CLIENT_BLOCKED iff c->bstate != NULL; each of its wnodes
 *    is linked in the waitq of its key in bstate->d->blocking;
 *  - a waitq is in the dict iff it has waiters, except while serve_key()
 *    walks it (busy > 0), after which an empty queue is removed;
 *  - waitq->queued is set while its key is on the ready vector (dedup);
 *  - a client is on `unblocked` at most once while CLIENT_UNBLOCKED is set
 *    (stale entries, whose flag was cleared, are skipped); clients are only
 *    freed in before_sleep after blocked_serve_ready() has drained the
 *    vector, and blocked_client_gone() scrubs it anyway; fake (AOF)
 *    clients are never put on it.
 *
 * Step 3 runs rounds: take the current ready vector, serve each key, and
 * repeat while serving signalled new keys (BLMOVE chains).  Then, unless a
 * caller further up is already doing it, resume the unblocked clients'
 * input.  A resumed client's command ends in server_exec, which calls us
 * again: keys are served at once, as Redis does after every command, and
 * the outer loop resumes whoever that unblocked. */
#include "blocked.h"

#include "ds/alloc.h"
#include "server.h"

#include <string.h>

typedef struct waitq waitq;

typedef struct wnode {
    struct wnode *prev, *next;
    waitq *q;
    client *c;
    int ki;
} wnode;

struct waitq {
    wnode *head, *tail;
    size_t n;
    str key;  /* the dict's own key string */
    int busy; /* serve_key() is walking it */
    int queued;
};

struct block_state {
    const block_ops *ops;
    db *d;
    int nnodes;
    wnode *nodes;
    int argc;
    arg *argv; /* copy of the blocking command (c->argv in callbacks) */
    el_timer *timer;
    int has_deadline;
    command *cmd;
    long long call_usec; /* the blocking call itself (blocked_note_call_usec) */
    void *priv;
};

typedef struct ready_key {
    int dbid;
    str key;
} ready_key;

typedef struct ready_vec {
    ready_key *v;
    size_t n, cap;
} ready_vec;

void (*blocked_served_hook)(client *c, long long usec);

static ready_vec ready_bufs[2];
static int ready_cur;
static client **unblocked;
static size_t n_unblocked, cap_unblocked;
static int serving, resuming;
static size_t n_with_timeout;

void blocked_init(void)
{
    srv.ready_keys = NULL;
    srv.blocked_clients = 0;
    srv.blocked_on_keys = 0;
}

int blocked_may_block(const client *c)
{
    return !srv.in_exec && !(c->flags & (CLIENT_IN_EXEC | CLIENT_FAKE));
}

int blocked_is_blocked(const client *c)
{
    return (c->flags & CLIENT_BLOCKED) != 0;
}

size_t blocked_count(void)
{
    return srv.blocked_clients;
}

size_t blocked_keys_count(void)
{
    return srv.blocked_on_keys;
}

size_t blocked_timeout_count(void)
{
    return n_with_timeout;
}

void blocked_note_call_usec(client *c, long long usec)
{
    if (c->bstate)
        c->bstate->call_usec = usec;
}

/* ---- step 1: block ---- */

static size_t align16(size_t n)
{
    return (n + 15) & ~(size_t)15;
}

static waitq *waitq_get(db *d, const char *k, size_t len)
{
    waitq *q = dict_size(d->blocking) ? dict_fetch(d->blocking, k, len) : NULL;
    if (q)
        return q;
    q = ds_calloc(sizeof(*q));
    dict_entry *e = dict_add(d->blocking, str_new(k, len), q);
    q->key = e->key;
    srv.blocked_on_keys++;
    return q;
}

static void waitq_append(waitq *q, wnode *w)
{
    w->q = q;
    w->next = NULL;
    w->prev = q->tail;
    if (q->tail)
        q->tail->next = w;
    else
        q->head = w;
    q->tail = w;
    q->n++;
}

static void waitq_drop_if_empty(db *d, waitq *q)
{
    if (q->n || q->busy)
        return;
    dict_delete(d->blocking, q->key, str_len(q->key));
    ds_free(q);
    srv.blocked_on_keys--;
}

static void waitq_unlink(db *d, wnode *w)
{
    waitq *q = w->q;
    if (w->prev)
        w->prev->next = w->next;
    else
        q->head = w->next;
    if (w->next)
        w->next->prev = w->prev;
    else
        q->tail = w->prev;
    q->n--;
    w->q = NULL;
    waitq_drop_if_empty(d, q);
}

static int seen_before(const arg *keys, int i)
{
    for (int j = 0; j < i; j++)
        if (keys[j].len == keys[i].len && memcmp(keys[j].p, keys[i].p, keys[i].len) == 0)
            return 1;
    return 0;
}

static long long on_timeout(el *l, el_timer *t, void *ud);

/* While a callback runs, c->argv is the copy of the blocking command. */
typedef struct argv_save {
    arg *argv;
    int argc;
} argv_save;

static argv_save argv_enter(client *c)
{
    argv_save sv = {c->argv, c->argc};
    c->argv = c->bstate->argv;
    c->argc = c->bstate->argc;
    return sv;
}

static void argv_leave(client *c, argv_save sv)
{
    c->argv = sv.argv;
    c->argc = sv.argc;
}

static size_t argv_bytes(const client *c)
{
    return argv_copy_size(c->argv, c->argc);
}

static void copy_argv(struct block_state *b, const client *c, char *dst)
{
    b->argc = c->argc;
    b->argv = argv_copy_into(c->argv, c->argc, dst);
}

void *blocked_on_keys(client *c, db *d, const arg *keys, int nkeys, long long deadline_ms,
                      const block_ops *ops, size_t priv_size)
{
    size_t head = align16(sizeof(struct block_state));
    size_t nodes = align16(sizeof(wnode) * (size_t)nkeys);
    size_t av = align16(argv_bytes(c));
    struct block_state *b = ds_calloc(head + nodes + av + align16(priv_size ? priv_size : 1));
    char *base = (char *)b;
    b->ops = ops;
    b->d = d;
    b->nodes = (wnode *)(void *)(base + head);
    copy_argv(b, c, base + head + nodes);
    b->priv = base + head + nodes + av;
    b->cmd = c->cmd;
    for (int i = 0; i < nkeys; i++) {
        if (seen_before(keys, i))
            continue;
        wnode *w = &b->nodes[b->nnodes++];
        w->c = c;
        w->ki = i;
        waitq_append(waitq_get(d, keys[i].p, keys[i].len), w);
    }
    if (deadline_ms > 0) {
        long long left_ms = deadline_ms - el_wall_ms();
        uint64_t when = el_mono_us() + (uint64_t)(left_ms > 0 ? left_ms : 0) * 1000;
        b->timer = el_timer_at(srv.loop, when, on_timeout, c);
        b->has_deadline = 1;
        n_with_timeout++;
    }
    c->bstate = b;
    c->flags |= CLIENT_BLOCKED;
    srv.blocked_clients++;
    return b->priv;
}

/* ---- step 4: collect ---- */

static void queue_resume(client *c)
{
    if (c->flags & (CLIENT_UNBLOCKED | CLIENT_FAKE))
        return; /* queued already; a fake client has no input to resume */
    if (n_unblocked == cap_unblocked) {
        cap_unblocked = cap_unblocked ? cap_unblocked * 2 : 64;
        unblocked = ds_realloc(unblocked, sizeof(client *) * cap_unblocked);
    }
    unblocked[n_unblocked++] = c;
    c->flags |= CLIENT_UNBLOCKED;
}

/* Leave every queue, free the state.  `failed`: count a failed call. */
static void release(client *c, int failed, long long usec)
{
    struct block_state *b = c->bstate;
    for (int i = 0; i < b->nnodes; i++)
        if (b->nodes[i].q)
            waitq_unlink(b->d, &b->nodes[i]);
    if (b->timer)
        el_timer_del(srv.loop, b->timer);
    if (b->has_deadline)
        n_with_timeout--;
    if (b->ops->free)
        b->ops->free(b->priv);
    if (b->cmd) {
        b->cmd->calls++;
        b->cmd->usec += b->call_usec + usec;
        if (failed)
            b->cmd->failed_calls++;
    }
    ds_free(b);
    c->bstate = NULL;
    c->flags &= ~CLIENT_BLOCKED;
    srv.blocked_clients--;
}

static void finish(client *c, int failed, long long usec)
{
    release(c, failed, usec);
    queue_resume(c);
}

static void reply_timeout(client *c)
{
    struct block_state *b = c->bstate;
    if (b->ops->timeout) {
        argv_save sv = argv_enter(c);
        b->ops->timeout(c, b->priv);
        argv_leave(c, sv);
    } else {
        reply_null_array(c);
    }
}

/* Served or CLIENT UNBLOCKed: the slow log sees the command (Redis's
 * updateStatsOnUnblock); timeouts are not logged. */
static void served(client *c, long long usec)
{
    if (!blocked_served_hook)
        return;
    argv_save sv = argv_enter(c);
    blocked_served_hook(c, c->bstate->call_usec + usec);
    argv_leave(c, sv);
}

static long long on_timeout(el *l, el_timer *t, void *ud)
{
    (void)l;
    (void)t;
    client *c = ud;
    c->bstate->timer = NULL; /* the loop frees it */
    reply_timeout(c);
    finish(c, 0, 0);
    return -1;
}

int blocked_unblock(client *c, int how)
{
    if (!(c->flags & CLIENT_BLOCKED) || !c->bstate)
        return 0;
    if (how)
        reply_error(c, "-UNBLOCKED client unblocked via CLIENT UNBLOCK");
    else
        reply_timeout(c);
    served(c, 0);
    /* Redis 7.0 counts every CLIENT UNBLOCK as a failed call. */
    finish(c, 1, 0);
    return 1;
}

void blocked_client_gone(client *c)
{
    if (c->bstate)
        release(c, 0, 0);
    for (size_t i = 0; i < n_unblocked; i++)
        if (unblocked[i] == c)
            unblocked[i] = NULL;
    c->flags &= ~CLIENT_UNBLOCKED;
}

/* ---- step 2: signal ---- */

void blocked_key_queued(db *d, const char *k, size_t len)
{
    waitq *q = dict_fetch(d->blocking, k, len);
    if (!q || q->queued)
        return;
    q->queued = 1;
    ready_vec *r = &ready_bufs[ready_cur];
    if (r->n == r->cap) {
        r->cap = r->cap ? r->cap * 2 : 16;
        r->v = ds_realloc(r->v, sizeof(ready_key) * r->cap);
    }
    r->v[r->n].dbid = d->id;
    r->v[r->n].key = str_new(k, len);
    r->n++;
    srv.ready_keys = r;
}

void blocked_signal_existing(db *d)
{
    if (dict_size(d->blocking) == 0)
        return;
    dict_iter it;
    dict_iter_init(&it, d->blocking, 1);
    dict_entry *e;
    while ((e = dict_iter_next(&it))) {
        if (dict_find(d->keys, e->key, str_len(e->key)))
            blocked_key_queued(d, e->key, str_len(e->key));
    }
    dict_iter_done(&it);
}

int blocked_has_waiters(db *d, const char *k, size_t len)
{
    return dict_size(d->blocking) && dict_find(d->blocking, k, len) != NULL;
}

/* ---- step 3: serve ---- */

static void serve_key(db *d, const char *k, size_t len)
{
    waitq *q = dict_fetch(d->blocking, k, len);
    if (!q)
        return;
    q->queued = 0;
    obj *o = db_lookup(d, k, len, LOOKUP_NONOTIFY | LOOKUP_NOTOUCH);
    arg key = {k, len};
    q->busy++;
    for (wnode *w = q->head; w;) {
        wnode *next = w->next;
        client *c = w->c;
        struct block_state *b = c->bstate;
        client *prev = srv.current_client;
        long long errs = srv.stat_total_error_replies;
        uint64_t start = el_mono_us();
        srv.current_client = c;
        argv_save sv = argv_enter(c);
        int r = b->ops->serve(c, d, &key, w->ki, o, b->priv);
        argv_leave(c, sv);
        srv.current_client = prev;
        if (r == BLOCK_SERVED) {
            int existed = o != NULL;
            long long usec = (long long)(el_mono_us() - start);
            served(c, usec);
            finish(c, srv.stat_total_error_replies != errs, usec);
            o = dict_fetch(d->keys, k, len);
            if (existed && !o)
                break;
        }
        w = next;
    }
    q->busy--;
    waitq_drop_if_empty(d, q);
}

static void serve_rounds(void)
{
    while (srv.ready_keys) {
        ready_vec *r = &ready_bufs[ready_cur];
        ready_cur ^= 1;
        srv.ready_keys = NULL;
        for (size_t i = 0; i < r->n; i++) {
            serve_key(&srv.dbs[r->v[i].dbid], r->v[i].key, str_len(r->v[i].key));
            str_free(r->v[i].key);
        }
        r->n = 0;
    }
}

/* Run the pipelined input of unblocked clients.  A client whose flag was
 * cleared already ran its input (conn_process_input clears it), and one
 * with argc != 0 is inside its own command right now (its read handler is
 * lower on the stack, e.g. it was unblocked by CLIENT UNBLOCK in this turn
 * and its next command ended here): its own loop goes on with its input. */
static void resume_unblocked(void)
{
    /* New entries may be appended while we go: index, don't cache n. */
    for (size_t i = 0; i < n_unblocked; i++) {
        client *c = unblocked[i];
        if (!c || !(c->flags & CLIENT_UNBLOCKED) || c->argc)
            continue;
        c->flags &= ~CLIENT_UNBLOCKED;
        if (!(c->flags & CLIENT_BLOCKED))
            conn_process_input(c);
    }
    n_unblocked = 0;
}

void blocked_serve_ready(void)
{
    if (!serving) {
        serving = 1;
        serve_rounds();
        serving = 0;
    }
    if (resuming || !n_unblocked)
        return;
    resuming = 1;
    resume_unblocked();
    resuming = 0;
}
