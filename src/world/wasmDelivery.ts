/**
 * The row loop of uniform-delay spike delivery as WebAssembly, generated per projection with the
 * addresses of its arrays folded in: for each of `count` pre ranks at ranks[base …], every synapse
 * of its CSR row adds its weight, g[post[k]] += w[k]. In the JS loop every access is a checked
 * typed-array access; here it is a plain load or store (the memory's guard pages do the checking).
 *
 * Same additions in the same order as the JS loop, so the same bits: a float conductance gets
 * f32.add (JS adds the two float32 values in double and rounds on store: the same result), a
 * double one f64.add of the widened weight (what JS does).
 */
import type { ProjectionRuntime } from '../../components/runtime.js';
import {
  BLOCK, BR, BR_IF, EMPTY, END, F32_ADD, F32_LOAD, F32_STORE, F64_ADD, F64_LOAD, F64_PROMOTE_F32, F64_STORE, functionModule, I32,
  I32_ADD, I32_CONST, I32_GE_U, I32_LOAD, I32_SHL, instantiate, localGet, localSet, LOCAL_TEE, LOOP, memarg, memoryShape, TIMES_4,
} from '../wasm/encode.js';

export interface RowAddresses {
  /** Byte offsets in the world's memory. */
  ranks: number;
  rowStart: number;
  post: number;
  w: number;
  target: number;
}

/** `deliverRows(base, count)` on the world's memory (module bytes; instantiate with env.memory). */
export function wasmRows(at: RowAddresses, target: 'f32' | 'f64', memory: { pages: number; shared: boolean }, label = 'a projection'): Uint8Array<ArrayBuffer> {
  // Parameters 0 (base) and 1 (count); locals: s (rank index), stop, k (synapse), end, a (target address).
  const base = 0, count = 1, s = 2, stop = 3, k = 4, end = 5, a = 6;
  const get = localGet, set = localSet, times4 = TIMES_4;
  const f32 = target === 'f32';
  const body = [
    ...get(base), ...set(s),
    ...get(base), ...get(count), I32_ADD, ...set(stop),
    BLOCK, EMPTY, LOOP, EMPTY,
    ...get(s), ...get(stop), I32_GE_U, BR_IF, 1,
    // k = rowStart[pre], end = rowStart[pre + 1], pre = ranks[s]
    ...get(s), ...times4, I32_LOAD, ...memarg(2, at.ranks), ...times4, ...set(a),
    ...get(a), I32_LOAD, ...memarg(2, at.rowStart), ...set(k),
    ...get(a), I32_LOAD, ...memarg(2, at.rowStart + 4), ...set(end),
    BLOCK, EMPTY, LOOP, EMPTY,
    ...get(k), ...get(end), I32_GE_U, BR_IF, 1,
    // a = post[k] * bytes; g[a] = g[a] + w[k]
    ...get(k), ...times4, I32_LOAD, ...memarg(2, at.post), I32_CONST, f32 ? 2 : 3, I32_SHL, LOCAL_TEE, a,
    ...get(a), f32 ? F32_LOAD : F64_LOAD, ...memarg(f32 ? 2 : 3, at.target),
    ...get(k), ...times4, F32_LOAD, ...memarg(2, at.w), ...(f32 ? [F32_ADD] : [F64_PROMOTE_F32, F64_ADD]),
    f32 ? F32_STORE : F64_STORE, ...memarg(f32 ? 2 : 3, at.target),
    ...get(k), I32_CONST, 1, I32_ADD, ...set(k),
    BR, 0, END, END,
    ...get(s), I32_CONST, 1, I32_ADD, ...set(s),
    BR, 0, END, END,
  ];
  return functionModule({ name: 'deliverRows', params: [I32, I32], results: [], locals: [[5, I32]], body, memory, debugName: `deliver ${label}` });
}

/** The row loop of a uniform-delay projection, instantiated on `memory`; null for per-synapse delays. */
export function wasmRowDelivery(
  proj: Omit<ProjectionRuntime, 'deliver'>,
  memory: WebAssembly.Memory,
  label: string,
): ((base: number, count: number) => void) | null {
  if (proj.pending) return null;
  const at = {
    ranks: proj.pre.ring.ranks.byteOffset,
    rowStart: proj.csr.rowStart.byteOffset,
    post: proj.csr.post.byteOffset,
    w: proj.csr.w.byteOffset,
    target: proj.target.byteOffset,
  };
  const bytes = wasmRows(at, proj.target instanceof Float32Array ? 'f32' : 'f64', memoryShape(memory), label);
  return instantiate<(base: number, count: number) => void>(bytes, memory, 'deliverRows');
}
