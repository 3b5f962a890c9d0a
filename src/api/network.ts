/**
 * `Network`: a separate world cloned from the template world that the declarations built.
 * `net.add(objs)` copies populations (geometry, model and current values), projections (their
 * connection recipe, re-drawn with this network's generator at compile) and monitors;
 * `net.get(obj)` returns this network's copy.
 */
import { SpikeworldError } from '../errors.js';
import { randomMasterSeed } from '../random/seed.js';
import type { KernelBackend } from '../world/kernels.js';
import type { Fields, Precision, StateArray } from '../world/populationData.js';
import type { SpikeSchedule } from '../world/spikeSchedule.js';
import type { TimedRates } from '../world/timedRates.js';
import { stepsToMs } from '../world/clock.js';
import { World, type WorldHandoff } from '../world/world.js';
import { optionsObject } from './options.js';
import { Monitor, type MonitorSnapshot } from './monitor.js';
import { installTemplate, withOwner, type Owner } from './owner.js';
import { copyPopulation, PopulationBase } from './population.js';
import { Projection } from './projection.js';
import { populationOf, PopulationView } from './view.js';
import { buildStopCondition, type StopOperator } from './stop.js';
import { resetObjectIds } from './registry.js';

export type NetworkObject = PopulationBase | Projection | Monitor;

/** @internal a compiled network as it crosses to a worker (see Network.handoff). */
export interface NetworkHandoff {
  world: WorldHandoff;
  monitors: MonitorSnapshot[];
  objectIds: number[];
  resetState: { fields: Fields[]; rng: Uint32Array };
}

/** @internal a network's seed and the stream state reset() returns to (and its spike source arrays' spikes and timed Poisson rates, which a method may set). */
export interface NetworkSeeding {
  seed: number | string;
  resetRng: Uint32Array;
  schedules: (SpikeSchedule | null)[];
  timed: (TimedRates | null)[];
}

export interface NetworkOptions {
  /** Copy every declared population, projection and monitor. */
  everything?: boolean;
  /** This network's seed; default: derived from the master seed and the network's id. */
  seed?: number | string;
}

export interface SimulateOptions {
  /**
   * Prints how long the run took, as ANNarchy's `measure_time=True` does: "Simulating 1 seconds
   * of network 1 took 0.05 seconds." ("of the template network" for the global simulate()).
   */
  measureTime?: boolean;
  /**
   * Called about every 1 % of the run and once at its end with the simulated ms done so far and
   * the ms asked for (a progress bar, ANNarchy's `progress_bar=True`). The run is cut into
   * chunks between the calls: the same steps, the same results.
   */
  onProgress?: (doneMs: number, totalMs: number) => void;
  /** false: this run calls no every() callback (ANNarchy's `callbacks=False`); default true. */
  callbacks?: boolean;
}

export interface SimulateUntilOptions {
  /** 'and': stop when every listed population meets its stop condition; 'or': when any does. */
  operator?: StopOperator;
  /** Prints how long the run took (see SimulateOptions). */
  measureTime?: boolean;
}

/** Calls to onProgress per run: often enough for a smooth bar, rare enough to cost nothing. */
const PROGRESS_REPORTS = 100;

export interface EveryOptions {
  /** Shifts the calls within the period, ms (capped at the period, taken modulo it; negative counts back); default 0. */
  offsetMs?: number;
  /** Simulated time before the first call of each simulate(), ms; default 0. */
  waitMs?: number;
}

/** What every() returns. */
export interface EveryHandle {
  /** Removes the callback (also from the rest of a run in progress). */
  cancel(): void;
}

interface EveryCallback extends Required<EveryOptions> {
  periodMs: number;
  callback: (n: number) => void;
  /** Set by cancel(): the entry may have moved to another template (setup()) since. */
  cancelled: boolean;
}

/**
 * The callbacks due during a run of `steps` steps from step `start`, in step order (those due at
 * the same step in registration order), in the order ANNarchy's _simulate_with_callbacks calls
 * them: the offset is capped at the period and taken modulo it (negative ones count back), `n`
 * counts each callback's calls within this run. Periods, offsets and waits are rounded to the
 * nearest step (ANNarchy truncates). Generated one at a time: a callback every step of a long run
 * needs no list of every call.
 */
