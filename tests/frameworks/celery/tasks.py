"""Celery app + tasks for tests/frameworks/celery (run.sh and bench.sh).

Broker and result backend are both redis://127.0.0.1:$FW_PORT/0 (kombu redis
transport, celery redis result backend).  Tasks record every execution with an
atomic HINCRBY under fwtest:* keys on the same server, keyed by the celery task
id, so the producer can check that every task ran exactly once.
"""
import os
import time

import redis
from celery import Celery

PORT = int(os.environ["FW_PORT"])
URL = "redis://127.0.0.1:%d/0" % PORT
VT = float(os.environ.get("FW_VT", "3"))

app = Celery("fwtest", broker=URL, backend=URL)
app.conf.update(
    broker_transport_options={"visibility_timeout": VT},
    task_serializer="json",
    result_serializer="json",
    accept_content=["json"],
    result_expires=3600,
    worker_prefetch_multiplier=int(os.environ.get("FW_PREFETCH", "4")),
    worker_hijack_root_logger=False,
    broker_connection_retry=True,
)

_r = None
_rpid = None


def rc():
    """Per-process client (prefork children must not share the socket)."""
    global _r, _rpid
    if _r is None or _rpid != os.getpid():
        _r = redis.Redis(host="127.0.0.1", port=PORT, db=0)
        _rpid = os.getpid()
    return _r


def ran(task):
    rc().hincrby("fwtest:runs", task.request.id, 1)


@app.task(bind=True)
def add(self, x, y):
    ran(self)
    return x + y


@app.task(bind=True)
def noop_add(self, x, y):
    # bench task: no bookkeeping, pure framework throughput
    return x + y


@app.task(bind=True)
def tsum(self, values):
    ran(self)
    return sum(values)


@app.task(bind=True)
def delayed(self, tag):
    ran(self)
    rc().hset("fwtest:ran_at", self.request.id, repr(time.time()))
    return tag


@app.task(bind=True, max_retries=5)
def flaky(self, tag):
    n = rc().hincrby("fwtest:attempts", self.request.id, 1)
    if n < 3:
        raise self.retry(countdown=0.2, exc=RuntimeError("flaky %s attempt %d" % (tag, n)))
    return {"tag": tag, "attempts": n, "retries": self.request.retries}


@app.task(bind=True, max_retries=1)
def hopeless(self, tag):
    n = rc().hincrby("fwtest:attempts", self.request.id, 1)
    # after max_retries, self.retry() re-raises exc -> FAILURE
    raise self.retry(countdown=0.2, exc=KeyError("hopeless %s attempt %d" % (tag, n)))


@app.task(bind=True)
def boom(self, n):
    ran(self)
    raise ValueError("boom %d" % n)


@app.task(bind=True, acks_late=True)
def slow_late(self, tag):
    n = rc().hincrby("fwtest:attempts", self.request.id, 1)
    if n == 1:
        # first delivery: sleep until the producer SIGKILLs this worker
        time.sleep(60)
    return "late-%s-%d" % (tag, n)
