/**
 * Float storage through parallelRun: workers run the same float32 kernels, so results are
 * identical across pool sizes and sequential runs (a worker module that sets another precision:
 * precision-mismatch.test.ts, which needs a template of its own).
 */
import { expect, it } from 'vitest';

import { parallelRun } from '../../src/index.js';
import { cobaFloat } from '../fixtures/floatNetwork.js';

it('float networks give identical results sequentially and on 2 workers', async () => {
  const module = new URL('../fixtures/floatNetwork.ts', import.meta.url);
  const sequential = await parallelRun({ method: cobaFloat, number: 3, sequential: true });
  const pooled = await parallelRun({ method: cobaFloat, number: 3, module, maxWorkers: 2 });
  expect(pooled).toEqual(sequential);
  expect(sequential.map((r) => r.storage)).toEqual(['Float32Array', 'Float32Array', 'Float32Array']);
  // Different network seeds: different runs.
  expect(sequential[0]!.v).not.toEqual(sequential[1]!.v);
  expect(sequential[0]!.v.every((x) => Math.fround(x) === x)).toBe(true);
});
