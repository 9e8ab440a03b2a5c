/* aof.c - the append-only file (see aof.h for the file layout): the module's
 * state, the background fsync thread, feeding, writing and fsyncing,
 * opening incr files, switching on and off at run time, cron, shutdown,
 * INFO and MISCONF, DEBUG RELOAD / LOADAOF, the commands and init.  The
 * manifest is in aof_manifest.c, new bases in aof_rewrite.c, loading in
 * aof_load.c; what they share is in aof_int.h.
 *
 * State machine (A.state):
 *
 *   OFF --CONFIG SET appendonly yes--> WAIT_REWRITE --base written--> ON
 *    ^                                      |                           |
 *    +------------- appendonly no ----------+---------------------------+
 *
 *   OFF           nothing is logged; A.fd == -1.
 *   WAIT_REWRITE  a child writes the first base; meanwhile writes go to
 *                 the temp incr file "temp-<appendfilename>.incr", renamed
 *                 to a real incr file when the base is done.
 *   ON            A.fd is the last incr file of the manifest.
 *
 * Invariants:
 *   - A.fd >= 0 exactly when writes are being logged; the feed buffers only
 *     then.  Everything fed in one loop turn reaches the file in
 *     aof_before_sleep(), before any reply of that turn is written.
 *   - Under `appendfsync always` the buffer is dropped only once the bytes
 *     are written *and* fdatasync'ed; on failure the file is truncated back
 *     to the last synced size, the clients that wrote in that turn are
 *     disconnected unanswered, and writes fail with -MISCONF until a retry
 *     succeeds.
 *   - At most one child process (rewrite or bgsave: the same work) exists;
 *     the manifest on disk always names files that exist and hold the whole
 *     dataset, whatever moment the server is killed at.
 *   - A.man mirrors the manifest on disk; changes are made on a copy that
 *     replaces A.man only once it is persisted.
 *
 * The fsync thread (bio_*) runs fdatasync/close/unlink jobs in FIFO order
 * for everysec, for closing rotated incr files and for deleting history
 * files, so the event loop never waits on the disk for them. */
#include "aof.h"

#include "aof_int.h"
#include "ds/alloc.h"
#include "ds/util.h"
#include "log.h"
#include "script.h"
#include "server.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

enum { FSYNC_ALWAYS = 0, FSYNC_EVERYSEC = 1, FSYNC_NO = 2 };

#define WRITE_ERROR_LOG_SECS 30
#define REWRITE_LIMIT_THRESHOLD 3
#define REWRITE_LIMIT_MAX_MINUTES 60

struct aof_config aof_cfg;

/* ---- the module's state ---- */

struct aof_state aof_state = {.fd = -1, .selected_db = -1, .write_ok = 1,
                              .last_rewrite_ok = 1, .last_bgsave_ok = 1,
                              .rewrite_time_last = -1, .bgsave_time_last = -1};

long long aof_now_s(void)
{
    return el_wall_ms() / 1000;
}

void aof_path(char *out, size_t cap, const char *name)
{
    snprintf(out, cap, "%s/%s", srv.appenddirname, name);
}

/* write(2) all of it, retrying on EINTR and short writes.  Returns the
 * bytes written, which is less than len only after an error (errno set);
 * -1 if nothing at all could be written. */
ssize_t aof_write_all(int fd, const char *p, size_t len)
{
    size_t done = 0;
    while (done < len) {
        ssize_t n = write(fd, p + done, len - done);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return done ? (ssize_t)done : -1;
        }
        if (n == 0) {
            errno = ENOSPC;
            return done ? (ssize_t)done : -1;
        }
        done += (size_t)n;
    }
    return (ssize_t)done;
}

int aof_make_dir(const char *dir)
{
    if (mkdir(dir, 0755) == 0 || errno == EEXIST)
        return 0;
    return -1;
}

long long aof_file_size(const char *path, int *exists)
{
    struct stat st;
    if (stat(path, &st) < 0) {
        if (exists)
            *exists = 0;
        return 0;
    }
    if (exists)
        *exists = 1;
    return (long long)st.st_size;
}

/* ---- background fsync / close / unlink thread ---- */

typedef struct bio_job {
    struct bio_job *next;
    int kind;
    int fd;
    char path[512];
} bio_job;

