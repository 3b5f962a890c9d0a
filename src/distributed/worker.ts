/**
 * The worker side of `redisExecutor`: a BullMQ worker that takes chunks of networks from the
 * queue and runs their networks on a pool of `concurrency` worker threads per sweep
 * (`openJobPool`), which import the user's module exactly as parallelRun's own workers do. The
 * pool opens with the sweep's first chunk here and serves its later chunks, so the threads'
 * start-up (~0.5 s from TypeScript source) is paid once per sweep and process, not per chunk.
 * `concurrency` chunks run at once; at most `concurrency` networks compute at once in the whole
 * process, whatever the sweeps. `spikeworld worker` (cli.ts) wraps this.
 */
import { Worker, UnrecoverableError, type Job } from 'bullmq';
import type { Redis } from 'ioredis';

import { SpikeworldError } from '../errors.js';
import { openJobPool, ParallelRunError, type JobPool } from '../parallel/parallelRun.js';
import { availableCores } from '../parallel/platform.js';
import { decode, decodeText, encode } from './codec.js';
import {
  bullConnection,
  CANCELLED,
  CHUNK_JOB,
  chunkLabel,
  assertSameModule,
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
import { checkInteger, checkKnown, checkMs, checkQueueOptions } from './options.js';

export interface SpikeworldWorkerOptions {
  connection: RedisConnection;
  /** Default `spikeworld`, as in redisExecutor. */
  queue?: string;
  /** Chunks run at once, and threads per sweep's pool (default: the machine's cores). */
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
  /** A sweep's thread pool closes after this long without a chunk of it running here (default 5000 ms). */
  poolIdleMs?: number;
  /** Sweep pools kept open at most; beyond, the least recently used idle one closes (default 3). */
  maxPools?: number;
}

export interface SpikeworldWorker {
  readonly name: string;
  /** Waits for the running chunks (`force`: abandons them to other workers), then disconnects. */
  close(force?: boolean): Promise<void>;
}

const OPTION_NAMES: readonly (keyof SpikeworldWorkerOptions)[] = [
  'connection', 'queue', 'concurrency', 'root', 'lockDurationMs', 'stalledIntervalMs', 'maxStalledCount', 'connectTimeoutMs', 'prefix', 'log', 'poolIdleMs', 'maxPools',
];

/** Every option, before anything connects (the CLI's flags arrive here too). */
function checkOptions(options: SpikeworldWorkerOptions): void {
  const label = 'spikeworld worker';
  checkKnown(label, options, OPTION_NAMES);
  checkInteger(label, 'concurrency', options.concurrency, 1);
  checkInteger(label, 'maxPools', options.maxPools, 1);
  checkInteger(label, 'maxStalledCount', options.maxStalledCount, 0);
  // BullMQ renews a lock at half its duration: a shorter lock expires under ordinary event-loop
  // and Redis delays, and a live worker's running chunk is taken for a dead one's and run again.
  checkMs(label, 'lockDurationMs', options.lockDurationMs, 1000, 'a shorter lock lapses while its chunk still runs');
  checkMs(label, 'stalledIntervalMs', options.stalledIntervalMs, 100);
  checkMs(label, 'poolIdleMs', options.poolIdleMs, 0);
  checkQueueOptions(label, options);
  if (options.log !== undefined && typeof options.log !== 'function') throw new SpikeworldError(`${label}: log must be a function (line) => void, got ${typeof options.log}`);
}

export async function startWorker(options: SpikeworldWorkerOptions): Promise<SpikeworldWorker> {
  checkOptions(options);
  const queueName = options.queue ?? DEFAULT_QUEUE;
  const concurrency = options.concurrency ?? availableCores();
  const maxPools = options.maxPools ?? MAX_POOLS;
  const root = options.root ?? process.cwd();
  const log = options.log ?? (() => undefined);
  const redis = await connectOrFail(options.connection, options.connectTimeoutMs ?? 5000, 'spikeworld worker');
  redis.on('error', () => undefined);
  const inits = new InitCache(redis, queueName, root);
  const name = workerName(concurrency);

  const pools = new SweepPools(concurrency, log, options.poolIdleMs ?? POOL_IDLE_MS, maxPools);

  const runChunk = async (job: Job, signal?: AbortSignal) => {
    if (job.name === SWEEP_JOB) return { networks: (job.data as SweepData).networks };
    if (job.name !== CHUNK_JOB) throw new UnrecoverableError(`spikeworld worker: unknown job name '${job.name}'`);
    const data = job.data as ChunkData;
    const k = keys(queueName, data.sweep);
    if (pools.wasCancelled(data.sweep) || (await redis.exists(k.cancel))) throw new UnrecoverableError(CANCELLED);
    const init = await inits.get(data.sweep);
    const jobs = decodeText(data.jobs) as CopyJob[];
    const label = `sweep ${data.sweep.slice(0, 8)} ${chunkLabel(data.first, data.count)}`;
    log(`${label}: started (attempt ${job.attemptsMade + 1})`);
    const started = performance.now();

    // The sweep's pool (opened by its first chunk here, shared by its chunks running at once).
    const lease = pools.acquire(data.sweep, init);
    // Cancelled by the caller (abort, or another chunk failed): checked every 250 ms; closing the
    // sweep's pool terminates its threads, so the running networks stop at once.
    let cancelled = false;
    const onSignal = () => lease.close('aborted');
    signal?.addEventListener('abort', onSignal, { once: true });
    const watch = setInterval(() => {
      redis
        .exists(k.cancel)
        .then((n) => {
          if (n && !cancelled) {
            cancelled = true;
            pools.cancel(data.sweep);
          }
        })
        .catch(() => undefined);
    }, 250);
    let results: unknown[];
    let done = 0;
    try {
      results = await lease.runAll(jobs, () => void job.updateProgress(++done).catch(() => undefined));
    } catch (e) {
      if (cancelled || (e instanceof PoolClosed && e.reason === 'cancelled')) {
        log(`${label}: cancelled`);
        throw new UnrecoverableError(CANCELLED);
      }
      if (e instanceof ParallelRunError) {
        const cause = e.cause as { name: string; message: string; stack: string };
        const failure: MethodFailure = { networkIndex: e.networkIndex, name: cause.name, message: cause.message, stack: cause.stack };
        log(`${label}: network ${e.networkIndex} threw ${cause.name}: ${cause.message}`);
        // The sweep fails: stop this chunk's other networks, unless other chunks share the pool
        // (they stop on the cancellation, rather than failing before this one reaches the caller).
        lease.closeIfAlone('method threw');
        throw new UnrecoverableError(METHOD_FAILED + JSON.stringify(failure));
      }
      // The pool failed (a thread died, its start-up failed) or was closed under this chunk.
      lease.close('failed');
      log(`${label}: failed (${(e as Error).message}); BullMQ retries it if attempts are left`);
      throw e;
    } finally {
      clearInterval(watch);
      signal?.removeEventListener('abort', onSignal);
      lease.release();
    }
    const fields: (string | Buffer)[] = [];
    results.forEach((r, i) => fields.push(String(jobs[i]!.idx), encodeResult(r, jobs[i]!.idx)));
    const ttl = await redis.ttl(k.init);
    const tx = redis.multi().hset(k.results, ...fields);
    if (ttl > 0) tx.expire(k.results, ttl);
    await tx.exec();
    log(`${label}: done in ${((performance.now() - started) / 1000).toFixed(2)} s`);
    return { stored: jobs.length };
  };

  // A chunk's failure names this worker: the caller sees the last attempt's reason, and with
  // several workers (one of them in another checkout, say) it tells which one to look at.
  const processor = (job: Job, _token?: string, signal?: AbortSignal) =>
    runChunk(job, signal).catch((e: unknown) => {
      throw onThisWorker(e, name);
    });

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
        await pools.closeAll();
        redis.disconnect();
      })();
      return closing;
    },
  };
}

