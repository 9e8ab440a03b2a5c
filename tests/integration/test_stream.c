/* test_stream.c - the stream commands against a spawned server: exact
 * replies and errors as Redis 7.0.15 gives them.
 *
 * The table-like tests (one rx() per command) compare raw RESP bytes; their
 * expected replies were recorded from redis-server 7.0.15 running the same
 * commands.  Replies that carry times (idle, delivery and seen times) are
 * checked through hiredis with ranges.  Then: RESP3 shapes, blocking XREAD /
 * XREADGROUP (wake-ups, "$", timeouts, deletion, type change, XGROUP
 * DESTROY, RENAME, CLIENT UNBLOCK, arrival order, MULTI), keyspace
 * notifications and the AOF (what XADD / XREADGROUP / XCLAIM log). */
#include "harness.h"

#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static srv_handle *s;
static void setup(void)
{
    s = srv_start(NULL);
}
static void teardown(void)
{
    srv_stop(s);
}

TestSuite(stream, .init = setup, .fini = teardown, .timeout = 60);

/* RESP of a space-separated command line. */
static int build(char *out, size_t cap, const char *line)
{
    char *args[64], *save = NULL;
    char *copy = strdup(line);
    int n = 0;
    for (char *t = strtok_r(copy, " ", &save); t && n < 64; t = strtok_r(NULL, " ", &save))
        args[n++] = t;
    int off = snprintf(out, cap, "*%d\r\n", n);
    for (int i = 0; i < n; i++)
        off += snprintf(out + off, cap - (size_t)off, "$%zu\r\n%s\r\n", strlen(args[i]), args[i]);
    free(copy);
    return off;
}

/* Send a command line on fd and expect exactly the bytes `want`, nothing
 * more (a short poll checks that no extra bytes follow). */
static void rx(int fd, const char *want, const char *line)
{
    char out[8192];
    static char in[1 << 16];
    int off = build(out, sizeof(out), line);
    size_t wl = strlen(want);
    size_t got = raw_send_recv(fd, out, (size_t)off, in, wl, 3000);
    in[got] = '\0';
    cr_assert(got == wl && memcmp(in, want, wl) == 0, "%s:\n expected %s\n got      %s", line,
              want, in);
    struct pollfd p = {fd, POLLIN, 0};
    cr_assert_eq(poll(&p, 1, 0), 0, "%s: extra bytes after the reply", line);
}

/* Send without waiting for a reply (blocking commands). */
static void tx(int fd, const char *line)
{
    char out[8192];
    int off = build(out, sizeof(out), line);
    cr_assert_eq(write(fd, out, (size_t)off), off);
}

/* Read exactly `want` (within timeout_ms). */
static void expect_bytes(int fd, const char *want, int timeout_ms)
{
    static char in[1 << 16];
    size_t wl = strlen(want);
    size_t got = raw_send_recv(fd, "", 0, in, wl, timeout_ms);
    in[got] = '\0';
    cr_assert(got == wl && memcmp(in, want, wl) == 0, "expected %s\n got      %s", want, in);
}

/* Nothing arrives on fd within ms. */
static void expect_silence(int fd, int ms)
{
    struct pollfd p = {fd, POLLIN, 0};
    cr_assert_eq(poll(&p, 1, ms), 0, "unexpected reply");
}

static long long info_field(redisContext *c, const char *section, const char *field)
{
    redisReply *r = cmd(c, "INFO %s", section);
    char *p = strstr(r->str, field);
    cr_assert(p, "no %s in INFO", field);
    long long v = atoll(p + strlen(field) + 1);
    freeReplyObject(r);
    return v;
}

static void wait_blocked(redisContext *c, long long n)
{
    for (int i = 0; i < 200; i++) {
        if (info_field(c, "clients", "blocked_clients") == n)
            return;
        usleep(5000);
    }
    cr_assert_fail("blocked_clients never reached %lld", n);
}

Test(stream, xadd_ids_and_errors)
{
    int fd = srv_raw_connect(s);
    rx(fd, "$3\r\n1-1\r\n",
       "xadd s 1-1 a 1 b 2");
    rx(fd, "-ERR The ID specified in XADD is equal or smaller than the target stream top item\r\n",
       "xadd s 1-1 a 1");
    rx(fd, "-ERR The ID specified in XADD is equal or smaller than the target stream top item\r\n",
       "xadd s 1-0 a 1");
    rx(fd, "$3\r\n1-2\r\n",
       "xadd s 1-* a x");
    rx(fd, "$3\r\n2-0\r\n",
       "xadd s 2 c 3");
    rx(fd, "$3\r\n2-1\r\n",
       "xadd s 2-* c 3");
    rx(fd, "-ERR The ID specified in XADD must be greater than 0-0\r\n",
       "xadd s 0-0 a b");
    rx(fd, "-ERR The ID specified in XADD must be greater than 0-0\r\n",
       "xadd s2 0-0 a b");
    rx(fd, "$3\r\n0-1\r\n",
       "xadd s2 0-* a b");
    rx(fd, "$22\r\n5-18446744073709551615\r\n",
       "xadd s 5-18446744073709551615 f v");
    rx(fd, "-ERR Elements are too large to be stored\r\n",
       "xadd s 5-* f v");
    rx(fd, "$41\r\n18446744073709551615-18446744073709551615\r\n",
       "xadd s 18446744073709551615-18446744073709551615 f v");
    rx(fd, "-ERR The stream has exhausted the last possible ID, unable to add more items\r\n",
       "xadd s 18446744073709551615-* f v");
    rx(fd, ":6\r\n",
       "xlen s");
    rx(fd, "-ERR Invalid stream ID specified as stream command argument\r\n",
       "xadd s abc f v");
    rx(fd, "-ERR Invalid stream ID specified as stream command argument\r\n",
       "xadd s 1-x f v");
    rx(fd, "-ERR Invalid stream ID specified as stream command argument\r\n",
       "xadd s - f v");
    rx(fd, "-ERR Invalid stream ID specified as stream command argument\r\n",
       "xadd s + f v");
    rx(fd, "-ERR wrong number of arguments for 'xadd' command\r\n",
       "xadd s maxlen");
    rx(fd, "-ERR wrong number of arguments for 'xadd' command\r\n",
       "xadd s maxlen 2");
    rx(fd, "-ERR wrong number of arguments for 'xadd' command\r\n",
       "xadd s 6-0 f");
    rx(fd, "-ERR wrong number of arguments for 'xadd' command\r\n",
       "xadd s 6-0 f v g");
    rx(fd, "+OK\r\n",
       "set str x");
    rx(fd, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n",
       "xadd str 1-0 a b");
    rx(fd, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n",
       "xlen str");
    rx(fd, ":0\r\n",
       "xlen nokey");
    rx(fd, ":0\r\n",
       "exists s3");
    rx(fd, "$-1\r\n",
       "xadd s3 nomkstream 1-0 a b");
    rx(fd, ":0\r\n",
       "exists s3");
    close(fd);
}

Test(stream, xadd_trim_options)
{
    int fd = srv_raw_connect(s);
    rx(fd, "+OK\r\n",
       "config set stream-node-max-entries 10");
    rx(fd, "$3\r\n1-0\r\n",
       "xadd s maxlen 2 1-0 f v");
    rx(fd, "$3\r\n2-0\r\n",
       "xadd s maxlen 2 2-0 f v");
    rx(fd, "$3\r\n3-0\r\n",
       "xadd s maxlen 2 3-0 f v");
    rx(fd, "*2\r\n*2\r\n$3\r\n2-0\r\n*2\r\n$1\r\nf\r\n$1\r\nv\r\n*2\r\n$3\r\n3-0\r\n*2\r\n$1\r\n"
       "f\r\n$1\r\nv\r\n",
       "xrange s - +");
    rx(fd, "$3\r\n4-0\r\n",
       "xadd s minid 3 4-0 f v");
    rx(fd, "$3\r\n5-0\r\n",
       "xadd s minid 4-0 5-0 f v");
    rx(fd, "*2\r\n*2\r\n$3\r\n4-0\r\n*2\r\n$1\r\nf\r\n$1\r\nv\r\n*2\r\n$3\r\n5-0\r\n*2\r\n$1\r\n"
       "f\r\n$1\r\nv\r\n",
       "xrange s - +");
    rx(fd, "-ERR The MAXLEN argument must be >= 0.\r\n",
       "xadd s maxlen -1 6-0 f v");
    rx(fd, "-ERR value is not an integer or out of range\r\n",
       "xadd s maxlen x 6-0 f v");
    rx(fd, "-ERR Invalid stream ID specified as stream command argument\r\n",
       "xadd s minid x 6-0 f v");
    rx(fd, "-ERR syntax error, MAXLEN and MINID options at the same time are not compatible\r\n",
       "xadd s maxlen 1 minid 1 6-0 f v");
    rx(fd, "-ERR syntax error, LIMIT cannot be used without specifying a trimming strategy\r\n",
       "xadd s limit 10 6-0 f v");
    rx(fd, "-ERR syntax error, LIMIT cannot be used without the special ~ option\r\n",
       "xadd s maxlen 1 limit 10 6-0 f v");
    rx(fd, "-ERR The LIMIT argument must be >= 0.\r\n",
       "xadd s maxlen ~ 1 limit -1 6-0 f v");
    rx(fd, "$3\r\n6-0\r\n",
       "xadd s maxlen = 1 6-0 f v");
    rx(fd, "-ERR syntax error, MAXLEN and MINID options at the same time are not compatible\r\n",
       "xadd s nomkstream maxlen ~ 100 minid 5 7-0 f v");
    rx(fd, "$3\r\n7-0\r\n",
       "xadd s MAXLEN ~ 3 LIMIT 0 7-0 f v");
    rx(fd, ":2\r\n",
       "xlen s");
    close(fd);
}

Test(stream, xadd_approx_trim_whole_nodes)
{
    int fd = srv_raw_connect(s);
    rx(fd, "+OK\r\n",
       "config set stream-node-max-entries 10");
    rx(fd, "$3\r\n1-0\r\n",
       "xadd s 1 f v");
    rx(fd, "$3\r\n2-0\r\n",
       "xadd s 2 f v");
    rx(fd, "$3\r\n3-0\r\n",
       "xadd s 3 f v");
    rx(fd, "$3\r\n4-0\r\n",
       "xadd s 4 f v");
    rx(fd, "$3\r\n5-0\r\n",
       "xadd s 5 f v");
    rx(fd, "$3\r\n6-0\r\n",
       "xadd s 6 f v");
    rx(fd, "$3\r\n7-0\r\n",
       "xadd s 7 f v");
    rx(fd, "$3\r\n8-0\r\n",
       "xadd s 8 f v");
    rx(fd, "$3\r\n9-0\r\n",
       "xadd s 9 f v");
    rx(fd, "$4\r\n10-0\r\n",
       "xadd s 10 f v");
    rx(fd, "$4\r\n11-0\r\n",
       "xadd s 11 f v");
    rx(fd, "$4\r\n12-0\r\n",
       "xadd s 12 f v");
    rx(fd, "$4\r\n13-0\r\n",
       "xadd s maxlen ~ 5 13 f v");
    rx(fd, ":13\r\n",
       "xlen s");
    rx(fd, "$4\r\n14-0\r\n",
       "xadd s maxlen ~ 1 limit 1 14 f v");
    rx(fd, ":14\r\n",
       "xlen s");
    rx(fd, "$4\r\n15-0\r\n",
       "xadd s minid ~ 12 15 f v");
    rx(fd, "*1\r\n*2\r\n$4\r\n11-0\r\n*2\r\n$1\r\nf\r\n$1\r\nv\r\n",
       "xrange s - + count 1");
    rx(fd, "*20\r\n$6\r\nlength\r\n:5\r\n$15\r\nradix-tree-keys\r\n:1\r\n$16\r\n"
           "radix-tree-nodes\r\n"
       ":2\r\n$17\r\nlast-generated-id\r\n$4\r\n15-0\r\n$20\r\nmax-deleted-entry-id\r\n$3\r\n"
       "0-0\r\n$13\r\nentries-added\r\n:15\r\n$23\r\nrecorded-first-entry-id\r\n$4\r\n11-0\r\n"
       "$6\r\ngroups\r\n:0\r\n$11\r\nfirst-entry\r\n*2\r\n$4\r\n11-0\r\n*2\r\n$1\r\nf\r\n$1\r\n"
       "v\r\n$10\r\nlast-entry\r\n*2\r\n$4\r\n15-0\r\n*2\r\n$1\r\nf\r\n$1\r\nv\r\n",
       "xinfo stream s");
    close(fd);
}

