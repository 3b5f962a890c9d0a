/**
 * The one seam between the core and its host: how to start a worker thread, how many cores there
 * are, and which module the program started from. Node specifics stay in this file.
 */
import type { Worker } from 'threads';

import { SpikeworldError } from '../errors.js';
import { workerLoadError } from './secondCopy.js';

const isNode = typeof process !== 'undefined' && typeof process.versions?.node === 'string';

export function availableCores(): number {
  if (isNode) {
    const os = (globalThis as { process?: { getBuiltinModule?: (m: string) => unknown } }).process?.getBuiltinModule?.('node:os') as
      | { availableParallelism?: () => number; cpus: () => unknown[] }
      | undefined;
    if (os) return os.availableParallelism?.() ?? os.cpus().length;
  }
  const nav = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator;
  return nav?.hardwareConcurrency ?? 1;
}

/** The program's entry module: Node's main script; browsers must pass `module` explicitly. */
export function entryModuleUrl(): string | null {
  if (!isNode) return null;
  const main = process.argv[1];
  if (!main) return null;
  return fileUrl(main);
}

/** A module URL as a string, from a URL object, a file: URL string or (Node) a path. */
export function toModuleUrl(module: string | URL): string {
  if (module instanceof URL) return module.href;
  if (/^[a-z][a-z0-9+.-]*:/i.test(module) && !/^[a-z]:[\\/]/i.test(module)) return module;
  return fileUrl(module);
}

/** A file path as a file: URL; in Node by pathToFileURL (`#`, `?` and `%` in names escaped; relative to the working directory). */
function fileUrl(path: string): string {
  const url = isNode ? (process.getBuiltinModule?.('node:url') as typeof import('node:url') | undefined) : undefined;
  if (url) return url.pathToFileURL(path).href;
  return new URL(`file://${path.startsWith('/') ? '' : '/'}${path.replace(/\\/g, '/')}`).href;
}

/** True in Node: the calling thread may compute networks too (a browser page must stay responsive). */
export const mainThreadMayCompute = isNode;

/**
 * Resolves once pending messages (worker results, start-up calls) have been handled. Node:
 * setImmediate, which runs right after them; setTimeout(0) waits at least 1 ms there, a cost per
 * network that the calling thread runs (4 ms in a 60 ms seed sweep).
 */
export function yieldToEvents(): Promise<void> {
  const immediate = (globalThis as { setImmediate?: (f: () => void) => unknown }).setImmediate;
  return new Promise((resolve) => (immediate ? immediate(resolve) : setTimeout(resolve, 0)));
}

/** True in Node: workers get their jobs as start-up data (workerData) and need no message to begin. */
export const workersTakeBootData = isNode;

/**
 * threads.js, loaded on first use (scripts without parallelRun never pay for it). In Node through
 * `require`: 18–23 ms instead of 30–40 ms by `import()`, which parses its CommonJS sources once
 * more for their export names; the first call waits for it before it starts the workers. (A
 * bundler does not see this require: a Node bundle needs threads in node_modules, as it needs
 * the worker file beside this one.)
 */
export function loadThreads(): Promise<typeof import('threads')> {
  const nodeModule = isNode ? (process.getBuiltinModule?.('node:module') as typeof import('node:module') | undefined) : undefined;
  if (nodeModule) return Promise.resolve(withoutSignalHandlers(() => nodeModule.createRequire(import.meta.url)('threads') as typeof import('threads')));
  return import('threads');
}

/**
 * threads.js, when first loaded, takes SIGINT and SIGTERM: it terminates its workers and exits
 * with status 0, so Ctrl-C on any script that had called parallelRun looked like success, and
 * code that finishes work on a signal (spikeworld worker, a Redis sweep cancelling itself) was
 * cut short. Its handlers are taken off; Node ends worker threads with the process anyway.
 */
