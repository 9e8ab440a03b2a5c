/* test_hostile.c - hostile and broken clients (issue 7): extreme and
 * malformed lengths, a million-argument multibulk, binary junk and NUL
 * bytes, clients that never read their replies (normal and pub/sub output
 * buffer limits), 10,000 connections opened and dropped, half-closed
 * sockets, clients that vanish mid-request, mid-reply, subscribed, inside
 * MULTI or blocked, every command before AUTH, wrong passwords and their
 * counters, and maxmemory reached with noeviction.
 *
 * Every expected reply was checked against redis-server 7.0.15 (this file
 * also runs against it: SLUICE_SERVER=/usr/bin/redis-server).  Tests that
 * overlap test_protocol.c, test_server.c, test_pubsub.c, test_blocking.c or
 * test_regressions.c are not repeated here.  After each hostile client,
 * another client that stayed connected is still served, INFO
 * connected_clients / blocked_clients are back to their baseline and
 * used_memory is back within a small margin.  State changes are polled with
 * deadlines, nothing asserts on timing. */
#include "harness.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

static srv_handle *s;
static void setup(void)
{
    signal(SIGPIPE, SIG_IGN);
    s = srv_start(NULL);
}
static void teardown(void)
{
    srv_stop(s);
}

TestSuite(hostile, .init = setup, .fini = teardown, .timeout = 60);

/* ---- raw socket helpers ---- */

/* Write everything (asserting success). */
static void send_all(int fd, const void *buf, size_t n)
{
    const char *p = buf;
    while (n) {
        ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
        cr_assert(w > 0, "write failed: %s", strerror(errno));
        p += w;
        n -= (size_t)w;
    }
}

/* Write as much as the peer takes: 0 once the server has closed. */
static int send_best_effort(int fd, const void *buf, size_t n)
{
    const char *p = buf;
    while (n) {
        ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
        if (w <= 0)
            return 0;
        p += w;
        n -= (size_t)w;
    }
    return 1;
}

/* Read exactly n bytes within timeout_ms (assert). */
static void read_n(int fd, char *buf, size_t n, int timeout_ms)
{
    size_t got = 0;
    long long end = now_ms() + timeout_ms;
    while (got < n) {
        struct pollfd p = {fd, POLLIN, 0};
        long long left = end - now_ms();
        cr_assert(left > 0 && poll(&p, 1, (int)left) > 0, "timeout after %zu of %zu bytes", got, n);
        ssize_t r = read(fd, buf + got, n - got);
        cr_assert(r > 0, "connection closed after %zu of %zu bytes", got, n);
        got += (size_t)r;
    }
}

/* Send `out`, expect exactly `want` (binary safe) as the next bytes. */
static void raw_expect(int fd, const void *out, size_t outlen, const void *want, size_t wantlen)
{
    char *buf = malloc(wantlen + 1);
    if (outlen)
        send_all(fd, out, outlen);
    read_n(fd, buf, wantlen, 10000);
    buf[wantlen] = '\0';
    cr_assert(memcmp(buf, want, wantlen) == 0, "got '%s', want '%s'", buf, (const char *)want);
    free(buf);
}

/* String literals only: sizeof keeps embedded NUL bytes. */
#define EXPECT(fd, out, want) raw_expect(fd, out, sizeof(out) - 1, want, sizeof(want) - 1)

/* 1 if the server closes the connection within timeout_ms (reads are
 * drained; a reset counts as closed). */
static int wait_eof(int fd, int timeout_ms)
{
    static char sink[65536];
    long long end = now_ms() + timeout_ms;
    while (now_ms() < end) {
        struct pollfd p = {fd, POLLIN, 0};
        if (poll(&p, 1, 50) > 0) {
            ssize_t r = read(fd, sink, sizeof(sink));
            if (r <= 0)
                return 1;
        }
    }
    return 0;
}

/* The server closes the connection without sending anything more. */
static void expect_eof_only(int fd)
{
    char b[256];
    struct pollfd p = {fd, POLLIN, 0};
    cr_assert(poll(&p, 1, 10000) == 1, "connection not closed");
    ssize_t r = read(fd, b, sizeof(b));
    cr_assert(r <= 0, "unexpected %zd bytes before the close: %.*s", r, (int)r, b);
}

/* Nothing arrives within ms (and the connection is still open). */
static void expect_silence(int fd, int ms)
{
    struct pollfd p = {fd, POLLIN, 0};
    cr_assert_eq(poll(&p, 1, ms), 0, "unexpected bytes or close");
}


/* Close with a TCP reset instead of a FIN. */
static void close_rst(int fd)
{
    struct linger l = {1, 0};
    setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof(l));
    close(fd);
}



/* ---- INFO / CLIENT LIST helpers ---- */

/* A numeric INFO field, or -1 if absent. */
static long long info_ll(redisContext *c, const char *section, const char *field)
{
    redisReply *r = cmd(c, "INFO %s", section);
    cr_assert_eq(r->type, REDIS_REPLY_STRING, "INFO %s failed", section);
    char key[128];
    snprintf(key, sizeof(key), "\r\n%s:", field);
    const char *p = strstr(r->str, key);
    long long v = p ? atoll(p + strlen(key)) : -1;
    freeReplyObject(r);
    return v;
}

/* The raw text of an INFO field ("" if absent). */
static void info_str(redisContext *c, const char *section, const char *field, char *out, size_t cap)
{
    redisReply *r = cmd(c, "INFO %s", section);
    cr_assert_eq(r->type, REDIS_REPLY_STRING);
    char key[128];
    snprintf(key, sizeof(key), "\r\n%s:", field);
    const char *p = strstr(r->str, key);
    out[0] = '\0';
    if (p) {
        p += strlen(key);
        snprintf(out, cap, "%.*s", (int)strcspn(p, "\r"), p);
    }
    freeReplyObject(r);
}

static void wait_info(redisContext *c, const char *section, const char *field, long long want)
{
    long long deadline = now_ms() + 10000, v;
    while ((v = info_ll(c, section, field)) != want) {
        cr_assert(now_ms() < deadline, "INFO %s: %s stuck at %lld, want %lld", section, field, v,
                  want);
        usleep(5000);
    }
}

static long long used_memory(redisContext *c)
{
    return info_ll(c, "memory", "used_memory");
}

/* used_memory comes back to at most base + margin (freeing can be lazy). */
static void expect_memory_back(redisContext *c, long long base, long long margin)
{
    long long deadline = now_ms() + 10000, m;
    while ((m = used_memory(c)) > base + margin) {
        cr_assert(now_ms() < deadline, "used_memory %lld, baseline %lld (+%lld allowed)", m, base,
                  margin);
        usleep(10000);
    }
}

static int client_list_has(redisContext *c, const char *needle)
{
    redisReply *r = cmd(c, "CLIENT LIST");
    cr_assert_eq(r->type, REDIS_REPLY_STRING);
    int found = strstr(r->str, needle) != NULL;
    freeReplyObject(r);
    return found;
}

