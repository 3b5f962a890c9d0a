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

const OPTION_NAMES: readonly (keyof RedisExecutorOptions)[] = [
  'connection', 'queue', 'chunkSize', 'attempts', 'backoffMs', 'root', 'connectTimeoutMs', 'ttlSeconds', 'prefix',
];

/** Every option, before anything connects: a typo or a bad number would otherwise surface as BullMQ's or Redis's error, or not at all. */
function checkOptions(options: RedisExecutorOptions): void {
  for (const key of Object.keys(options)) {
    if (!OPTION_NAMES.includes(key as keyof RedisExecutorOptions)) {
      throw new SpikeworldError(`redisExecutor: unknown option '${key}'; the options are ${OPTION_NAMES.join(', ')}`);
    }
  }
  const integer = (key: 'chunkSize' | 'attempts' | 'ttlSeconds', min: number) => {
    const v = options[key];
    if (v !== undefined && !(Number.isInteger(v) && v >= min)) throw new SpikeworldError(`redisExecutor: ${key} must be an integer >= ${min}, got ${String(v)}`);
  };
  integer('chunkSize', 1);
  integer('attempts', 1);
  integer('ttlSeconds', 1);
  for (const key of ['backoffMs', 'connectTimeoutMs'] as const) {
    const v = options[key];
    if (v !== undefined && !(typeof v === 'number' && Number.isFinite(v) && v >= (key === 'backoffMs' ? 0 : 1))) {
      throw new SpikeworldError(`redisExecutor: ${key} must be a number of ms ${key === 'backoffMs' ? '>= 0' : '> 0'}, got ${String(v)}`);
    }
  }
  for (const key of ['queue', 'prefix', 'root'] as const) {
    const v = options[key];
    if (v !== undefined && !(typeof v === 'string' && v !== '')) throw new SpikeworldError(`redisExecutor: ${key} must be a non-empty string, got ${JSON.stringify(v)}`);
  }
  if (options.queue?.includes(':')) throw new SpikeworldError(`redisExecutor: queue names cannot contain ':', got ${options.queue}`);
}

export function redisExecutor(options: RedisExecutorOptions): Executor {
  if (!options || options.connection === undefined) {
    throw new SpikeworldError('redisExecutor: give { connection: "redis://host:6379" } (or ioredis options)');
  }
  checkOptions(options);
  const queueName = options.queue ?? DEFAULT_QUEUE;
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

