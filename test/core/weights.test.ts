import { beforeEach, expect, it } from 'vitest';

import { clear, compile, Monitor, Network, Neuron, Population, Projection, simulate, Uniform } from '../../src/index.js';
import { expectError } from '../helpers/core.js';

beforeEach(() => clear());

it('proj.w can be set after compile: one number, one value per synapse, or a distribution; the next step uses it', () => {
  const pre = new Population(2, new Neuron({ spike: 't == 1' }));
  const post = new Population(1, new Neuron({ equations: 'v = g_exc', spike: 'v > 1e9' }));
  const proj = new Projection(pre, post, 'exc').connectAllToAll({ weights: 1 });
  const m = new Monitor(post, 'g_exc');
  expect(() => (proj.w = 2)).toThrow(/w is known after compile\(\)/);
  compile();
  proj.w = [0.5, 0.25];
  simulate(3);
  expect(m.get('g_exc').map((row) => row[0])).toEqual([0, 0, 0.75]);
  proj.w = 3;
  expect([...proj.w]).toEqual([3, 3]);
  proj.w = Uniform(0, 1);
  for (const w of proj.w) expect(w >= 0 && w < 1).toBe(true);
  const before = [...proj.w];
  expectError(() => (proj.w = [1, 2, 3]), 'weights', 'got 3 values, expected 2 (one per synapse in CSR order)');
  expect([...proj.w]).toEqual(before);
});

it('a network seed that is not a finite number or a string is refused, naming it', () => {
  expectError(() => new Network({ seed: Number.NaN }), 'a seed must be a finite number or a string, got NaN');
  expectError(() => new Network({ seed: {} as never }), 'a seed must be a finite number or a string');
});
