"""gen.py - seeded generator of random command sequences for the
differential tester.

Gen(seed, missing).ops(n) returns a list of operations whose replies are
deterministic on Redis 7.0.15 (no '*' stream IDs, no random members, no
short TTLs, XCLAIM/XAUTOCLAIM min-idle-times either 0 or far beyond any run,
TIME fixed in the past or the future).  An operation is one of

    ("c", conn, args)          send args on connection conn (0 main, 1 aux)
    ("block", a, [b, ...])     a blocks on conn 1; once it is blocked (or has
                               replied), each b runs on conn 2 (db 0, like 1);
                               with b's, a has no timeout and the runner ends
                               with CLIENT UNBLOCK <conn 1>
    ("raw", bytes)             a new connection sends these bytes (valid and
                               malformed requests, inline and multibulk),
                               half-closes, and reads until the server closes
    ("pubsub", [s, ...], [p, ...])
                               conn 1 runs the (P|S)SUBSCRIBE commands s, conn 0
                               runs p (PUBLISH...), then conn 1 reads what
                               arrived and unsubscribes from everything

args are lists of bytes.  `missing` is the set of lower-case command names
(and "container|sub" names) Redis knows and the server under test lacks:
they are not generated, so the same seed produces a different
sequence as commands are added (the repro always lists the commands).

The count of an operation is the number of commands it sends.
"""
import random

STR_KEYS = [b"s:%d" % i for i in range(5)]
LIST_KEYS = [b"l:%d" % i for i in range(5)]
STREAM_KEYS = [b"x:%d" % i for i in range(4)]
HASH_KEYS = [b"h:%d" % i for i in range(4)]
SET_KEYS = [b"S:%d" % i for i in range(4)]
ZSET_KEYS = [b"z:%d" % i for i in range(4)]
# Lex-range commands only on these: every member gets score 0 (with mixed
# scores Redis documents the result as unspecified).
ZLEX_KEYS = [b"zl:0", b"zl:1"]
ALL_KEYS = STR_KEYS + LIST_KEYS + STREAM_KEYS + HASH_KEYS + SET_KEYS + ZSET_KEYS + [b"nokey"]
GROUPS = [b"g1", b"g2", b"g3"]
CONSUMERS = [b"c1", b"c2", b"c3"]
CHANNELS = [b"ch1", b"ch2", b"news.a", b"news.b"]
PATTERNS = [b"ch*", b"news.*", b"n?ws.[ab]", b"*"]

JUNK = [b"", b"-1", b"0", b"abc", b"1.5", b"-0", b"9223372036854775807",
        b"9223372036854775808", b"-9223372036854775809", b"18446744073709551616", b"inf",
        b"-inf", b"nan", b"+inf", b"(", b"(1", b"[", b"-", b"+", b"$", b"*", b"\x00", b"1e3",
        b" 1", b"0x10", b"99999999999999999999999", b"LIMIT", b"COUNT", b"WITHSCORES",
        b"STREAMS", b"0-0", b"1-1", b"-1-1", b"1-", b"18446744073709551615-18446744073709551615",
        b">", b"$"]

# Never truncated by mutate(): without their count they pick at random, and
# SCAN without COUNT returns implementation-defined cursors.
# Expiry times: far in the future, or (EXPIREAT/PEXPIREAT only, which delete
# at once) in the past; never near now, where lazy and active expiry race.
FUTURE_S = 4102444800
FUTURE_MS = FUTURE_S * 1000
# Blocking commands are only truncated by mutate(): a junk "0" timeout would
# block forever.
BLOCKING_CMDS = (b"BLPOP", b"BRPOP", b"BLMOVE", b"BRPOPLPUSH", b"BLMPOP", b"BZPOPMIN",
                 b"BZPOPMAX", b"BZMPOP", b"XREAD", b"XREADGROUP")
RANDOM_CMDS = (b"SPOP", b"SRANDMEMBER", b"HRANDFIELD", b"ZRANDMEMBER", b"SCAN", b"SSCAN",
               b"HSCAN", b"ZSCAN")
NUM_VALS = [b"0", b"1", b"-1", b"7", b"42", b"-100", b"9223372036854775807",
            b"-9223372036854775808", b"3.5", b"-0.25", b"1e2", b"10abc", b"", b" 5",
            b"007", b"+1", b"inf", b"1.7976931348623157e308", b"0.1"]


def b(x):
    return x if isinstance(x, bytes) else str(x).encode()


