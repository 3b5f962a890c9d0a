/**
 * SpikeSourceArray (ANNarchy's SpikeSourceArray): neuron i spikes at the steps round(t / dt) of
 * its own list of times, in the input stage of the step, so that a monitor records the spike at
 * that step and a projection delivers it at step + max(1, round(delay / dt)). Hand-checked steps
 * throughout.
 */
import { beforeEach, describe, expect, it } from 'vitest';

import {
  clear,
  compile,
  getCurrentStep,
  IF_curr_exp,
  Izhikevich,
  Monitor,
  Network,
  PoissonPopulation,
  Population,
  Projection,
  reset,
  setup,
  simulate,
  simulateUntil,
  SpikeSourceArray,
  step,
  Uniform,
} from '../../src/index.js';
import { expectError, trains } from '../helpers/core.js';
import { leastBytesPerStep } from '../helpers/heap.js';

beforeEach(() => clear());

/** Steps at which a recorded column is non-zero, and its values there. */
function nonZero(rows: ArrayLike<ArrayLike<number>>, column = 0): [number, number][] {
  const out: [number, number][] = [];
  for (let s = 0; s < rows.length; s++) if (rows[s]![column] !== 0) out.push([s, rows[s]![column]!]);
  return out;
}

describe('spike steps, hand-checked', () => {
  it('[0, 2.5, 5] ms at dt 0.5: spikes at steps 0, 5, 10; g_exc gets w at step + max(1, round(d / dt))', () => {
    setup({ dt: 0.5, seed: 1 });
    const src = new SpikeSourceArray([0, 2.5, 5]);
    const izh = [0, 1, 3].map(() => new Population(1, Izhikevich));
    // Delays 0 (one step), 1 ms (2 steps), 3 ms (6 steps: the source's spike ring holds 6 steps).
    new Projection(src, izh[0]!, 'exc').connectOneToOne({ weights: 3 });
    new Projection(src, izh[1]!, 'exc').connectOneToOne({ weights: 3, delays: 1 });
    new Projection(src, izh[2]!, 'exc').connectOneToOne({ weights: 3, delays: 3 });
    const ifc = new Population(1, IF_curr_exp);
    new Projection(src, ifc, 'exc').connectOneToOne({ weights: 2, delays: 1 });
    const ms = new Monitor(src, 'spike');
    const mg = izh.map((p) => new Monitor(p, 'g_exc'));
    const mi = new Monitor(ifc, 'g_exc');
    compile();
    simulate(10); // steps 0..19
    expect(trains(ms.get('spike'))).toEqual([[0, 5, 10]]);
    // Izhikevich's g_exc is instantaneous: w exactly at the arrival step, 0 at every other.
    expect(nonZero(mg[0]!.get('g_exc'))).toEqual([[1, 3], [6, 3], [11, 3]]);
    expect(nonZero(mg[1]!.get('g_exc'))).toEqual([[2, 3], [7, 3], [12, 3]]);
    expect(nonZero(mg[2]!.get('g_exc'))).toEqual([[6, 3], [11, 3], [16, 3]]);
    // IF_curr_exp's g_exc decays on its own: it jumps at the arrival steps and only there.
    const g = Array.from(mi.get('g_exc'), (r) => r[0]!);
    expect(g[1]).toBe(0);
    expect(g[2]).toBeGreaterThan(0);
    const jumps = g.flatMap((x, s) => (x > (s > 0 ? g[s - 1]! : 0) ? [s] : []));
    expect(jumps).toEqual([2, 7, 12]);
  });

  it('one list per neuron: empty lists, unsorted times, duplicates after rounding; spikeTimes reads them back in ms', () => {
    setup({ dt: 1 });
    const src = new SpikeSourceArray([[1, 3], [], [3, 2, 2.4], Float64Array.of(4, 0)]);
    expect(src.size).toBe(4);
    expect(src.spikeTimes).toEqual([[1, 3], [], [2, 3], [0, 4]]);
    const m = new Monitor(src, 'spike');
    compile();
    simulate(6);
    expect(trains(m.get('spike'))).toEqual([[1, 3], [], [2, 3], [0, 4]]);
    expect(src.kernelInfo).toBeNull();
    expect(src.attributes).toEqual(['r']); // the firing rate every spiking population has
  });

  it('dt 0.1: times without float noise (0.3 ms is step 3, not 2; 1000 ms step 10000), read back as given', () => {
    setup({ dt: 0.1 });
    const src = new SpikeSourceArray([0.3, 0.7, 100.1, 1000]);
    const m = new Monitor(src, 'spike');
    compile();
    simulate(1000); // steps 0..9999
    expect(getCurrentStep()).toBe(10000);
    expect(trains(m.get('spike'))).toEqual([[3, 7, 1001]]);
    step(); // step 10000
    expect(trains(m.get('spike'))).toEqual([[10000]]);
    expect(src.spikeTimes).toEqual([[0.3, 0.7, 100.1, 1000]]);
  });

  it("round(t / dt) as ANNarchy's Python round: halves go to the even step (0.5 -> 0, 1.5 -> 2, 2.5 -> 2, 3.5 -> 4)", () => {
    setup({ dt: 1 });
    const src = new SpikeSourceArray([[0.5], [1.5], [2.5], [3.5], [2.4999]]);
    expect(src.spikeTimes).toEqual([[0], [2], [2], [4], [2]]);
    const m = new Monitor(src, 'spike');
    compile();
    simulate(5);
    expect(trains(m.get('spike'))).toEqual([[0], [2], [2], [4], [2]]);
  });

  it("simulateUntil with { stopCondition: 'spiked : any' } stops after the source's first spike", () => {
    setup({ dt: 0.5 });
    const src = new SpikeSourceArray([[4], [2.5]], { stopCondition: 'spiked : any', name: 'stim' });
    compile();
    expect(src.name).toBe('stim');
    // The spike at step 5 (2.5 ms); the condition is seen after that step: 6 steps.
    expect(simulateUntil(100, src)).toBe(3);
    expect(getCurrentStep()).toBe(6);
  });

  it("'spiked : all' waits for a step where every neuron spikes", () => {
    setup({ dt: 1 });
    const src = new SpikeSourceArray([[1, 7], [2, 7], [7]], { stopCondition: 'spiked : all' });
    compile();
    expect(simulateUntil(100, src)).toBe(8);
  });
});

