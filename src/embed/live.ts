/**
 * `LiveNetwork`: the page's handle on a network running in a Web Worker. Call `frame(now)` once
 * per animation frame: a fixed-timestep accumulator turns wall-clock time into whole steps and
 * asks the worker for them (one message per frame, none per spike). Between frames, read live
 * views of any variable, drain the spike ring, and change parameters or weights.
 *
 * Cross-origin-isolated pages share the worker's memory: views and rings are zero-copy. Elsewhere
 * (no SharedArrayBuffer) the worker sends one state message per batch with transferred buffers,
 * and the same views and rings are kept up to date from it: `transport` says which.
 */
import { checkOptionNames } from '../api/options.js';
import { LAST_STEP } from '../world/clock.js';
import { StepAccumulator, type AccumulatorOptions } from './accumulator.js';
import { canShare, EventRing } from './eventRing.js';
import type { FromWorker, LiveValue, PopulationInfo, ProjectionInfo, ToWorker, Transport } from './protocol.js';

export interface LiveNetworkOptions extends Omit<AccumulatorOptions, 'dt'> {
  /** Passed to the worker's builder. */
  options?: unknown;
  /** 'auto' (default): shared memory where the page is cross-origin isolated, else transferred buffers. */
  transport?: Transport | 'auto';
  /** Spikes the ring holds before an undrained reader loses the oldest (a power of two; default 2¹⁸). */
  spikeCapacity?: number;
}

const LIVE_OPTIONS = ['options', 'transport', 'spikeCapacity', 'speed', 'maxStepsPerFrame', 'maxFrameMs', 'paused'];

/** The minimal Worker surface used here (a DOM Worker, or anything shaped like it in tests). */
export interface WorkerLike {
  postMessage(message: unknown, transfer?: Transferable[]): void;
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
  addEventListener(type: 'error', listener: (event: ErrorEvent | Event) => void): void;
  terminate(): void;
}

/** Samples of one neuron's variable, one per step, in a ring of (step, value) events. */
export class Probe {
  /** Resolves once the worker samples; rejects when it refused the probe (no such variable, rank). */
  ready: Promise<void> = Promise.resolve();

  constructor(
    readonly id: number,
    readonly population: string,
    readonly variable: string,
    readonly rank: number,
    readonly ring: EventRing,
    private readonly owner: LiveNetwork,
  ) {}

  /** Stops sampling. */
  close(): Promise<void> {
    return this.owner.closeProbe(this);
  }
}

export class LiveNetwork {
  readonly transport: Transport;
  readonly dt: number;
  readonly populations: readonly PopulationInfo[];
  readonly projections: readonly ProjectionInfo[];
  /** The accumulator: speed, pause, cap on steps per frame, dropped steps. */
  readonly clock: StepAccumulator;
  /** Every spike: (step, neuron), neurons numbered population after population (see `neuron()`). */
  readonly spikes: EventRing;
  /** Messages exchanged with the worker since it was ready (there are none per spike). */
  readonly messages = { sent: 0, received: 0 };
  /** The last error the worker reported outside a request. */
  lastError: Error | null = null;

  private requested: number;
  private doneSteps: number;
  private readonly control: Int32Array | null;
  private readonly views = new Map<string, Readonly<Record<string, Float32Array | Float64Array>>>();
  private readonly mirror: Float64Array | null;
  private readonly probes = new Map<number, Probe>();
  private readonly pending = new Map<number, { resolve: () => void; reject: (e: Error) => void }>();
  private nextId = 1;
  private terminated = false;

