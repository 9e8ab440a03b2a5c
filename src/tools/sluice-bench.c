/* sluice-bench.c - message-queue workloads against any Redis-protocol
 * server: messages per second, end-to-end latency percentiles and the
 * server's CPU time per message.
 *
 *   sluice-bench -t stream -n 200000 -P 4 -C 8 -c 10      XADD / XREADGROUP+XACK
 *   sluice-bench -t list   -n 200000 -P 4 -C 8 [--reliable]  LPUSH / BRPOP
 *   sluice-bench -t pubsub -n 100000 -P 1 -C 50          PUBLISH / SUBSCRIBE
 *
 * One thread, one epoll loop, one hiredis async context per producer and
 * consumer (the adapter below feeds hiredis's read/write hooks).  Every
 * message carries its sequence number and the monotonic time it was sent;
 * the receiving side records the latency in a log-linear histogram (HDR
 * style, ~0.2% precision) and counts deliveries per sequence number, so at
 * the end the tool checks that each message was delivered (and, for
 * streams, acknowledged) exactly once.  Server CPU comes from
 * /proc/PID/stat (utime + stime) before and after the run; PID is taken
 * from INFO server when not given, which works when the server runs on
 * this host.  Exit status: 0 if the delivery check passed. */
#include <errno.h>
#include <getopt.h>
#include <hiredis/async.h>
#include <hiredis/hiredis.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <time.h>
#include <unistd.h>

enum { W_STREAM, W_LIST, W_PUBSUB };

typedef struct opts {
    const char *host;
    int port;
    int workload;
    long messages;
    int producers, consumers;
    int count;   /* XREADGROUP COUNT */
    int window;  /* commands in flight per producer */
    int size;    /* payload bytes */
    int reliable;
    int quiet;
    long pid;
    const char *key;
    long rate; /* messages per second over all producers, 0 = as fast as possible */
} opts;

static opts O = {"127.0.0.1", 6379, W_STREAM, 100000, 4, 8, 10, 16, 16, 0, 0, 0,
                 "sluice-bench", 0};
static uint64_t start_us;

static void die(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "sluice-bench: ");
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\n");
    va_end(ap);
    exit(2);
}

static uint64_t mono_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

/* ---- histogram: values < 1024 exact, then 512 buckets per power of two --- */

#define H_BUCKETS (512 * 40)

static uint64_t hist[H_BUCKETS];
static uint64_t hist_n, hist_max;

static int h_index(uint64_t v)
{
    if (v < 1024)
        return (int)v;
    int shift = 63 - __builtin_clzll(v) - 9;
    int idx = 512 * shift + (int)(v >> shift);
    return idx < H_BUCKETS ? idx : H_BUCKETS - 1;
}

static uint64_t h_value(int idx)
{
    if (idx < 1024)
        return (uint64_t)idx;
    int shift = idx / 512 - 1;
    return (uint64_t)(idx - 512 * shift) << shift;
}

static void h_record(uint64_t v)
{
    hist[h_index(v)]++;
    hist_n++;
    if (v > hist_max)
        hist_max = v;
}

static uint64_t h_percentile(double p)
{
    uint64_t want = (uint64_t)(p / 100.0 * (double)hist_n + 0.5), seen = 0;
    if (want == 0)
        want = 1;
    for (int i = 0; i < H_BUCKETS; i++) {
        seen += hist[i];
        if (seen >= want)
            return h_value(i);
    }
    return hist_max;
}

/* ---- event loop and hiredis adapter ---------------------------------------- */

typedef struct conn {
    redisAsyncContext *ac;
    int fd;
    uint32_t events;
    int registered;
    int id;
    long next;     /* producers: next sequence number to send */
    long inflight;
    int subscribed;
} conn;

static int epfd;
static int stopping;

static void ev_apply(conn *c)
{
    struct epoll_event e = {.events = c->events, .data.ptr = c};
    if (!c->registered) {
        if (epoll_ctl(epfd, EPOLL_CTL_ADD, c->fd, &e) == 0)
            c->registered = 1;
    } else {
        epoll_ctl(epfd, EPOLL_CTL_MOD, c->fd, &e);
    }
}

static void ev_add_read(void *p)
{
    conn *c = p;
    c->events |= EPOLLIN;
    ev_apply(c);
}

static void ev_del_read(void *p)
{
    conn *c = p;
    c->events &= ~(uint32_t)EPOLLIN;
    ev_apply(c);
}

