/**
 * ANNarchy's STP synapse (src/api/synapse.ts) on a projection's CSR synapses. Its state lives in
 * the world's arena beside the CSR: per synapse the resources x and the utilisation u (float64)
 * and the step of the synapse's last spike; with a delay per synapse, the synapse ids of each pre
 * row grouped by delay (a spike's synapses are visited at their arrival).
 *
 * As ANNarchy's generated pre-spike code: x and u first advance exactly from the synapse's last
 * event to this one (`x = 1 + (x − 1)·exp(dt·(last − t)/tau_rec)`, `u = U + (u − U)·exp(…/tau_facil)`),
 * the event's step becomes its last, then `g_target += w·u·x`, `x *= 1 − u`, `u += U·(1 − u)` in
 * that order. Events run in the input stage of the step the spike arrives at (after its delay),
 * in a JS loop over typed arrays. There are no post events: STP has no post_spike.
 */
import type { Arena, ArenaPlan, Region, StateArray } from '../../components/arena.js';
import { byPreAndDelay, type Csr } from '../../components/csr.js';
import type { PopulationRuntime } from '../../components/runtime.js';
import type { StpParameters } from '../api/synapse.js';

export interface StpLayout {
  x: Region<'f64'>;
  u: Region<'f64'>;
  lastEvent: Region<'i32'>;
  /** A delay per synapse only: the synapses of pre p with delay D (1..maxDelay) are delaySyn[delayStart[p·maxDelay + D − 1] ..]. */
  delayStart: Region<'u32'> | null;
  delaySyn: Region<'u32'> | null;
  maxDelay: number;
}

export interface StpViews {
  x: Float64Array;
  u: Float64Array;
  lastEvent: Int32Array;
  delayStart: Uint32Array | null;
  delaySyn: Uint32Array | null;
  maxDelay: number;
}

export function planStp(plan: ArenaPlan, preSize: number, synapses: number, maxDelay: number, perSynapseDelay: boolean): StpLayout {
  return {
    x: plan.reserve('f64', synapses),
    u: plan.reserve('f64', synapses),
    lastEvent: plan.reserve('i32', synapses),
    delayStart: perSynapseDelay ? plan.reserve('u32', preSize * maxDelay + 1) : null,
    delaySyn: perSynapseDelay ? plan.reserve('u32', synapses) : null,
    maxDelay,
  };
}

export function stpViews(arena: Arena, l: StpLayout): StpViews {
  return {
    x: arena.view(l.x),
    u: arena.view(l.u),
    lastEvent: arena.view(l.lastEvent),
    delayStart: l.delayStart ? arena.view(l.delayStart) : null,
    delaySyn: l.delaySyn ? arena.view(l.delaySyn) : null,
    maxDelay: l.maxDelay,
  };
}

/** At compile, once the CSR is in the arena: x and u at their init (1 and U), and the by-delay groups. */
export function fillStp(v: StpViews, csr: Csr, U: number): void {
  resetStp(v, U);
  if (v.delayStart && v.delaySyn && csr.delaySteps) byPreAndDelay(csr.rowStart, csr.delaySteps, v.maxDelay, v.delayStart, v.delaySyn);
}

/**
 * reset(): x and u back to their init (1 and U), last events to 0 (relative to the clock, which
 * restarts); as STDP's traces, whatever reset()'s `projections` says. The weights never change.
 */
export function resetStp(v: StpViews, U: number): void {
  v.x.fill(1);
  v.u.fill(U);
  v.lastEvent.fill(0);
}

/** What an STP projection's delivery reads. */
export interface StpProjection {
  pre: PopulationRuntime;
  /** The post population's enabled word: while 0 no event runs (ANNarchy's `if (_transmission && post._active)`). */
  postEnabled: Int32Array;
  target: StateArray;
  csr: Csr;
  /** Uniform delay in steps, or 0 with a delay per synapse. */
  uniformDelaySteps: number;
  stp: StpViews;
  parameters: StpParameters;
  dt: number;
}

/**
 * The events of the spikes arriving at `step`: for each synapse, advance x and u, then the
 * pre_spike statements. The decay factors exp(dt·(last − t)/tau) depend only on the synapse's
 * last event, which the synapses of one row share (with a delay per synapse: those of one delay),
 * so they are computed when it changes from one synapse to the next: two exp per row, not per
 * synapse (the same bits). Written out in both loops: a call passing the factors as doubles would
 * box them where V8 does not inline it.
 */
export function stpDelivery(P: StpProjection): (step: number) => void {
  const ring = P.pre.ring, depth = ring.depth, size = ring.size, counts = ring.counts, ranks = ring.ranks;
  const { rowStart, post, w } = P.csr;
  const g = P.target, d = P.uniformDelaySteps, dt = P.dt, postEnabled = P.postEnabled;
  const { x, u, lastEvent, delayStart, delaySyn, maxDelay } = P.stp;
  const { tau_rec, tau_facil, U } = P.parameters;
  if (d > 0) {
    return function deliverStp(step: number): void {
      // A disabled post: no transmission and no event (x and u stay), as STDP's pre events.
      if (postEnabled[0] === 0) return;
      const emitted = step - d;
      if (emitted < 0) return;
      const slot = emitted % depth, count = counts[slot] as number, base = slot * size;
      // Steps are >= 0: -1 is no synapse's last event.
      let seen = -1, fx = 1, fu = 1;
      for (let s = 0; s < count; s++) {
        const pre = ranks[base + s] as number, end = rowStart[pre + 1] as number;
        for (let k = rowStart[pre] as number; k < end; k++) {
          const last = lastEvent[k] as number;
          if (last !== seen) {
            // ANNarchy's steady + (v − steady)·exp(dt·(last − t)/tau), steady states 1 and U.
            seen = last;
            fx = Math.exp((dt * (last - step)) / tau_rec);
            fu = Math.exp((dt * (last - step)) / tau_facil);
          }
          const xk = 1 + ((x[k] as number) - 1) * fx;
          const uk = U + ((u[k] as number) - U) * fu;
          lastEvent[k] = step;
          g[post[k] as number]! += (w[k] as number) * uk * xk;
          x[k] = xk * (1 - uk);
          u[k] = uk + U * (1 - uk);
        }
      }
    };
  }
  const starts = delayStart!, ids = delaySyn!;
  return function deliverStpDelayed(step: number): void {
    if (postEnabled[0] === 0) return;
    let seen = -1, fx = 1, fu = 1;
    for (let D = 1; D <= maxDelay; D++) {
      const emitted = step - D;
      if (emitted < 0) break;
      const slot = emitted % depth, count = counts[slot] as number, base = slot * size;
      for (let s = 0; s < count; s++) {
        const b = (ranks[base + s] as number) * maxDelay + D - 1, end = starts[b + 1] as number;
        for (let j = starts[b] as number; j < end; j++) {
          const k = ids[j] as number;
          const last = lastEvent[k] as number;
          if (last !== seen) {
            seen = last;
            fx = Math.exp((dt * (last - step)) / tau_rec);
            fu = Math.exp((dt * (last - step)) / tau_facil);
          }
          const xk = 1 + ((x[k] as number) - 1) * fx;
          const uk = U + ((u[k] as number) - U) * fu;
          lastEvent[k] = step;
          g[post[k] as number]! += (w[k] as number) * uk * xk;
          x[k] = xk * (1 - uk);
          u[k] = uk + U * (1 - uk);
        }
      }
    }
  };
}
