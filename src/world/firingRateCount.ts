import { RATE_DIRTY, RATE_DROPPED, RATE_HZ_PER_SPIKE, RATE_WINDOW, type FiringRate } from '../../components/firingRate.js';
import type { SpikeRing } from '../../components/spikeRing.js';
import type { WorldRuntime } from '../../components/runtime.js';

/**
 * Part of stage 3, after the spikes: each counting population's r over its window, this step's
 * spikes included (ANNarchy's spike_gather). A window of W steps holds the spikes of steps
 * step − W + 1 … step. Costs the spikes entering and leaving the window, not window × neurons.
 */
export function countFiringRates(world: WorldRuntime, step: number): void {
  // None counting (the usual case): one test per step, not one per population (the arena's words
  // cost a few ns each to read: 11 populations' tests were ~10 % of a small network's step).
  if (world.countingRates[0] === 0) return;
  const { populations } = world;
  // Indexed: for...of allocates an iterator per step where V8 does not inline it.
  for (let p = 0; p < populations.length; p++) {
    const pop = populations[p]!;
    const rate = pop.rate;
    if (rate === null || (rate.state[RATE_WINDOW] as number) === 0) continue;
    countPopulation(rate, pop.ring, step);
  }
}

function countPopulation(rate: FiringRate, ring: SpikeRing, step: number): void {
  const { state, counts, r } = rate;
  const hz = rate.scale[RATE_HZ_PER_SPIKE] as number;
  const { depth, size, ranks } = ring;
  let slot = step % depth;
  let base = slot * size;
  let n = ring.counts[slot] as number;
  for (let s = 0; s < n; s++) {
    const i = ranks[base + s] as number;
    // With float state, hz is float32 and the product of it and a count is exact in float64: the store rounds once, as float32's multiply.
    const c = (counts[i] as number) + 1;
    counts[i] = c;
    r[i] = hz * c;
  }
  // Steps up to step − W leave the window. After a shorter window was set, several at once (the
  // ring is deeper than any window); after a longer one, none until the window is full again.
  const last = step - (state[RATE_WINDOW] as number);
  let dropped = state[RATE_DROPPED] as number;
  while (dropped < last) {
    dropped++;
    slot = dropped % depth;
    base = slot * size;
    n = ring.counts[slot] as number;
    for (let s = 0; s < n; s++) {
      const i = ranks[base + s] as number;
      const c = (counts[i] as number) - 1;
      counts[i] = c;
      r[i] = hz * c;
    }
  }
  state[RATE_DROPPED] = dropped;
  if (state[RATE_DIRTY] !== 0) {
    for (let i = 0; i < size; i++) r[i] = hz * (counts[i] as number);
    state[RATE_DIRTY] = 0;
  }
}
