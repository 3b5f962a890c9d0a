/**
 * Semantic analysis of a neuron description: syntax trees (parser.ts) → the checked AST of
 * ast.ts. This is the second half of the security boundary: every name that leaves this file
 * was resolved to a parameter, a variable, a conductance `g_<target>`, `t` or `dt`; every other
 * word of the text became a number or a fixed function / operator tag, or an error.
 */
import type {
  Expr, FunctionName, Method, NeuronSpec, ParameterSpec, Statement, ValueType, VariableSpec,
} from './ast.js';
import { KEYWORDS, modelError, type SourceContext } from './lexer.js';
import {
  parseExpression, parseStatements,
  type Position, type SyntaxExpr, type SyntaxFlag, type SyntaxStatement,
} from './parser.js';

/** What a user writes to define a neuron model (ANNarchy's `Neuron(...)`). */
export interface NeuronDescription {
  /** Used in error messages; default 'Neuron'. */
  name?: string;
  /** Object form: every entry is per neuron and float. Text form: see equations.md. */
  parameters?: Record<string, number> | string;
  equations?: string;
  spike?: string;
  reset?: string;
  /** Milliseconds, or the name of a parameter holding them. */
  refractory?: number | string;
}

const DESCRIPTION_FIELDS: ReadonlySet<string> = new Set([
  'name', 'parameters', 'equations', 'spike', 'reset', 'refractory',
]);

const FUNCTIONS: ReadonlyMap<string, { fn: FunctionName; arity: number }> = new Map([
  ['exp', { fn: 'exp', arity: 1 }], ['log', { fn: 'log', arity: 1 }], ['ln', { fn: 'log', arity: 1 }],
  ['sqrt', { fn: 'sqrt', arity: 1 }], ['abs', { fn: 'abs', arity: 1 }], ['fabs', { fn: 'abs', arity: 1 }],
  ['sin', { fn: 'sin', arity: 1 }], ['cos', { fn: 'cos', arity: 1 }], ['tan', { fn: 'tan', arity: 1 }],
  ['asin', { fn: 'asin', arity: 1 }], ['acos', { fn: 'acos', arity: 1 }], ['atan', { fn: 'atan', arity: 1 }],
  ['tanh', { fn: 'tanh', arity: 1 }], ['pow', { fn: 'pow', arity: 2 }], ['power', { fn: 'pow', arity: 2 }],
  ['pos', { fn: 'pos', arity: 1 }], ['positive', { fn: 'pos', arity: 1 }],
  ['neg', { fn: 'neg', arity: 1 }], ['negative', { fn: 'neg', arity: 1 }],
  ['clip', { fn: 'clip', arity: 3 }], ['modulo', { fn: 'modulo', arity: 2 }],
]);

const DISTRIBUTIONS: ReadonlySet<string> = new Set(['Uniform', 'Normal']);
const CONSTANTS: ReadonlyMap<string, number> = new Map([['pi', Math.PI], ['True', 1], ['False', 0]]);
const BUILTIN_NAMES: ReadonlySet<string> = new Set(['t', 'dt']);

/**
 * Words a parameter or variable may not be called: the language's own, and JavaScript's, so that
 * code generation can use model names as identifiers as they are.
 */
const RESERVED: ReadonlySet<string> = new Set([
  ...KEYWORDS, ...CONSTANTS.keys(), ...BUILTIN_NAMES, ...FUNCTIONS.keys(), ...DISTRIBUTIONS, 'ite',
  'await', 'break', 'case', 'catch', 'class', 'const', 'continue', 'debugger', 'default', 'delete',
  'do', 'enum', 'export', 'extends', 'false', 'finally', 'for', 'function', 'implements', 'import',
  'in', 'instanceof', 'interface', 'let', 'new', 'null', 'package', 'private', 'protected', 'public',
  'return', 'static', 'super', 'switch', 'this', 'throw', 'true', 'try', 'typeof', 'var', 'void',
  'while', 'with', 'yield', 'arguments', 'eval', 'undefined', 'NaN', 'Infinity',
  '__proto__', 'constructor', 'prototype',
]);

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
const CONDUCTANCE = /^g_[A-Za-z0-9_]+$/;

/** Stands for `dx/dt` while the left side of an ODE is solved; never leaves this file. */
const DERIVATIVE = '\u0000d/dt';

/** Integer powers up to this exponent become products (`v^2` → `v*v`). */
const MAX_EXPANDED_POWER = 4;
/** ...when the base is at most this many nodes, so that nested powers cannot blow up the tree. */
const MAX_EXPANDED_BASE = 16;

