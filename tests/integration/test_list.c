/* test_list.c - every list command against a spawned server: exact replies
 * and errors as Redis 7.0.15 gives them (RESP2 through hiredis, exact
 * bytes and RESP3 through a raw socket).  Blocking behaviour lives in
 * test_blocking.c; here the blocking commands are used where they do not
 * block (data present, or inside MULTI). */
#include "harness.h"

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

TestSuite(list, .init = setup, .fini = teardown, .timeout = 60);

/* Send a space-separated command as RESP on fd; expect exactly `want`. */
static void raw_expect(int fd, const char *want, const char *line)
{
    char out[4096], in[4096], *args[64], *save = NULL;
    char *copy = strdup(line);
    int n = 0;
    for (char *t = strtok_r(copy, " ", &save); t && n < 64; t = strtok_r(NULL, " ", &save))
        args[n++] = t;
    int off = snprintf(out, sizeof(out), "*%d\r\n", n);
    for (int i = 0; i < n; i++)
        off += snprintf(out + off, sizeof(out) - (size_t)off, "$%zu\r\n%s\r\n", strlen(args[i]),
                        args[i]);
    size_t wl = strlen(want);
    size_t got = raw_send_recv(fd, out, (size_t)off, in, wl, 2000);
    in[got] = '\0';
    cr_assert(got == wl && memcmp(in, want, wl) == 0, "%s: expected %s got %s", line, want, in);
    free(copy);
}

static void del(redisContext *c, const char *k)
{
    freeReplyObject(cmd(c, "DEL %s", k));
}

static void rpush_all(redisContext *c, const char *k, int n, const char **v)
{
    del(c, k);
    for (int i = 0; i < n; i++)
        freeReplyObject(cmd(c, "RPUSH %s %s", k, v[i]));
}

static void expect_ints(redisContext *c, int n, const long long *v, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    redisReply *r = redisvCommand(c, fmt, ap);
    va_end(ap);
    cr_assert(r && r->type == REDIS_REPLY_ARRAY, "%s: expected array", fmt);
    cr_assert_eq((int)r->elements, n, "%s: %zu elements, expected %d", fmt, r->elements, n);
    for (int i = 0; i < n; i++) {
        cr_assert_eq(r->element[i]->type, REDIS_REPLY_INTEGER, "%s: element %d", fmt, i);
        cr_assert_eq(r->element[i]->integer, v[i], "%s: element %d", fmt, i);
    }
    freeReplyObject(r);
}

#define WRONGTYPE "WRONGTYPE Operation against a key holding the wrong kind of value"

Test(list, push_and_range)
{
    redisContext *c = srv_connect(s);
    expect_int(c, 4, "LPUSH mylist a b c d");
    expect_int(c, 8, "RPUSH mylist 0 1 2 3");
    const char *all[] = {"d", "c", "b", "a", "0", "1", "2", "3"};
    expect_strings(c, 8, all, "LRANGE mylist 0 -1");
    expect_int(c, 8, "LLEN mylist");
    expect_int(c, 0, "LLEN nosuchkey");
    expect_int(c, 0, "LPUSHX nokey a");
    expect_int(c, 0, "RPUSHX nokey a b");
    expect_int(c, 0, "EXISTS nokey");
    expect_int(c, 9, "RPUSHX mylist x");
    expect_int(c, 11, "LPUSHX mylist y2 y1");
    expect_bulk(c, "y1", "LINDEX mylist 0");
    expect_bulk(c, "x", "LINDEX mylist -1");
    expect_error(c, "ERR wrong number of arguments for 'lpush' command", "LPUSH mylist");
    expect_error(c, "ERR wrong number of arguments for 'rpushx' command", "RPUSHX mylist");
    redisFree(c);
}

