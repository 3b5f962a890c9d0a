import { expect, it, vi } from 'vitest';

import { parallelRun } from '../../src/index.js';
import { simulate } from '../fixtures/precisionMismatch.js';

const module = new URL('../fixtures/precisionMismatch.ts', import.meta.url);
const MISMATCH = /sets precision 'double' in the worker, but the main thread uses 'float'; call setup\(\) the same way in both/;

it('a worker module that sets another precision is an error that names both and the fix', async () => {
  const err = (await parallelRun({ method: simulate, number: 1, module }).catch((e: unknown) => e)) as Error;
  expect(err).toBeInstanceOf(Error);
  expect(err.message).toMatch(MISMATCH);
});

it('is reported even when the calling thread finished every network before the worker was up', async () => {
  const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
  try {
    // Tiny networks: this thread may run them all first; then the results stand and a warning
    // carries the worker's error. Otherwise the call rejects with it.
    const outcome = await parallelRun({ method: simulate, number: 2, module, maxWorkers: 2 }).then(
      () => 'resolved',
      (e: Error) => e.message,
    );
    if (outcome !== 'resolved') {
      expect(outcome).toMatch(MISMATCH);
      return;
    }
    for (let k = 0; k < 100 && warn.mock.calls.length === 0; k++) await new Promise((r) => setTimeout(r, 50));
    expect(String(warn.mock.calls[0]?.[0])).toMatch(/a worker failed after the call had finished without it/);
    expect(String(warn.mock.calls[0]?.[0])).toMatch(MISMATCH);
  } finally {
    warn.mockRestore();
  }
});
