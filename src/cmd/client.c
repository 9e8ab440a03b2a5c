/* cmd/client.c - the CLIENT command, the CLIENT LIST line, and CLIENT PAUSE.
 *
 * Clients are found through the net layer's fd-indexed table; listings are
 * sorted by id so they read in connection order, like Redis's list.
 *
 * Pause protocol: while a pause is active, server_exec() calls
 * client_pause_postpone() before running a command; a command the pause
 * covers (all of them, or only writes) is copied aside, the client gets
 * CLIENT_PAUSED and stops parsing.  When the pause ends (CLIENT UNPAUSE or
 * the pause timer) the postponed commands run in arrival order and each
 * client goes on with its query buffer.  A postponed entry names its client
 * by id, so a client that disconnects meanwhile is simply skipped. */
#include "../multi.h"
#include "../server.h"

#include "../blocked.h"
#include "../ds/alloc.h"
#include "../pubsub.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Commands queued by MULTI: multi.c does not export it yet; until it does
 * (the weak symbol is then NULL) CLIENT LIST shows multi=0 inside MULTI. */

enum { TYPE_NORMAL, TYPE_REPLICA, TYPE_PUBSUB, TYPE_MASTER };

static int type_by_name(const arg *a)
{
    if (arg_eq(a, "normal"))
        return TYPE_NORMAL;
    if (arg_eq(a, "slave") || arg_eq(a, "replica"))
        return TYPE_REPLICA;
    if (arg_eq(a, "pubsub"))
        return TYPE_PUBSUB;
    if (arg_eq(a, "master"))
        return TYPE_MASTER;
    return -1;
}

static int client_type(const client *c)
{
    return (c->flags & CLIENT_PUBSUB) ? TYPE_PUBSUB : TYPE_NORMAL;
}

client *client_by_id(uint64_t id)
{
    net *n = srv.net;
    for (int fd = 0; fd < n->maxfds; fd++) {
        client *c = n->clients[fd];
        if (c && c->id == id)
            return c;
    }
    return NULL;
}

static int by_id(const void *a, const void *b)
{
    uint64_t x = (*(client *const *)a)->id, y = (*(client *const *)b)->id;
    return x < y ? -1 : x > y;
}

/* All connected clients sorted by id; *n gets the count.  Free with ds_free. */
static client **clients_sorted(size_t *count)
{
    net *n = srv.net;
    client **v = ds_malloc(sizeof(client *) * (n->nclients + 1));
    size_t k = 0;
    for (int fd = 0; fd < n->maxfds && k < n->nclients; fd++)
        if (n->clients[fd])
            v[k++] = n->clients[fd];
    qsort(v, k, sizeof(client *), by_id);
    *count = k;
    return v;
}

int client_set_name(client *c, const arg *name)
{
    for (size_t i = 0; i < name->len; i++) {
        if (name->p[i] < '!' || name->p[i] > '~') {
            reply_error(c, "Client names cannot contain spaces, newlines or special "
                           "characters.");
            return -1;
        }
    }
    ds_free(c->name);
    c->name = NULL;
    if (name->len) {
        c->name = ds_malloc(name->len + 1);
        memcpy(c->name, name->p, name->len);
        c->name[name->len] = '\0';
    }
    return 0;
}

/* ---- the CLIENT LIST line ---- */

static void flags_str(const client *c, char *p)
{
    char *s = p;
    if (c->flags & CLIENT_MONITOR)
        *p++ = 'O';
    if (c->flags & CLIENT_PUBSUB)
        *p++ = 'P';
    if (c->flags & CLIENT_MULTI)
        *p++ = 'x';
    if (c->flags & CLIENT_BLOCKED)
        *p++ = 'b';
    if (c->flags & CLIENT_DIRTY_CAS)
        *p++ = 'd';
    if (c->flags & CLIENT_CLOSE_AFTER_REPLY)
        *p++ = 'c';
    if (c->flags & CLIENT_UNBLOCKED)
        *p++ = 'u';
    if (c->flags & CLIENT_CLOSE_ASAP)
        *p++ = 'A';
    if (c->flags & CLIENT_UNIX)
        *p++ = 'U';
    if (c->flags & CLIENT_NO_EVICT)
        *p++ = 'e';
    if (p == s)
        *p++ = 'N';
    *p = '\0';
}

