/**
 * A world: one network's bitecs world, its entities (one contiguous range per population), its
 * seeded streams and, once compiled, its arena and runtime. The step loop lives here:
 * input → integrate → spike → record, then the clock advances.
 */
import { addComponent, addEntity, createWorld, type World as EcsWorld } from 'bitecs';

import { Arena, ArenaPlan } from '../../components/arena.js';
import { RATE_DIRTY, RATE_DROPPED, RATE_HZ_PER_SPIKE, RATE_MS, RATE_WINDOW, type FiringRate } from '../../components/firingRate.js';
import type { Recorder } from '../../components/recorder.js';
import type { PopulationRuntime, ProjectionRuntime, WorldRuntime } from '../../components/runtime.js';
import type { SpikeRing } from '../../components/spikeRing.js';
import { planSpiking, type Spiking } from '../../components/spiking.js';
import { input, poissonStepProbabilityPerHz } from '../../systems/input.js';
import { integrate } from '../../systems/integrate.js';
import { record } from '../../systems/record.js';
import { spike } from '../../systems/spike.js';
import { SpikeworldError } from '../errors.js';
import { deriveStreamState } from '../random/seed.js';
import { STREAM_STATE_WORDS } from '../random/stream.js';
import { laneGroupsLength, SIM_STREAM_WORDS, warmUpLanes } from '../random/lanes.js';
import { LAST_STEP, stepsToMs } from './clock.js';
import { rankRange } from './ranks.js';
import { drawSynapses, selfMaps, toPopulationRanks, type ConnectorRecipe, type DrawnSynapses } from './connect.js';
import { buildDelivery } from './delivery.js';
import { wasmDelayedDelivery } from './wasmDelayed.js';
import { wasmRowDelivery } from './wasmDelivery.js';
import { wasmInput, type InputPart, type RingAt } from './wasmInput.js';
import { poissonThresholds, wasmPoissonStep } from './wasmPoisson.js';
import { jsClear, wasmClear, type ClearGroup } from './wasmClear.js';
import { buildKernel, simdAvailable, type BuiltKernel, type KernelBackend, type KernelInfo, type KernelTarget } from './kernels.js';
import { layoutWorld, type WorldLayout } from './layout.js';
import { spikeSourceStep, type SpikeSchedule } from './spikeSchedule.js';
import { restartTimedRates, seekTimedRates, timedRatesStep, type TimedRates, type TimedTarget } from './timedRates.js';
import { FIRING_RATE, type Fields, type PopulationData, type Precision, type StateArray } from './populationData.js';
import type { StdpParameters, StpParameters } from '../api/synapse.js';
import { fillPlastic, plasticViews, resetTraces, stdpDelivery, stdpPostEvents, type PlasticProjection } from './plasticity.js';
import { fillStp, resetStp, stpDelivery, stpViews, type StpViews } from './stp.js';

/** A projection as the world needs it: its populations, target and connection recipe. */
export interface ProjectionEntry {
  pre: PopulationData;
  post: PopulationData;
  /** Ranks of a PopulationView used as pre or post (null: the whole population). */
  preRanks: Int32Array | null;
  postRanks: Int32Array | null;
  target: string;
  /** The projection's name, unique in its network. */
  name: string;
  recipe: ConnectorRecipe | null;
  label: string;
  /** Filled at compile. */
  synapses: DrawnSynapses | null;
  /** A plastic projection's STDP parameters (null: the default synapse, g_target += w). */
  stdp: StdpParameters | null;
  /** Whether a plastic projection's weights learn from compile on (after compile: the arena's switch). */
  learning: boolean;
  /** An STP projection's parameters (null: another synapse). */
  stp: StpParameters | null;
}

/** Everything another thread needs to run a compiled world on the same memory. */
export interface WorldHandoff {
  memory: WebAssembly.Memory;
  layout: WorldLayout;
  uniformDelaySteps: (number | null)[];
  /** Per population: a spike source array's spikes (a set after compile included), else null. */
  schedules: (SpikeSchedule | null)[];
  /** Per population: a timed Poisson population's rates and schedule (a set after compile included), else null. */
  timed: (TimedRates | null)[];
}

/** A monitor as the world needs it; the recorder exists once the world is compiled. */
export interface MonitorEntry {
  /** The population recorded (null for a projection monitor). */
  population: PopulationData | null;
  recorder: Recorder | null;
  /** Called at compile so the monitor can build its recorder on the arena's views. */
  attach(world: World): void;
  /** Called at dispose: drop every view into the arena, keep the recorded data. */
  release(): void;
}

/** Components of a world's bitecs world: stores belong to the world, never to the module. */
export interface EcsContext {
  /** Tag of every neuron entity; its arrays are the arena's `lastSpike` / `refractoryLeft`. */
  Spiking: Spiking;
  /** Per population: the component holding its fields (indexed by rank = eid - lo). */
  populations: { lo: number; size: number; fields: Fields }[];
}

