/**
 * A timed Poisson population's rates as the world runs them (`TimedPoissonPopulation`,
 * src/api/timedPoisson.ts): a table of entries (one rate per neuron each) with the step each entry
 * starts at, and an optional period after which the table starts again. Each step, before the
 * input stage, the switch of every timed population compares the step with its next onset; at an
 * onset it copies that entry's rates into the population's current rates (and, where the
 * WebAssembly Poisson step runs, remakes their integer thresholds), so the rates change inside a
 * run at the scheduled steps and a step without an onset costs a few integer comparisons. The Poisson step
 * then draws exactly as a `PoissonPopulation`'s does.
 *
 * As ANNarchy's generated `update()` (TimedPoissonPopulation.py): an internal time counts the steps
 * since the start (compile, `reset()`, `pop.reset()`), back to 0 every `period` steps; entry k is
 * set at the step where it equals onset k; past the last entry its rate holds (until the period
 * starts the table again). Onsets are ANNarchy's `int(t / dt)` (truncated), without float noise.
 *
 * The cursor, the origin (the step the schedule counts from) and the stamp of the table they belong
 * to are three int32 words in the world's arena (the layout's `timed.state`), the current rates and
 * thresholds are arena arrays too, so the network's reset and a hand-off to another thread carry
 * them. The table itself is never changed once made (a new one replaces it), on shared memory where
 * the platform has it, so copies and threads may hold the same one (as spikeSchedule.ts does with
 * spike times).
 */
import { sharedFloat64s, sharedInt32s, type StateArray } from '../../components/arena.js';
import { describeInput as describe, SpikeworldError } from '../errors.js';
import { firstStepAtOrAfter, LAST_STEP, stepsToMs } from './clock.js';
import { poissonThresholds } from './wasmPoisson.js';

/** Plain data (it crosses threads by structured clone): never modified once made. */
export interface TimedRates {
  /** Neurons of the population. */
  readonly size: number;
  /** Step of each entry's onset, relative to the origin; strictly ascending. */
  readonly onsets: Int32Array;
  /** Hz: entry k's rate of neuron i at k · size + i. */
  readonly rates: Float64Array;
  /** Steps after which the table starts again; 0: no cycling. */
  readonly periodSteps: number;
  /** FNV-1a (int32) of size, period, onsets and the rates' bits: equal tables, equal stamps, on every thread. */
  readonly stamp: number;
}

/**
 * Words of a timed population's state in the arena: [cursor (next entry), origin (step of time 0),
 * stamp of the table that cursor and the rates in force were set from].
 */
export const TIMED_STATE_WORDS = 3;

/**
 * ANNarchy's `int(t / dt)` (a truncation) where t / dt is a whole number up to float noise, so
 * 0.3 ms at dt 0.1 is step 3 (ANNarchy's int(2.9999999999999996) gives 2).
 */
export function msToOnsetStep(ms: number, dt: number): number {
  const exact = ms / dt;
  const nearest = Math.round(exact);
  return Math.abs(exact - nearest) < 1e-9 * Math.max(1, nearest) ? nearest : Math.floor(exact);
}

/**
 * The table of `entries` (Hz, `size` per entry: checked by the caller) starting at the onsets of
 * `schedule` (ms: one per entry, or one number: each entry lasts that long), cycling every
 * `period` ms (-1: never), at step `dt`. Refuses a bad schedule or period, naming the value (`what`
 * names the population).
 */
export function buildTimedRates(entries: readonly ArrayLike<number>[], schedule: unknown, period: unknown, size: number, dt: number, what: string): TimedRates {
  const n = entries.length;
  const onsets = onsetSteps(schedule, n, dt, what);
  const steps = periodSteps(period, dt, what);
  const rates = sharedFloat64s(n * size);
  for (let k = 0; k < n; k++) rates.set(entries[k]!, k * size);
  return { size, onsets, rates, periodSteps: steps, stamp: tableStamp(size, steps, onsets, rates) };
}

