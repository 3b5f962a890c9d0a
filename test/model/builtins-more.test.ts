/**
 * ANNarchy's other spiking built-ins (ANNarchy 4.x `models/Neurons.py`): IF_curr_alpha,
 * IF_cond_alpha, EIF_cond_exp_isfa_ista, EIF_cond_alpha_isfa_ista, HH_cond_exp.
 *
 * Their definitions are checked against ANNarchy's defaults and equations; their dynamics against
 * numbers worked out by hand for the first steps and against a small re-implementation written
 * here from ANNarchy's equations (same methods: explicit Euler, and exponential Euler
 * `x += (1 - exp(-B·dt)) · (A/B - x)` for `dx/dt = A - B·x`; all derivatives of a block of ODEs
 * from the old values; while refractory only the `g_*` variables move). Every dynamic check runs
 * on the JS and the WebAssembly kernels, in double and in float.
 */
import { beforeEach, describe, expect, it } from 'vitest';

import {
  clear,
  compile,
  EIF_cond_alpha_isfa_ista,
  EIF_cond_exp_isfa_ista,
  HH_cond_exp,
  IF_cond_alpha,
  IF_curr_alpha,
  Monitor,
  Neuron,
  type NeuronDescription,
  Population,
  Projection,
  setup,
  simulate,
  SpikeworldError,
} from '../../src/index.js';
import { defineNeuron } from '../../src/model/analyze.js';
import { splitStatements } from '../../src/model/parser.js';
import { lex } from '../../src/model/lexer.js';

beforeEach(() => clear());

// ---------------------------------------------------------------------------------------------
// Running the engine

interface Backend {
  kernels: 'js' | 'auto';
  precision: 'double' | 'float';
}

const BACKENDS: Backend[] = [
  { kernels: 'js', precision: 'double' },
  { kernels: 'auto', precision: 'double' },
  { kernels: 'js', precision: 'float' },
  { kernels: 'auto', precision: 'float' },
];

interface EngineRun {
  /** traces[variable][neuron][step], recorded at the end of each step. */
  traces: Record<string, number[][]>;
  /** Spike steps per neuron. */
  spikes: number[][];
}

interface EngineOptions {
  steps: number;
  dt?: number;
  /** Four neurons: one SIMD vector in float, two in double. */
  size?: number;
  init?: Record<string, number | number[]>;
  /** A source spiking at step 0 only, all-to-all with this weight: it arrives at step 1. */
  pulse?: { target: 'exc' | 'inh'; weight: number };
  record: string[];
}

function runEngine(model: NeuronDescription, backend: Backend, o: EngineOptions): EngineRun {
  clear();
  const dt = o.dt ?? 0.1;
  setup({ dt, seed: 1, kernels: backend.kernels, precision: backend.precision });
  const size = o.size ?? 4;
  const pop = new Population(size, model);
  if (o.init) pop.set(o.init);
  if (o.pulse) {
    const source = new Population(1, new Neuron({ equations: 'x = t', spike: 'x == 0', reset: '' }));
    new Projection(source, pop, o.pulse.target).connectAllToAll({ weights: o.pulse.weight });
  }
  const m = new Monitor(pop, [...o.record, 'spike']);
  compile();
  expect(pop.kernelInfo?.backend).toBe(backend.kernels === 'js' ? 'js' : 'wasm');
  simulate(o.steps * dt);
  const data = m.get([...o.record, 'spike']) as Record<string, Float64Array[] | Int32Array[]>;
  const traces: Record<string, number[][]> = {};
  for (const v of o.record) {
    const rows = data[v] as Float64Array[];
    expect(rows.length).toBe(o.steps);
    traces[v] = Array.from({ length: size }, (_, i) => rows.map((r) => r[i]!));
  }
  return { traces, spikes: (data['spike'] as Int32Array[]).map((s) => Array.from(s)) };
}

/** Within rounding of the reference: double to ~1e-9, float to the float32 error of a few steps. */
function expectClose(actual: number, expected: number, precision: Backend['precision'], what: string): void {
  const tolerance = (precision === 'double' ? 1e-9 : 1e-4) * Math.max(1, Math.abs(expected));
  expect(Math.abs(actual - expected), `${what}: ${actual} vs ${expected}`).toBeLessThanOrEqual(tolerance);
}

function expectTrace(actual: number[], expected: number[], precision: Backend['precision'], what: string): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((x, k) => expectClose(x, expected[k]!, precision, `${what} at step ${k}`));
}

// ---------------------------------------------------------------------------------------------
// A re-implementation from ANNarchy's equations (linear forms solved by hand)

type State = Record<string, number>;

interface Reference {
  params: State;
  init: State;
  /** One step of the equations from the old state `s`: assignments in order, then the ODE block. */
  step(s: State, p: State, dt: number): State;
  spike(next: State, old: State, p: State): boolean;
  reset(s: State, p: State): void;
  refractory?: string;
}

/** Exponential Euler for dx/dt = A - B·x. */
const expEuler = (x: number, A: number, B: number, dt: number) => x + (1 - Math.exp(-B * dt)) * (A / B - x);

