"""Producer + checker for tests/frameworks/celery/run.sh.

Expects workers w1 (prefork), w2 (threads) on queue 'celery' and 'victim'
(solo pool) on queue 'late', already started by run.sh.  Exits non-zero on
any mismatch.
"""
import datetime
import json
import os
import signal
import subprocess
import sys
import time

from celery import chain, chord, group
from celery.exceptions import TimeoutError as CeleryTimeout

import tasks

app = tasks.app
r = tasks.rc()
TMP = os.environ["FW_TMP"]
VT = tasks.VT
T0 = time.time()
fails = []


def fail(msg):
    fails.append(msg)
    print("FAIL: " + msg, flush=True)


def check(cond, msg):
    if not cond:
        fail(msg)
    return cond


def log(msg):
    print("[%5.2fs] %s" % (time.time() - T0, msg), flush=True)


def get(res, timeout=30, propagate=True):
    try:
        return res.get(timeout=timeout, propagate=propagate)
    except CeleryTimeout:
        fail("task %s (%s): no result within %ss (state %s)"
             % (res.id, getattr(res, "name", "?"), timeout, res.state))
    except Exception as e:  # unexpected propagated exception
        fail("task %s: unexpected exception %r" % (res.id, e))
    return None


def finish():
    n = len(fails)
    if n:
        print("celery: FAILED (%d mismatches, %.1fs)" % (n, time.time() - T0))
        sys.exit(1)


# --- 1. wait until all three workers answer a broadcast ping (pidbox) -------
want = {"w1@fwtest", "w2@fwtest", "victim@fwtest"}
deadline = time.time() + 30
while True:
    got = set()
    for reply in app.control.ping(timeout=0.5) or []:
        got |= set(reply)
    if want <= got:
        break
    if time.time() > deadline:
        fail("workers did not answer ping: got %s" % sorted(got))
        finish()
log("workers up: %s" % sorted(got))

once = {}          # task id -> description; each must have fwtest:runs == 1

# --- 2. acks_late task to the victim worker (killed mid-task later) ---------
late = tasks.slow_late.apply_async(args=["x"], queue="late")

# --- 3. bulk tasks ------------------------------------------------------------
N = 300
bulk = []
for i in range(N):
    res = tasks.add.delay(i, i * 7)
    bulk.append((res, i * 8))
    once[res.id] = "add(%d)" % i

grp = group(tasks.add.s(i, 1000) for i in range(20))()
ch = chord([tasks.add.s(i, i) for i in range(20)])(tasks.tsum.s())
chn = chain(tasks.add.s(1, 2), tasks.add.s(10), tasks.add.s(100))()

delayed = []       # (res, not_before, tag)
for k in range(8):
    cd = 1.0 + k * 0.125
    t = time.time()
    res = tasks.delayed.apply_async(args=["cd%d" % k], countdown=cd)
    delayed.append((res, t + cd, "cd%d" % k))
for k in range(4):
    eta = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=1.5)
    res = tasks.delayed.apply_async(args=["eta%d" % k], eta=eta)
    delayed.append((res, eta.timestamp(), "eta%d" % k))
for res, _, tag in delayed:
    once[res.id] = "delayed(%s)" % tag

flakies = [tasks.flaky.delay("f%d" % k) for k in range(3)]
hopeless = tasks.hopeless.delay("h")
booms = [(tasks.boom.delay(k), k) for k in range(5)]
for res, k in booms:
    once[res.id] = "boom(%d)" % k
log("sent %d bulk + group/chord/chain + %d delayed + 3 flaky + 1 hopeless + 5 boom + 1 late"
    % (N, len(delayed)))

# --- 4. kill the victim while it runs the acks_late task ----------------------
victim_pid = int(open(os.path.join(TMP, "victim.pid")).read())
deadline = time.time() + 15
while r.hget("fwtest:attempts", late.id) is None and time.time() < deadline:
    time.sleep(0.05)
killed_at = None
if check(r.hget("fwtest:attempts", late.id) == b"1",
         "slow_late never started on the victim worker"):
    check(r.hlen("unacked") >= 1, "acks_late message not in kombu 'unacked' hash while running")
    os.kill(victim_pid, signal.SIGKILL)
    killed_at = time.time()
    log("victim (pid %d) SIGKILLed mid-task" % victim_pid)

# --- 5. results ----------------------------------------------------------------
bad = 0
for res, want_v in bulk:
    v = get(res)
    if v != want_v:
        bad += 1
        if bad <= 5:
            fail("add result %s: got %r want %r" % (res.id, v, want_v))
check(bad == 0, "%d/%d bulk results wrong" % (bad, N))
log("bulk results ok" if bad == 0 else "bulk results BAD")

v = get(grp)
check(v == [i + 1000 for i in range(20)], "group result %r" % (v,))
for res in grp.results:
    once[res.id] = "group add"
v = get(ch)
check(v == 380, "chord result %r want 380" % (v,))
once[ch.id] = "chord body"
if check(ch.parent is not None, "chord result has no parent group"):
    for res in ch.parent.results:
        once[res.id] = "chord header add"