function* dueCallbacks(callbacks: readonly EveryCallback[], start: number, steps: number, dt: number) {
  const end = start + steps;
  const cursors = callbacks.filter((entry) => !entry.cancelled).map((entry) => {
    const period = Math.max(1, Math.round(entry.periodMs / dt));
    const offset = Math.round(Math.min(entry.offsetMs, entry.periodMs) / dt);
    return { entry, period, next: start + Math.round(entry.waitMs / dt) + (((offset % period) + period) % period), n: 0 };
  });
  for (;;) {
    let due: (typeof cursors)[number] | null = null;
    for (const c of cursors) if (c.next < end && (!due || c.next < due.next)) due = c;
    if (!due) return;
    yield { step: due.next, entry: due.entry, n: due.n };
    due.next += due.period;
    due.n++;
  }
}

export interface ResetOptions {
  /** Reset state variables to their values at compile (default true). */
  populations?: boolean;
  /** Accepted for ANNarchy compatibility (whose projection reset leaves `w`): learned STDP weights stay either way, STDP's traces always restart at 0 and STP's x and u at 1 and U. */
  projections?: boolean;
  /** ANNarchy's redraw of the connectivity: only `false` (the default) is supported. */
  synapses?: boolean;
  /** Empty the monitors (default true). */
  monitors?: boolean;
}

/** Settings of `setup()`, shared by the template network and the networks made after it. */
const config = {
  dt: 1.0,
  seed: undefined as number | string | undefined,
  masterSeed: 0,
  kernels: 'auto' as KernelBackend,
  precision: 'double' as Precision,
};
/** Ids of user networks start at 1; 0 is the template. */
let networkCount = 1;
let constructingTemplate = false;
let constructingCopy = false;

/** The master seed: the one given to setup(), or one drawn once per process from the clock. */
export function masterSeed(): number | string {
  if (config.seed !== undefined) return config.seed;
  if (config.masterSeed === 0) config.masterSeed = randomMasterSeed() || 1;
  return config.masterSeed;
}

export class Network implements Owner {
  readonly id: number;
  readonly world: World;
  /**
   * The template this network's objects are copies from (itself for the template). Taken again
   * by an empty network's add(): setup() before any declaration replaces the template.
   */
  private source: Network;
  private readonly copies = new Map<number, NetworkObject>();
  private readonly order: NetworkObject[] = [];
  private stateAtCompile: Map<PopulationBase, Fields> | null = null;
  /** every() callbacks, in registration order. */
  private readonly callbacks: EveryCallback[] = [];
  /** True inside simulate(): a callback must not start another run. */
  private simulating = false;
  private rngAtCompile: Uint32Array | null = null;

  constructor(options?: NetworkOptions) {
    options = optionsObject('new Network()', options, ['everything', 'seed']);
    checkFlags('new Network()', options, ['everything']);
    if (options.seed !== undefined) checkSeed(options.seed);
    this.source = constructingTemplate ? this : templateNetwork();
    // parallelRun's copies take no id: later networks' ids and default seeds must not depend on
    // how many copies this thread happened to run.
    this.id = constructingTemplate ? 0 : constructingCopy ? -1 : networkCount++;
    const seed = options.seed ?? (this.id === 0 ? masterSeed() : `${masterSeed()}/net/${this.id}`);
    this.world = new World(config.dt, seed, config.precision);
    this.world.label = this.label;
    this.world.kernelBackend = config.kernels;
    if (options.everything) this.add(templateNetwork().objects());
  }

  get label(): string {
    return this.id === 0 ? 'the template network' : this.id < 0 ? 'a parallelRun copy' : `network ${this.id}`;
  }

  /** The seed this network's generators derive from. */
  get seed(): number | string {
    return this.world.currentSeed;
  }

