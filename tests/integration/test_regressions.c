/* test_regressions.c - one test per bug the differential tester
 * (tests/diff) or the fuzzers (tests/fuzz) found and that was fixed, named
 * after what it was.  Each asserts Redis 7.0.15's exact bytes. */
#include "harness.h"

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

TestSuite(regressions, .init = setup, .fini = teardown, .timeout = 60);

/* Redis finds the end of an inline request with strchr(), so a NUL byte
 * before the newline hides it: no reply, the line just grows, and past
 * 64 KiB the client gets "too big inline request" and is closed.  Sluice
 * used to answer "ECHO \0x" with "\0x" (diff seed 3, raw operation). */
Test(regressions, inline_nul_hides_the_newline)
{
    char in[256];
    int fd = srv_raw_connect(s);
    static const char req[] = "ECHO \0x\r\nPING\r\n";
    size_t n = raw_send_recv(fd, req, sizeof(req) - 1, in, sizeof(in), 300);
    cr_assert_eq(n, 0, "got %zu bytes of reply, expected none", n);

    size_t big = 70000;
    char *junk = malloc(big);
    cr_assert(junk);
    memset(junk, 'a', big);
    n = raw_send_recv(fd, junk, big, in, sizeof(in) - 1, 3000);
    free(junk);
    in[n] = '\0';
    cr_assert_str_eq(in, "-ERR Protocol error: too big inline request\r\n");
    close(fd);

    /* A NUL inside a multibulk argument is just a byte. */
    fd = srv_raw_connect(s);
    static const char mb[] = "*2\r\n$4\r\nECHO\r\n$3\r\na\0b\r\n";
    n = raw_send_recv(fd, mb, sizeof(mb) - 1, in, sizeof(in), 1000);
    cr_assert_eq(n, 9);
    cr_assert(memcmp(in, "$3\r\na\0b\r\n", 9) == 0);
    close(fd);

    /* Only that client was affected. */
    redisContext *c = srv_connect(s);
    expect_status(c, "PONG", "PING");
    redisFree(c);
}

/* The same for the "*count" and "$len" header lines, whose CR Redis finds
 * with strchr(): "*1\r\n\0abc\r\n" waits for more instead of failing with
 * "expected '$'" (diff seed 2002, raw operation), and past 64 KiB it is
 * "too big bulk count string". */
Test(regressions, header_nul_hides_the_cr)
{
    char in[256];
    int fd = srv_raw_connect(s);
    static const char req[] = "*1\r\n\0abc\r\n";
    size_t n = raw_send_recv(fd, req, sizeof(req) - 1, in, sizeof(in), 300);
    cr_assert_eq(n, 0, "got %zu bytes of reply, expected none", n);
    size_t big = 70000;
    char *junk = malloc(big);
    cr_assert(junk);
    memset(junk, 'a', big);
    n = raw_send_recv(fd, junk, big, in, sizeof(in) - 1, 3000);
    in[n] = '\0';
    cr_assert_str_eq(in, "-ERR Protocol error: too big bulk count string\r\n");
    close(fd);

    fd = srv_raw_connect(s);
    static const char count[] = "*1\0\r\n";
    n = raw_send_recv(fd, count, sizeof(count) - 1, in, sizeof(in), 300);
    cr_assert_eq(n, 0, "got %zu bytes of reply, expected none", n);
    n = raw_send_recv(fd, junk, big, in, sizeof(in) - 1, 3000);
    free(junk);
    in[n] = '\0';
    cr_assert_str_eq(in, "-ERR Protocol error: too big mbulk count string\r\n");
    close(fd);
}

/* Found by the differential tester: SELECT of an index outside int range
 * names the range, like Redis's getIntFromObjectOrReply. */
Test(regressions, select_index_out_of_int_range)
{
    redisContext *c = srv_connect(s);
    expect_error(c, "ERR value is out of range, value must between -2147483648 and 2147483647",
                 "SELECT 9223372036854775807");
    expect_error(c, "ERR value is not an integer or out of range", "SELECT abc");
    redisFree(c);
}

/* Found by the valgrind run: the unknown-subcommand error first formatted
 * argv[1] with %.128s, reading past the argument's end; when the request
 * fills the 16 KiB read exactly, that is past the query buffer (ASan sees
 * the heap over-read). */
Test(regressions, unknown_subcommand_at_the_end_of_the_query_buffer)
{
    static const char tail[] = "*2\r\n$6\r\nOBJECT\r\n$3\r\nfoo\r\n";
    const size_t total = 16384, tl = sizeof(tail) - 1;
    char *req = malloc(total), hdr[64];
    cr_assert(req);
    size_t l = total - tl - 2 - 24; /* first guess of the ECHO payload */
    size_t hl;
    for (;;) {
        hl = (size_t)snprintf(hdr, sizeof(hdr), "*2\r\n$4\r\nECHO\r\n$%zu\r\n", l);
        if (hl + l + 2 + tl == total)
            break;
        l = total - tl - 2 - hl;
    }
    memcpy(req, hdr, hl);
    memset(req + hl, 'a', l);
    memcpy(req + hl + l, "\r\n", 2);
    memcpy(req + hl + l + 2, tail, tl);
    int fd = srv_raw_connect(s);
    char hdr_reply[32];
    int rl = snprintf(hdr_reply, sizeof(hdr_reply), "$%zu\r\n", l);
    static const char err[] = "-ERR unknown subcommand 'foo'. Try OBJECT HELP.\r\n";
    size_t want = (size_t)rl + l + 2 + sizeof(err) - 1;
    char *in = malloc(want + 1);
    size_t n = raw_send_recv(fd, req, total, in, want, 5000);
    in[n] = '\0';
    cr_assert_eq(n, want, "got %zu bytes, expected %zu", n, want);
    cr_assert_str_eq(in + rl + l + 2, err);
    free(in);
    free(req);
    close(fd);
}
