/**
 * User-facing random distributions, with ANNarchy's names and parameters (annarchy-api.md §8).
 * Users write `Uniform(0, 1)` (`new Uniform(0, 1)` works too); each factory returns an instance of
 * a `RandomDistribution` subclass that samples in batches from a caller-owned stream state.
 * Parameters are checked once, at construction, so sampling never fails on them.
 */
import { SpikeworldError } from '../errors.js';
import {
  fillBinomial,
  fillDiscreteUniform,
  fillGamma,
  fillNormal,
  fillUniform,
  STREAM_STATE_WORDS,
} from './stream.js';

export type DistributionKind =
  | 'Uniform'
  | 'DiscreteUniform'
  | 'Normal'
  | 'LogNormal'
  | 'Exponential'
  | 'Gamma'
  | 'Binomial';

/** Optional clamping bounds: values below `min` become `min`, above `max` become `max` (not resampled). */
export interface ClampOptions {
  readonly min?: number;
  readonly max?: number;
}

const oneValue = new Float64Array(1);

/** Base class of every distribution object. */
export abstract class RandomDistribution {
  abstract readonly kind: DistributionKind;

  /**
   * Writes `n` samples to `out[0..n)`, advancing the stream whose 4-word state is `state`.
   * The same state and `n` always give the same values.
   */
  sample(state: Uint32Array, out: Float64Array, n: number = out.length): void {
    if (state.length < STREAM_STATE_WORDS) {
      throw new SpikeworldError(`${this}.sample: the state array needs ${STREAM_STATE_WORDS} words, got ${state.length}`);
    }
    if (!Number.isInteger(n) || n < 0 || n > out.length) {
      throw new SpikeworldError(`${this}.sample: n must be an integer in [0, out.length = ${out.length}], got ${n}`);
    }
    this.fill(state, out, n);
  }

  /** One sample, for setup-time code (batches via {@link sample} are much cheaper per value). */
  sampleOne(state: Uint32Array): number {
    this.sample(state, oneValue, 1);
    return oneValue[0]!;
  }

  abstract toString(): string;

  /** Writes `n` samples; arguments already checked. */
  protected abstract fill(state: Uint32Array, out: Float64Array, n: number): void;
}

/** Distributions with optional `min`/`max` clamps share the checking, clamping and printing. */
abstract class ClampedDistribution extends RandomDistribution {
  readonly min: number | undefined;
  readonly max: number | undefined;

  protected constructor(name: string, options: ClampOptions | undefined) {
    super();
    if (options !== undefined) {
      if (typeof options !== 'object' || options === null) {
        throw new SpikeworldError(`${name}: options must be an object { min?, max? }, got ${String(options)}`);
      }
      for (const key of Object.keys(options)) {
        if (key !== 'min' && key !== 'max') {
          throw new SpikeworldError(`${name}: unknown option '${key}' (allowed: min, max)`);
        }
      }
    }
    const min = options?.min;
    const max = options?.max;
    if (min !== undefined) checkFinite(name, 'min', min);
    if (max !== undefined) checkFinite(name, 'max', max);
    if (min !== undefined && max !== undefined && min > max) {
      throw new SpikeworldError(`${name}: clamp min must be <= max, got min = ${min}, max = ${max}`);
    }
    this.min = min;
    this.max = max;
  }

  protected clamp(out: Float64Array, n: number): void {
    const min = this.min;
    const max = this.max;
    if (min !== undefined) for (let i = 0; i < n; i++) if (out[i]! < min) out[i] = min;
    if (max !== undefined) for (let i = 0; i < n; i++) if (out[i]! > max) out[i] = max;
  }

  protected format(args: readonly number[]): string {
    const clamps: string[] = [];
    if (this.min !== undefined) clamps.push(`min: ${this.min}`);
    if (this.max !== undefined) clamps.push(`max: ${this.max}`);
    const parts = args.map(String);
    if (clamps.length > 0) parts.push(`{ ${clamps.join(', ')} }`);
    return `${this.kind}(${parts.join(', ')})`;
  }
}

/** Real values uniform on [min, max) (32-bit resolution). */
export class UniformDistribution extends RandomDistribution {
  readonly kind = 'Uniform' as const;

  constructor(
    readonly min: number,
    readonly max: number,
  ) {
    super();
    checkFinite('Uniform', 'min', min);
    checkFinite('Uniform', 'max', max);
    checkLess('Uniform', min, max);
    if (!Number.isFinite(max - min)) {
      throw new SpikeworldError(`Uniform: max - min must be finite, got ${max} - ${min}`);
    }
  }

