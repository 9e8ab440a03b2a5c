// BullMQ framework test, part 2: node extras.js PORT
// Custom job ids, deduplication, big payloads, waitUntilFinished,
// removeOnComplete/removeOnFail, metrics, pause/resume + LIFO + remove +
// promote, rate limiter, stalled-job recovery after SIGKILL of a worker
// process, job schedulers, manual getNextJob/moveToCompleted, clean and
// obliterate.  Exits 0 only if every check passed.
'use strict';
const assert = require('assert');
const path = require('path');
const { fork } = require('child_process');
const { Queue, Worker, QueueEvents, MetricsTime } = require('bullmq');
const { connection, MARK, sleep, IORedis } = require('./lib');

const errors = [];
let checks = 0;
function check(cond, msg) {
  checks++;
  if (!cond) {
    errors.push(msg);
    if (errors.length <= 30) console.error('MISMATCH: ' + msg);
  }
}
function deepEq(a, b) {
  try {
    assert.deepStrictEqual(a, b);
    return true;
  } catch (e) {
    return false;
  }
}
const J = (x) => JSON.stringify(x);
const t0 = Date.now();
const secs = () => ((Date.now() - t0) / 1000).toFixed(1) + 's';
async function waitFor(what, cond, timeoutMs) {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await cond()) return true;
    await sleep(25);
  }
  check(false, 'timed out waiting for ' + what);
  return false;
}

let victim = null;
process.on('exit', () => {
  if (victim && victim.exitCode === null) victim.kill('SIGKILL');
});

const closers = [];
function track(x) {
  closers.push(x);
  return x;
}
const markers = new IORedis(connection);

// ------------------------------------------------ ids, dedup, big payloads
async function sectionIds() {
  const q = track(new Queue('ids', { connection }));
  const qe = track(new QueueEvents('ids', { connection, blockingTimeout: 2000 }));
  const dedupEvents = [];
  qe.on('deduplicated', (a) => dedupEvents.push(a));
  await qe.waitUntilReady();
  await sleep(200);

  const a1 = await q.add('custom', { v: 1 }, { jobId: 'custom-1' });
  const a2 = await q.add('custom', { v: 2 }, { jobId: 'custom-1' });
  check(a1.id === 'custom-1' && a2.id === 'custom-1', `custom job ids ${a1.id} ${a2.id}`);
  const d = [];
  for (let i = 0; i < 3; i++) d.push(await q.add('dedup', { i }, { deduplication: { id: 'dd-1' } }));
  check(d.every((j) => j.id === d[0].id), `deduplicated adds returned ids ${J(d.map((j) => j.id))}`);
  check((await q.getDeduplicationJobId('dd-1')) === d[0].id, 'getDeduplicationJobId');
  const big = 'x'.repeat(200000) + 'ü€𝄞';
  const bigData = { big, u: 'ключ-键-🔑', arr: Array.from({ length: 500 }, (_, i) => ({ i, s: 's' + i })) };
  const bj = await q.add('big', bigData);
  const bad = await q.add('bad', { z: 1 }, { attempts: 1 });
  const wc = await q.getWaitingCount();
  check(wc === 4, `ids waiting count ${wc}, want 4`);

  const ran = {};
  const w = track(
    new Worker(
      'ids',
      async (job) => {
        ran[job.id] = (ran[job.id] || 0) + 1;
        if (job.name === 'big') {
          return { len: job.data.big.length, tail: job.data.big.slice(-5), u: job.data.u, arrOk: deepEq(job.data.arr, bigData.arr) };
        }
        if (job.name === 'bad') throw new Error('bad job ' + job.data.z);
        return { name: job.name, data: job.data };
      },
      { connection, concurrency: 2 }
    )
  );
  w.on('error', (e) => console.error('ids worker error: ' + e.message));
  const rvBig = await bj.waitUntilFinished(qe, 15000);
  check(deepEq(rvBig, { len: big.length, tail: big.slice(-5), u: bigData.u, arrOk: true }), `big job returnvalue ${J(rvBig)}`);
  let rejected = null;
  try {
    await bad.waitUntilFinished(qe, 15000);
  } catch (e) {
    rejected = e.message;
  }
  check(rejected === 'bad job 1', `waitUntilFinished of failing job rejected with ${J(rejected)}`);
  const rvC = await a1.waitUntilFinished(qe, 15000);
  check(deepEq(rvC, { name: 'custom', data: { v: 1 } }), `custom-1 returnvalue ${J(rvC)}`);
  const rvD = await d[0].waitUntilFinished(qe, 15000);
  check(deepEq(rvD, { name: 'dedup', data: { i: 0 } }), `dedup returnvalue ${J(rvD)}`);
  await sleep(200);
  check(deepEq(ran, { 'custom-1': 1, [d[0].id]: 1, [bj.id]: 1, [bad.id]: 1 }), `ids jobs ran ${J(ran)}`);
  check(dedupEvents.length === 2 && dedupEvents.every((e) => e.jobId === d[0].id && e.deduplicationId === 'dd-1'),
    `deduplicated events ${J(dedupEvents)}`);
  const bigJob = await q.getJob(bj.id);
  check(bigJob && bigJob.data.big === big && deepEq(bigJob.data, bigData), 'big job data round trip');
  const c = await q.getJobCounts('completed', 'failed', 'wait', 'active');
  check(deepEq(c, { completed: 3, failed: 1, wait: 0, active: 0 }), `ids counts ${J(c)}`);
  await w.close();
}

