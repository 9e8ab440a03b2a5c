"""Job functions for tests/frameworks/rq (imported by the RQ workers via --path).

Every job records a per-job marker with INCR so the driver can check that it
ran exactly once (or exactly N attempts); keys live under the rqtest: prefix.
"""
import os
import time

from rq import get_current_job


def _conn():
    return get_current_job().connection


def _seq(r, name):
    """Global execution order: the value of a shared counter when this job ran."""
    n = r.incr('rqtest:seq')
    r.set('rqtest:order:' + name, n)
    return n


def add(i, a, b):
    r = _conn()
    r.incr('rqtest:ran:add:%d' % i)
    return a + b


def echo(i, payload):
    """Returns a composite value so the result round-trip is exact."""
    r = _conn()
    r.incr('rqtest:ran:echo:%d' % i)
    return {'i': i, 'sq': i * i, 'payload': payload, 'neg': -i, 'f': i / 4.0,
            'tup': (i, str(i)), 'none': None, 'b': bytes([i % 256]) * 3}


def flaky(i):
    """Fails on the first two attempts, succeeds on the third."""
    r = _conn()
    n = r.incr('rqtest:attempts:flaky:%d' % i)
    r.rpush('rqtest:attempt-times:flaky:%d' % i, repr(time.time()))
    if n < 3:
        raise ValueError('flaky-%d attempt %d' % (i, n))
    return 'ok-%d-%d' % (i, n)


def boom(i):
    r = _conn()
    r.incr('rqtest:attempts:boom:%d' % i)
    raise RuntimeError('boom-%d always fails' % i)


def flaky_interval(i):
    """Fails once; retried through the scheduler (Retry(max=1, interval=1))."""
    r = _conn()
    n = r.incr('rqtest:attempts:fi:%d' % i)
    r.rpush('rqtest:attempt-times:fi:%d' % i, repr(time.time()))
    if n < 2:
        raise ValueError('fi-%d attempt %d' % (i, n))
    return 'fi-ok-%d' % i


def stamp(name):
    """Scheduled job: records when it ran."""
    r = _conn()
    now = time.time()
    r.incr('rqtest:ran:stamp:' + name)
    r.rpush('rqtest:ran-at:stamp:' + name, repr(now))
    return name


def dep(name, parents):
    """Dependency job: records its order and what its parents had done by then."""
    r = _conn()
    r.incr('rqtest:ran:dep:' + name)
    n = _seq(r, name)
    seen = [int(r.get('rqtest:ran:dep:' + p) or 0) for p in parents]
    return {'name': name, 'seq': n, 'parents_done': seen}


def dep_fail(name):
    r = _conn()
    r.incr('rqtest:ran:dep:' + name)
    _seq(r, name)
    raise KeyError('dep-fail-' + name)


def with_meta(i):
    job = get_current_job()
    job.connection.incr('rqtest:ran:meta:%d' % i)
    job.meta['progress'] = 'half-%d' % i
    job.save_meta()
    job.meta['progress'] = 'done-%d' % i
    job.save_meta()
    return i


def sleeper(tag, secs):
    r = _conn()
    r.incr('rqtest:ran:sleeper:' + tag)
    time.sleep(secs)
    return 'slept'


def hang(tag):
    """Publishes the work-horse and worker pids, then blocks until killed."""
    r = _conn()
    r.incr('rqtest:ran:hang:' + tag)
    r.set('rqtest:pids:' + tag, '%d %d' % (os.getpid(), os.getppid()))
    time.sleep(60)
    return 'not-killed'


def on_ok(job, connection, result, *args, **kwargs):
    connection.rpush('rqtest:cb:success', '%s=%r' % (job.id, result))


def on_fail(job, connection, typ, value, traceback):
    connection.rpush('rqtest:cb:failure', '%s=%s' % (job.id, typ.__name__))
