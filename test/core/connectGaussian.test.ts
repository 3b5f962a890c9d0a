/**
 * proj.connectGaussian / proj.connectDog: ANNarchy's connect_gaussian and connect_dog, with the
 * weights computed by hand on small populations. Coordinates are normalized per dimension
 * (1-D: rank / (size − 1)); d² is the squared Euclidean distance between them.
 */
import { beforeEach, expect, it } from 'vitest';

import { clear, compile, Monitor, Network, Neuron, Population, Projection, simulate, Uniform } from '../../src/index.js';
import { templateNetwork } from '../../src/api/network.js';
import { normalizedCoordinates } from '../../src/world/connect.js';
import { declarationSignature } from '../../src/parallel/signature.js';
import { column, expectError } from '../helpers/core.js';

beforeEach(() => clear());

const f = Math.fround;
const emitter = () => new Neuron({ spike: 't == 1' });
const receiver = () => new Neuron({ equations: 'v = g_exc', spike: 'v > 1e9' });
const matrixOf = (m: Float64Array[]) => m.map((r) => Array.from(r));
const N = Number.NaN;

it('5 neurons onto 5: w = amp·exp(−d²/(2σ²)), no synapse where w <= limit·amp (0.01 by default)', () => {
  const pre = new Population(5, emitter());
  const post = new Population(5, receiver());
  const proj = new Projection(pre, post, 'exc').connectGaussian({ amp: 2, sigma: 0.25 });
  compile();
  // Coordinates 0, 0.25, 0.5, 0.75, 1; 2σ² = 0.125; by rank distance |i − j| = 0..4:
  // d² = 0, 0.0625, 0.25, 0.5625, 1 → w = 2, 2e^−0.5 ≈ 1.2131, 2e^−2 ≈ 0.2707, 2e^−4.5 ≈ 0.0222,
  // 2e^−8 ≈ 0.00067 (<= 0.02: no synapse).
  const [w0, w1, w2, w3] = [2, f(2 * Math.exp(-0.5)), f(2 * Math.exp(-2)), f(2 * Math.exp(-4.5))];
  expect([w1, w2, w3].map((w) => +w.toFixed(4))).toEqual([1.2131, 0.2707, 0.0222]);
  expect(matrixOf(proj.connectivityMatrix(N))).toEqual([
    [w0, w1, w2, w3, N],
    [w1, w0, w1, w2, w3],
    [w2, w1, w0, w1, w2],
    [w3, w2, w1, w0, w1],
    [N, w3, w2, w1, w0],
  ]);
  expect(proj.nbSynapses).toBe(23);
  expect(Array.from(proj.nbSynapsesPerDendrite())).toEqual([4, 5, 5, 5, 4]);
});

it('a higher limit drops the far synapses: limit 0.02 keeps w > 0.04 (2e^−4.5 ≈ 0.0222 goes)', () => {
  const pre = new Population(5, emitter());
  const post = new Population(5, receiver());
  const proj = new Projection(pre, post, 'exc').connectGaussian({ amp: 2, sigma: 0.25, limit: 0.02 });
  compile();
  expect(Array.from(proj.nbSynapsesPerDendrite())).toEqual([3, 4, 5, 4, 3]);
  expect(Array.from(proj.dendrite(0).preRanks)).toEqual([0, 1, 2]);
});

it('the default limit is 0.01: with σ = 0.3 the ends (e^−1/0.18 ≈ 0.0039) connect only under a lower limit', () => {
  const perDendrite = (limit?: number) => {
    clear();
    const pre = new Population(5, emitter());
    const post = new Population(5, receiver());
    const proj = new Projection(pre, post, 'exc').connectGaussian({ amp: 1, sigma: 0.3, ...(limit === undefined ? {} : { limit }) });
    compile();
    return Array.from(proj.nbSynapsesPerDendrite());
  };
  expect(perDendrite()).toEqual([4, 5, 5, 5, 4]);
  expect(perDendrite(0.003)).toEqual([5, 5, 5, 5, 5]);
});

