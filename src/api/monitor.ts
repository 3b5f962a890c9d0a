/**
 * `Monitor`: records variables of a population (every `period` ms) and its spikes (every step),
 * or the per-synapse variables of a projection (`w`; STP's `x`, `u`) as rows in CSR order.
 * `get()` hands the data over and empties the buffers, as in ANNarchy; the analysis methods read
 * the recording without emptying it.
 */
import { IntBuffer, RowBuffer, type IntData, type Recorder, type RowChunks } from '../../components/recorder.js';
import * as analysis from '../analysis/spikes.js';
import type { SpikeRecord } from '../analysis/spikeRecord.js';
import { SpikeworldError } from '../errors.js';
import { declarationWarning } from '../parallel/context.js';
import { stepsToMs } from '../world/clock.js';
import type { MonitorEntry, World } from '../world/world.js';
import { optionsObject } from './options.js';
import { currentOwner, type Owner } from './owner.js';
import type { PopulationBase } from './population.js';
import { Projection } from './projection.js';
import { populationOf, PopulationView } from './view.js';
import { newObjectId } from './registry.js';

export interface MonitorOptions {
  /** ms between two recorded rows of the variables (spikes are recorded every step). Default: dt. */
  period?: number;
  /** Record from compile (default) or only after `start()`. */
  start?: boolean;
}

/** Options of a projection monitor's get(). */
export interface ProjectionGetOptions {
  /** ANNarchy's shape: per row, one array per dendrite (post rank with synapses, ascending), each by ascending pre rank. */
  perDendrite?: boolean;
}

/** A projection's variables need no gather scratch. */
const NO_SCRATCH = new Float64Array(0);

/** 'w' on any projection, 'x' and 'u' on an STP one: the per-synapse arrays a step changes or reads. */
function checkProjectionVariables(projection: Projection, names: readonly string[], label: string): void {
  const entry = projection.entry;
  if (!entry.recipe) {
    throw new SpikeworldError(`${label}: ${entry.label} is not connected yet; call one of its connect… methods before making a monitor on it`);
  }
  const recordable = entry.stp ? ['w', 'x', 'u'] : ['w'];
  for (const name of names) {
    if (recordable.includes(name)) continue;
    const stpHint = name === 'x' || name === 'u' ? ` (${name} is a variable of STP(…) synapses; this projection's are ${entry.stdp ? 'STDP(…)' : 'static'})` : '';
    throw new SpikeworldError(`${label}: unknown variable '${String(name)}'${stpHint}; it can record one of ${recordable.join(', ')}`);
  }
}

/** The window of every spike list a monitor's get('spike') handed over (for the analyses given one). */
const handedOver = new WeakMap<Int32Array[], SpikeRecord>();

/** Internal: what a copy needs. */
export interface MonitorCopy {
  id: number;
  variables: readonly string[];
  period: number | undefined;
  start: boolean;
}

/** A monitor's recording state (and data: its buffers themselves, see RowChunks) as it crosses threads. */
export interface MonitorSnapshot {
  id: number;
  active: boolean;
  wantsActive: boolean;
  startStep: number;
  windowStart: number;
  recordedSteps: number;
  segmentStart: number;
  variables: { rows: RowChunks; steps: IntData }[];
  spikes: { steps: IntData; ranks: IntData } | null;
}

/** Spike data an analysis takes: the lists of `get('spike')`, or the object of `get()` / `get(['spike', …])` holding them under `spike` (as ANNarchy's take get()'s dict). */
export type SpikeData = Int32Array[] | Readonly<Record<string, Float64Array[] | Int32Array[]>>;