static struct {
    pthread_t th;
    pthread_mutex_t mu;
    pthread_cond_t cv, idle_cv;
    bio_job *head, *tail;
    int running;        /* a job is being executed */
    atomic_int fsyncs;  /* fsync jobs queued or running */
    atomic_int failed;  /* last background fsync failed */
    atomic_int err;
} bio = {.mu = PTHREAD_MUTEX_INITIALIZER, .cv = PTHREAD_COND_INITIALIZER,
         .idle_cv = PTHREAD_COND_INITIALIZER};

static void bio_run(bio_job *j)
{
    if (j->kind == JOB_UNLINK) {
        unlink(j->path);
        return;
    }
    if (fdatasync(j->fd) == -1 && errno != EBADF && errno != EINVAL) {
        atomic_store(&bio.err, errno);
        atomic_store(&bio.failed, 1);
    } else {
        atomic_store(&bio.failed, 0);
    }
    if (j->kind == JOB_FSYNC_CLOSE)
        close(j->fd);
}

static void *bio_main(void *arg)
{
    (void)arg;
    sigset_t set;
    sigfillset(&set);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    pthread_mutex_lock(&bio.mu);
    for (;;) {
        while (!bio.head)
            pthread_cond_wait(&bio.cv, &bio.mu);
        bio_job *j = bio.head;
        bio.head = j->next;
        if (!bio.head)
            bio.tail = NULL;
        bio.running = 1;
        pthread_mutex_unlock(&bio.mu);
        bio_run(j);
        if (j->kind != JOB_UNLINK)
            atomic_fetch_sub(&bio.fsyncs, 1);
        free(j);
        pthread_mutex_lock(&bio.mu);
        bio.running = 0;
        if (!bio.head)
            pthread_cond_broadcast(&bio.idle_cv);
    }
    return NULL;
}

void aof_bio_submit(int kind, int fd, const char *path)
{
    bio_job *j = calloc(1, sizeof(*j));
    if (!j) {
        /* Out of memory: do it here. */
        bio_job tmp = {.kind = kind, .fd = fd};
        if (path)
            snprintf(tmp.path, sizeof(tmp.path), "%s", path);
        bio_run(&tmp);
        return;
    }
    j->kind = kind;
    j->fd = fd;
    if (path)
        snprintf(j->path, sizeof(j->path), "%s", path);
    if (kind != JOB_UNLINK)
        atomic_fetch_add(&bio.fsyncs, 1);
    pthread_mutex_lock(&bio.mu);
    if (bio.tail)
        bio.tail->next = j;
    else
        bio.head = j;
    bio.tail = j;
    pthread_cond_signal(&bio.cv);
    pthread_mutex_unlock(&bio.mu);
}

/* Wait until every queued job is done (before closing A.fd ourselves). */
static void bio_drain(void)
{
    pthread_mutex_lock(&bio.mu);
    while (bio.head || bio.running)
        pthread_cond_wait(&bio.idle_cv, &bio.mu);
    pthread_mutex_unlock(&bio.mu);
}

static int bio_fsync_in_progress(void)
{
    return atomic_load(&bio.fsyncs) != 0;
}

/* ---- feeding ---- */

static void buf_reserve(size_t extra)
{
    if (A.cap - A.len >= extra)
        return;
    size_t cap = A.cap ? A.cap * 2 : 16 * 1024;
    while (cap - A.len < extra)
        cap *= 2;
    A.buf = ds_realloc(A.buf, cap);
    A.cap = cap;
}

/* "<c><n>\r\n" at p; returns bytes. */
size_t aof_put_head(char *p, char c, long long n)
{
    p[0] = c;
    size_t k = 1 + (size_t)ll_to_str(p + 1, 24, n);
    p[k++] = '\r';
    p[k++] = '\n';
    return k;
}

static void buf_command(const arg *argv, int argc)
{
    size_t need = 32;
    for (int i = 0; i < argc; i++)
        need += argv[i].len + 32;
    buf_reserve(need);
    char *p = A.buf + A.len;
    p += aof_put_head(p, '*', argc);
    for (int i = 0; i < argc; i++) {
        p += aof_put_head(p, '$', (long long)argv[i].len);
        memcpy(p, argv[i].p, argv[i].len);
        p += argv[i].len;
        *p++ = '\r';
        *p++ = '\n';
    }
    A.len = (size_t)(p - A.buf);
}

static int arg_is(const arg *a, const char *s, size_t n)
{
    return a->len == n && strncasecmp(a->p, s, n) == 0;
}

