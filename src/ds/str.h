/* str.h - binary-safe, length-prefixed strings that know their capacity.
 *
 * A str is a char * pointing at the bytes, which are always followed by a
 * NUL (so they can be printed), and preceded by a small header:
 *
 *     +----------+----------+---------------------+----+-------------+
 *     | len (u32)| cap (u32)| bytes[len]          | \0 | spare       |
 *     +----------+----------+---------------------+----+-------------+
 *                           ^ str points here
 *
 * Functions that may grow a str return the new pointer: always use it. */
#ifndef DS_STR_H
#define DS_STR_H
#include <stddef.h>
#include <stdint.h>

typedef char *str;

struct str_hdr {
    uint32_t len;
    uint32_t cap;
};

#define STR_HDR(s) ((struct str_hdr *)((s) - sizeof(struct str_hdr)))

static inline size_t str_len(const str s)
{
    return ((const struct str_hdr *)(s - sizeof(struct str_hdr)))->len;
}

static inline size_t str_cap(const str s)
{
    return ((const struct str_hdr *)(s - sizeof(struct str_hdr)))->cap;
}

str str_new(const void *p, size_t len);
str str_empty_cap(size_t cap);
str str_from_c(const char *c);
str str_from_ll(long long v);
str str_dup(const str s);
void str_free(str s);
str str_cat(str s, const void *p, size_t len);
/* Append p in double quotes with \\, \", \n, \r, \t, \a, \b and \xHH escapes
 * (Redis's sdscatrepr): MONITOR lines, CONFIG REWRITE, option echoes. */
str str_cat_repr(str s, const void *p, size_t len);
str str_grow_zero(str s, size_t len); /* extend with zero bytes to len */
str str_make_room(str s, size_t extra);
void str_set_len(str s, size_t len);
str str_shrink(str s); /* drop spare capacity if it is large */
size_t str_alloc_size(const str s);
int str_cmp(const str a, const str b);
int str_eq_buf(const str s, const void *p, size_t len);

#endif
