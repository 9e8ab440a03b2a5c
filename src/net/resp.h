/* resp.h - incremental RESP2 request parser (multibulk and inline).
 *
 * Usage: feed the parser a buffer holding unparsed bytes from `p->pos` on;
 * resp_parse() either completes one command (RESP_OK: argv[0..argc) are
 * (offset, length) pairs into that buffer), needs more bytes
 * (RESP_INCOMPLETE: state is kept, call again after more bytes arrive), or
 * fails (RESP_ERR: p->err holds the exact text Redis replies with, without
 * the leading '-ERR ').  The parser never copies argument bytes: inline
 * commands are unescaped in place, in the buffer (they only shrink).
 *
 * Positions are offsets, not pointers, so the owner may move or grow its
 * buffer between calls; if it drops consumed bytes from the front it must
 * call resp_shift() with the number dropped. */
#ifndef NET_RESP_H
#define NET_RESP_H
#include <stddef.h>

enum { RESP_OK = 0, RESP_INCOMPLETE = 1, RESP_ERR = -1 };

#define RESP_INLINE_MAX (64 * 1024)
#define RESP_BIG_ARG (32 * 1024)

typedef struct resp_arg {
    size_t off;
    size_t len;
} resp_arg;

typedef struct resp_parser {
    size_t pos;          /* next byte to parse */
    size_t start;        /* where the command being parsed began */
    long long mb_left;   /* bulk args still to read; 0 = between commands */
    long long bulk_len;  /* -1 = waiting for a $ header */
    int argc;
    int argv_cap;
    resp_arg *argv;
    long long max_bulk;  /* proto-max-bulk-len */
    int unauth;          /* apply the unauthenticated limits */
    const char *err;     /* on RESP_ERR: "Protocol error: ..." */
    char errbuf[64];
} resp_parser;

void resp_init(resp_parser *p);
void resp_free(resp_parser *p);
/* Parse from buf[p->pos .. len).  buf must be writable (inline unescape). */
int resp_parse(resp_parser *p, char *buf, size_t len);
/* Redis's sdssplitargs over s[0..n), unescaping in place: "double quotes"
 * take \xHH, \n, \r, \t, \b, \a and \<char>, 'single quotes' take \', a
 * closing quote must end the word.  emit gets each word's offset and length
 * in s.  Returns 0, or -1 for unbalanced quotes.  Inline commands and config
 * lines both split this way. */
typedef void resp_arg_fn(void *ud, size_t off, size_t len);
int resp_split_args(char *s, size_t n, resp_arg_fn *emit, void *ud);

/* Argument tables up to this many entries are kept between commands. */
#define RESP_ARGV_KEEP 1024

/* After RESP_OK: reset for the next command (pos stays after this one). */
void resp_next(resp_parser *p);
void resp_shift(resp_parser *p, size_t dropped);
/* Bytes the pending bulk still needs beyond len, so the owner can size its
 * buffer for a big argument in one allocation (0 if none known). */
size_t resp_bulk_need(const resp_parser *p, size_t len);

#endif