Test(stream, xrange_and_xrevrange)
{
    int fd = srv_raw_connect(s);
    rx(fd, "$3\r\n1-0\r\n",
       "xadd s 1-0 a 1");
    rx(fd, "$3\r\n1-1\r\n",
       "xadd s 1-1 b 2");
    rx(fd, "$3\r\n2-0\r\n",
       "xadd s 2-0 c 3 d 4");
    rx(fd, "$3\r\n3-5\r\n",
       "xadd s 3-5 e 5");
    rx(fd, "*4\r\n*2\r\n$3\r\n1-0\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n*2\r\n$3\r\n1-1\r\n*2\r\n$1\r\n"
       "b\r\n$1\r\n2\r\n*2\r\n$3\r\n2-0\r\n*4\r\n$1\r\nc\r\n$1\r\n3\r\n$1\r\nd\r\n$1\r\n4\r\n"
       "*2\r\n$3\r\n3-5\r\n*2\r\n$1\r\ne\r\n$1\r\n5\r\n",
       "xrange s - +");
    rx(fd, "*4\r\n*2\r\n$3\r\n3-5\r\n*2\r\n$1\r\ne\r\n$1\r\n5\r\n*2\r\n$3\r\n2-0\r\n*4\r\n$1\r\n"
       "c\r\n$1\r\n3\r\n$1\r\nd\r\n$1\r\n4\r\n*2\r\n$3\r\n1-1\r\n*2\r\n$1\r\nb\r\n$1\r\n2\r\n"
       "*2\r\n$3\r\n1-0\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n",
       "xrevrange s + -");
    rx(fd, "*2\r\n*2\r\n$3\r\n1-0\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n*2\r\n$3\r\n1-1\r\n*2\r\n$1\r\n"
       "b\r\n$1\r\n2\r\n",
       "xrange s - + count 2");
    rx(fd, "*2\r\n*2\r\n$3\r\n3-5\r\n*2\r\n$1\r\ne\r\n$1\r\n5\r\n*2\r\n$3\r\n2-0\r\n*4\r\n$1\r\n"
       "c\r\n$1\r\n3\r\n$1\r\nd\r\n$1\r\n4\r\n",
       "xrevrange s + - count 2");
    rx(fd, "*-1\r\n",
       "xrange s - + count 0");
    rx(fd, "*-1\r\n",
       "xrange s - + count -1");
    rx(fd, "*2\r\n*2\r\n$3\r\n1-0\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n*2\r\n$3\r\n1-1\r\n*2\r\n$1\r\n"
       "b\r\n$1\r\n2\r\n",
       "xrange s 1 1");
    rx(fd, "*2\r\n*2\r\n$3\r\n1-1\r\n*2\r\n$1\r\nb\r\n$1\r\n2\r\n*2\r\n$3\r\n1-0\r\n*2\r\n$1\r\n"
       "a\r\n$1\r\n1\r\n",
       "xrevrange s 1 1");
    rx(fd, "*3\r\n*2\r\n$3\r\n1-1\r\n*2\r\n$1\r\nb\r\n$1\r\n2\r\n*2\r\n$3\r\n2-0\r\n*4\r\n$1\r\n"
       "c\r\n$1\r\n3\r\n$1\r\nd\r\n$1\r\n4\r\n*2\r\n$3\r\n3-5\r\n*2\r\n$1\r\ne\r\n$1\r\n5\r\n",
       "xrange s (1-0 +");
    rx(fd, "*3\r\n*2\r\n$3\r\n1-0\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n*2\r\n$3\r\n1-1\r\n*2\r\n$1\r\n"
       "b\r\n$1\r\n2\r\n*2\r\n$3\r\n2-0\r\n*4\r\n$1\r\nc\r\n$1\r\n3\r\n$1\r\nd\r\n$1\r\n4\r\n",
       "xrange s - (3-5");
    rx(fd, "*1\r\n*2\r\n$3\r\n2-0\r\n*4\r\n$1\r\nc\r\n$1\r\n3\r\n$1\r\nd\r\n$1\r\n4\r\n",
       "xrange s (1-1 (3-5");
    rx(fd, "*2\r\n*2\r\n$3\r\n2-0\r\n*4\r\n$1\r\nc\r\n$1\r\n3\r\n$1\r\nd\r\n$1\r\n4\r\n*2\r\n"
           "$3\r\n"
       "1-1\r\n*2\r\n$1\r\nb\r\n$1\r\n2\r\n",
       "xrevrange s (3-5 (1-0");
    rx(fd, "*2\r\n*2\r\n$3\r\n2-0\r\n*4\r\n$1\r\nc\r\n$1\r\n3\r\n$1\r\nd\r\n$1\r\n4\r\n*2\r\n"
           "$3\r\n"
       "3-5\r\n*2\r\n$1\r\ne\r\n$1\r\n5\r\n",
       "xrange s 2 +");
    rx(fd, "*0\r\n",
       "xrange s 3-6 +");
    rx(fd, "-ERR Invalid stream ID specified as stream command argument\r\n",
       "xrange s (- +");
    rx(fd, "-ERR Invalid stream ID specified as stream command argument\r\n",
       "xrange s - (+");
    rx(fd, "-ERR invalid start ID for the interval\r\n",
       "xrange s (18446744073709551615-18446744073709551615 +");
    rx(fd, "-ERR invalid end ID for the interval\r\n",
       "xrange s - (0-0");
    rx(fd, "-ERR Invalid stream ID specified as stream command argument\r\n",
       "xrange s abc +");
    rx(fd, "-ERR Invalid stream ID specified as stream command argument\r\n",
       "xrange s - abc");
    rx(fd, "-ERR syntax error\r\n",
       "xrange s - + foo");
    rx(fd, "-ERR syntax error\r\n",
       "xrange s - + count");
    rx(fd, "-ERR value is not an integer or out of range\r\n",
       "xrange s - + count x");
    rx(fd, "*0\r\n",
       "xrange nokey - +");
    rx(fd, "*0\r\n",
       "xrange nokey - + count 0");
    rx(fd, "+OK\r\n",
       "set str v");
    rx(fd, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n",
       "xrange str - +");
    rx(fd, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n",
       "xrevrange str + -");
    close(fd);
}

Test(stream, xdel_and_tombstones)
{
    int fd = srv_raw_connect(s);
    rx(fd, "$3\r\n1-0\r\n",
       "xadd s 1-0 a 1");
    rx(fd, "$3\r\n2-0\r\n",
       "xadd s 2-0 b 2");
    rx(fd, "$3\r\n3-0\r\n",
       "xadd s 3-0 c 3");
    rx(fd, ":1\r\n",
       "xdel s 2-0 9-0 2-0");
    rx(fd, ":0\r\n",
       "xdel s 2-0");
    rx(fd, "-ERR Invalid stream ID specified as stream command argument\r\n",
       "xdel s x");
    rx(fd, ":0\r\n",
       "xdel nokey 1-0");
    rx(fd, "*2\r\n*2\r\n$3\r\n1-0\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n*2\r\n$3\r\n3-0\r\n*2\r\n$1\r\n"
       "c\r\n$1\r\n3\r\n",
       "xrange s - +");
    rx(fd, "*2\r\n*2\r\n$3\r\n3-0\r\n*2\r\n$1\r\nc\r\n$1\r\n3\r\n*2\r\n$3\r\n1-0\r\n*2\r\n$1\r\n"
       "a\r\n$1\r\n1\r\n",
       "xrevrange s + -");
    rx(fd, ":2\r\n",
       "xlen s");
    rx(fd, ":2\r\n",
       "xdel s 1-0 3-0");
    rx(fd, ":0\r\n",
       "xlen s");
    rx(fd, ":1\r\n",
       "exists s");
    rx(fd, "*20\r\n$6\r\nlength\r\n:0\r\n$15\r\nradix-tree-keys\r\n:0\r\n$16\r\n"
           "radix-tree-nodes\r\n"
       ":1\r\n$17\r\nlast-generated-id\r\n$3\r\n3-0\r\n$20\r\nmax-deleted-entry-id\r\n$3\r\n"
       "3-0\r\n$13\r\nentries-added\r\n:3\r\n$23\r\nrecorded-first-entry-id\r\n$3\r\n0-0\r\n"
       "$6\r\ngroups\r\n:0\r\n$11\r\nfirst-entry\r\n$-1\r\n$10\r\nlast-entry\r\n$-1\r\n",
       "xinfo stream s");
    rx(fd, "-ERR The ID specified in XADD is equal or smaller than the target stream top item\r\n",
       "xadd s 2-0 z z");
    rx(fd, "$3\r\n4-0\r\n",
       "xadd s 4-0 z z");
    rx(fd, "*1\r\n*2\r\n$3\r\n4-0\r\n*2\r\n$1\r\nz\r\n$1\r\nz\r\n",
       "xrange s - +");
    close(fd);
}

Test(stream, xtrim_forms)
{
    int fd = srv_raw_connect(s);
    rx(fd, "+OK\r\n",
       "config set stream-node-max-entries 10");
    rx(fd, "$3\r\n1-0\r\n",
       "xadd s 1 f v");
    rx(fd, "$3\r\n2-0\r\n",
       "xadd s 2 f v");
    rx(fd, "$3\r\n3-0\r\n",
       "xadd s 3 f v");
    rx(fd, "$3\r\n4-0\r\n",
       "xadd s 4 f v");
    rx(fd, "$3\r\n5-0\r\n",
       "xadd s 5 f v");
    rx(fd, "$3\r\n6-0\r\n",
       "xadd s 6 f v");
    rx(fd, "$3\r\n7-0\r\n",
       "xadd s 7 f v");
    rx(fd, "$3\r\n8-0\r\n",
       "xadd s 8 f v");
    rx(fd, "$3\r\n9-0\r\n",
       "xadd s 9 f v");
    rx(fd, "$4\r\n10-0\r\n",
       "xadd s 10 f v");
    rx(fd, "$4\r\n11-0\r\n",
       "xadd s 11 f v");
    rx(fd, "$4\r\n12-0\r\n",
       "xadd s 12 f v");
    rx(fd, "$4\r\n13-0\r\n",
       "xadd s 13 f v");
    rx(fd, "$4\r\n14-0\r\n",
       "xadd s 14 f v");
    rx(fd, "$4\r\n15-0\r\n",
       "xadd s 15 f v");
    rx(fd, ":0\r\n",
       "xtrim s maxlen ~ 12");
    rx(fd, ":15\r\n",
       "xlen s");
    rx(fd, ":3\r\n",
       "xtrim s maxlen 12");
    rx(fd, "*2\r\n*2\r\n$3\r\n4-0\r\n*2\r\n$1\r\nf\r\n$1\r\nv\r\n*2\r\n$3\r\n5-0\r\n*2\r\n$1\r\n"
       "f\r\n$1\r\nv\r\n",
       "xrange s - + count 2");
    rx(fd, ":2\r\n",
       "xtrim s minid 6");
    rx(fd, "*1\r\n*2\r\n$3\r\n6-0\r\n*2\r\n$1\r\nf\r\n$1\r\nv\r\n",
       "xrange s - + count 1");
    rx(fd, ":5\r\n",
       "xtrim s minid ~ 12");
    rx(fd, ":0\r\n",
       "xtrim s maxlen 100");
    rx(fd, "-ERR wrong number of arguments for 'xtrim' command\r\n",
       "xtrim s");
    rx(fd, "-ERR wrong number of arguments for 'xtrim' command\r\n",
       "xtrim s foo");
    rx(fd, "-ERR syntax error, LIMIT cannot be used without specifying a trimming strategy\r\n",
       "xtrim s limit 10");
    rx(fd, "-ERR syntax error, LIMIT cannot be used without the special ~ option\r\n",
       "xtrim s maxlen 5 limit 10");
    rx(fd, "-ERR value is not an integer or out of range\r\n",
       "xtrim s maxlen ~ 5 limit x");
    rx(fd, "-ERR The MAXLEN argument must be >= 0.\r\n",
       "xtrim s maxlen -1");
    rx(fd, "-ERR syntax error, MAXLEN and MINID options at the same time are not compatible\r\n",
       "xtrim s maxlen 1 minid 5");
    rx(fd, ":5\r\n",
       "xtrim s maxlen = 0");
    rx(fd, ":0\r\n",
       "xlen s");
    rx(fd, ":0\r\n",
       "xtrim nokey maxlen 0");
    rx(fd, "+OK\r\n",
       "set str v");
    rx(fd, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n",
       "xtrim str maxlen 0");
    close(fd);
}

