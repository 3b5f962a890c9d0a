/** Shared helpers for the Network tests (test/network). */

import {
  Izhikevich,
  Monitor,
  PoissonPopulation,
  Population,
  Projection,
  type Assignable,
  type PopulationBase,
} from '../../src/index.js';

export { expectError } from '../helpers/core.js';

/**
 * `pop[name] = value` through the attribute's property setter. The typed attributes of built-in
 * populations (`StateOf<N>`) are typed `Float64Array` for writing too, so `pop.v = Uniform(…)`
 * does not type-check although it works at run time; this helper keeps the tests type-clean.
 */
export function assign(pop: PopulationBase, name: string, value: Assignable): void {
  (pop as unknown as Record<string, Assignable>)[name] = value;
}

/** The seed text's network (sizes configurable). Call after clear()/setup(). */
export function seedNetwork(size = 100) {
  const pop1 = new PoissonPopulation(size, { rates: 10 });
  const pop2 = new Population(size, Izhikevich);
  const proj = new Projection(pop1, pop2, 'exc').connectFixedProbability({ weights: 5.0, probability: 0.2 });
  const m = new Monitor(pop2, 'spike');
  return { pop1, pop2, proj, m };
}

/** Plain arrays for deep equality. */
export const arr = (x: ArrayLike<number>): number[] => Array.from(x);

/** Spike raster as plain arrays. */
export function raster(m: Monitor): [number[], number[]] {
  const [t, n] = m.rasterPlot();
  return [arr(t), arr(n)];
}
