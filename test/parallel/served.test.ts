/**
 * parallelRun's `worker` option: the pool starts workers of the user's, whose file imports the
 * sweep module and calls serveParallelRun (what a bundler needs: one copy of spikeworld in the
 * worker). In Node through worker_threads Workers running test/parallel/served/worker.ts.
 */
import { Worker } from 'node:worker_threads';

import { expect, it } from 'vitest';

import { Network, parallelRun, releaseWorkers } from '../../src/index.js';
import { SERVED_MODULE } from '../../src/parallel/protocol.js';
import * as sweep from './served/sweep.js';

const worker = () => new Worker(new URL('./served/boot.mjs', import.meta.url));

it('a sweep on workers of the user\'s gives the sequential results, the module loaded as a worker there', async () => {
  const options = { method: sweep.sweep, module: sweep, number: 4, maxWorkers: 2, worker };
  const parallel = await parallelRun(options);
  const sequential = await parallelRun({ ...options, sequential: true });
  expect(parallel.map((r) => r.loadedInMain)).toEqual([false, false, false, false]);
  expect(sequential.map((r) => r.loadedInMain)).toEqual([true, true, true, true]);
  expect(parallel.map(({ rate, spikes }) => ({ rate, spikes }))).toEqual(sequential.map(({ rate, spikes }) => ({ rate, spikes })));
  expect(new Set(parallel.map((r) => r.spikes)).size).toBe(4);
});

it('networks mode runs the given networks there, their recordings coming back', async () => {
  const nets = [1, 2].map((seed) => new Network({ everything: true, seed }));
  const ran = await parallelRun({ method: sweep.runGiven, module: sweep, networks: nets, worker });
  expect(ran.every((n) => n > 0)).toBe(true);
  expect(nets.map((n) => n.get(sweep.m).rasterPlot()[0].length)).toEqual(ran);
  nets.forEach((n) => n.dispose());
});

it('the worker option is checked by type and against module and executor', async () => {
  const fails = (o: object) => parallelRun({ method: sweep.sweep, number: 1, ...o }).then(() => 'resolved', (e: Error) => e.message);
  await expect(fails({ module: sweep, worker: 'sweep.worker.js' })).resolves.toMatch(/worker must be a function, got 'sweep\.worker\.js'/);
  await expect(fails({ worker })).resolves.toMatch(/with worker, module is the namespace of the module that exports the method .*got none/);
  await expect(fails({ worker, module: new URL('./served/sweep.ts', import.meta.url) })).resolves.toMatch(/with worker, module is the namespace/);
  // A namespace other than the worker's: the worker finds no export of that name.
  await expect(fails({ worker, module: { other: sweep.sweep } })).resolves.toMatch(
    /^parallelRun: the module given to serveParallelRun\(\) has no exported function 'other'; .* give serveParallelRun the module that exports it$/,
  );
  await expect(fails({ worker, module: { sweep: () => 0 } })).resolves.toMatch(/method is not an export of module/);
  await expect(fails({ module: sweep })).resolves.toMatch(/module must be a URL or a path .*goes with the worker option/);
  const executor = { run: async () => [] };
  await expect(fails({ worker, module: sweep, executor })).resolves.toMatch(/give one of them/);
});

it('a worker() that throws, returns no worker, or starts a file that fails is an error of the call', async () => {
  const fails = (start: () => unknown) =>
    parallelRun({ method: sweep.sweep, module: sweep, number: 2, maxWorkers: 2, worker: start as () => Worker }).then(
      () => 'resolved',
      (e: Error) => e.message,
    );
  await expect(fails(() => {
    throw new Error('no such file');
  })).resolves.toBe('parallelRun: worker() failed to start a worker: no such file');
  await expect(fails(() => 'sweep.worker.js')).resolves.toMatch(/worker must return a Worker .*got string/);
  await expect(fails(() => new Worker('throw new Error("broken worker file")', { eval: true }))).resolves.toBe(
    'parallelRun: a worker failed: Error: broken worker file',
  );
});

it('spikeworld\'s own worker, started by the worker option, says to start a file that calls serveParallelRun', async () => {
  // What parallelRun sends such a worker: it serves the module given to serveParallelRun.
  const { runJobsOnPool } = await import('../../src/parallel/parallelRun.js');
  const err = await runJobsOnPool(
    { moduleUrl: SERVED_MODULE, masterSeed: 1, dt: 1, precision: 'double', signature: [], connections: true, templateFields: [] },
    [{ idx: 0, method: 'sweep', args: {}, seed: 1 }],
    { maxWorkers: 1 },
  ).catch((e: Error) => e.message);
  expect(err).toMatch(/its worker option started spikeworld's own worker script \(file:.*worker\.ts\); start a worker file of yours/);
});

it("workers of the user's are kept for a next call with the same module, as spikeworld's own (KEEP_WORKERS_MS)", async () => {
  let started = 0;
  const counted = () => {
    started++;
    return worker();
  };
  const options = { method: sweep.sweep, module: sweep, number: 4, maxWorkers: 2, worker: counted };
  try {
    const first = await parallelRun(options);
    expect(started).toBe(2);
    // The next call takes the two workers that are up: none starts, the same results.
    expect(await parallelRun(options)).toEqual(first);
    expect(started).toBe(2);
    releaseWorkers();
    await parallelRun(options);
    expect(started).toBe(4);
  } finally {
    releaseWorkers();
  }
});

it('a kept pool serves only the module it was started for: another with the same export names gets its own workers', async () => {
  const sweepB = await import('./served/sweepB.js');
  expect(Object.keys(sweepB).sort()).toEqual(Object.keys(sweep).sort());
  const workerB = () => new Worker(new URL('./served/bootB.mjs', import.meta.url));
  try {
    const a = await parallelRun({ method: sweep.sweep, module: sweep, number: 2, maxWorkers: 2, worker });
    expect(a.map((r) => r.loadedInMain)).toEqual([false, false]);
    expect(await parallelRun({ method: sweepB.sweep, module: sweepB, number: 2, maxWorkers: 2, worker: workerB })).toEqual(['B:0', 'B:1']);
  } finally {
    releaseWorkers();
  }
});

it('a worker file that gives serveParallelRun no module fails the call saying so', async () => {
  const misuse = () => new Worker(new URL('./served/bootMisuse.mjs', import.meta.url));
  const err = await parallelRun({ method: sweep.sweep, module: sweep, number: 1, maxWorkers: 1, worker: misuse }).then(() => 'resolved', (e: Error) => e.message);
  expect(err).toMatch(/serveParallelRun: give the namespace of the module that exports the method .*got null/);
});
