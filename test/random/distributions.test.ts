import { describe, expect, it } from 'vitest';

import { SpikeworldError } from '../../src/errors.js';
import {
  Binomial,
  DiscreteUniform,
  DiscreteUniformDistribution,
  Exponential,
  Gamma,
  GammaDistribution,
  isDistribution,
  LogNormal,
  Normal,
  RandomDistribution,
  Uniform,
  UniformDistribution,
} from '../../src/random/distributions.js';
import { bytesOf, expectFraction, expectMoments, normalCdf, streamState } from './helpers.js';

const N = 200_000;

function draw(dist: RandomDistribution, n = N, path = 'dist/0'): Float64Array {
  const out = new Float64Array(n);
  dist.sample(streamState(31, path), out);
  return out;
}

function minOf(xs: Float64Array): number {
  return xs.reduce((m, x) => Math.min(m, x), Infinity);
}

function maxOf(xs: Float64Array): number {
  return xs.reduce((m, x) => Math.max(m, x), -Infinity);
}

/** Each value's frequency is within 5 SE of `pmf(k)` for k in [lo, hi], and nothing falls outside. */
function expectPmf(xs: Float64Array, lo: number, hi: number, pmf: (k: number) => number): void {
  expect(xs.every((x) => Number.isInteger(x) && x >= lo && x <= hi)).toBe(true);
  for (let k = lo; k <= hi; k++) expectFraction(xs, (x) => x === k, pmf(k));
}

function logChoose(n: number, k: number): number {
  let s = 0;
  for (let i = 1; i <= k; i++) s += Math.log((n - k + i) / i);
  return s;
}

function binomialPmf(n: number, p: number): (k: number) => number {
  return (k) => Math.exp(logChoose(n, k) + k * Math.log(p) + (n - k) * Math.log1p(-p));
}

describe('construction', () => {
  it('works with and without new, and instanceof sees both the factory and the class', () => {
    const a = Uniform(0, 0.5);
    const b = new Uniform(0, 0.5);
    expect(a).toBeInstanceOf(UniformDistribution);
    expect(b).toBeInstanceOf(UniformDistribution);
    expect(a instanceof Uniform).toBe(true);
    expect(a instanceof RandomDistribution).toBe(true);
    expect(Gamma(2) instanceof GammaDistribution).toBe(true);
    expect(Uniform.name).toBe('Uniform');
    expect(a.kind).toBe('Uniform');
    expect([a.min, a.max]).toEqual([0, 0.5]);
    expect(Gamma(2).beta).toBe(1);
    expect(Normal(0, 1, { min: -1 }).max).toBeUndefined();
  });

  it('isDistribution tells distributions from other values', () => {
    for (const d of [Uniform(0, 1), DiscreteUniform(0, 3), Normal(0, 1), LogNormal(0, 1), Exponential(1), Gamma(1), Binomial(3, 0.5)]) {
      expect(isDistribution(d)).toBe(true);
    }
    for (const x of [0, null, undefined, 'Uniform(0, 1)', { kind: 'Uniform', sample() {} }, Uniform]) {
      expect(isDistribution(x)).toBe(false);
    }
  });

  it('prints like the call that made it', () => {
    expect(String(Uniform(0, 0.5))).toBe('Uniform(0, 0.5)');
    expect(String(DiscreteUniform(-2, 3))).toBe('DiscreteUniform(-2, 3)');
    expect(String(Normal(0, 1))).toBe('Normal(0, 1)');
    expect(String(Normal(-65, 5, { min: -80, max: -50 }))).toBe('Normal(-65, 5, { min: -80, max: -50 })');
    expect(String(LogNormal(0, 0.5, { max: 3 }))).toBe('LogNormal(0, 0.5, { max: 3 })');
    expect(String(Exponential(2))).toBe('Exponential(2)');
    expect(String(Gamma(2))).toBe('Gamma(2, 1)');
    expect(String(Gamma(2, 0.5, { min: 0.1 }))).toBe('Gamma(2, 0.5, { min: 0.1 })');
    expect(String(Binomial(10, 0.3))).toBe('Binomial(10, 0.3)');
  });
});

