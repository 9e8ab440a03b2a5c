/* function.c - Redis 7.0 functions: FUNCTION LOAD / DELETE / FLUSH / LIST /
 * STATS and FCALL, on the scripting engine of script.c.
 *
 * Libraries live in their own Lua state F.L (SCRIPT FLUSH does not touch
 * them).  While a library's code runs at FUNCTION LOAD, the environment
 * reads through to a "load API" (only redis.register_function, redis.log
 * and the version fields) instead of the real globals; the functions it
 * registers are kept as registry references.  Invariants: F.loading is the
 * library being built, only while its code runs; every function of a
 * library in a context's libs dict is in its fns dict (case-insensitive) and
 * belongs to exactly one library. */
#include "script_int.h"

#include "ds/alloc.h"
#include "ds/dict.h"
#include "ds/glob.h"
#include "ds/str.h"
#include "ds/util.h"
#include "log.h"
#include "lua/sandbox.h"
#include "server.h"

#include <lauxlib.h>
#include <string.h>
#include <strings.h>

typedef struct fn_lib fn_lib;

typedef struct fn_info {
    str name, desc; /* desc may be NULL */
    unsigned flags;
    int ref;
    fn_lib *lib;
} fn_info;

struct fn_lib {
    str name, code;
    fn_info **fns;
    int n, cap;
};

/* A set of libraries: the current one, or one being restored. */
typedef struct fn_ctx {
    dict *libs; /* name -> fn_lib* (freed by ctx_free, not by the dict) */
    dict *fns;  /* name -> fn_info* (owned by their library) */
} fn_ctx;

static struct {
    lua_State *L;
    int g_ref, pub_ref, loadapi_ref;
    fn_ctx *cur;
    fn_lib *loading;
    uint64_t load_start_us;
} F;

int function_globals_ref(lua_State *L)
{
    return L == F.L ? F.g_ref : -1;
}

static void lib_free(fn_lib *lib)
{
    for (int i = 0; i < lib->n; i++) {
        fn_info *f = lib->fns[i];
        if (F.L)
            luaL_unref(F.L, LUA_REGISTRYINDEX, f->ref);
        str_free(f->name);
        if (f->desc)
            str_free(f->desc);
        ds_free(f);
    }
    ds_free(lib->fns);
    str_free(lib->name);
    str_free(lib->code);
    ds_free(lib);
}

static const dict_type libs_type = {script_str_key_view, script_str_key_free, NULL, 0};
static const dict_type fns_type = {script_str_key_view, script_str_key_free, NULL, 1};

static fn_ctx *ctx_new(void)
{
    fn_ctx *x = ds_malloc(sizeof(*x));
    x->libs = dict_new(&libs_type);
    x->fns = dict_new(&fns_type);
    return x;
}

static void ctx_clear(fn_ctx *x)
{
    dict_iter it;
    dict_iter_init(&it, x->libs, 0);
    dict_entry *e;
    while ((e = dict_iter_next(&it)))
        lib_free(e->v.val);
    dict_iter_done(&it);
    dict_clear(x->fns);
    dict_clear(x->libs);
}

static void ctx_free(fn_ctx *x)
{
    ctx_clear(x);
    dict_free(x->fns);
    dict_free(x->libs);
    ds_free(x);
}

static void ctx_link(fn_ctx *x, fn_lib *lib)
{
    dict_add(x->libs, str_dup(lib->name), lib);
    for (int i = 0; i < lib->n; i++)
        dict_add(x->fns, str_dup(lib->fns[i]->name), lib->fns[i]);
}

/* Take lib out of x (not freed). */
static void ctx_unlink(fn_ctx *x, fn_lib *lib)
{
    for (int i = 0; i < lib->n; i++)
        dict_delete(x->fns, lib->fns[i]->name, str_len(lib->fns[i]->name));
    dict_delete(x->libs, lib->name, str_len(lib->name));
}

