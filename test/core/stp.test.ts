/**
 * ANNarchy's built-in STP synapse (models/Synapses.py: Tsodyks-Markram short-term plasticity),
 * hand-checked at dt = 1 ms. When a spike arrives (step of emission + delay), before the neuron
 * update, each synapse advances x and u exactly from its last spike's arrival,
 *   x = 1 + (x − 1)·exp(−Δ/tau_rec),  u = U + (u − U)·exp(−Δ/tau_facil),
 * then g_target += w·u·x; x *= 1 − u; u += U·(1 − u). x starts at 1, u at U.
 *
 * The post neuron `Probe` never spikes and its g_exc is instantaneous (cleared every step), so the
 * g_exc monitored at step s is exactly what arrived at s: w·u·x of each synapse. Weights are
 * float32 (as every weight here): W is Math.fround(0.3).
 */
import { beforeEach, describe, expect, it } from 'vitest';

import {
  clear,
  compile,
  disableLearning,
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
  SpikeSourceArray,
  STDP,
  STP,
  type StpParameters,
  Uniform,
} from '../../src/index.js';
import { declarationSignature } from '../../src/parallel/signature.js';
import { expectError } from '../helpers/core.js';
import { leastBytesPerStep } from '../helpers/heap.js';

beforeEach(() => clear());

const Probe = () => new Neuron({ equations: 'v = g_exc', spike: 'v > 1e9', reset: 'v = 0' });
const f = Math.fround;
const W = f(0.3);
const e = Math.exp;

interface Setting {
  /** Spike times (ms) of each pre neuron. */
  pre: number[][];
  stp?: Partial<StpParameters>;
  delays?: number;
  kernels?: 'auto' | 'js';
  precision?: 'double' | 'float';
}

/** Pre sources → one Probe neuron through STP (all-to-all, weight 0.3); dt 1 ms. */
function probe(o: Setting) {
  setup({ dt: 1, seed: 1, kernels: o.kernels ?? 'auto', precision: o.precision ?? 'double' });
  const pre = new SpikeSourceArray(o.pre);
  const post = new Population(1, Probe());
  const proj = new Projection(pre, post, 'exc', STP(o.stp ?? {})).connectAllToAll({ weights: 0.3, delays: o.delays ?? 0 });
  const m = new Monitor(post, 'g_exc');
  return { pre, post, proj, m };
}

/** g_exc at the given steps. */
function at(m: Monitor, steps: number[]): number[] {
  const g = m.get('g_exc');
  return steps.map((s) => g[s]![0]!);
}

/**
 * Depression, defaults (tau_rec 100 ms, tau_facil 0.01 ms: u is back at U = 0.5 by the next
 * spike), arrivals at 11, 21 and 41:
 *   11: u = 0.5, x = 1                          → w·0.5; x = 0.5
 *   21: x = 1 − 0.5·e^(−10/100)                 → w·0.5·x; x *= 0.5
 *   41: x = 1 + (x21/2 − 1)·e^(−20/100)         → w·0.5·x
 */
const x21 = 1 - 0.5 * e(-10 / 100);
const x41 = 1 + (x21 * 0.5 - 1) * e(-20 / 100);
const DEPRESSION = [W * 0.5, W * 0.5 * x21, W * 0.5 * x41];

