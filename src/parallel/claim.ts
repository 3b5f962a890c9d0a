/**
 * Which thread takes the next network of a batch. Every thread takes job indices from one shared
 * counter; the calling thread and warm workers always take the next one. A worker that has not
 * finished a network yet (nothing is optimised in a new thread: its first networks run 2–4×
 * slower) takes one only when it expects to finish it before the calling thread would have
 * finished everything left on its own. That keeps a worker that comes up near the end of a short
 * sweep from taking its last network and making the call wait for it.
 */

/** How much slower a worker's first network runs than the calling thread's (measured: 2–4×). */
export const COLD_FACTOR = 3;

/**
 * The calling thread's pace, in shared memory: [mean ms per network it finished in this call
 * (0: none yet, or it computes none), when its current network started (ms since the epoch)].
 * Plain reads and writes (Atomics has no Float64Array): a value read mid-write could only make a
 * worker take or pass on one network wrongly, never lose or repeat one (the counter decides).
 */
export type CallerPace = Float64Array;

/** Milliseconds since the epoch: comparable between threads whatever each one's timeOrigin. */
export function epochMs(): number {
  return performance.timeOrigin + performance.now();
}

/**
 * Whether a worker should take a job now. `remaining`: jobs not yet taken, this one included;
 * `ownEstimateMs`: how long the worker expects the job to take.
 *
 * The calling thread is taken to be free at the end of its current network (started at
 * `callerStartMs`, as long as its mean) or, once that network runs past half its mean, after as
 * long again as it has run so far; then it would need `callerMeanMs` per remaining job.
 */
export function workerShouldTake(o: { nowMs: number; remaining: number; callerMeanMs: number; callerStartMs: number; ownEstimateMs: number }): boolean {
  if (!(o.callerMeanMs > 0)) return true; // the caller computes nothing, or has not finished a network yet
  const elapsed = o.nowMs - o.callerStartMs;
  const callerFreeAt = o.callerStartMs + Math.max(o.callerMeanMs, 2 * elapsed);
  return o.nowMs + o.ownEstimateMs < callerFreeAt + o.callerMeanMs * o.remaining;
}

/**
 * Takes the next job index for a worker, or 'wait' (the calling thread will be sooner; ask again
 * later), or null (no job left). `warm`: whether this worker has finished a network before. A
 * warm worker is taken to keep the calling thread's pace: its second network may still run
 * slower, but its first one's time would overstate the next ones and make it pass on networks it
 * finishes in time (long networks lose most from that).
 */
export function claimForWorker(next: Int32Array, total: number, pace: CallerPace, warm: boolean): number | 'wait' | null {
  for (;;) {
    const k = Atomics.load(next, 0);
    if (k >= total) return null;
    if (!warm) {
      const callerMeanMs = pace[0] as number;
      const ownEstimateMs = COLD_FACTOR * callerMeanMs;
      if (!workerShouldTake({ nowMs: epochMs(), remaining: total - k, callerMeanMs, callerStartMs: pace[1] as number, ownEstimateMs })) return 'wait';
    }
    if (Atomics.compareExchange(next, 0, k, k + 1) === k) return k;
  }
}

/** How long a worker waits before asking again after 'wait' (ms): a fraction of a network. */
export function recheckMs(pace: CallerPace): number {
  return Math.min(10, Math.max(1, (pace[0] as number) / 4));
}
