/* util.h - number <-> string conversions with Redis's strict rules, and the
 * seeded hash used by every dict.  Pure functions, no state but the seed. */
#ifndef DS_UTIL_H
#define DS_UTIL_H
#include <stddef.h>
#include <stdint.h>

#define LD_STR_MAX 5600 /* room for "%.17Lf" of the largest long double */

int ll_to_str(char *buf, size_t cap, long long v);
int ull_to_str(char *buf, size_t cap, unsigned long long v);
/* Strict: optional '-', digits, no leading zeros, no spaces; fits long long. */
int str_to_ll(const char *s, size_t len, long long *out);
int str_to_ull(const char *s, size_t len, unsigned long long *out);
/* strtod-based, no leading space, no trailing junk, no NaN. */
int str_to_double(const char *s, size_t len, double *out);
int str_to_ld(const char *s, size_t len, long double *out);
/* "%.17Lf" with trailing zeros removed (INCRBYFLOAT's format). */
int ld_to_str_human(char *buf, size_t cap, long double v);
/* Shortest text that reads back to the same double ("%.17g" style). */
int double_to_str(char *buf, size_t cap, double v);

void hash_set_seed(const uint8_t seed[16]);
uint64_t hash_bytes(const void *p, size_t len);
uint64_t hash_bytes_nocase(const void *p, size_t len);

#endif