Test(stream, xsetid_rules)
{
    int fd = srv_raw_connect(s);
    rx(fd, "-ERR no such key\r\n",
       "xsetid nokey 1-0");
    rx(fd, "$3\r\n5-0\r\n",
       "xadd s 5-0 f v");
    rx(fd, "-ERR The ID specified in XSETID is smaller than the target stream top item\r\n",
       "xsetid s 4-0");
    rx(fd, "+OK\r\n",
       "xsetid s 5-0");
    rx(fd, "-ERR The entries_added specified in XSETID is smaller than the target stream "
           "length\r\n",
       "xsetid s 10-0 entriesadded 0");
    rx(fd, "-ERR entries_added must be positive\r\n",
       "xsetid s 10-0 entriesadded -1");
    rx(fd, "-ERR The ID specified in XSETID is smaller than the provided max_deleted_entry_id\r\n",
       "xsetid s 10-0 maxdeletedid 11-0");
    rx(fd, "-ERR Invalid stream ID specified as stream command argument\r\n",
       "xsetid s 10-0 maxdeletedid x");
    rx(fd, "-ERR syntax error\r\n",
       "xsetid s 10-0 entriesadded");
    rx(fd, "-ERR syntax error\r\n",
       "xsetid s 10-0 foo");
    rx(fd, "-ERR Invalid stream ID specified as stream command argument\r\n",
       "xsetid s x");
    rx(fd, "-ERR Invalid stream ID specified as stream command argument\r\n",
       "xsetid s + ");
    rx(fd, "+OK\r\n",
       "xsetid s 10-0 entriesadded 7 maxdeletedid 3-0");
    rx(fd, "*20\r\n$6\r\nlength\r\n:1\r\n$15\r\nradix-tree-keys\r\n:1\r\n$16\r\n"
           "radix-tree-nodes\r\n"
       ":2\r\n$17\r\nlast-generated-id\r\n$4\r\n10-0\r\n$20\r\nmax-deleted-entry-id\r\n$3\r\n"
       "3-0\r\n$13\r\nentries-added\r\n:7\r\n$23\r\nrecorded-first-entry-id\r\n$3\r\n5-0\r\n"
       "$6\r\ngroups\r\n:0\r\n$11\r\nfirst-entry\r\n*2\r\n$3\r\n5-0\r\n*2\r\n$1\r\nf\r\n$1\r\n"
       "v\r\n$10\r\nlast-entry\r\n*2\r\n$3\r\n5-0\r\n*2\r\n$1\r\nf\r\n$1\r\nv\r\n",
       "xinfo stream s");
    rx(fd, "-ERR The ID specified in XADD is equal or smaller than the target stream top item\r\n",
       "xadd s 9-0 f v");
    rx(fd, "-ERR The ID specified in XADD is equal or smaller than the target stream top item\r\n",
       "xadd s 10-0 f v");
    rx(fd, "$4\r\n10-1\r\n",
       "xadd s 10-* f v");
    rx(fd, ":2\r\n",
       "xdel s 5-0 10-0 10-1");
    rx(fd, "+OK\r\n",
       "xsetid s 1-0");
    rx(fd, "*20\r\n$6\r\nlength\r\n:0\r\n$15\r\nradix-tree-keys\r\n:0\r\n$16\r\n"
           "radix-tree-nodes\r\n"
       ":1\r\n$17\r\nlast-generated-id\r\n$3\r\n1-0\r\n$20\r\nmax-deleted-entry-id\r\n$4\r\n"
       "10-1\r\n$13\r\nentries-added\r\n:8\r\n$23\r\nrecorded-first-entry-id\r\n$3\r\n0-0\r\n"
       "$6\r\ngroups\r\n:0\r\n$11\r\nfirst-entry\r\n$-1\r\n$10\r\nlast-entry\r\n$-1\r\n",
       "xinfo stream s");
    rx(fd, "+OK\r\n",
       "set str v");
    rx(fd, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n",
       "xsetid str 1-0");
    close(fd);
}

Test(stream, xgroup_subcommands)
{
    int fd = srv_raw_connect(s);
    rx(fd, "-ERR The XGROUP subcommand requires the key to exist. Note that for CREATE you may "
           "want to use the MKSTREAM option to create an empty stream automatically.\r\n",
       "xgroup create s g $");
    rx(fd, "+OK\r\n",
       "xgroup create s g $ mkstream");
    rx(fd, "-BUSYGROUP Consumer Group name already exists\r\n",
       "xgroup create s g $ mkstream");
    rx(fd, "+OK\r\n",
       "xgroup create s g2 0 entriesread 5");
    rx(fd, "-ERR value for ENTRIESREAD must be positive or -1\r\n",
       "xgroup create s g3 0 entriesread -2");
    rx(fd, "+OK\r\n",
       "xgroup create s g3 0 entriesread -1");
    rx(fd, "-ERR value is not an integer or out of range\r\n",
       "xgroup create s g4 0 entriesread x");
    rx(fd, "-ERR unknown subcommand or wrong number of arguments for 'create'. Try XGROUP "
           "HELP.\r\n",
       "xgroup create s g4 0 foo");
    rx(fd, "-ERR Invalid stream ID specified as stream command argument\r\n",
       "xgroup create s g4 abc");
    rx(fd, "-ERR Invalid stream ID specified as stream command argument\r\n",
       "xgroup create s g4 + ");
    rx(fd, "-ERR unknown subcommand or wrong number of arguments for 'create'. Try XGROUP "
           "HELP.\r\n",
       "xgroup create s g4 0 mkstream mkstream mkstream mkstream");
    rx(fd, "-ERR wrong number of arguments for 'xgroup|create' command\r\n",
       "xgroup create s g4");
    rx(fd, "-ERR unknown subcommand or wrong number of arguments for 'setid'. Try XGROUP "
           "HELP.\r\n",
       "xgroup setid s g 0 mkstream");
    rx(fd, "-NOGROUP No such consumer group 'nog' for key name 's'\r\n",
       "xgroup setid s nog 0");
    rx(fd, "+OK\r\n",
       "xgroup setid s g -");
    rx(fd, "+OK\r\n",
       "xgroup setid s g + entriesread 3");
    rx(fd, "-ERR Invalid stream ID specified as stream command argument\r\n",
       "xgroup setid s g abc");
    rx(fd, "-ERR unknown subcommand or wrong number of arguments for 'setid'. Try XGROUP "
           "HELP.\r\n",
       "xgroup setid s g 0 entriesread");
    rx(fd, "-ERR unknown subcommand or wrong number of arguments for 'setid'. Try XGROUP "
           "HELP.\r\n",
       "xgroup setid s g 0 entriesread 1 entriesread 2");
    rx(fd, "-ERR The XGROUP subcommand requires the key to exist. Note that for CREATE you may "
           "want to use the MKSTREAM option to create an empty stream automatically.\r\n",
       "xgroup setid nokey g 0");
    rx(fd, ":1\r\n",
       "xgroup createconsumer s g alice");
    rx(fd, ":0\r\n",
       "xgroup createconsumer s g alice");
    rx(fd, "-NOGROUP No such consumer group 'nog' for key name 's'\r\n",
       "xgroup createconsumer s nog alice");
    rx(fd, "-ERR wrong number of arguments for 'xgroup|createconsumer' command\r\n",
       "xgroup createconsumer s g");
    rx(fd, ":0\r\n",
       "xgroup delconsumer s g bob");
    rx(fd, ":0\r\n",
       "xgroup delconsumer s g alice");
    rx(fd, "-NOGROUP No such consumer group 'nog' for key name 's'\r\n",
       "xgroup delconsumer s nog alice");
    rx(fd, ":1\r\n",
       "xgroup destroy s g2");
    rx(fd, ":0\r\n",
       "xgroup destroy s g2");
    rx(fd, "-ERR The XGROUP subcommand requires the key to exist. Note that for CREATE you may "
           "want to use the MKSTREAM option to create an empty stream automatically.\r\n",
       "xgroup destroy nokey g2");
    rx(fd, "-ERR wrong number of arguments for 'xgroup|destroy' command\r\n",
       "xgroup destroy s");
    rx(fd, "*17\r\n+XGROUP <subcommand> [<arg> [value] [opt] ...]. Subcommands are:\r\n"
       "+CREATE <key> <groupname> <id|$> [option]\r\n"
       "+    Create a new consumer group. Options are:\r\n+    * MKSTREAM\r\n"
       "+      Create the empty stream if it does not exist.\r\n"
       "+    * ENTRIESREAD entries_read\r\n"
       "+      Set the group's entries_read counter (internal use).\r\n"
       "+CREATECONSUMER <key> <groupname> <consumer>\r\n"
       "+    Create a new consumer in the specified group.\r\n"
       "+DELCONSUMER <key> <groupname> <consumer>\r\n+    Remove the specified consumer.\r\n"
       "+DESTROY <key> <groupname>\r\n+    Remove the specified group.\r\n"
       "+SETID <key> <groupname> <id|$> [ENTRIESREAD entries_read]\r\n"
       "+    Set the current group ID and entries_read counter.\r\n+HELP\r\n"
       "+    Prints this help.\r\n",
       "xgroup help");
    rx(fd, "-ERR wrong number of arguments for 'xgroup|help' command\r\n",
       "xgroup help x");
    rx(fd, "-ERR unknown subcommand 'foo'. Try XGROUP HELP.\r\n",
       "xgroup foo");
    rx(fd, "-ERR wrong number of arguments for 'xgroup' command\r\n",
       "xgroup");
    rx(fd, "-ERR The XGROUP subcommand requires the key to exist. Note that for CREATE you may "
           "want to use the MKSTREAM option to create an empty stream automatically.\r\n",
       "xgroup create nokey g 0");
    rx(fd, "+OK\r\n",
       "set str v");
    rx(fd, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n",
       "xgroup create str g 0");
    rx(fd, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n",
       "xgroup create str g 0 mkstream");
    rx(fd, "*2\r\n*12\r\n$4\r\nname\r\n$1\r\ng\r\n$9\r\nconsumers\r\n:0\r\n$7\r\npending\r\n:0\r\n"
       "$17\r\nlast-delivered-id\r\n$41\r\n18446744073709551615-18446744073709551615\r\n$12\r\n"
       "entries-read\r\n:3\r\n$3\r\nlag\r\n:0\r\n*12\r\n$4\r\nname\r\n$2\r\ng3\r\n$9\r\n"
       "consumers\r\n:0\r\n$7\r\npending\r\n:0\r\n$17\r\nlast-delivered-id\r\n$3\r\n0-0\r\n"
       "$12\r\nentries-read\r\n$-1\r\n$3\r\nlag\r\n:0\r\n",
       "xinfo groups s");
    close(fd);
}