/** A sweep's pool closes after this long without a chunk of it running here (default). */
const POOL_IDLE_MS = 5000;
/** Pools kept open at most, the least recently used idle one closing first (default). */
const MAX_POOLS = 3;

type CloseReason = 'cancelled' | 'aborted' | 'failed' | 'method threw' | 'idle' | 'least recently used' | 'worker closing';

/** A run refused or cut short because its sweep's pool was closed. */
export class PoolClosed extends SpikeworldError {
  constructor(readonly reason: CloseReason) {
    super(`spikeworld worker: the sweep's thread pool was closed (${reason})`);
  }
}

/** At most `n` networks computing at once in the process, whatever their sweeps; first come, first served. */
class Slots {
  private readonly waiting: (() => void)[] = [];

  constructor(private free: number) {}

  acquire(): Promise<void> {
    if (this.free > 0) {
      this.free--;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.free++;
  }
}

/** One sweep's JobPool, with the chunks using it and its state. */
class SweepPool {
  users = 0;
  idleTimer: NodeJS.Timeout | undefined;
  closedBy: PoolClosed | null = null;
  /** Rejects with PoolClosed when the pool is closed: every run of it races this. */
  readonly closed: Promise<never>;
  readonly opening: Promise<JobPool>;
  private rejectClosed!: (e: PoolClosed) => void;
  private closing: Promise<void> | null = null;