static void ev_add_write(void *p)
{
    conn *c = p;
    c->events |= EPOLLOUT;
    ev_apply(c);
}

static void ev_del_write(void *p)
{
    conn *c = p;
    c->events &= ~(uint32_t)EPOLLOUT;
    ev_apply(c);
}

static void ev_cleanup(void *p)
{
    conn *c = p;
    if (c->registered)
        epoll_ctl(epfd, EPOLL_CTL_DEL, c->fd, NULL);
    c->registered = 0;
    c->ac = NULL;
}

static void on_disconnect(const redisAsyncContext *ac, int status)
{
    if (status != REDIS_OK && !stopping)
        die("connection lost: %s", ac->errstr);
}

static conn *conn_open(int id)
{
    conn *c = calloc(1, sizeof(*c));
    c->ac = redisAsyncConnect(O.host, O.port);
    if (!c->ac || c->ac->err)
        die("cannot connect to %s:%d", O.host, O.port);
    c->fd = c->ac->c.fd;
    c->id = id;
    c->ac->ev.data = c;
    c->ac->ev.addRead = ev_add_read;
    c->ac->ev.delRead = ev_del_read;
    c->ac->ev.addWrite = ev_add_write;
    c->ac->ev.delWrite = ev_del_write;
    c->ac->ev.cleanup = ev_cleanup;
    redisAsyncSetDisconnectCallback(c->ac, on_disconnect);
    return c;
}

static void loop_once(int timeout_ms)
{
    struct epoll_event evs[256];
    int n = epoll_wait(epfd, evs, 256, timeout_ms);
    for (int i = 0; i < n; i++) {
        conn *c = evs[i].data.ptr;
        if (c->ac && (evs[i].events & (EPOLLIN | EPOLLERR | EPOLLHUP)))
            redisAsyncHandleRead(c->ac);
        if (c->ac && (evs[i].events & EPOLLOUT))
            redisAsyncHandleWrite(c->ac);
    }
}

/* ---- the run's state ----------------------------------------------------- */

static conn **prods, **cons;
static unsigned char *seen; /* deliveries per sequence number (saturating) */
static long sent, delivered, acked, expected_deliveries;
static long duplicates;

static void note_delivery(long seq, uint64_t sent_us)
{
    uint64_t now = mono_us();
    h_record(now > sent_us ? now - sent_us : 0);
    delivered++;
    if (seq < 0 || seq >= O.messages)
        return;
    if (seen[seq] < 255)
        seen[seq]++;
}

static char *payload;

/* "<sent_us>:<seq>:<padding>" for lists and pub/sub. */
static size_t format_msg(char *buf, size_t cap, long seq)
{
    int n = snprintf(buf, cap, "%llu:%ld:", (unsigned long long)mono_us(), seq);
    size_t pad = (size_t)O.size;
    if ((size_t)n + pad >= cap)
        pad = cap - (size_t)n - 1;
    memcpy(buf + n, payload, pad);
    return (size_t)n + pad;
}

static int parse_msg(const char *p, size_t len, long *seq, uint64_t *ts)
{
    char tmp[64];
    size_t n = len < sizeof(tmp) - 1 ? len : sizeof(tmp) - 1;
    memcpy(tmp, p, n);
    tmp[n] = '\0';
    unsigned long long t;
    if (sscanf(tmp, "%llu:%ld:", &t, seq) != 2)
        return -1;
    *ts = t;
    return 0;
}

/* ---- producers -------------------------------------------------------------- */

static void produce(conn *c);

static void on_produced(redisAsyncContext *ac, void *r, void *priv)
{
    (void)ac;
    conn *c = priv;
    redisReply *rep = r;
    if (!rep || rep->type == REDIS_REPLY_ERROR)
        die("producer error: %s", rep ? rep->str : "no reply");
    c->inflight--;
    produce(c);
}

