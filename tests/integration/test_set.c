/* test_set.c - every set command against a spawned server: exact reply
 * bytes (RESP2 and RESP3) as Redis 7.0.15 gives them, errors included;
 * intset/hashtable encodings; SPOP and SRANDMEMBER code paths (counts,
 * uniqueness, what is left behind); SSCAN over a hashtable; keyspace
 * events; DEBUG RELOAD round trip.
 *
 * The step tables were produced by sending each command line to a real
 * redis-server 7.0.15 and recording its reply bytes (intsets keep their
 * members sorted, so those replies are deterministic). */
#include "harness.h"

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

TestSuite(set, .init = setup, .fini = teardown, .timeout = 60);

/* One step of a raw-protocol script: a command line (space separated,
 * "double quotes" for arguments with spaces or empty ones) and the exact
 * bytes Redis 7.0.15 replies to it. */
typedef struct step {
    const char *cmd;
    const char *want;
} step;

/* Encode a command line as RESP into out; returns its length. */
static size_t encode_line(const char *line, char *out, size_t cap)
{
    char args[64][512];
    size_t lens[64];
    int n = 0;
    const char *p = line;
    while (*p && n < 64) {
        while (*p == ' ')
            p++;
        if (!*p)
            break;
        size_t l = 0;
        if (*p == '"') {
            p++;
            while (*p && *p != '"')
                args[n][l++] = *p++;
            if (*p == '"')
                p++;
        } else {
            while (*p && *p != ' ')
                args[n][l++] = *p++;
        }
        lens[n++] = l;
    }
    size_t off = (size_t)snprintf(out, cap, "*%d\r\n", n);
    for (int i = 0; i < n; i++) {
        off += (size_t)snprintf(out + off, cap - off, "$%zu\r\n", lens[i]);
        memcpy(out + off, args[i], lens[i]);
        off += lens[i];
        memcpy(out + off, "\r\n", 2);
        off += 2;
    }
    return off;
}

static void raw_expect(int fd, const char *want, const char *line)
{
    char out[40000], in[40000];
    size_t ol = encode_line(line, out, sizeof(out));
    size_t wl = strlen(want);
    size_t got = raw_send_recv(fd, out, ol, in, wl, 2000);
    in[got] = '\0';
    cr_assert(got == wl && memcmp(in, want, wl) == 0, "%s: expected %s got %s", line, want, in);
}

/* Run steps on a fresh connection (RESP3 after HELLO 3 if resp3). */
static void run_steps(srv_handle *srv, const step *st, size_t n, int resp3)
{
    int fd = srv_raw_connect(srv);
    char in[4096];
    raw_expect(fd, "+OK\r\n", "FLUSHALL");
    if (resp3) {
        const char *hello = "*2\r\n$5\r\nHELLO\r\n$1\r\n3\r\n";
        raw_send_recv(fd, hello, strlen(hello), in, sizeof(in), 300);
    }
    for (size_t i = 0; i < n; i++)
        raw_expect(fd, st[i].want, st[i].cmd);
    close(fd);
}

#define RUN(t, resp3) run_steps(s, t, sizeof(t) / sizeof(t[0]), resp3)

static const step set_basics[] = {
    {"SADD s 3 1 2", ":3\r\n"},
    {"SADD s 2 4", ":1\r\n"},
    {"SMEMBERS s", "*4\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n$1\r\n4\r\n"},
    {"SISMEMBER s 1", ":1\r\n"},
    {"SISMEMBER s 9", ":0\r\n"},
    {"SISMEMBER nokey 1", ":0\r\n"},
    {"SMISMEMBER s 1 9 4", "*3\r\n:1\r\n:0\r\n:1\r\n"},
    {"SMISMEMBER nokey 1 2", "*2\r\n:0\r\n:0\r\n"},
    {"SCARD s", ":4\r\n"},
    {"SCARD nokey", ":0\r\n"},
    {"SREM s 1 9", ":1\r\n"},
    {"SREM nokey 1", ":0\r\n"},
    {"SMEMBERS nokey", "*0\r\n"},
    {"SREM s 2 3 4", ":3\r\n"},
    {"EXISTS s", ":0\r\n"},
    {"SADD n -5 100000 0 9223372036854775807 -9223372036854775808", ":5\r\n"},
    {"SMEMBERS n",
     "*5\r\n$20\r\n-9223372036854775808\r\n$2\r\n-5\r\n$1\r\n0\r\n$6\r\n100000\r\n$19\r\n"
     "9223372036854775807\r\n"},
    {"SADD n 007", ":1\r\n"},
    {"SISMEMBER n 007", ":1\r\n"},
    {"SISMEMBER n 7", ":0\r\n"},
    {"OBJECT ENCODING n", "$9\r\nhashtable\r\n"},
};