export class Monitor {
  readonly id: number;
  /**
   * The population or view recorded (with a view, rows and spike lists follow the view's order),
   * or the projection (rows: one value per synapse, in CSR order, as `proj.w`).
   */
  readonly target: PopulationBase | PopulationView | Projection;
  readonly variables: readonly string[];
  /** @internal */
  readonly owner: Owner;
  private readonly periodMs: number | undefined;
  private readonly startAtCompile: boolean;
  private recorder: Recorder | null = null;
  /** Recording bookkeeping, in steps: the window since the last get()/reset(). */
  private windowStart = -1;
  private recordedSteps = 0;
  private segmentStart = -1;
  /** The window of the last `get('spike')`, so analysis of that data knows its duration. */
  private lastSpikeGet: SpikeRecord | null = null;
  private wantsActive: boolean;
  /** Step of the network when it was disposed (-1 while it lives). */
  private stepAtRelease = -1;
  /** Latest step of a window that a reset({ monitors: false }) moved the clock back from. */
  private stepBeforeClockReset = 0;

  constructor(target: PopulationBase | PopulationView | Projection, variables: string | readonly string[], options: MonitorOptions = {}, copy?: MonitorCopy) {
    this.owner = currentOwner();
    if (!target || typeof target !== 'object' || !(target instanceof PopulationView || target instanceof Projection || 'data' in target)) {
      throw new SpikeworldError(`Monitor: the target must be a Population, a PopulationView or a Projection, got ${String(target)}`);
    }
    const projection = target instanceof Projection ? target : null;
    const label = projection ? `Monitor on projection '${target.name}'` : `Monitor on '${target.name}'`;
    const owner = projection ? projection.owner : populationOf(target as PopulationBase | PopulationView).owner;
    if (owner !== this.owner) {
      throw new SpikeworldError(`Monitor: the ${projection ? 'projection' : 'population'} '${target.name}' belongs to ${owner.label}, not ${this.owner.label}`);
    }
    const names = typeof variables === 'string' ? [variables] : [...(variables ?? [])];
    if (names.length === 0) throw new SpikeworldError(`${label}: name at least one variable${projection ? '' : " or 'spike'"}`);
    if (projection) checkProjectionVariables(projection, names, label);
    else {
      const population = populationOf(target as PopulationBase | PopulationView);
      for (const name of names) {
        if (name !== 'spike' && !population.data.info.has(name)) {
          throw new SpikeworldError(`${label}: unknown variable '${name}'; it can record 'spike' or one of ${population.attributes.join(', ')}`);
        }
      }
    }
    if (new Set(names).size !== names.length) {
      throw new SpikeworldError(`${label}: a variable is listed twice in ${JSON.stringify(names)}`);
    }
    options = optionsObject(label, options, ['period', 'start']);
    const period = copy ? copy.period : options.period;
    const dt = this.owner.world.dt;
    if (period !== undefined && !(typeof period === 'number' && period > 0 && Number.isFinite(period))) {
      throw new SpikeworldError(`${label}: period must be a positive number of ms, got ${String(period)}`);
    }
    const steps = period === undefined ? 1 : Math.round(period / dt);
    if (steps < 1) {
      throw new SpikeworldError(`${label}: period ${period} ms is shorter than one step (dt = ${dt} ms)`);
    }
    if (period !== undefined && !copy && Math.abs(steps * dt - period) > 1e-9 * period) {
      declarationWarning(`${label}: period ${period} ms is not a multiple of dt (${dt} ms); rows are recorded every ${stepsToMs(steps, dt)} ms`);
    }
    if (projection && steps === 1 && !copy) {
      // As ANNarchy's Monitor: "it is a bad idea to record synaptic variables of a projection at each time step".
      declarationWarning(
        `${label}: recording every step (period = dt = ${dt} ms) keeps one row of all its synapses per step; give a longer period ({ period: 10 }) unless you need every step`,
      );
    }
    this.id = copy ? copy.id : newObjectId();
    this.target = target;
    this.variables = Object.freeze(names);
    this.periodMs = period;
    this.startAtCompile = copy ? copy.start : options.start ?? true;
    this.wantsActive = this.startAtCompile;
    const entry: MonitorEntry = {
      population: projection ? null : populationOf(target as PopulationBase | PopulationView).data,
      recorder: null,
      attach: (world) => this.attach(world),
      release: () => this.release(),
    };
    this.owner.world.addMonitor(entry);
    this.owner.register(this);
  }

