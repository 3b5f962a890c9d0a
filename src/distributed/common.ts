/**
 * What the Redis executor (caller side) and the worker command share: connection options, the
 * fail-fast first connection, key names, job payloads and how a module travels between machines.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

import type { ConnectionOptions } from 'bullmq';
import { Redis, type RedisOptions } from 'ioredis';

import { SpikeworldError } from '../errors.js';
import type { CopyJob, WorkerInit } from '../parallel/protocol.js';

export type { RedisConnection } from './names.js';
import type { RedisConnection } from './names.js';

export { CANCELLED, CHUNK_JOB, DEFAULT_QUEUE, KEY_PREFIX, METHOD_FAILED, SWEEP_JOB } from './names.js';
import { KEY_PREFIX } from './names.js';

export interface MethodFailure {
  networkIndex: number;
  name: string;
  message: string;
  stack: string;
}

/** Data of a child job: which sweep, and its networks (CopyJobs, codec-encoded as base64). */
export interface ChunkData {
  sweep: string;
  first: number;
  count: number;
  jobs: string;
}

export interface SweepData {
  sweep: string;
  networks: number;
}

/** WorkerInit as stored under the sweep's key: the module as a path relative to the project root. */
export interface StoredInit {
  module: { relative: string } | { url: string };
  /** SHA-256 of the caller's module file (null for a module that is not a file): workers compare theirs. */
  moduleSha256: string | null;
  init: Omit<WorkerInit, 'moduleUrl'>;
}

export const keys = (queue: string, sweep: string) => {
  const base = `${KEY_PREFIX}:${queue}:${sweep}`;
  return { init: `${base}:init`, results: `${base}:results`, cancel: `${base}:cancel` };
};

/** ioredis arguments for a connection option; `describe` hides the password. */
export function connectionParts(connection: RedisConnection): { url: string | undefined; options: RedisOptions; describe: string } {
  if (typeof connection === 'string') return { url: connection, options: {}, describe: redact(connection) };
  if (connection === null || typeof connection !== 'object') {
    throw new SpikeworldError(`redis connection must be a redis:// URL or ioredis options, got ${String(connection)}`);
  }
  const { url, ...options } = connection as RedisOptions & { url?: string };
  const describe = url ? redact(url) : `redis://${options.host ?? '127.0.0.1'}:${options.port ?? 6379}`;
  return { url, options, describe };
}

/** Options for BullMQ's own connections (it creates and closes them). */
export function bullConnection(connection: RedisConnection, extra: RedisOptions = {}): ConnectionOptions {
  const { url, options } = connectionParts(connection);
  return { disconnectTimeout: DISCONNECT_TIMEOUT_MS, ...options, ...extra, ...(url ? { url } : {}) } as ConnectionOptions;
}

/**
 * How long ioredis waits for a socket to close after disconnect() before destroying it (its
 * default, 2 s, is a timer it does not clear when the socket never connected: a script whose
 * Redis was unreachable stayed alive 2 s after parallelRun had failed).
 */
const DISCONNECT_TIMEOUT_MS = 200;

function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.href.replace(/\/$/, '');
  } catch {
    return url;
  }
}

/**
 * A plain connection, connected now or failing within `timeoutMs` with a clear error (no endless
 * reconnect loop before the first success). After that it reconnects like any ioredis client.
 */
