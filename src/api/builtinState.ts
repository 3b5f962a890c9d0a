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

/** The alpha kernels' variables (IF_curr_alpha, IF_cond_alpha, EIF_cond_alpha_isfa_ista). */
export interface AlphaKernelState {
  get gmax_exc(): Float64Array;
  set gmax_exc(value: Assignable);
  get gmax_inh(): Float64Array;
  set gmax_inh(value: Assignable);
  get alpha_exc(): Float64Array;
  set alpha_exc(value: Assignable);
  get alpha_inh(): Float64Array;
  set alpha_inh(value: Assignable);
}

/** Attributes of a population of `IF_curr_alpha` neurons. */
export interface IFCurrAlphaState extends IFCurrExpState, AlphaKernelState {}

/** Attributes of a population of `IF_cond_alpha` neurons. */
export interface IFCondAlphaState extends IFCondExpState, AlphaKernelState {}

/** Attributes of a population of `EIF_cond_exp_isfa_ista` neurons: IF_cond_exp's and the adaptation's. */
export interface EIFCondExpIsfaIstaState extends IFCondExpState {
  get tau_w(): Float64Array;
  set tau_w(value: Assignable);
  get a(): Float64Array;
  set a(value: Assignable);
  get b(): Float64Array;
  set b(value: Assignable);
  get delta_T(): Float64Array;
  set delta_T(value: Assignable);
  get v_spike(): Float64Array;
  set v_spike(value: Assignable);
  get I(): Float64Array;
  set I(value: Assignable);
  get w(): Float64Array;
  set w(value: Assignable);
}

/** Attributes of a population of `EIF_cond_alpha_isfa_ista` neurons. */
export interface EIFCondAlphaIsfaIstaState extends EIFCondExpIsfaIstaState, AlphaKernelState {}

/** Attributes of a population of `HH_cond_exp` neurons. */
export interface HHCondExpState {
  get gbar_Na(): Float64Array;
  set gbar_Na(value: Assignable);
  get gbar_K(): Float64Array;
  set gbar_K(value: Assignable);
  get gleak(): Float64Array;
  set gleak(value: Assignable);
  get cm(): Float64Array;
  set cm(value: Assignable);
  get v_offset(): Float64Array;
  set v_offset(value: Assignable);
  get e_rev_Na(): Float64Array;
  set e_rev_Na(value: Assignable);
  get e_rev_K(): Float64Array;
  set e_rev_K(value: Assignable);
  get e_rev_leak(): Float64Array;
  set e_rev_leak(value: Assignable);
  get e_rev_E(): Float64Array;
  set e_rev_E(value: Assignable);
  get e_rev_I(): Float64Array;
  set e_rev_I(value: Assignable);
  get tau_syn_E(): Float64Array;
  set tau_syn_E(value: Assignable);
  get tau_syn_I(): Float64Array;
  set tau_syn_I(value: Assignable);
  get i_offset(): Float64Array;
  set i_offset(value: Assignable);
  get v_thresh(): Float64Array;
  set v_thresh(value: Assignable);
  get prev_v(): Float64Array;
  set prev_v(value: Assignable);
  get an(): Float64Array;
  set an(value: Assignable);
  get am(): Float64Array;
  set am(value: Assignable);
  get ah(): Float64Array;
  set ah(value: Assignable);
  get bn(): Float64Array;
  set bn(value: Assignable);
  get bm(): Float64Array;
  set bm(value: Assignable);
  get bh(): Float64Array;
  set bh(value: Assignable);
  get n(): Float64Array;
  set n(value: Assignable);
  get m(): Float64Array;
  set m(value: Assignable);
  get h(): Float64Array;
  set h(value: Assignable);
  get v(): Float64Array;
  set v(value: Assignable);
  get g_exc(): Float64Array;
  set g_exc(value: Assignable);
  get g_inh(): Float64Array;
  set g_inh(value: Assignable);
}

/** The parameters of each built-in model: what its overrides (`Izhikevich({ a: 0.1 })`) take. */
export const IZHIKEVICH_PARAMETERS = ['noise', 'a', 'b', 'c', 'd', 'v_thresh', 'i_offset', 'tau_refrac'] as const;
export const IF_CURR_EXP_PARAMETERS = ['v_rest', 'cm', 'tau_m', 'tau_refrac', 'tau_syn_E', 'tau_syn_I', 'v_thresh', 'v_reset', 'i_offset'] as const;
export const IF_COND_EXP_PARAMETERS = [...IF_CURR_EXP_PARAMETERS, 'e_rev_E', 'e_rev_I'] as const;
export const IF_CURR_ALPHA_PARAMETERS = IF_CURR_EXP_PARAMETERS;
export const IF_COND_ALPHA_PARAMETERS = IF_COND_EXP_PARAMETERS;
export const EIF_PARAMETERS = [
  'v_rest', 'cm', 'tau_m', 'tau_refrac', 'tau_syn_E', 'tau_syn_I', 'e_rev_E', 'e_rev_I', 'tau_w', 'a', 'b', 'i_offset',
  'delta_T', 'v_thresh', 'v_reset', 'v_spike',
] as const;
export const HH_COND_EXP_PARAMETERS = [
  'gbar_Na', 'gbar_K', 'gleak', 'cm', 'v_offset', 'e_rev_Na', 'e_rev_K', 'e_rev_leak', 'e_rev_E', 'e_rev_I',
  'tau_syn_E', 'tau_syn_I', 'i_offset', 'v_thresh',
] as const;
