/* sluice-check-aof - check (and --fix) Sluice's append-only files, like
 * redis-check-aof.
 *
 *   sluice-check-aof [--fix|--truncate-to-timestamp <ts>] <file.manifest|file.aof|dir>
 *
 * A manifest (or a directory holding one) is checked file by file: base,
 * then incr files, in manifest order.  Each file must be a sequence of
 * RESP commands ("*<argc>\r\n" then argc "$<len>\r\n<bytes>\r\n") and
 * "#..." annotation lines, with MULTI/EXEC balanced.  The first problem
 * ends the check of that file; everything before the last complete
 * command (or the MULTI that opened an unfinished transaction) is the
 * valid part.  --fix truncates the file there, after asking, and only for
 * the last file of a manifest (cutting an earlier file would drop the
 * commands of the files after it on the floor).  --truncate-to-timestamp
 * cuts the last file at the first "#TS:" annotation later than <ts>.
 *
 * Exit status: 0 when everything is valid (or was fixed), 1 otherwise.
 * Self-contained: it shares no code with the server. */
#include <ctype.h>
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <dirent.h>
#include <unistd.h>

#define MANIFEST_MAX_LINE 1024
#define MAX_FILES 4096

enum { CHECK_OK, CHECK_EMPTY, CHECK_TRUNCATED, CHECK_TS_TRUNCATED };

static char error_msg[1100];
static long long error_pos;
static long long line_no = 1;
static long long to_timestamp;

