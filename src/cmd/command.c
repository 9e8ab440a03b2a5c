/* cmd/command.c - COMMAND, COMMAND COUNT / INFO / LIST / DOCS / GETKEYS /
 * GETKEYSANDFLAGS / HELP, in Redis 7.0's reply formats.
 *
 * Everything walks srv.commands (the command tables of every module).  The
 * tables give name, arity, flags, key range, group, summary, since,
 * complexity and ACL categories; what they do not carry - argument
 * descriptions (used by redis-cli for its hints), key specs, tips and doc
 * flags - comes from the `docs` table at the end of this file, derived from
 * Redis 7.0.15's command reference (its src/commands JSON files), written in a
 * compact notation parsed once, on first use:
 *
 *   arguments   space separated; each one is [flags] body [^since] [&deprecated]
 *     flags     ? optional   * multiple   + multiple_token
 *     body      name:type[#key_spec_index][=TOKEN]       a value
 *               !TOKEN[@name]                            a pure token
 *               name(a|b|...)[=TOKEN]                    one of
 *               name{a b ...}[=TOKEN]                    a block
 *     special characters in names and tokens are written %XX (hex)
 *   key specs   ';' separated  FLAG,FLAG/begin/find[/notes]
 *     begin     iN (index N) | kKEYWORD,N (keyword, startfrom) | u
 *     find      rLAST,STEP,LIMIT (range) | nIDX,FIRST,STEP (keynum) | u
 *
 * A command missing from `docs` (one Redis does not have) still answers:
 * its key range comes from its table entry and it has no argument docs. */
#include "../server.h"

#include "../ds/alloc.h"
#include "../ds/glob.h"
#include "../ds/util.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef struct doc_row {
    const char *fullname, *args, *keyspecs, *tips, *doc_flags;
    const char *deprecated_since, *replaced_by;
    const char *xflags; /* Redis flags Sluice has no bit for (no_async_loading) */
} doc_row;

static const doc_row docs[];

/* ---- parsed documentation ---- */

enum { ARG_OPTIONAL = 1, ARG_MULTIPLE = 2, ARG_MULTIPLE_TOKEN = 4 };

typedef struct doc_arg {
    char *name, *type, *token, *since, *deprecated_since;
    int ksi; /* key_spec_index, -1 if none */
    int flags;
    struct doc_arg *sub;
    int nsub;
} doc_arg;

/* key spec flags, in Redis's output order */
static const char *const ks_flag_names[] = {
    "RO",     "RW",     "OW",      "RM",         "access",         "update",
    "insert", "delete", "not_key", "incomplete", "variable_flags", NULL};
enum { KS_RO = 1, KS_RW = 2, KS_OW = 4, KS_RM = 8, KS_NOT_KEY = 256, KS_INCOMPLETE = 512 };
enum { BS_UNKNOWN, BS_INDEX, BS_KEYWORD };
enum { FK_UNKNOWN, FK_RANGE, FK_KEYNUM };

typedef struct key_spec {
    unsigned flags;
    int bs, bs_index, bs_startfrom;
    char *bs_keyword;
    int fk, fk_a, fk_b, fk_c; /* range: last,step,limit  keynum: idx,first,step */
    char *notes;
} key_spec;

typedef struct cmd_doc {
    const doc_row *row;
    doc_arg *args;
    int nargs;
    key_spec *ks;
    int nks;
} cmd_doc;

static dict *doc_index; /* fullname -> cmd_doc* */

static char *dup_range(const char *p, size_t n)
{
    char *s = ds_malloc(n + 1);
    memcpy(s, p, n);
    s[n] = '\0';
    return s;
}

static int hexval(char c)
{
    return isdigit((unsigned char)c) ? c - '0' : (tolower((unsigned char)c) - 'a' + 10);
}

/* Read up to a character of `stop` (or the end), decoding %XX. */
static char *read_until(const char **p, const char *stop)
{
    char buf[512];
    size_t n = 0;
    while (**p && !strchr(stop, **p) && n < sizeof(buf) - 1) {
        if (**p == '%' && (*p)[1] && (*p)[2]) {
            buf[n++] = (char)(hexval((*p)[1]) * 16 + hexval((*p)[2]));
            *p += 3;
        } else {
            buf[n++] = *(*p)++;
        }
    }
    return dup_range(buf, n);
}

#define WORD_STOP " |)}@^&"

static doc_arg *parse_list(const char **p, char sep, char end, int *n);

static void parse_arg(const char **p, doc_arg *a)
{
    memset(a, 0, sizeof(*a));
    a->ksi = -1;
    for (;; (*p)++) {
        if (**p == '?')
            a->flags |= ARG_OPTIONAL;
        else if (**p == '*')
            a->flags |= ARG_MULTIPLE;
        else if (**p == '+')
            a->flags |= ARG_MULTIPLE_TOKEN;
        else
            break;
    }
    if (**p == '!') {
        (*p)++;
        a->type = dup_range("pure-token", 10);
        a->token = read_until(p, WORD_STOP);
        if (**p == '@') {
            (*p)++;
            a->name = read_until(p, WORD_STOP);
        } else {
            a->name = dup_range(a->token, strlen(a->token));
            for (char *q = a->name; *q; q++)
                *q = (char)tolower((unsigned char)*q);
        }
    } else {
        a->name = read_until(p, WORD_STOP ":({");
        if (**p == ':') {
            (*p)++;
            a->type = read_until(p, WORD_STOP "#=");
            if (**p == '#') {
                (*p)++;
                a->ksi = (int)strtol(*p, (char **)p, 10);
            }
        } else if (**p == '(' || **p == '{') {
            int oneof = **p == '(';
            (*p)++;
            a->type = dup_range(oneof ? "oneof" : "block", oneof ? 5 : 5);
            a->sub = parse_list(p, oneof ? '|' : ' ', oneof ? ')' : '}', &a->nsub);
            if (**p)
                (*p)++; /* the closing bracket */
        }
        if (**p == '=') {
            (*p)++;
            a->token = read_until(p, WORD_STOP);
        }
    }
    if (**p == '^') {
        (*p)++;
        a->since = read_until(p, WORD_STOP);
    }
    if (**p == '&') {
        (*p)++;
        a->deprecated_since = read_until(p, WORD_STOP);
    }
}

static doc_arg *parse_list(const char **p, char sep, char end, int *n)
{
    doc_arg *v = NULL;
    int cap = 0;
    *n = 0;
    while (**p && **p != end) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 4;
            v = ds_realloc(v, sizeof(doc_arg) * (size_t)cap);
        }
        parse_arg(p, &v[(*n)++]);
        if (**p == sep)
            (*p)++;
    }
    return v;
}

static void parse_keyspec(const char *s, key_spec *k)
{
    memset(k, 0, sizeof(*k));
    while (*s && *s != '/') {
        size_t n = strcspn(s, ",/");
        for (int i = 0; ks_flag_names[i]; i++)
            if (strlen(ks_flag_names[i]) == n && strncasecmp(s, ks_flag_names[i], n) == 0)
                k->flags |= 1u << i;
        s += n;
        if (*s == ',')
            s++;
    }
    if (*s == '/')
        s++;
    if (*s == 'i') {
        k->bs = BS_INDEX;
        k->bs_index = (int)strtol(s + 1, (char **)&s, 10);
    } else if (*s == 'k') {
        size_t n = strcspn(s + 1, ",");
        k->bs = BS_KEYWORD;
        k->bs_keyword = dup_range(s + 1, n);
        s += 1 + n + 1;
        k->bs_startfrom = (int)strtol(s, (char **)&s, 10);
    } else {
        s++;
    }
    if (*s == '/')
        s++;
    if (*s == 'r' || *s == 'n') {
        k->fk = *s == 'r' ? FK_RANGE : FK_KEYNUM;
        k->fk_a = (int)strtol(s + 1, (char **)&s, 10);
        k->fk_b = (int)strtol(s + 1, (char **)&s, 10);
        k->fk_c = (int)strtol(s + 1, (char **)&s, 10);
    } else if (*s) {
        s++;
    }
    if (*s == '/') {
        s++;
        k->notes = read_until(&s, ";");
    }
}

static void doc_key_view(const void *key, const void **p, size_t *len)
{
    const cmd_doc *d = key;
    *p = d->row->fullname;
    *len = strlen(d->row->fullname);
}

static const dict_type doc_dict_type = {doc_key_view, NULL, NULL, 1};

static void docs_init(void)
{
    if (doc_index)
        return;
    doc_index = dict_new(&doc_dict_type);
    for (const doc_row *r = docs; r->fullname; r++) {
        cmd_doc *d = ds_calloc(sizeof(*d));
        d->row = r;
        if (r->args) {
            const char *p = r->args;
            d->args = parse_list(&p, ' ', '\0', &d->nargs);
        }
        for (const char *s = r->keyspecs; *s;) {
            d->ks = ds_realloc(d->ks, sizeof(key_spec) * (size_t)(d->nks + 1));
            parse_keyspec(s, &d->ks[d->nks++]);
            s += strcspn(s, ";");
            if (*s == ';')
                s++;
        }
        dict_add(doc_index, d, d);
    }
}

static cmd_doc *doc_for(const command *cmd)
{
    docs_init();
    return dict_fetch(doc_index, cmd->fullname, strlen(cmd->fullname));
}

/* "name" or "container|sub", any case. */
static command *lookup_fullname(const arg *a)
{
    const char *bar = memchr(a->p, '|', a->len);
    if (!bar)
        return lookup_command_name(a->p, a->len);
    command *parent = lookup_command_name(a->p, (size_t)(bar - a->p));
    arg sub = {bar + 1, a->len - (size_t)(bar - a->p) - 1};
    for (command *s = parent ? parent->subs : NULL; s && s->name; s++)
        if (arg_eq(&sub, s->name))
            return s;
    return NULL;
}

/* ---- COMMAND INFO ---- */

/* Command flags in Redis's output order; 0 marks flags Sluice has no bit
 * for, taken from the docs row (xflags). */
static const struct {
    uint32_t flag;
    const char *name;
} cmd_flag_names[] = {
    {CMD_WRITE, "write"},
    {CMD_READONLY, "readonly"},
    {CMD_DENYOOM, "denyoom"},
    {0, "module"},
    {CMD_ADMIN, "admin"},
    {CMD_PUBSUB, "pubsub"},
    {CMD_NOSCRIPT, "noscript"},
    {CMD_BLOCKING, "blocking"},
    {CMD_LOADING, "loading"},
    {CMD_STALE, "stale"},
    {CMD_SKIP_MONITOR, "skip_monitor"},
    {CMD_SKIP_SLOWLOG, "skip_slowlog"},
    {0, "asking"},
    {CMD_FAST, "fast"},
    {CMD_NO_AUTH, "no_auth"},
    {CMD_NO_MANDATORY_KEYS, "no_mandatory_keys"},
    {0, "no_async_loading"},
    {CMD_NO_MULTI, "no_multi"},
    {CMD_MOVABLE_KEYS, "movablekeys"},
    {CMD_ALLOW_BUSY, "allow_busy"},
};

static const char *const acl_cats[] = {
    "keyspace", "read",        "write",      "set",         "sortedset", "list",  "hash", "string",
    "bitmap",   "hyperloglog", "geo",        "stream",      "pubsub",    "admin", "fast", "slow",
    "blocking", "dangerous",   "connection", "transaction", "scripting", NULL};

static int acl_cat_index(const char *p, size_t n)
{
    for (int i = 0; acl_cats[i]; i++)
        if (strlen(acl_cats[i]) == n && strncasecmp(acl_cats[i], p, n) == 0)
            return i;
    return -1;
}

