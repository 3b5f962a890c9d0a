/** A neuron's membrane potential over the last `windowMs`, one sample per step, spikes drawn as strokes to the peak. */
export interface TraceOptions {
  windowMs: number;
  dt: number;
  yMin: number;
  yMax: number;
  /** Value drawn for a spike step (the reset happens within the step, so the sample never shows it). */
  peak: number;
}

export class TracePlot {
  private readonly steps: Int32Array;
  private readonly values: Float64Array;
  /** Spike steps of the traced neuron, ascending (the spike ring and the probe ring are drained separately). */
  private spikes: number[] = [];
  private readonly size: number;
  private count = 0;
  private newest = -1;
  private readonly ctx: CanvasRenderingContext2D;

  constructor(
    readonly canvas: HTMLCanvasElement,
    private readonly options: TraceOptions,
  ) {
    this.size = Math.ceil(options.windowMs / options.dt);
    this.steps = new Int32Array(this.size);
    this.values = new Float64Array(this.size);
    this.ctx = canvas.getContext('2d')!;
  }

  /** Samples held (at most one window). */
  get points(): number {
    return this.count;
  }

  sample(step: number, value: number): void {
    if (step <= this.newest) return;
    const i = step % this.size;
    this.steps[i] = step;
    this.values[i] = value;
    this.newest = step;
    this.count = Math.min(this.size, this.count + 1);
  }

  /** Marks a spike of the traced neuron (its sample may arrive before or after). */
  spike(step: number): void {
    this.spikes.push(step);
  }

  clear(): void {
    this.count = 0;
    this.newest = -1;
    this.spikes = [];
  }

  draw(label: string): void {
    const { ctx, canvas, options } = this;
    const w = canvas.width;
    const h = canvas.height;
    ctx.fillStyle = '#0b0f17';
    ctx.fillRect(0, 0, w, h);
    const y = (v: number) => h - ((Math.min(options.yMax, Math.max(options.yMin, v)) - options.yMin) / (options.yMax - options.yMin)) * h;
    ctx.strokeStyle = 'rgba(255,255,255,0.12)';
    ctx.beginPath();
    for (const mv of [-80, -40, 0]) {
      ctx.moveTo(0, y(mv) + 0.5);
      ctx.lineTo(w, y(mv) + 0.5);
    }
    ctx.stroke();
    ctx.fillStyle = 'rgba(255,255,255,0.55)';
    ctx.font = '11px system-ui, sans-serif';
    for (const mv of [-80, -40, 0]) ctx.fillText(`${mv} mV`, 4, y(mv) - 3);
    ctx.fillText(label, 70, 12);
    if (this.count === 0) return;
    const first = this.newest - this.count + 1;
    const pxPerStep = w / this.size;
    const x0 = w - this.count * pxPerStep;
    ctx.strokeStyle = '#ffd54f';
    ctx.lineWidth = 1.25;
    while (this.spikes.length > 0 && (this.spikes[0] as number) < first) this.spikes.shift();
    let k = 0;
    ctx.beginPath();
    for (let s = first; s <= this.newest; s++) {
      const i = s % this.size;
      const x = x0 + (s - first) * pxPerStep;
      const v = this.values[i] as number;
      while (k < this.spikes.length && (this.spikes[k] as number) < s) k++;
      const spiked = this.spikes[k] === s;
      if (s === first) ctx.moveTo(x, y(spiked ? options.peak : v));
      else ctx.lineTo(x, y(spiked ? options.peak : v));
      if (spiked) ctx.lineTo(x, y(v));
    }
    ctx.stroke();
  }
}