describe('errors name the bad value and the fix', () => {
  it('negative, non-finite and non-number times; wrong shapes; unknown options', () => {
    setup({ dt: 0.1 });
    expectError(() => new SpikeSourceArray([1, -2]), 'spikeTimes[1] is -2', 'finite numbers of ms >= 0');
    expectError(() => new SpikeSourceArray([[1], [3, NaN]]), 'spikeTimes[1][1] is NaN', 'finite numbers of ms >= 0');
    expectError(() => new SpikeSourceArray([Infinity]), 'spikeTimes[0] is Infinity');
    expectError(() => new SpikeSourceArray(['5'] as never), "spikeTimes[0] is '5' (a string)");
    expectError(() => new SpikeSourceArray([[1], 2] as never), 'spikeTimes[1] is 2 but other entries are lists', 'one list per neuron ([[10, 20], [], [15]])');
    expectError(() => new SpikeSourceArray(5 as never), 'spikeTimes must be an array', 'got 5');
    expectError(() => new SpikeSourceArray([1e12], { name: 'far' }), "new SpikeSourceArray 'far'", 'spikeTimes[0] is 1000000000000 ms', 'past the last step');
    expectError(() => new SpikeSourceArray([1], { nmae: 'x' } as never), "unknown option 'nmae'", 'name, stopCondition');
    // Nothing refused took an id: the next population is pop0.
    expect(new SpikeSourceArray([1]).name).toBe('pop0');
  });

  it("a monitor of a variable says that a source records 'spike' or its firing rate r", () => {
    const src = new SpikeSourceArray([[1], [2]], { name: 'stim' });
    expectError(() => new Monitor(src, ['spike', 'v']), "unknown variable 'v'", "it can record 'spike' or one of r");
  });

  it('get() and set() of an attribute say that a source has only r and where its times are', () => {
    const src = new SpikeSourceArray([[1], [2]], { name: 'stim' });
    for (const f of [() => src.get('v'), () => src.set({ v: 1 })]) {
      expectError(f, "population 'stim' has no attribute 'v'; it has only r, its firing rate (a SpikeSourceArray: read and set its times through spikeTimes)");
    }
  });

  it('a set gives as many lists as the population has neurons; a refused set changes nothing', () => {
    const src = new SpikeSourceArray([[1], [2], [3]], { name: 'in' });
    const single = new SpikeSourceArray([5]);
    expectError(() => (src.spikeTimes = [[1], [2]]), "SpikeSourceArray 'in' has 3 neurons", 'give 3 lists of times, one per neuron, got 2 lists');
    expectError(() => (src.spikeTimes = [1, 2]), 'got one list of times (one neuron)');
    compile();
    expectError(() => (src.spikeTimes = [[1], [-1], [3]]), 'spikeTimes[1][0] is -1');
    expect(src.spikeTimes).toEqual([[1], [2], [3]]);
    const one = new Network({ everything: true });
    expect(one.get(src).spikeTimes).toEqual([[1], [2], [3]]);
    // A population of one neuron takes a flat list or a list holding one list.
    single.spikeTimes = [[6]];
    expect(single.spikeTimes).toEqual([[6]]);
    single.spikeTimes = [7, 8];
    expect(single.spikeTimes).toEqual([[7, 8]]);
    expectError(() => (single.spikeTimes = [[1], [2]]), 'has 1 neuron: give one list of times');
  });

  it('a disposed network refuses to read or set them', () => {
    const src = new SpikeSourceArray([1]);
    const net = new Network({ everything: true });
    net.compile();
    net.dispose();
    expectError(() => net.get(src).spikeTimes, 'disposed');
    expectError(() => (net.get(src).spikeTimes = [2]), 'disposed');
  });
});

