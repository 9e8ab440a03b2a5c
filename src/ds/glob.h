/* glob.h - Redis-style glob matching (KEYS, SCAN MATCH, PSUBSCRIBE, CONFIG GET).
 * `*`, `?`, `[abc]`, `[^a-z]`, `\x`.  Iterative: no pattern can make it
 * recurse, and its cost is bounded by O(len(pattern) * len(string)). */
#ifndef DS_GLOB_H
#define DS_GLOB_H
#include <stddef.h>

int glob_match(const char *pat, size_t plen, const char *s, size_t slen, int nocase);

#endif
