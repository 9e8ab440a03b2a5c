/* cmd/stream.c - the stream commands (XADD ... XINFO), Redis 7.0.15 replies.
 *
 * A stream key holds an OBJ_STREAM obj whose ptr is a stream (ds/stream.h):
 * entries, groups, consumers and PELs all live there; this file parses
 * arguments, applies Redis's rules and replies.  Unlike lists, a stream key
 * may be empty (MKSTREAM, XDEL, XTRIM keep it).
 *
 * Propagation (AOF) follows Redis: XADD logs the ID it generated and turns
 * "~" trims into "=" with the resulting length / first ID; XREADGROUP,
 * XCLAIM and XAUTOCLAIM log nothing themselves but one idempotent XCLAIM
 * per PEL change (plus XGROUP SETID / CREATECONSUMER for NOACK reads).
 * Those extra commands are only built while the AOF is on.
 *
 * Blocking XREAD / XREADGROUP keep their resolved IDs ("$" becomes the last
 * ID at block time, ">" is re-read from the group when served), the COUNT
 * (1000 when none was given) and the group/consumer names in the blocked
 * state (blocked.h), and are served by serve_stream() when XADD (or a
 * deletion, a type change, XGROUP DESTROY, RENAME) signals the key. */
#include "../server.h"

#include "../blocked.h"
#include "../ds/alloc.h"
#include "../ds/stream.h"
#include "../ds/util.h"

#include <limits.h>
#include <string.h>

#define ERR_INVALID_ID "Invalid stream ID specified as stream command argument"
#define XREAD_BLOCKED_DEFAULT_COUNT 1000
#define STATIC_IDS 8

/* ---- the stream type ---- */

static void stream_free_v(void *p)
{
    stream_free(p);
}

static void *stream_dup_v(const void *p)
{
    return stream_dup(p);
}

static size_t stream_mem_v(const void *p)
{
    return stream_mem(p);
}

static const char *stream_encoding(const obj *o)
{
    (void)o;
    return "stream";
}

static const obj_type_ops stream_ops = {.name = "stream", .free = stream_free_v,
                                        .dup = stream_dup_v, .mem = stream_mem_v,
                                        .encoding = stream_encoding};

__attribute__((constructor)) static void stream_register_type(void)
{
    obj_register_type(OBJ_STREAM, &stream_ops);
}

/* ---- helpers ---- */

/* Set while serving a blocked client: log directly, we are outside call(). */
static int serving_blocked;

/* The time of the running command (call() reads the clock once per
 * command); a fresh reading when serving blocked clients. */
static long long now_ms(void)
{
    if (serving_blocked || !srv.cmd_time_ms)
        return el_wall_ms();
    return srv.cmd_time_ms;
}

static void reply_id(client *c, stream_id id)
{
    char buf[STREAM_ID_STR_MAX];
    size_t n = stream_id_fmt(buf, id);
    reply_bulk(c, buf, n);
}

/* Redis formats names into errors with %s: they stop at a NUL byte. */
static int cstr_len(const arg *a)
{
    size_t n = strnlen(a->p, a->len);
    return n > INT_MAX ? INT_MAX : (int)n;
}

static int wrong_type(client *c, const obj *o)
{
    if (o && o->type != OBJ_STREAM) {
        reply_error(c, ERR_WRONGTYPE);
        return 1;
    }
    return 0;
}

static int parse_id(client *c, const arg *a, stream_id *id, uint64_t missing_seq, int strict,
                    int *seq_given)
{
    if (stream_id_parse(a->p, a->len, id, missing_seq, strict, seq_given) == 0)
        return 0;
    if (c)
        reply_error(c, ERR_INVALID_ID);
    return -1;
}

/* A range bound: "(" makes it exclusive (then "-" / "+" are refused). */
static int parse_interval(client *c, const arg *a, stream_id *id, int *exclude,
                          uint64_t missing_seq)
{
    *exclude = a->len > 1 && a->p[0] == '(';
    if (*exclude) {
        arg t = {a->p + 1, a->len - 1};
        return parse_id(c, &t, id, missing_seq, 1, NULL);
    }
    return parse_id(c, a, id, missing_seq, 0, NULL);
}

static int is_single(const arg *a, char ch)
{
    return a->len == 1 && a->p[0] == ch;
}

/* Redis's addReplySubcommandSyntaxError: argv[1] as typed, argv[0] upper. */
static void reply_subcommand_syntax(client *c)
{
    char up[32];
    size_t n = c->argv[0].len < sizeof(up) - 1 ? c->argv[0].len : sizeof(up) - 1;
    for (size_t i = 0; i < n; i++) {
        char ch = c->argv[0].p[i];
        up[i] = ch >= 'a' && ch <= 'z' ? (char)(ch - 32) : ch;
    }
    up[n] = '\0';
    int sl = cstr_len(&c->argv[1]);
    reply_errorf(c, "unknown subcommand or wrong number of arguments for '%.*s'. Try %s HELP.",
                 sl < 128 ? sl : 128, c->argv[1].p, up);
}

/* ---- propagation ---- */

static int aof_wants(void)
{
    return srv.aof_enabled && !srv.loading;
}

static void propagate_cmd(int dbid, arg *av, int argc)
{
    if (serving_blocked)
        server_propagate(dbid, av, argc);
    else
        propagate_replace(dbid, av, argc);
}

/* XCLAIM <key> <group> <consumer> 0 <id> TIME <ms> RETRYCOUNT <count> FORCE
 * JUSTID LASTID <group last id>: recreates the NACK idempotently. */
static void propagate_xclaim(int dbid, const arg *key, const arg *group, const stream_group *g,
                             const arg *idarg, const stream_nack *n)
{
    if (!aof_wants())
        return;
    char tbuf[24], cbuf[24], lbuf[STREAM_ID_STR_MAX];
    size_t tl = (size_t)ll_to_str(tbuf, sizeof(tbuf), n->delivery_time);
    size_t cl = (size_t)ull_to_str(cbuf, sizeof(cbuf), n->delivery_count);
    size_t ll = stream_id_fmt(lbuf, g->last_id);
    const str cname = n->consumer->name;
    arg av[14] = {{"XCLAIM", 6}, *key, *group, {cname, str_len(cname)}, {"0", 1}, *idarg,
                  {"TIME", 4}, {tbuf, tl}, {"RETRYCOUNT", 10}, {cbuf, cl}, {"FORCE", 5},
                  {"JUSTID", 6}, {"LASTID", 6}, {lbuf, ll}};
    propagate_cmd(dbid, av, 14);
}

static void propagate_xclaim_id(int dbid, const arg *key, const arg *group,
                                const stream_group *g, stream_id id, const stream_nack *n)
{
    if (!aof_wants())
        return;
    char buf[STREAM_ID_STR_MAX];
    arg idarg = {buf, stream_id_fmt(buf, id)};
    propagate_xclaim(dbid, key, group, g, &idarg, n);
}

/* XGROUP SETID <key> <group> <last id> ENTRIESREAD <entries_read> */
static void propagate_group_id(int dbid, const arg *key, const arg *group, const stream_group *g)
{
    if (!aof_wants())
        return;
    char ibuf[STREAM_ID_STR_MAX], ebuf[24];
    size_t il = stream_id_fmt(ibuf, g->last_id);
    size_t el = (size_t)ll_to_str(ebuf, sizeof(ebuf), g->entries_read);
    arg av[7] = {{"XGROUP", 6}, {"SETID", 5}, *key, *group, {ibuf, il}, {"ENTRIESREAD", 11},
                 {ebuf, el}};
    propagate_cmd(dbid, av, 7);
}

static void propagate_consumer_creation(int dbid, const arg *key, const arg *group,
                                        const stream_consumer *cons)
{
    if (!aof_wants())
        return;
    arg av[5] = {{"XGROUP", 6}, {"CREATECONSUMER", 14}, *key, *group,
                 {cons->name, str_len(cons->name)}};
    propagate_cmd(dbid, av, 5);
}

/* ---- replying with entries ---- */

static void reply_entry(client *c, stream_iter *it, stream_id id, uint64_t nf)
{
    reply_array(c, 2);
    reply_id(c, id);
    reply_array(c, (long)(nf * 2));
    while (nf--) {
        const char *f, *v;
        size_t fl, vl;
        stream_iter_field(it, &f, &fl, &v, &vl);
        reply_bulk(c, f, fl);
        reply_bulk(c, v, vl);
    }
}

/* One entry as [id, [f, v ...]]; 0 if it does not exist. */
static int reply_single(client *c, const stream *s, stream_id id)
{
    stream_iter it;
    stream_id got;
    uint64_t nf;
    stream_iter_init(&it, s, id, id, 0);
    int found = stream_iter_next(&it, &got, &nf);
    if (found)
        reply_entry(c, &it, got, nf);
    stream_iter_done(&it);
    return found;
}

#define RWR_NOACK (1 << 0)
#define RWR_RAW (1 << 1)
#define RWR_HISTORY (1 << 2)

typedef struct prop_info {
    int dbid;
    const arg *key, *group;
} prop_info;

/* A consumer's own pending entries from `start` (XREADGROUP with an ID):
 * deleted entries come as [id, nil]; delivered ones count one more try. */
static size_t reply_from_pel(client *c, const stream *s, stream_group *g, stream_consumer *cons,
                             stream_id start, size_t count)
{
    void *h = reply_defer(c);
    size_t n = 0;
    long long now = now_ms();
    idtree_iter it;
    stream_id id;
    idtree_seek(&it, cons->pel, IDT_GE, start);
    while ((!count || n < count) && idtree_next(&it, &id, NULL)) {
        if (!reply_single(c, s, id)) {
            reply_array(c, 2);
            reply_id(c, id);
            reply_null_array(c);
        } else {
            stream_nack *nk = stream_pel_find(g, id);
            if (nk) {
                nk->delivery_time = now;
                nk->delivery_count++;
            }
        }
        n++;
    }
    reply_set_array_len(c, h, (long)n);
    return n;
}