  /**
   * Re-seeds this network. Before compile this also decides its random connectivity and initial
   * values; after, the simulation's random numbers from now on (as ANNarchy's set_seed), and
   * reset() then replays from this seed.
   */
  setSeed(seed: number | string): void {
    this.world.assertNotDisposed('setSeed');
    checkSeed(seed);
    this.world.seed(seed);
    if (this.rngAtCompile) this.rngAtCompile = this.world.simRng.slice();
  }

  /** @internal */
  register(obj: object): void {
    const o = obj as NetworkObject;
    this.copies.set(o.id, o);
    this.order.push(o);
  }

  /** @internal every object of this network in declaration order. */
  objects(): NetworkObject[] {
    return [...this.order];
  }

  /**
   * Copies objects of the template network into this one: populations take their original's
   * current values; projections need their populations (added before or in the same call).
   */
  add(objects: NetworkObject | readonly NetworkObject[]): void {
    if (this.id === 0) throw new SpikeworldError('add(): declarations already belong to the template network');
    this.world.assertNotDisposed('add()');
    if (this.order.length === 0) this.source = templateNetwork();
    if (this.world.compiled) {
      throw new SpikeworldError(`${this.label}: add() after compile(); add everything before compiling`);
    }
    const list = Array.isArray(objects) ? [...objects] : [objects as NetworkObject];
    const seen = new Set<number>();
    for (const o of list) {
      if (!(o instanceof PopulationBase || o instanceof Projection || o instanceof Monitor)) {
        throw new SpikeworldError(`${this.label}: add() takes populations, projections and monitors, got ${String(o)}`);
      }
      if (o.owner !== this.source) {
        throw new SpikeworldError(`${this.label}: add() copies declared objects; ${o} belongs to ${ownerLabel(o.owner)}`);
      }
      if (this.copies.has(o.id) || seen.has(o.id)) {
        throw new SpikeworldError(`${this.label}: ${o} was already added to this network`);
      }
      seen.add(o.id);
    }
    // Check every dependency first, so a failing add() leaves the network unchanged.
    const has = (p: PopulationBase | PopulationView) => this.copies.has(populationOf(p).id) || seen.has(populationOf(p).id);
    for (const o of list) {
      if (o instanceof Projection && (!has(o.pre) || !has(o.post))) {
        const missing = populationOf(has(o.pre) ? o.post : o.pre);
        throw new SpikeworldError(`${this.label}: cannot add ${o}: its population '${missing.name}' is not in the network; add it first or in the same call`);
      }
      if (o instanceof Monitor) {
        const t = o.target;
        if (t instanceof Projection ? !this.copies.has(t.id) && !seen.has(t.id) : !has(t)) {
          const what = t instanceof Projection ? `projection '${t.name}'` : `population '${populationOf(t).name}'`;
          throw new SpikeworldError(`${this.label}: cannot add ${o}: its ${what} is not in the network; add it first or in the same call`);
        }
      }
    }
    const rank = (o: NetworkObject) => (o instanceof PopulationBase ? 0 : o instanceof Projection ? 1 : 2);
    const sorted = list.map((o, i) => [o, i] as const).sort((a, b) => rank(a[0]) - rank(b[0]) || a[1] - b[1]);
    withOwner(this, () => {
      for (const [o] of sorted) {
        if (o instanceof PopulationBase) copyPopulation(o);
        else if (o instanceof Projection) {
          new Projection(this.get(o.pre), this.get(o.post), o.target, undefined, undefined, o.copyState());
        } else new Monitor(this.get(o.target), o.variables, {}, o.copyState());
      }
    });
  }