static void wait_client_gone(redisContext *c, const char *needle)
{
    long long deadline = now_ms() + 10000;
    while (client_list_has(c, needle)) {
        cr_assert(now_ms() < deadline, "CLIENT LIST still shows %s", needle);
        usleep(5000);
    }
}

/* INFO stats client_output_buffer_limit_disconnections (Redis 7.2; absent
 * from 7.0.15's INFO, -1 then): when present it counts each cut-off. */
static void expect_obuf_disconnects(redisContext *c, long long before, long long n)
{
    if (before < 0) {
        cr_assert_eq(info_ll(c, "stats", "client_output_buffer_limit_disconnections"), -1);
        return;
    }
    cr_assert_eq(info_ll(c, "stats", "client_output_buffer_limit_disconnections"), before + n);
}

/* The connection's baseline: this client alone, nobody blocked. */
static void expect_clean(redisContext *c, long long clients)
{
    wait_info(c, "clients", "connected_clients", clients);
    wait_info(c, "clients", "blocked_clients", 0);
    expect_status(c, "PONG", "PING");
}

/* Settle allocator noise before a used_memory baseline. */
static long long memory_baseline(redisContext *c)
{
    freeReplyObject(cmd(c, "INFO memory"));
    freeReplyObject(cmd(c, "INFO memory"));
    return used_memory(c);
}

#define MEM_MARGIN (256 * 1024)

/* Send a bad request on a fresh connection: exactly `err`, then the close,
 * while `other` (connected all along) is still served. */
static void expect_fatal(redisContext *other, const void *req, size_t len, const char *err)
{
    int fd = srv_raw_connect(s);
    raw_expect(fd, req, len, err, strlen(err));
    expect_eof_only(fd);
    close(fd);
    expect_status(other, "PONG", "PING");
}

#define FATAL(other, req, err) expect_fatal(other, req, sizeof(req) - 1, err)

/* ---- lengths ---- */

/* 2^63 and 2^63-1 bulk lengths, negative ones, signs and "-0" close the
 * client with "invalid bulk length"; the same for multibulk counts beyond
 * INT_MAX or below LLONG_MIN; any multibulk count <= 0 down to LLONG_MIN
 * is skipped silently. */
Test(hostile, extreme_and_malformed_lengths)
{
    redisContext *c = srv_connect(s);
    long long mem0 = memory_baseline(c);
    const char *bulk = "-ERR Protocol error: invalid bulk length\r\n";
    const char *mbulk = "-ERR Protocol error: invalid multibulk length\r\n";
    FATAL(c, "*2\r\n$4\r\nECHO\r\n$9223372036854775808\r\n", bulk); /* 2^63 */
    FATAL(c, "*2\r\n$4\r\nECHO\r\n$9223372036854775807\r\n", bulk); /* 2^63-1 */
    FATAL(c, "*2\r\n$4\r\nECHO\r\n$18446744073709551616\r\n", bulk);
    FATAL(c, "*2\r\n$4\r\nECHO\r\n$-1\r\n", bulk);
    FATAL(c, "*2\r\n$4\r\nECHO\r\n$-9223372036854775808\r\n", bulk);
    FATAL(c, "*1\r\n$-0\r\n", bulk);
    FATAL(c, "*1\r\n$+4\r\nPING\r\n", bulk);
    FATAL(c, "*1\r\n$536870913\r\n", bulk); /* proto-max-bulk-len + 1 */
    FATAL(c, "*9223372036854775808\r\n", mbulk);
    FATAL(c, "*9223372036854775807\r\n", mbulk);
    FATAL(c, "*2147483648\r\n", mbulk); /* INT_MAX + 1 */
    FATAL(c, "*-9223372036854775809\r\n", mbulk);
    FATAL(c, "*+1\r\n$4\r\nPING\r\n", mbulk);
    FATAL(c, "*1 \r\n$4\r\nPING\r\n", mbulk);

    int fd = srv_raw_connect(s);
    EXPECT(fd, "*-1\r\nPING\r\n", "+PONG\r\n");
    EXPECT(fd, "*-9223372036854775808\r\n*0\r\nPING\r\n", "+PONG\r\n");
    /* The two bytes after a bulk are skipped, not checked. */
    EXPECT(fd, "*1\r\n$4\r\nPINGXY*1\r\n$4\r\nPING\r\n", "+PONG\r\n+PONG\r\n");
    /* Exactly the limits: accepted, the server waits for the rest. */
    EXPECT(fd, "*2147483647\r\n", "");
    expect_silence(fd, 100);
    close(fd);
    fd = srv_raw_connect(s);
    EXPECT(fd, "*1\r\n$536870912\r\n", "");
    expect_silence(fd, 100);
    close(fd);
    expect_clean(c, 1);
    expect_memory_back(c, mem0, MEM_MARGIN);
    redisFree(c);
}

/* Nested arrays and non-bulk elements inside a multibulk. */
Test(hostile, nested_garbage)
{
    redisContext *c = srv_connect(s);
    FATAL(c, "*2\r\n*1\r\n$4\r\nPING\r\n", "-ERR Protocol error: expected '$', got '*'\r\n");
    FATAL(c, "*2\r\n$4\r\nECHO\r\n*1\r\n$1\r\nx\r\n",
          "-ERR Protocol error: expected '$', got '*'\r\n");
    FATAL(c, "*1\r\n:1\r\n", "-ERR Protocol error: expected '$', got ':'\r\n");
    FATAL(c, "*1\r\n+PING\r\n", "-ERR Protocol error: expected '$', got '+'\r\n");
    /* Replies before the error are delivered, commands after it are not. */
    int fd = srv_raw_connect(s);
    EXPECT(fd,
           "*3\r\n$3\r\nSET\r\n$2\r\nng\r\n$1\r\n1\r\n*2\r\n*1\r\n*3\r\n$3\r\nSET\r\n$2\r\nng"
           "\r\n$1\r\n2\r\n",
           "+OK\r\n-ERR Protocol error: expected '$', got '*'\r\n");
    expect_eof_only(fd);
    close(fd);
    expect_bulk(c, "1", "GET ng");
    /* A bare "$4" line outside a multibulk is an inline command. */
    fd = srv_raw_connect(s);
    EXPECT(fd, "$4\r\nPING\r\n",
           "-ERR unknown command '$4', with args beginning with: \r\n+PONG\r\n");
    close(fd);
    expect_clean(c, 1);
    redisFree(c);
}

/* A declared 100 MB bulk (preallocated by Redis for big arguments) and a
 * declared 2^31-1 argument count with 100,000 arguments sent: the memory
 * is returned when the client goes away mid-request. */
