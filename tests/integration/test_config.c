/* test_config.c - configuration: bad config files and --flags stop start-up
 * with Redis's exact "FATAL CONFIG FILE ERROR" text and exit status 1;
 * CONFIG GET / SET / REWRITE answer like Redis 7.0.15.
 *
 * src/config.c works on the server global, so it is tested here through
 * the real binary rather than as a unit.  Fatal-error tests spawn the server
 * with stdout and stderr captured and compare the whole output; the only
 * deliberate difference from Redis is the banner, "(Sluice <version>)"
 * instead of "(Redis 7.0.15)", the version taken from `sluice-server -v`.
 *
 * Redis's behaviour is the reference throughout: when a test and
 * redis-server 7.0.15 disagree, the test is wrong. */
#include "harness.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *server_bin(void)
{
    const char *p = getenv("SLUICE_SERVER");
    return p && *p ? p : "./src/sluice-server";
}

/* ---- spawning with captured output -------------------------------------- */

typedef struct run_result {
    char out[8192]; /* stdout and stderr, interleaved */
    size_t len;
    int exited;     /* 1 if it exited by itself within the timeout */
    int status;     /* exit status when exited */
} run_result;

/* Run the server with argv (argv[0] filled in here) and collect its output
 * until it exits; a server still running after timeout_ms is killed. */
static void run_capture(char **argv, int timeout_ms, run_result *res)
{
    int fds[2];
    memset(res, 0, sizeof(*res));
    cr_assert_eq(pipe(fds), 0);
    argv[0] = (char *)server_bin();
    pid_t pid = fork();
    cr_assert_geq(pid, 0);
    if (pid == 0) {
        dup2(fds[1], 1);
        dup2(fds[1], 2);
        close(fds[0]);
        close(fds[1]);
        execv(argv[0], argv);
        _exit(127);
    }
    close(fds[1]);
    long long deadline = now_ms() + timeout_ms;
    for (;;) {
        long long left = deadline - now_ms();
        struct pollfd p = {fds[0], POLLIN, 0};
        if (left <= 0 || poll(&p, 1, (int)left) <= 0)
            break;
        ssize_t r = read(fds[0], res->out + res->len, sizeof(res->out) - 1 - res->len);
        if (r <= 0)
            break;
        res->len += (size_t)r;
    }
    res->out[res->len] = '\0';
    close(fds[0]);
    int st;
    for (int i = 0; i < 100; i++) {
        if (waitpid(pid, &st, WNOHANG) == pid) {
            res->exited = 1;
            res->status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
            return;
        }
        usleep(10000);
    }
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
}

static char version[64];

static const char *sluice_version(void)
{
    if (version[0])
        return version;
    char *argv[] = {NULL, "-v", NULL};
    run_result r;
    run_capture(argv, 5000, &r);
    const char *v = strstr(r.out, "v=");
    cr_assert_not_null(v, "no version in: %s", r.out);
    size_t n = strcspn(v + 2, " \n");
    cr_assert_lt(n, sizeof(version));
    memcpy(version, v + 2, n);
    version[n] = '\0';
    return version;
}

/* The whole output Redis prints for a bad directive (banner adapted). */
static void fatal_text(char *buf, size_t cap, int line, const char *shown, const char *reason)
{
    snprintf(buf, cap,
             "\n*** FATAL CONFIG FILE ERROR (Sluice %s) ***\n"
             "Reading the configuration file, at line %d\n"
             ">>> '%s'\n"
             "%s\n",
             sluice_version(), line, shown, reason);
}

static char tmpdir[256];

/* Servers a test started: stopped by the suite's .fini even when an
 * assertion ends the test early (each test runs in its own process). */
static srv_handle *servers[8];
static int nservers;

static srv_handle *track(srv_handle *s)
{
    cr_assert_lt(nservers, 8);
    servers[nservers++] = s;
    return s;
}

static void stop(srv_handle *s)
{
    for (int i = 0; i < nservers; i++)
        if (servers[i] == s)
            servers[i] = NULL;
    srv_stop(s);
}

