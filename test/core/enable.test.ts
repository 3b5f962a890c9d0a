/**
 * pop.enable() / pop.disable() / pop.enabled (ANNarchy's): a disabled population is not updated
 * (values and refractory counts stay, no noise is drawn), emits nothing (Poisson sources and
 * spike source arrays neither; a source array's clock pauses), its instantaneous conductances are
 * not cleared, and the projections leading to it deliver nothing (arrivals are dropped). Exact
 * spike steps on small networks at dt = 1 ms, under both kernel back ends and both precisions.
 */
import { beforeEach, describe, expect, it } from 'vitest';

import {
  clear,
  compile,
  every,
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
  TimedPoissonPopulation,
  Uniform,
} from '../../src/index.js';
import { expectError, trains } from '../helpers/core.js';

beforeEach(() => clear());

type Kernels = 'js' | 'auto';
type Precision = 'double' | 'float';
const BACKENDS: [Kernels, Precision][] = [
  ['auto', 'double'],
  ['auto', 'float'],
  ['js', 'double'],
  ['js', 'float'],
];

function start(kernels: Kernels, precision: Precision, seed = 1): void {
  setup({ dt: 1, seed, kernels, precision });
}

/** v rises by 1 per step and fires above 2.5: spikes at steps 2, 5, 8, … (4 neurons: one SIMD vector either precision). */
const Ramp = () => new Neuron({ equations: 'dv/dt = 1', spike: 'v > 2.5', reset: 'v = 0' });
/** v rises by 1 per step and fires above 0.5, then 2 refractory steps: spikes at 0, 3, 6, … */
const RefractoryRamp = () => new Neuron({ equations: 'dv/dt = 1', spike: 'v > 0.5', reset: 'v = 0', refractory: 2 });
/** x counts what arrives (g_exc is instantaneous: cleared each step); never fires. */
const Counter = () => new Neuron<'x' | 'g_exc'>({ equations: 'dx/dt = g_exc', spike: 'x > 1e9' });

function spikeSteps(m: Monitor, rank = 0): number[] {
  return trains(m.get('spike'))[rank]!;
}

