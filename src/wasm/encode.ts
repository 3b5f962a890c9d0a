/**
 * The few pieces of the WebAssembly binary format our generated kernels need: LEB128 numbers,
 * memory arguments, and a module of one exported function that imports the world's memory.
 */

/** Value types. */
export const I32 = 0x7f, F64 = 0x7c, V128 = 0x7b;

/** Scalar opcodes the generators use (WebAssembly core specification, §5.4). */
export const LOCAL_GET = 0x20, LOCAL_SET = 0x21, LOCAL_TEE = 0x22, I32_CONST = 0x41, F64_CONST = 0x44;
export const I32_LOAD = 0x28, F32_LOAD = 0x2a, F64_LOAD = 0x2b, I32_STORE = 0x36, F32_STORE = 0x38, F64_STORE = 0x39;
export const I32_GE_U = 0x4f, F64_LT = 0x63, I32_ADD = 0x6a, I32_XOR = 0x73, I32_SHL = 0x74, I32_SHR_U = 0x76, I32_ROTL = 0x77;
export const F32_ADD = 0x92, F64_ADD = 0xa0, F64_MUL = 0xa2, F64_CONVERT_I32_U = 0xb8, F64_PROMOTE_F32 = 0xbb;
export const BLOCK = 0x02, LOOP = 0x03, IF = 0x04, END = 0x0b, BR = 0x0c, BR_IF = 0x0d, EMPTY = 0x40;
export const ELSE = 0x05, CALL = 0x10, I32_EQ = 0x46, I32_LT_S = 0x48, I32_GT_U = 0x4b, I32_LE_U = 0x4d, I32_SUB = 0x6b;
export const I32_AND = 0x71, I32_OR = 0x72, I32_SHR_S = 0x75, F32_DEMOTE_F64 = 0xb6, F64_CONVERT_I32_S = 0xb7;
export const SELECT = 0x1b, F64_GE = 0x66, GLOBAL_GET = 0x23, I32_GE_S = 0x4e, I32_MUL = 0x6c, I32_REM_U = 0x70, I32_LOAD16_U = 0x2f;
/** memory.fill (bulk memory): the 0xfc prefix, its opcode 11, memory index 0. */
export const MEMORY_FILL = [0xfc, 0x0b, 0x00];

/** SIMD opcodes of the delivery loops (the byte after the 0xfd prefix: see simd()). */
export const V128_LOAD = 0x00, V128_STORE = 0x0b, V128_CONST = 0x0c, V128_STORE64_LANE = 0x5b, V128_LOAD64_ZERO = 0x5d;
export const F32X4_DEMOTE_F64X2_ZERO = 0x5e, F64X2_PROMOTE_LOW_F32X4 = 0x5f, F32X4_ADD = 0xe4, F64X2_ADD = 0xf0;

/** A SIMD instruction: the 0xfd prefix, then its opcode as LEB128. */
export const simd = (op: number): number[] => bytes(0xfd, uleb(op));

/**
 * `parts` in order as one list of bytes: a number is a byte, an array its bytes. For long
 * instruction lists: V8's optimising compiler spent 70–110 ms of a background thread's CPU on a
 * function holding an array literal of many spreads (CPU that parallelRun's threads need).
 */
export function bytes(...parts: (number | ArrayLike<number>)[]): number[] {
  const out: number[] = [];
  for (const p of parts) {
    if (typeof p === 'number') out.push(p);
    else append(out, p);
  }
  return out;
}

export function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n = Math.floor(n / 128);
    if (n > 0) b |= 0x80;
    out.push(b);
  } while (n > 0);
  return out;
}

export function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0)) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
}

/** A load/store's alignment (log2 bytes) and constant byte offset. */
export const memarg = (align: number, offset: number) => bytes(uleb(align), uleb(offset));

/** local.get / local.set of local `l` (below 128: one byte). */
export const localGet = (l: number) => [LOCAL_GET, l];
export const localSet = (l: number) => [LOCAL_SET, l];
/** An i32 index times 4 (the byte offset of a 32-bit element). */
export const TIMES_4 = [I32_CONST, 2, I32_SHL];

