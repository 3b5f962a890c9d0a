/**
 * What an ANNarchy user porting a script writes: per-dendrite weight lists, ANNarchy's option
 * spellings, a monitor on a view, spike data handed back to the analyses. Each either does what
 * ANNarchy does or is refused naming the value and the fix, changing nothing.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';

import {
  analysis,
  clear,
  compile,
  Exponential,
  Gamma,
  LogNormal,
  Monitor,
  Network,
  Neuron,
  Normal,
  PoissonPopulation,
  Population,
  Projection,
  setup,
  simulate,
  Uniform,
} from '../../src/index.js';
import { expectError } from '../helpers/core.js';

beforeEach(() => clear());

/** Integrates its conductance (v = g_exc each step), never spikes. */
const probe = () => new Neuron({ equations: 'v = g_exc', spike: 'v > 1e9', reset: 'v = 0' });
/** Spikes at every step. */
const everyStep = () => new Neuron({ equations: 'v = t', spike: 'v >= 0', reset: '' });

describe('weights', () => {
  it("proj.w takes ANNarchy's per-dendrite lists: one per post neuron with synapses, by pre rank", () => {
    setup({ dt: 1 });
    const pre = new Population(2, everyStep());
    const post = new Population(3, probe());
    const proj = new Projection(pre, post, 'exc').connectAllToAll({ weights: 0 });
    compile();
    proj.w = [
      [1, 2],
      [3, 4],
      [5, 6],
    ];
    // CSR order: pre 0 -> posts 0, 1, 2; pre 1 -> posts 0, 1, 2.
    expect([...proj.w]).toEqual([1, 3, 5, 2, 4, 6]);
    simulate(2);
    expect([...post.get('v')]).toEqual([3, 7, 11]);
  });

  it('per-dendrite lists of a random pattern: each weight lands on its (pre, post) synapse', () => {
    setup({ seed: 9 });
    const pre = new Population(30, everyStep());
    const post = new Population(40, probe());
    const proj = new Projection(pre, post, 'exc').connectFixedProbability({ probability: 0.3, weights: 0 });
    compile();
    const pres = proj.preRanks, posts = proj.postRanks;
    // Post q's list in ascending pre rank; its value encodes (pre, post).
    const lists: number[][] = [];
    for (let q = 0; q < 40; q++) {
      const list: number[] = [];
      for (let k = 0; k < posts.length; k++) if (posts[k] === q) list.push(1000 * q + (pres[k] as number));
      if (list.length > 0) lists.push(list);
    }
    proj.w = lists;
    expect([...proj.w]).toEqual(Array.from(posts, (q, k) => 1000 * q + (pres[k] as number)));
  });

  it('skips post neurons without synapses, and checks every size and value before writing', () => {
    const pre = new Population(2, everyStep());
    const post = new Population(3, probe());
    // [post][pre]: post 0 <- pre 0, post 2 <- pre 1; post 1 has no synapse.
    const proj = new Projection(pre, post, 'exc').connectFromMatrix([
      [1, null],
      [null, Number.NaN],
      [null, 2],
    ]);
    compile();
    proj.w = [[7], [8]];
    expect([...proj.w]).toEqual([7, 8]);
    expectError(() => (proj.w = [[1], [2], [3]]), 'got 3 per-dendrite lists, expected 2 (one per post neuron that has synapses');
    expectError(() => (proj.w = [[1, 2], [3]]), 'the list for post neuron 0 (dendrite 0) has 2 weights; it has 1 synapses');
    expectError(() => (proj.w = [[1], ['2' as never]]), "entry 0 of dendrite 1 is '2', not a number");
    expectError(() => (proj.w = [[1], [Infinity]]), 'synapse 1', 'Infinity is not a finite float32 weight');
    expectError(() => (proj.w = 1e40), '1e+40 is not a finite float32 weight');
    expect([...proj.w]).toEqual([7, 8]);
  });

  it("refuses connectFromMatrix entries that are not weights, and negative delays; delays are fixed once connected", () => {
    const pre = new Population(2, everyStep());
    const post = new Population(2, probe());
    const proj = new Projection(pre, post, 'exc');
    expectError(() => proj.connectFromMatrix([[1, 'x' as never]]), "connectFromMatrix: weights[0][1] is 'x', not a number (null or NaN: no synapse)");
    expectError(() => proj.connectFromMatrix([[Infinity]]), 'weights[0][0]: Infinity is not a finite float32 weight');
    expectError(() => proj.connectAllToAll({ weights: 1e40 }), 'weights: 1e+40 is not a finite float32 weight');
    expectError(() => proj.connectAllToAll({ weights: 1, delays: -1 }), 'delays must be >= 0 ms (a delay under one step is one step), got -1');
    // As ANNarchy: the longest delay sizes the rings, so a delay distribution needs an upper bound.
    for (const d of [Normal(5, 1), Normal(5, 1, { min: 1 }), LogNormal(1, 0.5), Exponential(2), Gamma(2, 1)]) {
      expectError(() => proj.connectAllToAll({ weights: 1, delays: d }), `delays drawn from ${String(d)} have no upper bound; give the distribution a max`);
    }
    proj.connectAllToAll({ weights: 1, delays: Normal(5, 1, { max: 8 }) });
    proj.connectAllToAll({ weights: 1, delays: Uniform(1, 3) });
    proj.connectOneToOne({ weights: 1, delays: 0 });
    compile();
    expectError(() => ((proj as unknown as { delay: number }).delay = 2), 'delays cannot change after connecting');
  });
});

