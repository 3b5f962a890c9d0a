/**
 * Tables and the rare path of the ziggurat method for normal draws (Marsaglia & Tsang 2000, "The
 * Ziggurat Method for Generating Random Variables", 256 layers), used by `fillNormal` in
 * stream.ts and by the WebAssembly fill of src/world/wasmNormal.ts. The density exp(−x²/2) is
 * covered by 256 layers of equal area: 255 rectangles and a base strip with the tail beyond R.
 * One uint32 word per draw, read as three independent fields:
 *
 *     bits 0–7: layer i     bits 8–30: magnitude m (23 bits)     bit 31: sign
 *
 * x = (m + ½) · W[i]. Where m < K[i], x lies below the layer's inner edge, where the whole layer
 * is under the curve (98.5 % of words), and x is the draw; the callers do that inline. The rest
 * comes here: the wedge test against exp(−x²/2) or, in the base strip beyond R, Marsaglia's tail
 * method. The layer index never also serves as value bits (a known weakness of the original
 * RNOR), so within a layer the draws lie on a grid of 2^-23 of its width (at most 4.7e-7 σ, in
 * the base layer; about two float32 steps at 3σ). 256 layers rather than 128: half as many words
 * take the slow path, which costs ~100 ns in the JS loop (about 5 instead of 6–7 ns per draw).
 */
import { nextWord, TWO_POW_M32 } from './sfc32.js';

/** x of the rightmost layer's edge, and the area of each layer (Marsaglia & Tsang, 256 layers). */
const R = 3.6541528853610088;
const LAYER_AREA = 0.00492867323399;
const ZIGGURAT_LAYERS = 256;
const MAGNITUDE_SCALE = 2 ** 23;

/** Per layer: accept a magnitude m < K[i] at once (m in [0, 2^23)). */
export const ZIGGURAT_K = new Int32Array(ZIGGURAT_LAYERS);
/** Per layer: x per unit of magnitude (the layer's width / 2^23). */
export const ZIGGURAT_W = new Float64Array(ZIGGURAT_LAYERS);
/** Per layer: exp(−x²/2) at its outer edge; F[0] = 1, the density at 0, tops layer 1 (the base layer reads none). */
const F = new Float64Array(ZIGGURAT_LAYERS);

// Computed once at load with the engine's Math.exp/log: one engine always gives the same draws for
// the same stream; another engine's last-bit differences could send a rare word down another path
// (as they could change a model's exp() or the slow path's): results are reproducible per engine.
{
  const density = (x: number): number => Math.exp(-0.5 * x * x);
  const baseWidth = LAYER_AREA / density(R);
  let outer = R;
  ZIGGURAT_K[0] = Math.floor((R / baseWidth) * MAGNITUDE_SCALE);
  ZIGGURAT_K[1] = 0; // the top layer lies wholly outside the curve's core: always the wedge test
  ZIGGURAT_W[0] = baseWidth / MAGNITUDE_SCALE;
  ZIGGURAT_W[ZIGGURAT_LAYERS - 1] = R / MAGNITUDE_SCALE;
  F[0] = 1;
  F[ZIGGURAT_LAYERS - 1] = density(R);
  for (let i = ZIGGURAT_LAYERS - 2; i >= 1; i--) {
    const inner = Math.sqrt(-2 * Math.log(LAYER_AREA / outer + density(outer)));
    ZIGGURAT_K[i + 1] = Math.floor((inner / outer) * MAGNITUDE_SCALE);
    outer = inner;
    F[i] = density(inner);
    ZIGGURAT_W[i] = inner / MAGNITUDE_SCALE;
  }
}

/**
 * The draw for a word `t` that missed the fast test (m ≥ K[i]); continues `state`'s stream for any
 * further words it needs (the caller stores its locals before and reloads them after). Returns a
 * standard normal value.
 */
export function zigguratSlowPath(state: Uint32Array, t: number): number {
  for (;;) {
    const layer = t & 255;
    const sign = (t >> 31) | 1;
    const x = (((t >>> 8) & 0x7fffff) + 0.5) * ZIGGURAT_W[layer]!;
    if (layer === 0) {
      // Beyond R: Marsaglia's tail method (accept x = R + e1 / R when 2·e2 > (e1 / R)²).
      let tail: number;
      let e: number;
      // Uniforms on the open interval (0, 1), so that log() is finite; written out here, since a
      // helper returning them would box each one (a heap number per call).
      do {
        tail = -Math.log(((nextWord(state) >>> 0) + 0.5) * TWO_POW_M32) / R;
        e = -Math.log(((nextWord(state) >>> 0) + 0.5) * TWO_POW_M32);
      } while (e + e < tail * tail);
      return sign * (R + tail);
    }
    if (F[layer]! + (nextWord(state) >>> 0) * TWO_POW_M32 * (F[layer - 1]! - F[layer]!) < Math.exp(-0.5 * x * x)) return sign * x;
    t = nextWord(state);
    const m = (t >>> 8) & 0x7fffff;
    if (m < ZIGGURAT_K[t & 255]!) return ((t >> 31) | 1) * (m + 0.5) * ZIGGURAT_W[t & 255]!;
  }
}
