/* test_server.c - server and connection commands: PING ECHO QUIT RESET HELLO
 * AUTH SELECT TIME LASTSAVE SHUTDOWN MONITOR FUNCTION INFO CLIENT DEBUG
 * SLOWLOG LATENCY MEMORY COMMAND, maxclients and the idle timeout, with
 * Redis 7.0.15's exact replies (RESP3 ones compared byte for byte). */
#include "harness.h"

#include <arpa/inet.h>
#include <ifaddrs.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
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

TestSuite(server, .init = setup, .fini = teardown, .timeout = 60);

/* Send raw bytes and expect exactly `want` back. */
static void raw_expect(int fd, const char *out, const char *want)
{
    char buf[8192];
    size_t n = raw_send_recv(fd, out, strlen(out), buf, strlen(want), 2000);
    buf[n] = '\0';
    cr_assert_eq(n, strlen(want), "sent %s: got %zu bytes '%s', want '%s'", out, n, buf, want);
    cr_assert(memcmp(buf, want, n) == 0, "sent %s: got '%s', want '%s'", out, buf, want);
}

/* Read until EOF (or timeout): 1 if the server closed the connection. */
static int raw_closed(int fd, int timeout_ms)
{
    char buf[256];
    long long end = now_ms() + timeout_ms;
    while (now_ms() < end) {
        struct pollfd p = {fd, POLLIN, 0};
        if (poll(&p, 1, 100) > 0) {
            ssize_t r = read(fd, buf, sizeof(buf));
            if (r <= 0)
                return 1;
        }
    }
    return 0;
}

static char *info_field(redisContext *c, const char *section, const char *field, char *out,
                        size_t cap)
{
    redisReply *r = cmd(c, "INFO %s", section);
    cr_assert_eq(r->type, REDIS_REPLY_STRING);
    char key[128];
    snprintf(key, sizeof(key), "\r\n%s:", field);
    char *p = strstr(r->str, key);
    out[0] = '\0';
    if (p) {
        p += strlen(key);
        size_t n = strcspn(p, "\r");
        snprintf(out, cap, "%.*s", (int)n, p);
    }
    freeReplyObject(r);
    return p ? out : NULL;
}

Test(server, ping_echo)
{
    redisContext *c = srv_connect(s);
    expect_status(c, "PONG", "PING");
    expect_bulk(c, "hello", "PING hello");
    expect_error(c, "ERR wrong number of arguments for 'ping' command", "PING a b");
    expect_bulk(c, "x y", "ECHO %s", "x y");
    expect_error(c, "ERR wrong number of arguments for 'echo' command", "ECHO");
    redisFree(c);
}

Test(server, ping_in_resp2_pubsub_context)
{
    int fd = srv_raw_connect(s);
    raw_expect(fd, "SUBSCRIBE ch\r\n", "*3\r\n$9\r\nsubscribe\r\n$2\r\nch\r\n:1\r\n");
    raw_expect(fd, "PING\r\n", "*2\r\n$4\r\npong\r\n$0\r\n\r\n");
    raw_expect(fd, "PING hi\r\n", "*2\r\n$4\r\npong\r\n$2\r\nhi\r\n");
    close(fd);
}

Test(server, quit_closes_after_ok)
{
    int fd = srv_raw_connect(s);
    raw_expect(fd, "QUIT\r\nPING\r\n", "+OK\r\n");
    cr_assert(raw_closed(fd, 2000));
    close(fd);
}

