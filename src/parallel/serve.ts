/**
 * A parallelRun worker. Like Python's multiprocessing "spawn": it imports the user's module,
 * which re-creates the declarations in the same order (so ids match the main thread's), adopts
 * the template's current values, then runs the user's exported method on each network it is given.
 * spikeworld's own worker (worker.ts) imports the module the calling thread names; a worker file
 * of the user's imports it itself and calls serveParallelRun (package entry
 * `spikeworld/parallel/worker`), so that a bundler gives module and engine one copy of spikeworld:
 *
 *   // sweep.worker.js
 *   import { serveParallelRun } from 'spikeworld/parallel/worker';
 *   import * as sweep from './sweep.js';
 *   serveParallelRun(sweep);
 *   // the page: import * as sweep from './sweep.js'; parallelRun({ method: sweep.simulation, module: sweep, number: 8,
 *   //   worker: () => new Worker(new URL('./sweep.worker.js', import.meta.url), { type: 'module' }) })
 */
import { expose } from 'threads/worker';

import type { Monitor } from '../api/monitor.js';
import { Network, parallelCopy, templateNetwork, forceMasterSeed } from '../api/network.js';
import { PopulationBase } from '../api/population.js';
import type { Projection } from '../api/projection.js';
import { otherCopies } from '../api/registry.js';
import { SpikeworldError } from '../errors.js';
import { declarationsLoaded, markWorkerThread } from './context.js';
import { claimForWorker, recheckMs } from './claim.js';
import { bootData } from './platform.js';
import { SERVED_MODULE, thrownAsData, unsendable, type BatchResult, type CopyJob, type JobFailure, type SharedJob, type WorkerApi, type WorkerBoot, type WorkerInit } from './protocol.js';
import { secondCopyError } from './secondCopy.js';
import { declarationSignature, firstDifference } from './signature.js';

// Before the user's module runs (imported after this file), so that its isMainThread is false.
markWorkerThread();

let userModule: Record<string, unknown> | null = null;
/** Networks this worker has run, in any call: until its first, it expects to run slowly (claim.ts). */
let finishedNetworks = 0;
let moduleUrl = '';
/** The user's module, imported once per worker (a kept worker serves later calls too). */
let imported: Promise<void> | null = null;
/** The module given to serveParallelRun (null in spikeworld's own worker, which imports it by URL). */
let given: Record<string, unknown> | null = null;
let served = false;
/** This worker's script, for errors: spikeworld's worker.js, or (serveParallelRun) this module. */
let workerUrl = import.meta.url;

async function importModule(init: WorkerInit): Promise<void> {
  forceMasterSeed(init.masterSeed);
  moduleUrl = given ? SERVED_MODULE : init.moduleUrl;
  if (given) userModule = given;
  else if (init.moduleUrl === SERVED_MODULE) {
    throw new SpikeworldError(
      `parallelRun: its worker option started spikeworld's own worker script (${workerUrl}); start a worker file of ` +
        `yours that imports the module and calls serveParallelRun(module) (import { serveParallelRun } from 'spikeworld/parallel/worker')`,
    );
  } else userModule = (await import(init.moduleUrl)) as Record<string, unknown>;
}