  /** ms between recorded rows: the period asked for, rounded to whole steps. */
  get period(): number {
    return stepsToMs(this.periodSteps, this.owner.world.dt);
  }

  private get periodSteps(): number {
    const dt = this.owner.world.dt;
    return Math.max(1, Math.round((this.periodMs ?? dt) / dt));
  }

  private attach(world: World): void {
    this.recorder = this.target instanceof Projection ? this.projectionRecorder(world, this.target) : this.populationRecorder(world, this.target);
    world.runtime!.recorders.push(this.recorder);
    if (this.wantsActive) this.begin(true);
  }

  /** A projection's rows: its arena arrays themselves (weights, STP's x and u), whole, in CSR order. */
  private projectionRecorder(world: World, projection: Projection): Recorder {
    const synapses = projection.entry.synapses!;
    const stp = world.stpState(projection.entry);
    return {
      active: false,
      periodSteps: this.periodSteps,
      startStep: 0,
      variables: this.variables.map((name) => {
        const source = name === 'w' ? synapses.w : stp![name as 'x' | 'u'];
        return { name, source, rows: new RowBuffer(source.length), steps: new IntBuffer(), gather: null, scratch: NO_SCRATCH };
      }),
      spikes: null,
    };
  }

  private populationRecorder(world: World, target: PopulationBase | PopulationView): Recorder {
    const data = populationOf(target).data;
    const pop = world.populations.indexOf(data);
    const rt = world.runtime!;
    const view = target instanceof PopulationView ? target.ranks : null;
    let position: Int32Array | null = null;
    if (view) {
      position = new Int32Array(data.size).fill(-1);
      view.forEach((rank, k) => (position![rank] = k));
    }
    return {
      active: false,
      periodSteps: this.periodSteps,
      startStep: 0,
      variables: this.variables
        .filter((v) => v !== 'spike')
        .map((name) => {
          const source = data.fields[name] as Float64Array;
          const gather = view && !data.info.get(name)?.global ? view : null;
          return { name, source, rows: new RowBuffer(gather ? gather.length : source.length), steps: new IntBuffer(), gather, scratch: new Float64Array(gather ? gather.length : 0) };
        }),
      spikes: this.variables.includes('spike')
        ? { ring: rt.populations[pop]!.ring, steps: new IntBuffer(), ranks: new IntBuffer(), position }
        : null,
    };
  }

  private release(): void {
    const rec = this.recorder;
    if (!rec) return;
    this.pause();
    // The recording's window ends where the network stopped, for analyses after dispose().
    this.stepAtRelease = this.now();
    rec.variables = rec.variables.map((v) => ({ ...v, source: new Float64Array(0) }));
    if (rec.spikes) rec.spikes = { ...rec.spikes, ring: { depth: 1, size: 0, counts: new Int32Array(1), ranks: new Uint32Array(0) } };
  }

  /** Starts recording now (for monitors made with `{ start: false }`); rows fall every period from now. */
  start(): void {
    this.wantsActive = true;
    if (this.recorder && !this.recorder.active) this.begin(true);
  }

  /** Stops recording until `resume()`; the paused interval is simply missing from the data. */
  pause(): void {
    this.wantsActive = false;
    const rec = this.recorder;
    if (!rec || !rec.active) return;
    rec.active = false;
    this.recordedSteps += this.now() - this.segmentStart;
  }

  /** Records again after pause(), keeping the period grid of start() (as ANNarchy does). */
  resume(): void {
    this.wantsActive = true;
    if (this.recorder && !this.recorder.active) this.begin(false);
  }

