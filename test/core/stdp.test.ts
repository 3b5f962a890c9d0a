/**
 * ANNarchy's built-in STDP synapse (models/Synapses.py), hand-checked at dt = 1 ms:
 * - pre_spike, when a spike arrives (step of emission + delay), before the neuron update:
 *   decay x, y from the synapse's last event; g_target += w; x += A_plus·w_max; w = clip(w + y);
 * - post_spike, after the post neuron spiked in the step: decay; y −= A_minus·w_max; w = clip(w + x).
 * Weights are float32 (as every weight here): expected values are rounded with Math.fround.
 *
 * The post neuron `Det` is deterministic: v = g_exc (instantaneous), it spikes in the step where
 * more than 0.5 arrives. A second SpikeSourceArray (`drive`) makes it spike at a chosen step: a
 * drive spike at step s arrives (weight 1) and makes the post spike at s + 1.
 */
import { beforeEach, describe, expect, it } from 'vitest';

import {
  clear,
  compile,
  disableLearning,
  enableLearning,
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
  type StdpParameters,
  Uniform,
} from '../../src/index.js';
import { declarationSignature } from '../../src/parallel/signature.js';
import { expectError, trains } from '../helpers/core.js';
import { leastBytesPerStep } from '../helpers/heap.js';

beforeEach(() => clear());

const Det = () => new Neuron({ equations: 'v = g_exc', spike: 'v > 0.5', reset: 'v = 0' });
const f = Math.fround;
const W0 = f(0.3);

interface Pair {
  /** Pre spike times (ms) of each pre neuron. */
  pre: number[][];
  /** Drive spike times (ms): the post spikes one step later. */
  drive: number[];
  weights?: number;
  delays?: number;
  stdp?: Partial<StdpParameters>;
}

/** Pre sources → one Det neuron through STDP (all-to-all), a drive onto it; dt 1 ms. */
function pair(o: Pair) {
  setup({ dt: 1, seed: 1 });
  const pre = new SpikeSourceArray(o.pre);
  const drive = new SpikeSourceArray([o.drive]);
  const post = new Population(1, Det());
  const proj = new Projection(pre, post, 'exc', STDP(o.stdp ?? {})).connectAllToAll({ weights: o.weights ?? 0.3, delays: o.delays ?? 0 });
  new Projection(drive, post, 'exc').connectOneToOne({ weights: 1 });
  const m = new Monitor(post, ['spike', 'g_exc']);
  return { pre, post, proj, m };
}

