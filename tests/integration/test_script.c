/* test_script.c - Lua scripting (EVAL, EVALSHA, EVAL_RO, EVALSHA_RO,
 * SCRIPT) against Redis 7.0.15's exact replies: conversions both ways, the
 * redis.* API, errors and their "script: <sha>, on @user_script:N." suffix,
 * global protection, the cjson/cmsgpack/bit/struct libraries, busy scripts
 * with SCRIPT KILL, and the AOF holding the script's effects. */
#include "harness.h"

#include <poll.h>
#include <stdio.h>
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

TestSuite(script, .init = setup, .fini = teardown, .timeout = 60);

/* Send a RESP command built from argv and compare the raw reply bytes. */
static void raw_expect(int fd, int argc, const char **argv, const char *want)
{
    char out[4096];
    size_t n = (size_t)snprintf(out, sizeof(out), "*%d\r\n", argc);
    for (int i = 0; i < argc; i++)
        n += (size_t)snprintf(out + n, sizeof(out) - n, "$%zu\r\n%s\r\n", strlen(argv[i]),
                              argv[i]);
    size_t wl = strlen(want);
    char in[4096];
    size_t got = raw_send_recv(fd, out, n, in, wl, 2000);
    in[got] = '\0';
    cr_assert(got == wl && memcmp(in, want, wl) == 0, "%s: got [%s] want [%s]", argv[1], in,
              want);
}

#define EVAL_RAW(fd, script, want)                       \
    do {                                                  \
        const char *a_[] = {"EVAL", script, "0"};         \
        raw_expect(fd, 3, a_, want);                      \
    } while (0)

Test(script, lua_to_resp_conversions)
{
    int fd = srv_raw_connect(s);
    EVAL_RAW(fd, "return 'hello'", "$5\r\nhello\r\n");
    EVAL_RAW(fd, "return 100.5", ":100\r\n");
    EVAL_RAW(fd, "return -3.9", ":-3\r\n");
    EVAL_RAW(fd, "return true", ":1\r\n");
    EVAL_RAW(fd, "return false", "$-1\r\n");
    EVAL_RAW(fd, "return nil", "$-1\r\n");
    EVAL_RAW(fd, "return {ok='fine'}", "+fine\r\n");
    EVAL_RAW(fd, "return {ok='a\\r\\nb'}", "+a  b\r\n");
    EVAL_RAW(fd, "return {err='ERR this is an error'}", "-ERR this is an error\r\n");
    EVAL_RAW(fd, "return {err='x\\ny'}", "-x y\r\n");
    EVAL_RAW(fd, "return {1,2,3,'ciao',{1,2}}",
             "*5\r\n:1\r\n:2\r\n:3\r\n$4\r\nciao\r\n*2\r\n:1\r\n:2\r\n");
    EVAL_RAW(fd, "return {1, 2, nil, 4}", "*2\r\n:1\r\n:2\r\n");
    EVAL_RAW(fd, "return {1,2,{ok='x'},{err='bad'}}", "*4\r\n:1\r\n:2\r\n+x\r\n-bad\r\n");
    EVAL_RAW(fd, "return {double=1.5}", "$3\r\n1.5\r\n");
    EVAL_RAW(fd, "return 0/0", ":-9223372036854775808\r\n");
    EVAL_RAW(fd, "return _G", "*0\r\n");
    EVAL_RAW(fd, "local a = {}; setmetatable(a,{__index=function() foo() end}) return a",
             "*0\r\n");
    EVAL_RAW(fd, "return redis.error_reply('')", "-ERR \r\n");
    EVAL_RAW(fd, "return redis.error_reply('MY_CODE custom msg')", "-MY_CODE custom msg\r\n");
    EVAL_RAW(fd, "return redis.status_reply('MY_OK msg')", "+MY_OK msg\r\n");
    EVAL_RAW(fd, "return redis.status_reply(1)", "-ERR wrong number or type of arguments\r\n");
    close(fd);
}

Test(script, resp_to_lua_conversions)
{
    redisContext *c = srv_connect(s);
    expect_status(c, "OK", "SET x 0");
    const char *i[] = {"number", "1"};
    expect_strings(c, 2, i, "EVAL %s 1 x", "local f = redis.pcall('incr',KEYS[1]) "
                                           "return {type(f),tostring(f)}");
    const char *b[] = {"string", "1"};
    expect_strings(c, 2, b, "EVAL %s 1 x", "local f = redis.pcall('get',KEYS[1]) "
                                           "return {type(f),f}");
    expect_int(c, 3, "RPUSH l a b c");
    const char *m[] = {"table", "a", "b", "c"};
    expect_strings(c, 4, m, "EVAL %s 1 l", "local f = redis.pcall('lrange',KEYS[1],0,-1) "
                                           "return {type(f),f[1],f[2],f[3]}");
    const char *st[] = {"table", "OK"};
    expect_strings(c, 2, st, "EVAL %s 1 k", "local f = redis.pcall('set',KEYS[1],'v') "
                                            "return {type(f),f['ok']}");
    const char *e[] = {"table", "WRONGTYPE Operation against a key holding the wrong kind "
                                "of value"};
    expect_strings(c, 2, e, "EVAL %s 1 l", "local f = redis.pcall('incr',KEYS[1]) "
                                           "return {type(f),f['err']}");
    expect_int(c, 1, "EVAL %s 1 nokey", "return redis.pcall('get',KEYS[1]) == false");
    const char *kv[] = {"a", "b", "c", "d"};
    expect_strings(c, 4, kv, "EVAL %s 2 a b c d", "return {KEYS[1],KEYS[2],ARGV[1],ARGV[2]}");
    expect_bulk(c, "9007199254740991", "EVAL %s 0",
                "redis.call('set','n',9007199254740991) return redis.call('get','n')");
    expect_bulk(c, "1.5", "EVAL %s 0", "redis.call('set','n',1.5) return redis.call('get','n')");
    redisFree(c);
}

