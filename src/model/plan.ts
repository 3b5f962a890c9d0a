/**
 * The per-neuron work of a model as a list of lowered operations, shared by the JS and the
 * WebAssembly back ends: statements in declaration order, consecutive ODEs as one block whose
 * increments are all computed from the old values, bounds and types applied after each write,
 * and which writes a refractory neuron skips (its conductances still evolve).
 */
import type { Expr, NeuronSpec, Statement, VariableSpec } from './ast.js';
import { SpikeworldError } from '../errors.js';
import { asBool, asNum, Lowering, scale, type IR, type RandomTerm } from './lower.js';

export type Op =
  /** `const d_<target> = value` (an ODE increment, computed before the block's writes). */
  | { op: 'increment'; target: string; value: IR }
  /** `v_<target> = value`, then the variable's type and bounds; skipped while refractory if gated. */
  | { op: 'write'; target: string; value: IR; gated: boolean; cast: 'float' | 'int' | 'bool'; min?: IR; max?: IR };

export interface NeuronPlan {
  size: number;
  dt: number;
  /** Names of the state variables (held in locals in the loop), in declaration order. */
  stateVars: string[];
  integrate: Op[];
  /** Spike condition on the updated values. */
  cond: IR;
  /** Reset writes (never gated) and the state variables they read or write. */
  reset: Op[];
  resetVars: string[];
  resetTargets: string[];
  /** Refractory steps: a constant (0 = no refractory code), or per neuron (ms expression). */
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
): NeuronPlan {
  for (const v of spec.variables) {
    if (v.global) {
      throw new SpikeworldError(
        `model '${spec.name}': the global variable '${v.name}' (': population') is not supported yet; declare it per neuron`,
      );
    }
  }
  if (!spec.spike) {
    throw new SpikeworldError(`model '${spec.name}' has no spike condition: rate-coded models are not supported yet`);
  }
  const g = new Lowering(spec, folded, dt);
  const vars = new Map(spec.variables.map((v) => [v.name, v]));
  const refractory = refractorySteps !== 0;
  const gated = (target: string) => refractory && !vars.get(target)?.conductance;
  const write = (target: string, value: IR, isGated: boolean): Op => {
    const v = vars.get(target) as VariableSpec;
    return {
      op: 'write',
      target,
      value,
      gated: isGated,
      cast: v.type,
      ...(v.min ? { min: asNum(g.lower(v.min)) } : {}),
      ...(v.max ? { max: asNum(g.lower(v.max)) } : {}),
    };
  };
  const assigned = (s: Extract<Statement, { kind: 'assign' }>): IR => {
    const rhs = asNum(g.lower(s.value));
    return s.op === '=' ? rhs : { k: 'arith', op: s.op[0] as '+' | '-' | '*' | '/', a: { k: 'local', name: s.target }, b: rhs };
  };

  const integrate: Op[] = [];
  const eqs = spec.equations;
  for (let k = 0; k < eqs.length; ) {
    const s = eqs[k] as Statement;
    if (s.kind === 'assign') {
      integrate.push(write(s.target, assigned(s), gated(s.target)));
      k++;
      continue;
    }
    const block: Extract<Statement, { kind: 'ode' }>[] = [];
    while (k < eqs.length && (eqs[k] as Statement).kind === 'ode') block.push(eqs[k++] as Extract<Statement, { kind: 'ode' }>);
    for (const o of block) integrate.push({ op: 'increment', target: o.target, value: increment(o, g, dt) });
    for (const o of block) {
      const sum: IR = { k: 'arith', op: '+', a: { k: 'local', name: o.target }, b: { k: 'inc', target: o.target } };
      integrate.push(write(o.target, sum, gated(o.target)));
    }
  }
  const cond = asBool(g.lower(spec.spike));

  const resetNames = g.track();
  const reset: Op[] = [];
  for (const s of spec.reset) {
    if (s.kind !== 'assign') continue;
    resetNames.add(s.target);
    reset.push(write(s.target, assigned(s), false));
  }
  const refractoryPlan =
    refractorySteps === null ? { ms: asNum(g.lower(refractoryExpr(spec))) } : { steps: refractorySteps };
  const stateVars = spec.variables.map((v) => v.name);
  for (const name of stateVars) g.used.add(name);
  return {
    size,
    dt,
    stateVars,
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

function refractoryExpr(spec: NeuronSpec): Expr {
  const r = spec.refractory;
  return typeof r === 'string' ? { kind: 'name', name: r } : { kind: 'num', value: r ?? 0 };
}

/** The change of x over one step: dt·f for explicit Euler, (1 − e^(−B·dt))·(A/B − x) for exponential. */
function increment(o: Extract<Statement, { kind: 'ode' }>, g: Lowering, dt: number): IR {
  const x: IR = { k: 'local', name: o.target };
  if (o.method === 'exponential' && o.linear) {
    const A = g.lower(o.linear.A), B = g.lower(o.linear.B);
    const c = (v: number): IR => ({ k: 'const', v });
    if (B.value !== undefined && A.value !== undefined) {
      return { k: 'arith', op: '*', a: c(1 - Math.exp(-B.value * dt)), b: { k: 'arith', op: '-', a: c(A.value / B.value), b: x } };
    }
    if (B.value !== undefined) {
      const ratio: IR = { k: 'arith', op: '/', a: asNum(A), b: c(B.value) };
      return { k: 'arith', op: '*', a: c(1 - Math.exp(-B.value * dt)), b: { k: 'arith', op: '-', a: ratio, b: x } };
    }
    const decay: IR = { k: 'call', fn: 'exp', args: [{ k: 'arith', op: '*', a: { k: 'scale', a: asNum(B), f: -1 }, b: c(dt) }] };
    const ratio: IR = { k: 'arith', op: '/', a: asNum(A), b: asNum(B) };
    return { k: 'arith', op: '*', a: { k: 'arith', op: '-', a: c(1), b: decay }, b: { k: 'arith', op: '-', a: ratio, b: x } };
  }
  const f = g.lower(o.rhs);
  return f.value !== undefined ? { k: 'const', v: dt * f.value } : scale(f, dt).ir;
}