describe('STDP, hand-checked', () => {
  it('pre before post potentiates by A_plus·w_max·exp(−Δt/tau_plus) (Δt from the arrival, 4 ms)', () => {
    // Pre spike at 10 arrives at 11; drive at 14 → post spike at 15.
    const { proj, m } = pair({ pre: [[10]], drive: [14] });
    compile();
    simulate(30);
    expect(trains(m.get('spike'))).toEqual([[15]]);
    expect(proj.w[0]).toBe(f(W0 + 0.01 * 1 * Math.exp(-4 / 20)));
    expect(proj.w[0]).toBeCloseTo(0.30818730753, 7);
  });

  it('post before pre depresses by A_minus·w_max·exp(−Δt/tau_minus) (Δt 6 ms), other parameters', () => {
    // Drive at 4 → post at 5; pre at 10 arrives at 11.
    const { proj, m } = pair({ pre: [[10]], drive: [4], stdp: { tau_minus: 10, A_minus: 0.05, w_max: 2 } });
    compile();
    simulate(30);
    expect(trains(m.get('spike'))).toEqual([[5]]);
    expect(proj.w[0]).toBe(f(W0 - 0.05 * 2 * Math.exp(-6 / 10)));
  });

  it('the g_target jump uses the weight before the pre_spike update; the next spike the updated one', () => {
    // Post at 5 (y = −0.01), pre arrivals at 11 and 21.
    const { proj, m } = pair({ pre: [[10, 20]], drive: [4] });
    compile();
    simulate(30);
    const g = m.get('g_exc');
    const w11 = f(W0 - 0.01 * Math.exp(-6 / 20));
    expect(g[11]![0]).toBe(W0);
    expect(g[21]![0]).toBe(w11);
    expect(proj.w[0]).toBe(f(w11 - 0.01 * Math.exp(-16 / 20)));
  });

  it('a pre spike arriving in the step the post spikes counts as pre before post (Δt = 0)', () => {
    // Pre at 14 arrives at 15; drive at 14 → post at 15.
    const { proj, m } = pair({ pre: [[14]], drive: [14] });
    compile();
    simulate(20);
    expect(trains(m.get('spike'))).toEqual([[15]]);
    expect(proj.w[0]).toBe(f(W0 + 0.01));
  });

  it('traces decay between events and add up (x from two pre spikes, y from two post spikes)', () => {
    // Pre arrivals at 11 and 21, post at 25: x(25) = (0.01·e^(−10/20) + 0.01)·e^(−4/20).
    const a = pair({ pre: [[10, 20]], drive: [24] });
    compile();
    simulate(30);
    expect(a.proj.w[0]).toBe(f(W0 + (0.01 * Math.exp(-10 / 20) + 0.01) * Math.exp(-4 / 20)));
    clear();
    // Posts at 3 and 8, pre arrival at 11: y(11) = (−0.01·e^(−5/20) − 0.01)·e^(−3/20).
    const b = pair({ pre: [[10]], drive: [2, 7] });
    compile();
    simulate(30);
    expect(trains(b.m.get('spike'))).toEqual([[3, 8]]);
    expect(b.proj.w[0]).toBe(f(W0 + (-0.01 * Math.exp(-5 / 20) - 0.01) * Math.exp(-3 / 20)));
  });

  it('weights are clipped to w_max and to w_min', () => {
    const up = pair({ pre: [[10]], drive: [10], weights: 0.995 });
    compile();
    simulate(20);
    expect(up.proj.w[0]).toBe(1);
    clear();
    const down = pair({ pre: [[10]], drive: [4], weights: 0.25, stdp: { w_min: 0.2, A_minus: 0.5 } });
    compile();
    simulate(20);
    expect(down.proj.w[0]).toBe(f(0.2));
  });

  it('a uniform delay shifts the pre event to the arrival step', () => {
    // Delay 3 ms: pre at 10 arrives at 13, post at 15: Δt = 2.
    const { proj, m } = pair({ pre: [[10]], drive: [14], delays: 3 });
    compile();
    simulate(30);
    expect(m.get('g_exc')[13]![0]).toBe(W0);
    expect(proj.w[0]).toBe(f(W0 + 0.01 * Math.exp(-2 / 20)));
  });

  it('a delay per synapse: each synapse has its event at its own arrival step', () => {
    setup({ dt: 1, seed: 1 });
    const pre = new SpikeSourceArray([[10], [10], [10]]);
    const drive = new SpikeSourceArray([14]);
    const post = new Population(1, Det());
    // Delays 1, 3 and 7 ms: arrivals at 11, 13 (before the post spike at 15) and 17 (after it).
    const proj = new Projection(pre, post, 'exc', STDP).connectFromMatrix([[0.3, 0.2, 0.1]], { delays: [[1, 3, 7]] });
    new Projection(drive, post, 'exc').connectOneToOne({ weights: 1 });
    const m = new Monitor(post, 'g_exc');
    compile();
    simulate(30);
    const g = m.get('g_exc');
    expect([g[11]![0], g[13]![0], g[17]![0]]).toEqual([W0, f(0.2), f(0.1)]);
    expect(Array.from(proj.w)).toEqual([
      f(W0 + 0.01 * Math.exp(-4 / 20)),
      f(f(0.2) + 0.01 * Math.exp(-2 / 20)),
      f(f(0.1) - 0.01 * Math.exp(-2 / 20)),
    ]);
  });

  it('`STDP` without a call takes the defaults; proj.dendrite(r).w reads the current weights; proj.w = … sets them', () => {
    setup({ dt: 1, seed: 1 });
    const pre = new SpikeSourceArray([[10], [30]]);
    const drive = new SpikeSourceArray([14]);
    const post = new Population(2, Det());
    const proj = new Projection(pre, post, 'exc', STDP).connectAllToAll({ weights: 0.3 });
    new Projection(drive, post, 'exc').connectAllToAll({ weights: 1 });
    compile();
    simulate(20);
    const up = f(W0 + 0.01 * Math.exp(-4 / 20));
    // CSR order (by pre): pre 0 → posts 0, 1 potentiated; pre 1 has not spiked.
    expect(Array.from(proj.w)).toEqual([up, up, W0, W0]);
    expect(Array.from(proj.dendrite(1).w)).toEqual([up, W0]);
    proj.w = 0.5;
    simulate(20); // pre 1 arrives at 31: y decayed from the post spike at 15
    expect(Array.from(proj.dendrite(0).w)).toEqual([f(0.5), f(f(0.5) - 0.01 * Math.exp(-16 / 20))]);
  });
});

