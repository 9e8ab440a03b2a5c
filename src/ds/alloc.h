/* alloc.h - counted allocation for everything Sluice keeps.
 *
 * Every allocation goes through these wrappers so that INFO used_memory is
 * the exact sum of the allocator's usable sizes of live blocks.  The counter
 * is a relaxed atomic: the background fsync thread never allocates, but a
 * rewrite child may, and it only reads its own copy. */
#ifndef DS_ALLOC_H
#define DS_ALLOC_H
#include <stddef.h>

void *ds_malloc(size_t n);
void *ds_calloc(size_t n);
void *ds_realloc(void *p, size_t n);
void ds_free(void *p);
size_t ds_alloc_size(void *p);
size_t ds_used_memory(void);
char *ds_strdup(const char *s);

#endif
