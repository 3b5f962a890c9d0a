/**
 * A parallelRun call through BullMQ (what `redisExecutor(...).run` does).
 *
 * One call = one BullMQ flow: a parent job `sweep` and one child job per chunk of networks
 * (retried with exponential backoff when it fails for any reason other than the method throwing;
 * a worker that dies is detected by BullMQ's stalled-job check and its chunk runs elsewhere).
 * The template's values are stored once under the sweep's key, results land in a Redis hash
 * under the same key (binary, see codec.ts), and the caller follows the flow through QueueEvents
 * (progress → onResult), with a slow poll of the results hash as a safety net.
 */
import { randomUUID } from 'node:crypto';
import type { EventEmitter } from 'node:events';

import { FlowProducer, Queue, QueueEvents } from 'bullmq';
import type { Redis } from 'ioredis';

import { SpikeworldError } from '../errors.js';
import { ParallelRunError, type ExecutorRequest } from '../parallel/parallelRun.js';
import { decode, encode, encodeText } from './codec.js';
import { cancelOnInterrupt } from './interrupt.js';
import type { RedisExecutorOptions } from './redisExecutor.js';
import {
  bullConnection,
  CHUNK_JOB,
  chunkLabel,
  connectionParts,
  connectOrFail,
  DEFAULT_QUEUE,
  keys,
  METHOD_FAILED,
  moduleSha256,
  portableModule,
  SWEEP_JOB,
  type ChunkData,
  type MethodFailure,
  type StoredInit,
  type SweepData,
} from './common.js';

/** Default chunking: chunks per worker slot connected when the sweep starts, or in all when none is. */
export const CHUNKS_PER_SLOT = 4;
const CHUNKS_UNKNOWN = 64;

/** Runs one parallelRun call through the queue (redisExecutor.ts loads this file on first use). */
export function runSweep(options: RedisExecutorOptions, queueName: string, request: ExecutorRequest): Promise<unknown[]> {
  return new Sweep(options, queueName, request).run();
}

/** One parallelRun call through the queue. */
class Sweep {
  private readonly id = randomUUID();
  private readonly keys;
  private readonly timeoutMs: number;
  private readonly total: number;
  private readonly results: unknown[];
  private readonly received: boolean[];
  private receivedCount = 0;
  private readonly reported: boolean[];
  private chunks: { first: number; count: number; jobId: string }[] = [];
  private redis: Redis | null = null;
  private queue: Queue | null = null;
  private flows: FlowProducer | null = null;
  private events: QueueEvents | null = null;
  private settle!: { resolve: () => void; reject: (e: Error) => void };
  private readonly finished: Promise<void>;
  private failure: Error | null = null;
  private closing = false;

  constructor(
    private readonly options: RedisExecutorOptions,
    private readonly queueName: string,
    private readonly request: ExecutorRequest,
  ) {
    this.keys = keys(queueName, this.id);
    this.timeoutMs = options.connectTimeoutMs ?? 5000;
    this.total = request.jobs.length;
    this.results = new Array(this.total);
    this.received = new Array<boolean>(this.total).fill(false);
    this.reported = new Array<boolean>(this.total).fill(false);
    this.finished = new Promise<void>((resolve, reject) => {
      this.settle = { resolve, reject };
    });
    this.finished.catch(() => undefined);
  }