Test(server, hello)
{
    int fd = srv_raw_connect(s);
    char buf[1024];
    size_t n = raw_send_recv(fd, "HELLO 3\r\n", 9, buf, sizeof(buf) - 1, 500);
    buf[n] = '\0';
    /* The id differs per connection: compare around it. */
    const char *head = "%7\r\n$6\r\nserver\r\n$5\r\nredis\r\n$7\r\nversion\r\n$6\r\n7.0.15\r\n"
                       "$5\r\nproto\r\n:3\r\n$2\r\nid\r\n:";
    const char *tail = "\r\n$4\r\nmode\r\n$10\r\nstandalone\r\n$4\r\nrole\r\n$6\r\nmaster\r\n"
                       "$7\r\nmodules\r\n*0\r\n";
    cr_assert(strncmp(buf, head, strlen(head)) == 0, "HELLO 3: %s", buf);
    cr_assert(n > strlen(tail) && strcmp(buf + n - strlen(tail), tail) == 0, "HELLO 3: %s", buf);
    raw_expect(fd, "HELLO 4\r\n", "-NOPROTO unsupported protocol version\r\n");
    raw_expect(fd, "HELLO x\r\n", "-ERR Protocol version is not an integer or out of range\r\n");
    raw_expect(fd, "HELLO 3 FOO\r\n", "-ERR Syntax error in HELLO option 'FOO'\r\n");
    raw_expect(fd, "HELLO 3 SETNAME \"a b\"\r\n",
               "-ERR Client names cannot contain spaces, newlines or special characters.\r\n");
    raw_expect(fd, "HELLO 2 AUTH default x\r\n",
               "*14\r\n$6\r\nserver\r\n$5\r\nredis\r\n$7\r\nversion\r\n$6\r\n7.0.15\r\n"
               "$5\r\nproto\r\n:2\r\n$2\r\nid\r\n:");
    close(fd);
}

Test(server, auth_and_requirepass)
{
    redisContext *c = srv_connect(s);
    expect_error(c,
                 "ERR AUTH <password> called without any password configured for the default "
                 "user. Are you sure your configuration is correct?",
                 "AUTH foo");
    expect_status(c, "OK", "AUTH default anything");
    expect_error(c, "WRONGPASS invalid username-password pair or user is disabled.",
                 "AUTH bob pw");
    expect_error(c, "ERR syntax error", "AUTH a b c");
    expect_status(c, "OK", "CONFIG SET requirepass s3cret");
    redisContext *c2 = srv_connect(s);
    expect_error(c2, "NOAUTH Authentication required.", "PING");
    expect_error(c2,
                 "NOAUTH HELLO must be called with the client already authenticated, otherwise "
                 "the HELLO AUTH <user> <pass> option can be used to authenticate the client "
                 "and select the RESP protocol version at the same time",
                 "HELLO 2");
    expect_error(c2, "WRONGPASS invalid username-password pair or user is disabled.", "AUTH nope");
    expect_status(c2, "OK", "AUTH s3cret");
    expect_status(c2, "PONG", "PING");
    expect_status(c2, "RESET", "RESET");
    expect_error(c2, "NOAUTH Authentication required.", "PING");
    expect_status(c2, "OK", "AUTH default s3cret");
    expect_status(c2, "OK", "CONFIG SET requirepass ''");
    redisFree(c2);
    redisFree(c);
}

Test(server, select_time_lastsave)
{
    redisContext *c = srv_connect(s);
    expect_status(c, "OK", "SELECT 15");
    expect_error(c, "ERR DB index is out of range", "SELECT 16");
    expect_error(c, "ERR DB index is out of range", "SELECT -1");
    expect_error(c, "ERR value is not an integer or out of range", "SELECT x");
    redisReply *r = cmd(c, "TIME");
    cr_assert_eq(r->type, REDIS_REPLY_ARRAY);
    cr_assert_eq(r->elements, 2);
    cr_assert(atoll(r->element[0]->str) > 1600000000);
    freeReplyObject(r);
    r = cmd(c, "LASTSAVE");
    cr_assert_eq(r->type, REDIS_REPLY_INTEGER);
    cr_assert(r->integer > 1600000000);
    freeReplyObject(r);
    redisFree(c);
}

