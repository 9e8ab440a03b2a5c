/* test_util.c - Criterion unit tests for the number <-> text conversions of
 * src/ds/util.c.  The rules are Redis 7.0's (string2ll, string2ld,
 * ld2string LD_STR_HUMAN, "%.17g" doubles): the exact accepted inputs and
 * produced texts are visible to clients (INCR, INCRBYFLOAT, scores...). */
#include <criterion/criterion.h>
#include <float.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "ds/util.h"

/* ---- str_to_ll --------------------------------------------------------- */

static int ll_ok(const char *s, long long want)
{
    long long v = 12345;
    return str_to_ll(s, strlen(s), &v) && v == want;
}

static int ll_bad(const char *s)
{
    long long v = 12345;
    return !str_to_ll(s, strlen(s), &v) && v == 12345;
}

Test(str_to_ll, plain_numbers)
{
    cr_assert(ll_ok("0", 0));
    cr_assert(ll_ok("1", 1));
    cr_assert(ll_ok("-1", -1));
    cr_assert(ll_ok("17179869184", 17179869184LL));
    cr_assert(ll_ok("-555", -555));
    cr_assert(ll_ok("1000000", 1000000));
}

Test(str_to_ll, limits)
{
    cr_assert(ll_ok("9223372036854775807", LLONG_MAX));
    cr_assert(ll_ok("-9223372036854775808", LLONG_MIN));
    cr_assert(ll_ok("-9223372036854775807", LLONG_MIN + 1));
}

Test(str_to_ll, overflow)
{
    cr_assert(ll_bad("9223372036854775808"));
    cr_assert(ll_bad("-9223372036854775809"));
    cr_assert(ll_bad("18446744073709551615"));
    cr_assert(ll_bad("18446744073709551616"));
    cr_assert(ll_bad("99999999999999999999"));
    cr_assert(ll_bad("-99999999999999999999"));
    cr_assert(ll_bad("123456789012345678901234567890"));
}

Test(str_to_ll, signs_and_zeros)
{
    cr_assert(ll_bad("-0"));
    cr_assert(ll_bad("+1"));
    cr_assert(ll_bad("+0"));
    cr_assert(ll_bad("-"));
    cr_assert(ll_bad("+"));
    cr_assert(ll_bad("--1"));
    cr_assert(ll_bad("00"));
    cr_assert(ll_bad("01"));
    cr_assert(ll_bad("007"));
    cr_assert(ll_bad("-01"));
    cr_assert(ll_bad("-00"));
}

Test(str_to_ll, junk_and_spaces)
{
    cr_assert(ll_bad(""));
    cr_assert(ll_bad(" 1"));
    cr_assert(ll_bad("1 "));
    cr_assert(ll_bad("    11    "));
    cr_assert(ll_bad("1a"));
    cr_assert(ll_bad("a1"));
    cr_assert(ll_bad("1.0"));
    cr_assert(ll_bad("1e3"));
    cr_assert(ll_bad("0x10"));
    cr_assert(ll_bad("\t1"));
}

Test(str_to_ll, binary_safe_lengths)
{
    long long v = 7;
    /* "12" followed by a NUL: the NUL is part of the value, so not a number. */
    cr_assert(!str_to_ll("12\0", 3, &v));
    /* Only the given length is read. */
    cr_assert(str_to_ll("1234", 2, &v));
    cr_assert_eq(v, 12);
    cr_assert(!str_to_ll("5", 0, &v));
}

Test(str_to_ull, limits)
{
    unsigned long long v = 0;
    cr_assert(str_to_ull("18446744073709551615", 20, &v));
    cr_assert_eq(v, ULLONG_MAX);
    cr_assert(!str_to_ull("18446744073709551616", 20, &v));
    cr_assert(!str_to_ull("-1", 2, &v));
    cr_assert(!str_to_ull("01", 2, &v));
    cr_assert(str_to_ull("0", 1, &v));
    cr_assert_eq(v, 0);
}

/* ---- ll_to_str --------------------------------------------------------- */

static void ll_text(long long v, const char *want)
{
    char buf[32];
    memset(buf, 'x', sizeof(buf));
    int n = ll_to_str(buf, sizeof(buf), v);
    cr_assert_eq(n, (int)strlen(want), "length of %lld", v);
    cr_assert_str_eq(buf, want);
}

Test(ll_to_str, values)
{
    ll_text(0, "0");
    ll_text(1, "1");
    ll_text(-1, "-1");
    ll_text(10, "10");
    ll_text(-555, "-555");
    ll_text(17179869185LL, "17179869185");
    ll_text(LLONG_MAX, "9223372036854775807");
    ll_text(LLONG_MIN, "-9223372036854775808");
}

