/* test_blocking.c - blocking list operations against a spawned server:
 * timeouts, several keys, FIFO fairness, one push serving several
 * waiters, MULTI/EXEC, BLMOVE chains, wrong types, DEL / FLUSHALL /
 * RENAME / SWAPDB, CLIENT UNBLOCK, disconnects, pipelining behind a
 * blocked command and 10,000 blocked clients.
 *
 * Blocked clients are raw sockets: a command is written and its reply read
 * later.  Timing is only checked against generous bounds. */
#include "harness.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static srv_handle *s;
static void setup(void)
{
    s = srv_start("--maxclients 12000");
}
static void teardown(void)
{
    srv_stop(s);
}

TestSuite(blocking, .init = setup, .fini = teardown, .timeout = 120);

/* ---- helpers ---- */



/* Read exactly strlen(want) bytes (within timeout_ms) and compare. */
static void raw_read_expect(int fd, const char *want, int timeout_ms)
{
    char in[4096];
    size_t wl = strlen(want);
    size_t got = raw_send_recv(fd, "", 0, in, wl, timeout_ms);
    in[got] = '\0';
    cr_assert(got == wl && memcmp(in, want, wl) == 0, "expected %s got %s", want, in);
}

/* Nothing arrives within ms. */
static void raw_expect_silence(int fd, int ms)
{
    struct pollfd p = {fd, POLLIN, 0};
    cr_assert_eq(poll(&p, 1, ms), 0, "unexpected reply while blocked");
}

static long long info_field(redisContext *c, const char *field)
{
    redisReply *r = cmd(c, "INFO clients");
    cr_assert(r->type == REDIS_REPLY_STRING, "INFO failed");
    const char *p = strstr(r->str, field);
    cr_assert(p, "INFO has no %s", field);
    long long v = atoll(p + strlen(field) + 1);
    freeReplyObject(r);
    return v;
}

static void wait_blocked(redisContext *c, long long n)
{
    long long deadline = now_ms() + 10000;
    while (info_field(c, "blocked_clients") != n) {
        cr_assert(now_ms() < deadline, "blocked_clients never reached %lld", n);
        usleep(2000);
    }
}

static int block_client(redisContext *c, const char *line)
{
    long long before = info_field(c, "blocked_clients");
    int fd = srv_raw_connect(s);
    raw_send(fd, line);
    wait_blocked(c, before + 1);
    return fd;
}

static long long client_id_of(int fd)
{
    char in[64];
    const char *q = "*2\r\n$6\r\nCLIENT\r\n$2\r\nID\r\n";
    size_t got = raw_send_recv(fd, q, strlen(q), in, sizeof(in) - 1, 300);
    in[got] = '\0';
    cr_assert(got > 1 && in[0] == ':', "CLIENT ID failed: %s", in);
    return atoll(in + 1);
}

/* ---- tests ---- */

Test(blocking, timeout_replies_and_timing)
{
    redisContext *c = srv_connect(s);
    int fd = srv_raw_connect(s);
    long long t0 = now_ms();
    raw_send(fd, "BLPOP nolist 0.2");
    raw_read_expect(fd, "*-1\r\n", 5000);
    long long took = now_ms() - t0;
    cr_assert(took >= 150 && took < 3000, "BLPOP 0.2 took %lld ms", took);
    raw_send(fd, "BLMOVE nolist d LEFT RIGHT 0.01");
    raw_read_expect(fd, "*-1\r\n", 5000);
    raw_send(fd, "BRPOPLPUSH nolist d 0.01");
    raw_read_expect(fd, "*-1\r\n", 5000);
    raw_send(fd, "BLMPOP 0.01 2 a b LEFT COUNT 2");
    raw_read_expect(fd, "*-1\r\n", 5000);
    raw_send(fd, "BRPOP nolist 0.001");
    raw_read_expect(fd, "*-1\r\n", 5000);
    /* RESP3: null. */
    char buf[512];
    const char *hello = "*2\r\n$5\r\nHELLO\r\n$1\r\n3\r\n";
    cr_assert(raw_send_recv(fd, hello, strlen(hello), buf, sizeof(buf), 300) > 0);
    raw_send(fd, "BLPOP nolist 0.01");
    raw_read_expect(fd, "_\r\n", 5000);
    raw_send(fd, "BLMOVE nolist d LEFT RIGHT 0.01");
    raw_read_expect(fd, "_\r\n", 5000);
    close(fd);
    wait_blocked(c, 0);
    expect_int(c, 0, "EXISTS d");
    redisFree(c);
}