function simulateReference(
  ref: Reference, dt: number, steps: number,
  o: { params?: State; init?: State; input?: (step: number) => State | undefined } = {},
): { trace: State[]; spikes: number[] } {
  const p = { ...ref.params, ...o.params };
  let s: State = { ...ref.init, ...o.init };
  const trace: State[] = [];
  const spikes: number[] = [];
  const refractorySteps = ref.refractory === undefined ? 0 : Math.round(p[ref.refractory]! / dt);
  let left = 0;
  for (let k = 0; k < steps; k++) {
    for (const [key, value] of Object.entries(o.input?.(k) ?? {})) s[key]! += value;
    const next = ref.step(s, p, dt);
    if (left > 0) {
      // Refractory: only the conductances g_* move (ANNarchy's conductance_only update).
      s = { ...s, ...Object.fromEntries(Object.entries(next).filter(([key]) => key.startsWith('g_'))) };
      left--;
    } else {
      if (ref.spike(next, s, p)) {
        ref.reset(next, p);
        spikes.push(k);
        left = refractorySteps;
      }
      s = next;
    }
    trace.push({ ...s });
  }
  return { trace, spikes };
}

const column = (trace: State[], key: string) => trace.map((s) => s[key]!);

const IF_PARAMETERS = {
  v_rest: -65, cm: 1, tau_m: 20, tau_refrac: 0, tau_syn_E: 5, tau_syn_I: 5, v_thresh: -50, v_reset: -65, i_offset: 0,
};
const EIF_PARAMETERS = {
  v_rest: -70.6, cm: 0.281, tau_m: 9.3667, tau_refrac: 0.1, tau_syn_E: 5, tau_syn_I: 5, e_rev_E: 0, e_rev_I: -80,
  tau_w: 144, a: 4, b: 0.0805, i_offset: 0, delta_T: 2, v_thresh: -50.4, v_reset: -70.6, v_spike: -40,
};
const HH_PARAMETERS = {
  gbar_Na: 20, gbar_K: 6, gleak: 0.01, cm: 0.2, v_offset: -63, e_rev_Na: 50, e_rev_K: -90, e_rev_leak: -65,
  e_rev_E: 0, e_rev_I: -80, tau_syn_E: 0.2, tau_syn_I: 2, i_offset: 0, v_thresh: 0,
};

/** gmax = exp((tau - dt/2)/tau), the alpha kernels' ODEs, and the exponential g's. */
function alphaKernels(s: State, p: State, dt: number): State {
  const gmax_exc = Math.exp((p.tau_syn_E! - dt / 2) / p.tau_syn_E!);
  const gmax_inh = Math.exp((p.tau_syn_I! - dt / 2) / p.tau_syn_I!);
  return {
    gmax_exc, gmax_inh,
    g_exc: expEuler(s.g_exc!, 0, 1 / p.tau_syn_E!, dt),
    g_inh: expEuler(s.g_inh!, 0, 1 / p.tau_syn_I!, dt),
    // tau * dalpha/dt = gmax * g - alpha: A = gmax*g/tau, B = 1/tau (g: the old value).
    alpha_exc: expEuler(s.alpha_exc!, gmax_exc * s.g_exc! / p.tau_syn_E!, 1 / p.tau_syn_E!, dt),
    alpha_inh: expEuler(s.alpha_inh!, gmax_inh * s.g_inh! / p.tau_syn_I!, 1 / p.tau_syn_I!, dt),
  };
}

const ALPHA_INIT = { gmax_exc: 0, gmax_inh: 0, g_exc: 0, g_inh: 0, alpha_exc: 0, alpha_inh: 0 };

const REF_IF_CURR_ALPHA: Reference = {
  params: IF_PARAMETERS,
  init: { v: -65, ...ALPHA_INIT },
  step(s, p, dt) {
    // cm * dv/dt = cm/tau_m*(v_rest - v) + alpha_exc - alpha_inh + i_offset
    const A = p.v_rest! / p.tau_m! + (s.alpha_exc! - s.alpha_inh! + p.i_offset!) / p.cm!;
    return { ...alphaKernels(s, p, dt), v: expEuler(s.v!, A, 1 / p.tau_m!, dt) };
  },
  spike: (s, _, p) => s.v! > p.v_thresh!,
  reset: (s, p) => { s.v = p.v_reset!; },
  refractory: 'tau_refrac',
};

const REF_IF_COND_ALPHA: Reference = {
  ...REF_IF_CURR_ALPHA,
  params: { ...IF_PARAMETERS, e_rev_E: 0, e_rev_I: -70 },
  step(s, p, dt) {
    // cm * dv/dt = cm/tau_m*(v_rest - v) + alpha_exc*(e_rev_E - v) + alpha_inh*(e_rev_I - v) + i_offset
    const A = p.v_rest! / p.tau_m! + (s.alpha_exc! * p.e_rev_E! + s.alpha_inh! * p.e_rev_I! + p.i_offset!) / p.cm!;
    const B = 1 / p.tau_m! + (s.alpha_exc! + s.alpha_inh!) / p.cm!;
    return { ...alphaKernels(s, p, dt), v: expEuler(s.v!, A, B, dt) };
  },
};

/** AdEx: explicit Euler on v and w from the old values, with the input current I. */
function adex(s: State, p: State, dt: number, I: number): State {
  const dv = ((p.v_rest! - s.v! + p.delta_T! * Math.exp((s.v! - p.v_thresh!) / p.delta_T!)) + p.tau_m! / p.cm! * (I - s.w!)) / p.tau_m!;
  const dw = (p.a! * (s.v! - p.v_rest!) / 1000 - s.w!) / p.tau_w!;
  return { I, v: s.v! + dt * dv, w: s.w! + dt * dw };
}