/* Redis's streamReplyWithRange: entries in [start, end], at most count
 * (0 = all).  With a group: advance its last ID / read counter, and unless
 * NOACK record each delivery in the PELs and propagate it. */
static size_t reply_range(client *c, stream *s, stream_id start, stream_id end, size_t count,
                          int rev, stream_group *g, stream_consumer *cons, int flags,
                          const prop_info *pi)
{
    if (g && (flags & RWR_HISTORY))
        return reply_from_pel(c, s, g, cons, start, count);
    int noack = flags & RWR_NOACK;
    int propagate_last_id = 0;
    void *h = (flags & RWR_RAW) ? NULL : reply_defer(c);
    long long now = g ? now_ms() : 0;
    size_t n = 0;
    stream_iter it;
    stream_id id;
    uint64_t nf;
    stream_iter_init(&it, s, start, end, rev);
    while (stream_iter_next(&it, &id, &nf)) {
        if (g && stream_id_cmp(id, g->last_id) > 0) {
            stream_group_advance(s, g, id);
            if (noack)
                propagate_last_id = 1;
        }
        reply_entry(c, &it, id, nf);
        if (g && !noack) {
            stream_nack *nk = stream_pel_deliver(g, cons, id, now);
            if (pi)
                propagate_xclaim_id(pi->dbid, pi->key, pi->group, g, id, nk);
        }
        n++;
        if (count && n == count)
            break;
    }
    stream_iter_done(&it);
    if (pi && propagate_last_id)
        propagate_group_id(pi->dbid, pi->key, pi->group, g);
    if (h)
        reply_set_array_len(c, h, (long)n);
    return n;
}

/* ---- XADD / XTRIM argument parsing ---- */

typedef struct trim_args {
    stream_id id;      /* XADD: the explicit ID */
    int id_given;      /* an ID other than "*" */
    int seq_given;     /* an ID other than "ms-*" */
    int no_mkstream;
    int strategy;      /* STREAM_TRIM_* */
    int strategy_arg;  /* index of the count / minid argument */
    int approx;
    long long limit;
    long long maxlen;
    stream_id minid;
} trim_args;

/* Commands from the AOF obey their arguments exactly (no LIMIT default). */
static int must_obey(const client *c)
{
    return (c->flags & CLIENT_FAKE) || srv.loading;
}

static long long default_limit(void)
{
    long long m = srv.stream_node_max_entries;
    if (m <= 0)
        return 10000;
    if (m > 10000)
        return 1000000;
    return 100 * m;
}

/* MAXLEN|MINID [=|~] <arg> at argv[i]; returns the new index or -1. */
static int parse_strategy(client *c, trim_args *a, int i, int maxlen)
{
    int moreargs = c->argc - 1 - i;
    if (a->strategy != STREAM_TRIM_NONE) {
        reply_error(c, "syntax error, MAXLEN and MINID options at the same time are not "
                       "compatible");
        return -1;
    }
    a->approx = 0;
    const arg *next = &c->argv[i + 1];
    if (moreargs >= 2 && is_single(next, '~')) {
        a->approx = 1;
        i++;
    } else if (moreargs >= 2 && is_single(next, '=')) {
        i++;
    }
    if (maxlen) {
        if (arg_ll(c, &c->argv[i + 1], &a->maxlen, NULL) < 0)
            return -1;
        if (a->maxlen < 0) {
            reply_error(c, "The MAXLEN argument must be >= 0.");
            return -1;
        }
    } else if (parse_id(c, &c->argv[i + 1], &a->minid, 0, 1, NULL) < 0) {
        return -1;
    }
    i++;
    a->strategy = maxlen ? STREAM_TRIM_MAXLEN : STREAM_TRIM_MINID;
    a->strategy_arg = i;
    return i;
}

static int check_limit(client *c, trim_args *a, int limit_given, int xadd)
{
    if (a->limit && a->strategy == STREAM_TRIM_NONE) {
        reply_error(c, "syntax error, LIMIT cannot be used without specifying a trimming "
                       "strategy");
        return -1;
    }
    if (!xadd && a->strategy == STREAM_TRIM_NONE) {
        reply_error(c, "syntax error, XTRIM must be called with a trimming strategy");
        return -1;
    }
    if (must_obey(c)) {
        a->limit = 0;
    } else if (limit_given) {
        if (!a->approx) {
            reply_error(c, "syntax error, LIMIT cannot be used without the special ~ option");
            return -1;
        }
    } else {
        a->limit = a->approx ? default_limit() : 0;
    }
    return 0;
}

/* Redis's streamParseAddOrTrimArgsOrReply: returns the index of the ID
 * (XADD) or of the end of the options, -1 after an error reply. */
static int parse_add_trim(client *c, trim_args *a, int xadd)
{
    memset(a, 0, sizeof(*a));
    int i = 2, limit_given = 0;
    for (; i < c->argc; i++) {
        int moreargs = c->argc - 1 - i;
        const arg *opt = &c->argv[i];
        if (xadd && is_single(opt, '*')) {
            break;
        } else if (arg_eq(opt, "maxlen") && moreargs) {
            if ((i = parse_strategy(c, a, i, 1)) < 0)
                return -1;
        } else if (arg_eq(opt, "minid") && moreargs) {
            if ((i = parse_strategy(c, a, i, 0)) < 0)
                return -1;
        } else if (arg_eq(opt, "limit") && moreargs) {
            if (arg_ll(c, &c->argv[i + 1], &a->limit, NULL) < 0)
                return -1;
            if (a->limit < 0) {
                reply_error(c, "The LIMIT argument must be >= 0.");
                return -1;
            }
            limit_given = 1;
            i++;
        } else if (xadd && arg_eq(opt, "nomkstream")) {
            a->no_mkstream = 1;
        } else if (xadd) {
            if (parse_id(c, opt, &a->id, 0, 1, &a->seq_given) < 0)
                return -1;
            a->id_given = 1;
            break;
        } else {
            reply_syntax_error(c);
            return -1;
        }
    }
    if (check_limit(c, a, limit_given, xadd) < 0)
        return -1;
    return i;
}

/* Trim after XADD / for XTRIM; fills rewritten arguments for the AOF when
 * the trim was approximate ("~" becomes "=" with the exact result). */
static int64_t apply_trim(client *c, stream *s, const trim_args *a, arg *av, char *buf)
{
    int64_t deleted = stream_trim(s, a->strategy, (uint64_t)a->maxlen, a->minid, a->approx,
                                  a->limit);
    if (deleted)
        notify_keyspace_event(NOTIFY_STREAM, "xtrim", c->argv[1].p, c->argv[1].len,
                              c->db->id);
    if (a->approx && av) {
        av[a->strategy_arg - 1].p = "=";
        av[a->strategy_arg - 1].len = 1;
        size_t n;
        if (a->strategy == STREAM_TRIM_MAXLEN)
            n = (size_t)ull_to_str(buf, 24, s->length);
        else
            n = stream_id_fmt(buf, stream_first_any(s));
        av[a->strategy_arg].p = buf;
        av[a->strategy_arg].len = n;
    }
    return deleted;
}

static obj *lookup_or_create(client *c, const arg *key, int no_create, int *created)
{
    obj *o = db_lookup_write(c, key->p, key->len);
    *created = 0;
    if (wrong_type(c, o))
        return NULL;
    if (!o) {
        if (no_create) {
            reply_null(c);
            return NULL;
        }
        o = obj_new(OBJ_STREAM, stream_new());
        db_add(c->db, key->p, key->len, o);
        *created = 1;
    }
    return o;
}

/* ---- XADD ---- */

static int xadd_fields(client *c, int field_pos, stream_str *stack, stream_str **out)
{
    size_t n = (size_t)(c->argc - field_pos);
    stream_str *fv = n <= 2 * STATIC_IDS ? stack : ds_malloc(sizeof(stream_str) * n);
    uint64_t total = 0;
    for (size_t i = 0; i < n; i++) {
        fv[i].p = c->argv[field_pos + (int)i].p;
        fv[i].len = c->argv[field_pos + (int)i].len;
        total += fv[i].len;
    }
    *out = fv;
    return total > STREAM_MAX_ELEMENTS_BYTES ? -1 : 0;
}

static void cmd_xadd(client *c)
{
    trim_args a;
    int idpos = parse_add_trim(c, &a, 1);
    if (idpos < 0)
        return;
    int field_pos = idpos + 1;
    if (c->argc - field_pos < 2 || (c->argc - field_pos) % 2 == 1) {
        reply_arity_error(c, "xadd");
        return;
    }
    if (a.id_given && a.seq_given && a.id.ms == 0 && a.id.seq == 0) {
        reply_error(c, "The ID specified in XADD must be greater than 0-0");
        return;
    }
    int created;
    obj *o = lookup_or_create(c, &c->argv[1], a.no_mkstream, &created);
    if (!o)
        return;
    stream *s = o->ptr;
    if (s->last_id.ms == UINT64_MAX && s->last_id.seq == UINT64_MAX) {
        reply_error(c, "The stream has exhausted the last possible ID, unable to add more "
                       "items");
        return;
    }
    stream_id id;
    int r = stream_next_id(s, a.id_given, a.id, a.seq_given, (uint64_t)now_ms(), &id);
    if (r == -1) {
        reply_error(c, "The ID specified in XADD is equal or smaller than the target stream "
                       "top item");
        return;
    }
    stream_str stack[2 * STATIC_IDS], *fv = stack;
    if (r == -2) {
        reply_error(c, "Elements are too large to be stored");
        return;
    }
    if (xadd_fields(c, field_pos, stack, &fv) < 0) {
        if (fv != stack)
            ds_free(fv);
        reply_error(c, "Elements are too large to be stored");
        return;
    }
    size_t nf = (size_t)(c->argc - field_pos) / 2;
    stream_append(s, id, fv, nf, (uint64_t)srv.stream_node_max_bytes,
                  (uint64_t)srv.stream_node_max_entries);
    if (fv != stack)
        ds_free(fv);
    char idbuf[STREAM_ID_STR_MAX];
    size_t idlen = stream_id_fmt(idbuf, id);
    reply_bulk(c, idbuf, idlen);
    const arg *key = &c->argv[1];
    signal_modified_key(c, c->db, key->p, key->len);
    notify_keyspace_event(NOTIFY_STREAM, "xadd", key->p, key->len, c->db->id);
    srv.dirty++;

    int rewrite = !a.id_given || !a.seq_given || a.approx;
    arg sbuf[16], *av = NULL;
    char trimbuf[STREAM_ID_STR_MAX];
    if (rewrite && aof_wants()) {
        av = c->argc <= 16 ? sbuf : ds_malloc(sizeof(arg) * (size_t)c->argc);
        memcpy(av, c->argv, sizeof(arg) * (size_t)c->argc);
    }
    if (a.strategy != STREAM_TRIM_NONE)
        apply_trim(c, s, &a, av, trimbuf);
    if (av) {
        if (!a.id_given || !a.seq_given) {
            av[idpos].p = idbuf;
            av[idpos].len = idlen;
        }
        propagate_replace(c->db_id, av, c->argc);
        if (av != sbuf)
            ds_free(av);
    }
    signal_key_ready(c->db, key->p, key->len);
}

