/* test_zset.c - every sorted set command against a spawned server: exact
 * reply bytes (RESP2 and RESP3) as Redis 7.0.15 gives them, errors
 * included; listpack/skiplist encodings and conversions; blocking pops
 * (served by a later write, timing out, inside MULTI); ZSCAN over a
 * skiplist; keyspace events; DEBUG RELOAD round trip; a random workload
 * checked against a model.
 *
 * The step tables were produced by sending each command line to a real
 * redis-server 7.0.15 and recording its reply bytes. */
#include "harness.h"

#include <math.h>
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

TestSuite(zset, .init = setup, .fini = teardown, .timeout = 60);

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

static const step zset_add[] = {
    {"ZADD z 1 a 2 b 3 c", ":3\r\n"},
    {"ZADD z 1.5 a", ":0\r\n"},
    {"ZADD z CH 1.5 a 2 b 5 d", ":1\r\n"},
    {"ZADD z NX 10 a 11 e", ":1\r\n"},
    {"ZADD z XX 10 a 11 f", ":0\r\n"},
    {"ZADD z GT 1 a", ":0\r\n"},
    {"ZADD z LT 1 a", ":0\r\n"},
    {"ZADD z GT CH 20 a", ":1\r\n"},
    {"ZADD z GT LT 1 a", "-ERR GT, LT, and/or NX options at the same time are not compatible\r\n"},
    {"ZADD z NX XX 1 a", "-ERR XX and NX options at the same time are not compatible\r\n"},
    {"ZADD z NX GT 1 a", "-ERR GT, LT, and/or NX options at the same time are not compatible\r\n"},
    {"ZADD z NX LT 1 a", "-ERR GT, LT, and/or NX options at the same time are not compatible\r\n"},
    {"ZADD z INCR 1 a 2 b", "-ERR INCR option supports a single increment-element pair\r\n"},
    {"ZADD z INCR 5 a", "$2\r\n25\r\n"},
    {"ZADD z INCR NX 5 a", "$-1\r\n"},
    {"ZADD z INCR XX 5 nomember", "$-1\r\n"},
    {"ZADD z INCR GT -1 a", "$-1\r\n"},
    {"ZADD z INCR LT -1 a", "$2\r\n24\r\n"},
    {"ZADD z 1", "-ERR wrong number of arguments for 'zadd' command\r\n"},
    {"ZADD z", "-ERR wrong number of arguments for 'zadd' command\r\n"},
    {"ZADD z x a", "-ERR value is not a valid float\r\n"},
    {"ZADD z nan a", "-ERR value is not a valid float\r\n"},
    {"ZADD z \"\" a", "-ERR value is not a valid float\r\n"},
    {"ZADD z 1 a 2", "-ERR syntax error\r\n"},
    {"ZADD z 1 a x b", "-ERR value is not a valid float\r\n"},
    {"ZADD z 0x10 hex", ":1\r\n"},
    {"ZADD z 1e400 big", "-ERR value is not a valid float\r\n"},
    {"ZADD z inf pinf -inf ninf", ":2\r\n"},
    {"ZADD z +inf pinf2", ":1\r\n"},
    {"ZADD nokey XX 1 a", ":0\r\n"},
    {"ZADD nokey XX INCR 1 a", "$-1\r\n"},
    {"EXISTS nokey", ":0\r\n"},
    {"ZINCRBY z 1 a", "$2\r\n25\r\n"},
    {"ZINCRBY z 1.5 new", "$3\r\n1.5\r\n"},
    {"ZINCRBY z x a", "-ERR value is not a valid float\r\n"},
    {"ZINCRBY z inf pinf", "$3\r\ninf\r\n"},
    {"ZINCRBY z -inf pinf", "-ERR resulting score is not a number (NaN)\r\n"},
    {"ZINCRBY z 1 a b", "-ERR wrong number of arguments for 'zincrby' command\r\n"},
    {"ZRANGE z 0 -1 WITHSCORES",
     "*20\r\n$4\r\nninf\r\n$4\r\n-inf\r\n$3\r\nnew\r\n$3\r\n1.5\r\n$1\r\nb\r\n$1\r\n2\r\n"
     "$1\r\nc\r\n$1\r\n3\r\n$1\r\nd\r\n$1\r\n5\r\n$1\r\ne\r\n$2\r\n11\r\n$3\r\nhex\r\n"
     "$2\r\n16\r\n$1\r\na\r\n$2\r\n25\r\n$4\r\npinf\r\n$3\r\ninf\r\n$5\r\npinf2\r\n$3\r\n"
     "inf\r\n"},
    {"ZCARD z", ":10\r\n"},
    {"ZCARD nokey", ":0\r\n"},
};

