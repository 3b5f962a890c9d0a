/**
 * Neuron models as descriptions: `new Neuron({ parameters, equations, spike, reset, refractory })`
 * is parsed and checked at once (errors name the model, the line and the token) and compiled
 * into a kernel per population at `compile()`.
 */
import { ModelError, SpikeworldError } from '../errors.js';
import type { Expr, NeuronSpec } from '../model/ast.js';
import { defineNeuron, type NeuronDescription } from '../model/analyze.js';
import { checkPopulationStatements } from '../model/plan.js';
import * as builtins from '../model/builtins.js';
import { FIRING_RATE } from '../world/populationData.js';
import type {
  EIF_PARAMETERS, EIFCondAlphaIsfaIstaState, EIFCondExpIsfaIstaState, HH_COND_EXP_PARAMETERS, HHCondExpState,
  IF_COND_ALPHA_PARAMETERS, IF_COND_EXP_PARAMETERS, IF_CURR_ALPHA_PARAMETERS, IF_CURR_EXP_PARAMETERS, IZHIKEVICH_PARAMETERS,
  IFCondAlphaState, IFCondExpState, IFCurrAlphaState, IFCurrExpState, IzhikevichState,
} from './builtinState.js';

export type { NeuronDescription } from '../model/analyze.js';

/**
 * Typed attributes of a population whose model declares the names `N` (read-typed: write them
 * with `pop.set({ ... })` or `pop.get`; the built-ins have full accessor types).
 */
export type StateOf<N extends string> = { [K in N]: Float64Array };

/**
 * A checked neuron model. The optional type argument lists its attribute names so that
 * populations get typed properties: `new Neuron<'v' | 'tau'>({ ... })`.
 */
export class Neuron<N extends string = never> {
  readonly spec: NeuronSpec;
  /** Phantom: carries the population's attribute types at the type level only. */
  declare readonly stateType?: StateOf<N>;

  constructor(description: NeuronDescription) {
    this.spec = defineNeuron(description);
    checkSupported(this.spec);
    descriptions.set(this.spec, description);
  }

  get name(): string {
    return this.spec.name;
  }
}

/** A built-in model: usable as is, or called with overrides of its parameters `P`. `S` types its attributes. */
export type BuiltinNeuron<S extends object, P extends keyof S = keyof S> = NeuronDescription & {
  (overrides?: Partial<Record<P, number>>): NeuronDescription & { readonly stateType?: S };
  readonly stateType?: S;
};

/** Anything a population accepts as its model; `S` is the type of its attributes. */
export type NeuronLike<S extends object> = NeuronDescription & { readonly stateType?: S } | Neuron<never> & { readonly stateType?: S };

const specs = new WeakMap<object, NeuronSpec>();
/** The text each spec came from, for conditions written against the same model (simulateUntil). */
const descriptions = new WeakMap<NeuronSpec, NeuronDescription>();

/** What a parsed model must also be for the engine: said where it is defined, not at compile(). */
function checkSupported(spec: NeuronSpec): void {
  if (spec.spike === undefined) {
    throw new ModelError(spec.name, 1, 'spike', "no spike condition: rate-coded models are not supported yet; give one such as spike: 'v > v_thresh'");
  }
  checkPopulationStatements(spec);
}

/** The model of an input population that has no equations of its own (spike source arrays, timed Poisson input): its spikes come from the input stage. */
export function stateLessSpec(name: string): NeuronSpec {
  return Object.freeze({ name, parameters: [], variables: [], targets: [], instantaneousTargets: [], equations: [], reset: [] });
}

export function toSpec(neuron: NeuronLike<object>): NeuronSpec {
  if (neuron instanceof Neuron) return neuron.spec;
  if ((typeof neuron !== 'object' && typeof neuron !== 'function') || neuron === null) {
    throw new SpikeworldError(
      `a population needs a neuron model (a Neuron, a built-in such as Izhikevich, or a description object), got ${String(neuron)}`,
    );
  }
  let spec = specs.get(neuron);
  if (!spec) {
    spec = defineNeuron(neuron);
    checkSupported(spec);
    specs.set(neuron, spec);
    descriptions.set(spec, neuron);
  }
  return spec;
}


