/**
 * computeFiringRate in parallelRun: number-mode workers count r with the template's windows (the
 * module's, and one set on the main thread before the call) as a sequential run does; networks
 * mode runs the handed-off counts on, and a window set by the method is the network's here too.
 */
import { afterAll, expect, it } from 'vitest';

import { parallelRun, releaseWorkers } from '../../src/index.js';
import { startedNetworks } from '../helpers/core.js';
import * as fixture from '../fixtures/rateNetwork.js';

const module = new URL('../fixtures/rateNetwork.ts', import.meta.url).href;
/** A signal keeps the calling thread out: every network runs in a worker. */
const inWorkers = { module, maxWorkers: 2, signal: new AbortController().signal };

afterAll(() => releaseWorkers());

it('number mode: r in the workers equals a sequential run, bit for bit', async () => {
  const par = await parallelRun({ method: fixture.run, number: 3, ...inWorkers });
  const seq = await parallelRun({ method: fixture.run, number: 3, sequential: true });
  expect(par).toEqual(seq);
  expect(par[0]!.windows).toEqual([10, 20]);
  expect(Math.max(...par[0]!.cells.flat())).toBeGreaterThan(0);
  expect(par[0]!.input).not.toEqual(par[1]!.input); // their own Poisson streams
});

it('number mode: a window set on the main thread only goes to the workers', async () => {
  fixture.input.computeFiringRate(4);
  try {
    const par = await parallelRun({ method: fixture.run, number: 2, ...inWorkers });
    const seq = await parallelRun({ method: fixture.run, number: 2, sequential: true });
    expect(par).toEqual(seq);
    expect(par[0]!.windows).toEqual([4, 20]);
  } finally {
    fixture.input.computeFiringRate(10);
  }
});

/** Networks that ran 30 ms here first. */
const make = () => startedNetworks([3, 4], 30);

it('networks mode: the handed-off counts run on as a sequential run does; the window set there is the network’s here', async () => {
  const par = make();
  const seq = make();
  const inWorker = await parallelRun({ method: fixture.narrows, networks: par, ...inWorkers });
  const here = await parallelRun({ method: fixture.narrows, networks: seq, sequential: true });
  expect(inWorker).toEqual(here);
  for (const [k, net] of par.entries()) {
    expect(net.get(fixture.cells).firingRateWindow).toBe(5);
    expect(Array.from(net.get(fixture.cells).r)).toEqual(Array.from(seq[k]!.get(fixture.cells).r));
    // Both run on alike here, and replay alike after reset().
    net.simulate(20);
    seq[k]!.simulate(20);
    expect(fixture.recorded(net)).toEqual(fixture.recorded(seq[k]!));
    net.reset();
    seq[k]!.reset();
    net.simulate(40);
    seq[k]!.simulate(40);
    expect(fixture.recorded(net)).toEqual(fixture.recorded(seq[k]!));
    net.dispose();
    seq[k]!.dispose();
  }
});
