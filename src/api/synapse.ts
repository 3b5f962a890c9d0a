/**
 * Built-in synapse models for spiking projections. Only ANNarchy's `STDP` (models/Synapses.py)
 * exists so far: `new Projection(pre, post, 'exc', STDP({ tau_plus: 20 }))`, or `STDP` itself for
 * its defaults. It is not a synapse language: the rule is hand-written (src/world/plasticity.ts).
 */
import { SpikeworldError } from '../errors.js';
import { optionsObject } from './options.js';

/** ANNarchy's STDP parameters (all `: projection`, one value per projection), with its defaults. */
export interface StdpParameters {
  /** Time constant of the presynaptic trace x (ms), > 0. Default 20. */
  tau_plus: number;
  /** Time constant of the postsynaptic trace y (ms), > 0. Default 20. */
  tau_minus: number;
  /** x += A_plus · w_max at each presynaptic spike's arrival. Default 0.01. */
  A_plus: number;
  /** y −= A_minus · w_max at each postsynaptic spike. Default 0.01. */
  A_minus: number;
  /** Weights are clipped to [w_min, w_max] after each change. Defaults 0 and 1. */
  w_min: number;
  w_max: number;
}

/** A synapse model made by `STDP(…)`. */
export interface StdpSynapse {
  readonly type: 'STDP';
  readonly parameters: Readonly<StdpParameters>;
}

/** What a Projection takes as its synapse: `STDP(…)`, or `STDP` for the defaults. */
export type SynapseModel = StdpSynapse | typeof STDP;

const DEFAULTS: StdpParameters = { tau_plus: 20, tau_minus: 20, A_plus: 0.01, A_minus: 0.01, w_min: 0, w_max: 1 };
const NAMES = Object.keys(DEFAULTS) as (keyof StdpParameters)[];

/**
 * ANNarchy's spike-timing dependent plasticity, online version (Song and Abbott 2001), on
 * per-synapse traces decayed exactly between events:
 * - `tau_plus * dx/dt = -x`, `tau_minus * dy/dt = -y` (event-driven);
 * - pre_spike (when the spike arrives): `g_target += w; x += A_plus * w_max; w = clip(w + y, w_min, w_max)`;
 * - post_spike: `y -= A_minus * w_max; w = clip(w + x, w_min, w_max)`.
 */
export function STDP(parameters?: Partial<StdpParameters>): StdpSynapse {
  const given = optionsObject('STDP', parameters, NAMES);
  const values = { ...DEFAULTS };
  for (const name of NAMES) {
    const v = given[name];
    if (v === undefined) continue;
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new SpikeworldError(`STDP: ${name} must be a finite number, got ${describeValue(v)}`);
    }
    values[name] = v;
  }
  for (const tau of ['tau_plus', 'tau_minus'] as const) {
    if (!(values[tau] > 0)) throw new SpikeworldError(`STDP: ${tau} must be > 0 (ms), got ${values[tau]}`);
  }
  if (!(values.w_min <= values.w_max)) {
    throw new SpikeworldError(`STDP: w_min must be <= w_max, got w_min = ${values.w_min} and w_max = ${values.w_max}`);
  }
  return Object.freeze({ type: 'STDP', parameters: Object.freeze(values) });
}

/**
 * @internal the STDP parameters a Projection's synapse argument stands for (null: the default
 * synapse, `g_target += w`); anything else is refused, naming what is accepted.
 */
export function synapseParameters(synapse: unknown, label: string): StdpParameters | null {
  if (synapse === undefined || synapse === null) return null;
  if (synapse === STDP) return { ...DEFAULTS };
  if (typeof synapse === 'object' && (synapse as { type?: unknown }).type === 'STDP') {
    // Checked again: an object written by hand rather than made by STDP(…) (parameters that are not an object are refused there).
    return { ...STDP((synapse as StdpSynapse).parameters).parameters };
  }
  throw new SpikeworldError(
    `${label}: the synapse must be STDP(…) (or STDP for its defaults), or left out for the default synapse (g_target += w); ` +
      `got ${describeValue(synapse)} (custom synapse models are not supported yet)`,
  );
}

function describeValue(v: unknown): string {
  if (typeof v === 'function') return `the function ${v.name || '(anonymous)'}`;
  if (typeof v === 'string') return JSON.stringify(v);
  if (v !== null && typeof v === 'object') {
    try {
      return JSON.stringify(v);
    } catch {
      return String(v);
    }
  }
  return String(v);
}