  async run(): Promise<unknown[]> {
    const { request } = this;
    const signal = request.signal;
    if (signal?.aborted) throw abortError();
    const onAbort = () => this.fail(abortError());
    signal?.addEventListener('abort', onAbort, { once: true });
    const interrupt = cancelOnInterrupt((sig) => this.fail(new SpikeworldError(`parallelRun: interrupted by ${sig}; the sweep was cancelled in the queue`)));
    let poll: NodeJS.Timeout | undefined;
    let cleanly = false;
    try {
      const connecting = connectOrFail(this.options.connection, this.timeoutMs, 'redisExecutor');
      connecting.then((r) => (this.failure ? r.disconnect() : undefined)).catch(() => undefined);
      this.redis = await this.race(connecting);
      this.watchConnection(this.redis);
      const connection = bullConnection(this.options.connection, { connectTimeout: this.timeoutMs });
      const failFast = bullConnection(this.options.connection, { connectTimeout: this.timeoutMs, enableOfflineQueue: false });
      const prefix = this.options.prefix !== undefined ? { prefix: this.options.prefix } : {};
      this.queue = new Queue(this.queueName, { connection: failFast, ...prefix });
      this.flows = new FlowProducer({ connection: failFast, ...prefix });
      const lastEventId = await this.lastEventId();
      this.events = new QueueEvents(this.queueName, { connection, ...prefix, ...(lastEventId ? { lastEventId } : {}) });
      for (const emitter of [this.queue, this.flows, this.events] as unknown as EventEmitter[]) emitter.on('error', () => undefined);
      this.listen(this.events);
      await this.race(this.events.waitUntilReady());

      await this.race(this.storeInit());
      await this.race(this.addFlow());
      poll = setInterval(() => void this.poll().catch(() => undefined), 2000);
      await this.finished;
      await this.race(this.awaitParent());
      cleanly = true;
      return this.results;
    } finally {
      clearInterval(poll);
      signal?.removeEventListener('abort', onAbort);
      await this.cleanup(cleanly);
      interrupt.release();
    }
  }

  /** Rejects the call: the method threw, a chunk ran out of attempts, Redis went away, or abort. */
  private fail(e: Error): void {
    if (this.failure) return;
    this.failure = e;
    this.settle.reject(e);
  }

  private race<T>(p: Promise<T>): Promise<T> {
    return Promise.race([p, this.finished.then(() => p)]);
  }

  private watchConnection(redis: Redis): void {
    let timer: NodeJS.Timeout | undefined;
    redis.on('close', () => {
      if (this.closing) return;
      timer ??= setTimeout(() => {
        const { describe } = connectionParts(this.options.connection);
        this.fail(new SpikeworldError(`redisExecutor: lost the connection to Redis at ${describe} for ${this.timeoutMs / 1000} s; the sweep is abandoned`));
      }, this.timeoutMs);
      timer.unref();
    });
    redis.on('ready', () => {
      clearTimeout(timer);
      timer = undefined;
    });
  }

  /** The events stream's newest id, so that QueueEvents sees every event of this sweep. */
  private async lastEventId(): Promise<string | undefined> {
    const stream = `${this.options.prefix ?? 'bull'}:${this.queueName}:events`;
    const last = (await this.redis!.xrevrange(stream, '+', '-', 'COUNT', 1)) as [string, string[]][];
    return last[0]?.[0] ?? '0';
  }

  private async storeInit(): Promise<void> {
    const { moduleUrl, ...init } = this.request.init;
    const stored: StoredInit = { module: portableModule(moduleUrl, this.options.root ?? process.cwd()), moduleSha256: moduleSha256(moduleUrl), init };
    const ttl = this.options.ttlSeconds ?? 86_400;
    await this.redis!.set(this.keys.init, encode(stored), 'EX', ttl);
  }

  private async chunkSize(): Promise<number> {
    if (this.options.chunkSize !== undefined) return this.options.chunkSize;
    let slots = 0;
    try {
      const seen = new Set<string>();
      for (const w of (await this.queue!.getWorkers()) as { rawname?: string }[]) {
        const m = /:w:spikeworld-c(\d+)-/.exec(w.rawname ?? '');
        if (m && !seen.has(w.rawname!)) {
          seen.add(w.rawname!);
          slots += Number(m[1]);
        }
      }
    } catch {
      slots = 0;
    }
    // Workers start a sweep's threads once (not per chunk) and a chunk costs a few ms of queue
    // traffic: about 4 chunks per slot for load balancing, so 1 network per job when they are few.
    const chunks = slots > 0 ? CHUNKS_PER_SLOT * slots : CHUNKS_UNKNOWN;
    return Math.max(1, Math.ceil(this.total / chunks));
  }