/** Parses and checks a neuron description; throws ModelError naming model, line and token. */
export function defineNeuron(desc: NeuronDescription): NeuronSpec {
  const model = modelName(desc);
  checkDescriptionFields(desc, model);
  const parameters = parseParameters(desc.parameters, model);
  const analysis = new Analysis(model, parameters);
  const equations = analysis.equations(textField(desc, 'equations', model));
  const spike = desc.spike === undefined ? undefined : analysis.spike(textField(desc, 'spike', model));
  const reset = analysis.reset(textField(desc, 'reset', model));
  const refractory = checkRefractory(desc.refractory, parameters, model);
  const spec: NeuronSpec = {
    name: model,
    parameters: [...parameters.values()],
    variables: analysis.variables,
    targets: analysis.targets,
    instantaneousTargets: analysis.targets.filter((target) => !analysis.declared.has(`g_${target}`)),
    equations,
    reset,
  };
  if (spike !== undefined) spec.spike = spike;
  if (refractory !== undefined) spec.refractory = refractory;
  return spec;
}

// ---------------------------------------------------------------------------------------------
// Description fields

function modelName(desc: NeuronDescription): string {
  if (typeof desc !== 'object' && typeof desc !== 'function') {
    modelError({ model: 'Neuron', field: 'description' }, 1, String(desc), 'a neuron description must be an object');
  }
  if (desc === null) modelError({ model: 'Neuron', field: 'description' }, 1, 'null', 'a neuron description must be an object');
  if (desc.name === undefined) return 'Neuron';
  if (typeof desc.name !== 'string') {
    modelError({ model: 'Neuron', field: 'name' }, 1, String(desc.name), 'the model name must be a string');
  }
  return desc.name;
}

function checkDescriptionFields(desc: NeuronDescription, model: string): void {
  for (const key of Object.keys(desc)) {
    if (!DESCRIPTION_FIELDS.has(key)) {
      modelError({ model, field: 'description' }, 1, key,
        `unknown field '${key}'; a neuron description has ${[...DESCRIPTION_FIELDS].join(', ')}`);
    }
  }
}

function textField(desc: NeuronDescription, field: 'equations' | 'spike' | 'reset', model: string): string {
  const value = desc[field];
  if (value === undefined) return '';
  if (typeof value !== 'string') {
    modelError({ model, field }, 1, String(value), `${field} must be a string, got ${typeof value}`);
  }
  return value;
}

function checkRefractory(
  refractory: number | string | undefined, parameters: ReadonlyMap<string, ParameterSpec>, model: string,
): number | string | undefined {
  const ctx = { model, field: 'refractory' };
  if (refractory === undefined) return undefined;
  if (typeof refractory === 'number') {
    if (!Number.isFinite(refractory) || refractory < 0) {
      modelError(ctx, 1, String(refractory), 'refractory must be a finite number of ms >= 0 or a parameter name');
    }
    return refractory;
  }
  if (typeof refractory !== 'string' || !parameters.has(refractory)) {
    const known = [...parameters.keys()].join(', ') || 'none';
    modelError(ctx, 1, String(refractory),
      `refractory must be a number of ms or the name of a parameter (parameters: ${known})`);
  }
  return refractory;
}

// ---------------------------------------------------------------------------------------------
// Parameters

function parseParameters(
  parameters: NeuronDescription['parameters'], model: string,
): Map<string, ParameterSpec> {
  const ctx = { model, field: 'parameters' };
  if (parameters === undefined) return new Map();
  if (typeof parameters === 'string') return parseParameterText(parameters, ctx);
  if (typeof parameters !== 'object' || parameters === null || Array.isArray(parameters)) {
    modelError(ctx, 1, String(parameters), 'parameters must be an object { name: value } or a text');
  }
  const specs = new Map<string, ParameterSpec>();
  Object.entries(parameters).forEach(([name, value], index) => {
    // Object entries have no line: the entry's position stands in for it.
    checkNewName(name, ctx, index + 1, specs);
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      modelError(ctx, index + 1, name, `parameter '${name}' must be a finite number, got ${String(value)}`);
    }
    specs.set(name, { name, value, global: false, type: 'float' });
  });
  return specs;
}

