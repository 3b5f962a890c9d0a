import { describe, expect, it } from 'vitest';
import { ModelError } from '../../src/errors.js';
import type { Expr, NeuronSpec, Statement } from '../../src/model/ast.js';
import { defineNeuron, type NeuronDescription } from '../../src/model/analyze.js';
import { evaluate } from '../helpers/evaluate.js';

// ---------------------------------------------------------------------------------------------
// Test helpers

const n = (value: number): Expr => ({ kind: 'num', value });
const v = (name: string): Expr => ({ kind: 'name', name });
const bin = (op: '+' | '-' | '*' | '/' | '>' | '<', left: Expr, right: Expr): Expr => ({ kind: 'binary', op, left, right });


function only(spec: NeuronSpec, index = 0): Statement {
  return spec.equations[index]!;
}

function valueOf(statement: Statement): Expr {
  return statement.kind === 'ode' ? statement.rhs : statement.value;
}

/** The AST of `x = <text>` in a model with the given parameters and extra equations. */
function rhs(text: string, parameters: NeuronDescription['parameters'] = { a: 1, b: 2 }): Expr {
  return valueOf(only(defineNeuron({ parameters, equations: `x = ${text}` })));
}

/** Asserts a ModelError that names the model, the field, the line and the token. */
function rejects(desc: NeuronDescription, field: string, line: number, token: string, detail?: RegExp): ModelError {
  let error: unknown;
  try {
    defineNeuron(desc);
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(ModelError);
  const e = error as ModelError;
  expect(e.model).toBe(desc.name ?? 'Neuron');
  expect(e.line).toBe(line);
  expect(e.token).toBe(token);
  expect(e.message).toContain(`model '${desc.name ?? 'Neuron'}'`);
  expect(e.message).toContain(`${field} line ${line}`);
  expect(e.message).toContain(`'${token}'`);
  if (detail) expect(e.message).toMatch(detail);
  return e;
}

// ---------------------------------------------------------------------------------------------

describe('defineNeuron: a complete small model', () => {
  it('produces the exact spec', () => {
    const spec = defineNeuron({
      name: 'LIF',
      parameters: 'tau = 10.0\nv_th = -50 : population\nn = 3 : int',
      equations: '# membrane\ntau * dv/dt = -v + g_exc : init = -65\nspikes += 0',
      spike: 'v > v_th',
      reset: 'v = -65; spikes += 1',
      refractory: 2,
    });
    expect(spec).toEqual<NeuronSpec>({
      name: 'LIF',
      parameters: [
        { name: 'tau', value: 10, global: false, type: 'float' },
        { name: 'v_th', value: -50, global: true, type: 'float' },
        { name: 'n', value: 3, global: false, type: 'int' },
      ],
      variables: [
        { name: 'v', init: -65, global: false, type: 'float', conductance: false },
        { name: 'spikes', init: 0, global: false, type: 'float', conductance: false },
      ],
      targets: ['exc'],
      instantaneousTargets: ['exc'],
      equations: [
        { kind: 'ode', target: 'v', rhs: bin('/', bin('+', { kind: 'unary', op: '-', arg: v('v') }, v('g_exc')), v('tau')), method: 'explicit', line: 2 },
        { kind: 'assign', target: 'spikes', op: '+=', value: n(0), line: 3 },
      ],
      spike: bin('>', v('v'), v('v_th')),
      reset: [
        { kind: 'assign', target: 'v', op: '=', value: n(-65), line: 1 },
        { kind: 'assign', target: 'spikes', op: '+=', value: n(1), line: 1 },
      ],
      refractory: 2,
    });
  });

  it('defaults the name to Neuron and leaves spike and refractory out when absent', () => {
    const spec = defineNeuron({ equations: 'r = 1' });
    expect(spec.name).toBe('Neuron');
    expect('spike' in spec).toBe(false);
    expect('refractory' in spec).toBe(false);
    expect(spec.reset).toEqual([]);
    expect(defineNeuron({})).toMatchObject({ parameters: [], variables: [], equations: [], targets: [] });
  });

  it('object parameters are local floats', () => {
    expect(defineNeuron({ parameters: { a: 1, b: -2.5 } }).parameters).toEqual([
      { name: 'a', value: 1, global: false, type: 'float' },
      { name: 'b', value: -2.5, global: false, type: 'float' },
    ]);
  });

  it('fills the line of every statement', () => {
    const spec = defineNeuron({ equations: 'a = 1; b = 2\n\nc = (1 +\n 2)\nd = 3', spike: 'a > 0', reset: 'a = 0\n\nb = 1' });
    expect(spec.equations.map((s) => [s.target, s.line])).toEqual([['a', 1], ['b', 1], ['c', 3], ['d', 5]]);
    expect(spec.reset.map((s) => s.line)).toEqual([1, 3]);
  });
});

describe('ODE forms', () => {
  const env = { tau: 4, v: 1.5, b: -2, E: 3, k: 0.5, g: 2 };
  const parameters = { tau: 4, b: -2, E: 3, k: 0.5 };
  const ode = (equation: string): Expr => {
    const statement = only(defineNeuron({ parameters, equations: equation }));
    expect(statement.kind).toBe('ode');
    expect(statement.target).toBe('v');
    return valueOf(statement);
  };

  it('dv/dt = e keeps e as it is', () => {
    expect(ode('dv/dt = E - v')).toEqual(bin('-', v('E'), v('v')));
  });

  it('tau * dv/dt = e becomes e / tau', () => {
    expect(ode('tau * dv/dt = E - v')).toEqual(bin('/', bin('-', v('E'), v('v')), v('tau')));
  });

  it('tau*dv/dt + v = e becomes (e - v) / tau', () => {
    expect(ode('tau*dv/dt + v = E')).toEqual(bin('/', bin('-', v('E'), v('v')), v('tau')));
  });

  it('tau * dv/dt + v - b = 0 is solved', () => {
    expect(evaluate(ode('tau * dv/dt + v - b = 0'), env)).toBeCloseTo((env.b - env.v) / env.tau, 12);
  });

  it.each<[string, (e: typeof env) => number]>([
    ['dv/dt / tau = E', (e) => e.E * e.tau],
    ['-dv/dt = v', (e) => -e.v],
    ['2*dv/dt + dv/dt = E', (e) => e.E / 3],
    ['(tau - k) * dv/dt - (v - E) * k = b', (e) => (e.b + (e.v - e.E) * e.k) / (e.tau - e.k)],
    ['E - tau*(dv/dt)/k = v', (e) => ((e.E - e.v) * e.k) / e.tau],
    ['k*(tau*dv/dt + v) = E', (e) => (e.E / e.k - e.v) / e.tau],
  ])('%s', (equation, expected) => {
    expect(evaluate(ode(equation), env)).toBeCloseTo(expected(env), 12);
  });

  it.each([
    ['(dv/dt)^2 = 1', 'dv/dt'],
    ['exp(dv/dt) = 1', 'dv/dt'],
    ['dv/dt * dv/dt = 1', 'dv/dt'],
    ['tau / dv/dt = 1', 'dv/dt'],
    ['ite(v > 0, dv/dt, 0) = 1', 'dv/dt'],
    ['pow(dv/dt, 3) = 1', 'dv/dt'],
  ])('rejects the non-linear left side %s', (equation, token) => {
    rejects({ parameters, equations: equation }, 'equations', 1, token, /linearly/);
  });

  it('rejects a left side that cancels dv/dt out', () => {
    rejects({ equations: 'dv/dt - dv/dt = 1' }, 'equations', 1, 'dv/dt', /cancels/);
  });

  it('rejects a derivative of another variable on the left side', () => {
    rejects({ equations: 'x = 1\ndv/dt + du/dt = 1' }, 'equations', 2, 'du/dt', /another variable/);
  });

  it('rejects a derivative of an undeclared variable, and derivatives on the right side', () => {
    rejects({ equations: 'dv/dt = du/dt' }, 'equations', 1, 'du', /undeclared variable 'u'/);
    rejects({ equations: 'dv/dt = 1\nx = 2 * dv/dt' }, 'equations', 2, 'dv', /left side of an ODE/);
  });

  it('rejects an ODE written with +=', () => {
    rejects({ equations: 'dv/dt += 1' }, 'equations', 1, 'dv/dt', /'='/);
  });

  it('rejects a left side that is neither a name nor contains a derivative', () => {
    rejects({ equations: 'v + 1 = 2' }, 'equations', 1, '+', /left side/);
    rejects({ equations: '3 = v' }, 'equations', 1, '3', /left side/);
  });
});

describe('exponential', () => {
  const linear = (desc: NeuronDescription, index = 0): { A: Expr; B: Expr; rhs: Expr } => {
    const statement = only(defineNeuron(desc), index);
    if (statement.kind !== 'ode' || statement.method !== 'exponential' || !statement.linear) throw new Error('not exponential');
    return { ...statement.linear, rhs: statement.rhs };
  };

  it('extracts A and B of the conductance-based membrane', () => {
    const { A, B, rhs } = linear({
      parameters: { tau: 10, El: -65, Erev: 0 },
      equations: 'tau*dv/dt = (El - v) + g_exc*(Erev - v) : exponential',
    });
    const env = { tau: 10, El: -65, Erev: 5, g_exc: 0.3 };
    expect(evaluate(A, env)).toBeCloseTo((env.El + env.g_exc * env.Erev) / env.tau, 12);
    expect(evaluate(B, env)).toBeCloseTo((1 + env.g_exc) / env.tau, 12);
    for (const vm of [-70, 0, 12.5]) {
      expect(evaluate(rhs, { ...env, v: vm })).toBeCloseTo(evaluate(A, env) - evaluate(B, env) * vm, 12);
    }
  });

  it('A and B of a decay are 0 and 1/tau', () => {
    const { A, B } = linear({ parameters: { tau: 5 }, equations: 'tau * dg_exc/dt = -g_exc : exponential' });
    expect(A).toEqual(n(0));
    expect(B).toEqual(bin('/', n(1), v('tau')));
  });

  it.each([
    'dv/dt = k - v / tau',
    'tau * dv/dt + v = k : init = 1',
    'dv/dt = -(v - k) * (k + tau) / 3 + 2',
    'dv/dt = (k - v) / tau - (v * k - 1) / (tau * 2)',
    'dv/dt = 3 - 2*(v - (1 - v)*k)',
  ])('A - B*v equals the right side of %s', (equation) => {
    const { A, B, rhs } = linear({ parameters: { tau: 7, k: 0.25 }, equations: `${equation} : exponential`.replace(': init = 1 : exponential', ': init = 1, exponential') });
    const env = { tau: 7, k: 0.25 };
    for (const vm of [-3, 0.5, 40]) {
      const expected = evaluate(rhs, { ...env, v: vm });
      expect(evaluate(A, env) - evaluate(B, env) * vm).toBeCloseTo(expected, 10);
    }
    expect(JSON.stringify([A, B])).not.toContain('"v"');
  });

  it.each([
    'dv/dt = v^2',
    'dv/dt = exp(v)',
    'dv/dt = 1 / v',
    'dv/dt = v * v',
    'dv/dt = ite(v > 0, v, 0)',
    'dv/dt = (v > 0) - v',
    'dv/dt = 1',
  ])('rejects %s with exponential, naming the variable', (equation) => {
    rejects({ equations: `${equation} : exponential` }, 'equations', 1, 'dv/dt', /'v'/);
  });
});

describe('flags', () => {
  const variable = (flags: string, parameters: NeuronDescription['parameters'] = { c: -60 }) =>
    defineNeuron({ parameters, equations: `dv/dt = -v : ${flags}` }).variables[0]!;

  it('init takes a number, a negative number, True/False, or a parameter name', () => {
    expect(variable('init = 3').init).toBe(3);
    expect(variable('init = -65.5').init).toBe(-65.5);
    expect(variable('init = True').init).toBe(1);
    expect(variable('init = c').init).toEqual({ param: 'c' });
  });

  it('min and max are expressions; population, int, bool set the variable', () => {
    expect(variable('min = -1, max = c * 2, population, int')).toEqual({
      name: 'v', init: 0, global: true, type: 'int', conductance: false,
      min: n(-1), max: bin('*', v('c'), n(2)),
    });
    expect(variable('bool').type).toBe('bool');
    expect(variable('explicit').global).toBe(false);
  });

  it('rejects init naming a variable', () => {
    rejects({ equations: 'u = 1\ndv/dt = -v : init = u' }, 'equations', 2, 'u', /init cannot name the variable 'u'/);
  });

  it('rejects init with an unknown name or an expression', () => {
    rejects({ equations: 'dv/dt = -v : init = cc' }, 'equations', 1, 'cc', /unknown name/);
    rejects({ parameters: { c: 1 }, equations: 'dv/dt = -v : init = 2*c' }, 'equations', 1, '*', /number or a parameter/);
  });

  it('rejects unknown flags', () => {
    rejects({ equations: 'dv/dt = -v : init = 0, fast' }, 'equations', 1, 'fast', /unknown flag 'fast'/);
    rejects({ equations: 'dv/dt = -v : rk4' }, 'equations', 1, 'rk4', /not supported/);
    rejects({ equations: 'x = 1 : exponential' }, 'equations', 1, 'exponential', /assignment/);
    rejects({ equations: 'dv/dt = -v : init = 1, init = 2' }, 'equations', 1, 'init', /twice/);
    rejects({ equations: 'dv/dt = -v : init' }, 'equations', 1, 'init', /needs a value/);
    rejects({ equations: 'dv/dt = -v : population = 1' }, 'equations', 1, 'population', /no value/);
    rejects({ equations: 'dv/dt = -v : int, bool' }, 'equations', 1, 'bool', /conflicting/);
    rejects({ equations: 'dv/dt = -v : explicit, exponential' }, 'equations', 1, 'exponential', /conflicting/);
  });
});

describe('names', () => {
  it('resolves numbers, pi, True/False, t, dt, parameters and variables used before their line', () => {
    const spec = defineNeuron({ parameters: { a: 1 }, equations: 'x = y + a*t + dt + pi + True - False\ny = 2' });
    const pi = Math.PI;
    expect(valueOf(only(spec))).toEqual(
      bin('-', bin('+', bin('+', bin('+', bin('+', v('y'), bin('*', v('a'), v('t'))), v('dt')), n(pi)), n(1)), n(0)),
    );
  });

  it('declares conductances by use: instantaneous unless they have an equation', () => {
    const spec = defineNeuron({
      parameters: { g_L: 0.1, tau: 5 },
      equations: 'I = g_ampa + g_nmda - g_gaba + g_L\ntau * dg_nmda/dt = -g_nmda',
      spike: 'g_x > 0',
    });
    expect(spec.targets).toEqual(['ampa', 'nmda', 'gaba', 'x']);
    expect(spec.instantaneousTargets).toEqual(['ampa', 'gaba', 'x']);
    expect(spec.variables.map((x) => [x.name, x.conductance])).toEqual([['I', false], ['g_nmda', true]]);
  });

  it('maps function aliases onto the function set', () => {
    const calls = rhs('ln(a) + fabs(a) + power(a, 0.5) + positive(a) + negative(a) + clip(a, 0, 1) + modulo(a, b) + tanh(a)');
    const names: string[] = [];
    const walk = (e: Expr): void => {
      if (e.kind === 'call') names.push(e.fn);
      if (e.kind === 'binary') { walk(e.left); walk(e.right); }
    };
    walk(calls);
    expect(names).toEqual(['log', 'abs', 'pow', 'pos', 'neg', 'clip', 'modulo', 'tanh']);
  });

  it('turns ite() and the if form into ite nodes', () => {
    const expected: Expr = { kind: 'ite', cond: bin('>', v('a'), n(0)), then: n(1), else: n(2) };
    expect(rhs('ite(a > 0, 1, 2)')).toEqual(expected);
    expect(rhs('if a > 0 :\n 1\nelse :\n 2')).toEqual(expected);
  });

  it('rejects unknown names and functions, suggesting close names', () => {
    rejects({ name: 'Bad', equations: 'dv/dt = -v\nx = vv + 1' }, 'equations', 2, 'vv', /unknown name 'vv'; did you mean 'v'/);
    rejects({ equations: 'x = badfn(3)' }, 'equations', 1, 'badfn', /unknown function/);
    rejects({ equations: 'x = 1\ny = x(3)' }, 'equations', 2, 'x', /not a function/);
    rejects({ equations: 'x = exp' }, 'equations', 1, 'exp', /function/);
    rejects({ equations: 'x = exp(1, 2)' }, 'equations', 1, 'exp', /1 argument/);
    rejects({ equations: 'x = clip(1, 2)' }, 'equations', 1, 'clip', /3 arguments/);
    rejects({ equations: 'x = g_' }, 'equations', 1, 'g_', /unknown name/);
    rejects({ equations: 'x = constructor + 1' }, 'equations', 1, 'constructor', /unknown name/);
  });
});

describe('integer powers', () => {
  const vv = bin('*', v('a'), v('a'));
  it.each<[string, Expr]>([
    ['a^2', vv],
    ['a**3', bin('*', vv, v('a'))],
    ['pow(a, 2)', vv],
    ['power(a, 4)', bin('*', bin('*', vv, v('a')), v('a'))],
    ['a^2.0', vv],
    ['a^1', v('a')],
    ['(a + b)^2', bin('*', bin('+', v('a'), v('b')), bin('+', v('a'), v('b')))],
    ['a^5', { kind: 'call', fn: 'pow', args: [v('a'), n(5)] }],
    ['a^2.5', { kind: 'call', fn: 'pow', args: [v('a'), n(2.5)] }],
    ['a^-1', { kind: 'call', fn: 'pow', args: [v('a'), n(-1)] }],
    ['a^0', { kind: 'call', fn: 'pow', args: [v('a'), n(0)] }],
    ['a^b', { kind: 'call', fn: 'pow', args: [v('a'), v('b')] }],
  ])('%s', (text, expected) => {
    expect(rhs(text)).toEqual(expected);
  });

  it('does not duplicate a random draw', () => {
    expect(rhs('Normal(0, 1)^2')).toMatchObject({ kind: 'call', fn: 'pow' });
  });

  it('keeps nested powers bounded', () => {
    const e = rhs('((((a^4)^4)^4)^4)^4');
    expect(JSON.stringify(e).length).toBeLessThan(20_000);
  });
});

describe('random numbers', () => {
  it('accepts numbers and global parameters', () => {
    expect(rhs('Uniform(-1, 1) + Normal(mu, 0.5)', 'mu = 2 : population')).toEqual(
      bin('+',
        { kind: 'random', dist: 'Uniform', args: [n(-1), n(1)] },
        { kind: 'random', dist: 'Normal', args: [v('mu'), n(0.5)] }),
    );
  });

  it('rejects anything else as an argument', () => {
    rejects({ parameters: { mu: 1 }, equations: 'x = Normal(mu, 1)' }, 'equations', 1, 'mu', /per neuron/);
    rejects({ equations: 'v = 1\nx = Normal(v, 1)' }, 'equations', 2, 'v', /numbers or global/);
    rejects({ equations: 'x = Uniform(0, 2*1)' }, 'equations', 1, '*', /numbers or global/);
    rejects({ equations: 'x = Normal(0)' }, 'equations', 1, 'Normal', /2 arguments/);
  });
});

describe('errors the language spec lists', () => {
  it('assignment to a parameter, in equations and in reset', () => {
    rejects({ parameters: 'tau = 10', equations: 'dv/dt = -v\ntau = 3' }, 'equations', 2, 'tau', /parameter 'tau'/);
    rejects({ parameters: 'tau = 10', equations: 'dtau/dt = 1' }, 'equations', 1, 'dtau/dt', /parameter 'tau'/);
    rejects({ parameters: { c: 1 }, equations: 'dv/dt = -v', spike: 'v > 1', reset: 'v = 0\nc = 2' }, 'reset', 2, 'c', /parameter 'c'/);
  });

  it('two statements defining the same variable', () => {
    rejects({ equations: 'dv/dt = 1\nx = 2\nv = 3' }, 'equations', 3, 'v', /defined twice \(lines 1 and 3\)/);
  });

  it('unbalanced brackets', () => {
    rejects({ equations: 'x = 1\ny = exp((x + 1)' }, 'equations', 2, '(', /unbalanced/);
    rejects({ equations: 'x = (1 + 2))' }, 'equations', 1, ')', /unbalanced/);
  });

  it('stray characters', () => {
    for (const ch of ['@', '$', '`', "'", '"', '\\', '{']) {
      rejects({ equations: `x = 1 ${ch} 2` }, 'equations', 1, ch, /unexpected character/);
    }
    rejects({ spike: 'v > `0`', equations: 'v = 1' }, 'spike', 1, '`');
  });

  it('empty expressions', () => {
    rejects({ equations: 'x =' }, 'equations', 1, '=', /empty expression/);
    rejects({ equations: 'x = 1 +' }, 'equations', 1, '+', /empty expression/);
    rejects({ equations: 'x = exp()' }, 'equations', 1, 'exp', /1 argument/);
    rejects({ equations: 'x = ()' }, 'equations', 1, ')', /empty expression/);
    rejects({ equations: 'x = 1', spike: '  # nothing' }, 'spike', 1, '', /empty expression/);
  });

  it('a spike that is not one expression', () => {
    rejects({ equations: 'v = 1', spike: 'v > 1; v < 2' }, 'spike', 1, 'v', /one expression/);
    rejects({ equations: 'v = 1', spike: 'v > 1\nv < 2' }, 'spike', 2, 'v', /one expression/);
    rejects({ equations: 'v = 1', spike: 'v = 1' }, 'spike', 1, '=', /'=='/);
    rejects({ equations: 'v = 1', spike: 'v + 1' }, 'spike', 1, '+', /condition/);
  });

  it('assigning to t or dt', () => {
    rejects({ equations: 't = 1' }, 'equations', 1, 't', /built-in time/);
    rejects({ equations: 'x = 1\ndt = 0.1' }, 'equations', 2, 'dt', /built-in time step/);
    rejects({ equations: 'ddt/dt = 1' }, 'equations', 1, 'ddt/dt', /built-in time step/);
    rejects({ equations: 'x = 1', spike: 'x > 0', reset: 't = 0' }, 'reset', 1, 't', /built-in/);
    rejects({ equations: 'pi = 3' }, 'equations', 1, 'pi', /constant/);
    rejects({ equations: 'exp = 3' }, 'equations', 1, 'exp', /reserved/);
    rejects({ equations: 'new = 3' }, 'equations', 1, 'new', /reserved/);
  });

  it('a refractory naming a non-parameter', () => {
    rejects({ equations: 'v = 1', refractory: 'v' }, 'refractory', 1, 'v', /parameter/);
    rejects({ parameters: { tr: 2 }, refractory: 'tr + 1' }, 'refractory', 1, 'tr + 1', /parameters: tr/);
    rejects({ refractory: -1 }, 'refractory', 1, '-1');
    rejects({ refractory: Number.NaN }, 'refractory', 1, 'NaN');
    expect(defineNeuron({ parameters: { tr: 2 }, refractory: 'tr' }).refractory).toBe('tr');
  });

  it('reset assigning to an unknown name, or not an assignment', () => {
    rejects({ equations: 'dv/dt = 1', spike: 'v > 1', reset: 'v = 0\nw += 1' }, 'reset', 2, 'w', /not a variable/);
    rejects({ equations: 'dv/dt = 1', spike: 'v > 1', reset: 'dv/dt = 0' }, 'reset', 1, 'dv/dt', /assignments/);
    rejects({ equations: 'dv/dt = 1', spike: 'v > 1', reset: 'v = 0 : init = 1' }, 'reset', 1, 'v', /flags/);
    rejects({ equations: 'dv/dt = 1', spike: 'v > 1', reset: 'v = w' }, 'reset', 1, 'w', /unknown name/);
  });

  it('unknown description fields and wrong field types', () => {
    rejects({ equation: 'v = 1' } as NeuronDescription, 'description', 1, 'equation', /unknown field/);
    rejects({ equations: 3 } as unknown as NeuronDescription, 'equations', 1, '3', /string/);
  });
});

describe('parameters', () => {
  const params = (text: string) => defineNeuron({ parameters: text }).parameters;

  it('reads the text form', () => {
    expect(params('tau = 10.0 # ms\neta = 0.5 : population; n = 3 : int\nflag = True : bool, population\nE = -65e-3')).toEqual([
      { name: 'tau', value: 10, global: false, type: 'float' },
      { name: 'eta', value: 0.5, global: true, type: 'float' },
      { name: 'n', value: 3, global: false, type: 'int' },
      { name: 'flag', value: 1, global: true, type: 'bool' },
      { name: 'E', value: -0.065, global: false, type: 'float' },
    ]);
  });

  it.each<[string, number, string, RegExp]>([
    ['tau = 2*5', 1, '*', /number/],
    ['a = 1\ntau = a', 2, 'a', /number/],
    ['tau', 1, 'tau', /assignment/],
    ['tau += 1', 1, 'tau', /name = value/],
    ['n = 3.5 : int', 1, 'n', /integer/],
    ['b = 2 : bool', 1, 'b', /bool/],
    ['tau = 1 : local', 1, 'local', /unknown parameter flag/],
    ['tau = 1 : exponential', 1, 'exponential', /unknown parameter flag/],
    ['tau = 1\ntau = 2', 2, 'tau', /twice/],
    ['t = 1', 1, 't', /built-in/],
    ['Normal = 1', 1, 'Normal', /reserved/],
    ['x = 1 $', 1, '$', /unexpected character/],
  ])('rejects %j', (text, line, token, detail) => {
    rejects({ parameters: text }, 'parameters', line, token, detail);
  });

  it('rejects bad entries of the object form', () => {
    rejects({ parameters: { a: 1, 'b;c': 2 } }, 'parameters', 2, 'b;c', /not a valid name/);
    rejects({ parameters: { a: Number.POSITIVE_INFINITY } }, 'parameters', 1, 'a', /finite/);
    rejects({ parameters: { a: '1' as unknown as number } }, 'parameters', 1, 'a', /finite/);
    rejects({ parameters: { dt: 1 } }, 'parameters', 1, 'dt', /built-in/);
    rejects({ parameters: { exp: 1 } }, 'parameters', 1, 'exp', /reserved/);
  });
});
