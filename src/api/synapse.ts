/**
 * Built-in synapse models for spiking projections: ANNarchy's `STDP` and `STP`
 * (models/Synapses.py): `new Projection(pre, post, 'exc', STDP({ tau_plus: 20 }))`, or `STDP`
 * itself for its defaults. It is not a synapse language: the rules are hand-written
 * (src/world/plasticity.ts, src/world/stp.ts).
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

/**
 * ANNarchy's STP parameters with its defaults. `tau_rec` and `tau_facil` are `: projection` in
 * ANNarchy; its `U` is a per-synapse parameter, here one value per projection.
 */
export interface StpParameters {
  /** Recovery time constant of the resources x (ms), > 0: depression. Default 100. */
  tau_rec: number;
  /** Time constant of the utilisation u back to U (ms), > 0: facilitation. Default 0.01 (none to speak of). */
  tau_facil: number;
  /** Utilisation: u's resting value and increment factor, in [0, 1]. Default 0.5. */
  U: number;
}

/** A synapse model made by `STP(…)`. */
export interface StpSynapse {
  readonly type: 'STP';
  readonly parameters: Readonly<StpParameters>;
}

/** What a Projection takes as its synapse: `STDP(…)` or `STP(…)`, or `STDP` / `STP` for the defaults. */
export type SynapseModel = StdpSynapse | typeof STDP | StpSynapse | typeof STP;

/** @internal a projection's synapse model, checked (null: the default synapse, `g_target += w`). */
export type SynapseSpec = { type: 'STDP'; parameters: StdpParameters } | { type: 'STP'; parameters: StpParameters };

const DEFAULTS: StdpParameters = { tau_plus: 20, tau_minus: 20, A_plus: 0.01, A_minus: 0.01, w_min: 0, w_max: 1 };
const NAMES = Object.keys(DEFAULTS) as (keyof StdpParameters)[];
const STP_DEFAULTS: StpParameters = { tau_rec: 100, tau_facil: 0.01, U: 0.5 };
const STP_NAMES = Object.keys(STP_DEFAULTS) as (keyof StpParameters)[];

/** The defaults with the given values, each checked to be a finite number. */
function finiteNumbers<T extends object>(kind: string, given: Partial<T>, defaults: T, names: readonly (keyof T & string)[]): T {
  const values = { ...defaults };
  for (const name of names) {
    const v = given[name];
    if (v === undefined) continue;
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new SpikeworldError(`${kind}: ${name} must be a finite number, got ${describeValue(v)}`);
    }
    values[name] = v as T[keyof T & string];
  }
  return values;
}

/**
 * ANNarchy's spike-timing dependent plasticity, online version (Song and Abbott 2001), on
 * per-synapse traces decayed exactly between events:
 * - `tau_plus * dx/dt = -x`, `tau_minus * dy/dt = -y` (event-driven);
 * - pre_spike (when the spike arrives): `g_target += w; x += A_plus * w_max; w = clip(w + y, w_min, w_max)`;
 * - post_spike: `y -= A_minus * w_max; w = clip(w + x, w_min, w_max)`.
 */
export function STDP(parameters?: Partial<StdpParameters>): StdpSynapse {
  const values = finiteNumbers('STDP', optionsObject('STDP', parameters, NAMES), DEFAULTS, NAMES);
  for (const tau of ['tau_plus', 'tau_minus'] as const) {
    if (!(values[tau] > 0)) throw new SpikeworldError(`STDP: ${tau} must be > 0 (ms), got ${values[tau]}`);
  }
  if (!(values.w_min <= values.w_max)) {
    throw new SpikeworldError(`STDP: w_min must be <= w_max, got w_min = ${values.w_min} and w_max = ${values.w_max}`);
  }
  return Object.freeze({ type: 'STDP', parameters: Object.freeze(values) });
}

/**
 * Tsodyks-Markram short-term plasticity (ANNarchy's `STP`; Tsodyks, Uziel and Markram 2000), on
 * per-synapse resources x and utilisation u advanced exactly between a synapse's spikes:
 * - `dx/dt = (1 - x) / tau_rec` (init 1), `du/dt = (U - u) / tau_facil` (init U), event-driven;
 * - pre_spike (when the spike arrives): `g_target += w * u * x; x *= (1 - u); u += U * (1 - u)`.
 * The weights do not change; x and u are read with `proj.x`, `proj.u`.
 */
export function STP(parameters?: Partial<StpParameters>): StpSynapse {
  const values = finiteNumbers('STP', optionsObject('STP', parameters, STP_NAMES), STP_DEFAULTS, STP_NAMES);
  if (!(values.tau_rec > 0)) throw new SpikeworldError(`STP: tau_rec must be > 0 (ms), got ${values.tau_rec}`);
  if (!(values.tau_facil > 0)) {
    // ANNarchy's own check and advice (models/Synapses.py).
    throw new SpikeworldError(`STP: tau_facil must be > 0 (ms), got ${values.tau_facil}; for no facilitation choose a very small value (the default is 0.01)`);
  }
  if (!(values.U >= 0 && values.U <= 1)) {
    throw new SpikeworldError(`STP: U must be in [0, 1] (the fraction of the resources x a spike uses), got ${values.U}`);
  }
  return Object.freeze({ type: 'STP', parameters: Object.freeze(values) });
}

/**
 * @internal the synapse model a Projection's synapse argument stands for (null: the default
 * synapse, `g_target += w`); anything else is refused, naming what is accepted.
 */
export function synapseSpec(synapse: unknown, label: string): SynapseSpec | null {
  if (synapse === undefined || synapse === null) return null;
  if (synapse === STDP) return { type: 'STDP', parameters: { ...DEFAULTS } };
  if (synapse === STP) return { type: 'STP', parameters: { ...STP_DEFAULTS } };
  // Checked again: an object written by hand rather than made by STDP(…) or STP(…) (parameters that are not an object are refused there).
  const type = typeof synapse === 'object' ? (synapse as { type?: unknown }).type : undefined;
  if (type === 'STDP') return { type, parameters: { ...STDP((synapse as StdpSynapse).parameters).parameters } };
  if (type === 'STP') return { type, parameters: { ...STP((synapse as StpSynapse).parameters).parameters } };
  throw new SpikeworldError(
    `${label}: the synapse must be STDP(…) or STP(…) (or STDP / STP for their defaults), or left out for the default synapse (g_target += w); ` +
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