static void note_turn_writer(void)
{
    client *c = srv.current_client;
    if (!c || c->fd < 0)
        return;
    if (A.nwriters && A.writers[A.nwriters - 1].id == c->id)
        return;
    if (A.nwriters == A.capwriters) {
        A.capwriters = A.capwriters ? A.capwriters * 2 : 64;
        A.writers = ds_realloc(A.writers, sizeof(turn_writer) * A.capwriters);
    }
    A.writers[A.nwriters++] = (turn_writer){c->fd, c->id};
}

static int aof_active(void)
{
    return A.fd >= 0 || srv.loading;
}

static void aof_feed(int dbid, arg *argv, int argc)
{
    if (A.fd < 0 || argc < 1)
        return;
    if (argc == 1) {
        /* A MULTI/EXEC block: keep a single EXEC per MULTI. */
        if (arg_is(&argv[0], "multi", 5)) {
            A.in_multi = 1;
        } else if (arg_is(&argv[0], "exec", 4)) {
            if (!A.in_multi)
                return;
            A.in_multi = 0;
        }
    }
    if (aof_cfg.timestamp_enabled) {
        long long ts = aof_now_s();
        if (ts > A.cur_ts) {
            char line[48];
            int n = snprintf(line, sizeof(line), "#TS:%lld\r\n", ts);
            buf_reserve((size_t)n);
            memcpy(A.buf + A.len, line, (size_t)n);
            A.len += (size_t)n;
            A.cur_ts = ts;
        }
    }
    if (dbid != A.selected_db) {
        char num[24];
        int n = ll_to_str(num, sizeof(num), dbid);
        arg sel[2] = {{"SELECT", 6}, {num, (size_t)n}};
        buf_command(sel, 2);
        A.selected_db = dbid;
    }
    buf_command(argv, argc);
    if (srv.aof_fsync == FSYNC_ALWAYS)
        note_turn_writer();
}

/* ---- writing and fsyncing ---- */

static int fsync_policy(void)
{
    return srv.aof_fsync;
}

static void buf_consumed(void)
{
    if (A.cap > 4 * 1024 * 1024) {
        ds_free(A.buf);
        A.buf = NULL;
        A.cap = 0;
    }
    A.len = 0;
}

/* appendfsync always: the replies of this turn's writers must not leave. */
static void drop_turn_writers(void)
{
    for (size_t i = 0; i < A.nwriters; i++) {
        int fd = A.writers[i].fd;
        if (fd < 0 || fd >= srv.net->maxfds)
            continue;
        client *c = srv.net->clients[fd];
        if (c && c->id == A.writers[i].id) {
            log_msg(LOG_WARNING, "Closing client id=%llu: its write could not be persisted",
                    (unsigned long long)c->id);
            conn_close_async(c);
        }
    }
    A.nwriters = 0;
}

static int can_log_write_error(void)
{
    long long t = aof_now_s();
    if (t - A.last_write_error_log_s > WRITE_ERROR_LOG_SECS) {
        A.last_write_error_log_s = t;
        return 1;
    }
    return 0;
}

/* A failed or short write: take back what was written if we can. */
static void write_failed(ssize_t n)
{
    int e = errno;
    int log_it = can_log_write_error();
    if (n == -1) {
        if (log_it)
            log_msg(LOG_WARNING, "Error writing to the AOF file: %s", strerror(e));
        A.write_errno = e;
    } else {
        if (log_it)
            log_msg(LOG_WARNING, "Short write while writing to the AOF file: (nwritten=%lld, "
                    "expected=%lld)", (long long)n, (long long)A.len);
        if (ftruncate(A.fd, A.incr_size) == -1) {
            if (log_it)
                log_msg(LOG_WARNING, "Could not remove short write from the append-only file. "
                        "Sluice may refuse to load the AOF the next time it starts. "
                        "ftruncate: %s", strerror(errno));
            /* The bytes stay: never write them twice. */
            A.current_size += n;
            A.incr_size += n;
            memmove(A.buf, A.buf + n, A.len - (size_t)n);
            A.len -= (size_t)n;
        }
        A.write_errno = e ? e : ENOSPC;
    }
    A.write_ok = 0;
}

static void write_recovered(void)
{
    if (!A.write_ok) {
        log_msg(LOG_WARNING, "AOF write error looks solved, Sluice can write again.");
        A.write_ok = 1;
    }
}

