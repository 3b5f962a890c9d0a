/** What every figure module gets, plus helpers to declare the benchmark networks afresh. */
import { clear, setup, type Monitor, type Projection } from '../../src/index.js';
import type { Precision } from '../../src/world/populationData.js';
import type { Reporter } from './report.js';

export interface BenchContext {
  quick: boolean;
  reporter: Reporter;
}

/** Every build starts from an empty template: `clear()` + `setup({ dt, seed, kernels, precision })`. */
export function fresh<T>(dt: number, seed: number, build: () => T, kernels: 'auto' | 'js' = 'auto', precision: Precision = 'double'): T {
  clear();
  setup({ dt, seed, kernels, precision });
  return build();
}

/** Mean rate in Hz over all monitored neurons (monitors weighted by their population sizes). */
export function meanRate(monitors: readonly Monitor[]): number {
  let spikesPerSecond = 0;
  let neurons = 0;
  for (const m of monitors) {
    spikesPerSecond += m.meanFr() * m.target.size;
    neurons += m.target.size;
  }
  return neurons === 0 ? NaN : spikesPerSecond / neurons;
}

/**
 * Synaptic events per simulated second implied by the monitors' rates: each spike of a pre neuron
 * reaches every synapse of its rows, so events = Σ over projections rate(pre) · synapses.
 */
export function eventsPerSimulatedSecond(monitors: readonly Monitor[], projections: readonly Projection[]): number {
  let events = 0;
  for (const proj of projections) {
    const m = monitors.find((x) => x.target === proj.pre);
    if (m) events += m.meanFr() * proj.nbSynapses;
  }
  return events;
}

export function totalSynapses(projections: readonly Projection[]): number {
  return projections.reduce((s, p) => s + p.nbSynapses, 0);
}

/** Seeds used by the timing figures: fixed, so that every repeat does the same work. */
export const SEED = 42;

/** 1 for "1000", "5k" for 5000, "100k" for 100000. */
export function sizeLabel(n: number): string {
  return n >= 1000 && n % 1000 === 0 ? `${n / 1000}k` : String(n);
}
