/**
 * The per-neuron work of a model as a list of lowered operations, shared by the JS and the
 * WebAssembly back ends: statements in declaration order, consecutive ODEs as one block whose
 * increments are all computed from the old values, bounds and types applied after each write,
 * and which writes a refractory neuron skips (its conductances still evolve).
 */
import type { Expr, NeuronSpec, Statement, VariableSpec } from './ast.js';
import { ModelError, SpikeworldError } from '../errors.js';
import { asBool, asNum, Lowering, scale, type IR, type RandomTerm, type Typed } from './lower.js';

/** Storage and arithmetic of population state (setup({ precision })). */
export type Precision = 'double' | 'float';

export type Op =
  /** `const d_<target> = value` (an ODE increment, computed before the block's writes). */
  | { op: 'increment'; target: string; value: IR }
  /** `const <name> = value`: a part of target's increment that it reads more than once (IR 'temp'). */
  | { op: 'temp'; target: string; name: string; value: IR }
  /**
   * `v_<target> = value` (or the population's one value when `global`), then the variable's type
   * and bounds; skipped while refractory if gated.
   */
  | {
      op: 'write';
      target: string;
      value: IR;
      gated: boolean;
      global?: boolean;
      cast: 'float' | 'int' | 'bool';
      min?: IR;
      max?: IR;
      /**
       * Float storage only, on conductances: a value below the smallest normal float32 becomes 0.
       * A silent neuron's decaying conductance would otherwise sink into subnormals, which x86
       * computes slowly, and neither JS nor WebAssembly can flush them to zero by a mode.
       */
      flush?: boolean;
    };

export interface NeuronPlan {
  size: number;
  dt: number;
  /**
   * 'float': every operation of the kernel is rounded to float32, as float32 storage and SIMD lanes
   * compute (constant subexpressions are folded in double first, then rounded once).
   */
  precision: Precision;
  /** Names of the per-neuron state variables (held in locals in the loop), in declaration order. */
  stateVars: string[];
  /** Statements on `: population` variables, run once per step before the neuron loop. */
  population: Op[];
  integrate: Op[];
  /** Spike condition on the updated values. */
  cond: IR;
  /** Reset writes (never gated) and the state variables they read or write. */
  reset: Op[];
  resetVars: string[];
  resetTargets: string[];
  /**
   * Refractory steps: a constant (0 = no refractory code), or per neuron (ms expression; a
   * negative or NaN value there means none, as a negative constant does).
   */
  refractory: { steps: number } | { ms: IR };
  randomTerms: RandomTerm[];
  /** Every field the kernel reads or writes. */
  fields: string[];
}

