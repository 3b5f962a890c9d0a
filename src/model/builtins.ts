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
