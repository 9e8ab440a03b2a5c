/* test_crash.c - what was acknowledged survives SIGKILL.
 *
 * With `appendfsync always`, a client pushes list elements (LPUSH), adds
 * stream entries (XADD), reads them through a consumer group
 * (XREADGROUP) and acknowledges them (XACK), one command at a time,
 * while another thread kills the server with SIGKILL at a random moment.
 * After each restart in the same directory, 20 rounds in a row:
 *   - every acknowledged LPUSH / XADD is present, exactly once;
 *   - the only extra elements are the one command that was in flight;
 *   - no acknowledged XACK'ed entry is pending again.
 * The second test does the same with a slow BGREWRITEAOF running when
 * the kill comes (the rewrite child is killed too). */
#include "harness.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define ROUNDS 20
#define MAXV 400000

typedef struct state {
    char dir[64];
    long long next;          /* next value to write */
    unsigned char *acked;    /* value -> LPUSH acknowledged */
    unsigned char *maybe;    /* value -> LPUSH sent, no reply */
    unsigned char *xacked;   /* value -> XADD acknowledged */
    unsigned char *xmaybe;
    unsigned char *acks;     /* value -> XACK acknowledged */
    int streams;             /* the server has streams */
} state;

static pid_t live;

static void kill_leftover(void)
{
    if (live > 0) {
        kill(live, SIGKILL);
        waitpid(live, NULL, 0);
        live = 0;
    }
}

TestSuite(crash, .fini = kill_leftover, .timeout = 600);

static srv_handle *start(state *st, int rewrite)
{
    char args[512];
    snprintf(args, sizeof(args), "--dir %s --logfile %s/server.log --appendonly yes "
             "--appendfsync always %s", st->dir, st->dir,
             rewrite ? "--rdb-key-save-delay 1000" : "");
    srv_handle *h = srv_start(args);
    live = h->pid;
    return h;
}

/* The rewrite child of pid, if any. */
static pid_t child_of(pid_t pid)
{
    char path[64], buf[64];
    snprintf(path, sizeof(path), "/proc/%d/task/%d/children", (int)pid, (int)pid);
    FILE *fp = fopen(path, "r");
    if (!fp)
        return 0;
    pid_t c = 0;
    if (fgets(buf, sizeof(buf), fp))
        c = (pid_t)atoi(buf);
    fclose(fp);
    return c;
}

typedef struct killer {
    srv_handle *h;
    int delay_ms;
    int rewrite;
    int rewrite_was_running;
} killer;

static void *kill_later(void *p)
{
    killer *k = p;
    usleep((useconds_t)k->delay_ms * 1000);
    pid_t child = k->rewrite ? child_of(k->h->pid) : 0;
    k->rewrite_was_running = child > 0;
    kill(k->h->pid, SIGKILL);
    if (child > 0)
        kill(child, SIGKILL);
    return NULL;
}

static redisReply *try_cmd(redisContext *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    redisReply *r = redisvCommand(c, fmt, ap);
    va_end(ap);
    return r;
}

/* Write until the connection dies; record what was acknowledged. */
static void write_until_killed(state *st, redisContext *c)
{
    for (;;) {
        long long v = st->next++;
        cr_assert(v < MAXV);
        st->maybe[v] = 1;
        redisReply *r = try_cmd(c, "LPUSH list %lld", v);
        if (!r)
            return;
        cr_assert_eq(r->type, REDIS_REPLY_INTEGER, "LPUSH: %s", r->str ? r->str : "");
        freeReplyObject(r);
        st->acked[v] = 1;
        if (!st->streams)
            continue;
        st->xmaybe[v] = 1;
        r = try_cmd(c, "XADD s * v %lld", v);
        if (!r)
            return;
        cr_assert_eq(r->type, REDIS_REPLY_STRING, "XADD: %s", r->str ? r->str : "");
        freeReplyObject(r);
        st->xacked[v] = 1;
        if (v % 2)
            continue;
        r = try_cmd(c, "XREADGROUP GROUP g c COUNT 1 STREAMS s >");
        if (!r)
            return;
        if (r->type != REDIS_REPLY_ARRAY || r->elements != 1) {
            freeReplyObject(r);
            continue;
        }
        /* [[s, [[id, [v, n]]]]] */
        redisReply *e = r->element[0]->element[1]->element[0];
        char id[64];
        snprintf(id, sizeof(id), "%s", e->element[0]->str);
        long long n = atoll(e->element[1]->element[1]->str);
        freeReplyObject(r);
        r = try_cmd(c, "XACK s g %s", id);
        if (!r)
            return;
        cr_assert_eq(r->type, REDIS_REPLY_INTEGER);
        if (r->integer == 1)
            st->acks[n] = 1;
        freeReplyObject(r);
    }
}

