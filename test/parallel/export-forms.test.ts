/**
 * Workers find the method among the module's exports by its function name only: a default or
 * renamed export is refused naming the export to make (a function found by its own name could
 * be another one: factories give many functions one name, and it would run without a word).
 */
import { expect, it } from 'vitest';

import { parallelRun } from '../../src/index.js';
import doubled, { tripled } from '../fixtures/exportForms.js';

const module = new URL('../fixtures/exportForms.ts', import.meta.url);
// The signal keeps the calling thread out: every network runs in a worker.
const inWorkers = { number: 3, module, maxWorkers: 2, signal: new AbortController().signal };

it('refuses a default or renamed export, naming the export to make', async () => {
  await expect(parallelRun({ method: doubled, ...inWorkers })).rejects.toThrow(
    /exports the function 'doubled' as 'default'; workers find the method by its name: export it under its own name/,
  );
  await expect(parallelRun({ method: tripled, ...inWorkers })).rejects.toThrow(/exports the function 'tripledInner' as 'tripled'/);
});

it('refuses a bound or anonymous method at once: workers could not find it by name', async () => {
  await expect(parallelRun({ method: doubled.bind(null), number: 2, module })).rejects.toThrow(
    /the method must be a named function exported by its module .* got 'bound doubled'/,
  );
});