Test(stream, xreadgroup_ack_pending)
{
    int fd = srv_raw_connect(s);
    rx(fd, "$3\r\n1-0\r\n",
       "xadd s 1-0 f v1");
    rx(fd, "$3\r\n2-0\r\n",
       "xadd s 2-0 f v2");
    rx(fd, "$3\r\n3-0\r\n",
       "xadd s 3-0 f v3");
    rx(fd, "+OK\r\n",
       "xgroup create s g 0");
    rx(fd, "*1\r\n*2\r\n$1\r\ns\r\n*1\r\n*2\r\n$3\r\n1-0\r\n*2\r\n$1\r\nf\r\n$2\r\nv1\r\n",
       "xreadgroup group g alice count 1 streams s >");
    rx(fd, "*1\r\n*2\r\n$1\r\ns\r\n*2\r\n*2\r\n$3\r\n2-0\r\n*2\r\n$1\r\nf\r\n$2\r\nv2\r\n*2\r\n"
       "$3\r\n3-0\r\n*2\r\n$1\r\nf\r\n$2\r\nv3\r\n",
       "xreadgroup group g bob streams s >");
    rx(fd, "*-1\r\n",
       "xreadgroup group g bob streams s >");
    rx(fd, "*1\r\n*2\r\n$1\r\ns\r\n*2\r\n*2\r\n$3\r\n2-0\r\n*2\r\n$1\r\nf\r\n$2\r\nv2\r\n*2\r\n"
       "$3\r\n3-0\r\n*2\r\n$1\r\nf\r\n$2\r\nv3\r\n",
       "xreadgroup group g bob streams s 0");
    rx(fd, "*1\r\n*2\r\n$1\r\ns\r\n*1\r\n*2\r\n$3\r\n3-0\r\n*2\r\n$1\r\nf\r\n$2\r\nv3\r\n",
       "xreadgroup group g bob streams s 2-0");
    rx(fd, "*1\r\n*2\r\n$1\r\ns\r\n*1\r\n*2\r\n$3\r\n2-0\r\n*2\r\n$1\r\nf\r\n$2\r\nv2\r\n",
       "xreadgroup group g bob count 1 streams s 0");
    rx(fd, "*1\r\n*2\r\n$1\r\ns\r\n*1\r\n*2\r\n$3\r\n1-0\r\n*2\r\n$1\r\nf\r\n$2\r\nv1\r\n",
       "xreadgroup group g alice streams s 0");
    rx(fd, "*1\r\n*2\r\n$1\r\ns\r\n*0\r\n",
       "xreadgroup group g carol streams s 0");
    rx(fd, "*4\r\n:3\r\n$3\r\n1-0\r\n$3\r\n3-0\r\n*2\r\n*2\r\n$5\r\nalice\r\n$1\r\n1\r\n*2\r\n"
           "$3\r\n"
       "bob\r\n$1\r\n2\r\n",
       "xpending s g");
    rx(fd, "*0\r\n",
       "xpending s g idle 100000000 - + 10");
    rx(fd, "*0\r\n",
       "xpending s g - + 0");
    rx(fd, ":2\r\n",
       "xack s g 1-0 2-0 9-0");
    rx(fd, ":0\r\n",
       "xack s g 1-0");
    rx(fd, "-ERR Invalid stream ID specified as stream command argument\r\n",
       "xack s g x");
    rx(fd, "-ERR Invalid stream ID specified as stream command argument\r\n",
       "xack s g 1-0 x");
    rx(fd, ":0\r\n",
       "xack s nog 1-0");
    rx(fd, ":0\r\n",
       "xack nokey g 1-0");
    rx(fd, "*4\r\n:1\r\n$3\r\n3-0\r\n$3\r\n3-0\r\n*1\r\n*2\r\n$3\r\nbob\r\n$1\r\n1\r\n",
       "xpending s g");
    rx(fd, "*1\r\n*2\r\n$1\r\ns\r\n*1\r\n*2\r\n$3\r\n3-0\r\n*2\r\n$1\r\nf\r\n$2\r\nv3\r\n",
       "xreadgroup group g bob streams s 0");
    rx(fd, "*-1\r\n",
       "xreadgroup group g bob noack streams s >");
    rx(fd, "$3\r\n4-0\r\n",
       "xadd s 4-0 f v4");
    rx(fd, "*1\r\n*2\r\n$1\r\ns\r\n*1\r\n*2\r\n$3\r\n4-0\r\n*2\r\n$1\r\nf\r\n$2\r\nv4\r\n",
       "xreadgroup group g bob noack streams s >");
    rx(fd, "*4\r\n:1\r\n$3\r\n3-0\r\n$3\r\n3-0\r\n*1\r\n*2\r\n$3\r\nbob\r\n$1\r\n1\r\n",
       "xpending s g");
    rx(fd, "*1\r\n*12\r\n$4\r\nname\r\n$1\r\ng\r\n$9\r\nconsumers\r\n:3\r\n$7\r\npending\r\n:1\r\n"
       "$17\r\nlast-delivered-id\r\n$3\r\n4-0\r\n$12\r\nentries-read\r\n:4\r\n$3\r\nlag\r\n"
       ":0\r\n",
       "xinfo groups s");
    rx(fd, "-ERR The $ ID is meaningless in the context of XREADGROUP: you want to read the "
           "history of this consumer by specifying a proper ID, or use the > ID to get new "
           "messages. The $ ID would just return an empty result set.\r\n",
       "xreadgroup group g bob streams s $");
    rx(fd, "-ERR wrong number of arguments for 'xreadgroup' command\r\n",
       "xreadgroup group g bob streams s");
    rx(fd, "-NOGROUP No such key 's' or consumer group 'nog' in XREADGROUP with GROUP option\r\n",
       "xreadgroup group nog bob streams s >");
    rx(fd, "-NOGROUP No such key 'nokey' or consumer group 'g' in XREADGROUP with GROUP "
           "option\r\n",
       "xreadgroup group g bob streams nokey >");
    rx(fd, "-ERR wrong number of arguments for 'xreadgroup' command\r\n",
       "xreadgroup streams s >");
    rx(fd, "-ERR timeout is not an integer or out of range\r\n",
       "xreadgroup group g bob block x streams s >");
    rx(fd, "-ERR value is not an integer or out of range\r\n",
       "xreadgroup group g bob count x streams s >");
    rx(fd, "-ERR Invalid stream ID specified as stream command argument\r\n",
       "xreadgroup group g bob streams s abc");
    rx(fd, "-NOGROUP No such key 's' or consumer group 'nog'\r\n",
       "xpending s nog");
    rx(fd, "-NOGROUP No such key 'nokey' or consumer group 'g'\r\n",
       "xpending nokey g");
    rx(fd, "-ERR value is not an integer or out of range\r\n",
       "xpending s g - + x");
    rx(fd, "-ERR Invalid stream ID specified as stream command argument\r\n",
       "xpending s g x + 1");
    rx(fd, "-ERR Invalid stream ID specified as stream command argument\r\n",
       "xpending s g - x 1");
    rx(fd, "-ERR Invalid stream ID specified as stream command argument\r\n",
       "xpending s g (- + 1");
    rx(fd, "-ERR value is not an integer or out of range\r\n",
       "xpending s g idle x - + 1");
    rx(fd, "-ERR syntax error\r\n",
       "xpending s g idle 0");
    rx(fd, "-ERR syntax error\r\n",
       "xpending s g idle 0 - +");
    rx(fd, "-ERR syntax error\r\n",
       "xpending s g - +");
    rx(fd, "-ERR syntax error\r\n",
       "xpending s g - + 1 c d e f");
    rx(fd, "+OK\r\n",
       "set str v");
    rx(fd, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n",
       "xreadgroup group g bob streams str >");
    rx(fd, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n",
       "xpending str g");
    rx(fd, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n",
       "xack str g 1-0");
    close(fd);
}

Test(stream, xread_plain)
{
    int fd = srv_raw_connect(s);
    rx(fd, "$3\r\n1-0\r\n",
       "xadd s 1-0 f v1");
    rx(fd, "$3\r\n2-0\r\n",
       "xadd s 2-0 f v2");
    rx(fd, "$3\r\n1-0\r\n",
       "xadd t 1-0 g w");
    rx(fd, "*1\r\n*2\r\n$1\r\ns\r\n*2\r\n*2\r\n$3\r\n1-0\r\n*2\r\n$1\r\nf\r\n$2\r\nv1\r\n*2\r\n"
       "$3\r\n2-0\r\n*2\r\n$1\r\nf\r\n$2\r\nv2\r\n",
       "xread streams s 0");
    rx(fd, "*2\r\n*2\r\n$1\r\ns\r\n*1\r\n*2\r\n$3\r\n1-0\r\n*2\r\n$1\r\nf\r\n$2\r\nv1\r\n*2\r\n"
       "$1\r\nt\r\n*1\r\n*2\r\n$3\r\n1-0\r\n*2\r\n$1\r\ng\r\n$1\r\nw\r\n",
       "xread count 1 streams s t 0 0");
    rx(fd, "*-1\r\n",
       "xread streams s t 2 1");
    rx(fd, "*-1\r\n",
       "xread streams s $");
    rx(fd, "*1\r\n*2\r\n$1\r\ns\r\n*2\r\n*2\r\n$3\r\n1-0\r\n*2\r\n$1\r\nf\r\n$2\r\nv1\r\n*2\r\n"
       "$3\r\n2-0\r\n*2\r\n$1\r\nf\r\n$2\r\nv2\r\n",
       "xread streams s nokey 0 0");
    rx(fd, "*-1\r\n",
       "xread streams nokey 0");
    rx(fd, "-ERR The > ID can be specified only when calling XREADGROUP using the GROUP <group> "
           "<consumer> option.\r\n",
       "xread streams s >");
    rx(fd, "-ERR The GROUP option is only supported by XREADGROUP. You called XREAD instead.\r\n",
       "xread group g a streams s 0");
    rx(fd, "-ERR The NOACK option is only supported by XREADGROUP. You called XREAD instead.\r\n",
       "xread noack streams s 0");
    rx(fd, "-ERR syntax error\r\n",
       "xread foo streams s 0");
    rx(fd, "-ERR wrong number of arguments for 'xread' command\r\n",
       "xread streams");
    rx(fd, "-ERR wrong number of arguments for 'xread' command\r\n",
       "xread streams s");
    rx(fd, "-ERR Unbalanced XREAD list of streams: for each stream key an ID or '$' must be "
           "specified.\r\n",
       "xread streams s t 0");
    rx(fd, "-ERR value is not an integer or out of range\r\n",
       "xread count x streams s 0");
    rx(fd, "*1\r\n*2\r\n$1\r\ns\r\n*2\r\n*2\r\n$3\r\n1-0\r\n*2\r\n$1\r\nf\r\n$2\r\nv1\r\n*2\r\n"
       "$3\r\n2-0\r\n*2\r\n$1\r\nf\r\n$2\r\nv2\r\n",
       "xread count -5 streams s 0");
    rx(fd, "-ERR timeout is negative\r\n",
       "xread block -1 streams s 0");
    rx(fd, "-ERR timeout is not an integer or out of range\r\n",
       "xread block x streams s 0");
    rx(fd, "*1\r\n*2\r\n$1\r\ns\r\n*2\r\n*2\r\n$3\r\n1-0\r\n*2\r\n$1\r\nf\r\n$2\r\nv1\r\n*2\r\n"
       "$3\r\n2-0\r\n*2\r\n$1\r\nf\r\n$2\r\nv2\r\n",
       "xread block 0 streams s 0");
    rx(fd, "-ERR Invalid stream ID specified as stream command argument\r\n",
       "xread streams s abc");
    rx(fd, "-ERR Invalid stream ID specified as stream command argument\r\n",
       "xread streams s +");
    rx(fd, "+OK\r\n",
       "set str v");
    rx(fd, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n",
       "xread streams str 0");
    close(fd);
}

