/**
 * Connectors: exact synapse counts and patterns, CSR order (by pre rank), weights and delays,
 * and reproducibility from the seed.
 */
import { beforeEach, describe, expect, it } from 'vitest';

import {
  clear,
  compile,
  DiscreteUniform,
  Izhikevich,
  Monitor,
  Neuron,
  Normal,
  PoissonPopulation,
  Population,
  Projection,
  setup,
  simulate,
  Uniform,
} from '../../src/index.js';
import { expectBinomial } from '../helpers/core.js';

beforeEach(() => clear());

const target = () => new Neuron({ name: 'target', equations: 'v = g_exc', spike: 'v > 1e9' });

function pairs(proj: Projection): [number, number][] {
  const pre = proj.preRanks;
  const post = proj.postRanks;
  return Array.from(pre, (p, k) => [p, post[k] as number]);
}

/** CSR order: pre ranks non-decreasing, post ranks ascending within a row, no duplicates. */
function expectCsrOrder(proj: Projection): void {
  const pre = proj.preRanks;
  const post = proj.postRanks;
  for (let k = 1; k < pre.length; k++) {
    expect(pre[k]! > pre[k - 1]! || (pre[k] === pre[k - 1] && post[k]! > post[k - 1]!)).toBe(true);
  }
}

describe('deterministic patterns', () => {
  it('allToAll between two populations: every pair, in CSR order', () => {
    const a = new Population(3, target());
    const b = new Population(4, target());
    const proj = new Projection(a, b, 'exc').connectAllToAll({ weights: 0.5 });
    compile();
    expect(proj.nbSynapses).toBe(12);
    expect(pairs(proj)).toEqual([0, 1, 2].flatMap((p) => [0, 1, 2, 3].map((q) => [p, q])));
    expect(Array.from(proj.w)).toEqual(new Array(12).fill(0.5));
    expect(proj.w).toBeInstanceOf(Float32Array);
  });

  it('allToAll on one population: no self-connections unless allowed', () => {
    const pop = new Population(5, target());
    const no = new Projection(pop, pop, 'exc').connectAllToAll({ weights: 1 });
    const yes = new Projection(pop, pop, 'exc').connectAllToAll({ weights: 1, allowSelfConnections: true });
    compile();
    expect(no.nbSynapses).toBe(20);
    expect(pairs(no).some(([p, q]) => p === q)).toBe(false);
    expect(yes.nbSynapses).toBe(25);
    expectCsrOrder(no);
    expectCsrOrder(yes);
  });

  it('allToAll between two different populations of the same size keeps i -> i', () => {
    const a = new Population(3, target());
    const b = new Population(3, target());
    const proj = new Projection(a, b, 'exc').connectAllToAll({ weights: 1 });
    compile();
    expect(proj.nbSynapses).toBe(9);
  });

  it('oneToOne: i -> i for i < min(sizes)', () => {
    const a = new Population(5, target());
    const b = new Population(3, target());
    const c = new Population(7, target());
    const ab = new Projection(a, b, 'exc').connectOneToOne({ weights: 2 });
    const ac = new Projection(a, c, 'exc').connectOneToOne({ weights: 3 });
    compile();
    expect(pairs(ab)).toEqual([[0, 0], [1, 1], [2, 2]]);
    expect(pairs(ac)).toEqual([[0, 0], [1, 1], [2, 2], [3, 3], [4, 4]]);
    expect(Array.from(ac.w)).toEqual([3, 3, 3, 3, 3]);
  });

  it('fromMatrix: [post][pre], null entries skipped, weights exact (as float32), CSR by pre', () => {
    const a = new Population(3, target());
    const b = new Population(2, target());
    const proj = new Projection(a, b, 'exc').connectFromMatrix([
      [0.1, null, 2],
      [-1, 0, null],
    ]);
    compile();
    expect(proj.nbSynapses).toBe(4);
    expect(pairs(proj)).toEqual([[0, 0], [0, 1], [1, 1], [2, 0]]);
    expect(Array.from(proj.w)).toEqual([Math.fround(0.1), -1, 0, 2]);
    expect(Array.from(proj.delay)).toEqual([1, 1, 1, 1]);
  });

  it('fromMatrix with a delay distribution: one delay per existing synapse, in whole steps', () => {
    setup({ seed: 2 });
    const a = new Population(4, target());
    const b = new Population(3, target());
    const matrix = [
      [1, 1, null, 1],
      [null, 1, 1, 1],
      [1, null, 1, null],
    ];
    const proj = new Projection(a, b, 'exc').connectFromMatrix(matrix, { delays: DiscreteUniform(2, 6) });
    compile();
    expect(proj.nbSynapses).toBe(8);
    const d = proj.delay;
    expect(d).toHaveLength(8);
    for (const x of d) expect([2, 3, 4, 5, 6]).toContain(x);
    expect(new Set(d).size).toBeGreaterThan(1);
  });
});

