/**
 * The package entry `spikeworld/parallel/worker`, for a worker file of yours that parallelRun's
 * `worker` option starts (see serve.ts): only serveParallelRun, not the internals it shares with
 * spikeworld's own worker.
 */
export { serveParallelRun } from './serve.js';
