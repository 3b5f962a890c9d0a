import { beforeEach, expect, it } from 'vitest';

import { clear, compile, Izhikevich, Monitor, Network, Neuron, PoissonPopulation, Population, Projection, reset, simulate } from '../../src/index.js';

beforeEach(() => clear());

it('reset({ monitors: false }) keeps the data and adds the durations: the mean rate stays the source rate', () => {
  const src = new PoissonPopulation(200, { rates: 50 });
  const m = new Monitor(src, 'spike');
  compile();
  simulate(1000);
  reset({ monitors: false });
  simulate(500);
  // 300 000 neuron-steps at p = 0.05: 5 standard errors ≈ 2 Hz.
  expect(Math.abs(m.meanFr() - 50)).toBeLessThan(2);
  expect(m.histogram(1).length).toBe(1000);
});

it('analyses still cover the whole recording after dispose()', () => {
  const src = new PoissonPopulation(10, { rates: 100 });
  const m = new Monitor(src, 'spike');
  const net = new Network({ everything: true });
  net.compile();
  net.simulate(100);
  const mm = net.get(m);
  const before = mm.histogram(10).length;
  net.dispose();
  expect(before).toBe(10);
  expect(mm.histogram(10).length).toBe(10);
  expect(mm.populationRate().length).toBeGreaterThan(0);
});

it('fixed-number connectors between non-overlapping views of one population can use every neuron', () => {
  const pop = new Population(100, new Neuron({ equations: 'v = g_exc', spike: 'v > 1e9' }));
  const proj = new Projection(pop.slice(0, 50), pop.slice(50, 100), 'exc').connectFixedNumberPost({ number: 50, weights: 1 });
  compile();
  expect(proj.nbSynapses).toBe(2500);
});

it('a view of a one-neuron population sets its per-neuron attributes', () => {
  const pop = new Population(1, Izhikevich);
  pop.view([0]).set({ v: -50 });
  expect([...pop.v]).toEqual([-50]);
});