/* ---- XTRIM ---- */

static void cmd_xtrim(client *c)
{
    trim_args a;
    if (parse_add_trim(c, &a, 0) < 0)
        return;
    obj *o = db_lookup_write(c, c->argv[1].p, c->argv[1].len);
    if (!o) {
        reply_ll(c, 0);
        return;
    }
    if (wrong_type(c, o))
        return;
    stream *s = o->ptr;
    arg sbuf[16], *av = NULL;
    char trimbuf[STREAM_ID_STR_MAX];
    if (a.approx && aof_wants()) {
        av = c->argc <= 16 ? sbuf : ds_malloc(sizeof(arg) * (size_t)c->argc);
        memcpy(av, c->argv, sizeof(arg) * (size_t)c->argc);
    }
    int64_t deleted = apply_trim(c, s, &a, av, trimbuf);
    if (deleted) {
        if (av)
            propagate_replace(c->db_id, av, c->argc);
        signal_modified_key(c, c->db, c->argv[1].p, c->argv[1].len);
        srv.dirty += deleted;
    }
    if (av && av != sbuf)
        ds_free(av);
    reply_ll(c, deleted);
}

/* ---- XRANGE / XREVRANGE / XLEN ---- */

static void xrange_generic(client *c, int rev)
{
    stream_id start, end;
    long long count = -1;
    const arg *sa = rev ? &c->argv[3] : &c->argv[2];
    const arg *ea = rev ? &c->argv[2] : &c->argv[3];
    int sx, ex;
    if (parse_interval(c, sa, &start, &sx, 0) < 0)
        return;
    if (sx && stream_id_incr(&start) != 0) {
        reply_error(c, "invalid start ID for the interval");
        return;
    }
    if (parse_interval(c, ea, &end, &ex, UINT64_MAX) < 0)
        return;
    if (ex && stream_id_decr(&end) != 0) {
        reply_error(c, "invalid end ID for the interval");
        return;
    }
    for (int j = 4; j < c->argc; j++) {
        int additional = c->argc - j - 1;
        if (arg_eq(&c->argv[j], "count") && additional >= 1) {
            if (arg_ll(c, &c->argv[j + 1], &count, NULL) < 0)
                return;
            if (count < 0)
                count = 0;
            j++;
        } else {
            reply_syntax_error(c);
            return;
        }
    }
    obj *o = db_lookup_read(c, c->argv[1].p, c->argv[1].len);
    if (!o) {
        reply_empty_array(c);
        return;
    }
    if (wrong_type(c, o))
        return;
    if (count == 0) {
        reply_null_array(c);
        return;
    }
    reply_range(c, o->ptr, start, end, count == -1 ? 0 : (size_t)count, rev, NULL, NULL, 0,
                NULL);
}

static void cmd_xrange(client *c)
{
    xrange_generic(c, 0);
}

static void cmd_xrevrange(client *c)
{
    xrange_generic(c, 1);
}

static void cmd_xlen(client *c)
{
    obj *o = db_lookup_read(c, c->argv[1].p, c->argv[1].len);
    if (!o) {
        reply_ll(c, 0);
        return;
    }
    if (wrong_type(c, o))
        return;
    reply_ll(c, (long long)((stream *)o->ptr)->length);
}

/* ---- XDEL / XSETID ---- */

/* Parse argv[from..] as strict IDs into ids (heap if many). */
static stream_id *parse_ids(client *c, int from, stream_id *stack)
{
    int n = c->argc - from;
    stream_id *ids = n <= STATIC_IDS ? stack : ds_malloc(sizeof(stream_id) * (size_t)n);
    for (int j = from; j < c->argc; j++) {
        if (parse_id(c, &c->argv[j], &ids[j - from], 0, 1, NULL) < 0) {
            if (ids != stack)
                ds_free(ids);
            return NULL;
        }
    }
    return ids;
}

static void cmd_xdel(client *c)
{
    obj *o = db_lookup_write(c, c->argv[1].p, c->argv[1].len);
    if (!o) {
        reply_ll(c, 0);
        return;
    }
    if (wrong_type(c, o))
        return;
    stream_id stack[STATIC_IDS];
    stream_id *ids = parse_ids(c, 2, stack);
    if (!ids)
        return;
    size_t deleted = stream_xdel(o->ptr, ids, (size_t)(c->argc - 2));
    if (ids != stack)
        ds_free(ids);
    if (deleted) {
        signal_modified_key(c, c->db, c->argv[1].p, c->argv[1].len);
        notify_keyspace_event(NOTIFY_STREAM, "xdel", c->argv[1].p, c->argv[1].len, c->db->id);
        srv.dirty += (long long)deleted;
    }
    reply_ll(c, (long long)deleted);
}

static void cmd_xsetid(client *c)
{
    stream_id id, max_xdel = {0, 0};
    long long entries_added = -1;
    if (parse_id(c, &c->argv[2], &id, 0, 1, NULL) < 0)
        return;
    for (int i = 3; i < c->argc;) {
        int moreargs = c->argc - 1 - i;
        const arg *opt = &c->argv[i];
        if (arg_eq(opt, "entriesadded") && moreargs) {
            if (arg_ll(c, &c->argv[i + 1], &entries_added, NULL) < 0)
                return;
            if (entries_added < 0) {
                reply_error(c, "entries_added must be positive");
                return;
            }
            i += 2;
        } else if (arg_eq(opt, "maxdeletedid") && moreargs) {
            if (parse_id(c, &c->argv[i + 1], &max_xdel, 0, 1, NULL) < 0)
                return;
            if (stream_id_cmp(id, max_xdel) < 0) {
                reply_error(c, "The ID specified in XSETID is smaller than the provided "
                               "max_deleted_entry_id");
                return;
            }
            i += 2;
        } else {
            reply_syntax_error(c);
            return;
        }
    }
    obj *o = db_lookup_write(c, c->argv[1].p, c->argv[1].len);
    if (!o) {
        reply_error(c, ERR_NOKEY);
        return;
    }
    if (wrong_type(c, o))
        return;
    stream *s = o->ptr;
    if (s->length > 0) {
        stream_id maxid;
        stream_last_live(s, &maxid);
        if (stream_id_cmp(id, maxid) < 0) {
            reply_error(c, "The ID specified in XSETID is smaller than the target stream top "
                           "item");
            return;
        }
        if (entries_added != -1 && s->length > (uint64_t)entries_added) {
            reply_error(c, "The entries_added specified in XSETID is smaller than the target "
                           "stream length");
            return;
        }
    }
    s->last_id = id;
    if (entries_added != -1)
        s->entries_added = (uint64_t)entries_added;
    if (max_xdel.ms || max_xdel.seq)
        s->max_deleted_id = max_xdel;
    reply_ok(c);
    srv.dirty++;
    notify_keyspace_event(NOTIFY_STREAM, "xsetid", c->argv[1].p, c->argv[1].len, c->db->id);
}

/* ---- XREAD / XREADGROUP ---- */

/* Blocked state (one allocation owned by blocked.c): IDs per key, then the
 * group and consumer names. */
typedef struct stream_wait {
    long long count;
    int nkeys;
    int noack;
    size_t group_len, consumer_len;
    int xreadgroup; /* else a plain XREAD */
    stream_id ids[];
} stream_wait;

static const char *wait_group(const stream_wait *w)
{
    return (const char *)(w->ids + w->nkeys);
}

static const char *wait_consumer(const stream_wait *w)
{
    return wait_group(w) + w->group_len;
}

/* The reading consumer (seen now), created if new (Redis's SCC_DEFAULT:
 * dirty, notification, and for NOACK reads an XGROUP CREATECONSUMER). */
static stream_consumer *consumer_for_read(stream_group *g, const arg *cname, const arg *key,
                                          int dbid, int noack, const prop_info *pi)
{
    stream_consumer *cons = stream_consumer_find(g, cname->p, cname->len);
    if (cons) {
        cons->seen_time = now_ms();
        return cons;
    }
    cons = stream_consumer_create(g, cname->p, cname->len, now_ms());
    srv.dirty++;
    notify_keyspace_event(NOTIFY_STREAM, "xgroup-createconsumer", key->p, key->len, dbid);
    if (noack)
        propagate_consumer_creation(pi->dbid, pi->key, pi->group, cons);
    return cons;
}

