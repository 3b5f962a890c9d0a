/**
 * The integrate loop of a neuron plan as a WebAssembly module with SIMD: f64x2 (two neurons per
 * iteration) for double storage, f32x4 (four) for float storage, on the world's arena (the module
 * imports the world's memory; addresses of every array are folded in as constants). It does the
 * same operations in the same order as the JS kernel, so both give the same bits; random terms
 * are drawn into arena buffers first (wasmNormal.ts, or the JS batch fill). Functions WebAssembly
 * has no instruction for call the JS kernel's own Math functions per lane; the loop covers whole
 * vectors and the kernel's JS loop the last 1–3 neurons. A population smaller than one vector
 * gets a reason back instead (nothing for WebAssembly to do): the JS kernel runs it.
 */
import { bytes, CALL, F32_DEMOTE_F64, F64, F64_CONVERT_I32_S, f64Const, F64_MUL, F64_PROMOTE_F32, functionModule, I32, memarg, simd, sleb, uleb, V128 } from '../wasm/encode.js';
import type { IR } from './lower.js';
import { FLOAT32_MIN_NORMAL } from './codegen.js';
import type { NeuronPlan, Op } from './plan.js';

export interface WasmAddresses {
  /** Byte offset of each field's array in the memory. */
  fields: Record<string, number>;
  refractoryLeft: number;
  candidates: number;
  /** Buffers of this step's random draws, one per random term. */
  random: number[];
}


/** SIMD opcodes shared by both lane shapes (the second byte after 0xfd, as LEB128). */
const OP = {
  load: 0x00, store: 0x0b, const: 0x0c,
  i32x4Eq: 0x37, i32x4GtS: 0x3b,
  not: 0x4d, and: 0x4e, andnot: 0x4f, or: 0x50, bitselect: 0x52, store64Lane: 0x5b, load64Zero: 0x5d,
  i32x4Bitmask: 0xa4, i32x4Add: 0xae, i64x2Bitmask: 0xc4, i64x2ExtendLowI32x4S: 0xc7,
} as const;

type Cmp = '==' | '!=' | '<' | '>' | '<=' | '>=';
type Arith = '+' | '-' | '*' | '/';

/**
 * One lane shape: f64x2 (double storage, two neurons per vector) or f32x4 (float storage, four).
 * Opcodes from the WebAssembly SIMD specification.
 */
interface Lanes {
  /** Neurons per vector. */
  n: 2 | 4;
  /** log2 of the bytes per value (3 for f64, 2 for f32). */
  shift: 2 | 3;
  splat: number;
  /** Scalar load of one value (f64.load / f32.load). */
  scalarLoad: number;
  cmp: Record<Cmp, number>;
  arith: Record<Arith, number>;
  abs: number; neg: number; sqrt: number; pmin: number; pmax: number;
  /** extract_lane / replace_lane (the lane index follows as one byte). */
  extract: number; replace: number;
  trunc: number;
  /** Writes `v` into every lane of 16 bytes. */
  constBytes(v: number): Uint8Array;
}

const F64X2: Lanes = {
  n: 2, shift: 3, splat: 0x14, scalarLoad: 0x2b,
  cmp: { '==': 0x47, '!=': 0x48, '<': 0x49, '>': 0x4a, '<=': 0x4b, '>=': 0x4c },
  arith: { '+': 0xf0, '-': 0xf1, '*': 0xf2, '/': 0xf3 },
  abs: 0xec, neg: 0xed, sqrt: 0xef, pmin: 0xf6, pmax: 0xf7,
  extract: 0x21, replace: 0x22, trunc: 0x7a,
  constBytes: (v) => new Uint8Array(new Float64Array([v, v]).buffer),
};

