/**
 * `parallelRun({ ..., executor: redisExecutor({ connection }) })`: number-mode sweeps through a
 * BullMQ queue on Redis, run by `spikeworld worker` processes on any number of machines (see
 * sweep.ts for how a call travels, worker.ts for the other side).
 */
import { SpikeworldError } from '../errors.js';
import type { Executor } from '../parallel/parallelRun.js';
import { DEFAULT_QUEUE, type RedisConnection } from './names.js';
import { checkInteger, checkKnown, checkMs, checkQueueOptions } from './options.js';

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

function checkOptions(options: RedisExecutorOptions): void {
  const label = 'redisExecutor';
  checkKnown(label, options, OPTION_NAMES);
  checkInteger(label, 'chunkSize', options.chunkSize, 1);
  checkInteger(label, 'attempts', options.attempts, 1);
  checkInteger(label, 'ttlSeconds', options.ttlSeconds, 1);
  checkMs(label, 'backoffMs', options.backoffMs, 0);
  checkQueueOptions(label, options);
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
      sweep ??= (import(/* @vite-ignore */ SWEEP_MODULE) as Promise<typeof import('./sweep.js')>).catch((e: unknown) => {
        sweep = null; // installed later, it works at the next call
        throw missingRedisPackages(e) ?? e;
      });
      return (await sweep).runSweep(options, queueName, request);
    },
  };
}

/**
 * bullmq and ioredis are optional peer dependencies (most users never send a sweep through
 * Redis): where one is not installed, the error says which and how to install both.
 */
export function missingRedisPackages(e: unknown): SpikeworldError | null {
  const err = e as { code?: unknown; message?: unknown } | null;
  const name = typeof err?.message === 'string' ? /['"](bullmq|ioredis)['"]/.exec(err.message)?.[1] : undefined;
  if (err?.code !== 'ERR_MODULE_NOT_FOUND' || name === undefined) return null;
  return new SpikeworldError(`redisExecutor and spikeworld worker need the packages bullmq and ioredis (optional peer dependencies; '${name}' is not installed): npm install bullmq ioredis`, {
    cause: e,
  });
}