Test(hostile, huge_declared_sizes_then_disconnect)
{
    redisContext *c = srv_connect(s);
    long long mem0 = memory_baseline(c);
    int a = srv_raw_connect(s), b = srv_raw_connect(s);
    const char *ha = "*2\r\n$4\r\nECHO\r\n$100000000\r\n";
    send_all(a, ha, strlen(ha));
    char *chunk = malloc(100000);
    memset(chunk, 'a', 100000);
    send_all(a, chunk, 100000);
    send_all(b, "*2147483647\r\n", 13);
    size_t n1 = strlen("$1\r\na\r\n"), nb = 100000;
    char *args = malloc(n1 * nb);
    for (size_t i = 0; i < nb; i++)
        memcpy(args + i * n1, "$1\r\na\r\n", n1);
    send_all(b, args, n1 * nb);
    /* Both are still waiting for the rest of their request. */
    expect_silence(a, 50);
    expect_silence(b, 50);
    expect_status(c, "PONG", "PING");
    close(a);
    close_rst(b);
    expect_clean(c, 1);
    expect_memory_back(c, mem0, MEM_MARGIN);
    free(chunk);
    free(args);
    redisFree(c);
}

/* ---- a million arguments ---- */

Test(hostile, million_argument_multibulk)
{
    enum { N = 1000000 };
    redisContext *c = srv_connect(s);
    long long mem0 = memory_baseline(c);
    int fd = srv_raw_connect(s);
    size_t one = strlen("$1\r\nx\r\n");
    char *req = malloc(64 + (size_t)N * one);
    /* RPUSH k x*999998 */
    size_t off = (size_t)sprintf(req, "*%d\r\n$5\r\nRPUSH\r\n$1\r\nk\r\n", N);
    for (int i = 0; i < N - 2; i++, off += one)
        memcpy(req + off, "$1\r\nx\r\n", one);
    send_all(fd, req, off);
    EXPECT(fd, "", ":999998\r\n");
    expect_int(c, N - 2, "LLEN k");
    /* DEL k*999999 */
    off = (size_t)sprintf(req, "*%d\r\n$3\r\nDEL\r\n", N);
    for (int i = 0; i < N - 1; i++, off += one)
        memcpy(req + off, "$1\r\nk\r\n", one);
    send_all(fd, req, off);
    EXPECT(fd, "", ":1\r\n");
    /* An unknown command with a million arguments: the error quotes the
     * first arguments up to 128 bytes. */
    off = (size_t)sprintf(req, "*%d\r\n$3\r\nFOO\r\n", N);
    for (int i = 0; i < N - 1; i++, off += one)
        memcpy(req + off, "$1\r\nk\r\n", one);
    send_all(fd, req, off);
    char want[256];
    int w = sprintf(want, "-ERR unknown command 'FOO', with args beginning with: ");
    for (int i = 0; i < 32; i++)
        w += sprintf(want + w, "'k' ");
    sprintf(want + w, "\r\n");
    raw_expect(fd, "", 0, want, strlen(want));
    EXPECT(fd, "PING\r\n", "+PONG\r\n"); /* the connection is fine */
    close(fd);
    free(req);
    expect_int(c, 0, "EXISTS k");
    expect_clean(c, 1);
    expect_memory_back(c, mem0, MEM_MARGIN);
    redisFree(c);
}

/* ---- binary junk and NUL bytes ---- */

Test(hostile, binary_junk_and_nul_bytes)
{
    redisContext *c = srv_connect(s);
    long long mem0 = memory_baseline(c);
    int fd = srv_raw_connect(s);
    /* A NUL in a command name ends it in the error text (printf %s). */
    EXPECT(fd, "*1\r\n$4\r\nPI\0G\r\n",
           "-ERR unknown command 'PI', with args beginning with: \r\n");
    EXPECT(fd, "*3\r\n$4\r\nNO\0X\r\n$3\r\na\0b\r\n$3\r\nc\rd\r\n",
           "-ERR unknown command 'NO', with args beginning with: 'a' 'c d' \r\n");
    EXPECT(fd, "*2\r\n$3\r\nFOO\r\n$3\r\na\nb\r\n",
           "-ERR unknown command 'FOO', with args beginning with: 'a b' \r\n");
    EXPECT(fd, "*1\r\n$5\r\nF\r\nOO\r\n",
           "-ERR unknown command 'F  OO', with args beginning with: \r\n");
    EXPECT(fd, "*2\r\n$6\r\nclient\r\n$3\r\na\0b\r\n",
           "-ERR unknown subcommand 'a'. Try CLIENT HELP.\r\n");
    /* Names are quoted up to 128 bytes, arguments up to 128 bytes each. */
    char req[512], want[512];
    int h = sprintf(req, "*2\r\n$3\r\nFOO\r\n$200\r\n");
    memset(req + h, 'Z', 200);
    memcpy(req + h + 200, "\r\n", 2);
    int n = sprintf(want, "-ERR unknown command 'FOO', with args beginning with: '");
    memset(want + n, 'Z', 128);
    strcpy(want + n + 128, "' \r\n");
    raw_expect(fd, req, (size_t)h + 202, want, strlen(want));
    h = sprintf(req, "*1\r\n$200\r\n");
    memset(req + h, 'Y', 200);
    memcpy(req + h + 200, "\r\n", 2);
    n = sprintf(want, "-ERR unknown command '");
    memset(want + n, 'Y', 128);
    strcpy(want + n + 128, "', with args beginning with: \r\n");
    raw_expect(fd, req, (size_t)h + 202, want, strlen(want));
    /* Binary keys and values round-trip; a NUL does not end a key. */
    EXPECT(fd, "*2\r\n$4\r\nECHO\r\n$5\r\na\0b\xff\x80\r\n", "$5\r\na\0b\xff\x80\r\n");
    EXPECT(fd,
           "*3\r\n$3\r\nSET\r\n$3\r\nk\0k\r\n$2\r\n\0\0\r\n*2\r\n$3\r\nGET\r\n$3\r\nk\0k\r\n"
           "*2\r\n$3\r\nGET\r\n$1\r\nk\r\n",
           "+OK\r\n$2\r\n\0\0\r\n$-1\r\n");
    /* Inline junk lines are unknown commands, quoted byte for byte. */
    EXPECT(fd, "\x80\x81\xfe\xff junk\r\n",
           "-ERR unknown command '\x80\x81\xfe\xff', with args beginning with: 'junk' \r\n");
    EXPECT(fd, "\x01\x02\x03\r\n",
           "-ERR unknown command '\x01\x02\x03', with args beginning with: \r\n");
    EXPECT(fd, "GET \x80\xff\r\n", "$-1\r\n");
    close(fd);
    expect_int(c, 1, "EXISTS %b", "k\0k", (size_t)3);
    expect_int(c, 0, "EXISTS k");

    /* 70 KB of binary junk without a newline: too big inline request, only
     * that client is closed. */
    size_t big = 70 * 1024;
    unsigned char *junk = malloc(big);
    unsigned x = 12345;
    for (size_t i = 0; i < big; i++) {
        x = x * 1103515245u + 12345u;
        unsigned char b = (unsigned char)(x >> 16);
        junk[i] = b == '\n' || b == '\0' ? 0x7f : b;
    }
    junk[0] = 0xfe; /* not '*': an inline request */
    expect_fatal(c, junk, big, "-ERR Protocol error: too big inline request\r\n");
    free(junk);
    expect_clean(c, 1);
    expect_memory_back(c, mem0, MEM_MARGIN);
    redisFree(c);
}