  /** This network's copy of `obj` (same type; a view: the same ranks of the population's copy), or a tuple of copies. */
  get<T extends NetworkObject | PopulationView>(obj: T): T;
  get<T extends readonly (NetworkObject | PopulationView)[]>(objs: readonly [...T]): T;
  get(obj: NetworkObject | PopulationView | readonly (NetworkObject | PopulationView)[]): NetworkObject | PopulationView | (NetworkObject | PopulationView)[] {
    if (Array.isArray(obj)) return obj.map((o) => this.get(o as NetworkObject));
    if (obj instanceof PopulationView) return new PopulationView(this.get(obj.population), obj.ranks);
    const o = obj as NetworkObject;
    const copy = o && typeof o === 'object' ? this.copies.get(o.id) : undefined;
    // Ids restart after clear(): an object declared since then is not the one this network copied.
    // (Another network's copy of the same declaration is fine, as in ANNarchy: same id.)
    const related = o && typeof o === 'object' && o.owner instanceof Network && o.owner.source === this.source;
    if (!copy || copy.constructor !== o.constructor || !related) {
      const later = o && typeof o === 'object' && !related && o.owner instanceof Network && o.owner.id === 0;
      throw new SpikeworldError(
        later
          ? `${this.label} has no copy of ${String(o)}: it was declared after clear() or setup() started a new template; this network copies the one before`
          : `${this.label} has no copy of ${String(o)}; add it with net.add() first`,
      );
    }
    return copy;
  }


  /** Draws connectivity, lays out shared memory and generates the kernels. */
  compile(): void {
    this.world.assertNotDisposed('compile');
    if (this.world.compiled) return;
    this.world.compile();
    this.rememberCompileState();
  }

  /**
   * ANNarchy's `enable_learning(projections)`: the network's plastic (STDP) projections, or the
   * ones given (also as declared: their copies here), change their weights with spikes again.
   */
  enableLearning(projections?: Projection | readonly Projection[]): void {
    this.switchLearning(true, projections);
  }

  /** ANNarchy's `disable_learning(projections)`: see Projection.disableLearning; all plastic projections when none are given. */
  disableLearning(projections?: Projection | readonly Projection[]): void {
    this.switchLearning(false, projections);
  }

  private switchLearning(on: boolean, projections: Projection | readonly Projection[] | undefined): void {
    const given = projections === undefined ? undefined : Array.isArray(projections) ? (projections as readonly unknown[]) : [projections];
    for (const p of given ?? []) {
      if (!(p instanceof Projection)) {
        throw new SpikeworldError(`${this.label}: ${on ? 'enable' : 'disable'}Learning() takes projections (a list, or one), got ${String(p)}`);
      }
    }
    const list = given
      ? (given as Projection[]).map((p) => this.get(p))
      : this.order.filter((o): o is Projection => o instanceof Projection && o.entry.stdp !== null);
    for (const p of list) {
      if (on) p.enableLearning();
      else p.disableLearning();
    }
  }

  /** This network's populations, in declaration order (what handoff and adopt index by). */
  private populations(): PopulationBase[] {
    return this.order.filter((o): o is PopulationBase => o instanceof PopulationBase);
  }

  private monitors(): Monitor[] {
    return this.order.filter((o): o is Monitor => o instanceof Monitor);
  }

  /** What reset() returns to: state values and the simulation stream as they were at compile. */
  private rememberCompileState(): void {
    this.stateAtCompile = new Map();
    for (const p of this.populations()) this.stateAtCompile.set(p, p.data.copyFields());
    this.rngAtCompile = this.world.simRng.slice();
  }

  /**
   * Runs `ceil(durationMs / dt)` steps, calling the network's `every()` callbacks before the steps
   * they are due at.
   */
  simulate(durationMs: number, options?: SimulateOptions): void {
    const steps = this.stepsFor(durationMs, 'simulate');
    options = optionsObject('simulate', options, ['measureTime', 'onProgress', 'callbacks']);
    const { onProgress } = options;
    if (onProgress !== undefined && typeof onProgress !== 'function') {
      throw new SpikeworldError(`simulate: onProgress must be a function (doneMs, totalMs) => void, got ${String(onProgress)}`);
    }
    checkFlags('simulate', options, ['measureTime', 'callbacks']);
    this.assertNotRunning('simulate');
    // The whole run, before the first of its chunks (progress reports, every() callbacks) runs.
    this.world.assertRunFits(steps);
    this.simulating = true;
    try {
      this.timed(options.measureTime, () => durationMs, () => {
        const start = this.world.step;
        const end = start + steps;
        const chunk = onProgress ? Math.max(1, Math.ceil(steps / PROGRESS_REPORTS)) : steps;
        let now = start;
        let nextReport = Math.min(start + chunk, end);
        const advanceTo = (target: number) => {
          while (now < target) {
            const until = Math.min(target, nextReport);
            this.world.run(until - now);
            now = until;
            if (now === nextReport) {
              // The end reports the duration itself: steps · dt can fall short of it by rounding.
              onProgress?.(now === end ? durationMs : Math.min((now - start) * this.world.dt, durationMs), durationMs);
              nextReport = Math.min(nextReport + chunk, end);
            }
          }
        };
        for (const due of dueCallbacks(options.callbacks === false ? [] : this.callbacks, start, steps, this.world.dt)) {
          advanceTo(due.step);
          if (!due.entry.cancelled) due.entry.callback(due.n); // cancelled during the run: skipped
        }
        advanceTo(end);
        if (steps === 0) onProgress?.(durationMs, durationMs);
      });
    } finally {
      this.simulating = false;
    }
  }

