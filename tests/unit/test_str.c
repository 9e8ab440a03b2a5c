/* test_str.c - Criterion unit tests for src/ds/str.c.
 *
 * Invariants checked after every operation (str_check): the bytes are
 * followed by a NUL, len <= cap, and cap fits in the block the allocator
 * really gave (header + cap + NUL <= usable size).  Every test also checks
 * that ds_used_memory() is back where it started, i.e. nothing leaked
 * (explicitly at its end: an assertion in a .fini hook does not fail it). */
#include <criterion/criterion.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ds/alloc.h"
#include "ds/str.h"

static size_t mem_at_start;

static void mem_mark(void)
{
    mem_at_start = ds_used_memory();
}

static void mem_check(void)
{
    cr_assert_eq(ds_used_memory(), mem_at_start, "leak: %zu bytes",
                 ds_used_memory() - mem_at_start);
}

TestSuite(str, .init = mem_mark);

static void str_check(const str s)
{
    cr_assert_not_null(s);
    cr_assert_leq(str_len(s), str_cap(s));
    cr_assert_eq(s[str_len(s)], '\0', "not NUL-terminated");
    cr_assert_geq(str_alloc_size(s), sizeof(struct str_hdr) + str_cap(s) + 1);
}

static void str_is(const str s, const void *p, size_t len)
{
    str_check(s);
    cr_assert_eq(str_len(s), len);
    cr_assert(memcmp(s, p, len) == 0);
    cr_assert(str_eq_buf(s, p, len));
}

Test(str, new_copies_binary_bytes)
{
    const char bin[] = "a\0b\r\n\xff";
    str s = str_new(bin, sizeof(bin) - 1);
    str_is(s, bin, 6);
    str_free(s);
    mem_check();
}

Test(str, new_without_source_is_zeroed)
{
    str s = str_new(NULL, 100);
    str_check(s);
    cr_assert_eq(str_len(s), 100);
    for (int i = 0; i < 100; i++)
        cr_assert_eq(s[i], 0);
    str_free(s);
    mem_check();
}

Test(str, new_empty)
{
    str s = str_new("x", 0);
    str_is(s, "", 0);
    str_free(s);
    s = str_new(NULL, 0);
    str_is(s, "", 0);
    str_free(s);
    mem_check();
}

Test(str, empty_cap)
{
    str s = str_empty_cap(1000);
    str_is(s, "", 0);
    cr_assert_geq(str_cap(s), 1000);
    char *before = s;
    s = str_cat(s, "hello", 5);
    cr_assert_eq(s, before, "appending within the capacity does not move");
    str_is(s, "hello", 5);
    str_free(s);
    mem_check();
}

Test(str, from_c_and_dup)
{
    str a = str_from_c("queue:1");
    str_is(a, "queue:1", 7);
    str b = str_dup(a);
    cr_assert_neq(a, b);
    str_is(b, "queue:1", 7);
    b[0] = 'Q';
    cr_assert_eq(a[0], 'q', "dup is a deep copy");
    str_free(a);
    str_free(b);
    /* Binary contents survive dup. */
    a = str_new("x\0y", 3);
    b = str_dup(a);
    str_is(b, "x\0y", 3);
    str_free(a);
    str_free(b);
    mem_check();
}

