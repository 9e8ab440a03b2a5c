/* aof.c - the append-only file (see aof.h for the file layout).
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
 * files, so the event loop never waits on the disk for them.
 *
 * Bases are always RESP commands (aof-use-rdb-preamble is accepted and
 * ignored, so bases are named *.base.aof): strings, lists and streams are
 * written here, other types through obj_type_ops.aof_rewrite.  Loading
 * parses files in place from a large buffer and runs each command's
 * handler directly (no call(): no stats, no propagation), answering other
 * clients with -LOADING every 1024 commands at start-up.  The AOF directory
 * is also loaded with `appendonly no` (it is then a snapshot, like a
 * dump.rdb: SAVE / BGSAVE write it, nothing logs into it). */
#include "aof.h"

#include "blocked.h"
#include "ds/alloc.h"
#include "ds/qlist.h"
#include "ds/stream.h"
#include "ds/util.h"
#include "log.h"
#include "multi.h"
#include "script.h"
#include "server.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

enum { AOF_OFF = 0, AOF_ON = 1, AOF_WAIT_REWRITE = 2 };
enum { CHILD_NONE = 0, CHILD_REWRITE = 1, CHILD_BGSAVE = 2 };
enum { FSYNC_ALWAYS = 0, FSYNC_EVERYSEC = 1, FSYNC_NO = 2 };
/* Results of loading one file. */
enum { LOAD_OK, LOAD_NOT_EXIST, LOAD_EMPTY, LOAD_OPEN_ERR, LOAD_FAILED, LOAD_TRUNCATED };

#define BASE_SUFFIX ".base"
#define INCR_SUFFIX ".incr"
#define AOF_SUFFIX ".aof"
#define MANIFEST_SUFFIX ".manifest"
#define TEMP_PREFIX "temp-"
#define MANIFEST_MAX_LINE 1024
#define WRITE_ERROR_LOG_SECS 30
#define REWRITE_AUTOSYNC_BYTES (4 * 1024 * 1024)
#define REWRITE_LIMIT_THRESHOLD 3
#define REWRITE_LIMIT_MAX_MINUTES 60

struct aof_config aof_cfg;

/* ---- manifest ---- */

typedef struct aof_file {
    char *name;
    long long seq;
    char type; /* 'b' base, 'h' history, 'i' incr */
} aof_file;

typedef struct file_list {
    aof_file *v;
    int n, cap;
} file_list;

typedef struct manifest {
    aof_file base; /* base.name == NULL: none */
    file_list incr, hist;
    long long base_seq, incr_seq;
    int dirty;
} manifest;

/* ---- the module's state ---- */

typedef struct turn_writer {
    int fd;
    uint64_t id;
} turn_writer;

static struct {
    int inited;
    int state;
    int fd;
    manifest *man;
    /* feed buffer: RESP not yet written */
    char *buf;
    size_t len, cap;
    int selected_db;
    int in_multi;
    long long cur_ts;
    /* clients that wrote in this turn (appendfsync always) */
    turn_writer *writers;
    size_t nwriters, capwriters;
    /* sizes */
    long long current_size; /* base + incr files */
    long long base_size;    /* current_size right after the last rewrite */
    long long incr_size;    /* bytes in the open incr file */
    long long fsynced_size; /* of them, known fsynced (or handed to bio) */
    long long last_fsync_s;
    long long postponed_start_s;
    long long delayed_fsync;
    int write_ok;
    int write_errno;
    long long last_write_error_log_s;
    /* child */
    pid_t child_pid;
    int child_type;
    long long child_start_s;
    long long child_dirty; /* srv.dirty at fork */
    int rewrite_scheduled, bgsave_scheduled;
    long long rewrite_time_last, bgsave_time_last;
    int last_rewrite_ok, last_bgsave_ok;
    long long rewrites, rewrite_failures_in_row;
    long long total_forks, latest_fork_usec;
    long long rdb_saves;
    long long loaded_keys;
    long long loading_start_s, loading_total_bytes, loading_loaded_bytes, loading_done_bytes;
    int limit_delay_min;
    long long limit_next_s;
} A = {.fd = -1, .selected_db = -1, .write_ok = 1, .last_rewrite_ok = 1, .last_bgsave_ok = 1,
       .rewrite_time_last = -1, .bgsave_time_last = -1};

static long long now_s(void)
{
    return el_wall_ms() / 1000;
}

static void aof_path(char *out, size_t cap, const char *name)
{
    snprintf(out, cap, "%s/%s", srv.appenddirname, name);
}

/* write(2) all of it, retrying on EINTR and short writes.  Returns the
 * bytes written, which is less than len only after an error (errno set);
 * -1 if nothing at all could be written. */
static ssize_t write_all(int fd, const char *p, size_t len)
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

static int fsync_dir(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY);
    if (fd < 0)
        return -1;
    int r = fsync(fd);
    int e = errno;
    close(fd);
    errno = e;
    return r;
}

static int make_dir(const char *dir)
{
    if (mkdir(dir, 0755) == 0 || errno == EEXIST)
        return 0;
    return -1;
}

static long long file_size(const char *path, int *exists)
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

enum { JOB_FSYNC, JOB_FSYNC_CLOSE, JOB_UNLINK };

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

static void bio_submit(int kind, int fd, const char *path)
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

/* ---- manifest ---- */

static void list_push(file_list *l, const char *name, long long seq, char type, int head)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 4;
        l->v = ds_realloc(l->v, sizeof(aof_file) * (size_t)l->cap);
    }
    if (head) {
        memmove(l->v + 1, l->v, sizeof(aof_file) * (size_t)l->n);
        l->v[0] = (aof_file){ds_strdup(name), seq, type};
    } else {
        l->v[l->n] = (aof_file){ds_strdup(name), seq, type};
    }
    l->n++;
}

static void list_free(file_list *l)
{
    for (int i = 0; i < l->n; i++)
        ds_free(l->v[i].name);
    ds_free(l->v);
    l->v = NULL;
    l->n = l->cap = 0;
}

static manifest *manifest_new(void)
{
    return ds_calloc(sizeof(manifest));
}

static void manifest_free(manifest *m)
{
    if (!m)
        return;
    ds_free(m->base.name);
    list_free(&m->incr);
    list_free(&m->hist);
    ds_free(m);
}