static int serve_stream(client *c, db *d, const arg *key, int ki, obj *o, void *priv)
{
    stream_wait *w = priv;
    if (!o || o->type != OBJ_STREAM) {
        if (!w->xreadgroup)
            return BLOCK_WAIT;
        reply_error(c, "-UNBLOCKED the stream key no longer exists");
        return BLOCK_SERVED;
    }
    stream *s = o->ptr;
    stream_id gt = w->ids[ki];
    stream_group *g = NULL;
    arg gname = {wait_group(w), w->group_len};
    arg cname = {wait_consumer(w), w->consumer_len};
    if (w->xreadgroup) {
        g = stream_group_find(s, gname.p, gname.len);
        if (!g) {
            reply_error(c, "-NOGROUP the consumer group this client was blocked on no longer "
                           "exists");
            return BLOCK_SERVED;
        }
        gt = g->last_id;
    }
    if (stream_id_cmp(s->last_id, gt) <= 0)
        return BLOCK_WAIT;
    stream_id start = gt;
    stream_id_incr(&start);
    prop_info pi = {d->id, key, &gname};
    serving_blocked = 1;
    stream_consumer *cons = NULL;
    if (g)
        cons = consumer_for_read(g, &cname, key, d->id, w->noack, &pi);
    if (c->resp == 2) {
        reply_array(c, 1);
        reply_array(c, 2);
    } else {
        reply_map(c, 1);
    }
    reply_bulk(c, key->p, key->len);
    stream_id end = {UINT64_MAX, UINT64_MAX};
    reply_range(c, s, start, end, (size_t)w->count, 0, g, cons, w->noack ? RWR_NOACK : 0, &pi);
    serving_blocked = 0;
    return BLOCK_SERVED;
}

static const block_ops stream_block_ops = {"stream", serve_stream, NULL, NULL};

typedef struct xread_args {
    long long deadline; /* -1: no BLOCK */
    long long count;
    int streams_arg, nstreams;
    int noack;
    const arg *group, *consumer;
} xread_args;

static int parse_xread(client *c, int xreadgroup, xread_args *x)
{
    memset(x, 0, sizeof(*x));
    x->deadline = -1;
    for (int i = 1; i < c->argc; i++) {
        int moreargs = c->argc - i - 1;
        const arg *o = &c->argv[i];
        if (arg_eq(o, "block") && moreargs) {
            if (c->flags & CLIENT_SCRIPT) { /* blocking makes no sense in a script */
                reply_errorf(c, "%.*s command is not allowed with BLOCK option from scripts",
                             (int)c->argv[0].len, c->argv[0].p);
                return -1;
            }
            i++;
            if (arg_timeout(c, &c->argv[i], &x->deadline, 0) < 0)
                return -1;
        } else if (arg_eq(o, "count") && moreargs) {
            i++;
            if (arg_ll(c, &c->argv[i], &x->count, NULL) < 0)
                return -1;
            if (x->count < 0)
                x->count = 0;
        } else if (arg_eq(o, "streams") && moreargs) {
            x->streams_arg = i + 1;
            x->nstreams = c->argc - x->streams_arg;
            if (x->nstreams % 2 != 0) {
                reply_error(c, "Unbalanced XREAD list of streams: for each stream key an ID or "
                               "'$' must be specified.");
                return -1;
            }
            x->nstreams /= 2;
            break;
        } else if (arg_eq(o, "group") && moreargs >= 2) {
            if (!xreadgroup) {
                reply_error(c, "The GROUP option is only supported by XREADGROUP. You called "
                               "XREAD instead.");
                return -1;
            }
            x->group = &c->argv[i + 1];
            x->consumer = &c->argv[i + 2];
            i += 2;
        } else if (arg_eq(o, "noack")) {
            if (!xreadgroup) {
                reply_error(c, "The NOACK option is only supported by XREADGROUP. You called "
                               "XREAD instead.");
                return -1;
            }
            x->noack = 1;
        } else {
            reply_syntax_error(c);
            return -1;
        }
    }
    if (x->streams_arg == 0) {
        reply_syntax_error(c);
        return -1;
    }
    if (xreadgroup && !x->group) {
        reply_error(c, "Missing GROUP option for XREADGROUP");
        return -1;
    }
    return 0;
}

/* Resolve each stream's ID ("$", ">", or an ID) and group. */
static int resolve_ids(client *c, int xreadgroup, const xread_args *x, stream_id *ids,
                       stream_group **groups)
{
    for (int k = 0; k < x->nstreams; k++) {
        const arg *key = &c->argv[x->streams_arg + k];
        const arg *ida = &c->argv[x->streams_arg + x->nstreams + k];
        obj *o = db_lookup_read(c, key->p, key->len);
        if (wrong_type(c, o))
            return -1;
        if (x->group) {
            stream_group *g = o ? stream_group_find(o->ptr, x->group->p, x->group->len) : NULL;
            if (!g) {
                reply_errorf(c, "-NOGROUP No such key '%.*s' or consumer group '%.*s' in "
                                "XREADGROUP with GROUP option",
                             cstr_len(key), key->p, cstr_len(x->group), x->group->p);
                return -1;
            }
            groups[k] = g;
        }
        if (is_single(ida, '$')) {
            if (xreadgroup) {
                reply_error(c, "The $ ID is meaningless in the context of XREADGROUP: you want "
                               "to read the history of this consumer by specifying a proper "
                               "ID, or use the > ID to get new messages. The $ ID would just "
                               "return an empty result set.");
                return -1;
            }
            if (o) {
                ids[k] = ((stream *)o->ptr)->last_id;
            } else {
                ids[k].ms = ids[k].seq = 0;
            }
            continue;
        }
        if (is_single(ida, '>')) {
            if (!xreadgroup) {
                reply_error(c, "The > ID can be specified only when calling XREADGROUP using "
                               "the GROUP <group> <consumer> option.");
                return -1;
            }
            ids[k].ms = ids[k].seq = UINT64_MAX;
            continue;
        }
        if (parse_id(c, ida, &ids[k], 0, 1, NULL) < 0)
            return -1;
    }
    return 0;
}

/* Serve what can be served now; returns the number of streams replied. */
static int xread_sync(client *c, const xread_args *x, stream_id *ids, stream_group **groups)
{
    int served = 0;
    void *h = NULL;
    for (int k = 0; k < x->nstreams; k++) {
        const arg *key = &c->argv[x->streams_arg + k];
        obj *o = db_lookup_read(c, key->p, key->len);
        if (!o)
            continue;
        stream *s = o->ptr;
        stream_id *gt = &ids[k];
        int now = 0, history = 0;
        if (groups) {
            if (gt->ms != UINT64_MAX || gt->seq != UINT64_MAX) {
                now = history = 1;
            } else if (s->length) {
                stream_id maxid;
                stream_last_live(s, &maxid);
                if (stream_id_cmp(maxid, groups[k]->last_id) > 0) {
                    now = 1;
                    *gt = groups[k]->last_id;
                }
            }
        } else if (s->length) {
            stream_id maxid;
            stream_last_live(s, &maxid);
            now = stream_id_cmp(maxid, *gt) > 0;
        }
        if (!now)
            continue;
        if (++served == 1)
            h = reply_defer(c);
        stream_id start = *gt;
        stream_id_incr(&start);
        if (c->resp == 2)
            reply_array(c, 2);
        reply_bulk(c, key->p, key->len);
        prop_info pi = {c->db_id, key, x->group};
        stream_consumer *cons = NULL;
        if (groups)
            cons = consumer_for_read(groups[k], x->consumer, key, c->db_id, x->noack, &pi);
        int flags = (x->noack ? RWR_NOACK : 0) | (history ? RWR_HISTORY : 0);
        stream_id end = {UINT64_MAX, UINT64_MAX};
        reply_range(c, s, start, end, (size_t)x->count, 0, groups ? groups[k] : NULL, cons,
                    flags, &pi);
        if (groups)
            srv.dirty++;
    }
    if (served) {
        if (c->resp == 2)
            reply_set_array_len(c, h, served);
        else
            reply_set_map_len(c, h, served);
    }
    return served;
}

static void xread_block(client *c, const xread_args *x, const stream_id *ids)
{
    size_t glen = x->group ? x->group->len : 0, clen = x->consumer ? x->consumer->len : 0;
    size_t size = sizeof(stream_wait) + sizeof(stream_id) * (size_t)x->nstreams + glen + clen;
    stream_wait *w = blocked_on_keys(c, c->db, &c->argv[x->streams_arg], x->nstreams,
                                     x->deadline, &stream_block_ops, size);
    w->count = x->count ? x->count : XREAD_BLOCKED_DEFAULT_COUNT;
    w->nkeys = x->nstreams;
    w->noack = x->noack;
    w->xreadgroup = x->group != NULL;
    w->group_len = glen;
    w->consumer_len = clen;
    memcpy(w->ids, ids, sizeof(stream_id) * (size_t)x->nstreams);
    if (glen)
        memcpy((char *)wait_group(w), x->group->p, glen);
    if (clen)
        memcpy((char *)wait_consumer(w), x->consumer->p, clen);
}

static void xread_generic(client *c, int xreadgroup)
{
    xread_args x;
    stream_id stack[STATIC_IDS], *ids = stack;
    stream_group **groups = NULL;
    if (parse_xread(c, xreadgroup, &x) < 0)
        goto done;
    if (x.nstreams > STATIC_IDS)
        ids = ds_malloc(sizeof(stream_id) * (size_t)x.nstreams);
    if (x.group)
        groups = ds_malloc(sizeof(stream_group *) * (size_t)x.nstreams);
    if (resolve_ids(c, xreadgroup, &x, ids, groups) < 0)
        goto done;
    if (xread_sync(c, &x, ids, groups))
        goto done;
    if (x.deadline != -1) {
        if (!blocked_may_block(c))
            reply_null_array(c);
        else
            xread_block(c, &x, ids);
        goto done;
    }
    reply_null_array(c);
done:
    propagate_suppress();
    if (ids != stack)
        ds_free(ids);
    ds_free(groups);
}

static void cmd_xread(client *c)
{
    xread_generic(c, 0);
}

static void cmd_xreadgroup(client *c)
{
    xread_generic(c, 1);
}

/* ---- XGROUP ---- */

enum { XG_CREATE, XG_SETID, XG_DESTROY, XG_CREATECONSUMER, XG_DELCONSUMER };

typedef struct xgroup_ctx {
    obj *o;
    stream *s;
    stream_group *g;
    int mkstream;
    long long entries_read;
} xgroup_ctx;