function parseParameterText(text: string, ctx: SourceContext): Map<string, ParameterSpec> {
  const specs = new Map<string, ParameterSpec>();
  for (const statement of parseStatements(text, ctx, { derivatives: false })) {
    const { lhs, line } = statement;
    if (lhs.kind !== 'name' || statement.op !== '=') {
      modelError(ctx, line, lhs.token, "a parameter is written 'name = value'");
    }
    checkNewName(lhs.name, ctx, line, specs);
    const value = parameterValue(statement.rhs, ctx);
    let global = false;
    let type: ValueType = 'float';
    for (const flag of statement.flags) {
      if (flag.value !== undefined || !['population', 'int', 'bool'].includes(flag.name)) {
        modelError(ctx, flag.line, flag.name,
          `unknown parameter flag '${flag.name}${flag.value ? ' = ...' : ''}'; parameter flags are population, int, bool`);
      }
      if (flag.name === 'population') global = true;
      else type = setType(type, flag, ctx);
    }
    checkTypedValue(lhs.name, value, type, ctx, line);
    specs.set(lhs.name, { name: lhs.name, value, global, type });
  }
  return specs;
}

function parameterValue(rhs: SyntaxExpr, ctx: SourceContext): number {
  if (rhs.kind === 'num') return rhs.value;
  if (rhs.kind === 'name' && (rhs.name === 'True' || rhs.name === 'False')) return rhs.name === 'True' ? 1 : 0;
  return modelError(ctx, rhs.line, rhs.token, 'a parameter value must be a number (expressions are not allowed)');
}

function checkTypedValue(name: string, value: number, type: ValueType, ctx: SourceContext, line: number): void {
  if (type === 'int' && !Number.isInteger(value)) {
    modelError(ctx, line, name, `int parameter '${name}' needs an integer value, got ${value}`);
  }
  if (type === 'bool' && value !== 0 && value !== 1) {
    modelError(ctx, line, name, `bool parameter '${name}' needs True, False, 1 or 0, got ${value}`);
  }
}

function setType(current: ValueType, flag: SyntaxFlag, ctx: SourceContext): ValueType {
  const type = flag.name as ValueType;
  if (current !== 'float' && current !== type) {
    modelError(ctx, flag.line, flag.name, `conflicting types '${current}' and '${type}'`);
  }
  return type;
}

/** A parameter or variable name must be an identifier, not reserved, not taken. */
function checkNewName(name: string, ctx: SourceContext, line: number, taken: ReadonlyMap<string, unknown>): void {
  if (!IDENTIFIER.test(name)) modelError(ctx, line, name, `'${name}' is not a valid name (letters, digits, _)`);
  if (BUILTIN_NAMES.has(name)) modelError(ctx, line, name, `cannot define '${name}': it is the built-in time${name === 'dt' ? ' step' : ''}`);
  if (RESERVED.has(name)) modelError(ctx, line, name, `'${name}' is a reserved word and cannot name a parameter or variable`);
  if (taken.has(name)) modelError(ctx, line, name, `'${name}' is defined twice`);
}

// ---------------------------------------------------------------------------------------------
// Equations, spike, reset

interface Declaration {
  name: string;
  line: number;
}

interface Flags {
  init: number | { param: string };
  min?: Expr;
  max?: Expr;
  global: boolean;
  type: ValueType;
  method: Method;
}

/** Name resolution and checks for one model; holds what the statements declared. */
class Analysis {
  readonly variables: VariableSpec[] = [];
  /** Declared variables, known before any expression is resolved (use before definition is fine). */
  readonly declared = new Map<string, Declaration>();
  readonly targets: string[] = [];
  private ctx: SourceContext;

  constructor(
    private readonly model: string,
    private readonly parameters: ReadonlyMap<string, ParameterSpec>,
  ) {
    this.ctx = { model, field: 'equations' };
  }

  equations(text: string): Statement[] {
    this.ctx = { model: this.model, field: 'equations' };
    const statements = parseStatements(text, this.ctx, { derivatives: true });
    for (const statement of statements) this.declare(statement);
    return statements.map((statement) => this.statement(statement));
  }

  spike(text: string): Expr {
    this.ctx = { model: this.model, field: 'spike' };
    const syntax = parseExpression(text, this.ctx);
    const condition = this.resolve(syntax);
    if (!isCondition(condition)) {
      this.fail(syntax, `spike must be a condition such as 'v > v_thresh', got an arithmetic expression`);
    }
    return condition;
  }

