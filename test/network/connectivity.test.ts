/**
 * Connection methods re-run per network with that network's generator (semantics.md "Networks",
 * "Randomness and seeds"): random connectivity and random weights are drawn again per network,
 * repeat exactly for the same network seed; deterministic patterns come out equal.
 */
import { beforeEach, describe, expect, it } from 'vitest';

import { clear, compile, Izhikevich, Network, PoissonPopulation, Population, Projection, setup, Uniform } from '../../src/index.js';
import { arr, seedNetwork } from './helpers.js';

beforeEach(() => {
  clear();
  setup({ seed: 3 });
});

function compiled(options: ConstructorParameters<typeof Network>[0] = {}): Network {
  const net = new Network({ everything: true, ...options });
  net.compile();
  return net;
}

describe('fixedProbability', () => {
  it('is drawn again per network: networks with different seeds differ', () => {
    const { proj } = seedNetwork(100);
    const a = compiled({ seed: 1 });
    const b = compiled({ seed: 2 });
    const c = compiled(); // derived seed
    const d = compiled(); // another derived seed
    const ranks = [a, b, c, d].map((n) => arr(n.get(proj).postRanks));
    for (let i = 0; i < ranks.length; i++) {
      for (let j = i + 1; j < ranks.length; j++) expect(ranks[i]).not.toEqual(ranks[j]);
    }
    for (const n of [a, b, c, d]) {
      const k = n.get(proj).nbSynapses;
      expect(k).toBeGreaterThan(2000 - 5 * 40); // 10,000 pairs at p = 0.2: 2000 ± 40
      expect(k).toBeLessThan(2000 + 5 * 40);
      expect(arr(n.get(proj).w).every((w) => w === 5)).toBe(true);
    }
  });

  it('repeats exactly for the same network seed (seed option, setSeed, and a seed given as a string)', () => {
    const { proj } = seedNetwork(100);
    const a = compiled({ seed: 7 });
    const b = compiled({ seed: 7 });
    const c = new Network({ everything: true });
    c.setSeed(7);
    c.compile();
    expect(a.seed).toBe(7);
    expect(c.seed).toBe(7);
    for (const n of [b, c]) {
      expect(arr(n.get(proj).postRanks)).toEqual(arr(a.get(proj).postRanks));
      expect(arr(n.get(proj).preRanks)).toEqual(arr(a.get(proj).preRanks));
      expect(arr(n.get(proj).w)).toEqual(arr(a.get(proj).w));
    }
    const s1 = compiled({ seed: 'run-a' });
    const s2 = compiled({ seed: 'run-a' });
    expect(arr(s1.get(proj).postRanks)).toEqual(arr(s2.get(proj).postRanks));
    expect(arr(s1.get(proj).postRanks)).not.toEqual(arr(a.get(proj).postRanks));
  });

  it('the original network\'s own connectivity does not decide the copies\'', () => {
    const { proj } = seedNetwork(60);
    const a = compiled({ seed: 7 });
    // The original compiles in between with its own generator, and another network takes an index:
    // neither changes what a seeded network draws.
    compile();
    expect(proj.nbSynapses).toBeGreaterThan(0);
    new Network();
    const b = compiled({ seed: 7 });
    expect(arr(b.get(proj).postRanks)).toEqual(arr(a.get(proj).postRanks));
  });
});

describe('random weights (Uniform)', () => {
  it('differ between networks with different seeds, repeat for the same seed; the allToAll pattern is the same', () => {
    const pre = new PoissonPopulation(10, { rates: 5 });
    const post = new Population(8, Izhikevich);
    const proj = new Projection(pre, post, 'exc').connectAllToAll({ weights: Uniform(0, 1) });
    const a = compiled({ seed: 1 });
    const b = compiled({ seed: 2 });
    const a2 = compiled({ seed: 1 });
    const wa = arr(a.get(proj).w);
    expect(wa).toHaveLength(80);
    expect(wa.every((w) => w >= 0 && w <= 1)).toBe(true);
    expect(new Set(wa).size).toBeGreaterThan(70);
    expect(arr(b.get(proj).w)).not.toEqual(wa);
    expect(arr(a2.get(proj).w)).toEqual(wa);
    expect(arr(b.get(proj).postRanks)).toEqual(arr(a.get(proj).postRanks));
  });

  it('Uniform weights with fixedProbability: both drawn per network', () => {
    const pre = new PoissonPopulation(30, { rates: 5 });
    const post = new Population(30, Izhikevich);
    const proj = new Projection(pre, post, 'exc').connectFixedProbability({ weights: Uniform(0, 1), probability: 0.5 });
    const a = compiled({ seed: 10 });
    const b = compiled({ seed: 11 });
    const a2 = compiled({ seed: 10 });
    expect(arr(a.get(proj).w)).not.toEqual(arr(b.get(proj).w));
    expect(arr(a2.get(proj).w)).toEqual(arr(a.get(proj).w));
    expect(arr(a2.get(proj).postRanks)).toEqual(arr(a.get(proj).postRanks));
  });
});

describe('deterministic patterns are equal across networks', () => {
  it('allToAll with a constant weight', () => {
    const pre = new PoissonPopulation(3, { rates: 5 });
    const post = new Population(2, Izhikevich);
    const proj = new Projection(pre, post, 'exc').connectAllToAll({ weights: 0.5 });
    for (const net of [compiled({ seed: 1 }), compiled({ seed: 2 }), compiled()]) {
      const c = net.get(proj);
      expect(c.nbSynapses).toBe(6);
      expect(arr(c.preRanks)).toEqual([0, 0, 1, 1, 2, 2]);
      expect(arr(c.postRanks)).toEqual([0, 1, 0, 1, 0, 1]);
      expect(arr(c.w)).toEqual([0.5, 0.5, 0.5, 0.5, 0.5, 0.5]);
    }
  });

  it('oneToOne', () => {
    const pre = new PoissonPopulation(4, { rates: 5 });
    const post = new Population(4, Izhikevich);
    const proj = new Projection(pre, post, 'exc').connectOneToOne({ weights: 2 });
    for (const net of [compiled({ seed: 1 }), compiled({ seed: 2 }), compiled()]) {
      const c = net.get(proj);
      expect(arr(c.preRanks)).toEqual([0, 1, 2, 3]);
      expect(arr(c.postRanks)).toEqual([0, 1, 2, 3]);
      expect(arr(c.w)).toEqual([2, 2, 2, 2]);
    }
  });

  it('connectivity is known only after the network compiles, per copy', () => {
    const { proj } = seedNetwork(10);
    const net = new Network({ everything: true });
    expect(() => net.get(proj).nbSynapses).toThrow(/compile/);
    expect(() => proj.nbSynapses).toThrow(/compile/); // the original is not compiled either
    net.compile();
    expect(net.get(proj).nbSynapses).toBeGreaterThan(0);
    expect(() => proj.nbSynapses).toThrow(/compile/);
  });
});
