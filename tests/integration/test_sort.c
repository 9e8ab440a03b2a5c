/* test_sort.c - SORT and SORT_RO against a spawned server: exact replies and
 * errors as Redis 7.0.15 gives them, for lists, sets and sorted sets, BY /
 * GET patterns (keys, hash fields, '#', constants), LIMIT windows, ALPHA,
 * DESC and STORE (with its side effects: WATCH, blocked clients, keyspace
 * notifications, TTL of the destination).  RESP3 nulls through a raw
 * socket. */
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

TestSuite(sort, .init = setup, .fini = teardown, .timeout = 60);

static void run(redisContext *c, const char *fmt, const char *a)
{
    freeReplyObject(cmd(c, fmt, a));
}

static redisContext *fresh(void)
{
    redisContext *c = srv_connect(s);
    freeReplyObject(cmd(c, "FLUSHALL"));
    return c;
}

#define STRS(...) ((const char *[]){__VA_ARGS__})
#define NSTRS(...) (int)(sizeof((const char *[]){__VA_ARGS__}) / sizeof(const char *))
#define EXPECT(c, cmdline, ...) expect_strings(c, NSTRS(__VA_ARGS__), STRS(__VA_ARGS__), cmdline)

Test(sort, numeric_and_alpha)
{
    redisContext *c = fresh();
    run(c, "RPUSH l 3 1 2 10 -5 1.5%s", "");
    EXPECT(c, "SORT l", "-5", "1", "1.5", "2", "3", "10");
    EXPECT(c, "SORT l DESC", "10", "3", "2", "1.5", "1", "-5");
    EXPECT(c, "SORT l ALPHA", "-5", "1", "1.5", "10", "2", "3");
    EXPECT(c, "SORT l ALPHA DESC", "3", "2", "10", "1.5", "1", "-5");
    EXPECT(c, "SORT l ASC DESC ASC", "-5", "1", "1.5", "2", "3", "10");
    EXPECT(c, "SORT_RO l DESC", "10", "3", "2", "1.5", "1", "-5");
    /* same score: ties broken by the element bytes */
    run(c, "RPUSH t 1.0 1 01 1e0%s", "");
    EXPECT(c, "SORT t", "01", "1", "1.0", "1e0");
    EXPECT(c, "SORT t DESC", "1e0", "1.0", "1", "01");
    redisFree(c);
}

Test(sort, limit_windows)
{
    redisContext *c = fresh();
    run(c, "RPUSH l 5 4 3 2 1%s", "");
    EXPECT(c, "SORT l LIMIT 1 2", "2", "3");
    EXPECT(c, "SORT l LIMIT -3 2", "1", "2");
    EXPECT(c, "SORT l LIMIT 3 100", "4", "5");
    EXPECT(c, "SORT l LIMIT 0 -7", "1", "2", "3", "4", "5");
    expect_strings(c, 0, NULL, "SORT l LIMIT 5 1");
    expect_strings(c, 0, NULL, "SORT l LIMIT 2 0");
    EXPECT(c, "SORT l LIMIT 4 9223372036854775807", "5");
    EXPECT(c, "SORT l DESC LIMIT 0 2", "5", "4");
    redisFree(c);
}

