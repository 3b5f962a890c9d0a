/**
 * Ctrl-C (or SIGTERM) on a script whose sweep runs through Redis: without a handler, Node ends the
 * process at once and the sweep's chunks keep running on the workers, its keys staying in Redis
 * for a day. While a sweep runs, the signal cancels it (the same cleanup as an abort) and then
 * ends the process as the signal would have, unless the script handles that signal itself (its
 * handler then decides; the call rejects). A second signal during the cleanup leaves at once.
 */
import { isMainThread } from 'node:worker_threads';

const SIGNALS = ['SIGINT', 'SIGTERM'] as const;
type Signal = (typeof SIGNALS)[number];

export interface InterruptGuard {
  /** The sweep has settled and cleaned up: stop listening, and pass on a signal it took. */
  release(): void;
}

/** Calls `cancel` on the first SIGINT/SIGTERM (main thread only: workers get no signals). */
export function cancelOnInterrupt(cancel: (signal: Signal) => void): InterruptGuard {
  if (!isMainThread) return { release: () => undefined };
  let received: Signal | null = null;
  const stopListening = () => SIGNALS.forEach((s) => process.off(s, onSignal));
  // Re-raised with no handler left, the signal ends the process with its usual status.
  const passOn = (signal: Signal) => {
    if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
  };
  function onSignal(signal: Signal): void {
    if (received) {
      stopListening();
      passOn(signal);
      return;
    }
    received = signal;
    process.stderr.write(`redisExecutor: ${signal}: cancelling the sweep in the queue (${signal} again to leave now)\n`);
    cancel(signal);
  }
  SIGNALS.forEach((s) => process.on(s, onSignal));
  return {
    release() {
      stopListening();
      if (received) passOn(received);
    },
  };
}