/* ---- clients that never read ---- */

/* A client pipelining GETs of a 1 MB value and never reading is cut off at
 * the normal class's hard limit; everybody else is served. */
Test(hostile, pipelining_client_that_never_reads)
{
    redisContext *c = srv_connect(s);
    expect_status(c, "OK", "CONFIG SET client-output-buffer-limit %s", "normal 1mb 512kb 0");
    char *val = malloc(1 << 20);
    memset(val, 'v', 1 << 20);
    expect_status(c, "OK", "SET big %b", val, (size_t)(1 << 20));
    long long mem0 = memory_baseline(c);
    long long obuf0 = info_ll(c, "stats", "client_output_buffer_limit_disconnections");
    int hog = srv_raw_connect_rcvbuf(s, 4096);
    EXPECT(hog, "CLIENT SETNAME hog\r\n", "+OK\r\n");
    cr_assert(client_list_has(c, " name=hog "));
    char req[64];
    size_t one = resp_of(req, sizeof(req), "GET big");
    /* 1000 GETs = 1 GB of replies; the writes fail once it is cut off. */
    for (int i = 0; i < 1000 && send_best_effort(hog, req, one); i++)
        ;
    wait_client_gone(c, " name=hog ");
    expect_obuf_disconnects(c, obuf0, 1);
    cr_assert(wait_eof(hog, 10000), "hog not disconnected");
    close(hog);
    /* The server logged why, naming the client like Redis's
     * catClientInfoString line ("Client id=.. addr=.. name=hog ...
     * scheduled to be closed ASAP ..."). */
    char path[400], line[2048];
    snprintf(path, sizeof(path), "%s/server.log", s->dir);
    FILE *f = fopen(path, "r");
    int logged = 0;
    while (f && fgets(line, sizeof(line), f))
        if (strstr(line, "name=hog") &&
            strstr(line, "scheduled to be closed ASAP for overcoming of output buffer limits"))
            logged = 1;
    if (f)
        fclose(f);
    cr_assert(logged, "no log line for the disconnection");
    /* Others are still served (a 1 MB reply would cut this client off
     * too: lift the limit first), the value is intact, memory came back. */
    expect_int(c, 1 << 20, "STRLEN big");
    expect_bulk(c, "vvvv", "GETRANGE big -4 -1");
    expect_status(c, "OK", "CONFIG SET client-output-buffer-limit %s", "normal 0 0 0");
    redisReply *r = cmd(c, "GET big");
    cr_assert_eq(r->type, REDIS_REPLY_STRING);
    cr_assert_eq(r->len, (size_t)(1 << 20));
    cr_assert(memcmp(r->str, val, 1 << 20) == 0);
    freeReplyObject(r);
    expect_clean(c, 1);
    expect_memory_back(c, mem0, MEM_MARGIN);
    free(val);
    redisFree(c);
}

/* A MONITOR client that never reads is a normal client: cut off at the
 * normal hard limit while the traffic it watches goes on. */
Test(hostile, monitor_that_never_reads)
{
    redisContext *c = srv_connect(s);
    expect_status(c, "OK", "CONFIG SET client-output-buffer-limit %s", "normal 1mb 512kb 0");
    long long mem0 = memory_baseline(c);
    long long obuf0 = info_ll(c, "stats", "client_output_buffer_limit_disconnections");
    int mon = srv_raw_connect_rcvbuf(s, 4096);
    EXPECT(mon, "CLIENT SETNAME mon\r\nMONITOR\r\n", "+OK\r\n+OK\r\n");
    char val[10000];
    memset(val, 'w', sizeof(val));
    int batches = 0, gone = 0;
    for (; batches < 100 && !gone; batches++) {
        for (int j = 0; j < 50; j++)
            redisAppendCommand(c, "SET mk%d %b", j, val, sizeof(val));
        for (int j = 0; j < 50; j++) {
            void *rp;
            cr_assert_eq(redisGetReply(c, &rp), REDIS_OK);
            cr_assert_str_eq(((redisReply *)rp)->str, "OK");
            freeReplyObject(rp);
        }
        gone = !client_list_has(c, " name=mon ");
    }
    cr_assert(gone, "MONITOR client still connected after %d x 500 KB of commands", batches);
    cr_assert(wait_eof(mon, 10000), "monitor not disconnected");
    close(mon);
    expect_obuf_disconnects(c, obuf0, 1);
    expect_int(c, 50, "DBSIZE");
    expect_clean(c, 1);
    expect_memory_back(c, mem0, MEM_MARGIN + 50 * 12000);
    redisFree(c);
}

/* A subscriber that never reads, under the default pub/sub limits (32 MB
 * hard): cut off, while a subscriber that reads gets every message. */
Test(hostile, subscriber_never_reads_default_limits)
{
    redisContext *pub = srv_connect(s), *good = srv_connect(s);
    redisReply *r = cmd(pub, "CONFIG GET client-output-buffer-limit");
    cr_assert_eq(r->elements, 2);
    cr_assert_str_eq(r->element[1]->str,
                     "normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60");
    freeReplyObject(r);
    long long mem0 = memory_baseline(pub);
    long long obuf0 = info_ll(pub, "stats", "client_output_buffer_limit_disconnections");
    int stuck = srv_raw_connect_rcvbuf(s, 4096);
    EXPECT(stuck, "CLIENT SETNAME stuck\r\nSUBSCRIBE news\r\n",
           "+OK\r\n*3\r\n$9\r\nsubscribe\r\n$4\r\nnews\r\n:1\r\n");
    r = cmd(good, "SUBSCRIBE news");
    cr_assert_eq(r->type, REDIS_REPLY_ARRAY);
    freeReplyObject(r);
    size_t msglen = 1 << 20;
    char *msg = malloc(msglen);
    memset(msg, 'm', msglen);
    int cut_at = -1, total = 0;
    for (int i = 0; i < 200 && cut_at < 0; i += 4) {
        for (int j = 0; j < 4; j++)
            redisAppendCommand(pub, "PUBLISH news %b", msg, msglen);
        for (int j = 0; j < 4; j++) {
            void *rp;
            cr_assert_eq(redisGetReply(pub, &rp), REDIS_OK);
            r = rp;
            cr_assert_eq(r->type, REDIS_REPLY_INTEGER);
            if (cut_at < 0 && r->integer == 1)
                cut_at = i + j;
            else if (cut_at < 0)
                cr_assert_eq(r->integer, 2);
            else
                cr_assert_eq(r->integer, 1, "receivers went back up");
            freeReplyObject(r);
            total++;
        }
        for (int j = 0; j < 4; j++) {
            void *rp;
            cr_assert_eq(redisGetReply(good, &rp), REDIS_OK);
            r = rp;
            cr_assert_eq(r->elements, 3);
            cr_assert_eq(r->element[2]->len, msglen);
            freeReplyObject(r);
        }
    }
    /* Not before 32 MB are queued for it. */
    cr_assert(cut_at >= 32, "stuck subscriber cut off after %d messages", cut_at);
    wait_client_gone(pub, " name=stuck ");
    expect_obuf_disconnects(pub, obuf0, 1);
    cr_assert(wait_eof(stuck, 10000), "stuck subscriber not disconnected");
    close(stuck);
    r = cmd(pub, "PUBSUB NUMSUB news");
    cr_assert_eq(r->element[1]->integer, 1);
    freeReplyObject(r);
    expect_int(pub, 1, "PUBLISH news hi");
    r = cmd(good, "PING"); /* reads the "hi" message first */
    cr_assert_eq(r->type, REDIS_REPLY_ARRAY);
    cr_assert_str_eq(r->element[2]->str, "hi");
    freeReplyObject(r);
    redisFree(good);
    expect_clean(pub, 1);
    expect_memory_back(pub, mem0, MEM_MARGIN);
    free(msg);
    redisFree(pub);
}

