/**
 * The integrate loop of a neuron plan as a WebAssembly module with f64x2 SIMD, two neurons per
 * iteration, on the world's arena (the module imports the world's memory; addresses of every
 * array are folded in as constants). It does the same operations in the same order as the JS
 * kernel, so both give the same bits; random terms are drawn by the same JS batch fill into
 * arena buffers first. Models it cannot express (transcendental functions, int/bool variables,
 * an odd population size, per-neuron refractory periods) return null: the JS kernel runs them.
 */
import type { IR } from './lower.js';
import type { NeuronPlan, Op } from './plan.js';

export interface WasmAddresses {
  /** Byte offset of each field's array in the memory. */
  fields: Record<string, number>;
  refractoryLeft: number;
  candidates: number;
  /** Buffers of this step's random draws, one per random term. */
  random: number[];
}

const V128 = 0x7b, F64 = 0x7c, I32 = 0x7f;
const SIMD = 0xfd;

/** SIMD opcodes (the second byte after 0xfd, as LEB128). */
const OP = {
  load: 0x00, store: 0x0b, const: 0x0c, f64x2Splat: 0x14, i64x2ExtractLane: 0x1d,
  i32x4Eq: 0x37, i32x4GtS: 0x3b, f64x2Eq: 0x47, f64x2Ne: 0x48, f64x2Lt: 0x49, f64x2Gt: 0x4a, f64x2Le: 0x4b, f64x2Ge: 0x4c,
  not: 0x4d, and: 0x4e, or: 0x50, bitselect: 0x52, anyTrue: 0x53, store64Lane: 0x5b, load64Zero: 0x5d,
  i32x4Add: 0xae, i64x2ExtendLowI32x4S: 0xc7, f64x2Abs: 0xec, f64x2Neg: 0xed, f64x2Sqrt: 0xef,
  f64x2Add: 0xf0, f64x2Sub: 0xf1, f64x2Mul: 0xf2, f64x2Div: 0xf3, f64x2Pmin: 0xf6, f64x2Pmax: 0xf7,
} as const;

const CMP: Record<string, number> = { '==': OP.f64x2Eq, '!=': OP.f64x2Ne, '<': OP.f64x2Lt, '>': OP.f64x2Gt, '<=': OP.f64x2Le, '>=': OP.f64x2Ge };
const ARITH: Record<string, number> = { '+': OP.f64x2Add, '-': OP.f64x2Sub, '*': OP.f64x2Mul, '/': OP.f64x2Div };

class Unsupported extends Error {}

function readsState(ir: IR): boolean {
  switch (ir.k) {
    case 'local': case 'inc': return true;
    case 'const': case 'field': case 'global': case 't': case 'rand': return false;
    case 'scale': case 'not': case 'tonum': case 'tobool': return readsState(ir.a);
    case 'arith': case 'pow': case 'cmp': case 'logic': return readsState(ir.a) || readsState(ir.b);
    case 'ite': return readsState(ir.c) || readsState(ir.a) || readsState(ir.b);
    case 'call': return ir.args.some(readsState);
  }
}

function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n = Math.floor(n / 128);
    if (n > 0) b |= 0x80;
    out.push(b);
  } while (n > 0);
  return out;
}

function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0)) return [...out, b];
    out.push(b | 0x80);
  }
}

const simd = (op: number) => [SIMD, ...uleb(op)];
const memarg = (align: number, offset: number) => [...uleb(align), ...uleb(offset)];

function f64x2Const(v: number): number[] {
  const b = new Uint8Array(16);
  const d = new DataView(b.buffer);
  d.setFloat64(0, v, true);
  d.setFloat64(8, v, true);
  return [...simd(OP.const), ...b];
}

/** Emits the module; null when the plan needs something this back end does not do. */
export function wasmIntegrate(plan: NeuronPlan, at: WasmAddresses, memory: { pages: number; shared: boolean }): Uint8Array<ArrayBuffer> | null {
  if (plan.size % 2 !== 0 || 'ms' in plan.refractory || at.random.length < plan.randomTerms.length) return null;
  try {
    return new Emitter(plan, at).module(memory);
  } catch (e) {
    if (e instanceof Unsupported) return null;
    throw e;
  }
}

class Emitter {
  private readonly locals = new Map<string, number>();
  private nextLocal = 1; // 0 is the parameter t
  private readonly i32Locals: Record<'i' | 'c' | 'addr', number>;
  private readonly refractory: boolean;

  constructor(
    private readonly plan: NeuronPlan,
    private readonly at: WasmAddresses,
  ) {
    this.refractory = 'steps' in plan.refractory && plan.refractory.steps !== 0;
    this.i32Locals = { i: this.nextLocal++, c: this.nextLocal++, addr: this.nextLocal++ };
    for (const name of ['t', 'free', 'left', 'mask', 'w', ...plan.stateVars.map((v) => `v_${v}`)]) this.v128(name);
    for (const op of plan.integrate) if (op.op === 'increment') this.v128(`d_${op.target}`);
  }

