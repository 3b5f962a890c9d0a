/**
 * What a user may write into a population's parameter or variable, and how it becomes an array.
 * Every check runs before anything is written, so a bad value leaves the population unchanged.
 */
import { SpikeworldError } from '../errors.js';
import { isDistribution, type RandomDistribution } from '../random/distributions.js';

/**
 * A number (broadcast), one value per neuron (nested arrays: in the geometry's shape), or a
 * distribution sampled once per neuron.
 */
export type Assignable = number | NestedNumbers | RandomDistribution;

/** Numbers, or arrays of them to any depth. */
export type NestedNumbers = ArrayLike<number> | readonly NestedNumbers[];

/**
 * Resolves `value` into exactly `length` numbers. `rng` is the stream a distribution samples
 * from; it is advanced only when the value is valid.
 */
export function resolveValues(
  value: unknown,
  length: number,
  rng: Uint32Array,
  what: () => string,
  per = 'neuron',
): Float64Array {
  if (typeof value === 'number') {
    if (Number.isNaN(value)) throw new SpikeworldError(`${what()}: got NaN; give a number`);
    return new Float64Array(length).fill(value);
  }
  if (isDistribution(value)) {
    const out = new Float64Array(length);
    value.sample(rng, out, length);
    return out;
  }
  if (isArrayLike(value)) {
    const flat = flatten(value);
    if (flat.length !== length) {
      throw new SpikeworldError(`${what()}: got ${flat.length} values, expected ${length} (one per ${per}) or a single number`);
    }
    for (let i = 0; i < flat.length; i++) {
      if (typeof flat[i] !== 'number' || Number.isNaN(flat[i])) {
        throw new SpikeworldError(`${what()}: entry ${i} is ${String(flat[i])}, not a number`);
      }
    }
    return Float64Array.from(flat as ArrayLike<number>);
  }
  throw new SpikeworldError(
    `${what()}: got ${describe(value)}; give a number, an array of numbers, or a distribution such as Uniform(0, 1)`,
  );
}

function isArrayLike(x: unknown): x is ArrayLike<unknown> {
  return ArrayBuffer.isView(x) || Array.isArray(x);
}

/** Nested arrays shaped like a geometry ([[..], [..]]) flatten in row-major order. */
function flatten(value: ArrayLike<unknown>): ArrayLike<unknown> {
  if (!Array.isArray(value) || !value.some((x) => isArrayLike(x))) return value;
  const out: unknown[] = [];
  const walk = (v: unknown) => {
    if (isArrayLike(v)) for (let i = 0; i < v.length; i++) walk(v[i]);
    else out.push(v);
  };
  walk(value);
  return out;
}

export function describe(x: unknown): string {
  if (typeof x === 'string') return `'${x}'`;
  if (x === null || x === undefined) return String(x);
  if (typeof x === 'object') return (x as object).constructor?.name ?? 'an object';
  return String(x);
}
