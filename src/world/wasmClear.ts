/**
 * Zeroing a world's instantaneous conductances (every step, before delivery) as one WebAssembly
 * call: a memory.fill per array, with its address and length folded in. TypedArray's fill on an
 * array over shared memory takes a slow path in V8: measured on Node 20, 130 ns for 100 doubles
 * against 15 ns for memory.fill, which was a third of the step of a 100-neuron Izhikevich network.
 */
import type { StateArray } from '../../components/arena.js';
import { EMPTY, END, functionModule, I32_CONST, I32_LOAD, IF, instantiate, memarg, MEMORY_FILL, memoryShape, sleb } from '../wasm/encode.js';

/** One population's instantaneous conductances and its enabled word: a disabled population's keep their values. */
export interface ClearGroup {
  enabled: Int32Array;
  arrays: readonly StateArray[];
}

/**
 * `clear()` zeroing every array of every enabled group (which must lie in `memory`); null if the
 * engine lacks bulk memory. Nothing to clear needs no module: a no-op.
 */
export function wasmClear(groups: readonly ClearGroup[], memory: WebAssembly.Memory): (() => void) | null {
  if (groups.length === 0) return () => {};
  // The addresses are offsets in `memory`: a view of another buffer would zero the wrong bytes.
  if (groups.some((g) => g.enabled.buffer !== memory.buffer || g.arrays.some((a) => a.buffer !== memory.buffer))) {
    throw new Error('wasmClear: every array must be a view of the memory it clears');
  }
  // i32.const takes the address's 32 bits as a signed number: `| 0` keeps addresses above 2 GiB right.
  const fill = (a: StateArray) => [I32_CONST, ...sleb(a.byteOffset | 0), I32_CONST, 0, I32_CONST, ...sleb(a.byteLength | 0), ...MEMORY_FILL];
  // One test of the population's enabled word per step, then its fills.
  const body = groups.flatMap((g) => [I32_CONST, 0, I32_LOAD, ...memarg(2, g.enabled.byteOffset), IF, EMPTY, ...g.arrays.flatMap(fill), END]);
  const bytes = functionModule({ name: 'clear', params: [], results: [], locals: [], body, memory: memoryShape(memory), debugName: 'clear instantaneous conductances' });
  return WebAssembly.validate(bytes) ? instantiate<() => void>(bytes, memory, 'clear') : null;
}

/** The same in JS (the 'js' backend, or an engine without bulk memory). */
export function jsClear(groups: readonly ClearGroup[]): () => void {
  return () => {
    for (let k = 0; k < groups.length; k++) {
      const g = groups[k]!;
      if (g.enabled[0] !== 0) for (let j = 0; j < g.arrays.length; j++) g.arrays[j]!.fill(0);
    }
  };
}
