/**
 * A network whose monitor records `v` of 1,000 neurons every step, for bench/recording/run.ts
 * (declared at module top level: parallelRun's workers import this module).
 */
import { Izhikevich, Monitor, type Network, PoissonPopulation, Population, Projection, setup } from '../../src/index.js';

setup({ dt: 1, seed: 7 });
export const input = new PoissonPopulation(100, { rates: 20 });
export const cells = new Population(1000, Izhikevich);
new Projection(input, cells, 'exc').connectFixedProbability({ probability: 0.1, weights: 2 });
export const recorded = new Monitor(cells, ['spike', 'v']);

/** 100 ms more of a network that may hold a long recording already. */
export function continueRun(_idx: number, net: Network): number {
  net.simulate(100);
  return net.getTime();
}
