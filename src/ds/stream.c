/* stream.c - stream entries in packed nodes, consumer groups and PELs.
 *
 * Node layout (one allocation, data[] grows by realloc while the node is
 * the tail and is shrunk to fit when a newer node starts):
 *
 *   +------+-----+------+---------+----------+------+---------------+-------+--
 *   | used | cap | live | deleted | last_off | last | master fields | entry | ..
 *   +------+-----+------+---------+----------+------+---------------+-------+--
 *                                                   ^ data[0]
 *   (a packed 36-byte header; last_off locates the newest entry so the
 *   last live ID is usually known without decoding the node)
 *   master fields:  varint n, then n x (varint len, bytes)
 *                   (the field names of the node's first entry)
 *
 *   entry:  hdr byte = form << 2 | SAMEFIELDS << 1 | DELETED
 *           [id varints]                       only when form == 0
 *           [varint nfields, (field, value)*]  without SAMEFIELDS
 *           [value*]                           with SAMEFIELDS (one a field)
 *           (field and value: varint len, bytes)
 *
 * IDs are delta-encoded against the previous entry of the node (for the
 * first entry, "previous" is first-1, so it always takes form 1):
 *   form 1:      same ms, seq + 1            (a burst within one ms)
 *   form 2..63:  ms + (form - 1), seq 0      (the next millisecond(s))
 *   form 0:      varint dms, varint s;  dms == 0: seq = prev.seq + 1 + s,
 *                otherwise ms = prev.ms + dms, seq = s
 * so the common XADD * entry costs one header byte plus its values.
 * Decoding is always forward; reverse iteration decodes a node front to
 * back into a small array first (a node holds ~100 entries by default).
 *
 * Invariants: refs are sorted by first ID and every node has at least one
 * entry (live or tombstone); node->last is the ID of its last entry;
 * s->length is the sum of live counts.  A node is freed when an XDEL
 * removes its last live entry; a trim inside the head node only marks
 * tombstones (as Redis does, so later node boundaries match Redis's). */
#include "stream.h"

#include "alloc.h"
#include "util.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define F_DELETED 1
#define F_SAME 2
#define FORM_MAX 63
#define LP_MAX_SIZE (1u << 30)
#define LP_PREALLOC 4096

struct stream_node {
    uint32_t used, cap;
    uint32_t live, deleted;
    uint32_t last_off; /* offset of the last entry's header byte */
    stream_id last;
    unsigned char data[];
} __attribute__((packed));

/* ---- IDs ------------------------------------------------------------------ */

int stream_id_incr(stream_id *id)
{
    if (id->seq == UINT64_MAX) {
        if (id->ms == UINT64_MAX) {
            id->ms = id->seq = 0;
            return -1;
        }
        id->ms++;
        id->seq = 0;
        return 0;
    }
    id->seq++;
    return 0;
}

int stream_id_decr(stream_id *id)
{
    if (id->seq == 0) {
        if (id->ms == 0) {
            id->ms = id->seq = UINT64_MAX;
            return -1;
        }
        id->ms--;
        id->seq = UINT64_MAX;
        return 0;
    }
    id->seq--;
    return 0;
}

size_t stream_id_fmt(char *buf, stream_id id)
{
    int n = ull_to_str(buf, 21, id.ms);
    buf[n++] = '-';
    n += ull_to_str(buf + n, 21, id.seq);
    return (size_t)n;
}

/* Redis's string2ull: a strict integer first, then strtoull's rules. */
static int parse_ull(const char *s, unsigned long long *out)
{
    long long ll;
    if (str_to_ll(s, strlen(s), &ll)) {
        if (ll < 0)
            return -1;
        *out = (unsigned long long)ll;
        return 0;
    }
    char *end = NULL;
    errno = 0;
    *out = strtoull(s, &end, 10);
    if (errno == EINVAL || errno == ERANGE || !(*s != '\0' && *end == '\0'))
        return -1;
    return 0;
}

int stream_id_parse(const char *p, size_t len, stream_id *out, uint64_t missing_seq, int strict,
                    int *seq_given)
{
    char buf[128];
    if (len > sizeof(buf) - 1)
        return -1;
    memcpy(buf, p, len);
    buf[len] = '\0';
    if (strict && (buf[0] == '-' || buf[0] == '+') && buf[1] == '\0')
        return -1;
    if (seq_given)
        *seq_given = 1;
    if (buf[0] == '-' && buf[1] == '\0') {
        out->ms = out->seq = 0;
        return 0;
    }
    if (buf[0] == '+' && buf[1] == '\0') {
        out->ms = out->seq = UINT64_MAX;
        return 0;
    }
    unsigned long long ms, seq;
    char *dash = strchr(buf, '-');
    if (dash)
        *dash = '\0';
    if (parse_ull(buf, &ms) != 0)
        return -1;
    if (dash) {
        if (seq_given && dash[1] == '*' && dash[2] == '\0') {
            seq = 0;
            *seq_given = 0;
        } else if (parse_ull(dash + 1, &seq) != 0) {
            return -1;
        }
    } else {
        seq = missing_seq;
    }
    out->ms = ms;
    out->seq = seq;
    return 0;
}

/* ---- varints and Redis listpack sizes ------------------------------------- */

static inline size_t varint_len(uint64_t v)
{
    size_t n = 1;
    while (v >= 0x80) {
        v >>= 7;
        n++;
    }
    return n;
}

static inline unsigned char *varint_put(unsigned char *p, uint64_t v)
{
    while (v >= 0x80) {
        *p++ = (unsigned char)(v | 0x80);
        v >>= 7;
    }
    *p++ = (unsigned char)v;
    return p;
}

static inline uint64_t varint_get(const unsigned char **pp)
{
    const unsigned char *p = *pp;
    uint64_t v = *p & 0x7f;
    int shift = 7;
    while (*p++ & 0x80) {
        v |= (uint64_t)(*p & 0x7f) << shift;
        shift += 7;
    }
    *pp = p;
    return v;
}

/* Bytes a Redis listpack spends on an integer element (with backlen). */
static uint64_t lp_int_size(int64_t v)
{
    if (v >= 0 && v <= 127)
        return 2;
    if (v >= -4096 && v <= 4095)
        return 3;
    if (v >= -32768 && v <= 32767)
        return 4;
    if (v >= -8388608 && v <= 8388607)
        return 5;
    if (v >= -2147483648LL && v <= 2147483647LL)
        return 6;
    return 10;
}