Test(blocking, zero_timeout_blocks_until_push)
{
    redisContext *c = srv_connect(s);
    int fd = block_client(c, "BRPOP blist1 0");
    raw_expect_silence(fd, 300);
    expect_int(c, 1, "RPUSH blist1 foo");
    raw_read_expect(fd, "*2\r\n$6\r\nblist1\r\n$3\r\nfoo\r\n", 2000);
    expect_int(c, 0, "EXISTS blist1");
    close(fd);
    redisFree(c);
}

Test(blocking, several_keys)
{
    redisContext *c = srv_connect(s);
    int fd = block_client(c, "BLPOP k1 k2 k3 0");
    expect_int(c, 1, "RPUSH k2 two");
    raw_read_expect(fd, "*2\r\n$2\r\nk2\r\n$3\r\ntwo\r\n", 2000);
    /* Data already there: first non-empty key in argument order. */
    expect_int(c, 1, "RPUSH k3 three");
    expect_int(c, 1, "RPUSH k2 two");
    raw_send(fd, "BLPOP k1 k3 k2 0");
    raw_read_expect(fd, "*2\r\n$2\r\nk3\r\n$5\r\nthree\r\n", 2000);
    /* Same key several times. */
    raw_send(fd, "BLPOP k4 k1 k4 k1 0");
    wait_blocked(c, 1);
    expect_int(c, 1, "LPUSH k1 a");
    raw_read_expect(fd, "*2\r\n$2\r\nk1\r\n$1\r\na\r\n", 2000);
    wait_blocked(c, 0);
    expect_int(c, 1, "LLEN k2");
    close(fd);
    redisFree(c);
}

Test(blocking, fifo_fairness_and_one_push_serves_many)
{
    redisContext *c = srv_connect(s);
    int fds[5];
    for (int i = 0; i < 5; i++)
        fds[i] = block_client(c, "BLPOP q 0");
    expect_int(c, 3, "RPUSH q a b c");
    raw_read_expect(fds[0], "*2\r\n$1\r\nq\r\n$1\r\na\r\n", 2000);
    raw_read_expect(fds[1], "*2\r\n$1\r\nq\r\n$1\r\nb\r\n", 2000);
    raw_read_expect(fds[2], "*2\r\n$1\r\nq\r\n$1\r\nc\r\n", 2000);
    wait_blocked(c, 2);
    raw_expect_silence(fds[3], 100);
    raw_expect_silence(fds[4], 10);
    expect_int(c, 0, "EXISTS q");
    /* A waiter that timed out in between loses its place, the others keep it. */
    int late = block_client(c, "BLPOP q 0.05");
    raw_read_expect(late, "*-1\r\n", 5000);
    expect_int(c, 1, "RPUSH q d");
    raw_read_expect(fds[3], "*2\r\n$1\r\nq\r\n$1\r\nd\r\n", 2000);
    expect_int(c, 1, "RPUSH q e");
    raw_read_expect(fds[4], "*2\r\n$1\r\nq\r\n$1\r\ne\r\n", 2000);
    for (int i = 0; i < 5; i++)
        close(fds[i]);
    close(late);
    redisFree(c);
}

