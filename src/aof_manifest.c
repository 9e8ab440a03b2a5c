/* aof_manifest.c - the manifest of the multi-part AOF (see aof.h for the
 * layout): the in-memory lists of base, history and incr files, formatting
 * and parsing the manifest, writing it atomically, naming new base, incr
 * and temp files, and deleting history files.
 *
 * Changes are made on a copy (aof_manifest_dup) that replaces A.man
 * (aof_manifest_replace) only once it is persisted (aof_manifest_persist).
 * Parsing is strict like Redis: a bad manifest stops the server. */
#include "aof_int.h"

#include "ds/alloc.h"
#include "log.h"
#include "server.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define BASE_SUFFIX ".base"
#define INCR_SUFFIX ".incr"
#define AOF_SUFFIX ".aof"
#define MANIFEST_SUFFIX ".manifest"
#define TEMP_PREFIX "temp-"
#define MANIFEST_MAX_LINE 1024

/* ---- manifest ---- */

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

void aof_manifest_free(manifest *m)
{
    if (!m)
        return;
    ds_free(m->base.name);
    list_free(&m->incr);
    list_free(&m->hist);
    ds_free(m);
}

manifest *aof_manifest_dup(const manifest *o)
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

void aof_manifest_replace(manifest *m)
{
    aof_manifest_free(A.man);
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
    if (aof_write_all(fd, text, len) != (ssize_t)len) {
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

int aof_manifest_persist(manifest *m)
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
const char *aof_manifest_new_base(manifest *m)
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

const char *aof_manifest_new_incr(manifest *m)
{
    char name[512];
    snprintf(name, sizeof(name), "%s.%lld%s%s", srv.appendfilename, ++m->incr_seq, INCR_SUFFIX,
             AOF_SUFFIX);
    list_push(&m->incr, name, m->incr_seq, 'i', 0);
    m->dirty = 1;
    return m->incr.v[m->incr.n - 1].name;
}

const char *aof_manifest_last_incr(manifest *m)
{
    if (!m->incr.n)
        return aof_manifest_new_incr(m);
    return m->incr.v[m->incr.n - 1].name;
}

/* After a rewrite: every incr file but the open one (if logging) is
 * covered by the new base and becomes history. */
void aof_manifest_incr_to_history(manifest *m, int keep_last)
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

void aof_temp_incr_name(char *out, size_t cap)
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

int aof_dir_exists(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

void aof_manifest_load_from_disk(void)
{
    char name[300], path[1024];
    aof_manifest_replace(manifest_new());
    if (!aof_dir_exists(srv.appenddirname)) {
        log_msg(LOG_DEBUG, "The AOF directory %s doesn't exist", srv.appenddirname);
        return;
    }
    manifest_name(name, sizeof(name), 0);
    aof_path(path, sizeof(path), name);
    if (access(path, F_OK) != 0) {
        log_msg(LOG_DEBUG, "The AOF manifest file %s doesn't exist", name);
        return;
    }
    aof_manifest_replace(manifest_load_file(path));
}

/* Delete history files (in the background) and forget them. */
int aof_delete_history_files(void)
{
    if (!A.man || !A.man->hist.n || aof_cfg.disable_auto_gc)
        return 0;
    for (int i = 0; i < A.man->hist.n; i++) {
        char path[1024];
        log_msg(LOG_NOTICE, "Removing the history file %s in the background",
                A.man->hist.v[i].name);
        aof_path(path, sizeof(path), A.man->hist.v[i].name);
        aof_bio_submit(JOB_UNLINK, -1, path);
    }
    list_free(&A.man->hist);
    A.man->dirty = 1;
    return aof_manifest_persist(A.man);
}
