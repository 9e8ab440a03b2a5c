/* idtree.c - B+tree keyed by 128-bit stream IDs, values inline (idtree.h).
 *
 * Layout of a leaf (one allocation):
 *
 *   +---+--------+-----+------+------------------+---------------------+
 *   | n | is_leaf| cap | prev | next | keys[cap] | values[cap * vsize] |
 *   +---+--------+-----+------+------+-----------+---------------------+
 *
 * and of an inner node: n children, n-1 separators, sep[i] <= every key of
 * child[i+1] and > every key of child[i].  All leaves are at depth
 * t->height.  The only leaf that may have cap < leaf_max is a root leaf,
 * which grows by doubling (small PELs stay small); a root leaf is freed
 * when it becomes empty, and a non-root node is never empty. */
#include "idtree.h"

#include "alloc.h"

#include <string.h>

#define NODE_BYTES 2048
#define FAN 64 /* children per inner node */
#define MAX_HEIGHT 24
#define ROOT_LEAF_START 4

typedef struct leaf {
    uint16_t n;
    uint16_t is_leaf;
    uint32_t cap;
    struct leaf *prev, *next;
    stream_id keys[];
} leaf;

typedef struct inner {
    uint16_t n;
    uint16_t is_leaf;
    uint32_t cap;
    stream_id sep[FAN - 1];
    void *child[FAN];
} inner;

struct idtree {
    void *root;
    size_t count;
    size_t vsize;
    uint32_t leaf_max;
    int height; /* 0: the root is a leaf */
    size_t mem;
};

typedef struct path {
    inner *node[MAX_HEIGHT];
    int idx[MAX_HEIGHT];
} path;

/* ---- allocation ---------------------------------------------------------- */

static size_t leaf_bytes(const idtree *t, uint32_t cap)
{
    return sizeof(leaf) + (size_t)cap * (sizeof(stream_id) + t->vsize);
}

static leaf *leaf_new(idtree *t, uint32_t cap)
{
    leaf *l = ds_malloc(leaf_bytes(t, cap));
    l->n = 0;
    l->is_leaf = 1;
    l->cap = cap;
    l->prev = l->next = NULL;
    t->mem += ds_alloc_size(l);
    return l;
}

static void node_free(idtree *t, void *n)
{
    t->mem -= ds_alloc_size(n);
    ds_free(n);
}

static inner *inner_new(idtree *t)
{
    inner *in = ds_malloc(sizeof(inner));
    in->n = 0;
    in->is_leaf = 0;
    in->cap = FAN;
    t->mem += ds_alloc_size(in);
    return in;
}

static inline unsigned char *leaf_vals(const idtree *t, const leaf *l)
{
    (void)t;
    return (unsigned char *)(l->keys + l->cap);
}

static inline void *leaf_val(const idtree *t, const leaf *l, int i)
{
    static uint64_t dummy;
    if (t->vsize == 0)
        return &dummy;
    return leaf_vals(t, l) + (size_t)i * t->vsize;
}

idtree *idtree_new(size_t vsize)
{
    idtree *t = ds_calloc(sizeof(*t));
    t->vsize = vsize;
    t->leaf_max = (uint32_t)((NODE_BYTES - sizeof(leaf)) / (sizeof(stream_id) + vsize));
    if (t->leaf_max < 4)
        t->leaf_max = 4;
    if (t->leaf_max > 60000)
        t->leaf_max = 60000;
    t->mem = ds_alloc_size(t);
    return t;
}

static void free_rec(idtree *t, void *n, int h)
{
    if (h > 0) {
        inner *in = n;
        for (int i = 0; i < in->n; i++)
            free_rec(t, in->child[i], h - 1);
    }
    node_free(t, n);
}

void idtree_free(idtree *t)
{
    if (!t)
        return;
    if (t->root)
        free_rec(t, t->root, t->height);
    ds_free(t);
}

size_t idtree_size(const idtree *t)
{
    return t->count;
}

size_t idtree_mem(const idtree *t)
{
    return t->mem;
}

/* ---- searching ----------------------------------------------------------- */

