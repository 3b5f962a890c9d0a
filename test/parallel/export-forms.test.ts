/**
 * Workers find the method among the module's exports by the name the calling thread gives, its
 * function name: also when it is the default export or exported under another name.
 */
import { expect, it } from 'vitest';

import { parallelRun } from '../../src/index.js';
import doubled, { tripled } from '../fixtures/exportForms.js';

const module = new URL('../fixtures/exportForms.ts', import.meta.url);
// The signal keeps the calling thread out: every network runs in a worker.
const inWorkers = { number: 3, module, maxWorkers: 2, signal: new AbortController().signal };

it('runs a default export and a renamed export in workers', async () => {
  expect(await parallelRun({ method: doubled, ...inWorkers })).toEqual([0, 2, 4]);
  expect(await parallelRun({ method: tripled, ...inWorkers })).toEqual([0, 3, 6]);
});

it('refuses a bound or anonymous method at once: workers could not find it by name', async () => {
  await expect(parallelRun({ method: doubled.bind(null), number: 2, module })).rejects.toThrow(
    /the method must be a named function exported by its module .* got 'bound doubled'/,
  );
});
