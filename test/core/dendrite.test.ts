/**
 * Reading the connectivity per post neuron, as ANNarchy's Projection: proj.dendrite(rank)
 * (postRank, preRanks, size, w, delay), proj.size, proj.nbSynapsesPerDendrite(),
 * proj.connectivityMatrix(fill); and setting one dendrite's weights.
 */
import { beforeEach, expect, it } from 'vitest';

import { clear, compile, Monitor, Network, Neuron, Population, Projection, simulate, Uniform } from '../../src/index.js';
import { column, expectError } from '../helpers/core.js';

beforeEach(() => clear());

const emitter = () => new Neuron({ spike: 't == 1' });
const receiver = () => new Neuron({ equations: 'v = g_exc', spike: 'v > 1e9' });

/** 3 pre × 4 post from a [post][pre] matrix: post 0 ← 1, 2; post 1 none; post 2 ← 0, 1, 2; post 3 ← 2. */
const W = [
  [null, 0.5, 0.25],
  [null, null, null],
  [1, 2, 3],
  [null, null, 4],
];
const D = [
  [0, 2, 3],
  [0, 0, 0],
  [1, 4, 2],
  [0, 0, 5],
];

function connected() {
  const pre = new Population(3, emitter());
  const post = new Population(4, receiver());
  const proj = new Projection(pre, post, 'exc').connectFromMatrix(W, { delays: D });
  return { pre, post, proj };
}

it('dendrite(rank): the post neuron\'s pre ranks (ascending), size, weights and delays (ms)', () => {
  const { proj } = connected();
  compile();
  const d = proj.dendrite(2);
  expect(d.postRank).toBe(2);
  expect(Array.from(d.preRanks)).toEqual([0, 1, 2]);
  expect(d.size).toBe(3);
  expect(Array.from(d.w)).toEqual([1, 2, 3]);
  expect(Array.from(d.delay)).toEqual([1, 4, 2]);
  const d0 = proj.dendrite(0);
  expect([Array.from(d0.preRanks), Array.from(d0.w), Array.from(d0.delay)]).toEqual([[1, 2], [0.5, 0.25], [2, 3]]);
  expect([Array.from(proj.dendrite(3).preRanks), Array.from(proj.dendrite(3).delay)]).toEqual([[2], [5]]);
});

it('proj.size counts the post neurons with synapses; nbSynapsesPerDendrite() gives their sizes by ascending rank', () => {
  const { proj } = connected();
  compile();
  expect(proj.size).toBe(3);
  expect(Array.from(proj.nbSynapsesPerDendrite())).toEqual([2, 3, 1]);
});

it('a post neuron without synapses has no dendrite: an error, as in ANNarchy; a rank outside the population too', () => {
  const { proj } = connected();
  compile();
  expectError(
    () => proj.dendrite(1),
    'Projection pop0 -> pop1 (exc): the neuron of rank 1 has no dendrite in this projection (no synapse reaches it); the post neurons with synapses are 0, 2, 3',
  );
  expectError(() => proj.dendrite(4), "dendrite(4) takes the rank of a neuron of the post population 'pop1' (0..3)");
  expectError(() => proj.dendrite(-1), 'dendrite(-1) takes the rank');
  expectError(() => proj.dendrite(1.5), 'dendrite(1.5) takes the rank');
  expectError(() => proj.dendrite('2' as never), "dendrite('2') takes the rank");
});

it('before compile the dendrites are not known, as the other synapse reads', () => {
  const { proj } = connected();
  expectError(() => proj.dendrite(0), 'dendrite() is known after compile(); call compile() first');
  expectError(() => proj.size, 'size is known after compile()');
  expectError(() => proj.nbSynapsesPerDendrite(), 'nbSynapsesPerDendrite() is known after compile()');
  expectError(() => proj.connectivityMatrix(), 'connectivityMatrix() is known after compile()');
});