/** Where a spike ring lies, for WebAssembly that reads it. */
function ringAt(ring: SpikeRing): RingAt {
  return { counts: ring.counts.byteOffset, depth: ring.depth, size: ring.size };
}

export class World {
  readonly ecs: EcsWorld<EcsContext>;
  readonly populations: PopulationData[] = [];
  readonly projections: ProjectionEntry[] = [];
  readonly monitors: MonitorEntry[] = [];
  /**
   * Simulation and initialisation stream states; staging arrays until compile moves them into the
   * arena. simRng holds the simulation stream (words 0–3), then the Poisson sources' four lanes
   * (random/lanes.ts): saving or restoring it saves or restores every draw a run makes.
   */
  simRng: Uint32Array = new Uint32Array(SIM_STREAM_WORDS);
  initRng: Uint32Array = new Uint32Array(STREAM_STATE_WORDS);
  private entityCount = 0;
  private seedValue: number | string;
  arena: Arena | null = null;
  layout: WorldLayout | null = null;
  runtime: WorldRuntime | null = null;
  /** [current step] in the arena: shared with any thread that watches the world. */
  private clock: Float64Array = new Float64Array(1);
  /** Per-population parameter versions in the arena; a kernel is rebuilt when its version moves on. */
  private versions: Int32Array = new Int32Array(0);
  /** Per population [1: computes, 0: disabled] in the arena (the layout's `enabled`), so every thread running the world sees it. */
  private enabledFlags: Int32Array = new Int32Array(0);
  /** [populations counting their firing rate] in the arena (the layout's `countingRates`). */
  private countingRates: Int32Array = new Int32Array(1);
  private kernelVersions: number[] = [];
  disposed = false;
  /** 'the template network' or 'network 3', for error messages. */
  label = 'the network';
  /** 'auto' runs WebAssembly SIMD integrate loops where a model allows; 'js' only JS kernels. */
  kernelBackend: KernelBackend = 'auto';

  constructor(
    readonly dt: number,
    seed: number | string,
    /** Storage of the populations' state (fixed when the world is made: populations allocate by it). */
    readonly precision: Precision = 'double',
  ) {
    this.ecs = createWorld<EcsContext>({
      Spiking: { lastSpike: new Int32Array(0), refractoryLeft: new Int32Array(0) },
      populations: [],
    });
    this.seedValue = seed;
    this.seed(seed);
  }

  get compiled(): boolean {
    return this.runtime !== null;
  }

  get currentSeed(): number | string {
    return this.seedValue;
  }

  /** Re-derives the world's streams. Connectivity is drawn from its own streams at compile. */
  /** @internal the seed another thread's run of this world (shared memory) re-seeded it with: streams stay. */
  adoptSeedName(seed: number | string): void {
    this.seedValue = seed;
  }

  seed(seed: number | string): void {
    this.seedValue = seed;
    // The Poisson lanes are seeded from the same hash as the simulation stream (words 4–19).
    deriveStreamState(seed, 'sim', this.simRng, this.simRng.subarray(STREAM_STATE_WORDS));
    warmUpLanes(this.simRng.subarray(STREAM_STATE_WORDS));
    deriveStreamState(seed, 'init', this.initRng);
  }

  /** Adds a population's neurons as one contiguous range of entities. */
  addPopulation(pop: PopulationData): void {
    this.assertNotCompiled('add a population');
    pop.lo = this.entityCount + 1;
    for (let k = 0; k < pop.size; k++) {
      const eid = addEntity(this.ecs);
      addComponent(this.ecs, eid, this.ecs.Spiking);
    }
    this.entityCount += pop.size;
    this.populations.push(pop);
    this.ecs.populations.push({ lo: pop.lo, size: pop.size, fields: pop.fields });
  }

  addProjection(entry: ProjectionEntry): void {
    this.assertNotCompiled('add a projection');
    this.projections.push(entry);
  }

  addMonitor(entry: MonitorEntry): void {
    this.monitors.push(entry);
    if (this.compiled) entry.attach(this);
  }

  get step(): number {
    // An int32 (runs stop at LAST_STEP): steps kept from it (a monitor's start) stay integers for V8 too.
    return (this.clock[0] as number) | 0;
  }