static void send_one(conn *c, long seq)
{
    char tbuf[32], sbuf[32], msg[4096];
    if (O.workload == W_STREAM) {
        const char *argv[9];
        size_t lens[9];
        int tl = snprintf(tbuf, sizeof(tbuf), "%llu", (unsigned long long)mono_us());
        int sl = snprintf(sbuf, sizeof(sbuf), "%ld", seq);
        const char *a[] = {"XADD", O.key, "*", "t", tbuf, "s", sbuf, "d", payload};
        size_t l[] = {4, strlen(O.key), 1, 1, (size_t)tl, 1, (size_t)sl, 1, (size_t)O.size};
        memcpy(argv, a, sizeof(a));
        memcpy(lens, l, sizeof(l));
        redisAsyncCommandArgv(c->ac, on_produced, c, 9, argv, lens);
    } else {
        size_t ml = format_msg(msg, sizeof(msg), seq);
        const char *argv[3] = {O.workload == W_LIST ? "LPUSH" : "PUBLISH", O.key, msg};
        size_t lens[3] = {strlen(argv[0]), strlen(O.key), ml};
        redisAsyncCommandArgv(c->ac, on_produced, c, 3, argv, lens);
    }
    c->inflight++;
    sent++;
}

/* Messages allowed so far under -r (all of them without it). */
static long rate_budget(void)
{
    if (!O.rate)
        return O.messages;
    return (long)((double)(mono_us() - start_us) * (double)O.rate / 1e6) + 1;
}

/* Producer i sends i, i+P, i+2P ... keeping `window` commands in flight. */
static void produce(conn *c)
{
    long budget = rate_budget();
    while (c->inflight < O.window && c->next < O.messages && sent < budget) {
        send_one(c, c->next);
        c->next += O.producers;
    }
}

/* ---- stream consumers ------------------------------------------------------- */

static void stream_read(conn *c);

static void on_acked(redisAsyncContext *ac, void *r, void *priv)
{
    (void)ac;
    (void)priv;
    redisReply *rep = r;
    if (!rep || rep->type != REDIS_REPLY_INTEGER)
        die("XACK failed: %s", rep && rep->str ? rep->str : "?");
    acked += rep->integer;
}

static void stream_entry(redisReply *e, const char **ids, size_t *idl, int *nids)
{
    if (e->type != REDIS_REPLY_ARRAY || e->elements != 2)
        return;
    redisReply *fv = e->element[1];
    long seq = -1;
    uint64_t ts = 0;
    for (size_t k = 0; fv->type == REDIS_REPLY_ARRAY && k + 1 < fv->elements; k += 2) {
        const char *f = fv->element[k]->str;
        if (f && f[0] == 't')
            ts = strtoull(fv->element[k + 1]->str, NULL, 10);
        else if (f && f[0] == 's')
            seq = strtol(fv->element[k + 1]->str, NULL, 10);
    }
    note_delivery(seq, ts);
    ids[*nids] = e->element[0]->str;
    idl[*nids] = e->element[0]->len;
    (*nids)++;
}

static void on_stream_read(redisAsyncContext *ac, void *r, void *priv)
{
    conn *c = priv;
    redisReply *rep = r;
    if (!rep)
        return;
    if (rep->type == REDIS_REPLY_ERROR)
        die("XREADGROUP: %s", rep->str);
    if (rep->type == REDIS_REPLY_ARRAY && rep->elements == 1) {
        redisReply *entries = rep->element[0]->element[1];
        int n = (int)entries->elements;
        const char **argv = malloc(sizeof(char *) * (size_t)(n + 3));
        size_t *lens = malloc(sizeof(size_t) * (size_t)(n + 3));
        int k = 3;
        argv[0] = "XACK";
        lens[0] = 4;
        argv[1] = O.key;
        lens[1] = strlen(O.key);
        argv[2] = "g";
        lens[2] = 1;
        for (int i = 0; i < n; i++)
            stream_entry(entries->element[i], argv, lens, &k);
        if (k > 3)
            redisAsyncCommandArgv(ac, on_acked, c, k, argv, lens);
        free(argv);
        free(lens);
    }
    if (!stopping)
        stream_read(c);
}

static void stream_read(conn *c)
{
    char cname[32], cnt[16];
    snprintf(cname, sizeof(cname), "c%d", c->id);
    snprintf(cnt, sizeof(cnt), "%d", O.count);
    const char *argv[] = {"XREADGROUP", "GROUP", "g", cname, "COUNT", cnt,
                          "BLOCK", "100", "STREAMS", O.key, ">"};
    size_t lens[11];
    for (int i = 0; i < 11; i++)
        lens[i] = strlen(argv[i]);
    redisAsyncCommandArgv(c->ac, on_stream_read, c, 11, argv, lens);
}

/* ---- list workers ---------------------------------------------------------- */

static void list_pop(conn *c);

