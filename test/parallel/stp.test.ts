/**
 * STP in parallelRun: number-mode workers re-create the STP projections from the module's
 * declarations and give the state and spikes a sequential run gives; networks mode hands x, u and
 * the last events over as shared memory (the main thread sees where the worker left them).
 */
import { afterAll, expect, it } from 'vitest';

import { parallelRun, releaseWorkers } from '../../src/index.js';
import { startedNetworks } from '../helpers/core.js';
import * as fixture from '../fixtures/stpNetwork.js';

const module = new URL('../fixtures/stpNetwork.ts', import.meta.url).href;
/** A signal keeps the calling thread out: every network runs in a worker. */
const inWorkers = { module, maxWorkers: 2, signal: new AbortController().signal };

afterAll(() => releaseWorkers());

it('number mode: x, u and spikes after 200 ms equal those of a sequential run', async () => {
  const par = await parallelRun({ method: fixture.run, number: 3, ...inWorkers });
  const seq = await parallelRun({ method: fixture.run, number: 3, sequential: true });
  expect(par).toEqual(seq);
  // The state moved, and each network has its own (its own connectivity and Poisson streams).
  expect(new Set(par[0]!.x).size).toBeGreaterThan(10);
  expect(new Set(par[0]!.u).size).toBeGreaterThan(10);
  expect(par[0]!.spikes.flat().length).toBeGreaterThan(20);
  expect(par[0]!.x).not.toEqual(par[1]!.x);
});

/** Networks that ran 50 ms here first. */
const make = () => startedNetworks([3, 4], 50);

it('networks mode: the handed-off x, u and last events run on as a sequential run does, and come back', async () => {
  const par = make();
  const seq = make();
  const inWorker = await parallelRun({ method: fixture.continues, networks: par, ...inWorkers });
  const here = await parallelRun({ method: fixture.continues, networks: seq, sequential: true });
  expect(inWorker).toEqual(here);
  for (const [k, net] of par.entries()) {
    expect(fixture.state(net).x).toEqual(here[k]!.x);
    // Both run on alike here, and after reset() both replay alike.
    net.simulate(50);
    seq[k]!.simulate(50);
    expect(fixture.state(net)).toEqual(fixture.state(seq[k]!));
    net.reset();
    seq[k]!.reset();
    net.simulate(100);
    seq[k]!.simulate(100);
    expect(fixture.state(net)).toEqual(fixture.state(seq[k]!));
  }
});
