/**
 * Spike delivery, generated per projection. A JS row loop is a fresh, uniquely tagged function
 * each: V8 shares type feedback between functions of identical source. Measured on COBA (1 s,
 * quick bench): one shared loop over every projection varied between 0.14 and 0.23 s from run to
 * run, the per-projection functions stay at 0.13 s. Where WebAssembly runs the rows, the JS that
 * finds the ring slot is shared (one source): V8 then optimises it once per thread rather than
 * once per network (see kernels.ts).
 */
import type { ProjectionRuntime } from '../../components/runtime.js';

let counter = 0;

/**
 * `g_target += w` for the spikes due at `step`: uniform delay d reads the pre spikes of step - d.
 * While the post population is disabled (its enabled word E[0] is 0) they are dropped.
 */
const UNIFORM = `
  const ring = P.pre.ring, depth = ring.depth, size = ring.size, counts = ring.counts, ranks = ring.ranks;
  const rowStart = P.csr.rowStart, post = P.csr.post, w = P.csr.w, g = P.target, d = P.uniformDelaySteps;
  const E = P.postEnabled;
  return function deliver(step) {
    if (E[0] === 0) return;
    const emitted = step - d;
    if (emitted < 0) return;
    const slot = emitted % depth, count = counts[slot], base = slot * size;
    for (let s = 0; s < count; s++) {
      const pre = ranks[base + s], end = rowStart[pre + 1];
      for (let k = rowStart[pre]; k < end; k++) g[post[k]] += w[k];
    }
  };`;

/** The same with the row loop in WebAssembly (wasmDelivery.ts): JS only finds the ring slot. */
const UNIFORM_WASM = `
  const ring = P.pre.ring, depth = ring.depth, size = ring.size, counts = ring.counts, d = P.uniformDelaySteps;
  const rows = R, E = P.postEnabled;
  return function deliver(step) {
    if (E[0] === 0) return;
    const emitted = step - d;
    if (emitted < 0) return;
    const slot = emitted % depth, count = counts[slot];
    if (count > 0) rows(slot * size, count);
  };`;

/**
 * Per-synapse delays: the spikes of step - 1 are scattered into the pending ring at their
 * arrival steps, then what arrives now is added (or, while the post population is disabled,
 * dropped: the slot is emptied all the same, and spikes still in flight arrive once it is enabled).
 */
const DELAYED = `
  const ring = P.pre.ring, depth = ring.depth, size = ring.size, counts = ring.counts, ranks = ring.ranks;
  const rowStart = P.csr.rowStart, post = P.csr.post, w = P.csr.w, delay = P.csr.delaySteps, g = P.target;
  const pending = P.pending.values, pendingDepth = P.pending.depth, postSize = g.length, E = P.postEnabled;
  return function deliver(step) {
    const emitted = step - 1;
    if (emitted >= 0) {
      const slot = emitted % depth, count = counts[slot], base = slot * size;
      for (let s = 0; s < count; s++) {
        const pre = ranks[base + s], end = rowStart[pre + 1];
        for (let k = rowStart[pre]; k < end; k++) {
          pending[((emitted + delay[k]) % pendingDepth) * postSize + post[k]] += w[k];
        }
      }
    }
    const now = (step % pendingDepth) * postSize;
    if (E[0] === 0) {
      pending.fill(0, now, now + postSize);
      return;
    }
    for (let q = 0; q < postSize; q++) {
      g[q] += pending[now + q];
      pending[now + q] = 0;
    }
  };`;

/**
 * The deliver function of a projection; `rows` (a WebAssembly row loop on the same memory) takes
 * over the uniform-delay loop when given.
 */
export function buildDelivery(proj: Omit<ProjectionRuntime, 'deliver'>, rows: ((base: number, count: number) => void) | null): (step: number) => void {
  const body = proj.pending ? DELAYED : rows ? UNIFORM_WASM : UNIFORM;
  const tag = body === UNIFORM_WASM ? 'wasm' : `d${++counter}`;
  const source = `"use strict"; // spikeworld delivery ${tag}\n${body}`;
  return new Function('P', 'R', source)(proj, rows) as (step: number) => void;
}