const api: WorkerApi = {
  /** Imports the module (the first time) and takes the calling thread's seed and template values. */
  async init(init: WorkerInit) {
    imported ??= importModule(init);
    await imported;
    declarationsLoaded();
    if (init.moduleUrl !== moduleUrl) {
      const hint = given ? ' (a worker that calls serveParallelRun is started by the worker option)' : '';
      throw new SpikeworldError(`parallelRun: this worker runs ${moduleUrl}, not ${init.moduleUrl}${hint}`);
    }
    forceMasterSeed(init.masterSeed);
    const template = templateNetwork();
    assertOneCopy(init, template);
    if (template.dt !== init.dt) {
      throw new SpikeworldError(`parallelRun: ${init.moduleUrl} sets dt = ${template.dt} ms in the worker, but the main thread uses ${init.dt} ms; call setup() the same way in both`);
    }
    if (template.world.precision !== init.precision) {
      throw new SpikeworldError(
        `parallelRun: ${init.moduleUrl} sets precision '${template.world.precision}' in the worker, but the main thread uses '${init.precision}'; call setup() the same way in both`,
      );
    }
    const mine = declarationSignature(template.objects(), init.connections);
    if (mine.length === 0 && init.signature.length > 0) {
      throw new SpikeworldError(
        `parallelRun: ${init.moduleUrl} declared nothing in the worker's copy of spikeworld (${workerUrl}). Either its ` +
          `declarations run on the main thread only (declare at the module's top level, outside if (isMainThread)), or it imports ` +
          `another copy of spikeworld (one bundled into the app: import 'spikeworld' by its package name and keep it external; ` +
          `a \`spikeworld worker\` serving a script that imports spikeworld's source: start it with SPIKEWORLD_ENTRY=src).`,
      );
    }
    const differ = firstDifference(mine, init.signature);
    if (differ) {
      throw new SpikeworldError(
        `parallelRun: the declarations of ${init.moduleUrl} in the worker differ from the main thread's ` +
          `(first difference: worker '${differ.worker}', main '${differ.main}'). Declare populations, projections (with their ` +
          `connections) and monitors at the module's top level, the same way on every import (no Math.random), and put the ` +
          `run itself under if (isMainThread): what only the main thread declares or connects, workers never see.`,
      );
    }
    for (const { id, fields } of init.templateFields) {
      const pop = template.objects().find((o) => o.id === id) as PopulationBase;
      for (const [name, values] of Object.entries(fields)) pop.field(name).set(values);
    }
    for (const { id, windowMs } of init.templateFiringRates ?? []) {
      (template.objects().find((o) => o.id === id) as PopulationBase).computeFiringRate(windowMs);
    }
    for (const { id, learning } of init.templateLearning ?? []) {
      const proj = template.objects().find((o) => o.id === id) as Projection;
      if (learning) proj.enableLearning();
      else proj.disableLearning();
    }
    const disabled = new Set(init.templateDisabled ?? []);
    for (const pop of template.objects()) if (pop instanceof PopulationBase) pop[disabled.has(pop.id) ? 'disable' : 'enable']();
  },

  batchResults() {
    return first;
  },

  runBatch(boot: WorkerBoot) {
    return batchStream(boot);
  },

  async runCopy(job: CopyJob) {
    const method = findMethod(job.method);
    const net = parallelCopy(job.seed);
    try {
      return { result: await method(job.idx, net, job.args) };
    } catch (e) {
      return failure(e);
    } finally {
      net.dispose();
    }
  },

  async runShared(job: SharedJob) {
    const method = findMethod(job.method);
    const template = templateNetwork();
    const net = new Network({ seed: job.seed });
    net.add(job.handoff.objectIds.map((id) => template.objects().find((o) => o.id === id)!));
    net.adopt(job.handoff);
    const monitors = net.objects().filter((o): o is Monitor => !(o instanceof PopulationBase) && 'snapshot' in o);
    for (const s of job.handoff.monitors) monitors.find((m) => m.id === s.id)?.restore(s);
    try {
      const result = await method(job.idx, net, job.args);
      return { result, monitors: monitors.map((m) => m.snapshot(true)), seeding: net.seeding() };
    } catch (e) {
      // What the method recorded before it failed goes back too, as a sequential run keeps it.
      return { ...failure(e), monitors: monitors.map((m) => m.snapshot(true)), seeding: net.seeding() };
    }
  },
};

/**
 * The module declared nothing here because it loaded a second copy of spikeworld, which took its
 * declarations (and its setup()): say so, naming both copies, before the checks below fail with
 * guesses (a page using Vite's pre-bundled copy, say: secondCopy.ts).
 */
function assertOneCopy(init: WorkerInit, template: Network): void {
  const others = otherCopies();
  if (others.length === 0 || template.objects().length > 0 || init.signature.length === 0) return;
  throw secondCopyError(init.moduleUrl, workerUrl, others);
}

/** Receives a batch's results; threads.js streams them to the calling thread (an observable). */
interface Watcher {
  next(r: BatchResult): void;
  error(e: unknown): void;
  complete(): void;
}

/**
 * A batch (see WorkerBoot), started at once: import the user's module (once) and take the
 * template's values, then take job indices from the shared counter until it runs out (passing on
 * those the calling thread will be quicker to do: claim.ts). Results wait here until the calling
 * thread subscribes (it may be busy with its own networks).
 */
