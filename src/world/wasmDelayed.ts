/**
 * Spike delivery of a projection with a delay per synapse, as WebAssembly generated per
 * projection with its addresses and sizes folded in: `deliver(step)` does what the JS path
 * (DELAYED in delivery.ts) does, in the same order with the same operations, so the same bits.
 *
 * 1. The spikes of step − 1: each synapse adds its weight into the pending ring slot of its
 *    arrival step, pending[(step − 1 + delay[k]) % depth][post[k]] += w[k] (in double). The slot
 *    is one subtraction from the emitting step's, as delay[k] ≤ depth: no division per synapse.
 * 2. This step's slot is added into the conductances and emptied, two ranks per vector
 *    instruction (f64x2; a float conductance is widened, added in double and rounded back, as JS
 *    does on store). This drain is O(post size) per step and projection, and where it ran in JS
 *    it made per-synapse delays cost ~3× uniform ones on COBA. While the post population is
 *    disabled (its enabled word is 0) the slot is emptied without being added: those arrivals
 *    are dropped, as the JS path drops them.
 */
import type { ProjectionRuntime } from '../../components/runtime.js';
import {
  BLOCK, BR, BR_IF, ELSE, EMPTY, END, F32_DEMOTE_F64, F32_LOAD, F32_STORE, F32X4_DEMOTE_F64X2_ZERO, F64_ADD, f64Const, F64_LOAD,
  F64_PROMOTE_F32, F64_STORE, F64X2_ADD, F64X2_PROMOTE_LOW_F32X4, functionModule, I32, I32_ADD, I32_CONST, I32_GE_S, I32_GE_U,
  I32_GT_U, I32_LOAD, I32_LOAD16_U, I32_MUL, I32_REM_U, I32_SHL, I32_SUB, IF, instantiate, localGet, localSet, LOOP, memarg, memoryShape,
  SELECT, simd, sleb, TIMES_4, V128_CONST, V128_LOAD, V128_LOAD64_ZERO, V128_STORE, V128_STORE64_LANE,
} from '../wasm/encode.js';
import { eachSpikeRow } from './wasmDelivery.js';

export interface DelayedAddresses {
  /** Byte offsets in the world's memory. */
  counts: number;
  ranks: number;
  rowStart: number;
  post: number;
  w: number;
  delay: number;
  pending: number;
  target: number;
  /** The post population's enabled word. */
  postEnabled: number;
}

export interface DelayedShape {
  /** The pre population's spike ring: slots and ranks per slot. */
  ringDepth: number;
  ringSize: number;
  /** Pending ring slots (the longest delay in steps) and ranks per slot (the post size). */
  depth: number;
  postSize: number;
  target: 'f32' | 'f64';
}