  private v128(name: string): number {
    if (!this.locals.has(name)) this.locals.set(name, this.nextLocal++);
    return this.locals.get(name) as number;
  }

  private get(name: string): number[] {
    return [0x20, ...uleb(this.v128(name))];
  }

  private set(name: string): number[] {
    return [0x21, ...uleb(this.v128(name))];
  }

  private i32(name: 'i' | 'c' | 'addr'): number {
    return this.i32Locals[name];
  }

  private fieldAddress(name: string): number {
    const a = this.at.fields[name];
    if (a === undefined) throw new Unsupported(`no address for ${name}`);
    return a;
  }

  /** Pushes the value of `ir` for neurons i and i + 1 (a f64x2, or a 64-bit lane mask for booleans). */
  private expr(ir: IR): number[] {
    switch (ir.k) {
      case 'const': return f64x2Const(ir.v);
      case 'local': return this.get(`v_${ir.name}`);
      case 'inc': return this.get(`d_${ir.target}`);
      case 't': return this.get('t');
      case 'field': return [0x20, ...uleb(this.i32('addr')), ...simd(OP.load), ...memarg(4, this.fieldAddress(ir.name))];
      case 'rand': return [0x20, ...uleb(this.i32('addr')), ...simd(OP.load), ...memarg(4, this.at.random[ir.idx] as number)];
      case 'global': return [0x41, 0, 0x2b, ...memarg(3, this.fieldAddress(ir.name)), ...simd(OP.f64x2Splat)];
      case 'arith': return [...this.expr(ir.a), ...this.expr(ir.b), ...simd(ARITH[ir.op] as number)];
      case 'scale':
        if (ir.f === 1) return this.expr(ir.a);
        if (ir.f === -1) return [...this.expr(ir.a), ...simd(OP.f64x2Neg)];
        return [...this.expr(ir.a), ...f64x2Const(ir.f), ...simd(OP.f64x2Mul)];
      case 'cmp': return [...this.expr(ir.a), ...this.expr(ir.b), ...simd(CMP[ir.op] as number)];
      case 'logic': return [...this.expr(ir.a), ...this.expr(ir.b), ...simd(ir.op === 'and' ? OP.and : OP.or)];
      case 'not': return [...this.expr(ir.a), ...simd(OP.not)];
      case 'tonum': return [...f64x2Const(1), ...f64x2Const(0), ...this.expr(ir.a), ...simd(OP.bitselect)];
      case 'tobool': return [...this.expr(ir.a), ...f64x2Const(0), ...simd(OP.f64x2Ne)];
      case 'ite': return [...this.expr(ir.a), ...this.expr(ir.b), ...this.expr(ir.c), ...simd(OP.bitselect)];
      case 'call': return this.call(ir.fn, ir.args);
      default: throw new Unsupported(ir.k);
    }
  }

  private call(fn: string, args: IR[]): number[] {
    const [x, lo, hi] = args as [IR, IR, IR];
    switch (fn) {
      case 'abs': return [...this.expr(x), ...simd(OP.f64x2Abs)];
      case 'sqrt': return [...this.expr(x), ...simd(OP.f64x2Sqrt)];
      // pmax(0, x) = 0 < x ? x : 0, exactly pos(); pmin(0, x) = x < 0 ? x : 0, exactly neg().
      case 'pos': return [...f64x2Const(0), ...this.expr(x), ...simd(OP.f64x2Pmax)];
      case 'neg': return [...f64x2Const(0), ...this.expr(x), ...simd(OP.f64x2Pmin)];
      case 'clip':
        // x < lo ? lo : (x > hi ? hi : x)
        return [
          ...this.expr(lo),
          ...this.expr(hi), ...this.expr(x), ...this.expr(x), ...this.expr(hi), ...simd(OP.f64x2Gt), ...simd(OP.bitselect),
          ...this.expr(x), ...this.expr(lo), ...simd(OP.f64x2Lt), ...simd(OP.bitselect),
        ];
      default: throw new Unsupported(fn);
    }
  }

  private op(op: Op): number[] {
    if (op.op === 'increment') return [...this.expr(op.value), ...this.set(`d_${op.target}`)];
    if (op.cast !== 'float') throw new Unsupported(op.cast);
    const v = `v_${op.target}`;
    // The new value in w, bounded like the JS kernel (w < min ? min : w, then w > max ? max : w);
    // a gated write keeps the old value where the neuron is refractory.
    const out = [...this.expr(op.value), ...this.set('w')];
    for (const [bound, cmp] of [[op.min, OP.f64x2Lt], [op.max, OP.f64x2Gt]] as const) {
      if (!bound) continue;
      if (readsState(bound)) throw new Unsupported('a bound that reads the state');
      out.push(...this.expr(bound), ...this.get('w'), ...this.get('w'), ...this.expr(bound), ...simd(cmp), ...simd(OP.bitselect), ...this.set('w'));
    }
    if (op.gated) out.push(...this.get('w'), ...this.get(v), ...this.get('free'), ...simd(OP.bitselect), ...this.set(v));
    else out.push(...this.get('w'), ...this.set(v));
    return out;
  }

