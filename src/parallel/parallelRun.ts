/**
 * parallelRun: the user's `method(idx, net, args)` over many networks, on a pool of worker
 * threads (or in this thread with `sequential`). Results come back in network order and are the
 * same whichever way the call ran: every network's randomness comes from its own seed.
 */
import type { ModuleThread } from 'threads';

import { Monitor } from '../api/monitor.js';
import { masterSeed, Network, parallelCopy, templateNetwork } from '../api/network.js';
import { PopulationBase } from '../api/population.js';
import { Projection } from '../api/projection.js';
import { SpikeworldError } from '../errors.js';
import { inWorkerThread } from './context.js';
import { availableCores, createWorkerThread, entryModuleUrl, startUserWorker, LOAD_FAILED, loadThreads, mainThreadMayCompute, onWorkerLoadError, toModuleUrl, workersTakeBootData, yieldToEvents } from './platform.js';
import { SERVED_MODULE, thrownAsData, unsendable, type BatchResult, type CopyJob, type JobFailure, type SharedJob, type WorkerApi, type WorkerBoot, type WorkerInit } from './protocol.js';
import { epochMs } from './claim.js';
import { shareHandoff } from './share.js';
import { declarationSignature } from './signature.js';

/** `args: { rate: [10, 20] }` → the method receives `{ rate: 10 }` for network 0. */
export type ArgsOf<A> = { [K in keyof A]: A[K] extends readonly (infer E)[] ? E : never };

export interface ParallelRunOptions<R, A extends Record<string, readonly unknown[]>> {
  /** Runs once per network. In a worker it is found by its name among the module's exports. */
  method: (idx: number, net: Network, args: ArgsOf<A>) => R | Promise<R>;
  /** Compiled (or compilable) networks; workers run them on their shared memory. Give this or `number`. */
  networks?: readonly Network[];
  /** How many copies of the template network (everything: true) to make. Give this or `networks`. */
  number?: number;
  /** One array per name, one entry per network. */
  args?: A;
  /**
   * Threads that run networks, default min(networks, available cores). In Node the calling thread
   * is one of them (it computes while the workers start), so at most maxWorkers − 1 workers are started —
   * unless a `signal` is given (a network running here could not be interrupted); in a browser
   * the page's thread stays free and maxWorkers workers are started.
   */
  maxWorkers?: number;
  /** Run in this thread, one network after another (same results). */
  sequential?: boolean;
  /** 'same': every copy gets the master seed; an array: one seed per copy. Default: per index. */
  seeds?: 'same' | readonly (number | string)[];
  /** Print how long the call took. */
  measureTime?: boolean;
  /** Called as each network finishes. */
  onProgress?: (done: number, total: number) => void;
  /** Stops the workers and rejects. */
  signal?: AbortSignal;
  /**
   * The module that declares the network and exports `method` (default: the program's entry
   * script). With `worker`: that module's namespace (`import * as sweep from './sweep.js'`).
   */
  module?: string | URL | object;
  /** Where number-mode networks run; default: a local pool of worker threads. */
  executor?: Executor;
  /**
   * Starts one worker of your own instead of spikeworld's, for bundlers (`vite build`): a worker
   * file that imports the module and calls serveParallelRun (`spikeworld/parallel/worker`), so the
   * bundle gives both one copy of spikeworld. E.g. `() => new Worker(new URL('./sweep.worker.js',
   * import.meta.url), { type: 'module' })`; in Node a worker_threads or threads.js Worker.
   */
  worker?: () => ParallelWorker;
}

/** A worker that `worker` starts: a Web Worker, or in Node a worker_threads (or threads.js) Worker. */
export interface ParallelWorker {
  postMessage(message: unknown, transfer?: never): void;
  terminate(): unknown;
}

/**
 * Runs number-mode jobs somewhere else (another machine, a queue). It must return one result per
 * job in job order, call `onResult` as each finishes, reject with a `ParallelRunError` naming the
 * job's `idx` when the method throws, and stop everything when `signal` aborts.
 */
export interface Executor {
  run(request: ExecutorRequest): Promise<unknown[]>;
}

export interface ExecutorRequest {
  /** What each worker needs before its first job (module URL, master seed, dt, template values). */
  init: WorkerInit;
  jobs: CopyJob[];
  onResult: (idx: number) => void;
  signal?: AbortSignal;
}

/** A failure in network `networkIndex`; `cause` carries the original error (message and stack). */
export class ParallelRunError extends SpikeworldError {
  constructor(
    readonly networkIndex: number,
    cause: { name: string; message: string; stack: string },
  ) {
    super(`parallelRun: network ${networkIndex} failed: ${cause.name}: ${cause.message}`, {
      cause: { name: cause.name, message: cause.message, stack: cause.stack },
    });
    this.stack = `${this.name}: ${this.message}\n--- in network ${networkIndex}: ${cause.stack}`;
  }
}

export type { CopyJob, WorkerInit } from './protocol.js';

/** The seed of copy `idx` by default: what the (idx + 1)-th `new Network()` of a fresh script gets. */
export function networkSeed(idx: number): string {
  return `${masterSeed()}/net/${idx + 1}`;
}