Test(server, reset_clears_connection_state)
{
    int fd = srv_raw_connect(s);
    raw_expect(fd, "CLIENT SETNAME n1\r\nSELECT 3\r\nMULTI\r\n", "+OK\r\n+OK\r\n+OK\r\n");
    raw_expect(fd, "RESET\r\n", "+RESET\r\n");
    raw_expect(fd, "CLIENT GETNAME\r\n", "$-1\r\n");
    raw_expect(fd, "EXEC\r\n", "-ERR EXEC without MULTI\r\n");
    raw_expect(fd, "HELLO 3\r\n", "%7\r\n");
    char buf[512];
    raw_send_recv(fd, "", 0, buf, sizeof(buf), 200); /* rest of the HELLO map */
    raw_expect(fd, "RESET\r\nCLIENT INFO\r\n", "+RESET\r\n");
    size_t n = raw_send_recv(fd, "", 0, buf, sizeof(buf) - 1, 300);
    buf[n] = '\0';
    cr_assert(strstr(buf, " db=0 ") && strstr(buf, " resp=2") && strstr(buf, " name= "), "%s",
              buf);
    close(fd);
}

Test(server, shutdown_arguments)
{
    redisContext *c = srv_connect(s);
    expect_error(c, "ERR No shutdown in progress.", "SHUTDOWN ABORT");
    expect_error(c, "ERR syntax error", "SHUTDOWN ABORT NOW");
    expect_error(c, "ERR syntax error", "SHUTDOWN SAVE NOSAVE");
    expect_error(c, "ERR syntax error", "SHUTDOWN MAYBE");
    redisFree(c);
}

Test(server, shutdown_nosave_exits)
{
    srv_handle *t = srv_start(NULL);
    redisContext *c = srv_connect(t);
    redisReply *r = redisCommand(c, "SHUTDOWN NOSAVE");
    cr_assert(r == NULL, "SHUTDOWN should close the connection without a reply");
    int status = 0, exited = 0;
    for (int i = 0; i < 200 && !exited; i++) {
        exited = waitpid(t->pid, &status, WNOHANG) == t->pid;
        usleep(10000);
    }
    cr_assert(exited && WIFEXITED(status) && WEXITSTATUS(status) == 0);
    t->pid = 0;
    redisFree(c);
    srv_stop(t);
}

Test(server, monitor_feed_after_execution_and_redacted)
{
    redisContext *m = srv_connect(s);
    redisContext *c = srv_connect(s);
    expect_status(m, "OK", "monitor");
    expect_status(c, "OK", "multi");
    expect_status(c, "QUEUED", "ping x");
    redisReply *r = cmd(c, "exec");
    freeReplyObject(r);
    freeReplyObject(cmd(c, "auth default secret"));
    freeReplyObject(cmd(c, "client list")); /* admin: not shown */
    const char *want[] = {"\"multi\"", "\"ping\" \"x\"", "\"exec\"",
                          "\"auth\" \"(redacted)\" \"(redacted)\""};
    for (int i = 0; i < 4; i++) {
        void *rp;
        cr_assert_eq(redisGetReply(m, &rp), REDIS_OK);
        r = rp;
        cr_assert_eq(r->type, REDIS_REPLY_STATUS);
        cr_assert(strstr(r->str, want[i]), "monitor line %d: %s", i, r->str);
        freeReplyObject(r);
    }
    redisFree(c);
    redisFree(m);
}

Test(server, function_without_engine)
{
    redisContext *c = srv_connect(s);
    expect_status(c, "OK", "FUNCTION FLUSH");
    expect_status(c, "OK", "FUNCTION FLUSH ASYNC");
    expect_error(c, "ERR FUNCTION FLUSH only supports SYNC|ASYNC option", "FUNCTION FLUSH X");
    redisReply *r = cmd(c, "FUNCTION LIST");
    cr_assert_eq(r->type, REDIS_REPLY_ARRAY);
    cr_assert_eq(r->elements, 0);
    freeReplyObject(r);
    expect_error(c, "ERR Missing library metadata", "FUNCTION LOAD abc");
    expect_error(c, "ERR Library not found", "FUNCTION DELETE x");
    expect_error(c, "NOTBUSY No scripts in execution right now.", "FUNCTION KILL");
    redisFree(c);
}