/* appendfsync always: write + fdatasync, buffer kept until both worked. */
static void flush_always(void)
{
    if (A.len) {
        ssize_t n = aof_write_all(A.fd, A.buf, A.len);
        if (n != (ssize_t)A.len) {
            write_failed(n);
            drop_turn_writers();
            return;
        }
        A.current_size += n;
        A.incr_size += n;
    }
    if (A.fsynced_size == A.incr_size) {
        buf_consumed();
        A.nwriters = 0;
        return;
    }
    if (aof_cfg.no_fsync_on_rewrite && A.child_pid > 0) {
        buf_consumed();
        A.nwriters = 0;
        return;
    }
    if (fdatasync(A.fd) == -1) {
        int e = errno;
        if (can_log_write_error())
            log_msg(LOG_WARNING, "Can't persist AOF for fsync error when the AOF fsync policy "
                    "is 'always': %s. Writes are refused until it works again.", strerror(e));
        /* Take the unsynced bytes back out; they are rewritten next turn. */
        long long written = (long long)A.len;
        if (written && ftruncate(A.fd, A.incr_size - written) == 0) {
            A.current_size -= written;
            A.incr_size -= written;
        } else {
            buf_consumed();
        }
        A.write_errno = e;
        A.write_ok = 0;
        drop_turn_writers();
        return;
    }
    A.fsynced_size = A.incr_size;
    A.last_fsync_s = aof_now_s();
    buf_consumed();
    A.nwriters = 0;
    write_recovered();
}

/* everysec / no.  force: write even if a background fsync is running. */
static void flush_lazy(int force)
{
    int sync_running = 0;
    int policy = fsync_policy();
    if (A.len == 0) {
        if (policy == FSYNC_EVERYSEC && A.fsynced_size != A.incr_size &&
            aof_now_s() > A.last_fsync_s && !(sync_running = bio_fsync_in_progress()))
            goto try_fsync;
        return;
    }
    if (policy == FSYNC_EVERYSEC)
        sync_running = bio_fsync_in_progress();
    if (policy == FSYNC_EVERYSEC && !force && sync_running) {
        /* write(2) would block behind the fsync: wait up to 2 s. */
        if (A.postponed_start_s == 0) {
            A.postponed_start_s = aof_now_s();
            return;
        } else if (aof_now_s() - A.postponed_start_s < 2) {
            return;
        }
        A.delayed_fsync++;
        log_msg(LOG_NOTICE, "Asynchronous AOF fsync is taking too long (disk is busy?). "
                "Writing the AOF buffer without waiting for fsync to complete, this may slow "
                "down Sluice.");
    }
    A.postponed_start_s = 0;
    ssize_t n = aof_write_all(A.fd, A.buf, A.len);
    if (n != (ssize_t)A.len) {
        write_failed(n);
        return;
    }
    write_recovered();
    A.current_size += n;
    A.incr_size += n;
    buf_consumed();
try_fsync:
    if (aof_cfg.no_fsync_on_rewrite && A.child_pid > 0)
        return;
    if (policy == FSYNC_EVERYSEC && aof_now_s() > A.last_fsync_s) {
        if (!sync_running) {
            aof_bio_submit(JOB_FSYNC, A.fd, NULL);
            A.fsynced_size = A.incr_size;
        }
        A.last_fsync_s = aof_now_s();
    }
}

void aof_flush(int force)
{
    if (A.fd < 0) {
        A.len = 0;
        A.nwriters = 0;
        return;
    }
    if (fsync_policy() == FSYNC_ALWAYS)
        flush_always();
    else
        flush_lazy(force);
}

static void aof_before_sleep(void)
{
    aof_flush(0);
}

/* fdatasync the open file now (shutdown, stop, rotation under always). */
static void fsync_now(void)
{
    if (A.fd < 0)
        return;
    bio_drain();
    if (fdatasync(A.fd) == -1)
        log_msg(LOG_WARNING, "Fail to fsync the AOF file: %s", strerror(errno));
    else
        A.last_fsync_s = aof_now_s();
    A.fsynced_size = A.incr_size;
}

/* ---- opening files ---- */

/* Open a new incr file (or the temp one while waiting for the first base)
 * and make it the target of writes; the old file is fsynced and closed in
 * the background.  All or nothing. */
