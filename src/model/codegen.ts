/**
 * AST → JavaScript kernel source, one fresh function per population instance.
 *
 * Why generated per instance: V8 shares type feedback between functions of identical source, so
 * every kernel carries a unique tag; parameters whose values are uniform across the population are
 * folded into the text as constants (`dt / tau` becomes one number); refractory machinery exists
 * only where the model has a refractory period. Only numbers and names that the analysis resolved
 * ever reach the source: user text cannot inject code.
 */
import type { Expr, NeuronSpec, Statement, VariableSpec } from './ast.js';
import { SpikeworldError } from '../errors.js';

export interface KernelRequest {
  spec: NeuronSpec;
  size: number;
  /** Step in ms. */
  dt: number;
  /** Parameters replaced by their value in the generated text. */
  folded: ReadonlyMap<string, number>;
  /** Refractory period in steps when it is the same for all neurons (0 = none); null = per neuron. */
  refractorySteps: number | null;
  /** Unique per instance (see above). */
  tag: string;
}

/** One per-step random term: the kernel fills buffer k with fresh draws each step. */
export interface RandomTerm {
  dist: 'Uniform' | 'Normal';
  /** Code of the two arguments (numbers or global-parameter reads). */
  args: [string, string];
}

export interface KernelSource {
  source: string;
  randomTerms: RandomTerm[];
}

/**
 * Generated code with its type; `value` when it is a constant; `scaled` when it is a product
 * `code * k` with a constant k, so that constant factors merge (`dt * (x / tau)` → `x * (dt/tau)`).
 */
type Typed = { code: string; type: 'num' | 'bool'; value?: number; scaled?: { code: string; k: number } };

/** `x * k` as Typed, merging with a constant factor x already carries. */
function scale(x: Typed, k: number): Typed {
  const base = x.scaled ?? { code: asNum(x), k: 1 };
  const kk = base.k * k;
  const code = kk === 1 ? base.code : kk === -1 ? `(-${base.code})` : `(${base.code} * ${literal(kk)})`;
  return { code, type: 'num', scaled: { code: base.code, k: kk } };
}

const MATH: Record<string, string> = {
  exp: 'Math.exp', log: 'Math.log', sqrt: 'Math.sqrt', abs: 'Math.abs', sin: 'Math.sin',
  cos: 'Math.cos', tan: 'Math.tan', asin: 'Math.asin', acos: 'Math.acos', atan: 'Math.atan',
  tanh: 'Math.tanh', pow: 'Math.pow',
};

/** Same arithmetic as the generated code, for folding constant subtrees. */
const FOLD: Record<string, (...x: number[]) => number> = {
  exp: Math.exp, log: Math.log, sqrt: Math.sqrt, abs: Math.abs, sin: Math.sin, cos: Math.cos,
  tan: Math.tan, asin: Math.asin, acos: Math.acos, atan: Math.atan, tanh: Math.tanh, pow: Math.pow,
  pos: (x) => (x > 0 ? x : 0),
  neg: (x) => (x < 0 ? x : 0),
  clip: (x, lo, hi) => (x < lo ? lo : x > hi ? hi : x),
  modulo: (a, b) => a % b,
};

export function literal(x: number): string {
  if (Number.isNaN(x)) return '(0/0)';
  if (x === Infinity) return 'Infinity';
  if (x === -Infinity) return '(-Infinity)';
  if (Object.is(x, -0)) return '(-0)';
  return x < 0 ? `(${String(x)})` : String(x);
}

const num = (value: number): Typed => ({ code: literal(value), type: 'num', value });
const asNum = (e: Typed): string => (e.type === 'num' ? e.code : `(${e.code} ? 1 : 0)`);
const asBool = (e: Typed): string => (e.type === 'bool' ? e.code : `(${e.code} !== 0)`);

/** Expression compiler over one neuron: names become locals (`v`), arrays (`F_tau[0]`) or literals. */
class ExprGen {
  readonly randomTerms: RandomTerm[] = [];
  readonly used = new Set<string>();
  /** Names used since the last `track()`: what one part of the kernel has to load. */
  private tracked = new Set<string>();

  track(): Set<string> {
    this.tracked = new Set();
    return this.tracked;
  }

  constructor(
    private readonly spec: NeuronSpec,
    private readonly folded: ReadonlyMap<string, number>,
    private readonly dt: number,
    private readonly globals: ReadonlySet<string>,
  ) {}