/** Poisson → Izhikevich through two STDP projections (one with a delay per synapse); weights and spikes after 200 ms. */
function noisy(seed: number, kernels: 'auto' | 'js' = 'auto') {
  setup({ dt: 0.5, seed, kernels });
  const input = new PoissonPopulation(40, { rates: 30 });
  const cells = new Population(10, Izhikevich);
  const a = new Projection(input, cells, 'exc', STDP({ A_minus: 0.0105, w_max: 20 })).connectFixedProbability({ probability: 0.5, weights: 12 });
  const b = new Projection(input, cells, 'exc', STDP({ w_max: 10, tau_plus: 10 })).connectFixedProbability({ probability: 0.3, weights: 2, delays: Uniform(0.5, 4) });
  const m = new Monitor(cells, 'spike');
  return { a, b, m };
}

function runNoisy(seed: number, kernels: 'auto' | 'js' = 'auto') {
  clear();
  const { a, b, m } = noisy(seed, kernels);
  compile();
  simulate(200);
  return { a: Array.from(a.w), b: Array.from(b.w), spikes: trains(m.get('spike')) };
}

describe('learning on and off (ANNarchy enable_learning / disable_learning)', () => {
  it('disabled: spikes go through with the current weights and the traces move on; enabled again, learning resumes with those traces', () => {
    // Post at 5 (y = −0.01); pre arrivals at 11 (learning off) and 21 (on again at 15).
    const { proj, m } = pair({ pre: [[10, 20]], drive: [4] });
    compile();
    expect(proj.learning).toBe(true);
    simulate(8);
    proj.disableLearning();
    expect(proj.learning).toBe(false);
    simulate(7);
    expect(proj.w[0]).toBe(W0); // the post event at 5 changed nothing (x was 0), the arrival at 11 nothing
    proj.enableLearning();
    simulate(15);
    const g = m.get('g_exc');
    expect([g[11]![0], g[21]![0]]).toEqual([W0, W0]);
    // At 21 the trace y from the post spike at 5 (decayed 16 ms) applies: it kept moving while off.
    expect(proj.w[0]).toBe(f(W0 - 0.01 * Math.exp(-16 / 20)));
  });

  it('before compile, on copies (which take the switch as it is), and for the whole network or the projections given', () => {
    const { proj } = pair({ pre: [[10]], drive: [14] });
    disableLearning();
    const copy = new Network({ everything: true });
    const on = new Network({ everything: true });
    on.enableLearning([proj]);
    expect([proj.learning, copy.get(proj).learning, on.get(proj).learning]).toEqual([false, false, true]);
    for (const net of [copy, on]) {
      net.compile();
      net.simulate(30);
    }
    expect(copy.get(proj).w[0]).toBe(W0);
    expect(on.get(proj).w[0]).toBe(f(W0 + 0.01 * Math.exp(-4 / 20)));
    enableLearning();
    expect(proj.learning).toBe(true);
    expect(copy.get(proj).learning).toBe(false); // a copy is its own
  });

  it('the network and global forms take a list of projections or one; anything else is refused by name', () => {
    const { proj } = pair({ pre: [[10]], drive: [14] });
    const net = new Network({ everything: true });
    net.disableLearning(net.get(proj));
    disableLearning(proj);
    expect([net.get(proj).learning, proj.learning]).toEqual([false, false]);
    expectError(() => net.enableLearning([proj.pre] as never), 'enableLearning() takes projections (a list, or one), got');
    expectError(() => disableLearning([undefined] as never), 'disableLearning() takes projections (a list, or one), got undefined');
  });

  it('static projections have no learning to switch', () => {
    const { proj } = pair({ pre: [[10]], drive: [14] });
    const plain = new Projection(proj.pre, proj.post, 'exc').connectAllToAll({ weights: 1 });
    expect(plain.learning).toBe(false);
    expectError(() => plain.disableLearning(), 'disableLearning() is for plastic projections', "this one's synapses are static");
    disableLearning(); // the network's plastic projections only
    expect(proj.learning).toBe(false);
  });
});

