/* fuzz_aof.c - libFuzzer target for the AOF loader (src/aof_load.c: the RESP
 * file parser, truncation handling, MULTI/EXEC in files, and every command
 * handler as the loader runs it on its fake client).
 *
 * The input is split at each "\n#FUZZ-INCR\n" line: the first part becomes
 * the base file, the others (up to 3) incr files, in a fresh
 * appendonlydir/ with a manifest naming them; then aof_load_at_startup()
 * loads them exactly as at start-up, into an empty dataset.  A file the
 * server refuses makes it exit(1), which exit_trap turns into a return.
 *
 * The server is initialised once (no listener) with proto-max-bulk-len 1mb
 * so that one 40-byte command cannot ask for half a gigabyte.  Commands
 * that would end, fork, write files elsewhere or reconfigure the process
 * (DEBUG, SHUTDOWN, SAVE, BGSAVE, BGREWRITEAOF, CONFIG, CLIENT, MONITOR,
 * QUIT, FAILOVER, REPLICAOF, SYNC) are replaced by a no-op before loading:
 * Redis runs whatever its AOF holds, but those would stop the fuzzer, not
 * find bugs. */
#include "aof.h"
#include "config.h"
#include "db.h"
#include "exit_trap.h"
#include "log.h"
#include "server.h"

#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

extern void config_apply_deferred_defaults(void);
extern void config_apply_file_obuf(void);

#define SEP "\n#FUZZ-INCR\n"
#define MAX_FILES 4

static char workdir[256];

static void noop(client *c)
{
    (void)c; /* the loader drops replies: nothing to do */
}

static void remove_workdir(void)
{
    char path[512];
    fuzz_real_chdir("/");
    for (int i = 0; i < MAX_FILES; i++) {
        if (i == 0)
            snprintf(path, sizeof(path), "%s/appendonlydir/appendonly.aof.1.base.aof", workdir);
        else
            snprintf(path, sizeof(path), "%s/appendonlydir/appendonly.aof.%d.incr.aof", workdir,
                     i);
        unlink(path);
    }
    snprintf(path, sizeof(path), "%s/appendonlydir/appendonly.aof.manifest", workdir);
    unlink(path);
    snprintf(path, sizeof(path), "%s/appendonlydir", workdir);
    rmdir(path);
    rmdir(workdir);
}

static void neuter(const char *name)
{
    command *cmd = lookup_command_name(name, strlen(name));
    if (!cmd)
        return;
    cmd->proc = noop;
    for (command *s = cmd->subs; s && s->name; s++)
        s->proc = noop;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    struct stat st;
    const char *tmp = stat("/dev/shm", &st) == 0 && S_ISDIR(st.st_mode) ? "/dev/shm" : "/tmp";
    snprintf(workdir, sizeof(workdir), "%s/sluice-fuzz-aof-%d", tmp, (int)getpid());
    mkdir(workdir, 0700);
    if (fuzz_real_chdir(workdir) != 0)
        abort();
    atexit(remove_workdir);
    config_set_defaults();
    config_load(NULL, "port 0\nappendonly no\nproto-max-bulk-len 1mb\n"
                      "aof-load-truncated yes\n");
    /* The loader's warnings go nowhere, unless FUZZ_VERBOSE=1. */
    log_set_file(getenv("FUZZ_VERBOSE") ? "" : "/dev/null");
    server_init();
    config_apply_deferred_defaults();
    config_apply_file_obuf();
    static const char *const dangerous[] = {"debug", "shutdown", "save", "bgsave",
                                            "bgrewriteaof", "config", "client", "monitor",
                                            "quit", "failover", "replicaof", "slaveof",
                                            "sync", "psync", NULL};
    for (int i = 0; dangerous[i]; i++)
        neuter(dangerous[i]);
    mkdir("appendonlydir", 0700);
    return 0;
}

static void write_file(const char *path, const uint8_t *p, size_t n)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd < 0)
        abort();
    while (n) {
        ssize_t w = write(fd, p, n);
        if (w <= 0)
            abort();
        p += w;
        n -= (size_t)w;
    }
    close(fd);
}

static void write_files(const uint8_t *data, size_t size)
{
    char manifest[1024], path[128];
    size_t ml = 0;
    int nfiles = 0;
    while (nfiles < MAX_FILES) {
        const uint8_t *end = nfiles + 1 < MAX_FILES
                                 ? memmem(data, size, SEP, sizeof(SEP) - 1)
                                 : NULL;
        size_t n = end ? (size_t)(end - data) : size;
        if (nfiles == 0) {
            snprintf(path, sizeof(path), "appendonlydir/appendonly.aof.1.base.aof");
            ml += (size_t)snprintf(manifest + ml, sizeof(manifest) - ml,
                                   "file appendonly.aof.1.base.aof seq 1 type b\n");
        } else {
            snprintf(path, sizeof(path), "appendonlydir/appendonly.aof.%d.incr.aof", nfiles);
            ml += (size_t)snprintf(manifest + ml, sizeof(manifest) - ml,
                                   "file appendonly.aof.%d.incr.aof seq %d type i\n", nfiles,
                                   nfiles);
        }
        write_file(path, data, n);
        nfiles++;
        if (!end)
            break;
        data = end + sizeof(SEP) - 1;
        size -= n + sizeof(SEP) - 1;
    }
    write_file("appendonlydir/appendonly.aof.manifest", (const uint8_t *)manifest, ml);
}

static void empty_dataset(void)
{
    for (int i = 0; i < srv.dbnum; i++)
        db_flush(&srv.dbs[i]);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    write_files(data, size);
    jmp_buf jb;
    fuzz_quiet_begin();
    if (setjmp(jb) == 0) {
        fuzz_exit_jmp = &jb;
        aof_load_at_startup();
    }
    fuzz_exit_jmp = NULL;
    fuzz_quiet_end();
    empty_dataset();
    return 0;
}
