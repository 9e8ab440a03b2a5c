/* str.c - see str.h for the layout.  Growth doubles up to 1 MiB, then adds
 * 1 MiB at a time, so appends are amortised O(1) without wasting gigabytes.
 *
 * len and cap are 32-bit: a str holds at most UINT32_MAX bytes.  Asking for
 * more is a caller bug (limits such as proto-max-bulk-len must keep values
 * below it) and aborts loudly instead of silently truncating the length. */
#include "str.h"

#include "alloc.h"
#include "util.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HDR sizeof(struct str_hdr)

static void check_len(size_t len)
{
    if (len > UINT32_MAX) {
        fprintf(stderr, "sluice: string of %zu bytes exceeds the 4 GiB limit\n", len);
        fflush(stderr);
        abort();
    }
}

static str str_alloc(size_t cap)
{
    check_len(cap);
    char *mem = ds_malloc(HDR + cap + 1);
    struct str_hdr *h = (struct str_hdr *)mem;
    /* Use whatever the allocator gave us beyond what we asked for. */
    size_t usable = ds_alloc_size(mem) - HDR - 1;
    if (usable > UINT32_MAX)
        usable = UINT32_MAX;
    h->cap = (uint32_t)usable;
    h->len = 0;
    return mem + HDR;
}

str str_new(const void *p, size_t len)
{
    str s = str_alloc(len);
    if (len && p)
        memcpy(s, p, len);
    else if (len)
        memset(s, 0, len);
    s[len] = '\0';
    STR_HDR(s)->len = (uint32_t)len;
    return s;
}

str str_empty_cap(size_t cap)
{
    str s = str_alloc(cap);
    s[0] = '\0';
    return s;
}

str str_from_c(const char *c)
{
    return str_new(c, strlen(c));
}

str str_from_ll(long long v)
{
    char buf[32];
    int n = ll_to_str(buf, sizeof(buf), v);
    return str_new(buf, (size_t)n);
}

str str_dup(const str s)
{
    return str_new(s, str_len(s));
}

void str_free(str s)
{
    if (s)
        ds_free(s - HDR);
}

str str_make_room(str s, size_t extra)
{
    size_t len = str_len(s), need = len + extra;
    if (need <= str_cap(s))
        return s;
    check_len(need);
    size_t cap = need < (1u << 20) ? need * 2 : need + (1u << 20);
    char *mem = ds_realloc(s - HDR, HDR + cap + 1);
    size_t usable = ds_alloc_size(mem) - HDR - 1;
    if (usable > UINT32_MAX)
        usable = UINT32_MAX;
    ((struct str_hdr *)mem)->cap = (uint32_t)usable;
    return mem + HDR;
}

str str_cat(str s, const void *p, size_t len)
{
    size_t old = str_len(s);
    s = str_make_room(s, len);
    memcpy(s + old, p, len);
    STR_HDR(s)->len = (uint32_t)(old + len);
    s[old + len] = '\0';
    return s;
}

str str_grow_zero(str s, size_t len)
{
    size_t old = str_len(s);
    if (len <= old)
        return s;
    s = str_make_room(s, len - old);
    memset(s + old, 0, len - old + 1);
    STR_HDR(s)->len = (uint32_t)len;
    return s;
}

void str_set_len(str s, size_t len)
{
    STR_HDR(s)->len = (uint32_t)len;
    s[len] = '\0';
}

str str_shrink(str s)
{
    size_t len = str_len(s);
    if (str_cap(s) - len < 64 || str_cap(s) < len + len / 10)
        return s;
    char *mem = ds_realloc(s - HDR, HDR + len + 1);
    size_t usable = ds_alloc_size(mem) - HDR - 1;
    ((struct str_hdr *)mem)->cap = (uint32_t)(usable > UINT32_MAX ? UINT32_MAX : usable);
    return mem + HDR;
}

size_t str_alloc_size(const str s)
{
    return ds_alloc_size((char *)s - HDR);
}

int str_cmp(const str a, const str b)
{
    size_t la = str_len(a), lb = str_len(b);
    int r = memcmp(a, b, la < lb ? la : lb);
    if (r)
        return r;
    return la < lb ? -1 : la > lb;
}

int str_eq_buf(const str s, const void *p, size_t len)
{
    return str_len(s) == len && memcmp(s, p, len) == 0;
}

str str_cat_repr(str s, const void *p, size_t len)
{
    const unsigned char *b = p;
    s = str_cat(s, "\"", 1);
    for (size_t i = 0; i < len; i++) {
        char esc[8];
        size_t n = 2;
        switch (b[i]) {
        case '\\': memcpy(esc, "\\\\", 2); break;
        case '"': memcpy(esc, "\\\"", 2); break;
        case '\n': memcpy(esc, "\\n", 2); break;
        case '\r': memcpy(esc, "\\r", 2); break;
        case '\t': memcpy(esc, "\\t", 2); break;
        case '\a': memcpy(esc, "\\a", 2); break;
        case '\b': memcpy(esc, "\\b", 2); break;
        default:
            if (isprint(b[i])) {
                esc[0] = (char)b[i];
                n = 1;
            } else {
                n = (size_t)snprintf(esc, sizeof(esc), "\\x%02x", b[i]);
            }
        }
        s = str_cat(s, esc, n);
    }
    return str_cat(s, "\"", 1);
}