  private body(): number[] {
    const { plan } = this;
    const i = this.i32('i'), c = this.i32('c'), addr = this.i32('addr');
    const out: number[] = [];
    // addr = i * 8
    out.push(0x20, ...uleb(i), 0x41, 3, 0x74, 0x21, ...uleb(addr));
    const refAddr = [0x20, ...uleb(i), 0x41, 2, 0x74]; // i * 4
    if (this.refractory) {
      out.push(...refAddr, ...simd(OP.load64Zero), ...memarg(3, this.at.refractoryLeft), ...this.set('left'));
      out.push(...this.get('left'), ...f64x2Const(0), ...simd(OP.i32x4Eq), ...simd(OP.i64x2ExtendLowI32x4S), ...this.set('free'));
    }
    for (const name of plan.stateVars) {
      out.push(0x20, ...uleb(addr), ...simd(OP.load), ...memarg(4, this.fieldAddress(name)), ...this.set(`v_${name}`));
    }
    for (const op of plan.integrate) out.push(...this.op(op));
    for (const name of plan.stateVars) {
      out.push(0x20, ...uleb(addr), ...this.get(`v_${name}`), ...simd(OP.store), ...memarg(4, this.fieldAddress(name)));
    }
    if (this.refractory) {
      // left + (left > 0 ? -1 : 0), for both neurons (the low 64 bits of the vector).
      out.push(...refAddr, ...this.get('left'), ...this.get('left'), ...f64x2Const(0), ...simd(OP.i32x4GtS), ...simd(OP.i32x4Add));
      out.push(...simd(OP.store64Lane), ...memarg(3, this.at.refractoryLeft), 0);
    }
    out.push(...this.expr(plan.cond));
    if (this.refractory) out.push(...this.get('free'), ...simd(OP.and));
    out.push(...this.set('mask'));
    out.push(...this.get('mask'), ...simd(OP.anyTrue), 0x04, 0x40);
    for (const lane of [0, 1]) {
      out.push(...this.get('mask'), ...simd(OP.i64x2ExtractLane), lane, 0x50, 0x45, 0x04, 0x40); // if (lane != 0)
      // candidates[c] = i + lane; c += 1
      out.push(0x20, ...uleb(c), 0x41, 2, 0x74, 0x20, ...uleb(i), ...(lane ? [0x41, 1, 0x6a] : []), 0x36, ...memarg(2, this.at.candidates));
      out.push(0x20, ...uleb(c), 0x41, 1, 0x6a, 0x21, ...uleb(c));
      out.push(0x0b);
    }
    out.push(0x0b);
    // i += 2
    out.push(0x20, ...uleb(i), 0x41, 2, 0x6a, 0x21, ...uleb(i));
    return out;
  }

  module(memory: { pages: number; shared: boolean }): Uint8Array<ArrayBuffer> {
    const i = this.i32('i'), c = this.i32('c');
    const body = this.body();
    const code = [
      // locals: 3 × i32, then the v128s
      2, 3, I32, ...uleb(this.locals.size), V128,
      0x20, 0, ...simd(OP.f64x2Splat), ...this.set('t'),
      0x41, 0, 0x21, ...uleb(i), 0x41, 0, 0x21, ...uleb(c),
      0x02, 0x40, 0x03, 0x40,
      0x20, ...uleb(i), 0x41, ...sleb(this.plan.size), 0x4f, 0x0d, 1, // br_if out when i >= n
      ...body,
      0x0c, 0, 0x0b, 0x0b, // br loop; end loop; end block
      0x20, ...uleb(c),
      0x0b,
    ];
    const section = (id: number, bytes: number[]) => [id, ...uleb(bytes.length), ...bytes];
    const name = (s: string) => [...uleb(s.length), ...Array.from(s, (ch) => ch.charCodeAt(0))];
    const limits = memory.shared ? [0x03, ...uleb(memory.pages), ...uleb(memory.pages)] : [0x01, ...uleb(memory.pages), ...uleb(memory.pages)];
    return new Uint8Array([
      0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
      ...section(1, [1, 0x60, 1, F64, 1, I32]),
      ...section(2, [1, ...name('env'), ...name('memory'), 0x02, ...limits]),
      ...section(3, [1, 0]),
      ...section(7, [1, ...name('integrate'), 0x00, 0]),
      ...section(10, [1, ...uleb(code.length), ...code]),
    ]);
  }
}
