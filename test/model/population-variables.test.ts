/** `: population` variables: one value per population, updated once per step before the neurons. */
import { beforeEach, expect, it } from 'vitest';

import { clear, compile, Monitor, Neuron, Population, setup, simulate } from '../../src/index.js';
import { expectError } from '../helpers/core.js';

beforeEach(() => clear());

it.each(['auto', 'js'] as const)('a population variable follows its ODE once per step and neurons read it (kernels: %s)', (kernels) => {
  setup({ dt: 0.5, kernels });
  const model = new Neuron({
    parameters: 'rate = 2 : population\nk = 1',
    equations: `
      dclock/dt = rate : population
      drive = clock * 10 : population
      v = drive + k
    `,
    spike: 'v > 1e9',
  });
  const pop = new Population(4, model);
  pop.set({ k: [0, 1, 2, 3] });
  const m = new Monitor(pop, ['clock', 'drive', 'v']);
  compile();
  simulate(2);
  expect(m.get('clock').map((row) => [...row])).toEqual([[1], [2], [3], [4]]);
  expect(m.get('drive').map((row) => [...row])).toEqual([[10], [20], [30], [40]]);
  expect([...m.get('v')[3]!]).toEqual([40, 41, 42, 43]);
  expect([...pop.get('clock')]).toEqual([4]);
});

it('a population equation that reads a per-neuron value is refused when the model is declared, naming both', () => {
  expectError(
    () => new Neuron({ equations: 'v = v + 1\nm = v : population', spike: 'v > 10', reset: 'v = 0' }),
    "'m' is one value for the population",
    "per-neuron 'v'",
  );
  // A per-neuron parameter is refused even when all its values are equal (it could change later).
  expectError(
    () => new Neuron({ parameters: { tau: 10 }, equations: 'dG/dt = (1 - G) / tau : population\ndv/dt = G', spike: 'v > 1e9', reset: 'v = 0' }),
    "per-neuron 'tau'",
  );
  // Its bounds too (they once passed and failed at simulate() with "v_v is not defined").
  expectError(
    () => new Neuron({ equations: 'G = t : population, max = v\ndv/dt = -v + 1', spike: 'v > 2', reset: 'v = 0' }),
    "'G' is one value for the population (': population'), so its max cannot use the per-neuron 'v'",
  );
  expectError(() => new Neuron({ equations: 'G = t : population, min = 2 * v\ndv/dt = -v', spike: 'v > 2', reset: 'v = 0' }), "its min cannot use the per-neuron 'v'");
  // A draw is one number per neuron too (a bound with one failed at the first step, 'i is not defined').
  expectError(() => new Neuron({ equations: 'x = t : population, min = Normal(0, 1)\ndv/dt = -v', spike: 'v > 2', reset: 'v = 0' }), "its min cannot use a random draw");
  expectError(() => new Neuron({ equations: 'x = Normal(0, 1) : population\ndv/dt = -v', spike: 'v > 2', reset: 'v = 0' }), "its equation cannot use a random draw");
});
