/**
 * ANNarchy's STDP synapse (src/api/synapse.ts) on a projection's CSR synapses. Its state lives in
 * the world's arena beside the CSR: per synapse the traces x and y (float64) and the step of the
 * synapse's last event; the by-post index
 * (CSC: per post rank, its synapse ids) that post spikes walk; with a delay per synapse, the
 * synapse ids of each pre row grouped by delay (a spike's synapses are visited at their arrival).
 *
 * As ANNarchy's generated code: at an event that touches a synapse, x and y first decay exactly
 * from the synapse's last event (`x *= exp(dt * (last - t) / tau_plus)`), the event's step
 * becomes its last, then the rule's statements run in order. Pre events run in the input stage
 * of the step the spike arrives at (after its delay), post events after the spike stage of the
 * step the post neuron spiked in. Both are JS loops over typed arrays; weights stay float32.
 */
import type { Arena, ArenaPlan, Region, StateArray } from '../../components/arena.js';
import { byPost, byPreAndDelay, type Csr } from '../../components/csr.js';
import type { PopulationRuntime } from '../../components/runtime.js';
import type { StdpParameters } from '../api/synapse.js';

export interface PlasticLayout {
  x: Region<'f64'>;
  y: Region<'f64'>;
  lastEvent: Region<'i32'>;
  /** [1: weights learn, 0: they stay (disableLearning)]: in the arena, so every thread running the world sees it. */
  learning: Region<'i32'>;
  /** post size + 1 offsets into colSyn: the synapses of post rank q are colSyn[colStart[q] .. colStart[q + 1]). */
  colStart: Region<'u32'>;
  colSyn: Region<'u32'>;
  /** A delay per synapse only: the synapses of pre p with delay D (1..maxDelay) are delaySyn[delayStart[p·maxDelay + D − 1] ..]. */
  delayStart: Region<'u32'> | null;
  delaySyn: Region<'u32'> | null;
  maxDelay: number;
}

export interface PlasticViews {
  x: Float64Array;
  y: Float64Array;
  lastEvent: Int32Array;
  learning: Int32Array;
  colStart: Uint32Array;
  colSyn: Uint32Array;
  delayStart: Uint32Array | null;
  delaySyn: Uint32Array | null;
  maxDelay: number;
}

export function planPlastic(plan: ArenaPlan, preSize: number, postSize: number, synapses: number, maxDelay: number, perSynapseDelay: boolean): PlasticLayout {
  return {
    x: plan.reserve('f64', synapses),
    y: plan.reserve('f64', synapses),
    lastEvent: plan.reserve('i32', synapses),
    learning: plan.reserve('i32', 1),
    colStart: plan.reserve('u32', postSize + 1),
    colSyn: plan.reserve('u32', synapses),
    delayStart: perSynapseDelay ? plan.reserve('u32', preSize * maxDelay + 1) : null,
    delaySyn: perSynapseDelay ? plan.reserve('u32', synapses) : null,
    maxDelay,
  };
}

export function plasticViews(arena: Arena, l: PlasticLayout): PlasticViews {
  return {
    x: arena.view(l.x),
    y: arena.view(l.y),
    lastEvent: arena.view(l.lastEvent),
    learning: arena.view(l.learning),
    colStart: arena.view(l.colStart),
    colSyn: arena.view(l.colSyn),
    delayStart: l.delayStart ? arena.view(l.delayStart) : null,
    delaySyn: l.delaySyn ? arena.view(l.delaySyn) : null,
    maxDelay: l.maxDelay,
  };
}

/** At compile, once the CSR is in the arena: the by-post index, the by-delay groups and the learning switch (traces start at 0). */
export function fillPlastic(v: PlasticViews, csr: Csr, learning: boolean): void {
  v.learning[0] = learning ? 1 : 0;
  // Counting sorts: by post rank (ascending synapse id within a post), by (pre, delay).
  const { colStart, colSyn, delayStart, delaySyn, maxDelay } = v;
  byPost(csr.post, colStart.length - 1, colStart, colSyn);
  if (delayStart && delaySyn && csr.delaySteps) byPreAndDelay(csr.rowStart, csr.delaySteps, maxDelay, delayStart, delaySyn);
}

/**
 * reset(): traces and last events back to 0 (they are relative to the clock, which restarts). The
 * weights stay as learned, as ANNarchy's reset() leaves `w` (its projection reset skips it).
 */
export function resetTraces(v: PlasticViews): void {
  v.x.fill(0);
  v.y.fill(0);
  v.lastEvent.fill(0);
}

/** What a plastic projection's delivery and post events read. */
export interface PlasticProjection {
  pre: PopulationRuntime;
  post: PopulationRuntime;
  target: StateArray;
  csr: Csr;
  /** Uniform delay in steps, or 0 with a delay per synapse. */
  uniformDelaySteps: number;
  plastic: PlasticViews;
  stdp: StdpParameters;
  dt: number;
}

