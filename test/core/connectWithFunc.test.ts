/**
 * proj.connectWithFunc(method, args): ANNarchy's connect_with_func. The method runs at once with
 * (pre, post, args) and returns a LILConnectivity (add(postRank, preRanks, weights, delays) per
 * post neuron, population ranks, delays in ms); what it returns is checked before it connects.
 */
import { beforeEach, expect, it } from 'vitest';

import { clear, compile, LILConnectivity, Monitor, Network, Neuron, Population, Projection, simulate, type PopulationView } from '../../src/index.js';
import { templateNetwork } from '../../src/api/network.js';
import { declarationSignature } from '../../src/parallel/signature.js';
import { column, expectError } from '../helpers/core.js';

beforeEach(() => clear());

/** Fires once, at t = 1 ms (step 1 at the default dt of 1 ms). */
const emitter = () => new Neuron({ spike: 't == 1' });
/** Never fires; g_exc shows what arrived. */
const receiver = () => new Neuron({ equations: 'v = g_exc', spike: 'v > 1e9' });

function pair(preSize = 3, postSize = 2) {
  const pre = new Population(preSize, emitter());
  const post = new Population(postSize, receiver());
  return { pre, post, proj: new Projection(pre, post, 'exc') };
}

/** A method from a list of [post, pre ranks, weights, delays?] adds. */
function adds(...rows: [number, number[], number | number[], (number | number[])?][]) {
  return () => {
    const lil = new LILConnectivity();
    for (const [q, ranks, w, d] of rows) lil.add(q, ranks, w, d);
    return lil;
  };
}

it('calls the method at once with (pre, post, args) and connects what it returns: ranks, weights, delays in ms', () => {
  const { pre, post, proj } = pair();
  const calls: unknown[][] = [];
  proj.connectWithFunc(
    (a, b, args: { w: number }) => {
      calls.push([a, b, args]);
      const lil = new LILConnectivity();
      lil.add(1, [2, 0], [args.w, 0.25], [3, 1]);
      lil.add(0, [1], args.w, 2);
      return lil;
    },
    { w: 0.5 },
  );
  // Before compile: ANNarchy runs connect_with_func's method immediately.
  expect(calls).toEqual([[pre, post, { w: 0.5 }]]);
  compile();
  expect(calls.length).toBe(1);
  // CSR order: by pre rank, then post rank.
  expect(Array.from(proj.preRanks)).toEqual([0, 1, 2]);
  expect(Array.from(proj.postRanks)).toEqual([1, 0, 1]);
  expect(Array.from(proj.w)).toEqual([0.25, 0.5, 0.5]);
  expect(Array.from(proj.delay)).toEqual([1, 2, 3]);
  expect(proj.nbSynapses).toBe(3);
});

it('without args the method gets an empty object, as ANNarchy passes no named arguments', () => {
  const { proj } = pair();
  let got: unknown;
  proj.connectWithFunc((_pre, _post, args?: object) => {
    got = args;
    return new LILConnectivity().add(0, [0], 1);
  });
  expect(got).toEqual({});
});

it('weights and delays: a number, a one-value array for all (as ANNarchy), or one per pre rank; delays default to one step', () => {
  const { proj } = pair(4, 3);
  proj.connectWithFunc(adds([0, [0, 1, 2], 2], [1, [3, 1], [1.5], [4]], [2, [2, 3], [0.5, 0.75], [2, 5]]));
  compile();
  const d0 = proj.dendrite(0);
  expect([Array.from(d0.preRanks), Array.from(d0.w), Array.from(d0.delay)]).toEqual([[0, 1, 2], [2, 2, 2], [1, 1, 1]]);
  const d1 = proj.dendrite(1);
  expect([Array.from(d1.preRanks), Array.from(d1.w), Array.from(d1.delay)]).toEqual([[1, 3], [1.5, 1.5], [4, 4]]);
  const d2 = proj.dendrite(2);
  expect([Array.from(d2.preRanks), Array.from(d2.w), Array.from(d2.delay)]).toEqual([[2, 3], [0.5, 0.75], [2, 5]]);
});

it('an empty list of pre ranks adds nothing (as ANNarchy), and that post neuron has no dendrite', () => {
  const { proj } = pair();
  proj.connectWithFunc(adds([0, [], 1], [1, [2], 1], [0, [1], 3]));
  compile();
  expect(proj.size).toBe(2);
  expect(Array.from(proj.dendrite(0).w)).toEqual([3]);
});

