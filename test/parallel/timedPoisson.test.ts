/**
 * TimedPoissonPopulation in parallelRun: in number mode workers re-declare the population from the
 * module (its rates, schedule and period are part of the declaration signature, so a main thread
 * whose table differs is refused); in networks mode the handed-off network keeps its table, also
 * one set after compile on the main thread, goes on from where its schedule stood, and a table a
 * method sets comes back. Workers give the spikes of a sequential run, bit for bit.
 */
import { afterAll, expect, it } from 'vitest';

import { Network, parallelRun, releaseWorkers } from '../../src/index.js';
import { startedNetworks } from '../helpers/core.js';
import * as fixture from '../fixtures/timedPoissonNetwork.js';

const module = new URL('../fixtures/timedPoissonNetwork.ts', import.meta.url).href;
/** A signal keeps the calling thread out: every network runs in a worker. */
const inWorkers = { module, maxWorkers: 2, signal: new AbortController().signal };

afterAll(() => releaseWorkers());

/** Steps at which every one of the 30 sources spiked (2000 Hz at dt 0.5: probability 1). */
const everyNeuron = (input: number[][]) => input[0]!.filter((s) => input.every((t) => t.includes(s)));

it("number mode: workers run the module's table, as a sequential run does", async () => {
  const par = await parallelRun({ method: fixture.run, number: 2, ...inWorkers });
  const seq = await parallelRun({ method: fixture.run, number: 2, sequential: true });
  expect(par).toEqual(seq);
  // 2000 Hz in steps 4..7 of each 20-step cycle (80 steps: 4 cycles).
  expect(everyNeuron(par[0]!.input)).toEqual([4, 5, 6, 7, 24, 25, 26, 27, 44, 45, 46, 47, 64, 65, 66, 67]);
  expect(par[0]!.input.flat().length).toBeGreaterThan(16 * 30);
  expect(par[0]!.schedule).toEqual(fixture.SCHEDULE);
  expect(par[0]!.input).not.toEqual(par[1]!.input); // their own Poisson streams at 30 Hz
});

it('number mode: a table set on the main thread only is refused, naming the difference', async () => {
  fixture.input.rates = [0, 2000, 31];
  try {
    await expect(parallelRun({ method: fixture.run, number: 2, ...inWorkers })).rejects.toThrow(
      /differ from the main thread's \(first difference: worker 'population:0:timed:30:timed#3:[0-9a-f]{8}', main 'population:0:timed:30:timed#3:[0-9a-f]{8}'\)/,
    );
  } finally {
    fixture.input.rates = fixture.RATES;
  }
  expect((await parallelRun({ method: fixture.run, number: 1, ...inWorkers }))[0]!.schedule).toEqual(fixture.SCHEDULE);
});

/** Networks that ran 5 ms here (10 steps), then got a new table after compile: 2000 Hz from 6 ms (step 12) of each 8 ms cycle. */
const make = () => startedNetworks([3, 4], 5, (net) => {
  net.get(fixture.input).update({ rates: [0, 2000], schedule: [0, 6], period: 8 });
});

it('networks mode: the handed-off network keeps the table set after compile on the main thread and its place in it', async () => {
  const par = await parallelRun({ method: fixture.continues, networks: make(), ...inWorkers });
  const seq = await parallelRun({ method: fixture.continues, networks: make(), sequential: true });
  expect(par).toEqual(seq);
  // Before the set: steps 4..7; after it (16-step cycles from step 0): 12..15, 28..31, 44..47.
  expect(everyNeuron(par[0]!.input)).toEqual([4, 5, 6, 7, 12, 13, 14, 15, 28, 29, 30, 31, 44, 45, 46, 47]);
  expect(par[0]!.rates).toEqual([Array(30).fill(0), Array(30).fill(2000)]);
  expect(par[0]!.period).toBe(8);
});

it('networks mode: a table a method sets comes back with the network, which runs on and resets as a sequential run does', async () => {
  const par = make();
  const seq = make();
  const inWorker = await parallelRun({ method: fixture.setsThenRuns, networks: par, ...inWorkers });
  const here = await parallelRun({ method: fixture.setsThenRuns, networks: seq, sequential: true });
  expect(inWorker).toEqual(here);
  // Set at step 10 (5 ms): phase 10 is past onset 1 + idx ms: 0 Hz on; nothing after step 7.
  expect(everyNeuron(inWorker[0]!.input)).toEqual([4, 5, 6, 7]);
  for (const [k, net] of par.entries()) {
    expect(net.get(fixture.input).schedule).toEqual([0, 1 + k]);
    net.reset();
    net.simulate(10);
    seq[k]!.reset();
    seq[k]!.simulate(10);
    const after = fixture.recorded(net);
    expect(after).toEqual(fixture.recorded(seq[k]!));
    // reset() replays the table set in the worker from time 0: 2000 Hz for 1 + k ms.
    expect(everyNeuron(after.input)).toEqual(Array.from({ length: 2 + 2 * k }, (_, s) => s));
  }
});

it('networks mode, aborted after the method set new rates: the network runs the table it still has, from where the worker stopped', async () => {
  // The arena (the clock, the place in the schedule and the rates in force) is shared memory and
  // stays where the worker left it; the table the worker set does not come back from an aborted
  // call. Its rates in force (2000 Hz, entry 0 of the worker's table) must not outlive it: the
  // declared table has 0 Hz there (steps 2, 3), then 2000 Hz from step 4.
  const net = new Network({ everything: true, seed: 5 });
  net.compile();
  const abort = new AbortController();
  const settled = parallelRun({ method: fixture.setsThenWaits, networks: [net], module, maxWorkers: 1, signal: abort.signal }).catch((e: unknown) => e);
  while (net.getTime() < 1) await new Promise((resolve) => setTimeout(resolve, 10));
  abort.abort();
  expect(String(await settled)).toContain('aborted');
  expect(net.get(fixture.input).rates.map((r) => r[0])).toEqual(fixture.RATES);
  net.get(fixture.inputSpikes).get('spike');
  net.simulate(3); // steps 2..7
  expect(everyNeuron(fixture.recorded(net).input)).toEqual([4, 5, 6, 7]);
  net.dispose();
});
