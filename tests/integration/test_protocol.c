/* test_protocol.c - the wire protocol under stress and abuse: pipelining,
 * requests split at every byte, inline commands with quotes, Redis 7.0.15's
 * exact protocol errors (only the offending client is closed), the
 * unauthenticated limits, 1000 concurrent clients, RESP3 encodings byte for
 * byte, proto-max-bulk-len and client-query-buffer-limit. */
#include "harness.h"

#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

TestSuite(protocol, .init = setup, .fini = teardown, .timeout = 120);

static void send_all(int fd, const char *p, size_t n)
{
    while (n) {
        ssize_t w = write(fd, p, n);
        cr_assert(w > 0, "write failed");
        p += w;
        n -= (size_t)w;
    }
}

/* Read exactly n bytes (or fail after timeout). */
static void read_n(int fd, char *buf, size_t n, int timeout_ms)
{
    size_t got = 0;
    long long end = now_ms() + timeout_ms;
    while (got < n) {
        struct pollfd p = {fd, POLLIN, 0};
        long long left = end - now_ms();
        cr_assert(left > 0 && poll(&p, 1, (int)left) > 0, "timeout after %zu of %zu bytes", got,
                  n);
        ssize_t r = read(fd, buf + got, n - got);
        cr_assert(r > 0, "connection closed after %zu of %zu bytes", got, n);
        got += (size_t)r;
    }
}

static void raw_expect(int fd, const char *out, size_t outlen, const char *want)
{
    char buf[8192];
    size_t n = strlen(want);
    if (outlen)
        send_all(fd, out, outlen);
    read_n(fd, buf, n, 3000);
    buf[n] = '\0';
    cr_assert(memcmp(buf, want, n) == 0, "got '%s', want '%s'", buf, want);
}

#define EXPECT(fd, out, want) raw_expect(fd, out, strlen(out), want)

/* 1 if the server closes the connection within timeout_ms (data is drained). */
static int closed_by_server(int fd, int timeout_ms)
{
    char buf[4096];
    long long end = now_ms() + timeout_ms;
    while (now_ms() < end) {
        struct pollfd p = {fd, POLLIN, 0};
        if (poll(&p, 1, 50) > 0) {
            ssize_t r = read(fd, buf, sizeof(buf));
            if (r <= 0)
                return 1;
        }
    }
    return 0;
}

/* Send a bad request: expect exactly `err` then the close; others live on.
 * BAD() takes a string literal (its length counts the bytes to send). */
static void expect_protocol_error(const char *req, size_t len, const char *err)
{
    int fd = srv_raw_connect(s), other = srv_raw_connect(s);
    raw_expect(fd, req, len, err);
    cr_assert(closed_by_server(fd, 2000), "client not closed after: %s", err);
    EXPECT(other, "QUIT\r\n", "+OK\r\n"); /* still served (QUIT needs no AUTH) */
    close(fd);
    close(other);
}

#define BAD(req, err) expect_protocol_error(req, sizeof(req) - 1, err)

Test(protocol, pipeline_10k_in_one_write)
{
    int fd = srv_raw_connect(s);
    size_t n = 10000, one = strlen("*1\r\n$4\r\nPING\r\n");
    char *req = malloc(n * one), *rep = malloc(n * 7 + 1);
    for (size_t i = 0; i < n; i++)
        memcpy(req + i * one, "*1\r\n$4\r\nPING\r\n", one);
    send_all(fd, req, n * one);
    read_n(fd, rep, n * 7, 10000);
    for (size_t i = 0; i < n; i++)
        cr_assert(memcmp(rep + i * 7, "+PONG\r\n", 7) == 0, "reply %zu", i);
    free(req);
    free(rep);
    close(fd);
}

Test(protocol, request_split_at_every_byte)
{
    int fd = srv_raw_connect(s);
    const char *req = "*3\r\n$3\r\nSET\r\n$3\r\nk:1\r\n$5\r\nhello\r\n"
                      "ECHO \"a b\"\r\n"
                      "*2\r\n$3\r\nGET\r\n$3\r\nk:1\r\n"
                      "*1\r\n$4\r\nPING\r\n";
    const char *want = "+OK\r\n$3\r\na b\r\n$5\r\nhello\r\n+PONG\r\n";
    for (size_t i = 0; req[i]; i++) {
        send_all(fd, req + i, 1);
        usleep(200);
    }
    char buf[128];
    read_n(fd, buf, strlen(want), 3000);
    cr_assert(memcmp(buf, want, strlen(want)) == 0);
    close(fd);
}

