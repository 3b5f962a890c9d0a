/** Messages between parallelRun and its workers (structured-clone data; memories stay shared). */
import type { MonitorSnapshot } from '../api/monitor.js';
import type { NetworkHandoff, NetworkSeeding } from '../api/network.js';
import type { Fields, Precision } from '../world/populationData.js';
import { SpikeworldError } from '../errors.js';
import type { CallerPace } from './claim.js';

/**
 * WorkerInit.moduleUrl of a call whose workers are the user's own (parallelRun's `worker` option):
 * they run the module given to serveParallelRun; worded for the errors that name the module.
 */
export const SERVED_MODULE = 'the module given to serveParallelRun()';

export interface WorkerInit {
  /** The module that declares the network and exports the method (or SERVED_MODULE). */
  moduleUrl: string;
  masterSeed: number | string;
  dt: number;
  precision: Precision;
  /** The main thread's declarations, `kind:id:name:size` each, to check the worker's against. */
  signature: string[];
  /**
   * Whether the signature holds the projections' connections: in number mode workers draw
   * synapses from their own recipes; in networks mode they adopt the handed-off synapses.
   */
  connections: boolean;
  /** Current values of the template's populations, so initial values drawn there match. */
  templateFields: { id: number; fields: Fields }[];
  /** The template's firing-rate windows in ms (computeFiringRate), per population that counts r; left out: none. */
  templateFiringRates?: { id: number; windowMs: number }[];
  /** The template's plastic projections' learning switches (disableLearning() before the call); left out: all on. */
  templateLearning?: { id: number; learning: boolean }[];
  /** The template's disabled populations (pop.disable() before the call), by id; left out: none. */
  templateDisabled?: number[];
}

export interface CopyJob {
  idx: number;
  method: string;
  args: Record<string, unknown>;
  seed: number | string;
}

export interface SharedJob extends CopyJob {
  handoff: NetworkHandoff;
}

export interface SharedResult {
  result: unknown;
  monitors: MonitorSnapshot[];
  /** The seed the method may have set (net.setSeed after compile) and reset()'s stream state. */
  seeding: NetworkSeeding;
}

/** An error from the user's method, with what the main thread needs to rebuild it. */
export interface JobFailure {
  failed: true;
  name: string;
  message: string;
  stack: string;
  /** networks mode: the monitors' recordings up to the failure, and the network's seeding. */
  monitors?: MonitorSnapshot[];
  seeding?: NetworkSeeding;
}

/**
 * What a parallelRun worker is started with (Node: its workerData), so that it starts importing
 * and working at once instead of waiting for the calling thread, which is busy with networks of
 * its own: the jobs, and a shared counter from which every thread takes the next job index.
 */
export interface WorkerBoot {
  init: WorkerInit;
  jobs: (CopyJob | SharedJob)[];
  /** [next job index], taken with Atomics.add by the calling thread, by workers as claim.ts decides. */
  next: Int32Array;
  /** The calling thread's pace (claim.ts), which workers read to decide whether to take a job. */
  pace: CallerPace;
}

/** One finished job of a boot batch, as the worker reports it. */
export interface BatchResult {
  /** Index into WorkerBoot.jobs. */
  k: number;
  out: { result: unknown } | SharedResult | JobFailure;
}

export interface WorkerApi {
  init(init: WorkerInit): Promise<void>;
  /** The start-up batch's results so far and as they come (completes when the counter runs out). */
  batchResults(): unknown;
  /** A later batch on a kept worker: the same, for the jobs and counter of another call. */
  runBatch(boot: WorkerBoot): unknown;
  runCopy(job: CopyJob): Promise<{ result: unknown } | JobFailure>;
  runShared(job: SharedJob): Promise<SharedResult | JobFailure>;
}

/** The error for a result that structured clone refuses (shared with the calling thread's check). */
export function unsendable(e: unknown): SpikeworldError {
  return new SpikeworldError(
    `its result cannot be sent between threads (${(e as Error)?.message ?? String(e)}); return plain data: numbers, strings, ` +
      `arrays, typed arrays, plain objects, Maps (class instances arrive as plain objects, functions not at all)`,
  );
}

/**
 * What a method threw, as data that crosses threads: an Error's name, message and stack; any
 * other value (a string, an object) described as JSON where it can be, so `throw { code: 42 }`
 * does not arrive as '[object Object]'.
 */
export function thrownAsData(e: unknown): { name: string; message: string; stack: string } {
  // Errors of another realm (a vm context) fail instanceof: anything with a string message is one.
  const err = e as { name?: unknown; message?: unknown; stack?: unknown } | null;
  if (e instanceof Error || (typeof err === 'object' && err !== null && typeof err.message === 'string')) {
    const name = typeof err!.name === 'string' ? err!.name : 'Error';
    const message = err!.message as string;
    return { name, message, stack: typeof err!.stack === 'string' ? err!.stack : `${name}: ${message}` };
  }
  const text = describeValue(e);
  return { name: 'thrown value', message: text, stack: `thrown value (not an Error, no stack): ${text}` };
}

/** JSON where it can be, else String(), else the type (a null-prototype object with a cycle has neither). */
function describeValue(e: unknown): string {
  if (typeof e === 'string') return e;
  try {
    const json = JSON.stringify(e);
    if (json !== undefined) return json;
  } catch {
    // a cycle, a BigInt: try String()
  }
  try {
    return String(e);
  } catch {
    return `a value of type ${typeof e}`;
  }
}
