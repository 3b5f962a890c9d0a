/**
 * A single-writer ring of (step, value) events — spikes (value = neuron index) or samples of a
 * variable — in one buffer: a SharedArrayBuffer when the page is cross-origin isolated, so a
 * worker writes while the renderer drains once per frame, with no message per event.
 *
 * Layout: Int32 header [write cursor, claim cursor, …], Int32 steps[capacity], Float64
 * values[capacity]. The write cursor counts events ever written (wrapping as an int32;
 * differences stay exact), and is published with Atomics.store after the entries, so a reader
 * that loads it sees them written. The claim cursor moves before each entry is written: a reader
 * checks its copy against it, since the writer overwrites slots of events it has pushed but not
 * yet published (a whole step's spikes between two publish() calls).
 */
const HEADER_INTS = 4;
const CURSOR = 0;
const CLAIM = 1;

export interface DrainResult {
  /** Events handed to the callback. */
  count: number;
  /** Events the writer overwrote before this reader got to them (the reader fell behind). */
  dropped: number;
}

export class EventRing {
  readonly capacity: number;
  readonly buffer: SharedArrayBuffer | ArrayBuffer;
  private readonly header: Int32Array;
  private readonly steps: Int32Array;
  private readonly values: Float64Array;
  /** The writer's cursor, published by `publish()`. */
  private pending: number;

  /** A new ring of `capacity` events (a power of two), shared when `shared` and the platform allows. */
  static create(capacity: number, shared = canShare()): EventRing {
    if (!Number.isInteger(capacity) || capacity < 2 || (capacity & (capacity - 1)) !== 0) {
      throw new RangeError(`EventRing: capacity must be a power of two ≥ 2, got ${capacity}`);
    }
    const bytes = byteLength(capacity);
    return new EventRing(shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes));
  }

  /** The ring over an existing buffer (e.g. one received from another thread). */
  constructor(buffer: SharedArrayBuffer | ArrayBuffer) {
    const capacity = (buffer.byteLength - HEADER_INTS * 4) / 12;
    if (!Number.isInteger(capacity) || byteLength(capacity) !== buffer.byteLength) {
      throw new RangeError(`EventRing: a buffer of ${buffer.byteLength} bytes is not a ring`);
    }
    this.capacity = capacity;
    this.buffer = buffer;
    this.header = new Int32Array(buffer, 0, HEADER_INTS);
    this.steps = new Int32Array(buffer, HEADER_INTS * 4, capacity);
    this.values = new Float64Array(buffer, HEADER_INTS * 4 + capacity * 4, capacity);
    this.pending = Atomics.load(this.header, CURSOR);
  }

  get shared(): boolean {
    return typeof SharedArrayBuffer !== 'undefined' && this.buffer instanceof SharedArrayBuffer;
  }

  /** Writer: appends an event, visible to readers after the next `publish()`. */
  push(step: number, value: number): void {
    const i = this.pending & (this.capacity - 1);
    const next = (this.pending + 1) | 0;
    Atomics.store(this.header, CLAIM, next);
    this.steps[i] = step;
    this.values[i] = value;
    this.pending = next;
  }

  /** Writer: makes every pushed event visible. */
  publish(): void {
    Atomics.store(this.header, CURSOR, this.pending);
  }

  /** Events written so far (wraps at 2³¹). */
  get cursor(): number {
    return Atomics.load(this.header, CURSOR);
  }

  /** A reader with its own position, starting at the events written from now on. */
  reader(): EventReader {
    return new EventReader(this, this.cursor);
  }

  /** @internal Events claimed by the writer: published, or being written. */
  get claimed(): number {
    return Atomics.load(this.header, CLAIM);
  }

  /** @internal */
  entries(): { steps: Int32Array; values: Float64Array } {
    return { steps: this.steps, values: this.values };
  }
}

/** One consumer's position in a ring; several readers may drain the same ring independently. */
export class EventReader {
  /** Events lost because this reader fell more than a ring behind. */
  dropped = 0;
  private draining = false;
  private readonly scratchSteps: Int32Array;
  private readonly scratchValues: Float64Array;

  constructor(
    readonly ring: EventRing,
    private position: number,
  ) {
    this.scratchSteps = new Int32Array(ring.capacity);
    this.scratchValues = new Float64Array(ring.capacity);
  }

  /** Events published and not yet drained. */
  get available(): number {
    return Math.min(this.ring.capacity, (this.ring.cursor - this.position) | 0);
  }

  /**
   * Hands every new event to `onEvent` in write order. Entries are copied out first and checked
   * against the cursor again, so events the writer overwrote meanwhile are dropped, never torn.
   */
  drain(onEvent: (step: number, value: number) => void): DrainResult {
    // The callbacks read from the scratch copy: a drain from inside one would overwrite it.
    if (this.draining) throw new Error('EventReader.drain() was called from its own callback; use a second reader');
    this.draining = true;
    try {
      return this.drainOnce(onEvent);
    } finally {
      this.draining = false;
    }
  }

  private drainOnce(onEvent: (step: number, value: number) => void): DrainResult {
    const cap = this.ring.capacity;
    const mask = cap - 1;
    const end = this.ring.cursor;
    let start = this.position;
    let dropped = 0;
    if (((end - start) | 0) > cap) {
      dropped += (end - start - cap) | 0;
      start = (end - cap) | 0;
    }
    const n = (end - start) | 0;
    const { steps, values } = this.ring.entries();
    for (let k = 0; k < n; k++) {
      const i = (start + k) & mask;
      this.scratchSteps[k] = steps[i] as number;
      this.scratchValues[k] = values[i] as number;
    }
    // Anything the writer has lapped since we loaded `end` may have been overwritten mid-copy,
    // published or not yet: checked against what it has claimed.
    const after = this.ring.claimed;
    let first = 0;
    const overrun = ((after - start) | 0) - cap;
    if (overrun > 0) {
      first = Math.min(n, overrun);
      dropped += first;
    }
    // Moved on before the callbacks: one that throws loses the rest of this batch rather than
    // getting the same events again at every later drain.
    this.position = end;
    this.dropped += dropped;
    for (let k = first; k < n; k++) onEvent(this.scratchSteps[k] as number, this.scratchValues[k] as number);
    return { count: n - first, dropped };
  }

  /** Skips everything published so far. */
  skip(): void {
    this.position = this.ring.cursor;
  }
}

function byteLength(capacity: number): number {
  return HEADER_INTS * 4 + capacity * 4 + capacity * 8;
}

/** SharedArrayBuffer exists and may be posted to workers (a cross-origin-isolated page, or Node). */
export function canShare(): boolean {
  if (typeof SharedArrayBuffer === 'undefined') return false;
  return (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated !== false;
}
