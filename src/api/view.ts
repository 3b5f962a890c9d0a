/**
 * `PopulationView`: a subset of a population's neurons, by rank (ANNarchy's `pop[10:20]`):
 * `pop.slice(0, 3200)`, `pop.view([1, 5, 7])`. A view reads and writes its neurons' attributes
 * and can be the pre or post side of a projection.
 */
import { SpikeworldError } from '../errors.js';
import type { PopulationBase } from './population.js';
import type { Assignable } from './values.js';
import { gather } from '../world/ranks.js';

export class PopulationView {
  /** The neurons' ranks in `population`, in view order. */
  readonly ranks: Int32Array;

  constructor(
    readonly population: PopulationBase,
    ranks: ArrayLike<number>,
  ) {
    // A mark per neuron of the population, or for a few ranks of a large one a set (pop.view([i])
    // in a loop over a 1M-neuron population would allocate 1 MB per view).
    const marks = ranks.length * 32 < population.size ? null : new Uint8Array(population.size);
    const seen = marks ? null : new Set<number>();
    for (let k = 0; k < ranks.length; k++) {
      const r = ranks[k] as number;
      if (!Number.isInteger(r) || r < 0 || r >= population.size) {
        throw new SpikeworldError(`view of '${population.name}': rank ${r} is not in 0..${population.size - 1}`);
      }
      if (marks ? marks[r] : seen!.has(r)) throw new SpikeworldError(`view of '${population.name}': rank ${r} appears twice`);
      if (marks) marks[r] = 1;
      else seen!.add(r);
    }
    if (ranks.length === 0) throw new SpikeworldError(`view of '${population.name}': a view needs at least one rank`);
    this.ranks = Int32Array.from(ranks);
  }

  get size(): number {
    return this.ranks.length;
  }

  get name(): string {
    return `${this.population.name}[${this.ranks.length} of ${this.population.size}]`;
  }

  /** The view's firing rates in Hz (computeFiringRate), in view order (a copy): `get('r')`. */
  get r(): Float64Array {
    return this.get('r');
  }

  /** The view's values of `name`, in view order (a copy). */
  get(name: string): Float64Array {
    const all = this.population.field(name);
    if (this.population.data.info.get(name)?.global) return Float64Array.from(all);
    return gather(all, this.ranks);
  }

  /** Sets attributes of the view's neurons only; all are checked before any is written. */
  set(values: Record<string, Assignable>): void {
    const resolved = Object.entries(values).map(([name, v]) => {
      this.population.field(name);
      if (this.population.data.info.get(name)?.global) {
        throw new SpikeworldError(`${this}: '${name}' is one value for the whole population; set it on the population`);
      }
      return [name, this.population.resolve(name, v, this.size)] as const;
    });
    for (const [name, local] of resolved) this.population.writeRanks(name, this.ranks, local);
  }

  /** Refused: a population is enabled or disabled whole (ANNarchy's PopulationView has no `enable()`). */
  enable(): never {
    throw new SpikeworldError(`${this}: enable() switches a whole population; call it on the population: view.population.enable()`);
  }

  /** Refused: a whole population counts its firing rate (ANNarchy's PopulationView has no `compute_firing_rate()`); a view reads its neurons' `r`. */
  computeFiringRate(_windowMs: number): never {
    throw new SpikeworldError(`${this}: computeFiringRate() counts for a whole population; call it on the population: view.population.computeFiringRate(…), then read view.r`);
  }

  /** Refused: a population is enabled or disabled whole (ANNarchy's PopulationView has no `disable()`). */
  disable(): never {
    throw new SpikeworldError(`${this}: disable() switches a whole population, not some of its neurons; call it on the population: view.population.disable()`);
  }

  toString(): string {
    return `PopulationView ${this.name}`;
  }
}

/** The population behind a population or a view. */
export function populationOf(x: PopulationBase | PopulationView): PopulationBase {
  return x instanceof PopulationView ? x.population : x;
}
