/**
 * computeFiringRate (ANNarchy's compute_firing_rate): `r` holds each neuron's spikes over the last
 * window (this step's included) in Hz, 1000 / window per spike, updated in the spike stage of
 * every step. Hand-checked steps, and a reference that replays ANNarchy's generated code (a queue
 * of spike steps per neuron, popped while its front is <= t - window) against recorded spikes.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';

import {
  clear,
  compile,
  getCurrentStep,
  Izhikevich,
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
  SpikeSourceArray,
  step,
} from '../../src/index.js';
import { expectError, rows, trains } from '../helpers/core.js';
import { leastBytesPerStep } from '../helpers/heap.js';

beforeEach(() => clear());

type Precision = 'double' | 'float';

/** Hz for `count` spikes in a window of `ms`, as ANNarchy computes it in the state's precision. */
function hz(count: number, ms: number, precision: Precision = 'double'): number {
  return precision === 'float' ? Math.fround(Math.fround(1000 / ms) * count) : (1000 / ms) * count;
}

/**
 * ANNarchy's r from spike steps: from the step a window is set on (`windows`: step → [steps, ms]),
 * each step's spikes join a queue per neuron, steps <= t - window leave it, r = 1000/ms · length.
 */
function reference(spikes: number[][], steps: number, windows: Map<number, [number, number]>, precision: Precision = 'double'): number[][] {
  const queues = spikes.map(() => [] as number[]);
  let window: [number, number] | null = null;
  const out: number[][] = [];
  for (let t = 0; t < steps; t++) {
    window = windows.get(t) ?? window;
    out.push(
      queues.map((q, i) => {
        if (!window) return 0;
        if (spikes[i]!.includes(t)) q.push(t);
        while (q.length > 0 && q[0]! <= t - window[0]) q.shift();
        return hz(q.length, window[1], precision);
      }),
    );
  }
  return out;
}

/** Spikes at steps 2, 5, 8, … (dt 1: v reaches 3 every third step). */
const clockwork = () => new Neuron({ equations: 'dv/dt = 1', spike: 'v >= 3', reset: 'v = 0' });

