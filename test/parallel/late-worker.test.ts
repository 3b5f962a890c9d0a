/**
 * A worker that has run no network yet and comes up near the end of a call passes on the last
 * network (the calling thread will be done with it sooner), the call ends without it, and the kept
 * worker takes networks in the next call (its loop of the earlier call may still be waiting then).
 */
import { rmSync } from 'node:fs';

import { expect, it } from 'vitest';

import { parallelRun, releaseWorkers } from '../../src/index.js';
import { gate, paced } from '../fixtures/lateWorker.js';

const module = new URL('../fixtures/lateWorker.ts', import.meta.url);
const ms = [500, 500, 500, 500];

it('a cold worker coming up during the calling thread\'s third network leaves it the fourth; kept, it takes networks next call', async () => {
  releaseWorkers();
  rmSync(gate, { force: true });
  try {
    // The worker comes up when the calling thread starts network 2 (at ~1 s) with network 3 left:
    // this thread would end it at ~2 s, a cold worker (3 × 0.5 s) at ~2.5 s.
    const first = await parallelRun({ method: paced, number: 4, module, maxWorkers: 2, args: { ms } });
    expect(first).toEqual([0, 1, 2, 3].map((idx) => ({ idx, main: true })));
    // The calling thread has no pace at the start of a call: the kept worker takes networks at once
    // (1 s networks leave a worker still finishing its start-up time to join).
    const second = await parallelRun({ method: paced, number: 4, module, maxWorkers: 2, args: { ms: [1000, 1000, 1000, 1000] } });
    expect(second.map((r) => r.idx)).toEqual([0, 1, 2, 3]);
    expect(second.filter((r) => !r.main).length).toBeGreaterThan(0);
  } finally {
    releaseWorkers();
    rmSync(gate, { force: true });
  }
});
