import type { ArenaPlan, Region } from './arena.js';

/**
 * Per-neuron spiking bookkeeping, indexed by entity id (ids start at 1, so arrays hold n + 1).
 * Each population's kernel gets `subarray(lo, hi)` views: a dense range per population.
 */
export interface Spiking {
  /** Step of the neuron's last spike; -1 before the first. */
  lastSpike: Int32Array;
  /** Steps of refractoriness left; 0 = free to integrate and spike. */
  refractoryLeft: Int32Array;
}

export interface SpikingLayout {
  lastSpike: Region<'i32'>;
  refractoryLeft: Region<'i32'>;
}

export function planSpiking(plan: ArenaPlan, entityCount: number): SpikingLayout {
  return {
    lastSpike: plan.reserve('i32', entityCount + 1),
    refractoryLeft: plan.reserve('i32', entityCount + 1),
  };
}
