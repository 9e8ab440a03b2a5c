/* pack.h - a compact sequence of small values in one allocation: the
 * "listpack" encoding of small hashes (field, value, field, value ...) and
 * small sorted sets (member, score, member, score ...).
 *
 *   +-----------+-----------+---------+---------+-----+---------+
 *   | bytes u32 | count u32 | entry 0 | entry 1 | ... | entry n |
 *   +-----------+-----------+---------+---------+-----+---------+
 *   0           4           8 = PACK_HDR                     bytes
 *
 *   entry = | head varint | payload | back |
 *     head: LEB128 varint h; h = 2 * len: a byte string of len bytes;
 *           h = 1: a double, 8 payload bytes (native byte order);
 *           h = 3: an integral number, its zigzag LEB128 varint as payload
 *           (numbers are stored this way whenever exact: |n| < 2^53).
 *     back: the size of head + payload, 7 bits per byte, stored so that it
 *           can be read from the entry's last byte towards lower addresses
 *           (the byte nearest to the payload has the high bit clear).
 *
 * Entries are addressed by their byte offset from the start of the pack
 * (a "position"); offset 0 is never an entry (the header lives there), so
 * 0 means "none".  Positions survive reallocation but not an insertion or
 * deletion before them.  Functions that may reallocate return the new
 * pointer: always use it.  Strings read from a pack point into it and are
 * valid until the next change. */
#ifndef DS_PACK_H
#define DS_PACK_H
#include <stddef.h>
#include <stdint.h>

typedef unsigned char pack;

#define PACK_HDR 8
/* Packs are kept well below this size (callers convert to a bigger
 * encoding first: see pack_safe_to_add). */
#define PACK_MAX_SAFE ((size_t)1 << 30)

pack *pack_new(void);
void pack_free(pack *pk);
pack *pack_dup(const pack *pk);
size_t pack_bytes(const pack *pk);
size_t pack_count(const pack *pk);
size_t pack_mem(const pack *pk); /* allocation size */
/* 1 if adding `add` more payload bytes keeps the pack under PACK_MAX_SAFE. */
int pack_safe_to_add(const pack *pk, size_t add);

/* Navigation: positions, 0 when there is no such entry. */
size_t pack_first(const pack *pk);
size_t pack_last(const pack *pk);
size_t pack_next(const pack *pk, size_t pos);
size_t pack_prev(const pack *pk, size_t pos);
/* Entry at index i (negative: from the end, -1 is the last). */
size_t pack_seek(const pack *pk, long i);

/* Reading. */
int pack_is_number(const pack *pk, size_t pos);
/* A string entry's bytes (a number reads as its raw payload). */
void pack_get(const pack *pk, size_t pos, const char **p, size_t *len);
double pack_get_double(const pack *pk, size_t pos); /* 0 for a string */
int pack_eq(const pack *pk, size_t pos, const void *p, size_t len);
/* First string entry equal to (p, len) among pos, pos + skip + 1, ...
 * (skip = 1 looks at every other entry: the fields of a hash). */
size_t pack_find(const pack *pk, size_t pos, const void *p, size_t len, unsigned skip);

/* Writing: insert before the entry at pos; pos == pack_bytes(pk) appends. */
pack *pack_insert(pack *pk, size_t pos, const void *p, size_t len);
/* Numbers: an integral d is stored as a (short) integer entry. */
pack *pack_insert_double(pack *pk, size_t pos, double d);
pack *pack_append(pack *pk, const void *p, size_t len);
pack *pack_append_double(pack *pk, double d);
pack *pack_replace(pack *pk, size_t pos, const void *p, size_t len);
pack *pack_replace_double(pack *pk, size_t pos, double d);
/* Delete n entries starting at pos (fewer if the pack ends first). */
pack *pack_delete(pack *pk, size_t pos, size_t n);

#endif
