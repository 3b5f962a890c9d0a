import type { SpikeRing } from './spikeRing.js';

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
      chunk = new Float64Array(this.nextChunkRows() * Math.max(1, this.width));
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

  /** Every row, one after the other, in one fresh array (rows × width values). */
  flat(): Float64Array {
    const out = new Float64Array(this.rows * this.width);
    let at = 0;
    for (let c = 0; c < this.chunks.length; c++) {
      const chunk = this.chunks[c] as Float64Array;
      const values = c === this.chunks.length - 1 ? this.used * this.width : chunk.length;
      out.set(chunk.subarray(0, values), at);
      at += values;
    }
    return out;
  }

  clear(): void {
    this.chunks = [];
    this.used = 0;
    this.rows = 0;
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
  data = new Int32Array(256);
  length = 0;

  push(value: number): void {
    if (this.length === this.data.length) {
      const next = new Int32Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = value;
  }

  clear(): void {
    this.length = 0;
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
   * before a row is appended; null records the whole population.
   */
  variables: { name: string; source: Float64Array; rows: RowBuffer; steps: IntBuffer; gather: Int32Array | null; scratch: Float64Array }[];
  /** `position` maps a population rank to its place in a view (-1: not in it); null for a whole population. */
  spikes: { ring: SpikeRing; steps: IntBuffer; ranks: IntBuffer; position: Int32Array | null } | null;
}