describe('STP, hand-checked', () => {
  it('depression (the defaults): each jump is w·U·x, x recovering toward 1 with tau_rec between arrivals', () => {
    const { m, proj } = probe({ pre: [[10, 20, 40]] });
    compile();
    simulate(50);
    expect(at(m, [10, 11, 12, 21, 41])).toEqual([0, DEPRESSION[0], 0, DEPRESSION[1], DEPRESSION[2]]);
    expect(DEPRESSION[1]).toBeCloseTo(0.3 * 0.5 * 0.547581290982, 7);
    // What the last spike left: x halved, u = U + U·(1 − U).
    expect(Array.from(proj.x)).toEqual([x41 * 0.5]);
    expect(Array.from(proj.u)).toEqual([0.75]);
  });

  it('facilitation (U 0.1, tau_facil 500 ms, tau_rec 1 ms): u grows from spike to spike, x is back at 1', () => {
    // 11: u = 0.1, x = 1 → w·0.1; u = 0.1 + 0.1·0.9 = 0.19
    // 16: u = 0.1 + 0.09·e^(−5/500), x = 1 + (0.9 − 1)·e^(−5/1) → w·u·x; then x *= 1 − u, u += 0.1·(1 − u)
    const { m } = probe({ pre: [[10, 15, 20]], stp: { U: 0.1, tau_facil: 500, tau_rec: 1 } });
    compile();
    simulate(30);
    const u16 = 0.1 + 0.09 * e(-5 / 500);
    const x16 = 1 + (0.9 - 1) * e(-5 / 1);
    const after16 = { u: u16 + 0.1 * (1 - u16), x: x16 * (1 - u16) };
    const u21 = 0.1 + (after16.u - 0.1) * e(-5 / 500);
    const x21f = 1 + (after16.x - 1) * e(-5 / 1);
    const g = at(m, [11, 16, 21]);
    expect(g).toEqual([W * 0.1, W * u16 * x16, W * u21 * x21f]);
    expect(g[1]! / W).toBeCloseTo(0.188977, 5);
    expect(g[0]! < g[1]! && g[1]! < g[2]!).toBe(true);
  });

  it('`STP` without a call takes the defaults; a uniform delay moves the events to the arrival steps (Δ between arrivals)', () => {
    setup({ dt: 1, seed: 1 });
    const pre = new SpikeSourceArray([[10, 20, 40]]);
    const post = new Population(1, Probe());
    new Projection(pre, post, 'exc', STP).connectAllToAll({ weights: 0.3, delays: 3 });
    const m = new Monitor(post, 'g_exc');
    compile();
    simulate(50);
    expect(at(m, [11, 13, 23, 43])).toEqual([0, ...DEPRESSION]);
  });

  it('a delay per synapse: each synapse has its own x and u, advanced at its own arrivals', () => {
    setup({ dt: 1, seed: 1 });
    // One pre neuron spiking at 10 and 12 onto two post neurons, delays 1 and 5 ms: arrivals
    // 11 and 13 at post 0, 15 and 17 at post 1; both see Δ = 2 steps.
    const pre = new SpikeSourceArray([[10, 12]]);
    const post = new Population(2, Probe());
    const proj = new Projection(pre, post, 'exc', STP({ U: 0.4, tau_facil: 10, tau_rec: 20 })).connectFromMatrix([[0.3], [0.5]], { delays: [[1], [5]] });
    const m = new Monitor(post, 'g_exc');
    compile();
    simulate(14);
    // At 14 the second synapse has had no spike yet: x = 1, u = U.
    expect(Array.from(proj.x)).toEqual([(1 + (0.6 - 1) * e(-2 / 20)) * (1 - (0.4 + 0.24 * e(-2 / 10))), 1]);
    expect(Array.from(proj.dendrite(1).u)).toEqual([0.4]);
    simulate(10);
    const second = (w: number) => w * (0.4 + 0.24 * e(-2 / 10)) * (1 + (0.6 - 1) * e(-2 / 20));
    const g = m.get('g_exc');
    expect([g[11]![0], g[13]![0], g[15]![1], g[17]![1]]).toEqual([W * 0.4, second(W), f(0.5) * 0.4, second(f(0.5))]);
    expect(Array.from(proj.dendrite(0).x)).toEqual(Array.from(proj.dendrite(1).x));
  });

  // The same hand-checked depression under both kernel back ends and both precisions: with float
  // state each jump is w·u·x (computed in double, as every synapse quantity here) rounded to float32.
  for (const kernels of ['auto', 'js'] as const) {
    for (const precision of ['double', 'float'] as const) {
      it(`${kernels} kernels, ${precision} state: the hand-checked depression`, () => {
        const { m } = probe({ pre: [[10, 20, 40]], kernels, precision });
        compile();
        simulate(50);
        expect(at(m, [11, 21, 41])).toEqual(precision === 'float' ? DEPRESSION.map(f) : DEPRESSION);
      });
    }
  }
});

