/**
 * Ctrl-C (or SIGTERM) on a script whose sweep runs through Redis: without a handler, Node ends the
 * process at once and the sweep's chunks keep running on the workers, its keys staying in Redis
 * for a day. While sweeps run, the signal cancels them (the same cleanup as an abort) and then
 * ends the process as the signal would have, unless the script handles that signal itself (its
 * handler then decides; the calls reject). A second signal during the cleanup leaves at once.
 * One listener per signal serves every sweep running at once.
 */
import { isMainThread } from 'node:worker_threads';

const SIGNALS = ['SIGINT', 'SIGTERM'] as const;
type Signal = (typeof SIGNALS)[number];

export interface InterruptGuard {
  /** The sweep has settled and cleaned up: stop listening, and pass on a signal it took. */
  release(): void;
}

interface Sweep {
  cancel(signal: Signal): void;
}

const running = new Set<Sweep>();
let received: Signal | null = null;

function onSignal(signal: Signal): void {
  if (received) {
    stopListening();
    passOn(signal);
    return;
  }
  received = signal;
  process.stderr.write(`redisExecutor: ${signal}: cancelling the sweep in the queue (${signal} again to leave now)\n`);
  for (const sweep of running) sweep.cancel(signal);
}

function stopListening(): void {
  for (const s of SIGNALS) process.off(s, onSignal);
}

/** Re-raised with no handler left, the signal ends the process with its usual status. */
function passOn(signal: Signal): void {
  if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
}

/** Calls `cancel` on the first SIGINT/SIGTERM while the sweep runs (main thread only: workers get no signals). */
export function cancelOnInterrupt(cancel: (signal: Signal) => void): InterruptGuard {
  if (!isMainThread) return { release: () => undefined };
  const sweep: Sweep = { cancel };
  if (running.size === 0) for (const s of SIGNALS) process.on(s, onSignal);
  running.add(sweep);
  return {
    release() {
      if (!running.delete(sweep) || running.size > 0) return;
      stopListening();
      const signal = received;
      received = null;
      if (signal) passOn(signal);
    },
  };
}