// ------------------------------------- removeOnComplete / removeOnFail, metrics
async function sectionRemove() {
  const q = track(new Queue('rm', { connection }));
  const ok = await q.addBulk(Array.from({ length: 20 }, (_, i) => ({ name: 'ok', data: { i }, opts: { removeOnComplete: true } })));
  const bad = [];
  for (let i = 0; i < 5; i++) bad.push(await q.add('bad', { i }, { removeOnFail: { count: 2 } }));
  let done = 0;
  const w = track(
    new Worker(
      'rm',
      async (job) => {
        if (job.name === 'bad') throw new Error('rm bad ' + job.data.i);
        return job.data.i;
      },
      { connection, concurrency: 1, metrics: { maxDataPoints: MetricsTime.ONE_HOUR } }
    )
  );
  w.on('completed', () => done++);
  w.on('failed', () => done++);
  w.on('error', (e) => console.error('rm worker error: ' + e.message));
  await waitFor('rm jobs', async () => done >= 25, 15000);
  await sleep(100);
  const c = await q.getJobCounts('completed', 'failed', 'wait', 'active');
  check(deepEq(c, { completed: 0, failed: 2, wait: 0, active: 0 }), `rm counts ${J(c)}`);
  const exists = await Promise.all(ok.map((j) => markers.exists('bull:rm:' + j.id)));
  check(exists.every((x) => x === 0), `removeOnComplete job hashes left: ${exists.filter((x) => x).length}`);
  const failedIds = (await q.getFailed()).map((j) => j.id).sort();
  check(deepEq(failedIds, [bad[3].id, bad[4].id].sort()), `removeOnFail kept ${J(failedIds)}`);
  const gone = await Promise.all(bad.slice(0, 3).map((j) => q.getJob(j.id)));
  check(gone.every((j) => !j), 'removeOnFail should delete the 3 oldest failed jobs');
  const mc = await q.getMetrics('completed');
  const mf = await q.getMetrics('failed');
  check(mc.meta.count === 20 && mf.meta.count === 5, `metrics completed ${J(mc.meta)} failed ${J(mf.meta)}`);
  await w.close();
}