function withoutSignalHandlers<T>(load: () => T): T {
  const signals = ['SIGINT', 'SIGTERM'] as const;
  const before = signals.map((sig) => process.listeners(sig));
  const loaded = load();
  signals.forEach((sig, k) => {
    for (const listener of process.listeners(sig)) if (!before[k]!.includes(listener)) process.removeListener(sig, listener);
  });
  return loaded;
}

/** The message type of a worker that could not load spikeworld (its `error`: name, message, stack). */
export const LOAD_FAILED = 'spikeworld:load-failed';

/**
 * Starts a worker running `worker.ts`/`worker.js` beside this file, with `boot` as its start-up
 * data (Node's workerData; see bootData). The worker registers tsx first (Node 20 ignores
 * `--import tsx` in a worker's execArgv) where spikeworld runs from its TypeScript source or the
 * user's module `moduleUrl` is TypeScript (a script run by tsx against the installed package).
 */
export function createWorkerThread(threads: typeof import('threads'), moduleUrl: string, boot?: unknown): Worker {
  const { BlobWorker, Worker } = threads;
  // A literal URL, so that bundlers (Vite, webpack) find and bundle the worker (they resolve
  // './worker.js' to the TypeScript source).
  if (!isNode) return new Worker(new URL('./worker.js', import.meta.url) as unknown as string, { type: 'module' } as never);
  const ext = import.meta.url.endsWith('.ts') ? 'ts' : 'js';
  // Joined, not a template literal: Vite rewrites a template-literal URL beside import.meta.url into
  // a glob over ./worker.*, which takes in worker.js.map as a module and breaks the page's load.
  const workerUrl = new URL('./worker.' + ext, import.meta.url).href;
  assertWorkerFile(workerUrl);
  const register = ext === 'ts' || isTypeScript(moduleUrl) ? tsxRegistration(moduleUrl, ext === 'ts') : '';
  // A worker that cannot load says why (LOAD_FAILED, which the pool fails with) before it exits,
  // so that the call fails with the cause, not only an exit code. Then it answers threads.js's
  // handshake as if it had loaded: threads.js 1.7 leaves its 10 s handshake timer running after a
  // rejected handshake, which kept the process alive that long after the call had failed.
  const source = `globalThis.__spikeworldWorker__ = true;
(async () => {
  const threads = await import('node:worker_threads');
  globalThis.__spikeworldBoot__ = threads.workerData ?? null;
  try {
    ${register} await import(${JSON.stringify(workerUrl)});
  } catch (e) {
    console.error(e);
    const error = { name: String(e?.name ?? 'Error'), message: String(e?.message ?? e), stack: String(e?.stack ?? '') };
    threads.parentPort?.postMessage({ type: ${JSON.stringify(LOAD_FAILED)}, error });
    threads.parentPort?.postMessage({ type: 'init', exposed: { type: 'module', methods: [] } });
    setTimeout(() => process.exit(1), 100);
  }
})();`;
  return BlobWorker.fromText(source, boot === undefined ? undefined : ({ workerData: boot } as never)) as unknown as Worker;
}

/**
 * Browser: calls `failed` as soon as a worker's script fails to load (its 'error' event), with an
 * error saying why it likely did (secondCopy.ts). threads.js listens to messages only and would
 * fail the call after its 10 s handshake timeout. Returns what stops listening: once the worker
 * has answered, its errors are no longer about loading. (Node: LOAD_FAILED, createWorkerThread.)
 */
export function onWorkerLoadError(worker: unknown, failed: (e: Error) => void, usersWorker = false): () => void {
  const target = worker as Partial<Pick<EventTarget, 'addEventListener' | 'removeEventListener'>>;
  if (isNode || !target.addEventListener || !target.removeEventListener) return () => undefined;
  const listener = (ev: Event) => {
    const detail = String((ev as { message?: unknown }).message ?? '') || undefined;
    failed(
      usersWorker
        ? new SpikeworldError(`parallelRun: a worker started by the worker option failed to load${detail ? `: ${detail}` : ' (the browser gives no details; its console may)'}`)
        : workerLoadError(import.meta.url, detail),
    );
  };
  target.addEventListener('error', listener);
  return () => target.removeEventListener!('error', listener);
}

