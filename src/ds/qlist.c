/* qlist.c - a list as a deque of packed chunks (backs Redis lists).
 *
 * A qlist is a doubly linked list of chunks. Each chunk is ONE allocation: a
 * 24-byte header followed by a buffer holding a run of packed elements. The
 * run may sit anywhere inside the buffer, with free space on either side, so
 * that a push at either end of a chunk writes into free space next to the run
 * instead of moving it:
 *
 *   qlist (32 bytes)
 *   +------+-----+---------+------------------+------+
 *   | head | len | nchunks | packed_threshold | fill |
 *   +------+-----+---------+------------------+------+
 *      |
 *      v          chunk = header (24 bytes) + buf[cap], one allocation
 *   +------+------+-----+-----+-----+-------+------------------------------+
 *   | prev | next | lo  | hi  | cap | count | buf                          |
 *   | ptr  | ptr  | u16 | u16 | u16 | u16   |                              |
 *   +------+------+-----+-----+-----+-------+------------------------------+
 *                                           :                              :
 *   buf:  0          lo                                        hi        cap
 *         | free ... | e[0] | e[1] | ...              | e[count-1] | free |
 *
 *   entry e[i]:  +---------+---------------+------------------+
 *                | len     | len bytes     | len, the same    |
 *                | varint  | of data       | varint reversed  |
 *                +---------+---------------+------------------+
 *
 * varint: 7 bits per byte, lowest group first, high bit set on every byte
 * but the last. The trailing copy holds the same bytes in reverse order, so
 * reading right to left from an entry's end decodes its length and finds its
 * start: that is how iteration walks backwards. Lengths below 128 cost one
 * byte each side, so an 18-byte element takes 20 bytes; below 16384, two.
 *   "hello"        -> 05 68 65 6c 6c 6f 05                 (7 bytes)
 *   200 bytes of x -> c8 01 78 ... 78 01 c8                (204 bytes)
 *
 * Chunk kinds:
 *   packed  cap > 0; header + cap is at most the chunk limit: 4096 << (-fill-1)
 *           bytes for fill -1..-5, 8192 for fill >= 0 (which also limits the
 *           element count to max(fill, 1)). cap <= 65512 fits in u16.
 *   plain   cap == 0, lo == hi == 0, count == 1: one element that reached
 *           packed_threshold or is too big for a packed chunk, encoded as an
 *           entry at buf[0], the allocation sized exactly.
 *
 * Links: next is NULL at the tail; prev is circular (head->prev is the tail),
 * which keeps struct qlist at 32 bytes while the tail stays O(1).
 *
 * Growth: a new chunk is allocated at the allocator size class that fits its
 * first element (a one-element list costs 32 + 32 bytes under jemalloc) and
 * grows geometrically (x2, rounded to a size class) up to the limit, so
 * full chunks are exactly 4/8/.. KiB, one size class. When a chunk must grow
 * or its run must move, the free space is placed where pushes will come:
 * all in front for the head chunk, all behind for the tail chunk, split
 * evenly for a lone or middle chunk. Head pushes therefore cost no memmove
 * except the amortised move when a chunk grows. A chunk whose run drops below
 * a quarter of its buffer is shrunk to twice the run (hysteresis against
 * grow/shrink thrash). Middle inserts/deletes move the shorter side.
 *
 * Invariants (checked by qlist_verify):
 *   - no chunk is empty; sum of counts == len; nchunks == number of chunks;
 *   - packed: lo <= hi <= cap and [lo, hi) parses into exactly count entries,
 *     forwards and backwards;
 *   - a middle insert into a full chunk splits it (the shorter side moves to a
 *     new chunk); a middle delete merges the chunk with its smaller neighbour
 *     when both fit one chunk (as quicklist does), so deletions leave no
 *     trail of tiny chunks: two adjacent packed chunks then hold more than
 *     one chunk's worth of bytes (or of elements, when fill counts them).
 *
 * Cursors (qlist_cursor, in qlist.h) name a gap between elements: (chunk,
 * elements before it, byte offset). Operations that move a run or merge
 * chunks carry a cursor along so an iterator survives deleting under it.
 */
#include "qlist.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"

typedef struct qlist_chunk {
    struct qlist_chunk *prev; /* head's prev is the tail */
    struct qlist_chunk *next; /* NULL at the tail */
    uint16_t lo, hi;          /* the run of entries is buf[lo, hi) */
    uint16_t cap;             /* buffer bytes; 0 marks a plain chunk */
    uint16_t count;           /* entries in the chunk, never 0 */
    unsigned char buf[];
} qchunk;

