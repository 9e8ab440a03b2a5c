/* idtree.h - an ordered map keyed by 128-bit stream IDs (a B+tree).
 *
 * Used for the pending entries lists (PELs) of consumer groups: the group
 * PEL maps an entry ID to its NACK record stored inline in the tree, and
 * each consumer's PEL is a key-only tree (value size 0) that names the
 * entries the consumer owns; the NACK itself lives once, in the group tree.
 *
 * Values are fixed-size byte blocks stored inline in the leaves (vsize
 * bytes each, a multiple of 8 or 0).  A pointer returned by find/insert
 * or an iterator stays valid only until the next insert or remove on the
 * same tree: copy what you need, or look the key up again.
 *
 * Shape: leaves hold up to a fixed number of (key, value) pairs in key
 * order and are chained both ways for iteration; inner nodes hold child
 * pointers and separator keys (sep[i] is the smallest key of child[i+1]).
 * Appends at the right edge split "right-heavy" (the old leaf stays full),
 * so a PEL filled in ID order uses ~100% of its leaves.  Removal frees
 * empty nodes and merges small neighbours; there is no borrowing. */
#ifndef DS_IDTREE_H
#define DS_IDTREE_H
#include <stddef.h>
#include <stdint.h>

typedef struct stream_id {
    uint64_t ms;
    uint64_t seq;
} stream_id;

static inline int stream_id_cmp(stream_id a, stream_id b)
{
    if (a.ms != b.ms)
        return a.ms < b.ms ? -1 : 1;
    if (a.seq != b.seq)
        return a.seq < b.seq ? -1 : 1;
    return 0;
}

typedef struct idtree idtree;

typedef struct idtree_iter {
    const idtree *t;
    void *leaf; /* current leaf, NULL at the end */
    int pos;    /* index in leaf */
} idtree_iter;

enum { IDT_FIRST, IDT_LAST, IDT_GE, IDT_GT, IDT_LE, IDT_LT };

idtree *idtree_new(size_t vsize);
void idtree_free(idtree *t);
size_t idtree_size(const idtree *t);
size_t idtree_mem(const idtree *t); /* allocator bytes, tree included */

/* Value slot of id, or NULL.  For vsize 0 a non-NULL dummy pointer. */
void *idtree_find(const idtree *t, stream_id id);
/* Find or insert id; returns its value slot (zero-filled when new). */
void *idtree_insert(idtree *t, stream_id id, int *existed);
/* Remove id; copies the value to out (if non-NULL). 1 removed, 0 absent. */
int idtree_remove(idtree *t, stream_id id, void *out);
/* Smallest / largest key; 0 if empty. */
int idtree_first(const idtree *t, stream_id *id);
int idtree_last(const idtree *t, stream_id *id);

/* Position the iterator (key ignored for IDT_FIRST / IDT_LAST).  Then
 * idtree_next() returns the element at the position and moves forward,
 * idtree_prev() returns it and moves backward; both return 0 at the end. */
void idtree_seek(idtree_iter *it, const idtree *t, int op, stream_id key);
int idtree_next(idtree_iter *it, stream_id *id, void **val);
int idtree_prev(idtree_iter *it, stream_id *id, void **val);

/* Check every invariant; 0 if fine, else a negative code (tests). */
int idtree_verify(const idtree *t);

#endif