Test(stream, xclaim_forms)
{
    int fd = srv_raw_connect(s);
    rx(fd, "$3\r\n1-0\r\n",
       "xadd s 1-0 f v1");
    rx(fd, "$3\r\n2-0\r\n",
       "xadd s 2-0 f v2");
    rx(fd, "$3\r\n3-0\r\n",
       "xadd s 3-0 f v3");
    rx(fd, "+OK\r\n",
       "xgroup create s g 0");
    rx(fd, "*1\r\n*2\r\n$1\r\ns\r\n*3\r\n*2\r\n$3\r\n1-0\r\n*2\r\n$1\r\nf\r\n$2\r\nv1\r\n*2\r\n"
       "$3\r\n2-0\r\n*2\r\n$1\r\nf\r\n$2\r\nv2\r\n*2\r\n$3\r\n3-0\r\n*2\r\n$1\r\nf\r\n$2\r\n"
       "v3\r\n",
       "xreadgroup group g alice streams s >");
    rx(fd, "*1\r\n$3\r\n1-0\r\n",
       "xclaim s g bob 0 1-0 justid");
    rx(fd, "*0\r\n",
       "xclaim s g bob 100000000 2-0 justid");
    rx(fd, "*0\r\n",
       "xclaim s g bob 0 9-0 justid");
    rx(fd, "*0\r\n",
       "xclaim s g bob 0 9-0 force justid");
    rx(fd, "*1\r\n$3\r\n2-0\r\n",
       "xclaim s g bob 0 2-0 retrycount 7 justid");
    rx(fd, "*1\r\n$3\r\n3-0\r\n",
       "xclaim s g bob 0 3-0 idle 100000000 justid");
    rx(fd, "*1\r\n*2\r\n$3\r\n3-0\r\n*2\r\n$1\r\nf\r\n$2\r\nv3\r\n",
       "xclaim s g bob 0 3-0");
    rx(fd, ":1\r\n",
       "xdel s 3-0");
    rx(fd, "*0\r\n",
       "xclaim s g carol 0 3-0");
    rx(fd, "*4\r\n:2\r\n$3\r\n1-0\r\n$3\r\n2-0\r\n*1\r\n*2\r\n$3\r\nbob\r\n$1\r\n2\r\n",
       "xpending s g");
    rx(fd, "-ERR Invalid min-idle-time argument for XCLAIM\r\n",
       "xclaim s g bob x 1-0");
    rx(fd, "-ERR Invalid IDLE option argument for XCLAIM\r\n",
       "xclaim s g bob 0 1-0 idle x");
    rx(fd, "-ERR Invalid TIME option argument for XCLAIM\r\n",
       "xclaim s g bob 0 1-0 time x");
    rx(fd, "-ERR Invalid RETRYCOUNT option argument for XCLAIM\r\n",
       "xclaim s g bob 0 1-0 retrycount x");
    rx(fd, "-ERR Invalid stream ID specified as stream command argument\r\n",
       "xclaim s g bob 0 1-0 lastid x");
    rx(fd, "-ERR Unrecognized XCLAIM option 'foo'\r\n",
       "xclaim s g bob 0 1-0 foo");
    rx(fd, "-ERR Unrecognized XCLAIM option 'x'\r\n",
       "xclaim s g bob 0 x");
    rx(fd, "-NOGROUP No such key 's' or consumer group 'nog'\r\n",
       "xclaim s nog bob 0 1-0");
    rx(fd, "-NOGROUP No such key 'nokey' or consumer group 'g'\r\n",
       "xclaim nokey g bob 0 1-0");
    rx(fd, "*1\r\n*12\r\n$4\r\nname\r\n$1\r\ng\r\n$9\r\nconsumers\r\n:2\r\n$7\r\npending\r\n:2\r\n"
       "$17\r\nlast-delivered-id\r\n$3\r\n3-0\r\n$12\r\nentries-read\r\n:3\r\n$3\r\nlag\r\n"
       ":0\r\n",
       "xinfo groups s");
    rx(fd, "*1\r\n$3\r\n1-0\r\n",
       "xclaim s g bob 0 1-0 lastid 50-0 justid");
    rx(fd, "*1\r\n*12\r\n$4\r\nname\r\n$1\r\ng\r\n$9\r\nconsumers\r\n:2\r\n$7\r\npending\r\n:2\r\n"
       "$17\r\nlast-delivered-id\r\n$4\r\n50-0\r\n$12\r\nentries-read\r\n:3\r\n$3\r\nlag\r\n"
       ":0\r\n",
       "xinfo groups s");
    rx(fd, "*0\r\n",
       "xclaim s g bob 0 77-0 lastid 60-0");
    rx(fd, "*1\r\n*12\r\n$4\r\nname\r\n$1\r\ng\r\n$9\r\nconsumers\r\n:2\r\n$7\r\npending\r\n:2\r\n"
       "$17\r\nlast-delivered-id\r\n$4\r\n60-0\r\n$12\r\nentries-read\r\n:3\r\n$3\r\nlag\r\n"
       ":0\r\n",
       "xinfo groups s");
    rx(fd, ":2\r\n",
       "xgroup delconsumer s g bob");
    rx(fd, "*4\r\n:0\r\n$-1\r\n$-1\r\n*-1\r\n",
       "xpending s g");
    close(fd);
}

Test(stream, xautoclaim_forms)
{
    int fd = srv_raw_connect(s);
    rx(fd, "$3\r\n1-0\r\n",
       "xadd s 1-0 f v1");
    rx(fd, "$3\r\n2-0\r\n",
       "xadd s 2-0 f v2");
    rx(fd, "$3\r\n3-0\r\n",
       "xadd s 3-0 f v3");
    rx(fd, "$3\r\n4-0\r\n",
       "xadd s 4-0 f v4");
    rx(fd, "+OK\r\n",
       "xgroup create s g 0");
    rx(fd, "*1\r\n*2\r\n$1\r\ns\r\n*4\r\n*2\r\n$3\r\n1-0\r\n*2\r\n$1\r\nf\r\n$2\r\nv1\r\n*2\r\n"
       "$3\r\n2-0\r\n*2\r\n$1\r\nf\r\n$2\r\nv2\r\n*2\r\n$3\r\n3-0\r\n*2\r\n$1\r\nf\r\n$2\r\n"
       "v3\r\n*2\r\n$3\r\n4-0\r\n*2\r\n$1\r\nf\r\n$2\r\nv4\r\n",
       "xreadgroup group g alice streams s >");
    rx(fd, "*3\r\n$3\r\n2-0\r\n*1\r\n*2\r\n$3\r\n1-0\r\n*2\r\n$1\r\nf\r\n$2\r\nv1\r\n*0\r\n",
       "xautoclaim s g bob 0 0 count 1");
    rx(fd, "*3\r\n$3\r\n3-0\r\n*2\r\n$3\r\n1-0\r\n$3\r\n2-0\r\n*0\r\n",
       "xautoclaim s g bob 0 0 count 2 justid");
    rx(fd, "*3\r\n$3\r\n0-0\r\n*0\r\n*0\r\n",
       "xautoclaim s g bob 100000000 0");
    rx(fd, ":2\r\n",
       "xdel s 2-0 3-0");
    rx(fd, "*3\r\n$3\r\n2-0\r\n*1\r\n$3\r\n1-0\r\n*0\r\n",
       "xautoclaim s g carol 0 0 count 1 justid");
    rx(fd, "*3\r\n$3\r\n0-0\r\n*2\r\n$3\r\n1-0\r\n$3\r\n4-0\r\n*2\r\n$3\r\n2-0\r\n$3\r\n3-0\r\n",
       "xautoclaim s g carol 0 0 justid");
    rx(fd, "*4\r\n:2\r\n$3\r\n1-0\r\n$3\r\n4-0\r\n*1\r\n*2\r\n$5\r\ncarol\r\n$1\r\n2\r\n",
       "xpending s g");
    rx(fd, "*3\r\n$3\r\n0-0\r\n*1\r\n$3\r\n4-0\r\n*0\r\n",
       "xautoclaim s g bob 0 (1-0 justid");
    rx(fd, "-ERR COUNT must be > 0\r\n",
       "xautoclaim s g bob 0 0 count 0");
    rx(fd, "-ERR COUNT must be > 0\r\n",
       "xautoclaim s g bob 0 0 count 8070450532247928833");
    rx(fd, "-ERR COUNT must be > 0\r\n",
       "xautoclaim s g bob 0 0 count x");
    rx(fd, "-ERR Invalid min-idle-time argument for XAUTOCLAIM\r\n",
       "xautoclaim s g bob x 0");
    rx(fd, "-ERR Invalid stream ID specified as stream command argument\r\n",
       "xautoclaim s g bob 0 x");
    rx(fd, "-ERR invalid start ID for the interval\r\n",
       "xautoclaim s g bob 0 (18446744073709551615-18446744073709551615");
    rx(fd, "-ERR syntax error\r\n",
       "xautoclaim s g bob 0 0 foo");
    rx(fd, "-NOGROUP No such key 's' or consumer group 'nog'\r\n",
       "xautoclaim s nog bob 0 0");
    rx(fd, "-NOGROUP No such key 'nokey' or consumer group 'g'\r\n",
       "xautoclaim nokey g bob 0 0");
    close(fd);
}

Test(stream, xinfo_forms)
{
    int fd = srv_raw_connect(s);
    rx(fd, "-ERR no such key\r\n",
       "xinfo stream nokey");
    rx(fd, "+OK\r\n",
       "xgroup create s g $ mkstream");
    rx(fd, "*20\r\n$6\r\nlength\r\n:0\r\n$15\r\nradix-tree-keys\r\n:0\r\n$16\r\n"
           "radix-tree-nodes\r\n"
       ":1\r\n$17\r\nlast-generated-id\r\n$3\r\n0-0\r\n$20\r\nmax-deleted-entry-id\r\n$3\r\n"
       "0-0\r\n$13\r\nentries-added\r\n:0\r\n$23\r\nrecorded-first-entry-id\r\n$3\r\n0-0\r\n"
       "$6\r\ngroups\r\n:1\r\n$11\r\nfirst-entry\r\n$-1\r\n$10\r\nlast-entry\r\n$-1\r\n",
       "xinfo stream s");
    rx(fd, "*1\r\n*12\r\n$4\r\nname\r\n$1\r\ng\r\n$9\r\nconsumers\r\n:0\r\n$7\r\npending\r\n:0\r\n"
       "$17\r\nlast-delivered-id\r\n$3\r\n0-0\r\n$12\r\nentries-read\r\n$-1\r\n$3\r\nlag\r\n"
       ":0\r\n",
       "xinfo groups s");
    rx(fd, "*0\r\n",
       "xinfo consumers s g");
    rx(fd, "$3\r\n1-0\r\n",
       "xadd s 1-0 a 1");
    rx(fd, "$3\r\n2-0\r\n",
       "xadd s 2-0 b 2 c 3");
    rx(fd, "$3\r\n3-0\r\n",
       "xadd s 3-0 a 4");
    rx(fd, "*20\r\n$6\r\nlength\r\n:3\r\n$15\r\nradix-tree-keys\r\n:1\r\n$16\r\n"
           "radix-tree-nodes\r\n"
       ":2\r\n$17\r\nlast-generated-id\r\n$3\r\n3-0\r\n$20\r\nmax-deleted-entry-id\r\n$3\r\n"
       "0-0\r\n$13\r\nentries-added\r\n:3\r\n$23\r\nrecorded-first-entry-id\r\n$3\r\n1-0\r\n"
       "$6\r\ngroups\r\n:1\r\n$11\r\nfirst-entry\r\n*2\r\n$3\r\n1-0\r\n*2\r\n$1\r\na\r\n$1\r\n"
       "1\r\n$10\r\nlast-entry\r\n*2\r\n$3\r\n3-0\r\n*2\r\n$1\r\na\r\n$1\r\n4\r\n",
       "xinfo stream s");
    rx(fd, "*18\r\n$6\r\nlength\r\n:3\r\n$15\r\nradix-tree-keys\r\n:1\r\n$16\r\n"
           "radix-tree-nodes\r\n"
       ":2\r\n$17\r\nlast-generated-id\r\n$3\r\n3-0\r\n$20\r\nmax-deleted-entry-id\r\n$3\r\n"
       "0-0\r\n$13\r\nentries-added\r\n:3\r\n$23\r\nrecorded-first-entry-id\r\n$3\r\n1-0\r\n"
       "$7\r\nentries\r\n*3\r\n*2\r\n$3\r\n1-0\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n*2\r\n$3\r\n"
       "2-0\r\n*4\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\nc\r\n$1\r\n3\r\n*2\r\n$3\r\n3-0\r\n*2\r\n$1\r\n"
       "a\r\n$1\r\n4\r\n$6\r\ngroups\r\n*1\r\n*14\r\n$4\r\nname\r\n$1\r\ng\r\n$17\r\n"
       "last-delivered-id\r\n$3\r\n0-0\r\n$12\r\nentries-read\r\n$-1\r\n$3\r\nlag\r\n:3\r\n"
       "$9\r\npel-count\r\n:0\r\n$7\r\npending\r\n*0\r\n$9\r\nconsumers\r\n*0\r\n",
       "xinfo stream s full count 0");
    rx(fd, "-ERR unknown subcommand or wrong number of arguments for 'stream'. Try XINFO "
           "HELP.\r\n",
       "xinfo stream s foo");
    rx(fd, "-ERR unknown subcommand or wrong number of arguments for 'stream'. Try XINFO "
           "HELP.\r\n",
       "xinfo stream s full foo");
    rx(fd, "-ERR unknown subcommand or wrong number of arguments for 'stream'. Try XINFO "
           "HELP.\r\n",
       "xinfo stream s full count");
    rx(fd, "-ERR value is not an integer or out of range\r\n",
       "xinfo stream s full count x");
    rx(fd, "-ERR unknown subcommand or wrong number of arguments for 'stream'. Try XINFO "
           "HELP.\r\n",
       "xinfo stream s full count 1 x");
    rx(fd, "-NOGROUP No such consumer group 'nog' for key name 's'\r\n",
       "xinfo consumers s nog");
    rx(fd, "-ERR no such key\r\n",
       "xinfo consumers nokey g");
    rx(fd, "-ERR no such key\r\n",
       "xinfo groups nokey");
    rx(fd, "*9\r\n+XINFO <subcommand> [<arg> [value] [opt] ...]. Subcommands are:\r\n"
       "+CONSUMERS <key> <groupname>\r\n+    Show consumers of <groupname>.\r\n+GROUPS <key>\r\n"
       "+    Show the stream consumer groups.\r\n+STREAM <key> [FULL [COUNT <count>]\r\n"
       "+    Show information about the stream.\r\n+HELP\r\n+    Prints this help.\r\n",
       "xinfo help");
    rx(fd, "-ERR wrong number of arguments for 'xinfo|help' command\r\n",
       "xinfo help x");
    rx(fd, "-ERR unknown subcommand 'foo'. Try XINFO HELP.\r\n",
       "xinfo foo");
    rx(fd, "-ERR wrong number of arguments for 'xinfo' command\r\n",
       "xinfo");
    rx(fd, "+OK\r\n",
       "set str v");
    rx(fd, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n",
       "xinfo stream str");
    rx(fd, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n",
       "xinfo groups str");
    close(fd);
}

