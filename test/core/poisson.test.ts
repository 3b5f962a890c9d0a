/**
 * PoissonPopulation: each step neuron i spikes with probability rates[i] · dt / 1000. Counts are
 * binomial, so the bounds are 5 standard errors of the exact binomial law (seeds are fixed, so
 * the tests are deterministic; the bounds make them meaningful for any seed).
 */
import { beforeEach, describe, expect, it } from 'vitest';

import { clear, compile, Monitor, PoissonPopulation, setup, simulate, Uniform } from '../../src/index.js';
import { expectBinomial } from '../helpers/core.js';

beforeEach(() => clear());

function spikeCount(trains: Int32Array[]): number {
  return trains.reduce((n, t) => n + t.length, 0);
}

describe('rates', () => {
  it('1000 neurons x 1000 steps at 20 Hz: total within 5 SE of 20000', () => {
    setup({ seed: 42 });
    const pop = new PoissonPopulation(1000, { rates: 20 });
    const m = new Monitor(pop, 'spike');
    compile();
    simulate(1000);
    const trains = m.get('spike');
    expectBinomial(spikeCount(trains), 1000 * 1000, 0.02);
    // Per neuron: mean 20 spikes, and no neuron far outside the binomial range.
    for (const t of trains) expect(t.length).toBeLessThan(20 + 6 * Math.sqrt(20));
  });

  it('at dt = 0.1 the per-step probability is rate · dt / 1000', () => {
    setup({ dt: 0.1, seed: 4 });
    const pop = new PoissonPopulation(200, { rates: 50 });
    const m = new Monitor(pop, 'spike');
    compile();
    simulate(1000); // 10000 steps, p = 0.005
    expectBinomial(spikeCount(m.get('spike')), 200 * 10000, 0.005);
  });

  it('rates per neuron (an array): each neuron at its own rate; rate 0 never fires', () => {
    setup({ seed: 9 });
    const rates = [0, 5, 50, 200];
    const pop = new PoissonPopulation(4, { rates });
    const m = new Monitor(pop, 'spike');
    compile();
    simulate(20000);
    const trains = m.get('spike');
    expect(trains[0]).toHaveLength(0);
    for (let i = 1; i < 4; i++) expectBinomial(trains[i]!.length, 20000, rates[i]! / 1000);
    expect(Array.from(pop.rates)).toEqual(rates);
  });

  it('rates = 0 never spikes', () => {
    setup({ seed: 1 });
    const pop = new PoissonPopulation(500, { rates: 0 });
    const m = new Monitor(pop, 'spike');
    compile();
    simulate(1000);
    expect(spikeCount(m.get('spike'))).toBe(0);
  });

  it('rate · dt / 1000 >= 1 spikes every step', () => {
    setup({ seed: 1, dt: 0.5 });
    const pop = new PoissonPopulation(10, { rates: 2000 });
    const m = new Monitor(pop, 'spike');
    compile();
    simulate(10);
    for (const t of m.get('spike')) expect(Array.from(t)).toEqual([...Array(20).keys()]);
  });

  it('a rate change mid-run takes effect at the next step', () => {
    setup({ seed: 3 });
    const pop = new PoissonPopulation(1000, { rates: 0 });
    const m = new Monitor(pop, 'spike');
    compile();
    simulate(100);
    pop.rates = 100;
    simulate(100);
    const trains = m.get('spike');
    let total = 0;
    for (const t of trains) {
      for (const s of t) expect(s).toBeGreaterThanOrEqual(100);
      total += t.length;
    }
    expectBinomial(total, 1000 * 100, 0.1);
    // ...and back to silence.
    pop.set({ rates: 0 });
    simulate(50);
    expect(spikeCount(m.get('spike'))).toBe(0);
  });

  it('rates from a distribution: sampled once per neuron, within range', () => {
    setup({ seed: 6 });
    const pop = new PoissonPopulation(300, { rates: Uniform(10, 30) });
    const rates = pop.rates;
    expect(rates).toHaveLength(300);
    for (const r of rates) {
      expect(r).toBeGreaterThanOrEqual(10);
      expect(r).toBeLessThan(30);
    }
    expect(new Set(rates).size).toBeGreaterThan(290);
    const m = new Monitor(pop, 'spike');
    compile();
    simulate(1000);
    const expected = rates.reduce((a, r) => a + r, 0); // spikes expected in 1 s
    const total = spikeCount(m.get('spike'));
    expect(Math.abs(total - expected)).toBeLessThan(5 * Math.sqrt(expected));
    // Reading rates returns a copy.
    rates[0] = -1;
    expect(pop.rates[0]).not.toBe(-1);
  });

  it('inter-spike intervals are geometric: mean ≈ 1000 / rate ms, CV ≈ sqrt(1 - p)', () => {
    setup({ seed: 12 });
    const pop = new PoissonPopulation(100, { rates: 100 }); // p = 0.1
    const m = new Monitor(pop, 'spike');
    compile();
    simulate(2000);
    const isi = m.interSpikeInterval();
    let mean = 0;
    for (const x of isi) mean += x;
    mean /= isi.length;
    // Geometric(p) on {1, 2, ...}: mean 1/p = 10 steps, sd sqrt(1-p)/p ≈ 9.49.
    expect(Math.abs(mean - 10)).toBeLessThan((5 * 9.49) / Math.sqrt(isi.length));
    const cv = m.coefficientOfVariation();
    let cvMean = 0;
    for (const x of cv) cvMean += x;
    cvMean /= cv.length;
    expect(cvMean).toBeGreaterThan(0.85);
    expect(cvMean).toBeLessThan(1.05);
  });

  it('neurons are independent: the number of steps where two given neurons both fire is binomial(p²)', () => {
    // Sources 0–3 draw from four lane streams side by side, 4–7 the same lanes' next words
    // (random/lanes.ts): pairs across lanes and within a lane.
    setup({ seed: 21 });
    const pop = new PoissonPopulation(8, { rates: 300 }); // p = 0.3
    const m = new Monitor(pop, 'spike');
    compile();
    simulate(20000);
    const trains = m.get('spike');
    for (const t of trains) expectBinomial(t.length, 20000, 0.3);
    for (const [i, j] of [[0, 1], [0, 2], [1, 3], [2, 3], [0, 4], [3, 7], [1, 6]] as const) {
      const fired = new Set(trains[i]);
      let both = 0;
      for (const s of trains[j]!) if (fired.has(s)) both++;
      expectBinomial(both, 20000, 0.09);
    }
  });
});
