/* test_basic.c - the server starts, answers, and rejects bad commands
 * with Redis's exact errors. */
#include "harness.h"

static srv_handle *s;
static void setup(void)
{
    s = srv_start(NULL);
}
static void teardown(void)
{
    srv_stop(s);
}

TestSuite(basic, .init = setup, .fini = teardown, .timeout = 30);

Test(basic, ping)
{
    redisContext *c = srv_connect(s);
    expect_status(c, "PONG", "PING");
    expect_bulk(c, "hi", "PING hi");
    expect_error(c, "ERR wrong number of arguments for 'ping' command", "PING a b");
    redisFree(c);
}

Test(basic, unknown_command)
{
    redisContext *c = srv_connect(s);
    expect_error(c, "ERR unknown command 'NOSUCH', with args beginning with: 'a' 'b' ",
                 "NOSUCH a b");
    redisFree(c);
}

Test(basic, config_get_set)
{
    redisContext *c = srv_connect(s);
    expect_status(c, "OK", "CONFIG SET hz 50");
    const char *v[] = {"hz", "50"};
    expect_strings(c, 2, v, "CONFIG GET hz");
    expect_error(c, "ERR Unknown option or number of arguments for CONFIG SET - 'nosuch'",
                 "CONFIG SET nosuch 1");
    redisFree(c);
}
