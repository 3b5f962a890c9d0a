/** Base class of every error spikeworld throws on purpose: catch this to tell our errors from bugs. */
export class SpikeworldError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A model description (parameters, equations, spike, reset) that cannot be compiled. */
export class ModelError extends SpikeworldError {
  constructor(
    readonly model: string,
    readonly line: number,
    readonly token: string,
    detail: string,
  ) {
    super(`model '${model}', line ${line}, at '${token}': ${detail}`);
  }
}

/**
 * A value as input errors name it: a string quoted and marked as one (so '5' is not read as the
 * number 5), an array as "a list", another object by its class.
 */
export function describeInput(x: unknown): string {
  if (typeof x === 'string') return `'${x}' (a string)`;
  if (x === null || x === undefined) return String(x);
  if (Array.isArray(x)) return 'a list';
  if (typeof x === 'object') return (x as object).constructor?.name ?? 'an object';
  return String(x);
}
