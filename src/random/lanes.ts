/**
 * Poisson sources draw from four sfc32 streams side by side, "lanes": in a step, source 4g + l
 * takes lane l's next word (g = 0, 1, … over groups of four sources; a last group of fewer than
 * four still advances all four lanes). One stream is a serial chain of dependent integer
 * operations; four independent ones let WebAssembly SIMD advance four words at once
 * (src/world/wasmPoisson.ts), where one stream held the Poisson step at ~1.5 ns per source.
 *
 * The 16 state words are stored as four vectors, the layout of four v128 values:
 * a of lanes 0–3, then b, c and d (words 0–3, 4–7, 8–11, 12–15).
 */
import { STREAM_STATE_WORDS } from './stream.js';
import { TWO_POW_M32 } from './sfc32.js';

/** Streams side by side (the i32 lanes of one v128). */
export const LANES = 4;
/** uint32 words of the lanes' state. */
const LANE_STATE_WORDS = LANES * STREAM_STATE_WORDS;
/** uint32 words of a world's simulation streams: the main sfc32 stream, then the Poisson lanes. */
export const SIM_STREAM_WORDS = STREAM_STATE_WORDS + LANE_STATE_WORDS;

/** Draws per lane discarded after seeding, so the first outputs do not echo the seed words (as seed.ts). */
const WARM_UP_GROUPS = 12;

/**
 * Makes `state` (16 words of hash output: deriveStreamState's `more`) the lanes' starting state:
 * each lane is advanced past its first words.
 */
export function warmUpLanes(state: Uint32Array): void {
  fillUniformLanes(state, new Float64Array(WARM_UP_GROUPS * LANES), WARM_UP_GROUPS * LANES);
}

/** Sources rounded up to whole groups of four: the length a draws buffer for `n` sources needs. */
export function laneGroupsLength(n: number): number {
  return Math.ceil(n / LANES) * LANES;
}

/**
 * Writes one uniform draw in [0, 1) per source, `out[i]` for i < laneGroupsLength(n) (lane
 * order; words beyond n are drawn and dropped, as the WebAssembly step does). `out` must be at
 * least that long. The sfc32 step of stream.ts, written out per lane: a call per word would cost
 * ~4× (see stream.ts).
 */
export function fillUniformLanes(state: Uint32Array, out: Float64Array, n: number): void {
  let a0 = state[0]! | 0, a1 = state[1]! | 0, a2 = state[2]! | 0, a3 = state[3]! | 0;
  let b0 = state[4]! | 0, b1 = state[5]! | 0, b2 = state[6]! | 0, b3 = state[7]! | 0;
  let c0 = state[8]! | 0, c1 = state[9]! | 0, c2 = state[10]! | 0, c3 = state[11]! | 0;
  let d0 = state[12]! | 0, d1 = state[13]! | 0, d2 = state[14]! | 0, d3 = state[15]! | 0;
  for (let i = 0; i < n; i += LANES) {
    const t0 = (((a0 + b0) | 0) + d0) | 0;
    d0 = (d0 + 1) | 0; a0 = b0 ^ (b0 >>> 9); b0 = (c0 + (c0 << 3)) | 0; c0 = (((c0 << 21) | (c0 >>> 11)) + t0) | 0;
    const t1 = (((a1 + b1) | 0) + d1) | 0;
    d1 = (d1 + 1) | 0; a1 = b1 ^ (b1 >>> 9); b1 = (c1 + (c1 << 3)) | 0; c1 = (((c1 << 21) | (c1 >>> 11)) + t1) | 0;
    const t2 = (((a2 + b2) | 0) + d2) | 0;
    d2 = (d2 + 1) | 0; a2 = b2 ^ (b2 >>> 9); b2 = (c2 + (c2 << 3)) | 0; c2 = (((c2 << 21) | (c2 >>> 11)) + t2) | 0;
    const t3 = (((a3 + b3) | 0) + d3) | 0;
    d3 = (d3 + 1) | 0; a3 = b3 ^ (b3 >>> 9); b3 = (c3 + (c3 << 3)) | 0; c3 = (((c3 << 21) | (c3 >>> 11)) + t3) | 0;
    out[i] = (t0 >>> 0) * TWO_POW_M32;
    out[i + 1] = (t1 >>> 0) * TWO_POW_M32;
    out[i + 2] = (t2 >>> 0) * TWO_POW_M32;
    out[i + 3] = (t3 >>> 0) * TWO_POW_M32;
  }
  state[0] = a0; state[1] = a1; state[2] = a2; state[3] = a3;
  state[4] = b0; state[5] = b1; state[6] = b2; state[7] = b3;
  state[8] = c0; state[9] = c1; state[10] = c2; state[11] = c3;
  state[12] = d0; state[13] = d1; state[14] = d2; state[15] = d3;
}