  gen(e: Expr): Typed {
    switch (e.kind) {
      case 'num':
        return num(e.value);
      case 'name':
        return this.name(e.name);
      case 'unary': {
        const a = this.gen(e.arg);
        if (e.op === '-') return a.value !== undefined ? num(-a.value) : scale(a, -1);
        if (a.value !== undefined) return num(a.value === 0 ? 1 : 0);
        return { code: `(!${asBool(a)})`, type: 'bool' };
      }
      case 'binary':
        return this.binary(e.op, this.gen(e.left), this.gen(e.right));
      case 'call':
        return this.call(e.fn, e.args.map((a) => this.gen(a)));
      case 'ite': {
        const c = this.gen(e.cond), a = this.gen(e.then), b = this.gen(e.else);
        if (c.value !== undefined) return c.value !== 0 ? a : b;
        return { code: `(${asBool(c)} ? ${asNum(a)} : ${asNum(b)})`, type: 'num' };
      }
      case 'random': {
        const args = e.args.map((a) => asNum(this.gen(a))) as [string, string];
        this.randomTerms.push({ dist: e.dist, args });
        return { code: `R${this.randomTerms.length - 1}[i]`, type: 'num' };
      }
    }
  }

  private name(name: string): Typed {
    if (name === 'dt') return num(this.dt);
    if (name === 't') return { code: 't', type: 'num' };
    const f = this.folded.get(name);
    if (f !== undefined) return num(f);
    this.used.add(name);
    this.tracked.add(name);
    if (this.globals.has(name)) return { code: `F_${name}[0]`, type: 'num' };
    const isVariable = this.spec.variables.some((v) => v.name === name);
    // Variables live in locals inside the loop; parameters and instantaneous conductances are read in place.
    return { code: isVariable ? `v_${name}` : `F_${name}[i]`, type: 'num' };
  }

  private binary(op: string, a: Typed, b: Typed): Typed {
    if (a.value !== undefined && b.value !== undefined) {
      const x = a.value, y = b.value;
      const r: Record<string, number> = {
        '+': x + y, '-': x - y, '*': x * y, '/': x / y, '^': Math.pow(x, y),
        '==': +(x === y), '!=': +(x !== y), '<': +(x < y), '>': +(x > y), '<=': +(x <= y), '>=': +(x >= y),
        and: +(x !== 0 && y !== 0), or: +(x !== 0 || y !== 0),
      };
      return num(r[op] as number);
    }
    // Division by a constant becomes multiplication by its reciprocal: a division costs
    // about as much as the rest of a LIF update (measured: 3.9 vs 1.7 ns per neuron-step).
    if (op === '/' && b.value !== undefined && b.value !== 0 && Number.isFinite(1 / b.value)) return scale(a, 1 / b.value);
    if (op === '*' && b.value !== undefined) return scale(a, b.value);
    if (op === '*' && a.value !== undefined) return scale(b, a.value);
    if (op === '-' && a.value === 0) return scale(b, -1);
    switch (op) {
      case '+': case '-': case '*': case '/':
        return { code: `(${asNum(a)} ${op} ${asNum(b)})`, type: 'num' };
      case '^':
        return { code: `Math.pow(${asNum(a)}, ${asNum(b)})`, type: 'num' };
      case '==': return { code: `(${asNum(a)} === ${asNum(b)})`, type: 'bool' };
      case '!=': return { code: `(${asNum(a)} !== ${asNum(b)})`, type: 'bool' };
      case 'and': return { code: `(${asBool(a)} && ${asBool(b)})`, type: 'bool' };
      case 'or': return { code: `(${asBool(a)} || ${asBool(b)})`, type: 'bool' };
      default: return { code: `(${asNum(a)} ${op} ${asNum(b)})`, type: 'bool' };
    }
  }

  private call(fn: string, args: Typed[]): Typed {
    if (args.every((a) => a.value !== undefined)) {
      const f = FOLD[fn];
      if (f) return num(f(...args.map((a) => a.value as number)));
    }
    const c = args.map(asNum);
    switch (fn) {
      case 'pos': return { code: `pos(${c[0]})`, type: 'num' };
      case 'neg': return { code: `neg(${c[0]})`, type: 'num' };
      case 'clip': return { code: `clip(${c[0]}, ${c[1]}, ${c[2]})`, type: 'num' };
      case 'modulo': return { code: `(${c[0]} % ${c[1]})`, type: 'num' };
      default: {
        const m = MATH[fn];
        if (!m) throw new SpikeworldError(`codegen: unknown function '${fn}'`);
        return { code: `${m}(${c.join(', ')})`, type: 'num' };
      }
    }
  }
}