it('a spike goes through the listed synapses with their own delays', () => {
  const { proj, post } = pair(2, 2);
  proj.connectWithFunc(adds([0, [0], 0.5, 2], [1, [0, 1], [0.25, 4], [3, 1]]));
  const m = new Monitor(post, 'g_exc');
  compile();
  simulate(6);
  const g = m.get('g_exc');
  // Both pre neurons fire at step 1: post 0 gets 0.5 at step 3, post 1 gets 4 at step 2 and 0.25 at step 4.
  expect(column(g, 0)).toEqual([0, 0, 0, 0.5, 0, 0]);
  expect(column(g, 1)).toEqual([0, 0, 4, 0, 0.25, 0]);
});

it('a Network copy takes the synapses without calling the method again, and delivers through them', () => {
  const { proj, post } = pair(2, 2);
  let calls = 0;
  proj.connectWithFunc(() => {
    calls++;
    return new LILConnectivity().add(1, [0, 1], [0.5, 2], [2, 1]);
  });
  const m = new Monitor(post, 'g_exc');
  const net = new Network({ everything: true });
  net.compile();
  expect(calls).toBe(1);
  const copy = net.get(proj);
  expect([Array.from(copy.preRanks), Array.from(copy.postRanks), Array.from(copy.w), Array.from(copy.delay)]).toEqual([[0, 1], [1, 1], [0.5, 2], [2, 1]]);
  net.simulate(5);
  expect(column(net.get(m).get('g_exc'), 1)).toEqual([0, 0, 2, 0.5, 0]);
  net.dispose();
});

it('between views the LILConnectivity takes the populations\' ranks (as ANNarchy); a rank outside the view is refused', () => {
  const a = new Population(6, emitter());
  const b = new Population(5, receiver());
  const preView: PopulationView = a.slice(2, 5);
  const postView = b.view([4, 0]);
  const proj = new Projection(preView, postView, 'exc').connectWithFunc(adds([4, [3, 2], [1, 2]], [0, [4], 3]));
  compile();
  expect(Array.from(proj.preRanks)).toEqual([2, 3, 4]);
  expect(Array.from(proj.postRanks)).toEqual([4, 4, 0]);
  expect(Array.from(proj.dendrite(4).preRanks)).toEqual([2, 3]);
  clear();
  const c = new Population(6, emitter());
  const d = new Population(5, receiver());
  const view = new Projection(c.slice(2, 5), d.view([4, 0]), 'exc');
  expectError(
    () => view.connectWithFunc(adds([4, [1], 1])),
    "connectWithFunc: a pre rank of post neuron 4 is 1, which is not in the pre view of 'pop0' (its ranks: 2, 3, 4)",
    "a LILConnectivity takes the population's ranks (view.ranks[i]), not indices in the view",
  );
  expectError(() => view.connectWithFunc(adds([1, [2], 1])), "a post rank is 1, which is not in the post view of 'pop1' (its ranks: 4, 0)");
});

it('refuses ranks beyond the populations, naming the rank and the range', () => {
  const { proj } = pair(3, 2);
  expectError(() => proj.connectWithFunc(adds([2, [0], 1])), "connectWithFunc: a post rank is 2, but the post population 'pop1' has ranks 0..1");
  expectError(() => proj.connectWithFunc(adds([1, [0, 3], 1])), "a pre rank of post neuron 1 is 3, but the pre population 'pop0' has ranks 0..2");
});

it('refuses a pre rank given twice to one post neuron', () => {
  const { proj } = pair(3, 2);
  expectError(() => proj.connectWithFunc(adds([0, [0], 1], [1, [2, 0, 2], 1])), 'post neuron 1 is given pre neuron 2 twice in its add() call; list each pre rank once per post neuron');
});

