/* harness.c - see harness.h. */
#include "harness.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

long long now_ms(void)
{
    struct timeval tv;
    gettimeofday(&tv, NULL);
    return (long long)tv.tv_sec * 1000 + tv.tv_usec / 1000;
}

int free_port(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sa;
    socklen_t sl = sizeof(sa);
    memset(&sa, 0, sizeof(sa));
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    sa.sin_port = 0;
    if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
        close(fd);
        return -1;
    }
    getsockname(fd, (struct sockaddr *)&sa, &sl);
    int port = ntohs(sa.sin_port);
    close(fd);
    return port;
}

/* $SLUICE_TEST_SLOWDOWN (an integer, default 1) multiplies how long
 * srv_start waits for PING and srv_stop for the exit after SIGTERM:
 * tests/valgrind/run.sh sets 10 for a server running under valgrind. */
static int slowdown(void)
{
    const char *e = getenv("SLUICE_TEST_SLOWDOWN");
    int n = e ? atoi(e) : 1;
    return n > 1 ? n : 1;
}

static const char *server_path(void)
{
    const char *p = getenv("SLUICE_SERVER");
    return p && *p ? p : "./src/sluice-server";
}

srv_handle *srv_start(const char *extra)
{
    srv_handle *s = calloc(1, sizeof(*s));
    snprintf(s->dir, sizeof(s->dir), "/tmp/sluice-test-XXXXXX");
    if (!mkdtemp(s->dir))
        cr_assert_fail("mkdtemp: %s", strerror(errno));
    for (int attempt = 0; attempt < 5; attempt++) {
        s->port = free_port();
        char portstr[16];
        snprintf(portstr, sizeof(portstr), "%d", s->port);
        char *argv[64];
        int argc = 0;
        argv[argc++] = (char *)server_path();
        argv[argc++] = "--port";
        argv[argc++] = portstr;
        argv[argc++] = "--bind";
        argv[argc++] = "127.0.0.1";
        argv[argc++] = "--dir";
        argv[argc++] = s->dir;
        argv[argc++] = "--appendonly";
        argv[argc++] = "no";
        argv[argc++] = "--logfile";
        char logpath[300];
        snprintf(logpath, sizeof(logpath), "%s/server.log", s->dir);
        argv[argc++] = logpath;
        char *copy = extra ? strdup(extra) : NULL;
        char *save = NULL;
        for (char *t = copy ? strtok_r(copy, " ", &save) : NULL; t && argc < 62;
             t = strtok_r(NULL, " ", &save))
            argv[argc++] = strcmp(t, "''") == 0 ? "" : t;
        argv[argc] = NULL;
        pid_t pid = fork();
        if (pid == 0) {
            execv(argv[0], argv);
            _exit(127);
        }
        free(copy);
        s->pid = pid;
        /* Wait until it answers PING. */
        for (int i = 0; i < 200 * slowdown(); i++) {
            struct timeval tv = {0, 200000};
            redisContext *c = redisConnectWithTimeout("127.0.0.1", s->port, tv);
            if (c && !c->err) {
                redisReply *r = redisCommand(c, "PING");
                int ok = r && (r->type == REDIS_REPLY_STATUS ||
                               (r->type == REDIS_REPLY_ERROR && strstr(r->str, "NOAUTH")));
                if (r)
                    freeReplyObject(r);
                redisFree(c);
                if (ok)
                    return s;
            } else if (c) {
                redisFree(c);
            }
            int status;
            if (waitpid(pid, &status, WNOHANG) == pid)
                break; /* died: maybe the port was taken; retry */
            usleep(25000);
        }
        kill(pid, SIGKILL);
        waitpid(pid, NULL, 0);
    }
    cr_assert_fail("could not start %s", server_path());
    return NULL;
}

void srv_stop(srv_handle *s)
{
    if (!s)
        return;
    if (s->pid > 0) {
        kill(s->pid, SIGTERM);
        for (int i = 0; i < 200 * slowdown(); i++) {
            if (waitpid(s->pid, NULL, WNOHANG) == s->pid) {
                s->pid = 0;
                break;
            }
            usleep(10000);
        }
        if (s->pid) {
            kill(s->pid, SIGKILL);
            waitpid(s->pid, NULL, 0);
        }
    }
    char cmdline[400];
    snprintf(cmdline, sizeof(cmdline), "rm -rf '%s'", s->dir);
    if (system(cmdline) != 0) {
        /* best effort */
    }
    free(s);
}

redisContext *srv_connect(srv_handle *s)
{
    struct timeval tv = {5, 0};
    redisContext *c = redisConnectWithTimeout("127.0.0.1", s->port, tv);
    cr_assert(c && !c->err, "connect to port %d failed", s->port);
    redisSetTimeout(c, tv);
    return c;
}

int srv_raw_connect(srv_handle *s)
{
    return srv_raw_connect_rcvbuf(s, 0);
}

int srv_raw_connect_rcvbuf(srv_handle *s, int rcvbuf)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (rcvbuf > 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
    struct sockaddr_in sa;
    memset(&sa, 0, sizeof(sa));
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    sa.sin_port = htons((uint16_t)s->port);
    cr_assert(connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0, "raw connect failed");
    return fd;
}

