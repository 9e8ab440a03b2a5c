/* test_resp.c - Criterion unit tests for the request parser src/net/resp.c.
 *
 * A small "owner" (struct feeder) plays the part of conn.c: it appends bytes
 * to a buffer, calls resp_parse() until RESP_INCOMPLETE or RESP_ERR, and
 * records every command as text: "[arg|arg]" with bytes outside printable
 * ASCII (and '\', '|', '[', ']') written as \xHH, then "ERR(<message>)" if
 * the parser failed, or "..." if unparsed bytes are left over.  Tests compare
 * that text with the exact expected text, for the input fed at once, split at
 * every byte, split twice, and byte by byte; optionally the owner moves its
 * buffer to a new allocation on every append (offsets, not pointers) and
 * drops consumed bytes from the front with resp_shift() (as conn.c does).
 *
 * Every expected reply and error text was checked against redis-server
 * 7.0.15 (processMultibulkBuffer / processInlineBuffer / sdssplitargs). */
#include <criterion/criterion.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net/resp.h"

/* ---- the owner ------------------------------------------------------------ */

enum { F_MOVE = 1, F_COMPACT = 2 };

typedef struct feeder {
    resp_parser p;
    char *buf;
    size_t len, cap;
    int flags;
    int failed;
    char *out; /* the recorded text */
    size_t out_len, out_cap;
    long long dropped; /* bytes dropped by compaction, for bookkeeping */
} feeder;

static void out_put(feeder *f, const char *s, size_t n)
{
    if (f->out_len + n + 1 > f->out_cap) {
        f->out_cap = (f->out_len + n + 1) * 2;
        f->out = realloc(f->out, f->out_cap);
    }
    memcpy(f->out + f->out_len, s, n);
    f->out_len += n;
    f->out[f->out_len] = '\0';
}

static void out_str(feeder *f, const char *s)
{
    out_put(f, s, strlen(s));
}

static void out_arg(feeder *f, const char *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)p[i];
        char tmp[8];
        if (c < 0x20 || c > 0x7e || c == '\\' || c == '|' || c == '[' || c == ']') {
            snprintf(tmp, sizeof(tmp), "\\x%02x", c);
            out_str(f, tmp);
        } else {
            out_put(f, (const char *)&c, 1);
        }
    }
}

static void feeder_init(feeder *f, int flags)
{
    memset(f, 0, sizeof(*f));
    resp_init(&f->p);
    f->flags = flags;
    out_str(f, "");
}

static void feeder_free(feeder *f)
{
    resp_free(&f->p);
    free(f->buf);
    free(f->out);
}

static void record(feeder *f)
{
    out_str(f, "[");
    for (int i = 0; i < f->p.argc; i++) {
        if (i)
            out_str(f, "|");
        cr_assert_leq(f->p.argv[i].off + f->p.argv[i].len, f->len);
        out_arg(f, f->buf + f->p.argv[i].off, f->p.argv[i].len);
    }
    out_str(f, "]");
}

/* Drop everything before the command being parsed, like conn.c compact(). */
static void compact(feeder *f)
{
    size_t drop = f->p.start;
    if (drop == 0)
        return;
    memmove(f->buf, f->buf + drop, f->len - drop);
    f->len -= drop;
    f->dropped += (long long)drop;
    resp_shift(&f->p, drop);
}

static void append(feeder *f, const char *data, size_t n)
{
    if (f->flags & F_MOVE) {
        /* A fresh allocation every time: stale pointers would show. */
        char *nb = malloc(f->len + n + 1);
        if (f->len)
            memcpy(nb, f->buf, f->len);
        free(f->buf);
        f->buf = nb;
        f->cap = f->len + n + 1;
    } else if (f->len + n > f->cap) {
        f->cap = (f->len + n) * 2 + 16;
        f->buf = realloc(f->buf, f->cap);
    }
    if (n)
        memcpy(f->buf + f->len, data, n);
    f->len += n;
}

/* Feed n more bytes and parse all that can be parsed. */
static void feed(feeder *f, const char *data, size_t n)
{
    if (f->failed)
        return;
    append(f, data, n);
    for (;;) {
        int r = resp_parse(&f->p, f->buf, f->len);
        if (r == RESP_OK) {
            cr_assert_gt(f->p.argc, 0, "RESP_OK with no arguments");
            record(f);
            resp_next(&f->p);
            continue;
        }
        if (r == RESP_ERR) {
            cr_assert_not_null(f->p.err);
            out_str(f, "ERR(");
            out_str(f, f->p.err);
            out_str(f, ")");
            f->failed = 1;
            return;
        }
        cr_assert_eq(r, RESP_INCOMPLETE, "resp_parse returned %d", r);
        cr_assert_leq(f->p.pos, f->len);
        if (f->flags & F_COMPACT)
            compact(f);
        return;
    }
}

/* The text for the whole input: commands, then the final state. */
static void finish(feeder *f)
{
    if (!f->failed && f->len > f->p.start)
        out_str(f, "...");
}

/* ---- drivers -------------------------------------------------------------- */

