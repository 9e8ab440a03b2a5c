/* glob.c - see glob.h.
 *
 * The classic two-pointer matcher: on a mismatch after a `*`, restart one
 * character later from the most recent star.  Only the last star needs a
 * restart point, since whatever an earlier star could absorb the later one
 * can absorb as well, which keeps the worst case quadratic, never
 * exponential. */
#include "glob.h"

#include <ctype.h>

static int fold(int c, int nocase)
{
    return nocase ? tolower(c) : c;
}

/* Match one character c against the class starting just after '['.
 * Returns the pattern bytes consumed including the closing ']' (or up to
 * the end of an unterminated class), and sets *hit. */
static size_t match_class(const char *p, size_t plen, char c, int nocase, int *hit)
{
    size_t i = 0;
    int neg = 0, m = 0;
    if (i < plen && p[i] == '^') {
        neg = 1;
        i++;
    }
    while (i < plen && p[i] != ']') {
        if (p[i] == '\\' && plen - i >= 2) {
            if (p[i + 1] == c)
                m = 1;
            i += 2;
        } else if (plen - i >= 3 && p[i + 1] == '-') {
            int lo = p[i], hi = p[i + 2], x = c;
            if (lo > hi) {
                int t = lo;
                lo = hi;
                hi = t;
            }
            lo = fold(lo, nocase);
            hi = fold(hi, nocase);
            x = fold(x, nocase);
            if (x >= lo && x <= hi)
                m = 1;
            i += 3;
        } else {
            if (fold(p[i], nocase) == fold(c, nocase))
                m = 1;
            i++;
        }
    }
    if (i < plen)
        i++; /* the ']' */
    *hit = neg ? !m : m;
    return i;
}

/* Try to match the single-character token at p against c.  Returns the
 * token's length in the pattern, or 0 if it does not match. */
static size_t match_token(const char *p, size_t plen, char c, int nocase)
{
    int hit;
    size_t n;
    switch (p[0]) {
    case '?':
        return 1;
    case '[':
        n = 1 + match_class(p + 1, plen - 1, c, nocase, &hit);
        return hit ? n : 0;
    case '\\':
        if (plen >= 2)
            return fold(p[1], nocase) == fold(c, nocase) ? 2 : 0;
        /* a trailing backslash is literal */
        __attribute__((fallthrough));
    default:
        return fold(p[0], nocase) == fold(c, nocase) ? 1 : 0;
    }
}

int glob_match(const char *pat, size_t plen, const char *s, size_t slen, int nocase)
{
    size_t pi = 0, si = 0;
    size_t star_p = (size_t)-1, star_s = 0;

    /* Like Redis, an empty string matches only the empty pattern (even
     * "*" does not match it). */
    if (slen == 0)
        return plen == 0;
    while (si < slen) {
        if (pi < plen && pat[pi] == '*') {
            while (pi < plen && pat[pi] == '*')
                pi++;
            if (pi == plen)
                return 1;
            star_p = pi;
            star_s = si;
            continue;
        }
        if (pi < plen) {
            size_t n = match_token(pat + pi, plen - pi, s[si], nocase);
            if (n) {
                pi += n;
                si++;
                continue;
            }
        }
        if (star_p == (size_t)-1)
            return 0;
        pi = star_p;
        si = ++star_s;
    }
    while (pi < plen && pat[pi] == '*')
        pi++;
    return pi == plen;
}