static void make_tmpdir(void)
{
    snprintf(tmpdir, sizeof(tmpdir), "/tmp/sluice-test-config-XXXXXX");
    cr_assert_not_null(mkdtemp(tmpdir));
}

static void remove_tmpdir(void)
{
    for (int i = 0; i < nservers; i++)
        if (servers[i])
            srv_stop(servers[i]);
    nservers = 0;
    char cmdline[300];
    snprintf(cmdline, sizeof(cmdline), "rm -rf '%s'", tmpdir);
    if (system(cmdline) != 0) {
        /* best effort */
    }
}

static void write_file(const char *path, const char *text)
{
    FILE *fp = fopen(path, "w");
    cr_assert_not_null(fp, "%s: %s", path, strerror(errno));
    fputs(text, fp);
    fclose(fp);
}

static char *read_file(const char *path)
{
    FILE *fp = fopen(path, "r");
    cr_assert_not_null(fp, "%s: %s", path, strerror(errno));
    static char buf[16384];
    size_t n = fread(buf, 1, sizeof(buf) - 1, fp);
    buf[n] = '\0';
    fclose(fp);
    return buf;
}

/* Start with config file text `conf` plus "--port P"; expect a fatal error
 * exactly as given by (line, shown, reason). */
static void expect_fatal_file(const char *conf, int line, const char *shown, const char *reason)
{
    char path[300], port[16], want[2048];
    snprintf(path, sizeof(path), "%s/bad.conf", tmpdir);
    write_file(path, conf);
    snprintf(port, sizeof(port), "%d", free_port());
    char *argv[] = {NULL, path, "--port", port, NULL};
    run_result r;
    run_capture(argv, 5000, &r);
    cr_assert(r.exited, "server did not stop on a bad config: %s", conf);
    cr_assert_eq(r.status, 1, "exit status for: %s", conf);
    fatal_text(want, sizeof(want), line, shown, reason);
    cr_assert_str_eq(r.out, want, "config: %s", conf);
}

/* Start with command-line arguments only (after "--port P"). */
static void expect_fatal_args(char **args, int line, const char *shown, const char *reason)
{
    char port[16], want[2048];
    snprintf(port, sizeof(port), "%d", free_port());
    char *argv[32] = {NULL, "--port", port};
    int n = 3;
    for (int i = 0; args[i] && n < 31; i++)
        argv[n++] = args[i];
    argv[n] = NULL;
    run_result r;
    run_capture(argv, 5000, &r);
    cr_assert(r.exited, "server did not stop on bad arguments");
    cr_assert_eq(r.status, 1);
    fatal_text(want, sizeof(want), line, shown, reason);
    cr_assert_str_eq(r.out, want);
}

TestSuite(config_fatal, .init = make_tmpdir, .fini = remove_tmpdir, .timeout = 60);

Test(config_fatal, not_an_integer)
{
    expect_fatal_file("port 7777\nport abc\n", 2, "port abc",
                      "argument couldn't be parsed into an integer");
}

Test(config_fatal, out_of_range)
{
    expect_fatal_file("# a comment\n\nport 70000\n", 3, "port 70000",
                      "argument must be between 0 and 65535 inclusive");
}

Test(config_fatal, unknown_directive)
{
    expect_fatal_file("nosuchdirective 1\n", 1, "nosuchdirective 1",
                      "Bad directive or wrong number of arguments");
}

Test(config_fatal, bad_bool_memory_enum)
{
    expect_fatal_file("appendonly maybe\n", 1, "appendonly maybe",
                      "argument must be 'yes' or 'no'");
    expect_fatal_file("maxmemory 10xb\n", 1, "maxmemory 10xb", "argument must be a memory value");
    expect_fatal_file("loglevel loud\n", 1, "loglevel loud",
                      "argument(s) must be one of the following: debug, verbose, notice, warning");
}

Test(config_fatal, unbalanced_quotes)
{
    expect_fatal_file("save \"abc\n", 1, "save \"abc", "Unbalanced quotes in configuration line");
}