struct qlist {
    qchunk *head;
    size_t len;
    size_t nchunks;
    uint32_t packed_threshold;
    int32_t fill;
};

#define QL_HDR offsetof(qchunk, buf)
#define QL_FILL_MAX 32767
#define QL_SAFETY_ALLOC 8192 /* chunk limit when fill counts elements */
#define QL_THRESHOLD_MAX (((size_t)1 << 32) - ((size_t)1 << 20))

/* ---- entry encoding --------------------------------------------------- */

static size_t varint_size(size_t n)
{
    size_t s = 1;
    while (n >= 0x80) {
        n >>= 7;
        s++;
    }
    return s;
}

static size_t entry_size(size_t len)
{
    return len + 2 * varint_size(len);
}

/* Write the entry for (p, len) at dst; returns its size. */
static size_t entry_write(unsigned char *dst, const char *p, size_t len)
{
    size_t v = 0, n = len;
    while (n >= 0x80) {
        dst[v++] = (unsigned char)(n | 0x80);
        n >>= 7;
    }
    dst[v++] = (unsigned char)n;
    if (len)
        memcpy(dst + v, p, len);
    for (size_t k = 0; k < v; k++)
        dst[v + len + k] = dst[v - 1 - k];
    return 2 * v + len;
}

/* Decode the varint read in direction dir (+1 forwards from p, -1 backwards
 * from p[-1]); returns its byte count. */
static size_t varint_get(const unsigned char *p, int dir, size_t *out)
{
    size_t n = 0, k = 0;
    unsigned shift = 0;
    unsigned char b;
    do {
        b = dir > 0 ? p[k] : p[-1 - (long)k];
        n |= (size_t)(b & 0x7f) << shift;
        shift += 7;
        k++;
    } while (b & 0x80);
    *out = n;
    return k;
}

static int chunk_is_plain(const qchunk *c)
{
    return c->cap == 0;
}

/* Decode the entry starting at off; returns its total size. */
static size_t entry_read(const qchunk *c, size_t off, qlist_elem *out)
{
    const unsigned char *p = c->buf + off;
    size_t len, v;
    if (p[0] < 0x80) {
        out->p = (const char *)p + 1;
        out->len = p[0];
        return (size_t)p[0] + 2;
    }
    v = varint_get(p, 1, &len);
    out->p = (const char *)p + v;
    out->len = len;
    return len + 2 * v;
}

static size_t entry_size_at(const qchunk *c, size_t off)
{
    qlist_elem e;
    return entry_read(c, off, &e);
}

/* Offset where the entry ending at `end` starts. */
static size_t entry_start_before(const qchunk *c, size_t end)
{
    const unsigned char *e = c->buf + end;
    size_t len, v;
    if (chunk_is_plain(c))
        return 0;
    if (e[-1] < 0x80)
        return end - e[-1] - 2;
    v = varint_get(e, -1, &len);
    return end - len - 2 * v;
}

/* ---- limits and sizes ------------------------------------------------- */

static size_t alloc_limit(const qlist *ql)
{
    return ql->fill < 0 ? (size_t)4096 << (-ql->fill - 1) : QL_SAFETY_ALLOC;
}

static size_t cap_limit(const qlist *ql)
{
    return alloc_limit(ql) - QL_HDR;
}

static size_t count_limit(const qlist *ql)
{
    if (ql->fill < 0)
        return UINT16_MAX;
    return ql->fill > 0 ? (size_t)ql->fill : 1;
}

/* Round an allocation request up to a jemalloc size class: multiples of 16
 * up to 128, then four classes per doubling. Full chunks (powers of two)
 * are classes already. */
static size_t alloc_class(size_t n)
{
    size_t step = 16, top = 128;
    while (n > top) {
        top <<= 1;
        step = top >> 3;
    }
    return (n + step - 1) & ~(step - 1);
}

static int is_large(const qlist *ql, size_t len)
{
    return len >= ql->packed_threshold || entry_size(len) > cap_limit(ql);
}

static size_t chunk_used(const qchunk *c)
{
    return (size_t)(c->hi - c->lo);
}

/* May an entry of esz bytes go into chunk c? */
static int chunk_allows(const qlist *ql, const qchunk *c, size_t esz)
{
    if (chunk_is_plain(c) || c->count >= count_limit(ql))
        return 0;
    return chunk_used(c) + esz <= cap_limit(ql);
}