static int valid_name(const char *p, size_t len)
{
    if (len == 0)
        return 0;
    for (size_t i = 0; i < len; i++) {
        char ch = p[i];
        if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
              (ch >= '0' && ch <= '9') || ch == '_'))
            return 0;
    }
    return 1;
}

#define ERR_BAD_NAME \
    "Library names can only contain letters, numbers, or underscores(_) and must be at " \
    "least one character long"

/* redis.register_function flags={...}: 0, or -1 on an unknown flag. */
static int read_fn_flags(lua_State *L, unsigned *flags)
{
    lua_pushnil(L);
    while (lua_next(L, -2)) {
        const char *f = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
        int i;
        for (i = 0; f && script_flag_names[i].name; i++)
            if (strcasecmp(script_flag_names[i].name, f) == 0)
                break;
        lua_pop(L, 1);
        if (!f || !script_flag_names[i].name) {
            lua_pop(L, 1);
            return -1;
        }
        *flags |= script_flag_names[i].flag;
    }
    return 0;
}

typedef struct fn_args {
    const char *name, *desc;
    size_t name_len, desc_len;
    unsigned flags;
    int cb; /* stack index of the callback */
} fn_args;

static const char *read_named_args(lua_State *L, fn_args *a)
{
    if (!lua_istable(L, 1))
        return "calling redis.register_function with a single argument is only applicable to "
               "Lua table (representing named arguments).";
    lua_pushnil(L);
    while (lua_next(L, 1)) {
        if (!lua_isstring(L, -2)) {
            lua_pop(L, 2);
            return "named argument key given to redis.register_function is not a string";
        }
        const char *k = lua_tostring(L, -2);
        if (strcasecmp(k, "function_name") == 0) {
            if (!lua_isstring(L, -1))
                return "function_name argument given to redis.register_function must be a "
                       "string";
            a->name = lua_tolstring(L, -1, &a->name_len);
        } else if (strcasecmp(k, "description") == 0) {
            if (!lua_isstring(L, -1))
                return "description argument given to redis.register_function must be a "
                       "string";
            a->desc = lua_tolstring(L, -1, &a->desc_len);
        } else if (strcasecmp(k, "callback") == 0) {
            if (!lua_isfunction(L, -1))
                return "callback argument given to redis.register_function must be a function";
            lua_pushvalue(L, -1);
            lua_replace(L, 2); /* slot 2 holds the callback */
        } else if (strcasecmp(k, "flags") == 0) {
            if (!lua_istable(L, -1))
                return "flags argument to redis.register_function must be a table "
                       "representing function flags";
            if (read_fn_flags(L, &a->flags) < 0)
                return "unknown flag given";
        } else {
            return "unknown argument given to redis.register_function";
        }
        /* The value stays referenced by the table: pop it, keep the key. */
        lua_pop(L, 1);
    }
    if (!a->name)
        return "redis.register_function must get a function name argument";
    if (!lua_isfunction(L, 2))
        return "redis.register_function must get a callback argument";
    a->cb = 2;
    return NULL;
}

