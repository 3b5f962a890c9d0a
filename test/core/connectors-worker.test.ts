/**
 * The listed connectors (connectWithFunc with a method without randomness, connectFromSparse) and
 * the distance-based ones (connectGaussian, connectDog) give a parallelRun worker, which re-runs
 * the module, the same declarations as the main thread: the run is accepted and its synapses are
 * the main thread's.
 */
import { expect, it } from 'vitest';

import { compile, parallelRun } from '../../src/index.js';
import { dog, fromSparse, gaussian, weights, withFunc } from '../fixtures/listedConnectors.js';

const module = new URL('../fixtures/listedConnectors.ts', import.meta.url);

it('a worker re-running the module makes the same synapses: accepted, with the same weights', async () => {
  // A signal keeps the calling thread out: the worker runs the network.
  const pooled = await parallelRun({ method: weights, number: 2, module, maxWorkers: 2, signal: new AbortController().signal });
  compile();
  const main = [withFunc, fromSparse, gaussian, dog].map((p) => Array.from(p.w));
  const [w, third] = [Math.fround(0.7), Math.fround(0.7 / 3)];
  // By pre rank, posts ascending: 0→0, 1→1, 2→0 (a third), 2→2, 3→1 (a third), 3→3, 4→2 and 5→3 (thirds).
  expect(main[0]).toEqual([w, w, third, w, third, w, third, third]);
  expect(main[1]).toEqual([0.1, 0.2, 0.3, 0.4].map(Math.fround));
  expect(pooled).toEqual([main, main]);
});