Test(list, wrong_type_everywhere)
{
    redisContext *c = srv_connect(s);
    expect_status(c, "OK", "SET str foo");
    expect_error(c, WRONGTYPE, "LPUSH str a");
    expect_error(c, WRONGTYPE, "RPUSH str a");
    expect_error(c, WRONGTYPE, "LPUSHX str a");
    expect_error(c, WRONGTYPE, "RPUSHX str a");
    expect_error(c, WRONGTYPE, "LPOP str");
    expect_error(c, WRONGTYPE, "RPOP str 2");
    expect_error(c, WRONGTYPE, "LLEN str");
    expect_error(c, WRONGTYPE, "LRANGE str 0 -1");
    expect_error(c, WRONGTYPE, "LINDEX str 0");
    expect_error(c, WRONGTYPE, "LSET str 0 x");
    expect_error(c, WRONGTYPE, "LINSERT str BEFORE a b");
    expect_error(c, WRONGTYPE, "LREM str 0 a");
    expect_error(c, WRONGTYPE, "LTRIM str 0 1");
    expect_error(c, WRONGTYPE, "LPOS str a");
    expect_error(c, WRONGTYPE, "LMOVE str x LEFT LEFT");
    expect_error(c, WRONGTYPE, "RPOPLPUSH str x");
    expect_error(c, WRONGTYPE, "LMPOP 1 str LEFT");
    expect_error(c, WRONGTYPE, "BLPOP str 0");
    expect_error(c, WRONGTYPE, "BRPOP nokey str 0");
    expect_error(c, WRONGTYPE, "BLMOVE str x LEFT LEFT 0");
    expect_error(c, WRONGTYPE, "BRPOPLPUSH str x 0");
    expect_error(c, WRONGTYPE, "BLMPOP 0 2 nokey str LEFT");
    /* The destination's type is checked only when there is something to move. */
    expect_int(c, 1, "RPUSH src a");
    expect_error(c, WRONGTYPE, "LMOVE src str LEFT LEFT");
    expect_error(c, WRONGTYPE, "RPOPLPUSH src str");
    const char *a[] = {"a"};
    expect_strings(c, 1, a, "LRANGE src 0 -1");
    expect_nil(c, "RPOPLPUSH nokey str");
    redisFree(c);
}

Test(list, pop_plain_and_count)
{
    redisContext *c = srv_connect(s);
    expect_int(c, 7, "LPUSH listcount aa bb cc dd ee ff gg");
    const char *g[] = {"gg"};
    expect_strings(c, 1, g, "LPOP listcount 1");
    const char *fe[] = {"ff", "ee"};
    expect_strings(c, 2, fe, "LPOP listcount 2");
    const char *ab[] = {"aa", "bb"};
    expect_strings(c, 2, ab, "RPOP listcount 2");
    const char *cc[] = {"cc"};
    expect_strings(c, 1, cc, "RPOP listcount 1");
    const char *dd[] = {"dd"};
    expect_strings(c, 1, dd, "RPOP listcount 123");
    expect_int(c, 0, "EXISTS listcount");
    expect_error(c, "ERR value is out of range, must be positive", "LPOP forbarqaz -123");
    expect_error(c, "ERR value is out of range, must be positive", "LPOP forbarqaz x");
    expect_error(c, "ERR wrong number of arguments for 'lpop' command", "LPOP key 1 1");
    expect_error(c, "ERR wrong number of arguments for 'rpop' command", "RPOP key 2 2");
    expect_int(c, 3, "RPUSH l a b c");
    expect_bulk(c, "a", "LPOP l");
    expect_bulk(c, "c", "RPOP l");
    expect_bulk(c, "b", "RPOP l");
    expect_int(c, 0, "EXISTS l");
    redisFree(c);
}