Test(config_fatal, line_is_shown_trimmed)
{
    /* Redis trims the line before showing it. */
    expect_fatal_file("   hz   abc   \n", 1, "hz   abc",
                      "argument couldn't be parsed into an integer");
}

Test(config_fatal, missing_file)
{
    char path[300];
    snprintf(path, sizeof(path), "%s/does-not-exist.conf", tmpdir);
    char *argv[] = {NULL, path, NULL};
    run_result r;
    run_capture(argv, 5000, &r);
    cr_assert(r.exited);
    cr_assert_eq(r.status, 1);
    char want[512];
    snprintf(want, sizeof(want),
             "Fatal error, can't open config file '%s': No such file or directory", path);
    /* Redis logs it with its log prefix ("pid:C date # "): compare the text. */
    cr_assert_not_null(strstr(r.out, want), "got: %s", r.out);
}

Test(config_fatal, good_file_then_bad_flag_keeps_the_file_valid)
{
    char path[300], port[16];
    snprintf(path, sizeof(path), "%s/ok.conf", tmpdir);
    write_file(path, "hz 20\n");
    snprintf(port, sizeof(port), "%d", free_port());
    char *argv[] = {NULL, path, "--port", port, "--maxmemory", "lots", NULL};
    run_result r;
    run_capture(argv, 5000, &r);
    cr_assert(r.exited);
    cr_assert_eq(r.status, 1);
    const char *want = ">>> 'maxmemory \"lots\"'\nargument must be a memory value\n";
    cr_assert_not_null(strstr(r.out, want), "got: %s", r.out);
}

/* Redis: a standard directive with the wrong number of arguments says so. */
Test(config_fatal, wrong_number_of_arguments)
{
    expect_fatal_file("port 1 2\n", 1, "port 1 2", "wrong number of arguments");
    expect_fatal_file("port\n", 1, "port", "wrong number of arguments");
    expect_fatal_file("requirepass a b\n", 1, "requirepass a b", "wrong number of arguments");
    expect_fatal_file("notify-keyspace-events K E\n", 1, "notify-keyspace-events K E",
                      "wrong number of arguments");
    /* Multi-argument parameters check their arguments themselves. */
    expect_fatal_file("oom-score-adj-values 1 2\n", 1, "oom-score-adj-values 1 2",
                      "wrong number of arguments");
    expect_fatal_file("save 900\n", 1, "save 900", "Invalid save parameters");
    /* Deprecated directives are still accepted with one argument. */
    expect_fatal_file("list-max-ziplist-entries 5\nport x\n", 2, "port x",
                      "argument couldn't be parsed into an integer");
    expect_fatal_file("list-max-ziplist-entries 5 6\n", 1, "list-max-ziplist-entries 5 6",
                      "Bad directive or wrong number of arguments");
}

/* Redis appends the options to the file text after a "\n", so the first
 * option is at line (newlines in file) + 2. */
Test(config_fatal, option_line_numbers)
{
    char *args[] = {"--hz", "abc", NULL};
    /* "--port P" is option 1 (line 2), "--hz abc" option 2 (line 3). */
    expect_fatal_args(args, 3, "hz \"abc\"", "argument couldn't be parsed into an integer");
    /* Values are quoted as Redis's sdscatrepr: a newline stays on the line. */
    char *nl[] = {"--hz", "a\nb", NULL};
    expect_fatal_args(nl, 3, "hz \"a\\nb\"", "argument couldn't be parsed into an integer");

    /* After a file of one line: line 2 is empty, "--port P" is line 3. */
    char path[300], port[16], want[2048];
    snprintf(path, sizeof(path), "%s/one.conf", tmpdir);
    write_file(path, "hz 20\n");
    snprintf(port, sizeof(port), "%d", free_port());
    char *argv[] = {NULL, path, "--port", port, "--hz", "abc", NULL};
    run_result r;
    run_capture(argv, 5000, &r);
    cr_assert(r.exited);
    cr_assert_eq(r.status, 1);
    fatal_text(want, sizeof(want), 4, "hz \"abc\"", "argument couldn't be parsed into an integer");
    cr_assert_str_eq(r.out, want);
}