const REF_EIF_EXP: Reference = {
  params: EIF_PARAMETERS,
  init: { I: 0, v: -70.6, w: 0, g_exc: 0, g_inh: 0 },
  step(s, p, dt) {
    const I = s.g_exc! * (p.e_rev_E! - s.v!) + s.g_inh! * (p.e_rev_I! - s.v!) + p.i_offset!;
    return {
      ...adex(s, p, dt, I),
      g_exc: expEuler(s.g_exc!, 0, 1 / p.tau_syn_E!, dt),
      g_inh: expEuler(s.g_inh!, 0, 1 / p.tau_syn_I!, dt),
    };
  },
  spike: (s, _, p) => s.v! > p.v_spike!,
  reset: (s, p) => { s.v = p.v_reset!; s.w! += p.b!; },
  refractory: 'tau_refrac',
};

const REF_EIF_ALPHA: Reference = {
  ...REF_EIF_EXP,
  init: { I: 0, v: -70.6, w: 0, ...ALPHA_INIT },
  step(s, p, dt) {
    const I = s.alpha_exc! * (p.e_rev_E! - s.v!) + s.alpha_inh! * (p.e_rev_I! - s.v!) + p.i_offset!;
    return { ...adex(s, p, dt, I), ...alphaKernels(s, p, dt) };
  },
};

/** Traub's rate functions as ANNarchy writes them (bh included: exp(10 - v + v_offset), no /5). */
function rates(v: number, p: State): State {
  const o = p.v_offset!;
  return {
    an: 0.032 * (15 - v + o) / (Math.exp((15 - v + o) / 5) - 1),
    am: 0.32 * (13 - v + o) / (Math.exp((13 - v + o) / 4) - 1),
    ah: 0.128 * Math.exp((17 - v + o) / 18),
    bn: 0.5 * Math.exp((10 - v + o) / 40),
    bm: 0.28 * (v - o - 40) / (Math.exp((v - o - 40) / 5) - 1),
    bh: 4 / (1 + Math.exp(10 - v + o)),
  };
}

const REF_HH: Reference = {
  params: HH_PARAMETERS,
  init: { prev_v: 0, an: 0, am: 0, ah: 0, bn: 0, bm: 0, bh: 0, n: 0, m: 0, h: 1, v: -65, g_exc: 0, g_inh: 0 },
  step(s, p, dt) {
    const r = rates(s.v!, p);
    const gK = p.gbar_K! * s.n! ** 4;
    const gNa = p.gbar_Na! * s.m! ** 3 * s.h!;
    // cm * dv/dt = gleak*(E_leak - v) + gK*(E_K - v) + gNa*(E_Na - v) + g_exc*(E_E - v) + g_inh*(E_I - v) + i_offset
    const A = (p.gleak! * p.e_rev_leak! + gK * p.e_rev_K! + gNa * p.e_rev_Na! + s.g_exc! * p.e_rev_E! + s.g_inh! * p.e_rev_I! + p.i_offset!) / p.cm!;
    const B = (p.gleak! + gK + gNa + s.g_exc! + s.g_inh!) / p.cm!;
    return {
      prev_v: s.v!, ...r,
      // dx/dt = ax*(1 - x) - bx*x: A = ax, B = ax + bx.
      n: expEuler(s.n!, r.an!, r.an! + r.bn!, dt),
      m: expEuler(s.m!, r.am!, r.am! + r.bm!, dt),
      h: expEuler(s.h!, r.ah!, r.ah! + r.bh!, dt),
      v: expEuler(s.v!, A, B, dt),
      g_exc: expEuler(s.g_exc!, 0, 1 / p.tau_syn_E!, dt),
      g_inh: expEuler(s.g_inh!, 0, 1 / p.tau_syn_I!, dt),
    };
  },
  spike: (s, _, p) => s.v! > p.v_thresh! && s.prev_v! <= p.v_thresh!,
  reset: () => {},
};

// ---------------------------------------------------------------------------------------------
// Definitions

function parameterValues(model: NeuronDescription): Record<string, number> {
  return Object.fromEntries(defineNeuron(model).parameters.map((p) => [p.name, p.value]));
}

function methods(model: NeuronDescription): [string, string][] {
  return defineNeuron(model).equations.map((s) => [s.target, s.kind === 'ode' ? s.method : 'assign']);
}

