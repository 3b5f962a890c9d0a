/**
 * What the four systems see of a compiled world: plain data over the arena's typed arrays and
 * the generated kernels. Systems never reach past this into the API layer.
 */
import type { StateArray } from './arena.js';
import type { Csr } from './csr.js';
import type { FiringRate } from './firingRate.js';
import type { Recorder } from './recorder.js';
import type { SpikeRing } from './spikeRing.js';
import type { PlasticViews } from '../src/world/plasticity.js';
import type { StpViews } from '../src/world/stp.js';
import type { TimedTarget } from '../src/world/timedRates.js';

export interface NeuronKernel {
  /**
   * Advances every neuron by one step, `step` (its time, step · dt ms, is computed inside: a
   * fractional number passed between functions is a heap allocation per call where V8 does not
   * inline the call, 15 bytes per step on COBA).
   */
  integrate(step: number): void;
  /** Emits spikes into the ring slot of `step`, applying reset and refractoriness. */
  spike(step: number): void;
}

export interface PopulationRuntime {
  size: number;
  ring: SpikeRing;
  /**
   * [1: the population computes, 0: disabled] (pop.disable()), its word in the arena: a disabled
   * population is not integrated, emits no spike (its ring slot gets 0), its instantaneous
   * conductances are not cleared and the projections leading to it deliver nothing.
   */
  enabled: Int32Array;
  /** Its firing rate r (computeFiringRate), read from `ring`; null where the model defines an r of its own. */
  rate: FiringRate | null;
  /** Generated kernel (neuron populations). */
  kernel: NeuronKernel | null;
  /**
   * Poisson sources: rates in Hz and a scratch buffer of uniform draws; `emit` (WebAssembly, when
   * the backend allows) does the whole step: writes the ranks that spike from ring index `base`,
   * stamps lastSpike with `step`, and returns how many (pSpike = dt / 1000). A SpikeSourceArray
   * uses the same slot with empty rates and draws: its `emit` (JS, always set) takes the events
   * due at `step` from its sorted list (src/world/spikeSchedule.ts).
   */
  poisson: {
    rates: StateArray;
    draws: Float64Array;
    lastSpike: Int32Array;
    emit: ((base: number, step: number) => number) | null;
    /** A spike source array's or timed Poisson population's [cursor, origin] (spikeSchedule.ts, timedRates.ts): while disabled its origin moves on, so its clock pauses. */
    sourceState: Int32Array | null;
  } | null;
  /** A timed Poisson population: where its switch writes the rates in force (`poisson.rates` is `timed.current`). */
  timed: TimedTarget | null;
}

export interface ProjectionRuntime {
  pre: PopulationRuntime;
  /** The post population's enabled word: while 0 the spikes arriving are dropped (ANNarchy's `if (_transmission && post._active)`). */
  postEnabled: Int32Array;
  /** The post population's conductance of this projection's target. */
  target: StateArray;
  csr: Csr;
  /** Delay in steps shared by all synapses, or 0 when each synapse has its own. */
  uniformDelaySteps: number;
  /** Per-synapse delays only: arrivals pending per (step % depth, post rank). */
  pending: { depth: number; values: Float64Array } | null;
  /** Adds the weights of the spikes due at `step` to `target` (generated per projection). */
  deliver: (step: number) => void;
  /** An STDP projection's traces, last events and weights at compile (src/world/plasticity.ts); null: static synapses. */
  plastic: PlasticViews | null;
  /** An STP projection's x, u and last events (src/world/stp.ts); null otherwise. */
  stp: StpViews | null;
}

export interface WorldRuntime {
  /** Step in ms. */
  dt: number;
  /** The Poisson sources' four lane streams (random/lanes.ts), in shared memory. */
  poissonLanes: Uint32Array;
  /** Zeroes every conductance without an equation of its own (all populations), before each delivery. */
  clearInstantaneous: () => void;
  /**
   * The whole input stage (clear, deliveries, Poisson steps) as one WebAssembly call, where every
   * part of it runs in WebAssembly (src/world/wasmInput.ts); null: the stage calls the parts.
   */
  inputStage: ((step: number) => void) | null;
  /**
   * The timed Poisson populations' switches, called at the start of the input stage: each sets the
   * rates whose onset is `step` (src/world/timedRates.ts).
   */
  rateSwitches: ((step: number) => void)[];
  /** [how many populations count their firing rate] in the arena: 0 skips the counting (src/world/firingRateCount.ts). */
  countingRates: Int32Array;
  populations: PopulationRuntime[];
  projections: ProjectionRuntime[];
  /** STDP's post events of the step, after the spike stage (src/world/plasticity.ts); null without plastic projections. */
  postEvents: ((step: number) => void) | null;
  recorders: Recorder[];
}
