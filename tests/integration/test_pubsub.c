/* test_pubsub.c - pub/sub: channels, patterns, shard channels, PUBSUB
 * introspection, RESP2 restrictions, RESP3 pushes (exact bytes over raw
 * sockets), keyspace notifications, large shared messages and slow
 * subscribers cut off at the output buffer limit. */
#include "harness.h"

#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
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

TestSuite(pubsub, .init = setup, .fini = teardown, .timeout = 60);

/* ---- helpers ---- */

static redisReply *next_reply(redisContext *c)
{
    void *r = NULL;
    cr_assert_eq(redisGetReply(c, &r), REDIS_OK, "read failed: %s", c->errstr);
    cr_assert(r);
    return r;
}

static void check_elem_str(redisReply *e, const char *v, int i)
{
    if (!v) {
        cr_assert_eq(e->type, REDIS_REPLY_NIL, "element %d should be nil (type %d)", i, e->type);
        return;
    }
    cr_assert_eq(e->type, REDIS_REPLY_STRING, "element %d type %d", i, e->type);
    cr_assert_eq(e->len, strlen(v), "element %d: '%s' vs '%s'", i, e->str, v);
    cr_assert(memcmp(e->str, v, e->len) == 0, "element %d: '%s' vs '%s'", i, e->str, v);
}

/* Check a [kind, name, count] (un)subscribe reply. */
static void check_sub_reply(redisReply *r, const char *kind, const char *name, long long n)
{
    cr_assert_eq(r->type, REDIS_REPLY_ARRAY, "type %d (%s)", r->type, r->str ? r->str : "");
    cr_assert_eq(r->elements, 3);
    check_elem_str(r->element[0], kind, 0);
    check_elem_str(r->element[1], name, 1);
    cr_assert_eq(r->element[2]->type, REDIS_REPLY_INTEGER);
    cr_assert_eq(r->element[2]->integer, n, "%s %s: count %lld, expected %lld", kind,
                 name ? name : "(nil)", r->element[2]->integer, n);
    freeReplyObject(r);
}

static void expect_sub(redisContext *c, const char *kind, const char *name, long long n)
{
    check_sub_reply(next_reply(c), kind, name, n);
}

/* Check a message: 3 strings (message/smessage) or 4 (pmessage). */
static void expect_msg(redisContext *c, int n, const char *a, const char *b, const char *d,
                       const char *e)
{
    redisReply *r = next_reply(c);
    const char *v[4] = {a, b, d, e};
    cr_assert_eq(r->type, REDIS_REPLY_ARRAY);
    cr_assert_eq((int)r->elements, n, "elements %zu, expected %d", r->elements, n);
    for (int i = 0; i < n; i++)
        check_elem_str(r->element[i], v[i], i);
    freeReplyObject(r);
}


/* Send raw bytes and expect exactly `want` back (within 2 s). */
static void raw_expect(int fd, const char *out, const char *want)
{
    size_t wl = strlen(want);
    char *in = calloc(1, wl + 1);
    size_t got = raw_send_recv(fd, out, out ? strlen(out) : 0, in, wl, 2000);
    cr_assert(got == wl && memcmp(in, want, wl) == 0, "raw: sent %s\nexpected %s\n     got %.*s",
              out ? out : "(nothing)", want, (int)got, in);
    free(in);
}

/* Nothing more arrives on fd within ms. */
static void raw_quiet(int fd, int ms)
{
    char b[64];
    size_t got = raw_send_recv(fd, NULL, 0, b, sizeof(b), ms);
    cr_assert_eq(got, 0, "unexpected bytes: %.*s", (int)got, b);
}

static long long numsub(redisContext *c, const char *ch)
{
    redisReply *r = cmd(c, "PUBSUB NUMSUB %s", ch);
    cr_assert_eq(r->type, REDIS_REPLY_ARRAY);
    cr_assert_eq(r->elements, 2);
    long long n = r->element[1]->integer;
    freeReplyObject(r);
    return n;
}

/* Wait until PUBSUB NUMSUB ch == n (subscribers leave asynchronously). */
static void wait_numsub(redisContext *c, const char *ch, long long n)
{
    for (int i = 0; i < 200 && numsub(c, ch) != n; i++)
        usleep(10000);
    cr_assert_eq(numsub(c, ch), n, "NUMSUB %s", ch);
}

/* ---- RESP2 ---- */

