/* cmsgpack.c - MessagePack for Lua 5.1 scripts, API-compatible with the
 * "cmsgpack" module scripts expect: pack(...), unpack(s),
 * unpack_one(s [,offset]), unpack_limit(s, limit [,offset]).
 *
 * Encoding choices (clients compare bytes): integral numbers that fit an
 * int64 use the smallest int/uint form, other numbers float32 when exact
 * else float64; strings use fixstr/str8/str16/str32; a table whose keys are
 * exactly 1..n is an array, anything else a map; tables nested 16 deep are
 * cut to nil (so circular references terminate).  Decoding also accepts the
 * bin8/16/32 types (as strings).  Errors: "Missing bytes in input." and
 * "Bad data format in input." */
#include "lualibs.h"

#include <lauxlib.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define MAX_NESTING 16

/* ---- encoding ----
 * Into a growable C buffer owned by a userdata on the stack (freed by its
 * __gc even when an error unwinds): a luaL_Buffer would interleave its
 * pieces with the values the encoder pushes and pops. */

typedef struct mbuf {
    char *p;
    size_t len, cap;
} mbuf;

static int mbuf_gc(lua_State *L)
{
    mbuf *m = lua_touserdata(L, 1);
    free(m->p);
    m->p = NULL;
    return 0;
}

static mbuf *mbuf_new(lua_State *L)
{
    mbuf *m = lua_newuserdata(L, sizeof(*m));
    m->p = NULL;
    m->len = m->cap = 0;
    if (luaL_newmetatable(L, "sluice.cmsgpack.buf")) {
        lua_pushcfunction(L, mbuf_gc);
        lua_setfield(L, -2, "__gc");
    }
    lua_setmetatable(L, -2);
    return m;
}

static void add(lua_State *L, mbuf *m, const void *p, size_t n)
{
    if (m->cap - m->len < n) {
        size_t cap = m->cap ? m->cap * 2 : 256;
        while (cap - m->len < n)
            cap *= 2;
        char *np = realloc(m->p, cap);
        if (!np)
            luaL_error(L, "not enough memory");
        m->p = np;
        m->cap = cap;
    }
    memcpy(m->p + m->len, p, n);
    m->len += n;
}

static void add_byte(lua_State *L, mbuf *m, unsigned v)
{
    unsigned char c = (unsigned char)v;
    add(L, m, &c, 1);
}

static void put_be(lua_State *L, mbuf *m, unsigned tag, uint64_t v, int bytes)
{
    unsigned char out[9];
    out[0] = (unsigned char)tag;
    for (int i = 0; i < bytes; i++)
        out[1 + i] = (unsigned char)(v >> (8 * (bytes - 1 - i)));
    add(L, m, out, (size_t)bytes + 1);
}

static void enc_int(lua_State *L, mbuf *m, int64_t n)
{
    if (n >= 0) {
        if (n <= 127)
            add_byte(L, m, (unsigned)n);
        else if (n <= 0xff)
            put_be(L, m, 0xcc, (uint64_t)n, 1);
        else if (n <= 0xffff)
            put_be(L, m, 0xcd, (uint64_t)n, 2);
        else if (n <= 0xffffffffLL)
            put_be(L, m, 0xce, (uint64_t)n, 4);
        else
            put_be(L, m, 0xcf, (uint64_t)n, 8);
    } else {
        if (n >= -32)
            add_byte(L, m, (unsigned)(n & 0xff));
        else if (n >= -128)
            put_be(L, m, 0xd0, (uint64_t)n & 0xff, 1);
        else if (n >= -32768)
            put_be(L, m, 0xd1, (uint64_t)n & 0xffff, 2);
        else if (n >= -2147483648LL)
            put_be(L, m, 0xd2, (uint64_t)n & 0xffffffffULL, 4);
        else
            put_be(L, m, 0xd3, (uint64_t)n, 8);
    }
}

