/**
 * Monitors: which steps are recorded (period, start, pause/resume), what get() hands over and
 * empties, and the spike analysis methods on a deterministic network whose every number can be
 * counted by hand. Period / start / pause tables are ANNarchy's tests/Neuron/test_Monitor.py.
 */
import { beforeEach, describe, expect, it } from 'vitest';

import {
  clear,
  compile,
  Monitor,
  Neuron,
  PoissonPopulation,
  Population,
  reset,
  setup,
  simulate,
} from '../../src/index.js';
import { column, rows, trains } from '../helpers/core.js';

beforeEach(() => clear());

const clock = () => new Neuron({ equations: 'r = t', spike: 'never_spikes > 0', parameters: { never_spikes: 0 } });

/** Neuron i fires every k[i] steps, first at step k[i] - 1. */
function regular(k: number[]) {
  const pop = new Population(k.length, new Neuron({ parameters: { k: 1 }, equations: 'v = v + 1', spike: 'v >= k', reset: 'v = 0' }));
  pop.set({ k });
  return pop;
}

/** The spike trains of `regular(k)` over `steps` steps, counted by hand. */
function regularTrains(k: number[], steps: number, from = 0): number[][] {
  return k.map((ki) => {
    const out: number[] = [];
    for (let s = ki - 1; s < steps; s += ki) if (s >= from) out.push(s);
    return out;
  });
}

describe('which steps are recorded', () => {
  it('every step by default: r = t over 10 steps', () => {
    const pop = new Population(3, clock());
    const m = new Monitor(pop, 'r');
    compile();
    simulate(10);
    expect(Array.from(m.times('r'))).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(rows(m.get('r'))).toEqual(Array.from({ length: 10 }, (_, k) => [k, k, k]));
  });

  it('period 10 ms over 100 steps: rows at steps 0, 10, ..., 90', () => {
    const pop = new Population(3, clock());
    const m = new Monitor(pop, 'r', { period: 10 });
    compile();
    simulate(100);
    expect(Array.from(m.times('r'))).toEqual([0, 10, 20, 30, 40, 50, 60, 70, 80, 90]);
    expect(column(m.get('r'), 1)).toEqual([0, 10, 20, 30, 40, 50, 60, 70, 80, 90]);
  });

  it('period in ms at dt = 0.5: 5 ms is every 10 steps', () => {
    setup({ dt: 0.5 });
    const pop = new Population(1, clock());
    const m = new Monitor(pop, 'r', { period: 5 });
    expect(m.period).toBe(5);
    compile();
    simulate(20); // 40 steps
    expect(Array.from(m.times('r'))).toEqual([0, 10, 20, 30]);
    expect(column(m.get('r'), 0)).toEqual([0, 5, 10, 15]);
  });

  it('spikes are recorded every step whatever the period', () => {
    const pop = regular([3]);
    const m = new Monitor(pop, ['v', 'spike'], { period: 10 });
    compile();
    simulate(30);
    expect(Array.from(m.times('v'))).toEqual([0, 10, 20]);
    expect(trains(m.get('spike'))).toEqual([[2, 5, 8, 11, 14, 17, 20, 23, 26, 29]]);
  });

  it('start: false records only after start(): 10 steps, start, 10 steps -> rows 10..19', () => {
    const pop = new Population(3, clock());
    const m = new Monitor(pop, 'r', { start: false });
    compile();
    simulate(10);
    expect(m.get('r')).toEqual([]);
    m.start();
    simulate(10);
    expect(column(m.get('r'), 0)).toEqual([10, 11, 12, 13, 14, 15, 16, 17, 18, 19]);
  });

  it('pause, 10 steps, resume, 10 steps -> rows 10..19 (the paused interval is missing)', () => {
    const pop = new Population(3, clock());
    const m = new Monitor(pop, 'r');
    compile();
    m.pause();
    simulate(10);
    m.resume();
    simulate(10);
    expect(Array.from(m.times('r'))).toEqual([10, 11, 12, 13, 14, 15, 16, 17, 18, 19]);
    expect(column(m.get('r'), 2)).toEqual([10, 11, 12, 13, 14, 15, 16, 17, 18, 19]);
  });

  it('pausing in the middle leaves a gap in variables and spikes', () => {
    const pop = regular([1]);
    const m = new Monitor(pop, ['v', 'spike']);
    compile();
    simulate(3);
    m.pause();
    simulate(4);
    m.resume();
    simulate(2);
    expect(Array.from(m.times('v'))).toEqual([0, 1, 2, 7, 8]);
    expect(trains(m.get('spike'))).toEqual([[0, 1, 2, 7, 8]]);
  });

  it('a monitor created after compile records from that moment', () => {
    const pop = new Population(1, clock());
    compile();
    simulate(5);
    const m = new Monitor(pop, 'r');
    simulate(3);
    expect(Array.from(m.times('r'))).toEqual([5, 6, 7]);
    expect(column(m.get('r'), 0)).toEqual([5, 6, 7]);
  });

  it('two monitors on the same population are independent', () => {
    const pop = new Population(1, clock());
    const a = new Monitor(pop, 'r');
    const b = new Monitor(pop, 'r', { period: 2 });
    compile();
    simulate(4);
    expect(column(a.get('r'), 0)).toEqual([0, 1, 2, 3]);
    simulate(2);
    expect(column(b.get('r'), 0)).toEqual([0, 2, 4]);
    expect(column(a.get('r'), 0)).toEqual([4, 5]);
  });
});

