/**
 * The seed network of the brief: Poisson 100 @ 10 Hz -> Izhikevich 100, p = 0.2, w = 5, 1000 ms.
 * Same seed -> identical spikes; different seeds -> different spikes; and the Izhikevich spikes
 * are exactly those of a hand-written reference driven by the recorded Poisson spikes and the
 * drawn connectivity (one-step transmission, ANNarchy's Izhikevich update).
 */
import { beforeEach, describe, expect, it } from 'vitest';

import {
  clear,
  compile,
  Izhikevich,
  Monitor,
  PoissonPopulation,
  Population,
  Projection,
  setup,
  simulate,
} from '../../src/index.js';
import { expectBinomial, trains } from '../helpers/core.js';

beforeEach(() => clear());

function seedNetwork(seed: number | undefined, durationMs = 1000) {
  clear();
  if (seed !== undefined) setup({ seed });
  const input = new PoissonPopulation(100, { rates: 10 });
  const pop = new Population(100, Izhikevich);
  const proj = new Projection(input, pop, 'exc').connectFixedProbability({ probability: 0.2, weights: 5 });
  const m = new Monitor(pop, 'spike');
  const mi = new Monitor(input, 'spike');
  compile();
  simulate(durationMs);
  return {
    spikes: m.get('spike'),
    inputSpikes: mi.get('spike'),
    preRanks: proj.preRanks,
    postRanks: proj.postRanks,
    w: proj.w,
    nbSynapses: proj.nbSynapses,
  };
}

const total = (s: Int32Array[]) => s.reduce((n, t) => n + t.length, 0);

describe('seed network', () => {
  it('same seed: identical spike arrays (input and output), run after run', () => {
    const a = seedNetwork(1);
    const b = seedNetwork(1);
    expect(trains(a.spikes)).toEqual(trains(b.spikes));
    expect(trains(a.inputSpikes)).toEqual(trains(b.inputSpikes));
    expect(a.postRanks).toEqual(b.postRanks);
    expect(total(a.spikes)).toBeGreaterThan(0);
  });

  it('different seeds: different connectivity and spikes', () => {
    const a = seedNetwork(1);
    const b = seedNetwork(2);
    expect(a.postRanks).not.toEqual(b.postRanks);
    expect(trains(a.inputSpikes)).not.toEqual(trains(b.inputSpikes));
    expect(trains(a.spikes)).not.toEqual(trains(b.spikes));
  });

  it('without setup({ seed }) two runs differ (a fresh master seed per clear())', () => {
    const a = seedNetwork(undefined, 200);
    const b = seedNetwork(undefined, 200);
    expect(trains(a.inputSpikes)).not.toEqual(trains(b.inputSpikes));
  });

  it('counts: synapses ~ Binomial(10000, 0.2), input spikes ~ Binomial(100000, 0.01), output plausible', () => {
    const r = seedNetwork(3);
    expectBinomial(r.nbSynapses, 100 * 100, 0.2);
    expectBinomial(total(r.inputSpikes), 100 * 1000, 0.01);
    // Each Izhikevich neuron receives ~20 inputs x 10 Hz of 5 mV kicks: a few Hz, well below the input.
    const out = total(r.spikes);
    expect(out).toBeGreaterThan(50);
    expect(out).toBeLessThan(total(r.inputSpikes));
    expect(Array.from(r.w).every((x) => x === 5)).toBe(true);
  });

  it('output spikes equal a reference Izhikevich loop fed with the recorded input spikes', () => {
    const r = seedNetwork(4);
    const steps = 1000;
    // Spikes of the input per step.
    const byStep: number[][] = Array.from({ length: steps }, () => []);
    r.inputSpikes.forEach((t, rank) => t.forEach((s) => byStep[s]!.push(rank)));
    // Outgoing synapses per pre rank.
    const out: [number, number][][] = Array.from({ length: 100 }, () => []);
    for (let k = 0; k < r.nbSynapses; k++) out[r.preRanks[k]!]!.push([r.postRanks[k]!, r.w[k]!]);
    const v = new Float64Array(100).fill(-65);
    const u = new Float64Array(100).fill(-13);
    const g = new Float64Array(100);
    const expected: number[][] = Array.from({ length: 100 }, () => []);
    for (let s = 0; s < steps; s++) {
      g.fill(0);
      if (s > 0) for (const p of byStep[s - 1]!) for (const [q, w] of out[p]!) g[q] += w;
      for (let i = 0; i < 100; i++) {
        const I = g[i]!;
        const dv = 0.04 * (v[i]! * v[i]!) + 5.0 * v[i]! + 140.0 - u[i]! + I;
        const du = 0.02 * (0.2 * v[i]! - u[i]!);
        v[i] = v[i]! + dv;
        u[i] = u[i]! + du;
        if (v[i]! > 30) {
          v[i] = -65;
          u[i] = u[i]! + 8;
          expected[i]!.push(s);
        }
      }
    }
    expect(trains(r.spikes)).toEqual(expected);
  });
});
