/* main.c - start-up: argv and config file -> server_init -> listeners ->
 * (AOF load) -> event loop.  Usage mirrors redis-server:
 *     sluice-server [/path/to/sluice.conf] [--name value ...] */
#include "config.h"
#include "ds/alloc.h"
#include "ds/str.h"
#include "log.h"
#include "net/listen.h"
#include "server.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

extern void config_apply_deferred_defaults(void);
extern void config_apply_file_obuf(void);
void (*aof_load_hook)(void);

static void usage(void)
{
    fprintf(stderr,
            "Usage: ./sluice-server [/path/to/sluice.conf] [options] [-]\n"
            "       ./sluice-server - (read config from stdin)\n"
            "       ./sluice-server -v or --version\n"
            "       ./sluice-server -h or --help\n\n"
            "Examples:\n"
            "       ./sluice-server (run the server with default config)\n"
            "       ./sluice-server /etc/sluice/6379.conf\n"
            "       ./sluice-server --port 7777\n"
            "       ./sluice-server /etc/mysluice.conf --loglevel verbose\n");
    exit(1);
}

/* Turn "--port 7777 --save '' ..." into config-file lines. */
static str options_from_argv(int argc, char **argv, int start)
{
    str opts = str_empty_cap(256);
    for (int i = start; i < argc; i++) {
        const char *a = argv[i];
        if (a[0] == '-' && a[1] == '-') {
            if (str_len(opts))
                opts = str_cat(opts, "\n", 1);
            opts = str_cat(opts, a + 2, strlen(a + 2));
            opts = str_cat(opts, " ", 1);
        } else {
            /* A value: quoted as Redis's sdscatrepr, so empty strings,
             * spaces and newlines survive (and errors show it as Redis). */
            opts = str_cat_repr(opts, a, strlen(a));
            opts = str_cat(opts, " ", 1);
        }
    }
    return opts;
}

static void start_listeners(void)
{
    char err[512];
    if (srv.port) {
        int n = listen_tcp(srv.net, srv.bind, srv.port, srv.tcp_backlog, srv.listen_fds, 16,
                           err, sizeof(err));
        if (n < 0) {
            log_msg(LOG_WARNING, "%s", err);
            log_msg(LOG_WARNING, "Failed listening on port %d (TCP), aborting.", srv.port);
            exit(1);
        }
        srv.nlisten = n;
        for (int i = 0; i < n; i++)
            listen_start(srv.net, srv.listen_fds[i], 0);
    }
    if (srv.unixsocket[0]) {
        srv.unix_fd = listen_unix(srv.net, srv.unixsocket, srv.unixsocketperm, srv.tcp_backlog,
                                  err, sizeof(err));
        if (srv.unix_fd < 0) {
            log_msg(LOG_WARNING, "Failed opening Unix socket: %s", err);
            exit(1);
        }
        listen_start(srv.net, srv.unix_fd, 1);
    }
    if (!srv.port && !srv.unixsocket[0]) {
        log_msg(LOG_WARNING, "Configured to not listen anywhere, exiting.");
        exit(1);
    }
}

int main(int argc, char **argv)
{
    int first_opt = 1;
    const char *conf = NULL;
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (argc >= 2) {
        if (!strcmp(argv[1], "-v") || !strcmp(argv[1], "--version")) {
            printf("Sluice server v=%s (Redis-compatible %s) malloc=jemalloc bits=64\n",
                   SLUICE_OWN_VERSION, SLUICE_VERSION);
            return 0;
        }
        if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))
            usage();
        if (argv[1][0] != '-' || (argv[1][0] == '-' && argv[1][1] == '\0')) {
            conf = argv[1];
            first_opt = 2;
        }
    }
    config_set_defaults();
    str opts = options_from_argv(argc, argv, first_opt);
    config_load(conf, opts);
    str_free(opts);
    if (conf) {
        char *abs = realpath(conf, NULL);
        srv.config_file = abs ? abs : strdup(conf);
    }
    log_set_level(srv.verbosity);
    log_set_file(srv.logfile);
    if (srv.daemonize) {
        if (daemon(1, 0) != 0)
            perror("daemon");
    }
    server_init();
    config_apply_deferred_defaults();
    config_apply_file_obuf();
    server_apply_net_config();
    log_msg(LOG_NOTICE, "Sluice %s (Redis %s compatible) starting, pid=%d", SLUICE_OWN_VERSION,
            SLUICE_VERSION, (int)getpid());
    if (srv.pidfile[0]) {
        FILE *fp = fopen(srv.pidfile, "w");
        if (fp) {
            fprintf(fp, "%d\n", (int)getpid());
            fclose(fp);
        }
    }
    start_listeners();
    /* Redis's ASCII logo carries "PID: <pid>"; test harnesses wait for it. */
    log_msg(LOG_NOTICE, "Running mode=standalone, port=%d, PID: %d", srv.port, (int)getpid());
    if (aof_load_hook)
        aof_load_hook();
    log_msg(LOG_NOTICE, "Ready to accept connections on port %d", srv.port);
    el_run(srv.loop);
    return 0;
}