Test(blocking, blmpop_counts_and_order)
{
    redisContext *c = srv_connect(s);
    int a = block_client(c, "BLMPOP 0 2 bl1 bl2 LEFT COUNT 1");
    int b = block_client(c, "BLMPOP 0 2 bl1 bl2 RIGHT COUNT 10");
    int d = block_client(c, "BLMPOP 0 2 bl1 bl2 LEFT COUNT 10");
    int e = block_client(c, "BLMPOP 0 2 bl1 bl2 RIGHT COUNT 1");
    expect_status(c, "OK", "MULTI");
    expect_status(c, "QUEUED", "LPUSH bl1 a b c d e");
    expect_status(c, "QUEUED", "LPUSH bl2 1 2 3 4 5");
    freeReplyObject(cmd(c, "EXEC"));
    raw_read_expect(a, "*2\r\n$3\r\nbl1\r\n*1\r\n$1\r\ne\r\n", 2000);
    raw_read_expect(b, "*2\r\n$3\r\nbl1\r\n*4\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n",
                    2000);
    raw_read_expect(d,
                    "*2\r\n$3\r\nbl2\r\n*5\r\n$1\r\n5\r\n$1\r\n4\r\n$1\r\n3\r\n$1\r\n2\r\n"
                    "$1\r\n1\r\n",
                    2000);
    raw_expect_silence(e, 100);
    expect_int(c, 3, "LPUSH bl2 1 2 3");
    raw_read_expect(e, "*2\r\n$3\r\nbl2\r\n*1\r\n$1\r\n1\r\n", 2000);
    close(a);
    close(b);
    close(d);
    close(e);
    redisFree(c);
}

Test(blocking, multi_exec_serves_from_final_state)
{
    redisContext *c = srv_connect(s);
    int fd = block_client(c, "BLPOP list 0");
    expect_status(c, "OK", "MULTI");
    expect_status(c, "QUEUED", "LPUSH list a");
    expect_status(c, "QUEUED", "LPUSH list b");
    expect_status(c, "QUEUED", "LPUSH list c");
    freeReplyObject(cmd(c, "EXEC"));
    raw_read_expect(fd, "*2\r\n$4\r\nlist\r\n$1\r\nc\r\n", 2000);
    expect_int(c, 2, "LLEN list");
    freeReplyObject(cmd(c, "DEL list"));

    /* LPUSH + DEL (+ SET) in one transaction wakes nobody. */
    raw_send(fd, "BLPOP list 0");
    wait_blocked(c, 1);
    expect_status(c, "OK", "MULTI");
    expect_status(c, "QUEUED", "LPUSH list a");
    expect_status(c, "QUEUED", "DEL list");
    expect_status(c, "QUEUED", "SET list foo");
    freeReplyObject(cmd(c, "EXEC"));
    raw_expect_silence(fd, 100);
    wait_blocked(c, 1);
    freeReplyObject(cmd(c, "DEL list"));
    expect_int(c, 1, "LPUSH list b");
    raw_read_expect(fd, "*2\r\n$4\r\nlist\r\n$1\r\nb\r\n", 2000);
    close(fd);
    redisFree(c);
}

Test(blocking, chains_and_cycles)
{
    redisContext *c = srv_connect(s);
    int a = block_client(c, "BLMOVE list1 list2 RIGHT LEFT 0");
    int b = block_client(c, "BLMOVE list2 list3 LEFT RIGHT 0");
    expect_int(c, 1, "RPUSH list1 foo");
    raw_read_expect(a, "$3\r\nfoo\r\n", 2000);
    raw_read_expect(b, "$3\r\nfoo\r\n", 2000);
    expect_int(c, 0, "EXISTS list1 list2");
    const char *foo[] = {"foo"};
    expect_strings(c, 1, foo, "LRANGE list3 0 -1");

    /* A BLPOP waiting on the target of a BLMOVE is woken too. */
    int p = block_client(c, "BLPOP target 0");
    raw_send(a, "BLMOVE blist target LEFT RIGHT 0");
    wait_blocked(c, 2);
    expect_int(c, 1, "RPUSH blist bar");
    raw_read_expect(a, "$3\r\nbar\r\n", 2000);
    raw_read_expect(p, "*2\r\n$6\r\ntarget\r\n$3\r\nbar\r\n", 2000);
    expect_int(c, 0, "EXISTS target blist");

    /* Circular: the element ends where it started. */
    raw_send(a, "BRPOPLPUSH c1 c2 0");
    wait_blocked(c, 1);
    raw_send(b, "BRPOPLPUSH c2 c1 0");
    wait_blocked(c, 2);
    expect_int(c, 1, "RPUSH c1 x");
    raw_read_expect(a, "$1\r\nx\r\n", 2000);
    raw_read_expect(b, "$1\r\nx\r\n", 2000);
    const char *x[] = {"x"};
    expect_strings(c, 1, x, "LRANGE c1 0 -1");
    expect_int(c, 0, "EXISTS c2");

    /* Self-referential. */
    raw_send(a, "BRPOPLPUSH self self 0");
    wait_blocked(c, 1);
    expect_int(c, 1, "RPUSH self y");
    raw_read_expect(a, "$1\r\ny\r\n", 2000);
    const char *y[] = {"y"};
    expect_strings(c, 1, y, "LRANGE self 0 -1");
    close(a);
    close(b);
    close(p);
    redisFree(c);
}