export function planNeuron(
  spec: NeuronSpec,
  size: number,
  dt: number,
  folded: ReadonlyMap<string, number>,
  refractorySteps: number | null,
  precision: Precision = 'double',
): NeuronPlan {
  if (!spec.spike) {
    throw new SpikeworldError(`model '${spec.name}' has no spike condition: rate-coded models are not supported yet`);
  }
  const g = new Lowering(spec, folded, dt);
  const vars = new Map(spec.variables.map((v) => [v.name, v]));
  // A negative period (a parameter may hold one) is none, not a countdown that never ends.
  const steps = refractorySteps === null || refractorySteps > 0 ? refractorySteps : 0;
  const refractory = steps !== 0;
  const gated = (target: string) => refractory && !vars.get(target)?.conductance;
  const write = (target: string, value: IR, isGated: boolean): Op => {
    const v = vars.get(target) as VariableSpec;
    return {
      op: 'write',
      target,
      value,
      gated: isGated && !v.global,
      ...(v.global ? { global: true } : {}),
      cast: v.type,
      ...(v.min ? { min: asNum(g.lower(v.min)) } : {}),
      ...(v.max ? { max: asNum(g.lower(v.max)) } : {}),
      ...(precision === 'float' && v.conductance ? { flush: true } : {}),
    };
  };
  const current = (target: string): IR => (vars.get(target)?.global ? { k: 'global', name: target } : { k: 'local', name: target });
  const assigned = (s: Extract<Statement, { kind: 'assign' }>): IR => {
    const rhs = asNum(g.lower(s.value));
    return s.op === '=' ? rhs : { k: 'arith', op: s.op[0] as '+' | '-' | '*' | '/', a: current(s.target), b: rhs };
  };

  const isGlobal = (st: Statement) => vars.get(st.target)?.global === true;
  checkPopulationStatements(spec);
  const population = lowerStatements(spec.equations.filter(isGlobal));
  for (const op of population) {
    if (readsNeuron(op.value)) {
      throw new SpikeworldError(
        `model '${spec.name}': '${op.target}' is one value for the population (': population'), so its equation can use only ` +
          `numbers, t, dt and other ': population' parameters and variables`,
      );
    }
  }
  for (const op of population) g.used.add(op.target);
  const integrate = lowerStatements(spec.equations.filter((st) => !isGlobal(st)));
  function lowerStatements(eqs: Statement[]): Op[] {
  const ops: Op[] = [];
  for (let k = 0; k < eqs.length; ) {
    const s = eqs[k] as Statement;
    if (s.kind === 'assign') {
      ops.push(write(s.target, assigned(s), gated(s.target)));
      k++;
      continue;
    }
    const block: Extract<Statement, { kind: 'ode' }>[] = [];
    while (k < eqs.length && (eqs[k] as Statement).kind === 'ode') block.push(eqs[k++] as Extract<Statement, { kind: 'ode' }>);
    for (const o of block) ops.push(...increment(o, current(o.target), g, dt));
    for (const o of block) {
      const sum: IR = { k: 'arith', op: '+', a: current(o.target), b: { k: 'inc', target: o.target } };
      ops.push(write(o.target, sum, gated(o.target)));
    }
  }
  return ops;
  }
  const cond = asBool(g.lower(spec.spike));

  const resetNames = g.track();
  const reset: Op[] = [];
  for (const s of spec.reset) {
    if (s.kind !== 'assign') continue;
    if (vars.get(s.target)?.global) {
      throw new SpikeworldError(`model '${spec.name}': the reset cannot assign '${s.target}', one value for the whole population`);
    }
    resetNames.add(s.target);
    reset.push(write(s.target, assigned(s), false));
  }
  const refractoryPlan = steps === null ? { ms: asNum(g.lower(refractoryExpr(spec))) } : { steps };
  const stateVars = spec.variables.filter((v) => !v.global).map((v) => v.name);
  for (const name of stateVars) g.used.add(name);
  return {
    size,
    dt,
    precision,
    stateVars,
    population,
    integrate,
    cond,
    reset,
    resetVars: stateVars.filter((name) => resetNames.has(name)),
    resetTargets: spec.reset.map((s) => s.target),
    refractory: refractoryPlan,
    randomTerms: g.randomTerms,
    fields: [...g.used].sort(),
  };
}

/**
 * A `: population` variable's equation and its min/max bounds may read only numbers, t, dt and
 * other `: population` values. Checked on the AST, before any folding: whether a model is
 * accepted must not depend on whether a per-neuron parameter happens to hold one value across the
 * population.
 */
