#!/usr/bin/python3
"""tests/frameworks/rq/rqtest.py PORT - real RQ (python3-rq 1.13) workers
against the server on 127.0.0.1:PORT.

Phases (each worker is a separate `rq worker` CLI process in its own session):
  1. enqueue ~300 jobs (plain, enqueue_many, retries, failures, timeouts,
     dependencies, callbacks, meta, scheduled) and run 2 burst workers with
     --with-scheduler;
  2. after the scheduled times have passed, 2 more burst workers with
     --with-scheduler run the scheduled jobs and the interval retries;
  3. a long-running (non-burst) worker with the scheduler loop: jobs pushed
     while it blocks in BLPOP, and enqueue_in jobs moved by the scheduler
     process; then a warm shutdown with SIGTERM;
  4. SIGKILL of a work horse (the worker fails the job) and SIGKILL of a whole
     worker (the job stays in StartedJobRegistry until a cleanup moves it to
     the FailedJobRegistry).
Then every job's marker count, status, result, registries and exception info
are checked exactly.  Exit status 1 on any mismatch.
"""
import datetime as dt
import math
import os
import signal
import subprocess
import sys
import time
import warnings

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from redis import Redis  # noqa: E402
from rq import Queue, Retry, Worker  # noqa: E402
from rq.job import Dependency, Job  # noqa: E402
from rq.registry import (DeferredJobRegistry, FailedJobRegistry,  # noqa: E402
                         FinishedJobRegistry, ScheduledJobRegistry,
                         StartedJobRegistry)
from rq.results import Result  # noqa: E402

import rqjobs  # noqa: E402

warnings.simplefilter('ignore', DeprecationWarning)

PORT = int(sys.argv[1])
TMP = os.environ.get('FW_TMP') or '/tmp'
URL = 'redis://127.0.0.1:%d/0' % PORT
PIDFILE = os.path.join(TMP, 'rq-worker-pids')
T_START = time.time()

r = Redis(host='127.0.0.1', port=PORT)
errors = []
nchecks = 0


def check(cond, msg):
    global nchecks
    nchecks += 1
    if not cond:
        errors.append(msg)
        if len(errors) <= 40:
            print('rq: MISMATCH: ' + msg, flush=True)
    return cond


def log(msg):
    print('rq: [%5.1fs] %s' % (time.time() - T_START, msg), flush=True)


# ---------------------------------------------------------------- workers
procs = {}


def start_worker(name, queues, burst=True, scheduler=True, simple=False):
    cmd = ['/usr/bin/rq', 'worker', '--url', URL, '--path', HERE, '-n', name]
    if simple:
        cmd += ['--worker-class', 'rq.SimpleWorker']
    if burst:
        cmd.append('--burst')
    if scheduler:
        cmd.append('--with-scheduler')
    cmd += queues
    out = open(os.path.join(TMP, 'worker-%s.log' % name), 'wb')
    p = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT,
                         stdin=subprocess.DEVNULL, start_new_session=True)
    out.close()
    procs[name] = p
    note_pid(p.pid)
    return p


def wait_worker(name, timeout):
    p = procs[name]
    try:
        rc = p.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        check(False, 'worker %s did not exit within %ss' % (name, timeout))
        kill_group(p)
        return None
    return rc


def children(pid):
    """Direct children of pid (an RQ work horse calls setsid(), so it is not
    in its worker's process group and killpg() alone would miss it)."""
    kids = []
    for d in os.listdir('/proc'):
        if d.isdigit():
            try:
                with open('/proc/%s/stat' % d) as f:
                    st = f.read()
            except OSError:
                continue
            if int(st.rsplit(')', 1)[1].split()[1]) == pid:
                kids.append(int(d))
    return kids


