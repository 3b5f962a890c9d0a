/**
 * Networks mode: a monitor's recording crosses to the worker and back as shared memory, not as
 * copies (a copy both ways cost ~0.2 s per network and call at 5,000 rows of 1,000 values), and
 * ends up as a sequential run leaves it.
 */
import { afterAll, expect, it } from 'vitest';

import { Network, parallelRun, releaseWorkers } from '../../src/index.js';
import { startedNetworks } from '../helpers/core.js';
import * as fixture from '../fixtures/recordingNetwork.js';

const module = new URL('../fixtures/recordingNetwork.ts', import.meta.url).href;

afterAll(() => releaseWorkers());

const make = () => startedNetworks([31, 32], 50);

/** The method in workers (a signal keeps the calling thread out) and sequentially, on networks that ran 50 ms here. */
async function bothWays(method: (idx: number, net: Network) => number) {
  const par = make();
  const seq = make();
  const firstChunks = par.map((n) => n.get(fixture.recorded).snapshot(true).variables[0]!.rows.chunks[0]!);
  const inWorkers = await parallelRun({ method, networks: par, module, maxWorkers: 2, signal: new AbortController().signal });
  const here = await parallelRun({ method, networks: seq, sequential: true });
  return { par, seq, firstChunks, inWorkers, here };
}

const recording = (net: Network) => {
  const m = net.get(fixture.recorded);
  const times = [...m.times('v')];
  const { spike, v } = m.get(['spike', 'v']);
  return { times, spike: spike.map((s) => [...s]), v: v.map((row) => [...row]) };
};

it('a method sees what was recorded before the hand-off; afterwards the recording is what a sequential run leaves, on the same memory', async () => {
  const { par, seq, firstChunks, inWorkers, here } = await bothWays(fixture.continues);
  expect(inWorkers).toEqual([150, 150]);
  expect(here).toEqual([150, 150]);
  // No copy: the rows recorded here before the call are still the ones this monitor reads.
  firstChunks[0]![0] = 12345;
  const [a, b] = [recording(par[0]!), recording(seq[0]!)];
  expect(a.v[0]![0]).toBe(12345);
  a.v[0]![0] = b.v[0]![0]!;
  expect(a).toEqual(b);
  expect(recording(par[1]!)).toEqual(recording(seq[1]!));
  expect(b.times).toHaveLength(150);
  expect(b.spike.flat().length).toBeGreaterThan(0);
  // The caller records on where the worker stopped.
  for (const n of [...par, ...seq]) n.simulate(10);
  expect(recording(par[1]!)).toEqual(recording(seq[1]!));
  for (const n of [...par, ...seq]) n.dispose();
});

it('a method that empties the recording (get) leaves only what it recorded after, as a sequential run does', async () => {
  const { par, seq, inWorkers, here } = await bothWays(fixture.takesThenRuns);
  expect(inWorkers).toEqual([80, 80]);
  expect(here).toEqual([80, 80]);
  for (let k = 0; k < 2; k++) {
    const [a, b] = [recording(par[k]!), recording(seq[k]!)];
    expect(a.times).toHaveLength(20);
    expect(a).toEqual(b);
  }
  for (const n of [...par, ...seq]) n.dispose();
});

it('after an abort the monitor holds what it held before the call, even where the method emptied and refilled it in the worker', async () => {
  const [net] = make();
  const m = net!.get(fixture.recorded);
  const before = { times: [...m.times('v')], raster: m.rasterPlot().map((x) => [...x]) };
  expect(before.raster[0]!.length).toBeGreaterThan(0);
  const abort = new AbortController();
  const call = parallelRun({ method: fixture.takesThenWaits, networks: [net!], module, maxWorkers: 1, signal: abort.signal });
  const settled = call.catch((e: unknown) => e);
  // The clock is on shared memory: the worker has taken the recording and run its 20 ms once it reads 70 ms.
  while (net!.getTime() < 70) await new Promise((resolve) => setTimeout(resolve, 10));
  abort.abort();
  expect(String(await settled)).toContain('aborted');
  expect(net!.getTime()).toBe(70); // the state the worker reached, on the same memory
  expect({ times: [...m.times('v')], raster: m.rasterPlot().map((x) => [...x]) }).toEqual(before);
  net!.dispose();
});