describe('random patterns', () => {
  it('fixedNumberPre: every post has exactly k distinct pre (no self within one population)', () => {
    setup({ seed: 5 });
    const pop = new Population(30, target());
    const other = new Population(20, target());
    const self = new Projection(pop, pop, 'exc').connectFixedNumberPre({ number: 7, weights: 1 });
    const across = new Projection(other, pop, 'exc').connectFixedNumberPre({ number: 20, weights: 1 });
    compile();
    expect(self.nbSynapses).toBe(30 * 7);
    const perPost = new Map<number, number[]>();
    for (const [p, q] of pairs(self)) perPost.set(q, [...(perPost.get(q) ?? []), p]);
    expect(perPost.size).toBe(30);
    for (const [q, pres] of perPost) {
      expect(pres).toHaveLength(7);
      expect(new Set(pres).size).toBe(7);
      expect(pres).not.toContain(q);
    }
    expectCsrOrder(self);
    // k = pre size: everyone.
    expect(across.nbSynapses).toBe(600);
  });

  it('fixedNumberPost: every pre reaches exactly k distinct posts (no self within one population)', () => {
    setup({ seed: 6 });
    const pop = new Population(25, target());
    const proj = new Projection(pop, pop, 'exc').connectFixedNumberPost({ number: 24, weights: 1 });
    const small = new Population(10, target());
    const proj2 = new Projection(small, pop, 'exc').connectFixedNumberPost({ number: 3, weights: 1 });
    compile();
    // k = size - 1 without self: every other neuron.
    expect(proj.nbSynapses).toBe(25 * 24);
    expect(pairs(proj).some(([p, q]) => p === q)).toBe(false);
    expect(proj2.nbSynapses).toBe(30);
    const perPre = new Map<number, Set<number>>();
    for (const [p, q] of pairs(proj2)) perPre.set(p, (perPre.get(p) ?? new Set()).add(q));
    expect(perPre.size).toBe(10);
    for (const posts of perPre.values()) expect(posts.size).toBe(3);
    expectCsrOrder(proj2);
  });

  it('fixedNumberPre: a k that needs self-connections is refused at compile', () => {
    const pop = new Population(5, target());
    new Projection(pop, pop, 'exc').connectFixedNumberPre({ number: 5, weights: 1 });
    expect(() => compile()).toThrow(/5/);
  });

  it('fixedNumberPre picks different pre sets for different posts (not one set repeated)', () => {
    setup({ seed: 8 });
    const a = new Population(100, target());
    const b = new Population(10, target());
    const proj = new Projection(a, b, 'exc').connectFixedNumberPre({ number: 10, weights: 1 });
    compile();
    const sets = new Map<number, string>();
    const perPost = new Map<number, number[]>();
    for (const [p, q] of pairs(proj)) perPost.set(q, [...(perPost.get(q) ?? []), p]);
    for (const [q, pres] of perPost) sets.set(q, pres.sort((x, y) => x - y).join(','));
    expect(new Set(sets.values()).size).toBe(10);
  });

  it('fixedNumberPre / Post choose uniformly: each candidate is picked with probability k / n', () => {
    setup({ seed: 15 });
    const few = new Population(4, target());
    const many = new Population(4000, target());
    const pre1 = new Projection(few, many, 'exc').connectFixedNumberPre({ number: 1, weights: 1 });
    const pre3 = new Projection(few, many, 'exc').connectFixedNumberPre({ number: 3, weights: 1 });
    const post1 = new Projection(many, few, 'exc').connectFixedNumberPost({ number: 1, weights: 1 });
    // Same population without self: the 3 others are equally likely.
    const self = new Population(4, target());
    const selfProjs = Array.from({ length: 300 }, () =>
      new Projection(self, self, 'exc').connectFixedNumberPre({ number: 1, weights: 1 }),
    );
    compile();
    const count = (ranks: Uint32Array, n: number) => {
      const c = new Array(n).fill(0);
      for (const r of ranks) c[r]++;
      return c;
    };
    for (const c of count(pre1.preRanks, 4)) expectBinomial(c, 4000, 1 / 4);
    for (const c of count(pre3.preRanks, 4)) expectBinomial(c, 4000, 3 / 4);
    for (const c of count(post1.postRanks, 4)) expectBinomial(c, 4000, 1 / 4);
    // For post 0, the pre is 1, 2 or 3 with probability 1/3 each.
    const forPost0 = [0, 0, 0, 0];
    for (const proj of selfProjs) {
      const k = Array.from(proj.postRanks).indexOf(0);
      forPost0[proj.preRanks[k]!]!++;
    }
    expect(forPost0[0]).toBe(0);
    for (const c of forPost0.slice(1)) expectBinomial(c, 300, 1 / 3);
  });

  it('fixedProbability: count binomial, no self, all pairs possible', () => {
    setup({ seed: 10 });
    const pop = new Population(200, target());
    const proj = new Projection(pop, pop, 'exc').connectFixedProbability({ probability: 0.1, weights: 1 });
    compile();
    expectBinomial(proj.nbSynapses, 200 * 199, 0.1);
    expect(pairs(proj).some(([p, q]) => p === q)).toBe(false);
    expectCsrOrder(proj);
    // Every post rank and every pre rank shows up (each has ~20 synapses).
    expect(new Set(proj.postRanks).size).toBe(200);
    expect(new Set(proj.preRanks).size).toBe(200);
  });

  it('fixedProbability with self-connections allowed, and the extremes p = 0 and p = 1', () => {
    setup({ seed: 11 });
    const pop = new Population(100, target());
    const withSelf = new Projection(pop, pop, 'exc').connectFixedProbability({ probability: 0.3, weights: 1, allowSelfConnections: true });
    const none = new Projection(pop, pop, 'exc').connectFixedProbability({ probability: 0, weights: 1 });
    const all = new Projection(pop, pop, 'exc').connectFixedProbability({ probability: 1, weights: 1 });
    compile();
    expectBinomial(withSelf.nbSynapses, 100 * 100, 0.3);
    const diagonal = pairs(withSelf).filter(([p, q]) => p === q).length;
    expectBinomial(diagonal, 100, 0.3);
    expect(none.nbSynapses).toBe(0);
    expect(all.nbSynapses).toBe(100 * 99);
  });

  it('fixedProbability: each post column is hit uniformly (no bias toward low or high ranks)', () => {
    setup({ seed: 13 });
    const a = new Population(2000, target());
    const b = new Population(4, target());
    const proj = new Projection(a, b, 'exc').connectFixedProbability({ probability: 0.25, weights: 1 });
    compile();
    const perPost = [0, 0, 0, 0];
    for (const q of proj.postRanks) perPost[q]!++;
    for (const c of perPost) expectBinomial(c, 2000, 0.25);
  });

  it('weights from a distribution are within range and vary; Normal with bounds is clamped', () => {
    setup({ seed: 14 });
    const a = new Population(50, target());
    const b = new Population(50, target());
    const u = new Projection(a, b, 'exc').connectAllToAll({ weights: Uniform(0.2, 0.8) });
    const n = new Projection(b, a, 'exc').connectAllToAll({ weights: Normal(0, 1, { min: -0.5, max: 0.5 }) });
    compile();
    const w = u.w;
    expect(w).toHaveLength(2500);
    let mean = 0;
    for (const x of w) {
      expect(x).toBeGreaterThanOrEqual(Math.fround(0.2));
      expect(x).toBeLessThanOrEqual(Math.fround(0.8));
      mean += x;
    }
    mean /= w.length;
    expect(Math.abs(mean - 0.5)).toBeLessThan(5 * (0.6 / Math.sqrt(12)) / 50);
    expect(new Set(w).size).toBeGreaterThan(2400);
    for (const x of n.w) {
      expect(x).toBeGreaterThanOrEqual(-0.5);
      expect(x).toBeLessThanOrEqual(0.5);
    }
  });
});

