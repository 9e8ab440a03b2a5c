/* struct.c - the "struct" library of Lua 5.1 scripts: pack(fmt, ...),
 * unpack(fmt, s [,pos]) and size(fmt), converting between Lua values and
 * C-struct-like binary strings.
 *
 * Format: '<' little, '>' big endian, '!n' max alignment (power of 2, no n:
 * the platform's), ' ' ignored; 'b'/'B' char, 'h'/'H' short, 'l'/'L' long,
 * 'T' size_t, 'i'/'I'[n] int of n bytes (default sizeof(int), at most 32),
 * 'f' float, 'd' double, 'x' one zero byte, 's' zero-terminated string,
 * 'c'[n] n chars (pack: n = 0 means the whole string; unpack: c0 takes its
 * length from the number just read).  Lower case integers are signed.
 * unpack returns the values then the position after the last byte read. */
#include "lualibs.h"

#include <ctype.h>
#include <lauxlib.h>
#include <limits.h>
#include <stddef.h>
#include <string.h>

#define MAXINTSIZE 32

typedef struct fmt_state {
    int little; /* 1: little endian */
    size_t align;
} fmt_state;

static int native_little(void)
{
    const union {
        int i;
        char c;
    } u = {1};
    return u.c == 1;
}

static size_t max_align(void)
{
    struct probe {
        char c;
        double d;
    };
    size_t pad = offsetof(struct probe, d);
    return pad > sizeof(int) ? pad : sizeof(int);
}

static void fmt_init(fmt_state *h)
{
    h->little = native_little();
    h->align = 1;
}

static int read_num(lua_State *L, const char **fmt, int dflt)
{
    if (!isdigit((unsigned char)**fmt))
        return dflt;
    int a = 0;
    do {
        int d = *(*fmt)++ - '0';
        if (a > (INT_MAX - d) / 10)
            luaL_error(L, "integral size overflow");
        a = a * 10 + d;
    } while (isdigit((unsigned char)**fmt));
    return a;
}

/* Size of option opt (reading its count), 0 for control options. */
static size_t opt_size(lua_State *L, int opt, const char **fmt)
{
    switch (opt) {
    case 'B': case 'b': return sizeof(char);
    case 'H': case 'h': return sizeof(short);
    case 'L': case 'l': return sizeof(long);
    case 'T': return sizeof(size_t);
    case 'f': return sizeof(float);
    case 'd': return sizeof(double);
    case 'x': return 1;
    case 'c': return (size_t)read_num(L, fmt, 1);
    case 'i': case 'I': {
        int sz = read_num(L, fmt, sizeof(int));
        if (sz > MAXINTSIZE)
            luaL_error(L, "integral size %d is larger than limit of %d", sz, MAXINTSIZE);
        return (size_t)sz;
    }
    default: return 0;
    }
}

/* Padding before an item of `size` at offset len. */
static size_t pad_for(size_t len, const fmt_state *h, int opt, size_t size)
{
    if (size == 0 || opt == 'c')
        return 0;
    if (size > h->align)
        size = h->align;
    return (size - (len & (size - 1))) & (size - 1);
}

static void control(lua_State *L, int opt, const char **fmt, fmt_state *h)
{
    switch (opt) {
    case ' ':
        return;
    case '>':
        h->little = 0;
        return;
    case '<':
        h->little = 1;
        return;
    case '!': {
        int a = read_num(L, fmt, (int)max_align());
        if (a <= 0 || (a & (a - 1)) != 0)
            luaL_error(L, "alignment %d is not a power of 2", a);
        h->align = (size_t)a;
        return;
    }
    default:
        luaL_argerror(L, 1, lua_pushfstring(L, "invalid format option '%c'", opt));
    }
}

static void put_int(lua_State *L, luaL_Buffer *b, int arg, int little, size_t size)
{
    lua_Number n = luaL_checknumber(L, arg);
    unsigned long v = n < 0 ? (unsigned long)(long)n : (unsigned long)n;
    char out[MAXINTSIZE];
    for (size_t i = 0; i < size; i++) {
        out[little ? i : size - 1 - i] = (char)(v & 0xff);
        v = i + 1 < sizeof(v) ? v >> 8 : 0;
    }
    luaL_addlstring(b, out, size);
}

/* Reverse n bytes when the wanted order is not the machine's. */
static void fix_order(char *p, size_t n, int little)
{
    if (little == native_little())
        return;
    for (size_t i = 0; i < n / 2; i++) {
        char t = p[i];
        p[i] = p[n - 1 - i];
        p[n - 1 - i] = t;
    }
}