export async function parallelRun<R, A extends Record<string, readonly unknown[]> = Record<string, never>>(
  options: ParallelRunOptions<R, A>,
): Promise<Awaited<R>[]> {
  const started = performanceNow();
  const plan = checkOptions(options);
  const results = options.sequential
    ? await runSequential(options, plan)
    : options.executor
      ? await runOnExecutor(options, plan)
      : await runParallel(options, plan);
  if (options.measureTime) {
    const how = options.sequential ? 'sequentially' : `in parallel (${plan.workers} workers)`;
    console.log(`Running ${plan.total} networks ${how} took ${((performanceNow() - started) / 1000).toFixed(3)} s`);
  }
  return results as Awaited<R>[];
}

interface Plan {
  total: number;
  workers: number;
  seeds: (number | string)[];
  argsFor: (idx: number) => Record<string, unknown>;
}

function checkOptions<R, A extends Record<string, readonly unknown[]>>(o: ParallelRunOptions<R, A>): Plan {
  if (inWorkerThread()) {
    throw new SpikeworldError(
      'parallelRun() was called inside a parallelRun worker: guard the top-level run of your script with `if (isMainThread) { … }`',
    );
  }
  if (!o || typeof o.method !== 'function') {
    throw new SpikeworldError('parallelRun: method must be a function (idx, net, args) => result');
  }
  checkOptionTypes(o as unknown as Record<string, unknown>);
  const hasNetworks = o.networks !== undefined;
  const hasNumber = o.number !== undefined;
  if (hasNetworks === hasNumber) {
    throw new SpikeworldError('parallelRun: give exactly one of networks (a list of Network) or number (how many copies)');
  }
  if (hasNumber && !(Number.isInteger(o.number) && (o.number as number) >= 1)) {
    throw new SpikeworldError(`parallelRun: number must be an integer >= 1, got ${String(o.number)}`);
  }
  if (hasNetworks) {
    if (!Array.isArray(o.networks) || o.networks.length === 0 || o.networks.some((n) => !(n instanceof Network))) {
      throw new SpikeworldError('parallelRun: networks must be a non-empty list of Network objects');
    }
    if (new Set(o.networks).size !== o.networks.length) {
      throw new SpikeworldError('parallelRun: a network appears twice in networks; each runs once');
    }
  }
  const total = hasNumber ? (o.number as number) : (o.networks as Network[]).length;
  const args = (o.args ?? {}) as Record<string, unknown>;
  if (typeof args !== 'object' || Array.isArray(args) || args === null) {
    throw new SpikeworldError(`parallelRun: args must be an object of arrays, one entry per network ({ rate: [5, 10, …] }), got ${describe(o.args)}`);
  }
  for (const [name, values] of Object.entries(args)) {
    if (!Array.isArray(values) && !ArrayBuffer.isView(values)) {
      throw new SpikeworldError(`parallelRun: args.${name} must be an array with one entry per network (${total}), got ${typeof values}`);
    }
    const length = (values as ArrayLike<unknown>).length;
    if (length !== total) {
      throw new SpikeworldError(`parallelRun: args.${name} has ${length} entries but there are ${total} networks; give one per network`);
    }
  }
  let seeds: (number | string)[];
  if (o.seeds === undefined) seeds = Array.from({ length: total }, (_, i) => networkSeed(i));
  else if (o.seeds === 'same') seeds = Array.from({ length: total }, () => masterSeed());
  else if (Array.isArray(o.seeds) && o.seeds.length === total) {
    seeds = [...o.seeds];
    seeds.forEach((seed, idx) => {
      if (!((typeof seed === 'number' && Number.isFinite(seed)) || typeof seed === 'string')) {
        throw new SpikeworldError(`parallelRun: seeds[${idx}] must be a finite number or a string, got ${String(seed)}`);
      }
    });
  } else {
    throw new SpikeworldError(`parallelRun: seeds must be 'same' or an array of ${total} seeds, got ${String(o.seeds)}`);
  }
  if (hasNetworks && o.seeds !== undefined) {
    throw new SpikeworldError('parallelRun: seeds apply to number mode; set each network\'s seed with net.setSeed() instead');
  }
  const maxWorkers = o.maxWorkers === undefined ? availableCores() : o.maxWorkers;
  if (!(Number.isInteger(maxWorkers) && maxWorkers >= 1)) {
    throw new SpikeworldError(`parallelRun: maxWorkers must be an integer >= 1, got ${String(o.maxWorkers)}`);
  }
  if (o.executor !== undefined && (hasNetworks || o.sequential)) {
    throw new SpikeworldError('parallelRun: an executor runs number-mode copies; it cannot take networks or sequential');
  }
  if (o.worker !== undefined && o.executor !== undefined) {
    throw new SpikeworldError("parallelRun: worker starts this machine's workers; an executor runs networks elsewhere: give one of them");
  }
  checkModule(o);
  if (o.signal?.aborted) throw abortError();
  if (!o.sequential && Object.keys(args).length > 0) {
    try {
      assertCloneable(args, new WeakSet());
    } catch (e) {
      throw new SpikeworldError(
        `parallelRun: args cannot be sent to workers (${(e as Error).message}); give plain data: numbers, strings, arrays, typed arrays, plain objects`,
      );
    }
  }
  const argsFor = (idx: number) => Object.fromEntries(Object.entries(args).map(([k, v]) => [k, (v as ArrayLike<unknown>)[idx]]));
  return { total, workers: Math.min(maxWorkers, total), seeds, argsFor };
}

/**
 * Throws what structuredClone would throw for `value` (the way args reach workers), without
 * copying what always clones: numbers, strings, typed arrays and buffers (8 × 1M-element args
 * took 84 ms to copy just to check them). Arrays are walked (`seen`: cycles); other objects are
 * cloned to check them, as before.
 */
