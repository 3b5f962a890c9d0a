/**
 * One arena per world: every component array of a compiled network is a view into a single
 * `WebAssembly.Memory`. Shared memory (its `buffer` is a SharedArrayBuffer) lets workers and
 * renderers read a running network without copies; memory that wasm allocated is the only kind
 * that future WebAssembly kernels can read, hence one memory rather than one buffer per component.
 */

export type FieldType = 'f64' | 'f32' | 'i32' | 'u32' | 'u16' | 'u8';

export type ArrayOf<T extends FieldType> = T extends 'f64'
  ? Float64Array
  : T extends 'f32'
    ? Float32Array
    : T extends 'i32'
      ? Int32Array
      : T extends 'u32'
        ? Uint32Array
        : T extends 'u16'
          ? Uint16Array
          : Uint8Array;

/** A float field of either storage precision (population state is float64 or float32). */
export type StateArray = Float32Array | Float64Array;

const BYTES: Record<FieldType, number> = { f64: 8, f32: 4, i32: 4, u32: 4, u16: 2, u8: 1 };
const CTOR = {
  f64: Float64Array,
  f32: Float32Array,
  i32: Int32Array,
  u32: Uint32Array,
  u16: Uint16Array,
  u8: Uint8Array,
} as const;

/** Regions start on cache-line boundaries (and so on any SIMD boundary). */
const ALIGN_BYTES = 64;
const PAGE_BYTES = 65536;

/** A region reserved in a plan; becomes a typed array once the arena exists. */
export interface Region<T extends FieldType = FieldType> {
  readonly type: T;
  readonly length: number;
  readonly byteOffset: number;
}

/**
 * Collects the regions a world needs, then allocates them all at once.
 * Sizing happens once at compile: networks are static afterwards, so the memory never grows
 * (a grow would leave old views at their old length).
 */
export class ArenaPlan {
  private bytes = 0;

  reserve<T extends FieldType>(type: T, length: number): Region<T> {
    if (!Number.isInteger(length) || length < 0) throw new RangeError(`arena: bad length ${length}`);
    const byteOffset = this.bytes;
    this.bytes = align(byteOffset + length * BYTES[type]);
    return { type, length, byteOffset };
  }

  get byteLength(): number {
    return this.bytes;
  }

  allocate(): Arena {
    return new Arena(createMemory(Math.max(1, Math.ceil(this.bytes / PAGE_BYTES))));
  }
}

export class Arena {
  constructor(readonly memory: WebAssembly.Memory) {}

  get buffer(): ArrayBufferLike {
    return this.memory.buffer;
  }

  view<T extends FieldType>(region: Region<T>): ArrayOf<T> {
    return new CTOR[region.type](this.memory.buffer, region.byteOffset, region.length) as ArrayOf<T>;
  }
}

/** Shared where the platform allows it (Node; cross-origin-isolated pages), else a private memory. */
function createMemory(pages: number): WebAssembly.Memory {
  if (canShareMemory()) return new WebAssembly.Memory({ initial: pages, maximum: pages, shared: true });
  return new WebAssembly.Memory({ initial: pages, maximum: pages });
}

export function canShareMemory(): boolean {
  if (typeof SharedArrayBuffer === 'undefined') return false;
  const g = globalThis as { crossOriginIsolated?: boolean };
  return g.crossOriginIsolated !== false;
}

/**
 * Plain-data arrays that cross threads (recordings, spike schedules, timed rate tables) go on
 * shared memory where the platform has it, so a hand-off to a worker and back copies nothing.
 */
export function sharedFloat64s(length: number): Float64Array {
  return canShareMemory() ? new Float64Array(new SharedArrayBuffer(length * 8)) : new Float64Array(length);
}

export function sharedInt32s(length: number): Int32Array {
  return canShareMemory() ? new Int32Array(new SharedArrayBuffer(length * 4)) : new Int32Array(length);
}

function align(bytes: number): number {
  return Math.ceil(bytes / ALIGN_BYTES) * ALIGN_BYTES;
}