  /** Compiles: draws connectivity, lays out the arena, moves staging data in, builds kernels. */
  compile(): void {
    this.assertNotDisposed('compile');
    if (this.compiled) return;
    for (const [k, proj] of this.projections.entries()) {
      if (!proj.recipe) {
        throw new SpikeworldError(`${proj.label} is declared but not connected: call one of its connect… methods before compile()`);
      }
      const rng = new Uint32Array(STREAM_STATE_WORDS);
      deriveStreamState(this.seedValue, `connect/${k}`, rng);
      const preRanks = proj.preRanks ?? rankRange(0, proj.pre.size);
      const postRanks = proj.postRanks ?? rankRange(0, proj.post.size);
      const drawn = drawSynapses(proj.recipe, {
        preSize: preRanks.length,
        postSize: postRanks.length,
        self: proj.pre === proj.post ? selfMaps(preRanks, postRanks, proj.pre.size) : null,
        dt: this.dt,
        rng,
        label: proj.label,
      });
      const views = proj.preRanks !== null || proj.postRanks !== null;
      proj.synapses = views ? toPopulationRanks(drawn, proj.preRanks, proj.postRanks, proj.pre.size) : drawn;
    }
    const plan = new ArenaPlan();
    const layout = layoutWorld(plan, this, planSpiking(plan, this.entityCount));
    const arena = plan.allocate();
    this.moveIntoArena(arena, layout);
    this.attachRuntime(arena, layout);
  }

  /** What another thread needs to run this world on the same memory (see `adopt`). */
  handoff(): WorldHandoff {
    this.requireRuntime('hand over');
    return {
      memory: this.arena!.memory,
      layout: this.layout!,
      uniformDelaySteps: this.projections.map((p) => p.synapses!.uniformDelaySteps),
      schedules: this.spikeSchedules(),
      timed: this.timedRates(),
    };
  }

  /**
   * Runs this (uncompiled) world on another world's compiled memory: same declarations, same
   * arena. Nothing is drawn or copied; kernels are generated here.
   */
  adopt(h: WorldHandoff): void {
    this.assertNotCompiled('adopt shared memory');
    const arena = new Arena(h.memory);
    this.layout = h.layout;
    this.bindViews(arena, h.layout);
    this.adoptSpikeSchedules(h.schedules);
    this.adoptTimedRates(h.timed);
    for (const [k, proj] of this.projections.entries()) {
      const l = h.layout.projections[k]!;
      proj.synapses = {
        rowStart: arena.view(l.csr.rowStart),
        post: arena.view(l.csr.post),
        w: arena.view(l.csr.w),
        uniformDelaySteps: h.uniformDelaySteps[k] ?? null,
        delaySteps: l.csr.delaySteps ? arena.view(l.csr.delaySteps) : null,
      };
    }
    this.attachRuntime(arena, h.layout);
  }

  private attachRuntime(arena: Arena, layout: WorldLayout): void {
    this.arena = arena;
    this.layout = layout;
    this.runtime = this.buildRuntime(arena, layout);
    for (const m of this.monitors) m.attach(this);
  }

  /** Points clock, streams, spiking arrays and population fields at the arena. */
  private bindViews(arena: Arena, layout: WorldLayout): void {
    this.clock = arena.view(layout.clock);
    this.versions = arena.view(layout.versions);
    this.enabledFlags = arena.view(layout.enabled);
    this.countingRates = arena.view(layout.countingRates);
    this.kernelVersions = this.populations.map(() => 0);
    this.simRng = arena.view(layout.simRng);
    this.initRng = arena.view(layout.initRng);
    const spiking = this.ecs.Spiking;
    spiking.lastSpike = arena.view(layout.spiking.lastSpike);
    spiking.refractoryLeft = arena.view(layout.spiking.refractoryLeft);
    for (const [p, pop] of this.populations.entries()) {
      const views: Fields = {};
      for (const [name, region] of Object.entries(layout.populations[p]!.fields)) views[name] = arena.view(region);
      pop.fields = views;
      this.ecs.populations[p]!.fields = views;
    }
  }

  /** First compile: binds the views, then fills them from the staging arrays. */
  private moveIntoArena(arena: Arena, layout: WorldLayout): void {
    const staged = { sim: this.simRng, init: this.initRng, fields: this.populations.map((p) => p.fields) };
    this.bindViews(arena, layout);
    this.simRng.set(staged.sim);
    this.initRng.set(staged.init);
    this.ecs.Spiking.lastSpike.fill(-1);
    for (const [p, pop] of this.populations.entries()) {
      for (const [name, view] of Object.entries(pop.fields)) view.set(staged.fields[p]![name] as StateArray);
      this.enabledFlags[p] = pop.enabled ? 1 : 0;
    }
    // computeFiringRate before compile: counting from step 0 (the runtime built next reads the arena).
    for (const [p, pop] of this.populations.entries()) {
      if (!pop.firingRate) continue;
      startFiringRate(this.rateViews(arena, layout, p), pop.firingRate, this.precision, -1);
      this.countingRates[0]!++;
    }
    for (const [k, proj] of this.projections.entries()) {
      const l = layout.projections[k]!;
      const s = proj.synapses!;
      arena.view(l.csr.rowStart).set(s.rowStart);
      arena.view(l.csr.post).set(s.post);
      arena.view(l.csr.w).set(s.w);
      if (l.csr.delaySteps && s.delaySteps) arena.view(l.csr.delaySteps).set(s.delaySteps);
      // The arena holds them now; keep only views.
      proj.synapses = {
        rowStart: arena.view(l.csr.rowStart),
        post: arena.view(l.csr.post),
        w: arena.view(l.csr.w),
        uniformDelaySteps: s.uniformDelaySteps,
        delaySteps: l.csr.delaySteps ? arena.view(l.csr.delaySteps) : null,
      };
      if (l.plastic) fillPlastic(plasticViews(arena, l.plastic), proj.synapses, proj.learning);
      if (l.stp && proj.stp) fillStp(stpViews(arena, l.stp), proj.synapses, proj.stp.U);
    }
  }

