/**
 * A worker of the user's whose module declares other things than the calling thread: the same
 * check as in spikeworld's own workers, naming the module given to serveParallelRun.
 */
import { Worker } from 'node:worker_threads';

import { expect, it } from 'vitest';

import { Izhikevich, parallelRun, Population } from '../../src/index.js';
import * as sweep from './served/sweep.js';

const worker = () => new Worker(new URL('./served/boot.mjs', import.meta.url));

it('declarations that differ in the worker fail the call, saying what differs', async () => {
  new Population(7, Izhikevich, { name: 'mainOnly' });
  const err = await parallelRun({ method: sweep.sweep, module: sweep, number: 2, maxWorkers: 2, worker }).catch((e: Error) => e.message);
  expect(err).toMatch(/^parallelRun: the declarations of the module given to serveParallelRun\(\) in the worker differ from the main thread's/);
  expect(err).toMatch(/mainOnly/);
});
