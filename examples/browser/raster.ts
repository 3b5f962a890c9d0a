/**
 * Scrolling plots drawn incrementally: each pixel column is a fixed slice of simulated time, and
 * columns are written into an offscreen canvas used as a circular buffer (column c at x = c mod
 * width). Presenting a frame is two drawImage calls, whatever the number of spikes on screen;
 * each spike is drawn once, when it is drained.
 */

interface Columns {
  width: number;
  msPerPx: number;
  dt: number;
}

function column(c: Columns, step: number): number {
  return Math.floor((step * c.dt) / c.msPerPx + 1e-9);
}

/** Copies the circular offscreen canvas to `ctx` with column `head` at the right edge. */
function blit(ctx: CanvasRenderingContext2D, off: HTMLCanvasElement, head: number): void {
  const w = off.width;
  const h = off.height;
  const split = (head + 1) % w;
  // Oldest columns (split .. w-1) to the left, newest (0 .. split-1) to the right.
  if (w - split > 0) ctx.drawImage(off, split, 0, w - split, h, 0, 0, w - split, h);
  if (split > 0) ctx.drawImage(off, 0, 0, split, h, w - split, 0, split, h);
}

function offscreen(width: number, height: number, background: string): [HTMLCanvasElement, CanvasRenderingContext2D] {
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext('2d')!;
  ctx.fillStyle = background;
  ctx.fillRect(0, 0, width, height);
  return [canvas, ctx];
}

export interface RasterOptions {
  /** Neurons shown: rows 0 .. neurons - 1 of the spike stream. */
  neurons: number;
  windowMs: number;
  dt: number;
  color: (neuron: number) => string;
  background?: string;
}

export class ScrollingRaster implements Columns {
  readonly width: number;
  readonly height: number;
  readonly msPerPx: number;
  readonly dt: number;
  spikesDrawn = 0;
  /** Neuron highlighted by a marker at the left edge, or -1. */
  selected = -1;
  private readonly ctx: CanvasRenderingContext2D;
  private readonly off: HTMLCanvasElement;
  private readonly offCtx: CanvasRenderingContext2D;
  private readonly background: string;
  private readonly rowHeight: number;
  /** Highest column cleared so far (the newest column on screen). */
  private head = -1;
  private fill = '';

  constructor(
    readonly canvas: HTMLCanvasElement,
    private readonly options: RasterOptions,
  ) {
    this.width = canvas.width;
    this.height = canvas.height;
    this.msPerPx = options.windowMs / this.width;
    this.dt = options.dt;
    this.background = options.background ?? '#0b0f17';
    this.ctx = canvas.getContext('2d')!;
    [this.off, this.offCtx] = offscreen(this.width, this.height, this.background);
    this.rowHeight = Math.max(1, this.height / options.neurons);
    this.present();
  }

  /** Neuron under a y coordinate of the canvas (CSS pixels scaled to canvas pixels by the caller). */
  neuronAt(y: number): number {
    return Math.min(this.options.neurons - 1, Math.max(0, Math.floor((y / this.height) * this.options.neurons)));
  }

  /** Draws one spike (neurons outside the shown range are ignored). */
  spike(step: number, neuron: number): void {
    if (neuron >= this.options.neurons) return;
    const c = column(this, step);
    if (c > this.head) this.advanceToColumn(c);
    else if (c <= this.head - this.width) return; // already scrolled out
    const color = this.options.color(neuron);
    if (color !== this.fill) {
      this.offCtx.fillStyle = color;
      this.fill = color;
    }
    const y = Math.floor((neuron * this.height) / this.options.neurons);
    this.offCtx.fillRect(c % this.width, y, 1, Math.ceil(this.rowHeight));
    this.spikesDrawn++;
  }

  /** Scrolls so that the column of `step` is the newest one. */
  advanceTo(step: number): void {
    const c = column(this, step);
    if (c > this.head) this.advanceToColumn(c);
  }

  /** Starts over (after a reset). */
  clear(): void {
    this.head = -1;
    this.offCtx.fillStyle = this.background;
    this.offCtx.fillRect(0, 0, this.width, this.height);
    this.fill = '';
  }

  present(): void {
    blit(this.ctx, this.off, Math.max(0, this.head));
    if (this.selected >= 0) {
      const y = Math.floor((this.selected * this.height) / this.options.neurons);
      this.ctx.fillStyle = '#ffd54f';
      this.ctx.fillRect(0, y - 2, 6, Math.ceil(this.rowHeight) + 4);
      this.ctx.fillRect(this.width - 6, y - 2, 6, Math.ceil(this.rowHeight) + 4);
    }
  }

