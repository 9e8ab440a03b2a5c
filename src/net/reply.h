/* reply.h - RESP2/RESP3 reply encoders into a client's output buffers.
 *
 * Every function appends one complete RESP value (or an aggregate header)
 * to c's output: first the fixed 16 KiB buffer, then a list of blocks.
 * Nothing is allocated while the reply fits in the client's buffer.  The
 * same call produces the right type for the client's protocol: a map is
 * "%n" under RESP3 and "*2n" under RESP2, a null is "_" or "$-1", etc. */
#ifndef NET_REPLY_H
#define NET_REPLY_H
#include <stddef.h>

#include "conn.h"

void reply_raw(client *c, const void *p, size_t len);
void reply_ok(client *c);
void reply_status(client *c, const char *s);
void reply_status_len(client *c, const char *s, size_t len);
/* msg without CRLF; "-CODE ..." is used as is, anything else gets "-ERR ". */
void reply_error(client *c, const char *msg);
void reply_error_len(client *c, const char *msg, size_t len);
void reply_errorf(client *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void reply_ll(client *c, long long v);
void reply_bulk(client *c, const void *p, size_t len);
void reply_bulk_c(client *c, const char *s);
void reply_bulk_ll(client *c, long long v);
void reply_bulk_double(client *c, double d); /* always a bulk string */
void reply_double(client *c, double d);      /* RESP3 ',' or RESP2 bulk */
void reply_bool(client *c, int b);           /* RESP3 '#' or RESP2 ':' */
void reply_verbatim(client *c, const char *p, size_t len, const char *ext);
void reply_null(client *c);        /* $-1 / _ */
void reply_null_array(client *c);  /* *-1 / _ */
void reply_array(client *c, long n);
void reply_map(client *c, long n);
void reply_set(client *c, long n);
void reply_push(client *c, long n);
void reply_empty_array(client *c);
void reply_help(client *c, const char *cmd, const char **lines);
void reply_arity_error(client *c, const char *cmd);
void reply_syntax_error(client *c);

/* Aggregates whose length is known only at the end. */
void *reply_defer(client *c);
void reply_set_array_len(client *c, void *h, long n);
void reply_set_map_len(client *c, void *h, long n);
void reply_set_set_len(client *c, void *h, long n);
void reply_set_push_len(client *c, void *h, long n);

/* Shared, pre-encoded bytes (fan-out): appended by reference. */
reply_block *reply_shared_new(const void *p, size_t len);
void reply_shared_release(reply_block *b);
void reply_shared(client *c, reply_block *b);

/* Encode a full bulk string in RESP into dst (must hold len + 32). */
size_t reply_encode_bulk(char *dst, const void *p, size_t len);

#endif
