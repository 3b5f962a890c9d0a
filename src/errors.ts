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