// ----------------------------------------- pause/resume, LIFO, remove, promote
async function sectionPause() {
  const q = track(new Queue('pz', { connection }));
  await q.pause();
  check((await q.isPaused()) === true, 'isPaused after pause');
  const order = [];
  const ids = {};
  for (let i = 0; i < 6; i++) ids['n' + i] = (await q.add('n', { tag: 'n' + i })).id;
  ids.L = (await q.add('n', { tag: 'L' }, { lifo: true })).id;
  const dj = await q.add('n', { tag: 'D' }, { delay: 60000 });
  ids.D = dj.id;
  await q.remove(ids.n3);
  const w = track(
    new Worker(
      'pz',
      async (job) => {
        order.push(job.data.tag);
        return job.data.tag.toLowerCase();
      },
      { connection, concurrency: 1 }
    )
  );
  w.on('error', (e) => console.error('pz worker error: ' + e.message));
  await w.waitUntilReady();
  await sleep(400);
  check(order.length === 0, `paused queue processed ${J(order)}`);
  const c1 = await q.getJobCounts('paused', 'wait', 'delayed', 'active');
  check(deepEq(c1, { paused: 6, wait: 0, delayed: 1, active: 0 }), `paused counts ${J(c1)}`);
  await q.resume();
  check((await q.isPaused()) === false, 'isPaused after resume');
  await waitFor('pz resumed jobs', async () => order.length >= 6, 10000);
  await sleep(200);
  check(deepEq(order, ['L', 'n0', 'n1', 'n2', 'n4', 'n5']), `resume/lifo/remove order ${J(order)}`);
  const before = Date.now();
  await dj.promote();
  await waitFor('promoted job', async () => order.length >= 7, 5000);
  check(order[6] === 'D' && Date.now() - before < 3000, `promoted delayed job ${J(order)}`);
  const pj = await q.getJob(ids.D);
  check(pj && pj.returnvalue === 'd', 'promoted job returnvalue');
  const c2 = await q.getJobCounts('completed', 'delayed', 'paused', 'wait');
  check(deepEq(c2, { completed: 7, delayed: 0, paused: 0, wait: 0 }), `pz counts ${J(c2)}`);
  check((await q.getJob(ids.n3)) === undefined, 'removed job still exists');
  await w.close();
  // clean completed jobs
  const cleaned = await q.clean(0, 100, 'completed');
  const want = ['L', 'n0', 'n1', 'n2', 'n4', 'n5', 'D'].map((t) => ids[t]).sort();
  check(deepEq([...cleaned].sort(), want), `clean returned ${J(cleaned)}`);
  check((await q.getCompletedCount()) === 0, 'completed count after clean');
}

// ------------------------------------------------------------ rate limiter
async function sectionRateLimit() {
  const q = track(new Queue('rl', { connection }));
  await q.addBulk(Array.from({ length: 15 }, (_, i) => ({ name: 'r', data: { i } })));
  const starts = [];
  const w = track(
    new Worker(
      'rl',
      async (job) => {
        starts.push(job.processedOn); // set by moveToActive, where the limiter counts
        return job.data.i;
      },
      { connection, concurrency: 5, limiter: { max: 5, duration: 500 } }
    )
  );
  w.on('error', (e) => console.error('rl worker error: ' + e.message));
  await waitFor('rate limited jobs', async () => (await q.getCompletedCount()) >= 15, 8000);
  starts.sort((a, b) => a - b);
  const span = starts[starts.length - 1] - starts[0];
  check(starts.length === 15 && span >= 900, `15 jobs at max 5/500ms took only ${span} ms`);
  const inFirstWindow = starts.filter((t) => t < starts[0] + 400).length;
  check(inFirstWindow <= 5, `${inFirstWindow} jobs started in the first 400 ms (limit 5)`);
  await w.close();
  // obliterate the queue: no bull:rl:* key may remain
  await q.obliterate({ force: true });
  await sleep(600); // the limiter key is not obliterated, it expires (PEXPIRE 500)
  const left = [];
  let cursor = '0';
  do {
    const [next, keys] = await markers.scan(cursor, 'MATCH', 'bull:rl:*', 'COUNT', 1000);
    cursor = next;
    left.push(...keys);
  } while (cursor !== '0');
  check(left.length === 0, `keys left after obliterate: ${J(left.slice(0, 10))}`);
}