/* The SHA in error messages is the script's: compute it through the server. */
static void expect_script_error(redisContext *c, const char *body, const char *msg, int line)
{
    redisReply *r = cmd(c, "SCRIPT LOAD %s", body);
    cr_assert_eq(r->type, REDIS_REPLY_STRING);
    char want[512];
    snprintf(want, sizeof(want), "%s script: %s, on @user_script:%d.", msg, r->str, line);
    freeReplyObject(r);
    expect_error(c, want, "EVAL %s 0", body);
}

Test(script, error_formats)
{
    redisContext *c = srv_connect(s);
    expect_status(c, "OK", "SET foo bar");
    expect_script_error(c, "redis.call('lpush','foo','val')",
                        "WRONGTYPE Operation against a key holding the wrong kind of value", 1);
    expect_script_error(c, "return redis.call('nosuch')",
                        "ERR Unknown Redis command called from script", 1);
    expect_script_error(c, "return redis.call('set','x')",
                        "ERR Wrong number of args calling Redis command from script", 1);
    expect_script_error(c, "return redis.call('blpop','x',0)",
                        "ERR This Redis command is not allowed from script", 1);
    expect_script_error(c, "return redis.call()",
                        "ERR Please specify at least one argument for this redis lib call", 1);
    expect_script_error(c, "return redis.call('get', {})",
                        "ERR Lua redis lib command arguments must be strings or integers", 1);
    expect_script_error(c, "\nerror('boom')", "ERR user_script:2: boom", 2);
    expect_script_error(c, "error({err='X boom'})", "X boom", 1);
    expect_script_error(c, "return redis.sha1hex()", "ERR wrong number of arguments", 1);
    expect_script_error(c, "return redis.setresp(4)", "ERR RESP version must be 2 or 3.", 1);
    expect_script_error(c, "redis.log('x','y')",
                        "ERR First argument must be a number (log level).", 1);
    expect_script_error(c, "return redis.call('select', 99)", "ERR DB index is out of range", 1);
    expect_error(c, "ERR Lua redis lib command arguments must be strings or integers",
                 "EVAL %s 0", "return redis.pcall('get', {})");
    expect_error(c, "ERR Unknown Redis command called from script", "EVAL %s 0",
                 "return redis.pcall('nosuch')");
    expect_bulk(c, "ERR Unknown Redis command called from script", "EVAL %s 0",
                "local ok, e = pcall(function() redis.call('nosuch') end) return e");
    expect_error(c, "ERR Error compiling script (new function): user_script:1: '<eof>' "
                    "expected near 'x'",
                 "EVAL %s 0", "return x x");
    redisFree(c);
}

Test(script, globals_protection)
{
    redisContext *c = srv_connect(s);
    expect_script_error(c, "return a",
                        "ERR user_script:1: Script attempted to access nonexistent global "
                        "variable 'a'", 1);
    expect_script_error(c, "a=10", "ERR user_script:1: Attempt to modify a readonly table", 1);
    expect_script_error(c, "setmetatable(_G, {})", "ERR Attempt to modify a readonly table", 1);
    expect_script_error(c, "local g = getmetatable(_G)\ng.__index = {}",
                        "ERR user_script:2: Attempt to modify a readonly table", 2);
    expect_script_error(c, "redis = function() return 1 end",
                        "ERR user_script:1: Attempt to modify a readonly table", 1);
    expect_script_error(c, "_G = {}", "ERR user_script:1: Attempt to modify a readonly table",
                        1);
    static const char *libs[] = {"redis.call", "cjson.encode", "cmsgpack.pack", "bit.lshift",
                                 "string.rep", "math.floor", "table.insert", NULL};
    for (int i = 0; libs[i]; i++) {
        char body[128];
        snprintf(body, sizeof(body), "%s = function() return 1 end", libs[i]);
        expect_script_error(c, body, "ERR user_script:1: Attempt to modify a readonly table",
                            1);
    }
    expect_script_error(c, "rawset(_G, 'x', 1)", "ERR Attempt to modify a readonly table", 1);
    static const char *gone[] = {"loadfile", "dofile", "print", "getfenv", "setfenv", NULL};
    for (int i = 0; gone[i]; i++) {
        char body[64], msg[160];
        snprintf(body, sizeof(body), "%s('x')", gone[i]);
        snprintf(msg, sizeof(msg), "ERR user_script:1: Script attempted to access nonexistent "
                                   "global variable '%s'", gone[i]);
        expect_script_error(c, body, msg, 1);
    }
    expect_script_error(c, "return loadstring(string.dump(function() return 1 end))()",
                        "ERR user_script:1: attempt to call a nil value", 1);
    expect_bulk(c, "status: false result: user_script:1: Script attempted to access "
                   "nonexistent global variable 'foo'",
                "EVAL %s 0", "local status, res = pcall(function() return foo end); "
                             "return 'status: ' .. tostring(status) .. ' result: ' .. res");
    expect_bulk(c, "xxx", "EVAL %s 0", "return ('x'):rep(3)");
    expect_int(c, 1, "EVAL %s 0", "return rawget(_G, 'redis') == redis");
    redisFree(c);
}