describe.each(BACKENDS)('kernels %s, precision %s', (kernels, precision) => {
  it('a disabled population neither moves nor spikes; enabled again it goes on from where it stood', () => {
    start(kernels, precision);
    const pop = new Population(4, Ramp());
    const m = new Monitor(pop, ['spike', 'v']);
    compile();
    simulate(4); // steps 0–3: a spike at 2, v = 1 after step 3
    pop.disable();
    expect(pop.enabled).toBe(false);
    simulate(5); // steps 4–8: v stays 1, no spike (enabled: spikes at 5 and 8)
    pop.enable();
    simulate(5); // steps 9–13: v 2, 3 (spike at 10), 1, 2, 3 (spike at 13)
    const v = m.get('v').map((row) => row[0]);
    expect(spikeSteps(m)).toEqual([2, 10, 13]);
    expect(v).toEqual([1, 2, 0, 1, 1, 1, 1, 1, 1, 2, 0, 1, 2, 0]);
  });

  it('refractory counts stand still while disabled', () => {
    start(kernels, precision);
    const pop = new Population(4, RefractoryRamp());
    const m = new Monitor(pop, 'spike');
    compile();
    simulate(1); // spike at 0, then 2 refractory steps
    pop.disable();
    simulate(5); // steps 1–5
    pop.enable();
    simulate(6); // steps 6, 7 refractory (counting down there would spike at 6), spikes at 8 and 11
    expect(spikeSteps(m)).toEqual([0, 8, 11]);
  });

  it('a disabled post receives nothing: arrivals are dropped (uniform delay), its conductances keep their values', () => {
    start(kernels, precision);
    const src = new SpikeSourceArray([2, 5, 8]);
    const post = new Population(4, Counter());
    new Projection(src, post, 'exc').connectAllToAll({ weights: 1, delays: 3 }); // arrivals at 5, 8, 11
    const m = new Monitor(post, ['x', 'g_exc']);
    compile();
    simulate(6); // steps 0–5: the arrival at 5
    post.disable();
    simulate(4); // steps 6–9: the arrival at 8 is dropped; g_exc is not cleared
    post.enable();
    simulate(5); // steps 10–14: the arrival at 11
    expect(m.get('x').map((r) => r[0])).toEqual([0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2]);
    expect(m.get('g_exc').map((r) => r[0])).toEqual([0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 0, 1, 0, 0, 0]);
  });

  it('with a delay per synapse, arrivals at a disabled post are dropped and those after it is enabled arrive', () => {
    start(kernels, precision);
    const src = new SpikeSourceArray([[2], [2], [2]]);
    const post = new Population(3, Counter());
    // Post neuron q gets pre q with delay 2, 5 and 8 steps: arrivals at 4, 7 and 10.
    new Projection(src, post, 'exc').connectFromMatrix(
      [
        [1, null, null],
        [null, 1, null],
        [null, null, 1],
      ],
      { delays: [[2, null, null], [null, 5, null], [null, null, 8]] },
    );
    const m = new Monitor(post, 'x');
    compile();
    simulate(6); // steps 0–5: the arrival at 4
    post.disable();
    simulate(3); // steps 6–8: the arrival at 7 is dropped
    expect(Array.from(post.g_exc)).toEqual([0, 0, 0]); // not even seen in the conductance
    post.enable();
    simulate(4); // steps 9–12: the arrival at 10
    expect(Array.from(post.x)).toEqual([1, 0, 1]);
    // One step with the same post disabled at 10 drops that arrival too, and nothing comes late.
    reset();
    m.get();
    simulate(10);
    post.disable();
    simulate(1);
    post.enable();
    simulate(20);
    expect(Array.from(post.x)).toEqual([1, 1, 0]);
  });

  it("spikes a disabled population emitted before still arrive; a spike source array's clock pauses while disabled", () => {
    start(kernels, precision);
    const src = new SpikeSourceArray([3, 8]);
    const post = new Population(4, Counter());
    new Projection(src, post, 'exc').connectAllToAll({ weights: 1, delays: 4 });
    const m = new Monitor(src, 'spike');
    const g = new Monitor(post, 'g_exc');
    compile();
    simulate(5); // the spike at 3 (arrival at 7)
    src.disable();
    simulate(5); // steps 5–9: the arrival at 7 all the same; the source's clock stands at 5
    src.enable();
    simulate(10); // its time 8 comes at step 13 (arrival at 17)
    expect(spikeSteps(m)).toEqual([3, 13]);
    const arrivals = g.get('g_exc').flatMap((r, s) => (r[0] === 1 ? [s] : []));
    expect(arrivals).toEqual([7, 17]);
  });

  it('a disabled Poisson source emits nothing and draws nothing: enabled again it continues the draws where it stopped', () => {
    const run = (pause: boolean) => {
      clear();
      start(kernels, precision, 5);
      const p = new PoissonPopulation(50, { rates: 100 });
      const m = new Monitor(p, 'spike');
      compile();
      simulate(10);
      if (pause) {
        p.disable();
        simulate(10);
        p.enable();
      }
      simulate(30);
      return trains(m.get('spike'));
    };
    const paused = run(true);
    const straight = run(false);
    expect(paused.flat().some((s) => s >= 10 && s < 20)).toBe(false);
    expect(paused.flat().filter((s) => s >= 20).length).toBeGreaterThan(50);
    // The same draws, ten steps later.
    expect(paused).toEqual(straight.map((t) => t.map((s) => (s >= 10 ? s + 10 : s))));
  });

  it("a disabled timed Poisson population emits nothing and its schedule's clock pauses", () => {
    start(kernels, precision);
    // 1000 Hz at dt 1 ms: a spike every step, for the first 10 steps of its own time.
    const p = new TimedPoissonPopulation(2, { rates: [1000, 0], schedule: [0, 10] });
    const m = new Monitor(p, 'spike');
    compile();
    simulate(5);
    p.disable();
    simulate(5); // steps 5–9: nothing; its time stands at 5
    p.enable();
    simulate(10); // its times 5–9 are steps 10–14, its switch to 0 Hz at step 15
    expect(spikeSteps(m)).toEqual([0, 1, 2, 3, 4, 10, 11, 12, 13, 14]);
  });
});

