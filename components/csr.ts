import type { ArenaPlan, Region } from './arena.js';

/**
 * A projection's synapses, CSR-ordered by presynaptic rank. A synapse's stable id is its index
 * in these arrays. Pre ranks are implicit in `rowStart`, so a static synapse costs 8 bytes
 * (float32 weight + uint32 post rank), plus 2 for its delay when delays are not uniform.
 */
export interface Csr {
  /** preSize + 1 offsets: synapses of pre rank p are rowStart[p] .. rowStart[p + 1]. */
  rowStart: Uint32Array;
  post: Uint32Array;
  w: Float32Array;
  /** Per-synapse delay in steps (≥ 1), only when the projection's delays differ. */
  delaySteps: Uint16Array | null;
}

export interface CsrLayout {
  rowStart: Region<'u32'>;
  post: Region<'u32'>;
  w: Region<'f32'>;
  delaySteps: Region<'u16'> | null;
}

export function planCsr(plan: ArenaPlan, preSize: number, synapses: number, perSynapseDelay: boolean): CsrLayout {
  return {
    rowStart: plan.reserve('u32', preSize + 1),
    post: plan.reserve('u32', synapses),
    w: plan.reserve('f32', synapses),
    delaySteps: perSynapseDelay ? plan.reserve('u16', synapses) : null,
  };
}

/**
 * Conductance waiting to arrive, for projections with per-synapse delays: slot `step % depth`
 * holds, per post rank, the sum of weights arriving at `step`.
 */
export function planDelayRing(plan: ArenaPlan, postSize: number, depth: number): Region<'f64'> {
  return plan.reserve('f64', postSize * depth);
}
