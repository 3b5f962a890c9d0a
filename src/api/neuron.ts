/**
 * Neuron models as descriptions: `new Neuron({ parameters, equations, spike, reset, refractory })`
 * is parsed and checked at once (errors name the model, the line and the token) and compiled
 * into a kernel per population at `compile()`.
 */
import { SpikeworldError } from '../errors.js';
import type { Expr, NeuronSpec } from '../model/ast.js';
import { defineNeuron, type NeuronDescription } from '../model/analyze.js';
import * as builtins from '../model/builtins.js';

export type { NeuronDescription } from '../model/analyze.js';

/** Typed attributes of a population whose model declares the names `N`. */
export type StateOf<N extends string> = { [K in N]: Float64Array };

/**
 * A checked neuron model. The optional type argument lists its attribute names so that
 * populations get typed properties: `new Neuron<'v' | 'tau'>({ ... })`.
 */
export class Neuron<N extends string = never> {
  readonly spec: NeuronSpec;
  /** Phantom: carries the attribute names at the type level only. */
  declare readonly attributeNames?: N;

  constructor(description: NeuronDescription) {
    this.spec = defineNeuron(description);
    descriptions.set(this.spec, description);
  }

  get name(): string {
    return this.spec.name;
  }
}

/** A built-in model: usable as is, or called with parameter overrides. */
export type BuiltinNeuron<N extends string> = NeuronDescription & {
  (overrides?: Partial<Record<N, number>>): NeuronDescription & { readonly attributeNames?: N };
  readonly attributeNames?: N;
};

export type NeuronLike<N extends string> =
  | Neuron<N>
  | BuiltinNeuron<N>
  | (NeuronDescription & { readonly attributeNames?: N });

const specs = new WeakMap<object, NeuronSpec>();
/** The text each spec came from, for conditions written against the same model (simulateUntil). */
const descriptions = new WeakMap<NeuronSpec, NeuronDescription>();

export function toSpec(neuron: NeuronLike<string>): NeuronSpec {
  if (neuron instanceof Neuron) return neuron.spec;
  if ((typeof neuron !== 'object' && typeof neuron !== 'function') || neuron === null) {
    throw new SpikeworldError(
      `a population needs a neuron model (a Neuron, a built-in such as Izhikevich, or a description object), got ${String(neuron)}`,
    );
  }
  let spec = specs.get(neuron);
  if (!spec) {
    spec = defineNeuron(neuron);
    specs.set(neuron, spec);
    descriptions.set(spec, neuron);
  }
  return spec;
}

type IzhikevichNames = 'a' | 'b' | 'c' | 'd' | 'v_thresh' | 'i_offset' | 'noise' | 'tau_refrac' | 'v' | 'u' | 'I' | 'g_exc' | 'g_inh';
type IFCommon = 'v_rest' | 'cm' | 'tau_m' | 'tau_refrac' | 'tau_syn_E' | 'tau_syn_I' | 'v_thresh' | 'v_reset' | 'i_offset' | 'v' | 'g_exc' | 'g_inh';

/** Izhikevich (2003) as ANNarchy defines it; see README "Built-in models". */
export const Izhikevich = builtins.Izhikevich as unknown as BuiltinNeuron<IzhikevichNames>;
/** PyNN's current-based LIF with exponential synaptic currents. */
export const IF_curr_exp = builtins.IF_curr_exp as unknown as BuiltinNeuron<IFCommon>;
/** PyNN's conductance-based LIF with exponential conductances. */
export const IF_cond_exp = builtins.IF_cond_exp as unknown as BuiltinNeuron<IFCommon | 'e_rev_E' | 'e_rev_I'>;

/** Parses `text` as a condition over the names of `spec`'s model (its parameters and variables). */
export function parseCondition(spec: NeuronSpec, text: string): Expr {
  const description = descriptions.get(spec);
  if (!description) {
    throw new SpikeworldError(`model '${spec.name}' has no variables to test; use the stop condition 'spiked : any'`);
  }
  const { parameters, equations, reset, refractory } = description;
  const condition = defineNeuron({ name: `${spec.name} (stop condition)`, parameters, equations, reset, refractory, spike: text }).spike;
  return condition as Expr;
}
