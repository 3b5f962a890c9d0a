/** Shared helpers for the tests (core engine checks, and networks handed to parallelRun). */
import { expect } from 'vitest';

import { Network, SpikeworldError } from '../../src/index.js';

/** Monitor rows as plain nested arrays, for `toEqual` against hand-written tables. */
export function rows(data: ArrayLike<ArrayLike<number>>): number[][] {
  return Array.from(data, (r) => Array.from(r));
}

/** Column `i` of monitor rows (one neuron's trace). */
export function column(data: ArrayLike<ArrayLike<number>>, i: number): number[] {
  return Array.from(data, (r) => r[i] as number);
}

/** Spike trains as plain arrays. */
export function trains(spikes: ArrayLike<ArrayLike<number>>): number[][] {
  return Array.from(spikes, (s) => Array.from(s));
}

/**
 * Runs `fn`, expects a SpikeworldError whose message contains every fragment (case-sensitive),
 * and returns the message for further checks.
 */
export function expectError(fn: () => unknown, ...fragments: (string | RegExp)[]): string {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  expect(caught, 'expected a SpikeworldError, nothing was thrown').toBeInstanceOf(SpikeworldError);
  const message = (caught as Error).message;
  for (const f of fragments) {
    if (typeof f === 'string') expect(message).toContain(f);
    else expect(message).toMatch(f);
  }
  return message;
}

/** |x - mean| within z standard errors of a binomial count (n trials, probability p). */
export function expectBinomial(count: number, n: number, p: number, z = 5): void {
  const mean = n * p;
  const se = Math.sqrt(n * p * (1 - p));
  expect(Math.abs(count - mean), `count ${count} vs expected ${mean} ± ${z}·${se.toFixed(2)}`).toBeLessThanOrEqual(z * se);
}

export function sum(xs: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i] as number;
  return s;
}

/**
 * Copies of everything declared, one per seed, compiled and run `ms` first, then given `then`:
 * the networks a networks-mode parallelRun test hands to workers (and their sequential twins).
 */
export function startedNetworks(seeds: readonly number[], ms: number, then?: (net: Network) => void): Network[] {
  return seeds.map((seed) => {
    const net = new Network({ everything: true, seed });
    net.compile();
    net.simulate(ms);
    then?.(net);
    return net;
  });
}
