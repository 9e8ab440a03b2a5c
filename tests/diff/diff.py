#!/usr/bin/env python3
"""diff.py - differential tester: the same random command sequence against a
fresh redis-server (the reference, 7.0.15) and a fresh sluice-server, every
reply compared byte for byte.

    diff.py --seeds 1-20 --count 5000 [--jobs 2] [--no-minimise]
    diff.py --replay repro.json          run a saved sequence (and minimise it
                                         further unless --no-minimise)

Per seed: start both servers (persistence off) on free ports, ask each for
COMMAND LIST (commands Sluice lacks are not generated), pick the protocol
(RESP3 for a quarter of the seeds) and whether keyspace notifications are
watched (a third: a third client PSUBSCRIBEs to __key*__:* and its messages
are compared after every operation), generate the sequence and run it.

Masked, and only these (resp.normaliser): TTL/PTTL/EXPIRETIME values > 0,
idle / seen / delivery times in XPENDING and XINFO, XINFO's
radix-tree-nodes (Redis's rax internals), HELLO and CLIENT ID; replies of
unordered collections (KEYS, SMEMBERS, HGETALL, SCAN ...) are sorted.

On the first mismatch of a seed the runner prints the seed, then shrinks the
sequence (delta debugging on reused servers, FLUSHALL between trials) to a
minimal one that still mismatches on the same command, re-checks it on fresh
servers and prints it with the expected (Redis) and actual (Sluice) bytes;
the repro is saved as JSON under --out.  Exit status 1 when any seed
mismatched.
"""
import argparse
import json
import multiprocessing
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from resp import Conn, ConnClosed, encode, is_pong, normalise  # noqa: E402
from gen import Gen, op_count, op_text  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PING = encode([b"PING"])
BLOCKED_RE = re.compile(rb"blocked_clients:(\d+)")


# ---- servers -----------------------------------------------------------------

def die_with_parent():
    """In the child before exec: SIGKILL when the runner dies (Linux)."""
    try:
        import ctypes
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, 9)  # PR_SET_PDEATHSIG, SIGKILL
    except OSError:
        pass


class PortPicker:
    def __init__(self, spec):
        self.range = None
        if spec:
            lo, hi = spec.split("-")
            self.range = (int(lo), int(hi))

    def pick(self):
        for _ in range(200):
            port = random.randint(*self.range) if self.range else 0
            s = socket.socket()
            try:
                s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                s.bind(("127.0.0.1", port))
                return s.getsockname()[1]
            except OSError:
                continue
            finally:
                s.close()
        raise RuntimeError("no free port")


class Server:
    def __init__(self, kind, binary, picker):
        self.kind = kind
        self.binary = binary
        self.picker = picker
        self.proc = None
        self.dir = None
        self.port = None

    def start(self):
        for _ in range(10):
            self.dir = tempfile.mkdtemp(prefix="sluice-diff-%s-" % self.kind)
            self.port = self.picker.pick()
            argv = [self.binary, "--port", str(self.port), "--bind", "127.0.0.1",
                    "--save", "", "--appendonly", "no", "--dir", self.dir, "--hz", "100",
                    "--logfile", os.path.join(self.dir, "server.log")]
            if self.kind == "redis":
                argv += ["--enable-protected-configs", "yes"]  # Session.reset_errno
            self.proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL,
                                         stderr=subprocess.DEVNULL, cwd=self.dir,
                                         preexec_fn=die_with_parent)
            deadline = time.time() + 5
            while time.time() < deadline and self.proc.poll() is None:
                try:
                    c = Conn(self.port, timeout=1)
                    c.send(encode([b"INFO", b"server"]))
                    _, t = c.read()
                    c.close()
                except (OSError, ConnClosed):
                    time.sleep(0.01)
                    continue
                # The port may have been taken between pick() and bind():
                # make sure the server that answers is ours.
                if b"process_id:%d\r\n" % self.proc.pid in (t[1] or b""):
                    return
                break
            self.stop()
        raise RuntimeError("cannot start %s" % self.binary)

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def log_tail(self, n=20):
        try:
            with open(os.path.join(self.dir, "server.log"), errors="replace") as f:
                return "".join(f.readlines()[-n:])
        except OSError:
            return ""

    def stop(self):
        if self.proc is not None:
            if self.proc.poll() is None:
                self.proc.kill()
            self.proc.wait()
            self.proc = None
        if self.dir:
            shutil.rmtree(self.dir, ignore_errors=True)
            self.dir = None