  /** Starts network `name` (a builder the worker passed to `serveNetworks`) in `worker`. */
  static start(worker: WorkerLike, name: string, options: LiveNetworkOptions = {}): Promise<LiveNetwork> {
    const wanted = options.transport ?? 'auto';
    const transport: Transport = wanted === 'auto' ? (canShare() ? 'shared' : 'transfer') : wanted;
    if (transport === 'shared' && !canShare()) {
      return Promise.reject(new Error("transport 'shared' needs SharedArrayBuffer: serve the page cross-origin isolated (COOP same-origin + COEP require-corp)"));
    }
    let spikes: EventRing;
    try {
      // Bad clock options or capacity fail here, before the worker starts a network.
      checkOptionNames('LiveNetwork.start', options, LIVE_OPTIONS);
      StepAccumulator.check(options);
      spikes = EventRing.create(options.spikeCapacity ?? 1 << 18, transport === 'shared');
    } catch (e) {
      return Promise.reject(e);
    }
    const control = transport === 'shared' ? new SharedArrayBuffer(16) : null;
    return new Promise((resolve, reject) => {
      let live: LiveNetwork | null = null;
      worker.addEventListener('message', (event: MessageEvent) => {
        const msg = event.data as FromWorker;
        if (live) return live.receive(msg);
        if (msg.type === 'ready') {
          try {
            live = new LiveNetwork(worker, transport, spikes, control, msg, options);
          } catch (e) {
            worker.terminate();
            reject(e);
            return;
          }
          resolve(live);
        } else if (msg.type === 'error') {
          worker.terminate();
          reject(new Error(`network '${name}': ${msg.message}`));
        }
      });
      worker.addEventListener('error', (event: ErrorEvent | Event) => {
        const message = (event as ErrorEvent).message || 'the worker failed to load (see the console)';
        if (!live) {
          worker.terminate();
          reject(new Error(`network '${name}': ${message}`));
        } else live.fail(new Error(message));
      });
      const start: ToWorker = {
        type: 'start',
        network: name,
        options: options.options,
        transport,
        spikes: transport === 'shared' ? (spikes.buffer as SharedArrayBuffer) : null,
        control,
      };
      worker.postMessage(start);
    });
  }

  private constructor(
    private readonly worker: WorkerLike,
    transport: Transport,
    spikes: EventRing,
    control: SharedArrayBuffer | null,
    ready: Extract<FromWorker, { type: 'ready' }>,
    options: LiveNetworkOptions,
  ) {
    this.transport = transport;
    this.dt = ready.dt;
    this.populations = ready.populations;
    this.projections = ready.projections;
    this.spikes = spikes;
    this.control = control ? new Int32Array(control) : null;
    this.requested = ready.step;
    this.doneSteps = ready.step;
    this.clock = new StepAccumulator({ ...options, dt: ready.dt });
    this.mirror = ready.memory ? null : new Float64Array(ready.packetLength);
    if (ready.fields) this.mirror?.set(ready.fields);
    for (const pop of ready.populations) {
      const view: Record<string, Float32Array | Float64Array> = {};
      for (const [name, f] of Object.entries(pop.fields)) {
        view[name] = ready.memory
          ? new (f.type === 'f32' ? Float32Array : Float64Array)(ready.memory.buffer, f.byteOffset, f.length)
          : this.mirror!.subarray(f.packetOffset, f.packetOffset + f.length);
      }
      this.views.set(pop.name, Object.freeze(view));
    }
  }

  /** Steps the worker has completed. */
  get step(): number {
    return this.control ? Atomics.load(this.control, 0) : this.doneSteps;
  }

  /** Whether the network reached its last step (LAST_STEP, 59.7 h at dt 0.1 ms): frames ask for nothing more until reset(). */
  get ended(): boolean {
    return this.step >= LAST_STEP;
  }

  /** Simulated time the worker has reached, ms. */
  get time(): number {
    return this.step * this.dt;
  }

  get speed(): number {
    return this.clock.speed;
  }

  set speed(value: number) {
    this.clock.speed = value;
  }

  get paused(): boolean {
    return this.clock.paused;
  }

  pause(): void {
    this.clock.pause();
  }

  resume(): void {
    this.clock.resume();
  }

