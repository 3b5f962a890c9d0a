/**
 * Messages between a page (`LiveNetwork`) and the worker that runs its network (`serveNetworks`).
 * There is one `advance` message per frame at most and none per spike: spikes and traces travel
 * through `EventRing`s in shared memory, or — when the page is not cross-origin isolated — in one
 * `state` message per batch of steps whose buffers are transferred, not copied.
 */

/** 'shared': shared memory, zero copies. 'transfer': private memory, one transferred state message per batch. */
export type Transport = 'shared' | 'transfer';

/** A value written into a population: one number for all neurons, or one per neuron. */
export type LiveValue = number | ArrayLike<number>;

export type ToWorker =
  | {
      type: 'start';
      network: string;
      options: unknown;
      transport: Transport;
      /** shared only: the spike ring and the control words (Int32: [steps done]). */
      spikes: SharedArrayBuffer | null;
      control: SharedArrayBuffer | null;
    }
  | { type: 'advance'; to: number }
  | { type: 'set'; id: number; population: string; values: Record<string, LiveValue> }
  | { type: 'enable'; id: number; population: string; on: boolean }
  | { type: 'weights'; id: number; projection: string; value?: LiveValue; scale?: number }
  | { type: 'probe'; id: number; probe: number; population: string; variable: string; rank: number; buffer: SharedArrayBuffer | null }
  | { type: 'unprobe'; id: number; probe: number }
  | { type: 'reset'; id: number };

/** Where one field of a population sits: in the worker's memory (shared) and in the state packet (transfer). */
export interface FieldInfo {
  byteOffset: number;
  length: number;
  /** Storage in the worker's memory (setup({ precision })). */
  type: 'f64' | 'f32';
  /** Index of its first value in a `state` message's `fields`. */
  packetOffset: number;
}

export interface PopulationInfo {
  name: string;
  size: number;
  /** Index of its first neuron in the spike stream's neuron numbering (populations one after another). */
  offset: number;
  kind: 'neuron' | 'poisson' | 'timedPoisson' | 'spikeSource';
  fields: Record<string, FieldInfo>;
}

export interface ProjectionInfo {
  name: string;
  /** The pre- and post-synaptic populations by the names the page knows them under; null when not exposed. */
  pre: string | null;
  post: string | null;
  target: string;
  synapses: number;
}

export type FromWorker =
  | {
      type: 'ready';
      dt: number;
      step: number;
      populations: PopulationInfo[];
      projections: ProjectionInfo[];
      /** shared only: the network's memory; the page's views are made on it. */
      memory: WebAssembly.Memory | null;
      /** Length of a `state` message's `fields`. */
      packetLength: number;
      /** transfer only: every population field at start, packed like a `state` message's. */
      fields: Float64Array | null;
    }
  | {
      type: 'state';
      step: number;
      /** (step, neuron) pairs. */
      spikes: Float64Array;
      /** Every population field, packed as `PopulationInfo.fields` says. */
      fields: Float64Array;
      /** (step, value) pairs per probe. */
      traces: { probe: number; samples: Float64Array }[];
    }
  | { type: 'done'; id: number; step: number }
  | { type: 'error'; id: number | null; message: string };
