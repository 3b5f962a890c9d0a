/**
 * Simulation control as a demanding user meets it (from an audit of the Network API): option
 * objects checked by name and type, re-seeding after compile, views through get(), clear() and
 * dispose() and what is left after them, clean times.
 */
import { beforeEach, describe, expect, it } from 'vitest';

import {
  clear, compile, every, getTime, Monitor, Network, Neuron, PoissonPopulation, Population, Projection, reset, sample, setup, simulate, simulateUntil, step, Uniform,
} from '../../src/index.js';
import { expectError } from '../helpers/core.js';

beforeEach(() => clear());

/** Counts steps in v, spikes every third step. */
const counter = () => new Neuron({ equations: 'v = v + 1', spike: 'v >= 3', reset: 'v = 0' });

describe('option objects', () => {
  it("are refused with an unknown name (ANNarchy's spelling named), a wrong type or not an object", () => {
    const pop = new Population(1, counter(), { stopCondition: 'spiked : any' });
    expectError(() => every(5, () => undefined, { offset: 2 } as never), "every: unknown option 'offset' (did you mean offsetMs?); the options are offsetMs, waitMs");
    expectError(() => every(5, () => undefined, { wait: 3 } as never), '(did you mean waitMs?)');
    expectError(() => every(5, () => undefined, null as never), 'every: options must be an object such as { offsetMs: … }, got null');
    expectError(() => new Network({ everyting: true } as never), "new Network(): unknown option 'everyting'");
    expectError(() => new Network(true as never), 'new Network(): options must be an object such as { everything: … }, got true');
    expectError(() => new Network({ everything: 'no' } as never), 'new Network(): everything must be true or false, got no');
    expectError(() => setup({ sed: 1 } as never), "setup(): unknown option 'sed'; the options are dt, seed, kernels, precision");
    compile();
    expectError(() => simulate(1, { measure_time: true } as never), "simulate: unknown option 'measure_time' (ANNarchy's measure_time is measureTime here)");
    expectError(() => simulate(1, { progress_bar: true } as never), "simulate: unknown option 'progress_bar'");
    expectError(() => simulate(5, null as never), 'simulate: options must be an object');
    expectError(() => simulate('5' as never), "got '5' (a string)");
    expectError(() => simulateUntil(5, pop, { op: 'or' } as never), "simulateUntil: unknown option 'op'");
    expectError(() => reset({ populatons: false } as never), "reset: unknown option 'populatons'");
    expectError(() => reset({ monitors: 'no' } as never), 'reset: monitors must be true or false, got no');
    expectError(() => reset({ synapses: true }), 'reset: synapses: true (drawing the connectivity again) is not supported');
    expect(getTime()).toBe(0); // nothing ran
    reset({ synapses: false, projections: true });
  });
});

describe('seeds', () => {
  it('setSeed() after compile re-seeds the run from now, and reset() replays from that seed', () => {
    const input = new PoissonPopulation(50, { rates: 100 });
    const m = new Monitor(input, 'spike');
    const run = (net: Network) => {
      net.simulate(50);
      return net.get(m).get('spike').map((s) => [...s]);
    };
    const net = new Network({ everything: true, seed: 7 });
    net.compile();
    net.setSeed(99);
    expect(net.seed).toBe(99);
    const first = run(net);
    net.reset();
    expect(run(net)).toEqual(first);
    // The same as a network seeded 99 from the start (Poisson sources draw only while running).
    const fresh = new Network({ everything: true, seed: 99 });
    fresh.compile();
    expect(run(fresh)).toEqual(first);
  });
});

