/**
 * TimedPoissonPopulation (ANNarchy's TimedPoissonPopulation): entry k of the rates holds from
 * onset k of the schedule (steps int(t / dt)) to the next, inside a run; the period starts the
 * schedule again. At 1000 Hz and dt 1 ms a source spikes every step (probability 1) and at 0 Hz
 * never, so the windows are exact, hand-checked steps; mid rates are checked against binomial
 * bounds and against a PoissonPopulation with the same seed (the same law, the same draws).
 */
import { beforeEach, describe, expect, it } from 'vitest';

import {
  clear,
  compile,
  getCurrentStep,
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
  TimedPoissonPopulation,
} from '../../src/index.js';
import { expectBinomial, expectError, trains } from '../helpers/core.js';

beforeEach(() => clear());

/** Spikes every step (dt 1 ms: probability rate · dt / 1000 = 1). */
const ALWAYS = 1000;

/** Steps lo ≤ s < hi. */
const range = (lo: number, hi: number) => Array.from({ length: hi - lo }, (_, k) => lo + k);

const BACKENDS = [
  { kernels: 'auto', precision: 'double' },
  { kernels: 'auto', precision: 'float' },
  { kernels: 'js', precision: 'double' },
  { kernels: 'js', precision: 'float' },
] as const;

describe('rates switch at the scheduled steps, inside a run', () => {
  it.each(BACKENDS)('rates [0, 1000, 0] Hz from 0, 10, 20 ms at dt 1: every neuron spikes at steps 10..19 and only there ($kernels, $precision)', ({ kernels, precision }) => {
    setup({ dt: 1, seed: 3, kernels, precision });
    const pop = new TimedPoissonPopulation(5, { rates: [0, ALWAYS, 0], schedule: [0, 10, 20] });
    const m = new Monitor(pop, 'spike');
    compile();
    simulate(30); // one call: the switches happen inside it
    expect(trains(m.get('spike'))).toEqual(Array.from({ length: 5 }, () => range(10, 20)));
  });

  it('before the first onset the rate is 0 Hz; after the last one, the last rate holds', () => {
    setup({ dt: 1 });
    const pop = new TimedPoissonPopulation(2, { rates: [0, ALWAYS], schedule: [5, 8] });
    const m = new Monitor(pop, 'spike');
    compile();
    simulate(12);
    expect(trains(m.get('spike'))).toEqual([range(8, 12), range(8, 12)]);
  });

  it('per-neuron rates: each entry one rate per neuron (nested in a 2-D geometry too)', () => {
    setup({ dt: 1 });
    const flat = new TimedPoissonPopulation(3, { rates: [[ALWAYS, 0, ALWAYS], Float64Array.of(0, ALWAYS, 0)], schedule: [0, 3] });
    const grid = new TimedPoissonPopulation([2, 2], { rates: [[[ALWAYS, 0], [0, 0]], 0, [[0, 0], [0, ALWAYS]]], schedule: [0, 2, 4] });
    const mf = new Monitor(flat, 'spike');
    const mg = new Monitor(grid, 'spike');
    compile();
    simulate(6);
    expect(trains(mf.get('spike'))).toEqual([[0, 1, 2], [3, 4, 5], [0, 1, 2]]);
    expect(trains(mg.get('spike'))).toEqual([[0, 1], [], [], [4, 5]]);
    expect(flat.rates.map((r) => [...r])).toEqual([[ALWAYS, 0, ALWAYS], [0, ALWAYS, 0]]);
    expect(grid.rates[1]).toEqual(new Float64Array(4));
  });

  it('schedule as one number: each entry lasts that long (onsets 0, s, 2s, …)', () => {
    setup({ dt: 1 });
    const pop = new TimedPoissonPopulation(1, { rates: [ALWAYS, 0, ALWAYS], schedule: 2 });
    const m = new Monitor(pop, 'spike');
    expect(pop.schedule).toEqual([0, 2, 4]);
    compile();
    simulate(7);
    expect(trains(m.get('spike'))).toEqual([[0, 1, 4, 5, 6]]);
  });

  it("onsets are ANNarchy's int(t / dt) without float noise: at dt 0.1, 0.3 ms is step 3 and 0.25 ms step 2", () => {
    setup({ dt: 0.1 });
    const pop = new TimedPoissonPopulation(1, { rates: [0, 10_000, 0], schedule: [0, 0.25, 0.3] });
    const m = new Monitor(pop, 'spike');
    expect(pop.schedule).toEqual([0, 0.2, 0.3]);
    compile();
    simulate(1);
    // 10 kHz at dt 0.1: probability 1.
    expect(trains(m.get('spike'))).toEqual([[2]]);
  });

  it("simulateUntil with 'spiked : any' stops after the first onset with a rate", () => {
    setup({ dt: 1 });
    const pop = new TimedPoissonPopulation(3, { rates: [0, ALWAYS], schedule: [0, 7], stopCondition: 'spiked : any' });
    compile();
    expect(simulateUntil(100, pop)).toBe(8);
    expect(getCurrentStep()).toBe(8);
  });
});