static manifest *manifest_dup(const manifest *o)
{
    manifest *m = manifest_new();
    m->base_seq = o->base_seq;
    m->incr_seq = o->incr_seq;
    m->dirty = o->dirty;
    if (o->base.name)
        m->base = (aof_file){ds_strdup(o->base.name), o->base.seq, o->base.type};
    for (int i = 0; i < o->incr.n; i++)
        list_push(&m->incr, o->incr.v[i].name, o->incr.v[i].seq, 'i', 0);
    for (int i = 0; i < o->hist.n; i++)
        list_push(&m->hist, o->hist.v[i].name, o->hist.v[i].seq, 'h', 0);
    return m;
}

static void manifest_replace(manifest *m)
{
    manifest_free(A.man);
    A.man = m;
}

static int name_needs_quotes(const char *s)
{
    for (; *s; s++)
        if (!isprint((unsigned char)*s) || *s == ' ' || *s == '"' || *s == '\'' || *s == '\\')
            return 1;
    return 0;
}

static str format_name(str out, const char *name)
{
    if (!name_needs_quotes(name))
        return str_cat(out, name, strlen(name));
    out = str_cat(out, "\"", 1);
    for (const char *s = name; *s; s++) {
        char tmp[8];
        unsigned char ch = (unsigned char)*s;
        if (ch == '"' || ch == '\\') {
            tmp[0] = '\\';
            tmp[1] = (char)ch;
            out = str_cat(out, tmp, 2);
        } else if (ch == '\n' || ch == '\r' || ch == '\t') {
            tmp[0] = '\\';
            tmp[1] = ch == '\n' ? 'n' : ch == '\r' ? 'r' : 't';
            out = str_cat(out, tmp, 2);
        } else if (!isprint(ch)) {
            snprintf(tmp, sizeof(tmp), "\\x%02x", ch);
            out = str_cat(out, tmp, 4);
        } else {
            out = str_cat(out, s, 1);
        }
    }
    return str_cat(out, "\"", 1);
}

static str format_line(str out, const aof_file *f)
{
    char tail[64];
    out = str_cat(out, "file ", 5);
    out = format_name(out, f->name);
    int n = snprintf(tail, sizeof(tail), " seq %lld type %c\n", f->seq, f->type);
    return str_cat(out, tail, (size_t)n);
}

/* Base first, then history, then incr files: Redis's order. */
static str manifest_format(const manifest *m)
{
    str s = str_empty_cap(256);
    if (m->base.name)
        s = format_line(s, &m->base);
    for (int i = 0; i < m->hist.n; i++)
        s = format_line(s, &m->hist.v[i]);
    for (int i = 0; i < m->incr.n; i++)
        s = format_line(s, &m->incr.v[i]);
    return s;
}

static void manifest_name(char *out, size_t cap, int temp)
{
    snprintf(out, cap, "%s%s%s", temp ? TEMP_PREFIX : "", srv.appendfilename, MANIFEST_SUFFIX);
}

/* Write temp, fsync, rename over the manifest, fsync the directory. */
static int manifest_write(const char *text, size_t len)
{
    char name[300], tmpname[310], path[1024], tmppath[1024];
    manifest_name(name, sizeof(name), 0);
    manifest_name(tmpname, sizeof(tmpname), 1);
    aof_path(path, sizeof(path), name);
    aof_path(tmppath, sizeof(tmppath), tmpname);
    int fd = open(tmppath, O_WRONLY | O_TRUNC | O_CREAT, 0644);
    if (fd < 0) {
        log_msg(LOG_WARNING, "Can't open the AOF manifest file %s: %s", tmpname, strerror(errno));
        return -1;
    }
    if (write_all(fd, text, len) != (ssize_t)len) {
        log_msg(LOG_WARNING, "Error trying to write the temporary AOF manifest file %s: %s",
                tmpname, strerror(errno));
        goto fail;
    }
    if (fsync(fd) == -1) {
        log_msg(LOG_WARNING, "Fail to fsync the temp AOF file %s: %s.", tmpname, strerror(errno));
        goto fail;
    }
    if (rename(tmppath, path) != 0) {
        log_msg(LOG_WARNING,
                "Error trying to rename the temporary AOF manifest file %s into %s: %s", tmpname,
                name, strerror(errno));
        goto fail;
    }
    if (fsync_dir(srv.appenddirname) == -1) {
        log_msg(LOG_WARNING, "Fail to fsync AOF directory %s: %s.", path, strerror(errno));
        goto fail;
    }
    close(fd);
    return 0;
fail:
    close(fd);
    return -1;
}

static int manifest_persist(manifest *m)
{
    if (!m->dirty)
        return 0;
    str s = manifest_format(m);
    int r = manifest_write(s, str_len(s));
    str_free(s);
    if (r == 0)
        m->dirty = 0;
    return r;
}

/* New base name; the previous base (if any) becomes history. */
static const char *manifest_new_base(manifest *m)
{
    char name[512];
    if (m->base.name) {
        list_push(&m->hist, m->base.name, m->base.seq, 'h', 1);
        ds_free(m->base.name);
    }
    snprintf(name, sizeof(name), "%s.%lld%s%s", srv.appendfilename, ++m->base_seq, BASE_SUFFIX,
             AOF_SUFFIX);
    m->base = (aof_file){ds_strdup(name), m->base_seq, 'b'};
    m->dirty = 1;
    return m->base.name;
}

static const char *manifest_new_incr(manifest *m)
{
    char name[512];
    snprintf(name, sizeof(name), "%s.%lld%s%s", srv.appendfilename, ++m->incr_seq, INCR_SUFFIX,
             AOF_SUFFIX);
    list_push(&m->incr, name, m->incr_seq, 'i', 0);
    m->dirty = 1;
    return m->incr.v[m->incr.n - 1].name;
}

static const char *manifest_last_incr(manifest *m)
{
    if (!m->incr.n)
        return manifest_new_incr(m);
    return m->incr.v[m->incr.n - 1].name;
}

/* After a rewrite: every incr file but the open one (if logging) is
 * covered by the new base and becomes history. */
static void manifest_incr_to_history(manifest *m, int keep_last)
{
    int keep = keep_last && m->incr.n ? 1 : 0;
    int moving = m->incr.n - keep;
    for (int i = moving - 1; i >= 0; i--) {
        list_push(&m->hist, m->incr.v[i].name, m->incr.v[i].seq, 'h', 1);
        ds_free(m->incr.v[i].name);
    }
    if (keep)
        memmove(m->incr.v, m->incr.v + moving, sizeof(aof_file));
    m->incr.n = keep;
    m->dirty = 1;
}

static void temp_incr_name(char *out, size_t cap)
{
    snprintf(out, cap, "%s%s%s", TEMP_PREFIX, srv.appendfilename, INCR_SUFFIX);
}