static void set_error(long long pos, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void set_error(long long pos, const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    error_pos = pos;
    snprintf(error_msg, sizeof(error_msg), "0x%16llx: %s", pos, buf);
}

static int consume_newline(FILE *fp, const char *p, long long pos)
{
    (void)fp;
    if (p[0] != '\r' || p[1] != '\n') {
        set_error(pos, "Expected \\r\\n, got: %02x%02x", (unsigned char)p[0],
                  (unsigned char)p[1]);
        return 0;
    }
    line_no++;
    return 1;
}

/* "<prefix><number>\r\n" */
static int read_long(FILE *fp, char prefix, long *out)
{
    char buf[128], *end;
    long long pos = ftello(fp);
    if (!fgets(buf, sizeof(buf), fp))
        return 0;
    if (buf[0] != prefix) {
        set_error(pos, "Expected prefix '%c', got: '%c'", prefix, buf[0]);
        return 0;
    }
    *out = strtol(buf + 1, &end, 10);
    return consume_newline(fp, end, pos);
}

/* A bulk of len bytes and its CRLF; the first `keep` bytes go to out. */
static int read_bulk(FILE *fp, long len, char *out, size_t keep)
{
    static char chunk[65536];
    long long pos = ftello(fp);
    long total = len + 2, done = 0;
    size_t kept = 0;
    char tail[2] = {0, 0};
    while (done < total) {
        size_t want = total - done > (long)sizeof(chunk) ? sizeof(chunk) : (size_t)(total - done);
        size_t got = fread(chunk, 1, want, fp);
        for (size_t i = 0; i < got && kept < keep && done + (long)i < len; i++)
            out[kept++] = chunk[i];
        for (size_t i = 0; i < got; i++) {
            long at = done + (long)i;
            if (at >= len)
                tail[at - len] = chunk[i];
        }
        done += (long)got;
        if (got < want) {
            set_error(pos, "Expected to read %ld bytes, got %ld bytes", total, done);
            return 0;
        }
    }
    if (out)
        out[kept] = '\0';
    return consume_newline(fp, tail, pos);
}

static int process_resp(FILE *fp, const char *filename, int *multi)
{
    long argc;
    char name[16];
    long long start = ftello(fp);
    if (!read_long(fp, '*', &argc))
        return 0;
    if (argc < 1) {
        set_error(start, "Invalid number of arguments: %ld", argc);
        return 0;
    }
    for (long i = 0; i < argc; i++) {
        long len;
        long long pos = ftello(fp);
        if (!read_long(fp, '$', &len))
            return 0;
        if (len < 0 || len > LONG_MAX - 2) {
            set_error(pos, "Expected to read string of %ld bytes, which is not in the suitable "
                      "range", len);
            return 0;
        }
        if (!read_bulk(fp, len, i == 0 ? name : NULL, i == 0 ? sizeof(name) - 1 : 0))
            return 0;
        if (i == 0 && len == 5 && strcasecmp(name, "multi") == 0) {
            if ((*multi)++) {
                set_error(start, "Unexpected MULTI in AOF %s", filename);
                return 0;
            }
        } else if (i == 0 && len == 4 && strcasecmp(name, "exec") == 0) {
            if (--(*multi)) {
                set_error(start, "Unexpected EXEC in AOF %s", filename);
                return 0;
            }
        }
    }
    return 1;
}

/* 1 to go on, 0 when the file was cut at a timestamp. */
static int process_annotation(FILE *fp, const char *filename, int last_file)
{
    char buf[1024];
    long long pos = ftello(fp);
    if (!fgets(buf, sizeof(buf), fp)) {
        printf("Failed to read annotations from AOF %s, aborting...\n", filename);
        exit(1);
    }
    line_no++;
    if (!to_timestamp || strncmp(buf, "#TS:", 4) != 0)
        return 1;
    char *end;
    errno = 0;
    long long ts = strtoll(buf + 4, &end, 10);
    if (errno || *end != '\r') {
        printf("Invalid timestamp annotation\n");
        exit(1);
    }
    if (ts <= to_timestamp)
        return 1;
    if (pos == 0) {
        printf("AOF %s has nothing before timestamp %lld, aborting...\n", filename,
               to_timestamp);
        exit(1);
    }
    if (!last_file) {
        printf("Failed to truncate AOF %s to timestamp %lld to offset %lld because it is not "
               "the last file.\n", filename, to_timestamp, pos);
        exit(1);
    }
    if (ftruncate(fileno(fp), pos) == -1) {
        printf("Failed to truncate AOF %s to timestamp %lld\n", filename, to_timestamp);
        exit(1);
    }
    return 0;
}

static int confirm(void)
{
    char buf[8];
    printf("Continue? [y/N]: ");
    fflush(stdout);
    if (!fgets(buf, sizeof(buf), stdin) || strncasecmp(buf, "y", 1) != 0) {
        printf("Aborting...\n");
        return 0;
    }
    return 1;
}

static int check_file(const char *name, const char *path, int last_file, int fix)
{
    long long pos = 0;
    int multi = 0, ch;
    error_msg[0] = '\0';
    line_no = 1;
    FILE *fp = fopen(path, "r+");
    if (!fp) {
        printf("Cannot open file %s: %s, aborting...\n", path, strerror(errno));
        exit(1);
    }
    struct stat st;
    if (fstat(fileno(fp), &st) == -1) {
        printf("Cannot stat file: %s, aborting...\n", name);
        exit(1);
    }
    long long size = (long long)st.st_size;
    if (size == 0) {
        fclose(fp);
        return CHECK_EMPTY;
    }
    if (size >= 5) {
        char sig[5];
        if (fread(sig, 1, 5, fp) == 5 && memcmp(sig, "REDIS", 5) == 0) {
            printf("AOF %s starts with an RDB preamble, which Sluice does not use, "
                   "aborting...\n", name);
            exit(1);
        }
        rewind(fp);
    }
    for (;;) {
        if (!multi)
            pos = ftello(fp);
        ch = fgetc(fp);
        if (ch == EOF)
            break;
        ungetc(ch, fp);
        if (ch == '#') {
            if (!process_annotation(fp, path, last_file)) {
                fclose(fp);
                return CHECK_TS_TRUNCATED;
            }
        } else if (ch == '*') {
            if (!process_resp(fp, path, &multi))
                break;
        } else {
            set_error(ftello(fp), "Expected prefix '*', got: '%c'", ch);
            printf("AOF %s format error\n", name);
            break;
        }
    }
    if (feof(fp) && multi && !error_msg[0])
        set_error(ftello(fp), "Reached EOF before reading EXEC for MULTI");
    if (error_msg[0])
        printf("%s\n", error_msg);
    long long diff = size - pos;
    if (diff == 0 && to_timestamp) {
        printf("Truncate nothing in AOF %s to timestamp %lld\n", name, to_timestamp);
        fclose(fp);
        return CHECK_OK;
    }
    printf("AOF analyzed: filename=%s, size=%lld, ok_up_to=%lld, ok_up_to_line=%lld, "
           "diff=%lld\n", name, size, pos, line_no, diff);
    if (diff > 0) {
        if (!fix) {
            printf("AOF %s is not valid. Use the --fix option to try fixing it.\n", name);
            exit(1);
        }
        if (!last_file) {
            printf("Failed to truncate AOF %s because it is not the last file\n", name);
            exit(1);
        }
        printf("This will shrink the AOF %s from %lld bytes, with %lld bytes, to %lld bytes\n",
               name, size, diff, pos);
        if (!confirm())
            exit(1);
        if (ftruncate(fileno(fp), pos) == -1) {
            printf("Failed to truncate AOF %s\n", name);
            exit(1);
        }
        fclose(fp);
        return CHECK_TRUNCATED;
    }
    fclose(fp);
    return CHECK_OK;
}

static void report(const char *kind, const char *name, int r)
{
    const char *k = kind ? kind : "";
    const char *sp = kind ? " " : "";
    if (r == CHECK_OK)
        printf("%s%sAOF %s is valid\n", k, sp, name);
    else if (r == CHECK_EMPTY)
        printf("%s%sAOF %s is empty\n", k, sp, name);
    else if (r == CHECK_TS_TRUNCATED)
        printf("Successfully truncated AOF %s to timestamp %lld\n", name, to_timestamp);
    else
        printf("Successfully truncated AOF %s\n", name);
}

/* ---- manifest ---- */

typedef struct entry {
    char name[MANIFEST_MAX_LINE + 1];
    long long seq;
    char type;
} entry;

static void manifest_fatal(int lineno, const char *line, const char *err)
{
    printf("\n*** FATAL AOF MANIFEST FILE ERROR ***\n");
    if (line) {
        printf("Reading the manifest file, at line %d\n", lineno);
        printf(">>> '%s'\n", line);
    }
    printf("%s\n", err);
    exit(1);
}

static int split_words(const char *s, char words[][MANIFEST_MAX_LINE + 1], int max)
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
                char c = *s++;
                if (q == '"' && c == '\\' && *s) {
                    char e = *s++;
                    if (e == 'x' && isxdigit((unsigned char)s[0]) &&
                        isxdigit((unsigned char)s[1])) {
                        char hex[3] = {s[0], s[1], 0};
                        c = (char)strtol(hex, NULL, 16);
                        s += 2;
                    } else {
                        c = e == 'n' ? '\n' : e == 'r' ? '\r' : e == 't' ? '\t' : e;
                    }
                }
                w[wl++] = c;
            }
            if (*s != q)
                return -1;
            s++;
        } else {
            while (*s && !isspace((unsigned char)*s))
                w[wl++] = *s++;
        }
        w[wl] = '\0';
        n++;
    }
}