static char *run_chunks(const char *in, size_t n, const size_t *cuts, int ncuts, int flags,
                        void (*setup)(resp_parser *))
{
    feeder f;
    feeder_init(&f, flags);
    if (setup)
        setup(&f.p);
    size_t at = 0;
    for (int i = 0; i <= ncuts; i++) {
        size_t end = i < ncuts ? cuts[i] : n;
        feed(&f, in + at, end - at);
        at = end;
    }
    finish(&f);
    char *res = strdup(f.out);
    feeder_free(&f);
    return res;
}

static char *run_once(const char *in, size_t n, int flags, void (*setup)(resp_parser *))
{
    return run_chunks(in, n, NULL, 0, flags, setup);
}

static const int all_flags[] = {0, F_MOVE, F_COMPACT, F_MOVE | F_COMPACT};

/* Whole, every single split, byte by byte, under every owner behaviour. */
static void check_splits(const char *in, size_t n, const char *want,
                         void (*setup)(resp_parser *))
{
    for (int fi = 0; fi < 4; fi++) {
        int fl = all_flags[fi];
        char *got = run_once(in, n, fl, setup);
        cr_assert_str_eq(got, want, "whole input, flags %d", fl);
        free(got);
        for (size_t k = 0; k <= n; k++) {
            got = run_chunks(in, n, &k, 1, fl, setup);
            cr_assert_str_eq(got, want, "split at %zu, flags %d", k, fl);
            free(got);
        }
        feeder f;
        feeder_init(&f, fl);
        if (setup)
            setup(&f.p);
        for (size_t k = 0; k < n; k++)
            feed(&f, in + k, 1);
        finish(&f);
        cr_assert_str_eq(f.out, want, "byte by byte, flags %d", fl);
        feeder_free(&f);
    }
}

/* Every pair of split points (quadratic: keep inputs short). */
static void check_double_splits(const char *in, size_t n, const char *want)
{
    for (size_t a = 0; a <= n; a++) {
        for (size_t b = a; b <= n; b++) {
            size_t cuts[2] = {a, b};
            char *got = run_chunks(in, n, cuts, 2, F_COMPACT, NULL);
            cr_assert_str_eq(got, want, "splits at %zu and %zu", a, b);
            free(got);
        }
    }
}

#define S(lit) (lit), (sizeof(lit) - 1)

static void check(const char *in, size_t n, const char *want)
{
    check_splits(in, n, want, NULL);
}

/* ---- pipelines split at every byte ---------------------------------------- */

/* Multibulk, inline with quotes, blank lines, *0, *-1, binary bulks. */
static const char pipeline[] =
    "*3\r\n$3\r\nSET\r\n$3\r\nkey\r\n$5\r\nhello\r\n"
    "\r\n"
    "*0\r\n"
    "GET key\r\n"
    "*-1\r\n"
    "\n"
    "*2\r\n$4\r\nECHO\r\n$6\r\na\r\nb\0c\r\n"
    "  set \"a b\"  'c\\'d' \"\\x41\\n\"\r\n"
    "*1\r\n$0\r\n\r\n"
    "PING\n"
    "*2\r\n$4\r\nLLEN\r\n$1\r\n*\r\n";
static const char pipeline_want[] = "[SET|key|hello]"
                                    "[GET|key]"
                                    "[ECHO|a\\x0d\\x0ab\\x00c]"
                                    "[set|a b|c'd|A\\x0a]"
                                    "[]"
                                    "[PING]"
                                    "[LLEN|*]";

Test(resp_split, pipeline_every_split_point)
{
    check(pipeline, sizeof(pipeline) - 1, pipeline_want);
}

Test(resp_split, pipeline_every_pair_of_split_points)
{
    check_double_splits(pipeline, sizeof(pipeline) - 1, pipeline_want);
}

Test(resp_split, pipeline_trailing_partial_command)
{
    char *got = run_once(S("PING\r\n*2\r\n$4\r\nECHO\r\n$3\r\nab"), F_COMPACT, NULL);
    cr_assert_str_eq(got, "[PING]...");
    free(got);
    got = run_once(S("PING\r\nGET k"), 0, NULL);
    cr_assert_str_eq(got, "[PING]...");
    free(got);
    got = run_once(S("*1\r"), 0, NULL);
    cr_assert_str_eq(got, "...");
    free(got);
}

Test(resp_split, thousands_of_commands_in_one_buffer)
{
    const char one[] = "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$3\r\nval\r\n";
    size_t n1 = sizeof(one) - 1, count = 10000;
    char *in = malloc(n1 * count);
    for (size_t i = 0; i < count; i++)
        memcpy(in + i * n1, one, n1);
    feeder f;
    feeder_init(&f, 0);
    feed(&f, in, n1 * count);
    finish(&f);
    cr_assert_eq(f.out_len, strlen("[SET|k|val]") * count);
    cr_assert_eq(f.p.pos, n1 * count);
    cr_assert_leq(f.p.argv_cap, 16, "argv is reused, not grown per command");
    feeder_free(&f);
    free(in);
}

