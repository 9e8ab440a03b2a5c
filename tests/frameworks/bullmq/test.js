// BullMQ framework test: node test.js PORT
// Expects worker2.js to be running against the same server (run.sh starts it)
// and an empty database.  Exits 0 only if every check passed.
'use strict';
const assert = require('assert');
const { Queue, Worker, QueueEvents, FlowProducer } = require('bullmq');
const { connection, MARK, sleep, basicResult, makeProcessor, IORedis } = require('./lib');

const N_BASIC = 300;
const N_DELAYED = 20;
const N_FLAKY = 10;
const N_DOOMED = 5;
const N_PRIO = 40;
const N_FLOWS = 3;
const N_CHILDREN = 5;
const REPEAT_LIMIT = 3;

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
    await sleep(50);
  }
  check(false, 'timed out waiting for ' + what);
  return false;
}

async function main() {
  const markers = new IORedis(connection);
  const closers = [];
  const closeAll = async () => {
    for (const c of closers.reverse()) {
      try {
        await c.close();
      } catch (e) {
        console.error('close error: ' + e.message);
      }
    }
  };

  // ---------------------------------------------------------------- events
  const qe = new QueueEvents('main', { connection, blockingTimeout: 2000 });
  closers.push(qe);
  const evCompleted = new Map(); // jobId -> [returnvalue...]
  const evFailed = new Map(); // jobId -> [failedReason...]
  const evProgress = new Map(); // jobId -> [data...]
  const evRetriesExhausted = new Map();
  const push = (m, k, v) => (m.has(k) ? m.get(k).push(v) : m.set(k, [v]));
  qe.on('completed', ({ jobId, returnvalue }) => push(evCompleted, jobId, returnvalue));
  qe.on('failed', ({ jobId, failedReason }) => push(evFailed, jobId, failedReason));
  qe.on('progress', ({ jobId, data }) => push(evProgress, jobId, data));
  qe.on('retries-exhausted', ({ jobId, attemptsMade }) => push(evRetriesExhausted, jobId, attemptsMade));
  qe.on('error', (e) => console.error('queue-events error: ' + e.message));
  await qe.waitUntilReady();
  await sleep(300); // let the XREAD BLOCK '$' be issued before anything is added

  // --------------------------------------------------------------- workers
  const queue = new Queue('main', { connection });
  closers.push(queue);
  let w1Completed = 0;
  let w1Failed = 0;
  const w1 = new Worker('main', makeProcessor(markers, 'w1'), { connection, concurrency: 5 });
  closers.push(w1);
  w1.on('completed', () => w1Completed++);
  w1.on('failed', () => w1Failed++);
  w1.on('error', (e) => console.error('worker1 error: ' + e.message));
  await w1.waitUntilReady();
  await waitFor('worker2 ready', async () => (await markers.get(MARK + 'w2:ready')) === '1', 15000);

  // ------------------------------------------------------------- add jobs
  const delayed = []; // {id, delay, timestamp, n}
  for (let i = 0; i < N_DELAYED; i++) {
    const delay = 1000 + ((i * 53) % 1000);
    const job = await queue.add('delayed', { n: i }, { delay });
    delayed.push({ id: job.id, delay, timestamp: job.timestamp, n: i });
  }
  const flaky = [];
  for (let i = 0; i < N_FLAKY; i++) {
    const job = await queue.add('flaky', { n: i }, { attempts: 3, backoff: { type: 'fixed', delay: 150 } });
    flaky.push({ id: job.id, n: i });
  }
  const doomed = [];
  for (let i = 0; i < N_DOOMED; i++) {
    const job = await queue.add('doomed', { n: i }, { attempts: 3, backoff: { type: 'fixed', delay: 100 } });
    doomed.push({ id: job.id, n: i });
  }
  const basic = []; // {id, n}
  const BULK = N_BASIC - 20;
  for (let start = 0; start < BULK; start += 70) {
    const batch = [];
    for (let n = start; n < Math.min(start + 70, BULK); n++) batch.push({ name: 'basic', data: { n } });
    const jobs = await queue.addBulk(batch);
    check(jobs.length === batch.length, `addBulk returned ${jobs.length} jobs for ${batch.length}`);
    jobs.forEach((j, k) => basic.push({ id: j.id, n: batch[k].data.n }));
  }
  for (let n = BULK; n < N_BASIC; n++) {
    const job = await queue.add('basic', { n });
    basic.push({ id: job.id, n });
  }
  const allIds = [...delayed, ...flaky, ...doomed, ...basic].map((j) => j.id);
  check(new Set(allIds).size === allIds.length, 'job ids are not unique: ' + allIds.length);
  console.log(`bullmq: added ${allIds.length} jobs to 'main' (${secs()})`);

  // -------------------------------------------------- priorities (no worker yet)
  const pq = new Queue('prio', { connection });
  closers.push(pq);
  const prioJobs = [];
  for (let i = 0; i < N_PRIO; i++) {
    const priority = 1 + ((i * 7) % 5); // 1..5, interleaved
    const job = await pq.add('p', { i }, { priority });
    prioJobs.push({ id: job.id, i, priority });
  }
  const expectedPrioOrder = [...prioJobs]
    .sort((a, b) => a.priority - b.priority || a.i - b.i)
    .map((j) => j.i);
  const prioCounts = await pq.getJobCounts('prioritized', 'wait');
  check(
    prioCounts.prioritized === N_PRIO && prioCounts.wait === 0,
    `prio counts before worker ${J(prioCounts)} want prioritized=${N_PRIO}`
  );
  const prioOrder = [];
  const pw = new Worker(
    'prio',
    async (job) => {
      prioOrder.push(job.data.i);
      return job.data.i * 2;
    },
    { connection, concurrency: 1 }
  );
  closers.push(pw);
  pw.on('error', (e) => console.error('prio worker error: ' + e.message));

  // ----------------------------------------------------------------- flows
  const flowChildRan = new Map();
  const flowParentSeen = [];
  const fcw = new Worker(
    'flowc',
    async (job) => {
      flowChildRan.set(job.id, (flowChildRan.get(job.id) || 0) + 1);
      await sleep(5);
      return { v: job.data.v * 10 };
    },
    { connection, concurrency: 4 }
  );
  closers.push(fcw);
  const fpw = new Worker(
    'flow',
    async (job) => {
      const vals = await job.getChildrenValues();
      flowParentSeen.push({ id: job.id, vals });
      return Object.values(vals).reduce((s, x) => s + x.v, 0);
    },
    { connection, concurrency: 2 }
  );
  closers.push(fpw);
  fcw.on('error', (e) => console.error('flow child worker error: ' + e.message));
  fpw.on('error', (e) => console.error('flow parent worker error: ' + e.message));
  const flowProducer = new FlowProducer({ connection });
  closers.push(flowProducer);
  const flows = [];
  for (let f = 0; f < N_FLOWS; f++) {
    const children = [];
    for (let c = 0; c < N_CHILDREN; c++) children.push({ name: 'child', queueName: 'flowc', data: { v: f * 100 + c } });
    const tree = await flowProducer.add({ name: 'parent', queueName: 'flow', data: { f }, children });
    flows.push({
      f,
      parentId: tree.job.id,
      childIds: tree.children.map((c) => c.job.id),
      sum: children.reduce((s, c) => s + c.data.v * 10, 0),
    });
  }

  // ------------------------------------------------------------ repeatable
  const rq = new Queue('rep', { connection });
  closers.push(rq);
  const repRuns = [];
  const rw = new Worker(
    'rep',
    async (job) => {
      repRuns.push({ id: job.id, at: Date.now(), data: job.data });
      return 'tick';
    },
    { connection, concurrency: 1 }
  );
  closers.push(rw);
  rw.on('error', (e) => console.error('repeat worker error: ' + e.message));
  await rq.add('tick', { k: 1 }, { repeat: { every: 300, limit: REPEAT_LIMIT } });

  // ------------------------------------------------------- wait for 'main'
  const nFinal = N_BASIC + N_DELAYED + N_FLAKY;
  await waitFor(
    "'main' completed+failed events",
    async () => evCompleted.size >= nFinal && evFailed.size >= N_DOOMED,
    45000
  );
  await waitFor(
    'worker completed/failed counters',
    async () => {
      const c2 = Number((await markers.get(MARK + 'w2:completed')) || 0);
      const f2 = Number((await markers.get(MARK + 'w2:failed')) || 0);
      return w1Completed + c2 >= nFinal && w1Failed + f2 >= N_FLAKY * 2 + N_DOOMED * 3;
    },
    5000
  );
  await waitFor('prio worker', async () => prioOrder.length >= N_PRIO, 10000);
  await waitFor('flows', async () => flowParentSeen.length >= N_FLOWS, 10000);
  await waitFor('repeatable job', async () => repRuns.length >= REPEAT_LIMIT, 10000);
  await sleep(700); // anything extra (duplicate runs, extra repeats) shows up now
  console.log(`bullmq: all jobs finished (${secs()})`);

  // ================================================================ checks
  // every job's marker
  const ranKeys = allIds.map((id) => MARK + 'ran:' + id);
  const ran = (await markers.mget(ranKeys)).map((x) => Number(x || 0));
  const ranOf = new Map(allIds.map((id, k) => [id, ran[k]]));
  let bad = 0;
  for (const j of [...basic, ...delayed]) if (ranOf.get(j.id) !== 1) bad++, check(false, `job ${j.id} ran ${ranOf.get(j.id)} times, want 1`);
  for (const j of [...flaky, ...doomed]) check(ranOf.get(j.id) === 3, `retry job ${j.id} ran ${ranOf.get(j.id)} times, want 3`);
  const byWorker = await markers.hgetall(MARK + 'byworker');
  const totalRuns = Number(byWorker.w1 || 0) + Number(byWorker.w2 || 0);
  check(totalRuns === N_BASIC + N_DELAYED + 3 * (N_FLAKY + N_DOOMED), `total processor runs ${totalRuns}`);
  check(Number(byWorker.w1 || 0) > 0 && Number(byWorker.w2 || 0) > 0, `both workers should run jobs: ${J(byWorker)}`);

  // worker-side event counts
  const c2 = Number((await markers.get(MARK + 'w2:completed')) || 0);
  const f2 = Number((await markers.get(MARK + 'w2:failed')) || 0);
  check(w1Completed + c2 === nFinal, `worker 'completed' events ${w1Completed}+${c2}, want ${nFinal}`);
  check(w1Failed + f2 === N_FLAKY * 2 + N_DOOMED * 3, `worker 'failed' events ${w1Failed}+${f2}, want ${N_FLAKY * 2 + N_DOOMED * 3}`);

  // return values, states
  const fetchAll = async (list) => Promise.all(list.map((j) => queue.getJob(j.id)));
  const basicJobs = await fetchAll(basic);
  basicJobs.forEach((job, k) => {
    const { id, n } = basic[k];
    if (!job) return check(false, `basic job ${id} missing`);
    check(deepEq(job.returnvalue, basicResult(n)), `job ${id} returnvalue ${J(job.returnvalue)}`);
    check(job.finishedOn >= job.processedOn && job.processedOn >= job.timestamp, `job ${id} timestamps`);
    check(job.attemptsMade === 1, `basic job ${id} attemptsMade ${job.attemptsMade}, want 1`);
    if (n % 10 === 0) check(deepEq(job.progress, { n, pct: 50 }), `job ${id} progress ${J(job.progress)}`);
    else check(job.progress === 0, `job ${id} progress ${J(job.progress)} want 0`);
    const ev = evCompleted.get(id) || [];
    check(ev.length === 1 && deepEq(ev[0], basicResult(n)), `QueueEvents completed for ${id}: ${J(ev)}`);
    const pe = evProgress.get(id) || [];
    if (n % 10 === 0) check(pe.length === 1 && deepEq(pe[0], { n, pct: 50 }), `progress events for ${id}: ${J(pe)}`);
    else check(pe.length === 0, `unexpected progress events for ${id}`);
  });
  for (const { id, n } of basic.filter((j) => j.n % 50 === 0)) {
    const logs = await queue.getJobLogs(id);
    check(deepEq(logs, { logs: ['log line for ' + n], count: 1 }), `job ${id} logs ${J(logs)}`);
  }

  // delayed
  const runAts = await markers.mget(delayed.map((d) => MARK + 'runat:' + d.id));
  const delayedJobs = await fetchAll(delayed);
  delayed.forEach((d, k) => {
    const runAt = Number(runAts[k]);
    const job = delayedJobs[k];
    check(runAt >= d.timestamp + d.delay, `delayed job ${d.id} ran ${d.timestamp + d.delay - runAt} ms early (delay ${d.delay})`);
    check(runAt <= d.timestamp + d.delay + 3000, `delayed job ${d.id} ran ${runAt - d.timestamp - d.delay} ms late`);
    check(job && job.returnvalue === 'd' + d.n, `delayed job ${d.id} returnvalue ${job && J(job.returnvalue)}`);
    check(job && job.processedOn >= d.timestamp + d.delay, `delayed job ${d.id} processedOn too early`);
    check(job && job.opts.delay === d.delay, `delayed job ${d.id} opts.delay ${job && job.opts.delay}`);
    const ev = evCompleted.get(d.id) || [];
    check(ev.length === 1 && ev[0] === 'd' + d.n, `QueueEvents completed for delayed ${d.id}: ${J(ev)}`);
  });

  // retries
  const flakyJobs = await fetchAll(flaky);
  for (let k = 0; k < flaky.length; k++) {
    const { id, n } = flaky[k];
    const job = flakyJobs[k];
    const attempts = await markers.lrange(MARK + 'attempts:' + id, 0, -1);
    check(deepEq(attempts, ['0', '1', '2']), `flaky ${id} attemptsMade seen ${J(attempts)}`);
    check(job && job.attemptsMade === 3, `flaky ${id} attemptsMade ${job && job.attemptsMade}, want 3`);
    check(job && job.attemptsStarted === 3, `flaky ${id} attemptsStarted ${job && job.attemptsStarted}, want 3`);
    check(job && deepEq(job.returnvalue, { n, ok: true, attemptsSeen: 2 }), `flaky ${id} returnvalue ${job && J(job.returnvalue)}`);
    check(job && (await job.getState()) === 'completed', `flaky ${id} state`);
    check(job && job.stacktrace.length === 2, `flaky ${id} stacktrace entries ${job && job.stacktrace.length}`);
    check(job && job.failedReason === 'flaky ' + n + ' attempt 1', `flaky ${id} failedReason ${job && J(job.failedReason)}`);
    const ev = evCompleted.get(id) || [];
    check(ev.length === 1 && deepEq(ev[0], { n, ok: true, attemptsSeen: 2 }), `QueueEvents completed for flaky ${id}: ${J(ev)}`);
    check(!evFailed.has(id), `QueueEvents failed for flaky ${id}: ${J(evFailed.get(id))}`);
  }
  const doomedJobs = await fetchAll(doomed);
  for (let k = 0; k < doomed.length; k++) {
    const { id, n } = doomed[k];
    const job = doomedJobs[k];
    check(job && job.failedReason === 'doomed ' + n, `doomed ${id} failedReason ${job && J(job.failedReason)}`);
    check(job && job.attemptsMade === 3, `doomed ${id} attemptsMade ${job && job.attemptsMade}`);
    check(job && job.stacktrace.length === 3 && /doomed/.test(job.stacktrace[0]), `doomed ${id} stacktrace`);
    check(job && job.returnvalue === null, `doomed ${id} returnvalue ${job && J(job.returnvalue)}`);
    check(job && (await job.getState()) === 'failed', `doomed ${id} state`);
    const ev = evFailed.get(id) || [];
    check(ev.length === 1 && ev[0] === 'doomed ' + n, `QueueEvents failed for ${id}: ${J(ev)}`);
    check(deepEq(evRetriesExhausted.get(id), ['3']), `retries-exhausted for ${id}: ${J(evRetriesExhausted.get(id))}`);
  }
  const failedIds = (await queue.getFailed(0, -1)).map((j) => j.id).sort();
  check(deepEq(failedIds, doomed.map((d) => d.id).sort()), `failed set ${J(failedIds)}`);
  check(evCompleted.size === nFinal, `QueueEvents completed job count ${evCompleted.size}, want ${nFinal}`);
  check(evFailed.size === N_DOOMED, `QueueEvents failed job count ${evFailed.size}, want ${N_DOOMED}`);
  const counts = await queue.getJobCounts();
  const wantCounts = {
    active: 0, completed: nFinal, delayed: 0, failed: N_DOOMED, paused: 0,
    prioritized: 0, waiting: 0, 'waiting-children': 0,
  };
  for (const [k, v] of Object.entries(wantCounts)) check(counts[k] === v, `main getJobCounts ${k}=${counts[k]}, want ${v}`);
  check((await queue.getCompletedCount()) === nFinal, 'getCompletedCount');
  check((await queue.count()) === 0, 'queue.count() not 0');

  // priorities
  check(deepEq(prioOrder, expectedPrioOrder), `priority order ${J(prioOrder)}\n  want ${J(expectedPrioOrder)}`);
  const pc = await pq.getJobCounts('completed', 'prioritized', 'wait', 'active');
  check(deepEq(pc, { completed: N_PRIO, prioritized: 0, wait: 0, active: 0 }), `prio counts ${J(pc)}`);
  const pj = await pq.getJob(prioJobs[7].id);
  check(pj && pj.returnvalue === prioJobs[7].i * 2 && pj.opts.priority === prioJobs[7].priority, 'prio job returnvalue/priority');

  // flows
  const fq = new Queue('flow', { connection });
  const fcq = new Queue('flowc', { connection });
  closers.push(fq, fcq);
  for (const fl of flows) {
    const parent = await fq.getJob(fl.parentId);
    check(parent && parent.returnvalue === fl.sum, `flow ${fl.f} parent returnvalue ${parent && parent.returnvalue}, want ${fl.sum}`);
    const seen = flowParentSeen.filter((p) => p.id === fl.parentId);
    check(seen.length === 1, `flow parent ${fl.parentId} ran ${seen.length} times`);
    if (seen.length) {
      const want = {};
      for (const cid of fl.childIds) {
        const c = await fcq.getJob(cid);
        want['bull:flowc:' + cid] = { v: c.data.v * 10 };
      }
      check(deepEq(seen[0].vals, want), `flow ${fl.f} children values ${J(seen[0].vals)}`);
    }
    for (const cid of fl.childIds) check(flowChildRan.get(cid) === 1, `flow child ${cid} ran ${flowChildRan.get(cid)} times`);
    const deps = parent && (await parent.getDependenciesCount());
    check(deps && deps.processed === N_CHILDREN && deps.unprocessed === 0, `flow ${fl.f} dependencies ${J(deps)}`);
  }
  const fqc = await fq.getJobCounts('completed', 'waiting-children', 'failed');
  check(deepEq(fqc, { completed: N_FLOWS, 'waiting-children': 0, failed: 0 }), `flow counts ${J(fqc)}`);
  const fcqc = await fcq.getJobCounts('completed', 'failed', 'wait');
  check(deepEq(fcqc, { completed: N_FLOWS * N_CHILDREN, failed: 0, wait: 0 }), `flow child counts ${J(fcqc)}`);

  // repeatable
  check(repRuns.length === REPEAT_LIMIT, `repeatable job ran ${repRuns.length} times, want ${REPEAT_LIMIT}`);
  for (let k = 1; k < repRuns.length; k++) {
    const gap = repRuns[k].at - repRuns[k - 1].at;
    check(gap >= 150, `repeat runs only ${gap} ms apart`);
  }
  check(repRuns.every((r) => deepEq(r.data, { k: 1 })), 'repeat job data');
  check(new Set(repRuns.map((r) => r.id)).size === repRuns.length, 'repeat job ids not distinct');
  const rc = await rq.getJobCounts('completed', 'delayed', 'wait', 'active');
  check(rc.completed === REPEAT_LIMIT && rc.wait === 0 && rc.active === 0 && rc.delayed === 0, `repeat counts ${J(rc)}`);

  await closeAll();
  await markers.quit();

  const summary =
    `bullmq: ${allIds.length} main jobs (${N_BASIC} basic, ${N_DELAYED} delayed, ${N_FLAKY} retried, ${N_DOOMED} failed), ` +
    `${N_PRIO} prioritized, ${N_FLOWS} flows x ${N_CHILDREN} children, ${REPEAT_LIMIT} repeats; ` +
    `${checks} checks, ${errors.length} mismatches (${secs()})`;
  console.log(summary);
  return errors.length === 0 ? 0 : 1;
}

const hardTimeout = setTimeout(() => {
  console.error('bullmq: test timed out after 90 s; mismatches so far: ' + errors.length);
  process.exit(1);
}, 90000);
main().then(
  (rc) => {
    clearTimeout(hardTimeout);
    process.exit(rc);
  },
  (e) => {
    console.error('bullmq: test crashed: ' + (e && e.stack ? e.stack : e));
    process.exit(1);
  }
);
