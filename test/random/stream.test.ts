import { describe, expect, it } from 'vitest';

import {
  fillBinomial,
  fillDiscreteUniform,
  fillGamma,
  fillNormal,
  fillUniform,
  nextUniform,
} from '../../src/random/stream.js';
import { nextWord } from '../../src/random/sfc32.js';
import { ZIGGURAT_K } from '../../src/random/ziggurat.js';
import { bytesOf, expectFraction, expectMoments, streamState } from './helpers.js';

/**
 * An independent ziggurat (Marsaglia & Tsang 2000, 256 layers), written word by word over nextWord
 * with its own tables and slow path, reading each word as bits 0–7 layer, 8–30 magnitude, 31 sign:
 * fillNormal must match it bit for bit (its inlined generator, its state around the slow path,
 * its tables and its slow path).
 */
function referenceNormals(state: Uint32Array, n: number, mu: number, sigma: number): Float64Array {
  const r = 3.6541528853610088;
  const v = 0.00492867323399;
  const f = (x: number) => Math.exp(-0.5 * x * x);
  // Layer edges x[1] < … < x[255] = r; layer 0 is the base strip of width v / f(r).
  const x = new Float64Array(256);
  x[255] = r;
  for (let i = 254; i >= 1; i--) x[i] = Math.sqrt(-2 * Math.log(v / x[i + 1]! + f(x[i + 1]!)));
  const width = (i: number) => (i === 0 ? v / f(r) : x[i]!);
  const inner = (i: number) => (i === 0 ? r : i === 1 ? 0 : x[i - 1]!);
  const uniform = () => (nextWord(state) >>> 0) * 2 ** -32;
  const open = () => ((nextWord(state) >>> 0) + 0.5) * 2 ** -32;
  const draw = (): number => {
    for (;;) {
      const t = nextWord(state);
      const layer = t & 255;
      const m = (t >>> 8) & 0x7fffff;
      const sign = t < 0 ? -1 : 1;
      const value = (m + 0.5) * (width(layer) / 2 ** 23);
      if (m < Math.floor((inner(layer) / width(layer)) * 2 ** 23)) return sign * value;
      for (let u = t; ; ) {
        const i = u & 255;
        const s = u < 0 ? -1 : 1;
        const y = (((u >>> 8) & 0x7fffff) + 0.5) * (width(i) / 2 ** 23);
        if (i === 0) {
          for (;;) {
            const tail = -Math.log(open()) / r;
            if (-2 * Math.log(open()) >= tail * tail) return s * (r + tail);
          }
        }
        const below = i === 1 ? 1 : f(x[i - 1]!);
        if (f(x[i]!) + uniform() * (below - f(x[i]!)) < f(y)) return s * y;
        u = nextWord(state);
        const mm = (u >>> 8) & 0x7fffff;
        if (mm < Math.floor((inner(u & 255) / width(u & 255)) * 2 ** 23)) return (u < 0 ? -1 : 1) * (mm + 0.5) * (width(u & 255) / 2 ** 23);
      }
    }
  };
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = mu + sigma * draw();
  return out;
}

/** P(a <= X < b) for X ~ N(0, 1), by Simpson's rule (200 intervals: error far below 1e-12 here). */
function normalProbability(a: number, b: number): number {
  const density = (x: number) => Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);
  const m = 200;
  const h = (b - a) / m;
  let sum = density(a) + density(b);
  for (let k = 1; k < m; k++) sum += (k % 2 ? 4 : 2) * density(a + k * h);
  return (sum * h) / 3;
}