  /**
   * @internal the network's clock went back to 0 while this monitor keeps its data: the recorded
   * duration adds up across the reset, the period grid and the window restart at step 0.
   */
  clockReset(): void {
    const rec = this.recorder;
    const now = this.now();
    this.stepBeforeClockReset = Math.max(this.stepBeforeClockReset, now);
    if (rec?.active) this.recordedSteps += now - this.segmentStart;
    this.segmentStart = 0;
    if (this.windowStart > 0) this.windowStart = 0;
    if (rec) rec.startStep = 0;
  }

  /** Empties the recording; recording continues if it was on. */
  reset(): void {
    this.clearBuffers();
    this.restartWindow();
  }

  /**
   * Hands over the recorded data and empties the buffers of what it returns: a variable gives
   * one row (a copy of `size` values) per recorded step; `'spike'` gives, per rank, the steps at
   * which it spiked (and starts a new window for the spike analyses). A projection's variable
   * gives one row per recorded step with one value per synapse in CSR order (as `proj.w`), or with
   * `{ perDendrite: true }` ANNarchy's shape: per row, one array per dendrite (`proj.dendrite(r)`
   * for each post rank r with synapses, ascending), each by ascending pre rank.
   */
  get(name: 'spike'): Int32Array[];
  get(name: string, options: ProjectionGetOptions & { perDendrite: true }): Float64Array[][];
  get(name: string, options?: ProjectionGetOptions): Float64Array[];
  get<K extends string>(names: readonly K[]): { [P in K]: P extends 'spike' ? Int32Array[] : Float64Array[] };
  get(): Record<string, Float64Array[] | Int32Array[]>;
  get(name?: string | readonly string[], options?: ProjectionGetOptions): Float64Array[] | Float64Array[][] | Int32Array[] | Record<string, Float64Array[] | Int32Array[]> {
    if (options !== undefined) {
      const { perDendrite } = optionsObject(`${this}: get()`, options, ['perDendrite']);
      if (perDendrite !== undefined && typeof perDendrite !== 'boolean') {
        throw new SpikeworldError(`${this}: get(name, { perDendrite }) takes true or false, got ${String(perDendrite)}`);
      }
      if (perDendrite) return this.takePerDendrite(name);
    }
    if (name === undefined || Array.isArray(name)) {
      // ANNarchy's get(['spike', 'v']): an object by name. Every name is checked before any is taken.
      const names: readonly string[] = name ?? this.variables;
      for (const n of names) this.assertRecorded(n);
      // A second take of a name would hand over its emptied buffer in place of the data.
      if (new Set(names).size !== names.length) throw new SpikeworldError(`${this}: get() lists a name twice: ${JSON.stringify(names)}`);
      const all: Record<string, Float64Array[] | Int32Array[]> = {};
      for (const n of names) all[n] = this.take(n);
      return all;
    }
    return this.take(name as string);
  }

  /** Recorded steps of each row of `name` (without emptying). */
  times(name: string): Int32Array {
    this.assertRecorded(name);
    if (name === 'spike') throw new SpikeworldError(`${this}: times() gives the steps of recorded rows; spikes have their steps in get('spike')`);
    const v = this.variableBuffer(name);
    return v ? v.steps.data.slice(0, v.steps.length) : new Int32Array(0);
  }

  /** `[timesMs, ranks]` of every spike, grouped by rank ascending, then by time (population ranks, also for a view). */
  rasterPlot(spikes?: SpikeData): [Float64Array, Int32Array] {
    return analysis.rasterPlot(this.spikeRecord(spikes));
  }

  /** Mean firing rate in Hz: spikes / neurons / recorded duration. */
  meanFr(spikes?: SpikeData): number {
    return analysis.meanFr(this.spikeRecord(spikes, 'meanFr'));
  }

