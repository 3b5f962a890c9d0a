import type { ArenaPlan, Region } from './arena.js';
import type { StateArray } from './arena.js';

/**
 * A population's firing rate over a sliding window (computeFiringRate): a spike count per neuron,
 * +1 when it spikes, −1 when that spike leaves the window. The spikes themselves are read back from
 * the population's spike ring, kept at least window + 1 steps deep, so no list of its own is kept.
 */
export interface FiringRate {
  /**
   * [window in steps (0: not counting), last step whose spikes were taken out of the counts,
   * 1 when every neuron's r must be written again (window changed)].
   */
  state: Int32Array;
  /** [window in ms, Hz per counted spike: 1000 / window (float32-rounded with float state)]. */
  scale: Float64Array;
  /** Spikes per neuron in the window. */
  counts: Int32Array;
  /** The population's r field: counts · Hz per spike. */
  r: StateArray;
}

export const RATE_WINDOW = 0, RATE_DROPPED = 1, RATE_DIRTY = 2;
export const RATE_MS = 0, RATE_HZ_PER_SPIKE = 1;

export interface FiringRateLayout {
  state: Region<'i32'>;
  scale: Region<'f64'>;
  counts: Region<'i32'>;
}

export function planFiringRate(plan: ArenaPlan, size: number): FiringRateLayout {
  return { state: plan.reserve('i32', 3), scale: plan.reserve('f64', 2), counts: plan.reserve('i32', size) };
}