/* Split a manifest line like sdssplitargs: words, "quoted\x41" or 'single'. */
static int split_line(const char *s, char words[][MANIFEST_MAX_LINE + 1], int max)
{
    int n = 0;
    for (;;) {
        while (*s && isspace((unsigned char)*s))
            s++;
        if (!*s)
            return n;
        if (n == max)
            return -1;
        char *w = words[n];
        size_t wl = 0;
        if (*s == '"' || *s == '\'') {
            char q = *s++;
            while (*s && *s != q) {
                char ch = *s++;
                if (q == '"' && ch == '\\' && *s) {
                    char e = *s++;
                    if (e == 'x' && isxdigit((unsigned char)s[0]) &&
                        isxdigit((unsigned char)s[1])) {
                        char hex[3] = {s[0], s[1], 0};
                        ch = (char)strtol(hex, NULL, 16);
                        s += 2;
                    } else {
                        ch = e == 'n' ? '\n' : e == 'r' ? '\r' : e == 't' ? '\t' : e;
                    }
                }
                w[wl++] = ch;
            }
            if (*s != q)
                return -1;
            s++;
            if (*s && !isspace((unsigned char)*s))
                return -1;
        } else {
            while (*s && !isspace((unsigned char)*s))
                w[wl++] = *s++;
        }
        w[wl] = '\0';
        n++;
    }
}

static void manifest_fatal(int lineno, const char *line, const char *err)
{
    log_msg(LOG_WARNING, "\n*** FATAL AOF MANIFEST FILE ERROR ***\n");
    if (line) {
        log_msg(LOG_WARNING, "Reading the manifest file, at line %d\n", lineno);
        log_msg(LOG_WARNING, ">>> '%s'\n", line);
    }
    log_msg(LOG_WARNING, "%s\n", err);
    exit(1);
}

static int parse_manifest_line(manifest *m, char *line, long long *maxseq, const char **err)
{
    static char words[8][MANIFEST_MAX_LINE + 1];
    int argc = split_line(line, words, 8);
    if (argc < 6 || argc % 2) {
        *err = "Invalid AOF manifest file format";
        return -1;
    }
    const char *name = NULL;
    long long seq = 0;
    char type = 0;
    for (int i = 0; i < argc; i += 2) {
        if (strcasecmp(words[i], "file") == 0) {
            name = words[i + 1];
            if (strchr(name, '/')) {
                *err = "File can't be a path, just a filename";
                return -1;
            }
        } else if (strcasecmp(words[i], "seq") == 0) {
            seq = atoll(words[i + 1]);
        } else if (strcasecmp(words[i], "type") == 0) {
            type = words[i + 1][0];
        }
    }
    if (!name || !name[0] || !seq || !type) {
        *err = "Invalid AOF manifest file format";
        return -1;
    }
    if (type == 'b') {
        if (m->base.name) {
            *err = "Found duplicate base file information";
            return -1;
        }
        m->base = (aof_file){ds_strdup(name), seq, 'b'};
        m->base_seq = seq;
    } else if (type == 'h') {
        list_push(&m->hist, name, seq, 'h', 0);
    } else if (type == 'i') {
        if (seq <= *maxseq) {
            *err = "Found a non-monotonic sequence number";
            return -1;
        }
        list_push(&m->incr, name, seq, 'i', 0);
        m->incr_seq = seq;
        *maxseq = seq;
    } else {
        *err = "Unknown AOF file type";
        return -1;
    }
    return 0;
}

/* Strict like Redis: any problem stops the server (start-up only). */
static manifest *manifest_load_file(const char *path)
{
    FILE *fp = fopen(path, "r");
    if (!fp) {
        log_msg(LOG_WARNING, "Fatal error: can't open the AOF manifest file %s for reading: %s",
                path, strerror(errno));
        exit(1);
    }
    manifest *m = manifest_new();
    char buf[MANIFEST_MAX_LINE + 1];
    long long maxseq = 0;
    int lineno = 0;
    for (;;) {
        if (!fgets(buf, sizeof(buf), fp)) {
            if (ferror(fp))
                manifest_fatal(0, NULL, "Read AOF manifest failed");
            if (lineno == 0)
                manifest_fatal(0, NULL, "Found an empty AOF manifest");
            break;
        }
        lineno++;
        if (buf[0] == '#')
            continue;
        if (!strchr(buf, '\n'))
            manifest_fatal(lineno, NULL, "The AOF manifest file contains too long line");
        char *line = buf;
        while (*line && strchr(" \t\r\n", *line))
            line++;
        size_t ll = strlen(line);
        while (ll && strchr(" \t\r\n", line[ll - 1]))
            line[--ll] = '\0';
        const char *err = NULL;
        if (!ll)
            manifest_fatal(lineno, line, "Invalid AOF manifest file format");
        if (parse_manifest_line(m, line, &maxseq, &err) < 0)
            manifest_fatal(lineno, line, err);
    }
    fclose(fp);
    return m;
}

static int dir_exists(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

static void manifest_load_from_disk(void)
{
    char name[300], path[1024];
    manifest_replace(manifest_new());
    if (!dir_exists(srv.appenddirname)) {
        log_msg(LOG_DEBUG, "The AOF directory %s doesn't exist", srv.appenddirname);
        return;
    }
    manifest_name(name, sizeof(name), 0);
    aof_path(path, sizeof(path), name);
    if (access(path, F_OK) != 0) {
        log_msg(LOG_DEBUG, "The AOF manifest file %s doesn't exist", name);
        return;
    }
    manifest_replace(manifest_load_file(path));
}

/* Delete history files (in the background) and forget them. */
static int delete_history_files(void)
{
    if (!A.man || !A.man->hist.n || aof_cfg.disable_auto_gc)
        return 0;
    for (int i = 0; i < A.man->hist.n; i++) {
        char path[1024];
        log_msg(LOG_NOTICE, "Removing the history file %s in the background",
                A.man->hist.v[i].name);
        aof_path(path, sizeof(path), A.man->hist.v[i].name);
        bio_submit(JOB_UNLINK, -1, path);
    }
    list_free(&A.man->hist);
    A.man->dirty = 1;
    return manifest_persist(A.man);
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
static size_t put_head(char *p, char c, long long n)
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
    p += put_head(p, '*', argc);
    for (int i = 0; i < argc; i++) {
        p += put_head(p, '$', (long long)argv[i].len);
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
        long long ts = now_s();
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
    long long t = now_s();
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
        ssize_t n = write_all(A.fd, A.buf, A.len);
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
    A.last_fsync_s = now_s();
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
            now_s() > A.last_fsync_s && !(sync_running = bio_fsync_in_progress()))
            goto try_fsync;
        return;
    }
    if (policy == FSYNC_EVERYSEC)
        sync_running = bio_fsync_in_progress();
    if (policy == FSYNC_EVERYSEC && !force && sync_running) {
        /* write(2) would block behind the fsync: wait up to 2 s. */
        if (A.postponed_start_s == 0) {
            A.postponed_start_s = now_s();
            return;
        } else if (now_s() - A.postponed_start_s < 2) {
            return;
        }
        A.delayed_fsync++;
        log_msg(LOG_NOTICE, "Asynchronous AOF fsync is taking too long (disk is busy?). "
                "Writing the AOF buffer without waiting for fsync to complete, this may slow "
                "down Sluice.");
    }
    A.postponed_start_s = 0;
    ssize_t n = write_all(A.fd, A.buf, A.len);
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
    if (policy == FSYNC_EVERYSEC && now_s() > A.last_fsync_s) {
        if (!sync_running) {
            bio_submit(JOB_FSYNC, A.fd, NULL);
            A.fsynced_size = A.incr_size;
        }
        A.last_fsync_s = now_s();
    }
}