Test(resp_split, big_pipeline_in_16k_reads)
{
    /* Commands of varied shapes, fed in 16 KiB reads like conn.c. */
    char *in = malloc(1 << 21), *want = malloc(1 << 22);
    size_t n = 0, wn = 0;
    for (int i = 0; n < (1 << 21) - 4096; i++) {
        int vlen = (i * 37) % 300;
        n += (size_t)sprintf(in + n, "*3\r\n$5\r\nRPUSH\r\n$%d\r\nq%d\r\n$%d\r\n",
                             (int)snprintf(NULL, 0, "q%d", i), i, vlen);
        memset(in + n, 'a' + i % 26, (size_t)vlen);
        n += (size_t)vlen;
        memcpy(in + n, "\r\n", 2);
        n += 2;
        wn += (size_t)sprintf(want + wn, "[RPUSH|q%d|", i);
        memset(want + wn, 'a' + i % 26, (size_t)vlen);
        wn += (size_t)vlen;
        want[wn++] = ']';
        if (i % 7 == 0) {
            n += (size_t)sprintf(in + n, "LPOP q%d\r\n", i);
            wn += (size_t)sprintf(want + wn, "[LPOP|q%d]", i);
        }
    }
    want[wn] = '\0';
    size_t cuts[200];
    int ncuts = 0;
    for (size_t at = 16384; at < n && ncuts < 200; at += 16384)
        cuts[ncuts++] = at;
    for (int fi = 0; fi < 4; fi++) {
        if (all_flags[fi] & F_MOVE)
            continue; /* copying 2 MiB per read is pointless here */
        char *got = run_chunks(in, n, cuts, ncuts, all_flags[fi], NULL);
        cr_assert(strcmp(got, want) == 0, "16 KiB reads, flags %d", all_flags[fi]);
        free(got);
    }
    free(in);
    free(want);
}

/* ---- inline commands: sdssplitargs rules ---------------------------------- */

typedef struct inline_case {
    const char *line;
    const char *want;
} inline_case;

#define UNBALANCED "ERR(Protocol error: unbalanced quotes in request)"

static const inline_case inline_cases[] = {
    {"SET k \"a b\"", "[SET|k|a b]"},
    {"\"\\x41\\x42\" '\\x41'", "[AB|\\x5cx41]"},
    {"'it\\'s'", "[it's]"},
    {"\"a\\\"b\"", "[a\"b]"},
    {"\"\\n\\r\\t\\b\\a\\z\\\\\"", "[\\x0a\\x0d\\x09\\x08\\x07z\\x5c]"},
    {"\"\\x4g\"", "[x4g]"},
    {"\"\\xZZ\"", "[xZZ]"},
    {"\"\\x\"", "[x]"},
    {"\"\\x4\"", "[x4]"},
    {"\"\\xff\\xFF\\x00\"", "[\\xff\\xff\\x00]"},
    {"ab\"cd\"", "[abcd]"},
    {"a'b'", "[ab]"},
    {"ab\"cd\"ef", UNBALANCED},
    {"a\"b c\"d", UNBALANCED},
    {"\"abc", UNBALANCED},
    {"'abc", UNBALANCED},
    {"\"a\"'b'", UNBALANCED},
    {"\"\\x41", UNBALANCED},
    {"'a\\'", UNBALANCED},
    {"\"a\\\"", UNBALANCED},
    {"\"a\\", UNBALANCED},
    {"\"", UNBALANCED},
    {"'", UNBALANCED},
    {"x\"", UNBALANCED},
    {"\"\"", "[]"},
    {"'' x", "[|x]"},
    {"\"\" \"\"", "[|]"},
    {" \t a  \t b \t ", "[a|b]"},
    {"a\vb", "[a\\x0bb]"},  /* \v and \f do not end a token ... */
    {"a\fb c", "[a\\x0cb|c]"},
    {"\va", "[a]"},         /* ... but are skipped between tokens */
    {"\"a\"\vb", "[a|b]"},  /* and may follow a closing quote */
    {"\"a\"\fb", "[a|b]"},
    {"a\rb", "[a|b]"},
    {"'a\\\\b'", "[a\\x5c\\x5cb]"}, /* no escapes in single quotes but \' */
    {"\"\\\\\"", "[\\x5c]"},
    {"'\"' \"'\"", "[\"|']"},
    {"\"a\"\t\"b\"", "[a|b]"},
};

Test(resp_inline, sdssplitargs_rules)
{
    for (size_t i = 0; i < sizeof(inline_cases) / sizeof(inline_cases[0]); i++) {
        char in[256];
        int n = snprintf(in, sizeof(in), "%s\r\n", inline_cases[i].line);
        /* A later command proves the error stops parsing, success does not. */
        char want[512];
        const char *w = inline_cases[i].want;
        if (strncmp(w, "ERR(", 4) == 0)
            snprintf(want, sizeof(want), "%s", w);
        else
            snprintf(want, sizeof(want), "%s[PING]", w);
        memcpy(in + n, "PING\r\n", 7);
        char *got = run_once(in, (size_t)n + 6, 0, NULL);
        cr_assert_str_eq(got, want, "line %zu: %s", i, inline_cases[i].line);
        free(got);
        check(in, (size_t)n + 6, want);
    }
}

Test(resp_inline, line_endings_and_blank_lines)
{
    check(S("PING\n"), "[PING]");
    check(S("PING\r\r\n"), "[PING]");
    check(S("\r\n\n  \r\n\t\r\nPING\r\n"), "[PING]");
    check(S("\n\n\n"), "");
    check(S("a\rb\r\n"), "[a|b]");
}

