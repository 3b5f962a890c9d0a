/**
 * The input stage (systems/input.ts) of a world whose every part of it runs in WebAssembly, as
 * one WebAssembly function that calls the parts directly: the clearing of instantaneous
 * conductances, each projection's delivery, each Poisson population's step. From JS that is one
 * call per step instead of one per part, each through V8's generic JS-to-WebAssembly wrapper (the
 * call sites see every network's instances), and the JS loops over projections and sources are
 * gone; a call between WebAssembly instances needs no wrapper. The same calls in the same order
 * with the same arguments as the JS stage: the same bits.
 */
import {
  bytes, CALL, ELSE, EMPTY, END, functionModule, I32, I32_ADD, I32_CONST, I32_GE_S, I32_LOAD, I32_MUL, I32_REM_U, I32_STORE, I32_SUB, IF,
  instantiate, localGet, localSet, LOCAL_TEE, memarg, memoryShape, sleb, TIMES_4,
} from '../wasm/encode.js';

/** A spike ring as the stage reads it: its counts' byte offset in the memory, its slots and ranks per slot. */
export interface RingAt {
  counts: number;
  depth: number;
  size: number;
}

/** One part of the stage, in the order the JS stage runs them (projections, then Poisson sources). */
export type InputPart =
  /**
   * A uniform delay: `rows(slot · size, count)` for the pre spikes of step − delaySteps, if any,
   * while the post population's enabled word (at byte `postEnabled`) is not 0.
   */
  | { kind: 'rows'; rows: (base: number, count: number) => void; delaySteps: number; ring: RingAt; postEnabled: number }
  /** A delay per synapse: the whole delivery of `step` (it reads the post's enabled word itself). */
  | { kind: 'delayed'; deliver: (step: number) => void }
  /**
   * ring.counts[step % depth] = emit(slot · size, step) while the source's enabled word (at byte
   * `enabled`) is not 0, else 0; a disabled spike source array's origin (the int32 at byte `origin`)
   * moves on by one, so its clock pauses.
   */
  | { kind: 'poisson'; emit: (base: number, step: number) => number; ring: RingAt; enabled: number; origin: number | null };

/** `input(step)` on `memory`; `clear` is null where the world has no instantaneous conductance. */
export function wasmInput(clear: (() => void) | null, parts: readonly InputPart[], memory: WebAssembly.Memory): (step: number) => void {
  // Parameter 0 (step); locals emitted, slot, count.
  const step = 0, emitted = 1, slot = 2, count = 3;
  const get = localGet, set = localSet;
  const imports: { name: string; params: number[]; results: number[] }[] = [];
  const functions: Record<string, (...args: never[]) => unknown> = {};
  const body: number[] = [];
  const call = (name: string, fn: (...args: never[]) => unknown, params: number[], results: number[]) => {
    functions[name] = fn;
    imports.push({ name, params, results });
    return bytes(CALL, sleb(imports.length - 1));
  };
  // slot · size, the first rank of a slot's spikes
  const slotBase = (ring: RingAt) => bytes(get(slot), I32_CONST, sleb(ring.size), I32_MUL);
  // The int32 at byte `at` (an enabled word): one load per part and step.
  const word = (at: number) => bytes(I32_CONST, 0, I32_LOAD, memarg(2, at));
  if (clear) body.push(...call('clear', clear, [], []));
  parts.forEach((part, j) => {
    const name = `part${j}`;
    if (part.kind === 'delayed') {
      body.push(...bytes(get(step), call(name, part.deliver, [I32], [])));
    } else if (part.kind === 'rows') {
      const { ring } = part;
      body.push(
        ...bytes(
          word(part.postEnabled), IF, EMPTY,
          get(step), I32_CONST, sleb(part.delaySteps), I32_SUB, LOCAL_TEE, emitted, I32_CONST, 0, I32_GE_S, IF, EMPTY,
          get(emitted), I32_CONST, sleb(ring.depth), I32_REM_U, set(slot),
          get(slot), TIMES_4, I32_LOAD, memarg(2, ring.counts), LOCAL_TEE, count, IF, EMPTY,
          slotBase(ring), get(count), call(name, part.rows, [I32, I32], []),
          END,
          END,
          END,
        ),
      );
    } else {
      const { ring, origin } = part;
      // A disabled spike source array: origin += 1.
      const pause = origin === null ? [] : bytes(I32_CONST, 0, word(origin), I32_CONST, 1, I32_ADD, I32_STORE, memarg(2, origin));
      body.push(
        ...bytes(
          get(step), I32_CONST, sleb(ring.depth), I32_REM_U, set(slot),
          get(slot), TIMES_4,
          word(part.enabled), IF, I32,
          slotBase(ring), get(step), call(name, part.emit, [I32, I32], [I32]),
          ELSE,
          pause, I32_CONST, 0,
          END,
          I32_STORE, memarg(2, ring.counts),
        ),
      );
    }
  });
  const module = functionModule({
    name: 'input',
    params: [I32],
    results: [],
    locals: [[3, I32]],
    body,
    memory: memoryShape(memory),
    imports,
    debugName: 'input stage',
  });
  return instantiate<(step: number) => void>(module, memory, 'input', functions);
}
