/**
 * Option checks shared by redisExecutor (caller) and startWorker (worker): a typo or a bad number
 * is refused, naming the option, before anything connects; it would otherwise surface as BullMQ's
 * or Redis's error, or not at all. No imports from Node: the browser bundle reaches this file.
 */
import { SpikeworldError } from '../errors.js';

/** Refuses option names not in `names`. */
export { checkOptionNames as checkKnown } from '../api/options.js';

/** An integer >= min, when given. */
export function checkInteger(label: string, key: string, value: unknown, min: number): void {
  if (value !== undefined && !(Number.isInteger(value) && (value as number) >= min)) {
    throw new SpikeworldError(`${label}: ${key} must be an integer >= ${min}, got ${String(value)}`);
  }
}

/** A finite number of ms >= min, when given; `why` says what a smaller one would do. */
export function checkMs(label: string, key: string, value: unknown, min: number, why = ''): void {
  if (value !== undefined && !(typeof value === 'number' && Number.isFinite(value) && value >= min)) {
    throw new SpikeworldError(`${label}: ${key} must be a number of ms >= ${min}${why ? ` (${why})` : ''}, got ${String(value)}`);
  }
}

/** A non-empty string, when given (a queue name: also without ':', which BullMQ's keys use). */
export function checkName(label: string, key: string, value: unknown, isQueue = false): void {
  if (value !== undefined && !(typeof value === 'string' && value !== '')) {
    throw new SpikeworldError(`${label}: ${key} must be a non-empty string, got ${JSON.stringify(value)}`);
  }
  if (isQueue && (value as string | undefined)?.includes(':')) throw new SpikeworldError(`${label}: queue names cannot contain ':', got ${value as string}`);
}

/**
 * The options the calling side (redisExecutor) and the worker side (spikeworld worker) share:
 * where the queue lives (queue, prefix, root) and how long to wait for Redis.
 */
export function checkQueueOptions(
  label: string,
  o: { queue?: unknown; prefix?: unknown; root?: unknown; connectTimeoutMs?: unknown },
): void {
  checkMs(label, 'connectTimeoutMs', o.connectTimeoutMs, 1);
  checkName(label, 'queue', o.queue, true);
  checkName(label, 'prefix', o.prefix);
  checkName(label, 'root', o.root);
}