describe('option names', () => {
  it("refuses unknown options, naming ANNarchy's spelling's equivalent", () => {
    const pop = new Population(4, probe());
    const proj = new Projection(pop, pop, 'exc');
    expectError(
      () => proj.connectAllToAll({ weights: 1, allow_self_connections: true } as never),
      "connectAllToAll: unknown option 'allow_self_connections' (ANNarchy's allow_self_connections is allowSelfConnections here); the options are weights, delays, allowSelfConnections",
    );
    expectError(() => proj.connectFixedProbability({ weights: 1, probabilty: 0.5 } as never), "connectFixedProbability: unknown option 'probabilty'");
    expectError(() => proj.connectFixedNumberPre({ weights: 1, number: 2, delay: 2 } as never), "unknown option 'delay'");
    expectError(() => proj.connectOneToOne({ weights: 1, w: 2 } as never), "connectOneToOne: unknown option 'w'; the options are weights, delays");
    expectError(() => proj.connectFromMatrix([[1]], { weights: 1 } as never), "connectFromMatrix: unknown option 'weights'; the options are delays");
    expectError(() => new Monitor(pop, 'v', { period: 2, period_offset: 1 } as never), "Monitor on 'pop0': unknown option 'period_offset'; the options are period, start");
    expectError(() => new Monitor(pop, 'v', null as never), "Monitor on 'pop0': options must be an object");
  });
});

describe('Poisson rates', () => {
  it('must be finite numbers of Hz, when made and when set, changing nothing; below 0 never fires, as in ANNarchy', () => {
    expectError(() => new PoissonPopulation(3, { rates: Infinity }), "PoissonPopulation 'pop0': rates must be finite numbers of Hz, got Infinity");
    const pop = new PoissonPopulation(3, { rates: 10 });
    expectError(() => (pop.rates = [5, Number.NEGATIVE_INFINITY, 5]), 'got -Infinity for neuron 1');
    expect([...pop.rates]).toEqual([10, 10, 10]);
    // Normal(5, 5) draws some negative rates: accepted, those sources stay silent.
    pop.rates = [-5, 1000, -1];
    const m = new Monitor(pop, 'spike');
    compile();
    simulate(10);
    expect(m.get('spike').map((s) => s.length)).toEqual([0, 10, 0]);
  });
});