describe('STDP in networks', () => {
  it('weights move during a noisy run; identical seeds give identical weights, another seed others', () => {
    const first = runNoisy(5);
    expect(first.spikes.flat().length).toBeGreaterThan(20);
    expect(new Set(first.a).size).toBeGreaterThan(10);
    expect(new Set(first.b).size).toBeGreaterThan(10);
    expect(runNoisy(5)).toEqual(first);
    expect(runNoisy(6).a).not.toEqual(first.a);
  });

  it("JS kernels (setup({ kernels: 'js' })) and the default give the same weights and spikes", () => {
    expect(runNoisy(7, 'js')).toEqual(runNoisy(7));
  });

  it('a plastic projection makes the input stage run in JS (the fused WebAssembly stage stays for networks without one)', () => {
    noisy(1);
    const copy = new Network({ everything: true });
    copy.compile();
    expect(copy.world.runtime!.inputStage).toBeNull();
    expect(copy.world.runtime!.postEvents).not.toBeNull();
    clear();
    setup({ dt: 0.5, seed: 1 });
    const input = new PoissonPopulation(40, { rates: 30 });
    new Projection(input, new Population(10, Izhikevich), 'exc').connectAllToAll({ weights: 1 });
    const plain = new Network({ everything: true });
    plain.compile();
    expect(plain.world.runtime!.postEvents).toBeNull();
  });

  it('copies have their own weights and traces: running one changes neither the template nor another copy', () => {
    const { proj } = pair({ pre: [[10]], drive: [14] });
    const one = new Network({ everything: true });
    const two = new Network({ everything: true });
    one.compile();
    two.compile();
    compile();
    one.simulate(30);
    const up = f(W0 + 0.01 * Math.exp(-4 / 20));
    expect(one.get(proj).w[0]).toBe(up);
    expect(two.get(proj).w[0]).toBe(W0);
    expect(proj.w[0]).toBe(W0);
    two.simulate(30);
    expect(two.get(proj).w[0]).toBe(up);
  });

  it("reset() keeps the learned weights (ANNarchy's reset leaves w, with or without projections) and restarts the traces; setting w back replays the run", () => {
    const { proj } = pair({ pre: [[10, 20]], drive: [4] });
    compile();
    simulate(30);
    const after = proj.w[0];
    expect(after).not.toBe(W0);
    for (const options of [{}, { projections: true }, { projections: false }]) {
      reset(options);
      expect(proj.w[0]).toBe(after);
    }
    // Traces restarted (y = 0 at the reset): the first pre arrival (11) sees only the post spike at 5.
    simulate(12);
    expect(proj.w[0]).toBe(f(after - 0.01 * Math.exp(-6 / 20)));
    // The weights of compile time set back by hand: the run replays.
    reset();
    proj.w = W0;
    simulate(30);
    expect(proj.w[0]).toBe(after);
  });

  it('pre and post events allocate nothing per step (under 4 bytes per step on the JS heap, as static delivery)', () => {
    // The clip was a ternary between the weight and w_min / w_max read from the closure: V8 kept
    // the merged value tagged, boxing every new weight (about 200 bytes per step here).
    setup({ seed: 3, dt: 0.5 });
    const input = new PoissonPopulation(100, { rates: 40 });
    const cells = new Population(40, Izhikevich);
    new Projection(input, cells, 'exc', STDP({ w_max: 10 })).connectFixedProbability({ probability: 0.3, weights: 5 });
    new Projection(input, cells, 'exc', STDP({ w_max: 4 })).connectFixedProbability({ probability: 0.2, weights: 2, delays: Uniform(0.5, 4) });
    const m = new Monitor(cells, 'spike');
    const net = new Network({ everything: true, seed: 5 });
    net.compile();
    net.get(m).pause(); // recording keeps spikes: that memory is wanted
    net.simulate(10_000);
    expect(leastBytesPerStep((steps) => net.simulate(steps * net.dt), 4000)).toBeLessThan(4);
    net.dispose();
  });

  it('the projection signature (parallelRun number mode) names the synapse type and its parameters', () => {
    const { proj } = pair({ pre: [[10]], drive: [14], stdp: { tau_plus: 15 } });
    const line = declarationSignature([proj]).join('');
    expect(line).toContain(':STDP(tau_plus=15,tau_minus=20,A_plus=0.01,A_minus=0.01,w_min=0,w_max=1)');
  });
});