Test(server, info_sections)
{
    redisContext *c = srv_connect(s);
    char v[256];
    cr_assert_str_eq(info_field(c, "server", "redis_version", v, sizeof(v)), "7.0.15");
    cr_assert_str_eq(info_field(c, "server", "redis_mode", v, sizeof(v)), "standalone");
    cr_assert_str_eq(info_field(c, "replication", "role", v, sizeof(v)), "master");
    cr_assert_str_eq(info_field(c, "persistence", "loading", v, sizeof(v)), "0");
    cr_assert_str_eq(info_field(c, "persistence", "aof_last_write_status", v, sizeof(v)), "ok");
    cr_assert_str_eq(info_field(c, "clients", "maxclients", v, sizeof(v)), "10000");
    /* jemalloc in the normal build; the sanitizer build uses libc malloc. */
    info_field(c, "memory", "mem_allocator", v, sizeof(v));
    cr_assert(strncmp(v, "jemalloc-", 9) == 0 || strcmp(v, "libc") == 0, "mem_allocator=%s", v);
    cr_assert_not_null(info_field(c, "cpu", "used_cpu_user", v, sizeof(v)));
    cr_assert_null(info_field(c, "default", "cmdstat_ping", v, sizeof(v)));
    freeReplyObject(cmd(c, "PING"));
    freeReplyObject(cmd(c, "NOSUCHCMD"));
    cr_assert(strncmp(info_field(c, "commandstats", "cmdstat_ping", v, sizeof(v)), "calls=", 6) ==
              0);
    cr_assert_str_eq(info_field(c, "errorstats", "errorstat_ERR", v, sizeof(v)), "count=1");
    freeReplyObject(cmd(c, "SET k v"));
    cr_assert_str_eq(info_field(c, "keyspace", "db0", v, sizeof(v)), "keys=1,expires=0,avg_ttl=0");
    redisReply *r = cmd(c, "INFO nosuchsection");
    cr_assert_eq(r->type, REDIS_REPLY_STRING);
    cr_assert_eq(r->len, 0);
    freeReplyObject(r);
    r = cmd(c, "INFO");
    cr_assert(strncmp(r->str, "# Server\r\n", 10) == 0);
    cr_assert(strstr(r->str, "\r\n\r\n# Keyspace\r\n"));
    cr_assert_null(strstr(r->str, "# Commandstats"));
    freeReplyObject(r);
    r = cmd(c, "INFO everything");
    cr_assert(strstr(r->str, "# Commandstats\r\n") && strstr(r->str, "# Latencystats\r\n"));
    freeReplyObject(r);
    redisFree(c);
}

Test(server, client_basics)
{
    redisContext *c = srv_connect(s);
    redisReply *r = cmd(c, "CLIENT ID");
    cr_assert_eq(r->type, REDIS_REPLY_INTEGER);
    long long id = r->integer;
    freeReplyObject(r);
    expect_nil(c, "CLIENT GETNAME");
    expect_error(c, "ERR Client names cannot contain spaces, newlines or special characters.",
                 "CLIENT SETNAME %s", "a b");
    expect_status(c, "OK", "CLIENT SETNAME myname");
    expect_bulk(c, "myname", "CLIENT GETNAME");
    r = cmd(c, "CLIENT LIST ID %lld", id);
    char pre[64];
    snprintf(pre, sizeof(pre), "id=%lld addr=127.0.0.1:", id);
    cr_assert(strncmp(r->str, pre, strlen(pre)) == 0, "%s", r->str);
    cr_assert(strstr(r->str, " name=myname age=") &&
                  strstr(r->str, " flags=N db=0 sub=0 psub=0 "
                                 "ssub=0 multi=-1 qbuf=") &&
                  strstr(r->str, " cmd=client|list user=default redir=-1 resp=2\n"),
              "%s", r->str);
    freeReplyObject(r);
    expect_error(c, "ERR Unknown client type 'foo'", "CLIENT LIST TYPE foo");
    expect_error(c, "ERR syntax error", "CLIENT LIST foo");
    expect_error(c, "ERR Invalid client ID", "CLIENT LIST ID x");
    expect_error(c, "ERR wrong number of arguments for 'client|kill' command", "CLIENT KILL");
    expect_error(c, "ERR syntax error", "CLIENT KILL ID 10 wrong");
    expect_error(c, "ERR client-id should be greater than 0", "CLIENT KILL ID 0");
    expect_error(c, "ERR Unknown client type 'x'", "CLIENT KILL TYPE x");
    expect_error(c, "ERR No such user 'bob'", "CLIENT KILL USER bob");
    expect_error(c, "ERR syntax error", "CLIENT KILL SKIPME maybe");
    expect_error(c, "ERR No such client", "CLIENT KILL 1.2.3.4:5");
    expect_int(c, 0, "CLIENT UNBLOCK %lld", id);
    expect_error(c, "ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR",
                 "CLIENT UNBLOCK %lld FOO", id);
    expect_status(c, "OK", "CLIENT NO-EVICT on");
    expect_status(c, "OK", "CLIENT TRACKING off");
    expect_error_prefix(c, "ERR client-side caching", "CLIENT TRACKING on");
    expect_int(c, -1, "CLIENT GETREDIR");
    expect_error(c, "ERR unknown subcommand 'FOO'. Try CLIENT HELP.", "CLIENT FOO");
    redisFree(c);
}