static void aof_flush(int force)
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
        A.last_fsync_s = now_s();
    A.fsynced_size = A.incr_size;
}

/* ---- opening files ---- */

/* Open a new incr file (or the temp one while waiting for the first base)
 * and make it the target of writes; the old file is fsynced and closed in
 * the background.  All or nothing. */
static int open_new_incr(void)
{
    char name[512], path[1024];
    manifest *tmp = NULL;
    if (A.state == AOF_OFF)
        return 0;
    if (A.state == AOF_WAIT_REWRITE) {
        temp_incr_name(name, sizeof(name));
    } else {
        tmp = manifest_dup(A.man);
        snprintf(name, sizeof(name), "%s", manifest_new_incr(tmp));
    }
    aof_path(path, sizeof(path), name);
    int fd = open(path, O_WRONLY | O_TRUNC | O_CREAT | O_APPEND, 0644);
    if (fd < 0) {
        log_msg(LOG_WARNING, "Can't open the append-only file %s: %s", name, strerror(errno));
        manifest_free(tmp);
        return -1;
    }
    if (tmp && manifest_persist(tmp) < 0) {
        close(fd);
        unlink(path);
        manifest_free(tmp);
        return -1;
    }
    log_msg(LOG_NOTICE, "Creating AOF incr file %s on background rewrite", name);
    if (A.fd >= 0) {
        if (fsync_policy() == FSYNC_ALWAYS)
            fsync_now();
        bio_submit(JOB_FSYNC_CLOSE, A.fd, NULL);
        A.last_fsync_s = now_s();
    }
    A.fd = fd;
    A.incr_size = A.fsynced_size = 0;
    A.selected_db = -1;
    A.in_multi = 0;
    if (tmp)
        manifest_replace(tmp);
    return 0;
}

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
    ssize_t n = write_all(w->fd, w->buf, w->len);
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
            ssize_t n = write_all(w->fd, p, len);
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
    return rw_raw(w, tmp, put_head(tmp, '*', n));
}

int aof_rw_bulk(aof_writer *w, const void *p, size_t len)
{
    char tmp[32];
    if (rw_raw(w, tmp, put_head(tmp, '$', (long long)len)) < 0 || rw_raw(w, p, len) < 0)
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

static void delay_us(long long us)
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
        delay_us(aof_cfg.key_save_delay);
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
static int rewrite_to_file(const char *tmpfile)
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

static void temp_rewrite_names(pid_t pid, char *bg, char *fg, size_t cap)
{
    snprintf(bg, cap, "temp-rewriteaof-bg-%d.aof", (int)pid);
    snprintf(fg, cap, "temp-rewriteaof-%d.aof", (int)pid);
}

static void remove_temp_files(pid_t pid)
{
    char bg[64], fg[64];
    temp_rewrite_names(pid, bg, fg, sizeof(bg));
    bio_submit(JOB_UNLINK, -1, bg);
    bio_submit(JOB_UNLINK, -1, fg);
}

/* The temp incr file gets a private name first: a new rewrite may create
 * the temp file again before the background unlink runs. */
static void delete_temp_incr(void)
{
    static unsigned n;
    char name[512], path[1024], gone[1100];
    temp_incr_name(name, sizeof(name));
    aof_path(path, sizeof(path), name);
    snprintf(gone, sizeof(gone), "%s.%d.%u.deleted", path, (int)getpid(), n++);
    if (rename(path, gone) == -1)
        return;
    log_msg(LOG_NOTICE, "Removing the temp incr aof file %s in the background", name);
    bio_submit(JOB_UNLINK, -1, gone);
}

/* ---- rewrite: the child ---- */

static void kill_child(void)
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
        bio_submit(JOB_FSYNC_CLOSE, A.fd, NULL); /* after its pending fsync */
        A.fd = -1;
        A.len = 0;
        delete_temp_incr();
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
    temp_rewrite_names(getpid(), bg, fg, sizeof(bg));
    if (rewrite_to_file(bg) == 0) {
        log_msg(LOG_NOTICE, "Successfully created the temporary AOF base file %s", bg);
        _exit(0);
    }
    _exit(1);
}