static void verify_list(state *st, redisContext *c, int round)
{
    unsigned char *seen = calloc(MAXV, 1);
    redisReply *r = cmd(c, "LRANGE list 0 -1");
    cr_assert_eq(r->type, REDIS_REPLY_ARRAY);
    for (size_t i = 0; i < r->elements; i++) {
        long long v = atoll(r->element[i]->str);
        cr_assert(v >= 0 && v < st->next, "round %d: unknown value %lld", round, v);
        cr_assert(!seen[v], "round %d: %lld appears twice", round, v);
        cr_assert(st->acked[v] || st->maybe[v], "round %d: %lld never sent", round, v);
        seen[v] = 1;
    }
    for (long long v = 0; v < st->next; v++) {
        cr_assert(!st->acked[v] || seen[v], "round %d: acknowledged LPUSH %lld lost", round, v);
        /* What survived is now part of the history; what did not, never will. */
        st->acked[v] = seen[v];
        st->maybe[v] = 0;
    }
    freeReplyObject(r);
    free(seen);
}

static void verify_stream(state *st, redisContext *c, int round)
{
    unsigned char *seen = calloc(MAXV, 1);
    redisReply *r = cmd(c, "XRANGE s - +");
    cr_assert_eq(r->type, REDIS_REPLY_ARRAY);
    for (size_t i = 0; i < r->elements; i++) {
        long long v = atoll(r->element[i]->element[1]->element[1]->str);
        cr_assert(v >= 0 && v < st->next, "round %d: unknown entry %lld", round, v);
        cr_assert(!seen[v], "round %d: entry %lld appears twice", round, v);
        cr_assert(st->xacked[v] || st->xmaybe[v], "round %d: entry %lld never sent", round, v);
        seen[v] = 1;
    }
    freeReplyObject(r);
    for (long long v = 0; v < st->next; v++) {
        cr_assert(!st->xacked[v] || seen[v], "round %d: acknowledged XADD %lld lost", round, v);
        st->xacked[v] = seen[v];
        st->xmaybe[v] = 0;
    }
    /* Pending entries: none of them was acknowledged by XACK. */
    r = cmd(c, "XPENDING s g - + 1000000");
    cr_assert_eq(r->type, REDIS_REPLY_ARRAY, "XPENDING: %s", r->str ? r->str : "");
    for (size_t i = 0; i < r->elements; i++) {
        const char *id = r->element[i]->element[0]->str;
        redisReply *e = cmd(c, "XRANGE s %s %s", id, id);
        cr_assert_eq(e->elements, 1);
        long long v = atoll(e->element[0]->element[1]->element[1]->str);
        cr_assert(!st->acks[v], "round %d: XACKed entry %lld is pending again", round, v);
        freeReplyObject(e);
    }
    freeReplyObject(r);
    free(seen);
}

static void run_rounds(int rewrite)
{
    state st = {.next = 0};
    snprintf(st.dir, sizeof(st.dir), "/tmp/sluice-crash-XXXXXX");
    cr_assert(mkdtemp(st.dir));
    st.acked = calloc(MAXV, 1);
    st.maybe = calloc(MAXV, 1);
    st.xacked = calloc(MAXV, 1);
    st.xmaybe = calloc(MAXV, 1);
    st.acks = calloc(MAXV, 1);
    unsigned seed = (unsigned)now_ms();
    srand(seed);
    int rewrites_hit = 0;
    for (int round = 0; round < ROUNDS; round++) {
        srv_handle *h = start(&st, rewrite);
        redisContext *c = srv_connect(h);
        if (round == 0) {
            redisReply *r = cmd(c, "XGROUP CREATE s g $ MKSTREAM");
            st.streams = r->type == REDIS_REPLY_STATUS;
            freeReplyObject(r);
            if (rewrite)
                for (int i = 0; i < 1000; i++)
                    freeReplyObject(cmd(c, "SET filler:%d %d", i, i));
        } else {
            verify_list(&st, c, round);
            if (st.streams)
                verify_stream(&st, c, round);
        }
        if (rewrite) {
            redisReply *r = cmd(c, "BGREWRITEAOF");
            cr_assert_eq(r->type, REDIS_REPLY_STATUS, "%s", r->str);
            freeReplyObject(r);
        }
        killer k = {.h = h, .delay_ms = 30 + rand() % 270, .rewrite = rewrite};
        pthread_t th;
        pthread_create(&th, NULL, kill_later, &k);
        write_until_killed(&st, c);
        pthread_join(th, NULL);
        rewrites_hit += k.rewrite_was_running;
        waitpid(h->pid, NULL, 0);
        h->pid = 0;
        live = 0;
        redisFree(c);
        srv_stop(h);
    }
    srv_handle *h = start(&st, 0);
    redisContext *c = srv_connect(h);
    verify_list(&st, c, ROUNDS);
    if (st.streams)
        verify_stream(&st, c, ROUNDS);
    redisFree(c);
    live = 0;
    srv_stop(h);
    if (rewrite)
        cr_assert(rewrites_hit >= ROUNDS / 2, "seed %u: only %d kills hit a running rewrite",
                  seed, rewrites_hit);
    cr_log_info("%lld writes over %d kills (seed %u, streams %s)", st.next, ROUNDS, seed,
                st.streams ? "yes" : "no");
    char cmdline[128];
    snprintf(cmdline, sizeof(cmdline), "rm -rf '%s'", st.dir);
    if (system(cmdline) != 0) {
        /* best effort */
    }
    free(st.acked);
    free(st.maybe);
    free(st.xacked);
    free(st.xmaybe);
    free(st.acks);
}

Test(crash, sigkill_with_appendfsync_always)
{
    run_rounds(0);
}

Test(crash, sigkill_during_a_rewrite)
{
    run_rounds(1);
}