static uint64_t lp_backlen(uint64_t l)
{
    if (l <= 127)
        return 1;
    if (l < 16383)
        return 2;
    if (l < 2097151)
        return 3;
    if (l < 268435455)
        return 4;
    return 5;
}

/* ...and on a string element, which it stores as an integer if it can. */
static uint64_t lp_str_size(const unsigned char *p, size_t len)
{
    long long v;
    if (len > 0 && len < 21 && str_to_ll((const char *)p, len, &v))
        return lp_int_size(v);
    uint64_t enc = len < 64 ? 1 + len : len < 4096 ? 2 + len : 5 + (uint64_t)len;
    return enc + lp_backlen(enc);
}

/* ---- nodes ------------------------------------------------------------------ */

static inline stream_ref *ref_at(const stream *s, size_t i)
{
    return &s->refs[s->head + i];
}

static size_t node_alloc_bytes(const stream_node *n)
{
    return ds_alloc_size((void *)n);
}

static stream_node *node_new(stream *s, size_t cap)
{
    stream_node *n = ds_malloc(sizeof(stream_node) + cap);
    size_t got = ds_alloc_size(n);
    n->used = 0;
    n->cap = (uint32_t)(got - sizeof(stream_node));
    n->live = n->deleted = 0;
    n->last.ms = n->last.seq = 0;
    s->node_bytes += got;
    return n;
}

static void node_free(stream *s, stream_node *n)
{
    if (s->lp_node == n)
        s->lp_node = NULL;
    s->node_bytes -= node_alloc_bytes(n);
    ds_free(n);
}

static stream_node *node_resize(stream *s, stream_node *n, size_t cap)
{
    int tracked = s->lp_node == n;
    s->node_bytes -= node_alloc_bytes(n);
    n = ds_realloc(n, sizeof(stream_node) + cap);
    size_t got = ds_alloc_size(n);
    n->cap = (uint32_t)(got - sizeof(stream_node));
    s->node_bytes += got;
    if (tracked)
        s->lp_node = n;
    return n;
}

/* Master fields of a node: count and pointer to the first one. */
static const unsigned char *node_master(const stream_node *n, uint64_t *count)
{
    const unsigned char *p = n->data;
    *count = varint_get(&p);
    return p;
}

static const unsigned char *skip_strings(const unsigned char *p, uint64_t n)
{
    while (n--) {
        uint64_t len = varint_get(&p);
        p += len;
    }
    return p;
}

/* First entry of a node. */
static const unsigned char *node_entries(const stream_node *n, uint64_t *mcount,
                                         const unsigned char **mfields)
{
    const unsigned char *mf = node_master(n, mcount);
    if (mfields)
        *mfields = mf;
    return skip_strings(mf, *mcount);
}

/* Decode the header and ID at p; returns the body pointer. */
static const unsigned char *entry_head(const unsigned char *p, stream_id *prev, int *flags)
{
    unsigned hdr = *p++;
    unsigned form = hdr >> 2;
    *flags = (int)(hdr & 3);
    if (form == 1) {
        prev->seq++;
    } else if (form >= 2) {
        prev->ms += form - 1;
        prev->seq = 0;
    } else {
        uint64_t dms = varint_get(&p);
        uint64_t sv = varint_get(&p);
        if (dms == 0) {
            prev->seq += 1 + sv;
        } else {
            prev->ms += dms;
            prev->seq = sv;
        }
    }
    return p;
}

static const unsigned char *entry_skip_body(const unsigned char *body, int flags, uint64_t mcount)
{
    const unsigned char *p = body;
    uint64_t n;
    if (flags & F_SAME) {
        n = mcount;
    } else {
        n = varint_get(&p) * 2;
    }
    return skip_strings(p, n);
}

static stream_id first_prev(stream_id first)
{
    stream_id p = first;
    p.seq--; /* wraps for seq 0: form 1 then yields exactly `first` */
    return p;
}

/* ---- the stream ------------------------------------------------------------- */

stream *stream_new(void)
{
    stream *s = ds_calloc(sizeof(*s));
    return s;
}

static void group_free(stream_group *g);

void stream_free(stream *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->nnodes; i++)
        ds_free(ref_at(s, i)->node);
    ds_free(s->refs);
    for (size_t i = 0; i < s->ngroups; i++)
        group_free(s->groups[i]);
    ds_free(s->groups);
    ds_free(s);
}

static void refs_reserve(stream *s)
{
    if (s->head + s->nnodes < s->caprefs)
        return;
    if (s->head > 0) {
        memmove(s->refs, s->refs + s->head, sizeof(stream_ref) * s->nnodes);
        s->head = 0;
        if (s->nnodes < s->caprefs)
            return;
    }
    size_t cap = s->caprefs ? s->caprefs * 2 : 4;
    s->node_bytes -= s->refs ? ds_alloc_size(s->refs) : 0;
    s->refs = ds_realloc(s->refs, sizeof(stream_ref) * cap);
    s->node_bytes += ds_alloc_size(s->refs);
    s->caprefs = cap;
}

/* Remove the node at relative index i from the array (frees it). */
static void remove_node_at(stream *s, size_t i)
{
    node_free(s, ref_at(s, i)->node);
    if (i == 0) {
        s->head++;
    } else {
        stream_ref *r = ref_at(s, i);
        memmove(r, r + 1, sizeof(stream_ref) * (s->nnodes - i - 1));
    }
    s->nnodes--;
    if (s->nnodes == 0)
        s->head = 0;
}

