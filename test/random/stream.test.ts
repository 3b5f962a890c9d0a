import { describe, expect, it } from 'vitest';

import {
  fillBinomial,
  fillDiscreteUniform,
  fillGamma,
  fillNormal,
  fillUniform,
  nextUniform,
} from '../../src/random/stream.js';
import { bytesOf, expectMoments, streamState } from './helpers.js';

/** The polar method written over nextUniform: the reference fillNormal must match bit for bit. */
function referenceNormals(state: Uint32Array, n: number, mu: number, sigma: number): Float64Array {
  const out = new Float64Array(n);
  let i = 0;
  while (i < n) {
    let u: number;
    let v: number;
    let s: number;
    do {
      u = 2 * nextUniform(state) - 1;
      v = 2 * nextUniform(state) - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const f = sigma * Math.sqrt((-2 * Math.log(s)) / s);
    out[i++] = mu + u * f;
    if (i < n) out[i++] = mu + v * f;
  }
  return out;
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

  it('fillNormal equals the polar method over nextUniform, discarding the spare for odd n', () => {
    const s = streamState();
    const copy = s.slice();
    for (const n of [1, 2, 7, 1000, 3]) {
      const out = new Float64Array(n);
      fillNormal(s, out, n, 1.5, 0.25);
      expect(bytesOf(out).equals(bytesOf(referenceNormals(copy, n, 1.5, 0.25)))).toBe(true);
      expect([...s]).toEqual([...copy]);
    }
  });

  it('fillNormal in even chunks equals one call', () => {
    const whole = new Float64Array(1000);
    fillNormal(streamState(), whole, 1000, 0, 1);
    const s = streamState();
    const parts = new Float64Array(1000);
    for (let i = 0; i < 1000; i += 250) fillNormal(s, parts.subarray(i), 250, 0, 1);
    expect(bytesOf(parts).equals(bytesOf(whole))).toBe(true);
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
