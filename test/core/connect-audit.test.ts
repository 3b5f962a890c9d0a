/**
 * Audit of the connection methods against ANNarchy 4.8 (ConnectorMethods.py, cython_ext/Connector.pyx,
 * annarchy-api.md §7.2): the fixes found by the audit, each with the ANNarchy behaviour it follows,
 * and the parity points that already held, pinned so that they stay.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { clear, compile, Monitor, Neuron, Normal, Population, Projection, setup, simulate, Uniform } from '../../src/index.js';
import { column, expectError } from '../helpers/core.js';

beforeEach(() => clear());
afterEach(() => vi.restoreAllMocks());

const target = () => new Neuron({ name: 'target', equations: 'v = g_exc', spike: 'v > 1e9' });
/** Fires once, when the time (ms) equals `at`. */
const emitter = (at: number) => new Neuron({ name: 'emit', parameters: { at }, equations: 'x = t', spike: 'x == at' });

function pairs(proj: Projection): string[] {
  const post = proj.postRanks;
  return Array.from(proj.preRanks, (p, k) => `${p}->${post[k]}`);
}

describe('fixes', () => {
  it('allowSelfConnections must be a boolean: a string such as "no" is refused, not read as true', () => {
    const pop = new Population(3, target());
    const proj = new Projection(pop, pop, 'exc');
    // Before the fix 'no' was truthy and gave 9 synapses (self-connections included).
    expectError(() => proj.connectAllToAll({ weights: 1, allowSelfConnections: 'no' as never }), 'connectAllToAll', "allowSelfConnections must be true or false, got 'no'");
    expectError(() => proj.connectFixedProbability({ weights: 1, probability: 1, allowSelfConnections: 1 as never }), 'connectFixedProbability', 'got 1');
    expectError(() => proj.connectFixedNumberPre({ weights: 1, number: 1, allowSelfConnections: 'true' as never }), 'connectFixedNumberPre');
    expectError(() => proj.connectFixedNumberPost({ weights: 1, number: 1, allowSelfConnections: null as never }), 'connectFixedNumberPost', 'got null');
    proj.connectAllToAll({ weights: 1, allowSelfConnections: false });
    compile();
    expect(proj.nbSynapses).toBe(6);
  });

  it("weights default to 1 in connectOneToOne and connectFixedNumberPost, as ANNarchy's signatures (weights=1.0)", () => {
    const a = new Population(3, target());
    const b = new Population(3, target());
    // ANNarchy: connect_one_to_one(delays=2.0) and connect_fixed_number_post(number=1) need no weights.
    const one = new Projection(a, b, 'exc').connectOneToOne({ delays: 2 });
    const post = new Projection(a, b, 'exc').connectFixedNumberPost({ number: 2 });
    // The others have no default in ANNarchy either (connect_all_to_all(weights, ...)).
    const all = new Projection(a, b, 'exc');
    expectError(() => all.connectAllToAll({} as never), 'weights must be a finite number or a distribution', 'got undefined');
    all.connectAllToAll({ weights: 2 });
    compile();
    expect(Array.from(one.w)).toEqual([1, 1, 1]);
    expect(Array.from(one.delay)).toEqual([2, 2, 2]);
    expect(Array.from(post.w)).toEqual([1, 1, 1, 1, 1, 1]);
  });

  it('connectOneToOne between populations of different sizes warns, as ANNarchy does; equal sizes do not', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const a = new Population(5, target());
    const b = new Population(3, target());
    const proj = new Projection(a, b, 'exc').connectOneToOne({ weights: 1 });
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0]![0]).toContain('connectOneToOne between a pre of 5 and a post of 3 neurons; only ranks 0..2 are connected');
    warn.mockClear();
    new Projection(a, a.slice(0, 5), 'exc').connectOneToOne({ weights: 1 });
    expect(warn).not.toHaveBeenCalled();
    // A parallelRun worker re-runs the declarations on import: the calling thread has said it already.
    const flags = globalThis as Record<string, unknown>;
    flags['__spikeworldWorker__'] = flags['__spikeworldWorkerLoading__'] = true;
    try {
      new Projection(b, a, 'exc').connectOneToOne({ weights: 1 });
      expect(warn).not.toHaveBeenCalled();
      // Once it serves calls, a method's own connection there is said, as in the calling thread.
      delete flags['__spikeworldWorkerLoading__'];
      new Projection(a, b, 'exc').connectOneToOne({ weights: 1 });
      expect(warn).toHaveBeenCalledTimes(1);
    } finally {
      delete flags['__spikeworldWorker__'];
    }
    warn.mockClear();
    compile();
    expect(pairs(proj)).toEqual(['0->0', '1->1', '2->2']);
  });

  it('proj.delay reads whole steps times dt without float noise (0.3 ms, not 0.30000000000000004)', () => {
    setup({ dt: 0.1 });
    const pop = new Population(4, target());
    const uniform = new Projection(pop, pop, 'exc').connectOneToOne({ weights: 1, delays: 0.3 });
    const perSynapse = new Projection(pop, pop, 'exc').connectAllToAll({ weights: 1, delays: Uniform(0.25, 0.75) });
    compile();
    expect(Array.from(uniform.delay)).toEqual([0.3, 0.3, 0.3, 0.3]);
    // Every per-synapse delay is one of 0.3 .. 0.7 ms exactly (3..7 steps of 0.1 ms, rounded).
    expect([...new Set(perSynapse.delay)].every((d) => [0.3, 0.4, 0.5, 0.6, 0.7].includes(d))).toBe(true);
  });

  it('weights drawn from a distribution beyond float32 are refused at compile, naming the distribution (not stored as Infinity)', () => {
    setup({ seed: 1 });
    const pop = new Population(4, target());
    new Projection(pop, pop, 'exc').connectAllToAll({ weights: Uniform(0, 1e39) });
    expectError(() => compile(), 'weights Uniform(0, 1e+39) drew', 'not a finite float32 weight');
  });

  it('a fixed number that fits only with self-connections says how to allow them', () => {
    const pop = new Population(5, target());
    new Projection(pop, pop, 'exc').connectFixedNumberPre({ weights: 1, number: 5 });
    expectError(
      () => compile(),
      'number must be an integer between 0 and 4',
      'without self-connections',
      'got 5; pass allowSelfConnections: true',
    );
  });

  it('a constant delay beyond the ring is refused with a fix that fits it (not "bound the distribution")', () => {
    const pop = new Population(2, target());
    new Projection(pop, pop, 'exc').connectOneToOne({ weights: 1, delays: 1e6 });
    expectError(() => compile(), 'a delay of 1000000 ms is longer than 65535 steps of 1 ms; shorten it');
  });

  it('error messages show what was given: a string count, a positional argument', () => {
    const pop = new Population(5, target());
    const proj = new Projection(pop, pop, 'exc');
    expectError(() => proj.connectFixedNumberPre({ weights: 1, number: '3' as never }), "got '3'");
    // ANNarchy's proj.connect_all_to_all(1.0): the method and the value are named.
    expectError(() => (proj.connectAllToAll as (x: unknown) => unknown)(1), 'connectAllToAll takes an options object such as { weights: 1 }', 'got 1');
    expectError(() => (proj.connectFixedProbability as (x: unknown) => unknown)(undefined), 'connectFixedProbability takes an options object', 'got undefined');
  });
});