function assertCloneable(value: unknown, seen: WeakSet<object>): void {
  if (typeof value !== 'object' || value === null) {
    if (typeof value === 'function' || typeof value === 'symbol') structuredClone(value);
    return;
  }
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) return;
  if (seen.has(value)) return;
  seen.add(value);
  if (Array.isArray(value) && Object.getPrototypeOf(value) === Array.prototype) {
    for (let i = 0; i < value.length; i++) assertCloneable(value[i], seen);
    return;
  }
  if (Object.getPrototypeOf(value) === Object.prototype) {
    for (const key of Object.keys(value)) assertCloneable((value as Record<string, unknown>)[key], seen);
    return;
  }
  structuredClone(value);
}

const OPTION_TYPES: Record<keyof ParallelRunOptions<unknown, never>, string> = {
  method: 'function',
  networks: 'object',
  number: 'number',
  args: 'object',
  maxWorkers: 'number',
  sequential: 'boolean',
  seeds: 'object',
  measureTime: 'boolean',
  onProgress: 'function',
  signal: 'object',
  module: 'object',
  executor: 'object',
  worker: 'function',
};

/** Unknown option names and options of the wrong type (a typo would otherwise be ignored). */
function checkOptionTypes(o: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(o)) {
    if (!(key in OPTION_TYPES)) {
      throw new SpikeworldError(`parallelRun: unknown option '${key}'; the options are ${Object.keys(OPTION_TYPES).join(', ')}`);
    }
    if (value === undefined) continue;
    const expected = OPTION_TYPES[key as keyof typeof OPTION_TYPES];
    // number, maxWorkers, seeds and args have their own checks below; module may be a string or a URL.
    const ownCheck = key === 'number' || key === 'maxWorkers' || key === 'seeds' || key === 'args';
    const fits = ownCheck || (key === 'module' && typeof value === 'string') || typeof value === expected;
    if (!fits || (expected === 'object' && value === null)) {
      throw new SpikeworldError(`parallelRun: ${key} must be ${expected === 'object' ? 'an object' : `a ${expected}`}, got ${describe(value)}`);
    }
  }
  const signal = o['signal'] as { aborted?: unknown; addEventListener?: unknown } | undefined;
  if (signal !== undefined && !(typeof signal.aborted === 'boolean' && typeof signal.addEventListener === 'function')) {
    throw new SpikeworldError('parallelRun: signal must be an AbortSignal (new AbortController().signal)');
  }
}

/**
 * `module` fits `worker`: without it a URL or a path (workers import it); with it the module's
 * namespace, in which the method is found by its export name: a production build renames
 * functions (its `method.name` would be 'r'), not a namespace's keys.
 */
function checkModule<R, A extends Record<string, readonly unknown[]>>(o: ParallelRunOptions<R, A>): void {
  const m = o.module;
  const isNamespace = typeof m === 'object' && m !== null && !(m instanceof URL);
  if (o.worker === undefined) {
    if (isNamespace) {
      throw new SpikeworldError("parallelRun: module must be a URL or a path (new URL('./sweep.js', import.meta.url)); a module's namespace goes with the worker option");
    }
    return;
  }
  if (!isNamespace) {
    throw new SpikeworldError(
      `parallelRun: with worker, module is the namespace of the module that exports the method (import * as sweep from './sweep.js'; ` +
        `parallelRun({ method: sweep.${o.method.name || 'simulation'}, module: sweep, worker })), ` +
        `got ${m === undefined ? 'none' : describe(m)}: your worker file imports the module itself`,
    );
  }
  if (!o.sequential && methodExportName(o) === undefined) {
    throw new SpikeworldError('parallelRun: method is not an export of module; pass the function that module exports (method: sweep.simulation)');
  }
}