/** Poisson → Izhikevich through two STP projections (one with a delay per synapse); spikes and state after 300 ms. */
function noisy(seed: number, kernels: 'auto' | 'js' = 'auto', precision: 'double' | 'float' = 'double') {
  setup({ dt: 0.5, seed, kernels, precision });
  const input = new PoissonPopulation(40, { rates: 40 });
  const cells = new Population(10, Izhikevich);
  const a = new Projection(input, cells, 'exc', STP({ U: 0.2, tau_facil: 200, tau_rec: 50 })).connectFixedProbability({ probability: 0.5, weights: 40 });
  const b = new Projection(input, cells, 'exc', STP({ tau_rec: 300 })).connectFixedProbability({ probability: 0.3, weights: 30, delays: Uniform(0.5, 4) });
  const m = new Monitor(cells, 'spike');
  return { a, b, m };
}

function runNoisy(seed: number, kernels: 'auto' | 'js' = 'auto', precision: 'double' | 'float' = 'double') {
  clear();
  const { a, b, m } = noisy(seed, kernels, precision);
  compile();
  simulate(300);
  return { ax: Array.from(a.x), au: Array.from(a.u), bx: Array.from(b.x), spikes: m.get('spike').map((s) => Array.from(s)) };
}

describe('STP in networks', () => {
  it('x and u move during a noisy run; identical seeds give identical state and spikes, another seed others', () => {
    const first = runNoisy(5);
    expect(first.spikes.flat().length).toBeGreaterThan(20);
    expect(new Set(first.ax).size).toBeGreaterThan(10);
    expect(new Set(first.au).size).toBeGreaterThan(10);
    expect(new Set(first.bx).size).toBeGreaterThan(10);
    expect(runNoisy(5)).toEqual(first);
    expect(runNoisy(6).ax).not.toEqual(first.ax);
  });

  it("JS kernels (setup({ kernels: 'js' })) and the default give the same state and spikes, in double and in float", () => {
    expect(runNoisy(7, 'js')).toEqual(runNoisy(7));
    const float = runNoisy(7, 'js', 'float');
    expect(float.spikes.flat().length).toBeGreaterThan(20);
    expect(runNoisy(7, 'auto', 'float')).toEqual(float);
  });

  it('an STP projection makes the input stage run in JS, without post events', () => {
    noisy(1);
    const copy = new Network({ everything: true });
    copy.compile();
    expect(copy.world.runtime!.inputStage).toBeNull();
    expect(copy.world.runtime!.postEvents).toBeNull();
  });

  it('copies have their own x and u: running one changes neither the template nor another copy', () => {
    const { proj, m } = probe({ pre: [[10, 20, 40]] });
    const one = new Network({ everything: true });
    const two = new Network({ everything: true });
    one.compile();
    two.compile();
    compile();
    one.simulate(50);
    expect(at(one.get(m), [11, 21, 41])).toEqual(DEPRESSION);
    expect([Array.from(two.get(proj).x), Array.from(proj.x), Array.from(proj.u)]).toEqual([[1], [1], [0.5]]);
    two.simulate(50);
    expect(at(two.get(m), [11, 21, 41])).toEqual(DEPRESSION);
  });

  it('reset() sets x and u back to 1 and U (whatever `projections` says): the run replays exactly', () => {
    const { proj, m } = probe({ pre: [[10, 20, 40]] });
    compile();
    simulate(30);
    for (const options of [{}, { projections: true }, { projections: false }]) {
      reset(options);
      expect([Array.from(proj.x), Array.from(proj.u)]).toEqual([[1], [0.5]]);
      simulate(50);
      expect(at(m, [11, 21, 41])).toEqual(DEPRESSION);
    }
  });

  it('the events allocate nothing per step (under 4 bytes per step on the JS heap, as static delivery)', () => {
    setup({ seed: 3, dt: 0.5 });
    const input = new PoissonPopulation(100, { rates: 40 });
    const cells = new Population(40, Izhikevich);
    new Projection(input, cells, 'exc', STP({ U: 0.2, tau_facil: 200 })).connectFixedProbability({ probability: 0.3, weights: 5 });
    new Projection(input, cells, 'exc', STP).connectFixedProbability({ probability: 0.2, weights: 2, delays: Uniform(0.5, 4) });
    const m = new Monitor(cells, 'spike');
    const net = new Network({ everything: true, seed: 5 });
    net.compile();
    net.get(m).pause(); // recording keeps spikes: that memory is wanted
    net.simulate(10_000);
    expect(leastBytesPerStep((steps) => net.simulate(steps * net.dt), 4000)).toBeLessThan(4);
    net.dispose();
  });

  it('the projection signature (parallelRun number mode) names the synapse type and its parameters', () => {
    const { proj } = probe({ pre: [[10]], stp: { U: 0.25 } });
    expect(declarationSignature([proj]).join('')).toContain(':STP(tau_rec=100,tau_facil=0.01,U=0.25)');
  });
});