Test(pubsub, subscribe_publish_basics)
{
    redisContext *sub = srv_connect(s), *pub = srv_connect(s);
    redisReply *r = cmd(sub, "SUBSCRIBE chan1 chan2");
    check_sub_reply(r, "subscribe", "chan1", 1);
    expect_sub(sub, "subscribe", "chan2", 2);
    expect_int(pub, 1, "PUBLISH chan1 hello");
    expect_int(pub, 1, "PUBLISH chan2 world");
    expect_int(pub, 0, "PUBLISH chan3 nobody");
    expect_msg(sub, 3, "message", "chan1", "hello", NULL);
    expect_msg(sub, 3, "message", "chan2", "world", NULL);
    redisFree(sub);
    redisFree(pub);
}

Test(pubsub, binary_safe)
{
    redisContext *sub = srv_connect(s), *pub = srv_connect(s);
    redisReply *r = cmd(sub, "SUBSCRIBE %b", "a\0b\r\n", (size_t)5);
    cr_assert_eq(r->element[1]->len, 5);
    cr_assert(memcmp(r->element[1]->str, "a\0b\r\n", 5) == 0);
    freeReplyObject(r);
    expect_int(pub, 1, "PUBLISH %b %b", "a\0b\r\n", (size_t)5, "x\0y", (size_t)3);
    r = next_reply(sub);
    cr_assert_eq(r->element[2]->len, 3);
    cr_assert(memcmp(r->element[2]->str, "x\0y", 3) == 0);
    freeReplyObject(r);
    redisFree(sub);
    redisFree(pub);
}

Test(pubsub, subscribe_twice_and_unsubscribe)
{
    redisContext *sub = srv_connect(s), *pub = srv_connect(s);
    check_sub_reply(cmd(sub, "SUBSCRIBE c c c"), "subscribe", "c", 1);
    expect_sub(sub, "subscribe", "c", 1);
    expect_sub(sub, "subscribe", "c", 1);
    expect_int(pub, 1, "PUBLISH c once");
    expect_msg(sub, 3, "message", "c", "once", NULL);
    check_sub_reply(cmd(sub, "UNSUBSCRIBE foo c"), "unsubscribe", "foo", 1);
    expect_sub(sub, "unsubscribe", "c", 0);
    expect_int(pub, 0, "PUBLISH c gone");
    /* Not subscribed to anything: one reply with a nil channel. */
    check_sub_reply(cmd(sub, "UNSUBSCRIBE"), "unsubscribe", NULL, 0);
    check_sub_reply(cmd(sub, "PUNSUBSCRIBE"), "punsubscribe", NULL, 0);
    check_sub_reply(cmd(sub, "SUNSUBSCRIBE"), "sunsubscribe", NULL, 0);
    /* Out of pub/sub mode again: ordinary commands work. */
    expect_nil(sub, "GET nokey");
    redisFree(sub);
    redisFree(pub);
}

Test(pubsub, unsubscribe_all_in_order)
{
    redisContext *sub = srv_connect(s), *pub = srv_connect(s);
    check_sub_reply(cmd(sub, "SUBSCRIBE a b c"), "subscribe", "a", 1);
    expect_sub(sub, "subscribe", "b", 2);
    expect_sub(sub, "subscribe", "c", 3);
    check_sub_reply(cmd(sub, "PSUBSCRIBE p*"), "psubscribe", "p*", 4);
    check_sub_reply(cmd(sub, "UNSUBSCRIBE"), "unsubscribe", "a", 3);
    expect_sub(sub, "unsubscribe", "b", 2);
    expect_sub(sub, "unsubscribe", "c", 1);
    expect_int(pub, 0, "PUBLISH a x");
    expect_int(pub, 1, "PUBLISH pa x");
    expect_msg(sub, 4, "pmessage", "p*", "pa", "x");
    check_sub_reply(cmd(sub, "PUNSUBSCRIBE"), "punsubscribe", "p*", 0);
    expect_int(pub, 0, "PUBLISH pa x");
    redisFree(sub);
    redisFree(pub);
}

Test(pubsub, resp2_subscribed_context)
{
    redisContext *sub = srv_connect(s);
    check_sub_reply(cmd(sub, "SUBSCRIBE ch"), "subscribe", "ch", 1);
    expect_error(sub,
                 "ERR Can't execute 'get': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / "
                 "QUIT / RESET are allowed in this context",
                 "GET x");
    expect_error(sub,
                 "ERR Can't execute 'pubsub|numsub': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / "
                 "PING / QUIT / RESET are allowed in this context",
                 "PUBSUB NUMSUB ch");
    /* PING answers as a message-shaped array while subscribed. */
    const char *pong[] = {"pong", ""};
    expect_strings(sub, 2, pong, "PING");
    const char *pong2[] = {"pong", "hi"};
    expect_strings(sub, 2, pong2, "PING hi");
    /* A shard subscription alone also keeps the client in pub/sub mode. */
    check_sub_reply(cmd(sub, "SSUBSCRIBE sh"), "ssubscribe", "sh", 1);
    check_sub_reply(cmd(sub, "UNSUBSCRIBE"), "unsubscribe", "ch", 0);
    expect_error_prefix(sub, "ERR Can't execute 'get'", "GET x");
    check_sub_reply(cmd(sub, "SUNSUBSCRIBE"), "sunsubscribe", "sh", 0);
    expect_nil(sub, "GET x");
    expect_status(sub, "PONG", "PING");
    redisFree(sub);
}

