import { beforeEach, describe, expect, it } from 'vitest';

import { clear, compile, Monitor, Network, Neuron, Normal, Population, PopulationView, Projection, setup, simulate } from '../../src/index.js';
import { expectError } from '../helpers/core.js';

beforeEach(() => clear());

const lif = () =>
  new Neuron({ parameters: { tau: 10 }, equations: 'tau * dv/dt = -v + g_exc', spike: 'v > 1', reset: 'v = 0' });

describe('PopulationView', () => {
  it('slice and view read and write only their neurons', () => {
    const pop = new Population(6, lif());
    const mid = pop.slice(2, 5);
    expect(mid).toBeInstanceOf(PopulationView);
    expect([...mid.ranks]).toEqual([2, 3, 4]);
    mid.set({ v: [1, 2, 3] });
    expect([...pop.get('v')]).toEqual([0, 0, 1, 2, 3, 0]);
    pop.view([5, 0]).set({ tau: 20 });
    expect([...pop.get('tau')]).toEqual([20, 10, 10, 10, 10, 20]);
    expect([...pop.view([4, 2]).get('v')]).toEqual([3, 1]);
  });

  it("a view's parameter set after compile reaches the kernel (where it was folded as uniform)", () => {
    const run = (change: (pop: Population) => void) => {
      clear();
      setup({ dt: 1 });
      const pop = new Population(4, new Neuron({ parameters: { tau: 10 }, equations: 'tau * dv/dt = -v + 2', spike: 'v > 100' }));
      compile();
      simulate(5);
      change(pop);
      simulate(5);
      return [...pop.get('v')];
    };
    const byView = run((pop) => pop.slice(0, 2).set({ tau: 2 }));
    expect(byView).toEqual(run((pop) => pop.set({ tau: [2, 2, 10, 10] })));
    expect(byView[0]).not.toBe(byView[3]);
  });

  it('rejects ranks outside the population, repeated ranks and wrong lengths, changing nothing', () => {
    const pop = new Population(4, lif());
    expectError(() => pop.view([1, 4]), "view of 'pop0'", 'rank 4 is not in 0..3');
    expectError(() => pop.view([1, 1]), 'rank 1 appears twice');
    // A few ranks of a large population are checked with a set rather than a mark per neuron.
    const large = new Population(1000, lif());
    expectError(() => large.view([5, 7, 5]), 'rank 5 appears twice');
    expect([...large.view([999, 5]).ranks]).toEqual([999, 5]);
    expectError(() => pop.slice(2, 2), 'slice(2, 2) needs integers 0 <= begin < end <= 4 (its size)');
    expectError(() => pop.slice(0, 1000), 'slice(0, 1000) needs integers');
    expectError(() => pop.slice(1.5, 3), 'slice(1.5, 3) needs integers');
    expectError(() => pop.slice('1' as never, 3), "slice('1', 3) needs integers");
    expectError(() => pop.slice(0, 2).set({ v: [1, 2, 3] }), 'got 3 values, expected 2');
    expect([...pop.get('v')]).toEqual([0, 0, 0, 0]);
  });

  it('projections between views draw in the views and store population ranks', () => {
    const pop = new Population(5, lif());
    const proj = new Projection(pop.slice(0, 2), pop.view([4, 1, 0]), 'exc').connectAllToAll({ weights: 1 });
    compile();
    // Pre ranks 0 and 1 to post ranks 4, 1, 0, without the self-pairs 0→0 and 1→1.
    expect([...proj.preRanks]).toEqual([0, 0, 1, 1]);
    expect([...proj.postRanks]).toEqual([4, 1, 4, 0]);
  });

  it('spikes from a view reach only the view’s targets, with the usual one-step latency', () => {
    setup({ dt: 1 });
    const src = new Population(3, new Neuron({ spike: 't == 1' }));
    const dst = new Population(4, new Neuron({ equations: 'v = g_exc', spike: 'v > 1e9' }));
    new Projection(src.view([2]), dst.slice(1, 3), 'exc').connectAllToAll({ weights: 0.5 });
    const m = new Monitor(dst, 'g_exc');
    compile();
    simulate(3);
    expect(m.get('g_exc').map((row) => [...row])).toEqual([
      [0, 0, 0, 0],
      [0, 0, 0, 0],
      [0, 0.5, 0.5, 0],
    ]);
  });

  it('copies of a network keep a projection’s views (same ranks, the copy’s population)', () => {
    const pop = new Population(10, lif());
    const proj = new Projection(pop.slice(0, 5), pop.slice(5), 'exc').connectFixedNumberPost({ number: 2, weights: 1 });
    const net = new Network({ everything: true });
    net.compile();
    const copy = net.get(proj);
    expect(copy.pre).toBeInstanceOf(PopulationView);
    expect((copy.pre as PopulationView).population).toBe(net.get(pop));
    const pre = [...copy.preRanks];
    const post = [...copy.postRanks];
    expect(pre).toEqual([0, 0, 1, 1, 2, 2, 3, 3, 4, 4]);
    for (const q of post) expect(q >= 5 && q < 10).toBe(true);
  });

  it('a monitor on a view records its neurons only, in view order (spike lists by position in the view)', () => {
    setup({ dt: 1 });
    const pop = new Population(4, new Neuron({ equations: 'v = t + rank_offset', parameters: { rank_offset: 0 }, spike: 'v == 2 + rank_offset', reset: '' }));
    pop.set({ rank_offset: [0, 10, 20, 30] });
    const m = new Monitor(pop.view([3, 1]), ['v', 'spike']);
    compile();
    simulate(3);
    expect(m.get('v').map((row) => [...row])).toEqual([
      [30, 10],
      [31, 11],
      [32, 12],
    ]);
    expect(m.get('spike').map((s) => [...s])).toEqual([[2], [2]]);
    const net = new Network({ everything: true });
    net.compile();
    net.simulate(1);
    expect(net.get(m).get('v').map((row) => [...row])).toEqual([[30, 10]]);
  });

  it("ANNarchy's COBA written with views (P[:3200] -> P) fires at 15-24 Hz", () => {
    setup({ dt: 0.1, seed: 2 });
    const COBA = new Neuron({
      parameters: 'El = -60 : population\nVr = -60 : population\nErev_exc = 0 : population\nErev_inh = -80 : population\nVt = -50 : population\ntau = 20 : population\ntau_exc = 5 : population\ntau_inh = 10 : population\nI = 20 : population',
      equations: 'tau * dv/dt = (El - v) + g_exc * (Erev_exc - v) + g_inh * (Erev_inh - v) + I\ntau_exc * dg_exc/dt = - g_exc\ntau_inh * dg_inh/dt = - g_inh',
      spike: 'v > Vt',
      reset: 'v = Vr',
      refractory: 5,
    });
    const P = new Population(4000, COBA);
    P.set({ v: Normal(-55, 5), g_exc: Normal(4, 1.5), g_inh: Normal(20, 12) });
    new Projection(P.slice(0, 3200), P, 'exc').connectFixedProbability({ weights: 0.6, probability: 0.02, allowSelfConnections: true });
    new Projection(P.slice(3200), P, 'inh').connectFixedProbability({ weights: 6.7, probability: 0.02, allowSelfConnections: true });
    const m = new Monitor(P, 'spike');
    compile();
    simulate(1000);
    expect(m.meanFr()).toBeGreaterThan(15);
    expect(m.meanFr()).toBeLessThan(24);
  });
});