const F32X4: Lanes = {
  n: 4, shift: 2, splat: 0x13, scalarLoad: 0x2a,
  cmp: { '==': 0x41, '!=': 0x42, '<': 0x43, '>': 0x44, '<=': 0x45, '>=': 0x46 },
  arith: { '+': 0xe4, '-': 0xe5, '*': 0xe6, '/': 0xe7 },
  abs: 0xe0, neg: 0xe1, sqrt: 0xe3, pmin: 0xea, pmax: 0xeb,
  extract: 0x1f, replace: 0x20, trunc: 0x69,
  constBytes: (v) => new Uint8Array(new Float32Array([v, v, v, v]).buffer),
};


/**
 * Math functions WebAssembly has no instruction for, as the JS kernel computes them (codegen.ts:
 * `Math.exp(x)`, `x % y` for modulo, `Math.pow(x, y)` for ^): imported by the integrate module
 * and called once per lane, so the bits are the JS kernel's (a float lane widens exactly to a
 * double, and the double result rounds to float32 as Math.fround does).
 */
export const KERNEL_MATH: Record<string, (...x: number[]) => number> = {
  exp: Math.exp, log: Math.log, sin: Math.sin, cos: Math.cos, tan: Math.tan, asin: Math.asin, acos: Math.acos, atan: Math.atan,
  tanh: Math.tanh, pow: Math.pow, modulo: (x, y) => x % y,
};

class Unsupported extends Error {}

/**
 * How many neurons (from rank 0) the WebAssembly loop updates: whole vectors only. The JS kernel
 * updates the last size % lanes (0–3) after it, with the same bits.
 */
export function vectorNeurons(plan: NeuronPlan): number {
  const lanes = plan.precision === 'float' ? F32X4.n : F64X2.n;
  return plan.size - (plan.size % lanes);
}

/** The module's bytes, or why this back end cannot run the plan (said to users by `pop.kernelInfo`). */
export type WasmIntegrate = { bytes: Uint8Array<ArrayBuffer> } | { unsupported: string };

/** Emits the module (its function called `debugName` in profiles), or says what the plan needs that this back end does not do. */
export function wasmIntegrate(
  plan: NeuronPlan,
  at: WasmAddresses,
  memory: { pages: number; shared: boolean },
  debugName = 'integrate',
  /** Return after the first vector with a neuron meeting the condition (a stop condition's test needs no more). */
  untilFirst = false,
): WasmIntegrate {
  const lanes = plan.precision === 'float' ? F32X4 : F64X2;
  if (vectorNeurons(plan) === 0) {
    return { unsupported: `its ${plan.size} neuron${plan.size === 1 ? ' is' : 's are'} fewer than one SIMD vector (${lanes.n} with ${plan.precision} state)` };
  }
  if (at.random.length < plan.randomTerms.length) return { unsupported: 'it draws more random terms than its arena has buffers for' };
  try {
    return { bytes: new Emitter(plan, at, lanes).module(memory, debugName, untilFirst) };
  } catch (e) {
    if (e instanceof Unsupported) return { unsupported: e.message };
    throw e;
  }
}

class Emitter {
  private readonly locals = new Map<string, number>();
  private nextLocal = 1; // 0 is the parameter t
  private readonly i32Locals: Record<'i' | 'c' | 'addr' | 'bits', number>;
  private readonly refractory: boolean;
  /** Sets the loop-invariant locals (population values) before the loop. */
  private readonly prologue: number[] = [];
  /** The module's v128 globals (their 16 bytes each), and the index of each by its bytes joined. */
  private readonly globals: Uint8Array[] = [];
  private readonly globalIndex = new Map<string, number>();
  /**
   * While a min/max bound is emitted: the variable being bounded, whose new value is in w (the JS
   * kernel has assigned it before it evaluates the bound).
   */
  private boundedTarget: string | null = null;
  /** KERNEL_MATH functions the loop calls, in import (function index) order. */
  private readonly imports: string[] = [];
  private temporaries = 0;