static const step set_errors[] = {
    {"SET str x", "+OK\r\n"},
    {"SADD str a", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
    {"SREM str a", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
    {"SMEMBERS str", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
    {"SISMEMBER str a", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
    {"SMISMEMBER str a", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
    {"SCARD str", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
    {"SPOP str", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
    {"SPOP str 2", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
    {"SRANDMEMBER str", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
    {"SRANDMEMBER str 2",
     "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
    {"SMOVE str n a", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
    {"SINTER str", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
    {"SUNION str", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
    {"SDIFF str", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
    {"SINTERSTORE d str",
     "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
    {"SINTERCARD 1 str", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
    {"SSCAN str 0", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
    {"SMISMEMBER s", "-ERR wrong number of arguments for 'smismember' command\r\n"},
    {"SADD s", "-ERR wrong number of arguments for 'sadd' command\r\n"},
    {"SPOP s 1 2", "-ERR syntax error\r\n"},
    {"SRANDMEMBER s 1 2", "-ERR syntax error\r\n"},
    {"SPOP s x", "-ERR value is out of range, must be positive\r\n"},
    {"SPOP s -1", "-ERR value is out of range, must be positive\r\n"},
    {"SRANDMEMBER s x", "-ERR value is not an integer or out of range\r\n"},
    {"SRANDMEMBER s -9223372036854775808",
     "-ERR value is out of range, value must between -9223372036854775807 and 9223372036854"
     "775807\r\n"},
};

static const step set_ops[] = {
    {"SADD a 1 2 3 4", ":4\r\n"},
    {"SADD b 3 4 5", ":3\r\n"},
    {"SADD c 4 5 6", ":3\r\n"},
    {"SINTER a b", "*2\r\n$1\r\n3\r\n$1\r\n4\r\n"},
    {"SINTER a b c", "*1\r\n$1\r\n4\r\n"},
    {"SINTER a nokey", "*0\r\n"},
    {"SUNION a b c", "*6\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n$1\r\n4\r\n$1\r\n5\r\n$1\r\n6\r\n"},
    {"SUNION nokey a", "*4\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n$1\r\n4\r\n"},
    {"SDIFF a b", "*2\r\n$1\r\n1\r\n$1\r\n2\r\n"},
    {"SDIFF a b c", "*2\r\n$1\r\n1\r\n$1\r\n2\r\n"},
    {"SDIFF a a", "*0\r\n"},
    {"SDIFF nokey a", "*0\r\n"},
    {"SDIFF a nokey", "*4\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n$1\r\n4\r\n"},
    {"SINTERSTORE d a b", ":2\r\n"},
    {"SMEMBERS d", "*2\r\n$1\r\n3\r\n$1\r\n4\r\n"},
    {"SUNIONSTORE d a c", ":6\r\n"},
    {"SMEMBERS d", "*6\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n$1\r\n4\r\n$1\r\n5\r\n$1\r\n6\r\n"},
    {"SDIFFSTORE d c a", ":2\r\n"},
    {"SMEMBERS d", "*2\r\n$1\r\n5\r\n$1\r\n6\r\n"},
    {"SINTERSTORE d a nokey", ":0\r\n"},
    {"EXISTS d", ":0\r\n"},
    {"SET d x", "+OK\r\n"},
    {"SUNIONSTORE d a", ":4\r\n"},
    {"TYPE d", "+set\r\n"},
    {"SDIFFSTORE d a a", ":0\r\n"},
    {"EXISTS d", ":0\r\n"},
    {"SINTERCARD 2 a b", ":2\r\n"},
    {"SINTERCARD 3 a b c", ":1\r\n"},
    {"SINTERCARD 1 a LIMIT 2", ":2\r\n"},
    {"SINTERCARD 1 a LIMIT 0", ":4\r\n"},
    {"SINTERCARD 2 a nokey", ":0\r\n"},
    {"SINTERCARD 0 a", "-ERR numkeys should be greater than 0\r\n"},
    {"SINTERCARD -1 a", "-ERR numkeys should be greater than 0\r\n"},
    {"SINTERCARD x a", "-ERR numkeys should be greater than 0\r\n"},
    {"SINTERCARD 3 a b", "-ERR Number of keys can't be greater than number of args\r\n"},
    {"SINTERCARD 1 a LIMIT -1", "-ERR LIMIT can't be negative\r\n"},
    {"SINTERCARD 1 a LIMIT", "-ERR syntax error\r\n"},
    {"SINTERCARD 1 a FOO 1", "-ERR syntax error\r\n"},
};

static const step set_move[] = {
    {"SADD src 1 2", ":2\r\n"},
    {"SADD dst 3", ":1\r\n"},
    {"SMOVE src dst 1", ":1\r\n"},
    {"SMEMBERS src", "*1\r\n$1\r\n2\r\n"},
    {"SMEMBERS dst", "*2\r\n$1\r\n1\r\n$1\r\n3\r\n"},
    {"SMOVE src dst 9", ":0\r\n"},
    {"SMOVE src dst 3", ":0\r\n"},
    {"SMOVE src src 2", ":1\r\n"},
    {"SMOVE src src 9", ":0\r\n"},
    {"SMOVE nokey dst 1", ":0\r\n"},
    {"SMOVE src newdst 2", ":1\r\n"},
    {"EXISTS src", ":0\r\n"},
    {"SMEMBERS newdst", "*1\r\n$1\r\n2\r\n"},
    {"SET str x", "+OK\r\n"},
    {"SADD s2 a", ":1\r\n"},
    {"SMOVE s2 str a", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
    {"SMOVE str s2 a", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
};

static const step set_pop_edges[] = {
    {"SPOP nokey", "$-1\r\n"},
    {"SPOP nokey 3", "*0\r\n"},
    {"SPOP nokey 0", "*0\r\n"},
    {"SADD one x", ":1\r\n"},
    {"SPOP one 0", "*0\r\n"},
    {"SRANDMEMBER one", "$1\r\nx\r\n"},
    {"SRANDMEMBER one 0", "*0\r\n"},
    {"SRANDMEMBER one 3", "*1\r\n$1\r\nx\r\n"},
    {"SRANDMEMBER one -3", "*3\r\n$1\r\nx\r\n$1\r\nx\r\n$1\r\nx\r\n"},
    {"SRANDMEMBER nokey", "$-1\r\n"},
    {"SRANDMEMBER nokey 3", "*0\r\n"},
    {"SRANDMEMBER nokey -3", "*0\r\n"},
    {"SPOP one", "$1\r\nx\r\n"},
    {"EXISTS one", ":0\r\n"},
    {"SADD two 1 2", ":2\r\n"},
    {"SPOP two 5", "*2\r\n$1\r\n1\r\n$1\r\n2\r\n"},
    {"EXISTS two", ":0\r\n"},
    {"SADD three a", ":1\r\n"},
    {"SPOP three 1", "*1\r\n$1\r\na\r\n"},
    {"EXISTS three", ":0\r\n"},
};

static const step set_scan[] = {
    {"SADD i 3 1 2", ":3\r\n"},
    {"SSCAN i 0", "*2\r\n$1\r\n0\r\n*3\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n"},
    {"SSCAN i 0 MATCH 1*", "*2\r\n$1\r\n0\r\n*1\r\n$1\r\n1\r\n"},
    {"SSCAN i 123 COUNT 1", "*2\r\n$1\r\n0\r\n*3\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n"},
    {"SSCAN i 0 COUNT 0", "-ERR syntax error\r\n"},
    {"SSCAN i 0 TYPE set", "-ERR syntax error\r\n"},
    {"SSCAN i x", "-ERR invalid cursor\r\n"},
    {"SSCAN nokey 0", "*2\r\n$1\r\n0\r\n*0\r\n"},
};

static const step set_resp3[] = {
    {"SADD s 1 2 3", ":3\r\n"},
    {"SMEMBERS s", "~3\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n"},
    {"SMEMBERS nokey", "~0\r\n"},
    {"SINTER s nokey", "~0\r\n"},
    {"SINTER s s", "~3\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n"},
    {"SUNION s", "~3\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n"},
    {"SDIFF s", "~3\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n"},
    {"SPOP nokey", "_\r\n"},
    {"SPOP nokey 2", "~0\r\n"},
    {"SPOP s 0", "~0\r\n"},
    {"SRANDMEMBER nokey", "_\r\n"},
    {"SRANDMEMBER s 5", "*3\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n"},
    {"SMISMEMBER s 1 5", "*2\r\n:1\r\n:0\r\n"},
    {"SPOP s 3", "~3\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n"},
};

static const step set_encoding[] = {
    {"SADD i 1 2 3", ":3\r\n"},
    {"OBJECT ENCODING i", "$6\r\nintset\r\n"},
    {"SADD i a", ":1\r\n"},
    {"OBJECT ENCODING i", "$9\r\nhashtable\r\n"},
    {"SREM i a", ":1\r\n"},
    {"OBJECT ENCODING i", "$9\r\nhashtable\r\n"},
    {"CONFIG SET set-max-intset-entries 2", "+OK\r\n"},
    {"SADD j 1 2", ":2\r\n"},
    {"OBJECT ENCODING j", "$6\r\nintset\r\n"},
    {"SADD j 3", ":1\r\n"},
    {"OBJECT ENCODING j", "$9\r\nhashtable\r\n"},
    {"SADD k x", ":1\r\n"},
    {"OBJECT ENCODING k", "$9\r\nhashtable\r\n"},
    {"SADD big 9223372036854775808", ":1\r\n"},
    {"OBJECT ENCODING big", "$9\r\nhashtable\r\n"},
    {"CONFIG SET set-max-intset-entries 512", "+OK\r\n"},
    {"SADD u 1", ":1\r\n"},
    {"SADD v a", ":1\r\n"},
    {"SUNIONSTORE w u", ":1\r\n"},
    {"OBJECT ENCODING w", "$6\r\nintset\r\n"},
    {"SUNIONSTORE w u v", ":2\r\n"},
    {"OBJECT ENCODING w", "$9\r\nhashtable\r\n"},
    {"TYPE w", "+set\r\n"},
};

Test(set, basics)
{
    RUN(set_basics, 0);
}

Test(set, errors)
{
    RUN(set_errors, 0);
}

Test(set, ops)
{
    RUN(set_ops, 0);
}

Test(set, move)
{
    RUN(set_move, 0);
}

Test(set, pop_edges)
{
    RUN(set_pop_edges, 0);
}

Test(set, scan_intset)
{
    RUN(set_scan, 0);
}

Test(set, resp3)
{
    RUN(set_resp3, 1);
}

Test(set, encoding)
{
    RUN(set_encoding, 0);
}

/* A hashtable set of m0..m<n-1>. */
static void make_big(redisContext *c, const char *key, int n)
{
    for (int i = 0; i < n; i++)
        freeReplyObject(cmd(c, "SADD %s m%d", key, i));
}

/* Marks members "m<i>" of an array reply in seen[]; fails on repeats. */
static void mark(redisReply *r, char *seen, int n)
{
    for (size_t i = 0; i < r->elements; i++) {
        int m = atoi(r->element[i]->str + 1);
        cr_assert(m >= 0 && m < n);
        cr_assert(!seen[m], "member m%d returned twice", m);
        seen[m] = 1;
    }
}

Test(set, spop_count_paths)
{
    redisContext *c = srv_connect(s);
    /* 10 of 100: pick-and-remove path; 90 of 100: keep-the-rest path. */
    int counts[] = {10, 90, 100};
    for (size_t k = 0; k < 3; k++) {
        freeReplyObject(cmd(c, "DEL big"));
        make_big(c, "big", 100);
        char seen[100] = {0};
        redisReply *r = cmd(c, "SPOP big %d", counts[k]);
        cr_assert_eq((int)r->elements, counts[k]);
        mark(r, seen, 100);
        freeReplyObject(r);
        r = cmd(c, "SMEMBERS big");
        cr_assert_eq((int)r->elements, 100 - counts[k]);
        mark(r, seen, 100);
        freeReplyObject(r);
        for (int i = 0; i < 100; i++)
            cr_assert(seen[i]);
    }
    expect_int(c, 0, "EXISTS big");
    redisFree(c);
}

Test(set, srandmember_paths)
{
    redisContext *c = srv_connect(s);
    make_big(c, "big", 100);
    int counts[] = {1, 5, 40, 99, 100, 150};
    for (size_t k = 0; k < sizeof(counts) / sizeof(counts[0]); k++) {
        char seen[100] = {0};
        redisReply *r = cmd(c, "SRANDMEMBER big %d", counts[k]);
        cr_assert_eq((int)r->elements, counts[k] < 100 ? counts[k] : 100);
        mark(r, seen, 100);
        freeReplyObject(r);
    }
    expect_int(c, 100, "SCARD big");
    /* Negative counts repeat members; all show up eventually. */
    char seen[100] = {0};
    redisReply *r = cmd(c, "SRANDMEMBER big -3000");
    cr_assert_eq(r->elements, 3000);
    for (size_t i = 0; i < r->elements; i++)
        seen[atoi(r->element[i]->str + 1)] = 1;
    freeReplyObject(r);
    for (int i = 0; i < 100; i++)
        cr_assert(seen[i], "m%d never picked in 3000 draws", i);
    redisFree(c);
}

Test(set, sscan_hashtable_visits_every_member)
{
    redisContext *c = srv_connect(s);
    make_big(c, "big", 1000);
    expect_bulk(c, "hashtable", "OBJECT ENCODING big");
    char seen[1000] = {0};
    unsigned long long cursor = 0;
    do {
        redisReply *r = cmd(c, "SSCAN big %llu COUNT 20", cursor);
        cursor = strtoull(r->element[0]->str, NULL, 10);
        for (size_t i = 0; i < r->element[1]->elements; i++)
            seen[atoi(r->element[1]->element[i]->str + 1)] = 1;
        freeReplyObject(r);
    } while (cursor);
    for (int i = 0; i < 1000; i++)
        cr_assert(seen[i]);
    redisFree(c);
}

Test(set, big_ops_against_hashtables)
{
    redisContext *c = srv_connect(s);
    for (int i = 0; i < 600; i++) {
        freeReplyObject(cmd(c, "SADD a %d", i));
        if (i % 2 == 0)
            freeReplyObject(cmd(c, "SADD b %d", i));
        if (i % 3 == 0)
            freeReplyObject(cmd(c, "SADD c x%d", i));
    }
    expect_bulk(c, "hashtable", "OBJECT ENCODING a");
    expect_int(c, 300, "SINTERSTORE d a b");
    expect_int(c, 300, "SDIFFSTORE d a b");
    expect_int(c, 800, "SUNIONSTORE d a c");
    expect_int(c, 0, "SINTERCARD 2 a c");
    expect_int(c, 300, "SINTERCARD 2 a b");
    expect_int(c, 7, "SINTERCARD 2 a b LIMIT 7");
    expect_int(c, 1, "SISMEMBER d x3");
    expect_int(c, 0, "SISMEMBER d x4");
    redisFree(c);
}

static void expect_raw(int fd, const char *want)
{
    char in[4096];
    size_t wl = strlen(want);
    size_t got = raw_send_recv(fd, "", 0, in, wl, 2000);
    in[got] = '\0';
    cr_assert(got == wl && memcmp(in, want, wl) == 0, "expected %s got %s", want, in);
}

Test(set, keyspace_events)
{
    redisContext *c = srv_connect(s);
    expect_status(c, "OK", "CONFIG SET notify-keyspace-events Esg");
    int fd = srv_raw_connect(s);
    raw_expect(fd, "*3\r\n$10\r\npsubscribe\r\n$16\r\n__keyevent@0__:*\r\n:1\r\n",
               "PSUBSCRIBE __keyevent@0__:*");
    expect_int(c, 2, "SADD k a b");
    expect_int(c, 0, "SADD k a");
    expect_int(c, 1, "SREM k a");
    expect_bulk(c, "b", "SPOP k");
    expect_int(c, 1, "SADD k c");
    expect_int(c, 1, "SINTERSTORE d k");
#define EV(e) "*4\r\n$8\r\npmessage\r\n$16\r\n__keyevent@0__:*\r\n$" e "\r\n$1\r\n"
    expect_raw(fd, EV("19\r\n__keyevent@0__:sadd") "k\r\n" EV("19\r\n__keyevent@0__:srem")
                   "k\r\n" EV("19\r\n__keyevent@0__:spop") "k\r\n" EV("18\r\n__keyevent@0__:del")
                   "k\r\n" EV("19\r\n__keyevent@0__:sadd") "k\r\n"
                   EV("26\r\n__keyevent@0__:sinterstore") "d\r\n");
#undef EV
    close(fd);
    redisFree(c);
}

Test(set, debug_reload_keeps_both_encodings)
{
    redisContext *c = srv_connect(s);
    make_big(c, "big", 300);
    freeReplyObject(cmd(c, "SADD ints 5 -3 70000"));
    expect_status(c, "OK", "DEBUG RELOAD");
    expect_int(c, 300, "SCARD big");
    expect_int(c, 1, "SISMEMBER big m299");
    expect_bulk(c, "hashtable", "OBJECT ENCODING big");
    expect_bulk(c, "intset", "OBJECT ENCODING ints");
    const char *ints[] = {"-3", "5", "70000"};
    expect_strings(c, 3, ints, "SMEMBERS ints");
    redisFree(c);
}