describe("definitions: ANNarchy's parameters, variables, methods, spike, reset and refractory", () => {
  it('IF_curr_alpha and IF_cond_alpha', () => {
    expect(parameterValues(IF_curr_alpha)).toEqual(IF_PARAMETERS);
    expect(parameterValues(IF_cond_alpha)).toEqual({ ...IF_PARAMETERS, e_rev_E: 0, e_rev_I: -70 });
    for (const model of [IF_curr_alpha, IF_cond_alpha]) {
      const spec = defineNeuron(model);
      expect(methods(model)).toEqual([
        ['gmax_exc', 'assign'], ['gmax_inh', 'assign'], ['v', 'exponential'], ['g_exc', 'exponential'],
        ['g_inh', 'exponential'], ['alpha_exc', 'exponential'], ['alpha_inh', 'exponential'],
      ]);
      expect(spec.variables.map((v) => [v.name, v.init])).toEqual([
        ['gmax_exc', 0], ['gmax_inh', 0], ['v', -65], ['g_exc', 0], ['g_inh', 0], ['alpha_exc', 0], ['alpha_inh', 0],
      ]);
      expect(spec.instantaneousTargets).toEqual([]);
      expect(spec.spike).toEqual(defineNeuron({ parameters: { v: 0, v_thresh: 0 }, spike: 'v > v_thresh' }).spike);
      expect(spec.reset.map((s) => [s.target, s.kind === 'assign' ? s.op : s.kind])).toEqual([['v', '=']]);
      expect(spec.refractory).toBe('tau_refrac');
      expect(defineNeuron(model({ v_reset: -60 })).variables.find((v) => v.name === 'v')!.init).toBe(-60);
    }
    expect(() => IF_curr_alpha({ e_rev_E: 0 } as never)).toThrow(/'e_rev_E'/);
    expect(() => IF_curr_alpha({ e_rev_E: 0 } as never)).toThrow(SpikeworldError);
  });

  it('EIF_cond_exp_isfa_ista and EIF_cond_alpha_isfa_ista', () => {
    expect(parameterValues(EIF_cond_exp_isfa_ista)).toEqual(EIF_PARAMETERS);
    expect(parameterValues(EIF_cond_alpha_isfa_ista)).toEqual(EIF_PARAMETERS);
    expect(methods(EIF_cond_exp_isfa_ista)).toEqual([
      ['I', 'assign'], ['v', 'explicit'], ['w', 'explicit'], ['g_exc', 'exponential'], ['g_inh', 'exponential'],
    ]);
    expect(methods(EIF_cond_alpha_isfa_ista)).toEqual([
      ['gmax_exc', 'assign'], ['gmax_inh', 'assign'], ['I', 'assign'], ['v', 'explicit'], ['w', 'explicit'],
      ['g_exc', 'exponential'], ['g_inh', 'exponential'], ['alpha_exc', 'exponential'], ['alpha_inh', 'exponential'],
    ]);
    for (const model of [EIF_cond_exp_isfa_ista, EIF_cond_alpha_isfa_ista]) {
      const spec = defineNeuron(model);
      expect(spec.variables.find((v) => v.name === 'v')!.init).toBe(-70.6);
      expect(spec.spike).toEqual({ kind: 'binary', op: '>', left: { kind: 'name', name: 'v' }, right: { kind: 'name', name: 'v_spike' } });
      // ANNarchy's docstring says `u += b`; its code increments w.
      expect(spec.reset.map((s) => [s.target, s.kind === 'assign' ? s.op : s.kind])).toEqual([['v', '='], ['w', '+=']]);
      expect(spec.refractory).toBe('tau_refrac');
      expect(defineNeuron(model({ v_reset: -60 })).variables.find((v) => v.name === 'v')!.init).toBe(-60);
    }
  });

  it('HH_cond_exp', () => {
    expect(parameterValues(HH_cond_exp)).toEqual(HH_PARAMETERS);
    const spec = defineNeuron(HH_cond_exp);
    expect(methods(HH_cond_exp)).toEqual([
      ['prev_v', 'assign'], ['an', 'assign'], ['am', 'assign'], ['ah', 'assign'], ['bn', 'assign'], ['bm', 'assign'],
      ['bh', 'assign'], ['n', 'exponential'], ['m', 'exponential'], ['h', 'exponential'], ['v', 'exponential'],
      ['g_exc', 'exponential'], ['g_inh', 'exponential'],
    ]);
    expect(Object.fromEntries(spec.variables.map((v) => [v.name, v.init]))).toEqual(
      { prev_v: 0, an: 0, am: 0, ah: 0, bn: 0, bm: 0, bh: 0, n: 0, m: 0, h: 1, v: -65, g_exc: 0, g_inh: 0 },
    );
    expect(spec.spike).toMatchObject({
      kind: 'binary', op: 'and',
      left: { op: '>', left: { name: 'v' }, right: { name: 'v_thresh' } },
      right: { op: '<=', left: { name: 'prev_v' }, right: { name: 'v_thresh' } },
    });
    expect(spec.reset).toEqual([]);
    expect(spec.refractory).toBeUndefined();
    expect(defineNeuron(HH_cond_exp({ e_rev_leak: -70 })).variables.find((v) => v.name === 'v')!.init).toBe(-70);
  });
});