describe('reset, setting times after compile, pop.reset()', () => {
  it('reset() (global) and net.reset() start again from the first spike time', () => {
    setup({ dt: 1 });
    const src = new SpikeSourceArray([[1, 4, 12], [0, 7]]);
    const m = new Monitor(src, 'spike');
    compile();
    simulate(10);
    const first = trains(m.get('spike'));
    expect(first).toEqual([[1, 4], [0, 7]]);
    reset();
    simulate(10);
    expect(trains(m.get('spike'))).toEqual(first);
    const net = new Network({ everything: true });
    net.compile();
    net.simulate(13);
    expect(trains(net.get(m).get('spike'))).toEqual([[1, 4, 12], [0, 7]]);
    net.reset();
    net.simulate(5);
    expect(trains(net.get(m).get('spike'))).toEqual([[1, 4], [0]]);
  });

  it('a set after compile takes effect from the current time on (past times skipped; the current step fires); reset() replays the new times', () => {
    setup({ dt: 0.5 });
    const src = new SpikeSourceArray([0, 2.5, 5]);
    const m = new Monitor(src, 'spike');
    compile();
    simulate(3); // steps 0..5
    expect(trains(m.get('spike'))).toEqual([[0, 5]]);
    src.spikeTimes = [1, 3, 4, 9, 4]; // steps 2 (past), 6 (now), 8, 18
    expect(src.spikeTimes).toEqual([[1, 3, 4, 9]]);
    simulate(10);
    expect(trains(m.get('spike'))).toEqual([[6, 8, 18]]);
    reset();
    simulate(10);
    expect(trains(m.get('spike'))).toEqual([[2, 6, 8, 18]]);
  });

  it('a set in an every() callback counts from the step it is called before', () => {
    setup({ dt: 1 });
    const src = new SpikeSourceArray([[]]);
    const m = new Monitor(src, 'spike');
    const net = new Network({ everything: true });
    net.compile();
    net.every(10, (n) => {
      net.get(src).spikeTimes = [10 * n, 10 * n + 3, 10 * n + 12];
    });
    net.simulate(30);
    // Each call at step 10n: 10n and 10n + 3 fire; 10n + 12 is replaced by the next call first.
    expect(trains(net.get(m).get('spike'))).toEqual([[0, 3, 10, 13, 20, 23]]);
  });

  it("pop.reset() (ANNarchy's SpikeSourceArray.reset): the times count from the current time, the network's reset goes back to 0", () => {
    setup({ dt: 1 });
    const src = new SpikeSourceArray([1, 3]);
    const m = new Monitor(src, 'spike');
    src.reset(); // before compile: nothing to do
    compile();
    simulate(5);
    src.reset();
    simulate(5);
    expect(trains(m.get('spike'))).toEqual([[1, 3, 6, 8]]);
    // After a pop.reset(), a set skips what is past relative to the new origin.
    simulate(2); // steps 10, 11: now step 12, time 7 for the source
    src.spikeTimes = [6, 7, 8];
    simulate(2);
    expect(trains(m.get('spike'))).toEqual([[12, 13]]);
    reset();
    simulate(10);
    expect(trains(m.get('spike'))).toEqual([[6, 7, 8]]);
  });
});