describe('r, hand-checked', () => {
  it('a SpikeSourceArray: spikes enter the window at their step and leave it window steps later', () => {
    setup({ dt: 1 });
    const src = new SpikeSourceArray([[2, 3, 7], [5]]);
    src.computeFiringRate(4);
    const m = new Monitor(src, ['r']);
    compile();
    simulate(12);
    // Window 4: step t counts steps t-3 … t; 250 Hz per spike.
    expect(rows(m.get('r'))).toEqual([
      [0, 0], [0, 0], [250, 0], [500, 0], [500, 0], [500, 250],
      [250, 250], [250, 250], [250, 250], [250, 0], [250, 0], [0, 0],
    ]);
  });

  it("a neuron's own spikes, this step's included, with a window that is not a round number of Hz", () => {
    setup({ dt: 1 });
    const pop = new Population(1, clockwork());
    pop.computeFiringRate(5);
    const m = new Monitor(pop, ['r', 'spike']);
    compile();
    simulate(14);
    expect(trains(m.get('spike'))).toEqual([[2, 5, 8, 11]]);
    // Steps 2, 5, 8, 11: 1, then 2 spikes in (t − 5, t] but one in three steps.
    expect(rows(m.get('r')).map((r) => r[0])).toEqual([0, 0, 200, 200, 200, 400, 400, 200, 400, 400, 200, 400, 400, 200]);
  });

  it('dt 0.1: a window of 0.3 ms is 3 steps (no float noise) and 1000 / 0.3 Hz per spike', () => {
    setup({ dt: 0.1 });
    const src = new SpikeSourceArray([0.1, 0.2]);
    src.computeFiringRate(0.3);
    expect(src.firingRateWindow).toBe(0.3);
    const m = new Monitor(src, ['r']);
    compile();
    simulate(0.6);
    expect(rows(m.get('r')).map((r) => r[0])).toEqual([0, hz(1, 0.3), hz(2, 0.3), hz(2, 0.3), hz(1, 0.3), 0]);
  });

  it("float state: r is float32's product of 1000 / window (rounded to float32) and the count, as ANNarchy's", () => {
    setup({ dt: 1, precision: 'float' });
    const src = new SpikeSourceArray([0, 1, 2]);
    src.computeFiringRate(13);
    compile();
    simulate(3);
    expect(src.r[0]).toBe(Math.fround(Math.fround(1000 / 13) * 3));
    expect(src.r[0]).not.toBe(Math.fround((1000 / 13) * 3)); // one rounding fewer: another float
  });

  it('without computeFiringRate r is 0, and every spiking population has it (after its variables)', () => {
    setup({ dt: 1 });
    const pop = new Population(3, clockwork());
    const src = new SpikeSourceArray([[1], [2]]);
    const poisson = new PoissonPopulation(2, { rates: 500 });
    expect(pop.attributes).toEqual(['v', 'r']);
    expect(src.attributes).toEqual(['r']);
    expect(poisson.attributes).toEqual(['rates', 'r']);
    expect(Array.from(pop.r)).toEqual([0, 0, 0]);
    expect(pop.firingRateWindow).toBeNull();
    compile();
    simulate(10);
    for (const p of [pop, src, poisson]) expect(Array.from(p.get('r'))).toEqual(Array.from({ length: p.size }, () => 0));
  });

  it('views read r in view order: view.r, view.get(), pop.get()', () => {
    setup({ dt: 1 });
    const src = new SpikeSourceArray([[1], [1, 2], [], [2]]);
    src.computeFiringRate(10);
    compile();
    simulate(3);
    expect(Array.from(src.r)).toEqual([100, 200, 0, 100]);
    expect(Array.from(src.get('r'))).toEqual([100, 200, 0, 100]);
    expect(Array.from(src.view([3, 1]).r)).toEqual([100, 200]);
    expect(Array.from(src.slice(1, 3).get('r'))).toEqual([200, 0]);
  });
});

describe('after compile (as the generated code: counting starts with the next step)', () => {
  const spikes = [[1, 2, 3, 4, 6, 9, 10, 11, 15, 16, 17, 18, 19, 25, 26]];
  const run = (calls: [number, number][]) => {
    setup({ dt: 1 });
    const src = new SpikeSourceArray(spikes);
    src.computeFiringRate(8); // the ring keeps 8 steps: later windows up to 8
    const m = new Monitor(src, ['r']);
    compile();
    const windows = new Map<number, [number, number]>([[0, [8, 8]]]);
    for (const [at, w] of calls) {
      simulate(at - getCurrentStep());
      src.computeFiringRate(w);
      windows.set(at, [w, w]);
    }
    simulate(30 - getCurrentStep());
    return { got: rows(m.get('r')), want: reference(spikes, 30, windows) };
  };

  it('a shorter window drops the spikes older than it at the next step, several steps at once', () => {
    const { got, want } = run([[12, 3]]);
    expect(got).toEqual(want);
    expect(got[12]).toEqual([hz(2, 3)]); // steps 10, 11 (step 12: none)
  });

  it('a longer window keeps only what the shorter one still held: the window fills up again', () => {
    const { got, want } = run([[7, 2], [12, 8]]);
    expect(got).toEqual(want);
    // Step 12 with 8 ms: 10 and 11 (6 and 9 had left the 2-step window at steps 8 and 11).
    expect(got[12]).toEqual([hz(2, 8)]);
  });

  it('on a population that did not count: the spikes before the call are not counted', () => {
    setup({ dt: 1 });
    const src = new SpikeSourceArray([[1, 2, 3, 5]]);
    new Projection(src, new Population(1, Izhikevich), 'exc').connectOneToOne({ weights: 1, delays: 6 }); // a ring 6 steps deep
    const m = new Monitor(src, ['r']);
    compile();
    simulate(3); // steps 0–2
    src.computeFiringRate(5);
    expect(src.firingRateWindow).toBe(5);
    expect(Array.from(src.r)).toEqual([0]); // set at the next step
    simulate(7);
    expect(rows(m.get('r')).map((r) => r[0])).toEqual([0, 0, 0, 200, 200, 400, 400, 400, 200, 200]);
  });

  it('a window longer than the spike history compile() kept is refused, naming both and the fix', () => {
    setup({ dt: 0.5 });
    const src = new SpikeSourceArray([[1]], { name: 'in' });
    const quiet = new SpikeSourceArray([[1]], { name: 'quiet' });
    src.computeFiringRate(2);
    compile();
    expectError(
      () => src.computeFiringRate(3),
      "population 'in': computeFiringRate(3): a window of 6 steps needs 6 steps of spikes, and compile() kept 4",
      'call computeFiringRate(3) before compile() (or a window of at most 2 ms)',
    );
    expect(src.firingRateWindow).toBe(2);
    // A population that did not count before compile kept one step (no delays): no shorter window to offer.
    const message = expectError(() => quiet.computeFiringRate(1), "compile() kept 0 for population 'quiet'", 'call computeFiringRate(1) before compile()');
    expect(message).not.toContain('at most');
  });
});

