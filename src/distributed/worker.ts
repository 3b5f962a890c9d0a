/**
 * The worker side of `redisExecutor`: a BullMQ worker that takes chunks of networks from the
 * queue and runs each chunk with `runJobsOnPool` on a local worker thread, which imports the
 * user's module exactly as parallelRun's own workers do. `concurrency` chunks run at once (one
 * thread each), so a process uses `concurrency` threads. `spikeworld worker` (cli.ts) wraps this.
 */
import { Worker, UnrecoverableError, type Job } from 'bullmq';
import type { Redis } from 'ioredis';

import { SpikeworldError } from '../errors.js';
import { ParallelRunError, runJobsOnPool } from '../parallel/parallelRun.js';
import { availableCores } from '../parallel/platform.js';
import { decode, decodeText, encode } from './codec.js';
import {
  bullConnection,
  CANCELLED,
  CHUNK_JOB,
  chunkLabel,
  connectionParts,
  connectOrFail,
  DEFAULT_QUEUE,
  keys,
  localModuleUrl,
  METHOD_FAILED,
  SWEEP_JOB,
  workerName,
  type ChunkData,
  type CopyJob,
  type MethodFailure,
  type RedisConnection,
  type StoredInit,
  type SweepData,
  type WorkerInit,
} from './common.js';

export interface SpikeworldWorkerOptions {
  connection: RedisConnection;
  /** Default `spikeworld`, as in redisExecutor. */
  queue?: string;
  /** Chunks run at once, one worker thread each (default: the machine's cores). */
  concurrency?: number;
  /** The project root that the sweep's module path is relative to (default `process.cwd()`). */
  root?: string;
  /** A job's lock lasts this long and is renewed at half of it; a dead worker's job is taken back after it (default 15 000 ms). */
  lockDurationMs?: number;
  /** How often this worker looks for stalled jobs of dead workers (default 5000 ms). */
  stalledIntervalMs?: number;
  /** Stalls a chunk survives before it fails (default 2). */
  maxStalledCount?: number;
  /** Give up on Redis after this long at start (default 5000 ms). */
  connectTimeoutMs?: number;
  /** BullMQ key prefix (default `bull`). */
  prefix?: string;
  /** One line per event (default: none). */
  log?: (line: string) => void;
}

export interface SpikeworldWorker {
  readonly name: string;
  /** Waits for the running chunks (`force`: abandons them to other workers), then disconnects. */
  close(force?: boolean): Promise<void>;
}