Test(resp_inline, unescaped_in_place)
{
    feeder f;
    feeder_init(&f, 0);
    feed(&f, S("SET \"\\x41\\x42\\x43\" 'x'\r\n"));
    cr_assert_str_eq(f.out, "[SET|ABC|x]");
    /* The arguments are slices of the caller's buffer. */
    cr_assert_eq(f.p.pos, f.len);
    feeder_free(&f);
}

Test(resp_inline, too_big_inline_request)
{
    size_t n = RESP_INLINE_MAX + 1;
    char *in = malloc(n + 16);
    memset(in, 'P', n + 16);
    /* Exactly 64 KiB without a newline is still fine; one more is not. */
    char *got = run_once(in, RESP_INLINE_MAX, 0, NULL);
    cr_assert_str_eq(got, "...");
    free(got);
    got = run_once(in, n, 0, NULL);
    cr_assert_str_eq(got, "ERR(Protocol error: too big inline request)");
    free(got);
    size_t cuts[4] = {16384, 32768, 49152, 65536};
    got = run_chunks(in, n, cuts, 4, F_COMPACT, NULL);
    cr_assert_str_eq(got, "ERR(Protocol error: too big inline request)");
    free(got);
    /* Counted from the start of the line, not of the buffer. */
    memcpy(in, "PING\r\n", 6);
    got = run_once(in, RESP_INLINE_MAX + 6, 0, NULL);
    cr_assert_str_eq(got, "[PING]...");
    free(got);
    /* A long line that does end is parsed. */
    memset(in, 'a', n);
    in[0] = 'X';
    in[1] = ' ';
    in[n] = '\n';
    got = run_once(in, n + 1, 0, NULL);
    cr_assert_eq(strlen(got), n + 2); /* "[X|" + n - 2 bytes + "]" */
    free(got);
    free(in);
}

/* ---- malformed multibulk: Redis's exact errors ---------------------------- */

typedef struct err_case {
    const char *in;
    size_t len;
    const char *want;
} err_case;

#define E(lit, w) {(lit), sizeof(lit) - 1, (w)}
#define INVALID_MB "ERR(Protocol error: invalid multibulk length)"
#define INVALID_BULK "ERR(Protocol error: invalid bulk length)"

static const err_case err_cases[] = {
    E("*2147483648\r\n", INVALID_MB),
    E("*9223372036854775807\r\n", INVALID_MB),
    E("*9223372036854775808\r\n", INVALID_MB),
    E("*99999999999999999999999\r\n", INVALID_MB),
    E("*-9223372036854775809\r\n", INVALID_MB),
    E("*abc\r\n", INVALID_MB),
    E("*\r\n", INVALID_MB),
    E("*01\r\n", INVALID_MB),
    E("*+1\r\n", INVALID_MB),
    E("*1 \r\n", INVALID_MB),
    E("* 1\r\n", INVALID_MB),
    E("*-0\r\n", INVALID_MB),
    E("*1\n\r\n", INVALID_MB),
    E("PING\r\n*x\r\nPING\r\n", "[PING]" INVALID_MB),
    E("*1\r\n$-1\r\n", INVALID_BULK),
    E("*1\r\n$-0\r\n", INVALID_BULK),
    E("*1\r\n$abc\r\n", INVALID_BULK),
    E("*1\r\n$\r\n", INVALID_BULK),
    E("*1\r\n$04\r\n", INVALID_BULK),
    E("*1\r\n$+4\r\n", INVALID_BULK),
    E("*1\r\n$ 4\r\n", INVALID_BULK),
    E("*1\r\n$4 \r\n", INVALID_BULK),
    E("*1\r\n$9223372036854775807\r\n", INVALID_BULK),
    E("*1\r\n$9223372036854775808\r\n", INVALID_BULK),
    E("*1\r\n$536870913\r\n", INVALID_BULK),
    E("*1\r\nx\r\n", "ERR(Protocol error: expected '$', got 'x')"),
    E("*2\r\n$1\r\na\r\n*1\r\n", "ERR(Protocol error: expected '$', got '*')"),
    E("*1\r\n:1\r\n", "ERR(Protocol error: expected '$', got ':')"),
    /* The reply layer turns the CR into a space, as Redis does. */
    E("*1\r\n\r\n", "ERR(Protocol error: expected '$', got '\r')"),
};

Test(resp_errors, malformed_multibulk)
{
    for (size_t i = 0; i < sizeof(err_cases) / sizeof(err_cases[0]); i++) {
        const err_case *e = &err_cases[i];
        char *got = run_once(e->in, e->len, 0, NULL);
        cr_assert_str_eq(got, e->want, "case %zu", i);
        free(got);
        check(e->in, e->len, e->want);
    }
}

Test(resp_errors, accepted_oddities)
{
    /* Redis skips the two bytes after a bulk without looking at them, and
     * accepts any byte after the CR of a header. */
    check(S("*1\r\n$4\r\nPINGXX*1\rX$1\r\na\r\n"), "[PING][a]");
    /* Non-positive counts are empty commands, down to LLONG_MIN. */
    check(S("*-9223372036854775808\r\n*-5\r\n*0\r\nPING\r\n"), "[PING]");
    check(S("*1\r\n$0\r\n\r\n"), "[]");
    /* Bulk data may hold CRLF, '*' and '$'. */
    check(S("*2\r\n$4\r\n*1\r\n\r\n$2\r\n$4\r\n"), "[*1\\x0d\\x0a|$4]");
    /* A '$' line outside a multibulk is an inline command. */
    check(S("$4\r\n"), "[$4]");
}

