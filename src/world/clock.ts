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
