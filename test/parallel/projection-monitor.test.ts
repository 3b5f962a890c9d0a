/**
 * Networks mode: a projection monitor's rows (w of STDP, x and u of STP) cross to the worker and
 * back as a population monitor's do, and end up as a sequential run leaves them.
 */
import { afterAll, expect, it } from 'vitest';

import { Network, parallelRun, releaseWorkers } from '../../src/index.js';
import { startedNetworks } from '../helpers/core.js';
import * as fixture from '../fixtures/projectionMonitorNetwork.js';

const module = new URL('../fixtures/projectionMonitorNetwork.ts', import.meta.url).href;

afterAll(() => releaseWorkers());

const make = () => startedNetworks([5, 6], 50);

const recording = (net: Network) => {
  const { w } = net.get(fixture.weights).get(['w']);
  const { x, u } = net.get(fixture.resources).get(['x', 'u']);
  const rows = (r: Float64Array[]) => r.map((row) => [...row]);
  return { times: [...net.get(fixture.weights).times('w')], w: rows(w), x: rows(x), u: rows(u) };
};

it('rows recorded before, in and after a worker run are those of a sequential run', async () => {
  const par = make();
  const seq = make();
  // A signal keeps the calling thread out: both networks run in workers.
  const inWorkers = await parallelRun({ method: fixture.continues, networks: par, module, maxWorkers: 2, signal: new AbortController().signal });
  const here = await parallelRun({ method: fixture.continues, networks: seq, sequential: true });
  expect(inWorkers).toEqual([30, 30]);
  expect(here).toEqual([30, 30]);
  // Steps 150..155 here: the last row (step 155) is the state the network holds now.
  for (const n of [...par, ...seq]) n.simulate(6);
  const got = par.map(recording);
  for (let k = 0; k < 2; k++) {
    const [a, b] = [got[k]!, recording(seq[k]!)];
    expect(a.w).toHaveLength(32);
    expect(a).toEqual(b);
    // The last row is the weights the network holds now.
    expect(a.w[31]).toEqual([...par[k]!.get(fixture.plastic).w]);
    expect(new Set(a.w.flat()).size).toBeGreaterThan(10);
    expect(new Set(a.x.flat()).size).toBeGreaterThan(10);
  }
  expect(got[0]!.w).not.toEqual(got[1]!.w);
  for (const n of [...par, ...seq]) n.dispose();
});