describe('the model language: a line that starts with an operator continues the statement before it (as in ANNarchy)', () => {
  const ctx = { model: 'M', field: 'equations' };
  const texts = (text: string): string[] =>
    splitStatements(lex(text, ctx), ctx).map((s) => s.filter((t) => t.kind !== 'eof').map((t) => t.text).join(' '));

  it('joins a leading + - * / ^ ** comparison and/or line, flags included', () => {
    expect(texts('a = 1\n  + b : init = 2\nc = d\n  * e\n  ** 2\nf = (g > 1)\n and (h < 2)\nk = 3\n  - 4')).toEqual([
      'a = 1 + b : init = 2', 'c = d * e ** 2', 'f = ( g > 1 ) and ( h < 2 )', 'k = 3 - 4',
    ]);
  });

  it('keeps a line that assigns before its flags as a statement of its own', () => {
    expect(texts('x = 1\n-dv/dt = v : init = 1\ny = 2\n-dw/dt = (w) : exponential')).toEqual([
      'x = 1', '- dv / dt = v : init = 1', 'y = 2', '- dw / dt = ( w ) : exponential',
    ]);
  });

  it('parses ANNarchy\'s two-line membrane equation of HH_cond_exp as one ODE with its flags', () => {
    const spec = defineNeuron({
      parameters: { tau: 10, E: 1 },
      equations: 'tau * dv/dt = E - v\n    + 2 * E : exponential, init = -3\nprev = v',
      spike: '(v > E)\n  and (prev <= E)',
    });
    expect(spec.equations.map((s) => [s.kind, s.target])).toEqual([['ode', 'v'], ['assign', 'prev']]);
    expect(spec.variables.find((v) => v.name === 'v')!.init).toBe(-3);
    expect(spec.spike).toMatchObject({ op: 'and' });
  });
});

// ---------------------------------------------------------------------------------------------
// Dynamics, on every back end