  /**
   * Calls `callback(n)` every `periodMs` of simulated time during `simulate()` (ANNarchy's
   * `@every(period, offset, wait)`): before the steps `start + wait + offset + k·period` (offset
   * capped at the period, taken modulo it), counted from the start of each simulate() call,
   * `n` = 0, 1, … within that call. Set inputs there (`pop.rates = …`); simulateUntil() and step()
   * do not call it. `cancel()` on the result removes it at once; a callback registered during a
   * run starts with the next simulate().
   */
  every(periodMs: number, callback: (n: number) => void, options?: EveryOptions): EveryHandle {
    this.world.assertNotDisposed('every');
    const { offsetMs = 0, waitMs = 0 } = optionsObject('every', options, ['offsetMs', 'waitMs']);
    if (typeof periodMs !== 'number' || !Number.isFinite(periodMs) || periodMs <= 0) {
      throw new SpikeworldError(`every: the period must be a positive number of ms, got ${String(periodMs)}`);
    }
    if (typeof offsetMs !== 'number' || !Number.isFinite(offsetMs)) {
      throw new SpikeworldError(`every: offsetMs must be a number of ms, got ${String(offsetMs)}`);
    }
    if (typeof waitMs !== 'number' || !Number.isFinite(waitMs) || waitMs < 0) {
      throw new SpikeworldError(`every: waitMs must be a non-negative number of ms, got ${String(waitMs)}`);
    }
    if (typeof callback !== 'function') throw new SpikeworldError(`every: the callback must be a function (n) => void, got ${String(callback)}`);
    const entry: EveryCallback = { periodMs, offsetMs, waitMs, callback, cancelled: false };
    this.callbacks.push(entry);
    return this.handleFor(entry);
  }

  /** Removes every every() callback of this network (ANNarchy's clear_all_callbacks). */
  clearCallbacks(): void {
    for (const entry of this.callbacks.splice(0)) entry.cancelled = true;
  }

  /** @internal the callbacks, removed from this network (setup() moves them to the next template). */
  takeCallbacks(): EveryCallback[] {
    return this.callbacks.splice(0).filter((entry) => !entry.cancelled);
  }

  /** @internal whether simulate() is running (setup() must not replace the template then). */
  get running(): boolean {
    return this.simulating;
  }

  /** @internal */
  adoptCallbacks(callbacks: readonly EveryCallback[]): void {
    this.callbacks.push(...callbacks);
  }

  private handleFor(entry: EveryCallback): EveryHandle {
    return {
      cancel: () => {
        entry.cancelled = true;
        const k = this.callbacks.indexOf(entry);
        if (k >= 0) this.callbacks.splice(k, 1);
      },
    };
  }

  /** simulate(), step(), simulateUntil() and reset() may not run from inside a running simulate(). */
  private assertNotRunning(action: string): void {
    if (this.simulating) {
      throw new SpikeworldError(`${action}: called while simulate() runs (from an every() callback or onProgress); set values there and let the run go on`);
    }
  }

  /** Runs `run`, then (with `measure`) prints its wall time and the ms it simulated, as ANNarchy's measure_time does. */
  private timed<T>(measure: boolean | undefined, simulatedMs: (result: T) => number, run: () => T): T {
    if (!measure) return run();
    const start = performance.now();
    const result = run();
    const seconds = (performance.now() - start) / 1000;
    console.log(`Simulating ${simulatedMs(result) / 1000} seconds of ${this.label} took ${seconds} seconds.`);
    return result;
  }