static qchunk *chunk_prev(const qlist *ql, const qchunk *c)
{
    return c == ql->head ? NULL : c->prev;
}

static qchunk *qlist_tail(const qlist *ql)
{
    return ql->head ? ql->head->prev : NULL;
}

/* ---- cursors ---------------------------------------------------------- */

static void cursor_at_start(qlist_cursor *cur, qchunk *c)
{
    cur->c = c;
    cur->i = 0;
    cur->pos = c ? c->lo : 0;
}

static void cursor_at_end(qlist_cursor *cur, qchunk *c)
{
    cur->c = c;
    cur->i = c ? c->count : 0;
    cur->pos = c ? c->hi : 0;
}

/* Byte offset of entry k of c, walking from the nearer end of the run. */
static size_t chunk_offset_of(const qchunk *c, size_t k)
{
    size_t off;
    if (chunk_is_plain(c))
        return 0;
    if (k <= c->count / 2) {
        for (off = c->lo; k; k--)
            off += entry_size_at(c, off);
    } else {
        for (off = c->hi, k = c->count - k; k; k--)
            off = entry_start_before(c, off);
    }
    return off;
}

/* Turn a Redis index (negative counts from the tail) into 0..len-1. */
static int norm_index(const qlist *ql, long idx, size_t *out)
{
    if (idx < 0) {
        size_t back = (size_t)(-(idx + 1)) + 1;
        if (back > ql->len)
            return -1;
        *out = ql->len - back;
    } else {
        if ((size_t)idx >= ql->len)
            return -1;
        *out = (size_t)idx;
    }
    return 0;
}

/* Cursor just before element idx (< len), walking from the nearer end. */
static void locate(const qlist *ql, size_t idx, qlist_cursor *cur)
{
    qchunk *c;
    if (idx < ql->len / 2) {
        for (c = ql->head; idx >= c->count; c = c->next)
            idx -= c->count;
    } else {
        size_t back = ql->len - idx;
        for (c = qlist_tail(ql); back > c->count; c = c->prev)
            back -= c->count;
        idx = c->count - back;
    }
    cur->c = c;
    cur->i = idx;
    cur->pos = chunk_offset_of(c, idx);
}

/* ---- chunk allocation and links --------------------------------------- */

static qchunk *chunk_alloc(size_t alloc)
{
    qchunk *c = ds_malloc(alloc);
    c->prev = c->next = NULL;
    c->lo = c->hi = 0;
    c->cap = (uint16_t)(alloc - QL_HDR);
    c->count = 0;
    return c;
}

/* Link c before `at` (at == NULL: append at the tail). */
static void chunk_link(qlist *ql, qchunk *c, qchunk *at)
{
    if (!ql->head) {
        c->prev = c;
        c->next = NULL;
        ql->head = c;
    } else if (!at) {
        qchunk *tail = ql->head->prev;
        tail->next = c;
        c->prev = tail;
        c->next = NULL;
        ql->head->prev = c;
    } else {
        c->next = at;
        c->prev = at->prev;
        if (at == ql->head)
            ql->head = c;
        else
            at->prev->next = c;
        at->prev = c;
    }
    ql->nchunks++;
}

static void chunk_unlink(qlist *ql, qchunk *c)
{
    if (c == ql->head) {
        ql->head = c->next;
        if (ql->head)
            ql->head->prev = c->prev;
    } else {
        c->prev->next = c->next;
        if (c->next)
            c->next->prev = c->prev;
        else
            ql->head->prev = c->prev;
    }
    ql->nchunks--;
}

/* n took the place of a chunk that was (was_head, was_lone); n's prev/next
 * fields are the old ones. Point the neighbours at n. */
static void chunk_repoint(qlist *ql, qchunk *n, int was_head, int was_lone)
{
    if (was_lone) {
        n->prev = n;
        ql->head = n;
        return;
    }
    if (was_head)
        ql->head = n;
    else
        n->prev->next = n;
    if (n->next)
        n->next->prev = n;
    else
        ql->head->prev = n;
}

/* Remove chunk c and its elements; a cursor in c moves to the start of the
 * next chunk, else the end of the previous one. */
static void chunk_drop(qlist *ql, qchunk *c, qlist_cursor *cur)
{
    qchunk *next = c->next, *prev = chunk_prev(ql, c);
    chunk_unlink(ql, c);
    ql->len -= c->count;
    if (cur && cur->c == c) {
        if (next)
            cursor_at_start(cur, next);
        else
            cursor_at_end(cur, prev);
    }
    ds_free(c);
}