  constructor(
    private readonly plan: NeuronPlan,
    private readonly at: WasmAddresses,
    private readonly L: Lanes,
  ) {
    // Per-neuron refractory periods ({ ms }) count down the same way: the JS spike() sets each count.
    this.refractory = !('steps' in plan.refractory) || plan.refractory.steps !== 0;
    this.i32Locals = { i: this.nextLocal++, c: this.nextLocal++, addr: this.nextLocal++, bits: this.nextLocal++ };
    for (const name of ['t', 'free', 'left', 'mask', 'w', ...plan.stateVars.map((v) => `v_${v}`)]) this.v128(name);
    for (const op of plan.integrate) if (op.op === 'increment') this.v128(`d_${op.target}`);
  }

  private v128(name: string): number {
    if (!this.locals.has(name)) this.locals.set(name, this.nextLocal++);
    return this.locals.get(name) as number;
  }

  /**
   * A constant in every lane, read from a local that the prologue loads from a mutable global.
   * Measured on COBA's loop (V8 11, x64): a `v128.const` is rebuilt in a register at every use
   * (three instructions), a global is reloaded from memory at every use; a local set once before
   * the loop stays in a register (or one spill slot), which cut the loop by a sixth.
   */
  private constant(v: number): number[] {
    return this.constantBytes(this.L.constBytes(v));
  }

  private constantBytes(bytes: Uint8Array): number[] {
    const key = bytes.join(',');
    let index = this.globalIndex.get(key);
    if (index === undefined) {
      index = this.globals.push(bytes) - 1;
      this.globalIndex.set(key, index);
    }
    return this.hoisted(`c${index}`, [0x23, ...uleb(index)]);
  }

  /** Reads local `name`, which the prologue sets to the value `init` pushes. */
  private hoisted(name: string, init: number[]): number[] {
    if (!this.locals.has(name)) this.prologue.push(...init, ...this.set(name));
    return this.get(name);
  }

  private get(name: string): number[] {
    return [0x20, ...uleb(this.v128(name))];
  }

  private set(name: string): number[] {
    return [0x21, ...uleb(this.v128(name))];
  }

  private i32(name: 'i' | 'c' | 'addr' | 'bits'): number {
    return this.i32Locals[name];
  }

  private fieldAddress(name: string): number {
    const a = this.at.fields[name];
    if (a === undefined) throw new Unsupported(`its field ${name} has no address in the arena`);
    return a;
  }

  /** Pushes the value of `ir` for the lanes' neurons (a vector, or a lane mask for booleans). */
  private expr(ir: IR): number[] {
    const L = this.L;
    switch (ir.k) {
      case 'const': return this.constant(ir.v);
      case 'local': return this.get(ir.name === this.boundedTarget ? 'w' : `v_${ir.name}`);
      case 'inc': return this.get(`d_${ir.target}`);
      case 'temp': return this.get(ir.name);
      case 't': return this.get('t');
      case 'field': return [0x20, ...uleb(this.i32('addr')), ...simd(OP.load), ...memarg(4, this.fieldAddress(ir.name))];
      case 'rand': return [0x20, ...uleb(this.i32('addr')), ...simd(OP.load), ...memarg(4, this.at.random[ir.idx] as number)];
      // ': population' values do not change during the loop: loaded once before it.
      case 'global':
        return this.hoisted(`g_${ir.name}`, [0x41, 0, L.scalarLoad, ...memarg(L.shift, this.fieldAddress(ir.name)), ...simd(L.splat)]);
      case 'arith': return [...this.expr(ir.a), ...this.expr(ir.b), ...simd(L.arith[ir.op])];
      case 'scale':
        if (ir.f === 1) return this.expr(ir.a);
        if (ir.f === -1) return [...this.expr(ir.a), ...simd(L.neg)];
        return [...this.expr(ir.a), ...this.constant(ir.f), ...simd(L.arith['*'])];
      case 'cmp': return [...this.expr(ir.a), ...this.expr(ir.b), ...simd(L.cmp[ir.op])];
      case 'logic': return [...this.expr(ir.a), ...this.expr(ir.b), ...simd(ir.op === 'and' ? OP.and : OP.or)];
      case 'not': return [...this.expr(ir.a), ...simd(OP.not)];
      case 'tonum': return [...this.constant(1), ...this.constant(0), ...this.expr(ir.a), ...simd(OP.bitselect)];
      case 'tobool': return [...this.expr(ir.a), ...this.constant(0), ...simd(L.cmp['!='])];
      case 'ite': return [...this.expr(ir.a), ...this.expr(ir.b), ...this.expr(ir.c), ...simd(OP.bitselect)];
      case 'call': return this.call(ir.fn, ir.args);
      case 'pow': return this.perLane('pow', [ir.a, ir.b]);
    }
  }