  /**
   * Runs until the stop conditions of `populations` hold (checked after each step) or
   * `maxDurationMs` has passed; returns the simulated time in ms.
   */
  simulateUntil(maxDurationMs: number, populations: PopulationBase | readonly PopulationBase[], options?: SimulateUntilOptions): number {
    this.assertNotRunning('simulateUntil');
    const steps = this.stepsFor(maxDurationMs, 'simulateUntil');
    options = optionsObject('simulateUntil', options, ['operator', 'measureTime']);
    checkFlags('simulateUntil', options, ['measureTime']);
    const list = Array.isArray(populations) ? [...populations] : [populations as PopulationBase];
    for (const p of list) {
      if (p instanceof PopulationView) {
        throw new SpikeworldError(`simulateUntil takes populations, got ${String(p)}: a stop condition is its population's; pass view.population`);
      }
      if (!(p instanceof PopulationBase) || p.owner !== this) {
        throw new SpikeworldError(`simulateUntil: ${String(p)} is not a population of ${this.label}; pass net.get(pop)`);
      }
    }
    const stop = buildStopCondition(this.world, list, options.operator ?? 'and');
    // A maximum past the last step runs up to it: the condition may well hold sooner. Whether
    // it held is what the run saw after its last step (none run: it did not).
    const allowed = Math.min(steps, this.world.stepsLeft);
    return this.timed(options.measureTime, (ms) => ms, () => {
      let held = false;
      const done = this.world.run(allowed, () => (held = stop()));
      if (!held && allowed < steps) this.world.assertRunFits(steps - allowed);
      return stepsToMs(done, this.world.dt);
    });
  }

  /** One step of dt. */
  step(): void {
    this.assertNotRunning('step');
    this.world.run(1, undefined, 'step');
  }

  /** Back to time 0 with the state and random stream of compile time (so the run replays); monitors emptied. */
  reset(options?: ResetOptions): void {
    this.assertNotRunning('reset');
    this.world.requireRuntime('reset');
    options = optionsObject('reset', options, ['populations', 'projections', 'synapses', 'monitors']);
    checkFlags('reset', options, ['populations', 'projections', 'synapses', 'monitors']);
    if (options.synapses) {
      throw new SpikeworldError('reset: synapses: true (drawing the connectivity again) is not supported; make a new Network with another seed for new connectivity');
    }
    if (options.populations ?? true) {
      for (const [pop, fields] of this.stateAtCompile ?? []) {
        for (const [name, values] of Object.entries(fields)) {
          const now = pop.field(name);
          // Only a changed parameter needs a new kernel (a fresh kernel runs cold for ~100 steps).
          if (pop.data.info.get(name)?.role === 'parameter' && !sameValues(now, values)) this.world.touchParameters(pop.data);
          now.set(values);
        }
      }
    }
    const monitors = this.monitors();
    const emptyMonitors = options.monitors ?? true;
    if (!emptyMonitors) for (const m of monitors) m.clockReset();
    this.world.resetClock();
    // Rewinding the simulation stream too makes a reset network replay the same run.
    if (this.rngAtCompile) this.world.simRng.set(this.rngAtCompile);
    if (emptyMonitors) for (const m of monitors) m.reset();
  }

  /** Simulated time in ms. */
  getTime(): number {
    return stepsToMs(this.getCurrentStep(), this.world.dt);
  }

  getCurrentStep(): number {
    return this.world.compiled || this.world.disposed ? this.world.step : 0;
  }

  get dt(): number {
    return this.world.dt;
  }

  /**
   * Live views (no copies) of a population's arrays in this network's shared memory, for a
   * renderer or another thread. Write parameters through the population, not the views.
   */
  view(pop: PopulationBase): Readonly<Record<string, StateArray>> {
    const own = this.get(pop);
    this.world.requireRuntime('view a population');
    return Object.freeze({ ...own.data.fields });
  }