describe('connectFromMatrix with a delays matrix (ANNarchy: delays "a matrix or list of lists", same synapses as weights)', () => {
  it('reads each synapse’s delay at its [post][pre], rounds to steps, and delivers there', () => {
    const pre = new Population(2, emitter(1));
    const post = new Population(2, target());
    // [post][pre]: post 0 <- pre 0 (d 1), pre 1 (d 3); post 1 <- pre 1 only (d 0: one step). The
    // delay under a missing weight is not read (null or anything).
    const proj = new Projection(pre, post, 'exc').connectFromMatrix(
      [
        [1, 10],
        [null, 100],
      ],
      { delays: [[1, 3], ['ignored' as never, 0]] },
    );
    const m = new Monitor(post, 'g_exc');
    compile();
    expect(pairs(proj)).toEqual(['0->0', '1->0', '1->1']);
    expect(Array.from(proj.delay)).toEqual([1, 3, 1]);
    simulate(6);
    const g = m.get('g_exc');
    // Spikes at step 1: post 0 gets 1 at step 2 and 10 at step 4; post 1 gets 100 at step 2.
    expect(column(g, 0)).toEqual([0, 0, 1, 0, 10, 0]);
    expect(column(g, 1)).toEqual([0, 0, 100, 0, 0, 0]);
  });

  it('equal delays become one delay for the projection; views work; mistakes are named', () => {
    setup({ dt: 0.5 });
    const pop = new Population(4, target());
    const proj = new Projection(pop.view([3, 0]), pop.slice(1, 3), 'exc').connectFromMatrix(
      [
        [1, 2],
        [3, 4],
      ],
      { delays: [[1.1, 1], [0.9, 1.2]] },
    );
    compile();
    expect(Array.from(proj.delay)).toEqual([1, 1, 1, 1]);
    clear();
    const a = new Population(2, target());
    const p = new Projection(a, a, 'exc');
    expectError(() => p.connectFromMatrix([[1, 2]], { delays: [[1, 2], [3, 4]] }), 'delays has 2 rows, the weights 1');
    expectError(() => p.connectFromMatrix([[1, 2]], { delays: [[1]] }), 'delays[0] has 1 entries, weights[0] 2');
    expectError(() => p.connectFromMatrix([[1, 2]], { delays: [[1, null]] }), 'delays[0][1] is null, but weights[0][1] makes a synapse');
    expectError(() => p.connectFromMatrix([[1, 2]], { delays: [[1, -1]] }), 'delays[0][1] is -1');
  });
});

