/**
 * `PoissonPopulation`: independent Poisson spike sources. Each step neuron i spikes with
 * probability `rates[i] · dt / 1000` (rates in Hz, dt in ms), drawn in the input stage.
 */
import { SpikeworldError } from '../errors.js';
import type { NeuronSpec } from '../model/ast.js';
import { checkOptionNames } from './options.js';
import { PopulationBase, type Geometry } from './population.js';
import type { Assignable } from './values.js';

export interface PoissonOptions {
  /** Hz: one number, one per neuron, or a distribution. */
  rates: Assignable;
  name?: string;
  /** Condition for `simulateUntil`: `'spiked : any'`, `'spiked : all'` or one on `r`, its firing rate once computeFiringRate counts (`'r > 10 : any'`); a Poisson population has no other variables to test. */
  stopCondition?: string;
}

const POISSON_SPEC: NeuronSpec = Object.freeze({
  name: 'Poisson',
  parameters: [{ name: 'rates', value: 0, global: false, type: 'float' as const }],
  variables: [],
  targets: [],
  instantaneousTargets: [],
  equations: [],
  reset: [],
});

export interface PoissonPopulation {
  /** Firing rates in Hz (a copy); assign a number, an array or a distribution. */
  get rates(): Float64Array;
  set rates(value: Assignable);
}

export class PoissonPopulation extends PopulationBase {
  constructor(geometry: Geometry, options: PoissonOptions) {
    if (!options || options.rates === undefined) {
      throw new SpikeworldError('PoissonPopulation needs { rates } in Hz, e.g. new PoissonPopulation(100, { rates: 10 })');
    }
    checkOptionNames('new PoissonPopulation()', options, ['rates', 'name', 'stopCondition']);
    const named = {
      ...(options.name !== undefined ? { name: options.name } : {}),
      ...(options.stopCondition !== undefined ? { stopCondition: options.stopCondition } : {}),
    };
    super(geometry, POISSON_SPEC, 'poisson', named, undefined, { rates: options.rates });
  }

  override toString(): string {
    return `PoissonPopulation '${this.name}' (${this.size} neurons)`;
  }
}
