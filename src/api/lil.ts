/**
 * `LILConnectivity`: the synapses a `connectWithFunc` method returns, as ANNarchy's
 * `LILConnectivity`: one `add(postRank, preRanks, weights, delays)` per post neuron. Ranks are the
 * populations' ranks (also when the projection connects views); weights and delays (ms) are one
 * number for the call, or one per pre rank. Kept in growable typed arrays: no object per synapse.
 */
import { SpikeworldError } from '../errors.js';
import { isFloat32Weight, notAWeight } from '../world/connect.js';
import { describe } from './values.js';

export class LILConnectivity {
  /** @internal post rank of each dendrite, in the order added */
  readonly postRanks: number[] = [];
  /** @internal offset of each dendrite's first synapse, and the total at the end */
  readonly starts: number[] = [0];
  /** @internal pre rank of every synapse, dendrite after dendrite */
  pre = new Uint32Array(256);
  /** @internal weight of every synapse */
  w = new Float32Array(256);
  /** @internal delay (ms) of every synapse */
  d = new Float64Array(256);
  private readonly added = new Set<number>();

  /** Number of post neurons with synapses (ANNarchy's `size`). */
  get size(): number {
    return this.postRanks.length;
  }

  /** Number of synapses. */
  get nbSynapses(): number {
    return this.starts[this.starts.length - 1] as number;
  }

  /**
   * The synapses of post neuron `postRank` from `preRanks` (each once). `weights` and `delays`
   * (ms, default 0: one step): a number, or an array with one value per pre rank (a one-value
   * array serves every pre rank, as in ANNarchy). An empty `preRanks` adds nothing, as in ANNarchy.
   * Each post neuron is added once: give all its synapses in one call.
   */
  add(postRank: number, preRanks: ArrayLike<number>, weights: number | ArrayLike<number>, delays: number | ArrayLike<number> = 0): this {
    const what = `LILConnectivity.add(${typeof postRank === 'number' ? postRank : describe(postRank)}, …)`;
    if (typeof postRank !== 'number' || !Number.isInteger(postRank) || postRank < 0) {
      throw new SpikeworldError(`${what}: the post rank must be an integer >= 0 (a rank of the post population), got ${describe(postRank)}`);
    }
    if (!preRanks || typeof preRanks !== 'object' || typeof preRanks.length !== 'number') {
      throw new SpikeworldError(`${what}: preRanks must be an array of pre ranks, got ${describe(preRanks)}`);
    }
    const n = preRanks.length;
    if (n === 0) return this;
    if (this.added.has(postRank)) {
      throw new SpikeworldError(
        `${what}: post rank ${postRank} was already added; give all of a post neuron's synapses in one add() call ` +
          `(ANNarchy merges such calls, with a warning)`,
      );
    }
    const w = perSynapse(weights, n, 'weights', what);
    const d = perSynapse(delays, n, 'delays', what);
    const at = this.nbSynapses;
    this.reserve(at + n);
    for (let i = 0; i < n; i++) {
      const r = preRanks[i];
      if (typeof r !== 'number' || !Number.isInteger(r) || r < 0 || r > 0xffffffff) {
        throw new SpikeworldError(`${what}: preRanks[${i}] is ${describe(r)}, not a rank (an integer >= 0 of the pre population)`);
      }
      const weight = typeof w === 'number' ? w : (w[i] as number);
      if (typeof weight !== 'number' || !isFloat32Weight(weight)) {
        if (typeof weight === 'number' && !Number.isNaN(weight)) throw notAWeight(weight, `${what}: weights[${i}]`);
        throw new SpikeworldError(`${what}: weights[${i}] is ${describe(weight)}, not a finite number`);
      }
      const delay = typeof d === 'number' ? d : (d[i] as number);
      if (typeof delay !== 'number' || !Number.isFinite(delay) || delay < 0) {
        throw new SpikeworldError(
          `${what}: delays${typeof d === 'number' ? '' : `[${i}]`} is ${describe(delay)}; a delay must be a number >= 0 ms (under one step is one step)`,
        );
      }
      this.pre[at + i] = r;
      this.w[at + i] = weight;
      this.d[at + i] = delay;
    }
    this.added.add(postRank);
    this.postRanks.push(postRank);
    this.starts.push(at + n);
    return this;
  }

  private reserve(length: number): void {
    if (length <= this.pre.length) return;
    let size = this.pre.length * 2;
    while (size < length) size *= 2;
    const grow = <T extends Uint32Array | Float32Array | Float64Array>(a: T, make: (n: number) => T): T => {
      const next = make(size);
      next.set(a);
      return next;
    };
    this.pre = grow(this.pre, (k) => new Uint32Array(k));
    this.w = grow(this.w, (k) => new Float32Array(k));
    this.d = grow(this.d, (k) => new Float64Array(k));
  }
}

/** A number for all, or an array of `n` values (one value: for all, as ANNarchy). */
function perSynapse(x: number | ArrayLike<number>, n: number, name: string, what: string): number | ArrayLike<number> {
  if (typeof x === 'number') return x;
  if (!x || typeof x !== 'object' || typeof x.length !== 'number') {
    throw new SpikeworldError(`${what}: ${name} must be a number or an array of numbers, got ${describe(x)}`);
  }
  if (x.length === 1) return x[0] as number;
  if (x.length !== n) {
    throw new SpikeworldError(`${what}: got ${x.length} ${name} for ${n} pre ranks; give one per pre rank, or one number for all`);
  }
  return x;
}
