/**
 * A population's per-step `Normal(mu, sigma)` draws as WebAssembly, generated per random term
 * with its buffer, size and constant mu, sigma folded in: the ziggurat of `fillNormal`
 * (src/random/stream.ts) on the same sfc32 stream, word for word. The fast path (98.5 % of
 * words) runs here on the world's memory, with the ziggurat tables copied into the arena; a word
 * that misses it goes to `zigguratSlowPath` in JS (an import: WebAssembly has no exp or log),
 * with the stream state stored before the call and reloaded after, as fillNormal does, and the
 * draw passed back through the arena. Same operations in the same order: the same draws as
 * fillNormal, bit for bit (tested). About half of fillNormal's time per draw: no typed-array
 * checks, no tagged values. The tables are reserved only in worlds whose models draw (layout.ts).
 */
import { zigguratSlowPath, ZIGGURAT_K, ZIGGURAT_W } from '../random/ziggurat.js';
import {
  CALL, ELSE, EMPTY, END, F32_DEMOTE_F64, F32_STORE, F64, F64_ADD, F64_CONVERT_I32_S, F64_LOAD, F64_MUL,
  F64_STORE, functionModule, hoistedF64, I32, I32_AND, I32_CONST, I32_LOAD, I32_LT_S, I32_OR, I32_SHL, I32_SHR_S, I32_SHR_U, IF,
  instantiate, localGet, localSet, memarg, memoryShape, sfc32, sleb,
} from '../wasm/encode.js';
import type { ArenaPlan, Region } from '../../components/arena.js';

/**
 * Where the ziggurat tables sit in a world's arena, and the slot where the JS slow path leaves
 * its draw (returned as a float, it would be a heap number per call: 245 bytes per step for
 * Izhikevich-2003).
 */
export interface ZigguratTables {
  k: Region<'i32'>;
  w: Region<'f64'>;
  slowDraw: Region<'f64'>;
}

/** Reserves the tables' place in an arena plan (3 KB). */
export function planZigguratTables(plan: ArenaPlan): ZigguratTables {
  return { k: plan.reserve('i32', ZIGGURAT_K.length), w: plan.reserve('f64', ZIGGURAT_W.length), slowDraw: plan.reserve('f64', 1) };
}

export interface NormalAddresses {
  /** Byte offsets in the world's memory. */
  rng: number;
  out: number;
  k: number;
  w: number;
  slowDraw: number;
}

/** `fill()`: `n` draws of N(mu, sigma²) into out[0..n) ('f32' or 'f64' storage); module bytes. */
export function wasmNormal(
  at: NormalAddresses,
  n: number,
  mu: number,
  sigma: number,
  store: 'f32' | 'f64',
  memory: { pages: number; shared: boolean },
  name = 'a population',
): Uint8Array<ArrayBuffer> {
  // Locals: a, b, c, d (the stream), t (this word), i, layer, m (magnitude); f64: x (the standard
  // draw), then the constants 0.5, mu, sigma.
  const a = 0, b = 1, c = 2, d = 3, t = 4, i = 5, layer = 6, m = 7, x = 8, kHalf = 9, kMu = 10, kSigma = 11;
  const constants = hoistedF64([0.5, mu, sigma], [kHalf, kMu, kSigma]);
  const get = localGet, set = localSet;
  const state = [a, b, c, d];
  const storeState = sfc32.store(at.rng, state);
  const loadState = sfc32.load(at.rng, state);
  const shift = store === 'f32' ? 2 : 3;
  const perWord = [
    // layer = t & 255; m = (t >>> 8) & 0x7fffff
    ...get(t), I32_CONST, ...sleb(255), I32_AND, ...set(layer),
    ...get(t), I32_CONST, 8, I32_SHR_U, I32_CONST, ...sleb(0x7fffff), I32_AND, ...set(m),
    // m < K[layer] ? ((t >> 31) | 1) * (m + 0.5) * W[layer] : zigguratSlowPath(state, t)
    ...get(m), ...get(layer), I32_CONST, 2, I32_SHL, I32_LOAD, ...memarg(2, at.k), I32_LT_S,
    IF, EMPTY,
    ...get(t), I32_CONST, 31, I32_SHR_S, I32_CONST, 1, I32_OR, F64_CONVERT_I32_S,
    ...get(m), F64_CONVERT_I32_S, ...get(kHalf), F64_ADD, F64_MUL,
    ...get(layer), I32_CONST, 3, I32_SHL, F64_LOAD, ...memarg(3, at.w), F64_MUL, ...set(x),
    ELSE,
    ...storeState, ...get(t), CALL, 0, I32_CONST, 0, F64_LOAD, ...memarg(3, at.slowDraw), ...set(x), ...loadState,
    END,
    // out[i] = mu + sigma * x
    ...get(i), I32_CONST, shift, I32_SHL,
    ...get(kMu), ...get(kSigma), ...get(x), F64_MUL, F64_ADD,
    ...(store === 'f32' ? [F32_DEMOTE_F64, F32_STORE, ...memarg(2, at.out)] : [F64_STORE, ...memarg(3, at.out)]),
  ];
  const body = sfc32.eachWord({ rng: at.rng, state, t, i, n, before: constants.load, perWord });
  return functionModule({
    name: 'fill',
    params: [],
    results: [],
    locals: [[8, I32], [4, F64]],
    f64Globals: constants.globals,
    body,
    memory,
    imports: [{ name: 'slow', params: [I32], results: [] }],
    debugName: `normal draws ${name} (${n})`,
  });
}

/**
 * The fill of one `Normal(mu, sigma)` term into `out` (an arena buffer), drawing from `rng` (the
 * world's stream in the arena); copies the ziggurat tables into their arena place first.
 */
export function wasmNormalFill(
  out: Float32Array | Float64Array,
  mu: number,
  sigma: number,
  rng: Uint32Array,
  tables: { k: Int32Array; w: Float64Array; slowDraw: Float64Array },
  memory: WebAssembly.Memory,
  name: string,
): () => void {
  tables.k.set(ZIGGURAT_K);
  tables.w.set(ZIGGURAT_W);
  const { slowDraw } = tables;
  const at = { rng: rng.byteOffset, out: out.byteOffset, k: tables.k.byteOffset, w: tables.w.byteOffset, slowDraw: slowDraw.byteOffset };
  const bytes = wasmNormal(at, out.length, mu, sigma, out instanceof Float32Array ? 'f32' : 'f64', memoryShape(memory), name);
  const slow = (word: number): void => {
    slowDraw[0] = zigguratSlowPath(rng, word);
  };
  return instantiate<() => void>(bytes, memory, 'fill', { slow });
}
