/* aof_rewrite.c - writing a new base: the rewrite writer (aof_rw_*), the
 * dataset as commands, the rewrite child (BGREWRITEAOF, BGSAVE, automatic
 * and first-base rewrites) with the installation of its base, and the
 * synchronous rewrite (SAVE, DEBUG RELOAD, shutdown, first base).
 *
 * Bases are always RESP commands (aof-use-rdb-preamble is accepted and
 * ignored, so bases are named *.base.aof): strings, lists and streams are
 * written here, other types through obj_type_ops.aof_rewrite. */
#include "aof_int.h"

#include "ds/qlist.h"
#include "ds/stream.h"
#include "ds/util.h"
#include "log.h"
#include "script.h"
#include "server.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define REWRITE_AUTOSYNC_BYTES (4 * 1024 * 1024)

/* ---- rewrite: the writer ---- */

struct aof_writer {
    int fd;
    char *buf;
    size_t len, cap;
    long long written, unsynced;
    int err; /* errno of the first failure, 0 = fine */
    int autosync;
};

static int rw_drain(aof_writer *w)
{
    if (w->err)
        return -1;
    if (!w->len)
        return 0;
    ssize_t n = aof_write_all(w->fd, w->buf, w->len);
    if (n != (ssize_t)w->len) {
        w->err = errno ? errno : EIO;
        return -1;
    }
    w->written += n;
    w->unsynced += n;
    w->len = 0;
    if (w->autosync && w->unsynced >= REWRITE_AUTOSYNC_BYTES) {
        if (fdatasync(w->fd) == -1) {
            w->err = errno;
            return -1;
        }
        w->unsynced = 0;
    }
    return 0;
}

static int rw_raw(aof_writer *w, const void *p, size_t len)
{
    if (w->err)
        return -1;
    if (w->cap - w->len < len) {
        if (rw_drain(w) < 0)
            return -1;
        if (len > w->cap) {
            ssize_t n = aof_write_all(w->fd, p, len);
            if (n != (ssize_t)len) {
                w->err = errno ? errno : EIO;
                return -1;
            }
            w->written += n;
            w->unsynced += n;
            return 0;
        }
    }
    memcpy(w->buf + w->len, p, len);
    w->len += len;
    return 0;
}

int aof_rw_array(aof_writer *w, long long n)
{
    char tmp[32];
    return rw_raw(w, tmp, aof_put_head(tmp, '*', n));
}

int aof_rw_bulk(aof_writer *w, const void *p, size_t len)
{
    char tmp[32];
    if (rw_raw(w, tmp, aof_put_head(tmp, '$', (long long)len)) < 0 || rw_raw(w, p, len) < 0)
        return -1;
    return rw_raw(w, "\r\n", 2);
}

int aof_rw_bulk_ll(aof_writer *w, long long v)
{
    char tmp[24];
    int n = ll_to_str(tmp, sizeof(tmp), v);
    return aof_rw_bulk(w, tmp, (size_t)n);
}

/* ---- rewrite: the dataset as commands ---- */

static int rewrite_list(aof_writer *w, const str key, qlist *ql)
{
    size_t left = qlist_len(ql);
    size_t batch = 0;
    qlist_iter it;
    qlist_elem e;
    qlist_iter_init(&it, ql, 0, 1);
    while (qlist_iter_next(&it, &e)) {
        if (batch == 0) {
            size_t n = left > AOF_REWRITE_ITEMS_PER_CMD ? AOF_REWRITE_ITEMS_PER_CMD : left;
            aof_rw_array(w, (long long)n + 2);
            aof_rw_bulk(w, "RPUSH", 5);
            aof_rw_bulk(w, key, str_len(key));
        }
        aof_rw_bulk(w, e.p, e.len);
        left--;
        if (++batch == AOF_REWRITE_ITEMS_PER_CMD)
            batch = 0;
    }
    return w->err ? -1 : 0;
}

static int rw_id(aof_writer *w, stream_id id)
{
    char buf[STREAM_ID_STR_MAX];
    size_t n = stream_id_fmt(buf, id);
    return aof_rw_bulk(w, buf, n);
}