  /**
   * Runs `n` more steps at the next frames, also while paused. Asked for explicitly, they are never
   * dropped: past the per-frame cap they are spread over frames, and while the worker lags they
   * wait (the same as `clock.step(n)`).
   */
  stepOnce(n = 1): void {
    if (!(Number.isInteger(n) && n >= 0)) throw new RangeError(`stepOnce: expected an integer ≥ 0, got ${n}`);
    this.clock.step(n);
  }

  /** Steps not asked for because the worker was a frame's cap or more behind. */
  get lagDroppedSteps(): number {
    return this.clock.lagDroppedSteps;
  }

  /**
   * Call once per animation frame with its timestamp: asks the worker for the steps due.
   * Returns the number of steps asked for. If the worker is a frame's cap or more behind, the
   * steps are dropped (the network then runs slower than asked instead of falling behind).
   */
  frame(nowMs: number): number {
    if (this.terminated) return 0;
    // A frame's cap behind, the worker lags; nothing past the network's last step (see ended).
    const lagging = this.requested - this.step >= this.clock.maxStepsPerFrame;
    const due = this.clock.tick(nowMs, { lagging, limit: LAST_STEP - this.requested });
    if (due <= 0) return 0;
    this.requested += due;
    this.send({ type: 'advance', to: this.requested });
    return due;
  }

  /**
   * Live views of a population's variables and parameters (one array per name: Float64Array, or
   * Float32Array with setup({ precision: 'float' }) while shared). Shared:
   * views on the worker's memory, current to the step. Transfer: refreshed after each batch.
   * Read only: write with `set()`, which the worker applies between steps.
   */
  view(population: string): Readonly<Record<string, Float32Array | Float64Array>> {
    const v = this.views.get(population);
    if (!v) throw new Error(`no population '${population}'; this network has: ${[...this.views.keys()].join(', ')}`);
    return v;
  }

  /** Which population and rank a neuron number of the spike stream is. */
  neuron(index: number): { population: string; rank: number } {
    for (const p of this.populations) if (index >= p.offset && index < p.offset + p.size) return { population: p.name, rank: index - p.offset };
    throw new RangeError(`neuron ${index} is outside this network (0..${this.neuronCount - 1})`);
  }

  /** Neurons of every population together. */
  get neuronCount(): number {
    const last = this.populations[this.populations.length - 1];
    return last ? last.offset + last.size : 0;
  }

  /** Writes parameters or variables of a population (e.g. `{ rates: 20 }`) before the next step. */
  set(population: string, values: Record<string, LiveValue>): Promise<void> {
    if (typeof values !== 'object' || values === null || Array.isArray(values)) {
      return Promise.reject(new Error(`set('${population}', …): give an object of attributes, e.g. { rates: 20 }, got ${String(values)}`));
    }
    return this.request({ type: 'set', id: 0, population, values });
  }

  /** `pop.enable()` in the worker, before the next step (see Population.enable). */
  enable(population: string): Promise<void> {
    return this.request({ type: 'enable', id: 0, population, on: true });
  }

  /** `pop.disable()` in the worker, before the next step: the population stops computing (see Population.disable). */
  disable(population: string): Promise<void> {
    return this.request({ type: 'enable', id: 0, population, on: false });
  }

  /** Sets a projection's weights: `{ scale }` of the weights at start, one number, or one per synapse. */
  setWeights(projection: string, weights: LiveValue | { scale: number }): Promise<void> {
    const plainObject = typeof weights === 'object' && weights !== null && !Array.isArray(weights) && !ArrayBuffer.isView(weights);
    if (weights === null || weights === undefined || (plainObject && !('scale' in weights))) {
      const got = plainObject ? `{ ${Object.keys(weights).join(', ')} }` : String(weights);
      return Promise.reject(new Error(`setWeights('${projection}', …): give { scale }, one number, or one value per synapse, got ${got}`));
    }
    const msg: ToWorker =
      typeof weights === 'object' && 'scale' in weights
        ? { type: 'weights', id: 0, projection, scale: weights.scale }
        : { type: 'weights', id: 0, projection, value: weights as LiveValue };
    return this.request(msg);
  }