int aof_open_new_incr(void)
{
    char name[512], path[1024];
    manifest *tmp = NULL;
    if (A.state == AOF_OFF)
        return 0;
    if (A.state == AOF_WAIT_REWRITE) {
        aof_temp_incr_name(name, sizeof(name));
    } else {
        tmp = aof_manifest_dup(A.man);
        snprintf(name, sizeof(name), "%s", aof_manifest_new_incr(tmp));
    }
    aof_path(path, sizeof(path), name);
    int fd = open(path, O_WRONLY | O_TRUNC | O_CREAT | O_APPEND, 0644);
    if (fd < 0) {
        log_msg(LOG_WARNING, "Can't open the append-only file %s: %s", name, strerror(errno));
        aof_manifest_free(tmp);
        return -1;
    }
    if (tmp && aof_manifest_persist(tmp) < 0) {
        close(fd);
        unlink(path);
        aof_manifest_free(tmp);
        return -1;
    }
    log_msg(LOG_NOTICE, "Creating AOF incr file %s on background rewrite", name);
    if (A.fd >= 0) {
        if (fsync_policy() == FSYNC_ALWAYS)
            fsync_now();
        aof_bio_submit(JOB_FSYNC_CLOSE, A.fd, NULL);
        A.last_fsync_s = aof_now_s();
    }
    A.fd = fd;
    A.incr_size = A.fsynced_size = 0;
    A.selected_db = -1;
    A.in_multi = 0;
    if (tmp)
        aof_manifest_replace(tmp);
    return 0;
}

/* ---- switching on and off at run time ---- */

static void clear_error_on_reopen(void)
{
    if (atomic_load(&bio.failed)) {
        log_msg(LOG_WARNING, "AOF reopen, just ignore the AOF fsync error in bio job");
        atomic_store(&bio.failed, 0);
    }
    if (!A.write_ok) {
        log_msg(LOG_WARNING, "AOF reopen, just ignore the last error.");
        A.write_ok = 1;
    }
}

static int start_aof(void)
{
    A.state = AOF_WAIT_REWRITE;
    if (A.child_pid && A.child_type != CHILD_REWRITE) {
        A.rewrite_scheduled = 1;
        log_msg(LOG_WARNING, "AOF was enabled but there is already another background "
                "operation. An AOF background was scheduled to start when possible.");
    } else if (srv.in_exec) {
        A.rewrite_scheduled = 1;
        log_msg(LOG_WARNING, "AOF was enabled during a transaction. An AOF background was "
                "scheduled to start when possible.");
    } else {
        if (A.child_pid) {
            log_msg(LOG_WARNING, "AOF was enabled but there is already an AOF rewriting in "
                    "background. Stopping background AOF and starting a rewrite now.");
            aof_kill_child();
        }
        if (aof_start_child(CHILD_REWRITE) < 0) {
            A.state = AOF_OFF;
            log_msg(LOG_WARNING, "Sluice needs to enable the AOF but can't trigger a background "
                    "AOF rewrite operation. Check the above logs for more info about the error.");
            return -1;
        }
    }
    A.last_fsync_s = aof_now_s();
    clear_error_on_reopen();
    return 0;
}

static void stop_aof(void)
{
    int was_waiting = A.state == AOF_WAIT_REWRITE;
    aof_flush(1);
    if (A.fd >= 0) {
        fsync_now();
        close(A.fd);
    }
    A.fd = -1;
    A.selected_db = -1;
    A.in_multi = 0;
    A.state = AOF_OFF;
    A.rewrite_scheduled = 0;
    A.incr_size = A.fsynced_size = 0;
    A.len = 0;
    A.nwriters = 0;
    if (A.child_type == CHILD_REWRITE)
        aof_kill_child();
    if (was_waiting)
        aof_delete_temp_incr();
}

void aof_config_apply(void)
{
    if (A.inited < 2)
        return;
    if (srv.aof_enabled && A.state == AOF_OFF) {
        if (start_aof() < 0)
            srv.aof_enabled = 0;
    } else if (!srv.aof_enabled && A.state != AOF_OFF) {
        stop_aof();
    }
}

void aof_gc_apply(void)
{
    if (A.inited >= 2)
        aof_delete_history_files();
}

/* ---- cron ---- */

/* After 3 failures in a row, automatic rewrites back off 1, 2, 4 ... 60
 * minutes (BGREWRITEAOF still runs at once). */