  /** @internal what a worker needs to run this compiled network on the same shared memory. */
  handoff(): NetworkHandoff {
    if (!this.world.compiled) this.compile();
    return {
      world: this.world.handoff(),
      // With their data: the method may analyse what was recorded before the hand-off.
      monitors: this.monitors().map((m) => m.snapshot(true)),
      objectIds: this.order.map((o) => o.id),
      // What reset() returns to, so a reset in the worker goes back to compile time too.
      resetState: {
        fields: this.populations().map((p) => this.stateAtCompile?.get(p) ?? p.data.copyFields()),
        rng: this.rngAtCompile ?? this.world.simRng.slice(),
      },
    };
  }

  /**
   * @internal after a method ran this (handed-off) network in a worker: the seed it may have set
   * there, and what reset() replays from (the streams themselves are in the shared memory).
   */
  seeding(): NetworkSeeding {
    return { seed: this.seed, resetRng: this.rngAtCompile ?? this.world.simRng.slice(), schedules: this.world.spikeSchedules(), timed: this.world.timedRates() };
  }

  /** @internal takes a worker's seeding of this network (see seeding()). */
  adoptSeeding(s: NetworkSeeding): void {
    this.world.adoptSeedName(s.seed);
    this.world.adoptSpikeSchedules(s.schedules);
    this.world.adoptTimedRates(s.timed);
    this.rngAtCompile = s.resetRng;
  }

  /** @internal runs this uncompiled network on another thread's compiled memory. */
  adopt(handoff: Omit<NetworkHandoff, 'objectIds' | 'monitors'>): void {
    this.world.adopt(handoff.world);
    this.stateAtCompile = new Map(this.populations().map((p, k) => [p, handoff.resetState.fields[k] as Fields]));
    this.rngAtCompile = handoff.resetState.rng;
  }

  /** Frees this network's shared memory; the network cannot be used afterwards. */
  dispose(): void {
    this.assertNotRunning('dispose');
    this.world.dispose();
    this.stateAtCompile = null;
    this.rngAtCompile = null;
  }

  private stepsFor(durationMs: number, action: string): number {
    this.world.requireRuntime(action);
    if (typeof durationMs !== 'number' || !Number.isFinite(durationMs) || durationMs < 0) {
      throw new SpikeworldError(`${action}: the duration must be a non-negative number of ms, got ${typeof durationMs === 'string' ? `'${durationMs}' (a string)` : String(durationMs)}`);
    }
    // Guard against float noise: 1000 / 0.1 is 10000 steps, not 10001.
    const exact = durationMs / this.world.dt;
    const rounded = Math.round(exact);
    return Math.abs(exact - rounded) < 1e-9 * Math.max(1, rounded) ? rounded : Math.ceil(exact);
  }
}

/** Options that switch something on or off must be booleans: `callbacks: 0` would read as "on". */
function checkFlags(action: string, options: object, names: readonly string[]): void {
  for (const name of names) {
    const value = (options as Record<string, unknown>)[name];
    if (value !== undefined && typeof value !== 'boolean') {
      throw new SpikeworldError(`${action}: ${name} must be true or false, got ${String(value)}`);
    }
  }
}

function sameValues(a: StateArray, b: StateArray): boolean {
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
  return true;
}

function checkSeed(seed: unknown): void {
  if (!((typeof seed === 'number' && Number.isFinite(seed)) || typeof seed === 'string')) {
    throw new SpikeworldError(`a seed must be a finite number or a string, got ${String(seed)}`);
  }
}

let template: Network | null = null;

/** The template ("magic") network that declarations belong to and the global functions drive. */
export function templateNetwork(): Network {
  if (!template) {
    constructingTemplate = true;
    try {
      template = new Network();
    } finally {
      constructingTemplate = false;
    }
  }
  return template;
}

installTemplate(templateNetwork);

