import { expect, it } from 'vitest';

import { Network, parallelRun, Uniform } from '../../src/index.js';
import { declarationSignature } from '../../src/parallel/signature.js';
import { templateNetwork } from '../../src/api/network.js';
import { proj, synapses } from '../fixtures/reconnected.js';

const module = new URL('../fixtures/reconnected.ts', import.meta.url);

it('a connection the main thread alone made is refused in the worker, not silently replaced by the declared one', async () => {
  // A signal keeps the calling thread out: the worker runs the network.
  const err = (await parallelRun({ method: synapses, number: 1, module, maxWorkers: 1, signal: new AbortController().signal }).catch(
    (e: unknown) => e,
  )) as Error;
  expect(err).toBeInstanceOf(Error);
  expect(err.message).toMatch(/in the worker differ from the main thread's \(first difference: worker 'projection:2:0->1:exc:fixedProbability#[0-9a-f]{8}', main 'projection:2:0->1:exc:fixedProbability#[0-9a-f]{8}'\)/);
  expect(err.message).toMatch(/what only the main thread declares or connects, workers never see/);
});

it("a projection's signature changes with any part of its recipe, distributions included", () => {
  const line = () => declarationSignature(templateNetwork().objects())[2] as string;
  const seen = new Set<string>();
  proj.connectFixedProbability({ weights: 10, probability: 0.9 });
  seen.add(line());
  expect(line()).toBe([...seen][0]); // stable
  proj.connectFixedProbability({ weights: 10, probability: 0.8 });
  seen.add(line());
  proj.connectFixedProbability({ weights: 10.5, probability: 0.8 });
  seen.add(line());
  proj.connectFixedProbability({ weights: Uniform(1, 2), probability: 0.8 });
  seen.add(line());
  proj.connectFixedProbability({ weights: Uniform(1, 2.5), probability: 0.8 });
  seen.add(line());
  proj.connectFixedProbability({ weights: Uniform(1, 2.5), probability: 0.8, delays: 2 });
  seen.add(line());
  proj.connectFromMatrix(Array.from({ length: 10 }, () => Array.from({ length: 10 }, () => 1)));
  seen.add(line());
  const matrix = Array.from({ length: 10 }, (_, q) => Array.from({ length: 10 }, (_, p) => (p === 3 && q === 7 ? 2 : 1)));
  proj.connectFromMatrix(matrix);
  seen.add(line());
  // A delays matrix counts entry by entry too.
  const delays = (at: number) => Array.from({ length: 10 }, (_, q) => Array.from({ length: 10 }, (_, p) => (p === 5 && q === 1 ? at : 1)));
  proj.connectFromMatrix(matrix, { delays: delays(2) });
  seen.add(line());
  proj.connectFromMatrix(matrix, { delays: delays(3) });
  seen.add(line());
  proj.connectFromMatrix(matrix, { delays: delays(3) });
  expect(seen.has(line())).toBe(true);
  expect(seen.size).toBe(10);
});

it('networks mode hands the synapses over: a connection the main thread alone made is fine there', async () => {
  const make = () => [0, 1].map((k) => new Network({ everything: true, seed: 30 + k }));
  const par = make();
  const seq = make();
  const pooled = await parallelRun({ method: synapses, networks: par, module, maxWorkers: 2, signal: new AbortController().signal });
  expect(pooled).toEqual(await parallelRun({ method: synapses, networks: seq, sequential: true }));
  expect(pooled[0]).toBeGreaterThan(70); // p = 0.9 of 10 × 10 (the main thread's connection), not 0.3
  for (const n of [...par, ...seq]) n.dispose();
});