  protected fill(state: Uint32Array, out: Float64Array, n: number): void {
    fillUniform(state, out, n, this.min, this.max);
  }

  override toString(): string {
    return `Uniform(${this.min}, ${this.max})`;
  }
}

/** Integers uniform on [min, max], both ends included (ANNarchy's `randint(min, max + 1)`). */
export class DiscreteUniformDistribution extends RandomDistribution {
  readonly kind = 'DiscreteUniform' as const;

  constructor(
    readonly min: number,
    readonly max: number,
  ) {
    super();
    checkFinite('DiscreteUniform', 'min', min);
    checkFinite('DiscreteUniform', 'max', max);
    checkSafeInteger('DiscreteUniform', 'min', min);
    checkSafeInteger('DiscreteUniform', 'max', max);
    checkLess('DiscreteUniform', min, max);
    if (max - min + 1 > 2 ** 32) {
      throw new SpikeworldError(
        `DiscreteUniform: at most 2^32 values are supported, got max - min + 1 = ${max - min + 1}`,
      );
    }
  }

  protected fill(state: Uint32Array, out: Float64Array, n: number): void {
    fillDiscreteUniform(state, out, n, this.min, this.max);
  }

  override toString(): string {
    return `DiscreteUniform(${this.min}, ${this.max})`;
  }
}

/** Normal with mean `mu` and standard deviation `sigma`, optionally clamped. */
export class NormalDistribution extends ClampedDistribution {
  readonly kind = 'Normal' as const;

  constructor(
    readonly mu: number,
    readonly sigma: number,
    options?: ClampOptions,
  ) {
    super('Normal', options);
    checkFinite('Normal', 'mu', mu);
    checkFinite('Normal', 'sigma', sigma);
    if (sigma < 0) throw new SpikeworldError(`Normal: sigma must be >= 0, got ${sigma}`);
  }

  protected fill(state: Uint32Array, out: Float64Array, n: number): void {
    fillNormal(state, out, n, this.mu, this.sigma);
    this.clamp(out, n);
  }

  override toString(): string {
    return this.format([this.mu, this.sigma]);
  }
}

/** exp(N(mu, sigma²)): `mu` and `sigma` are those of the underlying normal; optionally clamped. */
export class LogNormalDistribution extends ClampedDistribution {
  readonly kind = 'LogNormal' as const;

  constructor(
    readonly mu: number,
    readonly sigma: number,
    options?: ClampOptions,
  ) {
    super('LogNormal', options);
    checkFinite('LogNormal', 'mu', mu);
    checkFinite('LogNormal', 'sigma', sigma);
    if (sigma < 0) throw new SpikeworldError(`LogNormal: sigma must be >= 0, got ${sigma}`);
  }

  protected fill(state: Uint32Array, out: Float64Array, n: number): void {
    fillNormal(state, out, n, this.mu, this.sigma);
    for (let i = 0; i < n; i++) out[i] = Math.exp(out[i]!);
    this.clamp(out, n);
  }

  override toString(): string {
    return this.format([this.mu, this.sigma]);
  }
}

/**
 * Exponential with **rate** `rate` (density rate·e^(−rate·x), mean 1/rate), optionally clamped.
 * This follows ANNarchy's docstring and its C++ equations, not ANNarchy 4's Python sampling,
 * which passed the argument to numpy as a scale (mean = argument).
 * Inversion of 32-bit uniforms: the largest possible value is ≈ 22.2 / rate (tail mass e^−22).
 */
export class ExponentialDistribution extends ClampedDistribution {
  readonly kind = 'Exponential' as const;

  constructor(
    readonly rate: number,
    options?: ClampOptions,
  ) {
    super('Exponential', options);
    checkFinite('Exponential', 'rate', rate);
    if (rate <= 0) throw new SpikeworldError(`Exponential: rate must be > 0, got ${rate}`);
  }

  protected fill(state: Uint32Array, out: Float64Array, n: number): void {
    fillUniform(state, out, n, 0, 1);
    const scale = 1 / this.rate;
    for (let i = 0; i < n; i++) out[i] = -Math.log1p(-out[i]!) * scale;
    this.clamp(out, n);
  }

  override toString(): string {
    return this.format([this.rate]);
  }
}

/** Gamma with shape `alpha` and scale `beta` (mean alpha·beta, variance alpha·beta²); optionally clamped. */
export class GammaDistribution extends ClampedDistribution {
  readonly kind = 'Gamma' as const;

