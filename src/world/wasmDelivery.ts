/**
 * The row loop of uniform-delay spike delivery as WebAssembly, generated per projection with the
 * addresses of its arrays folded in: for each of `count` pre ranks at ranks[base …], every synapse
 * of its CSR row adds its weight, g[post[k]] += w[k]. In the JS loop every access is a checked
 * typed-array access; here it is a plain load or store (the memory's guard pages do the checking).
 *
 * Rows made mostly of runs of consecutive post ranks (all-to-all, dense matrices) get the `dense`
 * loop: it finds where the run starting at synapse k ends by binary search (in a row of ascending
 * ranks, post[j] − j grows with j and is constant exactly along a run), then adds the run's
 * weights four at a time into four consecutive targets (f32x4; two f64x2 for double
 * conductances), and its last 0–3 one at a time. Each target still gets its own weight once per
 * synapse, in row order.
 *
 * Same additions in the same order as the JS loop, so the same bits: a float conductance gets
 * f32.add (JS adds the two float32 values in double and rounds on store: the same result), a
 * double one f64.add of the widened weight (what JS does); lane by lane, SIMD adds are the same
 * IEEE operations.
 */
import type { Csr } from '../../components/csr.js';
import type { ProjectionRuntime } from '../../components/runtime.js';
import {
  BLOCK, BR, BR_IF, ELSE, EMPTY, END, F32_ADD, F32_LOAD, F32_STORE, F32X4_ADD, F64_ADD, F64_LOAD, F64_PROMOTE_F32, F64_STORE, F64X2_ADD,
  F64X2_PROMOTE_LOW_F32X4, functionModule, I32, I32_ADD, I32_CONST, I32_EQ, I32_GE_U, I32_GT_U, I32_LE_U, I32_LOAD, I32_SHL, I32_SHR_U,
  I32_SUB, IF, instantiate, localGet, localSet, LOCAL_TEE, LOOP, memarg, memoryShape, simd, TIMES_4, V128_LOAD, V128_LOAD64_ZERO,
  V128_STORE,
} from '../wasm/encode.js';


/**
 * The dense loop pays where at least this fraction of synapses continue their row's run (runs of
 * 4 and more on average); rows of scattered ranks would pay a binary search per synapse.
 */
const DENSE_FRACTION = 0.75;

export interface RowAddresses {
  /** Byte offsets in the world's memory. */
  ranks: number;
  rowStart: number;
  post: number;
  w: number;
  target: number;
}

/**
 * `deliverRows(base, count)` on the world's memory (module bytes; instantiate with env.memory);
 * `dense` adds four consecutive targets per vector where it can.
 */
