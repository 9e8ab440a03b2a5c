// Shared pieces of the BullMQ framework test: connection options, marker
// keys and the job processor used by both the in-process worker (test.js) and
// the second worker process (worker2.js).
'use strict';
const IORedis = require('ioredis');

const port = Number(process.argv[2] || process.env.PORT);
if (!port) {
  console.error('usage: node <script> PORT');
  process.exit(2);
}
const connection = { host: '127.0.0.1', port, maxRetriesPerRequest: null };
const MARK = 'fwt:'; // marker keys, written through a separate ioredis connection
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function basicResult(n) {
  return { n, sq: n * n, tag: 'r' + n, nested: { arr: [n, 'x', true, null], s: 'ü€' + n } };
}

// processor(markers, workerName) -> async (job) => ...
function makeProcessor(markers, workerName) {
  return async (job) => {
    const id = job.id;
    const n = job.data.n;
    await markers.incr(MARK + 'ran:' + id);
    await markers.hincrby(MARK + 'byworker', workerName, 1);
    switch (job.name) {
      case 'basic':
        if (n % 10 === 0) await job.updateProgress({ n, pct: 50 });
        if (n % 50 === 0) await job.log('log line for ' + n);
        await sleep(2);
        return basicResult(n);
      case 'delayed':
        await markers.set(MARK + 'runat:' + id, String(Date.now()));
        return 'd' + n;
      case 'flaky':
        await markers.rpush(MARK + 'attempts:' + id, String(job.attemptsMade));
        if (job.attemptsMade < 2) throw new Error('flaky ' + n + ' attempt ' + job.attemptsMade);
        return { n, ok: true, attemptsSeen: job.attemptsMade };
      case 'doomed':
        throw new Error('doomed ' + n);
      default:
        throw new Error('unknown job name ' + job.name);
    }
  };
}

module.exports = { port, connection, MARK, sleep, basicResult, makeProcessor, IORedis };