/* ---- a server started from a config file ---------------------------------- */

/* Start the server on `conf_path` (+ --port P --appendonly no --dir tmpdir):
 * the working directory outlives the server, so a rewritten file that names
 * it can start another one. */
static srv_handle *start_with_file(const char *conf_path)
{
    srv_handle *s = calloc(1, sizeof(*s));
    /* srv_stop removes s->dir: give it a scratch directory of its own. */
    cr_assert_lt(strlen(tmpdir) + 12, sizeof(s->dir));
    memcpy(s->dir, tmpdir, strlen(tmpdir));
    memcpy(s->dir + strlen(tmpdir), "/run-XXXXXX", 12);
    cr_assert_not_null(mkdtemp(s->dir));
    s->port = free_port();
    char port[16];
    snprintf(port, sizeof(port), "%d", s->port);
    pid_t pid = fork();
    if (pid == 0) {
        int devnull = open("/dev/null", O_WRONLY);
        dup2(devnull, 1);
        dup2(devnull, 2);
        execl(server_bin(), server_bin(), conf_path, "--port", port, "--appendonly", "no",
              "--dir", tmpdir, (char *)NULL);
        _exit(127);
    }
    s->pid = pid;
    track(s);
    for (int i = 0; i < 200; i++) {
        struct timeval tv = {0, 200000};
        redisContext *c = redisConnectWithTimeout("127.0.0.1", s->port, tv);
        if (c && !c->err) {
            redisFree(c);
            return s;
        }
        if (c)
            redisFree(c);
        int st;
        cr_assert_neq(waitpid(pid, &st, WNOHANG), pid, "server exited at start-up");
        usleep(25000);
    }
    cr_assert_fail("server did not start");
    return NULL;
}

static const char *conf_text = "# my comment\n"
                               "hz 20\n"
                               "\n"
                               "# another comment\n"
                               "maxmemory 100mb\n"
                               "save \"\"\n"
                               "notify-keyspace-events \"KEA\"\n"
                               "timeout 0\n";

static void expect_get(redisContext *c, const char *name, const char *value)
{
    const char *v[] = {name, value};
    expect_strings(c, 2, v, "CONFIG GET %s", name);
}

/* A CONFIG GET reply holding exactly these n name/value pairs, any order. */
static void expect_pairs(redisContext *c, size_t n, const char **kv, const char *command)
{
    redisReply *r = cmd(c, command);
    cr_assert_eq(r->type, REDIS_REPLY_ARRAY, "%s", command);
    cr_assert_eq(r->elements, 2 * n, "%s: %zu elements", command, r->elements);
    for (size_t i = 0; i < n; i++) {
        int found = 0;
        for (size_t j = 0; j + 1 < r->elements; j += 2)
            if (strcmp(r->element[j]->str, kv[2 * i]) == 0) {
                cr_assert_str_eq(r->element[j + 1]->str, kv[2 * i + 1], "%s", kv[2 * i]);
                found++;
            }
        cr_assert_eq(found, 1, "%s: %s found %d times", command, kv[2 * i], found);
    }
    freeReplyObject(r);
}

TestSuite(config_cmd, .init = make_tmpdir, .fini = remove_tmpdir, .timeout = 60);

Test(config_cmd, values_from_file)
{
    char path[300];
    snprintf(path, sizeof(path), "%s/sluice.conf", tmpdir);
    write_file(path, conf_text);
    srv_handle *s = start_with_file(path);
    redisContext *c = srv_connect(s);
    expect_get(c, "hz", "20");
    expect_get(c, "maxmemory", "104857600");
    expect_get(c, "notify-keyspace-events", "AKE");
    expect_get(c, "timeout", "0");
    expect_get(c, "appendonly", "no"); /* the command line wins over the default */
    redisFree(c);
    stop(s);
}

/* Every directive of Redis 7.0.15's tests/assets/default.conf, the file its
 * test suite starts servers with (redis-compat/run-spawned.sh); the
 * replication ones are accepted and echoed only. */
