/* test_keys.c - keyspace commands against a spawned server: DEL, UNLINK,
 * EXISTS, TYPE, KEYS, SCAN, RANDOMKEY, RENAME(NX), COPY, MOVE, DBSIZE,
 * FLUSHDB, FLUSHALL, SWAPDB, TOUCH, the EXPIRE and TTL families, PERSIST
 * and OBJECT, with Redis 7.0.15's exact replies and errors.  Expiry tests
 * use PX times of a few ms and short sleeps. */
#include "harness.h"

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

TestSuite(keys, .init = setup, .fini = teardown, .timeout = 30);

static void msleep(int ms)
{
    usleep((useconds_t)ms * 1000);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Array reply of strings, compared after sorting (KEYS order is the
 * hash table's). */
static void expect_sorted(redisContext *c, int n, const char **want, const char *command)
{
    redisReply *r = cmd(c, command);
    cr_assert_eq(r->type, REDIS_REPLY_ARRAY, "%s", command);
    cr_assert_eq((int)r->elements, n, "%s: %zu elements", command, r->elements);
    char **got = calloc((size_t)n + 1, sizeof(char *));
    for (int i = 0; i < n; i++)
        got[i] = r->element[i]->str;
    qsort(got, (size_t)n, sizeof(char *), cmp_str);
    for (int i = 0; i < n; i++)
        cr_assert_str_eq(got[i], want[i], "%s: element %d", command, i);
    free(got);
    freeReplyObject(r);
}

/* Runs a whole SCAN iteration with extra options; returns the number of
 * distinct keys seen and marks names "key:N" in seen[]. */
static int scan_all(redisContext *c, const char *opts, char *seen, int max)
{
    char cursor[32] = "0";
    int distinct = 0, calls = 0;
    do {
        char fmt[256];
        snprintf(fmt, sizeof(fmt), "SCAN %%s %s", opts); /* opts: words, no '%' */
        redisReply *r = cmd(c, fmt, cursor);
        cr_assert_eq(r->type, REDIS_REPLY_ARRAY);
        cr_assert_eq(r->elements, 2);
        cr_assert_eq(r->element[0]->type, REDIS_REPLY_STRING);
        snprintf(cursor, sizeof(cursor), "%s", r->element[0]->str);
        redisReply *keys = r->element[1];
        cr_assert_eq(keys->type, REDIS_REPLY_ARRAY);
        for (size_t i = 0; i < keys->elements; i++) {
            const char *k = keys->element[i]->str;
            if (strncmp(k, "key:", 4) == 0) {
                int n = atoi(k + 4);
                if (n >= 0 && n < max && !seen[n]) {
                    seen[n] = 1;
                    distinct++;
                }
            }
        }
        freeReplyObject(r);
        cr_assert(++calls < 100000);
    } while (strcmp(cursor, "0") != 0);
    return distinct;
}

static void populate(redisContext *c, const char *prefix, int n)
{
    for (int i = 0; i < n; i++)
        redisAppendCommand(c, "SET %s%d v", prefix, i);
    for (int i = 0; i < n; i++) {
        redisReply *r;
        cr_assert_eq(redisGetReply(c, (void **)&r), REDIS_OK);
        freeReplyObject(r);
    }
}

/* ---- DEL, UNLINK, EXISTS, TYPE, TOUCH, DBSIZE ---- */

Test(keys, del_unlink)
{
    redisContext *c = srv_connect(s);
    expect_status(c, "OK", "SET a 1");
    expect_status(c, "OK", "SET b 2");
    expect_status(c, "OK", "SET c 3");
    expect_int(c, 2, "DEL a b nokey a");
    expect_nil(c, "GET a");
    expect_int(c, 0, "DEL a");
    expect_int(c, 1, "UNLINK c nokey");
    expect_int(c, 0, "UNLINK c");
    expect_error(c, "ERR wrong number of arguments for 'del' command", "DEL");
    expect_error(c, "ERR wrong number of arguments for 'unlink' command", "UNLINK");
    expect_int(c, 0, "DBSIZE");
    redisFree(c);
}

Test(keys, exists_type_touch_dbsize)
{
    redisContext *c = srv_connect(s);
    expect_int(c, 0, "DBSIZE");
    expect_status(c, "OK", "SET a 1");
    expect_status(c, "OK", "SET %s %s", "", "");
    expect_int(c, 3, "EXISTS a a nokey %s", "");
    expect_int(c, 0, "EXISTS nokey");
    expect_status(c, "string", "TYPE a");
    expect_status(c, "none", "TYPE nokey");
    expect_int(c, 2, "TOUCH a nokey a");
    expect_int(c, 2, "DBSIZE");
    expect_error(c, "ERR wrong number of arguments for 'exists' command", "EXISTS");
    expect_error(c, "ERR wrong number of arguments for 'type' command", "TYPE a b");
    expect_error(c, "ERR wrong number of arguments for 'touch' command", "TOUCH");
    expect_error(c, "ERR wrong number of arguments for 'dbsize' command", "DBSIZE x");
    redisFree(c);
}

/* ---- KEYS ---- */

Test(keys, keys_patterns)
{
    redisContext *c = srv_connect(s);
    const char *names[] = {"foo_a", "foo_b", "foo_c", "key_x", "key_y", "key_z", "h*llo"};
    for (int i = 0; i < 7; i++)
        expect_status(c, "OK", "SET %s v", names[i]);
    const char *all[] = {"foo_a", "foo_b", "foo_c", "h*llo", "key_x", "key_y", "key_z"};
    expect_sorted(c, 7, all, "KEYS *");
    const char *foo[] = {"foo_a", "foo_b", "foo_c"};
    expect_sorted(c, 3, foo, "KEYS foo*");
    const char *q[] = {"foo_b", "key_y"};
    expect_sorted(c, 2, q, "KEYS ???_[by]");
    const char *neg[] = {"key_x", "key_z"};
    expect_sorted(c, 2, neg, "KEYS key_[^y]");
    const char *esc[] = {"h*llo"};
    expect_sorted(c, 1, esc, "KEYS h\\*llo");
    expect_sorted(c, 0, NULL, "KEYS nomatch*");
    /* case-sensitive */
    expect_sorted(c, 0, NULL, "KEYS FOO*");
    /* the pathological pattern returns promptly */
    expect_status(c, "OK", "SET aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa 1");
    expect_sorted(c, 0, NULL, "KEYS a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b");
    expect_error(c, "ERR wrong number of arguments for 'keys' command", "KEYS");
    redisFree(c);
}

/* ---- SCAN ---- */

Test(keys, scan_full_iteration)
{
    redisContext *c = srv_connect(s);
    populate(c, "key:", 1000);
    char seen[1000];
    memset(seen, 0, sizeof(seen));
    cr_assert_eq(scan_all(c, "", seen, 1000), 1000);
    memset(seen, 0, sizeof(seen));
    cr_assert_eq(scan_all(c, "COUNT 5", seen, 1000), 1000);
    memset(seen, 0, sizeof(seen));
    cr_assert_eq(scan_all(c, "MATCH key:1??", seen, 1000), 100);
    for (int i = 0; i < 1000; i++)
        cr_assert_eq(seen[i], i >= 100 && i < 200);
    memset(seen, 0, sizeof(seen));
    cr_assert_eq(scan_all(c, "TYPE list", seen, 1000), 0);
    memset(seen, 0, sizeof(seen));
    cr_assert_eq(scan_all(c, "type STRING match key:* count 10", seen, 1000), 1000);
    redisFree(c);
}

Test(keys, scan_count_and_reply_shape)
{
    redisContext *c = srv_connect(s);
    /* empty db: cursor 0, empty list */
    redisReply *r = cmd(c, "SCAN 0");
    cr_assert_eq(r->type, REDIS_REPLY_ARRAY);
    cr_assert_str_eq(r->element[0]->str, "0");
    cr_assert_eq(r->element[1]->elements, 0);
    freeReplyObject(r);
    populate(c, "key:", 100);
    /* a COUNT larger than the db returns everything in one call */
    r = cmd(c, "SCAN 0 COUNT 1000");
    cr_assert_str_eq(r->element[0]->str, "0");
    cr_assert_eq(r->element[1]->elements, 100);
    freeReplyObject(r);
    /* default COUNT: some keys and a non-zero cursor */
    r = cmd(c, "SCAN 0");
    cr_assert_str_neq(r->element[0]->str, "0");
    cr_assert(r->element[1]->elements >= 1 && r->element[1]->elements <= 40);
    freeReplyObject(r);
    /* an all-matching MATCH and a later option win */
    r = cmd(c, "SCAN 0 MATCH nothing* MATCH * COUNT 1 COUNT 1000");
    cr_assert_eq(r->element[1]->elements, 100);
    freeReplyObject(r);
    redisFree(c);
}

Test(keys, scan_errors)
{
    redisContext *c = srv_connect(s);
    expect_error(c, "ERR invalid cursor", "SCAN x");
    expect_error(c, "ERR invalid cursor", "SCAN %s", " 0");
    expect_error(c, "ERR invalid cursor", "SCAN 0x");
    expect_error(c, "ERR invalid cursor", "SCAN 18446744073709551616");
    expect_error(c, "ERR syntax error", "SCAN 0 COUNT 0");
    expect_error(c, "ERR syntax error", "SCAN 0 COUNT -1");
    expect_error(c, "ERR value is not an integer or out of range", "SCAN 0 COUNT x");
    expect_error(c, "ERR syntax error", "SCAN 0 COUNT");
    expect_error(c, "ERR syntax error", "SCAN 0 MATCH");
    expect_error(c, "ERR syntax error", "SCAN 0 TYPE");
    expect_error(c, "ERR syntax error", "SCAN 0 FOO bar");
    expect_error(c, "ERR wrong number of arguments for 'scan' command", "SCAN");
    /* strtoul rules: an empty cursor is 0 */
    redisReply *r = cmd(c, "SCAN %s", "");
    cr_assert_eq(r->type, REDIS_REPLY_ARRAY);
    cr_assert_str_eq(r->element[0]->str, "0");
    freeReplyObject(r);
    redisFree(c);
}

Test(keys, scan_guarantee_under_writes)
{
    redisContext *c = srv_connect(s);
    populate(c, "key:", 100);
    char seen[100];
    memset(seen, 0, sizeof(seen));
    char cursor[32] = "0";
    int added = 0;
    do {
        redisReply *r = cmd(c, "SCAN %s", cursor);
        snprintf(cursor, sizeof(cursor), "%s", r->element[0]->str);
        for (size_t i = 0; i < r->element[1]->elements; i++) {
            const char *k = r->element[1]->element[i]->str;
            if (strncmp(k, "key:", 4) == 0)
                seen[atoi(k + 4)] = 1;
        }
        freeReplyObject(r);
        /* grow the table between calls */
        for (int j = 0; j < 40; j++, added++)
            freeReplyObject(cmd(c, "SET added:%d foo", added));
    } while (strcmp(cursor, "0") != 0);
    for (int i = 0; i < 100; i++)
        cr_assert(seen[i], "key:%d not returned", i);
    redisFree(c);
}

/* ---- expired keys are invisible ---- */

Test(keys, expired_keys_are_not_returned)
{
    redisContext *c = srv_connect(s);
    /* no active expiry: only lazy expiry may hide them */
    expect_status(c, "OK", "DEBUG SET-ACTIVE-EXPIRE 0");
    expect_status(c, "OK", "SET live 1");
    for (int i = 0; i < 5; i++) {
        expect_status(c, "OK", "SET key:%d v", i);
        expect_int(c, 1, "PEXPIRE key:%d 5", i);
    }
    msleep(30);
    const char *live[] = {"live"};
    expect_sorted(c, 1, live, "KEYS *");
    expect_int(c, 1, "EXISTS live key:0 key:1");
    expect_status(c, "none", "TYPE key:2");
    char seen[8] = {0};
    cr_assert_eq(scan_all(c, "", seen, 8), 0);
    expect_int(c, 1, "DBSIZE"); /* SCAN deleted what it met */
    expect_int(c, -2, "TTL key:3");
    redisFree(c);
}

Test(keys, scan_type_none_returns_just_expired_keys)
{
    redisContext *c = srv_connect(s);
    expect_status(c, "OK", "DEBUG SET-ACTIVE-EXPIRE 0");
    expect_status(c, "OK", "SET key:1 v");
    expect_int(c, 1, "PEXPIRE key:1 5");
    expect_status(c, "OK", "SET key:2 v");
    msleep(30);
    /* Redis quirk: the type lookup deletes the key, its type is "none". */
    const char *one[] = {"key:1"};
    redisReply *r = cmd(c, "SCAN 0 TYPE none COUNT 100");
    cr_assert_eq(r->element[1]->elements, 1);
    cr_assert_str_eq(r->element[1]->element[0]->str, one[0]);
    freeReplyObject(r);
    expect_int(c, 1, "DBSIZE");
    redisFree(c);
}

Test(keys, active_expiry_removes_keys)
{
    redisContext *c = srv_connect(s);
    for (int i = 0; i < 3; i++)
        expect_status(c, "OK", "SET k%d v PX 50", i);
    expect_int(c, 3, "DBSIZE");
    int n = 3;
    for (int i = 0; i < 40 && n; i++) {
        msleep(50);
        redisReply *r = cmd(c, "DBSIZE");
        n = (int)r->integer;
        freeReplyObject(r);
    }
    cr_assert_eq(n, 0, "keys did not actively expire");
    redisFree(c);
}

/* ---- RANDOMKEY ---- */

Test(keys, randomkey)
{
    redisContext *c = srv_connect(s);
    expect_nil(c, "RANDOMKEY");
    expect_status(c, "OK", "SET foo x");
    expect_status(c, "OK", "SET bar y");
    int foo = 0, bar = 0;
    for (int i = 0; i < 200; i++) {
        redisReply *r = cmd(c, "RANDOMKEY");
        cr_assert_eq(r->type, REDIS_REPLY_STRING);
        foo |= strcmp(r->str, "foo") == 0;
        bar |= strcmp(r->str, "bar") == 0;
        freeReplyObject(r);
    }
    cr_assert(foo && bar);
    expect_int(c, 2, "DEL foo bar");
    expect_nil(c, "RANDOMKEY");
    expect_error(c, "ERR wrong number of arguments for 'randomkey' command", "RANDOMKEY x");
    redisFree(c);
}

Test(keys, randomkey_all_expired_returns_nil)
{
    redisContext *c = srv_connect(s);
    expect_status(c, "OK", "DEBUG SET-ACTIVE-EXPIRE 0");
    for (int i = 0; i < 50; i++)
        expect_status(c, "OK", "SET k%d v PX 5", i);
    msleep(30);
    expect_nil(c, "RANDOMKEY");
    expect_int(c, 0, "DBSIZE");
    /* a live key among expired ones is found */
    for (int i = 0; i < 50; i++)
        expect_status(c, "OK", "SET k%d v PX 5", i);
    expect_status(c, "OK", "SET live v");
    msleep(30);
    expect_bulk(c, "live", "RANDOMKEY");
    redisFree(c);
}

/* ---- RENAME, RENAMENX ---- */

Test(keys, rename)
{
    redisContext *c = srv_connect(s);
    expect_status(c, "OK", "SET mykey hello");
    expect_status(c, "OK", "RENAME mykey mykey1");
    expect_status(c, "OK", "RENAME mykey1 mykey2");
    expect_bulk(c, "hello", "GET mykey2");
    expect_int(c, 0, "EXISTS mykey mykey1");
    /* overwrite */
    expect_status(c, "OK", "SET other b");
    expect_status(c, "OK", "RENAME other mykey2");
    expect_bulk(c, "b", "GET mykey2");
    expect_int(c, 0, "EXISTS other");
    /* source missing, same key */
    expect_error(c, "ERR no such key", "RENAME nokey foo");
    expect_error(c, "ERR no such key", "RENAME nokey nokey");
    expect_status(c, "OK", "RENAME mykey2 mykey2");
    expect_bulk(c, "b", "GET mykey2");
    expect_error(c, "ERR wrong number of arguments for 'rename' command", "RENAME a");
    redisFree(c);
}

Test(keys, renamenx)
{
    redisContext *c = srv_connect(s);
    expect_status(c, "OK", "SET mykey foobar");
    expect_int(c, 1, "RENAMENX mykey mykey2");
    expect_bulk(c, "foobar", "GET mykey2");
    expect_int(c, 0, "EXISTS mykey");
    expect_status(c, "OK", "SET mykey foo");
    expect_int(c, 0, "RENAMENX mykey mykey2");
    expect_bulk(c, "foo", "GET mykey");
    expect_bulk(c, "foobar", "GET mykey2");
    expect_int(c, 0, "RENAMENX mykey mykey");
    expect_error(c, "ERR no such key", "RENAMENX nokey x");
    expect_error(c, "ERR no such key", "RENAMENX nokey nokey");
    redisFree(c);
}

Test(keys, rename_moves_ttl_and_drops_target_ttl)
{
    redisContext *c = srv_connect(s);
    expect_status(c, "OK", "SET a foo");
    expect_int(c, 1, "EXPIRE a 100");
    expect_status(c, "OK", "RENAME a b");
    expect_int(c, 100, "TTL b");
    expect_status(c, "OK", "SET x foo");
    expect_status(c, "OK", "SET y bar");
    expect_int(c, 1, "EXPIRE y 100");
    expect_status(c, "OK", "RENAME x y");
    expect_int(c, -1, "TTL y");
    /* an expired source is missing; an expired target is replaced */
    expect_status(c, "OK", "SET gone v PX 5");
    expect_status(c, "OK", "SET src v");
    msleep(20);
    expect_error(c, "ERR no such key", "RENAME gone z");
    expect_status(c, "OK", "SET gone v PX 5");
    msleep(20);
    expect_int(c, 1, "RENAMENX src gone");
    expect_int(c, -1, "TTL gone");
    redisFree(c);
}

/* ---- COPY ---- */

Test(keys, copy)
{
    redisContext *c = srv_connect(s);
    expect_status(c, "OK", "SET mykey foobar");
    expect_int(c, 1, "COPY mykey mynewkey");
    expect_bulk(c, "foobar", "GET mynewkey");
    expect_int(c, 2, "DBSIZE");
    /* independent copies */
    expect_status(c, "OK", "SET mynewkey hoge");
    expect_bulk(c, "foobar", "GET mykey");
    /* existing target */
    expect_int(c, 0, "COPY mykey mynewkey");
    expect_bulk(c, "hoge", "GET mynewkey");
    expect_int(c, 1, "COPY mykey mynewkey REPLACE");
    expect_bulk(c, "foobar", "GET mynewkey");
    expect_int(c, 0, "COPY nokey x");
    /* to another db */
    expect_int(c, 1, "COPY mykey mykey DB 10");
    expect_int(c, 0, "COPY mykey mykey db 10");
    expect_int(c, 1, "COPY mykey mykey replace db 10");
    expect_status(c, "OK", "SELECT 10");
    expect_bulk(c, "foobar", "GET mykey");
    expect_int(c, 1, "DBSIZE");
    redisFree(c);
}

Test(keys, copy_errors)
{
    redisContext *c = srv_connect(s);
    expect_status(c, "OK", "SET a v");
    expect_error(c, "ERR source and destination objects are the same", "COPY a a");
    expect_error(c, "ERR source and destination objects are the same", "COPY a a DB 0");
    expect_int(c, 1, "COPY a a DB 1");
    expect_error(c, "ERR value is not an integer or out of range", "COPY a x DB notanumber");
    expect_error(c, "ERR DB index is out of range", "COPY a x DB 16");
    expect_error(c, "ERR DB index is out of range", "COPY a x DB -1");
    expect_error(c, "ERR value is out of range, value must between -2147483648 and 2147483647",
                 "COPY a x DB 99999999999");
    expect_error(c, "ERR syntax error", "COPY a x foo");
    expect_error(c, "ERR syntax error", "COPY a x DB");
    expect_error(c, "ERR syntax error", "COPY a x REPLACE DB");
    /* options are checked in order: the first bad one answers */
    expect_error(c, "ERR DB index is out of range", "COPY a x DB 99 foo");
    expect_error(c, "ERR syntax error", "COPY a x foo DB 99");
    expect_error(c, "ERR wrong number of arguments for 'copy' command", "COPY a");
    redisFree(c);
}

Test(keys, copy_keeps_ttl_only_if_any)
{
    redisContext *c = srv_connect(s);
    expect_status(c, "OK", "SET a foobar EX 100");
    expect_int(c, 1, "COPY a b");
    expect_int(c, 100, "TTL b");
    expect_status(c, "OK", "SET a foobar");
    expect_int(c, 1, "COPY a b REPLACE");
    expect_int(c, -1, "TTL b");
    expect_bulk(c, "foobar", "GET b");
    redisFree(c);
}

/* ---- MOVE ---- */

Test(keys, move)
{
    redisContext *c = srv_connect(s);
    expect_status(c, "OK", "SET mykey foobar");
    expect_int(c, 1, "MOVE mykey 10");
    expect_int(c, 0, "EXISTS mykey");
    expect_int(c, 0, "DBSIZE");
    expect_status(c, "OK", "SET mykey hello");
    expect_int(c, 0, "MOVE mykey 10"); /* exists in the target */
    expect_int(c, 0, "MOVE nokey 10");
    expect_status(c, "OK", "SELECT 10");
    expect_bulk(c, "foobar", "GET mykey");
    expect_int(c, 1, "DBSIZE");
    expect_error(c, "ERR source and destination objects are the same", "MOVE mykey 10");
    expect_error(c, "ERR value is not an integer or out of range", "MOVE mykey notanumber");
    expect_error(c, "ERR DB index is out of range", "MOVE mykey 16");
    expect_error(c, "ERR DB index is out of range", "MOVE mykey -1");
    expect_error(c, "ERR value is out of range, value must between -2147483648 and 2147483647",
                 "MOVE mykey 99999999999");
    expect_error(c, "ERR wrong number of arguments for 'move' command", "MOVE mykey");
    redisFree(c);
}

Test(keys, move_keeps_ttl)
{
    redisContext *c = srv_connect(s);
    expect_status(c, "OK", "SET a foo EX 100");
    expect_status(c, "OK", "SET b foo");
    expect_int(c, 1, "MOVE a 1");
    expect_int(c, 1, "MOVE b 1");
    expect_int(c, -2, "TTL a");
    expect_status(c, "OK", "SELECT 1");
    expect_int(c, 100, "TTL a");
    expect_int(c, -1, "TTL b");
    /* an expired target does not block the move */
    expect_status(c, "OK", "SET c v PX 5");
    expect_status(c, "OK", "SELECT 0");
    expect_status(c, "OK", "SET c live");
    msleep(20);
    expect_int(c, 1, "MOVE c 1");
    expect_status(c, "OK", "SELECT 1");
    expect_bulk(c, "live", "GET c");
    redisFree(c);
}

/* ---- FLUSHDB, FLUSHALL, SWAPDB ---- */

Test(keys, flushdb_flushall)
{
    redisContext *c = srv_connect(s);
    expect_status(c, "OK", "SET a 1");
    expect_status(c, "OK", "SELECT 1");
    expect_status(c, "OK", "SET b 1");
    expect_status(c, "OK", "SET c 1");
    expect_status(c, "OK", "FLUSHDB");
    expect_int(c, 0, "DBSIZE");
    expect_status(c, "OK", "SELECT 0");
    expect_int(c, 1, "DBSIZE");
    expect_status(c, "OK", "SET b 1");
    expect_status(c, "OK", "FLUSHDB ASYNC");
    expect_status(c, "OK", "FLUSHDB sync");
    expect_int(c, 0, "DBSIZE");
    expect_status(c, "OK", "SET a 1");
    expect_status(c, "OK", "SELECT 5");
    expect_status(c, "OK", "SET a 1");
    expect_status(c, "OK", "FLUSHALL");
    expect_int(c, 0, "DBSIZE");
    expect_status(c, "OK", "SELECT 0");
    expect_int(c, 0, "DBSIZE");
    expect_status(c, "OK", "FLUSHALL SYNC");
    expect_status(c, "OK", "FLUSHALL async");
    expect_error(c, "ERR syntax error", "FLUSHDB x");
    expect_error(c, "ERR syntax error", "FLUSHDB ASYNC x");
    expect_error(c, "ERR syntax error", "FLUSHALL foo");
    redisFree(c);
}

Test(keys, flush_inside_multi)
{
    redisContext *c = srv_connect(s);
    expect_status(c, "OK", "SET a 1");
    expect_status(c, "OK", "MULTI");
    expect_status(c, "QUEUED", "SET b 2");
    expect_status(c, "QUEUED", "FLUSHALL");
    expect_status(c, "QUEUED", "SET c 3");
    expect_status(c, "QUEUED", "FLUSHDB");
    expect_status(c, "QUEUED", "DBSIZE");
    redisReply *r = cmd(c, "EXEC");
    cr_assert_eq(r->type, REDIS_REPLY_ARRAY);
    cr_assert_eq(r->elements, 5);
    cr_assert_str_eq(r->element[1]->str, "OK");
    cr_assert_str_eq(r->element[3]->str, "OK");
    cr_assert_eq(r->element[4]->integer, 0);
    freeReplyObject(r);
    redisFree(c);
}

Test(keys, flush_touches_watched_keys)
{
    redisContext *c = srv_connect(s);
    redisContext *o = srv_connect(s);
    expect_status(c, "OK", "SET x 30");
    expect_status(c, "OK", "WATCH x");
    expect_status(o, "OK", "FLUSHALL");
    expect_status(c, "OK", "MULTI");
    expect_status(c, "QUEUED", "PING");
    expect_nil(c, "EXEC");
    /* a key that did not exist is not touched */
    expect_status(c, "OK", "WATCH x");
    expect_status(o, "OK", "FLUSHDB");
    expect_status(c, "OK", "MULTI");
    expect_status(c, "QUEUED", "PING");
    const char *pong[] = {"PONG"};
    expect_strings(c, 1, pong, "EXEC");
    redisFree(o);
    redisFree(c);
}

Test(keys, swapdb)
{
    redisContext *c = srv_connect(s);
    expect_status(c, "OK", "SET a in0");
    expect_int(c, 1, "EXPIRE a 100");
    expect_status(c, "OK", "SELECT 1");
    expect_status(c, "OK", "SET b in1");
    expect_status(c, "OK", "SET c in1");
    expect_status(c, "OK", "SWAPDB 0 1");
    /* the client stays on db 1, which now holds db 0's data */
    expect_int(c, 1, "DBSIZE");
    expect_bulk(c, "in0", "GET a");
    expect_int(c, 100, "TTL a");
    expect_status(c, "OK", "SELECT 0");
    expect_int(c, 2, "DBSIZE");
    expect_bulk(c, "in1", "GET b");
    expect_status(c, "OK", "SWAPDB 0 0");
    expect_int(c, 2, "DBSIZE");
    expect_error(c, "ERR invalid first DB index", "SWAPDB x 1");
    expect_error(c, "ERR invalid second DB index", "SWAPDB 0 x");
    expect_error(c, "ERR invalid first DB index", "SWAPDB 99999999999 0");
    expect_error(c, "ERR DB index is out of range", "SWAPDB 0 16");
    expect_error(c, "ERR DB index is out of range", "SWAPDB -1 0");
    expect_error(c, "ERR wrong number of arguments for 'swapdb' command", "SWAPDB 0");
    redisFree(c);
}

Test(keys, swapdb_touches_watched_keys)
{
    redisContext *c = srv_connect(s);
    redisContext *o = srv_connect(s);
    /* key that exists and is swapped away */
    expect_status(c, "OK", "SET x 30");
    expect_status(c, "OK", "WATCH x");
    expect_status(o, "OK", "SWAPDB 0 1");
    expect_status(c, "OK", "MULTI");
    expect_status(c, "QUEUED", "PING");
    expect_nil(c, "EXEC");
    /* key that does not exist and is swapped in (x is now in db 1) */
    expect_status(c, "OK", "WATCH x");
    expect_status(o, "OK", "SWAPDB 0 1");
    expect_status(c, "OK", "MULTI");
    expect_status(c, "QUEUED", "PING");
    expect_nil(c, "EXEC");
    /* untouched key */
    expect_status(c, "OK", "WATCH nothere");
    expect_status(o, "OK", "SWAPDB 0 1");
    expect_status(c, "OK", "MULTI");
    expect_status(c, "QUEUED", "PING");
    const char *pong[] = {"PONG"};
    expect_strings(c, 1, pong, "EXEC");
    redisFree(o);
    redisFree(c);
}

/* ---- EXPIRE family ---- */

Test(keys, expire_basic_and_ttl_family)
{
    redisContext *c = srv_connect(s);
    expect_status(c, "OK", "SET x foobar");
    expect_int(c, -1, "TTL x");
    expect_int(c, -1, "PTTL x");
    expect_int(c, -1, "EXPIRETIME x");
    expect_int(c, -1, "PEXPIRETIME x");
    expect_int(c, -2, "TTL nokey");
    expect_int(c, -2, "PTTL nokey");
    expect_int(c, -2, "EXPIRETIME nokey");
    expect_int(c, -2, "PEXPIRETIME nokey");
    expect_int(c, 1, "EXPIRE x 5");
    expect_int(c, 5, "TTL x");
    expect_int(c, 1, "EXPIRE x 10");
    expect_int(c, 10, "TTL x");
    redisReply *r = cmd(c, "PTTL x");
    cr_assert(r->integer > 9000 && r->integer <= 10000);
    freeReplyObject(r);
    expect_int(c, 1, "EXPIREAT x 4000000000");
    expect_int(c, 4000000000LL, "EXPIRETIME x");
    expect_int(c, 4000000000000LL, "PEXPIRETIME x");
    expect_int(c, 1, "PEXPIREAT x 4000000000123");
    expect_int(c, 4000000000123LL, "PEXPIRETIME x");
    expect_int(c, 4000000000LL, "EXPIRETIME x");
    expect_int(c, 1, "PEXPIRE x 100000");
    r = cmd(c, "TTL x");
    cr_assert(r->integer >= 99 && r->integer <= 100);
    freeReplyObject(r);
    expect_int(c, 0, "EXPIRE nokey 100");
    expect_int(c, 0, "PEXPIREAT nokey 4000000000000");
    expect_bulk(c, "foobar", "GET x");
    redisFree(c);
}

Test(keys, expire_sub_second)
{
    redisContext *c = srv_connect(s);
    expect_status(c, "OK", "SET x v");
    expect_int(c, 1, "PEXPIRE x 50");
    expect_bulk(c, "v", "GET x");
    msleep(80);
    expect_nil(c, "GET x");
    expect_int(c, 0, "EXISTS x");
    /* EXPIRE does not resurrect an expired key */
    expect_status(c, "OK", "SET y v");
    expect_int(c, 1, "PEXPIRE y 10");
    msleep(30);
    expect_int(c, 0, "EXPIRE y 10");
    expect_int(c, 0, "EXISTS y");
    redisFree(c);
}

Test(keys, expire_in_the_past_deletes)
{
    redisContext *c = srv_connect(s);
    expect_status(c, "OK", "SET x v");
    expect_int(c, 1, "EXPIRE x -1");
    expect_int(c, 0, "EXISTS x");
    expect_status(c, "OK", "SET x v");
    expect_int(c, 1, "EXPIRE x 0");
    expect_int(c, 0, "EXISTS x");
    expect_status(c, "OK", "SET x v");
    expect_int(c, 1, "PEXPIREAT x -9223372036854770000");
    expect_int(c, -2, "TTL x");
    expect_status(c, "OK", "SET x v");
    expect_int(c, 1, "EXPIREAT x 1");
    expect_int(c, 0, "EXISTS x");
    expect_int(c, 0, "PEXPIREAT nokey2 0");
    redisFree(c);
}

Test(keys, expire_options)
{
    redisContext *c = srv_connect(s);
    /* NX */
    expect_status(c, "OK", "SET foo bar EX 100");
    expect_int(c, 0, "EXPIRE foo 200 NX");
    expect_int(c, 100, "TTL foo");
    expect_status(c, "OK", "SET foo bar");
    expect_int(c, 1, "EXPIRE foo 200 nx");
    expect_int(c, 200, "TTL foo");
    /* XX */
    expect_int(c, 1, "EXPIRE foo 150 XX");
    expect_int(c, 150, "TTL foo");
    expect_status(c, "OK", "SET foo bar");
    expect_int(c, 0, "EXPIRE foo 200 XX");
    expect_int(c, -1, "TTL foo");
    /* GT */
    expect_int(c, 0, "EXPIRE foo 200 GT"); /* no TTL counts as infinite */
    expect_int(c, -1, "TTL foo");
    expect_status(c, "OK", "SET foo bar EX 100");
    expect_int(c, 1, "EXPIRE foo 200 GT");
    expect_int(c, 200, "TTL foo");
    expect_int(c, 0, "EXPIRE foo 100 GT");
    /* equal is neither greater nor less */
    expect_int(c, 1, "PEXPIREAT foo 4000000000000");
    expect_int(c, 0, "PEXPIREAT foo 4000000000000 GT");
    expect_int(c, 0, "PEXPIREAT foo 4000000000000 LT");
    expect_int(c, 1, "PEXPIREAT foo 4000000000001 GT");
    expect_int(c, 4000000000001LL, "PEXPIRETIME foo");
    /* LT */
    expect_int(c, 1, "EXPIRE foo 200");
    expect_int(c, 0, "EXPIRE foo 300 LT");
    expect_int(c, 1, "EXPIRE foo 100 LT");
    expect_int(c, 100, "TTL foo");
    expect_status(c, "OK", "SET foo bar");
    expect_int(c, 1, "EXPIRE foo 100 LT");
    expect_int(c, 100, "TTL foo");
    /* LT XX */
    expect_status(c, "OK", "SET foo bar");
    expect_int(c, 0, "EXPIRE foo 200 LT XX");
    expect_int(c, -1, "TTL foo");
    expect_status(c, "OK", "SET foo bar EX 200");
    expect_int(c, 1, "EXPIRE foo 100 LT XX");
    expect_int(c, 100, "TTL foo");
    /* negative with LT deletes */
    expect_int(c, 1, "EXPIRE foo -10 LT");
    expect_int(c, -2, "TTL foo");
    /* missing key */
    expect_int(c, 0, "EXPIRE none 100 NX");
    expect_int(c, 0, "EXPIRE none 100 XX");
    expect_int(c, 0, "EXPIRE none 100 GT");
    expect_int(c, 0, "EXPIRE none 100 LT");
    redisFree(c);
}

Test(keys, expire_errors)
{
    redisContext *c = srv_connect(s);
    expect_status(c, "OK", "SET foo bar");
    expect_error(c, "ERR GT and LT options at the same time are not compatible",
                 "EXPIRE foo 200 LT GT");
    expect_error(c, "ERR NX and XX, GT or LT options at the same time are not compatible",
                 "EXPIRE foo 200 NX GT");
    expect_error(c, "ERR NX and XX, GT or LT options at the same time are not compatible",
                 "EXPIRE foo 200 NX LT");
    expect_error(c, "ERR NX and XX, GT or LT options at the same time are not compatible",
                 "EXPIRE foo 200 NX XX");
    expect_error(c, "ERR NX and XX, GT or LT options at the same time are not compatible",
                 "PEXPIRE foo 200 XX NX");
    expect_error(c, "ERR Unsupported option AB", "EXPIRE foo 200 AB");
    expect_error(c, "ERR Unsupported option AB", "EXPIRE foo 200 XX AB");
    /* options are checked before the number */
    expect_error(c, "ERR Unsupported option AB", "EXPIRE foo x AB");
    expect_error(c, "ERR value is not an integer or out of range", "EXPIRE foo x");
    expect_error(c, "ERR value is not an integer or out of range", "EXPIRE foo %s", "");
    expect_error(c, "ERR value is not an integer or out of range", "PEXPIREAT foo 1.5");
    /* overflow */
    expect_error(c, "ERR invalid expire time in 'expire' command", "EXPIRE foo 9223370399119966");
    expect_error(c, "ERR invalid expire time in 'expire' command", "EXPIRE foo 9223372036854776");
    expect_error(c, "ERR invalid expire time in 'expire' command", "EXPIRE foo 10000000000000000");
    expect_error(c, "ERR invalid expire time in 'expire' command", "EXPIRE foo -9223372036854776");
    expect_error(c, "ERR invalid expire time in 'pexpire' command",
                 "PEXPIRE foo 9223372036854770000");
    expect_error(c, "ERR invalid expire time in 'expireat' command",
                 "EXPIREAT foo 9223372036854776");
    expect_int(c, -1, "TTL foo");
    expect_int(c, 1, "PEXPIREAT foo 9223372036854770000");
    expect_error(c, "ERR wrong number of arguments for 'expire' command", "EXPIRE foo");
    expect_error(c, "ERR wrong number of arguments for 'ttl' command", "TTL");
    expect_error(c, "ERR wrong number of arguments for 'pexpiretime' command", "PEXPIRETIME a b");
    redisFree(c);
}

Test(keys, persist)
{
    redisContext *c = srv_connect(s);
    expect_status(c, "OK", "SET x foo");
    expect_int(c, 1, "EXPIRE x 50");
    expect_int(c, 50, "TTL x");
    expect_int(c, 1, "PERSIST x");
    expect_int(c, -1, "TTL x");
    expect_bulk(c, "foo", "GET x");
    expect_int(c, 0, "PERSIST x");
    expect_int(c, 0, "PERSIST nokey");
    expect_status(c, "OK", "SET y v PX 5");
    msleep(20);
    expect_int(c, 0, "PERSIST y");
    expect_error(c, "ERR wrong number of arguments for 'persist' command", "PERSIST");
    redisFree(c);
}

/* ---- OBJECT ---- */

Test(keys, object)
{
    redisContext *c = srv_connect(s);
    expect_status(c, "OK", "SET i 123");
    expect_status(c, "OK", "SET s hello");
    expect_status(c, "OK", "SET r %s",
                  "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");
    expect_status(c, "OK", "SET big 12345678901234567890");
    expect_bulk(c, "int", "OBJECT ENCODING i");
    expect_bulk(c, "embstr", "OBJECT ENCODING s");
    expect_bulk(c, "raw", "OBJECT encoding r");
    expect_bulk(c, "embstr", "OBJECT ENCODING big");
    expect_nil(c, "OBJECT ENCODING nokey");
    expect_int(c, 2147483647, "OBJECT REFCOUNT i");
    expect_int(c, 1, "OBJECT REFCOUNT s");
    expect_nil(c, "OBJECT REFCOUNT nokey");
    expect_int(c, 0, "OBJECT IDLETIME s");
    expect_nil(c, "OBJECT IDLETIME nokey");
    expect_error(c,
                 "ERR An LFU maxmemory policy is not selected, access frequency not tracked. "
                 "Please note that when switching between policies at runtime LRU and LFU "
                 "data will take some time to adjust.",
                 "OBJECT FREQ s");
    expect_nil(c, "OBJECT FREQ nokey");
    expect_status(c, "OK", "CONFIG SET maxmemory-policy allkeys-lfu");
    expect_error(c,
                 "ERR An LFU maxmemory policy is selected, idle time not tracked. Please note "
                 "that when switching between policies at runtime LRU and LFU data will take "
                 "some time to adjust.",
                 "OBJECT IDLETIME s");
    redisReply *r = cmd(c, "OBJECT FREQ s");
    cr_assert_eq(r->type, REDIS_REPLY_INTEGER);
    cr_assert(r->integer >= 0 && r->integer <= 255);
    freeReplyObject(r);
    expect_status(c, "OK", "CONFIG SET maxmemory-policy noeviction");
    expect_error(c, "ERR unknown subcommand 'foo'. Try OBJECT HELP.", "OBJECT foo");
    expect_error(c, "ERR unknown subcommand 'foo'. Try OBJECT HELP.", "OBJECT foo bar");
    expect_error(c, "ERR wrong number of arguments for 'object' command", "OBJECT");
    expect_error(c, "ERR wrong number of arguments for 'object|encoding' command",
                 "OBJECT ENCODING");
    expect_error(c, "ERR wrong number of arguments for 'object|encoding' command",
                 "OBJECT ENCODING a b");
    expect_error(c, "ERR wrong number of arguments for 'object|help' command", "OBJECT HELP x");
    r = cmd(c, "OBJECT HELP");
    cr_assert_eq(r->type, REDIS_REPLY_ARRAY);
    cr_assert_eq(r->elements, 15);
    cr_assert_str_eq(r->element[0]->str,
                     "OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:");
    cr_assert_str_eq(r->element[1]->str, "ENCODING <key>");
    cr_assert_str_eq(r->element[12]->str, "    <key>.");
    cr_assert_str_eq(r->element[13]->str, "HELP");
    freeReplyObject(r);
    redisFree(c);
}

Test(keys, object_idletime_grows_and_touch_resets)
{
    redisContext *c = srv_connect(s);
    expect_status(c, "OK", "SET a v");
    msleep(2100);
    redisReply *r = cmd(c, "OBJECT IDLETIME a");
    cr_assert(r->integer >= 1, "idle %lld", r->integer);
    freeReplyObject(r);
    /* OBJECT and TYPE do not touch; TOUCH does */
    expect_status(c, "string", "TYPE a");
    r = cmd(c, "OBJECT IDLETIME a");
    cr_assert(r->integer >= 1);
    freeReplyObject(r);
    expect_int(c, 1, "TOUCH a");
    expect_int(c, 0, "OBJECT IDLETIME a");
    redisFree(c);
}

/* ---- RESP3 bytes ---- */

Test(keys, resp3_replies)
{
    int fd = srv_raw_connect(s);
    char buf[4096];
    const char hello[] = "*2\r\n$5\r\nHELLO\r\n$1\r\n3\r\n";
    size_t n = raw_send_recv(fd, hello, sizeof(hello) - 1, buf, sizeof(buf), 150);
    cr_assert(n > 0 && buf[0] == '%');
    const char q1[] = "*1\r\n$9\r\nRANDOMKEY\r\n";
    n = raw_send_recv(fd, q1, sizeof(q1) - 1, buf, sizeof(buf), 150);
    cr_assert_eq(n, 3);
    cr_assert(memcmp(buf, "_\r\n", 3) == 0);
    const char q2[] = "*3\r\n$6\r\nOBJECT\r\n$8\r\nENCODING\r\n$2\r\nno\r\n";
    n = raw_send_recv(fd, q2, sizeof(q2) - 1, buf, sizeof(buf), 150);
    cr_assert_eq(n, 3);
    cr_assert(memcmp(buf, "_\r\n", 3) == 0);
    const char q3[] = "*2\r\n$4\r\nSCAN\r\n$1\r\n0\r\n";
    const char a3[] = "*2\r\n$1\r\n0\r\n*0\r\n";
    n = raw_send_recv(fd, q3, sizeof(q3) - 1, buf, sizeof(buf), 150);
    cr_assert_eq(n, sizeof(a3) - 1);
    cr_assert(memcmp(buf, a3, n) == 0);
    const char q4[] = "*2\r\n$4\r\nTYPE\r\n$2\r\nno\r\n";
    n = raw_send_recv(fd, q4, sizeof(q4) - 1, buf, sizeof(buf), 150);
    cr_assert_eq(n, 7);
    cr_assert(memcmp(buf, "+none\r\n", 7) == 0);
    close(fd);
}