/** With `worker`: the method's export name in the module's namespace. */
function methodExportName<R, A extends Record<string, readonly unknown[]>>(o: ParallelRunOptions<R, A>): string | undefined {
  const namespace = o.module as Record<string, unknown>;
  return Object.keys(namespace).find((key) => namespace[key] === o.method);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an array of ${value.length}`;
  return typeof value === 'string' ? `'${value}'` : typeof value === 'object' ? 'an object' : `${typeof value} ${String(value)}`;
}

/** Runs network `idx` in this thread: a fresh copy in number mode (disposed after), else the given network. */
async function runHere<R, A extends Record<string, readonly unknown[]>>(o: ParallelRunOptions<R, A>, plan: Plan, idx: number): Promise<R> {
  const own = o.networks === undefined;
  const net = own ? parallelCopy(plan.seeds[idx] as number | string) : (o.networks![idx] as Network);
  try {
    return await o.method(idx, net, plan.argsFor(idx) as ArgsOf<A>);
  } catch (e) {
    throw new ParallelRunError(idx, thrownAsData(e));
  } finally {
    if (own) net.dispose();
  }
}

async function runSequential<R, A extends Record<string, readonly unknown[]>>(o: ParallelRunOptions<R, A>, plan: Plan): Promise<R[]> {
  // As a parallel call hands them off: every given network compiled before any method runs.
  for (const net of o.networks ?? []) if (!net.world.compiled) net.compile();
  const results: R[] = [];
  for (let idx = 0; idx < plan.total; idx++) {
    if (o.signal?.aborted) throw abortError();
    results.push(await runHere(o, plan, idx));
    o.onProgress?.(idx + 1, plan.total);
  }
  return results;
}

/** Network `idx` of a number-mode call, as a worker (local or remote) receives it. */
function copyJob(plan: Plan, method: string, idx: number): CopyJob {
  return { idx, method, args: plan.argsFor(idx), seed: plan.seeds[idx] as number | string };
}

/** What every worker needs before its first network: which module, the seed, the template's values. */
function workerInit<R, A extends Record<string, readonly unknown[]>>(o: ParallelRunOptions<R, A>): { init: WorkerInit; methodName: string } {
  const methodName = o.worker ? methodExportName(o)! : o.method.name;
  if (!methodName || methodName === 'anonymous' || methodName.startsWith('bound ')) {
    throw new SpikeworldError(
      `parallelRun: the method must be a named function exported by its module (workers find it among the module's exports), ` +
        `got ${methodName ? `'${methodName}'` : 'an anonymous function'}: export function simulation(idx, net, args) { … } and pass it`,
    );
  }
  const moduleUrl = o.worker ? SERVED_MODULE : o.module !== undefined ? toModuleUrl(o.module as string | URL) : entryModuleUrl();
  if (!moduleUrl) throw new SpikeworldError('parallelRun: pass { module: import.meta.url } (the module that exports the method)');
  const template = templateNetwork();
  const init: WorkerInit = {
    moduleUrl,
    masterSeed: masterSeed(),
    dt: template.dt,
    precision: template.world.precision,
    signature: declarationSignature(template.objects(), o.networks === undefined),
    connections: o.networks === undefined,
    templateFields: template
      .objects()
      .filter((x): x is PopulationBase => x instanceof PopulationBase)
      .map((p) => ({ id: p.id, fields: p.data.copyFields() })),
    templateFiringRates: template
      .objects()
      .filter((x): x is PopulationBase => x instanceof PopulationBase && x.firingRateWindow !== null)
      .map((p) => ({ id: p.id, windowMs: p.firingRateWindow as number })),
    templateLearning: template
      .objects()
      .filter((x): x is Projection => x instanceof Projection && x.entry.stdp !== null)
      .map((p) => ({ id: p.id, learning: p.learning })),
    templateDisabled: template
      .objects()
      .filter((x): x is PopulationBase => x instanceof PopulationBase && !x.enabled)
      .map((p) => p.id),
  };
  return { init, methodName };
}

/** number mode through an executor (e.g. a Redis queue): the same jobs a local pool would run. */
async function runOnExecutor<R, A extends Record<string, readonly unknown[]>>(o: ParallelRunOptions<R, A>, plan: Plan): Promise<R[]> {
  const { init, methodName } = workerInit(o);
  const jobs = Array.from({ length: plan.total }, (_, idx) => copyJob(plan, methodName, idx));
  let done = 0;
  const results = await o.executor!.run({
    init,
    jobs,
    onResult: () => o.onProgress?.(++done, plan.total),
    ...(o.signal ? { signal: o.signal } : {}),
  });
  return results as R[];
}

async function runParallel<R, A extends Record<string, readonly unknown[]>>(o: ParallelRunOptions<R, A>, plan: Plan): Promise<R[]> {
  const { init, methodName } = workerInit(o);
  const networks = o.networks;
  // Hand-offs are prepared before any worker starts, so a network that cannot compile fails here.
  const handoffs = networks?.map((n) => n.handoff());
  const job = (idx: number): CopyJob | SharedJob =>
    networks ? { ...copyJob(plan, methodName, idx), seed: networks[idx]!.seed, handoff: handoffs![idx]! } : copyJob(plan, methodName, idx);
  // What a worker returns for network idx; in networks mode its monitors' recordings (the
  // buffers handed over, continued) replace ours, with the result or with the failure (what was
  // recorded before it).
  const received = (idx: number, out: BatchResult['out']): R => {
    if ('monitors' in out && out.monitors) {
      const mine = networks![idx]!.objects().filter((x): x is Monitor => x instanceof Monitor);
      for (const s of out.monitors) mine.find((m) => m.id === s.id)?.restore(s);
    }
    if ('seeding' in out && out.seeding) networks![idx]!.adoptSeeding(out.seeding);
    return (unwrap(out, idx) as { result: unknown }).result as R;
  };
  // In Node the calling thread computes too (with 2 cores, 2 threads busy rather than 3).
  // With a signal it does not: a network running here could not be interrupted.
  // Nor with workers of the user's (`worker`): they take no start-up data, so the pool dispatches.
  const mainComputes = mainThreadMayCompute && plan.workers > 1 && !o.signal && !o.worker;
  const workers = mainComputes ? plan.workers - 1 : plan.workers;
  if (workersTakeBootData && !o.worker) {
    // Every worker starts with every job: hand-offs go on shared memory so that W workers do not
    // each get a copy of every network's recordings and compile-time state.
    const jobs = Array.from({ length: plan.total }, (_, k) => {
      const j = job(k);
      return 'handoff' in j ? { ...j, handoff: shareHandoff(j.handoff) } : j;
    });
    const boot = { init, jobs, next: new Int32Array(new SharedArrayBuffer(4)), pace: new Float64Array(new SharedArrayBuffer(16)) };
    return runBatch(o, plan, workers, mainComputes, boot, received);
  }
  const schedule: Schedule<R> = {
    total: plan.total,
    inWorker: async (w, idx, call) => {
      const j = job(idx);
      return received(idx, await forJob(idx, call('handoff' in j ? w.runShared(j) : w.runCopy(j))));
    },
  };
  // Kept for a next call like runBatch's pools. Workers of the user's serve the module their file
  // imported, not one named by URL: the module's namespace object itself joins the key (two
  // modules with the same export names, or a hot-reloaded one, must not share workers).
  const keep = `dispatch:${poolKey(init, workers)}${o.worker ? `#${namespaceId(o.module as object)}` : ''}`;
  return runOnPool(init, workers, schedule, { ...o, keep });
}