Test(server, client_kill_filters)
{
    redisContext *a = srv_connect(s), *b = srv_connect(s), *me = srv_connect(s);
    redisReply *r = cmd(b, "CLIENT ID");
    long long bid = r->integer;
    freeReplyObject(r);
    expect_int(me, 1, "CLIENT KILL ID %lld", bid);
    cr_assert_null(redisCommand(b, "PING"));
    expect_int(me, 1, "CLIENT KILL SKIPME yes");
    cr_assert_null(redisCommand(a, "PING"));
    expect_int(me, 1, "CLIENT KILL SKIPME no");
    cr_assert_null(redisCommand(me, "PING"));
    redisFree(a);
    redisFree(b);
    redisFree(me);
}

Test(server, client_reply_off_and_skip)
{
    int fd = srv_raw_connect(s);
    raw_expect(fd, "CLIENT REPLY OFF\r\nPING\r\nCLIENT REPLY ON\r\n", "+OK\r\n");
    raw_expect(fd, "CLIENT REPLY SKIP\r\nPING a\r\nPING b\r\n", "$1\r\nb\r\n");
    raw_expect(fd, "CLIENT REPLY FOO\r\n", "-ERR syntax error\r\n");
    close(fd);
}

Test(server, client_pause_write_and_all)
{
    redisContext *c = srv_connect(s), *w = srv_connect(s);
    expect_status(c, "OK", "CLIENT PAUSE 300 WRITE");
    long long t0 = now_ms();
    expect_status(w, "PONG", "PING"); /* reads go on */
    cr_assert(now_ms() - t0 < 200, "a read waited during a WRITE pause");
    expect_status(w, "OK", "SET pk v"); /* waits for the pause to end */
    cr_assert(now_ms() - t0 >= 250, "a write ran during a WRITE pause");
    expect_status(c, "OK", "CLIENT PAUSE 300 ALL");
    t0 = now_ms();
    expect_status(w, "PONG", "PING");
    cr_assert(now_ms() - t0 >= 250, "a read ran during an ALL pause");
    /* UNPAUSE (not a write) lets the postponed writes run at once. */
    expect_status(c, "OK", "CLIENT PAUSE 10000 WRITE");
    t0 = now_ms();
    cr_assert_eq(redisAppendCommand(w, "SET pk v2"), REDIS_OK);
    void *rp = NULL;
    redisBufferWrite(w, &(int){0});
    usleep(100000);
    expect_status(c, "OK", "CLIENT UNPAUSE");
    cr_assert_eq(redisGetReply(w, &rp), REDIS_OK);
    cr_assert_str_eq(((redisReply *)rp)->str, "OK");
    freeReplyObject(rp);
    cr_assert(now_ms() - t0 < 2000);
    expect_bulk(c, "v2", "GET pk");
    expect_error(c, "ERR CLIENT PAUSE mode must be WRITE or ALL", "CLIENT PAUSE 10 FOO");
    expect_error(c, "ERR timeout is negative", "CLIENT PAUSE -1");
    expect_error(c, "ERR timeout is not an integer or out of range", "CLIENT PAUSE x");
    redisFree(c);
    redisFree(w);
}