// -------------------------------------------------- stalled job recovery
async function sectionStalled() {
  const q = track(new Queue('stall', { connection }));
  const qe = track(new QueueEvents('stall', { connection, blockingTimeout: 2000 }));
  const stalledEv = [];
  qe.on('stalled', (a) => stalledEv.push(a.jobId));
  await qe.waitUntilReady();
  await sleep(200);
  const job = await q.add('victim', { v: 42 });
  victim = fork(path.join(__dirname, 'stall-victim.js'), [String(connection.port)], { stdio: 'inherit' });
  const started = await waitFor('victim worker to take the job', async () => (await markers.get(MARK + 'stall:started')) === job.id, 10000);
  victim.kill('SIGKILL');
  if (!started) return;
  const state1 = await q.getJobState(job.id);
  check(state1 === 'active', `stalled job state before recovery ${state1}`);
  let workerStalled = 0;
  const ran = [];
  const w = track(
    new Worker(
      'stall',
      async (j) => {
        ran.push(j.id);
        await markers.incr(MARK + 'stall:ran:' + j.id);
        return 'rescued ' + j.data.v;
      },
      { connection, concurrency: 1, lockDuration: 1000, stalledInterval: 300 }
    )
  );
  w.on('stalled', () => workerStalled++);
  w.on('error', (e) => console.error('stall worker error: ' + e.message));
  const rv = await job.waitUntilFinished(qe, 15000).catch((e) => 'rejected: ' + e.message);
  check(rv === 'rescued 42', `stalled job result ${J(rv)}`);
  await sleep(200);
  const j = await q.getJob(job.id);
  check(j && j.attemptsStarted === 2 && j.attemptsMade === 1, `stalled job attemptsStarted ${j && j.attemptsStarted} attemptsMade ${j && j.attemptsMade}`);
  check(j && j.stalledCounter === 1, `stalledCounter ${j && j.stalledCounter}`);
  check(deepEq(ran, [job.id]), `rescuer ran ${J(ran)}`);
  check((await markers.get(MARK + 'stall:ran:' + job.id)) === '2', 'stalled job should have run twice (victim + rescuer)');
  check(deepEq(stalledEv, [job.id]), `QueueEvents stalled ${J(stalledEv)}`);
  check(workerStalled === 1, `worker stalled events ${workerStalled}`);
  await w.close();
}

// ----------------------------------------------------------- job scheduler
async function sectionScheduler() {
  const q = track(new Queue('sch', { connection }));
  const runs = [];
  const w = track(
    new Worker(
      'sch',
      async (job) => {
        runs.push({ po: job.processedOn, data: job.data, name: job.name, id: job.id });
        if (runs.length === 3) await q.removeJobScheduler('sched-1');
        return runs.length;
      },
      { connection, concurrency: 1 }
    )
  );
  w.on('error', (e) => console.error('sch worker error: ' + e.message));
  await q.upsertJobScheduler('sched-1', { every: 250 }, { name: 'sjob', data: { s: 1 } });
  const sch = await q.getJobSchedulers();
  check(sch.length === 1 && sch[0].key === 'sched-1' && sch[0].every === 250, `getJobSchedulers ${J(sch)}`);
  await waitFor('scheduler runs', async () => runs.length >= 3, 8000);
  await sleep(800);
  check(runs.length === 3, `scheduler ran ${runs.length} times, want 3`);
  check(runs.every((r) => r.name === 'sjob' && deepEq(r.data, { s: 1 })), 'scheduler job name/data');
  check(new Set(runs.map((r) => r.id)).size === runs.length, 'scheduler job ids distinct');
  // job ids are repeat:<scheduler>:<scheduled millis>, on the 250 ms grid (a slot
  // is skipped when the previous run was late); never run early
  const millis = runs.map((r) => Number((/^repeat:sched-1:(\d+)$/.exec(r.id) || [])[1]));
  for (let k = 1; k < runs.length; k++) {
    const d = millis[k] - millis[k - 1];
    check(d > 0 && d % 250 === 0, `scheduler job ids ${J(runs.map((r) => r.id))}`);
  }
  for (let k = 1; k < runs.length; k++) check(runs[k].po >= millis[k], `scheduler job ${runs[k].id} processed early at ${runs[k].po}`);
  check((await q.getJobSchedulers()).length === 0, 'scheduler still listed after removal');
  const c = await q.getJobCounts('completed', 'delayed', 'wait', 'active');
  check(deepEq(c, { completed: 3, delayed: 0, wait: 0, active: 0 }), `sch counts ${J(c)}`);
  await w.close();
}

