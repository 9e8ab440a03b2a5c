/* el.c - see el.h. */
#include "el.h"

#include "../ds/alloc.h"

#include <errno.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

/* One callback per direction: adding a write handler must not replace the
 * read handler (and the other way round). */
typedef struct el_file {
    int mask;
    el_file_fn *rfn, *wfn;
    void *ud;
} el_file;

struct el_timer {
    uint64_t when;
    el_timer_fn *fn;
    void *ud;
    long heap_idx;
};

struct el {
    int epfd;
    int maxfds;
    el_file *files;
    struct epoll_event *events;
    el_timer **heap;
    long nheap, capheap;
    el_hook_fn *before, *after;
    void *before_ud, *after_ud;
    int stop;
};

uint64_t el_mono_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

long long el_wall_us(void)
{
    struct timeval tv;
    gettimeofday(&tv, NULL);
    return (long long)tv.tv_sec * 1000000 + tv.tv_usec;
}

long long el_wall_ms(void)
{
    return el_wall_us() / 1000;
}

el *el_new(int maxfds)
{
    el *l = ds_calloc(sizeof(*l));
    l->epfd = epoll_create1(EPOLL_CLOEXEC);
    if (l->epfd < 0) {
        ds_free(l);
        return NULL;
    }
    l->maxfds = maxfds;
    l->files = ds_calloc(sizeof(el_file) * (size_t)maxfds);
    l->events = ds_calloc(sizeof(struct epoll_event) * (size_t)maxfds);
    return l;
}

void el_free(el *l)
{
    close(l->epfd);
    for (long i = 0; i < l->nheap; i++)
        ds_free(l->heap[i]);
    ds_free(l->heap);
    ds_free(l->files);
    ds_free(l->events);
    ds_free(l);
}

int el_add(el *l, int fd, int mask, el_file_fn *fn, void *ud)
{
    if (fd >= l->maxfds)
        return -1;
    el_file *f = &l->files[fd];
    struct epoll_event ev = {0};
    int op = f->mask ? EPOLL_CTL_MOD : EPOLL_CTL_ADD;
    int nm = f->mask | mask;
    ev.events = (nm & EL_READ ? EPOLLIN : 0) | (nm & EL_WRITE ? EPOLLOUT : 0);
    ev.data.fd = fd;
    if (nm != f->mask && epoll_ctl(l->epfd, op, fd, &ev) < 0)
        return -1;
    f->mask = nm;
    if (mask & EL_READ)
        f->rfn = fn;
    if (mask & EL_WRITE)
        f->wfn = fn;
    f->ud = ud;
    return 0;
}

void el_del(el *l, int fd, int mask)
{
    if (fd < 0 || fd >= l->maxfds)
        return;
    el_file *f = &l->files[fd];
    if (!f->mask)
        return;
    int nm = f->mask & ~mask;
    struct epoll_event ev = {0};
    ev.events = (nm & EL_READ ? EPOLLIN : 0) | (nm & EL_WRITE ? EPOLLOUT : 0);
    ev.data.fd = fd;
    epoll_ctl(l->epfd, nm ? EPOLL_CTL_MOD : EPOLL_CTL_DEL, fd, &ev);
    f->mask = nm;
}

int el_mask(el *l, int fd)
{
    return (fd >= 0 && fd < l->maxfds) ? l->files[fd].mask : 0;
}

static void heap_swap(el *l, long a, long b)
{
    el_timer *t = l->heap[a];
    l->heap[a] = l->heap[b];
    l->heap[b] = t;
    l->heap[a]->heap_idx = a;
    l->heap[b]->heap_idx = b;
}

static void heap_up(el *l, long i)
{
    while (i > 0) {
        long p = (i - 1) / 2;
        if (l->heap[p]->when <= l->heap[i]->when)
            break;
        heap_swap(l, p, i);
        i = p;
    }
}

static void heap_down(el *l, long i)
{
    for (;;) {
        long c = 2 * i + 1, m = i;
        if (c < l->nheap && l->heap[c]->when < l->heap[m]->when)
            m = c;
        if (c + 1 < l->nheap && l->heap[c + 1]->when < l->heap[m]->when)
            m = c + 1;
        if (m == i)
            break;
        heap_swap(l, m, i);
        i = m;
    }
}