  reset(text: string): Statement[] {
    this.ctx = { model: this.model, field: 'reset' };
    return parseStatements(text, this.ctx, { derivatives: true }).map((statement) => {
      const { lhs } = statement;
      if (findDerivatives(lhs).length > 0) this.fail(lhs, 'reset statements are assignments; ODEs belong in equations');
      if (lhs.kind !== 'name') this.fail(lhs, 'the left side of a reset statement must be a variable');
      this.checkAssignable(lhs);
      if (!this.declared.has(lhs.name)) {
        this.fail(lhs, `reset assigns to '${lhs.name}', which is not a variable of the model${this.suggest(lhs.name)}`);
      }
      if (statement.flags.length > 0) this.fail(lhs, 'flags are not allowed in reset');
      return { kind: 'assign', target: lhs.name, op: statement.op, value: this.resolve(statement.rhs), line: statement.line };
    });
  }

  /** First pass: what does this statement define? Checks the left side's shape. */
  private declare(statement: SyntaxStatement): void {
    const { lhs } = statement;
    const derivatives = findDerivatives(lhs);
    const first = derivatives[0];
    let target: Position;
    let name: string;
    if (first !== undefined) {
      const other = derivatives.find((d) => d.target !== first.target);
      if (other !== undefined) {
        this.fail(other, `derivative of another variable ('${other.target}') on the left side of the ODE of '${first.target}'`);
      }
      if (statement.op !== '=') this.fail(first, `an ODE is written with '=', not '${statement.op}'`);
      [target, name] = [first, first.target];
    } else if (lhs.kind === 'name') {
      [target, name] = [lhs, lhs.name];
    } else {
      return this.fail(lhs, 'the left side must be a variable name, or contain dx/dt linearly');
    }
    this.checkAssignable({ name, line: target.line, token: target.token });
    const previous = this.declared.get(name);
    if (previous !== undefined) {
      this.fail(target, `'${name}' is defined twice (lines ${previous.line} and ${statement.line})`);
    }
    if (!IDENTIFIER.test(name) || RESERVED.has(name)) {
      this.fail(target, `'${name}' is a reserved word and cannot name a variable`);
    }
    this.declared.set(name, { name, line: statement.line });
  }

  private checkAssignable(target: { name: string } & Position): void {
    if (BUILTIN_NAMES.has(target.name)) this.fail(target, `cannot assign to '${target.name}': it is the built-in time${target.name === 'dt' ? ' step' : ''}`);
    if (CONSTANTS.has(target.name)) this.fail(target, `cannot assign to the constant '${target.name}'`);
    if (this.parameters.has(target.name)) {
      this.fail(target, `assignment to the parameter '${target.name}': parameters are constant, declare a variable instead`);
    }
  }

  /** Second pass: resolves a statement declared by `declare`, in text order (targets are recorded in first-use order). */
  private statement(statement: SyntaxStatement): Statement {
    const derivative = findDerivatives(statement.lhs)[0];
    const target = derivative !== undefined ? derivative.target : (statement.lhs as { name: string }).name;
    if (CONDUCTANCE.test(target)) this.recordTarget(target.slice(2));
    const value = derivative !== undefined ? this.solveForDerivative(statement, derivative) : this.resolve(statement.rhs);
    const flags = this.flags(statement, target, derivative !== undefined);
    this.variables.push({
      name: target, init: flags.init, global: flags.global, type: flags.type,
      conductance: CONDUCTANCE.test(target),
      ...(flags.min === undefined ? {} : { min: flags.min }),
      ...(flags.max === undefined ? {} : { max: flags.max }),
    });
    const line = statement.line;
    if (derivative === undefined) return { kind: 'assign', target, op: statement.op, value, line };
    if (flags.method === 'explicit') return { kind: 'ode', target, rhs: value, method: 'explicit', line };
    const linear = this.linearForm(value, target, derivative);
    return { kind: 'ode', target, rhs: value, method: 'exponential', linear, line };
  }

  /** `a*dx/dt + c = e` → `dx/dt = (e - c) / a`. */
  private solveForDerivative(statement: SyntaxStatement, derivative: SyntaxExpr): Expr {
    const lhs = this.resolve(statement.lhs, true);
    const split = linearIn(lhs, DERIVATIVE);
    if (split === null) this.fail(derivative, `${derivative.token} must appear linearly on the left side (a * ${derivative.token} + c)`);
    if (isNum(split.a, 0)) this.fail(derivative, `${derivative.token} cancels out of the left side`);
    // The solved form may share subtrees between a and c: hand out a tree, not a graph.
    return structuredClone(div(sub(this.resolve(statement.rhs), split.c), split.a));
  }

