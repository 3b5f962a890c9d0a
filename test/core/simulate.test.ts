/**
 * The clock: simulate() runs ceil(duration / dt) steps (with a float-noise guard), step(),
 * simulateUntil() (stop condition checked after each step, returns ms), and reset().
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';

import {
  clear,
  compile,
  clearAllCallbacks,
  DiscreteUniform,
  every,
  getCurrentStep,
  getTime,
  Monitor,
  Neuron,
  PoissonPopulation,
  Population,
  Projection,
  reset,
  setup,
  simulate,
  simulateUntil,
  step,
  Uniform,
} from '../../src/index.js';
import { templateNetwork } from '../../src/api/network.js';
import { parseCondition } from '../../src/api/neuron.js';
import { planStopCondition } from '../../src/model/plan.js';
import { wasmStopCount } from '../../src/world/wasmStop.js';
import { LAST_STEP } from '../../src/world/clock.js';
import { column } from '../helpers/core.js';

beforeEach(() => clear());

const counter = (increment = 1) =>
  new Neuron({ parameters: { inc: increment }, equations: 'v = v + inc', spike: 'v > 1e9' });

describe('simulate()', () => {
  it('getTime() / getCurrentStep() are 0 before compile and after compile', () => {
    new Population(1, counter());
    expect(getTime()).toBe(0);
    expect(getCurrentStep()).toBe(0);
    compile();
    expect(getTime()).toBe(0);
    expect(getCurrentStep()).toBe(0);
  });

  it('simulate(1000) at dt = 0.1 runs exactly 10000 steps', () => {
    setup({ dt: 0.1 });
    const pop = new Population(1, counter());
    compile();
    simulate(1000);
    expect(getCurrentStep()).toBe(10000);
    expect(pop.get('v')[0]).toBe(10000);
    expect(getTime()).toBeCloseTo(1000, 9);
  });

  it('non-multiples round up: simulate(0.25) at dt = 0.1 is 3 steps; simulate(0.3) is 3, not 4', () => {
    setup({ dt: 0.1 });
    const pop = new Population(1, counter());
    compile();
    simulate(0.25);
    expect(getCurrentStep()).toBe(3);
    simulate(0.3);
    expect(getCurrentStep()).toBe(6);
    simulate(0.7);
    expect(getCurrentStep()).toBe(13);
    simulate(0.05);
    expect(getCurrentStep()).toBe(14);
    expect(pop.get('v')[0]).toBe(14);
  });

  it('simulate(0) runs nothing; successive calls add up', () => {
    const pop = new Population(1, counter());
    compile();
    simulate(0);
    expect(getCurrentStep()).toBe(0);
    simulate(3);
    simulate(4);
    expect(getCurrentStep()).toBe(7);
    expect(getTime()).toBe(7);
    expect(pop.get('v')[0]).toBe(7);
  });

  it('the clock stops at step 2^31 - 1: a run past it is refused before it starts (callbacks and progress too); simulateUntil runs up to it', () => {
    setup({ dt: 1 });
    const pop = new Population(1, counter(), { stopCondition: 'v > 7 : any' });
    compile();
    // The clock lives in the arena (no public setter): 10 steps before the last one.
    const clock = (templateNetwork().world as unknown as { clock: Float64Array }).clock;
    clock[0] = LAST_STEP - 10;
    const far = (end: number) => new RegExp(`a run would end at step ${end}, past the last step 2147483647 \\(596\\.5 h at dt 1 ms\\): reset\\(\\) the network, or simulate with a larger dt`);
    const calls: number[] = [];
    every(1, (n) => calls.push(n));
    const progress: number[] = [];
    expect(() => simulate(11, { onProgress: (done) => progress.push(done) })).toThrow(far(LAST_STEP + 1));
    expect([getCurrentStep(), pop.get('v')[0], calls.length, progress.length]).toEqual([LAST_STEP - 10, 0, 0, 0]);
    clearAllCallbacks();
    // The condition holds after 8 steps, long before the maximum's end: the run is not refused.
    expect(simulateUntil(2 ** 40, pop)).toBe(8);
    expect(getCurrentStep()).toBe(LAST_STEP - 2);
    // Up to the last step; one more is refused and changes nothing.
    simulate(2);
    expect(getCurrentStep()).toBe(LAST_STEP);
    expect(() => step()).toThrow(far(LAST_STEP + 1));
    expect(getCurrentStep()).toBe(LAST_STEP);
    reset();
    expect(getCurrentStep()).toBe(0);
    simulate(3);
    expect(pop.get('v')[0]).toBe(3);
  });

  it('simulateUntil with a maximum past the last step runs up to it, then says so', () => {
    setup({ dt: 1 });
    const pop = new Population(1, counter(), { stopCondition: 'v > 1e9 : any' });
    compile();
    (templateNetwork().world as unknown as { clock: Float64Array }).clock[0] = LAST_STEP - 5;
    expect(() => simulateUntil(100, pop)).toThrow(/a run would end at step 2147483742, past the last step 2147483647/);
    expect(getCurrentStep()).toBe(LAST_STEP);
    expect(pop.get('v')[0]).toBe(5);
  });

  it('simulateUntil ending exactly at the last step returns; called again there, it runs nothing and says so', () => {
    setup({ dt: 1 });
    const pop = new Population(1, counter(), { stopCondition: 'v > 2 : any' });
    compile();
    (templateNetwork().world as unknown as { clock: Float64Array }).clock[0] = LAST_STEP - 3;
    expect(simulateUntil(100, pop)).toBe(3);
    expect(getCurrentStep()).toBe(LAST_STEP);
    // The condition still holds, but no step can run to check it after: not a silent 0.
    expect(() => simulateUntil(100, pop)).toThrow(/past the last step 2147483647/);
    expect([getCurrentStep(), pop.get('v')[0]]).toEqual([LAST_STEP, 3]);
  });

  it('step() advances one step of dt', () => {
    setup({ dt: 0.25 });
    const pop = new Population(1, new Neuron({ equations: 'v = t', spike: 'v > 1e9' }));
    compile();
    step();
    step();
    step();
    expect(getCurrentStep()).toBe(3);
    expect(getTime()).toBe(0.75);
    expect(pop.get('v')[0]).toBe(0.5); // t at the start of the last step
  });

  it('splitting a run into pieces gives the same result as one run', () => {
    const run = (pieces: number[]) => {
      clear();
      setup({ seed: 9 });
      const pop = new Population(5, counter());
      pop.set({ inc: Uniform(0, 1) });
      const m = new Monitor(pop, 'v');
      compile();
      for (const p of pieces) simulate(p);
      return m.get('v').map((r) => Array.from(r));
    };
    expect(run([3, 1, 6])).toEqual(run([10]));
  });

  it('onProgress: about every 1 % and at the end, increasing, and the run gives the same spikes', () => {
    const run = (onProgress?: (doneMs: number, totalMs: number) => void) => {
      clear();
      setup({ dt: 0.1, seed: 3 });
      const pop = new Population(20, new Neuron({ equations: 'dv/dt = (20 - v) / 10 + 5 * Normal(0, 1)', spike: 'v > 15', reset: 'v = 0' }));
      const m = new Monitor(pop, 'spike');
      compile();
      simulate(50.05, onProgress ? { onProgress } : {}); // 501 steps: chunks of 6, the last one shorter
      return m.get('spike').map((s) => [...s]);
    };
    const reports: [number, number][] = [];
    const withProgress = run((done, total) => reports.push([done, total]));
    expect(withProgress).toEqual(run());
    expect(withProgress.flat().length).toBeGreaterThan(10);
    expect(reports).toHaveLength(84); // ceil(501 / 6)
    expect(reports.every(([, total]) => total === 50.05)).toBe(true);
    expect(reports[0]![0]).toBeCloseTo(0.6, 10);
    expect(reports.at(-1)![0]).toBe(50.05);
    for (let k = 1; k < reports.length; k++) expect(reports[k]![0]).toBeGreaterThan(reports[k - 1]![0]);
    expect(() => simulate(1, { onProgress: 5 as never })).toThrow(/onProgress must be a function \(doneMs, totalMs\) => void, got 5/);
    expect(() => simulate(1, { callbacks: 0 as never })).toThrow(/simulate: callbacks must be true or false, got 0/);
    expect(() => simulate(1, { measureTime: 'yes' as never })).toThrow(/simulate: measureTime must be true or false, got yes/);
    expect(() => simulateUntil(1, [] as never, { measureTime: 1 as never })).toThrow(/simulateUntil: measureTime must be true or false, got 1/);
    // The last report is the duration itself, even where steps · dt rounds below it; no steps: one report.
    clear();
    setup({ dt: 0.3 });
    new Population(1, counter());
    compile();
    const ends: number[] = [];
    simulate(0.9, { onProgress: (done) => ends.push(done) });
    simulate(0, { onProgress: (done, total) => ends.push(done, total) });
    expect(ends).toEqual([0.3, 0.6, 0.9, 0, 0]);
  });

  it("measureTime prints ANNarchy's line for simulate() and simulateUntil()", () => {
    setup({ dt: 1 });
    const pop = new Population(1, counter(), { stopCondition: 'v > 3' });
    compile();
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      simulate(10, { measureTime: true });
      simulateUntil(1000, pop, { measureTime: true });
      simulate(10);
      clear();
      setup({ dt: 0.1 });
      new Population(1, counter());
      compile();
      simulate(0.3, { measureTime: true }); // the duration asked for, not 3 · 0.1 = 0.30000000000000004
      expect(log).toHaveBeenCalledTimes(3);
      expect(log.mock.calls[2]![0]).toMatch(/^Simulating 0\.0003 seconds of the template network took /);
      expect(log.mock.calls[0]![0]).toMatch(/^Simulating 0\.01 seconds of the template network took \d+(\.\d+)?(e-\d+)? seconds\.$/);
      // simulateUntil: the time it simulated (v > 3 already holds: one step), not the maximum.
      expect(log.mock.calls[1]![0]).toMatch(/^Simulating 0\.001 seconds of the template network took /);
    } finally {
      log.mockRestore();
    }
  });
});

describe('simulateUntil()', () => {
  it("'v > 3 : any' on v = v + 1 stops after the step where v reaches 4 and returns the ms", () => {
    const pop = new Population(3, counter(), { stopCondition: 'v > 3 : any' });
    compile();
    expect(simulateUntil(100, pop)).toBe(4);
    expect(getCurrentStep()).toBe(4);
    expect(Array.from(pop.get('v'))).toEqual([4, 4, 4]);
  });

  it('the condition is checked on values after the step; default mode is any', () => {
    const pop = new Population(3, counter(), { stopCondition: 'v > 3' });
    pop.set({ inc: [1, 2, 0.5] });
    compile();
    // Neuron 1 reaches 4 after 2 steps.
    expect(simulateUntil(100, pop)).toBe(2);
  });

  it("': all' waits for every neuron", () => {
    const pop = new Population(3, counter(), { stopCondition: 'v > 3 : all' });
    pop.set({ inc: [1, 2, 0.5] });
    compile();
    // Neuron 2 needs v = 3.5 > 3: 7 steps.
    expect(simulateUntil(100, pop)).toBe(7);
  });

  it('returns steps * dt at dt = 0.5 (not steps / dt)', () => {
    setup({ dt: 0.5 });
    const pop = new Population(1, counter(), { stopCondition: 'v > 3 : any' });
    compile();
    expect(simulateUntil(100, pop)).toBe(2);
    expect(getCurrentStep()).toBe(4);
    expect(getTime()).toBe(2);
  });

  it('continues from the current time and counts only its own steps', () => {
    const pop = new Population(1, counter(), { stopCondition: 'v > 13' });
    compile();
    simulate(10);
    expect(simulateUntil(100, pop)).toBe(4);
    expect(getCurrentStep()).toBe(14);
  });

  it('stops at maxDuration when the condition never holds', () => {
    const pop = new Population(1, counter(), { stopCondition: 'v < 0' });
    compile();
    expect(simulateUntil(25, pop)).toBe(25);
    expect(getCurrentStep()).toBe(25);
  });

  it("operator 'or' stops at the first population, 'and' (the default) at the last", () => {
    const build = () => {
      clear();
      const fast = new Population(1, counter(1), { stopCondition: 'v > 3' });
      const slow = new Population(1, counter(0.5), { stopCondition: 'v > 3' });
      compile();
      return [fast, slow];
    };
    expect(simulateUntil(100, build(), { operator: 'or' })).toBe(4);
    expect(simulateUntil(100, build(), { operator: 'and' })).toBe(7);
    expect(simulateUntil(100, build())).toBe(7);
  });

  it("'and' needs both conditions at the same step (checked every step)", () => {
    // a holds only at steps where v is even (after steps 1, 3, 5...), b only from v >= 5.
    const a = new Population(1, counter(), { stopCondition: 'modulo(v, 2) == 0' });
    const b = new Population(1, counter(), { stopCondition: 'v >= 5' });
    compile();
    expect(simulateUntil(100, [a, b], { operator: 'and' })).toBe(6);
  });

  it("'spiked : any' stops after the step in which a neuron spiked", () => {
    const pop = new Population(2, new Neuron({ parameters: { k: 4 }, equations: 'v = v + 1', spike: 'v >= k', reset: 'v = 0' }), {
      stopCondition: 'spiked : any',
    });
    pop.set({ k: [7, 5] });
    compile();
    expect(simulateUntil(100, pop)).toBe(5); // neuron 1 spikes at step 4
    expect(getCurrentStep()).toBe(5);
  });

  it("the condition sees the values after reset: a threshold on v never holds for a neuron that fired, 'spiked' does", () => {
    const model = () => new Neuron({ equations: 'v = v + 1', spike: 'v >= 4', reset: 'v = 0' });
    const threshold = new Population(1, model(), { stopCondition: 'v >= 4 : any' });
    const spiked = new Population(1, model(), { stopCondition: 'spiked : any' });
    const m = new Monitor(threshold, 'spike');
    compile();
    expect(simulateUntil(20, threshold)).toBe(20); // fired at steps 3, 7, 11, …: reset to 0 each time before the test
    expect(m.rasterPlot()[0].length).toBe(5);
    reset();
    expect(simulateUntil(20, spiked)).toBe(4); // fired in step 3
  });

  it('a view is refused naming its population: the stop condition is a population\'s', () => {
    const pop = new Population(3, counter(), { name: 'p', stopCondition: 'v > 3' });
    compile();
    expect(() => simulateUntil(100, pop.slice(0, 2) as never)).toThrow(
      "simulateUntil takes populations, got PopulationView p[2 of 3]: a stop condition is its population's; pass view.population",
    );
  });

  it("a PoissonPopulation takes 'spiked : any' too: it stops after the step of the first spike", () => {
    setup({ dt: 1, seed: 11 });
    const src = new PoissonPopulation(3, { rates: 5, stopCondition: 'spiked : any' });
    const m = new Monitor(src, 'spike');
    compile();
    const ms = simulateUntil(10_000, src);
    const [times] = m.rasterPlot();
    expect(times.length).toBeGreaterThan(0);
    expect(Math.min(...times)).toBe(ms - 1); // spiked in the last step run
    expect(ms).toBeGreaterThan(5); // 15 Hz in all: the first spike after a few dozen ms, not at once
  });
});

describe('simulateUntil() in WebAssembly and in JS', () => {
  // Each neuron's v climbs at its own rate (rate = its rank's share of 1, scaled); a condition on
  // v first holds at a neuron chosen by the threshold: inside the SIMD vectors or among the last
  // neurons, which the JS predicate tests.
  const climber = new Neuron({
    parameters: 'rate = 1\nk = 0.5 : population',
    equations: 'v = v + rate * k\nu = exp(v / 100)',
    spike: 'v > 1e12',
  });
  const stopsAt = (kernels: 'js' | 'auto', precision: 'float' | 'double', size: number, condition: string, rates: (i: number) => number) => {
    clear();
    setup({ dt: 0.5, kernels, precision });
    const pop = new Population(size, climber, { stopCondition: condition });
    pop.set({ rate: Array.from({ length: size }, (_, i) => rates(i)) });
    compile();
    return [simulateUntil(500, pop), getCurrentStep()];
  };
  const cases: [string, number, (i: number) => number][] = [
    ['v > 40 : any', 13, (i) => (i === 12 ? 3 : 1)], // the last neuron, tested in JS
    ['v > 40 : any', 13, (i) => (i === 5 ? 3 : 1)], // inside a vector
    ['u > 1.2 and t > 3 : any', 11, (i) => 1 + i / 10],
    ['v > 20 : all', 13, (i) => (i === 12 ? 0.5 : 2)], // the last neuron holds it back
    ['v > 20 : all', 16, (i) => (i === 6 ? 0.5 : 2)],
    ['v < 30 : all', 9, () => 1], // holds from the start: stops after the first step
    // pos, neg and clip are helpers of the generated JS (the JS predicate once lacked them).
    ['pos(v - 30) > 5 : any', 9, (i) => (i === 8 ? 2 : 1)],
    ['clip(v, 0, 25) > 24 and neg(-v) < -10 : all', 12, (i) => 1 + i / 12],
  ];
  for (const precision of ['double', 'float'] as const) {
    it.each(cases)(`${precision}: %s over %i neurons stops at the same step either way`, (condition, size, rates) => {
      const js = stopsAt('js', precision, size, condition, rates);
      const wasm = stopsAt('auto', precision, size, condition, rates);
      expect(wasm).toEqual(js);
      expect(js[1]).toBeLessThan(1000); // the condition did hold before the maximum
    });
  }

  it('a loop of short simulateUntil calls builds its stop test once', () => {
    setup({ dt: 1, kernels: 'auto' });
    const pop = new Population(12, climber, { stopCondition: 'v > 5 : any' });
    compile();
    const modules = vi.spyOn(WebAssembly, 'Module');
    for (let k = 0; k < 20; k++) simulateUntil(1, pop);
    expect(modules).toHaveBeenCalledTimes(1);
    modules.mockRestore();
    expect(getCurrentStep()).toBe(20);
  });

  it('the WebAssembly test returns at the first vector with a neuron meeting the condition, with their number', () => {
    clear();
    setup({ dt: 0.5, precision: 'float' });
    const pop = new Population(13, climber);
    pop.set({ rate: Array.from({ length: 13 }, (_, i) => i) });
    compile();
    simulate(5); // 10 steps: v = 5 · rank
    const world = templateNetwork().world;
    const test = (condition: string) =>
      wasmStopCount(
        planStopCondition(pop.data.spec, parseCondition(pop.data.spec, condition, false), 13, 0.5, 'float'),
        pop.data.fields,
        world.arena!.view(world.layout!.populations[0]!.candidates),
        world.arena!.memory,
        'test',
      )!;
    expect(test('v > 22').neurons).toBe(12); // the 13th is the JS predicate's
    expect(test('v > 22').count(9)).toBe(3); // ranks 5, 6, 7 of the vector 4 … 7
    expect(test('v > 57').count(9)).toBe(0); // rank 12 would: not in a vector
    expect(test('v >= 55').count(9)).toBe(1); // rank 11
  });
});

describe('reset()', () => {
  it('returns to time 0 and to the values of compile time (variables and parameters)', () => {
    const pop = new Population(2, counter());
    pop.set({ v: [10, 20] });
    const m = new Monitor(pop, 'v');
    compile();
    simulate(5);
    (pop as any).inc = 3;
    simulate(1);
    expect(Array.from(pop.get('v'))).toEqual([18, 28]);
    reset();
    expect(getCurrentStep()).toBe(0);
    expect(getTime()).toBe(0);
    expect(Array.from(pop.get('v'))).toEqual([10, 20]);
    expect(Array.from(pop.get('inc'))).toEqual([1, 1]);
    expect(m.get('v')).toEqual([]);
    simulate(2);
    expect(column(m.get('v'), 0)).toEqual([11, 12]);
  });

  it('a deterministic run after reset() repeats the first run exactly (spikes, refractoriness)', () => {
    const pop = new Population(
      3,
      new Neuron({ parameters: { k: 3 }, equations: 'v = v + 1', spike: 'v >= k', reset: 'v = 0', refractory: 2 }),
    );
    pop.set({ k: [2, 3, 4] });
    const m = new Monitor(pop, ['v', 'spike']);
    compile();
    simulate(11);
    const first = m.get();
    simulate(1); // end mid-refractory for some neurons
    reset();
    simulate(11);
    const second = m.get();
    expect(second['v']!.map((r) => Array.from(r))).toEqual(first['v']!.map((r) => Array.from(r)));
    expect(second['spike']!.map((s) => Array.from(s))).toEqual(first['spike']!.map((s) => Array.from(s)));
    expect(first['spike']!.map((s) => Array.from(s))).toEqual([
      [1, 5, 9],
      [2, 7],
      [3, 9],
    ]);
  });

  it('spikes in flight (uniform and per-synapse delays) are dropped by reset()', () => {
    setup({ seed: 4 });
    const pre = new Population(3, new Neuron({ equations: 'x = t', spike: 'x == 4' }));
    const post = new Population(2, new Neuron({ equations: 'v = g_exc + g_inh', spike: 'v > 1e9' }));
    new Projection(pre, post, 'exc').connectAllToAll({ weights: 1, delays: 3 });
    new Projection(pre, post, 'inh').connectAllToAll({ weights: 1, delays: DiscreteUniform(2, 4) });
    const m = new Monitor(post, ['g_exc', 'g_inh']);
    compile();
    simulate(5); // the spikes of step 4 are pending
    reset();
    simulate(4); // steps 0..3: the pre neurons do not fire again before step 4
    const d = m.get();
    expect(d['g_exc']!.every((r) => r[0] === 0 && r[1] === 0)).toBe(true);
    expect(d['g_inh']!.every((r) => r[0] === 0 && r[1] === 0)).toBe(true);
    simulate(5); // steps 4..8: the new spikes at 4 arrive, exc at 7
    expect(column(m.get('g_exc'), 0)).toEqual([0, 0, 0, 3, 0]);
  });

  it('reset({ monitors: false }) keeps the recorded data', () => {
    const pop = new Population(1, counter());
    const m = new Monitor(pop, 'v');
    compile();
    simulate(3);
    reset({ monitors: false });
    expect(column(m.get('v'), 0)).toEqual([1, 2, 3]);
    expect(getCurrentStep()).toBe(0);
  });
});

describe('every()', () => {
  it('calls before the due steps: start + wait + (offset mod period) + k·period, n from 0 in each simulate()', () => {
    setup({ dt: 1 });
    new Population(1, counter());
    compile();
    const calls: [string, number, number][] = [];
    every(10, (n) => calls.push(['a', n, getCurrentStep()]));
    every(10, (n) => calls.push(['b', n, getCurrentStep()]), { offsetMs: 13, waitMs: 5 });
    simulate(35);
    // ANNarchy caps the offset at the period before taking it modulo the period: 13 → 10 → 0.
    expect(calls).toEqual([['a', 0, 0], ['b', 0, 5], ['a', 1, 10], ['b', 1, 15], ['a', 2, 20], ['b', 2, 25], ['a', 3, 30]]);
    calls.length = 0;
    simulate(15); // counted from this call's start, step 35
    expect(calls).toEqual([['a', 0, 35], ['b', 0, 40], ['a', 1, 45]]);
  });

  it('a negative offset counts back from the period (ANNarchy: offset=-10 with period 100 calls at 90, 190, …); periods round to whole steps', () => {
    setup({ dt: 0.1 });
    new Population(1, counter());
    compile();
    const at: Record<string, number[]> = { back: [], fine: [], odd: [] };
    every(10, () => at['back']!.push(getCurrentStep()), { offsetMs: -1 });
    every(0.05, () => at['fine']!.push(getCurrentStep())); // shorter than dt: every step
    every(0.7, () => at['odd']!.push(getCurrentStep()));
    simulate(2.5);
    expect(at['back']).toEqual([90].filter((x) => x < 25));
    expect(at['fine']).toEqual(Array.from({ length: 25 }, (_, k) => k));
    expect(at['odd']).toEqual([0, 7, 14, 21]);
    simulate(10);
    expect(at['back']).toEqual([25 + 90]);
  });

  it('callbacks kept across setup() on an empty template, cancelled during a run, and no nested runs', () => {
    const seen: number[] = [];
    every(4, () => seen.push(getCurrentStep()));
    const moved = every(3, () => seen.push(-1));
    setup({ dt: 1 });
    new Population(1, counter());
    compile();
    moved.cancel(); // its entry moved to the new template with setup()
    simulate(10);
    expect(seen).toEqual([0, 4, 8]);
    clear();
    setup({ dt: 1 });
    new Population(1, counter());
    compile();
    const off: number[] = [];
    every(2, (n) => off.push(n));
    simulate(6, { callbacks: false });
    expect(off).toEqual([]);
    simulate(6);
    expect(off).toEqual([0, 1, 2]);
    clearAllCallbacks();
    simulate(6);
    expect(off).toEqual([0, 1, 2]);
    const calls: number[] = [];
    const handle = every(5, (n) => {
      calls.push(n);
      handle.cancel();
    });
    simulate(20);
    expect(calls).toEqual([0]);
    for (const nested of [() => step(), () => simulateUntil(5, [] as never), () => reset(), () => simulate(1), () => setup({ dt: 0.5 })]) {
      const h = every(3, nested);
      expect(() => simulate(5)).toThrow(/called while simulate\(\) runs \(from an every\(\) callback or onProgress\)/);
      h.cancel();
    }
    const before = getCurrentStep();
    simulate(5); // the flag was reset after each throw
    expect(getCurrentStep()).toBe(before + 5);
  });

  it('a value set in the callback holds from the step it was due at; cancel() stops it; step() and simulateUntil() do not call', () => {
    setup({ dt: 1 });
    const pop = new Population(1, counter(0), { stopCondition: 'v > 1e9' });
    compile();
    const handle = every(10, (n) => pop.set({ inc: n + 1 }));
    simulate(25); // inc = 1 for steps 0–9, 2 for 10–19, 3 for 20–24
    expect(pop.get('v')[0]).toBe(10 * 1 + 10 * 2 + 5 * 3);
    pop.set({ inc: 0 });
    step();
    simulateUntil(30, pop);
    expect(pop.get('inc')[0]).toBe(0);
    handle.cancel();
    handle.cancel();
    simulate(20);
    expect(pop.get('inc')[0]).toBe(0);
  });

  it('the same spikes with callbacks that change nothing and a progress callback, and clear errors', () => {
    const run = (extra: boolean) => {
      clear();
      setup({ dt: 0.1, seed: 4 });
      const pop = new Population(20, new Neuron({ equations: 'dv/dt = (20 - v) / 10 + 5 * Normal(0, 1)', spike: 'v > 15', reset: 'v = 0' }));
      const m = new Monitor(pop, 'spike');
      compile();
      if (extra) every(0.7, () => undefined, { offsetMs: 0.2 });
      simulate(30, extra ? { onProgress: () => undefined } : {});
      return m.get('spike').map((x) => [...x]);
    };
    expect(run(true)).toEqual(run(false));
    expect(() => every(0, () => undefined)).toThrow(/every: the period must be a positive number of ms, got 0/);
    expect(() => every(5, () => undefined, { waitMs: -1 })).toThrow(/every: waitMs must be a non-negative number of ms, got -1/);
    expect(() => every(5, 'f' as never)).toThrow(/every: the callback must be a function \(n\) => void, got f/);
    expect(() => every(5, () => undefined, { offsetMs: Number.NaN })).toThrow(/every: offsetMs must be a number of ms, got NaN/);
  });
});
