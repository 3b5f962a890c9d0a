/**
 * Built-in neuron models, written in the same language as user models (one path, no special
 * cases). Definitions and defaults follow ANNarchy's `models/Neurons.py` (see
 * /work/shared/reference/annarchy-api.md §6 and semantics.md "Built-in Izhikevich").
 */
import { SpikeworldError } from '../errors.js';
import type { NeuronDescription } from './analyze.js';

/**
 * A built-in model: usable as a description as it is (`Izhikevich`), or called with parameter
 * overrides (`Izhikevich({ a: 0.1 })`) for a fresh description with other defaults.
 */
export type NeuronFactory = ((overrides?: Partial<Record<string, number>>) => NeuronDescription) &
  Readonly<NeuronDescription>;

type Values = Readonly<Record<string, number>>;
/** The parts of a description that depend on the parameter values (init values, mostly). */
type Body = (p: Values) => Omit<NeuronDescription, 'name' | 'parameters'>;

/** Izhikevich (2003) as ANNarchy defines it: explicit Euler, instantaneous g_exc / g_inh. */
export const Izhikevich: NeuronFactory = neuronFactory(
  'Izhikevich',
  { noise: 0, a: 0.02, b: 0.2, c: -65, d: 8, v_thresh: 30, i_offset: 0, tau_refrac: 0 },
  (p) => ({
    equations: [
      'I = g_exc - g_inh + noise * Normal(0.0, 1.0) + i_offset',
      `dv/dt = 0.04 * v^2 + 5.0 * v + 140.0 - u + I : init = ${p.c}`,
      // ANNarchy computes u's initial value from the constructor values, not per neuron.
      `du/dt = a * (b*v - u) : init = ${p.b * p.c}`,
    ].join('\n'),
    spike: 'v > v_thresh',
    reset: 'v = c\nu += d',
    refractory: 'tau_refrac',
  }),
);

const IF_DEFAULTS = {
  v_rest: -65, cm: 1, tau_m: 20, tau_refrac: 0, tau_syn_E: 5, tau_syn_I: 5,
  v_thresh: -50, v_reset: -65, i_offset: 0,
};

const EXPONENTIAL_SYNAPSES = [
  'tau_syn_E * dg_exc/dt = -g_exc : exponential',
  'tau_syn_I * dg_inh/dt = -g_inh : exponential',
];

/** PyNN's leaky integrate-and-fire with exponentially decaying current synapses. */
export const IF_curr_exp: NeuronFactory = neuronFactory('IF_curr_exp', IF_DEFAULTS, (p) => ({
  equations: [
    `cm * dv/dt = cm/tau_m*(v_rest - v) + g_exc - g_inh + i_offset : exponential, init = ${p.v_reset}`,
    ...EXPONENTIAL_SYNAPSES,
  ].join('\n'),
  spike: 'v > v_thresh',
  reset: 'v = v_reset',
  refractory: 'tau_refrac',
}));

/** PyNN's leaky integrate-and-fire with exponentially decaying conductance synapses. */
export const IF_cond_exp: NeuronFactory = neuronFactory(
  'IF_cond_exp',
  {
    v_rest: -65, cm: 1, tau_m: 20, tau_refrac: 0, tau_syn_E: 5, tau_syn_I: 5,
    e_rev_E: 0, e_rev_I: -70, v_thresh: -50, v_reset: -65, i_offset: 0,
  },
  (p) => ({
    equations: [
      'cm * dv/dt = cm/tau_m*(v_rest - v) + g_exc*(e_rev_E - v) + g_inh*(e_rev_I - v) + i_offset' +
        ` : exponential, init = ${p.v_reset}`,
      ...EXPONENTIAL_SYNAPSES,
    ].join('\n'),
    spike: 'v > v_thresh',
    reset: 'v = v_reset',
    refractory: 'tau_refrac',
  }),
);

// The models below are ANNarchy 4.x's `models/Neurons.py`, equations as written there (ANNarchy
// continues a line that assigns nothing, as HH_cond_exp's membrane equation does; so does our
// parser). Their parameters are listed in the order of ANNarchy's parameter text.