describe('bad parameters are SpikeworldErrors naming the distribution and the value', () => {
  const cases: [string, () => unknown, string, RegExp][] = [
    ['non-finite', () => Uniform(NaN, 1), 'Uniform', /min must be a finite number, got NaN/],
    ['non-finite', () => Uniform(0, Infinity), 'Uniform', /max must be a finite number, got Infinity/],
    ['not a number', () => Uniform('0' as unknown as number, 1), 'Uniform', /min must be a finite number, got '0'/],
    ['min >= max', () => Uniform(1, 1), 'Uniform', /min must be < max, got min = 1, max = 1/],
    ['min >= max', () => Uniform(2, -1), 'Uniform', /min must be < max, got min = 2, max = -1/],
    ['infinite span', () => Uniform(-1e308, 1e308), 'Uniform', /max - min must be finite, got 1e\+308 - -1e\+308/],
    ['non-integer', () => DiscreteUniform(0.5, 3), 'DiscreteUniform', /min must be an integer, got 0.5/],
    ['non-integer', () => DiscreteUniform(0, 2.5), 'DiscreteUniform', /max must be an integer, got 2.5/],
    ['min >= max', () => DiscreteUniform(3, 3), 'DiscreteUniform', /min must be < max, got min = 3, max = 3/],
    ['too wide', () => DiscreteUniform(0, 2 ** 33), 'DiscreteUniform', /2\^32 values.*8589934593/],
    ['non-finite', () => Normal(-Infinity, 1), 'Normal', /mu must be a finite number, got -Infinity/],
    ['sigma < 0', () => Normal(0, -1), 'Normal', /sigma must be >= 0, got -1/],
    ['clamp min > max', () => Normal(0, 1, { min: 2, max: 1 }), 'Normal', /min must be <= max, got min = 2, max = 1/],
    ['non-finite clamp', () => Normal(0, 1, { min: NaN }), 'Normal', /min must be a finite number, got NaN/],
    ['unknown option', () => Normal(0, 1, { minimum: 0 } as never), 'Normal', /unknown option 'minimum'/],
    ['sigma < 0', () => LogNormal(0, -0.5), 'LogNormal', /sigma must be >= 0, got -0.5/],
    ['clamp min > max', () => LogNormal(0, 1, { min: 3, max: 2 }), 'LogNormal', /got min = 3, max = 2/],
    ['rate <= 0', () => Exponential(0), 'Exponential', /rate must be > 0, got 0/],
    ['rate <= 0', () => Exponential(-2), 'Exponential', /rate must be > 0, got -2/],
    ['non-finite', () => Exponential(Infinity), 'Exponential', /rate must be a finite number, got Infinity/],
    ['clamp', () => Exponential(1, { max: Infinity }), 'Exponential', /max must be a finite number, got Infinity/],
    ['alpha <= 0', () => Gamma(0), 'Gamma', /alpha must be > 0, got 0/],
    ['alpha <= 0', () => Gamma(-1, 1), 'Gamma', /alpha must be > 0, got -1/],
    ['beta <= 0', () => Gamma(1, 0), 'Gamma', /beta must be > 0, got 0/],
    ['beta <= 0', () => Gamma(1, -2), 'Gamma', /beta must be > 0, got -2/],
    ['clamp min > max', () => Gamma(1, 1, { min: 1, max: 0.5 }), 'Gamma', /got min = 1, max = 0.5/],
    ['n negative', () => Binomial(-1, 0.5), 'Binomial', /n must be a non-negative integer, got -1/],
    ['n non-integer', () => Binomial(2.5, 0.5), 'Binomial', /n must be a non-negative integer, got 2.5/],
    ['n non-finite', () => Binomial(Infinity, 0.5), 'Binomial', /n must be a finite number, got Infinity/],
    ['p > 1', () => Binomial(10, 1.5), 'Binomial', /p must be in \[0, 1\], got 1.5/],
    ['p < 0', () => Binomial(10, -0.1), 'Binomial', /p must be in \[0, 1\], got -0.1/],
    ['p NaN', () => Binomial(10, NaN), 'Binomial', /p must be a finite number, got NaN/],
  ];
  for (const [rule, make, name, message] of cases) {
    it(`${name}: ${rule} (${message.source})`, () => {
      let caught: unknown;
      try {
        make();
      } catch (e) {
        caught = e;
      }
      expect(caught).toBeInstanceOf(SpikeworldError);
      const text = (caught as Error).message;
      expect(text.startsWith(`${name}:`), text).toBe(true);
      expect(text).toMatch(message);
    });
  }

  it('sample() rejects a bad n or a short state', () => {
    const d = Normal(0, 1);
    const out = new Float64Array(4);
    expect(() => d.sample(streamState(), out, 5)).toThrow(/Normal\(0, 1\)\.sample: n must be .* got 5/);
    expect(() => d.sample(streamState(), out, 1.5)).toThrow(SpikeworldError);
    expect(() => d.sample(new Uint32Array(2), out)).toThrow(/needs 4 words, got 2/);
  });

  it('allowed edge values are accepted', () => {
    expect(() => [Normal(0, 0), LogNormal(0, 0), Normal(0, 1, { min: 1, max: 1 }), Binomial(0, 0), Binomial(5, 1)]).not.toThrow();
  });
});