describe('STP errors', () => {
  it('parameters are checked: names, finite numbers, taus > 0 (tau_facil as ANNarchy), U in [0, 1]', () => {
    expectError(() => STP({ tau: 10 } as never), "STP: unknown option 'tau'", 'tau_rec, tau_facil, U');
    expectError(() => STP({ u: 0.5 } as never), "unknown option 'u'");
    expectError(() => STP({ U: Number.NaN }), 'STP: U must be a finite number, got NaN');
    expectError(() => STP({ tau_rec: '5' as never }), 'tau_rec must be a finite number, got "5"');
    expectError(() => STP({ tau_rec: 0 }), 'STP: tau_rec must be > 0 (ms), got 0');
    expectError(() => STP({ tau_facil: -1 }), 'STP: tau_facil must be > 0 (ms), got -1', 'choose a very small value (the default is 0.01)');
    expectError(() => STP({ U: 1.5 }), 'STP: U must be in [0, 1] (the fraction of the resources x a spike uses), got 1.5');
    expectError(() => STP({ U: -0.1 }), 'got -0.1');
    expectError(() => STP(5 as never), 'STP: options must be an object');
    expect([STP({ U: 0 }).parameters.U, STP({ U: 1 }).parameters.U]).toEqual([0, 1]);
  });

  it('a hand-written STP object is checked as STP(…) would; unknown synapses name both models', () => {
    setup({ dt: 1 });
    const pre = new SpikeSourceArray([[1]]);
    const post = new Population(1, Probe());
    expectError(() => new Projection(pre, post, 'exc', { type: 'STP', parameters: { U: 2 } } as never), 'STP: U must be in [0, 1]');
    expectError(() => new Projection(pre, post, 'exc', 'STP' as never), 'the synapse must be STDP(…) or STP(…) (or STDP / STP for their defaults)', 'got "STP"');
  });

  it('x and u are STP variables; learning switches are for STDP', () => {
    const { proj } = probe({ pre: [[10]] });
    expectError(() => proj.x, 'x is known after compile()');
    const plain = new Projection(proj.pre, proj.post, 'exc').connectAllToAll({ weights: 1 });
    const stdp = new Projection(proj.pre, proj.post, 'exc', STDP).connectAllToAll({ weights: 1 });
    compile();
    expectError(() => plain.u, 'u is a variable of STP(…) synapses', 'static (no synapse argument)');
    expectError(() => stdp.dendrite(0).x, 'x is a variable of STP(…) synapses', "this projection's are STDP(…)");
    expect(proj.learning).toBe(false);
    // Read only, with a message rather than a TypeError about a getter (or silence in sloppy-mode scripts).
    expectError(() => ((proj as unknown as { x: number }).x = 1), "x cannot be set: STP's x and u move only with the synapses' spikes", 'reset() sets them back to 1 and U');
    expectError(() => ((proj.dendrite(0) as unknown as { u: number[] }).u = [0.2]), 'u cannot be set');
    expect(Array.from(proj.x)).toEqual([1]);
    expectError(() => proj.disableLearning(), 'disableLearning() is for plastic projections', "this one's synapses are STP(…), whose weights do not change");
    disableLearning(); // the network's STDP projections only
    expect(stdp.learning).toBe(false);
  });
});