  /** Starts sampling `variable` of one neuron every step into a ring of `capacity` samples. */
  probe(population: string, variable: string, rank: number, capacity = 1 << 14): Probe {
    const ring = EventRing.create(capacity, this.transport === 'shared');
    const probe = new Probe(this.nextId++, population, variable, rank, ring, this);
    this.probes.set(probe.id, probe);
    probe.ready = this.request({
      type: 'probe',
      id: 0,
      probe: probe.id,
      population,
      variable,
      rank,
      buffer: this.transport === 'shared' ? (ring.buffer as SharedArrayBuffer) : null,
    });
    // Also in lastError for a page that does not await ready (not the reason of a stop: fail()
    // has put the worker's own error there).
    probe.ready.catch((e: Error) => {
      this.probes.delete(probe.id);
      if (!this.terminated) this.lastError = e;
    });
    return probe;
  }

  /** @internal */
  closeProbe(probe: Probe): Promise<void> {
    this.probes.delete(probe.id);
    return this.request({ type: 'unprobe', id: 0, probe: probe.id });
  }

  /** Back to step 0 with the state at compile, weights included (the run then replays). */
  async reset(): Promise<void> {
    // Count from 0 as the request leaves: a frame before the worker answers then asks for steps
    // after the reset (messages arrive in order), not for the old count again, which ran the
    // worker straight back to where it was and froze the clock until the page caught up.
    this.requested = 0;
    this.clock.clearSteps();
    await this.request({ type: 'reset', id: 0 });
    this.doneSteps = 0;
  }

  /** Stops the worker; pending requests are rejected. */
  terminate(): void {
    this.stop(new Error('the live network was terminated'));
  }

  /**
   * @internal The worker raised an error outside a request (an 'error' event): it may be dead or
   * halfway through a request that will never be answered. Stopped like terminate(), the pending
   * requests rejected with the error; `lastError` holds it and frames ask for nothing more.
   */
  fail(error: Error): void {
    this.lastError = error;
    this.stop(new Error(`the live network's worker failed: ${error.message}`));
  }

  private stop(reason: Error): void {
    if (this.terminated) return;
    this.terminated = true;
    this.worker.terminate();
    for (const p of this.pending.values()) p.reject(reason);
    this.pending.clear();
  }

  private request(msg: Extract<ToWorker, { id: number }>): Promise<void> {
    if (this.terminated) return Promise.reject(new Error('the live network was terminated'));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.send({ ...msg, id });
    });
  }

  private send(msg: ToWorker): void {
    this.messages.sent++;
    this.worker.postMessage(msg);
  }

  private receive(msg: FromWorker): void {
    this.messages.received++;
    switch (msg.type) {
      case 'state': {
        this.mirror?.set(msg.fields);
        const s = msg.spikes;
        for (let k = 0; k < s.length; k += 2) this.spikes.push(s[k] as number, s[k + 1] as number);
        this.spikes.publish();
        for (const t of msg.traces) {
          const ring = this.probes.get(t.probe)?.ring;
          if (!ring) continue;
          for (let k = 0; k < t.samples.length; k += 2) ring.push(t.samples[k] as number, t.samples[k + 1] as number);
          ring.publish();
        }
        this.doneSteps = msg.step;
        return;
      }
      case 'done':
        this.doneSteps = this.control ? this.doneSteps : msg.step;
        this.pending.get(msg.id)?.resolve();
        this.pending.delete(msg.id);
        return;
      case 'error': {
        const error = new Error(msg.message);
        const p = msg.id === null ? undefined : this.pending.get(msg.id);
        if (p) {
          this.pending.delete(msg.id!);
          p.reject(error);
        } else this.lastError = error;
        return;
      }
      case 'ready':
        return;
    }
  }
}
