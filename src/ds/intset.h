/* intset.h - a sorted array of distinct 64-bit integers (the "intset"
 * encoding of small sets whose members are all integers).
 *
 *   +---------------+-----------+-------------------------------+
 *   | width u32     | len u32   | len values of `width` bytes  |
 *   +---------------+-----------+-------------------------------+
 *
 * All values share one width (2, 4 or 8 bytes, native byte order), the
 * smallest that holds every value; adding a value that needs more widens
 * the whole array.  Lookup is a binary search; add and remove move the tail.
 * Functions that may reallocate return the new pointer. */
#ifndef DS_INTSET_H
#define DS_INTSET_H
#include <stddef.h>
#include <stdint.h>

typedef struct intset intset;

intset *intset_new(void);
void intset_free(intset *is);
intset *intset_dup(const intset *is);
size_t intset_len(const intset *is);
size_t intset_mem(const intset *is);
/* *added = 1 if v was not there. */
intset *intset_add(intset *is, int64_t v, int *added);
intset *intset_remove(intset *is, int64_t v, int *removed);
int intset_find(const intset *is, int64_t v);
/* The i-th smallest value (i < len). */
int64_t intset_get(const intset *is, size_t i);

#endif