describe('monitors', () => {
  it("get(['spike', 'v']) gives an object by name; an unrecorded name takes nothing", () => {
    const pop = new Population(2, everyStep());
    const m = new Monitor(pop, ['spike', 'v']);
    compile();
    simulate(3);
    expectError(() => m.get(['spike', 'x']), "'x' is not recorded; recorded: spike, v");
    expectError(() => m.get(['spike', 'spike']), 'get() lists a name twice');
    const got = m.get(['spike', 'v']);
    expect(Object.keys(got)).toEqual(['spike', 'v']);
    expect(got['spike']!.map((s) => [...s])).toEqual([
      [0, 1, 2],
      [0, 1, 2],
    ]);
    expect(got['v']).toHaveLength(3);
    expectError(() => m.times('x'), "'x' is not recorded");
    expectError(() => m.times('spike'), "spikes have their steps in get('spike')");
  });

  it("a monitor on a view plots its neurons' population ranks, ascending", () => {
    const pop = new Population(5, everyStep());
    const m = new Monitor(pop.view([3, 1]), 'spike');
    compile();
    simulate(2);
    const [times, ranks] = m.rasterPlot();
    expect([...ranks]).toEqual([1, 1, 3, 3]);
    expect([...times]).toEqual([0, 1, 0, 1]);
  });

  it('spike data from any get() keeps its own recording window in the analyses', () => {
    const pop = new Population(1, everyStep());
    const m = new Monitor(pop, 'spike');
    compile();
    simulate(100);
    const first = m.get('spike');
    simulate(50);
    m.get('spike');
    // The older 100 ms segment: 1000 Hz, ten 10 ms bins (not the last get's 50 ms).
    expect(m.meanFr(first)).toBe(1000);
    expect(m.histogram(10, first)).toHaveLength(10);
    // The same record, for the analysis.* functions.
    expect(analysis.meanFr(m.spikeData(first))).toBe(1000);
    // Recorded by a network's copy of the monitor, analysed by the template's.
    const net = new Network({ everything: true });
    net.compile();
    net.simulate(20);
    const copied = net.get(m).get('spike');
    expect(m.meanFr(copied)).toBe(1000);
    // Lists that no get() here returned (a worker's, a copy's) take the last get's window; with
    // none, the rate analyses are refused and the others run.
    const other = new Monitor(pop, 'spike');
    const cloned = structuredClone(first);
    expectError(() => other.meanFr(cloned), 'meanFr() of these spike lists needs their recording window', 'call it on the monitor that recorded them');
    expectError(() => other.histogram(10, cloned), 'histogram() of these spike lists');
    expect(other.rasterPlot(cloned)[0]).toHaveLength(100);
    expect(other.interSpikeInterval(cloned)).toHaveLength(99);
  });
});

describe('conductances', () => {
  it('a projection onto a conductance the model declares as a parameter says so', () => {
    const model = new Neuron({ parameters: 'g_exc = 1', equations: 'v = g_exc', spike: 'v > 2', reset: 'v = 0' });
    const pop = new Population(2, model);
    expectError(() => new Projection(pop, pop, 'exc'), "the model of 'pop0' declares g_exc as a parameter, so no synapse can add to it");
  });
});

describe('monitor periods', () => {
  it('a period that is not a multiple of dt is rounded to whole steps, said, and reported as recorded', () => {
    setup({ dt: 0.1 });
    const pop = new Population(1, everyStep());
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      const m = new Monitor(pop, 'v', { period: 0.25 });
      expect(warn).toHaveBeenCalledWith("Monitor on 'pop0': period 0.25 ms is not a multiple of dt (0.1 ms); rows are recorded every 0.3 ms");
      expect(m.period).toBe(0.3);
      compile();
      simulate(1);
      expect([...m.times('v')]).toEqual([0, 3, 6, 9]);
      warn.mockClear();
      expect(new Monitor(pop, 'v', { period: 0.3 }).period).toBe(0.3);
      expect(warn).not.toHaveBeenCalled();
    } finally {
      warn.mockRestore();
    }
  });
});

describe('connecting twice', () => {
  it('replaces the first pattern, as ANNarchy does, and says so', () => {
    const pop = new Population(3, probe());
    const proj = new Projection(pop, pop, 'exc').connectAllToAll({ weights: 1 });
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      proj.connectOneToOne({ weights: 1 });
      expect(warn).toHaveBeenCalledWith('Projection pop0 -> pop0 (exc): already connected (allToAll); the new pattern (oneToOne) replaces it');
    } finally {
      warn.mockRestore();
    }
    compile();
    expect(proj.nbSynapses).toBe(3);
  });
});

describe('values in the shape of a geometry', () => {
  it('nested arrays must match the geometry, not only its size', () => {
    const pop = new Population([2, 3], probe());
    pop.set({ v: [[1, 2, 3], [4, 5, 6]] });
    expect([...pop.get('v')]).toEqual([1, 2, 3, 4, 5, 6]);
    expectError(() => pop.set({ v: [[1, 2], [3, 4, 5, 6]] }), "population 'pop0', attribute 'v': [0] should hold 3 entries (the geometry is [2, 3]), got 2");
    expectError(() => pop.set({ v: [[1, 2, 3], [4, 5, 6], [7, 8, 9]] }), 'the value should hold 2 entries');
    expect([...pop.get('v')]).toEqual([1, 2, 3, 4, 5, 6]);
  });
});