Test(pubsub, patterns_and_channels_each_deliver)
{
    redisContext *sub = srv_connect(s), *pub = srv_connect(s);
    check_sub_reply(cmd(sub, "SUBSCRIBE foo.bar"), "subscribe", "foo.bar", 1);
    check_sub_reply(cmd(sub, "PSUBSCRIBE foo.* f?o.[a-c]ar [^x]oo.bar"), "psubscribe", "foo.*", 2);
    expect_sub(sub, "psubscribe", "f?o.[a-c]ar", 3);
    expect_sub(sub, "psubscribe", "[^x]oo.bar", 4);
    check_sub_reply(cmd(sub, "PSUBSCRIBE foo.*"), "psubscribe", "foo.*", 4);
    /* One delivery per matching subscription: the channel, then patterns. */
    expect_int(pub, 4, "PUBLISH foo.bar hi");
    expect_msg(sub, 3, "message", "foo.bar", "hi", NULL);
    expect_msg(sub, 4, "pmessage", "foo.*", "foo.bar", "hi");
    expect_msg(sub, 4, "pmessage", "f?o.[a-c]ar", "foo.bar", "hi");
    expect_msg(sub, 4, "pmessage", "[^x]oo.bar", "foo.bar", "hi");
    expect_int(pub, 1, "PUBLISH foo.zzz hi");
    expect_msg(sub, 4, "pmessage", "foo.*", "foo.zzz", "hi");
    expect_int(pub, 0, "PUBLISH foo1 hi");
    expect_int(pub, 0, "PUBLISH xoo.car hi");
    expect_int(pub, 1, "PUBLISH fxo.car hi");
    expect_msg(sub, 4, "pmessage", "f?o.[a-c]ar", "fxo.car", "hi");
    redisFree(sub);
    redisFree(pub);
}

Test(pubsub, glob_escapes_and_pathological_pattern)
{
    redisContext *sub = srv_connect(s), *pub = srv_connect(s);
    check_sub_reply(cmd(sub, "PSUBSCRIBE %s", "a\\*b"), "psubscribe", "a\\*b", 1);
    expect_int(pub, 0, "PUBLISH axxb x");
    expect_int(pub, 1, "PUBLISH a*b x");
    expect_msg(sub, 4, "pmessage", "a\\*b", "a*b", "x");
    /* Many stars against a long non-matching channel: bounded work. */
    char pat[400], ch[20001];
    size_t n = 0;
    for (int i = 0; i < 150; i++) {
        pat[n++] = '*';
        pat[n++] = 'a';
    }
    pat[n++] = 'b';
    pat[n] = '\0';
    memset(ch, 'a', sizeof(ch) - 1);
    ch[sizeof(ch) - 1] = '\0';
    check_sub_reply(cmd(sub, "PSUBSCRIBE %s", pat), "psubscribe", pat, 2);
    long long t0 = now_ms();
    expect_int(pub, 0, "PUBLISH %s x", ch);
    cr_assert_lt(now_ms() - t0, 2000, "pattern matching took %lld ms", now_ms() - t0);
    redisFree(sub);
    redisFree(pub);
}

