import { describe, expect, it } from 'vitest';
import { SpikeworldError } from '../../src/errors.js';
import type { Statement } from '../../src/model/ast.js';
import { defineNeuron } from '../../src/model/analyze.js';
import { IF_cond_exp, IF_curr_exp, Izhikevich, type NeuronFactory } from '../../src/model/builtins.js';
import { evaluate } from '../helpers/evaluate.js';


function parameterValues(factory: NeuronFactory | ReturnType<NeuronFactory>): Record<string, number> {
  return Object.fromEntries(defineNeuron(factory).parameters.map((p) => [p.name, p.value]));
}

function ode(statement: Statement) {
  if (statement.kind !== 'ode') throw new Error('not an ODE');
  return statement;
}

describe('Izhikevich', () => {
  const spec = defineNeuron(Izhikevich);

  it('has ANNarchy\'s parameters, all per neuron', () => {
    expect(spec.name).toBe('Izhikevich');
    expect(spec.parameters).toEqual(
      [['noise', 0], ['a', 0.02], ['b', 0.2], ['c', -65], ['d', 8], ['v_thresh', 30], ['i_offset', 0], ['tau_refrac', 0]]
        .map(([name, value]) => ({ name, value, global: false, type: 'float' })),
    );
  });

  it('has I, v (init c) and u (init b*c), explicit, with instantaneous g_exc and g_inh', () => {
    expect(spec.variables.map((x) => [x.name, x.init])).toEqual([['I', 0], ['v', -65], ['u', -13]]);
    expect(spec.equations.map((s) => [s.kind, s.target, s.kind === 'ode' ? s.method : s.op])).toEqual([
      ['assign', 'I', '='], ['ode', 'v', 'explicit'], ['ode', 'u', 'explicit'],
    ]);
    expect(spec.targets).toEqual(['exc', 'inh']);
    expect(spec.instantaneousTargets).toEqual(['exc', 'inh']);
  });

  it('computes I = g_exc - g_inh + noise * Normal(0, 1) + i_offset', () => {
    const I = spec.equations[0]!;
    expect(I.kind === 'assign' && I.value).toEqual({
      kind: 'binary', op: '+',
      left: {
        kind: 'binary', op: '+',
        left: { kind: 'binary', op: '-', left: { kind: 'name', name: 'g_exc' }, right: { kind: 'name', name: 'g_inh' } },
        right: {
          kind: 'binary', op: '*', left: { kind: 'name', name: 'noise' },
          right: { kind: 'random', dist: 'Normal', args: [{ kind: 'num', value: 0 }, { kind: 'num', value: 1 }] },
        },
      },
      right: { kind: 'name', name: 'i_offset' },
    });
  });

  it('has dv/dt = 0.04 v² + 5 v + 140 - u + I (v² as v*v) and du/dt = a (b v - u)', () => {
    const env = { v: -60.5, u: -12, I: 3, a: 0.02, b: 0.2 };
    const dv = ode(spec.equations[1]!).rhs;
    expect(JSON.stringify(dv)).not.toContain('pow');
    expect(evaluate(dv, env)).toBeCloseTo(0.04 * env.v ** 2 + 5 * env.v + 140 - env.u + env.I, 12);
    expect(evaluate(ode(spec.equations[2]!).rhs, env)).toBeCloseTo(env.a * (env.b * env.v - env.u), 12);
  });

  it('spikes when v > v_thresh, resets v = c and u += d, refractory tau_refrac', () => {
    expect(spec.spike).toEqual({ kind: 'binary', op: '>', left: { kind: 'name', name: 'v' }, right: { kind: 'name', name: 'v_thresh' } });
    expect(spec.reset).toEqual([
      { kind: 'assign', target: 'v', op: '=', value: { kind: 'name', name: 'c' }, line: 1 },
      { kind: 'assign', target: 'u', op: '+=', value: { kind: 'name', name: 'd' }, line: 2 },
    ]);
    expect(spec.refractory).toBe('tau_refrac');
  });
});