function onsetSteps(schedule: unknown, entries: number, dt: number, what: string): Int32Array {
  const onsets = sharedInt32s(entries);
  if (typeof schedule === 'number') {
    // TimedArray's form (ANNarchy's TimedPoissonPopulation takes lists only): entry k from k · schedule ms.
    if (!Number.isFinite(schedule) || msToOnsetStep(schedule, dt) < 1) {
      throw new SpikeworldError(`${what}: schedule ${schedule} as one number is how long each entry lasts; give at least dt (${dt} ms), or a list of onsets in ms`);
    }
    const every = msToOnsetStep(schedule, dt);
    if ((entries - 1) * every > LAST_STEP) {
      throw new SpikeworldError(`${what}: schedule ${schedule} ms × ${entries} entries passes the last step a network reaches (${LAST_STEP}); give a shorter duration`);
    }
    for (let k = 0; k < entries; k++) onsets[k] = k * every;
    return onsets;
  }
  if (!(Array.isArray(schedule) || (ArrayBuffer.isView(schedule) && !(schedule instanceof DataView)))) {
    throw new SpikeworldError(`${what}: schedule must be a list of onsets in ms (one per entry of rates, e.g. [0, 100, 200]) or one number (each entry lasts that long), got ${describe(schedule)}`);
  }
  const list = schedule as ArrayLike<unknown>;
  if (list.length !== entries) {
    throw new SpikeworldError(
      `${what}: schedule has ${list.length} onset${list.length === 1 ? '' : 's'} but rates has ${entries} entr${entries === 1 ? 'y' : 'ies'}; give one onset (ms) per entry of rates`,
    );
  }
  for (let k = 0; k < entries; k++) {
    const t = list[k];
    if (typeof t !== 'number' || !Number.isFinite(t) || t < 0) {
      throw new SpikeworldError(`${what}: schedule[${k}] is ${describe(t)}; onsets must be finite numbers of ms >= 0`);
    }
    const s = msToOnsetStep(t, dt);
    if (s > LAST_STEP) {
      throw new SpikeworldError(`${what}: schedule[${k}] is ${t} ms, step ${s}: past the last step a network reaches (${LAST_STEP}); remove it`);
    }
    if (k > 0 && s <= (onsets[k - 1] as number)) {
      // ANNarchy compares its time with one onset at a time: one not after the previous is never reached, nor any after it.
      throw new SpikeworldError(
        `${what}: schedule[${k}] (${t} ms, step ${s}) is not after schedule[${k - 1}] (${list[k - 1] as number} ms, step ${onsets[k - 1] as number}); ` +
          `onsets must rise by at least one step of dt (${dt} ms)`,
      );
    }
    onsets[k] = s;
  }
  return onsets;
}

function periodSteps(period: unknown, dt: number, what: string): number {
  if (period === undefined || period === -1) return 0;
  const steps = typeof period === 'number' && Number.isFinite(period) && period > 0 ? msToOnsetStep(period, dt) : 0;
  if (steps < 1 || steps > LAST_STEP) {
    throw new SpikeworldError(`${what}: period is ${describe(period)}; give a number of ms >= dt (${dt} ms) after which the schedule starts again, or -1 (the default) for none`);
  }
  return steps;
}

/** The onsets in ms (steps · dt without float noise). */
export function scheduleMs(table: TimedRates, dt: number): number[] {
  return Array.from(table.onsets, (s) => stepsToMs(s, dt));
}

/** The period in ms, -1 where the table does not cycle (ANNarchy's value for none). */
export function periodMs(table: TimedRates, dt: number): number {
  return table.periodSteps > 0 ? stepsToMs(table.periodSteps, dt) : -1;
}

/** The rates, one array of Hz per entry (copies). */
export function ratesPerEntry(table: TimedRates): Float64Array[] {
  const n = table.onsets.length;
  return Array.from({ length: n }, (_, k) => table.rates.slice(k * table.size, (k + 1) * table.size));
}

/** Where a timed population's switch writes: its current rates, and their thresholds where the WebAssembly step reads them. */
export interface TimedTarget {
  /** [cursor, origin, table stamp] in the arena. */
  state: Int32Array;
  /** The rates the Poisson step draws with (the population's precision). */
  current: StateArray;
  /** The WebAssembly step's int64 thresholds (wasmPoisson.ts); null where JS draws. */
  thresholds: Uint32Array | null;
  /** dt / 1000: the spike probability per step per Hz. */
  pSpikePerHz: number;
  /** The population's enabled word: while 0 nothing switches (and the input stage moves the origin on: the clock pauses). */
  enabled: Int32Array;
}