describe('sampling', () => {
  it('is reproducible for every distribution and differs between streams', () => {
    const all = [Uniform(-1, 1), DiscreteUniform(0, 9), Normal(0, 1), LogNormal(0, 1), Exponential(3), Gamma(0.4, 2), Binomial(500, 0.2)];
    for (const d of all) {
      const a = draw(d, 2000, 'net/0');
      expect(bytesOf(a).equals(bytesOf(draw(d, 2000, 'net/0'))), String(d)).toBe(true);
      expect(bytesOf(a).equals(bytesOf(draw(d, 2000, 'net/1'))), String(d)).toBe(false);
    }
  });

  it('writes only the first n values; sampleOne continues the stream', () => {
    const out = new Float64Array(10).fill(-1);
    const s = streamState();
    Uniform(0, 1).sample(s, out, 4);
    expect([...out.subarray(4)]).toEqual(new Array(6).fill(-1));
    const whole = new Float64Array(5);
    Uniform(0, 1).sample(streamState(), whole);
    expect(Uniform(0, 1).sampleOne(s)).toBe(whole[4]);
  });

  it('Uniform: range [min, max) and moments', () => {
    const xs = draw(Uniform(-3, 5));
    expect(minOf(xs)).toBeGreaterThanOrEqual(-3);
    expect(maxOf(xs)).toBeLessThan(5);
    expectMoments(xs, 1, 64 / 12, -1.2);
  });

  it('DiscreteUniform: integers in [min, max] inclusive, both ends hit, equal frequencies', () => {
    const xs = draw(DiscreteUniform(-2, 3));
    expectPmf(xs, -2, 3, () => 1 / 6);
    expect(minOf(xs)).toBe(-2);
    expect(maxOf(xs)).toBe(3);
    const k = 6;
    expectMoments(xs, 0.5, (k * k - 1) / 12, (-6 * (k * k + 1)) / (5 * (k * k - 1)));
    const bits = draw(DiscreteUniform(0, 1), 1000);
    expect(new Set(bits)).toEqual(new Set([0, 1]));
  });

  it('Normal: moments and distribution', () => {
    const xs = draw(Normal(-65, 4));
    expectMoments(xs, -65, 16, 0);
    expectFraction(xs, (x) => x < -65 - 4, normalCdf(-1));
    expectFraction(xs, (x) => x < -65 + 8, normalCdf(2));
  });

  it('Normal: clamped at min and max, not resampled', () => {
    const xs = draw(Normal(0, 1, { min: -0.5, max: 1 }));
    expect(minOf(xs)).toBe(-0.5);
    expect(maxOf(xs)).toBe(1);
    expectFraction(xs, (x) => x === -0.5, normalCdf(-0.5));
    expectFraction(xs, (x) => x === 1, 1 - normalCdf(1));
  });

  it('LogNormal: moments, positivity and clamping', () => {
    const mu = 0.3;
    const s2 = 0.25;
    const xs = draw(LogNormal(mu, Math.sqrt(s2)));
    expect(minOf(xs)).toBeGreaterThan(0);
    const excess = Math.exp(4 * s2) + 2 * Math.exp(3 * s2) + 3 * Math.exp(2 * s2) - 6;
    expectMoments(xs, Math.exp(mu + s2 / 2), (Math.exp(s2) - 1) * Math.exp(2 * mu + s2), excess);
    const clamped = draw(LogNormal(0, 1, { min: 0.5, max: 2 }));
    expect(minOf(clamped)).toBe(0.5);
    expect(maxOf(clamped)).toBe(2);
    expectFraction(clamped, (x) => x === 2, 1 - normalCdf(Math.log(2)));
    expectFraction(clamped, (x) => x === 0.5, normalCdf(Math.log(0.5)));
  });

  it('Exponential: the argument is the rate (mean 1/rate), not the scale', () => {
    const rate = 4;
    const xs = draw(Exponential(rate));
    expect(minOf(xs)).toBeGreaterThanOrEqual(0);
    expectMoments(xs, 1 / rate, 1 / rate ** 2, 6);
    expectFraction(xs, (x) => x > 0.5, Math.exp(-rate * 0.5));
    const clamped = draw(Exponential(2, { min: 0.1, max: 1 }));
    expect(minOf(clamped)).toBe(0.1);
    expect(maxOf(clamped)).toBe(1);
    expectFraction(clamped, (x) => x === 0.1, 1 - Math.exp(-0.2));
    expectFraction(clamped, (x) => x === 1, Math.exp(-2));
  });

  it('Gamma: shape/scale moments for alpha < 1, = 1 and > 1', () => {
    for (const [alpha, beta] of [
      [0.3, 1],
      [1, 2],
      [3.7, 0.5],
      [50, 0.1],
    ] as const) {
      const xs = draw(Gamma(alpha, beta));
      expect(minOf(xs)).toBeGreaterThan(0);
      expectMoments(xs, alpha * beta, alpha * beta * beta, 6 / alpha);
    }
  });

  it('Gamma: exact distribution checks (alpha = 1 is exponential, alpha = 1/2 is a scaled chi-square)', () => {
    const expo = draw(Gamma(1, 2));
    expectFraction(expo, (x) => x <= 1, 1 - Math.exp(-0.5));
    expectFraction(expo, (x) => x > 6, Math.exp(-3));
    const chi2 = draw(Gamma(0.5, 2)); // = Z²
    expectFraction(chi2, (x) => x <= 1, normalCdf(1) - normalCdf(-1));
    expectFraction(chi2, (x) => x <= 0.01, normalCdf(0.1) - normalCdf(-0.1));
    const clamped = draw(Gamma(1, 2, { max: 3 }));
    expect(maxOf(clamped)).toBe(3);
    expectFraction(clamped, (x) => x === 3, Math.exp(-1.5));
  });

  it('Binomial: exact pmf by inversion, with the flip for p > 1/2, and by splitting', () => {
    expectPmf(draw(Binomial(10, 0.3)), 0, 10, binomialPmf(10, 0.3));
    expectPmf(draw(Binomial(40, 0.9)), 0, 40, binomialPmf(40, 0.9));
    expectPmf(draw(Binomial(100, 0.5)), 0, 100, binomialPmf(100, 0.5));
  });

  it('Binomial: moments for large n (Beta splitting), and degenerate cases', () => {
    for (const [n, p] of [
      [1000, 0.4],
      [1_000_000, 0.001],
      [1_000_000_000, 0.5],
    ] as const) {
      const xs = draw(Binomial(n, p), 50_000);
      expect(xs.every((x) => Number.isInteger(x) && x >= 0 && x <= n)).toBe(true);
      const v = n * p * (1 - p);
      expectMoments(xs, n * p, v, (1 - 6 * p * (1 - p)) / v);
    }
    expect(draw(Binomial(7, 0), 100).every((x) => x === 0)).toBe(true);
    expect(draw(Binomial(7, 1), 100).every((x) => x === 7)).toBe(true);
    expect(draw(Binomial(0, 0.5), 100).every((x) => x === 0)).toBe(true);
  });

  it('DiscreteUniformDistribution is what DiscreteUniform returns', () => {
    expect(DiscreteUniform(0, 1)).toBeInstanceOf(DiscreteUniformDistribution);
  });
});