  /** A Poisson population's step: WebAssembly unless the backend is 'js' or the engine lacks SIMD (then the draws buffer). */
  private poissonRuntime(name: string, rates: StateArray, ranks: Uint32Array, lastSpike: Int32Array, thresholds: Uint32Array, arena: Arena): PopulationRuntime['poisson'] {
    if (this.kernelBackend === 'auto' && simdAvailable()) {
      const lanes = this.simRng.subarray(STREAM_STATE_WORDS);
      return { rates, draws: new Float64Array(0), lastSpike, emit: wasmPoissonStep({ thresholds, ranks, lastSpike }, lanes, arena.memory, name), sourceState: null };
    }
    return { rates, draws: new Float64Array(laneGroupsLength(lastSpike.length)), lastSpike, emit: null, sourceState: null };
  }

  private buildRuntime(arena: Arena, layout: WorldLayout): WorldRuntime {
    const spiking = this.ecs.Spiking;
    const rateSwitches: ((step: number) => void)[] = [];
    const pops: PopulationRuntime[] = this.populations.map((pop, p) => {
      const l = layout.populations[p]!;
      const ring = {
        depth: l.ring.depth,
        size: l.ring.size,
        counts: arena.view(l.ring.counts),
        ranks: arena.view(l.ring.ranks),
      };
      const lastSpike = spiking.lastSpike.subarray(pop.lo, pop.hi);
      const enabled = this.enabledFlags.subarray(p, p + 1);
      if (pop.kind === 'timedPoisson') {
        // A Poisson source whose rates its switch sets at the scheduled steps (timedRates.ts).
        const thresholds = arena.view(l.spikeThresholds!);
        const poisson = this.poissonRuntime(pop.name, arena.view(l.timed!.rates), ring.ranks, lastSpike, thresholds, arena);
        const timed: TimedTarget = {
          state: arena.view(l.timed!.state),
          current: poisson!.rates,
          thresholds: poisson!.emit ? thresholds : null,
          pSpikePerHz: poissonStepProbabilityPerHz(this.dt),
          enabled,
        };
        // While disabled the input stage moves the schedule's origin on, so its clock pauses (as a spike source's).
        poisson!.sourceState = timed.state;
        rateSwitches.push(timedRatesStep(() => pop.timed!, timed));
        // The properties in the order of the literal below: one object shape for the step's loops.
        return { size: pop.size, ring, enabled, rate: pop.countsRate ? this.rateViews(arena, layout, p) : null, kernel: null, timed, poisson };
      }
      const sourceState = l.sourceState ? arena.view(l.sourceState) : null;
      return {
        size: pop.size,
        ring,
        enabled,
        rate: pop.countsRate ? this.rateViews(arena, layout, p) : null,
        kernel: null,
        timed: null,
        poisson:
          pop.kind === 'poisson'
            ? this.poissonRuntime(pop.name, pop.fields['rates'] as StateArray, ring.ranks, lastSpike, arena.view(l.spikeThresholds!), arena)
            : pop.kind === 'spikeSource'
              ? // A spike source array emits through the same slot, by a JS step (spikeSchedule.ts).
                { rates: new Float64Array(0), draws: new Float64Array(0), lastSpike, emit: spikeSourceStep(() => pop.schedule!, sourceState!, ring.ranks, lastSpike), sourceState }
              : null,
      };
    });
    // Each projection's delivery as a part of a WebAssembly input stage, or null where JS delivers.
    const deliveryParts: (InputPart | null)[] = [];
    const plastic: PlasticProjection[] = [];
    const projections: ProjectionRuntime[] = this.projections.map((proj, k) => {
      const l = layout.projections[k]!;
      const s = proj.synapses!;
      if (l.plastic && proj.stdp) {
        // STDP: pre events in a JS delivery (so the input stage runs in JS), post events after the spike stage.
        const P: PlasticProjection = {
          pre: pops[this.populations.indexOf(proj.pre)]!,
          post: pops[this.populations.indexOf(proj.post)]!,
          target: proj.post.fields[`g_${proj.target}`] as StateArray,
          csr: { rowStart: s.rowStart, post: s.post, w: s.w, delaySteps: s.delaySteps },
          uniformDelaySteps: s.uniformDelaySteps ?? 0,
          plastic: plasticViews(arena, l.plastic),
          stdp: proj.stdp,
          dt: this.dt,
        };
        plastic.push(P);
        deliveryParts.push(null);
        const { pre, target, csr, uniformDelaySteps } = P;
        return { pre, postEnabled: P.post.enabled, target, csr, uniformDelaySteps, pending: null, deliver: stdpDelivery(P), plastic: P.plastic, stp: null };
      }
      if (l.stp && proj.stp) {
        // STP: events in a JS delivery (so the input stage runs in JS), as STDP's pre events.
        const pre = pops[this.populations.indexOf(proj.pre)]!;
        const postEnabled = pops[this.populations.indexOf(proj.post)]!.enabled;
        const target = proj.post.fields[`g_${proj.target}`] as StateArray;
        const csr = { rowStart: s.rowStart, post: s.post, w: s.w, delaySteps: s.delaySteps };
        const uniformDelaySteps = s.uniformDelaySteps ?? 0;
        const stp = stpViews(arena, l.stp);
        deliveryParts.push(null);
        const deliver = stpDelivery({ pre, postEnabled, target, csr, uniformDelaySteps, stp, parameters: proj.stp, dt: this.dt });
        return { pre, postEnabled, target, csr, uniformDelaySteps, pending: null, deliver, plastic: null, stp };
      }
      const data = {
        pre: pops[this.populations.indexOf(proj.pre)]!,
        postEnabled: pops[this.populations.indexOf(proj.post)]!.enabled,
        target: proj.post.fields[`g_${proj.target}`] as StateArray,
        csr: { rowStart: s.rowStart, post: s.post, w: s.w, delaySteps: s.delaySteps },
        uniformDelaySteps: s.uniformDelaySteps ?? 0,
        pending: l.pending ? { depth: l.pendingDepth, values: arena.view(l.pending) } : null,
        plastic: null,
        stp: null,
      };
      // WebAssembly where allowed: the row loop for one delay per projection, the whole delivery
      // for a delay per synapse; JS (delivery.ts) otherwise.
      // (Both need WebAssembly SIMD; without it the JS delivery adds the same bits.)
      const wasm = this.kernelBackend === 'auto' && simdAvailable();
      const delayed = wasm && data.pending ? wasmDelayedDelivery(data, arena.memory, proj.label) : null;
      const rows = wasm && !data.pending ? wasmRowDelivery(data, arena.memory, proj.label) : null;
      const deliver = delayed ?? buildDelivery(data, rows);
      deliveryParts.push(
        delayed
          ? { kind: 'delayed', deliver: delayed }
          : rows
            ? { kind: 'rows', rows, delaySteps: data.uniformDelaySteps, ring: ringAt(data.pre.ring), postEnabled: data.postEnabled.byteOffset }
            : null,
      );
      // A literal, not { ...data, deliver }: V8 gave each spread copy a map of its own once the
      // copying site had seen ~10 networks, and the step loop, which reads `deliver` from it,
      // was deoptimised and recompiled for every new network (17 times in 30 seed sweep calls).
      const { pre, postEnabled, target, csr, uniformDelaySteps, pending } = data;
      return { pre, postEnabled, target, csr, uniformDelaySteps, pending, deliver, plastic: null, stp: null };
    });
    // Per population with instantaneous conductances: those arrays and its enabled word (a disabled population's stay as they are).
    const instantaneous: ClearGroup[] = [];
    this.populations.forEach((pop, p) => {
      const arrays = pop.spec.instantaneousTargets.map((t) => pop.fields[`g_${t}`] as StateArray);
      if (arrays.length > 0) instantaneous.push({ enabled: pops[p]!.enabled, arrays });
    });
    const clear = this.kernelBackend === 'auto' && instantaneous.length > 0 ? wasmClear(instantaneous, arena.memory) : null;
    const runtime: WorldRuntime = {
      dt: this.dt,
      poissonLanes: this.simRng.subarray(STREAM_STATE_WORDS),
      clearInstantaneous: clear ?? jsClear(instantaneous),
      inputStage: this.wasmInputStage(instantaneous.length > 0, clear, deliveryParts, pops, arena),
      rateSwitches,
      countingRates: this.countingRates,
      populations: pops,
      projections,
      postEvents: plastic.length > 0 ? stdpPostEvents(plastic) : null,
      recorders: [],
    };
    this.runtime = runtime;
    for (let p = 0; p < pops.length; p++) this.rebuildKernel(p);
    return runtime;
  }