describe('seeds', () => {
  function build(seed: number) {
    clear();
    setup({ seed });
    const input = new PoissonPopulation(50, { rates: 40 });
    const pop = new Population(60, target());
    const fp = new Projection(input, pop, 'exc').connectFixedProbability({ probability: 0.2, weights: Uniform(0, 1), delays: DiscreteUniform(1, 5) });
    const fn = new Projection(pop, pop, 'exc').connectFixedNumberPre({ number: 4, weights: Normal(1, 0.1) });
    const m = new Monitor(input, 'spike');
    compile();
    simulate(100);
    return {
      post: fp.postRanks,
      pre: fp.preRanks,
      w: fp.w,
      delay: fp.delay,
      post2: fn.postRanks,
      w2: fn.w,
      spikes: m.get('spike'),
    };
  }

  it('setup({ seed }) twice gives byte-identical connectivity, weights, delays and spikes', () => {
    const a = build(1);
    const b = build(1);
    expect(Buffer.from(a.post.buffer, a.post.byteOffset, a.post.byteLength)).toEqual(
      Buffer.from(b.post.buffer, b.post.byteOffset, b.post.byteLength),
    );
    expect(Buffer.from(a.w.buffer, a.w.byteOffset, a.w.byteLength)).toEqual(Buffer.from(b.w.buffer, b.w.byteOffset, b.w.byteLength));
    expect(a.pre).toEqual(b.pre);
    expect(a.delay).toEqual(b.delay);
    expect(a.post2).toEqual(b.post2);
    expect(a.w2).toEqual(b.w2);
    expect(a.spikes).toEqual(b.spikes);
    expect(a.spikes.reduce((n, s) => n + s.length, 0)).toBeGreaterThan(50);
  });

  it('different seeds give different connectivity, weights and spikes', () => {
    const a = build(1);
    const b = build(2);
    expect(a.post).not.toEqual(b.post);
    expect(a.w.slice(0, 50)).not.toEqual(b.w.slice(0, 50));
    expect(a.post2).not.toEqual(b.post2);
    expect(a.spikes).not.toEqual(b.spikes);
  });

  it('string seeds work and are deterministic too', () => {
    clear();
    setup({ seed: 'abc' });
    const a = new Population(40, target());
    const p1 = new Projection(a, a, 'exc').connectFixedProbability({ probability: 0.3, weights: 1 });
    compile();
    const first = p1.postRanks;
    clear();
    setup({ seed: 'abc' });
    const b = new Population(40, target());
    const p2 = new Projection(b, b, 'exc').connectFixedProbability({ probability: 0.3, weights: 1 });
    compile();
    expect(p2.postRanks).toEqual(first);
  });
});