describe('overrides', () => {
  it('override defaults, and init values follow them', () => {
    const desc = Izhikevich({ a: 0.1, b: 0.25, c: -50 });
    expect(desc.name).toBe('Izhikevich');
    const spec = defineNeuron(desc);
    expect(parameterValues(desc)).toMatchObject({ a: 0.1, b: 0.25, c: -50, d: 8 });
    expect(spec.variables.map((x) => [x.name, x.init])).toEqual([['I', 0], ['v', -50], ['u', 0.25 * -50]]);
    expect(defineNeuron(IF_cond_exp({ v_reset: -60 })).variables[0]!.init).toBe(-60);
  });

  it('keep every double exactly', () => {
    expect(parameterValues(Izhikevich({ a: 0.1 + 0.2, d: 1e-300, noise: -1.5e21 }))).toMatchObject({ a: 0.1 + 0.2, d: 1e-300, noise: -1.5e21 });
  });

  it('leave the shared default alone', () => {
    Izhikevich({ a: 0.5 });
    expect(parameterValues(Izhikevich).a).toBe(0.02);
    expect(Izhikevich()).toEqual({ ...Izhikevich });
    expect(Izhikevich({ a: undefined })).toEqual({ ...Izhikevich });
  });

  it('reject unknown keys, naming the key and the parameters', () => {
    expect(() => Izhikevich({ tau: 1 })).toThrow(SpikeworldError);
    expect(() => Izhikevich({ tau: 1 })).toThrow(/'tau'.*a, b, c, d/);
    expect(() => IF_curr_exp({ e_rev_E: 1 })).toThrow(/'e_rev_E'.*v_rest/);
    expect(() => Izhikevich({ a: Number.NaN })).toThrow(SpikeworldError);
  });

  it('the factory object is a frozen description', () => {
    expect(Object.isFrozen(Izhikevich)).toBe(true);
    expect(() => { (Izhikevich as { equations?: string }).equations = 'x = 1'; }).toThrow(TypeError);
    expect(Object.keys(IF_cond_exp).sort()).toEqual(['equations', 'name', 'parameters', 'refractory', 'reset', 'spike']);
  });
});

describe('IF_curr_exp and IF_cond_exp', () => {
  const common = {
    v_rest: -65, cm: 1, tau_m: 20, tau_refrac: 0, tau_syn_E: 5, tau_syn_I: 5, v_thresh: -50, v_reset: -65, i_offset: 0,
  };

  it.each<[string, NeuronFactory, Record<string, number>]>([
    ['IF_curr_exp', IF_curr_exp, common],
    ['IF_cond_exp', IF_cond_exp, { ...common, e_rev_E: 0, e_rev_I: -70 }],
  ])('%s: PyNN defaults, v init v_reset, exponential g_exc/g_inh with their own ODEs', (name, factory, defaults) => {
    const spec = defineNeuron(factory);
    expect(spec.name).toBe(name);
    expect(parameterValues(factory)).toEqual(defaults);
    expect(spec.variables.map((x) => [x.name, x.init, x.conductance])).toEqual([
      ['v', -65, false], ['g_exc', 0, true], ['g_inh', 0, true],
    ]);
    expect(spec.equations.every((s) => s.kind === 'ode' && s.method === 'exponential')).toBe(true);
    expect(spec.targets).toEqual(['exc', 'inh']);
    expect(spec.instantaneousTargets).toEqual([]);
    expect(spec.spike).toEqual({ kind: 'binary', op: '>', left: { kind: 'name', name: 'v' }, right: { kind: 'name', name: 'v_thresh' } });
    expect(spec.reset).toEqual([{ kind: 'assign', target: 'v', op: '=', value: { kind: 'name', name: 'v_reset' }, line: 1 }]);
    expect(spec.refractory).toBe('tau_refrac');
    const gExc = ode(spec.equations[1]!);
    const env = { ...defaults, cm: 0.5, tau_m: 15, g_exc: 0.3, g_inh: 0.1, i_offset: 0.2 };
    expect(evaluate(gExc.linear!.A, env)).toBe(0);
    expect(evaluate(gExc.linear!.B, env)).toBeCloseTo(1 / defaults.tau_syn_E!, 12);
  });

  it('IF_curr_exp: A and B of the membrane', () => {
    const v = ode(defineNeuron(IF_curr_exp).equations[0]!);
    const env = { ...common, cm: 0.5, tau_m: 15, g_exc: 0.3, g_inh: 0.1, i_offset: 0.2 };
    expect(evaluate(v.linear!.B, env)).toBeCloseTo(1 / env.tau_m, 12);
    expect(evaluate(v.linear!.A, env)).toBeCloseTo(env.v_rest / env.tau_m + (env.g_exc - env.g_inh + env.i_offset) / env.cm, 12);
  });

  it('IF_cond_exp: A and B of the membrane', () => {
    const v = ode(defineNeuron(IF_cond_exp).equations[0]!);
    const env = { ...common, e_rev_E: 0, e_rev_I: -70, cm: 0.5, tau_m: 15, g_exc: 0.3, g_inh: 0.1, i_offset: 0.2 };
    expect(evaluate(v.linear!.B, env)).toBeCloseTo(1 / env.tau_m + (env.g_exc + env.g_inh) / env.cm, 12);
    expect(evaluate(v.linear!.A, env)).toBeCloseTo(
      env.v_rest / env.tau_m + (env.g_exc * env.e_rev_E + env.g_inh * env.e_rev_I + env.i_offset) / env.cm, 12,
    );
  });
});