/** f64.const `v`. */
export function f64Const(v: number): number[] {
  return bytes(F64_CONST, new Uint8Array(new Float64Array([v]).buffer));
}

/**
 * f64 constants for a loop: `values` become mutable globals (FunctionModule.f64Globals, numbered
 * from `firstGlobal`), `load` copies them into the f64 locals `locals` before the loop, and the
 * loop reads the locals. V8 rebuilds an `f64.const` at every use inside a loop (a 64-bit immediate
 * moved into an XMM register: two instructions each); a local loaded from a mutable global it
 * cannot fold, so it stays in a register.
 */
export function hoistedF64(values: readonly number[], locals: readonly number[], firstGlobal = 0): { globals: number[]; load: number[] } {
  return { globals: values.slice(), load: locals.flatMap((l, k) => bytes(GLOBAL_GET, uleb(firstGlobal + k), localSet(l))) };
}

/**
 * The sfc32 stream in WebAssembly (the step src/random/sfc32.ts and stream.ts compute): its 4
 * words at byte offset `rng` in the memory, in the i32 locals `state` = [a, b, c, d] while a
 * loop runs.
 */
export const sfc32 = {
  load: (rng: number, state: readonly number[]) => state.flatMap((l, k) => bytes(I32_CONST, 0, I32_LOAD, memarg(2, rng + 4 * k), localSet(l))),
  store: (rng: number, state: readonly number[]) => state.flatMap((l, k) => bytes(I32_CONST, 0, localGet(l), I32_STORE, memarg(2, rng + 4 * k))),
  /** t = a + b + d; d += 1; a = b ^ (b >>> 9); b = c + (c << 3); c = rotl(c, 21) + t: the next word in local `t`. */
  step: ([a, b, c, d]: readonly number[], t: number) => {
    const get = localGet, set = localSet;
    return bytes(
      get(a!), get(b!), I32_ADD, get(d!), I32_ADD, set(t),
      get(d!), I32_CONST, 1, I32_ADD, set(d!),
      get(b!), get(b!), I32_CONST, 9, I32_SHR_U, I32_XOR, set(a!),
      get(c!), get(c!), I32_CONST, 3, I32_SHL, I32_ADD, set(b!),
      get(c!), I32_CONST, 21, I32_ROTL, get(t), I32_ADD, set(c!),
    );
  },
  /**
   * The loop of a fill: the state loaded into its locals, then `before` (constants into locals),
   * then for i = 0 … n − 1 the next word in local `t` and `perWord`; the state stored back after.
   * Local `i` must start at 0 (a function's locals do).
   */
  eachWord: (o: { rng: number; state: readonly number[]; t: number; i: number; n: number; before: readonly number[]; perWord: readonly number[] }) =>
    bytes(
      sfc32.load(o.rng, o.state), o.before,
      BLOCK, EMPTY, LOOP, EMPTY,
      localGet(o.i), I32_CONST, sleb(o.n), I32_GE_U, BR_IF, 1,
      sfc32.step(o.state, o.t), o.perWord,
      localGet(o.i), I32_CONST, 1, I32_ADD, localSet(o.i),
      BR, 0, END, END,
      sfc32.store(o.rng, o.state),
    ),
};

export interface FunctionModule {
  /** Name of the one exported function. */
  name: string;
  params: number[];
  results: number[];
  /** Locals after the parameters, as runs of [count, type]. */
  locals: [number, number][];
  /** The function's instructions, without the final `end`. */
  body: number[];
  /** Mutable v128 globals, as their 16 initial bytes each. */
  globals?: Uint8Array[];
  /** Mutable f64 globals, numbered after the v128 ones (see hoistedF64). */
  f64Globals?: number[];
  /** The world's memory, imported as env.memory with its exact size. */
  memory: { pages: number; shared: boolean };
  /** Functions imported from env (called by index: 0, 1, …, in this order), for what WebAssembly cannot compute. */
  imports?: { name: string; params: number[]; results: number[] }[];
  /**
   * What profilers and stack traces call the function (a custom "name" section): `integrate Exc
   * (COBA)` rather than `wasm-function[0]`, so a profile says which kernel or projection costs what.
   */
  debugName?: string;
}

