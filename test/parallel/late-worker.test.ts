/**
 * A worker that has run no network yet and comes up near the end of a call passes on the last
 * network (the calling thread will be done with it sooner), the call ends without it, and the kept
 * worker takes networks in the next call (its loop of the earlier call may still be waiting then).
 */
import { rmSync } from 'node:fs';

import { expect, it } from 'vitest';

import { parallelRun, releaseWorkers } from '../../src/index.js';
import { arrived, gate, paced } from '../fixtures/lateWorker.js';

const module = new URL('../fixtures/lateWorker.ts', import.meta.url);
const ms = [500, 500, 500, 500];

it('a cold worker coming up during the calling thread\'s third network leaves it the fourth; kept, it takes networks next call', async () => {
  releaseWorkers();
  const clean = () => {
    rmSync(gate, { force: true });
    rmSync(arrived, { force: true });
  };
  clean();
  try {
    // The worker's import waits for the calling thread to start network 2; network 3 is then left:
    // this thread would end it ~1 s later, a cold worker (3 × 0.5 s) ~1.5 s later.
    const first = await parallelRun({ method: paced, number: 4, module, maxWorkers: 2, args: { ms } });
    expect(first).toEqual([0, 1, 2, 3].map((idx) => ({ idx, main: true })));
    // Closed again: a new worker would now wait at the gate until network 2 and pass on the rest,
    // so networks run in a worker only if the kept one serves this call. The calling thread has
    // no pace at the start of a call: the kept worker takes networks at once.
    rmSync(gate, { force: true });
    const second = await parallelRun({ method: paced, number: 4, module, maxWorkers: 2, args: { ms } });
    expect(second.map((r) => r.idx)).toEqual([0, 1, 2, 3]);
    expect(second.filter((r) => !r.main).length).toBeGreaterThan(0);
  } finally {
    releaseWorkers();
    clean();
  }
});