export interface SetupOptions {
  /** Step in ms (default 1.0). */
  dt?: number;
  /** Master seed: every network's generators derive from it. */
  seed?: number | string;
  /**
   * 'auto' (default): integrate loops run as WebAssembly SIMD kernels where the model allows it,
   * and uniform-delay spike delivery as a WebAssembly loop (same results, bit for bit), else as
   * JS; 'js': JS only.
   */
  kernels?: KernelBackend;
  /**
   * Storage of population state: 'double' (float64, default) or 'float' (float32). Float halves
   * the state fields' memory (synapses are 8 bytes either way) and lets WebAssembly kernels update
   * four neurons per instruction; every kernel operation is rounded to float32 (constants are
   * folded in double, then rounded), and JS and WebAssembly kernels still agree bit for bit.
   */
  precision?: Precision;
}

/** Sets dt and the master seed; call before declaring anything. */
export function setup(options?: SetupOptions): void {
  if (template?.running) {
    throw new SpikeworldError('setup(): called while simulate() runs (from an every() callback or onProgress); call it before or after the run');
  }
  options = optionsObject('setup()', options, ['dt', 'seed', 'kernels', 'precision']);
  if (options.dt !== undefined && !(typeof options.dt === 'number' && options.dt > 0 && Number.isFinite(options.dt))) {
    throw new SpikeworldError(`setup(): dt must be a positive number of ms, got ${String(options.dt)}`);
  }
  if (options.seed !== undefined) checkSeed(options.seed);
  if (options.kernels !== undefined && options.kernels !== 'auto' && options.kernels !== 'js') {
    throw new SpikeworldError(`setup(): kernels must be 'auto' or 'js', got ${String(options.kernels)}`);
  }
  if (options.precision !== undefined && options.precision !== 'double' && options.precision !== 'float') {
    throw new SpikeworldError(`setup(): precision must be 'double' or 'float', got ${String(options.precision)}`);
  }
  const hasObjects = template !== null && template.objects().length > 0;
  if (hasObjects && options.dt !== undefined && options.dt !== config.dt) {
    throw new SpikeworldError(`setup(): dt cannot change after populations were declared (now ${config.dt} ms); call setup() first or clear()`);
  }
  if (hasObjects && options.precision !== undefined && options.precision !== config.precision) {
    throw new SpikeworldError(
      `setup(): precision cannot change after populations were declared (now '${config.precision}'); call setup() first or clear()`,
    );
  }
  if (options.dt !== undefined) config.dt = options.dt;
  if (options.precision !== undefined) config.precision = options.precision;
  if (options.seed !== undefined) config.seed = options.seed;
  if (options.kernels !== undefined) {
    config.kernels = options.kernels;
    if (template) template.world.kernelBackend = options.kernels;
  }
  if (!hasObjects) {
    // A template without declarations is rebuilt with the new settings; its every() callbacks stay.
    const callbacks = template?.takeCallbacks() ?? [];
    template = null;
    if (callbacks.length) templateNetwork().adoptCallbacks(callbacks);
  } else if (options.seed !== undefined) template!.setSeed(options.seed);
}

/** @internal a copy of the template (everything) for parallelRun, with its own seed and no network id. */
export function parallelCopy(seed: number | string): Network {
  constructingCopy = true;
  try {
    return new Network({ everything: true, seed });
  } finally {
    constructingCopy = false;
  }
}

/** @internal a worker takes the main thread's master seed, whatever its module's setup() says. */
export function forceMasterSeed(seed: number | string): void {
  config.seed = seed;
  if (template) template.setSeed(seed);
}

export function getSeed(): number | string {
  return masterSeed();
}

/** Forgets every declaration and network: a fresh template network, ids from 0, default setup. */
export function clear(): void {
  if (template?.running) {
    throw new SpikeworldError('clear(): called while simulate() runs (from an every() callback or onProgress); call it before or after the run');
  }
  template?.dispose();
  template = null;
  networkCount = 1;
  config.dt = 1.0;
  config.seed = undefined;
  config.masterSeed = 0;
  config.kernels = 'auto';
  config.precision = 'double';
  resetObjectIds();
}

/** An owner's label; a template replaced by clear() is said to be one. */
function ownerLabel(owner: Owner): string {
  return owner instanceof Network && owner.world.disposed && owner.id === 0 ? 'the template network before clear()' : owner.label;
}
