/**
 * AST → a lowered expression tree (IR) with the kernel-level decisions made once: folded
 * parameters and constant subtrees become numbers, division by a constant becomes
 * multiplication by its reciprocal, constant factors merge (`dt * (x / tau)` → `x * (dt/tau)`),
 * names become locals, per-neuron reads, population reads or random draws.
 * Both back ends print the same tree, so the JS and WebAssembly kernels do the same arithmetic
 * in the same order and agree bit for bit.
 */
import type { Expr, NeuronSpec } from './ast.js';
import { SpikeworldError } from '../errors.js';

export type ArithOp = '+' | '-' | '*' | '/';
export type CmpOp = '==' | '!=' | '<' | '>' | '<=' | '>=';

export type IR =
  | { k: 'const'; v: number }
  /** A state variable, held in a local inside the neuron loop. */
  | { k: 'local'; name: string }
  /** A per-neuron array read in place (parameters, instantaneous conductances). */
  | { k: 'field'; name: string }
  /** A `: population` parameter (one value). */
  | { k: 'global'; name: string }
  /** Time at the start of the step, ms. */
  | { k: 't' }
  /** This neuron's draw of random term `idx`. */
  | { k: 'rand'; idx: number }
  /** The increment of `target` computed earlier in the same ODE block. */
  | { k: 'inc'; target: string }
  /** A value computed once earlier in the step by a 'temp' op (plan.ts). */
  | { k: 'temp'; name: string }
  | { k: 'arith'; op: ArithOp; a: IR; b: IR }
  /** a * f with a constant f (printed `a`, `-a` or `a * f`). */
  | { k: 'scale'; a: IR; f: number }
  | { k: 'pow'; a: IR; b: IR }
  | { k: 'cmp'; op: CmpOp; a: IR; b: IR }
  | { k: 'logic'; op: 'and' | 'or'; a: IR; b: IR }
  | { k: 'not'; a: IR }
  /** A boolean used as a number (1 or 0), or a number used as a boolean (≠ 0). */
  | { k: 'tonum'; a: IR }
  | { k: 'tobool'; a: IR }
  | { k: 'call'; fn: string; args: IR[] }
  | { k: 'ite'; c: IR; a: IR; b: IR };

/** One per-step random term: buffer k holds fresh draws for every neuron each step. */
export interface RandomTerm {
  dist: 'Uniform' | 'Normal';
  args: [IR, IR];
}

export type Typed = { ir: IR; type: 'num' | 'bool'; value?: number; scaled?: { base: IR; k: number } };

/** Same arithmetic as the generated code, for folding constant subtrees. */
const FOLD: Record<string, (...x: number[]) => number> = {
  exp: Math.exp, log: Math.log, sqrt: Math.sqrt, abs: Math.abs, sin: Math.sin, cos: Math.cos,
  tan: Math.tan, asin: Math.asin, acos: Math.acos, atan: Math.atan, tanh: Math.tanh, pow: Math.pow,
  pos: (x) => (x > 0 ? x : 0),
  neg: (x) => (x < 0 ? x : 0),
  clip: (x, lo, hi) => (x < lo ? lo : x > hi ? hi : x),
  modulo: (a, b) => a % b,
};

export const KNOWN_FUNCTIONS: ReadonlySet<string> = new Set(Object.keys(FOLD));

export const num = (value: number): Typed => ({ ir: { k: 'const', v: value }, type: 'num', value });
export const asNum = (e: Typed): IR => (e.type === 'num' ? e.ir : { k: 'tonum', a: e.ir });
export const asBool = (e: Typed): IR => (e.type === 'bool' ? e.ir : { k: 'tobool', a: e.ir });

/** `x * k`, merging with a constant factor x already carries. */
export function scale(x: Typed, k: number): Typed {
  const base = x.scaled ?? { base: asNum(x), k: 1 };
  const kk = base.k * k;
  return { ir: { k: 'scale', a: base.base, f: kk }, type: 'num', scaled: { base: base.base, k: kk } };
}

/** x when `e` is exactly -x (a negation, not a multiple), else null. */
function negatedOperand(e: Typed): IR | null {
  return e.ir.k === 'scale' && e.ir.f === -1 ? e.ir.a : null;
}

/** Lowers expressions of one neuron model; collects random terms and the names it reads. */
export class Lowering {
  readonly randomTerms: RandomTerm[] = [];
  readonly used = new Set<string>();
  private tracked = new Set<string>();
  private readonly variables: ReadonlySet<string>;
  private readonly globals: ReadonlySet<string>;

  constructor(
    spec: NeuronSpec,
    private readonly folded: ReadonlyMap<string, number>,
    private readonly dt: number,
  ) {
    // Per-neuron variables live in locals; `: population` parameters and variables are one value.
    this.variables = new Set(spec.variables.filter((v) => !v.global).map((v) => v.name));
    this.globals = new Set([...spec.parameters, ...spec.variables].filter((x) => x.global).map((x) => x.name));
  }

  /** Starts collecting the names used from now on (what one part of a kernel must load). */
  track(): Set<string> {
    this.tracked = new Set();
    return this.tracked;
  }

