// Second BullMQ worker in its own process: node worker2.js PORT
// Processes the 'main' queue with the same processor as test.js, counts its
// 'completed'/'failed' events in fwt:w2:* and exits on SIGTERM.
'use strict';
const { Worker } = require('bullmq');
const { connection, MARK, makeProcessor, IORedis } = require('./lib');

const markers = new IORedis(connection);
const worker = new Worker('main', makeProcessor(markers, 'w2'), {
  connection,
  concurrency: 5,
});
worker.on('completed', () => markers.incr(MARK + 'w2:completed'));
worker.on('failed', () => markers.incr(MARK + 'w2:failed'));
worker.on('error', (e) => console.error('worker2 error:', e.message));

worker.waitUntilReady().then(() => markers.set(MARK + 'w2:ready', '1'));

async function stop() {
  try {
    await worker.close();
    await markers.quit();
  } catch (e) {
    /* ignore */
  }
  process.exit(0);
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