def command_list(port):
    c = Conn(port)
    c.send(encode([b"COMMAND", b"LIST"]))
    _, t = c.read()
    c.close()
    return {x[1].decode().lower() for x in t[1]}


# ---- one server's view of a run ----------------------------------------------

class Session:
    """The connections to one server and the MULTI state of conn 0."""

    def __init__(self, port, proto, events, shard):
        self.port = port
        self.events = events
        self.shard = shard
        self.multi = False
        self.queued = []
        self.conns = [Conn(port) for _ in range(3)]  # 0 main, 1 aux, 2 control
        self.ev = Conn(port) if events else None
        self.conns[1].send(encode([b"CLIENT", b"ID"]))
        self.c1_id = self.conns[1].read()[1][1]
        for c in self.conns[:2] + ([self.ev] if self.ev else []):
            if proto == 3:
                c.send(encode([b"HELLO", b"3"]))
                c.read()
        if events:
            self.control([b"CONFIG", b"SET", b"notify-keyspace-events", b"KEA"])
            self.ev.send(encode([b"PSUBSCRIBE", b"__key*__:*"]))
            self.ev.read()

    def close(self):
        for c in self.conns + ([self.ev] if self.ev else []):
            c.close()

    def control(self, args):
        self.conns[2].send(encode(args))
        return self.conns[2].read()

    def track(self, args, raw, tree):
        """Bytes to compare for conn 0's reply, following MULTI state."""
        name = args[0].upper()
        is_err = tree[0] == "-"
        if self.multi:
            if name in (b"EXEC", b"DISCARD"):
                if is_err and b"wrong number of arguments" in tree[1]:
                    return raw
                out = normalise(args, tree, raw, self.queued) if name == b"EXEC" else raw
                self.multi = False
                self.queued = []
                return out
            if tree == ("+", b"QUEUED"):
                self.queued.append(args)
            return raw
        if name == b"MULTI" and tree == ("+", b"OK"):
            self.multi = True
            self.queued = []
        return normalise(args, tree, raw)

    def reset_errno(self):
        """Redis's SORT reads numbers with strtod() without clearing errno
        first, so an ERANGE left by an earlier command (a stream ID such as
        5-18446744073709551616) fails it with "One or more scores can't be
        converted into double".  A failed chdir() in the reference server
        leaves ENOENT instead.  (A Redis bug, not reproduced by Sluice.)"""
        self.control([b"CONFIG", b"SET", b"dir", b"/nonexistent/sluice-diff"])

    def send_batch(self, ops):
        self.conns[ops[0][1]].send(b"".join(encode(op[2]) for op in ops))

    def recv_batch(self, ops):
        """One observation list per op."""
        out = []
        for op in ops:
            raw, tree = self.conns[op[1]].read()
            if op[1] == 0:
                out.append([self.track(op[2], raw, tree)])
            else:
                out.append([normalise(op[2], tree, raw)])
        return out

    def until_pong(self, conn):
        out = []
        while True:
            raw, tree = conn.read()
            out.append(raw)
            if is_pong(tree):
                return b"".join(out)

    def run_block(self, op):
        """conn 1 blocks; the waking commands run on the control connection
        (db 0, never in MULTI, like conn 1)."""
        c1 = self.conns[1]
        c1.send(encode(op[1]))
        deadline = time.time() + 3
        while time.time() < deadline and not c1.pending():
            _, t = self.control([b"INFO", b"clients"])
            m = BLOCKED_RE.search(t[1] or b"")
            if m and int(m.group(1)) >= 1:
                break
            time.sleep(0.0005)
        obs = []
        for b in op[2]:
            raw, tree = self.control(b)
            obs.append(normalise(b, tree, raw))
        if op[2]:
            # Waking scenario: conn 1 blocks without a timeout.  Both servers
            # serve a woken client before they read the next command, so
            # CLIENT UNBLOCK says deterministically whether it was woken
            # (:0) or still waiting (:1, and it then gets the timeout reply).
            raw, tree = self.control([b"CLIENT", b"UNBLOCK", self.c1_id])
            obs.append(raw)
        raw, tree = c1.read()
        obs.append(normalise(op[1], tree, raw))
        return obs

    def run_raw(self, op):
        """A new connection: the bytes, a half-close, everything the server
        sends until it closes (a protocol error closes at once; otherwise
        the server sees EOF after the last request).  HELLO replies are
        masked (server name, version, client id)."""
        c = Conn(self.port, timeout=5)
        try:
            c.send(op[1])
            c.sock.shutdown(socket.SHUT_WR)
            out = []
            while True:
                try:
                    raw, tree = c.read()
                except ConnClosed:
                    break
                if tree[0] in "*%" and tree[1] and len(tree[1]) >= 12 and \
                        tree[1][0][1] == b"server":
                    raw = b"<HELLO reply>"
                out.append(raw)
            rest = bytes(c.buf[c.pos:])
            return [b"".join(out) + (b"<partial>" + rest if rest else b"")]
        finally:
            c.close()

    def messages(self, conn):
        """Replies up to the PING sentinel; runs of consecutive pmessages are
        sorted (Redis walks its pattern dict in hash order)."""
        out, run = [], []
        while True:
            raw, tree = conn.read()
            pm = tree[0] in "*>" and tree[1] and tree[1][0] == ("$", b"pmessage")
            if pm:
                run.append(raw)
                continue
            out += sorted(run) + [raw]
            run = []
            if is_pong(tree):
                return b"".join(out)

    def run_pubsub(self, op):
        """Subscribe conn 1, publish from conn 0 (conn 1's messages are read
        after each command), then unsubscribe by name, in a fixed order (an
        UNSUBSCRIBE without names goes in hash order), then from the rest."""
        c0, c1 = self.conns[0], self.conns[1]
        obs = []
        c1.send(b"".join(encode(s) for s in op[1]) + PING)
        obs.append(self.messages(c1))
        for p in op[2]:
            c0.send(encode(p))
            raw, tree = c0.read()
            obs.append(self.track(p, raw, tree))
            c1.send(PING)
            obs.append(self.messages(c1))
        names = {}
        for s in op[1]:
            kind = s[0].upper()
            if kind in (b"SUBSCRIBE", b"PSUBSCRIBE", b"SSUBSCRIBE"):
                names.setdefault(b"UN" if kind == b"SUBSCRIBE" else kind[:1] + b"UN",
                                 []).extend(s[1:])
        unsub = [[k + b"SUBSCRIBE"] + sorted(set(v)) for k, v in sorted(names.items())]
        unsub += [[b"UNSUBSCRIBE"], [b"PUNSUBSCRIBE"]] + \
            ([[b"SUNSUBSCRIBE"]] if self.shard else [])
        c1.send(b"".join(encode(u) for u in unsub) + PING)
        obs.append(self.messages(c1))
        return obs