  lower(e: Expr): Typed {
    switch (e.kind) {
      case 'num':
        return num(e.value);
      case 'name':
        return this.name(e.name);
      case 'unary': {
        const a = this.lower(e.arg);
        if (e.op === '-') return a.value !== undefined ? num(-a.value) : scale(a, -1);
        if (a.value !== undefined) return num(a.value === 0 ? 1 : 0);
        return { ir: { k: 'not', a: asBool(a) }, type: 'bool' };
      }
      case 'binary':
        return this.binary(e.op, this.lower(e.left), this.lower(e.right));
      case 'call':
        return this.call(e.fn, e.args.map((a) => this.lower(a)));
      case 'ite': {
        const c = this.lower(e.cond), a = this.lower(e.then), b = this.lower(e.else);
        if (c.value !== undefined) return c.value !== 0 ? a : b;
        return { ir: { k: 'ite', c: asBool(c), a: asNum(a), b: asNum(b) }, type: 'num' };
      }
      case 'random': {
        const args = e.args.map((a) => asNum(this.lower(a))) as [IR, IR];
        this.randomTerms.push({ dist: e.dist, args });
        return { ir: { k: 'rand', idx: this.randomTerms.length - 1 }, type: 'num' };
      }
    }
  }

  private name(name: string): Typed {
    if (name === 'dt') return num(this.dt);
    if (name === 't') return { ir: { k: 't' }, type: 'num' };
    const f = this.folded.get(name);
    if (f !== undefined) return num(f);
    this.used.add(name);
    this.tracked.add(name);
    if (this.globals.has(name)) return { ir: { k: 'global', name }, type: 'num' };
    return { ir: { k: this.variables.has(name) ? 'local' : 'field', name }, type: 'num' };
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
    if (op === '*' && (a.value === 0 || b.value === 0)) {
      const draw = a.value === 0 ? b : a;
      if (this.dropsDraw(draw)) return num(0);
    }
    if (op === '*' && b.value !== undefined) return scale(a, b.value);
    if (op === '*' && a.value !== undefined) return scale(b, a.value);
    if (op === '-' && a.value === 0) return scale(b, -1);
    const signs = this.withoutNegation(op, a, b);
    if (signs) return signs;
    switch (op) {
      case '+': case '-': case '*': case '/':
        return { ir: { k: 'arith', op, a: asNum(a), b: asNum(b) }, type: 'num' };
      case '^':
        return { ir: { k: 'pow', a: asNum(a), b: asNum(b) }, type: 'num' };
      case 'and': case 'or':
        return { ir: { k: 'logic', op, a: asBool(a), b: asBool(b) }, type: 'bool' };
      default:
        return { ir: { k: 'cmp', op: op as CmpOp, a: asNum(a), b: asNum(b) }, type: 'bool' };
    }
  }

  /**
   * Moves a negated operand's sign into the operation: `a + -x` → `a - x`, `a * -x` → `-(a * x)`
   * (which a sum around it then absorbs). Saves a negation per use in the kernels, three
   * instructions per SIMD negation in V8: COBA's `g_exc * (Erev_exc - v)` with Erev_exc = 0 is
   * `g_exc * -v`. Only rewrites that give the same bits in IEEE 754, signed zeros included
   * (`-x + -y` → `-(x + y)` would not: for x = 0, y = -0 it turns +0 into -0); a NaN may come
   * out with the other sign bit, which IEEE 754 leaves unspecified. (`0 - x` is lowered to `-x`
   * before this, which does differ for x = +0: -0 instead of +0.)
   */
  private withoutNegation(op: string, a: Typed, b: Typed): Typed | null {
    const na = negatedOperand(a), nb = negatedOperand(b);
    const arith = (o: ArithOp, x: IR, y: IR): Typed => ({ ir: { k: 'arith', op: o, a: x, b: y }, type: 'num' });
    switch (op) {
      case '+': // a + -y = a - y; -x + b = b - x
        if (na && nb) return null;
        if (nb) return arith('-', asNum(a), nb);
        return na ? arith('-', asNum(b), na) : null;
      case '-': // a - -y = a + y; -x - -y = y - x
        if (!nb) return null;
        return na ? arith('-', nb, na) : arith('+', asNum(a), nb);
      case '*': // a * -y = -(a * y); -x * -y = x * y
        if (na && nb) return arith('*', na, nb);
        if (nb) return scale(arith('*', asNum(a), nb), -1);
        return na ? scale(arith('*', na, asNum(b)), -1) : null;
      default:
        return null;
    }
  }

  /**
   * `0 * Normal(…)` is 0 (a draw with finite parameters is finite): the term is not drawn at all. Built-in
   * Izhikevich's `noise * Normal(0, 1)` with the default noise = 0 otherwise costs a normal draw
   * per neuron and step (a fifth of a small network's step). Only the draw just lowered can go.
   */
  private dropsDraw(x: Typed): boolean {
    if (x.ir.k !== 'rand' || x.ir.idx !== this.randomTerms.length - 1) return false;
    this.randomTerms.pop();
    return true;
  }

  private call(fn: string, args: Typed[]): Typed {
    const f = FOLD[fn];
    if (!f) throw new SpikeworldError(`codegen: unknown function '${fn}'`);
    if (args.every((a) => a.value !== undefined)) return num(f(...args.map((a) => a.value as number)));
    return { ir: { k: 'call', fn, args: args.map(asNum) }, type: 'num' };
  }
}