static int l_register_function(lua_State *L)
{
    if (!F.loading)
        return script_raise_error(L, "redis.register_function can only be called on FUNCTION LOAD "
                              "command");
    int argc = lua_gettop(L);
    if (argc < 1 || argc > 2)
        return script_raise_error(L, "wrong number of arguments to redis.register_function");
    fn_args a = {0};
    const char *err = NULL;
    if (argc == 1) {
        lua_settop(L, 2); /* slot 2: the callback, once found */
        err = read_named_args(L, &a);
    } else if (!lua_isstring(L, 1)) {
        err = "first argument to redis.register_function must be a string";
    } else if (!lua_isfunction(L, 2)) {
        err = "second argument to redis.register_function must be a function";
    } else {
        a.name = lua_tolstring(L, 1, &a.name_len);
        a.cb = 2;
    }
    if (err)
        return script_raise_error(L, err);
    fn_lib *lib = F.loading;
    if (!valid_name(a.name, a.name_len))
        return script_raise_error(L, ERR_BAD_NAME);
    for (int i = 0; i < lib->n; i++)
        if (str_len(lib->fns[i]->name) == a.name_len &&
            strncasecmp(lib->fns[i]->name, a.name, a.name_len) == 0)
            return script_raise_error(L, "Function already exists in the library");
    fn_info *f = ds_calloc(sizeof(*f));
    f->name = str_new(a.name, a.name_len);
    f->desc = a.desc ? str_new(a.desc, a.desc_len) : NULL;
    f->flags = a.flags;
    f->lib = lib;
    lua_pushvalue(L, a.cb);
    f->ref = luaL_ref(L, LUA_REGISTRYINDEX);
    if (lib->n == lib->cap) {
        lib->cap = lib->cap ? lib->cap * 2 : 4;
        lib->fns = ds_realloc(lib->fns, sizeof(fn_info *) * (size_t)lib->cap);
    }
    lib->fns[lib->n++] = f;
    return 0;
}

/* The table that library code sees as its globals while it loads. */
static void build_load_api(lua_State *L)
{
    lua_newtable(L); /* the load-time redis table */
    script_set_cfunction(L, "register_function", l_register_function);
    script_set_log_and_version(L);
    lua_newtable(L);
    lua_pushcfunction(L, script_l_global_missing);
    lua_setfield(L, -2, "__index");
    lua_setmetatable(L, -2);
    sandbox_push_readonly(L, -1, 0);
    lua_remove(L, -2);
    lua_newtable(L); /* the load API globals */
    lua_insert(L, -2);
    lua_setfield(L, -2, "redis");
    lua_newtable(L);
    lua_pushcfunction(L, script_l_global_missing);
    lua_setfield(L, -2, "__index");
    lua_setmetatable(L, -2);
    F.loadapi_ref = luaL_ref(L, LUA_REGISTRYINDEX);
}

static void functions_vm_new(void)
{
    F.L = script_vm_build(&F.g_ref, &F.pub_ref);
    build_load_api(F.L);
}

/* Point the scripts' globals at the load API (1) or the real ones (0). */
static void load_mode(int on)
{
    lua_State *L = F.L;
    lua_rawgeti(L, LUA_REGISTRYINDEX, F.pub_ref);
    lua_getmetatable(L, -1);
    lua_rawgeti(L, LUA_REGISTRYINDEX, on ? F.loadapi_ref : F.g_ref);
    lua_setfield(L, -2, "__index");
    lua_pop(L, 2);
}

static void load_hook(lua_State *L, lua_Debug *ar)
{
    (void)ar;
    if (el_mono_us() - F.load_start_us > 500 * 1000) {
        lua_sethook(L, load_hook, LUA_MASKLINE, 0);
        script_push_error(L, "FUNCTION LOAD timeout");
        lua_error(L);
    }
}

/* The next word of [*p, end) into a new str, quotes removed (like
 * sdssplitargs, without escapes); NULL at the end. */
static str next_word(const char **p, const char *end)
{
    while (*p < end && (**p == ' ' || **p == '\t' || **p == '\r'))
        (*p)++;
    if (*p == end)
        return NULL;
    str w = str_empty_cap(16);
    char quote = 0;
    while (*p < end) {
        char ch = **p;
        if (quote) {
            if (ch == quote)
                quote = 0;
            else
                w = str_cat(w, &ch, 1);
        } else if (ch == '"' || ch == '\'') {
            quote = ch;
        } else if (ch == ' ' || ch == '\t' || ch == '\r') {
            break;
        } else {
            w = str_cat(w, &ch, 1);
        }
        (*p)++;
    }
    return w;
}