describe('enable() / disable(): toggles, copies, reset, back ends', () => {
  /** Poisson input → Izhikevich (noise, delays per synapse) → Izhikevich, with a disabled stretch of each side. */
  function mixed(kernels: Kernels, precision: Precision) {
    clear();
    setup({ dt: 0.5, seed: 9, kernels, precision });
    const input = new PoissonPopulation(40, { rates: 40 });
    const exc = new Population(20, Izhikevich({ noise: 2 }));
    const out = new Population(10, Izhikevich);
    new Projection(input, exc, 'exc').connectFixedProbability({ probability: 0.5, weights: 6, delays: Uniform(0.5, 3) });
    new Projection(exc, out, 'exc').connectAllToAll({ weights: 4, delays: 2 });
    const ms = [input, exc, out].map((p) => new Monitor(p, 'spike'));
    const v = new Monitor(exc, 'v');
    compile();
    simulate(100);
    exc.disable();
    simulate(50);
    out.disable();
    input.disable();
    simulate(50);
    exc.enable();
    input.enable();
    simulate(50);
    out.enable();
    simulate(100);
    return { spikes: ms.map((m) => m.get('spike').map((t) => Array.from(t))), v: v.get('v').map((r) => Array.from(r)) };
  }

  it('the WebAssembly and JS back ends give the same bits, in double and in float', () => {
    for (const precision of ['double', 'float'] as const) {
      const wasm = mixed('auto', precision);
      expect(wasm.spikes.flat(2).length).toBeGreaterThan(100);
      expect(mixed('js', precision)).toEqual(wasm);
    }
  });

  it('every() callbacks toggle from the next step on, inside one simulate()', () => {
    setup({ dt: 1, seed: 1 });
    const pop = new Population(4, Ramp());
    const m = new Monitor(pop, 'spike');
    compile();
    // Before steps 4 and 8: off at 4, on at 8.
    every(4, (n) => (n % 2 === 0 ? pop.enable() : pop.disable()), { offsetMs: 0 });
    simulate(16);
    // v: steps 0–3 → 1, 2, 3 (spike at 2, v 0), 1; frozen at 1 over 4–7; 8 → 2, 9 → 3 (spike), 10 → 1, 11 → 2; off 12–15.
    expect(spikeSteps(m)).toEqual([2, 9]);
  });

  it('before compile; copies take the switch as it is and keep their own; reset() keeps it and replays the run', () => {
    setup({ dt: 1, seed: 1 });
    const pop = new Population(4, Ramp());
    const m = new Monitor(pop, 'spike');
    pop.disable();
    const off = new Network({ everything: true });
    pop.enable();
    const on = new Network({ everything: true });
    expect([pop.enabled, off.get(pop).enabled, on.get(pop).enabled]).toEqual([true, false, true]);
    on.get(pop).disable();
    expect(pop.enabled).toBe(true);
    on.get(pop).enable();
    for (const net of [off, on]) {
      net.compile();
      net.simulate(6);
    }
    expect(spikeSteps(off.get(m))).toEqual([]);
    expect(spikeSteps(on.get(m))).toEqual([2, 5]);
    off.get(pop).enable();
    off.simulate(3); // steps 6–8: v 1, 2, 3
    expect(spikeSteps(off.get(m))).toEqual([8]);
    // reset(): the switch stays as it is (ANNarchy's reset re-applies `enabled`), and a run replays.
    const protocol = () => {
      on.simulate(6);
      on.get(pop).disable();
      on.simulate(4);
      on.get(pop).enable();
      on.simulate(4);
      return trains(on.get(m).get('spike'))[0];
    };
    on.reset();
    const first = protocol();
    expect(first).toEqual([2, 5, 12]);
    on.reset();
    expect(protocol()).toEqual(first);
    on.get(pop).disable();
    on.reset();
    expect(on.get(pop).enabled).toBe(false);
    on.dispose();
    expect(on.get(pop).enabled).toBe(false); // readable once disposed, as it was
  });

  it('a disabled post of a plastic (STDP) projection gets no pre events: weights and traces stay', () => {
    setup({ dt: 1, seed: 1 });
    const src = new SpikeSourceArray([[2, 4, 6]]);
    const post = new Population(4, Counter());
    const proj = new Projection(src, post, 'exc', STDP()).connectAllToAll({ weights: 0.5 });
    compile();
    post.disable();
    simulate(10);
    expect(Array.from(post.x)).toEqual([0, 0, 0, 0]);
    expect(Array.from(post.g_exc)).toEqual([0, 0, 0, 0]);
    expect(Array.from(proj.w)).toEqual([0.5, 0.5, 0.5, 0.5]);
    post.enable();
    reset();
    simulate(10);
    expect(Array.from(post.x)).toEqual([1.5, 1.5, 1.5, 1.5]);
  });

  it("a disabled population's firing rate r goes on counting: its window moves over steps without spikes", () => {
    setup({ dt: 1 });
    const src = new SpikeSourceArray([[0, 1, 2, 3, 4]]);
    src.computeFiringRate(5);
    const m = new Monitor(src, 'r');
    compile();
    simulate(5);
    src.disable();
    simulate(5);
    expect(m.get('r').map((row) => row[0])).toEqual([200, 400, 600, 800, 1000, 800, 600, 400, 200, 0]);
  });

  it('a disabled post of an STP projection gets no events: x, u and its conductances stay', () => {
    setup({ dt: 1, seed: 1 });
    const src = new SpikeSourceArray([[2, 4, 6]]);
    const post = new Population(4, Counter());
    const proj = new Projection(src, post, 'exc', STP({ U: 0.5 })).connectAllToAll({ weights: 1 });
    compile();
    post.disable();
    simulate(10);
    expect(Array.from(post.x)).toEqual([0, 0, 0, 0]);
    expect(Array.from(proj.x)).toEqual([1, 1, 1, 1]);
    expect(Array.from(proj.u)).toEqual([0.5, 0.5, 0.5, 0.5]);
    post.enable();
    reset();
    simulate(4); // the first arrival, at step 3: g_exc += w·u·x = 0.5
    expect(Array.from(post.x)).toEqual([0.5, 0.5, 0.5, 0.5]);
    expect(Array.from(proj.x)).toEqual([0.5, 0.5, 0.5, 0.5]);
  });

  it('refused: a PopulationView (ANNarchy has no enable() on views), and a disposed network', () => {
    setup({ dt: 1 });
    const pop = new Population(4, Ramp(), { name: 'ramp' });
    expectError(() => pop.slice(0, 2).disable(), 'PopulationView ramp[2 of 4]: disable() switches a whole population', 'view.population.disable()');
    expectError(() => pop.view([1]).enable(), 'enable() switches a whole population', 'view.population.enable()');
    const net = new Network({ everything: true });
    net.dispose();
    expectError(() => net.get(pop).disable(), "cannot disable() population 'ramp': the network was disposed");
  });
});
