/**
 * A population's per-step `Uniform(lo, hi)` draws as WebAssembly, generated per random term with
 * its buffer, size and constant bounds folded in: fillUniform's draws (src/random/stream.ts) on
 * the same sfc32 stream, word for word, with the same double arithmetic, lo + (hi - lo)·(t·2^-32);
 * where that can round up to hi, such a draw becomes the largest double below hi, and with float
 * storage a draw that rounds up to hi becomes the largest float32 below it, as fillUniform does.
 * So the same bits (tested); about half of fillUniform's time per draw.
 */
import { largestFloat32Below, nextDown, uniformMayReachHi } from '../random/stream.js';
import { TWO_POW_M32 } from '../random/sfc32.js';
import {
  F32_DEMOTE_F64, F32_STORE, F64, F64_ADD, F64_CONVERT_I32_U, F64_GE, F64_LT, F64_MUL,
  F64_PROMOTE_F32, F64_STORE, functionModule, hoistedF64, I32, I32_CONST, I32_SHL, instantiate, localGet, localSet,
  memarg, memoryShape, SELECT, sfc32,
} from '../wasm/encode.js';

/** `fill()`: `n` draws of Uniform(lo, hi) into the buffer at byte offset `out` ('f32' or 'f64' storage); module bytes. */
export function wasmUniform(
  at: { rng: number; out: number },
  n: number,
  lo: number,
  hi: number,
  store: 'f32' | 'f64',
  memory: { pages: number; shared: boolean },
  name = 'a population',
): Uint8Array<ArrayBuffer> {
  // Locals: a, b, c, d (the stream), t (this word), i; f64: x (the draw), then the constants.
  const a = 0, b = 1, c = 2, d = 3, t = 4, i = 5, x = 6;
  const [kLo, kSpan, kToUnit, kHi, kBelow, kTop] = [7, 8, 9, 10, 11, 12];
  const constants = hoistedF64([lo, hi - lo, TWO_POW_M32, hi, nextDown(hi), largestFloat32Below(hi)], [kLo, kSpan, kToUnit, kHi, kBelow, kTop]);
  const get = localGet, set = localSet;
  const state = [a, b, c, d];
  const shift = store === 'f32' ? 2 : 3;
  // select(v1, v2, cond) keeps v1 where cond holds.
  const keepBelowHi = uniformMayReachHi(lo, hi) ? [...get(x), ...get(kBelow), ...get(x), ...get(kHi), F64_LT, SELECT, ...set(x)] : [];
  // Float storage: round, then a value that reached hi becomes the largest float32 below it.
  const storeDraw =
    store === 'f32'
      ? [
          ...get(x), F32_DEMOTE_F64, F64_PROMOTE_F32, ...set(x),
          ...get(kTop), ...get(x), ...get(x), ...get(kHi), F64_GE, SELECT,
          F32_DEMOTE_F64, F32_STORE, ...memarg(2, at.out),
        ]
      : [...get(x), F64_STORE, ...memarg(3, at.out)];
  const perWord = [
    // x = lo + span * (u32(t) * 2^-32)
    ...get(kLo), ...get(kSpan), ...get(t), F64_CONVERT_I32_U, ...get(kToUnit), F64_MUL, F64_MUL, F64_ADD, ...set(x),
    ...keepBelowHi,
    ...get(i), I32_CONST, shift, I32_SHL,
    ...storeDraw,
  ];
  const body = sfc32.eachWord({ rng: at.rng, state, t, i, n, before: constants.load, perWord });
  return functionModule({
    name: 'fill',
    params: [],
    results: [],
    locals: [[6, I32], [7, F64]],
    body,
    f64Globals: constants.globals,
    memory,
    debugName: `uniform draws ${name} (${n})`,
  });
}

/** The fill of one `Uniform(lo, hi)` term into `out` (an arena buffer), drawing from `rng` (the world's stream in the arena). */
export function wasmUniformFill(out: Float32Array | Float64Array, lo: number, hi: number, rng: Uint32Array, memory: WebAssembly.Memory, name: string): () => void {
  const bytes = wasmUniform(
    { rng: rng.byteOffset, out: out.byteOffset },
    out.length,
    lo,
    hi,
    out instanceof Float32Array ? 'f32' : 'f64',
    memoryShape(memory),
    name,
  );
  return instantiate<() => void>(bytes, memory, 'fill');
}