/** The alpha kernels: gmax normalises the peak of the response to a weight of 1 (it reads dt). */
const ALPHA_KERNELS = [
  'tau_syn_E * dalpha_exc/dt = gmax_exc * g_exc - alpha_exc  : exponential',
  'tau_syn_I * dalpha_inh/dt = gmax_inh * g_inh - alpha_inh  : exponential',
];
const ALPHA_GMAX = [
  'gmax_exc = exp((tau_syn_E - dt/2.0)/tau_syn_E)',
  'gmax_inh = exp((tau_syn_I - dt/2.0)/tau_syn_I)',
];

/** PyNN's leaky integrate-and-fire with alpha-shaped current synapses. */
export const IF_curr_alpha: NeuronFactory = neuronFactory('IF_curr_alpha', IF_DEFAULTS, (p) => ({
  equations: [
    ...ALPHA_GMAX,
    `cm * dv/dt = cm/tau_m*(v_rest -v)   + alpha_exc - alpha_inh + i_offset : exponential, init=${p.v_reset}`,
    ...EXPONENTIAL_SYNAPSES,
    ...ALPHA_KERNELS,
  ].join('\n'),
  spike: 'v > v_thresh',
  reset: 'v = v_reset',
  refractory: 'tau_refrac',
}));

/** PyNN's leaky integrate-and-fire with alpha-shaped conductance synapses. */
export const IF_cond_alpha: NeuronFactory = neuronFactory(
  'IF_cond_alpha',
  { ...IF_DEFAULTS, e_rev_E: 0, e_rev_I: -70 },
  (p) => ({
    equations: [
      ...ALPHA_GMAX,
      'cm * dv/dt = cm/tau_m*(v_rest -v)   + alpha_exc * (e_rev_E - v) + alpha_inh * (e_rev_I - v) + i_offset' +
        ` : exponential, init=${p.v_reset}`,
      ...EXPONENTIAL_SYNAPSES,
      ...ALPHA_KERNELS,
    ].join('\n'),
    spike: 'v > v_thresh',
    reset: 'v = v_reset',
    refractory: 'tau_refrac',
  }),
);

const EIF_DEFAULTS = {
  v_rest: -70.6, cm: 0.281, tau_m: 9.3667, tau_refrac: 0.1, tau_syn_E: 5, tau_syn_I: 5,
  e_rev_E: 0, e_rev_I: -80, tau_w: 144, a: 4, b: 0.0805, i_offset: 0, delta_T: 2,
  v_thresh: -50.4, v_reset: -70.6, v_spike: -40,
};

/** The adaptive exponential integrate-and-fire membrane (Brette & Gerstner 2005), explicit Euler. */
const EIF_MEMBRANE = (p: Values): string[] => [
  `tau_m * dv/dt = (v_rest - v +  delta_T * exp((v-v_thresh)/delta_T)) + tau_m/cm*(I - w) : init=${p.v_reset}`,
  'tau_w * dw/dt = a * (v - v_rest) / 1000.0 - w',
];

/** Adaptive exponential integrate-and-fire (AdEx) with exponential conductances. */
export const EIF_cond_exp_isfa_ista: NeuronFactory = neuronFactory('EIF_cond_exp_isfa_ista', EIF_DEFAULTS, (p) => ({
  equations: [
    'I = g_exc * (e_rev_E - v) + g_inh * (e_rev_I - v) + i_offset',
    ...EIF_MEMBRANE(p),
    ...EXPONENTIAL_SYNAPSES,
  ].join('\n'),
  spike: 'v > v_spike',
  // ANNarchy's docstring says `u += b`; its code (and PyNN) increments w.
  reset: 'v = v_reset\nw += b',
  refractory: 'tau_refrac',
}));

/** Adaptive exponential integrate-and-fire (AdEx) with alpha-shaped conductances. */
export const EIF_cond_alpha_isfa_ista: NeuronFactory = neuronFactory('EIF_cond_alpha_isfa_ista', EIF_DEFAULTS, (p) => ({
  equations: [
    ...ALPHA_GMAX,
    'I = alpha_exc * (e_rev_E - v) + alpha_inh * (e_rev_I - v) + i_offset',
    ...EIF_MEMBRANE(p),
    ...EXPONENTIAL_SYNAPSES,
    ...ALPHA_KERNELS,
  ].join('\n'),
  spike: 'v > v_spike',
  reset: 'v = v_reset\nw += b',
  refractory: 'tau_refrac',
}));

