/* aof_int.h - private to the AOF module: what aof.c, aof_manifest.c,
 * aof_rewrite.c and aof_load.c share (the module's state, the manifest
 * types, the functions one file calls in another).  Nothing outside those
 * four files includes it; the rest of the server sees aof.h only.
 *
 * The state is one struct, `aof_state`, that the module's code calls A. */
#ifndef SLUICE_AOF_INT_H
#define SLUICE_AOF_INT_H
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "aof.h"

enum { AOF_OFF = 0, AOF_ON = 1, AOF_WAIT_REWRITE = 2 };
enum { CHILD_NONE = 0, CHILD_REWRITE = 1, CHILD_BGSAVE = 2 };
/* Results of loading one file. */
enum { LOAD_OK, LOAD_NOT_EXIST, LOAD_EMPTY, LOAD_OPEN_ERR, LOAD_FAILED, LOAD_TRUNCATED };

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

struct aof_state {
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
};
/* Defined in aof.c.  The module's code calls it A (its name when the module
 * was one file and A was static); the macro is safe because only the four
 * AOF files include this header. */
extern struct aof_state aof_state;
#define A aof_state

/* ---- aof.c ---- */

long long aof_now_s(void);
void aof_path(char *out, size_t cap, const char *name);
ssize_t aof_write_all(int fd, const char *p, size_t len);
int aof_make_dir(const char *dir);
long long aof_file_size(const char *path, int *exists);
/* Jobs of the background fsync / close / unlink thread (aof_bio_submit). */
enum { JOB_FSYNC, JOB_FSYNC_CLOSE, JOB_UNLINK };
void aof_bio_submit(int kind, int fd, const char *path);
size_t aof_put_head(char *p, char c, long long n);
void aof_flush(int force);
int aof_open_new_incr(void);

/* ---- aof_manifest.c ---- */

void aof_manifest_free(manifest *m);
manifest *aof_manifest_dup(const manifest *o);
void aof_manifest_replace(manifest *m);
int aof_manifest_persist(manifest *m);
const char *aof_manifest_new_base(manifest *m);
const char *aof_manifest_new_incr(manifest *m);
const char *aof_manifest_last_incr(manifest *m);
void aof_manifest_incr_to_history(manifest *m, int keep_last);
void aof_temp_incr_name(char *out, size_t cap);
int aof_dir_exists(const char *p);
void aof_manifest_load_from_disk(void);
int aof_delete_history_files(void);

/* ---- aof_rewrite.c ---- */

void aof_delay_us(long long us);
int aof_rewrite_to_file(const char *tmpfile);
void aof_temp_rewrite_names(pid_t pid, char *bg, char *fg, size_t cap);
void aof_delete_temp_incr(void);
void aof_kill_child(void);
int aof_start_child(int type);
void aof_reap_child(void);
int aof_rewrite_sync(void);

/* ---- aof_load.c ---- */

int aof_load_all(manifest *m);

#endif