static int start_child(int type)
{
    if (A.child_pid)
        return -1;
    if (make_dir(srv.appenddirname) == -1) {
        log_msg(LOG_WARNING, "Can't open or create append-only dir %s: %s", srv.appenddirname,
                strerror(errno));
        A.last_rewrite_ok = 0;
        return -1;
    }
    /* Everything logged so far goes to the old file; the child's base
     * covers it, the new incr file gets what follows. */
    A.selected_db = -1;
    aof_flush(1);
    if (open_new_incr() < 0) {
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
    A.child_start_s = now_s();
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
    manifest *tmp = manifest_dup(A.man);
    const char *base = manifest_new_base(tmp);
    aof_path(basepath, sizeof(basepath), base);
    if (rename(tmpfile, basepath) == -1) {
        log_msg(LOG_WARNING, "Error trying to rename the temporary AOF base file %s into %s: %s",
                tmpfile, basepath, strerror(errno));
        manifest_free(tmp);
        return -1;
    }
    log_msg(LOG_NOTICE, "Successfully renamed the temporary AOF base file %s into %s", tmpfile,
            base);
    if (A.state == AOF_WAIT_REWRITE && A.fd >= 0) {
        char tname[512], tpath[1024];
        temp_incr_name(tname, sizeof(tname));
        aof_path(tpath, sizeof(tpath), tname);
        const char *incr = manifest_new_incr(tmp);
        aof_path(incrpath, sizeof(incrpath), incr);
        if (rename(tpath, incrpath) == -1) {
            log_msg(LOG_WARNING, "Error trying to rename the temporary AOF incr file %s into %s: "
                    "%s", tpath, incrpath, strerror(errno));
            bio_submit(JOB_UNLINK, -1, basepath);
            manifest_free(tmp);
            return -1;
        }
        log_msg(LOG_NOTICE, "Successfully renamed the temporary AOF incr file %s into %s", tname,
                incr);
    }
    manifest_incr_to_history(tmp, A.fd >= 0);
    if (manifest_persist(tmp) < 0) {
        bio_submit(JOB_UNLINK, -1, basepath);
        if (incrpath[0])
            bio_submit(JOB_UNLINK, -1, incrpath);
        manifest_free(tmp);
        return -1;
    }
    manifest_replace(tmp);
    if (A.fd >= 0) {
        A.current_size = file_size(basepath, NULL) + A.incr_size;
        A.base_size = A.current_size;
    }
    delete_history_files();
    if (A.state == AOF_WAIT_REWRITE && A.fd >= 0)
        A.state = AOF_ON;
    return 0;
}

static void child_done(int exitcode, int bysignal)
{
    int type = A.child_type;
    char bg[64], fg[64];
    temp_rewrite_names(A.child_pid, bg, fg, sizeof(bg));
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
            srv.lastsave = now_s();
            srv.dirty_before_bgsave = A.child_dirty;
            A.rdb_saves++;
            log_msg(LOG_NOTICE, "Background saving terminated with success");
        }
        if (ok || !killed)
            A.last_bgsave_ok = ok;
        A.bgsave_time_last = now_s() - A.child_start_s;
    } else {
        A.rewrite_time_last = now_s() - A.child_start_s;
    }
    remove_temp_files(A.child_pid);
    if (!ok && A.state == AOF_WAIT_REWRITE) {
        if (A.fd >= 0)
            bio_submit(JOB_FSYNC_CLOSE, A.fd, NULL);
        A.fd = -1;
        A.len = 0;
        delete_temp_incr();
        A.rewrite_scheduled = 1;
    }
    A.child_pid = 0;
    A.child_type = CHILD_NONE;
    A.child_start_s = 0;
}