  private advanceToColumn(c: number): void {
    const from = Math.max(this.head + 1, c - this.width + 1);
    this.offCtx.fillStyle = this.background;
    this.fill = '';
    // Clear the columns that become new, in at most two rectangles (the buffer wraps).
    for (let x = from; x <= c; ) {
      const start = x % this.width;
      const run = Math.min(c - x + 1, this.width - start);
      this.offCtx.fillRect(start, 0, run, this.height);
      x += run;
    }
    this.head = c;
  }
}

export interface RateOptions {
  neurons: number;
  windowMs: number;
  dt: number;
  /** Top of the y axis, Hz. */
  maxHz: number;
  color?: string;
  background?: string;
}

/** Population rate per column (Hz), exponentially smoothed, as a scrolling filled curve. */
export class RateStrip implements Columns {
  readonly width: number;
  readonly msPerPx: number;
  readonly dt: number;
  private readonly ctx: CanvasRenderingContext2D;
  private readonly off: HTMLCanvasElement;
  private readonly offCtx: CanvasRenderingContext2D;
  private readonly counts: Float64Array;
  /** Next column to draw (every column before it is complete and drawn). */
  private next = 0;
  private smoothed = 0;
  private readonly background: string;

  constructor(
    readonly canvas: HTMLCanvasElement,
    private readonly options: RateOptions,
  ) {
    this.width = canvas.width;
    this.msPerPx = options.windowMs / this.width;
    this.dt = options.dt;
    this.background = options.background ?? '#0b0f17';
    this.ctx = canvas.getContext('2d')!;
    [this.off, this.offCtx] = offscreen(this.width, canvas.height, this.background);
    this.counts = new Float64Array(this.width);
    this.present();
  }

  spike(step: number): void {
    const c = column(this, step);
    if (c >= this.next && c < this.next + this.width) this.counts[c % this.width]!++;
  }

  /** Draws every column that ends before `doneSteps` (the steps completed so far). */
  complete(doneSteps: number): void {
    const last = column(this, doneSteps) - 1;
    const h = this.canvas.height;
    const seconds = this.msPerPx / 1000;
    if (last - this.next >= this.width) {
      // A jump (e.g. after a long pause of the tab): skip the columns nobody will see.
      for (let c = this.next; c < last - this.width + 1; c++) this.counts[c % this.width] = 0;
      this.next = last - this.width + 1;
    }
    for (; this.next <= last; this.next++) {
      const x = this.next % this.width;
      const hz = (this.counts[x] as number) / this.options.neurons / seconds;
      this.counts[x] = 0;
      this.smoothed += 0.35 * (hz - this.smoothed);
      const y = Math.round(h - Math.min(1, this.smoothed / this.options.maxHz) * (h - 2));
      this.offCtx.fillStyle = this.background;
      this.offCtx.fillRect(x, 0, 1, h);
      this.offCtx.fillStyle = this.options.color ?? '#81c784';
      this.offCtx.fillRect(x, y, 1, h - y);
    }
  }

  clear(): void {
    this.next = 0;
    this.smoothed = 0;
    this.counts.fill(0);
    this.offCtx.fillStyle = this.background;
    this.offCtx.fillRect(0, 0, this.width, this.canvas.height);
  }

  present(): void {
    blit(this.ctx, this.off, Math.max(0, this.next - 1));
    this.ctx.fillStyle = 'rgba(255,255,255,0.55)';
    this.ctx.font = '11px system-ui, sans-serif';
    this.ctx.fillText(`${this.options.maxHz} Hz`, 4, 12);
  }
}

/** Mean firing rate over the last `windowMs` of simulated time, from the spike stream. */
export class RateMeter {
  private readonly counts: Float64Array;
  private readonly mask: number;
  private newest = -1;

  constructor(
    private readonly neurons: number,
    private readonly dt: number,
    readonly windowMs = 500,
  ) {
    const size = 1 << Math.ceil(Math.log2(Math.ceil(windowMs / dt) + 2));
    this.counts = new Float64Array(size);
    this.mask = size - 1;
  }

  spike(step: number): void {
    this.roll(step);
    if (step > this.newest - this.counts.length) this.counts[step & this.mask]!++;
  }

  /** Hz over the window that ends with the steps done (0 before a full window has run). */
  rate(doneSteps: number): number {
    this.roll(doneSteps - 1);
    const n = Math.round(this.windowMs / this.dt);
    if (doneSteps < n) return 0;
    let sum = 0;
    for (let s = doneSteps - n; s < doneSteps; s++) sum += this.counts[s & this.mask] as number;
    return sum / this.neurons / (this.windowMs / 1000);
  }

  clear(): void {
    this.counts.fill(0);
    this.newest = -1;
  }

  /** Zeroes the slots of the steps that become new. */
  private roll(step: number): void {
    if (step <= this.newest) return;
    const from = Math.max(this.newest + 1, step - this.counts.length + 1);
    for (let s = from; s <= step; s++) this.counts[s & this.mask] = 0;
    this.newest = step;
  }
}
