#!/usr/bin/env python3
"""gen_aof_corpus.py - seed inputs for the AOF fuzz target from the
differential tester's command generator (tests/diff/gen.py): each file is
the RESP of ~60 random commands (every type, bad arguments included but
no wrong arity, which ends a load), the way an AOF holds them, so the fuzzer starts from valid commands of every kind.

    python3 tests/fuzz/gen_aof_corpus.py [N=40] [OUT=tests/fuzz/corpus/aof]
"""
import os
import sys

sys.dont_write_bytecode = True
here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(here, "..", "diff"))
from gen import Gen  # noqa: E402


def resp(args):
    return b"*%d\r\n" % len(args) + b"".join(b"$%d\r\n%s\r\n" % (len(a), a) for a in args)


# Generated on purpose with a wrong arity or an unknown name (each would end
# the load at that command).
def loadable(args):
    name = args[0].upper()
    sub = args[1].upper() if len(args) > 1 else b""
    if name in (b"NOSUCH", b"GETT", b"XADD2", b"\x00", b"COMMAND"):
        return False
    if name == b"ECHO" or name == b"ZCARD":
        return len(args) == 2
    if name == b"XINFO":
        return sub in (b"STREAM", b"GROUPS", b"CONSUMERS")
    if name == b"XGROUP":
        return sub in (b"CREATE", b"SETID", b"DESTROY", b"CREATECONSUMER", b"DELCONSUMER")
    if name == b"PUBSUB" and sub == b"NUMPAT":
        return len(args) == 2
    return True


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 40
    out = sys.argv[2] if len(sys.argv) > 2 else os.path.join(here, "corpus", "aof")
    os.makedirs(out, exist_ok=True)
    for seed in range(1, n + 1):
        cmds = []
        gen = Gen(seed, set())
        gen.mutate = lambda op: op  # a wrong arity would end the load there
        for op in gen.ops(60):
            if op[0] == "c":
                cmds.append(op[2])
            elif op[0] == "block":
                cmds += [op[1]] + op[2]
            elif op[0] == "pubsub":
                cmds += op[1] + op[2]
        with open(os.path.join(out, "gen-%03d" % seed), "wb") as f:
            f.write(b"".join(resp(c) for c in cmds if loadable(c)))


if __name__ == "__main__":
    main()
