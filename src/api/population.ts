/**
 * `Population`: a group of neurons of one model, with every parameter and variable of the model
 * readable and writable by name (`pop.v`, `pop.get('v')`, `pop.set({ v: -65 })`).
 */
import { SpikeworldError } from '../errors.js';
import type { NeuronSpec } from '../model/ast.js';
import { FIRING_RATE, PopulationData, type Fields, type PopulationKind, type StateArray } from '../world/populationData.js';
import { stepsToMs } from '../world/clock.js';
import { declarationWarning } from '../parallel/context.js';
import type { SpikeSchedule } from '../world/spikeSchedule.js';
import type { TimedRates } from '../world/timedRates.js';
import type { KernelInfo } from '../world/kernels.js';
import { toSpec, type NeuronLike } from './neuron.js';
import { optionsObject } from './options.js';
import { currentOwner, type Owner } from './owner.js';
import { newObjectId, peekObjectId } from './registry.js';
import { describe, resolveValues, type Assignable } from './values.js';
import { PopulationView } from './view.js';
import { rankRange } from '../world/ranks.js';

export interface PopulationOptions {
  name?: string;
  /**
   * Condition for `simulateUntil`, in the model language with `: any` (default) or `: all`,
   * e.g. `'spiked : any'`, `'g_exc > 5 : all'` or `'r > 10 : any'` (the firing rate, once
   * computeFiringRate counts). Tested after each step's reset (as in ANNarchy):
   * a threshold on `v` never holds for a neuron that has just fired; use `spiked` for that.
   */
  stopCondition?: string;
}

export type Geometry = number | readonly number[];

/** Internal: how a copy is made (same id, name and model; values copied). */
export interface PopulationCopy {
  id: number;
  name: string;
  geometry: readonly number[];
  spec: NeuronSpec;
  kind: PopulationKind;
  fields: Fields;
  stopCondition?: string;
  /** A spike source array's spikes (never modified: the copy may share them). */
  schedule?: SpikeSchedule;
  /** A timed Poisson population's rates and schedule (never modified: the copy may share them). */
  timed?: TimedRates;
  /** Whether the original computes when the copy is made (a disabled population stays disabled, as in ANNarchy). */
  enabled: boolean;
  /** computeFiringRate's window (the copy counts from its own step 0). */
  firingRate?: { ms: number; steps: number };
}

const CONSTRUCTORS: Record<PopulationKind, string> = {
  neuron: 'new Population()',
  poisson: 'new PoissonPopulation()',
  spikeSource: 'new SpikeSourceArray()',
  timedPoisson: 'new TimedPoissonPopulation()',
};

/**
 * A name is a non-empty string, unique in its network (ANNarchy's docs: "an unique string for
 * each population"): errors, warnings and worker mismatches name populations by it, and two
 * called 'exc' would make those ambiguous.
 */
function checkedName(kind: PopulationKind, given: unknown, id: number, owner: Owner): string {
  const label = CONSTRUCTORS[kind];
  // null too is the default (ANNarchy's name=None).
  if (given != null && (typeof given !== 'string' || given === '')) {
    throw new SpikeworldError(`${label}: name must be a non-empty string such as 'exc', got ${describe(given)}`);
  }
  const name = (given as string | null | undefined) ?? `pop${id}`;
  if (owner.world.populations.some((p) => p.name === name)) {
    throw new SpikeworldError(
      given == null
        ? `${label}: its default name '${name}' is taken by another population of ${owner.label}; give this one a name ({ name: 'exc' })`
        : `${label}: ${owner.label} already has a population named '${name}'; give this one another name ({ name: '${name}2' })`,
    );
  }
  return name;
}

function checkedStopCondition(kind: PopulationKind, condition: unknown): string | undefined {
  if (condition !== undefined && typeof condition !== 'string') {
    throw new SpikeworldError(
      `${CONSTRUCTORS[kind]}: stopCondition must be a condition in the model language such as 'spiked : any' or 'v > -50 : all', got ${describe(condition)}`,
    );
  }
  return condition;
}

