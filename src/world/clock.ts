/**
 * The last step a network's clock reaches. Steps are int32 wherever they are stored or computed
 * with (lastSpike, the step loop, a live page's requests): 2^31 − 1 steps, 59.7 h at dt 0.1 ms.
 * Its own module so that the page side of a live network (src/embed/live.ts) need not import the engine.
 */
export const LAST_STEP = 2 ** 31 - 1;

/**
 * `steps` · dt in ms without float noise: 3 steps of 0.1 ms are 0.3 ms, not 0.30000000000000004.
 * Only a difference of a few ulps is taken away; real digits stay.
 */
export function stepsToMs(steps: number, dt: number): number {
  const ms = steps * dt;
  const clean = Number(ms.toPrecision(12));
  return Math.abs(clean - ms) <= 4 * Number.EPSILON * Math.abs(ms) ? clean : ms;
}

/** Index of the first of the ascending `steps` at or after `step` (`steps.length` if none): a binary search. */
export function firstStepAtOrAfter(steps: Int32Array, step: number): number {
  let lo = 0, hi = steps.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((steps[mid] as number) < step) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
