/* test_glob.c - Criterion unit tests for src/ds/glob.c (Redis's glob rules:
 * `*`, `?`, `[...]` classes with ranges, `^` negation and `\` escapes, a
 * case-insensitive mode, and bounded cost on pathological patterns). */
#include <criterion/criterion.h>
#include <string.h>
#include <time.h>

#include "ds/glob.h"

static int m(const char *pat, const char *s)
{
    return glob_match(pat, strlen(pat), s, strlen(s), 0);
}

static int mi(const char *pat, const char *s)
{
    return glob_match(pat, strlen(pat), s, strlen(s), 1);
}

Test(glob, literal)
{
    cr_assert(m("hello", "hello"));
    cr_assert_not(m("hello", "hell"));
    cr_assert_not(m("hell", "hello"));
    cr_assert_not(m("hello", "Hello"));
    cr_assert(m("", ""));
    cr_assert_not(m("", "a"));
}

Test(glob, star)
{
    cr_assert(m("*", "anything"));
    cr_assert(m("foo*", "foo"));
    cr_assert(m("foo*", "foobar"));
    cr_assert(m("*bar", "foobar"));
    cr_assert(m("f*r", "foobar"));
    cr_assert(m("f**r", "foobar"));
    cr_assert(m("*o*a*", "foobar"));
    cr_assert_not(m("*x*", "foobar"));
    cr_assert_not(m("foo*z", "foobar"));
    cr_assert(m("a*b*c", "aXbYbZc"));
    cr_assert(m("a*", "a"));
    cr_assert(m("a***", "a"));
}

Test(glob, empty_string_matches_only_empty_pattern)
{
    /* Redis's stringmatchlen: "*" does not match the empty string. */
    cr_assert_not(m("*", ""));
    cr_assert_not(m("**", ""));
    cr_assert_not(m("?", ""));
    cr_assert(m("", ""));
}

Test(glob, question_mark)
{
    cr_assert(m("h?llo", "hello"));
    cr_assert(m("h?llo", "hallo"));
    cr_assert_not(m("h?llo", "hllo"));
    cr_assert(m("???", "abc"));
    cr_assert_not(m("???", "ab"));
    cr_assert(m("key:1??", "key:123"));
    cr_assert_not(m("key:1??", "key:1234"));
}

Test(glob, classes)
{
    cr_assert(m("h[ae]llo", "hello"));
    cr_assert(m("h[ae]llo", "hallo"));
    cr_assert_not(m("h[ae]llo", "hillo"));
    cr_assert(m("[abc]", "b"));
    cr_assert_not(m("[abc]", "d"));
    /* a class matches exactly one character */
    cr_assert_not(m("[abc]", "ab"));
}

Test(glob, ranges)
{
    cr_assert(m("[a-c]x", "bx"));
    cr_assert_not(m("[a-c]x", "dx"));
    cr_assert(m("[0-9][0-9]", "42"));
    /* reversed bounds are swapped */
    cr_assert(m("[c-a]", "b"));
    cr_assert(m("[a-cx-z]", "y"));
    cr_assert_not(m("[a-cx-z]", "m"));
    /* "[a-]" is the range ']'..'a' (the ']' is taken as the bound) */
    cr_assert(m("[a-]", "^"));
    cr_assert_not(m("[a-]", "-"));
    /* a '-' with no upper bound is literal */
    cr_assert(m("[ab-", "-"));
}

Test(glob, negation)
{
    cr_assert(m("h[^e]llo", "hallo"));
    cr_assert_not(m("h[^e]llo", "hello"));
    cr_assert(m("[^a-c]", "d"));
    cr_assert_not(m("[^a-c]", "b"));
    /* "[^" unterminated: matches any single character */
    cr_assert(m("[^", "z"));
}

Test(glob, escapes)
{
    cr_assert(m("h\\*llo", "h*llo"));
    cr_assert_not(m("h\\*llo", "hello"));
    cr_assert(m("\\?", "?"));
    cr_assert_not(m("\\?", "a"));
    cr_assert(m("[\\]]", "]"));
    cr_assert(m("[\\^]", "^"));
    cr_assert(m("a\\[b", "a[b"));
    /* a trailing backslash is literal */
    cr_assert(m("a\\", "a\\"));
}

Test(glob, unterminated_class)
{
    /* The class runs to the end of the pattern. */
    cr_assert(m("[abc", "b"));
    cr_assert_not(m("[abc", "d"));
    cr_assert_not(m("[", "a"));
    /* "[]" is an empty class followed by nothing: never matches */
    cr_assert_not(m("[]", "a"));
}

Test(glob, nocase)
{
    cr_assert(mi("HeLLo", "hello"));
    cr_assert(mi("h*O", "HELLO"));
    cr_assert(mi("[A-C]", "b"));
    cr_assert(mi("[a-c]", "B"));
    cr_assert(mi("[H]ello", "hello"));
    cr_assert_not(mi("[^h]ello", "Hello"));
    cr_assert_not(m("[A-C]", "b"));
    /* an escaped character in a class compares exactly, even with nocase */
    cr_assert_not(mi("[\\A]", "a"));
}

Test(glob, binary_safe)
{
    const char s[] = {'a', 0, 'b'};
    const char p1[] = {'a', '?', 'b'};
    const char p2[] = {'a', 0, '*'};
    cr_assert(glob_match(p1, 3, s, 3, 0));
    cr_assert(glob_match(p2, 3, s, 3, 0));
    cr_assert_not(glob_match("a", 1, s, 3, 0));
}

static double elapsed_ms(struct timespec a)
{
    struct timespec b;
    clock_gettime(CLOCK_MONOTONIC, &b);
    return (double)(b.tv_sec - a.tv_sec) * 1e3 + (double)(b.tv_nsec - a.tv_nsec) / 1e6;
}

Test(glob, pathological_patterns_finish_fast)
{
    char s[4097], p[512];
    memset(s, 'a', sizeof(s) - 1);
    s[sizeof(s) - 1] = '\0';
    size_t n = 0;
    for (int i = 0; i < 100; i++) {
        p[n++] = 'a';
        p[n++] = '*';
    }
    p[n++] = 'b';
    p[n] = '\0';
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (int i = 0; i < 20; i++)
        cr_assert_not(glob_match(p, n, s, sizeof(s) - 1, 0));
    cr_assert(elapsed_ms(t0) < 2000, "took %.1f ms", elapsed_ms(t0));
    /* the Redis regression: a*a*...*b against a run of a's */
    cr_assert_not(
        m("a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"));
    cr_assert(
        m("a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"));
    /* many stars with classes */
    clock_gettime(CLOCK_MONOTONIC, &t0);
    cr_assert_not(m("*[a]*[a]*[a]*[a]*[a]*[a]*[a]*[a]*[a]*[a]*[b]", s));
    cr_assert(elapsed_ms(t0) < 1000);
}