Test(sort, errors)
{
    redisContext *c = fresh();
    run(c, "RPUSH l 1 2%s", "");
    expect_error(c, "ERR syntax error", "SORT l foo");
    expect_error(c, "ERR syntax error", "SORT l LIMIT 1");
    expect_error(c, "ERR syntax error", "SORT l BY");
    expect_error(c, "ERR syntax error", "SORT l GET");
    expect_error(c, "ERR syntax error", "SORT l STORE");
    expect_error(c, "ERR syntax error", "SORT_RO l STORE dst");
    expect_error(c, "ERR value is not an integer or out of range", "SORT l LIMIT x 1");
    expect_error(c, "ERR value is not an integer or out of range", "SORT l LIMIT 0 1.5");
    expect_error(c, "ERR wrong number of arguments for 'sort' command", "SORT");
    expect_error(c, "ERR wrong number of arguments for 'sort_ro' command", "SORT_RO");
    /* syntax is checked before the key's type */
    run(c, "SET str v%s", "");
    expect_error(c, "ERR syntax error", "SORT str foo");
    expect_error(c, "WRONGTYPE Operation against a key holding the wrong kind of value",
                 "SORT str");
    expect_error(c, "WRONGTYPE Operation against a key holding the wrong kind of value",
                 "SORT str STORE dst");
    run(c, "HSET h f v%s", "");
    expect_error(c, "WRONGTYPE Operation against a key holding the wrong kind of value",
                 "SORT_RO h");
    run(c, "RPUSH bad 1 x 2%s", "");
    expect_error(c, "ERR One or more scores can't be converted into double", "SORT bad");
    expect_error(c, "ERR One or more scores can't be converted into double", "SORT bad STORE dst");
    expect_int(c, 0, "EXISTS dst");
    EXPECT(c, "SORT bad ALPHA", "1", "2", "x");
    run(c, "RPUSH nan nan 1%s", "");
    expect_error(c, "ERR One or more scores can't be converted into double", "SORT nan");
    run(c, "RPUSH big 1e500 1%s", "");
    expect_error(c, "ERR One or more scores can't be converted into double", "SORT big");
    /* strtod's forms are accepted: inf, hex, leading blanks, empty */
    run(c, "RPUSH odd 0x10 3 inf -inf%s", "");
    EXPECT(c, "SORT odd", "-inf", "3", "0x10", "inf");
    redisFree(c);
}

Test(sort, missing_key)
{
    redisContext *c = fresh();
    expect_strings(c, 0, NULL, "SORT nokey");
    expect_strings(c, 0, NULL, "SORT nokey BY nosort LIMIT 0 5 GET #");
    expect_int(c, 0, "SORT nokey STORE dst");
    expect_int(c, 0, "EXISTS dst");
    redisFree(c);
}