Test(resp_errors, error_text_is_stable_after_reset)
{
    resp_parser p;
    resp_init(&p);
    char in[] = "*1\r\nx\r\n";
    cr_assert_eq(resp_parse(&p, in, sizeof(in) - 1), RESP_ERR);
    cr_assert_str_eq(p.err, "Protocol error: expected '$', got 'x'");
    resp_next(&p);
    cr_assert_null(p.err);
    resp_free(&p);
}

/* ---- oversize headers ---------------------------------------------------- */

static char *digits_after(const char *prefix, size_t ndigits, size_t *n)
{
    size_t pl = strlen(prefix);
    char *in = malloc(pl + ndigits + 1);
    memcpy(in, prefix, pl);
    memset(in + pl, '1', ndigits);
    *n = pl + ndigits;
    return in;
}

Test(resp_oversize, mbulk_count_string)
{
    size_t n;
    /* 64 KiB from the '*' without a CR: still waiting. */
    char *in = digits_after("*", RESP_INLINE_MAX - 1, &n);
    char *got = run_once(in, n, 0, NULL);
    cr_assert_str_eq(got, "...");
    free(got);
    free(in);
    in = digits_after("*", RESP_INLINE_MAX, &n);
    got = run_once(in, n, 0, NULL);
    cr_assert_str_eq(got, "ERR(Protocol error: too big mbulk count string)");
    free(got);
    size_t cuts[5] = {1, 16384, 32768, 49152, 65536};
    got = run_chunks(in, n, cuts, 5, F_COMPACT, NULL);
    cr_assert_str_eq(got, "ERR(Protocol error: too big mbulk count string)");
    free(got);
    free(in);
}

Test(resp_oversize, bulk_count_string)
{
    size_t n;
    char *in = digits_after("*1\r\n$", RESP_INLINE_MAX - 1, &n);
    char *got = run_once(in, n, 0, NULL);
    cr_assert_str_eq(got, "...");
    free(got);
    free(in);
    in = digits_after("*1\r\n$", RESP_INLINE_MAX, &n);
    got = run_once(in, n, 0, NULL);
    cr_assert_str_eq(got, "ERR(Protocol error: too big bulk count string)");
    free(got);
    size_t cuts[4] = {3, 5, 40000, 65000};
    got = run_chunks(in, n, cuts, 4, F_COMPACT | F_MOVE, NULL);
    cr_assert_str_eq(got, "ERR(Protocol error: too big bulk count string)");
    free(got);
    free(in);
    /* Counted from the '$', after a complete command and an argument. */
    in = digits_after("*1\r\n$4\r\nPING\r\n*2\r\n$1\r\na\r\n$", RESP_INLINE_MAX, &n);
    got = run_once(in, n, 0, NULL);
    cr_assert_str_eq(got, "[PING]ERR(Protocol error: too big bulk count string)");
    free(got);
    free(in);
}

Test(resp_oversize, long_header_that_ends_is_invalid_not_too_big)
{
    /* All of it in one buffer: the CR is found, the number is bad. */
    size_t n;
    char *in = digits_after("*", 70000, &n);
    in = realloc(in, n + 2);
    memcpy(in + n, "\r\n", 2);
    char *got = run_once(in, n + 2, 0, NULL);
    cr_assert_str_eq(got, INVALID_MB);
    free(got);
    free(in);
}

/* ---- limits: proto-max-bulk-len, unauthenticated clients ----------------- */

static void max_bulk_100(resp_parser *p)
{
    p->max_bulk = 100;
}

static void unauth(resp_parser *p)
{
    p->unauth = 1;
}

Test(resp_limits, max_bulk)
{
    char in[200];
    int n = snprintf(in, sizeof(in), "*1\r\n$100\r\n%0100d\r\n", 0);
    char want[200];
    snprintf(want, sizeof(want), "[%0100d]", 0);
    check_splits(in, (size_t)n, want, max_bulk_100);
    check_splits(S("*1\r\n$101\r\n"), INVALID_BULK, max_bulk_100);
    /* Default: 512 MiB. */
    char *got = run_once(S("*1\r\n$536870912\r\n"), 0, NULL);
    cr_assert_str_eq(got, "...");
    free(got);
}

Test(resp_limits, unauthenticated_multibulk_length)
{
    char in[512];
    int n = sprintf(in, "*10\r\n");
    for (int i = 0; i < 10; i++)
        n += sprintf(in + n, "$1\r\n%d\r\n", i);
    check_splits(in, (size_t)n, "[0|1|2|3|4|5|6|7|8|9]", unauth);
    check_splits(S("*11\r\n"), "ERR(Protocol error: unauthenticated multibulk length)",
                 unauth);
    /* The count is validated first. */
    check_splits(S("*2147483648\r\n"), INVALID_MB, unauth);
    /* Inline commands have no argument limit before AUTH. */
    check_splits(S("a b c d e f g h i j k l\r\n"), "[a|b|c|d|e|f|g|h|i|j|k|l]", unauth);
}