/* First index whose key is >= id. */
static int lower_bound(const leaf *l, stream_id id)
{
    int lo = 0, hi = l->n;
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        if (stream_id_cmp(l->keys[mid], id) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* First index whose key is > id. */
static int upper_bound(const leaf *l, stream_id id)
{
    int lo = 0, hi = l->n;
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        if (stream_id_cmp(l->keys[mid], id) <= 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Child to follow for id: the number of separators <= id. */
static int child_index(const inner *in, stream_id id)
{
    int lo = 0, hi = in->n - 1;
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        if (stream_id_cmp(in->sep[mid], id) <= 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static leaf *descend(const idtree *t, stream_id id, path *p)
{
    void *n = t->root;
    for (int h = 0; h < t->height; h++) {
        inner *in = n;
        int i = child_index(in, id);
        if (p) {
            p->node[h] = in;
            p->idx[h] = i;
        }
        n = in->child[i];
    }
    return n;
}

void *idtree_find(const idtree *t, stream_id id)
{
    if (!t->root)
        return NULL;
    leaf *l = descend(t, id, NULL);
    int i = lower_bound(l, id);
    if (i < l->n && stream_id_cmp(l->keys[i], id) == 0)
        return leaf_val(t, l, i);
    return NULL;
}

int idtree_first(const idtree *t, stream_id *id)
{
    if (!t->root)
        return 0;
    void *n = t->root;
    for (int h = 0; h < t->height; h++)
        n = ((inner *)n)->child[0];
    *id = ((leaf *)n)->keys[0];
    return 1;
}

int idtree_last(const idtree *t, stream_id *id)
{
    if (!t->root)
        return 0;
    void *n = t->root;
    for (int h = 0; h < t->height; h++)
        n = ((inner *)n)->child[((inner *)n)->n - 1];
    leaf *l = n;
    *id = l->keys[l->n - 1];
    return 1;
}

/* ---- leaf editing -------------------------------------------------------- */

/* Open a hole at i (the leaf has room) and store the key there. */
static void leaf_open(idtree *t, leaf *l, int i, stream_id id)
{
    int tail = l->n - i;
    memmove(l->keys + i + 1, l->keys + i, sizeof(stream_id) * (size_t)tail);
    if (t->vsize) {
        unsigned char *v = leaf_vals(t, l);
        memmove(v + (size_t)(i + 1) * t->vsize, v + (size_t)i * t->vsize, t->vsize * (size_t)tail);
        memset(v + (size_t)i * t->vsize, 0, t->vsize);
    }
    l->keys[i] = id;
    l->n++;
}

static void leaf_close(idtree *t, leaf *l, int i)
{
    int tail = l->n - i - 1;
    memmove(l->keys + i, l->keys + i + 1, sizeof(stream_id) * (size_t)tail);
    if (t->vsize) {
        unsigned char *v = leaf_vals(t, l);
        memmove(v + (size_t)i * t->vsize, v + (size_t)(i + 1) * t->vsize, t->vsize * (size_t)tail);
    }
    l->n--;
}

/* Copy items [from, from+cnt) of src to the end of dst. */
static void leaf_copy(idtree *t, leaf *dst, const leaf *src, int from, int cnt)
{
    memcpy(dst->keys + dst->n, src->keys + from, sizeof(stream_id) * (size_t)cnt);
    if (t->vsize)
        memcpy(leaf_vals(t, dst) + (size_t)dst->n * t->vsize,
               leaf_vals(t, src) + (size_t)from * t->vsize, t->vsize * (size_t)cnt);
    dst->n = (uint16_t)(dst->n + cnt);
}

static leaf *root_leaf_grow(idtree *t, leaf *l)
{
    uint32_t cap = l->cap * 2;
    if (cap > t->leaf_max)
        cap = t->leaf_max;
    leaf *g = leaf_new(t, cap);
    leaf_copy(t, g, l, 0, l->n);
    node_free(t, l);
    t->root = g;
    return g;
}

static void link_after(leaf *l, leaf *r)
{
    r->prev = l;
    r->next = l->next;
    if (l->next)
        l->next->prev = r;
    l->next = r;
}

static void unlink_leaf(leaf *l)
{
    if (l->prev)
        l->prev->next = l->next;
    if (l->next)
        l->next->prev = l->prev;
}

/* ---- insertion ----------------------------------------------------------- */

/* Put (sep, right) just after child path->idx[level] of path->node[level];
 * level -1 means `left` was the root. */
static void insert_in_parent(idtree *t, path *p, int level, void *left, stream_id sep, void *right)
{
    if (level < 0) {
        inner *r = inner_new(t);
        r->n = 2;
        r->child[0] = left;
        r->child[1] = right;
        r->sep[0] = sep;
        t->root = r;
        t->height++;
        return;
    }
    inner *in = p->node[level];
    int i = p->idx[level];
    if (in->n < FAN) {
        memmove(in->sep + i + 1, in->sep + i, sizeof(stream_id) * (size_t)(in->n - 1 - i));
        memmove(in->child + i + 2, in->child + i + 1, sizeof(void *) * (size_t)(in->n - 1 - i));
        in->sep[i] = sep;
        in->child[i + 1] = right;
        in->n++;
        return;
    }
    inner *nr = inner_new(t);
    stream_id up;
    if (i + 1 == in->n) {
        /* Appending at the right edge: keep the left node full. */
        nr->n = 1;
        nr->child[0] = right;
        up = sep;
    } else {
        stream_id seps[FAN];
        void *kids[FAN + 1];
        memcpy(seps, in->sep, sizeof(stream_id) * (size_t)i);
        seps[i] = sep;
        memcpy(seps + i + 1, in->sep + i, sizeof(stream_id) * (size_t)(FAN - 1 - i));
        memcpy(kids, in->child, sizeof(void *) * (size_t)(i + 1));
        kids[i + 1] = right;
        memcpy(kids + i + 2, in->child + i + 1, sizeof(void *) * (size_t)(FAN - 1 - i));
        int total = FAN + 1, h = total / 2;
        in->n = (uint16_t)h;
        memcpy(in->child, kids, sizeof(void *) * (size_t)h);
        memcpy(in->sep, seps, sizeof(stream_id) * (size_t)(h - 1));
        up = seps[h - 1];
        nr->n = (uint16_t)(total - h);
        memcpy(nr->child, kids + h, sizeof(void *) * (size_t)nr->n);
        memcpy(nr->sep, seps + h, sizeof(stream_id) * (size_t)(nr->n - 1));
    }
    insert_in_parent(t, p, level - 1, in, up, nr);
}

void *idtree_insert(idtree *t, stream_id id, int *existed)
{
    path p;
    if (!t->root)
        t->root = leaf_new(t, t->leaf_max < ROOT_LEAF_START ? t->leaf_max : ROOT_LEAF_START);
    leaf *l = descend(t, id, &p);
    int i = lower_bound(l, id);
    if (i < l->n && stream_id_cmp(l->keys[i], id) == 0) {
        if (existed)
            *existed = 1;
        return leaf_val(t, l, i);
    }
    if (existed)
        *existed = 0;
    t->count++;
    if (l->n == l->cap && t->height == 0 && l->cap < t->leaf_max)
        l = root_leaf_grow(t, l);
    if (l->n < l->cap) {
        leaf_open(t, l, i, id);
        return leaf_val(t, l, i);
    }
    leaf *r = leaf_new(t, t->leaf_max);
    leaf *target;
    int ti;
    if (i == l->n && !l->next) {
        target = r;
        ti = 0;
    } else {
        int h = l->n / 2;
        leaf_copy(t, r, l, h, l->n - h);
        l->n = (uint16_t)h;
        if (i <= h) {
            target = l;
            ti = i;
        } else {
            target = r;
            ti = i - h;
        }
    }
    leaf_open(t, target, ti, id);
    link_after(l, r);
    insert_in_parent(t, &p, t->height - 1, l, r->keys[0], r);
    return leaf_val(t, target, ti);
}

/* ---- removal ------------------------------------------------------------- */

static void remove_child(idtree *t, path *p, int level, int i);

/* Try to merge inner node p->node[level] with a sibling. */
static void inner_rebalance(idtree *t, path *p, int level)
{
    inner *in = p->node[level];
    inner *parent = p->node[level - 1];
    int pi = p->idx[level - 1];
    int limit = FAN - FAN / 4;
    inner *left = NULL, *right = NULL;
    int remove_at;
    if (pi + 1 < parent->n && in->n + ((inner *)parent->child[pi + 1])->n <= limit) {
        left = in;
        right = parent->child[pi + 1];
        remove_at = pi + 1;
    } else if (pi > 0 && in->n + ((inner *)parent->child[pi - 1])->n <= limit) {
        left = parent->child[pi - 1];
        right = in;
        remove_at = pi;
    } else {
        return;
    }
    left->sep[left->n - 1] = parent->sep[remove_at - 1];
    memcpy(left->sep + left->n, right->sep, sizeof(stream_id) * (size_t)(right->n - 1));
    memcpy(left->child + left->n, right->child, sizeof(void *) * (size_t)right->n);
    left->n = (uint16_t)(left->n + right->n);
    node_free(t, right);
    remove_child(t, p, level - 1, remove_at);
}

/* Drop child i (already freed or merged away) from p->node[level]. */
static void remove_child(idtree *t, path *p, int level, int i)
{
    inner *in = p->node[level];
    if (in->n > 1) {
        int si = i > 0 ? i - 1 : 0;
        memmove(in->sep + si, in->sep + si + 1, sizeof(stream_id) * (size_t)(in->n - 2 - si));
        memmove(in->child + i, in->child + i + 1, sizeof(void *) * (size_t)(in->n - 1 - i));
    }
    in->n--;
    if (level == 0) {
        if (in->n == 1) {
            t->root = in->child[0];
            t->height--;
            node_free(t, in);
        }
        return;
    }
    if (in->n == 0) {
        node_free(t, in);
        remove_child(t, p, level - 1, p->idx[level - 1]);
        return;
    }
    inner_rebalance(t, p, level);
}

static void leaf_rebalance(idtree *t, path *p, leaf *l)
{
    int level = t->height - 1;
    inner *parent = p->node[level];
    int i = p->idx[level];
    if (l->n == 0) {
        unlink_leaf(l);
        node_free(t, l);
        remove_child(t, p, level, i);
        return;
    }
    int limit = (int)(t->leaf_max - t->leaf_max / 4);
    leaf *left = NULL, *right = NULL;
    int remove_at;
    if (i + 1 < parent->n && l->n + ((leaf *)parent->child[i + 1])->n <= limit) {
        left = l;
        right = parent->child[i + 1];
        remove_at = i + 1;
    } else if (i > 0 && l->n + ((leaf *)parent->child[i - 1])->n <= limit) {
        left = parent->child[i - 1];
        right = l;
        remove_at = i;
    } else {
        return;
    }
    leaf_copy(t, left, right, 0, right->n);
    unlink_leaf(right);
    node_free(t, right);
    remove_child(t, p, level, remove_at);
}

int idtree_remove(idtree *t, stream_id id, void *out)
{
    path p;
    if (!t->root)
        return 0;
    leaf *l = descend(t, id, &p);
    int i = lower_bound(l, id);
    if (i >= l->n || stream_id_cmp(l->keys[i], id) != 0)
        return 0;
    if (out && t->vsize)
        memcpy(out, leaf_val(t, l, i), t->vsize);
    leaf_close(t, l, i);
    t->count--;
    if (t->height == 0) {
        if (l->n == 0) {
            node_free(t, l);
            t->root = NULL;
        }
        return 1;
    }
    leaf_rebalance(t, &p, l);
    return 1;
}

/* ---- iteration ----------------------------------------------------------- */

static leaf *edge_leaf(const idtree *t, int last)
{
    void *n = t->root;
    for (int h = 0; h < t->height; h++) {
        inner *in = n;
        n = in->child[last ? in->n - 1 : 0];
    }
    return n;
}

void idtree_seek(idtree_iter *it, const idtree *t, int op, stream_id key)
{
    it->t = t;
    it->leaf = NULL;
    it->pos = 0;
    if (!t->root)
        return;
    leaf *l;
    int pos;
    if (op == IDT_FIRST) {
        l = edge_leaf(t, 0);
        pos = 0;
    } else if (op == IDT_LAST) {
        l = edge_leaf(t, 1);
        pos = l->n - 1;
    } else {
        l = descend(t, key, NULL);
        if (op == IDT_GE)
            pos = lower_bound(l, key);
        else if (op == IDT_GT)
            pos = upper_bound(l, key);
        else if (op == IDT_LE)
            pos = upper_bound(l, key) - 1;
        else
            pos = lower_bound(l, key) - 1;
    }
    if (pos >= l->n) {
        l = l->next;
        pos = 0;
    } else if (pos < 0) {
        l = l->prev;
        pos = l ? l->n - 1 : 0;
    }
    it->leaf = l;
    it->pos = pos;
}

int idtree_next(idtree_iter *it, stream_id *id, void **val)
{
    leaf *l = it->leaf;
    if (!l)
        return 0;
    if (id)
        *id = l->keys[it->pos];
    if (val)
        *val = leaf_val(it->t, l, it->pos);
    if (++it->pos >= l->n) {
        it->leaf = l->next;
        it->pos = 0;
    }
    return 1;
}

int idtree_prev(idtree_iter *it, stream_id *id, void **val)
{
    leaf *l = it->leaf;
    if (!l)
        return 0;
    if (id)
        *id = l->keys[it->pos];
    if (val)
        *val = leaf_val(it->t, l, it->pos);
    if (--it->pos < 0) {
        it->leaf = l->prev;
        it->pos = it->leaf ? ((leaf *)it->leaf)->n - 1 : 0;
    }
    return 1;
}

/* ---- verification -------------------------------------------------------- */

typedef struct vstate {
    const idtree *t;
    leaf *expect_next; /* next leaf in chain order */
    size_t count;
    size_t mem;
    int have_last;
    stream_id last;
} vstate;

static int verify_rec(vstate *v, void *n, int depth, const stream_id *lo, const stream_id *hi)
{
    const idtree *t = v->t;
    v->mem += ds_alloc_size(n);
    if (depth == t->height) {
        leaf *l = n;
        if (!l->is_leaf)
            return -1;
        if (l != v->expect_next)
            return -2;
        if (l->n == 0 || l->n > l->cap)
            return -3;
        if (t->height > 0 && l->cap != t->leaf_max)
            return -4;
        for (int i = 0; i < l->n; i++) {
            if (v->have_last && stream_id_cmp(v->last, l->keys[i]) >= 0)
                return -5;
            if (lo && stream_id_cmp(l->keys[i], *lo) < 0)
                return -6;
            if (hi && stream_id_cmp(l->keys[i], *hi) >= 0)
                return -7;
            v->last = l->keys[i];
            v->have_last = 1;
        }
        v->count += l->n;
        if (l->next && l->next->prev != l)
            return -8;
        v->expect_next = l->next;
        return 0;
    }
    inner *in = n;
    if (in->is_leaf || in->n < 1 || in->n > FAN)
        return -9;
    if (depth == 0 && in->n < 2)
        return -10;
    for (int i = 0; i < in->n; i++) {
        const stream_id *clo = i > 0 ? &in->sep[i - 1] : lo;
        const stream_id *chi = i < in->n - 1 ? &in->sep[i] : hi;
        if (i > 0 && i < in->n - 1 && stream_id_cmp(in->sep[i - 1], in->sep[i]) >= 0)
            return -11;
        int r = verify_rec(v, in->child[i], depth + 1, clo, chi);
        if (r)
            return r;
    }
    return 0;
}

int idtree_verify(const idtree *t)
{
    vstate v = {0};
    v.t = t;
    v.mem = ds_alloc_size((void *)t);
    if (!t->root)
        return t->count == 0 && t->height == 0 ? 0 : -20;
    v.expect_next = edge_leaf(t, 0);
    if (v.expect_next->prev)
        return -21;
    int r = verify_rec(&v, t->root, 0, NULL, NULL);
    if (r)
        return r;
    if (v.expect_next != NULL)
        return -22;
    if (v.count != t->count)
        return -23;
    if (v.mem != t->mem)
        return -24;
    return 0;
}