static uint32_t acl_categories(const command *cmd)
{
    uint32_t cats = 0;
    for (const char *s = cmd->acl ? cmd->acl : ""; *s;) {
        size_t n = strcspn(s, " ");
        if (*s == '@') {
            s++;
            n--;
        }
        int i = acl_cat_index(s, n);
        if (i >= 0)
            cats |= 1u << i;
        s += n;
        while (*s == ' ')
            s++;
    }
    if (cmd->flags & CMD_WRITE)
        cats |= 1u << 2;
    if ((cmd->flags & CMD_READONLY) && !(cats & (1u << 20)))
        cats |= 1u << 1;
    if (cmd->flags & CMD_ADMIN)
        cats |= (1u << 13) | (1u << 17);
    if (cmd->flags & CMD_PUBSUB)
        cats |= 1u << 12;
    if (cmd->flags & CMD_FAST)
        cats |= 1u << 14;
    if (cmd->flags & CMD_BLOCKING)
        cats |= 1u << 16;
    if (!(cats & (1u << 14)))
        cats |= 1u << 15;
    return cats;
}

static int movable_keys(const command *cmd, const cmd_doc *d)
{
    if (cmd->flags & CMD_MOVABLE_KEYS)
        return 1;
    for (int i = 0; d && i < d->nks; i++)
        if (d->ks[i].bs != BS_INDEX || d->ks[i].fk != FK_RANGE || (d->ks[i].flags & KS_INCOMPLETE))
            return 1;
    return 0;
}

static int has_word(const char *words, const char *w)
{
    size_t n = strlen(w);
    for (const char *s = words; s && *s;) {
        size_t len = strcspn(s, " ");
        if (len == n && strncmp(s, w, n) == 0)
            return 1;
        s += len;
        while (*s == ' ')
            s++;
    }
    return 0;
}

static int flag_set(uint32_t flags, const cmd_doc *d, int i)
{
    if (cmd_flag_names[i].flag)
        return (flags & cmd_flag_names[i].flag) != 0;
    return d && has_word(d->row->xflags, cmd_flag_names[i].name);
}

static void reply_cmd_flags(client *c, const command *cmd, const cmd_doc *d)
{
    uint32_t flags = cmd->flags;
    int count = (int)(sizeof(cmd_flag_names) / sizeof(cmd_flag_names[0]));
    long n = 0;
    if (movable_keys(cmd, d))
        flags |= CMD_MOVABLE_KEYS;
    for (int i = 0; i < count; i++)
        n += flag_set(flags, d, i);
    reply_set(c, n);
    for (int i = 0; i < count; i++)
        if (flag_set(flags, d, i))
            reply_status(c, cmd_flag_names[i].name);
}

static void reply_acl(client *c, const command *cmd)
{
    uint32_t cats = acl_categories(cmd);
    reply_set(c, __builtin_popcount(cats));
    for (int i = 0; acl_cats[i]; i++) {
        if (cats & (1u << i)) {
            char buf[32];
            snprintf(buf, sizeof(buf), "@%s", acl_cats[i]);
            reply_status(c, buf);
        }
    }
}

/* Reply a space-separated word list as a set of bulk strings. */
static void reply_words_set(client *c, const char *words, int status)
{
    long n = 0;
    for (const char *s = words; *s; s += strcspn(s, " "), s += *s == ' ')
        n++;
    reply_set(c, n);
    for (const char *s = words; *s;) {
        size_t len = strcspn(s, " ");
        if (status)
            reply_status_len(c, s, len);
        else
            reply_bulk(c, s, len);
        s += len;
        if (*s == ' ')
            s++;
    }
}

static void reply_ks_flags(client *c, unsigned flags)
{
    reply_set(c, __builtin_popcount(flags));
    for (int i = 0; ks_flag_names[i]; i++)
        if (flags & (1u << i))
            reply_status(c, ks_flag_names[i]);
}

static void reply_keyspec(client *c, const key_spec *k)
{
    reply_map(c, 3 + (k->notes != NULL));
    if (k->notes) {
        reply_bulk_c(c, "notes");
        reply_bulk_c(c, k->notes);
    }
    reply_bulk_c(c, "flags");
    reply_ks_flags(c, k->flags);
    reply_bulk_c(c, "begin_search");
    reply_map(c, 2);
    reply_bulk_c(c, "type");
    if (k->bs == BS_INDEX) {
        reply_bulk_c(c, "index");
        reply_bulk_c(c, "spec");
        reply_map(c, 1);
        reply_bulk_c(c, "index");
        reply_ll(c, k->bs_index);
    } else if (k->bs == BS_KEYWORD) {
        reply_bulk_c(c, "keyword");
        reply_bulk_c(c, "spec");
        reply_map(c, 2);
        reply_bulk_c(c, "keyword");
        reply_bulk_c(c, k->bs_keyword);
        reply_bulk_c(c, "startfrom");
        reply_ll(c, k->bs_startfrom);
    } else {
        reply_bulk_c(c, "unknown");
        reply_bulk_c(c, "spec");
        reply_map(c, 0);
    }
    reply_bulk_c(c, "find_keys");
    reply_map(c, 2);
    reply_bulk_c(c, "type");
    if (k->fk == FK_UNKNOWN) {
        reply_bulk_c(c, "unknown");
        reply_bulk_c(c, "spec");
        reply_map(c, 0);
        return;
    }
    int range = k->fk == FK_RANGE;
    reply_bulk_c(c, range ? "range" : "keynum");
    reply_bulk_c(c, "spec");
    reply_map(c, 3);
    reply_bulk_c(c, range ? "lastkey" : "keynumidx");
    reply_ll(c, k->fk_a);
    reply_bulk_c(c, range ? "keystep" : "firstkey");
    reply_ll(c, k->fk_b);
    reply_bulk_c(c, range ? "limit" : "keystep");
    reply_ll(c, k->fk_c);
}

/* The legacy (first, last, step) triple. */
static void key_range(const command *cmd, const cmd_doc *d, int *first, int *last, int *step)
{
    *first = cmd->first_key;
    *last = cmd->last_key;
    *step = cmd->key_step;
    if (*first || !d || d->nks == 0)
        return;
    const key_spec *k = &d->ks[0];
    if (k->bs == BS_INDEX && k->fk == FK_RANGE && !(k->flags & KS_INCOMPLETE)) {
        *first = k->bs_index;
        *last = k->fk_a >= 0 ? k->bs_index + k->fk_a : k->fk_a;
        *step = k->fk_b;
    }
}

static void reply_info(client *c, const command *cmd)
{
    if (!cmd) {
        reply_null(c);
        return;
    }
    cmd_doc *d = doc_for(cmd);
    int first, last, step;
    key_range(cmd, d, &first, &last, &step);
    reply_array(c, 10);
    reply_bulk_c(c, cmd->fullname);
    reply_ll(c, cmd->arity);
    reply_cmd_flags(c, cmd, d);
    reply_ll(c, first);
    reply_ll(c, last);
    reply_ll(c, step);
    reply_acl(c, cmd);
    reply_words_set(c, d ? d->row->tips : "", 0);
    if (d && d->nks) {
        reply_set(c, d->nks);
        for (int i = 0; i < d->nks; i++)
            reply_keyspec(c, &d->ks[i]);
    } else if (!d && first > 0) {
        key_spec k = {KS_RW, BS_INDEX, first, 0, NULL, FK_RANGE, last >= 0 ? last - first : last,
                      step,  0,        NULL};
        if (cmd->flags & CMD_READONLY)
            k.flags = KS_RO;
        reply_set(c, 1);
        reply_keyspec(c, &k);
    } else {
        reply_set(c, 0);
    }
    if (!cmd->subs) {
        reply_set(c, 0);
        return;
    }
    long n = 0;
    for (const command *s = cmd->subs; s->name; s++)
        n++;
    reply_array(c, n);
    for (const command *s = cmd->subs; s->name; s++)
        reply_info(c, s);
}

/* ---- COMMAND DOCS ---- */

static void reply_args(client *c, const doc_arg *args, int n)
{
    reply_array(c, n);
    for (int i = 0; i < n; i++) {
        const doc_arg *a = &args[i];
        int composite = a->sub != NULL || !strcmp(a->type, "oneof") || !strcmp(a->type, "block");
        reply_map(c, 2 + (a->ksi >= 0) + (a->token != NULL) + (a->since != NULL) +
                         (a->deprecated_since != NULL) + (a->flags != 0) + composite);
        reply_bulk_c(c, "name");
        reply_bulk_c(c, a->name);
        reply_bulk_c(c, "type");
        reply_bulk_c(c, a->type);
        if (a->ksi >= 0) {
            reply_bulk_c(c, "key_spec_index");
            reply_ll(c, a->ksi);
        }
        if (a->token) {
            reply_bulk_c(c, "token");
            reply_bulk_c(c, a->token);
        }
        if (a->since) {
            reply_bulk_c(c, "since");
            reply_bulk_c(c, a->since);
        }
        if (a->deprecated_since) {
            reply_bulk_c(c, "deprecated_since");
            reply_bulk_c(c, a->deprecated_since);
        }
        if (a->flags) {
            reply_bulk_c(c, "flags");
            reply_set(c, __builtin_popcount((unsigned)a->flags));
            if (a->flags & ARG_OPTIONAL)
                reply_status(c, "optional");
            if (a->flags & ARG_MULTIPLE)
                reply_status(c, "multiple");
            if (a->flags & ARG_MULTIPLE_TOKEN)
                reply_status(c, "multiple_token");
        }
        if (composite) {
            reply_bulk_c(c, "arguments");
            reply_args(c, a->sub, a->nsub);
        }
    }
}

static void reply_docs(client *c, const command *cmd)
{
    cmd_doc *d = doc_for(cmd);
    const doc_row *r = d ? d->row : NULL;
    int docflags = r && r->doc_flags[0], dep = r && r->deprecated_since;
    int rep = r && r->replaced_by, args = d && d->args;
    reply_map(c, 1 + (cmd->summary != NULL) + (cmd->since != NULL) + (cmd->complexity != NULL) +
                     docflags + dep + rep + args + (cmd->subs != NULL));
    if (cmd->summary) {
        reply_bulk_c(c, "summary");
        reply_bulk_c(c, cmd->summary);
    }
    if (cmd->since) {
        reply_bulk_c(c, "since");
        reply_bulk_c(c, cmd->since);
    }
    reply_bulk_c(c, "group");
    reply_bulk_c(c, cmd->group ? cmd->group : "generic");
    if (cmd->complexity) {
        reply_bulk_c(c, "complexity");
        reply_bulk_c(c, cmd->complexity);
    }
    if (docflags) {
        reply_bulk_c(c, "doc_flags");
        reply_words_set(c, r->doc_flags, 1);
    }
    if (dep) {
        reply_bulk_c(c, "deprecated_since");
        reply_bulk_c(c, r->deprecated_since);
    }
    if (rep) {
        reply_bulk_c(c, "replaced_by");
        reply_bulk_c(c, r->replaced_by);
    }
    if (args) {
        reply_bulk_c(c, "arguments");
        reply_args(c, d->args, d->nargs);
    }
    if (cmd->subs) {
        long n = 0;
        for (const command *s = cmd->subs; s->name; s++)
            n++;
        reply_bulk_c(c, "subcommands");
        reply_map(c, n);
        for (const command *s = cmd->subs; s->name; s++) {
            reply_bulk_c(c, s->fullname);
            reply_docs(c, s);
        }
    }
}

/* ---- GETKEYS ---- */

typedef struct key_ref {
    int pos;
    unsigned flags;
} key_ref;

/* Keys of argv per the key specs, like Redis's getKeysUsingKeySpecs; an
 * incomplete or unknown spec contributes what it can.  -1 on bad input. */