Test(list, pop_exact_bytes_resp2_resp3)
{
    int fd = srv_raw_connect(s);
    raw_expect(fd, ":1\r\n", "LPUSH listcount zero");
    raw_expect(fd, "*0\r\n", "LPOP listcount 0");
    raw_expect(fd, "*0\r\n", "RPOP listcount 0");
    raw_expect(fd, "$-1\r\n", "LPOP nokey");
    raw_expect(fd, "$-1\r\n", "RPOP nokey");
    raw_expect(fd, "*-1\r\n", "LPOP nokey 0");
    raw_expect(fd, "*-1\r\n", "RPOP nokey 1");
    raw_expect(fd, "$-1\r\n", "LINDEX nokey 0");
    raw_expect(fd, "$-1\r\n", "LPOS nokey a");
    raw_expect(fd, "*0\r\n", "LPOS nokey a COUNT 0");
    raw_expect(fd, "*-1\r\n", "LMPOP 1 nokey LEFT");
    raw_expect(fd, "$-1\r\n", "LMOVE nokey x LEFT RIGHT");
    raw_expect(fd, "*0\r\n", "LRANGE nokey 0 -1");
    raw_expect(fd, "+OK\r\n", "LTRIM nokey 0 -1");
    close(fd);

    fd = srv_raw_connect(s);
    char buf[512];
    const char *hello = "*2\r\n$5\r\nHELLO\r\n$1\r\n3\r\n";
    size_t got = raw_send_recv(fd, hello, strlen(hello), buf, sizeof(buf) - 1, 300);
    cr_assert(got > 0 && buf[0] == '%', "HELLO 3 failed");
    raw_expect(fd, "_\r\n", "LPOP nokey");
    raw_expect(fd, "_\r\n", "LPOP nokey 1");
    raw_expect(fd, "_\r\n", "LINDEX nokey 1");
    raw_expect(fd, "_\r\n", "LMPOP 1 nokey RIGHT COUNT 3");
    raw_expect(fd, "_\r\n", "RPOPLPUSH nokey x");
    raw_expect(fd, ":2\r\n", "RPUSH k3 a b");
    raw_expect(fd, "*2\r\n$2\r\nk3\r\n*1\r\n$1\r\na\r\n", "LMPOP 1 k3 LEFT");
    raw_expect(fd, "*2\r\n$2\r\nk3\r\n$1\r\nb\r\n", "BLPOP k3 0");
    close(fd);
}

Test(list, lrange_and_lindex)
{
    redisContext *c = srv_connect(s);
    const char *v[] = {"x", "1", "2", "3", "4", "5", "6", "7", "8", "9"};
    rpush_all(c, "mylist", 10, v);
    const char *r1[] = {"1", "2", "3", "4", "5", "6", "7", "8"};
    expect_strings(c, 8, r1, "LRANGE mylist 1 -2");
    const char *r2[] = {"7", "8", "9"};
    expect_strings(c, 3, r2, "LRANGE mylist -3 -1");
    const char *r3[] = {"4"};
    expect_strings(c, 1, r3, "LRANGE mylist 4 4");
    expect_strings(c, 0, NULL, "LRANGE mylist 6 2");
    expect_strings(c, 10, v, "LRANGE mylist -1000 1000");
    expect_strings(c, 1, v, "LRANGE mylist 0 -10");
    expect_strings(c, 0, NULL, "LRANGE mylist 0 -11");
    expect_strings(c, 0, NULL, "LRANGE mylist -1 -2");
    expect_error(c, "ERR value is not an integer or out of range", "LRANGE mylist a 1");
    expect_error(c, "ERR value is not an integer or out of range", "LRANGE nokey 0 b");
    expect_bulk(c, "x", "LINDEX mylist 0");
    expect_bulk(c, "9", "LINDEX mylist -1");
    expect_bulk(c, "x", "LINDEX mylist -10");
    expect_nil(c, "LINDEX mylist 10");
    expect_nil(c, "LINDEX mylist -11");
    expect_error(c, "ERR value is not an integer or out of range", "LINDEX mylist 1.5");
    expect_nil(c, "LINDEX nokey foo"); /* the key is looked up first */
    redisFree(c);
}