describe('get() hands over and empties', () => {
  it('get(name) returns one copied row per recorded step and empties the buffer', () => {
    const pop = new Population(2, clock());
    const m = new Monitor(pop, 'r');
    compile();
    simulate(3);
    const first = m.get('r');
    expect(first).toHaveLength(3);
    expect(first[0]).toBeInstanceOf(Float64Array);
    expect(first[0]).toHaveLength(2);
    expect(m.get('r')).toEqual([]);
    expect(Array.from(m.times('r'))).toEqual([]);
    simulate(2);
    expect(column(m.get('r'), 0)).toEqual([3, 4]);
    first[0]![0] = 99; // a copy: later data is unaffected
    expect(rows(first)).toEqual([[99, 0], [1, 1], [2, 2]]);
  });

  it('get() with no name returns every variable and empties them all', () => {
    const pop = regular([2, 3]);
    const m = new Monitor(pop, ['v', 'spike']);
    compile();
    simulate(6);
    const d = m.get();
    expect(Object.keys(d).sort()).toEqual(['spike', 'v']);
    expect(rows(d['v']!)).toEqual([[1, 1], [0, 2], [1, 0], [0, 1], [1, 2], [0, 0]]);
    expect(trains(d['spike']!)).toEqual([[1, 3, 5], [2, 5]]);
    const again = m.get();
    expect(again['v']).toEqual([]);
    expect(trains(again['spike']!)).toEqual([[], []]);
  });

  it("'spike' gives one Int32Array per rank, silent ranks included", () => {
    const pop = regular([1, 1000, 4]);
    const m = new Monitor(pop, 'spike');
    compile();
    simulate(10);
    const s = m.get('spike');
    expect(s).toHaveLength(3);
    for (const train of s) expect(train).toBeInstanceOf(Int32Array);
    expect(trains(s)).toEqual([[0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [], [3, 7]]);
  });

  // ANNarchy's Monitor.get(name) clears only the variables it returns (`_get_population` calls
  // `clear_<name>` per requested name); semantics.md says get() empties "as ANNarchy does". The
  // engine clears every variable (src/api/monitor.ts, get(name) -> afterGet() -> clearBuffers()).
  it('get(name) empties only that variable; the others keep their data', () => {
    const pop = regular([2]);
    const m = new Monitor(pop, ['v', 'spike']);
    compile();
    simulate(4);
    expect(column(m.get('v'), 0)).toEqual([1, 0, 1, 0]);
    expect(trains(m.get('spike'))).toEqual([[1, 3]]);
  });

  it('reset() on a monitor empties it and recording goes on', () => {
    const pop = new Population(1, clock());
    const m = new Monitor(pop, 'r');
    compile();
    simulate(5);
    m.reset();
    expect(m.get('r')).toEqual([]);
    simulate(2);
    expect(column(m.get('r'), 0)).toEqual([5, 6]);
  });

  it('the global reset() empties monitors and recording restarts at step 0', () => {
    const pop = new Population(1, clock());
    const m = new Monitor(pop, 'r', { period: 3 });
    compile();
    simulate(7);
    reset();
    expect(m.get('r')).toEqual([]);
    simulate(7);
    expect(Array.from(m.times('r'))).toEqual([0, 3, 6]);
    expect(column(m.get('r'), 0)).toEqual([0, 3, 6]);
  });

  it('asking for a variable that is not recorded is an error naming it', () => {
    const pop = regular([2]);
    const m = new Monitor(pop, 'v');
    compile();
    expect(() => m.get('spike')).toThrow(/spike/);
    expect(() => m.meanFr()).toThrow(/spike/);
  });
});

describe('spike analysis on a deterministic network', () => {
  const k = [1, 2, 4, 5];
  const steps = 100;

  function run(dt = 1) {
    setup({ dt });
    const pop = regular(k);
    const m = new Monitor(pop, 'spike');
    compile();
    simulate(steps * dt);
    return m;
  }

  it('the recorded trains are exactly the hand-counted ones', () => {
    const m = run();
    expect(trains(m.get('spike'))).toEqual(regularTrains(k, steps));
  });

  it('meanFr = spikes / neurons / duration: 195 / 4 / 0.1 s = 487.5 Hz, and at dt = 0.5 twice that', () => {
    expect(run().meanFr()).toBe(487.5);
    clear();
    expect(run(0.5).meanFr()).toBe(975);
  });

  it('rasterPlot is grouped by rank, then by time, with times in ms', () => {
    setup({ dt: 0.5 });
    const m = run(0.5);
    const [times, ranks] = m.rasterPlot();
    const expected = regularTrains(k, steps);
    expect(Array.from(ranks)).toEqual(expected.flatMap((t, r) => t.map(() => r)));
    expect(Array.from(times)).toEqual(expected.flatMap((t) => t.map((s) => s * 0.5)));
    expect(times).toBeInstanceOf(Float64Array);
  });

  it('histogram(10 ms) counts the spikes of all neurons per 10-step bin', () => {
    const m = run();
    const expected = new Array(10).fill(0);
    for (const t of regularTrains(k, steps)) for (const s of t) expected[Math.floor(s / 10)]++;
    expect(Array.from(m.histogram(10))).toEqual(expected);
    expect(expected.slice(0, 4)).toEqual([19, 20, 19, 20]);
  });

  it('populationRate: count per step / (dt · N / 1000), one value per step', () => {
    const m = run();
    const rate = m.populationRate();
    expect(rate).toHaveLength(100);
    const counts = new Array(100).fill(0);
    for (const t of regularTrains(k, steps)) for (const s of t) counts[s]++;
    expect(Array.from(rate)).toEqual(counts.map((c) => (c * 1000) / 4));
    expect(rate[0]).toBe(250); // only the k = 1 neuron fires at step 0
    expect(rate[19]).toBe(1000); // all four fire at step 19
  });

  it('interSpikeInterval (ms, rank order) and coefficientOfVariation (0 for regular trains)', () => {
    const m = run();
    const isi = Array.from(m.interSpikeInterval());
    expect(isi).toEqual([
      ...new Array(99).fill(1),
      ...new Array(49).fill(2),
      ...new Array(24).fill(4),
      ...new Array(19).fill(5),
    ]);
    expect(Array.from(m.coefficientOfVariation())).toEqual([0, 0, 0, 0]);
  });

  it('the analysis methods do not empty the recording; each accepts data returned by get()', () => {
    const m = run();
    const a = m.meanFr();
    const b = m.meanFr();
    const [t1] = m.rasterPlot();
    const h = m.histogram(10);
    expect(b).toBe(a);
    expect(t1).toHaveLength(195);
    const spikes = m.get('spike');
    expect(spikes.reduce((n, s) => n + s.length, 0)).toBe(195);
    expect(m.meanFr(spikes)).toBe(487.5);
    expect(Array.from(m.histogram(10, spikes))).toEqual(Array.from(h));
    expect(m.rasterPlot(spikes)[0]).toHaveLength(195);
    // After get() the monitor itself is empty.
    expect(m.rasterPlot()[0]).toHaveLength(0);
  });

  it('after get(), the analysis methods cover only the new window', () => {
    const pop = regular([2]);
    const m = new Monitor(pop, 'spike');
    compile();
    simulate(100);
    m.get();
    simulate(50); // spikes at 101, 103, ..., 149
    expect(m.meanFr()).toBe(500);
    expect(Array.from(m.histogram(10))).toEqual([5, 5, 5, 5, 5]);
    expect(m.populationRate()).toHaveLength(50);
    expect(m.rasterPlot()[0][0]).toBe(101);
  });

  it('meanFr excludes paused intervals from the duration', () => {
    const pop = regular([1, 2]);
    const m = new Monitor(pop, 'spike');
    compile();
    simulate(10);
    m.pause();
    simulate(30);
    m.resume();
    simulate(10);
    // 20 recorded steps: neuron 0 fires in all of them, neuron 1 in every other one
    // (ANNarchy divides by the last segment only: 1500 Hz).
    expect(m.meanFr()).toBe((20 + 10) / 2 / 0.02);
    // Bins span the whole window, 15 spikes per segment; the pause reads 0.
    expect(Array.from(m.histogram(10))).toEqual([15, 0, 0, 0, 15]);
    expect(m.populationRate()).toHaveLength(50);
  });

  it('meanFr after start() later counts only the recorded window', () => {
    const pop = regular([4]);
    const m = new Monitor(pop, 'spike', { start: false });
    compile();
    simulate(40);
    m.start();
    simulate(40); // spikes at 43, 47, ..., 79: 10 spikes in 40 ms
    expect(trains(m.get('spike'))[0]).toEqual(regularTrains([4], 80, 40)[0]);
    clear();
    const pop2 = regular([4]);
    const m2 = new Monitor(pop2, 'spike', { start: false });
    compile();
    simulate(40);
    m2.start();
    simulate(40);
    expect(m2.meanFr()).toBe(250);
  });

  it('Poisson populations can be monitored for spikes', () => {
    setup({ seed: 2 });
    const pop = new PoissonPopulation(20, { rates: 1000 }); // p = 1 per step at dt = 1
    const m = new Monitor(pop, 'spike');
    compile();
    simulate(5);
    expect(trains(m.get('spike'))).toEqual(new Array(20).fill([0, 1, 2, 3, 4]));
  });
});