/* ---- connection churn ---- */

/* 10,000 connections opened and dropped in batches, four ways: after a
 * PING, by QUIT, by reset, and by reset in the middle of a command. */
Test(hostile, ten_thousand_connections_churn)
{
    struct rlimit rl;
    getrlimit(RLIMIT_NOFILE, &rl);
    if (rl.rlim_cur < rl.rlim_max) {
        rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
        getrlimit(RLIMIT_NOFILE, &rl);
    }
    int batch = 500; /* below tcp-backlog (511): no SYN retransmits */
    if (rl.rlim_cur != RLIM_INFINITY && (long long)rl.rlim_cur - 64 < batch)
        batch = (int)rl.rlim_cur - 64;
    cr_assert(batch >= 16, "RLIMIT_NOFILE too low (%lld)", (long long)rl.rlim_cur);
    redisContext *c = srv_connect(s);
    expect_status(c, "OK", "SET churn 1");
    long long mem0 = memory_baseline(c);
    long long conns0 = info_ll(c, "stats", "total_connections_received");
    int *fds = malloc(sizeof(int) * (size_t)batch);
    int total = 10000, done = 0;
    const char *partial = "*3\r\n$3\r\nSET\r\n$5\r\nchurn\r\n$1";
    while (done < total) {
        int n = total - done < batch ? total - done : batch;
        for (int i = 0; i < n; i++)
            fds[i] = srv_raw_connect(s);
        for (int i = 0; i < n; i++) {
            switch ((done + i) % 4) {
            case 0:
                send_all(fds[i], "PING\r\n", 6);
                break;
            case 1:
                send_all(fds[i], "QUIT\r\n", 6);
                break;
            case 3:
                send_all(fds[i], partial, strlen(partial));
                break;
            }
        }
        for (int i = 0; i < n; i++) {
            switch ((done + i) % 4) {
            case 0:
                EXPECT(fds[i], "", "+PONG\r\n");
                close(fds[i]);
                break;
            case 1:
                EXPECT(fds[i], "", "+OK\r\n");
                expect_eof_only(fds[i]);
                close(fds[i]);
                break;
            default:
                close_rst(fds[i]);
            }
        }
        done += n;
    }
    free(fds);
    /* Every connection was accepted and counted, and all are gone. */
    wait_info(c, "stats", "total_connections_received", conns0 + total);
    expect_clean(c, 1);
    expect_bulk(c, "1", "GET churn");
    expect_memory_back(c, mem0, MEM_MARGIN);
    redisFree(c);
}

/* ---- half-closed sockets ---- */

/* shutdown(SHUT_WR) right after the request: Redis still executes what
 * arrived complete, sends the replies, then closes. */
Test(hostile, half_closed_sockets)
{
    redisContext *c = srv_connect(s);
    int fd = srv_raw_connect(s);
    send_all(fd, "PING\r\n", 6);
    shutdown(fd, SHUT_WR);
    EXPECT(fd, "", "+PONG\r\n");
    expect_eof_only(fd);
    close(fd);

    fd = srv_raw_connect(s);
    const char *pipe = "*3\r\n$3\r\nSET\r\n$2\r\nhc\r\n$1\r\n1\r\nGET hc\r\nINCR hc\r\n"
                       "MULTI\r\nINCR hc\r\nEXEC\r\n";
    send_all(fd, pipe, strlen(pipe));
    shutdown(fd, SHUT_WR);
    EXPECT(fd, "", "+OK\r\n$1\r\n1\r\n:2\r\n+OK\r\n+QUEUED\r\n*1\r\n:3\r\n");
    expect_eof_only(fd);
    close(fd);

    /* An incomplete command is dropped. */
    fd = srv_raw_connect(s);
    const char *part = "INCR hc\r\n*2\r\n$4\r\nINCR\r\n$2\r\nh";
    send_all(fd, part, strlen(part));
    shutdown(fd, SHUT_WR);
    EXPECT(fd, "", ":4\r\n");
    expect_eof_only(fd);
    close(fd);
    expect_bulk(c, "4", "GET hc");

    /* Subscribed: the confirmation, then the close. */
    fd = srv_raw_connect(s);
    send_all(fd, "SUBSCRIBE hcch\r\n", 16);
    shutdown(fd, SHUT_WR);
    EXPECT(fd, "", "*3\r\n$9\r\nsubscribe\r\n$4\r\nhcch\r\n:1\r\n");
    expect_eof_only(fd);
    close(fd);

    /* Blocked: EOF ends the wait with no reply. */
    fd = srv_raw_connect(s);
    send_all(fd, "BLPOP hclist 0\r\n", 16);
    shutdown(fd, SHUT_WR);
    expect_eof_only(fd); /* no reply */
    close(fd);
    expect_clean(c, 1);
    expect_int(c, 0, "PUBLISH hcch x");
    expect_int(c, 1, "RPUSH hclist a");
    expect_int(c, 1, "LLEN hclist");
    redisFree(c);
}

/* ---- disconnects at bad moments ---- */

Test(hostile, disconnect_mid_request)
{
    redisContext *c = srv_connect(s);
    long long mem0 = memory_baseline(c);
    const char *cuts[] = {
        "*3\r\n$3\r\nSET\r\n$2\r\nmr\r\n$5\r\nhel",     /* inside a bulk */
        "*3\r\n$3\r\nSET\r\n$2\r\nmr\r\n$5\r\nhello",   /* before the CRLF */
        "*3\r\n$3\r\nSET\r\n$2\r\nmr\r\n$5\r\nhello\r", /* half a CRLF */
        "*3\r\n$3\r\nSET\r\n$2\r\nmr\r\n",              /* an argument short */
        "*3\r\n$3\r\nSET\r\n$2\r\nmr\r\n$",             /* inside a length */
        "*3",                                           /* inside the count */
        "SET mr hello",                                 /* inline, no newline */
    };
    for (size_t i = 0; i < sizeof(cuts) / sizeof(cuts[0]); i++) {
        int fd = srv_raw_connect(s);
        send_all(fd, cuts[i], strlen(cuts[i]));
        expect_silence(fd, 20);
        if (i % 2)
            close_rst(fd);
        else
            close(fd);
    }
    /* Half of a 1 MB argument. */
    int fd = srv_raw_connect(s);
    const char *head = "*3\r\n$3\r\nSET\r\n$2\r\nmr\r\n$1048576\r\n";
    send_all(fd, head, strlen(head));
    char *half = malloc(1 << 19);
    memset(half, 'h', 1 << 19);
    send_all(fd, half, 1 << 19);
    expect_status(c, "PONG", "PING");
    close(fd);
    free(half);
    expect_clean(c, 1);
    expect_int(c, 0, "EXISTS mr");
    expect_memory_back(c, mem0, MEM_MARGIN);
    redisFree(c);
}

