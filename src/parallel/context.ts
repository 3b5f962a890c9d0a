/**
 * Which thread this is. A worker started by parallelRun sets the flag before it imports the
 * user's module, so a seed-style script can guard its top-level run with `if (isMainThread)`.
 */
const FLAG = '__spikeworldWorker__';

export function markWorkerThread(): void {
  (globalThis as Record<string, unknown>)[FLAG] = true;
  // Where this module ran before the mark (a browser worker, a worker file of the user's).
  isMainThread = false;
}

export function inWorkerThread(): boolean {
  return (globalThis as Record<string, unknown>)[FLAG] === true;
}

/**
 * False inside a parallelRun worker. Put the script's top-level run under
 * `if (isMainThread) { ... }`: workers import the script for its declarations and methods only.
 */
// A live binding (let): markWorkerThread() may run after this module.
export let isMainThread: boolean = !inWorkerThread();

/**
 * A warning about a declaration (a connection redone, a period rounded): said where the script
 * runs, not again by each parallelRun worker that re-runs the declarations on import.
 */
export function declarationWarning(message: string): void {
  if (!inWorkerThread()) console.warn(message);
}