# ---- running a sequence on both --------------------------------------------

def stale_errno_cmd(op):
    """SORT/SORT_RO by numbers: see Session.reset_errno."""
    return op[0] == "c" and op[1] == 0 and op[2][0].upper() in (b"SORT", b"SORT_RO") and \
        b"ALPHA" not in [x.upper() for x in op[2]]


def guarded(f, *a):
    try:
        return f(*a), None
    except (ConnClosed, OSError) as e:  # socket.timeout is an OSError
        return None, "<connection failed: %s>" % (str(e) or type(e).__name__)


class Pair:
    """The reference and the tested server, and sessions on both."""

    def __init__(self, args):
        picker = PortPicker(args.ports)
        self.args = args
        self.ref = Server("redis", args.redis, picker)
        self.sut = Server("sluice", args.sluice, picker)

    def start(self):
        self.ref.start()
        self.sut.start()
        self.missing = command_list(self.ref.port) - command_list(self.sut.port)

    def stop(self):
        self.ref.stop()
        self.sut.stop()

    def reset(self):
        """Between minimisation trials: empty data, default config."""
        if not self.sut.alive():
            self.sut.stop()
            self.sut.start()
        for srv in (self.ref, self.sut):
            try:
                c = Conn(srv.port, timeout=5)
                for cmd in ([b"FLUSHALL"],
                            [b"CONFIG", b"SET", b"notify-keyspace-events", b""],
                            [b"CONFIG", b"SET", b"stream-node-max-entries", b"100"]):
                    c.send(encode(cmd))
                    c.read()
                c.close()
            except (OSError, ConnClosed):
                srv.stop()
                srv.start()

    def run(self, ops, flags, batch=1):
        """Run ops; return (index, detail) of the first mismatch, or None."""
        proto, events = flags["proto"], flags["events"]
        shard = "ssubscribe" not in self.missing
        try:
            a = Session(self.ref.port, proto, events, shard)
        except (OSError, ConnClosed) as e:
            raise RuntimeError("reference server: %s" % e)
        b, err = guarded(Session, self.sut.port, proto, events, shard)
        if err:
            a.close()
            return (-1, {"what": "connect", "expected": b"", "got": err.encode()})
        try:
            return self._run(a, b, ops, batch)
        finally:
            a.close()
            b.close()

    def _run(self, a, b, ops, batch):
        """Consecutive conn-0 commands go out as one pipeline of up to `batch`
        (the replies are the same as one by one); blocking and pub/sub
        scenarios run on both servers at once, in two threads."""
        i = 0
        while i < len(ops):
            j = i + 1
            if ops[i][0] == "c" and ops[i][1] == 0:
                while j < len(ops) and j - i < batch and ops[j][0] == "c" and \
                        ops[j][1] == 0 and not stale_errno_cmd(ops[j]):
                    j += 1
            if stale_errno_cmd(ops[i]) and not a.multi:
                a.reset_errno()
            r = self._step(a, b, ops, i, j)
            if r is not None:
                return r
            i = j
        return None

    def _step(self, a, b, ops, i, j):
        if ops[i][0] == "c":
            a.send_batch(ops[i:j])
            _, err = guarded(b.send_batch, ops[i:j])
            exp = a.recv_batch(ops[i:j])
            got, err = (None, err) if err else guarded(b.recv_batch, ops[i:j])
        else:
            kind = ops[i][0]
            f = {"block": a.run_block, "pubsub": a.run_pubsub, "raw": a.run_raw}[kind]
            g = {"block": b.run_block, "pubsub": b.run_pubsub, "raw": b.run_raw}[kind]
            res = {}
            t = threading.Thread(target=lambda: res.update(got=guarded(g, ops[i])))
            t.start()
            exp = [f(ops[i])]
            t.join()
            got, err = res["got"]
            got = [got]
        if err is None:
            for k, (x, y) in enumerate(zip(exp, got)):
                if x != y:
                    where = i + k if ops[i][0] == "c" else i
                    for n, (p, q) in enumerate(zip(x, y)):
                        if p != q:
                            return (where, {"what": "reply %d" % n, "expected": p, "got": q})
        if not err and a.events:
            a.ev.send(PING)
            _, err = guarded(b.ev.send, PING)
            x = a.until_pong(a.ev)
            if not err:
                y, err = guarded(b.until_pong, b.ev)
                if not err and x != y:
                    return (j - 1, {"what": "keyspace events", "expected": x, "got": y})
        if err:
            return (j - 1 if ops[i][0] == "c" else i,
                    {"what": "reply", "expected": b"", "got": err.encode(),
                     "crashed": not self.sut.alive()})
        return None