static void heap_push(el *l, el_timer *t)
{
    if (l->nheap == l->capheap) {
        l->capheap = l->capheap ? l->capheap * 2 : 64;
        l->heap = ds_realloc(l->heap, sizeof(el_timer *) * (size_t)l->capheap);
    }
    t->heap_idx = l->nheap;
    l->heap[l->nheap++] = t;
    heap_up(l, t->heap_idx);
}

static void heap_remove(el *l, el_timer *t)
{
    long i = t->heap_idx;
    l->nheap--;
    if (i != l->nheap) {
        l->heap[i] = l->heap[l->nheap];
        l->heap[i]->heap_idx = i;
        heap_down(l, i);
        heap_up(l, i);
    }
    t->heap_idx = -1;
}

el_timer *el_timer_at(el *l, uint64_t when_us, el_timer_fn *fn, void *ud)
{
    el_timer *t = ds_malloc(sizeof(*t));
    t->when = when_us;
    t->fn = fn;
    t->ud = ud;
    heap_push(l, t);
    return t;
}

el_timer *el_timer_add(el *l, long long ms, el_timer_fn *fn, void *ud)
{
    return el_timer_at(l, el_mono_us() + (uint64_t)ms * 1000, fn, ud);
}

void el_timer_del(el *l, el_timer *t)
{
    if (!t)
        return;
    if (t->heap_idx >= 0)
        heap_remove(l, t);
    ds_free(t);
}

void el_set_before_sleep(el *l, el_hook_fn *fn, void *ud)
{
    l->before = fn;
    l->before_ud = ud;
}

void el_set_after_sleep(el *l, el_hook_fn *fn, void *ud)
{
    l->after = fn;
    l->after_ud = ud;
}

static void run_timers(el *l)
{
    uint64_t now = el_mono_us();
    /* Bound the work so timers re-armed for "now" cannot starve I/O. */
    int budget = 10000;
    while (l->nheap && l->heap[0]->when <= now && budget--) {
        el_timer *t = l->heap[0];
        heap_remove(l, t);
        long long again = t->fn(l, t, t->ud);
        if (again >= 0) {
            t->when = el_mono_us() + (uint64_t)again * 1000;
            heap_push(l, t);
        } else if (t->heap_idx < 0) {
            ds_free(t);
        }
    }
}

int el_process(el *l, int wait)
{
    int timeout = 0;
    if (wait) {
        timeout = -1;
        if (l->nheap) {
            uint64_t now = el_mono_us(), when = l->heap[0]->when;
            timeout = when <= now ? 0 : (int)((when - now + 999) / 1000);
        }
    }
    int n = epoll_wait(l->epfd, l->events, l->maxfds, timeout);
    if (l->after)
        l->after(l, l->after_ud);
    for (int i = 0; i < n; i++) {
        struct epoll_event *e = &l->events[i];
        int fd = e->data.fd;
        el_file *f = &l->files[fd];
        int mask = 0;
        if (e->events & (EPOLLIN | EPOLLERR | EPOLLHUP))
            mask |= EL_READ;
        if (e->events & (EPOLLOUT | EPOLLERR | EPOLLHUP))
            mask |= EL_WRITE;
        mask &= f->mask;
        if ((mask & EL_READ) && f->rfn)
            f->rfn(l, fd, f->ud, EL_READ);
        /* The read handler may have closed the fd: look at the mask again. */
        if ((mask & EL_WRITE) && (f->mask & EL_WRITE) && f->wfn)
            f->wfn(l, fd, f->ud, EL_WRITE);
    }
    run_timers(l);
    return n;
}

void el_run(el *l)
{
    l->stop = 0;
    while (!l->stop) {
        if (l->before)
            l->before(l, l->before_ud);
        if (l->stop)
            break;
        el_process(l, 1);
    }
}

void el_stop(el *l)
{
    l->stop = 1;
}
