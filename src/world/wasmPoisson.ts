/**
 * A Poisson population's step as WebAssembly, generated per population with the addresses of its
 * arrays folded in: one word per neuron from the Poisson lanes (random/lanes.ts: four sfc32
 * streams advanced together as one i32x4 per group of four sources), a spike where the word is
 * below the source's threshold. The JS path (systems/input.ts) spikes where
 * word · 2^-32 < rate · dt / 1000; for an integer word that holds exactly where
 * word < ceil(rate · dt / 1000 · 2^32) (the scaling by 2^32 is exact), so the thresholds, made from
 * the rates whenever they change (poissonThresholds), give the same spikes with two integer
 * comparisons per group instead of conversions and products per source. A group with a spike
 * (rare at a few Hz) writes its ranks one lane at a time.
 */
import type { StateArray } from '../../components/arena.js';
import {
  BLOCK, BR, BR_IF, bytes, EMPTY, END, functionModule, I32, I32_ADD, I32_AND, I32_CONST, I32_GE_U, I32_LOAD, I32_OR, I32_SHL, I32_SHR_U, I32_STORE, IF,
  instantiate, localGet, localSet, LOOP, memarg, memoryShape, SELECT, simd, sleb, TIMES_4, V128, V128_LOAD, V128_STORE,
} from '../wasm/encode.js';
import { LANES } from '../random/lanes.js';

/** SIMD opcodes of this step (after the 0xfd prefix). */
const I32X4_SPLAT = 0x11, V128_OR = 0x50, V128_XOR = 0x51, V128_ANY_TRUE = 0x53, I32X4_SHL = 0xab, I32X4_SHR_U = 0xad;
const I32X4_ADD = 0xae, I64X2_BITMASK = 0xc4, I64X2_EXTEND_LOW_I32X4_U = 0xc9, I64X2_EXTEND_HIGH_I32X4_U = 0xca, I64X2_LT_S = 0xd8;

/** 2^32: a threshold that every word is below (a rate · dt / 1000 of 1 or more spikes every step). */
const EVERY_WORD = 2 ** 32;

/**
 * Writes each source's threshold, ceil(rate · pSpikePerHz · 2^32) clamped to [0, 2^32], as an
 * int64 (low word, high word) into `out`; `pSpikePerHz` is dt / 1000 as the JS path computes it
 * (the same product, the same bits). A rate below 0 never spikes, as in the JS path.
 */
export function poissonThresholds(rates: StateArray, pSpikePerHz: number, out: Uint32Array): void {
  for (let i = 0; i < rates.length; i++) {
    const p = (rates[i] as number) * pSpikePerHz;
    // NaN (refused where rates are set) gives 0 here, and never spikes in the JS path either.
    const threshold = p > 0 ? Math.min(Math.ceil(p * EVERY_WORD), EVERY_WORD) : 0;
    out[2 * i] = threshold % EVERY_WORD;
    out[2 * i + 1] = threshold === EVERY_WORD ? 1 : 0;
  }
}

export interface PoissonAddresses {
  /** Byte offsets in the world's memory: the 16 words of the lanes' state (a, b, c, d vectors). */
  rng: number;
  /** The sources' int64 thresholds (poissonThresholds). */
  thresholds: number;
  /** The population's spike ring ranks (slot bases are passed per call). */
  ranks: number;
  lastSpike: number;
}