describe('get()', () => {
  it("gives a view of the copy's same ranks for a view, alone or in a list", () => {
    const pop = new Population(4, counter());
    const net = new Network({ everything: true });
    const view = pop.slice(1, 3);
    const copy = net.get(view);
    expect([...copy.ranks]).toEqual([1, 2]);
    expect(copy.population).toBe(net.get(pop));
    const [p, v] = net.get([pop, view]);
    expect(v.population).toBe(p);
  });

  it('refuses an object declared after clear(): ids start again, it is not what the network copied', () => {
    new Population(4, counter());
    const old = new Network({ everything: true });
    clear();
    const later = new Population(2, counter());
    expectError(() => old.get(later), 'network 1 has no copy of', 'declared after clear() or setup() started a new template');
  });
});

describe('clear(), dispose() and after', () => {
  it('are refused inside an every() callback of the running network, and the run goes on', () => {
    new Population(1, counter());
    compile();
    const net = new Network({ everything: true });
    net.compile();
    const errors: string[] = [];
    const attempt = (f: () => void) => {
      try {
        f();
      } catch (e) {
        errors.push((e as Error).message);
      }
    };
    every(1, (n) => n === 1 && attempt(clear));
    net.every(1, (n) => n === 1 && attempt(() => net.dispose()));
    simulate(3);
    net.simulate(3);
    expect(errors).toHaveLength(2);
    expect(errors[0]).toMatch(/^clear\(\): called while simulate\(\) runs/);
    expect(errors[1]).toMatch(/^dispose: called while simulate\(\) runs/);
    expect([getTime(), net.getTime()]).toEqual([3, 3]);
  });

  it('a disposed network still tells its time, and refuses setSeed, sample, add and synapse reads saying it was disposed', () => {
    const model = new Neuron({ equations: 'v = g_exc', spike: 'v > 1e9', reset: 'v = 0' });
    const pop = new Population(2, model);
    const proj = new Projection(pop, pop, 'exc').connectAllToAll({ weights: 1 });
    const m = new Monitor(pop, 'v');
    const net = new Network();
    net.add([pop, proj]);
    net.compile();
    net.simulate(9);
    const copy = net.get(proj);
    net.dispose();
    expect([net.getTime(), net.getCurrentStep()]).toEqual([9, 9]);
    expectError(() => net.setSeed(3), 'network 1: cannot setSeed: the network was disposed');
    expectError(() => sample(Uniform(0, 1), 3, net), 'cannot sample: the network was disposed');
    expectError(() => sample(Uniform(0, 1), 3, {} as never), 'sample: the third argument must be a Network');
    expectError(() => net.add(m), 'cannot add(): the network was disposed');
    expectError(() => copy.w, 'cannot read w of Projection pop0 -> pop0 (exc): the network was disposed');
  });

  it('times come without float noise; step() before compile says step', () => {
    setup({ dt: 0.1 });
    const pop = new Population(1, counter(), { stopCondition: 'spiked : any' });
    expectError(() => step(), 'cannot step before compile()');
    compile();
    for (let k = 0; k < 3; k++) step();
    expect(getTime()).toBe(0.3);
    reset();
    expect(simulateUntil(10, pop)).toBe(0.3);
  });
});

it('population options are checked by name too (a typo held in a variable escapes the type check)', () => {
  const options = { name: 'exc', stopCondtion: 'spiked : any' };
  expectError(() => new Population(2, counter(), options as never), "new Population(): unknown option 'stopCondtion'; the options are name, stopCondition");
  const poisson = { rates: 5, nmae: 'in' };
  expectError(() => new PoissonPopulation(2, poisson as never), "new PoissonPopulation(): unknown option 'nmae'");
});

it('a network made before setup() replaced the empty template takes the new template at its first add()', () => {
  const net = new Network();
  setup({ seed: 3 });
  const pop = new Population(2, counter());
  net.add(pop);
  expect(net.get(pop).size).toBe(2);
});

it("get() takes another network's copy of a declaration too (same id, as in ANNarchy)", () => {
  const pop = new Population(3, counter());
  const a = new Network({ everything: true });
  const b = new Network({ everything: true });
  expect(b.get(a.get(pop))).toBe(b.get(pop));
  expect(a.get(a.get(pop))).toBe(a.get(pop));
});