Test(pubsub, shard_channels)
{
    redisContext *sub = srv_connect(s), *pub = srv_connect(s), *psub = srv_connect(s);
    check_sub_reply(cmd(sub, "SSUBSCRIBE s1"), "ssubscribe", "s1", 1);
    check_sub_reply(cmd(sub, "SSUBSCRIBE s2 s1"), "ssubscribe", "s2", 2);
    expect_sub(sub, "ssubscribe", "s1", 2);
    /* Shard and global counts are separate. */
    check_sub_reply(cmd(sub, "SUBSCRIBE s1"), "subscribe", "s1", 1);
    check_sub_reply(cmd(psub, "PSUBSCRIBE s*"), "psubscribe", "s*", 1);
    expect_int(pub, 1, "SPUBLISH s1 hello");
    expect_msg(sub, 3, "smessage", "s1", "hello", NULL);
    /* PUBLISH reaches the global subscription and the pattern only. */
    expect_int(pub, 2, "PUBLISH s1 glob");
    expect_msg(sub, 3, "message", "s1", "glob", NULL);
    expect_msg(psub, 4, "pmessage", "s*", "s1", "glob");
    expect_int(pub, 0, "SPUBLISH s3 x");
    const char *nums[] = {"s1", "s3"};
    redisReply *r = cmd(pub, "PUBSUB SHARDNUMSUB s1 s3");
    cr_assert_eq(r->elements, 4);
    check_elem_str(r->element[0], nums[0], 0);
    cr_assert_eq(r->element[1]->integer, 1);
    check_elem_str(r->element[2], nums[1], 2);
    cr_assert_eq(r->element[3]->integer, 0);
    freeReplyObject(r);
    check_sub_reply(cmd(sub, "SUNSUBSCRIBE s9 s1"), "sunsubscribe", "s9", 2);
    expect_sub(sub, "sunsubscribe", "s1", 1);
    check_sub_reply(cmd(sub, "SUNSUBSCRIBE"), "sunsubscribe", "s2", 0);
    expect_int(pub, 0, "SPUBLISH s2 x");
    redisFree(sub);
    redisFree(pub);
    redisFree(psub);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* PUBSUB CHANNELS / SHARDCHANNELS reply, sorted, joined by spaces. */
static void expect_channels(redisContext *c, const char *want, const char *fmt)
{
    redisReply *r = cmd(c, fmt);
    cr_assert_eq(r->type, REDIS_REPLY_ARRAY);
    char *v[64];
    for (size_t i = 0; i < r->elements && i < 64; i++)
        v[i] = r->element[i]->str;
    qsort(v, r->elements, sizeof(char *), cmp_str);
    char got[512] = "";
    for (size_t i = 0; i < r->elements && i < 64; i++) {
        strcat(got, i ? " " : "");
        strcat(got, v[i]);
    }
    cr_assert_str_eq(got, want, "%s", fmt);
    freeReplyObject(r);
}

Test(pubsub, pubsub_introspection)
{
    redisContext *a = srv_connect(s), *b = srv_connect(s), *c = srv_connect(s);
    check_sub_reply(cmd(a, "SUBSCRIBE news.1 news.2 sport"), "subscribe", "news.1", 1);
    expect_sub(a, "subscribe", "news.2", 2);
    expect_sub(a, "subscribe", "sport", 3);
    check_sub_reply(cmd(b, "SUBSCRIBE news.1"), "subscribe", "news.1", 1);
    check_sub_reply(cmd(b, "PSUBSCRIBE n* s*"), "psubscribe", "n*", 2);
    expect_sub(b, "psubscribe", "s*", 3);
    check_sub_reply(cmd(a, "PSUBSCRIBE n*"), "psubscribe", "n*", 4);
    check_sub_reply(cmd(a, "SSUBSCRIBE sh1 sh2"), "ssubscribe", "sh1", 1);
    expect_sub(a, "ssubscribe", "sh2", 2);

    expect_channels(c, "news.1 news.2 sport", "PUBSUB CHANNELS");
    expect_channels(c, "news.1 news.2", "PUBSUB CHANNELS news.*");
    expect_channels(c, "", "PUBSUB CHANNELS nomatch*");
    expect_channels(c, "sh1 sh2", "PUBSUB SHARDCHANNELS");
    expect_channels(c, "sh2", "PUBSUB SHARDCHANNELS *2");
    redisReply *r = cmd(c, "PUBSUB NUMSUB news.1 sport nochan");
    cr_assert_eq(r->elements, 6);
    cr_assert_eq(r->element[1]->type, REDIS_REPLY_INTEGER);
    cr_assert_eq(r->element[1]->integer, 2);
    cr_assert_eq(r->element[3]->integer, 1);
    cr_assert_eq(r->element[5]->integer, 0);
    freeReplyObject(r);
    const char *none[] = {NULL};
    expect_strings(c, 0, none, "PUBSUB NUMSUB");
    expect_int(c, 2, "PUBSUB NUMPAT");

    expect_error(c,
                 "ERR unknown subcommand or wrong number of arguments for 'channels'. Try "
                 "PUBSUB HELP.",
                 "PUBSUB channels a b");
    expect_error(c,
                 "ERR unknown subcommand or wrong number of arguments for 'SHARDCHANNELS'. "
                 "Try PUBSUB HELP.",
                 "PUBSUB SHARDCHANNELS a b");
    expect_error(c, "ERR wrong number of arguments for 'pubsub|numpat' command", "PUBSUB NUMPAT x");
    expect_error(c, "ERR unknown subcommand 'nosuch'. Try PUBSUB HELP.", "PUBSUB nosuch");
    expect_error(c, "ERR wrong number of arguments for 'pubsub' command", "PUBSUB");
    expect_error(c, "ERR wrong number of arguments for 'publish' command", "PUBLISH a");
    expect_error(c, "ERR wrong number of arguments for 'subscribe' command", "SUBSCRIBE");
    expect_error(c, "ERR wrong number of arguments for 'ssubscribe' command", "SSUBSCRIBE");
    expect_error(c, "ERR wrong number of arguments for 'spublish' command", "SPUBLISH a b c");

    r = cmd(c, "PUBSUB HELP");
    cr_assert_eq(r->type, REDIS_REPLY_ARRAY);
    cr_assert_eq(r->elements, 14);
    cr_assert_str_eq(r->element[0]->str,
                     "PUBSUB <subcommand> [<arg> [value] [opt] ...]. Subcommands are:");
    cr_assert_str_eq(r->element[8]->str, "SHARDCHANNELS [<pattern>]");
    freeReplyObject(r);

    /* Channels disappear with their last subscriber. */
    redisFree(a);
    redisFree(b);
    wait_numsub(c, "news.1", 0);
    expect_channels(c, "", "PUBSUB CHANNELS");
    expect_channels(c, "", "PUBSUB SHARDCHANNELS");
    expect_int(c, 0, "PUBSUB NUMPAT");
    redisFree(c);
}

Test(pubsub, multi_exec)
{
    redisContext *c = srv_connect(s), *pub = srv_connect(s);
    expect_status(c, "OK", "MULTI");
    expect_status(c, "QUEUED", "SUBSCRIBE m1");
    expect_status(c, "QUEUED", "SSUBSCRIBE m2");
    expect_status(c, "QUEUED", "PUBLISH m1 self");
    /* EXEC's array holds the subscribe push, the SSUBSCRIBE error and the
     * message (pushed before PUBLISH's own reply, as Redis 7.0 does). */
    redisReply *r = cmd(c, "EXEC");
    cr_assert_eq(r->type, REDIS_REPLY_ARRAY);
    cr_assert_eq(r->elements, 3);
    cr_assert_eq(r->element[0]->type, REDIS_REPLY_ARRAY);
    cr_assert_eq(r->element[1]->type, REDIS_REPLY_ERROR);
    cr_assert_str_eq(r->element[1]->str, "ERR SSUBSCRIBE isn't allowed for a DENY BLOCKING client");
    cr_assert_eq(r->element[2]->type, REDIS_REPLY_ARRAY);
    freeReplyObject(r);
    r = next_reply(c); /* PUBLISH's own reply, after the message */
    cr_assert_eq(r->type, REDIS_REPLY_INTEGER);
    cr_assert_eq(r->integer, 1);
    freeReplyObject(r);
    cr_assert_eq(numsub(pub, "m1"), 1);
    redisFree(c);
    redisFree(pub);
}

Test(pubsub, disconnect_cleans_up)
{
    redisContext *c = srv_connect(s);
    for (int i = 0; i < 3; i++) {
        redisContext *sub = srv_connect(s);
        check_sub_reply(cmd(sub, "SUBSCRIBE gone"), "subscribe", "gone", 1);
        check_sub_reply(cmd(sub, "PSUBSCRIBE go*"), "psubscribe", "go*", 2);
        check_sub_reply(cmd(sub, "SSUBSCRIBE gone"), "ssubscribe", "gone", 1);
        redisFree(sub);
    }
    wait_numsub(c, "gone", 0);
    expect_int(c, 0, "PUBSUB NUMPAT");
    expect_int(c, 0, "PUBLISH gone x");
    expect_int(c, 0, "SPUBLISH gone x");
    redisFree(c);
}

/* ---- RESP3 and exact bytes ---- */

Test(pubsub, resp3_push_bytes)
{
    int fd = srv_raw_connect(s);
    redisContext *pub = srv_connect(s);
    char buf[4096];
    raw_send_recv(fd, "HELLO 3\r\n", 9, buf, sizeof(buf), 300);
    raw_expect(fd, "SUBSCRIBE ch\r\n", ">3\r\n$9\r\nsubscribe\r\n$2\r\nch\r\n:1\r\n");
    raw_expect(fd, "PSUBSCRIBE c*\r\n", ">3\r\n$10\r\npsubscribe\r\n$2\r\nc*\r\n:2\r\n");
    expect_int(pub, 2, "PUBLISH ch hello");
    raw_expect(fd, NULL,
               ">3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$5\r\nhello\r\n"
               ">4\r\n$8\r\npmessage\r\n$2\r\nc*\r\n$2\r\nch\r\n$5\r\nhello\r\n");
    /* Any command is allowed, replies interleave with pushes. */
    raw_expect(fd, "GET nokey\r\n", "_\r\n");
    raw_expect(fd, "PING\r\n", "+PONG\r\n");
    /* Publishing to itself: the push comes before PUBLISH's reply. */
    raw_expect(fd, "PUBLISH ch me\r\n",
               ">3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$2\r\nme\r\n"
               ">4\r\n$8\r\npmessage\r\n$2\r\nc*\r\n$2\r\nch\r\n$2\r\nme\r\n:2\r\n");
    raw_expect(fd, "SSUBSCRIBE s\r\n", ">3\r\n$10\r\nssubscribe\r\n$1\r\ns\r\n:1\r\n");
    expect_int(pub, 1, "SPUBLISH s x");
    raw_expect(fd, NULL, ">3\r\n$8\r\nsmessage\r\n$1\r\ns\r\n$1\r\nx\r\n");
    raw_expect(fd, "UNSUBSCRIBE\r\n", ">3\r\n$11\r\nunsubscribe\r\n$2\r\nch\r\n:1\r\n");
    raw_expect(fd, "UNSUBSCRIBE\r\n", ">3\r\n$11\r\nunsubscribe\r\n_\r\n:1\r\n");
    raw_expect(fd, "PUNSUBSCRIBE\r\n", ">3\r\n$12\r\npunsubscribe\r\n$2\r\nc*\r\n:0\r\n");
    raw_expect(fd, "PUNSUBSCRIBE x\r\n", ">3\r\n$12\r\npunsubscribe\r\n$1\r\nx\r\n:0\r\n");
    raw_expect(fd, "SUNSUBSCRIBE\r\n", ">3\r\n$12\r\nsunsubscribe\r\n$1\r\ns\r\n:0\r\n");
    raw_expect(fd, "SUNSUBSCRIBE\r\n", ">3\r\n$12\r\nsunsubscribe\r\n_\r\n:0\r\n");
    close(fd);
    redisFree(pub);
}

Test(pubsub, resp2_bytes_and_mixed_protocols)
{
    int r2 = srv_raw_connect(s), r3 = srv_raw_connect(s);
    redisContext *pub = srv_connect(s);
    char buf[4096];
    raw_send_recv(r3, "HELLO 3\r\n", 9, buf, sizeof(buf), 300);
    raw_expect(r2, "SUBSCRIBE ch\r\n", "*3\r\n$9\r\nsubscribe\r\n$2\r\nch\r\n:1\r\n");
    raw_expect(r3, "SUBSCRIBE ch\r\n", ">3\r\n$9\r\nsubscribe\r\n$2\r\nch\r\n:1\r\n");
    raw_expect(r2, "PSUBSCRIBE *\r\n", "*3\r\n$10\r\npsubscribe\r\n$1\r\n*\r\n:2\r\n");
    expect_int(pub, 3, "PUBLISH ch payload");
    raw_expect(r2, NULL,
               "*3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$7\r\npayload\r\n"
               "*4\r\n$8\r\npmessage\r\n$1\r\n*\r\n$2\r\nch\r\n$7\r\npayload\r\n");
    raw_expect(r3, NULL, ">3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$7\r\npayload\r\n");
    raw_expect(r2, "PING\r\n", "*2\r\n$4\r\npong\r\n$0\r\n\r\n");
    raw_expect(r2, "UNSUBSCRIBE nope\r\n", "*3\r\n$11\r\nunsubscribe\r\n$4\r\nnope\r\n:2\r\n");
    raw_expect(r2, "UNSUBSCRIBE\r\n", "*3\r\n$11\r\nunsubscribe\r\n$2\r\nch\r\n:1\r\n");
    raw_expect(r2, "PUNSUBSCRIBE\r\n", "*3\r\n$12\r\npunsubscribe\r\n$1\r\n*\r\n:0\r\n");
    raw_expect(r2, "PUNSUBSCRIBE\r\n", "*3\r\n$12\r\npunsubscribe\r\n$-1\r\n:0\r\n");
    raw_quiet(r3, 100);
    close(r2);
    close(r3);
    redisFree(pub);
}

/* A message far larger than a client buffer, to RESP2 and RESP3
 * subscribers of the channel and of patterns: every copy is exact. */
Test(pubsub, large_message_shared)
{
    size_t mlen = 300 * 1000;
    char *msg = malloc(mlen);
    for (size_t i = 0; i < mlen; i++)
        msg[i] = (char)('a' + i % 26);
    redisContext *a = srv_connect(s), *pub = srv_connect(s);
    int r3 = srv_raw_connect(s);
    char buf[4096];
    raw_send_recv(r3, "HELLO 3\r\n", 9, buf, sizeof(buf), 300);
    raw_expect(r3, "PSUBSCRIBE big*\r\n", ">3\r\n$10\r\npsubscribe\r\n$4\r\nbig*\r\n:1\r\n");
    check_sub_reply(cmd(a, "SUBSCRIBE bigch"), "subscribe", "bigch", 1);
    check_sub_reply(cmd(a, "PSUBSCRIBE b*"), "psubscribe", "b*", 2);
    for (int round = 0; round < 3; round++) {
        expect_int(pub, 3, "PUBLISH bigch %b", msg, mlen);
        redisReply *r = next_reply(a);
        cr_assert_eq(r->elements, 3);
        cr_assert_eq(r->element[2]->len, mlen);
        cr_assert(memcmp(r->element[2]->str, msg, mlen) == 0);
        freeReplyObject(r);
        r = next_reply(a);
        cr_assert_eq(r->elements, 4);
        check_elem_str(r->element[1], "b*", 1);
        cr_assert_eq(r->element[3]->len, mlen);
        cr_assert(memcmp(r->element[3]->str, msg, mlen) == 0);
        freeReplyObject(r);
        char head[128];
        int hl = snprintf(head, sizeof(head),
                          ">4\r\n$8\r\npmessage\r\n$4\r\nbig*\r\n$5\r\nbigch\r\n$%zu\r\n", mlen);
        size_t want = (size_t)hl + mlen + 2;
        char *in = malloc(want);
        size_t got = raw_send_recv(r3, NULL, 0, in, want, 3000);
        cr_assert_eq(got, want);
        cr_assert(memcmp(in, head, (size_t)hl) == 0);
        cr_assert(memcmp(in + hl, msg, mlen) == 0);
        cr_assert(memcmp(in + hl + mlen, "\r\n", 2) == 0);
        free(in);
    }
    free(msg);
    close(r3);
    redisFree(a);
    redisFree(pub);
}

/* ---- keyspace notifications ---- */

Test(pubsub, keyspace_notifications)
{
    redisContext *c = srv_connect(s), *sub = srv_connect(s);
    expect_status(c, "OK", "CONFIG SET notify-keyspace-events KEA");
    check_sub_reply(cmd(sub, "PSUBSCRIBE __key*"), "psubscribe", "__key*", 1);
    expect_status(c, "OK", "SET foo bar");
    expect_msg(sub, 4, "pmessage", "__key*", "__keyspace@0__:foo", "set");
    expect_msg(sub, 4, "pmessage", "__key*", "__keyevent@0__:set", "foo");
    expect_int(c, 1, "EXPIRE foo 100");
    expect_msg(sub, 4, "pmessage", "__key*", "__keyspace@0__:foo", "expire");
    expect_msg(sub, 4, "pmessage", "__key*", "__keyevent@0__:expire", "foo");
    expect_int(c, 1, "DEL foo");
    expect_msg(sub, 4, "pmessage", "__key*", "__keyspace@0__:foo", "del");
    expect_msg(sub, 4, "pmessage", "__key*", "__keyevent@0__:del", "foo");
    expect_int(c, 0, "DEL foo"); /* nothing deleted, nothing notified */

    /* Only keyevent, only generic commands: SET is masked, DEL is not. */
    expect_status(c, "OK", "CONFIG SET notify-keyspace-events Eg");
    expect_status(c, "OK", "SELECT 5");
    expect_status(c, "OK", "SET k v");
    expect_int(c, 1, "DEL k");
    expect_msg(sub, 4, "pmessage", "__key*", "__keyevent@5__:del", "k");

    /* Expired keys ("x"), found by a lookup. */
    expect_status(c, "OK", "CONFIG SET notify-keyspace-events Kx");
    expect_status(c, "OK", "PSETEX gone 20 v");
    usleep(60000);
    expect_nil(c, "GET gone");
    expect_msg(sub, 4, "pmessage", "__key*", "__keyspace@5__:gone", "expired");

    /* Subscribing to exact channels works as well. */
    expect_status(c, "OK", "CONFIG SET notify-keyspace-events E$");
    redisContext *sub2 = srv_connect(s);
    check_sub_reply(cmd(sub2, "SUBSCRIBE __keyevent@5__:set"), "subscribe", "__keyevent@5__:set",
                    1);
    expect_status(c, "OK", "SET a 1");
    expect_msg(sub2, 3, "message", "__keyevent@5__:set", "a", NULL);
    expect_msg(sub, 4, "pmessage", "__key*", "__keyevent@5__:set", "a");

    /* Off again: nothing published. */
    expect_status(c, "OK", "CONFIG SET notify-keyspace-events %s", "");
    expect_status(c, "OK", "SET a 2");
    expect_int(c, 2, "PUBLISH __keyevent@5__:set probe");
    expect_msg(sub2, 3, "message", "__keyevent@5__:set", "probe", NULL);
    redisFree(sub2);
    redisFree(sub);
    redisFree(c);
}

/* ---- slow subscribers ---- */

/* A subscriber that never reads is disconnected at the pub/sub output
 * limit; the publisher and the other subscriber are not held up. */
Test(pubsub, stuck_subscriber_is_cut_off)
{
    redisContext *pub = srv_connect(s), *good = srv_connect(s);
    expect_status(pub, "OK", "CONFIG SET client-output-buffer-limit %s", "pubsub 256kb 128kb 60");
    int stuck = srv_raw_connect_rcvbuf(s, 4096);
    raw_expect(stuck, "SUBSCRIBE slow\r\n", "*3\r\n$9\r\nsubscribe\r\n$4\r\nslow\r\n:1\r\n");
    check_sub_reply(cmd(good, "SUBSCRIBE slow"), "subscribe", "slow", 1);

    char msg[1024];
    memset(msg, 'm', sizeof(msg));
    int total = 4000, batch = 100, cut_at = -1;
    for (int i = 0; i < total; i += batch) {
        for (int j = 0; j < batch; j++)
            redisAppendCommand(pub, "PUBLISH slow %b", msg, sizeof(msg));
        for (int j = 0; j < batch; j++) {
            redisReply *r = next_reply(pub);
            cr_assert_eq(r->type, REDIS_REPLY_INTEGER);
            if (r->integer == 1 && cut_at < 0)
                cut_at = i + j;
            if (cut_at >= 0)
                cr_assert_eq(r->integer, 1, "receivers went back up");
            freeReplyObject(r);
        }
        /* The good subscriber keeps up and sees every message in order. */
        for (int j = 0; j < batch; j++) {
            redisReply *r = next_reply(good);
            cr_assert_eq(r->elements, 3);
            cr_assert_eq(r->element[2]->len, sizeof(msg));
            freeReplyObject(r);
        }
    }
    cr_assert(cut_at > 0 && cut_at < total, "stuck subscriber never cut off (%d)", cut_at);
    cr_assert_eq(numsub(pub, "slow"), 1);
    /* The stuck socket sees what fitted in the buffers, then EOF. */
    char sink[65536];
    long long deadline = now_ms() + 5000;
    int eof = 0;
    while (now_ms() < deadline) {
        struct pollfd p = {stuck, POLLIN, 0};
        if (poll(&p, 1, 500) <= 0)
            continue;
        ssize_t n = read(stuck, sink, sizeof(sink));
        if (n <= 0) {
            eof = 1;
            break;
        }
    }
    cr_assert(eof, "stuck subscriber's connection was not closed");
    close(stuck);
    /* The server logged it. */
    char path[400], line[1024];
    snprintf(path, sizeof(path), "%s/server.log", s->dir);
    FILE *f = fopen(path, "r");
    int logged = 0;
    while (f && fgets(line, sizeof(line), f))
        if (strstr(line, "scheduled to be closed ASAP for overcoming of output buffer limits"))
            logged = 1;
    if (f)
        fclose(f);
    cr_assert(logged, "no log line for the disconnection");
    redisFree(pub);
    redisFree(good);
}

/* Soft limit: over it for longer than the configured seconds. */
Test(pubsub, soft_limit_disconnects_after_seconds)
{
    redisContext *pub = srv_connect(s);
    expect_status(pub, "OK", "CONFIG SET client-output-buffer-limit %s", "pubsub 0 64kb 1");
    int stuck = srv_raw_connect_rcvbuf(s, 4096);
    raw_expect(stuck, "SUBSCRIBE soft\r\n", "*3\r\n$9\r\nsubscribe\r\n$4\r\nsoft\r\n:1\r\n");
    char msg[1024];
    memset(msg, 's', sizeof(msg));
    /* Well past the soft limit (the kernel's socket buffers take a few MB
     * first), then past the soft seconds: the next message cuts it off. */
    long long n = 1;
    for (int i = 0; i < 8000 && n == 1; i += 100) {
        for (int j = 0; j < 100; j++)
            redisAppendCommand(pub, "PUBLISH soft %b", msg, sizeof(msg));
        for (int j = 0; j < 100; j++) {
            redisReply *r = next_reply(pub);
            n = r->integer;
            freeReplyObject(r);
        }
    }
    for (int i = 0; i < 400 && n == 1; i++) {
        usleep(10000);
        redisReply *r = cmd(pub, "PUBLISH soft %b", msg, sizeof(msg));
        n = r->integer;
        freeReplyObject(r);
    }
    cr_assert_eq(n, 0, "soft limit never enforced");
    close(stuck);
    redisFree(pub);
}