/* Large replies pending when the client goes away (FIN or reset). */
Test(hostile, disconnect_mid_reply)
{
    redisContext *c = srv_connect(s);
    size_t len = 4 << 20;
    char *val = malloc(len);
    memset(val, 'r', len);
    expect_status(c, "OK", "SET huge %b", val, len);
    long long mem0 = memory_baseline(c);
    for (int round = 0; round < 4; round++) {
        int fd = srv_raw_connect_rcvbuf(s, 4096);
        for (int i = 0; i < 8; i++)
            raw_send(fd, "GET huge");
        char head[16];
        read_n(fd, head, 10, 10000); /* the reply has started */
        cr_assert(memcmp(head, "$4194304\r\n", 10) == 0);
        if (round % 2)
            close_rst(fd);
        else
            close(fd);
    }
    redisReply *r = cmd(c, "GET huge");
    cr_assert_eq(r->len, len);
    cr_assert(memcmp(r->str, val, len) == 0);
    freeReplyObject(r);
    expect_clean(c, 1);
    expect_memory_back(c, mem0, MEM_MARGIN);
    free(val);
    redisFree(c);
}

/* A subscriber with unread messages resets the connection. */
Test(hostile, disconnect_while_subscribed_with_unread_messages)
{
    redisContext *c = srv_connect(s);
    long long mem0 = memory_baseline(c);
    int fd = srv_raw_connect_rcvbuf(s, 4096);
    EXPECT(fd, "SUBSCRIBE dch\r\nPSUBSCRIBE d*\r\n",
           "*3\r\n$9\r\nsubscribe\r\n$3\r\ndch\r\n:1\r\n*3\r\n$10\r\npsubscribe\r\n$2\r\nd*\r\n:"
           "2\r\n");
    char msg[16384];
    memset(msg, 'p', sizeof(msg));
    for (int i = 0; i < 64; i++)
        expect_int(c, 2, "PUBLISH dch %b", msg, sizeof(msg));
    close_rst(fd);
    expect_clean(c, 1);
    expect_int(c, 0, "PUBLISH dch x");
    expect_int(c, 0, "PUBSUB NUMPAT");
    expect_memory_back(c, mem0, MEM_MARGIN);
    redisFree(c);
}

/* A client inside MULTI with queued commands vanishes: nothing of it runs,
 * and another client's WATCH on the same keys is not disturbed. */
Test(hostile, disconnect_inside_multi)
{
    redisContext *c = srv_connect(s), *w = srv_connect(s);
    expect_status(c, "OK", "SET mk orig");
    expect_status(w, "OK", "WATCH mk ml");
    int fd = srv_raw_connect(s);
    EXPECT(fd, "WATCH mk\r\nMULTI\r\nSET mk changed\r\nDEL mk\r\nLPUSH ml x\r\nINCR mc\r\n",
           "+OK\r\n+OK\r\n+QUEUED\r\n+QUEUED\r\n+QUEUED\r\n+QUEUED\r\n");
    close(fd);
    /* And one that was cut off in the middle of its EXEC. */
    fd = srv_raw_connect(s);
    EXPECT(fd, "MULTI\r\nSET mk changed2\r\n", "+OK\r\n+QUEUED\r\n");
    send_all(fd, "*1\r\n$4\r\nEXE", 12);
    close_rst(fd);
    expect_clean(c, 2);
    expect_bulk(c, "orig", "GET mk");
    expect_int(c, 0, "EXISTS ml mc");
    /* w's transaction still goes through: no watched key was touched. */
    expect_status(w, "OK", "MULTI");
    expect_status(w, "QUEUED", "SET mk fromw");
    redisReply *r = cmd(w, "EXEC");
    cr_assert_eq(r->type, REDIS_REPLY_ARRAY, "EXEC aborted (type %d)", r->type);
    cr_assert_eq(r->elements, 1);
    cr_assert_str_eq(r->element[0]->str, "OK");
    freeReplyObject(r);
    expect_bulk(c, "fromw", "GET mk");
    redisFree(w);
    expect_clean(c, 1);
    redisFree(c);
}

/* Blocked in XREADGROUP BLOCK, XREAD BLOCK, BLPOP, BZPOPMIN, BLMOVE: the
 * client vanishes, later data stays for others, nothing is left pending. */
Test(hostile, disconnect_while_blocked)
{
    redisContext *c = srv_connect(s);
    freeReplyObject(cmd(c, "XGROUP CREATE st g $ MKSTREAM"));
    const char *lines[] = {
        "XREADGROUP GROUP g gone BLOCK 0 STREAMS st >",
        "XREADGROUP GROUP g gone2 COUNT 1 BLOCK 100000 STREAMS st >",
        "XREAD BLOCK 0 STREAMS st $",
        "BLPOP bl 0",
        "BZPOPMIN bz 0",
        "BLMOVE bl bdst LEFT RIGHT 0",
    };
    enum { NB = sizeof(lines) / sizeof(lines[0]) };
    int fds[NB];
    for (int i = 0; i < NB; i++) {
        fds[i] = srv_raw_connect(s);
        raw_send(fds[i], lines[i]);
        wait_info(c, "clients", "blocked_clients", i + 1);
    }
    for (int i = 0; i < NB; i++) {
        if (i % 2)
            close_rst(fds[i]);
        else
            close(fds[i]);
    }
    expect_clean(c, 1);
    freeReplyObject(cmd(c, "XADD st 1-0 f v"));
    expect_int(c, 1, "RPUSH bl a");
    expect_int(c, 1, "ZADD bz 1 m");
    expect_int(c, 1, "LLEN bl");
    expect_int(c, 1, "ZCARD bz");
    expect_int(c, 0, "EXISTS bdst");
    /* Nothing was delivered to the vanished consumers. */
    redisReply *r = cmd(c, "XPENDING st g");
    cr_assert_eq(r->type, REDIS_REPLY_ARRAY);
    cr_assert_eq(r->element[0]->integer, 0);
    freeReplyObject(r);
    r = cmd(c, "XREADGROUP GROUP g alive COUNT 10 STREAMS st >");
    cr_assert_eq(r->type, REDIS_REPLY_ARRAY);
    cr_assert_eq(r->element[0]->element[1]->elements, 1);
    cr_assert_str_eq(r->element[0]->element[1]->element[0]->element[0]->str, "1-0");
    freeReplyObject(r);
    /* A new waiter after the disconnects is served normally. */
    int d = srv_raw_connect(s);
    raw_send(d, "XREADGROUP GROUP g alive BLOCK 0 STREAMS st >");
    wait_info(c, "clients", "blocked_clients", 1);
    freeReplyObject(cmd(c, "XADD st 2-0 f w"));
    EXPECT(d, "", "*1\r\n*2\r\n$2\r\nst\r\n*1\r\n*2\r\n$3\r\n2-0\r\n*2\r\n$1\r\nf\r\n$1\r\nw\r\n");
    close(d);
    expect_clean(c, 1);
    redisFree(c);
}