/** `emit(base, step): count` for `size` neurons (module bytes; instantiate with env.memory). */
export function wasmPoisson(at: PoissonAddresses, size: number, memory: { pages: number; shared: boolean }, name = 'a population'): Uint8Array<ArrayBuffer> {
  // Parameters 0 (ring base), 1 (step); i32 locals i, count, mask, bit; v128 locals: the lanes' a, b,
  // c, d, this group's words t, the constant 1 in each lane, and the spike masks of lanes 0–1 and 2–3.
  const base = 0, step = 1, i = 2, count = 3, mask = 4, bit = 5;
  const A = 6, B = 7, C = 8, D = 9, T = 10, ONE = 11, LO = 12, HI = 13;
  const get = localGet, set = localSet;
  const fullEnd = size - (size % LANES);

  // t = a + b + d; d += 1; a = b ^ (b >>> 9); b = c + (c << 3); c = rotl(c, 21) + t, in every lane.
  const laneStep = bytes(
    get(A), get(B), simd(I32X4_ADD), get(D), simd(I32X4_ADD), set(T),
    get(D), get(ONE), simd(I32X4_ADD), set(D),
    get(B), get(B), I32_CONST, 9, simd(I32X4_SHR_U), simd(V128_XOR), set(A),
    get(C), get(C), I32_CONST, 3, simd(I32X4_SHL), simd(I32X4_ADD), set(B),
    get(C), I32_CONST, 21, simd(I32X4_SHL), get(C), I32_CONST, 11, simd(I32X4_SHR_U), simd(V128_OR), get(T), simd(I32X4_ADD), set(C),
  );
  // words (zero-extended to int64) < thresholds[first + 2h], thresholds[first + 2h + 1]: h = 0 for lanes 0–1, 1 for lanes 2–3
  const below = (first: number[], h: number) =>
    bytes(get(T), simd(h === 0 ? I64X2_EXTEND_LOW_I32X4_U : I64X2_EXTEND_HIGH_I32X4_U), first, I32_CONST, 3, I32_SHL, simd(V128_LOAD), memarg(0, at.thresholds + 16 * h), simd(I64X2_LT_S));
  // The group's spikes without a branch per lane (each one a likely misprediction): every lane
  // writes its rank at ranks[base + count], and count moves on past it only if it spiked
  // (count never passes the lane's own rank, so the write stays in the slot); lastSpike[index] = step where it spiked.
  const laneSpike = (index: number[], lane: number) =>
    bytes(
      get(base), get(count), I32_ADD, TIMES_4, index, I32_STORE, memarg(2, at.ranks),
      get(mask), I32_CONST, lane, I32_SHR_U, I32_CONST, 1, I32_AND, set(bit),
      index, TIMES_4, get(step), index, TIMES_4, I32_LOAD, memarg(2, at.lastSpike), get(bit), SELECT, I32_STORE, memarg(2, at.lastSpike),
      get(count), get(bit), I32_ADD, set(count),
    );
  // The spikes of the group from source `first`, its lanes below `lanes` only.
  const spikes = (first: number[], lanes: number) =>
    bytes(
      below(first, 0), set(LO), below(first, 1), set(HI),
      get(LO), get(HI), simd(V128_OR), simd(V128_ANY_TRUE), IF, EMPTY,
      get(LO), simd(I64X2_BITMASK), get(HI), simd(I64X2_BITMASK), I32_CONST, 2, I32_SHL, I32_OR, set(mask),
      ...Array.from({ length: lanes }, (_, lane) => laneSpike(bytes(first, I32_CONST, lane, I32_ADD), lane)),
      END,
    );
  const state = [A, B, C, D];
  const body = bytes(
    I32_CONST, 1, simd(I32X4_SPLAT), set(ONE),
    ...state.map((v, k) => bytes(I32_CONST, 0, simd(V128_LOAD), memarg(0, at.rng + 16 * k), set(v))),
    BLOCK, EMPTY, LOOP, EMPTY,
    get(i), I32_CONST, sleb(fullEnd), I32_GE_U, BR_IF, 1,
    laneStep, spikes(get(i), LANES),
    get(i), I32_CONST, LANES, I32_ADD, set(i),
    BR, 0, END, END,
    // The last group of fewer than four sources: all lanes advance; the thresholds read past the
    // population's are the layout's padding (see below), and their lanes are not looked at.
    fullEnd < size ? bytes(laneStep, spikes(bytes(I32_CONST, sleb(fullEnd)), size - fullEnd)) : [],
    ...state.map((v, k) => bytes(I32_CONST, 0, get(v), simd(V128_STORE), memarg(0, at.rng + 16 * k))),
    get(count),
  );
  return functionModule({
    name: 'emit',
    params: [I32, I32],
    results: [I32],
    locals: [[4, I32], [8, V128]],
    body,
    memory,
    debugName: `poisson step ${name} (${size} sources)`,
  });
}

/** The step of a Poisson population, instantiated on `memory`; `lanes` is the 16-word lane state. */
export function wasmPoissonStep(
  pop: { thresholds: Uint32Array; ranks: Uint32Array; lastSpike: Int32Array },
  lanes: Uint32Array,
  memory: WebAssembly.Memory,
  name: string,
): (base: number, step: number) => number {
  const at = { rng: lanes.byteOffset, thresholds: pop.thresholds.byteOffset, ranks: pop.ranks.byteOffset, lastSpike: pop.lastSpike.byteOffset };
  return instantiate<(base: number, step: number) => number>(wasmPoisson(at, pop.lastSpike.length, memoryShape(memory), name), memory, 'emit');
}