  /** For `exponential`: dx/dt = A - B*x with A, B free of x. */
  private linearForm(rhs: Expr, target: string, derivative: SyntaxExpr): { A: Expr; B: Expr } {
    const split = linearIn(rhs, target);
    if (split === null) {
      this.fail(derivative, `'exponential' needs d${target}/dt = A - B*${target} with A and B free of '${target}'; the equation of '${target}' is not linear in '${target}' (use 'explicit')`);
    }
    if (isNum(split.a, 0)) {
      this.fail(derivative, `'exponential' needs d${target}/dt = A - B*${target}, but '${target}' does not appear on the right side`);
    }
    return { A: structuredClone(split.c), B: structuredClone(neg(split.a)) };
  }

  private flags(statement: SyntaxStatement, target: string, ode: boolean): Flags {
    const flags: Flags = { init: 0, global: false, type: 'float', method: 'explicit' };
    const seen = new Set<string>();
    for (const flag of statement.flags) {
      const at = { line: flag.line, token: flag.name };
      if (seen.has(flag.name)) this.fail(at, `flag '${flag.name}' is given twice`);
      seen.add(flag.name);
      const valued = flag.name === 'init' || flag.name === 'min' || flag.name === 'max';
      if (valued !== (flag.value !== undefined) && isKnownFlag(flag.name)) {
        this.fail(at, valued ? `flag '${flag.name}' needs a value ('${flag.name} = ...')` : `flag '${flag.name}' takes no value`);
      }
      switch (flag.name) {
        case 'init': flags.init = this.initValue(flag.value!); break;
        case 'min': flags.min = this.resolve(flag.value!); break;
        case 'max': flags.max = this.resolve(flag.value!); break;
        case 'population': flags.global = true; break;
        case 'int': case 'bool': flags.type = setType(flags.type, flag, this.ctx); break;
        case 'explicit': case 'exponential':
          if (!ode) this.fail(at, `'${flag.name}' is a method for ODEs; '${target}' is an assignment`);
          if (seen.has(flag.name === 'explicit' ? 'exponential' : 'explicit')) this.fail(at, 'conflicting methods');
          flags.method = flag.name;
          break;
        default: this.fail(at, unknownFlag(flag.name));
      }
    }
    // After every flag: `int` may come after `init`. (A parameter's value is checked as it is read.)
    const init = statement.flags.find((f) => f.name === 'init');
    if (init && typeof flags.init === 'number') {
      if (flags.type === 'int' && !Number.isInteger(flags.init)) this.fail({ line: init.line, token: 'init' }, `int variable '${target}' needs an integer init, got ${flags.init}`);
      if (flags.type === 'bool' && flags.init !== 0 && flags.init !== 1) this.fail({ line: init.line, token: 'init' }, `bool variable '${target}' needs init True, False, 1 or 0, got ${flags.init}`);
    }
    return flags;
  }

  private initValue(value: SyntaxExpr): number | { param: string } {
    if (value.kind === 'num') return value.value;
    if (value.kind === 'name') {
      const constant = CONSTANTS.get(value.name);
      if (constant !== undefined) return constant;
      if (this.parameters.has(value.name)) return { param: value.name };
      if (this.declared.has(value.name)) {
        this.fail(value, `init cannot name the variable '${value.name}': use a number or a parameter`);
      }
      if (!this.isKnownName(value.name)) this.resolve(value); // throws the unknown-name error
    }
    return this.fail(value, 'init must be a number or a parameter name');
  }

  /** Syntax → AST. `leftSide`: `dx/dt` allowed (it becomes the DERIVATIVE placeholder). */
  private resolve(e: SyntaxExpr, leftSide = false): Expr {
    switch (e.kind) {
      case 'num': return { kind: 'num', value: e.value };
      case 'name': return this.resolveName(e);
      case 'deriv':
        if (!leftSide) this.fail(e, `${e.token} may only appear on the left side of an ODE`);
        return { kind: 'name', name: DERIVATIVE };
      case 'unary': return { kind: 'unary', op: e.op, arg: this.resolve(e.arg, leftSide) };
      case 'ite':
        return { kind: 'ite', cond: this.resolve(e.cond, leftSide), then: this.resolve(e.then, leftSide), else: this.resolve(e.else, leftSide) };
      case 'call': return this.resolveCall(e, leftSide);
      case 'binary': {
        if (e.op === '/') this.checkMisplacedDerivative(e);
        const left = this.resolve(e.left, leftSide);
        const right = this.resolve(e.right, leftSide);
        return e.op === '^' ? power(left, right) : { kind: 'binary', op: e.op, left, right };
      }
    }
  }

