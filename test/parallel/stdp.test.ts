/**
 * STDP in parallelRun: number-mode workers re-create the plastic projections from the module's
 * declarations and give the weights a sequential run gives; networks mode hands the weights and
 * traces over as shared memory (the main thread sees the worker's weights afterwards).
 */
import { afterAll, expect, it } from 'vitest';

import { parallelRun, releaseWorkers } from '../../src/index.js';
import { startedNetworks } from '../helpers/core.js';
import * as fixture from '../fixtures/stdpNetwork.js';

const module = new URL('../fixtures/stdpNetwork.ts', import.meta.url).href;
/** A signal keeps the calling thread out: every network runs in a worker. */
const inWorkers = { module, maxWorkers: 2, signal: new AbortController().signal };

afterAll(() => releaseWorkers());

it('number mode: the weights after 200 ms equal those of a sequential run', async () => {
  const par = await parallelRun({ method: fixture.run, number: 3, ...inWorkers });
  const seq = await parallelRun({ method: fixture.run, number: 3, sequential: true });
  expect(par).toEqual(seq);
  // The weights moved, and each network has its own (its own connectivity and Poisson streams).
  expect(new Set(par[0]!.fast).size).toBeGreaterThan(10);
  expect(new Set(par[0]!.delayed).size).toBeGreaterThan(10);
  expect(par[0]!.fast).not.toEqual(par[1]!.fast);
});

it("number mode: learning switched off on the template before the call is off in the workers' copies too", async () => {
  fixture.delayed.disableLearning();
  try {
    const par = await parallelRun({ method: fixture.run, number: 2, ...inWorkers });
    const seq = await parallelRun({ method: fixture.run, number: 2, sequential: true });
    expect(par).toEqual(seq);
    expect(new Set(par[0]!.delayed)).toEqual(new Set([2])); // never moved from the declared weight
    expect(new Set(par[0]!.fast).size).toBeGreaterThan(10); // the other projection learned
  } finally {
    fixture.delayed.enableLearning();
  }
});

/** Networks that ran 50 ms here first. */
const make = () => startedNetworks([3, 4], 50);

it('networks mode: the handed-off weights and traces run on as a sequential run does, and come back', async () => {
  const par = make();
  const seq = make();
  const inWorker = await parallelRun({ method: fixture.continues, networks: par, ...inWorkers });
  const here = await parallelRun({ method: fixture.continues, networks: seq, sequential: true });
  expect(inWorker).toEqual(here);
  for (const [k, net] of par.entries()) {
    expect(fixture.weights(net).fast).toEqual(here[k]!.fast);
    // reset() in this thread keeps the learned weights (as ANNarchy) in both, and both run on alike.
    net.reset();
    seq[k]!.reset();
    expect(fixture.weights(net)).toEqual(fixture.weights(seq[k]!));
    net.simulate(150);
    seq[k]!.simulate(150);
    expect(fixture.weights(net)).toEqual(fixture.weights(seq[k]!));
  }
});

it("networks mode: a learning switch set in the worker's method is the network's here, also once it is disposed", async () => {
  const nets = make();
  expect(await parallelRun({ method: fixture.stopsLearning, networks: nets, ...inWorkers })).toEqual([false, false]);
  const net = nets[0]!;
  expect([net.get(fixture.fast).learning, net.get(fixture.delayed).learning]).toEqual([false, true]);
  const before = fixture.weights(net);
  net.simulate(100);
  expect(fixture.weights(net).fast).toEqual(before.fast);
  expect(fixture.weights(net).delayed).not.toEqual(before.delayed);
  for (const n of nets) n.dispose();
  expect([net.get(fixture.fast).learning, net.get(fixture.delayed).learning]).toEqual([false, true]);
});