static int rewrite_limited(void)
{
    if (A.rewrite_failures_in_row < REWRITE_LIMIT_THRESHOLD) {
        A.limit_delay_min = 0;
        A.limit_next_s = 0;
        return 0;
    }
    if (A.limit_next_s) {
        if (aof_now_s() < A.limit_next_s)
            return 1;
        A.limit_next_s = 0;
        return 0;
    }
    A.limit_delay_min = A.limit_delay_min ? A.limit_delay_min * 2 : 1;
    if (A.limit_delay_min > REWRITE_LIMIT_MAX_MINUTES)
        A.limit_delay_min = REWRITE_LIMIT_MAX_MINUTES;
    A.limit_next_s = aof_now_s() + A.limit_delay_min * 60LL;
    log_msg(LOG_WARNING, "Background AOF rewrite has repeatedly failed and triggered the limit, "
            "will retry in %d minutes", A.limit_delay_min);
    return 1;
}

static void maybe_auto_rewrite(void)
{
    if (A.state != AOF_ON || A.child_pid || !aof_cfg.rewrite_perc ||
        A.current_size <= aof_cfg.rewrite_min_size)
        return;
    long long base = A.base_size ? A.base_size : 1;
    long long growth = A.current_size * 100 / base - 100;
    if (growth < aof_cfg.rewrite_perc || rewrite_limited())
        return;
    log_msg(LOG_NOTICE, "Starting automatic rewriting of AOF on %lld%% growth", growth);
    aof_start_child(CHILD_REWRITE);
}

static long long aof_cron(el *l, el_timer *t, void *ud)
{
    (void)l;
    (void)t;
    (void)ud;
    aof_reap_child();
    if (srv.loading)
        return 100;
    if (!A.child_pid && !srv.in_exec) {
        if (A.rewrite_scheduled && !rewrite_limited())
            aof_start_child(CHILD_REWRITE);
        else if (A.bgsave_scheduled)
            aof_start_child(CHILD_BGSAVE);
    }
    maybe_auto_rewrite();
    int hz = srv.hz > 0 ? srv.hz : 10;
    return 1000 / hz > 0 ? 1000 / hz : 1;
}

/* ---- shutdown ---- */

static void aof_shutdown(void)
{
    if (A.child_pid) {
        log_msg(LOG_WARNING, "There is a child rewriting the AOF. Killing it!");
        aof_kill_child();
    }
    if (A.state == AOF_WAIT_REWRITE) {
        log_msg(LOG_WARNING, "Writing initial AOF before exiting.");
        aof_rewrite_sync();
    }
    if (A.state == AOF_ON && A.fd >= 0) {
        aof_flush(1);
        log_msg(LOG_NOTICE, "Calling fsync() on the AOF file.");
        fsync_now();
    }
    bio_drain();
}

/* ---- INFO, MISCONF ---- */

const char *aof_write_error(void)
{
    static char msg[256];
    int e;
    if (A.state == AOF_OFF)
        return NULL;
    if (!A.write_ok)
        e = A.write_errno;
    else if (atomic_load(&bio.failed))
        e = atomic_load(&bio.err);
    else
        return NULL;
    snprintf(msg, sizeof(msg), "-MISCONF Errors writing to the AOF file: %s", strerror(e));
    return msg;
}

long long aof_total_forks(void)
{
    return A.total_forks;
}

long long aof_latest_fork_usec(void)
{
    return A.latest_fork_usec;
}

int aof_child_active(void)
{
    return A.child_pid != 0;
}