Test(list, lset)
{
    redisContext *c = srv_connect(s);
    const char *v[] = {"99", "98", "big", "96", "95"};
    rpush_all(c, "mylist", 5, v);
    expect_status(c, "OK", "LSET mylist 1 foo");
    expect_status(c, "OK", "LSET mylist -1 bar");
    const char *w[] = {"99", "foo", "big", "96", "bar"};
    expect_strings(c, 5, w, "LRANGE mylist 0 -1");
    expect_error(c, "ERR index out of range", "LSET mylist 10 foo");
    expect_error(c, "ERR index out of range", "LSET mylist -6 foo");
    expect_error(c, "ERR no such key", "LSET nosuchkey 10 foo");
    expect_error(c, "ERR value is not an integer or out of range", "LSET mylist x foo");
    redisFree(c);
}

Test(list, linsert)
{
    redisContext *c = srv_connect(s);
    const char *v[] = {"a", "b", "c", "d"};
    rpush_all(c, "xlist", 4, v);
    expect_int(c, 5, "LINSERT xlist before c zz");
    expect_int(c, 6, "LINSERT xlist after c yy");
    expect_int(c, 7, "LINSERT xlist after d dd");
    expect_int(c, -1, "LINSERT xlist after bad ddd");
    expect_int(c, 8, "LINSERT xlist BEFORE a aa");
    expect_int(c, -1, "LINSERT xlist before bad aaa");
    const char *w[] = {"aa", "a", "b", "zz", "c", "yy", "d", "dd"};
    expect_strings(c, 8, w, "LRANGE xlist 0 10");
    expect_int(c, 0, "LINSERT nokey before a b");
    expect_error(c, "ERR syntax error", "LINSERT xlist aft3r aa 42");
    expect_error(c, "ERR syntax error", "LINSERT nokey middle aa 42");
    redisFree(c);
}

Test(list, lrem)
{
    redisContext *c = srv_connect(s);
    const char *v[] = {"e", "foo", "bar", "foobar", "foobared", "zap", "bar", "test", "foo"};
    rpush_all(c, "mylist", 9, v);
    expect_int(c, 2, "LREM mylist 0 bar");
    const char *w1[] = {"e", "foo", "foobar", "foobared", "zap", "test", "foo"};
    expect_strings(c, 7, w1, "LRANGE mylist 0 -1");
    expect_int(c, 1, "LREM mylist 1 foo");
    expect_int(c, 0, "LREM mylist 1 nosuchelement");
    const char *v2[] = {"e",   "foo", "bar",  "foobar", "foobared",
                        "zap", "bar", "test", "foo",    "foo"};
    rpush_all(c, "mylist", 10, v2);
    expect_int(c, 1, "LREM mylist -1 bar");
    expect_int(c, 2, "LREM mylist -2 foo");
    const char *w2[] = {"e", "foo", "bar", "foobar", "foobared", "zap", "test"};
    expect_strings(c, 7, w2, "LRANGE mylist 0 -1");
    expect_int(c, 0, "LREM nokey 0 a");
    expect_error(c, "ERR value is not an integer or out of range", "LREM mylist x a");
    expect_int(c, 3, "RPUSH gone a a a");
    expect_int(c, 3, "LREM gone -9223372036854775808 a");
    expect_int(c, 0, "EXISTS gone");
    redisFree(c);
}

static void trim_case(redisContext *c, int start, int stop, int n, const char **want)
{
    const char *v[] = {"1", "2", "3", "4", "big"};
    rpush_all(c, "tl", 5, v);
    redisReply *r = cmd(c, "LTRIM tl %d %d", start, stop);
    cr_assert(r->type == REDIS_REPLY_STATUS && strcmp(r->str, "OK") == 0, "LTRIM %d %d", start,
              stop);
    freeReplyObject(r);
    expect_strings(c, n, want, "LRANGE tl 0 -1");
}