Test(script, evalsha_and_script_command)
{
    redisContext *c = srv_connect(s);
    expect_status(c, "OK", "SET mykey myval");
    expect_bulk(c, "myval", "EVAL %s 1 mykey", "return redis.call('get',KEYS[1])");
    expect_bulk(c, "myval", "EVALSHA fd758d1589d044dd850a6f05d52f2eefd27f033f 1 mykey");
    expect_bulk(c, "myval", "EVALSHA FD758D1589D044DD850A6F05D52F2EEFD27F033F 1 mykey");
    expect_error(c, "NOSCRIPT No matching script. Please use EVAL.", "EVALSHA abc 0");
    expect_error(c, "NOSCRIPT No matching script. Please use EVAL.", "EVALSHA abc x");
    expect_error(c, "NOSCRIPT No matching script. Please use EVAL.",
                 "EVALSHA ffffffffffffffffffffffffffffffffffffffff 0");
    expect_error(c, "ERR value is not an integer or out of range", "EVAL %s x", "return 1");
    expect_error(c, "ERR Number of keys can't be greater than number of args", "EVAL %s 2 a",
                 "return 1");
    expect_error(c, "ERR Number of keys can't be negative", "EVAL %s -12", "return 1");
    expect_bulk(c, "b534286061d4b9e4026607613b95c06c06015ae8", "SCRIPT LOAD %s",
                "return 'loaded'");
    expect_bulk(c, "loaded", "EVALSHA b534286061d4b9e4026607613b95c06c06015ae8 0");
    expect_int(c, 2, "EVAL %s 0", "return 1+1");
    redisReply *r = cmd(c, "SCRIPT EXISTS a27e7e8a43702b7046d4f6a7ccf5b60cef6b9bd9 "
                           "A27E7E8A43702B7046D4F6A7CCF5B60CEF6B9BD9 "
                           "a27e7e8a43702b7046d4f6a7ccf5b60cef6b9bda");
    cr_assert(r->type == REDIS_REPLY_ARRAY && r->elements == 3);
    cr_assert(r->element[0]->integer == 1 && r->element[1]->integer == 1 &&
              r->element[2]->integer == 0);
    freeReplyObject(r);
    r = cmd(c, "INFO memory");
    cr_assert(strstr(r->str, "number_of_cached_scripts:3\r\n"), "%s", r->str);
    freeReplyObject(r);
    expect_error(c, "ERR SCRIPT FLUSH only support SYNC|ASYNC option", "SCRIPT FLUSH x");
    expect_status(c, "OK", "SCRIPT FLUSH ASYNC");
    expect_error(c, "NOSCRIPT No matching script. Please use EVAL.",
                 "EVALSHA b534286061d4b9e4026607613b95c06c06015ae8 0");
    expect_error(c, "ERR Error compiling script (new function): user_script:1: '<eof>' "
                    "expected near 'x'",
                 "SCRIPT LOAD %s", "return x x");
    expect_error(c, "NOTBUSY No scripts in execution right now.", "SCRIPT KILL");
    expect_error(c, "ERR unknown subcommand 'FOO'. Try SCRIPT HELP.", "SCRIPT FOO");
    r = cmd(c, "SCRIPT HELP");
    cr_assert(r->type == REDIS_REPLY_ARRAY && r->elements == 17);
    freeReplyObject(r);
    redisFree(c);
}

Test(script, read_only_and_shebang)
{
    redisContext *c = srv_connect(s);
    expect_status(c, "OK", "SET foo bar");
    expect_bulk(c, "bar", "EVAL_RO %s 1 foo", "return redis.call('get', KEYS[1]);");
    expect_error_prefix(c, "ERR Write commands are not allowed from read-only scripts. "
                           "script: ", "EVAL_RO %s 1 foo", "redis.call('del', KEYS[1]);");
    redisReply *r;
    expect_error(c, "ERR Can not execute a script with write flag using *_ro command.",
                 "EVAL_RO %s 0", "#!lua\nreturn 1");
    expect_int(c, 1, "EVAL %s 0", "#!lua flags=no-writes,allow-oom\nreturn 1");
    expect_error(c, "ERR Invalid script shebang", "EVAL %s 0", "#!lua");
    expect_error(c, "ERR Unknown lua shebang option: foo", "EVAL %s 0", "#!lua foo\nreturn 1");
    expect_error(c, "ERR Unexpected engine in script shebang: #!luaa", "EVAL %s 0",
                 "#!luaa\nreturn 1");
    expect_error(c, "ERR Unexpected flag in script shebang: x", "EVAL %s 0",
                 "#!lua flags=x\nreturn 1");
    expect_script_error(c, "#!lua flags=no-writes\nreturn redis.call('set','a','b')",
                        "ERR Write commands are not allowed from read-only scripts.", 2);
    /* maxmemory: no-shebang scripts may read, not write; flags decide otherwise */
    expect_status(c, "OK", "CONFIG SET maxmemory 1");
    expect_bulk(c, "bar", "EVAL %s 1 foo", "return redis.call('get',KEYS[1])");
    r = cmd(c, "EVAL %s 1 foo", "return redis.call('set',KEYS[1],'x')");
    cr_assert(r->type == REDIS_REPLY_ERROR &&
                  strncmp(r->str, "OOM command not allowed when used memory > 'maxmemory'.",
                          55) == 0, "%s", r->str);
    freeReplyObject(r);
    expect_error(c, "OOM allow-oom flag is not set on the script, can not run it when used "
                    "memory > 'maxmemory'",
                 "EVAL %s 0", "#!lua flags=\nreturn 1");
    expect_int(c, 1, "EVAL %s 1 foo", "#!lua flags=allow-oom\nredis.call('set','foo','y') "
                                      "return 1");
    expect_int(c, 1, "EVAL %s 0", "#!lua flags=no-writes\nreturn 1");
    expect_status(c, "OK", "CONFIG SET maxmemory 0");
    redisFree(c);
}