  private resolveName(e: SyntaxExpr & { kind: 'name' }): Expr {
    const { name } = e;
    const constant = CONSTANTS.get(name);
    if (constant !== undefined) return { kind: 'num', value: constant };
    if (BUILTIN_NAMES.has(name) || this.parameters.has(name)) return { kind: 'name', name };
    if (this.declared.has(name) || CONDUCTANCE.test(name)) {
      if (CONDUCTANCE.test(name)) this.recordTarget(name.slice(2));
      return { kind: 'name', name };
    }
    if (FUNCTIONS.has(name) || DISTRIBUTIONS.has(name) || name === 'ite') {
      this.fail(e, `'${name}' is a function: call it as ${name}(...)`);
    }
    if (/^d[A-Za-z_]/.test(name) && this.declared.has(name.slice(1))) {
      this.fail(e, `unknown name '${name}' (a derivative ${name}/dt may only appear on the left side of an ODE)`);
    }
    return this.fail(e, `unknown name '${name}'${this.suggest(name)}`);
  }

  /** `du/dt` outside a left side parses as `du / dt`: say what is wrong instead of "unknown du". */
  private checkMisplacedDerivative(e: SyntaxExpr & { kind: 'binary' }): void {
    const { left, right } = e;
    if (left.kind !== 'name' || right.kind !== 'name' || right.name !== 'dt') return;
    if (!/^d[A-Za-z_]/.test(left.name) || this.isKnownName(left.name)) return;
    const variable = left.name.slice(1);
    if (this.declared.has(variable)) {
      this.fail(left, `${left.name}/dt may only appear on the left side of an ODE`);
    }
    this.fail(left, `derivative of an undeclared variable '${variable}'`);
  }

  private resolveCall(e: SyntaxExpr & { kind: 'call' }, leftSide: boolean): Expr {
    if (DISTRIBUTIONS.has(e.fn)) return this.resolveRandom(e);
    const known = FUNCTIONS.get(e.fn);
    if (known === undefined) {
      if (this.isKnownName(e.fn)) this.fail(e, `'${e.fn}' is not a function`);
      return this.fail(e, `unknown function '${e.fn}'${suggestFrom(e.fn, [...FUNCTIONS.keys(), ...DISTRIBUTIONS, 'ite'])}`);
    }
    if (e.args.length !== known.arity) {
      this.fail(e, `${e.fn}() takes ${known.arity} argument${known.arity > 1 ? 's' : ''}, got ${e.args.length}`);
    }
    const args = e.args.map((arg) => this.resolve(arg, leftSide));
    if (known.fn === 'pow') return power(args[0]!, args[1]!);
    return { kind: 'call', fn: known.fn, args };
  }

  private resolveRandom(e: SyntaxExpr & { kind: 'call' }): Expr {
    if (e.args.length !== 2) this.fail(e, `${e.fn}() takes 2 arguments, got ${e.args.length}`);
    const args = e.args.map((arg): Expr => {
      if (arg.kind === 'num') return { kind: 'num', value: arg.value };
      if (arg.kind === 'name' && this.parameters.get(arg.name)?.global === true) return { kind: 'name', name: arg.name };
      const detail = arg.kind === 'name' && this.parameters.has(arg.name) ? ` ('${arg.name}' is per neuron)` : '';
      return this.fail(arg, `the arguments of ${e.fn}() must be numbers or global (': population') parameters${detail}`);
    });
    return { kind: 'random', dist: e.fn as 'Uniform' | 'Normal', args: [args[0]!, args[1]!] };
  }

  private isKnownName(name: string): boolean {
    return CONSTANTS.has(name) || BUILTIN_NAMES.has(name) || this.parameters.has(name) ||
      this.declared.has(name) || CONDUCTANCE.test(name);
  }

  private recordTarget(target: string): void {
    if (!this.targets.includes(target)) this.targets.push(target);
  }

  private suggest(name: string): string {
    return suggestFrom(name, [...this.parameters.keys(), ...this.declared.keys(), ...BUILTIN_NAMES]);
  }

  private fail(at: Position | { line: number; token: string }, detail: string): never {
    return modelError(this.ctx, at.line, at.token, detail);
  }
}

function isKnownFlag(name: string): boolean {
  return ['init', 'min', 'max', 'population', 'int', 'bool', 'explicit', 'exponential'].includes(name);
}

