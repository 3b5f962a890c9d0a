/**
 * Which thread takes the next network (claim.ts): a worker that has not finished a network yet
 * passes on one the calling thread would finish sooner along with the rest; warm workers and
 * workers of a caller with no pace yet always take.
 */
import { describe, expect, it } from 'vitest';

import { claimForWorker, COLD_FACTOR, epochMs, recheckMs, workerShouldTake } from '../../src/parallel/claim.js';

describe('workerShouldTake', () => {
  // The seed sweep's tail: the caller runs a network in 14 ms and started its current one at 95.
  const tail = { nowMs: 100, callerMeanMs: 14, callerStartMs: 95, ownEstimateMs: COLD_FACTOR * 14 };

  it('takes while the caller has no pace: it computes nothing, or has finished no network yet', () => {
    expect(workerShouldTake({ ...tail, remaining: 1, callerMeanMs: 0 })).toBe(true);
  });

  it('passes on the last network when the caller would be done sooner (109 + 14 = 123 ms < 100 + 42)', () => {
    expect(workerShouldTake({ ...tail, remaining: 1 })).toBe(false);
    // Two left: the caller alone would end at 137, still before 142.
    expect(workerShouldTake({ ...tail, remaining: 2 })).toBe(false);
    // Three left: 151 > 142, so the worker helps.
    expect(workerShouldTake({ ...tail, remaining: 3 })).toBe(true);
  });

  it('counts a caller network that runs past half its mean as running as long again', () => {
    // Started at 0 with a 10 ms mean, still running at 100: taken to end at 200, not at 10.
    expect(workerShouldTake({ nowMs: 100, remaining: 1, callerMeanMs: 10, callerStartMs: 0, ownEstimateMs: 30 })).toBe(true);
    // 4 ms in (under half its mean): it ends at 10, the caller alone at 20, before 4 + 30 → pass.
    expect(workerShouldTake({ nowMs: 4, remaining: 1, callerMeanMs: 10, callerStartMs: 0, ownEstimateMs: 30 })).toBe(false);
  });
});

describe('claimForWorker', () => {
  const counter = (value: number) => new Int32Array(new SharedArrayBuffer(4)).fill(value);
  const pace = (meanMs: number, startMs: number) => new Float64Array(new SharedArrayBuffer(16)).fill(meanMs, 0, 1).fill(startMs, 1, 2);

  it('a warm worker takes the next index until none is left, whatever the caller\'s pace', () => {
    const next = counter(3);
    const busyCaller = pace(1000, epochMs());
    expect(claimForWorker(next, 5, busyCaller, true)).toBe(3);
    expect(claimForWorker(next, 5, busyCaller, true)).toBe(4);
    expect(claimForWorker(next, 5, busyCaller, true)).toBeNull();
    expect(next[0]).toBe(5);
  });

  it('a cold worker waits without taking the index when the caller would be done sooner, and takes when not', () => {
    // The caller runs a network in 1 s and has just started one: with 1 job left it would be done
    // in 2 s, before a cold worker's 3 s.
    const next = counter(4);
    const caller = pace(1000, epochMs());
    expect(claimForWorker(next, 5, caller, false)).toBe('wait');
    expect(next[0]).toBe(4);
    // With 4 jobs left (5 s for the caller alone) it takes one.
    expect(claimForWorker(next, 8, caller, false)).toBe(4);
    expect(next[0]).toBe(5);
    // No pace yet: it takes.
    expect(claimForWorker(next, 6, pace(0, 0), false)).toBe(5);
  });

  it('asks again after a quarter of the caller\'s network, between 1 and 10 ms', () => {
    expect(recheckMs(pace(14, 0))).toBe(3.5);
    expect(recheckMs(pace(0, 0))).toBe(1);
    expect(recheckMs(pace(400, 0))).toBe(10);
  });
});
