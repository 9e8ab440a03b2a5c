// BullMQ throughput: node bench.js PORT JOBS [CONCURRENCY]
// Adds JOBS trivial jobs with addBulk (batches of 500) while one Worker of
// fixed concurrency processes them; prints `jobs_per_sec <float>` measured
// from the first add to the last completion.  Uses a fresh queue name and
// obliterates it afterwards, so it does not touch other data.
'use strict';
const { Queue, Worker } = require('bullmq');

const port = Number(process.argv[2]);
const jobs = Number(process.argv[3]);
const concurrency = Number(process.argv[4] || 50);
if (!port || !jobs) {
  console.error('usage: node bench.js PORT JOBS [CONCURRENCY]');
  process.exit(2);
}
const connection = { host: '127.0.0.1', port, maxRetriesPerRequest: null };
const name = `bench-${process.pid}-${Date.now()}`;
const BATCH = 500;

async function main() {
  const queue = new Queue(name, { connection });
  let done = 0;
  let failed = 0;
  let resolveDone;
  const allDone = new Promise((r) => (resolveDone = r));
  const worker = new Worker(name, async (job) => job.data.i, { connection, concurrency });
  worker.on('completed', () => {
    if (++done === jobs) resolveDone(Date.now());
  });
  worker.on('failed', () => failed++);
  worker.on('error', (e) => console.error('bench worker error: ' + e.message));
  await worker.waitUntilReady();
  await queue.waitUntilReady();

  const start = Date.now();
  for (let s = 0; s < jobs; s += BATCH) {
    const batch = [];
    for (let i = s; i < Math.min(s + BATCH, jobs); i++) batch.push({ name: 'b', data: { i } });
    await queue.addBulk(batch);
  }
  const timeout = new Promise((_, rej) => setTimeout(() => rej(new Error('timeout')), 300000));
  const end = await Promise.race([allDone, timeout]);
  const secs = Math.max(end - start, 1) / 1000;

  await worker.close();
  const counts = await queue.getJobCounts('completed', 'failed');
  await queue.obliterate({ force: true });
  await queue.close();
  if (failed || counts.completed !== jobs) {
    console.error(`bench: ${failed} failed, ${counts.completed} completed of ${jobs}`);
    process.exit(1);
  }
  console.log(`jobs_per_sec ${(jobs / secs).toFixed(1)}`);
}
main().then(
  () => process.exit(0),
  (e) => {
    console.error('bench: ' + (e && e.message));
    process.exit(1);
  }
);