Test(blocking, wrong_destination_type_while_blocked)
{
    redisContext *c = srv_connect(s);
    expect_status(c, "OK", "SET target1 nolist");
    int a = block_client(c, "BRPOPLPUSH blist target1 0");
    int b = block_client(c, "BRPOPLPUSH blist target2 0");
    expect_int(c, 1, "LPUSH blist foo");
    raw_read_expect(a, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n",
                    2000);
    raw_read_expect(b, "$3\r\nfoo\r\n", 2000);
    const char *foo[] = {"foo"};
    expect_strings(c, 1, foo, "LRANGE target2 0 -1");
    /* Order is kept after a failure. */
    raw_send(a, "BRPOPLPUSH blist2 target1 0");
    wait_blocked(c, 1);
    expect_int(c, 3, "RPUSH blist2 a b c");
    raw_read_expect(a, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n",
                    2000);
    const char *abc[] = {"a", "b", "c"};
    expect_strings(c, 3, abc, "LRANGE blist2 0 -1");
    close(a);
    close(b);
    redisFree(c);
}

Test(blocking, pipelined_commands_wait_behind_the_blocked_one)
{
    redisContext *c = srv_connect(s);
    int fd = srv_raw_connect(s);
    char out[512];
    size_t n = resp_of(out, sizeof(out), "BLPOP pl 0");
    n += resp_of(out + n, sizeof(out) - n, "PING");
    n += resp_of(out + n, sizeof(out) - n, "RPUSH pl z");
    n += resp_of(out + n, sizeof(out) - n, "BLPOP pl 0");
    cr_assert_eq(write(fd, out, n), (ssize_t)n);
    wait_blocked(c, 1);
    raw_expect_silence(fd, 100);
    expect_int(c, 1, "RPUSH pl a");
    raw_read_expect(fd,
                    "*2\r\n$2\r\npl\r\n$1\r\na\r\n+PONG\r\n:1\r\n"
                    "*2\r\n$2\r\npl\r\n$1\r\nz\r\n",
                    2000);
    close(fd);
    redisFree(c);
}

Test(blocking, disconnect_while_blocked)
{
    redisContext *c = srv_connect(s);
    int a = block_client(c, "BLPOP gone1 gone2 0");
    int b = block_client(c, "BLMOVE gone1 dst LEFT LEFT 100");
    close(a);
    close(b);
    wait_blocked(c, 0);
    expect_int(c, 1, "RPUSH gone1 x");
    expect_int(c, 1, "LLEN gone1");
    expect_int(c, 0, "EXISTS dst");
    /* A new waiter after the disconnects is served normally. */
    int d = block_client(c, "BLPOP gone2 0");
    expect_int(c, 1, "RPUSH gone2 y");
    raw_read_expect(d, "*2\r\n$5\r\ngone2\r\n$1\r\ny\r\n", 2000);
    close(d);
    redisFree(c);
}

Test(blocking, del_flushall_keep_waiting)
{
    redisContext *c = srv_connect(s);
    int fd = block_client(c, "BLPOP fl 0");
    freeReplyObject(cmd(c, "DEL fl"));
    expect_status(c, "OK", "FLUSHALL");
    expect_status(c, "OK", "FLUSHDB");
    raw_expect_silence(fd, 100);
    wait_blocked(c, 1);
    expect_int(c, 1, "RPUSH fl v");
    raw_read_expect(fd, "*2\r\n$2\r\nfl\r\n$1\r\nv\r\n", 2000);
    close(fd);
    redisFree(c);
}

