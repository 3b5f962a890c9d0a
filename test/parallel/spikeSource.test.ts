/**
 * SpikeSourceArray in parallelRun: in number mode workers re-declare the source from the module
 * (its times are part of the declaration signature, so a main thread whose times differ is
 * refused); in networks mode the handed-off network keeps its times, also ones set after compile
 * on the main thread, and times a method sets come back.
 */
import { afterAll, expect, it } from 'vitest';

import { Network, parallelRun, releaseWorkers } from '../../src/index.js';
import { startedNetworks } from '../helpers/core.js';
import * as fixture from '../fixtures/spikeSourceNetwork.js';

const module = new URL('../fixtures/spikeSourceNetwork.ts', import.meta.url).href;
/** A signal keeps the calling thread out: every network runs in a worker. */
const inWorkers = { module, maxWorkers: 2, signal: new AbortController().signal };

afterAll(() => releaseWorkers());

it("number mode: workers run the module's times, as a sequential run does", async () => {
  const par = await parallelRun({ method: fixture.run, number: 2, ...inWorkers });
  const seq = await parallelRun({ method: fixture.run, number: 2, sequential: true });
  expect(par).toEqual(seq);
  // dt 0.5: [0, 2.5, 5] -> steps 0, 5, 10; [1, 7.5] -> 2, 15.
  expect(par[0]!.source).toEqual([[0, 5, 10], [], [2, 15]]);
  expect(par[0]!.times).toEqual(fixture.DECLARED);
  // All-to-all with a 1 ms delay: every cell's g_exc gets 20 per source spike two steps later (steps 2, 4, 7, 12, 17).
  for (const s of [2, 4, 7, 12, 17]) expect(Math.min(...par[0]!.g[s]!)).toBeGreaterThanOrEqual(20);
  expect(Math.min(...par[0]!.g[3]!)).toBeLessThan(20);
  expect(par[0]!.cells).not.toEqual(par[1]!.cells); // their own Poisson streams
});

it('number mode: times set on the main thread only are refused, naming the difference', async () => {
  fixture.src.spikeTimes = [[0, 2.5], [], [1, 7.5]];
  try {
    await expect(parallelRun({ method: fixture.run, number: 2, ...inWorkers })).rejects.toThrow(
      /differ from the main thread's \(first difference: worker 'population:0:stimulus:3:spikes#5:[0-9a-f]{8}', main 'population:0:stimulus:3:spikes#4:[0-9a-f]{8}'\)/,
    );
  } finally {
    fixture.src.spikeTimes = fixture.DECLARED;
  }
  expect((await parallelRun({ method: fixture.run, number: 1, ...inWorkers }))[0]!.source).toEqual([[0, 5, 10], [], [2, 15]]);
});

/** Networks that ran 5 ms here, then got new times after compile (steps 12, 16 | 14 | none). */
const make = () => startedNetworks([3, 4], 5, (net) => {
  net.get(fixture.src).spikeTimes = [[6, 8], [7], []];
});

it('networks mode: the handed-off network keeps the times set after compile on the main thread', async () => {
  const par = await parallelRun({ method: fixture.continues, networks: make(), ...inWorkers });
  const seq = await parallelRun({ method: fixture.continues, networks: make(), sequential: true });
  expect(par).toEqual(seq);
  // Before the set: steps 0, 5 | none | 2; after it, from step 10: 12, 16 | 14.
  expect(par[0]!.source).toEqual([[0, 5, 12, 16], [14], [2]]);
  expect(par[0]!.times).toEqual([[6, 8], [7], []]);
});

it('networks mode: times a method sets come back with the network, which runs on as a sequential run does', async () => {
  const par = make();
  const seq = make();
  const inWorker = await parallelRun({ method: fixture.setsThenRuns, networks: par, ...inWorkers });
  const here = await parallelRun({ method: fixture.setsThenRuns, networks: seq, sequential: true });
  expect(inWorker).toEqual(here);
  // Set at step 10 (5 ms): 1 ms is past; 6 + idx ms and 8 ms fire.
  expect(inWorker).toEqual([
    [[0, 5, 12], [16], [2]],
    [[0, 5, 14], [16], [2]],
  ]);
  for (const [k, net] of par.entries()) {
    expect(net.get(fixture.src).spikeTimes).toEqual([[1, 6 + k], [8], []]);
    net.reset();
    net.simulate(10);
    seq[k]!.reset();
    seq[k]!.simulate(10);
    const after = fixture.recorded(net);
    expect(after).toEqual(fixture.recorded(seq[k]!));
    // reset() replays the times set in the worker from time 0.
    expect(after.source).toEqual([[2, 12 + 2 * k], [16], []]);
  }
});

it('networks mode, aborted after the method set new times: the network fires the times it still has, from where the worker stopped', async () => {
  // The arena (the clock and the source's place in its list) is shared memory and stays where the
  // worker left it; the times the worker set do not come back from an aborted call. Its place in
  // the six times it set must not skip the declared ones that are still to come (steps 10 | 15).
  const net = new Network({ everything: true, seed: 5 });
  net.compile();
  const abort = new AbortController();
  const settled = parallelRun({ method: fixture.setsThenWaits, networks: [net], module, maxWorkers: 1, signal: abort.signal }).catch((e: unknown) => e);
  while (net.getTime() < 3.5) await new Promise((resolve) => setTimeout(resolve, 10));
  abort.abort();
  expect(String(await settled)).toContain('aborted');
  expect(net.get(fixture.src).spikeTimes).toEqual([[0, 2.5, 5], [], [1, 7.5]]);
  net.get(fixture.sourceSpikes).get('spike');
  net.simulate(10);
  expect(net.get(fixture.sourceSpikes).get('spike').map((t) => [...t])).toEqual([[10], [], [15]]);
  net.dispose();
});