function batchStream(boot: WorkerBoot | null) {
  const waiting: BatchResult[] = [];
  const to: { watcher: Watcher | null } = { watcher: null };
  let end: { error: unknown } | 'done' | null = null;
  const close = (w: Watcher) => (end === 'done' ? w.complete() : end && w.error(end.error));
  if (boot) {
    (async () => {
      await api.init(boot.init);
      // Checked before any job is taken: whether or not this worker gets to run a network.
      if (boot.jobs.length > 0) findMethod(boot.jobs[0]!.method);
      for (;;) {
        const k = claimForWorker(boot.next, boot.jobs.length, boot.pace, finishedNetworks > 0);
        if (k === null) break;
        if (k === 'wait') {
          await new Promise((resolve) => setTimeout(resolve, recheckMs(boot.pace)));
          continue;
        }
        const job = boot.jobs[k]!;
        const r = { k, out: 'handoff' in job ? await api.runShared(job) : await api.runCopy(job) };
        finishedNetworks++;
        if (to.watcher) send(to.watcher, r);
        else waiting.push(r);
      }
    })().then(
      () => (end = 'done'),
      (error: unknown) => (end = { error }),
    ).then(() => to.watcher && close(to.watcher));
  }
  return {
    subscribe(next: Watcher['next'], error: Watcher['error'], complete: Watcher['complete']) {
      to.watcher = { next, error, complete };
      for (const r of waiting.splice(0)) send(to.watcher, r);
      close(to.watcher);
      return { unsubscribe: () => (to.watcher = null) };
    },
  };
}

/**
 * Posts a result to the calling thread; one that cannot be cloned (a function in it, say) goes as
 * its network's failure instead of failing the whole batch without saying which network.
 */
function send(watcher: Watcher, r: BatchResult): void {
  try {
    watcher.next(r);
  } catch (e) {
    // networks mode: the recordings still go back, as with a method that fails.
    const monitors = 'monitors' in r.out ? { monitors: r.out.monitors } : {};
    watcher.next({ k: r.k, out: { ...failure(unsendable(e)), ...monitors } });
  }
}

/** The batch this worker was started with (its start-up data), begun as soon as it loads. */
const first = batchStream(bootData() as WorkerBoot | null);

type Method = (idx: number, net: Network, args: Record<string, unknown>) => unknown;

function findMethod(name: string): Method {
  // By export name only: a function found by its own name could be another one (factories give
  // many functions one name), and running it would give wrong results without a word.
  const fn = userModule?.[name];
  if (typeof fn !== 'function') {
    const otherName = Object.keys(userModule ?? {}).find((k) => typeof userModule?.[k] === 'function' && (userModule[k] as Method).name === name);
    if (otherName !== undefined) {
      throw new SpikeworldError(
        `parallelRun: ${moduleUrl} exports the function '${name}' as '${otherName}'; workers find the method by its name: ` +
          `export it under its own name (export function ${name}(idx, net, args) { … }, or export { ${name} })`,
      );
    }
    throw new SpikeworldError(
      `parallelRun: ${moduleUrl} has no exported function '${name}'; export the method (export function ${name}(idx, net, args) { … }) ` +
        (given ? 'and give serveParallelRun the module that exports it' : 'or pass { module } naming the file that exports it'),
    );
  }
  return fn as Method;
}

function failure(e: unknown): JobFailure {
  return { failed: true, ...thrownAsData(e) };
}

/**
 * Serves parallelRun's calls in this worker: `module` null imports the module each call names
 * (spikeworld's own worker), else runs the given one (serveParallelRun). Once per worker.
 */
export function serveWorker(module: Record<string, unknown> | null, url: string = import.meta.url): void {
  if (served) throw new SpikeworldError('serveParallelRun: called twice in one worker; a worker serves one module');
  served = true;
  given = module;
  workerUrl = url;
  expose(api as unknown as Record<string, (...args: never[]) => unknown>);
}

/**
 * In a worker file of yours, started by parallelRun's `worker` option: serves that call's
 * networks with `module`, the namespace of the module that declares the network and exports the
 * method (`import * as sweep from './sweep.js'; serveParallelRun(sweep)`). Import this entry before
 * the module, so that the module's `isMainThread` is false.
 */
export function serveParallelRun(module: object): void {
  if (typeof module !== 'object' || module === null) {
    throw new SpikeworldError(
      `serveParallelRun: give the namespace of the module that exports the method (import * as sweep from './sweep.js'; serveParallelRun(sweep)), got ${module === null ? 'null' : typeof module}`,
    );
  }
  serveWorker(module as Record<string, unknown>);
}