/* ---- requirepass ---- */

static void auth_setup(void)
{
    signal(SIGPIPE, SIG_IGN);
    /* Redis refuses DEBUG and MODULE before checking authentication unless
     * they are enabled: enable them so both servers answer NOAUTH. */
    s = srv_start("--enable-debug-command yes --enable-module-command yes");
}

TestSuite(hostile_auth, .init = auth_setup, .fini = teardown, .timeout = 60);

static int has_flag(redisReply *flags, const char *f)
{
    for (size_t i = 0; i < flags->elements; i++)
        if (!strcmp(flags->element[i]->str, f))
            return 1;
    return 0;
}

/* Send `name` (a|b for subcommands) with |arity| arguments. */
static redisReply *call_with_arity(redisContext *u, const char *name, long long arity)
{
    int argc = (int)(arity < 0 ? -arity : arity);
    const char *argv[16];
    size_t lens[16];
    char first[128], *bar;
    snprintf(first, sizeof(first), "%s", name);
    int i = 0;
    bar = strchr(first, '|');
    if (bar)
        *bar = '\0';
    argv[i] = first;
    lens[i] = strlen(first);
    i++;
    if (bar) {
        argv[i] = bar + 1;
        lens[i] = strlen(bar + 1);
        i++;
    }
    for (; i < argc && i < 16; i++) {
        argv[i] = "x";
        lens[i] = 1;
    }
    return redisCommandArgv(u, i, argv, lens);
}

/* Before AUTH, every command of the server's own table (subcommands
 * included) answers exactly NOAUTH, except AUTH HELLO QUIT RESET; the
 * existence and arity checks come first. */
Test(hostile_auth, every_command_before_auth)
{
    redisContext *c = srv_connect(s);
    expect_status(c, "OK", "CONFIG SET requirepass pw");
    redisReply *all = cmd(c, "COMMAND");
    cr_assert_eq(all->type, REDIS_REPLY_ARRAY);
    redisContext *u = srv_connect(s);
    int checked = 0;
    char no_auth[256] = "";
    for (size_t i = 0; i < all->elements; i++) {
        redisReply *e = all->element[i];
        redisReply *subs = e->elements > 9 ? e->element[9] : NULL;
        size_t nsub = subs && subs->type == REDIS_REPLY_ARRAY ? subs->elements : 0;
        for (size_t j = 0; j <= nsub; j++) {
            redisReply *ce = j == 0 ? e : subs->element[j - 1];
            if (j == 0 && nsub)
                continue; /* containers: only their subcommands */
            const char *name = ce->element[0]->str;
            if (has_flag(ce->element[2], "no_auth")) {
                strcat(no_auth, name);
                strcat(no_auth, " ");
                continue;
            }
            redisReply *r = call_with_arity(u, name, ce->element[1]->integer);
            cr_assert(r, "%s: connection lost (%s)", name, u->errstr);
            /* A rejected EXEC aborts the transaction with the reason. */
            const char *want = strcmp(name, "exec") ? "NOAUTH Authentication required."
                                                    : "EXECABORT Transaction discarded because "
                                                      "of: NOAUTH Authentication required.";
            cr_assert(r->type == REDIS_REPLY_ERROR && !strcmp(r->str, want),
                      "%s before AUTH: got type %d '%s'", name, r->type, r->str ? r->str : "");
            freeReplyObject(r);
            checked++;
        }
    }
    freeReplyObject(all);
    cr_assert(checked > 150, "only %d commands checked", checked);
    /* The exempt ones, in the server's own order. */
    cr_assert(strstr(no_auth, "auth ") && strstr(no_auth, "hello ") && strstr(no_auth, "quit ") &&
                  strstr(no_auth, "reset "),
              "no_auth: %s", no_auth);
    cr_assert_eq(strlen(no_auth), strlen("auth hello quit reset "), "no_auth: %s", no_auth);
    /* Existence and arity are checked before authentication. */
    expect_error(u, "ERR unknown command 'NOSUCH', with args beginning with: 'a' ", "NOSUCH a");
    expect_error(u, "ERR wrong number of arguments for 'get' command", "GET");
    expect_error(u, "ERR unknown subcommand 'NOPE'. Try CONFIG HELP.", "CONFIG NOPE");
    expect_status(u, "RESET", "RESET");
    expect_error(u, "NOAUTH Authentication required.", "PING");
    /* Inline commands have no unauthenticated argument limit. */
    int fd = srv_raw_connect(s);
    EXPECT(fd, "DEL a b c d e f g h i j k l m n\r\n", "-NOAUTH Authentication required.\r\n");
    /* Exactly at the unauthenticated limits: accepted. */
    char big[16384 + 64];
    int h = sprintf(big, "*2\r\n$4\r\nAUTH\r\n$16384\r\n");
    memset(big + h, 'p', 16384);
    memcpy(big + h + 16384, "\r\n", 2);
    raw_expect(fd, big, (size_t)h + 16386,
               "-WRONGPASS invalid username-password pair or user is disabled.\r\n", 64);
    EXPECT(fd,
           "*10\r\n$3\r\nDEL\r\n$1\r\na\r\n$1\r\na\r\n$1\r\na\r\n$1\r\na\r\n$1\r\na\r\n"
           "$1\r\na\r\n$1\r\na\r\n$1\r\na\r\n$1\r\na\r\n",
           "-NOAUTH Authentication required.\r\n");
    close(fd);
    /* One above them: refused and closed. */
    expect_fatal(c, "*11\r\n", 5, "-ERR Protocol error: unauthenticated multibulk length\r\n");
    expect_fatal(c, "*1\r\n$16385\r\n", 13, "-ERR Protocol error: unauthenticated bulk length\r\n");
    /* Nothing ran. */
    expect_int(c, 0, "DBSIZE");
    redisFree(u);
    expect_status(c, "OK", "CONFIG SET requirepass ''");
    redisFree(c);
}

/* Wrong passwords: exact WRONGPASS every time, counted in errorstats and
 * total_error_replies (Redis 7.0 has no other INFO counter for them); no
 * lockout, the right password still works. */