Test(server, debug)
{
    int fd = srv_raw_connect(s);
    raw_expect(fd, "DEBUG LOG hello\r\n", "+OK\r\n");
    raw_expect(fd, "DEBUG SLEEP 0\r\n", "+OK\r\n");
    raw_expect(fd, "DEBUG SET-ACTIVE-EXPIRE 1\r\n", "+OK\r\n");
    raw_expect(fd, "DEBUG QUICKLIST-PACKED-THRESHOLD 1K\r\n", "+OK\r\n");
    raw_expect(fd, "DEBUG QUICKLIST-PACKED-THRESHOLD 5gb\r\n",
               "-ERR argument must be a memory value bigger than 1 and smaller than 4gb\r\n");
    raw_expect(fd, "DEBUG QUICKLIST-PACKED-THRESHOLD 0\r\n", "+OK\r\n");
    raw_expect(fd, "DEBUG PROTOCOL attrib\r\n",
               "$39\r\nSome real reply following the attribute\r\n");
    raw_expect(fd, "DEBUG PROTOCOL push\r\n", "-ERR RESP2 is not supported by this command\r\n");
    raw_expect(fd, "DEBUG NOSUCH\r\n",
               "-ERR unknown subcommand or wrong number of arguments for "
               "'NOSUCH'. Try DEBUG HELP.\r\n");
    raw_expect(fd, "DEBUG OBJECT nokey\r\n", "-ERR no such key\r\n");
    raw_expect(fd, "DEBUG POPULATE 3 pk\r\nDBSIZE\r\n", "+OK\r\n:3\r\n");
    raw_expect(fd, "GET pk:2\r\n", "$7\r\nvalue:2\r\n");
    raw_expect(fd, "DEBUG ERROR oops\r\n", "-oops\r\n");
    raw_expect(fd, "DEBUG CHANGE-REPL-ID\r\n", "+OK\r\n");
    close(fd);
}

Test(server, slowlog)
{
    redisContext *c = srv_connect(s);
    expect_status(c, "OK", "SLOWLOG RESET");
    expect_status(c, "OK", "CONFIG SET slowlog-log-slower-than 0");
    expect_status(c, "OK", "CLIENT SETNAME slowpoke");
    expect_bulk(c, "abc", "ECHO abc");
    redisReply *r = cmd(c, "SLOWLOG GET 1");
    cr_assert_eq(r->type, REDIS_REPLY_ARRAY);
    cr_assert_eq(r->elements, 1);
    redisReply *e = r->element[0];
    cr_assert_eq(e->elements, 6);
    cr_assert_eq(e->element[3]->elements, 2);
    cr_assert_str_eq(e->element[3]->element[0]->str, "ECHO");
    cr_assert_str_eq(e->element[3]->element[1]->str, "abc");
    cr_assert(strncmp(e->element[4]->str, "127.0.0.1:", 10) == 0);
    cr_assert_str_eq(e->element[5]->str, "slowpoke");
    freeReplyObject(r);
    expect_status(c, "OK", "CONFIG SET slowlog-log-slower-than 10000");
    r = cmd(c, "SLOWLOG LEN");
    cr_assert(r->integer >= 2);
    freeReplyObject(r);
    expect_error(c, "ERR count should be greater than or equal to -1", "SLOWLOG GET -2");
    expect_status(c, "OK", "SLOWLOG RESET");
    expect_int(c, 0, "SLOWLOG LEN");
    redisFree(c);
}