describe('networks', () => {
  it('copies take the times the original has at add(); setting a copy changes only the copy, before or after compile', () => {
    setup({ dt: 1 });
    const src = new SpikeSourceArray([[1, 2], [3]]);
    const m = new Monitor(src, 'spike');
    const a = new Network({ everything: true });
    const b = new Network({ everything: true });
    a.get(src).spikeTimes = [[5], []];
    src.spikeTimes = [[7], [8]];
    const c = new Network({ everything: true });
    expect(a.get(src).spikeTimes).toEqual([[5], []]);
    expect(b.get(src).spikeTimes).toEqual([[1, 2], [3]]);
    expect(c.get(src).spikeTimes).toEqual([[7], [8]]);
    for (const n of [a, b, c]) n.compile();
    compile();
    b.simulate(4);
    b.get(src).spikeTimes = [[4, 6], [9]];
    for (const n of [a, b, c]) n.simulate(12 - n.getCurrentStep());
    simulate(12);
    expect(trains(a.get(m).get('spike'))).toEqual([[5], []]);
    expect(trains(b.get(m).get('spike'))).toEqual([[1, 2, 4, 6], [3, 9]]);
    expect(trains(c.get(m).get('spike'))).toEqual([[7], [8]]);
    expect(trains(m.get('spike'))).toEqual([[7], [8]]);
    expect(src.spikeTimes).toEqual([[7], [8]]);
    // net.add() copies a spike source like any population.
    const d = new Network();
    d.add([src, m]);
    d.compile();
    d.simulate(10);
    expect(d.get(src)).toBeInstanceOf(SpikeSourceArray);
    expect(trains(d.get(m).get('spike'))).toEqual([[7], [8]]);
  });

  /** A Poisson drive and a spike source into noisy Izhikevich neurons, through one delay per projection and one per synapse. */
  function mixed(kernels: 'auto' | 'js', seed: number) {
    clear();
    setup({ dt: 0.5, seed, kernels });
    const noise = new PoissonPopulation(40, { rates: 30 });
    const times = Array.from({ length: 8 }, (_, i) => Array.from({ length: 30 }, (_, k) => (k * 37 + i * 11) % 500));
    const src = new SpikeSourceArray(times);
    const cells = new Population(20, Izhikevich({ noise: 2 }));
    new Projection(noise, cells, 'exc').connectFixedProbability({ probability: 0.2, weights: 25 });
    new Projection(src, cells, 'exc').connectAllToAll({ weights: 30, delays: 2 });
    new Projection(src, cells, 'inh').connectFixedProbability({ probability: 0.5, weights: 10, delays: Uniform(0.5, 3) });
    const ms = new Monitor(src, 'spike');
    const mc = new Monitor(cells, ['spike', 'v', 'g_exc']);
    const net = new Network({ everything: true });
    net.compile();
    const fused = net.world.runtime!.inputStage !== null;
    net.simulate(500);
    const rec = net.get(mc).get(['spike', 'v', 'g_exc']);
    return { fused, source: trains(net.get(ms).get('spike')), spikes: trains(rec.spike), v: rec.v.map((r) => [...r]), g: rec.g_exc.map((r) => [...r]) };
  }

  it("JS kernels (setup({ kernels: 'js' })) and the default give identical runs; the default keeps the fused WebAssembly input stage", () => {
    const auto = mixed('auto', 11);
    const js = mixed('js', 11);
    expect(auto.fused).toBe(true);
    expect(js.fused).toBe(false);
    expect(auto.source.flat().length).toBe(8 * 30 - 0); // (k·37 + i·11) % 500 has no duplicates per neuron
    expect(auto.spikes.flat().length).toBeGreaterThan(0);
    expect(js).toEqual({ ...auto, fused: false });
  });

  it('identical seeds give identical runs; another seed another (its Poisson part)', () => {
    const a = mixed('auto', 21);
    const b = mixed('auto', 21);
    const c = mixed('auto', 22);
    expect(b).toEqual(a);
    expect(c.source).toEqual(a.source);
    expect(c.spikes).not.toEqual(a.spikes);
  });
});