/* "#!<engine> name=<lib>" -> the name; NULL with *err set. */
static str parse_lib_meta(const char *code, size_t len, str *err)
{
    if (len < 2 || memcmp(code, "#!", 2) != 0) {
        *err = str_from_c("Missing library metadata");
        return NULL;
    }
    const char *nl = memchr(code, '\n', len);
    if (!nl) {
        *err = str_from_c("Invalid library metadata");
        return NULL;
    }
    const char *p = code, *end = nl;
    str name = NULL, engine = next_word(&p, end), w;
    while ((w = next_word(&p, end))) {
        if (str_len(w) >= 5 && strncasecmp(w, "name=", 5) == 0) {
            if (name) {
                str_free(w);
                *err = str_from_c("Invalid metadata value, name argument was given multiple "
                                  "times");
                goto fail;
            }
            name = str_new(w + 5, str_len(w) - 5);
            str_free(w);
            continue;
        }
        *err = str_from_c("Invalid metadata value given: ");
        *err = str_cat(*err, w, str_len(w));
        str_free(w);
        goto fail;
    }
    if (!name) {
        *err = str_from_c("Library name was not given");
        goto fail;
    }
    if (!valid_name(name, str_len(name))) {
        *err = str_from_c(ERR_BAD_NAME);
        goto fail;
    }
    if (str_len(engine) != 5 || strncasecmp(engine + 2, "lua", 3) != 0) {
        *err = str_from_c("Engine '");
        *err = str_cat(*err, engine + 2, str_len(engine) - 2);
        *err = str_cat(*err, "' not found", 11);
        goto fail;
    }
    str_free(engine);
    return name;
fail:
    str_free(engine);
    if (name)
        str_free(name);
    return NULL;
}

/* Run the library code at the top of F.L, registering into lib; NULL or
 * the error (to free). */
static str run_library(fn_lib *lib)
{
    lua_State *L = F.L;
    str err = NULL;
    F.loading = lib;
    F.load_start_us = el_mono_us();
    load_mode(1);
    lua_sethook(L, load_hook, LUA_MASKCOUNT, 100000);
    if (lua_pcall(L, 0, 0, 0)) {
        err = str_from_c("Error registering functions: ");
        if (lua_istable(L, -1)) {
            size_t len = 0;
            const char *m = script_string_field(L, "err", &len);
            err = m ? str_cat(err, m, len) : str_cat(err, "unknown error", 13);
        } else {
            const char *m = lua_tostring(L, -1);
            err = str_cat(err, "ERR ", 4);
            err = str_cat(err, m ? m : "unknown error", strlen(m ? m : "unknown error"));
        }
        lua_pop(L, 1);
    }
    lua_sethook(L, NULL, 0, 0);
    load_mode(0);
    F.loading = NULL;
    return err;
}

/* A function name of lib already used in x by another library. */
static fn_info *name_clash(fn_ctx *x, fn_lib *lib, fn_lib *replaced)
{
    for (int i = 0; i < lib->n; i++) {
        fn_info *o = dict_fetch(x->fns, lib->fns[i]->name, str_len(lib->fns[i]->name));
        if (o && o->lib != replaced)
            return lib->fns[i];
    }
    return NULL;
}

static str clash_error(const fn_info *f)
{
    str err = str_from_c("Function ");
    err = str_cat(err, f->name, str_len(f->name));
    return str_cat(err, " already exists", 15);
}

/* Compile and register a library into x (replacing one of the same name
 * when allowed); NULL, or the error (to free). */
