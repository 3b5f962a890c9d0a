/**
 * Spike transmission: a spike emitted at step s through a synapse with a delay of d steps reaches
 * g_<target> at step s + max(1, d) (semantics.md "One step"), instantaneous conductances hold only
 * what arrived this step, conductances with their own ODE integrate it. The no-delay and uniform
 * delay tables are ANNarchy's test_SpikeTransmissionNoDelay / UniformDelay.
 */
import { beforeEach, describe, expect, it } from 'vitest';

import {
  clear,
  compile,
  DiscreteUniform,
  Monitor,
  Neuron,
  PoissonPopulation,
  Population,
  Projection,
  setup,
  simulate,
  Uniform,
} from '../../src/index.js';
import { column, rows } from '../helpers/core.js';

/** Fires once, when the time (ms) equals `at`. `x = t` makes the time visible to the spike condition. */
function emitter(at = 1): Neuron {
  return new Neuron({ name: 'emit', parameters: { at }, equations: 'x = t', spike: 'x == at' });
}

/** Never fires; v shows what the neuron read from g_exc during its update. */
const receiver = () => new Neuron({ name: 'recv', equations: 'v = g_exc', spike: 'v > 1e9' });

beforeEach(() => clear());

describe('uniform delays', () => {
  it('no delay: 5 spikes at t = 1 reach both post neurons at step 2 only (ANNarchy test_SpikeTransmissionNoDelay)', () => {
    const pre = new Population(5, emitter(1));
    const post = new Population(2, receiver());
    new Projection(pre, post, 'exc').connectAllToAll({ weights: 1.0 });
    const m = new Monitor(post, 'g_exc');
    compile();
    simulate(5);
    expect(rows(m.get('g_exc'))).toEqual([[0, 0], [0, 0], [5, 5], [0, 0], [0, 0]]);
  });

  it('the neuron update reads the delivered conductance in the same step', () => {
    const pre = new Population(5, emitter(1));
    const post = new Population(2, receiver());
    new Projection(pre, post, 'exc').connectAllToAll({ weights: 0.5 });
    const m = new Monitor(post, 'v');
    compile();
    simulate(4);
    expect(rows(m.get('v'))).toEqual([[0, 0], [0, 0], [2.5, 2.5], [0, 0]]);
  });

  it('delay 3 ms: arrival at step 4 (ANNarchy test_SpikeTransmissionUniformDelay)', () => {
    const pre = new Population(5, emitter(1));
    const post = new Population(2, receiver());
    const proj = new Projection(pre, post, 'exc').connectAllToAll({ weights: 1.0, delays: 3.0 });
    const m = new Monitor(post, 'g_exc');
    compile();
    simulate(6);
    expect(rows(m.get('g_exc'))).toEqual([[0, 0], [0, 0], [0, 0], [0, 0], [5, 5], [0, 0]]);
    expect(Array.from(proj.delay)).toEqual(new Array(10).fill(3));
  });

  it('delay 0 behaves exactly like a delay of dt (one step), and reads back as dt', () => {
    const traces: number[][][] = [];
    for (const delays of [0, 1]) {
      clear();
      const pre = new Population(3, emitter(1));
      const post = new Population(2, receiver());
      const proj = new Projection(pre, post, 'exc').connectAllToAll({ weights: 2, delays });
      const m = new Monitor(post, 'g_exc');
      compile();
      simulate(4);
      expect(Array.from(proj.delay)).toEqual(new Array(6).fill(1));
      traces.push(rows(m.get('g_exc')));
    }
    expect(traces[0]).toEqual([[0, 0], [0, 0], [6, 6], [0, 0]]);
    expect(traces[1]).toEqual(traces[0]);
  });

  it('delays round to whole steps at dt = 0.5: 1.2 ms -> 2 steps, 0.2 ms -> 1 step', () => {
    const arrivals: number[] = [];
    for (const delays of [1.2, 0.2]) {
      clear();
      setup({ dt: 0.5 });
      const pre = new Population(1, emitter(1)); // t == 1 ms is step 2
      const post = new Population(1, receiver());
      const proj = new Projection(pre, post, 'exc').connectOneToOne({ weights: 1, delays });
      const m = new Monitor(post, 'g_exc');
      compile();
      simulate(5);
      const g = column(m.get('g_exc'), 0);
      expect(g.filter((x) => x !== 0)).toEqual([1]);
      arrivals.push(g.indexOf(1));
      expect(Array.from(proj.delay)).toEqual([delays === 1.2 ? 1.0 : 0.5]);
    }
    expect(arrivals).toEqual([4, 3]);
  });

  it('the weight is what is added: negative and fractional weights, one spike per pre', () => {
    const pre = new Population(3, emitter(2));
    const post = new Population(3, receiver());
    new Projection(pre, post, 'exc').connectFromMatrix([
      [0.25, null, -1],
      [null, 3, null],
      [1.5, 1.5, 1.5],
    ]);
    const m = new Monitor(post, 'g_exc');
    compile();
    simulate(4);
    expect(rows(m.get('g_exc'))).toEqual([[0, 0, 0], [0, 0, 0], [0, 0, 0], [-0.75, 3, 4.5]]);
  });

  it('two projections on the same target add up; another target stays separate', () => {
    const a = new Population(2, emitter(1));
    const b = new Population(3, emitter(2));
    const post = new Population(1, new Neuron({ equations: 'v = g_exc - g_inh', spike: 'v > 1e9' }));
    new Projection(a, post, 'exc').connectAllToAll({ weights: 1 });
    new Projection(b, post, 'exc').connectAllToAll({ weights: 10, delays: 1 });
    new Projection(a, post, 'inh').connectAllToAll({ weights: 0.5, delays: 2 });
    const m = new Monitor(post, ['g_exc', 'g_inh', 'v']);
    compile();
    simulate(5);
    const d = m.get();
    expect(column(d['g_exc']!, 0)).toEqual([0, 0, 2, 30, 0]);
    expect(column(d['g_inh']!, 0)).toEqual([0, 0, 0, 1, 0]);
    expect(column(d['v']!, 0)).toEqual([0, 0, 2, 29, 0]);
  });

  it('a neuron firing every step drives the target every step from step 1 on', () => {
    const pre = new Population(4, new Neuron({ equations: 'v = 1', spike: 'v > 0' }));
    const post = new Population(1, receiver());
    new Projection(pre, post, 'exc').connectAllToAll({ weights: 0.25 });
    const m = new Monitor(post, 'g_exc');
    const ms = new Monitor(pre, 'spike');
    compile();
    simulate(6);
    expect(column(m.get('g_exc'), 0)).toEqual([0, 1, 1, 1, 1, 1]);
    expect(Array.from(ms.get('spike')[0]!)).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('recurrent (self) projection: a spike re-excites the population after the delay', () => {
    // Neuron 0 fires at t = 1; the others fire when they receive input (g_exc > 0).
    const pop = new Population(
      3,
      new Neuron({ parameters: { first: 0 }, equations: 'x = t', spike: '(first > 0.5 and x == 1) or g_exc > 0' }),
    );
    pop.set({ first: [1, 0, 0] });
    new Projection(pop, pop, 'exc').connectFromMatrix(
      [
        [null, null, null],
        [1, null, null],
        [null, 1, null],
      ],
      { delays: 2 },
    );
    const m = new Monitor(pop, 'spike');
    compile();
    simulate(8);
    expect(m.get('spike').map((s) => Array.from(s))).toEqual([[1], [3], [5]]);
  });

  it('Poisson spikes at step s arrive at s + 1: g_exc equals the previous step\'s spike count', () => {
    setup({ seed: 7 });
    const pre = new PoissonPopulation(50, { rates: 200 });
    const post = new Population(1, receiver());
    new Projection(pre, post, 'exc').connectAllToAll({ weights: 1 });
    const ms = new Monitor(pre, 'spike');
    const mg = new Monitor(post, 'g_exc');
    compile();
    simulate(200);
    const counts = new Array(200).fill(0);
    for (const train of ms.get('spike')) for (const s of train) counts[s]++;
    const g = column(mg.get('g_exc'), 0);
    expect(g[0]).toBe(0);
    expect(g.slice(1)).toEqual(counts.slice(0, 199));
    expect(counts.reduce((a, b) => a + b, 0)).toBeGreaterThan(1000); // 50 · 200 Hz · 0.2 s = 2000 expected
  });
});

describe('mixed delays from one population', () => {
  it('Poisson through a uniform delay of 3 steps: g_exc at s + 3 is the spike count at s', () => {
    setup({ seed: 8 });
    const pre = new PoissonPopulation(40, { rates: 250 });
    const post = new Population(1, receiver());
    new Projection(pre, post, 'exc').connectAllToAll({ weights: 1, delays: 3 });
    const ms = new Monitor(pre, 'spike');
    const mg = new Monitor(post, 'g_exc');
    compile();
    simulate(100);
    const counts = new Array(100).fill(0);
    for (const train of ms.get('spike')) for (const s of train) counts[s]++;
    const g = column(mg.get('g_exc'), 0);
    expect(g.slice(0, 3)).toEqual([0, 0, 0]);
    expect(g.slice(3)).toEqual(counts.slice(0, 97));
  });

  it('one pre population feeding a uniform-delay and a per-synapse-delay projection: both are right', () => {
    setup({ seed: 12 });
    // Fires at steps 0, 3, 6, ...
    const pre = new Population(
      4,
      new Neuron({ equations: 'v = v + 1', spike: 'v >= 1', reset: 'v = -2' }),
    );
    const post = new Population(2, new Neuron({ equations: 'v = g_exc + g_inh', spike: 'v > 1e9' }));
    new Projection(pre, post, 'exc').connectAllToAll({ weights: 1, delays: 5 });
    const inh = new Projection(pre, post, 'inh').connectAllToAll({ weights: 1, delays: DiscreteUniform(1, 7) });
    const m = new Monitor(post, ['g_exc', 'g_inh']);
    compile();
    simulate(20);
    const d = m.get();
    const fires = [0, 3, 6, 9, 12, 15, 18];
    const exc = Array.from({ length: 20 }, () => [0, 0]);
    const inhExpected = Array.from({ length: 20 }, () => [0, 0]);
    for (const s of fires) {
      if (s + 5 < 20) exc[s + 5] = [4, 4];
      for (let k = 0; k < inh.nbSynapses; k++) {
        const a = s + (inh.delay[k] as number);
        if (a < 20) inhExpected[a]![inh.postRanks[k] as number]! += 1;
      }
    }
    expect(rows(d['g_exc']!)).toEqual(exc);
    expect(rows(d['g_inh']!)).toEqual(inhExpected);
  });
});

describe('per-synapse delays', () => {
  it('DiscreteUniform delays: each synapse arrives at 1 + its own delay (checked against proj.delay)', () => {
    setup({ seed: 3 });
    const pre = new Population(5, emitter(1));
    const post = new Population(2, receiver());
    const proj = new Projection(pre, post, 'exc').connectAllToAll({ weights: 1, delays: DiscreteUniform(1, 5) });
    const m = new Monitor(post, 'g_exc');
    compile();
    simulate(9);
    const delay = proj.delay;
    const postRanks = proj.postRanks;
    const expected = Array.from({ length: 9 }, () => [0, 0]);
    for (let k = 0; k < proj.nbSynapses; k++) expected[1 + (delay[k] as number)]![postRanks[k] as number]! += 1;
    // The draw must actually spread the delays, or this test checks little.
    expect(new Set(delay).size).toBeGreaterThan(2);
    for (const d of delay) expect([1, 2, 3, 4, 5]).toContain(d);
    expect(rows(m.get('g_exc'))).toEqual(expected);
  });

  it('random weights and random delays together: each arrival carries its synapse\'s (float32) weight', () => {
    setup({ seed: 11 });
    const pre = new Population(4, emitter(2));
    const post = new Population(3, receiver());
    const proj = new Projection(pre, post, 'exc').connectAllToAll({
      weights: Uniform(0.5, 1.5),
      delays: DiscreteUniform(1, 3),
    });
    const m = new Monitor(post, 'g_exc');
    compile();
    simulate(7);
    const w = proj.w;
    const delay = proj.delay;
    const postRanks = proj.postRanks;
    const expected = Array.from({ length: 7 }, () => [0, 0, 0]);
    // Accumulate in CSR order, as the engine does.
    for (let k = 0; k < proj.nbSynapses; k++) expected[2 + (delay[k] as number)]![postRanks[k] as number]! += w[k] as number;
    const got = rows(m.get('g_exc'));
    for (let s = 0; s < 7; s++) for (let q = 0; q < 3; q++) expect(got[s]![q]).toBeCloseTo(expected[s]![q]!, 12);
    for (const x of w) {
      expect(x).toBeGreaterThanOrEqual(0.5);
      expect(x).toBeLessThan(1.5);
    }
  });

  it('per-synapse delays with repeated spikes: overlapping arrivals add up', () => {
    setup({ seed: 5 });
    // Fires at steps 0, 2, 4, ... (v alternates 1, 0).
    const pre = new Population(3, new Neuron({ equations: 'v = 1 - v', spike: 'v > 0.5' }));
    const post = new Population(2, receiver());
    const proj = new Projection(pre, post, 'exc').connectAllToAll({ weights: 1, delays: DiscreteUniform(1, 4) });
    const m = new Monitor(post, 'g_exc');
    compile();
    simulate(12);
    const expected = Array.from({ length: 12 }, () => [0, 0]);
    for (let s = 0; s < 12; s += 2) {
      for (let k = 0; k < proj.nbSynapses; k++) {
        const arrival = s + (proj.delay[k] as number);
        if (arrival < 12) expected[arrival]![proj.postRanks[k] as number]! += 1;
      }
    }
    expect(rows(m.get('g_exc'))).toEqual(expected);
  });
});

describe('conductances', () => {
  it('a conductance with its own ODE integrates the arrival and decays (explicit Euler, recorded at the end of the step)', () => {
    const pre = new Population(1, emitter(1));
    const post = new Population(
      1,
      new Neuron({ parameters: { tau: 10 }, equations: 'tau * dg_exc/dt = -g_exc\nv = g_exc', spike: 'v > 1e9' }),
    );
    new Projection(pre, post, 'exc').connectAllToAll({ weights: 5 });
    const m = new Monitor(post, ['g_exc', 'v']);
    compile();
    simulate(6);
    const d = m.get();
    // Reference: g += w at step 2, then g += dt * (-g / tau) in the integrate stage of every step.
    const expected: number[] = [];
    let g = 0;
    for (let s = 0; s < 6; s++) {
      if (s === 2) g += 5;
      g = g + 1 * (-g / 10);
      expected.push(g);
    }
    // Equal up to the arrangement of the arithmetic (g·(1 - dt/tau) vs g + dt·(-g/tau)).
    const g_exc = column(d['g_exc']!, 0);
    g_exc.forEach((x, k) => expect(x).toBeCloseTo(expected[k]!, 13));
    expect(g_exc.slice(0, 2)).toEqual([0, 0]);
    expect(expected[2]).toBeCloseTo(4.5, 12);
    expect(expected[3]).toBeCloseTo(4.05, 12);
    // `v = g_exc` comes after the ODE: it reads the updated conductance.
    expect(column(d['v']!, 0)).toEqual(g_exc);
  });

  it('an exponential conductance (IF_curr_exp) decays by exp(-dt / tau_syn_E) per step', () => {
    const pre = new Population(1, emitter(1));
    const post = new Population(1, new Neuron({ parameters: { tau: 5 }, equations: 'tau * dg_exc/dt = -g_exc : exponential', spike: 'g_exc > 1e9' }));
    new Projection(pre, post, 'exc').connectAllToAll({ weights: 1 });
    const m = new Monitor(post, 'g_exc');
    compile();
    simulate(5);
    const g = column(m.get('g_exc'), 0);
    const k = Math.exp(-1 / 5);
    expect(g[0]).toBe(0);
    expect(g[1]).toBe(0);
    expect(g[2]).toBeCloseTo(k, 12);
    expect(g[3]).toBeCloseTo(k * k, 12);
    expect(g[4]).toBeCloseTo(k * k * k, 12);
  });

  it('while refractory, the membrane is frozen but an ODE conductance keeps decaying', () => {
    // The post neuron fires at step 0 (v = 1 > 0.5) and is then refractory for 5 steps.
    const pre = new Population(1, emitter(1));
    const post = new Population(
      1,
      new Neuron({
        parameters: { tau: 2 },
        equations: 'tau * dg_exc/dt = -g_exc\nv = v + 1',
        spike: 'v > 0.5',
        reset: 'v = -100',
        refractory: 5,
      }),
    );
    new Projection(pre, post, 'exc').connectAllToAll({ weights: 8 });
    const m = new Monitor(post, ['g_exc', 'v', 'spike']);
    compile();
    simulate(5);
    const d = m.get();
    expect(column(d['v']!, 0)).toEqual([-100, -100, -100, -100, -100]);
    // Arrival at step 2: 8 -> 8 - 8/2 = 4, then 2, then 1.
    expect(column(d['g_exc']!, 0)).toEqual([0, 0, 4, 2, 1]);
    expect(Array.from((d['spike'] as Int32Array[])[0]!)).toEqual([0]);
  });

  it('while refractory, an instantaneous conductance still holds only this step\'s arrivals', () => {
    const pre = new Population(2, new Neuron({ equations: 'v = 1', spike: 'v > 0' })); // fires every step
    const post = new Population(
      1,
      new Neuron({ equations: 'v = v + 1\nI = g_exc', spike: 'v > 0.5', reset: 'v = -100', refractory: 10 }),
    );
    new Projection(pre, post, 'exc').connectAllToAll({ weights: 1 });
    const m = new Monitor(post, ['g_exc', 'I']);
    compile();
    simulate(5);
    const d = m.get();
    expect(column(d['g_exc']!, 0)).toEqual([0, 2, 2, 2, 2]);
    // The assignment I = g_exc is frozen during refractoriness (set at step 0, before the spike).
    expect(column(d['I']!, 0)).toEqual([0, 0, 0, 0, 0]);
  });
});

describe('spike conditions on t', () => {
  it('a spike condition may use t directly (ANNarchy\'s simple_emit: spike = "t == 1")', () => {
    const pre = new Population(5, new Neuron({ spike: 't == 1' }));
    const post = new Population(2, receiver());
    new Projection(pre, post, 'exc').connectAllToAll({ weights: 1.0 });
    const m = new Monitor(post, 'g_exc');
    compile();
    simulate(5);
    expect(rows(m.get('g_exc'))).toEqual([[0, 0], [0, 0], [5, 5], [0, 0], [0, 0]]);
  });

  it('a reset statement may use t', () => {
    const pop = new Population(1, new Neuron({ equations: 'v = v + 1', spike: 'v > 2', reset: 'v = t' }));
    const m = new Monitor(pop, 'v');
    compile();
    simulate(4);
    // step 2: v = 3 > 2 -> reset v = t = 2; step 3: v = 3 > 2 -> v = 3.
    expect(column(m.get('v'), 0)).toEqual([1, 2, 2, 3]);
  });
});