describe('refused', () => {
  it('bad windows, naming the value and the fix', () => {
    setup({ dt: 0.5 });
    const pop = new Population(1, clockwork(), { name: 'p' });
    for (const bad of [0, -10, Number.NaN, Number.POSITIVE_INFINITY]) {
      expectError(() => pop.computeFiringRate(bad), `population 'p': computeFiringRate(${bad})`, 'the window must be a positive number of ms, e.g. computeFiringRate(100)');
    }
    expectError(() => pop.computeFiringRate('100' as unknown as number), "computeFiringRate('100')", 'a positive number of ms');
    expectError(() => pop.computeFiringRate(0.2), 'computeFiringRate(0.2): the window is shorter than one step (dt = 0.5 ms); give at least 0.5 ms');
    expect(pop.firingRateWindow).toBeNull();
  });

  it('a window that is not a multiple of dt is rounded to steps, with a warning', () => {
    setup({ dt: 0.5 });
    const pop = new Population(1, clockwork(), { name: 'p' });
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      pop.computeFiringRate(10.2);
      expect(warn).toHaveBeenCalledWith("population 'p': computeFiringRate(10.2): 10.2 ms is not a multiple of dt (0.5 ms); the window is 10 ms (20 steps)");
      pop.computeFiringRate(0.7);
      expect(warn).toHaveBeenLastCalledWith("population 'p': computeFiringRate(0.7): 0.7 ms is not a multiple of dt (0.5 ms); the window is 0.5 ms (1 step)");
    } finally {
      warn.mockRestore();
    }
    expect(pop.firingRateWindow).toBe(0.5);
  });

  it.each([
    ['auto', 'double'],
    ['auto', 'float'],
    ['js', 'double'],
    ['js', 'float'],
  ] as const)('a stop condition reads r (kernels %s, %s): it holds at the step r crosses the threshold', (kernels, precision) => {
    setup({ dt: 1, kernels, precision });
    // Spikes at steps 2, 5, 8, …: with a 10 ms window r is 100 Hz at step 2 and 200 Hz at step 5.
    const pop = new Population(4, clockwork(), { stopCondition: 'r > 150 : all' });
    pop.computeFiringRate(10);
    // A spike source has no model: r is all its condition can read. Two spikes at 1 and 3: 200 Hz at step 3.
    const src = new SpikeSourceArray([[1, 3]], { stopCondition: 'r >= 200' });
    src.computeFiringRate(10);
    compile();
    expect(simulateUntil(100, src)).toBe(4);
    reset();
    expect(simulateUntil(100, pop)).toBe(6);
    expect(getCurrentStep()).toBe(6);
  });

  it('a stop condition reading r before computeFiringRate is refused, naming the call; a model of its own r keeps it', () => {
    setup({ dt: 1 });
    const pop = new Population(1, clockwork(), { name: 'p', stopCondition: 'r > 0' });
    const own = new Population(1, new Neuron({ equations: 'r = t\ndv/dt = 1', spike: 'v >= 3', reset: 'v = 0' }), { stopCondition: 'r > 4' });
    compile();
    expectError(() => simulateUntil(10, pop), "the stop condition of population 'p' reads r, its firing rate", 'call pop.computeFiringRate(windowMs) first');
    expect(simulateUntil(100, own)).toBe(6); // the model's r = t: 5 at step 5
  });

  it('a spike source or Poisson condition on another name than r says r and spiked are what it can test', () => {
    setup({ dt: 1 });
    const poisson = new PoissonPopulation(2, { rates: 10, name: 'noise', stopCondition: 'rates > 5 : any' });
    const src = new SpikeSourceArray([[1]], { name: 'src', stopCondition: 'r > 10 and v > 1' });
    compile();
    for (const [pop, name] of [[poisson, 'rates'], [src, 'v']] as const) {
      expectError(
        () => simulateUntil(10, pop),
        `has no variables to test but r, its firing rate: the stop condition reads '${name}'`,
        "use 'r > 10 : any' (after computeFiringRate(windowMs)) or 'spiked : any'",
      );
    }
  });

  it('a view refuses computeFiringRate, naming the population call', () => {
    setup({ dt: 1 });
    const pop = new Population(4, clockwork(), { name: 'p' });
    expectError(() => pop.slice(0, 2).computeFiringRate(10), 'computeFiringRate() counts for a whole population', 'view.population.computeFiringRate(…), then read view.r');
  });

  it("on a model with an r of its own: the model's r stays, computeFiringRate names the clash", () => {
    setup({ dt: 1 });
    const own = new Population(2, new Neuron({ equations: 'r = t\ndv/dt = 1', spike: 'v >= 3', reset: 'v = 0' }), { name: 'own' });
    expect(own.attributes).toEqual(['r', 'v']);
    expectError(() => own.computeFiringRate(10), "population 'own': computeFiringRate(10): its model defines a variable 'r' of its own", "rename the model's 'r'");
    compile();
    simulate(5);
    expect(Array.from(own.r)).toEqual([4, 4]);
  });

  it('setting r: it is counted, not set', () => {
    setup({ dt: 1 });
    const pop = new Population(2, clockwork(), { name: 'p' });
    const message = "population 'p': 'r' is the firing rate that computeFiringRate() counts (in Hz); it cannot be set";
    expectError(() => pop.set({ r: 5 }), message);
    expectError(() => ((pop as unknown as { r: number }).r = 5), message);
    expectError(() => pop.view([1]).set({ r: 5 }), message);
  });
});