Test(hostile_auth, wrong_passwords_are_counted)
{
    redisContext *c = srv_connect(s);
    expect_status(c, "OK", "CONFIG SET requirepass pw");
    expect_status(c, "OK", "CONFIG RESETSTAT");
    redisContext *u = srv_connect(s);
    const char *wp = "WRONGPASS invalid username-password pair or user is disabled.";
    expect_error(u, wp, "AUTH bad");
    expect_error(u, wp, "AUTH default bad");
    expect_error(u, wp, "AUTH nouser pw");
    expect_error(u, wp, "AUTH %b", "pw\0", (size_t)3);
    expect_error(u, wp, "AUTH %b", "p", (size_t)1);
    char longpw[5000];
    memset(longpw, 'w', sizeof(longpw));
    expect_error(u, wp, "AUTH %b", longpw, sizeof(longpw));
    /* HELLO with a wrong password: the same error, no protocol switch. */
    expect_error(u, wp, "HELLO 3 AUTH default bad");
    expect_error(u, "NOAUTH Authentication required.", "PING");
    for (int i = 0; i < 100; i++)
        expect_error(u, wp, "AUTH bad%d", i);
    expect_status(u, "OK", "AUTH pw");
    expect_status(u, "PONG", "PING");
    char v[128];
    info_str(c, "errorstats", "errorstat_WRONGPASS", v, sizeof(v));
    cr_assert_str_eq(v, "count=107");
    info_str(c, "errorstats", "errorstat_NOAUTH", v, sizeof(v));
    cr_assert_str_eq(v, "count=1");
    cr_assert_eq(info_ll(c, "stats", "total_error_replies"), 108);
    redisReply *r = cmd(c, "INFO commandstats");
    char *auth = strstr(r->str, "cmdstat_auth:calls=107,");
    cr_assert(auth && strstr(auth, ",rejected_calls=0,failed_calls=106\r\n"), "%s", r->str);
    char *hello = strstr(r->str, "cmdstat_hello:calls=1,");
    cr_assert(hello && strstr(hello, ",rejected_calls=0,failed_calls=1\r\n"), "%s", r->str);
    char *ping = strstr(r->str, "cmdstat_ping:calls=1,");
    cr_assert(ping && strstr(ping, ",rejected_calls=1,failed_calls=0\r\n"), "%s", r->str);
    freeReplyObject(r);
    expect_status(c, "OK", "CONFIG SET requirepass ''");
    redisFree(u);
    redisFree(c);
}

/* ---- maxmemory ---- */

/* maxmemory just above used_memory, noeviction: denyoom commands get OOM,
 * reads and the consuming side of a queue (LPOP, XREADGROUP, XACK, XCLAIM)
 * and DEL work; used_memory stays bounded; freeing memory lifts it. */
Test(hostile, maxmemory_noeviction)
{
    redisContext *c = srv_connect(s);
    const char *oom = "OOM command not allowed when used memory > 'maxmemory'.";
    expect_status(c, "OK", "XGROUP CREATE q g $ MKSTREAM");
    for (int i = 1; i <= 5; i++)
        freeReplyObject(cmd(c, "XADD q %d-0 f %d", i, i));
    freeReplyObject(cmd(c, "XREADGROUP GROUP g w COUNT 3 STREAMS q >"));
    expect_int(c, 3, "RPUSH l a b c");
    long long m0 = memory_baseline(c);
    long long limit = m0 + 1024 * 1024;
    expect_status(c, "OK", "CONFIG SET maxmemory %lld", limit);
    expect_status(c, "OK", "CONFIG SET maxmemory-policy noeviction");
    char *val = malloc(100000);
    memset(val, 'x', 100000);
    int n = 0;
    for (;; n++) {
        redisReply *r = cmd(c, "SET k%d %b", n, val, (size_t)100000);
        if (r->type == REDIS_REPLY_ERROR) {
            cr_assert_str_eq(r->str, oom);
            freeReplyObject(r);
            break;
        }
        cr_assert_str_eq(r->str, "OK");
        freeReplyObject(r);
        cr_assert(n < 40, "no OOM after %d x 100 KB", n);
    }
    cr_assert(n >= 5, "OOM after only %d writes", n);
    long long high = used_memory(c);
    cr_assert(high < limit + 512 * 1024, "used_memory %lld, limit %lld", high, limit);
    /* The OOM above counted the 100 KB argument being parsed, freed since:
     * hold the server above its limit whatever the transient buffers. */
    limit = high - 256 * 1024;
    expect_status(c, "OK", "CONFIG SET maxmemory %lld", limit);
    /* Writes that may grow memory: refused. */
    expect_error(c, oom, "SET z 1");
    expect_error(c, oom, "XADD q 9-0 f v");
    expect_error(c, oom, "LPUSH l x");
    expect_error(c, oom, "INCR cnt");
    expect_error(c, oom, "APPEND k0 x");
    expect_error(c, oom, "XGROUP CREATECONSUMER q g newc");
    expect_status(c, "OK", "MULTI");
    expect_error(c, oom, "SET a b");
    expect_error(c, "EXECABORT Transaction discarded because of previous errors.", "EXEC");
    expect_error(c,
                 "OOM command not allowed when used memory > 'maxmemory'. script: "
                 "ff967d0ae0e68b4f9e360fa91c54598bc25ad9b6, on @user_script:1.",
                 "EVAL %s 0", "return redis.call('set','a','b')");
    /* Reads, pops and the consumer-group side of a queue: allowed. */
    redisReply *r = cmd(c, "GET k0");
    cr_assert_eq(r->len, 100000);
    freeReplyObject(r);
    expect_int(c, 1, "EXPIRE k0 1000");
    expect_bulk(c, "a", "LPOP l");
    expect_int(c, 1, "XACK q g 1-0");
    r = cmd(c, "XREADGROUP GROUP g w COUNT 1 STREAMS q >");
    cr_assert_eq(r->type, REDIS_REPLY_ARRAY, "XREADGROUP under OOM: type %d", r->type);
    cr_assert_str_eq(r->element[0]->element[1]->element[0]->element[0]->str, "4-0");
    freeReplyObject(r);
    r = cmd(c, "XCLAIM q g w2 0 2-0 JUSTID");
    cr_assert_eq(r->type, REDIS_REPLY_ARRAY);
    cr_assert_eq(r->elements, 1);
    cr_assert_str_eq(r->element[0]->str, "2-0");
    freeReplyObject(r);
    expect_int(c, 2, "XACK q g 2-0 4-0");
    expect_int(c, 0, "PUBLISH ch x");
    cr_assert(used_memory(c) < high + 256 * 1024, "used_memory grew under OOM");
    /* DEL frees: writes work again. */
    expect_int(c, 5, "DEL k0 k1 k2 k3 k4");
    expect_status(c, "OK", "SET z 1");
    expect_int(c, 5, "XLEN q");
    expect_status(c, "OK", "CONFIG SET maxmemory 0");
    expect_status(c, "PONG", "PING");
    cr_assert_eq(kill(s->pid, 0), 0, "server died");
    free(val);
    redisFree(c);
}