  constructor(
    readonly sweep: string,
    init: WorkerInit,
    size: number,
    private readonly log: (line: string) => void,
  ) {
    this.closed = new Promise<never>((_, reject) => (this.rejectClosed = reject));
    this.closed.catch(() => undefined);
    const t0 = performance.now();
    this.opening = openJobPool(init, { maxWorkers: size }).then((pool) => {
      if (!this.closedBy) log(`sweep ${sweep.slice(0, 8)}: pool opened (${size} threads in ${((performance.now() - t0) / 1000).toFixed(2)} s)`);
      return pool;
    });
    this.opening.catch(() => undefined);
  }

  close(reason: CloseReason): Promise<void> {
    if (!this.closedBy) {
      this.closedBy = new PoolClosed(reason);
      this.rejectClosed(this.closedBy);
      clearTimeout(this.idleTimer);
      this.log(`sweep ${this.sweep.slice(0, 8)}: pool closed (${reason})`);
    }
    this.closing ??= this.opening.then(
      (pool) => pool.close(),
      () => undefined,
    );
    return this.closing;
  }
}

/** A chunk's use of its sweep's pool. */
interface Lease {
  /** The chunk's networks on the pool, results in order; `onDone` after each. */
  runAll(jobs: readonly CopyJob[], onDone: () => void): Promise<unknown[]>;
  /** Closes the pool (terminating its threads): every chunk of the sweep using it here stops. */
  close(reason: CloseReason): void;
  /** Closes the pool if no other chunk uses it. */
  closeIfAlone(reason: CloseReason): void;
  /** The chunk is over. */
  release(): void;
}

/**
 * The open pools, one per sweep, least recently used first: opened by a sweep's first chunk,
 * closed when the sweep is cancelled, when the pool fails, after `idleMs` without a chunk,
 * beyond `maxPools` (idle ones only), and when the worker closes.
 */
class SweepPools {
  private readonly pools = new Map<string, SweepPool>();
  private readonly cancelled = new Set<string>();
  private readonly slots: Slots;

  constructor(
    private readonly size: number,
    private readonly log: (line: string) => void,
    private readonly idleMs: number,
    private readonly maxPools: number,
  ) {
    this.slots = new Slots(size);
  }

  wasCancelled(sweep: string): boolean {
    return this.cancelled.has(sweep);
  }

