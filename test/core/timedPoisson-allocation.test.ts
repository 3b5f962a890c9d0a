/**
 * A timed Poisson population's step allocates (next to) nothing on the JS heap, with a switch of
 * rates at every step, in the fused WebAssembly input stage and in the JS one. In a file of its
 * own: after runs of other shapes in the same thread (dt 0.5 and 0.1, float and double state) the
 * JS Poisson step itself, PoissonPopulation's too, boxes a float per step (16 bytes; seen with
 * the tests of timedPoisson.test.ts before it).
 */
import { beforeEach, expect, it } from 'vitest';

import { clear, Izhikevich, Network, Population, Projection, setup, TimedPoissonPopulation } from '../../src/index.js';
import { leastBytesPerStep } from '../helpers/heap.js';

beforeEach(() => clear());

const range = (lo: number, hi: number) => Array.from({ length: hi - lo }, (_, k) => lo + k);

it('a step allocates (next to) nothing on the JS heap with a switch every step, in the fused WebAssembly stage and the JS one', () => {
  for (const kernels of ['auto', 'js'] as const) {
    clear();
    setup({ dt: 1, kernels });
    const pop = new TimedPoissonPopulation(100, { rates: [5, 50, [...range(0, 100)]], schedule: [0, 1, 2], period: 3 });
    const cells = new Population(10, Izhikevich);
    new Projection(pop, cells, 'exc').connectFixedProbability({ probability: 0.1, weights: 0.5 });
    const net = new Network({ everything: true });
    net.compile();
    expect(net.world.runtime!.inputStage !== null, kernels).toBe(kernels === 'auto');
    net.simulate(20_000);
    expect(leastBytesPerStep((steps) => net.simulate(steps * net.dt), 10_000), kernels).toBeLessThan(4);
    net.dispose();
  }
});