static void on_lrem(redisAsyncContext *ac, void *r, void *priv)
{
    (void)ac;
    (void)priv;
    redisReply *rep = r;
    if (rep && rep->type == REDIS_REPLY_INTEGER)
        acked += rep->integer;
}

static void on_list_pop(redisAsyncContext *ac, void *r, void *priv)
{
    conn *c = priv;
    redisReply *rep = r;
    if (!rep)
        return;
    if (rep->type == REDIS_REPLY_ERROR)
        die("pop: %s", rep->str);
    const redisReply *m = NULL;
    if (rep->type == REDIS_REPLY_ARRAY && rep->elements == 2)
        m = rep->element[1]; /* BRPOP */
    else if (rep->type == REDIS_REPLY_STRING)
        m = rep; /* BLMOVE */
    if (m) {
        long seq;
        uint64_t ts;
        if (parse_msg(m->str, m->len, &seq, &ts) == 0)
            note_delivery(seq, ts);
        if (O.reliable) {
            char pk[128];
            snprintf(pk, sizeof(pk), "%s:processing:%d", O.key, c->id);
            const char *argv[] = {"LREM", pk, "1", m->str};
            size_t lens[] = {4, strlen(pk), 1, m->len};
            redisAsyncCommandArgv(ac, on_lrem, c, 4, argv, lens);
        } else {
            acked++;
        }
    }
    if (!stopping)
        list_pop(c);
}

static void list_pop(conn *c)
{
    if (O.reliable) {
        char pk[128];
        snprintf(pk, sizeof(pk), "%s:processing:%d", O.key, c->id);
        const char *argv[] = {"BLMOVE", O.key, pk, "RIGHT", "LEFT", "0.1"};
        size_t lens[6];
        for (int i = 0; i < 6; i++)
            lens[i] = strlen(argv[i]);
        redisAsyncCommandArgv(c->ac, on_list_pop, c, 6, argv, lens);
    } else {
        const char *argv[] = {"BRPOP", O.key, "0.1"};
        size_t lens[] = {5, strlen(O.key), 3};
        redisAsyncCommandArgv(c->ac, on_list_pop, c, 3, argv, lens);
    }
}

/* ---- pub/sub subscribers ---------------------------------------------------- */

static long subscribed;

static void on_message(redisAsyncContext *ac, void *r, void *priv)
{
    (void)ac;
    conn *c = priv;
    redisReply *rep = r;
    if (!rep || rep->type != REDIS_REPLY_ARRAY || rep->elements < 3)
        return;
    if (strcmp(rep->element[0]->str, "subscribe") == 0) {
        if (!c->subscribed++)
            subscribed++;
        return;
    }
    if (strcmp(rep->element[0]->str, "message") != 0)
        return;
    long seq;
    uint64_t ts;
    if (parse_msg(rep->element[2]->str, rep->element[2]->len, &seq, &ts) == 0)
        note_delivery(seq, ts);
    acked++;
}

/* ---- setup, CPU, report ------------------------------------------------------ */

static redisContext *sync_conn(void)
{
    redisContext *c = redisConnect(O.host, O.port);
    if (!c || c->err)
        die("cannot connect to %s:%d", O.host, O.port);
    return c;
}

static long long sync_int(redisContext *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    redisReply *r = redisvCommand(c, fmt, ap);
    va_end(ap);
    if (!r)
        die("connection error: %s", c->errstr);
    long long v = r->type == REDIS_REPLY_INTEGER ? r->integer : 0;
    if (r->type == REDIS_REPLY_ARRAY && r->elements && r->element[0]->type == REDIS_REPLY_INTEGER)
        v = r->element[0]->integer;
    if (r->type == REDIS_REPLY_ERROR)
        die("%s", r->str);
    freeReplyObject(r);
    return v;
}

static long server_pid(redisContext *c)
{
    if (O.pid)
        return O.pid;
    redisReply *r = redisCommand(c, "INFO server");
    long pid = 0;
    if (r && r->type == REDIS_REPLY_STRING) {
        const char *p = strstr(r->str, "process_id:");
        if (p)
            pid = atol(p + 11);
    }
    if (r)
        freeReplyObject(r);
    return pid;
}