static int keys_by_specs(const command *cmd, const cmd_doc *d, const arg *argv, int argc,
                         key_ref *out, int cap)
{
    int n = 0;
    for (int j = 0; j < d->nks; j++) {
        const key_spec *k = &d->ks[j];
        int first = 0, last, step;
        if (k->flags & KS_NOT_KEY)
            continue;
        if (k->bs == BS_INDEX) {
            first = k->bs_index;
        } else if (k->bs == BS_KEYWORD) {
            int from = k->bs_startfrom > 0 ? k->bs_startfrom : argc + k->bs_startfrom;
            int to = k->bs_startfrom > 0 ? argc - 1 : 1;
            for (int i = from; i != to; i = from <= to ? i + 1 : i - 1) {
                if (i >= argc || i < 1)
                    break;
                if (arg_eq(&argv[i], k->bs_keyword)) {
                    first = i + 1;
                    break;
                }
            }
            if (!first)
                continue;
        } else {
            continue; /* unknown: nothing we can find */
        }
        if (k->fk == FK_RANGE) {
            step = k->fk_b;
            if (k->fk_a >= 0)
                last = first + k->fk_a;
            else if (!k->fk_c)
                last = argc + k->fk_a;
            else
                last = first + ((argc - first) / k->fk_c + k->fk_a);
        } else if (k->fk == FK_KEYNUM) {
            long long numkeys;
            step = k->fk_c;
            if (first + k->fk_a >= argc ||
                !str_to_ll(argv[first + k->fk_a].p, argv[first + k->fk_a].len, &numkeys) ||
                numkeys < 0 || numkeys > argc)
                return -1;
            first += k->fk_b;
            last = first + (int)numkeys - 1;
        } else {
            continue;
        }
        if (last >= argc || last < first || first >= argc || step <= 0) {
            if (k->flags & KS_INCOMPLETE)
                continue;
            return -1;
        }
        for (int i = first; i <= last && n < cap; i += step) {
            out[n].pos = i;
            out[n++].flags = k->flags;
        }
    }
    (void)cmd;
    return n;
}

static int keys_by_range(const command *cmd, const arg *argv, int argc, key_ref *out, int cap)
{
    int first = cmd->first_key, last = cmd->last_key, step = cmd->key_step ? cmd->key_step : 1;
    int n = 0;
    if (first <= 0)
        return 0;
    if (last < 0)
        last = argc + last;
    for (int i = first; i <= last && i < argc && n < cap; i += step) {
        out[n].pos = i;
        out[n++].flags = (cmd->flags & CMD_READONLY) ? KS_RO : KS_RW;
    }
    (void)argv;
    return n;
}

/* Key flags that depend on the arguments (Redis's VARIABLE_FLAGS specs). */
static unsigned variable_key_flags(const command *cmd, const arg *argv, int argc, unsigned f)
{
    enum { RW = 2, OW = 4, ACCESS = 16, UPDATE = 32, RO = 1 };
    if (!strcmp(cmd->fullname, "set")) {
        for (int i = 3; i < argc; i++)
            if (arg_eq(&argv[i], "get"))
                return RW | ACCESS | UPDATE;
        return OW | UPDATE;
    }
    if (!strcmp(cmd->fullname, "bitfield")) {
        for (int i = 2; i < argc; i++)
            if (arg_eq(&argv[i], "set") || arg_eq(&argv[i], "incrby"))
                return RW | UPDATE;
        return RO | ACCESS;
    }
    return f;
}

static void getkeys(client *c, int with_flags)
{
    const arg *argv = c->argv + 2;
    int argc = c->argc - 2;
    command *cmd = lookup_command((arg *)argv, argc);
    cmd_doc *d = cmd ? doc_for(cmd) : NULL;
    if (!cmd) {
        reply_error(c, "Invalid command specified");
        return;
    }
    if (!(d && d->nks) && cmd->first_key <= 0) {
        reply_error(c, "The command has no key arguments");
        return;
    }
    if ((cmd->arity > 0 && cmd->arity != argc) || argc < -cmd->arity) {
        reply_error(c, "Invalid number of arguments specified for command");
        return;
    }
    key_ref *keys = ds_malloc(sizeof(key_ref) * (size_t)(argc + 2));
    int n;
    if (strcmp(cmd->fullname, "sort") == 0 || strcmp(cmd->fullname, "sort_ro") == 0) {
        /* SORT's STORE key is found by parsing, like Redis's sortGetKeys. */
        int pos[2];
        n = sort_getkeys(argv, argc, pos);
        for (int i = 0; i < n; i++) {
            keys[i].pos = pos[i];
            keys[i].flags = i ? (KS_OW | 32u) : (KS_RO | 16u); /* OW update / RO access */
        }
    } else {
        n = d && d->nks ? keys_by_specs(cmd, d, argv, argc, keys, argc)
                        : keys_by_range(cmd, argv, argc, keys, argc);
    }
    if (n <= 0) {
        if (cmd->flags & CMD_NO_MANDATORY_KEYS)
            reply_array(c, 0);
        else
            reply_error(c, "Invalid arguments specified for command");
        ds_free(keys);
        return;
    }
    reply_array(c, n);
    for (int i = 0; i < n; i++) {
        if (with_flags) {
            reply_array(c, 2);
            reply_bulk(c, argv[keys[i].pos].p, argv[keys[i].pos].len);
            unsigned f = keys[i].flags;
            if (f & (1u << 10)) /* variable_flags */
                f = variable_key_flags(cmd, argv, argc, f);
            reply_ks_flags(c, f);
        } else {
            reply_bulk(c, argv[keys[i].pos].p, argv[keys[i].pos].len);
        }
    }
    ds_free(keys);
}

/* ---- the handlers ---- */

static void reply_all_infos(client *c)
{
    dict_iter it;
    dict_entry *e;
    reply_array(c, (long)dict_size(srv.commands));
    dict_iter_init(&it, srv.commands, 0);
    while ((e = dict_iter_next(&it)))
        reply_info(c, e->v.val);
    dict_iter_done(&it);
}

static void cmd_command(client *c)
{
    reply_all_infos(c);
}

static void cmd_command_count(client *c)
{
    reply_ll(c, (long long)dict_size(srv.commands));
}

static void cmd_command_info(client *c)
{
    if (c->argc == 2) {
        reply_all_infos(c);
        return;
    }
    reply_array(c, c->argc - 2);
    for (int i = 2; i < c->argc; i++)
        reply_info(c, lookup_fullname(&c->argv[i]));
}

static void cmd_command_docs(client *c)
{
    if (c->argc == 2) {
        dict_iter it;
        dict_entry *e;
        reply_map(c, (long)dict_size(srv.commands));
        dict_iter_init(&it, srv.commands, 0);
        while ((e = dict_iter_next(&it))) {
            const command *cmd = e->v.val;
            reply_bulk_c(c, cmd->fullname);
            reply_docs(c, cmd);
        }
        dict_iter_done(&it);
        return;
    }
    void *h = reply_defer(c);
    long n = 0;
    for (int i = 2; i < c->argc; i++) {
        const command *cmd = lookup_fullname(&c->argv[i]);
        if (!cmd)
            continue;
        reply_bulk_c(c, cmd->fullname);
        reply_docs(c, cmd);
        n++;
    }
    reply_set_map_len(c, h, n);
}

enum { FILTER_NONE, FILTER_MODULE, FILTER_ACLCAT, FILTER_PATTERN };

static int list_keep(const command *cmd, int type, const arg *val)
{
    if (type == FILTER_NONE)
        return 1;
    if (type == FILTER_MODULE)
        return 0; /* no modules */
    if (type == FILTER_ACLCAT) {
        int i = acl_cat_index(val->p, val->len);
        return i >= 0 && (acl_categories(cmd) & (1u << i));
    }
    return glob_match(val->p, val->len, cmd->fullname, strlen(cmd->fullname), 1);
}

static void cmd_command_list(client *c)
{
    int type = FILTER_NONE;
    const arg *val = NULL;
    for (int i = 2; i < c->argc; i++) {
        if (arg_eq(&c->argv[i], "filterby") && c->argc - 1 - i == 2) {
            const arg *t = &c->argv[i + 1];
            if (arg_eq(t, "module"))
                type = FILTER_MODULE;
            else if (arg_eq(t, "aclcat"))
                type = FILTER_ACLCAT;
            else if (arg_eq(t, "pattern"))
                type = FILTER_PATTERN;
            else {
                reply_syntax_error(c);
                return;
            }
            val = &c->argv[i + 2];
            i += 2;
        } else {
            reply_syntax_error(c);
            return;
        }
    }
    void *h = reply_defer(c);
    long n = 0;
    dict_iter it;
    dict_entry *e;
    dict_iter_init(&it, srv.commands, 0);
    while ((e = dict_iter_next(&it))) {
        const command *cmd = e->v.val;
        if (list_keep(cmd, type, val)) {
            reply_bulk_c(c, cmd->fullname);
            n++;
        }
        for (const command *s = cmd->subs; s && s->name; s++) {
            if (list_keep(s, type, val)) {
                reply_bulk_c(c, s->fullname);
                n++;
            }
        }
    }
    dict_iter_done(&it);
    reply_set_array_len(c, h, n);
}

static void cmd_command_getkeys(client *c)
{
    getkeys(c, 0);
}

static void cmd_command_getkeysandflags(client *c)
{
    getkeys(c, 1);
}

static void cmd_command_help(client *c)
{
    static const char *lines[] = {
        "(no subcommand)",
        "    Return details about all Redis commands.",
        "COUNT",
        "    Return the total number of commands in this Redis server.",
        "LIST",
        "    Return a list of all commands in this Redis server.",
        "INFO [<command-name> ...]",
        "    Return details about multiple Redis commands.",
        "    If no command names are given, documentation details for all",
        "    commands are returned.",
        "DOCS [<command-name> ...]",
        "    Return documentation details about multiple Redis commands.",
        "    If no command names are given, documentation details for all",
        "    commands are returned.",
        "GETKEYS <full-command>",
        "    Return the keys from a full Redis command.",
        "GETKEYSANDFLAGS <full-command>",
        "    Return the keys and the access flags from a full Redis command.",
        NULL};
    reply_help(c, "command", lines);
}

/* clang-format off */
/* ---- the table ---- */

#define CF (CMD_LOADING | CMD_STALE | CMD_SENTINEL)
#define SUB(n, fn, ar, sum, sn, cx)                                                      \
    {                                                                                       \
        .name = n, .proc = fn, .arity = ar, .flags = CF, .group = "server",                \
        .summary = sum, .since = sn, .complexity = cx, .acl = "slow connection"         \
    }

static command command_subs[] = {
    SUB("count", cmd_command_count, 2, "Get total number of Redis commands", "2.8.13", "O(1)"),
    SUB("docs", cmd_command_docs, -2, "Get array of specific Redis command documentation",
        "7.0.0", "O(N) where N is the number of commands to look up"),
    SUB("getkeys", cmd_command_getkeys, -4, "Extract keys given a full Redis command",
        "2.8.13", "O(N) where N is the number of arguments to the command"),
    SUB("getkeysandflags", cmd_command_getkeysandflags, -4,
        "Extract keys and access flags given a full Redis command", "7.0.0",
        "O(N) where N is the number of arguments to the command"),
    SUB("help", cmd_command_help, 2, "Show helpful text about the different subcommands",
        "5.0.0", "O(1)"),
    SUB("info", cmd_command_info, -2,
        "Get array of specific Redis command details, or all when no argument is given.",
        "2.8.13", "O(N) where N is the number of commands to look up"),
    SUB("list", cmd_command_list, -2, "Get an array of Redis command names", "7.0.0",
        "O(N) where N is the total number of Redis commands"),
    {.name = NULL},
};

command cmd_command_table[] = {
    {.name = "command", .proc = cmd_command, .arity = -1, .flags = CF, .group = "server",
     .summary = "Get array of Redis command details", .since = "2.8.13",
     .complexity = "O(N) where N is the total number of Redis commands",
     .acl = "slow connection", .subs = command_subs},
    {.name = NULL},
};

/* ---- reference documentation (see the top of the file for the notation) ---- */