class Gen:
    def __init__(self, seed, missing, events=False, focus=(), skip_known=False):
        self.r = random.Random(seed)
        self.missing = missing
        self.events = events
        self.ms = {k: 1 for k in STREAM_KEYS}
        self.ids = {k: [] for k in STREAM_KEYS}
        self.in_multi = 0
        self.skip_known = skip_known
        self.families = [
            (14, "string", self.g_string),
            (14, "list", self.g_list),
            (18, "stream", self.g_stream),
            (6, "hash", self.g_hash),
            (6, "set", self.g_set),
            (7, "zset", self.g_zset),
            (7, "keys", self.g_keys),
            (3, "multi", self.g_multi),
            (2, "block", self.g_block),
            (2, "pubsub", self.g_pubsub),
            (1, "raw", self.g_raw),
            (2, "sort", self.g_sort),
            (2, "script", self.g_script),
            (2, "aux", self.g_aux),
            (1, "misc", self.g_misc),
        ]
        self.families = [(w * 20 if name in focus else w, name, f)
                         for w, name, f in self.families if self._family_ok(name)]
        self.total_w = sum(f[0] for f in self.families)

    # ---- helpers ---------------------------------------------------------

    def has(self, name):
        return name not in self.missing

    def _family_ok(self, fam):
        need = {"string": "set", "list": "lpush", "stream": "xadd", "hash": "hset",
                "set": "sadd", "zset": "zadd", "keys": "del", "multi": "multi",
                "block": "blpop", "pubsub": "publish", "aux": "set", "misc": "ping",
                "raw": "ping", "sort": "sort", "script": "eval"}
        return self.has(need[fam])

    def ch(self, seq):
        return self.r.choice(seq)

    def p(self, prob):
        return self.r.random() < prob

    def key(self, pool):
        if self.p(0.12):
            return self.ch(ALL_KEYS)
        return self.ch(pool)

    def num(self, lo, hi, junk=0.03):
        if self.p(junk):
            return self.ch(JUNK)
        return b(self.r.randint(lo, hi))

    def val(self):
        x = self.r.random()
        if x < 0.35:
            return b(self.r.randint(-5, 60))
        if x < 0.7:
            return self.ch([b"a", b"b", b"c", b"foo", b"bar", b"hello", b"x" * 3, b"A"])
        if x < 0.8:
            return self.ch(NUM_VALS)
        if x < 0.93:
            n = self.r.randint(0, 12)
            return bytes(self.r.choice(b"ab\x00\r\n\xff \"'\\") for _ in range(n))
        return bytes(self.r.choice(b"abcdefgh") for _ in range(self.r.randint(40, 700)))

    def field(self):
        return self.ch([b"f1", b"f2", b"f3", b"f4", b"name", b"", b"1", b"\x00"])

    def member(self):
        return self.ch([b"a", b"b", b"c", b"d", b"e", b"1", b"2", b"10", b"-3", b"m:x", b""])

    def case(self, args):
        if self.p(0.15):
            args[0] = args[0].lower()
        return args

    def c(self, *args, conn=0):
        return ("c", conn, self.case([b(a) for a in args]))

    def mutate(self, op):
        """Wrong arity or a bad argument: the error paths."""
        args = list(op[2])
        x = self.r.random()
        name = args[0].upper()
        if name == b"COMMAND":  # a bare COMMAND lists every command of the server
            return op
        if name in RANDOM_CMDS:
            x = 0.4
        if name in BLOCKING_CMDS:
            x = 0
        if x < 0.3 and len(args) > 1:
            args = args[:self.r.randint(1, len(args) - 1)]
        elif x < 0.45:
            args.append(self.ch(JUNK + [b"extra"]))
        elif len(args) > 1:
            i = self.r.randint(1, len(args) - 1)
            args[i] = self.ch(JUNK)
            if name == b"XADD" and args[i] == b"*":  # an ID from the clock
                args[i] = b"**"
        return ("c", op[1], args)

    # ---- driver ----------------------------------------------------------

    def ops(self, n):
        out = []
        count = 0
        while count < n:
            op = self.one()
            if op is None:
                continue
            out.append(op)
            count += op_count(op)
        if self.in_multi:
            out.append(self.c("EXEC"))
        return out

    def one(self):
        if self.in_multi:
            self.in_multi -= 1
            if self.in_multi == 0:
                return self.c(self.ch([b"EXEC"] * 6 + [b"DISCARD"]))
        x = self.r.random() * self.total_w
        for w, name, f in self.families:
            x -= w
            if x < 0:
                break
        if self.in_multi and name in ("block", "pubsub", "multi", "aux", "raw"):
            name, f = "string", self.g_string
        self.no_mutate = False
        op = f()
        if op is None:
            return None
        if op[0] == "c":
            if not self.has(op[2][0].lower().decode("latin-1")):
                return None
            if self.p(0.07) and not self.no_mutate:
                op = self.mutate(op)
            if self.skip_known and self.known(op[2]):
                return None
        return op

    def known(self, args):
        """Mismatches already reported and not fixed yet (--skip-known), so
        that long runs look for new ones."""
        return False

    # ---- strings ---------------------------------------------------------

    def g_string(self):
        k = self.key(STR_KEYS)
        r = self.r.randint(0, 27)
        if r == 0:
            args = [b"SET", k, self.val()]
            if self.p(0.3):
                args.append(self.ch([b"NX", b"XX", b"GET", b"KEEPTTL"]))
            if self.p(0.2):
                args += self.ch([[b"EX", self.num(1000, 100000)],
                                 [b"PX", self.num(10 ** 6, 10 ** 9)],
                                 [b"EXAT", self.num(FUTURE_S, FUTURE_S + 10 ** 6)],
                                 [b"PXAT", self.num(FUTURE_MS, FUTURE_MS + 10 ** 9)],
                                 [b"EX", b"0"],
                                 [b"KEEPTTL"], [b"GET"]])
            return self.c(*args)
        if r in (1, 2):
            return self.c("GET", k)
        if r == 3:
            return self.c("MGET", *[self.key(STR_KEYS) for _ in range(self.r.randint(1, 4))])
        if r == 4:
            kv = []
            for _ in range(self.r.randint(1, 3)):
                kv += [self.key(STR_KEYS), self.val()]
            return self.c(self.ch(["MSET", "MSETNX"]), *kv)
        if r == 5:
            return self.c("APPEND", k, self.val())
        if r == 6:
            return self.c("STRLEN", k)
        if r in (7, 8):
            return self.c(self.ch(["INCR", "DECR"]), k)
        if r == 9:
            return self.c(self.ch(["INCRBY", "DECRBY"]), k, self.ch(NUM_VALS + [b"5", b"-3"]))
        if r == 10:
            return self.c("INCRBYFLOAT", k, self.ch(NUM_VALS + [b"1.1", b"-2.5e3", b"3"]))
        if r == 11:
            return self.c("SETRANGE", k, self.num(-1, 40), self.val())
        if r == 12:
            return self.c(self.ch(["GETRANGE", "SUBSTR"]), k, self.num(-20, 20), self.num(-20, 20))
        if r == 13:
            return self.c("GETSET", k, self.val())
        if r == 14:
            return self.c("GETDEL", k)
        if r == 15:
            opt = self.ch([[], [b"PERSIST"], [b"EX", self.num(1000, 10 ** 5)],
                           [b"PX", self.num(10 ** 6, 10 ** 8)],
                           [b"EXAT", self.num(FUTURE_S, FUTURE_S + 10 ** 6)],
                           [b"PXAT", self.num(FUTURE_MS, FUTURE_MS + 10 ** 9)], [b"EX", b"-1"]])
            return self.c("GETEX", k, *opt)
        if r == 16:
            return self.c("SETNX", k, self.val())
        if r == 17:
            if self.p(0.5):
                return self.c("SETEX", k, self.num(1000, 100000, 0.1), self.val())
            return self.c("PSETEX", k, self.num(10 ** 6, 10 ** 9, 0.1), self.val())
        if r == 18:
            args = [b"LCS", self.key(STR_KEYS), self.key(STR_KEYS)]
            if self.p(0.5):
                args.append(self.ch([b"LEN", b"IDX"]))
                if args[-1] == b"IDX":
                    if self.p(0.5):
                        args += [b"MINMATCHLEN", self.num(0, 4)]
                    if self.p(0.5):
                        args.append(b"WITHMATCHLEN")
            return self.c(*args)
        if r == 19:
            return self.c("SETBIT", k, self.num(0, 100), self.ch([b"0", b"1", b"1", b"2"]))
        if r == 20:
            return self.c("GETBIT", k, self.num(0, 120))
        if r == 21:
            args = [b"BITCOUNT", k]
            if self.p(0.6):
                args += [self.num(-10, 10), self.num(-10, 10)]
                if self.p(0.4):
                    args.append(self.ch([b"BYTE", b"BIT"]))
            return self.c(*args)
        if r == 22:
            args = [b"BITPOS", k, self.ch([b"0", b"1"])]
            if self.p(0.6):
                args.append(self.num(-10, 10))
                if self.p(0.6):
                    args.append(self.num(-10, 10))
                    if self.p(0.4):
                        args.append(self.ch([b"BYTE", b"BIT"]))
            return self.c(*args)
        if r in (23, 24):
            return self.c("SET", k, self.ch(NUM_VALS))
        if r == 25:
            return self.c("GET", self.ch(ALL_KEYS))
        if r == 26:
            return self.c("STRLEN", self.ch(ALL_KEYS))
        return self.c("INCRBY", k, self.num(-10, 10))

    # ---- lists -----------------------------------------------------------

    def g_list(self):
        k = self.key(LIST_KEYS)
        r = self.r.randint(0, 24)
        if r <= 4:
            cmd = self.ch(["LPUSH", "RPUSH", "LPUSH", "RPUSH", "LPUSHX", "RPUSHX"])
            return self.c(cmd, k, *[self.val() for _ in range(self.r.randint(1, 5))])
        if r <= 6:
            args = [self.ch([b"LPOP", b"RPOP"]), k]
            if self.p(0.4):
                args.append(self.num(-1, 6))
            return self.c(*args)
        if r == 7:
            return self.c("LLEN", k)
        if r <= 9:
            return self.c("LRANGE", k, self.num(-8, 8), self.num(-8, 8))
        if r == 10:
            return self.c("LINDEX", k, self.num(-8, 8))
        if r == 11:
            return self.c("LSET", k, self.num(-5, 5), self.val())
        if r == 12:
            return self.c("LINSERT", k, self.ch([b"BEFORE", b"AFTER", b"after", b"middle"]),
                          self.val(), self.val())
        if r == 13:
            return self.c("LREM", k, self.num(-3, 3), self.val())
        if r == 14:
            return self.c("LTRIM", k, self.num(-8, 8), self.num(-8, 12))
        if r == 15:
            args = [b"LPOS", k, self.val()]
            for opt in (b"RANK", b"COUNT", b"MAXLEN"):
                if self.p(0.35):
                    args += [opt, self.num(-3, 4)]
            return self.c(*args)
        if r == 16:
            return self.c("RPOPLPUSH", k, self.key(LIST_KEYS))
        if r == 17:
            return self.c("LMOVE", k, self.key(LIST_KEYS), self.ch([b"LEFT", b"RIGHT"]),
                          self.ch([b"LEFT", b"RIGHT", b"UP"]))
        if r == 18:
            keys = [self.key(LIST_KEYS) for _ in range(self.r.randint(1, 3))]
            args = [b"LMPOP", self.num(1, len(keys), 0.1)] + keys + \
                [self.ch([b"LEFT", b"RIGHT", b"left"])]
            if self.p(0.5):
                args += [b"COUNT", self.num(0, 5)]
            return self.c(*args)
        if r == 19:
            # Blocking pops on conn 0: served at once or time out quickly.
            cmd = self.ch([b"BLPOP", b"BRPOP"])
            keys = [self.key(LIST_KEYS) for _ in range(self.r.randint(1, 2))]
            return self.c(cmd, *keys, self.ch([b"0.01", b"0.02", b"-1", b"abc", b"0.001"]))
        if r == 20:
            return self.c("BLMOVE", k, self.key(LIST_KEYS), self.ch([b"LEFT", b"RIGHT"]),
                          self.ch([b"LEFT", b"RIGHT"]), self.ch([b"0.01", b"0.02"]))
        if r == 21:
            return self.c("LRANGE", k, b"0", b"-1")
        if r == 22:
            return self.c("RPUSH", k, *[b(i) for i in range(self.r.randint(1, 40))])
        return self.c("LLEN", self.ch(ALL_KEYS))

    # ---- streams ---------------------------------------------------------

    def new_id(self, k):
        self.ms[k] += self.r.choice([0, 1, 1, 1, 2, 5])
        ms = self.ms[k]
        x = self.r.random()
        if x < 0.5:
            i = b"%d-%d" % (ms, self.r.randint(0, 3))
        elif x < 0.7:
            i = b"%d" % ms
        elif x < 0.85:
            i = b"%d-*" % ms
        elif x < 0.95:
            i = b"%d-%d" % (max(0, ms - self.r.randint(0, 10)), self.r.randint(0, 3))
        else:
            i = self.ch([b"0-0", b"0-1", b"abc", b"1-2-3", b"-1", b"18446744073709551615-*",
                         b"18446744073709551615-18446744073709551615", b"5-18446744073709551616"])
        self.ids[k].append(i.split(b"-*")[0])
        if len(self.ids[k]) > 40:
            self.ids[k].pop(0)
        return i

    def some_id(self, k, special=(b"-", b"+")):
        x = self.r.random()
        if x < 0.5 and self.ids.get(k):
            i = self.ch(self.ids[k])
        elif x < 0.7:
            i = b"%d" % self.r.randint(0, self.ms.get(k, 10) + 2)
        elif x < 0.9 and special:
            i = self.ch(special)
        else:
            i = b"%d-%d" % (self.r.randint(0, self.ms.get(k, 10) + 2), self.r.randint(0, 4))
        if self.p(0.03):
            i = self.ch(JUNK)
        return i

    def fields(self):
        out = []
        for _ in range(self.r.randint(1, 3)):
            out += [self.field(), self.val()]
        if self.p(0.02):
            out.append(b"odd")
        return out

    def trim_args(self, k):
        args = [self.ch([b"MAXLEN", b"MINID", b"maxlen"])]
        if self.p(0.6):
            args.append(self.ch([b"=", b"~", b"~"]))
        if args[0].upper() == b"MAXLEN":
            args.append(self.num(0, 150))
        else:
            args.append(self.some_id(k, special=()))
        if self.p(0.2):
            args += [b"LIMIT", self.num(0, 200)]
        return args

    def g_stream(self):
        sk = STREAM_KEYS
        k = self.key(sk)
        r = self.r.randint(0, 40)
        sk_k = k if k in self.ms else self.ch(sk)
        if r <= 9:
            args = [b"XADD", k]
            if self.p(0.05):
                args.append(b"NOMKSTREAM")
            if self.p(0.12):
                args += self.trim_args(sk_k)
            args.append(self.new_id(sk_k))
            return self.c(*(args + self.fields()))
        if r == 10:
            # A burst of entries so nodes split and trims hit node boundaries.
            return ("c", 0, [b"XADD", k, self.new_id(sk_k)] + [b"f", self.val()])
        if r == 11:
            return self.c("XLEN", k)
        if r in (12, 13):
            cmd = self.ch([b"XRANGE", b"XREVRANGE"])
            a, z = self.some_id(sk_k), self.some_id(sk_k)
            if self.p(0.2):
                a = b"(" + a
            args = [cmd, k, a, z]
            if self.p(0.4):
                args += [b"COUNT", self.num(-1, 10)]
            return self.c(*args)
        if r == 14:
            keys = [self.key(sk) for _ in range(self.r.randint(1, 2))]
            args = [b"XREAD"]
            if self.p(0.5):
                args += [b"COUNT", self.num(0, 5)]
            args.append(b"STREAMS")
            args += keys + [self.some_id(kk if kk in self.ms else sk_k, special=(b"0", b"$"))
                            for kk in keys]
            return self.c(*args)
        if r in (15, 16):
            sub = self.r.randint(0, 9)
            g = self.ch(GROUPS)
            if sub <= 3:
                args = [b"XGROUP", b"CREATE", k, g, self.some_id(sk_k, special=(b"$", b"0"))]
                if self.p(0.4):
                    args.append(b"MKSTREAM")
                if self.p(0.15):
                    args += [b"ENTRIESREAD", self.num(-2, 20)]
                return self.c(*args)
            if sub <= 5:
                args = [b"XGROUP", b"SETID", k, g, self.some_id(sk_k, special=(b"$", b"0"))]
                if self.p(0.2):
                    args += [b"ENTRIESREAD", self.num(-2, 20)]
                return self.c(*args)
            if sub == 6:
                return self.c("XGROUP", "DESTROY", k, g)
            if sub == 7:
                return self.c("XGROUP", "CREATECONSUMER", k, g, self.ch(CONSUMERS))
            if sub == 8:
                return self.c("XGROUP", "DELCONSUMER", k, g, self.ch(CONSUMERS))
            return self.c("XGROUP", self.ch([b"HELP", b"NOPE", b"create"]))
        if r in (17, 18, 19, 20):
            keys = [k] + ([self.key(sk)] if self.p(0.2) else [])
            args = [b"XREADGROUP", b"GROUP", self.ch(GROUPS), self.ch(CONSUMERS)]
            if self.p(0.6):
                args += [b"COUNT", self.num(0, 5)]
            if self.p(0.15):
                args.append(b"NOACK")
            args.append(b"STREAMS")
            args += keys
            args += [self.ch([b">", b">", b">", b"0", self.some_id(sk_k, special=(b"0",))])
                     for _ in keys]
            return self.c(*args)
        if r in (21, 22):
            ids = [self.some_id(sk_k, special=()) for _ in range(self.r.randint(1, 4))]
            return self.c("XACK", k, self.ch(GROUPS), *ids)
        if r in (23, 24):
            ids = [self.some_id(sk_k, special=()) for _ in range(self.r.randint(1, 3))]
            args = [b"XCLAIM", k, self.ch(GROUPS), self.ch(CONSUMERS),
                    self.ch([b"0", b"0", b"1000000", b"-1", b"3600000"])] + ids
            for opt in range(6):
                if self.p(0.2):
                    args += self.ch([[b"IDLE", self.ch([b"0", b"100000000"])],
                                     [b"TIME", self.ch([b"1000", b"4102444800000"])],
                                     [b"RETRYCOUNT", self.num(0, 9)], [b"FORCE"], [b"JUSTID"],
                                     [b"LASTID", self.some_id(sk_k, special=())]])
            return self.c(*args)
        if r in (25, 26):
            args = [b"XAUTOCLAIM", k, self.ch(GROUPS), self.ch(CONSUMERS),
                    self.ch([b"0", b"0", b"1000000", b"-5"]),
                    self.some_id(sk_k, special=(b"0", b"-"))]
            if self.p(0.5):
                args += [b"COUNT", self.num(0, 6)]
            if self.p(0.3):
                args.append(b"JUSTID")
            return self.c(*args)
        if r in (27, 28):
            args = [b"XPENDING", k, self.ch(GROUPS)]
            if self.p(0.6):
                if self.p(0.2):
                    args += [b"IDLE", self.ch([b"0", b"100000000", b"-1"])]
                args += [self.some_id(sk_k), self.some_id(sk_k), self.num(-1, 10)]
                if self.p(0.4):
                    args.append(self.ch(CONSUMERS))
            return self.c(*args)
        if r in (29, 30):
            sub = self.r.randint(0, 4)
            if sub == 0:
                return self.c("XINFO", "STREAM", k)
            if sub == 1:
                args = [b"XINFO", b"STREAM", k, b"FULL"]
                if self.p(0.5):
                    args += [b"COUNT", self.num(0, 5)]
                return self.c(*args)
            if sub == 2:
                return self.c("XINFO", "GROUPS", k)
            if sub == 3:
                return self.c("XINFO", "CONSUMERS", k, self.ch(GROUPS))
            return self.c("XINFO", self.ch([b"HELP", b"BOGUS"]))
        if r in (31, 32):
            return self.c("XTRIM", k, *self.trim_args(sk_k))
        if r in (33, 34):
            ids = [self.some_id(sk_k, special=()) for _ in range(self.r.randint(1, 3))]
            return self.c("XDEL", k, *ids)
        if r == 35:
            args = [b"XSETID", k, self.some_id(sk_k, special=())]
            if self.p(0.3):
                args += [b"ENTRIESADDED", self.num(0, 300)]
            if self.p(0.3):
                args += [b"MAXDELETEDID", self.some_id(sk_k, special=())]
            return self.c(*args)
        if r == 36:
            return self.c("XINFO", "STREAM", k)
        if r == 37:
            return self.c("XRANGE", k, "-", "+")
        return self.c("XADD", k, self.new_id(sk_k), *self.fields())

    # ---- hashes, sets, sorted sets ---------------------------------------

    def g_hash(self):
        k = self.key(HASH_KEYS)
        r = self.r.randint(0, 17)
        if r <= 3:
            fv = []
            for _ in range(self.r.randint(1, 3)):
                fv += [self.field(), self.val()]
            return self.c(self.ch(["HSET", "HSET", "HMSET"]), k, *fv)
        if r == 4:
            return self.c("HSETNX", k, self.field(), self.val())
        if r == 5:
            return self.c("HGET", k, self.field())
        if r == 6:
            return self.c("HMGET", k, *[self.field() for _ in range(self.r.randint(1, 3))])
        if r == 7:
            return self.c("HDEL", k, *[self.field() for _ in range(self.r.randint(1, 3))])
        if r == 8:
            return self.c(self.ch(["HLEN", "HKEYS", "HVALS", "HGETALL"]), k)
        if r == 9:
            return self.c("HSTRLEN", k, self.field())
        if r == 10:
            return self.c("HEXISTS", k, self.field())
        if r == 11:
            return self.c("HINCRBY", k, self.field(), self.ch(NUM_VALS))
        if r == 12:
            return self.c("HINCRBYFLOAT", k, self.field(), self.ch(NUM_VALS))
        if r == 13:
            args = [b"HRANDFIELD", k]
            if self.p(0.7):
                args.append(b"1000")
                if self.p(0.5):
                    args.append(b"WITHVALUES")
            else:
                args = [b"HRANDFIELD", k, b"0"]
            return self.c(*args)
        if r == 14:
            args = [b"HSCAN", k, b"0", b"COUNT", b"1000"]
            if self.p(0.4):
                args += [b"MATCH", self.ch([b"f*", b"*", b"n?me", b"[a-f]1"])]
            return self.c(*args)
        if r == 15:
            return self.c("HGETALL", k)
        return self.c("HSET", k, self.field(), self.val())

    def g_set(self):
        k = self.key(SET_KEYS)
        r = self.r.randint(0, 17)
        if r <= 3:
            return self.c("SADD", k, *[self.member() for _ in range(self.r.randint(1, 4))])
        if r == 4:
            return self.c("SREM", k, *[self.member() for _ in range(self.r.randint(1, 3))])
        if r == 5:
            return self.c(self.ch(["SCARD", "SMEMBERS"]), k)
        if r == 6:
            return self.c("SISMEMBER", k, self.member())
        if r == 7:
            return self.c("SMISMEMBER", k, *[self.member() for _ in range(self.r.randint(1, 3))])
        if r == 8:
            keys = [self.key(SET_KEYS) for _ in range(self.r.randint(1, 3))]
            return self.c(self.ch(["SINTER", "SUNION", "SDIFF"]), *keys)
        if r == 9:
            keys = [self.key(SET_KEYS) for _ in range(self.r.randint(1, 3))]
            return self.c(self.ch(["SINTERSTORE", "SUNIONSTORE", "SDIFFSTORE"]),
                          self.key(SET_KEYS), *keys)
        if r == 10:
            keys = [self.key(SET_KEYS) for _ in range(self.r.randint(1, 3))]
            args = [b"SINTERCARD", self.num(1, len(keys), 0.1)] + keys
            if self.p(0.4):
                args += [b"LIMIT", self.num(0, 4)]
            return self.c(*args)
        if r == 11:
            return self.c("SMOVE", k, self.key(SET_KEYS), self.member())
        if r == 12:
            return self.c(self.ch(["SPOP", "SRANDMEMBER"]), k,
                          self.ch([b"1000", b"1000", b"0", b"-0"]))
        if r == 13:
            args = [b"SSCAN", k, b"0", b"COUNT", b"1000"]
            if self.p(0.4):
                args += [b"MATCH", self.ch([b"*", b"1*", b"?"])]
            return self.c(*args)
        if r == 14:
            return self.c("SADD", k, *[b(self.r.randint(0, 600)) for _ in range(20)])
        return self.c("SMEMBERS", k)

    def score(self):
        return self.ch([b"1", b"2", b"2", b"3.5", b"-1", b"0", b"-0", b"inf", b"-inf",
                        b"+inf", b"1e3", b"10", b"abc", b"nan", b"0.1", b"-2.25"])

    def rng_score(self):
        s = self.ch([b"1", b"2", b"-inf", b"+inf", b"0", b"3.5", b"10", b"x"])
        if self.p(0.3):
            s = b"(" + s
        return s

    def rng_lex(self):
        return self.ch([b"-", b"+", b"[a", b"(a", b"[c", b"(m:x", b"[", b"a", b"[1"])

    def g_zlex(self):
        self.no_mutate = True  # a junk score would break the all-zero rule
        k = self.ch(ZLEX_KEYS)  # any other key may hold a zset with mixed scores
        r = self.r.randint(0, 9)
        if r <= 2:
            args = [b"ZADD", k]
            if self.p(0.1):
                args.append(self.ch([b"NX", b"XX", b"CH"]))
            for _ in range(self.r.randint(1, 4)):
                args += [b"0", self.member()]
            return self.c(*args)
        if r == 3:
            args = [b"ZRANGE", k, self.rng_lex(), self.rng_lex(), b"BYLEX"]
            if self.p(0.3):
                args.append(b"REV")
            if self.p(0.3):
                args += [b"LIMIT", self.num(-1, 3), self.num(-1, 4)]
            return self.c(*args)
        if r in (4, 5):
            cmd = self.ch([b"ZRANGEBYLEX", b"ZREVRANGEBYLEX"])
            args = [cmd, k, self.rng_lex(), self.rng_lex()]
            if self.p(0.3):
                args += [b"LIMIT", self.num(-1, 3), self.num(-1, 4)]
            return self.c(*args)
        if r == 6:
            return self.c("ZLEXCOUNT", k, self.rng_lex(), self.rng_lex())
        if r == 7:
            return self.c("ZREMRANGEBYLEX", k, self.rng_lex(), self.rng_lex())
        if r == 8:
            return self.c("ZREM", k, self.member())
        return self.c("ZRANGE", k, b"0", b"-1")

    def g_zset(self):
        if self.p(0.25):
            return self.g_zlex()
        k = self.key(ZSET_KEYS)
        r = self.r.randint(0, 27)
        if r <= 4:
            args = [b"ZADD", k]
            for opt in (b"NX", b"XX", b"GT", b"LT", b"CH", b"INCR"):
                if self.p(0.07):
                    args.append(opt)
            for _ in range(self.r.randint(1, 3)):
                args += [self.score(), self.member()]
            return self.c(*args)
        if r == 5:
            return self.c("ZREM", k, *[self.member() for _ in range(self.r.randint(1, 3))])
        if r == 6:
            return self.c(self.ch(["ZCARD", "ZSCORE", "ZRANK", "ZREVRANK"]), k,
                          *([] if self.p(0.25) else [self.member()]))
        if r == 7:
            return self.c("ZMSCORE", k, *[self.member() for _ in range(self.r.randint(1, 3))])
        if r == 8:
            return self.c("ZINCRBY", k, self.score(), self.member())
        if r in (9, 10):
            args = [b"ZRANGE", k]
            x = self.r.randint(0, 1)
            if x == 0:
                args += [self.num(-5, 5), self.num(-5, 5)]
            else:
                args += [self.rng_score(), self.rng_score(), b"BYSCORE"]
            if self.p(0.3):
                args.append(b"REV")
            if self.p(0.3):
                args += [b"LIMIT", self.num(-1, 3), self.num(-1, 4)]
            if self.p(0.4):
                args.append(b"WITHSCORES")
            return self.c(*args)
        if r == 11:
            cmd = self.ch([b"ZRANGEBYSCORE", b"ZREVRANGEBYSCORE"])
            args = [cmd, k, self.rng_score(), self.rng_score()]
            if self.p(0.4):
                args.append(b"WITHSCORES")
            if self.p(0.3):
                args += [b"LIMIT", self.num(-1, 3), self.num(-1, 4)]
            return self.c(*args)
        if r in (12, 14, 20):
            return self.c("ZSCORE", k, self.member())
        if r == 13:
            return self.c("ZCOUNT", k, self.rng_score(), self.rng_score())
        if r == 15:
            args = [self.ch([b"ZPOPMIN", b"ZPOPMAX"]), k]
            if self.p(0.5):
                args.append(self.num(-1, 4))
            return self.c(*args)
        if r == 16:
            keys = [self.key(ZSET_KEYS) for _ in range(self.r.randint(1, 3))]
            args = [b"ZMPOP", self.num(1, len(keys), 0.1)] + keys + [self.ch([b"MIN", b"MAX"])]
            if self.p(0.5):
                args += [b"COUNT", self.num(0, 4)]
            return self.c(*args)
        if r == 17:
            return self.c(self.ch(["BZPOPMIN", "BZPOPMAX"]), k, self.ch([b"0.01", b"-1"]))
        if r == 18:
            return self.c(self.ch(["ZREMRANGEBYRANK"]), k, self.num(-4, 4), self.num(-4, 4))
        if r == 19:
            return self.c("ZREMRANGEBYSCORE", k, self.rng_score(), self.rng_score())
        if r in (21, 22):
            cmd = self.ch([b"ZUNION", b"ZINTER", b"ZDIFF", b"ZUNIONSTORE", b"ZINTERSTORE",
                           b"ZDIFFSTORE"])
            keys = [self.ch(ZSET_KEYS + SET_KEYS) for _ in range(self.r.randint(1, 3))]
            args = [cmd] + ([self.key(ZSET_KEYS)] if cmd.endswith(b"STORE") else [])
            args += [self.num(1, len(keys), 0.1)] + keys
            if cmd != b"ZDIFF" and cmd != b"ZDIFFSTORE":
                if self.p(0.3):
                    args += [b"WEIGHTS"] + [self.ch([b"1", b"2", b"-1", b"0.5", b"x"])
                                            for _ in keys]
                if self.p(0.3):
                    args += [b"AGGREGATE", self.ch([b"SUM", b"MIN", b"MAX", b"AVG"])]
            if not cmd.endswith(b"STORE") and self.p(0.4):
                args.append(b"WITHSCORES")
            return self.c(*args)
        if r == 23:
            keys = [self.key(ZSET_KEYS) for _ in range(self.r.randint(1, 3))]
            args = [b"ZINTERCARD", self.num(1, len(keys), 0.1)] + keys
            if self.p(0.4):
                args += [b"LIMIT", self.num(0, 3)]
            return self.c(*args)
        if r == 24:
            return self.c("ZRANGESTORE", self.key(ZSET_KEYS), k, self.num(0, 3), self.num(-3, 5))
        if r == 25:
            args = [b"ZRANDMEMBER", k, b"1000"]
            if self.p(0.5):
                args.append(b"WITHSCORES")
            return self.c(*args)
        if r == 26:
            args = [b"ZSCAN", k, b"0", b"COUNT", b"1000"]
            return self.c(*args)
        return self.c("ZRANGE", k, b"0", b"-1", b"WITHSCORES")

    # ---- keyspace --------------------------------------------------------

    def g_keys(self):
        k = self.ch(ALL_KEYS)
        k2 = self.ch(ALL_KEYS)
        r = self.r.randint(0, 30)
        if r <= 2:
            return self.c(self.ch(["DEL", "UNLINK", "EXISTS", "TOUCH"]),
                          *[self.ch(ALL_KEYS) for _ in range(self.r.randint(1, 3))])
        if r <= 4:
            return self.c("TYPE", k)
        if r == 5:
            return self.c(self.ch(["RENAME", "RENAMENX"]), k, k2)
        if r == 6:
            args = [b"COPY", k, k2]
            if self.p(0.3):
                args += [b"DB", self.num(0, 2)]
            if self.p(0.4):
                args.append(b"REPLACE")
            return self.c(*args)
        if r == 7:
            return self.c("MOVE", k, self.num(0, 2))
        if r == 8:
            return self.c("SELECT", self.ch([b"0", b"0", b"0", b"1", b"2", b"16", b"-1", b"x"]))
        if r == 9:
            return self.c("DBSIZE")
        if r <= 12:
            cmd = self.ch([b"EXPIRE", b"PEXPIRE", b"EXPIREAT", b"PEXPIREAT"])
            if cmd == b"EXPIRE":
                t = self.num(1000, 100000)
            elif cmd == b"PEXPIRE":
                t = self.num(10 ** 6, 10 ** 8)
            elif cmd == b"EXPIREAT":
                t = self.ch([b"1", b"4102444800", b"4102444801", b"0"])
            else:
                t = self.ch([b"1", b"4102444800000", b"4102444800001"])
            if self.p(0.1):
                t = self.ch([b"-1", b"0", b"9223372036854775807", b"abc"])
            args = [cmd, k, t]
            if self.p(0.3):
                args.append(self.ch([b"NX", b"XX", b"GT", b"LT", b"BAD"]))
            return self.c(*args)
        if r == 13:
            return self.c("PERSIST", k)
        if r == 14:
            return self.c(self.ch(["TTL", "PTTL", "EXPIRETIME", "PEXPIRETIME"]), k)
        if r == 15:
            return self.c("KEYS", self.ch([b"*", b"s:*", b"?:1", b"[lx]:*", b"*:[0-2]", b"nokey"]))
        if r == 16:
            args = [b"SCAN", b"0", b"COUNT", b"10000"]
            if self.p(0.4):
                args += [b"MATCH", self.ch([b"*", b"l:*", b"?:2"])]
            if self.p(0.4):
                args += [b"TYPE", self.ch([b"string", b"list", b"stream", b"hash", b"set",
                                           b"zset", b"nosuch"])]
            return self.c(*args)
        if r == 17:
            return self.c("SWAPDB", self.num(0, 2), self.num(0, 2))
        if r == 18:
            if self.p(0.2):
                return self.c(self.ch(["FLUSHDB", "FLUSHALL"]))
            return self.c("DBSIZE")
        if r == 19:
            return self.c("EXISTS", k, k, k2)
        if r == 20 and self.events:
            return self.c("CONFIG", "SET", "notify-keyspace-events",
                          self.ch([b"KEA", b"KEA", b"Kl", b"Ex", b"KEt", b"Eg$", b"Kn", b"Ez",
                                   b"Ks", b"Eh", b"KEm", b"A", b"", b"KEd", b"xyz"]))
        if r == 21:
            return self.c("CONFIG", "SET", "stream-node-max-entries",
                          self.ch([b"2", b"5", b"10", b"100", b"0"]))
        return self.c("EXISTS", k)

    # ---- transactions, blocking, pub/sub, other clients ------------------

    def g_multi(self):
        x = self.r.random()
        if x < 0.25 and self.has("watch"):
            return self.c("WATCH", *[self.ch(ALL_KEYS) for _ in range(self.r.randint(1, 2))])
        if x < 0.3:
            return self.c(self.ch(["UNWATCH", "EXEC", "DISCARD"]))
        self.in_multi = self.r.randint(1, 6)
        return self.c("MULTI")

    def g_aux(self):
        """A write from the other client (WATCH invalidation, notifications)."""
        op = self.ch([self.g_string, self.g_list, self.g_stream])()
        if op is None or op[0] != "c":
            return None
        return ("c", 1, op[2])

    def block_cmd(self, timeout):
        x = self.r.randint(0, 9)
        lk = [self.key(LIST_KEYS) for _ in range(self.r.randint(1, 2))]
        if x <= 2:
            return [self.ch([b"BLPOP", b"BRPOP"])] + lk + [timeout], lk
        if x == 3:
            return [b"BLMOVE", lk[0], self.key(LIST_KEYS), self.ch([b"LEFT", b"RIGHT"]),
                    self.ch([b"LEFT", b"RIGHT"]), timeout], lk[:1]
        if x == 4:
            return [b"BRPOPLPUSH", lk[0], self.key(LIST_KEYS), timeout], lk[:1]
        if x == 5 and self.has("blmpop"):
            args = [b"BLMPOP", timeout, b"%d" % len(lk)] + lk + [self.ch([b"LEFT", b"RIGHT"])]
            if self.p(0.5):
                args += [b"COUNT", self.num(1, 3)]
            return args, lk
        if x == 6 and self.has("bzpopmin"):
            zk = [self.key(ZSET_KEYS)]
            return [self.ch([b"BZPOPMIN", b"BZPOPMAX"])] + zk + [timeout], zk
        sk = self.key(STREAM_KEYS)
        skk = sk if sk in self.ms else STREAM_KEYS[0]
        ms = b"%d" % int(float(timeout) * 1000)
        if x == 7:
            return [b"XREAD", b"COUNT", b"2", b"BLOCK", ms, b"STREAMS", sk,
                    self.ch([b"$", self.some_id(skk, special=())])], [sk]
        args = [b"XREADGROUP", b"GROUP", self.ch(GROUPS), self.ch(CONSUMERS), b"BLOCK", ms]
        if self.p(0.5):
            args += [b"COUNT", b"2"]
        if self.p(0.15):
            args.append(b"NOACK")
        return args + [b"STREAMS", sk, b">"], [sk]

    def g_block(self):
        if self.p(0.25):
            a, _ = self.block_cmd(self.ch([b"0.01", b"0.02"]))
            return ("block", a, [])
        a, keys = self.block_cmd(b"0")  # the runner ends it with CLIENT UNBLOCK
        k = self.ch(keys)
        bs = []
        for _ in range(self.r.randint(1, 2)):
            x = self.r.random()
            if k in self.ms:
                if x < 0.75:
                    bs.append([b"XADD", k, self.new_id(k)] + self.fields())
                elif x < 0.85:
                    bs.append([b"DEL", k])
                elif x < 0.95:
                    bs.append([b"XGROUP", b"DESTROY", k, self.ch(GROUPS)])
                else:
                    bs.append([b"SET", k, b"v"])
            elif k in ZSET_KEYS:
                bs.append([b"ZADD", k, self.score(), self.member()])
            else:
                if x < 0.7:
                    bs.append([self.ch([b"LPUSH", b"RPUSH"]), k] +
                              [self.val() for _ in range(self.r.randint(1, 3))])
                elif x < 0.8:
                    bs.append([b"LPUSH", self.ch(LIST_KEYS), self.val()])
                elif x < 0.9:
                    bs.append([b"MULTI"])
                    bs.append([b"RPUSH", k, self.val()])
                    bs.append([b"DEL", k])
                    bs.append([b"RPUSH", k, self.val()])
                    bs.append([b"EXEC"])
                else:
                    bs.append([b"SET", k, b"v"])
        if self.p(0.1) and self.has("swapdb"):
            bs.append([b"SWAPDB", b"0", b"1"])
        return ("block", a, bs)

    def g_pubsub(self):
        subs = []
        for _ in range(self.r.randint(1, 2)):
            x = self.r.random()
            if x < 0.45:
                subs.append([b"SUBSCRIBE"] + [self.ch(CHANNELS)
                                              for _ in range(self.r.randint(1, 2))])
            elif x < 0.85:
                subs.append([b"PSUBSCRIBE"] + [self.ch(PATTERNS)
                                               for _ in range(self.r.randint(1, 2))])
            elif x < 0.95 and self.has("ssubscribe"):
                subs.append([b"SSUBSCRIBE", self.ch(CHANNELS)])
            else:
                subs.append([self.ch([b"GET", b"PING", b"UNSUBSCRIBE", b"PUNSUBSCRIBE"]),
                             self.ch(CHANNELS)])
        pubs = []
        for _ in range(self.r.randint(1, 3)):
            x = self.r.random()
            if x < 0.7:
                pubs.append([b"PUBLISH", self.ch(CHANNELS + [b"other"]), self.val()])
            elif x < 0.8 and self.has("spublish"):
                pubs.append([b"SPUBLISH", self.ch(CHANNELS), self.val()])
            elif x < 0.9:
                pubs.append([b"PUBSUB", self.ch([b"CHANNELS", b"NUMPAT", b"NUMSUB"])] +
                            [self.ch(CHANNELS)])
            else:
                pubs.append([b"PUBSUB", b"CHANNELS", self.ch(PATTERNS)])
        return ("pubsub", subs, pubs)

    def g_sort(self):
        """SORT over lists, sets and zsets, with BY/GET patterns into strings
        and hashes.  BY nosort only with STORE (any key may hold a set, and
        a set's own order is its hash order; with STORE Redis sorts it)."""
        self.no_mutate = True  # a BY pattern without '*' means nosort (set order)
        lk = self.ch(LIST_KEYS + SET_KEYS + ZSET_KEYS) if self.p(0.9) else self.ch(ALL_KEYS)
        args = [self.ch([b"SORT", b"SORT", b"SORT_RO"]), lk]
        if self.p(0.3):
            by = self.ch([b"s:*", b"h:*->f1", b"nosuch*", b"s:*->f1", b"nosort"])
            if by == b"nosort" and lk not in LIST_KEYS:
                by = b"s:*"
            args += [b"BY", by]
        if self.p(0.3):
            args += [b"LIMIT", self.num(-1, 3), self.num(-1, 5)]
        for _ in range(self.r.choice([0, 0, 1, 2])):
            args += [b"GET", self.ch([b"#", b"s:*", b"h:*->f1", b"h:*->name", b"nosuch"])]
        if self.p(0.3):
            args.append(self.ch([b"ASC", b"DESC"]))
        # ALPHA with BY leaves ties (missing or equal weights) in the order of
        # Redis's unstable quicksort over hash-ordered input: not generated.
        # Numeric ties fall back to comparing the elements: deterministic.
        if self.p(0.5) and b"BY" not in args:
            args.append(b"ALPHA")
        if (self.p(0.15) or b"nosort" in args) and args[0] == b"SORT":
            args += [b"STORE", self.key(LIST_KEYS)]
        if self.events and (b"BY" in args or b"GET" in args):
            return None  # a set or zset (any key may hold one) is read in hash order,
            # so are the keymiss events of its BY/GET lookups
        if b"nosort" in args and b"STORE" not in args:
            return None  # without STORE, BY nosort returns a set in hash order
        return self.c(*args)

    SCRIPTS = [
        b"return redis.call('INCR', KEYS[1])",
        b"return redis.pcall('LPUSH', KEYS[1], ARGV[1])",
        b"return {1, 2, {3, 'x'}, redis.call('PING'), false, true}",
        b"return redis.call('XADD', KEYS[1], ARGV[1], 'f', 'v')",
        b"return 3.7",
        b"return {err='My Error'}",
        b"return redis.status_reply('FINE')",
        b"return redis.error_reply('custom')",
        b"local t = redis.call('LRANGE', KEYS[1], 0, -1); return #t",
        b"return redis.call('nosuch')",
        b"error('boom')",
        b"return tostring(tonumber(ARGV[1]))",
        b"return redis.sha1hex(ARGV[1])",
        b"return bit.band(7, 3)",
        b"return cjson.encode({ARGV[1]})",
        b"return redis.call('GET', KEYS[1])",
        b"return redis.call('SET', KEYS[1], ARGV[1])",
        b"return redis.call('XRANGE', KEYS[1], '-', '+')",
        b"return redis.call('RPOP', KEYS[1])",
        b"return ARGV",
        b"return KEYS",
        b"return nil",
        b"return redis.call('DEL', unpack(KEYS))",
        b"return redis.pcall('INCRBY', KEYS[1], ARGV[1])",
        b"return 1 +",
        b"return redis.call('BLPOP', KEYS[1], 0)",
        b"return redis.call('EVAL', 'return 1', 0)",
        b"return redis.call('ZADD', KEYS[1], 1, 'a') .. ''",
        b"local s = 0; for i = 1, 100 do s = s + i end; return s",
        b"return string.format('%d-%s', 5, ARGV[1])",
        b"return {double=1.5}",
        b"return redis.setresp(3)",
    ]

    def g_script(self):
        x = self.r.randint(0, 9)
        script = self.ch(self.SCRIPTS)
        keys = [self.ch(ALL_KEYS) for _ in range(self.r.choice([0, 1, 1, 1, 2]))]
        argv = [self.val() for _ in range(self.r.choice([0, 1, 1, 2]))]
        if x <= 5:
            cmd = self.ch([b"EVAL", b"EVAL", b"EVAL_RO"])
            return self.c(cmd, script, b"%d" % len(keys), *(keys + argv))
        if x == 6:
            import hashlib
            sha = hashlib.sha1(script).hexdigest().encode()
            if self.p(0.2):
                sha = b"ffffffffffffffffffffffffffffffffffffffff"
            return self.c(self.ch([b"EVALSHA", b"EVALSHA_RO"]), sha, b"%d" % len(keys),
                          *(keys + argv))
        if x == 7:
            return self.c("SCRIPT", "LOAD", script)
        if x == 8 and self.has("function|load"):
            body = self.ch([b"return redis.call('GET', keys[1])",
                            b"return redis.call('INCR', keys[1])", b"return args[1]",
                            b"return #keys"])
            lib = b"#!lua name=lib%d\nredis.register_function('f%d', function(keys, args) " \
                b"%s end)" % (self.r.randint(1, 2), self.r.randint(1, 2), body)
            return self.c("FUNCTION", "LOAD", *([b"REPLACE"] if self.p(0.5) else []), lib)
        if self.has("fcall"):
            return self.c(self.ch([b"FCALL", b"FCALL_RO"]), self.ch([b"f1", b"f2", b"f3"]),
                          b"%d" % len(keys), *(keys + argv))
        return None

    def raw_piece(self):
        """One request, well formed or not."""
        x = self.r.randint(0, 21)
        mb = lambda *a: b"*%d\r\n" % len(a) + b"".join(b"$%d\r\n%s\r\n" % (len(v), v)
                                                    for v in a)
        k = self.ch(STR_KEYS)
        if x <= 3:
            return mb(*self.ch([[b"PING"], [b"ECHO", self.val()], [b"SET", k, self.val()],
                                [b"GET", k], [b"INCR", k], [b"APPEND", k, self.val()]]))
        if x <= 6:
            return self.ch([b"PING", b"ECHO hello", b"SET %s v" % k, b"GET " + k,
                            b"ECHO \"a\\x41\\n b\"", b"ECHO 'it\\'s'", b"ECHO \"\\xZZ\"",
                            b"  PING  ", b"ECHO a\tb", b"ECHO \"\"", b"ECHO ''",
                            b"ECHO a\\nb", b"ECHO \"a\"b", b"ECHO 'a'b", b"ECHO \"abc",
                            b"ECHO 'abc", b"ECHO \"\\\"\"", b"ECHO \"a\" \"b\"",
                            b"\x00PING", b"ECHO \x00x", b"ECHO a\vb c\fd"]) + \
                self.ch([b"\r\n", b"\n", b"\r\n", b"\r\r\n"])
        if x == 7:
            return self.ch([b"\r\n", b"\n", b"*0\r\n", b"*-1\r\n", b"*-5\r\n", b" \r\n"])
        if x == 8:
            return self.ch([b"*abc\r\n", b"*1x\r\n", b"*\r\n", b"*+1\r\n$4\r\nPING\r\n",
                            b"*01\r\n$4\r\nPING\r\n", b"* 1\r\n", b"*2147483648\r\n",
                            b"*9223372036854775808\r\n", b"*1\r\n$4\r\nPING\r\n*1\r\n"])
        if x == 9:
            return self.ch([b"*1\r\n$-1\r\n", b"*1\r\n$abc\r\n", b"*1\r\n$\r\n",
                            b"*1\r\n$536870913\r\n", b"*1\r\n$2147483648\r\n",
                            b"*1\r\n$9223372036854775808\r\n", b"*1\r\n$04\r\nPING\r\n",
                            b"*1\r\n$+4\r\nPING\r\n", b"*1\r\n$ 4\r\nPING\r\n"])
        if x == 10:
            return self.ch([b"*1\r\n:4\r\n", b"*2\r\n$4\r\nECHO\r\n+hi\r\n",
                            b"*1\r\n*1\r\n", b"*2\r\n$4\r\nECHO\r\nhello\r\n"])
        if x == 11:
            return self.ch([b"*1\r\n$4\r\nPINGxx", b"*1\r\n$4\r\nPIN\r\n\r\n",
                            b"*2\r\n$4\r\nECHO\r\n$3\r\nabcde\r\n",
                            b"*1\r\n$4\r\nPING\n\n"])
        if x == 12:
            return b"*%d\r\n" % self.r.randint(2, 3) + b"$4\r\nECHO\r\n"  # incomplete
        if x == 13:
            return self.ch([b"NOSUCH a b\r\n", b"nosuch\r\n", mb(b"NOSUCH", b"x" * 200),
                            mb(b"GET"), mb(b"GET", b"a", b"b"), b"GET\r\n"])
        if x == 14:
            return self.ch([b"QUIT\r\n", mb(b"QUIT"), b"quit extra\r\n"])
        if x == 15:
            return self.ch([mb(b"MULTI"), mb(b"EXEC"), b"MULTI\r\n", b"EXEC\r\n",
                            b"DISCARD\r\n"])
        if x == 16:
            return mb(b"ECHO", self.val())
        if x == 17:
            return self.ch([b"PING\r\n" * 3, mb(b"PING") * 3])
        if x == 18:
            return b"ECHO " + b"x" * self.r.randint(1000, 5000) + b"\r\n"
        if x == 19:
            return bytes(self.r.randint(0, 255) for _ in range(self.r.randint(1, 12)))
        if x == 20:
            return self.ch([mb(b"HELLO", b"3"), mb(b"HELLO", b"2"), mb(b"HELLO", b"4"),
                            mb(b"CLIENT", b"SETNAME", b"x")]) if self.p(0.2) else mb(b"PING")
        return b"SET " + k + b" \"quoted value\" \r\n"

    def g_raw(self):
        return ("raw", b"".join(self.raw_piece() for _ in range(self.r.randint(1, 5))))

    def g_misc(self):
        r = self.r.randint(0, 9)
        if r == 0:
            return self.c("PING", *([] if self.p(0.5) else [self.val()]))
        if r == 1:
            return self.c("ECHO", self.val())
        if r == 2:
            return ("c", 0, [self.ch([b"NOSUCH", b"xadd2", b"GETT", b"\x00"]),
                             self.val(), self.val()][:self.r.randint(1, 3)])
        if r == 3 and self.has("command"):
            name = self.ch([b"get", b"xadd", b"blpop", b"xreadgroup", b"set", b"nosuch",
                            b"lmpop", b"xautoclaim"])
            return self.c("COMMAND", "GETKEYS", *([name] + [b"a", b"b", b"c", b"d"][
                :self.r.randint(0, 4)]))
        if r == 4:
            return self.c("ECHO")
        if r == 5:
            return self.c("CLIENT", "ID")
        if r == 6:
            return self.c("CLIENT", "SETNAME", self.ch([b"n1", b"bad name", b""]))
        if r == 7:
            return self.c("CLIENT", "GETNAME")
        return self.c("PING")