/* Options, key and group checks common to the subcommands (Redis's
 * xgroupCommand preamble).  0 to go on, -1 after an error reply. */
static int xgroup_prepare(client *c, int sub, xgroup_ctx *x)
{
    memset(x, 0, sizeof(*x));
    x->entries_read = STREAM_ENTRIES_READ_INVALID;
    for (int i = 5; i < c->argc;) {
        if (sub == XG_CREATE && arg_eq(&c->argv[i], "mkstream")) {
            x->mkstream = 1;
            i++;
        } else if ((sub == XG_CREATE || sub == XG_SETID) && arg_eq(&c->argv[i], "entriesread") &&
                   i + 1 < c->argc) {
            if (arg_ll(c, &c->argv[i + 1], &x->entries_read, NULL) < 0)
                return -1;
            if (x->entries_read < 0 && x->entries_read != STREAM_ENTRIES_READ_INVALID) {
                reply_error(c, "value for ENTRIESREAD must be positive or -1");
                return -1;
            }
            i += 2;
        } else {
            reply_subcommand_syntax(c);
            return -1;
        }
    }
    const arg *key = &c->argv[2], *gname = &c->argv[3];
    x->o = db_lookup_write(c, key->p, key->len);
    if (wrong_type(c, x->o))
        return -1;
    x->s = x->o ? x->o->ptr : NULL;
    if (x->mkstream)
        return 0;
    if (!x->s) {
        reply_error(c, "The XGROUP subcommand requires the key to exist. Note that for CREATE "
                       "you may want to use the MKSTREAM option to create an empty stream "
                       "automatically.");
        return -1;
    }
    x->g = stream_group_find(x->s, gname->p, gname->len);
    if (!x->g && (sub == XG_SETID || sub == XG_CREATECONSUMER || sub == XG_DELCONSUMER)) {
        reply_errorf(c, "-NOGROUP No such consumer group '%.*s' for key name '%.*s'",
                     cstr_len(gname), gname->p, cstr_len(key), key->p);
        return -1;
    }
    return 0;
}

static void notify_stream(client *c, const char *event)
{
    notify_keyspace_event(NOTIFY_STREAM, event, c->argv[2].p, c->argv[2].len, c->db->id);
}

static void cmd_xgroup_create(client *c)
{
    xgroup_ctx x;
    if (xgroup_prepare(c, XG_CREATE, &x) < 0)
        return;
    if (c->argc > 8) {
        reply_subcommand_syntax(c);
        return;
    }
    const arg *key = &c->argv[2];
    stream_id id;
    if (is_single(&c->argv[4], '$')) {
        if (x.s)
            id = x.s->last_id;
        else
            id.ms = id.seq = 0;
    } else if (parse_id(c, &c->argv[4], &id, 0, 1, NULL) < 0) {
        return;
    }
    if (!x.s) {
        obj *o = obj_new(OBJ_STREAM, stream_new());
        db_add(c->db, key->p, key->len, o);
        x.s = o->ptr;
        signal_modified_key(c, c->db, key->p, key->len);
    }
    if (stream_group_create(x.s, c->argv[3].p, c->argv[3].len, id, x.entries_read)) {
        reply_ok(c);
        srv.dirty++;
        notify_stream(c, "xgroup-create");
    } else {
        reply_error(c, "-BUSYGROUP Consumer Group name already exists");
    }
}

static void cmd_xgroup_setid(client *c)
{
    xgroup_ctx x;
    if (xgroup_prepare(c, XG_SETID, &x) < 0)
        return;
    if (c->argc != 5 && c->argc != 7) {
        reply_subcommand_syntax(c);
        return;
    }
    stream_id id;
    if (is_single(&c->argv[4], '$'))
        id = x.s->last_id;
    else if (parse_id(c, &c->argv[4], &id, 0, 0, NULL) < 0)
        return;
    x.g->last_id = id;
    x.g->entries_read = x.entries_read;
    reply_ok(c);
    srv.dirty++;
    notify_stream(c, "xgroup-setid");
}

static void cmd_xgroup_destroy(client *c)
{
    xgroup_ctx x;
    if (xgroup_prepare(c, XG_DESTROY, &x) < 0)
        return;
    if (!x.g) {
        reply_ll(c, 0);
        return;
    }
    stream_group_destroy(x.s, c->argv[3].p, c->argv[3].len);
    reply_ll(c, 1);
    srv.dirty++;
    notify_stream(c, "xgroup-destroy");
    /* Blocked XREADGROUP clients of this group get -NOGROUP. */
    signal_key_ready(c->db, c->argv[2].p, c->argv[2].len);
}

static void cmd_xgroup_createconsumer(client *c)
{
    xgroup_ctx x;
    if (xgroup_prepare(c, XG_CREATECONSUMER, &x) < 0)
        return;
    stream_consumer *cons = stream_consumer_create(x.g, c->argv[4].p, c->argv[4].len, now_ms());
    if (cons) {
        srv.dirty++;
        notify_stream(c, "xgroup-createconsumer");
    }
    reply_ll(c, cons ? 1 : 0);
}

static void cmd_xgroup_delconsumer(client *c)
{
    xgroup_ctx x;
    if (xgroup_prepare(c, XG_DELCONSUMER, &x) < 0)
        return;
    long long pending = 0;
    stream_consumer *cons = stream_consumer_find(x.g, c->argv[4].p, c->argv[4].len);
    if (cons) {
        pending = (long long)stream_consumer_delete(x.g, cons);
        srv.dirty++;
        notify_stream(c, "xgroup-delconsumer");
    }
    reply_ll(c, pending);
}

static void cmd_xgroup_help(client *c)
{
    static const char *help[] = {
        "CREATE <key> <groupname> <id|$> [option]",
        "    Create a new consumer group. Options are:",
        "    * MKSTREAM",
        "      Create the empty stream if it does not exist.",
        "    * ENTRIESREAD entries_read",
        "      Set the group's entries_read counter (internal use).",
        "CREATECONSUMER <key> <groupname> <consumer>",
        "    Create a new consumer in the specified group.",
        "DELCONSUMER <key> <groupname> <consumer>",
        "    Remove the specified consumer.",
        "DESTROY <key> <groupname>",
        "    Remove the specified group.",
        "SETID <key> <groupname> <id|$> [ENTRIESREAD entries_read]",
        "    Set the current group ID and entries_read counter.",
        NULL};
    reply_help(c, "xgroup", help);
}

/* ---- XACK ---- */

/* The group named by argv[2] of the stream at argv[1] (read lookup).  Sets
 * *o; returns NULL when key or group is missing (no reply) or on a type
 * error (replied, *o left non-NULL with *wrong set). */
static stream_group *lookup_group(client *c, obj **o, int *wrong)
{
    *wrong = 0;
    *o = db_lookup_read(c, c->argv[1].p, c->argv[1].len);
    if (!*o)
        return NULL;
    if (wrong_type(c, *o)) {
        *wrong = 1;
        return NULL;
    }
    return stream_group_find((*o)->ptr, c->argv[2].p, c->argv[2].len);
}

static void reply_nogroup(client *c)
{
    reply_errorf(c, "-NOGROUP No such key '%.*s' or consumer group '%.*s'", cstr_len(&c->argv[1]),
                 c->argv[1].p, cstr_len(&c->argv[2]), c->argv[2].p);
}

static void cmd_xack(client *c)
{
    obj *o;
    int wrong;
    stream_group *g = lookup_group(c, &o, &wrong);
    if (wrong)
        return;
    if (!g) {
        reply_ll(c, 0);
        return;
    }
    stream_id stack[STATIC_IDS];
    stream_id *ids = parse_ids(c, 3, stack);
    if (!ids)
        return;
    long long acked = 0;
    for (int j = 0; j < c->argc - 3; j++) {
        if (stream_pel_ack(g, ids[j])) {
            acked++;
            srv.dirty++;
        }
    }
    if (ids != stack)
        ds_free(ids);
    reply_ll(c, acked);
}

/* ---- XPENDING ---- */

static void xpending_summary(client *c, stream_group *g)
{
    reply_array(c, 4);
    reply_ll(c, (long long)idtree_size(g->pel));
    stream_id first, last;
    if (!idtree_first(g->pel, &first)) {
        reply_null(c);
        reply_null(c);
        reply_null_array(c);
        return;
    }
    idtree_last(g->pel, &last);
    reply_id(c, first);
    reply_id(c, last);
    void *h = reply_defer(c);
    long n = 0;
    for (size_t i = 0; i < g->nconsumers; i++) {
        const stream_consumer *cons = g->consumers[i];
        size_t pending = idtree_size(cons->pel);
        if (!pending)
            continue;
        reply_array(c, 2);
        reply_bulk(c, cons->name, str_len(cons->name));
        reply_bulk_ll(c, (long long)pending);
        n++;
    }
    reply_set_array_len(c, h, n);
}

static void xpending_range(client *c, stream_group *g, stream_consumer *cons, stream_id start,
                           stream_id end, long long count, long long minidle)
{
    const idtree *pel = cons ? cons->pel : g->pel;
    long long now = now_ms();
    void *h = reply_defer(c);
    long n = 0;
    idtree_iter it;
    stream_id id;
    void *v;
    idtree_seek(&it, pel, IDT_GE, start);
    while (count && idtree_next(&it, &id, &v) && stream_id_cmp(id, end) <= 0) {
        const stream_nack *nk = cons ? stream_pel_find(g, id) : v;
        if (!nk)
            continue;
        if (minidle && now - nk->delivery_time < minidle)
            continue;
        n++;
        count--;
        reply_array(c, 4);
        reply_id(c, id);
        reply_bulk(c, nk->consumer->name, str_len(nk->consumer->name));
        long long elapsed = now - nk->delivery_time;
        reply_ll(c, elapsed < 0 ? 0 : elapsed);
        reply_ll(c, (long long)nk->delivery_count);
    }
    reply_set_array_len(c, h, n);
}