  /** `ir` computed once into a temporary (`compute`), read back as often as needed (`value`). */
  private once(ir: IR): { compute: number[]; value: number[] } {
    const tmp = `tmp${this.temporaries++}`;
    return { compute: [...this.expr(ir), ...this.set(tmp)], value: this.get(tmp) };
  }

  /** `fn` (a KERNEL_MATH import) of the lanes' values of `args`, one call per lane. */
  private perLane(fn: string, args: IR[]): number[] {
    const L = this.L;
    if (!this.imports.includes(fn)) this.imports.push(fn);
    const index = this.imports.indexOf(fn);
    const operands = args.map(() => `tmp${this.temporaries++}`);
    const result = `tmp${this.temporaries++}`;
    const out = args.flatMap((a, j) => [...this.expr(a), ...this.set(operands[j]!)]);
    out.push(...this.get(operands[0]!), ...this.set(result));
    for (let lane = 0; lane < L.n; lane++) {
      out.push(...this.get(result));
      for (const o of operands) out.push(...this.get(o), ...simd(L.extract), lane, ...(L.n === 4 ? [F64_PROMOTE_F32] : []));
      out.push(CALL, ...uleb(index), ...(L.n === 4 ? [F32_DEMOTE_F64] : []), ...simd(L.replace), lane, ...this.set(result));
    }
    return [...out, ...this.get(result)];
  }

  private call(fn: string, args: IR[]): number[] {
    const L = this.L;
    const [x, lo, hi] = args as [IR, IR, IR];
    switch (fn) {
      case 'abs': return [...this.expr(x), ...simd(L.abs)];
      case 'sqrt': return [...this.expr(x), ...simd(L.sqrt)];
      // pmax(0, x) = 0 < x ? x : 0, exactly pos(); pmin(0, x) = x < 0 ? x : 0, exactly neg().
      case 'pos': return [...this.constant(0), ...this.expr(x), ...simd(L.pmax)];
      case 'neg': return [...this.constant(0), ...this.expr(x), ...simd(L.pmin)];
      case 'clip': {
        // x < lo ? lo : (x > hi ? hi : x), each operand evaluated once (it may call JS Math per lane)
        const [vx, vlo, vhi] = [this.once(x), this.once(lo), this.once(hi)];
        return [
          ...vx.compute, ...vlo.compute, ...vhi.compute,
          ...vlo.value,
          ...vhi.value, ...vx.value, ...vx.value, ...vhi.value, ...simd(L.cmp['>']), ...simd(OP.bitselect),
          ...vx.value, ...vlo.value, ...simd(L.cmp['<']), ...simd(OP.bitselect),
        ];
      }
      default:
        if (fn in KERNEL_MATH) return this.perLane(fn, args);
        // Only if the language gains a function with no case here: the JS kernel then runs the model.
        throw new Unsupported(`it uses ${fn}() (WebAssembly has no instruction for it)`);
    }
  }