Test(script, select_inside_script)
{
    redisContext *c = srv_connect(s);
    expect_status(c, "OK", "SELECT 10");
    expect_status(c, "OK", "SET mykey db10");
    expect_bulk(c, "db10", "EVAL %s 1 mykey", "return redis.call('get',KEYS[1])");
    expect_status(c, "OK", "EVAL %s 0", "return redis.call('select','9')");
    expect_bulk(c, "db10", "GET mykey");
    expect_status(c, "OK", "EVAL %s 0", "redis.call('select',3) return redis.call('set','z','1')");
    expect_nil(c, "GET z");
    expect_status(c, "OK", "SELECT 3");
    expect_bulk(c, "1", "GET z");
    redisFree(c);
}

Test(script, libraries)
{
    redisContext *c = srv_connect(s);
    expect_bulk(c, "0 -5000 -1 0.0003 1023.2 0", "EVAL %s 0",
                "return table.concat(cjson.decode('[0.0, -5e3, -1, 0.3e-3, 1023.2, 0e10]'), ' ')");
    expect_bulk(c, "[1,2,3,{\"a\":1}]", "EVAL %s 0", "return cjson.encode({1,2,3,{a=1}})");
    expect_bulk(c, "3.1415926535898", "EVAL %s 0", "return cjson.encode(3.14159265358979)");
    const char *ab[] = {"a", "b"};
    expect_strings(c, 2, ab, "EVAL %s 0", "local d = cjson.decode('{\"keya\": \"a\", "
                                          "\"keyb\": \"b\"}') return {d.keya, d.keyb}");
    expect_int(c, 1, "EVAL %s 0", "return cjson.decode('[1,{\"a\":null}]')[2].a == cjson.null");
    /* cmsgpack: byte-exact encodings */
    static const char hexer[] = "local h = '' for i = 1, #e do "
                                "h = h .. string.format('%02x', string.byte(e, i)) end return h";
    char body[512];
    snprintf(body, sizeof(body), "local e = cmsgpack.pack(0.1) %s", hexer);
    expect_bulk(c, "cb3fb999999999999a", "EVAL %s 0", body);
    snprintf(body, sizeof(body), "local e = cmsgpack.pack(-1099511627776) %s", hexer);
    expect_bulk(c, "d3ffffff0000000000", "EVAL %s 0", body);
    snprintf(body, sizeof(body),
             "local e = cmsgpack.pack(1.5, -1, -33, 200, 70000, 5000000000, 'abc', true, "
             "false, {1,2}) %s", hexer);
    expect_bulk(c, "ca3fc00000ffd0dfccc8ce00011170cf000000012a05f200a3616263c3c2920102",
                "EVAL %s 0", body);
    snprintf(body, sizeof(body), "local a = {x=nil,y=5} local b = {x=a} a['x'] = b "
                                 "local e = cmsgpack.pack(a) %s", hexer);
    expect_bulk(c, "82a17905a17881a17882a17905a17881a17882a17905a17881a17882a17905a17881a178"
                   "82a17905a17881a17882a17905a17881a17882a17905a17881a17882a17905a17881a178c0",
                "EVAL %s 0", body);
    expect_bulk(c, "b", "EVAL %s 0", "return cmsgpack.unpack(cmsgpack.pack({1,2,{a='b'}}))[3].a");
    const char *one[] = {"1", "1", "-1", "2"};
    expect_strings(c, 4, one, "EVAL %s 0",
                   "local p = cmsgpack.pack(1,2) local o, v = cmsgpack.unpack_one(p, 0) "
                   "local o2, v2 = cmsgpack.unpack_one(p, o) "
                   "return {tostring(o), tostring(v), tostring(o2), tostring(v2)}");
    expect_script_error(c, "return cmsgpack.unpack('\\217')",
                        "ERR user_script:1: Missing bytes in input.", 1);
    expect_script_error(c, "return cmsgpack.unpack('\\193')",
                        "ERR user_script:1: Bad data format in input.", 1);
    /* bit and struct */
    expect_int(c, 255, "EVAL %s 0", "return bit.bor(1,2,4,8,16,32,64,128)");
    expect_bulk(c, "000000ff", "EVAL %s 0", "return bit.tohex(255)");
    expect_int(c, 1, "EVAL %s 0", "return struct.pack('>iHd', -5, 7, 1.5) == "
                                  "'\\255\\255\\255\\251\\0\\7\\63\\248\\0\\0\\0\\0\\0\\0'");
    const char *un[] = {"-5", "7", "1.5", "15"};
    expect_strings(c, 4, un, "EVAL %s 0",
                   "local a, b, d, n = struct.unpack('>iHd', struct.pack('>iHd', -5, 7, 1.5)) "
                   "return {tostring(a), tostring(b), tostring(d), tostring(n)}");
    expect_int(c, 6, "EVAL %s 0", "return struct.size('i4h')");
    /* redis.sha1hex */
    expect_bulk(c, "da39a3ee5e6b4b0d3255bfef95601890afd80709", "EVAL %s 0",
                "return redis.sha1hex('')");
    expect_bulk(c, "74822d82031af7493c20eefa13bd07ec4fada82f", "EVAL %s 0",
                "return redis.sha1hex('Pizza & Mandolino')");
    expect_int(c, 458767, "EVAL %s 0", "return redis.REDIS_VERSION_NUM");
    redisFree(c);
}