static str catf(str s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static str catf(str s, const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    if (n < 0)
        return s;
    return str_cat(s, buf, (size_t)n < sizeof(buf) ? (size_t)n : sizeof(buf) - 1);
}

/* The rdb_* lines: SAVE and BGSAVE write a base, so they report here. */
static str info_rdb(str s)
{
    long long t = aof_now_s();
    return catf(s, "rdb_changes_since_last_save:%lld\r\nrdb_bgsave_in_progress:%d\r\n"
                "rdb_last_save_time:%lld\r\nrdb_last_bgsave_status:%s\r\n"
                "rdb_last_bgsave_time_sec:%lld\r\nrdb_current_bgsave_time_sec:%lld\r\n"
                "rdb_saves:%lld\r\nrdb_last_cow_size:0\r\nrdb_last_load_keys_expired:0\r\n"
                "rdb_last_load_keys_loaded:%lld\r\n",
                srv.dirty - srv.dirty_before_bgsave, A.child_type == CHILD_BGSAVE, srv.lastsave,
                A.last_bgsave_ok ? "ok" : "err", A.bgsave_time_last,
                A.child_type == CHILD_BGSAVE ? t - A.child_start_s : -1LL, A.rdb_saves,
                A.loaded_keys);
}

static str info_aof(str s)
{
    long long t = aof_now_s();
    int write_ok = A.write_ok && !atomic_load(&bio.failed);
    return catf(s, "aof_enabled:%d\r\naof_rewrite_in_progress:%d\r\n"
                "aof_rewrite_scheduled:%d\r\naof_last_rewrite_time_sec:%lld\r\n"
                "aof_current_rewrite_time_sec:%lld\r\naof_last_bgrewrite_status:%s\r\n"
                "aof_rewrites:%lld\r\naof_rewrites_consecutive_failures:%lld\r\n"
                "aof_last_write_status:%s\r\naof_last_cow_size:0\r\n",
                A.state != AOF_OFF, A.child_type == CHILD_REWRITE, A.rewrite_scheduled,
                A.rewrite_time_last, A.child_type == CHILD_REWRITE ? t - A.child_start_s : -1LL,
                A.last_rewrite_ok ? "ok" : "err", A.rewrites, A.rewrite_failures_in_row,
                write_ok ? "ok" : "err");
}

static str info_loading(str s)
{
    long long elapsed = aof_now_s() - A.loading_start_s;
    long long left = A.loading_total_bytes - A.loading_loaded_bytes;
    double perc = A.loading_total_bytes
                      ? (double)A.loading_loaded_bytes * 100 / (double)A.loading_total_bytes
                      : 0;
    long long eta = elapsed ? elapsed * left / (A.loading_loaded_bytes + 1) : 1;
    return catf(s, "loading_start_time:%lld\r\nloading_total_bytes:%lld\r\n"
                "loading_rdb_used_mem:0\r\nloading_loaded_bytes:%lld\r\n"
                "loading_loaded_perc:%.2f\r\nloading_eta_seconds:%lld\r\n",
                A.loading_start_s, A.loading_total_bytes, A.loading_loaded_bytes, perc, eta);
}

static str info_aof_sizes(str s)
{
    if (srv.loading)
        s = info_loading(s);
    if (!srv.aof_enabled)
        return s;
    return catf(s, "aof_current_size:%lld\r\naof_base_size:%lld\r\naof_pending_rewrite:%d\r\n"
                "aof_buffer_length:%zu\r\naof_pending_bio_fsync:%d\r\n"
                "aof_delayed_fsync:%lld\r\n",
                A.current_size, A.base_size, A.rewrite_scheduled, A.len,
                atomic_load(&bio.fsyncs), A.delayed_fsync);
}

/* INFO (cmd/info.c): part 0 the aof_enabled .. aof_last_cow_size lines,
 * 1 the aof_current_size .. aof_delayed_fsync lines (only with appendonly
 * yes), 2 the rdb_changes_since_last_save .. rdb_last_load_keys_loaded
 * lines, 3 the "latest_fork_usec" and "total_forks" lines of Stats. */
str aof_info_append(str s, int part)
{
    switch (part) {
    case 0:
        return info_aof(s);
    case 1:
        return info_aof_sizes(s);
    case 2:
        return info_rdb(s);
    case 3:
        return catf(s, "latest_fork_usec:%lld\r\ntotal_forks:%lld\r\n", A.latest_fork_usec,
                    A.total_forks);
    default:
        return s;
    }
}

/* ---- DEBUG RELOAD / LOADAOF ---- */

/* Like Redis's emptyData(): every db and the functions (the AOF has them). */
static void empty_data(void)
{
    for (int i = 0; i < srv.dbnum; i++)
        db_flush(&srv.dbs[i]);
    signal_flushed_db(-1);
    function_flush();
}

static int reload_loaded_ok(int r)
{
    return r == LOAD_OK || r == LOAD_EMPTY || r == LOAD_NOT_EXIST || r == LOAD_TRUNCATED;
}

int aof_debug_reload(client *c, int flush, int save)
{
    if (save && aof_rewrite_sync() < 0) {
        reply_error(c, "-ERR");
        return -1;
    }
    if (flush)
        empty_data();
    int r = aof_load_all(A.man);
    if (!reload_loaded_ok(r))
        exit(1);
    log_msg(LOG_WARNING, "DB reloaded by DEBUG RELOAD");
    srv.dirty_before_bgsave = srv.dirty; /* loading changes nothing to save */
    propagate_suppress();
    return 0;
}

int aof_debug_loadaof(client *c)
{
    (void)c;
    if (A.state != AOF_OFF)
        aof_flush(1);
    empty_data();
    aof_manifest_load_from_disk();
    aof_delete_history_files();
    int r = aof_load_all(A.man);
    if (!reload_loaded_ok(r))
        exit(1);
    log_msg(LOG_WARNING, "Append Only File loaded by DEBUG LOADAOF");
    srv.dirty_before_bgsave = srv.dirty;
    propagate_suppress();
    return 0;
}

/* ---- commands ---- */

static void cmd_bgrewriteaof(client *c)
{
    if (A.child_type == CHILD_REWRITE) {
        reply_error(c, "Background append only file rewriting already in progress");
    } else if (A.child_pid || srv.in_exec) {
        A.rewrite_scheduled = 1;
        A.rewrite_failures_in_row = 0;
        reply_status(c, "Background append only file rewriting scheduled");
    } else if (aof_start_child(CHILD_REWRITE) == 0) {
        reply_status(c, "Background append only file rewriting started");
    } else {
        reply_error(c, "Can't execute an AOF background rewriting. Please check the server "
                    "logs for more information.");
    }
}

static void cmd_save(client *c)
{
    if (A.child_type == CHILD_BGSAVE) {
        reply_error(c, "Background save already in progress");
        return;
    }
    A.rdb_saves++;
    long long dirty = srv.dirty;
    if (aof_rewrite_sync() < 0) {
        A.last_bgsave_ok = 0;
        reply_error(c, "-ERR");
        return;
    }
    srv.lastsave = aof_now_s();
    srv.dirty_before_bgsave = dirty;
    A.last_bgsave_ok = 1;
    reply_ok(c);
}

static void cmd_bgsave(client *c)
{
    int schedule = 0;
    if (c->argc > 1) {
        if (c->argc == 2 && arg_eq(&c->argv[1], "schedule")) {
            schedule = 1;
        } else {
            reply_error(c, ERR_SYNTAX);
            return;
        }
    }
    if (A.child_type == CHILD_BGSAVE) {
        reply_error(c, "Background save already in progress");
    } else if (A.child_pid || srv.in_exec) {
        if (schedule || srv.in_exec) {
            A.bgsave_scheduled = 1;
            reply_status(c, "Background saving scheduled");
        } else {
            reply_error(c, "Another child process is active (AOF?): can't BGSAVE right now. "
                        "Use BGSAVE SCHEDULE in order to schedule a BGSAVE whenever possible.");
        }
    } else if (aof_start_child(CHILD_BGSAVE) == 0) {
        reply_status(c, "Background saving started");
    } else {
        reply_error(c, "-ERR");
    }
}

command cmd_aof_table[] = {
    {.name = "bgrewriteaof", .proc = cmd_bgrewriteaof, .arity = 1,
     .flags = CMD_ADMIN | CMD_NOSCRIPT, .group = "server",
     .summary = "Asynchronously rewrite the append-only file", .since = "1.0.0",
     .complexity = "O(1)", .acl = "admin slow dangerous"},
    {.name = "save", .proc = cmd_save, .arity = 1,
     .flags = CMD_ADMIN | CMD_NOSCRIPT | CMD_NO_MULTI, .group = "server",
     .summary = "Synchronously save the dataset to disk", .since = "1.0.0",
     .complexity = "O(N) where N is the total number of keys in all databases",
     .acl = "admin slow dangerous"},
    {.name = "bgsave", .proc = cmd_bgsave, .arity = -1, .flags = CMD_ADMIN | CMD_NOSCRIPT,
     .group = "server", .summary = "Asynchronously save the dataset to disk", .since = "1.0.0",
     .complexity = "O(1)", .acl = "admin slow dangerous"},
    {.name = NULL},
};

/* ---- init ---- */

void aof_init(void)
{
    extern void (*aof_load_hook)(void);
    propagate_hook = aof_feed;
    propagate_active_hook = aof_active;
    before_sleep_aof_hook = aof_before_sleep;
    shutdown_aof_hook = aof_shutdown;
    aof_load_hook = aof_load_at_startup;
    /* A file size limit must give EFBIG (reported, retried), not kill us. */
    signal(SIGXFSZ, SIG_IGN);
    if (pthread_create(&bio.th, NULL, bio_main, NULL) != 0) {
        log_msg(LOG_WARNING, "Fatal: can't initialize the AOF fsync thread");
        exit(1);
    }
    el_timer_add(srv.loop, 100, aof_cron, NULL);
    A.inited = 1;
}
