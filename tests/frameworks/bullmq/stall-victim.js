// Worker that takes one job from queue 'stall' and hangs; extras.js SIGKILLs
// this process so the job's lock expires and another worker must recover it.
'use strict';
const { Worker } = require('bullmq');
const { connection, MARK, IORedis } = require('./lib');

const markers = new IORedis(connection);
const worker = new Worker(
  'stall',
  async (job) => {
    await markers.incr(MARK + 'stall:ran:' + job.id);
    await markers.set(MARK + 'stall:started', job.id);
    return new Promise(() => {}); // never finishes
  },
  { connection, concurrency: 1, lockDuration: 1000, stalledInterval: 300 }
);
worker.on('error', (e) => console.error('stall victim error:', e.message));
// never outlive extras.js (IPC channel closes when the parent exits)
process.on('disconnect', () => process.exit(1));
