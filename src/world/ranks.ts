/**
 * Rank arrays, built with plain loops: `Int32Array.from({ length }, fn)` and `from(arr, fn)` call a
 * function per element, 10–20× slower than a loop (a 500k-neuron slice's get took 40–60 ms).
 */

/** begin, begin + 1, …, begin + count − 1. */
export function rankRange(begin: number, count: number): Int32Array {
  const out = new Int32Array(count);
  for (let i = 0; i < count; i++) out[i] = begin + i;
  return out;
}

/** values[ranks[i]] for each i (a view's entries of a population's field). */
export function gather(values: ArrayLike<number>, ranks: ArrayLike<number>): Float64Array {
  const out = new Float64Array(ranks.length);
  for (let i = 0; i < out.length; i++) out[i] = values[ranks[i] as number] as number;
  return out;
}
