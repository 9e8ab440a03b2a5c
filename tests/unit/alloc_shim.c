/* alloc_shim.c - stand-in for src/ds/alloc.c in qlist's unit test: the four
 * counted-allocation entry points over plain libc, nothing counted. */
#define _GNU_SOURCE
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>

#include "ds/alloc.h"

static void *check(void *p, size_t n)
{
    if (!p) {
        fprintf(stderr, "alloc_shim: out of memory (%zu bytes)\n", n);
        abort();
    }
    return p;
}

void *ds_malloc(size_t n)
{
    return check(malloc(n ? n : 1), n);
}

void *ds_realloc(void *p, size_t n)
{
    return check(realloc(p, n ? n : 1), n);
}

void ds_free(void *p)
{
    free(p);
}

size_t ds_alloc_size(void *p)
{
    return p ? malloc_usable_size(p) : 0;
}