static void rw_cmd_key(aof_writer *w, long long argc, const char *name, const str key)
{
    aof_rw_array(w, argc);
    aof_rw_bulk(w, name, strlen(name));
    aof_rw_bulk(w, key, str_len(key));
}

/* Entries as XADD with their IDs (an empty stream: the XADD MAXLEN 0
 * trick), then XSETID for last-id / entries-added / max-deleted-id. */
static void rewrite_stream_entries(aof_writer *w, const str key, const stream *s)
{
    if (!s->length) {
        rw_cmd_key(w, 7, "XADD", key);
        aof_rw_bulk(w, "MAXLEN", 6);
        aof_rw_bulk(w, "0", 1);
        rw_id(w, (stream_id){0, 1});
        aof_rw_bulk(w, "x", 1);
        aof_rw_bulk(w, "y", 1);
    } else {
        stream_iter it;
        stream_id id;
        uint64_t nf;
        stream_iter_init(&it, s, (stream_id){0, 0}, (stream_id){UINT64_MAX, UINT64_MAX}, 0);
        while (!w->err && stream_iter_next(&it, &id, &nf)) {
            rw_cmd_key(w, 3 + (long long)nf * 2, "XADD", key);
            rw_id(w, id);
            for (uint64_t i = 0; i < nf; i++) {
                const char *f, *v;
                size_t fl, vl;
                stream_iter_field(&it, &f, &fl, &v, &vl);
                aof_rw_bulk(w, f, fl);
                aof_rw_bulk(w, v, vl);
            }
        }
        stream_iter_done(&it);
    }
    rw_cmd_key(w, 7, "XSETID", key);
    rw_id(w, s->last_id);
    aof_rw_bulk(w, "ENTRIESADDED", 12);
    aof_rw_bulk_ll(w, (long long)s->entries_added);
    aof_rw_bulk(w, "MAXDELETEDID", 12);
    rw_id(w, s->max_deleted_id);
}

/* A consumer: its pending entries as XCLAIM ... FORCE (with delivery time
 * and count), or XGROUP CREATECONSUMER when it has none. */
static void rewrite_consumer(aof_writer *w, const str key, const stream_group *g,
                             const stream_consumer *cons)
{
    if (idtree_size(cons->pel) == 0) {
        aof_rw_array(w, 5);
        aof_rw_bulk(w, "XGROUP", 6);
        aof_rw_bulk(w, "CREATECONSUMER", 14);
        aof_rw_bulk(w, key, str_len(key));
        aof_rw_bulk(w, g->name, str_len(g->name));
        aof_rw_bulk(w, cons->name, str_len(cons->name));
        return;
    }
    idtree_iter it;
    stream_id id;
    void *unused;
    idtree_seek(&it, cons->pel, IDT_FIRST, (stream_id){0, 0});
    while (!w->err && idtree_next(&it, &id, &unused)) {
        const stream_nack *n = stream_pel_find(g, id);
        if (!n)
            continue;
        rw_cmd_key(w, 12, "XCLAIM", key);
        aof_rw_bulk(w, g->name, str_len(g->name));
        aof_rw_bulk(w, cons->name, str_len(cons->name));
        aof_rw_bulk(w, "0", 1);
        rw_id(w, id);
        aof_rw_bulk(w, "TIME", 4);
        aof_rw_bulk_ll(w, n->delivery_time);
        aof_rw_bulk(w, "RETRYCOUNT", 10);
        aof_rw_bulk_ll(w, (long long)n->delivery_count);
        aof_rw_bulk(w, "JUSTID", 6);
        aof_rw_bulk(w, "FORCE", 5);
    }
}

/* Like Redis's rewriteStreamObject: entries, XSETID, then per group
 * XGROUP CREATE ... ENTRIESREAD and its consumers. */
