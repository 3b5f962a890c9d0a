/**
 * Which thread this is. A worker started by parallelRun sets the flag before it imports the
 * user's module, so a seed-style script can guard its top-level run with `if (isMainThread)`.
 */
const FLAG = '__spikeworldWorker__';
/** Set while a worker's module runs its declarations (until the worker first serves a call). */
const LOADING = '__spikeworldWorkerLoading__';

export function markWorkerThread(): void {
  (globalThis as Record<string, unknown>)[FLAG] = true;
  (globalThis as Record<string, unknown>)[LOADING] = true;
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

/** The worker's module has declared what it declares: later warnings come from the user's method. */
export function declarationsLoaded(): void {
  delete (globalThis as Record<string, unknown>)[LOADING];
}

/**
 * A warning about a declaration (a connection redone, a period rounded): said where the script
 * runs, not again by each parallelRun worker while it re-runs the declarations on import (a
 * method that reconnects its copy in a worker still says so, as it does in the calling thread).
 */
export function declarationWarning(message: string): void {
  if (!(inWorkerThread() && (globalThis as Record<string, unknown>)[LOADING] === true)) console.warn(message);
}