static void reap_child(void)
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
static int rewrite_sync(void)
{
    char bg[64], fg[64];
    if (A.child_pid)
        kill_child();
    if (make_dir(srv.appenddirname) == -1) {
        log_msg(LOG_WARNING, "Can't open or create append-only dir %s: %s", srv.appenddirname,
                strerror(errno));
        return -1;
    }
    if (A.state == AOF_ON)
        aof_flush(1);
    temp_rewrite_names(getpid(), bg, fg, sizeof(bg));
    if (rewrite_to_file(fg) < 0)
        return -1;
    if (A.state == AOF_WAIT_REWRITE) {
        /* The base covers everything: go straight to ON. */
        A.state = AOF_ON;
        if (A.fd >= 0) {
            bio_submit(JOB_FSYNC_CLOSE, A.fd, NULL);
            A.fd = -1;
            delete_temp_incr();
        }
        A.len = 0;
    }
    int was_logging = A.state == AOF_ON;
    if (was_logging && open_new_incr() < 0) {
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

/* ---- loading ---- */

typedef struct loader {
    int fd;
    const char *name;
    char *buf;
    size_t cap, len, pos; /* buf[pos..len) not yet parsed */
    long long base_off;   /* file offset of buf[0] */
    long long size;       /* file size */
    int eof;
    long long ncmds;
    /* result of the last parse */
    const char *err;      /* format error reason */
    char errbuf[128];
    long long err_off;
} loader;

enum { PARSE_OK, PARSE_INCOMPLETE, PARSE_ERR, PARSE_SKIP };

static int loader_fill(loader *l, size_t need)
{
    if (l->pos) {
        memmove(l->buf, l->buf + l->pos, l->len - l->pos);
        l->len -= l->pos;
        l->base_off += (long long)l->pos;
        l->pos = 0;
    }
    if (need > l->cap) {
        size_t cap = l->cap * 2 > need ? l->cap * 2 : need;
        char *nb = realloc(l->buf, cap);
        if (!nb)
            return -1;
        l->buf = nb;
        l->cap = cap;
    }
    while (l->len < l->cap) {
        ssize_t n = read(l->fd, l->buf + l->len, l->cap - l->len);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        if (n == 0) {
            l->eof = 1;
            break;
        }
        l->len += (size_t)n;
        if (l->len >= need)
            break;
    }
    return 0;
}

static int parse_error(loader *l, size_t at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int parse_error(loader *l, size_t at, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(l->errbuf, sizeof(l->errbuf), fmt, ap);
    va_end(ap);
    l->err = l->errbuf;
    l->err_off = l->base_off + (long long)at;
    return PARSE_ERR;
}

static void describe_byte(char *out, size_t cap, unsigned char ch)
{
    if (isprint(ch))
        snprintf(out, cap, "'%c'", ch);
    else
        snprintf(out, cap, "byte 0x%02x", ch);
}

/* Parse "<prefix><digits>\r\n" at *i.  Returns PARSE_OK with *out set,
 * PARSE_INCOMPLETE if the buffer ends first, or PARSE_ERR. */
static int parse_count(loader *l, size_t *i, char prefix, long long *out)
{
    const char *b = l->buf;
    size_t p = *i, start = *i;
    char what[16];
    if (p >= l->len)
        return PARSE_INCOMPLETE;
    if (b[p] != prefix) {
        describe_byte(what, sizeof(what), (unsigned char)b[p]);
        return parse_error(l, p, "expected '%c', got %s", prefix, what);
    }
    p++;
    long long v = 0;
    int digits = 0;
    while (p < l->len && b[p] >= '0' && b[p] <= '9') {
        if (v > (LLONG_MAX - 9) / 10)
            return parse_error(l, start, "%s length out of range",
                               prefix == '*' ? "multibulk" : "bulk");
        v = v * 10 + (b[p] - '0');
        p++;
        digits++;
    }
    if (p + 1 >= l->len)
        return PARSE_INCOMPLETE;
    if (!digits || b[p] != '\r' || b[p + 1] != '\n')
        return parse_error(l, start, "invalid %s length", prefix == '*' ? "multibulk" : "bulk");
    *out = v;
    *i = p + 2;
    return PARSE_OK;
}

/* Parse one command (or skip one '#' annotation) at l->pos into argv.
 * The buffer must hold it entirely: PARSE_INCOMPLETE asks for more. */
static int parse_command(loader *l, arg **argv, int *argv_cap, int *argc, size_t *need)
{
    size_t i = l->pos;
    const char *b = l->buf;
    long long remaining = l->size - (l->base_off + (long long)l->pos);
    *need = 0;
    if (i >= l->len)
        return PARSE_INCOMPLETE;
    if (b[i] == '#') {
        const char *nl = memchr(b + i, '\n', l->len - i);
        if (!nl)
            return PARSE_INCOMPLETE;
        l->pos = (size_t)(nl - b) + 1;
        return PARSE_SKIP;
    }
    long long n;
    int r = parse_count(l, &i, '*', &n);
    if (r != PARSE_OK)
        return r;
    if (n < 1)
        return parse_error(l, l->pos, "invalid multibulk length");
    /* Each argument takes at least 6 bytes ("$0\r\n\r\n"). */
    if (n > remaining / 6)
        return PARSE_INCOMPLETE;
    if (n > *argv_cap) {
        *argv_cap = (int)n;
        *argv = ds_realloc(*argv, sizeof(arg) * (size_t)n);
    }
    for (long long j = 0; j < n; j++) {
        long long len;
        size_t at = i;
        r = parse_count(l, &i, '$', &len);
        if (r != PARSE_OK)
            return r;
        if (len > remaining)
            return PARSE_INCOMPLETE;
        if (i + (size_t)len + 2 > l->len) {
            *need = i + (size_t)len + 2 - l->pos;
            return PARSE_INCOMPLETE;
        }
        if (b[i + len] != '\r' || b[i + len + 1] != '\n')
            return parse_error(l, at, "bulk of %lld bytes not followed by CRLF", len);
        (*argv)[j].p = b + i;
        (*argv)[j].len = (size_t)len;
        i += (size_t)len + 2;
    }
    *argc = (int)n;
    l->pos = i;
    return PARSE_OK;
}

static client *fake_client_new(void)
{
    client *c = conn_create_fake(srv.net);
    c->db = &srv.dbs[0];
    c->db_id = 0;
    c->resp = 2;
    return c;
}

static void fake_client_free(client *c)
{
    c->argc = 0;
    if (c->flags & CLIENT_MULTI) {
        multi_discard(c);
        c->flags &= ~CLIENT_MULTI;
    }
    conn_free(c);
}

/* Run one loaded command like Redis's AOF loading: no stats, no
 * propagation, MULTI blocks queued until their EXEC. */
static void run_loaded(client *c, command *cmd)
{
    static unsigned ncalls;
    int prop_base = srv.nprop, saved = srv.prop_override;
    srv.prop_override = 0;
    if ((ncalls++ & 1023) == 0)
        srv.cmd_time_ms = el_wall_ms(); /* the clock is costly here; only EXEC reads it */
    c->cmd = cmd;
    c->last_cmd_name = cmd->fullname;
    if ((c->flags & CLIENT_MULTI) && strcmp(cmd->name, "exec") != 0) {
        multi_queue(c, cmd);
    } else {
        srv.current_client = c;
        cmd->proc(c);
        srv.current_client = NULL;
    }
    for (int i = prop_base; i < srv.nprop; i++)
        ds_free(srv.prop[i].argv);
    srv.nprop = prop_base;
    srv.prop_override = saved;
    if (c->flags & CLIENT_BLOCKED)
        blocked_unblock(c, 0);
    /* Replies to the fake client are dropped, but keep it tidy. */
    c->bufpos = 0;
}

/* At start-up, answer clients now and then (-LOADING, INFO ...) like
 * Redis's processEventsWhileBlocked: the dataset is not theirs yet. */
static void serve_clients_while_loading(const loader *l)
{
    static uint64_t last;
    if (A.inited != 1)
        return; /* DEBUG LOADAOF runs inside a command: no re-entry */
    uint64_t now = el_mono_us();
    if (now - last < 100000)
        return;
    last = now;
    for (int i = 0; i < 4; i++)
        if (el_process(srv.loop, 0) <= 0)
            break;
    conn_flush_pending(srv.net);
    A.loading_loaded_bytes = A.loading_done_bytes + l->base_off + (long long)l->pos;
}

static const char *fix_hint(void)
{
    return "make a backup of your AOF file, then use ./sluice-check-aof --fix "
           "<filename.manifest>";
}

static int arity_ok(const command *cmd, int argc)
{
    return cmd->arity > 0 ? argc == cmd->arity : argc >= -cmd->arity;
}

/* The body of load_one(): parse and run every command.  Returns LOAD_OK,
 * LOAD_TRUNCATED (with *valid_up_to) or LOAD_FAILED (message logged). */
static int load_loop(loader *l, client *c, long long *valid_up_to)
{
    long long before_multi = 0;
    int argc = 0;
    for (;;) {
        size_t need = 0;
        int r = parse_command(l, &c->argv, &c->argv_cap, &argc, &need);
        if (r == PARSE_SKIP)
            continue;
        if (r == PARSE_INCOMPLETE) {
            if (l->eof && l->pos >= l->len)
                break; /* clean end of file */
            if (l->eof)
                goto truncated;
            if (need == 0 && l->pos == 0 && l->len == l->cap)
                need = l->cap * 2; /* one command bigger than the buffer */
            if (loader_fill(l, need) < 0) {
                log_msg(LOG_WARNING, "Unrecoverable error reading the append only file %s: %s",
                        l->name, strerror(errno));
                return LOAD_FAILED;
            }
            continue;
        }
        if (r == PARSE_ERR) {
            log_msg(LOG_WARNING, "Bad file format reading the append only file %s at offset "
                    "%lld (%s): %s", l->name, l->err_off, l->err, fix_hint());
            return LOAD_FAILED;
        }
        long long cmd_off = l->base_off + (long long)l->pos;
        c->argc = argc;
        command *cmd = lookup_command(c->argv, argc);
        if (!cmd) {
            log_msg(LOG_WARNING, "Unknown command '%.*s' reading the append only file %s",
                    (int)(c->argv[0].len > 128 ? 128 : c->argv[0].len), c->argv[0].p, l->name);
            return LOAD_FAILED;
        }
        if (!arity_ok(cmd, argc)) {
            log_msg(LOG_WARNING, "Bad file format reading the append only file %s at offset "
                    "%lld (wrong number of arguments for '%s' command): %s", l->name,
                    *valid_up_to, cmd->fullname, fix_hint());
            return LOAD_FAILED;
        }
        if (strcmp(cmd->name, "multi") == 0)
            before_multi = *valid_up_to;
        run_loaded(c, cmd);
        c->argc = 0;
        *valid_up_to = cmd_off;
        if ((++l->ncmds & 1023) == 0)
            serve_clients_while_loading(l);
        delay_us(aof_cfg.key_load_delay);
    }
    if (c->flags & CLIENT_MULTI) {
        log_msg(LOG_WARNING, "Revert incomplete MULTI/EXEC transaction in AOF file %s", l->name);
        *valid_up_to = before_multi;
        multi_discard(c);
        c->flags &= ~CLIENT_MULTI;
        return LOAD_TRUNCATED;
    }
    return LOAD_OK;
truncated:
    if (c->flags & CLIENT_MULTI) {
        *valid_up_to = before_multi;
        multi_discard(c);
        c->flags &= ~CLIENT_MULTI;
    }
    return LOAD_TRUNCATED;
}

/* Load one file of the manifest. */
static int load_one(const char *name, int last_file)
{
    char path[1024];
    struct stat st;
    aof_path(path, sizeof(path), name);
    int fd = open(path, O_RDONLY);
    if (fd < 0) {
        if (errno == ENOENT) {
            log_msg(LOG_WARNING, "The append log file %s doesn't exist: %s", name,
                    strerror(errno));
            return LOAD_NOT_EXIST;
        }
        log_msg(LOG_WARNING, "Fatal error: can't open the append log file %s for reading: %s",
                name, strerror(errno));
        return LOAD_OPEN_ERR;
    }
    if (fstat(fd, &st) == 0 && st.st_size == 0) {
        close(fd);
        return LOAD_EMPTY;
    }
    loader l = {.fd = fd, .name = name, .cap = 1024 * 1024, .size = (long long)st.st_size};
    l.buf = malloc(l.cap);
    if (!l.buf) {
        close(fd);
        return LOAD_FAILED;
    }
    if (loader_fill(&l, 0) == 0 && l.len >= 5 && memcmp(l.buf, "REDIS", 5) == 0) {
        log_msg(LOG_WARNING, "The AOF file %s starts with an RDB preamble: Sluice only reads "
                "AOF files in RESP form (aof-use-rdb-preamble is not supported)", name);
        free(l.buf);
        close(fd);
        return LOAD_FAILED;
    }
    client *c = fake_client_new();
    client *old = srv.current_client;
    long long valid_up_to = 0;
    int r = load_loop(&l, c, &valid_up_to);
    fake_client_free(c);
    srv.current_client = old;
    A.loading_done_bytes += l.size;
    A.loading_loaded_bytes = A.loading_done_bytes;
    free(l.buf);
    close(fd);
    if (r != LOAD_TRUNCATED)
        return r;
    if (!last_file) {
        log_msg(LOG_WARNING, "Unexpected end of file reading the append only file %s at offset "
                "%lld", name, l.size);
        log_msg(LOG_WARNING, "Fatal error: the truncated file is not the last file");
        return LOAD_FAILED;
    }
    if (aof_cfg.load_truncated) {
        log_msg(LOG_WARNING, "!!! Warning: short read while loading the AOF file %s!!!", name);
        log_msg(LOG_WARNING, "!!! Truncating the AOF %s at offset %llu !!!", name,
                (unsigned long long)valid_up_to);
        if (truncate(path, valid_up_to) == -1) {
            log_msg(LOG_WARNING, "Error truncating the AOF file %s: %s", name, strerror(errno));
        } else {
            log_msg(LOG_WARNING, "AOF %s loaded anyway because aof-load-truncated is enabled",
                    name);
            return LOAD_TRUNCATED;
        }
    }
    log_msg(LOG_WARNING, "Unexpected end of file reading the append only file %s. You can: "
            "1) Make a backup of your AOF file, then use ./sluice-check-aof --fix "
            "<filename.manifest>. 2) Alternatively you can set the 'aof-load-truncated' "
            "configuration option to yes and restart the server.", name);
    return LOAD_FAILED;
}

static int load_timed(const char *name, int last_file, const char *kind)
{
    uint64_t t0 = el_mono_us();
    int r = load_one(name, last_file);
    if (r == LOAD_OK || r == LOAD_TRUNCATED)
        log_msg(LOG_NOTICE, "DB loaded from %s file %s: %.3f seconds", kind, name,
                (double)(el_mono_us() - t0) / 1e6);
    return r;
}

/* Base then incr files.  Returns a LOAD_ result for the whole set. */
static int load_all(manifest *m)
{
    char path[1024];
    int total = (m->base.name ? 1 : 0) + m->incr.n, done = 0;
    long long size = 0, base_size = 0;
    if (!total)
        return LOAD_NOT_EXIST;
    for (int i = -1; i < m->incr.n; i++) {
        const char *name = i < 0 ? m->base.name : m->incr.v[i].name;
        int exists;
        if (!name)
            continue;
        aof_path(path, sizeof(path), name);
        long long sz = file_size(path, &exists);
        if (!exists) {
            log_msg(LOG_WARNING, "Unable to obtain the AOF file %s length. stat: %s", name,
                    strerror(errno));
            return LOAD_FAILED;
        }
        if (i < 0)
            base_size = sz;
        size += sz;
    }
    if (size == 0)
        return LOAD_EMPTY;
    srv.loading = 1;
    A.loading_start_s = now_s();
    A.loading_total_bytes = size;
    A.loading_loaded_bytes = A.loading_done_bytes = 0;
    int r = LOAD_OK;
    if (m->base.name) {
        r = load_timed(m->base.name, ++done == total, "base");
        if (r == LOAD_EMPTY)
            r = LOAD_OK;
    }
    for (int i = 0; i < m->incr.n && (r == LOAD_OK || r == LOAD_TRUNCATED); i++) {
        r = load_timed(m->incr.v[i].name, ++done == total, "incr");
        if (r == LOAD_EMPTY)
            r = LOAD_OK;
    }
    srv.loading = 0;
    if (r == LOAD_NOT_EXIST)
        r = LOAD_FAILED;
    if (r == LOAD_OK || r == LOAD_TRUNCATED) {
        A.current_size = size;
        A.base_size = base_size;
    }
    return r;
}

/* Redis < 7 kept one appendonly.aof in dir: adopt it as the base. */
static void upgrade_old_style(void)
{
    char path[1024];
    manifest *m = A.man;
    if (access(srv.appendfilename, F_OK) != 0)
        return;
    aof_path(path, sizeof(path), srv.appendfilename);
    int empty = !m->base.name && !m->incr.n;
    int only_old = m->base.name && !m->incr.n &&
                   strcmp(m->base.name, srv.appendfilename) == 0 && access(path, F_OK) != 0;
    if (dir_exists(srv.appenddirname) && !empty && !only_old)
        return;
    if (make_dir(srv.appenddirname) == -1) {
        log_msg(LOG_WARNING, "Can't open or create append-only dir %s: %s", srv.appenddirname,
                strerror(errno));
        exit(1);
    }
    ds_free(m->base.name);
    m->base = (aof_file){ds_strdup(srv.appendfilename), 1, 'b'};
    m->base_seq = 1;
    m->dirty = 1;
    if (manifest_persist(m) < 0)
        exit(1);
    if (rename(srv.appendfilename, path) == -1) {
        log_msg(LOG_WARNING, "Error trying to move the old AOF file %s into dir %s: %s",
                srv.appendfilename, srv.appenddirname, strerror(errno));
        exit(1);
    }
    log_msg(LOG_NOTICE, "Successfully migrated an old-style AOF file (%s) into the AOF "
            "directory (%s).", srv.appendfilename, srv.appenddirname);
}

/* appendonly yes at start: make sure a base exists, open the last incr. */
static void open_at_startup(void)
{
    char path[1024];
    if (make_dir(srv.appenddirname) == -1) {
        log_msg(LOG_WARNING, "Can't open or create append-only dir %s: %s", srv.appenddirname,
                strerror(errno));
        exit(1);
    }
    int had_incr = A.man->incr.n > 0;
    if (!A.man->base.name && !had_incr) {
        char bg[64], fg[64];
        temp_rewrite_names(getpid(), bg, fg, sizeof(bg));
        const char *base = manifest_new_base(A.man);
        aof_path(path, sizeof(path), base);
        if (rewrite_to_file(fg) < 0 || rename(fg, path) == -1)
            exit(1);
        log_msg(LOG_NOTICE, "Creating AOF base file %s on server start", base);
        A.base_size = A.current_size = file_size(path, NULL);
    }
    const char *incr = manifest_last_incr(A.man);
    aof_path(path, sizeof(path), incr);
    A.fd = open(path, O_WRONLY | O_APPEND | O_CREAT, 0644);
    if (A.fd < 0) {
        log_msg(LOG_WARNING, "Can't open the append-only file %s: %s", incr, strerror(errno));
        exit(1);
    }
    if (manifest_persist(A.man) < 0)
        exit(1);
    A.incr_size = A.fsynced_size = file_size(path, NULL);
    if (!had_incr)
        A.current_size += A.incr_size;
    log_msg(LOG_NOTICE, "%s AOF incr file %s on server start", had_incr ? "Opening" : "Creating",
            incr);
}

void aof_load_at_startup(void)
{
    if (A.fd >= 0) { /* called again (fuzzing): start from scratch */
        close(A.fd);
        A.fd = -1;
    }
    A.len = 0;
    A.selected_db = -1;
    manifest_load_from_disk();
    upgrade_old_style();
    A.state = srv.aof_enabled ? AOF_ON : AOF_OFF;
    uint64_t t0 = el_mono_us();
    int r = load_all(A.man);
    if (r == LOAD_FAILED || r == LOAD_OPEN_ERR)
        exit(1);
    if (r != LOAD_NOT_EXIST)
        log_msg(LOG_NOTICE, "DB loaded from append only file: %.3f seconds",
                (double)(el_mono_us() - t0) / 1e6);
    A.loaded_keys = db_total_keys();
    if (A.state == AOF_ON)
        open_at_startup();
    srv.dirty_before_bgsave = srv.dirty;
    srv.lastsave = now_s();
    A.inited = 2; /* CONFIG SET may switch logging from now on */
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
            kill_child();
        }
        if (start_child(CHILD_REWRITE) < 0) {
            A.state = AOF_OFF;
            log_msg(LOG_WARNING, "Sluice needs to enable the AOF but can't trigger a background "
                    "AOF rewrite operation. Check the above logs for more info about the error.");
            return -1;
        }
    }
    A.last_fsync_s = now_s();
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
        kill_child();
    if (was_waiting)
        delete_temp_incr();
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
        delete_history_files();
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
        if (now_s() < A.limit_next_s)
            return 1;
        A.limit_next_s = 0;
        return 0;
    }
    A.limit_delay_min = A.limit_delay_min ? A.limit_delay_min * 2 : 1;
    if (A.limit_delay_min > REWRITE_LIMIT_MAX_MINUTES)
        A.limit_delay_min = REWRITE_LIMIT_MAX_MINUTES;
    A.limit_next_s = now_s() + A.limit_delay_min * 60LL;
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
    start_child(CHILD_REWRITE);
}