Test(config_cmd, redis_test_suite_default_conf)
{
    char path[300], conf[1024];
    snprintf(path, sizeof(path), "%s/default.conf", tmpdir);
    snprintf(conf, sizeof(conf),
             "always-show-logo yes\nnotify-keyspace-events KEA\ndaemonize no\n"
             "pidfile %s/redis.pid\nport 6379\ntimeout 0\nbind 127.0.0.1\n"
             "loglevel verbose\nlogfile ''\ndatabases 16\nlatency-monitor-threshold 1\n"
             "repl-diskless-sync-delay 0\nsave 900 1\nrdbcompression yes\n"
             "dbfilename dump.rdb\ndir ./\nslave-serve-stale-data yes\nappendonly no\n"
             "appendfsync everysec\nno-appendfsync-on-rewrite no\nactiverehashing yes\n"
             "enable-protected-configs yes\nenable-debug-command yes\n"
             "enable-module-command yes\npropagation-error-behavior panic\n",
             tmpdir);
    write_file(path, conf);
    srv_handle *s = start_with_file(path);
    redisContext *c = srv_connect(s);
    expect_get(c, "repl-diskless-sync-delay", "0");
    expect_get(c, "slave-serve-stale-data", "yes");
    expect_get(c, "replica-serve-stale-data", "yes");
    expect_status(c, "OK", "CONFIG SET slave-serve-stale-data no");
    expect_get(c, "replica-serve-stale-data", "no");
    redisFree(c);
    stop(s);
}

Test(config_cmd, get_patterns)
{
    srv_handle *s = track(srv_start(NULL));
    redisContext *c = srv_connect(s);
    redisReply *r = cmd(c, "CONFIG GET nosuch-parameter");
    cr_assert_eq(r->type, REDIS_REPLY_ARRAY);
    cr_assert_eq(r->elements, 0);
    freeReplyObject(r);
    expect_error(c, "ERR wrong number of arguments for 'config|get' command", "CONFIG GET");
    /* An alias is answered under the asked name. */
    expect_get(c, "list-max-ziplist-size", "-2");
    expect_get(c, "list-max-listpack-size", "-2");
    /* Several patterns, each parameter once (Redis replies in hash order). */
    const char *two[] = {"hz", "10", "maxmemory-policy", "noeviction"};
    expect_pairs(c, 2, two, "CONFIG GET hz h? maxmemory-policy");
    /* A glob returns every match under its own name. */
    const char *lazy[] = {"lazyfree-lazy-eviction", "no", "lazyfree-lazy-expire", "no"};
    expect_pairs(c, 2, lazy, "CONFIG GET lazyfree-lazy-e*");
    redisFree(c);
    stop(s);
}