Test(sort, by_key_and_hash_field)
{
    redisContext *c = fresh();
    run(c, "RPUSH l a b c d%s", "");
    run(c, "MSET w_a 30 w_b 10 w_c 20%s", ""); /* w_d missing: weight 0 */
    EXPECT(c, "SORT l BY w_*", "d", "b", "c", "a");
    EXPECT(c, "SORT l BY w_* DESC", "a", "c", "b", "d");
    EXPECT(c, "SORT l BY w_* LIMIT 1 2", "b", "c");
    /* ALPHA with BY compares the weights as strings; missing ones first */
    run(c, "MSET x_a b x_b a x_c c%s", "");
    EXPECT(c, "SORT l BY x_* ALPHA", "d", "b", "a", "c");
    EXPECT(c, "SORT l BY x_* ALPHA DESC", "c", "a", "b", "d");
    /* hash fields */
    run(c, "HSET o_a f 3 g A%s", "");
    run(c, "HSET o_b f 1 g B%s", "");
    run(c, "HSET o_c f 2%s", "");
    run(c, "HSET o_d f 0%s", "");
    EXPECT(c, "SORT l BY o_*->f", "d", "b", "c", "a");
    EXPECT(c, "SORT l BY o_*->f GET o_*->g GET # GET w_*", NULL, "d", NULL, "B", "b", "10", NULL,
           "c", "20", "A", "a", "30");
    /* a non-hash under a -> pattern, or a non-string under a key: nil */
    EXPECT(c, "SORT l BY w_* GET w_*->f GET o_*", NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
    /* a bad weight fails the numeric sort */
    run(c, "SET w_d oops%s", "");
    expect_error(c, "ERR One or more scores can't be converted into double", "SORT l BY w_*");
    redisFree(c);
}

Test(sort, pattern_edges)
{
    redisContext *c = fresh();
    run(c, "RPUSH ml a%s", "");
    run(c, "SET x:a-> 100%s", "");
    /* "->" at the end is part of the key name, not a field */
    EXPECT(c, "SORT ml BY num GET x:*->", "100");
    EXPECT(c, "SORT_RO ml BY nosort GET x:*->", "100");
    /* GET without '*' names nothing */
    run(c, "SET foo bar%s", "");
    EXPECT(c, "SORT ml ALPHA GET foo", NULL);
    EXPECT(c, "SORT ml ALPHA GET # GET #", "a", "a");
    redisFree(c);
}

Test(sort, nosort_keeps_native_order)
{
    redisContext *c = fresh();
    run(c, "LPUSH l 2 1 4 3 5%s", "");
    EXPECT(c, "SORT l BY nosort", "5", "3", "4", "1", "2");
    EXPECT(c, "SORT l BY nosort DESC", "2", "1", "4", "3", "5");
    EXPECT(c, "SORT l BY nosort LIMIT 1 2", "3", "4");
    EXPECT(c, "SORT l BY nosort DESC LIMIT 1 2", "1", "4");
    expect_strings(c, 0, NULL, "SORT l BY nosort LIMIT 5 2");
    run(c, "ZADD z 1 a 5 b 2 c 10 d 3 e%s", "");
    EXPECT(c, "SORT z BY nosort", "a", "c", "e", "b", "d");
    EXPECT(c, "SORT z BY nosort DESC", "d", "b", "e", "c", "a");
    EXPECT(c, "SORT z BY nosort ASC LIMIT 0 2", "a", "c");
    EXPECT(c, "SORT z BY nosort DESC LIMIT 0 2", "d", "b");
    EXPECT(c, "SORT z BY nosort LIMIT 1 3", "c", "e", "b");
    EXPECT(c, "SORT z BY nosort LIMIT -10 100", "a", "c", "e", "b", "d");
    expect_strings(c, 0, NULL, "SORT z BY nosort LIMIT 5 10");
    EXPECT(c, "SORT z ALPHA DESC", "e", "d", "c", "b", "a");
    /* like Redis, SORT leaves a sorted set in the skiplist encoding */
    expect_bulk(c, "skiplist", "OBJECT ENCODING z");
    redisFree(c);
}

Test(sort, sets)
{
    redisContext *c = fresh();
    run(c, "SADD s 5 3 9 1%s", "");
    EXPECT(c, "SORT s", "1", "3", "5", "9");
    EXPECT(c, "SORT s DESC LIMIT 0 2", "9", "5");
    run(c, "SADD a c b a aa%s", "");
    EXPECT(c, "SORT a ALPHA", "a", "aa", "b", "c");
    /* BY <constant> + STORE on a set sorts it (ALPHA) for a stable result */
    expect_int(c, 4, "SORT a BY nosort STORE dst");
    EXPECT(c, "LRANGE dst 0 -1", "a", "aa", "b", "c");
    expect_int(c, 4, "SORT a BY _ DESC STORE dst");
    EXPECT(c, "LRANGE dst 0 -1", "c", "b", "aa", "a");
    /* and so does a script */
    const char *script = "return redis.call('sort',KEYS[1],'by','nosort')";
    redisReply *r = cmd(c, "EVAL %s 1 a", script);
    cr_assert_eq(r->type, REDIS_REPLY_ARRAY);
    cr_assert_eq(r->elements, 4);
    cr_assert_str_eq(r->element[0]->str, "a");
    cr_assert_str_eq(r->element[3]->str, "c");
    freeReplyObject(r);
    redisFree(c);
}

Test(sort, store)
{
    redisContext *c = fresh();
    run(c, "RPUSH l 3 1 2%s", "");
    run(c, "MSET w_1 x w_2 y%s", "");
    expect_int(c, 3, "SORT l STORE dst");
    EXPECT(c, "LRANGE dst 0 -1", "1", "2", "3");
    expect_status(c, "list", "TYPE dst");
    /* GET values are stored, missing ones as "" */
    expect_int(c, 6, "SORT l GET # GET w_* STORE dst");
    EXPECT(c, "LRANGE dst 0 -1", "1", "x", "2", "y", "3", "");
    /* replaces any type and drops the TTL */
    run(c, "SET str v EX 100%s", "");
    expect_int(c, 2, "SORT l LIMIT 0 2 STORE str");
    expect_status(c, "list", "TYPE str");
    expect_int(c, -1, "TTL str");
    /* the sorted key itself as destination */
    expect_int(c, 3, "SORT l DESC STORE l");
    EXPECT(c, "LRANGE l 0 -1", "3", "2", "1");
    /* an empty result deletes the destination */
    expect_int(c, 0, "SORT l LIMIT 10 10 STORE dst");
    expect_int(c, 0, "EXISTS dst");
    expect_int(c, 0, "SORT nokey STORE str");
    expect_int(c, 0, "EXISTS str");
    /* the last STORE wins */
    expect_int(c, 3, "SORT l STORE a STORE b");
    expect_int(c, 0, "EXISTS a");
    EXPECT(c, "LRANGE b 0 -1", "1", "2", "3");
    redisFree(c);
}

Test(sort, store_signals_watch)
{
    redisContext *c = fresh();
    run(c, "LPUSH foo bar%s", "");
    expect_status(c, "OK", "WATCH foo");
    expect_int(c, 0, "SORT emptylist STORE foo");
    expect_status(c, "OK", "MULTI");
    expect_status(c, "QUEUED", "PING");
    redisReply *r = cmd(c, "EXEC");
    cr_assert_eq(r->type, REDIS_REPLY_NIL);
    freeReplyObject(r);

    run(c, "RPUSH src 1%s", "");
    expect_status(c, "OK", "WATCH dst");
    expect_int(c, 1, "SORT src STORE dst");
    expect_status(c, "OK", "MULTI");
    expect_status(c, "QUEUED", "PING");
    r = cmd(c, "EXEC");
    cr_assert_eq(r->type, REDIS_REPLY_NIL);
    freeReplyObject(r);
    redisFree(c);
}

Test(sort, store_wakes_blocked_clients)
{
    redisContext *c = fresh();
    redisContext *b = srv_connect(s);
    redisAppendCommand(b, "BLPOP foo 5");
    redisBufferWrite(b, &(int){0});
    for (int i = 0; i < 100; i++) {
        redisReply *r = cmd(c, "INFO clients");
        int blocked = strstr(r->str, "blocked_clients:1") != NULL;
        freeReplyObject(r);
        if (blocked)
            break;
        usleep(10000);
    }
    run(c, "LPUSH notfoo hello hola aguacate konichiwa zanzibar%s", "");
    expect_int(c, 5, "SORT notfoo ALPHA STORE foo");
    redisReply *r = NULL;
    cr_assert_eq(redisGetReply(b, (void **)&r), REDIS_OK);
    cr_assert_eq(r->type, REDIS_REPLY_ARRAY);
    cr_assert_eq(r->elements, 2);
    cr_assert_str_eq(r->element[0]->str, "foo");
    cr_assert_str_eq(r->element[1]->str, "aguacate");
    freeReplyObject(r);
    EXPECT(c, "LRANGE foo 0 -1", "hello", "hola", "konichiwa", "zanzibar");
    redisFree(b);
    redisFree(c);
}

static void expect_message(redisContext *sub, const char *channel, const char *payload)
{
    redisReply *r = NULL;
    cr_assert_eq(redisGetReply(sub, (void **)&r), REDIS_OK);
    cr_assert_eq(r->type, REDIS_REPLY_ARRAY);
    cr_assert_eq(r->elements, 3);
    cr_assert_str_eq(r->element[0]->str, "message");
    cr_assert_str_eq(r->element[1]->str, channel);
    cr_assert_str_eq(r->element[2]->str, payload);
    freeReplyObject(r);
}

Test(sort, store_notifications)
{
    redisContext *c = fresh();
    expect_status(c, "OK", "CONFIG SET notify-keyspace-events KEgl");
    redisContext *sub = srv_connect(s);
    freeReplyObject(cmd(sub, "SUBSCRIBE __keyevent@0__:sortstore"));
    freeReplyObject(cmd(sub, "SUBSCRIBE __keyevent@0__:del"));
    freeReplyObject(cmd(sub, "SUBSCRIBE __keyspace@0__:dst"));
    run(c, "RPUSH l b a%s", "");
    expect_int(c, 2, "SORT l ALPHA STORE dst");
    expect_message(sub, "__keyspace@0__:dst", "sortstore");
    expect_message(sub, "__keyevent@0__:sortstore", "dst");
    expect_int(c, 0, "SORT nokey STORE dst");
    expect_message(sub, "__keyspace@0__:dst", "del");
    expect_message(sub, "__keyevent@0__:del", "dst");
    /* nothing to delete: no event (the next one seen is the store's) */
    expect_int(c, 0, "SORT nokey STORE dst");
    run(c, "RPUSH l c%s", "");
    expect_int(c, 3, "SORT l ALPHA STORE dst");
    expect_message(sub, "__keyspace@0__:dst", "sortstore");
    expect_status(c, "OK", "CONFIG SET notify-keyspace-events %s", "");
    redisFree(sub);
    redisFree(c);
}

Test(sort, store_counts_as_changes)
{
    redisContext *c = fresh();
    run(c, "RPUSH l 1 2 3%s", "");
    redisReply *r = cmd(c, "INFO persistence");
    long long before = -1, after = -1;
    const char *p = strstr(r->str, "rdb_changes_since_last_save:");
    if (p)
        before = atoll(p + strlen("rdb_changes_since_last_save:"));
    freeReplyObject(r);
    expect_int(c, 3, "SORT l STORE dst");
    r = cmd(c, "INFO persistence");
    p = strstr(r->str, "rdb_changes_since_last_save:");
    if (p)
        after = atoll(p + strlen("rdb_changes_since_last_save:"));
    freeReplyObject(r);
    if (before >= 0)
        cr_assert_eq(after - before, 3);
    redisFree(c);
}

Test(sort, resp3_nulls)
{
    redisContext *c = fresh();
    run(c, "RPUSH l 2 1%s", "");
    run(c, "SET w_1 one%s", "");
    redisFree(c);
    int fd = srv_raw_connect(s);
    char in[4096];
    const char *hello = "*2\r\n$5\r\nHELLO\r\n$1\r\n3\r\n";
    raw_send_recv(fd, hello, strlen(hello), in, sizeof(in) - 1, 300);
    const char *q = "*6\r\n$4\r\nSORT\r\n$1\r\nl\r\n$3\r\nGET\r\n$1\r\n#\r\n$3\r\nGET\r\n$3\r\n"
                    "w_*\r\n";
    const char *want = "*4\r\n$1\r\n1\r\n$3\r\none\r\n$1\r\n2\r\n_\r\n";
    size_t got = raw_send_recv(fd, q, strlen(q), in, strlen(want), 2000);
    in[got] = '\0';
    cr_assert_str_eq(in, want);
    close(fd);
}

Test(sort, command_info)
{
    redisContext *c = fresh();
    redisReply *r = cmd(c, "COMMAND INFO sort sort_ro");
    cr_assert_eq(r->type, REDIS_REPLY_ARRAY);
    cr_assert_eq(r->elements, 2);
    cr_assert_str_eq(r->element[0]->element[0]->str, "sort");
    cr_assert_eq(r->element[0]->element[1]->integer, -2);
    cr_assert_str_eq(r->element[1]->element[0]->str, "sort_ro");
    freeReplyObject(r);
    redisFree(c);
}