Test(script, resp3)
{
    int fd = srv_raw_connect(s);
    char buf[2048];
    raw_send_recv(fd, "HELLO 3\r\n", 9, buf, sizeof(buf), 300);
    const char *hs[] = {"HSET", "h", "f", "v"};
    raw_expect(fd, 4, hs, ":1\r\n");
    const char *m3[] = {"EVAL", "redis.setresp(3) return redis.call('hgetall', KEYS[1])", "1",
                        "h"};
    raw_expect(fd, 4, m3, "%1\r\n$1\r\nf\r\n$1\r\nv\r\n");
    const char *m2[] = {"EVAL", "redis.setresp(2) return redis.call('hgetall', KEYS[1])", "1",
                        "h"};
    raw_expect(fd, 4, m2, "*2\r\n$1\r\nf\r\n$1\r\nv\r\n");
    EVAL_RAW(fd, "return {double=3.5}", ",3.5\r\n");
    EVAL_RAW(fd, "return {big_number='123\\r\\n123'}", "(123  123\r\n");
    EVAL_RAW(fd, "return {map={a=1}}", "%1\r\n$1\r\na\r\n:1\r\n");
    EVAL_RAW(fd, "return {set={a=true}}", "~1\r\n$1\r\na\r\n");
    EVAL_RAW(fd, "return false", "_\r\n");
    EVAL_RAW(fd, "redis.setresp(3) return false", "#f\r\n");
    EVAL_RAW(fd, "redis.setresp(3) return redis.call('debug', 'protocol', 'attrib')",
             "-ERR This Redis command is not allowed from script script: "
             "aa0cbc09e515da41b956a7e678e25d5708509cf0, on @user_script:1.\r\n");
    const char *dd[] = {"DEBUG", "set-disable-deny-scripts", "1"};
    raw_expect(fd, 3, dd, "+OK\r\n");
    EVAL_RAW(fd, "redis.setresp(3) return redis.call('debug', 'protocol', 'attrib')",
             "$39\r\nSome real reply following the attribute\r\n");
    EVAL_RAW(fd, "redis.setresp(3) return redis.call('debug', 'protocol', 'bignum')",
             "(1234567999999999999999999999999999999\r\n");
    EVAL_RAW(fd, "redis.setresp(3) return redis.call('debug', 'protocol', 'verbatim')",
             "=29\r\ntxt:This is a verbatim\nstring\r\n");
    const char *dd0[] = {"DEBUG", "set-disable-deny-scripts", "0"};
    raw_expect(fd, 3, dd0, "+OK\r\n");
    close(fd);
    /* a RESP2 client gets RESP2 whatever the script used */
    fd = srv_raw_connect(s);
    EVAL_RAW(fd, "return {double=3.5}", "$3\r\n3.5\r\n");
    EVAL_RAW(fd, "return {map={a=1}}", "*2\r\n$1\r\na\r\n:1\r\n");
    EVAL_RAW(fd, "redis.setresp(3) return true", ":1\r\n");
    EVAL_RAW(fd, "redis.setresp(3) return false", ":0\r\n");
    close(fd);
}

Test(script, xread_block_refused)
{
    redisContext *c = srv_connect(s);
    expect_status(c, "OK", "XGROUP CREATE s g $ MKSTREAM");
    expect_nil(c, "EVAL %s 1 s", "return redis.pcall('xread','STREAMS','s','$')");
    expect_error(c, "ERR xread command is not allowed with BLOCK option from scripts",
                 "EVAL %s 1 s", "return redis.pcall('xread','BLOCK',0,'STREAMS','s','$')");
    redisFree(c);
}

/* Read one reply line (up to \n) from fd within ms. */
static size_t read_line(int fd, char *buf, size_t cap, int ms)
{
    size_t n = 0;
    long long deadline = now_ms() + ms;
    while (n + 1 < cap) {
        struct pollfd p = {fd, POLLIN, 0};
        long long left = deadline - now_ms();
        if (left <= 0 || poll(&p, 1, (int)left) <= 0)
            break;
        if (read(fd, buf + n, 1) != 1)
            break;
        if (buf[n++] == '\n')
            break;
    }
    buf[n] = '\0';
    return n;
}

Test(script, busy_script_and_kill)
{
    redisContext *c = srv_connect(s);
    expect_status(c, "OK", "CONFIG SET lua-time-limit 10");
    int fd = srv_raw_connect(s);
    const char *ev = "*3\r\n$4\r\nEVAL\r\n$17\r\nwhile true do end\r\n$1\r\n0\r\n"
                     "*1\r\n$4\r\nPING\r\n";
    cr_assert(write(fd, ev, strlen(ev)) == (ssize_t)strlen(ev));
    usleep(200 * 1000);
    expect_error(c, "BUSY Redis is busy running a script. You can only call SCRIPT KILL or "
                    "SHUTDOWN NOSAVE.", "PING");
    expect_status(c, "OK", "SCRIPT KILL");
    char line[512];
    read_line(fd, line, sizeof(line), 2000);
    cr_assert(strncmp(line, "-ERR Script killed by user with SCRIPT KILL... script: ", 55) == 0,
              "%s", line);
    read_line(fd, line, sizeof(line), 2000);
    cr_assert_str_eq(line, "+PONG\r\n");
    expect_status(c, "PONG", "PING");
    /* a script that wrote cannot be killed */
    const char *body = "redis.call('set','x','y') while true do end";
    char w[256];
    int wl = snprintf(w, sizeof(w), "*3\r\n$4\r\nEVAL\r\n$%zu\r\n%s\r\n$1\r\n0\r\n",
                      strlen(body), body);
    cr_assert(write(fd, w, (size_t)wl) == wl);
    usleep(200 * 1000);
    expect_error_prefix(c, "UNKILLABLE Sorry the script already executed write commands",
                        "SCRIPT KILL");
    expect_error_prefix(c, "BUSY ", "GET x");
    close(fd);
    redisFree(c);
    /* The server is now stuck in that script: start a fresh one. */
    srv_stop(s);
    s = srv_start(NULL);
}