static size_t reply_blocks(const client *c, size_t *count)
{
    size_t n = 0, mem = 0;
    for (const reply_block *b = c->rhead; b; b = b->next) {
        n++;
        mem += b->is_ref ? sizeof(*b) : sizeof(*b) + b->size;
    }
    *count = n;
    return mem;
}

static size_t argv_mem(const client *c)
{
    size_t sum = 0;
    for (int i = 0; i < c->argc; i++)
        sum += c->argv[i].len;
    return sum;
}

/* Append cl's CLIENT LIST line (without the newline) to s.  The name is
 * appended on its own: it may be long, the other fields are bounded. */
str client_info_line(str s, const client *cl)
{
    char flags[16], events[3] = {0}, line[512];
    int mask = cl->fd >= 0 ? el_mask(srv.net->loop, cl->fd) : 0, e = 0;
    long long now_s = el_wall_ms() / 1000;
    size_t oll, omem = reply_blocks(cl, &oll);
    size_t rbs = cl->buf ? CLIENT_BUF_SIZE : 0;
    size_t amem = argv_mem(cl);
    size_t tot = sizeof(*cl) + cl->qcap + rbs + omem + amem + sizeof(arg) * (size_t)cl->argv_cap +
                 (cl->name ? strlen(cl->name) + 1 : 0);
    int sub, psub, ssub;
    pubsub_client_counts((client *)cl, &sub, &psub, &ssub);
    int multi = -1;
    if (cl->flags & CLIENT_MULTI)
        multi = multi_queued_count(cl);
    flags_str(cl, flags);
    if (mask & EL_READ)
        events[e++] = 'r';
    if (mask & EL_WRITE)
        events[e++] = 'w';
    int n = snprintf(line, sizeof(line),
                     "id=%llu addr=%s laddr=%s fd=%d name=", (unsigned long long)cl->id, cl->addr,
                     cl->laddr, cl->fd);
    s = str_cat(s, line, (size_t)n);
    if (cl->name)
        s = str_cat(s, cl->name, strlen(cl->name));
    n = snprintf(line, sizeof(line),
                 " age=%lld idle=%lld flags=%s db=%d sub=%d psub=%d ssub=%d multi=%d qbuf=%zu "
                 "qbuf-free=%zu argv-mem=%zu multi-mem=0 rbs=%zu rbp=%zu obl=%zu oll=%zu "
                 "omem=%zu tot-mem=%zu events=%s cmd=%s user=default redir=-1 resp=%d",
                 now_s - cl->ctime_ms / 1000, now_s - cl->last_ms / 1000, flags, cl->db_id, sub,
                 psub, ssub, multi, cl->qlen, cl->qcap - cl->qlen, amem, rbs, cl->bufpos,
                 cl->bufpos, oll, omem, tot, events,
                 cl->last_cmd_name ? cl->last_cmd_name : "NULL", cl->resp);
    return str_cat(s, line, (size_t)n);
}

/* ---- subcommands ---- */

static void cmd_client_id(client *c)
{
    reply_ll(c, (long long)c->id);
}

static void cmd_client_info(client *c)
{
    str s = client_info_line(str_empty_cap(512), c);
    s = str_cat(s, "\n", 1);
    reply_verbatim(c, s, str_len(s), "txt");
    str_free(s);
}

static void cmd_client_list(client *c)
{
    int type = -1;
    str s = str_empty_cap(512);
    if (c->argc == 4 && arg_eq(&c->argv[2], "type")) {
        type = type_by_name(&c->argv[3]);
        if (type < 0) {
            reply_errorf(c, "Unknown client type '%.*s'", (int)c->argv[3].len, c->argv[3].p);
            goto done;
        }
    } else if (c->argc > 3 && arg_eq(&c->argv[2], "id")) {
        for (int i = 3; i < c->argc; i++) {
            long long id;
            if (arg_ll(c, &c->argv[i], &id, "Invalid client ID"))
                goto done;
            client *cl = client_by_id((uint64_t)id);
            if (cl) {
                s = client_info_line(s, cl);
                s = str_cat(s, "\n", 1);
            }
        }
        reply_verbatim(c, s, str_len(s), "txt");
        goto done;
    } else if (c->argc != 2) {
        reply_syntax_error(c);
        goto done;
    }
    size_t n;
    client **v = clients_sorted(&n);
    for (size_t i = 0; i < n; i++) {
        if (type != -1 && client_type(v[i]) != type)
            continue;
        s = client_info_line(s, v[i]);
        s = str_cat(s, "\n", 1);
    }
    ds_free(v);
    reply_verbatim(c, s, str_len(s), "txt");
done:
    str_free(s);
}

