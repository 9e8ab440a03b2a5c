/* listen.c - listeners and accepting clients.  A new client past
 * `maxclients` or, in protected mode, from a non-loopback address, gets
 * Redis's error line written straight to the socket and is closed. */
#include "listen.h"

#include "../log.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#define MAX_ACCEPTS_PER_CALL 1000

static const char denied_msg[] =
    "-DENIED Redis is running in protected mode because protected "
    "mode is enabled and no password is set for the default user. "
    "In this mode connections are only accepted from the loopback interface. "
    "If you want to connect from external computers to Redis you "
    "may adopt one of the following solutions: "
    "1) Just disable protected mode sending the command "
    "'CONFIG SET protected-mode no' from the loopback interface "
    "by connecting to Redis from the same host the server is "
    "running, however MAKE SURE Redis is not publicly accessible "
    "from internet if you do so. Use CONFIG REWRITE to make this "
    "change permanent. "
    "2) Alternatively you can just disable the protected mode by "
    "editing the Redis configuration file, and setting the protected "
    "mode option to 'no', and then restarting the server. "
    "3) If you started the server manually just for testing, restart "
    "it with the '--protected-mode no' option. "
    "4) Setup a an authentication password for the default user. "
    "NOTE: You only need to do one of the above things in order for "
    "the server to start accepting connections from the outside.\r\n";

void listen_set_client_opts(int fd, int keepalive)
{
    int one = 1;
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    if (keepalive > 0) {
        int idle = keepalive, intvl = keepalive / 3 ? keepalive / 3 : 1, cnt = 3;
        setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &one, sizeof(one));
        setsockopt(fd, IPPROTO_TCP, TCP_KEEPIDLE, &idle, sizeof(idle));
        setsockopt(fd, IPPROTO_TCP, TCP_KEEPINTVL, &intvl, sizeof(intvl));
        setsockopt(fd, IPPROTO_TCP, TCP_KEEPCNT, &cnt, sizeof(cnt));
    }
}

static void fmt_addr(const struct sockaddr_storage *ss, char *out, size_t len)
{
    char ip[INET6_ADDRSTRLEN];
    if (ss->ss_family == AF_INET) {
        const struct sockaddr_in *s = (const struct sockaddr_in *)ss;
        inet_ntop(AF_INET, &s->sin_addr, ip, sizeof(ip));
        snprintf(out, len, "%s:%d", ip, ntohs(s->sin_port));
    } else if (ss->ss_family == AF_INET6) {
        const struct sockaddr_in6 *s = (const struct sockaddr_in6 *)ss;
        inet_ntop(AF_INET6, &s->sin6_addr, ip, sizeof(ip));
        snprintf(out, len, "[%s]:%d", ip, ntohs(s->sin6_port));
    } else {
        snprintf(out, len, "/unix");
    }
}

static int is_loopback(const struct sockaddr_storage *ss)
{
    if (ss->ss_family == AF_INET) {
        const struct sockaddr_in *s = (const struct sockaddr_in *)ss;
        return (ntohl(s->sin_addr.s_addr) >> 24) == 127;
    }
    if (ss->ss_family == AF_INET6) {
        const struct sockaddr_in6 *s = (const struct sockaddr_in6 *)ss;
        if (IN6_IS_ADDR_LOOPBACK(&s->sin6_addr))
            return 1;
        if (IN6_IS_ADDR_V4MAPPED(&s->sin6_addr))
            return s->sin6_addr.s6_addr[12] == 127;
        return 0;
    }
    return 1;
}

static void reject(int fd, const char *msg, size_t len)
{
    ssize_t w = write(fd, msg, len);
    (void)w;
    close(fd);
}

static void accept_handler(el *l, int lfd, void *ud, int mask)
{
    (void)l;
    (void)mask;
    net *n = ud;
    int is_unix = 0;
    struct sockaddr_storage ss;
    socklen_t sl = sizeof(ss);
    for (int i = 0; i < MAX_ACCEPTS_PER_CALL; i++) {
        sl = sizeof(ss);
        int fd = accept4(lfd, (struct sockaddr *)&ss, &sl, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0) {
            if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
                log_msg(LOG_WARNING, "Accepting client connection: %s", strerror(errno));
            return;
        }
        is_unix = ss.ss_family == AF_UNIX;
        if (!is_unix)
            listen_set_client_opts(fd, n->tcp_keepalive);
        if (n->nclients >= n->maxclients || fd >= n->maxfds) {
            static const char err[] = "-ERR max number of clients reached\r\n";
            reject(fd, err, sizeof(err) - 1);
            n->stat_rejected++;
            continue;
        }
        if (n->protected_mode && !n->has_password && !is_loopback(&ss)) {
            reject(fd, denied_msg, sizeof(denied_msg) - 1);
            n->stat_rejected++;
            continue;
        }
        client *c = conn_create(n, fd, is_unix);
        if (!c) {
            close(fd);
            continue;
        }
        fmt_addr(&ss, c->addr, sizeof(c->addr));
        if (is_unix) {
            snprintf(c->addr, sizeof(c->addr), "/unixsocket:0");
        }
        struct sockaddr_storage ls;
        socklen_t ll = sizeof(ls);
        if (getsockname(fd, (struct sockaddr *)&ls, &ll) == 0)
            fmt_addr(&ls, c->laddr, sizeof(c->laddr));
    }
}