/* utime + stime of pid in seconds, -1 if unknown. */
static double cpu_seconds(long pid)
{
    char path[64], buf[4096];
    snprintf(path, sizeof(path), "/proc/%ld/stat", pid);
    FILE *f = pid > 0 ? fopen(path, "r") : NULL;
    if (!f)
        return -1;
    size_t n = fread(buf, 1, sizeof(buf) - 1, f);
    fclose(f);
    buf[n] = '\0';
    char *p = strrchr(buf, ')');
    if (!p)
        return -1;
    unsigned long long ut = 0, st = 0;
    /* after ") " come fields 3..: state ppid pgrp session tty tpgid flags
     * minflt cminflt majflt cmajflt utime stime */
    if (sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu", &ut, &st) != 2)
        return -1;
    return (double)(ut + st) / (double)sysconf(_SC_CLK_TCK);
}

static void setup_keys(redisContext *c)
{
    sync_int(c, "DEL %s", O.key);
    if (O.workload == W_STREAM)
        sync_int(c, "XGROUP CREATE %s g $ MKSTREAM", O.key);
    if (O.workload == W_LIST && O.reliable)
        for (int i = 0; i < O.consumers; i++)
            sync_int(c, "DEL %s:processing:%d", O.key, i);
}

static int check(redisContext *c)
{
    long missing = 0, extra = 0;
    int want = O.workload == W_PUBSUB ? O.consumers : 1;
    for (long i = 0; i < O.messages; i++) {
        if (seen[i] < want)
            missing++;
        else if (seen[i] > want)
            extra++;
    }
    duplicates = extra;
    long long pending = 0;
    if (O.workload == W_STREAM)
        pending = sync_int(c, "XPENDING %s g", O.key);
    else if (O.workload == W_LIST && O.reliable)
        for (int i = 0; i < O.consumers; i++)
            pending += sync_int(c, "LLEN %s:processing:%d", O.key, i);
    int ok = !missing && !extra && !pending && acked == expected_deliveries;
    printf("check: delivered %ld, %s %ld, duplicates %ld, missing %ld, pending %lld: %s\n",
           delivered, O.workload == W_STREAM ? "acked" : "done", acked, extra, missing, pending,
           ok ? "OK" : "FAILED");
    return ok;
}

static void progress(uint64_t t0, int final)
{
    if (O.quiet)
        return;
    double el = (double)(mono_us() - t0) / 1e6;
    fprintf(stderr, "\r%s: sent %ld/%ld  delivered %ld/%ld  acked %ld  %.0f msg/s   %s",
            O.workload == W_STREAM ? "stream" : O.workload == W_LIST ? "list" : "pubsub", sent,
            O.messages, delivered, expected_deliveries, acked,
            el > 0 ? (double)delivered / el : 0.0, final ? "\n" : "");
    fflush(stderr);
}

static void usage(void)
{
    fprintf(stderr,
            "usage: sluice-bench [options]\n"
            "  -h HOST        server host (127.0.0.1)\n"
            "  -p PORT        server port (6379)\n"
            "  -t WORKLOAD    stream | list | pubsub (stream)\n"
            "  -n N           messages (100000)\n"
            "  -P N           producers / publishers (4)\n"
            "  -C N           consumers / workers / subscribers (8)\n"
            "  -c N           XREADGROUP COUNT (10)\n"
            "  -w N           commands in flight per producer (16)\n"
            "  -d BYTES       payload size (16)\n"
            "  -k KEY         key / channel (sluice-bench)\n"
            "  -r RATE        send at most RATE messages/s in total (0: no limit)\n"
            "  --reliable     list: BLMOVE to a processing list + LREM\n"
            "  --pid PID      server pid for CPU accounting (default: INFO)\n"
            "  -q             no progress line\n");
    exit(2);
}

static void parse_args(int argc, char **argv)
{
    static struct option longopts[] = {{"reliable", no_argument, NULL, 'R'},
                                       {"pid", required_argument, NULL, 'I'},
                                       {"help", no_argument, NULL, 'H'},
                                       {NULL, 0, NULL, 0}};
    int ch;
    while ((ch = getopt_long(argc, argv, "h:p:t:n:P:C:c:w:d:k:qr:", longopts, NULL)) != -1) {
        switch (ch) {
        case 'h': O.host = optarg; break;
        case 'p': O.port = atoi(optarg); break;
        case 't':
            if (!strcmp(optarg, "stream"))
                O.workload = W_STREAM;
            else if (!strcmp(optarg, "list"))
                O.workload = W_LIST;
            else if (!strcmp(optarg, "pubsub"))
                O.workload = W_PUBSUB;
            else
                usage();
            break;
        case 'n': O.messages = atol(optarg); break;
        case 'P': O.producers = atoi(optarg); break;
        case 'C': O.consumers = atoi(optarg); break;
        case 'c': O.count = atoi(optarg); break;
        case 'w': O.window = atoi(optarg); break;
        case 'd': O.size = atoi(optarg); break;
        case 'k': O.key = optarg; break;
        case 'q': O.quiet = 1; break;
        case 'r': O.rate = atol(optarg); break;
        case 'R': O.reliable = 1; break;
        case 'I': O.pid = atol(optarg); break;
        default: usage();
        }
    }
    if (O.messages <= 0 || O.producers <= 0 || O.consumers <= 0 || O.count <= 0 ||
        O.window <= 0 || O.size < 0 || O.size > 3000)
        usage();
}

static void start_consumers(void)
{
    for (int i = 0; i < O.consumers; i++) {
        cons[i] = conn_open(i);
        if (O.workload == W_STREAM) {
            stream_read(cons[i]);
        } else if (O.workload == W_LIST) {
            list_pop(cons[i]);
        } else {
            const char *argv[] = {"SUBSCRIBE", O.key};
            size_t lens[] = {9, strlen(O.key)};
            redisAsyncCommandArgv(cons[i]->ac, on_message, cons[i], 2, argv, lens);
        }
    }
    if (O.workload == W_PUBSUB) /* publish only once everyone listens */
        while (subscribed < O.consumers)
            loop_once(100);
}

int main(int argc, char **argv)
{
    parse_args(argc, argv);
    payload = malloc((size_t)O.size + 1);
    memset(payload, 'x', (size_t)O.size);
    seen = calloc((size_t)O.messages, 1);
    prods = calloc((size_t)O.producers, sizeof(conn *));
    cons = calloc((size_t)O.consumers, sizeof(conn *));
    expected_deliveries = O.messages * (O.workload == W_PUBSUB ? O.consumers : 1);
    epfd = epoll_create1(0);

    redisContext *sc = sync_conn();
    setup_keys(sc);
    long pid = server_pid(sc);
    start_consumers();
    double cpu0 = cpu_seconds(pid);
    uint64_t t0 = mono_us(), last = t0;
    start_us = t0;
    for (int i = 0; i < O.producers; i++) {
        prods[i] = conn_open(i);
        prods[i]->next = i;
        produce(prods[i]);
    }
    while (acked < expected_deliveries) {
        loop_once(O.rate ? 1 : 100);
        if (O.rate)
            for (int i = 0; i < O.producers; i++)
                produce(prods[i]);
        if (mono_us() - last >= 1000000) {
            last = mono_us();
            progress(t0, 0);
        }
        if (O.workload == W_PUBSUB && sent == O.messages && mono_us() - last > 5000000)
            break; /* lost messages: report them */
    }
    uint64_t t1 = mono_us();
    double cpu1 = cpu_seconds(pid);
    progress(t0, 1);
    stopping = 1;

    double secs = (double)(t1 - t0) / 1e6;
    const char *wl = O.workload == W_STREAM ? "stream" : O.workload == W_LIST ? "list" : "pubsub";
    printf("workload: %s%s  producers %d  consumers %d  count %d  window %d  messages %ld  "
           "payload %d B",
           wl, O.reliable ? " (reliable)" : "", O.producers, O.consumers, O.count, O.window,
           O.messages, O.size);
    if (O.rate)
        printf("  rate %ld/s", O.rate);
    printf("\n");
    printf("throughput: %.0f msg/s (%.3f s)", (double)O.messages / secs, secs);
    if (O.workload == W_PUBSUB)
        printf(", %.0f deliveries/s", (double)delivered / secs);
    printf("\n");
    printf("latency (us): p50 %llu  p99 %llu  p99.9 %llu  max %llu\n",
           (unsigned long long)h_percentile(50), (unsigned long long)h_percentile(99),
           (unsigned long long)h_percentile(99.9), (unsigned long long)hist_max);
    if (cpu0 >= 0 && cpu1 >= 0) {
        double cpu = cpu1 - cpu0;
        printf("server CPU: %.2f s  %.2f us/msg  %.0f msg per CPU-second\n", cpu,
               cpu * 1e6 / (double)O.messages, cpu > 0 ? (double)O.messages / cpu : 0.0);
    } else {
        printf("server CPU: unknown (no /proc/%ld/stat; use --pid)\n", pid);
    }
    int ok = check(sc);
    redisFree(sc);
    return ok ? 0 : 1;
}