/* ---- moving runs ------------------------------------------------------ */

/* Where the run should start in a buffer of new_cap bytes once `front` and
 * `back` bytes are reserved around it: spare room goes where pushes come. */
static size_t place_run(const qlist *ql, const qchunk *c, size_t new_cap, size_t front,
                        size_t back)
{
    size_t spare = new_cap - chunk_used(c) - front - back;
    int head = c == ql->head, tail = c->next == NULL;
    if (head && !tail)
        return front + spare;
    if (tail && !head)
        return front;
    return front + spare / 2;
}

/* Give c an allocation of new_alloc bytes with its run at new_lo (in place,
 * by realloc, or by copy). Returns c's new address; cur follows the run. */
static qchunk *chunk_move(qlist *ql, qchunk *c, size_t new_alloc, size_t new_lo,
                          qlist_cursor *cur)
{
    size_t used = chunk_used(c), old_lo = c->lo, new_cap = new_alloc - QL_HDR;
    int cur_here = cur && cur->c == c;
    int was_head = c == ql->head, was_lone = was_head && !c->next;
    qchunk *n = c;

    if (new_cap == c->cap) {
        memmove(c->buf + new_lo, c->buf + old_lo, used);
    } else if (new_lo == old_lo && old_lo + used <= new_cap) {
        n = ds_realloc(c, new_alloc);
        chunk_repoint(ql, n, was_head, was_lone);
    } else {
        n = ds_malloc(new_alloc);
        memcpy(n, c, QL_HDR);
        memcpy(n->buf + new_lo, c->buf + old_lo, used);
        ds_free(c);
        chunk_repoint(ql, n, was_head, was_lone);
    }
    n->cap = (uint16_t)new_cap;
    n->lo = (uint16_t)new_lo;
    n->hi = (uint16_t)(new_lo + used);
    if (cur_here) {
        cur->c = n;
        cur->pos = cur->pos - old_lo + new_lo;
    }
    return n;
}

/* Allocation size for a chunk of `alloc` bytes that must hold need_alloc. */
static size_t grow_alloc(const qlist *ql, size_t alloc, size_t need_alloc)
{
    size_t a = alloc_class(need_alloc > 2 * alloc ? need_alloc : 2 * alloc);
    if (a > alloc_limit(ql))
        a = alloc_limit(ql);
    if (a < need_alloc) /* only if the chunk predates a smaller fill */
        a = alloc_class(need_alloc);
    return a;
}

/* Make sure c has `front` free bytes before its run and `back` after it.
 * Re-centres the run when a quarter of the buffer would stay spare (or the
 * chunk is at its limit), else grows. Callers guarantee the result fits
 * the limit. Returns c's new address; cur follows the run. */
static qchunk *chunk_reserve(qlist *ql, qchunk *c, size_t front, size_t back,
                             qlist_cursor *cur)
{
    size_t need = chunk_used(c) + front + back, alloc = QL_HDR + c->cap;
    size_t new_alloc = alloc;

    if (c->lo >= front && (size_t)(c->cap - c->hi) >= back)
        return c;
    if (need > c->cap || ((c->cap - need) * 4 < c->cap && alloc < alloc_limit(ql)))
        new_alloc = grow_alloc(ql, alloc, QL_HDR + need);
    return chunk_move(ql, c, new_alloc,
                      place_run(ql, c, new_alloc - QL_HDR, front, back), cur);
}

/* Shrink c to twice its run when the run fills less than a quarter. */
static qchunk *chunk_maybe_shrink(qlist *ql, qchunk *c, qlist_cursor *cur)
{
    size_t used = chunk_used(c), alloc = QL_HDR + c->cap, new_alloc;
    if (chunk_is_plain(c) || alloc <= 128 || used * 4 >= c->cap)
        return c;
    new_alloc = alloc_class(QL_HDR + 2 * used);
    if (new_alloc >= alloc)
        return c;
    return chunk_move(ql, c, new_alloc, place_run(ql, c, new_alloc - QL_HDR, 0, 0), cur);
}

/* Open an n-byte gap at entry boundary *off of c, moving the shorter side
 * of the run. Returns c's new address; *off becomes the gap's offset. */