Test(config_cmd, set_errors_are_redis_exact)
{
    srv_handle *s = track(srv_start(NULL));
    redisContext *c = srv_connect(s);
    expect_error(c, "ERR wrong number of arguments for 'config|set' command",
                 "CONFIG SET requirepass");
    expect_error(c, "ERR syntax error", "CONFIG SET hz 10 maxmemory");
    expect_error(c, "ERR Unknown option or number of arguments for CONFIG SET - 'nosuch'",
                 "CONFIG SET nosuch 1");
    expect_error(c, "ERR CONFIG SET failed (possibly related to argument 'daemonize') - "
                    "can't set immutable config",
                 "CONFIG SET daemonize yes");
    expect_error(c, "ERR CONFIG SET failed (possibly related to argument 'hz') - "
                    "argument couldn't be parsed into an integer",
                 "CONFIG SET hz abc");
    expect_error(c, "ERR CONFIG SET failed (possibly related to argument 'hz') - "
                    "duplicate parameter",
                 "CONFIG SET hz 10 hz 20");
    expect_error(c, "ERR CONFIG SET failed (possibly related to argument 'maxmemory') - "
                    "argument must be a memory value",
                 "CONFIG SET maxmemory 10xb");
    expect_error(c, "ERR CONFIG SET failed (possibly related to argument 'appendonly') - "
                    "argument must be 'yes' or 'no'",
                 "CONFIG SET appendonly maybe");
    expect_error(c, "ERR CONFIG SET failed (possibly related to argument 'loglevel') - "
                    "argument(s) must be one of the following: debug, verbose, notice, warning",
                 "CONFIG SET loglevel loud");
    /* Integers as Redis's string2ll: no sign, leading zero or space; memory
     * values as its memtoull: leading zeros and "" are fine, signs are not. */
    const char *not_int[] = {"+5", "007", "-0", " 5", ""};
    for (size_t i = 0; i < sizeof(not_int) / sizeof(*not_int); i++) {
        redisReply *r = redisCommand(c, "CONFIG SET stream-node-max-entries %s", not_int[i]);
        cr_assert_eq(r->type, REDIS_REPLY_ERROR, "'%s'", not_int[i]);
        cr_assert_str_eq(r->str, "ERR CONFIG SET failed (possibly related to argument "
                                 "'stream-node-max-entries') - argument couldn't be parsed "
                                 "into an integer");
        freeReplyObject(r);
    }
    expect_error(c, "ERR CONFIG SET failed (possibly related to argument 'maxmemory') - "
                    "argument must be a memory value",
                 "CONFIG SET maxmemory +5");
    expect_status(c, "OK", "CONFIG SET maxmemory 007kb");
    expect_get(c, "maxmemory", "7168");
    expect_status(c, "OK", "CONFIG SET maxmemory 0");
    expect_error(c, "ERR CONFIG SET failed (possibly related to argument 'proto-max-bulk-len') - "
                    "argument must be between 1048576 and 9223372036854775807 inclusive",
                 "CONFIG SET proto-max-bulk-len 99999999999999999999gb");
    redisFree(c);
    stop(s);
}

Test(config_cmd, set_is_all_or_nothing)
{
    srv_handle *s = track(srv_start(NULL));
    redisContext *c = srv_connect(s);
    expect_status(c, "OK", "CONFIG SET hz 50 maxmemory 1gb timeout 100");
    expect_get(c, "hz", "50");
    expect_get(c, "maxmemory", "1073741824");
    expect_get(c, "timeout", "100");
    expect_error(c, "ERR CONFIG SET failed (possibly related to argument 'maxmemory') - "
                    "argument must be a memory value",
                 "CONFIG SET hz 30 maxmemory 10xb");
    expect_get(c, "hz", "50");
    expect_get(c, "maxmemory", "1073741824");
    /* Values are parsed like the config file: case-insensitive enums. */
    expect_status(c, "OK", "CONFIG SET maxmemory-policy ALLKEYS-LRU");
    expect_get(c, "maxmemory-policy", "allkeys-lru");
    expect_status(c, "OK", "CONFIG SET notify-keyspace-events KEA");
    expect_get(c, "notify-keyspace-events", "AKE");
    redisFree(c);
    stop(s);
}

Test(config_cmd, set_requirepass_takes_effect)
{
    srv_handle *s = track(srv_start(NULL));
    redisContext *c = srv_connect(s);
    expect_status(c, "OK", "CONFIG SET requirepass s3cret");
    redisContext *c2 = srv_connect(s);
    expect_error(c2, "NOAUTH Authentication required.", "CONFIG GET hz");
    expect_status(c2, "OK", "AUTH s3cret");
    expect_status(c2, "OK", "CONFIG SET requirepass %s", "");
    redisFree(c2);
    redisFree(c);
    stop(s);
}

Test(config_cmd, rewrite_without_a_file)
{
    srv_handle *s = track(srv_start(NULL));
    redisContext *c = srv_connect(s);
    expect_error(c, "ERR The server is running without a config file", "CONFIG REWRITE");
    redisFree(c);
    stop(s);
}