  private async addFlow(): Promise<void> {
    const size = await this.chunkSize();
    const { jobs } = this.request;
    for (let first = 0, k = 0; first < this.total; first += size, k++) {
      this.chunks.push({ first, count: Math.min(size, this.total - first), jobId: `${this.id}-${k}` });
    }
    const attempts = this.options.attempts ?? 3;
    const backoff = { type: 'exponential', delay: this.options.backoffMs ?? 1000 };
    const sweep: SweepData = { sweep: this.id, networks: this.total };
    await this.flows!.add({
      name: SWEEP_JOB,
      queueName: this.queueName,
      data: sweep,
      opts: { jobId: this.id, removeOnComplete: true },
      children: this.chunks.map((c) => {
        const data: ChunkData = { sweep: this.id, first: c.first, count: c.count, jobs: encodeText(jobs.slice(c.first, c.first + c.count)) };
        return {
          name: CHUNK_JOB,
          queueName: this.queueName,
          data,
          opts: { jobId: c.jobId, attempts, backoff, failParentOnFailure: true, removeOnComplete: true },
        };
      }),
    });
    this.warnIfNoWorkers();
  }

  private warnIfNoWorkers(): void {
    this.queue!.getWorkersCount()
      .then((n) => {
        if (n === 0 && !this.failure) {
          console.warn(
            `redisExecutor: no worker is connected to queue '${this.queueName}' yet; the sweep waits for one ` +
              `(start: npx spikeworld worker --redis <url>${this.queueName === DEFAULT_QUEUE ? '' : ` --queue ${this.queueName}`})`,
          );
        }
      })
      .catch(() => undefined);
  }

  private chunkOf(jobId: string): { first: number; count: number; jobId: string } | undefined {
    if (!jobId.startsWith(`${this.id}-`)) return undefined;
    return this.chunks[Number(jobId.slice(this.id.length + 1))];
  }

  private parentDone = false;
  private parentWaiters: (() => void)[] = [];

  private listen(events: QueueEvents): void {
    events.on('progress', ({ jobId, data }) => {
      const c = this.chunkOf(jobId);
      if (c && typeof data === 'number') this.report(c.first, Math.min(data, c.count));
    });
    events.on('completed', ({ jobId }) => {
      if (jobId === this.id) {
        this.parentDone = true;
        for (const w of this.parentWaiters.splice(0)) w();
        return;
      }
      const c = this.chunkOf(jobId);
      if (c) void this.fetch(range(c.first, c.count)).catch((e: Error) => this.fail(e));
    });
    events.on('failed', ({ jobId, failedReason }) => {
      const c = this.chunkOf(jobId);
      if (c) this.fail(this.chunkFailure(c, failedReason));
    });
  }

  /** `n` networks of a chunk are done: counted as its first n (only their number reaches onProgress). */
  private report(first: number, n: number): void {
    if (this.failure) return; // the call has failed or was aborted: no progress after that
    for (let idx = first; idx < first + n; idx++) {
      if (!this.reported[idx]) {
        this.reported[idx] = true;
        this.request.onResult(idx);
      }
    }
  }

  private async fetch(indices: number[]): Promise<void> {
    const wanted = indices.filter((i) => !this.received[i]);
    if (wanted.length === 0 || this.failure) return;
    const values = await this.redis!.hmgetBuffer(this.keys.results, ...wanted.map(String));
    wanted.forEach((idx, k) => {
      const bytes = values[k];
      if (!bytes || this.received[idx]) return;
      this.results[idx] = decode(bytes);
      this.received[idx] = true;
      this.receivedCount++;
      this.report(idx, 1);
    });
    if (this.receivedCount === this.total) this.settle.resolve();
  }

