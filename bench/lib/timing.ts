/** Wall-clock helpers. Every figure is the best (min) of its repeats: the machine is shared. */

export function now(): number {
  return performance.now();
}

/** ms that `fn` took, and its result. */
export function timed<T>(fn: () => T): { ms: number; result: T } {
  const start = now();
  const result = fn();
  return { ms: now() - start, result };
}

export async function timedAsync<T>(fn: () => Promise<T>): Promise<{ ms: number; result: T }> {
  const start = now();
  const result = await fn();
  return { ms: now() - start, result };
}

/** Runs `fn` `repeats` times and keeps the repeat with the smallest `ms` (ties: the first). */
export function best<T extends { ms: number }>(repeats: number, fn: (repeat: number) => T): T {
  let kept: T | null = null;
  for (let r = 0; r < repeats; r++) {
    const out = fn(r);
    if (kept === null || out.ms < kept.ms) kept = out;
  }
  return kept!;
}

export async function bestAsync<T extends { ms: number }>(repeats: number, fn: (repeat: number) => Promise<T>): Promise<T> {
  let kept: T | null = null;
  for (let r = 0; r < repeats; r++) {
    const out = await fn(r);
    if (kept === null || out.ms < kept.ms) kept = out;
  }
  return kept!;
}

/** Lets the event loop breathe (and V8 finish background work) between heavy measurements. */
export function settle(): Promise<void> {
  (globalThis as { gc?: () => void }).gc?.();
  return new Promise((resolve) => setTimeout(resolve, 20));
}