/** Poisson sources into Izhikevich neurons, both counting r; m records r and spikes of the cells. */
function network(seed: number, precision: Precision = 'double', kernels: 'auto' | 'js' = 'auto') {
  setup({ dt: 0.5, seed, precision, kernels });
  const input = new PoissonPopulation(40, { rates: 60 });
  const cells = new Population(12, Izhikevich({ noise: 2 }));
  new Projection(input, cells, 'exc').connectFixedProbability({ probability: 0.3, weights: 8 });
  input.computeFiringRate(10);
  cells.computeFiringRate(25);
  const m = new Monitor(cells, ['r', 'spike']);
  const mi = new Monitor(input, ['r', 'spike']);
  return { input, cells, m, mi };
}

const bytes = (rs: ArrayLike<ArrayLike<number>>) => rows(rs).flat();

describe('against recorded spikes, copies, reset, back ends and precisions', () => {
  it.each(['double', 'float'] as const)('%s: r equals the reference from the recorded spikes, for both back ends', (precision) => {
    const results = (['auto', 'js'] as const).map((kernels) => {
      clear();
      const { m, mi } = network(7, precision, kernels);
      compile();
      simulate(300);
      const cells = m.get(['r', 'spike']);
      const input = mi.get(['r', 'spike']);
      expect(rows(cells.r)).toEqual(reference(trains(cells.spike), 600, new Map([[0, [50, 25]]]), precision));
      expect(rows(input.r)).toEqual(reference(trains(input.spike), 600, new Map([[0, [20, 10]]]), precision));
      return [bytes(cells.r), bytes(input.r)];
    });
    expect(results[1]).toEqual(results[0]);
    expect(Math.max(...results[0]![0]!)).toBeGreaterThan(0);
  });

  it('a copy takes the window, starts at r = 0 and runs as a fresh network of its seed', () => {
    const { cells, m } = network(7);
    compile();
    simulate(100);
    expect(Math.max(...cells.r)).toBeGreaterThan(0);
    const copy = new Network({ everything: true, seed: 11 });
    expect(copy.get(cells).firingRateWindow).toBe(25);
    expect(Array.from(copy.get(cells).r)).toEqual(new Array(12).fill(0));
    copy.compile();
    copy.simulate(200);
    const fresh = new Network({ everything: true, seed: 11 });
    fresh.compile();
    fresh.simulate(200);
    const a = copy.get(m).get(['r', 'spike']);
    expect(bytes(a.r)).toEqual(bytes(fresh.get(m).get('r')));
    expect(rows(a.r)).toEqual(reference(trains(a.spike), 400, new Map([[0, [50, 25]]])));
  });

  it('reset() empties the history and sets r to 0; the run replays bit for bit (also with populations: false)', () => {
    const { cells, m } = network(9);
    compile();
    simulate(200);
    const first = bytes(m.get('r'));
    for (const populations of [true, false]) {
      reset({ populations });
      expect(Array.from(cells.r)).toEqual(new Array(12).fill(0));
      expect(cells.firingRateWindow).toBe(25);
      if (!populations) continue; // the other variables kept their values: another run
      simulate(200);
      expect(bytes(m.get('r'))).toEqual(first);
    }
  });

  it('a monitor records r with its period', () => {
    setup({ dt: 1 });
    const src = new SpikeSourceArray([[0, 1, 2, 3, 4, 5, 6, 7, 8]]);
    src.computeFiringRate(2);
    const m = new Monitor(src, ['r'], { period: 3 });
    compile();
    simulate(9);
    expect(Array.from(m.times('r'))).toEqual([0, 3, 6]);
    expect(rows(m.get('r'))).toEqual([[500], [1000], [1000]]);
  });
});

it('counting allocates nothing per step', () => {
  setup({ seed: 3, dt: 0.1 });
  const input = new PoissonPopulation(200, { rates: 50 });
  const cells = new Population(100, Izhikevich);
  new Projection(input, cells, 'exc').connectFixedProbability({ probability: 0.2, weights: 5 });
  input.computeFiringRate(20);
  cells.computeFiringRate(50);
  const net = new Network({ everything: true, seed: 5 });
  net.compile();
  net.simulate(1000);
  net.get(input).computeFiringRate(5); // a shorter window: dropping several steps at once
  const least = leastBytesPerStep((steps) => net.simulate(steps * net.dt), 5000);
  expect(least).toBeLessThan(4);
  expect(Math.max(...net.get(input).r)).toBeGreaterThan(0);
  net.dispose();
});

it('step() counts like simulate()', () => {
  setup({ dt: 1 });
  const src = new SpikeSourceArray([[0, 2]]);
  src.computeFiringRate(2);
  compile();
  const seen: number[] = [];
  for (let k = 0; k < 5; k++) {
    step();
    seen.push(src.r[0]!);
  }
  expect(seen).toEqual([500, 500, 500, 500, 0]);
});