static void cmd_client_setname(client *c)
{
    if (client_set_name(c, &c->argv[2]) == 0)
        reply_ok(c);
}

static void cmd_client_getname(client *c)
{
    if (c->name)
        reply_bulk_c(c, c->name);
    else
        reply_null(c);
}

static void cmd_client_reply(client *c)
{
    if (arg_eq(&c->argv[2], "on")) {
        c->flags &= ~(CLIENT_REPLY_SKIP | CLIENT_REPLY_OFF | CLIENT_REPLY_SKIP_NEXT);
        reply_ok(c);
    } else if (arg_eq(&c->argv[2], "off")) {
        c->flags |= CLIENT_REPLY_OFF;
    } else if (arg_eq(&c->argv[2], "skip")) {
        if (!(c->flags & CLIENT_REPLY_OFF))
            c->flags |= CLIENT_REPLY_SKIP_NEXT;
    } else {
        reply_syntax_error(c);
    }
}

static void cmd_client_no_evict(client *c)
{
    if (arg_eq(&c->argv[2], "on"))
        c->flags |= CLIENT_NO_EVICT;
    else if (arg_eq(&c->argv[2], "off"))
        c->flags &= ~CLIENT_NO_EVICT;
    else {
        reply_syntax_error(c);
        return;
    }
    reply_ok(c);
}

typedef struct kill_filter {
    const arg *addr, *laddr;
    int type;
    uint64_t id;
    int skipme;
} kill_filter;

static int str_eq_arg(const char *s, const arg *a)
{
    return strlen(s) == a->len && memcmp(s, a->p, a->len) == 0;
}

static int kill_matches(const kill_filter *f, const client *me, const client *cl)
{
    if (f->addr && !str_eq_arg(cl->addr, f->addr))
        return 0;
    if (f->laddr && !str_eq_arg(cl->laddr, f->laddr))
        return 0;
    if (f->type != -1 && client_type(cl) != f->type)
        return 0;
    if (f->id && cl->id != f->id)
        return 0;
    return !(cl == me && f->skipme);
}

/* Parse the "option value" form; 0 ok, -1 error replied. */
static int kill_parse(client *c, kill_filter *f)
{
    for (int i = 2; i < c->argc; i += 2) {
        if (i + 1 >= c->argc) {
            reply_syntax_error(c);
            return -1;
        }
        const arg *opt = &c->argv[i], *val = &c->argv[i + 1];
        if (arg_eq(opt, "id")) {
            long long id;
            if (arg_ll_range(c, val, 1, INT64_MAX, &id, "client-id should be greater than 0"))
                return -1;
            f->id = (uint64_t)id;
        } else if (arg_eq(opt, "type")) {
            f->type = type_by_name(val);
            if (f->type < 0) {
                reply_errorf(c, "Unknown client type '%.*s'", (int)val->len, val->p);
                return -1;
            }
        } else if (arg_eq(opt, "addr")) {
            f->addr = val;
        } else if (arg_eq(opt, "laddr")) {
            f->laddr = val;
        } else if (arg_eq(opt, "user")) {
            if (!str_eq_arg("default", val)) { /* the only user */
                reply_errorf(c, "No such user '%.*s'", (int)val->len, val->p);
                return -1;
            }
        } else if (arg_eq(opt, "skipme")) {
            if (arg_eq(val, "yes"))
                f->skipme = 1;
            else if (arg_eq(val, "no"))
                f->skipme = 0;
            else {
                reply_syntax_error(c);
                return -1;
            }
        } else {
            reply_syntax_error(c);
            return -1;
        }
    }
    return 0;
}

static void cmd_client_kill(client *c)
{
    kill_filter f = {NULL, NULL, -1, 0, 1};
    if (c->argc == 3) {
        f.addr = &c->argv[2];
        f.skipme = 0; /* the old form may kill the caller */
    } else if (kill_parse(c, &f) < 0) {
        return;
    }
    size_t n;
    long long killed = 0;
    int close_me = 0;
    client **v = clients_sorted(&n);
    for (size_t i = 0; i < n; i++) {
        if (!kill_matches(&f, c, v[i]))
            continue;
        if (v[i] == c)
            close_me = 1;
        else
            conn_close_async(v[i]);
        killed++;
    }
    ds_free(v);
    if (c->argc == 3) {
        if (killed == 0)
            reply_error(c, "No such client");
        else
            reply_ok(c);
    } else {
        reply_ll(c, killed);
    }
    if (close_me)
        c->flags |= CLIENT_CLOSE_AFTER_REPLY;
}

