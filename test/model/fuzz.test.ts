import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ModelError } from '../../src/errors.js';
import type { BinaryOp, Expr, FunctionName, NeuronSpec, Statement } from '../../src/model/ast.js';
import { defineNeuron, type NeuronDescription } from '../../src/model/analyze.js';

// ---------------------------------------------------------------------------------------------
// Printing expression trees as model text, with as few parentheses as precedence allows

const PRECEDENCE: Record<BinaryOp, number> = {
  or: 1, and: 2, '==': 4, '!=': 4, '<': 4, '>': 4, '<=': 4, '>=': 4, '+': 5, '-': 5, '*': 6, '/': 6, '^': 8,
};
const NOT = 3;
const UNARY_MINUS = 7;

function print(e: Expr, context = 0): string {
  const wrap = (own: number, text: string): string => (own < context ? `(${text})` : text);
  switch (e.kind) {
    case 'num': return e.value < 0 ? wrap(UNARY_MINUS, String(e.value)) : String(e.value);
    case 'name': return e.name;
    case 'unary':
      return e.op === '-' ? wrap(UNARY_MINUS, `-${print(e.arg, UNARY_MINUS)}`) : wrap(NOT, `not ${print(e.arg, NOT)}`);
    case 'binary': {
      const p = PRECEDENCE[e.op];
      // Comparisons do not chain: both operands one level up. Others are left-associative.
      const left = print(e.left, p === 4 ? p + 1 : p);
      return wrap(p, `${left} ${e.op} ${print(e.right, p + 1)}`);
    }
    case 'call': return `${e.fn}(${e.args.map((arg) => print(arg)).join(', ')})`;
    case 'ite': return `ite(${print(e.cond)}, ${print(e.then)}, ${print(e.else)})`;
    case 'random': return `${e.dist}(${e.args.map((arg) => print(arg)).join(', ')})`;
  }
}

// ---------------------------------------------------------------------------------------------
// Generating well-formed trees in the analyzer's canonical form

const NAMES = ['a', 'b', 'y', 't', 'dt', 'g_exc'];
const GLOBAL_PARAMETERS = ['a', 'b'];
const OPS: BinaryOp[] = ['+', '-', '*', '/', '==', '!=', '<', '>', '<=', '>=', 'and', 'or'];
const FUNCTIONS: [FunctionName, number][] = [
  ['exp', 1], ['log', 1], ['sqrt', 1], ['abs', 1], ['sin', 1], ['cos', 1], ['tan', 1], ['asin', 1],
  ['acos', 1], ['atan', 1], ['tanh', 1], ['pos', 1], ['neg', 1], ['clip', 3], ['modulo', 2],
];