  private op(op: Op): number[] {
    if (op.op === 'increment') return [...this.expr(op.value), ...this.set(`d_${op.target}`)];
    if (op.op === 'temp') return [...this.expr(op.value), ...this.set(op.name)];
    const L = this.L;
    const v = `v_${op.target}`;
    // The new value in w, cast like the JS kernel (int: Math.trunc; bool: value !== 0 ? 1 : 0),
    // bounded like it (w < min ? min : w, then w > max ? max : w); a gated write keeps the old
    // value where the neuron is refractory.
    const out = [...this.expr(op.value), ...this.set('w')];
    if (op.cast === 'int') out.push(...this.get('w'), ...simd(L.trunc), ...this.set('w'));
    if (op.cast === 'bool') {
      out.push(...this.constant(1), ...this.constant(0), ...this.get('w'), ...this.constant(0), ...simd(L.cmp['!=']), ...simd(OP.bitselect), ...this.set('w'));
    }
    for (const [bound, cmp] of [[op.min, L.cmp['<']], [op.max, L.cmp['>']]] as const) {
      if (!bound) continue;
      // Evaluated once into a temporary: a bound can call JS Math per lane.
      this.boundedTarget = op.target;
      const b = this.once(bound);
      this.boundedTarget = null;
      out.push(...b.compute, ...b.value, ...this.get('w'), ...this.get('w'), ...b.value, ...simd(cmp), ...simd(OP.bitselect), ...this.set('w'));
    }
    if (op.flush) {
      // w & ~(|w| < min normal): +0 where the JS kernel writes 0. |w| clears the sign bit by a mask
      // (what f32x4.abs does, without V8 rebuilding the mask each time).
      const absMask = this.constantBytes(new Uint8Array(new Uint32Array([0x7fffffff, 0x7fffffff, 0x7fffffff, 0x7fffffff]).buffer));
      out.push(...this.get('w'), ...this.get('w'), ...absMask, ...simd(OP.and), ...this.constant(FLOAT32_MIN_NORMAL), ...simd(L.cmp['<']));
      out.push(...simd(OP.andnot), ...this.set('w'));
    }
    if (op.gated) out.push(...this.get('w'), ...this.get(v), ...this.get('free'), ...simd(OP.bitselect), ...this.set(v));
    else out.push(...this.get('w'), ...this.set(v));
    return out;
  }

  /**
   * Refractoriness of the lanes' neurons: `left` (steps still refractory) and `free` (left = 0)
   * as lane masks. refractoryLeft holds int32: four of them fill an f32x4's lanes; for f64x2 the
   * two sit in the low 64 bits and widen to 64-bit masks.
   */
  private loadRefractory(refAddr: number[]): number[] {
    const at = this.at.refractoryLeft;
    const wide = this.L.n === 2;
    return [
      ...refAddr, ...simd(wide ? OP.load64Zero : OP.load), ...memarg(wide ? 3 : 4, at), ...this.set('left'),
      ...this.get('left'), ...this.constant(0), ...simd(OP.i32x4Eq), ...(wide ? simd(OP.i64x2ExtendLowI32x4S) : []), ...this.set('free'),
    ];
  }

  /** left + (left > 0 ? −1 : 0), stored back. */
  private countDownRefractory(refAddr: number[]): number[] {
    const at = this.at.refractoryLeft;
    const out = [...refAddr, ...this.get('left'), ...this.get('left'), ...this.constant(0), ...simd(OP.i32x4GtS), ...simd(OP.i32x4Add)];
    return this.L.n === 2 ? [...out, ...simd(OP.store64Lane), ...memarg(3, at), 0] : [...out, ...simd(OP.store), ...memarg(4, at)];
  }

  /**
   * candidates[c++] = i + lane for every lane whose spike condition holds (mask in 'mask'). One
   * bitmask of the lanes serves both the test for "any" and the per-lane tests (V8 turns
   * any_true into four instructions where a bitmask and a test are two).
   */
  private emitCandidates(): number[] {
    const i = this.i32('i'), c = this.i32('c'), bits = this.i32('bits');
    const push = (lane: number) => [
      0x20, ...uleb(c), 0x41, 2, 0x74, 0x20, ...uleb(i), ...(lane ? [0x41, lane, 0x6a] : []), 0x36, ...memarg(2, this.at.candidates),
      0x20, ...uleb(c), 0x41, 1, 0x6a, 0x21, ...uleb(c),
    ];
    const bitmask = this.L.n === 2 ? OP.i64x2Bitmask : OP.i32x4Bitmask;
    // if (bits = bitmask(mask)) { if (bits & 1) push(0); if (bits & 2) push(1); … }
    const out = [...this.get('mask'), ...simd(bitmask), 0x22, ...uleb(bits), 0x04, 0x40];
    for (let lane = 0; lane < this.L.n; lane++) {
      out.push(0x20, ...uleb(bits), 0x41, 1 << lane, 0x71, 0x04, 0x40, ...push(lane), 0x0b);
    }
    out.push(0x0b);
    return out;
  }