export function checkPopulationStatements(spec: NeuronSpec): void {
  const globalVars = new Set(spec.variables.filter((v) => v.global).map((v) => v.name));
  const oneValue = new Set(['t', 'dt', ...spec.parameters.filter((x) => x.global).map((x) => x.name), ...globalVars]);
  const lineOf = new Map(spec.equations.map((st) => [st.target, st.line]));
  const refuse = (target: string, what: string, expr: Expr) => {
    const names = new Set<string>();
    namesIn(expr, names);
    const perNeuron = [...names].find((n) => !oneValue.has(n));
    const reads = perNeuron !== undefined ? `the per-neuron '${perNeuron}'` : hasDraw(expr) ? 'a random draw (one per neuron)' : null;
    if (reads !== null) {
      const line = lineOf.get(target) ?? 1;
      throw new ModelError(
        spec.name, line, target,
        `equations line ${line}: '${target}' is one value for the population (': population'), so its ${what} cannot use ` +
          `${reads}; use numbers, t, dt and other ': population' parameters and variables`,
      );
    }
  };
  for (const st of spec.equations.filter((e) => globalVars.has(e.target))) refuse(st.target, 'equation', st.kind === 'assign' ? st.value : st.rhs);
  for (const v of spec.variables.filter((x) => x.global)) {
    if (v.min) refuse(v.name, 'min', v.min);
    if (v.max) refuse(v.name, 'max', v.max);
  }
  // A reset runs per spiking neuron: it cannot set one value for all of them.
  for (const st of spec.reset) {
    if (st.kind === 'assign' && globalVars.has(st.target)) {
      throw new ModelError(spec.name, st.line, st.target, `reset line ${st.line}: the reset cannot assign '${st.target}', one value for the whole population (a reset runs for each neuron that spikes)`);
    }
  }
}

function hasDraw(e: Expr): boolean {
  switch (e.kind) {
    case 'name': case 'num': return false;
    case 'random': return true;
    case 'unary': return hasDraw(e.arg);
    case 'binary': return hasDraw(e.left) || hasDraw(e.right);
    case 'call': return e.args.some(hasDraw);
    case 'ite': return hasDraw(e.cond) || hasDraw(e.then) || hasDraw(e.else);
  }
}

/**
 * How many random draws the model's text contains (equations, spike condition, reset, bounds), before any
 * folding: the most buffers a kernel of it can need. Folding may drop a draw (`noise * Normal(…)`
 * with noise = 0), but the parameter can change after compile and the rebuilt kernel draw again.
 */
export function randomDrawsIn(spec: NeuronSpec): number {
  const count = (e: Expr): number => {
    switch (e.kind) {
      case 'name': case 'num': return 0;
      case 'unary': return count(e.arg);
      case 'binary': return count(e.left) + count(e.right);
      case 'call': return e.args.reduce((n, a) => n + count(a), 0);
      case 'random': return 1 + e.args.reduce((n, a) => n + count(a), 0);
      case 'ite': return count(e.cond) + count(e.then) + count(e.else);
    }
  };
  const statements = [...spec.equations, ...spec.reset];
  const inStatements = statements.reduce((n, st) => n + count(st.kind === 'assign' ? st.value : st.rhs), spec.spike ? count(spec.spike) : 0);
  // A min/max is applied (and lowered, its draws with it) at every write of its variable.
  const inBounds = spec.variables.reduce((n, v) => {
    const draws = (v.min ? count(v.min) : 0) + (v.max ? count(v.max) : 0);
    return n + draws * statements.filter((st) => st.target === v.name).length;
  }, 0);
  return inStatements + inBounds;
}

/** Every name an expression reads. */
function namesIn(e: Expr, out: Set<string>): void {
  switch (e.kind) {
    case 'name': out.add(e.name); return;
    case 'num': return;
    case 'unary': namesIn(e.arg, out); return;
    case 'binary': namesIn(e.left, out); namesIn(e.right, out); return;
    case 'call': case 'random': for (const a of e.args) namesIn(a, out); return;
    case 'ite': namesIn(e.cond, out); namesIn(e.then, out); namesIn(e.else, out); return;
  }
}

/** Whether an expression reads anything per neuron (locals, per-neuron arrays, random draws). */
function readsNeuron(ir: IR): boolean {
  switch (ir.k) {
    case 'local': case 'field': case 'rand': return true;
    // A temporary's value is checked on its own op.
    case 'const': case 'global': case 't': case 'inc': case 'temp': return false;
    case 'scale': case 'not': case 'tonum': case 'tobool': return readsNeuron(ir.a);
    case 'arith': case 'pow': case 'cmp': case 'logic': return readsNeuron(ir.a) || readsNeuron(ir.b);
    case 'ite': return readsNeuron(ir.c) || readsNeuron(ir.a) || readsNeuron(ir.b);
    case 'call': return ir.args.some(readsNeuron);
  }
}

