/**
 * proj.connectFromSparse(matrix, { delays }): ANNarchy's connect_from_sparse with a CSR matrix
 * shaped like scipy's (shape, indptr, indices, data), pre neurons as rows, one constant delay.
 */
import { beforeEach, expect, it } from 'vitest';

import { clear, compile, Monitor, Network, Neuron, Population, Projection, simulate, Uniform } from '../../src/index.js';
import { templateNetwork } from '../../src/api/network.js';
import { declarationSignature } from '../../src/parallel/signature.js';
import { column, expectError } from '../helpers/core.js';

beforeEach(() => clear());

const emitter = () => new Neuron({ spike: 't == 1' });
const receiver = () => new Neuron({ equations: 'v = g_exc', spike: 'v > 1e9' });

function pair(preSize = 3, postSize = 4) {
  const pre = new Population(preSize, emitter());
  const post = new Population(postSize, receiver());
  return { pre, post, proj: new Projection(pre, post, 'exc') };
}

/**
 * 3 pre × 4 post:  pre 0 → post 3 (0.5), post 1 (2), unsorted as scipy allows;
 *                  pre 1 → nothing; pre 2 → post 0 (0: a stored zero is a synapse, as in ANNarchy).
 */
const matrix = () => ({ shape: [3, 4], indptr: [0, 2, 2, 3], indices: [3, 1, 0], data: [0.5, 2, 0] });

it('every stored entry is a synapse from its row (pre) to its column (post), with the constant delay', () => {
  const { proj } = pair();
  proj.connectFromSparse(matrix(), { delays: 3 });
  compile();
  expect(Array.from(proj.preRanks)).toEqual([0, 0, 2]);
  expect(Array.from(proj.postRanks)).toEqual([1, 3, 0]);
  expect(Array.from(proj.w)).toEqual([2, 0.5, 0]);
  expect(Array.from(proj.delay)).toEqual([3, 3, 3]);
  expect(proj.connectivityMatrix(Number.NaN).map((r) => Array.from(r))).toEqual([
    [Number.NaN, Number.NaN, 0],
    [2, Number.NaN, Number.NaN],
    [Number.NaN, Number.NaN, Number.NaN],
    [0.5, Number.NaN, Number.NaN],
  ]);
});

it('takes typed arrays (scipy\'s int32 indices, float64 data) and delays default to one step', () => {
  const { proj } = pair();
  proj.connectFromSparse({ shape: [3, 4], indptr: Int32Array.of(0, 2, 2, 3), indices: Int32Array.of(3, 1, 0), data: Float64Array.of(0.5, 2, 0) });
  compile();
  expect(Array.from(proj.w)).toEqual([2, 0.5, 0]);
  expect(Array.from(proj.delay)).toEqual([1, 1, 1]);
});

it('between views the rows and columns are indices in the views (as ANNarchy)', () => {
  const a = new Population(5, emitter());
  const b = new Population(6, receiver());
  const proj = new Projection(a.view([4, 1, 2]), b.slice(2, 6), 'exc').connectFromSparse(matrix());
  compile();
  // View rows 0, 2 are pre ranks 4, 2; view columns 3, 1, 0 are post ranks 5, 3, 2.
  expect(Array.from(proj.preRanks)).toEqual([2, 4, 4]);
  expect(Array.from(proj.postRanks)).toEqual([2, 3, 5]);
  expect(Array.from(proj.w)).toEqual([0, 2, 0.5]);
});

it('a spike goes through the matrix\'s synapses after the delay, also in a Network copy', () => {
  const { proj, post } = pair();
  proj.connectFromSparse(matrix(), { delays: 2 });
  const m = new Monitor(post, 'g_exc');
  const net = new Network({ everything: true });
  compile();
  simulate(5);
  const g = m.get('g_exc');
  expect(column(g, 1)).toEqual([0, 0, 0, 2, 0]);
  expect(column(g, 3)).toEqual([0, 0, 0, 0.5, 0]);
  net.compile();
  net.simulate(5);
  expect(column(net.get(m).get('g_exc'), 3)).toEqual([0, 0, 0, 0.5, 0]);
  expect(Array.from(net.get(proj).w)).toEqual([2, 0.5, 0]);
  net.dispose();
});

it('refuses a shape that is not [pre, post], saying when the matrix looks transposed', () => {
  const { proj } = pair();
  expectError(
    () => proj.connectFromSparse({ ...matrix(), shape: [4, 3] }),
    "connectFromSparse: the matrix's shape is [4, 3], expected [3, 4] (pre neurons as rows, post as columns, as ANNarchy's connect_from_sparse)",
    'it looks transposed: give the pre × post matrix (scipy: m.T.tocsr())',
  );
  const message = expectError(() => proj.connectFromSparse({ ...matrix(), shape: [3, 5] }), 'shape is [3, 5], expected [3, 4]');
  expect(message).not.toContain('transposed');
});