Test(resp_limits, unauthenticated_bulk_length)
{
    char *in = malloc(16384 + 64);
    int n = sprintf(in, "*1\r\n$16384\r\n");
    memset(in + n, 'v', 16384);
    memcpy(in + n + 16384, "\r\n", 2);
    char *got = run_once(in, (size_t)n + 16386, 0, unauth);
    cr_assert_eq(strlen(got), 16386);
    free(got);
    free(in);
    check_splits(S("*1\r\n$16385\r\n"), "ERR(Protocol error: unauthenticated bulk length)",
                 unauth);
    /* proto-max-bulk-len is checked first. */
    check_splits(S("*1\r\n$16385\r\n"), INVALID_BULK, max_bulk_100);
}

Test(resp_limits, auth_state_read_per_header)
{
    /* conn.c sets unauth before every call; after AUTH the limits go. */
    resp_parser p;
    resp_init(&p);
    p.unauth = 1;
    char in[] = "*2\r\n$4\r\nAUTH\r\n$2\r\npw\r\n*12\r\n";
    size_t n = sizeof(in) - 1;
    cr_assert_eq(resp_parse(&p, in, n), RESP_OK);
    cr_assert_eq(p.argc, 2);
    resp_next(&p);
    p.unauth = 0;
    cr_assert_eq(resp_parse(&p, in, n), RESP_INCOMPLETE);
    cr_assert_eq(p.mb_left, 12);
    resp_free(&p);
}

Test(resp_limits, huge_count_does_not_preallocate)
{
    resp_parser p;
    resp_init(&p);
    char in[] = "*2147483647\r\n$1\r\na\r\n$1\r\nb\r\n";
    cr_assert_eq(resp_parse(&p, in, sizeof(in) - 1), RESP_INCOMPLETE);
    cr_assert_eq(p.argc, 2);
    cr_assert_eq(p.mb_left, 2147483645LL);
    cr_assert_leq(p.argv_cap, 16);
    resp_free(&p);
}

Test(resp_limits, argv_grows_to_exact_count)
{
    /* 1000 arguments: argv grows by doubling but never past the count. */
    size_t cap = 1000 * 16 + 32, n = 0;
    char *in = malloc(cap);
    n += (size_t)sprintf(in, "*1000\r\n");
    for (int i = 0; i < 1000; i++)
        n += (size_t)sprintf(in + n, "$%d\r\n%d\r\n", i < 10 ? 1 : i < 100 ? 2 : 3, i);
    resp_parser p;
    resp_init(&p);
    cr_assert_eq(resp_parse(&p, in, n), RESP_OK);
    cr_assert_eq(p.argc, 1000);
    cr_assert_eq(p.argv_cap, 1000);
    cr_assert_eq(p.argv[999].len, 3);
    cr_assert_eq(memcmp(in + p.argv[999].off, "999", 3), 0);
    resp_free(&p);
    free(in);
}

/* ---- resp_bulk_need, resp_shift ------------------------------------------ */

Test(resp_api, bulk_need_for_a_big_argument)
{
    resp_parser p;
    resp_init(&p);
    const char head[] = "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$100000\r\n";
    size_t hl = sizeof(head) - 1, total = hl + 100000 + 2;
    char *buf = malloc(total);
    memcpy(buf, head, hl);
    memset(buf + hl, 'x', 100000);
    memcpy(buf + hl + 100000, "\r\n", 2);

    /* Nothing is known before the header has been parsed. */
    cr_assert_eq(resp_bulk_need(&p, 0), 0);
    cr_assert_eq(resp_parse(&p, buf, 10), RESP_INCOMPLETE); /* ...$3\r\nSE */
    cr_assert_eq(resp_bulk_need(&p, 10), 3);
    cr_assert_eq(resp_parse(&p, buf, hl - 1), RESP_INCOMPLETE);
    cr_assert_eq(resp_bulk_need(&p, hl - 1), 0, "header without LF is not parsed");
    cr_assert_eq(resp_parse(&p, buf, hl), RESP_INCOMPLETE);
    cr_assert_eq(resp_bulk_need(&p, hl), 100002);
    cr_assert_eq(resp_parse(&p, buf, hl + 5000), RESP_INCOMPLETE);
    cr_assert_eq(resp_bulk_need(&p, hl + 5000), 100002 - 5000);
    cr_assert_eq(resp_parse(&p, buf, total - 1), RESP_INCOMPLETE);
    cr_assert_eq(resp_bulk_need(&p, total - 1), 1);
    cr_assert_eq(resp_parse(&p, buf, total), RESP_OK);
    cr_assert_eq(p.argc, 3);
    cr_assert_eq(p.argv[2].len, 100000);
    cr_assert_eq(p.argv[2].off, hl);
    cr_assert_eq(memcmp(buf + p.argv[0].off, "SET", 3), 0);
    cr_assert_eq(resp_bulk_need(&p, total), 0);
    resp_next(&p);
    cr_assert_eq(resp_bulk_need(&p, total), 0);
    resp_free(&p);
    free(buf);
}

Test(resp_api, bulk_need_is_zero_for_inline)
{
    resp_parser p;
    resp_init(&p);
    char in[] = "SET k vvvvvvvv";
    cr_assert_eq(resp_parse(&p, in, sizeof(in) - 1), RESP_INCOMPLETE);
    cr_assert_eq(resp_bulk_need(&p, sizeof(in) - 1), 0);
    resp_free(&p);
}