static long long aof_cron(el *l, el_timer *t, void *ud)
{
    (void)l;
    (void)t;
    (void)ud;
    reap_child();
    if (srv.loading)
        return 100;
    if (!A.child_pid && !srv.in_exec) {
        if (A.rewrite_scheduled && !rewrite_limited())
            start_child(CHILD_REWRITE);
        else if (A.bgsave_scheduled)
            start_child(CHILD_BGSAVE);
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
        kill_child();
    }
    if (A.state == AOF_WAIT_REWRITE) {
        log_msg(LOG_WARNING, "Writing initial AOF before exiting.");
        rewrite_sync();
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
    long long t = now_s();
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
    long long t = now_s();
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
    long long elapsed = now_s() - A.loading_start_s;
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
    if (save && rewrite_sync() < 0) {
        reply_error(c, "-ERR");
        return -1;
    }
    if (flush)
        empty_data();
    int r = load_all(A.man);
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
    manifest_load_from_disk();
    delete_history_files();
    int r = load_all(A.man);
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
    } else if (start_child(CHILD_REWRITE) == 0) {
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
    if (rewrite_sync() < 0) {
        A.last_bgsave_ok = 0;
        reply_error(c, "-ERR");
        return;
    }
    srv.lastsave = now_s();
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
    } else if (start_child(CHILD_BGSAVE) == 0) {
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
