/* test_aof.c - the append-only file: layout and manifest, what is logged,
 * restarts (SHUTDOWN, SIGTERM, SIGKILL), rewrites (BGREWRITEAOF, BGSAVE,
 * SAVE, automatic, under write load), CONFIG SET appendonly, DEBUG
 * RELOAD / LOADAOF / DIGEST, truncated and corrupted files with their exact
 * messages, sluice-check-aof, and -MISCONF after failed writes (provoked
 * with RLIMIT_FSIZE, lifted again with prlimit).
 *
 * Each test works in its own directory (/tmp/sluice-aof-XXXXXX) so a
 * server can be stopped and started again on the same files. */
#include "harness.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define INCR1 "appendonlydir/appendonly.aof.1.incr.aof"
#define BASE1 "appendonlydir/appendonly.aof.1.base.aof"
#define MANIFEST "appendonlydir/appendonly.aof.manifest"
#define FIX_HINT "make a backup of your AOF file, then use ./sluice-check-aof --fix " \
                 "<filename.manifest>"

/* ---- helpers ---- */

static char *new_dir(void)
{
    char *d = malloc(64);
    snprintf(d, 64, "/tmp/sluice-aof-XXXXXX");
    cr_assert(mkdtemp(d), "mkdtemp: %s", strerror(errno));
    return d;
}

static void rm_dir(char *d)
{
    char cmdline[128];
    snprintf(cmdline, sizeof(cmdline), "rm -rf '%s'", d);
    if (system(cmdline) != 0) {
        /* best effort */
    }
    free(d);
}

/* Servers still running when a test fails are killed by the fixture. */
static pid_t live[16];

static void track(pid_t pid, int add)
{
    for (int i = 0; i < 16; i++) {
        if (add ? live[i] == 0 : live[i] == pid) {
            live[i] = add ? pid : 0;
            return;
        }
    }
}

static void kill_leftovers(void)
{
    for (int i = 0; i < 16; i++) {
        if (live[i] > 0) {
            kill(live[i], SIGKILL);
            waitpid(live[i], NULL, 0);
            live[i] = 0;
        }
    }
}

static srv_handle *start_in(const char *dir, const char *extra)
{
    char args[1024];
    snprintf(args, sizeof(args), "--dir %s --logfile %s/server.log --appendonly yes %s", dir,
             dir, extra ? extra : "");
    srv_handle *h = srv_start(args);
    track(h->pid, 1);
    return h;
}

static void stop(srv_handle *h)
{
    track(h->pid, 0);
    srv_stop(h);
}

static void kill9(srv_handle *h)
{
    track(h->pid, 0);
    kill(h->pid, SIGKILL);
    waitpid(h->pid, NULL, 0);
    h->pid = 0;
    srv_stop(h);
}

static char *path_in(const char *dir, const char *name)
{
    static char p[4][512];
    static int i;
    i = (i + 1) % 4;
    snprintf(p[i], sizeof(p[i]), "%s/%s", dir, name);
    return p[i];
}

