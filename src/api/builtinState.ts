/**
 * Typed attributes of the built-in models: reading gives a copy, writing takes a number, one
 * value per neuron, or a distribution (TypeScript needs explicit accessors for that, so they are
 * listed here by hand; they must match src/model/builtins.ts).
 */
import type { Assignable } from './values.js';

/** Attributes of a population of `Izhikevich` neurons. */
export interface IzhikevichState {
  get a(): Float64Array;
  set a(value: Assignable);
  get b(): Float64Array;
  set b(value: Assignable);
  get c(): Float64Array;
  set c(value: Assignable);
  get d(): Float64Array;
  set d(value: Assignable);
  get v_thresh(): Float64Array;
  set v_thresh(value: Assignable);
  get i_offset(): Float64Array;
  set i_offset(value: Assignable);
  get noise(): Float64Array;
  set noise(value: Assignable);
  get tau_refrac(): Float64Array;
  set tau_refrac(value: Assignable);
  get v(): Float64Array;
  set v(value: Assignable);
  get u(): Float64Array;
  set u(value: Assignable);
  get I(): Float64Array;
  set I(value: Assignable);
  get g_exc(): Float64Array;
  set g_exc(value: Assignable);
  get g_inh(): Float64Array;
  set g_inh(value: Assignable);
}

/** Attributes of a population of `IF_curr_exp` neurons. */
export interface IFCurrExpState {
  get v_rest(): Float64Array;
  set v_rest(value: Assignable);
  get cm(): Float64Array;
  set cm(value: Assignable);
  get tau_m(): Float64Array;
  set tau_m(value: Assignable);
  get tau_refrac(): Float64Array;
  set tau_refrac(value: Assignable);
  get tau_syn_E(): Float64Array;
  set tau_syn_E(value: Assignable);
  get tau_syn_I(): Float64Array;
  set tau_syn_I(value: Assignable);
  get v_thresh(): Float64Array;
  set v_thresh(value: Assignable);
  get v_reset(): Float64Array;
  set v_reset(value: Assignable);
  get i_offset(): Float64Array;
  set i_offset(value: Assignable);
  get v(): Float64Array;
  set v(value: Assignable);
  get g_exc(): Float64Array;
  set g_exc(value: Assignable);
  get g_inh(): Float64Array;
  set g_inh(value: Assignable);
}

/** Attributes of a population of `IF_cond_exp` neurons. */
export interface IFCondExpState extends IFCurrExpState {
  get e_rev_E(): Float64Array;
  set e_rev_E(value: Assignable);
  get e_rev_I(): Float64Array;
  set e_rev_I(value: Assignable);
}

/** The parameters of each built-in model: what its overrides (`Izhikevich({ a: 0.1 })`) take. */
export const IZHIKEVICH_PARAMETERS = ['noise', 'a', 'b', 'c', 'd', 'v_thresh', 'i_offset', 'tau_refrac'] as const;
export const IF_CURR_EXP_PARAMETERS = ['v_rest', 'cm', 'tau_m', 'tau_refrac', 'tau_syn_E', 'tau_syn_I', 'v_thresh', 'v_reset', 'i_offset'] as const;
export const IF_COND_EXP_PARAMETERS = [...IF_CURR_EXP_PARAMETERS, 'e_rev_E', 'e_rev_I'] as const;