describe('period', () => {
  it('period 5 ms: the schedule starts again at steps 0, 5, 10, …', () => {
    setup({ dt: 1 });
    const pop = new TimedPoissonPopulation(1, { rates: [ALWAYS, 0], schedule: [0, 2], period: 5 });
    const m = new Monitor(pop, 'spike');
    expect(pop.period).toBe(5);
    compile();
    simulate(16);
    expect(trains(m.get('spike'))).toEqual([[0, 1, 5, 6, 10, 11, 15]]);
  });

  it('entries at or past the period are never set', () => {
    setup({ dt: 1 });
    const pop = new TimedPoissonPopulation(1, { rates: [ALWAYS, 0, ALWAYS], schedule: [0, 2, 5], period: 5 });
    const m = new Monitor(pop, 'spike');
    compile();
    simulate(12);
    expect(trains(m.get('spike'))).toEqual([[0, 1, 5, 6, 10, 11]]);
  });

  it('a first onset after 0: in later cycles the rate of the previous cycle holds until it (ANNarchy keeps the last one set)', () => {
    setup({ dt: 1 });
    const pop = new TimedPoissonPopulation(1, { rates: [0, ALWAYS], schedule: [1, 3], period: 5 });
    const m = new Monitor(pop, 'spike');
    compile();
    simulate(16);
    // Cycle 1: 0 Hz at step 0 (before any onset); later cycles: 1000 Hz carried over to their step 0.
    expect(trains(m.get('spike'))).toEqual([[3, 4, 5, 8, 9, 10, 13, 14, 15]]);
  });
});

describe('the same law and draws as PoissonPopulation', () => {
  /** A run of 300 sources at `rates` (Hz) for 1 s at dt 0.5 ms: the spike trains. */
  function poissonRun(make: () => PoissonPopulation | TimedPoissonPopulation, run: (pop: PoissonPopulation | TimedPoissonPopulation) => void) {
    const pop = make();
    const m = new Monitor(pop, 'spike');
    compile();
    run(pop);
    return trains(m.get('spike'));
  }

  it.each(BACKENDS)('one entry gives the spikes of a PoissonPopulation of that rate with the same seed, also per neuron ($kernels, $precision)', ({ kernels, precision }) => {
    const perNeuron = Array.from({ length: 300 }, (_, i) => 3.7 * (i % 17));
    for (const rates of [37.3, perNeuron]) {
      clear();
      setup({ dt: 0.5, seed: 8, kernels, precision });
      const plain = poissonRun(() => new PoissonPopulation(300, { rates }), () => simulate(1000));
      clear();
      setup({ dt: 0.5, seed: 8, kernels, precision });
      const timed = poissonRun(() => new TimedPoissonPopulation(300, { rates: [rates], schedule: [0] }), () => simulate(1000));
      expect(timed.flat().length).toBeGreaterThan(3000);
      expect(timed).toEqual(plain);
    }
  });

  it.each(BACKENDS)('two entries give the spikes of a PoissonPopulation whose rates are set between two simulate() calls at the onset ($kernels, $precision)', ({ kernels, precision }) => {
    setup({ dt: 0.5, seed: 12, kernels, precision });
    const plain = poissonRun(
      () => new PoissonPopulation(300, { rates: 20 }),
      (pop) => {
        simulate(400);
        (pop as PoissonPopulation).rates = 80;
        simulate(600);
      },
    );
    clear();
    setup({ dt: 0.5, seed: 12, kernels, precision });
    const timed = poissonRun(() => new TimedPoissonPopulation(300, { rates: [20, 80], schedule: [0, 400] }), () => simulate(1000));
    expect(timed).toEqual(plain);
  });

  it('mid rates: counts per window within 5 SE of the binomial law (1000 sources; 20, 80, 5 Hz at dt 0.1)', () => {
    setup({ dt: 0.1, seed: 5 });
    const pop = new TimedPoissonPopulation(1000, { rates: [20, 80, 5], schedule: [0, 300, 700] });
    const m = new Monitor(pop, 'spike');
    compile();
    simulate(1000);
    const counts = [0, 0, 0];
    for (const t of m.get('spike')) for (const s of t) counts[s < 3000 ? 0 : s < 7000 ? 1 : 2]!++;
    expectBinomial(counts[0]!, 1000 * 3000, 20 * 0.0001);
    expectBinomial(counts[1]!, 1000 * 4000, 80 * 0.0001);
    expectBinomial(counts[2]!, 1000 * 3000, 5 * 0.0001);
  });
});

