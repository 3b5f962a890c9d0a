/**
 * `parallelRun({ ..., executor: redisExecutor({ connection }) })`: number-mode sweeps through a
 * BullMQ queue on Redis, run by `spikeworld worker` processes on any number of machines (see
 * sweep.ts for how a call travels, worker.ts for the other side).
 */
import { SpikeworldError } from '../errors.js';
import type { Executor } from '../parallel/parallelRun.js';
import type { RedisConnection } from './common.js';
import { DEFAULT_QUEUE } from './names.js';

const SWEEP_MODULE = './sweep.js';

export interface RedisExecutorOptions {
  /** `redis://host:6379` or ioredis options. */
  connection: RedisConnection;
  /** BullMQ queue name, default `spikeworld`; workers must use the same (`--queue`). */
  queue?: string;
  /**
   * Networks per child job. Default: about four chunks per worker slot connected when the sweep
   * starts (so one network per job when networks are few); 64 chunks when none is connected yet.
   * A worker starts a sweep's threads once, so small chunks cost only queue traffic.
   */
  chunkSize?: number;
  /** Attempts per chunk for failures other than the method throwing (default 3). */
  attempts?: number;
  /** First retry delay in ms, doubled each attempt (default 1000). */
  backoffMs?: number;
  /** Project root that module paths are relative to (default `process.cwd()`); workers use theirs. */
  root?: string;
  /** Fail when Redis cannot be reached for this long, at the start or during the sweep (default 5000 ms). */
  connectTimeoutMs?: number;
  /** Seconds the sweep's keys live if the caller dies (default one day). */
  ttlSeconds?: number;
  /** BullMQ key prefix (default `bull`). */
  prefix?: string;
}

export function redisExecutor(options: RedisExecutorOptions): Executor {
  if (!options || options.connection === undefined) {
    throw new SpikeworldError('redisExecutor: give { connection: "redis://host:6379" } (or ioredis options)');
  }
  const queueName = options.queue ?? DEFAULT_QUEUE;
  if (queueName.includes(':')) throw new SpikeworldError(`redisExecutor: queue names cannot contain ':', got ${queueName}`);
  const chunkSize = options.chunkSize;
  if (chunkSize !== undefined && !(Number.isInteger(chunkSize) && chunkSize >= 1)) {
    throw new SpikeworldError(`redisExecutor: chunkSize must be an integer >= 1, got ${String(chunkSize)}`);
  }
  // BullMQ and ioredis load on the first run: importing spikeworld stays cheap, and browser
  // bundles of src/index.ts do not pull in Node-only modules (the specifier is not static).
  let sweep: Promise<typeof import('./sweep.js')> | null = null;
  return {
    run: async (request) => {
      sweep ??= import(/* @vite-ignore */ SWEEP_MODULE) as Promise<typeof import('./sweep.js')>;
      return (await sweep).runSweep(options, queueName, request);
    },
  };
}