static void cmd_client_unblock(client *c)
{
    int how = 0;
    long long id;
    if (c->argc == 4) {
        if (arg_eq(&c->argv[3], "timeout")) {
            how = 0;
        } else if (arg_eq(&c->argv[3], "error")) {
            how = 1;
        } else {
            reply_error(c, "CLIENT UNBLOCK reason should be TIMEOUT or ERROR");
            return;
        }
    } else if (c->argc > 4) {
        reply_errorf(c,
                     "unknown subcommand or wrong number of arguments for '%.*s'. Try "
                     "CLIENT HELP.",
                     (int)c->argv[1].len, c->argv[1].p);
        return;
    }
    if (arg_ll(c, &c->argv[2], &id, NULL))
        return;
    client *target = client_by_id((uint64_t)id);
    reply_ll(c, target && (target->flags & CLIENT_BLOCKED) ? blocked_unblock(target, how) : 0);
}

/* ---- CLIENT PAUSE ---- */

enum { PAUSE_OFF = 0, PAUSE_WRITE = 1, PAUSE_ALL = 2 };

typedef struct postponed {
    struct postponed *next;
    int fd; /* the client is clients[fd] if that one still has this id */
    uint64_t id;
    int argc;
    arg *argv; /* one allocation: the array followed by the bytes */
} postponed;

static postponed *pp_head, *pp_tail;
static el_timer *pause_timer;

/* Run the postponed commands in arrival order. */
static void resume_postponed(void)
{
    postponed *list = pp_head;
    pp_head = pp_tail = NULL;
    while (list) {
        postponed *p = list;
        list = p->next;
        client *c = p->fd >= 0 ? srv.net->clients[p->fd] : NULL;
        if (c && c->id == p->id && (c->flags & CLIENT_PAUSED) && !(c->flags & CLIENT_CLOSE_ASAP)) {
            c->flags &= ~CLIENT_PAUSED;
            conn_run_argv(c, p->argv, p->argc);
            conn_process_input(c);
        }
        ds_free(p->argv);
        ds_free(p);
    }
}

static long long pause_timer_fn(el *l, el_timer *t, void *ud);

/* The postponed commands run from the timer, outside any command, like
 * Redis resuming them before sleep. */
static void unpause(void)
{
    srv.pause_end_ms = 0;
    srv.pause_type = PAUSE_OFF;
    if (pause_timer)
        el_timer_del(srv.loop, pause_timer);
    pause_timer = el_timer_add(srv.loop, 0, pause_timer_fn, NULL);
}

static long long pause_timer_fn(el *l, el_timer *t, void *ud)
{
    (void)l;
    (void)t;
    (void)ud;
    long long left = srv.pause_end_ms - el_wall_ms();
    if (srv.pause_end_ms && left > 0)
        return left;
    pause_timer = NULL; /* deleted by the loop when we return -1 */
    srv.pause_end_ms = 0;
    srv.pause_type = PAUSE_OFF;
    resume_postponed();
    return -1;
}

int client_pause_postpone(client *c, const command *cmd)
{
    if (srv.pause_type == PAUSE_OFF)
        return 0;
    if (el_wall_ms() >= srv.pause_end_ms) {
        /* Over: the timer resumes the postponed clients. */
        srv.pause_end_ms = 0;
        srv.pause_type = PAUSE_OFF;
        return 0;
    }
    int writes =
        (cmd->flags & (CMD_WRITE | CMD_MAY_REPLICATE)) || strcmp(cmd->fullname, "exec") == 0;
    if (srv.pause_type == PAUSE_WRITE && !writes)
        return 0;
    postponed *p = ds_malloc(sizeof(*p));
    p->next = NULL;
    p->fd = c->fd;
    p->id = c->id;
    p->argc = c->argc;
    p->argv = argv_dup(c->argv, c->argc);
    if (pp_tail)
        pp_tail->next = p;
    else
        pp_head = p;
    pp_tail = p;
    c->flags |= CLIENT_PAUSED;
    return 1;
}