static str lib_create(fn_ctx *x, const char *code, size_t len, int replace, fn_lib **out)
{
    str err = NULL;
    str name = parse_lib_meta(code, len, &err);
    if (!name)
        return err;
    fn_lib *old = dict_fetch(x->libs, name, str_len(name));
    if (old && !replace) {
        err = str_from_c("Library '");
        err = str_cat(err, name, str_len(name));
        err = str_cat(err, "' already exists", 16);
        str_free(name);
        return err;
    }
    fn_lib *lib = ds_calloc(sizeof(*lib));
    lib->name = name;
    lib->code = str_new(code, len);
    /* The code runs from the metadata line's \n on: line numbers stay. */
    size_t skip = (size_t)((const char *)memchr(code, '\n', len) - code);
    if (luaL_loadbuffer(F.L, code + skip, len - skip, "@user_function")) {
        err = str_from_c("Error compiling function: ");
        const char *m = lua_tostring(F.L, -1);
        err = str_cat(err, m, strlen(m));
        lua_pop(F.L, 1);
    } else {
        err = run_library(lib);
    }
    if (!err && lib->n == 0)
        err = str_from_c("No functions registered");
    fn_info *clash = err ? NULL : name_clash(x, lib, old);
    if (clash)
        err = clash_error(clash);
    if (err) {
        lib_free(lib);
        return err;
    }
    if (old) {
        ctx_unlink(x, old);
        lib_free(old);
    }
    ctx_link(x, lib);
    *out = lib;
    return NULL;
}

void function_load(client *c, const char *code, size_t len, int replace)
{
    fn_lib *lib = NULL;
    str err = lib_create(F.cur, code, len, replace, &lib);
    if (err) {
        reply_error_len(c, err, str_len(err));
        str_free(err);
        return;
    }
    srv.dirty++;
    reply_bulk(c, lib->name, str_len(lib->name));
}

/* ---- FUNCTION DUMP / RESTORE ----
 * The payload is Redis's: per library the RDB_OPCODE_FUNCTION2 byte and
 * the code as an RDB string, then the RDB version (2 bytes, little endian)
 * and a CRC64 (Jones, reflected) of all that, little endian.  We write
 * plain strings; we read plain, integer and LZF-compressed ones. */

#define RDB_OPCODE_FUNCTION2 245
#define RDB_VERSION 10

static uint64_t crc64_jones(uint64_t crc, const unsigned char *p, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        crc ^= p[i];
        for (int k = 0; k < 8; k++)
            crc = (crc & 1) ? (crc >> 1) ^ 0x95ac9329ac4bc9b5ULL : crc >> 1;
    }
    return crc;
}

static str put_rdb_len(str s, uint64_t n)
{
    unsigned char b[9];
    size_t l;
    if (n < 64) {
        b[0] = (unsigned char)n;
        l = 1;
    } else if (n < 16384) {
        b[0] = (unsigned char)(0x40 | (n >> 8));
        b[1] = (unsigned char)n;
        l = 2;
    } else if (n <= 0xffffffffULL) {
        b[0] = 0x80;
        for (int i = 0; i < 4; i++)
            b[1 + i] = (unsigned char)(n >> (24 - 8 * i));
        l = 5;
    } else {
        b[0] = 0x81;
        for (int i = 0; i < 8; i++)
            b[1 + i] = (unsigned char)(n >> (56 - 8 * i));
        l = 9;
    }
    return str_cat(s, b, l);
}

static void dump_one(const char *code, size_t len, void *ud)
{
    str *s = ud;
    unsigned char op = RDB_OPCODE_FUNCTION2;
    *s = str_cat(*s, &op, 1);
    *s = put_rdb_len(*s, len);
    *s = str_cat(*s, code, len);
}

void function_dump(client *c)
{
    str s = str_empty_cap(64);
    function_foreach(dump_one, &s);
    unsigned char tail[10] = {RDB_VERSION & 0xff, RDB_VERSION >> 8};
    s = str_cat(s, tail, 2);
    uint64_t crc = crc64_jones(0, (const unsigned char *)s, str_len(s));
    for (int i = 0; i < 8; i++)
        tail[2 + i] = (unsigned char)(crc >> (8 * i));
    s = str_cat(s, tail + 2, 8);
    reply_bulk(c, s, str_len(s));
    str_free(s);
}

typedef struct rdb_in {
    const unsigned char *p, *end;
} rdb_in;

