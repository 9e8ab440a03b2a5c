/* multi.c - see multi.h. */
#include "multi.h"

#include "blocked.h"
#include "ds/alloc.h"
#include "server.h"

#include <string.h>

typedef struct queued {
    struct command *cmd;
    int argc;
    arg *argv; /* one allocation: the arg array followed by the bytes */
} queued;

struct multi_state {
    queued *q;
    int n, cap;
    uint32_t flags_union;
};

/* The client's own list of watched keys; the same records are listed in
 * the db's watched dict (key -> watchers), so a touch can see whether the
 * key was already expired when it was watched. */
typedef struct watched_key {
    struct watched_key *next;
    client *c;
    db *d;
    str key;
    int expired_at_watch;
} watched_key;

/* A watch list node in a db's watched dict: a small vector of records. */
typedef struct watchers {
    watched_key **v;
    size_t n, cap;
} watchers;

void multi_queue(client *c, struct command *cmd)
{
    struct multi_state *m = c->mstate;
    if (!m) {
        m = ds_calloc(sizeof(*m));
        c->mstate = m;
    }
    /* After an error in the queue, nothing more is kept (Redis does the same). */
    if (c->flags & (CLIENT_DIRTY_EXEC | CLIENT_DIRTY_CAS))
        return;
    if (m->n == m->cap) {
        m->cap = m->cap ? m->cap * 2 : 8;
        m->q = ds_realloc(m->q, sizeof(queued) * (size_t)m->cap);
    }
    queued *q = &m->q[m->n++];
    q->cmd = cmd;
    q->argc = c->argc;
    q->argv = argv_dup(c->argv, c->argc);
    m->flags_union |= cmd->flags;
}

int multi_queued_count(const client *c)
{
    return c->mstate ? c->mstate->n : 0;
}

uint32_t multi_queued_flags(const client *c)
{
    return c->mstate ? c->mstate->flags_union : 0;
}

void multi_discard(client *c)
{
    struct multi_state *m = c->mstate;
    if (m) {
        for (int i = 0; i < m->n; i++)
            ds_free(m->q[i].argv);
        ds_free(m->q);
        ds_free(m);
        c->mstate = NULL;
    }
    c->flags &= ~(CLIENT_MULTI | CLIENT_DIRTY_CAS | CLIENT_DIRTY_EXEC);
    multi_unwatch_all(c);
}

static void watchers_free(void *v)
{
    watchers *w = v;
    ds_free(w->v);
    ds_free(w);
}

static void wkey_view(const void *key, const void **p, size_t *len)
{
    *p = key;
    *len = str_len((const str)key);
}

static void wkey_free(void *key)
{
    str_free(key);
}

const dict_type multi_watched_type = {wkey_view, wkey_free, watchers_free, 0};

static void watch_key(client *c, db *d, const char *k, size_t len)
{
    for (watched_key *w = c->watched; w; w = w->next)
        if (w->d == d && str_eq_buf(w->key, k, len))
            return;
    int existed;
    str key = str_new(k, len);
    dict_entry *e = dict_add_or_find(d->watched, key, &existed);
    if (existed)
        str_free(key);
    else
        e->v.val = ds_calloc(sizeof(watchers));
    watchers *ws = e->v.val;
    if (ws->n == ws->cap) {
        ws->cap = ws->cap ? ws->cap * 2 : 4;
        ws->v = ds_realloc(ws->v, sizeof(watched_key *) * ws->cap);
    }
    watched_key *w = ds_malloc(sizeof(*w));
    ws->v[ws->n++] = w;
    w->c = c;
    w->d = d;
    w->key = str_new(k, len);
    w->expired_at_watch = db_key_expired(d, k, len);
    w->next = c->watched;
    c->watched = w;
}

void multi_unwatch_all(client *c)
{
    watched_key *w = c->watched;
    while (w) {
        watched_key *next = w->next;
        dict_entry *e = dict_find(w->d->watched, w->key, str_len(w->key));
        if (e) {
            watchers *ws = e->v.val;
            for (size_t i = 0; i < ws->n; i++) {
                if (ws->v[i] == w) {
                    ws->v[i] = ws->v[--ws->n];
                    break;
                }
            }
            if (ws->n == 0)
                dict_delete(w->d->watched, w->key, str_len(w->key));
        }
        str_free(w->key);
        ds_free(w);
        w = next;
    }
    c->watched = NULL;
}

