import { expect, it } from 'vitest';

import { parallelRun } from '../../src/index.js';
import { quick } from '../fixtures/slowWorkerStart.js';

it('returns once every result is in, without waiting for a worker that is still starting up', async () => {
  const module = new URL('../fixtures/slowWorkerStart.ts', import.meta.url);
  const started = Date.now();
  const results = await parallelRun({ method: quick, number: 4, module, maxWorkers: 2 });
  // The worker's import alone takes 5 s; this thread does the four tiny networks meanwhile.
  expect(Date.now() - started).toBeLessThan(4000);
  expect(results).toEqual([0, 1, 2, 3].map((idx) => ({ idx, main: true })));
});