const number = fc.oneof(
  fc.integer({ min: 0, max: 1000 }),
  fc.double({ min: 0, max: 1e6, noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(0.5, 1e-3, 2.5e-7, 1e21),
).map((value): Expr => ({ kind: 'num', value: value === 0 ? 0 : value }));

const randomArg = fc.oneof(number, fc.constantFrom(...GLOBAL_PARAMETERS).map((name): Expr => ({ kind: 'name', name })));

const { expr } = fc.letrec<{ expr: Expr }>((tie) => ({
  expr: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    number,
    fc.constantFrom(...NAMES).map((name): Expr => ({ kind: 'name', name })),
    // The parser folds `-<number>` into a number: generate what it produces.
    tie('expr').map((arg): Expr =>
      arg.kind === 'num' ? { kind: 'num', value: arg.value === 0 ? 0 : -arg.value } : { kind: 'unary', op: '-', arg }),
    tie('expr').map((arg): Expr => ({ kind: 'unary', op: 'not', arg })),
    fc.tuple(fc.constantFrom(...OPS), tie('expr'), tie('expr'))
      .map(([op, left, right]): Expr => ({ kind: 'binary', op, left, right })),
    fc.constantFrom(...FUNCTIONS).chain(([fn, arity]) =>
      fc.array(tie('expr'), { minLength: arity, maxLength: arity }).map((args): Expr => ({ kind: 'call', fn, args }))),
    fc.tuple(tie('expr'), tie('expr'), tie('expr')).map(([cond, then, otherwise]): Expr => ({ kind: 'ite', cond, then, else: otherwise })),
    fc.tuple(fc.constantFrom('Uniform' as const, 'Normal' as const), randomArg, randomArg)
      .map(([dist, x, y]): Expr => ({ kind: 'random', dist, args: [x, y] })),
  ),
}));

const PARAMETERS = 'a = 1 : population\nb = 2 : population\ntau = 10\nc = -65';

// ---------------------------------------------------------------------------------------------
// The AST invariant: only ast.ts node kinds, only resolved names, no other strings

const EXPR_KEYS: Record<Expr['kind'], string[]> = {
  num: ['kind', 'value'], name: ['kind', 'name'], unary: ['arg', 'kind', 'op'], binary: ['kind', 'left', 'op', 'right'],
  call: ['args', 'fn', 'kind'], ite: ['cond', 'else', 'kind', 'then'], random: ['args', 'dist', 'kind'],
};
const BINARY_OPS = new Set<string>(Object.keys(PRECEDENCE));
const FUNCTION_NAMES = new Set<string>([...FUNCTIONS.map(([fn]) => fn), 'pow']);

function checkExpr(e: Expr, names: ReadonlySet<string>): void {
  expect(Object.keys(e).sort()).toEqual(EXPR_KEYS[e.kind]);
  switch (e.kind) {
    case 'num': expect(Number.isFinite(e.value)).toBe(true); break;
    case 'name': expect(names.has(e.name), `unresolved name ${JSON.stringify(e.name)}`).toBe(true); break;
    case 'unary': expect(['-', 'not']).toContain(e.op); checkExpr(e.arg, names); break;
    case 'binary': expect(BINARY_OPS.has(e.op)).toBe(true); checkExpr(e.left, names); checkExpr(e.right, names); break;
    case 'call': expect(FUNCTION_NAMES.has(e.fn)).toBe(true); e.args.forEach((arg) => checkExpr(arg, names)); break;
    case 'ite': checkExpr(e.cond, names); checkExpr(e.then, names); checkExpr(e.else, names); break;
    case 'random':
      expect(['Uniform', 'Normal']).toContain(e.dist);
      expect(e.args).toHaveLength(2);
      e.args.forEach((arg) => expect(['num', 'name']).toContain(arg.kind));
      e.args.forEach((arg) => checkExpr(arg, names));
      break;
  }
}

function checkStatement(s: Statement, variables: ReadonlySet<string>, names: ReadonlySet<string>): void {
  expect(variables.has(s.target)).toBe(true);
  expect(Number.isInteger(s.line) && s.line >= 1).toBe(true);
  if (s.kind === 'assign') {
    expect(Object.keys(s).sort()).toEqual(['kind', 'line', 'op', 'target', 'value']);
    expect(['=', '+=', '-=', '*=', '/=']).toContain(s.op);
    checkExpr(s.value, names);
  } else {
    expect(s.kind).toBe('ode');
    expect(['explicit', 'exponential']).toContain(s.method);
    checkExpr(s.rhs, names);
    expect(s.linear !== undefined).toBe(s.method === 'exponential');
    if (s.linear) {
      checkExpr(s.linear.A, names);
      checkExpr(s.linear.B, names);
    }
  }
}

function checkSpec(spec: NeuronSpec): void {
  const identifier = /^[A-Za-z_][A-Za-z0-9_]*$/;
  const parameters = new Set(spec.parameters.map((p) => p.name));
  const variables = new Set(spec.variables.map((x) => x.name));
  const names = new Set([...parameters, ...variables, 't', 'dt', ...spec.targets.map((target) => `g_${target}`)]);
  for (const name of names) expect(name).toMatch(identifier);
  for (const p of spec.parameters) expect(Number.isFinite(p.value)).toBe(true);
  for (const x of spec.variables) {
    if (typeof x.init === 'number') expect(Number.isFinite(x.init)).toBe(true);
    else expect(parameters.has(x.init.param)).toBe(true);
    if (x.min) checkExpr(x.min, names);
    if (x.max) checkExpr(x.max, names);
  }
  expect(spec.instantaneousTargets.every((target) => spec.targets.includes(target) && !variables.has(`g_${target}`))).toBe(true);
  spec.equations.forEach((s) => checkStatement(s, variables, names));
  spec.reset.forEach((s) => checkStatement(s, variables, names));
  if (spec.spike) checkExpr(spec.spike, names);
  if (typeof spec.refractory === 'string') expect(parameters.has(spec.refractory)).toBe(true);
}

/** defineNeuron either returns a spec that satisfies the invariant, or throws a ModelError. */
function defineOrModelError(desc: NeuronDescription): NeuronSpec | undefined {
  try {
    const spec = defineNeuron(desc);
    checkSpec(spec);
    return spec;
  } catch (e) {
    if (!(e instanceof ModelError)) throw e;
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------

describe('fuzz', () => {
  const pieces = [
    'v', 'u', 'x', 'tau', 'a', 'c', 'g_exc', 'g_inh', 't', 'dt', 'pi', 'True', 'dv/dt', 'du/dt', 'dx/dt',
    '0', '1.5', '-65', '1e-3', '.5', '=', '+=', '*=', '+', '-', '*', '/', '^', '**', '(', ')', ',', ':', ';', '\n',
    ' ', '#', '==', '<', '>=', 'and', 'or', 'not', 'if', 'else', 'exp(', 'pow(', 'ite(', 'Normal(', 'Uniform(',
    'init', 'min', 'max', 'population', 'exponential', 'explicit', 'int', 'bool',
    // junk
    '@', '$', '`', "'", '"', '\\', '{', '}', '[', ']', '&', '|', '!', '%', '~', '?', '.', 'é', '\u0000', '\t',
  ];
  const text = fc.oneof(
    fc.array(fc.constantFrom(...pieces), { maxLength: 30 }).map((parts) => parts.join(' ')),
    fc.array(fc.constantFrom(...pieces), { maxLength: 30 }).map((parts) => parts.join('')),
    fc.string({ maxLength: 40 }),
  );

  it('random text: defineNeuron returns a valid spec or throws a ModelError, never anything else', () => {
    fc.assert(
      fc.property(
        fc.record({ parameters: fc.oneof(text, fc.constant(PARAMETERS)), equations: text, spike: text, reset: text, refractory: fc.oneof(text, fc.constant('tau')) }),
        (desc) => {
          defineOrModelError(desc);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('printed expression trees parse back to the same AST', () => {
    fc.assert(
      fc.property(expr, (tree) => {
        const text = print(tree);
        const spec = defineNeuron({ parameters: PARAMETERS, equations: `y = 1\nx = ${text}` });
        const statement = spec.equations[1]!;
        expect(statement.kind === 'assign' && statement.value, text).toEqual(tree);
        checkSpec(spec);
      }),
      { numRuns: 300 },
    );
  });

  it('well-formed models with mutations: accepted ones satisfy the AST invariant', () => {
    const flags = fc.oneof(
      { arbitrary: fc.constant(''), weight: 4 },
      { arbitrary: fc.constantFrom(' : init = c', ' : exponential', ' : min = a, max = 3', ' : population, int', ' : init = y'), weight: 1 },
    );
    const statements = fc.uniqueArray(
      fc.tuple(fc.constantFrom('x = ', 'w += ', 'dv/dt = ', 'tau * dz/dt + z = ', 'dg_exc/dt = '), expr, flags),
      { minLength: 1, maxLength: 4, selector: ([lhs]) => lhs },
    ).map((list) => ['y = 1', ...list.map(([lhs, e, f]) => `${lhs}${print(e)}${f}`)].join('\n'));
    const model = fc.record({
      equations: statements,
      spike: fc.oneof(expr.map((e) => `${print(e, 5)} > 0`), expr.map((e) => print(e))),
      reset: fc.constantFrom('', 'y = c', 'y += 1; y = a', 'tau = 1'),
    });
    const mutated = fc.tuple(model, fc.nat(), fc.constantFrom(...pieces), fc.boolean()).map(([m, at, piece, mutate]) => {
      if (!mutate) return m;
      const i = at % (m.equations.length + 1);
      return { ...m, equations: m.equations.slice(0, i) + piece + m.equations.slice(i) };
    });
    let accepted = 0;
    fc.assert(
      fc.property(mutated, (m) => {
        if (defineOrModelError({ parameters: PARAMETERS, ...m, refractory: 'tau' })) accepted++;
      }),
      { numRuns: 400 },
    );
    // The generator must reach the analyzer's success path often enough to mean something.
    expect(accepted).toBeGreaterThan(40);
  });
});
