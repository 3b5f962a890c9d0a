/**
 * `TimedPoissonPopulation`: Poisson sources whose rates change at scheduled times, ANNarchy's
 * `TimedPoissonPopulation(geometry, rates, schedule, period=-1.)`. Entry k of `rates` holds from
 * onset k of `schedule` until the next onset; past the last one it holds on, unless `period`
 * starts the schedule again. Each step neuron i spikes with probability `rate_i · dt / 1000`, drawn
 * as a `PoissonPopulation`'s (the same lanes, the same law); the switch runs in the input stage of
 * the onset's step (src/world/timedRates.ts).
 */
import { SpikeworldError } from '../errors.js';
import { isDistribution } from '../random/distributions.js';
import { buildTimedRates, periodMs, ratesPerEntry, scheduleMs, type TimedRates } from '../world/timedRates.js';
import { stateLessSpec } from './neuron.js';
import { checkOptionNames } from './options.js';
import { currentOwner } from './owner.js';
import { checkGeometry, PopulationBase, type Geometry } from './population.js';
import { describe, resolveValues, type NestedNumbers } from './values.js';

/** Rates in Hz, one entry per onset: a number (every neuron) or one number per neuron (nested arrays: in the geometry's shape). */
export type TimedRateEntries = readonly (number | NestedNumbers)[];

/** Onsets in ms, one per entry of rates (rising by at least one step), or one number: each entry lasts that long. */
export type TimedSchedule = ArrayLike<number> | number;

export interface TimedPoissonOptions {
  /** Hz: entry k holds from onset k of the schedule on (before the first onset: 0 Hz). */
  rates: TimedRateEntries;
  /** ms: the onset of each entry (`[0, 100, 500]`), or one number: each entry lasts that long (onsets 0, s, 2s, …). */
  schedule: TimedSchedule;
  /** ms after which the schedule starts again from its first onset (entries from there on are never reached); -1 (default): never. */
  period?: number;
  name?: string;
  /** Condition for `simulateUntil`: `'spiked : any'`, `'spiked : all'` or one on `r`, its firing rate once computeFiringRate counts (`'r > 10 : any'`); a timed Poisson population has no other variables to test. */
  stopCondition?: string;
}

/** What `update()` may change at once (each one left out stays as it is). */
export interface TimedPoissonUpdate {
  rates?: TimedRateEntries;
  schedule?: TimedSchedule;
  period?: number;
  /** First restart the schedule from the current time, as `reset()` does (ANNarchy's `update(..., reset=True)`). */
  reset?: boolean;
}

const TIMED_POISSON_SPEC = stateLessSpec('Timed Poisson');

export class TimedPoissonPopulation extends PopulationBase {
  constructor(geometry: Geometry, options: TimedPoissonOptions) {
    if (!options || typeof options !== 'object' || options.rates === undefined || options.schedule === undefined) {
      throw new SpikeworldError(
        'TimedPoissonPopulation needs { rates, schedule }: rates in Hz, one entry per onset in ms, e.g. new TimedPoissonPopulation(100, { rates: [10, 50], schedule: [0, 100] })',
      );
    }
    checkOptionNames('new TimedPoissonPopulation()', options, ['rates', 'schedule', 'period', 'name', 'stopCondition']);
    // Checked before the population exists: a refused table leaves no trace.
    const dims = checkGeometry(geometry);
    const size = dims.reduce((a, b) => a * b, 1);
    const what = options.name !== undefined ? `new TimedPoissonPopulation '${options.name}'` : 'new TimedPoissonPopulation()';
    const table = makeTable(options.rates, options.schedule, options.period, dims, size, currentOwner().world.dt, what);
    super(dims, TIMED_POISSON_SPEC, 'timedPoisson', {
      ...(options.name !== undefined ? { name: options.name } : {}),
      ...(options.stopCondition !== undefined ? { stopCondition: options.stopCondition } : {}),
    });
    this.data.timed = table;
  }

  /** The rates in Hz, one array per entry (one rate per neuron), as ANNarchy's `rates` after compile. */
  get rates(): Float64Array[] {
    return ratesPerEntry(this.table('read rates'));
  }

  /** New rates with as many entries as the schedule has onsets (to change their number, `update({ rates, schedule })`). */
  set rates(rates: TimedRateEntries) {
    this.update({ rates });
  }

  /** The onsets in ms (truncated to steps of dt, as ANNarchy's `int(t / dt)`). */
  get schedule(): number[] {
    return scheduleMs(this.table('read schedule'), this.owner.world.dt);
  }