export class PopulationBase {
  readonly id: number;
  readonly name: string;
  readonly geometry: readonly number[];
  readonly size: number;
  readonly stopCondition: string | undefined;
  /** @internal the network this population belongs to. */
  readonly owner: Owner;
  /** @internal its data in that network's world. */
  readonly data: PopulationData;
  /**
   * Firing rate in Hz per neuron over computeFiringRate's window (a copy); 0 until it is called.
   * Every population has it, but one whose model defines an `r` of its own (then that `r`).
   */
  declare readonly r: Float64Array;

  /** @internal */
  constructor(
    geometry: Geometry,
    spec: NeuronSpec,
    kind: PopulationKind,
    options: PopulationOptions,
    copy?: PopulationCopy,
    initial: Record<string, unknown> = {},
  ) {
    this.owner = currentOwner();
    this.geometry = copy ? copy.geometry : checkGeometry(geometry);
    this.size = this.geometry.reduce((a, b) => a * b, 1);
    // The id is taken only once every check passed, so a refused population leaves no gap.
    const id = copy ? copy.id : peekObjectId();
    this.id = id;
    this.name = copy ? copy.name : checkedName(kind, options.name, id, this.owner);
    this.stopCondition = copy ? copy.stopCondition : checkedStopCondition(kind, options.stopCondition);
    this.data = new PopulationData(this.size, kind, spec, this.owner.world.precision, copy?.fields);
    this.data.name = this.name;
    if (copy?.schedule) this.data.schedule = copy.schedule;
    if (copy?.timed) this.data.timed = copy.timed;
    if (copy) this.data.enabled = copy.enabled;
    if (copy?.firingRate) this.data.firingRate = copy.firingRate;
    for (const name of this.data.info.keys()) checkAttributeName(this, name);
    // Initial values are checked before the population joins its world: a bad one leaves no trace.
    const resolved = Object.entries(initial).map(([name, v]) => [name, this.resolve(name, v)] as const);
    for (const [name, values] of resolved) this.field(name).set(values);
    this.owner.world.addPopulation(this.data);
    if (!copy) newObjectId();
    this.owner.register(this);
    for (const name of this.data.info.keys()) defineStateProperty(this, name);
  }

  /** Ranks 0 … size − 1. */
  get ranks(): Int32Array {
    return rankRange(0, this.size);
  }

  /**
   * Which back end runs this population's neuron update: `{ backend: 'wasm' }` (the WebAssembly
   * SIMD loop) or `{ backend: 'js', reason }`, where the reason says what kept it in JS (e.g.
   * "setup({ kernels: 'js' }) turned WebAssembly off"). Null before compile and for
   * Poisson populations. After a parameter change it describes the kernel the next step runs.
   */
  get kernelInfo(): KernelInfo | null {
    return this.owner.world.kernelInfo(this.data);
  }

  /**
   * ANNarchy's `pop.enable()`: the population computes again after `disable()` (the default).
   * Before or after compile; in a running network from its next step (also from an `every()`
   * callback, or from another thread running the network: the switch is a word in its memory).
   */
  enable(): void {
    this.switchEnabled(true, 'enable');
  }

  /**
   * ANNarchy's `pop.disable()`: until `enable()`, the population's neurons are not updated (their
   * values, refractory counts included, stay as they are; no noise is drawn), it emits no spikes
   * (a Poisson or spike source array neither: a source array's clock pauses) and the projections
   * leading to it deliver nothing (spikes arriving meanwhile are dropped). Monitors go on recording
   * its values. A network's `reset()` keeps the switch; a copy takes it as it is.
   */
  disable(): void {
    this.switchEnabled(false, 'disable');
  }

  /** Whether the population computes (ANNarchy's `pop.enabled`): false after `disable()`. */
  get enabled(): boolean {
    return this.owner.world.enabled(this.data);
  }

  private switchEnabled(on: boolean, what: string): void {
    // The message only when it is needed: toggles from every() callbacks run once per step.
    if (this.owner.world.disposed) this.owner.world.assertNotDisposed(`${what}() population '${this.name}'`);
    this.owner.world.setEnabled(this.data, on);
  }