static void enc_number(lua_State *L, mbuf *m, lua_Number n)
{
    if (n >= -9223372036854775808.0 && n < 9223372036854775808.0 &&
        (lua_Number)(int64_t)n == n) {
        enc_int(L, m, (int64_t)n);
        return;
    }
    float f = (float)n;
    if ((double)f == n) {
        uint32_t u;
        memcpy(&u, &f, 4);
        put_be(L, m, 0xca, u, 4);
    } else {
        uint64_t u;
        double d = n;
        memcpy(&u, &d, 8);
        put_be(L, m, 0xcb, u, 8);
    }
}

/* A length header: the fix form up to fixmax, then 8 (if t8), 16, 32 bits. */
static void enc_len(lua_State *L, mbuf *m, size_t n, unsigned fix, size_t fixmax, unsigned t8,
                    unsigned t16, unsigned t32)
{
    if (n <= fixmax)
        add_byte(L, m, fix | (unsigned)n);
    else if (t8 && n <= 0xff)
        put_be(L, m, t8, n, 1);
    else if (n <= 0xffff)
        put_be(L, m, t16, n, 2);
    else
        put_be(L, m, t32, n, 4);
}

/* 1 if the table at the top has exactly the keys 1..n (n may be 0). */
static int is_array(lua_State *L)
{
    lua_Number max = 0, count = 0;
    lua_pushnil(L);
    while (lua_next(L, -2)) {
        lua_pop(L, 1);
        lua_Number k;
        if (lua_type(L, -1) != LUA_TNUMBER || (k = lua_tonumber(L, -1)) <= 0 ||
            k > INT_MAX || (lua_Number)(int)k != k) {
            lua_pop(L, 1);
            return 0;
        }
        if (k > max)
            max = k;
        count++;
    }
    return max == count;
}

static void enc_value(lua_State *L, mbuf *m, int level);

/* Encode the table at the top (left in place). */
static void enc_table(lua_State *L, mbuf *m, int level)
{
    luaL_checkstack(L, 4, "in function cmsgpack.pack");
    if (is_array(L)) {
        size_t n = lua_objlen(L, -1);
        enc_len(L, m, n, 0x90, 15, 0, 0xdc, 0xdd);
        for (size_t i = 1; i <= n; i++) {
            lua_rawgeti(L, -1, (int)i);
            enc_value(L, m, level + 1);
        }
        return;
    }
    size_t n = 0;
    lua_pushnil(L);
    while (lua_next(L, -2)) {
        lua_pop(L, 1);
        n++;
    }
    enc_len(L, m, n, 0x80, 15, 0, 0xde, 0xdf);
    lua_pushnil(L);
    while (lua_next(L, -2)) {
        lua_pushvalue(L, -2);
        enc_value(L, m, level + 1); /* key */
        enc_value(L, m, level + 1); /* value */
    }
}

/* Encode and pop the value at the top of the stack. */
static void enc_value(lua_State *L, mbuf *m, int level)
{
    int t = lua_type(L, -1);
    if (t == LUA_TTABLE && level >= MAX_NESTING)
        t = LUA_TNIL;
    switch (t) {
    case LUA_TSTRING: {
        size_t len;
        const char *s = lua_tolstring(L, -1, &len);
        enc_len(L, m, len, 0xa0, 31, 0xd9, 0xda, 0xdb);
        add(L, m, s, len);
        break;
    }
    case LUA_TBOOLEAN:
        add_byte(L, m, lua_toboolean(L, -1) ? 0xc3 : 0xc2);
        break;
    case LUA_TNUMBER:
        enc_number(L, m, lua_tonumber(L, -1));
        break;
    case LUA_TTABLE:
        enc_table(L, m, level);
        break;
    default:
        add_byte(L, m, 0xc0);
        break;
    }
    lua_pop(L, 1);
}

static int pack(lua_State *L)
{
    int n = lua_gettop(L);
    if (n == 0)
        return luaL_argerror(L, 0, "MessagePack pack needs input.");
    if (!lua_checkstack(L, 8))
        return luaL_argerror(L, 0, "Too many arguments for MessagePack pack.");
    mbuf *m = mbuf_new(L);
    for (int i = 1; i <= n; i++) {
        lua_pushvalue(L, i);
        enc_value(L, m, 0);
    }
    lua_pushlstring(L, m->p ? m->p : "", m->len);
    free(m->p);
    m->p = NULL;
    return 1;
}