/**
 * Node: workers start with the whole batch and take job indices from a shared counter, as this
 * thread does; none waits for another to hand out work. A worker passes on a job this thread would
 * finish sooner along with the rest (claim.ts): a new worker's first networks run slowly. (This
 * thread answers the workers' start-up messages only between its own networks: a worker that
 * needed them before starting work would idle for as long as one network runs here.)
 */
async function runBatch<R, A extends Record<string, readonly unknown[]>>(
  o: ParallelRunOptions<R, A>,
  plan: Plan,
  workers: number,
  mainComputes: boolean,
  boot: WorkerBoot,
  received: (idx: number, out: BatchResult['out']) => R,
): Promise<R[]> {
  const key = poolKey(boot.init, workers);
  const kept = takeKeptPool(key, o.signal);
  const pool = kept ?? new WorkerPool(workers, boot.init.moduleUrl, o.signal);
  const call = pool.calls;
  const results = new Array<R>(plan.total);
  let done = 0;
  let allDone!: () => void;
  const everyResult = new Promise<void>((resolve) => (allDone = resolve));
  const finished = () => {
    done++;
    o.onProgress?.(done, plan.total);
    if (done === plan.total) allDone();
  };
  const runInMain = async () => {
    // This thread's pace, for the workers to decide whether to take a network (claim.ts).
    let ranMs = 0;
    let ran = 0;
    for (let k = Atomics.add(boot.next, 0, 1); k < plan.total; k = Atomics.add(boot.next, 0, 1)) {
      pool.throwIfFailed();
      const started = epochMs();
      boot.pace[1] = started;
      results[k] = asSent(k, await runHere(o, plan, k));
      ranMs += epochMs() - started;
      boot.pace[0] = ranMs / ++ran;
      finished();
      // Let worker results and start-up messages in before the next network here.
      await yieldToEvents();
    }
  };
  let ok = false;
  try {
    const onResult = ({ k, out }: BatchResult) => {
      results[k] = received(k, out);
      finished();
    };
    let inWorkers: Promise<void>;
    if (kept) {
      pool.hold(true);
      inWorkers = pool.continueBatch(boot, onResult);
    } else {
      // The worker threads must exist before this thread starts a network: they boot meanwhile.
      if (workers > 0) await pool.load();
      inWorkers = pool.startBatch(boot, onResult);
    }
    // Done when every result is in: a worker still starting up when this thread took the last
    // network is not waited for. If it then fails to start (its module declares something else
    // there, say), the results stand (this thread computed them all); the failure is reported.
    void inWorkers.catch((e: unknown) => {
      // Only while no later call took the pool: its failures (an abort, say) are its own.
      if (!ok || pool.closed || pool.calls !== call) return;
      pool.markUnfit();
      console.warn(`parallelRun: a worker failed after the call had finished without it: ${(e as Error)?.message ?? String(e)}`);
    });
    await Promise.race([everyResult, Promise.all([inWorkers, mainComputes ? runInMain() : Promise.resolve()])]);
    ok = true;
    return results;
  } finally {
    if (ok && workers > 0) keepPool(pool, key);
    else pool.close();
  }
}

/**
 * How long a pool waits for the next call after one ends (ms). A script or notebook that calls
 * parallelRun again soon (a sweep in a loop) gets workers that have imported the module and
 * compiled the hot code already; the waiting workers do not keep the process alive.
 */
export const KEEP_WORKERS_MS = 3000;

let keptPool: { pool: WorkerPool; key: string; timer: ReturnType<typeof setTimeout> } | null = null;

/** A number per module namespace given with `worker` (each module has one namespace object). */
const namespaceIds = new WeakMap<object, number>();
let namespaceCount = 0;

function namespaceId(namespace: object): number {
  let id = namespaceIds.get(namespace);
  if (id === undefined) namespaceIds.set(namespace, (id = ++namespaceCount));
  return id;
}

/** Workers are interchangeable between calls with the same module, settings and declarations. */
function poolKey(init: WorkerInit, workers: number): string {
  return JSON.stringify([init.moduleUrl, String(init.masterSeed), init.dt, init.precision, init.signature, workers]);
}

/** The kept pool if it fits this call (armed for it), else null (and an unfit one is closed). */
function takeKeptPool(key: string, signal: AbortSignal | undefined): WorkerPool | null {
  const kept = keptPool;
  if (!kept) return null;
  keptPool = null;
  clearTimeout(kept.timer);
  if (kept.key !== key || !kept.pool.healthy) {
    kept.pool.close();
    return null;
  }
  kept.pool.calls++;
  kept.pool.arm(signal);
  return kept.pool;
}

function keepPool(pool: WorkerPool, key: string): void {
  releaseWorkers();
  pool.arm(undefined); // the finished call's signal no longer concerns it
  pool.hold(false);
  const timer = setTimeout(releaseWorkers, KEEP_WORKERS_MS);
  (timer as { unref?: () => void }).unref?.();
  keptPool = { pool, key, timer };
}

