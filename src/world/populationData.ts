/**
 * A population's data inside one world: its entity range, its model, and its fields — staging
 * arrays before compile, views into the world's arena after.
 */
import type { NeuronSpec } from '../model/ast.js';

export type PopulationKind = 'neuron' | 'poisson';

/** The state fields of a population: one Float64Array per parameter, variable and conductance. */
export type Fields = Record<string, Float64Array>;

export interface FieldInfo {
  /** 'parameter' fields can be folded into kernels; writes to them rebuild the kernel. */
  role: 'parameter' | 'variable' | 'conductance';
  /** One value for the whole population. */
  global: boolean;
}

export class PopulationData {
  /** First entity id of this population's contiguous range. */
  lo = 0;
  fields: Fields;
  readonly info: ReadonlyMap<string, FieldInfo>;

  constructor(
    readonly size: number,
    readonly kind: PopulationKind,
    readonly spec: NeuronSpec,
    fields?: Fields,
  ) {
    this.info = fieldInfo(spec);
    this.fields = fields ?? initialFields(spec, size, this.info);
  }

  get hi(): number {
    return this.lo + this.size;
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
  for (const p of spec.parameters) info.set(p.name, { role: 'parameter', global: p.global });
  for (const v of spec.variables) info.set(v.name, { role: v.conductance ? 'conductance' : 'variable', global: v.global });
  for (const t of spec.instantaneousTargets) info.set(`g_${t}`, { role: 'conductance', global: false });
  return info;
}

function initialFields(spec: NeuronSpec, size: number, info: ReadonlyMap<string, FieldInfo>): Fields {
  const fields: Fields = {};
  const params = new Map(spec.parameters.map((p) => [p.name, p.value]));
  for (const [name, i] of info) fields[name] = new Float64Array(i.global ? 1 : size);
  for (const p of spec.parameters) (fields[p.name] as Float64Array).fill(p.value);
  for (const v of spec.variables) {
    const init = typeof v.init === 'number' ? v.init : (params.get(v.init.param) ?? 0);
    (fields[v.name] as Float64Array).fill(init);
  }
  return fields;
}