/** `deliver(step)` for one projection (module bytes; instantiate with env.memory). */
export function wasmDelayed(at: DelayedAddresses, shape: DelayedShape, memory: { pages: number; shared: boolean }, label = 'a projection'): Uint8Array<ArrayBuffer> {
  // Parameter 0 (step); locals: emitted, s (rank index), stop, k (synapse), end, e (the emitting
  // step's pending slot), a (arrival slot, then addresses), q (post rank), p (this step's slot, bytes).
  const step = 0, emitted = 1, s = 2, stop = 3, k = 4, end = 5, e = 6, a = 7, q = 8, p = 9;
  const get = localGet, set = localSet, times4 = TIMES_4;
  const { ringDepth, ringSize, depth, postSize } = shape;
  const f32 = shape.target === 'f32';
  const scatter = [
    ...get(step), I32_CONST, 1, I32_SUB, ...set(emitted),
    ...get(emitted), I32_CONST, 0, I32_GE_S,
    IF, EMPTY,
    // slot = emitted % ringDepth; s = slot * ringSize; stop = s + counts[slot]
    ...get(emitted), I32_CONST, ...sleb(ringDepth), I32_REM_U, ...set(a),
    ...get(a), I32_CONST, ...sleb(ringSize), I32_MUL, ...set(s),
    ...get(s), ...get(a), ...times4, I32_LOAD, ...memarg(2, at.counts), I32_ADD, ...set(stop),
    ...get(emitted), I32_CONST, ...sleb(depth), I32_REM_U, ...set(e),
    ...eachSpikeRow(at, { s, stop, a, k, end }, [
      BLOCK, EMPTY, LOOP, EMPTY,
      ...get(k), ...get(end), I32_GE_U, BR_IF, 1,
      // a = e + delay[k], less depth where it passed the ring's end (select keeps the first where the test holds)
      ...get(e), ...get(k), I32_CONST, 1, I32_SHL, I32_LOAD16_U, ...memarg(1, at.delay), I32_ADD, ...set(a),
      ...get(a), I32_CONST, ...sleb(depth), I32_SUB, ...get(a), ...get(a), I32_CONST, ...sleb(depth), I32_GE_U, SELECT,
      // a = (slot * postSize + post[k]) * 8; pending[a] += w[k]
      I32_CONST, ...sleb(postSize), I32_MUL, ...get(k), ...times4, I32_LOAD, ...memarg(2, at.post), I32_ADD, I32_CONST, 3, I32_SHL, ...set(a),
      ...get(a), ...get(a), F64_LOAD, ...memarg(3, at.pending),
      ...get(k), ...times4, F32_LOAD, ...memarg(2, at.w), F64_PROMOTE_F32, F64_ADD,
      F64_STORE, ...memarg(3, at.pending),
      ...get(k), I32_CONST, 1, I32_ADD, ...set(k),
      BR, 0, END, END,
    ]),
    END,
  ];
  const zero = [...simd(V128_CONST), ...new Array<number>(16).fill(0)];
  // Ranks q, q + 1: g[q..q+1] += pending[p + q..]; pending[p + q..] = 0.
  const twoRanks = f32
    ? [
        ...get(q), ...times4,
        ...get(q), ...times4, ...simd(V128_LOAD64_ZERO), ...memarg(3, at.target), ...simd(F64X2_PROMOTE_LOW_F32X4),
        ...get(p), ...get(q), I32_CONST, 3, I32_SHL, I32_ADD, ...simd(V128_LOAD), ...memarg(3, at.pending),
        ...simd(F64X2_ADD), ...simd(F32X4_DEMOTE_F64X2_ZERO), ...simd(V128_STORE64_LANE), ...memarg(3, at.target), 0,
      ]
    : [
        ...get(q), I32_CONST, 3, I32_SHL,
        ...get(q), I32_CONST, 3, I32_SHL, ...simd(V128_LOAD), ...memarg(3, at.target),
        ...get(p), ...get(q), I32_CONST, 3, I32_SHL, I32_ADD, ...simd(V128_LOAD), ...memarg(3, at.pending),
        ...simd(F64X2_ADD), ...simd(V128_STORE), ...memarg(3, at.target),
      ];
  const clearTwo = [...get(p), ...get(q), I32_CONST, 3, I32_SHL, I32_ADD, ...zero, ...simd(V128_STORE), ...memarg(3, at.pending)];
  // The last rank of an odd post size.
  const lastRank = f32
    ? [
        ...get(q), ...times4,
        ...get(q), ...times4, F32_LOAD, ...memarg(2, at.target), F64_PROMOTE_F32,
        ...get(p), ...get(q), I32_CONST, 3, I32_SHL, I32_ADD, F64_LOAD, ...memarg(3, at.pending),
        F64_ADD, F32_DEMOTE_F64, F32_STORE, ...memarg(2, at.target),
      ]
    : [
        ...get(q), I32_CONST, 3, I32_SHL,
        ...get(q), I32_CONST, 3, I32_SHL, F64_LOAD, ...memarg(3, at.target),
        ...get(p), ...get(q), I32_CONST, 3, I32_SHL, I32_ADD, F64_LOAD, ...memarg(3, at.pending),
        F64_ADD, F64_STORE, ...memarg(3, at.target),
      ];
  // Over the slot's ranks two at a time, then the last rank of an odd post size.
  const eachRank = (two: number[], last: number[]) => [
    BLOCK, EMPTY, LOOP, EMPTY,
    ...get(q), I32_CONST, 2, I32_ADD, I32_CONST, ...sleb(postSize), I32_GT_U, BR_IF, 1,
    ...two,
    ...get(q), I32_CONST, 2, I32_ADD, ...set(q),
    BR, 0, END, END,
    ...(postSize % 2 === 1 ? [...last, ...get(p), ...get(q), I32_CONST, 3, I32_SHL, I32_ADD, ...f64Const(0), F64_STORE, ...memarg(3, at.pending)] : []),
  ];
  const drain = [
    // p = (step % depth) * postSize * 8
    ...get(step), I32_CONST, ...sleb(depth), I32_REM_U, I32_CONST, ...sleb(postSize * 8), I32_MUL, ...set(p),
    I32_CONST, 0, I32_LOAD, ...memarg(2, at.postEnabled),
    IF, EMPTY,
    ...eachRank([...twoRanks, ...clearTwo], lastRank),
    ELSE,
    ...eachRank(clearTwo, []),
    END,
  ];
  return functionModule({
    name: 'deliver',
    params: [I32],
    results: [],
    locals: [[9, I32]],
    body: [...scatter, ...drain],
    memory,
    debugName: `deliver ${label} (delays per synapse)`,
  });
}

/** The delivery of a projection with a delay per synapse, instantiated on `memory`; null for a uniform delay. */
export function wasmDelayedDelivery(proj: Omit<ProjectionRuntime, 'deliver'>, memory: WebAssembly.Memory, label: string): ((step: number) => void) | null {
  const { pending, csr } = proj;
  if (!pending || !csr.delaySteps) return null;
  const ring = proj.pre.ring;
  const at = {
    counts: ring.counts.byteOffset,
    ranks: ring.ranks.byteOffset,
    rowStart: csr.rowStart.byteOffset,
    post: csr.post.byteOffset,
    w: csr.w.byteOffset,
    delay: csr.delaySteps.byteOffset,
    pending: pending.values.byteOffset,
    target: proj.target.byteOffset,
    postEnabled: proj.postEnabled.byteOffset,
  };
  const shape = {
    ringDepth: ring.depth,
    ringSize: ring.size,
    depth: pending.depth,
    postSize: proj.target.length,
    target: proj.target instanceof Float32Array ? ('f32' as const) : ('f64' as const),
  };
  return instantiate<(step: number) => void>(wasmDelayed(at, shape, memoryShape(memory), label), memory, 'deliver');
}