  acquire(sweep: string, init: WorkerInit): Lease {
    let p = this.pools.get(sweep);
    if (p) this.pools.delete(sweep); // set again below: now the most recently used
    else p = new SweepPool(sweep, init, this.size, this.log);
    this.pools.set(sweep, p);
    p.users++;
    clearTimeout(p.idleTimer);
    this.trim();
    const pool = p;
    let released = false;
    return {
      runAll: (jobs, onDone) => this.runAll(pool, jobs, onDone),
      close: (reason) => void this.close(pool, reason),
      closeIfAlone: (reason) => {
        if (pool.users === (released ? 0 : 1)) void this.close(pool, reason);
      },
      release: () => {
        if (released) return;
        released = true;
        pool.users--;
        if (pool.users === 0 && !pool.closedBy) {
          pool.idleTimer = setTimeout(() => void this.close(pool, 'idle'), this.idleMs);
          pool.idleTimer.unref();
        }
        this.trim();
      },
    };
  }

  /** The sweep was cancelled: close its pool, and run none of its chunks here any more. */
  cancel(sweep: string): void {
    this.cancelled.add(sweep);
    if (this.cancelled.size > 64) this.cancelled.delete(this.cancelled.values().next().value as string);
    const p = this.pools.get(sweep);
    if (p) void this.close(p, 'cancelled');
  }

  async closeAll(): Promise<void> {
    await Promise.all([...this.pools.values()].map((p) => this.close(p, 'worker closing')));
  }

  private close(p: SweepPool, reason: CloseReason): Promise<void> {
    if (this.pools.get(p.sweep) === p) this.pools.delete(p.sweep);
    return p.close(reason);
  }

  /** Beyond maxPools, close idle pools, least recently used first (pools in use stay open). */
  private trim(): void {
    for (const p of [...this.pools.values()]) {
      if (this.pools.size <= this.maxPools) return;
      if (p.users === 0) void this.close(p, 'least recently used');
    }
  }

  private async runAll(p: SweepPool, jobs: readonly CopyJob[], onDone: () => void): Promise<unknown[]> {
    let abandoned = false;
    const runOne = async (job: CopyJob): Promise<unknown> => {
      await this.slots.acquire();
      try {
        if (p.closedBy) throw p.closedBy;
        if (abandoned) throw new SpikeworldError('spikeworld worker: the chunk failed before this network started');
        const pool = await Promise.race([p.opening, p.closed]);
        const result = await Promise.race([pool.run(job), p.closed]);
        if (!abandoned) onDone();
        return result;
      } finally {
        this.slots.release();
      }
    };
    try {
      return await Promise.all(jobs.map(runOne));
    } catch (e) {
      // The chunk's networks that have not started yet do not start.
      abandoned = true;
      throw e;
    }
  }
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
    // Not found here, or another version of it, is retried (another worker may have the
    // caller's code): not unrecoverable.
    const moduleUrl = localModuleUrl(stored.module, this.root);
    assertSameModule(stored, moduleUrl);
    return { ...stored.init, moduleUrl };
  }
}

/**
 * A result as bytes for Redis. One that cannot go (a cycle: structured clone between threads
 * took it) fails its network as a throwing method does, not retried: every attempt would fail.
 */
function encodeResult(result: unknown, networkIndex: number): Buffer {
  try {
    return encode(result);
  } catch (e) {
    const message =
      `its result cannot be sent over Redis (${(e as Error).message}); return plain data without cycles: numbers, strings, ` +
      `arrays, typed arrays, plain objects, Maps`;
    const failure: MethodFailure = { networkIndex, name: 'SpikeworldError', message, stack: '' };
    throw new UnrecoverableError(METHOD_FAILED + JSON.stringify(failure));
  }
}

/**
 * A new error of the same kind (BullMQ retries all but UnrecoverableError), its message after
 * `worker <name>: `; the caller's markers pass as they are (it parses them). A new one because the
 * same error can fail several chunks (a closed pool's reason).
 */
function onThisWorker(e: unknown, name: string): unknown {
  const message = e instanceof Error ? e.message : String(e);
  if (message === CANCELLED || message.startsWith(METHOD_FAILED)) return e;
  const named = `worker ${name}: ${message}`;
  return e instanceof UnrecoverableError ? new UnrecoverableError(named) : new Error(named, { cause: e });
}
