/* cmd/types.h - helpers shared by the hash, set and sorted set commands
 * (cmd/hash.c, cmd/set.c, cmd/zset.c): HSCAN/SSCAN/ZSCAN plumbing and the
 * encoding limits read from the config. */
#ifndef CMD_TYPES_H
#define CMD_TYPES_H
#include "../ds/hmap.h"
#include "../ds/mset.h"
#include "../ds/zset.h"
#include "../server.h"

/* Limits from hash-max-listpack-*, set-max-intset-entries, zset-max-*. */
hmap_limits types_hash_limits(void);
size_t types_set_max_intset(void);
zset_limits types_zset_limits(void);

/* getRangeLongFromObjectOrReply: msg (if given) replaces both errors. */
int types_parse_range(client *c, const arg *a, long long min, long long max, long long *out,
                      const char *msg);
/* getPositiveLongFromObjectOrReply. */
int types_parse_positive(client *c, const arg *a, long long *out, const char *msg);

/* ---- *SCAN ---- */

typedef struct scan_opts {
    long long count;
    const arg *pat;  /* NULL: no pattern */
    const arg *type; /* SCAN's TYPE filter; NULL: any type */
} scan_opts;

/* Copies of the elements a scan step returns (small: COUNT-sized). */
typedef struct scan_acc {
    char *buf;
    size_t used, cap;
    size_t *off, *len;
    size_t n, ncap;
} scan_acc;

/* Redis's parseScanCursorOrReply (strtoul rules): 0 ok, -1 replied. */
int types_parse_cursor(client *c, const arg *a, size_t *cursor);
/* COUNT / MATCH (and TYPE when allow_type: SCAN) options from argv[first]:
 * 0 ok, -1 replied. */
int types_parse_scan_opts(client *c, int first, int allow_type, scan_opts *o);

void scan_acc_init(scan_acc *a);
void scan_acc_add(scan_acc *a, const char *p, size_t len);
void scan_acc_add_ll(scan_acc *a, long long v);
void scan_acc_add_double(scan_acc *a, double d);
void scan_acc_free(scan_acc *a);
/* One scan step over obj from cursor, adding to a; returns the next
 * cursor (hmap_scan, mset_scan and zset_scan wrapped). */
typedef size_t scan_step_fn(void *obj, size_t cursor, scan_acc *a);
/* Redis's loop: step until the cursor is 0, `count` elements were added
 * or 10 * count steps were taken (sparse tables); returns the cursor. */
size_t scan_acc_run(scan_acc *a, void *obj, size_t cursor, long long count, scan_step_fn *step);
/* Reply [cursor, [elements]], dropping those (and with pairs, the value
 * after each) whose name does not match the pattern. */
void scan_acc_reply(client *c, scan_acc *a, size_t cursor, const scan_opts *o, int pairs);

#endif