static void cmd_xpending(client *c)
{
    int justinfo = c->argc == 3;
    const arg *consumer = NULL;
    stream_id start = {0, 0}, end = {0, 0};
    long long count = 0, minidle = 0;
    if (c->argc != 3 && (c->argc < 6 || c->argc > 9)) {
        reply_syntax_error(c);
        return;
    }
    if (c->argc >= 6) {
        int si = 3, sx, ex;
        if (arg_eq(&c->argv[3], "idle")) {
            if (arg_ll(c, &c->argv[4], &minidle, NULL) < 0)
                return;
            if (c->argc < 8) {
                reply_syntax_error(c);
                return;
            }
            si += 2;
        }
        if (arg_ll(c, &c->argv[si + 2], &count, NULL) < 0)
            return;
        if (count < 0)
            count = 0;
        if (parse_interval(c, &c->argv[si], &start, &sx, 0) < 0)
            return;
        if (sx && stream_id_incr(&start) != 0) {
            reply_error(c, "invalid start ID for the interval");
            return;
        }
        if (parse_interval(c, &c->argv[si + 1], &end, &ex, UINT64_MAX) < 0)
            return;
        if (ex && stream_id_decr(&end) != 0) {
            reply_error(c, "invalid end ID for the interval");
            return;
        }
        if (si + 3 < c->argc)
            consumer = &c->argv[si + 3];
    }
    obj *o;
    int wrong;
    stream_group *g = lookup_group(c, &o, &wrong);
    if (wrong)
        return;
    if (!g) {
        reply_nogroup(c);
        return;
    }
    if (justinfo) {
        xpending_summary(c, g);
        return;
    }
    stream_consumer *cons = NULL;
    if (consumer) {
        cons = stream_consumer_find(g, consumer->p, consumer->len);
        if (!cons) {
            reply_array(c, 0);
            return;
        }
    }
    xpending_range(c, g, cons, start, end, count, minidle);
}

/* ---- XCLAIM ---- */

typedef struct claim_opts {
    long long minidle;
    long long retrycount;   /* -1: not given */
    long long deliverytime; /* -1: not given */
    int force, justid;
    stream_id last_id;
} claim_opts;

/* Options after the IDs, from argv[j]. */
static int parse_claim_opts(client *c, int j, long long now, claim_opts *o)
{
    for (; j < c->argc; j++) {
        int moreargs = c->argc - 1 - j;
        const arg *opt = &c->argv[j];
        if (arg_eq(opt, "force")) {
            o->force = 1;
        } else if (arg_eq(opt, "justid")) {
            o->justid = 1;
        } else if (arg_eq(opt, "idle") && moreargs) {
            j++;
            if (arg_ll(c, &c->argv[j], &o->deliverytime,
                       "Invalid IDLE option argument for XCLAIM") < 0)
                return -1;
            o->deliverytime = now - o->deliverytime;
        } else if (arg_eq(opt, "time") && moreargs) {
            j++;
            if (arg_ll(c, &c->argv[j], &o->deliverytime,
                       "Invalid TIME option argument for XCLAIM") < 0)
                return -1;
        } else if (arg_eq(opt, "retrycount") && moreargs) {
            j++;
            if (arg_ll(c, &c->argv[j], &o->retrycount,
                       "Invalid RETRYCOUNT option argument for XCLAIM") < 0)
                return -1;
        } else if (arg_eq(opt, "lastid") && moreargs) {
            j++;
            if (parse_id(c, &c->argv[j], &o->last_id, 0, 1, NULL) < 0)
                return -1;
        } else {
            reply_errorf(c, "Unrecognized XCLAIM option '%.*s'", cstr_len(opt), opt->p);
            return -1;
        }
    }
    return 0;
}

/* Drop a NACK whose entry is gone, logging the change as Redis does. */
static void drop_dead_nack(client *c, stream_group *g, stream_id id, const arg *idarg)
{
    stream_nack *nk = stream_pel_find(g, id);
    if (idarg)
        propagate_xclaim(c->db_id, &c->argv[1], &c->argv[2], g, idarg, nk);
    else
        propagate_xclaim_id(c->db_id, &c->argv[1], &c->argv[2], g, id, nk);
    srv.dirty++;
    stream_pel_ack(g, id);
}

static stream_consumer *claim_consumer(client *c, stream_group *g, stream_consumer *cons)
{
    if (cons)
        return cons;
    const arg *name = &c->argv[3];
    cons = stream_consumer_find(g, name->p, name->len);
    if (cons) {
        cons->seen_time = now_ms();
        return cons;
    }
    cons = stream_consumer_create(g, name->p, name->len, now_ms());
    srv.dirty++;
    notify_keyspace_event(NOTIFY_STREAM, "xgroup-createconsumer", c->argv[1].p, c->argv[1].len,
                          c->db->id);
    return cons;
}

static void cmd_xclaim(client *c)
{
    obj *o;
    int wrong;
    stream_group *g = lookup_group(c, &o, &wrong);
    if (wrong)
        return;
    if (!g) {
        reply_nogroup(c);
        return;
    }
    claim_opts opt = {0, -1, -1, 0, 0, {0, 0}};
    if (arg_ll(c, &c->argv[4], &opt.minidle, "Invalid min-idle-time argument for XCLAIM") < 0)
        return;
    if (opt.minidle < 0)
        opt.minidle = 0;
    stream_id stack[STATIC_IDS];
    int nids_max = c->argc - 5;
    stream_id *ids = nids_max <= STATIC_IDS ? stack : ds_malloc(sizeof(stream_id) *
                                                                (size_t)nids_max);
    int j;
    for (j = 5; j < c->argc; j++)
        if (parse_id(NULL, &c->argv[j], &ids[j - 5], 0, 1, NULL) < 0)
            break;
    int last_id_arg = j - 1;
    long long now = now_ms();
    if (parse_claim_opts(c, j, now, &opt) < 0)
        goto cleanup;
    int propagate_last_id = 0;
    if (stream_id_cmp(opt.last_id, g->last_id) > 0) {
        g->last_id = opt.last_id;
        propagate_last_id = 1;
    }
    if (opt.deliverytime != -1) {
        if (opt.deliverytime < 0 || opt.deliverytime > now)
            opt.deliverytime = now;
    } else {
        opt.deliverytime = now;
    }
    stream *s = o->ptr;
    stream_consumer *cons = NULL;
    void *h = reply_defer(c);
    long n = 0;
    for (j = 5; j <= last_id_arg; j++) {
        stream_id id = ids[j - 5];
        stream_nack *nk = stream_pel_find(g, id);
        if (!stream_entry_exists(s, id)) {
            if (nk) {
                drop_dead_nack(c, g, id, &c->argv[j]);
                propagate_last_id = 0;
            }
            continue;
        }
        if (opt.force && !nk)
            nk = stream_pel_create(g, id, now);
        if (!nk)
            continue;
        if (nk->consumer && opt.minidle && now - nk->delivery_time < opt.minidle)
            continue;
        cons = claim_consumer(c, g, cons);
        stream_pel_set_owner(g, nk, id, cons);
        nk->delivery_time = opt.deliverytime;
        if (opt.retrycount >= 0)
            nk->delivery_count = (uint64_t)opt.retrycount;
        else if (!opt.justid)
            nk->delivery_count++;
        if (opt.justid)
            reply_id(c, id);
        else
            reply_single(c, s, id);
        n++;
        propagate_xclaim(c->db_id, &c->argv[1], &c->argv[2], g, &c->argv[j], nk);
        propagate_last_id = 0;
        srv.dirty++;
    }
    if (propagate_last_id) {
        propagate_group_id(c->db_id, &c->argv[1], &c->argv[2], g);
        srv.dirty++;
    }
    reply_set_array_len(c, h, n);
    propagate_suppress();
cleanup:
    if (ids != stack)
        ds_free(ids);
}

/* ---- XAUTOCLAIM ---- */

/* A growable vector of IDs, on the stack while small. */
typedef struct idvec {
    stream_id *v;
    size_t n, cap;
    stream_id inl[STATIC_IDS];
} idvec;

#define IDVEC_INIT(x) {(x).inl, 0, STATIC_IDS, {{0, 0}}}

static void idvec_push(idvec *d, stream_id id)
{
    if (d->n == d->cap) {
        stream_id *nv = ds_malloc(sizeof(stream_id) * d->cap * 2);
        memcpy(nv, d->v, sizeof(stream_id) * d->n);
        if (d->v != d->inl)
            ds_free(d->v);
        d->v = nv;
        d->cap *= 2;
    }
    d->v[d->n++] = id;
}

static void idvec_free(idvec *d)
{
    if (d->v != d->inl)
        ds_free(d->v);
}