  /**
   * The whole input stage as one WebAssembly call (wasmInput.ts) where every part of it runs in
   * WebAssembly; null where one runs in JS (the 'js' backend, an engine without SIMD or bulk memory):
   * systems/input.ts then calls the parts itself. A spike source array's step is JS, which the
   * stage calls as an import (one call per step and source, as the JS stage makes).
   */
  private wasmInputStage(
    clears: boolean,
    clear: (() => void) | null,
    deliveries: readonly (InputPart | null)[],
    pops: readonly PopulationRuntime[],
    arena: Arena,
  ): ((step: number) => void) | null {
    if (this.kernelBackend !== 'auto' || (clears && !clear)) return null;
    const parts: InputPart[] = [];
    for (const part of deliveries) {
      if (!part) return null;
      parts.push(part);
    }
    for (const pop of pops) {
      if (!pop.poisson) continue;
      if (!pop.poisson.emit) return null;
      const origin = pop.poisson.sourceState ? pop.poisson.sourceState.byteOffset + 4 : null;
      parts.push({ kind: 'poisson', emit: pop.poisson.emit, ring: ringAt(pop.ring), enabled: pop.enabled.byteOffset, origin });
    }
    return wasmInput(clears ? clear : null, parts, arena.memory);
  }

  private zigguratViews(): KernelTarget['zigguratTables'] {
    const tables = this.layout!.ziggurat;
    if (!tables) return null;
    return { k: this.arena!.view(tables.k), w: this.arena!.view(tables.w), slowDraw: this.arena!.view(tables.slowDraw) };
  }

