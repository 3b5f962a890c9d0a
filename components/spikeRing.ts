import type { ArenaPlan, Region } from './arena.js';

/**
 * The spikes a population emitted in its last `depth` steps: slot `step % depth` holds the ranks
 * that spiked at `step`. Delivery with a delay of d steps reads slot `(step - d) % depth` before
 * this step's slot is written, so depth = the longest uniform delay out of the population (≥ 1).
 */
export interface SpikeRing {
  depth: number;
  size: number;
  /** Spike count per slot. */
  counts: Int32Array;
  /** depth × size ranks; slot k's spikes are ranks[k * size .. k * size + counts[k]). */
  ranks: Uint32Array;
}

export interface SpikeRingLayout {
  depth: number;
  size: number;
  counts: Region<'i32'>;
  ranks: Region<'u32'>;
}

export function planSpikeRing(plan: ArenaPlan, size: number, depth: number): SpikeRingLayout {
  return {
    depth,
    size,
    counts: plan.reserve('i32', depth),
    ranks: plan.reserve('u32', depth * size),
  };
}