/* Fills base (type 0 if none) and incr; exits on a malformed manifest. */
static int load_manifest(const char *path, entry *base, entry *incr, int max_incr)
{
    static char words[8][MANIFEST_MAX_LINE + 1];
    char buf[MANIFEST_MAX_LINE + 1];
    int lineno = 0, nincr = 0;
    long long maxseq = 0;
    FILE *fp = fopen(path, "r");
    if (!fp) {
        printf("Fatal error: can't open the AOF manifest file %s for reading: %s\n", path,
               strerror(errno));
        exit(1);
    }
    base->type = 0;
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
        buf[strcspn(buf, "\r\n")] = '\0';
        int argc = split_words(buf, words, 8);
        if (argc < 6 || argc % 2)
            manifest_fatal(lineno, buf, "Invalid AOF manifest file format");
        entry e = {.seq = 0, .type = 0};
        e.name[0] = '\0';
        for (int i = 0; i < argc; i += 2) {
            if (strcasecmp(words[i], "file") == 0) {
                snprintf(e.name, sizeof(e.name), "%s", words[i + 1]);
                if (strchr(e.name, '/'))
                    manifest_fatal(lineno, buf, "File can't be a path, just a filename");
            } else if (strcasecmp(words[i], "seq") == 0) {
                e.seq = atoll(words[i + 1]);
            } else if (strcasecmp(words[i], "type") == 0) {
                e.type = words[i + 1][0];
            }
        }
        if (!e.name[0] || !e.seq || !e.type)
            manifest_fatal(lineno, buf, "Invalid AOF manifest file format");
        if (e.type == 'b') {
            if (base->type)
                manifest_fatal(lineno, buf, "Found duplicate base file information");
            *base = e;
        } else if (e.type == 'i') {
            if (e.seq <= maxseq)
                manifest_fatal(lineno, buf, "Found a non-monotonic sequence number");
            if (nincr == max_incr)
                manifest_fatal(lineno, buf, "Too many incr files");
            maxseq = e.seq;
            incr[nincr++] = e;
        } else if (e.type != 'h') {
            manifest_fatal(lineno, buf, "Unknown AOF file type");
        }
    }
    fclose(fp);
    return nincr;
}