/**
 * A worker of the user's (parallelRun's `worker`), checked and as threads.js takes it: Node's
 * worker_threads Worker gets the addEventListener that threads.js calls, as threads.js's own
 * Node Worker class has (messages arrive as `{ data }`).
 */
export function startUserWorker(start: () => unknown): unknown {
  let w: { postMessage?: unknown; terminate?: unknown; addEventListener?: unknown; on?: unknown; off?: unknown } | null;
  try {
    w = start() as typeof w;
  } catch (e) {
    throw new SpikeworldError(`parallelRun: worker() failed to start a worker: ${(e as Error)?.message ?? String(e)}`, { cause: e });
  }
  if (typeof w !== 'object' || w === null || typeof w.postMessage !== 'function' || typeof w.terminate !== 'function') {
    throw new SpikeworldError(
      `parallelRun: worker must return a Worker (() => new Worker(new URL(…, import.meta.url), { type: 'module' }), your worker file's URL), got ${w === null ? 'null' : typeof w}`,
    );
  }
  if (typeof w.addEventListener !== 'function' && typeof w.on === 'function' && typeof w.off === 'function') {
    const node = w as { on(ev: string, f: (m: unknown) => void): void; off(ev: string, f: (m: unknown) => void): void };
    const mapped = new Map<unknown, (m: unknown) => void>();
    Object.assign(w, {
      addEventListener(ev: string, listener: (e: { data: unknown }) => void) {
        const f = (data: unknown) => listener({ data });
        mapped.set(listener, f);
        node.on(ev, f);
      },
      removeEventListener(ev: string, listener: unknown) {
        const f = mapped.get(listener);
        if (f) node.off(ev, f);
      },
    });
  }
  return w;
}

/**
 * The worker file must sit beside this module: where an app's bundle has taken spikeworld in,
 * it does not, and the worker would only die with "Cannot find module".
 */
function assertWorkerFile(workerUrl: string): void {
  const fs = process.getBuiltinModule?.('node:fs') as typeof import('node:fs') | undefined;
  const url = process.getBuiltinModule?.('node:url') as typeof import('node:url') | undefined;
  if (!fs || !url || !workerUrl.startsWith('file:') || fs.existsSync(url.fileURLToPath(workerUrl))) return;
  throw new SpikeworldError(
    `parallelRun: its worker script ${workerUrl} is missing: spikeworld was loaded from a copy without its package files ` +
      `(bundled into an app?). Keep 'spikeworld' external when bundling, so that it loads from node_modules with its worker.`,
  );
}

/** A .ts/.mts/.cts/.tsx module URL. */
function isTypeScript(moduleUrl: string): boolean {
  return /\.[cm]?tsx?$/i.test(new URL(moduleUrl).pathname);
}

/**
 * The worker's first line: tsx's register(), tsx found from spikeworld (installed in the project
 * beside it). Without tsx, nothing for a user's module where Node strips types itself (22.18+), else an error.
 */
function tsxRegistration(moduleUrl: string, engineFromSource: boolean): string {
  let api: string;
  try {
    api = import.meta.resolve('tsx/esm/api');
  } catch {
    // Node's own type stripping loads a user's module, not spikeworld's source (.js imports of .ts files).
    if (!engineFromSource && (process as { features?: { typescript?: unknown } }).features?.typescript) return '';
    throw new SpikeworldError(
      engineFromSource
        ? 'parallelRun: spikeworld runs from its TypeScript source here, and its workers need tsx to import it: npm install --save-dev tsx'
        : `parallelRun: the module ${moduleUrl} is TypeScript, and its workers need tsx to import it: npm install --save-dev tsx (or compile it and pass the .js module)`,
    );
  }
  return `const { register } = await import(${JSON.stringify(api)}); register();`;
}

/** In a worker: the start-up data it was created with (createWorkerThread's `boot`), or null. */
export function bootData(): unknown {
  return (globalThis as { __spikeworldBoot__?: unknown }).__spikeworldBoot__ ?? null;
}