export async function startWorker(options: SpikeworldWorkerOptions): Promise<SpikeworldWorker> {
  const queueName = options.queue ?? DEFAULT_QUEUE;
  const concurrency = options.concurrency ?? availableCores();
  if (!(Number.isInteger(concurrency) && concurrency >= 1)) {
    throw new SpikeworldError(`spikeworld worker: concurrency must be an integer >= 1, got ${String(concurrency)}`);
  }
  const root = options.root ?? process.cwd();
  const log = options.log ?? (() => undefined);
  const redis = await connectOrFail(options.connection, options.connectTimeoutMs ?? 5000, 'spikeworld worker');
  redis.on('error', () => undefined);
  const inits = new InitCache(redis, queueName, root);
  const name = workerName(concurrency);

  const processor = async (job: Job, _token?: string, signal?: AbortSignal) => {
    if (job.name === SWEEP_JOB) return { networks: (job.data as SweepData).networks };
    if (job.name !== CHUNK_JOB) throw new UnrecoverableError(`spikeworld worker: unknown job name '${job.name}'`);
    const data = job.data as ChunkData;
    const k = keys(queueName, data.sweep);
    if (await redis.exists(k.cancel)) throw new UnrecoverableError(CANCELLED);
    const init = await inits.get(data.sweep);
    const jobs = decodeText(data.jobs) as CopyJob[];
    const label = `sweep ${data.sweep.slice(0, 8)} ${chunkLabel(data.first, data.count)}`;
    log(`${label}: started (attempt ${job.attemptsMade + 1})`);
    const started = performance.now();

    // Cancelled by the caller (abort, or another chunk failed): checked every 250 ms.
    const stop = new AbortController();
    let cancelled = false;
    signal?.addEventListener('abort', () => stop.abort(), { once: true });
    const watch = setInterval(() => {
      redis
        .exists(k.cancel)
        .then((n) => {
          if (n) {
            cancelled = true;
            stop.abort();
          }
        })
        .catch(() => undefined);
    }, 250);
    let results: unknown[];
    try {
      results = await runJobsOnPool(init, jobs, {
        maxWorkers: 1,
        signal: stop.signal,
        onProgress: (done) => void job.updateProgress(done).catch(() => undefined),
      });
    } catch (e) {
      if (cancelled) {
        log(`${label}: cancelled`);
        throw new UnrecoverableError(CANCELLED);
      }
      if (e instanceof ParallelRunError) {
        const cause = e.cause as { name: string; message: string; stack: string };
        const failure: MethodFailure = { networkIndex: e.networkIndex, name: cause.name, message: cause.message, stack: cause.stack };
        log(`${label}: network ${e.networkIndex} threw ${cause.name}: ${cause.message}`);
        throw new UnrecoverableError(METHOD_FAILED + JSON.stringify(failure));
      }
      log(`${label}: failed (${(e as Error).message}); BullMQ retries it if attempts are left`);
      throw e;
    } finally {
      clearInterval(watch);
    }
    const fields: (string | Buffer)[] = [];
    results.forEach((r, i) => fields.push(String(jobs[i]!.idx), encode(r)));
    const ttl = await redis.ttl(k.init);
    const tx = redis.multi().hset(k.results, ...fields);
    if (ttl > 0) tx.expire(k.results, ttl);
    await tx.exec();
    log(`${label}: done in ${((performance.now() - started) / 1000).toFixed(2)} s`);
    return { stored: jobs.length };
  };

  const worker = new Worker(queueName, processor, {
    connection: bullConnection(options.connection),
    concurrency,
    name,
    lockDuration: options.lockDurationMs ?? 15_000,
    stalledInterval: options.stalledIntervalMs ?? 5_000,
    maxStalledCount: options.maxStalledCount ?? 2,
    ...(options.prefix !== undefined ? { prefix: options.prefix } : {}),
  });
  worker.on('error', (e) => log(`error: ${e.message}`));
  await worker.waitUntilReady();
  log(
    `spikeworld worker ${name}: queue '${queueName}' on ${connectionParts(options.connection).describe}, ` +
      `concurrency ${concurrency}, project root ${root}`,
  );

  let closing: Promise<void> | null = null;
  return {
    name,
    close(force = false) {
      closing ??= (async () => {
        await worker.close(force);
        redis.disconnect();
      })();
      return closing;
    },
  };
}

/** A sweep's WorkerInit, read once per sweep from its key (the last few sweeps are kept). */
class InitCache {
  private readonly cache = new Map<string, Promise<WorkerInit>>();

  constructor(
    private readonly redis: Redis,
    private readonly queue: string,
    private readonly root: string,
  ) {}

  get(sweep: string): Promise<WorkerInit> {
    let p = this.cache.get(sweep);
    if (!p) {
      p = this.load(sweep);
      this.cache.set(sweep, p);
      p.catch(() => this.cache.delete(sweep));
      if (this.cache.size > 8) this.cache.delete(this.cache.keys().next().value as string);
    }
    return p;
  }

  private async load(sweep: string): Promise<WorkerInit> {
    const bytes = await this.redis.getBuffer(keys(this.queue, sweep).init);
    if (!bytes) throw new UnrecoverableError(`spikeworld worker: sweep ${sweep} has no data in Redis (finished, cancelled or expired)`);
    const stored = decode(bytes) as StoredInit;
    // Not found here is retried (another worker may have the project): not unrecoverable.
    return { ...stored.init, moduleUrl: localModuleUrl(stored.module, this.root) };
  }
}
