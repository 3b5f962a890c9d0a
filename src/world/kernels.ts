/**
 * Turns a population's model into a running kernel: decides which parameters fold into
 * constants (those uniform across the population), generates the source, and binds it to
 * the population's arena views.
 */
import type { NeuronKernel } from '../../components/runtime.js';
import type { SpikeRing } from '../../components/spikeRing.js';
import { generateKernel } from '../model/codegen.js';
import { fillNormal, fillUniform } from '../random/stream.js';
import type { PopulationData } from './populationData.js';

export interface KernelTarget {
  pop: PopulationData;
  dt: number;
  ring: SpikeRing;
  rng: Uint32Array;
  lastSpike: Int32Array;
  refractoryLeft: Int32Array;
}

let kernelCounter = 0;

export function buildKernel(target: KernelTarget): NeuronKernel {
  const { pop, dt } = target;
  const spec = pop.spec;
  const folded = new Map<string, number>();
  for (const p of spec.parameters) {
    const values = pop.fields[p.name] as Float64Array;
    if (isUniform(values)) folded.set(p.name, values[0] as number);
  }
  const refractory = refractorySteps(pop, folded, dt);
  // A kernel without refractory code would neither honour nor count down what is left.
  if (refractory === 0) target.refractoryLeft.fill(0);
  const { source, randomTerms } = generateKernel({
    spec,
    size: pop.size,
    dt,
    folded,
    refractorySteps: refractory,
    tag: `k${++kernelCounter}`,
  });
  const factory = new Function('B', source) as (b: unknown) => NeuronKernel;
  return factory({
    fields: pop.fields,
    refractoryLeft: target.refractoryLeft,
    lastSpike: target.lastSpike,
    ring: target.ring,
    rng: target.rng,
    fillUniform,
    fillNormal,
    random: randomTerms.map(() => new Float64Array(pop.size)),
    candidates: new Uint32Array(pop.size),
    integrateWith: null,
  });
}

/** Steps of refractoriness if the same for all neurons (0 = none), or null when it varies. */
function refractorySteps(pop: PopulationData, folded: ReadonlyMap<string, number>, dt: number): number | null {
  const r = pop.spec.refractory;
  if (r === undefined) return 0;
  const ms = typeof r === 'number' ? r : folded.get(r);
  return ms === undefined ? null : Math.round(ms / dt);
}

function isUniform(values: Float64Array): boolean {
  const first = values[0];
  for (let i = 1; i < values.length; i++) if (values[i] !== first) return false;
  return values.length > 0 && !Number.isNaN(first);
}