size_t raw_send_recv(int fd, const char *out, size_t outlen, char *in, size_t cap, int timeout_ms)
{
    size_t off = 0;
    while (off < outlen) {
        ssize_t w = write(fd, out + off, outlen - off);
        if (w <= 0)
            break;
        off += (size_t)w;
    }
    size_t got = 0;
    long long deadline = now_ms() + timeout_ms;
    while (got < cap) {
        struct pollfd p = {fd, POLLIN, 0};
        long long left = deadline - now_ms();
        if (left <= 0 || poll(&p, 1, (int)left) <= 0)
            break;
        ssize_t r = read(fd, in + got, cap - got);
        if (r <= 0)
            break;
        got += (size_t)r;
    }
    return got;
}

static redisReply *vcmd(redisContext *c, const char *fmt, va_list ap)
{
    redisReply *r = redisvCommand(c, fmt, ap);
    cr_assert(r, "no reply (connection error: %s)", c->errstr);
    return r;
}

redisReply *cmd(redisContext *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    redisReply *r = vcmd(c, fmt, ap);
    va_end(ap);
    return r;
}

#define WITH_REPLY(r)          \
    va_list ap;                \
    va_start(ap, fmt);         \
    redisReply *r = vcmd(c, fmt, ap); \
    va_end(ap)

void expect_status(redisContext *c, const char *status, const char *fmt, ...)
{
    WITH_REPLY(r);
    cr_assert_eq(r->type, REDIS_REPLY_STATUS, "%s: expected status %s, got type %d (%s)", fmt,
                 status, r->type, r->str ? r->str : "");
    cr_assert_str_eq(r->str, status, "%s", fmt);
    freeReplyObject(r);
}

void expect_error(redisContext *c, const char *err, const char *fmt, ...)
{
    WITH_REPLY(r);
    cr_assert_eq(r->type, REDIS_REPLY_ERROR, "%s: expected error, got type %d", fmt, r->type);
    cr_assert_str_eq(r->str, err, "%s", fmt);
    freeReplyObject(r);
}

void expect_error_prefix(redisContext *c, const char *prefix, const char *fmt, ...)
{
    WITH_REPLY(r);
    cr_assert_eq(r->type, REDIS_REPLY_ERROR, "%s: expected error, got type %d", fmt, r->type);
    cr_assert(strncmp(r->str, prefix, strlen(prefix)) == 0, "%s: error '%s' lacks prefix '%s'",
              fmt, r->str, prefix);
    freeReplyObject(r);
}

void expect_int(redisContext *c, long long v, const char *fmt, ...)
{
    WITH_REPLY(r);
    cr_assert_eq(r->type, REDIS_REPLY_INTEGER, "%s: expected integer %lld, got type %d (%s)", fmt,
                 v, r->type, r->str ? r->str : "");
    cr_assert_eq(r->integer, v, "%s: expected %lld got %lld", fmt, v, r->integer);
    freeReplyObject(r);
}

void expect_bulk(redisContext *c, const char *v, const char *fmt, ...)
{
    WITH_REPLY(r);
    cr_assert_eq(r->type, REDIS_REPLY_STRING, "%s: expected bulk '%s', got type %d (%s)", fmt, v,
                 r->type, r->str ? r->str : "");
    cr_assert_eq(r->len, strlen(v), "%s: length", fmt);
    cr_assert(memcmp(r->str, v, r->len) == 0, "%s: expected '%s' got '%s'", fmt, v, r->str);
    freeReplyObject(r);
}

void expect_nil(redisContext *c, const char *fmt, ...)
{
    WITH_REPLY(r);
    cr_assert_eq(r->type, REDIS_REPLY_NIL, "%s: expected nil, got type %d", fmt, r->type);
    freeReplyObject(r);
}

void expect_strings(redisContext *c, int n, const char **v, const char *fmt, ...)
{
    WITH_REPLY(r);
    cr_assert(r->type == REDIS_REPLY_ARRAY,
              "%s: expected array, got type %d (%s)", fmt, r->type, r->str ? r->str : "");
    cr_assert_eq((int)r->elements, n, "%s: expected %d elements, got %zu", fmt, n, r->elements);
    for (int i = 0; i < n; i++) {
        redisReply *e = r->element[i];
        if (!v[i]) {
            cr_assert_eq(e->type, REDIS_REPLY_NIL, "%s: element %d should be nil", fmt, i);
            continue;
        }
        cr_assert(e->type == REDIS_REPLY_STRING || e->type == REDIS_REPLY_STATUS,
                  "%s: element %d type %d", fmt, i, e->type);
        cr_assert_str_eq(e->str, v[i], "%s: element %d", fmt, i);
    }
    freeReplyObject(r);
}

size_t resp_of(char *out, size_t cap, const char *line)
{
    char *args[64], *save = NULL, *copy = strdup(line);
    int n = 0;
    for (char *t = strtok_r(copy, " ", &save); t && n < 64; t = strtok_r(NULL, " ", &save))
        args[n++] = t;
    size_t off = (size_t)snprintf(out, cap, "*%d\r\n", n);
    for (int i = 0; i < n; i++)
        off += (size_t)snprintf(out + off, cap - off, "$%zu\r\n%s\r\n", strlen(args[i]), args[i]);
    free(copy);
    return off;
}

void raw_send(int fd, const char *line)
{
    char out[4096];
    size_t n = resp_of(out, sizeof(out), line);
    size_t off = 0;
    while (off < n) {
        ssize_t w = send(fd, out + off, n - off, MSG_NOSIGNAL);
        cr_assert(w > 0, "send failed: %s", strerror(errno));
        off += (size_t)w;
    }
}
