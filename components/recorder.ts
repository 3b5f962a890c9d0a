import type { SpikeRing } from './spikeRing.js';

/**
 * Rows of `width` values appended one per recorded step. Capacity doubles when full, so
 * recording allocates O(log steps) times over a run and never inside a step otherwise.
 */
export class RowBuffer {
  data: Float64Array;
  rows = 0;

  constructor(
    readonly width: number,
    initialRows = 64,
  ) {
    this.data = new Float64Array(Math.max(1, width * initialRows));
  }

  append(source: Float64Array): void {
    const end = (this.rows + 1) * this.width;
    if (end > this.data.length) this.grow(end);
    this.data.set(source, this.rows * this.width);
    this.rows++;
  }

  /** Row k as a fresh array. */
  row(k: number): Float64Array {
    return this.data.slice(k * this.width, (k + 1) * this.width);
  }

  clear(): void {
    this.rows = 0;
  }

  private grow(minLength: number): void {
    const next = new Float64Array(Math.max(minLength, this.data.length * 2));
    next.set(this.data.subarray(0, this.rows * this.width));
    this.data = next;
  }
}

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