static int rewrite_stream(aof_writer *w, const str key, const stream *s)
{
    rewrite_stream_entries(w, key, s);
    for (size_t i = 0; i < s->ngroups && !w->err; i++) {
        const stream_group *g = s->groups[i];
        aof_rw_array(w, 7);
        aof_rw_bulk(w, "XGROUP", 6);
        aof_rw_bulk(w, "CREATE", 6);
        aof_rw_bulk(w, key, str_len(key));
        aof_rw_bulk(w, g->name, str_len(g->name));
        rw_id(w, g->last_id);
        aof_rw_bulk(w, "ENTRIESREAD", 11);
        aof_rw_bulk_ll(w, g->entries_read);
        for (size_t j = 0; j < g->nconsumers && !w->err; j++)
            rewrite_consumer(w, key, g, g->consumers[j]);
    }
    return w->err ? -1 : 0;
}

static int rewrite_value(aof_writer *w, const str key, const obj *o)
{
    if (o->type == OBJ_STRING) {
        aof_rw_array(w, 3);
        aof_rw_bulk(w, "SET", 3);
        aof_rw_bulk(w, key, str_len(key));
        return aof_rw_bulk(w, o->ptr, str_len((str)o->ptr));
    }
    if (o->type == OBJ_LIST)
        return rewrite_list(w, key, o->ptr);
    if (o->type == OBJ_STREAM)
        return rewrite_stream(w, key, o->ptr);
    const obj_type_ops *ops = obj_ops(o->type);
    if (ops && ops->aof_rewrite)
        return ops->aof_rewrite(w, key, str_len(key), o->ptr);
    static int warned[OBJ_TYPE_MAX];
    if (!warned[o->type & (OBJ_TYPE_MAX - 1)]++)
        log_msg(LOG_WARNING, "AOF rewrite: keys of type '%s' have no rewrite function and are "
                "not persisted", ops && ops->name ? ops->name : "?");
    return 0;
}

void aof_delay_us(long long us)
{
    if (us > 0)
        usleep((useconds_t)(us > 1000000 ? 1000000 : us));
}

static int rewrite_db(aof_writer *w, db *d)
{
    dict_iter it;
    dict_entry *e;
    aof_rw_array(w, 2);
    aof_rw_bulk(w, "SELECT", 6);
    aof_rw_bulk_ll(w, d->id);
    dict_iter_init(&it, d->keys, 0);
    while ((e = dict_iter_next(&it)) && !w->err) {
        str key = e->key;
        obj *o = e->v.val;
        if (rewrite_value(w, key, o) < 0)
            break;
        long long when = db_get_expire(d, key, str_len(key));
        if (when >= 0) {
            aof_rw_array(w, 3);
            aof_rw_bulk(w, "PEXPIREAT", 9);
            aof_rw_bulk(w, key, str_len(key));
            aof_rw_bulk_ll(w, when);
        }
        aof_delay_us(aof_cfg.key_save_delay);
    }
    dict_iter_done(&it);
    return w->err ? -1 : 0;
}

/* Functions first, as Redis does: one FUNCTION LOAD per library. */
static void rewrite_function(const char *code, size_t len, void *ud)
{
    aof_writer *w = ud;
    aof_rw_array(w, 3);
    aof_rw_bulk(w, "FUNCTION", 8);
    aof_rw_bulk(w, "LOAD", 4);
    aof_rw_bulk(w, code, len);
}

static int rewrite_dataset(aof_writer *w)
{
    if (aof_cfg.timestamp_enabled) {
        char line[48];
        int n = snprintf(line, sizeof(line), "#TS:%lld\r\n", (long long)time(NULL));
        rw_raw(w, line, (size_t)n);
    }
    function_foreach(rewrite_function, w);
    for (int i = 0; i < srv.dbnum && !w->err; i++) {
        if (db_size(&srv.dbs[i]) == 0)
            continue;
        rewrite_db(w, &srv.dbs[i]);
    }
    return w->err ? -1 : 0;
}