describe('reset, changes after compile, pop.reset()', () => {
  it('reset() (global) and net.reset() replay the same spikes from the first onset', () => {
    setup({ dt: 1, seed: 2 });
    const pop = new TimedPoissonPopulation(50, { rates: [30, 300, 0, 100], schedule: [0, 20, 40, 60], period: 70 });
    const m = new Monitor(pop, 'spike');
    compile();
    simulate(150);
    const first = trains(m.get('spike'));
    expect(first.flat().length).toBeGreaterThan(100);
    reset();
    simulate(150);
    expect(trains(m.get('spike'))).toEqual(first);
    const net = new Network({ everything: true, seed: 9 });
    net.compile();
    net.simulate(95);
    net.reset();
    net.simulate(150);
    const other = new Network({ everything: true, seed: 9 });
    other.compile();
    other.simulate(150);
    expect(trains(net.get(m).get('spike'))).toEqual(trains(other.get(m).get('spike')));
  });

  it("pop.reset() (ANNarchy's): the schedule counts from the current time, 0 Hz until its first onset; the network's reset goes back to 0", () => {
    setup({ dt: 1 });
    const pop = new TimedPoissonPopulation(1, { rates: [ALWAYS, 0], schedule: [2, 4] });
    const m = new Monitor(pop, 'spike');
    pop.reset(); // before compile: nothing to do
    compile();
    simulate(3); // steps 0..2: spike at 2
    pop.reset(); // from step 3: 0 Hz at 3, 4; 1000 Hz at 5, 6
    simulate(6);
    expect(trains(m.get('spike'))).toEqual([[2, 5, 6]]);
    reset();
    simulate(6);
    expect(trains(m.get('spike'))).toEqual([[2, 3]]);
  });

  it('new rates after compile hold from the current step (the entry in force is taken from them); reset() replays them from 0', () => {
    setup({ dt: 1 });
    const pop = new TimedPoissonPopulation(1, { rates: [0, 0], schedule: [0, 10] });
    const m = new Monitor(pop, 'spike');
    compile();
    simulate(5);
    pop.rates = [ALWAYS, 0];
    expect(pop.rates.map((r) => [...r])).toEqual([[ALWAYS], [0]]);
    simulate(10);
    expect(trains(m.get('spike'))).toEqual([range(5, 10)]);
    reset();
    simulate(15);
    expect(trains(m.get('spike'))).toEqual([range(0, 10)]);
  });

  it('a new schedule or period after compile: the run goes on from the current step’s place in it', () => {
    setup({ dt: 1 });
    const pop = new TimedPoissonPopulation(1, { rates: [ALWAYS, 0], schedule: [0, 10] });
    const m = new Monitor(pop, 'spike');
    compile();
    simulate(4); // 0..3
    pop.schedule = [0, 6]; // step 4: still entry 0 until 6
    simulate(4); // 4..7
    expect(trains(m.get('spike'))).toEqual([range(0, 6)]);
    pop.period = 4; // step 8: phase 0, entry 0 again; 4..: phase 0 only (onset 6 is past the period)
    simulate(6); // 8..13
    expect(trains(m.get('spike'))).toEqual([[8, 9, 10, 11, 12, 13]]);
    pop.update({ rates: [ALWAYS, 0, ALWAYS], schedule: [0, 1, 3], period: 5 }); // step 14: phase 4
    simulate(6); // 14..19: phase 4 → entry 2 (1000 Hz), 15 phase 0 entry 0, 16 entry 1 (0), 18 entry 2
    expect(trains(m.get('spike'))).toEqual([[14, 15, 18, 19]]);
    expect(pop.period).toBe(5);
    expect(pop.schedule).toEqual([0, 1, 3]);
    pop.update({ period: -1, reset: true }); // from step 20, no cycling
    simulate(6);
    expect(trains(m.get('spike'))).toEqual([[20, 23, 24, 25]]);
  });

  it('a change in an every() callback takes effect at the step it is called before', () => {
    setup({ dt: 1 });
    const pop = new TimedPoissonPopulation(1, { rates: [0], schedule: [0] });
    const m = new Monitor(pop, 'spike');
    const net = new Network({ everything: true });
    net.compile();
    net.every(10, (n) => {
      net.get(pop).rates = [n % 2 === 0 ? ALWAYS : 0];
    });
    net.simulate(30);
    expect(trains(net.get(m).get('spike'))).toEqual([[...range(0, 10), ...range(20, 30)]]);
  });
});