# ---- minimisation -----------------------------------------------------------

def op_names(op):
    if op[0] == "c":
        return op[2][0].upper()
    return op[0].encode()


GLOBAL_CMDS = {b"MULTI", b"EXEC", b"DISCARD", b"SELECT", b"SWAPDB", b"FLUSHALL", b"FLUSHDB",
               b"CONFIG", b"WATCH"}


def op_args(op):
    """Every argument of an operation, command names upper-cased."""
    if op[0] == "raw":
        return op[1].upper().split()
    cmds = [op[2]] if op[0] == "c" else ([op[1]] if op[0] == "block" else list(op[1])) + \
        list(op[2])
    return [a.upper() if i == 0 else a for c in cmds for i, a in enumerate(c)]


def minimise(pair, ops, flags, fail_idx, budget_s):
    """Delta debugging (ddmin) over the ops before the failing one, then a
    one-by-one pass; the failing op stays last.  A trial counts when some op
    with the same command name still mismatches."""
    target = ops[fail_idx]
    name = op_names(target)
    deadline = time.time() + budget_s
    trials = [0]

    def fails(prefix):
        if time.time() > deadline:
            return False
        trials[0] += 1
        pair.reset()
        seq = prefix + [target]
        r = pair.run(seq, flags, batch=32)
        return r is not None and r[0] >= 0 and op_names(seq[r[0]]) == name

    cur = ops[:fail_idx]
    # First guess: only the operations that name one of the failing
    # operation's arguments, or that act on whole databases.
    words = set(op_args(target)) | GLOBAL_CMDS
    sliced = [op for op in cur if words & set(op_args(op))]
    if len(sliced) < len(cur) and fails(sliced):
        cur = sliced
    n = 2
    while len(cur) >= 1 and time.time() < deadline:
        if len(cur) == 1:
            if fails([]):
                cur = []
            break
        size = max(1, len(cur) // n)
        chunks = [cur[i:i + size] for i in range(0, len(cur), size)]
        reduced = False
        for k in range(len(chunks)):
            comp = [x for j, c in enumerate(chunks) if j != k for x in c]
            if fails(comp):
                cur = comp
                n = max(n - 1, 2)
                reduced = True
                break
        if not reduced:
            if size == 1:
                break
            n = min(len(cur), n * 2)
    i = 0
    while i < len(cur) and time.time() < deadline:
        if fails(cur[:i] + cur[i + 1:]):
            cur = cur[:i] + cur[i + 1:]
        else:
            i += 1
    return cur + [target], trials[0]


# ---- reporting --------------------------------------------------------------

def to_json(ops, flags, seed):
    def enc(a):
        return a.decode("latin-1")

    def jop(op):
        if op[0] == "c":
            return ["c", op[1], [enc(x) for x in op[2]]]
        if op[0] == "raw":
            return ["raw", enc(op[1])]
        return [op[0], [enc(x) for x in op[1]] if op[0] == "block" else
                [[enc(x) for x in s] for s in op[1]], [[enc(x) for x in s] for s in op[2]]]
    return {"seed": seed, "flags": flags, "ops": [jop(o) for o in ops]}


def from_json(d):
    def dec(s):
        return s.encode("latin-1")
    ops = []
    for o in d["ops"]:
        if o[0] == "c":
            ops.append(("c", o[1], [dec(x) for x in o[2]]))
        elif o[0] == "block":
            ops.append(("block", [dec(x) for x in o[1]], [[dec(x) for x in s] for s in o[2]]))
        elif o[0] == "raw":
            ops.append(("raw", dec(o[1])))
        else:
            ops.append(("pubsub", [[dec(x) for x in s] for s in o[1]],
                        [[dec(x) for x in s] for s in o[2]]))
    return ops, d["flags"]


def describe(ops, flags, det):
    lines = ["  flags: RESP%d%s" % (flags["proto"],
                                    ", keyspace events watched" if flags["events"] else "")]
    for op in ops:
        lines.append("  " + op_text(op).replace("\n", "\n  "))
    lines.append("  mismatch in %s of the last operation:" % det["what"])
    lines.append("    expected (redis): %r" % det["expected"])
    lines.append("    got (sluice):     %r" % det["got"])
    return "\n".join(lines)


def seed_flags(seed):
    r = random.Random(seed * 1000003 + 17)
    return {"proto": 3 if r.random() < 0.25 else 2, "events": r.random() < 0.3}


def run_seed(args, seed):
    """Returns (seed, commands run, report text or None)."""
    pair = Pair(args)
    t0 = time.time()
    try:
        pair.start()
        flags = seed_flags(seed)
        gen = Gen(seed, pair.missing, events=flags["events"], focus=args.focus,
                  skip_known=args.skip_known)
        ops = gen.ops(args.count)
        res = pair.run(ops, flags, args.batch)
        if res is not None and res[0] >= 0 and args.batch > 1:
            # Locate the failing operation precisely: one by one.
            pair.reset()
            again = pair.run(ops[:res[0] + 1], flags)
            res = again or res
        ncmd = sum(op_count(o) for o in (ops if res is None else ops[:res[0] + 1]))
        if res is None:
            return seed, ncmd, None, time.time() - t0
        idx, det = res
        text = ["MISMATCH seed=%d at operation %d of %d (%s)" % (seed, idx, len(ops),
                                                                 op_text(ops[idx])[:200])]
        if det.get("crashed"):
            text.append("  sluice-server died; log tail:\n" + pair.sut.log_tail())
        text.append("  expected (redis): %r" % det["expected"][:2000])
        text.append("  got (sluice):     %r" % det["got"][:2000])
        if args.minimise and idx >= 0:
            try:
                small, trials = minimise(pair, ops, flags, idx, args.minimise_budget)
            except Exception as e:  # noqa: BLE001 - keep the unminimised report
                text.append("minimisation failed: %r; full sequence saved" % e)
                save(args, seed, ops[:idx + 1], flags)
                return seed, ncmd, "\n".join(text), time.time() - t0
            pair.stop()
            pair.start()  # fresh servers for the final check
            r = pair.run(small, flags)
            if r is not None:
                text.append("minimised to %d operations (%d trials), fresh servers:" %
                            (len(small), trials))
                text.append(describe(small[:r[0] + 1], flags, r[1]))
                save(args, seed, small[:r[0] + 1], flags)
            else:
                text.append("minimised sequence did not reproduce on fresh servers "
                            "(timing-dependent?); full sequence saved")
                save(args, seed, ops[:idx + 1], flags)
        else:
            save(args, seed, ops[:idx + 1], flags)
        return seed, ncmd, "\n".join(text), time.time() - t0
    except Exception as e:  # a tester or reference problem: report, go on
        import traceback
        return seed, 0, "ERROR seed=%d: %s\n%s" % (seed, e, traceback.format_exc()), 0
    finally:
        pair.stop()


def save(args, seed, ops, flags):
    if not args.out:
        return
    os.makedirs(args.out, exist_ok=True)
    path = os.path.join(args.out, "repro-%d.json" % seed)
    with open(path, "w") as f:
        json.dump(to_json(ops, flags, seed), f)


def parse_seeds(spec):
    out = []
    for part in spec.replace(",", " ").split():
        if "-" in part:
            lo, hi = part.split("-")
            out += range(int(lo), int(hi) + 1)
        else:
            out.append(int(part))
    return out


def replay(args):
    with open(args.replay) as f:
        d = json.load(f)
    ops, flags = from_json(d)
    pair = Pair(args)
    try:
        pair.start()
        r = pair.run(ops, flags)
        if r is None:
            print("replay: %d operations, no mismatch" % len(ops))
            return 0
        if args.minimise:
            small, trials = minimise(pair, ops, flags, r[0], args.minimise_budget)
            pair.reset()
            r2 = pair.run(small, flags)
            if r2 is not None:
                ops, r = small, r2
                path = args.replay.replace(".json", "") + ".min.json"
                with open(path, "w") as f:
                    json.dump(to_json(small[:r[0] + 1], flags, d.get("seed")), f)
                print("minimised to %d operations (%d trials), saved as %s" %
                      (r[0] + 1, trials, path))
        print(describe(ops[:r[0] + 1], flags, r[1]))
        return 1
    finally:
        pair.stop()


def main():
    signal.signal(signal.SIGTERM, lambda *a: sys.exit(143))
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seeds", default="1-5")
    ap.add_argument("--count", type=int, default=1000, help="commands per seed")
    ap.add_argument("--jobs", type=int, default=1)
    ap.add_argument("--batch", type=int, default=32, help="pipeline depth on conn 0")
    ap.add_argument("--redis", default=os.environ.get("REDIS_SERVER", "redis-server"))
    ap.add_argument("--sluice", default=os.environ.get(
        "SLUICE_SERVER", os.path.join(ROOT, "src", "sluice-server")))
    ap.add_argument("--ports", default=os.environ.get("DIFF_PORTS"),
                    help="port range lo-hi (default: any free port)")
    ap.add_argument("--out", default=os.environ.get("DIFF_OUT", "/tmp/sluice-diff"))
    ap.add_argument("--no-minimise", dest="minimise", action="store_false")
    ap.add_argument("--minimise-budget", type=float, default=120.0, help="seconds per seed")
    ap.add_argument("--focus", type=lambda s: tuple(s.split(",")), default=(),
                    help="families to generate 20x more often: string,list,stream,hash,"
                    "set,zset,keys,multi,block,pubsub,aux,raw,misc")
    ap.add_argument("--skip-known", action="store_true",
                    help="do not generate the known, reported mismatches (gen.Gen.known)")
    ap.add_argument("--replay")
    ap.add_argument("-q", "--quiet", action="store_true")
    args = ap.parse_args()
    if shutil.which(args.redis) is None and not os.path.exists(args.redis):
        print("diff: no %s; skipped" % args.redis)
        return 0
    if args.replay:
        return replay(args)
    seeds = parse_seeds(args.seeds)
    t0 = time.time()
    total = 0
    bad = 0
    if args.jobs > 1:
        pool = multiprocessing.Pool(args.jobs)
        results = pool.imap_unordered(_run_seed_star, [(args, s) for s in seeds])
    else:
        results = (run_seed(args, s) for s in seeds)
    for seed, n, text, dt in results:
        total += n
        if text:
            bad += 1
            print(text, flush=True)
        elif not args.quiet:
            print("seed %d: %d commands, ok (%.1fs)" % (seed, n, dt), flush=True)
    dt = time.time() - t0
    print("diff: %d seeds, %d commands compared, %d seed(s) mismatched, %.1fs (%.0f cmd/s)" %
          (len(seeds), total, bad, dt, total / dt if dt else 0))
    return 1 if bad else 0


def _run_seed_star(a):
    return run_seed(*a)


if __name__ == "__main__":
    sys.exit(main())