  /** Spike counts per bin of `binMs` over the recording window. */
  histogram(binMs?: number, spikes?: SpikeData): Int32Array {
    this.assertNumberFirst('histogram', 'binMs', binMs);
    return analysis.histogram(this.spikeRecord(spikes, 'histogram'), binMs);
  }

  /** Population rate in Hz per step, optionally low-pass filtered with `smoothMs`. */
  populationRate(smoothMs = 0, spikes?: SpikeData): Float64Array {
    this.assertNumberFirst('populationRate', 'smoothMs', smoothMs);
    return analysis.populationRate(this.spikeRecord(spikes, 'populationRate'), smoothMs);
  }

  /**
   * Per-neuron rate from the inverse ISI (ANNarchy's `smoothed_rate`), Hz per step of the recording
   * window, one array per recorded neuron (view order), optionally low-pass filtered with `smoothMs`.
   */
  smoothedRate(smoothMs = 0, spikes?: SpikeData): Float64Array[] {
    this.assertNumberFirst('smoothedRate', 'smoothMs', smoothMs);
    return analysis.smoothedRate(this.spikeRecord(spikes, 'smoothedRate'), smoothMs);
  }

  /**
   * Inter-spike intervals in ms: of the neurons with ≥ 2 spikes, concatenated in ascending
   * population rank; or with `{ perNeuron: true }` one array per recorded neuron, in the order of
   * get('spike') (ANNarchy's `per_neuron`).
   */
  interSpikeInterval(spikes: SpikeData | undefined, options: { perNeuron: true }): Float64Array[];
  interSpikeInterval(spikes?: SpikeData, options?: { perNeuron?: false }): Float64Array;
  interSpikeInterval(spikes?: SpikeData, options?: analysis.IsiOptions): Float64Array | Float64Array[];
  interSpikeInterval(spikes?: SpikeData, options: analysis.IsiOptions = {}): Float64Array | Float64Array[] {
    return analysis.interSpikeInterval(this.spikeRecord(spikes), options);
  }

  /** Coefficient of variation of the ISIs, per neuron with ≥ 2 intervals. */
  coefficientOfVariation(spikes?: SpikeData): Float64Array {
    return analysis.coefficientOfVariation(this.spikeRecord(spikes));
  }

  /**
   * The spikes (given, or recorded so far, without emptying) with their recording window: what
   * the `analysis.*` functions take, as this monitor's own analysis methods do.
   */
  spikeData(spikes?: SpikeData): SpikeRecord {
    return this.spikeRecord(spikes, 'spikeData');
  }

  /** @internal */
  copyState(): MonitorCopy {
    return { id: this.id, variables: this.variables, period: this.periodMs, start: this.startAtCompile };
  }

  /**
   * @internal recording state and (optionally) data, to move a running monitor across threads:
   * the data is shared, not copied, so this monitor records nothing more until it takes the
   * other thread's snapshot back (restore), as a networks-mode parallelRun does.
   */
  snapshot(withData: boolean): MonitorSnapshot {
    const rec = this.recorder;
    return {
      id: this.id,
      active: rec?.active ?? false,
      wantsActive: this.wantsActive,
      startStep: rec?.startStep ?? 0,
      windowStart: this.windowStart,
      recordedSteps: this.recordedSteps,
      segmentStart: this.segmentStart,
      variables: withData && rec ? rec.variables.map((v) => ({ rows: v.rows.share(), steps: v.steps.share() })) : [],
      spikes: withData && rec?.spikes ? { steps: rec.spikes.steps.share(), ranks: rec.spikes.ranks.share() } : null,
    };
  }