/* Parse a bind address without the resolver (the server links statically):
 * IPv4 / IPv6 literals, "*" / "::*" wildcards and "localhost". */
static int parse_bind_addr(const char *addr, int port, struct sockaddr_storage *ss,
                           socklen_t *len)
{
    memset(ss, 0, sizeof(*ss));
    if (strcmp(addr, "localhost") == 0)
        addr = "127.0.0.1";
    if (strcmp(addr, "*") == 0 || strcmp(addr, "0.0.0.0") == 0) {
        struct sockaddr_in *s4 = (struct sockaddr_in *)ss;
        s4->sin_family = AF_INET;
        s4->sin_addr.s_addr = htonl(INADDR_ANY);
        s4->sin_port = htons((uint16_t)port);
        *len = sizeof(*s4);
        return 0;
    }
    if (strcmp(addr, "::*") == 0)
        addr = "::";
    struct sockaddr_in *s4 = (struct sockaddr_in *)ss;
    if (inet_pton(AF_INET, addr, &s4->sin_addr) == 1) {
        s4->sin_family = AF_INET;
        s4->sin_port = htons((uint16_t)port);
        *len = sizeof(*s4);
        return 0;
    }
    struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;
    if (inet_pton(AF_INET6, addr, &s6->sin6_addr) == 1) {
        s6->sin6_family = AF_INET6;
        s6->sin6_port = htons((uint16_t)port);
        *len = sizeof(*s6);
        return 0;
    }
    return -1;
}

static int bind_one(const char *addr, int port, int backlog, char *errbuf, size_t errlen)
{
    struct sockaddr_storage ss;
    socklen_t sl;
    int one = 1;
    if (parse_bind_addr(addr, port, &ss, &sl) < 0) {
        snprintf(errbuf, errlen, "Name or service not known");
        return -1;
    }
    int fd = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        snprintf(errbuf, errlen, "%s", strerror(errno));
        return -1;
    }
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    if (ss.ss_family == AF_INET6)
        setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
    if (bind(fd, (struct sockaddr *)&ss, sl) < 0 || listen(fd, backlog) < 0) {
        snprintf(errbuf, errlen, "%s", strerror(errno));
        close(fd);
        return -1;
    }
    return fd;
}

int listen_tcp(net *n, const char *addrs, int port, int backlog, int *fds, int maxfds,
               char *errbuf, size_t errlen)
{
    char buf[1024], *save = NULL;
    int count = 0;
    (void)n;
    snprintf(buf, sizeof(buf), "%s", addrs);
    for (char *tok = strtok_r(buf, " ", &save); tok && count < maxfds;
         tok = strtok_r(NULL, " ", &save)) {
        int optional = tok[0] == '-';
        const char *a = optional ? tok + 1 : tok;
        errbuf[0] = '\0';
        int fd = bind_one(a, port, backlog, errbuf, errlen);
        if (fd < 0) {
            if (optional)
                continue;
            char tmp[256];
            snprintf(tmp, sizeof(tmp), "Could not create server TCP listening socket %s:%d: %s",
                     a, port, errbuf);
            snprintf(errbuf, errlen, "%s", tmp);
            return -1;
        }
        fds[count++] = fd;
    }
    if (count == 0) {
        snprintf(errbuf, errlen, "Could not bind any address");
        return -1;
    }
    return count;
}

int listen_unix(net *n, const char *path, unsigned perm, int backlog, char *errbuf,
                size_t errlen)
{
    (void)n;
    struct sockaddr_un sa;
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        snprintf(errbuf, errlen, "%s", strerror(errno));
        return -1;
    }
    memset(&sa, 0, sizeof(sa));
    sa.sun_family = AF_UNIX;
    snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
    unlink(path);
    if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(fd, backlog) < 0) {
        snprintf(errbuf, errlen, "%s", strerror(errno));
        close(fd);
        return -1;
    }
    if (perm)
        chmod(path, (mode_t)perm);
    return fd;
}

void listen_start(net *n, int fd, int is_unix)
{
    (void)is_unix;
    el_add(n->loop, fd, EL_READ, accept_handler, n);
}