Test(server, latency_and_memory)
{
    int fd = srv_raw_connect(s);
    raw_expect(fd, "LATENCY LATEST\r\n", "*0\r\n");
    raw_expect(fd, "LATENCY HISTORY command\r\n", "*0\r\n");
    raw_expect(fd, "LATENCY RESET\r\n", ":0\r\n");
    raw_expect(fd, "LATENCY GRAPH command\r\n",
               "-ERR No samples available for event 'command'\r\n");
    raw_expect(fd, "MEMORY USAGE nokey\r\n", "$-1\r\n");
    raw_expect(fd, "SET mk 12345\r\n", "+OK\r\n");
    raw_expect(fd, "MEMORY USAGE mk SAMPLES\r\n", "-ERR syntax error\r\n");
    raw_expect(fd, "MEMORY FOO\r\n", "-ERR unknown subcommand 'FOO'. Try MEMORY HELP.\r\n");
    raw_expect(fd, "MEMORY PURGE\r\n", "+OK\r\n");
    close(fd);
    redisContext *c = srv_connect(s);
    redisReply *r = cmd(c, "MEMORY USAGE mk");
    cr_assert_eq(r->type, REDIS_REPLY_INTEGER);
    cr_assert(r->integer > 0);
    freeReplyObject(r);
    r = cmd(c, "MEMORY STATS");
    cr_assert_eq(r->type, REDIS_REPLY_ARRAY);
    cr_assert_str_eq(r->element[0]->str, "peak.allocated");
    freeReplyObject(r);
    r = cmd(c, "LATENCY DOCTOR");
    cr_assert(strncmp(r->str, "I'm sorry, Dave, I can't do that.", 33) == 0);
    freeReplyObject(r);
    redisFree(c);
}

Test(server, command_introspection)
{
    int fd = srv_raw_connect(s);
    raw_expect(fd, "COMMAND INFO get\r\n",
               "*1\r\n*10\r\n$3\r\nget\r\n:2\r\n*2\r\n+readonly\r\n+fast\r\n:1\r\n:1\r\n:1\r\n"
               "*3\r\n+@read\r\n+@string\r\n+@fast\r\n*0\r\n*1\r\n*6\r\n$5\r\nflags\r\n*2\r\n"
               "+RO\r\n+access\r\n$12\r\nbegin_search\r\n*4\r\n$4\r\ntype\r\n$5\r\nindex\r\n"
               "$4\r\nspec\r\n*2\r\n$5\r\nindex\r\n:1\r\n$9\r\nfind_keys\r\n*4\r\n$4\r\ntype\r\n"
               "$5\r\nrange\r\n$4\r\nspec\r\n*6\r\n$7\r\nlastkey\r\n:0\r\n$7\r\nkeystep\r\n:1\r\n"
               "$5\r\nlimit\r\n:0\r\n*0\r\n");
    raw_expect(fd, "COMMAND INFO nosuch\r\n", "*1\r\n$-1\r\n");
    raw_expect(fd, "COMMAND GETKEYS MSET a 1 b 2\r\n", "*2\r\n$1\r\na\r\n$1\r\nb\r\n");
    raw_expect(fd, "COMMAND GETKEYS NOSUCH x\r\n", "-ERR Invalid command specified\r\n");
    raw_expect(fd, "COMMAND GETKEYS GET\r\n",
               "-ERR wrong number of arguments for 'command|getkeys' command\r\n");
    raw_expect(fd, "COMMAND GETKEYS ECHO x\r\n", "-ERR The command has no key arguments\r\n");
    raw_expect(fd, "COMMAND GETKEYS GET a b\r\n",
               "-ERR Invalid number of arguments specified for command\r\n");
    raw_expect(fd, "COMMAND GETKEYSANDFLAGS SET k v\r\n",
               "*1\r\n*2\r\n$1\r\nk\r\n*2\r\n+OW\r\n+update\r\n");
    raw_expect(fd, "COMMAND GETKEYSANDFLAGS SET k v GET\r\n",
               "*1\r\n*2\r\n$1\r\nk\r\n*3\r\n+RW\r\n+access\r\n+update\r\n");
    raw_expect(fd, "COMMAND LIST FILTERBY PATTERN client|ge*\r\n",
               "*2\r\n$14\r\nclient|getname\r\n$15\r\nclient|getredir\r\n");
    raw_expect(fd, "COMMAND LIST FILTERBY FOO x\r\n", "-ERR syntax error\r\n");
    close(fd);
    redisContext *c = srv_connect(s);
    redisReply *r = cmd(c, "COMMAND COUNT");
    cr_assert(r->integer > 50);
    long long count = r->integer;
    freeReplyObject(r);
    r = cmd(c, "COMMAND");
    cr_assert_eq((long long)r->elements, count);
    freeReplyObject(r);
    /* redis-cli's hints come from COMMAND DOCS arguments. */
    r = cmd(c, "COMMAND DOCS set");
    cr_assert_eq(r->elements, 2);
    cr_assert_str_eq(r->element[0]->str, "set");
    redisReply *d = r->element[1];
    int found = 0;
    for (size_t i = 0; i + 1 < d->elements; i += 2)
        if (!strcmp(d->element[i]->str, "arguments"))
            found = d->element[i + 1]->elements == 5;
    cr_assert(found, "COMMAND DOCS set: 5 arguments");
    freeReplyObject(r);
    redisFree(c);
}