Test(str, from_ll)
{
    struct {
        long long v;
        const char *text;
    } cases[] = {
        {0, "0"},
        {1, "1"},
        {-1, "-1"},
        {10, "10"},
        {-10, "-10"},
        {1234567890123LL, "1234567890123"},
        {LLONG_MAX, "9223372036854775807"},
        {LLONG_MIN, "-9223372036854775808"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        str s = str_from_ll(cases[i].v);
        str_is(s, cases[i].text, strlen(cases[i].text));
        str_free(s);
    }
    mem_check();
}

Test(str, free_null)
{
    str_free(NULL);
    mem_check();
}

Test(str, cat_matches_a_model)
{
    unsigned char model[20000];
    size_t mlen = 0;
    str s = str_new(NULL, 0);
    srand(7);
    while (mlen < sizeof(model) - 300) {
        size_t n = (size_t)(rand() % 257);
        unsigned char chunk[257];
        for (size_t i = 0; i < n; i++)
            chunk[i] = (unsigned char)rand(); /* includes NUL bytes */
        s = str_cat(s, chunk, n);
        memcpy(model + mlen, chunk, n);
        mlen += n;
        str_is(s, model, mlen);
    }
    str_free(s);
    mem_check();
}

Test(str, cat_nothing)
{
    str s = str_from_c("abc");
    s = str_cat(s, "", 0);
    str_is(s, "abc", 3);
    str_free(s);
    mem_check();
}

Test(str, growth_is_amortised)
{
    str s = str_new(NULL, 0);
    int moves = 0;
    size_t last_cap = str_cap(s);
    for (size_t i = 0; i < (4u << 20); i++) {
        s = str_cat(s, "x", 1);
        if (str_cap(s) != last_cap) {
            moves++;
            last_cap = str_cap(s);
        }
    }
    str_check(s);
    cr_assert_eq(str_len(s), 4u << 20);
    /* Doubling to 1 MiB (~20 steps), then +1 MiB steps (~3). */
    cr_assert_leq(moves, 30, "%d reallocations for 4 MiB of 1-byte appends", moves);
    str_free(s);
    mem_check();
}

Test(str, growth_above_1mib_adds_about_1mib)
{
    str s = str_new(NULL, 3u << 20);
    s = str_make_room(s, 1);
    str_check(s);
    cr_assert_geq(str_cap(s), (3u << 20) + 1);
    /* Not doubled: at most 1 MiB extra plus allocator rounding. */
    cr_assert_leq(str_cap(s), (4u << 20) + (1u << 19), "cap %zu", str_cap(s));
    str_free(s);
    mem_check();
}

Test(str, make_room_keeps_contents_and_length)
{
    str s = str_from_c("abc");
    s = str_make_room(s, 5000);
    str_is(s, "abc", 3);
    cr_assert_geq(str_cap(s), 5003);
    char *before = s;
    size_t cap = str_cap(s);
    s = str_make_room(s, 10);
    cr_assert_eq(s, before, "enough room already: no reallocation");
    cr_assert_eq(str_cap(s), cap);
    str_free(s);
    mem_check();
}

Test(str, grow_zero)
{
    str s = str_from_c("ab");
    s = str_grow_zero(s, 10);
    str_is(s, "ab\0\0\0\0\0\0\0\0", 10);
    /* Never shrinks. */
    s = str_grow_zero(s, 4);
    cr_assert_eq(str_len(s), 10);
    s = str_grow_zero(s, 10);
    cr_assert_eq(str_len(s), 10);
    /* Bytes beyond the old length that were dirty become zero. */
    str_set_len(s, 1);
    s = str_grow_zero(s, 3);
    str_is(s, "a\0\0", 3);
    str_free(s);
    mem_check();
}

Test(str, set_len)
{
    str s = str_empty_cap(16);
    memcpy(s, "hello world", 11);
    str_set_len(s, 11);
    str_is(s, "hello world", 11);
    str_set_len(s, 5);
    str_is(s, "hello", 5);
    str_set_len(s, 0);
    str_is(s, "", 0);
    str_free(s);
    mem_check();
}

Test(str, shrink_drops_large_spare)
{
    str s = str_empty_cap(100000);
    s = str_cat(s, "payload", 7);
    s = str_shrink(s);
    str_is(s, "payload", 7);
    cr_assert_lt(str_cap(s), 64, "cap %zu after shrink", str_cap(s));
    str_free(s);
    mem_check();
}

Test(str, shrink_keeps_small_spare)
{
    str s = str_new(NULL, 1000);
    memset(s, 'z', 1000);
    char *before = s;
    size_t cap = str_cap(s);
    s = str_shrink(s);
    cr_assert_eq(s, before);
    cr_assert_eq(str_cap(s), cap);
    str_check(s);
    str_free(s);
    mem_check();
}

Test(str, cmp_is_binary_and_unsigned)
{
    str a = str_from_c("abc"), b = str_from_c("abd"), c = str_from_c("ab");
    str d = str_new("ab\0", 3), e = str_new("\x80", 1), f = str_new("\x7f", 1);
    str a2 = str_from_c("abc"), empty = str_new(NULL, 0);
    cr_assert_lt(str_cmp(a, b), 0);
    cr_assert_gt(str_cmp(b, a), 0);
    cr_assert_eq(str_cmp(a, a2), 0);
    cr_assert_gt(str_cmp(a, c), 0, "longer with equal prefix sorts after");
    cr_assert_lt(str_cmp(c, a), 0);
    cr_assert_gt(str_cmp(d, c), 0, "embedded NUL counts");
    cr_assert_gt(str_cmp(e, f), 0, "bytes compare unsigned");
    cr_assert_lt(str_cmp(empty, c), 0);
    cr_assert_eq(str_cmp(empty, empty), 0);
    str *all[] = {&a, &b, &c, &d, &e, &f, &a2, &empty};
    for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++)
        str_free(*all[i]);
    mem_check();
}

Test(str, eq_buf)
{
    str s = str_new("a\0b", 3);
    cr_assert(str_eq_buf(s, "a\0b", 3));
    cr_assert_not(str_eq_buf(s, "a\0c", 3));
    cr_assert_not(str_eq_buf(s, "a", 1));
    cr_assert_not(str_eq_buf(s, "a\0bc", 4));
    str_free(s);
    mem_check();
}

Test(str, accounting_matches_alloc_size)
{
    size_t before = ds_used_memory();
    str s = str_new("x", 1);
    cr_assert_eq(ds_used_memory() - before, str_alloc_size(s));
    s = str_make_room(s, 100000);
    cr_assert_eq(ds_used_memory() - before, str_alloc_size(s));
    str_free(s);
    cr_assert_eq(ds_used_memory(), before);
    mem_check();
}

/* len and cap are 32-bit: more is refused loudly before allocating. */
Test(str, make_room_past_4gib_aborts, .signal = SIGABRT)
{
    str s = str_from_c("a");
    s = str_make_room(s, UINT32_MAX);
}

Test(str, new_past_4gib_aborts, .signal = SIGABRT)
{
    str s = str_new(NULL, (size_t)UINT32_MAX + 1);
    str_free(s);
}