Test(script, long_script_finishes)
{
    redisContext *c = srv_connect(s);
    expect_status(c, "OK", "CONFIG SET lua-time-limit 10");
    expect_bulk(c, "ok", "EVAL %s 0", "for i=1,100000 do redis.call('ping') end return 'ok'");
    expect_status(c, "PONG", "PING");
    expect_status(c, "OK", "CONFIG SET busy-reply-threshold 5000");
    const char *v[] = {"lua-time-limit", "5000"};
    expect_strings(c, 2, v, "CONFIG GET lua-time-limit");
    redisFree(c);
}

Test(script, stats_of_script_errors)
{
    redisContext *c = srv_connect(s);
    expect_status(c, "OK", "CONFIG RESETSTAT");
    expect_error_prefix(c, "ERR DB index is out of range", "EVAL %s 0",
                        "return redis.call('select',99)");
    redisReply *r = cmd(c, "INFO stats");
    cr_assert(strstr(r->str, "total_error_replies:1\r\n"), "%s", r->str);
    freeReplyObject(r);
    r = cmd(c, "INFO commandstats");
    cr_assert(strstr(r->str, "cmdstat_select:calls=1,"), "%s", r->str);
    cr_assert(strstr(r->str, "rejected_calls=0,failed_calls=1"), "%s", r->str);
    freeReplyObject(r);
    expect_status(c, "OK", "CONFIG RESETSTAT");
    expect_int(c, 1, "EVAL %s 0", "local t = redis.pcall('select',99) "
                                  "return t['err'] == 'ERR DB index is out of range'");
    r = cmd(c, "INFO errorstats");
    cr_assert(strstr(r->str, "errorstat_ERR:count=1\r\n"), "%s", r->str);
    freeReplyObject(r);
    redisFree(c);
}

/* The AOF holds what the script did, in MULTI/EXEC, never EVAL; a restart
 * rebuilds the same data. */
Test(script, aof_effects)
{
    srv_handle *a = srv_start("--appendonly yes");
    redisContext *c = srv_connect(a);
    expect_int(c, 1, "EVAL %s 0", "redis.call('set','a','1') redis.call('incr','a') "
                                  "redis.call('select', 2) redis.call('set','b','x') return 1");
    expect_status(c, "OK", "EVAL %s 0", "return redis.call('set','c','1')");
    expect_bulk(c, "1", "EVAL %s 0", "return redis.call('get','c')");
    expect_nil(c, "EVAL %s 0", "redis.set_repl(redis.REPL_NONE) redis.call('set','d','1') "
                               "redis.set_repl(redis.REPL_ALL) redis.call('set','e','1')");
    redisFree(c);
    usleep(100 * 1000);
    char path[512], aof[4096] = {0};
    snprintf(path, sizeof(path), "cat %s/appendonlydir/*.incr.aof", a->dir);
    FILE *p = popen(path, "r");
    size_t n = fread(aof, 1, sizeof(aof) - 1, p);
    pclose(p);
    aof[n] = '\0';
    const char *want = "*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n*1\r\n$5\r\nMULTI\r\n"
                       "*3\r\n$3\r\nset\r\n$1\r\na\r\n$1\r\n1\r\n*2\r\n$4\r\nincr\r\n$1\r\na\r\n"
                       "*2\r\n$6\r\nSELECT\r\n$1\r\n2\r\n*3\r\n$3\r\nset\r\n$1\r\nb\r\n$1\r\nx\r\n"
                       "*1\r\n$4\r\nEXEC\r\n*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n"
                       "*3\r\n$3\r\nset\r\n$1\r\nc\r\n$1\r\n1\r\n"
                       "*3\r\n$3\r\nset\r\n$1\r\ne\r\n$1\r\n1\r\n";
    cr_assert_str_eq(aof, want);
    c = srv_connect(a);
    expect_status(c, "OK", "DEBUG LOADAOF");
    expect_bulk(c, "2", "GET a");
    expect_nil(c, "GET d");
    expect_bulk(c, "1", "GET e");
    expect_status(c, "OK", "SELECT 2");
    expect_bulk(c, "x", "GET b");
    redisFree(c);
    srv_stop(a);
}

/* The shape of a job-queue move (BullMQ / Sidekiq style): EVALSHA with
 * several keys, cjson and cmsgpack payloads, zsets and lists. */
Test(script, job_queue_move)
{
    redisContext *c = srv_connect(s);
    const char *body =
        "local jobs = redis.call('zrangebyscore', KEYS[1], '-inf', ARGV[1], 'limit', 0, 10)\n"
        "for _, id in ipairs(jobs) do\n"
        "  redis.call('zrem', KEYS[1], id)\n"
        "  local data = cjson.decode(redis.call('hget', KEYS[3], id))\n"
        "  data.state = 'waiting'\n"
        "  redis.call('hset', KEYS[3], id, cjson.encode(data))\n"
        "  redis.call('lpush', KEYS[2], cmsgpack.pack({id = id, n = data.n}))\n"
        "end\n"
        "return #jobs\n";
    redisReply *r = cmd(c, "SCRIPT LOAD %s", body);
    char sha[41];
    snprintf(sha, sizeof(sha), "%s", r->str);
    freeReplyObject(r);
    expect_int(c, 2, "ZADD delayed 10 j1 20 j2");
    expect_int(c, 1, "ZADD delayed 99 j3");
    expect_int(c, 3, "HSET jobs j1 {\"n\":1} j2 {\"n\":2} j3 {\"n\":3}");
    expect_int(c, 2, "EVALSHA %s 3 delayed wait jobs 50", sha);
    expect_int(c, 1, "ZCARD delayed");
    expect_int(c, 2, "LLEN wait");
    expect_bulk(c, "{\"state\":\"waiting\",\"n\":1}", "HGET jobs j1");
    expect_bulk(c, "j1:1", "EVAL %s 1 wait", "local t = cmsgpack.unpack(redis.call('rpop', "
                                             "KEYS[1])) return t.id .. ':' .. t.n");
    redisFree(c);
}

