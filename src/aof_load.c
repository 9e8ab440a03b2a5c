/* aof_load.c - loading the AOF: at start-up (aof_load_at_startup: read the
 * manifest, adopt a Redis < 7 appendonly.aof, load base + incr files, open
 * the incr file for appending) and for DEBUG RELOAD / LOADAOF
 * (aof_load_all).
 *
 * Loading parses files in place from a large buffer and runs each
 * command's handler directly (no call(): no stats, no propagation),
 * answering other clients with -LOADING every 1024 commands at start-up.
 * The AOF directory is also loaded with `appendonly no` (it is then a
 * snapshot, like a dump.rdb: SAVE / BGSAVE write it, nothing logs into
 * it). */
#include "aof_int.h"

#include "blocked.h"
#include "ds/alloc.h"
#include "log.h"
#include "multi.h"
#include "server.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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
        aof_delay_us(aof_cfg.key_load_delay);
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
int aof_load_all(manifest *m)
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
        long long sz = aof_file_size(path, &exists);
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
    A.loading_start_s = aof_now_s();
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
    if (aof_dir_exists(srv.appenddirname) && !empty && !only_old)
        return;
    if (aof_make_dir(srv.appenddirname) == -1) {
        log_msg(LOG_WARNING, "Can't open or create append-only dir %s: %s", srv.appenddirname,
                strerror(errno));
        exit(1);
    }
    ds_free(m->base.name);
    m->base = (aof_file){ds_strdup(srv.appendfilename), 1, 'b'};
    m->base_seq = 1;
    m->dirty = 1;
    if (aof_manifest_persist(m) < 0)
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
    if (aof_make_dir(srv.appenddirname) == -1) {
        log_msg(LOG_WARNING, "Can't open or create append-only dir %s: %s", srv.appenddirname,
                strerror(errno));
        exit(1);
    }
    int had_incr = A.man->incr.n > 0;
    if (!A.man->base.name && !had_incr) {
        char bg[64], fg[64];
        aof_temp_rewrite_names(getpid(), bg, fg, sizeof(bg));
        const char *base = aof_manifest_new_base(A.man);
        aof_path(path, sizeof(path), base);
        if (aof_rewrite_to_file(fg) < 0 || rename(fg, path) == -1)
            exit(1);
        log_msg(LOG_NOTICE, "Creating AOF base file %s on server start", base);
        A.base_size = A.current_size = aof_file_size(path, NULL);
    }
    const char *incr = aof_manifest_last_incr(A.man);
    aof_path(path, sizeof(path), incr);
    A.fd = open(path, O_WRONLY | O_APPEND | O_CREAT, 0644);
    if (A.fd < 0) {
        log_msg(LOG_WARNING, "Can't open the append-only file %s: %s", incr, strerror(errno));
        exit(1);
    }
    if (aof_manifest_persist(A.man) < 0)
        exit(1);
    A.incr_size = A.fsynced_size = aof_file_size(path, NULL);
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
    aof_manifest_load_from_disk();
    upgrade_old_style();
    A.state = srv.aof_enabled ? AOF_ON : AOF_OFF;
    uint64_t t0 = el_mono_us();
    int r = aof_load_all(A.man);
    if (r == LOAD_FAILED || r == LOAD_OPEN_ERR)
        exit(1);
    if (r != LOAD_NOT_EXIST)
        log_msg(LOG_NOTICE, "DB loaded from append only file: %.3f seconds",
                (double)(el_mono_us() - t0) / 1e6);
    A.loaded_keys = db_total_keys();
    if (A.state == AOF_ON)
        open_at_startup();
    srv.dirty_before_bgsave = srv.dirty;
    srv.lastsave = aof_now_s();
    A.inited = 2; /* CONFIG SET may switch logging from now on */
}