/* Write the dataset into `tmpfile` (in dir), fsynced and closed. */
int aof_rewrite_to_file(const char *tmpfile)
{
    int fd = open(tmpfile, O_WRONLY | O_TRUNC | O_CREAT, 0644);
    if (fd < 0) {
        log_msg(LOG_WARNING, "Opening the temp file for AOF rewrite in rewrite_to_file(): %s",
                strerror(errno));
        return -1;
    }
    aof_writer w = {.fd = fd, .cap = 64 * 1024, .autosync = aof_cfg.rewrite_incremental_fsync};
    w.buf = malloc(w.cap);
    if (!w.buf) {
        close(fd);
        unlink(tmpfile);
        return -1;
    }
    rewrite_dataset(&w);
    rw_drain(&w);
    free(w.buf);
    if (!w.err && fsync(fd) == -1)
        w.err = errno;
    if (close(fd) == -1 && !w.err)
        w.err = errno;
    if (w.err) {
        log_msg(LOG_WARNING, "Write error writing append only file on disk: %s",
                strerror(w.err));
        unlink(tmpfile);
        return -1;
    }
    return 0;
}

void aof_temp_rewrite_names(pid_t pid, char *bg, char *fg, size_t cap)
{
    snprintf(bg, cap, "temp-rewriteaof-bg-%d.aof", (int)pid);
    snprintf(fg, cap, "temp-rewriteaof-%d.aof", (int)pid);
}

static void remove_temp_files(pid_t pid)
{
    char bg[64], fg[64];
    aof_temp_rewrite_names(pid, bg, fg, sizeof(bg));
    aof_bio_submit(JOB_UNLINK, -1, bg);
    aof_bio_submit(JOB_UNLINK, -1, fg);
}

/* The temp incr file gets a private name first: a new rewrite may create
 * the temp file again before the background unlink runs. */
void aof_delete_temp_incr(void)
{
    static unsigned n;
    char name[512], path[1024], gone[1100];
    aof_temp_incr_name(name, sizeof(name));
    aof_path(path, sizeof(path), name);
    snprintf(gone, sizeof(gone), "%s.%d.%u.deleted", path, (int)getpid(), n++);
    if (rename(path, gone) == -1)
        return;
    log_msg(LOG_NOTICE, "Removing the temp incr aof file %s in the background", name);
    aof_bio_submit(JOB_UNLINK, -1, gone);
}

/* ---- rewrite: the child ---- */

void aof_kill_child(void)
{
    int st;
    if (!A.child_pid)
        return;
    log_msg(LOG_NOTICE, "Killing running AOF rewrite child: %ld", (long)A.child_pid);
    if (kill(A.child_pid, SIGUSR1) != -1)
        while (waitpid(A.child_pid, &st, 0) == -1 && errno == EINTR) {
        }
    remove_temp_files(A.child_pid);
    if (A.state == AOF_WAIT_REWRITE && A.fd >= 0) {
        /* The temp incr file only made sense with that child. */
        aof_bio_submit(JOB_FSYNC_CLOSE, A.fd, NULL); /* after its pending fsync */
        A.fd = -1;
        A.len = 0;
        aof_delete_temp_incr();
        A.rewrite_scheduled = 1;
    }
    A.child_pid = 0;
    A.child_type = CHILD_NONE;
    A.child_start_s = 0;
}

static void child_main(pid_t parent)
{
    char bg[64], fg[64];
    /* Only the parent can install the base: if it dies (kill -9), stop
     * rather than write for nothing (rdb-key-save-delay can make that
     * hours). */
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent)
        _exit(1);
    signal(SIGTERM, SIG_DFL);
    signal(SIGINT, SIG_DFL);
    signal(SIGUSR1, SIG_DFL);
    log_set_role('C');
    /* The server's latency matters more than the rewrite's speed. */
    if (setpriority(PRIO_PROCESS, 0, 10) == -1) {
        /* not fatal */
    }
    for (int i = 0; i < srv.nlisten; i++)
        close(srv.listen_fds[i]);
    if (srv.unix_fd > 0)
        close(srv.unix_fd);
    aof_temp_rewrite_names(getpid(), bg, fg, sizeof(bg));
    if (aof_rewrite_to_file(bg) == 0) {
        log_msg(LOG_NOTICE, "Successfully created the temporary AOF base file %s", bg);
        _exit(0);
    }
    _exit(1);
}