it('refuses an indptr of the wrong length, not starting at 0, not ending at the entries, or decreasing', () => {
  const { proj } = pair();
  expectError(() => proj.connectFromSparse({ ...matrix(), indptr: [0, 2, 3] }), 'matrix.indptr has 3 entries, expected 4 (one per pre neuron, plus one)');
  expectError(() => proj.connectFromSparse({ ...matrix(), indptr: [1, 2, 2, 3] }), 'matrix.indptr must start at 0 and end at the number of entries (3), got 1 … 3');
  expectError(() => proj.connectFromSparse({ ...matrix(), indptr: [0, 2, 2, 2] }), 'must start at 0 and end at the number of entries (3), got 0 … 2');
  expectError(() => proj.connectFromSparse({ ...matrix(), indptr: [0, 3, 1, 3] }), 'matrix.indptr must be integers that never decrease', 'indptr[2] is 1 after 3');
  // Past the entries in the middle: indptr is named, not the indices[k] it would read beyond the end.
  expectError(
    () => proj.connectFromSparse({ ...matrix(), indptr: [0, 5, 1, 3] }),
    'matrix.indptr must be integers that never decrease, from 0 to the number of entries (3); indptr[1] is 5 after 0',
  );
  expectError(() => proj.connectFromSparse({ ...matrix(), indptr: [0, 1.5, 2, 3] }), 'indptr[1] is 1.5 after 0');
});

it('refuses indices out of range, duplicates, and data that are not finite float32 weights', () => {
  const { proj } = pair();
  expectError(() => proj.connectFromSparse({ ...matrix(), indices: [3, 4, 0] }), 'matrix.indices[1] (row 0) is 4, not a post index in 0..3');
  expectError(() => proj.connectFromSparse({ ...matrix(), indices: [3, -1, 0] }), 'matrix.indices[1] (row 0) is -1');
  expectError(
    () => proj.connectFromSparse({ ...matrix(), indices: [3, 3, 0] }),
    'the matrix stores entry (0, 3) twice (pre 0, post 3); a synapse is made once: sum or drop the duplicates (scipy: m.sum_duplicates())',
  );
  expectError(() => proj.connectFromSparse({ ...matrix(), data: [0.5, Number.NaN, 0] }), 'matrix.data[1] (row 0, column 1) is NaN, not a finite number');
  expectError(() => proj.connectFromSparse({ ...matrix(), data: [0.5, 1e39, 0] }), 'matrix.data[1] (row 0, column 1): 1e+39 is not a finite float32 weight');
  expectError(() => proj.connectFromSparse({ ...matrix(), data: [0.5, 2] }), 'matrix.data has 2 entries, matrix.indices 3: give one weight per stored entry');
});

it('refuses what is not a CSR matrix: another format, missing arrays', () => {
  const { proj } = pair();
  expectError(() => proj.connectFromSparse({ ...matrix(), format: 'csc' }), "the matrix is in 'csc' format; give its CSR form (scipy: m.tocsr()), pre neurons as rows");
  expectError(() => proj.connectFromSparse({ shape: [3, 4], indptr: [0, 0, 0, 0] } as never), 'matrix.indices must be an array, got undefined');
  expectError(() => proj.connectFromSparse([[1, 2]] as never), 'matrix.shape must be an array, got undefined');
  expectError(() => proj.connectFromSparse(null as never), 'connectFromSparse takes a CSR matrix { shape: [pre, post], indptr, indices, data }');
});

it('takes one constant delay only, as ANNarchy: a distribution or a matrix is refused, naming why', () => {
  const { proj } = pair();
  expectError(
    () => proj.connectFromSparse(matrix(), { delays: Uniform(1, 2) as never }),
    'connectFromSparse: delays must be one number (ms), got Uniform(1, 2)',
    '("only constant delays are allowed for sparse matrices")',
    'for a delay per synapse use connectFromMatrix with a delays matrix, or connectWithFunc',
  );
  expectError(() => proj.connectFromSparse(matrix(), { delays: [[1]] as never }), 'delays must be one number (ms)');
  expectError(() => proj.connectFromSparse(matrix(), { delays: -1 }), 'delays must be >= 0 ms');
  expectError(() => proj.connectFromSparse(matrix(), { weights: 1 } as never), "connectFromSparse: unknown option 'weights'; the options are delays");
  expectError(() => proj.connectFromSparse(matrix(), 2 as never), 'connectFromSparse: options must be an object such as { delays: … }, got 2');
});

it("the projection's signature hashes the matrix's entries", () => {
  const { proj } = pair();
  const line = () => declarationSignature(templateNetwork().objects())[2] as string;
  const seen = new Set<string>();
  for (const m of [matrix(), { ...matrix(), data: [0.5, 2, 0.25] }, { ...matrix(), indices: [3, 2, 0] }, { ...matrix(), indptr: [0, 2, 3, 3] }]) {
    proj.connectFromSparse(m);
    expect(line()).toMatch(/^projection:2:0->1:exc:fromSparse#[0-9a-f]{8}$/);
    seen.add(line());
  }
  proj.connectFromSparse(matrix(), { delays: 2 });
  seen.add(line());
  expect(seen.size).toBe(5);
  // The same synapses with the row's entries in another order: the same line.
  proj.connectFromSparse({ shape: [3, 4], indptr: [0, 2, 2, 3], indices: [1, 3, 0], data: [2, 0.5, 0] });
  const sorted = line();
  proj.connectFromSparse(matrix());
  expect(line()).toBe(sorted);
});
