/**
 * Defects of the model compiler found by an audit, each pinned with exact values under both back
 * ends (setup({ kernels: 'js' }) and 'auto', whose WebAssembly loop must give the same bits) and
 * both precisions: exponential Euler on a `: population` ODE, where its decay rate B is 0, and a
 * negative refractory period held by a parameter.
 */
import { beforeEach, describe, expect, it } from 'vitest';

import type { Precision } from '../../src/world/populationData.js';
import { clear, compile, Monitor, Neuron, Population, setup, simulate, type NeuronDescription } from '../../src/index.js';

beforeEach(() => clear());

interface Run {
  /** Per recorded variable, [step][neuron]. */
  values: Record<string, number[][]>;
  spikes: number[][];
  backend: string | undefined;
}

/** `steps` steps of dt = 1 of `n` neurons of `desc` (after `values`), recording `vars` and spikes. */
function run(
  kernels: 'js' | 'auto', precision: Precision, desc: NeuronDescription, n: number, steps: number, vars: string[],
  values: Parameters<Population['set']>[0] = {},
): Run {
  clear();
  setup({ dt: 1, seed: 1, kernels, precision });
  const pop = new Population(n, new Neuron(desc));
  pop.set(values);
  const m = new Monitor(pop, [...vars, 'spike']);
  compile();
  simulate(steps);
  const recorded = Object.fromEntries(vars.map((v) => [v, m.get(v).map((row) => [...row])]));
  return { values: recorded, spikes: m.get('spike').map((s) => [...s]), backend: pop.kernelInfo?.backend };
}

/** The run under the JS kernel, after checking that WebAssembly ran it too and gave the same bits. */
function sameBits(...args: Parameters<typeof run> extends [unknown, ...infer Rest] ? Rest : never): Run {
  const js = run('js', ...args);
  const wasm = run('auto', ...args);
  expect(wasm.backend).toBe('wasm');
  expect(wasm.values).toEqual(js.values);
  expect(wasm.spikes).toEqual(js.spikes);
  return js;
}

const column = (rows: number[][], k: number) => rows.map((row) => row[k]);

describe.each(['double', 'float'] as const)('%s storage', (precision) => {
  const round = precision === 'float' ? Math.fround : (x: number) => x;

  it("exponential Euler on a ': population' ODE: x += (1 - exp(-dt/tau)) · (1 - x)", () => {
    const desc = { parameters: 'tau = 10 : population', equations: 'tau * dx/dt = 1 - x : population, exponential\ndv/dt = 0', spike: 'v > 1' };
    const { values } = sameBits(precision, desc, 4, 2, ['x']);
    const k = round(1 - Math.exp(-0.1));
    const x1 = round(k * 1), x2 = round(x1 + round(k * round(1 - x1)));
    expect(values['x']).toEqual([[x1], [x2]]);
    expect(values['x']).toEqual(precision === 'double'
      ? [[0.09516258196404048], [0.18126924692201823]]
      : [[0.09516258537769318], [0.18126925826072693]]);
  });

  describe('exponential Euler where B = 0 steps by the limit A·dt', () => {
    it('B a conductance that is 0 at run time (no input): v stays at its init', () => {
      const desc = { parameters: 'E = 0', equations: 'dv/dt = g_exc * (E - v) : exponential, init = 1', spike: 'v > 100' };
      expect(sameBits(precision, desc, 4, 3, ['v']).values['v']).toEqual([[1, 1, 1, 1], [1, 1, 1, 1], [1, 1, 1, 1]]);
    });

    it('B a parameter folded to 0 (dx/dt = k (1 - x), k = 0): x stays at its init', () => {
      const desc = { parameters: 'k = 0', equations: 'dx/dt = k * (1 - x) : exponential, init = 0.5\ndv/dt = 0', spike: 'v > 100' };
      expect(column(sameBits(precision, desc, 4, 3, ['x']).values['x']!, 0)).toEqual([0.5, 0.5, 0.5]);
    });

    it('B a parameter folded to 0 (dx/dt = 1 - k x, k = 0): x grows by A·dt = 1 per step', () => {
      const desc = { parameters: 'k = 0', equations: 'dx/dt = 1 - k * x : exponential\ndv/dt = 0', spike: 'v > 100' };
      expect(column(sameBits(precision, desc, 4, 3, ['x']).values['x']!, 0)).toEqual([1, 2, 3]);
    });

    it('B per neuron, 0 for one lane of a vector only: that neuron takes the limit, the others the formula to the bit', () => {
      const desc = { parameters: 'k = 1', equations: 'dx/dt = 1 - k * x : exponential\ndv/dt = 0', spike: 'v > 100' };
      const ks = [0, 0.5, 1, 2];
      const { values } = sameBits(precision, desc, 4, 3, ['x'], { k: ks });
      const x = ks.map(() => 0);
      for (let s = 0; s < 3; s++) {
        ks.forEach((k, j) => {
          const kk = round(k);
          // The kernel's operations in its order: (1 - exp(-B·dt)) · (A/B - x), rounded as stored.
          x[j] = k === 0 ? x[j]! + 1 : round(x[j]! + round(round(1 - round(Math.exp(-kk))) * round(round(1 / kk) - x[j]!)));
        });
        expect(values['x']![s]).toEqual(x);
      }
      expect(column(values['x']!, 0)).toEqual([1, 2, 3]);
    });
  });

  describe('a negative refractory period (in a parameter) is none', () => {
    const desc = { parameters: 'tr = -3', equations: 'dv/dt = 1', spike: 'v > 0.5', reset: 'v = 0', refractory: 'tr' };
    const everyStep = [0, 1, 2, 3, 4, 5];

    it('tr = -3 for every neuron (folded): a spike every step, as without refractoriness', () => {
      expect(sameBits(precision, desc, 4, 6, []).spikes).toEqual([everyStep, everyStep, everyStep, everyStep]);
    });

    it('per neuron [-3, 0, 1, -3] behaves as [0, 0, 1, 0]', () => {
      const { spikes } = sameBits(precision, desc, 4, 6, [], { tr: [-3, 0, 1, -3] });
      expect(spikes).toEqual([everyStep, everyStep, [0, 2, 4], everyStep]);
      expect(sameBits(precision, desc, 4, 6, [], { tr: [0, 0, 1, 0] }).spikes).toEqual(spikes);
    });
  });
});