describe('parity that already held (pinned)', () => {
  it('allToAll between views of one population drops only the pairs of the same neuron (ANNarchy removes r_post from the pre ranks)', () => {
    const pop = new Population(5, target());
    const proj = new Projection(pop.slice(0, 3), pop.slice(1, 4), 'exc').connectAllToAll({ weights: 1 });
    compile();
    expect(pairs(proj)).toEqual(['0->1', '0->2', '0->3', '1->2', '1->3', '2->1', '2->3']);
  });

  it('oneToOne from a population to itself keeps i -> i; between views it pairs the views’ i-th ranks', () => {
    const pop = new Population(5, target());
    const self = new Projection(pop, pop, 'exc').connectOneToOne({ weights: 1 });
    const views = new Projection(pop.view([3, 1]), pop.view([0, 2, 4]), 'exc').connectOneToOne({ weights: 1 });
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    compile();
    expect(pairs(self)).toEqual(['0->0', '1->1', '2->2', '3->3', '4->4']);
    expect(pairs(views)).toEqual(['1->2', '3->0']);
  });

  it('connectFromMatrix: 0 is a synapse of weight 0 (ANNarchy: only None skips), the diagonal of pop -> pop is kept', () => {
    const pop = new Population(2, target());
    const proj = new Projection(pop, pop, 'exc').connectFromMatrix([
      [0, 1],
      [null, 2],
    ]);
    compile();
    expect(pairs(proj)).toEqual(['0->0', '1->0', '1->1']);
    expect(Array.from(proj.w)).toEqual([0, 1, 2]);
  });

  it('delays: 0 ms is one step, 2.5 ms at dt 1 rounds to 3; a distribution below one step is clipped to one step', () => {
    const pop = new Population(5, target());
    const zero = new Projection(pop, pop, 'exc').connectOneToOne({ weights: 1, delays: 0 });
    const half = new Projection(pop, pop, 'exc').connectOneToOne({ weights: 1, delays: 2.5 });
    const neg = new Projection(pop, pop, 'exc').connectAllToAll({ weights: 1, delays: Uniform(-1, 0.4) });
    compile();
    expect(new Set(zero.delay)).toEqual(new Set([1]));
    expect(new Set(half.delay)).toEqual(new Set([3]));
    expect(new Set(neg.delay)).toEqual(new Set([1]));
  });

  it('Normal(mu, sigma, { min, max }) weights are clamped (not redrawn), negative weights are kept', () => {
    setup({ seed: 3 });
    const pop = new Population(40, target());
    const clamped = new Projection(pop, pop, 'exc').connectAllToAll({ weights: Normal(0, 1, { min: 0, max: 0.5 }) });
    const negative = new Projection(pop, pop, 'exc').connectOneToOne({ weights: -2 });
    compile();
    const w = clamped.w;
    expect(Math.min(...w)).toBe(0);
    expect(Math.max(...w)).toBe(0.5);
    // About half the draws are below 0 and land on min exactly.
    const atMin = w.filter((x) => x === 0).length / w.length;
    expect(atMin).toBeGreaterThan(0.4);
    expect(atMin).toBeLessThan(0.6);
    expect(new Set(negative.w)).toEqual(new Set([-2]));
  });

  it('fixed numbers above the population size are refused when connecting, naming the size', () => {
    const a = new Population(5, target());
    const b = new Population(3, target());
    expectError(() => new Projection(a, b, 'exc').connectFixedNumberPre({ weights: 1, number: 6 }), 'between 0 and 5', 'got 6');
    expectError(() => new Projection(a, b, 'exc').connectFixedNumberPost({ weights: 1, number: 4 }), 'between 0 and 3', 'got 4');
  });
});