it('onto its own population: no self-connections unless allowSelfConnections: true (ANNarchy compares ranks)', () => {
  const pop = new Population(3, receiver());
  const proj = new Projection(pop, pop, 'exc').connectGaussian({ amp: 1, sigma: 1 });
  compile();
  // Coordinates 0, 0.5, 1; 2σ² = 2: d² = 0.25 → e^−0.125, d² = 1 → e^−0.5.
  const [a, b] = [f(Math.exp(-0.125)), f(Math.exp(-0.5))];
  expect(matrixOf(proj.connectivityMatrix(N))).toEqual([
    [N, a, b],
    [a, N, a],
    [b, a, N],
  ]);
  clear();
  const again = new Population(3, receiver());
  const allowed = new Projection(again, again, 'exc').connectGaussian({ amp: 1, sigma: 1, allowSelfConnections: true });
  compile();
  expect(matrixOf(allowed.connectivityMatrix(N))).toEqual([
    [1, a, b],
    [a, 1, a],
    [b, a, 1],
  ]);
});

it('2-D geometries: each dimension normalized to 0..1, ranks row-major', () => {
  const pre = new Population([2, 3], emitter());
  const post = new Population([2, 3], receiver());
  const proj = new Projection(pre, post, 'exc').connectGaussian({ amp: 1, sigma: 0.5 });
  compile();
  // Ranks 0..5 sit at (0, 0), (0, 0.5), (0, 1), (1, 0), (1, 0.5), (1, 1); 2σ² = 0.5.
  // Post 0 at (0, 0): d² = 0, 0.25, 1, 1, 1.25, 2.
  expect(Array.from(proj.dendrite(0).w)).toEqual([0, 0.25, 1, 1, 1.25, 2].map((d2) => f(Math.exp(-d2 / 0.5))));
  // Post 4 at (1, 0.5): d² = 1.25, 1, 1.25, 0.25, 0, 0.25.
  expect(Array.from(proj.dendrite(4).w)).toEqual([1.25, 1, 1.25, 0.25, 0, 0.25].map((d2) => f(Math.exp(-d2 / 0.5))));
});

it('a dimension of size 1 sits at coordinate 0 (Coordinates.pyx), so [1, 3] connects as 3 in a row', () => {
  expect(normalizedCoordinates([1, 3]).map((c) => Array.from(c))).toEqual([[0, 0, 0], [0, 0.5, 1]]);
  expect(normalizedCoordinates([3, 1]).map((c) => Array.from(c))).toEqual([[0, 0.5, 1], [0, 0, 0]]);
  expect(normalizedCoordinates([1]).map((c) => Array.from(c))).toEqual([[0]]);
  // 1-D in double, 2-D and 3-D rounded to float32 (ANNarchy's `cdef float`), beyond in double.
  expect(normalizedCoordinates([4])[0]![1]).toBe(1 / 3);
  expect(normalizedCoordinates([1, 4])[1]![1]).toBe(f(1 / 3));
  expect(normalizedCoordinates([1, 1, 1, 4])[3]![1]).toBe(1 / 3);
  const weights = (geometry: number[]) => {
    clear();
    const pre = new Population(geometry, emitter());
    const post = new Population(geometry, receiver());
    const proj = new Projection(pre, post, 'exc').connectGaussian({ amp: 1, sigma: 0.5 });
    compile();
    return matrixOf(proj.connectivityMatrix(N));
  };
  const row = weights([3]);
  expect(row[0]).toEqual([1, f(Math.exp(-0.5)), f(Math.exp(-2))]);
  expect(weights([1, 3])).toEqual(row);
  expect(weights([3, 1])).toEqual(row);
});