/**
 * The module's bytes. Written by appending in loops, not by array spreads: V8's optimising
 * compiler took 85–110 ms of a background thread's CPU for the spread version, and again after
 * each of its deoptimisations ('wrong map'): ~40 ms per seed sweep call in steady state, CPU that
 * parallelRun's second thread needs.
 */
export function functionModule(m: FunctionModule): Uint8Array<ArrayBuffer> {
  const imports = m.imports ?? [];
  const out: number[] = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
  const section = (id: number, content: number[]) => {
    out.push(id);
    append(out, uleb(content.length));
    append(out, content);
  };
  // Type 0 is the exported function's; type 1 + j is import j's.
  const types = uleb(1 + imports.length);
  for (const f of [m, ...imports]) {
    types.push(0x60);
    appendVector(types, f.params);
    appendVector(types, f.results);
  }
  section(1, types);
  const imported = uleb(1 + imports.length);
  appendName(imported, 'env');
  appendName(imported, 'memory');
  imported.push(0x02, m.memory.shared ? 0x03 : 0x01);
  append(imported, uleb(m.memory.pages));
  append(imported, uleb(m.memory.pages));
  imports.forEach((f, j) => {
    appendName(imported, 'env');
    appendName(imported, f.name);
    imported.push(0x00);
    append(imported, uleb(1 + j));
  });
  section(2, imported);
  section(3, [1, 0]);
  const v128Globals = m.globals ?? [], f64Globals = m.f64Globals ?? [];
  if (v128Globals.length + f64Globals.length > 0) {
    const globals = uleb(v128Globals.length + f64Globals.length);
    for (const g of v128Globals) {
      globals.push(V128, 1, 0xfd, 0x0c);
      append(globals, g);
      globals.push(END);
    }
    for (const v of f64Globals) {
      globals.push(F64, 1);
      append(globals, f64Const(v));
      globals.push(END);
    }
    section(6, globals);
  }
  // Imported functions take the first function indices: the defined one is imports.length.
  const self = imports.length;
  const exported = [1];
  appendName(exported, m.name);
  exported.push(0x00);
  append(exported, uleb(self));
  section(7, exported);
  const code = uleb(m.locals.length);
  for (const [count, type] of m.locals) {
    append(code, uleb(count));
    code.push(type);
  }
  append(code, m.body);
  code.push(END);
  const bodies = [1];
  append(bodies, uleb(code.length));
  append(bodies, code);
  section(10, bodies);
  if (m.debugName !== undefined) {
    // Custom section "name" with a function-names subsection (id 1) naming function `self`.
    const functionNames = [1];
    append(functionNames, uleb(self));
    appendName(functionNames, m.debugName);
    const names: number[] = [];
    appendName(names, 'name');
    names.push(1);
    append(names, uleb(functionNames.length));
    append(names, functionNames);
    section(0, names);
  }
  return new Uint8Array(out);
}

function append(out: number[], items: ArrayLike<number>): void {
  for (let i = 0; i < items.length; i++) out.push(items[i] as number);
}

/** A vector: its length, then its items. */
function appendVector(out: number[], items: readonly number[]): void {
  append(out, uleb(items.length));
  append(out, items);
}

/** A name as the binary format stores it: its UTF-8 byte length, then the bytes. */
function appendName(out: number[], s: string): void {
  const bytes = new TextEncoder().encode(s);
  append(out, uleb(bytes.length));
  append(out, bytes);
}

/** The size and sharing of a world's memory, as a module that imports it must declare them. */
export function memoryShape(memory: WebAssembly.Memory): { pages: number; shared: boolean } {
  const buffer = memory.buffer;
  return { pages: buffer.byteLength / 65536, shared: typeof SharedArrayBuffer !== 'undefined' && buffer instanceof SharedArrayBuffer };
}

/**
 * Compiles `bytes` and instantiates it on `memory` (env.memory) with `functions` as the other env
 * imports; returns the export `name`.
 */
export function instantiate<F>(
  bytes: Uint8Array<ArrayBuffer>,
  memory: WebAssembly.Memory,
  name: string,
  functions: Record<string, (...args: never[]) => unknown> = {},
): F {
  const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory, ...functions } });
  return instance.exports[name] as F;
}
