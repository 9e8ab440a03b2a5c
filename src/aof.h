/* aof.h - the append-only file: Sluice's only persistence.
 *
 * Multi-part AOF laid out exactly like Redis 7.0 in `dir`/`appenddirname`:
 *
 *     appendonly.aof.3.base.aof     snapshot (RESP commands) of the dataset
 *     appendonly.aof.7.incr.aof     commands since that snapshot (0..n files)
 *     appendonly.aof.manifest       "file <name> seq <n> type b|h|i" lines
 *
 * The manifest is replaced atomically (temp file, fsync, rename, fsync dir).
 * Bases are always RESP: aof-use-rdb-preamble is accepted and ignored.
 *
 * Life of a write: call() -> propagate_hook (aof_feed: RESP appended to an
 * in-memory buffer, SELECT when the db changes) -> before_sleep hook
 * (aof_before_sleep: one write(2) per loop turn; fdatasync under
 * `appendfsync always` before any reply of that turn leaves) -> replies.
 *
 * SAVE, BGSAVE, BGREWRITEAOF, DEBUG RELOAD and the automatic rewrite all
 * produce a new base: a forked child (or the server itself, for SAVE and
 * DEBUG RELOAD) writes the dataset as commands, the parent logs new writes
 * into a fresh incr file, then the manifest is swapped and old files go. */
#ifndef SLUICE_AOF_H
#define SLUICE_AOF_H
#include <stddef.h>

#include "ds/str.h"

struct client;

/* Parameters config.c points at (the persistence ones Redis has). */
struct aof_config {
    int rewrite_perc;           /* auto-aof-rewrite-percentage, 0 = off */
    long long rewrite_min_size; /* auto-aof-rewrite-min-size, bytes */
    int load_truncated;         /* aof-load-truncated */
    int use_rdb_preamble;       /* aof-use-rdb-preamble: accepted, ignored */
    int timestamp_enabled;      /* aof-timestamp-enabled: "#TS:" lines */
    int rewrite_incremental_fsync; /* fsync the new base every 4 MiB */
    int no_fsync_on_rewrite;    /* no-appendfsync-on-rewrite */
    int disable_auto_gc;        /* aof-disable-auto-gc: keep history files */
    long long key_save_delay;   /* rdb-key-save-delay: µs slept per key by
                                   the rewrite child (tests) */
    long long key_load_delay;   /* key-load-delay: µs slept per loaded
                                   command (tests) */
};
extern struct aof_config aof_cfg;

/* Called once from server_init(): hooks, cron timer, fsync thread. */
void aof_init(void);
/* Start-up: read the manifest and load base + incr files, then open the
 * incr file for appending.  Exits with a message on corruption. */
void aof_load_at_startup(void);
/* config.c `.apply` for appendonly / appendfsync: start or stop logging. */
void aof_config_apply(void);
/* config.c `.apply` for aof-disable-auto-gc: deletes history files when
 * garbage collection is switched back on. */
void aof_gc_apply(void);

/* NULL when writes may proceed; otherwise Redis's "-MISCONF Errors
 * writing to the AOF file: <strerror>" (static storage). */
const char *aof_write_error(void);

/* INFO (cmd/info.c calls it): append to s the lines of part 0: aof_enabled
 * .. aof_last_cow_size; 1: aof_current_size .. aof_delayed_fsync (only
 * with appendonly yes); 2: rdb_changes_since_last_save ..
 * rdb_last_load_keys_loaded; 3: latest_fork_usec and total_forks. */
str aof_info_append(str s, int part);
int aof_child_active(void);

/* DEBUG RELOAD (cmd/debug.c): write a new base synchronously (if save),
 * empty every db (if flush) and load the AOF back.  DEBUG LOADAOF: write
 * the AOF buffer, empty every db and load the AOF back.  0: done, the
 * caller replies +OK; -1: an error was replied.  A load failure exits
 * like Redis.  Both keep the DEBUG command itself out of the AOF. */
int aof_debug_reload(struct client *c, int flush, int save);
int aof_debug_loadaof(struct client *c);

/* Writer handed to obj_type_ops.aof_rewrite: emit commands that rebuild a
 * value, e.g. for a set: aof_rw_array(w, 3); aof_rw_bulk(w, "SADD", 4);
 * aof_rw_bulk(w, key, klen); aof_rw_bulk(w, member, mlen).  Errors are
 * sticky in the writer; the functions return 0 ok, -1 after an error. */
typedef struct aof_writer aof_writer;
int aof_rw_array(aof_writer *w, long long n);
int aof_rw_bulk(aof_writer *w, const void *p, size_t len);
int aof_rw_bulk_ll(aof_writer *w, long long v);
/* Batch size for variadic commands (RPUSH, SADD, ...), like Redis. */
#define AOF_REWRITE_ITEMS_PER_CMD 64

#endif