Test(list, ltrim)
{
    redisContext *c = srv_connect(s);
    const char *all[] = {"1", "2", "3", "4", "big"};
    trim_case(c, 0, 0, 1, all);
    trim_case(c, 0, 1, 2, all);
    trim_case(c, 1, 2, 2, all + 1);
    trim_case(c, 1, -1, 4, all + 1);
    trim_case(c, 1, -2, 3, all + 1);
    trim_case(c, -2, -1, 2, all + 3);
    trim_case(c, -1, -1, 1, all + 4);
    trim_case(c, -5, -1, 5, all);
    trim_case(c, -10, 10, 5, all);
    trim_case(c, 0, 5, 5, all);
    trim_case(c, 0, -5, 1, all);
    trim_case(c, 0, -6, 0, NULL);
    expect_int(c, 0, "EXISTS tl");
    expect_error(c, "ERR value is not an integer or out of range", "LTRIM tl 0 x");
    redisFree(c);
}

Test(list, lpos)
{
    redisContext *c = srv_connect(s);
    expect_int(c, 8, "RPUSH mylist a b c 1 2 3 c c");
    expect_int(c, 0, "LPOS mylist a");
    expect_int(c, 2, "LPOS mylist c");
    expect_int(c, 2, "LPOS mylist c RANK 1");
    expect_int(c, 6, "LPOS mylist c RANK 2");
    expect_nil(c, "LPOS mylist c RANK 4");
    expect_int(c, 7, "LPOS mylist c RANK -1");
    expect_int(c, 6, "LPOS mylist c RANK -2");
    expect_error(c,
                 "ERR RANK can't be zero: use 1 to start from the first match, 2 from the "
                 "second ... or use negative to start from the end of the list",
                 "LPOS mylist c RANK 0");
    long long all[] = {2, 6, 7};
    expect_ints(c, 3, all, "LPOS mylist c COUNT 0");
    expect_ints(c, 1, all, "LPOS mylist c COUNT 1");
    expect_ints(c, 2, all, "LPOS mylist c COUNT 2");
    expect_ints(c, 3, all, "LPOS mylist c COUNT 100");
    expect_ints(c, 2, all + 1, "LPOS mylist c COUNT 0 RANK 2");
    long long rev[] = {7, 6};
    expect_ints(c, 2, rev, "LPOS mylist c COUNT 2 RANK -1");
    expect_strings(c, 0, NULL, "LPOS mylistxxx c COUNT 0 RANK 2");
    expect_strings(c, 0, NULL, "LPOS mylist x COUNT 2 RANK -1");
    expect_nil(c, "LPOS mylist x RANK -1");
    long long zero[] = {0};
    expect_ints(c, 1, zero, "LPOS mylist a COUNT 0 MAXLEN 1");
    expect_strings(c, 0, NULL, "LPOS mylist c COUNT 0 MAXLEN 1");
    expect_ints(c, 1, all, "LPOS mylist c COUNT 0 MAXLEN 3");
    expect_ints(c, 2, rev, "LPOS mylist c COUNT 0 MAXLEN 3 RANK -1");
    expect_ints(c, 1, all + 1, "LPOS mylist c COUNT 0 MAXLEN 7 RANK 2");
    expect_error(c, "ERR COUNT can't be negative", "LPOS mylist c COUNT -1");
    expect_error(c, "ERR COUNT can't be negative", "LPOS mylist c COUNT x");
    expect_error(c, "ERR MAXLEN can't be negative", "LPOS mylist c MAXLEN -1");
    expect_error(c, "ERR value is not an integer or out of range", "LPOS mylist c RANK x");
    expect_error(c, "ERR syntax error", "LPOS mylist c RANK");
    expect_error(c, "ERR syntax error", "LPOS mylist c FOO 1");
    /* Options are parsed before the key is looked up. */
    expect_error(c, "ERR syntax error", "LPOS nokey c FOO 1");
    del(c, "mylist");
    expect_int(c, 1, "LPUSH mylist a");
    expect_strings(c, 0, NULL, "LPOS mylist b COUNT 10 RANK 5");
    redisFree(c);
}