int aof_start_child(int type)
{
    if (A.child_pid)
        return -1;
    if (aof_make_dir(srv.appenddirname) == -1) {
        log_msg(LOG_WARNING, "Can't open or create append-only dir %s: %s", srv.appenddirname,
                strerror(errno));
        A.last_rewrite_ok = 0;
        return -1;
    }
    /* Everything logged so far goes to the old file; the child's base
     * covers it, the new incr file gets what follows. */
    A.selected_db = -1;
    aof_flush(1);
    if (aof_open_new_incr() < 0) {
        A.last_rewrite_ok = 0;
        return -1;
    }
    if (type == CHILD_REWRITE)
        A.rewrites++;
    uint64_t t0 = el_mono_us();
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid == 0)
        child_main(parent);
    if (pid < 0) {
        if (type == CHILD_BGSAVE)
            A.last_bgsave_ok = 0;
        else
            A.last_rewrite_ok = 0;
        log_msg(LOG_WARNING, "Can't rewrite append only file in background: fork: %s",
                strerror(errno));
        return -1;
    }
    A.latest_fork_usec = (long long)(el_mono_us() - t0);
    A.total_forks++;
    A.child_pid = pid;
    A.child_type = type;
    A.child_start_s = aof_now_s();
    A.child_dirty = srv.dirty;
    if (type == CHILD_REWRITE) {
        A.rewrite_scheduled = 0;
        log_msg(LOG_NOTICE, "Background append only file rewriting started by pid %ld",
                (long)pid);
    } else {
        A.bgsave_scheduled = 0;
        log_msg(LOG_NOTICE, "Background saving started by pid %ld", (long)pid);
    }
    return 0;
}

static void rewrite_failed(void)
{
    A.last_rewrite_ok = 0;
    A.rewrite_failures_in_row++;
}

/* The child wrote `tmpfile`: make it the base (see aof.h).  `keep_last`:
 * the open incr file continues (logging is on). */
static int install_base(const char *tmpfile)
{
    char basepath[1024], incrpath[1024] = "";
    manifest *tmp = aof_manifest_dup(A.man);
    const char *base = aof_manifest_new_base(tmp);
    aof_path(basepath, sizeof(basepath), base);
    if (rename(tmpfile, basepath) == -1) {
        log_msg(LOG_WARNING, "Error trying to rename the temporary AOF base file %s into %s: %s",
                tmpfile, basepath, strerror(errno));
        aof_manifest_free(tmp);
        return -1;
    }
    log_msg(LOG_NOTICE, "Successfully renamed the temporary AOF base file %s into %s", tmpfile,
            base);
    if (A.state == AOF_WAIT_REWRITE && A.fd >= 0) {
        char tname[512], tpath[1024];
        aof_temp_incr_name(tname, sizeof(tname));
        aof_path(tpath, sizeof(tpath), tname);
        const char *incr = aof_manifest_new_incr(tmp);
        aof_path(incrpath, sizeof(incrpath), incr);
        if (rename(tpath, incrpath) == -1) {
            log_msg(LOG_WARNING, "Error trying to rename the temporary AOF incr file %s into %s: "
                    "%s", tpath, incrpath, strerror(errno));
            aof_bio_submit(JOB_UNLINK, -1, basepath);
            aof_manifest_free(tmp);
            return -1;
        }
        log_msg(LOG_NOTICE, "Successfully renamed the temporary AOF incr file %s into %s", tname,
                incr);
    }
    aof_manifest_incr_to_history(tmp, A.fd >= 0);
    if (aof_manifest_persist(tmp) < 0) {
        aof_bio_submit(JOB_UNLINK, -1, basepath);
        if (incrpath[0])
            aof_bio_submit(JOB_UNLINK, -1, incrpath);
        aof_manifest_free(tmp);
        return -1;
    }
    aof_manifest_replace(tmp);
    if (A.fd >= 0) {
        A.current_size = aof_file_size(basepath, NULL) + A.incr_size;
        A.base_size = A.current_size;
    }
    aof_delete_history_files();
    if (A.state == AOF_WAIT_REWRITE && A.fd >= 0)
        A.state = AOF_ON;
    return 0;
}

