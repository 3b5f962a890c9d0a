/** Messages between parallelRun and its workers (structured-clone data; memories stay shared). */
import type { MonitorSnapshot } from '../api/monitor.js';
import type { NetworkHandoff } from '../api/network.js';
import type { Fields, Precision } from '../world/populationData.js';

export interface WorkerInit {
  /** The module that declares the network and exports the method. */
  moduleUrl: string;
  masterSeed: number | string;
  dt: number;
  precision: Precision;
  /** The main thread's declarations, `kind:id:name:size` each, to check the worker's against. */
  signature: string[];
  /** Current values of the template's populations, so initial values drawn there match. */
  templateFields: { id: number; fields: Fields }[];
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
}

/** An error from the user's method, with what the main thread needs to rebuild it. */
export interface JobFailure {
  failed: true;
  name: string;
  message: string;
  stack: string;
}

export interface WorkerApi {
  init(init: WorkerInit): Promise<void>;
  runCopy(job: CopyJob): Promise<{ result: unknown } | JobFailure>;
  runShared(job: SharedJob): Promise<SharedResult | JobFailure>;
}