static void cmd_client_pause(client *c)
{
    int type = PAUSE_ALL;
    long long ms;
    if (c->argc == 4) {
        if (arg_eq(&c->argv[3], "write")) {
            type = PAUSE_WRITE;
        } else if (arg_eq(&c->argv[3], "all")) {
            type = PAUSE_ALL;
        } else {
            reply_error(c, "CLIENT PAUSE mode must be WRITE or ALL");
            return;
        }
    } else if (c->argc > 4) {
        reply_errorf(c,
                     "unknown subcommand or wrong number of arguments for '%.*s'. Try "
                     "CLIENT HELP.",
                     (int)c->argv[1].len, c->argv[1].p);
        return;
    }
    if (arg_ll(c, &c->argv[2], &ms, "timeout is not an integer or out of range"))
        return;
    if (ms < 0) {
        reply_error(c, "timeout is negative");
        return;
    }
    long long end = el_wall_ms() + ms;
    /* Pauses combine: the strictest type and the latest end win. */
    if (srv.pause_type != PAUSE_OFF) {
        if (srv.pause_type > type)
            type = srv.pause_type;
        if (srv.pause_end_ms > end)
            end = srv.pause_end_ms;
    }
    srv.pause_type = type;
    srv.pause_end_ms = end;
    if (!pause_timer)
        pause_timer = el_timer_add(srv.loop, end - el_wall_ms(), pause_timer_fn, NULL);
    reply_ok(c);
}

static void cmd_client_unpause(client *c)
{
    unpause();
    reply_ok(c);
}

/* ---- tracking: only "off" is supported ---- */

static void cmd_client_tracking(client *c)
{
    for (int i = 3; i < c->argc; i++) {
        int more = c->argc - 1 - i;
        if ((arg_eq(&c->argv[i], "redirect") || arg_eq(&c->argv[i], "prefix")) && more) {
            i++;
        } else if (!arg_eq(&c->argv[i], "bcast") && !arg_eq(&c->argv[i], "optin") &&
                   !arg_eq(&c->argv[i], "optout") && !arg_eq(&c->argv[i], "noloop")) {
            reply_syntax_error(c);
            return;
        }
    }
    if (arg_eq(&c->argv[2], "on")) {
        reply_error(c, "client-side caching (CLIENT TRACKING ON) is not supported by this "
                       "server");
    } else if (arg_eq(&c->argv[2], "off")) {
        reply_ok(c);
    } else {
        reply_syntax_error(c);
    }
}

static void cmd_client_caching(client *c)
{
    reply_error(c, "CLIENT CACHING can be called only when the client is in tracking mode "
                   "with OPTIN or OPTOUT mode enabled");
}

static void cmd_client_getredir(client *c)
{
    reply_ll(c, -1);
}

static void cmd_client_trackinginfo(client *c)
{
    reply_map(c, 3);
    reply_bulk_c(c, "flags");
    reply_set(c, 1);
    reply_bulk_c(c, "off");
    reply_bulk_c(c, "redirect");
    reply_ll(c, -1);
    reply_bulk_c(c, "prefixes");
    reply_array(c, 0);
}

static void cmd_client_help(client *c)
{
    static const char *lines[] = {
        "CACHING (YES|NO)",
        "    Enable/disable tracking of the keys for next command in OPTIN/OPTOUT modes.",
        "GETREDIR",
        "    Return the client ID we are redirecting to when tracking is enabled.",
        "GETNAME",
        "    Return the name of the current connection.",
        "ID",
        "    Return the ID of the current connection.",
        "INFO",
        "    Return information about the current client connection.",
        "KILL <ip:port>",
        "    Kill connection made from <ip:port>.",
        "KILL <option> <value> [<option> <value> [...]]",
        "    Kill connections. Options are:",
        "    * ADDR (<ip:port>|<unixsocket>:0)",
        "      Kill connections made from the specified address",
        "    * LADDR (<ip:port>|<unixsocket>:0)",
        "      Kill connections made to specified local address",
        "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
        "      Kill connections by type.",
        "    * USER <username>",
        "      Kill connections authenticated by <username>.",
        "    * SKIPME (YES|NO)",
        "      Skip killing current connection (default: yes).",
        "LIST [options ...]",
        "    Return information about client connections. Options:",
        "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
        "      Return clients of specified type.",
        "UNPAUSE",
        "    Stop the current client pause, resuming traffic.",
        "PAUSE <timeout> [WRITE|ALL]",
        "    Suspend all, or just write, clients for <timeout> milliseconds.",
        "REPLY (ON|OFF|SKIP)",
        "    Control the replies sent to the current connection.",
        "SETNAME <name>",
        "    Assign the name <name> to the current connection.",
        "UNBLOCK <clientid> [TIMEOUT|ERROR]",
        "    Unblock the specified blocked client.",
        "TRACKING (ON|OFF) [REDIRECT <id>] [BCAST] [PREFIX <prefix> [...]]",
        "         [OPTIN] [OPTOUT] [NOLOOP]",
        "    Control server assisted client side caching.",
        "TRACKINGINFO",
        "    Report tracking status for the current connection.",
        "NO-EVICT (ON|OFF)",
        "    Protect current client connection from eviction.",
        NULL};
    reply_help(c, "client", lines);
}