/* An RDB length; *enc set for the special encodings (0xC0 forms). */
static int get_rdb_len(rdb_in *in, uint64_t *n, int *enc)
{
    if (in->p >= in->end)
        return -1;
    unsigned b = *in->p++;
    *enc = -1;
    switch (b >> 6) {
    case 0:
        *n = b & 0x3f;
        return 0;
    case 1:
        if (in->p >= in->end)
            return -1;
        *n = (uint64_t)(b & 0x3f) << 8 | *in->p++;
        return 0;
    case 2: {
        int bytes = b == 0x80 ? 4 : b == 0x81 ? 8 : 0;
        if (!bytes || in->end - in->p < bytes)
            return -1;
        *n = 0;
        for (int i = 0; i < bytes; i++)
            *n = *n << 8 | *in->p++;
        return 0;
    }
    default:
        *enc = (int)(b & 0x3f);
        return 0;
    }
}

/* LZF: literal runs (ctrl < 32) and back references. */
static int lzf_decode(const unsigned char *in, size_t inlen, char *out, size_t outlen)
{
    const unsigned char *ip = in, *iend = in + inlen;
    size_t op = 0;
    while (ip < iend) {
        unsigned ctrl = *ip++;
        if (ctrl < 32) {
            size_t n = ctrl + 1;
            if ((size_t)(iend - ip) < n || outlen - op < n)
                return -1;
            memcpy(out + op, ip, n);
            ip += n;
            op += n;
            continue;
        }
        size_t n = ctrl >> 5;
        if (n == 7) {
            if (ip >= iend)
                return -1;
            n += *ip++;
        }
        if (ip >= iend)
            return -1;
        size_t back = ((ctrl & 0x1f) << 8) + *ip++ + 1;
        n += 2;
        if (back > op || outlen - op < n)
            return -1;
        for (size_t i = 0; i < n; i++, op++)
            out[op] = out[op - back];
    }
    return op == outlen ? 0 : -1;
}

/* An RDB string into a new str, NULL if malformed. */
static str get_rdb_string(rdb_in *in)
{
    uint64_t n, ulen;
    int enc;
    if (get_rdb_len(in, &n, &enc) < 0)
        return NULL;
    if (enc < 0) {
        if ((uint64_t)(in->end - in->p) < n)
            return NULL;
        str s = str_new(in->p, n);
        in->p += n;
        return s;
    }
    if (enc <= 2) { /* 8, 16, 32 bit integer, little endian */
        int bytes = 1 << enc;
        if (in->end - in->p < bytes)
            return NULL;
        int64_t v = 0;
        for (int i = bytes - 1; i >= 0; i--)
            v = v << 8 | in->p[i];
        if (bytes < 8 && (v & (1LL << (8 * bytes - 1))))
            v -= 1LL << (8 * bytes);
        in->p += bytes;
        return str_from_ll(v);
    }
    int e2;
    if (enc != 3 || get_rdb_len(in, &n, &e2) < 0 || e2 >= 0 ||
        get_rdb_len(in, &ulen, &e2) < 0 || e2 >= 0 || (uint64_t)(in->end - in->p) < n ||
        ulen > (1ULL << 32))
        return NULL;
    str s = str_new(NULL, ulen);
    if (lzf_decode(in->p, n, s, ulen) < 0) {
        str_free(s);
        return NULL;
    }
    in->p += n;
    return s;
}