static void join_path(char *out, size_t cap, const char *dir, const char *name)
{
    size_t d = strlen(dir), n = strlen(name);
    if (d + n + 2 > cap) {
        printf("Path too long: %s/%s\n", dir, name);
        exit(1);
    }
    memcpy(out, dir, d);
    out[d] = '/';
    memcpy(out + d + 1, name, n + 1);
}

static void check_multi_part(const char *dir, const char *manifest_path, int fix)
{
    static entry incr[MAX_FILES];
    entry base;
    char path[PATH_MAX];
    printf("Start checking Multi Part AOF\n");
    int nincr = load_manifest(manifest_path, &base, incr, MAX_FILES);
    int total = nincr + (base.type ? 1 : 0), done = 0;
    if (base.type) {
        join_path(path, sizeof(path), dir, base.name);
        printf("Start to check BASE AOF (RESP format).\n");
        int r = check_file(base.name, path, ++done == total, fix);
        report("BASE", base.name, r);
    }
    if (nincr)
        printf("Start to check INCR files.\n");
    for (int i = 0; i < nincr; i++) {
        join_path(path, sizeof(path), dir, incr[i].name);
        int r = check_file(incr[i].name, path, ++done == total, fix);
        report("INCR", incr[i].name, r);
    }
    printf("All AOF files and manifest are valid\n");
}

static int is_manifest(const char *path)
{
    char buf[MANIFEST_MAX_LINE + 1];
    int yes = 0;
    FILE *fp = fopen(path, "r");
    if (!fp) {
        printf("Cannot open file %s: %s\n", path, strerror(errno));
        exit(1);
    }
    while (fgets(buf, sizeof(buf), fp)) {
        if (buf[0] == '#')
            continue;
        if (strncmp(buf, "file", 4) == 0)
            yes = 1;
        break;
    }
    fclose(fp);
    return yes;
}

/* A directory: its appendonly.aof.manifest, else its only *.manifest. */
static int find_manifest(const char *dir, char *out, size_t cap)
{
    DIR *d = opendir(dir);
    struct dirent *de;
    int found = 0;
    if (!d)
        return 0;
    while ((de = readdir(d))) {
        size_t n = strlen(de->d_name);
        if (n <= 9 || strcmp(de->d_name + n - 9, ".manifest") != 0 ||
            strncmp(de->d_name, "temp-", 5) == 0)
            continue;
        if (!found || strcmp(de->d_name, "appendonly.aof.manifest") == 0) {
            if ((size_t)snprintf(out, cap, "%.*s/%s", (int)(cap / 2), dir, de->d_name) >= cap)
                continue;
        }
        found++;
    }
    closedir(d);
    if (found > 1 && !strstr(out, "/appendonly.aof.manifest")) {
        printf("More than one manifest file in %s: name the one to check\n", dir);
        exit(1);
    }
    return found > 0;
}

static void usage(const char *prog)
{
    printf("Usage: %s [--fix|--truncate-to-timestamp $timestamp] "
           "<file.manifest|file.aof|dir>\n", prog);
    exit(1);
}

int main(int argc, char **argv)
{
    const char *target;
    int fix = 0;
    char manifest_path[PATH_MAX], tmp[PATH_MAX];
    if (argc == 2) {
        target = argv[1];
    } else if (argc == 3 && strcmp(argv[1], "--fix") == 0) {
        target = argv[2];
        fix = 1;
    } else if (argc == 4 && strcmp(argv[1], "--truncate-to-timestamp") == 0) {
        char *end;
        errno = 0;
        to_timestamp = strtoll(argv[2], &end, 10);
        if (errno || *end) {
            printf("Invalid timestamp, aborting...\n");
            exit(1);
        }
        target = argv[3];
    } else {
        usage(argv[0]);
    }
    struct stat st;
    if (stat(target, &st) == -1) {
        printf("Cannot open file %s: %s\n", target, strerror(errno));
        exit(1);
    }
    if (S_ISDIR(st.st_mode)) {
        if (!find_manifest(target, manifest_path, sizeof(manifest_path))) {
            printf("No manifest file found in %s\n", target);
            exit(1);
        }
        check_multi_part(target, manifest_path, fix);
        return 0;
    }
    snprintf(tmp, sizeof(tmp), "%s", target);
    if (is_manifest(target)) {
        check_multi_part(dirname(tmp), target, fix);
        return 0;
    }
    printf("Start checking Old-Style AOF\n");
    report(NULL, target, check_file(target, target, 1, fix));
    return 0;
}