Test(ll_to_str, small_buffers)
{
    char buf[8];
    cr_assert_eq(ll_to_str(buf, 4, 123), 3); /* exactly room for 3 digits + NUL */
    cr_assert_str_eq(buf, "123");
    cr_assert_eq(ll_to_str(buf, 3, 123), 0);
    cr_assert_eq(ll_to_str(buf, 3, -12), 0);
    cr_assert_eq(ll_to_str(buf, 4, -12), 3);
    cr_assert_str_eq(buf, "-12");
    cr_assert_eq(ll_to_str(buf, 1, -1), 0);
    cr_assert_eq(ll_to_str(buf, 0, 5), 0);
}

Test(ll_to_str, round_trip)
{
    long long vals[] = {0,
                        1,
                        -1,
                        9,
                        10,
                        99,
                        100,
                        -100,
                        123456789,
                        -987654321012LL,
                        LLONG_MAX,
                        LLONG_MIN,
                        LLONG_MAX - 1,
                        LLONG_MIN + 1};
    for (size_t i = 0; i < sizeof(vals) / sizeof(vals[0]); i++) {
        char buf[32];
        long long back;
        int n = ll_to_str(buf, sizeof(buf), vals[i]);
        cr_assert(str_to_ll(buf, (size_t)n, &back));
        cr_assert_eq(back, vals[i]);
    }
}

Test(ull_to_str, matches_printf)
{
    /* Every digit count, both sides of each power of ten, and a spread. */
    unsigned long long v = 1;
    for (int k = 0; k < 20; k++, v *= 10) {
        unsigned long long cases[] = {v - 1, v, v + 1, v * 5 + 7};
        for (int i = 0; i < 4; i++) {
            char a[32], b[32];
            int n = ull_to_str(a, sizeof(a), cases[i]);
            snprintf(b, sizeof(b), "%llu", cases[i]);
            cr_assert_str_eq(a, b);
            cr_assert_eq(n, (int)strlen(b));
        }
    }
    unsigned long long x = 88172645463325252ULL;
    for (int i = 0; i < 10000; i++) {
        char a[32], b[32];
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        unsigned long long w = x >> (i % 64);
        ull_to_str(a, sizeof(a), w);
        snprintf(b, sizeof(b), "%llu", w);
        cr_assert_str_eq(a, b);
    }
}

Test(ull_to_str, max)
{
    char buf[32];
    cr_assert_eq(ull_to_str(buf, sizeof(buf), ULLONG_MAX), 20);
    cr_assert_str_eq(buf, "18446744073709551615");
}

/* ---- str_to_ld --------------------------------------------------------- */

static int ld_ok(const char *s, long double want)
{
    long double v = 0;
    return str_to_ld(s, strlen(s), &v) && v == want;
}

static int ld_bad(const char *s)
{
    long double v = 42;
    return !str_to_ld(s, strlen(s), &v) && v == 42;
}

Test(str_to_ld, accepted)
{
    cr_assert(ld_ok("1", 1));
    cr_assert(ld_ok("1.5", 1.5L));
    cr_assert(ld_ok("-1.1", -1.1L));
    cr_assert(ld_ok("+1", 1));
    cr_assert(ld_ok("17179869184", 17179869184.0L));
    cr_assert(ld_ok("1e3", 1000));
    cr_assert(ld_ok(".5", 0.5L));
    cr_assert(ld_ok("5.", 5));
    cr_assert(ld_ok("0x10", 16)); /* strtold's hex form, as in Redis */
    cr_assert(ld_ok("inf", INFINITY));
    cr_assert(ld_ok("+inf", INFINITY));
    cr_assert(ld_ok("-inf", -INFINITY));
    cr_assert(ld_ok("1e4000", 1e4000L)); /* beyond double, fine in long double */
}

Test(str_to_ld, rejected)
{
    cr_assert(ld_bad(""));
    cr_assert(ld_bad(" 1"));
    cr_assert(ld_bad("1 "));
    cr_assert(ld_bad(" 11 "));
    cr_assert(ld_bad("    11"));
    cr_assert(ld_bad("1a"));
    cr_assert(ld_bad("abc"));
    cr_assert(ld_bad("nan"));
    cr_assert(ld_bad("-nan"));
    cr_assert(ld_bad("1e99999")); /* overflow */
    cr_assert(ld_bad("-1e99999"));
    cr_assert(ld_bad("1e-99999")); /* underflow to zero */
    cr_assert(ld_bad("\n1"));
}

Test(str_to_ld, embedded_nul)
{
    long double v;
    cr_assert(!str_to_ld("1\0"
                         "2",
                         3, &v));
    cr_assert(!str_to_ld("1\0", 2, &v));
}