describe("': int' and ': bool' values", () => {
  it('an init that does not fit the type is a ModelError naming the line', () => {
    const model = (equations: string) => () => new Neuron({ equations: `${equations}\ndv/dt = 0`, spike: 'v > 1' });
    expect(model('n = n : int, init = 2.5')).toThrow(/line 1, at 'init': .*int variable 'n' needs an integer init, got 2.5/);
    expect(model('n = n : init = 2.5, int')).toThrow(/int variable 'n' needs an integer init, got 2.5/);
    expect(model('b = b : bool, init = 2')).toThrow(/bool variable 'b' needs init True, False, 1 or 0, got 2/);
    expect(model('b = b : bool, init = True')).not.toThrow();
  });

  it('set() refuses values that do not fit, changing nothing', () => {
    const pop = new Population(2, new Neuron({ parameters: 'k = 2 : int', equations: 'b = b : bool\nx = k\ndv/dt = 0', spike: 'v > 1' }));
    expect(() => pop.set({ k: 2.7 })).toThrow(/population 'pop0', attribute 'k': it is an int: give integers, got 2.7/);
    expect(() => pop.set({ b: [1, 2] })).toThrow(/attribute 'b': it is a bool: give 0 or 1, got 2 for neuron 1/);
    pop.set({ k: 3, b: [1, 0] });
    expect([...pop.get('k'), ...pop.get('b')]).toEqual([3, 3, 1, 0]);
  });
});

it('a model without a spike condition is refused where it is defined (rate-coded models come later)', () => {
  expect(() => new Neuron({ equations: 'dv/dt = -v' })).toThrow(/model 'Neuron', line 1, at 'spike': no spike condition: rate-coded models are not supported yet/);
});

it("a reset that assigns a ': population' variable is a ModelError where the model is defined, naming the line", () => {
  expect(() => new Neuron({ equations: 'c = t : population\ndv/dt = 1', spike: 'v > 2', reset: 'v = 0\nc = 0' })).toThrow(
    /model 'Neuron', line 2, at 'c': reset line 2: the reset cannot assign 'c', one value for the whole population/,
  );
  expect(() => new Neuron({ equations: 'v = v + 1\nm = v : population', spike: 'v > 10', reset: 'v = 0' })).toThrow(/line 2, at 'm': equations line 2: 'm' is one value/);
});

it('a description object without a spike condition, given to a Population, is refused there too', () => {
  expect(() => new Population(2, { equations: 'dv/dt = -v' })).toThrow(/at 'spike': no spike condition/);
});