/* clang-format off */
/* ---- the table ---- */

#define CF (CMD_NOSCRIPT | CMD_LOADING | CMD_STALE | CMD_SENTINEL)
#define SUB(n, fn, ar, fl, sum, sn, cx, cat)                                             \
    {                                                                                       \
        .name = n, .proc = fn, .arity = ar, .flags = fl, .group = "connection",            \
        .summary = sum, .since = sn, .complexity = cx, .acl = cat                       \
    }

static command client_subs[] = {
    SUB("caching", cmd_client_caching, 3, CF,
        "Instruct the server about tracking or not keys in the next request", "6.0.0",
        "O(1)", "slow connection"),
    SUB("getname", cmd_client_getname, 2, CF, "Get the current connection name", "2.6.9",
        "O(1)", "slow connection"),
    SUB("getredir", cmd_client_getredir, 2, CF,
        "Get tracking notifications redirection client ID if any", "6.0.0", "O(1)",
        "slow connection"),
    SUB("help", cmd_client_help, 2, CMD_LOADING | CMD_STALE | CMD_SENTINEL,
        "Show helpful text about the different subcommands", "5.0.0", "O(1)",
        "slow connection"),
    SUB("id", cmd_client_id, 2, CF, "Returns the client ID for the current connection",
        "5.0.0", "O(1)", "slow connection"),
    SUB("info", cmd_client_info, 2, CF,
        "Returns information about the current client connection.", "6.2.0", "O(1)",
        "slow connection"),
    SUB("kill", cmd_client_kill, -3, CF | CMD_ADMIN, "Kill the connection of a client",
        "2.4.0", "O(N) where N is the number of client connections",
        "admin slow dangerous connection"),
    SUB("list", cmd_client_list, -2, CF | CMD_ADMIN, "Get the list of client connections",
        "2.4.0", "O(N) where N is the number of client connections",
        "admin slow dangerous connection"),
    SUB("no-evict", cmd_client_no_evict, 3, CF | CMD_ADMIN,
        "Set client eviction mode for the current connection", "7.0.0", "O(1)",
        "admin slow dangerous connection"),
    SUB("pause", cmd_client_pause, -3, CF | CMD_ADMIN,
        "Stop processing commands from clients for some time", "2.9.50", "O(1)",
        "admin slow dangerous connection"),
    SUB("reply", cmd_client_reply, 3, CF,
        "Instruct the server whether to reply to commands", "3.2.0", "O(1)",
        "slow connection"),
    SUB("setname", cmd_client_setname, 3, CF, "Set the current connection name", "2.6.9",
        "O(1)", "slow connection"),
    SUB("tracking", cmd_client_tracking, -3, CF,
        "Enable or disable server assisted client side caching support", "6.0.0",
        "O(1). Some options may introduce additional complexity.", "slow connection"),
    SUB("trackinginfo", cmd_client_trackinginfo, 2, CF,
        "Return information about server assisted client side caching for the current "
        "connection",
        "6.2.0", "O(1)", "slow connection"),
    SUB("unblock", cmd_client_unblock, -3, CF | CMD_ADMIN,
        "Unblock a client blocked in a blocking command from a different connection",
        "5.0.0", "O(log N) where N is the number of client connections",
        "admin slow dangerous connection"),
    SUB("unpause", cmd_client_unpause, 2, CF | CMD_ADMIN,
        "Resume processing of clients that were paused", "6.2.0",
        "O(N) Where N is the number of paused clients", "admin slow dangerous connection"),
    {.name = NULL},
};

command cmd_client_table[] = {
    {.name = "client", .arity = -2, .flags = CMD_SENTINEL, .group = "connection",
     .summary = "A container for client connection commands", .since = "2.4.0",
     .complexity = "Depends on subcommand.", .acl = "slow", .subs = client_subs},
    {.name = NULL},
};
/* clang-format on */