Test(protocol, inline_commands_and_quotes)
{
    int fd = srv_raw_connect(s);
    EXPECT(fd, "PING\r\n", "+PONG\r\n");
    EXPECT(fd, "PING\n", "+PONG\r\n");
    EXPECT(fd, "\r\n\r\nPING\r\n", "+PONG\r\n"); /* empty lines are skipped */
    EXPECT(fd, "ECHO \"hello\\x41 \\\"world\\\"\\n\"\r\n", "$15\r\nhelloA \"world\"\n\r\n");
    EXPECT(fd, "ECHO 'it''s'\r\n", "-ERR Protocol error: unbalanced quotes in request\r\n");
    close(fd);
    fd = srv_raw_connect(s);
    EXPECT(fd, "ECHO 'single \\' quote'\r\n", "$14\r\nsingle ' quote\r\n");
    EXPECT(fd, "   ECHO    spaced   \r\n", "$6\r\nspaced\r\n");
    EXPECT(fd, "*0\r\n*-1\r\nPING\r\n", "+PONG\r\n");
    close(fd);
}

Test(protocol, exact_protocol_errors)
{
    BAD("*3000000000\r\n", "-ERR Protocol error: invalid multibulk length\r\n");
    BAD("*abc\r\n", "-ERR Protocol error: invalid multibulk length\r\n");
    BAD("*3\r\n$3\r\nSET\r\n$1\r\nx\r\nfooz\r\n",
        "-ERR Protocol error: expected '$', got 'f'\r\n");
    BAD("*3\r\n$3\r\nSET\r\n$1\r\nx\r\n$-10\r\n", "-ERR Protocol error: invalid bulk length\r\n");
    BAD("*3\r\n$3\r\nSET\r\n$1\r\nx\r\n$2000000000\r\n",
        "-ERR Protocol error: invalid bulk length\r\n");
    BAD("*3\r\n$3\r\nSET\r\n$1\r\nx\r\n$blabla\r\n",
        "-ERR Protocol error: invalid bulk length\r\n");
    BAD("*1\r\nfoo\r\n", "-ERR Protocol error: expected '$', got 'f'\r\n");
    BAD("set \"\"\"test-key\"\"\" test-value\r\nping\r\n",
        "-ERR Protocol error: unbalanced quotes in request\r\n");
    size_t big = 70 * 1024;
    char *line = malloc(big);
    memset(line, 'a', big);
    expect_protocol_error(line, big, "-ERR Protocol error: too big inline request\r\n");
    line[0] = '*';
    expect_protocol_error(line, big, "-ERR Protocol error: too big mbulk count string\r\n");
    memcpy(line, "*1\r\n$", 5);
    expect_protocol_error(line, big, "-ERR Protocol error: too big bulk count string\r\n");
    free(line);
}

Test(protocol, negative_and_empty_multibulk_are_ignored)
{
    int fd = srv_raw_connect(s);
    EXPECT(fd, "*-10\r\n", "");
    EXPECT(fd, "PING\r\n", "+PONG\r\n");
    close(fd);
}

Test(protocol, unauthenticated_limits)
{
    redisContext *c = srv_connect(s);
    expect_status(c, "OK", "CONFIG SET requirepass pw");
    BAD("*20\r\n", "-ERR Protocol error: unauthenticated multibulk length\r\n");
    BAD("*1\r\n$20000\r\n", "-ERR Protocol error: unauthenticated bulk length\r\n");
    int fd = srv_raw_connect(s);
    EXPECT(fd, "*1\r\n$4\r\nPING\r\n", "-NOAUTH Authentication required.\r\n");
    EXPECT(fd, "AUTH pw\r\n", "+OK\r\n");
    EXPECT(fd, "*20\r\n", ""); /* fine once authenticated */
    close(fd);
    expect_status(c, "OK", "AUTH pw");
    expect_status(c, "OK", "CONFIG SET requirepass ''");
    redisFree(c);
}

Test(protocol, thousand_concurrent_clients)
{
    enum { N = 1000 };
    static int fds[N];
    for (int i = 0; i < N; i++)
        fds[i] = srv_raw_connect(s);
    for (int i = 0; i < N; i++)
        send_all(fds[i], "*2\r\n$4\r\nECHO\r\n$3\r\nabc\r\n", 23);
    for (int i = 0; i < N; i++) {
        char buf[16];
        struct pollfd p = {fds[i], POLLIN, 0};
        cr_assert(poll(&p, 1, 5000) == 1, "client %d got no reply", i);
        read_n(fds[i], buf, 9, 5000);
        cr_assert(memcmp(buf, "$3\r\nabc\r\n", 9) == 0, "client %d", i);
    }
    redisContext *c = srv_connect(s);
    redisReply *r = cmd(c, "INFO clients");
    cr_assert(strstr(r->str, "connected_clients:1001\r\n"), "%s", r->str);
    freeReplyObject(r);
    redisFree(c);
    for (int i = 0; i < N; i++)
        close(fds[i]);
}

