/**
 * A Poisson population's step as WebAssembly, generated per population with the addresses of its
 * arrays folded in: one uniform draw per neuron from the world's sfc32 stream (the same words, in
 * the same order, as `fillUniform` in systems/input.ts), a spike where draw < rate · dt / 1000
 * (dt / 1000 folded in as a constant: a float passed per call from JS costs a heap allocation).
 * The JS path fills a buffer of draws and then compares; here neither the buffer nor the
 * typed-array checks exist. Same stream words, same products, same comparisons: same spikes.
 */
import type { StateArray } from '../../components/arena.js';
import {
  EMPTY, END, F32_LOAD, F64, F64_CONVERT_I32_U, F64_LOAD, F64_LT, F64_MUL, F64_PROMOTE_F32, functionModule,
  I32, I32_ADD, I32_CONST, I32_SHL, I32_STORE, IF, hoistedF64, localGet, localSet, instantiate, memarg, memoryShape, sfc32,
  TIMES_4,
} from '../wasm/encode.js';

export interface PoissonAddresses {
  /** Byte offsets in the world's memory. */
  rng: number;
  rates: number;
  /** The population's spike ring ranks (slot bases are passed per call). */
  ranks: number;
  lastSpike: number;
}

/**
 * `emit(base, step): count` for `size` neurons (module bytes; instantiate with env.memory);
 * `pSpikePerHz` is dt / 1000 as the JS path computes it (the same product, the same bits).
 */
export function wasmPoisson(
  at: PoissonAddresses,
  size: number,
  rates: 'f32' | 'f64',
  pSpikePerHz: number,
  memory: { pages: number; shared: boolean },
  name = 'a population',
): Uint8Array<ArrayBuffer> {
  // Parameters 0 (ring base), 1 (step); locals a, b, c, d, t, i, count; f64 locals: 2^-32, pSpikePerHz.
  const base = 0, step = 1, a = 2, b = 3, c = 4, d = 5, t = 6, i = 7, count = 8, toUnit = 9, perHz = 10;
  const constants = hoistedF64([2 ** -32, pSpikePerHz], [toUnit, perHz]);
  const get = localGet, set = localSet, times4 = TIMES_4;
  const state = [a, b, c, d];
  const rate = rates === 'f32' ? [F32_LOAD, ...memarg(2, at.rates), F64_PROMOTE_F32] : [F64_LOAD, ...memarg(3, at.rates)];
  const perWord = [
    // if (t · 2^-32 < rates[i] · pSpikePerHz) { ranks[base + count] = i; count += 1; lastSpike[i] = step }
    ...get(t), F64_CONVERT_I32_U, ...get(toUnit), F64_MUL,
    ...get(i), I32_CONST, rates === 'f32' ? 2 : 3, I32_SHL, ...rate, ...get(perHz), F64_MUL,
    F64_LT, IF, EMPTY,
    ...get(base), ...get(count), I32_ADD, ...times4, ...get(i), I32_STORE, ...memarg(2, at.ranks),
    ...get(count), I32_CONST, 1, I32_ADD, ...set(count),
    ...get(i), ...times4, ...get(step), I32_STORE, ...memarg(2, at.lastSpike),
    END,
  ];
  const body = [...sfc32.eachWord({ rng: at.rng, state, t, i, n: size, before: constants.load, perWord }), ...get(count)];
  return functionModule({
    name: 'emit',
    params: [I32, I32],
    results: [I32],
    locals: [[7, I32], [2, F64]],
    body,
    f64Globals: constants.globals,
    memory,
    debugName: `poisson step ${name} (${size} sources)`,
  });
}

/** The step of a Poisson population, instantiated on `memory`; `pSpikePerHz` = dt / 1000. */
export function wasmPoissonStep(
  pop: { rates: StateArray; ranks: Uint32Array; lastSpike: Int32Array },
  rng: Uint32Array,
  pSpikePerHz: number,
  memory: WebAssembly.Memory,
  name: string,
): (base: number, step: number) => number {
  const at = { rng: rng.byteOffset, rates: pop.rates.byteOffset, ranks: pop.ranks.byteOffset, lastSpike: pop.lastSpike.byteOffset };
  const bytes = wasmPoisson(at, pop.lastSpike.length, pop.rates instanceof Float32Array ? 'f32' : 'f64', pSpikePerHz, memoryShape(memory), name);
  return instantiate<(base: number, step: number) => number>(bytes, memory, 'emit');
}