static void cmd_xautoclaim(client *c)
{
    long long minidle, count = 100;
    stream_id start;
    int sx, justid = 0;
    /* Redis looks the key up before parsing (a keymiss event even when an
     * argument is then rejected); the type and group are checked after. */
    obj *o = db_lookup_read(c, c->argv[1].p, c->argv[1].len);
    if (arg_ll(c, &c->argv[4], &minidle, "Invalid min-idle-time argument for XAUTOCLAIM") < 0)
        return;
    if (minidle < 0)
        minidle = 0;
    if (parse_interval(c, &c->argv[5], &start, &sx, 0) < 0)
        return;
    if (sx && stream_id_incr(&start) != 0) {
        reply_error(c, "invalid start ID for the interval");
        return;
    }
    for (int j = 6; j < c->argc; j++) {
        int moreargs = c->argc - 1 - j;
        if (arg_eq(&c->argv[j], "count") && moreargs) {
            long long max_count = LONG_MAX / 16;
            if (arg_ll_range(c, &c->argv[j + 1], 1, max_count, &count, "COUNT must be > 0") < 0)
                return;
            j++;
        } else if (arg_eq(&c->argv[j], "justid")) {
            justid = 1;
        } else {
            reply_syntax_error(c);
            return;
        }
    }
    if (o && wrong_type(c, o))
        return;
    stream_group *g = o ? stream_group_find(o->ptr, c->argv[2].p, c->argv[2].len) : NULL;
    if (!g) {
        reply_nogroup(c);
        return;
    }
    stream *s = o->ptr;
    stream_consumer *cons = NULL;
    long long attempts = count * 10;
    long long now = now_ms();
    idvec claimed = IDVEC_INIT(claimed), deleted = IDVEC_INIT(deleted);
    idtree_iter it;
    stream_id id;
    void *v;
    idtree_seek(&it, g->pel, IDT_GE, start);
    while (attempts-- && count && idtree_next(&it, &id, &v)) {
        stream_nack *nk = v;
        if (!stream_entry_exists(s, id)) {
            drop_dead_nack(c, g, id, NULL);
            idvec_push(&deleted, id);
            idtree_seek(&it, g->pel, IDT_GE, id);
            count--;
            continue;
        }
        if (minidle && now - nk->delivery_time < minidle)
            continue;
        cons = claim_consumer(c, g, cons);
        stream_pel_set_owner(g, nk, id, cons);
        nk->delivery_time = now;
        if (!justid)
            nk->delivery_count++;
        idvec_push(&claimed, id);
        count--;
        propagate_xclaim_id(c->db_id, &c->argv[1], &c->argv[2], g, id, nk);
        srv.dirty++;
    }
    stream_id next;
    if (!idtree_next(&it, &next, NULL))
        next.ms = next.seq = 0;
    reply_array(c, 3);
    reply_id(c, next);
    reply_array(c, (long)claimed.n);
    for (size_t i = 0; i < claimed.n; i++) {
        if (justid)
            reply_id(c, claimed.v[i]);
        else
            reply_single(c, s, claimed.v[i]);
    }
    reply_array(c, (long)deleted.n);
    for (size_t i = 0; i < deleted.n; i++)
        reply_id(c, deleted.v[i]);
    idvec_free(&claimed);
    idvec_free(&deleted);
    propagate_suppress();
}

/* ---- XINFO ---- */

static void reply_lag(client *c, const stream *s, const stream_group *g)
{
    int64_t lag;
    if (stream_group_lag(s, g, &lag))
        reply_ll(c, lag);
    else
        reply_null(c);
}

static void reply_entries_read(client *c, const stream_group *g)
{
    if (g->entries_read != STREAM_ENTRIES_READ_INVALID)
        reply_ll(c, g->entries_read);
    else
        reply_null(c);
}

static void reply_stream_head(client *c, const stream *s)
{
    reply_bulk_c(c, "length");
    reply_ll(c, (long long)s->length);
    reply_bulk_c(c, "radix-tree-keys");
    reply_ll(c, (long long)s->nnodes);
    reply_bulk_c(c, "radix-tree-nodes");
    reply_ll(c, (long long)s->nnodes + 1);
    reply_bulk_c(c, "last-generated-id");
    reply_id(c, s->last_id);
    reply_bulk_c(c, "max-deleted-entry-id");
    reply_id(c, s->max_deleted_id);
    reply_bulk_c(c, "entries-added");
    reply_ll(c, (long long)s->entries_added);
    reply_bulk_c(c, "recorded-first-entry-id");
    reply_id(c, s->first_id);
}

static void reply_full_consumer(client *c, const stream_group *g, const stream_consumer *cons,
                                long long count)
{
    reply_map(c, 4);
    reply_bulk_c(c, "name");
    reply_bulk(c, cons->name, str_len(cons->name));
    reply_bulk_c(c, "seen-time");
    reply_ll(c, cons->seen_time);
    reply_bulk_c(c, "pel-count");
    reply_ll(c, (long long)idtree_size(cons->pel));
    reply_bulk_c(c, "pending");
    void *h = reply_defer(c);
    long n = 0;
    idtree_iter it;
    stream_id id, zero = {0, 0};
    idtree_seek(&it, cons->pel, IDT_FIRST, zero);
    while ((!count || n < count) && idtree_next(&it, &id, NULL)) {
        const stream_nack *nk = stream_pel_find(g, id);
        reply_array(c, 3);
        reply_id(c, id);
        reply_ll(c, nk ? nk->delivery_time : 0);
        reply_ll(c, nk ? (long long)nk->delivery_count : 0);
        n++;
    }
    reply_set_array_len(c, h, n);
}

static void reply_full_group(client *c, const stream *s, const stream_group *g, long long count)
{
    reply_map(c, 7);
    reply_bulk_c(c, "name");
    reply_bulk(c, g->name, str_len(g->name));
    reply_bulk_c(c, "last-delivered-id");
    reply_id(c, g->last_id);
    reply_bulk_c(c, "entries-read");
    reply_entries_read(c, g);
    reply_bulk_c(c, "lag");
    reply_lag(c, s, g);
    reply_bulk_c(c, "pel-count");
    reply_ll(c, (long long)idtree_size(g->pel));
    reply_bulk_c(c, "pending");
    void *h = reply_defer(c);
    long n = 0;
    idtree_iter it;
    stream_id id, zero = {0, 0};
    void *v;
    idtree_seek(&it, g->pel, IDT_FIRST, zero);
    while ((!count || n < count) && idtree_next(&it, &id, &v)) {
        const stream_nack *nk = v;
        reply_array(c, 4);
        reply_id(c, id);
        reply_bulk(c, nk->consumer->name, str_len(nk->consumer->name));
        reply_ll(c, nk->delivery_time);
        reply_ll(c, (long long)nk->delivery_count);
        n++;
    }
    reply_set_array_len(c, h, n);
    reply_bulk_c(c, "consumers");
    reply_array(c, (long)g->nconsumers);
    for (size_t i = 0; i < g->nconsumers; i++)
        reply_full_consumer(c, g, g->consumers[i], count);
}

static void xinfo_stream(client *c, stream *s)
{
    int full = 1;
    long long count = 10;
    int optc = c->argc - 3;
    if (optc == 0) {
        full = 0;
    } else {
        if ((optc != 1 && optc != 3) || !arg_eq(&c->argv[3], "full")) {
            reply_subcommand_syntax(c);
            return;
        }
        if (optc == 3) {
            if (!arg_eq(&c->argv[4], "count")) {
                reply_subcommand_syntax(c);
                return;
            }
            if (arg_ll(c, &c->argv[5], &count, NULL) < 0)
                return;
            if (count < 0)
                count = 10;
        }
    }
    stream_id lo = {0, 0}, hi = {UINT64_MAX, UINT64_MAX};
    reply_map(c, full ? 9 : 10);
    reply_stream_head(c, s);
    if (!full) {
        reply_bulk_c(c, "groups");
        reply_ll(c, (long long)s->ngroups);
        reply_bulk_c(c, "first-entry");
        if (!reply_range(c, s, lo, hi, 1, 0, NULL, NULL, RWR_RAW, NULL))
            reply_null(c);
        reply_bulk_c(c, "last-entry");
        if (!reply_range(c, s, lo, hi, 1, 1, NULL, NULL, RWR_RAW, NULL))
            reply_null(c);
        return;
    }
    reply_bulk_c(c, "entries");
    reply_range(c, s, lo, hi, (size_t)count, 0, NULL, NULL, 0, NULL);
    reply_bulk_c(c, "groups");
    reply_array(c, (long)s->ngroups);
    for (size_t i = 0; i < s->ngroups; i++)
        reply_full_group(c, s, s->groups[i], count);
}

/* The stream at argv[2] for XINFO; NULL after replying an error. */
static stream *xinfo_lookup(client *c)
{
    obj *o = db_lookup_read(c, c->argv[2].p, c->argv[2].len);
    if (!o) {
        reply_error(c, ERR_NOKEY);
        return NULL;
    }
    if (wrong_type(c, o))
        return NULL;
    return o->ptr;
}

static void cmd_xinfo_stream(client *c)
{
    stream *s = xinfo_lookup(c);
    if (s)
        xinfo_stream(c, s);
}

static void cmd_xinfo_groups(client *c)
{
    stream *s = xinfo_lookup(c);
    if (!s)
        return;
    reply_array(c, (long)s->ngroups);
    for (size_t i = 0; i < s->ngroups; i++) {
        const stream_group *g = s->groups[i];
        reply_map(c, 6);
        reply_bulk_c(c, "name");
        reply_bulk(c, g->name, str_len(g->name));
        reply_bulk_c(c, "consumers");
        reply_ll(c, (long long)g->nconsumers);
        reply_bulk_c(c, "pending");
        reply_ll(c, (long long)idtree_size(g->pel));
        reply_bulk_c(c, "last-delivered-id");
        reply_id(c, g->last_id);
        reply_bulk_c(c, "entries-read");
        reply_entries_read(c, g);
        reply_bulk_c(c, "lag");
        reply_lag(c, s, g);
    }
}

static void cmd_xinfo_consumers(client *c)
{
    stream *s = xinfo_lookup(c);
    if (!s)
        return;
    const arg *gname = &c->argv[3];
    stream_group *g = stream_group_find(s, gname->p, gname->len);
    if (!g) {
        reply_errorf(c, "-NOGROUP No such consumer group '%.*s' for key name '%.*s'",
                     cstr_len(gname), gname->p, cstr_len(&c->argv[2]), c->argv[2].p);
        return;
    }
    long long now = now_ms();
    reply_array(c, (long)g->nconsumers);
    for (size_t i = 0; i < g->nconsumers; i++) {
        const stream_consumer *cons = g->consumers[i];
        long long idle = now - cons->seen_time;
        reply_map(c, 3);
        reply_bulk_c(c, "name");
        reply_bulk(c, cons->name, str_len(cons->name));
        reply_bulk_c(c, "pending");
        reply_ll(c, (long long)idtree_size(cons->pel));
        reply_bulk_c(c, "idle");
        reply_ll(c, idle < 0 ? 0 : idle);
    }
}

static void cmd_xinfo_help(client *c)
{
    static const char *help[] = {"CONSUMERS <key> <groupname>",
                                 "    Show consumers of <groupname>.",
                                 "GROUPS <key>",
                                 "    Show the stream consumer groups.",
                                 "STREAM <key> [FULL [COUNT <count>]",
                                 "    Show information about the stream.",
                                 NULL};
    reply_help(c, "xinfo", help);
}