static const doc_row docs[] = {
    {"acl", NULL, "", "", "", NULL, NULL, ""},
    {"acl|cat", "?categoryname:string", "", "", "", NULL, NULL, ""},
    {"acl|deluser", "*username:string", "", "", "", NULL, NULL, ""},
    {"acl|dryrun", "username:string command:string ?*arg:string", "", "", "", NULL, NULL, ""},
    {"acl|genpass", "?bits:integer", "", "", "", NULL, NULL, ""},
    {"acl|getuser", "username:string", "", "", "", NULL, NULL, ""},
    {"acl|help", NULL, "", "", "", NULL, NULL, ""},
    {"acl|list", NULL, "", "", "", NULL, NULL, ""},
    {"acl|load", NULL, "", "", "", NULL, NULL, ""},
    {"acl|log", "?operation(count:integer|!RESET)", "", "", "", NULL, NULL, ""},
    {"acl|save", NULL, "", "", "", NULL, NULL, ""},
    {"acl|setuser", "username:string ?*rule:string", "", "", "", NULL, NULL, ""},
    {"acl|users", NULL, "", "", "", NULL, NULL, ""},
    {"acl|whoami", NULL, "", "", "", NULL, NULL, ""},
    {"append", "key:key#0 value:string", "RW,insert/i1/r0,1,0", "", "", NULL, NULL, ""},
    {"asking", NULL, "", "", "", NULL, NULL, ""},
    {"auth", "?username:string^6.0.0 password:string", "", "", "", NULL, NULL, ""},
    {"bgrewriteaof", NULL, "", "", "", NULL, NULL, "no_async_loading"},
    {"bgsave", "?!SCHEDULE^3.2.2", "", "", "", NULL, NULL, "no_async_loading"},
    {"bitcount",
     "key:key#0 ?index{start:integer end:integer ?index_unit(!BYTE|!BIT)^7.0.0}",
     "RO,access/i1/r0,1,0", "", "", NULL, NULL, ""},
    {"bitfield",
     "key:key#0 ?*operation(encoding_offset{encoding:string offset:integer}=GET|write{?wrap_sa"
     "t_fail(!WRAP|!SAT|!FAIL)=OVERFLOW write_operation(encoding_offset_value{encoding:string "
     "offset:integer value:integer}=SET|encoding_offset_increment{encoding:string offset:integ"
     "er increment:integer}=INCRBY)})",
     "RW,access,update,variable_flags/i1/r0,1,0/This command allows both access and modificati"
     "on of the key",
     "", "", NULL, NULL, ""},
    {"bitfield_ro",
     "key:key#0 ?*+encoding_offset{encoding:string offset:integer}=GET", "RO,access/i1/r0,1,0", "",
     "", NULL, NULL, ""},
    {"bitop",
     "operation:string destkey:key#0 *key:key#1", "OW,update/i2/r0,1,0;RO,access/i3/r-1,1,0", "",
     "", NULL, NULL, ""},
    {"bitpos",
     "key:key#0 bit:integer ?index{start:integer ?end_index{end:integer ?index_unit(!BYTE|!BIT"
     ")^7.0.0}}",
     "RO,access/i1/r0,1,0", "", "", NULL, NULL, ""},
    {"blmove",
     "source:key#0 destination:key#1 wherefrom(!LEFT|!RIGHT) whereto(!LEFT|!RIGHT) timeout:dou"
     "ble",
     "RW,access,delete/i1/r0,1,0;RW,insert/i2/r0,1,0", "", "", NULL, NULL, ""},
    {"blmpop",
     "timeout:double numkeys:integer *key:key#0 where(!LEFT|!RIGHT) ?count:integer=COUNT",
     "RW,access,delete/i2/n0,1,1", "", "", NULL, NULL, ""},
    {"blpop", "*key:key#0 timeout:double", "RW,access,delete/i1/r-2,1,0", "", "", NULL, NULL, ""},
    {"brpop", "*key:key#0 timeout:double", "RW,access,delete/i1/r-2,1,0", "", "", NULL, NULL, ""},
    {"brpoplpush",
     "source:key#0 destination:key#1 timeout:double",
     "RW,access,delete/i1/r0,1,0;RW,insert/i2/r0,1,0", "", "deprecated", "6.2.0",
     "`BLMOVE` with the `RIGHT` and `LEFT` arguments", ""},
    {"bzmpop",
     "timeout:double numkeys:integer *key:key#0 where(!MIN|!MAX) ?count:integer=COUNT",
     "RW,access,delete/i2/n0,1,1", "", "", NULL, NULL, ""},
    {"bzpopmax",
     "*key:key#0 timeout:double", "RW,access,delete/i1/r-2,1,0", "", "", NULL, NULL, ""},
    {"bzpopmin",
     "*key:key#0 timeout:double", "RW,access,delete/i1/r-2,1,0", "", "", NULL, NULL, ""},
    {"client", NULL, "", "", "", NULL, NULL, ""},
    {"client|caching", "mode(!YES|!NO)", "", "", "", NULL, NULL, ""},
    {"client|getname", NULL, "", "", "", NULL, NULL, ""},
    {"client|getredir", NULL, "", "", "", NULL, NULL, ""},
    {"client|help", NULL, "", "", "", NULL, NULL, ""},
    {"client|id", NULL, "", "", "", NULL, NULL, ""},
    {"client|info", NULL, "", "nondeterministic_output", "", NULL, NULL, ""},
    {"client|kill",
     "filter(ip%3Aport:string&2.8.12|*new-format(?client-id:integer=ID^2.8.12|?normal_master_s"
     "lave_pubsub(!NORMAL|!MASTER^3.2.0|!SLAVE|!REPLICA^5.0.0|!PUBSUB)=TYPE^2.8.12|?username:s"
     "tring=USER|?ip%3Aport:string=ADDR|?ip%3Aport:string=LADDR^6.2.0|?yes/no:string=SKIPME))",
     "", "", "", NULL, NULL, ""},
    {"client|list",
     "?normal_master_replica_pubsub(!NORMAL|!MASTER|!REPLICA|!PUBSUB)=TYPE^5.0.0 ?id{*client-i"
     "d:integer}=ID^6.2.0",
     "", "nondeterministic_output", "", NULL, NULL, ""},
    {"client|no-evict", "enabled(!ON|!OFF)", "", "", "", NULL, NULL, ""},
    {"client|pause", "timeout:integer ?mode(!WRITE|!ALL)^6.2.0", "", "", "", NULL, NULL, ""},
    {"client|reply", "on_off_skip(!ON|!OFF|!SKIP)", "", "", "", NULL, NULL, ""},
    {"client|setname", "connection-name:string", "", "", "", NULL, NULL, ""},
    {"client|tracking",
     "status(!ON|!OFF) ?client-id:integer=REDIRECT ?*+prefix:string=PREFIX ?!BCAST ?!OPTIN ?!O"
     "PTOUT ?!NOLOOP",
     "", "", "", NULL, NULL, ""},
    {"client|trackinginfo", NULL, "", "", "", NULL, NULL, ""},
    {"client|unblock",
     "client-id:integer ?timeout_error(!TIMEOUT|!ERROR)", "", "", "", NULL, NULL, ""},
    {"client|unpause", NULL, "", "", "", NULL, NULL, ""},
    {"cluster", NULL, "", "", "", NULL, NULL, ""},
    {"cluster|addslots", "*slot:integer", "", "", "", NULL, NULL, "no_async_loading"},
    {"cluster|addslotsrange",
     "*start-slot_end-slot{start-slot:integer end-slot:integer}", "", "", "", NULL, NULL,
     "no_async_loading"},
    {"cluster|bumpepoch", NULL, "", "nondeterministic_output", "", NULL, NULL, "no_async_loading"},
    {"cluster|count-failure-reports",
     "node-id:string", "", "nondeterministic_output", "", NULL, NULL, ""},
    {"cluster|countkeysinslot", "slot:integer", "", "", "", NULL, NULL, ""},
    {"cluster|delslots", "*slot:integer", "", "", "", NULL, NULL, "no_async_loading"},
    {"cluster|delslotsrange",
     "*start-slot_end-slot{start-slot:integer end-slot:integer}", "", "", "", NULL, NULL,
     "no_async_loading"},
    {"cluster|failover", "?options(!FORCE|!TAKEOVER)", "", "", "", NULL, NULL, "no_async_loading"},
    {"cluster|flushslots", NULL, "", "", "", NULL, NULL, "no_async_loading"},
    {"cluster|forget", "node-id:string", "", "", "", NULL, NULL, "no_async_loading"},
    {"cluster|getkeysinslot",
     "slot:integer count:integer", "", "nondeterministic_output", "", NULL, NULL, ""},
    {"cluster|help", NULL, "", "", "", NULL, NULL, ""},
    {"cluster|info", NULL, "", "nondeterministic_output", "", NULL, NULL, ""},
    {"cluster|keyslot", "key:string", "", "", "", NULL, NULL, ""},
    {"cluster|links", NULL, "", "nondeterministic_output", "", NULL, NULL, ""},
    {"cluster|meet",
     "ip:string port:integer ?cluster_bus_port:integer^4.0.0", "", "", "", NULL, NULL,
     "no_async_loading"},
    {"cluster|myid", NULL, "", "", "", NULL, NULL, ""},
    {"cluster|nodes", NULL, "", "nondeterministic_output", "", NULL, NULL, ""},
    {"cluster|replicas", "node-id:string", "", "nondeterministic_output", "", NULL, NULL, ""},
    {"cluster|replicate", "node-id:string", "", "", "", NULL, NULL, "no_async_loading"},
    {"cluster|reset", "?hard_soft(!HARD|!SOFT)", "", "", "", NULL, NULL, ""},
    {"cluster|saveconfig", NULL, "", "", "", NULL, NULL, "no_async_loading"},
    {"cluster|set-config-epoch",
     "config-epoch:integer", "", "", "", NULL, NULL, "no_async_loading"},
    {"cluster|setslot",
     "slot:integer subcommand(node-id:string=IMPORTING|node-id:string=MIGRATING|node-id:string"
     "=NODE|!STABLE)",
     "", "", "", NULL, NULL, "no_async_loading"},
    {"cluster|shards", NULL, "", "nondeterministic_output", "", NULL, NULL, ""},
    {"cluster|slaves",
     "node-id:string", "", "nondeterministic_output", "deprecated", "5.0.0", "`CLUSTER REPLICAS`",
     ""},
    {"cluster|slots",
     NULL, "", "nondeterministic_output", "deprecated", "7.0.0", "`CLUSTER SHARDS`", ""},
    {"command", NULL, "", "nondeterministic_output_order", "", NULL, NULL, ""},
    {"command|count", NULL, "", "", "", NULL, NULL, ""},
    {"command|docs",
     "?*command-name:string", "", "nondeterministic_output_order", "", NULL, NULL, ""},
    {"command|getkeys", NULL, "", "", "", NULL, NULL, ""},
    {"command|getkeysandflags", NULL, "", "", "", NULL, NULL, ""},
    {"command|help", NULL, "", "", "", NULL, NULL, ""},
    {"command|info",
     "?*command-name:string", "", "nondeterministic_output_order", "", NULL, NULL, ""},
    {"command|list",
     "?filterby(module-name:string=MODULE|category:string=ACLCAT|pattern:pattern=PATTERN)=FILT"
     "ERBY",
     "", "nondeterministic_output_order", "", NULL, NULL, ""},
    {"config", NULL, "", "", "", NULL, NULL, ""},
    {"config|get", "*parameter{parameter:string}", "", "", "", NULL, NULL, ""},
    {"config|help", NULL, "", "", "", NULL, NULL, ""},
    {"config|resetstat", NULL, "", "", "", NULL, NULL, ""},
    {"config|rewrite", NULL, "", "", "", NULL, NULL, ""},
    {"config|set",
     "*parameter_value{parameter:string value:string}", "",
     "request_policy:all_nodes response_policy:all_succeeded", "", NULL, NULL, ""},
    {"copy",
     "source:key#0 destination:key#1 ?destination-db:integer=DB ?!REPLACE",
     "RO,access/i1/r0,1,0;OW,update/i2/r0,1,0", "", "", NULL, NULL, ""},
    {"dbsize", NULL, "", "request_policy:all_shards response_policy:agg_sum", "", NULL, NULL, ""},
    {"debug", NULL, "", "", "syscmd", NULL, NULL, ""},
    {"decr", "key:key#0", "RW,access,update/i1/r0,1,0", "", "", NULL, NULL, ""},
    {"decrby",
     "key:key#0 decrement:integer", "RW,access,update/i1/r0,1,0", "", "", NULL, NULL, ""},
    {"del",
     "*key:key#0", "RM,delete/i1/r-1,1,0", "request_policy:multi_shard response_policy:agg_sum",
     "", NULL, NULL, ""},
    {"discard", NULL, "", "", "", NULL, NULL, ""},
    {"dump", "key:key#0", "RO,access/i1/r0,1,0", "nondeterministic_output", "", NULL, NULL, ""},
    {"echo", "message:string", "", "", "", NULL, NULL, ""},
    {"eval",
     "script:string numkeys:integer ?*key:key#0 ?*arg:string",
     "RW,access,update/i2/n0,1,1/We cannot tell how the keys will be used so we assume the wor"
     "st, RW and UPDATE",
     "", "", NULL, NULL, ""},
    {"eval_ro",
     "script:string numkeys:integer ?*key:key#0 ?*arg:string",
     "RO,access/i2/n0,1,1/We cannot tell how the keys will be used so we assume the worst, RO "
     "and ACCESS",
     "", "", NULL, NULL, ""},
    {"evalsha",
     "sha1:string numkeys:integer ?*key:key#0 ?*arg:string", "RW,access,update/i2/n0,1,1", "", "",
     NULL, NULL, ""},
    {"evalsha_ro",
     "sha1:string numkeys:integer ?*key:key#0 ?*arg:string", "RO,access/i2/n0,1,1", "", "", NULL,
     NULL, ""},
    {"exec", NULL, "", "", "", NULL, NULL, ""},
    {"exists",
     "*key:key#0", "RO/i1/r-1,1,0", "request_policy:multi_shard response_policy:agg_sum", "", NULL,
     NULL, ""},
    {"expire",
     "key:key#0 seconds:integer ?condition(!NX|!XX|!GT|!LT)^7.0.0", "RW,update/i1/r0,1,0", "", "",
     NULL, NULL, ""},
    {"expireat",
     "key:key#0 unix-time-seconds:unix-time ?condition(!NX|!XX|!GT|!LT)^7.0.0",
     "RW,update/i1/r0,1,0", "", "", NULL, NULL, ""},
    {"expiretime", "key:key#0", "RO,access/i1/r0,1,0", "", "", NULL, NULL, ""},
    {"failover",
     "?target{host:string port:integer ?!FORCE}=TO ?!ABORT ?milliseconds:integer=TIMEOUT", "", "",
     "", NULL, NULL, ""},
    {"fcall",
     "function:string numkeys:integer ?*key:key#0 ?*arg:string",
     "RW,access,update/i2/n0,1,1/We cannot tell how the keys will be used so we assume the wor"
     "st, RW and UPDATE",
     "", "", NULL, NULL, ""},
    {"fcall_ro",
     "function:string numkeys:integer ?*key:key#0 ?*arg:string",
     "RO,access/i2/n0,1,1/We cannot tell how the keys will be used so we assume the worst, RO "
     "and ACCESS",
     "", "", NULL, NULL, ""},
    {"flushall",
     "?async(!ASYNC^4.0.0|!SYNC^6.2.0)", "",
     "request_policy:all_shards response_policy:all_succeeded", "", NULL, NULL, ""},
    {"flushdb",
     "?async(!ASYNC^4.0.0|!SYNC^6.2.0)", "",
     "request_policy:all_shards response_policy:all_succeeded", "", NULL, NULL, ""},
    {"function", NULL, "", "", "", NULL, NULL, ""},
    {"function|delete",
     "library-name:string", "", "request_policy:all_shards response_policy:all_succeeded", "",
     NULL, NULL, ""},
    {"function|dump", NULL, "", "", "", NULL, NULL, ""},
    {"function|flush",
     "?async(!ASYNC|!SYNC)", "", "request_policy:all_shards response_policy:all_succeeded", "",
     NULL, NULL, ""},
    {"function|help", NULL, "", "", "", NULL, NULL, ""},
    {"function|kill",
     NULL, "", "request_policy:all_shards response_policy:one_succeeded", "", NULL, NULL, ""},
    {"function|list",
     "?library-name-pattern:string=LIBRARYNAME ?!WITHCODE", "", "nondeterministic_output_order",
     "", NULL, NULL, ""},
    {"function|load",
     "?!REPLACE function-code:string", "",
     "request_policy:all_shards response_policy:all_succeeded", "", NULL, NULL, ""},
    {"function|restore",
     "serialized-value:string ?policy(!FLUSH|!APPEND|!REPLACE)", "",
     "request_policy:all_shards response_policy:all_succeeded", "", NULL, NULL, ""},
    {"function|stats",
     NULL, "", "nondeterministic_output request_policy:all_shards response_policy:special", "",
     NULL, NULL, ""},
    {"geoadd",
     "key:key#0 ?condition(!NX|!XX)^6.2.0 ?!CH@change^6.2.0 *longitude_latitude_member{longitu"
     "de:double latitude:double member:string}",
     "RW,update/i1/r0,1,0", "", "", NULL, NULL, ""},
    {"geodist",
     "key:key#0 member1:string member2:string ?unit(!M|!KM|!FT|!MI)", "RO,access/i1/r0,1,0", "",
     "", NULL, NULL, ""},
    {"geohash", "key:key#0 *member:string", "RO,access/i1/r0,1,0", "", "", NULL, NULL, ""},
    {"geopos", "key:key#0 *member:string", "RO,access/i1/r0,1,0", "", "", NULL, NULL, ""},
    {"georadius",
     "key:key#0 longitude:double latitude:double radius:double unit(!M|!KM|!FT|!MI) ?!WITHCOOR"
     "D ?!WITHDIST ?!WITHHASH ?count{count:integer=COUNT ?!ANY^6.2.0} ?order(!ASC|!DESC) ?key:"
     "key#1=STORE ?key:key#2=STOREDIST",
     "RO,access/i1/r0,1,0;OW,update/kSTORE,6/r0,1,0;OW,update/kSTOREDIST,6/r0,1,0", "",
     "deprecated", "6.2.0", "`GEOSEARCH` and `GEOSEARCHSTORE` with the `BYRADIUS` argument", ""},
    {"georadius_ro",
     "key:key#0 longitude:double latitude:double radius:double unit(!M|!KM|!FT|!MI) ?!WITHCOOR"
     "D ?!WITHDIST ?!WITHHASH ?count{count:integer=COUNT ?!ANY^6.2.0} ?order(!ASC|!DESC)",
     "RO,access/i1/r0,1,0", "", "deprecated", "6.2.0", "`GEOSEARCH` with the `BYRADIUS` argument",
     ""},
    {"georadiusbymember",
     "key:key#0 member:string radius:double unit(!M|!KM|!FT|!MI) ?!WITHCOORD ?!WITHDIST ?!WITH"
     "HASH ?count{count:integer=COUNT ?!ANY} ?order(!ASC|!DESC) ?key:key#1=STORE ?key:key#2=ST"
     "OREDIST",
     "RO,access/i1/r0,1,0;OW,update/kSTORE,5/r0,1,0;OW,update/kSTOREDIST,5/r0,1,0", "",
     "deprecated", "6.2.0",
     "`GEOSEARCH` and `GEOSEARCHSTORE` with the `BYRADIUS` and `FROMMEMBER` arguments", ""},
    {"georadiusbymember_ro",
     "key:key#0 member:string radius:double unit(!M|!KM|!FT|!MI) ?!WITHCOORD ?!WITHDIST ?!WITH"
     "HASH ?count{count:integer=COUNT ?!ANY} ?order(!ASC|!DESC)",
     "RO,access/i1/r0,1,0", "", "deprecated", "6.2.0",
     "`GEOSEARCH` with the `BYRADIUS` and `FROMMEMBER` arguments", ""},
    {"geosearch",
     "key:key#0 from(member:string=FROMMEMBER|longitude_latitude{longitude:double latitude:dou"
     "ble}=FROMLONLAT) by(circle{radius:double=BYRADIUS unit(!M|!KM|!FT|!MI)}|box{width:double"
     "=BYBOX height:double unit(!M|!KM|!FT|!MI)}) ?order(!ASC|!DESC) ?count{count:integer=COUN"
     "T ?!ANY} ?!WITHCOORD ?!WITHDIST ?!WITHHASH",
     "RO,access/i1/r0,1,0", "", "", NULL, NULL, ""},
    {"geosearchstore",
     "destination:key#0 source:key#1 from(member:string=FROMMEMBER|longitude_latitude{longitud"
     "e:double latitude:double}=FROMLONLAT) by(circle{radius:double=BYRADIUS unit(!M|!KM|!FT|!"
     "MI)}|box{width:double=BYBOX height:double unit(!M|!KM|!FT|!MI)}) ?order(!ASC|!DESC) ?cou"
     "nt{count:integer=COUNT ?!ANY} ?!STOREDIST",
     "OW,update/i1/r0,1,0;RO,access/i2/r0,1,0", "", "", NULL, NULL, ""},
    {"get", "key:key#0", "RO,access/i1/r0,1,0", "", "", NULL, NULL, ""},
    {"getbit", "key:key#0 offset:integer", "RO,access/i1/r0,1,0", "", "", NULL, NULL, ""},
    {"getdel", "key:key#0", "RW,access,delete/i1/r0,1,0", "", "", NULL, NULL, ""},
    {"getex",
     "key:key#0 ?expiration(seconds:integer=EX|milliseconds:integer=PX|unix-time-seconds:unix-"
     "time=EXAT|unix-time-milliseconds:unix-time=PXAT|!PERSIST)",
     "RW,access,update/i1/r0,1,0/RW and UPDATE because it changes the TTL", "", "", NULL, NULL,
     ""},
    {"getrange",
     "key:key#0 start:integer end:integer", "RO,access/i1/r0,1,0", "", "", NULL, NULL, ""},
    {"getset",
     "key:key#0 value:string", "RW,access,update/i1/r0,1,0", "", "deprecated", "6.2.0",
     "`SET` with the `!GET` argument", ""},
    {"hdel", "key:key#0 *field:string", "RW,delete/i1/r0,1,0", "", "", NULL, NULL, ""},
    {"hello",
     "?arguments{protover:integer ?username_password{username:string password:string}=AUTH ?cl"
     "ientname:string=SETNAME}",
     "", "", "", NULL, NULL, ""},
    {"hexists", "key:key#0 field:string", "RO/i1/r0,1,0", "", "", NULL, NULL, ""},
    {"hget", "key:key#0 field:string", "RO,access/i1/r0,1,0", "", "", NULL, NULL, ""},
    {"hgetall",
     "key:key#0", "RO,access/i1/r0,1,0", "nondeterministic_output_order", "", NULL, NULL, ""},
    {"hincrby",
     "key:key#0 field:string increment:integer", "RW,access,update/i1/r0,1,0", "", "", NULL, NULL,
     ""},
    {"hincrbyfloat",
     "key:key#0 field:string increment:double", "RW,access,update/i1/r0,1,0", "", "", NULL, NULL,
     ""},
    {"hkeys",
     "key:key#0", "RO,access/i1/r0,1,0", "nondeterministic_output_order", "", NULL, NULL, ""},
    {"hlen", "key:key#0", "RO/i1/r0,1,0", "", "", NULL, NULL, ""},
    {"hmget", "key:key#0 *field:string", "RO,access/i1/r0,1,0", "", "", NULL, NULL, ""},
    {"hmset",
     "key:key#0 *field_value{field:string value:string}", "RW,update/i1/r0,1,0", "", "deprecated",
     "4.0.0", "`HSET` with multiple field-value pairs", ""},
    {"hrandfield",
     "key:key#0 ?options{count:integer ?!WITHVALUES}", "RO,access/i1/r0,1,0",
     "nondeterministic_output", "", NULL, NULL, ""},
    {"hscan",
     "key:key#0 cursor:integer ?pattern:pattern=MATCH ?count:integer=COUNT", "RO,access/i1/r0,1,0",
     "nondeterministic_output", "", NULL, NULL, ""},
    {"hset",
     "key:key#0 *field_value{field:string value:string}", "RW,update/i1/r0,1,0", "", "", NULL,
     NULL, ""},
    {"hsetnx",
     "key:key#0 field:string value:string", "RW,insert/i1/r0,1,0", "", "", NULL, NULL, ""},
    {"hstrlen", "key:key#0 field:string", "RO/i1/r0,1,0", "", "", NULL, NULL, ""},
    {"hvals",
     "key:key#0", "RO,access/i1/r0,1,0", "nondeterministic_output_order", "", NULL, NULL, ""},
    {"incr", "key:key#0", "RW,access,update/i1/r0,1,0", "", "", NULL, NULL, ""},
    {"incrby",
     "key:key#0 increment:integer", "RW,access,update/i1/r0,1,0", "", "", NULL, NULL, ""},
    {"incrbyfloat",
     "key:key#0 increment:double", "RW,access,update/i1/r0,1,0", "", "", NULL, NULL, ""},
    {"info",
     "?*section:string", "",
     "nondeterministic_output request_policy:all_shards response_policy:special", "", NULL, NULL,
     ""},
    {"keys",
     "pattern:pattern", "", "request_policy:all_shards nondeterministic_output_order", "", NULL,
     NULL, ""},
    {"lastsave", NULL, "", "nondeterministic_output", "", NULL, NULL, ""},
    {"latency", NULL, "", "", "", NULL, NULL, ""},
    {"latency|doctor",
     NULL, "", "nondeterministic_output request_policy:all_nodes response_policy:special", "",
     NULL, NULL, ""},
    {"latency|graph",
     "event:string", "",
     "nondeterministic_output request_policy:all_nodes response_policy:special", "", NULL, NULL,
     ""},
    {"latency|help", NULL, "", "", "", NULL, NULL, ""},
    {"latency|histogram",
     "?*command:string", "",
     "nondeterministic_output request_policy:all_nodes response_policy:special", "", NULL, NULL,
     ""},
    {"latency|history",
     "event:string", "",
     "nondeterministic_output request_policy:all_nodes response_policy:special", "", NULL, NULL,
     ""},
    {"latency|latest",
     NULL, "", "nondeterministic_output request_policy:all_nodes response_policy:special", "",
     NULL, NULL, ""},
    {"latency|reset",
     "?*event:string", "", "request_policy:all_nodes response_policy:all_succeeded", "", NULL,
     NULL, ""},
    {"lcs",
     "key1:key#0 key2:key#0 ?!LEN ?!IDX ?len:integer=MINMATCHLEN ?!WITHMATCHLEN",
     "RO,access/i1/r1,1,0", "", "", NULL, NULL, ""},
    {"lindex", "key:key#0 index:integer", "RO,access/i1/r0,1,0", "", "", NULL, NULL, ""},
    {"linsert",
     "key:key#0 where(!BEFORE|!AFTER) pivot:string element:string", "RW,insert/i1/r0,1,0", "", "",
     NULL, NULL, ""},
    {"llen", "key:key#0", "RO/i1/r0,1,0", "", "", NULL, NULL, ""},
    {"lmove",
     "source:key#0 destination:key#1 wherefrom(!LEFT|!RIGHT) whereto(!LEFT|!RIGHT)",
     "RW,access,delete/i1/r0,1,0;RW,insert/i2/r0,1,0", "", "", NULL, NULL, ""},
    {"lmpop",
     "numkeys:integer *key:key#0 where(!LEFT|!RIGHT) ?count:integer=COUNT",
     "RW,access,delete/i1/n0,1,1", "", "", NULL, NULL, ""},
    {"lolwut", "?version:integer=VERSION", "", "", "", NULL, NULL, ""},
    {"lpop",
     "key:key#0 ?count:integer^6.2.0", "RW,access,delete/i1/r0,1,0", "", "", NULL, NULL, ""},
    {"lpos",
     "key:key#0 element:string ?rank:integer=RANK ?num-matches:integer=COUNT ?len:integer=MAXL"
     "EN",
     "RO,access/i1/r0,1,0", "", "", NULL, NULL, ""},
    {"lpush", "key:key#0 *element:string", "RW,insert/i1/r0,1,0", "", "", NULL, NULL, ""},
    {"lpushx", "key:key#0 *element:string", "RW,insert/i1/r0,1,0", "", "", NULL, NULL, ""},
    {"lrange",
     "key:key#0 start:integer stop:integer", "RO,access/i1/r0,1,0", "", "", NULL, NULL, ""},
    {"lrem",
     "key:key#0 count:integer element:string", "RW,delete/i1/r0,1,0", "", "", NULL, NULL, ""},
    {"lset",
     "key:key#0 index:integer element:string", "RW,update/i1/r0,1,0", "", "", NULL, NULL, ""},
    {"ltrim",
     "key:key#0 start:integer stop:integer", "RW,delete/i1/r0,1,0", "", "", NULL, NULL, ""},
    {"memory", NULL, "", "", "", NULL, NULL, ""},
    {"memory|doctor",
     NULL, "", "nondeterministic_output request_policy:all_shards response_policy:special", "",
     NULL, NULL, ""},
    {"memory|help", NULL, "", "", "", NULL, NULL, ""},
    {"memory|malloc-stats",
     NULL, "", "nondeterministic_output request_policy:all_shards response_policy:special", "",
     NULL, NULL, ""},
    {"memory|purge",
     NULL, "", "request_policy:all_shards response_policy:all_succeeded", "", NULL, NULL, ""},
    {"memory|stats",
     NULL, "", "nondeterministic_output request_policy:all_shards response_policy:special", "",
     NULL, NULL, ""},
    {"memory|usage", "key:key#0 ?count:integer=SAMPLES", "RO/i2/r0,1,0", "", "", NULL, NULL, ""},
    {"mget",
     "*key:key#0", "RO,access/i1/r-1,1,0", "request_policy:multi_shard", "", NULL, NULL, ""},
    {"migrate",
     "host:string port:integer key_or_empty_string(key:key#0|!@empty_string) destination-db:in"
     "teger timeout:integer ?!COPY^3.0.0 ?!REPLACE^3.0.0 ?authentication(?password:string=AUTH"
     "^4.0.7|?username_password{username:string password:string}=AUTH2^6.0.0) ?*key:key#1=KEYS"
     "^3.0.6",
     "RW,access,delete/i3/r0,1,0;RW,access,delete,incomplete/kKEYS,-2/r-1,1,0",
     "nondeterministic_output", "", NULL, NULL, ""},
    {"module", NULL, "", "", "", NULL, NULL, ""},
    {"module|help", NULL, "", "", "", NULL, NULL, ""},
    {"module|list", NULL, "", "nondeterministic_output_order", "", NULL, NULL, ""},
    {"module|load", "path:string ?*arg:string", "", "", "", NULL, NULL, "no_async_loading"},
    {"module|loadex",
     "path:string ?*+configs{name:string value:string}=CONFIG ?*args{arg:string}=ARGS", "", "", "",
     NULL, NULL, "no_async_loading"},
    {"module|unload", "name:string", "", "", "", NULL, NULL, "no_async_loading"},
    {"monitor", NULL, "", "", "", NULL, NULL, ""},
    {"move", "key:key#0 db:integer", "RW,access,update/i1/r0,1,0", "", "", NULL, NULL, ""},
    {"mset",
     "*key_value{key:key#0 value:string}", "OW,update/i1/r-1,2,0",
     "request_policy:multi_shard response_policy:all_succeeded", "", NULL, NULL, ""},
    {"msetnx",
     "*key_value{key:key#0 value:string}", "OW,insert/i1/r-1,2,0",
     "request_policy:multi_shard response_policy:agg_min", "", NULL, NULL, ""},
    {"multi", NULL, "", "", "", NULL, NULL, ""},
    {"object", NULL, "", "", "", NULL, NULL, ""},
    {"object|encoding",
     "key:key#0", "RO/i2/r0,1,0", "nondeterministic_output", "", NULL, NULL, ""},
    {"object|freq", "key:key#0", "RO/i2/r0,1,0", "nondeterministic_output", "", NULL, NULL, ""},
    {"object|help", NULL, "", "", "", NULL, NULL, ""},
    {"object|idletime",
     "key:key#0", "RO/i2/r0,1,0", "nondeterministic_output", "", NULL, NULL, ""},
    {"object|refcount",
     "key:key#0", "RO/i2/r0,1,0", "nondeterministic_output", "", NULL, NULL, ""},
    {"persist", "key:key#0", "RW,update/i1/r0,1,0", "", "", NULL, NULL, ""},
    {"pexpire",
     "key:key#0 milliseconds:integer ?condition(!NX|!XX|!GT|!LT)^7.0.0", "RW,update/i1/r0,1,0", "",
     "", NULL, NULL, ""},
    {"pexpireat",
     "key:key#0 unix-time-milliseconds:unix-time ?condition(!NX|!XX|!GT|!LT)^7.0.0",
     "RW,update/i1/r0,1,0", "", "", NULL, NULL, ""},
    {"pexpiretime", "key:key#0", "RO,access/i1/r0,1,0", "", "", NULL, NULL, ""},
    {"pfadd", "key:key#0 ?*element:string", "RW,insert/i1/r0,1,0", "", "", NULL, NULL, ""},
    {"pfcount",
     "*key:key#0",
     "RW,access/i1/r-1,1,0/RW because it may change the internal representation of the key, an"
     "d propagate to replicas",
     "", "", NULL, NULL, ""},
    {"pfdebug",
     "subcommand:string key:key#0", "RW,access/i2/r0,1,0", "", "syscmd", NULL, NULL, ""},
    {"pfmerge",
     "destkey:key#0 *sourcekey:key#1", "RW,access,insert/i1/r0,1,0;RO,access/i2/r-1,1,0", "", "",
     NULL, NULL, ""},
    {"pfselftest", NULL, "", "", "syscmd", NULL, NULL, ""},
    {"ping",
     "?message:string", "", "request_policy:all_shards response_policy:all_succeeded", "", NULL,
     NULL, ""},
    {"psetex",
     "key:key#0 milliseconds:integer value:string", "OW,update/i1/r0,1,0", "", "", NULL, NULL, ""},
    {"psubscribe", "*pattern{pattern:pattern}", "", "", "", NULL, NULL, ""},
    {"psync", "replicationid:string offset:integer", "", "", "", NULL, NULL, "no_async_loading"},
    {"pttl", "key:key#0", "RO,access/i1/r0,1,0", "nondeterministic_output", "", NULL, NULL, ""},
    {"publish", "channel:string message:string", "", "", "", NULL, NULL, ""},
    {"pubsub", NULL, "", "", "", NULL, NULL, ""},
    {"pubsub|channels", "?pattern:pattern", "", "", "", NULL, NULL, ""},
    {"pubsub|help", NULL, "", "", "", NULL, NULL, ""},
    {"pubsub|numpat", NULL, "", "", "", NULL, NULL, ""},
    {"pubsub|numsub", "?*channel:string", "", "", "", NULL, NULL, ""},
    {"pubsub|shardchannels", "?pattern:pattern", "", "", "", NULL, NULL, ""},
    {"pubsub|shardnumsub", "?*shardchannel:string", "", "", "", NULL, NULL, ""},
    {"punsubscribe", "?*pattern:pattern", "", "", "", NULL, NULL, ""},
    {"quit", NULL, "", "", "", NULL, NULL, ""},
    {"randomkey",
     NULL, "", "request_policy:all_shards nondeterministic_output", "", NULL, NULL, ""},
    {"readonly", NULL, "", "", "", NULL, NULL, ""},
    {"readwrite", NULL, "", "", "", NULL, NULL, ""},
    {"rename",
     "key:key#0 newkey:key#1", "RW,access,delete/i1/r0,1,0;OW,update/i2/r0,1,0", "", "", NULL,
     NULL, ""},
    {"renamenx",
     "key:key#0 newkey:key#1", "RW,access,delete/i1/r0,1,0;OW,insert/i2/r0,1,0", "", "", NULL,
     NULL, ""},
    {"replconf", NULL, "", "", "syscmd", NULL, NULL, ""},
    {"replicaof",
     "args(host-port{host:string port:integer}|no-one{!NO !ONE})", "", "", "", NULL, NULL,
     "no_async_loading"},
    {"reset", NULL, "", "", "", NULL, NULL, ""},
    {"restore",
     "key:key#0 ttl:integer serialized-value:string ?!REPLACE^3.0.0 ?!ABSTTL^5.0.0 ?seconds:in"
     "teger=IDLETIME^5.0.0 ?frequency:integer=FREQ^5.0.0",
     "OW,update/i1/r0,1,0", "", "", NULL, NULL, ""},
    {"restore-asking",
     "key:key#0 ttl:integer serialized-value:string ?!REPLACE^3.0.0 ?!ABSTTL^5.0.0 ?seconds:in"
     "teger=IDLETIME^5.0.0 ?frequency:integer=FREQ^5.0.0",
     "OW,update/i1/r0,1,0", "", "syscmd", NULL, NULL, "asking"},
    {"role", NULL, "", "", "", NULL, NULL, ""},
    {"rpop",
     "key:key#0 ?count:integer^6.2.0", "RW,access,delete/i1/r0,1,0", "", "", NULL, NULL, ""},
    {"rpoplpush",
     "source:key#0 destination:key#1", "RW,access,delete/i1/r0,1,0;RW,insert/i2/r0,1,0", "",
     "deprecated", "6.2.0", "`LMOVE` with the `RIGHT` and `LEFT` arguments", ""},
    {"rpush", "key:key#0 *element:string", "RW,insert/i1/r0,1,0", "", "", NULL, NULL, ""},
    {"rpushx", "key:key#0 *element:string", "RW,insert/i1/r0,1,0", "", "", NULL, NULL, ""},
    {"sadd", "key:key#0 *member:string", "RW,insert/i1/r0,1,0", "", "", NULL, NULL, ""},
    {"save", NULL, "", "", "", NULL, NULL, "no_async_loading"},
    {"scan",
     "cursor:integer ?pattern:pattern=MATCH ?count:integer=COUNT ?type:string=TYPE^6.0.0", "",
     "nondeterministic_output request_policy:special", "", NULL, NULL, ""},
    {"scard", "key:key#0", "RO/i1/r0,1,0", "", "", NULL, NULL, ""},
    {"script", NULL, "", "", "", NULL, NULL, ""},
    {"script|debug", "mode(!YES|!SYNC|!NO)", "", "", "", NULL, NULL, ""},
    {"script|exists",
     "*sha1:string", "", "request_policy:all_shards response_policy:agg_logical_and", "", NULL,
     NULL, ""},
    {"script|flush",
     "?async(!ASYNC|!SYNC)^6.2.0", "", "request_policy:all_nodes response_policy:all_succeeded",
     "", NULL, NULL, ""},
    {"script|help", NULL, "", "", "", NULL, NULL, ""},
    {"script|kill",
     NULL, "", "request_policy:all_shards response_policy:one_succeeded", "", NULL, NULL, ""},
    {"script|load",
     "script:string", "", "request_policy:all_nodes response_policy:all_succeeded", "", NULL, NULL,
     ""},
    {"sdiff",
     "*key:key#0", "RO,access/i1/r-1,1,0", "nondeterministic_output_order", "", NULL, NULL, ""},
    {"sdiffstore",
     "destination:key#0 *key:key#1", "OW,update/i1/r0,1,0;RO,access/i2/r-1,1,0", "", "", NULL,
     NULL, ""},
    {"select", "index:integer", "", "", "", NULL, NULL, ""},
    {"set",
     "key:key#0 value:string ?condition(!NX|!XX)^2.6.12 ?!GET^6.2.0 ?expiration(seconds:intege"
     "r=EX^2.6.12|milliseconds:integer=PX^2.6.12|unix-time-seconds:unix-time=EXAT^6.2.0|unix-t"
     "ime-milliseconds:unix-time=PXAT^6.2.0|!KEEPTTL^6.0.0)",
     "RW,access,update,variable_flags/i1/r0,1,0/RW and ACCESS due to the optional `GET` argume"
     "nt",
     "", "", NULL, NULL, ""},
    {"setbit",
     "key:key#0 offset:integer value:integer", "RW,access,update/i1/r0,1,0", "", "", NULL, NULL,
     ""},
    {"setex",
     "key:key#0 seconds:integer value:string", "OW,update/i1/r0,1,0", "", "", NULL, NULL, ""},
    {"setnx", "key:key#0 value:string", "OW,insert/i1/r0,1,0", "", "", NULL, NULL, ""},
    {"setrange",
     "key:key#0 offset:integer value:string", "RW,update/i1/r0,1,0", "", "", NULL, NULL, ""},
    {"shutdown",
     "?nosave_save(!NOSAVE|!SAVE) ?!NOW^7.0.0 ?!FORCE^7.0.0 ?!ABORT^7.0.0", "", "", "", NULL, NULL,
     ""},
    {"sinter",
     "*key:key#0", "RO,access/i1/r-1,1,0", "nondeterministic_output_order", "", NULL, NULL, ""},
    {"sintercard",
     "numkeys:integer *key:key#0 ?limit:integer=LIMIT", "RO,access/i1/n0,1,1", "", "", NULL, NULL,
     ""},
    {"sinterstore",
     "destination:key#0 *key:key#1", "RW,update/i1/r0,1,0;RO,access/i2/r-1,1,0", "", "", NULL,
     NULL, ""},
    {"sismember", "key:key#0 member:string", "RO/i1/r0,1,0", "", "", NULL, NULL, ""},
    {"slaveof",
     "args(host-port{host:string port:integer}|no-one{!NO !ONE})", "", "", "deprecated", "5.0.0",
     "`REPLICAOF`", "no_async_loading"},
    {"slowlog", NULL, "", "", "", NULL, NULL, ""},
    {"slowlog|get",
     "?count:integer", "", "request_policy:all_nodes nondeterministic_output", "", NULL, NULL, ""},
    {"slowlog|help", NULL, "", "", "", NULL, NULL, ""},
    {"slowlog|len",
     NULL, "", "request_policy:all_nodes response_policy:agg_sum nondeterministic_output", "",
     NULL, NULL, ""},
    {"slowlog|reset",
     NULL, "", "request_policy:all_nodes response_policy:all_succeeded", "", NULL, NULL, ""},
    {"smembers",
     "key:key#0", "RO,access/i1/r0,1,0", "nondeterministic_output_order", "", NULL, NULL, ""},
    {"smismember", "key:key#0 *member:string", "RO,access/i1/r0,1,0", "", "", NULL, NULL, ""},
    {"smove",
     "source:key#0 destination:key#1 member:string",
     "RW,access,delete/i1/r0,1,0;RW,insert/i2/r0,1,0", "", "", NULL, NULL, ""},
    {"sort",
     "key:key#0 ?pattern:pattern#1=BY ?offset_count{offset:integer count:integer}=LIMIT ?*+pat"
     "tern:pattern#1=GET ?order(!ASC|!DESC) ?!ALPHA@sorting ?destination:key#2=STORE",
     "RO,access/i1/r0,1,0;RO,access/u/u/For the optional BY%2FGET keyword. It is marked 'unkno"
     "wn' because the key names derive from the content of the key we sort;OW,update/u/u/For t"
     "he optional STORE keyword. It is marked 'unknown' because the keyword can appear anywher"
     "e in the argument array",
     "", "", NULL, NULL, ""},
    {"sort_ro",
     "key:key#0 ?pattern:pattern#1=BY ?offset_count{offset:integer count:integer}=LIMIT ?*+pat"
     "tern:pattern#1=GET ?order(!ASC|!DESC) ?!ALPHA@sorting",
     "RO,access/i1/r0,1,0;RO,access/u/u/For the optional BY%2FGET keyword. It is marked 'unkno"
     "wn' because the key names derive from the content of the key we sort",
     "", "", NULL, NULL, ""},
    {"spop",
     "key:key#0 ?count:integer^3.2.0", "RW,access,delete/i1/r0,1,0", "nondeterministic_output", "",
     NULL, NULL, ""},
    {"spublish",
     "shardchannel:string message:string", "not_key/i1/r0,1,0", "", "", NULL, NULL, ""},
    {"srandmember",
     "key:key#0 ?count:integer^2.6.0", "RO,access/i1/r0,1,0", "nondeterministic_output", "", NULL,
     NULL, ""},
    {"srem", "key:key#0 *member:string", "RW,delete/i1/r0,1,0", "", "", NULL, NULL, ""},
    {"sscan",
     "key:key#0 cursor:integer ?pattern:pattern=MATCH ?count:integer=COUNT", "RO,access/i1/r0,1,0",
     "nondeterministic_output", "", NULL, NULL, ""},
    {"ssubscribe", "*shardchannel:string", "not_key/i1/r-1,1,0", "", "", NULL, NULL, ""},
    {"strlen", "key:key#0", "RO/i1/r0,1,0", "", "", NULL, NULL, ""},
    {"subscribe", "*channel:string", "", "", "", NULL, NULL, ""},
    {"substr",
     "key:key#0 start:integer end:integer", "RO,access/i1/r0,1,0", "", "deprecated", "2.0.0",
     "`GETRANGE`", ""},
    {"sunion",
     "*key:key#0", "RO,access/i1/r-1,1,0", "nondeterministic_output_order", "", NULL, NULL, ""},
    {"sunionstore",
     "destination:key#0 *key:key#1", "OW,update/i1/r0,1,0;RO,access/i2/r-1,1,0", "", "", NULL,
     NULL, ""},
    {"sunsubscribe", "?*shardchannel:string", "not_key/i1/r-1,1,0", "", "", NULL, NULL, ""},
    {"swapdb", "index1:integer index2:integer", "", "", "", NULL, NULL, ""},
    {"sync", NULL, "", "", "", NULL, NULL, "no_async_loading"},
    {"time", NULL, "", "nondeterministic_output", "", NULL, NULL, ""},
    {"touch",
     "*key:key#0", "RO/i1/r-1,1,0", "request_policy:multi_shard response_policy:agg_sum", "", NULL,
     NULL, ""},
    {"ttl", "key:key#0", "RO,access/i1/r0,1,0", "nondeterministic_output", "", NULL, NULL, ""},
    {"type", "key:key#0", "RO/i1/r0,1,0", "", "", NULL, NULL, ""},
    {"unlink",
     "*key:key#0", "RM,delete/i1/r-1,1,0", "request_policy:multi_shard response_policy:agg_sum",
     "", NULL, NULL, ""},
    {"unsubscribe", "?*channel:string", "", "", "", NULL, NULL, ""},
    {"unwatch", NULL, "", "", "", NULL, NULL, ""},
    {"wait",
     "numreplicas:integer timeout:integer", "",
     "request_policy:all_shards response_policy:agg_min", "", NULL, NULL, ""},
    {"watch", "*key:key#0", "RO/i1/r-1,1,0", "", "", NULL, NULL, ""},
    {"xack", "key:key#0 group:string *id:string", "RW,update/i1/r0,1,0", "", "", NULL, NULL, ""},
    {"xadd",
     "key:key#0 ?!NOMKSTREAM^6.2.0 ?trim{strategy(!MAXLEN|!MINID^6.2.0) ?operator(!%3D@equal|!"
     "%7E@approximately) threshold:string ?count:integer=LIMIT^6.2.0} id_or_auto(!%2A@auto_id|"
     "id:string) *field_value{field:string value:string}",
     "RW,update/i1/r0,1,0/UPDATE instead of INSERT because of the optional trimming feature",
     "nondeterministic_output", "", NULL, NULL, ""},
    {"xautoclaim",
     "key:key#0 group:string consumer:string min-idle-time:string start:string ?count:integer="
     "COUNT ?!JUSTID",
     "RW,delete/i1/r0,1,0", "nondeterministic_output", "", NULL, NULL, ""},
    {"xclaim",
     "key:key#0 group:string consumer:string min-idle-time:string *id:string ?ms:integer=IDLE "
     "?unix-time-milliseconds:unix-time=TIME ?count:integer=RETRYCOUNT ?!FORCE ?!JUSTID ?id:st"
     "ring=LASTID",
     "RW,update/i1/r0,1,0", "nondeterministic_output", "", NULL, NULL, ""},
    {"xdel", "key:key#0 *id:string", "RW,delete/i1/r0,1,0", "", "", NULL, NULL, ""},
    {"xgroup", NULL, "", "", "", NULL, NULL, ""},
    {"xgroup|create",
     "key:key#0 groupname:string id(id:string|!$@new_id) ?!MKSTREAM ?entries_read:integer=ENTR"
     "IESREAD",
     "RW,insert/i2/r0,1,0", "", "", NULL, NULL, ""},
    {"xgroup|createconsumer",
     "key:key#0 groupname:string consumername:string", "RW,insert/i2/r0,1,0", "", "", NULL, NULL,
     ""},
    {"xgroup|delconsumer",
     "key:key#0 groupname:string consumername:string", "RW,delete/i2/r0,1,0", "", "", NULL, NULL,
     ""},
    {"xgroup|destroy",
     "key:key#0 groupname:string", "RW,delete/i2/r0,1,0", "", "", NULL, NULL, ""},
    {"xgroup|help", NULL, "", "", "", NULL, NULL, ""},
    {"xgroup|setid",
     "key:key#0 groupname:string id(id:string|!$@new_id) ?entries_read:integer=ENTRIESREAD",
     "RW,update/i2/r0,1,0", "", "", NULL, NULL, ""},
    {"xinfo", NULL, "", "", "", NULL, NULL, ""},
    {"xinfo|consumers",
     "key:key#0 groupname:string", "RO,access/i2/r0,1,0", "nondeterministic_output", "", NULL,
     NULL, ""},
    {"xinfo|groups", "key:key#0", "RO,access/i2/r0,1,0", "", "", NULL, NULL, ""},
    {"xinfo|help", NULL, "", "", "", NULL, NULL, ""},
    {"xinfo|stream",
     "key:key#0 ?full{?count:integer=COUNT}=FULL", "RO,access/i2/r0,1,0", "", "", NULL, NULL, ""},
    {"xlen", "key:key#0", "RO/i1/r0,1,0", "", "", NULL, NULL, ""},
    {"xpending",
     "key:key#0 group:string ?filters{?min-idle-time:integer=IDLE^6.2.0 start:string end:strin"
     "g count:integer ?consumer:string}",
     "RO,access/i1/r0,1,0", "nondeterministic_output", "", NULL, NULL, ""},
    {"xrange",
     "key:key#0 start:string end:string ?count:integer=COUNT", "RO,access/i1/r0,1,0", "", "", NULL,
     NULL, ""},
    {"xread",
     "?count:integer=COUNT ?milliseconds:integer=BLOCK streams{*key:key#0 *id:string}=STREAMS",
     "RO,access/kSTREAMS,1/r-1,1,2", "", "", NULL, NULL, ""},
    {"xreadgroup",
     "group_consumer{group:string consumer:string}=GROUP ?count:integer=COUNT ?milliseconds:in"
     "teger=BLOCK ?!NOACK streams{*key:key#0 *id:string}=STREAMS",
     "RO,access/kSTREAMS,4/r-1,1,2", "", "", NULL, NULL, ""},
    {"xrevrange",
     "key:key#0 end:string start:string ?count:integer=COUNT", "RO,access/i1/r0,1,0", "", "", NULL,
     NULL, ""},
    {"xsetid",
     "key:key#0 last-id:string ?entries_added:integer=ENTRIESADDED^7.0.0 ?max_deleted_entry_id"
     ":string=MAXDELETEDID^7.0.0",
     "RW,update/i1/r0,1,0", "", "", NULL, NULL, ""},
    {"xtrim",
     "key:key#0 trim{strategy(!MAXLEN|!MINID^6.2.0) ?operator(!%3D@equal|!%7E@approximately) t"
     "hreshold:string ?count:integer=LIMIT^6.2.0}",
     "RW,delete/i1/r0,1,0", "nondeterministic_output", "", NULL, NULL, ""},
    {"zadd",
     "key:key#0 ?condition(!NX|!XX)^3.0.2 ?comparison(!GT|!LT)^6.2.0 ?!CH@change^3.0.2 ?!INCR@"
     "increment^3.0.2 *score_member{score:double member:string}",
     "RW,update/i1/r0,1,0", "", "", NULL, NULL, ""},
    {"zcard", "key:key#0", "RO/i1/r0,1,0", "", "", NULL, NULL, ""},
    {"zcount", "key:key#0 min:double max:double", "RO,access/i1/r0,1,0", "", "", NULL, NULL, ""},
    {"zdiff",
     "numkeys:integer *key:key#0 ?!WITHSCORES", "RO,access/i1/n0,1,1", "", "", NULL, NULL, ""},
    {"zdiffstore",
     "destination:key#0 numkeys:integer *key:key#1", "OW,update/i1/r0,1,0;RO,access/i2/n0,1,1", "",
     "", NULL, NULL, ""},
    {"zincrby",
     "key:key#0 increment:integer member:string", "RW,access,update/i1/r0,1,0", "", "", NULL, NULL,
     ""},
    {"zinter",
     "numkeys:integer *key:key#0 ?*weight:integer=WEIGHTS ?aggregate(!SUM|!MIN|!MAX)=AGGREGATE"
     " ?!WITHSCORES",
     "RO,access/i1/n0,1,1", "", "", NULL, NULL, ""},
    {"zintercard",
     "numkeys:integer *key:key#0 ?limit:integer=LIMIT", "RO,access/i1/n0,1,1", "", "", NULL, NULL,
     ""},
    {"zinterstore",
     "destination:key#0 numkeys:integer *key:key#1 ?*weight:integer=WEIGHTS ?aggregate(!SUM|!M"
     "IN|!MAX)=AGGREGATE",
     "OW,update/i1/r0,1,0;RO,access/i2/n0,1,1", "", "", NULL, NULL, ""},
    {"zlexcount",
     "key:key#0 min:string max:string", "RO,access/i1/r0,1,0", "", "", NULL, NULL, ""},
    {"zmpop",
     "numkeys:integer *key:key#0 where(!MIN|!MAX) ?count:integer=COUNT",
     "RW,access,delete/i1/n0,1,1", "", "", NULL, NULL, ""},
    {"zmscore", "key:key#0 *member:string", "RO,access/i1/r0,1,0", "", "", NULL, NULL, ""},
    {"zpopmax", "key:key#0 ?count:integer", "RW,access,delete/i1/r0,1,0", "", "", NULL, NULL, ""},
    {"zpopmin", "key:key#0 ?count:integer", "RW,access,delete/i1/r0,1,0", "", "", NULL, NULL, ""},
    {"zrandmember",
     "key:key#0 ?options{count:integer ?!WITHSCORES}", "RO,access/i1/r0,1,0",
     "nondeterministic_output", "", NULL, NULL, ""},
    {"zrange",
     "key:key#0 start:string stop:string ?sortby(!BYSCORE|!BYLEX)^6.2.0 ?!REV^6.2.0 ?offset_co"
     "unt{offset:integer count:integer}=LIMIT^6.2.0 ?!WITHSCORES",
     "RO,access/i1/r0,1,0", "", "", NULL, NULL, ""},
    {"zrangebylex",
     "key:key#0 min:string max:string ?offset_count{offset:integer count:integer}=LIMIT",
     "RO,access/i1/r0,1,0", "", "deprecated", "6.2.0", "`ZRANGE` with the `BYLEX` argument", ""},
    {"zrangebyscore",
     "key:key#0 min:double max:double ?!WITHSCORES^2.0.0 ?offset_count{offset:integer count:in"
     "teger}=LIMIT",
     "RO,access/i1/r0,1,0", "", "deprecated", "6.2.0", "`ZRANGE` with the `BYSCORE` argument", ""},
    {"zrangestore",
     "dst:key#0 src:key#1 min:string max:string ?sortby(!BYSCORE|!BYLEX) ?!REV ?offset_count{o"
     "ffset:integer count:integer}=LIMIT",
     "OW,update/i1/r0,1,0;RO,access/i2/r0,1,0", "", "", NULL, NULL, ""},
    {"zrank", "key:key#0 member:string", "RO,access/i1/r0,1,0", "", "", NULL, NULL, ""},
    {"zrem", "key:key#0 *member:string", "RW,delete/i1/r0,1,0", "", "", NULL, NULL, ""},
    {"zremrangebylex",
     "key:key#0 min:string max:string", "RW,delete/i1/r0,1,0", "", "", NULL, NULL, ""},
    {"zremrangebyrank",
     "key:key#0 start:integer stop:integer", "RW,delete/i1/r0,1,0", "", "", NULL, NULL, ""},
    {"zremrangebyscore",
     "key:key#0 min:double max:double", "RW,delete/i1/r0,1,0", "", "", NULL, NULL, ""},
    {"zrevrange",
     "key:key#0 start:integer stop:integer ?!WITHSCORES", "RO,access/i1/r0,1,0", "", "deprecated",
     "6.2.0", "`ZRANGE` with the `REV` argument", ""},
    {"zrevrangebylex",
     "key:key#0 max:string min:string ?offset_count{offset:integer count:integer}=LIMIT",
     "RO,access/i1/r0,1,0", "", "deprecated", "6.2.0",
     "`ZRANGE` with the `REV` and `BYLEX` arguments", ""},
    {"zrevrangebyscore",
     "key:key#0 max:double min:double ?!WITHSCORES ?offset_count{offset:integer count:integer}"
     "=LIMIT",
     "RO,access/i1/r0,1,0", "", "deprecated", "6.2.0",
     "`ZRANGE` with the `REV` and `BYSCORE` arguments", ""},
    {"zrevrank", "key:key#0 member:string", "RO,access/i1/r0,1,0", "", "", NULL, NULL, ""},
    {"zscan",
     "key:key#0 cursor:integer ?pattern:pattern=MATCH ?count:integer=COUNT", "RO,access/i1/r0,1,0",
     "nondeterministic_output", "", NULL, NULL, ""},
    {"zscore", "key:key#0 member:string", "RO,access/i1/r0,1,0", "", "", NULL, NULL, ""},
    {"zunion",
     "numkeys:integer *key:key#0 ?*weight:integer=WEIGHTS ?aggregate(!SUM|!MIN|!MAX)=AGGREGATE"
     " ?!WITHSCORES",
     "RO,access/i1/n0,1,1", "", "", NULL, NULL, ""},
    {"zunionstore",
     "destination:key#0 numkeys:integer *key:key#1 ?*weight:integer=WEIGHTS ?aggregate(!SUM|!M"
     "IN|!MAX)=AGGREGATE",
     "OW,update/i1/r0,1,0;RO,access/i2/n0,1,1", "", "", NULL, NULL, ""},
    {NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL},
};
/* clang-format on */