/* ---- decoding ---- */

enum { DEC_OK, DEC_EOF, DEC_BADFMT };

typedef struct cursor {
    const unsigned char *p;
    size_t left;
    int err;
} cursor;

static int need(cursor *c, size_t n)
{
    if (c->left < n) {
        c->err = DEC_EOF;
        return 0;
    }
    return 1;
}

static uint64_t be(const unsigned char *p, int bytes)
{
    uint64_t v = 0;
    for (int i = 0; i < bytes; i++)
        v = v << 8 | p[i];
    return v;
}

static void dec_value(lua_State *L, cursor *c);

static void dec_string(lua_State *L, cursor *c, size_t hdr, size_t len)
{
    if (!need(c, hdr) || !need(c, hdr + len))
        return;
    lua_pushlstring(L, (const char *)c->p + hdr, len);
    c->p += hdr + len;
    c->left -= hdr + len;
}

static void dec_array(lua_State *L, cursor *c, size_t hdr, size_t n)
{
    c->p += hdr;
    c->left -= hdr;
    lua_newtable(L);
    for (size_t i = 1; i <= n; i++) {
        dec_value(L, c);
        if (c->err)
            return;
        lua_rawseti(L, -2, (int)i);
    }
}

static void dec_map(lua_State *L, cursor *c, size_t hdr, size_t n)
{
    c->p += hdr;
    c->left -= hdr;
    lua_newtable(L);
    while (n--) {
        dec_value(L, c);
        if (c->err)
            return;
        dec_value(L, c);
        if (c->err)
            return;
        if (lua_isnil(L, -2)) {
            lua_pop(L, 2); /* a nil key cannot be stored: dropped */
            continue;
        }
        lua_settable(L, -3);
    }
}

static void dec_fixed(lua_State *L, cursor *c, lua_Number v, size_t size)
{
    lua_pushnumber(L, v);
    c->p += size;
    c->left -= size;
}

/* Sizes of the big-endian payload after the tag, by tag. */
static void dec_value(lua_State *L, cursor *c)
{
    if (!need(c, 1))
        return;
    luaL_checkstack(L, 2, "too many return values at once; "
                          "use unpack_one or unpack_limit instead.");
    unsigned t = c->p[0];
    const unsigned char *q = c->p + 1;
    if (t <= 0x7f) {
        dec_fixed(L, c, t, 1);
    } else if (t >= 0xe0) {
        dec_fixed(L, c, (signed char)t, 1);
    } else if ((t & 0xe0) == 0xa0) {
        dec_string(L, c, 1, t & 0x1f);
    } else if ((t & 0xf0) == 0x90) {
        dec_array(L, c, 1, t & 0x0f);
    } else if ((t & 0xf0) == 0x80) {
        dec_map(L, c, 1, t & 0x0f);
    } else {
        switch (t) {
        case 0xc0: lua_pushnil(L); c->p++; c->left--; break;
        case 0xc2: lua_pushboolean(L, 0); c->p++; c->left--; break;
        case 0xc3: lua_pushboolean(L, 1); c->p++; c->left--; break;
        case 0xcc: if (need(c, 2)) dec_fixed(L, c, (lua_Number)q[0], 2); break;
        case 0xcd: if (need(c, 3)) dec_fixed(L, c, (lua_Number)be(q, 2), 3); break;
        case 0xce: if (need(c, 5)) dec_fixed(L, c, (lua_Number)be(q, 4), 5); break;
        case 0xcf: if (need(c, 9)) dec_fixed(L, c, (lua_Number)be(q, 8), 9); break;
        case 0xd0: if (need(c, 2)) dec_fixed(L, c, (int8_t)q[0], 2); break;
        case 0xd1: if (need(c, 3)) dec_fixed(L, c, (int16_t)be(q, 2), 3); break;
        case 0xd2: if (need(c, 5)) dec_fixed(L, c, (int32_t)be(q, 4), 5); break;
        case 0xd3: if (need(c, 9)) dec_fixed(L, c, (lua_Number)(int64_t)be(q, 8), 9); break;
        case 0xca:
            if (need(c, 5)) {
                uint32_t u = (uint32_t)be(q, 4);
                float f;
                memcpy(&f, &u, 4);
                dec_fixed(L, c, f, 5);
            }
            break;
        case 0xcb:
            if (need(c, 9)) {
                uint64_t u = be(q, 8);
                double d;
                memcpy(&d, &u, 8);
                dec_fixed(L, c, d, 9);
            }
            break;
        case 0xc4: case 0xd9: if (need(c, 2)) dec_string(L, c, 2, q[0]); break;
        case 0xc5: case 0xda: if (need(c, 3)) dec_string(L, c, 3, be(q, 2)); break;
        case 0xc6: case 0xdb: if (need(c, 5)) dec_string(L, c, 5, be(q, 4)); break;
        case 0xdc: if (need(c, 3)) dec_array(L, c, 3, be(q, 2)); break;
        case 0xdd: if (need(c, 5)) dec_array(L, c, 5, be(q, 4)); break;
        case 0xde: if (need(c, 3)) dec_map(L, c, 3, be(q, 2)); break;
        case 0xdf: if (need(c, 5)) dec_map(L, c, 5, be(q, 4)); break;
        default: c->err = DEC_BADFMT; break;
        }
    }
}