describe('networks', () => {
  it('copies take the table the original has at add(); a change to a copy changes only the copy; same seed, same spikes', () => {
    setup({ dt: 1, seed: 4 });
    const pop = new TimedPoissonPopulation(20, { rates: [40, 200], schedule: [0, 50] });
    const m = new Monitor(pop, 'spike');
    const a = new Network({ everything: true, seed: 1 });
    pop.update({ rates: [0, ALWAYS], schedule: [0, 5] });
    const b = new Network({ everything: true, seed: 1 });
    const c = new Network({ everything: true, seed: 1 });
    c.get(pop).rates = [ALWAYS, 0];
    expect(a.get(pop).rates[1]![0]).toBe(200);
    expect(b.get(pop).schedule).toEqual([0, 5]);
    expect(pop.rates[0]![0]).toBe(0);
    expect(a.get(pop)).toBeInstanceOf(TimedPoissonPopulation);
    for (const n of [a, b, c]) {
      n.compile();
      n.simulate(100);
    }
    const a2 = new Network({ everything: false, seed: 1 });
    a2.add([pop, m]);
    a2.get(pop).update({ rates: [40, 200], schedule: [0, 50] });
    a2.compile();
    a2.simulate(100);
    expect(trains(a.get(m).get('spike'))).toEqual(trains(a2.get(m).get('spike')));
    expect(trains(b.get(m).get('spike'))).toEqual(Array.from({ length: 20 }, () => range(5, 100)));
    expect(trains(c.get(m).get('spike'))).toEqual(Array.from({ length: 20 }, () => range(0, 5)));
  });

  it('drives a network: Izhikevich cells fire only in the window the timed input is on', () => {
    setup({ dt: 1, seed: 6 });
    const input = new TimedPoissonPopulation(50, { rates: [0, 100, 0], schedule: [0, 100, 200] });
    const cells = new Population(10, Izhikevich);
    new Projection(input, cells, 'exc').connectAllToAll({ weights: 5 });
    const m = new Monitor(cells, 'spike');
    compile();
    simulate(300);
    const spikes = trains(m.get('spike')).flat();
    expect(spikes.length).toBeGreaterThan(10);
    expect(Math.min(...spikes)).toBeGreaterThanOrEqual(101);
    expect(Math.max(...spikes)).toBeLessThan(215);
  });
});

