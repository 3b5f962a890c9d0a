/**
 * Bad input: every case throws a SpikeworldError whose message names the offending value or name,
 * and leaves the population / network as it was (the checks run before any write).
 */
import { beforeEach, describe, expect, it } from 'vitest';

import {
  clear,
  compile,
  getCurrentStep,
  Izhikevich,
  ModelError,
  Monitor,
  Network,
  Neuron,
  PoissonPopulation,
  Population,
  Projection,
  reset,
  setup,
  simulate,
  simulateUntil,
  SpikeworldError,
  step,
  Uniform,
} from '../../src/index.js';
import { expectError } from '../helpers/core.js';

beforeEach(() => clear());

const model = () =>
  new Neuron({ name: 'm', parameters: 'a = 1\ng = 2 : population', equations: 'v = v + a + g_exc', spike: 'v > 1e9' });

describe('population attributes', () => {
  it('unknown attribute name: get and set name it and list the real ones', () => {
    const pop = new Population(3, model());
    expectError(() => pop.get('bogus'), "'bogus'", 'a, g, v, r, g_exc');
    expectError(() => pop.set({ bogus: 1 }), "'bogus'");
  });

  it('a failing set({ a: 1, bogus: 2 }) writes nothing', () => {
    const pop = new Population(3, model());
    pop.set({ a: 7 });
    expectError(() => pop.set({ a: 1, bogus: 2 }), "'bogus'");
    expect(Array.from(pop.get('a'))).toEqual([7, 7, 7]);
    // Also when the bad entry comes first, and after compile.
    compile();
    expectError(() => pop.set({ v: [1, 2], a: 3 }), "'v'", '2', '3');
    expect(Array.from(pop.get('a'))).toEqual([7, 7, 7]);
    expect(Array.from(pop.get('v'))).toEqual([0, 0, 0]);
  });

  it('wrong array length: the message names both lengths; the property setter checks too', () => {
    const pop = new Population(3, model());
    expectError(() => pop.set({ v: [1, 2] }), 'got 2 values', 'expected 3');
    expectError(() => {
      (pop as any).v = [1, 2, 3, 4];
    }, '4', '3');
    expect(Array.from(pop.get('v'))).toEqual([0, 0, 0]);
  });

  it('nested arrays follow the geometry (row-major); a wrong nested size names the row and the length', () => {
    const pop = new Population([2, 3], model());
    pop.set({ v: [[1, 2, 3], [4, 5, 6]] });
    expect(Array.from(pop.get('v'))).toEqual([1, 2, 3, 4, 5, 6]);
    expectError(() => pop.set({ v: [[1, 2], [3, 4]] }), '[0] should hold 3 entries', 'got 2');
    expect(Array.from(pop.get('v'))).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('a built-in model called with an unknown parameter names it', () => {
    expectError(() => Izhikevich({ e: 1 } as never), "'e'");
    expectError(() => Izhikevich({ a: Number.NaN }), "'a'");
  });

  it('NaN, strings and other junk are refused with the value named', () => {
    const pop = new Population(2, model());
    expectError(() => pop.set({ a: NaN }), 'NaN');
    expectError(() => pop.set({ a: 'x' as never }), "'x'");
    expectError(() => pop.set({ a: [1, Number.NaN] }), 'entry 1', 'NaN');
    expect(Array.from(pop.get('a'))).toEqual([1, 1]);
  });

  it('a `: population` parameter refuses distributions and arrays, naming it', () => {
    const pop = new Population(3, model());
    expectError(() => pop.set({ g: Uniform(0, 1) }), "'g'", 'single number');
    expectError(() => pop.set({ g: [1, 2, 3] }), "'g'");
    expect(Array.from(pop.get('g'))).toEqual([2]);
  });

  it('a refused distribution does not advance the initialisation stream', () => {
    setup({ seed: 3 });
    const pop = new Population(5, model());
    expectError(() => pop.set({ g: Uniform(0, 1) }), "'g'");
    expectError(() => pop.set({ bogus: Uniform(0, 1) }), "'bogus'");
    pop.set({ v: Uniform(0, 1) });
    const after = Array.from(pop.get('v'));
    clear();
    setup({ seed: 3 });
    const fresh = new Population(5, model());
    fresh.set({ v: Uniform(0, 1) });
    expect(Array.from(fresh.get('v'))).toEqual(after);
  });
});

describe('declarations', () => {
  it('bad geometry names the value and registers nothing', () => {
    for (const g of [0, -1, 2.5, [3, 0], []] as const) {
      expectError(() => new Population(g as never, model()), JSON.stringify(g));
    }
    const pop = new Population([2, 3], model());
    expect(pop.size).toBe(6);
    expect(pop.name).toBe('pop0'); // the failed ones took no id
    compile();
    simulate(1);
    expect(Array.from(pop.get('v'))).toEqual([1, 1, 1, 1, 1, 1]);
  });

  it('a model attribute that clashes with a Population member is refused, naming it', () => {
    const clash = new Neuron({ parameters: { size: 1 }, equations: 'v = size', spike: 'v > 1e9' });
    expectError(() => new Population(2, clash), "'size'");
  });

  it('a refused population (attribute clash) leaves no trace in the network', () => {
    const clash = new Neuron({ parameters: { size: 1 }, equations: 'v = size', spike: 'v > 1e9' });
    expectError(() => new Population(2, clash), "'size'");
    const pop = new Population(2, model());
    expect(pop.name).toBe('pop0');
    expect(() => new Network({ everything: true })).not.toThrow();
  });

  it('a model error is a ModelError (a SpikeworldError) naming the model and the token', () => {
    let caught: unknown;
    try {
      new Neuron({ name: 'broken', equations: 'v = vv + 1', spike: 'v > 1' });
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(ModelError);
    expect(caught).toBeInstanceOf(SpikeworldError);
    expect((caught as Error).message).toContain('broken');
    expect((caught as Error).message).toContain('vv');
  });

  it('a projection onto a target the post model does not use names the target', () => {
    const pop = new Population(3, model());
    expectError(() => new Projection(pop, pop, 'inh'), 'g_inh', 'exc');
    // Nothing was registered: compile works without connecting it.
    compile();
    expect(getCurrentStep()).toBe(0);
  });

  it('a projection to or from something that is not a population names the side', () => {
    const pop = new Population(3, model());
    expectError(() => new Projection(pop, {} as never, 'exc'), 'post', 'Population');
    expectError(() => new Projection(42 as never, pop, 'exc'), 'pre', '42');
    expectError(() => new Projection(pop, pop, '1x'), '1x');
    compile();
  });

  it('connectFixedProbability: probability outside [0, 1] is named', () => {
    const pop = new Population(3, model());
    const proj = new Projection(pop, pop, 'exc');
    expectError(() => proj.connectFixedProbability({ probability: 1.5, weights: 1 }), '1.5');
    expectError(() => proj.connectFixedProbability({ probability: -0.1, weights: 1 }), '-0.1');
    expectError(() => proj.connectFixedProbability({ probability: Number.NaN, weights: 1 }), 'NaN');
    // Still unconnected, so it can be connected properly.
    proj.connectFixedProbability({ probability: 1, weights: 1 });
    compile();
    expect(proj.nbSynapses).toBe(6);
  });

  it('fixedNumberPre / Post: a number larger than the population (or not an integer) is named', () => {
    const a = new Population(3, model());
    const b = new Population(4, model());
    const proj = new Projection(a, b, 'exc');
    expectError(() => proj.connectFixedNumberPre({ number: 5, weights: 1 }), '5', '3');
    expectError(() => proj.connectFixedNumberPost({ number: 5, weights: 1 }), '5', '4');
    expectError(() => proj.connectFixedNumberPre({ number: 2.5, weights: 1 }), '2.5');
    expectError(() => proj.connectFixedNumberPost({ number: -1, weights: 1 }), '-1');
  });

  it('weights and delays must be finite numbers or distributions', () => {
    const pop = new Population(3, model());
    const proj = new Projection(pop, pop, 'exc');
    expectError(() => proj.connectAllToAll({ weights: Number.NaN }), 'weights', 'NaN');
    expectError(() => proj.connectAllToAll({ weights: 1, delays: Infinity }), 'delays', 'Infinity');
    expectError(() => proj.connectAllToAll({ weights: '1' as never }), 'weights');
  });

  it('fromMatrix with the wrong shape names the expected and received sizes; the network stays uncompiled', () => {
    const a = new Population(3, model());
    const b = new Population(2, model());
    const proj = new Projection(a, b, 'exc').connectFromMatrix([
      [1, 1, 1],
      [1, 1, 1],
      [1, 1, 1],
    ]);
    expectError(() => compile(), 'expects 2 rows', 'got 3');
    expectError(() => simulate(1), 'compile');
    proj.connectFromMatrix([
      [1, 1],
      [1, 1, 1],
    ]);
    expectError(() => compile(), 'row 0', '3', 'got 2');
    proj.connectFromMatrix([
      [1, null, 1],
      [1, 1, null],
    ]);
    compile();
    expect(proj.nbSynapses).toBe(4);
  });

  it('compile() with a declared but unconnected projection names it and compiles nothing', () => {
    const a = new Population(3, model(), { name: 'source' });
    const b = new Population(2, model(), { name: 'sink' });
    const proj = new Projection(a, b, 'exc');
    expectError(() => compile(), 'source', 'sink', 'not connected');
    expectError(() => simulate(1), 'compile');
    expectError(() => proj.nbSynapses, 'compile');
    proj.connectAllToAll({ weights: 1 });
    compile();
    expect(proj.nbSynapses).toBe(6);
  });

  it('a population, projection or connect call after compile is refused; the network keeps running', () => {
    const a = new Population(2, model());
    const proj = new Projection(a, a, 'exc').connectAllToAll({ weights: 1 });
    compile();
    simulate(3);
    expectError(() => new Population(2, model()), 'after compile');
    expectError(() => new PoissonPopulation(2, { rates: 1 }), 'after compile');
    expectError(() => new Projection(a, a, 'exc'), 'after compile');
    expectError(() => proj.connectOneToOne({ weights: 1 }), 'after compile');
    expect(proj.nbSynapses).toBe(2);
    simulate(2);
    expect(getCurrentStep()).toBe(5);
  });

  it('Poisson without rates', () => {
    expectError(() => new PoissonPopulation(10, {} as never), 'rates');
    expectError(() => new PoissonPopulation(10, undefined as never), 'rates');
    expectError(() => new PoissonPopulation(10, { rates: [1, 2] }), '2', '10');
  });

  it('setup(): bad dt is named; dt cannot change once populations exist', () => {
    expectError(() => setup({ dt: -1 }), '-1');
    expectError(() => setup({ dt: 0 }), 'dt');
    new Population(1, model());
    expectError(() => setup({ dt: 0.5 }), 'dt');
  });
});

describe('monitors', () => {
  it('an unknown variable is named and the monitor is not registered', () => {
    const pop = new Population(2, model());
    expectError(() => new Monitor(pop, 'vv'), "'vv'", 'spike');
    expectError(() => new Monitor(pop, ['v', 'w']), "'w'");
    compile();
    simulate(2);
    expect(getCurrentStep()).toBe(2);
  });

  it('period <= 0 (or shorter than dt) is named', () => {
    const pop = new Population(2, model());
    expectError(() => new Monitor(pop, 'v', { period: 0 }), 'period', '0');
    expectError(() => new Monitor(pop, 'v', { period: -1 }), '-1');
    expectError(() => new Monitor(pop, 'v', { period: 0.2 }), '0.2');
  });

  it('a monitor of something that is not a population, or with no variable', () => {
    const pop = new Population(2, model());
    expectError(() => new Monitor({} as never, 'v'), 'Population');
    expectError(() => new Monitor(pop, []), 'variable');
    expectError(() => new Monitor(pop, ['v', 'v']), 'twice');
  });
});

describe('running', () => {
  it('simulate / step / reset / simulateUntil before compile', () => {
    const pop = new Population(2, model(), { stopCondition: 'v > 1' });
    expectError(() => simulate(10), 'compile');
    expectError(() => step(), 'compile');
    expectError(() => reset(), 'compile');
    expectError(() => simulateUntil(10, pop), 'compile');
    expect(getCurrentStep()).toBe(0);
  });

  it('a negative or non-finite duration is named and runs nothing', () => {
    new Population(2, model());
    compile();
    simulate(3);
    expectError(() => simulate(-1), '-1');
    expectError(() => simulate(Number.NaN), 'NaN');
    expectError(() => simulate(Infinity), 'Infinity');
    expect(getCurrentStep()).toBe(3);
  });

  it('simulateUntil: population without a stop condition, or a bad operator, is named', () => {
    const a = new Population(2, model(), { name: 'nostop' });
    const b = new Population(2, model(), { stopCondition: 'v > 1' });
    compile();
    expectError(() => simulateUntil(10, a), 'nostop');
    expectError(() => simulateUntil(10, a), "stopCondition: 'spiked : any'");
    expectError(() => simulateUntil(10, b, { operator: 'xor' as never }), 'xor');
    expectError(() => simulateUntil(-5, b), '-5');
    expect(getCurrentStep()).toBe(0);
  });
});
