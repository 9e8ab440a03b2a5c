/* qlist.h - a list as a deque of packed chunks (the value of a Redis list).
 *
 * A qlist holds binary-safe byte strings in a doubly linked list of chunks,
 * each chunk one allocation holding a few KiB of length-prefixed elements.
 * Push and pop at both ends are O(1) amortised; indexing walks chunks from
 * the nearer end. The byte layout is documented at the top of qlist.c.
 *
 * Limits are passed in, never read from globals:
 *   fill  like Redis's list-max-listpack-size. -1..-5: a chunk is at most
 *         4/8/16/32/64 KiB (header included); N > 0: at most N elements per
 *         chunk (and at most 8 KiB). 0 behaves like 1. Clamped to -5..32767.
 *   packed_threshold  elements of at least this many bytes get a chunk of
 *         their own ("plain" chunk), as do elements too big for any chunk.
 *         Default 1 GiB, like Redis.
 *
 * Views (qlist_elem) are borrowed: valid until the next mutation of the list.
 * Allocation goes through ds_malloc/ds_realloc/ds_free (ds/alloc.h).
 */
#ifndef SLUICE_DS_QLIST_H
#define SLUICE_DS_QLIST_H

#include <stddef.h>

typedef struct qlist qlist;
struct qlist_chunk;

/* A borrowed view of one element. */
typedef struct qlist_elem {
    const char *p;
    size_t len;
} qlist_elem;

enum { QL_HEAD = 0, QL_TAIL = 1 };

#define QLIST_FILL_DEFAULT (-2)
#define QLIST_PACKED_THRESHOLD_DEFAULT ((size_t)1 << 30)

/* A position between two elements: `i` elements of chunk `c` lie before it,
 * `pos` is its byte offset inside the chunk. c == NULL means "no element". */
typedef struct qlist_cursor {
    struct qlist_chunk *c;
    size_t i;
    size_t pos;
} qlist_cursor;

/* Iterator. Fields are visible only so it can live on the stack: do not
 * touch them. */
typedef struct qlist_iter {
    qlist *ql;
    qlist_cursor cur;  /* gap before the next element to return */
    qlist_cursor last; /* gap before the element last returned */
    int has_last;
    int forward;
} qlist_iter;

/* Create an empty list with the given fill (see above). Never NULL: the
 * allocator aborts on out-of-memory. */
qlist *qlist_new(int fill);
void qlist_free(qlist *ql);

/* A deep copy with the same fill and threshold (for COPY). */
qlist *qlist_dup(const qlist *ql);

/* Applies to chunks filled from now on; existing chunks are kept. */
void qlist_set_fill(qlist *ql, int fill);

/* 0 restores the default. Returns -1 (and changes nothing) if bytes is so
 * large (above 4 GiB - 1 MiB) that Redis would refuse it, else 0. */
int qlist_set_packed_threshold(qlist *ql, size_t bytes);

size_t qlist_len(const qlist *ql);

/* Bytes allocated for the list (struct, chunk headers, buffers, allocator
 * rounding), for MEMORY USAGE. O(chunks). */
size_t qlist_mem(const qlist *ql);

size_t qlist_chunk_count(const qlist *ql);

/* Add an element at the head (QL_HEAD) or tail (QL_TAIL). The bytes are
 * copied. */
void qlist_push(qlist *ql, int where, const char *p, size_t len);

/* View the element at one end: 0 ok, -1 if the list is empty. */
int qlist_peek(const qlist *ql, int where, qlist_elem *out);

/* Drop the element at one end (no-op if empty). Invalidates views. */
void qlist_pop(qlist *ql, int where);

/* View element idx (negative counts from the tail, -1 is the last).
 * 0 ok, -1 out of range. */
int qlist_index(const qlist *ql, long idx, qlist_elem *out);

/* LSET: replace element idx with a copy of p. 0 ok, -1 out of range. */
int qlist_replace(qlist *ql, long idx, const char *p, size_t len);

/* Delete `count` elements from `start` on (negative start counts from the
 * tail), clamped to the end of the list: Redis quicklistDelRange semantics
 * as used by LTRIM. Returns the number deleted. */
size_t qlist_del_range(qlist *ql, long start, long count);

/* Iterate from element start_idx (negative counts from the tail) towards the
 * tail (forward != 0) or the head. An out-of-range start yields nothing. */
void qlist_iter_init(qlist_iter *it, qlist *ql, long start_idx, int forward);

/* 1 and a view of the next element, or 0 at the end. */
int qlist_iter_next(qlist_iter *it, qlist_elem *out);

/* Delete the element last returned by qlist_iter_next (LREM). Iteration
 * continues with the element that followed it in the iteration direction.
 * No-op if there is no such element (none returned yet, or already deleted). */
void qlist_iter_del(qlist_iter *it);

/* LINSERT: insert a copy of p before (after == 0) or after the element last
 * returned. The iterator is then spent: stop using it. */
void qlist_iter_insert(qlist_iter *it, int after, const char *p, size_t len);

/* 1 if the element equals the len bytes at p. */
int qlist_elem_eq(const qlist_elem *e, const char *p, size_t len);

/* Check every structural invariant (for tests and DEBUG). 0 ok, -1 broken. */
int qlist_verify(const qlist *ql);

#endif