describe('fixed-number connectivity is pinned for a seed', () => {
  // FNV-1a over the (pre, post) pairs. Few picks per row are sorted, many are collected by a scan
  // of every candidate (a scan per row cost pre × post: 18 s at 100k × 100k); both give these.
  const hash = (p: Projection) => {
    let x = 0x811c9dc5;
    const r = p.preRanks, q = p.postRanks;
    for (let k = 0; k < r.length; k++) {
      x = Math.imul(x ^ (r[k] as number), 0x01000193);
      x = Math.imul(x ^ (q[k] as number), 0x01000193);
    }
    return [(x >>> 0).toString(16), r.length];
  };

  it('connectFixedNumberPre / Post, sparse (sorted picks) and dense (scanned), with and without self-connections', () => {
    setup({ seed: 77 });
    const a = new Population(2000, Izhikevich);
    const b = new Population(500, Izhikevich);
    const pre = new Projection(a, b, 'exc').connectFixedNumberPre({ number: 20, weights: 1 });
    const post = new Projection(a, b, 'inh').connectFixedNumberPost({ number: 15, weights: 1 });
    const self = new Projection(a, a, 'exc').connectFixedNumberPre({ number: 30, weights: 1 });
    const dense = new Projection(b, b, 'inh').connectFixedNumberPost({ number: 200, weights: 1 });
    compile();
    expect([pre, post, self, dense].map(hash)).toEqual([['fa1da50c', 10000], ['7fb0def0', 30000], ['715352cb', 60000], ['b422e8d0', 100000]]);
  });
});

describe('connectFromMatrix builds its rows in one row-major pass', () => {
  it('a [post][pre] matrix with holes (null, NaN, undefined) gives the synapses by pre rank, posts ascending, with their weights', () => {
    const pre = 23, post = 37;
    const entry = (q: number, p: number) => ((q * 5 + p * 3) % 7 === 0 ? null : (q + p) % 11 === 0 ? Number.NaN : (q * 3 + p) % 13 === 0 ? undefined : q + p / 100);
    const matrix = Array.from({ length: post }, (_, q) => Array.from({ length: pre }, (_, p) => entry(q, p)));
    setup({ seed: 1 });
    const a = new Population(pre, Izhikevich);
    const b = new Population(post, Izhikevich);
    const proj = new Projection(a, b, 'exc').connectFromMatrix(matrix as (number | null)[][]);
    compile();
    // The order a walk by pre, then by post, gives.
    const expected: [number, number, number][] = [];
    for (let p = 0; p < pre; p++) {
      for (let q = 0; q < post; q++) {
        const x = entry(q, p);
        if (x !== null && x !== undefined && !Number.isNaN(x)) expected.push([p, q, Math.fround(x)]);
      }
    }
    const w = proj.w as Float32Array;
    expect(Array.from(proj.preRanks, (p, k) => [p, proj.postRanks[k], w[k]])).toEqual(expected);
    expect(expected.length).toBeGreaterThan(500);
  });
});