static int s_pack(lua_State *L)
{
    const char *fmt = luaL_checkstring(L, 1);
    fmt_state h;
    fmt_init(&h);
    int arg = 2;
    size_t total = 0;
    luaL_Buffer b;
    lua_pushnil(L); /* keeps the buffer above the arguments */
    luaL_buffinit(L, &b);
    while (*fmt) {
        int opt = *fmt++;
        size_t size = opt_size(L, opt, &fmt);
        size_t pad = pad_for(total, &h, opt, size);
        total += pad;
        while (pad--)
            luaL_addchar(&b, '\0');
        switch (opt) {
        case 'b': case 'B': case 'h': case 'H': case 'l': case 'L': case 'T':
        case 'i': case 'I':
            put_int(L, &b, arg++, h.little, size);
            break;
        case 'x':
            luaL_addchar(&b, '\0');
            break;
        case 'f': {
            float f = (float)luaL_checknumber(L, arg++);
            fix_order((char *)&f, sizeof(f), h.little);
            luaL_addlstring(&b, (char *)&f, sizeof(f));
            break;
        }
        case 'd': {
            double d = luaL_checknumber(L, arg++);
            fix_order((char *)&d, sizeof(d), h.little);
            luaL_addlstring(&b, (char *)&d, sizeof(d));
            break;
        }
        case 'c': case 's': {
            size_t l;
            const char *s = luaL_checklstring(L, arg++, &l);
            if (size == 0)
                size = l;
            luaL_argcheck(L, l >= size, arg, "string too short");
            luaL_addlstring(&b, s, size);
            if (opt == 's') {
                luaL_addchar(&b, '\0');
                size++;
            }
            break;
        }
        default:
            control(L, opt, &fmt, &h);
        }
        total += size;
    }
    luaL_pushresult(&b);
    return 1;
}

static lua_Number get_int(const char *p, int little, int is_signed, size_t size)
{
    unsigned long v = 0;
    for (size_t i = 0; i < size; i++) {
        unsigned char byte = (unsigned char)p[little ? size - 1 - i : i];
        v = v << 8 | byte;
    }
    if (!is_signed)
        return (lua_Number)v;
    if (size < sizeof(v)) {
        unsigned long mask = ~0UL << (size * 8 - 1);
        if (v & mask)
            v |= mask;
    }
    return (lua_Number)(long)v;
}

static int s_unpack(lua_State *L)
{
    const char *fmt = luaL_checkstring(L, 1);
    size_t ld;
    const char *data = luaL_checklstring(L, 2, &ld);
    lua_Integer ipos = luaL_optinteger(L, 3, 1);
    luaL_argcheck(L, ipos > 0, 3, "offset must be 1 or greater");
    size_t pos = (size_t)ipos - 1;
    int n = 0;
    fmt_state h;
    fmt_init(&h);
    while (*fmt) {
        int opt = *fmt++;
        size_t size = opt_size(L, opt, &fmt);
        pos += pad_for(pos, &h, opt, size);
        luaL_argcheck(L, size <= ld && pos <= ld - size, 2, "data string too short");
        luaL_checkstack(L, 2, "too many results");
        switch (opt) {
        case 'b': case 'B': case 'h': case 'H': case 'l': case 'L': case 'T':
        case 'i': case 'I':
            lua_pushnumber(L, get_int(data + pos, h.little, islower(opt), size));
            n++;
            break;
        case 'x':
            break;
        case 'f': {
            float f;
            memcpy(&f, data + pos, sizeof(f));
            fix_order((char *)&f, sizeof(f), h.little);
            lua_pushnumber(L, f);
            n++;
            break;
        }
        case 'd': {
            double d;
            memcpy(&d, data + pos, sizeof(d));
            fix_order((char *)&d, sizeof(d), h.little);
            lua_pushnumber(L, d);
            n++;
            break;
        }
        case 'c':
            if (size == 0) {
                if (n == 0 || !lua_isnumber(L, -1))
                    luaL_error(L, "format 'c0' needs a previous size");
                size = (size_t)lua_tonumber(L, -1);
                lua_pop(L, 1);
                n--;
                luaL_argcheck(L, size <= ld && pos <= ld - size, 2, "data string too short");
            }
            lua_pushlstring(L, data + pos, size);
            n++;
            break;
        case 's': {
            const char *e = memchr(data + pos, '\0', ld - pos);
            if (!e)
                luaL_error(L, "unfinished string in data");
            size = (size_t)(e - (data + pos)) + 1;
            lua_pushlstring(L, data + pos, size - 1);
            n++;
            break;
        }
        default:
            control(L, opt, &fmt, &h);
        }
        pos += size;
    }
    lua_pushinteger(L, (lua_Integer)pos + 1);
    return n + 1;
}

static int s_size(lua_State *L)
{
    const char *fmt = luaL_checkstring(L, 1);
    size_t pos = 0;
    fmt_state h;
    fmt_init(&h);
    while (*fmt) {
        int opt = *fmt++;
        size_t size = opt_size(L, opt, &fmt);
        pos += pad_for(pos, &h, opt, size);
        if (opt == 's')
            luaL_argerror(L, 1, "option 's' has no fixed size");
        else if (opt == 'c' && size == 0)
            luaL_argerror(L, 1, "option 'c0' has no fixed size");
        if (!isalnum(opt))
            control(L, opt, &fmt, &h);
        pos += size;
    }
    lua_pushinteger(L, (lua_Integer)pos);
    return 1;
}

int luaopen_struct(lua_State *L)
{
    static const luaL_Reg fns[] = {
        {"pack", s_pack}, {"unpack", s_unpack}, {"size", s_size}, {NULL, NULL}};
    lua_newtable(L);
    for (const luaL_Reg *f = fns; f->name; f++) {
        lua_pushcfunction(L, f->func);
        lua_setfield(L, -2, f->name);
    }
    return 1;
}
