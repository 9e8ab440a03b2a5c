/* harness.h - integration test support: spawn a sluice-server on a free
 * port, connect with hiredis, and assert on exact replies.
 *
 *   static srv_handle *s;
 *   static void setup(void) { s = srv_start(NULL); }     // extra args: "--hz 100"
 *   static void teardown(void) { srv_stop(s); }
 *   TestSuite(strings, .init = setup, .fini = teardown);
 *   Test(strings, set_get) {
 *       redisContext *c = srv_connect(s);
 *       expect_status(c, "OK", "SET k v");
 *       expect_bulk(c, "v", "GET k");
 *       redisFree(c);
 *   }
 *
 * The server binary is $SLUICE_SERVER (set by the Makefile), else
 * ./src/sluice-server.  Every server is killed in srv_stop. */
#ifndef TEST_HARNESS_H
#define TEST_HARNESS_H
#include <criterion/criterion.h>
#include <hiredis/hiredis.h>
#include <sys/types.h>

typedef struct srv_handle {
    pid_t pid;
    int port;
    char dir[256];
} srv_handle;

/* extra: NULL or a space-separated list of extra arguments. */
srv_handle *srv_start(const char *extra);
void srv_stop(srv_handle *s);
redisContext *srv_connect(srv_handle *s);
/* Raw TCP socket to the server, for protocol-level and RESP3 tests
 * (Debian's hiredis 0.14 has no RESP3 parser: compare exact bytes). */
int srv_raw_connect(srv_handle *s);
/* The same with SO_RCVBUF set before connecting, so the advertised window
 * stays small: a client that never reads fills up quickly. */
int srv_raw_connect_rcvbuf(srv_handle *s, int rcvbuf);
/* RESP multibulk of a space-separated command line (no quoting). */
size_t resp_of(char *out, size_t cap, const char *line);
/* Send a space-separated command line as RESP, not reading the reply. */
void raw_send(int fd, const char *line);
/* Send bytes, then read until `expect_len` bytes or EOF/timeout (ms). */
size_t raw_send_recv(int fd, const char *out, size_t outlen, char *in, size_t cap, int timeout_ms);

/* Assertions: they format the command with redisCommand's printf rules. */
redisReply *cmd(redisContext *c, const char *fmt, ...);
void expect_status(redisContext *c, const char *status, const char *fmt, ...);
void expect_error(redisContext *c, const char *err, const char *fmt, ...);
void expect_error_prefix(redisContext *c, const char *prefix, const char *fmt, ...);
void expect_int(redisContext *c, long long v, const char *fmt, ...);
void expect_bulk(redisContext *c, const char *v, const char *fmt, ...);
void expect_nil(redisContext *c, const char *fmt, ...);
/* Array of strings; NULL entries stand for nil; pass n elements. */
void expect_strings(redisContext *c, int n, const char **v, const char *fmt, ...);
int free_port(void);
long long now_ms(void);

#endif