  /**
   * Counts each neuron's spikes over the last `windowMs` ms (this step's included) into its
   * variable `r`, in Hz: spikes · 1000 / windowMs, updated in the spike stage of every step
   * (ANNarchy's `compute_firing_rate`). Without it `r` stays 0. After compile() counting starts
   * with the next step; a later call changes the window and keeps what is counted. The window
   * is rounded to whole steps (at least one); after compile() it may not be longer than the
   * longest given before compile() (the spike history is sized then).
   */
  computeFiringRate(windowMs: number): void {
    const what = `population '${this.name}': computeFiringRate(${describe(windowMs)})`;
    const world = this.owner.world;
    world.assertNotDisposed(`compute the firing rate of population '${this.name}'`);
    if (!this.data.countsRate) {
      throw new SpikeworldError(
        `${what}: its model defines a variable '${FIRING_RATE}' of its own, where the firing rate goes (ANNarchy reserves r for it in spiking neurons): rename the model's '${FIRING_RATE}'`,
      );
    }
    if (typeof windowMs !== 'number' || !Number.isFinite(windowMs) || windowMs <= 0) {
      throw new SpikeworldError(`${what}: the window must be a positive number of ms, e.g. computeFiringRate(100) for the spikes of the last 100 ms`);
    }
    const dt = world.dt;
    const steps = Math.round(windowMs / dt);
    if (steps < 1) {
      throw new SpikeworldError(`${what}: the window is shorter than one step (dt = ${dt} ms); give at least ${dt} ms`);
    }
    if (steps > LONGEST_WINDOW_STEPS) {
      throw new SpikeworldError(`${what}: ${steps} steps is longer than the ${LONGEST_WINDOW_STEPS} steps a window may hold; give a window of at most ${stepsToMs(LONGEST_WINDOW_STEPS, dt)} ms`);
    }
    const ms = stepsToMs(steps, dt);
    if (Math.abs(steps * dt - windowMs) > 1e-9 * windowMs) {
      declarationWarning(`${what}: ${windowMs} ms is not a multiple of dt (${dt} ms); the window is ${ms} ms (${steps} step${steps === 1 ? '' : 's'})`);
    }
    world.setFiringRate(this.data, { ms, steps }, what);
  }

  /** computeFiringRate's window in ms (the steps it rounds to), or null where `r` is not counted. */
  get firingRateWindow(): number | null {
    this.owner.world.assertNotDisposed(`read firingRateWindow of population '${this.name}'`);
    return this.owner.world.firingRateWindow(this.data);
  }

  /** Names of the model's parameters, variables and conductances, in declaration order. */
  get attributes(): string[] {
    return [...this.data.info.keys()];
  }

  /** A copy of the current values of `name` (one per neuron; one for a `: population` parameter). */
  get(name: string): Float64Array {
    return Float64Array.from(this.field(name));
  }

  /** Sets several attributes at once; all are checked before any is written. */
  set(values: Record<string, Assignable>): void {
    const resolved = Object.entries(values).map(([name, v]) => [name, this.resolve(name, v)] as const);
    for (const [name, array] of resolved) this.write(name, array);
  }

  /** @internal values for a copy in another network. */
  copyState(): PopulationCopy {
    const fields = this.data.copyFields();
    // A copy counts from its own step 0: its r starts at 0, as its (empty) spike history.
    if (this.data.countsRate) (fields[FIRING_RATE] as StateArray).fill(0);
    const firingRate = this.owner.world.firingRateWindow(this.data);
    return {
      id: this.id,
      name: this.name,
      geometry: this.geometry,
      spec: this.data.spec,
      kind: this.data.kind,
      fields,
      ...(this.stopCondition !== undefined ? { stopCondition: this.stopCondition } : {}),
      ...(this.data.schedule ? { schedule: this.data.schedule } : {}),
      ...(this.data.timed ? { timed: this.data.timed } : {}),
      enabled: this.enabled,
      ...(firingRate !== null ? { firingRate: { ms: firingRate, steps: Math.round(firingRate / this.owner.world.dt) } } : {}),
    };
  }

