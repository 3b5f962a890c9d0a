/**
 * The seed network for the parallelRun figures, declared at module top level so that workers
 * re-create it by importing this module (same declarations as test/fixtures/seedNetwork.ts).
 * Import it only after `clear()`: its declarations must be the template's only ones.
 */
import { Izhikevich, Monitor, Network, PoissonPopulation, Population, Projection, setup } from '../src/index.js';

setup({ seed: 1234 });

export const pop1 = new PoissonPopulation(100, { rates: 10 });
export const pop2 = new Population(100, Izhikevich);
export const proj = new Projection(pop1, pop2, 'exc');
proj.connectFixedProbability({ weights: 5.0, probability: 0.2 });
export const m = new Monitor(pop2, 'spike');

/** Simulated ms per network: SPIKEWORLD_SWEEP_MS (workers inherit the environment), default 20 s. */
export function sweepDurationMs(): number {
  const raw = process.env['SPIKEWORLD_SWEEP_MS'];
  const ms = raw === undefined || raw === '' ? 20000 : Number(raw);
  if (!(Number.isFinite(ms) && ms > 0)) throw new RangeError(`SPIKEWORLD_SWEEP_MS must be a positive number of ms, got ${raw}`);
  return ms;
}

/** Rates 5 + 5·idx; returns the rate of pop2 in Hz and the ms this call took where it ran. */
export function sweep(idx: number, net: Network): { rate: number; ms: number } {
  const start = performance.now();
  net.get(pop1).rates = 5 + 5 * idx;
  net.compile();
  net.simulate(sweepDurationMs());
  return { rate: net.get(m).meanFr(), ms: performance.now() - start };
}

/** Nothing but the call itself: measures parallelRun's per-network overhead. */
export function noop(idx: number): number {
  return idx;
}
