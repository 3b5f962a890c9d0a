/** Hand-offs given to every worker at start-up carry their arrays on shared memory, values intact. */
import { beforeEach, expect, it } from 'vitest';

import { clear, Izhikevich, Monitor, Network, Population, setup } from '../../src/index.js';
import { shareHandoff } from '../../src/parallel/share.js';

beforeEach(() => clear());

it('moves compile-time state onto SharedArrayBuffers without changing it; monitor data is on shared memory already', () => {
  setup({ seed: 3 });
  const pop = new Population(20, Izhikevich({ noise: 5 }));
  new Monitor(pop, ['spike', 'v']);
  const net = new Network({ everything: true });
  net.compile();
  net.simulate(50);
  const h = net.handoff();
  const shared = shareHandoff(h);
  const arrays = (x: typeof h) => [...x.resetState.fields.flatMap((f) => Object.values(f)), x.resetState.rng];
  expect(arrays(shared).every((a) => a.buffer instanceof SharedArrayBuffer)).toBe(true);
  expect(arrays(h).some((a) => !(a.buffer instanceof SharedArrayBuffer))).toBe(true);
  expect(arrays(shared).map((a) => [...a])).toEqual(arrays(h).map((a) => [...a]));
  expect(arrays(shared).map((a) => a.constructor)).toEqual(arrays(h).map((a) => a.constructor));
  const [m] = shared.monitors;
  const recorded = [m!.spikes!.steps.data, m!.spikes!.ranks.data, ...m!.variables.flatMap((v) => [...v.rows.chunks, v.steps.data])];
  expect(m!.variables[0]!.rows.rows).toBe(50);
  expect(m!.spikes!.steps.length).toBeGreaterThan(0);
  expect(recorded.every((a) => a.buffer instanceof SharedArrayBuffer)).toBe(true);
  expect(shared.world).toBe(h.world);
});
