import { expect, it } from 'vitest';

import { parallelRun } from '../../src/index.js';
import { simulate } from '../fixtures/precisionMismatch.js';

it('a worker module that sets another precision is an error that names both and the fix', async () => {
  const module = new URL('../fixtures/precisionMismatch.ts', import.meta.url);
  const err = (await parallelRun({ method: simulate, number: 1, module }).catch((e: unknown) => e)) as Error;
  expect(err).toBeInstanceOf(Error);
  expect(err.message).toMatch(/sets precision 'double' in the worker, but the main thread uses 'float'; call setup\(\) the same way in both/);
});