Test(config_cmd, rewrite_keeps_comments_and_round_trips)
{
    char path[300];
    snprintf(path, sizeof(path), "%s/sluice.conf", tmpdir);
    write_file(path, conf_text);
    srv_handle *s = start_with_file(path);
    redisContext *c = srv_connect(s);
    expect_status(c, "OK", "CONFIG SET hz 50 maxmemory 1gb timeout 100");
    expect_status(c, "OK", "CONFIG SET maxmemory-policy allkeys-lru");
    expect_status(c, "OK", "CONFIG REWRITE");
    const char *text = read_file(path);
    cr_assert_not_null(strstr(text, "# my comment\n"), "%s", text);
    cr_assert_not_null(strstr(text, "# another comment\n"), "%s", text);
    /* Each parameter once; the old value is gone. */
    const char *hz = strstr(text, "\nhz ");
    cr_assert_not_null(hz, "%s", text);
    cr_assert_null(strstr(hz + 1, "\nhz "), "hz twice:\n%s", text);
    cr_assert_null(strstr(text, "100mb"), "%s", text);
    /* The hz line stays where it was, right after the first comment. */
    cr_assert_eq(strncmp(text, "# my comment\nhz ", 16), 0, "%s", text);
    redisFree(c);
    stop(s);

    /* A server started from the rewritten file has the same values. */
    s = start_with_file(path);
    c = srv_connect(s);
    expect_get(c, "hz", "50");
    expect_get(c, "maxmemory", "1073741824");
    expect_get(c, "timeout", "100");
    expect_get(c, "maxmemory-policy", "allkeys-lru");
    expect_get(c, "notify-keyspace-events", "AKE");
    redisFree(c);
    stop(s);
}

/* Redis answers an exact (glob-free) name as it was asked. */
Test(config_cmd, get_echoes_the_asked_name)
{
    srv_handle *s = track(srv_start(NULL));
    redisContext *c = srv_connect(s);
    expect_get(c, "HZ", "10");
    expect_get(c, "Maxmemory", "0");
    redisFree(c);
    stop(s);
}

/* Sluice's placeholder parameters ("...-compat") are not Redis names and
 * must not show up in CONFIG GET. */
Test(config_cmd, no_made_up_parameter_names)
{
    srv_handle *s = track(srv_start(NULL));
    redisContext *c = srv_connect(s);
    const char *lazy[] = {"lazyfree-lazy-user-del", "no", "lazyfree-lazy-user-flush", "no"};
    expect_pairs(c, 2, lazy, "CONFIG GET lazyfree-lazy-user-*");
    redisReply *r = cmd(c, "CONFIG GET *");
    for (size_t i = 0; i < r->elements; i += 2)
        cr_assert_null(strstr(r->element[i]->str, "compat"), "%s", r->element[i]->str);
    freeReplyObject(r);
    redisFree(c);
    stop(s);
}

/* Redis accepts any hz >= 0 and clamps it to 1..500. */
Test(config_cmd, hz_is_clamped)
{
    srv_handle *s = track(srv_start(NULL));
    redisContext *c = srv_connect(s);
    expect_status(c, "OK", "CONFIG SET hz 0");
    expect_get(c, "hz", "1");
    expect_status(c, "OK", "CONFIG SET hz 600");
    expect_get(c, "hz", "500");
    expect_error(c, "ERR CONFIG SET failed (possibly related to argument 'hz') - "
                    "argument must be between 0 and 2147483647 inclusive",
                 "CONFIG SET hz -1");
    redisFree(c);
    stop(s);

    /* The config file's value is clamped too. */
    char path[300];
    snprintf(path, sizeof(path), "%s/hz.conf", tmpdir);
    write_file(path, "hz 0\n");
    s = start_with_file(path);
    c = srv_connect(s);
    expect_get(c, "hz", "1");
    redisFree(c);
    stop(s);
}

/* Redis lists enum values in its own order, and rejects negative memory
 * values as "not a memory value"; maxclients goes up to UINT_MAX. */
