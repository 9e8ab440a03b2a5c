/* listen.h - TCP and unix-socket listeners and the accept path. */
#ifndef NET_LISTEN_H
#define NET_LISTEN_H
#include "conn.h"

/* Bind every address in addrs (space separated; a leading '-' means "skip
 * if unavailable", like Redis).  Returns the number of sockets, -1 on error
 * with errbuf filled. */
int listen_tcp(net *n, const char *addrs, int port, int backlog, int *fds, int maxfds,
               char *errbuf, size_t errlen);
int listen_unix(net *n, const char *path, unsigned perm, int backlog, char *errbuf,
                size_t errlen);
void listen_start(net *n, int fd, int is_unix);
/* Create a client around an fd that is already connected. */
void listen_set_client_opts(int fd, int keepalive);

#endif