static qchunk *chunk_open_gap(qlist *ql, qchunk *c, size_t *off, size_t n)
{
    size_t before = *off - c->lo, after = c->hi - *off;
    if (c->lo < n && (size_t)(c->cap - c->hi) < n) {
        qlist_cursor at = {c, 0, *off};
        c = chunk_reserve(ql, c, before <= after ? n : 0, before <= after ? 0 : n, &at);
        *off = at.pos;
    }
    if (c->lo >= n && (before <= after || (size_t)(c->cap - c->hi) < n)) {
        memmove(c->buf + c->lo - n, c->buf + c->lo, before);
        c->lo = (uint16_t)(c->lo - n);
        *off -= n;
    } else {
        memmove(c->buf + *off + n, c->buf + *off, after);
        c->hi = (uint16_t)(c->hi + n);
    }
    return c;
}

/* Remove n bytes at off, moving the shorter side; returns the gap offset
 * (where the following entry now starts). */
static size_t chunk_cut(qchunk *c, size_t off, size_t n)
{
    size_t before = off - c->lo, after = c->hi - off - n;
    if (before < after) {
        memmove(c->buf + c->lo + n, c->buf + c->lo, before);
        c->lo = (uint16_t)(c->lo + n);
        return off + n;
    }
    memmove(c->buf + off, c->buf + off + n, after);
    c->hi = (uint16_t)(c->hi - n);
    return off;
}

/* ---- merge and split -------------------------------------------------- */

static int chunks_mergeable(const qlist *ql, const qchunk *a, const qchunk *b)
{
    if (!a || !b || chunk_is_plain(a) || chunk_is_plain(b))
        return 0;
    if (chunk_used(a) + chunk_used(b) > cap_limit(ql))
        return 0;
    return (size_t)a->count + b->count <= count_limit(ql);
}

/* Merge b (== a->next) into a, or a into b, copying the shorter run. */
static void chunk_merge(qlist *ql, qchunk *a, qchunk *b, qlist_cursor *cur)
{
    if (chunk_used(a) >= chunk_used(b)) {
        size_t n = chunk_used(b);
        a = chunk_reserve(ql, a, 0, n, cur);
        memcpy(a->buf + a->hi, b->buf + b->lo, n);
        if (cur && cur->c == b) {
            cur->c = a;
            cur->pos = cur->pos - b->lo + a->hi;
            cur->i += a->count;
        }
        a->hi = (uint16_t)(a->hi + n);
        a->count = (uint16_t)(a->count + b->count);
        chunk_unlink(ql, b);
        ds_free(b);
    } else {
        size_t n = chunk_used(a);
        b = chunk_reserve(ql, b, n, 0, cur);
        memcpy(b->buf + b->lo - n, a->buf + a->lo, n);
        if (cur && cur->c == a) {
            cur->c = b;
            cur->pos = cur->pos - a->lo + b->lo - n;
        } else if (cur && cur->c == b) {
            cur->i += a->count;
        }
        b->lo = (uint16_t)(b->lo - n);
        b->count = (uint16_t)(b->count + a->count);
        chunk_unlink(ql, a);
        ds_free(a);
    }
}

/* After a delete in c: merge it with the smaller neighbour if they fit. */
static void chunk_maybe_merge(qlist *ql, qchunk *c, qlist_cursor *cur)
{
    qchunk *p = chunk_prev(ql, c), *n = c->next;
    int mp = chunks_mergeable(ql, p, c), mn = chunks_mergeable(ql, c, n);
    if (mp && (!mn || chunk_used(p) <= chunk_used(n)))
        chunk_merge(ql, p, c, cur);
    else if (mn)
        chunk_merge(ql, c, n, cur);
}

/* Split c at cursor cur (strictly inside it): the shorter side moves to a
 * new chunk. Sets the chunks now left and right of the cut. */
static void chunk_split(qlist *ql, const qlist_cursor *cur, qchunk **left, qchunk **right)
{
    qchunk *c = cur->c, *n;
    size_t pre = cur->pos - c->lo, post = c->hi - cur->pos;
    int move_pre = pre <= post;
    size_t bytes = move_pre ? pre : post;

    n = chunk_alloc(alloc_class(QL_HDR + bytes));
    memcpy(n->buf, c->buf + (move_pre ? c->lo : cur->pos), bytes);
    n->hi = (uint16_t)bytes;
    n->count = (uint16_t)(move_pre ? cur->i : c->count - cur->i);
    c->count = (uint16_t)(c->count - n->count);
    if (move_pre) {
        c->lo = (uint16_t)cur->pos;
        chunk_link(ql, n, c);
        *left = n;
        *right = c;
    } else {
        c->hi = (uint16_t)cur->pos;
        chunk_link(ql, n, c->next);
        *left = c;
        *right = n;
    }
}