  /** @internal takes over the state of `s` and its data, in place of this monitor's. */
  restore(s: MonitorSnapshot): void {
    const rec = this.recorder;
    if (!rec) throw new SpikeworldError(`${this}: cannot restore a recording before compile()`);
    rec.active = s.active;
    rec.startStep = s.startStep;
    this.wantsActive = s.wantsActive;
    this.windowStart = s.windowStart;
    this.recordedSteps = s.recordedSteps;
    this.segmentStart = s.segmentStart;
    s.variables.forEach((v, k) => {
      const mine = rec.variables[k]!;
      mine.rows.adopt(v.rows);
      mine.steps.adopt(v.steps);
    });
    if (rec.spikes && s.spikes) {
      rec.spikes.steps.adopt(s.spikes.steps);
      rec.spikes.ranks.adopt(s.spikes.ranks);
    }
  }

  toString(): string {
    const what = this.target instanceof Projection ? `projection '${this.target.name}'` : `'${this.target.name}'`;
    return `Monitor on ${what} (${this.variables.join(', ')})`;
  }

  /** A projection variable's rows, each cut into its dendrites (ANNarchy's per-dendrite lists). */
  private takePerDendrite(name: unknown): Float64Array[][] {
    const projection = this.target;
    if (!(projection instanceof Projection)) {
      throw new SpikeworldError(`${this}: perDendrite is for monitors on a projection; a population's rows are one value per neuron`);
    }
    if (typeof name !== 'string') {
      throw new SpikeworldError(`${this}: get(name, { perDendrite: true }) takes one variable name, got ${Array.isArray(name) ? JSON.stringify(name) : String(name)}`);
    }
    this.assertRecorded(name);
    // Before take(): a disposed network's error must not lose the data.
    const { start, synapse, ranks } = projection.dendriteIndex(`get('${name}', { perDendrite: true })`);
    return (this.take(name) as Float64Array[]).map((row) =>
      Array.from(ranks, (q) => {
        const from = start[q] as number;
        const out = new Float64Array((start[q + 1] as number) - from);
        for (let i = 0; i < out.length; i++) out[i] = row[synapse[from + i] as number] as number;
        return out;
      }),
    );
  }

  private begin(newGrid: boolean): void {
    const rec = this.recorder!;
    rec.active = true;
    if (newGrid) rec.startStep = this.now();
    this.segmentStart = this.now();
    if (this.windowStart < 0) this.windowStart = this.now();
  }

  private now(): number {
    if (this.stepAtRelease >= 0) return this.stepAtRelease;
    return this.owner.world.compiled ? this.owner.world.step : 0;
  }

  private variableBuffer(name: string) {
    return this.recorder?.variables.find((v) => v.name === name);
  }

  private assertRecorded(name: unknown): void {
    if (typeof name !== 'string' || !this.variables.includes(name)) {
      throw new SpikeworldError(`${this}: '${String(name)}' is not recorded; recorded: ${this.variables.join(', ')}`);
    }
  }

  private take(name: string): Float64Array[] | Int32Array[] {
    this.assertRecorded(name);
    if (name === 'spike') {
      const record = this.spikeRecord();
      this.lastSpikeGet = record;
      handedOver.set(record.spikes, record);
      this.recorder?.spikes?.steps.clear();
      this.recorder?.spikes?.ranks.clear();
      this.restartWindow();
      return record.spikes;
    }
    const v = this.variableBuffer(name);
    if (!v) return [];
    const rows = v.rows.takeRows();
    v.steps.clear();
    return rows;
  }

  /** The spike analyses' window starts again now. */
  private restartWindow(): void {
    this.stepBeforeClockReset = 0;
    const active = this.recorder?.active ?? false;
    this.windowStart = active ? this.now() : -1;
    this.segmentStart = this.now();
    this.recordedSteps = 0;
  }

  private clearBuffers(): void {
    const rec = this.recorder;
    if (!rec) return;
    for (const v of rec.variables) {
      v.rows.clear();
      v.steps.clear();
    }
    rec.spikes?.steps.clear();
    rec.spikes?.ranks.clear();
  }