Test(blocking, rename_and_swapdb_wake_waiters)
{
    redisContext *c = srv_connect(s);
    int fd = block_client(c, "BLPOP foo 0");
    expect_int(c, 3, "LPUSH bob abc def hij");
    expect_status(c, "OK", "RENAME bob foo");
    raw_read_expect(fd, "*2\r\n$3\r\nfoo\r\n$3\r\nhij\r\n", 2000);

    expect_status(c, "OK", "SELECT 1");
    expect_int(c, 1, "RPUSH k hello");
    expect_status(c, "OK", "SELECT 0");
    raw_send(fd, "BRPOP k 5");
    wait_blocked(c, 1);
    expect_status(c, "OK", "SWAPDB 1 0");
    raw_read_expect(fd, "*2\r\n$1\r\nk\r\n$5\r\nhello\r\n", 2000);
    close(fd);
    redisFree(c);
}

Test(blocking, client_unblock_and_client_list)
{
    redisContext *c = srv_connect(s);
    int fd = srv_raw_connect(s);
    long long id = client_id_of(fd);
    raw_send(fd, "BLPOP ul 0");
    wait_blocked(c, 1);
    redisReply *r = cmd(c, "CLIENT LIST ID %lld", id);
    cr_assert(r->type == REDIS_REPLY_STRING && strstr(r->str, " flags=b "), "no b flag");
    freeReplyObject(r);
    expect_int(c, 1, "CLIENT UNBLOCK %lld", id);
    raw_read_expect(fd, "*-1\r\n", 2000);
    raw_send(fd, "BLMOVE ul d LEFT LEFT 0");
    wait_blocked(c, 1);
    expect_int(c, 1, "CLIENT UNBLOCK %lld TIMEOUT", id);
    raw_read_expect(fd, "*-1\r\n", 2000);
    raw_send(fd, "BLMPOP 0 1 ul LEFT");
    wait_blocked(c, 1);
    expect_int(c, 1, "CLIENT UNBLOCK %lld ERROR", id);
    raw_read_expect(fd, "-UNBLOCKED client unblocked via CLIENT UNBLOCK\r\n", 2000);
    expect_int(c, 0, "CLIENT UNBLOCK %lld", id);
    r = cmd(c, "CLIENT ID");
    expect_int(c, 0, "CLIENT UNBLOCK %lld", r->integer);
    freeReplyObject(r);
    /* Still usable. */
    raw_send(fd, "BLPOP ul 0");
    wait_blocked(c, 1);
    expect_int(c, 1, "LPUSH ul foo");
    raw_read_expect(fd, "*2\r\n$2\r\nul\r\n$3\r\nfoo\r\n", 2000);
    close(fd);
    redisFree(c);
}

Test(blocking, ten_thousand_blocked_clients)
{
    enum { N = 10000 };
    redisContext *c = srv_connect(s);
    int *fds = malloc(sizeof(int) * N);
    char out[128];
    size_t n = resp_of(out, sizeof(out), "BRPOP jobs 0");
    long long mem0 = 0;
    {
        redisReply *r = cmd(c, "INFO memory");
        const char *p = strstr(r->str, "used_memory:");
        mem0 = p ? atoll(p + 12) : 0;
        freeReplyObject(r);
    }
    for (int i = 0; i < N; i++) {
        fds[i] = srv_raw_connect(s);
        cr_assert_eq(write(fds[i], out, n), (ssize_t)n);
    }
    wait_blocked(c, N);
    redisReply *r = cmd(c, "INFO memory");
    const char *p = strstr(r->str, "used_memory:");
    long long per_client = p ? (atoll(p + 12) - mem0) / N : 0;
    freeReplyObject(r);
    cr_assert(per_client < 64 * 1024, "%lld bytes per blocked client", per_client);
    /* One push serves them all, in order. */
    char *big = malloc(16 * N);
    size_t off = (size_t)sprintf(big, "*%d\r\n$5\r\nLPUSH\r\n$4\r\njobs\r\n", N + 2);
    for (int i = 0; i < N; i++)
        off += (size_t)sprintf(big + off, "$1\r\nx\r\n");
    redisAppendFormattedCommand(c, big, off);
    redisReply *rr = NULL;
    cr_assert_eq(redisGetReply(c, (void **)&rr), REDIS_OK);
    cr_assert_eq(rr->integer, N);
    freeReplyObject(rr);
    for (int i = 0; i < N; i += 997)
        raw_read_expect(fds[i], "*2\r\n$4\r\njobs\r\n$1\r\nx\r\n", 5000);
    wait_blocked(c, 0);
    expect_int(c, 0, "EXISTS jobs");
    for (int i = 0; i < N; i++)
        close(fds[i]);
    free(fds);
    free(big);
    redisFree(c);
}