describe.each(BACKENDS)('dynamics ($kernels kernels, $precision)', (backend) => {
  const { precision } = backend;

  describe('IF_curr_alpha', () => {
    it('a spike through a projection: g_exc jumps by w, alpha_exc rises from it (gmax reads dt), v follows a step later', () => {
      const w = 0.5;
      const run = runEngine(IF_curr_alpha, backend, { steps: 80, pulse: { target: 'exc', weight: w }, record: ['g_exc', 'alpha_exc', 'gmax_exc', 'v'] });
      const dt = 0.1, tau = 5;
      const decay = Math.exp(-dt / tau);
      const gmax = Math.exp((tau - dt / 2) / tau); // e^0.99
      // By hand: step 0 nothing; step 1: g = w arrives, decays once; alpha from the old g (= w).
      expectClose(run.traces.gmax_exc![0]![0]!, gmax, precision, 'gmax_exc');
      expect(run.traces.g_exc![0]!.slice(0, 1)).toEqual([0]);
      expectClose(run.traces.g_exc![0]![1]!, w * decay, precision, 'g_exc, step 1');
      const alpha1 = (1 - decay) * gmax * w;
      expectClose(run.traces.alpha_exc![0]![1]!, alpha1, precision, 'alpha_exc, step 1');
      expectClose(run.traces.alpha_exc![0]![2]!, alpha1 + (1 - decay) * (gmax * w * decay - alpha1), precision, 'alpha_exc, step 2');
      // v moves only with the old alpha: unchanged at step 1, up by (1 - e^-dt/tau_m)·tau_m/cm·alpha1 at step 2.
      expect(run.traces.v![0]![1]).toBe(-65);
      expectClose(run.traces.v![0]![2]!, -65 + (1 - Math.exp(-dt / 20)) * 20 * alpha1, precision, 'v, step 2');
      // The whole trace against the re-implementation; the kernel's peak is w, about tau_syn_E after the arrival.
      const ref = simulateReference(REF_IF_CURR_ALPHA, dt, 80, { input: (k) => (k === 1 ? { g_exc: w } : undefined) });
      for (const key of ['g_exc', 'alpha_exc', 'v']) expectTrace(run.traces[key]![3]!, column(ref.trace, key), precision, key);
      const alpha = run.traces.alpha_exc![0]!;
      const peak = alpha.indexOf(Math.max(...alpha));
      expect(peak - 1).toBeGreaterThanOrEqual(49);
      expect(peak - 1).toBeLessThanOrEqual(51);
      expect(Math.abs(alpha[peak]! - w) / w).toBeLessThan(2e-3);
    });

    it('under a constant i_offset it spikes at the exact step, resets to v_reset, and again as often', () => {
      // v_k = -45 - 20·e^(-k·dt/tau_m) > -50 once e^(-k/200) < 1/4: k > 200·ln 4 = 277.3, so 278 updates.
      const run = runEngine(IF_curr_alpha({ i_offset: 1 }), backend, { steps: 1000, record: ['v'] });
      expect(run.spikes).toEqual([[277, 555, 833], [277, 555, 833], [277, 555, 833], [277, 555, 833]]);
      expect(run.traces.v![0]![277]).toBe(-65);
      // Exponential Euler is exact for a constant input: after k updates v = -45 - 20·e^(-k/200).
      expectClose(run.traces.v![0]![99]!, -45 - 20 * Math.exp(-100 / 200), precision, 'v after 100 updates');
      expectClose(run.traces.v![0]![276]!, -45 - 20 * Math.exp(-277 / 200), precision, 'v after 277 updates');
      expect(run.traces.v![0]![276]).toBeLessThan(-50);
      expect(run.traces.v![0]![276]).toBeGreaterThan(-50.1);
      expect(simulateReference(REF_IF_CURR_ALPHA, 0.1, 1000, { params: { i_offset: 1 } }).spikes).toEqual([277, 555, 833]);
    });

    it('refractory for round(tau_refrac / dt) steps: v and alpha_exc hold (ANNarchy moves only g_* then), g_exc decays', () => {
      // A pulse lands at step 1 in a neuron that spiked at step 0 (v starts above threshold).
      const run = runEngine(IF_curr_alpha({ tau_refrac: 2 }), backend, {
        steps: 40, init: { v: -49 }, pulse: { target: 'exc', weight: 1 }, record: ['v', 'g_exc', 'alpha_exc'],
      });
      expect(run.spikes[0]).toEqual([0]);
      const v = run.traces.v![0]!, alpha = run.traces.alpha_exc![0]!, g = run.traces.g_exc![0]!;
      expect(v.slice(0, 21)).toEqual(Array(21).fill(-65));
      expect(alpha.slice(0, 21)).toEqual(Array(21).fill(0));
      expectClose(g[20]!, Math.exp(-20 * 0.1 / 5), precision, 'g_exc after 20 refractory steps');
      expect(alpha[21]).toBeGreaterThan(0);
      expect(v[22]).toBeGreaterThan(-65);
      const ref = simulateReference(REF_IF_CURR_ALPHA, 0.1, 40, {
        params: { tau_refrac: 2 }, init: { v: -49 }, input: (k) => (k === 1 ? { g_exc: 1 } : undefined),
      });
      for (const key of ['g_exc', 'alpha_exc', 'v']) expectTrace(run.traces[key]![2]!, column(ref.trace, key), precision, key);
    });
  });

  describe('IF_cond_alpha', () => {
    it('a conductance jump through a projection: alpha_exc·(e_rev_E - v) drives v, by hand and over 60 steps', () => {
      const w = 0.25, dt = 0.1, decay = Math.exp(-dt / 5), gmax = Math.exp(0.99);
      const run = runEngine(IF_cond_alpha, backend, { steps: 60, pulse: { target: 'exc', weight: w }, record: ['alpha_exc', 'v'] });
      const alpha1 = (1 - decay) * gmax * w;
      expectClose(run.traces.alpha_exc![0]![1]!, alpha1, precision, 'alpha_exc, step 1');
      // Step 2: dv/dt = (v_rest - v)/tau_m + alpha1·(0 - v) = A - B·v with v = v_rest = -65: A = -65/20, B = 1/20 + alpha1.
      const B = 1 / 20 + alpha1;
      expectClose(run.traces.v![0]![2]!, -65 + (1 - Math.exp(-B * dt)) * (-65 / 20 / B + 65), precision, 'v, step 2');
      expect(run.traces.v![0]![2]).toBeGreaterThan(-65);
      const ref = simulateReference(REF_IF_COND_ALPHA, dt, 60, { input: (k) => (k === 1 ? { g_exc: w } : undefined) });
      for (const key of ['alpha_exc', 'v']) expectTrace(run.traces[key]![1]!, column(ref.trace, key), precision, key);
    });

    it('an inhibitory pulse pulls v towards e_rev_I; i_offset spikes at the same exact step as IF_curr_alpha', () => {
      const run = runEngine(IF_cond_alpha, backend, { steps: 30, pulse: { target: 'inh', weight: 1 }, record: ['v'] });
      expect(run.traces.v![0]![29]).toBeLessThan(-65);
      const ref = simulateReference(REF_IF_COND_ALPHA, 0.1, 30, { input: (k) => (k === 1 ? { g_inh: 1 } : undefined) });
      expectTrace(run.traces.v![0]!, column(ref.trace, 'v'), precision, 'v');
      expect(runEngine(IF_cond_alpha({ i_offset: 1 }), backend, { steps: 600, record: [] }).spikes[0]).toEqual([277, 555]);
    });
  });

  describe('EIF_cond_exp_isfa_ista', () => {
    it('the first two explicit Euler steps from rest under i_offset, by hand', () => {
      const p = EIF_PARAMETERS, dt = 0.1, I = 0.5;
      const run = runEngine(EIF_cond_exp_isfa_ista({ i_offset: I }), backend, { steps: 2, record: ['v', 'w', 'I'] });
      // v0 = v_rest: dv/dt = delta_T·exp((v_rest - v_thresh)/delta_T)/tau_m + I/cm; w's derivative is 0.
      const v1 = -70.6 + dt * (2 * Math.exp(-20.2 / 2) / p.tau_m + I / p.cm);
      expectClose(run.traces.v![0]![0]!, v1, precision, 'v, step 0');
      expect(run.traces.w![0]![0]).toBe(0);
      expectClose(run.traces.I![0]![0]!, I, precision, 'I');
      // Step 1: w moves by dt·a·(v1 - v_rest)/1000/tau_w; v by the same formula at v1.
      expectClose(run.traces.w![0]![1]!, dt * 4 * (v1 + 70.6) / 1000 / 144, precision, 'w, step 1');
      const v2 = v1 + dt * ((-70.6 - v1 + 2 * Math.exp((v1 + 50.4) / 2)) + p.tau_m / p.cm * I) / p.tau_m;
      expectClose(run.traces.v![0]![1]!, v2, precision, 'v, step 1');
    });

    it('the exponential term near v_thresh: below it v decays towards rest, above it the term wins and v runs away', () => {
      const start = [-55, -50.4, -47, -45];
      const run = runEngine(EIF_cond_exp_isfa_ista, backend, { steps: 1, init: { v: start }, record: ['v'] });
      start.forEach((v0, i) => {
        // tau_m·dv/dt = v_rest - v + delta_T·exp((v - v_thresh)/delta_T): at v_thresh the term is delta_T.
        const expected = v0 + 0.1 * (-70.6 - v0 + 2 * Math.exp((v0 + 50.4) / 2)) / 9.3667;
        expectClose(run.traces.v![i]![0]!, expected, precision, `v from ${v0}`);
      });
      const moved = run.traces.v!.map((trace, i) => trace[0]! - start[i]!);
      expect(moved.map(Math.sign)).toEqual([-1, -1, -1, 1]);
      // At v_thresh: (v_rest - v_thresh + delta_T)/tau_m = -18.2/9.3667 per ms.
      expectClose(moved[1]!, 0.1 * -18.2 / 9.3667, precision, 'dv at v_thresh');
    });

    it('spikes when v > v_spike at the re-implementation\'s step, resets v = v_reset and w += b, refractory tau_refrac', () => {
      const run = runEngine(EIF_cond_exp_isfa_ista({ i_offset: 1, tau_refrac: 0.5 }), backend, { steps: 700, record: ['v', 'w'] });
      const ref = simulateReference(REF_EIF_EXP, 0.1, 700, { params: { i_offset: 1, tau_refrac: 0.5 } });
      expect(ref.spikes.length).toBeGreaterThanOrEqual(3);
      expect(run.spikes).toEqual([ref.spikes, ref.spikes, ref.spikes, ref.spikes]);
      const s = ref.spikes[0]!;
      const v = run.traces.v![0]!, w = run.traces.w![0]!;
      expect(v[s - 1]).toBeLessThanOrEqual(-40);
      expect(v.slice(s, s + 6)).toEqual(Array(6).fill(precision === 'float' ? Math.fround(-70.6) : -70.6));
      expect(v[s + 6]).not.toBe(v[s]);
      // w += b at the spike (after the step's own increment), then held for the 5 refractory steps.
      const wBefore = ref.trace[s - 1]!;
      expectClose(w[s]!, wBefore.w! + 0.1 * (4 * (wBefore.v! + 70.6) / 1000 - wBefore.w!) / 144 + 0.0805, precision, 'w at the spike');
      expect(w.slice(s, s + 6).every((x) => x === w[s])).toBe(true);
      expect(w[s]! - w[s - 1]!).toBeGreaterThan(0.08);
      const upTo = precision === 'double' ? 700 : s + 20;
      for (const key of ['v', 'w']) expectTrace(run.traces[key]![1]!.slice(0, upTo), column(ref.trace, key).slice(0, upTo), precision, key);
    });

    it('a conductance jump through a projection: I = g_exc·(e_rev_E - v) the step it arrives', () => {
      const w = 0.0625;
      const run = runEngine(EIF_cond_exp_isfa_ista, backend, { steps: 30, pulse: { target: 'exc', weight: w }, record: ['I', 'v', 'g_exc'] });
      // v0: one step from rest, moved only by the exponential term (2·e^-10.1 / tau_m · dt ≈ 1.8e-6 mV).
      const v0 = run.traces.v![0]![0]!;
      expectClose(v0, -70.6 + 0.1 * 2 * Math.exp(-10.1) / 9.3667, precision, 'v, step 0');
      expectClose(run.traces.I![0]![1]!, w * (0 - v0), precision, 'I at the arrival');
      expectClose(run.traces.g_exc![0]![1]!, w * Math.exp(-0.1 / 5), precision, 'g_exc at the arrival');
      expectClose(run.traces.v![0]![1]!, v0 + 0.1 * ((-70.6 - v0 + 2 * Math.exp((v0 + 50.4) / 2)) + 9.3667 / 0.281 * w * (0 - v0)) / 9.3667, precision, 'v at the arrival');
      const ref = simulateReference(REF_EIF_EXP, 0.1, 30, { input: (k) => (k === 1 ? { g_exc: w } : undefined) });
      for (const key of ['I', 'v', 'g_exc']) expectTrace(run.traces[key]![3]!, column(ref.trace, key), precision, key);
    });
  });

  describe('EIF_cond_alpha_isfa_ista', () => {
    it('the alpha conductance drives I one step after the arrival, by hand and over 80 steps', () => {
      const w = 0.0625, dt = 0.1, decay = Math.exp(-dt / 5), gmax = Math.exp(0.99);
      const run = runEngine(EIF_cond_alpha_isfa_ista, backend, { steps: 80, pulse: { target: 'exc', weight: w }, record: ['I', 'alpha_exc', 'v', 'w'] });
      const alpha1 = (1 - decay) * gmax * w;
      expectClose(run.traces.alpha_exc![0]![1]!, alpha1, precision, 'alpha_exc, step 1');
      expectClose(run.traces.I![0]![1]!, 0, precision, 'I, step 1 (alpha was 0)');
      const v1 = run.traces.v![0]![1]!;
      expectClose(run.traces.I![0]![2]!, alpha1 * (0 - v1), precision, 'I, step 2');
      const ref = simulateReference(REF_EIF_ALPHA, dt, 80, { input: (k) => (k === 1 ? { g_exc: w } : undefined) });
      for (const key of ['I', 'alpha_exc', 'v', 'w']) expectTrace(run.traces[key]![2]!, column(ref.trace, key), precision, key);
    });

    it('spikes, resets and adapts like the re-implementation under i_offset', () => {
      const run = runEngine(EIF_cond_alpha_isfa_ista({ i_offset: 0.8 }), backend, { steps: 800, record: ['w'] });
      const ref = simulateReference(REF_EIF_ALPHA, 0.1, 800, { params: { i_offset: 0.8 } });
      expect(ref.spikes.length).toBeGreaterThanOrEqual(2);
      expect(run.spikes[3]).toEqual(ref.spikes);
      expectClose(run.traces.w![0]![ref.spikes[0]!]!, ref.trace[ref.spikes[0]!]!.w!, precision, 'w after the first spike');
    });
  });

  describe('HH_cond_exp', () => {
    it('the first two steps from rest: rates from the old v, exponential Euler on n, m, h and v', () => {
      const run = runEngine(HH_cond_exp({ i_offset: 0.5 }), backend, { steps: 2, record: ['prev_v', 'an', 'bh', 'n', 'm', 'h', 'v'] });
      // Step 0 by hand: n = m = 0, h = 1, so only the leak and i_offset act on v.
      const r = rates(-65, HH_PARAMETERS);
      // 15 - v + v_offset = 17 and 10 - v + v_offset = 12 at v = -65.
      expectClose(r.an!, 0.032 * 17 / (Math.exp(17 / 5) - 1), 'double', 'an(-65)');
      expectClose(run.traces.an![0]![0]!, r.an!, precision, 'an');
      expectClose(run.traces.bh![0]![0]!, 4 / (1 + Math.exp(12)), precision, 'bh');
      expectClose(run.traces.n![0]![0]!, (1 - Math.exp(-(r.an! + r.bn!) * 0.1)) * r.an! / (r.an! + r.bn!), precision, 'n');
      const B = 0.01 / 0.2;
      expectClose(run.traces.v![0]![0]!, -65 + (1 - Math.exp(-B * 0.1)) * ((0.01 * -65 + 0.5) / 0.2 / B + 65), precision, 'v');
      expect(run.traces.prev_v![0]).toEqual([-65, run.traces.v![0]![0]]);
      const ref = simulateReference(REF_HH, 0.1, 2, { params: { i_offset: 0.5 } });
      for (const key of ['an', 'bh', 'n', 'm', 'h', 'v']) expectTrace(run.traces[key]![1]!, column(ref.trace, key), precision, key);
    });

    it('a conductance jump through a projection fires one spike per upward crossing of v_thresh, however long v stays above', () => {
      const run = runEngine(HH_cond_exp, backend, { steps: 100, pulse: { target: 'exc', weight: 1 }, record: ['v', 'g_exc', 'prev_v'] });
      expectClose(run.traces.g_exc![0]![1]!, Math.exp(-0.1 / 0.2), precision, 'g_exc at the arrival');
      const v = run.traces.v![0]!;
      const above = v.map((x, k) => (x > 0 ? k : -1)).filter((k) => k >= 0);
      expect(above.length).toBeGreaterThanOrEqual(3);
      expect(run.spikes[0]).toEqual([above[0]]);
      const ref = simulateReference(REF_HH, 0.1, 100, { input: (k) => (k === 1 ? { g_exc: 1 } : undefined) });
      expect(ref.spikes).toEqual([above[0]]);
      expectTrace(v.slice(0, precision === 'double' ? 100 : 20), column(ref.trace, 'v').slice(0, precision === 'double' ? 100 : 20), precision, 'v');
    });

    it('under a strong i_offset it crosses again: one spike per crossing, each where the re-implementation crosses', () => {
      const run = runEngine(HH_cond_exp({ i_offset: 10 }), backend, { steps: 400, record: ['v'] });
      const ref = simulateReference(REF_HH, 0.1, 400, { params: { i_offset: 10 } });
      expect(ref.spikes.length).toBeGreaterThanOrEqual(2);
      expect(run.spikes[2]).toEqual(ref.spikes);
      const v = run.traces.v![2]!;
      const crossings = v.flatMap((x, k) => (x > 0 && (k === 0 ? -65 : v[k - 1]!) <= 0 ? [k] : []));
      expect(crossings).toEqual(ref.spikes);
      expect(v.filter((x) => x > 0).length).toBeGreaterThan(2 * crossings.length);
    });
  });
});

it('the JS and WebAssembly kernels give the same bits for every new model (double and float)', () => {
  const models: [NeuronDescription, string[]][] = [
    [IF_curr_alpha({ i_offset: 1 }), ['v', 'alpha_exc', 'g_exc']],
    [IF_cond_alpha({ i_offset: 1 }), ['v', 'alpha_exc']],
    [EIF_cond_exp_isfa_ista({ i_offset: 1 }), ['v', 'w', 'I']],
    [EIF_cond_alpha_isfa_ista({ i_offset: 1 }), ['v', 'w', 'alpha_exc']],
    [HH_cond_exp({ i_offset: 10 }), ['v', 'n', 'm', 'h']],
  ];
  for (const precision of ['double', 'float'] as const) {
    for (const [model, record] of models) {
      const js = runEngine(model, { kernels: 'js', precision }, { steps: 300, pulse: { target: 'exc', weight: 0.5 }, record });
      const wasm = runEngine(model, { kernels: 'auto', precision }, { steps: 300, pulse: { target: 'exc', weight: 0.5 }, record });
      expect(wasm).toEqual(js);
    }
  }
});