/* Decode up to `limit` values (0 with offset 0: all, no offset returned)
 * from byte `offset`; returns them, preceded by the next offset (-1 at
 * the end) unless decoding all. */
static int unpack_full(lua_State *L, lua_Integer limit, lua_Integer offset)
{
    size_t len;
    const char *s = luaL_checklstring(L, 1, &len);
    int all = limit == 0 && offset == 0;
    if (offset < 0 || limit < 0)
        return luaL_error(L, "Invalid request to unpack with offset of %d and limit of %d.",
                          (int)offset, (int)len);
    if ((size_t)offset > len)
        return luaL_error(L, "Start offset %d greater than input length %d.", (int)offset,
                          (int)len);
    if (all)
        limit = INT_MAX;
    lua_settop(L, 1);
    cursor c = {(const unsigned char *)s + offset, len - (size_t)offset, DEC_OK};
    int cnt = 0;
    while (c.left > 0 && cnt < limit) {
        dec_value(L, &c);
        if (c.err == DEC_EOF)
            return luaL_error(L, "Missing bytes in input.");
        if (c.err == DEC_BADFMT)
            return luaL_error(L, "Bad data format in input.");
        cnt++;
    }
    if (all)
        return cnt;
    luaL_checkstack(L, 1, "in function cmsgpack.unpack");
    lua_pushinteger(L, c.left == 0 ? -1 : (lua_Integer)(len - c.left));
    lua_insert(L, 2);
    return cnt + 1;
}

static int unpack(lua_State *L)
{
    return unpack_full(L, 0, 0);
}

static int unpack_one(lua_State *L)
{
    return unpack_full(L, 1, luaL_optinteger(L, 2, 0));
}

static int unpack_limit(lua_State *L)
{
    lua_Integer limit = luaL_checkinteger(L, 2);
    return unpack_full(L, limit, luaL_optinteger(L, 3, 0));
}

int luaopen_cmsgpack(lua_State *L)
{
    static const luaL_Reg fns[] = {{"pack", pack},
                                   {"unpack", unpack},
                                   {"unpack_one", unpack_one},
                                   {"unpack_limit", unpack_limit},
                                   {NULL, NULL}};
    lua_newtable(L);
    for (const luaL_Reg *f = fns; f->name; f++) {
        lua_pushcfunction(L, f->func);
        lua_setfield(L, -2, f->name);
    }
    lua_pushliteral(L, "cmsgpack");
    lua_setfield(L, -2, "_NAME");
    lua_pushliteral(L, "lua-cmsgpack 0.4.0");
    lua_setfield(L, -2, "_VERSION");
    return 1;
}