#define LIB(body) "#!lua name=test\nredis.register_function('test', function(KEYS, ARGV)\n" \
                  body " \nend)"

Test(script, functions)
{
    redisContext *c = srv_connect(s);
    expect_bulk(c, "test", "FUNCTION LOAD %s", LIB(" return redis.call('ping')"));
    expect_status(c, "PONG", "FCALL test 0");
    expect_error(c, "ERR Library 'test' already exists", "FUNCTION LOAD %s",
                 LIB(" return redis.call('ping')"));
    expect_bulk(c, "test", "FUNCTION LOAD REPLACE %s", LIB(" return a"));
    expect_error(c, "ERR user_function:3: Script attempted to access nonexistent global "
                    "variable 'a' script: test, on @user_function:3.", "FCALL test 0");
    const char *named = "#!lua name=test\nredis.register_function{function_name='test', "
                        "callback=function(KEYS, ARGV)\n return redis.call('set', KEYS[1], "
                        "ARGV[1]) \nend, flags={'no-writes'}, description='d'}";
    expect_bulk(c, "test", "FUNCTION LOAD REPLACE %s", named);
    expect_error(c, "ERR Write commands are not allowed from read-only scripts. script: test, "
                    "on @user_function:3.", "FCALL test 1 k v");
    expect_error(c, "ERR Function test already exists", "FUNCTION LOAD %s",
                 "#!lua name=t2\nredis.register_function('test', function() return 1 end)");
    expect_error(c, "ERR Error registering functions: ERR Function already exists in the "
                    "library", "FUNCTION LOAD %s",
                 "#!lua name=t2\nredis.register_function('t2', function() return 1 end) "
                 "redis.register_function('t2', function() return 1 end)");
    expect_error(c, "ERR Error registering functions: ERR user_function:2: Script attempted "
                    "to access nonexistent global variable 'string'", "FUNCTION LOAD %s",
                 "#!lua name=t2\nlocal x = string.rep('a', 3)");
    expect_error(c, "ERR No functions registered", "FUNCTION LOAD %s", "#!lua name=t2\nreturn 1");
    expect_error(c, "ERR Error registering functions: ERR unknown flag given",
                 "FUNCTION LOAD %s", "#!lua name=t2\nredis.register_function({function_name="
                                     "'x', callback=function() end, flags={'bad'}})");
    expect_error(c, "ERR Error compiling function: user_function:2: '=' expected near 'x'",
                 "FUNCTION LOAD %s", "#!lua name=t2\nx x");
    expect_error(c, "ERR Invalid metadata value given: foo=bar", "FUNCTION LOAD %s",
                 "#!lua name=t2 foo=bar\nreturn 1");
    expect_error(c, "ERR Library name was not given", "FUNCTION LOAD %s", "#!lua\nreturn 1");
    expect_error(c, "ERR Engine 'js' not found", "FUNCTION LOAD %s", "#!js name=a\nreturn 1");
    expect_error(c, "ERR Missing library metadata", "FUNCTION LOAD %s", "return 1");
    expect_error(c, "ERR Unknown option given: foo", "FUNCTION LOAD foo %s",
                 "#!lua name=t2\nreturn 1");
    expect_bulk(c, "t2", "FUNCTION LOAD %s", "#!lua name=t2\nredis.register_function('t2', "
                                             "function(k, a) return a[1] .. #k end)");
    expect_bulk(c, "x1", "FCALL T2 1 k x");
    expect_error(c, "ERR Can not execute a script with write flag using *_ro command.",
                 "FCALL_RO t2 1 k x");
    expect_error(c, "ERR Function not found", "FCALL nosuch 0");
    expect_error(c, "ERR Bad number of keys provided", "FCALL t2 x");
    expect_error(c, "ERR Number of keys can't be greater than number of args", "FCALL t2 5");
    redisReply *r = cmd(c, "FUNCTION LIST LIBRARYNAME t2 WITHCODE");
    cr_assert(r->type == REDIS_REPLY_ARRAY && r->elements == 1);
    cr_assert(r->element[0]->elements == 8);
    cr_assert_str_eq(r->element[0]->element[1]->str, "t2");
    freeReplyObject(r);
    expect_status(c, "OK", "FUNCTION DELETE t2");
    expect_error(c, "ERR Library not found", "FUNCTION DELETE t2");
    expect_error(c, "NOTBUSY No scripts in execution right now.", "FUNCTION KILL");
    r = cmd(c, "INFO memory");
    cr_assert(strstr(r->str, "number_of_functions:1\r\nnumber_of_libraries:1\r\n"), "%s",
              r->str);
    freeReplyObject(r);
    expect_status(c, "OK", "FUNCTION FLUSH");
    r = cmd(c, "FUNCTION LIST");
    cr_assert(r->type == REDIS_REPLY_ARRAY && r->elements == 0);
    freeReplyObject(r);
    redisFree(c);
}

