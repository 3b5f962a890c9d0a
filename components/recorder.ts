import { sharedFloat64s, sharedInt32s } from './arena.js';
import type { SpikeRing } from './spikeRing.js';

/**
 * A recorder's buffers as they cross threads: the arrays themselves, which are on shared memory
 * where the platform has it (Node; cross-origin-isolated pages), so that a worker running a
 * handed-off network continues the recording, and hands it back, without a copy of what was
 * recorded before (a copy both ways cost ~0.2 s per network and call at 5,000 rows of 1,000).
 */
export interface RowChunks {
  chunks: Float64Array[];
  used: number;
  rows: number;
}
export interface IntData {
  data: Int32Array;
  length: number;
}

/**
 * Rows of `width` values appended one per recorded step, in chunks: the first holds 64 rows, each
 * next one twice as many up to ~4 MB, then 4 MB each. Nothing is ever copied to grow (one
 * contiguous buffer that doubled stalled a step for 1.9 s at 10k neurons × 8192 rows and needed
 * 1.5× its data during the copy), and an allocation happens once per chunk, never per step.
 * `clear()` lets the chunks go.
 */
export class RowBuffer {
  private chunks: Float64Array[] = [];
  /** Rows in the last chunk. */
  private used = 0;
  rows = 0;

  constructor(readonly width: number) {}

  append(source: ArrayLike<number>): void {
    let chunk = this.chunks[this.chunks.length - 1];
    if (!chunk || this.used * this.width === chunk.length) {
      chunk = sharedFloat64s(this.nextChunkRows() * Math.max(1, this.width));
      this.chunks.push(chunk);
      this.used = 0;
    }
    chunk.set(source, this.used * this.width);
    this.used++;
    this.rows++;
  }

  /**
   * Every row, each a fresh array, in order, and the buffer empty: each chunk is let go once its
   * rows are copied, so the copy needs one chunk more than the data, not twice the data.
   */
  takeRows(): Float64Array[] {
    const out: Float64Array[] = [];
    const chunks = this.chunks, used = this.used;
    this.clear();
    for (let c = 0; c < chunks.length; c++) {
      const chunk = chunks[c] as Float64Array;
      const rows = c === chunks.length - 1 ? used : chunk.length / Math.max(1, this.width);
      for (let r = 0; r < rows; r++) out.push(chunk.slice(r * this.width, (r + 1) * this.width));
      chunks[c] = EMPTY;
    }
    return out;
  }

  clear(): void {
    this.chunks = [];
    this.used = 0;
    this.rows = 0;
  }

  /**
   * The chunks themselves (not copies). The receiver's adopt() continues into the last chunk, so
   * this buffer must not append again until it adopts the receiver's chunks back.
   */
  share(): RowChunks {
    return { chunks: this.chunks.slice(), used: this.used, rows: this.rows };
  }

  /** Takes over the rows of `shared` (from share(), here or in another thread), in place of its own. */
  adopt(shared: RowChunks): void {
    this.chunks = shared.chunks.slice();
    this.used = shared.used;
    this.rows = shared.rows;
  }

  /** 64 rows, then twice the last chunk's, up to ~4 MB of rows (at least one row). */
  private nextChunkRows(): number {
    const last = this.chunks[this.chunks.length - 1];
    const cap = Math.max(1, Math.floor(CHUNK_BYTES / 8 / Math.max(1, this.width)));
    return last ? Math.min(cap, (2 * last.length) / Math.max(1, this.width)) : Math.min(cap, 64);
  }
}

/** A full chunk of recorded rows: 4 MB. */
const CHUNK_BYTES = 4 * 2 ** 20;
const EMPTY = new Float64Array(0);

/** Int32 values appended one at a time (spike steps and ranks). */
export class IntBuffer {
  data = sharedInt32s(256);
  length = 0;
  /** Whether `data` was handed to or taken from another holder (share/adopt) since it was made. */
  private shared = false;

  push(value: number): void {
    if (this.length === this.data.length) {
      const next = sharedInt32s(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = value;
  }

  clear(): void {
    // An array another thread holds (share/adopt) is let go, not written over from 0: the other
    // side's values (the caller's recording after an aborted parallelRun, say) stay as they were.
    if (this.shared) {
      this.data = sharedInt32s(256);
      this.shared = false;
    }
    this.length = 0;
  }

  /** The array itself (see RowBuffer.share). */
  share(): IntData {
    this.shared = true;
    return { data: this.data, length: this.length };
  }

  adopt(shared: IntData): void {
    this.data = shared.data;
    this.length = shared.length;
    this.shared = true;
  }
}

/** What the record system needs to know about one monitor. */
export interface Recorder {
  /** False while paused or not started. */
  active: boolean;
  periodSteps: number;
  /** Step at which the current recording segment started: rows fall on (step - startStep) % period == 0. */
  startStep: number;
  /**
   * For a PopulationView: `gather` lists the view's ranks and `scratch` receives their values
   * before a row is appended; null records the whole population. A projection's `source` is one
   * of its per-synapse arrays (float32 weights, STP's x or u), recorded whole in CSR order.
   */
  variables: { name: string; source: Float64Array | Float32Array; rows: RowBuffer; steps: IntBuffer; gather: Int32Array | null; scratch: Float64Array }[];
  /** `position` maps a population rank to its place in a view (-1: not in it); null for a whole population. */
  spikes: { ring: SpikeRing; steps: IntBuffer; ranks: IntBuffer; position: Int32Array | null } | null;
}