  /** New onsets, one per entry of the rates (to change their number, `update({ rates, schedule })`). */
  set schedule(schedule: TimedSchedule) {
    this.update({ schedule });
  }

  /** The period in ms; -1: the schedule does not start again. */
  get period(): number {
    return periodMs(this.table('read period'), this.owner.world.dt);
  }

  set period(period: number) {
    this.update({ period });
  }

  /**
   * Changes rates, schedule and period at once (ANNarchy's `update()`); what is left out stays.
   * After compile the run goes on from the current time's place in the new schedule (counted from
   * the start: compile, `reset()` or this population's `reset()`), with the rates in force there
   * from the next step on.
   */
  update(changes: TimedPoissonUpdate): void {
    const label = `TimedPoissonPopulation '${this.name}'`;
    if (!changes || typeof changes !== 'object' || Array.isArray(changes)) {
      throw new SpikeworldError(`${label}: update() takes an object such as { rates: [10, 50], schedule: [0, 100] }, got ${describe(changes)}`);
    }
    checkOptionNames(`${label}: update()`, changes, ['rates', 'schedule', 'period', 'reset']);
    if (changes.reset !== undefined && typeof changes.reset !== 'boolean') {
      throw new SpikeworldError(`${label}: update(): reset must be true or false, got ${describe(changes.reset)}`);
    }
    const old = this.table('update');
    const world = this.owner.world;
    const rates = changes.rates ?? ratesPerEntry(old);
    const entries = Array.isArray(rates) ? rates.length : 0;
    if (changes.schedule === undefined && entries !== old.onsets.length && Array.isArray(rates)) {
      throw new SpikeworldError(
        `${label}: rates has ${entries} entr${entries === 1 ? 'y' : 'ies'} but the schedule has ${old.onsets.length} onset${old.onsets.length === 1 ? '' : 's'}; ` +
          'give both at once: update({ rates, schedule })',
      );
    }
    const table = makeTable(rates, changes.schedule ?? scheduleMs(old, world.dt), changes.period ?? periodMs(old, world.dt), this.geometry, this.size, world.dt, label);
    if (changes.reset) world.restartTimedRates(this.data);
    world.setTimedRates(this.data, table);
  }

  /**
   * ANNarchy's `pop.reset()`: the schedule counts from the current time, 0 Hz until its first onset
   * (before compile it counts from 0 anyway). The network's `reset()` goes back to time 0.
   */
  reset(): void {
    this.owner.world.restartTimedRates(this.data);
  }

  override toString(): string {
    return `TimedPoissonPopulation '${this.name}' (${this.size} neuron${this.size === 1 ? '' : 's'})`;
  }

  private table(action: string): TimedRates {
    this.owner.world.assertNotDisposed(`${action} of '${this.name}'`);
    return this.data.timed!;
  }
}

/** The rates resolved per entry (numbers or arrays only; finite) and the table of them. */
function makeTable(given: unknown, schedule: unknown, period: unknown, dims: readonly number[], size: number, dt: number, what: string): TimedRates {
  const rates = ArrayBuffer.isView(given) && !(given instanceof DataView) ? Array.from(given as unknown as ArrayLike<number>) : given;
  if (!Array.isArray(rates) || rates.length === 0) {
    throw new SpikeworldError(
      `${what}: rates must be a non-empty list with one entry per onset of the schedule (each a number of Hz, or one per neuron), got ${describe(rates)}${Array.isArray(rates) ? ' (empty)' : ''}`,
    );
  }
  const entries = rates.map((entry: unknown, k) => {
    const list = Array.isArray(entry) || (ArrayBuffer.isView(entry) && !(entry instanceof DataView));
    if ((typeof entry !== 'number' && !list) || isDistribution(entry)) {
      throw new SpikeworldError(`${what}: rates[${k}] is ${describe(entry)}; give a number of Hz (every neuron) or ${size} numbers (one per neuron${dims.length > 1 ? `, nested in the geometry's shape [${dims.join(', ')}]` : ''})`);
    }
    // No distributions: nothing is drawn, so the rng is never read.
    const values = resolveValues(entry, size, new Uint32Array(0), () => `${what}: rates[${k}]`);
    for (let i = 0; i < size; i++) {
      const r = values[i] as number;
      if (!Number.isFinite(r)) {
        throw new SpikeworldError(`${what}: rates[${k}]${list ? `[${i}]` : ''} is ${r}; rates must be finite numbers of Hz (below 0: never fires)`);
      }
    }
    return values;
  });
  return buildTimedRates(entries, schedule, period, size, dt, what);
}
