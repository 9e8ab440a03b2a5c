"""resp.py - raw RESP2/RESP3 client connection and reply normalisers for the
differential tester.

A reply is read as (raw, tree): `raw` is the exact bytes the server sent for
that one reply, `tree` a parse of it used only to find reply boundaries and,
for the few commands whose replies are not deterministic, to mask or reorder
parts before comparing.  Tree nodes are (type, payload) tuples:

    ('+'|'-'|':'|','|'#'|'(', bytes)    simple string, error, integer, ...
    ('$'|'=', bytes | None)            bulk / verbatim string, None = nil
    ('*'|'~'|'%'|'>', list | None)     array, set, map (flat k,v), push
    ('_', None)                        RESP3 null
    ('M', bytes)                       a masked value (written as "?...")

serialize(tree) writes a tree back to RESP bytes, so an unmasked reply
serialises to exactly its raw bytes.
"""
import socket


class ConnClosed(Exception):
    pass


class Conn:
    """One TCP connection with a read buffer; replies are parsed in place."""

    def __init__(self, port, timeout=10.0):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.sock.settimeout(timeout)
        self.buf = bytearray()
        self.pos = 0

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass

    def send(self, data):
        try:
            self.sock.sendall(data)
        except OSError as e:
            raise ConnClosed(str(e))

    def pending(self):
        """True when a reply (or part of one) can be read without waiting."""
        if self.pos < len(self.buf):
            return True
        self.sock.setblocking(False)
        try:
            chunk = self.sock.recv(65536)
        except (BlockingIOError, InterruptedError):
            chunk = None
        except OSError:
            chunk = b""
        finally:
            self.sock.setblocking(True)
        if chunk is None:
            return False
        if not chunk:
            return True  # EOF: the next read() reports it
        self.buf += chunk
        return True

    def settimeout(self, t):
        self.sock.settimeout(t)

    def _fill(self):
        try:
            chunk = self.sock.recv(65536)
        except socket.timeout:
            raise
        except OSError as e:
            raise ConnClosed(str(e))
        if not chunk:
            raise ConnClosed("closed by server")
        self.buf += chunk

    def _line(self):
        while True:
            i = self.buf.find(b"\r\n", self.pos)
            if i >= 0:
                line = bytes(self.buf[self.pos:i])
                self.pos = i + 2
                return line
            self._fill()

    def _exact(self, n):
        while len(self.buf) - self.pos < n + 2:
            self._fill()
        data = bytes(self.buf[self.pos:self.pos + n])
        self.pos += n + 2
        return data

    def _parse(self):
        line = self._line()
        if not line:
            raise ConnClosed("empty reply line")
        t = chr(line[0])
        rest = line[1:]
        if t in "+-:,#(":
            return (t, rest)
        if t == "_":
            return ("_", None)
        if t in "$=!":
            n = int(rest)
            if n < 0:
                return ("$", None)
            return ("-" if t == "!" else t, self._exact(n))
        if t in "*~>":
            n = int(rest)
            if n < 0:
                return ("*", None)
            return (t, [self._parse() for _ in range(n)])
        if t == "%":
            n = int(rest)
            return ("%", [self._parse() for _ in range(2 * n)])
        if t == "|":  # attribute: skip it, return the reply that follows
            n = int(rest)
            for _ in range(2 * n):
                self._parse()
            return self._parse()
        raise ConnClosed("bad reply type byte %r" % line[:20])

    def read(self):
        start = self.pos
        tree = self._parse()
        raw = bytes(self.buf[start:self.pos])
        if self.pos == len(self.buf):
            self.buf.clear()
            self.pos = 0
        elif self.pos > (1 << 20):
            del self.buf[:self.pos]
            self.pos = 0
        return raw, tree


def encode(args):
    out = [b"*%d\r\n" % len(args)]
    for a in args:
        out.append(b"$%d\r\n%s\r\n" % (len(a), a))
    return b"".join(out)


def serialize(t):
    typ, v = t
    if typ in "+-:,#(":
        return typ.encode() + v + b"\r\n"
    if typ == "M":
        return b"?" + v + b"\r\n"
    if typ == "_":
        return b"_\r\n"
    if typ in "$=":
        if v is None:
            return b"$-1\r\n"
        return b"%s%d\r\n%s\r\n" % (typ.encode(), len(v), v)
    if typ in "*~>%":
        if v is None:
            return b"*-1\r\n"
        n = len(v) // 2 if typ == "%" else len(v)
        return typ.encode() + b"%d\r\n" % n + b"".join(serialize(x) for x in v)
    raise ValueError(typ)


def is_pong(t):
    """The PING sentinel: +PONG, or ["pong", ""] in RESP2 subscribed mode."""
    typ, v = t
    if typ == "+" and v == b"PONG":
        return True
    return (typ in "*>" and v is not None and len(v) == 2 and v[0] == ("$", b"pong")
            and v[1] == ("$", b""))


# ---- normalisers -------------------------------------------------------------

MASK = ("M", b"masked")


def _is_list(t):
    return t[0] in "*~>%" and t[1] is not None


def sort_elems(t):
    if not _is_list(t):
        return t
    return (t[0], sorted(t[1], key=serialize))


def sort_pairs(t):
    """A flat k,v list (RESP2) or map: sort the pairs by key.  A RESP3 list of
    [k, v] arrays is sorted as elements."""
    if not _is_list(t):
        return t
    v = t[1]
    if v and all(x[0] == "*" and x[1] is not None and len(x[1]) == 2 for x in v) \
            and t[0] != "%":
        return sort_elems(t)
    pairs = [(v[i], v[i + 1]) for i in range(0, len(v) - 1, 2)]
    pairs.sort(key=lambda p: serialize(p[0]) + serialize(p[1]))
    return (t[0], [x for p in pairs for x in p])