function refractoryExpr(spec: NeuronSpec): Expr {
  const r = spec.refractory;
  return typeof r === 'string' ? { kind: 'name', name: r } : { kind: 'num', value: r ?? 0 };
}

const c = (v: number): IR => ({ k: 'const', v });
const arith = (op: '+' | '-' | '*' | '/', a: IR, b: IR): IR => ({ k: 'arith', op, a, b });

/**
 * The ops computing the change of x (read as `x`) over one step: dt·f for explicit Euler,
 * (1 − e^(−B·dt))·(A/B − x) for exponential, whose limit where B = 0 is A·dt (the formula gives
 * 0·∞ or 0/0 there).
 */
function increment(o: Extract<Statement, { kind: 'ode' }>, x: IR, g: Lowering, dt: number): Op[] {
  const explicit = (f: Typed): Op[] => [{ op: 'increment', target: o.target, value: f.value !== undefined ? c(dt * f.value) : scale(f, dt).ir }];
  if (o.method !== 'exponential' || !o.linear) return explicit(g.lower(o.rhs));
  const A = g.lower(o.linear.A), B = g.lower(o.linear.B);
  if (B.value === undefined) return exponentialAtRunTime(o.target, asNum(A), asNum(B), x, dt);
  if (B.value === 0) return explicit(A);
  const ratio = A.value !== undefined ? c(A.value / B.value) : arith('/', asNum(A), c(B.value));
  return [{ op: 'increment', target: o.target, value: arith('*', c(1 - Math.exp(-B.value * dt)), arith('-', ratio, x)) }];
}

/**
 * Exponential Euler with B known only at run time: A and B computed once each, and A·dt selected
 * where B = 0 (a select in both back ends, so no branch in the WebAssembly loop). Where B ≠ 0 the
 * increment is the formula's, bit for bit.
 */
function exponentialAtRunTime(target: string, A: IR, B: IR, x: IR, dt: number): Op[] {
  // No kernel name starts A_ or B_ (state is v_, fields F_, increments d_).
  const a: IR = { k: 'temp', name: `A_${target}` }, b: IR = { k: 'temp', name: `B_${target}` };
  const decay: IR = { k: 'call', fn: 'exp', args: [arith('*', { k: 'scale', a: b, f: -1 }, c(dt))] };
  const formula = arith('*', arith('-', c(1), decay), arith('-', arith('/', a, b), x));
  const limit: IR = { k: 'scale', a, f: dt };
  return [
    { op: 'temp', target, name: a.name, value: A },
    { op: 'temp', target, name: b.name, value: B },
    { op: 'increment', target, value: { k: 'ite', c: { k: 'cmp', op: '==', a: b, b: c(0) }, a: limit, b: formula } },
  ];
}

/**
 * A stop condition of simulateUntil as a plan with no equations: `cond` (a boolean in the model
 * language) is its "spike" test, over the fields it reads, so that both back ends evaluate it as
 * they evaluate spike conditions (the same arithmetic, float32 rounding included).
 */
export function planStopCondition(spec: NeuronSpec, cond: Expr, size: number, dt: number, precision: Precision): NeuronPlan {
  const g = new Lowering(spec, new Map(), dt);
  const test = asBool(g.lower(cond));
  if (g.randomTerms.length > 0) throw new SpikeworldError(`stop condition of model '${spec.name}': random numbers are not allowed`);
  const perNeuron = new Set(spec.variables.filter((v) => !v.global).map((v) => v.name));
  const fields = [...g.used].sort();
  return {
    size,
    dt,
    precision,
    stateVars: fields.filter((f) => perNeuron.has(f)),
    population: [],
    integrate: [],
    cond: test,
    reset: [],
    resetVars: [],
    resetTargets: [],
    refractory: { steps: 0 },
    randomTerms: [],
    fields,
  };
}