/* ---- inserting and deleting elements ---------------------------------- */

static void chunk_insert_entry(qlist *ql, qchunk *c, size_t off, const char *p, size_t len)
{
    c = chunk_open_gap(ql, c, &off, entry_size(len));
    entry_write(c->buf + off, p, len);
    c->count++;
    ql->len++;
}

/* A new chunk holding just (p, len); its run at the buffer's end if it is
 * about to become the head (head pushes come in front). */
static qchunk *chunk_new_with(qlist *ql, const char *p, size_t len, int large, int at_end)
{
    size_t esz = entry_size(len);
    qchunk *c;
    if (esz > SIZE_MAX - QL_HDR - 64)
        abort(); /* cannot happen: lengths are capped far below */
    if (large) {
        c = chunk_alloc(QL_HDR + esz);
        c->cap = 0;
    } else {
        size_t alloc = alloc_class(QL_HDR + esz);
        c = chunk_alloc(alloc < alloc_limit(ql) ? alloc : alloc_limit(ql));
        c->lo = (uint16_t)(at_end ? c->cap - esz : 0);
        c->hi = (uint16_t)(c->lo + esz);
    }
    entry_write(c->buf + c->lo, p, len);
    c->count = 1;
    return c;
}

/* Insert between adjacent chunks l and r (either may be NULL): at the end
 * of l, else the start of r, else in a new chunk of its own. */
static void insert_between(qlist *ql, qchunk *l, qchunk *r, const char *p, size_t len)
{
    size_t esz = entry_size(len);
    int large = is_large(ql, len);
    qchunk *c;

    if (!large && l && chunk_allows(ql, l, esz)) {
        chunk_insert_entry(ql, l, l->hi, p, len);
    } else if (!large && r && chunk_allows(ql, r, esz)) {
        chunk_insert_entry(ql, r, r->lo, p, len);
    } else {
        c = chunk_new_with(ql, p, len, large, l == NULL);
        chunk_link(ql, c, r);
        ql->len++;
    }
}

/* Insert (p, len) at cursor cur, splitting its chunk if it is full. */
static void insert_at(qlist *ql, const qlist_cursor *cur, const char *p, size_t len)
{
    qchunk *c = cur->c, *l, *r;

    if (!is_large(ql, len) && chunk_allows(ql, c, entry_size(len))) {
        chunk_insert_entry(ql, c, cur->pos, p, len);
        return;
    }
    if (cur->i == 0) {
        l = chunk_prev(ql, c);
        r = c;
    } else if (cur->i >= c->count) {
        l = c;
        r = c->next;
    } else {
        chunk_split(ql, cur, &l, &r);
    }
    insert_between(ql, l, r, p, len);
}

/* Delete the element just after cur; cur stays on the gap it leaves. */
static void delete_at(qlist *ql, qlist_cursor *cur)
{
    qchunk *c = cur->c;
    if (c->count == 1) {
        chunk_drop(ql, c, cur);
        return;
    }
    cur->pos = chunk_cut(c, cur->pos, entry_size_at(c, cur->pos));
    c->count--;
    ql->len--;
    c = chunk_maybe_shrink(ql, c, cur);
    chunk_maybe_merge(ql, c, cur);
}

/* Delete up to max elements after cur within its chunk; returns how many. */
static size_t delete_run(qlist *ql, qlist_cursor *cur, size_t max)
{
    qchunk *c = cur->c;
    size_t k = c->count - cur->i, end = cur->pos;

    if (k > max)
        k = max;
    if (k == c->count) {
        chunk_drop(ql, c, cur);
        return k;
    }
    for (size_t j = 0; j < k; j++)
        end += entry_size_at(c, end);
    cur->pos = chunk_cut(c, cur->pos, end - cur->pos);
    c->count = (uint16_t)(c->count - k);
    ql->len -= k;
    chunk_maybe_shrink(ql, c, cur);
    return k;
}

/* ---- public API ------------------------------------------------------- */

qlist *qlist_new(int fill)
{
    qlist *ql = ds_malloc(sizeof(*ql));
    ql->head = NULL;
    ql->len = 0;
    ql->nchunks = 0;
    ql->packed_threshold = (uint32_t)QLIST_PACKED_THRESHOLD_DEFAULT;
    qlist_set_fill(ql, fill);
    return ql;
}