def mask_positive(t):
    if t[0] == ":" and int(t[1]) > 0:
        return MASK
    return t


def mask_all(t):
    return ("M", t[0].encode())


def _mask_keys(t, keys):
    """In a k,v list or map, mask the values of the given keys."""
    if not _is_list(t):
        return t
    v = list(t[1])
    for i in range(0, len(v) - 1, 2):
        if v[i][0] in "$+" and v[i][1] in keys:
            v[i + 1] = MASK
    return (t[0], v)


def _kv_get(t, key):
    if not _is_list(t):
        return None
    v = t[1]
    for i in range(0, len(v) - 1, 2):
        if v[i][0] in "$+" and v[i][1] == key:
            return i + 1
    return None


def _mask_index(t, i, n):
    """Mask element i of an array of exactly n elements."""
    if _is_list(t) and len(t[1]) == n:
        v = list(t[1])
        v[i] = MASK
        return (t[0], v)
    return t


def _map_list(t, f):
    if not _is_list(t):
        return t
    return (t[0], [f(x) for x in t[1]])


def norm_xinfo_stream(t, full):
    t = _mask_keys(t, {b"radix-tree-nodes"})
    if not full or not _is_list(t):
        return t
    gi = _kv_get(t, b"groups")
    if gi is None:
        return t
    v = list(t[1])

    def consumer(c):
        c = _mask_keys(c, {b"seen-time"})
        pi = _kv_get(c, b"pending")
        if pi is not None:
            cv = list(c[1])
            cv[pi] = _map_list(cv[pi], lambda e: _mask_index(e, 1, 3))
            c = (c[0], cv)
        return c

    def group(g):
        if not _is_list(g):
            return g
        gv = list(g[1])
        pi = _kv_get(g, b"pending")
        if pi is not None:
            gv[pi] = _map_list(gv[pi], lambda e: _mask_index(e, 2, 4))
        ci = _kv_get(g, b"consumers")
        if ci is not None:
            gv[ci] = _map_list(gv[ci], consumer)
        return (g[0], gv)

    v[gi] = _map_list(v[gi], group)
    return (t[0], v)


def _upper(a):
    return a.upper() if isinstance(a, bytes) else a


def normaliser(args):
    """The function that normalises the reply to `args`, or None when the
    reply must match byte for byte."""
    name = _upper(args[0])
    sub = _upper(args[1]) if len(args) > 1 else b""
    if name in (b"TTL", b"PTTL", b"EXPIRETIME", b"PEXPIRETIME"):
        return mask_positive
    if name in (b"KEYS", b"SMEMBERS", b"SINTER", b"SUNION", b"SDIFF", b"HKEYS", b"HVALS"):
        return sort_elems
    if name == b"PUBSUB" and sub in (b"CHANNELS", b"SHARDCHANNELS"):
        return sort_elems
    if name == b"HGETALL":
        return sort_pairs
    if name in (b"SORT", b"SORT_RO") and _upper_set(args) & {b"ALPHA"} and \
            not _upper_set(args) & {b"GET", b"STORE", b"BY"}:
        return sort_c_string_ties
    if name in (b"SPOP", b"SRANDMEMBER") and len(args) > 2:
        return sort_elems
    if name in (b"HRANDFIELD", b"ZRANDMEMBER") and len(args) > 2:
        if len(args) > 3:
            return sort_pairs
        return sort_elems
    if name in (b"SCAN", b"SSCAN"):
        return lambda t: _scan(t, sort_elems)
    if name in (b"HSCAN", b"ZSCAN"):
        return lambda t: _scan(t, sort_pairs)
    if name == b"XPENDING" and len(args) > 3:
        return lambda t: _map_list(t, lambda e: _mask_index(e, 2, 4))
    if name == b"XINFO":
        if sub == b"STREAM":
            full = len(args) > 3
            return lambda t: norm_xinfo_stream(t, full)
        if sub == b"CONSUMERS":
            return lambda t: _map_list(t, lambda c: _mask_keys(c, {b"idle"}))
    if name == b"HELLO" or (name == b"CLIENT" and sub == b"ID"):
        return lambda t: t if t[0] == "-" else mask_all(t)
    return None


def _upper_set(args):
    return {_upper(a) for a in args}


def sort_c_string_ties(t):
    """SORT ... ALPHA compares with strcoll(), i.e. as C strings: "a" and
    "a\0b" tie, and ties come out in the order of an unstable sort over
    hash-ordered input.  Sort each run of such ties."""
    if not _is_list(t):
        return t
    out, run = [], []
    for x in t[1] + [None]:
        if run and (x is None or x[0] != "$" or x[1] is None or run[0][0] != "$" or
                    run[0][1] is None or x[1].split(b"\0")[0] != run[0][1].split(b"\0")[0]):
            out += sorted(run, key=serialize)
            run = []
        if x is not None:
            run.append(x)
    return (t[0], out)


def _scan(t, inner):
    if _is_list(t) and len(t[1]) == 2:
        return (t[0], [t[1][0], inner(t[1][1])])
    return t


def normalise(args, tree, raw, queued=None):
    """Bytes to compare for the reply `tree` (raw bytes `raw`) to `args`.
    queued: for EXEC, the args of each queued command."""
    if queued is not None and _upper(args[0]) == b"EXEC" and _is_list(tree) \
            and len(tree[1]) == len(queued):
        v = []
        changed = False
        for q, r in zip(queued, tree[1]):
            f = normaliser(q)
            if f:
                r = f(r)
                changed = True
            v.append(r)
        return serialize((tree[0], v)) if changed else raw
    f = normaliser(args)
    if f is None:
        return raw
    return serialize(f(tree))