/**
 * The pre events of the spikes arriving at `step`: for each synapse, decay, `g_target += w`,
 * `x += A_plus * w_max`, `w = clip(w + y, w_min, w_max)` (the last only while learning is on: as
 * ANNarchy's `_plasticity` guards only the statements that change `w`, the traces move on).
 */
export function stdpDelivery(P: PlasticProjection): (step: number) => void {
  const ring = P.pre.ring, depth = ring.depth, size = ring.size, counts = ring.counts, ranks = ring.ranks;
  const { rowStart, post, w } = P.csr;
  const g = P.target, d = P.uniformDelaySteps, dt = P.dt, postEnabled = P.post.enabled;
  const { x, y, lastEvent, learning, delayStart, delaySyn, maxDelay } = P.plastic;
  const { tau_plus, tau_minus, A_plus, w_min, w_max } = P.stdp;
  const event = (k: number, step: number, learn: boolean): void => {
    const last = lastEvent[k] as number;
    const xk = (x[k] as number) * Math.exp((dt * (last - step)) / tau_plus);
    const yk = (y[k] as number) * Math.exp((dt * (last - step)) / tau_minus);
    lastEvent[k] = step;
    g[post[k] as number]! += w[k] as number;
    x[k] = xk + A_plus * w_max;
    y[k] = yk;
    // clip with Math.min/max: a ternary merging the weight with w_min / w_max (closure values) made
    // V8 box every new weight, a heap number per event (test/core/stdp.test.ts, allocation).
    if (learn) w[k] = Math.min(Math.max((w[k] as number) + yk, w_min), w_max);
  };
  if (d > 0) {
    return function deliverStdp(step: number): void {
      // A disabled post: no transmission and no pre event (ANNarchy's compute_psp is skipped whole).
      if (postEnabled[0] === 0) return;
      const emitted = step - d;
      if (emitted < 0) return;
      const learn = learning[0] !== 0;
      const slot = emitted % depth, count = counts[slot] as number, base = slot * size;
      for (let s = 0; s < count; s++) {
        const pre = ranks[base + s] as number, end = rowStart[pre + 1] as number;
        for (let k = rowStart[pre] as number; k < end; k++) event(k, step, learn);
      }
    };
  }
  const starts = delayStart!, ids = delaySyn!;
  return function deliverStdpDelayed(step: number): void {
    if (postEnabled[0] === 0) return;
    const learn = learning[0] !== 0;
    for (let D = 1; D <= maxDelay; D++) {
      const emitted = step - D;
      if (emitted < 0) break;
      const slot = emitted % depth, count = counts[slot] as number, base = slot * size;
      for (let s = 0; s < count; s++) {
        const b = (ranks[base + s] as number) * maxDelay + D - 1, end = starts[b + 1] as number;
        for (let j = starts[b] as number; j < end; j++) event(ids[j] as number, step, learn);
      }
    }
  };
}

/**
 * The post events of `step` for every plastic projection: for each post neuron that spiked at
 * `step`, each of its synapses: decay, `y -= A_minus * w_max`, `w = clip(w + x, w_min, w_max)`
 * (the last while learning is on).
 */
export function stdpPostEvents(projections: readonly PlasticProjection[]): (step: number) => void {
  const one = projections.map((P) => {
    const ring = P.post.ring, depth = ring.depth, size = ring.size, counts = ring.counts, ranks = ring.ranks;
    const w = P.csr.w, dt = P.dt;
    const { x, y, lastEvent, learning, colStart, colSyn } = P.plastic;
    const { tau_plus, tau_minus, A_minus, w_min, w_max } = P.stdp;
    return function postEvents(step: number): void {
      const slot = step % depth, count = counts[slot] as number, base = slot * size;
      const learn = learning[0] !== 0;
      for (let s = 0; s < count; s++) {
        const q = ranks[base + s] as number, end = colStart[q + 1] as number;
        for (let j = colStart[q] as number; j < end; j++) {
          const k = colSyn[j] as number;
          const last = lastEvent[k] as number;
          const xk = (x[k] as number) * Math.exp((dt * (last - step)) / tau_plus);
          const yk = (y[k] as number) * Math.exp((dt * (last - step)) / tau_minus);
          lastEvent[k] = step;
          x[k] = xk;
          y[k] = yk - A_minus * w_max;
          if (learn) w[k] = Math.min(Math.max((w[k] as number) + xk, w_min), w_max);
        }
      }
    };
  });
  if (one.length === 1) return one[0]!;
  return (step: number): void => {
    for (let i = 0; i < one.length; i++) one[i]!(step);
  };
}