  /** The safety net for missed events: results in the hash, a failed parent. */
  private async poll(): Promise<void> {
    if (this.failure) return;
    const stored = await this.redis!.hlen(this.keys.results);
    if (stored > this.receivedCount) {
      const fields = await this.redis!.hkeys(this.keys.results);
      await this.fetch(fields.map(Number).filter((i) => Number.isInteger(i) && i >= 0 && i < this.total));
    }
    if (this.receivedCount < this.total && (await this.queue!.getJobState(this.id)) === 'failed') {
      for (const c of this.chunks) {
        const job = await this.queue!.getJob(c.jobId);
        if (job && (await job.getState()) === 'failed') return this.fail(this.chunkFailure(c, job.failedReason));
      }
      this.fail(new SpikeworldError('redisExecutor: the sweep failed in the queue'));
    }
  }

  private chunkFailure(c: { first: number; count: number }, reason: string | undefined): Error {
    if (reason?.startsWith(METHOD_FAILED)) {
      const f = JSON.parse(reason.slice(METHOD_FAILED.length)) as MethodFailure;
      return new ParallelRunError(f.networkIndex, { name: f.name, message: f.message, stack: f.stack });
    }
    return new SpikeworldError(
      `parallelRun (redisExecutor): ${chunkLabel(c.first, c.count)} failed in the queue after its attempts: ${reason ?? 'unknown reason'}`,
    );
  }

  /** The flow's parent completes once a worker has seen every child done; wait for it a little. */
  private async awaitParent(): Promise<void> {
    if (this.parentDone) return;
    const state = await this.queue!.getJobState(this.id);
    if (state === 'completed' || state === 'unknown') return;
    await new Promise<void>((resolve) => {
      const t = setTimeout(resolve, 5000);
      this.parentWaiters.push(() => {
        clearTimeout(t);
        resolve();
      });
    });
  }

  /**
   * After success: drop the sweep's keys (the parent removes itself when it completes). After a
   * failure or abort: mark the sweep cancelled (workers stop its running chunks within a fraction
   * of a second and skip the others), then remove the flow once nothing of it is active.
   */
  private async cleanup(cleanly: boolean): Promise<void> {
    const redis = this.redis;
    this.closing = true;
    const deadline = Date.now() + Math.max(this.timeoutMs, 5000);
    const steps = async () => {
      if (redis && redis.status === 'ready') {
        if (!cleanly) {
          if (this.chunks.length > 0) {
            await redis.set(this.keys.cancel, '1', 'EX', this.options.ttlSeconds ?? 86_400);
            const queue = this.queue!;
            for (const c of this.chunks) await queue.remove(c.jobId).catch(() => 0);
            while ((await queue.remove(this.id, { removeChildren: true }).catch(() => 0)) !== 1 && Date.now() < deadline) {
              await sleep(100);
            }
          }
          await redis.del(this.keys.init, this.keys.results);
        } else {
          if (!this.parentDone) await this.queue?.remove(this.id).catch(() => 0);
          await redis.del(this.keys.init, this.keys.results, this.keys.cancel);
        }
      }
    };
    await Promise.race([steps().catch(() => undefined), timeLimit(Math.max(0, deadline - Date.now()) + 1000)]);
    const connections = [this.events, this.flows, this.queue];
    await Promise.allSettled(connections.map((x) => (x ? Promise.race([x.close(), timeLimit(2000)]) : undefined)));
    // A close() that ran out of time (Redis gone) leaves ioredis reconnecting for ever, which
    // keeps the caller's process alive after the sweep has failed: cut the connections.
    await Promise.allSettled(connections.map((x) => (x ? Promise.race([x.disconnect(), timeLimit(1000)]) : undefined)));
    redis?.disconnect();
  }
}

function range(first: number, count: number): number[] {
  return Array.from({ length: count }, (_, k) => first + k);
}

function abortError(): SpikeworldError {
  return new SpikeworldError('parallelRun: aborted by its signal; the remaining jobs were removed from the queue');
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * A time limit for a race: its timer does not keep the process alive (a ref'd one kept a script
 * alive ~6 s after parallelRun had returned).
 */
function timeLimit(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
