/* alloc.c - counting wrappers over the process allocator (jemalloc when
 * linked).  Out of memory is fatal: a server that cannot allocate cannot keep
 * its promises, and Redis behaves the same way. */
#include "alloc.h"

#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static size_t used_memory;

static void oom(size_t n)
{
    fprintf(stderr, "sluice: out of memory allocating %zu bytes\n", n);
    fflush(stderr);
    abort();
}

static void count_add(void *p)
{
    __atomic_add_fetch(&used_memory, malloc_usable_size(p), __ATOMIC_RELAXED);
}

static void count_sub(void *p)
{
    __atomic_sub_fetch(&used_memory, malloc_usable_size(p), __ATOMIC_RELAXED);
}

void *ds_malloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        oom(n);
    count_add(p);
    return p;
}

void *ds_calloc(size_t n)
{
    void *p = calloc(1, n ? n : 1);
    if (!p)
        oom(n);
    count_add(p);
    return p;
}

void *ds_realloc(void *p, size_t n)
{
    if (!p)
        return ds_malloc(n);
    size_t old = malloc_usable_size(p);
    void *np = realloc(p, n ? n : 1);
    if (!np)
        oom(n);
    __atomic_sub_fetch(&used_memory, old, __ATOMIC_RELAXED);
    count_add(np);
    return np;
}

void ds_free(void *p)
{
    if (!p)
        return;
    count_sub(p);
    free(p);
}

size_t ds_alloc_size(void *p)
{
    return p ? malloc_usable_size(p) : 0;
}

size_t ds_used_memory(void)
{
    return __atomic_load_n(&used_memory, __ATOMIC_RELAXED);
}

char *ds_strdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = ds_malloc(n);
    memcpy(d, s, n);
    return d;
}