function unknownFlag(name: string): string {
  const methods = ['implicit', 'midpoint', 'rk4', 'semiimplicit', 'event-driven', 'euler'];
  const hint = methods.includes(name) ? ` (method '${name}' is not supported: use explicit or exponential)` : '';
  return `unknown flag '${name}'${hint}; flags are init, min, max, population, int, bool, explicit, exponential`;
}

function findDerivatives(e: SyntaxExpr): (SyntaxExpr & { kind: 'deriv' })[] {
  switch (e.kind) {
    case 'deriv': return [e];
    case 'num': case 'name': return [];
    case 'unary': return findDerivatives(e.arg);
    case 'binary': return [...findDerivatives(e.left), ...findDerivatives(e.right)];
    case 'call': return e.args.flatMap(findDerivatives);
    case 'ite': return [...findDerivatives(e.cond), ...findDerivatives(e.then), ...findDerivatives(e.else)];
  }
}

/** A spike condition is boolean at its top: a comparison, and/or/not, a name, a number. */
function isCondition(e: Expr): boolean {
  switch (e.kind) {
    case 'num': case 'name': return true;
    case 'unary': return e.op === 'not';
    case 'binary': return !['+', '-', '*', '/', '^'].includes(e.op);
    case 'ite': return isCondition(e.then) && isCondition(e.else);
    case 'call': case 'random': return false;
  }
}