/* Move src's libraries into dst; on a clash nothing changes. */
static str ctx_join(fn_ctx *dst, fn_ctx *src, int replace)
{
    fn_lib **old = ds_malloc(sizeof(fn_lib *) * (dict_size(src->libs) + 1));
    size_t nold = 0;
    str err = NULL;
    dict_iter it;
    dict_entry *e;
    dict_iter_init(&it, src->libs, 1);
    while (!err && (e = dict_iter_next(&it))) {
        fn_lib *lib = e->v.val, *o = dict_fetch(dst->libs, lib->name, str_len(lib->name));
        if (!o)
            continue;
        if (!replace) {
            err = str_from_c("Library ");
            err = str_cat(err, lib->name, str_len(lib->name));
            err = str_cat(err, " already exists", 15);
        } else {
            ctx_unlink(dst, o);
            old[nold++] = o;
        }
    }
    dict_iter_done(&it);
    dict_iter_init(&it, src->libs, 1);
    while (!err && (e = dict_iter_next(&it))) {
        fn_info *clash = name_clash(dst, e->v.val, NULL);
        if (clash)
            err = clash_error(clash);
    }
    dict_iter_done(&it);
    if (err) {
        for (size_t i = 0; i < nold; i++)
            ctx_link(dst, old[i]);
    } else {
        for (size_t i = 0; i < nold; i++)
            lib_free(old[i]);
        dict_iter_init(&it, src->libs, 1);
        while ((e = dict_iter_next(&it)))
            ctx_link(dst, e->v.val);
        dict_iter_done(&it);
        dict_clear(src->fns);
        dict_clear(src->libs); /* the libraries now belong to dst */
    }
    ds_free(old);
    return err;
}

static int payload_ok(const unsigned char *p, size_t len)
{
    if (len < 10)
        return 0;
    unsigned ver = p[len - 10] | (unsigned)p[len - 9] << 8;
    uint64_t crc = 0;
    for (int i = 0; i < 8; i++)
        crc |= (uint64_t)p[len - 8 + i] << (8 * i);
    return ver <= RDB_VERSION && crc64_jones(0, p, len - 8) == crc;
}

void function_restore(client *c, const char *payload, size_t len, int policy)
{
    const unsigned char *p = (const unsigned char *)payload;
    if (!payload_ok(p, len)) {
        reply_error(c, "DUMP payload version or checksum are wrong");
        return;
    }
    fn_ctx *tmp = ctx_new();
    rdb_in in = {p, p + len - 10};
    str err = NULL;
    while (!err && in.p < in.end) {
        if (*in.p++ != RDB_OPCODE_FUNCTION2) {
            err = str_from_c("given type is not a function");
            break;
        }
        str code = get_rdb_string(&in);
        if (!code) {
            err = str_from_c("failed loading the given functions payload");
            break;
        }
        fn_lib *lib = NULL;
        err = lib_create(tmp, code, str_len(code), 0, &lib);
        str_free(code);
    }
    if (!err && policy == FUNCTION_RESTORE_FLUSH) {
        fn_ctx *old = F.cur;
        F.cur = tmp;
        tmp = old;
    } else if (!err) {
        err = ctx_join(F.cur, tmp, policy == FUNCTION_RESTORE_REPLACE);
    }
    ctx_free(tmp);
    if (err) {
        reply_error_len(c, err, str_len(err));
        str_free(err);
        return;
    }
    srv.dirty++;
    reply_ok(c);
}

void function_call(client *c, int ro)
{
    fn_info *f = dict_fetch(F.cur->fns, c->argv[1].p, c->argv[1].len);
    if (!f) {
        reply_error(c, "Function not found");
        return;
    }
    long long numkeys;
    if (!str_to_ll(c->argv[2].p, c->argv[2].len, &numkeys)) {
        reply_error(c, "Bad number of keys provided");
        return;
    }
    if (numkeys > c->argc - 3) {
        reply_error(c, "Number of keys can't be greater than number of args");
        return;
    }
    if (numkeys < 0) {
        reply_error(c, "Number of keys can't be negative");
        return;
    }
    runnable x = {F.L, f->ref, f->flags, f->name, 0};
    script_run(c, &x, ro, (int)numkeys);
}

void function_delete(client *c, const char *name, size_t len)
{
    fn_lib *lib = dict_fetch(F.cur->libs, name, len);
    if (!lib) {
        reply_error(c, "Library not found");
        return;
    }
    ctx_unlink(F.cur, lib);
    lib_free(lib);
    srv.dirty++;
    reply_ok(c);
}

void function_flush(void)
{
    ctx_clear(F.cur);
    lua_gc(F.L, LUA_GCCOLLECT, 0);
}

