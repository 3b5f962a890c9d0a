/**
 * pop.enable() / disable() in parallelRun: number-mode workers take the template's switches
 * (WorkerInit.templateDisabled) and switch their copies as a sequential run does; networks mode
 * hands the switch over in the shared arena (the main thread sees what the worker set).
 */
import { afterAll, expect, it } from 'vitest';

import { parallelRun, releaseWorkers } from '../../src/index.js';
import { startedNetworks } from '../helpers/core.js';
import * as fixture from '../fixtures/enableNetwork.js';

const module = new URL('../fixtures/enableNetwork.ts', import.meta.url).href;
/** A signal keeps the calling thread out: every network runs in a worker. */
const inWorkers = { module, maxWorkers: 2, signal: new AbortController().signal };

afterAll(() => releaseWorkers());

it('number mode: switching inside the method gives the spikes of a sequential run', async () => {
  const par = await parallelRun({ method: fixture.run, number: 3, ...inWorkers });
  const seq = await parallelRun({ method: fixture.run, number: 3, sequential: true });
  expect(par).toEqual(seq);
  const cells = par[0]!.cells.flat();
  expect(cells.length).toBeGreaterThan(10);
  // Steps 100–199 (50–100 ms at dt 0.5): the cells were disabled.
  expect(cells.filter((s) => s >= 100 && s < 200)).toEqual([]);
  expect(par[0]!.cells).not.toEqual(par[1]!.cells);
});

it('number mode: a population disabled on the template before the call is disabled in the workers too', async () => {
  fixture.input.disable();
  try {
    const par = await parallelRun({ method: fixture.run, number: 2, ...inWorkers });
    const seq = await parallelRun({ method: fixture.run, number: 2, sequential: true });
    expect(par).toEqual(seq);
    expect(par[0]!.input.flat()).toEqual([]);
    expect(par[0]!.enabled).toEqual([false, true]);
  } finally {
    fixture.input.enable();
  }
  // And the next call's workers have it on again.
  const again = await parallelRun({ method: fixture.run, number: 1, ...inWorkers });
  expect(again[0]!.input.flat().length).toBeGreaterThan(100);
});

/** Networks that ran 50 ms here first. */
const make = () => startedNetworks([3, 4], 50);

it("networks mode: a switch set in the worker's method is the network's here, and runs on as a sequential run does", async () => {
  const par = make();
  const seq = make();
  const inWorker = await parallelRun({ method: fixture.silences, networks: par, ...inWorkers });
  const here = await parallelRun({ method: fixture.silences, networks: seq, sequential: true });
  expect(inWorker).toEqual(here);
  expect(inWorker[0]!.input.flat().filter((s) => s >= 100)).toEqual([]);
  for (const [k, net] of par.entries()) {
    expect(net.get(fixture.input).enabled).toBe(false);
    net.get(fixture.input).enable();
    seq[k]!.get(fixture.input).enable();
    net.simulate(50);
    seq[k]!.simulate(50);
    expect(fixture.record(net)).toEqual(fixture.record(seq[k]!));
  }
});