Test(list, lmove_and_rpoplpush)
{
    static const char *sides[] = {"LEFT", "RIGHT"};
    redisContext *c = srv_connect(s);
    for (int f = 0; f < 2; f++) {
        for (int t = 0; t < 2; t++) {
            const char *v[] = {"a", "b", "c", "d"};
            rpush_all(c, "src", 4, v);
            del(c, "dst");
            expect_bulk(c, f ? "d" : "a", "LMOVE src dst %s %s", sides[f], sides[t]);
            expect_bulk(c, f ? "c" : "b", "LMOVE src dst %s %s", sides[f], sides[t]);
            const char *left[] = {f ? "a" : "c", f ? "b" : "d"};
            expect_strings(c, 2, left, "LRANGE src 0 -1");
            const char *first = f ? "d" : "a", *second = f ? "c" : "b";
            const char *dst[2] = {t ? first : second, t ? second : first};
            expect_strings(c, 2, dst, "LRANGE dst 0 -1");
        }
    }
    const char *v[] = {"a", "b", "c"};
    rpush_all(c, "same", 3, v);
    expect_bulk(c, "c", "RPOPLPUSH same same");
    const char *w[] = {"c", "a", "b"};
    expect_strings(c, 3, w, "LRANGE same 0 -1");
    expect_bulk(c, "c", "LMOVE same same LEFT RIGHT");
    expect_strings(c, 3, v, "LRANGE same 0 -1");
    del(c, "one");
    expect_int(c, 1, "RPUSH one x");
    expect_bulk(c, "x", "LMOVE one one LEFT LEFT");
    expect_int(c, 1, "LLEN one");
    expect_bulk(c, "x", "RPOPLPUSH one other");
    expect_int(c, 0, "EXISTS one");
    expect_error(c, "ERR syntax error", "LMOVE one other UP LEFT");
    expect_error(c, "ERR syntax error", "LMOVE nokey other LEFT DOWN");
    expect_nil(c, "LMOVE nokey other LEFT RIGHT");
    expect_int(c, 0, "EXISTS nokey other2");
    redisFree(c);
}

Test(list, lmpop)
{
    redisContext *c = srv_connect(s);
    expect_error(c, "ERR wrong number of arguments for 'lmpop' command", "LMPOP");
    expect_error(c, "ERR wrong number of arguments for 'lmpop' command", "LMPOP 1");
    expect_error(c, "ERR wrong number of arguments for 'lmpop' command", "LMPOP 1 mylist");
    expect_error(c, "ERR numkeys should be greater than 0", "LMPOP 0 mylist LEFT");
    expect_error(c, "ERR numkeys should be greater than 0", "LMPOP a mylist LEFT");
    expect_error(c, "ERR numkeys should be greater than 0", "LMPOP -1 mylist RIGHT");
    expect_error(c, "ERR syntax error", "LMPOP 1 mylist bad_where");
    expect_error(c, "ERR syntax error", "LMPOP 1 mylist LEFT bar_arg");
    expect_error(c, "ERR syntax error", "LMPOP 1 mylist RIGHT LEFT");
    expect_error(c, "ERR syntax error", "LMPOP 1 mylist COUNT");
    expect_error(c, "ERR syntax error", "LMPOP 1 mylist LEFT COUNT 1 COUNT 2");
    expect_error(c, "ERR syntax error", "LMPOP 2 mylist mylist2 bad_arg");
    expect_error(c, "ERR syntax error", "LMPOP 3 mylist mylist2 LEFT");
    expect_error(c, "ERR syntax error", "LMPOP 9223372036854775807 a LEFT");
    expect_error(c, "ERR count should be greater than 0", "LMPOP 1 mylist LEFT COUNT 0");
    expect_error(c, "ERR count should be greater than 0", "LMPOP 1 mylist RIGHT COUNT a");
    expect_error(c, "ERR count should be greater than 0", "LMPOP 1 mylist LEFT COUNT -1");
    expect_error(c, "ERR count should be greater than 0", "LMPOP 2 a b RIGHT COUNT -1");

    const char *v[] = {"a", "b", "c", "d", "e", "f"};
    rpush_all(c, "mylist", 6, v);
    redisReply *r = cmd(c, "LMPOP 2 mylist mylist left count 2");
    cr_assert(r->type == REDIS_REPLY_ARRAY && r->elements == 2);
    cr_assert_str_eq(r->element[0]->str, "mylist");
    cr_assert_eq(r->element[1]->elements, 2);
    cr_assert_str_eq(r->element[1]->element[0]->str, "a");
    cr_assert_str_eq(r->element[1]->element[1]->str, "b");
    freeReplyObject(r);
    r = cmd(c, "LMPOP 2 nokey mylist RIGHT COUNT 10");
    cr_assert(r->type == REDIS_REPLY_ARRAY && r->elements == 2);
    cr_assert_str_eq(r->element[0]->str, "mylist");
    cr_assert_eq(r->element[1]->elements, 4);
    cr_assert_str_eq(r->element[1]->element[0]->str, "f");
    cr_assert_str_eq(r->element[1]->element[3]->str, "c");
    freeReplyObject(r);
    expect_int(c, 0, "EXISTS mylist");
    expect_nil(c, "LMPOP 2 mylist nokey LEFT");
    redisFree(c);
}