def kill_pid(pid):
    try:
        os.kill(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def note_pid(pid):
    with open(PIDFILE, 'a') as f:
        f.write('%d\n' % pid)


def kill_group(p):
    kids = children(p.pid)
    try:
        os.killpg(p.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    for k in kids:
        kill_pid(k)
    try:
        p.wait(timeout=5)
    except subprocess.TimeoutExpired:
        pass


def kill_all():
    for p in procs.values():
        if p.poll() is None:
            kill_group(p)


def wait_until(pred, timeout, step=0.05):
    end = time.time() + timeout
    while time.time() < end:
        if pred():
            return True
        time.sleep(step)
    return pred()


def geti(key):
    v = r.get(key)
    return int(v) if v is not None else 0


def floats(key):
    return [float(x) for x in r.lrange(key, 0, -1)]


def status(job):
    return job.get_status(refresh=True)


def exc_of(job):
    j = Job.fetch(job.id, connection=r)
    return j.exc_info or ''


# ---------------------------------------------------------------- enqueue
def main():
    r.flushdb()
    qd = Queue('default', connection=r)
    qh = Queue('high', connection=r)
    qk = Queue('kill', connection=r)
    ql = Queue('live', connection=r)
    qf = Queue('fork', connection=r)

    N_ADD = 160          # enqueue(), alternating high/default
    N_MANY = 100         # enqueue_many() in one pipeline
    N_ECHO = 40
    N_CB = 5             # with on_success callbacks
    N_FLAKY = 5          # Retry(max=2), succeed on 3rd attempt
    N_BOOM_R = 3         # Retry(max=2), always fail
    N_BOOM = 2           # no retry, always fail
    N_FI = 2             # Retry(max=1, interval=1) via the scheduler
    N_CHAIN = 8          # a -> b -> c chains
    N_META = 3
    N_FORK = 30          # plain jobs on the 'fork' queue (forking workers, phase 2)

    jobs_add = {}
    for i in range(N_ADD):
        q = qh if i % 2 else qd
        jobs_add[i] = q.enqueue(rqjobs.add, i, i, 1000 * i, job_id='add-%d' % i,
                                result_ttl=600)
    datas = [Queue.prepare_data(rqjobs.add, args=(i, i, 7), job_id='add-%d' % i)
             for i in range(N_ADD, N_ADD + N_MANY)]
    with r.pipeline() as pipe:
        many = qd.enqueue_many(datas, pipeline=pipe)
        pipe.execute()
    for i, j in zip(range(N_ADD, N_ADD + N_MANY), many):
        jobs_add[i] = j
    F0 = 1000
    for i in range(F0, F0 + N_FORK):
        jobs_add[i] = qf.enqueue(rqjobs.add, i, i, 1000 * i, job_id='add-%d' % i)
    payloads = {}
    jobs_echo = {}
    for i in range(N_ECHO):
        payloads[i] = ('p%d-' % i) * (i * 10) if i else 'X' * 200000
        jobs_echo[i] = qh.enqueue(rqjobs.echo, i, payloads[i])
    jobs_cb = {}
    base = N_ADD + N_MANY
    for i in range(base, base + N_CB):
        jobs_cb[i] = qd.enqueue(rqjobs.add, i, i, 1, on_success=rqjobs.on_ok)
    # retries/failures on the SimpleWorker queues and on the forking 'fork' queue
    jobs_flaky = {i: (qf if i % 2 else qd).enqueue(rqjobs.flaky, i, retry=Retry(max=2))
                  for i in range(N_FLAKY)}
    jobs_boom_r = {i: (qf if i % 2 else qd).enqueue(rqjobs.boom, i, retry=Retry(max=2),
                                                     on_failure=rqjobs.on_fail)
                   for i in range(N_BOOM_R)}
    jobs_boom = {i: qh.enqueue(rqjobs.boom, i, on_failure=rqjobs.on_fail)
                 for i in range(100, 100 + N_BOOM)}
    jobs_fi = {i: qd.enqueue(rqjobs.flaky_interval, i, retry=Retry(max=1, interval=1))
               for i in range(N_FI)}
    jobs_timeout = {q.name: q.enqueue(rqjobs.sleeper, q.name, 4, job_timeout=1) for q in (qd, qf)}
    job_nottl = qd.enqueue(rqjobs.add, 9999, 1, 2, result_ttl=0, job_id='add-nottl')
    jobs_meta = {i: qd.enqueue(rqjobs.with_meta, i) for i in range(N_META)}

    # dependencies: chains a->b->c across queues (b0 on the forking queue),
    # a fan-in on two parents, a child of a failing parent (stays deferred)
    # and an allow_failure child of the same failing parent (runs)
    deps = {}
    for c in range(N_CHAIN):
        a = qd.enqueue(rqjobs.dep, 'a%d' % c, [], job_id='dep-a%d' % c)
        b = (qf if c == 0 else qh).enqueue(rqjobs.dep, 'b%d' % c, ['a%d' % c], depends_on=a,
                                           job_id='dep-b%d' % c)
        cc = qd.enqueue(rqjobs.dep, 'c%d' % c, ['b%d' % c], depends_on=b.id, job_id='dep-c%d' % c)
        deps.update({'a%d' % c: a, 'b%d' % c: b, 'c%d' % c: cc})
    p1 = qd.enqueue(rqjobs.dep, 'p1', [], job_id='dep-p1')
    p2 = qh.enqueue(rqjobs.dep, 'p2', [], job_id='dep-p2')
    fan = qd.enqueue(rqjobs.dep, 'fan', ['p1', 'p2'], depends_on=[p1, p2], job_id='dep-fan')
    fp = qd.enqueue(rqjobs.dep_fail, 'fp', job_id='dep-fp')
    fc = qd.enqueue(rqjobs.dep, 'fc', ['fp'], depends_on=fp, job_id='dep-fc')
    fa = qd.enqueue(rqjobs.dep, 'fa', ['fp'], depends_on=Dependency(jobs=[fp], allow_failure=True),
                    job_id='dep-fa')
    deps.update({'p1': p1, 'p2': p2, 'fan': fan, 'fp': fp, 'fc': fc, 'fa': fa})

    # scheduled jobs: enqueue_at on a whole second (RQ keeps scheduled times
    # in whole seconds) and enqueue_in 1 s / 2 s
    now = time.time()
    at_ts = math.ceil(now) + 2
    at_dt = dt.datetime.fromtimestamp(at_ts, tz=dt.timezone.utc)
    sched = {}   # name -> (job, earliest allowed run time)
    for k in range(2):
        sched['at%d' % k] = (qd.enqueue_at(at_dt, rqjobs.stamp, 'at%d' % k), at_ts)
    for k, secs in enumerate((1, 1, 2, 2)):
        t0 = time.time()
        j = qh.enqueue_in(dt.timedelta(seconds=secs), rqjobs.stamp, 'in%d' % k)
        # RQ truncates the scheduled time to a whole second
        sched['in%d' % k] = (j, math.floor(t0 + secs))
    n_sched_reg = ScheduledJobRegistry(queue=qd).count + ScheduledJobRegistry(queue=qh).count
    check(n_sched_reg == len(sched), 'ScheduledJobRegistry holds %d jobs, want %d' % (n_sched_reg, len(sched)))
    for name, (j, _) in sched.items():
        check(status(j) == 'scheduled', 'scheduled job %s status %s' % (name, status(j)))
    check(status(deps['b0']) == 'deferred', 'dependent b0 status %s before run' % status(deps['b0']))

    total_enq = (N_ADD + N_MANY + N_FORK + N_ECHO + N_CB + N_FLAKY + N_BOOM_R + N_BOOM + N_FI + 3 + N_META
                 + len(deps) + len(sched))
    log('enqueued %d jobs (queued default=%d high=%d fork=%d)' % (total_enq, qd.count, qh.count, qf.count))

    # ------------------------------------------------------------ phase 1
    # the bulk runs on 2 non-forking SimpleWorkers: a forking RQ worker needs
    # ~0.15 s per job on a small machine (fork + Python start-up costs)
    start_worker('p1-a', ['high', 'default'], simple=True)
    start_worker('p1-b', ['high', 'default'], simple=True)
    rc1 = wait_worker('p1-a', 45)
    rc2 = wait_worker('p1-b', 45)
    check(rc1 == 0 and rc2 == 0, 'phase-1 workers exit status %s %s' % (rc1, rc2))
    log('phase 1 done (burst workers exited)')
    # nothing scheduled may have run before its time (checked per job below);
    # interval retries are waiting in the ScheduledJobRegistry
    for i, j in jobs_fi.items():
        check(geti('rqtest:attempts:fi:%d' % i) == 1,
              'interval-retry job %d: %d attempts after phase 1, want 1'
              % (i, geti('rqtest:attempts:fi:%d' % i)))
        check(status(j) == 'scheduled', 'interval-retry job %d status %s after its first failure'
              % (i, status(j)))

    # N_FORK adds, 2 flaky, 1 boom, 1 timeout, and dep b0 (enqueued when its parent a0 finished)
    check(qf.count == N_FORK + 5, "queue fork holds %d jobs before phase 2, want %d" % (qf.count, N_FORK + 5))
    check(geti('rqtest:ran:dep:b0') == 0, 'dep b0 (fork queue) ran in phase 1')

    # ------------------------------------------------------------ phase 2
    # 2 forking workers: the 'fork' queue, the due scheduled jobs and the
    # interval retries
    fi_due = max(max(floats('rqtest:attempt-times:fi:%d' % i) or [0]) for i in jobs_fi) + 1
    due = max([t for _, t in sched.values()] + [fi_due])
    delay = due + 1.05 - time.time()
    if delay > 0:
        time.sleep(delay)
    start_worker('p2-a', ['high', 'default', 'fork'])
    start_worker('p2-b', ['fork', 'high', 'default'])
    rc1 = wait_worker('p2-a', 40)
    rc2 = wait_worker('p2-b', 40)
    check(rc1 == 0 and rc2 == 0, 'phase-2 workers exit status %s %s' % (rc1, rc2))
    log('phase 2 done (scheduled jobs)')

    # ------------------------------------------------------------ phase 3
    # a long-running worker blocked in BLPOP; its scheduler process moves
    # enqueue_in jobs to the queue when due
    start_worker('live', ['live'], burst=False, scheduler=True)
    check(wait_until(lambda: any(w.name == 'live' for w in Worker.all(connection=r)), 15),
          'live worker did not register')
    time.sleep(0.3)
    live_plain = {i: ql.enqueue(rqjobs.add, 5000 + i, i, 3) for i in range(10)}
    live_sched = {}
    for k in range(3):
        t0 = time.time()
        live_sched['live%d' % k] = (ql.enqueue_in(dt.timedelta(seconds=1), rqjobs.stamp, 'live%d' % k),
                                    math.floor(t0 + 1))
    sched.update(live_sched)
    ok = wait_until(lambda: all(status(j) == 'finished' for j in live_plain.values())
                    and all(status(j) == 'finished' for j, _ in live_sched.values()), 15, 0.1)
    check(ok, 'live worker did not finish its %d jobs in time' % (len(live_plain) + len(live_sched)))
    procs['live'].send_signal(signal.SIGTERM)   # warm shutdown
    rc = wait_worker('live', 15)
    check(rc == 0, 'live worker exit status %s after SIGTERM' % rc)
    check(not any(w.name == 'live' for w in Worker.all(connection=r)),
          'live worker still registered after warm shutdown')
    for i, j in live_plain.items():
        check(geti('rqtest:ran:add:%d' % (5000 + i)) == 1, 'live job %d ran %d times'
              % (i, geti('rqtest:ran:add:%d' % (5000 + i))))
        check(j.return_value(refresh=True) == i + 3, 'live job %d result %r' % (i, j.return_value()))
    log('phase 3 done (live worker)')

    # ------------------------------------------------------------ phase 4
    # (a) SIGKILL the work horse: the worker notices and fails the job
    jh = qk.enqueue(rqjobs.hang, 'horse', job_timeout=120, job_id='hang-horse')
    start_worker('kill-a', ['kill'], scheduler=False)
    if check(wait_until(lambda: r.get('rqtest:pids:horse'), 15), 'hang job (horse) never started'):
        horse, parent = map(int, r.get('rqtest:pids:horse').split())
        note_pid(horse)
        check(parent == procs['kill-a'].pid, 'work horse parent %d is not the worker %d'
              % (parent, procs['kill-a'].pid))
        os.kill(horse, signal.SIGKILL)
    rc = wait_worker('kill-a', 15)
    check(rc == 0, 'worker kill-a exit status %s' % rc)
    check(status(jh) == 'failed', 'horse-killed job status %s, want failed' % status(jh))
    check(jh.id in FailedJobRegistry(queue=qk).get_job_ids(), 'horse-killed job not in FailedJobRegistry')
    check(jh.id not in StartedJobRegistry(queue=qk).get_job_ids(), 'horse-killed job still in StartedJobRegistry')
    e = exc_of(jh)
    check('Work-horse terminated unexpectedly' in e and 'signal 9' in e,
          'horse-killed job exc_info %r' % e[:200])

    # (b) SIGKILL the whole worker (worker + horse): the job stays started
    jw = qk.enqueue(rqjobs.hang, 'worker', job_timeout=120, job_id='hang-worker')
    start_worker('kill-b', ['kill'], scheduler=False)
    if check(wait_until(lambda: r.get('rqtest:pids:worker'), 15), 'hang job (worker) never started'):
        horse, parent = map(int, r.get('rqtest:pids:worker').split())
        note_pid(horse)
        check(parent == procs['kill-b'].pid, 'work horse parent %d is not the worker %d'
              % (parent, procs['kill-b'].pid))
        kill_group(procs['kill-b'])   # the worker and (via children()) its horse
        kill_pid(horse)
        check(wait_until(lambda: not os.path.exists('/proc/%d' % horse), 5), 'work horse %d survived SIGKILL' % horse)
    sreg = StartedJobRegistry(queue=qk)
    freg = FailedJobRegistry(queue=qk)
    check(status(jw) == 'started', 'worker-killed job status %s, want started' % status(jw))
    check(sreg.get_job_ids() == [jw.id], 'StartedJobRegistry(kill) %r, want [%s]' % (sreg.get_job_ids(), jw.id))
    check(jw.id not in freg.get_job_ids(), 'worker-killed job already failed')
    sreg.cleanup()   # not expired yet: nothing moves
    check(sreg.get_job_ids() == [jw.id], 'early cleanup moved the job: %r' % sreg.get_job_ids())
    moved = sreg.cleanup(timestamp=time.time() + 120 + 60 + 300)
    check([x.decode() if isinstance(x, bytes) else x for x in moved] == [jw.id],
          'cleanup moved %r, want [%s]' % (moved, jw.id))
    check(sreg.get_job_ids() == [], 'StartedJobRegistry(kill) after cleanup %r' % sreg.get_job_ids())
    check(sorted(freg.get_job_ids()) == sorted([jh.id, jw.id]),
          'FailedJobRegistry(kill) %r' % freg.get_job_ids())
    check(status(jw) == 'failed', 'worker-killed job status %s after cleanup' % status(jw))
    e = exc_of(jw)
    check('Moved to FailedJobRegistry' in e, 'worker-killed job exc_info %r' % e[:200])
    check(geti('rqtest:ran:hang:horse') == 1 and geti('rqtest:ran:hang:worker') == 1,
          'hang jobs ran %d/%d times' % (geti('rqtest:ran:hang:horse'), geti('rqtest:ran:hang:worker')))
    log('phase 4 done (SIGKILL)')

    # ------------------------------------------------------------ checks
    for i, j in jobs_add.items():
        want = i + 7 if N_ADD <= i < N_ADD + N_MANY else i + 1000 * i
        n = geti('rqtest:ran:add:%d' % i)
        check(n == 1, 'add %d ran %d times' % (i, n))
        check(status(j) == 'finished', 'add %d status %s' % (i, status(j)))
        j2 = Job.fetch(j.id, connection=r)
        check(j2.return_value() == want and j2.result == want,
              'add %d result %r/%r, want %r' % (i, j2.return_value(), j2.result, want))
        lr = j2.latest_result()
        check(lr is not None and lr.type == Result.Type.SUCCESSFUL and lr.return_value == want,
              'add %d latest_result %r' % (i, lr))
    for i, j in jobs_echo.items():
        check(geti('rqtest:ran:echo:%d' % i) == 1, 'echo %d ran %d times' % (i, geti('rqtest:ran:echo:%d' % i)))
        want = {'i': i, 'sq': i * i, 'payload': payloads[i], 'neg': -i, 'f': i / 4.0,
                'tup': (i, str(i)), 'none': None, 'b': bytes([i % 256]) * 3}
        got = Job.fetch(j.id, connection=r).return_value()
        check(got == want, 'echo %d result mismatch (%r...)' % (i, repr(got)[:80]))
    cbs = [x.decode() for x in r.lrange('rqtest:cb:success', 0, -1)]
    for i, j in jobs_cb.items():
        check(geti('rqtest:ran:add:%d' % i) == 1, 'callback job %d ran %d times' % (i, geti('rqtest:ran:add:%d' % i)))
        check(cbs.count('%s=%r' % (j.id, i + 1)) == 1, 'on_success for %d: %r' % (i, cbs))
    check(len(cbs) == N_CB, 'on_success callbacks %d, want %d' % (len(cbs), N_CB))
    for i, j in jobs_flaky.items():
        n = geti('rqtest:attempts:flaky:%d' % i)
        check(n == 3, 'flaky %d: %d attempts, want 3' % (i, n))
        check(status(j) == 'finished', 'flaky %d status %s' % (i, status(j)))
        j2 = Job.fetch(j.id, connection=r)
        check(j2.return_value() == 'ok-%d-3' % i, 'flaky %d result %r' % (i, j2.return_value()))
        check(j2.retries_left == 0, 'flaky %d retries_left %r' % (i, j2.retries_left))
        check(len(j2.results()) == 1, 'flaky %d has %d results' % (i, len(j2.results())))
    fails = [x.decode() for x in r.lrange('rqtest:cb:failure', 0, -1)]
    for i, j in jobs_boom_r.items():
        n = geti('rqtest:attempts:boom:%d' % i)
        check(n == 3, 'boom(retry) %d: %d attempts, want 3' % (i, n))
        check(status(j) == 'failed', 'boom(retry) %d status %s' % (i, status(j)))
        e = exc_of(j)
        check('RuntimeError: boom-%d always fails' % i in e, 'boom(retry) %d exc_info %r' % (i, e[-200:]))
        check(fails.count('%s=RuntimeError' % j.id) == 3, 'on_failure for boom(retry) %d called %d times, want 3'
              % (i, fails.count('%s=RuntimeError' % j.id)))
    for i, j in jobs_boom.items():
        n = geti('rqtest:attempts:boom:%d' % i)
        check(n == 1, 'boom %d: %d attempts, want 1' % (i, n))
        check(status(j) == 'failed', 'boom %d status %s' % (i, status(j)))
        e = exc_of(j)
        check('RuntimeError: boom-%d always fails' % i in e, 'boom %d exc_info %r' % (i, e[-200:]))
        check(fails.count('%s=RuntimeError' % j.id) == 1, 'on_failure for boom %d' % i)
    check(len(fails) == 3 * N_BOOM_R + N_BOOM, 'on_failure calls %d' % len(fails))
    for i, j in jobs_fi.items():
        n = geti('rqtest:attempts:fi:%d' % i)
        check(n == 2, 'interval-retry %d: %d attempts, want 2' % (i, n))
        ts = floats('rqtest:attempt-times:fi:%d' % i)
        # the retry is scheduled at now+1s, truncated to a whole second
        check(len(ts) == 2 and ts[1] >= math.floor(ts[0] + 1), 'interval-retry %d attempt times %r' % (i, ts))
        check(status(j) == 'finished', 'interval-retry %d status %s' % (i, status(j)))
        check(Job.fetch(j.id, connection=r).return_value() == 'fi-ok-%d' % i, 'interval-retry %d result' % i)
    for qn, j in jobs_timeout.items():
        check(status(j) == 'failed', 'timeout job (%s) status %s' % (qn, status(j)))
        n = geti('rqtest:ran:sleeper:' + qn)
        check(n == 1, 'timeout job (%s) ran %d times' % (qn, n))
        e = exc_of(j)
        check('JobTimeoutException' in e, 'timeout job (%s) exc_info %r' % (qn, e[-200:]))
    check(geti('rqtest:ran:add:9999') == 1, 'result_ttl=0 job ran %d times' % geti('rqtest:ran:add:9999'))
    check(not Job.exists(job_nottl.id, connection=r), 'result_ttl=0 job still exists')
    for i, j in jobs_meta.items():
        j2 = Job.fetch(j.id, connection=r)
        check(geti('rqtest:ran:meta:%d' % i) == 1, 'meta job %d ran %d times' % (i, geti('rqtest:ran:meta:%d' % i)))
        check(j2.meta.get('progress') == 'done-%d' % i and j2.return_value() == i,
              'meta job %d meta %r result %r' % (i, j2.meta, j2.return_value()))

    # dependencies
    order = {n: geti('rqtest:order:' + n) for n in deps}
    for name, j in deps.items():
        ran = geti('rqtest:ran:dep:' + name)
        if name == 'fc':
            check(ran == 0, 'child of failed parent ran %d times' % ran)
            check(status(j) == 'deferred', 'child of failed parent status %s' % status(j))
            continue
        check(ran == 1, 'dep %s ran %d times' % (name, ran))
        if name == 'fp':
            check(status(j) == 'failed', 'failing parent status %s' % status(j))
            continue
        check(status(j) == 'finished', 'dep %s status %s' % (name, status(j)))
        parents = {'fan': ['p1', 'p2'], 'fa': ['fp']}.get(name)
        if parents is None:
            parents = {'b': ['a'], 'c': ['b']}.get(name[0], [])
            parents = [p + name[1:] for p in parents]
        rv = Job.fetch(j.id, connection=r).return_value()
        want = {'name': name, 'seq': order[name], 'parents_done': [1] * len(parents)}
        check(rv == want, 'dep %s result %r, want %r' % (name, rv, want))
        for p in parents:
            check(order[p] < order[name], 'dep %s (seq %d) ran before its parent %s (seq %d)'
                  % (name, order[name], p, order[p]))
    dreg = DeferredJobRegistry(queue=qd)
    check(dreg.get_job_ids() == ['dep-fc'], 'DeferredJobRegistry(default) %r' % dreg.get_job_ids())
    check(DeferredJobRegistry(queue=qh).count == 0, 'DeferredJobRegistry(high) not empty')

    # scheduled jobs: once, not before their time, not absurdly late
    for name, (j, earliest) in sched.items():
        n = geti('rqtest:ran:stamp:' + name)
        ts = floats('rqtest:ran-at:stamp:' + name)
        check(n == 1 and len(ts) == 1, 'scheduled %s ran %d times' % (name, n))
        if ts:
            check(ts[0] >= earliest, 'scheduled %s ran at %.3f, before its time %.3f' % (name, ts[0], earliest))
            check(ts[0] <= earliest + 30, 'scheduled %s ran %.1fs late' % (name, ts[0] - earliest))
        check(status(j) == 'finished', 'scheduled %s status %s' % (name, status(j)))
        check(Job.fetch(j.id, connection=r).return_value() == name, 'scheduled %s result' % name)

    # registries
    want_fin = {'default': set(), 'high': set(), 'live': set(), 'fork': set()}
    for i, j in jobs_add.items():
        want_fin[j.origin].add(j.id)
    for d in (jobs_echo, jobs_cb, jobs_flaky, jobs_fi, jobs_meta):
        for j in d.values():
            want_fin[j.origin].add(j.id)
    for name, j in deps.items():
        if name not in ('fc', 'fp'):
            want_fin[j.origin].add(j.id)
    for name, (j, _) in sched.items():
        want_fin[j.origin].add(j.id)
    for j in live_plain.values():
        want_fin['live'].add(j.id)
    want_failed = {'default': {'dep-fp'}, 'high': set(), 'live': set(), 'fork': set()}
    for j in list(jobs_boom_r.values()) + list(jobs_boom.values()) + list(jobs_timeout.values()):
        want_failed[j.origin].add(j.id)
    for qn in ('default', 'high', 'live', 'fork'):
        q = Queue(qn, connection=r)
        fin = set(FinishedJobRegistry(queue=q).get_job_ids())
        check(fin == want_fin[qn], 'FinishedJobRegistry(%s): %d jobs, want %d (extra %r missing %r)'
              % (qn, len(fin), len(want_fin[qn]), sorted(fin - want_fin[qn])[:5],
                 sorted(want_fin[qn] - fin)[:5]))
        check(FinishedJobRegistry(queue=q).count == len(want_fin[qn]), 'FinishedJobRegistry(%s).count' % qn)
        fl = set(FailedJobRegistry(queue=q).get_job_ids())
        check(fl == want_failed[qn], 'FailedJobRegistry(%s) %r, want %r' % (qn, sorted(fl), sorted(want_failed[qn])))
        check(StartedJobRegistry(queue=q).count == 0, 'StartedJobRegistry(%s) not empty: %r'
              % (qn, StartedJobRegistry(queue=q).get_job_ids()))
        check(ScheduledJobRegistry(queue=q).count == 0, 'ScheduledJobRegistry(%s) not empty' % qn)
        check(q.count == 0, 'queue %s still holds %d jobs' % (qn, q.count))
    check(qk.count == 0, 'queue kill still holds %d jobs' % qk.count)

    # workers: all burst / warm-shutdown workers deregistered
    alive = sorted(w.name for w in Worker.all(connection=r))
    check(alive in ([], ['kill-b']), 'registered workers after the run: %r' % alive)

    nfin = sum(len(v) for v in want_fin.values())
    nfail = sum(len(v) for v in want_failed.values()) + 2
    return nfin, nfail


def on_signal(signum, frame):
    kill_all()
    sys.exit(2)


if __name__ == '__main__':
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    nfin = nfail = 0
    try:
        nfin, nfail = main()
    except Exception as e:  # noqa
        import traceback
        traceback.print_exc()
        errors.append('exception: %r' % e)
    finally:
        kill_all()
    secs = time.time() - T_START
    if errors:
        print('rq: FAILED: %d mismatches of %d checks (%d jobs finished, %d failed as expected), %.1fs'
              % (len(errors), nchecks, nfin, nfail, secs))
        sys.exit(1)
    print('rq: passed: %d checks, %d jobs finished exactly once, %d failed as expected, 4+2 burst workers + live + 2 killed, %.1fs'
          % (nchecks, nfin, nfail, secs))