describe('STDP errors', () => {
  it('parameters are checked: names, finite numbers, tau > 0, w_min <= w_max', () => {
    expectError(() => STDP({ tau: 10 } as never), "STDP: unknown option 'tau'", 'tau_plus, tau_minus, A_plus, A_minus, w_min, w_max');
    expectError(() => STDP({ tauPlus: 10 } as never), "unknown option 'tauPlus'");
    expectError(() => STDP({ A_plus: Number.NaN }), 'STDP: A_plus must be a finite number, got NaN');
    expectError(() => STDP({ w_max: Infinity }), 'w_max must be a finite number');
    expectError(() => STDP({ A_minus: '0.1' as never }), 'A_minus must be a finite number, got "0.1"');
    expectError(() => STDP({ tau_plus: 0 }), 'STDP: tau_plus must be > 0 (ms), got 0');
    expectError(() => STDP({ tau_minus: -5 }), 'tau_minus must be > 0');
    expectError(() => STDP({ w_min: 2, w_max: 1 }), 'STDP: w_min must be <= w_max, got w_min = 2 and w_max = 1');
    expectError(() => STDP(5 as never), 'STDP: options must be an object');
    expect(STDP({ w_min: 1, w_max: 1 }).parameters.w_min).toBe(1);
  });

  it('an unknown synapse argument is refused, naming what is accepted', () => {
    setup({ dt: 1 });
    const pre = new SpikeSourceArray([[1]]);
    const post = new Population(1, Det());
    for (const bad of ['STDP', {}, { type: 'Hebb' }, () => STDP(), 3]) {
      expectError(() => new Projection(pre, post, 'exc', bad as never), 'Projection', 'the synapse must be STDP(…) or STP(…) (or STDP / STP for their defaults)', 'default synapse (g_target += w)');
    }
    // An object that says STDP but was not made by STDP(…) is checked as STDP(…) would.
    expectError(() => new Projection(pre, post, 'exc', { type: 'STDP', parameters: { tau_plus: -1 } } as never), 'tau_plus must be > 0');
    expectError(() => new Projection(pre, post, 'exc', { type: 'STDP', parameters: 5 } as never), 'STDP: options must be an object such as { tau_plus: … }, got 5');
  });
});