/** Izhikevich (2003) as ANNarchy defines it; see README "Built-in models". */
export const Izhikevich = builtins.Izhikevich as unknown as BuiltinNeuron<IzhikevichState, (typeof IZHIKEVICH_PARAMETERS)[number]>;
/** PyNN's current-based LIF with exponential synaptic currents. */
export const IF_curr_exp = builtins.IF_curr_exp as unknown as BuiltinNeuron<IFCurrExpState, (typeof IF_CURR_EXP_PARAMETERS)[number]>;
/** PyNN's conductance-based LIF with exponential conductances. */
export const IF_cond_exp = builtins.IF_cond_exp as unknown as BuiltinNeuron<IFCondExpState, (typeof IF_COND_EXP_PARAMETERS)[number]>;
/** PyNN's current-based LIF with alpha-shaped synaptic currents. */
export const IF_curr_alpha = builtins.IF_curr_alpha as unknown as BuiltinNeuron<IFCurrAlphaState, (typeof IF_CURR_ALPHA_PARAMETERS)[number]>;
/** PyNN's conductance-based LIF with alpha-shaped conductances. */
export const IF_cond_alpha = builtins.IF_cond_alpha as unknown as BuiltinNeuron<IFCondAlphaState, (typeof IF_COND_ALPHA_PARAMETERS)[number]>;
/** Adaptive exponential integrate-and-fire (Brette & Gerstner 2005) with exponential conductances. */
export const EIF_cond_exp_isfa_ista = builtins.EIF_cond_exp_isfa_ista as unknown as BuiltinNeuron<EIFCondExpIsfaIstaState, (typeof EIF_PARAMETERS)[number]>;
/** Adaptive exponential integrate-and-fire (Brette & Gerstner 2005) with alpha-shaped conductances. */
export const EIF_cond_alpha_isfa_ista = builtins.EIF_cond_alpha_isfa_ista as unknown as BuiltinNeuron<EIFCondAlphaIsfaIstaState, (typeof EIF_PARAMETERS)[number]>;
/** Hodgkin-Huxley with Traub's channels and exponential conductances (one spike per upward crossing of v_thresh). */
export const HH_cond_exp = builtins.HH_cond_exp as unknown as BuiltinNeuron<HHCondExpState, (typeof HH_COND_EXP_PARAMETERS)[number]>;

/**
 * Parses `text` as a condition over the names of `spec`'s model (its parameters and variables),
 * and over the firing rate `r` where `withRate` (a spiking population's r, not the model's own).
 */
export function parseCondition(spec: NeuronSpec, text: string, withRate: boolean): Expr {
  const description = descriptions.get(spec);
  if (!description && !withRate) {
    throw new SpikeworldError(`model '${spec.name}' has no variables to test; use the stop condition 'spiked : any'`);
  }
  const { parameters, equations, reset, refractory } = description ?? {};
  // r is no name of the model: declared here by an assignment so that the condition may read it
  // (only the condition of this definition is kept; its plan reads the population's field r).
  const withR = withRate ? [equations, `${FIRING_RATE} = 0`].filter((e) => e !== undefined && e.trim() !== '').join('\n') : equations;
  try {
    return defineNeuron({ name: `${spec.name} (stop condition)`, parameters, equations: withR, reset, refractory, spike: text }).spike as Expr;
  } catch (e) {
    // A spike source's "unknown name 'rates'" in a model it never wrote: say what it can test instead.
    if (description || !(e instanceof ModelError) || !/^[A-Za-z_]\w*$/.test(e.token)) throw e;
    throw new SpikeworldError(
      `model '${spec.name}' has no variables to test but r, its firing rate: the stop condition reads '${e.token}'; ` +
        `use 'r > 10 : any' (after computeFiringRate(windowMs)) or 'spiked : any'`,
    );
  }
}