// ------------------------------------------- manual getNextJob / moveTo*
async function sectionManual() {
  const q = track(new Queue('man', { connection }));
  const a = await q.add('m', { k: 'a' });
  const b = await q.add('m', { k: 'b' });
  const w = track(new Worker('man', null, { connection }));
  const token = 'tok-1';
  const j1 = await w.getNextJob(token);
  check(j1 && j1.id === a.id && deepEq(j1.data, { k: 'a' }), `getNextJob returned ${j1 && j1.id}`);
  check((await q.getJobState(a.id)) === 'active', 'manual job active');
  const next = await j1.moveToCompleted({ r: 'A' }, token, true);
  // with fetchNext the next job comes back as [jobData, jobId, ...] when available
  check(Array.isArray(next) && next[1] === b.id, `moveToCompleted fetchNext returned ${J(next && next[1])}`);
  const j2 = await q.getJob(b.id);
  await j2.moveToFailed(new Error('manual fail'), token, false);
  const ja = await q.getJob(a.id);
  const jb = await q.getJob(b.id);
  check(ja && deepEq(ja.returnvalue, { r: 'A' }) && (await ja.getState()) === 'completed', 'manual complete');
  check(jb && jb.failedReason === 'manual fail' && (await jb.getState()) === 'failed', `manual fail ${jb && jb.failedReason}`);
  const c = await q.getJobCounts('completed', 'failed', 'wait', 'active');
  check(deepEq(c, { completed: 1, failed: 1, wait: 0, active: 0 }), `man counts ${J(c)}`);
  await w.close();
}

