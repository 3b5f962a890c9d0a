/**
 * Where everything of a world sits in its arena: clock, streams, spiking component, each
 * population's fields and spike ring, each projection's CSR and pending-delay ring.
 */
import type { ArenaPlan, Region } from '../../components/arena.js';
import { planCsr, planDelayRing, type CsrLayout } from '../../components/csr.js';
import { planFiringRate, type FiringRateLayout } from '../../components/firingRate.js';
import type { SpikingLayout } from '../../components/spiking.js';
import { planSpikeRing, type SpikeRingLayout } from '../../components/spikeRing.js';
import { randomDrawsIn } from '../model/plan.js';
import { laneGroupsLength, SIM_STREAM_WORDS } from '../random/lanes.js';
import { STREAM_STATE_WORDS } from '../random/stream.js';
import type { PopulationData } from './populationData.js';
import { SOURCE_STATE_WORDS } from './spikeSchedule.js';
import { TIMED_STATE_WORDS } from './timedRates.js';
import { planZigguratTables, type ZigguratTables } from './wasmNormal.js';
import { planPlastic, type PlasticLayout } from './plasticity.js';
import { planStp, type StpLayout } from './stp.js';
import type { ProjectionEntry } from './world.js';

export interface WorldLayout {
  clock: Region<'f64'>;
  simRng: Region<'u32'>;
  initRng: Region<'u32'>;
  versions: Region<'i32'>;
  /** Per population: 1 while it computes, 0 once disabled (pop.disable()); read once per population and step. */
  enabled: Region<'i32'>;
  /**
   * How many populations count their firing rate (a window set by computeFiringRate): while 0 the
   * spike stage skips the counting with one test per step instead of one per population.
   */
  countingRates: Region<'i32'>;
  /** The ziggurat's tables, for WebAssembly normal draws (only where a model draws at all). */
  ziggurat: ZigguratTables | null;
  spiking: SpikingLayout;
  populations: {
    fields: Record<string, Region<'f64' | 'f32'>>;
    ring: SpikeRingLayout;
    /** computeFiringRate's counts and window (every population: the window may be set after compile). */
    rate: FiringRateLayout;
    candidates: Region<'u32'>;
    random: Region<'f64' | 'f32'>[];
    /** Poisson sources: per source an int64 (low, high word) that a lane word must be below to spike (wasmPoisson.ts). */
    spikeThresholds: Region<'u32'> | null;
    /** Spike source arrays: [cursor, origin] (spikeSchedule.ts). */
    sourceState: Region<'i32'> | null;
    /** Timed Poisson populations: [cursor, origin, table stamp] and the rates in force, in the population's precision (timedRates.ts). */
    timed: { state: Region<'i32'>; rates: Region<'f64' | 'f32'> } | null;
  }[];
  /**
   * plastic: an STDP projection's state (plasticity.ts); stp: an STP projection's (stp.ts). Such a
   * projection has no pending ring (its spikes wait in the pre's spike ring).
   */
  projections: { csr: CsrLayout; pending: Region<'f64'> | null; pendingDepth: number; plastic: PlasticLayout | null; stp: StpLayout | null }[];
}

export function layoutWorld(
  plan: ArenaPlan,
  world: { populations: readonly PopulationData[]; projections: readonly ProjectionEntry[] },
  spiking: SpikingLayout,
): WorldLayout {
  // As many draw buffers as the model's text has draws: a kernel rebuilt after a parameter changed
  // may draw what the first one folded away.
  const randomTerms = (pop: PopulationData) => (pop.kind === 'neuron' ? randomDrawsIn(pop.spec) : 0);
  // The firing rate reads the spikes leaving its window from the ring: window + 1 steps deep.
  const depth = world.populations.map((pop) => (pop.firingRate ? pop.firingRate.steps + 1 : 1));
  for (const proj of world.projections) {
    const p = world.populations.indexOf(proj.pre);
    depth[p] = Math.max(depth[p] as number, proj.synapses!.uniformDelaySteps ?? 1);
    // A plastic or STP projection with a delay per synapse reads each spike at its arrival, from the pre's ring.
    if ((proj.stdp || proj.stp) && proj.synapses!.delaySteps) depth[p] = Math.max(depth[p] as number, maxDelayOf(proj.synapses!.delaySteps));
  }
  return {
    clock: plan.reserve('f64', 1),
    simRng: plan.reserve('u32', SIM_STREAM_WORDS),
    initRng: plan.reserve('u32', STREAM_STATE_WORDS),
    versions: plan.reserve('i32', world.populations.length),
    enabled: plan.reserve('i32', world.populations.length),
    countingRates: plan.reserve('i32', 1),
    ziggurat: world.populations.some((pop) => randomTerms(pop) > 0) ? planZigguratTables(plan) : null,
    spiking,
    populations: world.populations.map((pop, p) => {
      const fields: Record<string, Region<'f64' | 'f32'>> = {};
      const type = pop.precision === 'float' ? 'f32' : 'f64';
      for (const [name, values] of Object.entries(pop.fields)) fields[name] = plan.reserve(type, values.length);
      return {
        fields,
        ring: planSpikeRing(plan, pop.size, depth[p] as number),
        rate: planFiringRate(plan, pop.size),
        candidates: plan.reserve('u32', pop.size),
        random: Array.from({ length: randomTerms(pop) }, () => plan.reserve(type, pop.size)),
        // Whole groups of four: the WebAssembly step reads a last group's thresholds in full.
        spikeThresholds: pop.kind === 'poisson' || pop.kind === 'timedPoisson' ? plan.reserve('u32', 2 * laneGroupsLength(pop.size)) : null,
        sourceState: pop.kind === 'spikeSource' ? plan.reserve('i32', SOURCE_STATE_WORDS) : null,
        timed: pop.kind === 'timedPoisson' ? { state: plan.reserve('i32', TIMED_STATE_WORDS), rates: plan.reserve(type, pop.size) } : null,
      };
    }),
    projections: world.projections.map((proj) => {
      const s = proj.synapses!;
      const perSynapse = s.delaySteps !== null;
      const maxDelay = s.delaySteps ? maxDelayOf(s.delaySteps) : 1;
      return {
        csr: planCsr(plan, proj.pre.size, s.post.length, perSynapse),
        pending: perSynapse && !proj.stdp && !proj.stp ? planDelayRing(plan, proj.post.size, maxDelay) : null,
        pendingDepth: maxDelay,
        plastic: proj.stdp ? planPlastic(plan, proj.pre.size, proj.post.size, s.post.length, maxDelay, perSynapse) : null,
        stp: proj.stp ? planStp(plan, proj.pre.size, s.post.length, maxDelay, perSynapse) : null,
      };
    }),
  };
}

function maxDelayOf(delaySteps: Uint16Array): number {
  let max = 1;
  for (const d of delaySteps) if (d > max) max = d;
  return max;
}