/** Writes `v_x = value` with the variable's type and bounds applied. */
function storeCode(v: VariableSpec, value: string, g: ExprGen): string[] {
  const lines = [`v_${v.name} = ${typeCast(v, value)};`];
  if (v.min) lines.push(`if (v_${v.name} < ${asNum(g.gen(v.min))}) v_${v.name} = ${asNum(g.gen(v.min))};`);
  if (v.max) lines.push(`if (v_${v.name} > ${asNum(g.gen(v.max))}) v_${v.name} = ${asNum(g.gen(v.max))};`);
  return lines;
}

function typeCast(v: VariableSpec, value: string): string {
  if (v.type === 'int') return `Math.trunc(${value})`;
  if (v.type === 'bool') return `((${value}) !== 0 ? 1 : 0)`;
  return value;
}

function assignValue(s: Extract<Statement, { kind: 'assign' }>, rhs: string): string {
  return s.op === '=' ? rhs : `v_${s.target} ${s.op[0]} ${rhs}`;
}

/**
 * Generates the source of `function (B) { ...; return { integrate, spike } }` where B binds
 * the arrays (see `KernelBindings` in src/world/kernels.ts).
 */
export function generateKernel(req: KernelRequest): KernelSource {
  const { spec, size, dt, folded, tag } = req;
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
  const globals = new Set(spec.parameters.filter((p) => p.global).map((p) => p.name));
  const g = new ExprGen(spec, folded, dt, globals);
  const vars = new Map(spec.variables.map((v) => [v.name, v]));
  const refractory = req.refractorySteps !== 0;
  const free = (target: string) => refractory && !vars.get(target)?.conductance;

  // integrate: statements in order; consecutive ODEs form one block computed from old values.
  const body: string[] = [];
  const eqs = spec.equations;
  for (let k = 0; k < eqs.length; ) {
    const s = eqs[k] as Statement;
    if (s.kind === 'assign') {
      const v = vars.get(s.target) as VariableSpec;
      const lines = storeCode(v, assignValue(s, asNum(g.gen(s.value))), g);
      body.push(...(free(s.target) ? [`if (free) {`, ...lines, `}`] : lines));
      k++;
      continue;
    }
    const block: Extract<Statement, { kind: 'ode' }>[] = [];
    while (k < eqs.length && (eqs[k] as Statement).kind === 'ode') block.push(eqs[k++] as Extract<Statement, { kind: 'ode' }>);
    for (const o of block) body.push(`const d_${o.target} = ${odeIncrement(o, g, dt)};`);
    for (const o of block) {
      const v = vars.get(o.target) as VariableSpec;
      const lines = storeCode(v, `v_${o.target} + d_${o.target}`, g);
      body.push(...(free(o.target) ? [`if (free) {`, ...lines, `}`] : lines));
    }
  }

  // The spike condition is tested inside the integrate loop, on the updated values still in
  // registers (a second pass over every neuron cost 1.4 ns per neuron-step); the spike stage
  // then resets only the neurons that met it, loading only what the reset touches.
  const cond = asBool(g.gen(spec.spike));
  const resetNames = g.track();
  const reset: string[] = [];
  for (const s of spec.reset) {
    if (s.kind !== 'assign') continue;
    resetNames.add(s.target);
    reset.push(...storeCode(vars.get(s.target) as VariableSpec, assignValue(s, asNum(g.gen(s.value))), g));
  }
  const resetVars = spec.variables.map((v) => v.name).filter((name) => resetNames.has(name));
  const resetTargets = new Set(spec.reset.map((s) => s.target));
  const spikeLoad = resetVars.map((name) => `let v_${name} = F_${name}[i];`).join('\n      ');
  const spikeStore = resetVars.filter((name) => resetTargets.has(name)).map((name) => `F_${name}[i] = v_${name};`).join('\n      ');
  const refractorySet =
    req.refractorySteps === null
      ? `refLeft[i] = Math.round(${asNum(g.gen(refractoryExpr(spec)))} / ${literal(dt)});`
      : refractory
        ? `refLeft[i] = ${req.refractorySteps};`
        : '';

  const stateVars = spec.variables.map((v) => v.name);
  const load = stateVars.map((name) => `let v_${name} = F_${name}[i];`).join('\n      ');
  const store = stateVars.map((name) => `F_${name}[i] = v_${name};`).join('\n      ');
  for (const name of stateVars) g.used.add(name);

  const fields = [...g.used].sort();
  const randomFill = g.randomTerms
    .map((r, k) => `${r.dist === 'Normal' ? 'fillNormal' : 'fillUniform'}(rng, R${k}, n, ${r.args[0]}, ${r.args[1]});`)
    .join('\n    ');

  const source = `"use strict";
// spikeworld kernel ${tag} (model ${JSON.stringify(spec.name).replace(/[^\w" -]/g, '_')})
const n = ${size};
${fields.map((f) => `const F_${f} = B.fields[${JSON.stringify(f)}];`).join('\n')}
const refLeft = B.refractoryLeft, lastSpike = B.lastSpike;
const ringCounts = B.ring.counts, ringRanks = B.ring.ranks, depth = B.ring.depth;
const rng = B.rng, fillUniform = B.fillUniform, fillNormal = B.fillNormal;
${g.randomTerms.map((_, k) => `const R${k} = B.random[${k}];`).join('\n')}
const pos = (x) => (x > 0 ? x : 0), neg = (x) => (x < 0 ? x : 0);
const clip = (x, lo, hi) => (x < lo ? lo : x > hi ? hi : x);
const candidates = new Uint32Array(n);
let candidateCount = 0;
function integrate(t) {
    ${randomFill}
    let c = 0;
    for (let i = 0; i < n; i++) {
      ${refractory ? 'const left = refLeft[i], free = left === 0;' : ''}
      ${load}
      ${body.join('\n      ')}
      ${store}
      ${refractory ? `if (!free) refLeft[i] = left - 1;\n      else if (${cond}) candidates[c++] = i;` : `if (${cond}) candidates[c++] = i;`}
    }
    candidateCount = c;
}
function spike(step) {
    const t = step * ${literal(dt)};
    const slot = step % depth, base = slot * n;
    for (let k = 0; k < candidateCount; k++) {
      const i = candidates[k];
      ${spikeLoad}
      ${reset.join('\n      ')}
      ${spikeStore}
      lastSpike[i] = step;
      ${refractorySet}
      ringRanks[base + k] = i;
    }
    ringCounts[slot] = candidateCount;
    candidateCount = 0;
}
return { integrate, spike };
`;
  return { source, randomTerms: g.randomTerms };
}