it('connectDog: w = ampPos·exp(−d²/(2σp²)) − ampNeg·exp(−d²/(2σn²)), kept where |w| > limit·|ampPos − ampNeg|', () => {
  const dog = (limit?: number) => {
    clear();
    const pre = new Population(5, emitter());
    const post = new Population(5, receiver());
    const proj = new Projection(pre, post, 'exc').connectDog({ ampPos: 1, sigmaPos: 0.25, ampNeg: 0.5, sigmaNeg: 0.5, ...(limit === undefined ? {} : { limit }) });
    compile();
    return proj;
  };
  // 2σp² = 0.125, 2σn² = 0.5; d² = 0, 0.0625, 0.25, 0.5625, 1 by rank distance:
  // 0.5, e^−0.5 − 0.5e^−0.125 ≈ 0.1653, e^−2 − 0.5e^−0.5 ≈ −0.1679, e^−4.5 − 0.5e^−1.125 ≈ −0.1512, e^−8 − 0.5e^−2 ≈ −0.0673.
  const w = [0, 0.0625, 0.25, 0.5625, 1].map((d2) => f(Math.exp(-d2 / 0.125) - 0.5 * Math.exp(-d2 / 0.5)));
  expect(w.map((x) => +x.toFixed(4))).toEqual([0.5, 0.1653, -0.1679, -0.1512, -0.0673]);
  // limit 0.01 · |1 − 0.5| = 0.005: every pair (negative weights too).
  expect(Array.from(dog().dendrite(0).w)).toEqual(w);
  // limit 0.2 · 0.5 = 0.1: −0.0673 goes.
  const strict = dog(0.2);
  expect(Array.from(strict.dendrite(0).w)).toEqual(w.slice(0, 4));
  expect(Array.from(strict.dendrite(4).preRanks)).toEqual([1, 2, 3, 4]);
  expect(strict.nbSynapses).toBe(23);
});

it('connectDog refuses a weight beyond float32 at compile, naming the pair', () => {
  const pre = new Population(2, emitter());
  const post = new Population(2, receiver());
  // The threshold |ampPos − ampNeg| overflows too, and drops such pairs; a negative limit keeps every pair.
  new Projection(pre, post, 'exc').connectDog({ ampPos: 3e38, sigmaPos: 1, ampNeg: -3e38, sigmaNeg: 1, limit: -1 });
  expectError(() => compile(), 'connectDog made a weight of Infinity (beyond float32\'s ±3.4e38) between pre 0 and post 0; choose smaller amplitudes');
});

it('refuses views and geometries of different dimensions (ANNarchy has no check there and misreads them)', () => {
  const pre = new Population(6, emitter());
  const post = new Population(6, receiver());
  const grid = new Population([2, 3], receiver());
  expectError(
    () => new Projection(pre.slice(0, 3), post, 'exc').connectGaussian({ amp: 1, sigma: 0.2 }),
    'connectGaussian is only possible between whole populations, not PopulationViews (as in ANNarchy)',
  );
  expectError(() => new Projection(pre, post.view([1, 2]), 'exc').connectDog({ ampPos: 1, sigmaPos: 0.2, ampNeg: 0.5, sigmaNeg: 0.4 }), 'connectDog is only possible between whole populations');
  expectError(
    () => new Projection(pre, grid, 'exc').connectGaussian({ amp: 1, sigma: 0.2 }),
    'connectGaussian needs pre and post geometries of the same number of dimensions, got [6] and [2, 3]',
    'give both populations geometries of 2 dimensions (a size-1 dimension is allowed)',
  );
});

it('checks its options by name and value, as the other connectors', () => {
  const pre = new Population(4, emitter());
  const post = new Population(4, receiver());
  const proj = new Projection(pre, post, 'exc');
  expectError(() => proj.connectGaussian({ amp: 1, sigma: 0.2, allow_self_connections: true } as never), "unknown option 'allow_self_connections' (ANNarchy's allow_self_connections is allowSelfConnections here)");
  expectError(() => proj.connectGaussian({ amp: 1, sigma: 0.2, weights: 1 } as never), "connectGaussian: unknown option 'weights'; the options are amp, sigma, delays, limit, allowSelfConnections");
  expectError(() => proj.connectDog({ amp_pos: 1 } as never), "unknown option 'amp_pos' (ANNarchy's amp_pos is ampPos here)");
  expectError(() => proj.connectGaussian(1 as never), "connectGaussian takes an options object such as { amp: 1, sigma: 0.2 } (ANNarchy's arguments by name), got 1");
  expectError(() => proj.connectGaussian({ amp: 1, sigma: 0 }), 'connectGaussian: sigma must be a number > 0 (a width in normalized coordinates, each dimension spanning 0..1), got 0');
  expectError(() => proj.connectGaussian({ amp: 1, sigma: 1e-50 }), 'sigma must be a number > 0');
  expectError(() => proj.connectGaussian({ amp: 1 } as never), 'sigma must be a number > 0');
  expectError(() => proj.connectGaussian({ amp: Number.NaN, sigma: 0.2 }), 'connectGaussian: amp must be a finite number (a weight, float32), got NaN');
  expectError(() => proj.connectGaussian({ amp: 1e39, sigma: 0.2 }), 'amp must be a finite number (a weight, float32), got 1e+39');
  expectError(() => proj.connectDog({ ampPos: 1, sigmaPos: 0.2, ampNeg: 0.5, sigmaNeg: -1 }), 'connectDog: sigmaNeg must be a number > 0');
  expectError(() => proj.connectDog({ ampPos: 1, sigmaPos: 0.2, ampNeg: '1' as never, sigmaNeg: 1 }), "connectDog: ampNeg must be a finite number (a weight, float32), got '1'");
  expectError(() => proj.connectGaussian({ amp: 1, sigma: 0.2, limit: Number.NaN }), 'connectGaussian: limit must be a finite number');
  expectError(() => proj.connectGaussian({ amp: 1, sigma: 0.2, delays: -1 }), 'delays must be >= 0 ms');
  expectError(() => proj.connectGaussian({ amp: 1, sigma: 0.2, allowSelfConnections: 1 as never }), 'connectGaussian: allowSelfConnections must be true or false, got 1');
});