static char *slurp(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    cr_assert(fp, "open %s: %s", path, strerror(errno));
    fseek(fp, 0, SEEK_END);
    long n = ftell(fp);
    fseek(fp, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    cr_assert_eq(fread(buf, 1, (size_t)n, fp), (size_t)n);
    buf[n] = '\0';
    fclose(fp);
    if (len)
        *len = (size_t)n;
    return buf;
}

static void spit(const char *path, const char *data, size_t len)
{
    FILE *fp = fopen(path, "wb");
    cr_assert(fp, "open %s: %s", path, strerror(errno));
    cr_assert_eq(fwrite(data, 1, len, fp), len);
    fclose(fp);
}

static long long fsize(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 ? (long long)st.st_size : -1;
}

static int exists(const char *path)
{
    return access(path, F_OK) == 0;
}

static int file_has(const char *path, const char *needle)
{
    char *s = slurp(path, NULL);
    int r = strstr(s, needle) != NULL;
    free(s);
    return r;
}

static long long info_ll(redisContext *c, const char *field)
{
    redisReply *r = cmd(c, "INFO persistence");
    cr_assert_eq(r->type, REDIS_REPLY_STRING);
    char pat[128];
    snprintf(pat, sizeof(pat), "\r\n%s:", field);
    char *p = strstr(r->str, pat);
    cr_assert(p, "INFO lacks %s", field);
    long long v = atoll(p + strlen(pat));
    freeReplyObject(r);
    return v;
}

static void info_expect(redisContext *c, const char *section, const char *line)
{
    redisReply *r = cmd(c, "INFO %s", section);
    cr_assert(strstr(r->str, line), "INFO %s lacks '%s':\n%s", section, line, r->str);
    freeReplyObject(r);
}

static void wait_no_child(redisContext *c)
{
    for (int i = 0; i < 500; i++) {
        redisReply *r = cmd(c, "INFO persistence");
        int busy = strstr(r->str, "aof_rewrite_in_progress:1") ||
                   strstr(r->str, "aof_rewrite_scheduled:1") ||
                   strstr(r->str, "rdb_bgsave_in_progress:1");
        freeReplyObject(r);
        if (!busy)
            return;
        usleep(20000);
    }
    cr_assert_fail("the rewrite did not finish");
}

static const char *server_bin(void)
{
    const char *p = getenv("SLUICE_SERVER");
    return p && *p ? p : "./src/sluice-server";
}

static const char *check_bin(void)
{
    static char p[512];
    const char *s = server_bin();
    const char *slash = strrchr(s, '/');
    snprintf(p, sizeof(p), "%.*ssluice-check-aof", slash ? (int)(slash - s + 1) : 0, s);
    return p;
}

/* Run a server that is expected to refuse to start; its exit status. */
static int start_fails(const char *dir, const char *extra)
{
    char port[16], logp[300], copy[512];
    snprintf(port, sizeof(port), "%d", free_port());
    snprintf(logp, sizeof(logp), "%s/server.log", dir);
    snprintf(copy, sizeof(copy), "%s", extra ? extra : "");
    char *argv[32] = {(char *)server_bin(), "--port", port, "--bind", "127.0.0.1", "--dir",
                      (char *)dir, "--logfile", logp, "--appendonly", "yes"};
    int argc = 11;
    char *save = NULL;
    for (char *t = strtok_r(copy, " ", &save); t && argc < 30; t = strtok_r(NULL, " ", &save))
        argv[argc++] = t;
    argv[argc] = NULL;
    pid_t pid = fork();
    if (pid == 0) {
        execv(argv[0], argv);
        _exit(127);
    }
    for (int i = 0; i < 500; i++) {
        int st;
        if (waitpid(pid, &st, WNOHANG) == pid)
            return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
        usleep(10000);
    }
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
    cr_assert_fail("the server kept running");
    return -1;
}

/* Run sluice-check-aof with stdin `input`; its output and exit status. */
static int run_check(const char *args, const char *input, char *out, size_t cap)
{
    char cmdline[1024];
    snprintf(cmdline, sizeof(cmdline), "printf '%s' | %s %s 2>&1", input, check_bin(), args);
    FILE *fp = popen(cmdline, "r");
    cr_assert(fp);
    size_t n = fread(out, 1, cap - 1, fp);
    out[n] = '\0';
    int st = pclose(fp);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* ---- layout and logging ---- */

TestSuite(aof, .fini = kill_leftovers, .timeout = 120);

Test(aof, layout_and_manifest)
{
    char *d = new_dir();
    srv_handle *h = start_in(d, NULL);
    char *m = slurp(path_in(d, MANIFEST), NULL);
    cr_assert_str_eq(m, "file appendonly.aof.1.base.aof seq 1 type b\n"
                        "file appendonly.aof.1.incr.aof seq 1 type i\n");
    free(m);
    cr_assert_eq(fsize(path_in(d, BASE1)), 0);
    cr_assert_eq(fsize(path_in(d, INCR1)), 0);
    redisContext *c = srv_connect(h);
    const char *v[] = {"appendonly", "yes"};
    expect_strings(c, 2, v, "CONFIG GET appendonly");
    const char *f[] = {"appendfsync", "everysec"};
    expect_strings(c, 2, f, "CONFIG GET appendfsync");
    const char *n[] = {"appenddirname", "appendonlydir"};
    expect_strings(c, 2, n, "CONFIG GET appenddirname");
    info_expect(c, "persistence", "\r\naof_enabled:1\r\n");
    info_expect(c, "persistence", "\r\naof_last_write_status:ok\r\n");
    info_expect(c, "persistence", "\r\naof_current_size:0\r\n");
    redisFree(c);
    stop(h);
    rm_dir(d);
}

Test(aof, commands_logged_in_resp_with_select)
{
    char *d = new_dir();
    srv_handle *h = start_in(d, "--appendfsync always");
    redisContext *c = srv_connect(h);
    expect_status(c, "OK", "SET k v");
    expect_bulk(c, "v", "GET k");             /* reads are not logged */
    expect_status(c, "OK", "SELECT 3");
    expect_int(c, 2, "RPUSH l a b");
    expect_status(c, "OK", "MULTI");
    expect_status(c, "QUEUED", "INCR n");
    expect_status(c, "QUEUED", "GET n");
    redisReply *r = cmd(c, "EXEC");
    freeReplyObject(r);
    expect_status(c, "OK", "SELECT 0");
    expect_int(c, 0, "DEL nosuch");           /* no change, nothing logged */
    char *s = slurp(path_in(d, INCR1), NULL);
    cr_assert_str_eq(s, "*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n"
                        "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n"
                        "*2\r\n$6\r\nSELECT\r\n$1\r\n3\r\n"
                        "*4\r\n$5\r\nRPUSH\r\n$1\r\nl\r\n$1\r\na\r\n$1\r\nb\r\n"
                        "*1\r\n$5\r\nMULTI\r\n"
                        "*2\r\n$4\r\nINCR\r\n$1\r\nn\r\n"
                        "*1\r\n$4\r\nEXEC\r\n");
    free(s);
    cr_assert_eq(info_ll(c, "aof_current_size"), fsize(path_in(d, INCR1)));
    redisFree(c);
    stop(h);
    rm_dir(d);
}

/* ---- restarts ---- */

static void fill(redisContext *c)
{
    expect_status(c, "OK", "SET s hello");
    expect_int(c, 3, "RPUSH l a b c");
    expect_int(c, 4, "LPUSH l z");
    expect_status(c, "OK", "SET ttl x");
    expect_int(c, 1, "PEXPIREAT ttl 4102444800000");
    expect_status(c, "OK", "SELECT 5");
    expect_status(c, "OK", "SET in5 five");
    expect_status(c, "OK", "SELECT 0");
}

static void check_filled(redisContext *c)
{
    expect_bulk(c, "hello", "GET s");
    const char *l[] = {"z", "a", "b", "c"};
    expect_strings(c, 4, l, "LRANGE l 0 -1");
    expect_int(c, 4102444800000LL, "PEXPIRETIME ttl");
    expect_status(c, "OK", "SELECT 5");
    expect_bulk(c, "five", "GET in5");
    expect_status(c, "OK", "SELECT 0");
}

Test(aof, restart_after_shutdown_sigterm_and_sigkill)
{
    char *d = new_dir();
    srv_handle *h = start_in(d, NULL);
    redisContext *c = srv_connect(h);
    fill(c);
    redisReply *r = redisCommand(c, "SHUTDOWN");
    if (r)
        freeReplyObject(r);
    redisFree(c);
    for (int i = 0; i < 200 && waitpid(h->pid, NULL, WNOHANG) != h->pid; i++)
        usleep(10000);
    h->pid = 0;
    stop(h);
    cr_assert(file_has(path_in(d, "server.log"), "Calling fsync() on the AOF file."));

    h = start_in(d, NULL);
    c = srv_connect(h);
    check_filled(c);
    expect_status(c, "OK", "SET after sigterm");
    redisFree(c);
    stop(h); /* SIGTERM */

    h = start_in(d, "--appendfsync no");
    c = srv_connect(h);
    check_filled(c);
    expect_bulk(c, "sigterm", "GET after");
    expect_status(c, "OK", "SET after sigkill");
    redisFree(c);
    kill9(h); /* the page cache keeps what write(2) took */

    h = start_in(d, NULL);
    c = srv_connect(h);
    check_filled(c);
    expect_bulk(c, "sigkill", "GET after");
    redisFree(c);
    stop(h);
    cr_assert(file_has(path_in(d, "server.log"),
                       "Opening AOF incr file appendonly.aof.1.incr.aof on server start"));
    rm_dir(d);
}

/* ---- rewrites ---- */

Test(aof, bgrewriteaof_swaps_manifest_and_deletes_old_files)
{
    char *d = new_dir();
    srv_handle *h = start_in(d, NULL);
    redisContext *c = srv_connect(h);
    fill(c);
    for (int i = 0; i < 200; i++)
        expect_int(c, i + 1, "RPUSH big %d", i); /* several RPUSH batches of 64 */
    expect_status(c, "Background append only file rewriting started", "BGREWRITEAOF");
    wait_no_child(c);
    char *m = slurp(path_in(d, MANIFEST), NULL);
    cr_assert_str_eq(m, "file appendonly.aof.2.base.aof seq 2 type b\n"
                        "file appendonly.aof.2.incr.aof seq 2 type i\n");
    free(m);
    usleep(100000); /* history files are unlinked by the background thread */
    cr_assert(!exists(path_in(d, INCR1)));
    cr_assert(!exists(path_in(d, BASE1)));
    info_expect(c, "persistence", "\r\naof_rewrites:1\r\n");
    info_expect(c, "persistence", "\r\naof_last_bgrewrite_status:ok\r\n");
    info_expect(c, "persistence", "\r\naof_rewrite_in_progress:0\r\n");
    info_expect(c, "stats", "\r\ntotal_forks:1\r\n");
    long long base = fsize(path_in(d, "appendonlydir/appendonly.aof.2.base.aof"));
    cr_assert_eq(info_ll(c, "aof_base_size"), base);
    cr_assert_eq(info_ll(c, "aof_current_size"), base);
    /* The base holds SET, RPUSH in batches, PEXPIREAT, SELECT. */
    char *b = slurp(path_in(d, "appendonlydir/appendonly.aof.2.base.aof"), NULL);
    cr_assert(strstr(b, "*3\r\n$9\r\nPEXPIREAT\r\n$3\r\nttl\r\n$13\r\n4102444800000\r\n"));
    cr_assert(strstr(b, "*66\r\n$5\r\nRPUSH\r\n$3\r\nbig\r\n$1\r\n0\r\n"));
    cr_assert(strstr(b, "*10\r\n$5\r\nRPUSH\r\n$3\r\nbig\r\n$3\r\n192\r\n"));
    cr_assert(strstr(b, "*2\r\n$6\r\nSELECT\r\n$1\r\n5\r\n*3\r\n$3\r\nSET\r\n$3\r\nin5\r\n"));
    free(b);
    expect_status(c, "OK", "SET post rewrite");
    redisFree(c);
    stop(h);

    h = start_in(d, NULL);
    c = srv_connect(h);
    check_filled(c);
    expect_int(c, 200, "LLEN big");
    expect_bulk(c, "199", "LINDEX big -1");
    expect_bulk(c, "rewrite", "GET post");
    redisFree(c);
    stop(h);
    rm_dir(d);
}

Test(aof, bgsave_and_save_write_a_base)
{
    char *d = new_dir();
    srv_handle *h = start_in(d, NULL);
    redisContext *c = srv_connect(h);
    fill(c);
    cr_assert(info_ll(c, "rdb_changes_since_last_save") > 0);
    expect_status(c, "Background saving started", "BGSAVE");
    wait_no_child(c);
    info_expect(c, "persistence", "\r\nrdb_changes_since_last_save:0\r\n");
    info_expect(c, "persistence", "\r\nrdb_last_bgsave_status:ok\r\n");
    info_expect(c, "persistence", "\r\nrdb_saves:1\r\n");
    redisReply *r = cmd(c, "LASTSAVE");
    cr_assert_eq(r->type, REDIS_REPLY_INTEGER);
    cr_assert(r->integer >= now_ms() / 1000 - 5 && r->integer <= now_ms() / 1000);
    freeReplyObject(r);
    expect_status(c, "OK", "SET more 1");
    expect_status(c, "OK", "SAVE");
    info_expect(c, "persistence", "\r\nrdb_saves:2\r\n");
    char *m = slurp(path_in(d, MANIFEST), NULL);
    cr_assert_str_eq(m, "file appendonly.aof.3.base.aof seq 3 type b\n"
                        "file appendonly.aof.3.incr.aof seq 3 type i\n");
    free(m);
    expect_error(c, "ERR syntax error", "BGSAVE foo");
    expect_status(c, "OK", "MULTI");
    expect_error(c, "ERR Command not allowed inside a transaction", "SAVE");
    expect_status(c, "OK", "DISCARD");
    redisFree(c);
    stop(h);
    h = start_in(d, NULL);
    c = srv_connect(h);
    check_filled(c);
    expect_bulk(c, "1", "GET more");
    redisFree(c);
    stop(h);
    rm_dir(d);
}

Test(aof, bgrewriteaof_refused_or_scheduled_while_a_child_runs)
{
    char *d = new_dir();
    srv_handle *h = start_in(d, NULL);
    redisContext *c = srv_connect(h);
    for (int i = 0; i < 50; i++)
        expect_status(c, "OK", "SET key%d %d", i, i);
    expect_status(c, "OK", "CONFIG SET rdb-key-save-delay 20000"); /* 20 ms per key */
    expect_status(c, "Background append only file rewriting started", "BGREWRITEAOF");
    expect_error(c, "ERR Background append only file rewriting already in progress",
                 "BGREWRITEAOF");
    expect_error(c, "ERR Another child process is active (AOF?): can't BGSAVE right now. Use "
                    "BGSAVE SCHEDULE in order to schedule a BGSAVE whenever possible.", "BGSAVE");
    expect_status(c, "Background saving scheduled", "BGSAVE SCHEDULE");
    info_expect(c, "persistence", "\r\naof_rewrite_in_progress:1\r\n");
    expect_status(c, "OK", "CONFIG SET rdb-key-save-delay 0");
    wait_no_child(c);
    /* The scheduled BGSAVE ran after the rewrite. */
    for (int i = 0; i < 100 && info_ll(c, "rdb_saves") < 1; i++)
        usleep(20000);
    info_expect(c, "persistence", "\r\nrdb_saves:1\r\n");
    redisFree(c);
    stop(h);
    rm_dir(d);
}

Test(aof, automatic_rewrite_on_growth)
{
    char *d = new_dir();
    srv_handle *h = start_in(d, "--auto-aof-rewrite-min-size 4kb --auto-aof-rewrite-percentage "
                                "100");
    redisContext *c = srv_connect(h);
    const char *v[] = {"auto-aof-rewrite-min-size", "4096"};
    expect_strings(c, 2, v, "CONFIG GET auto-aof-rewrite-min-size");
    for (int i = 0; i < 200; i++)
        expect_status(c, "OK", "SET same %0100d", i); /* grows the log, not the data */
    for (int i = 0; i < 200 && info_ll(c, "aof_rewrites") < 1; i++)
        usleep(20000);
    cr_assert(info_ll(c, "aof_rewrites") >= 1);
    wait_no_child(c);
    cr_assert(info_ll(c, "aof_current_size") < 4096);
    cr_assert(file_has(path_in(d, "server.log"), "Starting automatic rewriting of AOF on"));
    redisFree(c);
    stop(h);
    rm_dir(d);
}

/* A writer keeps going during the rewrite; everything it was told OK for
 * is there afterwards. */
typedef struct load_arg {
    int port;
    volatile int stop;
    long long acked;
} load_arg;

static void *writer(void *p)
{
    load_arg *a = p;
    redisContext *c = redisConnect("127.0.0.1", a->port);
    while (!a->stop) {
        redisReply *r = redisCommand(c, "RPUSH q %lld", a->acked);
        if (!r || r->type != REDIS_REPLY_INTEGER || r->integer != a->acked + 1)
            break;
        freeReplyObject(r);
        r = redisCommand(c, "INCR n");
        if (!r || r->type != REDIS_REPLY_INTEGER)
            break;
        freeReplyObject(r);
        a->acked++;
    }
    redisFree(c);
    return NULL;
}

Test(aof, rewrite_under_write_load_loses_nothing)
{
    char *d = new_dir();
    srv_handle *h = start_in(d, NULL);
    redisContext *c = srv_connect(h);
    for (int i = 0; i < 300; i++)
        expect_status(c, "OK", "SET fill%d %d", i, i);
    expect_status(c, "OK", "CONFIG SET rdb-key-save-delay 2000"); /* ~0.6 s rewrite */
    load_arg a = {.port = h->port};
    pthread_t th;
    pthread_create(&th, NULL, writer, &a);
    usleep(200000);
    long long before = a.acked;
    expect_status(c, "Background append only file rewriting started", "BGREWRITEAOF");
    usleep(300000);
    long long during = a.acked;
    cr_assert(during > before, "writes stalled during the rewrite");
    info_expect(c, "persistence", "\r\naof_rewrite_in_progress:1\r\n");
    wait_no_child(c);
    usleep(200000);
    a.stop = 1;
    pthread_join(th, NULL);
    cr_assert(a.acked > during);
    info_expect(c, "persistence", "\r\naof_last_bgrewrite_status:ok\r\n");
    expect_status(c, "OK", "DEBUG LOADAOF");
    expect_int(c, a.acked, "LLEN q");
    redisFree(c);
    stop(h);
    h = start_in(d, NULL);
    c = srv_connect(h);
    expect_int(c, a.acked, "LLEN q");
    redisReply *r = cmd(c, "GET n");
    cr_assert_eq(atoll(r->str), a.acked);
    freeReplyObject(r);
    expect_bulk(c, "299", "GET fill299");
    redisFree(c);
    stop(h);
    rm_dir(d);
}

/* ---- switching at run time, DEBUG ---- */

Test(aof, config_set_appendonly_at_run_time)
{
    char *d = new_dir();
    srv_handle *h = start_in(d, "--appendonly no");
    redisContext *c = srv_connect(h);
    cr_assert(!exists(path_in(d, "appendonlydir")));
    fill(c);
    info_expect(c, "persistence", "\r\naof_enabled:0\r\n");
    expect_status(c, "OK", "CONFIG SET appendonly yes");
    wait_no_child(c);
    info_expect(c, "persistence", "\r\naof_enabled:1\r\n");
    char *m = slurp(path_in(d, MANIFEST), NULL);
    cr_assert_str_eq(m, "file appendonly.aof.1.base.aof seq 1 type b\n"
                        "file appendonly.aof.1.incr.aof seq 1 type i\n");
    free(m);
    expect_status(c, "OK", "SET later on");
    expect_status(c, "OK", "CONFIG SET appendonly no");
    expect_status(c, "OK", "SET lost yes"); /* not logged */
    redisFree(c);
    stop(h);
    h = start_in(d, NULL);
    c = srv_connect(h);
    check_filled(c);
    expect_bulk(c, "on", "GET later");
    expect_nil(c, "GET lost");
    redisFree(c);
    stop(h);
    rm_dir(d);
}

Test(aof, debug_loadaof_and_reload)
{
    char *d = new_dir();
    srv_handle *h = start_in(d, NULL);
    redisContext *c = srv_connect(h);
    fill(c);
    expect_status(c, "OK", "DEBUG LOADAOF");
    check_filled(c);
    expect_status(c, "OK", "DEBUG RELOAD");
    check_filled(c);
    char *m = slurp(path_in(d, MANIFEST), NULL);
    cr_assert_str_eq(m, "file appendonly.aof.2.base.aof seq 2 type b\n"
                        "file appendonly.aof.2.incr.aof seq 2 type i\n");
    free(m);
    /* Neither DEBUG command is logged. */
    cr_assert_eq(fsize(path_in(d, "appendonlydir/appendonly.aof.2.incr.aof")), 0);
    expect_status(c, "OK", "SET x 1");
    expect_status(c, "OK", "DEBUG LOADAOF");
    expect_bulk(c, "1", "GET x");
    redisFree(c);
    stop(h);
    rm_dir(d);
}

/* DEBUG DIGEST / DIGEST-VALUE use Redis's algorithm: the values below are
 * what redis-server 7.0.15 answers for the same dataset.  Element order
 * and encoding do not matter; a reload gives the same digest. */
Test(aof, debug_digest)
{
    static const char *setup[] = {
        "SET s hello", "SET n 12345", "RPUSH l a b 1 2 3", "SADD si 1 2 3 100",
        "SADD ss a b c d", "HSET hs f1 v1 f2 2", "ZADD z 1.5 a 2 b 3.333333 c",
        "XADD st 1-1 f v g w", "XADD st 2-5 x 123", "SELECT 3", "SET k v",
        "PEXPIREAT k 99999999999999", "SELECT 0", NULL};
    char *d = new_dir();
    srv_handle *h = start_in(d, NULL);
    redisContext *c = srv_connect(h);
    expect_status(c, "0000000000000000000000000000000000000000", "DEBUG DIGEST");
    for (int i = 0; setup[i]; i++)
        freeReplyObject(cmd(c, setup[i]));
    expect_status(c, "95c3871474b7005f57c7a043d31d596ebfb35174", "DEBUG DIGEST");
    const char *vals[] = {"36b23a1456b2dce2c3ed252c456761301dba8060",
                          "1b4dacdfe78a590c11722a294e97fc48297a2a2c",
                          "0000000000000000000000000000000000000000"};
    redisReply *r = cmd(c, "DEBUG DIGEST-VALUE s si nokey");
    cr_assert_eq(r->type, REDIS_REPLY_ARRAY);
    cr_assert_eq(r->elements, 3);
    for (size_t i = 0; i < 3; i++)
        cr_assert_str_eq(r->element[i]->str, vals[i]);
    freeReplyObject(r);
    /* Same members, other insertion order and encoding: same digest. */
    for (int i = 0; i < 300; i++) {
        freeReplyObject(cmd(c, "SADD a m%d", i));
        freeReplyObject(cmd(c, "SADD b m%d", 299 - i));
        freeReplyObject(cmd(c, "HSET ha f%d %d", i, i));
        freeReplyObject(cmd(c, "HSET hb f%d %d", 299 - i, 299 - i));
    }
    freeReplyObject(cmd(c, "SADD small 1 2"));
    freeReplyObject(cmd(c, "SADD big 2 1 x"));
    freeReplyObject(cmd(c, "SREM big x"));
    r = cmd(c, "OBJECT ENCODING big");
    cr_assert_str_eq(r->str, "hashtable"); /* small is an intset */
    freeReplyObject(r);
    r = cmd(c, "DEBUG DIGEST-VALUE a b ha hb small big");
    cr_assert_eq(r->elements, 6);
    cr_assert_str_eq(r->element[0]->str, r->element[1]->str);
    cr_assert_str_eq(r->element[2]->str, r->element[3]->str);
    cr_assert_str_eq(r->element[4]->str, r->element[5]->str);
    freeReplyObject(r);
    r = cmd(c, "DEBUG DIGEST");
    char before[41];
    snprintf(before, sizeof(before), "%s", r->str);
    freeReplyObject(r);
    expect_status(c, "OK", "DEBUG LOADAOF");
    expect_status(c, before, "DEBUG DIGEST");
    expect_status(c, "OK", "DEBUG RELOAD");
    expect_status(c, before, "DEBUG DIGEST");
    expect_status(c, "OK", "FLUSHALL");
    expect_status(c, "0000000000000000000000000000000000000000", "DEBUG DIGEST");
    redisFree(c);
    stop(h);
    rm_dir(d);
}

/* ---- damaged files ---- */

/* Three SETs after the SELECT; returns the offset of the last one. */
static long long write_three(const char *d)
{
    srv_handle *h = start_in(d, NULL);
    redisContext *c = srv_connect(h);
    expect_status(c, "OK", "SET k1 v1");
    expect_status(c, "OK", "SET k2 v2");
    expect_status(c, "OK", "SET k3 v3");
    redisFree(c);
    stop(h);
    long long size = fsize(path_in(d, INCR1));
    cr_assert_eq(size, 23 + 3 * 29);
    return size - 29;
}

Test(aof, truncated_tail_is_cut_at_every_byte_of_the_last_command)
{
    char *d = new_dir();
    long long last = write_three(d);
    size_t len;
    char *orig = slurp(path_in(d, INCR1), &len);
    char expect_msg[256];
    snprintf(expect_msg, sizeof(expect_msg),
             "!!! Truncating the AOF appendonly.aof.1.incr.aof at offset %lld !!!", last);
    for (size_t cut = (size_t)last + 1; cut < len; cut++) {
        spit(path_in(d, INCR1), orig, cut);
        unlink(path_in(d, "server.log"));
        srv_handle *h = start_in(d, NULL);
        redisContext *c = srv_connect(h);
        expect_bulk(c, "v1", "GET k1");
        expect_bulk(c, "v2", "GET k2");
        expect_nil(c, "GET k3");
        redisFree(c);
        stop(h);
        cr_assert(file_has(path_in(d, "server.log"), expect_msg), "cut at %zu", cut);
        cr_assert(file_has(path_in(d, "server.log"),
                           "!!! Warning: short read while loading the AOF file "
                           "appendonly.aof.1.incr.aof!!!"));
        cr_assert(file_has(path_in(d, "server.log"),
                           "AOF appendonly.aof.1.incr.aof loaded anyway because "
                           "aof-load-truncated is enabled"));
        cr_assert_eq(fsize(path_in(d, INCR1)), last, "cut at %zu", cut);
    }
    /* Appends continue cleanly after the cut. */
    srv_handle *h = start_in(d, NULL);
    redisContext *c = srv_connect(h);
    expect_status(c, "OK", "SET k4 v4");
    redisFree(c);
    stop(h);
    h = start_in(d, NULL);
    c = srv_connect(h);
    expect_nil(c, "GET k3");
    expect_bulk(c, "v4", "GET k4");
    redisFree(c);
    stop(h);
    free(orig);
    rm_dir(d);
}

Test(aof, truncated_tail_refused_without_aof_load_truncated)
{
    char *d = new_dir();
    long long last = write_three(d);
    truncate(path_in(d, INCR1), last + 10);
    cr_assert_eq(start_fails(d, "--aof-load-truncated no"), 1);
    cr_assert(file_has(path_in(d, "server.log"),
                       "Unexpected end of file reading the append only file "
                       "appendonly.aof.1.incr.aof. You can: 1) Make a backup of your AOF file, "
                       "then use ./sluice-check-aof --fix <filename.manifest>. 2) Alternatively "
                       "you can set the 'aof-load-truncated' configuration option to yes and "
                       "restart the server."));
    cr_assert_eq(fsize(path_in(d, INCR1)), last + 10); /* untouched */
    rm_dir(d);
}

Test(aof, incomplete_multi_is_reverted)
{
    char *d = new_dir();
    long long last = write_three(d);
    FILE *fp = fopen(path_in(d, INCR1), "ab");
    fputs("*1\r\n$5\r\nMULTI\r\n*3\r\n$3\r\nSET\r\n$2\r\nk9\r\n$2\r\nv9\r\n", fp);
    fclose(fp);
    srv_handle *h = start_in(d, NULL);
    redisContext *c = srv_connect(h);
    expect_bulk(c, "v3", "GET k3");
    expect_nil(c, "GET k9");
    redisFree(c);
    stop(h);
    cr_assert(file_has(path_in(d, "server.log"), "Revert incomplete MULTI/EXEC transaction in "
                                                 "AOF file appendonly.aof.1.incr.aof"));
    cr_assert_eq(fsize(path_in(d, INCR1)), last + 29);
    rm_dir(d);
}

Test(aof, corrupted_middle_stops_start_up_with_file_offset_reason)
{
    char *d = new_dir();
    write_three(d);
    size_t len;
    char *s = slurp(path_in(d, INCR1), &len);
    /* The second SET's key header "$2" at 23 + 29 + 13 becomes "!2". */
    cr_assert_eq(s[23 + 29 + 13], '$');
    s[23 + 29 + 13] = '!';
    spit(path_in(d, INCR1), s, len);
    cr_assert_eq(start_fails(d, NULL), 1);
    cr_assert(file_has(path_in(d, "server.log"),
                       "Bad file format reading the append only file appendonly.aof.1.incr.aof "
                       "at offset 65 (expected '$', got '!'): " FIX_HINT));
    cr_assert_eq(fsize(path_in(d, INCR1)), (long long)len); /* never cut */

    s[23 + 29 + 13] = '$';
    s[23 + 29 + 19] = 'X'; /* CRLF after the key "k2" */
    spit(path_in(d, INCR1), s, len);
    cr_assert_eq(start_fails(d, NULL), 1);
    cr_assert(file_has(path_in(d, "server.log"),
                       "Bad file format reading the append only file appendonly.aof.1.incr.aof "
                       "at offset 65 (bulk of 2 bytes not followed by CRLF): " FIX_HINT));

    s[23 + 29 + 19] = '\r';
    memcpy(s + 23 + 29 + 8, "BLA", 3); /* SET -> BLA */
    spit(path_in(d, INCR1), s, len);
    cr_assert_eq(start_fails(d, NULL), 1);
    cr_assert(file_has(path_in(d, "server.log"), "Unknown command 'BLA' reading the append "
                                                 "only file appendonly.aof.1.incr.aof"));

    memcpy(s + 23 + 29 + 8, "SET", 3);
    s[23 + 29 + 1] = '2'; /* "*3" -> "*2": SET with one argument */
    spit(path_in(d, INCR1), s, len);
    cr_assert_eq(start_fails(d, NULL), 1);
    cr_assert(file_has(path_in(d, "server.log"), "Bad file format reading the append only "
                                                 "file appendonly.aof.1.incr.aof at offset 52 "
                                                 "(wrong number of arguments for 'set' "
                                                 "command)"));
    free(s);
    rm_dir(d);
}

Test(aof, truncated_file_that_is_not_the_last_is_fatal)
{
    char *d = new_dir();
    write_three(d);
    /* Make the incr file the base, then add an empty incr after it. */
    rename(path_in(d, INCR1), path_in(d, BASE1));
    spit(path_in(d, INCR1), "", 0);
    truncate(path_in(d, BASE1), 23 + 29 + 5);
    cr_assert_eq(start_fails(d, NULL), 1);
    cr_assert(file_has(path_in(d, "server.log"),
                       "Fatal error: the truncated file is not the last file"));
    cr_assert_eq(fsize(path_in(d, BASE1)), 23 + 29 + 5);
    rm_dir(d);
}

Test(aof, bad_manifests)
{
    char *d = new_dir();
    write_three(d);
    const char *bad = "file appendonly.aof.1.base.aof seq 1\n";
    spit(path_in(d, MANIFEST), bad, strlen(bad));
    cr_assert_eq(start_fails(d, NULL), 1);
    cr_assert(file_has(path_in(d, "server.log"), "Invalid AOF manifest file format"));
    cr_assert(file_has(path_in(d, "server.log"), ">>> 'file appendonly.aof.1.base.aof seq 1'"));
    bad = "file appendonly.aof.1.base.aof seq 1 type b\nfile x seq 2 type b\n";
    spit(path_in(d, MANIFEST), bad, strlen(bad));
    cr_assert_eq(start_fails(d, NULL), 1);
    cr_assert(file_has(path_in(d, "server.log"), "Found duplicate base file information"));
    bad = "file appendonly.aof.1.base.aof seq 1 type b\nfile gone.aof seq 2 type i\n";
    spit(path_in(d, MANIFEST), bad, strlen(bad));
    cr_assert_eq(start_fails(d, NULL), 1);
    cr_assert(file_has(path_in(d, "server.log"),
                       "Unable to obtain the AOF file gone.aof length. stat: No such file or "
                       "directory"));
    rm_dir(d);
}

/* ---- sluice-check-aof ---- */

Test(aof, check_aof_reports_and_fixes)
{
    char *d = new_dir();
    long long last = write_three(d);
    char out[4096], args[600];
    snprintf(args, sizeof(args), "%s", path_in(d, MANIFEST));
    cr_assert_eq(run_check(args, "", out, sizeof(out)), 0);
    cr_assert_str_eq(out, "Start checking Multi Part AOF\n"
                          "Start to check BASE AOF (RESP format).\n"
                          "BASE AOF appendonly.aof.1.base.aof is empty\n"
                          "Start to check INCR files.\n"
                          "AOF analyzed: filename=appendonly.aof.1.incr.aof, size=110, "
                          "ok_up_to=110, ok_up_to_line=27, diff=0\n"
                          "INCR AOF appendonly.aof.1.incr.aof is valid\n"
                          "All AOF files and manifest are valid\n");
    truncate(path_in(d, INCR1), last + 10); /* "*3\r\n$3\r\nSE" */
    cr_assert_eq(run_check(args, "", out, sizeof(out)), 1);
    cr_assert_str_eq(out, "Start checking Multi Part AOF\n"
                          "Start to check BASE AOF (RESP format).\n"
                          "BASE AOF appendonly.aof.1.base.aof is empty\n"
                          "Start to check INCR files.\n"
                          "0x              59: Expected to read 5 bytes, got 2 bytes\n"
                          "AOF analyzed: filename=appendonly.aof.1.incr.aof, size=91, "
                          "ok_up_to=81, ok_up_to_line=22, diff=10\n"
                          "AOF appendonly.aof.1.incr.aof is not valid. Use the --fix option to "
                          "try fixing it.\n");
    /* Refusing the prompt changes nothing. */
    snprintf(args, sizeof(args), "--fix %s", path_in(d, "appendonlydir"));
    cr_assert_eq(run_check(args, "n\\n", out, sizeof(out)), 1);
    cr_assert(strstr(out, "Continue? [y/N]: Aborting...\n"), "%s", out);
    cr_assert_eq(fsize(path_in(d, INCR1)), last + 10);
    cr_assert_eq(run_check(args, "y\\n", out, sizeof(out)), 0);
    cr_assert(strstr(out, "This will shrink the AOF appendonly.aof.1.incr.aof from 91 bytes, "
                          "with 10 bytes, to 81 bytes\nContinue? [y/N]: Successfully truncated "
                          "AOF appendonly.aof.1.incr.aof\nAll AOF files and manifest are valid\n"),
              "%s", out);
    cr_assert_eq(fsize(path_in(d, INCR1)), last);
    /* A single file, and a MULTI without EXEC. */
    FILE *fp = fopen(path_in(d, INCR1), "ab");
    fputs("*1\r\n$5\r\nMULTI\r\n", fp);
    fclose(fp);
    snprintf(args, sizeof(args), "%s", path_in(d, INCR1));
    cr_assert_eq(run_check(args, "", out, sizeof(out)), 1);
    cr_assert(strstr(out, "Reached EOF before reading EXEC for MULTI\nAOF analyzed: filename="),
              "%s", out);
    snprintf(args, sizeof(args), "--fix %s", path_in(d, INCR1));
    cr_assert_eq(run_check(args, "y\\n", out, sizeof(out)), 0);
    cr_assert_eq(fsize(path_in(d, INCR1)), last);
    srv_handle *h = start_in(d, NULL);
    redisContext *c = srv_connect(h);
    expect_bulk(c, "v2", "GET k2");
    redisFree(c);
    stop(h);
    rm_dir(d);
}

/* ---- failed writes: -MISCONF ---- */

static srv_handle *start_limited(const char *dir, const char *extra, rlim_t limit)
{
    struct rlimit old, lim;
    getrlimit(RLIMIT_FSIZE, &old);
    lim = old;
    lim.rlim_cur = limit;
    signal(SIGXFSZ, SIG_IGN);
    setrlimit(RLIMIT_FSIZE, &lim);
    srv_handle *h = start_in(dir, extra);
    setrlimit(RLIMIT_FSIZE, &old);
    return h;
}

static void lift_limit(pid_t pid)
{
    struct rlimit lim = {RLIM_INFINITY, RLIM_INFINITY};
    cr_assert_eq(prlimit(pid, RLIMIT_FSIZE, &lim, NULL), 0, "prlimit: %s", strerror(errno));
}

static char *big_value(void)
{
    static char v[100001];
    memset(v, 'x', 100000);
    return v;
}

#define MISCONF "MISCONF Errors writing to the AOF file: File too large"

static void wait_writable(redisContext *c)
{
    for (int i = 0; i < 200; i++) {
        redisReply *r = cmd(c, "SET probe 1");
        int ok = r->type == REDIS_REPLY_STATUS;
        freeReplyObject(r);
        if (ok)
            return;
        usleep(20000);
    }
    cr_assert_fail("writes stayed refused");
}

Test(aof, failed_write_gives_misconf_until_it_works_everysec)
{
    char *d = new_dir();
    srv_handle *h = start_limited(d, NULL, 64 * 1024);
    redisContext *c = srv_connect(h);
    expect_status(c, "OK", "SET small 1");
    expect_status(c, "OK", "SET big %s", big_value()); /* acknowledged, kept in the buffer */
    /* everysec may postpone the write while a background fsync runs. */
    for (int i = 0; i < 300 && info_ll(c, "aof_buffer_length") == 0; i++)
        usleep(10000);
    for (int i = 0; i < 300; i++) {
        redisReply *r = cmd(c, "INFO persistence");
        int err = strstr(r->str, "aof_last_write_status:err") != NULL;
        freeReplyObject(r);
        if (err)
            break;
        usleep(10000);
    }
    expect_error(c, MISCONF, "SET other 1");
    expect_error(c, MISCONF, "PING");
    expect_bulk(c, "1", "GET small");
    info_expect(c, "persistence", "\r\naof_last_write_status:err\r\n");
    cr_assert(file_has(path_in(d, "server.log"), "Short write while writing to the AOF file: "
                                                 "(nwritten=65482, expected=100033)"));
    lift_limit(h->pid);
    wait_writable(c);
    info_expect(c, "persistence", "\r\naof_last_write_status:ok\r\n");
    cr_assert(file_has(path_in(d, "server.log"), "AOF write error looks solved, Sluice can "
                                                 "write again."));
    redisFree(c);
    kill9(h);
    h = start_in(d, NULL);
    c = srv_connect(h);
    expect_bulk(c, big_value(), "GET big");
    expect_bulk(c, "1", "GET probe");
    expect_nil(c, "GET other");
    redisFree(c);
    stop(h);
    rm_dir(d);
}

Test(aof, failed_write_under_always_never_acknowledges)
{
    char *d = new_dir();
    srv_handle *h = start_limited(d, "--appendfsync always", 64 * 1024);
    redisContext *c = srv_connect(h);
    redisContext *c2 = srv_connect(h);
    expect_status(c, "OK", "SET small 1");
    redisReply *r = redisCommand(c, "SET big %s", big_value());
    cr_assert_null(r, "the write was acknowledged without being on disk");
    expect_error(c2, MISCONF, "SET other 1");
    expect_bulk(c2, "1", "GET small");
    lift_limit(h->pid);
    wait_writable(c2);
    redisFree(c);
    redisFree(c2);
    kill9(h);
    h = start_in(d, NULL);
    c = srv_connect(h);
    expect_bulk(c, big_value(), "GET big"); /* written once the disk took it */
    expect_nil(c, "GET other");
    redisFree(c);
    stop(h);
    rm_dir(d);
}

/* ---- loading ---- */

Test(aof, clients_get_loading_while_the_aof_loads)
{
    char *d = new_dir();
    mkdir(path_in(d, "appendonlydir"), 0755);
    FILE *fp = fopen(path_in(d, BASE1), "wb");
    for (int i = 0; i < 4096; i++)
        fprintf(fp, "*3\r\n$3\r\nSET\r\n$%d\r\nk%d\r\n$1\r\nv\r\n", i < 10 ? 2 : i < 100 ? 3
                : i < 1000 ? 4 : 5, i);
    fclose(fp);
    const char *m = "file appendonly.aof.1.base.aof seq 1 type b\n";
    spit(path_in(d, MANIFEST), m, strlen(m));
    char port[16], logp[300];
    int p = free_port();
    snprintf(port, sizeof(port), "%d", p);
    snprintf(logp, sizeof(logp), "%s/server.log", d);
    char *argv[] = {(char *)server_bin(), "--port", port, "--bind", "127.0.0.1", "--dir", d,
                    "--logfile", logp, "--key-load-delay", "500", NULL};
    pid_t pid = fork();
    if (pid == 0) {
        execv(argv[0], argv);
        _exit(127);
    }
    track(pid, 1);
    redisContext *c = NULL;
    for (int i = 0; i < 200 && !c; i++) {
        c = redisConnect("127.0.0.1", p);
        if (c && c->err) {
            redisFree(c);
            c = NULL;
            usleep(10000);
        }
    }
    cr_assert(c, "no connection");
    expect_error(c, "LOADING Redis is loading the dataset in memory", "GET k1");
    expect_error(c, "LOADING Redis is loading the dataset in memory", "PING");
    info_expect(c, "persistence", "\r\nloading:1\r\n");
    info_expect(c, "persistence", "\r\nloading_total_bytes:");
    for (int i = 0; i < 500; i++) {
        redisReply *r = cmd(c, "PING");
        int up = r->type == REDIS_REPLY_STATUS;
        freeReplyObject(r);
        if (up)
            break;
        usleep(10000);
    }
    expect_bulk(c, "v", "GET k4095");
    info_expect(c, "persistence", "\r\nloading:0\r\n");
    info_expect(c, "persistence", "\r\nrdb_last_load_keys_loaded:4096\r\n");
    redisFree(c);
    track(pid, 0);
    kill(pid, SIGTERM);
    waitpid(pid, NULL, 0);
    rm_dir(d);
}

/* ---- config ---- */

Test(aof, persistence_config_params)
{
    char *d = new_dir();
    srv_handle *h = start_in(d, NULL);
    redisContext *c = srv_connect(h);
    const char *p[][2] = {{"auto-aof-rewrite-percentage", "100"},
                          {"auto-aof-rewrite-min-size", "67108864"},
                          {"aof-load-truncated", "yes"},
                          {"aof-use-rdb-preamble", "yes"},
                          {"aof-timestamp-enabled", "no"},
                          {"appendfilename", "appendonly.aof"}};
    for (size_t i = 0; i < sizeof(p) / sizeof(p[0]); i++)
        expect_strings(c, 2, p[i], "CONFIG GET %s", p[i][0]);
    expect_status(c, "OK", "CONFIG SET aof-timestamp-enabled yes");
    expect_status(c, "OK", "SET t 1");
    char *s = slurp(path_in(d, INCR1), NULL);
    cr_assert(strncmp(s, "#TS:", 4) == 0, "%s", s);
    free(s);
    expect_error(c, "ERR CONFIG SET failed (possibly related to argument 'appendfsync') - "
                    "argument(s) must be one of the following: everysec, always, no",
                 "CONFIG SET appendfsync sometimes");
    expect_status(c, "OK", "CONFIG SET appendfsync always");
    expect_status(c, "OK", "SET t 2");
    redisFree(c);
    stop(h);
    h = start_in(d, NULL);
    c = srv_connect(h);
    expect_bulk(c, "2", "GET t"); /* "#TS:" lines are skipped on load */
    redisFree(c);
    stop(h);
    rm_dir(d);
}

/* Function libraries survive a restart from the incr file (FUNCTION LOAD is
 * logged) and from a rewritten base (one FUNCTION LOAD per library, before
 * the keys), as Redis 7.0 keeps them in its AOF. */
Test(aof, function_libraries_persist_through_incr_and_rewrite)
{
    char *d = new_dir();
    srv_handle *h = start_in(d, NULL);
    redisContext *c = srv_connect(h);
    const char *lib = "#!lua name=qlib\n"
                      "redis.register_function('qpush', function(keys, args) "
                      "return redis.call('RPUSH', keys[1], args[1]) end)\n"
                      "redis.register_function{function_name='qlen', callback=function(keys) "
                      "return redis.call('LLEN', keys[1]) end, flags={'no-writes'}}";
    redisReply *r = redisCommand(c, "FUNCTION LOAD %s", lib);
    cr_assert(r && r->type == REDIS_REPLY_STRING && strcmp(r->str, "qlib") == 0);
    freeReplyObject(r);
    expect_int(c, 1, "FCALL qpush 1 jobs a");
    expect_int(c, 2, "FCALL qpush 1 jobs b");
    redisFree(c);
    stop(h);

    h = start_in(d, NULL);
    c = srv_connect(h);
    expect_int(c, 2, "FCALL_RO qlen 1 jobs");
    expect_int(c, 3, "FCALL qpush 1 jobs c");
    expect_status(c, "Background append only file rewriting started", "BGREWRITEAOF");
    wait_no_child(c);
    char *b = slurp(path_in(d, "appendonlydir/appendonly.aof.2.base.aof"), NULL);
    char *fl = strstr(b, "$8\r\nFUNCTION\r\n$4\r\nLOAD\r\n");
    char *keys = strstr(b, "RPUSH");
    cr_assert(fl && keys && fl < keys, "base:\n%s", b);
    free(b);
    redisFree(c);
    stop(h);

    h = start_in(d, NULL);
    c = srv_connect(h);
    expect_int(c, 3, "FCALL_RO qlen 1 jobs");
    expect_bulk(c, "c", "LINDEX jobs -1");
    r = redisCommand(c, "FUNCTION LIST");
    cr_assert(r && r->type == REDIS_REPLY_ARRAY && r->elements == 1);
    freeReplyObject(r);
    /* FUNCTION DELETE is logged too */
    expect_status(c, "OK", "FUNCTION DELETE qlib");
    redisFree(c);
    stop(h);
    h = start_in(d, NULL);
    c = srv_connect(h);
    expect_error(c, "ERR Function not found", "FCALL qlen 1 jobs");
    redisFree(c);
    stop(h);
    rm_dir(d);
}