Test(script, function_list_raw)
{
    int fd = srv_raw_connect(s);
    const char *ld[] = {"FUNCTION", "LOAD",
                        "#!lua name=lib\nredis.register_function{function_name='f', "
                        "callback=function() return 1 end, flags={'no-writes'}, "
                        "description='d'}"};
    raw_expect(fd, 3, ld, "$3\r\nlib\r\n");
    const char *ls[] = {"FUNCTION", "LIST"};
    raw_expect(fd, 2, ls, "*1\r\n*6\r\n$12\r\nlibrary_name\r\n$3\r\nlib\r\n$6\r\nengine\r\n"
                          "$3\r\nLUA\r\n$9\r\nfunctions\r\n*1\r\n*6\r\n$4\r\nname\r\n$1\r\nf\r\n"
                          "$11\r\ndescription\r\n$1\r\nd\r\n$5\r\nflags\r\n*1\r\n"
                          "+no-writes\r\n");
    const char *st[] = {"FUNCTION", "STATS"};
    raw_expect(fd, 2, st, "*4\r\n$14\r\nrunning_script\r\n$-1\r\n$7\r\nengines\r\n*2\r\n"
                          "$3\r\nLUA\r\n*4\r\n$15\r\nlibraries_count\r\n:1\r\n"
                          "$15\r\nfunctions_count\r\n:1\r\n");
    const char *fl[] = {"FUNCTION", "FLUSH"};
    raw_expect(fd, 2, fl, "+OK\r\n");
    close(fd);
}

/* A busy function is killed with FUNCTION KILL; SCRIPT KILL names it. */
Test(script, busy_function_kill)
{
    redisContext *c = srv_connect(s);
    expect_status(c, "OK", "CONFIG SET busy-reply-threshold 10");
    expect_bulk(c, "test", "FUNCTION LOAD %s", LIB(" while true do end"));
    int fd = srv_raw_connect(s);
    const char *ev = "*3\r\n$5\r\nFCALL\r\n$4\r\ntest\r\n$1\r\n0\r\n";
    cr_assert(write(fd, ev, strlen(ev)) == (ssize_t)strlen(ev));
    usleep(200 * 1000);
    expect_error(c, "BUSY Redis is busy running a script. You can only call FUNCTION KILL or "
                    "SHUTDOWN NOSAVE.", "PING");
    expect_error(c, "BUSY Redis is busy running a script. You can only call FUNCTION KILL or "
                    "SHUTDOWN NOSAVE.", "SCRIPT KILL");
    expect_status(c, "OK", "FUNCTION KILL");
    char line[512];
    read_line(fd, line, sizeof(line), 2000);
    cr_assert_str_eq(line, "-ERR Script killed by user with SCRIPT KILL... script: test, on "
                           "@user_function:3.\r\n");
    expect_status(c, "PONG", "PING");
    expect_status(c, "OK", "CONFIG SET busy-reply-threshold 5000");
    expect_status(c, "OK", "FUNCTION FLUSH");
    close(fd);
    redisFree(c);
}

/* FUNCTION DUMP / RESTORE: our payload round-trips, and one written by
 * Redis 7.0.15 (its code LZF-compressed) restores. */
Test(script, function_dump_restore)
{
    static const char redis_dump[] =
        "\xf5\xc3\x40\x53\x40\x6f\x1f\x23\x21\x6c\x75\x61\x20\x6e\x61\x6d\x65\x3d\x7a\x6c\x69"
        "\x62\x0a\x72\x65\x64\x69\x73\x2e\x72\x65\x67\x69\x73\x74\x65\x72\x5f\x66\x0d\x75\x6e"
        "\x63\x74\x69\x6f\x6e\x28\x27\x7a\x66\x27\x2c\x20\xe0\x00\x0e\x14\x6b\x65\x79\x73\x2c"
        "\x20\x61\x72\x67\x73\x29\x20\x72\x65\x74\x75\x72\x6e\x20\x27\x7a\xe0\x14\x00\x05\x27"
        "\x20\x65\x6e\x64\x29\x0a\x00\xba\x9d\xc1\x8f\x83\x6b\xb7\xe8";
    redisContext *c = srv_connect(s);
    expect_status(c, "OK", "FUNCTION FLUSH");
    redisReply *r = cmd(c, "FUNCTION DUMP");
    cr_assert(r->type == REDIS_REPLY_STRING && r->len == 10 &&
              memcmp(r->str, "\x0a\x00\x5d\x9b\x5c\x40\x0f\x7f\xa2\xda", 10) == 0);
    freeReplyObject(r);
    expect_status(c, "OK", "FUNCTION RESTORE %b", redis_dump, sizeof(redis_dump) - 1);
    expect_bulk(c, "zzzzzzzzzzzzzzzzzzzzzzzzzzzzzz", "FCALL zf 0");
    expect_error(c, "ERR Library zlib already exists", "FUNCTION RESTORE %b", redis_dump,
                 sizeof(redis_dump) - 1);
    expect_status(c, "OK", "FUNCTION RESTORE %b REPLACE", redis_dump, sizeof(redis_dump) - 1);
    r = cmd(c, "FUNCTION DUMP");
    cr_assert_eq(r->type, REDIS_REPLY_STRING);
    expect_status(c, "OK", "FUNCTION FLUSH");
    expect_error(c, "ERR Function not found", "FCALL zf 0");
    expect_status(c, "OK", "FUNCTION RESTORE %b FLUSH", r->str, r->len);
    expect_bulk(c, "zzzzzzzzzzzzzzzzzzzzzzzzzzzzzz", "FCALL zf 0");
    freeReplyObject(r);
    expect_error(c, "ERR DUMP payload version or checksum are wrong", "FUNCTION RESTORE abc");
    expect_error(c, "ERR Wrong restore policy given, value should be either FLUSH, APPEND or "
                    "REPLACE.", "FUNCTION RESTORE abc x");
    expect_error(c, "ERR unknown subcommand or wrong number of arguments for 'RESTORE'. Try "
                    "FUNCTION HELP.", "FUNCTION RESTORE a b c");
    expect_status(c, "OK", "FUNCTION FLUSH");
    redisFree(c);
}