void qlist_free(qlist *ql)
{
    if (!ql)
        return;
    for (qchunk *c = ql->head, *next; c; c = next) {
        next = c->next;
        ds_free(c);
    }
    ds_free(ql);
}

/* A copy of chunk c (header fields and run; free space left unset). */
static qchunk *chunk_clone(const qchunk *c)
{
    size_t alloc = QL_HDR + (chunk_is_plain(c) ? entry_size_at(c, 0) : c->cap);
    qchunk *n = ds_malloc(alloc);
    memcpy(n, c, QL_HDR);
    if (chunk_is_plain(c))
        memcpy(n->buf, c->buf, alloc - QL_HDR);
    else
        memcpy(n->buf + c->lo, c->buf + c->lo, chunk_used(c));
    return n;
}

qlist *qlist_dup(const qlist *ql)
{
    qlist *d = qlist_new(ql->fill);
    d->packed_threshold = ql->packed_threshold;
    for (const qchunk *c = ql->head; c; c = c->next) {
        chunk_link(d, chunk_clone(c), NULL);
        d->len += c->count;
    }
    return d;
}

void qlist_set_fill(qlist *ql, int fill)
{
    if (fill > QL_FILL_MAX)
        fill = QL_FILL_MAX;
    else if (fill < -5)
        fill = -5;
    ql->fill = fill;
}

int qlist_set_packed_threshold(qlist *ql, size_t bytes)
{
    if (bytes > QL_THRESHOLD_MAX)
        return -1;
    ql->packed_threshold = (uint32_t)(bytes ? bytes : QLIST_PACKED_THRESHOLD_DEFAULT);
    return 0;
}

size_t qlist_len(const qlist *ql)
{
    return ql->len;
}

size_t qlist_mem(const qlist *ql)
{
    size_t total = ds_alloc_size((void *)ql);
    for (qchunk *c = ql->head; c; c = c->next)
        total += ds_alloc_size(c);
    return total;
}

size_t qlist_chunk_count(const qlist *ql)
{
    return ql->nchunks;
}

void qlist_push(qlist *ql, int where, const char *p, size_t len)
{
    if (where == QL_HEAD)
        insert_between(ql, NULL, ql->head, p, len);
    else
        insert_between(ql, qlist_tail(ql), NULL, p, len);
}

int qlist_peek(const qlist *ql, int where, qlist_elem *out)
{
    qchunk *c = where == QL_HEAD ? ql->head : qlist_tail(ql);
    if (!c)
        return -1;
    entry_read(c, where == QL_HEAD ? c->lo : entry_start_before(c, c->hi), out);
    return 0;
}

void qlist_pop(qlist *ql, int where)
{
    qchunk *c = where == QL_HEAD ? ql->head : qlist_tail(ql);
    if (!c)
        return;
    if (c->count == 1) {
        chunk_drop(ql, c, NULL);
        return;
    }
    if (where == QL_HEAD)
        c->lo = (uint16_t)(c->lo + entry_size_at(c, c->lo));
    else
        c->hi = (uint16_t)entry_start_before(c, c->hi);
    c->count--;
    ql->len--;
    chunk_maybe_shrink(ql, c, NULL);
}

int qlist_index(const qlist *ql, long idx, qlist_elem *out)
{
    qlist_cursor cur;
    size_t k;
    if (norm_index(ql, idx, &k))
        return -1;
    locate(ql, k, &cur);
    entry_read(cur.c, cur.pos, out);
    return 0;
}

/* LSET in place when the new entry fits the same packed chunk. */
static int replace_in_place(qlist *ql, qlist_cursor *cur, const char *p, size_t len)
{
    qchunk *c = cur->c;
    size_t old, esz = entry_size(len), off = cur->pos;
    if (chunk_is_plain(c) || is_large(ql, len))
        return -1;
    old = entry_size_at(c, off);
    if (esz > old && chunk_used(c) - old + esz > cap_limit(ql))
        return -1;
    if (esz != old) {
        off = chunk_cut(c, off, old);
        c = chunk_open_gap(ql, c, &off, esz);
    }
    entry_write(c->buf + off, p, len);
    return 0;
}

