/* brpop_pool.c - a work-queue benchmark: producers LPUSH jobs, a pool of
 * workers BRPOP them, and we measure jobs per second of *server* CPU
 * (utime + stime of the server process from /proc/PID/stat, all threads).
 * A benchmark, never a test: it prints, it does not fail on a missed target.
 *
 *   brpop_pool --port P --pid PID [--host H] [--jobs 1000000]
 *              [--producers 4] [--workers 8] [--batch 100] [--queue NAME]
 *
 * Each producer thread owns one connection and pushes its share of the
 * jobs with LPUSH, `batch` commands in flight (pipelined), one job per
 * command.  Each worker thread owns one connection and loops on
 * BRPOP queue 0, one command at a time, as a real worker would.  When the
 * last job has been popped the server CPU is read, then one "stop" job per
 * worker ends the pool.  Output: one line of key=value pairs
 * (jobs, wall_s, cpu_s, jobs_per_s, jobs_per_cpu_s) for brpop_pool.sh. */
#include <hiredis/hiredis.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

static const char *host = "127.0.0.1";
static int port = 6379;
static long pid = 0;
static long jobs = 1000000;
static int producers = 4, workers = 8, batch = 100;
static const char *queue = "brpop_pool:queue";
static atomic_long popped;

static double now_s(void)
{
    struct timeval tv;
    gettimeofday(&tv, NULL);
    return (double)tv.tv_sec + (double)tv.tv_usec / 1e6;
}

/* utime + stime of pid in seconds. */
static double cpu_s(void)
{
    char path[64], buf[4096];
    snprintf(path, sizeof(path), "/proc/%ld/stat", pid);
    FILE *f = fopen(path, "r");
    if (!f) {
        perror(path);
        exit(2);
    }
    size_t n = fread(buf, 1, sizeof(buf) - 1, f);
    fclose(f);
    buf[n] = '\0';
    char *p = strrchr(buf, ')'); /* comm may hold spaces */
    unsigned long long ut = 0, st = 0;
    if (!p ||
        sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu", &ut, &st) != 2) {
        fprintf(stderr, "cannot parse %s\n", path);
        exit(2);
    }
    return (double)(ut + st) / (double)sysconf(_SC_CLK_TCK);
}

static redisContext *connect_or_die(void)
{
    redisContext *c = redisConnect(host, port);
    if (!c || c->err) {
        fprintf(stderr, "connect %s:%d: %s\n", host, port, c ? c->errstr : "oom");
        exit(2);
    }
    return c;
}

static void check(redisContext *c, redisReply *r)
{
    if (!r) {
        fprintf(stderr, "connection error: %s\n", c->errstr);
        exit(2);
    }
    if (r->type == REDIS_REPLY_ERROR) {
        fprintf(stderr, "server error: %s\n", r->str);
        exit(2);
    }
}

static void *producer(void *arg)
{
    long id = (long)arg;
    long from = jobs * id / producers, to = jobs * (id + 1) / producers;
    redisContext *c = connect_or_die();
    long sent = from, acked = from;
    char job[64];
    while (acked < to) {
        while (sent < to && sent - acked < batch) {
            int len = snprintf(job, sizeof(job), "job:%ld:payload", sent);
            redisAppendCommand(c, "LPUSH %s %b", queue, job, (size_t)len);
            sent++;
        }
        redisReply *r;
        if (redisGetReply(c, (void **)&r) != REDIS_OK)
            check(c, NULL);
        check(c, r);
        freeReplyObject(r);
        acked++;
    }
    redisFree(c);
    return NULL;
}

static void *worker(void *arg)
{
    (void)arg;
    redisContext *c = connect_or_die();
    for (;;) {
        redisReply *r = redisCommand(c, "BRPOP %s 0", queue);
        check(c, r);
        int stop = r->type == REDIS_REPLY_ARRAY && r->elements == 2 &&
                   strcmp(r->element[1]->str, "stop") == 0;
        freeReplyObject(r);
        if (stop)
            break;
        atomic_fetch_add(&popped, 1);
    }
    redisFree(c);
    return NULL;
}

static void usage(void)
{
    fprintf(stderr, "usage: brpop_pool --port P --pid PID [--host H] [--jobs N] "
                    "[--producers N] [--workers N] [--batch N] [--queue KEY]\n");
    exit(2);
}

int main(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        if (i + 1 >= argc)
            usage();
        const char *o = argv[i], *v = argv[++i];
        if (!strcmp(o, "--host"))
            host = v;
        else if (!strcmp(o, "--port"))
            port = atoi(v);
        else if (!strcmp(o, "--pid"))
            pid = atol(v);
        else if (!strcmp(o, "--jobs"))
            jobs = atol(v);
        else if (!strcmp(o, "--producers"))
            producers = atoi(v);
        else if (!strcmp(o, "--workers"))
            workers = atoi(v);
        else if (!strcmp(o, "--batch"))
            batch = atoi(v);
        else if (!strcmp(o, "--queue"))
            queue = v;
        else
            usage();
    }
    if (!pid || jobs <= 0 || producers <= 0 || workers <= 0 || batch <= 0)
        usage();
    redisContext *c = connect_or_die();
    freeReplyObject(redisCommand(c, "DEL %s", queue));

    pthread_t *wt = calloc((size_t)workers, sizeof(pthread_t));
    pthread_t *pt = calloc((size_t)producers, sizeof(pthread_t));
    for (long i = 0; i < workers; i++)
        pthread_create(&wt[i], NULL, worker, (void *)i);
    usleep(200000); /* let the workers block first */
    double cpu0 = cpu_s(), t0 = now_s();
    for (long i = 0; i < producers; i++)
        pthread_create(&pt[i], NULL, producer, (void *)i);
    for (int i = 0; i < producers; i++)
        pthread_join(pt[i], NULL);
    while (atomic_load(&popped) < jobs)
        usleep(500);
    double cpu1 = cpu_s(), t1 = now_s();
    for (int i = 0; i < workers; i++)
        freeReplyObject(redisCommand(c, "LPUSH %s stop", queue));
    for (int i = 0; i < workers; i++)
        pthread_join(wt[i], NULL);
    redisFree(c);
    double wall = t1 - t0, cpu = cpu1 - cpu0;
    double per_cpu = cpu > 0 ? (double)jobs / cpu : 0.0;
    printf("jobs=%ld wall_s=%.3f cpu_s=%.2f jobs_per_s=%.0f jobs_per_cpu_s=%.0f\n", jobs,
           wall, cpu, (double)jobs / wall, per_cpu);
    free(wt);
    free(pt);
    return 0;
}
