/** A worker of the user's whose module runs with another dt than the calling thread fails the call, as spikeworld's own do. */
import { Worker } from 'node:worker_threads';

import { expect, it } from 'vitest';

import { parallelRun, setup } from '../../src/index.js';

it('a dt that differs in the worker fails the call', async () => {
  setup({ dt: 0.5 });
  const sweep = await import('./served/sweep.js');
  const worker = () => new Worker(new URL('./served/boot.mjs', import.meta.url));
  const err = await parallelRun({ method: sweep.sweep, module: sweep, number: 2, maxWorkers: 2, worker }).catch((e: Error) => e.message);
  expect(err).toBe(
    'parallelRun: the module given to serveParallelRun() sets dt = 1 ms in the worker, but the main thread uses 0.5 ms; call setup() the same way in both',
  );
});