  /** Which back end runs `pop`'s current kernel (and why JS when it is JS); null before compile and for Poisson sources. */
  kernelInfo(pop: PopulationData): KernelInfo | null {
    this.assertNotDisposed('read kernelInfo');
    const p = this.populations.indexOf(pop);
    if (!this.runtime || p < 0) return null;
    // A parameter changed since the last step: build the kernel the next step would build.
    this.refreshKernel(p);
    const kernel = this.runtime.populations[p]?.kernel as BuiltKernel | null | undefined;
    if (!kernel) return null;
    return kernel.reason === undefined ? { backend: kernel.backend } : { backend: kernel.backend, reason: kernel.reason };
  }

  /** Marks a population's parameters as changed: its kernel is regenerated before the next step. */
  touchParameters(pop: PopulationData): void {
    const p = this.populations.indexOf(pop);
    if (p >= 0 && this.compiled) Atomics.add(this.versions, p, 1);
  }

  /** Rebuilds population p's kernel if its parameters changed since it was built. */
  private refreshKernel(p: number): void {
    if (this.versions[p] !== this.kernelVersions[p]) this.rebuildKernel(p);
  }

  private rebuildKernel(p: number): void {
    const pop = this.populations[p]!;
    const rt = this.runtime!.populations[p]!;
    const version = this.versions[p] as number;
    if (pop.kind !== 'neuron') {
      // A Poisson source's WebAssembly step compares with thresholds made from the rates (a timed
      // population's switch remakes them at each onset; here they follow the rates an adopted arena holds).
      if ((pop.kind === 'poisson' || pop.kind === 'timedPoisson') && rt.poisson?.emit) poissonThresholds(rt.poisson.rates, poissonStepProbabilityPerHz(this.dt), this.arena!.view(this.layout!.populations[p]!.spikeThresholds!));
      this.kernelVersions[p] = version;
      return;
    }
    rt.kernel = buildKernel({
      pop,
      dt: this.dt,
      ring: rt.ring,
      rng: this.simRng,
      lastSpike: this.ecs.Spiking.lastSpike.subarray(pop.lo, pop.hi),
      refractoryLeft: this.ecs.Spiking.refractoryLeft.subarray(pop.lo, pop.hi),
      candidates: this.arena!.view(this.layout!.populations[p]!.candidates),
      random: this.layout!.populations[p]!.random.map((r) => this.arena!.view(r)),
      zigguratTables: this.zigguratViews(),
      memory: this.arena!.memory,
      backend: this.kernelBackend,
    });
    // Only once built: a build that throws is tried again at the next run, not skipped.
    this.kernelVersions[p] = version;
  }

  /** Steps left before the clock reaches LAST_STEP. */
  get stepsLeft(): number {
    return LAST_STEP - (this.clock[0] as number);
  }

  /** Throws, changing nothing, where `steps` more steps would pass LAST_STEP. */
  assertRunFits(steps: number): void {
    if (steps <= this.stepsLeft) return;
    const end = (this.clock[0] as number) + steps;
    throw new SpikeworldError(
      `${this.label}: a run would end at step ${end}, past the last step ${LAST_STEP} (${((LAST_STEP * this.dt) / 3.6e6).toFixed(1)} h at dt ${this.dt} ms): ` +
        `reset() the network, or simulate with a larger dt`,
    );
  }

  /** Runs `steps` steps; `stop` (checked after each step) may end the run early. Returns steps run. `action` names the call in errors. */
  run(steps: number, stop?: () => boolean, action = 'simulate'): number {
    const rt = this.requireRuntime(action);
    this.assertRunFits(steps);
    for (let p = 0; p < this.populations.length; p++) this.refreshKernel(p);
    const clock = this.clock;
    let done = 0;
    while (done < steps) {
      // An int32 step keeps the systems' ring-slot arithmetic (step % depth) in integer
      // instructions; a float64 step made each % a call to fmod (seed sweep: 5 % of its time).
      const step = (clock[0] as number) | 0;
      input(rt, step);
      integrate(rt, step);
      spike(rt, step);
      record(rt, step);
      clock[0] = step + 1;
      done++;
      if (stop && stop()) break;
    }
    return done;
  }