// ---------- workers list, updateData, priorities, changeDelay, retryJobs
async function sectionMisc() {
  const q = track(new Queue('misc', { connection }));
  await q.pause();
  const seen = new Set();
  const order = [];
  const f = [];
  for (let i = 0; i < 3; i++) f.push(await q.add('failonce', { i }, { attempts: 1 }));
  const ud = await q.add('echo', { x: 1 });
  await ud.updateData({ x: 2 });
  const pj = [];
  for (let i = 0; i < 6; i++) pj.push(await q.add('echo', { x: 'p' + i }, { priority: 1 + (i % 3) }));
  const cpp1 = await q.getCountsPerPriority([1, 2, 3]);
  check(deepEq(cpp1, { 1: 2, 2: 2, 3: 2 }), `getCountsPerPriority ${J(cpp1)}`);
  await pj[0].changePriority({ priority: 3 });
  const cpp2 = await q.getCountsPerPriority([1, 2, 3]);
  check(deepEq(cpp2, { 1: 1, 2: 2, 3: 3 }), `getCountsPerPriority after changePriority ${J(cpp2)}`);
  const cd = await q.add('echo', { x: 'cd' }, { delay: 60000 });
  const w = track(
    new Worker(
      'misc',
      async (job) => {
        order.push(job.name === 'failonce' ? 'f' + job.data.i : job.data.x);
        if (job.name === 'failonce') {
          if (!seen.has(job.id)) {
            seen.add(job.id);
            throw new Error('first run of ' + job.id);
          }
          return 'second run';
        }
        return { got: job.data.x };
      },
      { connection, concurrency: 1, name: 'misc-w' }
    )
  );
  w.on('error', (e) => console.error('misc worker error: ' + e.message));
  await w.waitUntilReady();
  await sleep(300);
  const workers = await q.getWorkers();
  check(workers.length === 1 && /:w:misc-w$/.test(workers[0].rawname || ''), `getWorkers ${J(workers.map((x) => x.rawname))}`);
  await q.resume();
  const cdAt = Date.now();
  await cd.changeDelay(200);
  const fin = async () => {
    const c = await q.getJobCounts('completed', 'failed');
    return c.completed + c.failed;
  };
  await waitFor('misc jobs', async () => (await fin()) >= 11, 10000);
  check(deepEq(order.filter((x) => x !== 'cd'), ['f0', 'f1', 'f2', 2, 'p3', 'p1', 'p4', 'p2', 'p5', 'p0']),
    `misc processing order ${J(order)}`);
  const failed = (await q.getFailed()).map((j) => j.id).sort();
  check(deepEq(failed, f.map((j) => j.id).sort()), `misc failed ${J(failed)}`);
  await q.retryJobs({ state: 'failed' });
  await waitFor('retried jobs', async () => (await q.getCompletedCount()) >= 11, 10000);
  await sleep(100);
  for (const j of f) {
    const jj = await q.getJob(j.id);
    check(jj && jj.returnvalue === 'second run' && (await jj.getState()) === 'completed', `retried job ${j.id} state/returnvalue`);
    check(jj && jj.attemptsMade === 2, `retried job ${j.id} attemptsMade ${jj && jj.attemptsMade}`);
  }
  const udj = await q.getJob(ud.id);
  check(udj && deepEq(udj.returnvalue, { got: 2 }), `updateData job returnvalue ${udj && J(udj.returnvalue)}`);
  const cdj = await q.getJob(cd.id);
  check(cdj && deepEq(cdj.returnvalue, { got: 'cd' }) && cdj.processedOn >= cdAt + 200 && cdj.processedOn < cdAt + 5000,
    `changeDelay job processed ${cdj && cdj.processedOn - cdAt} ms after changeDelay(200)`);
  const page = await q.getJobs(['completed'], 0, 4, true);
  check(page.length === 5, `getJobs page of 5 returned ${page.length}`);
  const c = await q.getJobCounts('completed', 'failed', 'wait', 'prioritized', 'delayed');
  check(deepEq(c, { completed: 11, failed: 0, wait: 0, prioritized: 0, delayed: 0 }), `misc counts ${J(c)}`);
  await w.close();
}

async function main() {
  const sections = [sectionIds, sectionRemove, sectionPause, sectionRateLimit, sectionStalled, sectionScheduler, sectionManual, sectionMisc];
  await Promise.all(
    sections.map((s) =>
      s().catch((e) => check(false, `${s.name} crashed: ${e && e.stack ? e.stack : e}`))
    )
  );
  for (const c of closers.reverse()) {
    try {
      await c.close();
    } catch (e) {
      /* ignore */
    }
  }
  await markers.quit();
  console.log(`bullmq extras: ids/dedup/big, remove+metrics, pause/lifo/promote/clean, rate limit+obliterate, stalled, scheduler, manual, misc; ${checks} checks, ${errors.length} mismatches (${secs()})`);
  return errors.length === 0 ? 0 : 1;
}

const hardTimeout = setTimeout(() => {
  console.error('bullmq extras: timed out after 60 s; mismatches so far: ' + errors.length + ' ' + J(errors));
  process.exit(1);
}, 60000);
main().then(
  (rc) => {
    clearTimeout(hardTimeout);
    process.exit(rc);
  },
  (e) => {
    console.error('bullmq extras: crashed: ' + (e && e.stack ? e.stack : e));
    process.exit(1);
  }
);
