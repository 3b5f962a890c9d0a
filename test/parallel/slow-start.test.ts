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

it('calls that end while the kept worker is still starting leave nothing queued for it', async () => {
  const module = new URL('../fixtures/slowWorkerStart.ts', import.meta.url);
  const warnings: string[] = [];
  const onWarning = (w: Error) => warnings.push(`${w.name}: ${w.message}`);
  process.on('warning', onWarning);
  try {
    releaseWorkers();
    // A sweep in a loop: twelve calls, each done on this thread while the worker imports (5 s).
    for (let call = 0; call < 12; call++) {
      expect(await parallelRun({ method: quick, number: 2, module, maxWorkers: 2 })).toEqual([0, 1].map((idx) => ({ idx, main: true })));
    }
    // A call that needs the worker (the signal keeps this thread out) waits for its start-up.
    // The finished calls' batches must not reach it then: each was a 'message' listener on the
    // worker (Node warned of a listener leak past ten) and a request it had to answer.
    const results = await parallelRun({ method: quick, number: 1, module, maxWorkers: 1, signal: new AbortController().signal });
    expect(results).toEqual([{ idx: 0, main: false }]);
    await new Promise((r) => setTimeout(r, 100));
    expect(warnings).toEqual([]);
  } finally {
    process.off('warning', onWarning);
    releaseWorkers();
  }
});
