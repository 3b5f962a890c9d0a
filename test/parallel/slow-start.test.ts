import { expect, it, vi } from 'vitest';

import { parallelRun, releaseWorkers } from '../../src/index.js';
import { quick } from '../fixtures/slowWorkerStart.js';

it('returns once every result is in, without waiting for a worker that is still starting up', async () => {
  const module = new URL('../fixtures/slowWorkerStart.ts', import.meta.url);
  const started = Date.now();
  const results = await parallelRun({ method: quick, number: 4, module, maxWorkers: 2 });
  // The worker's import alone takes 5 s; this thread does the four tiny networks meanwhile.
  expect(Date.now() - started).toBeLessThan(4000);
  expect(results).toEqual([0, 1, 2, 3].map((idx) => ({ idx, main: true })));
});

it('a later call that takes the kept pool and is aborted does not blame the earlier call', async () => {
  const module = new URL('../fixtures/slowWorkerStart.ts', import.meta.url);
  const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
  try {
    releaseWorkers();
    // Call 1 ends on this thread while its worker still imports (5 s); the pool is kept.
    await parallelRun({ method: quick, number: 2, module, maxWorkers: 2 });
    // Call 2 (the same single worker, this thread kept out by the signal) takes it and is aborted.
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 1000);
    await expect(parallelRun({ method: quick, number: 1, module, maxWorkers: 1, signal: ac.signal })).rejects.toThrow(/aborted/);
    await new Promise((r) => setTimeout(r, 300));
    expect(warn).not.toHaveBeenCalled();
  } finally {
    warn.mockRestore();
    releaseWorkers();
  }
});