describe('cost', () => {
  it('a step reads in proportion to the spikes due, not to the size or the past: 200,000 sources, 1,002 spikes, 40,000 steps', () => {
    setup({ dt: 1 });
    const times: number[][] = Array.from({ length: 200_000 }, () => []);
    times[5] = Array.from({ length: 1000 }, (_, k) => k + 10);
    times[199_999] = [20, 39_999];
    const src = new SpikeSourceArray(times);
    const m = new Monitor(src, 'spike');
    compile();
    // Every read of the event lists counted (the step takes the schedule in force each step).
    const schedule = src.data.schedule!;
    let reads = 0;
    const counted = (a: Int32Array) =>
      new Proxy(a, {
        get(target, key) {
          reads++;
          const value: unknown = Reflect.get(target, key);
          return typeof value === 'function' ? value.bind(target) : value;
        },
      });
    src.data.schedule = { size: schedule.size, steps: counted(schedule.steps), ranks: counted(schedule.ranks) };
    simulate(40_000);
    const spikes = m.get('spike');
    expect([...spikes[5]!]).toEqual(times[5]);
    expect([...spikes[199_999]!]).toEqual([20, 39_999]);
    // A few reads per step and per spike; a scan of the population would be 8·10^9, a scan of
    // the events from the first one each step ~4·10^7.
    expect(reads).toBeGreaterThan(40_000);
    expect(reads).toBeLessThan(5 * 40_000);
  });

  it('the step allocates (next to) nothing on the JS heap, in both the fused WebAssembly stage and the JS one', () => {
    for (const kernels of ['auto', 'js'] as const) {
      clear();
      setup({ dt: 1, kernels });
      // 100 neurons, each spiking every other ms for 200 s.
      const src = new SpikeSourceArray(Array.from({ length: 100 }, (_, i) => Array.from({ length: 100_000 }, (_, k) => 2 * k + (i % 2))));
      const cells = new Population(10, Izhikevich);
      new Projection(src, cells, 'exc').connectFixedProbability({ probability: 0.1, weights: 0.5 });
      const m = new Monitor(src, 'spike');
      const net = new Network({ everything: true });
      net.compile();
      net.get(m).pause();
      net.simulate(20_000);
      expect(leastBytesPerStep((steps) => net.simulate(steps * net.dt), 10_000), kernels).toBeLessThan(4);
      net.dispose();
    }
  });
});