  private body(): number[] {
    const { plan, L } = this;
    const i = this.i32('i'), addr = this.i32('addr');
    const out: number[] = [];
    // addr = i << shift (bytes of neuron i's value)
    out.push(0x20, ...uleb(i), 0x41, L.shift, 0x74, 0x21, ...uleb(addr));
    const refAddr = [0x20, ...uleb(i), 0x41, 2, 0x74]; // i * 4
    if (this.refractory) out.push(...this.loadRefractory(refAddr));
    for (const name of plan.stateVars) {
      out.push(0x20, ...uleb(addr), ...simd(OP.load), ...memarg(4, this.fieldAddress(name)), ...this.set(`v_${name}`));
    }
    for (const op of plan.integrate) out.push(...this.op(op));
    // Stored back where something may have changed them (a stop condition's plan only reads).
    if (plan.integrate.length > 0) {
      for (const name of plan.stateVars) {
        out.push(0x20, ...uleb(addr), ...this.get(`v_${name}`), ...simd(OP.store), ...memarg(4, this.fieldAddress(name)));
      }
    }
    if (this.refractory) out.push(...this.countDownRefractory(refAddr));
    out.push(...this.expr(plan.cond));
    if (this.refractory) out.push(...this.get('free'), ...simd(OP.and));
    out.push(...this.set('mask'), ...this.emitCandidates());
    // i += lanes
    out.push(0x20, ...uleb(i), 0x41, L.n, 0x6a, 0x21, ...uleb(i));
    return out;
  }

  module(memory: { pages: number; shared: boolean }, debugName: string, untilFirst: boolean): Uint8Array<ArrayBuffer> {
    const i = this.i32('i'), c = this.i32('c');
    const loop = this.body();
    // t = step · dt in double, as the JS kernel computes it (the step arrives as an i32: a
    // fractional f64 argument would be boxed per call); float kernels then round it to float32
    // (the JS kernel's F(t)).
    const stepTimesDt = bytes(0x20, 0, F64_CONVERT_I32_S, f64Const(this.plan.dt), F64_MUL);
    const t = this.L.n === 4 ? bytes(stepTimesDt, F32_DEMOTE_F64, simd(this.L.splat)) : bytes(stepTimesDt, simd(this.L.splat));
    const body = bytes(
      t, this.set('t'),
      this.prologue,
      0x41, 0, 0x21, uleb(i), 0x41, 0, 0x21, uleb(c),
      0x02, 0x40, 0x03, 0x40,
      0x20, uleb(i), 0x41, sleb(vectorNeurons(this.plan)), 0x4f, 0x0d, 1, // br_if out when i >= the last whole vector's end
      loop,
      untilFirst ? bytes(0x20, uleb(c), 0x0d, 1) : [], // br_if out once a neuron met the condition
      0x0c, 0, 0x0b, 0x0b, // br loop; end loop; end block
      0x20, uleb(c),
    );
    return functionModule({
      name: 'integrate',
      params: [I32],
      results: [I32],
      locals: [[4, I32], [this.locals.size, V128]],
      body,
      globals: this.globals,
      memory,
      imports: this.imports.map((name) => ({ name, params: Array<number>(KERNEL_MATH[name]!.length).fill(F64), results: [F64] })),
      debugName,
    });
  }
}
