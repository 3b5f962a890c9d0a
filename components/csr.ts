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

/**
 * A CSR's synapses grouped by post index (a CSC over synapse ids): the synapses of post q are
 * `synapse[start[q] .. start[q + 1])`, ascending, so each post's come in ascending pre rank. One
 * counting sort; `start` (postSize + 1, zeroed) and `synapse` (one per synapse) may be given
 * (views into a world's arena), else they are made.
 */
export function byPost(
  post: Uint32Array,
  postSize: number,
  start: Uint32Array = new Uint32Array(postSize + 1),
  synapse: Uint32Array = new Uint32Array(post.length),
): { start: Uint32Array; synapse: Uint32Array } {
  const n = post.length;
  for (let k = 0; k < n; k++) start[(post[k] as number) + 1]!++;
  for (let q = 0; q < postSize; q++) start[q + 1]! += start[q] as number;
  const cursor = start.slice(0, postSize);
  for (let k = 0; k < n; k++) synapse[cursor[post[k] as number]!++] = k;
  return { start, synapse };
}

/**
 * A CSR's synapses grouped by (pre rank, delay), for a delivery that visits each synapse at its
 * own arrival: the synapses of pre p with delay D (1..maxDelay steps) are
 * `synapse[start[p·maxDelay + D − 1] .. start[p·maxDelay + D])`, ascending. One counting sort into
 * `start` (preSize·maxDelay + 1, zeroed) and `synapse` (one per synapse), views into a world's arena.
 */
export function byPreAndDelay(rowStart: Uint32Array, delaySteps: Uint16Array, maxDelay: number, start: Uint32Array, synapse: Uint32Array): void {
  const preSize = rowStart.length - 1;
  for (let p = 0; p < preSize; p++) {
    for (let k = rowStart[p] as number; k < (rowStart[p + 1] as number); k++) start[p * maxDelay + (delaySteps[k] as number)]!++;
  }
  for (let b = 1; b < start.length; b++) start[b]! += start[b - 1] as number;
  const at = start.slice(0, start.length - 1);
  for (let p = 0; p < preSize; p++) {
    for (let k = rowStart[p] as number; k < (rowStart[p + 1] as number); k++) synapse[at[p * maxDelay + (delaySteps[k] as number) - 1]!++] = k;
  }
}