static void reply_fn_flags(client *c, unsigned flags)
{
    long n = 0;
    for (int i = 0; script_flag_names[i].name; i++)
        n += (flags & script_flag_names[i].flag) != 0;
    reply_set(c, n);
    for (int i = 0; script_flag_names[i].name; i++)
        if (flags & script_flag_names[i].flag)
            reply_status(c, script_flag_names[i].name);
}

void function_list(client *c, const char *pattern, size_t plen, int withcode)
{
    void *h = reply_defer(c);
    long n = 0;
    dict_iter it;
    dict_iter_init(&it, F.cur->libs, 0);
    dict_entry *e;
    while ((e = dict_iter_next(&it))) {
        fn_lib *lib = e->v.val;
        if (pattern && !glob_match(pattern, plen, lib->name, str_len(lib->name), 0))
            continue;
        n++;
        reply_map(c, withcode ? 4 : 3);
        reply_bulk_c(c, "library_name");
        reply_bulk(c, lib->name, str_len(lib->name));
        reply_bulk_c(c, "engine");
        reply_bulk_c(c, "LUA");
        reply_bulk_c(c, "functions");
        reply_array(c, lib->n);
        for (int i = 0; i < lib->n; i++) {
            fn_info *f = lib->fns[i];
            reply_map(c, 3);
            reply_bulk_c(c, "name");
            reply_bulk(c, f->name, str_len(f->name));
            reply_bulk_c(c, "description");
            if (f->desc)
                reply_bulk(c, f->desc, str_len(f->desc));
            else
                reply_null(c);
            reply_bulk_c(c, "flags");
            reply_fn_flags(c, f->flags);
        }
        if (withcode) {
            reply_bulk_c(c, "library_code");
            reply_bulk(c, lib->code, str_len(lib->code));
        }
    }
    dict_iter_done(&it);
    reply_set_array_len(c, h, n);
}

void function_stats(client *c)
{
    const script_run_info *r = script_current();
    if (r && r->is_eval) {
        reply_error(c, SCRIPT_BUSY_ERR);
        return;
    }
    reply_map(c, 2);
    reply_bulk_c(c, "running_script");
    if (!r) {
        reply_null(c);
    } else {
        reply_map(c, 3);
        reply_bulk_c(c, "name");
        reply_bulk_c(c, r->name);
        reply_bulk_c(c, "command");
        reply_array(c, r->caller->argc);
        for (int i = 0; i < r->caller->argc; i++)
            reply_bulk(c, r->caller->argv[i].p, r->caller->argv[i].len);
        reply_bulk_c(c, "duration_ms");
        reply_ll(c, (long long)(el_mono_us() - r->start_us) / 1000);
    }
    reply_bulk_c(c, "engines");
    reply_map(c, 1);
    reply_bulk_c(c, "LUA");
    reply_map(c, 2);
    reply_bulk_c(c, "libraries_count");
    reply_ll(c, (long long)dict_size(F.cur->libs));
    reply_bulk_c(c, "functions_count");
    reply_ll(c, (long long)dict_size(F.cur->fns));
}

void function_foreach(void (*fn)(const char *code, size_t len, void *ud), void *ud)
{
    dict_iter it;
    dict_iter_init(&it, F.cur->libs, 0);
    dict_entry *e;
    while ((e = dict_iter_next(&it))) {
        fn_lib *lib = e->v.val;
        fn(lib->code, str_len(lib->code), ud);
    }
    dict_iter_done(&it);
}

size_t function_count(void)
{
    return dict_size(F.cur->fns);
}

size_t function_lib_count(void)
{
    return dict_size(F.cur->libs);
}

size_t function_vm_memory(void)
{
    return (size_t)lua_gc(F.L, LUA_GCCOUNT, 0) * 1024 + (size_t)lua_gc(F.L, LUA_GCCOUNTB, 0);
}

void function_init(void)
{
    F.cur = ctx_new();
    functions_vm_new();
}