Test(stream, lag_and_entries_read)
{
    int fd = srv_raw_connect(s);
    rx(fd, "$3\r\n1-0\r\n",
       "xadd s 1-0 f v");
    rx(fd, "$3\r\n2-0\r\n",
       "xadd s 2-0 f v");
    rx(fd, "$3\r\n3-0\r\n",
       "xadd s 3-0 f v");
    rx(fd, "$3\r\n4-0\r\n",
       "xadd s 4-0 f v");
    rx(fd, "$3\r\n5-0\r\n",
       "xadd s 5-0 f v");
    rx(fd, "+OK\r\n",
       "xgroup create s g 0");
    rx(fd, "*1\r\n*12\r\n$4\r\nname\r\n$1\r\ng\r\n$9\r\nconsumers\r\n:0\r\n$7\r\npending\r\n:0\r\n"
       "$17\r\nlast-delivered-id\r\n$3\r\n0-0\r\n$12\r\nentries-read\r\n$-1\r\n$3\r\nlag\r\n"
       ":5\r\n",
       "xinfo groups s");
    rx(fd, "*1\r\n*2\r\n$1\r\ns\r\n*1\r\n*2\r\n$3\r\n1-0\r\n*2\r\n$1\r\nf\r\n$1\r\nv\r\n",
       "xreadgroup group g c count 1 streams s >");
    rx(fd, "*1\r\n*12\r\n$4\r\nname\r\n$1\r\ng\r\n$9\r\nconsumers\r\n:1\r\n$7\r\npending\r\n:1\r\n"
       "$17\r\nlast-delivered-id\r\n$3\r\n1-0\r\n$12\r\nentries-read\r\n:1\r\n$3\r\nlag\r\n"
       ":4\r\n",
       "xinfo groups s");
    rx(fd, ":1\r\n",
       "xdel s 3-0");
    rx(fd, "*1\r\n*12\r\n$4\r\nname\r\n$1\r\ng\r\n$9\r\nconsumers\r\n:1\r\n$7\r\npending\r\n:1\r\n"
       "$17\r\nlast-delivered-id\r\n$3\r\n1-0\r\n$12\r\nentries-read\r\n:1\r\n$3\r\nlag\r\n"
       "$-1\r\n",
       "xinfo groups s");
    rx(fd, "*1\r\n*2\r\n$1\r\ns\r\n*1\r\n*2\r\n$3\r\n2-0\r\n*2\r\n$1\r\nf\r\n$1\r\nv\r\n",
       "xreadgroup group g c count 1 streams s >");
    rx(fd, "*1\r\n*12\r\n$4\r\nname\r\n$1\r\ng\r\n$9\r\nconsumers\r\n:1\r\n$7\r\npending\r\n:2\r\n"
       "$17\r\nlast-delivered-id\r\n$3\r\n2-0\r\n$12\r\nentries-read\r\n$-1\r\n$3\r\nlag\r\n"
       "$-1\r\n",
       "xinfo groups s");
    rx(fd, "*1\r\n*2\r\n$1\r\ns\r\n*1\r\n*2\r\n$3\r\n4-0\r\n*2\r\n$1\r\nf\r\n$1\r\nv\r\n",
       "xreadgroup group g c count 1 streams s >");
    rx(fd, "*1\r\n*12\r\n$4\r\nname\r\n$1\r\ng\r\n$9\r\nconsumers\r\n:1\r\n$7\r\npending\r\n:3\r\n"
       "$17\r\nlast-delivered-id\r\n$3\r\n4-0\r\n$12\r\nentries-read\r\n$-1\r\n$3\r\nlag\r\n"
       "$-1\r\n",
       "xinfo groups s");
    rx(fd, "+OK\r\n",
       "xgroup setid s g 1-0");
    rx(fd, "*1\r\n*12\r\n$4\r\nname\r\n$1\r\ng\r\n$9\r\nconsumers\r\n:1\r\n$7\r\npending\r\n:3\r\n"
       "$17\r\nlast-delivered-id\r\n$3\r\n1-0\r\n$12\r\nentries-read\r\n$-1\r\n$3\r\nlag\r\n"
       "$-1\r\n",
       "xinfo groups s");
    rx(fd, "+OK\r\n",
       "xgroup setid s g 5-0");
    rx(fd, "*1\r\n*12\r\n$4\r\nname\r\n$1\r\ng\r\n$9\r\nconsumers\r\n:1\r\n$7\r\npending\r\n:3\r\n"
       "$17\r\nlast-delivered-id\r\n$3\r\n5-0\r\n$12\r\nentries-read\r\n$-1\r\n$3\r\nlag\r\n"
       ":0\r\n",
       "xinfo groups s");
    rx(fd, "+OK\r\n",
       "xgroup setid s g 0 entriesread 0");
    rx(fd, "*1\r\n*12\r\n$4\r\nname\r\n$1\r\ng\r\n$9\r\nconsumers\r\n:1\r\n$7\r\npending\r\n:3\r\n"
       "$17\r\nlast-delivered-id\r\n$3\r\n0-0\r\n$12\r\nentries-read\r\n:0\r\n$3\r\nlag\r\n"
       "$-1\r\n",
       "xinfo groups s");
    rx(fd, ":3\r\n",
       "xtrim s maxlen 1");
    rx(fd, "*1\r\n*12\r\n$4\r\nname\r\n$1\r\ng\r\n$9\r\nconsumers\r\n:1\r\n$7\r\npending\r\n:3\r\n"
       "$17\r\nlast-delivered-id\r\n$3\r\n0-0\r\n$12\r\nentries-read\r\n:0\r\n$3\r\nlag\r\n"
       ":5\r\n",
       "xinfo groups s");
    rx(fd, "+OK\r\n",
       "xgroup create s g2 $ entriesread 3");
    rx(fd, "*2\r\n*12\r\n$4\r\nname\r\n$1\r\ng\r\n$9\r\nconsumers\r\n:1\r\n$7\r\npending\r\n:3\r\n"
       "$17\r\nlast-delivered-id\r\n$3\r\n0-0\r\n$12\r\nentries-read\r\n:0\r\n$3\r\nlag\r\n"
       ":5\r\n*12\r\n$4\r\nname\r\n$2\r\ng2\r\n$9\r\nconsumers\r\n:0\r\n$7\r\npending\r\n:0\r\n"
       "$17\r\nlast-delivered-id\r\n$3\r\n5-0\r\n$12\r\nentries-read\r\n:3\r\n$3\r\nlag\r\n"
       ":2\r\n",
       "xinfo groups s");
    rx(fd, "$3\r\n6-0\r\n",
       "xadd s 6-0 f v");
    rx(fd, "*1\r\n*2\r\n$1\r\ns\r\n*1\r\n*2\r\n$3\r\n6-0\r\n*2\r\n$1\r\nf\r\n$1\r\nv\r\n",
       "xreadgroup group g2 c streams s >");
    rx(fd, "*2\r\n*12\r\n$4\r\nname\r\n$1\r\ng\r\n$9\r\nconsumers\r\n:1\r\n$7\r\npending\r\n:3\r\n"
       "$17\r\nlast-delivered-id\r\n$3\r\n0-0\r\n$12\r\nentries-read\r\n:0\r\n$3\r\nlag\r\n"
       ":6\r\n*12\r\n$4\r\nname\r\n$2\r\ng2\r\n$9\r\nconsumers\r\n:1\r\n$7\r\npending\r\n:1\r\n"
       "$17\r\nlast-delivered-id\r\n$3\r\n6-0\r\n$12\r\nentries-read\r\n:4\r\n$3\r\nlag\r\n"
       ":2\r\n",
       "xinfo groups s");
    rx(fd, "*20\r\n$6\r\nlength\r\n:2\r\n$15\r\nradix-tree-keys\r\n:1\r\n$16\r\n"
           "radix-tree-nodes\r\n"
       ":2\r\n$17\r\nlast-generated-id\r\n$3\r\n6-0\r\n$20\r\nmax-deleted-entry-id\r\n$3\r\n"
       "3-0\r\n$13\r\nentries-added\r\n:6\r\n$23\r\nrecorded-first-entry-id\r\n$3\r\n5-0\r\n"
       "$6\r\ngroups\r\n:2\r\n$11\r\nfirst-entry\r\n*2\r\n$3\r\n5-0\r\n*2\r\n$1\r\nf\r\n$1\r\n"
       "v\r\n$10\r\nlast-entry\r\n*2\r\n$3\r\n6-0\r\n*2\r\n$1\r\nf\r\n$1\r\nv\r\n",
       "xinfo stream s");
    close(fd);
}

/* ---- replies carrying times ------------------------------------------------ */

static redisReply *elem(redisReply *r, size_t i)
{
    cr_assert(r->type == REDIS_REPLY_ARRAY && i < r->elements, "no element %zu", i);
    return r->element[i];
}

Test(stream, xpending_extended_times_and_counts)
{
    redisContext *c = srv_connect(s);
    freeReplyObject(cmd(c, "XADD s 1-0 f v"));
    freeReplyObject(cmd(c, "XADD s 2-0 f v"));
    freeReplyObject(cmd(c, "XGROUP CREATE s g 0"));
    freeReplyObject(cmd(c, "XREADGROUP GROUP g alice STREAMS s >"));
    freeReplyObject(cmd(c, "XCLAIM s g bob 0 2-0 IDLE 5000 RETRYCOUNT 9 JUSTID"));
    redisReply *r = cmd(c, "XPENDING s g - + 10");
    cr_assert_eq(r->elements, 2);
    redisReply *e = elem(r, 0);
    cr_assert_str_eq(elem(e, 0)->str, "1-0");
    cr_assert_str_eq(elem(e, 1)->str, "alice");
    cr_assert(elem(e, 2)->integer >= 0 && elem(e, 2)->integer < 1000);
    cr_assert_eq(elem(e, 3)->integer, 1);
    e = elem(r, 1);
    cr_assert_str_eq(elem(e, 1)->str, "bob");
    cr_assert(elem(e, 2)->integer >= 5000 && elem(e, 2)->integer < 6000);
    cr_assert_eq(elem(e, 3)->integer, 9);
    freeReplyObject(r);
    /* IDLE filter and consumer filter */
    r = cmd(c, "XPENDING s g IDLE 4000 - + 10");
    cr_assert_eq(r->elements, 1);
    cr_assert_str_eq(elem(elem(r, 0), 0)->str, "2-0");
    freeReplyObject(r);
    r = cmd(c, "XPENDING s g - + 10 alice");
    cr_assert_eq(r->elements, 1);
    cr_assert_str_eq(elem(elem(r, 0), 0)->str, "1-0");
    freeReplyObject(r);
    r = cmd(c, "XPENDING s g (1-0 + 10");
    cr_assert_eq(r->elements, 1);
    freeReplyObject(r);
    /* history reads count one more delivery */
    freeReplyObject(cmd(c, "XREADGROUP GROUP g alice STREAMS s 0"));
    r = cmd(c, "XPENDING s g - + 10 alice");
    cr_assert_eq(elem(elem(r, 0), 3)->integer, 2);
    freeReplyObject(r);
    /* XCLAIM without JUSTID counts a delivery; TIME sets the time */
    freeReplyObject(cmd(c, "XCLAIM s g carol 0 1-0 TIME 1000"));
    r = cmd(c, "XPENDING s g - + 1");
    cr_assert_str_eq(elem(elem(r, 0), 1)->str, "carol");
    cr_assert_eq(elem(elem(r, 0), 3)->integer, 3);
    freeReplyObject(r);
    r = cmd(c, "XINFO STREAM s FULL");
    redisReply *groups = elem(r, 17);
    redisReply *g = elem(groups, 0);
    redisReply *pending = elem(g, 11);
    cr_assert_eq(elem(elem(pending, 0), 2)->integer, 1000);
    freeReplyObject(r);
    redisFree(c);
}

