/** Names shared by the caller and the workers (no imports: the browser bundle reaches this file). */
export const DEFAULT_QUEUE = 'spikeworld';
/** Prefix of the keys that hold a sweep's data (BullMQ's own keys keep BullMQ's prefix). */
export const KEY_PREFIX = 'spikeworld';
/** failedReason of a job whose method threw: this prefix, then JSON of MethodFailure. */
export const METHOD_FAILED = 'spikeworld:method-failed:';
export const CANCELLED = 'spikeworld: the sweep was cancelled';
/** Job names in the queue: the flow's parent, and its children (a chunk of networks each). */
export const SWEEP_JOB = 'sweep';
export const CHUNK_JOB = 'networks';

/**
 * `redis://[user:password@]host:port[/db]` or ioredis options (host, port, password, db, tls, …).
 * Typed here loosely, so that the package's types need no ioredis (an optional peer dependency).
 */
export type RedisConnection = string | RedisConnectionOptions;

export interface RedisConnectionOptions {
  host?: string;
  port?: number;
  username?: string;
  password?: string;
  db?: number;
  url?: string;
  /** Any other ioredis option (tls, family, …). */
  [option: string]: unknown;
}