  constructor(
    readonly alpha: number,
    readonly beta: number = 1,
    options?: ClampOptions,
  ) {
    super('Gamma', options);
    checkFinite('Gamma', 'alpha', alpha);
    checkFinite('Gamma', 'beta', beta);
    if (alpha <= 0) throw new SpikeworldError(`Gamma: shape alpha must be > 0, got ${alpha}`);
    if (beta <= 0) throw new SpikeworldError(`Gamma: scale beta must be > 0, got ${beta}`);
  }

  protected fill(state: Uint32Array, out: Float64Array, n: number): void {
    fillGamma(state, out, n, this.alpha, this.beta);
    this.clamp(out, n);
  }

  override toString(): string {
    return this.format([this.alpha, this.beta]);
  }
}

/** Number of successes in `n` independent trials of probability `p`. */
export class BinomialDistribution extends RandomDistribution {
  readonly kind = 'Binomial' as const;

  constructor(
    readonly n: number,
    readonly p: number,
  ) {
    super();
    checkFinite('Binomial', 'n', n);
    checkFinite('Binomial', 'p', p);
    if (!Number.isSafeInteger(n) || n < 0) {
      throw new SpikeworldError(`Binomial: n must be a non-negative integer, got ${n}`);
    }
    if (p < 0 || p > 1) throw new SpikeworldError(`Binomial: p must be in [0, 1], got ${p}`);
  }

  protected fill(state: Uint32Array, out: Float64Array, n: number): void {
    fillBinomial(state, out, n, this.n, this.p);
  }

  override toString(): string {
    return `Binomial(${this.n}, ${this.p})`;
  }
}

/** A factory callable with or without `new`; `x instanceof Factory` works as for the class. */
export interface DistributionFactory<A extends unknown[], T> {
  (...args: A): T;
  new (...args: A): T;
  readonly prototype: T;
}

function factory<A extends unknown[], T>(name: string, cls: new (...args: A) => T): DistributionFactory<A, T> {
  // A plain function (not an arrow) so `new` is allowed; returning an object from it makes
  // `new Uniform(…)` yield that object.
  const f = function (...args: A): T {
    return new cls(...args);
  };
  Object.defineProperty(f, 'name', { value: name });
  f.prototype = cls.prototype;
  return f as unknown as DistributionFactory<A, T>;
}

/** `Uniform(min, max)`: reals in [min, max). Requires finite min < max. */
export const Uniform = factory('Uniform', UniformDistribution);
export type Uniform = UniformDistribution;

/** `DiscreteUniform(min, max)`: integers in [min, max] inclusive. Requires integers min < max. */
export const DiscreteUniform = factory('DiscreteUniform', DiscreteUniformDistribution);
export type DiscreteUniform = DiscreteUniformDistribution;

/** `Normal(mu, sigma, { min?, max? })`: clamped, not resampled. Requires sigma >= 0. */
export const Normal = factory('Normal', NormalDistribution);
export type Normal = NormalDistribution;

/** `LogNormal(mu, sigma, { min?, max? })`: exp of N(mu, sigma²), clamped. Requires sigma >= 0. */
export const LogNormal = factory('LogNormal', LogNormalDistribution);
export type LogNormal = LogNormalDistribution;

/** `Exponential(rate, { min?, max? })`: `rate` is λ (mean 1/λ), not numpy's scale. Requires rate > 0. */
export const Exponential = factory('Exponential', ExponentialDistribution);
export type Exponential = ExponentialDistribution;

/** `Gamma(alpha, beta = 1, { min?, max? })`: shape alpha, scale beta. Requires alpha, beta > 0. */
export const Gamma = factory('Gamma', GammaDistribution);
export type Gamma = GammaDistribution;

/** `Binomial(n, p)`: successes in n trials. Requires integer n >= 0 and p in [0, 1]. */
export const Binomial = factory('Binomial', BinomialDistribution);
export type Binomial = BinomialDistribution;

export function isDistribution(x: unknown): x is RandomDistribution {
  return x instanceof RandomDistribution;
}

/** Normal, LogNormal, Exponential and Gamma without a `max`: their draws have no upper bound. */
export function unboundedAbove(x: RandomDistribution): boolean {
  return x instanceof ClampedDistribution && x.max === undefined;
}

function checkFinite(name: string, param: string, value: unknown): void {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    const shown = typeof value === 'string' ? `'${value}'` : String(value);
    throw new SpikeworldError(`${name}: ${param} must be a finite number, got ${shown}`);
  }
}

function checkSafeInteger(name: string, param: string, value: number): void {
  if (!Number.isSafeInteger(value)) {
    throw new SpikeworldError(`${name}: ${param} must be an integer, got ${value}`);
  }
}

function checkLess(name: string, min: number, max: number): void {
  if (min >= max) throw new SpikeworldError(`${name}: min must be < max, got min = ${min}, max = ${max}`);
}