it('connectivityMatrix(fill): dense [post][pre] weights, fill where there is no synapse; it connects again as it was', () => {
  const { proj } = connected();
  compile();
  const rows = (m: Float64Array[]) => m.map((r) => Array.from(r));
  expect(rows(proj.connectivityMatrix())).toEqual([
    [0, 0.5, 0.25],
    [0, 0, 0],
    [1, 2, 3],
    [0, 0, 4],
  ]);
  const matrix = proj.connectivityMatrix(Number.NaN);
  expect(rows(matrix)).toEqual(W.map((r) => r.map((x) => x ?? Number.NaN)));
  expectError(() => proj.connectivityMatrix('0' as never), 'connectivityMatrix(fill) takes a number');
  clear();
  const again = connected();
  again.proj.connectFromMatrix(matrix);
  compile();
  expect(rows(again.proj.connectivityMatrix(Number.NaN))).toEqual(rows(matrix));
});

it('between views: dendrites by population rank, and a matrix over the whole populations (as ANNarchy)', () => {
  const a = new Population(4, emitter());
  const b = new Population(5, receiver());
  const proj = new Projection(a.view([3, 1]), b.view([4, 0]), 'exc').connectAllToAll({ weights: 2 });
  compile();
  expect(Array.from(proj.dendrite(4).preRanks)).toEqual([1, 3]);
  expect(Array.from(proj.dendrite(0).preRanks)).toEqual([1, 3]);
  expect(proj.size).toBe(2);
  expectError(() => proj.dendrite(2), 'the neuron of rank 2 has no dendrite in this projection (no synapse reaches it); the post neurons with synapses are 0, 4');
  expect(proj.connectivityMatrix().map((r) => Array.from(r))).toEqual([
    [0, 2, 0, 2],
    [0, 0, 0, 0],
    [0, 0, 0, 0],
    [0, 0, 0, 0],
    [0, 2, 0, 2],
  ]);
});

it('dendrite.w can be set: a number, one per synapse (preRanks order) or a distribution; the next step uses it', () => {
  const { proj, post } = connected();
  const m = new Monitor(post, 'g_exc');
  compile();
  const d = proj.dendrite(2);
  d.w = [10, 20, 30];
  expect(Array.from(d.w)).toEqual([10, 20, 30]);
  // The other dendrites keep theirs; proj.w (CSR by pre) shows the new ones.
  expect(Array.from(proj.dendrite(0).w)).toEqual([0.5, 0.25]);
  expect(Array.from(proj.w)).toEqual([10, 0.5, 20, 0.25, 30, 4]);
  proj.dendrite(3).w = 7;
  expect(Array.from(proj.dendrite(3).w)).toEqual([7]);
  simulate(7);
  // Post 2: pre 0 at step 1 + 1, pre 2 at 1 + 2, pre 1 at 1 + 4; post 3: pre 2 at 1 + 5.
  const g = m.get('g_exc');
  expect(column(g, 2)).toEqual([0, 0, 10, 30, 0, 20, 0]);
  expect(column(g, 3)).toEqual([0, 0, 0, 0, 0, 0, 7]);
  d.w = Uniform(0, 1);
  for (const w of d.w) expect(w >= 0 && w < 1).toBe(true);
});

it('dendrite.w refuses a wrong count or a weight float32 cannot hold, writing nothing; delays cannot be set', () => {
  const { proj } = connected();
  compile();
  const d = proj.dendrite(2);
  expectError(() => (d.w = [1, 2]), 'dendrite 2: weights: got 2 values, expected 3 (one per synapse of the dendrite, in preRanks order)');
  expectError(() => (d.w = [1, 1e39, 2]), 'dendrite 2: weights: synapse 1: 1e+39 is not a finite float32 weight');
  expectError(() => (d.w = Number.NaN), 'dendrite 2: weights: got NaN');
  expect(Array.from(d.w)).toEqual([1, 2, 3]);
  expectError(() => ((d as { delay: unknown }).delay = 2), 'delays cannot change after connecting');
});

it("a copy's dendrites are its own: setting one leaves the original's; a disposed network's are gone", () => {
  const { proj } = connected();
  const net = new Network({ everything: true });
  compile();
  net.compile();
  const copy = net.get(proj).dendrite(2);
  copy.w = 9;
  expect(Array.from(copy.w)).toEqual([9, 9, 9]);
  expect(Array.from(proj.dendrite(2).w)).toEqual([1, 2, 3]);
  net.dispose();
  expectError(() => copy.w, 'disposed');
  expectError(() => net.get(proj).dendrite(2), 'disposed');
});