  /** @internal */
  field(name: string): StateArray {
    this.owner.world.assertNotDisposed(`read or write '${name}' of population '${this.name}'`);
    const f = this.data.fields[name];
    if (!f) {
      throw new SpikeworldError(
        `population '${this.name}' has no attribute '${name}'; ` +
          (this.data.kind === 'spikeSource'
            ? `it has only r, its firing rate (a SpikeSourceArray: read and set its times through spikeTimes)`
            : this.data.kind === 'timedPoisson'
              ? `it has only r, its firing rate (a TimedPoissonPopulation: read and set its rates, schedule and period as properties or through update())`
              : `its model has: ${this.attributes.join(', ')}`),
      );
    }
    return f;
  }

  /** Neurons `begin` ≤ rank < `end` as a view (ANNarchy's `pop[begin:end]`). */
  slice(begin = 0, end = this.size): PopulationView {
    if (!(Number.isInteger(begin) && Number.isInteger(end) && begin >= 0 && begin < end && end <= this.size)) {
      throw new SpikeworldError(
        `population '${this.name}': slice(${describe(begin)}, ${describe(end)}) needs integers 0 <= begin < end <= ${this.size} (its size)`,
      );
    }
    return new PopulationView(this, rankRange(begin, end - begin));
  }

  /** The given ranks as a view (ANNarchy's `pop[[1, 5, 7]]`). */
  view(ranks: ArrayLike<number>): PopulationView {
    return new PopulationView(this, ranks);
  }

  /** @internal values for `length` neurons (default: all) from a number, an array or a distribution. */
  resolve(name: string, value: unknown, length?: number): Float64Array {
    const f = this.field(name);
    if (this.data.info.get(name)?.role === 'rate') {
      throw new SpikeworldError(
        `population '${this.name}': '${name}' is the firing rate that computeFiringRate() counts (in Hz); it cannot be set. To start counting again, reset() the network`,
      );
    }
    const global = this.data.info.get(name)?.global;
    if (global && typeof value !== 'number') {
      throw new SpikeworldError(
        `population '${this.name}': '${name}' is one value for the whole population (': population'); give a single number, got ${describe(value)}`,
      );
    }
    if (length === undefined && Array.isArray(value) && value.some((x) => Array.isArray(x) || ArrayBuffer.isView(x))) {
      checkShape(value, this.geometry, `population '${this.name}', attribute '${name}'`);
    }
    const values = resolveValues(value, length ?? f.length, this.owner.world.initRng, () => `population '${this.name}', attribute '${name}'`);
    if (this.data.kind === 'poisson' && name === 'rates') checkRates(values, this.name);
    const type = this.data.info.get(name)?.type;
    if (type === 'int' || type === 'bool') checkTyped(values, type, `population '${this.name}', attribute '${name}'`);
    return values;
  }

  /** @internal */
  write(name: string, values: Float64Array): void {
    this.field(name).set(values);
    if (this.data.info.get(name)?.role === 'parameter') this.owner.world.touchParameters(this.data);
  }

  /** @internal values[k] into neuron ranks[k] (a view's set: its neurons only, not a copy of the whole field). */
  writeRanks(name: string, ranks: Int32Array, values: Float64Array): void {
    const field = this.field(name);
    for (let k = 0; k < ranks.length; k++) field[ranks[k] as number] = values[k] as number;
    if (this.data.info.get(name)?.role === 'parameter') this.owner.world.touchParameters(this.data);
  }

  toString(): string {
    return `Population '${this.name}' (${this.size} neurons)`;
  }
}

/**
 * The longest firing-rate window in steps (27.9 min at dt 0.1). The population's spike ring holds
 * window + 1 steps of spike lists of its size (a 100 ms window at dt 0.1 over 4000 neurons: 16 MB),
 * so memory runs out well before for all but tiny populations; the bound keeps a typo (a window in
 * µs) from asking compile() for terabytes.
 */
const LONGEST_WINDOW_STEPS = 2 ** 24;

/**
 * A Poisson source's rates: finite numbers of Hz (a per-step probability is rate · dt / 1000). One
 * below 0 never fires, as in ANNarchy: `Normal(5, 5)` rates are a common idiom.
 */
function checkRates(rates: Float64Array, population: string): void {
  for (let i = 0; i < rates.length; i++) {
    const r = rates[i] as number;
    if (!Number.isFinite(r)) {
      throw new SpikeworldError(`PoissonPopulation '${population}': rates must be finite numbers of Hz, got ${r}${rates.length > 1 ? ` for neuron ${i}` : ''}`);
    }
  }
}

