/* el.h - single-threaded epoll event loop with monotonic timers.
 *
 * One loop turn: run due timers, call the before-sleep hook, epoll_wait
 * (bounded by the nearest timer), dispatch readable then writable events.
 * Timers live in a binary min-heap keyed by due time; a handle can be
 * cancelled in O(log n), so thousands of blocked-client timeouts are cheap. */
#ifndef NET_EL_H
#define NET_EL_H
#include <stdint.h>

#define EL_READ 1
#define EL_WRITE 2

typedef struct el el;
typedef struct el_timer el_timer;
typedef void el_file_fn(el *l, int fd, void *ud, int mask);
/* Return the delay in ms to run again, or -1 to delete the timer. */
typedef long long el_timer_fn(el *l, el_timer *t, void *ud);
typedef void el_hook_fn(el *l, void *ud);

el *el_new(int maxfds);
void el_free(el *l);
int el_add(el *l, int fd, int mask, el_file_fn *fn, void *ud);
void el_del(el *l, int fd, int mask);
int el_mask(el *l, int fd);
el_timer *el_timer_add(el *l, long long ms, el_timer_fn *fn, void *ud);
/* Run at an absolute monotonic time in microseconds. */
el_timer *el_timer_at(el *l, uint64_t when_us, el_timer_fn *fn, void *ud);
void el_timer_del(el *l, el_timer *t);
void el_set_before_sleep(el *l, el_hook_fn *fn, void *ud);
void el_set_after_sleep(el *l, el_hook_fn *fn, void *ud);
void el_run(el *l);
void el_stop(el *l);
int el_process(el *l, int wait);

uint64_t el_mono_us(void);
long long el_wall_ms(void);
long long el_wall_us(void);

#endif