int qlist_replace(qlist *ql, long idx, const char *p, size_t len)
{
    qlist_cursor cur;
    size_t k;
    if (norm_index(ql, idx, &k))
        return -1;
    locate(ql, k, &cur);
    if (replace_in_place(ql, &cur, p, len) == 0)
        return 0;
    delete_at(ql, &cur);
    if (cur.c)
        insert_at(ql, &cur, p, len);
    else
        qlist_push(ql, QL_TAIL, p, len);
    return 0;
}

size_t qlist_del_range(qlist *ql, long start, long count)
{
    qlist_cursor cur;
    size_t k, left, total;
    if (count <= 0 || norm_index(ql, start, &k))
        return 0;
    left = (size_t)count < ql->len - k ? (size_t)count : ql->len - k;
    total = left;
    locate(ql, k, &cur);
    while (left) {
        if (cur.i >= cur.c->count)
            cursor_at_start(&cur, cur.c->next);
        left -= delete_run(ql, &cur, left);
    }
    if (cur.c)
        chunk_maybe_merge(ql, cur.c, NULL);
    return total;
}

void qlist_iter_init(qlist_iter *it, qlist *ql, long start_idx, int forward)
{
    size_t k;
    it->ql = ql;
    it->forward = forward;
    it->has_last = 0;
    it->cur.c = NULL;
    it->cur.i = it->cur.pos = 0;
    it->last = it->cur;
    if (norm_index(ql, start_idx, &k))
        return;
    locate(ql, k, &it->cur);
    if (!forward) {
        it->cur.pos += entry_size_at(it->cur.c, it->cur.pos);
        it->cur.i++;
    }
}

int qlist_iter_next(qlist_iter *it, qlist_elem *out)
{
    qlist_cursor *cur = &it->cur;
    if (it->forward) {
        while (cur->c && cur->i >= cur->c->count)
            cursor_at_start(cur, cur->c->next);
        if (!cur->c)
            return 0;
        it->last = *cur;
        cur->pos += entry_read(cur->c, cur->pos, out);
        cur->i++;
    } else {
        while (cur->c && cur->i == 0)
            cursor_at_end(cur, chunk_prev(it->ql, cur->c));
        if (!cur->c)
            return 0;
        cur->pos = entry_start_before(cur->c, cur->pos);
        cur->i--;
        it->last = *cur;
        entry_read(cur->c, cur->pos, out);
    }
    it->has_last = 1;
    return 1;
}

void qlist_iter_del(qlist_iter *it)
{
    if (!it->has_last)
        return;
    it->has_last = 0;
    it->cur = it->last;
    delete_at(it->ql, &it->cur);
}

void qlist_iter_insert(qlist_iter *it, int after, const char *p, size_t len)
{
    qlist_cursor cur = it->last;
    if (!it->has_last)
        return;
    if (after) {
        cur.pos += entry_size_at(cur.c, cur.pos);
        cur.i++;
    }
    insert_at(it->ql, &cur, p, len);
    it->has_last = 0;
    it->cur.c = NULL;
}

int qlist_elem_eq(const qlist_elem *e, const char *p, size_t len)
{
    return e->len == len && (len == 0 || memcmp(e->p, p, len) == 0);
}

/* ---- verification ----------------------------------------------------- */

static int chunk_verify(const qlist *ql, const qchunk *c)
{
    size_t off, k;
    if (c->count == 0)
        return -1;
    if (chunk_is_plain(c))
        return c->count == 1 && c->lo == 0 && c->hi == 0 ? 0 : -1;
    if (c->lo > c->hi || c->hi > c->cap || QL_HDR + c->cap > 65536)
        return -1;
    for (off = c->lo, k = 0; off < c->hi; k++)
        off += entry_size_at(c, off);
    if (off != c->hi || k != c->count)
        return -1;
    for (off = c->hi, k = 0; off > c->lo; k++)
        off = entry_start_before(c, off);
    (void)ql;
    return off == c->lo && k == c->count ? 0 : -1;
}

int qlist_verify(const qlist *ql)
{
    size_t len = 0, n = 0;
    const qchunk *c, *prev = NULL;
    if (!ql->head)
        return ql->len == 0 && ql->nchunks == 0 ? 0 : -1;
    for (c = ql->head; c; prev = c, c = c->next) {
        if ((c != ql->head && c->prev != prev) || chunk_verify(ql, c))
            return -1;
        len += c->count;
        n++;
    }
    if (ql->head->prev != prev)
        return -1;
    return len == ql->len && n == ql->nchunks ? 0 : -1;
}