/* Relative index of the last node whose first ID is <= id; SIZE_MAX if none. */
static size_t find_node_le(const stream *s, stream_id id)
{
    size_t lo = 0, hi = s->nnodes;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (stream_id_cmp(ref_at(s, mid)->first, id) <= 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo == 0 ? SIZE_MAX : lo - 1;
}

int stream_next_id(const stream *s, int explicit_id, stream_id given, int seq_given,
                   uint64_t now_ms, stream_id *out)
{
    stream_id id;
    if (explicit_id) {
        if (seq_given) {
            id = given;
        } else if (s->last_id.ms == given.ms) {
            if (s->last_id.seq == UINT64_MAX)
                return -2;
            id = s->last_id;
            id.seq++;
        } else {
            id = given;
        }
    } else if (now_ms > s->last_id.ms) {
        id.ms = now_ms;
        id.seq = 0;
    } else {
        id = s->last_id;
        stream_id_incr(&id);
    }
    if (stream_id_cmp(id, s->last_id) <= 0)
        return -1;
    *out = id;
    return 0;
}

/* ---- listpack-size bookkeeping for node_max_bytes ----------------------------
 * Redis starts a new node when the tail listpack's byte size plus the new
 * entry's raw field+value bytes reach stream-node-max-bytes.  To split at
 * the same entries, the tail's listpack size is tracked: lp_fixed covers the
 * header, the master entry and the end byte; lp_body the entries. */

static uint64_t lp_entry_size(stream_id id, stream_id master, int flags, const stream_str *fv,
                              size_t nf)
{
    uint64_t sz = lp_int_size(flags);
    sz += lp_int_size((int64_t)(id.ms - master.ms));
    sz += lp_int_size((int64_t)(id.seq - master.seq));
    int64_t lp_count = (int64_t)nf + 3;
    if (!(flags & F_SAME)) {
        sz += lp_int_size((int64_t)nf);
        lp_count += (int64_t)nf + 1;
        for (size_t i = 0; i < nf; i++)
            sz += lp_str_size((const unsigned char *)fv[2 * i].p, fv[2 * i].len);
    }
    for (size_t i = 0; i < nf; i++)
        sz += lp_str_size((const unsigned char *)fv[2 * i + 1].p, fv[2 * i + 1].len);
    return sz + lp_int_size(lp_count);
}

static uint64_t lp_master_size(const stream_node *n)
{
    uint64_t mcount;
    const unsigned char *p = node_master(n, &mcount);
    uint64_t sz = 7 + lp_int_size((int64_t)mcount) + lp_int_size(0);
    for (uint64_t i = 0; i < mcount; i++) {
        uint64_t len = varint_get(&p);
        sz += lp_str_size(p, len);
        p += len;
    }
    return sz;
}

/* Recompute the tracked size for the tail node (after the old tail went). */
static void lp_track(stream *s, const stream_ref *r)
{
    const stream_node *n = r->node;
    uint64_t mcount;
    const unsigned char *mf;
    const unsigned char *p = node_entries(n, &mcount, &mf);
    const unsigned char *end = n->data + n->used;
    stream_id cur = first_prev(r->first);
    uint64_t body = 0;
    while (p < end) {
        int flags;
        const unsigned char *b = entry_head(p, &cur, &flags);
        uint64_t nf = mcount;
        const unsigned char *q = b;
        const unsigned char *mq = mf;
        uint64_t sz = lp_int_size(flags) + lp_int_size((int64_t)(cur.ms - r->first.ms)) +
                      lp_int_size((int64_t)(cur.seq - r->first.seq));
        if (!(flags & F_SAME)) {
            nf = varint_get(&q);
            sz += lp_int_size((int64_t)nf);
        }
        for (uint64_t i = 0; i < nf; i++) {
            if (!(flags & F_SAME)) {
                uint64_t fl = varint_get(&q);
                sz += lp_str_size(q, fl);
                q += fl;
            } else {
                uint64_t fl = varint_get(&mq);
                mq += fl;
            }
            uint64_t vl = varint_get(&q);
            sz += lp_str_size(q, vl);
            q += vl;
        }
        int64_t lp_count = (int64_t)nf + 3 + ((flags & F_SAME) ? 0 : (int64_t)nf + 1);
        body += sz + lp_int_size(lp_count);
        p = q;
    }
    s->lp_node = n;
    s->lp_fixed = lp_master_size(n);
    s->lp_body = body;
}

static uint64_t lp_bytes(stream *s, const stream_ref *r)
{
    if (s->lp_node != r->node)
        lp_track(s, r);
    const stream_node *n = r->node;
    return s->lp_fixed + s->lp_body + lp_int_size(n->live) + lp_int_size(n->deleted);
}

/* ---- append ---------------------------------------------------------------------- */

static int same_fields(const stream_node *n, const stream_str *fv, size_t nf)
{
    uint64_t mcount;
    const unsigned char *p = node_master(n, &mcount);
    if (mcount != nf)
        return 0;
    for (size_t i = 0; i < nf; i++) {
        uint64_t len = varint_get(&p);
        if (len != fv[2 * i].len || memcmp(p, fv[2 * i].p, len) != 0)
            return 0;
        p += len;
    }
    return 1;
}

/* Bytes of the entry encoding (header, ID, fields). */
static size_t entry_size(stream_id prev, stream_id id, int same, const stream_str *fv, size_t nf,
                         unsigned *form)
{
    size_t sz = 1;
    if (id.ms == prev.ms && id.seq == prev.seq + 1) {
        *form = 1;
    } else if (id.seq == 0 && id.ms > prev.ms && id.ms - prev.ms <= FORM_MAX - 1) {
        *form = (unsigned)(id.ms - prev.ms + 1);
    } else {
        *form = 0;
        uint64_t dms = id.ms - prev.ms;
        sz += varint_len(dms) + varint_len(dms == 0 ? id.seq - prev.seq - 1 : id.seq);
    }
    if (!same)
        sz += varint_len(nf);
    for (size_t i = 0; i < nf; i++) {
        if (!same)
            sz += varint_len(fv[2 * i].len) + fv[2 * i].len;
        sz += varint_len(fv[2 * i + 1].len) + fv[2 * i + 1].len;
    }
    return sz;
}

static void entry_write(unsigned char *p, stream_id prev, stream_id id, int same, unsigned form,
                        const stream_str *fv, size_t nf)
{
    *p++ = (unsigned char)(form << 2 | (same ? F_SAME : 0));
    if (form == 0) {
        uint64_t dms = id.ms - prev.ms;
        p = varint_put(p, dms);
        p = varint_put(p, dms == 0 ? id.seq - prev.seq - 1 : id.seq);
    }
    if (!same)
        p = varint_put(p, nf);
    for (size_t i = 0; i < nf; i++) {
        if (!same) {
            p = varint_put(p, fv[2 * i].len);
            memcpy(p, fv[2 * i].p, fv[2 * i].len);
            p += fv[2 * i].len;
        }
        p = varint_put(p, fv[2 * i + 1].len);
        memcpy(p, fv[2 * i + 1].p, fv[2 * i + 1].len);
        p += fv[2 * i + 1].len;
    }
}

static int tail_is_full(stream *s, const stream_ref *tail, const stream_str *fv, size_t nf,
                        uint64_t max_bytes, uint64_t max_entries)
{
    uint64_t total = 0;
    for (size_t i = 0; i < 2 * nf; i++)
        total += fv[i].len;
    if (max_bytes == 0 || max_bytes > LP_MAX_SIZE)
        max_bytes = LP_MAX_SIZE;
    if (lp_bytes(s, tail) + total >= max_bytes)
        return 1;
    if (max_entries && (uint64_t)tail->node->live + tail->node->deleted >= max_entries)
        return 1;
    return 0;
}

static stream_ref *start_node(stream *s, stream_id id, const stream_str *fv, size_t nf,
                              uint64_t max_bytes)
{
    size_t master = varint_len(nf);
    for (size_t i = 0; i < nf; i++)
        master += varint_len(fv[2 * i].len) + fv[2 * i].len;
    unsigned form;
    size_t need = master + entry_size(first_prev(id), id, 1, fv, nf, &form);
    size_t prealloc = LP_PREALLOC;
    if (max_bytes > 0 && max_bytes < prealloc)
        prealloc = (size_t)max_bytes;
    prealloc = prealloc > sizeof(stream_node) ? prealloc - sizeof(stream_node) : 0;
    stream_node *n = node_new(s, need > prealloc ? need : prealloc);
    unsigned char *p = varint_put(n->data, nf);
    for (size_t i = 0; i < nf; i++) {
        p = varint_put(p, fv[2 * i].len);
        memcpy(p, fv[2 * i].p, fv[2 * i].len);
        p += fv[2 * i].len;
    }
    n->used = (uint32_t)(p - n->data);
    refs_reserve(s);
    stream_ref *r = ref_at(s, s->nnodes);
    r->first = id;
    r->node = n;
    s->nnodes++;
    s->lp_node = n;
    s->lp_fixed = lp_master_size(n);
    s->lp_body = 0;
    return r;
}

void stream_append(stream *s, stream_id id, const stream_str *fv, size_t nfields,
                   uint64_t max_bytes, uint64_t max_entries)
{
    stream_ref *r = s->nnodes ? ref_at(s, s->nnodes - 1) : NULL;
    if (r && tail_is_full(s, r, fv, nfields, max_bytes, max_entries)) {
        stream_node *n = r->node;
        if (n->used < n->cap)
            r->node = node_resize(s, n, n->used);
        r = NULL;
    }
    int same = 1;
    stream_id prev;
    if (!r) {
        r = start_node(s, id, fv, nfields, max_bytes);
        prev = first_prev(id);
    } else {
        same = same_fields(r->node, fv, nfields);
        prev = r->node->last;
        lp_bytes(s, r); /* make sure the tracking follows this node */
    }
    unsigned form;
    size_t need = entry_size(prev, id, same, fv, nfields, &form);
    stream_node *n = r->node;
    if ((size_t)n->used + need > n->cap) {
        size_t want = (size_t)n->used + need;
        size_t grow = (size_t)n->cap + n->cap / 2;
        n = r->node = node_resize(s, n, want > grow ? want : grow);
    }
    entry_write(n->data + n->used, prev, id, same, form, fv, nfields);
    n->last_off = n->used;
    n->used += (uint32_t)need;
    n->live++;
    n->last = id;
    s->lp_body += lp_entry_size(id, r->first, same ? F_SAME : 0, fv, nfields);
    s->length++;
    s->entries_added++;
    s->last_id = id;
    if (s->length == 1)
        s->first_id = id;
}

/* ---- iteration ------------------------------------------------------------------------ */

static void iter_load(stream_iter *it)
{
    const stream_ref *r = ref_at(it->s, it->ni);
    const stream_node *n = r->node;
    it->data = n->data;
    it->data_end = n->data + n->used;
    it->p = node_entries(n, &it->mcount, &it->mfields);
    it->prev = first_prev(r->first);
    it->loaded = 1;
    if (!it->rev)
        return;
    /* Decode the node front to back, keeping the entries in range. */
    it->rn = 0;
    const unsigned char *p = it->p;
    while (p < it->data_end) {
        int flags;
        const unsigned char *b = entry_head(p, &it->prev, &flags);
        stream_id id = it->prev;
        int skip = it->skip_tombstones && (flags & F_DELETED);
        if (!skip && stream_id_cmp(id, it->end) > 0)
            break; /* tombstones may be out of order (see iter_next_fwd) */
        if (!skip && stream_id_cmp(id, it->start) >= 0) {
            if (it->rn == it->rvcap) {
                size_t cap = it->rvcap * 2;
                stream_rev_ent *nv = ds_malloc(sizeof(*nv) * cap);
                memcpy(nv, it->rv, sizeof(*nv) * it->rn);
                if (it->rv != it->rv_inline)
                    ds_free(it->rv);
                it->rv = nv;
                it->rvcap = cap;
            }
            stream_rev_ent *e = &it->rv[it->rn++];
            e->id = id;
            e->off = (uint32_t)(p - it->data);
            e->flags = (uint32_t)flags;
        }
        p = entry_skip_body(b, flags, it->mcount);
    }
    it->ri = it->rn;
}

void stream_iter_init(stream_iter *it, const stream *s, stream_id start, stream_id end, int rev)
{
    it->s = s;
    it->start = start;
    it->end = end;
    it->rev = rev;
    it->skip_tombstones = 1;
    it->done = 0;
    it->loaded = 0;
    it->rv = it->rv_inline;
    it->rvcap = STREAM_ITER_INLINE;
    it->rn = it->ri = 0;
    if (s->nnodes == 0 || stream_id_cmp(start, end) > 0) {
        it->done = 1;
        return;
    }
    if (!rev) {
        size_t i = find_node_le(s, start);
        it->ni = i == SIZE_MAX ? 0 : i;
    } else {
        size_t i = find_node_le(s, end);
        if (i == SIZE_MAX)
            it->done = 1;
        else
            it->ni = i;
    }
}

void stream_iter_done(stream_iter *it)
{
    if (it->rv != it->rv_inline)
        ds_free(it->rv);
    it->rv = it->rv_inline;
}

static int iter_next_fwd(stream_iter *it, stream_id *id, uint64_t *nfields)
{
    for (;;) {
        if (!it->loaded) {
            if (it->ni >= it->s->nnodes)
                return 0;
            const stream_ref *r = ref_at(it->s, it->ni);
            if (stream_id_cmp(r->first, it->end) > 0)
                return 0;
            if (stream_id_cmp(r->node->last, it->start) < 0) {
                it->ni++;
                continue;
            }
            iter_load(it);
        }
        if (it->p >= it->data_end) {
            it->loaded = 0;
            it->ni++;
            continue;
        }
        int flags;
        const unsigned char *b = entry_head(it->p, &it->prev, &flags);
        it->p = entry_skip_body(b, flags, it->mcount);
        /* Tombstones are skipped before the end test: after XSETID lowered
         * last_id below a deleted maximum, later entries follow a larger
         * (deleted) ID inside the same node.  Live entries stay ascending. */
        if (stream_id_cmp(it->prev, it->start) < 0 || (it->skip_tombstones && (flags & F_DELETED)))
            continue;
        if (stream_id_cmp(it->prev, it->end) > 0)
            return 0;
        *id = it->prev;
        it->same = flags & F_SAME;
        it->fp = b;
        it->mp = it->mfields;
        *nfields = it->same ? it->mcount : varint_get(&it->fp);
        return 1;
    }
}

static int iter_next_rev(stream_iter *it, stream_id *id, uint64_t *nfields)
{
    for (;;) {
        if (!it->loaded)
            iter_load(it);
        if (it->ri == 0) {
            const stream_ref *r = ref_at(it->s, it->ni);
            if (it->ni == 0 || stream_id_cmp(r->first, it->start) <= 0)
                return 0;
            it->ni--;
            it->loaded = 0;
            continue;
        }
        const stream_rev_ent *e = &it->rv[--it->ri];
        stream_id cur = e->id;
        const unsigned char *p = it->data + e->off;
        /* Re-read the header only to find the body (the ID is known). */
        unsigned hdr = *p++;
        if ((hdr >> 2) == 0) {
            varint_get(&p);
            varint_get(&p);
        }
        *id = cur;
        it->same = (int)(e->flags & F_SAME);
        it->fp = p;
        it->mp = it->mfields;
        *nfields = it->same ? it->mcount : varint_get(&it->fp);
        return 1;
    }
}

int stream_iter_next(stream_iter *it, stream_id *id, uint64_t *nfields)
{
    if (it->done)
        return 0;
    int r = it->rev ? iter_next_rev(it, id, nfields) : iter_next_fwd(it, id, nfields);
    if (!r)
        it->done = 1;
    return r;
}

void stream_iter_field(stream_iter *it, const char **f, size_t *flen, const char **v, size_t *vlen)
{
    const unsigned char **fp = it->same ? &it->mp : &it->fp;
    uint64_t fl = varint_get(fp);
    *f = (const char *)*fp;
    *flen = fl;
    *fp += fl;
    uint64_t vl = varint_get(&it->fp);
    *v = (const char *)it->fp;
    *vlen = vl;
    it->fp += vl;
}

/* ---- edges and lookups --------------------------------------------------------------- */

int stream_first_live(const stream *s, stream_id *id)
{
    stream_iter it;
    uint64_t nf;
    stream_id lo = {0, 0}, hi = {UINT64_MAX, UINT64_MAX};
    stream_iter_init(&it, s, lo, hi, 0);
    int r = stream_iter_next(&it, id, &nf);
    stream_iter_done(&it);
    return r;
}

int stream_last_live(const stream *s, stream_id *id)
{
    if (s->nnodes) {
        const stream_node *n = ref_at(s, s->nnodes - 1)->node;
        if (n->live && !(n->data[n->last_off] & F_DELETED)) {
            *id = n->last; /* the common case: the newest entry is live */
            return 1;
        }
    }
    stream_iter it;
    uint64_t nf;
    stream_id lo = {0, 0}, hi = {UINT64_MAX, UINT64_MAX};
    stream_iter_init(&it, s, lo, hi, 1);
    int r = stream_iter_next(&it, id, &nf);
    stream_iter_done(&it);
    return r;
}

stream_id stream_first_any(const stream *s)
{
    if (s->nnodes == 0) {
        stream_id max = {UINT64_MAX, UINT64_MAX};
        return max;
    }
    return ref_at(s, 0)->first;
}

/* Pointer to the header byte of entry id in node i, or NULL. */
static unsigned char *node_find(const stream *s, size_t i, stream_id id)
{
    const stream_ref *r = ref_at(s, i);
    stream_node *n = r->node;
    if (stream_id_cmp(id, n->last) > 0)
        return NULL;
    uint64_t mcount;
    const unsigned char *p = node_entries(n, &mcount, NULL);
    const unsigned char *end = n->data + n->used;
    stream_id cur = first_prev(r->first);
    while (p < end) {
        int flags;
        const unsigned char *b = entry_head(p, &cur, &flags);
        /* Only live entries count: after XSETID lowered last_id below a
         * deleted maximum, tombstones may be out of order, even carry the
         * ID of a later live entry.  Live entries stay ascending. */
        if (!(flags & F_DELETED)) {
            int c = stream_id_cmp(cur, id);
            if (c == 0)
                return (unsigned char *)p;
            if (c > 0)
                return NULL;
        }
        p = entry_skip_body(b, flags, mcount);
    }
    return NULL;
}

int stream_entry_exists(const stream *s, stream_id id)
{
    size_t i = find_node_le(s, id);
    if (i == SIZE_MAX)
        return 0;
    unsigned char *p = node_find(s, i, id);
    return p && !(*p & F_DELETED);
}

/* ---- deletion and trimming ------------------------------------------------------------ */

int stream_delete(stream *s, stream_id id)
{
    size_t i = find_node_le(s, id);
    if (i == SIZE_MAX)
        return 0;
    unsigned char *p = node_find(s, i, id);
    if (!p || (*p & F_DELETED))
        return 0;
    stream_node *n = ref_at(s, i)->node;
    if (n->live == 1) {
        remove_node_at(s, i);
    } else {
        *p |= F_DELETED;
        n->live--;
        n->deleted++;
    }
    s->length--;
    return 1;
}

static void refresh_first_id(stream *s)
{
    if (s->length == 0) {
        s->first_id.ms = s->first_id.seq = 0;
    } else if (!stream_first_live(s, &s->first_id)) {
        s->first_id.ms = s->first_id.seq = UINT64_MAX;
    }
}

size_t stream_xdel(stream *s, const stream_id *ids, size_t n)
{
    size_t deleted = 0;
    int first_entry = 0;
    for (size_t i = 0; i < n; i++) {
        if (!stream_delete(s, ids[i]))
            continue;
        if (stream_id_cmp(ids[i], s->first_id) == 0)
            first_entry = 1;
        if (stream_id_cmp(ids[i], s->max_deleted_id) > 0)
            s->max_deleted_id = ids[i];
        deleted++;
    }
    if (deleted && (s->length == 0 || first_entry))
        refresh_first_id(s);
    return deleted;
}

/* Trim inside node 0: mark entries deleted until the condition stops. */
static int64_t trim_inside_head(stream *s, int strategy, uint64_t maxlen, stream_id minid)
{
    stream_ref *r = ref_at(s, 0);
    stream_node *n = r->node;
    uint64_t mcount;
    unsigned char *p = (unsigned char *)node_entries(n, &mcount, NULL);
    const unsigned char *end = n->data + n->used;
    stream_id cur = first_prev(r->first);
    int64_t deleted = 0;
    while (p < end) {
        int flags;
        const unsigned char *b = entry_head(p, &cur, &flags);
        int stop =
            strategy == STREAM_TRIM_MAXLEN ? s->length <= maxlen : stream_id_cmp(cur, minid) >= 0;
        if (stop)
            break;
        if (!(flags & F_DELETED)) {
            *p |= F_DELETED;
            n->live--;
            n->deleted++;
            s->length--;
            deleted++;
        }
        p = (unsigned char *)entry_skip_body(b, flags, mcount);
    }
    return deleted;
}

int64_t stream_trim(stream *s, int strategy, uint64_t maxlen, stream_id minid, int approx,
                    int64_t limit)
{
    if (strategy == STREAM_TRIM_NONE)
        return 0;
    int64_t deleted = 0;
    while (s->nnodes) {
        if (strategy == STREAM_TRIM_MAXLEN && s->length <= maxlen)
            break;
        stream_ref *r = ref_at(s, 0);
        int64_t entries = r->node->live;
        if (limit && deleted + entries > limit)
            break;
        int remove;
        if (strategy == STREAM_TRIM_MAXLEN)
            remove = s->length - (uint64_t)entries >= maxlen;
        else
            remove = stream_id_cmp(r->node->last, minid) < 0;
        if (remove) {
            remove_node_at(s, 0);
            s->length -= (uint64_t)entries;
            deleted += entries;
            continue;
        }
        if (approx)
            break;
        deleted += trim_inside_head(s, strategy, maxlen, minid);
        break;
    }
    if (s->length == 0)
        s->first_id.ms = s->first_id.seq = 0;
    else if (deleted)
        refresh_first_id(s);
    return deleted;
}

/* ---- consumer groups ------------------------------------------------------------------ */

static int name_cmp(const str a, const char *b, size_t bl)
{
    size_t al = str_len(a);
    int c = memcmp(a, b, al < bl ? al : bl);
    if (c)
        return c;
    return al < bl ? -1 : al > bl;
}

/* Binary search an array of structs whose first member is a str name. */
static size_t name_search(void *const *arr, size_t n, const char *name, size_t len, int *found)
{
    size_t lo = 0, hi = n;
    *found = 0;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = name_cmp(*(const str *)arr[mid], name, len);
        if (c == 0) {
            *found = 1;
            return mid;
        }
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static void *ptr_array_insert(void *arr, size_t *n, size_t *cap, size_t at, void *item)
{
    void **a = arr;
    if (*n == *cap) {
        *cap = *cap ? *cap * 2 : 4;
        a = ds_realloc(a, sizeof(void *) * *cap);
    }
    memmove(a + at + 1, a + at, sizeof(void *) * (*n - at));
    a[at] = item;
    (*n)++;
    return a;
}

static void ptr_array_remove(void *arr, size_t *n, size_t at)
{
    void **a = arr;
    memmove(a + at, a + at + 1, sizeof(void *) * (*n - at - 1));
    (*n)--;
}

static void consumer_free(stream_consumer *c)
{
    idtree_free(c->pel);
    str_free(c->name);
    ds_free(c);
}

static void group_free(stream_group *g)
{
    for (size_t i = 0; i < g->nconsumers; i++)
        consumer_free(g->consumers[i]);
    ds_free(g->consumers);
    idtree_free(g->pel);
    str_free(g->name);
    ds_free(g);
}

stream_group *stream_group_find(const stream *s, const char *name, size_t len)
{
    int found;
    size_t i = name_search((void *const *)s->groups, s->ngroups, name, len, &found);
    return found ? s->groups[i] : NULL;
}

stream_group *stream_group_create(stream *s, const char *name, size_t len, stream_id last_id,
                                  int64_t entries_read)
{
    int found;
    size_t i = name_search((void *const *)s->groups, s->ngroups, name, len, &found);
    if (found)
        return NULL;
    stream_group *g = ds_calloc(sizeof(*g));
    g->name = str_new(name, len);
    g->last_id = last_id;
    g->entries_read = entries_read;
    g->pel = idtree_new(sizeof(stream_nack));
    s->groups = ptr_array_insert(s->groups, &s->ngroups, &s->capgroups, i, g);
    return g;
}

int stream_group_destroy(stream *s, const char *name, size_t len)
{
    int found;
    size_t i = name_search((void *const *)s->groups, s->ngroups, name, len, &found);
    if (!found)
        return 0;
    group_free(s->groups[i]);
    ptr_array_remove(s->groups, &s->ngroups, i);
    return 1;
}

stream_consumer *stream_consumer_find(const stream_group *g, const char *name, size_t len)
{
    int found;
    size_t i = name_search((void *const *)g->consumers, g->nconsumers, name, len, &found);
    return found ? g->consumers[i] : NULL;
}

stream_consumer *stream_consumer_create(stream_group *g, const char *name, size_t len,
                                        int64_t now_ms)
{
    int found;
    size_t i = name_search((void *const *)g->consumers, g->nconsumers, name, len, &found);
    if (found)
        return NULL;
    stream_consumer *c = ds_malloc(sizeof(*c));
    c->name = str_new(name, len);
    c->seen_time = now_ms;
    c->pel = idtree_new(0);
    g->consumers = ptr_array_insert(g->consumers, &g->nconsumers, &g->capconsumers, i, c);
    return c;
}

size_t stream_consumer_delete(stream_group *g, stream_consumer *c)
{
    size_t pending = idtree_size(c->pel);
    idtree_iter it;
    stream_id id;
    stream_id zero = {0, 0};
    idtree_seek(&it, c->pel, IDT_FIRST, zero);
    while (idtree_next(&it, &id, NULL))
        idtree_remove(g->pel, id, NULL);
    int found;
    size_t i =
        name_search((void *const *)g->consumers, g->nconsumers, c->name, str_len(c->name), &found);
    if (found)
        ptr_array_remove(g->consumers, &g->nconsumers, i);
    consumer_free(c);
    return pending;
}

stream_nack *stream_pel_deliver(stream_group *g, stream_consumer *c, stream_id id, int64_t now_ms)
{
    int existed;
    stream_nack *n = idtree_insert(g->pel, id, &existed);
    if (existed && n->consumer)
        idtree_remove(n->consumer->pel, id, NULL);
    n->consumer = c;
    n->delivery_time = now_ms;
    n->delivery_count = 1;
    idtree_insert(c->pel, id, NULL);
    return n;
}

stream_nack *stream_pel_find(const stream_group *g, stream_id id)
{
    return idtree_find(g->pel, id);
}

stream_nack *stream_pel_create(stream_group *g, stream_id id, int64_t now_ms)
{
    stream_nack *n = idtree_insert(g->pel, id, NULL);
    n->consumer = NULL;
    n->delivery_time = now_ms;
    n->delivery_count = 1;
    return n;
}

void stream_pel_set_owner(stream_group *g, stream_nack *n, stream_id id, stream_consumer *c)
{
    (void)g;
    if (n->consumer == c)
        return;
    if (n->consumer)
        idtree_remove(n->consumer->pel, id, NULL);
    idtree_insert(c->pel, id, NULL);
    n->consumer = c;
}

int stream_pel_ack(stream_group *g, stream_id id)
{
    stream_nack n;
    if (!idtree_remove(g->pel, id, &n))
        return 0;
    if (n.consumer)
        idtree_remove(n.consumer->pel, id, NULL);
    return 1;
}

/* ---- lag and read counters -------------------------------------------------------------- */

static int id_is_zero(stream_id id)
{
    return id.ms == 0 && id.seq == 0;
}

int stream_range_has_tombstones(const stream *s, const stream_id *start, const stream_id *end)
{
    if (!s->length || id_is_zero(s->max_deleted_id))
        return 0;
    if (stream_id_cmp(s->first_id, s->max_deleted_id) > 0)
        return 0;
    stream_id lo = {0, 0}, hi = {UINT64_MAX, UINT64_MAX};
    if (start)
        lo = *start;
    if (end)
        hi = *end;
    return stream_id_cmp(lo, s->max_deleted_id) <= 0 && stream_id_cmp(s->max_deleted_id, hi) <= 0;
}

int64_t stream_estimate_distance(const stream *s, stream_id id)
{
    if (!s->entries_added)
        return 0;
    if (!s->length && stream_id_cmp(id, s->last_id) < 1)
        return (int64_t)s->entries_added;
    int cmp_last = stream_id_cmp(id, s->last_id);
    if (cmp_last == 0)
        return (int64_t)s->entries_added;
    if (cmp_last > 0)
        return STREAM_ENTRIES_READ_INVALID;
    int cmp_id_first = stream_id_cmp(id, s->first_id);
    int cmp_xdel_first = stream_id_cmp(s->max_deleted_id, s->first_id);
    if (id_is_zero(s->max_deleted_id) || cmp_xdel_first < 0) {
        if (cmp_id_first < 0)
            return (int64_t)(s->entries_added - s->length);
        if (cmp_id_first == 0)
            return (int64_t)(s->entries_added - s->length + 1);
    }
    return STREAM_ENTRIES_READ_INVALID;
}

int stream_group_lag(const stream *s, const stream_group *g, int64_t *lag)
{
    if (!s->entries_added) {
        *lag = 0;
        return 1;
    }
    if (g->entries_read != STREAM_ENTRIES_READ_INVALID &&
        !stream_range_has_tombstones(s, &g->last_id, NULL)) {
        *lag = (int64_t)s->entries_added - g->entries_read;
        return 1;
    }
    int64_t read = stream_estimate_distance(s, g->last_id);
    if (read == STREAM_ENTRIES_READ_INVALID)
        return 0;
    *lag = (int64_t)s->entries_added - read;
    return 1;
}

void stream_group_advance(const stream *s, stream_group *g, stream_id id)
{
    if (stream_id_cmp(id, g->last_id) <= 0)
        return;
    if (g->entries_read != STREAM_ENTRIES_READ_INVALID &&
        !stream_range_has_tombstones(s, &id, NULL))
        g->entries_read++;
    else if (s->entries_added)
        g->entries_read = stream_estimate_distance(s, id);
    g->last_id = id;
}

/* ---- copy, memory, verification ------------------------------------------------------- */

static stream_group *group_dup(const stream_group *g)
{
    stream_group *n = ds_calloc(sizeof(*n));
    n->name = str_dup(g->name);
    n->last_id = g->last_id;
    n->entries_read = g->entries_read;
    n->pel = idtree_new(sizeof(stream_nack));
    n->nconsumers = n->capconsumers = g->nconsumers;
    n->consumers = g->nconsumers ? ds_malloc(sizeof(void *) * g->nconsumers) : NULL;
    idtree_iter it;
    stream_id id, zero = {0, 0};
    void *v;
    idtree_seek(&it, g->pel, IDT_FIRST, zero);
    while (idtree_next(&it, &id, &v)) {
        stream_nack *dst = idtree_insert(n->pel, id, NULL);
        *dst = *(stream_nack *)v;
        dst->consumer = NULL;
    }
    for (size_t i = 0; i < g->nconsumers; i++) {
        const stream_consumer *oc = g->consumers[i];
        stream_consumer *c = ds_malloc(sizeof(*c));
        c->name = str_dup(oc->name);
        c->seen_time = oc->seen_time;
        c->pel = idtree_new(0);
        idtree_seek(&it, oc->pel, IDT_FIRST, zero);
        while (idtree_next(&it, &id, NULL)) {
            idtree_insert(c->pel, id, NULL);
            stream_nack *nk = idtree_find(n->pel, id);
            if (nk)
                nk->consumer = c;
        }
        n->consumers[i] = c;
    }
    return n;
}

stream *stream_dup(const stream *s)
{
    stream *d = stream_new();
    d->length = s->length;
    d->last_id = s->last_id;
    d->first_id = s->first_id;
    d->max_deleted_id = s->max_deleted_id;
    d->entries_added = s->entries_added;
    if (s->nnodes) {
        d->caprefs = s->nnodes;
        d->refs = ds_malloc(sizeof(stream_ref) * s->nnodes);
        d->node_bytes += ds_alloc_size(d->refs);
        for (size_t i = 0; i < s->nnodes; i++) {
            const stream_ref *r = ref_at(s, i);
            stream_node *n = node_new(d, r->node->used);
            memcpy(n, r->node, sizeof(stream_node) + r->node->used);
            n->cap = (uint32_t)(ds_alloc_size(n) - sizeof(stream_node));
            d->refs[i].first = r->first;
            d->refs[i].node = n;
        }
        d->nnodes = s->nnodes;
    }
    if (s->ngroups) {
        d->groups = ds_malloc(sizeof(void *) * s->ngroups);
        d->ngroups = d->capgroups = s->ngroups;
        for (size_t i = 0; i < s->ngroups; i++)
            d->groups[i] = group_dup(s->groups[i]);
    }
    return d;
}

size_t stream_mem(const stream *s)
{
    size_t m = ds_alloc_size((void *)s) + s->node_bytes;
    if (s->groups)
        m += ds_alloc_size(s->groups);
    for (size_t i = 0; i < s->ngroups; i++) {
        const stream_group *g = s->groups[i];
        m += ds_alloc_size((void *)g) + str_alloc_size(g->name) + idtree_mem(g->pel);
        if (g->consumers)
            m += ds_alloc_size(g->consumers);
        for (size_t j = 0; j < g->nconsumers; j++) {
            const stream_consumer *c = g->consumers[j];
            m += ds_alloc_size((void *)c) + str_alloc_size(c->name) + idtree_mem(c->pel);
        }
    }
    return m;
}

static int verify_group(const stream_group *g)
{
    size_t owned = 0;
    for (size_t j = 0; j < g->nconsumers; j++) {
        const stream_consumer *c = g->consumers[j];
        if (j > 0 && name_cmp(g->consumers[j - 1]->name, c->name, str_len(c->name)) >= 0)
            return -30;
        if (idtree_verify(c->pel))
            return -31;
        idtree_iter it;
        stream_id id, zero = {0, 0};
        idtree_seek(&it, c->pel, IDT_FIRST, zero);
        while (idtree_next(&it, &id, NULL)) {
            stream_nack *n = idtree_find(g->pel, id);
            if (!n || n->consumer != c)
                return -32;
            owned++;
        }
    }
    if (idtree_verify(g->pel))
        return -33;
    if (owned != idtree_size(g->pel))
        return -34;
    return 0;
}

int stream_verify(const stream *s)
{
    /* Entries are appended in ascending order, but XSETID may lower last_id
     * below a deleted maximum, so only live entries are checked to ascend
     * (across nodes too); tombstones may be out of order. */
    uint64_t live = 0;
    size_t bytes = s->refs ? ds_alloc_size(s->refs) : 0;
    stream_id last_live = {0, 0};
    int any_live = 0;
    for (size_t i = 0; i < s->nnodes; i++) {
        const stream_ref *r = ref_at(s, i);
        const stream_node *n = r->node;
        bytes += node_alloc_bytes(n);
        if (any_live && stream_id_cmp(last_live, r->first) >= 0)
            return -1;
        uint64_t mcount;
        const unsigned char *p = node_entries(n, &mcount, NULL);
        const unsigned char *end = n->data + n->used;
        stream_id cur = first_prev(r->first), prev_id = {0, 0};
        uint32_t nl = 0, nd = 0, k = 0, last_off = 0;
        while (p < end) {
            int flags;
            last_off = (uint32_t)(p - n->data);
            const unsigned char *b = entry_head(p, &cur, &flags);
            if (k == 0 && stream_id_cmp(cur, r->first) != 0)
                return -2;
            if (flags & F_DELETED) {
                nd++;
            } else {
                if (any_live && stream_id_cmp(cur, last_live) <= 0)
                    return -3;
                last_live = cur;
                any_live = 1;
                nl++;
            }
            prev_id = cur;
            k++;
            p = entry_skip_body(b, flags, mcount);
        }
        if (p != end || k == 0)
            return -4;
        if (last_off != n->last_off)
            return -11;
        if (nl != n->live || nd != n->deleted)
            return -5;
        if (stream_id_cmp(prev_id, n->last) != 0)
            return -6;
        if (any_live && stream_id_cmp(last_live, s->last_id) > 0)
            return -7;
        live += nl;
    }
    if (live != s->length)
        return -8;
    if (bytes != s->node_bytes)
        return -9;
    for (size_t i = 0; i < s->ngroups; i++) {
        if (i > 0 &&
            name_cmp(s->groups[i - 1]->name, s->groups[i]->name, str_len(s->groups[i]->name)) >= 0)
            return -10;
        int r = verify_group(s->groups[i]);
        if (r)
            return r;
    }
    return 0;
}