/**
 * The switch of a timed population (called by the input stage before the Poisson steps): at
 * `step`, sets the entry whose onset is due. `current()` gives the table in force (a set after
 * compile replaces it).
 */
export function timedRatesStep(current: () => TimedRates, target: TimedTarget): (step: number) => void {
  const { state, enabled } = target;
  return (step: number): void => {
    // Disabled: as ANNarchy's update() inside `if (_active)`, its internal time stands still.
    if (enabled[0] === 0) return;
    const table = current();
    const { onsets, periodSteps } = table;
    const rel = step - (state[1] as number);
    const phase = periodSteps > 0 ? rel % periodSteps : rel;
    let c = phase === 0 ? 0 : (state[0] as number);
    // A cursor and rates in force set from another table (a worker set one before its parallelRun
    // was aborted: the arena came back, the table did not; or nothing yet, at the first step): seek
    // in this one, so that its rates, not the other table's, hold until its next onset.
    if (state[2] !== table.stamp) {
      seekTimedRates(table, target, step);
      c = state[0] as number;
    }
    if (c < onsets.length && onsets[c] === phase) {
      setEntry(table, c, target);
      c++;
    }
    state[0] = c;
  };
}

/**
 * Puts the cursor and the current rates where a run of `table` stands before `step` (the next step
 * to run): the next onset at or after the step's place in the schedule, and the rates of the last
 * one before it (0 Hz before the first onset of the first cycle; in a later cycle, the last entry
 * its period reached).
 */
export function seekTimedRates(table: TimedRates, target: TimedTarget, step: number): void {
  const { onsets, periodSteps } = table;
  const rel = step - (target.state[1] as number);
  const phase = periodSteps > 0 ? rel % periodSteps : rel;
  const next = firstStepAtOrAfter(onsets, phase);
  target.state[0] = next;
  target.state[2] = table.stamp;
  const inForce = next > 0 ? next - 1 : periodSteps > 0 && rel >= periodSteps ? firstStepAtOrAfter(onsets, periodSteps) - 1 : -1;
  setEntry(table, inForce, target);
}

/** pop.reset(): the schedule counts from `step` (the next to run), 0 Hz until its first onset. */
export function restartTimedRates(table: TimedRates, target: TimedTarget, step: number): void {
  target.state[1] = step;
  seekTimedRates(table, target, step);
}

/** Entry k's rates (k = -1: 0 Hz) into the current rates, and their thresholds. Loops: nothing allocated inside a run. */
function setEntry(table: TimedRates, k: number, target: TimedTarget): void {
  const { current, thresholds } = target;
  const { rates, size } = table;
  if (k < 0) current.fill(0);
  else for (let i = 0; i < size; i++) current[i] = rates[k * size + i] as number;
  if (thresholds) poissonThresholds(current, target.pSpikePerHz, thresholds);
}

/** A table's stamp, for parallelRun's declaration signature: its number of entries and 8 hex digits. */
export function timedRatesHash(table: TimedRates): string {
  return `${table.onsets.length}:${(table.stamp >>> 0).toString(16).padStart(8, '0')}`;
}

/** FNV-1a (32 bits, as an int32) of a table's size, period, onsets and rates' bits. */
function tableStamp(size: number, periodSteps: number, onsets: Int32Array, rates: Float64Array): number {
  let state = Math.imul(0x811c9dc5 ^ size, 0x01000193);
  state = Math.imul(state ^ periodSteps, 0x01000193);
  for (let k = 0; k < onsets.length; k++) state = Math.imul(state ^ (onsets[k] as number), 0x01000193);
  const words = new Uint32Array(rates.buffer, rates.byteOffset, rates.length * 2);
  for (let k = 0; k < words.length; k++) state = Math.imul(state ^ (words[k] as number), 0x01000193);
  return state | 0;
}