static const step zset_errors[] = {
    {"SET str x", "+OK\r\n"},
    {"ZADD str 1 a", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
    {"ZINCRBY str 1 a", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
    {"ZREM str a", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
    {"ZCARD str", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
    {"ZSCORE str a", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
    {"ZMSCORE str a", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
    {"ZRANK str a", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
    {"ZREVRANK str a", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
    {"ZCOUNT str 0 1", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
    {"ZLEXCOUNT str - +",
     "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
    {"ZRANGE str 0 -1", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
    {"ZRANGEBYSCORE str 0 1",
     "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
    {"ZRANGEBYLEX str - +",
     "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
    {"ZREVRANGE str 0 1",
     "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
    {"ZREMRANGEBYRANK str 0 1",
     "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
    {"ZREMRANGEBYSCORE str 0 1",
     "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
    {"ZREMRANGEBYLEX str - +",
     "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
    {"ZPOPMIN str", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
    {"ZPOPMAX str 2", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
    {"ZMPOP 1 str MIN", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
    {"BZPOPMIN str 0", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
    {"BZMPOP 0 1 str MIN",
     "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
    {"ZRANDMEMBER str", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
    {"ZRANDMEMBER str 2",
     "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
    {"ZSCAN str 0", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
    {"ZUNION 1 str", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
    {"ZUNIONSTORE d 1 str",
     "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
    {"ZRANGESTORE d str 0 -1",
     "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
    {"ZMSCORE z", "-ERR wrong number of arguments for 'zmscore' command\r\n"},
    {"ZSCORE z", "-ERR wrong number of arguments for 'zscore' command\r\n"},
};

static const step zset_reads[] = {
    {"ZADD z 1 a 2 b 3 c 4 d 5 e", ":5\r\n"},
    {"ZSCORE z c", "$1\r\n3\r\n"},
    {"ZSCORE z nope", "$-1\r\n"},
    {"ZSCORE nokey a", "$-1\r\n"},
    {"ZMSCORE z a nope e", "*3\r\n$1\r\n1\r\n$-1\r\n$1\r\n5\r\n"},
    {"ZMSCORE nokey a b", "*2\r\n$-1\r\n$-1\r\n"},
    {"ZRANK z a", ":0\r\n"},
    {"ZRANK z e", ":4\r\n"},
    {"ZRANK z nope", "$-1\r\n"},
    {"ZREVRANK z a", ":4\r\n"},
    {"ZRANK nokey a", "$-1\r\n"},
    {"ZCOUNT z -inf +inf", ":5\r\n"},
    {"ZCOUNT z (1 3", ":2\r\n"},
    {"ZCOUNT z 2 (2", ":0\r\n"},
    {"ZCOUNT z 3 1", ":0\r\n"},
    {"ZCOUNT z x 1", "-ERR min or max is not a float\r\n"},
    {"ZCOUNT z 1 x", "-ERR min or max is not a float\r\n"},
    {"ZCOUNT nokey 0 1", ":0\r\n"},
    {"ZADD pr 0.1 a 1e20 b -0 c 3.000000001 d 1e-300 e -1.5 f", ":6\r\n"},
    {"ZRANGE pr 0 -1 WITHSCORES",
     "*12\r\n$1\r\nf\r\n$4\r\n-1.5\r\n$1\r\nc\r\n$1\r\n0\r\n$1\r\ne\r\n$6\r\n1e-300\r\n"
     "$1\r\na\r\n$19\r\n0.10000000000000001\r\n$1\r\nd\r\n$18\r\n3.0000000010000001\r\n"
     "$1\r\nb\r\n$5\r\n1e+20\r\n"},
    {"ZSCORE pr c", "$1\r\n0\r\n"},
    {"ZSCAN pr 0",
     "*2\r\n$1\r\n0\r\n*12\r\n$1\r\nf\r\n$4\r\n-1.5\r\n$1\r\nc\r\n$1\r\n0\r\n$1\r\ne\r\n"
     "$6\r\n1e-300\r\n$1\r\na\r\n$19\r\n0.10000000000000001\r\n$1\r\nd\r\n$18\r\n"
     "3.0000000010000001\r\n$1\r\nb\r\n$5\r\n1e+20\r\n"},
    {"ZSCAN pr 0 MATCH a", "*2\r\n$1\r\n0\r\n*2\r\n$1\r\na\r\n$19\r\n0.10000000000000001\r\n"},
    {"ZSCAN nokey 0", "*2\r\n$1\r\n0\r\n*0\r\n"},
    {"ZSCAN pr x", "-ERR invalid cursor\r\n"},
};

static const step zset_range[] = {
    {"ZADD z 1 a 2 b 3 c 4 d 5 e", ":5\r\n"},
    {"ZRANGE z 0 -1", "*5\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n$1\r\ne\r\n"},
    {"ZRANGE z 0 -1 WITHSCORES",
     "*10\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\nc\r\n$1\r\n3\r\n$1\r\nd\r\n"
     "$1\r\n4\r\n$1\r\ne\r\n$1\r\n5\r\n"},
    {"ZRANGE z 1 2", "*2\r\n$1\r\nb\r\n$1\r\nc\r\n"},
    {"ZRANGE z -2 -1", "*2\r\n$1\r\nd\r\n$1\r\ne\r\n"},
    {"ZRANGE z 3 1", "*0\r\n"},
    {"ZRANGE z -100 100", "*5\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n$1\r\ne\r\n"},
    {"ZRANGE z 5 10", "*0\r\n"},
    {"ZRANGE z 0 x", "-ERR value is not an integer or out of range\r\n"},
    {"ZRANGE z 0 1 REV", "*2\r\n$1\r\ne\r\n$1\r\nd\r\n"},
    {"ZRANGE z 0 1 REV WITHSCORES", "*4\r\n$1\r\ne\r\n$1\r\n5\r\n$1\r\nd\r\n$1\r\n4\r\n"},
    {"ZREVRANGE z 0 1 WITHSCORES", "*4\r\n$1\r\ne\r\n$1\r\n5\r\n$1\r\nd\r\n$1\r\n4\r\n"},
    {"ZREVRANGE z 0 1 FOO", "-ERR syntax error\r\n"},
    {"ZRANGE z 0 1 LIMIT 0 1",
     "-ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLE"
     "X\r\n"},
    {"ZRANGE z 0 1 BYLEX WITHSCORES",
     "-ERR syntax error, WITHSCORES not supported in combination with BYLEX\r\n"},
    {"ZRANGE z 0 1 BYSCORE BYLEX", "-ERR syntax error\r\n"},
    {"ZRANGE z 0 1 REV REV", "-ERR syntax error\r\n"},
    {"ZRANGE z (1 4 BYSCORE", "*3\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n"},
    {"ZRANGE z 1 (4 BYSCORE WITHSCORES",
     "*6\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\nc\r\n$1\r\n3\r\n"},
    {"ZRANGE z -inf +inf BYSCORE LIMIT 1 2", "*2\r\n$1\r\nb\r\n$1\r\nc\r\n"},
    {"ZRANGE z +inf -inf BYSCORE REV LIMIT 1 2 WITHSCORES",
     "*4\r\n$1\r\nd\r\n$1\r\n4\r\n$1\r\nc\r\n$1\r\n3\r\n"},
    {"ZRANGE z -inf +inf BYSCORE LIMIT -1 2", "*0\r\n"},
    {"ZRANGE z -inf +inf BYSCORE LIMIT 10 2", "*0\r\n"},
    {"ZRANGE z -inf +inf BYSCORE LIMIT 1 -1",
     "*4\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n$1\r\ne\r\n"},
    {"ZRANGE z -inf +inf BYSCORE LIMIT 1 0", "*0\r\n"},
    {"ZRANGE z -inf +inf BYSCORE LIMIT 1", "-ERR syntax error\r\n"},
    {"ZRANGE z -inf +inf BYSCORE LIMIT x 1", "-ERR value is not an integer or out of range\r\n"},
    {"ZRANGE z x 5 BYSCORE", "-ERR min or max is not a float\r\n"},
    {"ZRANGE z \"\" \"\" BYSCORE", "*0\r\n"},
    {"ZRANGE z ( 5 BYSCORE", "*5\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n$1\r\ne\r\n"},
    {"ZRANGE z 5 1 BYSCORE", "*0\r\n"},
    {"ZRANGE z \"(3\" \"(3\" BYSCORE", "*0\r\n"},
    {"ZRANGE nokey 0 -1", "*0\r\n"},
    {"ZRANGEBYSCORE z -inf +inf", "*5\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n$1\r\ne\r\n"},
    {"ZRANGEBYSCORE z -inf +inf WITHSCORES LIMIT 0 2",
     "*4\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n"},
    {"ZRANGEBYSCORE z (nan 1", "-ERR min or max is not a float\r\n"},
    {"ZRANGEBYSCORE z 1 2 REV", "-ERR syntax error\r\n"},
    {"ZREVRANGEBYSCORE z +inf -inf WITHSCORES",
     "*10\r\n$1\r\ne\r\n$1\r\n5\r\n$1\r\nd\r\n$1\r\n4\r\n$1\r\nc\r\n$1\r\n3\r\n$1\r\nb\r\n"
     "$1\r\n2\r\n$1\r\na\r\n$1\r\n1\r\n"},
    {"ZREVRANGEBYSCORE z 2 1", "*2\r\n$1\r\nb\r\n$1\r\na\r\n"},
    {"ZREVRANGEBYSCORE z 1 2", "*0\r\n"},
    {"ZREVRANGEBYSCORE z 4 (2 LIMIT 0 1", "*1\r\n$1\r\nd\r\n"},
    {"ZADD l 0 a 0 b 0 c 0 d 0 e 0 f 0 g", ":7\r\n"},
    {"ZRANGEBYLEX l - +",
     "*7\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n$1\r\ne\r\n$1\r\nf\r\n$1\r\ng\r\n"},
    {"ZRANGEBYLEX l [b (e", "*3\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n"},
    {"ZRANGEBYLEX l (b [e LIMIT 1 2", "*2\r\n$1\r\nd\r\n$1\r\ne\r\n"},
    {"ZRANGEBYLEX l - + LIMIT 2 -1",
     "*5\r\n$1\r\nc\r\n$1\r\nd\r\n$1\r\ne\r\n$1\r\nf\r\n$1\r\ng\r\n"},
    {"ZRANGEBYLEX l + -", "*0\r\n"},
    {"ZRANGEBYLEX l [c [c", "*1\r\n$1\r\nc\r\n"},
    {"ZRANGEBYLEX l (c (c", "*0\r\n"},
    {"ZRANGEBYLEX l a b", "-ERR min or max not valid string range item\r\n"},
    {"ZRANGEBYLEX l \"\" +", "-ERR min or max not valid string range item\r\n"},
    {"ZRANGEBYLEX l -x +", "-ERR min or max not valid string range item\r\n"},
    {"ZRANGEBYLEX l - + WITHSCORES",
     "-ERR syntax error, WITHSCORES not supported in combination with BYLEX\r\n"},
    {"ZREVRANGEBYLEX l + - LIMIT 0 3", "*3\r\n$1\r\ng\r\n$1\r\nf\r\n$1\r\ne\r\n"},
    {"ZREVRANGEBYLEX l (e [b", "*3\r\n$1\r\nd\r\n$1\r\nc\r\n$1\r\nb\r\n"},
    {"ZREVRANGEBYLEX l [b (e", "*0\r\n"},
    {"ZRANGE l [a [c BYLEX", "*3\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n"},
    {"ZRANGE l [c [a BYLEX REV", "*3\r\n$1\r\nc\r\n$1\r\nb\r\n$1\r\na\r\n"},
    {"ZRANGE l + - BYLEX REV LIMIT 0 2", "*2\r\n$1\r\ng\r\n$1\r\nf\r\n"},
    {"ZLEXCOUNT l - +", ":7\r\n"},
    {"ZLEXCOUNT l [b (d", ":2\r\n"},
    {"ZLEXCOUNT l b d", "-ERR min or max not valid string range item\r\n"},
    {"ZLEXCOUNT l + -", ":0\r\n"},
    {"ZLEXCOUNT nokey - +", ":0\r\n"},
};

static const step zset_remove[] = {
    {"ZADD z 1 a 2 b 3 c 4 d 5 e 6 f", ":6\r\n"},
    {"ZREM z a nope", ":1\r\n"},
    {"ZREM z", "-ERR wrong number of arguments for 'zrem' command\r\n"},
    {"ZREM nokey a", ":0\r\n"},
    {"ZREMRANGEBYRANK z 0 0", ":1\r\n"},
    {"ZREMRANGEBYRANK z 5 1", ":0\r\n"},
    {"ZREMRANGEBYRANK z -1 -1", ":1\r\n"},
    {"ZREMRANGEBYRANK z 10 20", ":0\r\n"},
    {"ZREMRANGEBYRANK z x 1", "-ERR value is not an integer or out of range\r\n"},
    {"ZREMRANGEBYRANK nokey 0 1", ":0\r\n"},
    {"ZRANGE z 0 -1", "*3\r\n$1\r\nc\r\n$1\r\nd\r\n$1\r\ne\r\n"},
    {"ZREMRANGEBYSCORE z (2 3", ":1\r\n"},
    {"ZREMRANGEBYSCORE z x 2", "-ERR min or max is not a float\r\n"},
    {"ZREMRANGEBYSCORE nokey 0 1", ":0\r\n"},
    {"ZRANGE z 0 -1 WITHSCORES", "*4\r\n$1\r\nd\r\n$1\r\n4\r\n$1\r\ne\r\n$1\r\n5\r\n"},
    {"ZREMRANGEBYSCORE z -inf +inf", ":2\r\n"},
    {"EXISTS z", ":0\r\n"},
    {"ZADD l 0 a 0 b 0 c 0 d", ":4\r\n"},
    {"ZREMRANGEBYLEX l [b (d", ":2\r\n"},
    {"ZREMRANGEBYLEX l x y", "-ERR min or max not valid string range item\r\n"},
    {"ZREMRANGEBYLEX nokey - +", ":0\r\n"},
    {"ZRANGE l 0 -1", "*2\r\n$1\r\na\r\n$1\r\nd\r\n"},
    {"ZREMRANGEBYLEX l - +", ":2\r\n"},
    {"EXISTS l", ":0\r\n"},
    {"ZADD m 1 a", ":1\r\n"},
    {"ZREM m a b", ":1\r\n"},
    {"EXISTS m", ":0\r\n"},
};

static const step zset_setops[] = {
    {"ZADD a 1 x 2 y 3 z", ":3\r\n"},
    {"ZADD b 10 y 20 z 30 w", ":3\r\n"},
    {"SADD s y w q", ":3\r\n"},
    {"ZUNIONSTORE out 2 a b", ":4\r\n"},
    {"ZRANGE out 0 -1 WITHSCORES",
     "*8\r\n$1\r\nx\r\n$1\r\n1\r\n$1\r\ny\r\n$2\r\n12\r\n$1\r\nz\r\n$2\r\n23\r\n$1\r\nw\r\n"
     "$2\r\n30\r\n"},
    {"ZUNIONSTORE out 2 a b WEIGHTS 2 3", ":4\r\n"},
    {"ZRANGE out 0 -1 WITHSCORES",
     "*8\r\n$1\r\nx\r\n$1\r\n2\r\n$1\r\ny\r\n$2\r\n34\r\n$1\r\nz\r\n$2\r\n66\r\n$1\r\nw\r\n"
     "$2\r\n90\r\n"},
    {"ZUNIONSTORE out 2 a b AGGREGATE MIN", ":4\r\n"},
    {"ZRANGE out 0 -1 WITHSCORES",
     "*8\r\n$1\r\nx\r\n$1\r\n1\r\n$1\r\ny\r\n$1\r\n2\r\n$1\r\nz\r\n$1\r\n3\r\n$1\r\nw\r\n"
     "$2\r\n30\r\n"},
    {"ZUNIONSTORE out 2 a b AGGREGATE MAX WEIGHTS 1 -1", ":4\r\n"},
    {"ZRANGE out 0 -1 WITHSCORES",
     "*8\r\n$1\r\nw\r\n$3\r\n-30\r\n$1\r\nx\r\n$1\r\n1\r\n$1\r\ny\r\n$1\r\n2\r\n$1\r\nz\r\n"
     "$1\r\n3\r\n"},
    {"ZUNIONSTORE out 3 a b s", ":5\r\n"},
    {"ZRANGE out 0 -1 WITHSCORES",
     "*10\r\n$1\r\nq\r\n$1\r\n1\r\n$1\r\nx\r\n$1\r\n1\r\n$1\r\ny\r\n$2\r\n13\r\n$1\r\nz\r\n"
     "$2\r\n23\r\n$1\r\nw\r\n$2\r\n31\r\n"},
    {"ZINTERSTORE out 2 a b", ":2\r\n"},
    {"ZRANGE out 0 -1 WITHSCORES", "*4\r\n$1\r\ny\r\n$2\r\n12\r\n$1\r\nz\r\n$2\r\n23\r\n"},
    {"ZINTERSTORE out 3 a b s", ":1\r\n"},
    {"ZRANGE out 0 -1 WITHSCORES", "*2\r\n$1\r\ny\r\n$2\r\n13\r\n"},
    {"ZINTERSTORE out 2 a nokey", ":0\r\n"},
    {"EXISTS out", ":0\r\n"},
    {"ZUNION 2 a b WITHSCORES",
     "*8\r\n$1\r\nx\r\n$1\r\n1\r\n$1\r\ny\r\n$2\r\n12\r\n$1\r\nz\r\n$2\r\n23\r\n$1\r\nw\r\n"
     "$2\r\n30\r\n"},
    {"ZUNION 2 a b", "*4\r\n$1\r\nx\r\n$1\r\ny\r\n$1\r\nz\r\n$1\r\nw\r\n"},
    {"ZINTER 2 a b WITHSCORES AGGREGATE MAX",
     "*4\r\n$1\r\ny\r\n$2\r\n10\r\n$1\r\nz\r\n$2\r\n20\r\n"},
    {"ZINTER 2 a a WITHSCORES",
     "*6\r\n$1\r\nx\r\n$1\r\n2\r\n$1\r\ny\r\n$1\r\n4\r\n$1\r\nz\r\n$1\r\n6\r\n"},
    {"ZDIFF 2 b a WITHSCORES", "*2\r\n$1\r\nw\r\n$2\r\n30\r\n"},
    {"ZDIFF 2 a a", "*0\r\n"},
    {"ZDIFF 3 a nokey b", "*1\r\n$1\r\nx\r\n"},
    {"ZDIFFSTORE out 2 b s", ":1\r\n"},
    {"ZRANGE out 0 -1 WITHSCORES", "*2\r\n$1\r\nz\r\n$2\r\n20\r\n"},
    {"ZDIFF 2 a b WEIGHTS 1 1", "-ERR syntax error\r\n"},
    {"ZDIFF 2 a b AGGREGATE SUM", "-ERR syntax error\r\n"},
    {"ZUNIONSTORE out 2 a b WITHSCORES", "-ERR syntax error\r\n"},
    {"ZUNION 0 a", "-ERR at least 1 input key is needed for 'zunion' command\r\n"},
    {"ZUNION -1 a", "-ERR at least 1 input key is needed for 'zunion' command\r\n"},
    {"ZUNION x a", "-ERR value is not an integer or out of range\r\n"},
    {"ZUNION 3 a b", "-ERR syntax error\r\n"},
    {"ZUNIONSTORE out 0 a", "-ERR at least 1 input key is needed for 'zunionstore' command\r\n"},
    {"ZINTERSTORE out 0 a", "-ERR at least 1 input key is needed for 'zinterstore' command\r\n"},
    {"ZDIFFSTORE out 0 a", "-ERR at least 1 input key is needed for 'zdiffstore' command\r\n"},
    {"ZINTER 2 a b WEIGHTS 1 x", "-ERR weight value is not a float\r\n"},
    {"ZINTER 2 a b WEIGHTS 1", "-ERR syntax error\r\n"},
    {"ZINTER 2 a b AGGREGATE foo", "-ERR syntax error\r\n"},
    {"ZINTER 2 a b AGGREGATE", "-ERR syntax error\r\n"},
    {"ZINTERCARD 2 a b", ":2\r\n"},
    {"ZINTERCARD 2 a b LIMIT 1", ":1\r\n"},
    {"ZINTERCARD 2 a b LIMIT 0", ":2\r\n"},
    {"ZINTERCARD 2 a b LIMIT -1", "-ERR LIMIT can't be negative\r\n"},
    {"ZINTERCARD 0 a", "-ERR at least 1 input key is needed for 'zintercard' command\r\n"},
    {"ZINTERCARD 2 a b WITHSCORES", "-ERR syntax error\r\n"},
    {"ZINTERCARD 2 a nokey", ":0\r\n"},
    {"ZUNION 2 a b WEIGHTS inf -inf WITHSCORES",
     "*8\r\n$1\r\nw\r\n$4\r\n-inf\r\n$1\r\ny\r\n$1\r\n0\r\n$1\r\nz\r\n$1\r\n0\r\n$1\r\n"
     "x\r\n$3\r\ninf\r\n"},
    {"ZADD infz inf x -inf y", ":2\r\n"},
    {"ZUNIONSTORE out 2 infz infz", ":2\r\n"},
    {"ZRANGE out 0 -1 WITHSCORES", "*4\r\n$1\r\ny\r\n$4\r\n-inf\r\n$1\r\nx\r\n$3\r\ninf\r\n"},
    {"ZINTERSTORE out 2 infz infz WEIGHTS 1 -1", ":2\r\n"},
    {"ZRANGE out 0 -1 WITHSCORES", "*4\r\n$1\r\nx\r\n$1\r\n0\r\n$1\r\ny\r\n$1\r\n0\r\n"},
    {"ZADD ints 1 1 2 2 3 3", ":3\r\n"},
    {"SADD iset 2 3 4", ":3\r\n"},
    {"ZUNION 2 ints iset WITHSCORES",
     "*8\r\n$1\r\n1\r\n$1\r\n1\r\n$1\r\n4\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n$1\r\n3\r\n"
     "$1\r\n4\r\n"},
    {"ZINTER 2 ints iset WITHSCORES", "*4\r\n$1\r\n2\r\n$1\r\n3\r\n$1\r\n3\r\n$1\r\n4\r\n"},
    {"SET str x", "+OK\r\n"},
    {"ZUNIONSTORE str 1 a", ":3\r\n"},
    {"TYPE str", "+zset\r\n"},
};

static const step zset_pop[] = {
    {"ZADD p 1 a 2 b 3 c 4 d 5 e", ":5\r\n"},
    {"ZPOPMIN p", "*2\r\n$1\r\na\r\n$1\r\n1\r\n"},
    {"ZPOPMAX p", "*2\r\n$1\r\ne\r\n$1\r\n5\r\n"},
    {"ZPOPMIN p 2", "*4\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\nc\r\n$1\r\n3\r\n"},
    {"ZPOPMIN p 0", "*0\r\n"},
    {"ZPOPMIN p -1", "-ERR value is out of range, must be positive\r\n"},
    {"ZPOPMIN p x", "-ERR value is out of range, must be positive\r\n"},
    {"ZPOPMIN p 1 2", "-ERR syntax error\r\n"},
    {"ZPOPMIN nokey", "*0\r\n"},
    {"ZPOPMIN nokey 3", "*0\r\n"},
    {"ZPOPMAX p 10", "*2\r\n$1\r\nd\r\n$1\r\n4\r\n"},
    {"EXISTS p", ":0\r\n"},
    {"ZADD p 1 a 2 b 3 c 4 d 5 e", ":5\r\n"},
    {"ZMPOP 1 p MIN", "*2\r\n$1\r\np\r\n*1\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n"},
    {"ZMPOP 1 p MAX COUNT 2",
     "*2\r\n$1\r\np\r\n*2\r\n*2\r\n$1\r\ne\r\n$1\r\n5\r\n*2\r\n$1\r\nd\r\n$1\r\n4\r\n"},
    {"ZMPOP 2 nokey p MIN COUNT 10",
     "*2\r\n$1\r\np\r\n*2\r\n*2\r\n$1\r\nb\r\n$1\r\n2\r\n*2\r\n$1\r\nc\r\n$1\r\n3\r\n"},
    {"EXISTS p", ":0\r\n"},
    {"ZMPOP 1 nokey MIN", "*-1\r\n"},
    {"ZMPOP 0 p MIN", "-ERR numkeys should be greater than 0\r\n"},
    {"ZMPOP -1 p MIN", "-ERR numkeys should be greater than 0\r\n"},
    {"ZMPOP 1 p FOO", "-ERR syntax error\r\n"},
    {"ZMPOP 1 p MIN COUNT 0", "-ERR count should be greater than 0\r\n"},
    {"ZMPOP 1 p MIN COUNT -1", "-ERR count should be greater than 0\r\n"},
    {"ZMPOP 1 p MIN COUNT 1 COUNT 2", "-ERR syntax error\r\n"},
    {"ZMPOP 2 p", "-ERR wrong number of arguments for 'zmpop' command\r\n"},
    {"ZMPOP 5 p MIN", "-ERR syntax error\r\n"},
    {"ZADD p 1 a", ":1\r\n"},
    {"BZPOPMIN p 0", "*3\r\n$1\r\np\r\n$1\r\na\r\n$1\r\n1\r\n"},
    {"BZPOPMAX nokey 0.01", "*-1\r\n"},
    {"BZPOPMIN p -1", "-ERR timeout is negative\r\n"},
    {"BZPOPMIN p x", "-ERR timeout is not a float or out of range\r\n"},
    {"BZMPOP 0.01 1 nokey MIN", "*-1\r\n"},
    {"BZMPOP 0 1 p FOO", "-ERR syntax error\r\n"},
    {"BZMPOP x 1 p MIN", "-ERR timeout is not a float or out of range\r\n"},
    {"ZADD p 1 a 2 b", ":2\r\n"},
    {"BZMPOP 0 2 nokey p MAX COUNT 5",
     "*2\r\n$1\r\np\r\n*2\r\n*2\r\n$1\r\nb\r\n$1\r\n2\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n"},
    {"MULTI", "+OK\r\n"},
    {"BZPOPMIN nokey 0", "+QUEUED\r\n"},
    {"BZMPOP 0 1 nokey MIN", "+QUEUED\r\n"},
    {"EXEC", "*2\r\n*-1\r\n*-1\r\n"},
};

static const step zset_random[] = {
    {"ZRANDMEMBER nokey", "$-1\r\n"},
    {"ZRANDMEMBER nokey 5", "*0\r\n"},
    {"ZRANDMEMBER nokey 5 WITHSCORES", "*0\r\n"},
    {"ZADD z 1 a 2 b", ":2\r\n"},
    {"ZRANDMEMBER z 0", "*0\r\n"},
    {"ZRANDMEMBER z 1 2", "-ERR syntax error\r\n"},
    {"ZRANDMEMBER z x", "-ERR value is not an integer or out of range\r\n"},
    {"ZRANDMEMBER z -9223372036854775808",
     "-ERR value is out of range, value must between -9223372036854775807 and 9223372036854"
     "775807\r\n"},
    {"ZRANDMEMBER z -9223372036854770000 WITHSCORES", "-ERR value is out of range\r\n"},
    {"ZRANDMEMBER z 2 WITHSCORES", "*4\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\na\r\n$1\r\n1\r\n"},
    {"ZRANDMEMBER z 10", "*2\r\n$1\r\nb\r\n$1\r\na\r\n"},
    {"ZADD single 1.5 only", ":1\r\n"},
    {"ZRANDMEMBER single", "$4\r\nonly\r\n"},
    {"ZRANDMEMBER single 1 WITHSCORES", "*2\r\n$4\r\nonly\r\n$3\r\n1.5\r\n"},
    {"ZRANDMEMBER single -2 WITHSCORES",
     "*4\r\n$4\r\nonly\r\n$3\r\n1.5\r\n$4\r\nonly\r\n$3\r\n1.5\r\n"},
};

static const step zset_store[] = {
    {"ZADD z 1 a 2 b 3 c", ":3\r\n"},
    {"ZRANGESTORE dst z 0 -1", ":3\r\n"},
    {"ZRANGE dst 0 -1 WITHSCORES",
     "*6\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\nc\r\n$1\r\n3\r\n"},
    {"ZRANGESTORE dst z 0 0 REV", ":1\r\n"},
    {"ZRANGE dst 0 -1 WITHSCORES", "*2\r\n$1\r\nc\r\n$1\r\n3\r\n"},
    {"ZRANGESTORE dst z -inf +inf BYSCORE LIMIT 1 1", ":1\r\n"},
    {"ZRANGE dst 0 -1 WITHSCORES", "*2\r\n$1\r\nb\r\n$1\r\n2\r\n"},
    {"ZRANGESTORE dst z [a [b BYLEX", ":2\r\n"},
    {"ZRANGE dst 0 -1", "*2\r\n$1\r\na\r\n$1\r\nb\r\n"},
    {"ZRANGESTORE dst nokey 0 -1", ":0\r\n"},
    {"EXISTS dst", ":0\r\n"},
    {"ZRANGESTORE dst z 0 -1", ":3\r\n"},
    {"ZRANGESTORE dst z 5 1", ":0\r\n"},
    {"EXISTS dst", ":0\r\n"},
    {"ZRANGESTORE dst z 0 -1 WITHSCORES", "-ERR syntax error\r\n"},
    {"ZRANGESTORE dst z 0 -1 LIMIT 0 1",
     "-ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLE"
     "X\r\n"},
    {"ZRANGESTORE z z 1 -1", ":2\r\n"},
    {"ZRANGE z 0 -1 WITHSCORES", "*4\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\nc\r\n$1\r\n3\r\n"},
};

static const step zset_resp3[] = {
    {"ZADD z 1 a 2.5 b", ":2\r\n"},
    {"ZADD z INCR 1 a", ",2\r\n"},
    {"ZADD z XX INCR 1 nope", "_\r\n"},
    {"ZINCRBY z 0.5 b", ",3\r\n"},
    {"ZSCORE z b", ",3\r\n"},
    {"ZSCORE z nope", "_\r\n"},
    {"ZMSCORE z a nope", "*2\r\n,2\r\n_\r\n"},
    {"ZRANK z nope", "_\r\n"},
    {"ZRANGE z 0 -1 WITHSCORES", "*2\r\n*2\r\n$1\r\na\r\n,2\r\n*2\r\n$1\r\nb\r\n,3\r\n"},
    {"ZRANGE z 0 -1", "*2\r\n$1\r\na\r\n$1\r\nb\r\n"},
    {"ZRANGEBYSCORE z -inf +inf WITHSCORES",
     "*2\r\n*2\r\n$1\r\na\r\n,2\r\n*2\r\n$1\r\nb\r\n,3\r\n"},
    {"ZREVRANGE z 0 -1 WITHSCORES", "*2\r\n*2\r\n$1\r\nb\r\n,3\r\n*2\r\n$1\r\na\r\n,2\r\n"},
    {"ZUNION 1 z WITHSCORES", "*2\r\n*2\r\n$1\r\na\r\n,2\r\n*2\r\n$1\r\nb\r\n,3\r\n"},
    {"ZINTER 1 z WITHSCORES", "*2\r\n*2\r\n$1\r\na\r\n,2\r\n*2\r\n$1\r\nb\r\n,3\r\n"},
    {"ZDIFF 1 z WITHSCORES", "*2\r\n*2\r\n$1\r\na\r\n,2\r\n*2\r\n$1\r\nb\r\n,3\r\n"},
    {"ZRANDMEMBER z 5 WITHSCORES", "*2\r\n*2\r\n$1\r\nb\r\n,3\r\n*2\r\n$1\r\na\r\n,2\r\n"},
    {"ZRANDMEMBER nokey", "_\r\n"},
    {"ZSCAN z 0", "*2\r\n$1\r\n0\r\n*4\r\n$1\r\na\r\n$1\r\n2\r\n$1\r\nb\r\n$1\r\n3\r\n"},
    {"ZPOPMIN nokey", "*0\r\n"},
    {"ZPOPMIN z", "*2\r\n$1\r\na\r\n,2\r\n"},
    {"ZPOPMIN z 1", "*1\r\n*2\r\n$1\r\nb\r\n,3\r\n"},
    {"ZADD z 1 a 2 b", ":2\r\n"},
    {"ZPOPMAX z 5", "*2\r\n*2\r\n$1\r\nb\r\n,2\r\n*2\r\n$1\r\na\r\n,1\r\n"},
    {"ZADD z 1 a 2 b", ":2\r\n"},
    {"ZMPOP 1 z MIN COUNT 5",
     "*2\r\n$1\r\nz\r\n*2\r\n*2\r\n$1\r\na\r\n,1\r\n*2\r\n$1\r\nb\r\n,2\r\n"},
    {"ZMPOP 1 z MIN", "_\r\n"},
    {"ZADD z 1 a", ":1\r\n"},
    {"BZPOPMIN z 0", "*3\r\n$1\r\nz\r\n$1\r\na\r\n,1\r\n"},
    {"ZADD z 1 a", ":1\r\n"},
    {"BZMPOP 0 1 z MAX", "*2\r\n$1\r\nz\r\n*1\r\n*2\r\n$1\r\na\r\n,1\r\n"},
    {"BZPOPMIN nokey 0.01", "_\r\n"},
    {"BZMPOP 0.01 1 nokey MIN", "_\r\n"},
};

static const step zset_encoding[] = {
    {"ZADD small 1 a", ":1\r\n"},
    {"OBJECT ENCODING small", "$8\r\nlistpack\r\n"},
    {"CONFIG SET zset-max-listpack-entries 2", "+OK\r\n"},
    {"ZADD small 2 b", ":1\r\n"},
    {"OBJECT ENCODING small", "$8\r\nlistpack\r\n"},
    {"ZADD small 3 c", ":1\r\n"},
    {"OBJECT ENCODING small", "$8\r\nskiplist\r\n"},
    {"ZREM small a b", ":2\r\n"},
    {"OBJECT ENCODING small", "$8\r\nskiplist\r\n"},
    {"CONFIG SET zset-max-listpack-entries 128", "+OK\r\n"},
    {"CONFIG SET zset-max-listpack-value 3", "+OK\r\n"},
    {"ZADD long 1 abcd", ":1\r\n"},
    {"OBJECT ENCODING long", "$8\r\nskiplist\r\n"},
    {"ZADD short 1 abc", ":1\r\n"},
    {"OBJECT ENCODING short", "$8\r\nlistpack\r\n"},
    {"ZADD short 1 abcd", ":1\r\n"},
    {"OBJECT ENCODING short", "$8\r\nskiplist\r\n"},
    {"CONFIG SET zset-max-listpack-value 64", "+OK\r\n"},
    {"ZUNIONSTORE u 1 short", ":2\r\n"},
    {"OBJECT ENCODING u", "$8\r\nlistpack\r\n"},
    {"CONFIG SET zset-max-listpack-entries 0", "+OK\r\n"},
    {"ZADD zero 1 a", ":1\r\n"},
    {"OBJECT ENCODING zero", "$8\r\nskiplist\r\n"},
    {"ZRANGESTORE r short 0 -1", ":2\r\n"},
    {"OBJECT ENCODING r", "$8\r\nskiplist\r\n"},
    {"CONFIG SET zset-max-listpack-entries 1", "+OK\r\n"},
    {"ZRANGESTORE r short 0 -1", ":2\r\n"},
    {"OBJECT ENCODING r", "$8\r\nskiplist\r\n"},
    {"CONFIG GET zset-max-ziplist-entries",
     "*2\r\n$24\r\nzset-max-ziplist-entries\r\n$1\r\n1\r\n"},
    {"TYPE r", "+zset\r\n"},
};

Test(zset, add)
{
    RUN(zset_add, 0);
}

Test(zset, errors)
{
    RUN(zset_errors, 0);
}

Test(zset, reads)
{
    RUN(zset_reads, 0);
}

Test(zset, range)
{
    RUN(zset_range, 0);
}

Test(zset, remove)
{
    RUN(zset_remove, 0);
}

Test(zset, setops)
{
    RUN(zset_setops, 0);
}

Test(zset, pop)
{
    RUN(zset_pop, 0);
}

Test(zset, random_edges)
{
    RUN(zset_random, 0);
}

Test(zset, store)
{
    RUN(zset_store, 0);
}

Test(zset, resp3)
{
    RUN(zset_resp3, 1);
}

Test(zset, encoding)
{
    RUN(zset_encoding, 0);
}

static void expect_raw(int fd, const char *want)
{
    char in[4096];
    size_t wl = strlen(want);
    size_t got = raw_send_recv(fd, "", 0, in, wl, 3000);
    in[got] = '\0';
    cr_assert(got == wl && memcmp(in, want, wl) == 0, "expected %s got %s", want, in);
}

/* Wait until the server reports n blocked clients. */
static void wait_blocked(redisContext *c, int n)
{
    char want[64];
    snprintf(want, sizeof(want), "blocked_clients:%d\r", n);
    for (int i = 0; i < 200; i++) {
        redisReply *r = cmd(c, "INFO clients");
        int ok = r->type == REDIS_REPLY_STRING && strstr(r->str, want);
        freeReplyObject(r);
        if (ok)
            return;
        usleep(10000);
    }
    cr_assert_fail("never saw %d blocked clients", n);
}

Test(zset, blocking_pops_are_served_in_order)
{
    redisContext *c = srv_connect(s);
    int b1 = srv_raw_connect(s), b2 = srv_raw_connect(s), b3 = srv_raw_connect(s);
    raw_send(b1, "BZPOPMIN k1 k2 0");
    raw_send(b2, "BZMPOP 0 2 k2 k3 MAX COUNT 2");
    raw_send(b3, "BZPOPMAX k2 5");
    wait_blocked(c, 3);
    /* Created and deleted inside one transaction: nobody is woken. */
    expect_status(c, "OK", "MULTI");
    expect_status(c, "QUEUED", "ZADD k2 9 z");
    expect_status(c, "QUEUED", "DEL k2");
    freeReplyObject(cmd(c, "EXEC"));
    wait_blocked(c, 3);
    expect_int(c, 4, "ZADD k2 1 a 2 b 3 c 4 d");
    expect_raw(b1, "*3\r\n$2\r\nk2\r\n$1\r\na\r\n$1\r\n1\r\n");
    expect_raw(b2, "*2\r\n$2\r\nk2\r\n*2\r\n*2\r\n$1\r\nd\r\n$1\r\n4\r\n"
                   "*2\r\n$1\r\nc\r\n$1\r\n3\r\n");
    expect_raw(b3, "*3\r\n$2\r\nk2\r\n$1\r\nb\r\n$1\r\n2\r\n");
    expect_int(c, 0, "EXISTS k2");
    close(b1);
    close(b2);
    close(b3);
    redisFree(c);
}

Test(zset, blocking_pop_times_out_and_ignores_other_types)
{
    redisContext *c = srv_connect(s);
    int b = srv_raw_connect(s), b3 = srv_raw_connect(s);
    char hello[512];
    raw_send(b3, "HELLO 3");
    raw_send_recv(b3, "", 0, hello, sizeof(hello), 300);
    long long t0 = now_ms();
    raw_send(b, "BZPOPMIN k 0.2");
    raw_send(b3, "BZMPOP 0.2 1 k MIN");
    wait_blocked(c, 2);
    /* A list at the key is not a sorted set: the waiters keep waiting. */
    expect_int(c, 1, "RPUSH k x");
    expect_raw(b, "*-1\r\n");
    expect_raw(b3, "_\r\n");
    cr_assert_geq(now_ms() - t0, 150);
    close(b);
    close(b3);
    redisFree(c);
}

Test(zset, zscan_skiplist_visits_every_member)
{
    redisContext *c = srv_connect(s);
    for (int i = 0; i < 1000; i++)
        freeReplyObject(cmd(c, "ZADD big %d.5 m%d", i, i));
    expect_bulk(c, "skiplist", "OBJECT ENCODING big");
    char seen[1000] = {0};
    unsigned long long cursor = 0;
    do {
        redisReply *r = cmd(c, "ZSCAN big %llu COUNT 20", cursor);
        cursor = strtoull(r->element[0]->str, NULL, 10);
        redisReply *it = r->element[1];
        for (size_t i = 0; i < it->elements; i += 2) {
            int m = atoi(it->element[i]->str + 1);
            cr_assert_eq(atof(it->element[i + 1]->str), m + 0.5);
            seen[m] = 1;
        }
        freeReplyObject(r);
    } while (cursor);
    for (int i = 0; i < 1000; i++)
        cr_assert(seen[i]);
    redisFree(c);
}

Test(zset, keyspace_events)
{
    redisContext *c = srv_connect(s);
    expect_status(c, "OK", "CONFIG SET notify-keyspace-events Ezg");
    int fd = srv_raw_connect(s);
    raw_expect(fd, "*3\r\n$10\r\npsubscribe\r\n$16\r\n__keyevent@0__:*\r\n:1\r\n",
               "PSUBSCRIBE __keyevent@0__:*");
    expect_int(c, 2, "ZADD z 1 a 2 b");
    expect_int(c, 0, "ZADD z 1 a");
    expect_bulk(c, "2", "ZINCRBY z 1 a");
    expect_int(c, 1, "ZREM z a");
    freeReplyObject(cmd(c, "ZPOPMIN z"));
#define EV(e) "*4\r\n$8\r\npmessage\r\n$16\r\n__keyevent@0__:*\r\n$" e "\r\n$1\r\nz\r\n"
    expect_raw(fd, EV("19\r\n__keyevent@0__:zadd") EV("20\r\n__keyevent@0__:zincr")
                   EV("19\r\n__keyevent@0__:zrem") EV("22\r\n__keyevent@0__:zpopmin")
                   EV("18\r\n__keyevent@0__:del"));
#undef EV
    close(fd);
    redisFree(c);
}

Test(zset, debug_reload_keeps_scores_and_encodings)
{
    redisContext *c = srv_connect(s);
    for (int i = 0; i < 300; i++)
        freeReplyObject(cmd(c, "ZADD big %d m%d", i % 7, i));
    freeReplyObject(cmd(c, "ZADD small 0.1 a inf b -inf c 1e-300 d"));
    expect_status(c, "OK", "DEBUG RELOAD");
    expect_int(c, 300, "ZCARD big");
    expect_bulk(c, "skiplist", "OBJECT ENCODING big");
    expect_bulk(c, "listpack", "OBJECT ENCODING small");
    const char *all[] = {"c", "-inf", "d", "1e-300", "a", "0.10000000000000001", "b", "inf"};
    expect_strings(c, 8, all, "ZRANGE small 0 -1 WITHSCORES");
    expect_int(c, 43, "ZRANK big m1"); /* after the 43 members scoring 0 */
    redisReply *a = cmd(c, "ZRANGE big 0 -1");
    cr_assert_eq(a->elements, 300);
    freeReplyObject(a);
    redisFree(c);
}

/* ---- a random workload against a model, in both encodings ---- */

typedef struct {
    char m[8];
    double score;
    int live;
} mel;

static int mel_cmp(const void *x, const void *y)
{
    const mel *a = x, *b = y;
    if (a->live != b->live)
        return b->live - a->live;
    if (a->score != b->score)
        return a->score < b->score ? -1 : 1;
    return strcmp(a->m, b->m);
}

Test(zset, random_workload_matches_model)
{
    redisContext *c = srv_connect(s);
    const char *limits[] = {"128", "0"};
    srand(7);
    for (int round = 0; round < 2; round++) {
        expect_status(c, "OK", "CONFIG SET zset-max-listpack-entries %s", limits[round]);
        freeReplyObject(cmd(c, "DEL z"));
        mel model[40];
        for (int i = 0; i < 40; i++) {
            snprintf(model[i].m, sizeof(model[i].m), "m%02d", i % 100);
            model[i].live = 0;
        }
        for (int op = 0; op < 600; op++) {
            int i = rand() % 40, r = rand() % 4;
            mel *e = NULL;
            for (int k = 0; k < 40; k++)
                if (!strcmp(model[k].m, (char[8]){'m', (char)('0' + i / 10),
                                                   (char)('0' + i % 10), 0}))
                    e = &model[k];
            double sc = (double)(rand() % 10);
            if (r < 2) {
                freeReplyObject(cmd(c, "ZADD z %g %s", sc, e->m));
                e->score = sc;
                e->live = 1;
            } else if (r == 2) {
                expect_int(c, e->live, "ZREM z %s", e->m);
                e->live = 0;
            } else {
                freeReplyObject(cmd(c, "ZINCRBY z %g %s", sc, e->m));
                e->score = e->live ? e->score + sc : sc;
                e->live = 1;
            }
            qsort(model, 40, sizeof(mel), mel_cmp);
            int n = 0;
            while (n < 40 && model[n].live)
                n++;
            redisReply *all = cmd(c, "ZRANGE z 0 -1 WITHSCORES");
            cr_assert_eq((int)all->elements, 2 * n);
            for (int k = 0; k < n; k++) {
                cr_assert_str_eq(all->element[2 * k]->str, model[k].m);
                cr_assert_eq(atof(all->element[2 * k + 1]->str), model[k].score);
            }
            freeReplyObject(all);
            if (n) {
                int k = rand() % n;
                expect_int(c, k, "ZRANK z %s", model[k].m);
                expect_int(c, n - 1 - k, "ZREVRANK z %s", model[k].m);
            }
        }
        redisReply *enc = cmd(c, "OBJECT ENCODING z");
        if (enc->type == REDIS_REPLY_STRING)
            cr_assert_str_eq(enc->str, round == 0 ? "listpack" : "skiplist");
        freeReplyObject(enc);
    }
    redisFree(c);
}