describe('errors name the bad value and the fix', () => {
  it('rates, schedule and period at construction', () => {
    setup({ dt: 0.5 });
    expectError(() => new TimedPoissonPopulation(2, { rates: [10] } as never), 'needs { rates, schedule }');
    expectError(() => new TimedPoissonPopulation(2, undefined as never), 'needs { rates, schedule }');
    expectError(() => new TimedPoissonPopulation(2, { rates: 10, schedule: [0] } as never), 'rates must be a non-empty list', 'got 10');
    expectError(() => new TimedPoissonPopulation(2, { rates: [], schedule: [] }), 'rates must be a non-empty list', '(empty)');
    expectError(() => new TimedPoissonPopulation(2, { rates: [10, 20], schedule: [0] }), 'schedule has 1 onset but rates has 2 entries', 'one onset (ms) per entry');
    expectError(() => new TimedPoissonPopulation(3, { rates: [[1, 2], 3], schedule: [0, 1] }), 'rates[0]: got 2 values, expected 3');
    expectError(() => new TimedPoissonPopulation(2, { rates: [10, NaN], schedule: [0, 1] }), 'rates[1]');
    expectError(() => new TimedPoissonPopulation(2, { rates: [10, [1, Infinity]], schedule: [0, 1] }), 'rates[1][1] is Infinity', 'finite numbers of Hz');
    expectError(() => new TimedPoissonPopulation(2, { rates: ['5'] as never, schedule: [0] }), "rates[0] is '5'", 'a number of Hz (every neuron) or 2 numbers');
    expectError(() => new TimedPoissonPopulation(2, { rates: [10, 20], schedule: [0, -1] }), 'schedule[1] is -1', 'finite numbers of ms >= 0');
    expectError(() => new TimedPoissonPopulation(2, { rates: [10, 20], schedule: [5, 3] }), 'schedule[1] (3 ms, step 6) is not after schedule[0] (5 ms, step 10)', 'rise by at least one step of dt (0.5 ms)');
    expectError(() => new TimedPoissonPopulation(2, { rates: [10, 20], schedule: [1, 1.2] }), 'schedule[1] (1.2 ms, step 2) is not after schedule[0] (1 ms, step 2)');
    expectError(() => new TimedPoissonPopulation(2, { rates: [10, 20], schedule: 0.2 }), 'schedule 0.2 as one number', 'at least dt (0.5 ms)');
    expectError(() => new TimedPoissonPopulation(2, { rates: [10], schedule: 'x' as never }), 'schedule must be a list of onsets in ms', "got 'x' (a string)");
    expectError(() => new TimedPoissonPopulation(2, { rates: [10], schedule: [1e12] }), 'schedule[0] is 1000000000000 ms', 'past the last step');
    for (const period of [0, -2, 0.2, NaN]) {
      expectError(() => new TimedPoissonPopulation(2, { rates: [10], schedule: [0], period }), `period is ${period}`, 'ms >= dt (0.5 ms)', 'or -1 (the default) for none');
    }
    expectError(() => new TimedPoissonPopulation(2, { rates: [10], schedule: [0], perod: 3 } as never), "unknown option 'perod'", 'rates, schedule, period, name, stopCondition');
    expectError(() => new TimedPoissonPopulation(0, { rates: [10], schedule: [0] }), 'geometry must be a positive integer');
    expectError(() => new TimedPoissonPopulation(2, { rates: [10], schedule: [0], name: 'in', period: 0 }), "new TimedPoissonPopulation 'in': period is 0");
    // Nothing refused took an id: the next population is pop0.
    expect(new TimedPoissonPopulation(1, { rates: [1], schedule: [0] }).name).toBe('pop0');
  });

  it('changes: lengths that do not match say to give both; a refused change changes nothing', () => {
    setup({ dt: 1 });
    const pop = new TimedPoissonPopulation(2, { rates: [10, 20], schedule: [0, 5], name: 'in' });
    compile();
    expectError(() => (pop.rates = [1, 2, 3]), "TimedPoissonPopulation 'in': rates has 3 entries but the schedule has 2 onsets", 'update({ rates, schedule })');
    expectError(() => (pop.schedule = [0, 1, 2]), "TimedPoissonPopulation 'in': schedule has 3 onsets but rates has 2 entries");
    expectError(() => (pop.period = 0), 'period is 0');
    expectError(() => pop.update({ rate: [1] } as never), "update(): unknown option 'rate'", 'rates, schedule, period, reset');
    expectError(() => pop.update({ reset: 1 } as never), 'reset must be true or false, got 1');
    expectError(() => pop.update(null as never), 'update() takes an object');
    expect(pop.rates.map((r) => [...r])).toEqual([[10, 10], [20, 20]]);
    expect(pop.schedule).toEqual([0, 5]);
    expect(pop.period).toBe(-1);
  });

  it('attributes: only r, its firing rate; the error says where rates, schedule and period are; a monitor records spike and r', () => {
    const pop = new TimedPoissonPopulation(2, { rates: [1], schedule: [0], name: 'in' });
    expect(pop.attributes).toEqual(['r']);
    expectError(() => pop.get('rates'), "population 'in' has no attribute 'rates'", 'a TimedPoissonPopulation: read and set its rates, schedule and period as properties or through update()');
    expectError(() => new Monitor(pop, ['spike', 'p']), "unknown variable 'p'; it can record 'spike' or one of r");
  });

  it('computeFiringRate counts its spikes: 1000 Hz for 10 steps of dt 1 ms, then 0 Hz as they leave a 10 ms window', () => {
    setup({ dt: 1 });
    const pop = new TimedPoissonPopulation(2, { rates: [1000, 0], schedule: [0, 10] });
    pop.computeFiringRate(10);
    const m = new Monitor(pop, 'r');
    compile();
    simulate(25);
    const r = m.get('r').map((row) => row[0]);
    expect(r.slice(0, 11)).toEqual([100, 200, 300, 400, 500, 600, 700, 800, 900, 1000, 900]);
    expect(r.slice(18)).toEqual([100, 0, 0, 0, 0, 0, 0]);
  });

  it('a disposed network refuses to read or change them', () => {
    const pop = new TimedPoissonPopulation(2, { rates: [1], schedule: [0] });
    const net = new Network({ everything: true });
    net.compile();
    net.dispose();
    const copy = net.get(pop);
    expectError(() => copy.rates, 'the network was disposed');
    expectError(() => (copy.rates = [2]), 'the network was disposed');
    expectError(() => copy.reset(), 'the network was disposed');
  });
});
