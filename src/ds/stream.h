/* stream.h - the stream type: an append-only log of entries with 128-bit
 * IDs, plus consumer groups with their pending entries lists (PELs).
 *
 * Entries live in packed nodes kept in an array sorted by each node's
 * first ID (see stream.c for the byte layout).  Appends go to the tail node
 * until it is full (node_max_bytes / node_max_entries, passed in by the
 * caller exactly as Redis's stream-node-max-bytes / -entries are applied);
 * XDEL marks a tombstone; trimming frees whole nodes from the head or marks
 * tombstones inside the head node.  Nodes with no live entry left after an
 * XDEL are freed.
 *
 * Stream-level counters follow Redis 7.0 exactly (they are observable in
 * XINFO and drive the consumer-group lag): length, last_id, first_id (the
 * recorded first live entry, refreshed on the same events as Redis),
 * max_deleted_id and entries_added.
 *
 * Groups and consumers are kept in arrays sorted by name (byte order,
 * shorter first on a common prefix), the order XINFO lists them in.  Each
 * pending entry has exactly one NACK, stored inline in the group PEL (an
 * idtree); each consumer PEL is a key-only idtree of the IDs it owns, so
 * the NACK is shared by both maps.  NACK pointers are valid until the next
 * change to the group PEL (insert or remove).
 *
 * Nothing here knows about clients or time: callers pass "now" in ms. */
#ifndef DS_STREAM_H
#define DS_STREAM_H
#include <stddef.h>
#include <stdint.h>

#include "idtree.h"
#include "str.h"

#define STREAM_ID_STR_MAX 44 /* "ms-seq" text, NUL included */
#define STREAM_ENTRIES_READ_INVALID (-1)
#define STREAM_MAX_ELEMENTS_BYTES (1u << 30) /* per entry, like Redis */

typedef struct stream_node stream_node;

typedef struct stream_ref {
    stream_id first; /* ID of the node's first entry (live or not) */
    stream_node *node;
} stream_ref;

typedef struct stream_consumer stream_consumer;

typedef struct stream_nack {
    int64_t delivery_time; /* ms */
    uint64_t delivery_count;
    stream_consumer *consumer; /* NULL only transiently (XCLAIM FORCE) */
} stream_nack;

struct stream_consumer {
    str name;
    int64_t seen_time; /* ms */
    idtree *pel;       /* key-only: the pending IDs this consumer owns */
};

typedef struct stream_group {
    str name;
    stream_id last_id;           /* last delivered ID */
    int64_t entries_read;        /* logical read counter, or -1 when unknown */
    idtree *pel;                 /* ID -> stream_nack */
    stream_consumer **consumers; /* sorted by name */
    size_t nconsumers, capconsumers;
} stream_group;

typedef struct stream {
    stream_ref *refs; /* live refs are refs[head .. head + nnodes) */
    size_t head, nnodes, caprefs;
    uint64_t length;
    stream_id last_id;
    stream_id first_id;
    stream_id max_deleted_id;
    uint64_t entries_added;
    stream_group **groups; /* sorted by name */
    size_t ngroups, capgroups;
    size_t node_bytes; /* allocator bytes of all nodes */
    /* Redis-listpack-equivalent size of the tail node, for the
     * node_max_bytes rule (see stream.c). */
    const stream_node *lp_node;
    uint64_t lp_fixed, lp_body;
} stream;

typedef struct stream_str {
    const char *p;
    size_t len;
} stream_str;

/* ---- IDs --------------------------------------------------------------- */

int stream_id_incr(stream_id *id); /* 0, or -1 when it wrapped to 0-0 */
int stream_id_decr(stream_id *id); /* 0, or -1 when it wrapped to max */
/* Writes "ms-seq" with a NUL; returns the length. buf >= STREAM_ID_STR_MAX */
size_t stream_id_fmt(char *buf, stream_id id);
/* Parse "ms", "ms-seq", "-", "+", and "ms-*" when seq_given is non-NULL.
 * strict: refuse "-" and "+".  missing_seq fills the seq of "ms".
 * Returns 0 or -1 (invalid). */
int stream_id_parse(const char *p, size_t len, stream_id *out, uint64_t missing_seq, int strict,
                    int *seq_given);

/* ---- the stream ------------------------------------------------------- */

stream *stream_new(void);
void stream_free(stream *s);
stream *stream_dup(const stream *s);
size_t stream_mem(const stream *s);

/* ID for a new entry.  explicit_id: use `given` (seq_given says whether
 * its seq was given or is "ms-*").  Otherwise derived from now_ms.
 * Returns 0, -1 if the ID would not be greater than last_id, or -2 for
 * "ms-*" when last_id is ms-18446744073709551615 (no sequence left). */
int stream_next_id(const stream *s, int explicit_id, stream_id given, int seq_given,
                   uint64_t now_ms, stream_id *out);
/* Append an entry whose ID is > last_id.  fv holds nfields field/value
 * pairs (2 * nfields strings); their total size must be at most
 * STREAM_MAX_ELEMENTS_BYTES.  max_bytes 0 = no byte limit (1 GiB), max
 * entries 0 = no count limit. */