/** Nested arrays give values in the geometry's shape ([rows][columns] for [rows, columns]). */
function checkShape(value: ArrayLike<unknown>, dims: readonly number[], what: string): void {
  const walk = (v: unknown, depth: number, at: string): void => {
    const nested = Array.isArray(v) || ArrayBuffer.isView(v);
    if (depth === dims.length) {
      if (nested) throw new SpikeworldError(`${what}: ${at} is an array; the geometry [${dims.join(', ')}] has ${dims.length} dimension(s)`);
      return;
    }
    const a = v as ArrayLike<unknown>;
    if (!nested || a.length !== dims[depth]) {
      throw new SpikeworldError(`${what}: ${at || 'the value'} should hold ${dims[depth]} entries (the geometry is [${dims.join(', ')}]), got ${nested ? a.length : String(v)}`);
    }
    for (let i = 0; i < a.length; i++) walk(a[i], depth + 1, `${at}[${i}]`);
  };
  walk(value, 0, '');
}

/** Values of a `: int` (integers) or `: bool` (0 or 1) attribute, as the model declares it. */
function checkTyped(values: Float64Array, type: 'int' | 'bool', what: string): void {
  for (let i = 0; i < values.length; i++) {
    const x = values[i] as number;
    if (type === 'int' ? Number.isInteger(x) : x === 0 || x === 1) continue;
    throw new SpikeworldError(`${what}: it is ${type === 'int' ? 'an int: give integers' : 'a bool: give 0 or 1'}, got ${x}${values.length > 1 ? ` for neuron ${i}` : ''}`);
  }
}

function checkAttributeName(pop: PopulationBase, name: string): void {
  if (name in pop) {
    throw new SpikeworldError(
      `population '${pop.name}': the model attribute '${name}' clashes with a Population member; rename it in the model`,
    );
  }
}

/** Each model attribute becomes a property: reading copies, writing accepts any `Assignable`. */
function defineStateProperty(pop: PopulationBase, name: string): void {
  Object.defineProperty(pop, name, {
    enumerable: true,
    get: () => pop.get(name),
    set: (value: Assignable) => pop.write(name, pop.resolve(name, value)),
  });
}

/** @internal the geometry as a frozen list of dimensions, refused unless positive integers. */
export function checkGeometry(geometry: Geometry): readonly number[] {
  const dims = typeof geometry === 'number' ? [geometry] : [...geometry];
  if (dims.length === 0 || dims.some((d) => !Number.isInteger(d) || d < 1)) {
    throw new SpikeworldError(
      `Population geometry must be a positive integer or a list of them (e.g. 100 or [10, 10]), got ${JSON.stringify(geometry)}`,
    );
  }
  return Object.freeze(dims);
}

/** A population whose attributes have the types `S` (see NeuronLike). */
export type Population<S extends object = {}> = PopulationBase & S;

export interface PopulationConstructor {
  new <S extends object = {}>(geometry: Geometry, neuron: NeuronLike<S>, options?: PopulationOptions): Population<S>;
  /** A model chosen at run time (`useIzh ? Izhikevich : IF_curr_exp`): attributes through get()/set(). */
  new (geometry: Geometry, neuron: NeuronLike<object>, options?: PopulationOptions): Population;
  readonly prototype: PopulationBase;
}

class NeuronPopulation extends PopulationBase {
  constructor(geometry: Geometry, neuron: NeuronLike<object>, options?: PopulationOptions) {
    super(geometry, toSpec(neuron), 'neuron', optionsObject('new Population()', options, ['name', 'stopCondition']));
  }
}

export const Population = NeuronPopulation as unknown as PopulationConstructor;

/** @internal makes the copy of `original` in the current owner: same class, id, name, model and values. */
export function copyPopulation(original: PopulationBase): PopulationBase {
  const c = original.copyState();
  // Runs only the base constructor, with the original's class as the prototype: subclasses add
  // no instance state of their own.
  return Reflect.construct(PopulationBase, [c.geometry, c.spec, c.kind, {}, c], original.constructor) as PopulationBase;
}