size_t multi_watching_count(const client *c)
{
    size_t n = 0;
    for (watched_key *w = c->watched; w; w = w->next)
        n++;
    return n;
}

size_t multi_watched_keys_total(void)
{
    size_t n = 0;
    for (int i = 0; i < srv.dbnum; i++)
        n += dict_size(srv.dbs[i].watched);
    return n;
}

void multi_touch_key(db *d, const char *k, size_t len)
{
    if (dict_size(d->watched) == 0)
        return;
    dict_entry *e = dict_find(d->watched, k, len);
    if (!e)
        return;
    watchers *ws = e->v.val;
    int exists = dict_find(d->keys, k, len) != NULL;
    for (size_t i = 0; i < ws->n; i++) {
        watched_key *w = ws->v[i];
        if (w->expired_at_watch) {
            /* Watched while already expired: its deletion is no logical
             * change, and a deleted key is no longer "expired". */
            if (!exists)
                w->expired_at_watch = 0;
            continue;
        }
        w->c->flags |= CLIENT_DIRTY_CAS;
    }
}

/* The contents of `emptied` are dropped (FLUSH*, with == NULL) or replaced
 * by those of `with` (SWAPDB): touch every watched key whose logical value
 * changes, as Redis's touchAllWatchedKeysInDb does. */
void multi_touch_swapped(db *emptied, db *with)
{
    if (dict_size(emptied->watched) == 0)
        return;
    dict_iter it;
    dict_iter_init(&it, emptied->watched, 0);
    dict_entry *e;
    while ((e = dict_iter_next(&it))) {
        const str k = e->key;
        size_t len = str_len(k);
        int in_emptied = dict_find(emptied->keys, k, len) != NULL;
        int in_with = with && dict_find(with->keys, k, len) != NULL;
        if (!in_emptied && !in_with)
            continue;
        watchers *ws = e->v.val;
        for (size_t i = 0; i < ws->n; i++) {
            watched_key *w = ws->v[i];
            if (w->expired_at_watch) {
                if (!in_with) {
                    w->expired_at_watch = 0;
                    continue;
                }
                if (db_key_expired(with, k, len))
                    continue;
            } else if (!in_emptied && db_key_expired(with, k, len)) {
                w->expired_at_watch = 1;
                continue;
            }
            w->c->flags |= CLIENT_DIRTY_CAS;
        }
    }
    dict_iter_done(&it);
}

void multi_touch_flushed(int dbid)
{
    for (int i = 0; i < srv.dbnum; i++)
        if (dbid == -1 || i == dbid)
            multi_touch_swapped(&srv.dbs[i], NULL);
}

int multi_watched_expired(client *c)
{
    for (watched_key *w = c->watched; w; w = w->next) {
        if (!w->expired_at_watch && db_key_expired(w->d, w->key, str_len(w->key)))
            return 1;
    }
    return 0;
}

void multi_client_gone(client *c)
{
    multi_discard(c);
}

/* ---- commands ---- */

static void cmd_multi(client *c)
{
    if (c->flags & CLIENT_MULTI) {
        reply_error(c, "MULTI calls can not be nested");
        return;
    }
    c->flags |= CLIENT_MULTI;
    reply_ok(c);
}

static void cmd_discard(client *c)
{
    if (!(c->flags & CLIENT_MULTI)) {
        reply_error(c, "DISCARD without MULTI");
        return;
    }
    multi_discard(c);
    reply_ok(c);
}