Test(config_cmd, enum_order_and_bounds)
{
    srv_handle *s = track(srv_start(NULL));
    redisContext *c = srv_connect(s);
    expect_error(c, "ERR CONFIG SET failed (possibly related to argument 'maxmemory-policy') - "
                    "argument(s) must be one of the following: volatile-lru, volatile-lfu, "
                    "volatile-random, volatile-ttl, allkeys-lru, allkeys-lfu, allkeys-random, "
                    "noeviction",
                 "CONFIG SET maxmemory-policy x");
    expect_error(c, "ERR CONFIG SET failed (possibly related to argument 'appendfsync') - "
                    "argument(s) must be one of the following: everysec, always, no",
                 "CONFIG SET appendfsync x");
    expect_error(c, "ERR CONFIG SET failed (possibly related to argument 'maxmemory') - "
                    "argument must be a memory value",
                 "CONFIG SET maxmemory -1");
    expect_error(c, "ERR CONFIG SET failed (possibly related to argument 'maxclients') - "
                    "argument must be between 1 and 4294967295 inclusive",
                 "CONFIG SET maxclients 0");
    expect_error(c, "ERR CONFIG SET failed (possibly related to argument 'maxclients') - "
                    "argument must be between 1 and 4294967295 inclusive",
                 "CONFIG SET maxclients 4294967296");
    /* The order of the names is not the order of the values. */
    expect_status(c, "OK", "CONFIG SET maxmemory-policy allkeys-lfu appendfsync no");
    expect_get(c, "maxmemory-policy", "allkeys-lfu");
    expect_get(c, "appendfsync", "no");
    redisFree(c);
    stop(s);
}

/* Redis rewrites values unquoted when they need no quotes, memory in units
 * ("1gb"), appends new lines under "# Generated by CONFIG REWRITE", and
 * never writes parameters that are at their default. */
Test(config_cmd, rewrite_format)
{
    char path[300];
    snprintf(path, sizeof(path), "%s/sluice.conf", tmpdir);
    write_file(path, conf_text);
    srv_handle *s = start_with_file(path);
    redisContext *c = srv_connect(s);
    expect_status(c, "OK", "CONFIG SET hz 50 maxmemory 1gb timeout 100");
    expect_status(c, "OK", "CONFIG REWRITE");
    const char *text = read_file(path);
    cr_assert_not_null(strstr(text, "\nhz 50\n"), "%s", text);
    cr_assert_not_null(strstr(text, "\nmaxmemory 1gb\n"), "%s", text);
    cr_assert_not_null(strstr(text, "\n# Generated by CONFIG REWRITE\n"), "%s", text);
    cr_assert_not_null(strstr(text, "\ntimeout 100\n"), "%s", text);
    cr_assert_null(strstr(text, "proto-max-bulk-len"), "default written:\n%s", text);
    cr_assert_null(strstr(text, "client-query-buffer-limit"), "default written:\n%s", text);
    redisFree(c);
    stop(s);
}

/* Redis reuses a parameter's old lines in order, blanks the ones left over,
 * writes one "save" line per pair, and keeps a line it does not know as a
 * "# ??? " comment. */
Test(config_cmd, rewrite_reuses_and_blanks_lines)
{
    char path[300];
    snprintf(path, sizeof(path), "%s/sluice.conf", tmpdir);
    write_file(path, "hz 20\n# between\nhz 30\nsave \"\"\n");
    srv_handle *s = start_with_file(path);
    redisContext *c = srv_connect(s);
    expect_get(c, "hz", "30");
    FILE *fp = fopen(path, "a");
    cr_assert_not_null(fp);
    fputs("nosuch-directive 1\n", fp);
    fclose(fp);
    expect_status(c, "OK", "CONFIG SET hz 40 save %s", "900 1 300 10");
    expect_status(c, "OK", "CONFIG REWRITE");
    const char *text = read_file(path);
    const char *head = "hz 40\n# between\n\nsave 900 1\n# ??? nosuch-directive 1\n\n";
    cr_assert_eq(strncmp(text, head, strlen(head)), 0, "%s", text);
    cr_assert_not_null(strstr(text, "\n# Generated by CONFIG REWRITE\n"), "%s", text);
    cr_assert_not_null(strstr(text, "\nsave 300 10\n"), "%s", text);
    redisFree(c);
    stop(s);
}
