/**
 * Stop conditions for `simulateUntil`: `'<condition> : any'` (default) or `': all'` in the model
 * language, checked over the population after each step; `'spiked : any'` looks at this step's
 * spikes.
 */
import { SpikeworldError } from '../errors.js';
import type { NeuronSpec } from '../model/ast.js';
import { generatePredicate } from '../model/codegen.js';
import { planStopCondition, type NeuronPlan } from '../model/plan.js';
import { wasmStopCount } from '../world/wasmStop.js';
import { FIRING_RATE, type Fields } from '../world/populationData.js';
import type { World } from '../world/world.js';
import { parseCondition } from './neuron.js';
import type { PopulationBase } from './population.js';

export type StopOperator = 'and' | 'or';

export function buildStopCondition(world: World, pops: readonly PopulationBase[], operator: StopOperator): () => boolean {
  if (operator !== 'and' && operator !== 'or') {
    throw new SpikeworldError(`simulateUntil: operator must be 'and' or 'or', got ${String(operator)}`);
  }
  if (pops.length === 0) throw new SpikeworldError('simulateUntil: give at least one population');
  const tests = pops.map((p) => populationTest(world, p));
  // Checked after every step: plain loops, no closure allocated per call.
  const all = operator === 'and';
  return () => {
    for (let k = 0; k < tests.length; k++) if ((tests[k] as () => boolean)() !== all) return !all;
    return all;
  };
}

/**
 * Built tests per world, by population and condition: a loop calling simulateUntil for a few
 * steps at a time would otherwise compile a predicate (and a WebAssembly module) per call. A
 * world's field addresses never change once compiled.
 */
const built = new WeakMap<World, Map<string, () => boolean>>();

function populationTest(world: World, pop: PopulationBase): () => boolean {
  const text = pop.stopCondition;
  if (!text) {
    throw new SpikeworldError(
      `simulateUntil: population '${pop.name}' has no stop condition; create it with { stopCondition: 'spiked : any' } (or a condition on its variables)`,
    );
  }
  const tests = built.get(world) ?? new Map<string, () => boolean>();
  built.set(world, tests);
  const key = `${world.populations.indexOf(pop.data)}\u0000${text}`;
  let test = tests.get(key);
  if (!test) {
    test = buildTest(world, pop, text);
    tests.set(key, test);
  }
  return test;
}

/** The model's spec with r, the firing rate every spiking population carries as a field, as one more per-neuron variable. */
function withRateVariable(spec: NeuronSpec): NeuronSpec {
  return { ...spec, variables: [...spec.variables, { name: FIRING_RATE, init: 0, global: false, type: 'float', conductance: false }] };
}

function buildTest(world: World, pop: PopulationBase, text: string): () => boolean {
  const m = /^(.*?)(?::\s*(any|all)\s*)?$/s.exec(text.trim())!;
  const expr = (m[1] ?? '').trim();
  const mode = (m[2] ?? 'any') as 'any' | 'all';
  const p = world.populations.indexOf(pop.data);
  const rt = world.runtime!;
  if (expr === 'spiked') {
    const ring = rt.populations[p]!.ring;
    return () => {
      const count = ring.counts[(world.step - 1) % ring.depth] as number;
      return mode === 'any' ? count > 0 : count === ring.size;
    };
  }
  const withRate = pop.data.countsRate;
  const spec = withRate ? withRateVariable(pop.data.spec) : pop.data.spec;
  const plan = planStopCondition(spec, parseCondition(pop.data.spec, expr, withRate), pop.size, world.dt, pop.data.precision);
  if (withRate && plan.fields.includes(FIRING_RATE) && world.firingRateWindow(pop.data) === null) {
    throw new SpikeworldError(
      `simulateUntil: the stop condition of population '${pop.name}' reads r, its firing rate, which stays 0 until it is counted: call pop.computeFiringRate(windowMs) first`,
    );
  }
  // WebAssembly looks for a neuron of the whole vectors that meets it (': all': that fails it),
  // returning at the first vector with one; JS tests the rest (all of them without it).
  const counted: NeuronPlan = mode === 'any' ? plan : { ...plan, cond: { k: 'not', a: plan.cond } };
  const wasm =
    world.kernelBackend === 'auto' && pop.data.kind === 'neuron'
      ? wasmStopCount(counted, pop.data.fields, world.arena!.view(world.layout!.populations[p]!.candidates), world.arena!.memory, pop.name)
      : null;
  // Both take the step just run (its time, step · dt, is computed inside: see NeuronKernel.integrate).
  const rest = new Function('FIELDS', 'STEP', generatePredicate(plan, mode, wasm?.neurons ?? 0)) as (f: Fields, step: number) => boolean;
  if (!wasm) return () => rest(pop.data.fields, world.step - 1);
  const { count } = wasm;
  if (mode === 'any') {
    return () => {
      const step = world.step - 1;
      return count(step) > 0 || rest(pop.data.fields, step);
    };
  }
  return () => {
    const step = world.step - 1;
    return count(step) === 0 && rest(pop.data.fields, step);
  };
}
