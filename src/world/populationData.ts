/**
 * A population's data inside one world: its entity range, its model, and its fields — staging
 * arrays before compile, views into the world's arena after.
 */
import type { StateArray } from '../../components/arena.js';
import type { NeuronSpec, ValueType } from '../model/ast.js';
import type { Precision } from '../model/plan.js';
import type { SpikeSchedule } from './spikeSchedule.js';
import type { TimedRates } from './timedRates.js';

export type { StateArray };

/** The variable that holds a spiking population's firing rate in Hz (computeFiringRate). */
export const FIRING_RATE = 'r';

export type PopulationKind = 'neuron' | 'poisson' | 'timedPoisson' | 'spikeSource';

/**
 * Storage of state: 'double' (float64, the default) or 'float' (float32: half the memory of the
 * state fields, and WebAssembly kernels do four neurons per instruction instead of two).
 * ANNarchy's `precision`.
 */
export type { Precision };

/** The state fields of a population: one array per parameter, variable and conductance. */
export type Fields = Record<string, StateArray>;

export interface FieldInfo {
  /**
   * 'parameter' fields can be folded into kernels; writes to them rebuild the kernel. 'rate': the
   * firing rate `r` every spiking population carries (firingRate.ts), read-only.
   */
  role: 'parameter' | 'variable' | 'conductance' | 'rate';
  /** One value for the whole population. */
  global: boolean;
  /** 'int' and 'bool' fields hold integers / 0 and 1 (the model's `: int`, `: bool`). */
  type: ValueType;
}

export class PopulationData {
  /** First entity id of this population's contiguous range. */
  lo = 0;
  /** The population's name (for the names of its generated functions in profiles). */
  name = 'a population';
  fields: Fields;
  readonly info: ReadonlyMap<string, FieldInfo>;
  /** A spike source array's spikes (kind 'spikeSource'); replaced, never modified, by a set. */
  schedule: SpikeSchedule | null = null;
  /** A timed Poisson population's rates and schedule (kind 'timedPoisson'); replaced, never modified, by a set. */
  timed: TimedRates | null = null;
  /** Whether the population computes (pop.enable() / disable()): before compile; after, the arena's word (World.enabled). */
  enabled = true;
  /** computeFiringRate's window before compile (null: not asked); the arena holds it after. */
  firingRate: { ms: number; steps: number } | null = null;

  constructor(
    readonly size: number,
    readonly kind: PopulationKind,
    readonly spec: NeuronSpec,
    readonly precision: Precision,
    fields?: Fields,
  ) {
    this.info = fieldInfo(spec);
    this.fields = fields ?? initialFields(spec, size, this.info, precision);
  }

  get hi(): number {
    return this.lo + this.size;
  }

  /** Whether `r` is the firing rate (false where the model defines an `r` of its own). */
  get countsRate(): boolean {
    return this.info.get(FIRING_RATE)?.role === 'rate';
  }

  /** Copies of the current values, for a clone in another world. */
  copyFields(): Fields {
    const out: Fields = {};
    for (const [name, values] of Object.entries(this.fields)) out[name] = values.slice();
    return out;
  }
}

function fieldInfo(spec: NeuronSpec): Map<string, FieldInfo> {
  const info = new Map<string, FieldInfo>();
  for (const p of spec.parameters) info.set(p.name, { role: 'parameter', global: p.global, type: p.type });
  for (const v of spec.variables) info.set(v.name, { role: v.conductance ? 'conductance' : 'variable', global: v.global, type: v.type });
  // Every spiking neuron carries r, after the model's variables (ANNarchy's AnalyseNeuron), unless the model names one r.
  if (!info.has(FIRING_RATE)) info.set(FIRING_RATE, { role: 'rate', global: false, type: 'float' });
  for (const t of spec.instantaneousTargets) info.set(`g_${t}`, { role: 'conductance', global: false, type: 'float' });
  return info;
}

function initialFields(spec: NeuronSpec, size: number, info: ReadonlyMap<string, FieldInfo>, precision: Precision): Fields {
  const fields: Fields = {};
  const params = new Map(spec.parameters.map((p) => [p.name, p.value]));
  const Storage = precision === 'float' ? Float32Array : Float64Array;
  for (const [name, i] of info) fields[name] = new Storage(i.global ? 1 : size);
  for (const p of spec.parameters) (fields[p.name] as StateArray).fill(p.value);
  for (const v of spec.variables) {
    const init = typeof v.init === 'number' ? v.init : (params.get(v.init.param) ?? 0);
    (fields[v.name] as StateArray).fill(init);
  }
  return fields;
}