/**
 * Single-compartment Hodgkin-Huxley neuron with Traub's sodium and potassium channels. No reset
 * and no refractory period: the spike condition counts one spike per upward crossing of v_thresh.
 */
export const HH_cond_exp: NeuronFactory = neuronFactory(
  'HH_cond_exp',
  {
    gbar_Na: 20, gbar_K: 6, gleak: 0.01, cm: 0.2, v_offset: -63, e_rev_Na: 50, e_rev_K: -90,
    e_rev_leak: -65, e_rev_E: 0, e_rev_I: -80, tau_syn_E: 0.2, tau_syn_I: 2, i_offset: 0, v_thresh: 0,
  },
  (p) => ({
    equations: `
# Previous membrane potential
prev_v = v

# Voltage-dependent rate constants
an = 0.032 * (15.0 - v + v_offset) / (exp((15.0 - v + v_offset)/5.0) - 1.0)
am = 0.32  * (13.0 - v + v_offset) / (exp((13.0 - v + v_offset)/4.0) - 1.0)
ah = 0.128 * exp((17.0 - v + v_offset)/18.0)

bn = 0.5   * exp ((10.0 - v + v_offset)/40.0)
bm = 0.28  * (v - v_offset - 40.0) / (exp((v - v_offset - 40.0)/5.0) - 1.0)
bh = 4.0/(1.0 + exp (( 10.0 - v + v_offset )) )

# Activation variables
dn/dt = an * (1.0 - n) - bn * n : init = 0.0, exponential
dm/dt = am * (1.0 - m) - bm * m : init = 0.0, exponential
dh/dt = ah * (1.0 - h) - bh * h : init = 1.0, exponential

# Membrane equation
cm * dv/dt = gleak*(e_rev_leak -v) + gbar_K * n**4 * (e_rev_K - v) + gbar_Na * m**3 * h * (e_rev_Na - v)
    + g_exc * (e_rev_E - v) + g_inh * (e_rev_I - v) + i_offset: exponential, init=${p.e_rev_leak}

# Exponentially-decaying conductances
tau_syn_E * dg_exc/dt = - g_exc : exponential
tau_syn_I * dg_inh/dt = - g_inh : exponential
`,
    spike: '(v > v_thresh) and (prev_v <= v_thresh)',
    reset: '',
  }),
);

/** Builds the factory: a function that is also the (frozen) default description. */
function neuronFactory(name: string, defaults: Values, body: Body): NeuronFactory {
  const describe = (values: Values): NeuronDescription => ({
    name,
    // `String(x)` round-trips every finite double and the lexer reads all its forms (1e-7, -65).
    parameters: Object.entries(values).map(([key, value]) => `${key} = ${value}`).join('\n'),
    ...body(values),
  });
  const factory = (overrides?: Partial<Record<string, number>>): NeuronDescription =>
    describe(applyOverrides(name, defaults, overrides));
  for (const [key, value] of Object.entries(describe(defaults))) {
    // `name` replaces the function's own (configurable) name property.
    Object.defineProperty(factory, key, { value, enumerable: true, writable: false, configurable: false });
  }
  return Object.freeze(factory) as NeuronFactory;
}

function applyOverrides(name: string, defaults: Values, overrides: Partial<Record<string, number>> | undefined): Values {
  if (overrides === undefined) return defaults;
  if (typeof overrides !== 'object' || overrides === null || Array.isArray(overrides)) {
    throw new SpikeworldError(`${name}(overrides): overrides must be an object such as { ${Object.keys(defaults)[0]}: 1 }, got ${String(overrides)}`);
  }
  const values: Record<string, number> = { ...defaults };
  for (const [key, value] of Object.entries(overrides)) {
    if (!Object.hasOwn(defaults, key)) {
      throw new SpikeworldError(
        `${name} has no parameter '${key}'; its parameters are ${Object.keys(defaults).join(', ')}`,
      );
    }
    if (value === undefined) continue;
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw new SpikeworldError(`${name}: parameter '${key}' must be a finite number, got ${String(value)}`);
    }
    values[key] = value;
  }
  return values;
}