/** "; did you mean 'v'?" for a name at most two edits away from a known one. */
function suggestFrom(name: string, candidates: string[]): string {
  let best: string | undefined;
  let bestDistance = 3;
  for (const candidate of candidates) {
    const distance = editDistance(name, candidate);
    if (distance < bestDistance && distance < Math.max(name.length, candidate.length)) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best === undefined ? '' : `; did you mean '${best}'?`;
}

function editDistance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) {
      next[j] = Math.min(row[j]! + 1, next[j - 1]! + 1, row[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    row = next;
  }
  return row[b.length]!;
}

// ---------------------------------------------------------------------------------------------
// Symbolic algebra: just enough to solve linear forms, with simplifications so that simple
// models keep simple ASTs (`dx/dt = e` stays `e`, `tau*dx/dt = e` becomes `e / tau`).

function num(value: number): Expr {
  return { kind: 'num', value: value === 0 ? 0 : value };
}

function isNum(e: Expr, value: number): boolean {
  return e.kind === 'num' && e.value === value;
}

/** Folds two numbers when the result is a finite number; otherwise keeps the node. */
function fold(op: '+' | '-' | '*' | '/', x: Expr, y: Expr): Expr | undefined {
  if (x.kind !== 'num' || y.kind !== 'num') return undefined;
  const value =
    op === '+' ? x.value + y.value
    : op === '-' ? x.value - y.value
    : op === '*' ? x.value * y.value
    : x.value / y.value;
  return Number.isFinite(value) ? num(value) : undefined;
}

function isNegation(e: Expr): e is Expr & { kind: 'unary' } {
  return e.kind === 'unary' && e.op === '-';
}

/** Written with a leading minus: `-x`, `-2`, `(-a)/b`. Such terms are better subtracted. */
function isNegative(e: Expr): boolean {
  if (e.kind === 'num') return e.value < 0;
  if (e.kind === 'binary') return (e.op === '*' || e.op === '/') && isNegative(e.left);
  return isNegation(e);
}

function add(x: Expr, y: Expr): Expr {
  if (isNum(x, 0)) return y;
  if (isNum(y, 0)) return x;
  const folded = fold('+', x, y);
  if (folded) return folded;
  if (isNegative(y)) return sub(x, neg(y));
  return { kind: 'binary', op: '+', left: x, right: y };
}

function sub(x: Expr, y: Expr): Expr {
  if (isNum(y, 0)) return x;
  if (isNum(x, 0)) return neg(y);
  const folded = fold('-', x, y);
  if (folded) return folded;
  if (isNegative(y)) return add(x, neg(y));
  // x - (a - b) = x + (b - a): terminates, the second argument shrinks.
  if (y.kind === 'binary' && y.op === '-') return add(x, sub(y.right, y.left));
  return { kind: 'binary', op: '-', left: x, right: y };
}

function neg(x: Expr): Expr {
  if (x.kind === 'num') return num(-x.value);
  if (isNegation(x)) return x.arg;
  if (x.kind === 'binary' && x.op === '-') return sub(x.right, x.left);
  if (x.kind === 'binary' && (x.op === '/' || (x.op === '*' && (x.left.kind === 'num' || isNegative(x.left))))) {
    return { ...x, left: neg(x.left) };
  }
  return { kind: 'unary', op: '-', arg: x };
}

function mul(x: Expr, y: Expr): Expr {
  if (isNum(x, 0) || isNum(y, 0)) return num(0);
  if (isNum(x, 1)) return y;
  if (isNum(y, 1)) return x;
  if (isNum(x, -1)) return neg(y);
  if (isNum(y, -1)) return neg(x);
  return fold('*', x, y) ?? { kind: 'binary', op: '*', left: x, right: y };
}

function div(x: Expr, y: Expr): Expr {
  if (isNum(y, 1)) return x;
  if (isNum(y, -1)) return neg(x);
  if (isNum(x, 0) && !isNum(y, 0)) return num(0);
  return fold('/', x, y) ?? { kind: 'binary', op: '/', left: x, right: y };
}

function mentions(e: Expr, name: string): boolean {
  switch (e.kind) {
    case 'num': return false;
    case 'name': return e.name === name;
    case 'unary': return mentions(e.arg, name);
    case 'binary': return mentions(e.left, name) || mentions(e.right, name);
    case 'call': return e.args.some((arg) => mentions(arg, name));
    case 'ite': return mentions(e.cond, name) || mentions(e.then, name) || mentions(e.else, name);
    case 'random': return e.args.some((arg) => mentions(arg, name));
  }
}

/**
 * Writes `e` as `a * x + c` with `a`, `c` free of `x`, over `+ - * /` and unary minus;
 * null when `e` is not of that form (x inside a function, a power, a condition, x*x, k/x...).
 */
export function linearIn(e: Expr, x: string): { a: Expr; c: Expr } | null {
  if (!mentions(e, x)) return { a: num(0), c: e };
  if (e.kind === 'name') return { a: num(1), c: num(0) };
  if (isNegation(e)) {
    const inner = linearIn(e.arg, x);
    return inner && { a: neg(inner.a), c: neg(inner.c) };
  }
  if (e.kind !== 'binary') return null;
  const { left, right } = e;
  switch (e.op) {
    case '+': case '-': {
      const l = linearIn(left, x);
      const r = linearIn(right, x);
      if (l === null || r === null) return null;
      const combine = e.op === '+' ? add : sub;
      return { a: combine(l.a, r.a), c: combine(l.c, r.c) };
    }
    case '*': {
      const [factor, term] = mentions(left, x) ? [right, left] : [left, right];
      if (mentions(factor, x)) return null;
      const inner = linearIn(term, x);
      return inner && { a: mul(factor, inner.a), c: mul(factor, inner.c) };
    }
    case '/': {
      if (mentions(right, x)) return null;
      const inner = linearIn(left, x);
      return inner && { a: div(inner.a, right), c: div(inner.c, right) };
    }
    default:
      return null;
  }
}

/** `base ^ exponent`: small integer exponents become products, the rest `pow`. */
function power(base: Expr, exponent: Expr): Expr {
  const n = exponent.kind === 'num' ? exponent.value : NaN;
  if (n === 1) return base;
  // A random draw must not be duplicated: Normal(0,1)^2 is one draw squared, not two draws.
  if (Number.isInteger(n) && n >= 2 && n <= MAX_EXPANDED_POWER && size(base) <= MAX_EXPANDED_BASE && !hasRandom(base)) {
    let product: Expr = base;
    for (let i = 1; i < n; i++) product = { kind: 'binary', op: '*', left: product, right: structuredClone(base) };
    return product;
  }
  return { kind: 'call', fn: 'pow', args: [base, exponent] };
}

function size(e: Expr): number {
  switch (e.kind) {
    case 'num': case 'name': return 1;
    case 'unary': return 1 + size(e.arg);
    case 'binary': return 1 + size(e.left) + size(e.right);
    case 'call': case 'random': return e.args.reduce((total, arg) => total + size(arg), 1);
    case 'ite': return 1 + size(e.cond) + size(e.then) + size(e.else);
  }
}

function hasRandom(e: Expr): boolean {
  switch (e.kind) {
    case 'random': return true;
    case 'num': case 'name': return false;
    case 'unary': return hasRandom(e.arg);
    case 'binary': return hasRandom(e.left) || hasRandom(e.right);
    case 'call': return e.args.some(hasRandom);
    case 'ite': return hasRandom(e.cond) || hasRandom(e.then) || hasRandom(e.else);
  }
}
