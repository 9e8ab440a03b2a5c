/* fanout.c - pub/sub fan-out benchmark: one publisher, N subscribers of one
 * channel, fixed-size messages.  Counts messages delivered per second at
 * the subscribers and the *server* CPU per delivered message (utime +
 * stime of the server process from /proc/PID/stat).  A benchmark, never a
 * test: it prints, it does not fail on a missed target.
 *
 *   fanout --port P --pid PID [--host H] [--subs 100] [--msgs 200000]
 *          [--size 64] [--window 64] [--stuck 0] [--limit "pubsub 4mb 2mb 10"]
 *          [--timeout 60]
 *
 * One thread, one epoll loop over raw sockets (the client must stay cheap:
 * it shares the machine with the server).  The publisher keeps `window`
 * PUBLISH commands in flight.  Subscribers count bytes: every message has
 * the same encoded length, so messages = bytes / length.  `stuck`
 * extra subscribers (tiny receive buffer) subscribe and never read: the
 * server should cut them off at the pubsub output limit (--limit is sent
 * as CONFIG SET client-output-buffer-limit first) without slowing the
 * others.  Output: one line of key=value pairs for fanout.sh. */
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

static const char *host = "127.0.0.1";
static int port = 6379;
static long pid = 0;
static int nsubs = 100, nstuck = 0, size = 64, window = 64;
static long nmsgs = 200000;
static double timeout_s = 60;
static const char *limit = NULL;
static const char *channel = "fanout:bench";

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
    char *p = strrchr(buf, ')');
    unsigned long long ut = 0, st = 0;
    if (!p ||
        sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu", &ut, &st) != 2) {
        fprintf(stderr, "cannot parse %s\n", path);
        exit(2);
    }
    return (double)(ut + st) / (double)sysconf(_SC_CLK_TCK);
}

static void die(const char *what)
{
    perror(what);
    exit(1);
}

static int connect_to(int rcvbuf)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0)
        die("socket");
    if (rcvbuf)
        setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    struct sockaddr_in sa;
    memset(&sa, 0, sizeof(sa));
    sa.sin_family = AF_INET;
    sa.sin_port = htons((uint16_t)port);
    if (inet_pton(AF_INET, host, &sa.sin_addr) != 1) {
        fprintf(stderr, "bad host %s\n", host);
        exit(1);
    }
    if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0)
        die("connect");
    return fd;
}

static void write_all(int fd, const char *p, size_t len)
{
    while (len) {
        ssize_t w = write(fd, p, len);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            die("write");
        p += w;
        len -= (size_t)w;
    }
}

/* Blocking read of exactly len bytes (set-up replies). */
static void read_exact(int fd, char *buf, size_t len)
{
    size_t got = 0;
    while (got < len) {
        ssize_t r = read(fd, buf + got, len - got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            die("read");
        got += (size_t)r;
    }
}

/* Send one command, read one line-shaped reply (+OK / :n). */
static void simple_cmd(int fd, const char *cmd, size_t len, char *reply, size_t cap)
{
    write_all(fd, cmd, len);
    size_t n = 0;
    while (n < cap - 1) {
        if (read(fd, reply + n, 1) != 1)
            die("read");
        if (reply[n++] == '\n')
            break;
    }
    reply[n] = '\0';
}

static size_t bulk(char *dst, const char *p, size_t len)
{
    int n = sprintf(dst, "$%zu\r\n", len);
    memcpy(dst + n, p, len);
    memcpy(dst + n + len, "\r\n", 2);
    return (size_t)n + len + 2;
}

static void subscribe(int fd)
{
    char cmd[256], want[256], got[256];
    size_t n = (size_t)sprintf(cmd, "*2\r\n$9\r\nSUBSCRIBE\r\n");
    n += bulk(cmd + n, channel, strlen(channel));
    write_all(fd, cmd, n);
    size_t w = (size_t)sprintf(want, "*3\r\n$9\r\nsubscribe\r\n");
    w += bulk(want + w, channel, strlen(channel));
    w += (size_t)sprintf(want + w, ":1\r\n");
    read_exact(fd, got, w);
    if (memcmp(got, want, w) != 0) {
        fprintf(stderr, "unexpected subscribe reply\n");
        exit(1);
    }
}

static void usage(void)
{
    fprintf(stderr, "usage: fanout --port P --pid PID [--host H] [--subs N] [--msgs N] "
                    "[--size B] [--window W] [--stuck K] [--limit SPEC] [--timeout S]\n");
    exit(2);
}

static void parse_args(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (i + 1 >= argc)
            usage();
        const char *v = argv[++i];
        if (!strcmp(a, "--host"))
            host = v;
        else if (!strcmp(a, "--port"))
            port = atoi(v);
        else if (!strcmp(a, "--pid"))
            pid = atol(v);
        else if (!strcmp(a, "--subs"))
            nsubs = atoi(v);
        else if (!strcmp(a, "--msgs"))
            nmsgs = atol(v);
        else if (!strcmp(a, "--size"))
            size = atoi(v);
        else if (!strcmp(a, "--window"))
            window = atoi(v);
        else if (!strcmp(a, "--stuck"))
            nstuck = atoi(v);
        else if (!strcmp(a, "--limit"))
            limit = v;
        else if (!strcmp(a, "--timeout"))
            timeout_s = atof(v);
        else
            usage();
    }
    if (!pid || nsubs < 1 || nmsgs < 1 || size < 0 || window < 1)
        usage();
}