/* ---- command table ---- */

#define W CMD_WRITE
#define R CMD_READONLY
#define F CMD_FAST
#define KEY1 .first_key = 1, .last_key = 1, .key_step = 1
#define KEY2 .first_key = 2, .last_key = 2, .key_step = 1

static command xgroup_subs[] = {
    {.name = "create", .proc = cmd_xgroup_create, .arity = -5, .flags = W | CMD_DENYOOM, KEY2,
     .group = "stream", .summary = "Create a consumer group.", .since = "5.0.0",
     .complexity = "O(1)", .acl = "write stream slow"},
    {.name = "createconsumer", .proc = cmd_xgroup_createconsumer, .arity = 5,
     .flags = W | CMD_DENYOOM, KEY2, .group = "stream",
     .summary = "Create a consumer in a consumer group.", .since = "6.2.0",
     .complexity = "O(1)", .acl = "write stream slow"},
    {.name = "delconsumer", .proc = cmd_xgroup_delconsumer, .arity = 5, .flags = W, KEY2,
     .group = "stream", .summary = "Delete a consumer from a consumer group.",
     .since = "5.0.0", .complexity = "O(1)", .acl = "write stream slow"},
    {.name = "destroy", .proc = cmd_xgroup_destroy, .arity = 4, .flags = W, KEY2,
     .group = "stream", .summary = "Destroy a consumer group.", .since = "5.0.0",
     .complexity = "O(N) where N is the number of entries in the group's pending entries "
                   "list (PEL).",
     .acl = "write stream slow"},
    {.name = "help", .proc = cmd_xgroup_help, .arity = 2, .flags = CMD_LOADING | CMD_STALE,
     .group = "stream", .summary = "Show helpful text about the different subcommands",
     .since = "5.0.0", .complexity = "O(1)", .acl = "stream slow"},
    {.name = "setid", .proc = cmd_xgroup_setid, .arity = -5, .flags = W, KEY2,
     .group = "stream", .summary = "Set a consumer group to an arbitrary last delivered ID "
                                   "value.",
     .since = "5.0.0", .complexity = "O(1)", .acl = "write stream slow"},
    {.name = NULL},
};

static command xinfo_subs[] = {
    {.name = "consumers", .proc = cmd_xinfo_consumers, .arity = 4, .flags = R, KEY2,
     .group = "stream", .summary = "List the consumers in a consumer group", .since = "5.0.0",
     .complexity = "O(1)", .acl = "read stream slow"},
    {.name = "groups", .proc = cmd_xinfo_groups, .arity = 3, .flags = R, KEY2,
     .group = "stream", .summary = "List the consumer groups of a stream", .since = "5.0.0",
     .complexity = "O(1)", .acl = "read stream slow"},
    {.name = "help", .proc = cmd_xinfo_help, .arity = 2, .flags = CMD_LOADING | CMD_STALE,
     .group = "stream", .summary = "Show helpful text about the different subcommands",
     .since = "5.0.0", .complexity = "O(1)", .acl = "stream slow"},
    {.name = "stream", .proc = cmd_xinfo_stream, .arity = -3, .flags = R, KEY2,
     .group = "stream", .summary = "Get information about a stream", .since = "5.0.0",
     .complexity = "O(1)", .acl = "read stream slow"},
    {.name = NULL},
};

command cmd_stream_table[] = {
    {.name = "xack", .proc = cmd_xack, .arity = -4, .flags = W | F, KEY1, .group = "stream",
     .summary = "Marks a pending message as correctly processed, effectively removing it from "
                "the pending entries list of the consumer group. Return value of the command "
                "is the number of messages successfully acknowledged, that is, the IDs we were "
                "actually able to resolve in the PEL.",
     .since = "5.0.0", .complexity = "O(1) for each message ID processed.",
     .acl = "write stream fast"},
    {.name = "xadd", .proc = cmd_xadd, .arity = -5, .flags = W | CMD_DENYOOM | F, KEY1,
     .group = "stream", .summary = "Appends a new entry to a stream", .since = "5.0.0",
     .complexity = "O(1) when adding a new entry, O(N) when trimming where N being the number "
                   "of entries evicted.",
     .acl = "write stream fast"},
    {.name = "xautoclaim", .proc = cmd_xautoclaim, .arity = -6, .flags = W | F, KEY1,
     .group = "stream",
     .summary = "Changes (or acquires) ownership of messages in a consumer group, as if the "
                "messages were delivered to the specified consumer.",
     .since = "6.2.0", .complexity = "O(1) if COUNT is small.", .acl = "write stream fast"},
    {.name = "xclaim", .proc = cmd_xclaim, .arity = -6, .flags = W | F, KEY1,
     .group = "stream",
     .summary = "Changes (or acquires) ownership of a message in a consumer group, as if the "
                "message was delivered to the specified consumer.",
     .since = "5.0.0", .complexity = "O(log N) with N being the number of messages in the PEL "
                                     "of the consumer group.",
     .acl = "write stream fast"},
    {.name = "xdel", .proc = cmd_xdel, .arity = -3, .flags = W | F, KEY1, .group = "stream",
     .summary = "Removes the specified entries from the stream. Returns the number of items "
                "actually deleted, that may be different from the number of IDs passed in case "
                "certain IDs do not exist.",
     .since = "5.0.0", .complexity = "O(1) for each single item to delete in the stream, "
                                     "regardless of the stream size.",
     .acl = "write stream fast"},
    {.name = "xgroup", .arity = -2, .group = "stream", .summary = "A container for consumer "
                                                                "groups commands",
     .since = "5.0.0", .complexity = "Depends on subcommand.", .acl = "slow",
     .subs = xgroup_subs},
    {.name = "xinfo", .arity = -2, .group = "stream", .summary = "A container for stream "
                                                               "introspection commands",
     .since = "5.0.0", .complexity = "Depends on subcommand.", .acl = "slow",
     .subs = xinfo_subs},
    {.name = "xlen", .proc = cmd_xlen, .arity = 2, .flags = R | F, KEY1, .group = "stream",
     .summary = "Return the number of entries in a stream", .since = "5.0.0",
     .complexity = "O(1)", .acl = "read stream fast"},
    {.name = "xpending", .proc = cmd_xpending, .arity = -3, .flags = R, KEY1,
     .group = "stream",
     .summary = "Return information and entries from a stream consumer group pending entries "
                "list, that are messages fetched but never acknowledged.",
     .since = "5.0.0", .complexity = "O(N) with N being the number of elements returned, so "
                                     "asking for a small fixed number of entries per call is "
                                     "O(1). O(M), where M is the total number of entries "
                                     "scanned when used with the IDLE filter. When the command "
                                     "returns just the summary and the list of consumers is "
                                     "small, it runs in O(1) time; otherwise, an additional "
                                     "O(N) time for iterating every consumer.",
     .acl = "read stream slow"},
    {.name = "xrange", .proc = cmd_xrange, .arity = -4, .flags = R, KEY1, .group = "stream",
     .summary = "Return a range of elements in a stream, with IDs matching the specified IDs "
                "interval",
     .since = "5.0.0", .complexity = "O(N) with N being the number of elements being returned. "
                                     "If N is constant (e.g. always asking for the first 10 "
                                     "elements with COUNT), you can consider it O(1).",
     .acl = "read stream slow"},
    {.name = "xread", .proc = cmd_xread, .arity = -4,
     .flags = R | CMD_BLOCKING | CMD_MOVABLE_KEYS, .group = "stream",
     .summary = "Return never seen elements in multiple streams, with IDs greater than the ones "
                "reported by the caller for each stream. Can block.",
     .since = "5.0.0", .complexity = "For each stream mentioned: O(N) with N being the number "
                                     "of elements being returned, it means that XREAD-ing with "
                                     "a fixed COUNT is O(1). Note that when the BLOCK option is "
                                     "used, XADD will pay O(M) time in order to serve the M "
                                     "clients blocked on the stream getting new data.",
     .acl = "read stream slow blocking"},
    {.name = "xreadgroup", .proc = cmd_xreadgroup, .arity = -7,
     .flags = W | CMD_BLOCKING | CMD_MOVABLE_KEYS, .group = "stream",
     .summary = "Return new entries from a stream using a consumer group, or access the history "
                "of the pending entries for a given consumer. Can block.",
     .since = "5.0.0", .complexity = "For each stream mentioned: O(M) with M being the number "
                                     "of elements returned. If M is constant (e.g. always "
                                     "asking for the first 10 elements with COUNT), you can "
                                     "consider it O(1). On the other side when XREADGROUP "
                                     "blocks, XADD will pay the O(N) time in order to serve the "
                                     "N clients blocked on the stream getting new data.",
     .acl = "write stream slow blocking"},
    {.name = "xrevrange", .proc = cmd_xrevrange, .arity = -4, .flags = R, KEY1,
     .group = "stream",
     .summary = "Return a range of elements in a stream, with IDs matching the specified IDs "
                "interval, in reverse order (from greater to smaller IDs) compared to XRANGE",
     .since = "5.0.0", .complexity = "O(N) with N being the number of elements returned. If N "
                                     "is constant (e.g. always asking for the first 10 "
                                     "elements with COUNT), you can consider it O(1).",
     .acl = "read stream slow"},
    {.name = "xsetid", .proc = cmd_xsetid, .arity = -3, .flags = W | CMD_DENYOOM | F, KEY1,
     .group = "stream", .summary = "An internal command for replicating stream values",
     .since = "5.0.0", .complexity = "O(1)", .acl = "write stream fast"},
    {.name = "xtrim", .proc = cmd_xtrim, .arity = -4, .flags = W, KEY1, .group = "stream",
     .summary = "Trims the stream to (approximately if '~' is passed) a certain size",
     .since = "5.0.0", .complexity = "O(N), with N being the number of evicted entries. "
                                     "Constant times are very small however, since entries are "
                                     "organized in macro nodes containing multiple entries "
                                     "that can be released with a single deallocation.",
     .acl = "write stream slow"},
    {.name = NULL},
};