Test(list, blocking_forms_when_data_is_there)
{
    redisContext *c = srv_connect(s);
    const char *v[] = {"a", "b", "c", "d"};
    rpush_all(c, "blist", 4, v);
    const char *r1[] = {"blist", "a"};
    expect_strings(c, 2, r1, "BLPOP nokey blist 1");
    const char *r2[] = {"blist", "d"};
    expect_strings(c, 2, r2, "BRPOP blist 0");
    expect_bulk(c, "c", "BRPOPLPUSH blist target 0");
    expect_bulk(c, "b", "BLMOVE blist target LEFT RIGHT 0");
    const char *t[] = {"c", "b"};
    expect_strings(c, 2, t, "LRANGE target 0 -1");
    expect_int(c, 0, "EXISTS blist");
    redisReply *r = cmd(c, "BLMPOP 0 2 nokey target RIGHT COUNT 5");
    cr_assert(r->type == REDIS_REPLY_ARRAY && r->elements == 2);
    cr_assert_str_eq(r->element[0]->str, "target");
    cr_assert_eq(r->element[1]->elements, 2);
    cr_assert_str_eq(r->element[1]->element[0]->str, "b");
    freeReplyObject(r);
    expect_int(c, 2, "RPUSH a{t} x y");
    const char *same[] = {"a{t}", "x"};
    expect_strings(c, 2, same, "BLPOP a{t} b{t} b{t} a{t} 0");
    redisFree(c);
}

Test(list, blocking_inside_multi_acts_as_timeout)
{
    int fd = srv_raw_connect(s);
    raw_expect(fd, ":2\r\n", "LPUSH xlist foo bar");
    raw_expect(fd, "+OK\r\n", "MULTI");
    raw_expect(fd, "+QUEUED\r\n", "BLPOP xlist 0");
    raw_expect(fd, "+QUEUED\r\n", "BLPOP xlist 0");
    raw_expect(fd, "+QUEUED\r\n", "BLPOP xlist 0");
    raw_expect(fd, "+QUEUED\r\n", "BLMOVE xlist t LEFT LEFT 0");
    raw_expect(fd, "+QUEUED\r\n", "BRPOPLPUSH xlist t 0");
    raw_expect(fd, "+QUEUED\r\n", "BLMPOP 0 1 xlist LEFT");
    raw_expect(fd,
               "*6\r\n*2\r\n$5\r\nxlist\r\n$3\r\nbar\r\n*2\r\n$5\r\nxlist\r\n$3\r\nfoo\r\n"
               "*-1\r\n$-1\r\n$-1\r\n*-1\r\n",
               "EXEC");
    close(fd);
}