it('delays from a distribution: the same seed gives the same delays, and a spike arrives after its delay', () => {
  const pre = new Population(1, emitter());
  const post = new Population(3, receiver());
  const proj = new Projection(pre, post, 'exc').connectGaussian({ amp: 1, sigma: 0.5, delays: Uniform(1, 6) });
  const m = new Monitor(post, 'g_exc');
  const draw = (seed: number) => {
    const net = new Network({ everything: true, seed });
    net.compile();
    const out = Array.from(net.get(proj).delay);
    net.dispose();
    return out;
  };
  expect(draw(7)).toEqual(draw(7));
  expect(draw(7)).not.toEqual(draw(8));
  compile();
  // A 1-neuron pre sits at coordinate 0: post 0, 1, 2 at d² = 0, 0.25, 1 with 2σ² = 0.5.
  expect(Array.from(proj.w)).toEqual([1, f(Math.exp(-0.5)), f(Math.exp(-2))]);
  const delays = Array.from(proj.delay);
  simulate(10);
  const g = m.get('g_exc');
  for (let q = 0; q < 3; q++) {
    const expected = new Array(10).fill(0);
    expected[1 + delays[q]!] = proj.w[q];
    expect(column(g, q)).toEqual(expected);
  }
});

it('a Network copy computes the same synapses', () => {
  const pre = new Population([3, 3], emitter());
  const post = new Population([2, 2], receiver());
  const proj = new Projection(pre, post, 'exc').connectDog({ ampPos: 2, sigmaPos: 0.3, ampNeg: 1, sigmaNeg: 0.6, delays: 2 });
  const net = new Network({ everything: true });
  compile();
  net.compile();
  const copy = net.get(proj);
  expect(Array.from(copy.w)).toEqual(Array.from(proj.w));
  expect(Array.from(copy.postRanks)).toEqual(Array.from(proj.postRanks));
  expect(Array.from(copy.delay)).toEqual(new Array(proj.nbSynapses).fill(2));
  net.dispose();
});

it("the projection's signature changes with every parameter of the pattern", () => {
  const pre = new Population(4, emitter());
  const post = new Population(4, receiver());
  const proj = new Projection(pre, post, 'exc');
  const line = () => declarationSignature(templateNetwork().objects())[2] as string;
  const seen = new Set<string>();
  proj.connectGaussian({ amp: 1, sigma: 0.2 });
  expect(line()).toMatch(/^projection:2:0->1:exc:gaussian#[0-9a-f]{8}$/);
  seen.add(line());
  for (const options of [{ amp: 1.5, sigma: 0.2 }, { amp: 1, sigma: 0.3 }, { amp: 1, sigma: 0.2, limit: 0.1 }, { amp: 1, sigma: 0.2, delays: 2 }]) {
    proj.connectGaussian(options);
    seen.add(line());
  }
  proj.connectDog({ ampPos: 1, sigmaPos: 0.2, ampNeg: 0.5, sigmaNeg: 0.4 });
  expect(line()).toMatch(/:dog#[0-9a-f]{8}$/);
  seen.add(line());
  proj.connectDog({ ampPos: 1, sigmaPos: 0.2, ampNeg: 0.5, sigmaNeg: 0.5 });
  seen.add(line());
  expect(seen.size).toBe(7);
});