Test(str_to_ld, length_limit)
{
    /* Redis reads at most 5119 characters (a 5 KiB buffer with its NUL). */
    static char buf[6000];
    long double v = 0;
    memset(buf, '0', sizeof(buf));
    buf[5118] = '1';
    cr_assert(str_to_ld(buf, 5119, &v));
    cr_assert_eq(v, 1);
    buf[5118] = '0';
    buf[5119] = '1';
    cr_assert(!str_to_ld(buf, 5120, &v));
}

/* ---- ld_to_str_human --------------------------------------------------- */

static void ld_text(long double v, const char *want)
{
    char buf[LD_STR_MAX];
    int n = ld_to_str_human(buf, sizeof(buf), v);
    cr_assert_str_eq(buf, want);
    cr_assert_eq(n, (int)strlen(want));
}

Test(ld_to_str_human, values)
{
    ld_text(0, "0");
    ld_text(1, "1");
    ld_text(-1, "-1");
    ld_text(1.5L, "1.5");
    ld_text(3, "3");
    ld_text(-0.25L, "-0.25");
    ld_text(17179869185.5L, "17179869185.5");
    ld_text(34359738368.0L, "34359738368");
    ld_text(1e20L, "100000000000000000000");
    ld_text(10.5L, "10.5");
    ld_text(100, "100"); /* trailing zeros before the point stay */
}

Test(ld_to_str_human, redis_arithmetic)
{
    /* INCRBYFLOAT results as Redis prints them (80-bit long double). */
    ld_text(1.0L + -1.1L, "-0.1");
    ld_text(10.5L + 0.1L, "10.6");
    ld_text(5.0e3L + 2.0e2L, "5200");
    ld_text(0.1L + 0.2L, "0.3");
}

Test(ld_to_str_human, no_negative_zero)
{
    ld_text(-0.0L, "0");
    long double a = 1.0L / 41, b = -1.0L / 41;
    ld_text(a + b, "0");
    /* Tiny negative numbers that round to zero print as "0" too. */
    ld_text(-1e-30L, "0");
}

Test(ld_to_str_human, infinities)
{
    ld_text(INFINITY, "inf");
    ld_text(-INFINITY, "-inf");
}

Test(ld_to_str_human, small_buffers)
{
    char buf[8];
    cr_assert_eq(ld_to_str_human(buf, 4, 12345), 0);
    cr_assert_eq(ld_to_str_human(buf, 4, -INFINITY), 0);
    cr_assert_eq(ld_to_str_human(buf, 5, -INFINITY), 4);
    cr_assert_str_eq(buf, "-inf");
}

Test(ld_to_str_human, huge_value_fits)
{
    static char buf[LD_STR_MAX];
    int n = ld_to_str_human(buf, sizeof(buf), LDBL_MAX);
    cr_assert_gt(n, 4900);
    cr_assert_eq((size_t)n, strlen(buf));
    cr_assert_eq(strchr(buf, '.'), NULL);
}

/* ---- double_to_str ----------------------------------------------------- */

static void d_text(double v, const char *want)
{
    char buf[64];
    int n = double_to_str(buf, sizeof(buf), v);
    cr_assert_str_eq(buf, want);
    cr_assert_eq(n, (int)strlen(want));
}

Test(double_to_str, values)
{
    d_text(0, "0");
    d_text(1, "1");
    d_text(-1, "-1");
    d_text(1.5, "1.5");
    d_text(3.0, "3");
    d_text(0.1, "0.10000000000000001");
    d_text(-2.5, "-2.5");
    d_text(1e17, "1e+17");
    d_text(123456789, "123456789");
    d_text(-0.0, "-0");
}

Test(double_to_str, specials)
{
    d_text(INFINITY, "inf");
    d_text(-INFINITY, "-inf");
    d_text(NAN, "nan");
}

Test(double_to_str, round_trip)
{
    double vals[] = {0.1, 1.0 / 3, 2.0 / 3, 1e-300, 1.7976931348623157e308, 5e-324, 123.456};
    for (size_t i = 0; i < sizeof(vals) / sizeof(vals[0]); i++) {
        char buf[64];
        double back;
        int n = double_to_str(buf, sizeof(buf), vals[i]);
        cr_assert(str_to_double(buf, (size_t)n, &back));
        cr_assert_eq(back, vals[i]);
    }
}

Test(str_to_double, rules)
{
    double v;
    cr_assert(str_to_double("1.5", 3, &v) && v == 1.5);
    cr_assert(!str_to_double(" 1", 2, &v));
    cr_assert(!str_to_double("1 ", 2, &v));
    cr_assert(!str_to_double("nan", 3, &v));
    cr_assert(!str_to_double("", 0, &v));
    cr_assert(!str_to_double("1e999", 5, &v));
    cr_assert(str_to_double("inf", 3, &v) && isinf(v));
}
