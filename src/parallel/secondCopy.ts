/**
 * Errors for a parallelRun whose workers run another copy of spikeworld than the calling thread's
 * or the module's: a page using Vite's pre-bundled copy (its workers load the package's own
 * files), a module importing spikeworld by another path. Without them the call failed later,
 * after threads.js's 10 s handshake timeout or with a "declared nothing" that guessed at causes.
 */
import { SpikeworldError } from '../errors.js';

/** Where Vite's dev server serves the dependencies it pre-bundled. */
const VITE_DEPS = /\/\.vite[^/]*\/deps\//;

const VITE_FIX =
  "in vite.config.js, optimizeDeps: { exclude: ['spikeworld'], include: ['spikeworld > seedrandom/seedrandom.js', " +
  "'spikeworld > threads', 'spikeworld > threads/worker', 'spikeworld > bitecs'] } (spikeworld's README, parallelRun in a page built with Vite)";

/**
 * In a worker: `moduleUrl` was imported and loaded the copies `others` besides the worker's own
 * (`workerUrl`), so its declarations went where the worker does not look.
 */
export function secondCopyError(moduleUrl: string, workerUrl: string, others: readonly string[]): SpikeworldError {
  const vite = others.some((url) => VITE_DEPS.test(url));
  return new SpikeworldError(
    `parallelRun: ${moduleUrl} loaded a second copy of spikeworld (${others.join(', ')}) in the worker, besides the worker's own ` +
      `(${workerUrl}); its declarations went to that copy, which the worker does not see. ` +
      (vite
        ? `That copy is Vite's pre-bundled one: have the page use spikeworld's own files, ${VITE_FIX}.`
        : `Import spikeworld from one place: by its package name, kept external when bundling (a \`spikeworld worker\` ` +
          `serving a script that imports spikeworld's source: start it with SPIKEWORLD_ENTRY=src).`),
  );
}

/**
 * In a browser page: a worker's script failed to load (its 'error' event, before it answered).
 * `pageCopyUrl` is this copy of spikeworld; `detail` what the event said, if anything (a module
 * that fails to link says nothing).
 */
export function workerLoadError(pageCopyUrl: string, detail: string | undefined): SpikeworldError {
  const why = detail ? `: ${detail}` : ' (the browser gives no details; its console may)';
  if (!VITE_DEPS.test(pageCopyUrl)) return new SpikeworldError(`parallelRun: a worker could not load spikeworld's worker script${why}`);
  return new SpikeworldError(
    `parallelRun: a worker could not load spikeworld's worker script${why}. This page runs Vite's pre-bundled copy of ` +
      `spikeworld (${pageCopyUrl}), while its workers load the package's own files, whose CommonJS dependencies Vite has ` +
      `not pre-bundled, and the sweep module would load a second copy of spikeworld in each worker. Have the page use ` +
      `spikeworld's own files: ${VITE_FIX}.`,
  );
}