it('LILConnectivity.add refuses what cannot be a synapse, naming the value and the fix', () => {
  const lil = new LILConnectivity();
  expectError(() => lil.add(-1, [0], 1), 'LILConnectivity.add(-1, …): the post rank must be an integer >= 0');
  expectError(() => lil.add(0.5, [0], 1), 'the post rank must be an integer >= 0');
  expectError(() => lil.add(0, [0, 1.5], 1), 'LILConnectivity.add(0, …): preRanks[1] is 1.5, not a rank');
  expectError(() => lil.add(0, [0, -2], 1), 'preRanks[1] is -2, not a rank');
  expectError(() => lil.add(0, 3 as never, 1), 'preRanks must be an array of pre ranks, got 3');
  expectError(() => lil.add(0, [0, 1], [1, 1e40]), 'weights[1]: 1e+40 is not a finite float32 weight');
  expectError(() => lil.add(0, [0, 1], [1, Number.NaN]), 'weights[1] is NaN, not a finite number');
  expectError(() => lil.add(0, [0, 1], Number.POSITIVE_INFINITY), 'weights[0]: Infinity is not a finite float32 weight');
  expectError(() => lil.add(0, [0, 1, 2], [1, 2]), 'got 2 weights for 3 pre ranks; give one per pre rank, or one number for all');
  expectError(() => lil.add(0, [0, 1], {} as never), 'weights must be a number or an array of numbers, got Object');
  expectError(() => lil.add(0, [0, 1], 1, [1, -0.5]), 'delays[1] is -0.5; a delay must be a number >= 0 ms');
  expectError(() => lil.add(0, [0, 1], 1, Number.NaN), 'delays is NaN; a delay must be a number >= 0 ms');
  expectError(() => lil.add(0, [0, 1], 1, [1, 2, 3]), 'got 3 delays for 2 pre ranks');
  // Nothing of a refused call is kept.
  expect([lil.size, lil.nbSynapses]).toEqual([0, 0]);
  lil.add(3, [0, 1], 1);
  expectError(() => lil.add(3, [2], 1), 'LILConnectivity.add(3, …): post rank 3 was already added; give all of a post neuron\'s synapses in one add() call');
  expect([lil.size, lil.nbSynapses]).toEqual([1, 2]);
});

it('LILConnectivity grows past its first buffers and keeps every synapse', () => {
  const { proj } = pair(1000, 3);
  const ranks = Array.from({ length: 1000 }, (_, i) => 999 - i);
  const weights = ranks.map((r) => r / 8);
  proj.connectWithFunc(() => new LILConnectivity().add(0, ranks, weights).add(2, ranks, 1, 2));
  compile();
  expect(proj.nbSynapses).toBe(2000);
  const d = proj.dendrite(0);
  expect(Array.from(d.preRanks)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
  expect(Array.from(d.w)).toEqual(Array.from({ length: 1000 }, (_, i) => i / 8));
  expect(Array.from(proj.dendrite(2).delay)).toEqual(new Array(1000).fill(2));
});

it('refuses a method that is not a function, args that are not an object, and a result that is not a LILConnectivity', () => {
  const { proj } = pair();
  expectError(() => proj.connectWithFunc(3 as never), 'connectWithFunc takes a function (pre, post, args) => LILConnectivity, got 3');
  expectError(() => proj.connectWithFunc(adds([0, [0], 1]), [1, 2] as never), "args must be an object of named arguments (ANNarchy's **args)");
  expectError(
    () => proj.connectWithFunc(function myPattern() {
      return [[0, 1]] as never;
    }),
    'connectWithFunc: the method myPattern returned Array;',
    'it must return a LILConnectivity (const lil = new LILConnectivity(); lil.add(postRank, preRanks, weights, delays) per post neuron; return lil)',
  );
});

it('after compile the method is not called: connecting is refused first', () => {
  const { proj } = pair();
  proj.connectWithFunc(adds([0, [0], 1]));
  compile();
  let called = false;
  expectError(
    () =>
      proj.connectWithFunc(() => {
        called = true;
        return new LILConnectivity();
      }),
    'cannot connect after compile()',
  );
  expect(called).toBe(false);
});

it("the projection's signature hashes the listed synapses number by number (ranks, weights, delays)", () => {
  const { proj } = pair(3, 2);
  const line = () => declarationSignature(templateNetwork().objects())[2] as string;
  const seen = new Set<string>();
  const variants: Parameters<typeof adds>[] = [
    [[0, [0, 1], [1, 2], [1, 2]]],
    [[0, [0, 1], [1, 2.5], [1, 2]]], // one weight
    [[0, [0, 1], [1, 2], [1, 3]]], // one delay
    [[0, [0, 2], [1, 2], [1, 2]]], // one pre rank
    [[1, [0, 1], [1, 2], [1, 2]]], // the post rank
    [[0, [0, 1], [1, 2], [1, 2]], [1, [2], 1]], // one synapse more
  ];
  for (const v of variants) {
    proj.connectWithFunc(adds(...v));
    expect(line()).toMatch(/^projection:2:0->1:exc:withFunc#[0-9a-f]{8}$/);
    seen.add(line());
  }
  expect(seen.size).toBe(variants.length);
  // The same synapses listed again (in another order) give the same line.
  proj.connectWithFunc(adds([0, [1, 0], [2, 1], [2, 1]]));
  expect(seen.has(line())).toBe(true);
});