Test(stream, xinfo_consumers_idle_and_seen_time)
{
    redisContext *c = srv_connect(s);
    freeReplyObject(cmd(c, "XADD s 1-0 f v"));
    freeReplyObject(cmd(c, "XGROUP CREATE s g 0"));
    expect_int(c, 1, "XGROUP CREATECONSUMER s g bob");
    freeReplyObject(cmd(c, "XREADGROUP GROUP g alice STREAMS s >"));
    usleep(120000);
    /* a history read refreshes the consumer; a ">" read with nothing new
     * does not (Redis 7.0 only looks the consumer up when it serves) */
    freeReplyObject(cmd(c, "XREADGROUP GROUP g alice STREAMS s 0"));
    freeReplyObject(cmd(c, "XREADGROUP GROUP g bob STREAMS s >"));
    redisReply *r = cmd(c, "XINFO CONSUMERS s g");
    cr_assert_eq(r->elements, 2);
    redisReply *a = elem(r, 0), *b = elem(r, 1);
    cr_assert_str_eq(elem(a, 1)->str, "alice");
    cr_assert_eq(elem(a, 3)->integer, 1);
    cr_assert(elem(a, 5)->integer < 100);
    cr_assert_str_eq(elem(b, 1)->str, "bob");
    cr_assert_eq(elem(b, 3)->integer, 0);
    cr_assert(elem(b, 5)->integer >= 100);
    freeReplyObject(r);
    long long before = now_ms();
    r = cmd(c, "XINFO STREAM s FULL");
    redisReply *cons = elem(elem(elem(r, 17), 0), 13);
    long long seen = elem(elem(cons, 0), 3)->integer;
    cr_assert(seen <= before && seen > before - 1000);
    freeReplyObject(r);
    redisFree(c);
}

/* ---- RESP3 ------------------------------------------------------------------ */

Test(stream, resp3_maps)
{
    int fd = srv_raw_connect(s);
    rx(fd, "$3\r\n1-0\r\n", "XADD s 1-0 f v");
    rx(fd, "+OK\r\n", "XGROUP CREATE s g 0");
    rx(fd, "+OK\r\n", "XGROUP CREATE s g2 $");
    char buf[4096];
    raw_send_recv(fd, "*2\r\n$5\r\nHELLO\r\n$1\r\n3\r\n", 22, buf, sizeof(buf), 300);
    rx(fd, "%1\r\n$1\r\ns\r\n*1\r\n*2\r\n$3\r\n1-0\r\n*2\r\n$1\r\nf\r\n$1\r\nv\r\n",
       "XREAD STREAMS s 0");
    rx(fd, "_\r\n", "XREAD STREAMS s 1");
    rx(fd, "%1\r\n$1\r\ns\r\n*1\r\n*2\r\n$3\r\n1-0\r\n*2\r\n$1\r\nf\r\n$1\r\nv\r\n",
       "XREADGROUP GROUP g c STREAMS s >");
    rx(fd, "_\r\n", "XREADGROUP GROUP g c STREAMS s >");
    rx(fd, "_\r\n", "XREAD COUNT 0 STREAMS s 5");
    rx(fd, "_\r\n", "XRANGE s - + COUNT 0");
    rx(fd, "_\r\n", "XADD nos NOMKSTREAM * f v");
    rx(fd, "*2\r\n%6\r\n$4\r\nname\r\n$1\r\ng\r\n$9\r\nconsumers\r\n:1\r\n$7\r\npending\r\n:1\r\n"
           "$17\r\nlast-delivered-id\r\n$3\r\n1-0\r\n$12\r\nentries-read\r\n:1\r\n$3\r\nlag\r\n"
           ":0\r\n%6\r\n$4\r\nname\r\n$2\r\ng2\r\n$9\r\nconsumers\r\n:0\r\n$7\r\npending\r\n"
           ":0\r\n$17\r\nlast-delivered-id\r\n$3\r\n1-0\r\n$12\r\nentries-read\r\n_\r\n$3\r\n"
           "lag\r\n:0\r\n",
       "XINFO GROUPS s");
    rx(fd, "%10\r\n$6\r\nlength\r\n:1\r\n$15\r\nradix-tree-keys\r\n:1\r\n$16\r\nradix-tree-nodes"
           "\r\n:2\r\n$17\r\nlast-generated-id\r\n$3\r\n1-0\r\n$20\r\nmax-deleted-entry-id\r\n"
           "$3\r\n0-0\r\n$13\r\nentries-added\r\n:1\r\n$23\r\nrecorded-first-entry-id\r\n$3\r\n"
           "1-0\r\n$6\r\ngroups\r\n:2\r\n$11\r\nfirst-entry\r\n*2\r\n$3\r\n1-0\r\n*2\r\n$1\r\nf"
           "\r\n$1\r\nv\r\n$10\r\nlast-entry\r\n*2\r\n$3\r\n1-0\r\n*2\r\n$1\r\nf\r\n$1\r\nv\r\n",
       "XINFO STREAM s");
    rx(fd, "*4\r\n:1\r\n$3\r\n1-0\r\n$3\r\n1-0\r\n*1\r\n*2\r\n$1\r\nc\r\n$1\r\n1\r\n",
       "XPENDING s g");
    rx(fd, "*4\r\n:0\r\n_\r\n_\r\n_\r\n", "XPENDING s g2");
    close(fd);
}

/* ---- blocking ---------------------------------------------------------------- */

Test(stream, xread_block_woken_by_xadd)
{
    redisContext *c = srv_connect(s);
    int a = srv_raw_connect(s);
    freeReplyObject(cmd(c, "XADD s 1-0 f v"));
    tx(a, "XREAD BLOCK 0 STREAMS s $");
    wait_blocked(c, 1);
    expect_silence(a, 50);
    freeReplyObject(cmd(c, "XADD other 1-0 f v"));
    expect_silence(a, 50);
    freeReplyObject(cmd(c, "XADD s 2-0 f v2"));
    expect_bytes(a, "*1\r\n*2\r\n$1\r\ns\r\n*1\r\n*2\r\n$3\r\n2-0\r\n*2\r\n$1\r\nf\r\n$2\r\n"
                    "v2\r\n",
                 2000);
    cr_assert_eq(info_field(c, "clients", "blocked_clients"), 0);
    /* several keys, served from the one that got data */
    tx(a, "XREAD COUNT 5 BLOCK 0 STREAMS x y $ $");
    wait_blocked(c, 1);
    freeReplyObject(cmd(c, "XADD y 7-0 a b"));
    expect_bytes(a, "*1\r\n*2\r\n$1\r\ny\r\n*1\r\n*2\r\n$3\r\n7-0\r\n*2\r\n$1\r\na\r\n$1\r\nb\r\n",
                 2000);
    close(a);
    redisFree(c);
}

Test(stream, xread_block_timeout_and_multi)
{
    int a = srv_raw_connect(s);
    long long t0 = now_ms();
    tx(a, "XREAD BLOCK 150 STREAMS s $");
    expect_bytes(a, "*-1\r\n", 3000);
    long long dt = now_ms() - t0;
    cr_assert(dt >= 140 && dt < 1500, "timed out after %lld ms", dt);
    rx(a, "+OK\r\n", "MULTI");
    rx(a, "+QUEUED\r\n", "XREAD BLOCK 0 STREAMS s $");
    rx(a, "+QUEUED\r\n", "XREADGROUP GROUP g c BLOCK 0 STREAMS s >");
    rx(a, "*2\r\n*-1\r\n-NOGROUP No such key 's' or consumer group 'g' in XREADGROUP with "
          "GROUP option\r\n",
       "EXEC");
    rx(a, "+OK\r\n", "XGROUP CREATE s g $ MKSTREAM");
    rx(a, "+OK\r\n", "MULTI");
    rx(a, "+QUEUED\r\n", "XREADGROUP GROUP g c BLOCK 0 STREAMS s >");
    rx(a, "*1\r\n*-1\r\n", "EXEC");
    close(a);
}

Test(stream, xreadgroup_block_served_in_arrival_order)
{
    redisContext *c = srv_connect(s);
    int a = srv_raw_connect(s), b = srv_raw_connect(s);
    freeReplyObject(cmd(c, "XGROUP CREATE s g $ MKSTREAM"));
    tx(a, "XREADGROUP GROUP g alice BLOCK 0 STREAMS s >");
    wait_blocked(c, 1);
    tx(b, "XREADGROUP GROUP g bob BLOCK 0 STREAMS s >");
    wait_blocked(c, 2);
    freeReplyObject(cmd(c, "XADD s 1-0 f v"));
    expect_bytes(a, "*1\r\n*2\r\n$1\r\ns\r\n*1\r\n*2\r\n$3\r\n1-0\r\n*2\r\n$1\r\nf\r\n$1\r\nv\r\n",
                 2000);
    expect_silence(b, 50);
    freeReplyObject(cmd(c, "XADD s 2-0 f v"));
    expect_bytes(b, "*1\r\n*2\r\n$1\r\ns\r\n*1\r\n*2\r\n$3\r\n2-0\r\n*2\r\n$1\r\nf\r\n$1\r\nv\r\n",
                 2000);
    redisReply *r = cmd(c, "XPENDING s g");
    cr_assert_eq(elem(r, 0)->integer, 2);
    freeReplyObject(r);
    /* NOACK: nothing pending, the group still moves */
    tx(a, "XREADGROUP GROUP g carol NOACK BLOCK 0 STREAMS s >");
    wait_blocked(c, 1);
    freeReplyObject(cmd(c, "XADD s 3-0 f v"));
    expect_bytes(a, "*1\r\n*2\r\n$1\r\ns\r\n*1\r\n*2\r\n$3\r\n3-0\r\n*2\r\n$1\r\nf\r\n$1\r\nv\r\n",
                 2000);
    r = cmd(c, "XPENDING s g");
    cr_assert_eq(elem(r, 0)->integer, 2);
    freeReplyObject(r);
    expect_int(c, 0, "XGROUP DELCONSUMER s g carol");
    close(a);
    close(b);
    redisFree(c);
}