/** Stops the workers that parallelRun keeps for a next call (they also stop by themselves after KEEP_WORKERS_MS). */
export function releaseWorkers(): void {
  const kept = keptPool;
  keptPool = null;
  if (!kept) return;
  clearTimeout(kept.timer);
  kept.pool.close();
}

/** How one call spreads its networks over a pool that this thread only dispatches to. */
interface Schedule<R> {
  total: number;
  inWorker(w: Api, idx: number, call: <T>(p: Promise<T>) => Promise<T>): Promise<R>;
}

async function runOnPool<R>(
  init: WorkerInit,
  workers: number,
  schedule: Schedule<R>,
  o: {
    signal?: AbortSignal | undefined;
    onProgress?: ((done: number, total: number) => void) | undefined;
    worker?: (() => unknown) | undefined;
    /** parallelRun's calls: the pool is kept for a next call with this key (see keepPool); others close it. */
    keep?: string;
  },
): Promise<R[]> {
  const kept = o.keep === undefined ? null : takeKeptPool(o.keep, o.signal);
  const pool = kept ?? new WorkerPool(workers, init.moduleUrl, o.signal, o.worker);
  const results = new Array<R>(schedule.total);
  let next = 0;
  let done = 0;
  const finished = () => o.onProgress?.(++done, schedule.total);
  const runInWorker = async (w: Api) => {
    for (let idx = next++; idx < schedule.total; idx = next++) {
      results[idx] = await schedule.inWorker(w, idx, (p) => pool.call(p));
      finished();
    }
  };
  let ok = false;
  try {
    if (kept) {
      // Up and serving this module already: only this call's seed and template values are new.
      pool.hold(true);
      await Promise.all(pool.all().map((w) => pool.call(w.init(init))));
    } else await pool.start((w) => w.init(init));
    // Two jobs in flight per worker: one runs while the next crosses the message channel.
    await pool.drain((w) => Promise.all([runInWorker(w), runInWorker(w)]).then(() => undefined));
    ok = true;
    return results;
  } finally {
    if (ok && o.keep !== undefined && workers > 0) keepPool(pool, o.keep);
    else pool.close();
  }
}

/** A pool of workers kept open across calls: one start-up for many jobs (see openJobPool). */
export interface JobPool {
  /** Runs one job on the next free worker; rejects with a ParallelRunError naming its idx if the method throws. */
  run(job: CopyJob): Promise<unknown>;
  /** Terminates every worker; jobs still running reject. */
  close(): Promise<void>;
}

/**
 * Opens `maxWorkers` workers that import `init.moduleUrl` once and then take jobs one at a time
 * each, for executors whose jobs arrive over time (the distributed worker command). A worker that
 * dies fails the pool: every pending and later `run` rejects, and the owner opens a new one.
 */
export async function openJobPool(init: WorkerInit, options: { maxWorkers?: number; signal?: AbortSignal } = {}): Promise<JobPool> {
  const size = Math.max(1, options.maxWorkers ?? availableCores());
  const pool = new WorkerPool(size, init.moduleUrl, options.signal);
  try {
    await pool.start((w) => w.init(init));
  } catch (e) {
    pool.close();
    throw e;
  }
  const idle = pool.all();
  const waiting: ((w: Api) => void)[] = [];
  const release = (w: Api) => {
    const next = waiting.shift();
    if (next) next(w);
    else idle.push(w);
  };
  return {
    async run(job) {
      pool.throwIfFailed();
      const w = idle.pop() ?? (await pool.call(new Promise<Api>((resolve) => waiting.push(resolve))));
      try {
        return unwrap(await forJob(job.idx, pool.call(w.runCopy(job))), job.idx).result;
      } finally {
        release(w);
      }
    },
    close: async () => pool.close(),
  };
}

/**
 * Runs copy jobs (number mode) on a pool of `maxWorkers` workers that import `init.moduleUrl`;
 * this thread only dispatches. For executors that receive jobs from elsewhere (the distributed
 * worker command): results come back in the order of `jobs`.
 */
export function runJobsOnPool(
  init: WorkerInit,
  jobs: readonly CopyJob[],
  options: { maxWorkers?: number; signal?: AbortSignal; onProgress?: (done: number, total: number) => void } = {},
): Promise<unknown[]> {
  const workers = Math.max(1, Math.min(options.maxWorkers ?? availableCores(), jobs.length));
  return runOnPool(
    init,
    workers,
    {
      total: jobs.length,
      inWorker: async (w, k, call) => unwrap(await forJob(jobs[k]!.idx, call(w.runCopy(jobs[k]!))), jobs[k]!.idx).result,
    },
    options,
  );
}

/**
 * A result of this thread as a worker's would arrive: structured-cloned, so that a call's results
 * have the same form whichever thread ran each network (class instances become plain objects),
 * and a result no worker could send fails here too, naming its network.
 */
function asSent<R>(idx: number, result: R): R {
  try {
    return structuredClone(result);
  } catch (e) {
    throw new ParallelRunError(idx, thrownAsData(unsendable(e)));
  }
}

/**
 * A worker call for network `idx` (not the start-up batch, whose results worker.ts checks): a
 * result the worker could not post back (threads.js reports a DataCloneError) fails as that
 * network's ParallelRunError, not as a failure of the worker (which a Redis worker would retry).
 */