function refractoryExpr(spec: NeuronSpec): Expr {
  const r = spec.refractory;
  return typeof r === 'string' ? { kind: 'name', name: r } : { kind: 'num', value: r ?? 0 };
}

/** The change of x over one step: dt·f for explicit Euler, (1 − e^(−B·dt))·(A/B − x) for exponential. */
function odeIncrement(o: Extract<Statement, { kind: 'ode' }>, g: ExprGen, dt: number): string {
  if (o.method === 'exponential' && o.linear) {
    const A = g.gen(o.linear.A), B = g.gen(o.linear.B);
    if (B.value !== undefined && A.value !== undefined) {
      return `${literal(1 - Math.exp(-B.value * dt))} * (${literal(A.value / B.value)} - v_${o.target})`;
    }
    if (B.value !== undefined) {
      return `${literal(1 - Math.exp(-B.value * dt))} * (${asNum(A)} / ${literal(B.value)} - v_${o.target})`;
    }
    return `(1 - Math.exp(-${asNum(B)} * ${literal(dt)})) * (${asNum(A)} / ${asNum(B)} - v_${o.target})`;
  }
  const f = g.gen(o.rhs);
  return f.value !== undefined ? literal(dt * f.value) : scale(f, dt).code;
}

/**
 * Source of `function (F) -> boolean` testing `cond` over all neurons: 'any' returns true at the
 * first neuron that meets it, 'all' at the end if every neuron does (used by simulateUntil).
 */
export function generatePredicate(spec: NeuronSpec, cond: Expr, size: number, dt: number, mode: 'any' | 'all'): string {
  const globals = new Set(spec.parameters.filter((p) => p.global).map((p) => p.name));
  const g = new ExprGen(spec, new Map(), dt, globals);
  const test = asBool(g.gen(cond));
  if (g.randomTerms.length > 0) throw new SpikeworldError(`stop condition of model '${spec.name}': random numbers are not allowed`);
  const vars = new Set(spec.variables.map((v) => v.name));
  const names = [...g.used].sort();
  return `"use strict";
${names.map((f) => `const F_${f} = F[${JSON.stringify(f)}];`).join('\n')}
const t = T;
for (let i = 0; i < ${size}; i++) {
  ${names.filter((f) => vars.has(f)).map((f) => `const v_${f} = F_${f}[i];`).join(' ')}
  ${mode === 'any' ? `if (${test}) return true;` : `if (!${test}) return false;`}
}
return ${mode === 'any' ? 'false' : 'true'};
`;
}