Test(list, timeout_argument_errors)
{
    redisContext *c = srv_connect(s);
    const char *neg = "ERR timeout is negative";
    const char *nf = "ERR timeout is not a float or out of range";
    expect_error(c, neg, "BLPOP l -1");
    expect_error(c, neg, "BRPOP l -0.5");
    expect_error(c, neg, "BLPOP l inf");
    expect_error(c, neg, "BLPOP l 1e20");
    expect_error(c, nf, "BLPOP l abc");
    expect_error(c, nf, "BLPOP l nan");
    expect_error(c, nf, "BLMOVE l d LEFT LEFT 1x");
    expect_error(c, neg, "BRPOPLPUSH l d -1");
    expect_error(c, nf, "BLMPOP x 1 l LEFT");
    expect_error(c, neg, "BLMPOP -1 1 l LEFT");
    /* BLMPOP checks numkeys and COUNT before the timeout; BLMOVE the sides. */
    expect_error(c, "ERR numkeys should be greater than 0", "BLMPOP x 0 l LEFT");
    expect_error(c, "ERR syntax error", "BLMOVE l d UP LEFT x");
    expect_error(c, "ERR wrong number of arguments for 'blpop' command", "BLPOP l");
    redisFree(c);
}

Test(list, large_elements_and_many_chunks)
{
    redisContext *c = srv_connect(s);
    size_t big = 100000;
    char *v = malloc(big + 1);
    memset(v, 'x', big);
    v[big] = '\0';
    for (int i = 0; i < 1000; i++) {
        redisReply *r = cmd(c, "RPUSH many %d", i);
        freeReplyObject(r);
    }
    freeReplyObject(cmd(c, "LINSERT many BEFORE 500 %s", v));
    freeReplyObject(cmd(c, "LPUSH many %s", v));
    expect_int(c, 1002, "LLEN many");
    redisReply *r = cmd(c, "LINDEX many 501");
    cr_assert(r->type == REDIS_REPLY_STRING && r->len == big);
    freeReplyObject(r);
    expect_bulk(c, "500", "LINDEX many 502");
    expect_bulk(c, "999", "LINDEX many -1");
    expect_bulk(c, "0", "LINDEX many 1");
    for (int i = 0; i < 1000; i += 97) {
        char want[16];
        snprintf(want, sizeof(want), "%d", i);
        expect_bulk(c, want, "LINDEX many %d", i < 500 ? i + 1 : i + 2);
    }
    expect_int(c, 2, "LREM many 0 %s", v);
    expect_status(c, "OK", "LSET many 0 %s", v);
    r = cmd(c, "LPOP many");
    cr_assert(r->type == REDIS_REPLY_STRING && r->len == big);
    freeReplyObject(r);
    r = cmd(c, "LRANGE many 0 -1");
    cr_assert_eq(r->elements, 999);
    for (size_t i = 0; i < r->elements; i++) {
        char want[32];
        snprintf(want, sizeof(want), "%zu", i + 1);
        cr_assert_str_eq(r->element[i]->str, want);
    }
    freeReplyObject(r);
    expect_status(c, "OK", "LTRIM many 100 -100");
    expect_int(c, 800, "LLEN many");
    expect_bulk(c, "101", "LINDEX many 0");
    free(v);
    redisFree(c);
}

Test(list, type_and_encoding)
{
    redisContext *c = srv_connect(s);
    expect_int(c, 1, "RPUSH tl a");
    expect_status(c, "list", "TYPE tl");
    expect_bulk(c, "quicklist", "OBJECT ENCODING tl");
    redisFree(c);
}