async function forJob<T>(idx: number, call: Promise<T>): Promise<T> {
  try {
    return await call;
  } catch (e) {
    const original = e instanceof SpikeworldError && e.cause instanceof Error ? e.cause : e;
    if ((original as Error | undefined)?.name === 'DataCloneError') throw new ParallelRunError(idx, thrownAsData(unsendable(original)));
    throw e;
  }
}

/**
 * An error from a worker as a SpikeworldError: structured clone keeps an error's name and message
 * but not its class. Ours keep their message; others (a module that cannot be found, say) say
 * that a worker failed. The original is the cause.
 */
function fromWorker(e: unknown): unknown {
  if (e instanceof SpikeworldError) return e;
  const err = e instanceof Error ? e : new Error(String(e));
  const ours = err.name === 'SpikeworldError' || err.name === 'ModelError';
  const wrapped = new SpikeworldError(ours ? err.message : `parallelRun: a worker failed: ${err.name}: ${err.message}`, { cause: err });
  if (err.stack) wrapped.stack = `${wrapped.name}: ${wrapped.message}\n--- in the worker: ${err.stack}`;
  return wrapped;
}

function unwrap<T extends object>(out: T | JobFailure, idx: number): T {
  if ('failed' in out && out.failed) throw new ParallelRunError(idx, out);
  return out as T;
}

function abortError(): SpikeworldError {
  return new SpikeworldError('parallelRun: aborted by its signal; the workers were stopped');
}

function performanceNow(): number {
  return globalThis.performance?.now() ?? Date.now();
}

type Api = ModuleThread<WorkerApi & Record<string, (...args: never[]) => unknown>>;
type RawWorker = { terminate(): unknown; on?: (ev: string, f: (x: unknown) => void) => void; ref?: () => void; unref?: () => void };

/**
 * At most `size` long-lived workers, serving one call at a time (a kept pool serves the next call
 * too: see keptPool). Every call races the workers' death and the call's abort signal, so nothing
 * waits forever; `close()` tells all of them to stop, whatever happened.
 */
class WorkerPool {
  private workers: Api[] = [];
  private raw: RawWorker[] = [];
  /** Per slot, threads.js's spawn handshake while it is pending (null once settled). */
  private handshakes: (Promise<unknown> | null)[] = [];
  private threads: typeof import('threads') | null = null;
  private failure!: Promise<never>;
  private failed: Error | null = null;
  private fail!: (e: Error) => void;
  private closing = false;
  /** A worker died: the pool cannot serve another call (unlike `failed`, not reset by arm()). */
  private lost = false;
  private signal: AbortSignal | undefined;

  constructor(
    readonly size: number,
    /** The module every worker imports (a TypeScript one needs tsx in the worker: platform.ts). */
    private readonly moduleUrl: string,
    signal: AbortSignal | undefined,
    /** Starts a worker of the user's (parallelRun's `worker`) instead of spikeworld's. */
    private readonly startWorker?: () => unknown,
  ) {
    this.arm(signal);
  }

  /** Starts serving a call: a fresh failure to race, and this call's abort signal. */
  arm(signal: AbortSignal | undefined): void {
    this.signal?.removeEventListener('abort', this.onAbort);
    this.failed = null;
    this.failure = new Promise<never>((_, reject) => {
      this.fail = (e) => {
        this.failed ??= e;
        reject(e);
      };
    });
    this.failure.catch(() => undefined);
    this.signal = signal;
    signal?.addEventListener('abort', this.onAbort, { once: true });
  }

  /**
   * True when every worker is up or still starting, none died and close() was not called: the
   * pool can serve another call. (A worker still starting costs less to wait for than a new one
   * to start: in a loop of short calls a fresh worker per call would never get to work.)
   */
  get healthy(): boolean {
    return !this.lost && !this.closing && this.raw.filter((r, slot) => r && (this.workers[slot] || this.handshakes[slot])).length === this.size;
  }

  /** Whether the pool's threads keep the process alive (not while it waits for a next call). */
  hold(held: boolean): void {
    this.held = held;
    for (const r of this.raw) (held ? r.ref : r.unref)?.call(r);
  }

  /** Calls that took this pool after the one that made it (see takeKeptPool). */
  calls = 0;
  private held = true;

  private onAbort = () => this.fail(abortError());

  /** For work done outside the pool: stop as soon as a worker failed or the call was aborted. */
  throwIfFailed(): void {
    if (this.failed) throw this.failed;
  }

  async start(init: (w: Api) => Promise<void>): Promise<void> {
    if (this.size === 0) return;
    const threads = (this.threads = await this.race(loadThreads()));
    await Promise.all(Array.from({ length: this.size }, (_, slot) => this.spawn(threads, slot).then((w) => w && this.call(init(w)))));
  }

  /**
   * Starts the workers with `boot` as their start-up data: each imports the module and works
   * through the shared job counter on its own, whether or not this thread is free to answer.
   * The threads exist when this returns (call `load()` first); the promise resolves once every
   * worker has reported all its results to `onResult`.
   */
  startBatch(boot: WorkerBoot, onResult: (r: BatchResult) => void): Promise<void> {
    const threads = this.threads;
    if (this.size === 0 || !threads) return Promise.resolve();
    const workers = Array.from({ length: this.size }, async (_, slot) => {
      const w = await this.spawn(threads, slot, boot);
      if (w) await this.follow(w.batchResults(), onResult);
    });
    return Promise.all(workers).then(() => undefined);
  }