static void cmd_exec(client *c)
{
    if (!(c->flags & CLIENT_MULTI)) {
        reply_error(c, "EXEC without MULTI");
        return;
    }
    if (multi_watched_expired(c))
        c->flags |= CLIENT_DIRTY_CAS;
    if (c->flags & CLIENT_DIRTY_EXEC) {
        reply_error(c, "-EXECABORT Transaction discarded because of previous errors.");
        multi_discard(c);
        return;
    }
    if (c->flags & CLIENT_DIRTY_CAS) {
        reply_null_array(c);
        multi_discard(c);
        return;
    }
    struct multi_state *m = c->mstate;
    int n = m ? m->n : 0;
    /* Take the queue: the commands may change c's state (SELECT, ...). */
    c->mstate = NULL;
    multi_unwatch_all(c);
    c->flags &= ~CLIENT_MULTI;
    if (m && (m->flags_union & CMD_WRITE) && srv.maxmemory > 0 &&
        (long long)ds_used_memory() > srv.maxmemory) {
        /* Rejected as a whole like Redis's EXEC OOM check. */
    }
    reply_array(c, n);
    int orig_argc = c->argc;
    arg *orig_argv = c->argv;
    srv.in_exec = 1;
    c->flags |= CLIENT_IN_EXEC;
    /* MULTI is logged lazily, just before the first command of the
     * transaction that really propagates something (see server.c). */
    propagate_suppress(); /* EXEC logs itself below, only if needed */
    srv.exec_multi_pending = 1;
    srv.exec_multi_written = 0;
    srv.exec_dbid = c->db_id;
    for (int i = 0; i < n; i++) {
        queued *q = &m->q[i];
        c->argc = q->argc;
        c->argv = q->argv;
        call(c, q->cmd);
    }
    srv.exec_multi_pending = 0;
    if (srv.exec_multi_written) {
        arg ea = {"EXEC", 4};
        server_propagate(c->db_id, &ea, 1);
        srv.exec_multi_written = 0;
    }
    c->flags &= ~CLIENT_IN_EXEC;
    srv.in_exec = 0;
    c->argc = orig_argc;
    c->argv = orig_argv;
    if (m) {
        for (int i = 0; i < m->n; i++)
            ds_free(m->q[i].argv);
        ds_free(m->q);
        ds_free(m);
    }
}

static void cmd_watch(client *c)
{
    if (c->flags & CLIENT_MULTI) {
        reply_error(c, "WATCH inside MULTI is not allowed");
        return;
    }
    /* No point watching if the transaction is already doomed. */
    if (c->flags & CLIENT_DIRTY_CAS) {
        reply_ok(c);
        return;
    }
    for (int i = 1; i < c->argc; i++)
        watch_key(c, c->db, c->argv[i].p, c->argv[i].len);
    reply_ok(c);
}

static void cmd_unwatch(client *c)
{
    multi_unwatch_all(c);
    c->flags &= ~CLIENT_DIRTY_CAS;
    reply_ok(c);
}

command cmd_multi_table[] = {
    {.name = "multi", .proc = cmd_multi, .arity = 1,
     .flags = CMD_NOSCRIPT | CMD_LOADING | CMD_STALE | CMD_FAST | CMD_ALLOW_BUSY,
     .group = "transactions", .summary = "Mark the start of a transaction block", .since = "1.2.0",
     .complexity = "O(1)", .acl = "fast transaction"},
    {.name = "exec", .proc = cmd_exec, .arity = 1,
     .flags = CMD_NOSCRIPT | CMD_LOADING | CMD_STALE | CMD_SKIP_SLOWLOG,
     .group = "transactions", .summary = "Execute all commands issued after MULTI",
     .since = "1.2.0", .complexity = "Depends on commands in the transaction",
     .acl = "slow transaction"},
    {.name = "discard", .proc = cmd_discard, .arity = 1,
     .flags = CMD_NOSCRIPT | CMD_LOADING | CMD_STALE | CMD_FAST | CMD_ALLOW_BUSY,
     .group = "transactions", .summary = "Discard all commands issued after MULTI",
     .since = "2.0.0", .complexity = "O(N), when N is the number of queued commands",
     .acl = "fast transaction"},
    {.name = "watch", .proc = cmd_watch, .arity = -2,
     .flags = CMD_NOSCRIPT | CMD_LOADING | CMD_STALE | CMD_FAST | CMD_ALLOW_BUSY,
     .first_key = 1, .last_key = -1, .key_step = 1, .group = "transactions",
     .summary = "Watch the given keys to determine execution of the MULTI/EXEC block",
     .since = "2.2.0", .complexity = "O(1) for every key.", .acl = "fast transaction"},
    {.name = "unwatch", .proc = cmd_unwatch, .arity = 1,
     .flags = CMD_NOSCRIPT | CMD_LOADING | CMD_STALE | CMD_FAST | CMD_ALLOW_BUSY,
     .group = "transactions", .summary = "Forget about all watched keys", .since = "2.2.0",
     .complexity = "O(1)", .acl = "fast transaction"},
    {.name = NULL},
};