  /**
   * ANNarchy's analyses take (spikes, bins) / (spikes, smooth); ours take the number first. A spike
   * list in the number's place would otherwise fail as "got 1,3,5" without saying why.
   */
  private assertNumberFirst(fn: string, name: string, value: unknown): void {
    if (value !== null && typeof value === 'object') {
      throw new SpikeworldError(
        `${this}: ${fn}(${name}, spikes) takes the number first and the spike lists second ` +
          `(ANNarchy's order is the other way round), got spike data as ${name}`,
      );
    }
  }

  /** The spikes (given, or recorded so far) with their window; `rateOf`: the analysis needs the window's duration. */
  private spikeRecord(data?: SpikeData, rateOf?: string): SpikeRecord {
    if (this.target instanceof Projection) {
      // "create the monitor with 'spike'" would send the user to a monitor the projection refuses.
      throw new SpikeworldError(
        `${this}: a projection monitor records synaptic variables, not spikes: the spike analyses need a monitor of a population, new Monitor(proj.post, 'spike')`,
      );
    }
    if (!this.variables.includes('spike')) {
      throw new SpikeworldError(`${this}: 'spike' is not recorded; create the monitor with 'spike' among its variables`);
    }
    const dt = this.owner.world.dt;
    let given = data as Int32Array[] | null | undefined;
    if (data != null && !Array.isArray(data)) {
      // ANNarchy's analyses also take the whole dict of get() ({'spike': ...}); so do we, from
      // get() / get(['spike', ...]). Anything else would fail deep inside as "not iterable".
      const inner = typeof data === 'object' ? (data as { spike?: unknown }).spike : undefined;
      if (!Array.isArray(inner)) {
        throw new SpikeworldError(
          `${this}: the spike data must be the lists of get('spike') (one Int32Array of steps per neuron) or the object of get() holding them under 'spike', got ${Object.prototype.toString.call(data)}`,
        );
      }
      given = inner as Int32Array[];
    }
    if (given) {
      // What a monitor's get('spike') in this thread returned knows its own window; other lists
      // (built by the caller, or copies: from a worker, structuredClone) take this monitor's last
      // one, as in ANNarchy. Without one, only the analyses that need no duration run.
      const known = handedOver.get(given);
      if (known) return known;
      const last = this.lastSpikeGet;
      if (!last) {
        if (rateOf) {
          throw new SpikeworldError(
            `${this}: ${rateOf}() of these spike lists needs their recording window, and they did not come from a get('spike') here ` +
              `(a worker's or a copy's lists carry none) nor has this monitor handed over any: call it on the monitor that recorded them, in the thread where it did`,
          );
        }
        return { spikes: given, dt, durationSteps: 0, startStep: 0, stopStep: 0 };
      }
      const { ranks, ...window } = last;
      // The view's ranks apply only to lists of its length.
      return ranks && given.length === last.spikes.length ? { ...window, ranks, spikes: given } : { ...window, spikes: given };
    }
    const size = this.target.size;
    const sp = this.recorder?.spikes;
    const counts = new Int32Array(size);
    const n = sp ? sp.ranks.length : 0;
    for (let k = 0; k < n; k++) counts[sp!.ranks.data[k] as number]!++;
    const spikes = Array.from({ length: size }, (_, r) => new Int32Array(counts[r] as number));
    counts.fill(0);
    // Steps were appended in time order, so each rank's list comes out ascending.
    for (let k = 0; k < n; k++) {
      const r = sp!.ranks.data[k] as number;
      (spikes[r] as Int32Array)[counts[r]!++] = sp!.steps.data[k] as number;
    }
    const now = this.now();
    const active = this.recorder?.active ?? false;
    const durationSteps = this.recordedSteps + (active ? now - this.segmentStart : 0);
    const startStep = this.windowStart < 0 ? now : this.windowStart;
    const ranks = this.target instanceof PopulationView ? { ranks: this.target.ranks } : {};
    return { spikes, dt, durationSteps, startStep, stopStep: Math.max(startStep, now, this.stepBeforeClockReset), ...ranks };
  }
}
