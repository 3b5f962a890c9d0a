import { expect } from 'vitest';

import { deriveStreamState } from '../../src/random/seed.js';

/** A fresh derived stream state. */
export function streamState(master: number | string = 2024, path = 'test/0'): Uint32Array {
  const state = new Uint32Array(4);
  deriveStreamState(master, path, state);
  return state;
}

export function mean(xs: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < xs.length; i++) sum += xs[i]!;
  return sum / xs.length;
}

export function variance(xs: Float64Array): number {
  const m = mean(xs);
  let sum = 0;
  for (let i = 0; i < xs.length; i++) sum += (xs[i]! - m) ** 2;
  return sum / (xs.length - 1);
}

/**
 * Sample mean and variance within `z` standard errors of the theory. The variance's standard error
 * is sqrt((mu4 − var²) / N) = var · sqrt((excessKurtosis + 2) / N).
 */
export function expectMoments(xs: Float64Array, expectedMean: number, expectedVar: number, excessKurtosis: number, z = 5): void {
  const n = xs.length;
  const seMean = Math.sqrt(expectedVar / n);
  const seVar = expectedVar * Math.sqrt((excessKurtosis + 2) / n);
  expect(Math.abs(mean(xs) - expectedMean), `mean ${mean(xs)} vs ${expectedMean}`).toBeLessThan(z * seMean);
  expect(Math.abs(variance(xs) - expectedVar), `variance ${variance(xs)} vs ${expectedVar}`).toBeLessThan(z * seVar);
}

/** The fraction of `xs` satisfying `pred` is within `z` standard errors of `p`. */
export function expectFraction(xs: Float64Array, pred: (x: number) => boolean, p: number, z = 5): void {
  let count = 0;
  for (let i = 0; i < xs.length; i++) if (pred(xs[i]!)) count++;
  const se = Math.sqrt((p * (1 - p)) / xs.length);
  expect(Math.abs(count / xs.length - p), `fraction ${count / xs.length} vs ${p}`).toBeLessThanOrEqual(z * se + 1e-12);
}

export function pearson(x: Float64Array, y: Float64Array): number {
  const mx = mean(x);
  const my = mean(y);
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < x.length; i++) {
    const dx = x[i]! - mx;
    const dy = y[i]! - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  return sxy / Math.sqrt(sxx * syy);
}

export function bytesOf(xs: Float64Array | Uint32Array): Buffer {
  return Buffer.from(xs.buffer, xs.byteOffset, xs.byteLength);
}

/** Standard normal CDF (Abramowitz–Stegun 7.1.26 erf, |error| < 1.5e-7: plenty for 5-SE checks). */
export function normalCdf(x: number): number {
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * z);
  const erf = 1 - t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))) * Math.exp(-z * z);
  return x >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
}