Test(server, maxclients)
{
    redisContext *c = srv_connect(s);
    redisReply *r = cmd(c, "INFO clients");
    freeReplyObject(r);
    expect_status(c, "OK", "CONFIG SET maxclients 2");
    redisContext *c2 = srv_connect(s);
    expect_status(c2, "PONG", "PING");
    int fd = srv_raw_connect(s);
    char buf[128];
    size_t n = raw_send_recv(fd, "", 0, buf, sizeof(buf) - 1, 1000);
    buf[n] = '\0';
    cr_assert_str_eq(buf, "-ERR max number of clients reached\r\n");
    close(fd);
    redisFree(c2);
    expect_status(c, "OK", "CONFIG SET maxclients 10000");
    char v[64];
    cr_assert(atoi(info_field(c, "stats", "rejected_connections", v, sizeof(v))) >= 1);
    redisFree(c);
}

/* A non-loopback IPv4 address of this host, or 0. */
static in_addr_t external_addr(void)
{
    struct ifaddrs *ifs, *i;
    in_addr_t found = 0;
    if (getifaddrs(&ifs) != 0)
        return 0;
    for (i = ifs; i && !found; i = i->ifa_next) {
        if (!i->ifa_addr || i->ifa_addr->sa_family != AF_INET)
            continue;
        in_addr_t a = ((struct sockaddr_in *)i->ifa_addr)->sin_addr.s_addr;
        if ((ntohl(a) >> 24) != 127)
            found = a;
    }
    freeifaddrs(ifs);
    return found;
}

Test(server, protected_mode)
{
    static const char head[] = "-DENIED Redis is running in protected mode because protected "
                               "mode is enabled and no password is set for the default user.";
    static const char tail[] = "the server to start accepting connections from the outside.\r\n";
    in_addr_t ext = external_addr();
    if (!ext)
        cr_skip_test("no non-loopback address to connect from");
    /* cr_expect (not cr_assert) so the server is always stopped. */
    srv_handle *t = srv_start("--bind 0.0.0.0");
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)t->port)};
    sa.sin_addr.s_addr = ext;
    cr_expect_eq(connect(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
    char buf[4096];
    size_t n = raw_send_recv(fd, "PING\r\n", 6, buf, sizeof(buf) - 1, 1000);
    buf[n] = '\0';
    cr_expect(strncmp(buf, head, sizeof(head) - 1) == 0, "%s", buf);
    cr_expect(n > sizeof(tail) && strcmp(buf + n - (sizeof(tail) - 1), tail) == 0, "%s", buf);
    close(fd);
    redisContext *c = srv_connect(t);
    redisReply *r = cmd(c, "CONFIG SET protected-mode no");
    freeReplyObject(r);
    fd = socket(AF_INET, SOCK_STREAM, 0);
    cr_expect_eq(connect(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
    n = raw_send_recv(fd, "PING\r\n", 6, buf, 7, 1000);
    cr_expect(n == 7 && memcmp(buf, "+PONG\r\n", 7) == 0);
    close(fd);
    redisFree(c);
    srv_stop(t);
}

Test(server, idle_timeout)
{
    redisContext *c = srv_connect(s);
    expect_status(c, "OK", "CONFIG SET timeout 1");
    int fd = srv_raw_connect(s);
    raw_expect(fd, "PING\r\n", "+PONG\r\n");
    cr_assert(raw_closed(fd, 4000), "idle client not closed by timeout");
    close(fd);
    redisFree(c); /* idle too: closed as well */
    c = srv_connect(s);
    expect_status(c, "OK", "CONFIG SET timeout 0");
    redisFree(c);
}