/* A client unblocked (here by CLIENT UNBLOCK) whose next commands arrive in
 * the same loop turn runs them exactly once, in order, even when one of them
 * serves another waiter. */
Test(blocking, unblocked_client_with_input_in_the_same_turn)
{
    redisContext *c = srv_connect(s);
    int x = srv_raw_connect(s);
    long long xid = client_id_of(x);
    raw_send(x, "BLPOP kx 0");
    wait_blocked(c, 1);
    int y = block_client(c, "BLPOP ky 0");
    int p = srv_raw_connect(s);
    int sleeper = srv_raw_connect(s);
    raw_send(sleeper, "DEBUG SLEEP 0.2");
    usleep(50000);
    /* While the server sleeps: P unblocks X, and X's next commands serve Y. */
    char line[64];
    snprintf(line, sizeof(line), "CLIENT UNBLOCK %lld", xid);
    raw_send(p, line);
    usleep(10000);
    char out[512];
    size_t n = resp_of(out, sizeof(out), "RPUSH ky b");
    n += resp_of(out + n, sizeof(out) - n, "PING");
    n += resp_of(out + n, sizeof(out) - n, "ECHO done");
    cr_assert_eq(write(x, out, n), (ssize_t)n);
    raw_read_expect(sleeper, "+OK\r\n", 3000);
    raw_read_expect(p, ":1\r\n", 2000);
    raw_read_expect(x, "*-1\r\n:1\r\n+PONG\r\n$4\r\ndone\r\n", 2000);
    raw_read_expect(y, "*2\r\n$2\r\nky\r\n$1\r\nb\r\n", 2000);
    raw_expect_silence(x, 100);
    expect_int(c, 0, "EXISTS ky");
    close(x);
    close(y);
    close(p);
    close(sleeper);
    redisFree(c);
}

/* INFO counts clients with a deadline in clients_in_timeout_table; a served
 * blocking command reaches the slow log (after the push that served it) and
 * INFO commandstats once, as Redis's updateStatsOnUnblock does. */
Test(blocking, timeout_table_slowlog_and_commandstats)
{
    redisContext *c = srv_connect(s);
    expect_status(c, "OK", "CONFIG SET slowlog-log-slower-than 0");
    expect_status(c, "OK", "CONFIG RESETSTAT");
    int forever = block_client(c, "BLPOP sq 0");
    int timed = block_client(c, "BLPOP sq2 30");
    cr_assert_eq(info_field(c, "blocked_clients"), 2);
    cr_assert_eq(info_field(c, "clients_in_timeout_table"), 1);
    expect_status(c, "OK", "SLOWLOG RESET");
    expect_int(c, 1, "RPUSH sq job");
    raw_read_expect(forever, "*2\r\n$2\r\nsq\r\n$3\r\njob\r\n", 2000);
    redisReply *r = cmd(c, "SLOWLOG GET 2");
    cr_assert_eq(r->type, REDIS_REPLY_ARRAY);
    cr_assert_eq(r->elements, 2);
    redisReply *newest = r->element[0]->element[3], *older = r->element[1]->element[3];
    cr_assert_eq(newest->elements, 3);
    cr_assert_str_eq(newest->element[0]->str, "BLPOP");
    cr_assert_str_eq(newest->element[1]->str, "sq");
    cr_assert_str_eq(older->element[0]->str, "RPUSH");
    freeReplyObject(r);
    r = cmd(c, "INFO commandstats");
    cr_assert_not_null(strstr(r->str, "cmdstat_blpop:calls=1,"), "%s", r->str);
    freeReplyObject(r);
    close(timed);
    wait_blocked(c, 0);
    cr_assert_eq(info_field(c, "clients_in_timeout_table"), 0);
    expect_status(c, "OK", "CONFIG SET slowlog-log-slower-than 10000");
    close(forever);
    redisFree(c);
}