def op_count(op):
    if op[0] in ("c", "raw"):
        return 1
    if op[0] == "block":
        return 1 + len(op[2])
    return len(op[1]) + len(op[2]) + 2


def op_text(op):
    """redis-cli-like text for a repro."""
    def q(a):
        s = a.decode("latin-1")
        if s and all(c.isalnum() or c in "-_:*+$().<>[]?=," for c in s):
            return s
        return '"' + "".join(
            c if (32 <= ord(c) < 127 and c not in '"\\') else
            ("\\" + c if c in '"\\' else "\\x%02x" % ord(c)) for c in s) + '"'

    def line(args):
        return " ".join(q(a) for a in args)
    if op[0] == "c":
        return "[conn%d] %s" % (op[1], line(op[2]))
    if op[0] == "raw":
        return "[new connection, raw bytes then half-close] %r" % op[1]
    if op[0] == "block":
        s = "[conn1, blocks] %s" % line(op[1])
        for x in op[2]:
            s += "\n    [conn2] %s" % line(x)
        return s
    s = ""
    for x in op[1]:
        s += "[conn1, subscribes] %s\n" % line(x)
    for x in op[2]:
        s += "    [conn0] %s\n" % line(x)
    return s + "    [conn1] (reads messages, unsubscribes from everything)"