int main(int argc, char **argv)
{
    parse_args(argc, argv);
    char line[256];

    /* Publisher connection; optional output limit. */
    int pub = connect_to(0);
    if (limit) {
        char cmd[512];
        size_t n = (size_t)sprintf(cmd, "*4\r\n$6\r\nCONFIG\r\n$3\r\nSET\r\n");
        n += bulk(cmd + n, "client-output-buffer-limit", 26);
        n += bulk(cmd + n, limit, strlen(limit));
        simple_cmd(pub, cmd, n, line, sizeof(line));
        if (line[0] != '+') {
            fprintf(stderr, "CONFIG SET failed: %s", line);
            exit(1);
        }
    }

    /* Subscribers: counted ones first, then the stuck ones. */
    int total = nsubs + nstuck;
    int *fds = calloc((size_t)total, sizeof(int));
    long long *bytes = calloc((size_t)total, sizeof(long long));
    for (int i = 0; i < total; i++) {
        fds[i] = connect_to(i < nsubs ? 0 : 4096);
        subscribe(fds[i]);
    }

    /* The message and one PUBLISH command. */
    char *payload = malloc((size_t)size + 1);
    memset(payload, 'x', (size_t)size);
    char *pubcmd = malloc((size_t)size + 256);
    size_t clen = strlen(channel);
    size_t pl = (size_t)sprintf(pubcmd, "*3\r\n$7\r\nPUBLISH\r\n");
    pl += bulk(pubcmd + pl, channel, clen);
    pl += bulk(pubcmd + pl, payload, (size_t)size);
    char *tmp = malloc((size_t)size + 256);
    size_t msglen = (size_t)sprintf(tmp, "*3\r\n$7\r\nmessage\r\n");
    msglen += bulk(tmp + msglen, channel, clen);
    msglen += bulk(tmp + msglen, payload, (size_t)size);
    free(tmp);
    /* Expected reply per PUBLISH: ":<receivers>\r\n" -- count lines. */

    int ep = epoll_create1(0);
    struct epoll_event ev;
    for (int i = 0; i < nsubs; i++) {
        ev.events = EPOLLIN;
        ev.data.u32 = (uint32_t)i;
        epoll_ctl(ep, EPOLL_CTL_ADD, fds[i], &ev);
    }
    ev.events = EPOLLIN;
    ev.data.u32 = (uint32_t)total;
    epoll_ctl(ep, EPOLL_CTL_ADD, pub, &ev);

    size_t batch_cap = pl * (size_t)window;
    char *batch = malloc(batch_cap);
    long sent = 0, acked = 0, receivers_sum = 0;
    long long target = (long long)nmsgs * (long long)msglen;
    int done_subs = 0;
    char rbuf[1 << 16];
    int in_num = 0;
    long cur = 0;

    double cpu0 = cpu_s(), t0 = now_s();
    double deadline = t0 + timeout_s;
    double pub_done_at = 0;
    while ((done_subs < nsubs || acked < nmsgs) && now_s() < deadline) {
        /* Top up the publisher's window in one write. */
        long room = (long)window - (sent - acked);
        if (room > nmsgs - sent)
            room = nmsgs - sent;
        if (room > 0) {
            size_t n = 0;
            for (long k = 0; k < room; k++, n += pl)
                memcpy(batch + n, pubcmd, pl);
            write_all(pub, batch, n);
            sent += room;
        }
        struct epoll_event evs[256];
        int ne = epoll_wait(ep, evs, 256, 100);
        for (int e = 0; e < ne; e++) {
            uint32_t id = evs[e].data.u32;
            int fd = id == (uint32_t)total ? pub : fds[id];
            ssize_t r = read(fd, rbuf, sizeof(rbuf));
            if (r <= 0) {
                if (r < 0 && errno == EINTR)
                    continue;
                fprintf(stderr, "connection %u closed\n", id);
                exit(1);
            }
            if (id == (uint32_t)total) {
                for (ssize_t k = 0; k < r; k++) {
                    char ch = rbuf[k];
                    if (ch == ':') {
                        in_num = 1;
                        cur = 0;
                    } else if (ch >= '0' && ch <= '9' && in_num) {
                        cur = cur * 10 + (ch - '0');
                    } else if (ch == '\n') {
                        acked++;
                        receivers_sum += cur;
                        in_num = 0;
                    }
                }
                if (acked == nmsgs && !pub_done_at)
                    pub_done_at = now_s();
            } else {
                long long before = bytes[id];
                bytes[id] += r;
                if (before < target && bytes[id] >= target)
                    done_subs++;
            }
        }
    }
    double t1 = now_s(), cpu1 = cpu_s();
    if (!pub_done_at)
        pub_done_at = t1;

    long long delivered = 0;
    for (int i = 0; i < nsubs; i++)
        delivered += bytes[i] / (long long)msglen;
    double wall = t1 - t0, cpu = cpu1 - cpu0;
    printf("subs=%d stuck=%d msgs=%ld size=%d delivered=%lld complete=%s wall_s=%.3f "
           "cpu_s=%.3f deliveries_per_s=%.0f publishes_per_s=%.0f deliveries_per_cpu_s=%.0f "
           "ns_cpu_per_delivery=%.1f receivers_last=%ld\n",
           nsubs, nstuck, nmsgs, size, delivered, done_subs == nsubs ? "yes" : "no", wall, cpu,
           (double)delivered / wall, (double)acked / (pub_done_at - t0),
           cpu > 0 ? (double)delivered / cpu : 0.0, delivered ? cpu * 1e9 / (double)delivered : 0.0,
           cur);
    (void)receivers_sum;
    for (int i = 0; i < total; i++)
        close(fds[i]);
    close(pub);
    return done_subs == nsubs ? 0 : 3;
}