describe('sfc32 stream', () => {
  it('fillUniform(s, out, 3, 0, 1) equals three nextUniform calls on a copy of the state', () => {
    const s = streamState();
    const copy = s.slice();
    const out = new Float64Array(3);
    fillUniform(s, out, 3, 0, 1);
    expect([...out]).toEqual([nextUniform(copy), nextUniform(copy), nextUniform(copy)]);
    expect([...s]).toEqual([...copy]);
  });

  it('fillUniform matches nextUniform over a long run, scaled to [lo, hi)', () => {
    const s = streamState(5, 'net/2');
    const copy = s.slice();
    const out = new Float64Array(10_000);
    fillUniform(s, out, out.length, -2, 6);
    for (let i = 0; i < out.length; i++) expect(out[i]).toBe(-2 + 8 * nextUniform(copy));
    expect([...s]).toEqual([...copy]);
  });

  it('only writes out[0..n) and continues the stream across calls', () => {
    const s1 = streamState();
    const s2 = streamState();
    const whole = new Float64Array(1000);
    fillUniform(s1, whole, 1000, 0, 1);
    const parts = new Float64Array(1001).fill(7);
    fillUniform(s2, parts, 400, 0, 1);
    fillUniform(s2, parts.subarray(400), 600, 0, 1);
    expect(bytesOf(parts.subarray(0, 1000)).equals(bytesOf(whole))).toBe(true);
    expect(parts[1000]).toBe(7);
  });

  it('keeps fillUniform in [lo, hi) even where lo + span * u would round up to hi', () => {
    const lo = 1e10;
    const hi = 1e10 + 1e-5; // ulp(1e10) ≈ 1.9e-6, so many draws round to the top of the range
    const out = new Float64Array(100_000);
    fillUniform(streamState(), out, out.length, lo, hi);
    expect(out.reduce((m, x) => Math.min(m, x), Infinity)).toBeGreaterThanOrEqual(lo);
    expect(out.reduce((m, x) => Math.max(m, x), -Infinity)).toBeLessThan(hi);
  });

  it('fillNormal equals an independent ziggurat over nextWord, slow-path words included', () => {
    const s = streamState();
    const copy = s.slice();
    for (const n of [1, 2, 7, 1000, 3]) {
      const out = new Float64Array(n);
      fillNormal(s, out, n, 1.5, 0.25);
      expect(bytesOf(out).equals(bytesOf(referenceNormals(copy, n, 1.5, 0.25)))).toBe(true);
      expect([...s]).toEqual([...copy]);
    }
    // About 1.5 % of 1011 words take the slow path: the comparison above crossed it.
    const words = streamState();
    let slow = 0;
    for (let i = 0; i < 1011; i++) {
      const t = nextWord(words);
      if (((t >>> 8) & 0x7fffff) >= ZIGGURAT_K[t & 255]!) slow++;
    }
    expect(slow).toBeGreaterThan(3);
  });

  it('fillNormal in chunks of any size equals one call (no spare kept between calls)', () => {
    const whole = new Float64Array(1000);
    fillNormal(streamState(), whole, 1000, 0, 1);
    const s = streamState();
    const parts = new Float64Array(1000);
    let i = 0;
    for (const size of [1, 249, 7, 243, 500]) {
      fillNormal(s, parts.subarray(i), size, 0, 1);
      i += size;
    }
    expect(bytesOf(parts).equals(bytesOf(whole))).toBe(true);
  });

  it('fillNormal fits N(0, 1): chi-square over 102 bins, the tail beyond the base layer, symmetry', () => {
    const n = 4_000_000;
    const xs = new Float64Array(n);
    fillNormal(streamState(7, 'normal/fit'), xs, n, 0, 1);
    // Bins of 0.1 on [-5, 5) plus the two tails; expected counts from the density itself.
    const lo = -5;
    const width = 0.1;
    const bins = 100;
    const counts = new Float64Array(bins + 2);
    for (let i = 0; i < n; i++) {
      const x = xs[i]!;
      counts[x < lo ? 0 : x >= -lo ? bins + 1 : 1 + Math.floor((x - lo) / width)]++;
    }
    let chi2 = 0;
    for (let k = 0; k < bins + 2; k++) {
      const p = k === 0 || k === bins + 1 ? normalProbability(-12, lo) : normalProbability(lo + (k - 1) * width, lo + k * width);
      chi2 += (counts[k]! - n * p) ** 2 / (n * p);
    }
    // 101 degrees of freedom: mean 101, sd 14.2; 175 is exceeded by chance with p < 1e-6.
    expect(chi2).toBeLessThan(175);
    const beyondBase = 2 * normalProbability(3.6541528853610088, 12); // words from Marsaglia's tail method
    expectFraction(xs, (x) => Math.abs(x) > 3.6541528853610088, beyondBase);
    expectFraction(xs, (x) => Math.abs(x) > 4.5, 2 * normalProbability(4.5, 12));
    expectFraction(xs, (x) => x < 0, 0.5);
  });

  it('fillNormal with sigma = 0 gives mu exactly', () => {
    const out = new Float64Array(11);
    fillNormal(streamState(), out, 11, -3, 0);
    expect([...out]).toEqual(new Array(11).fill(-3));
  });

  it('fillDiscreteUniform covers the full uint32 range size without bias shortcuts', () => {
    const out = new Float64Array(50_000);
    fillDiscreteUniform(streamState(), out, out.length, 0, 2 ** 32 - 1);
    expectMoments(out, (2 ** 32 - 1) / 2, (2 ** 64 - 1) / 12, -1.2);
    expect(out.every((x) => Number.isInteger(x) && x >= 0 && x < 2 ** 32)).toBe(true);
  });

  it('fillDiscreteUniform is uniform on both sides of the multiply-and-reject size limit (2^21)', () => {
    for (const max of [2 ** 21 - 1, 2 ** 21, 3_000_000]) {
      const out = new Float64Array(50_000);
      fillDiscreteUniform(streamState(), out, out.length, 0, max);
      const size = max + 1;
      expectMoments(out, max / 2, (size * size - 1) / 12, -1.2);
      expect(out.every((x) => Number.isInteger(x) && x >= 0 && x <= max)).toBe(true);
    }
  });

  it('fillGamma and fillBinomial are deterministic', () => {
    const g1 = new Float64Array(1000);
    const g2 = new Float64Array(1000);
    fillGamma(streamState(), g1, 1000, 0.7, 2);
    fillGamma(streamState(), g2, 1000, 0.7, 2);
    expect(bytesOf(g1).equals(bytesOf(g2))).toBe(true);
    const b1 = new Float64Array(1000);
    const b2 = new Float64Array(1000);
    fillBinomial(streamState(), b1, 1000, 12345, 0.3);
    fillBinomial(streamState(), b2, 1000, 12345, 0.3);
    expect(bytesOf(b1).equals(bytesOf(b2))).toBe(true);
  });
});