export async function connectOrFail(connection: RedisConnection, timeoutMs: number, who: string): Promise<Redis> {
  const { url, options, describe } = connectionParts(connection);
  let connected = false;
  let lastError: (Error & { code?: string }) | undefined;
  const opts: RedisOptions = {
    disconnectTimeout: DISCONNECT_TIMEOUT_MS,
    ...options,
    lazyConnect: true,
    connectTimeout: Math.min(options.connectTimeout ?? timeoutMs, timeoutMs),
    maxRetriesPerRequest: 2,
    retryStrategy: (times) => (connected ? Math.min(200 * times, 2000) : null),
  };
  const client = url ? new Redis(url, opts) : new Redis(opts);
  client.on('error', (e: Error) => {
    lastError = e;
  });
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      client.connect().then(() => client.ping()),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer in ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    connected = true;
    return client;
  } catch (e) {
    client.disconnect();
    const why = lastError?.code ?? lastError?.message ?? `no answer within ${(timeoutMs / 1000).toFixed(1)} s`;
    throw new SpikeworldError(
      `${who}: cannot reach Redis at ${describe} (${why}); ` +
        `start a Redis server there (e.g. redis-server --port ${portOf(connection)}) or fix the connection option`,
      { cause: lastError ?? e },
    );
  } finally {
    clearTimeout(timer);
  }
}

function portOf(connection: RedisConnection): string {
  if (typeof connection === 'string') {
    try {
      return new URL(connection).port || '6379';
    } catch {
      return '6379';
    }
  }
  return String(connection.port ?? 6379);
}

/**
 * The caller's module as something another machine can find: a path relative to the project root
 * (the worker resolves it against its own root), or the URL itself when it is not a file.
 */
export function portableModule(moduleUrl: string, root: string): StoredInit['module'] {
  if (!moduleUrl.startsWith('file:')) return { url: moduleUrl };
  const path = fileURLToPath(moduleUrl);
  const rel = relative(resolve(root), path);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) {
    throw new SpikeworldError(
      `redisExecutor: the module ${path} is outside the project root ${resolve(root)}; workers find it by its path relative ` +
        `to the root: run from the project's directory or pass redisExecutor({ root })`,
    );
  }
  return { relative: rel.split(sep).join('/') };
}

/**
 * SHA-256 of a file: module's source (line ends as \n, so that a Windows checkout with CRLF
 * matches a Linux one), null for other URLs.
 */
export function moduleSha256(moduleUrl: string): string | null {
  if (!moduleUrl.startsWith('file:')) return null;
  return createHash('sha256').update(readFileSync(fileURLToPath(moduleUrl), 'utf8').replace(/\r\n/g, '\n')).digest('hex');
}

/**
 * The module a worker runs must be the caller's: a checkout at another version would give other
 * results with the same declarations. Only the module's own file is compared, not what it imports.
 */
export function assertSameModule(stored: StoredInit, moduleUrl: string): void {
  const mine = moduleSha256(moduleUrl);
  if (stored.moduleSha256 === null || mine === null || mine === stored.moduleSha256) return;
  const name = 'relative' in stored.module ? stored.module.relative : moduleUrl;
  throw new SpikeworldError(
    `spikeworld worker on ${hostname()}: its copy of the sweep's module ${name} (${fileURLToPath(moduleUrl)}) differs from the ` +
      `caller's (sha256 ${mine.slice(0, 12)}… here, ${stored.moduleSha256.slice(0, 12)}… there); start the worker in a checkout of the caller's code`,
  );
}

/** Where the worker finds the module, given its own project root. */
export function localModuleUrl(module: StoredInit['module'], root: string): string {
  if ('url' in module) return module.url;
  const path = resolve(root, ...module.relative.split('/'));
  if (!existsSync(path)) {
    throw new SpikeworldError(
      `spikeworld worker: the sweep's module ${module.relative} is not under this worker's project root ${resolve(root)}; ` +
        `start the worker in the project's directory (the same checkout as the caller's) or pass --root`,
    );
  }
  return pathToFileURL(path).href;
}

export function chunkLabel(first: number, count: number): string {
  return count === 1 ? `network ${first}` : `networks ${first}–${first + count - 1}`;
}

/** A worker's BullMQ name, `spikeworld-c<concurrency>-<host>-<pid>`: callers size chunks from it. */
export function workerName(concurrency: number): string {
  return `spikeworld-c${concurrency}-${hostname().replace(/[^A-Za-z0-9.-]/g, '_')}-${process.pid}`;
}

export type { CopyJob, WorkerInit };