Test(protocol, resp3_encodings)
{
    int fd = srv_raw_connect(s);
    char buf[1024];
    send_all(fd, "HELLO 3\r\n", 9);
    read_n(fd, buf, 4, 2000);
    cr_assert(memcmp(buf, "%7\r\n", 4) == 0);
    raw_send_recv(fd, "", 0, buf, sizeof(buf), 200); /* rest of HELLO */
    EXPECT(fd, "DEBUG PROTOCOL map\r\n", "%3\r\n:0\r\n#f\r\n:1\r\n#t\r\n:2\r\n#f\r\n");
    EXPECT(fd, "DEBUG PROTOCOL set\r\n", "~3\r\n:0\r\n:1\r\n:2\r\n");
    EXPECT(fd, "DEBUG PROTOCOL null\r\n", "_\r\n");
    EXPECT(fd, "DEBUG PROTOCOL double\r\n", ",3.141\r\n");
    EXPECT(fd, "DEBUG PROTOCOL bignum\r\n", "(1234567999999999999999999999999999999\r\n");
    EXPECT(fd, "DEBUG PROTOCOL true\r\n", "#t\r\n");
    EXPECT(fd, "DEBUG PROTOCOL verbatim\r\n", "=29\r\ntxt:This is a verbatim\nstring\r\n");
    EXPECT(fd, "DEBUG PROTOCOL attrib\r\n",
           "|1\r\n$14\r\nkey-popularity\r\n*2\r\n$7\r\nkey:123\r\n:90\r\n"
           "$39\r\nSome real reply following the attribute\r\n");
    EXPECT(fd, "DEBUG PROTOCOL push\r\n",
           ">2\r\n$16\r\nserver-cpu-usage\r\n:42\r\n"
           "$40\r\nSome real reply following the push reply\r\n");
    EXPECT(fd, "CLIENT GETNAME\r\n", "_\r\n");
    EXPECT(fd, "COMMAND INFO nosuch\r\n", "*1\r\n_\r\n");
    EXPECT(fd, "CONFIG GET maxmemory\r\n", "%1\r\n$9\r\nmaxmemory\r\n$1\r\n0\r\n");
    /* Back to RESP2. */
    EXPECT(fd, "HELLO 2\r\n", "*14\r\n");
    raw_send_recv(fd, "", 0, buf, sizeof(buf), 200);
    EXPECT(fd, "DEBUG PROTOCOL map\r\n", "*6\r\n:0\r\n:0\r\n:1\r\n:1\r\n:2\r\n:0\r\n");
    EXPECT(fd, "DEBUG PROTOCOL double\r\n", "$5\r\n3.141\r\n");
    EXPECT(fd, "DEBUG PROTOCOL null\r\n", "$-1\r\n");
    close(fd);
}

Test(protocol, proto_max_bulk_len)
{
    redisContext *c = srv_connect(s);
    expect_status(c, "OK", "CONFIG SET proto-max-bulk-len 1mb");
    BAD("*2\r\n$4\r\nECHO\r\n$1048577\r\n", "-ERR Protocol error: invalid bulk length\r\n");
    /* Exactly the limit is fine. */
    size_t n = 1048576;
    char *req = malloc(n + 64);
    int h = sprintf(req, "*2\r\n$4\r\nECHO\r\n$%zu\r\n", n);
    memset(req + h, 'x', n);
    memcpy(req + h + n, "\r\n", 2);
    int fd = srv_raw_connect(s);
    send_all(fd, req, (size_t)h + n + 2);
    char head[16];
    read_n(fd, head, 11, 5000);
    cr_assert(memcmp(head, "$1048576\r\nx", 11) == 0);
    close(fd);
    free(req);
    expect_status(c, "OK", "CONFIG SET proto-max-bulk-len 512mb");
    redisFree(c);
}

Test(protocol, client_query_buffer_limit)
{
    redisContext *c = srv_connect(s);
    expect_status(c, "OK", "CONFIG SET client-query-buffer-limit 1mb");
    int fd = srv_raw_connect(s), other = srv_raw_connect(s);
    const char *head = "*2\r\n$4\r\nECHO\r\n$4000000\r\n";
    send_all(fd, head, strlen(head));
    char *chunk = malloc(64 * 1024);
    memset(chunk, 'y', 64 * 1024);
    int closed = 0;
    for (int i = 0; i < 40 && !closed; i++) {
        if (write(fd, chunk, 64 * 1024) <= 0)
            closed = 1;
    }
    cr_assert(closed || closed_by_server(fd, 3000), "over the query buffer limit: not closed");
    EXPECT(other, "PING\r\n", "+PONG\r\n");
    free(chunk);
    close(fd);
    close(other);
    expect_status(c, "OK", "CONFIG SET client-query-buffer-limit 1gb");
    redisFree(c);
}