void stream_append(stream *s, stream_id id, const stream_str *fv, size_t nfields,
                   uint64_t max_bytes, uint64_t max_entries);

/* XDEL: delete the given IDs; updates first_id and max_deleted_id as Redis
 * does.  Returns the number of entries deleted. */
size_t stream_xdel(stream *s, const stream_id *ids, size_t n);
/* Delete one live entry (no first_id / max_deleted_id bookkeeping). */
int stream_delete(stream *s, stream_id id);

enum { STREAM_TRIM_NONE, STREAM_TRIM_MAXLEN, STREAM_TRIM_MINID };
/* Redis's streamTrim.  limit 0 = unlimited.  Returns entries deleted. */
int64_t stream_trim(stream *s, int strategy, uint64_t maxlen, stream_id minid, int approx,
                    int64_t limit);

/* First / last live entry (0 if the stream is empty). */
int stream_first_live(const stream *s, stream_id *id);
int stream_last_live(const stream *s, stream_id *id);
/* First entry including tombstones (Redis's edge ID without skipping);
 * UINT64_MAX-UINT64_MAX when there is none. */
stream_id stream_first_any(const stream *s);
int stream_entry_exists(const stream *s, stream_id id);

/* ---- iteration -------------------------------------------------------- */

#define STREAM_ITER_INLINE 128

typedef struct stream_rev_ent {
    stream_id id;
    uint32_t off; /* offset of the entry's header byte in the node data */
    uint32_t flags;
} stream_rev_ent;

typedef struct stream_iter {
    const stream *s;
    stream_id start, end;
    int rev;
    int skip_tombstones;
    int done;
    int loaded;
    size_t ni; /* node index, relative to s->head */
    const unsigned char *data, *data_end, *p;
    stream_id prev;
    uint64_t mcount;
    const unsigned char *mfields;
    /* current entry */
    int same;
    const unsigned char *fp, *mp;
    /* reverse: the current node's entries decoded front to back */
    stream_rev_ent *rv;
    size_t rn, ri, rvcap;
    stream_rev_ent rv_inline[STREAM_ITER_INLINE];
} stream_iter;

/* Entries with start <= id <= end, forward or reverse. */
void stream_iter_init(stream_iter *it, const stream *s, stream_id start, stream_id end, int rev);
/* Next live entry: its ID and number of field/value pairs; 0 at the end. */
int stream_iter_next(stream_iter *it, stream_id *id, uint64_t *nfields);
/* One field/value pair of the current entry, in order. */
void stream_iter_field(stream_iter *it, const char **f, size_t *flen, const char **v, size_t *vlen);
void stream_iter_done(stream_iter *it);

/* ---- consumer groups ---------------------------------------------------- */

stream_group *stream_group_find(const stream *s, const char *name, size_t len);
/* NULL if a group with that name exists. */
stream_group *stream_group_create(stream *s, const char *name, size_t len, stream_id last_id,
                                  int64_t entries_read);
int stream_group_destroy(stream *s, const char *name, size_t len); /* 1 / 0 */

stream_consumer *stream_consumer_find(const stream_group *g, const char *name, size_t len);
/* NULL if it exists. */
stream_consumer *stream_consumer_create(stream_group *g, const char *name, size_t len,
                                        int64_t now_ms);
/* Delete a consumer and its pending entries; returns how many it had. */
size_t stream_consumer_delete(stream_group *g, stream_consumer *c);

/* Record the delivery of id to c: a new NACK (count 1, time now), or the
 * existing one moved to c with count reset to 1 (after XGROUP SETID). */
stream_nack *stream_pel_deliver(stream_group *g, stream_consumer *c, stream_id id, int64_t now_ms);
stream_nack *stream_pel_find(const stream_group *g, stream_id id);
/* Create a NACK with no owner (XCLAIM FORCE): count 1, time now. */
stream_nack *stream_pel_create(stream_group *g, stream_id id, int64_t now_ms);
/* Give the NACK of id to c (moves it between consumer PELs). */
void stream_pel_set_owner(stream_group *g, stream_nack *n, stream_id id, stream_consumer *c);
/* Remove id from the group PEL and its owner's PEL. 1 / 0. */
int stream_pel_ack(stream_group *g, stream_id id);

/* ---- lag and read counters (Redis 7.0 semantics) ------------------------ */

int stream_range_has_tombstones(const stream *s, const stream_id *start, const stream_id *end);
int64_t stream_estimate_distance(const stream *s, stream_id id);
/* 1 and *lag when the lag is known, 0 when it is not (reply null). */
int stream_group_lag(const stream *s, const stream_group *g, int64_t *lag);
/* The group read id (delivered in order): update last_id, entries_read. */
void stream_group_advance(const stream *s, stream_group *g, stream_id id);

/* Check internal invariants (tests). 0 or a negative code. */
int stream_verify(const stream *s);

#endif