static void child_done(int exitcode, int bysignal)
{
    int type = A.child_type;
    char bg[64], fg[64];
    aof_temp_rewrite_names(A.child_pid, bg, fg, sizeof(bg));
    int ok = 0;
    if (!bysignal && exitcode == 0) {
        log_msg(LOG_NOTICE, "Background AOF rewrite terminated with success");
        ok = install_base(bg) == 0;
        if (ok)
            log_msg(LOG_NOTICE, "Background AOF rewrite finished successfully");
    } else if (!bysignal) {
        log_msg(LOG_WARNING, "Background AOF rewrite terminated with error");
    } else {
        log_msg(LOG_WARNING, "Background AOF rewrite terminated by signal %d", bysignal);
    }
    int killed = bysignal == SIGUSR1;
    if (type == CHILD_REWRITE && ok) {
        A.last_rewrite_ok = 1;
        A.rewrite_failures_in_row = 0;
    } else if (type == CHILD_REWRITE && !killed) {
        rewrite_failed();
    }
    if (type == CHILD_BGSAVE) {
        if (ok) {
            srv.lastsave = aof_now_s();
            srv.dirty_before_bgsave = A.child_dirty;
            A.rdb_saves++;
            log_msg(LOG_NOTICE, "Background saving terminated with success");
        }
        if (ok || !killed)
            A.last_bgsave_ok = ok;
        A.bgsave_time_last = aof_now_s() - A.child_start_s;
    } else {
        A.rewrite_time_last = aof_now_s() - A.child_start_s;
    }
    remove_temp_files(A.child_pid);
    if (!ok && A.state == AOF_WAIT_REWRITE) {
        if (A.fd >= 0)
            aof_bio_submit(JOB_FSYNC_CLOSE, A.fd, NULL);
        A.fd = -1;
        A.len = 0;
        aof_delete_temp_incr();
        A.rewrite_scheduled = 1;
    }
    A.child_pid = 0;
    A.child_type = CHILD_NONE;
    A.child_start_s = 0;
}

void aof_reap_child(void)
{
    int st;
    if (!A.child_pid)
        return;
    pid_t r = waitpid(A.child_pid, &st, WNOHANG);
    if (r == 0 || (r < 0 && errno == EINTR))
        return;
    if (r < 0) {
        log_msg(LOG_WARNING, "waitpid() returned an error: %s. child_pid = %d", strerror(errno),
                (int)A.child_pid);
        child_done(1, 0);
        return;
    }
    if (WIFSIGNALED(st))
        child_done(0, WTERMSIG(st));
    else
        child_done(WEXITSTATUS(st), 0);
}

/* ---- rewrite: synchronous (SAVE, DEBUG RELOAD, first base) ---- */

/* A new base written by the server itself.  Any child is killed first:
 * this base supersedes whatever it was writing. */
int aof_rewrite_sync(void)
{
    char bg[64], fg[64];
    if (A.child_pid)
        aof_kill_child();
    if (aof_make_dir(srv.appenddirname) == -1) {
        log_msg(LOG_WARNING, "Can't open or create append-only dir %s: %s", srv.appenddirname,
                strerror(errno));
        return -1;
    }
    if (A.state == AOF_ON)
        aof_flush(1);
    aof_temp_rewrite_names(getpid(), bg, fg, sizeof(bg));
    if (aof_rewrite_to_file(fg) < 0)
        return -1;
    if (A.state == AOF_WAIT_REWRITE) {
        /* The base covers everything: go straight to ON. */
        A.state = AOF_ON;
        if (A.fd >= 0) {
            aof_bio_submit(JOB_FSYNC_CLOSE, A.fd, NULL);
            A.fd = -1;
            aof_delete_temp_incr();
        }
        A.len = 0;
    }
    int was_logging = A.state == AOF_ON;
    if (was_logging && aof_open_new_incr() < 0) {
        unlink(fg);
        return -1;
    }
    if (install_base(fg) < 0) {
        unlink(fg);
        return -1;
    }
    A.last_rewrite_ok = 1;
    A.rewrite_failures_in_row = 0;
    return 0;
}