  /** Back to step 0 with empty spike rings, pending deliveries and refractory counts (Network.reset restores the values). */
  resetClock(): void {
    this.clock[0] = 0;
    const rt = this.runtime;
    if (!rt) return;
    for (const pop of rt.populations) {
      pop.ring.counts.fill(0);
      // The window stays; what it counted goes with the spike rings (ANNarchy's reset empties _spike_history and sets r to 0).
      if (pop.rate) {
        pop.rate.counts.fill(0);
        pop.rate.r.fill(0);
        pop.rate.state[RATE_DROPPED] = -1;
        pop.rate.state[RATE_DIRTY] = 0;
      }
    }
    for (const [k, proj] of rt.projections.entries()) {
      proj.pending?.values.fill(0);
      // Traces are relative to the clock: they start again from 0 (learned weights stay).
      if (proj.plastic) resetTraces(proj.plastic);
      // STP's x and u back to their init, for the same reason.
      if (proj.stp) resetStp(proj.stp, this.projections[k]!.stp!.U);
    }
    this.ecs.Spiking.lastSpike.fill(-1);
    this.ecs.Spiking.refractoryLeft.fill(0);
    // Spike source arrays start again from their first spike time, timed Poisson populations from their first onset.
    for (const l of this.layout!.populations) if (l.sourceState) this.arena!.view(l.sourceState).fill(0);
    for (const [p, pop] of rt.populations.entries()) {
      if (!pop.timed) continue;
      pop.timed.state.fill(0);
      seekTimedRates(this.populations[p]!.timed!, pop.timed, 0);
    }
  }

  /** An STP projection's x, u and last events in the arena (null before compile or for another synapse). */
  stpState(entry: ProjectionEntry): StpViews | null {
    return this.runtime?.projections[this.projections.indexOf(entry)]?.stp ?? null;
  }

  /** A population's firing-rate arrays in the arena (its r is the field `r`). */
  private rateViews(arena: Arena, layout: WorldLayout, p: number): FiringRate {
    const l = layout.populations[p]!.rate;
    return { state: arena.view(l.state), scale: arena.view(l.scale), counts: arena.view(l.counts), r: this.populations[p]!.fields[FIRING_RATE] as StateArray };
  }

  /** computeFiringRate's window in ms: the arena's once compiled (any thread may have set it); null: not counting. */
  firingRateWindow(pop: PopulationData): number | null {
    const rate = this.runtime?.populations[this.populations.indexOf(pop)]?.rate;
    if (!rate) return pop.firingRate?.ms ?? null;
    return (rate.state[RATE_WINDOW] as number) > 0 ? (rate.scale[RATE_MS] as number) : null;
  }

  /**
   * Sets a population's firing-rate window (in steps and ms, checked by the caller). After compile
   * the ring must already be window + 1 steps deep; counting starts with the next step.
   */
  setFiringRate(pop: PopulationData, window: { ms: number; steps: number }, what: string): void {
    const p = this.populations.indexOf(pop);
    const rt = this.runtime?.populations[p];
    if (!rt?.rate) {
      pop.firingRate = window;
      return;
    }
    if (window.steps + 1 > rt.ring.depth) {
      const kept = rt.ring.depth - 1;
      throw new SpikeworldError(
        `${what}: a window of ${window.steps} steps needs ${window.steps} steps of spikes, and compile() kept ${kept} for population '${pop.name}' ` +
          `(its longest window given before compile() or its longest delay): call computeFiringRate(${window.ms}) before compile()` +
          (kept > 0 ? ` (or a window of at most ${stepsToMs(kept, this.dt)} ms)` : ''),
      );
    }
    pop.firingRate = window;
    // Counting already: the counts stay (as ANNarchy's history); else from the next step on.
    const counting = (rt.rate.state[RATE_WINDOW] as number) > 0;
    if (!counting) this.countingRates[0]!++;
    startFiringRate(rt.rate, window, this.precision, counting ? (rt.rate.state[RATE_DROPPED] as number) : this.step - 1);
    rt.rate.state[RATE_DIRTY] = 1;
  }

  /** A plastic projection's learning switch: the arena's once compiled (any thread may have set it). */
  learning(entry: ProjectionEntry): boolean {
    const rt = this.runtime?.projections[this.projections.indexOf(entry)];
    return rt?.plastic ? rt.plastic.learning[0] !== 0 : entry.learning;
  }

  /** Sets a plastic projection's learning switch (read by its delivery and post events at each step). */
  setLearning(entry: ProjectionEntry, on: boolean): void {
    entry.learning = on;
    const rt = this.runtime?.projections[this.projections.indexOf(entry)];
    if (rt?.plastic) rt.plastic.learning[0] = on ? 1 : 0;
  }

