"""Throughput bench for tests/frameworks/celery/bench.sh: JOBS trivial tasks
through an already started worker pool; prints `jobs_per_sec <float>` measured
from the first enqueue to the last result received (redis result backend)."""
import sys
import time

from celery.result import ResultSet

import tasks

jobs = int(sys.argv[1])
want = set(sys.argv[2].split(","))
app = tasks.app

deadline = time.time() + 60
while True:
    got = set()
    for reply in app.control.ping(timeout=0.5) or []:
        got |= set(reply)
    if want <= got:
        break
    if time.time() > deadline:
        sys.exit("bench: workers did not answer ping: %s" % sorted(got))

# warm up the pool (prefork children, connections); not timed
warm = ResultSet([tasks.noop_add.delay(i, 1) for i in range(50)])
if warm.join_native(timeout=60) != [i + 1 for i in range(50)]:
    sys.exit("bench: warm-up results wrong")

t0 = time.perf_counter()
rs = ResultSet([tasks.noop_add.delay(i, i) for i in range(jobs)])
vals = rs.join_native(timeout=600)
t1 = time.perf_counter()
if vals != [2 * i for i in range(jobs)]:
    sys.exit("bench: wrong results")
print("jobs_per_sec %.1f" % (jobs / (t1 - t0)))