Test(stream, blocked_xreadgroup_errors)
{
    redisContext *c = srv_connect(s);
    int a = srv_raw_connect(s);
    const char *gone = "-UNBLOCKED the stream key no longer exists\r\n";
    freeReplyObject(cmd(c, "XGROUP CREATE s g $ MKSTREAM"));
    /* key deleted */
    tx(a, "XREADGROUP GROUP g c BLOCK 0 STREAMS s >");
    wait_blocked(c, 1);
    freeReplyObject(cmd(c, "DEL s"));
    expect_bytes(a, gone, 2000);
    /* type changed */
    freeReplyObject(cmd(c, "XGROUP CREATE s g $ MKSTREAM"));
    tx(a, "XREADGROUP GROUP g c BLOCK 0 STREAMS s >");
    wait_blocked(c, 1);
    freeReplyObject(cmd(c, "SET s x"));
    expect_bytes(a, gone, 2000);
    /* flushed */
    freeReplyObject(cmd(c, "DEL s"));
    freeReplyObject(cmd(c, "XGROUP CREATE s g $ MKSTREAM"));
    tx(a, "XREADGROUP GROUP g c BLOCK 0 STREAMS s >");
    wait_blocked(c, 1);
    freeReplyObject(cmd(c, "FLUSHALL"));
    expect_bytes(a, gone, 2000);
    /* group destroyed */
    freeReplyObject(cmd(c, "XGROUP CREATE s g $ MKSTREAM"));
    tx(a, "XREADGROUP GROUP g c BLOCK 0 STREAMS s >");
    wait_blocked(c, 1);
    expect_int(c, 1, "XGROUP DESTROY s g");
    expect_bytes(a, "-NOGROUP the consumer group this client was blocked on no longer exists\r\n",
                 2000);
    /* RENAME: a stream with the group moves in */
    freeReplyObject(cmd(c, "XGROUP CREATE s g $"));
    tx(a, "XREADGROUP GROUP g c BLOCK 0 STREAMS s >");
    wait_blocked(c, 1);
    freeReplyObject(cmd(c, "XGROUP CREATE s2 g $ MKSTREAM"));
    freeReplyObject(cmd(c, "XADD s2 100-0 f v"));
    expect_status(c, "OK", "RENAME s2 s");
    expect_bytes(a, "*1\r\n*2\r\n$1\r\ns\r\n*1\r\n*2\r\n$5\r\n100-0\r\n*2\r\n$1\r\nf\r\n$1\r\n"
                    "v\r\n",
                 2000);
    /* RENAME: a stream without the group moves in */
    tx(a, "XREADGROUP GROUP g c BLOCK 0 STREAMS s >");
    wait_blocked(c, 1);
    freeReplyObject(cmd(c, "XADD s3 1-0 f v"));
    expect_status(c, "OK", "RENAME s3 s");
    expect_bytes(a, "-NOGROUP the consumer group this client was blocked on no longer exists\r\n",
                 2000);
    close(a);
    redisFree(c);
}

Test(stream, blocked_xread_survives_deletion)
{
    redisContext *c = srv_connect(s);
    int a = srv_raw_connect(s);
    freeReplyObject(cmd(c, "XADD s 666-0 f v"));
    tx(a, "XREAD BLOCK 0 STREAMS s $");
    wait_blocked(c, 1);
    freeReplyObject(cmd(c, "DEL s"));
    freeReplyObject(cmd(c, "SET s x"));
    freeReplyObject(cmd(c, "DEL s"));
    expect_silence(a, 50);
    freeReplyObject(cmd(c, "XADD s 667-0 f v"));
    expect_bytes(a, "*1\r\n*2\r\n$1\r\ns\r\n*1\r\n*2\r\n$5\r\n667-0\r\n*2\r\n$1\r\nf\r\n$1\r\n"
                    "v\r\n",
                 2000);
    /* an entry at or below the remembered ID does not wake it */
    freeReplyObject(cmd(c, "DEL s"));
    tx(a, "XREAD BLOCK 0 STREAMS s 700-0");
    wait_blocked(c, 1);
    freeReplyObject(cmd(c, "XADD s 700-0 f v"));
    expect_silence(a, 50);
    freeReplyObject(cmd(c, "XADD s 700-1 f v"));
    expect_bytes(a, "*1\r\n*2\r\n$1\r\ns\r\n*1\r\n*2\r\n$5\r\n700-1\r\n*2\r\n$1\r\nf\r\n$1\r\n"
                    "v\r\n",
                 2000);
    close(a);
    redisFree(c);
}

Test(stream, client_unblock)
{
    redisContext *c = srv_connect(s);
    int a = srv_raw_connect(s);
    freeReplyObject(cmd(c, "XGROUP CREATE s g $ MKSTREAM"));
    char idbuf[64], line[64];
    size_t n = 0;
    tx(a, "CLIENT ID");
    do {
        raw_send_recv(a, "", 0, idbuf + n, 1, 1000);
    } while (idbuf[n++] != '\n' && n < sizeof(idbuf) - 1);
    idbuf[n] = '\0';
    long long id = atoll(idbuf + 1);
    tx(a, "XREADGROUP GROUP g c BLOCK 0 STREAMS s >");
    wait_blocked(c, 1);
    snprintf(line, sizeof(line), "CLIENT UNBLOCK %lld", id);
    expect_int(c, 1, line);
    expect_bytes(a, "*-1\r\n", 2000);
    tx(a, "XREAD BLOCK 0 STREAMS s $");
    wait_blocked(c, 1);
    snprintf(line, sizeof(line), "CLIENT UNBLOCK %lld ERROR", id);
    expect_int(c, 1, line);
    expect_bytes(a, "-UNBLOCKED client unblocked via CLIENT UNBLOCK\r\n", 2000);
    close(a);
    redisFree(c);
}

/* ---- keyspace notifications --------------------------------------------------- */

Test(stream, keyspace_events)
{
    redisContext *c = srv_connect(s);
    expect_status(c, "OK", "CONFIG SET notify-keyspace-events Et");
    int sub = srv_raw_connect(s);
    tx(sub, "SUBSCRIBE __keyevent@0__:xadd __keyevent@0__:xtrim __keyevent@0__:xdel "
            "__keyevent@0__:xgroup-create __keyevent@0__:xgroup-createconsumer "
            "__keyevent@0__:xgroup-delconsumer __keyevent@0__:xgroup-destroy "
            "__keyevent@0__:xgroup-setid __keyevent@0__:xsetid");
    const char *chans[] = {"xadd", "xtrim", "xdel", "xgroup-create", "xgroup-createconsumer",
                           "xgroup-delconsumer", "xgroup-destroy", "xgroup-setid", "xsetid"};
    for (int i = 0; i < 9; i++) {
        char want[256], chan[64];
        snprintf(chan, sizeof(chan), "__keyevent@0__:%s", chans[i]);
        snprintf(want, sizeof(want), "*3\r\n$9\r\nsubscribe\r\n$%zu\r\n%s\r\n:%d\r\n",
                 strlen(chan), chan, i + 1);
        expect_bytes(sub, want, 2000);
    }
    freeReplyObject(cmd(c, "XADD s MAXLEN 1 1-0 f v"));
    freeReplyObject(cmd(c, "XADD s MAXLEN 1 2-0 f v"));
    freeReplyObject(cmd(c, "XDEL s 2-0"));
    freeReplyObject(cmd(c, "XGROUP CREATE s g 0"));
    freeReplyObject(cmd(c, "XGROUP CREATECONSUMER s g c"));
    freeReplyObject(cmd(c, "XGROUP DELCONSUMER s g c"));
    freeReplyObject(cmd(c, "XGROUP SETID s g 0"));
    freeReplyObject(cmd(c, "XGROUP DESTROY s g"));
    freeReplyObject(cmd(c, "XSETID s 5-0"));
    freeReplyObject(cmd(c, "XTRIM s MAXLEN 0"));
    const char *events[] = {"xadd", "xadd", "xtrim", "xdel", "xgroup-create",
                            "xgroup-createconsumer", "xgroup-delconsumer", "xgroup-setid",
                            "xgroup-destroy", "xsetid"};
    for (size_t i = 0; i < sizeof(events) / sizeof(events[0]); i++) {
        char want[256];
        char chan[64];
        snprintf(chan, sizeof(chan), "__keyevent@0__:%s", events[i]);
        snprintf(want, sizeof(want), "*3\r\n$7\r\nmessage\r\n$%zu\r\n%s\r\n$1\r\ns\r\n",
                 strlen(chan), chan);
        expect_bytes(sub, want, 2000);
    }
    expect_silence(sub, 50);
    close(sub);
    redisFree(c);
}

/* ---- the AOF ------------------------------------------------------------------ */

/* The incr AOF file's content (the harness runs the server in s->dir). */
static char *read_incr_aof(srv_handle *h)
{
    char cmdline[512];
    snprintf(cmdline, sizeof(cmdline), "cat %s/appendonlydir/*.incr.aof 2>/dev/null", h->dir);
    FILE *f = popen(cmdline, "r");
    cr_assert(f);
    size_t cap = 1 << 20, n = 0;
    char *buf = malloc(cap);
    size_t r;
    while ((r = fread(buf + n, 1, cap - n - 1, f)) > 0)
        n += r;
    buf[n] = '\0';
    pclose(f);
    return buf;
}

static int has(const char *hay, const char *needle)
{
    return strstr(hay, needle) != NULL;
}

Test(stream, aof_propagation_and_reload)
{
    srv_handle *h = srv_start("--appendonly yes --appendfsync always");
    redisContext *c = srv_connect(h);
    expect_status(c, "OK", "CONFIG SET stream-node-max-entries 2");
    freeReplyObject(cmd(c, "XADD s 5-* a 1"));
    freeReplyObject(cmd(c, "XADD s 6-0 a 2"));
    freeReplyObject(cmd(c, "XADD s MAXLEN ~ 1 7-0 a 3"));
    freeReplyObject(cmd(c, "XADD s * a 4"));
    freeReplyObject(cmd(c, "XGROUP CREATE s g 0"));
    freeReplyObject(cmd(c, "XREADGROUP GROUP g alice COUNT 1 STREAMS s >"));
    freeReplyObject(cmd(c, "XREADGROUP GROUP g bob NOACK STREAMS s >"));
    freeReplyObject(cmd(c, "XCLAIM s g carol 0 7-0 JUSTID"));
    char *aof = read_incr_aof(h);
    /* the generated IDs are logged, not "*" / "5-*" */
    cr_assert(!has(aof, "$1\r\n*\r\n") && !has(aof, "5-*"), "%s", aof);
    cr_assert(has(aof, "$4\r\nXADD\r\n$1\r\ns\r\n$3\r\n5-0\r\n"), "%s", aof);
    /* "~" becomes "=" with the resulting length */
    cr_assert(has(aof, "$6\r\nMAXLEN\r\n$1\r\n=\r\n$1\r\n1\r\n$3\r\n7-0\r\n"), "%s", aof);
    /* reads are logged as XCLAIM ... FORCE JUSTID LASTID, NOACK as SETID */
    cr_assert(has(aof, "$6\r\nXCLAIM\r\n$1\r\ns\r\n$1\r\ng\r\n$5\r\nalice\r\n$1\r\n0\r\n$3\r\n7-0"
                       "\r\n$4\r\nTIME\r\n"),
              "%s", aof);
    cr_assert(has(aof, "$6\r\nXGROUP\r\n$14\r\nCREATECONSUMER\r\n$1\r\ns\r\n$1\r\ng\r\n$3\r\nbob"),
              "%s", aof);
    cr_assert(has(aof, "$6\r\nXGROUP\r\n$5\r\nSETID\r\n$1\r\ns\r\n$1\r\ng\r\n"), "%s", aof);
    cr_assert(has(aof, "$11\r\nENTRIESREAD\r\n$1\r\n4\r\n"), "%s", aof);
    cr_assert(has(aof, "$5\r\ncarol\r\n$1\r\n0\r\n$3\r\n7-0\r\n"), "%s", aof);
    cr_assert(!has(aof, "XREADGROUP"), "%s", aof);
    free(aof);
    redisReply *before = cmd(c, "XPENDING s g - + 10");
    redisReply *ginfo = cmd(c, "XINFO GROUPS s");
    expect_status(c, "OK", "DEBUG LOADAOF");
    redisReply *after = cmd(c, "XPENDING s g - + 10");
    redisReply *ginfo2 = cmd(c, "XINFO GROUPS s");
    cr_assert_eq(after->elements, before->elements);
    for (size_t i = 0; i < before->elements; i++) {
        cr_assert_str_eq(elem(elem(after, i), 0)->str, elem(elem(before, i), 0)->str);
        cr_assert_str_eq(elem(elem(after, i), 1)->str, elem(elem(before, i), 1)->str);
        cr_assert_eq(elem(elem(after, i), 3)->integer, elem(elem(before, i), 3)->integer);
    }
    redisReply *g1 = elem(ginfo, 0), *g2 = elem(ginfo2, 0);
    for (size_t i = 0; i < g1->elements; i++) {
        cr_assert_eq(g1->element[i]->type, g2->element[i]->type);
        if (g1->element[i]->type == REDIS_REPLY_INTEGER)
            cr_assert_eq(g1->element[i]->integer, g2->element[i]->integer, "field %zu", i);
        else if (g1->element[i]->type == REDIS_REPLY_STRING)
            cr_assert_str_eq(g1->element[i]->str, g2->element[i]->str);
    }
    freeReplyObject(before);
    freeReplyObject(after);
    freeReplyObject(ginfo);
    freeReplyObject(ginfo2);
    redisFree(c);
    srv_stop(h);
}