  /**
   * A timed Poisson population's new rates and schedule: after compile the run goes on from the
   * current step's place in the new schedule, with the rates in force there.
   */
  setTimedRates(pop: PopulationData, table: TimedRates): void {
    this.assertNotDisposed('set timed rates');
    pop.timed = table;
    const target = this.timedTarget(pop);
    if (target) seekTimedRates(table, target, this.step);
  }

  /** ANNarchy's pop.reset() of a timed Poisson population: its schedule counts from the current step (before compile it does anyway). */
  restartTimedRates(pop: PopulationData): void {
    this.assertNotDisposed('reset a timed Poisson population');
    const target = this.timedTarget(pop);
    if (target) restartTimedRates(pop.timed!, target, this.step);
  }

  private timedTarget(pop: PopulationData): TimedTarget | null {
    return this.runtime?.populations[this.populations.indexOf(pop)]?.timed ?? null;
  }

  /** The timed Poisson populations' tables, per population (null for other kinds). */
  timedRates(): (TimedRates | null)[] {
    return this.populations.map((pop) => pop.timed);
  }

  /** Takes tables that another thread's run of this world set (see timedRates). */
  adoptTimedRates(tables: readonly (TimedRates | null)[]): void {
    for (const [p, table] of tables.entries()) if (table) this.populations[p]!.timed = table;
  }

  /** Whether a population computes: the arena's word once compiled (any thread may have set it). */
  enabled(pop: PopulationData): boolean {
    const p = this.populations.indexOf(pop);
    return this.runtime && p >= 0 ? this.enabledFlags[p] !== 0 : pop.enabled;
  }

  /** Enables or disables a population from the next step on (read once per population and step). */
  setEnabled(pop: PopulationData, on: boolean): void {
    pop.enabled = on;
    const p = this.populations.indexOf(pop);
    if (this.runtime && p >= 0) this.enabledFlags[p] = on ? 1 : 0;
  }

  /** The spike source arrays' schedules, per population (null for other kinds). */
  spikeSchedules(): (SpikeSchedule | null)[] {
    return this.populations.map((pop) => pop.schedule);
  }

  /** Takes schedules that another thread's run of this world set (see spikeSchedules). */
  adoptSpikeSchedules(schedules: readonly (SpikeSchedule | null)[]): void {
    for (const [p, schedule] of schedules.entries()) if (schedule) this.populations[p]!.schedule = schedule;
  }

  requireRuntime(action: string): WorldRuntime {
    this.assertNotDisposed(action);
    if (!this.runtime) throw new SpikeworldError(`${this.label}: cannot ${action} before compile(): call compile() first`);
    return this.runtime;
  }

  assertNotDisposed(action: string): void {
    if (this.disposed) throw new SpikeworldError(`${this.label}: cannot ${action}: the network was disposed`);
  }

  private assertNotCompiled(action: string): void {
    this.assertNotDisposed(action);
    if (this.compiled) throw new SpikeworldError(`${this.label}: cannot ${action} after compile(): declare everything before compiling`);
  }

  /**
   * Frees the arena: every view into it is dropped (fields, streams, clock, synapses, kernels,
   * monitor sources), so the memory is reclaimed even while the Network object is still held.
   * Recorded monitor data stays readable.
   */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    // The learning switches live in the arena (a worker may have set them): keep them readable.
    for (const entry of this.projections) entry.learning = this.learning(entry);
    for (const pop of this.populations) pop.enabled = this.enabled(pop);
    for (const m of this.monitors) m.release();
    for (const pop of this.populations) pop.fields = {};
    for (const entry of this.ecs.populations) entry.fields = {};
    for (const proj of this.projections) proj.synapses = null;
    this.ecs.Spiking.lastSpike = new Int32Array(0);
    this.ecs.Spiking.refractoryLeft = new Int32Array(0);
    this.clock = Float64Array.of(this.clock[0] as number); // getTime() still tells where it stopped
    this.versions = new Int32Array(0);
    this.enabledFlags = new Int32Array(0);
    this.countingRates = new Int32Array(1);
    this.simRng = new Uint32Array(SIM_STREAM_WORDS);
    this.initRng = new Uint32Array(STREAM_STATE_WORDS);
    this.runtime = null;
    this.arena = null;
    this.layout = null;
  }
}

/** Writes a firing-rate window into the arena; `dropped`: the last step whose spikes are not (or no longer) counted. */
function startFiringRate(rate: FiringRate, window: { ms: number; steps: number }, precision: Precision, dropped: number): void {
  rate.state[RATE_WINDOW] = window.steps;
  rate.state[RATE_DROPPED] = dropped;
  rate.scale[RATE_MS] = window.ms;
  // ANNarchy's _mean_fr_rate = 1000. / window, in the state's precision.
  rate.scale[RATE_HZ_PER_SPIKE] = precision === 'float' ? Math.fround(1000 / window.ms) : 1000 / window.ms;
}