Test(resp_api, shift_moves_every_offset)
{
    resp_parser p;
    resp_init(&p);
    char buf[256] = "PING\r\n*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$5\r\nhe";
    size_t len = strlen(buf);
    cr_assert_eq(resp_parse(&p, buf, len), RESP_OK);
    resp_next(&p);
    cr_assert_eq(resp_parse(&p, buf, len), RESP_INCOMPLETE);
    cr_assert_eq(p.start, 6);
    cr_assert_eq(p.argc, 2);
    size_t pos = p.pos, off0 = p.argv[0].off, off1 = p.argv[1].off;
    /* Drop the PING, as conn.c does. */
    memmove(buf, buf + 6, len - 6);
    len -= 6;
    resp_shift(&p, 6);
    cr_assert_eq(p.start, 0);
    cr_assert_eq(p.pos, pos - 6);
    cr_assert_eq(p.argv[0].off, off0 - 6);
    cr_assert_eq(p.argv[1].off, off1 - 6);
    memcpy(buf + len, "llo\r\n", 5);
    len += 5;
    cr_assert_eq(resp_parse(&p, buf, len), RESP_OK);
    cr_assert_eq(p.argc, 3);
    cr_assert_eq(memcmp(buf + p.argv[0].off, "SET", 3), 0);
    cr_assert_eq(memcmp(buf + p.argv[1].off, "k", 1), 0);
    cr_assert_eq(memcmp(buf + p.argv[2].off, "hello", 5), 0);
    cr_assert_eq(p.pos, len);
    resp_free(&p);
}

Test(resp_api, empty_buffer_and_free_twice)
{
    resp_parser p;
    resp_init(&p);
    cr_assert_eq(resp_parse(&p, NULL, 0), RESP_INCOMPLETE);
    cr_assert_eq(p.max_bulk, 512LL * 1024 * 1024);
    cr_assert_eq(p.bulk_len, -1);
    resp_free(&p);
    resp_free(&p);
}

/* ---- randomized comparison with a model of Redis's parser ---------------- */

/* Redis's string2ll: optional '-', no leading zeros, no '+', < 21 chars. */
static int model_string2ll(const char *s, size_t n, long long *out)
{
    if (n == 0 || n >= 21)
        return 0;
    if (n == 1 && s[0] == '0') {
        *out = 0;
        return 1;
    }
    size_t i = 0;
    int neg = 0;
    if (s[0] == '-') {
        neg = 1;
        if (++i == n)
            return 0;
    }
    if (s[i] < '1' || s[i] > '9')
        return 0;
    unsigned long long v = 0;
    for (; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return 0;
        unsigned d = (unsigned)(s[i] - '0');
        if (v > (ULLONG_MAX - d) / 10)
            return 0;
        v = v * 10 + d;
    }
    if (neg) {
        if (v > (unsigned long long)LLONG_MAX + 1)
            return 0;
        *out = (long long)(0 - v);
    } else {
        if (v > LLONG_MAX)
            return 0;
        *out = (long long)v;
    }
    return 1;
}

static const char *find_byte(const char *buf, size_t from, size_t n, char c)
{
    return from < n ? memchr(buf + from, c, n - from) : NULL;
}

/* processMultibulkBuffer + processInlineBuffer over a whole buffer holding
 * no NUL and no quotes, written from Redis's source, the slow way. */
static char *model_parse(const char *buf, size_t n, long long max_bulk)
{
    feeder f; /* only its output buffer is used */
    feeder_init(&f, 0);
    size_t pos = 0, mark = 0; /* mark: output length before this command */
    while (pos < n) {
        if (buf[pos] != '*') {
            const char *nl = find_byte(buf, pos, n, '\n');
            if (!nl) {
                if (n - pos > RESP_INLINE_MAX)
                    goto err_inline;
                goto pending;
            }
            size_t end = (size_t)(nl - buf), next = end + 1;
            if (end > pos && buf[end - 1] == '\r')
                end--;
            int argc = 0;
            size_t i = pos;
            while (i < end) {
                while (i < end && strchr(" \t\n\r\v\f", buf[i]))
                    i++;
                if (i >= end)
                    break;
                out_str(&f, argc++ ? "|" : "[");
                size_t st = i;
                while (i < end && !strchr(" \t\n\r", buf[i]))
                    i++;
                out_arg(&f, buf + st, i - st);
            }
            if (argc)
                out_str(&f, "]");
            pos = next;
            continue;
        }
        const char *cr = find_byte(buf, pos, n, '\r');
        if (!cr) {
            if (n - pos > RESP_INLINE_MAX)
                goto err_mbulk_big;
            goto pending;
        }
        if ((size_t)(cr - buf) + 1 >= n)
            goto pending;
        long long ll;
        if (!model_string2ll(buf + pos + 1, (size_t)(cr - buf) - pos - 1, &ll) || ll > INT_MAX)
            goto err_mbulk;
        size_t start = pos;
        pos = (size_t)(cr - buf) + 2;
        if (ll <= 0)
            continue;
        mark = f.out_len;
        for (long long k = 0; k < ll; k++) {
            cr = find_byte(buf, pos, n, '\r');
            if (!cr) {
                if (n - pos > RESP_INLINE_MAX)
                    goto err_bulk_big;
                goto pending_cmd;
            }
            if ((size_t)(cr - buf) + 1 >= n)
                goto pending_cmd;
            if (buf[pos] != '$') {
                char e[80];
                f.out_len = mark; /* a half-read command never runs */
                snprintf(e, sizeof(e), "ERR(Protocol error: expected '$', got '%c')", buf[pos]);
                out_str(&f, e);
                goto done;
            }
            long long bl;
            if (!model_string2ll(buf + pos + 1, (size_t)(cr - buf) - pos - 1, &bl) || bl < 0 ||
                bl > max_bulk)
                goto err_bulk;
            pos = (size_t)(cr - buf) + 2;
            if (n - pos < (size_t)bl + 2)
                goto pending_cmd;
            out_str(&f, k ? "|" : "[");
            out_arg(&f, buf + pos, (size_t)bl);
            pos += (size_t)bl + 2;
        }
        out_str(&f, "]");
        continue;
    pending_cmd:
        f.out_len = mark;
        f.out[mark] = '\0';
        pos = start;
        goto pending;
    }
    goto done;
pending:
    out_str(&f, "...");
    goto done;
err_bulk_big:
    f.out_len = mark;
    out_str(&f, "ERR(Protocol error: too big bulk count string)");
    goto done;
err_bulk:
    f.out_len = mark;
    out_str(&f, "ERR(Protocol error: invalid bulk length)");
    goto done;
err_inline:
    out_str(&f, "ERR(Protocol error: too big inline request)");
    goto done;
err_mbulk_big:
    out_str(&f, "ERR(Protocol error: too big mbulk count string)");
    goto done;
err_mbulk:
    out_str(&f, "ERR(Protocol error: invalid multibulk length)");
done:;
    char *res = strdup(f.out);
    feeder_free(&f);
    return res;
}