v = get(chn)
check(v == 113, "chain result %r want 113" % (v,))
node = chn
while node is not None:
    once[node.id] = "chain link"
    node = node.parent
check(sum(1 for d in once.values() if d == "chain link") == 3, "chain has not 3 links")

n_delayed = 0
for res, not_before, tag in delayed:
    v = get(res)
    at = r.hget("fwtest:ran_at", res.id)
    if not check(v == tag and at is not None, "delayed %s: result %r ran_at %r" % (tag, v, at)):
        continue
    at = float(at)
    # 5 ms slack for clock rounding; the task records its time after dispatch
    if check(at >= not_before - 0.005,
             "delayed %s ran %.3fs before its eta" % (tag, not_before - at)) and \
       check(at <= not_before + 10, "delayed %s ran %.3fs late" % (tag, at - not_before)):
        n_delayed += 1

n_retry = 0
for res in flakies:
    v = get(res)
    att = r.hget("fwtest:attempts", res.id)
    if check(isinstance(v, dict) and v.get("attempts") == 3 and v.get("retries") == 2
             and res.state == "SUCCESS" and att == b"3",
             "flaky %s: result %r state %s attempts %r (want 3)" % (res.id, v, res.state, att)):
        n_retry += 1
get(hopeless, propagate=False)
att = r.hget("fwtest:attempts", hopeless.id)
if check(hopeless.state == "FAILURE" and isinstance(hopeless.result, KeyError)
         and "hopeless h attempt 2" in str(hopeless.result) and att == b"2",
         "hopeless: state %s result %r attempts %r (want FAILURE KeyError, 2)"
         % (hopeless.state, hopeless.result, att)):
    n_retry += 1

n_fail = 0
for res, k in booms:
    get(res, propagate=False)
    raw = r.get("celery-task-meta-" + res.id)
    meta = json.loads(raw) if raw else {}
    mres = meta.get("result") or {}
    if check(res.state == "FAILURE" and isinstance(res.result, ValueError)
             and str(res.result) == "boom %d" % k
             and "ValueError: boom %d" % k in (res.traceback or "")
             and meta.get("status") == "FAILURE" and mres.get("exc_type") == "ValueError"
             and mres.get("exc_message") == ["boom %d" % k],
             "boom(%d): state %s result %r meta %r" % (k, res.state, res.result, meta)):
        n_fail += 1
log("delayed %d/%d, retry %d/4, failure %d/5" % (n_delayed, len(delayed), n_retry, n_fail))

# --- 6. redelivery of the killed acks_late task --------------------------------
late_ok = False
if killed_at is not None:
    # kombu restores unacked messages older than visibility_timeout when a
    # worker starts (QoS.restore_visible from on_poll_init)
    wait = killed_at + VT + 0.5 - time.time()
    if wait > 0:
        time.sleep(wait)
    with open(os.path.join(TMP, "celery.pids"), "a") as f:
        p = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "tasks", "worker", "-n", "rescuer@fwtest",
             "-P", "solo", "-Q", "late", "--loglevel=INFO",
             "--logfile=" + os.path.join(TMP, "rescuer.log")],
            stdout=open(os.path.join(TMP, "rescuer.out"), "w"), stderr=subprocess.STDOUT)
        f.write("%d\n" % p.pid)
    log("rescuer worker started (pid %d)" % p.pid)
    v = get(late, timeout=25)
    att = r.hget("fwtest:attempts", late.id)
    late_ok = check(v == "late-x-2" and att == b"2",
                    "late task: result %r attempts %r (want late-x-2, 2)" % (v, att))
    log("late task redelivered after SIGKILL: %s" % late_ok)

# --- 7. exactly-once + broker state ------------------------------------------
runs = {k.decode(): int(v) for k, v in r.hgetall("fwtest:runs").items()}
dup = {k: c for k, c in runs.items() if c != 1}
missing = [k for k in once if k not in runs]
extra = [k for k in runs if k not in once]
check(not dup, "tasks ran more than once: %s" % list(dup.items())[:5])
check(not missing, "%d tasks never ran: %s" % (len(missing), [once[k] for k in missing[:5]]))
check(not extra, "%d unexpected task runs" % len(extra))
deadline = time.time() + 5
while time.time() < deadline:
    state = (r.hlen("unacked"), r.zcard("unacked_index"), r.llen("celery"), r.llen("late"))
    if state == (0, 0, 0, 0):
        break
    time.sleep(0.1)
check(state == (0, 0, 0, 0),
      "broker not drained: unacked=%d unacked_index=%d celery=%d late=%d" % state)

finish()
print("celery: passed: %d tasks ran exactly once (%d bulk), %d/%d delayed on time, "
      "%d/4 retry checks, %d/5 failures, late redelivery %s (%.1fs)"
      % (len(once), N, n_delayed, len(delayed), n_retry, n_fail,
         "ok" if late_ok else "n/a", time.time() - T0))