export function wasmRows(
  at: RowAddresses,
  target: 'f32' | 'f64',
  memory: { pages: number; shared: boolean },
  label = 'a projection',
  dense = false,
): Uint8Array<ArrayBuffer> {
  // Parameters 0 (base) and 1 (count); locals: s (rank index), stop, k (synapse), end, a (target
  // address), and for runs: key (post[j] − j along the run), lo, hi (binary search; hi ends the run), mid.
  const base = 0, count = 1, s = 2, stop = 3, k = 4, end = 5, a = 6, key = 7, lo = 8, hi = 9, mid = 10;
  const get = localGet, set = localSet, times4 = TIMES_4;
  const f32 = target === 'f32';
  const shift = f32 ? 2 : 3;
  const oneSynapse = [
    // a = post[k] * bytes; g[a] = g[a] + w[k]
    ...get(k), ...times4, I32_LOAD, ...memarg(2, at.post), I32_CONST, shift, I32_SHL, LOCAL_TEE, a,
    ...get(a), f32 ? F32_LOAD : F64_LOAD, ...memarg(shift, at.target),
    ...get(k), ...times4, F32_LOAD, ...memarg(2, at.w), ...(f32 ? [F32_ADD] : [F64_PROMOTE_F32, F64_ADD]),
    f32 ? F32_STORE : F64_STORE, ...memarg(shift, at.target),
    ...get(k), I32_CONST, 1, I32_ADD, ...set(k),
  ];
  // g[a .. a+3] += w[k .. k+3]: f32x4, or two f64x2 of widened weight pairs.
  const addFourWeights = f32
    ? [
        ...get(a), ...get(a), ...simd(V128_LOAD), ...memarg(2, at.target),
        ...get(k), ...times4, ...simd(V128_LOAD), ...memarg(2, at.w), ...simd(F32X4_ADD),
        ...simd(V128_STORE), ...memarg(2, at.target),
      ]
    : [0, 16].flatMap((half) => [
        ...get(a), ...get(a), ...simd(V128_LOAD), ...memarg(3, at.target + half),
        ...get(k), ...times4, ...simd(V128_LOAD64_ZERO), ...memarg(2, at.w + half / 2), ...simd(F64X2_PROMOTE_LOW_F32X4), ...simd(F64X2_ADD),
        ...simd(V128_STORE), ...memarg(3, at.target + half),
      ]);
  const postMinusIndex = (j: number) => [...get(j), ...times4, I32_LOAD, ...memarg(2, at.post), ...get(j), I32_SUB];
  // Runs of the row from k to end, one per pass: find its end hi, add its weights.
  const runs = [
    BLOCK, EMPTY, LOOP, EMPTY,
    ...get(k), ...get(end), I32_GE_U, BR_IF, 1,
    ...postMinusIndex(k), ...set(key),
    ...get(k), ...set(lo), ...get(end), ...set(hi),
    // Binary search: post[lo] − lo == key, and hi is end or an index where it differs.
    BLOCK, EMPTY, LOOP, EMPTY,
    ...get(hi), ...get(lo), I32_SUB, I32_CONST, 1, I32_LE_U, BR_IF, 1,
    ...get(lo), ...get(hi), I32_ADD, I32_CONST, 1, I32_SHR_U, ...set(mid),
    ...postMinusIndex(mid), ...get(key), I32_EQ,
    IF, EMPTY, ...get(mid), ...set(lo), ELSE, ...get(mid), ...set(hi), END,
    BR, 0, END, END,
    // Four at a time while four remain in [k, hi): the targets are key + k … key + k + 3.
    BLOCK, EMPTY, LOOP, EMPTY,
    ...get(k), I32_CONST, 4, I32_ADD, ...get(hi), I32_GT_U, BR_IF, 1,
    ...get(key), ...get(k), I32_ADD, I32_CONST, shift, I32_SHL, ...set(a),
    ...addFourWeights,
    ...get(k), I32_CONST, 4, I32_ADD, ...set(k),
    BR, 0, END, END,
    // The run's last 0–3.
    BLOCK, EMPTY, LOOP, EMPTY,
    ...get(k), ...get(hi), I32_GE_U, BR_IF, 1,
    ...oneSynapse,
    BR, 0, END, END,
    BR, 0, END, END,
  ];
  const synapses = [
    BLOCK, EMPTY, LOOP, EMPTY,
    ...get(k), ...get(end), I32_GE_U, BR_IF, 1,
    ...oneSynapse,
    BR, 0, END, END,
  ];
  const body = [
    ...get(base), ...set(s),
    ...get(base), ...get(count), I32_ADD, ...set(stop),
    ...eachSpikeRow(at, { s, stop, a, k, end }, dense ? runs : synapses),
  ];
  const locals: [number, number][] = [[dense ? 9 : 5, I32]];
  return functionModule({ name: 'deliverRows', params: [I32, I32], results: [], locals, body, memory, debugName: `deliver ${label}` });
}

/**
 * For each spiking rank at ranks[s … stop) (locals s and stop set before), `row` with the rank's
 * CSR row in locals k (its first synapse) and end (one past its last); `a` is scratch. Shared by
 * the row loop here and the per-synapse-delay delivery (wasmDelayed.ts).
 */
export function eachSpikeRow(
  at: { ranks: number; rowStart: number },
  l: { s: number; stop: number; a: number; k: number; end: number },
  row: number[],
): number[] {
  const get = localGet, set = localSet, times4 = TIMES_4;
  return [
    BLOCK, EMPTY, LOOP, EMPTY,
    ...get(l.s), ...get(l.stop), I32_GE_U, BR_IF, 1,
    // k = rowStart[pre], end = rowStart[pre + 1], pre = ranks[s]
    ...get(l.s), ...times4, I32_LOAD, ...memarg(2, at.ranks), ...times4, ...set(l.a),
    ...get(l.a), I32_LOAD, ...memarg(2, at.rowStart), ...set(l.k),
    ...get(l.a), I32_LOAD, ...memarg(2, at.rowStart + 4), ...set(l.end),
    ...row,
    ...get(l.s), I32_CONST, 1, I32_ADD, ...set(l.s),
    BR, 0, END, END,
  ];
}

/**
 * Whether the dense loop applies: every row strictly ascending (what its binary search relies on;
 * every connection method draws rows that way) and at most 1 − DENSE_FRACTION of the synapses
 * starting a run (the first of a row, or one not targeting the rank after its predecessor's).
 */
export function denseRows(csr: Pick<Csr, 'rowStart' | 'post'>): boolean {
  const { rowStart, post } = csr;
  const synapses = post.length;
  if (synapses === 0) return false;
  // Row starts count as breaks too: a break more than this and the answer is no (stop reading).
  const maxBreaks = (1 - DENSE_FRACTION) * synapses;
  let breaks = 0;
  for (let p = 0; p + 1 < rowStart.length; p++) {
    const start = rowStart[p]!;
    const end = rowStart[p + 1]!;
    if (end > start) breaks++;
    for (let k = start + 1; k < end; k++) {
      const step = post[k]! - post[k - 1]!;
      if (step <= 0) return false;
      if (step !== 1) breaks++;
    }
    if (breaks > maxBreaks) return false;
  }
  return true;
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
  const target = proj.target instanceof Float32Array ? 'f32' : 'f64';
  const bytes = wasmRows(at, target, memoryShape(memory), label, denseRows(proj.csr));
  return instantiate<(base: number, count: number) => void>(bytes, memory, 'deliverRows');
}