static const char *const rand_numbers[] = {
    "0", "00", "01", "1", "2", "3", "-1", "-0", "+1", " 1", "1 ", "", "-", "10", "12",
    "2147483647", "2147483648", "999999999999999999", "1000000000000000000",
    "9223372036854775807", "9223372036854775808", "99999999999999999999", "-5", "1a", "4",
};

static size_t rand_piece(char *out, unsigned *seed)
{
    int kind = rand_r(seed) % 10;
    const char *num = rand_numbers[rand_r(seed) % (sizeof(rand_numbers) / sizeof(char *))];
    if (kind < 4) { /* a well-formed command */
        int argc = 1 + rand_r(seed) % 3;
        size_t n = (size_t)sprintf(out, "*%d\r\n", argc);
        for (int i = 0; i < argc; i++) {
            int len = rand_r(seed) % 5;
            n += (size_t)sprintf(out + n, "$%d\r\n", len);
            for (int k = 0; k < len; k++)
                out[n++] = "ab*$\r\n 1"[rand_r(seed) % 8];
            n += (size_t)sprintf(out + n, "\r\n");
        }
        return n;
    }
    if (kind < 6)
        return (size_t)sprintf(out, "*%s\r\n", num);
    if (kind < 8)
        return (size_t)sprintf(out, "$%s\r\n", num);
    size_t n = (size_t)(rand_r(seed) % 6);
    for (size_t i = 0; i < n; i++)
        out[i] = "*$-0123\r\n a"[rand_r(seed) % 11];
    return n;
}

Test(resp_random, matches_a_model_of_redis)
{
    unsigned seed = 12345;
    char in[4096];
    for (int iter = 0; iter < 30000; iter++) {
        size_t n = 0;
        int pieces = 1 + rand_r(&seed) % 6;
        for (int k = 0; k < pieces; k++)
            n += rand_piece(in + n, &seed);
        char *want = model_parse(in, n, 512LL * 1024 * 1024);
        char *got = run_once(in, n, 0, NULL);
        cr_assert_str_eq(got, want, "iteration %d: %.*s\ngot  %s\nwant %s", iter, (int)n, in, got,
                         want);
        free(got);
        size_t cuts[2] = {(size_t)rand_r(&seed) % (n + 1), 0};
        cuts[1] = cuts[0] + (size_t)rand_r(&seed) % (n - cuts[0] + 1);
        got = run_chunks(in, n, cuts, 2, F_COMPACT, NULL);
        cr_assert_str_eq(got, want, "iteration %d, cuts %zu %zu", iter, cuts[0], cuts[1]);
        free(got);
        free(want);
    }
}

Test(resp_limits, eighteen_and_nineteen_digit_lengths)
{
    static const struct {
        const char *in;
        long long bulk;
    } cases[] = {
        {"*1\r\n$999999999999999999\r\n", 999999999999999999LL},
        {"*1\r\n$1000000000000000000\r\n", 1000000000000000000LL},
        {"*1\r\n$9223372036854775807\r\n", 9223372036854775807LL},
    };
    for (size_t i = 0; i < 3; i++) {
        resp_parser p;
        resp_init(&p);
        p.max_bulk = LLONG_MAX;
        size_t n = strlen(cases[i].in);
        cr_assert_eq(resp_parse(&p, (char *)cases[i].in, n), RESP_INCOMPLETE);
        cr_assert_eq(p.bulk_len, cases[i].bulk, "case %zu", i);
        resp_free(&p);
    }
}