  /**
   * The same on a kept pool: a worker that is up gets the batch as a call now, before this thread
   * starts a network of its own; one still starting (from the call that made it) gets it once its
   * handshake is answered, which waits for this thread to be between networks, and only if the
   * batch still has jobs: in a loop of calls that this thread finishes alone, each call's batch
   * would otherwise wait for the handshake and reach the worker all at once.
   */
  continueBatch(boot: WorkerBoot, onResult: (r: BatchResult) => void): Promise<void> {
    const workers = this.raw.map((_, slot) => {
      const up = this.workers[slot];
      if (up) return this.follow(up.runBatch(boot), onResult);
      return this.call(this.handshakes[slot] as Promise<unknown>).then(() =>
        Atomics.load(boot.next, 0) < boot.jobs.length ? this.follow(this.workers[slot]!.runBatch(boot), onResult) : undefined,
      );
    });
    return Promise.all(workers).then(() => undefined);
  }

  /** Feeds a worker's batch results to `onResult`; resolves when its batch is done. */
  private follow(results: unknown, onResult: (r: BatchResult) => void): Promise<void> {
    const stream = results as { subscribe(o: { next(r: BatchResult): void; error(e: unknown): void; complete(): void }): void };
    const followed = this.race(
      new Promise<void>((resolve, reject) => {
        stream.subscribe({
          next: (r) => {
            try {
              onResult(r);
            } catch (e) {
              reject(e);
            }
          },
          error: (e: unknown) => reject(fromWorker(e)),
          complete: resolve,
        });
      }),
    );
    // Subscribing listens on the worker's port, which refs it again: a kept pool (its call over)
    // must not keep the process alive because a late handshake subscribed.
    if (!this.held) queueMicrotask(() => this.held || this.hold(false));
    return followed;
  }

  /** Loads threads.js (once). */
  async load(): Promise<void> {
    this.threads ??= await this.race(loadThreads());
  }

  /** One worker (null when the pool is already closing); its unexpected exit fails the pool. */
  private async spawn(threads: typeof import('threads'), slot: number, boot?: WorkerBoot): Promise<Api | null> {
    if (this.closing) return null;
    const raw = (this.startWorker ? startUserWorker(this.startWorker) : createWorkerThread(threads, this.moduleUrl, boot)) as unknown as RawWorker;
    this.raw[slot] = raw;
    raw.on?.('message', (m) => {
      const msg = m as { type?: unknown; error?: { name: string; message: string; stack: string } } | null;
      if (msg?.type !== LOAD_FAILED || !msg.error) return;
      this.lost = true;
      this.fail(fromWorker(Object.assign(new Error(msg.error.message), msg.error)) as Error);
    });
    // Node: a worker of the user's that throws (failing to load, say) emits 'error', which
    // would end this process unheard (spikeworld's own worker reports LOAD_FAILED instead).
    if (this.startWorker) {
      raw.on?.('error', (e) => {
        this.lost = true;
        this.fail(fromWorker(e) as Error);
      });
    }
    raw.on?.('exit', (code) => {
      if (this.closing) return;
      this.lost = true;
      this.fail(new SpikeworldError(`parallelRun: a worker exited unexpectedly (exit code ${String(code)})`));
    });
    const stopWatching = onWorkerLoadError(raw, (e) => {
      this.lost = true;
      this.fail(e);
    }, this.startWorker !== undefined);
    const handshake = threads.spawn<WorkerApi & Record<string, (...args: never[]) => unknown>>(raw as never);
    this.handshakes[slot] = handshake;
    const settled = () => {
      this.handshakes[slot] = null;
      stopWatching();
    };
    void handshake.then(settled, settled);
    const w = (await this.race(this.fromWorker(handshake))) as Api;
    this.workers[slot] = w;
    return w;
  }

  /** The started workers (a copy of the list). */
  all(): Api[] {
    return [...this.workers];
  }

  /** Runs `loop` once per worker and waits for all of them. */
  async drain(loop: (w: Api) => Promise<void>): Promise<void> {
    await Promise.all(this.workers.map((w) => loop(w)));
  }

  call<T>(p: Promise<T>): Promise<T> {
    return this.race(this.fromWorker(p));
  }

  private race<T>(p: Promise<T>): Promise<T> {
    return Promise.race([p, this.failure]);
  }

  /** What a worker answers, its errors as SpikeworldErrors (not what this thread's callbacks throw). */
  private fromWorker<T>(p: Promise<T>): Promise<T> {
    return p.catch((e: unknown) => {
      throw fromWorker(e);
    });
  }

  close(): void {
    this.closing = true;
    // Whatever still waits on a worker rejects now rather than never.
    this.fail(new SpikeworldError('parallelRun: the worker pool was closed'));
    this.signal?.removeEventListener('abort', this.onAbort);
    // Termination is requested, not waited for (the call's results are already in). A worker
    // whose threads.js handshake is still pending is stopped once it settles: stopped earlier, it
    // would leave threads.js's 10 s spawn timeout running, which keeps the process alive.
    const threads = this.threads;
    if (threads) void Promise.allSettled(this.workers.map((w) => threads.Thread.terminate(w)));
    this.raw.forEach((r, slot) => {
      const pending = this.handshakes[slot];
      if (pending) void pending.finally(() => r.terminate()).catch(() => undefined);
      else void Promise.resolve(r.terminate()).catch(() => undefined);
    });
  }

  /** Whether close() was called. */
  get closed(): boolean {
    return this.closing;
  }

  /** A worker can no longer serve calls (it failed after its call had ended): the pool is not kept. */
  markUnfit(): void {
    this.lost = true;
  }
}
